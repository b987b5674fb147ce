//! The session definition: what a session file describes once it is loaded and checked.
//!
//! The same types are (de)serialized from the TOML session file and stored, as canonical JSON,
//! in the first event of the log, so a database carries its own definition.

use serde::{Deserialize, Serialize};

/// Accept a date written as text or as a bare TOML date (`date = 2026-07-28`).
fn date_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum DateField {
        Text(String),
        Toml(toml::value::Datetime),
    }
    match DateField::deserialize(d) {
        Ok(DateField::Text(s)) => Ok(s),
        Ok(DateField::Toml(dt)) => Ok(dt.to_string()),
        Err(_) => Err(serde::de::Error::custom(
            "the date must be written as YYYY-MM-DD, e.g. date = \"2026-07-28\"",
        )),
    }
}

/// Level of the people's congress (affects wording only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    National,
    Province,
    City,
    District,
    County,
    Town,
    Street,
}

/// Quorum rule (DESIGN.md §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum QuorumRule {
    /// 三分之二以上 — includes exactly two-thirds.
    #[default]
    TwoThirds,
    /// 过半数 — excludes exactly half.
    Majority,
    /// No quorum check.
    None,
}

/// What a pass threshold is computed on (DESIGN.md §2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// 全体代表 — all deputies on the roster.
    #[default]
    All,
    /// 出席代表 — deputies present.
    Present,
    /// 有效票 — valid ballot papers (or valid ratings / votes cast).
    Valid,
}

/// Pass threshold (DESIGN.md §2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Threshold {
    /// 过半数: `yes * 2 > base`.
    #[default]
    Majority,
    /// 三分之二以上: `yes * 3 >= base * 2`.
    TwoThirds,
}

/// What an approval ballot is called (DESIGN.md §2.14): a 票决 decides the projects, a 票荐 at
/// a street council recommends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalVote {
    /// 票决: 表决票, 票决结果, 确定为.
    #[default]
    #[serde(alias = "票决")]
    Decide,
    /// 票荐: 票荐票, 票荐结果, 推荐为.
    #[serde(alias = "票荐")]
    Recommend,
}

impl ApprovalVote {
    pub fn is_default(&self) -> bool {
        *self == ApprovalVote::Decide
    }
}

/// How a printed 票决 paper is marked (`huiwu ballot print`, `huiwu ballot scan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PaperStyle {
    /// Three boxes per candidate, 赞成 / 不赞成 / 弃权: any mark in one box chooses it.
    #[default]
    #[serde(alias = "分栏")]
    Columns,
    /// One box per candidate: ○ 赞成, × 不赞成, blank 弃权.
    #[serde(alias = "单框")]
    OneBox,
}

impl PaperStyle {
    pub fn is_default(&self) -> bool {
        *self == PaperStyle::Columns
    }
}

/// The denominator of a satisfaction rate (DESIGN.md §2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RateBase {
    /// 有效票: every valid paper, a 弃权 on it included.
    #[default]
    Valid,
    /// 有效评价: 满意 + 基本满意 + 不满意, 弃权 left out.
    Ratings,
}

impl RateBase {
    pub fn is_default(&self) -> bool {
        *self == RateBase::Valid
    }
}

/// Session metadata: the `[session]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionMeta {
    /// 机关, e.g. 江州市人民代表大会.
    pub body: String,
    pub level: Level,
    /// Full meeting name, e.g. 江州市第十六届人民代表大会第四次会议.
    pub title: String,
    /// 届
    pub term: u32,
    /// 次 (session number within the term).
    pub session: u32,
    /// 全体会议 number, when the meeting is one plenary of a longer session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plenary: Option<u32>,
    /// ISO date, `YYYY-MM-DD` (a quoted string, or a bare TOML date).
    #[serde(deserialize_with = "date_text")]
    pub date: String,
    /// Planned start, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    pub venue: String,
    /// 主持人 / 执行主席.
    pub chair: String,
    /// 记录人.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorder: Option<String>,
    #[serde(default)]
    pub quorum: QuorumRule,
    /// An earlier session's database (relative to this file) whose open commitments are
    /// carried into this session's report-back item when the database is created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followups_from: Option<String>,
    /// An earlier session's database (relative to this file) whose selected livelihood
    /// projects are carried into the items marked `projects = true` when the database is
    /// created (as `huiwu projects carry` does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projects_from: Option<String>,
}

