//! A paper fed twice is caught by its marks, papers carrying no number (issue 24, §2.15): every
//! sheet of a stack is drawn once, then scanned again with another rotation, offset, JPEG
//! quality and noise (a feeder jam and the stack fed again); each second scan must match its
//! first. Papers marked alike by different hands (every row ○, the same for all) must never
//! match one another.
//!
//! CI runs 20 of each. The figures in docs/benchmarks.md come from the full run:
//! `HUIWU_FEED=full cargo test --release --test second_feed -- --nocapture` (or `HUIWU_LONG=1`,
//! the long run of every suite).

use std::time::Instant;

use huiwu::domain::session::{ApprovalVote, PaperStyle};
use huiwu::paper::synth::{self, Distortion, Extra, Rng, RowMark, Style};
use huiwu::paper::twin::{self, Print};
use huiwu::paper::{PaperKind, PaperSpec, Sheet, intake, sheet_of};

fn sheets() -> usize {
    match std::env::var("HUIWU_FEED").as_deref() {
        Ok("full") => 300,
        _ if std::env::var("HUIWU_LONG").is_ok_and(|v| v == "1") => 300,
        _ => 20,
    }
}

fn paper(style: PaperStyle) -> (PaperSpec, Sheet) {
    let spec = synth::sample_spec(
        PaperKind::Approval {
            places: 10,
            style,
            vote: ApprovalVote::Decide,
        },
        15,
    );
    let sheet = sheet_of(&spec).unwrap();
    (spec, sheet)
}

fn print_of(spec: &PaperSpec, sheet: &Sheet, bytes: &[u8]) -> Print {
    let g = intake::grey(bytes).unwrap();
    let read = intake::read(&g, spec, sheet).unwrap();
    twin::print_of(&g, &read.frame, sheet)
}

/// How a sheet goes through the scanner: a little crooked, shifted, compressed, noisy; one
/// feed in four at another resolution.
fn feed(rng: &mut Rng, dpi: f32) -> Distortion {
    Distortion {
        dpi: if rng.f() < 0.25 { 300.0 } else { dpi },
        rotate: rng.range(-2.5, 2.5),
        offset: (rng.range(-3.0, 3.0), rng.range(-3.0, 3.0)),
        upside_down: rng.f() < 0.1,
        noise: rng.range(0.0, 8.0),
        blur: u32::from(rng.f() < 0.2),
        jpeg: Some(40 + rng.below(51) as u8),
    }
}

#[derive(Default)]
struct Figures {
    /// Second feeds caught, of those drawn; the weakest match among them.
    caught: usize,
    refed: usize,
    weakest_refeed: f32,
    /// Pairs of distinct papers compared, those taken for one paper, the closest pair.
    pairs: usize,
    flagged: usize,
    closest_distinct: f32,
    compare_us: f64,
}

fn run(style: PaperStyle) -> Figures {
    let n = sheets();
    let (spec, sheet) = paper(style);
    let mut rng = Rng::new(0x5EED_F00D ^ style as u64);
    let mut f = Figures {
        weakest_refeed: 1.0,
        ..Figures::default()
    };
    // A stack of varied papers, each fed twice.
    for k in 0..n {
        let rows = synth::random_marks(&mut rng, &spec.kind, spec.rows.len());
        let seed = 10_000 + k as u64;
        let first = print_of(
            &spec,
            &sheet,
            &synth::scan(&sheet, &rows, &feed(&mut rng, 200.0), seed),
        );
        let again = print_of(
            &spec,
            &sheet,
            &synth::scan(&sheet, &rows, &feed(&mut rng, 200.0), seed),
        );
        if first.is_empty() {
            continue;
        }
        f.refed += 1;
        f.weakest_refeed = f.weakest_refeed.min(first.likeness(&again));
        if twin::twin_of(&again, [("S0001", &first)]).is_some() {
            f.caught += 1;
        }
    }
    // Papers marked alike: every row ○ (one box: ○ too), by as many hands.
    let alike: Vec<RowMark> = (0..spec.rows.len())
        .map(|_| RowMark {
            choice: Some(0),
            style: Style::Circle,
            extra: Extra::None,
        })
        .collect();
    let prints: Vec<Print> = (0..n)
        .map(|k| {
            let d = feed(&mut rng, 200.0);
            print_of(
                &spec,
                &sheet,
                &synth::scan(&sheet, &alike, &d, 50_000 + k as u64),
            )
        })
        .collect();
    let t = Instant::now();
    for (i, p) in prints.iter().enumerate() {
        let earlier: Vec<(String, &Print)> = prints[..i]
            .iter()
            .enumerate()
            .map(|(j, q)| (format!("S{j:04}"), q))
            .collect();
        f.pairs += i;
        if twin::twin_of(p, earlier.iter().map(|(s, q)| (s.as_str(), *q))).is_some() {
            f.flagged += 1;
        }
    }
    f.compare_us = t.elapsed().as_secs_f64() * 1e6 / f.pairs.max(1) as f64;
    for (i, p) in prints.iter().enumerate().take(60) {
        for q in &prints[..i] {
            f.closest_distinct = f.closest_distinct.max(p.likeness(q));
        }
    }
    f
}

fn check(style: PaperStyle, name: &str) {
    let f = run(style);
    println!(
        "{name}: second feeds caught {}/{} (weakest match {:.3}); distinct papers marked alike: {} of {} flagged, {} pairs compared at {:.1} µs a pair, closest pair {:.3} (threshold {})",
        f.caught,
        f.refed,
        f.weakest_refeed,
        f.flagged,
        sheets(),
        f.pairs,
        f.compare_us,
        f.closest_distinct,
        twin::SAME_PAPER
    );
    assert_eq!(f.caught, f.refed, "{name}: every second feed caught");
    assert_eq!(f.flagged, 0, "{name}: no distinct paper taken for another");
}

#[test]
fn a_second_feed_is_caught_and_papers_marked_alike_are_not_columns() {
    check(PaperStyle::Columns, "columns");
}

#[test]
fn a_second_feed_is_caught_and_papers_marked_alike_are_not_one_box() {
    check(PaperStyle::OneBox, "one box");
}
