//! Ballots as they stand in a session: rounds of paper ballots (票决 and their run-offs),
//! satisfaction evaluations (测评) and resolution votes (表决), with their papers, procedure
//! (issued, returned) and lock. The counting rules themselves live in `ballot`,
//! `satisfaction` and `resolution`; this module applies operator actions to them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::domain::ballot::{
    self, BallotPaper, BallotResult, CandidateCount, FinalSelection, Mark, Proposal, ProposalKind,
    Tally, Verdict, VoidReason, VoteValidity,
};
use crate::domain::resolution::{self, ResolutionResult, ResolutionTotals};
use crate::domain::satisfaction::{ItemCounts, ItemResult, Rating, RatingPaper, SatisfactionTally};
use crate::domain::session::{AgendaItemDef, Base, RateBase, SessionDef, Threshold};
use crate::domain::time::Ts;
use crate::i18n::Text;
use crate::text;

mod sheets;
pub use sheets::{SetAside, SheetIn, SheetRecord, SheetRuling};

/// What kind of count a ballot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountKind {
    /// 票决: 赞成/不赞成/弃权 per candidate, with places.
    Approval,
    /// 测评: 满意/基本满意/不满意/弃权 per item.
    Satisfaction,
    /// 表决: totals entered per motion.
    Resolution,
}

/// Why a round exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundKind {
    /// The ballot in the session file.
    Original,
    /// 再次投票 among candidates tied at the cut-off.
    RunOff,
    /// 另行投票 among candidates not selected, for places left by a shortfall.
    FurtherRound,
    /// The same vote again because more papers came back than were issued.
    Repeat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotStatus {
    Open,
    Announced,
}

/// One keyed paper. It has a serial, never a deputy (DESIGN.md §2.9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaperRecord {
    pub serial: String,
    /// Canonical mark letters, one per candidate/item (`Y`/`N`/`A`, or `S`/`B`/`U`/`A`).
    pub marks: String,
    /// Set when the scrutineers ruled it void by hand.
    pub hand_void: Option<String>,
    /// Valid, or void and why (hand-void or too many 赞成).
    pub void: Option<VoidReason>,
    /// Struck out (with the reason) or undone: no longer counted.
    pub struck: Option<String>,
    /// Reasons of corrections made to it, in order.
    pub corrections: Vec<String>,
    pub seq: u64,
}

impl PaperRecord {
    pub fn live(&self) -> bool {
        self.struck.is_none()
    }
}

/// The incremental tally of a round.
#[derive(Debug, Clone)]
pub enum Counter {
    Approval(Tally),
    Satisfaction(SatisfactionTally),
    /// Per motion: totals entered, and the result once decided.
    Resolution(Option<ResolutionTotals>),
}

/// What the papers of a void vote said, kept for the record and never counted (§2.4).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Tallied {
    /// Per candidate, in paper order.
    Approval(Vec<CandidateCount>),
    /// Per rated item, in paper order.
    Satisfaction(Vec<ItemCounts>),
}

/// What was announced: frozen at the moment of announcement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Announced {
    /// More papers returned than issued: no base, no outcome, nobody selected; the vote is
    /// repeated. The papers' counts stay on record.
    VoidVote(Tallied),
    Approval(BallotResult),
    Satisfaction {
        base: u32,
        /// Valid papers: the rate's denominator when `rate_base` is `valid`.
        valid: u32,
        rate_base: RateBase,
        items: Vec<ItemResult>,
    },
    Resolution(ResolutionResult),
}

/// 应到 and 实到 when the papers were issued (or a motion's totals entered): the figures a
/// result sheet states and a base of "present" is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Roll {
    pub all: u32,
    pub present: u32,
}

