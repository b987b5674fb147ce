//! The reader's accuracy on sheets drawn from the program's own layouts, marked in every style
//! and put through every distortion a scanner and a voter's pen bring. Wrong readings are
//! counted against what the generator drew, never against the reader's own output.
//!
//! CI runs a short corpus. The full one (figures in docs/benchmarks.md):
//! `HUIWU_CORPUS=full cargo test --release --test scan_corpus -- --nocapture`
//! (`HUIWU_CORPUS_ONLY=one` for the one-box layout alone; `HUIWU_LONG=1`, the long run of every
//! suite, includes it).

use std::time::Instant;

use huiwu::domain::session::{ApprovalVote, PaperStyle};
use huiwu::paper::synth::{self, Distortion, Rng};
use huiwu::paper::{PaperKind, PaperSpec, intake, sheet_of};

fn spec(kind: PaperKind, n: usize) -> PaperSpec {
    synth::sample_spec(kind, n)
}

struct Case {
    name: &'static str,
    make: fn(&mut Rng) -> Distortion,
}

const CASES: &[Case] = &[
    Case {
        name: "clean 200 dpi",
        make: |r| Distortion {
            rotate: r.range(-0.5, 0.5),
            ..Distortion::default()
        },
    },
    Case {
        name: "clean 150 dpi",
        make: |r| Distortion {
            dpi: 150.0,
            rotate: r.range(-0.5, 0.5),
            ..Distortion::default()
        },
    },
    Case {
        name: "clean 300 dpi",
        make: |r| Distortion {
            dpi: 300.0,
            rotate: r.range(-0.5, 0.5),
            ..Distortion::default()
        },
    },
    Case {
        name: "rotated ±5°, offset",
        make: |r| Distortion {
            rotate: if r.f() < 0.5 { -5.0 } else { 5.0 } * r.range(0.6, 1.0),
            offset: (r.range(-2.5, 2.5), r.range(-2.5, 2.5)),
            ..Distortion::default()
        },
    },
    Case {
        name: "upside down",
        make: |r| Distortion {
            upside_down: true,
            rotate: r.range(-2.0, 2.0),
            ..Distortion::default()
        },
    },
    Case {
        name: "noise σ 8",
        make: |r| Distortion {
            noise: 8.0,
            rotate: r.range(-1.0, 1.0),
            ..Distortion::default()
        },
    },
    Case {
        name: "blur",
        make: |r| Distortion {
            blur: 1,
            rotate: r.range(-1.0, 1.0),
            ..Distortion::default()
        },
    },
    Case {
        name: "JPEG quality 50",
        make: |r| Distortion {
            jpeg: Some(50),
            rotate: r.range(-1.0, 1.0),
            ..Distortion::default()
        },
    },
    Case {
        name: "all at once",
        make: synth::random_distortion,
    },
];

#[derive(Default)]
struct Count {
    sheets: usize,
    unread: usize,
    choices: usize,
    wrong: usize,
    doubtful: usize,
    /// Rows drawn with an ordinary pen in one box, nothing else in the row, and those of them
    /// sent to a clerk.
    plain: usize,
    plain_doubtful: usize,
    secs: f64,
}

fn run(kind: PaperKind, per_case: usize, seed: u64) -> Vec<(&'static str, Count)> {
    let spec = spec(kind, 15);
    let sheet = sheet_of(&spec).unwrap();
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    for case in CASES {
        let mut c = Count::default();
        for _ in 0..per_case {
            let marks = synth::random_marks(&mut rng, &spec.kind, spec.rows.len());
            let d = (case.make)(&mut rng);
            let bytes = synth::scan(&sheet, &marks, &d, rng.next_u64());
            let t = Instant::now();
            let read = intake::grey(&bytes).and_then(|g| intake::read(&g, &spec, &sheet));
            c.secs += t.elapsed().as_secs_f64();
            c.sheets += 1;
            let Ok(read) = read else {
                c.unread += 1;
                eprintln!("{}: not read: {d:?}: {:?}", case.name, read.err());
                continue;
            };
            for (row, (m, r)) in marks.iter().zip(&read.rows).enumerate() {
                c.choices += 1;
                let plain = m.extra == synth::Extra::None
                    && !matches!(m.style, synth::Style::FaintPencil | synth::Style::LeavesBox);
                c.plain += usize::from(plain);
                match r.letter {
                    None => {
                        c.doubtful += 1;
                        c.plain_doubtful += usize::from(plain);
                    }
                    Some(l) if l != synth::intended(&spec.kind, m) => {
                        c.wrong += 1;
                        eprintln!(
                            "{}: WRONG row {row}: drew {m:?}, read {l} ({:?}) {d:?}",
                            case.name, r.scores
                        );
                    }
                    Some(_) => {}
                }
            }
        }
        out.push((case.name, c));
    }
    out
}

