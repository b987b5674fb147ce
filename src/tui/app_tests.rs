use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::domain::quorum::Presence;
use crate::domain::sample;
use crate::domain::session::QuorumRule;
use crate::domain::state::ItemStatus;
use crate::engine::ManualClock;
use crate::sessionfile::Loaded;

fn t0() -> crate::domain::time::Ts {
    chrono::DateTime::parse_from_rfc3339("2026-07-28T14:30:00+08:00").unwrap()
}

pub fn app(dir: &tempfile::TempDir, n: usize, lang: Lang) -> (App, ManualClock) {
    let loaded = Loaded {
        def: sample::session(n, 3, QuorumRule::TwoThirds),
        path: "t.toml".into(),
        warnings: Vec::new(),
    };
    let clock = ManualClock::new(t0());
    let e = crate::opening::open_session(
        &loaded,
        &dir.path().join("t.db"),
        "main",
        Box::new(clock.clone()),
    )
    .unwrap();
    (App::new(e, lang), clock)
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn code(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn typ(app: &mut App, s: &str) {
    for c in s.chars() {
        app.on_key(key(c));
    }
}

#[test]
fn roll_call_by_keys_then_start_the_first_item() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 9, Lang::Zh);
    a.on_key(key('2'));
    assert_eq!(a.screen, Screen::Roll);
    // p marks and moves down: six presses mark six deputies
    typ(&mut a, "pppppp");
    assert_eq!(a.engine.state().attendance.present, 6);
    a.on_key(key('l'));
    assert_eq!(a.engine.state().attendance.leave, 1);
    a.on_key(key('1'));
    // two deputies are not registered yet: starting the meeting asks first
    a.on_key(key('s'));
    assert!(a.confirm_answer().is_some());
    a.on_key(code(KeyCode::Enter));
    assert_eq!(a.engine.state().running(), None, "Enter never confirms");
    a.on_key(key('s'));
    answer(&mut a);
    assert!(a.flash.as_ref().unwrap().ok, "{:?}", a.flash);
    assert_eq!(a.engine.state().running(), Some(0));
}

/// Type the digit the open confirmation shows, as an operator reads it off the screen.
fn answer(a: &mut App) {
    let d = a.confirm_answer().expect("a confirmation is open");
    a.on_key(key(d));
}

/// By keys: everyone present (F2 on the roll), the vote started out of order (asked and
/// answered), its count screen open.
fn open_the_vote(a: &mut App) {
    a.on_key(key('2'));
    a.on_key(code(KeyCode::F(2)));
    answer(a);
    a.on_key(key('1'));
    a.agenda.sel = 2;
    a.on_key(key('s'));
    // items 1 and 2 are passed over: the start asks
    answer(a);
    a.on_key(code(KeyCode::Enter));
}

#[test]
fn start_without_quorum_is_refused_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 9, Lang::En);
    a.on_key(key('s'));
    let f = a.flash.clone().unwrap();
    assert!(!f.ok);
    assert!(f.text.contains("quorum"), "{}", f.text);
    assert_eq!(a.engine.state().running(), None);
}

#[test]
fn find_a_deputy_and_mark_leave() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 30, Lang::Zh);
    a.on_key(key('2'));
    a.on_key(key('/'));
    typ(&mut a, "代表17");
    assert_eq!(a.roll.view.len(), 1);
    a.on_key(code(KeyCode::Enter));
    assert!(!a.roll.finding);
    a.on_key(key('l'));
    let i = a.engine.state().deputy_index("D0017").unwrap();
    assert_eq!(a.engine.state().presence[i], Presence::Leave);
    a.on_key(code(KeyCode::Up));
    a.on_key(code(KeyCode::Esc));
    assert_eq!(a.roll.view.len(), 30);
    // the selection stays on the deputy found
    assert_eq!(
        a.engine.state().def.deputies[a.roll.view[a.roll.sel]].id,
        "D0017"
    );
}