#[derive(Debug, Clone)]
pub struct BallotState {
    /// `item` for the first round, `item#2`, `item#3` … for later rounds; `item/motion` for
    /// a resolution's motion.
    pub id: String,
    /// Agenda index of the item it belongs to.
    pub item: usize,
    pub kind: CountKind,
    pub round: u32,
    pub round_kind: RoundKind,
    /// Indices into the item's candidate (or rated item) list, in paper order.
    pub candidates: Vec<usize>,
    pub places: u32,
    /// For a resolution motion: index in the item's motions.
    pub motion: Option<usize>,
    pub issued: Option<u32>,
    /// 收回 as counted by the scrutineers before keying, if declared.
    pub returned_declared: Option<u32>,
    pub scrutineers: Vec<String>,
    pub clerks: Vec<String>,
    pub papers: Vec<PaperRecord>,
    serials: HashMap<String, usize>,
    pub counter: Counter,
    pub status: BallotStatus,
    pub announced: Option<Announced>,
    pub announced_at: Option<Ts>,
    pub announced_seq: Option<u64>,
    /// Re-open reasons, in order.
    pub reopened: Vec<String>,
    /// Batches imported from other stations (`A/1`, or `A/1+B/2` for double entry).
    pub batches: Vec<String>,
    /// At most this many papers (the deputies on the roster): no box holds more.
    pub max_papers: u32,
    /// Something was recorded about it (an amendment keeps it as it stands).
    pub touched: bool,
    /// The attendance at the time of the vote: taken when the papers are issued.
    pub roll: Option<Roll>,
    /// Scanned sheets, in scan order (`ballot scan`).
    pub sheets: Vec<SheetRecord>,
}

impl BallotState {
    /// Papers keyed and counted (not struck).
    pub fn keyed(&self) -> u32 {
        match &self.counter {
            Counter::Approval(t) => t.returned(),
            Counter::Satisfaction(t) => t.returned(),
            Counter::Resolution(_) => 0,
        }
    }

    /// 收回: as declared by the scrutineers, else the papers keyed.
    pub fn returned(&self) -> u32 {
        self.returned_declared.unwrap_or_else(|| self.keyed())
    }

    pub fn valid(&self) -> u32 {
        match &self.counter {
            Counter::Approval(t) => t.valid(),
            Counter::Satisfaction(t) => t.valid(),
            Counter::Resolution(_) => 0,
        }
    }

    pub fn void(&self) -> u32 {
        match &self.counter {
            Counter::Approval(t) => t.void(),
            Counter::Satisfaction(t) => t.void(),
            Counter::Resolution(_) => 0,
        }
    }

    /// Returned > issued: the whole vote is void (DESIGN.md §2.4).
    pub fn vote_void(&self) -> bool {
        self.issued
            .is_some_and(|i| ballot::vote_validity(i, self.returned()) == VoteValidity::Void)
    }

    pub fn locked(&self) -> bool {
        self.status == BallotStatus::Announced
    }

    pub fn paper(&self, serial: &str) -> Option<&PaperRecord> {
        self.serials.get(serial).map(|&i| &self.papers[i])
    }

    /// The last paper still counted.
    pub fn last_live(&self) -> Option<&PaperRecord> {
        self.papers.iter().rev().find(|p| p.live())
    }

    /// Next serial for a station: `STATION-0001`, counting every paper that station keyed.
    pub fn next_serial(&self, station: &str) -> String {
        let prefix = format!("{station}-");
        let n = self
            .papers
            .iter()
            .filter(|p| p.serial.starts_with(&prefix))
            .count();
        let mut k = n + 1;
        loop {
            let s = format!("{prefix}{k:04}");
            if !self.serials.contains_key(&s) {
                return s;
            }
            k += 1;
        }
    }
}

/// The base number a threshold is computed on.
pub fn base_value(base: Base, all: u32, present: u32, valid: u32) -> u32 {
    ballot::base_number(base, all, present, valid)
}

fn refuse<T>(zh: String, en: String) -> Result<T, Text> {
    Err(Text::new(zh, en))
}

/// Parse mark letters as keyed or imported: `Y`/`○`/`赞成`-style letters for approval ballots.
pub fn parse_approval_marks(s: &str, n: usize) -> Result<Vec<Mark>, Text> {
    let marks: Vec<Mark> = s
        .chars()
        .map(|c| match c {
            'Y' | 'y' | '○' | 'O' | 'o' | '〇' | '√' | '✓' => Ok(Mark::Yes),
            'N' | 'n' | '×' | 'X' | 'x' | '✗' => Ok(Mark::No),
            'A' | 'a' | '-' | '_' | ' ' | '.' => Ok(Mark::Abstain),
            other => Err(text!(
                format!("无法识别的标记“{other}”:赞成 Y/○,不赞成 N/×,弃权 A/空"),
                format!("unknown mark \"{other}\": yes Y/○, no N/×, abstain A/blank")
            )),
        })
        .collect::<Result<_, _>>()?;
    if marks.len() != n {
        return refuse(
            format!("选票应有 {n} 个标记,实有 {} 个", marks.len()),
            format!("the paper needs {n} marks, got {}", marks.len()),
        );
    }
    Ok(marks)
}

