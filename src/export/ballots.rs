//! The ballots part of the JSON export: every round, evaluation and motion with its figures,
//! result, raw papers and announcement; and the final list of each ballot item.

use serde::Serialize;

use crate::domain::announce::announcement;
use crate::domain::announce::roll_of;
use crate::domain::ballot::{Outcome, VoidReason};
use crate::domain::ballots::{self, Announced, BallotState, CountKind, RoundKind, Tallied};
use crate::domain::describe::ballot_label;
use crate::domain::satisfaction::{Grade, ItemCounts};
use crate::domain::session::RateBase;
use crate::domain::session::{Base, Threshold};
use crate::domain::words::{Words, outcome_words};
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
    /// Null in a void vote: nothing was ranked.
    pub rank: Option<u32>,
    /// Null in a void vote: nobody is selected, nobody fails.
    pub outcome: Option<Outcome>,
    /// The outcome in words: 当选 / 未当选 / 票数相等,待再次投票 (`Outcome::label`).
    pub outcome_zh: Option<String>,
}

#[derive(Serialize)]
pub struct RatedOut {
    pub id: String,
    pub name: String,
    pub satisfied: u32,
    pub basically_satisfied: u32,
    pub unsatisfied: u32,
    pub abstain: u32,
    /// What the rate is divided by: the valid papers, or the ratings without 弃权
    /// (see the ballot's `rate_base`).
    pub rate_denominator: Option<u64>,
    /// Percentage with one decimal, e.g. 87.5; null with nothing to divide by, without a
    /// valid paper, and in a void vote.
    pub rate: Option<f64>,
    pub rate_text: Option<String>,
    /// `satisfied` | `basically_satisfied` | `unsatisfied`; null without a valid paper and in
    /// a void vote.
    pub grade: Option<String>,
    /// The grade in words: 满意 / 基本满意 / 不满意.
    pub grade_zh: Option<String>,
}

#[derive(Serialize)]
pub struct RollOut {
    /// 应到: deputies on the roster when the papers were issued.
    pub expected: u32,
    /// 实到: deputies present when the papers were issued.
    pub present: u32,
}

#[derive(Serialize)]
pub struct RepeatOut {
    /// The id of the repeat round (`item#2` …).
    pub id: String,
    /// Whether it has been created yet.
    pub created: bool,
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
    /// The scanned sheet it was read from (`huiwu ballot scan`), if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<SheetOut>,
}

/// A scanned paper's sheet: its image's hash and stored name, the machine's reading (`?` where
/// a clerk ruled), the ink per box in thousandths, and who ruled.
#[derive(Serialize)]
pub struct SheetOut {
    pub sha256: String,
    pub image: String,
    pub read: String,
    pub scores: Vec<Vec<u16>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub ruled_by: Option<String>,
    /// A scrutineer's reason for reading a row otherwise than the machine read it for sure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overruled: Option<String>,
    /// The earlier sheet its marks matched: held as a possible second feed, ruled another paper.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
}

