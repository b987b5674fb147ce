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
}

/// A clerk's ruling on a sheet that waited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetRuling {
    pub marks: String,
    pub by: String,
    pub seq: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetRecord {
    pub sheet: SheetIn,
    pub seq: u64,
    /// Set once a clerk ruled on it (only sheets with a doubtful row need one).
    pub ruling: Option<SheetRuling>,
}

impl SheetRecord {
    pub fn waiting(&self) -> bool {
        self.sheet.read.contains('?') && self.ruling.is_none()
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
        if !s.read.contains('?') {
            self.record_paper(&s.serial, &s.read, None, seq)?;
        }
        self.sheets.push(SheetRecord {
            sheet: s.clone(),
            seq,
            ruling: None,
        });
        Ok(())
    }

    /// A clerk's reading of a sheet that waited: from then on it is a paper like any other.
    pub(crate) fn rule_sheet(
        &mut self,
        serial: &str,
        marks: &str,
        by: &str,
        seq: u64,
    ) -> Result<(), Text> {
        self.require_open()?;
        if by.trim().is_empty() {
            return refuse(
                "判定须写明判定人".into(),
                "a ruling names who made it".into(),
            );
        }
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
        if marks.contains('?') {
            return refuse("每一栏都须判定".into(), "every row must be decided".into());
        }
        // No longer waiting while it is recorded: it takes its own place in the box.
        self.sheets[i].ruling = Some(SheetRuling {
            marks: String::new(),
            by: by.trim().to_string(),
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
