//! The key table: one list from which key handling, the footer hints and the help screen are
//! all built, so they cannot disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::ballots::CountKind;
use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Screen {
    Agenda,
    Roll,
    Ballot,
    Questions,
    Commitments,
    Projects,
    Log,
}

impl Screen {
    pub const ALL: [Screen; 7] = [
        Screen::Agenda,
        Screen::Roll,
        Screen::Ballot,
        Screen::Questions,
        Screen::Commitments,
        Screen::Projects,
        Screen::Log,
    ];

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Screen::Agenda => lang.t("议程", "Agenda"),
            Screen::Roll => lang.t("出席", "Roll call"),
            Screen::Ballot => lang.t("计票", "Count"),
            Screen::Questions => lang.t("询问", "Questions"),
            Screen::Commitments => lang.t("承诺", "Commitments"),
            Screen::Projects => lang.t("项目", "Projects"),
            Screen::Log => lang.t("记录", "Log"),
        }
    }
}

impl Screen {
    /// The tab's name on a narrow terminal.
    pub fn short_title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Screen::Roll, Lang::En) => "Roll",
            (Screen::Questions, Lang::En) => "Q&A",
            (Screen::Commitments, Lang::En) => "Pledges",
            (Screen::Projects, Lang::En) => "Projects",
            _ => self.title(lang),
        }
    }
}

/// Where the keys are read: the screen, and on the count screen what is being counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ctx {
    pub screen: Screen,
    pub kind: Option<CountKind>,
    /// A scanned sheet is on the desk for a ruling (判定).
    pub ruling: bool,
    /// The count on screen is announced: its paper keys only say so, and the footer does not
    /// offer them.
    pub locked: bool,
}

