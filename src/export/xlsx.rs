//! `huiwu export --format xlsx`: the sheets of [`Minutes::sheets`] as a workbook. Numbers are
//! stored as numbers, rates as numbers with a percentage format, each sheet's header row is
//! frozen and repeated on every printed page (A4, one page wide).

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::minutes::Minutes;
use unicode_width::UnicodeWidthStr;

use super::table::{Cell, Sheet, Table};

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    wrap: Format,
    int: Format,
    percent: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new().set_border(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_background_color(Color::RGB(0xE8E8E8)),
            text: cell.clone().set_align(FormatAlign::Top),
            wrap: cell.clone().set_text_wrap().set_align(FormatAlign::Top),
            int: cell.clone().set_num_format("0").set_align(FormatAlign::Top),
            percent: cell.set_num_format("0.0%").set_align(FormatAlign::Top),
            note: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

fn put(ws: &mut Worksheet, row: u32, col: u16, c: &Cell, f: &Formats) -> Result<(), XlsxError> {
    match c {
        Cell::Text(s) if s.contains('\n') => {
            ws.write_string_with_format(row, col, s, &f.wrap)?;
        }
        Cell::Text(s) => {
            ws.write_string_with_format(row, col, s, &f.text)?;
        }
        Cell::Int(n) => {
            ws.write_number_with_format(row, col, *n as f64, &f.int)?;
        }
        Cell::Permille(p) => {
            ws.write_number_with_format(row, col, f64::from(*p) / 1000.0, &f.percent)?;
        }
        Cell::Empty => {
            ws.write_blank(row, col, &f.text)?;
        }
    }
    Ok(())
}

/// Writes `t` with its header on `row`, from column `col`. Returns the number of rows used.
fn put_table(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    t: &Table,
    f: &Formats,
) -> Result<u32, XlsxError> {
    for (c, h) in t.header.iter().enumerate() {
        ws.write_string_with_format(row, col + c as u16, h, &f.header)?;
    }
    for (r, cells) in t.rows.iter().enumerate() {
        for (c, x) in cells.iter().enumerate() {
            put(ws, row + 1 + r as u32, col + c as u16, x, f)?;
        }
    }
    for (c, w) in t.widths(4, 48).into_iter().enumerate() {
        ws.set_column_width(col + c as u16, w as f64 + 2.0)?;
    }
    Ok(1 + t.rows.len() as u32)
}

fn put_sheet(ws: &mut Worksheet, s: &Sheet, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(&s.name)?;
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.write_string_with_format(0, 0, &s.title, &f.title)?;
    // Header row 1, frozen; side tables to the right of the main one, one column apart.
    let mut used = put_table(ws, 1, 0, &s.main, f)?;
    let mut col = s.main.header.len() as u16 + 1;
    for t in &s.side {
        used = used.max(put_table(ws, 1, col, t, f)?);
        col += t.header.len() as u16 + 1;
    }
    ws.set_freeze_panes(2, 0)?;
    ws.set_repeat_rows(1, 1)?;
    // Notes one blank row below the tables, each wrapped across the main table's width (a
    // long sentence must not widen the printed page).
    let last = s.main.header.len().saturating_sub(1) as u16;
    let width: usize = s.main.widths(4, 48).iter().map(|w| w + 2).sum();
    for (row, n) in (used + 2..).zip(&s.notes) {
        if last == 0 {
            ws.write_string_with_format(row, 0, n, &f.note)?;
            continue;
        }
        ws.merge_range(row, 0, row, last, n, &f.note)?;
        let lines = n.width().div_ceil(width.max(1)).max(1);
        ws.set_row_height(row, 15.0 * lines as f64)?;
    }
    Ok(())
}

pub fn render(m: &Minutes) -> Result<Vec<u8>, XlsxError> {
    render_sheets(&m.sheets())
}

/// Any sheets as a workbook, laid out as the minutes' are (the projects' report uses it too).
pub fn render_sheets(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        put_sheet(ws, s, &f)?;
    }
    wb.save_to_buffer()
}
