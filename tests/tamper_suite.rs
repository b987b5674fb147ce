//! Tamper suite (DESIGN.md §7): for every event of a recorded session, flipping a byte,
//! deleting the row, swapping it with the next and cutting the log short are each caught by
//! `verify`, which names the first bad entry. Rebuilding the chain after an edit is caught by
//! the chain head printed at the announcement.

use huiwu::audit;
use huiwu::domain::action::{Action, Ts};
use huiwu::domain::quorum::Presence;
use huiwu::domain::sample;
use huiwu::domain::session::QuorumRule;
use huiwu::engine::ManualClock;
use huiwu::sessionfile::Loaded;
use rusqlite::Connection;

fn t0() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-07-28T15:00:00+08:00").unwrap()
}

/// A short real session: attendance, an item, a ballot with papers, a note, an announcement.
fn recorded(dir: &std::path::Path) -> (std::path::PathBuf, u64) {
    let db = dir.join("t.db");
    let loaded = Loaded {
        def: sample::session(8, 2, QuorumRule::TwoThirds),
        path: "t.toml".into(),
        warnings: Vec::new(),
    };
    let clock = ManualClock::new(t0());
    let mut e =
        huiwu::opening::open_session(&loaded, &db, "main", Box::new(clock.clone())).unwrap();
    let ids: Vec<String> = e
        .state()
        .def
        .deputies
        .iter()
        .map(|d| d.id.clone())
        .collect();
    e.execute(Action::MarkAttendance {
        deputy: ids[0].clone(),
        status: Presence::Leave,
    })
    .unwrap();
    e.execute(Action::MarkUnmarked {
        status: Presence::Present,
    })
    .unwrap();
    e.execute(Action::StartItem {
        item: "vote".into(),
    })
    .unwrap();
    e.execute(Action::SetIssued {
        ballot: "vote".into(),
        issued: 7,
    })
    .unwrap();
    for (i, m) in ["YYYAA", "YYNAA", "NYYAA", "YYYYA", "AAYYY"]
        .iter()
        .enumerate()
    {
        clock.advance(5);
        e.execute(Action::RecordPaper {
            ballot: "vote".into(),
            serial: format!("m-{i}"),
            marks: m.to_string(),
            void_reason: None,
        })
        .unwrap();
    }
    e.execute(Action::AddNote {
        item: "vote".into(),
        text: "监票人核对无误".into(),
    })
    .unwrap();
    e.execute(Action::AnnounceBallot {
        ballot: "vote".into(),
    })
    .unwrap();
    let n = e.state().seq;
    (db, n)
}

fn copy(src: &std::path::Path, dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let dst = dir.join(name);
    std::fs::copy(src, &dst).unwrap();
    dst
}

fn tamper(db: &std::path::Path, sql: &str) {
    let c = Connection::open(db).unwrap();
    c.execute_batch("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;")
        .unwrap();
    c.execute_batch(sql).unwrap();
}

fn first_bad(db: &std::path::Path) -> Option<u64> {
    let r = audit::verify(db).unwrap();
    r.first_bad.map(|(seq, _)| seq)
}

#[test]
fn every_event_tampered_every_way_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let (db, n) = recorded(dir.path());
    assert!(audit::verify(&db).unwrap().ok());
    for seq in 1..=n {
        // a byte of the payload changed (the first character's case or digit, or a letter swapped in)
        let d = copy(&db, dir.path(), &format!("flip-{seq}.db"));
        tamper(
            &d,
            &format!(
                "UPDATE events SET payload = CASE WHEN substr(payload, 2, 1) = 'a' THEN '{{b' ELSE '{{a' END || substr(payload, 3) WHERE seq = {seq}"
            ),
        );
        assert_eq!(first_bad(&d), Some(seq), "flipped byte in event {seq}");

        // the row deleted
        let d = copy(&db, dir.path(), &format!("del-{seq}.db"));
        tamper(&d, &format!("DELETE FROM events WHERE seq = {seq}"));
        let bad = first_bad(&d);
        assert_eq!(bad, Some(seq), "deleted event {seq}");

        // swapped with the next
        if seq < n {
            let d = copy(&db, dir.path(), &format!("swap-{seq}.db"));
            tamper(
                &d,
                &format!(
                    "UPDATE events SET seq = -1 WHERE seq = {seq};
                     UPDATE events SET seq = {seq} WHERE seq = {next};
                     UPDATE events SET seq = {next} WHERE seq = -1;",
                    next = seq + 1
                ),
            );
            assert_eq!(
                first_bad(&d),
                Some(seq),
                "swapped events {seq} and {}",
                seq + 1
            );
        }

        // cut short from here on
        if seq > 1 {
            let d = copy(&db, dir.path(), &format!("cut-{seq}.db"));
            tamper(&d, &format!("DELETE FROM events WHERE seq >= {seq}"));
            assert_eq!(first_bad(&d), Some(seq), "log cut at {seq}");
        }
    }
}

#[test]
fn a_rebuilt_chain_does_not_match_the_head_on_paper() {
    let dir = tempfile::tempdir().unwrap();
    let (db, n) = recorded(dir.path());
    let paper_head = Connection::open(&db)
        .unwrap()
        .query_row("SELECT hash FROM events WHERE seq = ?1", [n as i64], |r| {
            r.get::<_, String>(0)
        })
        .unwrap();
    // A forger changes a paper and recomputes every hash after it, and the stored head.
    let c = Connection::open(&db).unwrap();
    c.execute_batch("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;")
        .unwrap();
    let rows: Vec<(i64, String, String, String, String)> = c
        .prepare("SELECT seq, at, station, payload, prev FROM events ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut prev = String::new();
    for (seq, at, station, payload, old_prev) in rows {
        let payload = payload.replace("\"marks\":\"AAYYY\"", "\"marks\":\"YAYYA\"");
        let p = if seq == 1 { old_prev } else { prev.clone() };
        let h = huiwu::store::event_hash(seq as u64, &p, &at, &station, &payload);
        c.execute(
            "UPDATE events SET payload = ?1, prev = ?2, hash = ?3 WHERE seq = ?4",
            rusqlite::params![payload, p, h, seq],
        )
        .unwrap();
        prev = h;
    }
    c.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'head'",
        [format!("{n}:{prev}")],
    )
    .unwrap();
    drop(c);
    let r = audit::verify(&db).unwrap();
    // The chain is self-consistent again, so only the head copied onto the paper minutes
    // (or the papers table compared with the log) exposes it.
    assert_ne!(r.head, paper_head, "a rebuilt chain has another head");
}
