//! No slip of the hand can hurt the hall (issue 13): every printable key in both cases, with and
//! without Shift, plus Enter and Esc, typed on every screen and into every prompt — headless
//! through `App` key by key, and through the real console in a pseudo-terminal in bursts, as a
//! hurried clerk with Caps Lock on would. Nothing irreversible may follow: no announcement,
//! re-open, undo, strike, new round, withdrawal or quit; the log holds only what the keys mean
//! as data (papers on the count screen, attendance on the roll call).

mod common;

use std::collections::BTreeSet;

use common::meeting::Meeting;
use common::pty::key;
use huiwu::domain::action::{Action, Ts};
use huiwu::domain::quorum::Presence;
use huiwu::engine::ManualClock;
use huiwu::i18n::Lang;
use huiwu::sessionfile;
use huiwu::tui::app::{App, Modal};
use huiwu::tui::keys::Screen;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const SESSION: &str = r#"
[session]
body = "青溪镇人民代表大会"
level = "town"
title = "青溪镇第十九届人民代表大会第五次会议"
term = 19
session = 5
date = "2026-12-10"
venue = "镇政府三楼会议室"
chair = "陈国平"
quorum = "two-thirds"

[roster]
deputies = [
  { id = "Q01", name = "吴海燕", group = "东片代表小组" },
  { id = "Q02", name = "孙志强", group = "东片代表小组" },
  { id = "Q03", name = "何美兰", group = "东片代表小组" },
  { id = "Q04", name = "李建国", group = "西片代表小组" },
  { id = "Q05", name = "王秀英", group = "西片代表小组" },
  { id = "Q06", name = "张德明", group = "西片代表小组" },
  { id = "Q07", name = "刘桂芳", group = "南片代表小组" },
  { id = "Q08", name = "陈永福", group = "南片代表小组" },
  { id = "Q09", name = "赵丽娟", group = "南片代表小组" },
]

[[agenda]]
id = "vote"
kind = "ballot"
title = "2027年度民生实事项目票决"
minutes = 30

[agenda.ballot]
places = 2
candidates = [
  { id = "P1", name = "农村道路提档" },
  { id = "P2", name = "老年助餐点" },
  { id = "P3", name = "河道清淤" },
  { id = "P4", name = "学校周边交通" },
]

[[agenda]]
id = "eval"
kind = "satisfaction"
title = "民生实事项目满意度测评"
minutes = 20

[agenda.satisfaction]
items = [
  { id = "E1", name = "镇农业农村办" },
  { id = "E2", name = "镇社会事务办" },
]

[[agenda]]
id = "ask"
kind = "questioning"
title = "代表询问"
minutes = 30

[agenda.questioning]
questions = [
  { id = "q1", topic = "农村生活污水治理", deputy = "Q01", respondent = { name = "周立新", post = "副镇长", unit = "镇人民政府" } },
  { id = "q2", topic = "老年助餐点运营", deputy = "Q04", respondent = { name = "周立新", post = "副镇长", unit = "镇人民政府" } },
]
"#;

/// Kinds of entry that no slip may produce.
const IRREVERSIBLE: &[&str] = &[
    "announce_ballot",
    "reopen_ballot",
    "undo_paper",
    "strike_paper",
    "create_round",
    "withdraw_question",
    "finish_item",
];

