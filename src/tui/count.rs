//! The count screen's behaviour: which ballot is on the desk, keying papers, and the
//! procedure around them (issued, returned, corrections, announcement, further rounds).

use crate::domain::action::Action;
use crate::domain::announce::announcement;
use crate::domain::ballots::{BallotState, CountKind};
use crate::domain::session::ItemKind;
use crate::domain::state::SessionState;
use crate::i18n::Lang;
use crate::tui::app::{App, Flash, Modal, Purpose};
use crate::tui::entry::{Entry, parse_numbers};
use crate::tui::input::TextInput;
use crate::tui::keys::Cmd;

#[derive(Debug, Clone, Default)]
pub struct CountUi {
    /// Agenda index of the item being counted.
    pub item: Option<usize>,
    /// Which round of an approval item is shown (None = the latest).
    pub round: Option<usize>,
    /// Selected motion of a resolution item.
    pub motion: usize,
    pub entry: Entry,
    /// The ballot the entry was laid out for (reset when another is shown).
    pub entry_for: String,
}

fn countable(kind: ItemKind) -> bool {
    matches!(
        kind,
        ItemKind::Ballot | ItemKind::Satisfaction | ItemKind::Resolution
    )
}

impl CountUi {
    /// Default to the running item if it counts something, else the first item that does.
    pub fn pick_default(&mut self, st: &SessionState) {
        let running = st.running().filter(|&i| countable(st.def.agenda[i].kind));
        self.item = running.or_else(|| st.def.agenda.iter().position(|a| countable(a.kind)));
        self.sync(st);
    }

    pub fn open_item(&mut self, st: &SessionState, item: usize) -> bool {
        if !st.def.agenda.get(item).is_some_and(|a| countable(a.kind)) {
            return false;
        }
        if self.item != Some(item) {
            self.item = Some(item);
            self.round = None;
            self.motion = 0;
        }
        self.sync(st);
        true
    }

    /// The ballot on the desk.
    pub fn ballot<'a>(&self, st: &'a SessionState) -> Option<&'a BallotState> {
        let item = self.item?;
        let of_item: Vec<&BallotState> = st.ballots.of_item(item).collect();
        match of_item.first()?.kind {
            CountKind::Approval => {
                let i = self
                    .round
                    .unwrap_or(of_item.len() - 1)
                    .min(of_item.len() - 1);
                Some(of_item[i])
            }
            CountKind::Satisfaction => Some(of_item[0]),
            CountKind::Resolution => of_item.get(self.motion.min(of_item.len() - 1)).copied(),
        }
    }

    /// Lay the entry out for the ballot on the desk if it changed.
    pub fn sync(&mut self, st: &SessionState) {
        let Some(b) = self.ballot(st) else {
            return;
        };
        if self.entry_for != b.id {
            self.entry_for = b.id.clone();
            self.entry = Entry::new(b.candidates.len());
        }
    }
}

impl App {
    /// Whether the projector shows live results (a display setting shared through the database).
    pub fn projector_results(&self) -> bool {
        matches!(
            self.engine.store().load_setting(crate::tui::projector::SHOW_RESULTS),
            Ok(Some(v)) if v == "1"
        )
    }

    pub fn current_ballot(&self) -> Option<&BallotState> {
        self.count.ballot(self.engine.state())
    }

    fn prompt(&mut self, title: String, initial: &str, purpose: Purpose) {
        self.modal = Some(Modal::Input {
            title,
            input: TextInput::with(initial),
            purpose,
        });
    }

