//! The hash chain over the event log (DESIGN.md §7): each entry's hash covers its sequence,
//! the previous hash, its time, its station and its exact stored payload.
//!
//! Every reader goes through [`scan`]: the console, the projector, the exports and `verify`
//! read the log only through a check of each entry against the one before, so a broken chain
//! is found by whoever opens the file, not only by an auditor.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{Genesis, Recorded, fingerprint};
use crate::domain::action::{Action, Ts};
use crate::i18n::Text;
use crate::text;

/// The `prev` of the first event.
pub const GENESIS_PREV: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn hex(bytes: &[u8]) -> String {
    // By table, not `write!` per byte: every entry of every chain check goes through here.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
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

/// The first 64 bits of a hash as people read them aloud and write them down:
/// `3F2A-9C1B-77D0-E4A5`.
pub fn head_short(hash: &str) -> String {
    let up: Vec<char> = hash
        .chars()
        .take(16)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    up.chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A chain head with its entry number: `#1234 3F2A-9C1B-77D0-E4A5`.
pub fn head_text(seq: u64, hash: &str) -> String {
    format!("#{seq} {}", head_short(hash))
}

/// A head someone wrote down: the entry number if given, and the hex digits (16 to 64).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadRef {
    pub seq: Option<u64>,
    /// Lowercase hex, at least 16 digits.
    pub hex: String,
}

impl HeadRef {
    /// Accepts `#1234 3F2A-9C1B-77D0-E4A5`, `3F2A9C1B77D0E4A5`, the full 64-digit hash, with or
    /// without the entry number (`#1234`, `1234:`), in either case, with dashes or spaces.
    pub fn parse(s: &str) -> Result<HeadRef, Text> {
        let bad = || {
            text!(
                format!(
                    "无法识别链头“{s}”:应写作 #1234 3F2A-9C1B-77D0-E4A5(16 位十六进制数字或完整的 64 位哈希,可省略 # 号及事件号)"
                ),
                format!(
                    "cannot read the head \"{s}\": write it as #1234 3F2A-9C1B-77D0-E4A5 (16 hex digits or the full 64-digit hash; the # and entry number may be left out)"
                )
            )
        };
        let t = s.trim();
        let (seq, rest) = match t.strip_prefix('#') {
            Some(r) => {
                let end = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
                let n: u64 = r[..end].parse().map_err(|_| bad())?;
                (Some(n), &r[end..])
            }
            None => match t.split_once(':') {
                Some((n, r)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
                    (Some(n.parse().map_err(|_| bad())?), r)
                }
                _ => (None, t),
            },
        };
        let mut hex = String::new();
        for c in rest.chars() {
            match c {
                '-' | ' ' | '\t' | ':' => {}
                c if c.is_ascii_hexdigit() => hex.push(c.to_ascii_lowercase()),
                _ => return Err(bad()),
            }
        }
        if (hex.len() != 16 && hex.len() != 64) || seq == Some(0) {
            return Err(bad());
        }
        Ok(HeadRef { seq, hex })
    }

    pub fn matches(&self, hash: &str) -> bool {
        hash.starts_with(&self.hex)
    }
}

/// Where a chain stands: the last entry checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: u64,
    pub hash: String,
    pub at: Option<Ts>,
}

impl Head {
    pub fn genesis() -> Head {
        Head {
            seq: 0,
            hash: GENESIS_PREV.to_string(),
            at: None,
        }
    }
}

/// The first entry of the chain that fails, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub seq: u64,
    pub why: Text,
}

fn brk(seq: u64, zh: String, en: String) -> Break {
    Break {
        seq,
        why: Text::new(zh, en),
    }
}

fn not_text(seq: u64) -> Break {
    brk(
        seq,
        format!("第 {seq} 条事件的某一列不是文本:被人改写过"),
        format!("entry {seq}: a column is not text; it was written by hand"),
    )
}

/// What a scan read: the session definition (when it started at the beginning), the actions
/// after it, and the new head.
#[derive(Debug, Clone)]
pub struct Scan {
    pub genesis: Option<Genesis>,
    pub events: Vec<Recorded>,
    pub head: Head,
}

