//! The questions and commitments screens' behaviour: running a question through its phases,
//! notes, ratings, commitments, the queue's order, and commitment follow-up.

use crate::domain::action::Action;
use crate::domain::questions::{CStatus, QuestionState};
use crate::domain::session::{QuestionDef, Respondent};
use crate::i18n::Lang;
use crate::tui::app::{App, Modal, Purpose};
use crate::tui::input::TextInput;
use crate::tui::keys::Cmd;

/// Split a prompt's answer on `/` (also full-width ／), trimming each part.
fn fields(text: &str) -> Vec<String> {
    text.split(['/', '\u{ff0f}'])
        .map(|s| s.trim().to_string())
        .collect()
}

impl App {
    /// The selected question of the shown queue: (item id, question id, state).
    pub fn selected_question(&self) -> Option<(String, &QuestionState)> {
        let st = self.engine.state();
        let q = st.queues.get(self.queue)?;
        let qs = q.questions.get(self.qsel)?;
        Some((st.def.agenda[q.item].id.clone(), qs))
    }

    /// The question a run command applies to: the one in progress, else the selected one.
    fn target_question(&self) -> Option<(String, String)> {
        let st = self.engine.state();
        let q = st.queues.get(self.queue)?;
        let k = q.active().unwrap_or(self.qsel);
        let qs = q.questions.get(k)?;
        Some((st.def.agenda[q.item].id.clone(), qs.def.id.clone()))
    }

    fn open_prompt(&mut self, title: String, input: TextInput, purpose: Purpose) {
        self.modal = Some(Modal::Input {
            title,
            input,
            purpose,
        });
    }