/// A sheet ruled a second feed of an earlier one: kept on record, never counted.
#[derive(Serialize)]
pub struct SetAsideOut {
    pub serial: String,
    pub sha256: String,
    pub image: String,
    pub same_as: String,
    pub by: String,
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
    /// The count's own name: 票决 / 票荐 / 测评 / 表决.
    pub count_name: String,
    pub round: u32,
    pub round_kind: RoundKind,
    /// The first round's id, for a run-off / further round / repeat.
    pub runoff_of: Option<String>,
    pub places: u32,
    pub base_rule: Base,
    pub threshold: Threshold,
    /// The number the threshold is computed on (frozen at announcement); null in a void vote.
    pub base: Option<u32>,
    /// 应到 / 实到 at the time of the vote (when the papers were issued, or the totals entered).
    pub attendance: RollOut,
    /// An evaluation's rate denominator: `valid` | `ratings`.
    pub rate_base: Option<RateBase>,
    pub issued: Option<u32>,
    pub returned: u32,
    pub returned_declared: Option<u32>,
    pub keyed: u32,
    pub valid: u32,
    pub void: u32,
    /// Returned > issued: the vote is void: no base, no outcome, nobody selected.
    pub vote_void: bool,
    /// For a void vote: the repeat it calls for.
    pub repeat: Option<RepeatOut>,
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
    /// Scanned sheets ruled second feeds of earlier ones (not papers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<SetAsideOut>,
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

fn grade_name(g: Grade) -> String {
    serde_json::to_value(g)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn ballot_out(engine: &Engine, b: &BallotState) -> BallotOut {
    let st = engine.state();
    let item = &st.def.agenda[b.item];
    let (base_rule, threshold) = ballots::rule_of(item);
    let result = ballots::result_of(b, item, st.attendance.total, st.attendance.present);
    let roll = roll_of(st, b);
    let repeat = b.vote_void().then(|| {
        let later = st
            .ballots
            .rounds_of(b.item)
            .find(|r| r.round == b.round + 1);
        RepeatOut {
            id: later.map_or_else(|| st.ballots.next_round_id(b.item), |r| r.id.clone()),
            created: later.is_some(),
        }
    });
    let ids = crate::import::candidate_ids(item, b);
    let names = ballots::names(item, b);
    let mut out = BallotOut {
        id: b.id.clone(),
        item: item.id.clone(),
        title: ballot_label(&st.def, &b.id, Lang::Zh),
        kind: b.kind,
        count_name: Words::of_kind(item, b.kind).name().zh,
        round: b.round,
        round_kind: b.round_kind,
        runoff_of: (b.round > 1).then(|| item.id.clone()),
        places: b.places,
        base_rule,
        threshold,
        base: None,
        attendance: RollOut {
            expected: roll.all,
            present: roll.present,
        },
        rate_base: item
            .satisfaction
            .as_ref()
            .filter(|_| b.kind == CountKind::Satisfaction)
            .map(|d| d.rate_base),
        issued: b.issued,
        returned: b.returned(),
        returned_declared: b.returned_declared,
        keyed: b.keyed(),
        valid: b.valid(),
        void: b.void(),
        vote_void: b.vote_void(),
        repeat,
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
                sheet: b
                    .sheets
                    .iter()
                    .find(|s| s.sheet.serial == p.serial)
                    .map(|s| SheetOut {
                        sha256: s.sheet.sha256.clone(),
                        image: s.sheet.image.clone(),
                        read: s.sheet.read.clone(),
                        scores: s.sheet.scores.clone(),
                        notes: s.sheet.notes.clone(),
                        ruled_by: s.ruling.as_ref().map(|r| r.by.clone()),
                        overruled: s.ruling.as_ref().and_then(|r| r.overrule.clone()),
                        matched: s.sheet.twin.clone(),
                    }),
            })
            .collect(),
        set_aside: b
            .sheets
            .iter()
            .filter_map(|s| {
                let a = s.set_aside.as_ref()?;
                Some(SetAsideOut {
                    serial: s.sheet.serial.clone(),
                    sha256: s.sheet.sha256.clone(),
                    image: s.sheet.image.clone(),
                    same_as: a.same_as.clone(),
                    by: a.by.clone(),
                })
            })
            .collect(),
        announcement_zh: Vec::new(),
        announcement_en: Vec::new(),
    };
    let unit = |i: usize| {
        item.ballot
            .as_ref()
            .and_then(|d| d.candidates[b.candidates[i]].unit.clone())
    };
    let rated = |index: usize, c: &ItemCounts| RatedOut {
        id: ids[index].clone(),
        name: names[index].to_string(),
        satisfied: c.satisfied,
        basically_satisfied: c.basically_satisfied,
        unsatisfied: c.unsatisfied,
        abstain: c.abstain,
        rate_denominator: None,
        rate: None,
        rate_text: None,
        grade: None,
        grade_zh: None,
    };
    match result {
        Some(Announced::Approval(r)) => {
            out.base = Some(r.base);
            out.unfilled = Some(r.unfilled);
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
                    rank: Some(c.rank),
                    outcome: Some(c.outcome),
                    outcome_zh: outcome_words(Some(c.outcome)).map(|w| w.zh),
                })
                .collect();
        }
        Some(Announced::Satisfaction { base, items, .. }) => {
            out.base = Some(base);
            out.items = items
                .iter()
                .map(|it| RatedOut {
                    rate_denominator: Some(it.rate_denominator),
                    rate: it.rate_permille.map(|p| f64::from(p) / 10.0),
                    rate_text: it.rate_text(),
                    grade: it.grade.map(grade_name),
                    grade_zh: it.grade.map(|g| g.zh().to_string()),
                    ..rated(it.index, &it.counts)
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
        // A void vote: the papers' counts for the record, in paper order, and nothing else.
        Some(Announced::VoidVote(Tallied::Approval(counts))) => {
            out.candidates = counts
                .iter()
                .enumerate()
                .map(|(i, c)| CandidateOut {
                    id: ids[i].clone(),
                    name: names[i].to_string(),
                    unit: unit(i),
                    yes: c.yes,
                    no: c.no,
                    abstain: c.abstain,
                    rank: None,
                    outcome: None,
                    outcome_zh: None,
                })
                .collect();
        }
        Some(Announced::VoidVote(Tallied::Satisfaction(counts))) => {
            out.items = counts
                .iter()
                .enumerate()
                .map(|(i, c)| rated(i, c))
                .collect();
        }
        None => {}
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
