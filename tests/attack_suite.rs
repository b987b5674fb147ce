//! The attack suite (issue 12, DESIGN.md §7): every attack an auditor with a text editor, Python
//! and the sqlite3 shell tried on the record, performed through the real binary and direct
//! SQLite edits. Each test fails against huiwu as it stood before the batch keys, the anchored
//! head and the full verify (run it with `HUIWU_ATTACK_BIN=<old huiwu>` to see), and passes now.
//!
//! What is attacked: forged, re-serialled, relabelled and replayed station batches; rebuilt and
//! cut chains, checked with `--head` and `--witness`; every projection table edited; every
//! command on a broken chain; `verify` beside a writer; colliding ids; locked ballots; roster
//! names in a paper's free text; attendance interleaved with papers in the exports; unbounded
//! input.

mod common;

use std::path::Path;
use std::process::Command;

use common::lab::*;

use rusqlite::{Connection, params};

// ---------------------------------------------------------------- batches

/// What the old format protected a batch with: SHA-256 over public fields, which anyone can
/// recompute after an edit.
fn recompute_public_digest(v: &mut serde_json::Value) {
    let papers = serde_json::to_string(&v["papers"]).unwrap();
    let body = format!(
        "huiwu-batch/1\n{}\n{}\n{}\n{papers}",
        v["fingerprint"].as_str().unwrap_or(""),
        v["ballot"].as_str().unwrap_or(""),
        v["station"].as_str().unwrap_or("")
    );
    let sum = huiwu::store::sha256_hex(body.as_bytes());
    for field in ["checksum", "tag"] {
        if v.get(field).is_some() {
            v[field] = sum.clone().into();
        }
    }
}

#[test]
fn a_forged_batch_is_refused_and_changes_nothing() {
    let lab = Lab::new();
    let main = main_console(&lab);
    let file = station_with_batch(&lab, &main, "A", 12);
    // every paper made all 赞成 for the first ten, digest recomputed as a forger would
    let forged = edit_json(&file, |v| {
        for p in v["papers"].as_array_mut().unwrap() {
            p["marks"] = "YYYYYYYYYYNNNNN".into();
        }
        recompute_public_digest(v);
    });
    let before = digest(&main);
    let (code, out) = lab.import_batch(&main, &forged);
    assert_eq!(code, 2, "a forged batch was accepted: {out}");
    assert!(out.contains("authentication tag"), "{out}");
    assert_eq!(digest(&main), before, "the database changed");
    // the genuine one goes in
    let (code, out) = lab.import_batch(&main, &file);
    assert_eq!(code, 0, "{out}");
    assert_eq!(json(&lab, &main)["ballots"][1]["keyed"], 12);
}

#[test]
fn a_batch_re_serialled_under_another_station_is_refused() {
    let lab = Lab::new();
    let main = main_console(&lab);
    let file = station_with_batch(&lab, &main, "A", 8);
    // station C is paired too: its name is known, its key is not A's
    let c = lab.path("C.db");
    lab.pair(&main, &c, "C");
    let (code, out) = lab.import_batch(&main, &file);
    assert_eq!(code, 0, "{out}");
    for renamed in ["C", "Z"] {
        let copy = edit_json(&file, |v| {
            v["station"] = renamed.into();
            for p in v["papers"].as_array_mut().unwrap() {
                let s = p["serial"]
                    .as_str()
                    .unwrap()
                    .replacen("A-", &format!("{renamed}-"), 1);
                p["serial"] = s.into();
            }
            recompute_public_digest(v);
        });
        let before = digest(&main);
        let (code, out) = lab.import_batch(&main, &copy);
        assert_eq!(
            code, 2,
            "station {renamed}: the same stack was counted twice: {out}"
        );
        assert_eq!(digest(&main), before);
    }
    assert_eq!(json(&lab, &main)["ballots"][1]["keyed"], 8);
}

