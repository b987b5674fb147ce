//! Every prompt and question a key opens, read whole at 80×24 and 120×40 (issue 25): on each
//! screen of three meetings in progress — a 票决 being keyed, the same count ready to announce,
//! a 问政会 with a question answered — every key of the screen's table is pressed on a fresh
//! console, and the dialog it opens is drawn on ratatui's TestBackend at both sizes, in Chinese
//! and English. Its title, its consequence and its answer must be inside the box whole: not cut
//! at the box's edge, not lost below it. A consequence longer than the box must say that it reads
//! on (its scrolling is tested in `src/tui/app_tests.rs`). The dialogs behind a first answer
//! (a paper's serial, then the reason, then the digit) are walked the same way.

use huiwu::domain::action::{Action, Ts};
use huiwu::domain::quorum::Presence;
use huiwu::engine::ManualClock;
use huiwu::i18n::Lang;
use huiwu::sessionfile;
use huiwu::tui::app::{App, Modal};
use huiwu::tui::keys::{self, Cmd, Screen};
use huiwu::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::style::Color;

fn t0() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-12-18T14:30:00+08:00").unwrap()
}

fn open(file: &str, lang: Lang, dir: &tempfile::TempDir) -> App {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sessions")
        .join(file);
    let loaded = sessionfile::load(&path).unwrap();
    let clock = ManualClock::new(t0());
    let e =
        huiwu::opening::open_session(&loaded, &dir.path().join("s.db"), "main", Box::new(clock))
            .unwrap();
    App::new(e, lang)
}

fn run(app: &mut App, actions: Vec<Action>) {
    let at = app.engine.now();
    app.engine.execute_all(actions, at).unwrap();
}

/// The district 票决: 280 of 298 present, 280 papers issued, four keyed; the count on screen.
fn counting(lang: Lang, dir: &tempfile::TempDir) -> App {
    let mut app = open("hexi-ballot.toml", lang, dir);
    let ids: Vec<String> = app
        .engine
        .state()
        .def
        .deputies
        .iter()
        .map(|d| d.id.clone())
        .collect();
    let mut actions: Vec<Action> = ids[280..]
        .iter()
        .map(|id| Action::MarkAttendance {
            deputy: id.clone(),
            status: Presence::Leave,
        })
        .collect();
    actions.push(Action::MarkUnmarked {
        status: Presence::Present,
    });
    actions.push(Action::StartItem {
        item: "ballot".into(),
    });
    actions.push(Action::SetIssued {
        ballot: "ballot".into(),
        issued: 280,
    });
    for (i, m) in [
        "YYYYYYYYYYNNNNN",
        "YYYYYYYYYNYNNNN",
        "YNYNYNYNYNAAAAA",
        "YYYYYYYYYYYNNNN",
    ]
    .iter()
    .enumerate()
    {
        actions.push(Action::RecordPaper {
            ballot: "ballot".into(),
            serial: format!("main-{:04}", i + 1),
            marks: m.to_string(),
            void_reason: None,
        });
    }
    run(&mut app, actions);
    app.agenda.sel = 3;
    app.on_key(KeyEvent::from(KeyCode::Enter));
    app
}

/// The same count with its figures declared: F8 asks with the whole announcement.
fn ready(lang: Lang, dir: &tempfile::TempDir) -> App {
    let mut app = counting(lang, dir);
    run(
        &mut app,
        vec![Action::SetReturned {
            ballot: "ballot".into(),
            returned: 4,
        }],
    );
    app
}

/// The 问政会: all present, the questioning item running, the first question asked, answered
/// and ended, with a commitment made.
fn questioning(lang: Lang, dir: &tempfile::TempDir) -> App {
    let mut app = open("qingxi-questioning.toml", lang, dir);
    let q = |q: &str| ("wenzheng".to_string(), q.to_string());
    let (item, question) = q("q1");
    run(
        &mut app,
        vec![
            Action::MarkUnmarked {
                status: Presence::Present,
            },
            Action::StartItem { item: item.clone() },
            Action::CallQuestion {
                item: item.clone(),
                question: question.clone(),
                asker: None,
            },
            Action::StartAnswer {
                item: item.clone(),
                question: question.clone(),
            },
            Action::FinishQuestion {
                item: item.clone(),
                question: question.clone(),
            },
            Action::AddCommitment {
                item,
                question,
                text: "年底前完成老旧小区加装电梯的审批流程优化".into(),
                unit: "区住房和城乡建设局".into(),
                due: "2027-06-30".into(),
            },
        ],
    );
    app
}

