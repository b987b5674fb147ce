//! The screens that own their state and answer a key with an [`Intent`]: pure functions of the
//! screen's state and the session's, so a table of keys and expected intents tests them with no
//! database and no terminal. `App` keeps only what is shared and carries the intents out.

pub mod agenda;
pub mod commitments;
pub mod count;
pub mod paper;
pub mod projects;
pub mod questions;
pub mod roll;

#[cfg(test)]
mod tests;

use crate::domain::state::SessionState;
use crate::i18n::Lang;
use crate::tui::intent::Intent;
use crate::tui::keys::{Cmd, Screen};

/// What a screen may read when it decides: the session as recorded, the language, and what
/// other screens hold that the decision depends on.
pub struct Seen<'a> {
    pub st: &'a SessionState,
    /// The console's station: a paper keyed here takes its next serial.
    pub station: &'a str,
    pub lang: Lang,
    /// The agenda item whose count has a paper half keyed (finishing the item would drop it).
    pub half_keyed: Option<usize>,
    /// Today at the console's clock (a commitment due before it is a slip).
    pub today: chrono::NaiveDate,
}

impl Seen<'_> {
    pub fn t<'b>(&self, zh: &'b str, en: &'b str) -> &'b str {
        self.lang.t(zh, en)
    }
}

/// The keys every screen shares: which screen, help, quit.
pub fn common(cmd: Cmd, here: Screen) -> Option<Intent> {
    let all = Screen::ALL;
    let i = all.iter().position(|s| *s == here).unwrap_or(0);
    let n = all.len();
    Some(match cmd {
        Cmd::NextScreen => Intent::GoTo(all[(i + 1) % n]),
        Cmd::PrevScreen => Intent::GoTo(all[(i + n - 1) % n]),
        Cmd::GoTo(s) => Intent::GoTo(s),
        Cmd::Help => Intent::Help,
        Cmd::Quit => Intent::Quit,
        _ => return None,
    })
}

/// The keys every list screen shares: [`common`], then the cursor `sel` over `len` rows —
/// `Moved`, or `Nothing` at an end. `None` for the screen's own keys.
pub fn navigate(cmd: Cmd, here: Screen, sel: &mut usize, len: usize) -> Option<Intent> {
    if let Some(i) = common(cmd, here) {
        return Some(i);
    }
    let to = moved(cmd, *sel, len)?;
    let changed = to != *sel;
    *sel = to;
    Some(if changed {
        Intent::Moved
    } else {
        Intent::Nothing
    })
}

/// A cursor moved by `cmd` over a list of `len` rows; `None` when `cmd` moves nothing.
pub fn moved(cmd: Cmd, sel: usize, len: usize) -> Option<usize> {
    const PAGE: isize = 10;
    let delta = match cmd {
        Cmd::Up => -1,
        Cmd::Down => 1,
        Cmd::PageUp => -PAGE,
        Cmd::PageDown => PAGE,
        Cmd::Top => -(len as isize),
        Cmd::Bottom => len as isize,
        _ => return None,
    };
    if len == 0 {
        return Some(sel);
    }
    Some((sel as isize + delta).clamp(0, len as isize - 1) as usize)
}