fn report(title: &str, rows: &[(&str, Count)]) {
    eprintln!("\n{title}");
    eprintln!("| distortion | sheets | not read | choices | wrong | to a clerk | sheets/s |");
    eprintln!("|---|---:|---:|---:|---:|---:|---:|");
    for (name, c) in rows {
        eprintln!(
            "| {name} | {} | {} | {} | {} | {:.2} % | {:.1} |",
            c.sheets,
            c.unread,
            c.choices,
            c.wrong,
            100.0 * c.doubtful as f64 / c.choices.max(1) as f64,
            c.sheets as f64 / c.secs.max(1e-9)
        );
    }
}

#[test]
fn the_reader_is_never_wrong_and_rarely_in_doubt() {
    let full = std::env::var("HUIWU_CORPUS").is_ok_and(|v| v == "full")
        || std::env::var("HUIWU_LONG").is_ok_and(|v| v == "1");
    let per_case = if full { 160 } else { 3 };
    for (title, kind, seed) in [
        (
            "columns 赞成/不赞成/弃权",
            PaperKind::Approval {
                places: 10,
                style: PaperStyle::Columns,
                vote: ApprovalVote::Decide,
            },
            11,
        ),
        (
            "one box ○/×",
            PaperKind::Approval {
                places: 10,
                style: PaperStyle::OneBox,
                vote: ApprovalVote::Decide,
            },
            12,
        ),
        (
            "evaluation 满意/基本满意/不满意/弃权",
            PaperKind::Evaluation,
            13,
        ),
    ] {
        // One layout of the long run (`HUIWU_CORPUS_ONLY=one`: the titles that contain it).
        if let Ok(only) = std::env::var("HUIWU_CORPUS_ONLY")
            && !title.contains(only.as_str())
        {
            continue;
        }
        let rows = run(kind.clone(), per_case, seed);
        report(title, &rows);
        for (name, c) in &rows {
            assert_eq!(c.wrong, 0, "{title}, {name}: wrong readings");
            assert!(
                c.unread * 50 <= c.sheets,
                "{title}, {name}: {} of {} sheets not read",
                c.unread,
                c.sheets
            );
        }
        if kind.choices() == 3 {
            let clean = &rows[0].1;
            // A stray dot, a mark scribbled out, faint pencil and a mark leaving the box go to
            // a clerk by design; a plain mark on a clean scan should not.
            assert!(
                clean.plain_doubtful * 50 <= clean.plain,
                "clean 200 dpi columns: {} of {} plain marks to a clerk",
                clean.plain_doubtful,
                clean.plain
            );
        }
    }
}

/// On a one-box paper only a plain ○ or × is read; a tick, a filled box or a circle crossed
/// through is neither, and goes to a clerk (a tick read as × would be a wrong count).
#[test]
fn one_box_marks_that_are_neither_circle_nor_cross_go_to_a_clerk() {
    use huiwu::paper::synth::{Extra, RowMark, Style};
    let spec = spec(
        PaperKind::Approval {
            places: 15,
            style: PaperStyle::OneBox,
            vote: ApprovalVote::Decide,
        },
        15,
    );
    let sheet = sheet_of(&spec).unwrap();
    let mut rng = Rng::new(21);
    let (mut odd, mut sent) = (0, 0);
    for k in 0..4 {
        let marks: Vec<RowMark> = (0..15)
            .map(|i| RowMark {
                choice: Some(0),
                style: [
                    Style::Tick,
                    Style::Filled,
                    Style::Circle,
                    Style::Cross,
                    Style::Slash,
                ][(i + k) % 5],
                extra: Extra::None,
            })
            .collect();
        let d = Distortion {
            rotate: rng.range(-3.0, 3.0),
            ..Distortion::default()
        };
        let bytes = synth::scan(&sheet, &marks, &d, rng.next_u64());
        let read = intake::grey(&bytes)
            .and_then(|g| intake::read(&g, &spec, &sheet))
            .unwrap();
        for (m, r) in marks.iter().zip(&read.rows) {
            match m.style {
                Style::Tick | Style::Filled | Style::Slash | Style::Plus => {
                    odd += 1;
                    assert_eq!(r.letter, None, "{m:?} read as {:?}", r.letter);
                    sent += 1;
                }
                _ => assert!(
                    r.letter.is_none() || r.letter == Some(synth::intended(&spec.kind, m)),
                    "{m:?} read as {:?}",
                    r.letter
                ),
            }
        }
    }
    assert_eq!(odd, sent);
}
