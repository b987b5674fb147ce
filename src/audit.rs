//! `huiwu verify`: recompute the hash chain, replay every entry under the rules, rebuild every
//! table a reader of the file might use and compare it row by row, recount every ballot from
//! the raw paper rows, and check heads written down elsewhere and a witness file. Everything is
//! read in one snapshot, so a console writing meanwhile never makes it cry wolf.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::domain::state::SessionState;
use crate::engine::projection;
use crate::i18n::{Lang, Text};
use crate::store::{self, Head, HeadRef, StoreError, witness};
use crate::text;

/// What to check beyond the file itself.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Heads written down earlier (minutes, announcements, batch files, the hall's screen).
    pub heads: Vec<HeadRef>,
    /// A witness file kept on another medium.
    pub witness: Option<PathBuf>,
}

/// The outcome of checking one head someone wrote down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadFinding {
    pub given: String,
    /// The entry that carries it, when it is in the chain.
    pub found: Option<u64>,
    pub why: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub events: u64,
    pub head: String,
    /// First bad entry (sequence number) and why.
    pub first_bad: Option<(u64, Text)>,
    /// Tables that disagree with the log: the first difference of each.
    pub mismatches: Vec<Text>,
    pub heads: Vec<HeadFinding>,
    pub witness: Option<(PathBuf, Result<witness::Finding, Text>)>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.first_bad.is_none()
            && self.mismatches.is_empty()
            && self.heads.iter().all(|h| h.why.is_none())
            && self
                .witness
                .as_ref()
                .is_none_or(|(_, w)| w.as_ref().is_ok_and(|f| f.bad.is_none()))
    }

    pub fn render(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let mut out = Vec::new();
        if let Some((seq, why)) = &self.first_bad {
            out.push(if zh {
                format!("校验失败:第 {seq} 条事件有问题:{}", why.zh)
            } else {
                format!("FAILED: entry {seq} is bad: {}", why.en)
            });
        }
        if !self.mismatches.is_empty() {
            let list: Vec<&str> = self.mismatches.iter().map(|t| t.get(lang)).collect();
            out.push(if zh {
                format!("校验失败:数据表与事件记录不一致:\n  {}", list.join("\n  "))
            } else {
                format!(
                    "FAILED: tables disagree with the event log:\n  {}",
                    list.join("\n  ")
                )
            });
        }
        for h in &self.heads {
            out.push(match (&h.why, h.found, zh) {
                (Some(why), _, true) => format!("校验失败:链头 {}:{}", h.given, why.zh),
                (Some(why), _, false) => format!("FAILED: head {}: {}", h.given, why.en),
                (None, Some(seq), true) => format!(
                    "链头 {} 在记录中(第 {seq} 条),记录由此延续到第 {} 条",
                    h.given, self.events
                ),
                (None, Some(seq), false) => format!(
                    "head {} is in the chain (entry {seq}); the chain goes on from it to entry {}",
                    h.given, self.events
                ),
                (None, None, _) => String::new(),
            });
        }
        if let Some((path, w)) = &self.witness {
            let p = path.display();
            out.push(match (w, zh) {
                (Err(t), true) => format!("校验失败:见证文件 {p}:{}", t.zh),
                (Err(t), false) => format!("FAILED: witness {p}: {}", t.en),
                (Ok(f), true) => match &f.bad {
                    Some((_, why)) => format!("校验失败:{}", why.zh),
                    None if f.last < self.events => format!(
                        "见证文件 {p}:{} 行全部相符(至第 {} 条);其后第 {}–{} 条没有见证",
                        f.checked,
                        f.last,
                        f.last + 1,
                        self.events
                    ),
                    None => format!("见证文件 {p}:{} 行全部相符(至第 {} 条)", f.checked, f.last),
                },
                (Ok(f), false) => match &f.bad {
                    Some((_, why)) => format!("FAILED: {}", why.en),
                    None if f.last < self.events => format!(
                        "witness {p}: all {} lines agree (up to entry {}); entries {}–{} after it are not witnessed",
                        f.checked,
                        f.last,
                        f.last + 1,
                        self.events
                    ),
                    None => format!(
                        "witness {p}: all {} lines agree (up to entry {})",
                        f.checked, f.last
                    ),
                },
            });
        }
        if self.first_bad.is_none() && self.mismatches.is_empty() {
            let head = store::head_text(self.events, &self.head);
            out.insert(
                0,
                if zh {
                    format!(
                        "事件链完整:共 {} 条事件,链头 {head}({}),各数据表与记录一致",
                        self.events, self.head
                    )
                } else {
                    format!(
                        "the chain holds: {} events, head {head} ({}); every table agrees with the log",
                        self.events, self.head
                    )
                },
            );
        }
        out.push(
            match (self.ok(), zh) {
                (true, true) => "校验通过。",
                (true, false) => "OK.",
                (false, true) => "校验未通过。",
                (false, false) => "FAILED.",
            }
            .to_string(),
        );
        out.retain(|l| !l.is_empty());
        out.join("\n")
    }
}

