//! Projection tables: the current state in plain rows, for readers that do not replay the log.
//! Written in the same transaction as the event that changes them.

use rusqlite::{Connection, Transaction, params};

use crate::domain::action::Action;
use crate::domain::ballot::VoidReason;
use crate::domain::ballots::{CountKind, Counter, PaperRecord};
use crate::domain::quorum::Presence;
use crate::domain::session::SessionDef;
use crate::domain::state::{ItemStatus, SessionState};
use crate::store::{Recorded, Result, ts_text};

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

/// Write the rows `action` (already applied to `state` as entry `seq` with hash `hash`)
/// changed.
pub fn write(
    tx: &Transaction<'_>,
    action: &Action,
    state: &SessionState,
    seq: u64,
    hash: &str,
) -> Result<()> {
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
        Action::ScanSheets { ballot, sheets } => {
            // A sheet waiting for a ruling is no paper yet (upsert_paper skips it).
            for s in sheets {
                upsert_paper(tx, state, ballot, &s.serial)?;
            }
            upsert_ballot(tx, state, ballot, seq)
        }
        Action::RuleSheet { ballot, serial, .. } => {
            upsert_paper(tx, state, ballot, serial)?;
            upsert_ballot(tx, state, ballot, seq)
        }
        Action::SetAsideSheet { ballot, .. } => upsert_ballot(tx, state, ballot, seq),
        Action::ImportBatch {
            ballot,
            papers,
            batches,
            ..
        } => {
            for p in papers {
                upsert_paper(tx, state, ballot, &p.serial)?;
            }
            for b in batches {
                insert_batch(
                    tx,
                    ballot,
                    &b.station,
                    b.number,
                    "in",
                    b.papers,
                    &b.station_head,
                    seq,
                )?;
            }
            upsert_ballot(tx, state, ballot, seq)
        }
        Action::SendBatch {
            ballot,
            number,
            serials,
        } => {
            let own = state.stations.own.as_ref().map_or("", |o| o.name.as_str());
            let head = crate::store::head_text(seq, hash);
            insert_batch(
                tx,
                ballot,
                own,
                *number,
                "out",
                serials.len() as u32,
                &head,
                seq,
            )
        }
        Action::AmendSession { .. } => {
            // What the projections take from the definition follows the amended file.
            tx.execute("DELETE FROM questions", [])?;
            for q in &state.queues {
                let item = state.def.agenda[q.item].id.clone();
                write_queue(tx, state, &item, seq)?;
            }
            for b in state.ballots.list.iter().filter(|b| b.touched) {
                upsert_ballot(tx, state, &b.id, seq)?;
            }
            // A group or a deputy's name may have changed.
            if state.projects.carried.is_some() {
                write_projects(tx, state, seq)?;
            }
            Ok(())
        }
        Action::AddStation { station, key_id } => upsert_station(tx, station, key_id, false, seq),
        Action::PairStation { station, key_id } => upsert_station(tx, station, key_id, true, seq),
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
        Action::CarryProjects { .. } => {
            // The evaluation that rates them took its items from the carry.
            for b in state.ballots.list.iter().filter(|b| b.touched) {
                upsert_ballot(tx, state, &b.id, seq)?;
            }
            write_projects(tx, state, seq)
        }
        Action::SetProjectStatus { .. }
        | Action::AddProjectNote { .. }
        | Action::AssignGroup { .. } => write_projects(tx, state, seq),
    }
}

/// Rewrite the projects' rows (ten or twenty of them) with their group, status and notes.
fn write_projects(tx: &Transaction<'_>, state: &SessionState, seq: u64) -> Result<()> {
    tx.execute("DELETE FROM projects", [])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO projects(id, position, name, unit, rank, yes, supervision, status, notes, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for (pos, p) in state.projects.list.iter().enumerate() {
        let group = state
            .project_group(p)
            .map(|g| g.describe(crate::i18n::Lang::Zh));
        let notes = serde_json::to_string(
            &p.notes
                .iter()
                .map(|n| (crate::store::ts_text(&n.at), n.text.as_str()))
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default();
        stmt.execute(params![
            p.project.id,
            pos as i64,
            p.project.name,
            p.project.unit,
            p.project.rank,
            p.project.yes,
            group,
            p.status.zh(),
            notes,
            seq as i64
        ])?;
    }
    Ok(())
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
             returned_declared, status, seq, scrutineers, clerks, keyed, valid, void, announced_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
         ON CONFLICT(id) DO UPDATE SET issued = excluded.issued,
             returned_declared = excluded.returned_declared, status = excluded.status,
             seq = excluded.seq, scrutineers = excluded.scrutineers, clerks = excluded.clerks,
             keyed = excluded.keyed, valid = excluded.valid, void = excluded.void,
             announced_seq = excluded.announced_seq",
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
        seq as i64,
        serde_json::to_string(&b.scrutineers).unwrap_or_default(),
        serde_json::to_string(&b.clerks).unwrap_or_default(),
        b.keyed(),
        b.valid(),
        b.void(),
        b.announced_seq.map(|s| s as i64),
    ])?;
    Ok(())
}

fn upsert_station(
    tx: &Transaction<'_>,
    station: &str,
    key_id: &str,
    own: bool,
    seq: u64,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO stations(station, key_id, own, seq) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(station) DO UPDATE SET key_id = excluded.key_id, own = excluded.own,
             seq = excluded.seq",
    )?
    .execute(params![station, key_id, own as i64, seq as i64])?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn insert_batch(
    tx: &Transaction<'_>,
    ballot: &str,
    station: &str,
    number: u32,
    direction: &str,
    papers: u32,
    station_head: &str,
    seq: u64,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO batches(ballot, station, number, direction, papers, station_head, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        ballot,
        station,
        number,
        direction,
        papers,
        station_head,
        seq as i64
    ])?;
    Ok(())
}

/// Every projection table, filled from the log as `write` fills it entry by entry. `verify`
/// does this in memory and compares; a migration does it in the file.
pub fn rebuild(tx: &Transaction<'_>, def: &SessionDef, log: &[Recorded]) -> Result<()> {
    for (t, _) in crate::store::PROJECTION_TABLES {
        tx.execute(&format!("DELETE FROM {t}"), [])?;
    }
    let mut state = SessionState::new(def.clone());
    for ev in log {
        // Entries were checked against the rules when the log was read.
        if state.apply(ev.seq, &ev.action, ev.at).is_ok() {
            write(tx, &ev.action, &state, ev.seq, &ev.hash)?;
        }
    }
    Ok(())
}

/// The projection tables as the log says they should be, in a database in memory.
pub fn rebuild_memory(def: &SessionDef, log: &[Recorded]) -> Result<Connection> {
    let mut mem = Connection::open_in_memory()?;
    let tx = mem.transaction()?;
    crate::store::create_schema(&tx)?;
    rebuild(&tx, def, log)?;
    tx.commit()?;
    Ok(mem)
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