#[test]
fn rest_present_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 10, Lang::Zh);
    a.on_key(key('2'));
    a.on_key(code(KeyCode::F(2)));
    assert!(matches!(a.modal, Some(Modal::Confirm(_))));
    a.on_key(key('y'));
    assert_eq!(
        a.engine.state().attendance.present,
        0,
        "y is not the answer"
    );
    a.on_key(code(KeyCode::F(2)));
    a.on_key(code(KeyCode::Enter));
    assert_eq!(a.engine.state().attendance.present, 0, "nor is Enter");
    // with Caps Lock on, P is p: one deputy present, nothing in bulk
    a.on_key(key('P'));
    assert_eq!(a.engine.state().attendance.present, 1);
    a.on_key(code(KeyCode::F(2)));
    answer(&mut a);
    assert_eq!(a.engine.state().attendance.present, 10);
}

#[test]
fn note_in_chinese_and_reopen_needs_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, clock) = app(&dir, 3, Lang::Zh);
    a.on_key(key('2'));
    a.on_key(code(KeyCode::F(2)));
    answer(&mut a);
    a.on_key(key('1'));
    a.on_key(key('s'));
    a.on_key(key('n'));
    typ(&mut a, "主持人宣布大会开幕");
    a.on_key(code(KeyCode::Enter));
    assert_eq!(
        a.engine.state().items[0].notes[0].text,
        "主持人宣布大会开幕"
    );
    clock.advance(300);
    a.on_key(key('f'));
    assert_eq!(a.engine.state().items[0].status, ItemStatus::Done);
    // the cursor went on to the next item: back up to the finished one;
    // re-open with an empty reason is refused and the prompt stays open
    a.on_key(code(KeyCode::Up));
    a.on_key(key('r'));
    a.on_key(code(KeyCode::Enter));
    assert!(matches!(a.modal, Some(Modal::Input { .. })));
    assert!(!a.flash.as_ref().unwrap().ok);
    typ(&mut a, "补充说明");
    a.on_key(code(KeyCode::Enter));
    assert!(a.modal.is_none());
    assert_eq!(a.engine.state().items[0].status, ItemStatus::Running);
}

#[test]
fn unknown_keys_do_nothing_and_quit_asks() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 3, Lang::Zh);
    let seq = a.engine.state().seq;
    for c in "zxcvbjm!@#$%^&*()".chars() {
        a.on_key(key(c));
    }
    a.on_key(code(KeyCode::F(7)));
    assert_eq!(a.engine.state().seq, seq);
    assert!(a.modal.is_none());
    a.on_key(key('q'));
    assert!(!a.quit);
    a.on_key(key('x'));
    assert!(!a.quit && a.modal.is_none());
    a.on_key(key('q'));
    a.on_key(key('y'));
    assert!(a.quit);
}

#[test]
fn screen_and_selection_are_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, clock) = app(&dir, 5, Lang::Zh);
    a.on_key(key('2'));
    a.on_key(code(KeyCode::Down));
    a.on_key(code(KeyCode::Down));
    a.on_key(key('q'));
    a.on_key(key('y'));
    drop(a);
    let e = Engine::open(&dir.path().join("t.db"), "main", Box::new(clock)).unwrap();
    let b = App::new(e, Lang::Zh);
    assert_eq!(b.screen, Screen::Roll);
    assert_eq!(b.roll.sel, 2);
}

#[test]
fn paste_never_submits() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 3, Lang::Zh);
    a.on_key(key('n'));
    a.on_paste("第一行\n第二行");
    assert!(
        matches!(&a.modal, Some(Modal::Input { input, .. }) if input.text() == "第一行 第二行")
    );
}

#[test]
fn an_esc_just_before_a_function_key_does_not_key_marks() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 9, Lang::Zh);
    open_the_vote(&mut a);
    assert_eq!(a.screen, Screen::Ballot);
    let n = a
        .engine
        .state()
        .ballots
        .get("vote")
        .unwrap()
        .candidates
        .len();
    for _ in 0..n {
        a.on_key(key('o'));
    }
    a.on_key(code(KeyCode::Enter));
    // Esc, then F5 split by the terminal into `[ 1 5 ~`
    for k in [code(KeyCode::Esc), key('['), key('1'), key('5'), key('~')] {
        a.on_key(k);
    }
    assert!(a.count.entry.is_blank(), "the sequence keyed marks");
    assert!(a.confirm_answer().is_some(), "F5 asks to undo");
    a.on_key(code(KeyCode::Esc));
    // a [ typed after Esc and then a mark is both, as typed
    for k in [code(KeyCode::Esc), key('['), key('x')] {
        a.on_key(k);
    }
    assert_eq!(a.count.entry.letters().chars().next(), Some('N'));
}

