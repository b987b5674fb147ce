//! The count screen at the console: which ballot is on the desk, the intents of
//! `screens::paper` (the paper keyed) and `screens::count` (the procedure) carried out, and
//! what their prompts submit (figures, staff, corrections, imports).

use crate::domain::action::Action;
use crate::domain::ballots::{BallotState, CountKind};
use crate::domain::session::ItemKind;
use crate::domain::state::SessionState;
use crate::i18n::Lang;
use crate::tui::app::{App, Flash, Modal, Purpose};
use crate::tui::confirm::Then;
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

    /// What the count on the desk is called (票决, 票荐, 测评, 表决): its warnings say so.
    fn count_name(&self) -> crate::i18n::Text {
        let st = self.engine.state();
        self.current_ballot().map_or_else(
            || crate::text!("投票", "vote"),
            |b| crate::domain::words::Words::of_kind(&st.def.agenda[b.item], b.kind).name(),
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
        self.count.sync(self.engine.state());
        let lang = self.lang;
        if self.ruling_here() {
            return self.ruling_dispatch(cmd);
        }
        let half_keyed = self.half_keyed();
        if let Some(b) = self.count.ballot(self.engine.state()) {
            let seen = crate::tui::app::seen_of(&self.engine, lang, half_keyed);
            let intent = crate::tui::screens::paper::keying(&seen, &mut self.count.entry, b, cmd)
                .or_else(|| crate::tui::screens::count::procedure(&seen, b, cmd));
            if let Some(intent) = intent {
                self.apply(intent);
                return true;
            }
        }
        match cmd {
            Cmd::ScanFolder | Cmd::Adjudicate => self.scan_dispatch(cmd, &id),
            Cmd::Up if kind == CountKind::Resolution => self.select_motion(-1),
            Cmd::Down if kind == CountKind::Resolution => self.select_motion(1),
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

    /// A typed key that no binding of this paper takes: on a paper being keyed it stops the
    /// paper at its row (returns whether the screen changed).
    pub fn count_slip(&mut self, key: &ratatui::crossterm::event::KeyEvent) -> bool {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let KeyCode::Char(ch) = key.code else {
            return false;
        };
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            || self.ruling_here()
            || self.modal.is_some()
        {
            return false;
        }
        let Some(b) = self.count.ballot(self.engine.state()) else {
            return false;
        };
        let seen = crate::tui::app::seen_of(&self.engine, self.lang, None);
        match crate::tui::screens::paper::slip(&seen, &mut self.count.entry, b, ch) {
            Some(intent) => {
                self.apply(intent);
                true
            }
            None => false,
        }
    }

    /// A paper was recorded from the desk: a fresh paper for the next one, and the flash says
    /// what this one counted as.
    pub(crate) fn paper_recorded(&mut self, serial: &str) {
        let n = self.current_ballot().map_or(0, |b| b.candidates.len());
        self.count.entry = Entry::new(n);
        self.describe_recorded(serial);
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
            // 收回 only as declared (F3), never the papers keyed in its place
            Lang::Zh => match b.returned_declared {
                Some(r) => format!("已录入 {} / 收回 {r}", b.keyed()),
                None => format!("已录入 {}", b.keyed()),
            },
            Lang::En => match b.returned_declared {
                Some(r) => format!("keyed {} / returned {r}", b.keyed()),
                None => format!("keyed {}", b.keyed()),
            },
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
                // Lowering 发出 below the 收回 declared voids the vote, as a 收回 above 发出
                // does: asked the same way, not taken on one Enter.
                Some(issued)
                    if self
                        .current_ballot()
                        .and_then(|b| b.returned_declared)
                        .is_some_and(|r| r > issued)
                        && issued <= self.engine.state().attendance.present =>
                {
                    let returned = self
                        .current_ballot()
                        .and_then(|b| b.returned_declared)
                        .unwrap_or(0);
                    let name = self.count_name();
                    self.ask(
                        lang.t("发出票数少于收回票数", "Fewer papers issued than returned")
                            .to_string(),
                        vec![match lang {
                            Lang::Zh => format!(
                                "发出 {issued} 张少于已登记的收回 {returned} 张:收回多于发出,本次{}无效,须重新进行。请先核对发出票数;确属如此再确认。",
                                name.zh
                            ),
                            Lang::En => format!(
                                "{issued} issued is fewer than the {returned} returned: more returned than issued voids this {}, which must be held again. Check the papers issued first; confirm only if it is so.",
                                name.en
                            ),
                        }],
                        lang.t("记下发出票数", "record it"),
                        Then::execute(Action::SetIssued {
                            ballot: ballot.clone(),
                            issued,
                        }),
                    );
                    false
                }
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
                Some(returned)
                    if self
                        .current_ballot()
                        .and_then(|b| b.issued)
                        .is_some_and(|i| returned > i)
                        && returned <= self.engine.state().attendance.total =>
                {
                    let issued = self.current_ballot().and_then(|b| b.issued).unwrap_or(0);
                    let name = self.count_name();
                    self.ask(
                        lang.t("收回票数多于发出票数", "More papers returned than issued").to_string(),
                        vec![match lang {
                            Lang::Zh => format!(
                                "收回 {returned} 张多于发出 {issued} 张:收回多于发出,本次{}无效,须重新进行。请先核对票箱;确属如此再确认。",
                                name.zh
                            ),
                            Lang::En => format!(
                                "{returned} returned is more than the {issued} issued: more returned than issued voids this {}, which must be held again. Check the box first; confirm only if it is so.",
                                name.en
                            ),
                        }],
                        lang.t("记下收回票数", "record it"),
                        Then::execute(Action::SetReturned {
                            ballot: ballot.clone(),
                            returned,
                        }),
                    );
                    false
                }
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
                let serial = match self.current_ballot().map(|b| short_serial(b, text, lang)) {
                    Some(Ok(s)) => s,
                    Some(Err(why)) => {
                        self.flash_err(why);
                        return false;
                    }
                    None => return true,
                };
                let text = serial.as_str();
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
                let serial = match self.current_ballot().map(|b| short_serial(b, text, lang)) {
                    Some(Ok(s)) => s,
                    Some(Err(why)) => {
                        self.flash_err(why);
                        return false;
                    }
                    None => return true,
                };
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
            Purpose::StrikeReason { ballot, serial } => {
                if text.is_empty() {
                    self.flash_err(
                        lang.t("剔除选票须说明理由", "striking a paper needs a reason")
                            .to_string(),
                    );
                    return false;
                }
                let (marks, keyed) = self
                    .current_ballot()
                    .map(|b| {
                        (
                            b.paper(serial).map(|p| p.marks.clone()).unwrap_or_default(),
                            b.keyed(),
                        )
                    })
                    .unwrap_or_default();
                self.ask(
                    lang.t("剔除选票", "Strike a paper").to_string(),
                    vec![match lang {
                        Lang::Zh => format!(
                            "剔除选票 {serial}({marks}),理由:{text}。剔除后不再计入,已录入 {} 张(剔除记录在案)。",
                            keyed.saturating_sub(1)
                        ),
                        Lang::En => format!(
                            "Strike paper {serial} ({marks}), reason: {text}. It no longer counts; {} papers will be keyed (recorded).",
                            keyed.saturating_sub(1)
                        ),
                    }],
                    lang.t("剔除", "strike it"),
                    Then::execute(Action::StrikePaper {
                        ballot: ballot.clone(),
                        serial: serial.clone(),
                        reason: text.to_string(),
                    }),
                );
                // The confirmation is open: nothing to restore.
                false
            }
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
            Purpose::ReopenBallot { ballot } => {
                if text.is_empty() {
                    self.flash_err(
                        lang.t("重新开启须说明理由", "re-opening needs a reason")
                            .to_string(),
                    );
                    return false;
                }
                let label =
                    crate::domain::describe::ballot_label(&self.engine.state().def, ballot, lang);
                self.ask(
                    lang.t("重新开启已宣布的结果", "Re-open an announced result").to_string(),
                    vec![match lang {
                        Lang::Zh => format!(
                            "重新开启“{label}”:已宣布的结果撤回,计票解除锁定,可再更正;理由“{text}”记录在案,之后须重新宣布。"
                        ),
                        Lang::En => format!(
                            "Re-open \"{label}\": the announced result is withdrawn and the count unlocked for corrections; the reason \"{text}\" is recorded and the result must be announced again."
                        ),
                    }],
                    lang.t("重新开启", "re-open it"),
                    Then::execute(Action::ReopenBallot {
                        ballot: ballot.clone(),
                        reason: text.to_string(),
                    }),
                );
                false
            }
            // Agenda and question prompts are submitted elsewhere.
            _ => true,
        }
    }
}

/// The paper a clerk means by what they typed: its serial, or the number at its end when only
/// one counted paper ends with that number (`7` for `main-0007`).
fn short_serial(b: &BallotState, typed: &str, lang: Lang) -> Result<String, String> {
    let typed = typed.trim();
    // A paper undone or struck out is no longer counted: name it and why, not "no such paper".
    let gone = |p: &crate::domain::ballots::PaperRecord| {
        let why = p.struck.clone().unwrap_or_default();
        match lang {
            Lang::Zh => format!("选票 {} 已不再计入({why}),不能再更正或剔除", p.serial),
            Lang::En => format!(
                "paper {} is no longer counted ({why}); it cannot be corrected or struck",
                p.serial
            ),
        }
    };
    if let Some(p) = b.paper(typed) {
        return if p.live() {
            Ok(typed.to_string())
        } else {
            Err(gone(p))
        };
    }
    let not_found = || match lang {
        Lang::Zh => format!("没有编号为“{typed}”的选票"),
        Lang::En => format!("no paper with serial \"{typed}\""),
    };
    let Ok(n) = typed.parse::<u64>() else {
        return Err(not_found());
    };
    let number_of = |serial: &str| {
        let digits: String = serial
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        digits.parse::<u64>().ok()
    };
    let hits: Vec<&str> = b
        .papers
        .iter()
        .filter(|p| p.live() && number_of(&p.serial) == Some(n))
        .map(|p| p.serial.as_str())
        .collect();
    match hits.as_slice() {
        [one] => Ok(one.to_string()),
        [] => Err(b
            .papers
            .iter()
            .rev()
            .find(|p| number_of(&p.serial) == Some(n))
            .map_or_else(not_found, gone)),
        many => Err(match lang {
            Lang::Zh => format!("“{typed}”可指多张选票:{},请输入完整编号", many.join("、")),
            Lang::En => format!(
                "\"{typed}\" could be several papers: {}; type the whole serial",
                many.join(", ")
            ),
        }),
    }
}
