//! Approval ballots with places (票决, DESIGN.md §2.2–2.6): judging a paper, the incremental
//! tally, ranking and outcome (ties at the cut-off, shortfall), run-off proposals and merging
//! a run-off into the final list, and the announcement wording (§4).
//!
//! Candidates are referred to by their index in the ballot's candidate list (`BallotDef`
//! order); callers map indices to ids and names. Everything here is pure: no I/O, no clock.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::session::{BallotDef, Base, Threshold};
use crate::i18n::Text;

/// A mark on one candidate: ○ = 赞成, × = 不赞成, blank = 弃权.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// 赞成 (○).
    Yes,
    /// 不赞成 (×).
    No,
    /// 弃权 (blank). A candidate left unmarked counts as an abstention.
    #[default]
    Abstain,
}

/// One paper ballot as keyed by a clerk. It carries no deputy identity, ever (§2.9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotPaper {
    /// One mark per candidate, in candidate order. A paper ruled void by hand may have no
    /// marks at all (an illegible paper cannot be read).
    pub marks: Vec<Mark>,
    /// Set when the scrutineers ruled the paper void by hand (illegible, defaced): the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hand_void: Option<String>,
}

impl BallotPaper {
    pub fn new(marks: Vec<Mark>) -> Self {
        BallotPaper {
            marks,
            hand_void: None,
        }
    }

    /// A paper the scrutineers ruled void, whatever its marks.
    pub fn void_by_hand(marks: Vec<Mark>, reason: impl Into<String>) -> Self {
        BallotPaper {
            marks,
            hand_void: Some(reason.into()),
        }
    }

    pub fn yes_count(&self) -> usize {
        self.marks.iter().filter(|m| **m == Mark::Yes).count()
    }
}

/// Why a paper is void (作废).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoidReason {
    /// More 赞成 marks than places (§2.3).
    TooManyYes { yes: u32, places: u32 },
    /// Ruled void by the scrutineers, with their reason.
    Hand { reason: String },
}

/// The judgement of one paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Valid,
    Void(VoidReason),
}

impl Verdict {
    pub fn is_valid(&self) -> bool {
        matches!(self, Verdict::Valid)
    }
}

/// Errors of ballot rules. Display is English; [`BallotError::zh`] gives the Chinese text.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotError {
    #[error("the paper has {got} marks but the ballot has {expected} candidates")]
    WrongLength { expected: usize, got: usize },
    #[error("a paper ruled void by hand needs a reason")]
    MissingVoidReason,
    #[error("the paper cannot be removed: it is not part of the tally")]
    NotInTally,
    #[error("the tally cannot count more papers")]
    Overflow,
    #[error("a ballot needs at least one place")]
    NoPlaces,
    #[error(
        "an equal (等额) ballot needs as many candidates as places: {candidates} candidates, {places} places"
    )]
    EqualCountMismatch { candidates: usize, places: u32 },
    #[error(
        "a competitive (差额) ballot needs more candidates than places: {candidates} candidates, {places} places"
    )]
    TooFewForCompetitive { candidates: usize, places: u32 },
    #[error(
        "a run-off needs at least as many candidates as places: {candidates} candidates, {places} places"
    )]
    TooFewForRunOff { candidates: usize, places: u32 },
    #[error("candidate id {id} appears more than once")]
    DuplicateCandidate { id: String },
    #[error("no run-off or further round is pending")]
    NothingPending,
    #[error("the round is for {got} places but {expected} places are pending")]
    RoundPlaces { expected: u32, got: u32 },
    #[error(
        "the round's result has {result} candidates but {mapping} were mapped to the original ballot"
    )]
    RoundMapping { result: usize, mapping: usize },
    #[error("candidate #{index} cannot stand in this round")]
    RoundCandidateNotEligible { index: usize },
    #[error("candidate #{index} appears twice in the round")]
    RoundCandidateDuplicate { index: usize },
    #[error("a run-off after a tie must be among exactly the tied candidates")]
    RunOffNotTied,
}

impl BallotError {
    /// The message in English (the same as Display).
    pub fn en(&self) -> String {
        self.to_string()
    }

    /// Both languages, for a refusal shown by the console.
    pub fn text(&self) -> Text {
        Text::new(self.zh(), self.to_string())
    }

