//! No file can crash or stall the count (issue 24): every reader of a file huiwu did not write
//! (`huiwu::untrusted`) is fed valid files broken at random — bytes flipped, cut short, bytes
//! inserted, a stretch repeated — and files that lie about their size. Each call must return,
//! taken or refused, within seconds; a panic fails the test. The coverage-guided fuzzers in
//! `fuzz/` run the same entry points for longer (README, *Fuzzing*).
//!
//! CI runs 48 cases per reader (`PROPTEST_CASES` sets more; `HUIWU_LONG=1`, the long run of
//! every suite, 3,000).

use std::time::{Duration, Instant};

use huiwu::domain::session::{ApprovalVote, PaperStyle};
use huiwu::paper::synth::{self, Distortion};
use huiwu::paper::{PaperKind, pdfscan, sheet_of};
use huiwu::untrusted;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Cut(usize),
    Insert(usize, Vec<u8>),
    Repeat(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            4 => (any::<usize>(), any::<u8>()).prop_map(|(p, v)| Edit::Flip(p, v)),
            1 => any::<usize>().prop_map(Edit::Cut),
            2 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..24))
                .prop_map(|(p, b)| Edit::Insert(p, b)),
            1 => (any::<usize>(), 1usize..4096).prop_map(|(p, n)| Edit::Repeat(p, n)),
        ],
        1..6,
    )
}

fn broken(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for e in edits {
        let at = |p: usize, v: &Vec<u8>| if v.is_empty() { 0 } else { p % v.len() };
        match e {
            Edit::Flip(p, b) => {
                let i = at(*p, &v);
                if let Some(x) = v.get_mut(i) {
                    *x ^= b | 1;
                }
            }
            Edit::Cut(p) => {
                let i = at(*p, &v);
                v.truncate(i);
            }
            Edit::Insert(p, b) => {
                let i = at(*p, &v);
                v.splice(i..i, b.iter().copied());
            }
            Edit::Repeat(p, n) => {
                let i = at(*p, &v);
                let end = (i + n).min(v.len());
                let piece = v[i..end].to_vec();
                v.splice(end..end, piece);
            }
        }
    }
    v
}

/// A call that must come back soon, whatever it is given.
fn bounded(what: &str, f: impl FnOnce() -> bool) {
    let t = Instant::now();
    let _ = f();
    assert!(
        t.elapsed() < Duration::from_secs(20),
        "{what} took {:?}",
        t.elapsed()
    );
}

fn sample_sheet(jpeg: Option<u8>) -> Vec<u8> {
    let spec = synth::sample_spec(
        PaperKind::Approval {
            places: 10,
            style: PaperStyle::Columns,
            vote: ApprovalVote::Decide,
        },
        15,
    );
    let sheet = sheet_of(&spec).unwrap();
    let mut rng = synth::Rng::new(3);
    let rows = synth::random_marks(&mut rng, &spec.kind, 15);
    let d = Distortion {
        dpi: 150.0,
        jpeg,
        ..Distortion::default()
    };
    synth::scan(&sheet, &rows, &d, 3)
}

struct Seeds {
    png: Vec<u8>,
    jpeg: Vec<u8>,
    tiff: Vec<u8>,
    pdf: Vec<u8>,
}

fn seeds() -> &'static Seeds {
    static SEEDS: std::sync::OnceLock<Seeds> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let png = sample_sheet(None);
        let jpeg = sample_sheet(Some(60));
        let img = image::load_from_memory(&png).unwrap();
        let mut tiff = Vec::new();
        img.write_to(
            &mut std::io::Cursor::new(&mut tiff),
            image::ImageFormat::Tiff,
        )
        .unwrap();
        let pdf = pdfscan::scanner_pdf(&[(jpeg.clone(), 150.0), (png.clone(), 150.0)]);
        Seeds {
            png,
            jpeg,
            tiff,
            pdf,
        }
    })
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(if std::env::var("HUIWU_LONG").is_ok_and(|v| v == "1") {
            3000
        } else {
            48
        });
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const SESSION: &str = include_str!("../sessions/hexi-ballot.toml");
const ROSTER: &[u8] = include_bytes!("../sessions/hexi-roster.csv");
const CSV: &str = "serial,P01,P02,P03,P04,P05\nx-1,Y,N,,Y,\nx-2,○,×,弃权,,\n";

