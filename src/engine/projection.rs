//! Projection tables: the current state in plain rows, for readers that do not replay the log.
//! Written in the same transaction as the event that changes them.

use rusqlite::{Transaction, params};

use crate::domain::action::Action;
use crate::domain::quorum::Presence;
use crate::domain::state::{ItemStatus, SessionState};
use crate::store::{Result, ts_text};

fn presence_name(p: Presence) -> &'static str {
    match p {
        Presence::Unmarked => "unmarked",
        Presence::Present => "present",
        Presence::Leave => "leave",
        Presence::Absent => "absent",
    }
}

pub fn status_name(s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::Pending => "pending",
        ItemStatus::Running => "running",
        ItemStatus::Done => "done",
        ItemStatus::Skipped => "skipped",
    }
}

fn upsert_attendance(tx: &Transaction<'_>, deputy: &str, p: Presence, seq: u64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO attendance(deputy, status, seq) VALUES (?1, ?2, ?3)
         ON CONFLICT(deputy) DO UPDATE SET status = excluded.status, seq = excluded.seq",
    )?
    .execute(params![deputy, presence_name(p), seq as i64])?;
    Ok(())
}

fn upsert_item(tx: &Transaction<'_>, state: &SessionState, item: &str, seq: u64) -> Result<()> {
    let Some(i) = state.def.item_index(item) else {
        return Ok(());
    };
    let it = &state.items[i];
    tx.prepare_cached(
        "INSERT INTO agenda(item, status, started, ended, seq) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(item) DO UPDATE SET status = excluded.status, started = excluded.started,
             ended = excluded.ended, seq = excluded.seq",
    )?
    .execute(params![
        item,
        status_name(it.status),
        it.started().map(|t| ts_text(&t)),
        it.ended().map(|t| ts_text(&t)),
        seq as i64
    ])?;
    Ok(())
}

/// Write the rows `action` (already applied to `state`) changed.
pub fn write(tx: &Transaction<'_>, action: &Action, state: &SessionState, seq: u64) -> Result<()> {
    match action {
        Action::MarkAttendance { deputy, status } => upsert_attendance(tx, deputy, *status, seq),
        Action::MarkUnmarked { status } => {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO attendance(deputy, status, seq) VALUES (?1, ?2, ?3)
                 ON CONFLICT(deputy) DO UPDATE SET status = excluded.status, seq = excluded.seq
                 WHERE attendance.status = 'unmarked'",
            )?;
            for d in &state.def.deputies {
                stmt.execute(params![d.id, presence_name(*status), seq as i64])?;
            }
            Ok(())
        }
        Action::StartItem { item }
        | Action::FinishItem { item }
        | Action::SkipItem { item, .. }
        | Action::ReopenItem { item, .. } => upsert_item(tx, state, item, seq),
        Action::AddNote { .. } => Ok(()),
    }
}
