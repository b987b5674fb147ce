//! Questioning (询问 / 问政, DESIGN.md §2.11): the queue of each questioning item, the phases of
//! a question with their timers (pause excluded), answer notes, on-the-spot ratings, and the
//! commitments (承诺) made in answers, tracked until reported back (跟踪问效).

use serde::{Deserialize, Serialize};

use crate::domain::satisfaction::{Grade, ItemCounts};
use crate::domain::session::{QuestionDef, QuestioningDef};
use crate::domain::state::{Note, Segment};
use crate::domain::time::Ts;
use crate::i18n::Text;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "n")]
pub enum QStatus {
    Queued,
    Asking,
    Answering,
    /// The n-th follow-up (追问), counted from 1.
    FollowUp(u32),
    Done,
    Withdrawn,
    Deferred,
}

impl QStatus {
    pub fn active(self) -> bool {
        matches!(
            self,
            QStatus::Asking | QStatus::Answering | QStatus::FollowUp(_)
        )
    }

    pub fn label(self, lang: crate::i18n::Lang) -> String {
        match self {
            QStatus::Queued => lang.t("待提问", "queued").into(),
            QStatus::Asking => lang.t("提问中", "asking").into(),
            QStatus::Answering => lang.t("答复中", "answering").into(),
            QStatus::FollowUp(n) => match lang {
                crate::i18n::Lang::Zh => format!("第{n}次追问"),
                crate::i18n::Lang::En => format!("follow-up {n}"),
            },
            QStatus::Done => lang.t("已答复", "done").into(),
            QStatus::Withdrawn => lang.t("已撤回", "withdrawn").into(),
            QStatus::Deferred => lang.t("已延后", "deferred").into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "phase", content = "n")]
pub enum PhaseKind {
    Ask,
    Answer,
    /// The n-th follow-up with its answer.
    FollowUp(u32),
}

/// One timed phase. Pauses close the open segment; resuming opens a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phase {
    pub kind: PhaseKind,
    pub planned_secs: i64,
    pub segments: Vec<Segment>,
}

impl Phase {
    pub fn started(&self) -> Option<Ts> {
        self.segments.first().map(|s| s.start)
    }

    pub fn ended(&self) -> Option<Ts> {
        self.segments.last().and_then(|s| s.end)
    }

    /// Seconds run, pauses excluded; an open segment runs up to `now`.
    pub fn elapsed_secs(&self, now: Ts) -> i64 {
        self.segments
            .iter()
            .map(|s| (s.end.unwrap_or(now) - s.start).num_seconds().max(0))
            .sum()
    }

    /// Seconds past the planned time (0 while within it).
    pub fn overrun_secs(&self, now: Ts) -> i64 {
        (self.elapsed_secs(now) - self.planned_secs).max(0)
    }

    fn running(&self) -> bool {
        self.segments.last().is_some_and(|s| s.end.is_none())
    }
}

/// Totals of the on-the-spot rating of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Rating {
    pub satisfied: u32,
    pub basically_satisfied: u32,
    pub unsatisfied: u32,
    pub abstain: u32,
}

impl Rating {
    pub fn counts(&self) -> ItemCounts {
        ItemCounts {
            satisfied: self.satisfied,
            basically_satisfied: self.basically_satisfied,
            unsatisfied: self.unsatisfied,
            abstain: self.abstain,
        }
    }

