//! SQLite storage: an append-only, hash-chained event log (the source of truth) with
//! projections for reads, written in one `BEGIN IMMEDIATE` transaction per operator action.
//! Every read of the log checks the chain (see `chain`): a broken file is refused by whoever
//! opens it, and nothing written later can make it pass again.

mod chain;
mod schema;
pub mod witness;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use serde::{Deserialize, Serialize};

use crate::domain::action::{Action, Ts};
use crate::domain::session::SessionDef;
use crate::i18n::Text;
use crate::text;

pub use chain::{
    Break, GENESIS_PREV, Head, HeadRef, Scan, VerifyReport, check_known, check_meta, event_hash,
    head_short, head_text, scan, sha256_hex, verify,
};
pub use schema::{
    APPLICATION_ID, PROJECTION_TABLES, SCHEMA_VERSION, check_identity, create_in as create_schema,
};

/// What can go wrong opening or writing the database. Every variant is shown to the user.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Refused(Text),
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The record fails its own checks: refused loudly by every command.
    #[error("the record of {path} is broken at entry {seq}: {why}")]
    Broken { path: String, seq: u64, why: Text },
}

impl StoreError {
    pub fn text(&self) -> Text {
        match self {
            StoreError::Refused(t) => t.clone(),
            StoreError::Sql(e) => text!(format!("数据库错误:{e}"), format!("database error: {e}")),
            StoreError::Broken { path, why, .. } => text!(
                format!(
                    "数据库 {path} 的事件记录校验失败:{}。为保证记录可信,拒绝继续;请勿再写入,用 huiwu verify --db {path} 查看",
                    why.zh
                ),
                format!(
                    "the event log of {path} fails its check: {}. Refusing to go on so the record stays trustworthy; write nothing more to it and run huiwu verify --db {path}",
                    why.en
                )
            ),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The first event: the session definition the whole chain stands on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Genesis {
    pub format: String,
    /// File name of the session file the database was made from.
    pub source: String,
    /// SHA-256 of the definition's canonical JSON.
    pub fingerprint: String,
    pub definition: SessionDef,
}

impl Genesis {
    pub fn new(def: &SessionDef, source: &str) -> Self {
        Genesis {
            format: "huiwu/1".into(),
            source: source.into(),
            fingerprint: fingerprint(def),
            definition: def.clone(),
        }
    }
}

pub fn fingerprint(def: &SessionDef) -> String {
    chain::sha256_hex(def.canonical_json().as_bytes())
}

pub use crate::domain::action::Recorded;

/// A database just opened: the definition and every action, read and checked in one snapshot.
pub struct Opened {
    pub store: Store,
    pub genesis: Genesis,
    pub events: Vec<Recorded>,
    /// The schema was brought up from this older version (projections need rebuilding).
    pub migrated_from: Option<i64>,
}

/// An open huiwu database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    station: String,
    /// The last entry this connection read or wrote, checked.
    head: Head,
}

/// Timestamps are stored as RFC 3339 with milliseconds; the stored text is what is hashed.
pub fn ts_text(at: &Ts) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

/// Run `f` inside one read transaction: everything it reads comes from one snapshot, however
/// many writers commit meanwhile.
pub fn snapshot<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    conn.execute_batch("BEGIN DEFERRED")?;
    let out = f(conn);
    // A read transaction has nothing to keep; ending it can only fail if it never began.
    let _ = conn.execute_batch("COMMIT");
    out
}

impl Store {
    fn configure(conn: &Connection) -> Result<()> {
        // Several terminals share one file: wait for the writer instead of failing.
        conn.busy_timeout(Duration::from_secs(10))?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
        let sync: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") || sync != 2 {
            return Err(StoreError::Refused(text!(
                format!(
                    "数据库无法设置为 WAL + synchronous=FULL(得到 {mode}/{sync}),拒绝继续以免丢失数据"
                ),
                format!(
                    "cannot set WAL with synchronous=FULL (got {mode}/{sync}); refusing to risk losing data"
                )
            )));
        }
        Ok(())
    }

    fn broken(&self, b: Break) -> StoreError {
        StoreError::Broken {
            path: self.path.display().to_string(),
            seq: b.seq,
            why: b.why,
        }
    }