pub fn parse_ratings(s: &str, n: usize) -> Result<Vec<Rating>, Text> {
    let ratings: Vec<Rating> = s
        .chars()
        .map(|c| match c {
            'S' | 's' => Ok(Rating::Satisfied),
            'B' | 'b' => Ok(Rating::BasicallySatisfied),
            'U' | 'u' => Ok(Rating::Unsatisfied),
            'A' | 'a' | '-' | '_' | ' ' | '.' => Ok(Rating::Abstain),
            other => Err(text!(
                format!("无法识别的测评标记“{other}”:满意 S,基本满意 B,不满意 U,弃权 A"),
                format!(
                    "unknown rating \"{other}\": satisfied S, basically B, unsatisfied U, abstain A"
                )
            )),
        })
        .collect::<Result<_, _>>()?;
    if ratings.len() != n {
        return refuse(
            format!("测评票应有 {n} 个标记,实有 {} 个", ratings.len()),
            format!("the paper needs {n} ratings, got {}", ratings.len()),
        );
    }
    Ok(ratings)
}

pub fn approval_letters(marks: &[Mark]) -> String {
    marks
        .iter()
        .map(|m| match m {
            Mark::Yes => 'Y',
            Mark::No => 'N',
            Mark::Abstain => 'A',
        })
        .collect()
}

pub fn rating_letters(ratings: &[Rating]) -> String {
    ratings
        .iter()
        .map(|r| match r {
            Rating::Satisfied => 'S',
            Rating::BasicallySatisfied => 'B',
            Rating::Unsatisfied => 'U',
            Rating::Abstain => 'A',
        })
        .collect()
}

/// A paper as it arrives from another station's batch: marks and serial, never a deputy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperIn {
    /// Given by the station (double-entry rulings may leave it empty: the stack numbers it).
    #[serde(default)]
    pub serial: String,
    pub marks: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub void_reason: Option<String>,
}

/// A scrutineer's ruling on a paper two stations keyed differently (双人录入).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ruling {
    /// 1-based position in the stack.
    pub position: usize,
    /// The marks as the paper really reads; None when there is no such paper.
    pub marks: Option<String>,
    pub by: String,
    pub reason: String,
}

/// A paper in the form its tally takes.
enum Parsed {
    Approval(BallotPaper),
    Satisfaction(RatingPaper),
}

/// All ballots of a session.
#[derive(Debug, Clone, Default)]
pub struct Ballots {
    pub list: Vec<BallotState>,
    index: HashMap<String, usize>,
    /// The deputies on the roster: no ballot takes more papers.
    max_papers: u32,
}

impl Ballots {
    /// One ballot per ballot / satisfaction item, one per resolution motion.
    pub fn new(def: &SessionDef) -> Self {
        let mut b = Ballots {
            max_papers: def.deputies.len() as u32,
            ..Ballots::default()
        };
        for (i, item) in def.agenda.iter().enumerate() {
            if let Some(bd) = &item.ballot {
                b.push(BallotState::new(
                    item.id.clone(),
                    i,
                    CountKind::Approval,
                    (0..bd.candidates.len()).collect(),
                    bd.places,
                    None,
                    bd.scrutineers.clone(),
                    bd.clerks.clone(),
                ));
            }
            if let Some(sd) = &item.satisfaction {
                b.push(BallotState::new(
                    item.id.clone(),
                    i,
                    CountKind::Satisfaction,
                    (0..sd.items.len()).collect(),
                    0,
                    None,
                    sd.scrutineers.clone(),
                    sd.clerks.clone(),
                ));
            }
            if let Some(rd) = &item.resolution {
                for (m, motion) in rd.motions.iter().enumerate() {
                    b.push(BallotState::new(
                        format!("{}/{}", item.id, motion.id),
                        i,
                        CountKind::Resolution,
                        Vec::new(),
                        0,
                        Some(m),
                        Vec::new(),
                        Vec::new(),
                    ));
                }
            }
        }
        b
    }

