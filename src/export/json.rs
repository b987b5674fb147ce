//! `huiwu export --format json`: the whole session as one JSON document. The keys are a
//! contract other tools rely on (documented in the README); add keys, never rename them.

use serde::Serialize;

use crate::domain::describe::{LogLine, describe};
use crate::domain::quorum::Presence;
use crate::domain::session::{AgendaItemDef, Deputy, SessionMeta};
use crate::engine::Engine;
use crate::i18n::Lang;
use crate::store::ts_text;

#[derive(Serialize)]
pub struct Export<'a> {
    /// `huiwu-export/1`
    pub format: &'static str,
    pub exported_at: String,
    pub source: &'a str,
    pub fingerprint: &'a str,
    pub chain_head: ChainHead,
    pub session: &'a SessionMeta,
    pub attendance: AttendanceOut,
    pub deputies: Vec<DeputyOut<'a>>,
    pub agenda: Vec<ItemOut<'a>>,
    pub ballots: Vec<super::ballots::BallotOut>,
    pub selections: Vec<super::ballots::SelectionOut>,
    pub questions: Vec<super::questions::QuestionOut>,
    pub commitments: Vec<super::questions::CommitmentOut>,
    /// The livelihood projects carried into this session (absent when none were).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projects: Option<super::projects::ProjectsOut>,
    pub events: Vec<EventOut<'a>>,
}

#[derive(Serialize)]
pub struct ChainHead {
    pub seq: u64,
    pub hash: String,
    /// The first 64 bits in groups of four, as read aloud: `3F2A-9C1B-77D0-E4A5`.
    pub short: String,
    /// As written down and checked with `verify --head`: `#1234 3F2A-9C1B-77D0-E4A5`.
    pub text: String,
}

#[derive(Serialize)]
pub struct AttendanceOut {
    pub total: u32,
    pub present: u32,
    pub leave: u32,
    pub absent: u32,
    pub unmarked: u32,
    pub quorum_rule: crate::domain::session::QuorumRule,
    pub quorum_met: bool,
    pub sentence_zh: String,
    pub sentence_en: String,
}

#[derive(Serialize)]
pub struct DeputyOut<'a> {
    #[serde(flatten)]
    pub deputy: &'a Deputy,
    pub status: Presence,
}

pub use super::questions::{NoteOut, SegmentOut};

#[derive(Serialize)]
pub struct ItemOut<'a> {
    pub id: &'a str,
    pub kind: crate::domain::session::ItemKind,
    pub title: &'a str,
    pub presenter: Option<&'a str>,
    pub post: Option<&'a str>,
    pub planned_minutes: u32,
    pub mode: Option<crate::domain::session::ReportMode>,
    pub status: crate::domain::state::ItemStatus,
    pub started: Option<String>,
    pub ended: Option<String>,
    pub elapsed_seconds: i64,
    pub overrun_seconds: i64,
    pub segments: Vec<SegmentOut>,
    pub notes: Vec<NoteOut<'a>>,
    pub reasons: &'a [String],
    /// The item's definition as in the session file (ballot, questions, …).
    pub definition: &'a AgendaItemDef,
}

#[derive(Serialize)]
pub struct EventOut<'a> {
    /// The entry number; none for a ballot's papers, folded into one line per counting stretch,
    /// nor for what was recorded while they were keyed (shown with the counting period).
    pub seq: Option<u64>,
    pub at: String,
    /// For folded papers: when the stretch ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    pub station: &'a str,
    pub action: serde_json::Value,
    pub text_zh: String,
}

/// Build the export document for the session as it stands.
pub fn build(engine: &Engine) -> Export<'_> {
    let st = engine.state();
    let def = &st.def;
    let now = engine.now();
    let (seq, hash) = engine.store().head();
    let rule = def.session.quorum;
    Export {
        format: "huiwu-export/1",
        exported_at: ts_text(&now),
        source: &engine.genesis().source,
        fingerprint: &engine.genesis().fingerprint,
        chain_head: ChainHead {
            seq,
            hash: hash.to_string(),
            short: crate::store::head_short(hash),
            text: crate::store::head_text(seq, hash),
        },
        session: &def.session,
        attendance: AttendanceOut {
            total: st.attendance.total,
            present: st.attendance.present,
            leave: st.attendance.leave,
            absent: st.attendance.absent,
            unmarked: st.attendance.unmarked,
            quorum_rule: rule,
            quorum_met: st.attendance.quorum_met(rule),
            sentence_zh: st.attendance.sentence(rule, Lang::Zh),
            sentence_en: st.attendance.sentence(rule, Lang::En),
        },
        deputies: def
            .deputies
            .iter()
            .zip(&st.presence)
            .map(|(d, p)| DeputyOut {
                deputy: d,
                status: *p,
            })
            .collect(),
        agenda: def
            .agenda
            .iter()
            .zip(&st.items)
            .map(|(d, it)| {
                let elapsed = it.elapsed_secs(now);
                ItemOut {
                    id: &d.id,
                    kind: d.kind,
                    title: &d.title,
                    presenter: d.presenter.as_deref(),
                    post: d.post.as_deref(),
                    planned_minutes: d.minutes,
                    mode: d.mode,
                    status: it.status,
                    started: it.started().map(|t| ts_text(&t)),
                    ended: it.ended().map(|t| ts_text(&t)),
                    elapsed_seconds: elapsed,
                    overrun_seconds: (elapsed - i64::from(d.minutes) * 60).max(0),
                    segments: it
                        .segments
                        .iter()
                        .map(|s| SegmentOut {
                            start: ts_text(&s.start),
                            end: s.end.as_ref().map(ts_text),
                        })
                        .collect(),
                    notes: it
                        .notes
                        .iter()
                        .map(|n| NoteOut {
                            seq: n.seq,
                            at: ts_text(&n.at),
                            text: n.text.as_str().into(),
                        })
                        .collect(),
                    reasons: &it.reasons,
                    definition: d,
                }
            })
            .collect(),
        ballots: super::ballots::ballots(engine),
        selections: super::ballots::selections(engine),
        questions: super::questions::questions(engine),
        commitments: super::questions::commitments(engine),
        projects: super::projects::projects(engine),
        events: crate::domain::describe::public_log(engine.log())
            .into_iter()
            .map(|line| match line {
                LogLine::One(e) => EventOut {
                    seq: Some(e.seq),
                    at: ts_text(&e.at),
                    until: None,
                    station: &e.station,
                    action: serde_json::to_value(&e.action).unwrap_or_default(),
                    text_zh: describe(&e.action, def, Lang::Zh),
                },
                LogLine::During(e, from, to) => EventOut {
                    seq: None,
                    at: ts_text(&from),
                    until: Some(ts_text(&to)),
                    station: &e.station,
                    action: serde_json::to_value(&e.action).unwrap_or_default(),
                    text_zh: format!("(计票期间){}", describe(&e.action, def, Lang::Zh)),
                },
                LogLine::Papers(run) => EventOut {
                    seq: None,
                    at: ts_text(&run.from),
                    until: Some(ts_text(&run.to)),
                    station: "",
                    action: serde_json::json!({
                        "action": "papers",
                        "ballot": run.ballot,
                        "papers": run.papers(),
                        "entries": run.entries.len(),
                    }),
                    text_zh: run.describe(def, Lang::Zh),
                },
            })
            .collect(),
    }
}

pub fn to_string(engine: &Engine) -> String {
    serde_json::to_string_pretty(&build(engine)).expect("export serializes")
}