#[test]
fn the_announcement_is_offered_only_when_the_figures_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 9, Lang::Zh);
    open_the_vote(&mut a);
    let n = a
        .engine
        .state()
        .ballots
        .get("vote")
        .unwrap()
        .candidates
        .len();
    let f8 = |a: &mut App| a.on_key(code(KeyCode::F(8)));
    // nothing issued yet
    f8(&mut a);
    assert!(a.confirm_answer().is_none());
    assert!(
        a.flash.as_ref().unwrap().text.contains("F2"),
        "{:?}",
        a.flash
    );
    // 9 issued, 3 returned, 2 keyed: one still to key
    a.on_key(code(KeyCode::F(2)));
    a.on_key(code(KeyCode::Enter));
    a.on_key(code(KeyCode::F(3)));
    a.on_key(key('3'));
    a.on_key(code(KeyCode::Enter));
    for _ in 0..2 {
        for _ in 0..n {
            a.on_key(key('x'));
        }
        a.on_key(code(KeyCode::Enter));
    }
    f8(&mut a);
    assert!(a.confirm_answer().is_none());
    assert!(
        a.flash.as_ref().unwrap().text.contains("还有 1 张未录入"),
        "{:?}",
        a.flash
    );
    // the third paper half keyed: record or clear it first
    a.on_key(key('o'));
    f8(&mut a);
    assert!(a.confirm_answer().is_none());
    for _ in 1..n {
        a.on_key(key('x'));
    }
    a.on_key(code(KeyCode::Enter));
    // now they add up: the prompt states the figures
    f8(&mut a);
    assert!(a.confirm_answer().is_some());
    let Some(Modal::Confirm(c)) = &a.modal else {
        panic!()
    };
    assert!(c.lines[0].contains("发出 9 张,收回 3 张"), "{:?}", c.lines);
    answer(&mut a);
    assert!(a.current_ballot().unwrap().locked());
}

/// The notes panel names the item under the cursor; `n` writes there, and its prompt says so,
/// even while another item runs (a note once went to the running item, in the chain for good).
#[test]
fn a_note_goes_to_the_item_the_panel_names_not_the_running_one() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 9, Lang::Zh);
    a.on_key(key('2'));
    a.on_key(code(KeyCode::F(2)));
    answer(&mut a);
    a.on_key(key('1'));
    a.on_key(key('s'));
    assert_eq!(a.engine.state().running(), Some(0), "{:?}", a.flash);
    a.on_key(code(KeyCode::Down));
    a.on_key(code(KeyCode::Down));
    let shown = a.engine.state().def.agenda[a.agenda.sel].title.clone();
    assert_eq!(a.agenda.sel, 2);
    a.on_key(key('n'));
    match &a.modal {
        Some(Modal::Input { title, .. }) => assert!(title.contains(&shown), "{title}"),
        m => panic!("no note prompt: {m:?}"),
    }
    typ(&mut a, "abc");
    a.on_key(code(KeyCode::Enter));
    let st = a.engine.state();
    assert_eq!(st.items[2].notes.len(), 1, "{:?}", a.flash);
    assert_eq!(st.items[2].notes[0].text, "abc");
    assert!(
        st.items[0].notes.is_empty(),
        "the running item took the note"
    );
}

/// After `f` the cursor leaves the finished item for the next one still to be held, so one
/// more `s` starts that one, never the item just ended or one further down.
#[test]
fn finishing_an_item_moves_the_cursor_to_the_next_pending_one() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 9, Lang::Zh);
    a.on_key(key('2'));
    a.on_key(code(KeyCode::F(2)));
    answer(&mut a);
    a.on_key(key('1'));
    a.on_key(key('s'));
    assert_eq!(a.engine.state().running(), Some(0), "{:?}", a.flash);
    a.on_key(key('f'));
    if a.confirm_answer().is_some() {
        answer(&mut a);
    }
    assert_eq!(a.engine.state().items[0].status, ItemStatus::Done);
    assert_eq!(a.agenda.sel, 1, "the cursor stayed on the finished item");
}

