//! Scanned sheets (`huiwu ballot scan`): each sheet read goes in with its SHA-256, the stored
//! image's name and the machine's reading. A sheet read without doubt is a paper at once, by
//! the same rules as a keyed one; a sheet with a doubtful choice waits for a clerk's ruling
//! and counts for nothing until then. The sheets read are held against the papers returned:
//! papers carry no number, so a sheet fed twice shows only as one sheet too many.

use serde::{Deserialize, Serialize};

use super::{BallotState, CountKind, refuse};
use crate::i18n::Text;

/// A sheet as the scanner's reading brings it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetIn {
    /// Given in scan order (S0001, S0002 …).
    pub serial: String,
    pub sha256: String,
    /// The image's file name in the folder of scans beside the database.
    pub image: String,
    /// One letter per row as read; `?` where a clerk must decide.
    pub read: String,
    /// Ink per box in thousandths, row by row: what the reading was made from.
    pub scores: Vec<Vec<u16>>,
    /// Rows read by a rule rather than plainly (two choices: 弃权), as `row: note`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// SHA-256 of the decoded pixels: the same picture saved again under other bytes is the
    /// same sheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pixels: Option<String>,
    /// The ink of its marks as the scanner saw them, box by box (`paper::twin`): a paper fed
    /// twice is told by its marks, papers carrying no number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub print: Option<String>,
    /// The earlier sheet whose marks this one matches stroke for stroke: a possible second feed
    /// of the same paper, held for a clerk, counted only if ruled another paper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twin: Option<String>,
    /// The version of the reader that read it (`paper::marks::READER`); 1, and not written,
    /// for sheets read before the reader measured faint ink: `verify --images` then only asks
    /// that no row it read reads otherwise now.
    #[serde(default = "first_reader", skip_serializing_if = "is_first_reader")]
    pub reader: u32,
}

fn first_reader() -> u32 {
    1
}

fn is_first_reader(v: &u32) -> bool {
    *v == 1
}

impl SheetIn {
    /// Whether the sheet waits for a clerk when it comes in: a doubtful row, or its marks match
    /// an earlier sheet's.
    pub fn held(&self) -> bool {
        self.read.contains('?') || self.twin.is_some()
    }
}

/// A clerk's ruling on a sheet that waited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetRuling {
    pub marks: String,
    pub by: String,
    /// A scrutineer's reason for reading a row otherwise than the machine read it for sure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overrule: Option<String>,
    pub seq: u64,
}

/// A sheet ruled the same paper as the earlier one it matched: never counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetAside {
    pub by: String,
    /// The earlier sheet it is a second feed of.
    pub same_as: String,
    pub seq: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetRecord {
    pub sheet: SheetIn,
    pub seq: u64,
    /// Set once a clerk ruled on it (only sheets with a doubtful row, or held as a possible
    /// second feed, need one).
    pub ruling: Option<SheetRuling>,
    /// Set when it was ruled a second feed of an earlier sheet.
    pub set_aside: Option<SetAside>,
}

impl SheetRecord {
    pub fn waiting(&self) -> bool {
        self.sheet.held() && self.ruling.is_none() && self.set_aside.is_none()
    }
}

impl BallotState {
    /// Sheets waiting for a clerk.
    pub fn waiting_sheets(&self) -> impl Iterator<Item = &SheetRecord> {
        self.sheets.iter().filter(|s| s.waiting())
    }

    pub fn sheet_by_sha(&self, sha: &str) -> Option<&SheetRecord> {
        self.sheets.iter().find(|s| s.sheet.sha256 == sha)
    }

    /// The sheet whose decoded pixels hash to `pixels`: the same picture under other bytes.
    pub fn sheet_by_pixels(&self, pixels: &str) -> Option<&SheetRecord> {
        self.sheets
            .iter()
            .find(|s| s.sheet.pixels.as_deref() == Some(pixels))
    }

    /// Whether `name` is one of the ballot's scrutineers (`scrutineer`), or of its scrutineers
    /// or clerks: the people who may rule on its papers.
    pub fn is_staff(&self, name: &str, scrutineer: bool) -> bool {
        let same = |n: &String| crate::domain::hygiene::same_name(n, name);
        self.scrutineers.iter().any(same) || (!scrutineer && self.clerks.iter().any(same))
    }

