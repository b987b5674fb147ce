//! Volume: at least 1,549,703 ballot positions (the count a 1-in-10-million accuracy claim needs
//! to pass with no error at 95% confidence) through the recording path, then recounted
//! independently — from what was sent, and from the raw paper rows — with zero discrepancies.

use huiwu::domain::action::{Action, Ts};
use huiwu::domain::ballots::Counter;
use huiwu::domain::quorum::Presence;
use huiwu::domain::sample;
use huiwu::domain::session::{CandidateDef, QuorumRule};
use huiwu::engine::ManualClock;
use huiwu::sessionfile::Loaded;

const POSITIONS: usize = 1_549_703;
const CANDIDATES: usize = 15;
const PLACES: u32 = 10;

fn t0() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-12-18T15:00:00+08:00").unwrap()
}

/// Deterministic, varied papers: some void (more than 10 赞成), most valid.
fn marks(i: u64) -> String {
    let mut x = i.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..CANDIDATES)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            match x % 10 {
                0..=5 => 'Y',
                6..=7 => 'N',
                _ => 'A',
            }
        })
        .collect()
}

#[test]
fn one_and_a_half_million_positions_recount_exactly() {
    let papers = POSITIONS.div_ceil(CANDIDATES);
    let dir = match std::path::Path::new("/dev/shm").is_dir() {
        true => tempfile::tempdir_in("/dev/shm").unwrap(),
        false => tempfile::tempdir().unwrap(),
    };
    let mut def = sample::session(papers + 1, 20, QuorumRule::None);
    let b = def
        .agenda
        .iter_mut()
        .find(|a| a.id == "vote")
        .unwrap()
        .ballot
        .as_mut()
        .unwrap();
    b.places = PLACES;
    b.candidates = (1..=CANDIDATES)
        .map(|i| CandidateDef {
            id: format!("P{i:02}"),
            name: format!("项目{i}"),
            unit: None,
        })
        .collect();
    let loaded = Loaded {
        def,
        path: "volume.toml".into(),
        warnings: Vec::new(),
    };
    let db = dir.path().join("v.db");
    let mut e =
        huiwu::opening::open_session(&loaded, &db, "main", Box::new(ManualClock::new(t0())))
            .unwrap();
    e.execute(Action::MarkUnmarked {
        status: Presence::Present,
    })
    .unwrap();
    e.execute(Action::StartItem {
        item: "vote".into(),
    })
    .unwrap();

    // The independent count: from what is sent.
    let mut expect = vec![[0u64; 3]; CANDIDATES];
    let (mut valid, mut void) = (0u64, 0u64);
    let mut sent = 0usize;
    while sent < papers {
        let batch: Vec<Action> = (sent..(sent + 2000).min(papers))
            .map(|i| {
                let m = marks(i as u64);
                if m.chars().filter(|c| *c == 'Y').count() as u32 > PLACES {
                    void += 1;
                } else {
                    valid += 1;
                    for (k, c) in m.chars().enumerate() {
                        expect[k][match c {
                            'Y' => 0,
                            'N' => 1,
                            _ => 2,
                        }] += 1;
                    }
                }
                Action::RecordPaper {
                    ballot: "vote".into(),
                    serial: format!("V-{i:07}"),
                    marks: m,
                    void_reason: None,
                }
            })
            .collect();
        sent += batch.len();
        let at = e.now();
        e.execute_all(batch, at).unwrap();
    }
    assert!(sent * CANDIDATES >= POSITIONS);
    assert!(void > 0 && valid > 0);

    // The program's tally.
    let b = e.state().ballots.get("vote").unwrap();
    let Counter::Approval(t) = &b.counter else {
        unreachable!()
    };
    let program: Vec<[u64; 3]> = t
        .counts()
        .iter()
        .map(|c| [u64::from(c.yes), u64::from(c.no), u64::from(c.abstain)])
        .collect();
    assert_eq!((u64::from(t.valid()), u64::from(t.void())), (valid, void));
    assert_eq!(program, expect);

    // And from the raw paper rows.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut rows = vec![[0u64; 3]; CANDIDATES];
    let mut stmt = conn
        .prepare("SELECT marks FROM papers WHERE ballot = 'vote' AND struck IS NULL")
        .unwrap();
    let mut n = 0usize;
    for m in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        let m = m.unwrap();
        n += 1;
        if m.chars().filter(|c| *c == 'Y').count() as u32 > PLACES {
            continue;
        }
        for (k, c) in m.chars().enumerate() {
            rows[k][match c {
                'Y' => 0,
                'N' => 1,
                _ => 2,
            }] += 1;
        }
    }
    assert_eq!(n, papers);
    assert_eq!(rows, expect);
    eprintln!(
        "volume: {papers} papers × {CANDIDATES} candidates = {} positions, {valid} valid, {void} void: zero discrepancies",
        papers * CANDIDATES
    );
}

