//! The ballots part of the JSON export: every round, evaluation and motion with its figures,
//! result, raw papers and announcement; and the final list of each ballot item.

use serde::Serialize;

use crate::domain::announce::announcement;
use crate::domain::ballot::{Outcome, VoidReason};
use crate::domain::ballots::{self, Announced, BallotState, CountKind, RoundKind};
use crate::domain::describe::ballot_label;
use crate::domain::session::{Base, Threshold};
use crate::engine::Engine;
use crate::i18n::Lang;
use crate::store::ts_text;

#[derive(Serialize)]
pub struct CandidateOut {
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub rank: u32,
    pub outcome: Outcome,
}

#[derive(Serialize)]
pub struct RatedOut {
    pub id: String,
    pub name: String,
    pub satisfied: u32,
    pub basically_satisfied: u32,
    pub unsatisfied: u32,
    pub abstain: u32,
    /// Percentage with one decimal, e.g. 87.5; null without valid ratings.
    pub rate: Option<f64>,
    pub rate_text: Option<String>,
    /// `satisfied` | `basically_satisfied` | `unsatisfied`
    pub grade: String,
}

#[derive(Serialize)]
pub struct TotalsOut {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub not_pressed: u32,
    pub passed: bool,
}

#[derive(Serialize)]
pub struct PaperOut {
    pub serial: String,
    pub marks: String,
    /// `valid` | `void_too_many` | `void_hand`
    pub verdict: &'static str,
    pub void_reason: Option<String>,
    /// Reason it no longer counts (struck or undone), if so.
    pub struck: Option<String>,
    pub corrections: Vec<String>,
    /// 1, 2, 3 … in the order the papers were keyed within this ballot. Papers carry no entry
    /// number and no time: nothing orders them among attendance events (DESIGN.md §2.9).
    pub position: usize,
}

#[derive(Serialize)]
pub struct CountingOut {
    pub from: String,
    pub to: String,
}

#[derive(Serialize)]
pub struct BallotOut {
    pub id: String,
    pub item: String,
    pub title: String,
    /// `approval` | `satisfaction` | `resolution`
    pub kind: CountKind,
    pub round: u32,
    pub round_kind: RoundKind,
    /// The first round's id, for a run-off / further round / repeat.
    pub runoff_of: Option<String>,
    pub places: u32,
    pub base_rule: Base,
    pub threshold: Threshold,
    /// The number the threshold is computed on (frozen at announcement).
    pub base: Option<u32>,
    pub issued: Option<u32>,
    pub returned: u32,
    pub returned_declared: Option<u32>,
    pub keyed: u32,
    pub valid: u32,
    pub void: u32,
    /// Returned > issued: the vote is void.
    pub vote_void: bool,
    /// `open` | `announced`
    pub status: &'static str,
    pub announced_at: Option<String>,
    pub announced_seq: Option<u64>,
    /// The chain head at the announcement: `#57 3F2A-9C1B-77D0-E4A5`.
    pub announced_head: Option<String>,
    /// When the papers were keyed: the first and the last paper's time (the counting period).
    pub counting: Option<CountingOut>,
    pub reopened: Vec<String>,
    pub unfilled: Option<u32>,
    pub scrutineers: Vec<String>,
    pub clerks: Vec<String>,
    pub candidates: Vec<CandidateOut>,
    pub items: Vec<RatedOut>,
    pub totals: Option<TotalsOut>,
    pub papers: Vec<PaperOut>,
    pub announcement_zh: Vec<String>,
    pub announcement_en: Vec<String>,
}

#[derive(Serialize)]
pub struct SelectionOut {
    pub item: String,
    pub places: u32,
    /// Candidate ids, first round's in rank order then each later round's.
    pub selected: Vec<String>,
    pub unfilled: u32,
    /// `run_off` | `further_round` when another round is due.
    pub pending: Option<crate::domain::ballot::ProposalKind>,
    pub pending_candidates: Vec<String>,
}

