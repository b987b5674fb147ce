//! Satisfaction evaluations (满意度测评, DESIGN.md §2.7): rating papers, the incremental tally,
//! the satisfaction rate and the grade of each item, and the announcement wording (§4).
//!
//! Items are referred to by their index in the evaluation's item list (`SatisfactionDef` order).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::ballot::{Verdict, VoidReason};
use crate::domain::session::{RateBase, SatisfactionDef};
use crate::i18n::Text;

/// One rating of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 满意
    Satisfied,
    /// 基本满意
    BasicallySatisfied,
    /// 不满意
    Unsatisfied,
    /// 弃权 (also an item left unmarked).
    #[default]
    Abstain,
}

/// One rating paper: one rating per item. There is no "too many" rule, but the scrutineers may
/// rule a paper void by hand. It carries no deputy identity (§2.9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingPaper {
    /// One rating per item, in item order; may be empty on a paper ruled void by hand.
    pub ratings: Vec<Rating>,
    /// The scrutineers' reason when they ruled the paper void.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hand_void: Option<String>,
}

impl RatingPaper {
    pub fn new(ratings: Vec<Rating>) -> Self {
        RatingPaper {
            ratings,
            hand_void: None,
        }
    }

    pub fn void_by_hand(ratings: Vec<Rating>, reason: impl Into<String>) -> Self {
        RatingPaper {
            ratings,
            hand_void: Some(reason.into()),
        }
    }
}

/// Errors of satisfaction rules. Display is English; [`SatisfactionError::zh`] is Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SatisfactionError {
    #[error("the paper has {got} ratings but the evaluation has {expected} items")]
    WrongLength { expected: usize, got: usize },
    #[error("a paper ruled void by hand needs a reason")]
    MissingVoidReason,
    #[error("the paper cannot be removed: it is not part of the tally")]
    NotInTally,
    #[error("the tally cannot count more papers")]
    Overflow,
}

impl SatisfactionError {
    /// The message in English (the same as Display).
    pub fn en(&self) -> String {
        self.to_string()
    }

    /// Both languages, for a refusal shown by the console.
    pub fn text(&self) -> Text {
        Text::new(self.zh(), self.to_string())
    }

    pub fn zh(&self) -> String {
        match self {
            SatisfactionError::WrongLength { expected, got } => {
                format!("该测评表有{got}项评价,而本次测评有{expected}个测评对象。")
            }
            SatisfactionError::MissingVoidReason => "人工认定作废的测评表须注明理由。".to_string(),
            SatisfactionError::NotInTally => "无法撤销该测评表:统计结果中没有这张表。".to_string(),
            SatisfactionError::Overflow => "统计数量超出上限。".to_string(),
        }
    }
}

/// Judges one paper: void only when ruled so by hand (with a reason). A hand-void paper's
/// ratings may be empty; any other length than the item count is refused.
pub fn judge(paper: &RatingPaper, items: usize) -> Result<Verdict, SatisfactionError> {
    let len_ok =
        paper.ratings.len() == items || (paper.hand_void.is_some() && paper.ratings.is_empty());
    if paper
        .hand_void
        .as_ref()
        .is_some_and(|r| r.trim().is_empty())
    {
        return Err(SatisfactionError::MissingVoidReason);
    }
    if !len_ok {
        return Err(SatisfactionError::WrongLength {
            expected: items,
            got: paper.ratings.len(),
        });
    }
    Ok(match &paper.hand_void {
        Some(reason) => Verdict::Void(VoidReason::Hand {
            reason: reason.clone(),
        }),
        None => Verdict::Valid,
    })
}

/// The grade of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 满意: 满意 × 2 > B.
    Satisfied,
    /// 基本满意: not 满意, but (满意 + 基本满意) × 2 > B.
    BasicallySatisfied,
    /// 不满意: neither.
    Unsatisfied,
}

impl Grade {
    pub fn zh(&self) -> &'static str {
        match self {
            Grade::Satisfied => "满意",
            Grade::BasicallySatisfied => "基本满意",
            Grade::Unsatisfied => "不满意",
        }
    }

    pub fn en(&self) -> &'static str {
        match self {
            Grade::Satisfied => "satisfied",
            Grade::BasicallySatisfied => "basically satisfied",
            Grade::Unsatisfied => "unsatisfied",
        }
    }
}

/// Counts for one item over the valid papers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ItemCounts {
    pub satisfied: u32,
    pub basically_satisfied: u32,
    pub unsatisfied: u32,
    pub abstain: u32,
}

impl ItemCounts {
    fn slot(&mut self, r: Rating) -> &mut u32 {
        match r {
            Rating::Satisfied => &mut self.satisfied,
            Rating::BasicallySatisfied => &mut self.basically_satisfied,
            Rating::Unsatisfied => &mut self.unsatisfied,
            Rating::Abstain => &mut self.abstain,
        }
    }

