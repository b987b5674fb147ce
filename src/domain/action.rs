//! The command vocabulary: what an operator (or a rehearsal script) can do to a session.
//! Keys map to these, the event log records them, `huiwu apply` replays them.

use serde::{Deserialize, Serialize};

use crate::domain::ballots::{PaperIn, Ruling};
use crate::domain::projects::{CarriedProject, ProjectStatus, Selection, SessionRef};
use crate::domain::questions::{CStatus, Commitment};
use crate::domain::quorum::Presence;
use crate::domain::session::QuestionDef;
use crate::domain::stations::BatchRef;

pub use crate::domain::time::Ts;

/// One operator action. Serialized as `{"action": "start_item", "item": "open"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Mark one deputy present / on leave / absent.
    MarkAttendance {
        deputy: String,
        status: Presence,
    },
    /// Mark every deputy not yet marked (e.g. all remaining present after sign-in).
    MarkUnmarked {
        status: Presence,
    },
    /// Start an agenda item (needs the quorum, and no other item running).
    StartItem {
        item: String,
    },
    /// Finish the running item.
    FinishItem {
        item: String,
    },
    /// Skip an item not yet started.
    SkipItem {
        item: String,
        #[serde(default)]
        reason: String,
    },
    /// Re-open a finished (it runs again) or skipped (it waits again) item, with a reason.
    ReopenItem {
        item: String,
        reason: String,
    },
    /// A free note typed by the secretary against an item.
    AddNote {
        item: String,
        text: String,
    },

    /// Name the scrutineers (总监票人 first) and counting clerks of a ballot.
    SetStaff {
        ballot: String,
        scrutineers: Vec<String>,
        clerks: Vec<String>,
    },
    /// 发出: papers handed out (at most the deputies present).
    SetIssued {
        ballot: String,
        issued: u32,
    },
    /// 收回: papers in the box as counted by the scrutineers before keying.
    SetReturned {
        ballot: String,
        returned: u32,
    },
    /// Key one paper. `marks` has one letter per candidate: `Y` 赞成 / `N` 不赞成 / `A` 弃权
    /// (○ × and blank are accepted too), or for an evaluation `S` 满意 / `B` 基本满意 /
    /// `U` 不满意 / `A` 弃权. `void_reason` rules it void by hand.
    RecordPaper {
        ballot: String,
        serial: String,
        marks: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        void_reason: Option<String>,
    },
    /// Take back the last paper keyed (before the next one).
    UndoPaper {
        ballot: String,
        serial: String,
    },
    /// Correct an earlier paper, with a reason.
    CorrectPaper {
        ballot: String,
        serial: String,
        marks: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        void_reason: Option<String>,
        reason: String,
    },
    /// Strike a paper from the count, with a reason.
    StrikePaper {
        ballot: String,
        serial: String,
        reason: String,
    },
    /// Sheets read by `huiwu ballot scan`, in scan order, one batch in one go. A sheet read
    /// without doubt is a paper at once; one with a doubtful row (`?`) waits for `RuleSheet`.
    ScanSheets {
        ballot: String,
        sheets: Vec<crate::domain::ballots::SheetIn>,
    },
    /// A clerk's reading of a scanned sheet that waited (the machine was in doubt, or the sheet
    /// may be a second feed of an earlier one and was ruled another paper). `by` is one of the
    /// ballot's scrutineers or clerks; a row the machine read for sure changes only when a
    /// scrutineer overrules it with a reason.
    RuleSheet {
        ballot: String,
        serial: String,
        marks: String,
        by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        overrule: Option<String>,
    },
    /// A sheet held as a possible second feed, ruled the same paper as the earlier sheet it
    /// matched: set aside, never counted, kept on record with its image.
    SetAsideSheet {
        ballot: String,
        serial: String,
        by: String,
    },
    /// Papers keyed at another station, or a stack keyed at two stations and settled by double
    /// entry, in one go. `batches` names the authenticated batch files they came in.
    ImportBatch {
        ballot: String,
        batches: Vec<BatchRef>,
        papers: Vec<PaperIn>,
        /// Double entry: the scrutineers' rulings on the papers the two keyings disagreed on.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        rulings: Vec<Ruling>,
    },
    /// At a counting station: batch `number` of this station, holding these papers of
    /// `ballot`, was written for the main console. Sent papers change only there.
    SendBatch {
        ballot: String,
        number: u32,
        serials: Vec<String>,
    },
    /// Enter a resolution motion's totals (`ballot` is `item/motion`).
    RecordVote {
        ballot: String,
        yes: u32,
        no: u32,
        abstain: u32,
        #[serde(default)]
        not_pressed: u32,
    },
    /// Announce the result: the ballot is locked from then on.
    AnnounceBallot {
        ballot: String,
    },
    /// Unlock an announced ballot for a correction, with a reason (recorded).
    ReopenBallot {
        ballot: String,
        reason: String,
    },
    /// Create the due further round of a ballot (run-off after a tie, further round after a
    /// shortfall, or a repeat after a void vote), among exactly the right candidates.
    CreateRound {
        ballot: String,
    },

    /// Call a question: the asking deputy takes the floor (ask timer starts). When the
    /// questioner is on leave or absent, `asker` names the deputy of the same group who asks
    /// in their place.
    CallQuestion {
        item: String,
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        asker: Option<String>,
    },
    /// The respondent answers (answer timer starts).
    StartAnswer {
        item: String,
        question: String,
    },
    /// A follow-up (追问) and its answer (follow-up timer starts).
    StartFollowUp {
        item: String,
        question: String,
    },
    /// The question is done.
    FinishQuestion {
        item: String,
        question: String,
    },
    PauseQuestion {
        item: String,
        question: String,
    },
    ResumeQuestion {
        item: String,
        question: String,
    },
    WithdrawQuestion {
        item: String,
        question: String,
        reason: String,
    },
    DeferQuestion {
        item: String,
        question: String,
        reason: String,
    },
    /// Put a withdrawn or deferred question back in the queue.
    RestoreQuestion {
        item: String,
        question: String,
        reason: String,
    },
    /// Move a question to position `to` (0-based) in the queue.
    MoveQuestion {
        item: String,
        question: String,
        to: usize,
    },
    /// A question put on the spot (现场提问), added to the end of the queue.
    AddQuestion {
        item: String,
        question: QuestionDef,
    },
    /// Notes of the answer (multi-line).
    AnswerNote {
        item: String,
        question: String,
        text: String,
    },
    /// On-the-spot rating of the answer (totals).
    RateAnswer {
        item: String,
        question: String,
        satisfied: u32,
        basically_satisfied: u32,
        unsatisfied: u32,
        abstain: u32,
    },
    /// A commitment made in the answer: what, the responsible unit, the due date.
    AddCommitment {
        item: String,
        question: String,
        text: String,
        unit: String,
        due: String,
    },
    /// A commitment's status changed (in progress, done), with a note.
    UpdateCommitment {
        commitment: String,
        status: CStatus,
        #[serde(default)]
        note: String,
    },
    /// The session file was amended after the first run: the definition in force from now on,
    /// and why. Only changes that touch nothing counted, started or announced are accepted.
    AmendSession {
        definition: Box<crate::domain::session::SessionDef>,
        reason: String,
    },
    /// At the main console: counting station `station` was paired; its batches are accepted
    /// when they carry the tag of the key with id `key_id` (the key itself is not in the log).
    AddStation {
        station: String,
        key_id: String,
    },
    /// At a counting station: this database is station `station`, paired with the main
    /// console with the key of id `key_id`.
    PairStation {
        station: String,
        key_id: String,
    },
    /// Commitments of an earlier session carried into this session's report-back item.
    CarryCommitments {
        item: String,
        source: String,
        commitments: Vec<Commitment>,
    },
    /// The livelihood projects an earlier session selected, carried into the items marked
    /// `projects = true` (once only): the database they came from with its chain head then,
    /// where they were selected, and each project with its rank and 赞成.
    CarryProjects {
        from: SessionRef,
        from_head_seq: u64,
        from_head: String,
        selection: Selection,
        projects: Vec<CarriedProject>,
    },
    /// A carried project's status changed (未开工 / 推进中 / 已完成 / 滞后), with a note.
    SetProjectStatus {
        project: String,
        status: ProjectStatus,
        #[serde(default)]
        note: String,
    },
    /// A dated progress note (进展情况) on a carried project.
    AddProjectNote {
        project: String,
        text: String,
    },
    /// A carried project's supervision group (项目监督小组): its leader and members, by roster id.
    AssignGroup {
        project: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        leader: String,
        #[serde(default)]
        members: Vec<String>,
    },
}