    /// Refused unless `by` may rule on this ballot's sheets (a scrutineer or clerk recorded for
    /// it, from the session file or F4).
    fn check_ruler(&self, by: &str) -> Result<(), Text> {
        if by.trim().is_empty() {
            return refuse(
                "判定须写明判定人".into(),
                "a ruling names who made it".into(),
            );
        }
        if self.scrutineers.is_empty() && self.clerks.is_empty() {
            return refuse(
                "本次尚未登记监票人和计票人(F4):判定只能由其中一人作出".into(),
                "no scrutineers or clerks are recorded for this count yet (F4): only one of them may rule".into(),
            );
        }
        if !self.is_staff(by, false) {
            let staff: Vec<&str> = self
                .scrutineers
                .iter()
                .chain(&self.clerks)
                .map(String::as_str)
                .collect();
            return refuse(
                format!(
                    "“{}”不是本次的监票人或计票人({}):判定只能由其中一人作出",
                    crate::domain::hygiene::printable(by.trim()),
                    staff.join("、")
                ),
                format!(
                    "\"{}\" is not a scrutineer or clerk of this count ({}): only one of them may rule",
                    crate::domain::hygiene::printable(by.trim()),
                    staff.join(", ")
                ),
            );
        }
        Ok(())
    }

    /// Papers in the count plus sheets waiting: what the box has given up so far.
    pub fn sheets_and_papers(&self) -> u32 {
        self.keyed() + self.waiting_sheets().count() as u32
    }

    /// A batch of scanned sheets, all or nothing.
    pub(crate) fn scan_sheets(&mut self, sheets: &[SheetIn], seq: u64) -> Result<(), Text> {
        self.require_open()?;
        if self.kind == CountKind::Resolution {
            return refuse(
                "表决没有纸质选票".into(),
                "a resolution has no papers to scan".into(),
            );
        }
        if sheets.is_empty() {
            return refuse("没有扫描件".into(), "no sheets".into());
        }
        let Some(returned) = self.returned_declared else {
            return refuse(
                "请先登记收回票数:扫描的选票要与收回票数核对".into(),
                "enter the papers returned first: the sheets scanned are held against it".into(),
            );
        };
        let after = self.sheets_and_papers() + sheets.len() as u32;
        if after > returned {
            return refuse(
                format!(
                    "读入这 {} 张后共 {after} 张,多于收回票数 {returned} 张:可能有选票被重复送入扫描仪。本批一张也未记录,请监票人清点选票与扫描件",
                    sheets.len()
                ),
                format!(
                    "with these {} sheets there would be {after}, more than the {returned} papers returned: a paper may have been fed twice. Nothing of this batch was recorded; the scrutineers should count the papers and the scans",
                    sheets.len()
                ),
            );
        }
        let before = self.clone();
        for (i, s) in sheets.iter().enumerate() {
            if let Err(e) = self.scan_one(s, seq) {
                *self = before;
                return Err(Text::new(
                    format!("第 {} 张扫描件({}):{}", i + 1, s.serial, e.zh),
                    format!("sheet {} ({}): {}", i + 1, s.serial, e.en),
                ));
            }
        }
        Ok(())
    }

    fn scan_one(&mut self, s: &SheetIn, seq: u64) -> Result<(), Text> {
        if self.sheet_by_sha(&s.sha256).is_some() {
            return refuse(
                "这张扫描件已读入过(SHA-256 相同)".into(),
                "this scan was read before (same SHA-256)".into(),
            );
        }
        if let Some(p) = &s.pixels
            && let Some(r) = self.sheet_by_pixels(p)
        {
            return refuse(
                format!("这张扫描件的图像与 {} 完全相同,已读入过", r.sheet.serial),
                format!(
                    "this scan's picture is the very picture of {}, read before",
                    r.sheet.serial
                ),
            );
        }
        if let Some(t) = &s.twin
            && !self.sheets.iter().any(|r| &r.sheet.serial == t)
        {
            return refuse(
                format!("所称重复送入的扫描件 {t} 不存在"),
                format!("the sheet {t} it would be a second feed of does not exist"),
            );
        }
        if s.read.chars().count() != self.candidates.len() {
            return refuse(
                format!(
                    "读出 {} 栏,选票上有 {} 个候选项",
                    s.read.chars().count(),
                    self.candidates.len()
                ),
                format!(
                    "{} rows read, the paper has {}",
                    s.read.chars().count(),
                    self.candidates.len()
                ),
            );
        }
        if self.serials.contains_key(&s.serial)
            || self.sheets.iter().any(|r| r.sheet.serial == s.serial)
        {
            return refuse(
                format!("编号 {} 已用过", s.serial),
                format!("serial {} is already taken", s.serial),
            );
        }
        if !s.held() {
            self.record_paper(&s.serial, &s.read, None, seq)?;
        }
        self.sheets.push(SheetRecord {
            sheet: s.clone(),
            seq,
            ruling: None,
            set_aside: None,
        });
        Ok(())
    }

