//! Speed, measured (DESIGN.md §6): recording a paper against a bare SQLite commit with the same
//! durability, tally and redraw at 10 vs 10,000 papers, resuming a 3,000-deputy session with
//! 50,000 events, and exporting it. Run with `cargo bench`; figures in docs/benchmarks.md.

use std::path::Path;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use huiwu::domain::action::{Action, Ts};
use huiwu::domain::quorum::Presence;
use huiwu::domain::sample;
use huiwu::domain::session::{CandidateDef, QuorumRule};
use huiwu::engine::{Engine, ManualClock};
use huiwu::i18n::Lang;
use huiwu::sessionfile::Loaded;
use huiwu::tui::app::App;
use huiwu::tui::keys::{Cmd, Screen};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn t0() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-12-18T14:30:00+08:00").unwrap()
}

/// A session of `deputies` with a 15-for-10 ballot started and all present.
fn ballot_session(dir: &Path, deputies: usize) -> Engine {
    ballot_session_with(dir, deputies, 0)
}

/// The same with `more` further ballot items `vote2`, `vote3` … after the first.
fn ballot_session_with(dir: &Path, deputies: usize, more: usize) -> Engine {
    std::fs::create_dir_all(dir).unwrap();
    let mut def = sample::session(deputies, 10, QuorumRule::TwoThirds);
    let b = def
        .agenda
        .iter_mut()
        .find(|a| a.id == "vote")
        .unwrap()
        .ballot
        .as_mut()
        .unwrap();
    b.places = 10;
    b.candidates = (1..=15)
        .map(|i| CandidateDef {
            id: format!("P{i:02}"),
            name: format!("民生实事候选项目{i}"),
            unit: None,
        })
        .collect();
    let vote = def.agenda.iter().position(|a| a.id == "vote").unwrap();
    for k in 0..more {
        let mut item = def.agenda[vote].clone();
        item.id = format!("vote{}", k + 2);
        item.title = format!("{}(第{}场)", item.title, k + 2);
        def.agenda.insert(vote + 1 + k, item);
    }
    let loaded = Loaded {
        def,
        path: "bench.toml".into(),
        warnings: Vec::new(),
    };
    let clock = ManualClock::new(t0());
    let mut e =
        huiwu::opening::open_session(&loaded, &dir.join("b.db"), "main", Box::new(clock)).unwrap();
    e.execute(Action::MarkUnmarked {
        status: Presence::Present,
    })
    .unwrap();
    e.execute(Action::StartItem {
        item: "vote".into(),
    })
    .unwrap();
    e
}

/// A valid paper: at most 10 赞成 among the first ten candidates, the rest 不赞成 or 弃权.
fn marks(i: usize) -> String {
    (0..15)
        .map(
            |k| match (k < 10, (i + k).is_multiple_of(5), (i + k).is_multiple_of(3)) {
                (true, false, _) => 'Y',
                (true, true, _) => 'N',
                (false, _, true) => 'A',
                (false, _, false) => 'N',
            },
        )
        .collect()
}

fn paper(serial: usize) -> Action {
    paper_of("vote", serial)
}

fn paper_of(ballot: &str, serial: usize) -> Action {
    Action::RecordPaper {
        ballot: ballot.into(),
        serial: format!("B-{serial:06}"),
        marks: marks(serial),
        void_reason: None,
    }
}

/// One paper recorded durably vs the floor: one bare INSERT + COMMIT with WAL and synchronous=FULL.
fn record(c: &mut Criterion) {
    let dir = tempfile::tempdir_in(".").unwrap();
    // A roster larger than the papers the benchmark keys: no box holds more papers than deputies.
    let mut e = ballot_session(dir.path(), 200_000);
    let mut n = 0;
    c.bench_function("record_paper", |b| {
        b.iter(|| {
            n += 1;
            e.execute(paper(n)).unwrap()
        })
    });
    let conn = rusqlite::Connection::open(dir.path().join("bare.db")).unwrap();
    conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
        .unwrap();
    conn.execute_batch("PRAGMA synchronous=FULL; CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)")
        .unwrap();
    let mut k = 0;
    c.bench_function("bare_sqlite_commit", |b| {
        b.iter(|| {
            k += 1;
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            conn.execute(
                "INSERT INTO t(k, v) VALUES (?1, ?2)",
                rusqlite::params![k, marks(k as usize)],
            )
            .unwrap();
            conn.execute_batch("COMMIT").unwrap();
        })
    });
}

/// Tally + redraw of the count screen with 10 and with 10,000 papers already in.
fn tally_and_redraw(c: &mut Criterion) {
    for n in [10usize, 10_000] {
        let dir = tempfile::tempdir_in(".").unwrap();
        let mut e = ballot_session(dir.path(), 10_000);
        let at = e.now();
        e.execute_all((1..=n).map(paper).collect(), at).unwrap();
        let mut app = App::new(e, Lang::Zh);
        app.agenda.sel = 2;
        app.dispatch(Cmd::Open);
        assert_eq!(app.screen, Screen::Ballot);
        let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
        c.bench_function(&format!("tally_and_redraw_{n}_papers"), |b| {
            b.iter(|| {
                term.draw(|f| huiwu::tui::view::render(&app, f))
                    .map(|_| ())
                    .unwrap()
            })
        });
    }
}