    fn push(&mut self, mut s: BallotState) {
        s.max_papers = self.max_papers;
        self.index.insert(s.id.clone(), self.list.len());
        self.list.push(s);
    }

    /// The ballots under an amended definition: those something was recorded about are kept
    /// (their item's place in the agenda updated), the others start afresh from the new file.
    pub fn remap(old: Ballots, old_def: &SessionDef, new_def: &SessionDef) -> Ballots {
        let fresh = Ballots::new(new_def);
        let mut kept: HashMap<String, BallotState> = HashMap::new();
        let mut rounds: Vec<BallotState> = Vec::new();
        for mut b in old.list {
            if !b.touched {
                continue;
            }
            let item_id = &old_def.agenda[b.item].id;
            let Some(i) = new_def.item_index(item_id) else {
                continue;
            };
            b.item = i;
            if b.round > 1 {
                rounds.push(b);
            } else {
                kept.insert(b.id.clone(), b);
            }
        }
        let mut out = Ballots {
            max_papers: fresh.max_papers,
            ..Ballots::default()
        };
        for b in fresh.list {
            out.push(kept.remove(&b.id).unwrap_or(b));
        }
        for b in rounds {
            out.push(b);
        }
        out
    }

    pub fn get(&self, id: &str) -> Option<&BallotState> {
        self.index.get(id).map(|&i| &self.list[i])
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Rounds of a ballot or evaluation item, in order (an evaluation has further rounds only
    /// when a void one is repeated).
    pub fn rounds_of(&self, item: usize) -> impl Iterator<Item = &BallotState> {
        self.list
            .iter()
            .filter(move |b| b.item == item && b.kind != CountKind::Resolution)
    }

    pub fn of_item(&self, item: usize) -> impl Iterator<Item = &BallotState> {
        self.list.iter().filter(move |b| b.item == item)
    }

    pub(crate) fn find(&self, id: &str) -> Result<usize, Text> {
        self.position(id).ok_or_else(|| {
            text!(
                format!("没有编号为“{id}”的票决/测评/表决"),
                format!("there is no ballot \"{id}\"")
            )
        })
    }

    /// The final list of an approval item after all announced rounds, and what is pending.
    pub fn final_selection(&self, item: usize) -> Option<FinalSelection> {
        self.selection_through(item, u32::MAX)
    }

    /// The list as it stood once round `round` was announced (what that round's announcement
    /// said, even after later rounds).
    pub fn selection_through(&self, item: usize, round: u32) -> Option<FinalSelection> {
        let mut fin: Option<FinalSelection> = None;
        for r in self.rounds_of(item).filter(|r| r.round <= round) {
            let Some(Announced::Approval(res)) = &r.announced else {
                continue;
            };
            fin = match fin {
                None => Some(FinalSelection::from_result(res)),
                // A merge the rules refuse cannot happen: rounds are only created from the
                // pending proposal. Keep the earlier selection if it ever did.
                Some(f) => Some(f.merge(res, &r.candidates).unwrap_or(f)),
            };
        }
        fin
    }

    /// What the next round of an item would be, if one is due: (kind, candidates, places).
    pub fn next_round(&self, item: usize) -> Option<(RoundKind, Vec<usize>, u32)> {
        let last = self.rounds_of(item).last()?;
        if !last.locked() {
            return None;
        }
        if matches!(last.announced, Some(Announced::VoidVote(_))) {
            return Some((RoundKind::Repeat, last.candidates.clone(), last.places));
        }
        let pending: Proposal = self.final_selection(item)?.pending?;
        let kind = match pending.kind {
            ProposalKind::RunOff => RoundKind::RunOff,
            ProposalKind::FurtherRound => RoundKind::FurtherRound,
        };
        Some((kind, pending.candidates, pending.places))
    }

    /// The id the next round of an item gets: `item#2`, `item#3` …
    pub fn next_round_id(&self, item: usize) -> String {
        let first = self.rounds_of(item).next().map_or("", |r| r.id.as_str());
        format!("{first}#{}", self.rounds_of(item).count() + 1)
    }

    /// Create the due round of `ballot`'s item. Returns the new round's id.
    pub fn create_round(&mut self, ballot: &str) -> Result<String, Text> {
        let b = &self.list[self.find(ballot)?];
        if b.kind == CountKind::Resolution {
            return refuse(
                "表决按总数录入,没有再次投票".into(),
                "a resolution takes totals; it has no further rounds".into(),
            );
        }
        let kind_of_count = b.kind;
        let item = b.item;
        let Some((kind, candidates, places)) = self.next_round(item) else {
            return refuse(
                "没有需要再次投票的情况:最后一轮须已宣布,且存在并列、名额未满或投票无效".into(),
                "no further round is due: the last round must be announced with a tie, a shortfall or a void vote".into(),
            );
        };
        let round = self.rounds_of(item).count() as u32 + 1;
        let id = self.next_round_id(item);
        let first = self.rounds_of(item).next().cloned();
        let mut st = BallotState::new(
            id.clone(),
            item,
            kind_of_count,
            candidates,
            places,
            None,
            first
                .as_ref()
                .map(|f| f.scrutineers.clone())
                .unwrap_or_default(),
            first.as_ref().map(|f| f.clerks.clone()).unwrap_or_default(),
        );
        st.round = round;
        st.round_kind = kind;
        self.push(st);
        Ok(id)
    }
}

impl BallotState {
    #[allow(clippy::too_many_arguments)]
    fn new(
        id: String,
        item: usize,
        kind: CountKind,
        candidates: Vec<usize>,
        places: u32,
        motion: Option<usize>,
        scrutineers: Vec<String>,
        clerks: Vec<String>,
    ) -> Self {
        let counter = match kind {
            CountKind::Approval => Counter::Approval(Tally::new(candidates.len(), places)),
            CountKind::Satisfaction => {
                Counter::Satisfaction(SatisfactionTally::new(candidates.len()))
            }
            CountKind::Resolution => Counter::Resolution(None),
        };
        BallotState {
            id,
            item,
            kind,
            round: 1,
            round_kind: RoundKind::Original,
            candidates,
            places,
            motion,
            issued: None,
            returned_declared: None,
            scrutineers,
            clerks,
            papers: Vec::new(),
            serials: HashMap::new(),
            counter,
            status: BallotStatus::Open,
            announced: None,
            announced_at: None,
            announced_seq: None,
            reopened: Vec::new(),
            batches: Vec::new(),
            max_papers: u32::MAX,
            touched: false,
            roll: None,
            sheets: Vec::new(),
        }
    }

    pub(crate) fn require_paper_ballot(&self) -> Result<(), Text> {
        if self.kind == CountKind::Resolution {
            return refuse(
                "表决按总数录入,没有发出/收回票数".into(),
                "resolutions take totals; they have no issued/returned papers".into(),
            );
        }
        Ok(())
    }

    fn require_open(&self) -> Result<(), Text> {
        if self.locked() {
            return refuse(
                "结果已宣布,票决已锁定:如需更正,须先重新开启并说明理由".into(),
                "results were announced and the ballot is locked; re-open it with a reason to correct".into(),
            );
        }
        Ok(())
    }

    fn parse(&self, marks: &str, void_reason: Option<&str>) -> Result<Parsed, Text> {
        let hand = void_reason.map(str::trim).filter(|r| !r.is_empty());
        let n = self.candidates.len();
        match self.kind {
            CountKind::Approval => {
                // A paper ruled void by hand may be unreadable: no marks needed.
                let m = if hand.is_some() && marks.is_empty() {
                    Vec::new()
                } else {
                    parse_approval_marks(marks, n)?
                };
                Ok(Parsed::Approval(match hand {
                    Some(r) => BallotPaper::void_by_hand(m, r),
                    None => BallotPaper::new(m),
                }))
            }
            CountKind::Satisfaction => {
                let r = if hand.is_some() && marks.is_empty() {
                    Vec::new()
                } else {
                    parse_ratings(marks, n)?
                };
                Ok(Parsed::Satisfaction(match hand {
                    Some(h) => RatingPaper::void_by_hand(r, h),
                    None => RatingPaper::new(r),
                }))
            }
            CountKind::Resolution => refuse(
                "表决按总数录入,不录入选票".into(),
                "resolutions take totals, not papers".into(),
            ),
        }
    }

    fn letters(p: &Parsed) -> String {
        match p {
            Parsed::Approval(b) => approval_letters(&b.marks),
            Parsed::Satisfaction(r) => rating_letters(&r.ratings),
        }
    }

    fn parsed_of(&self, rec: &PaperRecord) -> Result<Parsed, Text> {
        self.parse(&rec.marks, rec.hand_void.as_deref())
    }

    fn add(&mut self, p: &Parsed) -> Result<Verdict, Text> {
        match (&mut self.counter, p) {
            (Counter::Approval(t), Parsed::Approval(b)) => t.add(b).map_err(|e| e.text()),
            (Counter::Satisfaction(t), Parsed::Satisfaction(r)) => t.add(r).map_err(|e| e.text()),
            _ => refuse("选票类型不符".into(), "paper of the wrong kind".into()),
        }
    }

    fn remove(&mut self, p: &Parsed) -> Result<Verdict, Text> {
        match (&mut self.counter, p) {
            (Counter::Approval(t), Parsed::Approval(b)) => t.remove(b).map_err(|e| e.text()),
            (Counter::Satisfaction(t), Parsed::Satisfaction(r)) => {
                t.remove(r).map_err(|e| e.text())
            }
            _ => refuse("选票类型不符".into(), "paper of the wrong kind".into()),
        }
    }

    fn live_index(&self, serial: &str) -> Result<usize, Text> {
        let Some(&i) = self.serials.get(serial) else {
            return refuse(
                format!("没有编号为“{serial}”的选票"),
                format!("there is no paper with serial \"{serial}\""),
            );
        };
        if let Some(why) = &self.papers[i].struck {
            return refuse(
                format!("选票 {serial} 已作废剔除({why})"),
                format!("paper {serial} was already struck ({why})"),
            );
        }
        Ok(i)
    }

    pub(crate) fn record_paper(
        &mut self,
        serial: &str,
        marks: &str,
        void_reason: Option<&str>,
        seq: u64,
    ) -> Result<(), Text> {
        self.require_open()?;
        let serial = serial.trim();
        if serial.is_empty() {
            return refuse("选票编号为空".into(), "the paper has no serial".into());
        }
        if self.serials.contains_key(serial) {
            return refuse(
                format!("选票编号 {serial} 已录入过,不重复计票"),
                format!("paper {serial} is already recorded; it is not counted twice"),
            );
        }
        // Scanned sheets waiting for a ruling are papers of the box too.
        if let Some(r) = self.returned_declared
            && self.sheets_and_papers() >= r
        {
            return refuse(
                format!(
                    "已录入及待判定的选票 {} 张,等于收回票数 {r}:不能再录入。请核对收回票数",
                    self.sheets_and_papers()
                ),
                format!(
                    "{} papers keyed or waiting for a ruling, equal to the {r} returned; no more can be keyed. Check the returned count",
                    self.sheets_and_papers()
                ),
            );
        }
        if self.keyed() >= self.max_papers {
            return refuse(
                format!(
                    "已录入 {} 张,等于花名册上的代表人数:票箱里不可能有更多选票",
                    self.keyed()
                ),
                format!(
                    "{} papers keyed, as many as deputies on the roster: no box holds more",
                    self.keyed()
                ),
            );
        }
        if void_reason.is_some_and(|r| r.trim().is_empty()) {
            return refuse(
                "作废须说明理由".into(),
                "a void paper needs a reason".into(),
            );
        }
        let parsed = self.parse(marks, void_reason)?;
        let verdict = self.add(&parsed)?;
        let letters = Self::letters(&parsed);
        self.serials.insert(serial.to_string(), self.papers.len());
        self.papers.push(PaperRecord {
            serial: serial.to_string(),
            marks: letters,
            hand_void: void_reason.map(|r| r.trim().to_string()),
            void: match verdict {
                Verdict::Valid => None,
                Verdict::Void(r) => Some(r),
            },
            struck: None,
            corrections: Vec::new(),
            seq,
        });
        Ok(())
    }

    /// A whole batch, all or nothing: a refused paper leaves the ballot as it was.
    pub(crate) fn import_batch(
        &mut self,
        batch: &str,
        papers: &[PaperIn],
        seq: u64,
    ) -> Result<(), Text> {
        self.require_open()?;
        if self.batches.iter().any(|b| b == batch) {
            return refuse(
                format!("批次 {batch} 已导入过,不重复计票"),
                format!("batch {batch} was already imported; it is not counted twice"),
            );
        }
        if papers.is_empty() {
            return refuse("批次中没有选票".into(), "the batch holds no papers".into());
        }
        let before = self.clone();
        for (i, p) in papers.iter().enumerate() {
            if let Err(e) = self.record_paper(&p.serial, &p.marks, p.void_reason.as_deref(), seq) {
                *self = before;
                return Err(Text::new(
                    format!("批次第 {} 张(编号 {}):{}", i + 1, p.serial, e.zh),
                    format!("paper {} of the batch ({}): {}", i + 1, p.serial, e.en),
                ));
            }
        }
        self.batches.push(batch.to_string());
        Ok(())
    }

    pub(crate) fn undo_paper(&mut self, serial: &str) -> Result<(), Text> {
        self.require_open()?;
        let last = self.last_live().map(|p| p.serial.clone());
        if last.as_deref() != Some(serial) {
            return refuse(
                "只能撤销最后录入的一张选票;更早的选票请用更正或剔除(须说明理由)".into(),
                "only the last paper keyed can be undone; correct or strike earlier ones with a reason".into(),
            );
        }
        self.strike_at(serial, "撤销 / undone".to_string())
    }

    pub(crate) fn strike_paper(&mut self, serial: &str, reason: &str) -> Result<(), Text> {
        self.require_open()?;
        if reason.trim().is_empty() {
            return refuse(
                "剔除选票须说明理由".into(),
                "striking a paper needs a reason".into(),
            );
        }
        self.strike_at(serial, reason.trim().to_string())
    }

    fn strike_at(&mut self, serial: &str, reason: String) -> Result<(), Text> {
        let i = self.live_index(serial)?;
        let parsed = self.parsed_of(&self.papers[i])?;
        self.remove(&parsed)?;
        self.papers[i].struck = Some(reason);
        Ok(())
    }

    pub(crate) fn correct_paper(
        &mut self,
        serial: &str,
        marks: &str,
        void_reason: Option<&str>,
        reason: &str,
    ) -> Result<(), Text> {
        self.require_open()?;
        if reason.trim().is_empty() {
            return refuse(
                "更正选票须说明理由".into(),
                "correcting a paper needs a reason".into(),
            );
        }
        if void_reason.is_some_and(|r| r.trim().is_empty()) {
            return refuse(
                "作废须说明理由".into(),
                "a void paper needs a reason".into(),
            );
        }
        let i = self.live_index(serial)?;
        let old = self.parsed_of(&self.papers[i])?;
        let new = self.parse(marks, void_reason)?;
        let letters = Self::letters(&new);
        if letters == self.papers[i].marks
            && void_reason.map(str::trim) == self.papers[i].hand_void.as_deref()
        {
            return refuse(
                "更正内容与原票相同".into(),
                "the correction is the same as the paper".into(),
            );
        }
        self.remove(&old)?;
        let verdict = match self.add(&new) {
            Ok(v) => v,
            Err(e) => {
                // Put the old paper back: a refused correction changes nothing.
                let _ = self.add(&old);
                return Err(e);
            }
        };
        let p = &mut self.papers[i];
        p.marks = letters;
        p.hand_void = void_reason.map(|r| r.trim().to_string());
        p.void = match verdict {
            Verdict::Valid => None,
            Verdict::Void(r) => Some(r),
        };
        p.corrections.push(reason.trim().to_string());
        Ok(())
    }
}

/// The ids of a round's candidates (or rated items), in paper order: the list its papers are
/// keyed, printed and counted against.
pub fn candidate_ids(item: &AgendaItemDef, b: &BallotState) -> Vec<String> {
    match b.kind {
        CountKind::Approval => item
            .ballot
            .as_ref()
            .map(|d| {
                b.candidates
                    .iter()
                    .filter_map(|&i| d.candidates.get(i))
                    .map(|c| c.id.clone())
                    .collect()
            })
            .unwrap_or_default(),
        CountKind::Satisfaction => item
            .satisfaction
            .as_ref()
            .map(|d| {
                b.candidates
                    .iter()
                    .filter_map(|&i| d.items.get(i))
                    .map(|c| c.id.clone())
                    .collect()
            })
            .unwrap_or_default(),
        CountKind::Resolution => Vec::new(),
    }
}

/// SHA-256 (hex) of a candidate list: its ids in order and the places. The printed paper's
/// code carries its first 8 digits, a station's batch its first 16: a paper keyed or printed
/// for another list is refused, never read into the wrong rows.
pub fn list_digest(ids: &[String], places: u32) -> String {
    use sha2::Digest;
    let h = sha2::Sha256::digest(format!("{}|{places}", ids.join(",")).as_bytes());
    h.iter().map(|b| format!("{b:02x}")).collect()
}

/// The item definition's candidate/rated-item names, in the ballot's paper order.
pub fn names<'a>(item: &'a AgendaItemDef, b: &BallotState) -> Vec<&'a str> {
    match b.kind {
        CountKind::Approval => item
            .ballot
            .as_ref()
            .map(|d| {
                b.candidates
                    .iter()
                    .filter_map(|&i| d.candidates.get(i))
                    .map(|c| c.name.as_str())
                    .collect()
            })
            .unwrap_or_default(),
        CountKind::Satisfaction => item
            .satisfaction
            .as_ref()
            .map(|d| {
                b.candidates
                    .iter()
                    .filter_map(|&i| d.items.get(i))
                    .map(|c| c.name.as_str())
                    .collect()
            })
            .unwrap_or_default(),
        CountKind::Resolution => item
            .resolution
            .as_ref()
            .and_then(|d| b.motion.and_then(|m| d.motions.get(m)))
            .map(|m| vec![m.title.as_str()])
            .unwrap_or_default(),
    }
}