    /// Handle a command on the count screen. Returns false for commands it leaves to the
    /// general dispatcher (screen switching, help, quit).
    pub fn count_dispatch(&mut self, cmd: Cmd) -> bool {
        let Some(b) = self.current_ballot() else {
            if matches!(
                cmd,
                Cmd::NextScreen | Cmd::PrevScreen | Cmd::GoTo(_) | Cmd::Help | Cmd::Quit
            ) {
                return false;
            }
            self.flash_err(
                self.t(
                    "议程中没有票决、测评或表决",
                    "the agenda has no ballot, evaluation or resolution",
                )
                .to_string(),
            );
            return true;
        };
        let id = b.id.clone();
        let kind = b.kind;
        let n = b.candidates.len();
        self.count.sync(self.engine.state());
        let lang = self.lang;
        match cmd {
            Cmd::Mark(letter) => self.count.entry.mark(letter),
            Cmd::RestYes => self.count.entry.fill_rest('Y'),
            Cmd::BlankPaper => self.count.entry = Entry::new(n),
            Cmd::Back => self.count.entry.back(),
            Cmd::Left => self.count.entry.left(),
            Cmd::Right => self.count.entry.right(),
            Cmd::Up if kind == CountKind::Resolution => self.select_motion(-1),
            Cmd::Down if kind == CountKind::Resolution => self.select_motion(1),
            Cmd::Up => self.count.entry.up(),
            Cmd::Down => self.count.entry.down(),
            Cmd::ClearPaper => {
                self.count.entry = Entry::new(n);
                self.flash = None;
            }
            Cmd::AllYesExcept => self.prompt(
                lang.t(
                    "全部赞成,除以下序号(空格分隔,记为不赞成)",
                    "All yes except these numbers (space separated; marked no)",
                )
                .to_string(),
                "",
                Purpose::AllExcept,
            ),
            Cmd::Record => self.record_entry(&id, None),
            Cmd::VoidPaper => {
                let marks = if self.count.entry.is_blank() {
                    String::new()
                } else {
                    self.count.entry.letters()
                };
                self.prompt(
                    lang.t(
                        "作废票:请填写理由(如 字迹无法辨认、污损)",
                        "Void paper: reason (e.g. illegible, defaced)",
                    )
                    .to_string(),
                    "",
                    Purpose::VoidReason { ballot: id, marks },
                )
            }
            Cmd::Undo => {
                let last = self
                    .current_ballot()
                    .and_then(|b| b.last_live())
                    .map(|p| p.serial.clone());
                match last {
                    Some(serial) => {
                        if self.execute(Action::UndoPaper { ballot: id, serial }) {
                            self.count.entry = Entry::new(n);
                        }
                    }
                    None => {
                        self.flash_err(lang.t("没有可撤销的选票", "no paper to undo").to_string())
                    }
                }
            }
            Cmd::Correct => self.prompt(
                lang.t("更正选票:输入选票编号", "Correct a paper: its serial")
                    .to_string(),
                "",
                Purpose::CorrectSerial { ballot: id },
            ),
            Cmd::Strike => self.prompt(
                lang.t("剔除选票:输入选票编号", "Strike a paper: its serial")
                    .to_string(),
                "",
                Purpose::StrikeSerial { ballot: id },
            ),
            Cmd::Issued => {
                let present = self.engine.state().attendance.present;
                let cur = self
                    .current_ballot()
                    .and_then(|b| b.issued)
                    .unwrap_or(present);
                self.prompt(
                    match lang {
                        Lang::Zh => format!("发出票数(出席代表 {present} 名)"),
                        Lang::En => format!("Papers issued ({present} deputies present)"),
                    },
                    &cur.to_string(),
                    Purpose::Issued { ballot: id },
                )
            }
            Cmd::Returned => {
                let cur = self
                    .current_ballot()
                    .and_then(|b| b.returned_declared)
                    .map(|r| r.to_string())
                    .unwrap_or_default();
                self.prompt(
                    lang.t(
                        "收回票数(总监票人清点票箱所得)",
                        "Papers returned (the chief scrutineer's count of the box)",
                    )
                    .to_string(),
                    &cur,
                    Purpose::Returned { ballot: id },
                )
            }
            Cmd::Staff => {
                let b = self.current_ballot();
                let cur = b
                    .map(|b| format!("{} / {}", b.scrutineers.join("、"), b.clerks.join("、")))
                    .unwrap_or_default();
                self.prompt(
                    lang.t(
                        "监票人(总监票人在前)/ 计票人,用顿号或空格分隔",
                        "Scrutineers (chief first) / clerks, separated by spaces",
                    )
                    .to_string(),
                    &cur,
                    Purpose::Staff { ballot: id },
                )
            }
            Cmd::Totals => {
                let cur = match &self.current_ballot().map(|b| &b.counter) {
                    Some(crate::domain::ballots::Counter::Resolution(Some(t))) => {
                        format!("{} {} {} {}", t.yes, t.no, t.abstain, t.not_pressed)
                    }
                    _ => String::new(),
                };
                self.prompt(
                    lang.t(
                        "表决结果:赞成 反对 弃权 [未按],用空格分隔",
                        "Totals: yes no abstain [not pressed], space separated",
                    )
                    .to_string(),
                    &cur,
                    Purpose::Totals { ballot: id },
                )
            }
            Cmd::Announce => {
                let st = self.engine.state();
                let Some(b) = self.current_ballot() else {
                    return true;
                };
                // The question first: a long announcement may not fit the screen.
                let mut lines = vec![
                    lang.t(
                        "确认宣布?宣布后锁定,不能再录入或修改。(y 宣布 / n 取消)",
                        "Announce? The count is locked afterwards. (y announce / n cancel)",
                    )
                    .to_string(),
                    String::new(),
                ];
                lines.extend(announcement(st, b).iter().map(|t| t.get(lang).to_string()));
                self.modal = Some(Modal::Confirm {
                    prompt: lines.join("\n"),
                    action: Action::AnnounceBallot { ballot: id },
                });
            }
            Cmd::NextRound => {
                let st = self.engine.state();
                let Some(item) = self.count.item else {
                    return true;
                };
                match st.ballots.next_round(item) {
                    Some((kind, cands, places)) => {
                        let all: Vec<&str> = st.def.agenda[item]
                            .ballot
                            .as_ref()
                            .map(|d| {
                                cands
                                    .iter()
                                    .map(|&i| d.candidates[i].name.as_str())
                                    .collect()
                            })
                            .unwrap_or_default();
                        let what = match (kind, lang) {
                            (crate::domain::ballots::RoundKind::RunOff, Lang::Zh) => "再次投票",
                            (crate::domain::ballots::RoundKind::FurtherRound, Lang::Zh) => {
                                "另行投票"
                            }
                            (_, Lang::Zh) => "重新投票",
                            (crate::domain::ballots::RoundKind::RunOff, Lang::En) => "run-off",
                            (crate::domain::ballots::RoundKind::FurtherRound, Lang::En) => {
                                "further round"
                            }
                            (_, Lang::En) => "repeat vote",
                        };
                        let prompt = match lang {
                            Lang::Zh => format!(
                                "发起{what}:候选 {} 个({}),应选 {places} 个。(y 确认 / n 取消)",
                                cands.len(),
                                all.join("、")
                            ),
                            Lang::En => format!(
                                "Create the {what}: {} candidates ({}), {places} place(s). (y / n)",
                                cands.len(),
                                all.join(", ")
                            ),
                        };
                        self.modal = Some(Modal::Confirm {
                            prompt,
                            action: Action::CreateRound { ballot: id },
                        });
                    }
                    None => self.flash_err(
                        lang.t(
                            "无需再次投票:最后一轮须已宣布,且有并列、名额未满或投票无效",
                            "no further round is due",
                        )
                        .to_string(),
                    ),
                }
            }
            Cmd::DoubleEntry => self.prompt(
                lang.t(
                    "双人录入比对:第一位计票人的批次文件路径",
                    "Double entry: the first clerk's batch file",
                )
                .to_string(),
                "",
                Purpose::DoubleFirst,
            ),
            Cmd::ImportBatches => self.prompt(
                lang.t(
                    "导入录入站批次:文件或文件夹路径(如U盘 /media/usb)",
                    "Import station batches: a file or folder (e.g. a USB stick, /media/usb)",
                )
                .to_string(),
                "/media",
                Purpose::ImportBatches,
            ),
            Cmd::ProjectorResults => {
                let show = !self.projector_results();
                let saved = self.engine.store().save_setting(
                    crate::tui::projector::SHOW_RESULTS,
                    if show { "1" } else { "0" },
                );
                match saved {
                    Ok(()) => {
                        self.flash = Some(Flash {
                            text: if show {
                                lang.t("投影屏:显示实时结果", "projector: live results shown")
                                    .to_string()
                            } else {
                                lang.t("投影屏:只显示清点张数", "projector: papers counted only")
                                    .to_string()
                            },
                            ok: true,
                        })
                    }
                    Err(e) => self.flash_err(e.text().get(lang).to_string()),
                }
            }
            Cmd::ReopenBallot => self.prompt(
                lang.t(
                    "重新开启已宣布的结果:须填写理由(将记录在案)",
                    "Re-open an announced result: reason (recorded)",
                )
                .to_string(),
                "",
                Purpose::ReopenBallot { ballot: id },
            ),
            Cmd::PrevRoundView | Cmd::NextRoundView => {
                let st = self.engine.state();
                let Some(item) = self.count.item else {
                    return true;
                };
                let rounds = st.ballots.rounds_of(item).count();
                let cur = self.count.round.unwrap_or(rounds.saturating_sub(1));
                let next = if cmd == Cmd::PrevRoundView {
                    cur.saturating_sub(1)
                } else {
                    (cur + 1).min(rounds.saturating_sub(1))
                };
                self.count.round = (next + 1 < rounds).then_some(next);
                self.count.sync(self.engine.state());
            }
            _ => return false,
        }
        true
    }