    /// The message in Chinese, for the console.
    pub fn zh(&self) -> String {
        use BallotError::*;
        match self {
            WrongLength { expected, got } => {
                format!("该选票有{got}个标记,而本次票决有{expected}个候选项目。")
            }
            MissingVoidReason => "人工认定作废的选票须注明理由。".to_string(),
            NotInTally => "无法撤销该选票:计票结果中没有这张票。".to_string(),
            Overflow => "计票数量超出上限。".to_string(),
            NoPlaces => "应选数至少为1。".to_string(),
            EqualCountMismatch { candidates, places } => {
                format!("等额票决的候选项目数应等于应选数:候选项目{candidates}个,应选{places}个。")
            }
            TooFewForCompetitive { candidates, places } => {
                format!("差额票决的候选项目数应多于应选数:候选项目{candidates}个,应选{places}个。")
            }
            TooFewForRunOff { candidates, places } => {
                format!(
                    "再次投票的候选项目数不得少于应选数:候选项目{candidates}个,应选{places}个。"
                )
            }
            DuplicateCandidate { id } => format!("候选项目编号{id}重复。"),
            NothingPending => "没有待进行的再次投票或另行投票。".to_string(),
            RoundPlaces { expected, got } => {
                format!("本轮应选数为{got},但尚待选出{expected}个。")
            }
            RoundMapping { result, mapping } => {
                format!("本轮结果有{result}个候选项目,但对应原票决的候选项目有{mapping}个。")
            }
            RoundCandidateNotEligible { index } => {
                format!("第{}号候选项目不能参加本轮投票。", index + 1)
            }
            RoundCandidateDuplicate { index } => {
                format!("第{}号候选项目在本轮中重复。", index + 1)
            }
            RunOffNotTied => "再次投票只能在得票相等的候选项目中进行。".to_string(),
        }
    }
}

/// Judges one paper (§2.3): void as a whole with more 赞成 marks than places, or when ruled void
/// by hand; valid otherwise. A hand-void paper's marks may be empty; any other length than the
/// candidate count is refused, since it means the paper was keyed against the wrong ballot.
pub fn judge(paper: &BallotPaper, candidates: usize, places: u32) -> Result<Verdict, BallotError> {
    if let Some(reason) = &paper.hand_void {
        if reason.trim().is_empty() {
            return Err(BallotError::MissingVoidReason);
        }
        if !paper.marks.is_empty() && paper.marks.len() != candidates {
            return Err(BallotError::WrongLength {
                expected: candidates,
                got: paper.marks.len(),
            });
        }
        return Ok(Verdict::Void(VoidReason::Hand {
            reason: reason.clone(),
        }));
    }
    if paper.marks.len() != candidates {
        return Err(BallotError::WrongLength {
            expected: candidates,
            got: paper.marks.len(),
        });
    }
    let yes = paper.yes_count();
    if yes > places as usize {
        return Ok(Verdict::Void(VoidReason::TooManyYes {
            yes: u32::try_from(yes).unwrap_or(u32::MAX),
            places,
        }));
    }
    Ok(Verdict::Valid)
}

/// Whether the vote as a whole stands (§2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteValidity {
    /// Returned ≤ issued.
    Valid,
    /// Returned > issued: the vote is void and must be repeated (选举法: 所投的票数多于投票人数的无效).
    Void,
}

/// Issued (发出) vs returned (收回) papers. Returned is the number of papers recorded.
pub fn vote_validity(issued: u32, returned: u32) -> VoteValidity {
    if returned > issued {
        VoteValidity::Void
    } else {
        VoteValidity::Valid
    }
}

/// The base number B a threshold is computed on (§2.5). `valid` is the number of valid papers.
pub fn base_number(base: Base, all_deputies: u32, present: u32, valid: u32) -> u32 {
    match base {
        Base::All => all_deputies,
        Base::Present => present,
        Base::Valid => valid,
    }
}

/// Whether `yes` passes the threshold on base B. Integer arithmetic only, never a rounded
/// fraction: 过半数 is `yes*2 > B`, 三分之二以上 is `yes*3 >= B*2` (以上 includes the number).
/// Zero 赞成 never passes: without this, two-thirds of an empty base (B = 0) would pass everyone.
/// The smallest 赞成 count that passes on `base` (the pass line drawn on screen).
pub fn pass_mark(base: u32, threshold: Threshold) -> u32 {
    match threshold {
        Threshold::Majority => base / 2 + 1,
        Threshold::TwoThirds => (base.saturating_mul(2)).div_ceil(3),
    }
    .max(1)
}

