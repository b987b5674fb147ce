//! Schema, versioned migrations, and the checks that keep foreign or newer files untouched.

use std::path::Path;

use rusqlite::Connection;

use super::{Result, StoreError};
use crate::text;

/// `PRAGMA application_id`: "hiwu" — marks a file as a huiwu database.
pub const APPLICATION_ID: i64 = 0x6869_7775;
/// `PRAGMA user_version`: the schema this build writes.
pub const SCHEMA_VERSION: i64 = 3;

/// Migrations in order; entry `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // v1
    "
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    -- The record: append-only, hash-chained. seq 1 holds the session definition.
    CREATE TABLE events (
        seq     INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        station TEXT NOT NULL,
        payload TEXT NOT NULL,
        prev    TEXT NOT NULL,
        hash    TEXT NOT NULL
    );
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    -- Projections for readers (projector, exports, other tools); rebuilt from events by verify.
    CREATE TABLE attendance (deputy TEXT PRIMARY KEY, status TEXT NOT NULL, seq INTEGER NOT NULL);
    CREATE TABLE agenda (
        item    TEXT PRIMARY KEY,
        status  TEXT NOT NULL,
        started TEXT,
        ended   TEXT,
        seq     INTEGER NOT NULL
    );
    -- One row per ballot round / evaluation / resolution motion.
    CREATE TABLE ballots (
        id         TEXT PRIMARY KEY,
        item       TEXT NOT NULL,
        kind       TEXT NOT NULL,
        round      INTEGER NOT NULL,
        round_kind TEXT NOT NULL,
        candidates TEXT NOT NULL,   -- JSON array of candidate ids, in paper order
        places     INTEGER NOT NULL,
        issued     INTEGER,
        returned_declared INTEGER,
        status     TEXT NOT NULL,
        seq        INTEGER NOT NULL
    );
    -- Raw papers: marks only, never a deputy (DESIGN.md §2.9).
    CREATE TABLE papers (
        ballot      TEXT NOT NULL,
        serial      TEXT NOT NULL,
        marks       TEXT NOT NULL,
        void_reason TEXT,
        verdict     TEXT NOT NULL,  -- valid | void_too_many | void_hand
        struck      TEXT,           -- reason, when no longer counted
        seq         INTEGER NOT NULL,
        PRIMARY KEY (ballot, serial)
    );
    CREATE TABLE votes (
        ballot      TEXT PRIMARY KEY,
        yes         INTEGER NOT NULL,
        no          INTEGER NOT NULL,
        abstain     INTEGER NOT NULL,
        not_pressed INTEGER NOT NULL,
        seq         INTEGER NOT NULL
    );
    -- Questions of each questioning item, in queue order.
    CREATE TABLE questions (
        item     TEXT NOT NULL,
        id       TEXT NOT NULL,
        position INTEGER NOT NULL,
        topic    TEXT NOT NULL,
        deputy   TEXT NOT NULL,
        status   TEXT NOT NULL,
        seq      INTEGER NOT NULL,
        PRIMARY KEY (item, id)
    );
    CREATE TABLE commitments (
        id        TEXT PRIMARY KEY,
        item      TEXT NOT NULL,
        question  TEXT NOT NULL,
        text      TEXT NOT NULL,
        unit      TEXT NOT NULL,
        due       TEXT NOT NULL,
        status    TEXT NOT NULL,
        carried_from TEXT,
        seq       INTEGER NOT NULL
    );
    -- Where the operator was; not part of the record.
    CREATE TABLE ui (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    ",
    // v2: the whole ballot for readers (staff, papers counted), the counting stations and
    // their batches; the stations' secret keys beside the log, never in it.
    "
    ALTER TABLE ballots ADD COLUMN scrutineers TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE ballots ADD COLUMN clerks TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE ballots ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE ballots ADD COLUMN valid INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE ballots ADD COLUMN void INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE ballots ADD COLUMN announced_seq INTEGER;
    -- Stations this database knows: own = 1 for the station this database is.
    CREATE TABLE stations (
        station TEXT PRIMARY KEY,
        key_id  TEXT NOT NULL,
        own     INTEGER NOT NULL,
        seq     INTEGER NOT NULL
    );
    -- The key of each station (hex). Secret: not in the log (which holds its key_id), not
    -- exported. verify checks each key against its key_id.
    CREATE TABLE station_keys (station TEXT PRIMARY KEY, key TEXT NOT NULL);
    -- Batches sent (out, at a station) and received (in, at the main console).
    CREATE TABLE batches (
        ballot       TEXT NOT NULL,
        station      TEXT NOT NULL,
        number       INTEGER NOT NULL,
        direction    TEXT NOT NULL,
        papers       INTEGER NOT NULL,
        station_head TEXT NOT NULL,
        seq          INTEGER NOT NULL,
        PRIMARY KEY (ballot, station, number, direction)
    );
    ",
    // v3: the livelihood projects carried from the session that selected them, with their
    // supervision group, status and dated progress notes (a JSON list of [time, text]).
    "
    CREATE TABLE projects (
        id          TEXT PRIMARY KEY,
        position    INTEGER NOT NULL,
        name        TEXT NOT NULL,
        unit        TEXT,
        rank        INTEGER NOT NULL,
        yes         INTEGER NOT NULL,
        supervision TEXT,
        status      TEXT NOT NULL,
        notes       TEXT NOT NULL,
        seq         INTEGER NOT NULL
    );
    ",
];

/// The projection tables, each with the columns that order its rows: `verify` rebuilds every
/// one of them from the log and compares them row by row.
pub const PROJECTION_TABLES: &[(&str, &str)] = &[
    ("attendance", "deputy"),
    ("agenda", "item"),
    ("ballots", "id"),
    ("papers", "ballot, serial"),
    ("votes", "ballot"),
    ("questions", "item, id"),
    ("commitments", "id"),
    ("stations", "station"),
    ("batches", "ballot, station, number, direction"),
    ("projects", "id"),
];

fn refused(zh: String, en: String) -> StoreError {
    StoreError::Refused(text!(zh, en))
}

/// Refuse anything that is not a huiwu database this build can read; its schema version.
pub fn check_identity(conn: &Connection, path: &Path) -> Result<i64> {
    let p = path.display();
    let not_ours = || {
        refused(
            format!("{p} 不是 huiwu 数据库,未作任何改动"),
            format!("{p} is not a huiwu database; it was left untouched"),
        )
    };
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|_| not_ours())?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|_| not_ours())?;
    if app != APPLICATION_ID {
        return Err(not_ours());
    }
    if version > SCHEMA_VERSION {
        return Err(refused(
            format!(
                "{p} 由更新版本的 huiwu 创建(数据库结构 v{version},本程序支持 v{SCHEMA_VERSION}),请升级程序;数据库未作改动"
            ),
            format!(
                "{p} was made by a newer huiwu (schema v{version}, this build knows v{SCHEMA_VERSION}); upgrade huiwu. The database was left untouched"
            ),
        ));
    }
    Ok(version)
}

/// Create the schema in an empty database (an in-memory rebuild for `verify`).
pub fn create_in(conn: &Connection) -> Result<()> {
    migrate(conn)
}

/// Bring the schema up to [`SCHEMA_VERSION`] inside the caller's transaction.
pub fn migrate(conn: &Connection) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version >= SCHEMA_VERSION {
        // Up to date: write nothing, so opening a database never changes it.
        return Ok(());
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        conn.execute_batch(sql)?;
        conn.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
    }
    conn.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))?;
    Ok(())
}