    fn select_motion(&mut self, delta: isize) {
        let Some(item) = self.count.item else { return };
        let n = self.engine.state().ballots.of_item(item).count();
        if n == 0 {
            return;
        }
        self.count.motion = (self.count.motion as isize + delta).clamp(0, n as isize - 1) as usize;
    }

    /// Record the paper on the desk (or the correction being made).
    fn record_entry(&mut self, id: &str, void_reason: Option<String>) {
        if let Some(serial) = self.count.entry.correcting.clone() {
            let marks = self.count.entry.letters();
            self.prompt(
                match self.lang {
                    Lang::Zh => format!("更正选票 {serial} 为 {marks}:请填写理由"),
                    Lang::En => format!("Correct paper {serial} to {marks}: reason"),
                },
                "",
                Purpose::CorrectReason {
                    ballot: id.to_string(),
                    serial,
                    marks,
                },
            );
            return;
        }
        let station = self.engine.store().station().to_string();
        let Some(serial) = self.current_ballot().map(|b| b.next_serial(&station)) else {
            return;
        };
        let marks = self.count.entry.letters();
        let ok = self.execute(Action::RecordPaper {
            ballot: id.to_string(),
            serial: serial.clone(),
            marks,
            void_reason,
        });
        if ok {
            let n = self.current_ballot().map_or(0, |b| b.candidates.len());
            self.count.entry = Entry::new(n);
            self.describe_recorded(&serial);
        }
    }