fn draw(app: &App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| view::render(app, f)).unwrap();
    term.backend().buffer().clone()
}

/// The text of the dialog drawn over the screen — its top border (which may carry the title)
/// and its rows, left to right and top to bottom — found as the innermost box in the dialogs'
/// colours around the screen's centre.
fn dialog_text(buf: &Buffer) -> Option<String> {
    let (w, h) = (buf.area.width, buf.area.height);
    let (cx, cy) = (w / 2, h / 2);
    let mut best: Option<(u16, u16, u16, u16)> = None;
    for y0 in 0..h {
        for x0 in 0..w {
            let c = &buf[(x0, y0)];
            if c.symbol() != "┌" || !matches!(c.fg, Color::Cyan | Color::Yellow) {
                continue;
            }
            let Some(x1) = (x0 + 1..w).find(|&x| buf[(x, y0)].symbol() == "┐") else {
                continue;
            };
            let Some(y1) = (y0 + 1..h).find(|&y| buf[(x0, y)].symbol() == "└") else {
                continue;
            };
            if x0 < cx && cx < x1 && y0 <= cy && cy <= y1 && best.is_none_or(|b| y0 > b.1) {
                best = Some((x0, y0, x1, y1));
            }
        }
    }
    let (x0, y0, x1, y1) = best?;
    let mut s = String::new();
    for y in y0..y1 {
        for x in x0 + 1..x1 {
            let sym = buf[(x, y)].symbol();
            if !(y == y0 && sym == "─") {
                s.push_str(sym);
            }
        }
    }
    Some(s)
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// What the dialog must show whole, and whether its consequence may read on instead.
fn expected(modal: &Modal, lang: Lang) -> Option<Vec<String>> {
    match modal {
        Modal::Input { title, .. } => Some(vec![title.clone()]),
        Modal::Confirm(c) => Some(vec![c.title.clone(), c.lines.join(""), c.answer_line(lang)]),
        Modal::Help | Modal::ConfirmQuit => None,
    }
}

/// Draw the dialog open on `app` at both sizes; a failure for each part of `want` not whole.
/// Returns how many drawings were checked.
fn check(app: &mut App, want: &[String], what: &str, failures: &mut Vec<String>) -> usize {
    let mut checked = 0;
    for (w, h) in [(80, 24), (120, 40)] {
        app.size = (w, h);
        let buf = draw(app, w, h);
        let Some(got) = dialog_text(&buf) else {
            failures.push(format!("{what}, {w}×{h}: no dialog box"));
            continue;
        };
        let got = squeeze(&got);
        let reads_on = got.contains("翻看全文") || got.contains("readon");
        for (i, part) in want.iter().enumerate() {
            if i == 1 && reads_on {
                continue;
            }
            if !got.contains(&squeeze(part)) {
                failures.push(format!("{what}, {w}×{h}: {part:?} is not whole in {got:?}"));
            }
        }
        checked += 1;
    }
    checked
}

/// The count announced: F9 asks for the reason, then for the digit.
fn announced(lang: Lang, dir: &tempfile::TempDir) -> App {
    let mut app = ready(lang, dir);
    run(
        &mut app,
        vec![Action::AnnounceBallot {
            ballot: "ballot".into(),
        }],
    );
    app
}

/// Type `text` into the open prompt and press Enter.
fn answer(app: &mut App, text: &str) {
    for c in text.chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    app.on_key(KeyEvent::from(KeyCode::Enter));
}

#[test]
fn the_dialogs_behind_a_first_answer_are_read_whole_too() {
    // (meeting, screen, the key, what is typed into each prompt it opens in turn)
    let walks: [(&str, Setup, Screen, KeyEvent, &[&str]); 3] = [
        (
            "strike a paper",
            counting,
            Screen::Ballot,
            KeyEvent::from(KeyCode::F(7)),
            &["1", "同一张选票录入两次"],
        ),
        (
            "re-open the result",
            announced,
            Screen::Ballot,
            KeyEvent::from(KeyCode::F(9)),
            &["监票人发现第3张选票录错"],
        ),
        (
            "withdraw a question",
            questioning,
            Screen::Questions,
            KeyEvent::from(KeyCode::Char('w')),
            &["提问代表因公务临时离会,本人申请撤回"],
        ),
    ];
    let mut checked = 0;
    let mut failures = Vec::new();
    for (what, setup, screen, key, typed) in walks {
        for lang in [Lang::Zh, Lang::En] {
            let dir = tempfile::tempdir().unwrap();
            let mut app = setup(lang, &dir);
            app.dispatch(Cmd::GoTo(screen));
            if screen == Screen::Questions {
                // the second question: still waiting, so it can be withdrawn or deferred
                app.on_key(KeyEvent::from(KeyCode::Down));
            }
            app.on_key(key);
            let mut steps = 0;
            for text in typed.iter().copied().chain([""]) {
                let Some(want) = app.modal.as_ref().and_then(|m| expected(m, lang)) else {
                    break;
                };
                steps += 1;
                checked += check(
                    &mut app,
                    &want,
                    &format!("{what} ({lang:?}), step {steps}"),
                    &mut failures,
                );
                if text.is_empty() {
                    break;
                }
                answer(&mut app, text);
            }
            // every walk ends at a question that asks for its digit
            assert!(
                matches!(app.modal, Some(Modal::Confirm(_))),
                "{what} ({lang:?}): no question after {steps} prompts; {:?}",
                app.flash
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} dialogs cut:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 16, "only {checked} dialogs drawn");
}

type Setup = fn(Lang, &tempfile::TempDir) -> App;

#[test]
fn every_dialog_a_key_opens_is_read_whole_at_80x24_and_120x40() {
    let meetings: [(&str, Setup, &[Screen]); 3] = [
        ("票决 being keyed", counting, &Screen::ALL),
        ("票决 ready to announce", ready, &[Screen::Ballot]),
        (
            "问政会, a question answered",
            questioning,
            &[
                Screen::Agenda,
                Screen::Roll,
                Screen::Questions,
                Screen::Commitments,
            ],
        ),
    ];
    let mut checked = 0;
    let mut failures = Vec::new();
    for (meeting, setup, screens) in meetings {
        for lang in [Lang::Zh, Lang::En] {
            for &screen in screens {
                let keys: Vec<KeyEvent> = {
                    let dir = tempfile::tempdir().unwrap();
                    let mut app = setup(lang, &dir);
                    app.dispatch(Cmd::GoTo(screen));
                    keys::help(app.ctx())
                        .flat_map(|b| b.keys.iter().map(|&(c, m)| KeyEvent::new(c, m)))
                        .collect()
                };
                for key in keys {
                    let dir = tempfile::tempdir().unwrap();
                    let mut app = setup(lang, &dir);
                    app.dispatch(Cmd::GoTo(screen));
                    app.on_key(key);
                    let named = format!(
                        "{:?}{}",
                        key.code,
                        if key.modifiers.is_empty() {
                            String::new()
                        } else {
                            format!(" {:?}", key.modifiers)
                        }
                    );
                    let Some(want) = app.modal.as_ref().and_then(|m| expected(m, lang)) else {
                        continue;
                    };
                    checked += check(
                        &mut app,
                        &want,
                        &format!("{meeting}, {screen:?}, {named}"),
                        &mut failures,
                    );
                }
            }
        }
    }
    eprintln!("{checked} dialogs drawn");
    assert!(
        failures.is_empty(),
        "{} dialogs cut:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Enough dialogs were opened for the test to mean something (prompts and questions on
    // every screen that has them, at both sizes, in both languages).
    assert!(checked >= 80, "only {checked} dialogs drawn");
}