    /// Create a new database for `def`. Refuses if `path` exists.
    pub fn create(
        path: &Path,
        def: &SessionDef,
        source: &str,
        at: Ts,
        station: &str,
    ) -> Result<Store> {
        if path.exists() {
            return Err(StoreError::Refused(text!(
                format!("数据库 {} 已存在", path.display()),
                format!("database {} already exists", path.display())
            )));
        }
        let conn = Connection::open(path)?;
        Self::configure(&conn)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            station: station.to_string(),
            head: Head::genesis(),
        };
        let genesis =
            serde_json::to_string(&Genesis::new(def, source)).expect("genesis serializes");
        let tx = store
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        schema::migrate(&tx)?;
        let at_text = ts_text(&at);
        let (seq, hash) = insert_event(&tx, 0, GENESIS_PREV, &at_text, station, &genesis)?;
        tx.commit()?;
        store.head = Head {
            seq,
            hash,
            at: chrono::DateTime::parse_from_rfc3339(&at_text).ok(),
        };
        Ok(store)
    }

    /// Open an existing huiwu database read-write. Refuses non-huiwu files and newer schemas
    /// without touching them, and a broken chain before anything is written.
    pub fn open(path: &Path, station: &str) -> Result<Opened> {
        Self::open_with(path, station, false)
    }

    /// Open for reading only (projector, export): never writes, not even a migration.
    pub fn open_readonly(path: &Path) -> Result<Opened> {
        Self::open_with(path, "reader", true)
    }

    fn open_with(path: &Path, station: &str, readonly: bool) -> Result<Opened> {
        if !path.exists() {
            return Err(StoreError::Refused(text!(
                format!("数据库 {} 不存在", path.display()),
                format!("database {} does not exist", path.display())
            )));
        }
        // Inspect read-only first, so a foreign or newer file is never modified.
        let version = {
            let probe = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            schema::check_identity(&probe, path)?
        };
        let flags = if readonly {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        };
        let conn = Connection::open_with_flags(path, flags)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            station: station.to_string(),
            head: Head::genesis(),
        };
        let mut migrated_from = None;
        if readonly {
            store.conn.busy_timeout(Duration::from_secs(10))?;
        } else {
            Self::configure(&store.conn)?;
            // Check the chain before the first write (a migration is a write).
            if version < SCHEMA_VERSION {
                let checked = snapshot(&store.conn, |c| Ok(scan(c, &Head::genesis())?))?;
                if let Err(b) = checked {
                    return Err(store.broken(b));
                }
                let tx = store.conn.unchecked_transaction()?;
                schema::migrate(&tx)?;
                tx.commit()?;
                migrated_from = Some(version);
            }
        }
        let scanned = snapshot(&store.conn, |c| {
            Ok(match scan(c, &Head::genesis())? {
                Err(b) => Err(b),
                Ok(s) => match check_meta(c, &s.head)? {
                    Some(b) => Err(b),
                    None => Ok(s),
                },
            })
        })?;
        let s = scanned.map_err(|b| store.broken(b))?;
        let genesis = s
            .genesis
            .expect("a scan from the start reads the definition");
        store.head = s.head;
        Ok(Opened {
            store,
            genesis,
            events: s.events,
            migrated_from,
        })
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn station(&self) -> &str {
        &self.station
    }

    /// Name the station that writes through this connection (a paired station's own name).
    pub fn set_station(&mut self, station: &str) {
        self.station = station.to_string();
    }

    /// Sequence number and hash of the last event this connection checked.
    pub fn head(&self) -> (u64, &str) {
        (self.head.seq, &self.head.hash)
    }

    /// The head as people write it down: `#1234 3F2A-9C1B-77D0-E4A5`.
    pub fn head_text(&self) -> String {
        head_text(self.head.seq, &self.head.hash)
    }

    /// Time of the last event this connection checked.
    pub fn head_at(&self) -> Option<Ts> {
        self.head.at
    }

    /// Time of the first entry: when the database was made.
    pub fn genesis_at(&self) -> Result<Option<Ts>> {
        let at: Option<String> = self
            .conn
            .query_row("SELECT at FROM events WHERE seq = 1", [], |r| r.get(0))
            .optional()?;
        Ok(at.and_then(|a| chrono::DateTime::parse_from_rfc3339(&a).ok()))
    }

    /// Changes when any other connection commits (cheap: no table read).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Actions others committed since this connection last looked, checked link by link from
    /// the last entry it knows (which must still be there, unchanged).
    pub fn read_new(&mut self) -> Result<Vec<Recorded>> {
        let head = self.head.clone();
        let scanned = snapshot(&self.conn, |c| {
            Ok(match scan_after(c, &head)? {
                Err(b) => Err(b),
                Ok(s) => match check_meta(c, &s.head)? {
                    Some(b) => Err(b),
                    None => Ok(s),
                },
            })
        })?;
        let s = scanned.map_err(|b| self.broken(b))?;
        self.head = s.head;
        Ok(s.events)
    }

    /// Start the one write transaction of an operator action (`BEGIN IMMEDIATE`: the write
    /// lock is taken up front, so the checks that follow see the final state of the log).
    /// Returns the writer and the actions others committed since this connection last looked,
    /// checked as by [`Store::read_new`]: nothing is ever appended to a broken chain.
    pub fn begin(&mut self) -> Result<(Writer<'_>, Vec<Recorded>)> {
        let path = self.path.display().to_string();
        let broken = |b: Break| StoreError::Broken {
            path: path.clone(),
            seq: b.seq,
            why: b.why,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let s = scan_after(&tx, &self.head)?.map_err(broken)?;
        if let Some(b) = check_meta(&tx, &s.head)? {
            return Err(broken(b));
        }
        // What others committed is on disk whatever becomes of this transaction.
        self.head = s.head.clone();
        Ok((
            Writer {
                tx,
                head: s.head,
                station: &self.station,
                known: &mut self.head,
            },
            s.events,
        ))
    }

    /// The chain hash of event `seq` (printed on the paper minutes at each announcement).
    pub fn hash_of(&self, seq: u64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT hash FROM events WHERE seq = ?1",
                params![seq as i64],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The chain head at event `seq`, as written down: `#57 3F2A-9C1B-77D0-E4A5`.
    pub fn head_text_of(&self, seq: u64) -> Option<String> {
        self.hash_of(seq).ok().flatten().map(|h| head_text(seq, &h))
    }

    /// A station's secret key (hex), kept out of the log and out of every export.
    pub fn station_key(&self, station: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT key FROM station_keys WHERE station = ?1",
                params![station],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Remember where the operator was (screen, selection): not part of the record.
    pub fn save_ui(&self, value: &str) -> Result<()> {
        self.save_setting("console", value)
    }

    pub fn load_ui(&self) -> Result<Option<String>> {
        self.load_setting("console")
    }

    /// A display setting shared between terminals (e.g. whether the projector shows live
    /// results). Settings are not part of the record and not hash-chained.
    pub fn save_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO ui(key, value) VALUES(?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn load_setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM ui WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()?)
    }
}

/// What others committed after `head`, checked: the last entry is read first (one indexed
/// query); only when it is not `head` itself are the entry `head` names and every newer one
/// read and checked link by link. A log whose last entry went below `head` was cut.
fn scan_after(
    conn: &Connection,
    head: &Head,
) -> rusqlite::Result<std::result::Result<Scan, Break>> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((seq, hash)) = &last
        && *seq as u64 == head.seq
        && *hash == head.hash
    {
        return Ok(Ok(Scan {
            genesis: None,
            events: Vec::new(),
            head: head.clone(),
        }));
    }
    if let Some(b) = check_known(conn, head)? {
        return Ok(Err(b));
    }
    scan(conn, head)
}

