//! What a text prompt is for: the screen that opened it handles its submission. A leaf of
//! `tui`, so the screens that decide prompts need nothing of `App`.

/// What a text prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Note {
        item: String,
    },
    SkipReason {
        item: String,
    },
    ReopenReason {
        item: String,
    },
    Issued {
        ballot: String,
    },
    Returned {
        ballot: String,
    },
    VoidReason {
        ballot: String,
        marks: String,
    },
    AllExcept,
    CorrectSerial {
        ballot: String,
    },
    CorrectReason {
        ballot: String,
        serial: String,
        marks: String,
    },
    StrikeSerial {
        ballot: String,
    },
    StrikeReason {
        ballot: String,
        serial: String,
    },
    Staff {
        ballot: String,
    },
    Totals {
        ballot: String,
    },
    ReopenBallot {
        ballot: String,
    },
    AnswerNote {
        item: String,
        question: String,
    },
    Rating {
        item: String,
        question: String,
    },
    Commitment {
        item: String,
        question: String,
    },
    WithdrawQ {
        item: String,
        question: String,
    },
    /// The questioner is away: who asks instead (empty: defer).
    Substitute {
        item: String,
        question: String,
    },
    DeferQ {
        item: String,
        question: String,
    },
    RestoreQ {
        item: String,
        question: String,
    },
    AddQuestion {
        item: String,
    },
    CommitmentNote {
        id: String,
    },
    ProjectStatus {
        project: String,
        status: crate::domain::projects::ProjectStatus,
    },
    ProjectNote {
        project: String,
    },
    ProjectGroup {
        project: String,
    },
    ImportBatches,
    DoubleFirst,
    DoubleSecond {
        first: String,
    },
    DoubleRuling,
    /// The folder the scanner saves to, for the ballot on the desk.
    ScanFolder {
        ballot: String,
    },
    /// Who rules on the doubtful scans of this sitting.
    Adjudicator {
        ballot: String,
    },
    /// A scrutineer's reason for reading rows of a sheet otherwise than the machine read them
    /// for sure.
    Overrule {
        ballot: String,
        serial: String,
        marks: String,
    },
}