impl Action {
    /// Ballot, evaluation and resolution actions (the count), as opposed to agenda, attendance
    /// and questioning ones.
    pub fn is_count(&self) -> bool {
        matches!(
            self,
            Action::SetStaff { .. }
                | Action::SetIssued { .. }
                | Action::SetReturned { .. }
                | Action::RecordPaper { .. }
                | Action::ImportBatch { .. }
                | Action::ScanSheets { .. }
                | Action::RuleSheet { .. }
                | Action::SetAsideSheet { .. }
                | Action::SendBatch { .. }
                | Action::UndoPaper { .. }
                | Action::CorrectPaper { .. }
                | Action::StrikePaper { .. }
                | Action::RecordVote { .. }
                | Action::AnnounceBallot { .. }
                | Action::ReopenBallot { .. }
                | Action::CreateRound { .. }
        )
    }

    /// The ballot a count action is about (every count action names one).
    pub fn ballot(&self) -> Option<&str> {
        match self {
            Action::SetStaff { ballot, .. }
            | Action::SetIssued { ballot, .. }
            | Action::SetReturned { ballot, .. }
            | Action::RecordPaper { ballot, .. }
            | Action::ImportBatch { ballot, .. }
            | Action::ScanSheets { ballot, .. }
            | Action::RuleSheet { ballot, .. }
            | Action::SetAsideSheet { ballot, .. }
            | Action::SendBatch { ballot, .. }
            | Action::UndoPaper { ballot, .. }
            | Action::CorrectPaper { ballot, .. }
            | Action::StrikePaper { ballot, .. }
            | Action::RecordVote { ballot, .. }
            | Action::AnnounceBallot { ballot }
            | Action::ReopenBallot { ballot, .. }
            | Action::CreateRound { ballot } => Some(ballot),
            _ => None,
        }
    }