/// An open write transaction. Dropping it without `commit` rolls everything back.
pub struct Writer<'a> {
    tx: Transaction<'a>,
    head: Head,
    station: &'a str,
    known: &'a mut Head,
}

impl Writer<'_> {
    /// Sequence number of the last event in the log.
    pub fn last_seq(&self) -> u64 {
        self.head.seq
    }

    /// Time of the last event in the log.
    pub fn last_at(&self) -> Option<Ts> {
        self.head.at
    }

    /// Hash of the last event in the log (the one just appended, after `append`).
    pub fn last_hash(&self) -> &str {
        &self.head.hash
    }

    /// Append `action` to the chain; returns its sequence number.
    pub fn append(&mut self, at: Ts, action: &Action) -> Result<u64> {
        let payload = serde_json::to_string(action).expect("actions serialize");
        let at_text = ts_text(&at);
        let (seq, hash) = insert_event(
            &self.tx,
            self.head.seq,
            &self.head.hash,
            &at_text,
            self.station,
            &payload,
        )?;
        self.head = Head {
            seq,
            hash,
            at: chrono::DateTime::parse_from_rfc3339(&at_text).ok(),
        };
        Ok(seq)
    }

    /// The transaction, for projection writes.
    pub fn tx(&self) -> &Transaction<'_> {
        &self.tx
    }

    /// COMMIT. Only after this returns may the screen say the action happened.
    pub fn commit(self) -> Result<(u64, String)> {
        self.tx.commit()?;
        let out = (self.head.seq, self.head.hash.clone());
        *self.known = self.head;
        Ok(out)
    }
}

fn insert_event(
    tx: &Transaction<'_>,
    prev_seq: u64,
    prev_hash: &str,
    at: &str,
    station: &str,
    payload: &str,
) -> Result<(u64, String)> {
    let seq = prev_seq + 1;
    let hash = event_hash(seq, prev_hash, at, station, payload);
    tx.prepare_cached(
        "INSERT INTO events(seq, at, station, payload, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![seq as i64, at, station, payload, prev_hash, hash])?;
    tx.prepare_cached(
        "INSERT INTO meta(key, value) VALUES('head', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![format!("{seq}:{hash}")])?;
    Ok((seq, hash))
}

#[cfg(test)]
mod tests;