/// Every printable key: both cases of each letter, each with and without Shift, every other
/// printable character; then Enter and Esc.
fn every_key() -> Vec<KeyEvent> {
    let mut v = Vec::new();
    for b in 0x20u8..0x7f {
        let c = b as char;
        for m in [KeyModifiers::NONE, KeyModifiers::SHIFT] {
            v.push(KeyEvent::new(KeyCode::Char(c), m));
            if c.is_ascii_lowercase() {
                v.push(KeyEvent::new(KeyCode::Char(c.to_ascii_uppercase()), m));
            }
        }
    }
    v.push(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    v.push(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    v
}

fn t0() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-12-10T09:00:00+08:00").unwrap()
}

/// A console on the session: everybody present but Q01 (on leave), the ballot started with
/// nine papers issued and two papers keyed.
fn app(dir: &tempfile::TempDir) -> App {
    let toml = dir.path().join("s.toml");
    std::fs::write(&toml, SESSION).unwrap();
    let loaded = sessionfile::load(&toml).unwrap();
    let mut e = huiwu::opening::open_session(
        &loaded,
        &dir.path().join("s.db"),
        "main",
        Box::new(ManualClock::new(t0())),
    )
    .unwrap();
    for a in [
        Action::MarkAttendance {
            deputy: "Q01".into(),
            status: Presence::Leave,
        },
        Action::MarkUnmarked {
            status: Presence::Present,
        },
        Action::StartItem {
            item: "vote".into(),
        },
        Action::SetIssued {
            ballot: "vote".into(),
            issued: 8,
        },
    ] {
        e.execute(a).unwrap();
    }
    for (i, m) in ["YYNA", "YNYA"].iter().enumerate() {
        e.execute(Action::RecordPaper {
            ballot: "vote".into(),
            serial: format!("main-{:04}", i + 1),
            marks: m.to_string(),
            void_reason: None,
        })
        .unwrap();
    }
    let mut a = App::new(e, Lang::Zh);
    a.agenda.sel = 0;
    a
}

fn kinds(a: &App) -> Vec<String> {
    a.engine.log().iter().map(|e| e.action.name()).collect()
}

fn f(a: &mut App, n: u8) {
    a.on_key(KeyEvent::new(KeyCode::F(n), KeyModifiers::NONE));
}

fn answer(a: &mut App) {
    let d = a.confirm_answer().expect("a confirmation is open");
    a.on_key(KeyEvent::new(KeyCode::Char(d), KeyModifiers::NONE));
}

/// Open a confirmation with `open`, then give it one key that is not its answer: it closes and
/// nothing is recorded. For every key.
fn every_key_but_the_answer_cancels(a: &mut App, what: &str, open: &dyn Fn(&mut App)) {
    let before = a.engine.log().len();
    for k in every_key() {
        open(a);
        let Some(d) = a.confirm_answer() else {
            panic!(
                "{what}: no confirmation opened before {k:?} ({:?}, modal {:?})",
                a.flash, a.modal
            );
        };
        if k.code == KeyCode::Char(d) {
            a.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            continue;
        }
        a.on_key(k);
        assert!(
            a.confirm_answer().is_none(),
            "{what}: {k:?} left the confirmation open"
        );
        assert_eq!(
            a.engine.log().len(),
            before,
            "{what}: {k:?} took the step: {:?}",
            a.engine.log().last().map(|e| e.action.name())
        );
        assert!(!a.quit, "{what}: {k:?} quit");
        // a key that reached the desk (a mark) is cleared for the next round
        a.count.entry = huiwu::tui::entry::Entry::new(a.count.entry.marks.len());
    }
}

#[test]
fn no_key_but_the_digit_answers_a_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(&dir);
    a.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)); // open the count screen
    assert_eq!(a.screen, Screen::Ballot);
    every_key_but_the_answer_cancels(&mut a, "undo", &|a| f(a, 5));
    every_key_but_the_answer_cancels(&mut a, "announce", &|a| f(a, 8));
    every_key_but_the_answer_cancels(&mut a, "strike", &|a| {
        f(a, 7);
        for c in "1".chars() {
            a.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        a.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        for c in "污损".chars() {
            a.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        a.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    });
    every_key_but_the_answer_cancels(&mut a, "returned above issued", &|a| {
        f(a, 3);
        for c in "9".chars() {
            a.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        a.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    });
    // a paper half keyed: quitting asks with the digit too
    every_key_but_the_answer_cancels(&mut a, "quit with a paper half keyed", &|a| {
        a.on_key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::NONE));
        a.on_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
    });
    // the announcement, answered, locks; then the re-open and the next round ask in turn
    f(&mut a, 3);
    for c in "2".chars() {
        a.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    a.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    f(&mut a, 8);
    answer(&mut a);
    assert!(a.current_ballot().unwrap().locked(), "{:?}", a.flash);
    every_key_but_the_answer_cancels(&mut a, "re-open", &|a| {
        f(a, 9);
        for c in "计票有误".chars() {
            a.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        a.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    });
    // finishing the item with work left (here: none; then with a paper of the evaluation)
    a.screen = Screen::Agenda;
    assert_eq!(
        kinds(&a)
            .iter()
            .filter(|k| k.as_str() == "announce_ballot")
            .count(),
        1
    );
}

#[test]
fn every_key_on_every_screen_does_only_what_it_means() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(&dir);
    for screen in Screen::ALL {
        for kind in [None, Some("eval")] {
            a.screen = screen;
            if let Some(item) = kind {
                // the evaluation on the desk
                let i = a.engine.state().def.item_index(item).unwrap();
                a.count.open_item(a.engine.state(), i);
            }
            let before: BTreeSet<usize> = (0..a.engine.log().len()).collect();
            for k in every_key() {
                a.on_key(k);
                if a.modal.is_some() && a.confirm_answer().is_some() {
                    // a confirmation opened by a key: the next key (not its digit) closes it
                    a.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
                }
                assert!(!a.quit, "{screen:?}: {k:?} quit the console");
            }
            a.modal = None;
            let new: Vec<String> = a
                .engine
                .log()
                .iter()
                .enumerate()
                .filter(|(i, _)| !before.contains(i))
                .map(|(_, e)| e.action.name())
                .collect();
            for k in &new {
                assert!(
                    !IRREVERSIBLE.contains(&k.as_str()),
                    "{screen:?}: typing keys recorded {k}: {new:?}"
                );
            }
            if screen == Screen::Ballot {
                assert!(
                    new.iter().all(|k| k == "record_paper"),
                    "on the count screen keys may only key papers: {new:?}"
                );
            }
            if screen == Screen::Roll {
                assert!(
                    new.iter().all(|k| k == "mark_attendance"),
                    "on the roll call keys may only mark attendance: {new:?}"
                );
            }
        }
    }
}

#[test]
fn marks_mean_the_same_with_caps_lock_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(&dir);
    a.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    // "a y o x" typed with Caps Lock on: 弃权 赞成 赞成 不赞成, then Enter records it
    for c in "AYOX".chars() {
        a.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    a.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let b = a.current_ballot().unwrap();
    assert!(!b.locked());
    assert_eq!(b.papers.last().unwrap().marks, "AYYN");
    // N then Enter: a 不赞成 and a paper, never a new round
    for c in "NNNN".chars() {
        a.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    a.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert_eq!(
        a.current_ballot().unwrap().papers.last().unwrap().marks,
        "NNNN"
    );
    assert!(
        !kinds(&a)
            .iter()
            .any(|k| k == "create_round" || k == "undo_paper")
    );
    // on the evaluation, U is 不满意, never an undo
    let i = a.engine.state().def.item_index("eval").unwrap();
    a.count.open_item(a.engine.state(), i);
    let before = a.engine.log().len();
    for c in "SU".chars() {
        a.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    assert_eq!(a.engine.log().len(), before, "no undo happened");
    assert_eq!(a.count.entry.letters(), "SU");
    assert!(matches!(a.modal, None | Some(Modal::Help)));
}

#[test]
fn the_console_in_a_terminal_takes_bursts_of_every_key_without_a_slip() {
    let m = Meeting::with_session(SESSION);
    let setup = m.dir.path().join("setup.jsonl");
    std::fs::write(
        &setup,
        [
            r#"{"action":"mark_attendance","deputy":"Q01","status":"leave"}"#,
            r#"{"action":"mark_unmarked","status":"present"}"#,
            r#"{"action":"start_item","item":"vote"}"#,
            r#"{"action":"set_issued","ballot":"vote","issued":8}"#,
            r#"{"action":"record_paper","ballot":"vote","serial":"main-0001","marks":"YYNA"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let out = common::meeting::huiwu(
        &[
            "apply".as_ref(),
            "--db".as_ref(),
            m.db.as_os_str(),
            "--session".as_ref(),
            m.session.as_os_str(),
            setup.as_os_str(),
        ],
        m.dir.path(),
    );
    assert!(out.status.success(), "{}", common::meeting::text(&out));
    let burst: String = (0x20u8..0x7f).map(|b| b as char).chain('A'..='Z').collect();
    let mut c = m.console(&[]);
    c.expect("当前议程");
    // the count screen, in bursts: only papers can come of it
    c.press(key::ENTER, "选票录入与实时计票");
    for _ in 0..3 {
        c.send(&burst);
        c.send(key::ENTER);
        c.send(key::ESC);
    }
    // each confirmation met by a burst: its first key cancels it (the rest keys the paper or
    // goes into a prompt, which Esc closes; a second Esc clears the paper)
    for k in [key::F5, key::F8] {
        c.press(k, "按其他任意键取消");
        c.send(&burst);
        c.send(key::ESC);
        c.send(key::ESC);
    }
    // every other screen
    for s in ["\t", "\t", "\t", "\t", "\t"] {
        c.send(s);
        c.send(&burst);
        c.send(key::ENTER);
        c.send(key::ESC);
    }
    c.settle(std::time::Duration::from_millis(500));
    assert!(c.is_running(), "a burst of keys ended the console");
    let kinds: Vec<String> = m
        .events()
        .iter()
        .map(|(_, e)| e["action"].as_str().unwrap_or("").to_string())
        .collect();
    for k in &kinds {
        assert!(
            !IRREVERSIBLE.contains(&k.as_str()),
            "bursts of keys recorded {k}: {kinds:?}"
        );
    }
    // and the console is still the operator's: q with nothing half keyed, y
    c.send(key::ESC);
    c.press("1", "当前议程");
    c.press("q", "确认退出");
    c.send("y");
    assert!(c.wait_exit(std::time::Duration::from_secs(5)).is_some());
    let out = m.verify(&[]);
    assert!(out.status.success(), "{}", common::meeting::text(&out));
}

/// After the announcement the count takes no paper: a mark, Enter or a shortcut is refused
/// on screen naming the re-open key, and nothing waits unseen to be "discarded" at quit
/// (marks keyed there were once held as a hidden paper).
#[test]
fn an_announced_count_takes_no_mark_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(&dir);
    for i in 3..=8 {
        a.engine
            .execute(Action::RecordPaper {
                ballot: "vote".into(),
                serial: format!("main-{i:04}"),
                marks: "YNAA".into(),
                void_reason: None,
            })
            .unwrap();
    }
    for act in [
        Action::SetReturned {
            ballot: "vote".into(),
            returned: 8,
        },
        Action::AnnounceBallot {
            ballot: "vote".into(),
        },
    ] {
        a.engine.execute(act).unwrap();
    }
    a.on_key(KeyEvent::new(KeyCode::Char('3'), KeyModifiers::NONE));
    let before = a.engine.log().len();
    for k in ['o', 'o', 's', 'x'] {
        a.on_key(KeyEvent::new(KeyCode::Char(k), KeyModifiers::NONE));
        let fl = a.flash.clone().expect("the key is answered on screen");
        assert!(
            !fl.ok && fl.text.contains("已宣布") && fl.text.contains("F9"),
            "{fl:?}"
        );
        assert!(a.count.entry.is_blank(), "{k} was held as a mark");
    }
    a.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert_eq!(a.engine.log().len(), before, "Enter recorded something");
    assert!(a.count.entry.is_blank());
    // quitting warns of no half-keyed paper
    a.on_key(KeyEvent::new(KeyCode::Char('1'), KeyModifiers::NONE));
    a.on_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
    let text = format!("{:?}", a.modal);
    assert!(
        !text.contains("未按 Enter") && !text.contains("丢弃"),
        "{text}"
    );
}

fn press(a: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x08' => KeyCode::Backspace,
            '\x1b' => KeyCode::Esc,
            c => KeyCode::Char(c),
        };
        a.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    }
}

fn flash(a: &App) -> String {
    a.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default()
}

fn screen_text(a: &App) -> String {
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    term.draw(|f| huiwu::tui::view::render(a, f)).unwrap();
    common::buffer_text(term.backend().buffer())
}

/// A key that is no mark of the paper stops it at its row (every later mark would land a row
/// too high); Enter records only a complete paper, so a half-keyed paper or a second Enter
/// records nothing; the rest 弃权 and a blank paper are keys of their own that say so.
#[test]
fn a_slip_stops_the_paper_and_enter_records_only_a_complete_paper() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(&dir);
    press(&mut a, "\n"); // the agenda's Enter opens the ballot's count
    assert_eq!(a.screen, Screen::Ballot);
    let papers = |a: &App| a.current_ballot().unwrap().papers.len();
    let logged = a.engine.log().len();

    // `z` at row 2: the paper stops there, and nothing more lands on it
    press(&mut a, "oz");
    let fl = flash(&a);
    assert!(
        fl.contains("第 2 栏") && fl.contains("「z」") && fl.contains("Bksp"),
        "{fl}"
    );
    assert!(
        screen_text(&a).contains("?z"),
        "the stopped row shows the key"
    );
    press(&mut a, "oxo\n");
    assert_eq!(
        a.count.entry.letters(),
        "YAAA",
        "no mark landed after the slip"
    );
    assert_eq!(
        a.engine.log().len(),
        logged,
        "a stopped paper is not recorded"
    );
    assert!(flash(&a).contains("第 2 栏"), "{}", flash(&a));
    // Backspace takes the slipped key back (not the ○ before it); keying goes on at row 2
    press(&mut a, "\x08");
    assert_eq!(a.count.entry.slip, None);
    assert_eq!(a.count.entry.cursor, 1);
    press(&mut a, "xo");
    // three of four rows and Enter: refused, naming the row and the key for the rest
    press(&mut a, "\n");
    assert_eq!(
        a.engine.log().len(),
        logged,
        "a half-keyed paper was recorded"
    );
    let fl = flash(&a);
    assert!(fl.contains("第 4 栏") && fl.contains('-'), "{fl}");
    press(&mut a, "-");
    assert!(flash(&a).contains("弃权"), "{}", flash(&a));
    press(&mut a, "\n");
    assert_eq!(papers(&a), 3);
    assert_eq!(
        a.current_ballot().unwrap().papers.last().unwrap().marks,
        "YNYA"
    );
    // a second Enter on the empty desk records nothing, and says how a blank paper is keyed
    let logged = a.engine.log().len();
    press(&mut a, "\n");
    assert_eq!(
        a.engine.log().len(),
        logged,
        "a second Enter recorded a paper"
    );
    assert!(flash(&a).contains("尚未标记") && flash(&a).contains('0'));
    press(&mut a, "0\n");
    assert_eq!(papers(&a), 4);
    assert_eq!(
        a.current_ballot().unwrap().papers.last().unwrap().marks,
        "AAAA"
    );

    // on the evaluation `o` is no mark: stopped at row 1; Esc clears the paper
    let i = a.engine.state().def.item_index("eval").unwrap();
    a.count.open_item(a.engine.state(), i);
    press(&mut a, "so");
    assert!(flash(&a).contains("第 2 栏") && flash(&a).contains("「o」"));
    assert!(flash(&a).contains("s/1 b/2"), "the paper's keys are named");
    press(&mut a, "\x1b");
    assert!(a.count.entry.is_blank() && a.count.entry.slip.is_none());
    press(&mut a, "sb");
    assert_eq!(a.count.entry.letters(), "SB");
}