    fn waiting_sheet(&self, serial: &str) -> Result<usize, Text> {
        let Some(i) = self.sheets.iter().position(|r| r.sheet.serial == serial) else {
            return refuse(
                format!("没有编号为 {serial} 的扫描件"),
                format!("no scanned sheet {serial}"),
            );
        };
        if !self.sheets[i].waiting() {
            return refuse(
                format!("扫描件 {serial} 不待判定"),
                format!("sheet {serial} is not waiting for a ruling"),
            );
        }
        Ok(i)
    }

    /// A sheet held as a possible second feed is the same paper as the one it matched: set
    /// aside, never counted.
    pub(crate) fn set_aside_sheet(&mut self, serial: &str, by: &str, seq: u64) -> Result<(), Text> {
        self.require_open()?;
        self.check_ruler(by)?;
        let i = self.waiting_sheet(serial)?;
        let Some(same_as) = self.sheets[i].sheet.twin.clone() else {
            return refuse(
                format!(
                    "扫描件 {serial} 不是疑似重复送入的扫描件:只有这样的扫描件可以不计;其他选票计入后如有问题请剔除并写明理由"
                ),
                format!(
                    "sheet {serial} is not held as a possible second feed: only such a sheet can be set aside; strike any other paper after it is counted, with a reason"
                ),
            );
        };
        self.sheets[i].set_aside = Some(SetAside {
            by: by.trim().to_string(),
            same_as,
            seq,
        });
        Ok(())
    }

    /// A clerk's reading of a sheet that waited: from then on it is a paper like any other.
    /// The clerk decides the rows the machine was in doubt about; a row it read for sure is
    /// changed only by a scrutineer, with the reason (`overrule`).
    pub(crate) fn rule_sheet(
        &mut self,
        serial: &str,
        marks: &str,
        by: &str,
        overrule: Option<&str>,
        seq: u64,
    ) -> Result<(), Text> {
        self.require_open()?;
        self.check_ruler(by)?;
        let i = self.waiting_sheet(serial)?;
        if marks.contains('?') {
            return refuse("每一栏都须判定".into(), "every row must be decided".into());
        }
        let read: Vec<char> = self.sheets[i].sheet.read.chars().collect();
        let changed: Vec<usize> = marks
            .chars()
            .zip(&read)
            .enumerate()
            .filter(|(_, (m, r))| **r != '?' && m.to_ascii_uppercase() != **r)
            .map(|(k, _)| k + 1)
            .collect();
        let overrule = overrule.map(str::trim).filter(|r| !r.is_empty());
        if !changed.is_empty() {
            let rows = changed
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join("、");
            if overrule.is_none() || !self.is_staff(by, true) {
                return refuse(
                    format!(
                        "第 {rows} 栏机器已确定读出(扫描件 {serial}):只判定有疑问的栏;如确需改判,须由监票人写明理由"
                    ),
                    format!(
                        "row(s) {rows} of sheet {serial} were read for sure: a ruling decides the doubtful rows; only a scrutineer may overrule a sure row, with a reason"
                    ),
                );
            }
        }
        // No longer waiting while it is recorded: it takes its own place in the box.
        self.sheets[i].ruling = Some(SheetRuling {
            marks: String::new(),
            by: by.trim().to_string(),
            overrule: overrule.filter(|_| !changed.is_empty()).map(str::to_string),
            seq,
        });
        if let Err(e) = self.record_paper(serial, marks, None, seq) {
            self.sheets[i].ruling = None;
            return Err(e);
        }
        let marks = self
            .papers
            .last()
            .map(|p| p.marks.clone())
            .unwrap_or_default();
        if let Some(r) = self.sheets[i].ruling.as_mut() {
            r.marks = marks;
        }
        Ok(())
    }
}