impl Ctx {
    pub fn on(screen: Screen) -> Self {
        Ctx {
            screen,
            kind: None,
            ruling: false,
            locked: false,
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
    /// Open the selected item's count screen.
    Open,
    // paper entry (letters are canonical marks)
    Mark(char),
    RestYes,
    /// Every row not marked yet 弃权, on purpose (Enter records only a complete paper).
    RestAbstain,
    AllYesExcept,
    BlankPaper,
    VoidPaper,
    Record,
    ClearPaper,
    Back,
    Left,
    Right,
    // ballot procedure
    Undo,
    Correct,
    Strike,
    Issued,
    Returned,
    Staff,
    Announce,
    NextRound,
    ReopenBallot,
    PrevRoundView,
    NextRoundView,
    Totals,
    // questioning
    CallQ,
    AnswerQ,
    FollowUpQ,
    FinishQ,
    PauseQ,
    NoteQ,
    RateQ,
    CommitQ,
    WithdrawQ,
    DeferQ,
    RestoreQ,
    AddQ,
    MoveUpQ,
    MoveDownQ,
    // commitments
    CommitOpen,
    CommitProgress,
    CommitDone,
    CommitNote,
    // livelihood projects
    ProjectNotStarted,
    ProjectInProgress,
    ProjectDone,
    ProjectBehind,
    ProjectNote,
    ProjectGroup,
    /// Show or hide live results on the projector.
    ProjectorResults,
    /// Import stations' batch files (a file or a folder such as a USB stick).
    ImportBatches,
    /// Double entry: compare two stations' batches of the same stack and settle disagreements.
    DoubleEntry,
    /// Watch the folder a scanner saves to (or stop watching).
    ScanFolder,
    /// Rule on the scanned sheets with a doubtful mark, one by one.
    Adjudicate,
    LeaveRuling,
    /// On the desk, a possible second feed: it is the same paper as the sheet it matched.
    SetAside,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    /// Everywhere but the count screen, whose digits and letters key papers.
    Browse,
    On(Screen),
    /// On the count screen, for one kind of count.
    Counting(CountKind),
    /// On the count screen, for paper ballots (approval and evaluation).
    Papers,
    /// On the count screen, while a scanned sheet is on the desk for a ruling.
    Ruling,
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

macro_rules! b {
    ($label:expr, [$($k:expr),+], $cmd:expr, $scope:expr, $zh:expr, $en:expr, $hint:expr) => {
        Binding { keys: &[$($k),+], key_label: $label, cmd: $cmd, scope: $scope, zh: $zh, en: $en, hint: $hint }
    };
}

use CountKind::{Approval, Resolution, Satisfaction};
use Scope::{Browse, Counting, Global, On, Papers, Ruling};
use Screen::{Agenda, Ballot, Commitments, Log, Projects, Questions, Roll};

const fn c(ch: char) -> (KeyCode, KeyModifiers) {
    (KeyCode::Char(ch), NONE)
}

const fn f(n: u8) -> (KeyCode, KeyModifiers) {
    (KeyCode::F(n), NONE)
}
const fn ctrl(ch: char) -> (KeyCode, KeyModifiers) {
    (KeyCode::Char(ch), KeyModifiers::CONTROL)
}

/// Letters are read without their case ([`normalize`]): with Caps Lock on, or Shift held by
/// mistake, a key means what it means without. On the count screen every letter, digit and
/// symbol keys the paper; the count's commands sit on function keys and Ctrl chords, which no
/// mark key reaches.
#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    // screen-specific first, so their hints lead the footer
    b!("s", [c('s')], Cmd::Start, On(Agenda), "开始", "start", true),
    b!("f", [c('f')], Cmd::Finish, On(Agenda), "结束", "finish", true),
    b!("n", [c('n')], Cmd::Note, On(Agenda), "备注", "note", true),
    b!("k", [c('k')], Cmd::Skip, On(Agenda), "跳过", "skip", true),
    b!("r", [c('r')], Cmd::Reopen, On(Agenda), "重开", "re-open", true),
    b!("Enter", [(KeyCode::Enter, NONE)], Cmd::Open, On(Agenda), "打开计票/询问", "open", true),
    b!("p", [c('p')], Cmd::Present, On(Roll), "出席", "present", true),
    b!("l", [c('l')], Cmd::Leave, On(Roll), "请假", "leave", true),
    b!("a", [c('a')], Cmd::Absent, On(Roll), "缺席", "absent", true),
    b!("/", [c('/')], Cmd::Find, On(Roll), "查找", "find", true),
    b!("Esc", [(KeyCode::Esc, NONE)], Cmd::ClearFind, On(Roll), "清除查找", "clear find", false),
    b!("F2", [f(2)], Cmd::RestPresent, On(Roll), "其余全部出席", "rest present", true),
    // approval papers: what the clerk sees on the paper is what the clerk types
    b!("o/1", [c('o'), c('1'), c('y')], Cmd::Mark('Y'), Counting(Approval), "赞成○", "yes ○", true),
    b!("x/2", [c('x'), c('2'), c('n')], Cmd::Mark('N'), Counting(Approval), "不赞成×", "no ×", true),
    b!("空格/3", [c(' '), c('3'), c('a')], Cmd::Mark('A'), Counting(Approval), "弃权", "abstain", true),
    // evaluation papers
    b!("s/1", [c('s'), c('1')], Cmd::Mark('S'), Counting(Satisfaction), "满意", "satisfied", true),
    b!("b/2", [c('b'), c('2')], Cmd::Mark('B'), Counting(Satisfaction), "基本满意", "basically", true),
    b!("u/3", [c('u'), c('3')], Cmd::Mark('U'), Counting(Satisfaction), "不满意", "unsatisfied", true),
    b!("空格/4", [c(' '), c('a'), c('4')], Cmd::Mark('A'), Counting(Satisfaction), "弃权", "abstain", true),
    // both kinds of paper
    b!("Enter", [(KeyCode::Enter, NONE)], Cmd::Record, Papers, "录入本票", "record paper", true),
    b!("0", [c('0')], Cmd::BlankPaper, Papers, "空白票(全部弃权)", "blank paper (all abstain)", false),
    b!("-", [c('-')], Cmd::RestAbstain, Papers, "未标记的记弃权", "unmarked rows abstain", false),
    b!("v", [c('v')], Cmd::VoidPaper, Papers, "作废票", "void paper", true),
    b!("Bksp", [(KeyCode::Backspace, NONE)], Cmd::Back, Papers, "退一格", "back", false),
    b!("←→", [(KeyCode::Left, NONE), (KeyCode::Right, NONE)], Cmd::Left, Papers, "移动", "move", false),
    b!("↑↓", [(KeyCode::Up, NONE), (KeyCode::Down, NONE)], Cmd::Up, Papers, "移动", "move", false),
    b!("Esc", [(KeyCode::Esc, NONE)], Cmd::ClearPaper, Papers, "清空本票", "clear paper", false),
    b!("+", [c('+')], Cmd::RestYes, Counting(Approval), "其余赞成", "rest yes", false),
    b!("*", [c('*')], Cmd::AllYesExcept, Counting(Approval), "全赞成除…", "all yes except", false),
    // the count's procedure: function keys and Ctrl chords only
    b!("F8", [f(8)], Cmd::Announce, On(Ballot), "宣布结果", "announce", true),
    b!("F5", [f(5)], Cmd::Undo, Papers, "撤销上一张", "undo last", true),
    b!("F2", [f(2)], Cmd::Issued, Papers, "发出票数", "issued", true),
    b!("F3", [f(3)], Cmd::Returned, Papers, "收回票数", "returned", true),
    b!("F4", [f(4)], Cmd::Staff, Papers, "监票计票人", "staff", false),
    b!("F6", [f(6)], Cmd::Correct, Papers, "更正", "correct", false),
    b!("F7", [f(7)], Cmd::Strike, Papers, "剔除", "strike", false),
    b!("F9", [f(9)], Cmd::ReopenBallot, On(Ballot), "重新开启", "re-open", false),
    b!("F12", [f(12)], Cmd::NextRound, Counting(Approval), "再次投票", "next round", false),
    b!("Ctrl-P", [ctrl('p')], Cmd::ProjectorResults, On(Ballot), "投影显示/隐藏结果", "projector results", false),
    b!("Ctrl-O", [ctrl('o')], Cmd::ImportBatches, Papers, "导入录入站批次", "import batches", false),
    b!("Ctrl-D", [ctrl('d')], Cmd::DoubleEntry, Counting(Approval), "双人录入比对", "double entry", false),
    b!("[ ]", [c('['), c(']')], Cmd::PrevRoundView, Counting(Approval), "查看各轮", "rounds", false),
    b!("Ctrl-S", [ctrl('s')], Cmd::ScanFolder, Papers, "扫描(监视文件夹)", "scan (watch a folder)", true),
    b!("Ctrl-R", [ctrl('r')], Cmd::Adjudicate, Papers, "判定待定扫描件", "rule doubtful scans", false),
    // a scanned sheet on the desk: the mark keys above key the rows
    b!("Enter", [(KeyCode::Enter, NONE)], Cmd::Record, Ruling, "确认判定", "record ruling", true),
    b!("↑↓", [(KeyCode::Up, NONE), (KeyCode::Down, NONE)], Cmd::Up, Ruling, "选择栏", "row", false),
    b!("Bksp", [(KeyCode::Backspace, NONE)], Cmd::Back, Ruling, "清除本栏", "clear row", false),
    b!("PgUp/PgDn", [(KeyCode::PageUp, NONE), (KeyCode::PageDown, NONE)], Cmd::PageUp, Ruling, "上一张/下一张", "previous/next sheet", true),
    b!("Esc", [(KeyCode::Esc, NONE)], Cmd::LeaveRuling, Ruling, "离开判定", "leave the queue", true),
    b!("Ctrl-X", [ctrl('x')], Cmd::SetAside, Ruling, "同一张:不计", "same paper: set aside", false),
    // resolutions
    b!("Enter", [(KeyCode::Enter, NONE)], Cmd::Totals, Counting(Resolution), "录入表决数", "enter totals", true),
    b!("↑↓", [(KeyCode::Up, NONE), (KeyCode::Down, NONE)], Cmd::Up, Counting(Resolution), "选择事项", "select motion", false),
    // questioning: the run of a question
    b!("c", [c('c')], Cmd::CallQ, On(Questions), "提问", "call", true),
    b!("a", [c('a')], Cmd::AnswerQ, On(Questions), "答复", "answer", true),
    b!("f", [c('f')], Cmd::FollowUpQ, On(Questions), "追问", "follow-up", true),
    b!("e", [c('e')], Cmd::FinishQ, On(Questions), "结束", "end", true),
    b!("空格", [c(' ')], Cmd::PauseQ, On(Questions), "暂停/继续", "pause/resume", true),
    b!("n", [c('n')], Cmd::NoteQ, On(Questions), "记录答复", "notes", true),
    b!("r", [c('r')], Cmd::RateQ, On(Questions), "测评", "rate", true),
    b!("m", [c('m')], Cmd::CommitQ, On(Questions), "承诺", "commitment", true),
    b!("+", [c('+')], Cmd::AddQ, On(Questions), "现场提问", "add question", false),
    b!("w", [c('w')], Cmd::WithdrawQ, On(Questions), "撤回", "withdraw", false),
    b!("d", [c('d')], Cmd::DeferQ, On(Questions), "延后", "defer", false),
    b!("u", [c('u')], Cmd::RestoreQ, On(Questions), "恢复", "restore", false),
    b!("[ ]", [c('['), c(']')], Cmd::MoveUpQ, On(Questions), "上移/下移", "move up/down", false),
    // commitments
    b!("i", [c('i')], Cmd::CommitProgress, On(Commitments), "办理中", "in progress", true),
    b!("d", [c('d')], Cmd::CommitDone, On(Commitments), "已办结", "done", true),
    b!("o", [c('o')], Cmd::CommitOpen, On(Commitments), "未办结", "open", true),
    b!("n", [c('n')], Cmd::CommitNote, On(Commitments), "办理情况", "progress note", true),
    // livelihood projects: each status change asks for a note first
    b!("n", [c('n')], Cmd::ProjectNote, On(Projects), "进展情况", "progress note", true),
    b!("i", [c('i')], Cmd::ProjectInProgress, On(Projects), "推进中", "in progress", true),
    b!("d", [c('d')], Cmd::ProjectDone, On(Projects), "已完成", "done", true),
    b!("l", [c('l')], Cmd::ProjectBehind, On(Projects), "滞后", "behind", true),
    b!("o", [c('o')], Cmd::ProjectNotStarted, On(Projects), "未开工", "not started", false),
    b!("g", [c('g')], Cmd::ProjectGroup, On(Projects), "监督小组", "supervision group", true),
    // everywhere
    b!("↑↓", [(KeyCode::Up, NONE), (KeyCode::Down, NONE)], Cmd::Up, Browse, "选择", "select", false),
    b!("PgUp/PgDn", [(KeyCode::PageUp, NONE), (KeyCode::PageDown, NONE)], Cmd::PageUp, Browse, "翻页", "page", false),
    b!("Home/End", [(KeyCode::Home, NONE), (KeyCode::End, NONE)], Cmd::Top, Browse, "首/末", "first/last", false),
    b!("Tab", [(KeyCode::Tab, NONE)], Cmd::NextScreen, Global, "切换", "next screen", true),
    b!("S-Tab", [(KeyCode::BackTab, NONE)], Cmd::PrevScreen, Global, "上一屏", "previous screen", false),
    b!("1", [c('1')], Cmd::GoTo(Agenda), Browse, "议程", "agenda", false),
    b!("2", [c('2')], Cmd::GoTo(Roll), Browse, "出席", "roll call", false),
    b!("3", [c('3')], Cmd::GoTo(Ballot), Browse, "计票", "count", false),
    b!("4", [c('4')], Cmd::GoTo(Questions), Browse, "询问", "questions", false),
    b!("5", [c('5')], Cmd::GoTo(Commitments), Browse, "承诺", "commitments", false),
    b!("6", [c('6')], Cmd::GoTo(Projects), Browse, "项目", "projects", false),
    b!("7", [c('7')], Cmd::GoTo(Log), Browse, "记录", "log", false),
    b!("?", [c('?')], Cmd::Help, Global, "帮助", "help", true),
    b!("q", [c('q')], Cmd::Quit, Global, "退出", "quit", true),
    b!("Ctrl-C", [ctrl('c')], Cmd::Quit, Global, "退出", "quit", false),
];

/// A key as the table reads it: a character's case and a Shift that came with it are dropped
/// (the character already carries what Shift did to it, `?` or `+`), so Caps Lock or a held
/// Shift never changes what a key means; Shift-Tab is BackTab whatever the terminal adds.
pub fn normalize(key: &KeyEvent) -> KeyEvent {
    let mut k = *key;
    match k.code {
        KeyCode::Char(ch) => {
            k.code = KeyCode::Char(ch.to_ascii_lowercase());
            k.modifiers.remove(KeyModifiers::SHIFT);
        }
        KeyCode::BackTab => k.modifiers.remove(KeyModifiers::SHIFT),
        _ => {}
    }
    k
}

impl Binding {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.t(self.zh, self.en)
    }

    /// How the key is written, in the UI's language (空格 is "Space" in English).
    pub fn key(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.key_label.to_string(),
            Lang::En => self.key_label.replace("空格", "Space"),
        }
    }