/// The count screen's tabs offer no digit (digits key marks there), and its footer always
/// names Tab, the way off it.
#[test]
fn the_count_screen_offers_no_digit_it_does_not_honour() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(&dir);
    let agenda = screen_text(&a);
    assert!(
        agenda.contains("1 议程") && agenda.contains("3 计票"),
        "{agenda}"
    );
    press(&mut a, "\n");
    for (w, h) in [(80, 24), (120, 40)] {
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
        term.draw(|f| huiwu::tui::view::render(&a, f)).unwrap();
        let text = common::buffer_text(term.backend().buffer());
        let lines: Vec<&str> = text.lines().collect();
        assert!(!lines[1].contains("1 议程"), "{w}×{h}: {}", lines[1]);
        assert!(lines[1].contains("议程"), "{w}×{h}: {}", lines[1]);
        let footer = lines[lines.len() - 1];
        assert!(
            footer.contains("Tab") && footer.contains("切换"),
            "{w}×{h}: {footer}"
        );
    }
}

/// The smaller slips of a live run, each answered on screen: a scrutineer marked away is named
/// in a warning; a commitment due before today is refused, one typed `2027-3-1` is stored
/// `2027-03-01`; `F6` on an undone paper says it is no longer counted; an error from an earlier
/// try of a prompt does not outlive the next submission.
#[test]
fn the_smaller_slips_are_answered_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(&dir);
    a.engine
        .execute(Action::SetStaff {
            ballot: "vote".into(),
            scrutineers: vec!["孙志强".into(), "何美兰".into()],
            clerks: vec!["镇人大办 林芳".into()],
        })
        .unwrap();
    // the roll call: Q02 (孙志强) marked absent
    press(&mut a, "2");
    let q02 = a
        .roll
        .view
        .iter()
        .position(|&i| a.engine.state().def.deputies[i].id == "Q02")
        .unwrap();
    a.roll.sel = q02;
    press(&mut a, "a");
    let fl = flash(&a);
    assert!(
        fl.contains("孙志强") && fl.contains("监票人") && fl.contains("F4"),
        "{fl}"
    );
    // marked present again: no warning
    a.roll.sel = q02;
    press(&mut a, "p");
    assert!(!flash(&a).contains("监票人"), "{}", flash(&a));

    // F6 on a paper undone: named as no longer counted
    a.engine
        .execute(Action::UndoPaper {
            ballot: "vote".into(),
            serial: "main-0002".into(),
        })
        .unwrap();
    a.screen = Screen::Ballot;
    f(&mut a, 6);
    press(&mut a, "2\n");
    let fl = flash(&a);
    assert!(fl.contains("main-0002") && fl.contains("不再计入"), "{fl}");
    // the prompt is still open with that error; a good serial clears it
    assert!(a.modal.is_some(), "the serial prompt stays open");
    press(&mut a, "\x08");
    press(&mut a, "1\n");
    assert!(!flash(&a).contains("不再计入"), "stale: {}", flash(&a));
    a.modal = None;
    a.count.entry = huiwu::tui::entry::Entry::new(4);

    // a commitment due before today (the clock says 2026-12-10)
    for act in [
        Action::FinishItem {
            item: "vote".into(),
        },
        Action::StartItem { item: "ask".into() },
        Action::CallQuestion {
            item: "ask".into(),
            question: "q2".into(),
            asker: None,
        },
        Action::StartAnswer {
            item: "ask".into(),
            question: "q2".into(),
        },
    ] {
        a.engine.execute(act).unwrap();
    }
    a.screen = Screen::Questions;
    let logged = a.engine.log().len();
    press(&mut a, "m");
    a.on_paste("助餐点延伸到各村 / 镇社会事务办 / 2026-8-31");
    press(&mut a, "\n");
    assert_eq!(a.engine.log().len(), logged, "a past due date was recorded");
    assert!(flash(&a).contains("2026-08-31") && flash(&a).contains("早于今天"));
    a.modal = None;
    press(&mut a, "m");
    a.on_paste("助餐点延伸到各村 / 镇社会事务办 / 2027-3-1");
    press(&mut a, "\n");
    assert_eq!(a.engine.state().commitments[0].due, "2027-03-01");
}