/// Read and check every entry after `from`. Each must follow the one before (sequence and
/// link), match its hash, have a readable time no earlier than the one before, and hold a
/// readable payload (the session definition with its fingerprint for entry 1, an action after
/// it). Call inside one read transaction. Never writes.
pub fn scan(conn: &Connection, from: &Head) -> rusqlite::Result<Result<Scan, Break>> {
    if from.seq == 0 {
        // Entries are numbered from 1: a row below that is something slipped into the log.
        let stray: Option<i64> = conn
            .prepare_cached("SELECT seq FROM events WHERE seq < 1 ORDER BY seq LIMIT 1")?
            .query_row([], |r| r.get(0))
            .optional()?;
        if let Some(n) = stray {
            return Ok(Err(brk(
                1,
                format!("事件记录中有编号为 {n} 的行:事件从 1 起编号,这一行是后加的"),
                format!(
                    "the log holds a row numbered {n}: entries are numbered from 1, so it was slipped in"
                ),
            )));
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, station, payload, prev, hash FROM events WHERE seq > ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query(params![from.seq as i64])?;
    let mut head = from.clone();
    let mut genesis = None;
    let mut events = Vec::new();
    while let Some(r) = rows.next()? {
        let seq = r.get::<_, i64>(0)? as u64;
        // Every column must be text: anything else was written by hand.
        let mut cols: Vec<String> = Vec::with_capacity(5);
        for i in 1..=5 {
            match r.get_ref(i)? {
                rusqlite::types::ValueRef::Text(t) => match std::str::from_utf8(t) {
                    Ok(t) => cols.push(t.to_string()),
                    Err(_) => return Ok(Err(not_text(seq))),
                },
                _ => return Ok(Err(not_text(seq))),
            }
        }
        let [at_text, station, payload, stored_prev, stored_hash]: [String; 5] =
            cols.try_into().expect("five columns");
        let expected = head.seq + 1;
        if seq != expected {
            return Ok(Err(brk(
                expected,
                format!("第 {expected} 条事件缺失(下一条是第 {seq} 条)"),
                format!("entry {expected} is missing (the next is entry {seq})"),
            )));
        }
        if stored_prev != head.hash {
            return Ok(Err(brk(
                seq,
                format!("第 {seq} 条事件与前一条不相连"),
                format!("entry {seq} does not link to the entry before it"),
            )));
        }
        let h = event_hash(seq, &head.hash, &at_text, &station, &payload);
        if h != stored_hash {
            return Ok(Err(brk(
                seq,
                format!("第 {seq} 条事件的内容与其哈希不符(被改动过)"),
                format!("entry {seq}: its content does not match its hash (it was altered)"),
            )));
        }
        let Ok(at) = chrono::DateTime::parse_from_rfc3339(&at_text) else {
            return Ok(Err(brk(
                seq,
                format!("第 {seq} 条事件的时间“{at_text}”无法识别"),
                format!("entry {seq}: unreadable time {at_text:?}"),
            )));
        };
        if let Some(prev_at) = head.at
            && at < prev_at
        {
            return Ok(Err(brk(
                seq,
                format!(
                    "第 {seq} 条事件的时间 {at_text} 早于前一条({}):时间倒退",
                    super::ts_text(&prev_at)
                ),
                format!(
                    "entry {seq}: its time {at_text} is earlier than the entry before ({}): time went backwards",
                    super::ts_text(&prev_at)
                ),
            )));
        }
        if seq == 1 {
            match serde_json::from_str::<Genesis>(&payload) {
                Ok(g) if g.fingerprint == fingerprint(&g.definition) => genesis = Some(g),
                Ok(_) => {
                    return Ok(Err(brk(
                        1,
                        "第 1 条事件(会议定义)与其指纹不符".into(),
                        "entry 1: the session definition does not match its fingerprint".into(),
                    )));
                }
                Err(e) => {
                    return Ok(Err(brk(
                        1,
                        format!("第 1 条事件(会议定义)无法读取:{e}"),
                        format!("entry 1: the session definition is unreadable: {e}"),
                    )));
                }
            }
        } else {
            match serde_json::from_str::<Action>(&payload) {
                Ok(action) => events.push(Recorded {
                    seq,
                    at,
                    station,
                    action,
                    hash: h.clone(),
                }),
                Err(e) => {
                    return Ok(Err(brk(
                        seq,
                        format!("第 {seq} 条事件的操作无法识别:{e}"),
                        format!("entry {seq}: unreadable action: {e}"),
                    )));
                }
            }
        }
        head = Head {
            seq,
            hash: h,
            at: Some(at),
        };
    }
    if head.seq == 0 {
        return Ok(Err(brk(
            1,
            "事件记录是空的".into(),
            "the log is empty".into(),
        )));
    }
    Ok(Ok(Scan {
        genesis,
        events,
        head,
    }))
}

/// An entry this reader already checked must still be there, unchanged: a log cut or rebuilt
/// while a console had it open is caught at the next read or write.
pub fn check_known(conn: &Connection, known: &Head) -> rusqlite::Result<Option<Break>> {
    if known.seq == 0 {
        return Ok(None);
    }
    let hash: Option<String> = conn
        .prepare_cached("SELECT hash FROM events WHERE seq = ?1")?
        .query_row(params![known.seq as i64], |r| r.get(0))
        .optional()?;
    let s = known.seq;
    Ok(match hash {
        None => Some(brk(
            s,
            format!("第 {s} 条事件(本程序已读到)不见了:记录被截短"),
            format!("entry {s}, already read by this program, is gone: the log was cut"),
        )),
        Some(h) if h != known.hash => Some(brk(
            s,
            format!("第 {s} 条事件(本程序已读到)被换掉了:记录被重建"),
            format!("entry {s}, already read by this program, was replaced: the log was rebuilt"),
        )),
        Some(_) => None,
    })
}

/// The head recorded with every commit must be the last entry: a log cut short at the end
/// (its last entries deleted) is caught even when what is left links up.
pub fn check_meta(conn: &Connection, head: &Head) -> rusqlite::Result<Option<Break>> {
    let recorded: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'head'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let want = format!("{}:{}", head.seq, head.hash);
    if recorded.as_deref() == Some(want.as_str()) {
        return Ok(None);
    }
    let shown = recorded
        .as_deref()
        .and_then(|r| r.split_once(':'))
        .map(|(s, h)| match s.parse::<u64>() {
            Ok(n) => head_text(n, h),
            Err(_) => format!("{s}:{h}"),
        })
        .unwrap_or_else(|| "—".into());
    let n = head.seq + 1;
    Ok(Some(brk(
        n,
        format!(
            "记录在第 {} 条事件处结束,但登记的链头是 {shown}:末尾的事件被删除或换掉了",
            head.seq
        ),
        format!(
            "the log ends at entry {} but the recorded head is {shown}: entries at its end were removed or replaced",
            head.seq
        ),
    )))
}

/// Outcome of recomputing the whole chain (the `verify` command's first step).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub events: u64,
    /// Hash of the last good event.
    pub head: String,
    /// First entry that fails, and why.
    pub first_bad: Option<(u64, Text)>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// Recompute the chain from the first event, and check the recorded head. Never writes.
pub fn verify(conn: &Connection) -> super::Result<VerifyReport> {
    let scanned = scan(conn, &Head::genesis())?;
    Ok(match scanned {
        Err(b) => {
            // Report how far the chain was good.
            let good = b.seq.saturating_sub(1);
            let hash: Option<String> = conn
                .query_row(
                    "SELECT hash FROM events WHERE seq = ?1",
                    params![good as i64],
                    |r| r.get(0),
                )
                .optional()?;
            VerifyReport {
                events: good,
                head: hash.unwrap_or_else(|| GENESIS_PREV.to_string()),
                first_bad: Some((b.seq, b.why)),
            }
        }
        Ok(s) => {
            let meta = check_meta(conn, &s.head)?;
            VerifyReport {
                events: s.head.seq,
                head: s.head.hash.clone(),
                first_bad: meta.map(|b| (b.seq, b.why)),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_written_in_groups_of_four() {
        let h = "3f2a9c1b77d0e4a5aaaa";
        assert_eq!(head_short(h), "3F2A-9C1B-77D0-E4A5");
        assert_eq!(head_text(1234, h), "#1234 3F2A-9C1B-77D0-E4A5");
    }

    #[test]
    fn heads_are_read_back_in_every_written_form() {
        let full = "3f2a9c1b77d0e4a5".to_string() + &"0".repeat(48);
        for s in [
            "#1234 3F2A-9C1B-77D0-E4A5",
            "#1234 3f2a9c1b77d0e4a5",
            "  #1234   3F2A 9C1B 77D0 E4A5 ",
            "1234:3F2A-9C1B-77D0-E4A5",
        ] {
            let h = HeadRef::parse(s).unwrap();
            assert_eq!(h.seq, Some(1234), "{s}");
            assert!(h.matches(&full), "{s}");
        }
        let h = HeadRef::parse("3F2A-9C1B-77D0-E4A5").unwrap();
        assert_eq!(h.seq, None);
        let h = HeadRef::parse(&full).unwrap();
        assert_eq!(h.hex, full);
        for bad in [
            "",
            "#12",
            "#0 3F2A-9C1B-77D0-E4A5",
            "8 3f2a9c1b77d0e4a5",
            "3F2A-9C1B-77D0-E4A5-1",
            "3F2A-9C1B",
            "#x 3F2A-9C1B-77D0-E4A5",
            "3F2A-9C1B-77D0-E4AZ",
            &"a".repeat(65),
        ] {
            assert!(HeadRef::parse(bad).is_err(), "{bad:?}");
        }
    }
}
