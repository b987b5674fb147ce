//! Exports: the session rendered from the event log in formats offices open.
//!
//! [`minutes::build`] makes one model of the session from the engine; each format is a small
//! renderer of that model, so the formats cannot disagree. JSON stays the raw contract.

pub mod ballots;
pub mod csv;
pub mod docx;
pub mod html;
pub mod json;
pub mod md;
pub mod minutes;
pub mod projects;
pub mod questions;
pub mod table;
pub mod xlsx;

use std::path::{Path, PathBuf};

pub use table::file_stem as file_id;

use crate::engine::Engine;
use crate::i18n::{Lang, Text};
use crate::text;

/// A file format of the minutes (JSON is written by [`json`] directly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Plain-text minutes.
    Md,
    /// The minutes as one self-contained page, A4 when printed, result sheets included.
    Html,
    /// The minutes for Word and WPS, result sheets included.
    Docx,
    /// A workbook: attendance, agenda, one sheet per count.
    Xlsx,
    /// A folder with one CSV file per table.
    Csv,
    /// Only the result sheets (公告) of the announced counts, as one HTML page.
    Announcement,
}

impl Target {
    /// Where the export goes without `-o`: `<db-stem>.<ext>` (a folder `<db-stem>-csv` for
    /// CSV), in the current directory.
    pub fn default_path(self, db: &Path) -> PathBuf {
        let stem = db
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "session".into());
        PathBuf::from(match self {
            Target::Md => format!("{stem}.md"),
            Target::Html => format!("{stem}.html"),
            Target::Docx => format!("{stem}.docx"),
            Target::Xlsx => format!("{stem}.xlsx"),
            Target::Csv => format!("{stem}-csv"),
            Target::Announcement => format!("{stem}-announcement.html"),
        })
    }
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> Text {
    text!(
        format!("无法写入 {}:{e}", path.display()),
        format!("cannot write {}: {e}", path.display())
    )
}

/// Render the session in `target` and write it to `out`. Returns the files written (for CSV,
/// the folder first, then its files).
pub fn write(
    engine: &Engine,
    target: Target,
    lang: Lang,
    out: &Path,
) -> Result<Vec<PathBuf>, Text> {
    let m = minutes::build(engine, lang);
    let bytes: Vec<u8> = match target {
        Target::Md => md::render(&m).into_bytes(),
        Target::Html => html::render(&m).into_bytes(),
        Target::Announcement => match html::announcements(&m) {
            Some(h) => h.into_bytes(),
            None => {
                return Err(text!(
                    "还没有已宣布结果的票决、测评或表决,没有可公告的内容",
                    "no ballot, evaluation or vote has been announced yet: there is nothing to post"
                ));
            }
        },
        Target::Docx => docx::render(&m).map_err(|e| io_error(out, e))?,
        Target::Xlsx => xlsx::render(&m).map_err(|e| io_error(out, e))?,
        Target::Csv => {
            let mut files = vec![out.to_path_buf()];
            files.extend(csv::write_dir(&m, out).map_err(|e| io_error(out, e))?);
            return Ok(files);
        }
    };
    std::fs::write(out, bytes).map_err(|e| io_error(out, e))?;
    Ok(vec![out.to_path_buf()])
}
