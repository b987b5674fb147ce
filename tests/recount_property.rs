//! Property: for random sessions and random ballot work (papers valid and void, undo,
//! corrections, strikes, CSV-style batch imports), the program's tally equals a deliberately
//! simple recount from the raw papers in the database — and a second recount from the event log.
//!
//! `RECOUNT_CASES` sets the number of cases (default 3,000; 10,000 with `HUIWU_LONG=1`, the
//! long run of every suite).

use std::collections::HashMap;

use huiwu::domain::action::{Action, Ts};
use huiwu::domain::ballots::Counter;
use huiwu::domain::quorum::Presence;
use huiwu::domain::sample;
use huiwu::domain::session::{CandidateDef, QuorumRule};
use huiwu::engine::ManualClock;
use huiwu::sessionfile::Loaded;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[derive(Debug, Clone)]
enum Op {
    Paper(Vec<u8>),
    VoidByHand(Vec<u8>),
    Undo,
    Correct(usize, Vec<u8>),
    Strike(usize),
    Import(Vec<Vec<u8>>),
}

#[derive(Debug, Clone)]
struct Case {
    deputies: usize,
    candidates: usize,
    places: u32,
    ops: Vec<Op>,
}

/// Marks as small numbers: 0 = 赞成, 1 = 不赞成, 2 = 弃权 (weighted toward 赞成 so void papers
/// with too many 赞成 are common).
fn marks(n: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![3 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
        n,
    )
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..30, 2usize..7)
        .prop_flat_map(|(deputies, candidates)| {
            let op = prop_oneof![
                6 => marks(candidates).prop_map(Op::Paper),
                1 => marks(candidates).prop_map(Op::VoidByHand),
                1 => Just(Op::Undo),
                1 => (0usize..40, marks(candidates)).prop_map(|(i, m)| Op::Correct(i, m)),
                1 => (0usize..40).prop_map(Op::Strike),
                1 => prop::collection::vec(marks(candidates), 1..6).prop_map(Op::Import),
            ];
            (
                Just(deputies),
                Just(candidates),
                1..candidates as u32,
                prop::collection::vec(op, 0..25),
            )
        })
        .prop_map(|(deputies, candidates, places, ops)| Case {
            deputies,
            candidates,
            places,
            ops,
        })
}

fn letters(m: &[u8]) -> String {
    m.iter().map(|x| ['Y', 'N', 'A'][*x as usize]).collect()
}

fn t0() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-07-28T15:00:00+08:00").unwrap()
}

/// A scratch directory on tmpfs where there is one: these tests measure counting, not fsync.
fn scratch() -> tempfile::TempDir {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(d) = tempfile::tempdir_in(shm)
    {
        return d;
    }
    tempfile::tempdir().unwrap()
}

/// Tally per candidate (yes, no, abstain) and (valid, void), recounted the simple way from
/// (marks, hand-void reason) of every paper that still counts.
fn simple_recount(
    papers: &[(String, Option<String>)],
    n: usize,
    places: u32,
) -> (Vec<[u32; 3]>, u32, u32) {
    let mut per = vec![[0u32; 3]; n];
    let (mut valid, mut void) = (0, 0);
    for (marks, hand) in papers {
        let yes = marks.chars().filter(|c| *c == 'Y').count() as u32;
        if hand.is_some() || yes > places {
            void += 1;
            continue;
        }
        valid += 1;
        for (i, c) in marks.chars().enumerate() {
            let k = match c {
                'Y' => 0,
                'N' => 1,
                _ => 2,
            };
            per[i][k] += 1;
        }
    }
    (per, valid, void)
}