    fn applies(&self, ctx: Ctx) -> bool {
        // While ruling on a scan only its own keys and the marks act on the count screen.
        let counting = ctx.screen == Screen::Ballot && !ctx.ruling;
        match self.scope {
            Scope::Global => true,
            Scope::Browse => ctx.screen != Screen::Ballot,
            Scope::On(Screen::Ballot) => counting,
            Scope::On(s) => s == ctx.screen,
            Scope::Counting(k) => {
                ctx.screen == Screen::Ballot
                    && ctx.kind == Some(k)
                    && (!ctx.ruling || matches!(self.cmd, Cmd::Mark(_)))
            }
            Scope::Papers => {
                counting
                    && matches!(
                        ctx.kind,
                        Some(CountKind::Approval | CountKind::Satisfaction)
                    )
            }
            Scope::Ruling => ctx.screen == Screen::Ballot && ctx.ruling,
        }
    }
}

/// The command a key means in `ctx`, if any. Keys with paired meanings (↑/↓ …) are split.
pub fn lookup(key: &KeyEvent, ctx: impl Into<Ctx>) -> Option<Cmd> {
    let ctx = ctx.into();
    let key = normalize(key);
    let cmd = BINDINGS
        .iter()
        .filter(|b| b.applies(ctx))
        .find(|b| {
            b.keys
                .iter()
                .any(|(c, m)| *c == key.code && *m == key.modifiers)
        })
        .map(|b| b.cmd);
    // One binding covers both keys of a pair; tell them apart here.
    match (cmd, key.code) {
        (Some(Cmd::Up), KeyCode::Down) => Some(Cmd::Down),
        (Some(Cmd::PageUp), KeyCode::PageDown) => Some(Cmd::PageDown),
        (Some(Cmd::Top), KeyCode::End) => Some(Cmd::Bottom),
        (Some(Cmd::Left), KeyCode::Right) => Some(Cmd::Right),
        (Some(Cmd::PrevRoundView), KeyCode::Char(']')) => Some(Cmd::NextRoundView),
        (Some(Cmd::MoveUpQ), KeyCode::Char(']')) => Some(Cmd::MoveDownQ),
        (c, _) => c,
    }
}