/// One deputy on the roster. Attendance is per deputy; ballots never are (DESIGN.md §2.9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deputy {
    pub id: String,
    pub name: String,
    /// 代表小组 / 代表团.
    pub group: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<String>,
    /// Work unit or post, shown in the roster only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// 程序性议程: opening, roll-call report, closing.
    Procedural,
    /// 报告 (oral or written, see `mode`).
    Report,
    /// 询问 / 问政.
    Questioning,
    /// 票决 / 票荐 (approval ballot with places).
    Ballot,
    /// 满意度测评.
    Satisfaction,
    /// 表决.
    Resolution,
    /// 讲话 / 发言.
    Speech,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReportMode {
    #[default]
    Oral,
    Written,
}

/// One `[[agenda]]` item. Kind-specific details live in the matching sub-table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItemDef {
    pub id: String,
    pub kind: ItemKind,
    pub title: String,
    /// Who presents / reports / speaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presenter: Option<String>,
    /// The presenter's post, e.g. 副市长.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<String>,
    /// Planned duration in minutes (0 for written reports).
    #[serde(default)]
    pub minutes: u32,
    /// Reports only: oral or written (书面).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<ReportMode>,
    /// Reports only: this is the report-back (跟踪问效) on an earlier session's commitments;
    /// they are carried into it with `huiwu followups`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub report_back: bool,
    /// Reports and evaluations only: the livelihood projects selected at an earlier session
    /// are this item's subjects (a report on their progress) or its rated items (an
    /// evaluation, whose `items` are then left out); `huiwu projects carry` brings them in.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub projects: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ballot: Option<BallotDef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub questioning: Option<QuestioningDef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<SatisfactionDef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<ResolutionDef>,
}

/// A candidate project (候选项目) of a ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateDef {
    pub id: String,
    pub name: String,
    /// 承办单位.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// `[agenda.ballot]`: a secret paper ballot with places (DESIGN.md §2.2–2.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BallotDef {
    /// 应选 number of places N.
    pub places: u32,
    /// 等额: as many candidates as places. Otherwise candidates must outnumber places (差额).
    #[serde(default)]
    pub equal: bool,
    #[serde(default)]
    pub base: Base,
    #[serde(default)]
    pub threshold: Threshold,
    /// 票决 (default) or 票荐: the words of the papers, the result and the announcement.
    /// Skipped when default so that earlier session files keep their fingerprint.
    #[serde(default, skip_serializing_if = "ApprovalVote::is_default")]
    pub vote: ApprovalVote,
    /// The printed paper's layout. Skipped when default (fingerprints of earlier files).
    #[serde(default, skip_serializing_if = "PaperStyle::is_default")]
    pub paper: PaperStyle,
    /// Year the selected projects are for (wording: ××年度民生实事项目).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u32>,
    /// 总监票人 first, then 监票人.
    #[serde(default)]
    pub scrutineers: Vec<String>,
    /// 计票人.
    #[serde(default)]
    pub clerks: Vec<String>,
    pub candidates: Vec<CandidateDef>,
}