/// Starting an item while items above it are still to be held asks first, naming them; the
/// next item in order starts without a question.
#[test]
fn starting_an_item_out_of_order_asks_naming_the_items_skipped_over() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 9, Lang::Zh);
    a.on_key(key('2'));
    a.on_key(code(KeyCode::F(2)));
    answer(&mut a);
    a.on_key(key('1'));
    a.on_key(code(KeyCode::Down));
    a.on_key(code(KeyCode::Down));
    a.on_key(key('s'));
    assert!(a.confirm_answer().is_some(), "no question: {:?}", a.flash);
    let text = format!("{:?}", a.modal);
    let first = a.engine.state().def.agenda[0].title.clone();
    let second = a.engine.state().def.agenda[1].title.clone();
    assert!(text.contains(&first) && text.contains(&second), "{text}");
    a.on_key(code(KeyCode::Esc));
    assert_eq!(a.engine.state().running(), None);
    a.on_key(key('s'));
    answer(&mut a);
    assert_eq!(a.engine.state().running(), Some(2));
    // in order: no question
    a.on_key(key('f'));
    if a.confirm_answer().is_some() {
        answer(&mut a);
    }
    a.agenda.sel = 0;
    a.on_key(key('s'));
    assert!(a.confirm_answer().is_none(), "{:?}", a.modal);
    assert_eq!(a.engine.state().running(), Some(0));
}

/// The screen of a result announced, re-opened and announced again names the head of the
/// second announcement, number and hash together: the head it told the clerk to copy once
/// paired the new number with the first announcement's hash, and `verify --head` on it failed.
#[test]
fn a_result_announced_again_shows_the_head_of_the_new_announcement() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 9, Lang::Zh);
    let vote = || "vote".to_string();
    assert!(a.execute(Action::MarkUnmarked {
        status: Presence::Present
    }));
    assert!(a.execute(Action::StartItem { item: vote() }));
    assert!(a.execute(Action::SetIssued {
        ballot: vote(),
        issued: 9
    }));
    for n in 1..=9 {
        assert!(a.execute(Action::RecordPaper {
            ballot: vote(),
            serial: format!("main-{n:04}"),
            marks: "YYYNN".into(),
            void_reason: None,
        }));
    }
    let shown = |a: &App| {
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        term.draw(|f| crate::tui::view::render(a, f)).unwrap();
        let buf = term.backend().buffer();
        // As a terminal shows it: a double-width character covers the cell after it.
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut x = 0;
            while x < buf.area.width {
                let sym = buf[(x, y)].symbol();
                out.push_str(sym);
                x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
            }
            out.push('\n');
        }
        out
    };
    let head_of = |a: &App| {
        let seq = a.current_ballot().unwrap().announced_seq.unwrap();
        a.engine.store().head_text_of(seq).unwrap()
    };
    // The panel's line, not the title bar (which shows the latest head whatever happened).
    let panel = |a: &App| {
        let s = shown(a);
        s.lines()
            .find(|l| l.contains("宣布时事件链头"))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("no head line:\n{s}"))
    };
    a.on_key(key('3'));
    assert!(a.execute(Action::AnnounceBallot { ballot: vote() }));
    let first = head_of(&a);
    assert!(panel(&a).contains(&first), "{}", panel(&a));
    assert!(a.execute(Action::ReopenBallot {
        ballot: vote(),
        reason: "复核".into()
    }));
    assert!(a.execute(Action::AnnounceBallot { ballot: vote() }));
    let second = head_of(&a);
    assert_ne!(first, second);
    // A note after it moves the chain on: the panel must still name the announcement's head.
    assert!(a.execute(Action::AddNote {
        item: vote(),
        text: "宣布后备注".into()
    }));
    let line = panel(&a);
    assert!(line.contains(&second), "the new head is not shown: {line}");
}

/// A message wider than the screen takes a second row instead of losing its end (at 80×24 a
/// slip's list of mark keys, a correction's reason and a show of hands' figures were cut).
#[test]
fn a_long_message_wraps_onto_a_second_row_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 9, Lang::Zh);
    let text = "✗ 第 6 栏按了「k」,不是标记键:本票停在此栏,按 Bksp 删去这一键或 Esc 清空(标记键 o/1 x/2 空格/3)";
    a.flash = Some(Flash {
        text: text.into(),
        ok: false,
    });
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    term.draw(|f| crate::tui::view::render(&a, f)).unwrap();
    let buf = term.backend().buffer();
    let row = |y: u16| {
        let mut out = String::new();
        let mut x = 0;
        while x < 80 {
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
        }
        out.trim_end().to_string()
    };
    // Rows 21 and 22 (above the footer) hold it, end to end.
    // (A space at the break is not drawn.)
    assert_eq!(
        format!("{}{}", row(21), row(22)).replace(' ', ""),
        text.replace(' ', "")
    );
    assert!(row(23).contains("退出"), "the footer stays: {}", row(23));
}

