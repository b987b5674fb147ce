//! Tables and sheets: the tabular half of the minutes model, shared by every renderer (the
//! minutes print some of these tables, the workbook and the CSV folder print all of them).

use unicode_width::UnicodeWidthStr;

/// One cell. Numbers stay numbers so that a spreadsheet can add them up.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A rate in per mille (875 = 87.5%); shown as a percentage with one decimal.
    Permille(u32),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn int(n: impl Into<i64>) -> Cell {
        Cell::Int(n.into())
    }

    pub fn opt_text(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }

    /// The cell as printed in the minutes and in CSV.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Permille(p) => crate::domain::satisfaction::format_permille(*p),
            Cell::Empty => String::new(),
        }
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Permille(_))
    }
}

/// A table with one header row.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// File-name stem in the CSV folder (`attendance`, `ballot-vote` …).
    pub key: String,
    /// What the table is, printed above it in the workbook.
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(key: impl Into<String>, caption: impl Into<String>, header: &[&str]) -> Table {
        Table {
            key: key.into(),
            caption: caption.into(),
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.header.len(), "row width of {}", self.key);
        self.rows.push(row);
    }

    /// Whether column `c` holds numbers (for right alignment).
    pub fn numeric(&self, c: usize) -> bool {
        !self.rows.is_empty()
            && self
                .rows
                .iter()
                .all(|r| r.get(c).is_none_or(|x| x.is_number() || *x == Cell::Empty))
    }

    /// Display width of each column (CJK counts 2), header included, clamped to `[min, max]`.
    pub fn widths(&self, min: usize, max: usize) -> Vec<usize> {
        (0..self.header.len())
            .map(|c| {
                let head = self.header[c].width();
                let body = self
                    .rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|x| x.display().width())
                    .max()
                    .unwrap_or(0);
                head.max(body).clamp(min, max)
            })
            .collect()
    }
}

/// One worksheet of the workbook; its tables are also the files of the CSV folder.
///
/// `main` starts under the title row and has its header frozen; `side` tables stand to its
/// right with their headers on the same row; `notes` (the §4 sentences, the attendance
/// sentence) follow below.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Worksheet name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    /// First row: what the sheet is.
    pub title: String,
    pub main: Table,
    pub side: Vec<Table>,
    pub notes: Vec<String>,
}

impl Sheet {
    /// Every table of the sheet, main first.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        std::iter::once(&self.main).chain(self.side.iter())
    }
}

/// A worksheet name Excel accepts, unique among `taken`: forbidden characters replaced,
/// at most 31 characters, a ` (2)` suffix when taken.
pub fn sheet_name(want: &str, taken: &[String]) -> String {
    let clean: String = want
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let clean = clean.trim().trim_matches('\'').to_string();
    let clean = if clean.is_empty() {
        "Sheet".to_string()
    } else {
        clean
    };
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    let mut name = cut(&clean, 31);
    let mut k = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({k})");
        name = format!("{}{suffix}", cut(&clean, 31 - suffix.chars().count()));
        k += 1;
    }
    name
}

/// A file-name stem from an id. User ids are `[A-Za-z0-9_-]` (checked when the session file is
/// read), so a `.` can only come from here: `vote#2` → `vote.round2`, `res/m1` →
/// `res.motion-m1`, never the name of another ballot's file.
pub fn file_stem(id: &str) -> String {
    fn clean(s: &str) -> String {
        let c: String = s
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if c.is_empty() { "x".to_string() } else { c }
    }
    if let Some((b, r)) = id.split_once('#') {
        return format!("{}.round{}", clean(b), clean(r));
    }
    if let Some((b, m)) = id.split_once('/') {
        return format!("{}.motion-{}", clean(b), clean(m));
    }
    clean(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_legal_and_unique() {
        let mut taken = Vec::new();
        for _ in 0..3 {
            let n = sheet_name(
                "河西区第八届人民代表大会第五次会议民生实事项目票决总监票人、监票人名单[草案]",
                &taken,
            );
            assert!(n.chars().count() <= 31, "{n}");
            assert!(!n.contains('[') && !n.contains(']'));
            taken.push(n);
        }
        assert_eq!(taken.len(), 3);
        assert_ne!(taken[0], taken[1]);
        assert_ne!(taken[1], taken[2]);
        assert_eq!(sheet_name("a/b", &[]), "a-b");
    }

    #[test]
    fn file_stems() {
        assert_eq!(file_stem("ballot#2"), "ballot.round2");
        assert_eq!(file_stem("res/m1"), "res.motion-m1");
        // a user id that looks like a derived one cannot: its characters stay as they are
        assert_eq!(file_stem("ballot-2"), "ballot-2");
        assert_ne!(file_stem("res-m1"), file_stem("res/m1"));
    }

    #[test]
    fn cells() {
        assert_eq!(Cell::Permille(875).display(), "87.5%");
        assert_eq!(Cell::int(3u32).display(), "3");
        let mut t = Table::new("t", "t", &["名称", "票数"]);
        t.push(vec![Cell::text("老旧小区综合改造"), Cell::int(12)]);
        assert!(t.numeric(1));
        assert!(!t.numeric(0));
        assert_eq!(t.widths(2, 40), vec![16, 4]);
    }
}
