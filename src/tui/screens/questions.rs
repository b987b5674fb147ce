//! The questions screen: which queue and which question the cursor is on, and what each key
//! asks — running a question through its phases, notes, ratings, commitments, the queue's order.

use crate::domain::action::Action;
use crate::domain::questions::{QuestionState, Queue};
use crate::domain::quorum::Presence;
use crate::domain::session::{QuestionDef, Respondent};
use crate::domain::state::SessionState;
use crate::i18n::Lang;
use crate::tui::confirm::Then;
use crate::tui::intent::{Field, Follow, Intent};
use crate::tui::keys::{Cmd, Screen};
use crate::tui::purpose::Purpose;
use crate::tui::screens::{Seen, navigate};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Questions {
    /// Which questioning item's queue (index into the state's queues).
    pub queue: usize,
    /// The question the cursor is on.
    pub sel: usize,
}

/// Split a prompt's answer on `/` (also full-width ／), trimming each part.
fn fields(text: &str) -> Vec<String> {
    text.split(['/', '\u{ff0f}'])
        .map(|s| s.trim().to_string())
        .collect()
}

impl Questions {
    fn shown<'a>(&self, st: &'a SessionState) -> Option<&'a Queue> {
        st.queues.get(self.queue)
    }

    /// The question under the cursor: (its item's id, its state).
    pub fn selected<'a>(&self, st: &'a SessionState) -> Option<(String, &'a QuestionState)> {
        let q = self.shown(st)?;
        let qs = q.questions.get(self.sel)?;
        Some((st.def.agenda[q.item].id.clone(), qs))
    }

    /// The question a run command applies to: the one in progress, else the cursor's.
    fn target<'a>(&self, st: &'a SessionState) -> Option<(String, &'a QuestionState, usize)> {
        let q = self.shown(st)?;
        let k = q.active().unwrap_or(self.sel);
        let qs = q.questions.get(k)?;
        Some((st.def.agenda[q.item].id.clone(), qs, k))
    }

    /// Open on a queue, at its first question.
    pub fn open(&mut self, queue: usize) {
        self.queue = queue;
        self.sel = 0;
    }

    pub fn on_cmd(&mut self, seen: &Seen, cmd: Cmd) -> Intent {
        let st = seen.st;
        let len = self.shown(st).map_or(0, |q| q.questions.len());
        if let Some(i) = navigate(cmd, Screen::Questions, &mut self.sel, len) {
            return i;
        }
        let ours = matches!(
            cmd,
            Cmd::CallQ
                | Cmd::AnswerQ
                | Cmd::FollowUpQ
                | Cmd::FinishQ
                | Cmd::PauseQ
                | Cmd::NoteQ
                | Cmd::RateQ
                | Cmd::CommitQ
                | Cmd::AddQ
                | Cmd::WithdrawQ
                | Cmd::DeferQ
                | Cmd::RestoreQ
                | Cmd::MoveUpQ
                | Cmd::MoveDownQ
        );
        if !ours {
            return Intent::Nothing;
        }
        let Some(queue) = self.shown(st) else {
            return Intent::Refuse(
                seen.t("议程中没有询问议程", "the agenda has no questioning item")
                    .to_string(),
            );
        };
        let item = st.def.agenda[queue.item].id.clone();
        if cmd == Cmd::AddQ {
            return Intent::prompt(
                seen.t(
                    "现场提问:代表编号或姓名 / 主题 / 应询人职务 / 应询人姓名 / 单位",
                    "On-the-spot question: deputy id or name / topic / respondent's post / name / unit",
                )
                .to_string(),
                Purpose::AddQuestion { item },
            );
        }
        let Some((_, target, at)) = self.target(st) else {
            return Intent::Refuse(
                seen.t(
                    "该询问议程还没有问题",
                    "this questioning item has no questions yet",
                )
                .to_string(),
            );
        };
        let question = target.def.id.clone();
        let topic = &target.def.topic;
        let selected = self.selected(st).map(|(_, q)| q);
        let lang = seen.lang;
        match cmd {
            // Call the cursor's question (the target would be the one in progress).
            Cmd::CallQ => selected.map_or(Intent::Nothing, |q| call(seen, item, q)),
            Cmd::AnswerQ => Intent::Execute(Action::StartAnswer { item, question }),
            Cmd::FollowUpQ => Intent::Execute(Action::StartFollowUp { item, question }),
            // The ended question stays selected: its rating and commitments come next.
            Cmd::FinishQ => Intent::ExecuteThen(
                Action::FinishQuestion { item, question },
                Follow::SelectQuestion(at),
            ),
            Cmd::PauseQ => {
                let paused = queue.active().is_some_and(|k| queue.questions[k].paused);
                Intent::Execute(if paused {
                    Action::ResumeQuestion { item, question }
                } else {
                    Action::PauseQuestion { item, question }
                })
            }
            Cmd::NoteQ => Intent::Prompt {
                title: seen
                    .t(
                        "记录答复要点(Ctrl-J 或 Alt-Enter 换行,Enter 保存)",
                        "Answer notes (Ctrl-J or Alt-Enter for a new line, Enter saves)",
                    )
                    .to_string(),
                purpose: Purpose::AnswerNote { item, question },
                field: Field::Lines,
            },
            Cmd::RateQ => Intent::prompt(
                match lang {
                    Lang::Zh => {
                        format!("现场测评“{topic}”:满意 基本满意 不满意 弃权(四个数,空格分隔)")
                    }
                    Lang::En => format!(
                        "Rating of \"{topic}\": satisfied basically unsatisfied abstain (four numbers)"
                    ),
                },
                Purpose::Rating { item, question },
            ),
            Cmd::CommitQ => Intent::prompt(
                match lang {
                    Lang::Zh => format!("“{topic}”的承诺:事项 / 责任单位 / 完成时限(YYYY-MM-DD)"),
                    Lang::En => format!(
                        "Commitment on \"{topic}\": what / responsible unit / due (YYYY-MM-DD)"
                    ),
                },
                Purpose::Commitment { item, question },
            ),
            Cmd::WithdrawQ | Cmd::DeferQ | Cmd::RestoreQ => {
                let Some(q) = selected.map(|q| q.def.id.clone()) else {
                    return Intent::Nothing;
                };
                let (title, purpose) = match cmd {
                    Cmd::WithdrawQ => (
                        seen.t("撤回问题:理由", "Withdraw the question: reason"),
                        Purpose::WithdrawQ { item, question: q },
                    ),
                    Cmd::DeferQ => (
                        seen.t("延后问题:理由", "Defer the question: reason"),
                        Purpose::DeferQ { item, question: q },
                    ),
                    _ => (
                        seen.t("恢复问题:理由", "Restore the question: reason"),
                        Purpose::RestoreQ { item, question: q },
                    ),
                };
                Intent::prompt(title.to_string(), purpose)
            }
            Cmd::MoveUpQ | Cmd::MoveDownQ => {
                let Some(q) = selected.map(|q| q.def.id.clone()) else {
                    return Intent::Nothing;
                };
                let to = if cmd == Cmd::MoveUpQ {
                    self.sel.checked_sub(1)
                } else {
                    (self.sel + 1 < len).then_some(self.sel + 1)
                };
                match to {
                    Some(to) => Intent::ExecuteThen(
                        Action::MoveQuestion {
                            item,
                            question: q,
                            to,
                        },
                        Follow::SelectQuestion(to),
                    ),
                    None => Intent::Nothing,
                }
            }
            _ => Intent::Nothing,
        }
    }

    /// The questions' prompts, submitted. `None` when the prompt is not theirs.
    pub fn submit(&self, seen: &Seen, purpose: &Purpose, text: &str) -> Option<Intent> {
        let (st, lang) = (seen.st, seen.lang);
        Some(match purpose {
            Purpose::AnswerNote { item, question } => Intent::Execute(Action::AnswerNote {
                item: item.clone(),
                question: question.clone(),
                text: text.to_string(),
            }),
            Purpose::Rating { item, question } => rating(seen, item, question, text),
            Purpose::Commitment { item, question } => commitment(seen, item, question, text),
            Purpose::WithdrawQ { item, question } => {
                if text.is_empty() {
                    return Some(Intent::Refuse(
                        seen.t("撤回问题须说明理由", "withdrawing needs a reason")
                            .to_string(),
                    ));
                }
                let topic = self
                    .shown(st)
                    .and_then(|q| q.index(question).ok().map(|k| &q.questions[k].def.topic))
                    .cloned()
                    .unwrap_or_default();
                Intent::ask(
                    seen.t("撤回问题", "Withdraw a question"),
                    vec![{
                        let restore = crate::tui::keys::key_of(Cmd::RestoreQ, lang);
                        match lang {
                            Lang::Zh => format!(
                                "撤回问题“{topic}”,理由:{text}。撤回后不再提问(可按 {restore} 恢复,恢复也记录在案)。"
                            ),
                            Lang::En => format!(
                                "Withdraw \"{topic}\", reason: {text}. It is not asked ({restore} restores it; both are recorded)."
                            ),
                        }
                    }],
                    seen.t("撤回", "withdraw it"),
                    Then::execute(Action::WithdrawQuestion {
                        item: item.clone(),
                        question: question.clone(),
                        reason: text.to_string(),
                    }),
                )
            }
            Purpose::Substitute { item, question } => {
                if text.is_empty() {
                    return Some(Intent::Execute(Action::DeferQuestion {
                        item: item.clone(),
                        question: question.clone(),
                        reason: seen
                            .t(
                                "提问代表不在场,问题延后",
                                "the questioner is away; deferred",
                            )
                            .to_string(),
                    }));
                }
                match st
                    .def
                    .deputies
                    .iter()
                    .find(|d| d.id == text || d.name == text)
                {
                    Some(d) => Intent::Execute(Action::CallQuestion {
                        item: item.clone(),
                        question: question.clone(),
                        asker: Some(d.id.clone()),
                    }),
                    None => Intent::Refuse(match lang {
                        Lang::Zh => format!("花名册中没有“{text}”"),
                        Lang::En => format!("\"{text}\" is not on the roster"),
                    }),
                }
            }
            Purpose::DeferQ { item, question } => Intent::Execute(Action::DeferQuestion {
                item: item.clone(),
                question: question.clone(),
                reason: text.to_string(),
            }),
            Purpose::RestoreQ { item, question } => Intent::Execute(Action::RestoreQuestion {
                item: item.clone(),
                question: question.clone(),
                reason: text.to_string(),
            }),
            Purpose::AddQuestion { item } => self.add(seen, item, text),
            _ => return None,
        })
    }

    /// `代表 / 主题 / 应询人职务 / 应询人姓名 [/ 单位]`: an on-the-spot question, numbered s1, s2…
    fn add(&self, seen: &Seen, item: &str, text: &str) -> Intent {
        let (st, lang) = (seen.st, seen.lang);
        let f = fields(text);
        if f.len() < 4 || f.iter().take(4).any(String::is_empty) {
            return Intent::Refuse(
                seen.t(
                    "格式:代表编号或姓名 / 主题 / 应询人职务 / 应询人姓名 [/ 单位]",
                    "format: deputy / topic / respondent's post / name [/ unit]",
                )
                .to_string(),
            );
        }
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
                return Intent::Refuse(match lang {
                    Lang::Zh => format!("花名册中没有“{}”", f[0]),
                    Lang::En => format!("\"{}\" is not on the roster", f[0]),
                });
            }
            (None, _) => {
                return Intent::Refuse(match lang {
                    Lang::Zh => format!("有多位代表名叫“{}”,请输入代表编号", f[0]),
                    Lang::En => format!("several deputies are called \"{}\"; give the id", f[0]),
                });
            }
        };
        let Some(queue) = self.shown(st) else {
            return Intent::Nothing;
        };
        let n = queue.questions.iter().filter(|q| q.on_the_spot).count() + 1;
        let mut id = format!("s{n}");
        while queue.index(&id).is_ok() {
            id.push('x');
        }
        Intent::Execute(Action::AddQuestion {
            item: item.to_string(),
            question: QuestionDef {
                id,
                topic: f[1].clone(),
                deputy,
                group: None,
                respondent: Respondent {
                    post: f[2].clone(),
                    name: f[3].clone(),
                    unit: f.get(4).cloned().unwrap_or_default(),
                },
                ask_minutes: None,
                answer_minutes: None,
                followups: None,
            },
        })
    }

    /// The cursor kept within the shown queue (after a restart).
    pub fn restore(&mut self, st: &SessionState, queue: usize, sel: usize) {
        self.queue = queue.min(st.queues.len().saturating_sub(1));
        let len = self.shown(st).map_or(0, |q| q.questions.len());
        self.sel = sel.min(len.saturating_sub(1));
    }
}