    pub fn total(&self) -> u64 {
        u64::from(self.satisfied)
            + u64::from(self.basically_satisfied)
            + u64::from(self.unsatisfied)
            + u64::from(self.abstain)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionState {
    pub def: QuestionDef,
    /// Put on the spot (现场提问) rather than prepared.
    pub on_the_spot: bool,
    pub status: QStatus,
    pub phases: Vec<Phase>,
    pub paused: bool,
    pub notes: Vec<Note>,
    pub rating: Option<Rating>,
    /// The base the rating's grade was computed on, when rated.
    pub rating_base: Option<u32>,
    pub grade: Option<Grade>,
    /// Withdraw / defer / restore reasons, in order.
    pub reasons: Vec<String>,
    pub followups_allowed: u32,
    /// The deputy who asked in the questioner's place (on leave or absent), if any.
    pub asked_by: Option<String>,
}

impl QuestionState {
    pub fn new(def: QuestionDef, q: &QuestioningDef, on_the_spot: bool) -> Self {
        QuestionState {
            followups_allowed: def.followups.unwrap_or(q.followups),
            def,
            on_the_spot,
            status: QStatus::Queued,
            phases: Vec::new(),
            paused: false,
            notes: Vec::new(),
            rating: None,
            rating_base: None,
            grade: None,
            reasons: Vec::new(),
            asked_by: None,
        }
    }

    pub fn current_phase(&self) -> Option<&Phase> {
        if self.status.active() {
            self.phases.last()
        } else {
            None
        }
    }

    pub fn phase(&self, kind: PhaseKind) -> Option<&Phase> {
        self.phases.iter().find(|p| p.kind == kind)
    }

    pub fn followups_done(&self) -> u32 {
        self.phases
            .iter()
            .filter(|p| matches!(p.kind, PhaseKind::FollowUp(_)))
            .count() as u32
    }

    /// Seconds the whole question ran (all phases, pauses excluded).
    pub fn elapsed_secs(&self, now: Ts) -> i64 {
        self.phases.iter().map(|p| p.elapsed_secs(now)).sum()
    }

    fn close_phase(&mut self, at: Ts) {
        if let Some(p) = self.phases.last_mut()
            && let Some(s) = p.segments.last_mut()
            && s.end.is_none()
        {
            s.end = Some(at);
        }
    }

    fn open_phase(&mut self, kind: PhaseKind, planned_secs: i64, at: Ts) {
        self.close_phase(at);
        self.paused = false;
        self.phases.push(Phase {
            kind,
            planned_secs,
            segments: vec![Segment {
                start: at,
                end: None,
            }],
        });
    }
}

/// The questions of one questioning item, in the order they are to be asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Queue {
    pub item: usize,
    pub questions: Vec<QuestionState>,
    /// Something was recorded in it (an amendment keeps it as it ran).
    pub touched: bool,
}

impl Queue {
    pub fn new(item: usize, q: &QuestioningDef) -> Self {
        Queue {
            item,
            questions: q
                .questions
                .iter()
                .map(|d| QuestionState::new(d.clone(), q, false))
                .collect(),
            touched: false,
        }
    }

    pub fn index(&self, id: &str) -> Result<usize, Text> {
        self.questions
            .iter()
            .position(|q| q.def.id == id)
            .ok_or_else(|| {
                text!(
                    format!("没有编号为“{id}”的问题"),
                    format!("there is no question \"{id}\"")
                )
            })
    }

    pub fn active(&self) -> Option<usize> {
        self.questions.iter().position(|q| q.status.active())
    }

    /// Questions per 代表小组 (withdrawn ones not counted), in first-appearance order.
    pub fn per_group(&self) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> = Vec::new();
        for q in self
            .questions
            .iter()
            .filter(|q| q.status != QStatus::Withdrawn)
        {
            let g = q.def.group.clone().unwrap_or_default();
            match out.iter_mut().find(|(x, _)| *x == g) {
                Some((_, n)) => *n += 1,
                None => out.push((g, 1)),
            }
        }
        out
    }
}

/// Status of a commitment; "overdue" is computed from the due date, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CStatus {
    Open,
    InProgress,
    Done,
}

impl CStatus {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            CStatus::Open => lang.t("未办结", "open"),
            CStatus::InProgress => lang.t("办理中", "in progress"),
            CStatus::Done => lang.t("已办结", "done"),
        }
    }
}

/// A commitment (承诺) made in an answer, or carried forward from an earlier session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    pub id: String,
    /// Agenda item id and question id it was made in (for carried ones: in the earlier session).
    pub item: String,
    pub question: String,
    pub text: String,
    /// 责任单位.
    pub unit: String,
    /// YYYY-MM-DD.
    pub due: String,
    pub status: CStatus,
    /// Status changes: (time, status, note).
    #[serde(default)]
    pub history: Vec<(String, CStatus, String)>,
    /// The earlier session's title, when carried forward.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<String>,
    /// The question's topic and respondent, kept so a carried commitment reads on its own.
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub respondent: String,
}

impl Commitment {
    /// Not done and past its due date on `today`.
    pub fn overdue(&self, today: chrono::NaiveDate) -> bool {
        self.status != CStatus::Done
            && chrono::NaiveDate::parse_from_str(&self.due, "%Y-%m-%d").is_ok_and(|d| d < today)
    }
}

/// A due date as typed (`2026-8-31` or `2026-08-31`, full-width digits and 年月日 or `/`
/// allowed): the date, or the reason it is none.
pub fn check_due(due: &str) -> Result<chrono::NaiveDate, Text> {
    let plain: String = due
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '年' | '月' | '/' | '.' | '－' => '-',
            _ => c,
        })
        .filter(|&c| c != '日')
        .collect();
    chrono::NaiveDate::parse_from_str(&plain, "%Y-%m-%d").map_err(|_| {
        text!(
            format!("完成时限“{due}”应写成 YYYY-MM-DD,例如 2026-12-31"),
            format!("due date \"{due}\" must be YYYY-MM-DD, e.g. 2026-12-31")
        )
    })
}

fn refuse<T>(zh: &str, en: &str) -> Result<T, Text> {
    Err(Text::new(zh, en))
}

