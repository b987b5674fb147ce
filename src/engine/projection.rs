//! Projection tables: the current state in plain rows, for readers that do not replay the log.
//! Written in the same transaction as the event that changes them.

use rusqlite::{Transaction, params};

use crate::domain::action::Action;
use crate::domain::ballot::VoidReason;
use crate::domain::ballots::{CountKind, Counter, PaperRecord};
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
        Action::CreateRound { .. } => match state.ballots.list.last() {
            Some(b) => upsert_ballot(tx, state, &b.id, seq),
            None => Ok(()),
        },
        Action::RecordPaper { ballot, serial, .. }
        | Action::UndoPaper { ballot, serial }
        | Action::CorrectPaper { ballot, serial, .. }
        | Action::StrikePaper { ballot, serial, .. } => {
            upsert_paper(tx, state, ballot, serial)?;
            upsert_ballot(tx, state, ballot, seq)
        }
        Action::ImportBatch { ballot, papers, .. } => {
            for p in papers {
                upsert_paper(tx, state, ballot, &p.serial)?;
            }
            upsert_ballot(tx, state, ballot, seq)
        }
        Action::RecordVote { ballot, .. } => {
            upsert_vote(tx, state, ballot, seq)?;
            upsert_ballot(tx, state, ballot, seq)
        }
        Action::SetStaff { ballot, .. }
        | Action::SetIssued { ballot, .. }
        | Action::SetReturned { ballot, .. }
        | Action::AnnounceBallot { ballot }
        | Action::ReopenBallot { ballot, .. } => upsert_ballot(tx, state, ballot, seq),
        Action::CallQuestion { item, .. }
        | Action::StartAnswer { item, .. }
        | Action::StartFollowUp { item, .. }
        | Action::FinishQuestion { item, .. }
        | Action::PauseQuestion { item, .. }
        | Action::ResumeQuestion { item, .. }
        | Action::WithdrawQuestion { item, .. }
        | Action::DeferQuestion { item, .. }
        | Action::RestoreQuestion { item, .. }
        | Action::MoveQuestion { item, .. }
        | Action::AddQuestion { item, .. } => write_queue(tx, state, item, seq),
        Action::AnswerNote { .. } | Action::RateAnswer { .. } => Ok(()),
        Action::AddCommitment { .. }
        | Action::UpdateCommitment { .. }
        | Action::CarryCommitments { .. } => write_commitments(tx, state, seq),
    }
}

/// Rewrite a queue's rows (a queue has a handful of questions; order may have changed).
fn write_queue(tx: &Transaction<'_>, state: &SessionState, item: &str, seq: u64) -> Result<()> {
    let Some(i) = state.def.item_index(item) else {
        return Ok(());
    };
    let Some(q) = state.queues.iter().find(|q| q.item == i) else {
        return Ok(());
    };
    tx.execute("DELETE FROM questions WHERE item = ?1", params![item])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO questions(item, id, position, topic, deputy, status, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (pos, qs) in q.questions.iter().enumerate() {
        let status = serde_json::to_value(qs.status)
            .ok()
            .and_then(|v| v.get("state").and_then(|s| s.as_str()).map(str::to_string))
            .unwrap_or_default();
        stmt.execute(params![
            item,
            qs.def.id,
            pos as i64,
            qs.def.topic,
            qs.def.deputy,
            status,
            seq as i64
        ])?;
    }
    Ok(())
}

fn write_commitments(tx: &Transaction<'_>, state: &SessionState, seq: u64) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO commitments(id, item, question, text, unit, due, status, carried_from, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, seq = excluded.seq",
    )?;
    for c in &state.commitments {
        stmt.execute(params![
            c.id,
            c.item,
            c.question,
            c.text,
            c.unit,
            c.due,
            json_name(&c.status),
            c.carried_from,
            seq as i64
        ])?;
    }
    Ok(())
}

pub fn verdict_name(p: &PaperRecord) -> &'static str {
    match &p.void {
        None => "valid",
        Some(VoidReason::TooManyYes { .. }) => "void_too_many",
        Some(VoidReason::Hand { .. }) => "void_hand",
    }
}

fn json_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn upsert_ballot(tx: &Transaction<'_>, state: &SessionState, id: &str, seq: u64) -> Result<()> {
    let Some(b) = state.ballots.get(id) else {
        return Ok(());
    };
    let item = &state.def.agenda[b.item];
    let ids: Vec<&str> = match b.kind {
        CountKind::Approval => item
            .ballot
            .as_ref()
            .map(|d| {
                b.candidates
                    .iter()
                    .map(|&i| d.candidates[i].id.as_str())
                    .collect()
            })
            .unwrap_or_default(),
        CountKind::Satisfaction => item
            .satisfaction
            .as_ref()
            .map(|d| {
                b.candidates
                    .iter()
                    .map(|&i| d.items[i].id.as_str())
                    .collect()
            })
            .unwrap_or_default(),
        CountKind::Resolution => Vec::new(),
    };
    tx.prepare_cached(
        "INSERT INTO ballots(id, item, kind, round, round_kind, candidates, places, issued,
             returned_declared, status, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(id) DO UPDATE SET issued = excluded.issued,
             returned_declared = excluded.returned_declared, status = excluded.status, seq = excluded.seq",
    )?
    .execute(params![
        b.id,
        item.id,
        json_name(&b.kind),
        b.round,
        json_name(&b.round_kind),
        serde_json::to_string(&ids).unwrap_or_default(),
        b.places,
        b.issued,
        b.returned_declared,
        json_name(&b.status),
        seq as i64
    ])?;
    Ok(())
}

fn upsert_paper(
    tx: &Transaction<'_>,
    state: &SessionState,
    ballot: &str,
    serial: &str,
) -> Result<()> {
    let Some(p) = state.ballots.get(ballot).and_then(|b| b.paper(serial)) else {
        return Ok(());
    };
    tx.prepare_cached(
        "INSERT INTO papers(ballot, serial, marks, void_reason, verdict, struck, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(ballot, serial) DO UPDATE SET marks = excluded.marks,
             void_reason = excluded.void_reason, verdict = excluded.verdict,
             struck = excluded.struck, seq = excluded.seq",
    )?
    .execute(params![
        ballot,
        p.serial,
        p.marks,
        p.hand_void,
        verdict_name(p),
        p.struck,
        p.seq as i64
    ])?;
    Ok(())
}

fn upsert_vote(tx: &Transaction<'_>, state: &SessionState, ballot: &str, seq: u64) -> Result<()> {
    let Some(Counter::Resolution(Some(t))) = state.ballots.get(ballot).map(|b| &b.counter) else {
        return Ok(());
    };
    tx.prepare_cached(
        "INSERT INTO votes(ballot, yes, no, abstain, not_pressed, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(ballot) DO UPDATE SET yes = excluded.yes, no = excluded.no,
             abstain = excluded.abstain, not_pressed = excluded.not_pressed, seq = excluded.seq",
    )?
    .execute(params![ballot, t.yes, t.no, t.abstain, t.not_pressed, seq as i64])?;
    Ok(())
}
