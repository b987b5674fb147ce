//! Roster CSV: one deputy per row, as a secretariat exports it from Excel or WPS.
//! UTF-8 (with or without BOM) or GBK/GB18030; comma-separated; a header row naming the columns
//! in Chinese or English.

use std::collections::HashMap;
use std::path::Path;

use crate::domain::session::Deputy;
use crate::i18n::Text;
use crate::text;

use super::FileError;

/// Decode bytes as Excel in China writes them: UTF-8 (BOM optional) or GB18030 (a GBK superset).
/// Returns the text and the encoding's name, or `None` when it is neither.
pub fn decode(bytes: &[u8]) -> Option<(String, &'static str)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some((s.to_string(), "UTF-8"));
    }
    let (cow, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        None
    } else {
        Some((cow.into_owned(), "GBK"))
    }
}

/// A file that is not UTF-8 as a whole while some of its lines with Chinese in them are: it
/// mixes two encodings (rows pasted from another file), and decoding it either way would store
/// some rows as mojibake. Returns the first line whose encoding differs from the first line with
/// non-ASCII text, and the refusal.
pub fn mixed_encoding(bytes: &[u8]) -> Option<(usize, Text)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let name = |utf8: bool| if utf8 { "UTF-8" } else { "GBK" };
    let mut first: Option<(usize, bool)> = None;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.is_ascii() {
            continue;
        }
        let utf8 = std::str::from_utf8(line).is_ok();
        if !utf8 && encoding_rs::GB18030.decode_without_bom_handling(line).1 {
            // Neither encoding: refused as such by the caller.
            return None;
        }
        match first {
            None => first = Some((i + 1, utf8)),
            Some((at, f)) if f != utf8 => {
                let n = i + 1;
                return Some((
                    n,
                    text!(
                        format!(
                            "第 {n} 行是 {} 编码,而第 {at} 行是 {}:文件混用了两种编码(可能是从别的文件粘贴的行),请在 Excel/WPS 中整个另存为“CSV UTF-8”",
                            name(utf8),
                            name(f)
                        ),
                        format!(
                            "line {n} is {} but line {at} is {}: the file mixes two encodings (rows pasted from another file?); save the whole file from Excel/WPS as \"CSV UTF-8\"",
                            name(utf8),
                            name(f)
                        )
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Id,
    Name,
    Group,
    Seat,
    Unit,
    /// 序号: a row number, used as the id when the roster has no id column.
    RowNo,
    /// Any other column (性别, 民族, 党派 …): kept out of the roster.
    Ignored,
}

/// A roster as loaded, with what the secretary should know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterLoad {
    pub deputies: Vec<Deputy>,
    pub warnings: Vec<crate::i18n::Text>,
}

fn column_for(header: &str) -> Option<Col> {
    let h = header.trim().to_lowercase();
    Some(match h.as_str() {
        "id" | "编号" | "代表编号" | "代表证号" => Col::Id,
        "name" | "姓名" | "代表姓名" => Col::Name,
        "group" | "代表小组" | "小组" | "代表团" | "代表组" => Col::Group,
        "seat" | "座位" | "座位号" | "座次" => Col::Seat,
        "unit" | "单位" | "工作单位" | "职务" | "单位职务" | "单位及职务" => {
            Col::Unit
        }
        "序号" | "no" | "no." | "#" => Col::RowNo,
        _ => return None,
    })
}

/// Words that mark a summary row a spreadsheet adds at the bottom.
fn is_summary(cell: &str) -> bool {
    let c = cell.trim();
    ["合计", "总计", "小计", "共计", "汇总"]
        .iter()
        .any(|w| c.contains(w))
        || c.eq_ignore_ascii_case("total")
        || c.eq_ignore_ascii_case("sum")
}

/// Parse roster bytes. `file` is only used to name the file in errors.
pub fn parse_roster(file: &Path, bytes: &[u8]) -> Result<RosterLoad, FileError> {
    let err = |line: usize, field: Option<&str>, msg| FileError::at(file, line, 1, field, msg);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FileError::whole(
            file,
            text!("花名册文件是空的", "the roster file is empty"),
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(err(
            1,
            None,
            text!(
                "这是 Excel 工作簿(xlsx),不是 CSV:请在 Excel/WPS 中“另存为”CSV",
                "this is an Excel workbook (xlsx), not CSV: use \"Save as\" CSV in Excel/WPS"
            ),
        ));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(err(
            1,
            None,
            text!(
                "文件是 UTF-16 编码(“Unicode 文本”),请另存为“CSV UTF-8”",
                "the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\""
            ),
        ));
    }
    if let Some((line, why)) = mixed_encoding(bytes) {
        return Err(err(line, None, why));
    }
    let Some((content, _enc)) = decode(bytes) else {
        let line = first_bad_line(bytes);
        return Err(err(
            line,
            None,
            text!(
                "文件既不是 UTF-8 也不是 GBK 编码,请在 Excel/WPS 中另存为“CSV UTF-8”",
                "the file is neither UTF-8 nor GBK; save it from Excel/WPS as \"CSV UTF-8\""
            ),
        ));
    };
    // Excel writes CRLF; count lines on LF only so every line number is the one an editor shows.
    let content = content.replace("\r\n", "\n");
    let first_line = content.lines().next().unwrap_or("");
    if !first_line.contains(',') {
        let found = if first_line.contains('\t') {
            Some("Tab")
        } else if first_line.contains(';') {
            Some(";")
        } else if first_line.contains('\u{ff0c}') {
            Some("\u{ff0c}")
        } else {
            None
        };
        let msg = match found {
            Some(d) => text!(
                format!("分隔符错误:第一行用的是“{d}”,花名册应为逗号分隔的 CSV"),
                format!(
                    "wrong delimiter: the first line uses \"{d}\"; the roster must be comma-separated CSV"
                )
            ),
            None => text!(
                "第一行应为表头(编号,姓名,代表小组[,座位][,单位]),用逗号分隔",
                "the first line must be a comma-separated header (id,name,group[,seat][,unit])"
            ),
        };
        return Err(err(1, None, msg));
    }
    if let Some(line) = unclosed_quote(&content) {
        return Err(err(
            line,
            None,
            text!(
                "引号未闭合:这一行的引号没有配对,文件可能被截断",
                "a quote opened on this line is never closed; the file may be cut off"
            ),
        ));
    }

    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(content.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(csv_error(file, &e)),
        None => {
            return Err(FileError::whole(
                file,
                text!("花名册文件是空的", "the roster file is empty"),
            ));
        }
    };
    let mut cols = Vec::new();
    let mut ignored = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.trim();
        match column_for(h) {
            Some(c) if cols.contains(&c) => {
                return Err(FileError::at(
                    file,
                    1,
                    i + 1,
                    Some(h),
                    text!(
                        format!("表头中“{h}”列重复"),
                        format!("column \"{h}\" appears twice in the header")
                    ),
                ));
            }
            Some(c) => cols.push(c),
            None => {
                if !h.is_empty() {
                    ignored.push(h.to_string());
                }
                cols.push(Col::Ignored);
            }
        }
    }
    // 序号 stands in for the id only when there is no id column.
    let row_no_is_id = !cols.contains(&Col::Id) && cols.contains(&Col::RowNo);
    if row_no_is_id {
        for c in cols.iter_mut().filter(|c| **c == Col::RowNo) {
            *c = Col::Id;
        }
    }
    for (need, zh, en) in [
        (Col::Id, "编号", "id"),
        (Col::Name, "姓名", "name"),
        (Col::Group, "代表小组", "group"),
    ] {
        if !cols.contains(&need) {
            return Err(err(
                1,
                None,
                text!(
                    format!("表头缺少“{zh}”列(第一行应为表头:编号,姓名,代表小组[,座位][,单位])"),
                    format!(
                        "the header has no \"{en}\" column (the first line must be the header: id,name,group[,seat][,unit])"
                    )
                ),
            ));
        }
    }

    let mut deputies: Vec<Deputy> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for rec in records {
        let rec = rec.map_err(|e| csv_error(file, &e))?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // A summary row is named as such even when it has fewer cells.
        if rec.iter().any(is_summary) {
            return Err(err(
                line,
                None,
                text!(
                    "这是一行合计/汇总,不是代表:请从花名册中删去该行",
                    "this is a total/summary row, not a deputy: remove it from the roster"
                ),
            ));
        }
        // Spreadsheets pad rows with empty trailing cells; only real cells count.
        let used = rec
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.trim().is_empty())
            .last()
            .map_or(0, |(i, _)| i + 1);
        if rec.len() != cols.len() && !(rec.len() > cols.len() && used <= cols.len()) {
            return Err(err(
                line,
                None,
                text!(
                    format!("应有 {} 列,实有 {} 列", cols.len(), rec.len()),
                    format!("expected {} columns, found {}", cols.len(), rec.len())
                ),
            ));
        }
        let mut d = Deputy {
            id: String::new(),
            name: String::new(),
            group: String::new(),
            seat: None,
            unit: None,
        };
        for (c, cell) in cols.iter().zip(rec.iter()) {
            let v = cell.trim().to_string();
            match c {
                Col::Id => d.id = v,
                Col::Name => d.name = v,
                Col::Group => d.group = v,
                Col::Seat => d.seat = (!v.is_empty()).then_some(v),
                Col::Unit => d.unit = (!v.is_empty()).then_some(v),
                Col::RowNo | Col::Ignored => {}
            }
        }
        for (val, zh, en) in [
            (&d.id, "编号", "id"),
            (&d.name, "姓名", "name"),
            (&d.group, "代表小组", "group"),
        ] {
            if val.is_empty() {
                return Err(err(
                    line,
                    Some(en),
                    text!(format!("“{zh}”为空"), format!("\"{en}\" is empty")),
                ));
            }
        }
        if let Some(prev) = seen.get(&d.id) {
            return Err(err(
                line,
                Some("id"),
                text!(
                    format!("代表编号“{}”重复(第 {prev} 行已有)", d.id),
                    format!("duplicate deputy id \"{}\" (already on line {prev})", d.id)
                ),
            ));
        }
        seen.insert(d.id.clone(), line);
        deputies.push(d);
    }
    if deputies.is_empty() {
        return Err(FileError::whole(
            file,
            text!(
                "花名册只有表头,没有代表",
                "the roster has a header but no deputies"
            ),
        ));
    }
    let mut warnings = Vec::new();
    let name = file
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    if !ignored.is_empty() {
        let list = ignored.join("、");
        warnings.push(text!(
            format!("花名册 {name} 中以下列未使用:{list}"),
            format!("roster {name}: columns not used: {}", ignored.join(", "))
        ));
    }
    if row_no_is_id {
        warnings.push(text!(
            format!("花名册 {name} 没有“编号”列,以“序号”作为代表编号"),
            format!("roster {name} has no id column; its row numbers (序号) serve as ids")
        ));
    }
    Ok(RosterLoad { deputies, warnings })
}

/// Line of a quote that is never closed (a file cut off inside a quoted cell), if any.
fn unclosed_quote(content: &str) -> Option<usize> {
    let mut open_line = None;
    let mut line = 1;
    let mut in_quotes = false;
    for c in content.chars() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                if in_quotes {
                    open_line = Some(line);
                }
            }
            '\n' => line += 1,
            _ => {}
        }
    }
    in_quotes.then_some(open_line).flatten()
}

