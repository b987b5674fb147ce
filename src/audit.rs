//! `huiwu verify`: recompute the hash chain, replay every entry under the rules, and check the
//! projection tables against the replayed state. Names the first bad entry.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::engine::Engine;
use crate::i18n::Lang;
use crate::store::{self, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub events: u64,
    pub head: String,
    /// First bad entry (sequence number) and why.
    pub first_bad: Option<(u64, String)>,
    /// Projection rows that disagree with the replayed log.
    pub mismatches: Vec<String>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.first_bad.is_none() && self.mismatches.is_empty()
    }

    pub fn render(&self, lang: Lang) -> String {
        if let Some((seq, why)) = &self.first_bad {
            return match lang {
                Lang::Zh => format!("校验失败:第 {seq} 条事件有问题:{why}"),
                Lang::En => format!("FAILED: entry {seq} is bad: {why}"),
            };
        }
        if !self.mismatches.is_empty() {
            let list = self.mismatches.join("\n  ");
            return match lang {
                Lang::Zh => format!("校验失败:汇总表与事件记录不一致:\n  {list}"),
                Lang::En => format!("FAILED: projections disagree with the event log:\n  {list}"),
            };
        }
        let short = &self.head[..self.head.len().min(12)];
        match lang {
            Lang::Zh => format!(
                "校验通过:共 {} 条事件,链头 {short}({})",
                self.events, self.head
            ),
            Lang::En => format!(
                "OK: {} events, chain head {short} ({})",
                self.events, self.head
            ),
        }
    }
}

pub fn verify(db: &Path) -> Result<Report, StoreError> {
    // Identity checks first (a foreign file is refused before anything reads it as ours).
    drop(store::Store::open_readonly(db)?);
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let chain = store::verify(&conn)?;
    let mut report = Report {
        events: chain.events,
        head: chain.head.clone(),
        first_bad: chain.first_bad.clone(),
        mismatches: Vec::new(),
    };
    if !chain.ok() {
        return Ok(report);
    }
    let engine = match Engine::open_readonly(db) {
        Ok(e) => e,
        Err(StoreError::Corrupt { seq, why }) => {
            report.first_bad = Some((seq, why));
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    report.mismatches = projections(&conn, &engine)?;
    Ok(report)
}

/// Compare the projection tables with the state replayed from the log.
fn projections(conn: &Connection, engine: &Engine) -> Result<Vec<String>, StoreError> {
    let st = engine.state();
    let mut out = Vec::new();
    let mut stmt = conn.prepare("SELECT deputy, status FROM attendance")?;
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut seen = std::collections::HashMap::new();
    for (deputy, status) in rows {
        seen.insert(deputy.clone(), status.clone());
        let want = st
            .deputy_index(&deputy)
            .map(|i| serde_json::to_value(st.presence[i]).ok())
            .and_then(|v| v.and_then(|v| v.as_str().map(str::to_string)));
        if want.as_deref() != Some(status.as_str()) {
            out.push(format!(
                "attendance {deputy}: table says {status}, log says {}",
                want.unwrap_or("—".into())
            ));
        }
    }
    for (d, p) in st.def.deputies.iter().zip(&st.presence) {
        if *p != crate::domain::quorum::Presence::Unmarked && !seen.contains_key(&d.id) {
            out.push(format!("attendance {}: missing from the table", d.id));
        }
    }
    let mut stmt = conn.prepare("SELECT item, status FROM agenda")?;
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (item, status) in rows {
        let want = st
            .def
            .item_index(&item)
            .map(|i| crate::engine::status_name(st.items[i].status));
        if want != Some(status.as_str()) {
            out.push(format!(
                "agenda {item}: table says {status}, log says {}",
                want.unwrap_or("—")
            ));
        }
    }
    Ok(out)
}