fn run_case(c: &Case) -> Result<(), TestCaseError> {
    let dir = scratch();
    let mut def = sample::session(c.deputies, 2, QuorumRule::None);
    let ballot = def.agenda.iter_mut().find(|a| a.id == "vote").unwrap();
    let b = ballot.ballot.as_mut().unwrap();
    b.places = c.places;
    b.candidates = (1..=c.candidates)
        .map(|i| CandidateDef {
            id: format!("P{i}"),
            name: format!("项目{i}"),
            unit: None,
        })
        .collect();
    let loaded = Loaded {
        def,
        path: "prop.toml".into(),
        warnings: Vec::new(),
    };
    let db = dir.path().join("p.db");
    let clock = ManualClock::new(t0());
    let mut e = huiwu::opening::open_session(&loaded, &db, "main", Box::new(clock)).unwrap();
    e.execute(Action::MarkUnmarked {
        status: Presence::Present,
    })
    .unwrap();
    e.execute(Action::StartItem {
        item: "vote".into(),
    })
    .unwrap();

    let mut serial = 0;
    let mut next = || {
        serial += 1;
        format!("S{serial:04}")
    };
    for op in &c.ops {
        let live: Vec<String> = {
            let b = e.state().ballots.get("vote").unwrap();
            b.papers
                .iter()
                .filter(|p| p.live())
                .map(|p| p.serial.clone())
                .collect()
        };
        let pick = |i: usize| live.get(i % live.len().max(1)).cloned();
        // Refusals are part of the game (undo of nothing, …); the invariant must hold anyway.
        let _ = match op {
            Op::Paper(m) => e.execute(Action::RecordPaper {
                ballot: "vote".into(),
                serial: next(),
                marks: letters(m),
                void_reason: None,
            }),
            Op::VoidByHand(m) => e.execute(Action::RecordPaper {
                ballot: "vote".into(),
                serial: next(),
                marks: letters(m),
                void_reason: Some("污损".into()),
            }),
            Op::Undo => match live.last() {
                Some(s) => e.execute(Action::UndoPaper {
                    ballot: "vote".into(),
                    serial: s.clone(),
                }),
                None => continue,
            },
            Op::Correct(i, m) => match pick(*i) {
                Some(s) => e.execute(Action::CorrectPaper {
                    ballot: "vote".into(),
                    serial: s,
                    marks: letters(m),
                    void_reason: None,
                    reason: "核对原票".into(),
                }),
                None => continue,
            },
            Op::Strike(i) => match pick(*i) {
                Some(s) => e.execute(Action::StrikePaper {
                    ballot: "vote".into(),
                    serial: s,
                    reason: "重复".into(),
                }),
                None => continue,
            },
            Op::Import(batch) => {
                let actions = batch
                    .iter()
                    .map(|m| Action::RecordPaper {
                        ballot: "vote".into(),
                        serial: next(),
                        marks: letters(m),
                        void_reason: None,
                    })
                    .collect();
                let at = e.now();
                e.execute_all(actions, at)
                    .map(|_| 0)
                    .map_err(|(_, err)| err)
            }
        };
    }

    // The program's tally.
    let st = e.state();
    let b = st.ballots.get("vote").unwrap();
    let Counter::Approval(t) = &b.counter else {
        unreachable!()
    };
    let program: Vec<[u32; 3]> = t
        .counts()
        .iter()
        .map(|c| [c.yes, c.no, c.abstain])
        .collect();

    // Recount 1: the papers table.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut stmt = conn
        .prepare("SELECT marks, void_reason FROM papers WHERE ballot = 'vote' AND struck IS NULL")
        .unwrap();
    let rows: Vec<(String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let (per, valid, void) = simple_recount(&rows, c.candidates, c.places);
    prop_assert_eq!(&program, &per);
    prop_assert_eq!((t.valid(), t.void()), (valid, void));
    prop_assert_eq!(valid + void, b.keyed());

    // Recount 2: replay the raw events with a map from serial to paper.
    let mut stmt = conn
        .prepare("SELECT payload FROM events WHERE seq > 1 ORDER BY seq")
        .unwrap();
    let mut papers: HashMap<String, (String, Option<String>)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for payload in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        match serde_json::from_str::<Action>(&payload.unwrap()).unwrap() {
            Action::RecordPaper {
                serial,
                marks,
                void_reason,
                ..
            } => {
                order.push(serial.clone());
                papers.insert(serial, (marks, void_reason));
            }
            Action::CorrectPaper {
                serial,
                marks,
                void_reason,
                ..
            } => {
                papers.insert(serial, (marks, void_reason));
            }
            Action::UndoPaper { serial, .. } | Action::StrikePaper { serial, .. } => {
                papers.remove(&serial);
            }
            _ => {}
        }
    }
    let from_log: Vec<(String, Option<String>)> = order
        .iter()
        .filter_map(|s| papers.get(s).cloned())
        .collect();
    let (per2, valid2, void2) = simple_recount(&from_log, c.candidates, c.places);
    prop_assert_eq!(&program, &per2);
    prop_assert_eq!((valid2, void2), (valid, void));
    // Every candidate line adds up to the valid papers.
    for p in &program {
        prop_assert_eq!(p[0] + p[1] + p[2], valid);
    }
    Ok(())
}

/// The long variants of the suites (README, "Tests"): `HUIWU_LONG=1 cargo test --release`.
fn long() -> bool {
    std::env::var("HUIWU_LONG").is_ok_and(|v| v == "1")
}

#[test]
fn program_tally_equals_simple_recounts() {
    let cases: u32 = std::env::var("RECOUNT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if long() { 10_000 } else { 3_000 });
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner.run(&case(), |c| run_case(&c)).unwrap();
}

/// No input makes the parsers panic: session files, rosters and ballot CSVs of arbitrary bytes.
#[test]
fn parsers_never_panic_on_arbitrary_bytes() {
    use huiwu::domain::ballots::Ballots;
    let def = sample::session(5, 2, QuorumRule::None);
    let ballots = Ballots::new(&def);
    let vote = ballots.get("vote").unwrap();
    let item = def.item("vote").unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 3000,
        failure_persistence: None,
        ..Config::default()
    });
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        // plausible text with separators and quotes, more likely to reach deep branches
        "[a-z0-9_=\\[\\]\\.\",\\n 　编号姓名代表小组○×合计]{0,300}".prop_map(String::into_bytes),
    ];
    runner
        .run(&bytes, |b| {
            let p = std::path::Path::new("fuzz.toml");
            let _ = huiwu::sessionfile::parse_session(p, &b, &|_| {
                Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no roster",
                ))
            });
            let _ = huiwu::sessionfile::roster::parse_roster(std::path::Path::new("fuzz.csv"), &b);
            let _ = huiwu::import::parse_papers(std::path::Path::new("fuzz.csv"), &b, item, vote);
            Ok(())
        })
        .unwrap();
}