/// Base and threshold of an item's count.
pub fn rule_of(item: &AgendaItemDef) -> (Base, Threshold) {
    if let Some(b) = &item.ballot {
        (b.base, b.threshold)
    } else if let Some(s) = &item.satisfaction {
        (s.base, Threshold::Majority)
    } else if let Some(r) = &item.resolution {
        (r.base, r.threshold)
    } else {
        (Base::All, Threshold::Majority)
    }
}

/// The result of a round as it stands: what was announced, else the provisional one.
pub fn result_of(
    b: &BallotState,
    item: &AgendaItemDef,
    all: u32,
    present: u32,
) -> Option<Announced> {
    match &b.announced {
        Some(a) => Some(a.clone()),
        None => provisional(b, item, all, present),
    }
}

/// The counts a void vote keeps on record.
fn tallied(c: &Counter) -> Option<Tallied> {
    match c {
        Counter::Approval(t) => Some(Tallied::Approval(t.counts().to_vec())),
        Counter::Satisfaction(t) => Some(Tallied::Satisfaction(t.counts().to_vec())),
        Counter::Resolution(_) => None,
    }
}

/// The live (provisional) result of a round. `all` and `present` are today's attendance; the
/// attendance when the papers were issued takes their place once there is one. More papers
/// returned than issued gives a void vote, never a base or an outcome (§2.4).
pub fn provisional(
    b: &BallotState,
    item: &AgendaItemDef,
    all: u32,
    present: u32,
) -> Option<Announced> {
    let roll = b.roll.unwrap_or(Roll { all, present });
    let (all, present) = (roll.all, roll.present);
    if b.vote_void() {
        return tallied(&b.counter).map(Announced::VoidVote);
    }
    let (base, threshold) = rule_of(item);
    match &b.counter {
        Counter::Approval(t) => Some(Announced::Approval(
            t.decide(base_value(base, all, present, t.valid()), threshold),
        )),
        Counter::Satisfaction(t) => {
            let bv = base_value(base, all, present, t.valid());
            let rate_base = item
                .satisfaction
                .as_ref()
                .map(|d| d.rate_base)
                .unwrap_or_default();
            Some(Announced::Satisfaction {
                base: bv,
                valid: t.valid(),
                rate_base,
                items: t.evaluate(bv, rate_base),
            })
        }
        Counter::Resolution(Some(tot)) => {
            let def = item.resolution.as_ref()?;
            resolution::decide_for(def, tot, all, present)
                .ok()
                .map(Announced::Resolution)
        }
        Counter::Resolution(None) => None,
    }
}

#[cfg(test)]
#[path = "ballots_tests.rs"]
mod tests;
