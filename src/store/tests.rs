use super::*;
use crate::domain::sample;
use crate::domain::session::QuorumRule;

fn ts() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-07-28T14:30:00+08:00").unwrap()
}

fn new_db(dir: &tempfile::TempDir) -> (std::path::PathBuf, Store) {
    let p = dir.path().join("s.db");
    let def = sample::session(5, 2, QuorumRule::None);
    let s = Store::create(&p, &def, "s.toml", ts(), "main").unwrap();
    (p, s)
}

fn append(s: &mut Store, a: Action) {
    let (mut w, _) = s.begin().unwrap();
    w.append(ts(), &a).unwrap();
    w.commit().unwrap();
}

fn note(i: u32) -> Action {
    Action::AddNote {
        item: "open".into(),
        text: format!("note {i}"),
    }
}

#[test]
fn durability_settings_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let (_, s) = new_db(&dir);
    let mode: String = s
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = s
        .conn()
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!((mode.as_str(), sync), ("wal", 2));
}

#[test]
fn reopen_reads_definition_and_events() {
    let dir = tempfile::tempdir().unwrap();
    let (p, mut s) = new_db(&dir);
    append(&mut s, note(1));
    append(&mut s, note(2));
    let head = s.head().1.to_string();
    drop(s);
    let o = Store::open(&p, "main").unwrap();
    let (s, g) = (o.store, o.genesis);
    assert_eq!(g.definition.deputies.len(), 5);
    assert_eq!(s.head(), (3, head.as_str()));
    let evs = o.events;
    assert_eq!(evs.len(), 2);
    assert_eq!(evs[1].action, note(2));
    assert!(verify(s.conn()).unwrap().ok());
}

#[test]
fn rollback_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut s) = new_db(&dir);
    {
        let (mut w, _) = s.begin().unwrap();
        w.append(ts(), &note(1)).unwrap();
        // dropped without commit
    }
    let n: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    append(&mut s, note(2));
    assert_eq!(s.head().0, 2);
    assert!(verify(s.conn()).unwrap().ok());
}

#[test]
fn the_log_refuses_updates_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut s) = new_db(&dir);
    append(&mut s, note(1));
    assert!(
        s.conn()
            .execute("UPDATE events SET payload = 'x' WHERE seq = 2", [])
            .is_err()
    );
    assert!(
        s.conn()
            .execute("DELETE FROM events WHERE seq = 2", [])
            .is_err()
    );
}

fn tamper(p: &std::path::Path, sql: &str) {
    let c = rusqlite::Connection::open(p).unwrap();
    c.execute_batch("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;")
        .unwrap();
    c.execute_batch(sql).unwrap();
}

fn verify_path(p: &std::path::Path) -> VerifyReport {
    let c = rusqlite::Connection::open(p).unwrap();
    verify(&c).unwrap()
}

fn recorded(n: u32) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (p, mut s) = new_db(&dir);
    for i in 0..n {
        append(&mut s, note(i));
    }
    drop(s);
    (dir, p)
}

#[test]
fn verify_names_a_flipped_byte() {
    let (_d, p) = recorded(5);
    tamper(
        &p,
        "UPDATE events SET payload = replace(payload, 'note 2', 'note 9') WHERE seq = 4",
    );
    assert_eq!(verify_path(&p).first_bad.unwrap().0, 4);
}

#[test]
fn verify_names_a_deleted_row() {
    let (_d, p) = recorded(5);
    tamper(&p, "DELETE FROM events WHERE seq = 3");
    let r = verify_path(&p);
    assert_eq!(r.first_bad.unwrap().0, 3);
}

#[test]
fn verify_names_swapped_rows() {
    let (_d, p) = recorded(5);
    tamper(
        &p,
        "UPDATE events SET seq = -1 WHERE seq = 3; UPDATE events SET seq = 3 WHERE seq = 4; UPDATE events SET seq = 4 WHERE seq = -1;",
    );
    assert_eq!(verify_path(&p).first_bad.unwrap().0, 3);
}

#[test]
fn verify_catches_a_truncated_log() {
    let (_d, p) = recorded(5);
    tamper(&p, "DELETE FROM events WHERE seq >= 5");
    let r = verify_path(&p);
    assert_eq!(r.first_bad.unwrap().0, 5);
}

#[test]
fn verify_catches_an_edited_definition() {
    let (_d, p) = recorded(1);
    tamper(
        &p,
        "UPDATE events SET payload = replace(payload, '代表1\"', '代表X\"') WHERE seq = 1",
    );
    assert_eq!(verify_path(&p).first_bad.unwrap().0, 1);
}

#[test]
fn foreign_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&p).unwrap();
    let err = Store::open(&p, "main").err().unwrap();
    assert!(err.text().en.contains("not a huiwu database"), "{err}");
    assert_eq!(std::fs::read(&p).unwrap(), before);
}

#[test]
fn non_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.db");
    std::fs::write(&p, "这不是数据库 just text\n".repeat(100)).unwrap();
    let before = std::fs::read(&p).unwrap();
    assert!(Store::open(&p, "main").is_err());
    assert_eq!(std::fs::read(&p).unwrap(), before);
}

#[test]
fn newer_schema_is_refused_untouched() {
    let (_d, p) = recorded(1);
    {
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
            .unwrap();
    }
    let before = std::fs::read(&p).unwrap();
    let err = Store::open(&p, "main").err().unwrap();
    assert!(err.text().en.contains("newer huiwu"), "{err}");
    assert_eq!(std::fs::read(&p).unwrap(), before);
}

#[test]
fn create_refuses_an_existing_file() {
    let (_d, p) = recorded(0);
    let def = sample::session(5, 2, QuorumRule::None);
    assert!(Store::create(&p, &def, "s.toml", ts(), "main").is_err());
}

#[test]
fn verify_flags_a_time_earlier_than_the_entry_before() {
    let dir = tempfile::tempdir().unwrap();
    let (p, mut s) = new_db(&dir);
    append(&mut s, note(1));
    let earlier = ts() - chrono::Duration::minutes(5);
    let (mut w, _) = s.begin().unwrap();
    w.append(earlier, &note(2)).unwrap();
    w.commit().unwrap();
    drop(s);
    let r = verify_path(&p);
    let (seq, why) = r.first_bad.unwrap();
    assert_eq!(seq, 3);
    assert!(why.en.contains("backwards"), "{}", why.en);
    // and nobody opens it as if it were fine
    assert!(matches!(
        Store::open(&p, "main"),
        Err(StoreError::Broken { seq: 3, .. })
    ));
}

#[test]
fn a_log_cut_or_rebuilt_while_open_is_caught_at_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let (p, mut s) = new_db(&dir);
    for i in 0..4 {
        append(&mut s, note(i));
    }
    // another process cuts the last entry and fixes up the recorded head
    {
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch("DROP TRIGGER events_no_delete;").unwrap();
        c.execute("DELETE FROM events WHERE seq = 5", []).unwrap();
        let h: String = c
            .query_row("SELECT hash FROM events WHERE seq = 4", [], |r| r.get(0))
            .unwrap();
        c.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'head'",
            rusqlite::params![format!("4:{h}")],
        )
        .unwrap();
    }
    let err = s.begin().err().expect("the cut is seen");
    assert!(err.text().en.contains("was cut"), "{}", err.text().en);
    assert!(s.read_new().is_err());
    let n: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 4, "nothing was appended to heal it");
}
