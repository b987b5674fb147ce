//! Printed ballot papers and their scans (`huiwu ballot print`, `huiwu ballot scan`).
//!
//! `spec` says what a paper of a ballot carries; `layout` places it on A4 in millimetres;
//! `pdf` prints that layout and `raster` draws the very same layout as pixels; `scan` finds a
//! scanned sheet's corner marks and code and measures the ink in each box of that layout.

pub mod crop;
mod glyph;
pub mod intake;
pub mod layout;
pub mod marks;
pub mod pdf;
pub mod pdfscan;
pub mod raster;
pub mod recheck;
pub mod scan;
pub mod spec;
pub mod stack;
pub mod synth;
pub mod twin;

use crate::i18n::Text;
use crate::text;

pub use layout::{LAYOUT_VERSION, Sheet};
pub use spec::{PaperKind, PaperSpec, Payload, spec_of};

/// The paper of ballot `id` as the session stands, and its sheet.
pub fn paper_of(
    st: &crate::domain::state::SessionState,
    id: &str,
    fp: &str,
) -> Result<(PaperSpec, Sheet), Text> {
    let spec = spec_of(st, id, fp)?;
    let sheet = sheet_of(&spec)?;
    Ok((spec, sheet))
}

/// The sheet of `spec`, its QR code included.
pub fn sheet_of(spec: &PaperSpec) -> Result<Sheet, Text> {
    let code =
        qrcode::QrCode::with_error_correction_level(spec.payload().as_bytes(), qrcode::EcLevel::M)
            .map_err(|e| {
                text!(
                    format!("二维码无法生成:{e}"),
                    format!("the QR code cannot be made: {e}")
                )
            })?;
    let width = code.width();
    let modules = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    layout::layout(spec, modules, width)
}

#[cfg(test)]
mod tests;