/// Call a question; a questioner marked away is asked about first: who asks instead, or defer.
fn call(seen: &Seen, item: String, q: &QuestionState) -> Intent {
    let st = seen.st;
    let question = q.def.id.clone();
    let away = st.deputy_index(&q.def.deputy).and_then(|i| {
        let p = st.presence[i];
        matches!(p, Presence::Leave | Presence::Absent).then(|| (i, p))
    });
    let Some((i, p)) = away else {
        return Intent::Execute(Action::CallQuestion {
            item,
            question,
            asker: None,
        });
    };
    let d = &st.def.deputies[i];
    let (name, group) = (&d.name, q.def.group.as_ref().unwrap_or(&d.group));
    let status = p.label(seen.lang);
    Intent::prompt(
        match seen.lang {
            Lang::Zh => format!(
                "提问代表{name}{status}:输入{group}在场代表的编号或姓名代为提问;留空按 Enter 则延后该问题"
            ),
            Lang::En => format!(
                "The questioner {name} is {status}: the id or name of a deputy of {group} who is present asks instead; Enter on an empty line defers the question"
            ),
        },
        Purpose::Substitute { item, question },
    )
}

/// `满意 基本满意 不满意 弃权`: four counts, spaces or commas between them.
fn rating(seen: &Seen, item: &str, question: &str, text: &str) -> Intent {
    let nums: Vec<Option<u32>> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '\u{ff0c}' | '、' | '/'))
        .filter(|t| !t.is_empty())
        .map(|t| t.parse().ok())
        .collect();
    match nums.as_slice() {
        [Some(a), Some(b), Some(c), Some(d)] => Intent::Execute(Action::RateAnswer {
            item: item.to_string(),
            question: question.to_string(),
            satisfied: *a,
            basically_satisfied: *b,
            unsatisfied: *c,
            abstain: *d,
        }),
        _ => Intent::Refuse(
            seen.t(
                "请输入四个数字:满意 基本满意 不满意 弃权",
                "enter four numbers: satisfied, basically satisfied, unsatisfied, abstain",
            )
            .to_string(),
        ),
    }
}

/// `事项 / 责任单位 / 完成时限`; a due date before today is a slip of the year or month.
fn commitment(seen: &Seen, item: &str, question: &str, text: &str) -> Intent {
    match fields(text).as_slice() {
        [_, _, due] if crate::domain::questions::check_due(due).is_ok_and(|d| d < seen.today) => {
            let d = crate::domain::questions::check_due(due).unwrap_or_default();
            let today = seen.today;
            Intent::Refuse(match seen.lang {
                Lang::Zh => format!("完成时限 {d} 早于今天({today}),未记录:请核对年份和月份"),
                Lang::En => format!(
                    "due date {d} is before today ({today}); nothing recorded: check the year and month"
                ),
            })
        }
        [what, unit, due] => Intent::Execute(Action::AddCommitment {
            item: item.to_string(),
            question: question.to_string(),
            text: what.clone(),
            unit: unit.clone(),
            due: due.clone(),
        }),
        _ => Intent::Refuse(
            seen.t(
                "格式:事项 / 责任单位 / 完成时限",
                "format: what / responsible unit / due date",
            )
            .to_string(),
        ),
    }
}