    fn get(&self, r: Rating) -> u32 {
        match r {
            Rating::Satisfied => self.satisfied,
            Rating::BasicallySatisfied => self.basically_satisfied,
            Rating::Unsatisfied => self.unsatisfied,
            Rating::Abstain => self.abstain,
        }
    }

    pub fn total(&self) -> u64 {
        self.valid_ratings() + u64::from(self.abstain)
    }

    /// Ratings that express an opinion: 满意 + 基本满意 + 不满意. 弃权 is excluded, because an
    /// abstention says nothing about satisfaction and must not pull the rate down.
    pub fn valid_ratings(&self) -> u64 {
        u64::from(self.satisfied)
            + u64::from(self.basically_satisfied)
            + u64::from(self.unsatisfied)
    }

    /// The denominator of the rate: every valid paper (a 弃权 included), or only the papers
    /// that rated the item (弃权 left out), as the session file says (§2.7).
    pub fn rate_denominator(&self, rb: RateBase) -> u64 {
        match rb {
            RateBase::Valid => self.total(),
            RateBase::Ratings => self.valid_ratings(),
        }
    }

    /// Satisfaction rate (满意 + 基本满意) / denominator in per mille, rounded half up, from
    /// integers only. `None` when the denominator is 0.
    pub fn rate_permille(&self, rb: RateBase) -> Option<u32> {
        let v = self.rate_denominator(rb);
        if v == 0 {
            return None;
        }
        let s = u64::from(self.satisfied) + u64::from(self.basically_satisfied);
        // round(1000 s / v) = floor((2000 s + v) / 2v); at most 1000.
        u32::try_from((2000 * s + v) / (2 * v)).ok()
    }

    /// The rate as shown, e.g. "87.5%", or `None` when there is nothing to divide by.
    pub fn rate_text(&self, rb: RateBase) -> Option<String> {
        self.rate_permille(rb).map(format_permille)
    }

    /// The grade on base B (§2.7).
    pub fn grade(&self, base: u32) -> Grade {
        let b = u64::from(base);
        let s = u64::from(self.satisfied);
        let sb = s + u64::from(self.basically_satisfied);
        if s * 2 > b {
            Grade::Satisfied
        } else if sb * 2 > b {
            Grade::BasicallySatisfied
        } else {
            Grade::Unsatisfied
        }
    }
}

/// Formats a per-mille value as a percentage with one decimal: 875 → "87.5%".
pub fn format_permille(permille: u32) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

/// One item's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    pub index: usize,
    pub counts: ItemCounts,
    /// What the rate is divided by (named wherever the rate is shown).
    pub rate_base: RateBase,
    pub rate_denominator: u64,
    pub rate_permille: Option<u32>,
    /// `None` while there is no valid paper: nothing to grade.
    pub grade: Option<Grade>,
}

impl ItemResult {
    pub fn rate_text(&self) -> Option<String> {
        self.rate_permille.map(format_permille)
    }
}

/// Results per item on base B. B comes from [`crate::domain::ballot::base_number`]; for
/// `Base::Valid` pass the number of valid (not hand-voided) papers, abstentions included, so
/// every item of one evaluation is graded on the same base. With no valid paper there is
/// neither rate nor grade (§2.7): an empty box is not 不满意.
pub fn evaluate(counts: &[ItemCounts], base: u32, rb: RateBase, valid: u32) -> Vec<ItemResult> {
    counts
        .iter()
        .enumerate()
        .map(|(index, c)| ItemResult {
            index,
            counts: *c,
            rate_base: rb,
            rate_denominator: c.rate_denominator(rb),
            rate_permille: if valid == 0 {
                None
            } else {
                c.rate_permille(rb)
            },
            grade: (valid > 0).then(|| c.grade(base)),
        })
        .collect()
}

/// A mismatch in the accounting invariant: an item's ratings must add up to the valid papers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Discrepancy {
    ItemSum { index: usize, sum: u64, valid: u32 },
}

/// The running tally of one evaluation; adding or removing a paper costs O(items).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SatisfactionTally {
    counts: Vec<ItemCounts>,
    valid: u32,
    void: u32,
}

impl SatisfactionTally {
    pub fn new(items: usize) -> Self {
        SatisfactionTally {
            counts: vec![ItemCounts::default(); items],
            valid: 0,
            void: 0,
        }
    }

    pub fn for_def(def: &SatisfactionDef) -> Self {
        SatisfactionTally::new(def.items.len())
    }