pub fn verify(db: &Path) -> Result<Report, StoreError> {
    verify_with(db, &Options::default())
}

pub fn verify_with(db: &Path, opts: &Options) -> Result<Report, StoreError> {
    // Identity checks first (a foreign file is refused before anything reads it as ours).
    if !db.exists() {
        return Err(StoreError::Refused(text!(
            format!("数据库 {} 不存在", db.display()),
            format!("database {} does not exist", db.display())
        )));
    }
    {
        let probe = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let version = crate::store::check_identity(&probe, db)?;
        if version < crate::store::SCHEMA_VERSION {
            // Its tables are not those this build rebuilds; verify never writes, so it says so.
            return Err(StoreError::Refused(text!(
                format!(
                    "{} 是旧版数据库(结构 v{version}):先用本程序打开一次(huiwu apply 或 run)完成升级,再校验;升级前会先核对事件链",
                    db.display()
                ),
                format!(
                    "{} is an older database (schema v{version}): open it once with this huiwu (apply or run) to bring it up to date, then verify; the chain is checked before the upgrade",
                    db.display()
                )
            )));
        }
    }
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // The witness is read before the snapshot starts: every line it holds was committed by then.
    let witness = opts.witness.as_ref().map(|p| (p.clone(), witness::read(p)));
    store::snapshot(&conn, |c| check(c, opts, witness))
}

type WitnessRead = Option<(PathBuf, Result<witness::Read, Text>)>;

fn check(conn: &Connection, opts: &Options, witness: WitnessRead) -> Result<Report, StoreError> {
    let mut report = Report {
        events: 0,
        head: store::GENESIS_PREV.to_string(),
        first_bad: None,
        mismatches: Vec::new(),
        heads: Vec::new(),
        witness: None,
    };
    let scanned = store::scan(conn, &Head::genesis())?;
    let s = match scanned {
        Err(b) => {
            let chain = store::verify(conn)?;
            report.events = chain.events;
            report.head = chain.head;
            report.first_bad = Some((b.seq, b.why));
            check_heads(conn, opts, &mut report)?;
            return Ok(report);
        }
        Ok(s) => s,
    };
    report.events = s.head.seq;
    report.head = s.head.hash.clone();
    if let Some(b) = store::check_meta(conn, &s.head)? {
        report.first_bad = Some((b.seq, b.why));
    }
    check_heads(conn, opts, &mut report)?;
    let genesis = s
        .genesis
        .expect("a scan from the start reads the definition");
    if let Some((path, read)) = witness {
        let found = read.and_then(|w| {
            witness::check(conn, &genesis.fingerprint, &w, &path)
                .map_err(|e| text!(format!("数据库错误:{e}"), format!("database error: {e}")))
        });
        report.witness = Some((path, found));
    }
    if report.first_bad.is_some() {
        return Ok(report);
    }
    // Replay under the rules.
    let mut state = SessionState::new(genesis.definition.clone());
    for ev in &s.events {
        if let Err(t) = state.apply(ev.seq, &ev.action, ev.at) {
            report.first_bad = Some((
                ev.seq,
                text!(
                    format!("规则不允许这条操作:{}", t.zh),
                    format!("the rules refuse it: {}", t.en)
                ),
            ));
            return Ok(report);
        }
    }
    let mem = projection::rebuild_memory(&genesis.definition, &s.events)?;
    for (table, order) in store::PROJECTION_TABLES {
        if let Some(t) = compare_table(conn, &mem, table, order)? {
            report.mismatches.push(t);
        }
    }
    report.mismatches.extend(station_keys(conn, &state)?);
    report.mismatches.extend(recount(conn, &state)?);
    Ok(report)
}