#[test]
fn another_sessions_batch_relabelled_with_this_fingerprint_is_refused() {
    let lab = Lab::new();
    let main = main_console(&lab);
    // another session: the same roster, another session number, its own main console
    let other = lab.path("other.toml");
    std::fs::write(
        &other,
        std::fs::read_to_string(lab.session())
            .unwrap()
            .replace("第五次会议", "第六次会议"),
    )
    .unwrap();
    let other_main = lab.path("other-main.db");
    let other_station = lab.path("other-A.db");
    let script = lab.path("o.jsonl");
    std::fs::write(&script, opening().join("\n")).unwrap();
    for db in [&other_main, &other_station] {
        let (code, out) = lab.huiwu(&[
            "apply",
            "--db",
            db.to_str().unwrap(),
            "--session",
            other.to_str().unwrap(),
            script.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{out}");
    }
    let (code, out) = lab.huiwu(&["station", "add", "--db", other_main.to_str().unwrap(), "A"]);
    assert_eq!(code, 0, "{out}");
    let code_line = out
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 44)
        .unwrap()
        .to_string();
    let (code, out) = lab.huiwu(&[
        "station",
        "pair",
        "--db",
        other_station.to_str().unwrap(),
        "A",
        &code_line,
    ]);
    assert_eq!(code, 0, "{out}");
    let lines: Vec<String> = (0..5)
        .map(|i| paper(&format!("A-{:04}", i + 1), &marks(i), None))
        .collect();
    std::fs::write(&script, lines.join("\n")).unwrap();
    let (code, out) = lab.huiwu(&[
        "apply",
        "--db",
        other_station.to_str().unwrap(),
        script.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    let foreign = lab.path("foreign.json");
    lab.export_batch(&other_station, &foreign);
    // this session pairs its own station A
    lab.pair(&main, &lab.path("A.db"), "A");
    let ours = json(&lab, &main)["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    let before = digest(&main);
    let (code, out) = lab.import_batch(&main, &foreign);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("another session"), "{out}");
    // the forger copies this session's fingerprint and station A's key id, both public in the
    // JSON export, into the other session's batch
    let our_key_id = json(&lab, &main)["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"]["action"] == "add_station")
        .map(|e| e["action"]["key_id"].clone())
        .unwrap_or_default();
    let relabelled = edit_json(&foreign, |v| {
        v["fingerprint"] = ours.clone().into();
        if v.get("key_id").is_some() {
            v["key_id"] = our_key_id.clone();
        }
        recompute_public_digest(v);
    });
    let (code, out) = lab.import_batch(&main, &relabelled);
    assert_eq!(
        code, 2,
        "a relabelled batch of another session was accepted: {out}"
    );
    assert!(out.contains("authentication tag"), "{out}");
    assert_eq!(digest(&main), before);
}

#[test]
fn a_replayed_batch_changes_nothing_and_a_batch_number_is_taken_once() {
    let lab = Lab::new();
    let main = main_console(&lab);
    let file = station_with_batch(&lab, &main, "A", 6);
    let (code, out) = lab.import_batch(&main, &file);
    assert_eq!(code, 0, "{out}");
    let before = digest(&main);
    let (code, out) = lab.import_batch(&main, &file);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("already imported"), "{out}");
    assert_eq!(digest(&main), before);
    // the same number with other papers (the domain refuses a number taken twice even with a
    // genuine tag; here the tag no longer matches either)
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(v["number"], 1);
    assert!(v["station_head"].as_str().unwrap().starts_with('#'));
    let again = edit_json(&file, |v| {
        v["papers"].as_array_mut().unwrap().truncate(3);
    });
    let (code, out) = lab.import_batch(&main, &again);
    assert_eq!(code, 2, "{out}");
    assert_eq!(digest(&main), before);
    // a tag written in upper case is not another batch: refused, and the genuine one still skips
    let upper = edit_json(&file, |v| {
        let t = v["tag"].as_str().unwrap().to_uppercase();
        v["tag"] = t.into();
    });
    let (code, out) = lab.import_batch(&main, &upper);
    assert_eq!(code, 2, "{out}");
    let (code, out) = lab.import_batch(&main, &file);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("already imported"), "{out}");
    assert_eq!(digest(&main), before);
    // the batch's station head proves what the station's database held
    let (code, out) = lab.verify(
        &lab.path("A.db"),
        &["--head", v["station_head"].as_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_station_not_paired_cannot_write_a_batch_and_a_huge_batch_is_not_read() {
    let lab = Lab::new();
    let main = main_console(&lab);
    let lone = lab.path("lone.db");
    let mut lines = opening();
    lines.push(paper("L-0001", &marks(0), None));
    lab.ok(&lone, &lines);
    let (code, out) = lab.huiwu(&[
        "ballot",
        "export-batch",
        "--db",
        lone.to_str().unwrap(),
        "--ballot",
        "ballot",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("not paired"), "{out}");
    // a million papers against 280 issued: refused unread, or at the roster's size
    let file = station_with_batch(&lab, &main, "A", 2);
    let big = edit_json(&file, |v| {
        let p = v["papers"][0].clone();
        v["papers"] = serde_json::Value::Array(vec![p; 1_000_000]);
    });
    let before = digest(&main);
    let (code, out) = lab.import_batch(&main, &big);
    assert_eq!(code, 2, "{out}");
    assert_eq!(digest(&main), before);
}

// ---------------------------------------------------------------- the chain

/// Rewrite the log from entry `from` on, as an attacker with the sqlite3 shell and the
/// published hash recipe would: `edit` may change a payload, entries after `cut` are deleted,
/// every later hash and the recorded head are recomputed, the triggers put back.
fn rebuild(db: &Path, from: u64, cut: Option<u64>, edit: impl Fn(u64, &str) -> Option<String>) {
    let c = Connection::open(db).unwrap();
    c.execute_batch("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;")
        .unwrap();
    if let Some(k) = cut {
        c.execute("DELETE FROM events WHERE seq > ?1", params![k as i64])
            .unwrap();
    }
    let rows: Vec<(i64, String, String, String)> = c
        .prepare("SELECT seq, at, station, payload FROM events WHERE seq >= ?1 ORDER BY seq")
        .unwrap()
        .query_map(params![from as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut prev: String = c
        .query_row(
            "SELECT hash FROM events WHERE seq = ?1",
            params![from as i64 - 1],
            |r| r.get(0),
        )
        .unwrap_or_else(|_| huiwu::store::GENESIS_PREV.to_string());
    let mut last = (0i64, String::new());
    for (seq, at, station, payload) in rows {
        let payload = edit(seq as u64, &payload).unwrap_or(payload);
        let h = huiwu::store::event_hash(seq as u64, &prev, &at, &station, &payload);
        c.execute(
            "UPDATE events SET payload = ?2, prev = ?3, hash = ?4 WHERE seq = ?1",
            params![seq, payload, prev, h],
        )
        .unwrap();
        prev = h.clone();
        last = (seq, h);
    }
    if last.0 == 0 {
        last = c
            .query_row(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
    }
    c.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'head'",
        params![format!("{}:{}", last.0, last.1)],
    )
    .unwrap();
    c.execute_batch(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events
             BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
         CREATE TRIGGER events_no_delete BEFORE DELETE ON events
             BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;",
    )
    .unwrap();
}

fn seq_of(c: &Connection, like: &str) -> u64 {
    c.query_row(
        "SELECT seq FROM events WHERE payload LIKE ?1 ORDER BY seq LIMIT 1",
        params![like],
        |r| r.get::<_, i64>(0),
    )
    .unwrap() as u64
}

#[test]
fn a_rebuilt_chain_is_caught_by_the_head_written_down_and_by_the_witness() {
    let lab = Lab::new();
    let db = lab.path("s.db");
    let witness = lab.path("usb-witness.txt");
    let mut lines = opening();
    lines.extend((0..10).map(|i| paper(&format!("M-{i:04}"), &marks(i), None)));
    lines.push(act(r#""action":"announce_ballot","ballot":"ballot""#));
    let script = lab.with_witness(&db, &witness, &lines);
    // the head as the hall saw it at the announcement, written on the paper minutes
    let v = json(&lab, &db);
    let announced = v["ballots"][1]["announced_head"]
        .as_str()
        .unwrap()
        .to_string();
    let grouped = announced.clone();
    let bare16: String = announced.split_once(' ').unwrap().1.replace('-', "");
    let full = v["chain_head"]["hash"].as_str().unwrap().to_string();
    assert_eq!(lab.verify(&db, &["--head", &grouped]).0, 0);
    assert_eq!(lab.verify(&db, &["--head", &bare16]).0, 0);
    assert_eq!(lab.verify(&db, &["--head", &full]).0, 0);
    assert_eq!(
        lab.verify(&db, &["--witness", witness.to_str().unwrap()]).0,
        0
    );
    // one paper's marks rewritten, the chain and the paper row made to match
    let target = {
        let c = Connection::open(&db).unwrap();
        seq_of(&c, "%M-0003%")
    };
    rebuild(&db, target, None, |seq, p| {
        (seq == target).then(|| {
            p.replace("\"marks\":\"", "\"marks\":\"Y")
                .replacen("N\"", "\"", 1)
        })
    });
    {
        let c = Connection::open(&db).unwrap();
        let new: String = c
            .query_row(
                "SELECT payload FROM events WHERE seq = ?1",
                params![target as i64],
                |r| r.get(0),
            )
            .unwrap();
        let m: serde_json::Value = serde_json::from_str(&new).unwrap();
        c.execute(
            "UPDATE papers SET marks = ?1 WHERE serial = 'M-0003'",
            params![m["marks"].as_str().unwrap()],
        )
        .unwrap();
    }
    // on its own the rebuilt file holds together — that is what the head outside is for
    let (code, out) = lab.verify(&db, &["--head", &grouped]);
    assert_eq!(code, 1, "a rebuilt chain passed verify --head: {out}");
    assert!(out.contains("rewritten or rebuilt"), "{out}");
    let (code, out) = lab.verify(&db, &["--head", &bare16]);
    assert_eq!(code, 1, "{out}");
    let (code, out) = lab.verify(&db, &["--witness", witness.to_str().unwrap()]);
    assert_eq!(code, 1, "a rebuilt chain passed verify --witness: {out}");
    assert!(out.contains(&format!("entry {target} differs")), "{out}");
    // and a console given the witness refuses to open it
    let (code, out) = lab.huiwu(&[
        "apply",
        "--db",
        db.to_str().unwrap(),
        "--witness",
        witness.to_str().unwrap(),
        script.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("witness"), "{out}");
}

#[test]
fn a_row_slipped_in_below_entry_one_is_caught_and_a_head_is_never_found_in_it() {
    let lab = Lab::new();
    let db = lab.announced("s.db", 3);
    let v = json(&lab, &db);
    let head = v["chain_head"]["hash"].as_str().unwrap().to_string();
    let short = v["chain_head"]["short"].as_str().unwrap().to_string();
    // rebuild after an edit, then slip the old head in as row -1 so a prefix search finds it
    let target = {
        let c = Connection::open(&db).unwrap();
        seq_of(&c, "%M-0001%")
    };
    rebuild(&db, target, None, |seq, p| {
        (seq == target).then(|| p.replace("M-0001", "M-0009"))
    });
    {
        let c = Connection::open(&db).unwrap();
        c.execute(
            "INSERT INTO events VALUES (-1, 'x', 'x', 'x', 'x', ?1)",
            params![head],
        )
        .unwrap();
    }
    for h in [short.as_str(), head.as_str()] {
        let (code, out) = lab.verify(&db, &["--head", h]);
        assert_eq!(code, 1, "a head found in a slipped-in row: {out}");
    }
    let (code, out) = lab.huiwu(&["export", "--db", db.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("slipped in"), "{out}");
}

#[test]
fn verify_with_a_witness_never_cries_wolf_and_a_torn_witness_line_heals() {
    let lab = Lab::new();
    let db = lab.path("w.db");
    let witness = lab.path("w.txt");
    lab.ok(&db, &opening());
    let script = lab.path("w.jsonl");
    let lines: Vec<String> = (0..280)
        .map(|i| paper(&format!("W-{i:04}"), &marks(i), None))
        .collect();
    std::fs::write(&script, lines.join("\n")).unwrap();
    let mut writer = Command::new(bin())
        .args([
            "apply",
            "--db",
            db.to_str().unwrap(),
            "--witness",
            witness.to_str().unwrap(),
            script.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut alarms = Vec::new();
    let mut runs = 0;
    while writer.try_wait().unwrap().is_none() || runs < 10 {
        if witness.exists() {
            let (code, out) = lab.verify(&db, &["--witness", witness.to_str().unwrap()]);
            runs += 1;
            if code != 0 {
                alarms.push(out);
            }
        }
    }
    assert!(writer.wait().unwrap().success());
    assert!(
        alarms.is_empty(),
        "{} false alarms: {}",
        alarms.len(),
        alarms[0]
    );
    // the stick pulled mid-line: the torn line goes, the next commit starts a line of its own
    let body = std::fs::read(&witness).unwrap();
    std::fs::write(&witness, &body[..body.len() - 40]).unwrap();
    let note = lab.path("n.jsonl");
    std::fs::write(
        &note,
        act(r#""action":"add_note","item":"ballot","text":"补记""#),
    )
    .unwrap();
    let (code, out) = lab.huiwu(&[
        "apply",
        "--db",
        db.to_str().unwrap(),
        "--witness",
        witness.to_str().unwrap(),
        note.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = lab.verify(&db, &["--witness", witness.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    // a stick pulled while the header itself was written: a fresh witness starts in its place
    let torn = lab.path("torn.txt");
    std::fs::write(&torn, "huiwu-witness/1 12ab").unwrap();
    let (code, out) = lab.huiwu(&[
        "apply",
        "--db",
        db.to_str().unwrap(),
        "--witness",
        torn.to_str().unwrap(),
        note.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = lab.verify(&db, &["--witness", torn.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    // a device is no witness: refused before anything is written
    if Path::new("/dev/full").exists() {
        let before = digest(&db);
        let (code, out) = lab.huiwu(&[
            "apply",
            "--db",
            db.to_str().unwrap(),
            "--witness",
            "/dev/full",
            note.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{out}");
        assert!(
            out.contains("普通文件") || out.contains("regular file"),
            "{out}"
        );
        assert_eq!(digest(&db), before);
    }
}

#[test]
fn a_cut_chain_is_caught_by_the_head_and_the_witness_and_the_ballot_stays_announced() {
    let lab = Lab::new();
    let db = lab.path("s.db");
    let witness = lab.path("w.txt");
    let mut lines = opening();
    lines.extend((0..6).map(|i| paper(&format!("M-{i:04}"), &marks(i), None)));
    lines.push(act(r#""action":"announce_ballot","ballot":"ballot""#));
    lab.with_witness(&db, &witness, &lines);
    let head = head_of(&lab, &db);
    let announce = {
        let c = Connection::open(&db).unwrap();
        seq_of(&c, "%announce_ballot%")
    };
    // the announcement cut off, the recorded head fixed up, the projection put back to open
    rebuild(&db, announce, Some(announce - 1), |_, _| None);
    {
        let c = Connection::open(&db).unwrap();
        c.execute(
            "UPDATE ballots SET status = 'open', announced_seq = NULL WHERE id = 'ballot'",
            [],
        )
        .unwrap();
    }
    let (code, out) = lab.verify(&db, &["--head", &head]);
    assert_eq!(code, 1, "a cut chain passed verify --head: {out}");
    assert!(out.contains("was cut"), "{out}");
    let (code, out) = lab.verify(&db, &["--witness", witness.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("was cut"), "{out}");
}

/// Every command that reads or writes the record, with the arguments it needs.
fn commands<'a>(lab: &'a Lab, db: &'a str, file: &'a str) -> Vec<Vec<String>> {
    let s = lab.session().display().to_string();
    let mut out: Vec<Vec<String>> = vec![
        vec!["apply".into(), "--db".into(), db.into(), file.into()],
        vec!["run".into(), s.clone(), "--db".into(), db.into()],
        vec!["projector".into(), "--db".into(), db.into()],
        vec![
            "ballot".into(),
            "export-batch".into(),
            "--db".into(),
            db.into(),
            "--ballot".into(),
            "ballot".into(),
        ],
        vec![
            "ballot".into(),
            "import-batch".into(),
            "--db".into(),
            db.into(),
            file.into(),
        ],
        vec![
            "station".into(),
            "add".into(),
            "--db".into(),
            db.into(),
            "Q".into(),
        ],
    ];
    for f in ["json", "md", "html", "docx", "xlsx", "csv", "announcement"] {
        out.push(vec![
            "export".into(),
            "--db".into(),
            db.into(),
            "--format".into(),
            f.into(),
            "-o".into(),
            lab.path(&format!("out-{f}")).display().to_string(),
        ]);
    }
    out
}

#[test]
fn every_command_refuses_a_broken_chain_and_no_write_heals_it() {
    let lab = Lab::new();
    let db = lab.announced("s.db", 5);
    let note = lab.path("note.jsonl");
    std::fs::write(
        &note,
        act(r#""action":"add_note","item":"ballot","text":"补记""#),
    )
    .unwrap();
    // the crude cut: the last entry deleted, the recorded head left as it was
    {
        let c = Connection::open(&db).unwrap();
        c.execute_batch("DROP TRIGGER events_no_delete;").unwrap();
        c.execute(
            "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)",
            [],
        )
        .unwrap();
    }
    let (code, out) = lab.verify(&db, &[]);
    assert_eq!(code, 1, "{out}");
    let before = digest(&db);
    let d = db.display().to_string();
    let f = note.display().to_string();
    for args in commands(&lab, &d, &f) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out) = lab.huiwu(&args);
        assert_eq!(code, 2, "{args:?} carried on with a broken chain: {out}");
        assert!(
            out.contains("fails its check") || out.contains("broken"),
            "{args:?} did not say what verify found: {out}"
        );
        assert_eq!(digest(&db), before, "{args:?} wrote to a broken database");
    }
    let (code, out) = lab.verify(&db, &[]);
    assert_eq!(code, 1, "the broken chain was healed: {out}");
    // an edited byte in the middle, likewise
    let db2 = lab.announced("t.db", 5);
    {
        let c = Connection::open(&db2).unwrap();
        c.execute_batch("DROP TRIGGER events_no_update;").unwrap();
        c.execute(
            "UPDATE events SET payload = replace(payload, 'M-0002', 'M-0009') WHERE payload LIKE '%M-0002%'",
            [],
        )
        .unwrap();
    }
    let (code, out) = lab.huiwu(&["export", "--db", db2.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 2, "{out}");
}

// ---------------------------------------------------------------- the tables

#[test]
fn an_edit_to_any_table_is_named_by_verify() {
    let lab = Lab::new();
    let main = main_console(&lab);
    let file = station_with_batch(&lab, &main, "A", 4);
    let (code, out) = lab.import_batch(&main, &file);
    assert_eq!(code, 0, "{out}");
    // questions and commitments live in the questioning sample
    let q = lab.path("q.db");
    for f in ["qingxi-questioning.toml", "qingxi-roster.csv"] {
        std::fs::copy(sessions().join(f), lab.path(f)).unwrap();
    }
    let qs = lab.path("qs.jsonl");
    let toml: toml::Value =
        toml::from_str(&std::fs::read_to_string(lab.path("qingxi-questioning.toml")).unwrap())
            .unwrap();
    let agenda = toml["agenda"].as_array().unwrap();
    let ask = agenda
        .iter()
        .find(|a| a["kind"].as_str() == Some("questioning"))
        .unwrap();
    let item = ask["id"].as_str().unwrap();
    let first = ask["questioning"]["questions"][0]["id"].as_str().unwrap();
    let mut lines = vec![act(r#""action":"mark_unmarked","status":"present""#)];
    for a in agenda {
        let id = a["id"].as_str().unwrap();
        if id == item {
            break;
        }
        lines.push(format!("{{\"action\":\"start_item\",\"item\":\"{id}\"}}"));
        lines.push(format!("{{\"action\":\"finish_item\",\"item\":\"{id}\"}}"));
    }
    lines.push(format!("{{\"action\":\"start_item\",\"item\":\"{item}\"}}"));
    lines.push(format!(
        "{{\"action\":\"call_question\",\"item\":\"{item}\",\"question\":\"{first}\"}}"
    ));
    lines.push(format!(
        "{{\"action\":\"add_commitment\",\"item\":\"{item}\",\"question\":\"{first}\",\"text\":\"年底前完成\",\"unit\":\"镇政府\",\"due\":\"2026-12-31\"}}"
    ));
    std::fs::write(&qs, lines.join("\n")).unwrap();
    let (code, out) = lab.huiwu(&[
        "apply",
        "--db",
        q.to_str().unwrap(),
        "--session",
        lab.path("qingxi-questioning.toml").to_str().unwrap(),
        qs.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    let vote_db = lab.path("v.db");
    let mut v = opening();
    v.push(act(r#""action":"finish_item","item":"ballot""#));
    v.push(act(r#""action":"start_item","item":"scrutineers""#));
    v.push(act(
        r#""action":"record_vote","ballot":"scrutineers/m1","yes":250,"no":10,"abstain":5"#,
    ));
    lab.ok(&vote_db, &v);

    let edits: &[(&Path, &str, &str)] = &[
        (
            &main,
            "UPDATE ballots SET issued = 298 WHERE id = 'ballot'",
            "ballots",
        ),
        (
            &main,
            "UPDATE ballots SET returned_declared = 3 WHERE id = 'ballot'",
            "ballots",
        ),
        (
            &main,
            "UPDATE ballots SET status = 'announced' WHERE id = 'ballot'",
            "ballots",
        ),
        (
            &main,
            "UPDATE ballots SET scrutineers = '[\"王炜\"]' WHERE id = 'ballot'",
            "ballots",
        ),
        (
            &main,
            "UPDATE ballots SET keyed = 40 WHERE id = 'ballot'",
            "ballots",
        ),
        (
            &main,
            "UPDATE papers SET marks = 'YYYYYYYYYYNNNNN' WHERE serial = 'A-0002'",
            "papers",
        ),
        (
            &main,
            "DELETE FROM papers WHERE serial = 'A-0003'",
            "papers",
        ),
        (
            &main,
            "UPDATE attendance SET status = 'absent' WHERE deputy = 'HX251'",
            "attendance",
        ),
        (
            &main,
            "UPDATE agenda SET started = '2026-12-18T08:00:00.000+08:00' WHERE item = 'ballot'",
            "agenda",
        ),
        (&main, "DELETE FROM agenda WHERE item = 'ballot'", "agenda"),
        (
            &main,
            "UPDATE stations SET key_id = '0000000000000000'",
            "stations",
        ),
        (
            &main,
            "UPDATE station_keys SET key = '00000000000000000000000000000000'",
            "key",
        ),
        (&main, "DELETE FROM batches", "batches"),
        (
            &vote_db,
            "UPDATE votes SET yes = 260 WHERE ballot = 'scrutineers/m1'",
            "votes",
        ),
        (&q, "UPDATE questions SET status = 'done'", "questions"),
        (&q, "UPDATE commitments SET status = 'done'", "commitments"),
        (
            &q,
            "UPDATE commitments SET due = '2027-06-30'",
            "commitments",
        ),
    ];
    for (db, sql, table) in edits {
        assert_eq!(lab.verify(db, &[]).0, 0, "clean before {sql}");
        let copy = lab.path("edited.db");
        let _ = std::fs::remove_file(&copy);
        std::fs::copy(db, &copy).unwrap();
        {
            let c = Connection::open(&copy).unwrap();
            let n = c.execute(sql, []).unwrap();
            assert!(n > 0, "{sql} changed nothing");
        }
        let (code, out) = lab.verify(&copy, &[]);
        assert_eq!(code, 1, "verify passed after {sql}: {out}");
        assert!(
            out.contains(table),
            "verify did not name {table} after {sql}: {out}"
        );
    }
}

#[test]
fn verify_never_cries_wolf_beside_a_writer() {
    let lab = Lab::new();
    let db = lab.path("busy.db");
    lab.ok(&db, &opening());
    // Writers one after another, each an `apply` committing action by action: papers first,
    // then notes; a new one starts as soon as the last is done, so every verify has one beside it.
    let mut wave = 0;
    let spawn = |wave: usize| {
        let script = lab.path(&format!("busy-{wave}.jsonl"));
        let lines: Vec<String> = if wave == 0 {
            (0..280)
                .map(|i| paper(&format!("W-{i:04}"), &marks(i), None))
                .collect()
        } else {
            (0..1000)
                .map(|i| {
                    format!("{{\"action\":\"add_note\",\"item\":\"ballot\",\"text\":\"记录 {wave}-{i}\"}}")
                })
                .collect()
        };
        std::fs::write(&script, lines.join("\n")).unwrap();
        Command::new(bin())
            .args([
                "apply",
                "--db",
                db.to_str().unwrap(),
                script.to_str().unwrap(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut writer = spawn(wave);
    let (mut runs, mut during) = (0, 0);
    let mut alarms = Vec::new();
    while runs < 200 {
        if let Some(status) = writer.try_wait().unwrap() {
            assert!(status.success(), "writer {wave} failed");
            wave += 1;
            writer = spawn(wave);
        }
        let before = entries(&db);
        let (code, out) = lab.verify(&db, &[]);
        runs += 1;
        // Beside a writer: the log grew while verify was reading it.
        if entries(&db) > before {
            during += 1;
        }
        if code != 0 {
            alarms.push(out);
        }
    }
    assert!(writer.wait().unwrap().success());
    assert!(
        alarms.is_empty(),
        "{} false alarms in {runs} runs, first: {}",
        alarms.len(),
        alarms[0]
    );
    assert!(
        during >= 150,
        "only {during} of {runs} runs had a writer beside them"
    );

    fn entries(db: &Path) -> i64 {
        let c =
            Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        c.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
        c.query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .unwrap()
    }
    assert_eq!(lab.verify(&db, &[]).0, 0);
}

// ---------------------------------------------------------------- rules of the record

#[test]
fn ids_that_collide_with_derived_ones_are_refused() {
    let lab = Lab::new();
    for (from, to) in [
        ("id = \"announce\"", "id = \"ballot#2\""),
        ("id = \"announce\"", "id = \"scrutineers/m1\""),
    ] {
        let text = std::fs::read_to_string(lab.session())
            .unwrap()
            .replacen(from, to, 1);
        let f = lab.path("colliding.toml");
        std::fs::write(&f, text).unwrap();
        let (code, out) = lab.huiwu(&["check", f.to_str().unwrap()]);
        assert_eq!(code, 2, "{to} passed check: {out}");
        assert!(
            out.contains("colliding.toml:") && out.contains("may hold only"),
            "{out}"
        );
    }
    // a run-off gets an id no user can write, and its papers land in it
    let text = std::fs::read_to_string(lab.session()).unwrap();
    assert!(!text.contains("ballot#"));
}

#[test]
fn a_locked_ballot_keeps_its_staff_and_figures() {
    let lab = Lab::new();
    let db = lab.announced("s.db", 3);
    for line in [
        r#""action":"set_staff","ballot":"ballot","scrutineers":["某某"],"clerks":["某"]"#,
        r#""action":"set_issued","ballot":"ballot","issued":200"#,
        r#""action":"set_returned","ballot":"ballot","returned":3"#,
    ] {
        let before = digest(&db);
        let (code, out) = lab.apply(&db, &[act(line)]);
        assert_eq!(code, 2, "{line} changed a locked ballot: {out}");
        assert!(out.contains("locked"), "{out}");
        assert_eq!(digest(&db), before);
    }
}

#[test]
fn no_roster_name_or_id_enters_the_free_text_of_a_paper() {
    let lab = Lab::new();
    let db = lab.path("s.db");
    let mut lines = opening();
    lines.push(paper("M-0001", &marks(1), None));
    lab.ok(&db, &lines);
    let attempts = [
        paper("王炜", &marks(2), None),
        paper("M-HX251", &marks(2), None),
        paper("M-0002", "", Some("王炜的票")),
        paper("M-0003", "", Some("hx251 签名")),
        act(
            r#""action":"correct_paper","ballot":"ballot","serial":"M-0001","marks":"NNNNNNNNNNNNNNN","reason":"王炜说填错了""#,
        ),
        act(r#""action":"strike_paper","ballot":"ballot","serial":"M-0001","reason":"HX251 要求""#),
    ];
    for a in attempts {
        let before = digest(&db);
        let (code, out) = lab.apply(&db, std::slice::from_ref(&a));
        assert_eq!(code, 2, "accepted: {a}: {out}");
        assert!(out.contains("may identify a voter"), "{out}");
        assert_eq!(digest(&db), before);
    }
    // hidden by a zero-width space, full-width forms, spacing or punctuation
    for hidden in ["王\u{200B}炜", "ＨＸ２５１", "王 炜", "M-HX-251", "xhx251"] {
        let before = digest(&db);
        let (code, out) = lab.apply(&db, &[paper(hidden, &marks(3), None)]);
        assert_eq!(code, 2, "accepted {hidden:?}: {out}");
        assert_eq!(digest(&db), before);
    }
    let (code, out) = lab.huiwu(&["station", "add", "--db", db.to_str().unwrap(), "HX251"]);
    assert_eq!(code, 2, "a deputy's id as a station name: {out}");
    // nor as the name the console keys serials under
    let note = lab.path("n.jsonl");
    std::fs::write(
        &note,
        act(r#""action":"add_note","item":"ballot","text":"x""#),
    )
    .unwrap();
    let (code, out) = lab.huiwu(&[
        "apply",
        "--db",
        db.to_str().unwrap(),
        "--station",
        "HX251",
        note.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "a deputy's id as the console's station: {out}");
}

#[test]
fn exports_never_place_attendance_among_a_ballots_papers() {
    let lab = Lab::new();
    let db = lab.path("s.db");
    let mut lines = opening();
    lines.push(paper("M-0001", &marks(1), None));
    lines.push(paper("M-0002", &marks(2), None));
    // a deputy leaves while the papers are keyed
    lines.push(act(
        r#""action":"mark_attendance","deputy":"HX251","status":"leave""#,
    ));
    lines.push(paper("M-0003", &marks(3), None));
    lab.ok(&db, &lines);
    let v = json(&lab, &db);
    let events = v["events"].as_array().unwrap();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["action"]["action"].as_str().unwrap())
        .collect();
    let papers_at = kinds
        .iter()
        .position(|k| *k == "papers")
        .expect("papers folded");
    assert!(!kinds.contains(&"record_paper"), "{kinds:?}");
    assert_eq!(events[papers_at]["action"]["papers"], 3);
    assert!(events[papers_at]["seq"].is_null());
    let leave = kinds.iter().rposition(|k| *k == "mark_attendance").unwrap();
    assert!(
        leave > papers_at,
        "attendance shown among the papers: {kinds:?}"
    );
    for p in v["ballots"][1]["papers"].as_array().unwrap() {
        assert!(p.get("seq").is_none() && p.get("at").is_none(), "{p}");
    }
    assert!(v["ballots"][1]["counting"]["from"].is_string());
}

#[test]
fn unbounded_or_unreadable_input_is_refused() {
    let lab = Lab::new();
    let db = lab.path("s.db");
    lab.ok(&db, &opening());
    let huge = "S".repeat(1 << 20);
    let attempts = [
        paper(&huge, &marks(0), None),
        paper("M-\u{0}1", &marks(0), None),
        act(r#""action":"add_note","item":"ballot","text":"a\u0000b""#),
        act(r#""action":"add_note","item":"ballot","text":"\u001b[2J清屏""#),
        paper("M-0001", "", Some(&"污".repeat(501))),
        // time going backwards
        act(
            r#""at":"2020-01-01T09:00:00+08:00","action":"add_note","item":"ballot","text":"倒退""#,
        ),
    ];
    for a in &attempts {
        let before = digest(&db);
        let (code, out) = lab.apply(&db, std::slice::from_ref(a));
        assert_eq!(code, 2, "accepted: {}: {out}", &a[..a.len().min(80)]);
        assert_eq!(digest(&db), before);
    }
    // never more papers than deputies on the roster (298)
    let lines: Vec<String> = (0..300)
        .map(|i| paper(&format!("X-{i:04}"), &marks(i), None))
        .collect();
    let (code, out) = lab.apply(&db, &lines);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("298 papers keyed"), "{out}");
    // a ballot CSV mixing UTF-8 and GBK rows
    let mut csv = "serial,P01,P02,P03,P04,P05,P06,P07,P08,P09,P10,P11,P12,P13,P14,P15,void_reason\r\nB-1,赞成,,,,,,,,,,,,,,,\r\n"
        .as_bytes()
        .to_vec();
    let (gbk, _, _) = encoding_rs::GBK.encode("B-2,赞成,,,,,,,,,,,,,,,\r\n");
    csv.extend_from_slice(&gbk);
    let f = lab.path("mixed.csv");
    std::fs::write(&f, csv).unwrap();
    let db2 = lab.path("c.db");
    lab.ok(&db2, &opening());
    let before = digest(&db2);
    let (code, out) = lab.huiwu(&[
        "ballot",
        "import",
        "--db",
        db2.to_str().unwrap(),
        "--ballot",
        "ballot",
        f.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("mixed.csv:3:") && out.contains("mixes two encodings"),
        "{out}"
    );
    assert_eq!(digest(&db2), before);
}