    pub fn question_dispatch(&mut self, cmd: Cmd) -> bool {
        let lang = self.lang;
        if self.engine.state().queues.is_empty() {
            if matches!(
                cmd,
                Cmd::CallQ
                    | Cmd::AnswerQ
                    | Cmd::FollowUpQ
                    | Cmd::FinishQ
                    | Cmd::PauseQ
                    | Cmd::NoteQ
                    | Cmd::RateQ
            ) {
                self.flash_err(
                    lang.t("议程中没有询问议程", "the agenda has no questioning item")
                        .to_string(),
                );
                return true;
            }
            return false;
        }
        let Some((item, question)) = self.target_question() else {
            return false;
        };
        let selected = self.selected_question().map(|(_, q)| q.def.id.clone());
        // The question a prompt is about, named in its title.
        let topic = self
            .engine
            .state()
            .queues
            .get(self.queue)
            .and_then(|q| {
                q.index(&question)
                    .ok()
                    .map(|k| q.questions[k].def.topic.clone())
            })
            .unwrap_or_default();
        match cmd {
            Cmd::CallQ => {
                // Call the selected question (the target would be the one in progress).
                let Some(q) = selected else { return true };
                let away = self.selected_question().and_then(|(_, qs)| {
                    let st = self.engine.state();
                    let i = st.deputy_index(&qs.def.deputy)?;
                    let p = st.presence[i];
                    matches!(
                        p,
                        crate::domain::quorum::Presence::Leave
                            | crate::domain::quorum::Presence::Absent
                    )
                    .then(|| (st.def.deputies[i].name.clone(), p, qs.def.group.clone().unwrap_or_else(|| st.def.deputies[i].group.clone())))
                });
                match away {
                    Some((name, p, group)) => self.open_prompt(
                        match lang {
                            Lang::Zh => format!(
                                "提问代表{name}{}:输入{group}在场代表的编号或姓名代为提问;留空按 Enter 则延后该问题",
                                p.label(lang)
                            ),
                            Lang::En => format!(
                                "The questioner {name} is {}: the id or name of a deputy of {group} who is present asks instead; Enter on an empty line defers the question",
                                p.label(lang)
                            ),
                        },
                        TextInput::default(),
                        Purpose::Substitute { item, question: q },
                    ),
                    None => {
                        self.execute(Action::CallQuestion {
                            item,
                            question: q,
                            asker: None,
                        });
                    }
                }
            }
            Cmd::AnswerQ => {
                self.execute(Action::StartAnswer { item, question });
            }
            Cmd::FollowUpQ => {
                self.execute(Action::StartFollowUp { item, question });
            }
            Cmd::FinishQ => {
                // The ended question stays selected: its rating and commitments come next.
                let k = self.engine.state().queues[self.queue].index(&question).ok();
                if self.execute(Action::FinishQuestion { item, question })
                    && let Some(k) = k
                {
                    self.qsel = k;
                }
            }
            Cmd::PauseQ => {
                let paused = self
                    .engine
                    .state()
                    .queues
                    .get(self.queue)
                    .and_then(|q| q.active().map(|k| q.questions[k].paused))
                    .unwrap_or(false);
                if paused {
                    self.execute(Action::ResumeQuestion { item, question });
                } else {
                    self.execute(Action::PauseQuestion { item, question });
                }
            }
            Cmd::NoteQ => self.open_prompt(
                lang.t(
                    "记录答复要点(Ctrl-J 或 Alt-Enter 换行,Enter 保存)",
                    "Answer notes (Ctrl-J or Alt-Enter for a new line, Enter saves)",
                )
                .to_string(),
                TextInput::multiline(),
                Purpose::AnswerNote { item, question },
            ),
            Cmd::RateQ => self.open_prompt(
                match lang {
                    Lang::Zh => format!("现场测评“{topic}”:满意 基本满意 不满意 弃权(四个数,空格分隔)"),
                    Lang::En => format!("Rating of \"{topic}\": satisfied basically unsatisfied abstain (four numbers)"),
                },
                TextInput::default(),
                Purpose::Rating { item, question },
            ),
            Cmd::CommitQ => self.open_prompt(
                match lang {
                    Lang::Zh => format!("“{topic}”的承诺:事项 / 责任单位 / 完成时限(YYYY-MM-DD)"),
                    Lang::En => format!("Commitment on \"{topic}\": what / responsible unit / due (YYYY-MM-DD)"),
                },
                TextInput::default(),
                Purpose::Commitment { item, question },
            ),
            Cmd::WithdrawQ | Cmd::DeferQ | Cmd::RestoreQ => {
                let Some(q) = selected else { return true };
                let (title, purpose) = match cmd {
                    Cmd::WithdrawQ => (lang.t("撤回问题:理由", "Withdraw the question: reason"), Purpose::WithdrawQ { item, question: q }),
                    Cmd::DeferQ => (lang.t("延后问题:理由", "Defer the question: reason"), Purpose::DeferQ { item, question: q }),
                    _ => (lang.t("恢复问题:理由", "Restore the question: reason"), Purpose::RestoreQ { item, question: q }),
                };
                self.open_prompt(title.to_string(), TextInput::default(), purpose);
            }
            Cmd::AddQ => self.open_prompt(
                lang.t(
                    "现场提问:代表编号或姓名 / 主题 / 应询人职务 / 应询人姓名 / 单位",
                    "On-the-spot question: deputy id or name / topic / respondent's post / name / unit",
                )
                .to_string(),
                TextInput::default(),
                Purpose::AddQuestion { item },
            ),
            Cmd::MoveUpQ | Cmd::MoveDownQ => {
                let Some(q) = selected else { return true };
                let n = self.engine.state().queues[self.queue].questions.len();
                let to = if cmd == Cmd::MoveUpQ {
                    self.qsel.checked_sub(1)
                } else {
                    (self.qsel + 1 < n).then_some(self.qsel + 1)
                };
                if let Some(to) = to
                    && self.execute(Action::MoveQuestion { item, question: q, to })
                {
                    self.qsel = to;
                }
            }
            // Tab switches queues when the agenda has more than one questioning item.
            _ => return false,
        }
        true
    }

