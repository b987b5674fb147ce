//! The hash chain over the event log (DESIGN.md §7): each entry's hash covers its sequence,
//! the previous hash, its time, its station and its exact stored payload.

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::{Genesis, Result, fingerprint};

/// The `prev` of the first event.
pub const GENESIS_PREV: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn event_hash(seq: u64, prev: &str, at: &str, station: &str, payload: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"huiwu-event\n");
    h.update(seq.to_string().as_bytes());
    h.update(b"\n");
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(at.as_bytes());
    h.update(b"\n");
    h.update(station.as_bytes());
    h.update(b"\n");
    h.update(payload.as_bytes());
    hex(&h.finalize())
}

/// Outcome of recomputing the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub events: u64,
    /// Hash of the last good event.
    pub head: String,
    /// First entry that fails, and why.
    pub first_bad: Option<(u64, String)>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// Recompute the chain from the first event. Reads every row; never writes.
pub fn verify(conn: &Connection) -> Result<VerifyReport> {
    let mut stmt =
        conn.prepare("SELECT seq, at, station, payload, prev, hash FROM events ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1u64;
    let mut prev = GENESIS_PREV.to_string();
    let mut report = VerifyReport {
        events: 0,
        head: GENESIS_PREV.to_string(),
        first_bad: None,
    };
    let bad = |seq: u64, why: String, report: &mut VerifyReport| {
        report.first_bad = Some((seq, why));
    };
    while let Some(r) = rows.next()? {
        let seq = r.get::<_, i64>(0)? as u64;
        let at: String = r.get(1)?;
        let station: String = r.get(2)?;
        let payload: String = r.get(3)?;
        let stored_prev: String = r.get(4)?;
        let stored_hash: String = r.get(5)?;
        if seq != expected_seq {
            bad(
                expected_seq,
                format!("entry {expected_seq} is missing (next is {seq})"),
                &mut report,
            );
            return Ok(report);
        }
        if stored_prev != prev {
            bad(
                seq,
                "does not link to the previous entry".into(),
                &mut report,
            );
            return Ok(report);
        }
        let h = event_hash(seq, &prev, &at, &station, &payload);
        if h != stored_hash {
            bad(seq, "content does not match its hash".into(), &mut report);
            return Ok(report);
        }
        if chrono::DateTime::parse_from_rfc3339(&at).is_err() {
            bad(seq, format!("unreadable time {at:?}"), &mut report);
            return Ok(report);
        }
        if seq == 1 {
            match serde_json::from_str::<Genesis>(&payload) {
                Ok(g) if g.fingerprint == fingerprint(&g.definition) => {}
                Ok(_) => {
                    bad(
                        seq,
                        "session definition does not match its fingerprint".into(),
                        &mut report,
                    );
                    return Ok(report);
                }
                Err(e) => {
                    bad(
                        seq,
                        format!("session definition unreadable: {e}"),
                        &mut report,
                    );
                    return Ok(report);
                }
            }
        } else if let Err(e) = serde_json::from_str::<crate::domain::action::Action>(&payload) {
            bad(seq, format!("unreadable action: {e}"), &mut report);
            return Ok(report);
        }
        prev = h;
        report.events = seq;
        report.head = prev.clone();
        expected_seq += 1;
    }
    if report.events == 0 {
        bad(1, "the log is empty".into(), &mut report);
        return Ok(report);
    }
    // The head recorded with every commit catches a log cut short at the end.
    let head: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'head'", [], |r| {
            r.get(0)
        })
        .ok();
    let want = format!("{}:{}", report.events, report.head);
    if head.as_deref() != Some(want.as_str()) {
        let n = report.events + 1;
        bad(
            n,
            format!(
                "the log ends early: the recorded head is {}",
                head.unwrap_or_default()
            ),
            &mut report,
        );
    }
    Ok(report)
}