fn check_heads(conn: &Connection, opts: &Options, report: &mut Report) -> Result<(), StoreError> {
    // Only entries the chain vouches for count: up to the last good one.
    let good = match &report.first_bad {
        Some((seq, _)) => seq.saturating_sub(1),
        None => report.events,
    };
    for h in &opts.heads {
        let given = match h.seq {
            Some(n) => format!("#{n} {}", store::head_short(&h.hex)),
            None => store::head_short(&h.hex),
        };
        let mut f = HeadFinding {
            given: given.clone(),
            found: None,
            why: None,
        };
        match h.seq {
            Some(n) => {
                let hash: Option<String> = conn
                    .query_row(
                        "SELECT hash FROM events WHERE seq = ?1",
                        params![n as i64],
                        |r| r.get(0),
                    )
                    .optional()?;
                let elsewhere = |conn: &Connection| -> rusqlite::Result<Option<i64>> {
                    conn.query_row(
                        "SELECT seq FROM events WHERE substr(hash, 1, ?1) = ?2 AND seq BETWEEN 1 AND ?3 ORDER BY seq LIMIT 1",
                        params![h.hex.len() as i64, h.hex, good as i64],
                        |r| r.get(0),
                    )
                    .optional()
                };
                match hash {
                    _ if n > good && n <= report.events => {
                        f.why = Some(text!(
                            format!("第 {n} 条事件在损坏之后,不能作证"),
                            format!("entry {n} comes after the damage; it proves nothing")
                        ));
                    }
                    None if elsewhere(conn)?.is_some() => {
                        let k = elsewhere(conn)?.unwrap_or_default();
                        f.why = Some(text!(
                            format!(
                                "记录只到第 {} 条,没有第 {n} 条;这组数字是第 {k} 条的链头:请核对抄写的事件号",
                                report.events
                            ),
                            format!(
                                "the log ends at entry {}, there is no entry {n}; these digits are the head of entry {k}: check the entry number as written down",
                                report.events
                            )
                        ));
                    }
                    None => {
                        f.why = Some(text!(
                            format!(
                                "记录只到第 {} 条,没有第 {n} 条:写下链头之后的事件被删除了(记录被截短)",
                                report.events
                            ),
                            format!(
                                "the log ends at entry {}, before entry {n}: entries written after this head was taken down were removed (the log was cut)",
                                report.events
                            )
                        ));
                    }
                    Some(hash) if !h.matches(&hash) => {
                        f.why = Some(text!(
                            format!(
                                "第 {n} 条事件的链头是 {},不是写下的 {}:这一条及以前的记录被改写或重建过",
                                store::head_text(n, &hash),
                                given
                            ),
                            format!(
                                "entry {n} carries {}, not {given} as written down: the log up to this entry was rewritten or rebuilt",
                                store::head_text(n, &hash)
                            )
                        ));
                    }
                    Some(_) => f.found = Some(n),
                }
            }
            None => {
                let seq: Option<i64> = conn
                    .query_row(
                        "SELECT seq FROM events WHERE substr(hash, 1, ?1) = ?2 AND seq BETWEEN 1 AND ?3 ORDER BY seq LIMIT 1",
                        params![h.hex.len() as i64, h.hex, good as i64],
                        |r| r.get(0),
                    )
                    .optional()?;
                match seq {
                    Some(n) => f.found = Some(n as u64),
                    None => {
                        f.why = Some(text!(
                            format!(
                                "记录中没有任何一条事件带有这个链头:记录被改写、重建或截短过(现有 {} 条)",
                                report.events
                            ),
                            format!(
                                "no entry of the log carries this head: the log was rewritten, rebuilt or cut (it has {} entries now)",
                                report.events
                            )
                        ));
                    }
                }
            }
        }
        report.heads.push(f);
    }
    Ok(())
}

fn show(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Text(t) => format!("{t:?}"),
        Value::Blob(b) => format!("<{} bytes>", b.len()),
    }
}

type Rows = (Vec<String>, BTreeMap<String, Vec<Value>>);

fn rows(conn: &Connection, table: &str, order: &str) -> rusqlite::Result<Rows> {
    let keys: Vec<&str> = order.split(',').map(str::trim).collect();
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))?;
    let cols: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let key_idx: Vec<usize> = keys
        .iter()
        .filter_map(|k| cols.iter().position(|c| c == k))
        .collect();
    let n = cols.len();
    let mut out = BTreeMap::new();
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let vals: Vec<Value> = (0..n).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
        let key = key_idx
            .iter()
            .map(|&i| match &vals[i] {
                Value::Text(t) => t.clone(),
                v => show(v),
            })
            .collect::<Vec<_>>()
            .join(" / ");
        out.insert(key, vals);
    }
    Ok((cols, out))
}

/// The first difference between a table in the file and the same table rebuilt from the log.
fn compare_table(
    file: &Connection,
    mem: &Connection,
    table: &str,
    order: &str,
) -> Result<Option<Text>, StoreError> {
    let (cols, have) = rows(file, table, order)?;
    let (mem_cols, want) = rows(mem, table, order)?;
    if cols != mem_cols {
        return Ok(Some(text!(
            format!("数据表 {table} 的列被改动过:{}", cols.join(", ")),
            format!("table {table} has altered columns: {}", cols.join(", "))
        )));
    }
    for (key, w) in &want {
        match have.get(key) {
            None => {
                return Ok(Some(text!(
                    format!("数据表 {table}:缺少记录中的行 {key}"),
                    format!("table {table}: row {key} of the log is missing")
                )));
            }
            Some(h) if h != w => {
                let i = (0..cols.len()).find(|&i| h[i] != w[i]).unwrap_or(0);
                return Ok(Some(text!(
                    format!(
                        "数据表 {table} 行 {key} 的 {}:文件中为 {},按记录应为 {}",
                        cols[i],
                        show(&h[i]),
                        show(&w[i])
                    ),
                    format!(
                        "table {table}, row {key}, column {}: the file says {}, the log says {}",
                        cols[i],
                        show(&h[i]),
                        show(&w[i])
                    )
                )));
            }
            Some(_) => {}
        }
    }
    if let Some(key) = have.keys().find(|k| !want.contains_key(*k)) {
        return Ok(Some(text!(
            format!("数据表 {table}:多出记录中没有的行 {key}"),
            format!("table {table}: row {key} is not in the log")
        )));
    }
    Ok(None)
}

