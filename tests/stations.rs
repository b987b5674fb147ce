//! The counting room: stations keying their own stacks into their own databases, batches
//! merged at the main console without loss or double counting, double entry compared paper by
//! paper; and several processes on one database at once.

use std::path::{Path, PathBuf};
use std::process::Command;

use huiwu::domain::action::{Action, Ts};
use huiwu::domain::quorum::Presence;
use huiwu::engine::{Engine, ManualClock};
use huiwu::sessionfile;

fn t0() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-12-18T15:00:00+08:00").unwrap()
}

fn session() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/hexi-ballot.toml")
}

fn huiwu(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_huiwu"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn digest(p: &Path) -> String {
    huiwu::store::sha256_hex(&std::fs::read(p).unwrap())
}

/// A database of the sample ballot with everybody present and the ballot started.
fn station_db(path: &Path, station: &str) -> Engine {
    station_db_of(&session(), path, station)
}

/// The sample ballot with a roster of `n` deputies (a box holds at most one paper each).
fn big_session(dir: &Path, n: usize) -> PathBuf {
    let toml = dir.join("big.toml");
    std::fs::write(
        &toml,
        std::fs::read_to_string(session())
            .unwrap()
            .replace("hexi-roster.csv", "big-roster.csv"),
    )
    .unwrap();
    let roster: String = std::iter::once("id,name,group\n".to_string())
        .chain((1..=n).map(|i| format!("B{i:05},代表{i:05},第{}代表团\n", i % 7 + 1)))
        .collect();
    std::fs::write(dir.join("big-roster.csv"), roster).unwrap();
    toml
}

fn station_db_of(session: &Path, path: &Path, station: &str) -> Engine {
    let loaded = sessionfile::load(session).unwrap();
    let mut e =
        huiwu::opening::open_session(&loaded, path, station, Box::new(ManualClock::new(t0())))
            .unwrap();
    e.execute(Action::MarkUnmarked {
        status: Presence::Present,
    })
    .unwrap();
    e.execute(Action::StartItem {
        item: "ballot".into(),
    })
    .unwrap();
    e
}

/// Pair station database `station` as `name` with the main console's database `main`, as the
/// two operators would: `station add` shows the code, `station pair` takes it.
fn pair(main: &Path, station: &Path, name: &str) {
    let (code, out) = huiwu(&["station", "add", "--db", main.to_str().unwrap(), name]);
    assert_eq!(code, 0, "{out}");
    let pairing = out
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 44 && l.matches('-').count() == 8)
        .unwrap_or_else(|| panic!("no code in {out}"))
        .to_string();
    let (code, out) = huiwu(&[
        "station",
        "pair",
        "--db",
        station.to_str().unwrap(),
        name,
        &pairing,
    ]);
    assert_eq!(code, 0, "{out}");
}

fn marks(i: usize) -> String {
    (0..15)
        .map(|k| {
            if (i + k).is_multiple_of(3) || k >= 12 {
                'N'
            } else if k < 10 {
                'Y'
            } else {
                'A'
            }
        })
        .collect()
}

fn key(e: &mut Engine, prefix: &str, range: std::ops::Range<usize>) {
    for (n, i) in range.enumerate() {
        e.execute(Action::RecordPaper {
            ballot: "ballot".into(),
            serial: format!("{prefix}-{:04}", n + 1),
            marks: marks(i),
            void_reason: None,
        })
        .unwrap();
    }
}

fn counts(e: &Engine) -> Vec<(u32, u32, u32)> {
    let b = e.state().ballots.get("ballot").unwrap();
    let huiwu::domain::ballots::Counter::Approval(t) = &b.counter else {
        unreachable!()
    };
    t.counts()
        .iter()
        .map(|c| (c.yes, c.no, c.abstain))
        .collect()
}