/// A national-size day: 3,000 deputies marked one by one, twelve ballots of 3,000 papers each,
/// notes up to 50,000 events in all; reopen it.
fn resume_and_export(c: &mut Criterion) {
    let dir = tempfile::tempdir_in(".").unwrap();
    let mut e = ballot_session_with(dir.path(), 3000, 11);
    let ids: Vec<String> = e
        .state()
        .def
        .deputies
        .iter()
        .map(|d| d.id.clone())
        .collect();
    let mut actions: Vec<Action> = ids
        .iter()
        .map(|id| Action::MarkAttendance {
            deputy: id.clone(),
            status: Presence::Leave,
        })
        .collect();
    actions.extend(ids.iter().map(|id| Action::MarkAttendance {
        deputy: id.clone(),
        status: Presence::Present,
    }));
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
            day.push(Action::StartItem {
                item: ballot.clone(),
            });
        }
        day.extend((1..=3000).map(|i| paper_of(&ballot, i)));
        e.execute_all(day, at).unwrap();
    }
    let left = 50_000 - e.state().seq as usize;
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
    drop(e);
    let db = dir.path().join("b.db");
    c.bench_function("resume_3000_deputies_50000_events", |b| {
        b.iter_batched(
            || (),
            |_| Engine::open(&db, "main", Box::new(ManualClock::new(t0()))).unwrap(),
            BatchSize::PerIteration,
        )
    });
    c.bench_function("verify_3000_deputies_50000_events", |b| {
        b.iter(|| assert!(huiwu::audit::verify(&db).unwrap().ok()))
    });
    let e = Engine::open_readonly(&db).unwrap();
    c.bench_function("export_json_50000_events", |b| {
        b.iter(|| huiwu::export::json::to_string(&e).len())
    });
}

/// Ten paired stations' batches of 1,000 papers each merged at the main console (each batch
/// one transaction, its tag checked), and the projector's poll of the database when nothing
/// changed.
fn merge_and_poll(c: &mut Criterion) {
    let dir = tempfile::tempdir_in(".").unwrap();
    let template = dir.path().join("main");
    let mut main = ballot_session(&template, 10_000);
    let batches: Vec<huiwu::batch::Batch> = (0..10)
        .map(|s| {
            let mut e = ballot_session(&dir.path().join(format!("s{s}")), 10_000);
            let code = huiwu::station::add(&mut main, &format!("S{s}")).unwrap();
            huiwu::station::pair(&mut e, &format!("S{s}"), &code).unwrap();
            let at = e.now();
            e.execute_all(
                (0..1000)
                    .map(|i| Action::RecordPaper {
                        ballot: "vote".into(),
                        serial: format!("S{s}-{i:04}"),
                        marks: marks(i),
                        void_reason: None,
                    })
                    .collect(),
                at,
            )
            .unwrap();
            huiwu::batch::send(&mut e, "vote").unwrap()
        })
        .collect();
    drop(main);
    c.bench_function("merge_10_batches_of_1000", |b| {
        b.iter_batched(
            || {
                let d = tempfile::tempdir_in(".").unwrap();
                std::fs::copy(template.join("b.db"), d.path().join("b.db")).unwrap();
                let e = Engine::open(
                    &d.path().join("b.db"),
                    "main",
                    Box::new(ManualClock::new(t0())),
                )
                .unwrap();
                (d, e)
            },
            |(_d, mut e)| {
                for batch in &batches {
                    let batch =
                        huiwu::batch::read(&e, serde_json::to_string(batch).unwrap().as_bytes())
                            .unwrap();
                    e.execute(huiwu::batch::import_action(&batch)).unwrap();
                }
                assert_eq!(e.state().ballots.get("vote").unwrap().keyed(), 10_000);
            },
            BatchSize::PerIteration,
        )
    });
    let e = ballot_session(&dir.path().join("p"), 300);
    drop(e);
    let mut p = huiwu::tui::projector::Projector::new(
        Engine::open_readonly(&dir.path().join("p").join("b.db")).unwrap(),
        Lang::Zh,
    );
    p.poll().unwrap();
    c.bench_function("projector_poll_unchanged", |b| b.iter(|| p.poll().unwrap()));
}

/// Reading one scanned sheet (decode, corner squares, QR code, 45 boxes) on one core: the
/// scanner's pace is 40–60 sheets a minute, the reader must keep well ahead of it.
fn scan(c: &mut Criterion) {
    use huiwu::domain::session::{ApprovalVote, PaperStyle};
    use huiwu::paper::synth::{self, Distortion, Rng};
    use huiwu::paper::{PaperKind, intake, sheet_of};
    let spec = synth::sample_spec(
        PaperKind::Approval {
            places: 10,
            style: PaperStyle::Columns,
            vote: ApprovalVote::Decide,
        },
        15,
    );
    let sheet = sheet_of(&spec).unwrap();
    let mut rng = Rng::new(3);
    let marks = synth::random_marks(&mut rng, &spec.kind, 15);
    for (name, d) in [
        (
            "scan_read_sheet_200dpi_png",
            Distortion {
                rotate: 1.5,
                ..Distortion::default()
            },
        ),
        (
            "scan_read_sheet_300dpi_jpeg",
            Distortion {
                dpi: 300.0,
                rotate: -2.0,
                jpeg: Some(75),
                ..Distortion::default()
            },
        ),
    ] {
        let bytes = synth::scan(&sheet, &marks, &d, 9);
        c.bench_function(name, |b| {
            b.iter(|| {
                let g = intake::grey(&bytes).unwrap();
                intake::read(&g, &spec, &sheet).unwrap()
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = record, tally_and_redraw, resume_and_export, merge_and_poll, scan
}
criterion_main!(benches);