/// Each station's key must be the one whose id the log holds.
fn station_keys(conn: &Connection, st: &SessionState) -> Result<Vec<Text>, StoreError> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare("SELECT station, key FROM station_keys ORDER BY station")?;
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let logged: Vec<&crate::domain::stations::Station> = st
        .stations
        .known
        .iter()
        .chain(st.stations.own.iter())
        .collect();
    for (name, key) in &rows {
        let id = (0..key.len())
            .step_by(2)
            .map(|i| {
                key.get(i..i + 2)
                    .and_then(|b| u8::from_str_radix(b, 16).ok())
            })
            .collect::<Option<Vec<u8>>>()
            .map(|k| crate::station::key_id(&k));
        match logged.iter().find(|s| &s.name == name) {
            Some(s) if id.as_deref() == Some(s.key_id.as_str()) => {}
            Some(_) => out.push(text!(
                format!("录入站 {name} 的密钥与记录中的密钥编号不符:密钥被换过"),
                format!("the key of station {name} does not match its key id in the log: the key was replaced")
            )),
            None => out.push(text!(
                format!("密钥表中有记录里没有的录入站 {name}"),
                format!("the keys table holds station {name}, which the log never paired")
            )),
        }
    }
    for s in logged {
        if !rows.iter().any(|(n, _)| n == &s.name) {
            out.push(text!(
                format!("录入站 {} 的密钥缺失", s.name),
                format!("the key of station {} is missing", s.name)
            ));
        }
    }
    Ok(out)
}

/// Recount every paper ballot from the raw `papers` rows, the simple way, and compare with the
/// tally the log produces.
fn recount(conn: &Connection, st: &SessionState) -> Result<Vec<Text>, StoreError> {
    use crate::domain::ballots::{CountKind, Counter};
    let mut out = Vec::new();
    let mut stmt =
        conn.prepare("SELECT marks, void_reason, struck FROM papers WHERE ballot = ?1")?;
    for b in &st.ballots.list {
        type Row = (String, Option<String>, Option<String>);
        let rows: Vec<Row> = stmt
            .query_map([&b.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let n = b.candidates.len();
        let mut per: Vec<std::collections::HashMap<char, u32>> = vec![Default::default(); n];
        let (mut valid, mut void) = (0u32, 0u32);
        for (marks, hand, struck) in &rows {
            if struck.is_some() {
                continue;
            }
            let yes = marks.chars().filter(|c| *c == 'Y').count() as u32;
            let too_many = b.kind == CountKind::Approval && yes > b.places;
            if hand.is_some() || too_many {
                void += 1;
                continue;
            }
            valid += 1;
            for (i, c) in marks.chars().enumerate().take(n) {
                *per[i].entry(c).or_default() += 1;
            }
        }
        let mismatch = |what: &str| {
            text!(
                format!("票决 {}:按选票行重新计票结果不同({what})", b.id),
                format!(
                    "ballot {}: a recount from the paper rows differs ({what})",
                    b.id
                )
            )
        };
        let got = |i: usize, ch: char| per[i].get(&ch).copied().unwrap_or(0);
        match &b.counter {
            Counter::Approval(t) => {
                if (t.valid(), t.void()) != (valid, void) {
                    out.push(mismatch("valid/void"));
                }
                for (i, c) in t.counts().iter().enumerate() {
                    if (c.yes, c.no, c.abstain) != (got(i, 'Y'), got(i, 'N'), got(i, 'A')) {
                        out.push(mismatch(&format!("candidate {}", i + 1)));
                    }
                }
            }
            Counter::Satisfaction(t) => {
                if (t.valid(), t.void()) != (valid, void) {
                    out.push(mismatch("valid/void"));
                }
                for (i, c) in t.counts().iter().enumerate() {
                    if (c.satisfied, c.basically_satisfied, c.unsatisfied, c.abstain)
                        != (got(i, 'S'), got(i, 'B'), got(i, 'U'), got(i, 'A'))
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