pub fn passes(yes: u32, base: u32, threshold: Threshold) -> bool {
    let (yes, base) = (u64::from(yes), u64::from(base));
    yes > 0
        && match threshold {
            Threshold::Majority => yes * 2 > base,
            Threshold::TwoThirds => yes * 3 >= base * 2,
        }
}

/// Which kind of ballot a candidate list is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotKind {
    /// 差额: more candidates than places.
    Competitive,
    /// 等额: as many candidates as places.
    Equal,
    /// 再次投票 / 另行投票: at least as many candidates as places.
    RunOff,
}

/// Checks the shape of a ballot: at least one place, and the candidate count the kind requires.
pub fn validate_shape(kind: BallotKind, candidates: usize, places: u32) -> Result<(), BallotError> {
    if places == 0 {
        return Err(BallotError::NoPlaces);
    }
    let n = places as usize;
    match kind {
        BallotKind::Equal if candidates != n => {
            Err(BallotError::EqualCountMismatch { candidates, places })
        }
        BallotKind::Competitive if candidates <= n => {
            Err(BallotError::TooFewForCompetitive { candidates, places })
        }
        BallotKind::RunOff if candidates < n => {
            Err(BallotError::TooFewForRunOff { candidates, places })
        }
        _ => Ok(()),
    }
}

/// Checks a ballot definition from the session file: shape (等额 or 差额) and unique candidate ids.
pub fn validate_def(def: &BallotDef) -> Result<(), BallotError> {
    let kind = if def.equal {
        BallotKind::Equal
    } else {
        BallotKind::Competitive
    };
    validate_shape(kind, def.candidates.len(), def.places)?;
    let mut seen = HashSet::new();
    for c in &def.candidates {
        if !seen.insert(c.id.as_str()) {
            return Err(BallotError::DuplicateCandidate { id: c.id.clone() });
        }
    }
    Ok(())
}

/// Counts for one candidate over the valid papers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CandidateCount {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

impl CandidateCount {
    fn slot(&mut self, mark: Mark) -> &mut u32 {
        match mark {
            Mark::Yes => &mut self.yes,
            Mark::No => &mut self.no,
            Mark::Abstain => &mut self.abstain,
        }
    }

    fn get(&self, mark: Mark) -> u32 {
        match mark {
            Mark::Yes => self.yes,
            Mark::No => self.no,
            Mark::Abstain => self.abstain,
        }
    }

    pub fn total(&self) -> u64 {
        u64::from(self.yes) + u64::from(self.no) + u64::from(self.abstain)
    }
}

/// A mismatch in the accounting invariants (§7), shown, never hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Discrepancy {
    /// 赞成 + 不赞成 + 弃权 of a candidate differs from the number of valid papers.
    CandidateSum { index: usize, sum: u64, valid: u32 },
}

/// The running tally of one ballot. Adding or removing a paper costs O(candidates), never
/// O(papers), so a correction (remove the old paper, add the new one) stays instant at any size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    places: u32,
    counts: Vec<CandidateCount>,
    valid: u32,
    void_too_many: u32,
    void_hand: u32,
}

impl Tally {
    pub fn new(candidates: usize, places: u32) -> Self {
        Tally {
            places,
            counts: vec![CandidateCount::default(); candidates],
            valid: 0,
            void_too_many: 0,
            void_hand: 0,
        }
    }

    pub fn for_def(def: &BallotDef) -> Self {
        Tally::new(def.candidates.len(), def.places)
    }