    /// After a paper is recorded, the flash says what it counted as, so the clerk can check it.
    fn describe_recorded(&mut self, serial: &str) {
        let lang = self.lang;
        let Some(b) = self.current_ballot() else {
            return;
        };
        let Some(p) = b.paper(serial) else { return };
        let verdict = match &p.void {
            None => lang.t("有效", "valid").to_string(),
            Some(crate::domain::ballot::VoidReason::TooManyYes { yes, places }) => match lang {
                Lang::Zh => format!("无效(赞成 {yes} 个,超过应选 {places} 个)"),
                Lang::En => format!("VOID ({yes} yes marks for {places} places)"),
            },
            Some(crate::domain::ballot::VoidReason::Hand { reason }) => match lang {
                Lang::Zh => format!("无效(作废:{reason})"),
                Lang::En => format!("VOID (ruled void: {reason})"),
            },
        };
        let progress = match lang {
            Lang::Zh => format!("已录入 {} / 收回 {}", b.keyed(), b.returned()),
            Lang::En => format!("keyed {} / returned {}", b.keyed(), b.returned()),
        };
        let ok = p.void.is_none();
        let seq = p.seq;
        self.flash = Some(Flash {
            text: format!(
                "✓ #{seq} {} {serial} {} · {verdict} · {progress}",
                lang.t("选票", "paper"),
                p.marks
            ),
            ok,
        });
    }

