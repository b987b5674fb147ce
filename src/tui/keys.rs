//! The key table: one list from which key handling, the footer hints and the help screen are
//! all built, so they cannot disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Screen {
    Agenda,
    Roll,
    Log,
}

impl Screen {
    pub const ALL: [Screen; 3] = [Screen::Agenda, Screen::Roll, Screen::Log];

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Screen::Agenda => lang.t("议程", "Agenda"),
            Screen::Roll => lang.t("出席", "Roll call"),
            Screen::Log => lang.t("记录", "Log"),
        }
    }
}

/// What a key asks the console to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    NextScreen,
    PrevScreen,
    GoTo(Screen),
    Help,
    Quit,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    // agenda
    Start,
    Finish,
    Skip,
    Reopen,
    Note,
    // roll call
    Present,
    Leave,
    Absent,
    RestPresent,
    Find,
    ClearFind,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    On(Screen),
}

pub struct Binding {
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the key is written in the footer and help.
    pub key_label: &'static str,
    pub cmd: Cmd,
    pub scope: Scope,
    pub zh: &'static str,
    pub en: &'static str,
    /// Shown in the footer (all bindings are in the help).
    pub hint: bool,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

macro_rules! b {
    ($label:expr, [$($k:expr),+], $cmd:expr, $scope:expr, $zh:expr, $en:expr, $hint:expr) => {
        Binding { keys: &[$($k),+], key_label: $label, cmd: $cmd, scope: $scope, zh: $zh, en: $en, hint: $hint }
    };
}

use Scope::{Global, On};
use Screen::{Agenda, Log, Roll};

pub static BINDINGS: &[Binding] = &[
    // screen-specific first, so their hints lead the footer
    b!(
        "s",
        [(KeyCode::Char('s'), NONE)],
        Cmd::Start,
        On(Agenda),
        "开始",
        "start",
        true
    ),
    b!(
        "f",
        [(KeyCode::Char('f'), NONE)],
        Cmd::Finish,
        On(Agenda),
        "结束",
        "finish",
        true
    ),
    b!(
        "n",
        [(KeyCode::Char('n'), NONE)],
        Cmd::Note,
        On(Agenda),
        "备注",
        "note",
        true
    ),
    b!(
        "k",
        [(KeyCode::Char('k'), NONE)],
        Cmd::Skip,
        On(Agenda),
        "跳过",
        "skip",
        true
    ),
    b!(
        "r",
        [(KeyCode::Char('r'), NONE)],
        Cmd::Reopen,
        On(Agenda),
        "重开",
        "re-open",
        true
    ),
    b!(
        "p",
        [(KeyCode::Char('p'), NONE)],
        Cmd::Present,
        On(Roll),
        "出席",
        "present",
        true
    ),
    b!(
        "l",
        [(KeyCode::Char('l'), NONE)],
        Cmd::Leave,
        On(Roll),
        "请假",
        "leave",
        true
    ),
    b!(
        "a",
        [(KeyCode::Char('a'), NONE)],
        Cmd::Absent,
        On(Roll),
        "缺席",
        "absent",
        true
    ),
    b!(
        "/",
        [(KeyCode::Char('/'), NONE)],
        Cmd::Find,
        On(Roll),
        "查找",
        "find",
        true
    ),
    b!(
        "Esc",
        [(KeyCode::Esc, NONE)],
        Cmd::ClearFind,
        On(Roll),
        "清除查找",
        "clear find",
        false
    ),
    b!(
        "P",
        [(KeyCode::Char('P'), SHIFT), (KeyCode::Char('P'), NONE)],
        Cmd::RestPresent,
        On(Roll),
        "其余全部出席",
        "rest present",
        true
    ),
    b!(
        "↑↓",
        [(KeyCode::Up, NONE), (KeyCode::Down, NONE)],
        Cmd::Up,
        Global,
        "选择",
        "select",
        false
    ),
    b!(
        "PgUp/PgDn",
        [(KeyCode::PageUp, NONE), (KeyCode::PageDown, NONE)],
        Cmd::PageUp,
        Global,
        "翻页",
        "page",
        false
    ),
    b!(
        "Home/End",
        [(KeyCode::Home, NONE), (KeyCode::End, NONE)],
        Cmd::Top,
        Global,
        "首/末",
        "first/last",
        false
    ),
    b!(
        "Tab",
        [(KeyCode::Tab, NONE)],
        Cmd::NextScreen,
        Global,
        "切换",
        "next screen",
        true
    ),
    b!(
        "S-Tab",
        [(KeyCode::BackTab, SHIFT), (KeyCode::BackTab, NONE)],
        Cmd::PrevScreen,
        Global,
        "上一屏",
        "previous screen",
        false
    ),
    b!(
        "1",
        [(KeyCode::Char('1'), NONE)],
        Cmd::GoTo(Agenda),
        Global,
        "议程",
        "agenda",
        false
    ),
    b!(
        "2",
        [(KeyCode::Char('2'), NONE)],
        Cmd::GoTo(Roll),
        Global,
        "出席",
        "roll call",
        false
    ),
    b!(
        "3",
        [(KeyCode::Char('3'), NONE)],
        Cmd::GoTo(Log),
        Global,
        "记录",
        "log",
        false
    ),
    b!(
        "?",
        [(KeyCode::Char('?'), NONE), (KeyCode::Char('?'), SHIFT)],
        Cmd::Help,
        Global,
        "帮助",
        "help",
        true
    ),
    b!(
        "q",
        [(KeyCode::Char('q'), NONE)],
        Cmd::Quit,
        Global,
        "退出",
        "quit",
        true
    ),
];

impl Binding {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.t(self.zh, self.en)
    }

