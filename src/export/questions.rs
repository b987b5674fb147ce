//! Questions and commitments in the JSON export (DESIGN.md §2.11).

use serde::Serialize;

use crate::domain::questions::{CStatus, PhaseKind, QStatus};
use crate::domain::session::RateBase;
use crate::engine::Engine;
use crate::store::ts_text;

/// A stretch of speaking time: when it started, when it ended (still running: none).
#[derive(Serialize)]
pub struct SegmentOut {
    pub start: String,
    pub end: Option<String>,
}

/// A note as exported: its entry, its time, its text.
#[derive(Serialize)]
pub struct NoteOut<'a> {
    pub seq: u64,
    pub at: String,
    pub text: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
pub struct DeputyRef {
    pub id: String,
    pub name: String,
}

#[derive(Serialize)]
pub struct PhaseOut {
    /// `ask` | `answer` | `follow_up`
    pub kind: &'static str,
    /// Follow-up number (1, 2 …), null for ask and answer.
    pub n: Option<u32>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub planned_seconds: i64,
    pub elapsed_seconds: i64,
    pub overrun_seconds: i64,
    /// Stretches of time actually run (pauses are the gaps).
    pub segments: Vec<SegmentOut>,
}

#[derive(Serialize)]
pub struct RatingOut {
    pub satisfied: u32,
    pub basically_satisfied: u32,
    pub unsatisfied: u32,
    pub abstain: u32,
    pub base: Option<u32>,
    pub rate: Option<f64>,
    pub rate_text: Option<String>,
    pub grade: Option<crate::domain::satisfaction::Grade>,
}

#[derive(Serialize)]
pub struct QuestionOut {
    pub item: String,
    pub id: String,
    /// Position in the queue, from 1.
    pub order: usize,
    pub topic: String,
    pub deputy: DeputyRef,
    pub group: Option<String>,
    pub respondent: crate::domain::session::Respondent,
    pub on_the_spot: bool,
    /// Who asked in the questioner's place when they were away.
    pub asked_by: Option<DeputyRef>,
    /// `queued` | `asking` | `answering` | `follow_up` | `done` | `withdrawn` | `deferred`
    pub status: &'static str,
    pub followups_allowed: u32,
    pub followups: u32,
    pub paused: bool,
    pub elapsed_seconds: i64,
    pub phases: Vec<PhaseOut>,
    pub notes: Vec<NoteOut<'static>>,
    pub rating: Option<RatingOut>,
    pub reasons: Vec<String>,
    pub commitments: Vec<String>,
}

#[derive(Serialize)]
pub struct HistoryOut {
    pub at: String,
    pub status: CStatus,
    pub note: String,
}

#[derive(Serialize)]
pub struct CommitmentOut {
    pub id: String,
    pub item: String,
    pub question: String,
    pub topic: String,
    pub respondent: String,
    pub text: String,
    pub unit: String,
    pub due: String,
    /// `open` | `in_progress` | `done`
    pub status: CStatus,
    /// Not done and past the due date, on the export's date.
    pub overdue: bool,
    pub carried_from: Option<String>,
    pub history: Vec<HistoryOut>,
}

fn status_name(s: QStatus) -> &'static str {
    match s {
        QStatus::Queued => "queued",
        QStatus::Asking => "asking",
        QStatus::Answering => "answering",
        QStatus::FollowUp(_) => "follow_up",
        QStatus::Done => "done",
        QStatus::Withdrawn => "withdrawn",
        QStatus::Deferred => "deferred",
    }
}

pub fn questions(engine: &Engine) -> Vec<QuestionOut> {
    let st = engine.state();
    let now = engine.now();
    let mut out = Vec::new();
    for queue in &st.queues {
        let item = &st.def.agenda[queue.item];
        for (i, q) in queue.questions.iter().enumerate() {
            let name = st
                .def
                .deputy(&q.def.deputy)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            out.push(QuestionOut {
                item: item.id.clone(),
                id: q.def.id.clone(),
                order: i + 1,
                topic: q.def.topic.clone(),
                deputy: DeputyRef {
                    id: q.def.deputy.clone(),
                    name,
                },
                group: q.def.group.clone(),
                respondent: q.def.respondent.clone(),
                on_the_spot: q.on_the_spot,
                asked_by: q.asked_by.as_ref().map(|b| DeputyRef {
                    id: b.clone(),
                    name: st.def.deputy(b).map(|d| d.name.clone()).unwrap_or_default(),
                }),
                status: status_name(q.status),
                followups_allowed: q.followups_allowed,
                followups: q.followups_done(),
                paused: q.paused,
                elapsed_seconds: q.elapsed_secs(now),
                phases: q
                    .phases
                    .iter()
                    .map(|p| PhaseOut {
                        kind: match p.kind {
                            PhaseKind::Ask => "ask",
                            PhaseKind::Answer => "answer",
                            PhaseKind::FollowUp(_) => "follow_up",
                        },
                        n: match p.kind {
                            PhaseKind::FollowUp(n) => Some(n),
                            _ => None,
                        },
                        start: p.started().as_ref().map(ts_text),
                        end: p.ended().as_ref().map(ts_text),
                        planned_seconds: p.planned_secs,
                        elapsed_seconds: p.elapsed_secs(now),
                        overrun_seconds: p.overrun_secs(now),
                        segments: p
                            .segments
                            .iter()
                            .map(|s| SegmentOut {
                                start: ts_text(&s.start),
                                end: s.end.as_ref().map(ts_text),
                            })
                            .collect(),
                    })
                    .collect(),
                notes: q
                    .notes
                    .iter()
                    .map(|n| NoteOut {
                        seq: n.seq,
                        at: ts_text(&n.at),
                        text: n.text.clone().into(),
                    })
                    .collect(),
                rating: q.rating.map(|r| {
                    let c = r.counts();
                    RatingOut {
                        satisfied: r.satisfied,
                        basically_satisfied: r.basically_satisfied,
                        unsatisfied: r.unsatisfied,
                        abstain: r.abstain,
                        base: q.rating_base,
                        rate: c
                            .rate_permille(RateBase::Ratings)
                            .map(|p| f64::from(p) / 10.0),
                        rate_text: c.rate_text(RateBase::Ratings),
                        grade: q.grade,
                    }
                }),
                reasons: q.reasons.clone(),
                commitments: st
                    .commitments
                    .iter()
                    .filter(|c| {
                        c.carried_from.is_none() && c.item == item.id && c.question == q.def.id
                    })
                    .map(|c| c.id.clone())
                    .collect(),
            });
        }
    }
    out
}

pub fn commitments(engine: &Engine) -> Vec<CommitmentOut> {
    let st = engine.state();
    let today = engine.now().date_naive();
    st.commitments
        .iter()
        .map(|c| CommitmentOut {
            id: c.id.clone(),
            item: c.item.clone(),
            question: c.question.clone(),
            topic: c.topic.clone(),
            respondent: c.respondent.clone(),
            text: c.text.clone(),
            unit: c.unit.clone(),
            due: c.due.clone(),
            status: c.status,
            overdue: c.overdue(today),
            carried_from: c.carried_from.clone(),
            history: c
                .history
                .iter()
                .map(|(at, s, n)| HistoryOut {
                    at: at.clone(),
                    status: *s,
                    note: n.clone(),
                })
                .collect(),
        })
        .collect()
}
