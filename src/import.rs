//! `huiwu ballot import`: a stack of papers keyed elsewhere (another station, a spreadsheet),
//! one row per paper, a column per candidate id. The whole file goes in as one transaction or
//! not at all; importing the same file again changes nothing.

use std::collections::HashMap;
use std::path::Path;

use crate::domain::action::Action;
use crate::domain::ballots::{BallotState, CountKind};
use crate::domain::session::AgendaItemDef;
use crate::i18n::Text;
use crate::sessionfile::FileError;
use crate::sessionfile::roster::decode;
use crate::store::sha256_hex;
use crate::text;

/// One paper row as read from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperRow {
    pub line: usize,
    pub serial: String,
    /// Canonical letters in the ballot's candidate order.
    pub marks: String,
    pub void_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Serial,
    Void,
    Candidate(usize),
}

fn approval_cell(c: &str) -> Option<char> {
    match c.trim() {
        "" | "A" | "a" | "弃权" | "-" => Some('A'),
        "Y" | "y" | "○" | "〇" | "O" | "o" | "√" | "✓" | "赞成" | "同意" => Some('Y'),
        "N" | "n" | "×" | "X" | "x" | "✗" | "不赞成" | "反对" | "不同意" => Some('N'),
        _ => None,
    }
}

fn rating_cell(c: &str) -> Option<char> {
    match c.trim() {
        "" | "A" | "a" | "弃权" | "-" => Some('A'),
        "S" | "s" | "满意" => Some('S'),
        "B" | "b" | "基本满意" => Some('B'),
        "U" | "u" | "不满意" => Some('U'),
        _ => None,
    }
}

pub use crate::domain::ballots::candidate_ids;