    /// Counts everything again from the papers: the reference the incremental tally must equal.
    pub fn recount<'a>(
        candidates: usize,
        places: u32,
        papers: impl IntoIterator<Item = &'a BallotPaper>,
    ) -> Result<Self, BallotError> {
        let mut t = Tally::new(candidates, places);
        for p in papers {
            t.add(p)?;
        }
        Ok(t)
    }

    pub fn places(&self) -> u32 {
        self.places
    }
    pub fn counts(&self) -> &[CandidateCount] {
        &self.counts
    }
    pub fn valid(&self) -> u32 {
        self.valid
    }
    /// Void papers, whatever the reason.
    pub fn void(&self) -> u32 {
        self.void_too_many.saturating_add(self.void_hand)
    }
    /// Void because of too many 赞成 marks.
    pub fn void_too_many(&self) -> u32 {
        self.void_too_many
    }
    /// Void by the scrutineers' ruling.
    pub fn void_hand(&self) -> u32 {
        self.void_hand
    }
    /// Papers recorded: valid + void.
    pub fn returned(&self) -> u32 {
        self.valid.saturating_add(self.void())
    }

    /// Adds a paper and says how it was judged. On error the tally is unchanged.
    pub fn add(&mut self, paper: &BallotPaper) -> Result<Verdict, BallotError> {
        let verdict = judge(paper, self.counts.len(), self.places)?;
        // Every counter is bounded by `returned`, so this one check rules out overflow.
        if self.returned() == u32::MAX {
            return Err(BallotError::Overflow);
        }
        match &verdict {
            Verdict::Void(VoidReason::TooManyYes { .. }) => self.void_too_many += 1,
            Verdict::Void(VoidReason::Hand { .. }) => self.void_hand += 1,
            Verdict::Valid => {
                self.valid += 1;
                for (c, m) in self.counts.iter_mut().zip(&paper.marks) {
                    let slot = c.slot(*m);
                    *slot = slot.saturating_add(1);
                }
            }
        }
        Ok(verdict)
    }

    /// Removes a paper added before (undo, strike). On error the tally is unchanged: a paper
    /// that would take any counter below zero cannot have been added.
    pub fn remove(&mut self, paper: &BallotPaper) -> Result<Verdict, BallotError> {
        let verdict = judge(paper, self.counts.len(), self.places)?;
        match &verdict {
            Verdict::Void(VoidReason::TooManyYes { .. }) => {
                self.void_too_many = self
                    .void_too_many
                    .checked_sub(1)
                    .ok_or(BallotError::NotInTally)?;
            }
            Verdict::Void(VoidReason::Hand { .. }) => {
                self.void_hand = self
                    .void_hand
                    .checked_sub(1)
                    .ok_or(BallotError::NotInTally)?;
            }
            Verdict::Valid => {
                let fits = self.valid > 0
                    && self
                        .counts
                        .iter()
                        .zip(&paper.marks)
                        .all(|(c, m)| c.get(*m) > 0);
                if !fits {
                    return Err(BallotError::NotInTally);
                }
                self.valid -= 1;
                for (c, m) in self.counts.iter_mut().zip(&paper.marks) {
                    *c.slot(*m) -= 1;
                }
            }
        }
        Ok(verdict)
    }

    /// Corrects a paper: removes the old one and adds the new one, or changes nothing on error.
    pub fn replace(
        &mut self,
        old: &BallotPaper,
        new: &BallotPaper,
    ) -> Result<Verdict, BallotError> {
        // Judge the new paper first so a bad one leaves the tally untouched.
        judge(new, self.counts.len(), self.places)?;
        let before = self.clone();
        self.remove(old)?;
        match self.add(new) {
            Ok(v) => Ok(v),
            Err(e) => {
                *self = before;
                Err(e)
            }
        }
    }

    /// Accounting invariants per candidate: 赞成 + 不赞成 + 弃权 = valid papers. Empty when sound.
    /// (valid + void = returned holds by construction: returned is their sum.)
    pub fn discrepancies(&self) -> Vec<Discrepancy> {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| c.total() != u64::from(self.valid))
            .map(|(index, c)| Discrepancy::CandidateSum {
                index,
                sum: c.total(),
                valid: self.valid,
            })
            .collect()
    }

    /// The outcome on base B (see [`decide`]).
    pub fn decide(&self, base: u32, threshold: Threshold) -> BallotResult {
        decide(&self.counts, self.places, base, threshold)
    }
}

/// What became of a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Within the top N and past the threshold.
    Selected,
    /// Past the threshold but outside the top N, or ranked below a tie at the cut-off.
    NotSelected,
    /// Not past the threshold.
    BelowThreshold,
    /// Tied on 赞成 across place N and past the threshold: awaits a run-off.
    Tie,
}

