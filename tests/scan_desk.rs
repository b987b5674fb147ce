//! The count screen's scanning, driven headless and drawn on ratatui's TestBackend: the watched
//! folder read in batches with its progress line, a half-written file left until it stops
//! growing, a stack larger than the box stopping the watch with nothing of the batch recorded,
//! the watch resumed after a restart, and the 判定 desk (the row's picture, nothing counted
//! until every doubtful row is keyed, the ruling recorded with who made it, the count's other
//! keys shut while a sheet is on the desk).

mod common;

use std::path::Path;
use std::time::Duration;

use huiwu::domain::action::{Action, Ts};
use huiwu::domain::quorum::Presence;
use huiwu::engine::ManualClock;
use huiwu::i18n::Lang;
use huiwu::paper::synth::{self, Distortion, Extra, RowMark, Style};
use huiwu::sessionfile;
use huiwu::tui::app::App;
use huiwu::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn t0() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-12-18T14:30:00+08:00").unwrap()
}

fn open(dir: &Path) -> App {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/hexi-ballot.toml");
    let loaded = sessionfile::load(&path).unwrap();
    let e = huiwu::opening::open_session(
        &loaded,
        &dir.join("s.db"),
        "main",
        Box::new(ManualClock::new(t0())),
    )
    .unwrap();
    App::new(e, Lang::Zh)
}

/// All present, the 票决 running with 280 issued and `returned` returned, on the count screen.
fn desk(dir: &Path, returned: u32) -> App {
    let mut app = open(dir);
    for a in [
        Action::MarkUnmarked {
            status: Presence::Present,
        },
        Action::StartItem {
            item: "ballot".into(),
        },
        Action::SetIssued {
            ballot: "ballot".into(),
            issued: 280,
        },
        Action::SetReturned {
            ballot: "ballot".into(),
            returned,
        },
    ] {
        app.engine.execute(a).unwrap();
    }
    app.count.pick_default(app.engine.state());
    app.on_key(KeyEvent::new(KeyCode::Char('3'), KeyModifiers::NONE));
    app
}

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn ctrl(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn typ(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// The screen at 120×40 as text.
fn text(app: &App) -> String {
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| view::render(app, f)).unwrap();
    common::buffer_text(term.backend().buffer())
}

/// `n` sheets of the ballot in `folder`: the first row of sheet 2 has a scribbled-out mark
/// beside its ○ (a clerk must decide), the others plain. What each sheet says, by file.
fn stack(app: &App, folder: &Path, n: usize) -> Vec<String> {
    let fp = app.engine.genesis().fingerprint.clone();
    let (spec, sheet) = huiwu::paper::paper_of(app.engine.state(), "ballot", &fp).unwrap();
    std::fs::create_dir_all(folder).unwrap();
    let mut said = Vec::new();
    for i in 1..=n {
        let marks: Vec<RowMark> = (0..spec.rows.len())
            .map(|r| RowMark {
                choice: Some(if r < 8 { 0 } else { 1 }),
                style: Style::Circle,
                extra: if i == 2 && r == 0 {
                    Extra::ScribbledOut
                } else {
                    Extra::None
                },
            })
            .collect();
        let d = Distortion {
            rotate: i as f32 * 0.7 - 2.0,
            ..Distortion::default()
        };
        let bytes = synth::scan(&sheet, &marks, &d, i as u64);
        std::fs::write(folder.join(format!("scan-{i:03}.png")), bytes).unwrap();
        said.push(
            marks
                .iter()
                .map(|m| synth::intended(&spec.kind, m))
                .collect(),
        );
    }
    said
}

/// Let the watch look at the folder until it has nothing left to read (each look waits for a
/// file's size to hold still once).
fn drain(app: &mut App) {
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(320));
        app.refresh();
        if !app.scanning() && app.watch.as_ref().is_some_and(|w| w.tally.read > 0) {
            break;
        }
    }
}

