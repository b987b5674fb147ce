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
                        Ok(read) if differs(&read.marks(), s) => Some(Text::new(
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

/// Whether a sheet reads otherwise now than the log says. A sheet read by an earlier reader
/// may find a row doubtful that it read then (the reader grew more careful): only a row read
/// both times and read otherwise is a difference.
fn differs(now: &str, s: &crate::domain::ballots::SheetIn) -> bool {
    if s.reader == super::marks::READER {
        return now != s.read;
    }
    now.len() != s.read.len()
        || now
            .chars()
            .zip(s.read.chars())
            .any(|(a, b)| a != '?' && b != '?' && a != b)
}

#[cfg(test)]
mod tests {
    use super::differs;
    use crate::domain::ballots::SheetIn;

    fn sheet(read: &str, reader: u32) -> SheetIn {
        SheetIn {
            serial: "S0001".into(),
            sha256: "00".into(),
            image: "S0001.png".into(),
            read: read.into(),
            scores: vec![],
            notes: vec![],
            pixels: None,
            print: None,
            twin: None,
            reader,
        }
    }

    #[test]
    fn a_sheet_of_an_earlier_reader_may_be_doubtful_now_but_never_read_otherwise() {
        // This reader: the reading must be the same, letter for letter.
        assert!(!differs("YNA", &sheet("YNA", super::super::marks::READER)));
        assert!(differs("Y?A", &sheet("YNA", super::super::marks::READER)));
        // An earlier reader read row 2 as 不赞成; now it is for a clerk: not a difference.
        assert!(!differs("Y?A", &sheet("YNA", 1)));
        assert!(!differs("YNA", &sheet("Y?A", 1)));
        // A row read both times and read otherwise is.
        assert!(differs("YYA", &sheet("YNA", 1)));
        assert!(differs("YN", &sheet("YNA", 1)));
    }

    #[test]
    fn a_sheet_logged_before_the_reader_had_a_version_is_of_the_first_reader() {
        let old = r#"{"serial":"S1","sha256":"a","image":"S1.png","read":"Y","scores":[[90]]}"#;
        let s: SheetIn = serde_json::from_str(old).unwrap();
        assert_eq!(s.reader, 1);
        // Written back as it was, so that an old entry's text is unchanged.
        assert!(!serde_json::to_string(&s).unwrap().contains("reader"));
    }
}
