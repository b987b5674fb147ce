//! A whole six-question 问政会 from `sessions/qingxi-questioning.toml`, driven headless by keys
//! with an injected clock, then the JSON export checked field by field; and the open
//! commitments carried into the next session with `huiwu followups`.

use std::process::Command;

use huiwu::domain::action::Ts;
use huiwu::engine::ManualClock;
use huiwu::export::json;
use huiwu::i18n::Lang;
use huiwu::sessionfile;
use huiwu::tui::app::App;
use huiwu::tui::keys::{Cmd, Screen};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;

fn t0() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-07-23T09:00:00+08:00").unwrap()
}

fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

fn enter(app: &mut App) {
    app.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
}

fn ok(app: &App) {
    let f = app.flash.as_ref().expect("a message after each action");
    assert!(f.ok, "{}", f.text);
}

fn run_session(db: &std::path::Path) -> (App, ManualClock) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/qingxi-questioning.toml");
    let loaded = sessionfile::load(&path).unwrap();
    let clock = ManualClock::new(t0());
    let e = huiwu::opening::open_session(&loaded, db, "main", Box::new(clock.clone())).unwrap();
    let mut app = App::new(e, Lang::Zh);
    // roll call: everybody present but one on leave
    app.dispatch(Cmd::GoTo(Screen::Roll));
    keys(&mut app, "l");
    ok(&app);
    app.on_key(KeyEvent::new(KeyCode::F(2), KeyModifiers::NONE));
    let d = app
        .confirm_answer()
        .expect("marking the rest present asks first");
    keys(&mut app, &d.to_string());
    ok(&app);
    // open, then the questioning item
    app.dispatch(Cmd::GoTo(Screen::Agenda));
    keys(&mut app, "s");
    ok(&app);
    clock.advance(300);
    keys(&mut app, "f");
    app.agenda.sel = 2;
    keys(&mut app, "s");
    // the item between them is passed over: the start asks, naming it
    let d = app
        .confirm_answer()
        .expect("starting out of order asks first");
    keys(&mut app, &d.to_string());
    ok(&app);
    enter(&mut app);
    assert_eq!(app.screen, Screen::Questions);
    for k in 0..6 {
        app.questions.sel = k;
        keys(&mut app, "c");
        ok(&app);
        clock.advance(170 + k as i64 * 10); // ask: 3 minutes planned; the 3rd runs over
        keys(&mut app, "a");
        ok(&app);
        keys(&mut app, "n");
        keys(&mut app, &format!("答复要点{}", k + 1));
        app.on_key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL));
        keys(&mut app, "将于年内落实");
        enter(&mut app);
        ok(&app);
        clock.advance(240);
        if k == 1 {
            // a follow-up, paused for 60 s in the middle
            keys(&mut app, "f");
            ok(&app);
            clock.advance(30);
            keys(&mut app, " ");
            clock.advance(60);
            keys(&mut app, " ");
            clock.advance(30);
            // a second follow-up is refused (one allowed)
            keys(&mut app, "f");
            assert!(!app.flash.as_ref().unwrap().ok);
        }
        if k < 3 {
            keys(&mut app, "r");
            keys(&mut app, &format!("{} 10 3 2", 40 - k * 10));
            enter(&mut app);
            ok(&app);
        }
        if k == 0 || k == 4 {
            keys(&mut app, "m");
            keys(
                &mut app,
                &format!("承诺事项{} / 镇责任办公室{} / 2026-12-31", k + 1, k + 1),
            );
            enter(&mut app);
            ok(&app);
        }
        keys(&mut app, "e");
        ok(&app);
        clock.advance(20);
    }
    (app, clock)
}

