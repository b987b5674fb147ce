//! The agenda screen: which item the cursor is on, and what each key does to it.

use ratatui::crossterm::event::KeyEvent;

use crate::domain::action::Action;
use crate::domain::ballots::Counter;
use crate::domain::questions::QStatus;
use crate::domain::session::ItemKind;
use crate::domain::state::{ItemStatus, SessionState};
use crate::i18n::Lang;
use crate::tui::confirm::Then;
use crate::tui::intent::Intent;
use crate::tui::keys::{self, Cmd, Screen};
use crate::tui::purpose::Purpose;
use crate::tui::screens::{Seen, navigate};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agenda {
    /// The item the cursor is on (its notes panel, `s`, `k`, `r`, `n` and Enter act on it).
    pub sel: usize,
}

impl Agenda {
    /// The cursor starts on the running item, if any.
    pub fn new(st: &SessionState) -> Self {
        Agenda {
            sel: st.running().unwrap_or(0),
        }
    }

    pub fn on_key(&mut self, seen: &Seen, key: &KeyEvent) -> Intent {
        match keys::lookup(key, Screen::Agenda) {
            Some(cmd) => self.on_cmd(seen, cmd),
            None => Intent::Nothing,
        }
    }

    pub fn on_cmd(&mut self, seen: &Seen, cmd: Cmd) -> Intent {
        let st = seen.st;
        if let Some(i) = navigate(cmd, Screen::Agenda, &mut self.sel, st.items.len()) {
            return i;
        }
        let Some(def) = st.def.agenda.get(self.sel) else {
            return Intent::Nothing;
        };
        let (item, title) = (def.id.clone(), def.title.clone());
        match cmd {
            Cmd::Start => self.start(seen, item, &title),
            Cmd::Finish => finish(seen),
            Cmd::Skip => {
                if st.items[self.sel].status != ItemStatus::Pending {
                    return Intent::Refuse(
                        seen.t(
                            "只能跳过尚未开始的议程",
                            "only an item not yet started can be skipped",
                        )
                        .to_string(),
                    );
                }
                Intent::prompt(
                    format!(
                        "{}:{title}",
                        seen.t(
                            "跳过议程(可填理由,Enter 确认)",
                            "Skip item (optional reason, Enter)"
                        )
                    ),
                    Purpose::SkipReason { item },
                )
            }
            Cmd::Reopen => Intent::prompt(
                format!(
                    "{}:{title}",
                    seen.t("重新开启议程(须填理由)", "Re-open item (reason required)")
                ),
                Purpose::ReopenReason { item },
            ),
            // The item the notes panel shows (the cursor's), whatever runs: the prompt names
            // it, and the note stays in the chain under it for good.
            Cmd::Note => Intent::prompt(
                format!("{}:{title}", seen.t("备注", "Note")),
                Purpose::Note { item },
            ),
            Cmd::Open => self.open(seen),
            _ => Intent::Nothing,
        }
    }