proptest! {
    #![proptest_config(config())]

    #[test]
    fn broken_images_are_refused_never_a_crash(e in edits(), which in 0usize..3) {
        let s = seeds();
        let seed = [&s.png, &s.jpeg, &s.tiff][which];
        let bytes = broken(seed, &e);
        bounded("an image", || untrusted::image(&bytes));
        bounded("a sheet", || untrusted::sheet(&bytes));
    }

    #[test]
    fn broken_scanner_pdfs_are_refused_never_a_crash(e in edits()) {
        let bytes = broken(&seeds().pdf, &e);
        bounded("a PDF", || untrusted::pdf(&bytes));
    }

    #[test]
    fn any_picture_is_looked_at_as_a_sheet_without_a_crash(
        w in 1u32..700, h in 1u32..900, px in prop::collection::vec(any::<u8>(), 0..4096),
    ) {
        // A small noisy picture, tiled: the locator and the code reader on what is no sheet.
        let tiled: Vec<u8> = px.iter().copied().cycle().take((w * h) as usize).collect();
        bounded("locate", || untrusted::locate(w, h, &tiled));
    }

    #[test]
    fn broken_batches_csvs_rosters_and_session_files_are_refused_never_a_crash(
        e in edits(), which in 0usize..4,
    ) {
        let batch = serde_json::json!({
            "format": "huiwu-batch/3", "fingerprint": "0".repeat(64), "session_title": "t",
            "ballot": "vote", "round": 1, "station": "A", "key_id": "0".repeat(16), "number": 1,
            "created": "2026-12-18T14:30:00.000+08:00", "station_head": "#2 0000-0000-0000-0000",
            "station_head_hash": "0".repeat(64), "candidates": ["V1", "V2", "V3"], "places": 2,
            "list": "0".repeat(16), "papers": [{"serial": "A-0001", "marks": "YNA"}],
            "tag": "0".repeat(64),
        })
        .to_string();
        match which {
            0 => bounded("a batch", || untrusted::batch(&broken(batch.as_bytes(), &e))),
            1 => bounded("a paper CSV", || untrusted::paper_csv(&broken(CSV.as_bytes(), &e))),
            2 => bounded("a roster", || untrusted::roster(&broken(ROSTER, &e))),
            _ => bounded("a session file", || {
                untrusted::session(&broken(SESSION.as_bytes(), &e), ROSTER)
            }),
        };
    }

    #[test]
    fn any_print_text_is_read_or_refused(s in "[0-9a-f.:;]{0,400}") {
        bounded("a print", || untrusted::print(&s));
    }
}

/// The CRC-32 of PNG chunks.
fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

#[test]
fn files_that_lie_about_their_size_are_refused_before_decoding() {
    // A PNG whose header says 60,000 × 84,000 pixels (with a right CRC): 5 GB to decode.
    let mut png = seeds().png.clone();
    png[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&84_000u32.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    let t = Instant::now();
    assert!(!untrusted::image(&png));
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    // A PNG the right size whose pixels stop half way: refused, not read as a sheet.
    let s = &seeds().png;
    let half = &s[..s.len() / 2];
    assert!(!untrusted::image(half));
    // The sample files themselves are taken: the refusals above are not the reader failing.
    assert!(untrusted::image(&seeds().png) && untrusted::image(&seeds().tiff));
    assert!(untrusted::sheet(&seeds().jpeg));
    assert!(untrusted::pdf(&seeds().pdf));
    assert!(untrusted::session(SESSION.as_bytes(), ROSTER));
    assert!(untrusted::roster(ROSTER));
    assert!(untrusted::paper_csv(CSV.as_bytes()));
}