/// The 票决 as the console sees it.
fn ballot(app: &App) -> &huiwu::domain::ballots::BallotState {
    app.engine.state().ballots.get("ballot").unwrap()
}

/// Ctrl-S and the folder (offered again when the watch stopped: Enter takes it).
fn start_watch(app: &mut App, folder: &Path) {
    ctrl(app, 's');
    assert!(
        text(app).contains("扫描仪存放扫描件的文件夹"),
        "{}",
        text(app)
    );
    if app.watch.is_none() {
        typ(app, &folder.display().to_string());
    }
    press(app, KeyCode::Enter);
    assert!(app.watch.is_some(), "{}", text(app));
}

#[test]
fn the_watched_folder_is_read_in_batches_and_doubtful_sheets_wait_for_a_ruling() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = desk(dir.path(), 280);
    let folder = dir.path().join("扫描仪");
    let said = stack(&app, &folder, 4);
    start_watch(&mut app, &folder);
    drain(&mut app);
    let b = ballot(&app);
    assert_eq!(b.sheets.len(), 4);
    assert_eq!(b.keyed(), 3, "the doubtful sheet is not counted");
    assert_eq!(b.waiting_sheets().count(), 1);
    let screen = text(&app);
    assert!(screen.contains("本次读入 4 张(待判定 1)"), "{screen}");
    assert!(
        screen.contains("扫描件 4 张:已计 3 张,待判定 1 张"),
        "{screen}"
    );
    assert!(screen.contains("Ctrl-R 判定"), "{screen}");

    // A scan the scanner is still writing is left alone; the whole file is read once settled.
    let other = stack(&app, &dir.path().join("more"), 5).pop().unwrap();
    let fifth = std::fs::read(dir.path().join("more/scan-005.png")).unwrap();
    std::fs::write(folder.join("scan-005.png"), &fifth[..fifth.len() / 2]).unwrap();
    for _ in 0..4 {
        std::thread::sleep(Duration::from_millis(320));
        app.refresh();
    }
    assert_eq!(ballot(&app).sheets.len(), 4);
    assert_eq!(
        app.watch.as_ref().unwrap().tally.refused,
        0,
        "nothing half written is read"
    );
    std::fs::write(folder.join("scan-005.png"), &fifth).unwrap();
    drain(&mut app);
    let b = ballot(&app);
    assert_eq!(b.sheets.len(), 5, "{}", text(&app));
    assert_eq!(b.papers.last().unwrap().marks, other);
    assert_eq!(b.keyed(), 4);

    // A file that stays broken is read once settled, refused with its reason, not counted.
    std::fs::write(folder.join("scan-900.png"), b"\x89PNG\r\n\x1a\n half").unwrap();
    drain(&mut app);
    let screen = text(&app);
    assert!(screen.contains("未能识读 1"), "{screen}");
    assert!(screen.contains("scan-900.png"), "{screen}");
    assert_eq!(ballot(&app).sheets.len(), 5);

    // The announcement waits for the ruling.
    press(&mut app, KeyCode::F(8));
    assert!(
        text(&app).contains("张扫描件待判定(Ctrl-R)"),
        "{}",
        text(&app)
    );

    // The 判定 desk: who rules, then the sheet with its picture and its doubtful row.
    ctrl(&mut app, 'r');
    assert!(text(&app).contains("判定人"));
    typ(&mut app, "葛玉洁");
    press(&mut app, KeyCode::Enter);
    let screen = text(&app);
    assert!(screen.contains("判定扫描件 S0002"), "{screen}");
    assert!(screen.contains("判定人 葛玉洁"), "{screen}");
    assert!(
        screen.contains('▀') || screen.contains('▄'),
        "the row's picture is drawn in half-blocks:\n{screen}"
    );
    // While the sheet is on the desk the count's procedure keys do nothing at all.
    for k in [8, 5, 9, 12, 2, 3] {
        app.flash = None;
        press(&mut app, KeyCode::F(k));
        assert!(app.modal.is_none(), "F{k} opens nothing while ruling");
        assert!(app.flash.is_none(), "F{k} says nothing while ruling");
    }
    // The desk stays with its ballot: on another item's count its keys do not reach it.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::BackTab);
    assert!(text(&app).contains("判定扫描件 S0002"), "{}", text(&app));
    app.count.open_item(app.engine.state(), 2);
    assert!(!text(&app).contains("判定扫描件"), "{}", text(&app));
    press(&mut app, KeyCode::Enter);
    assert!(
        matches!(app.modal, Some(huiwu::tui::app::Modal::Input { .. })),
        "Enter keys the resolution's totals there, it rules on no hidden sheet"
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(ballot(&app).keyed(), 4);
    app.count.pick_default(app.engine.state());
    assert!(text(&app).contains("判定扫描件 S0002"), "{}", text(&app));
    // Enter before the doubtful row is keyed counts nothing.
    press(&mut app, KeyCode::Enter);
    assert!(text(&app).contains("第 1 栏尚未判定"), "{}", text(&app));
    assert_eq!(ballot(&app).keyed(), 4);
    // The paper shows ○ in row 1. A stray × after it changes row 1 again, the row on the
    // desk, never a row the machine read for sure.
    let sure = app.ruling.as_ref().unwrap().entry.marks.clone();
    typ(&mut app, "ox");
    let now = &app.ruling.as_ref().unwrap().entry.marks;
    assert_eq!(now[0], Some('N'));
    assert_eq!(now[1..], sure[1..], "the machine's sure rows are untouched");
    // Leaving now would drop the keyed row: Esc warns first.
    press(&mut app, KeyCode::Esc);
    assert!(
        app.ruling.is_some() && text(&app).contains("尚未计入"),
        "{}",
        text(&app)
    );
    // The clerk keys it right (Caps Lock on), then Enter.
    typ(&mut app, "O");
    press(&mut app, KeyCode::Enter);
    let b = ballot(&app);
    assert_eq!(b.keyed(), 5, "{}", text(&app));
    let s2 = b.sheets.iter().find(|s| s.sheet.serial == "S0002").unwrap();
    let ruling = s2.ruling.as_ref().unwrap();
    assert_eq!(
        (ruling.marks.as_str(), ruling.by.as_str()),
        (said[1].as_str(), "葛玉洁")
    );
    assert!(app.ruling.is_none(), "the queue is empty: the desk closes");
    assert!(text(&app).contains("扫描件均已判定"), "{}", text(&app));
    for (i, want) in said.iter().enumerate() {
        let serial = format!("S{:04}", i + 1);
        let p = b.papers.iter().find(|p| p.serial == serial).unwrap();
        assert_eq!(&p.marks, want, "{serial}");
    }

    // Restarted, the console watches the same folder again and counts nothing twice.
    drop(app);
    let mut app = open(dir.path());
    assert!(app.watch.is_some(), "the watch resumes after a restart");
    drain(&mut app);
    let b = ballot(&app);
    assert_eq!((b.sheets.len(), b.keyed()), (5, 5));
    assert_eq!(app.watch.as_ref().unwrap().tally.again, 5);
}

