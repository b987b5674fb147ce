//! `huiwu verify --images`: every scanned sheet's kept image read again. The image must still
//! be there with the hash the log recorded, and reading it again must give the reading the
//! log recorded; a clerk's ruling stands beside it, so a sheet ruled by hand is checked for its
//! image and its machine reading, not against the ruling.

use std::path::Path;

use crate::domain::ballots::CountKind;
use crate::domain::state::SessionState;
use crate::i18n::Text;
use crate::store::sha256_hex;

use super::{intake, paper_of};

/// Sheets checked, and what did not hold.
pub struct Recheck {
    pub sheets: usize,
    pub findings: Vec<Text>,
}

/// Re-read the sheets of every ballot of `st`, whose images are kept under `dir_of(ballot)`.
pub fn recheck(
    st: &SessionState,
    fp: &str,
    dir_of: impl Fn(&str) -> std::path::PathBuf,
) -> Recheck {
    let mut out = Recheck {
        sheets: 0,
        findings: Vec::new(),
    };
    for b in st
        .ballots
        .list
        .iter()
        .filter(|b| b.kind != CountKind::Resolution)
    {
        if b.sheets.is_empty() {
            continue;
        }
        let layout = paper_of(st, &b.id, fp);
        let (spec, sheet) = match layout {
            Ok(l) => l,
            Err(t) => {
                out.findings.push(t);
                continue;
            }
        };
        let dir = dir_of(&b.id);
        for r in &b.sheets {
            out.sheets += 1;
            let s = &r.sheet;
            let path = dir.join(&s.image);
            let finding = match std::fs::read(&path) {
                Err(e) => Some(Text::new(
                    format!(
                        "{} 扫描件 {} 的图像不见了({}):{e}",
                        b.id,
                        s.serial,
                        path.display()
                    ),
                    format!(
                        "{} sheet {}: its image is gone ({}): {e}",
                        b.id,
                        s.serial,
                        path.display()
                    ),
                )),
                Ok(bytes) if sha256_hex(&bytes) != s.sha256 => Some(Text::new(
                    format!(
                        "{} 扫描件 {} 的图像已被改动(SHA-256 与记录不符):{}",
                        b.id,
                        s.serial,
                        path.display()
                    ),
                    format!(
                        "{} sheet {}: its image was changed (SHA-256 differs from the log): {}",
                        b.id,
                        s.serial,
                        path.display()
                    ),
                )),
                Ok(bytes) => {
                    match intake::grey(&bytes).and_then(|g| intake::read(&g, &spec, &sheet)) {
                        Err(t) => Some(Text::new(
                            format!("{} 扫描件 {} 重读失败:{}", b.id, s.serial, t.zh),
                            format!(
                                "{} sheet {}: reading it again failed: {}",
                                b.id, s.serial, t.en
                            ),
                        )),
                        Ok(read) if read.marks() != s.read => Some(Text::new(
                            format!(
                                "{} 扫描件 {} 重读为 {},记录为 {}",
                                b.id,
                                s.serial,
                                read.marks(),
                                s.read
                            ),
                            format!(
                                "{} sheet {}: reads {} again, the log has {}",
                                b.id,
                                s.serial,
                                read.marks(),
                                s.read
                            ),
                        )),
                        Ok(_) => None,
                    }
                }
            };
            out.findings.extend(finding);
        }
    }
    out
}

/// The folder the images of `ballot` are kept in, beside the database `db`.
pub fn scans_dir(db: &Path, ballot: &str) -> std::path::PathBuf {
    let stem = db.file_stem().and_then(|s| s.to_str()).unwrap_or("huiwu");
    db.with_file_name(format!("{stem}.scans"))
        .join(ballot.replace(['#', '/'], "-"))
}
