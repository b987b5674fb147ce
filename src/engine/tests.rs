use super::*;
use crate::domain::quorum::Presence;
use crate::domain::sample;
use crate::domain::session::QuorumRule;
use crate::domain::state::ItemStatus;

fn t0() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-07-28T14:30:00+08:00").unwrap()
}

fn loaded(n: usize) -> Loaded {
    Loaded {
        def: sample::session(n, 3, QuorumRule::TwoThirds),
        path: PathBuf::from("sessions/test.toml"),
        warnings: Vec::new(),
    }
}

fn engine(dir: &tempfile::TempDir, n: usize) -> (PathBuf, Engine, ManualClock) {
    let p = dir.path().join("t.db");
    let clock = ManualClock::new(t0());
    let e = Engine::open_definition(&loaded(n), &p, "main", Box::new(clock.clone())).unwrap();
    (p, e, clock)
}

fn present(e: &mut Engine, k: usize) {
    for i in 0..k {
        let id = e.state().def.deputies[i].id.clone();
        e.execute(Action::MarkAttendance {
            deputy: id,
            status: Presence::Present,
        })
        .unwrap();
    }
}

#[test]
fn resume_gives_the_same_state() {
    let dir = tempfile::tempdir().unwrap();
    let (p, mut e, clock) = engine(&dir, 9);
    present(&mut e, 6);
    clock.advance(60);
    e.execute(Action::StartItem {
        item: "open".into(),
    })
    .unwrap();
    e.execute(Action::AddNote {
        item: "open".into(),
        text: "主持人宣布开会".into(),
    })
    .unwrap();
    let (att, items, seq) = (e.state().attendance, e.state().items.clone(), e.state().seq);
    drop(e);
    let e2 = Engine::open_definition(&loaded(9), &p, "main", Box::new(clock)).unwrap();
    assert_eq!(e2.state().attendance, att);
    assert_eq!(e2.state().items, items);
    assert_eq!(e2.state().seq, seq);
    assert_eq!(e2.log().len(), 8);
    assert_eq!(e2.state().items[0].status, ItemStatus::Running);
}

#[test]
fn refused_action_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_p, mut e, _) = engine(&dir, 9);
    let before = e.store().head().0;
    let err = e
        .execute(Action::StartItem {
            item: "open".into(),
        })
        .unwrap_err();
    assert!(matches!(err, ExecError::Refused(_)));
    assert_eq!(e.store().head().0, before);
    let n: i64 = e
        .store()
        .conn()
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn projections_follow_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let (_p, mut e, _) = engine(&dir, 9);
    present(&mut e, 6);
    e.execute(Action::MarkUnmarked {
        status: Presence::Absent,
    })
    .unwrap();
    e.execute(Action::StartItem {
        item: "open".into(),
    })
    .unwrap();
    let c = e.store().conn();
    let counts: Vec<(String, i64)> = c
        .prepare("SELECT status, count(*) FROM attendance GROUP BY status ORDER BY status")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(counts, vec![("absent".into(), 3), ("present".into(), 6)]);
    let st: String = c
        .query_row("SELECT status FROM agenda WHERE item = 'open'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(st, "running");
}

#[test]
fn two_writers_on_one_database_see_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let (p, mut a, clock) = engine(&dir, 9);
    let mut b = Engine::open(&p, "second", Box::new(clock.clone())).unwrap();
    present(&mut a, 6);
    // b has not seen the marks but its action is checked against them
    b.execute(Action::StartItem {
        item: "open".into(),
    })
    .unwrap();
    assert_eq!(b.state().attendance.present, 6);
    // a refreshes and sees b's start; starting again is refused by the rules
    assert!(a.refresh().unwrap());
    assert_eq!(a.state().items[0].status, ItemStatus::Running);
    assert!(
        a.execute(Action::StartItem {
            item: "open".into()
        })
        .is_err()
    );
    assert!(!a.refresh().unwrap());
    assert!(crate::store::verify(a.store().conn()).unwrap().ok());
}

#[test]
fn another_sessions_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (p, e, clock) = engine(&dir, 9);
    drop(e);
    let mut other = loaded(9);
    other.def.session.title = "另一次会议".into();
    let err = Engine::open_definition(&other, &p, "main", Box::new(clock.clone()))
        .err()
        .unwrap();
    assert!(
        err.text().en.contains("belongs to another session"),
        "{err}"
    );
    let mut edited = loaded(9);
    edited.def.deputies[0].name = "改名".into();
    let err = Engine::open_definition(&edited, &p, "main", Box::new(clock))
        .err()
        .unwrap();
    assert!(err.text().en.contains("changed after"), "{err}");
}

#[test]
fn a_question_resumes_its_answer_clock_from_the_recorded_times() {
    let dir = tempfile::tempdir().unwrap();
    let (p, mut e, clock) = engine(&dir, 9);
    e.execute(Action::MarkUnmarked {
        status: Presence::Present,
    })
    .unwrap();
    e.execute(Action::StartItem { item: "ask".into() }).unwrap();
    e.execute(Action::CallQuestion {
        item: "ask".into(),
        question: "q1".into(),
        asker: None,
    })
    .unwrap();
    clock.advance(120);
    e.execute(Action::StartAnswer {
        item: "ask".into(),
        question: "q1".into(),
    })
    .unwrap();
    e.execute(Action::AnswerNote {
        item: "ask".into(),
        question: "q1".into(),
        text: "正在答复".into(),
    })
    .unwrap();
    drop(e); // the process dies during the answer
    clock.advance(200);
    let e = Engine::open(&p, "main", Box::new(clock.clone())).unwrap();
    let q = &e.state().queues[0].questions[0];
    assert_eq!(q.status, crate::domain::questions::QStatus::Answering);
    assert_eq!(q.current_phase().unwrap().elapsed_secs(e.now()), 200);
    assert_eq!(q.notes[0].text, "正在答复");
}
