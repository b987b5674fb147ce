//! Roster CSV: one deputy per row, as a secretariat exports it from Excel or WPS.
//! UTF-8 (with or without BOM) or GBK/GB18030; comma-separated; a header row naming the columns
//! in Chinese or English.

use std::collections::HashMap;
use std::path::Path;

use crate::domain::session::Deputy;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Id,
    Name,
    Group,
    Seat,
    Unit,
}

fn column_for(header: &str) -> Option<Col> {
    let h = header.trim().to_lowercase();
    Some(match h.as_str() {
        "id" | "编号" | "代表编号" | "代表证号" => Col::Id,
        "name" | "姓名" | "代表姓名" => Col::Name,
        "group" | "代表小组" | "小组" | "代表团" | "代表组" => Col::Group,
        "seat" | "座位" | "座位号" | "座次" => Col::Seat,
        "unit" | "单位" | "工作单位" | "职务" | "单位职务" => Col::Unit,
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
pub fn parse_roster(file: &Path, bytes: &[u8]) -> Result<Vec<Deputy>, FileError> {
    let err = |line: usize, field: Option<&str>, msg| FileError::at(file, line, 1, field, msg);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FileError::whole(
            file,
            text!("花名册文件是空的", "the roster file is empty"),
        ));
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
    let first_line = content.lines().next().unwrap_or("");
    if !first_line.contains(',') {
        let found = if first_line.contains('\t') {
            Some("Tab")
        } else if first_line.contains(';') {
            Some(";")
        } else if first_line.contains('，') {
            Some("，")
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
    for (i, h) in header.iter().enumerate() {
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
                return Err(FileError::at(
                    file,
                    1,
                    i + 1,
                    Some(h),
                    text!(
                        format!("不认识的列“{h}”:可用的列为 编号、姓名、代表小组、座位、单位"),
                        format!(
                            "unknown column \"{h}\": known columns are id, name, group, seat, unit"
                        )
                    ),
                ));
            }
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
                    format!("表头缺少“{zh}”列"),
                    format!("the header has no \"{en}\" column")
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
        if rec.len() != cols.len() {
            return Err(err(
                line,
                None,
                text!(
                    format!("应有 {} 列,实有 {} 列", cols.len(), rec.len()),
                    format!("expected {} columns, found {}", cols.len(), rec.len())
                ),
            ));
        }
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
    Ok(deputies)
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

/// Line of the first byte sequence that is not valid UTF-8, for a helpful error.
fn first_bad_line(bytes: &[u8]) -> usize {
    let upto = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    bytes[..upto].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Result<Vec<Deputy>, FileError> {
        parse_roster(Path::new("roster.csv"), bytes)
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
    fn unknown_column_and_missing_column() {
        let e = parse("id,name,性别\n".as_bytes()).unwrap_err();
        assert!(e.message.en.contains("unknown column \"性别\""));
        assert_eq!(e.column, Some(3));
        let e = parse("id,name,seat\nD1,a,1\n".as_bytes()).unwrap_err();
        assert!(e.message.en.contains("no \"group\" column"));
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
