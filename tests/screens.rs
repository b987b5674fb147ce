//! Screens rendered on ratatui's TestBackend: snapshots at 80×24 and 160×48 with Chinese
//! content, key facts asserted cell by cell, and a resize torture on every screen.

use huiwu::domain::action::{Action, Ts};
use huiwu::domain::quorum::Presence;
use huiwu::engine::ManualClock;
use huiwu::i18n::Lang;
use huiwu::sessionfile;
use huiwu::tui::app::App;
use huiwu::tui::keys::{Cmd, Screen};
use huiwu::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

fn t0() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-12-18T14:30:00+08:00").unwrap()
}

fn session_app(file: &str, lang: Lang, dir: &tempfile::TempDir) -> (App, ManualClock) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sessions")
        .join(file);
    let loaded = sessionfile::load(&path).unwrap();
    let clock = ManualClock::new(t0());
    let e = huiwu::opening::open_session(
        &loaded,
        &dir.path().join("s.db"),
        "main",
        Box::new(clock.clone()),
    )
    .unwrap();
    (App::new(e, lang), clock)
}

/// The screen as text, one line per row; a double-width character is written once.
fn text(app: &App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| view::render(app, f)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut x = 0;
        while x < w {
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            x += sym.width().max(1) as u16;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn key(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
}

fn code(app: &mut App, c: KeyCode) {
    app.on_key(KeyEvent::new(c, KeyModifiers::NONE));
}

/// 298 deputies: 280 present, 10 on leave, 8 absent; the ballot started with 280 issued and a
/// few papers keyed (one of them void).
fn ballot_in_progress(lang: Lang, dir: &tempfile::TempDir) -> (App, ManualClock) {
    let (mut app, clock) = session_app("hexi-ballot.toml", lang, dir);
    let ids: Vec<String> = app
        .engine
        .state()
        .def
        .deputies
        .iter()
        .map(|d| d.id.clone())
        .collect();
    for id in &ids[280..290] {
        app.engine
            .execute(Action::MarkAttendance {
                deputy: id.clone(),
                status: Presence::Leave,
            })
            .unwrap();
    }
    for id in &ids[290..] {
        app.engine
            .execute(Action::MarkAttendance {
                deputy: id.clone(),
                status: Presence::Absent,
            })
            .unwrap();
    }
    app.engine
        .execute(Action::MarkUnmarked {
            status: Presence::Present,
        })
        .unwrap();
    clock.advance(60);
    app.engine
        .execute(Action::StartItem {
            item: "ballot".into(),
        })
        .unwrap();
    app.engine
        .execute(Action::SetIssued {
            ballot: "ballot".into(),
            issued: 280,
        })
        .unwrap();
    for (i, m) in [
        "YYYYYYYYYYNNNNN",
        "YYYYYYYYYNYNNNN",
        "YYYYYYYYYYYNNNN",
        "YNYNYNYNYNAAAAA",
    ]
    .iter()
    .enumerate()
    {
        app.engine
            .execute(Action::RecordPaper {
                ballot: "ballot".into(),
                serial: format!("main-{:04}", i + 1),
                marks: m.to_string(),
                void_reason: None,
            })
            .unwrap();
    }
    app.agenda.sel = 3;
    code(&mut app, KeyCode::Enter);
    (app, clock)
}

#[test]
fn agenda_80x24_zh() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = ballot_in_progress(Lang::Zh, &dir);
    let mut app = app;
    app.dispatch(Cmd::GoTo(Screen::Agenda));
    let s = text(&app, 80, 24);
    assert!(s.contains("2027年度区政府民生实事项目票决"), "{s}");
    assert!(s.contains("进行中"));
    insta::assert_snapshot!("agenda_80x24_zh", s);
}

#[test]
fn roll_call_80x24_zh_shows_the_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = ballot_in_progress(Lang::Zh, &dir);
    app.dispatch(Cmd::GoTo(Screen::Roll));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("本次会议应到代表298名,实到280名,请假10名,缺席8名,符合法定人数。"),
        "{s}"
    );
    insta::assert_snapshot!("roll_80x24_zh", s);
}

#[test]
fn at_80_columns_the_count_keeps_its_pass_figure_and_empty_screens_their_way_on() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = ballot_in_progress(Lang::Zh, &dir);
    app.dispatch(Cmd::GoTo(Screen::Ballot));
    let s = text(&app, 80, 24);
    // The head's first row: the title gives way to the figure a scrutineer checks.
    let head = s.lines().nth(2).unwrap();
    assert!(head.contains("需 ≥150 票"), "{head}");
    // Mid-count no row is called 未当选: nothing is decided before every paper is in; and
    // before 收回 is declared no verdict on the figures is given.
    assert!(!s.contains("未当选"), "{s}");
    assert!(!s.contains("收回不多"), "{s}");
    app.dispatch(Cmd::GoTo(Screen::Commitments));
    let s = text(&app, 80, 24);
    assert!(s.contains("followups") && s.contains("带入。"), "{s}");
}

