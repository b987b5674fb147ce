//! The roll-call screen: the deputies by 代表小组, a filter, the cursor, and what each key does.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::domain::action::Action;
use crate::domain::quorum::Presence;
use crate::domain::session::SessionDef;
use crate::domain::state::SessionState;
use crate::i18n::Lang;
use crate::tui::confirm::Then;
use crate::tui::input::{Edit, TextInput};
use crate::tui::intent::{Follow, Intent};
use crate::tui::keys::{self, Cmd, Screen};
use crate::tui::screens::{Seen, moved, navigate};

pub struct Roll {
    /// Deputy indices in display order (grouped by 代表小组), filtered by the query.
    pub view: Vec<usize>,
    pub sel: usize,
    pub query: TextInput,
    /// The filter line has the keys (typing goes into it).
    pub finding: bool,
    /// Every deputy in display order (fixed for the session).
    grouped: Vec<usize>,
}

impl Roll {
    pub fn new(def: &SessionDef) -> Self {
        let mut grouped = Vec::with_capacity(def.deputies.len());
        for g in def.groups() {
            grouped.extend(
                def.deputies
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| d.group == g)
                    .map(|(i, _)| i),
            );
        }
        Roll {
            view: grouped.clone(),
            sel: 0,
            query: TextInput::default(),
            finding: false,
            grouped,
        }
    }

    /// The deputy under the cursor.
    pub fn selected<'a>(&self, def: &'a SessionDef) -> Option<&'a crate::domain::session::Deputy> {
        self.view.get(self.sel).map(|&i| &def.deputies[i])
    }

    pub fn on_key(&mut self, seen: &Seen, key: &KeyEvent) -> Intent {
        if self.finding {
            return self.on_find_key(&seen.st.def, key);
        }
        match keys::lookup(key, Screen::Roll) {
            Some(cmd) => self.on_cmd(seen, cmd),
            None => Intent::Nothing,
        }
    }

    pub fn on_cmd(&mut self, seen: &Seen, cmd: Cmd) -> Intent {
        if let Some(i) = navigate(cmd, Screen::Roll, &mut self.sel, self.view.len()) {
            return i;
        }
        let st = seen.st;
        match cmd {
            Cmd::Present | Cmd::Leave | Cmd::Absent => {
                let status = match cmd {
                    Cmd::Present => Presence::Present,
                    Cmd::Leave => Presence::Leave,
                    _ => Presence::Absent,
                };
                let Some(d) = self.selected(&st.def) else {
                    return Intent::Nothing;
                };
                let warning = (status != Presence::Present)
                    .then(|| absent_staff(st, &d.id, seen.lang))
                    .flatten();
                // Roll call goes down the list: the next deputy is ready for the next key.
                Intent::ExecuteThen(
                    Action::MarkAttendance {
                        deputy: d.id.clone(),
                        status,
                    },
                    Follow::NextDeputy { warning },
                )
            }
            Cmd::RestPresent => rest_present(seen),
            Cmd::Find => {
                self.finding = true;
                Intent::Moved
            }
            Cmd::ClearFind => {
                if self.query.text().is_empty() {
                    return Intent::Nothing;
                }
                self.query = TextInput::default();
                self.refilter(&st.def);
                Intent::Moved
            }
            _ => Intent::Nothing,
        }
    }

    /// Typing into the filter line: Enter keeps the filter, Esc drops it, arrows still move.
    pub fn on_find_key(&mut self, def: &SessionDef, key: &KeyEvent) -> Intent {
        match self.query.handle(key) {
            Edit::Submit => self.finding = false,
            Edit::Cancel => {
                self.finding = false;
                self.query = TextInput::default();
                self.refilter(def);
            }
            Edit::Changed => self.refilter(def),
            Edit::Moved => {}
            Edit::Ignored => {
                let cmd = match key.code {
                    KeyCode::Up => Cmd::Up,
                    KeyCode::Down => Cmd::Down,
                    _ => return Intent::Nothing,
                };
                if let Some(sel) = moved(cmd, self.sel, self.view.len()) {
                    self.sel = sel;
                }
            }
        }
        Intent::Moved
    }

    /// Pasted text goes into the filter.
    pub fn paste(&mut self, def: &SessionDef, text: &str) {
        for c in text.chars().filter(|c| !c.is_control()) {
            self.query.insert(c);
        }
        self.refilter(def);
    }

    pub fn refilter(&mut self, def: &SessionDef) {
        // Stay on the deputy that was selected when the filter changes (e.g. after Esc).
        let keep = self.view.get(self.sel).copied();
        let q = self.query.text().trim().to_lowercase();
        self.view = if q.is_empty() {
            self.grouped.clone()
        } else {
            self.grouped
                .iter()
                .copied()
                .filter(|&i| {
                    let d = &def.deputies[i];
                    d.name.contains(&q)
                        || d.id.to_lowercase().contains(&q)
                        || d.group.contains(&q)
                        || d.seat.as_deref().is_some_and(|s| s.contains(&q))
                })
                .collect()
        };
        self.sel = if q.is_empty() {
            keep.and_then(|d| self.view.iter().position(|&i| i == d))
                .unwrap_or(0)
        } else {
            0
        };
    }

    /// Once a mark is recorded: on to the next deputy.
    pub fn follow(&mut self) {
        if let Some(sel) = moved(Cmd::Down, self.sel, self.view.len()) {
            self.sel = sel;
        }
    }

    /// The cursor kept within the list (after a restart).
    pub fn restore(&mut self, sel: usize) {
        self.sel = sel.min(self.view.len().saturating_sub(1));
    }
}

fn rest_present(seen: &Seen) -> Intent {
    let a = seen.st.attendance;
    if a.unmarked == 0 {
        return Intent::Refuse(
            seen.t("所有代表都已登记", "every deputy is already marked")
                .to_string(),
        );
    }
    let line = match seen.lang {
        Lang::Zh => format!(
            "将其余 {} 名尚未登记的代表全部登记为出席:实到将为 {} 名(之后仍可逐一改为请假或缺席)。",
            a.unmarked,
            a.present + a.unmarked
        ),
        Lang::En => format!(
            "Mark the remaining {} unregistered deputies present: {} will be present (each can still be changed).",
            a.unmarked,
            a.present + a.unmarked
        ),
    };
    Intent::ask(
        seen.t("其余代表全部登记为出席", "Mark the rest present"),
        vec![line],
        seen.t("登记", "mark them"),
        Then::execute(Action::MarkUnmarked {
            status: Presence::Present,
        }),
    )
}

/// A deputy marked away who is a scrutineer of a count not yet announced: say so, so the
/// session can name another before the papers are counted (F4 on the count screen).
pub fn absent_staff(st: &SessionState, deputy: &str, lang: Lang) -> Option<String> {
    let d = st.def.deputies.iter().find(|d| d.id == deputy)?;
    let mut counts: Vec<String> = st
        .ballots
        .list
        .iter()
        .filter(|b| !b.locked() && b.scrutineers.contains(&d.name))
        .map(|b| st.def.agenda[b.item].title.clone())
        .collect();
    counts.dedup();
    if counts.is_empty() {
        return None;
    }
    let name = &d.name;
    let staff = keys::key_of(Cmd::Staff, lang);
    let list = counts.join("、");
    Some(match lang {
        Lang::Zh => format!(
            "注意:{name} 是「{list}」的监票人,现已登记为不在场;请在计票屏按 {staff} 另行确定监票人"
        ),
        Lang::En => format!(
            "note: {name} is a scrutineer of \"{list}\" and is now marked away; name another on the count screen with {staff}"
        ),
    })
}