    pub fn commitment_dispatch(&mut self, cmd: Cmd) -> bool {
        let lang = self.lang;
        let Some(c) = self.engine.state().commitments.get(self.csel) else {
            return !matches!(
                cmd,
                Cmd::NextScreen
                    | Cmd::PrevScreen
                    | Cmd::GoTo(_)
                    | Cmd::Help
                    | Cmd::Quit
                    | Cmd::Up
                    | Cmd::Down
                    | Cmd::PageUp
                    | Cmd::PageDown
                    | Cmd::Top
                    | Cmd::Bottom
            ) && matches!(
                cmd,
                Cmd::CommitOpen | Cmd::CommitProgress | Cmd::CommitDone | Cmd::CommitNote
            );
        };
        let id = c.id.clone();
        let status = c.status;
        match cmd {
            Cmd::CommitOpen | Cmd::CommitProgress | Cmd::CommitDone => {
                let to = match cmd {
                    Cmd::CommitOpen => CStatus::Open,
                    Cmd::CommitProgress => CStatus::InProgress,
                    _ => CStatus::Done,
                };
                self.execute(Action::UpdateCommitment {
                    commitment: id,
                    status: to,
                    note: String::new(),
                });
            }
            Cmd::CommitNote => self.open_prompt(
                match lang {
                    Lang::Zh => format!("承诺 {id} 办理情况(状态:{})", status.label(lang)),
                    Lang::En => format!(
                        "Commitment {id}: progress note (status: {})",
                        status.label(lang)
                    ),
                },
                TextInput::default(),
                Purpose::CommitmentNote { id },
            ),
            _ => return false,
        }
        true
    }