    /// Import the batch files at `path`; each batch is one transaction, repeats are skipped.
    pub fn import_batches(&mut self, path: &str) -> bool {
        let lang = self.lang;
        match crate::batch::import_path(&mut self.engine, std::path::Path::new(path.trim()), lang) {
            Ok(lines) => {
                self.count.sync(self.engine.state());
                self.flash = Some(Flash {
                    text: format!("✓ {}", lines.join("; ")),
                    ok: true,
                });
                true
            }
            Err(t) => {
                // What was imported before the refusal stays imported (each batch is its own
                // transaction); the state shows it.
                self.count.sync(self.engine.state());
                self.flash_err(t.get(lang).to_string());
                false
            }
        }
    }

    /// A count prompt was submitted. Returns true when it is done (the prompt closes).
    pub fn submit_count(&mut self, purpose: &Purpose, text: &str) -> bool {
        let lang = self.lang;
        let number = |s: &str| s.trim().parse::<u32>().ok();
        match purpose {
            Purpose::Issued { ballot } => match number(text) {
                Some(issued) => self.execute(Action::SetIssued {
                    ballot: ballot.clone(),
                    issued,
                }),
                None => {
                    self.flash_err(lang.t("请输入数字", "enter a number").to_string());
                    false
                }
            },
            Purpose::Returned { ballot } => match number(text) {
                Some(returned) => self.execute(Action::SetReturned {
                    ballot: ballot.clone(),
                    returned,
                }),
                None => {
                    self.flash_err(lang.t("请输入数字", "enter a number").to_string());
                    false
                }
            },
            Purpose::VoidReason { ballot, marks } => {
                if text.is_empty() {
                    self.flash_err(
                        lang.t("作废须说明理由", "a void paper needs a reason")
                            .to_string(),
                    );
                    return false;
                }
                let station = self.engine.store().station().to_string();
                let Some(serial) = self.current_ballot().map(|b| b.next_serial(&station)) else {
                    return true;
                };
                let ok = self.execute(Action::RecordPaper {
                    ballot: ballot.clone(),
                    serial: serial.clone(),
                    marks: marks.clone(),
                    void_reason: Some(text.to_string()),
                });
                if ok {
                    let n = self.current_ballot().map_or(0, |b| b.candidates.len());
                    self.count.entry = Entry::new(n);
                    self.describe_recorded(&serial);
                }
                ok
            }
            Purpose::AllExcept => {
                let n = self.count.entry.marks.len();
                match parse_numbers(text, n) {
                    Ok(except) => {
                        self.count.entry.all_except('Y', 'N', &except);
                        true
                    }
                    Err(bad) => {
                        self.flash_err(match lang {
                            Lang::Zh => format!("序号“{bad}”不对:应为 1 到 {n}"),
                            Lang::En => format!("\"{bad}\" is not a number from 1 to {n}"),
                        });
                        false
                    }
                }
            }
            Purpose::CorrectSerial { ballot } => {
                let found = self.current_ballot().and_then(|b| {
                    b.paper(text)
                        .map(|p| (p.marks.clone(), p.live(), b.candidates.len()))
                });
                match found {
                    Some((marks, true, n)) => {
                        self.count.entry = Entry::for_correction(&marks, n, text);
                        self.flash = Some(Flash {
                            text: match lang {
                                Lang::Zh => {
                                    format!("正在更正选票 {text}:改好标记后按 Enter,Esc 放弃")
                                }
                                Lang::En => format!(
                                    "Correcting paper {text}: change the marks, then Enter; Esc gives up"
                                ),
                            },
                            ok: true,
                        });
                        let _ = ballot;
                        true
                    }
                    Some((_, false, _)) => {
                        self.flash_err(
                            lang.t("该选票已剔除或撤销", "that paper was struck or undone")
                                .to_string(),
                        );
                        false
                    }
                    None => {
                        self.flash_err(match lang {
                            Lang::Zh => format!("没有编号为“{text}”的选票"),
                            Lang::En => format!("no paper with serial \"{text}\""),
                        });
                        false
                    }
                }
            }
            Purpose::CorrectReason {
                ballot,
                serial,
                marks,
            } => {
                let ok = self.execute(Action::CorrectPaper {
                    ballot: ballot.clone(),
                    serial: serial.clone(),
                    marks: marks.clone(),
                    void_reason: None,
                    reason: text.to_string(),
                });
                if ok {
                    let n = self.current_ballot().map_or(0, |b| b.candidates.len());
                    self.count.entry = Entry::new(n);
                }
                ok
            }
            Purpose::StrikeSerial { ballot } => {
                if self.current_ballot().and_then(|b| b.paper(text)).is_none() {
                    self.flash_err(match lang {
                        Lang::Zh => format!("没有编号为“{text}”的选票"),
                        Lang::En => format!("no paper with serial \"{text}\""),
                    });
                    return false;
                }
                let serial = text.to_string();
                self.prompt(
                    match lang {
                        Lang::Zh => format!("剔除选票 {serial}:请填写理由"),
                        Lang::En => format!("Strike paper {serial}: reason"),
                    },
                    "",
                    Purpose::StrikeReason {
                        ballot: ballot.clone(),
                        serial,
                    },
                );
                // The next prompt is open: not "done", but nothing to restore either.
                false
            }
            Purpose::StrikeReason { ballot, serial } => self.execute(Action::StrikePaper {
                ballot: ballot.clone(),
                serial: serial.clone(),
                reason: text.to_string(),
            }),
            Purpose::Staff { ballot } => {
                let (s, c) = text.split_once('/').unwrap_or((text, ""));
                let split = |x: &str| {
                    x.split(|ch: char| ch.is_whitespace() || matches!(ch, '、' | ',' | '\u{ff0c}'))
                        .filter(|t| !t.is_empty())
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                };
                self.execute(Action::SetStaff {
                    ballot: ballot.clone(),
                    scrutineers: split(s),
                    clerks: split(c),
                })
            }
            Purpose::Totals { ballot } => {
                let nums: Vec<Option<u32>> = text
                    .split(|c: char| {
                        c.is_whitespace() || matches!(c, ',' | '\u{ff0c}' | '、' | '/')
                    })
                    .filter(|t| !t.is_empty())
                    .map(number)
                    .collect();
                match nums.as_slice() {
                    [Some(y), Some(n), Some(a)] => self.execute(Action::RecordVote {
                        ballot: ballot.clone(),
                        yes: *y,
                        no: *n,
                        abstain: *a,
                        not_pressed: 0,
                    }),
                    [Some(y), Some(n), Some(a), Some(np)] => self.execute(Action::RecordVote {
                        ballot: ballot.clone(),
                        yes: *y,
                        no: *n,
                        abstain: *a,
                        not_pressed: *np,
                    }),
                    _ => {
                        self.flash_err(
                            lang.t(
                                "请输入三个或四个数字:赞成 反对 弃权 [未按]",
                                "enter three or four numbers: yes no abstain [not pressed]",
                            )
                            .to_string(),
                        );
                        false
                    }
                }
            }
            Purpose::ReopenBallot { ballot } => self.execute(Action::ReopenBallot {
                ballot: ballot.clone(),
                reason: text.to_string(),
            }),
            // Agenda and question prompts are submitted elsewhere.
            _ => true,
        }
    }
}