impl From<Screen> for Ctx {
    fn from(screen: Screen) -> Self {
        Ctx::on(screen)
    }
}

/// How the key bound to `cmd` is written, from this one table (for prompts and errors that
/// name a key).
pub fn key_of(cmd: Cmd, lang: Lang) -> String {
    BINDINGS
        .iter()
        .find(|b| b.cmd == cmd)
        .map_or_else(String::new, |b| b.key(lang))
}

/// Footer hints: this screen's keys first, then the global ones. An announced count offers
/// no paper key (they would only be refused).
pub fn hints(ctx: impl Into<Ctx>) -> impl Iterator<Item = &'static Binding> {
    let ctx = ctx.into();
    BINDINGS.iter().filter(move |b| {
        let shown = if ctx.locked {
            // announced: what is left is to re-open it (with a reason) or leave
            b.cmd == Cmd::ReopenBallot
                || (b.hint
                    && b.cmd != Cmd::Announce
                    && !matches!(b.scope, Scope::Papers | Scope::Counting(_)))
        } else {
            // The log has no keys but its scroll: the footer names them there.
            b.hint
                || (ctx.screen == Screen::Log && matches!(b.cmd, Cmd::Up | Cmd::PageUp | Cmd::Top))
        };
        shown && b.applies(ctx)
    })
}