    /// Counts everything again from the papers: the reference the incremental tally must equal.
    pub fn recount<'a>(
        items: usize,
        papers: impl IntoIterator<Item = &'a RatingPaper>,
    ) -> Result<Self, SatisfactionError> {
        let mut t = SatisfactionTally::new(items);
        for p in papers {
            t.add(p)?;
        }
        Ok(t)
    }

    pub fn counts(&self) -> &[ItemCounts] {
        &self.counts
    }
    pub fn valid(&self) -> u32 {
        self.valid
    }
    pub fn void(&self) -> u32 {
        self.void
    }
    /// Papers recorded: valid + void.
    pub fn returned(&self) -> u32 {
        self.valid.saturating_add(self.void)
    }

    /// Adds a paper; on error the tally is unchanged.
    pub fn add(&mut self, paper: &RatingPaper) -> Result<Verdict, SatisfactionError> {
        let verdict = judge(paper, self.counts.len())?;
        // Every counter is bounded by `returned`, so this one check rules out overflow.
        if self.returned() == u32::MAX {
            return Err(SatisfactionError::Overflow);
        }
        if verdict.is_valid() {
            self.valid += 1;
            for (c, r) in self.counts.iter_mut().zip(&paper.ratings) {
                let slot = c.slot(*r);
                *slot = slot.saturating_add(1);
            }
        } else {
            self.void += 1;
        }
        Ok(verdict)
    }

    /// Removes a paper added before; on error (it cannot have been added) the tally is unchanged.
    pub fn remove(&mut self, paper: &RatingPaper) -> Result<Verdict, SatisfactionError> {
        let verdict = judge(paper, self.counts.len())?;
        if verdict.is_valid() {
            let fits = self.valid > 0
                && self
                    .counts
                    .iter()
                    .zip(&paper.ratings)
                    .all(|(c, r)| c.get(*r) > 0);
            if !fits {
                return Err(SatisfactionError::NotInTally);
            }
            self.valid -= 1;
            for (c, r) in self.counts.iter_mut().zip(&paper.ratings) {
                *c.slot(*r) -= 1;
            }
        } else {
            self.void = self
                .void
                .checked_sub(1)
                .ok_or(SatisfactionError::NotInTally)?;
        }
        Ok(verdict)
    }

    /// Corrects a paper: removes the old one and adds the new one, or changes nothing on error.
    pub fn replace(
        &mut self,
        old: &RatingPaper,
        new: &RatingPaper,
    ) -> Result<Verdict, SatisfactionError> {
        judge(new, self.counts.len())?;
        let before = self.clone();
        self.remove(old)?;
        self.add(new).inspect_err(|_| *self = before)
    }

    /// Items whose ratings do not add up to the valid papers. Empty when sound.
    pub fn discrepancies(&self) -> Vec<Discrepancy> {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| c.total() != u64::from(self.valid))
            .map(|(index, c)| Discrepancy::ItemSum {
                index,
                sum: c.total(),
                valid: self.valid,
            })
            .collect()
    }

    pub fn evaluate(&self, base: u32, rb: RateBase) -> Vec<ItemResult> {
        evaluate(&self.counts, base, rb, self.valid)
    }
}

/// ××获得满意票×票,基本满意票×票,不满意票×票,弃权票×票,满意率×%(its denominator named),
/// 测评等次为××。 Without a denominator the rate is said to be not computed rather than 0%;
/// without a valid paper there is no grade either.
pub fn announce_item(name: &str, r: &ItemResult) -> Text {
    let ItemCounts {
        satisfied: s,
        basically_satisfied: b,
        unsatisfied: u,
        abstain: a,
    } = r.counts;
    let d = r.rate_denominator;
    let (rate_zh, rate_en) = match (r.rate_text(), r.rate_base) {
        (Some(t), RateBase::Valid) => (
            format!("满意率{t}(以有效票{d}张为基数)"),
            format!("satisfaction rate {t} (of {d} valid papers)"),
        ),
        (Some(t), RateBase::Ratings) => (
            format!("满意率{t}(以有效评价{d}票为基数,不含弃权)"),
            format!("satisfaction rate {t} (of {d} ratings, abstentions left out)"),
        ),
        (None, _) if r.grade.is_none() => (
            "无有效票,不计满意率和测评等次".to_string(),
            "no valid papers, so no satisfaction rate and no grade".to_string(),
        ),
        (None, _) => (
            "无有效评价,不计满意率".to_string(),
            "no ratings, so no satisfaction rate".to_string(),
        ),
    };
    let (grade_zh, grade_en) = match r.grade {
        Some(g) => (
            format!(",测评等次为{}", g.zh()),
            format!("; graded {}", g.en()),
        ),
        None => (String::new(), String::new()),
    };
    Text {
        zh: format!(
            "{name}获得满意票{s}票,基本满意票{b}票,不满意票{u}票,弃权票{a}票,{rate_zh}{grade_zh}。"
        ),
        en: format!(
            "{name} received {s} satisfied, {b} basically satisfied, {u} unsatisfied and {a} abstaining ratings; {rate_en}{grade_en}."
        ),
    }
}

#[cfg(test)]
#[path = "satisfaction_tests.rs"]
mod tests;