    fn start(&self, seen: &Seen, item: String, title: &str) -> Intent {
        let (st, lang) = (seen.st, seen.lang);
        let a = st.attendance;
        let first = st.items.iter().all(|i| i.segments.is_empty());
        let mut lines = Vec::new();
        if first && a.unmarked > 0 && a.quorum_met(st.quorum_rule()) {
            // The meeting opens on the roll: say who is not registered yet.
            lines.push(match lang {
                Lang::Zh => format!(
                    "还有 {} 名代表尚未登记(既未登记出席,也未登记请假或缺席)。",
                    a.unmarked
                ),
                Lang::En => format!(
                    "{} deputies are not registered yet (neither present nor on leave nor absent).",
                    a.unmarked
                ),
            });
            lines.push(a.sentence(st.quorum_rule(), lang));
        }
        // Items above it not yet held nor skipped: one Down too many must not open the
        // closing before the announcement without a question.
        let sel = self.sel;
        let earlier: Vec<String> = if st.items[sel].status == ItemStatus::Pending {
            (0..sel)
                .filter(|&i| st.items[i].status == ItemStatus::Pending)
                .map(|i| format!("· {} {}", i + 1, st.def.agenda[i].title))
                .collect()
        } else {
            Vec::new()
        };
        if !earlier.is_empty() {
            let (n, skip) = (earlier.len(), keys::key_of(Cmd::Skip, lang));
            lines.push(match lang {
                Lang::Zh => format!("前面还有 {n} 项议程尚未进行(可之后再开始,或按 {skip} 跳过):"),
                Lang::En => format!(
                    "{n} earlier items have not been held (start them later, or skip them with {skip}):"
                ),
            });
            // A long agenda names the first few: the dialog must fit 80×24.
            let more = earlier.len().saturating_sub(6);
            lines.extend(earlier.into_iter().take(6));
            if more > 0 {
                lines.push(match lang {
                    Lang::Zh => format!("· ……另有 {more} 项"),
                    Lang::En => format!("· … and {more} more"),
                });
            }
        }
        if lines.is_empty() {
            return Intent::Execute(Action::StartItem { item });
        }
        lines.push(match lang {
            Lang::Zh => format!("仍然开始“{title}”?"),
            Lang::En => format!("Start \"{title}\" anyway?"),
        });
        let heading = if first {
            seen.t("开始会议", "Open the meeting")
        } else {
            seen.t("开始议程", "Start the item")
        };
        Intent::ask(
            heading,
            lines,
            seen.t("开始", "start it"),
            Then::execute(Action::StartItem { item }),
        )
    }

    fn open(&self, seen: &Seen) -> Intent {
        let st = seen.st;
        let def = &st.def.agenda[self.sel];
        if def.questioning.is_some() {
            return match st.queues.iter().position(|q| q.item == self.sel) {
                Some(q) => Intent::OpenQueue(q),
                None => Intent::Nothing,
            };
        }
        if def.projects && def.kind == ItemKind::Report {
            // A progress report's subjects are the carried projects.
            return Intent::GoTo(Screen::Projects);
        }
        if matches!(
            def.kind,
            ItemKind::Ballot | ItemKind::Satisfaction | ItemKind::Resolution
        ) {
            return Intent::OpenCount(self.sel);
        }
        Intent::Refuse(
            seen.t(
                "该议程没有计票(票决、测评或表决)",
                "this item has nothing to count (ballot, evaluation or resolution)",
            )
            .to_string(),
        )
    }

    /// After an item is finished the cursor goes to the next item still to be held (after
    /// it, else the first one left), so a stray `s` never restarts what just ended.
    pub fn after_finish(&mut self, st: &SessionState, done: usize) {
        let items = &st.items;
        let pending = |i: &usize| items[*i].status == ItemStatus::Pending;
        if let Some(next) = (done + 1..items.len())
            .find(pending)
            .or_else(|| (0..done).find(pending))
        {
            self.sel = next;
        }
    }

    /// The cursor kept within the agenda (after a restart).
    pub fn restore(&mut self, st: &SessionState, sel: usize) {
        self.sel = sel.min(st.items.len().saturating_sub(1));
    }
}

/// `f` finishes the running item wherever the cursor is; with work left it asks first.
fn finish(seen: &Seen) -> Intent {
    let st = seen.st;
    let Some(target) = st.running() else {
        let start = keys::key_of(Cmd::Start, seen.lang);
        return Intent::Refuse(match seen.lang {
            Lang::Zh => format!("没有正在进行的议程(按 {start} 开始光标所在的议程)"),
            Lang::En => format!("no item is running ({start} starts the item under the cursor)"),
        });
    };
    let def = &st.def.agenda[target];
    let item = def.id.clone();
    let left = work_left(seen, target);
    if left.is_empty() {
        return Intent::Execute(Action::FinishItem { item });
    }
    let mut lines = vec![match seen.lang {
        Lang::Zh => format!("“{}”还有未完成的事项:", def.title),
        Lang::En => format!("\"{}\" has work left:", def.title),
    }];
    lines.extend(left.into_iter().map(|l| format!("· {l}")));
    Intent::ask(
        seen.t("结束议程", "Finish the item"),
        lines,
        seen.t("仍然结束", "finish it anyway"),
        Then::execute(Action::FinishItem { item }),
    )
}