#[test]
fn a_stack_larger_than_the_box_stops_the_watch_and_records_nothing_of_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = desk(dir.path(), 3);
    let folder = dir.path().join("scans");
    stack(&app, &folder, 5);
    start_watch(&mut app, &folder);
    drain(&mut app);
    let b = ballot(&app);
    // Batches before the excess are recorded; the one that would pass 收回 is refused whole.
    let recorded = b.sheets.len();
    assert!(recorded <= 3, "{recorded} sheets for a box of 3");
    let w = app.watch.as_ref().unwrap();
    assert!(!w.running());
    let screen = text(&app);
    assert!(screen.contains("扫描已停止"), "{screen}");
    assert!(screen.contains("多于收回票数 3 张"), "{screen}");
    let kept = std::fs::read_dir(dir.path().join("s.scans/ballot")).map_or(0, |d| d.count());
    assert_eq!(kept, recorded, "no image of the refused batch is kept");
    // The scrutineers recount the box: 5 returned. The watch starts again and reads the rest.
    app.engine
        .execute(Action::SetReturned {
            ballot: "ballot".into(),
            returned: 5,
        })
        .unwrap();
    start_watch(&mut app, &folder);
    drain(&mut app);
    assert_eq!(ballot(&app).sheets.len(), 5);
}

