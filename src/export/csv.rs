//! `huiwu export --format csv`: a folder with one CSV file per table of the workbook
//! (attendance.csv, attendance-groups.csv, agenda.csv, ballot-<id>.csv, ballot-<id>-figures.csv
//! …). UTF-8 with a byte-order mark and CRLF line ends, as Excel in China opens it right.

use std::path::{Path, PathBuf};

use super::minutes::Minutes;
use super::table::Table;

/// One table as CSV bytes: BOM, header row, one row per record; numbers written plainly.
pub fn table_bytes(t: &Table) -> Result<Vec<u8>, ::csv::Error> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(&t.header)?;
    for r in &t.rows {
        w.write_record(r.iter().map(|c| c.display()))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Write every table of every sheet into `dir` (created if missing). Returns the files.
pub fn write_dir(m: &Minutes, dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for sheet in m.sheets() {
        for t in sheet.tables() {
            let mut path = dir.join(format!("{}.csv", t.key));
            let mut k = 2;
            while out.contains(&path) {
                path = dir.join(format!("{}-{k}.csv", t.key));
                k += 1;
            }
            let bytes = table_bytes(t).map_err(|e| e.to_string())?;
            std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            out.push(path);
        }
    }
    Ok(out)
}
