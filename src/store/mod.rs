//! SQLite storage: an append-only, hash-chained event log (the source of truth) with
//! projections for reads, written in one `BEGIN IMMEDIATE` transaction per operator action.

mod chain;
mod schema;

use std::path::Path;
use std::time::Duration;

use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use serde::{Deserialize, Serialize};

use crate::domain::action::{Action, Ts};
use crate::domain::session::SessionDef;
use crate::i18n::Text;
use crate::text;

pub use chain::{GENESIS_PREV, VerifyReport, event_hash, sha256_hex, verify};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};

/// What can go wrong opening or writing the database. Every variant is shown to the user.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Refused(Text),
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("corrupt event {seq}: {why}")]
    Corrupt { seq: u64, why: String },
}

impl StoreError {
    pub fn text(&self) -> Text {
        match self {
            StoreError::Refused(t) => t.clone(),
            StoreError::Sql(e) => text!(format!("数据库错误:{e}"), format!("database error: {e}")),
            StoreError::Corrupt { seq, why } => text!(
                format!("事件 {seq} 已损坏:{why}"),
                format!("event {seq} is corrupt: {why}")
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

/// One recorded action as read back from the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub seq: u64,
    pub at: Ts,
    pub station: String,
    pub action: Action,
}

/// An open huiwu database.
pub struct Store {
    conn: Connection,
    station: String,
    /// Sequence and hash of the last event this connection knows of.
    head_seq: u64,
    head_hash: String,
}

/// Timestamps are stored as RFC 3339 with milliseconds; the stored text is what is hashed.
pub fn ts_text(at: &Ts) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
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
            station: station.to_string(),
            head_seq: 0,
            head_hash: GENESIS_PREV.to_string(),
        };
        let genesis =
            serde_json::to_string(&Genesis::new(def, source)).expect("genesis serializes");
        let tx = store
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        schema::migrate(&tx)?;
        let (seq, hash) = insert_event(&tx, 0, GENESIS_PREV, &ts_text(&at), station, &genesis)?;
        tx.commit()?;
        store.head_seq = seq;
        store.head_hash = hash;
        Ok(store)
    }

    /// Open an existing huiwu database read-write. Refuses non-huiwu files and newer schemas
    /// without touching them.
    pub fn open(path: &Path, station: &str) -> Result<(Store, Genesis)> {
        Self::open_with(path, station, false)
    }

    /// Open for reading only (projector, export, verify): never writes, not even a migration.
    pub fn open_readonly(path: &Path) -> Result<(Store, Genesis)> {
        Self::open_with(path, "reader", true)
    }

    fn open_with(path: &Path, station: &str, readonly: bool) -> Result<(Store, Genesis)> {
        if !path.exists() {
            return Err(StoreError::Refused(text!(
                format!("数据库 {} 不存在", path.display()),
                format!("database {} does not exist", path.display())
            )));
        }
        // Inspect read-only first, so a foreign or newer file is never modified.
        {
            let probe = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            schema::check_identity(&probe, path)?;
        }
        let flags = if readonly {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        };
        let conn = Connection::open_with_flags(path, flags)?;
        if readonly {
            conn.busy_timeout(Duration::from_secs(10))?;
        } else {
            Self::configure(&conn)?;
            let tx = conn.unchecked_transaction()?;
            schema::migrate(&tx)?;
            tx.commit()?;
        }
        let genesis_text: String = conn
            .query_row("SELECT payload FROM events WHERE seq = 1", [], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::Corrupt {
                seq: 1,
                why: "the first event (session definition) is missing".into(),
            })?;
        let genesis: Genesis =
            serde_json::from_str(&genesis_text).map_err(|e| StoreError::Corrupt {
                seq: 1,
                why: format!("session definition unreadable: {e}"),
            })?;
        let (head_seq, head_hash) = conn.query_row(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?)),
        )?;
        Ok((
            Store {
                conn,
                station: station.to_string(),
                head_seq,
                head_hash,
            },
            genesis,
        ))
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn station(&self) -> &str {
        &self.station
    }

    /// Sequence number and hash of the last event known to this connection.
    pub fn head(&self) -> (u64, &str) {
        (self.head_seq, &self.head_hash)
    }

    /// Changes when any other connection commits (cheap: no table read).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Actions recorded after `after` (seq), in order.
    pub fn events_after(&self, after: u64) -> Result<Vec<Recorded>> {
        read_events(&self.conn, after)
    }

    /// Start the one write transaction of an operator action (`BEGIN IMMEDIATE`: the write
    /// lock is taken up front, so the checks that follow see the final state of the log).
    pub fn begin(&mut self) -> Result<Writer<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (seq, hash): (i64, String) = tx.query_row(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Writer {
            tx,
            seq: seq as u64,
            hash,
            station: &self.station,
            known: (&mut self.head_seq, &mut self.head_hash),
        })
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

/// An open write transaction. Dropping it without `commit` rolls everything back.
pub struct Writer<'a> {
    tx: Transaction<'a>,
    seq: u64,
    hash: String,
    station: &'a str,
    known: (&'a mut u64, &'a mut String),
}

impl Writer<'_> {
    /// Sequence number of the last event in the log (others may have written since we read).
    pub fn last_seq(&self) -> u64 {
        self.seq
    }

    /// Events after `after`, for catching up with other writers before checking an action.
    pub fn events_after(&self, after: u64) -> Result<Vec<Recorded>> {
        read_events(&self.tx, after)
    }

    /// Append `action` to the chain; returns its sequence number.
    pub fn append(&mut self, at: Ts, action: &Action) -> Result<u64> {
        let payload = serde_json::to_string(action).expect("actions serialize");
        let (seq, hash) = insert_event(
            &self.tx,
            self.seq,
            &self.hash,
            &ts_text(&at),
            self.station,
            &payload,
        )?;
        self.seq = seq;
        self.hash = hash;
        Ok(seq)
    }

    /// The transaction, for projection writes.
    pub fn tx(&self) -> &Transaction<'_> {
        &self.tx
    }

    /// COMMIT. Only after this returns may the screen say the action happened.
    pub fn commit(self) -> Result<u64> {
        self.tx.commit()?;
        *self.known.0 = self.seq;
        *self.known.1 = self.hash;
        Ok(self.seq)
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
    tx.execute(
        "INSERT INTO events(seq, at, station, payload, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![seq as i64, at, station, payload, prev_hash, hash],
    )?;
    tx.execute(
        "INSERT INTO meta(key, value) VALUES('head', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![format!("{seq}:{hash}")],
    )?;
    Ok((seq, hash))
}

fn read_events(conn: &Connection, after: u64) -> Result<Vec<Recorded>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, station, payload FROM events WHERE seq > ?1 AND seq > 1 ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![after as i64], |r| {
        Ok((
            r.get::<_, i64>(0)? as u64,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, at, station, payload) = row?;
        let at = chrono::DateTime::parse_from_rfc3339(&at).map_err(|e| StoreError::Corrupt {
            seq,
            why: format!("bad time {at:?}: {e}"),
        })?;
        let action = serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt {
            seq,
            why: format!("unreadable action: {e}"),
        })?;
        out.push(Recorded {
            seq,
            at,
            station,
            action,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