#[test]
fn a_second_console_refused_for_the_same_images_deletes_none_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = desk(dir.path(), 280);
    let folder = dir.path().join("scans");
    stack(&first, &folder, 3);
    // A second console on the same database, its state read before the first one scans.
    let mut second = open(dir.path());
    let mut t = huiwu::paper::stack::Tally::default();
    let files = huiwu::paper::stack::files_in(&[folder], &mut t.refusals).unwrap();
    let images = huiwu::paper::stack::load(&files, &mut t);
    huiwu::paper::stack::record(&mut first.engine, "ballot", &images).unwrap();
    let kept = dir.path().join("s.scans/ballot");
    let before: Vec<_> = std::fs::read_dir(&kept)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(before.len(), 3);
    // The second console plans the same sheets under the same names from its older state;
    // the record refuses them (read before), and the images stay.
    let second_try = huiwu::paper::stack::record(&mut second.engine, "ballot", &images);
    assert!(second_try.is_err(), "{second_try:?}");
    for p in &before {
        assert!(p.exists(), "{} is still kept", p.display());
    }
    let b = second.engine.state().ballots.get("ballot").unwrap();
    assert_eq!(b.sheets.len(), 3);
}

/// Sheet `i` of [`stack`] scanned again (the feeder jammed and the stack went in again): the
/// same marks, another angle, offset and JPEG.
fn refeed(app: &App, folder: &Path, i: usize, name: &str) {
    let fp = app.engine.genesis().fingerprint.clone();
    let (spec, sheet) = huiwu::paper::paper_of(app.engine.state(), "ballot", &fp).unwrap();
    let marks: Vec<RowMark> = (0..spec.rows.len())
        .map(|r| RowMark {
            choice: Some(if r < 8 { 0 } else { 1 }),
            style: Style::Circle,
            extra: if i == 2 && r == 0 {
                Extra::ScribbledOut
            } else {
                Extra::None
            },
        })
        .collect();
    let d = Distortion {
        rotate: 1.9,
        offset: (2.5, -1.0),
        noise: 4.0,
        jpeg: Some(65),
        ..Distortion::default()
    };
    std::fs::write(folder.join(name), synth::scan(&sheet, &marks, &d, i as u64)).unwrap();
}