/// A consequence longer than the box is read on with the arrows and page keys, which neither
/// take the step nor cancel; the box says where the reader is (a 15-project announcement at
/// 80×24 hid its last rows, and PgDn cancelled).
#[test]
fn a_long_confirmation_is_read_to_its_end_before_answering() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 9, Lang::Zh);
    a.size = (80, 24);
    let lines: Vec<String> = (1..=40).map(|i| format!("第{i}行:项目{i}")).collect();
    a.ask(
        "宣布结果".into(),
        lines,
        "宣布并锁定",
        Then::execute(Action::AddNote {
            item: "open".into(),
            text: "读完".into(),
        }),
    );
    let screen = |a: &App| {
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        term.draw(|f| crate::tui::view::render(a, f)).unwrap();
        let buf = term.backend().buffer();
        let mut out = String::new();
        for y in 0..24 {
            let mut x = 0;
            while x < 80 {
                let sym = buf[(x, y)].symbol();
                out.push_str(sym);
                x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
            }
            out.push('\n');
        }
        out
    };
    let s = screen(&a);
    assert!(s.contains("第1行") && !s.contains("第40行"), "{s}");
    assert!(s.contains("翻看全文(第 1–"), "{s}");
    let before = a.engine.log().len();
    a.on_key(code(KeyCode::PageDown));
    a.on_key(code(KeyCode::Down));
    assert!(
        a.confirm_answer().is_some(),
        "reading on cancelled the question"
    );
    a.on_key(code(KeyCode::End));
    let s = screen(&a);
    assert!(s.contains("第40行") && !s.contains("第1行:"), "{s}");
    assert!(s.contains("共 40 行"), "{s}");
    a.on_key(code(KeyCode::Home));
    assert!(screen(&a).contains("第1行:"));
    assert_eq!(a.engine.log().len(), before, "reading took the step");
    let d = a.confirm_answer().unwrap();
    a.on_key(key(d));
    assert_eq!(a.engine.log().len(), before + 1);
}

/// A refused figure closes its box: the digits a clerk types next for the screen must not join
/// it (issue 25, a clerk's run: F3 2 refused, then F7 3 Enter recorded 23 papers returned).
#[test]
fn a_refused_figure_closes_its_box_and_a_function_key_in_a_box_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, _) = app(&dir, 9, Lang::Zh);
    open_the_vote(&mut a);
    let n = a.current_ballot().unwrap().candidates.len();
    a.on_key(code(KeyCode::F(2)));
    a.on_key(code(KeyCode::Enter));
    for _ in 0..3 {
        for _ in 0..n {
            a.on_key(key('x'));
        }
        a.on_key(code(KeyCode::Enter));
    }
    // 2 returned with 3 papers keyed: refused, and the box is gone
    a.on_key(code(KeyCode::F(3)));
    a.on_key(key('2'));
    a.on_key(code(KeyCode::Enter));
    assert!(a.modal.is_none(), "the refused box stays open");
    assert!(a.flash.as_ref().is_some_and(|f| !f.ok), "{:?}", a.flash);
    // F7 now opens the strike prompt; its 3 is a serial, not a figure returned
    a.on_key(code(KeyCode::F(7)));
    a.on_key(key('3'));
    a.on_key(code(KeyCode::Enter));
    assert_eq!(a.current_ballot().unwrap().returned_declared, None);
    // in an open box a function key is refused by name, and the box keeps what was typed
    a.modal = None;
    a.on_key(code(KeyCode::F(3)));
    a.on_key(key('4'));
    a.on_key(code(KeyCode::F(7)));
    assert!(
        a.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("输入框仍开着")),
        "{:?}",
        a.flash
    );
    assert!(matches!(&a.modal, Some(Modal::Input { input, .. }) if input.text() == "4"));
    a.on_key(code(KeyCode::Enter));
    assert_eq!(a.current_ballot().unwrap().returned_declared, Some(4));
}