    fn applies(&self, screen: Screen) -> bool {
        match self.scope {
            Scope::Global => true,
            Scope::On(s) => s == screen,
        }
    }
}

/// The command a key means on `screen`, if any. Keys with paired meanings (↑/↓ …) are split.
pub fn lookup(key: &KeyEvent, screen: Screen) -> Option<Cmd> {
    let pair = match key.code {
        KeyCode::Down => Some(Cmd::Down),
        KeyCode::PageDown => Some(Cmd::PageDown),
        KeyCode::End => Some(Cmd::Bottom),
        _ => None,
    };
    if pair.is_some() && key.modifiers == NONE {
        return pair;
    }
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return Some(Cmd::Quit);
    }
    BINDINGS
        .iter()
        .filter(|b| b.applies(screen))
        .find(|b| {
            b.keys
                .iter()
                .any(|(c, m)| *c == key.code && *m == key.modifiers)
        })
        .map(|b| b.cmd)
}

/// Footer hints for a screen: its own keys first, then the global ones.
pub fn hints(screen: Screen) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.hint && b.applies(screen))
}

/// All bindings in help order: this screen's, then global.
pub fn help(screen: Screen) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.applies(screen))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), NONE)
    }

    #[test]
    fn keys_mean_different_things_per_screen() {
        assert_eq!(lookup(&key('s'), Screen::Agenda), Some(Cmd::Start));
        assert_eq!(lookup(&key('s'), Screen::Roll), None);
        assert_eq!(lookup(&key('p'), Screen::Roll), Some(Cmd::Present));
        assert_eq!(lookup(&key('q'), Screen::Log), Some(Cmd::Quit));
        assert_eq!(lookup(&key('z'), Screen::Agenda), None);
        assert_eq!(
            lookup(&KeyEvent::new(KeyCode::Down, NONE), Screen::Roll),
            Some(Cmd::Down)
        );
    }

    #[test]
    fn no_key_is_bound_twice_on_a_screen() {
        for screen in Screen::ALL {
            let mut seen = Vec::new();
            for b in help(screen) {
                for k in b.keys {
                    assert!(!seen.contains(k), "{k:?} bound twice on {screen:?}");
                    seen.push(*k);
                }
            }
        }
    }

    #[test]
    fn every_screen_has_help_and_quit_hints() {
        for screen in Screen::ALL {
            let h: Vec<_> = hints(screen).map(|b| b.cmd).collect();
            assert!(h.contains(&Cmd::Help) && h.contains(&Cmd::Quit));
        }
    }
}
