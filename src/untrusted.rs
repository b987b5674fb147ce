//! Every reader of a file huiwu did not write, each as one call on bytes: the scanner's images
//! and PDFs, a sheet's code and boxes, a station's batch, a paper CSV, a roster, a session file.
//! Each returns whether the input was taken; none may panic or run without bound, whatever the
//! bytes. The fuzz targets (`fuzz/fuzz_targets/`) and `tests/malformed_inputs.rs` drive these.

use std::path::Path;

use crate::domain::session::{ApprovalVote, PaperStyle};
use crate::paper::{PaperKind, intake, pdfscan, synth};

/// A scanned image: decoded under its limits.
pub fn image(bytes: &[u8]) -> bool {
    intake::grey(bytes).is_ok()
}

/// A scanner's PDF: its page images taken out under their limits.
pub fn pdf(bytes: &[u8]) -> bool {
    pdfscan::page_images(bytes).is_ok()
}

/// An image read as a sheet of the sample paper: corner squares, the QR code, the boxes, and
/// the print of its marks.
pub fn sheet(bytes: &[u8]) -> bool {
    let spec = synth::sample_spec(
        PaperKind::Approval {
            places: 10,
            style: PaperStyle::Columns,
            vote: ApprovalVote::Decide,
        },
        15,
    );
    let Ok(sheet) = crate::paper::sheet_of(&spec) else {
        return false;
    };
    let Ok(g) = intake::grey(bytes) else {
        return false;
    };
    match intake::read(&g, &spec, &sheet) {
        Ok(read) => {
            let print = crate::paper::twin::print_of(&g, &read.frame, &sheet);
            crate::paper::twin::Print::decode(&print.encode()).is_some()
        }
        Err(_) => false,
    }
}

/// A grey picture of any size located as a sheet (the corner squares and the code are looked
/// for in whatever it holds): for inputs the A4 check would turn away before the reader.
pub fn locate(width: u32, height: u32, pixels: &[u8]) -> bool {
    let (w, h) = (width.clamp(1, 2000), height.clamp(1, 2800));
    let mut raw = pixels.to_vec();
    raw.resize((w * h) as usize, 255);
    image::GrayImage::from_raw(w, h, raw).is_some_and(|g| crate::paper::scan::locate(&g).is_ok())
}

/// A sheet's print as the log carries it.
pub fn print(text: &str) -> bool {
    crate::paper::twin::Print::decode(text).is_some_and(|p| p.likeness(&p) >= 0.0)
}

/// A station's batch file: parsed and its lists checked (no database needed).
pub fn batch(bytes: &[u8]) -> bool {
    bytes.len() <= crate::batch::MAX_BYTES
        && serde_json::from_slice::<crate::batch::Batch>(bytes)
            .is_ok_and(|b| crate::domain::ballots::list_digest(&b.candidates, b.places).len() == 64)
}

/// A paper CSV for the sample session's 票决.
pub fn paper_csv(bytes: &[u8]) -> bool {
    let def = crate::domain::sample::session(9, 3, crate::domain::session::QuorumRule::None);
    let ballots = crate::domain::ballots::Ballots::new(&def);
    let Some(b) = ballots
        .list
        .iter()
        .find(|b| b.kind == crate::domain::ballots::CountKind::Approval)
    else {
        return false;
    };
    let item = &def.agenda[b.item];
    crate::import::parse_papers(Path::new("papers.csv"), bytes, item, b)
        .is_ok_and(|rows| crate::import::plan(&b.id, b, &rows).is_ok())
}

/// A roster CSV, UTF-8 or GBK.
pub fn roster(bytes: &[u8]) -> bool {
    crate::sessionfile::roster::parse_roster(Path::new("roster.csv"), bytes).is_ok()
}

/// A session file; its roster, if it names one, is `roster`.
pub fn session(bytes: &[u8], roster: &[u8]) -> bool {
    let roster = roster.to_vec();
    crate::sessionfile::parse_session(Path::new("session.toml"), bytes, &move |rel| {
        Ok((Path::new(rel).to_path_buf(), roster.clone()))
    })
    .is_ok()
}