#[test]
fn six_questions_then_the_export_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qx.db");
    let (app, _) = run_session(&db);
    let v: Value = serde_json::to_value(json::build(&app.engine)).unwrap();
    let qs = v["questions"].as_array().unwrap();
    assert_eq!(qs.len(), 6);
    let qdef = app.engine.state().def.agenda[2]
        .questioning
        .clone()
        .unwrap();
    for (k, q) in qs.iter().enumerate() {
        assert_eq!(q["status"], "done", "{q}");
        assert_eq!(q["order"], k + 1);
        assert_eq!(
            q["notes"][0]["text"],
            format!("答复要点{}\n将于年内落实", k + 1)
        );
        let phases = q["phases"].as_array().unwrap();
        assert_eq!(phases[0]["kind"], "ask");
        assert_eq!(phases[0]["planned_seconds"], 180);
        assert_eq!(phases[0]["elapsed_seconds"], 170 + k as i64 * 10);
        assert_eq!(
            phases[0]["overrun_seconds"],
            (170 + k as i64 * 10 - 180).max(0)
        );
        assert_eq!(phases[1]["kind"], "answer");
        let planned = qdef.questions[k]
            .answer_minutes
            .unwrap_or(qdef.answer_minutes)
            * 60;
        assert_eq!(phases[1]["planned_seconds"], planned);
    }
    // question 1: deputy and respondent from the file
    assert_eq!(qs[0]["id"], "q1");
    assert_eq!(qs[0]["deputy"]["id"], "QX06");
    assert_eq!(qs[0]["group"], "集镇代表小组");
    assert_eq!(qs[0]["respondent"]["post"], "副镇长");
    assert_eq!(qs[0]["phases"][0]["start"], "2026-07-23T09:05:00.000+08:00");
    // question 2: the follow-up ran 60 s of its 120 planned, the 60 s pause excluded
    let fu = &qs[1]["phases"][2];
    assert_eq!(
        (fu["kind"].as_str(), fu["n"].as_u64()),
        (Some("follow_up"), Some(1))
    );
    assert_eq!(fu["elapsed_seconds"], 60);
    assert_eq!(fu["segments"].as_array().unwrap().len(), 2);
    assert_eq!(qs[1]["followups"], 1);
    // the answer of question 2 ran 240 s
    assert_eq!(qs[1]["phases"][1]["elapsed_seconds"], 240);
    // ratings: 40/10/3/2 of 59 present (base: all 60 deputies): 满意
    assert_eq!(qs[0]["rating"]["satisfied"], 40);
    assert_eq!(qs[0]["rating"]["grade"], "satisfied");
    assert_eq!(qs[0]["rating"]["rate_text"], "94.3%"); // 50 of 53 valid ratings
    // base all 60: 满意 30 is not more than half, 30 + 10 is: 基本满意; 20 + 10 = 30 is not: 不满意
    assert_eq!(qs[1]["rating"]["grade"], "basically_satisfied");
    assert_eq!(qs[2]["rating"]["grade"], "unsatisfied");
    assert_eq!(qs[5]["rating"], Value::Null);
    // commitments
    let cs = v["commitments"].as_array().unwrap();
    assert_eq!(cs.len(), 2);
    assert_eq!(cs[0]["id"], "C001");
    assert_eq!(cs[0]["question"], "q1");
    assert_eq!(cs[0]["unit"], "镇责任办公室1");
    assert_eq!(cs[0]["due"], "2026-12-31");
    assert_eq!(cs[0]["status"], "open");
    assert_eq!(cs[0]["overdue"], false);
    assert_eq!(qs[4]["commitments"][0], "C002");
    // the item's own times
    let item = v["agenda"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "questioning")
        .unwrap();
    assert_eq!(item["status"], "running");
    let out = Command::new(env!("CARGO_BIN_EXE_huiwu"))
        .args(["verify", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn open_commitments_are_carried_into_the_next_session() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("2026.db");
    let (mut app, _) = run_session(&first);
    // one of the two is done already: only the other is carried
    app.dispatch(Cmd::GoTo(Screen::Commitments));
    keys(&mut app, "d");
    ok(&app);
    drop(app);
    let session =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/qingxi-questioning.toml");
    let next = dir.path().join("2027.db");
    let huiwu = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_huiwu"))
            .args(args)
            .output()
            .unwrap()
    };
    let script = dir.path().join("empty.jsonl");
    std::fs::write(&script, "").unwrap();
    let out = huiwu(&[
        "apply",
        "--db",
        next.to_str().unwrap(),
        "--session",
        session.to_str().unwrap(),
        script.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let out = huiwu(&[
        "followups",
        "--from",
        first.to_str().unwrap(),
        "--db",
        next.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // carrying twice is refused
    let out = huiwu(&[
        "--lang",
        "en",
        "followups",
        "--from",
        first.to_str().unwrap(),
        "--db",
        next.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already carried"));
    let out = huiwu(&["export", "--db", next.to_str().unwrap(), "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cs = v["commitments"].as_array().unwrap();
    assert_eq!(cs.len(), 1);
    assert_eq!(cs[0]["id"], "P-C002");
    assert_eq!(cs[0]["item"], "report-back");
    assert_eq!(cs[0]["text"], "承诺事项5");
    assert!(cs[0]["carried_from"].as_str().unwrap().contains("青溪镇"));
}