    /// The questioning item a question action is about.
    pub fn question_item(&self) -> Option<&str> {
        match self {
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
            | Action::AddQuestion { item, .. }
            | Action::AnswerNote { item, .. }
            | Action::RateAnswer { item, .. }
            | Action::AddCommitment { item, .. } => Some(item),
            _ => None,
        }
    }

    /// The snake_case name used in the log and in scripts.
    pub fn name(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("action").and_then(|a| a.as_str()).map(str::to_string))
            .unwrap_or_default()
    }
}

/// One recorded action as read back from the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub seq: u64,
    pub at: Ts,
    pub station: String,
    pub action: Action,
    /// The entry's chain hash.
    pub hash: String,
}

/// A line of an `apply` script: an action, optionally with the time it happened
/// (rehearsals and tests replay a meeting at its real times).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScriptLine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Ts>,
    #[serde(flatten)]
    pub action: Action,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_stable() {
        let a = Action::MarkAttendance {
            deputy: "D001".into(),
            status: Presence::Leave,
        };
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"action":"mark_attendance","deputy":"D001","status":"leave"}"#
        );
        assert_eq!(a.name(), "mark_attendance");
        let l: ScriptLine = serde_json::from_str(
            r#"{"at":"2026-07-28T14:30:00+08:00","action":"start_item","item":"open"}"#,
        )
        .unwrap();
        assert_eq!(
            l.action,
            Action::StartItem {
                item: "open".into()
            }
        );
        assert!(l.at.is_some());
        let l: ScriptLine = serde_json::from_str(r#"{"action":"finish_item","item":"x"}"#).unwrap();
        assert_eq!(l.at, None);
    }

    #[test]
    fn unknown_actions_and_fields_are_refused() {
        assert!(serde_json::from_str::<Action>(r#"{"action":"delete_everything"}"#).is_err());
        assert!(
            serde_json::from_str::<Action>(r#"{"action":"start_item","item":"a","x":1}"#).is_err()
        );
    }
}