#[test]
fn three_stations_merge_into_what_one_station_counts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // one station keys everything
    let mut one = station_db(&d.join("one.db"), "main");
    key(&mut one, "X", 0..90);
    let main = d.join("main.db");
    drop(station_db(&main, "main"));
    // three stations key a third each, on their own PCs
    let mut files = Vec::new();
    for (s, range) in [("A", 0..30), ("B", 30..60), ("C", 60..90)] {
        let db = d.join(format!("{s}.db"));
        let mut e = station_db(&db, s);
        pair(&main, &db, s);
        key(&mut e, s, range);
        drop(e);
        let out = d.join(format!("{s}.json"));
        let (code, msg) = huiwu(&[
            "ballot",
            "export-batch",
            "--db",
            db.to_str().unwrap(),
            "--ballot",
            "ballot",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{msg}");
        files.push(out);
    }
    let usb = d.join("usb");
    std::fs::create_dir(&usb).unwrap();
    for f in &files {
        std::fs::copy(f, usb.join(f.file_name().unwrap())).unwrap();
    }
    let (code, msg) = huiwu(&[
        "ballot",
        "import-batch",
        "--db",
        main.to_str().unwrap(),
        usb.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{msg}");
    let merged = Engine::open_readonly(&main).unwrap();
    assert_eq!(counts(&merged), counts(&one));
    assert_eq!(merged.state().ballots.get("ballot").unwrap().keyed(), 90);
    drop(merged);
    assert_eq!(huiwu(&["verify", "--db", main.to_str().unwrap()]).0, 0);

    // the same batch again: refused by id when named directly … and skipped in a folder
    let before = digest(&main);
    let (code, msg) = huiwu(&[
        "--lang",
        "en",
        "ballot",
        "import-batch",
        "--db",
        main.to_str().unwrap(),
        usb.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{msg}");
    assert!(msg.contains("already imported, skipped"), "{msg}");
    assert_eq!(digest(&main), before);

    // a tampered batch: one mark changed
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let bad = d.join("tampered.json");
    std::fs::write(&bad, text.replacen("\"marks\": \"N", "\"marks\": \"Y", 1)).unwrap();
    let (code, msg) = huiwu(&[
        "--lang",
        "en",
        "ballot",
        "import-batch",
        "--db",
        main.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(msg.contains("authentication tag"), "{msg}");
    assert_eq!(digest(&main), before);

    // a batch from another session: a database made from another session file
    let other_session = d.join("other.toml");
    std::fs::copy(
        session().with_file_name("hexi-roster.csv"),
        d.join("hexi-roster.csv"),
    )
    .unwrap();
    std::fs::write(
        &other_session,
        std::fs::read_to_string(session())
            .unwrap()
            .replace("第五次会议", "第六次会议"),
    )
    .unwrap();
    let other_db = d.join("other.db");
    let mut o = huiwu::opening::open_session(
        &sessionfile::load(&other_session).unwrap(),
        &other_db,
        "Z",
        Box::new(ManualClock::new(t0())),
    )
    .unwrap();
    o.execute(Action::MarkUnmarked {
        status: Presence::Present,
    })
    .unwrap();
    o.execute(Action::StartItem {
        item: "ballot".into(),
    })
    .unwrap();
    key(&mut o, "Z", 0..3);
    drop(o);
    pair(&main, &other_db, "Z");
    let before = digest(&main);
    let foreign = d.join("foreign.json");
    assert_eq!(
        huiwu(&[
            "ballot",
            "export-batch",
            "--db",
            other_db.to_str().unwrap(),
            "--ballot",
            "ballot",
            "-o",
            foreign.to_str().unwrap()
        ])
        .0,
        0
    );
    let (code, msg) = huiwu(&[
        "--lang",
        "en",
        "ballot",
        "import-batch",
        "--db",
        main.to_str().unwrap(),
        foreign.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(msg.contains("another session"), "{msg}");
    assert_eq!(digest(&main), before);
}

#[test]
fn double_entry_finds_every_disagreement_and_waits_for_rulings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let stack: Vec<String> = (0..40).map(marks).collect();
    let main = d.join("main.db");
    drop(station_db(&main, "main"));
    // two clerks key the same stack; the second makes three slips
    let mut files = Vec::new();
    for (s, slips) in [("A", vec![]), ("B", vec![4usize, 17, 33])] {
        let db = d.join(format!("{s}.db"));
        let mut e = station_db(&db, s);
        pair(&main, &db, s);
        for (i, m) in stack.iter().enumerate() {
            let m = if slips.contains(&i) {
                m.replacen('Y', "N", 1)
            } else {
                m.clone()
            };
            e.execute(Action::RecordPaper {
                ballot: "ballot".into(),
                serial: format!("{s}-{:04}", i + 1),
                marks: m,
                void_reason: None,
            })
            .unwrap();
        }
        drop(e);
        let out = d.join(format!("{s}.json"));
        assert_eq!(
            huiwu(&[
                "ballot",
                "export-batch",
                "--db",
                db.to_str().unwrap(),
                "--ballot",
                "ballot",
                "-o",
                out.to_str().unwrap()
            ])
            .0,
            0
        );
        files.push(out);
    }
    let (a, b) = (files[0].to_str().unwrap(), files[1].to_str().unwrap());
    let (code, msg) = huiwu(&["ballot", "compare", "--db", main.to_str().unwrap(), a, b]);
    assert_eq!(code, 1, "{msg}");
    let found: Vec<&str> = msg.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(found.len(), 3, "{msg}");
    assert!(
        found[0].starts_with("#5 ") && found[1].starts_with("#18 ") && found[2].starts_with("#34 "),
        "{msg}"
    );
    // rulings for only two of three: counting stays blocked, nothing written
    let before = digest(&main);
    let ruling = |pos: usize| {
        format!(
            "{{\"position\":{pos},\"paper\":{{\"marks\":\"{}\"}},\"by\":\"总监票人黎秀英\",\"reason\":\"核对原票\"}}",
            stack[pos - 1]
        )
    };
    let partial = d.join("partial.json");
    std::fs::write(&partial, format!("[{},{}]", ruling(5), ruling(18))).unwrap();
    let (code, msg) = huiwu(&[
        "--lang",
        "en",
        "ballot",
        "compare",
        "--db",
        main.to_str().unwrap(),
        a,
        b,
        "--rulings",
        partial.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(msg.contains("paper 34"), "{msg}");
    assert_eq!(digest(&main), before);
    let full = d.join("full.json");
    std::fs::write(
        &full,
        format!("[{},{},{}]", ruling(5), ruling(18), ruling(34)),
    )
    .unwrap();
    let (code, msg) = huiwu(&[
        "ballot",
        "compare",
        "--db",
        main.to_str().unwrap(),
        a,
        b,
        "--rulings",
        full.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{msg}");
    // the stack counts as the first clerk keyed it (the rulings agree with the paper)
    let mut one = station_db(&d.join("one.db"), "main");
    key(&mut one, "X", 0..40);
    let merged = Engine::open_readonly(&main).unwrap();
    assert_eq!(counts(&merged), counts(&one));
    let ev = merged.log().last().unwrap();
    assert!(
        matches!(&ev.action, Action::ImportBatch { rulings, .. } if rulings.len() == 3 && rulings[0].by == "总监票人黎秀英")
    );
}

/// Readers in their own processes (this test binary, re-run in reader mode) poll the totals
/// while a writer process records 5,000 papers one transaction each.
#[test]
fn a_writer_and_two_readers_never_see_a_half_recorded_paper() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("busy.db");
    let big = big_session(dir.path(), 5200);
    drop(station_db_of(&big, &db, "main"));
    let script = dir.path().join("papers.jsonl");
    let body: String = (0..5000)
        .map(|i| format!("{{\"action\":\"record_paper\",\"ballot\":\"ballot\",\"serial\":\"W-{i:05}\",\"marks\":\"{}\"}}\n", marks(i)))
        .collect();
    std::fs::write(&script, body).unwrap();
    let writer = Command::new(env!("CARGO_BIN_EXE_huiwu"))
        .args([
            "apply",
            "--db",
            db.to_str().unwrap(),
            script.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let me = std::env::current_exe().unwrap();
    let readers: Vec<_> = (0..2)
        .map(|_| {
            Command::new(&me)
                .args(["--exact", "reader_process", "--ignored", "--nocapture"])
                .env("HUIWU_READER_DB", &db)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let out = writer.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(dir.path().join("done"), "").unwrap();
    for r in readers {
        let out = r.wait_with_output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "reader failed: {text}");
        assert!(text.contains("observed"), "{text}");
    }
    let e = Engine::open_readonly(&db).unwrap();
    assert_eq!(e.state().ballots.get("ballot").unwrap().keyed(), 5000);
    let mut all = station_db_of(&big, &dir.path().join("one.db"), "main");
    let at = all.now();
    all.execute_all(
        (0..5000)
            .map(|i| Action::RecordPaper {
                ballot: "ballot".into(),
                serial: format!("W-{i:05}"),
                marks: marks(i),
                void_reason: None,
            })
            .collect(),
        at,
    )
    .unwrap();
    assert_eq!(counts(&e), counts(&all));
}

/// Reader mode of the test above (run only as its child process).
#[test]
#[ignore = "run by a_writer_and_two_readers_never_see_a_half_recorded_paper as a child process"]
fn reader_process() {
    let Some(db) = std::env::var_os("HUIWU_READER_DB") else {
        return;
    };
    let db = PathBuf::from(db);
    let done = db.parent().unwrap().join("done");
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    let mut observed = 0usize;
    let mut last = 0i64;
    loop {
        let finished = done.exists();
        // One read transaction: events and paper rows are seen together or not at all.
        conn.execute_batch("BEGIN").unwrap();
        let papers: i64 = conn
            .query_row(
                "SELECT count(*) FROM papers WHERE struck IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let recorded: i64 = conn
            .query_row(
                "SELECT count(*) FROM events WHERE payload LIKE '{\"action\":\"record_paper\"%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let (valid, void): (i64, i64) = conn
            .query_row(
                "SELECT sum(verdict = 'valid'), sum(verdict != 'valid') FROM papers WHERE struck IS NULL",
                [],
                |r| Ok((r.get::<_, Option<i64>>(0)?.unwrap_or(0), r.get::<_, Option<i64>>(1)?.unwrap_or(0))),
            )
            .unwrap();
        let mut per = [0i64; 15];
        let mut stmt = conn
            .prepare_cached("SELECT marks FROM papers WHERE struck IS NULL AND verdict = 'valid'")
            .unwrap();
        let mut any_bad = false;
        for m in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
            let m = m.unwrap();
            any_bad |= m.chars().count() != 15;
            for (k, _) in m.chars().enumerate().take(15) {
                per[k] += 1;
            }
        }
        drop(stmt);
        conn.execute_batch("COMMIT").unwrap();
        assert_eq!(
            papers, recorded,
            "a paper row without its event, or the reverse"
        );
        assert_eq!(valid + void, papers, "valid + void = returned");
        assert!(!any_bad);
        assert!(
            per.iter().all(|&n| n == valid),
            "each candidate's yes + no + abstain = valid"
        );
        assert!(papers >= last, "counts never go back");
        last = papers;
        observed += 1;
        if finished {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    println!("observed {observed} states, last {last} papers");
}

/// The same double entry settled at the console: E, the two batch files, one ruling per
/// disagreement (marks / who / why); the stack is counted only after the last ruling.
#[test]
fn double_entry_settled_at_the_console() {
    use huiwu::i18n::Lang;
    use huiwu::tui::app::App;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let stack: Vec<String> = (0..12).map(marks).collect();
    let mut main = station_db(&d.join("main.db"), "main");
    let mut files = Vec::new();
    for (s, slip) in [("A", None), ("B", Some(7usize))] {
        let db = d.join(format!("{s}.db"));
        let mut e = station_db(&db, s);
        let code = huiwu::station::add(&mut main, s).unwrap();
        huiwu::station::pair(&mut e, s, &code).unwrap();
        for (i, m) in stack.iter().enumerate() {
            let m = if Some(i) == slip {
                m.replacen('Y', "N", 1)
            } else {
                m.clone()
            };
            e.execute(Action::RecordPaper {
                ballot: "ballot".into(),
                serial: format!("{s}-{:04}", i + 1),
                marks: m,
                void_reason: None,
            })
            .unwrap();
        }
        let b = huiwu::batch::send(&mut e, "ballot").unwrap();
        let out = d.join(format!("{s}.json"));
        std::fs::write(&out, serde_json::to_string(&b).unwrap()).unwrap();
        files.push(out);
    }
    let mut app = App::new(main, Lang::Zh);
    app.agenda.sel = 3;
    app.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let typ = |app: &mut App, s: &str| {
        for c in s.chars() {
            app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        app.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    };
    let paths = [
        files[0].to_str().unwrap().to_string(),
        files[1].to_str().unwrap().to_string(),
    ];
    app.on_key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL));
    assert!(app.modal.is_some(), "Ctrl-D asks for the first batch");
    typ(&mut app, &paths[0]);
    typ(&mut app, &paths[1]);
    // one disagreement (paper 8): nothing is counted yet
    assert_eq!(app.engine.state().ballots.get("ballot").unwrap().keyed(), 0);
    assert!(app.double.is_some());
    // a ruling without a reason is refused, the prompt stays with what was typed
    typ(&mut app, &format!("{} / 黎秀英 / ", stack[7]));
    assert_eq!(app.engine.state().ballots.get("ballot").unwrap().keyed(), 0);
    assert!(app.modal.is_some());
    typ(&mut app, "核对原票");
    let b = app.engine.state().ballots.get("ballot").unwrap();
    assert_eq!(b.keyed(), 12, "{:?}", app.flash);
    let mut one = station_db(&d.join("one.db"), "main");
    key(&mut one, "X", 0..12);
    assert_eq!(counts(&app.engine), counts(&one));
}