/// All bindings in help order: this screen's, then global.
pub fn help(ctx: impl Into<Ctx>) -> impl Iterator<Item = &'static Binding> {
    let ctx = ctx.into();
    BINDINGS.iter().filter(move |b| b.applies(ctx))
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

    fn all_ctx() -> Vec<Ctx> {
        let mut v: Vec<Ctx> = Screen::ALL.iter().map(|s| Ctx::on(*s)).collect();
        for k in [
            CountKind::Approval,
            CountKind::Satisfaction,
            CountKind::Resolution,
        ] {
            for ruling in [false, true] {
                v.push(Ctx {
                    screen: Screen::Ballot,
                    kind: Some(k),
                    ruling,
                    locked: false,
                });
            }
        }
        v
    }

    #[test]
    fn no_key_is_bound_twice_in_a_context() {
        for ctx in all_ctx() {
            let mut seen = Vec::new();
            for b in help(ctx) {
                for k in b.keys {
                    assert!(!seen.contains(k), "{k:?} bound twice in {ctx:?}");
                    seen.push(*k);
                }
            }
        }
    }

    #[test]
    fn paper_keys_follow_the_kind_of_count() {
        let approval = Ctx {
            screen: Screen::Ballot,
            kind: Some(CountKind::Approval),
            ruling: false,
            locked: false,
        };
        let eval = Ctx {
            screen: Screen::Ballot,
            kind: Some(CountKind::Satisfaction),
            ruling: false,
            locked: false,
        };
        assert_eq!(lookup(&key('o'), approval), Some(Cmd::Mark('Y')));
        assert_eq!(lookup(&key('1'), approval), Some(Cmd::Mark('Y')));
        assert_eq!(lookup(&key('1'), eval), Some(Cmd::Mark('S')));
        assert_eq!(
            lookup(&key('1'), Screen::Roll),
            Some(Cmd::GoTo(Screen::Agenda))
        );
        assert_eq!(lookup(&key(']'), approval), Some(Cmd::NextRoundView));
        assert_eq!(
            lookup(&KeyEvent::new(KeyCode::Enter, NONE), approval),
            Some(Cmd::Record)
        );
        assert_eq!(
            lookup(&KeyEvent::new(KeyCode::Enter, NONE), Screen::Agenda),
            Some(Cmd::Open)
        );
    }

    /// Every printable key, in both cases, with and without Shift: what it can mean.
    fn every_typed_key() -> Vec<KeyEvent> {
        let mut v = Vec::new();
        for b in 0x20u8..0x7f {
            let ch = b as char;
            for m in [NONE, KeyModifiers::SHIFT] {
                v.push(KeyEvent::new(KeyCode::Char(ch), m));
                v.push(KeyEvent::new(KeyCode::Char(ch.to_ascii_uppercase()), m));
            }
        }
        v
    }

    #[test]
    fn on_the_count_screen_no_typed_key_reaches_a_command() {
        for kind in [
            CountKind::Approval,
            CountKind::Satisfaction,
            CountKind::Resolution,
        ] {
            for ruling in [false, true] {
                let ctx = Ctx {
                    screen: Screen::Ballot,
                    kind: Some(kind),
                    ruling,
                    locked: false,
                };
                for k in every_typed_key() {
                    let got = lookup(&k, ctx);
                    let data = matches!(
                        got,
                        None | Some(
                            Cmd::Mark(_)
                                | Cmd::RestYes
                                | Cmd::RestAbstain
                                | Cmd::AllYesExcept
                                | Cmd::BlankPaper
                                | Cmd::VoidPaper
                                | Cmd::PrevRoundView
                                | Cmd::NextRoundView
                                | Cmd::Help
                                | Cmd::Quit
                        )
                    );
                    assert!(data, "{k:?} on {kind:?} reaches {got:?}");
                }
                // Enter records the paper (or opens the totals); it never announces or confirms
                let enter = lookup(&KeyEvent::new(KeyCode::Enter, NONE), ctx);
                assert!(
                    matches!(enter, Some(Cmd::Record | Cmd::Totals)),
                    "{enter:?}"
                );
            }
        }
    }

    #[test]
    fn a_mark_means_the_same_in_either_case_and_with_shift() {
        let approval = Ctx {
            screen: Screen::Ballot,
            kind: Some(CountKind::Approval),
            ruling: false,
            locked: false,
        };
        let eval = Ctx {
            screen: Screen::Ballot,
            kind: Some(CountKind::Satisfaction),
            ruling: false,
            locked: false,
        };
        for (ctx, keys) in [(approval, "oxyna"), (eval, "sbua")] {
            for ch in keys.chars() {
                let want = lookup(&key(ch), ctx);
                assert!(matches!(want, Some(Cmd::Mark(_))), "{ch}");
                for k in [
                    key(ch.to_ascii_uppercase()),
                    KeyEvent::new(KeyCode::Char(ch), KeyModifiers::SHIFT),
                    KeyEvent::new(KeyCode::Char(ch.to_ascii_uppercase()), KeyModifiers::SHIFT),
                ] {
                    assert_eq!(lookup(&k, ctx), want, "{k:?}");
                }
            }
        }
        assert_eq!(
            lookup(&KeyEvent::new(KeyCode::F(8), NONE), approval),
            Some(Cmd::Announce)
        );
        assert_eq!(
            lookup(
                &KeyEvent::new(
                    KeyCode::Char('P'),
                    KeyModifiers::CONTROL | KeyModifiers::SHIFT
                ),
                approval
            ),
            Some(Cmd::ProjectorResults)
        );
    }

    #[test]
    fn an_announced_count_offers_no_paper_key_and_names_the_way_back() {
        for kind in [CountKind::Approval, CountKind::Satisfaction] {
            let open = Ctx {
                screen: Screen::Ballot,
                kind: Some(kind),
                ruling: false,
                locked: false,
            };
            let locked = Ctx {
                locked: true,
                ..open
            };
            let before: Vec<Cmd> = hints(open).map(|b| b.cmd).collect();
            let after: Vec<Cmd> = hints(locked).map(|b| b.cmd).collect();
            assert!(before.contains(&Cmd::Record) && before.contains(&Cmd::Announce));
            for gone in [
                Cmd::Record,
                Cmd::Announce,
                Cmd::VoidPaper,
                Cmd::Undo,
                Cmd::Issued,
            ] {
                assert!(
                    !after.contains(&gone),
                    "{gone:?} offered on an announced {kind:?}"
                );
            }
            assert!(!after.iter().any(|c| matches!(c, Cmd::Mark(_))));
            for kept in [Cmd::ReopenBallot, Cmd::NextScreen, Cmd::Help, Cmd::Quit] {
                assert!(
                    after.contains(&kept),
                    "{kept:?} missing on an announced {kind:?}"
                );
            }
        }
    }

    #[test]
    fn every_screen_has_help_and_quit_hints() {
        for ctx in all_ctx() {
            let h: Vec<_> = hints(ctx).map(|b| b.cmd).collect();
            assert!(h.contains(&Cmd::Help) && h.contains(&Cmd::Quit));
        }
    }
}