/// Parse a paper CSV for ballot `b`. Rows without a serial get one derived from the file's
/// content and the row, so the same file always yields the same serials.
pub fn parse_papers(
    file: &Path,
    bytes: &[u8],
    item: &AgendaItemDef,
    b: &BallotState,
) -> Result<Vec<PaperRow>, FileError> {
    let err = |line: usize, msg: Text| FileError::at(file, line, 1, None, msg);
    if b.kind == CountKind::Resolution {
        return Err(FileError::whole(
            file,
            text!(
                "表决按总数录入,不能导入选票",
                "resolutions take totals; papers cannot be imported"
            ),
        ));
    }
    if bytes.iter().all(|c| c.is_ascii_whitespace()) {
        return Err(FileError::whole(
            file,
            text!("选票文件是空的", "the paper file is empty"),
        ));
    }
    if let Some((line, why)) = crate::sessionfile::roster::mixed_encoding(bytes) {
        return Err(err(line, why));
    }
    let Some((content, _)) = decode(bytes) else {
        return Err(err(
            crate::sessionfile::roster::first_bad_line(bytes),
            text!(
                "文件既不是 UTF-8 也不是 GBK 编码",
                "the file is neither UTF-8 nor GBK"
            ),
        ));
    };
    let content = content.replace("\r\n", "\n");
    let digest = sha256_hex(content.as_bytes());
    let tag = &digest[..8];
    let ids = candidate_ids(item, b);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(content.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            return Err(err(
                1,
                text!(format!("CSV 格式错误:{e}"), format!("malformed CSV: {e}")),
            ));
        }
        None => {
            return Err(FileError::whole(
                file,
                text!("选票文件是空的", "the paper file is empty"),
            ));
        }
    };
    let mut cols = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.trim();
        let col = match h.to_lowercase().as_str() {
            "serial" | "编号" | "选票编号" | "序号" => Col::Serial,
            "void_reason" | "void" | "作废理由" | "作废" | "无效理由" => Col::Void,
            _ => match ids.iter().position(|id| id == h) {
                Some(k) => Col::Candidate(k),
                None => {
                    return Err(FileError::at(
                        file,
                        1,
                        i + 1,
                        Some(h),
                        text!(
                            format!(
                                "不认识的列“{h}”:列名应为候选项目编号({})、serial 或 void_reason",
                                ids.join(",")
                            ),
                            format!(
                                "unknown column \"{h}\": columns are candidate ids ({}), serial and void_reason",
                                ids.join(",")
                            )
                        ),
                    ));
                }
            },
        };
        if cols.contains(&col) {
            return Err(FileError::at(
                file,
                1,
                i + 1,
                Some(h),
                text!(
                    format!("列“{h}”重复"),
                    format!("column \"{h}\" appears twice")
                ),
            ));
        }
        cols.push(col);
    }
    let missing: Vec<&str> = ids
        .iter()
        .enumerate()
        .filter(|(k, _)| !cols.contains(&Col::Candidate(*k)))
        .map(|(_, id)| id.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(err(
            1,
            text!(
                format!("表头缺少候选项目列:{}", missing.join("、")),
                format!(
                    "the header lacks the candidate column(s): {}",
                    missing.join(", ")
                )
            ),
        ));
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (n, rec) in records.enumerate() {
        let rec = rec.map_err(|e| {
            err(
                0,
                text!(format!("CSV 格式错误:{e}"), format!("malformed CSV: {e}")),
            )
        })?;
        let line = rec.position().map_or(n + 2, |p| p.line() as usize);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rec
            .iter()
            .any(|c| ["合计", "总计", "小计"].iter().any(|w| c.contains(w)))
        {
            return Err(err(
                line,
                text!(
                    "这是一行合计,不是选票:请删去",
                    "this is a total row, not a paper: remove it"
                ),
            ));
        }
        if rec.len() != cols.len() {
            return Err(err(
                line,
                text!(
                    format!("应有 {} 列,实有 {} 列", cols.len(), rec.len()),
                    format!("expected {} columns, found {}", cols.len(), rec.len())
                ),
            ));
        }
        let mut marks = vec!['A'; ids.len()];
        let mut serial = String::new();
        let mut void = None;
        for (col, cell) in cols.iter().zip(rec.iter()) {
            match col {
                Col::Serial => serial = cell.trim().to_string(),
                Col::Void => void = Some(cell.trim().to_string()).filter(|v| !v.is_empty()),
                Col::Candidate(k) => {
                    let m = match b.kind {
                        CountKind::Satisfaction => rating_cell(cell),
                        _ => approval_cell(cell),
                    };
                    marks[*k] = m.ok_or_else(|| {
                        err(
                            line,
                            text!(
                                format!("“{}”列的“{}”不是有效标记", ids[*k], cell.trim()),
                                format!("\"{}\" in column {} is not a mark", cell.trim(), ids[*k])
                            ),
                        )
                    })?;
                }
            }
        }
        if serial.is_empty() {
            serial = format!("imp-{tag}-{:04}", rows.len() + 1);
        }
        if let Some(prev) = seen.insert(serial.clone(), line) {
            return Err(err(
                line,
                text!(
                    format!("选票编号 {serial} 在文件中重复(第 {prev} 行已有)"),
                    format!("serial {serial} appears twice in the file (already on line {prev})")
                ),
            ));
        }
        rows.push(PaperRow {
            line,
            serial,
            marks: marks.into_iter().collect(),
            void_reason: void,
        });
    }
    if rows.is_empty() {
        return Err(FileError::whole(
            file,
            text!("文件中没有选票", "the file holds no papers"),
        ));
    }
    Ok(rows)
}