fn csv_error(file: &Path, e: &csv::Error) -> FileError {
    let line = e.position().map_or(0, |p| p.line() as usize);
    FileError::at(
        file,
        line,
        1,
        None,
        text!(format!("CSV 格式错误:{e}"), format!("malformed CSV: {e}")),
    )
}

/// Line of the first byte sequence that is valid neither as UTF-8 nor as GBK: a file that is
/// mostly GBK is read as GBK up to its first bad byte.
pub fn first_bad_line(bytes: &[u8]) -> usize {
    let utf8_ok = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 2);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    let gbk_ok = match result {
        encoding_rs::DecoderResult::Malformed(bad, _) => read.saturating_sub(usize::from(bad)),
        _ => read,
    };
    let upto = utf8_ok.max(gbk_ok).min(bytes.len());
    bytes[..upto].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Result<Vec<Deputy>, FileError> {
        parse_roster(Path::new("roster.csv"), bytes).map(|r| r.deputies)
    }

    #[test]
    fn utf8_with_bom_and_chinese_headers() {
        let src =
            "\u{feff}编号,姓名,代表小组,座位\nD001,王建华,城东组,1排1座\nD002,李秀英,城西组,\n";
        let ds = parse(src.as_bytes()).unwrap();
        assert_eq!(ds.len(), 2);
        assert_eq!(ds[0].name, "王建华");
        assert_eq!(ds[0].seat.as_deref(), Some("1排1座"));
        assert_eq!(ds[1].seat, None);
    }

    #[test]
    fn a_file_mixing_utf8_and_gbk_rows_is_refused_at_the_first_odd_line() {
        let mut bytes = "id,name,group\nQ01,吴海燕,东片\nQ02,孙志强,东片\n"
            .as_bytes()
            .to_vec();
        let (gbk, _, _) = encoding_rs::GBK.encode("Q03,何美兰,西片\n");
        bytes.extend_from_slice(&gbk);
        let err = parse(&bytes).unwrap_err().render(crate::i18n::Lang::En);
        assert!(
            err.contains(":4:1:") && err.contains("mixes two encodings"),
            "{err}"
        );
        // and the other way round: a GBK file with a UTF-8 row
        let (mut bytes, _, _) = encoding_rs::GBK.encode("id,name,group\nQ01,吴海燕,东片\n");
        let mut bytes = bytes.to_mut().to_vec();
        bytes.extend_from_slice("Q02,孙志强,东片\n".as_bytes());
        let err = parse(&bytes).unwrap_err().render(crate::i18n::Lang::En);
        assert!(
            err.contains(":3:1:") && err.contains("line 3 is UTF-8"),
            "{err}"
        );
    }

    #[test]
    fn gbk_as_excel_writes_it() {
        let src = "编号,姓名,代表小组\r\nD001,张伟,第一代表小组\r\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(src);
        assert!(std::str::from_utf8(&gbk).is_err());
        let ds = parse(&gbk).unwrap();
        assert_eq!(ds[0].name, "张伟");
        assert_eq!(ds[0].group, "第一代表小组");
    }

    #[test]
    fn duplicate_id_names_both_lines() {
        let e =
            parse("id,name,group\nD1,甲,一组\nD2,乙,一组\nD1,丙,二组\n".as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(
            e.message
                .en
                .contains("duplicate deputy id \"D1\" (already on line 2)")
        );
    }

    #[test]
    fn stray_total_row_refused() {
        let e = parse("编号,姓名,代表小组\nD1,甲,一组\n,合计,2人\n".as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.zh.contains("合计"));
    }

    #[test]
    fn wrong_column_count_refused() {
        let e = parse("id,name,group\nD1,甲,一组,多余\n".as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.en.contains("expected 3 columns, found 4"));
    }

    #[test]
    fn wrong_delimiter_refused() {
        let e = parse("id\tname\tgroup\nD1\t甲\t一组\n".as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.en.contains("wrong delimiter"));
    }

    #[test]
    fn empty_and_header_only_refused() {
        assert!(parse(b"").unwrap_err().message.en.contains("empty"));
        assert!(parse(b"  \n").unwrap_err().message.en.contains("empty"));
        assert!(
            parse(b"id,name,group\n")
                .unwrap_err()
                .message
                .en
                .contains("no deputies")
        );
    }

    #[test]
    fn invalid_bytes_refused_with_line() {
        let mut b = b"id,name,group\nD1,a,g\n".to_vec();
        b.extend_from_slice(&[0xFF, 0xFF, 0xFF, b',', b'x', b'\n']);
        let e = parse(&b).unwrap_err();
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn extra_columns_are_ignored_with_a_warning_and_a_missing_one_refused() {
        let r = parse_roster(
            Path::new("r.csv"),
            "序号,姓名,性别,代表小组,\n1,甲,女,一组,\n2,乙,男,二组,\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(r.deputies[1].id, "2");
        assert_eq!(r.deputies[1].group, "二组");
        assert_eq!(r.warnings.len(), 2);
        assert!(r.warnings[0].zh.contains("性别"));
        let e = parse("id,name,seat\nD1,a,1\n".as_bytes()).unwrap_err();
        assert!(e.message.en.contains("no \"group\" column"));
    }

    #[test]
    fn crlf_line_numbers_are_the_editors() {
        let e = parse("id,name,group\r\nD1,甲,一组\r\nD1,乙,一组\r\n".as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.en.contains("already on line 2"));
    }

    #[test]
    fn bad_byte_in_a_gbk_file_is_located() {
        let (mut gbk, _, _) =
            encoding_rs::GBK.encode("编号,姓名,代表小组\nD1,张伟,一组\nD2,李娜,二组\n");
        let mut b = gbk.to_mut().clone();
        b.extend_from_slice(&[b'D', b'3', b',', 0xFF, 0xFF, b',', b'x', b'\n']);
        assert_eq!(parse(&b).unwrap_err().line, Some(4));
    }

    #[test]
    fn empty_name_refused() {
        let e = parse("id,name,group\nD1,,一组\n".as_bytes()).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("name"));
    }

    #[test]
    fn unterminated_quote_is_an_error_not_a_panic() {
        let r = parse("id,name,group\nD1,\"甲,一组\n".as_bytes());
        assert!(r.is_err());
    }
}