/// Transitions of one question. Each checks first and changes nothing when refused.
impl QuestionState {
    pub fn call(&mut self, q: &QuestioningDef, at: Ts) -> Result<(), Text> {
        match self.status {
            QStatus::Queued => {}
            QStatus::Withdrawn => {
                return refuse("该问题已撤回,不能提问", "this question was withdrawn");
            }
            QStatus::Deferred => {
                return refuse(
                    "该问题已延后;如需现在提问,请先恢复",
                    "this question was deferred; restore it first",
                );
            }
            _ => return refuse("该问题已经提问过", "this question was already called"),
        }
        let planned = i64::from(self.def.ask_minutes.unwrap_or(q.ask_minutes)) * 60;
        self.open_phase(PhaseKind::Ask, planned, at);
        self.status = QStatus::Asking;
        Ok(())
    }

    pub fn answer(&mut self, q: &QuestioningDef, at: Ts) -> Result<(), Text> {
        if self.status != QStatus::Asking {
            return refuse(
                "只有提问之后才能开始答复",
                "the answer comes after the question is asked",
            );
        }
        let planned = i64::from(self.def.answer_minutes.unwrap_or(q.answer_minutes)) * 60;
        self.open_phase(PhaseKind::Answer, planned, at);
        self.status = QStatus::Answering;
        Ok(())
    }

    pub fn follow_up(&mut self, q: &QuestioningDef, at: Ts) -> Result<(), Text> {
        if !matches!(self.status, QStatus::Answering | QStatus::FollowUp(_)) {
            return refuse("追问须在答复之后", "a follow-up comes after the answer");
        }
        let n = self.followups_done() + 1;
        if n > self.followups_allowed {
            return Err(text!(
                format!("本问题最多允许追问 {} 次", self.followups_allowed),
                format!(
                    "at most {} follow-up(s) allowed for this question",
                    self.followups_allowed
                )
            ));
        }
        self.open_phase(
            PhaseKind::FollowUp(n),
            i64::from(q.followup_minutes) * 60,
            at,
        );
        self.status = QStatus::FollowUp(n);
        Ok(())
    }

    pub fn finish(&mut self, at: Ts) -> Result<(), Text> {
        if !matches!(self.status, QStatus::Answering | QStatus::FollowUp(_)) {
            return refuse(
                "问题尚未答复,不能结束",
                "the question has not been answered yet",
            );
        }
        self.close_phase(at);
        self.paused = false;
        self.status = QStatus::Done;
        Ok(())
    }

    pub fn pause(&mut self, at: Ts) -> Result<(), Text> {
        if !self.status.active() || self.paused {
            return refuse("没有正在计时的环节", "no phase is being timed");
        }
        self.close_phase(at);
        self.paused = true;
        Ok(())
    }

    pub fn resume(&mut self, at: Ts) -> Result<(), Text> {
        if !self.status.active() || !self.paused {
            return refuse("计时没有暂停", "the timer is not paused");
        }
        if let Some(p) = self.phases.last_mut() {
            debug_assert!(!p.running());
            p.segments.push(Segment {
                start: at,
                end: None,
            });
        }
        self.paused = false;
        Ok(())
    }

    pub fn set_aside(&mut self, to: QStatus, reason: &str) -> Result<(), Text> {
        if self.status != QStatus::Queued {
            return refuse(
                "只能撤回或延后尚未提问的问题",
                "only a question not yet called can be withdrawn or deferred",
            );
        }
        if reason.trim().is_empty() {
            return refuse(
                "撤回或延后须说明理由",
                "withdrawing or deferring needs a reason",
            );
        }
        self.status = to;
        self.reasons.push(reason.trim().to_string());
        Ok(())
    }

    pub fn restore(&mut self, reason: &str) -> Result<(), Text> {
        if !matches!(self.status, QStatus::Withdrawn | QStatus::Deferred) {
            return refuse(
                "只有撤回或延后的问题可以恢复",
                "only a withdrawn or deferred question can be restored",
            );
        }
        if reason.trim().is_empty() {
            return refuse("恢复问题须说明理由", "restoring a question needs a reason");
        }
        self.status = QStatus::Queued;
        self.reasons.push(reason.trim().to_string());
        Ok(())
    }

    pub fn rate(&mut self, r: Rating, present: u32, base: u32) -> Result<(), Text> {
        if !matches!(
            self.status,
            QStatus::Answering | QStatus::FollowUp(_) | QStatus::Done
        ) {
            return refuse(
                "答复之后才能测评",
                "the answer can be rated once it has been given",
            );
        }
        if r.total() > u64::from(present) {
            return Err(text!(
                format!("测评票合计 {} 票,超过出席代表 {present} 名", r.total()),
                format!(
                    "{} ratings in all is more than the {present} deputies present",
                    r.total()
                )
            ));
        }
        self.grade = Some(r.counts().grade(base));
        self.rating_base = Some(base);
        self.rating = Some(r);
        Ok(())
    }
}

#[cfg(test)]
#[path = "questions_tests.rs"]
mod tests;