    /// A question prompt was submitted. Returns true when done (the prompt closes).
    pub fn submit_question(&mut self, purpose: &Purpose, text: &str) -> bool {
        let lang = self.lang;
        match purpose {
            Purpose::AnswerNote { item, question } => self.execute(Action::AnswerNote {
                item: item.clone(),
                question: question.clone(),
                text: text.to_string(),
            }),
            Purpose::Rating { item, question } => {
                let nums: Vec<Option<u32>> = text
                    .split(|c: char| {
                        c.is_whitespace() || matches!(c, ',' | '\u{ff0c}' | '、' | '/')
                    })
                    .filter(|t| !t.is_empty())
                    .map(|t| t.parse().ok())
                    .collect();
                match nums.as_slice() {
                    [Some(a), Some(b), Some(c), Some(d)] => self.execute(Action::RateAnswer {
                        item: item.clone(),
                        question: question.clone(),
                        satisfied: *a,
                        basically_satisfied: *b,
                        unsatisfied: *c,
                        abstain: *d,
                    }),
                    _ => {
                        self.flash_err(
                            lang.t(
                                "请输入四个数字:满意 基本满意 不满意 弃权",
                                "enter four numbers",
                            )
                            .to_string(),
                        );
                        false
                    }
                }
            }
            Purpose::Commitment { item, question } => match fields(text).as_slice() {
                // A due date before today is a slip of the year or month: say so, record nothing.
                [_, _, due]
                    if crate::domain::questions::check_due(due)
                        .is_ok_and(|d| d < self.engine.now().date_naive()) =>
                {
                    let d = crate::domain::questions::check_due(due).unwrap_or_default();
                    let today = self.engine.now().date_naive();
                    self.flash_err(match lang {
                        Lang::Zh => format!("完成时限 {d} 早于今天({today}),未记录:请核对年份和月份"),
                        Lang::En => format!("due date {d} is before today ({today}); nothing recorded: check the year and month"),
                    });
                    false
                }
                [what, unit, due] => self.execute(Action::AddCommitment {
                    item: item.clone(),
                    question: question.clone(),
                    text: what.clone(),
                    unit: unit.clone(),
                    due: due.clone(),
                }),
                _ => {
                    self.flash_err(
                        lang.t(
                            "格式:事项 / 责任单位 / 完成时限",
                            "format: what / responsible unit / due date",
                        )
                        .to_string(),
                    );
                    false
                }
            },
            Purpose::WithdrawQ { item, question } => {
                if text.is_empty() {
                    self.flash_err(
                        lang.t("撤回问题须说明理由", "withdrawing needs a reason")
                            .to_string(),
                    );
                    return false;
                }
                let topic = self
                    .engine
                    .state()
                    .queues
                    .get(self.queue)
                    .and_then(|q| {
                        q.index(question)
                            .ok()
                            .map(|k| q.questions[k].def.topic.clone())
                    })
                    .unwrap_or_default();
                self.ask(
                    lang.t("撤回问题", "Withdraw a question").to_string(),
                    vec![match lang {
                        Lang::Zh => format!(
                            "撤回问题“{topic}”,理由:{text}。撤回后不再提问(可用 u 恢复,恢复也记录在案)。"
                        ),
                        Lang::En => format!(
                            "Withdraw \"{topic}\", reason: {text}. It is not asked (u restores it; both are recorded)."
                        ),
                    }],
                    lang.t("撤回", "withdraw it"),
                    crate::tui::confirm::Then::execute(Action::WithdrawQuestion {
                        item: item.clone(),
                        question: question.clone(),
                        reason: text.to_string(),
                    }),
                );
                false
            }
            Purpose::Substitute { item, question } => {
                if text.is_empty() {
                    return self.execute(Action::DeferQuestion {
                        item: item.clone(),
                        question: question.clone(),
                        reason: lang
                            .t(
                                "提问代表不在场,问题延后",
                                "the questioner is away; deferred",
                            )
                            .to_string(),
                    });
                }
                let st = self.engine.state();
                let id = st
                    .def
                    .deputies
                    .iter()
                    .find(|d| d.id == text || d.name == text)
                    .map(|d| d.id.clone());
                match id {
                    Some(asker) => self.execute(Action::CallQuestion {
                        item: item.clone(),
                        question: question.clone(),
                        asker: Some(asker),
                    }),
                    None => {
                        self.flash_err(match lang {
                            Lang::Zh => format!("花名册中没有“{text}”"),
                            Lang::En => format!("\"{text}\" is not on the roster"),
                        });
                        false
                    }
                }
            }
            Purpose::DeferQ { item, question } => self.execute(Action::DeferQuestion {
                item: item.clone(),
                question: question.clone(),
                reason: text.to_string(),
            }),
            Purpose::RestoreQ { item, question } => self.execute(Action::RestoreQuestion {
                item: item.clone(),
                question: question.clone(),
                reason: text.to_string(),
            }),
            Purpose::AddQuestion { item } => {
                let f = fields(text);
                if f.len() < 4 || f.iter().take(4).any(String::is_empty) {
                    self.flash_err(
                        lang.t(
                            "格式:代表编号或姓名 / 主题 / 应询人职务 / 应询人姓名 [/ 单位]",
                            "format: deputy / topic / respondent's post / name [/ unit]",
                        )
                        .to_string(),
                    );
                    return false;
                }
                let st = self.engine.state();
                let by_name: Vec<&str> = st
                    .def
                    .deputies
                    .iter()
                    .filter(|d| d.name == f[0])
                    .map(|d| d.id.as_str())
                    .collect();
                let deputy = match (st.def.deputy(&f[0]), by_name.as_slice()) {
                    (Some(d), _) => d.id.clone(),
                    (None, [one]) => one.to_string(),
                    (None, []) => {
                        self.flash_err(match lang {
                            Lang::Zh => format!("花名册中没有“{}”", f[0]),
                            Lang::En => format!("\"{}\" is not on the roster", f[0]),
                        });
                        return false;
                    }
                    (None, _) => {
                        self.flash_err(match lang {
                            Lang::Zh => format!("有多位代表名叫“{}”,请输入代表编号", f[0]),
                            Lang::En => {
                                format!("several deputies are called \"{}\"; give the id", f[0])
                            }
                        });
                        return false;
                    }
                };
                let queue = &st.queues[self.queue];
                let n = queue.questions.iter().filter(|q| q.on_the_spot).count() + 1;
                let mut id = format!("s{n}");
                while queue.index(&id).is_ok() {
                    id.push('x');
                }
                let unit = f.get(4).cloned().unwrap_or_default();
                self.execute(Action::AddQuestion {
                    item: item.clone(),
                    question: QuestionDef {
                        id,
                        topic: f[1].clone(),
                        deputy,
                        group: None,
                        respondent: Respondent {
                            post: f[2].clone(),
                            name: f[3].clone(),
                            unit,
                        },
                        ask_minutes: None,
                        answer_minutes: None,
                        followups: None,
                    },
                })
            }
            Purpose::CommitmentNote { id } => {
                let status = self
                    .engine
                    .state()
                    .commitments
                    .iter()
                    .find(|c| c.id == *id)
                    .map(|c| c.status);
                match status {
                    Some(status) => self.execute(Action::UpdateCommitment {
                        commitment: id.clone(),
                        status,
                        note: text.to_string(),
                    }),
                    None => true,
                }
            }
            _ => true,
        }
    }
}