impl Outcome {
    /// The outcome in words, the same on the console, the projector and every sheet:
    /// 当选 / 未当选 (below the threshold or outside the places alike: the figures say why) /
    /// 票数相等,待再次投票.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Outcome::Selected => lang.t("当选", "selected"),
            Outcome::NotSelected | Outcome::BelowThreshold => lang.t("未当选", "not selected"),
            Outcome::Tie => lang.t("票数相等,待再次投票", "tied, awaiting a run-off"),
        }
    }

    /// The same word where a table column has no room for the run-off's clause.
    pub fn short(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Outcome::Tie => lang.t("票数相等", "tied"),
            o => o.label(lang),
        }
    }
}

/// One candidate's line in the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateResult {
    /// Index in the ballot's candidate list.
    pub index: usize,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    /// Competition rank by 赞成: tied candidates share a rank, the next rank skips (1, 2, 2, 4).
    pub rank: u32,
    pub passes: bool,
    pub outcome: Outcome,
}

/// Which further vote the console offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    /// 再次投票: among exactly the candidates tied at the cut-off.
    RunOff,
    /// 另行投票: among the candidates not selected, for places left unfilled by a shortfall.
    FurtherRound,
}

/// A proposed further vote: its candidates (indices, in candidate-list order) and places.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub kind: ProposalKind,
    pub candidates: Vec<usize>,
    pub places: u32,
}

/// The outcome of one ballot round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotResult {
    pub places: u32,
    pub base: u32,
    pub threshold: Threshold,
    /// All candidates in rank order (by 赞成 descending, then candidate-list order).
    pub candidates: Vec<CandidateResult>,
    /// Selected candidates' indices in rank order.
    pub selected: Vec<usize>,
    /// Places not filled by this round: awaiting a run-off after a tie, or a shortfall.
    pub unfilled: u32,
    /// The further vote to offer when places are unfilled.
    pub proposal: Option<Proposal>,
}

impl BallotResult {
    pub fn is_complete(&self) -> bool {
        self.unfilled == 0
    }

    pub fn outcome_of(&self, index: usize) -> Option<Outcome> {
        self.candidates
            .iter()
            .find(|c| c.index == index)
            .map(|c| c.outcome)
    }
}

/// Ranks the candidates and decides who is selected (§2.5–2.6). O(c log c).
///
/// Candidates with equal 赞成 form a group; the groups are walked from the top. A group that
/// fails the threshold is below it (so is every later one: fewer 赞成). A passing group that fits
/// entirely within the N places is selected; one that straddles place N is a tie (none selected,
/// run-off for the places left); a passing group starting at or after place N is not selected.
/// With no tie, places left are a shortfall, offered to a further round among all not selected.
pub fn decide(
    counts: &[CandidateCount],
    places: u32,
    base: u32,
    threshold: Threshold,
) -> BallotResult {
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|&a, &b| counts[b].yes.cmp(&counts[a].yes).then(a.cmp(&b)));
    let n = places as usize;
    let mut candidates = Vec::with_capacity(counts.len());
    let mut selected = Vec::new();
    let mut tie: Option<Proposal> = None;
    let mut start = 0;
    while start < order.len() {
        let yes = counts[order[start]].yes;
        let end = order[start..]
            .iter()
            .position(|&i| counts[i].yes != yes)
            .map_or(order.len(), |k| start + k);
        let pass = passes(yes, base, threshold);
        let outcome = if !pass {
            Outcome::BelowThreshold
        } else if end <= n {
            Outcome::Selected
        } else if start < n {
            Outcome::Tie
        } else {
            Outcome::NotSelected
        };
        let rank = u32::try_from(start + 1).unwrap_or(u32::MAX);
        for &index in &order[start..end] {
            let c = counts[index];
            candidates.push(CandidateResult {
                index,
                yes: c.yes,
                no: c.no,
                abstain: c.abstain,
                rank,
                passes: pass,
                outcome,
            });
            if outcome == Outcome::Selected {
                selected.push(index);
            }
        }
        if outcome == Outcome::Tie {
            let mut tied = order[start..end].to_vec();
            tied.sort_unstable();
            tie = Some(Proposal {
                kind: ProposalKind::RunOff,
                candidates: tied,
                places: u32::try_from(n - start).unwrap_or(u32::MAX),
            });
        }
        start = end;
    }
    let unfilled = places.saturating_sub(u32::try_from(selected.len()).unwrap_or(u32::MAX));
    let proposal = match tie {
        Some(t) => Some(t),
        None if unfilled > 0 => Some(Proposal {
            kind: ProposalKind::FurtherRound,
            candidates: not_selected(counts.len(), &selected),
            places: unfilled,
        }),
        None => None,
    };
    BallotResult {
        places,
        base,
        threshold,
        candidates,
        selected,
        unfilled,
        proposal,
    }
}