/// What importing `rows` into `b` would do: the new papers' actions, how many are already
/// there unchanged, and a refusal when a serial is already there with different marks.
pub fn plan(
    ballot_id: &str,
    b: &BallotState,
    rows: &[PaperRow],
) -> Result<(Vec<Action>, usize), (usize, Text)> {
    let mut actions = Vec::new();
    let mut same = 0;
    for r in rows {
        match b.paper(&r.serial) {
            Some(p) if p.marks == r.marks && p.hand_void == r.void_reason => same += 1,
            Some(p)
                if p.hand_void.is_some()
                    && r.void_reason == p.hand_void
                    && r.marks.chars().all(|c| c == 'A') =>
            {
                same += 1
            }
            Some(_) => {
                return Err((
                    r.line,
                    text!(
                        format!("选票 {} 已录入,但标记不同:不重复计票,请核对", r.serial),
                        format!(
                            "paper {} is already recorded with different marks; check it (nothing was imported)",
                            r.serial
                        )
                    ),
                ));
            }
            None => actions.push(Action::RecordPaper {
                ballot: ballot_id.to_string(),
                serial: r.serial.clone(),
                marks: r.marks.clone(),
                void_reason: r.void_reason.clone(),
            }),
        }
    }
    Ok((actions, same))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ballots::Ballots;
    use crate::domain::sample;
    use crate::domain::session::QuorumRule;

    /// The sample ballot: candidates P01..P05.
    fn parse(text: &[u8]) -> Result<Vec<PaperRow>, FileError> {
        let def = sample::session(5, 1, QuorumRule::None);
        let ballots = Ballots::new(&def);
        parse_papers(
            Path::new("papers.csv"),
            text,
            def.item("vote").unwrap(),
            ballots.get("vote").unwrap(),
        )
    }

    fn refused(text: &str) -> (Option<usize>, String) {
        let e = parse(text.as_bytes()).unwrap_err();
        (e.line, e.message.en)
    }

    const HEAD: &str = "serial,P01,P02,P03,P04,P05,void_reason\n";

    #[test]
    fn marks_in_every_notation_and_serials_made_stable() {
        let rows = parse(
            format!("{HEAD}A-1,○,×,,Y,赞成,\nA-2,弃权,不赞成,N,A,,\n,,,,,,污损\n").as_bytes(),
        )
        .unwrap();
        assert_eq!(rows[0].marks, "YNAYY");
        assert_eq!(rows[1].marks, "ANNAA");
        assert_eq!(rows[2].void_reason.as_deref(), Some("污损"));
        assert!(rows[2].serial.starts_with("imp-"));
        let again = parse(
            format!("{HEAD}A-1,○,×,,Y,赞成,\nA-2,弃权,不赞成,N,A,,\n,,,,,,污损\n").as_bytes(),
        )
        .unwrap();
        assert_eq!(again[2].serial, rows[2].serial);
        // GBK, as Excel writes it
        let (gbk, _, _) = encoding_rs::GBK.encode("serial,P01,P02,P03,P04,P05\r\nB-1,赞成,,,,\r\n");
        assert_eq!(parse(&gbk).unwrap()[0].marks, "YAAAA");
    }

    #[test]
    fn bad_files_are_refused_with_line_and_reason() {
        let cases: &[(&str, Option<usize>, &str)] = &[
            (
                "serial,P01,P02,P03,P04,P05\nA-1,Y,Q,,,\n",
                Some(2),
                "\"Q\" in column P02 is not a mark",
            ),
            (
                "serial,P01,P02,P03,P04,P05\nA-1,Y,N,,\n",
                Some(2),
                "expected 6 columns, found 5",
            ),
            (
                "serial,P01,P02,P03,P04,P05\nA-1,Y,N,,,\n合计,3,1,,,\n",
                Some(3),
                "total row",
            ),
            (
                "serial,P01,P02,P03,P04,P05\nA-1,Y,N,,,\nA-1,N,N,,,\n",
                Some(3),
                "serial A-1 appears twice",
            ),
            (
                "serial,P01,P02,P03,P04\nA-1,Y,N,,\n",
                Some(1),
                "lacks the candidate column(s): P05",
            ),
            (
                "serial,P01,P02,P03,P04,P05,P06\n",
                Some(1),
                "unknown column \"P06\"",
            ),
            ("serial,P01,P02,P03,P04,P05\n", None, "holds no papers"),
        ];
        for (text, line, msg) in cases {
            let (l, m) = refused(text);
            assert_eq!(l, *line, "{text}: {m}");
            assert!(m.contains(msg), "{text}: {m}");
        }
        assert!(parse(b"").unwrap_err().message.en.contains("empty"));
        assert!(
            parse(&[0xff, 0xfe, 0xff, 0x00])
                .unwrap_err()
                .message
                .en
                .contains("neither UTF-8 nor GBK")
        );
    }
}