fn grade_name(g: crate::domain::satisfaction::Grade) -> String {
    serde_json::to_value(g)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn ballot_out(engine: &Engine, b: &BallotState) -> BallotOut {
    let st = engine.state();
    let item = &st.def.agenda[b.item];
    let (base_rule, threshold) = ballots::rule_of(item);
    let result = match &b.announced {
        Some(a) => Some(a.clone()),
        None => ballots::provisional(b, item, st.attendance.total, st.attendance.present),
    };
    let ids = crate::import::candidate_ids(item, b);
    let names = ballots::names(item, b);
    let mut out = BallotOut {
        id: b.id.clone(),
        item: item.id.clone(),
        title: ballot_label(&st.def, &b.id, Lang::Zh),
        kind: b.kind,
        round: b.round,
        round_kind: b.round_kind,
        runoff_of: (b.round > 1).then(|| item.id.clone()),
        places: b.places,
        base_rule,
        threshold,
        base: None,
        issued: b.issued,
        returned: b.returned(),
        returned_declared: b.returned_declared,
        keyed: b.keyed(),
        valid: b.valid(),
        void: b.void(),
        vote_void: b.vote_void(),
        status: if b.locked() { "announced" } else { "open" },
        announced_at: b.announced_at.as_ref().map(ts_text),
        announced_seq: b.announced_seq,
        announced_head: b.announced_seq.and_then(|s| engine.store().head_text_of(s)),
        counting: crate::domain::describe::counting_period(engine.log(), &b.id).map(|(a, z)| {
            CountingOut {
                from: ts_text(&a),
                to: ts_text(&z),
            }
        }),
        reopened: b.reopened.clone(),
        unfilled: None,
        scrutineers: b.scrutineers.clone(),
        clerks: b.clerks.clone(),
        candidates: Vec::new(),
        items: Vec::new(),
        totals: None,
        papers: b
            .papers
            .iter()
            .enumerate()
            .map(|(i, p)| PaperOut {
                serial: p.serial.clone(),
                marks: p.marks.clone(),
                verdict: match &p.void {
                    None => "valid",
                    Some(VoidReason::TooManyYes { .. }) => "void_too_many",
                    Some(VoidReason::Hand { .. }) => "void_hand",
                },
                void_reason: p.hand_void.clone(),
                struck: p.struck.clone(),
                corrections: p.corrections.clone(),
                position: i + 1,
            })
            .collect(),
        announcement_zh: Vec::new(),
        announcement_en: Vec::new(),
    };
    match result {
        Some(Announced::Approval(r)) => {
            out.base = Some(r.base);
            out.unfilled = Some(r.unfilled);
            let unit = |i: usize| {
                item.ballot
                    .as_ref()
                    .and_then(|d| d.candidates[b.candidates[i]].unit.clone())
            };
            out.candidates = r
                .candidates
                .iter()
                .map(|c| CandidateOut {
                    id: ids[c.index].clone(),
                    name: names[c.index].to_string(),
                    unit: unit(c.index),
                    yes: c.yes,
                    no: c.no,
                    abstain: c.abstain,
                    rank: c.rank,
                    outcome: c.outcome,
                })
                .collect();
        }
        Some(Announced::Satisfaction { base, items }) => {
            out.base = Some(base);
            out.items = items
                .iter()
                .map(|it| RatedOut {
                    id: ids[it.index].clone(),
                    name: names[it.index].to_string(),
                    satisfied: it.counts.satisfied,
                    basically_satisfied: it.counts.basically_satisfied,
                    unsatisfied: it.counts.unsatisfied,
                    abstain: it.counts.abstain,
                    rate: it.rate_permille.map(|p| f64::from(p) / 10.0),
                    rate_text: it.counts.rate_text(),
                    grade: grade_name(it.grade),
                })
                .collect();
        }
        Some(Announced::Resolution(r)) => {
            out.base = Some(r.base);
            out.totals = Some(TotalsOut {
                yes: r.totals.yes,
                no: r.totals.no,
                abstain: r.totals.abstain,
                not_pressed: r.totals.not_pressed,
                passed: r.passed,
            });
        }
        Some(Announced::VoidVote) | None => {}
    }
    let text = announcement(st, b);
    out.announcement_zh = text.iter().map(|t| t.zh.clone()).collect();
    out.announcement_en = text.iter().map(|t| t.en.clone()).collect();
    out
}

pub fn ballots(engine: &Engine) -> Vec<BallotOut> {
    engine
        .state()
        .ballots
        .list
        .iter()
        .map(|b| ballot_out(engine, b))
        .collect()
}

pub fn selections(engine: &Engine) -> Vec<SelectionOut> {
    let st = engine.state();
    st.def
        .agenda
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let d = item.ballot.as_ref()?;
            let f = st.ballots.final_selection(i)?;
            let id = |k: usize| {
                d.candidates
                    .get(k)
                    .map(|c| c.id.clone())
                    .unwrap_or_default()
            };
            Some(SelectionOut {
                item: item.id.clone(),
                places: f.places,
                selected: f.selected.iter().map(|&k| id(k)).collect(),
                unfilled: f.unfilled,
                pending: f.pending.as_ref().map(|p| p.kind),
                pending_candidates: f
                    .pending
                    .map(|p| p.candidates.iter().map(|&k| id(k)).collect())
                    .unwrap_or_default(),
            })
        })
        .collect()
}
