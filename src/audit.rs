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
    // Identity checks first (a foreign file is refused before anything reads it as ours);
    // a damaged first entry is a finding of the chain check below, not a refusal.
    match store::Store::open_readonly(db) {
        Ok(_) | Err(StoreError::Corrupt { .. }) => {}
        Err(e) => return Err(e),
    }
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
    out.extend(ballots(conn, st)?);
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

/// Recount every paper ballot from the raw `papers` rows, the simple way, and compare with the
/// tally the log produces; compare each paper row with the paper the log says it is.
fn ballots(
    conn: &Connection,
    st: &crate::domain::state::SessionState,
) -> Result<Vec<String>, StoreError> {
    use crate::domain::ballots::Counter;
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT serial, marks, void_reason, verdict, struck FROM papers WHERE ballot = ?1",
    )?;
    for b in &st.ballots.list {
        type Row = (String, String, Option<String>, String, Option<String>);
        let rows: Vec<Row> = stmt
            .query_map([&b.id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?;
        if rows.len() != b.papers.len() {
            out.push(format!(
                "ballot {}: {} paper rows, the log has {} papers",
                b.id,
                rows.len(),
                b.papers.len()
            ));
        }
        let n = b.candidates.len();
        // per candidate: counts of each letter among valid papers
        let mut per: Vec<std::collections::HashMap<char, u32>> = vec![Default::default(); n];
        let (mut valid, mut void) = (0u32, 0u32);
        for (serial, marks, hand, verdict, struck) in &rows {
            match b.paper(serial) {
                Some(p)
                    if p.marks == *marks
                        && p.hand_void == *hand
                        && p.struck == *struck
                        && crate::engine::verdict_name(p) == verdict => {}
                Some(_) => out.push(format!(
                    "ballot {} paper {serial}: the row differs from the log",
                    b.id
                )),
                None => out.push(format!("ballot {} paper {serial}: not in the log", b.id)),
            }
            if struck.is_some() {
                continue;
            }
            let yes = marks.chars().filter(|c| *c == 'Y').count() as u32;
            let too_many = b.kind == crate::domain::ballots::CountKind::Approval && yes > b.places;
            if hand.is_some() || too_many {
                void += 1;
                continue;
            }
            valid += 1;
            for (i, c) in marks.chars().enumerate().take(n) {
                *per[i].entry(c).or_default() += 1;
            }
        }
        let mismatch =
            |what: &str| format!("ballot {}: recount from the papers differs ({what})", b.id);
        match &b.counter {
            Counter::Approval(t) => {
                if (t.valid(), t.void()) != (valid, void) {
                    out.push(mismatch("valid/void"));
                }
                for (i, c) in t.counts().iter().enumerate() {
                    let got = |ch| per[i].get(&ch).copied().unwrap_or(0);
                    if (c.yes, c.no, c.abstain) != (got('Y'), got('N'), got('A')) {
                        out.push(mismatch(&format!("candidate {}", i + 1)));
                    }
                }
            }
            Counter::Satisfaction(t) => {
                if (t.valid(), t.void()) != (valid, void) {
                    out.push(mismatch("valid/void"));
                }
                for (i, c) in t.counts().iter().enumerate() {
                    let got = |ch| per[i].get(&ch).copied().unwrap_or(0);
                    if (c.satisfied, c.basically_satisfied, c.unsatisfied, c.abstain)
                        != (got('S'), got('B'), got('U'), got('A'))
                    {
                        out.push(mismatch(&format!("item {}", i + 1)));
                    }
                }
            }
            Counter::Resolution(_) => {}
        }
    }
    Ok(out)
}