#[test]
fn a_sheet_fed_twice_is_shown_beside_its_match_and_set_aside_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = desk(dir.path(), 280);
    let folder = dir.path().join("scans");
    stack(&app, &folder, 3);
    refeed(&app, &folder, 3, "scan-004.jpg");
    start_watch(&mut app, &folder);
    drain(&mut app);
    let b = ballot(&app);
    assert_eq!(b.sheets.len(), 4);
    let s4 = b.sheets.iter().find(|s| s.sheet.serial == "S0004").unwrap();
    assert_eq!(
        s4.sheet.twin.as_deref(),
        Some("S0003"),
        "the second feed is caught"
    );
    assert_eq!(
        b.keyed(),
        2,
        "sheet 2 waits for its doubtful row, sheet 4 as a second feed"
    );
    assert!(text(&app).contains("其中疑似重复送入 1"), "{}", text(&app));
    ctrl(&mut app, 'r');
    typ(&mut app, "葛玉洁");
    press(&mut app, KeyCode::Enter);
    // Sheet 2 first, in scan order; PgDn brings the second feed.
    assert!(text(&app).contains("判定扫描件 S0002"), "{}", text(&app));
    // Ctrl-X is for a second feed only.
    ctrl(&mut app, 'x');
    assert!(app.modal.is_none());
    assert!(text(&app).contains("不是疑似重复送入"), "{}", text(&app));
    press(&mut app, KeyCode::PageDown);
    let screen = text(&app);
    assert!(screen.contains("判定扫描件 S0004"), "{screen}");
    assert!(
        screen.contains("疑为重复送入") && screen.contains("S0003"),
        "{screen}"
    );
    // A clerk cannot change a row the machine read for sure, not even here.
    press(&mut app, KeyCode::Down);
    typ(&mut app, "x");
    press(&mut app, KeyCode::Enter);
    assert!(text(&app).contains("机器已确定读出"), "{}", text(&app));
    assert!(app.modal.is_none());
    press(&mut app, KeyCode::Up);
    typ(&mut app, "o");
    // Ctrl-X asks, stating what follows; a wrong key changes nothing.
    ctrl(&mut app, 'x');
    assert!(app.confirm_answer().is_some(), "asks before setting aside");
    assert!(text(&app).contains("S0004 不计票"), "{}", text(&app));
    press(&mut app, KeyCode::Enter);
    assert!(app.modal.is_none());
    assert!(
        ballot(&app)
            .waiting_sheets()
            .any(|s| s.sheet.serial == "S0004")
    );
    ctrl(&mut app, 'x');
    let answer = app.confirm_answer().unwrap();
    typ(&mut app, &answer.to_string());
    let b = ballot(&app);
    let s4 = b.sheets.iter().find(|s| s.sheet.serial == "S0004").unwrap();
    let aside = s4.set_aside.as_ref().expect("set aside");
    assert_eq!(
        (aside.same_as.as_str(), aside.by.as_str()),
        ("S0003", "葛玉洁")
    );
    assert_eq!(b.keyed(), 2, "never counted");
    // The desk goes on with the sheet still waiting.
    assert!(text(&app).contains("判定扫描件 S0002"), "{}", text(&app));
}

#[test]
fn a_scrutineer_overrules_a_sure_row_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = desk(dir.path(), 280);
    let folder = dir.path().join("scans");
    let said = stack(&app, &folder, 2);
    start_watch(&mut app, &folder);
    drain(&mut app);
    ctrl(&mut app, 'r');
    typ(&mut app, "楼志强");
    press(&mut app, KeyCode::Enter);
    assert!(text(&app).contains("判定扫描件 S0002"), "{}", text(&app));
    typ(&mut app, "o");
    press(&mut app, KeyCode::Down);
    typ(&mut app, "x");
    press(&mut app, KeyCode::Enter);
    assert!(text(&app).contains("写明理由"), "{}", text(&app));
    // An empty reason is no reason.
    press(&mut app, KeyCode::Enter);
    assert_eq!(ballot(&app).keyed(), 1);
    if app.modal.is_none() {
        typ(&mut app, "o");
        press(&mut app, KeyCode::Down);
        typ(&mut app, "x");
        press(&mut app, KeyCode::Enter);
    }
    typ(&mut app, "原票第二栏画×");
    press(&mut app, KeyCode::Enter);
    let b = ballot(&app);
    assert_eq!(b.keyed(), 2, "{}", text(&app));
    let s2 = b.sheets.iter().find(|s| s.sheet.serial == "S0002").unwrap();
    let r = s2.ruling.as_ref().unwrap();
    assert_eq!(r.overrule.as_deref(), Some("原票第二栏画×"));
    let mut want: Vec<char> = said[1].chars().collect();
    want[1] = 'N';
    assert_eq!(r.marks, want.into_iter().collect::<String>());
}