#[test]
fn count_160x48_zh() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = ballot_in_progress(Lang::Zh, &dir);
    key(&mut app, 'o');
    key(&mut app, 'x');
    let s = text(&app, 160, 48);
    assert!(
        s.contains("发出 280 · 收回 未录入(按 F3) · 有效 3 · 无效 1"),
        "{s}"
    );
    assert!(s.contains("需 ≥150 票"), "{s}");
    assert!(s.contains("本票:○1 ×1 弃权0 未标13"), "{s}");
    insta::assert_snapshot!("count_160x48_zh", s);
}

#[test]
fn count_80x24_en_after_announcement() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = ballot_in_progress(Lang::En, &dir);
    // Caps Lock A is 弃权, not "announce": it marks the paper on the desk
    key(&mut app, 'A');
    assert!(app.modal.is_none());
    key(&mut app, 'y');
    code(&mut app, KeyCode::Esc);
    code(&mut app, KeyCode::F(8));
    let d = app.confirm_answer().expect("F8 asks before announcing");
    key(&mut app, d);
    let s = text(&app, 80, 24);
    assert!(s.contains("ANNOUNCED"), "{s}");
    assert!(s.contains("head at announcement #"), "{s}");
    insta::assert_snapshot!("count_80x24_en_announced", s);
}

/// However long the consequence (fifteen candidates' sentences), the line with the digit that
/// answers stays on screen, at the smallest size too.
#[test]
fn a_confirmation_always_shows_its_answer() {
    for (w, h) in [(80, 24), (120, 40)] {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, _) = ballot_in_progress(Lang::Zh, &dir);
        code(&mut app, KeyCode::F(8));
        let d = app.confirm_answer().expect("F8 asks");
        let s = text(&app, w, h);
        assert!(
            s.contains(&format!("按 {d} 宣布并锁定")),
            "{w}x{h}: the answer line is not on screen:\n{s}"
        );
    }
}

#[test]
fn log_and_help_160x48_zh() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = ballot_in_progress(Lang::Zh, &dir);
    app.dispatch(Cmd::GoTo(Screen::Log));
    let s = text(&app, 160, 48);
    // Papers are folded into their counting period: no paper's serial or time of its own.
    assert!(s.contains("〔2027年度区政府民生实事项目票决〕计票"), "{s}");
    assert!(!s.contains("main-0004"), "{s}");
    insta::assert_snapshot!("log_160x48_zh", s);
    key(&mut app, '?');
    let s = text(&app, 160, 48);
    assert!(s.contains("帮助"), "{s}");
    insta::assert_snapshot!("help_log_160x48_zh", s);
}

/// Home on the log shows a full page of the oldest entries, not one row and a blank panel.
#[test]
fn log_home_shows_a_full_page_of_the_oldest() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = ballot_in_progress(Lang::Zh, &dir);
    app.dispatch(Cmd::GoTo(Screen::Log));
    code(&mut app, KeyCode::Home);
    let s = text(&app, 80, 24);
    // Entries are numbered in the first column; the oldest page starts at #1 and runs on.
    let numbers = |s: &str| -> Vec<u64> {
        s.lines()
            .filter_map(|l| {
                let w = l.trim_start_matches('│').trim_start().split(' ').next()?;
                w.parse().ok()
            })
            .collect()
    };
    let home = numbers(&s);
    assert!(home.len() >= 10, "{} rows after Home:\n{s}", home.len());
    // The key after Home moves the page at once (the scroll used to run on past the oldest
    // page, so the first Down and PageDown did nothing on screen).
    code(&mut app, KeyCode::Down);
    let down = numbers(&text(&app, 80, 24));
    // (The last number: the first may be the tab bar's `1`.)
    assert!(
        down.last() > home.last(),
        "Down after Home: {down:?} vs {home:?}"
    );
}

#[test]
fn too_small_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = ballot_in_progress(Lang::Zh, &dir);
    let s = text(&app, 60, 20);
    assert!(s.contains("窗口太小"), "{s}");
}

#[test]
fn resize_torture_never_panics_and_keeps_state() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = ballot_in_progress(Lang::Zh, &dir);
    key(&mut app, 'o');
    let entry = app.count.entry.clone();
    let seq = app.engine.state().seq;
    // a small deterministic generator: sizes from 0×0 up to 250×80
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut sizes = vec![(0u16, 0u16), (1, 1), (0, 30), (120, 0), (79, 23), (80, 24)];
    for _ in 0..1000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        sizes.push(((x % 251) as u16, ((x >> 16) % 81) as u16));
    }
    for screen in Screen::ALL {
        app.screen = screen;
        for &(w, h) in &sizes {
            let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
            term.draw(|f| view::render(&app, f)).unwrap();
        }
        // with a dialog open as well
        key(&mut app, '?');
        for &(w, h) in sizes.iter().take(200) {
            let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
            term.draw(|f| view::render(&app, f)).unwrap();
        }
        key(&mut app, 'x'); // any key closes help
    }
    assert_eq!(app.engine.state().seq, seq);
    assert_eq!(app.count.entry, entry);
}