/// What is not done in an agenda item: counts not announced, a paper half keyed, questions
/// still queued or in progress. Finishing it then asks first.
pub fn work_left(seen: &Seen, item: usize) -> Vec<String> {
    let (st, lang) = (seen.st, seen.lang);
    let mut out = Vec::new();
    for b in st.ballots.of_item(item) {
        let started = b.keyed() > 0
            || b.issued.is_some()
            || matches!(b.counter, Counter::Resolution(Some(_)));
        if !b.locked() && started {
            let label = crate::domain::describe::ballot_label(&st.def, &b.id, lang);
            out.push(match lang {
                Lang::Zh => format!("“{label}”已录入 {} 张,结果尚未宣布", b.keyed()),
                Lang::En => format!(
                    "\"{label}\": {} papers keyed, result not announced",
                    b.keyed()
                ),
            });
        }
    }
    if seen.half_keyed == Some(item) {
        out.push(
            seen.t(
                "本票尚未录入(已按键但未按 Enter)",
                "a paper is half keyed (Enter not pressed)",
            )
            .to_string(),
        );
    }
    if let Some(q) = st.queues.iter().find(|q| q.item == item) {
        let queued = q
            .questions
            .iter()
            .filter(|x| x.status == QStatus::Queued)
            .count();
        if q.active().is_some() {
            out.push(
                seen.t("有一个问题正在进行", "a question is in progress")
                    .to_string(),
            );
        }
        if queued > 0 {
            out.push(match lang {
                Lang::Zh => format!("还有 {queued} 个问题待提问(结束后记为未提问)"),
                Lang::En => format!("{queued} questions still queued (recorded as not asked)"),
            });
        }
    }
    out
}

/// The agenda's prompts, submitted: a note, a skip (asked first when questions wait), a
/// re-opening. `None` when the prompt is not the agenda's.
pub fn submit(seen: &Seen, purpose: &Purpose, text: String) -> Option<Intent> {
    Some(match purpose {
        Purpose::Note { item } => Intent::Execute(Action::AddNote {
            item: item.clone(),
            text,
        }),
        Purpose::ReopenReason { item } => Intent::Execute(Action::ReopenItem {
            item: item.clone(),
            reason: text,
        }),
        Purpose::SkipReason { item } => skip(seen, item, text),
        _ => return None,
    })
}

/// Skip an item; one with questions waiting asks first (they will be recorded as not asked).
fn skip(seen: &Seen, item: &str, reason: String) -> Intent {
    let st = seen.st;
    let queued = st.def.item_index(item).and_then(|i| {
        st.queues.iter().find(|q| q.item == i).map(|q| {
            q.questions
                .iter()
                .filter(|x| x.status == QStatus::Queued)
                .count()
        })
    });
    let action = Action::SkipItem {
        item: item.to_string(),
        reason,
    };
    match queued {
        Some(n) if n > 0 => {
            let title = st
                .def
                .item(item)
                .map(|i| i.title.clone())
                .unwrap_or_default();
            Intent::ask(
                seen.t("跳过议程", "Skip the item"),
                vec![match seen.lang {
                    Lang::Zh => {
                        format!("跳过“{title}”:其中 {n} 个问题将记为未提问(之后可重新开启议程)。")
                    }
                    Lang::En => format!(
                        "Skip \"{title}\": its {n} questions will be recorded as not asked (the item can be re-opened)."
                    ),
                }],
                seen.t("跳过", "skip it"),
                Then::execute(action),
            )
        }
        _ => Intent::Execute(action),
    }
}