fn not_selected(candidates: usize, selected: &[usize]) -> Vec<usize> {
    let chosen: HashSet<usize> = selected.iter().copied().collect();
    (0..candidates).filter(|i| !chosen.contains(i)).collect()
}

/// The selection of an original ballot after any run-offs and further rounds.
///
/// Indices always refer to the original ballot's candidate list, so a run-off of a run-off
/// merges the same way as the first one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinalSelection {
    /// Number of candidates on the original ballot.
    pub candidates: usize,
    pub places: u32,
    /// Original-ballot indices: the first round's selected in rank order, then each later
    /// round's selected in that round's rank order.
    pub selected: Vec<usize>,
    pub unfilled: u32,
    /// The further vote still to hold, in original-ballot indices.
    pub pending: Option<Proposal>,
}

impl FinalSelection {
    /// The state after the original ballot.
    pub fn from_result(result: &BallotResult) -> Self {
        FinalSelection {
            candidates: result.candidates.len(),
            places: result.places,
            selected: result.selected.clone(),
            unfilled: result.unfilled,
            pending: result.proposal.clone(),
        }
    }

    /// Merges a run-off or further round. `round_candidates[i]` is the original-ballot index of
    /// the round's candidate `i`. A run-off after a tie must be among exactly the tied; a further
    /// round among some or all of those not selected; either for exactly the pending places.
    ///
    /// When the merged round leaves a tie, the pending vote is its run-off; when it leaves a
    /// shortfall, the pending vote is a further round among every original candidate still
    /// not selected (not only this round's), for the places still unfilled.
    pub fn merge(
        &self,
        round: &BallotResult,
        round_candidates: &[usize],
    ) -> Result<FinalSelection, BallotError> {
        let pending = self.pending.as_ref().ok_or(BallotError::NothingPending)?;
        if round.places != pending.places {
            return Err(BallotError::RoundPlaces {
                expected: pending.places,
                got: round.places,
            });
        }
        if round.candidates.len() != round_candidates.len() {
            return Err(BallotError::RoundMapping {
                result: round.candidates.len(),
                mapping: round_candidates.len(),
            });
        }
        validate_shape(BallotKind::RunOff, round_candidates.len(), round.places)?;
        let eligible: HashSet<usize> = pending.candidates.iter().copied().collect();
        let mut seen = HashSet::new();
        for &i in round_candidates {
            if !eligible.contains(&i) {
                return Err(BallotError::RoundCandidateNotEligible { index: i });
            }
            if !seen.insert(i) {
                return Err(BallotError::RoundCandidateDuplicate { index: i });
            }
        }
        if pending.kind == ProposalKind::RunOff && seen.len() != eligible.len() {
            return Err(BallotError::RunOffNotTied);
        }
        // Every round index is < round_candidates.len() by construction of `decide`; `get`
        // keeps a hand-built result from panicking.
        let map = |i: usize| {
            round_candidates
                .get(i)
                .copied()
                .ok_or(BallotError::RoundMapping {
                    result: round.candidates.len(),
                    mapping: round_candidates.len(),
                })
        };
        let mut selected = self.selected.clone();
        for &i in &round.selected {
            selected.push(map(i)?);
        }
        let unfilled = self
            .places
            .saturating_sub(u32::try_from(selected.len()).unwrap_or(u32::MAX));
        let pending = match &round.proposal {
            Some(p) if p.kind == ProposalKind::RunOff => {
                let mut tied = p
                    .candidates
                    .iter()
                    .map(|&i| map(i))
                    .collect::<Result<Vec<_>, _>>()?;
                tied.sort_unstable();
                Some(Proposal {
                    kind: ProposalKind::RunOff,
                    candidates: tied,
                    places: p.places,
                })
            }
            _ if unfilled > 0 => Some(Proposal {
                kind: ProposalKind::FurtherRound,
                candidates: not_selected(self.candidates, &selected),
                places: unfilled,
            }),
            _ => None,
        };
        Ok(FinalSelection {
            candidates: self.candidates,
            places: self.places,
            selected,
            unfilled,
            pending,
        })
    }
}

#[cfg(test)]
#[path = "ballot_tests.rs"]
mod tests;