/// The 50,000-entry day of the benchmarks (3,000 deputies marked twice, twelve ballots of 3,000
/// papers, notes), written where `HUIWU_VOLUME_DB` says, for timing whole commands on it
/// (docs/benchmarks.md): `HUIWU_VOLUME_DB=/tmp/day.db cargo test --release --test volume --
/// --ignored`.
#[test]
#[ignore = "writes a 50,000-entry database for timing whole commands"]
fn a_national_day_of_fifty_thousand_entries() {
    let Some(db) = std::env::var_os("HUIWU_VOLUME_DB") else {
        panic!("HUIWU_VOLUME_DB names the database to write");
    };
    let db = std::path::PathBuf::from(db);
    let mut def = sample::session(3000, 10, QuorumRule::TwoThirds);
    let vote = def.agenda.iter().position(|a| a.id == "vote").unwrap();
    {
        let b = def.agenda[vote].ballot.as_mut().unwrap();
        b.places = PLACES;
        b.candidates = (1..=CANDIDATES)
            .map(|i| CandidateDef {
                id: format!("P{i:02}"),
                name: format!("民生实事候选项目{i}"),
                unit: None,
            })
            .collect();
    }
    for k in 0..11 {
        let mut item = def.agenda[vote].clone();
        item.id = format!("vote{}", k + 2);
        item.title = format!("{}(第{}场)", item.title, k + 2);
        def.agenda.insert(vote + 1 + k, item);
    }
    let loaded = Loaded {
        def,
        path: "day.toml".into(),
        warnings: Vec::new(),
    };
    let mut e =
        huiwu::opening::open_session(&loaded, &db, "main", Box::new(ManualClock::new(t0())))
            .unwrap();
    let ids: Vec<String> = e
        .state()
        .def
        .deputies
        .iter()
        .map(|d| d.id.clone())
        .collect();
    let mut actions: Vec<Action> = Vec::new();
    for status in [Presence::Leave, Presence::Present] {
        actions.extend(ids.iter().map(|id| Action::MarkAttendance {
            deputy: id.clone(),
            status,
        }));
    }
    let at = e.now();
    e.execute_all(actions, at).unwrap();
    for k in 1..=12 {
        let ballot = if k == 1 {
            "vote".to_string()
        } else {
            format!("vote{k}")
        };
        let mut day: Vec<Action> = Vec::new();
        if k > 1 {
            let prev = if k == 2 {
                "vote".to_string()
            } else {
                format!("vote{}", k - 1)
            };
            day.push(Action::FinishItem { item: prev });
        }
        day.push(Action::StartItem {
            item: ballot.clone(),
        });
        day.extend((1..=3000u64).map(|i| {
            let mut m = marks(i);
            // at most the places in 赞成: a valid paper
            let mut yes = 0;
            m = m
                .chars()
                .map(|c| {
                    if c == 'Y' {
                        yes += 1;
                        if yes > PLACES { 'N' } else { 'Y' }
                    } else {
                        c
                    }
                })
                .collect();
            Action::RecordPaper {
                ballot: ballot.clone(),
                serial: format!("B-{i:06}"),
                marks: m,
                void_reason: None,
            }
        }));
        e.execute_all(day, at).unwrap();
    }
    let left = 50_000usize.saturating_sub(e.state().seq as usize);
    e.execute_all(
        (0..left)
            .map(|i| Action::AddNote {
                item: "vote12".into(),
                text: format!("会务记录第{i}条"),
            })
            .collect(),
        at,
    )
    .unwrap();
    assert!(e.state().seq >= 50_000);
}