/// An item rated in a satisfaction evaluation (a project or a department).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatedItemDef {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// `[agenda.satisfaction]`: 满意度测评 (DESIGN.md §2.7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SatisfactionDef {
    #[serde(default)]
    pub base: Base,
    /// The rate's denominator: valid papers (default) or the ratings without 弃权.
    #[serde(default, skip_serializing_if = "RateBase::is_default")]
    pub rate_base: RateBase,
    #[serde(default)]
    pub scrutineers: Vec<String>,
    #[serde(default)]
    pub clerks: Vec<String>,
    /// Left out when the item rates the carried projects (`projects = true`).
    #[serde(default)]
    pub items: Vec<RatedItemDef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum VoteMethod {
    /// 举手表决
    #[default]
    Hands,
    /// 按表决器
    Keypad,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MotionDef {
    pub id: String,
    pub title: String,
}

/// `[agenda.resolution]`: 表决 on one or more motions (DESIGN.md §2.8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolutionDef {
    #[serde(default)]
    pub method: VoteMethod,
    #[serde(default)]
    pub base: Base,
    #[serde(default)]
    pub threshold: Threshold,
    pub motions: Vec<MotionDef>,
}

/// Who answers a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Respondent {
    pub name: String,
    pub post: String,
    pub unit: String,
}

/// One prepared question (DESIGN.md §2.11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionDef {
    pub id: String,
    pub topic: String,
    /// Roster id of the asking deputy.
    pub deputy: String,
    /// 代表小组 the question comes from; defaults to the deputy's group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub respondent: Respondent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_minutes: Option<u32>,
    /// Follow-ups (追问) allowed for this question; defaults to the item's setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followups: Option<u32>,
}

/// `[agenda.questioning]`: the prepared question queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestioningDef {
    #[serde(default = "default_ask")]
    pub ask_minutes: u32,
    #[serde(default = "default_answer")]
    pub answer_minutes: u32,
    #[serde(default = "default_followup_minutes")]
    pub followup_minutes: u32,
    /// Follow-ups allowed per question.
    #[serde(default = "default_followups")]
    pub followups: u32,
    /// Most questions one 代表小组 may put (balance); none = no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_group: Option<u32>,
    /// Rate each answer on the spot.
    #[serde(default = "default_true")]
    pub rate_answers: bool,
    /// Base of the answer ratings' grade (DESIGN.md §2.7).
    #[serde(default)]
    pub rating_base: Base,
    #[serde(default)]
    pub questions: Vec<QuestionDef>,
}

fn default_ask() -> u32 {
    3
}
fn default_answer() -> u32 {
    5
}
fn default_followup_minutes() -> u32 {
    2
}
fn default_followups() -> u32 {
    1
}
fn default_true() -> bool {
    true
}

/// `[[supervision]]`: a project supervision group (项目监督小组) of deputies following one or
/// two of the carried projects through the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupervisionDef {
    /// e.g. 第一监督小组; without one the group is named by its projects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Ids of the projects (the candidates' ids on the 票决 paper).
    pub projects: Vec<String>,
    /// Roster id of the group's leader (组长).
    pub leader: String,
    /// Roster ids of the other members.
    #[serde(default)]
    pub members: Vec<String>,
}

/// A loaded, checked session definition: metadata, the full roster, the agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionDef {
    pub session: SessionMeta,
    pub deputies: Vec<Deputy>,
    pub agenda: Vec<AgendaItemDef>,
    /// Supervision groups of the carried projects. Skipped when empty so that earlier
    /// definitions keep their fingerprint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supervision: Vec<SupervisionDef>,
}

impl SessionDef {
    pub fn deputy(&self, id: &str) -> Option<&Deputy> {
        self.deputies.iter().find(|d| d.id == id)
    }

    pub fn item(&self, id: &str) -> Option<&AgendaItemDef> {
        self.agenda.iter().find(|i| i.id == id)
    }

    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.agenda.iter().position(|i| i.id == id)
    }

    /// Groups in roster order of first appearance.
    pub fn groups(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for d in &self.deputies {
            if !out.contains(&d.group.as_str()) {
                out.push(&d.group);
            }
        }
        out
    }

    /// Canonical JSON: the form hashed into the first event and compared on resume.
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).expect("session definition serializes")
    }
}
