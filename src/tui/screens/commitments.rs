//! The commitments screen: the cursor over the commitments made in answers (and those carried
//! from the previous session), their status and their progress notes.

use crate::domain::action::Action;
use crate::domain::questions::CStatus;
use crate::domain::state::SessionState;
use crate::i18n::Lang;
use crate::tui::intent::Intent;
use crate::tui::keys::{self, Cmd, Screen};
use crate::tui::purpose::Purpose;
use crate::tui::screens::{Seen, navigate};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Commitments {
    pub sel: usize,
}

impl Commitments {
    pub fn on_cmd(&mut self, seen: &Seen, cmd: Cmd) -> Intent {
        let st = seen.st;
        if let Some(i) = navigate(
            cmd,
            Screen::Commitments,
            &mut self.sel,
            st.commitments.len(),
        ) {
            return i;
        }
        let to = match cmd {
            Cmd::CommitOpen => Some(CStatus::Open),
            Cmd::CommitProgress => Some(CStatus::InProgress),
            Cmd::CommitDone => Some(CStatus::Done),
            Cmd::CommitNote => None,
            _ => return Intent::Nothing,
        };
        let Some(c) = st.commitments.get(self.sel) else {
            let m = keys::key_of(Cmd::CommitQ, seen.lang);
            return Intent::Refuse(match seen.lang {
                Lang::Zh => format!("尚无承诺事项(在询问屏按 {m} 记录应询人的承诺)"),
                Lang::En => {
                    format!("no commitments yet ({m} on the questions screen records one)")
                }
            });
        };
        let id = c.id.clone();
        match to {
            // The same status again is refused by the rule itself ("状态未变").
            Some(status) => Intent::Execute(Action::UpdateCommitment {
                commitment: id,
                status,
                note: String::new(),
            }),
            None => Intent::prompt(
                match seen.lang {
                    Lang::Zh => format!("承诺 {id} 办理情况(状态:{})", c.status.label(seen.lang)),
                    Lang::En => format!(
                        "Commitment {id}: progress note (status: {})",
                        c.status.label(seen.lang)
                    ),
                },
                Purpose::CommitmentNote { id },
            ),
        }
    }

    pub fn restore(&mut self, st: &SessionState, sel: usize) {
        self.sel = sel.min(st.commitments.len().saturating_sub(1));
    }
}

/// A progress note, submitted: recorded under the commitment's present status.
pub fn submit(seen: &Seen, purpose: &Purpose, text: &str) -> Option<Intent> {
    let Purpose::CommitmentNote { id } = purpose else {
        return None;
    };
    Some(match seen.st.commitments.iter().find(|c| c.id == *id) {
        Some(c) => Intent::Execute(Action::UpdateCommitment {
            commitment: id.clone(),
            status: c.status,
            note: text.to_string(),
        }),
        None => Intent::Refuse(match seen.lang {
            Lang::Zh => format!("没有承诺 {id}"),
            Lang::En => format!("there is no commitment {id}"),
        }),
    })
}
