//! The session as it stands: the pure projection of the event log.
//!
//! `apply` is the only way state changes. It checks the action against the rules first and
//! mutates only when the action is allowed, so a refused action leaves no trace.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::action::{Action, Ts};

use crate::domain::ballots::{self, BallotStatus, Ballots, CountKind};
use crate::domain::hygiene::{self, RosterMatcher};
use crate::domain::quorum::{Attendance, Presence, Verdict, quorum_needed};
use crate::domain::session::{QuorumRule, SessionDef};
use crate::domain::stations::Stations;
use crate::i18n::Text;
use crate::text;

/// A rule's refusal, in both languages.
pub type Refusal = Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Pending,
    Running,
    Done,
    Skipped,
}

impl ItemStatus {
    /// The item's state in words, the same on the agenda screen and in the minutes (an item
    /// never started is 未进行 whether the meeting is on or over).
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            ItemStatus::Pending => lang.t("未进行", "not held"),
            ItemStatus::Running => lang.t("进行中", "running"),
            ItemStatus::Done => lang.t("已结束", "finished"),
            ItemStatus::Skipped => lang.t("已跳过", "skipped"),
        }
    }
}

/// One stretch of time an item ran; an item re-opened after finishing has several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub start: Ts,
    pub end: Option<Ts>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub seq: u64,
    pub at: Ts,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemState {
    pub status: ItemStatus,
    pub segments: Vec<Segment>,
    pub notes: Vec<Note>,
    /// Why it was skipped / re-opened, in order.
    pub reasons: Vec<String>,
}

impl ItemState {
    /// An item not started (as every item is at first, and one added by an amendment).
    pub fn new_pending() -> Self {
        Self::new()
    }

    fn new() -> Self {
        ItemState {
            status: ItemStatus::Pending,
            segments: Vec::new(),
            notes: Vec::new(),
            reasons: Vec::new(),
        }
    }

    pub fn started(&self) -> Option<Ts> {
        self.segments.first().map(|s| s.start)
    }

    pub fn ended(&self) -> Option<Ts> {
        match self.status {
            ItemStatus::Done => self.segments.last().and_then(|s| s.end),
            _ => None,
        }
    }

    /// Seconds the item has run so far (all segments; an open one counts up to `now`).
    pub fn elapsed_secs(&self, now: Ts) -> i64 {
        self.segments
            .iter()
            .map(|s| (s.end.unwrap_or(now) - s.start).num_seconds().max(0))
            .sum()
    }
}

#[derive(Debug, Clone)]
pub struct SessionState {
    pub def: SessionDef,
    /// Per deputy, in roster order.
    pub presence: Vec<Presence>,
    pub attendance: Attendance,
    pub items: Vec<ItemState>,
    pub ballots: Ballots,
    /// One queue per questioning item, in agenda order.
    pub queues: Vec<crate::domain::questions::Queue>,
    /// Commitments made in this session's answers, and those carried from earlier sessions.
    pub commitments: Vec<crate::domain::questions::Commitment>,
    /// Sequence number of the last event applied (0 = none).
    pub seq: u64,
    /// Time of the last event applied.
    pub last_at: Option<Ts>,
    /// Counting stations: paired ones (main console) or the one this is, and their batches.
    pub stations: Stations,
    /// The livelihood projects carried from the session that selected them.
    pub projects: crate::domain::projects::Projects,
    deputy_index: HashMap<String, usize>,
    /// Finds roster names and ids in what is written on a paper.
    roster: RosterMatcher,
}

impl SessionState {
    pub fn new(def: SessionDef) -> Self {
        let deputy_index = def
            .deputies
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        SessionState {
            presence: vec![Presence::Unmarked; def.deputies.len()],
            attendance: Attendance::new(def.deputies.len() as u32),
            items: def.agenda.iter().map(|_| ItemState::new()).collect(),
            ballots: Ballots::new(&def),
            queues: def
                .agenda
                .iter()
                .enumerate()
                .filter_map(|(i, a)| {
                    a.questioning
                        .as_ref()
                        .map(|q| crate::domain::questions::Queue::new(i, q))
                })
                .collect(),
            commitments: Vec::new(),
            seq: 0,
            last_at: None,
            stations: Stations::default(),
            projects: Default::default(),
            deputy_index,
            roster: RosterMatcher::new(&def.deputies),
            def,
        }
    }

    /// An amendment's new definition, with everything recorded so far carried over (see
    /// `amend::apply`).
    pub(crate) fn replace_def(
        &mut self,
        def: SessionDef,
        presence: Vec<Presence>,
        attendance: Attendance,
        items: Vec<ItemState>,
        ballots: Ballots,
        queues: Vec<crate::domain::questions::Queue>,
    ) {
        self.deputy_index = def
            .deputies
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        self.roster = RosterMatcher::new(&def.deputies);
        self.presence = presence;
        self.attendance = attendance;
        self.items = items;
        self.ballots = ballots;
        self.queues = queues;
        self.def = def;
    }

    /// The deputy whose name or id `text` holds (see `hygiene::RosterMatcher`), if any.
    pub fn names_deputy(&self, text: &str) -> Option<&crate::domain::session::Deputy> {
        self.roster.find(text).map(|i| &self.def.deputies[i])
    }

    pub fn deputy_index(&self, id: &str) -> Option<usize> {
        self.deputy_index.get(id).copied()
    }

    pub fn quorum_rule(&self) -> QuorumRule {
        self.def.session.quorum
    }

    /// The item running now, if any.
    pub fn running(&self) -> Option<usize> {
        self.items
            .iter()
            .position(|i| i.status == ItemStatus::Running)
    }

    pub(crate) fn item(&self, id: &str) -> Result<usize, Refusal> {
        self.def.item_index(id).ok_or_else(|| {
            text!(
                format!("没有编号为“{id}”的议程"),
                format!("there is no agenda item \"{id}\"")
            )
        })
    }

    pub(crate) fn title(&self, i: usize) -> &str {
        &self.def.agenda[i].title
    }

    /// Check `action` against the rules and, if allowed, apply it as event `seq` at time `at`.
    pub fn apply(&mut self, seq: u64, action: &Action, at: Ts) -> Result<(), Refusal> {
        hygiene::check(action, &self.roster, &self.def.deputies)?;
        match action {
            Action::MarkAttendance { deputy, status } => {
                let Some(i) = self.deputy_index(deputy) else {
                    return Err(text!(
                        format!("花名册中没有编号为“{deputy}”的代表"),
                        format!("no deputy with id \"{deputy}\" on the roster")
                    ));
                };
                let from = self.presence[i];
                if from == *status {
                    let name = &self.def.deputies[i].name;
                    return Err(text!(
                        format!("{name} 已是“{}”", status.label(crate::i18n::Lang::Zh)),
                        format!("{name} is already {}", status.label(crate::i18n::Lang::En))
                    ));
                }
                self.presence[i] = *status;
                self.attendance.shift(from, *status);
            }
            Action::MarkUnmarked { status } => {
                if *status == Presence::Unmarked {
                    return Err(text!(
                        "请选择出席、请假或缺席",
                        "choose present, on leave or absent"
                    ));
                }
                if self.attendance.unmarked == 0 {
                    return Err(text!("所有代表都已登记", "every deputy is already marked"));
                }
                for p in self
                    .presence
                    .iter_mut()
                    .filter(|p| **p == Presence::Unmarked)
                {
                    *p = *status;
                    self.attendance.shift(Presence::Unmarked, *status);
                }
            }
            Action::StartItem { item } => {
                let i = self.item(item)?;
                if let Some(r) = self.running() {
                    return Err(text!(
                        format!("请先结束正在进行的议程“{}”", self.title(r)),
                        format!("finish the running item \"{}\" first", self.title(r))
                    ));
                }
                match self.items[i].status {
                    ItemStatus::Pending => {}
                    ItemStatus::Running => unreachable!("checked above"),
                    ItemStatus::Done => {
                        return Err(text!(
                            "该议程已结束;如需继续,请重新开启并说明理由",
                            "this item is finished; re-open it with a reason to continue"
                        ));
                    }
                    ItemStatus::Skipped => {
                        return Err(text!(
                            "该议程已跳过;如需进行,请重新开启并说明理由",
                            "this item was skipped; re-open it with a reason first"
                        ));
                    }
                }
                let a = &self.def.agenda[i];
                if a.projects && a.satisfaction.as_ref().is_some_and(|s| s.items.is_empty()) {
                    return Err(text!(
                        format!(
                            "“{}”测评的民生实事项目尚未结转:请先运行 huiwu projects carry",
                            a.title
                        ),
                        format!(
                            "\"{}\" rates the livelihood projects, which are not carried yet: run huiwu projects carry first",
                            a.title
                        )
                    ));
                }
                self.require_quorum()?;
                self.items[i].status = ItemStatus::Running;
                self.items[i].segments.push(Segment {
                    start: at,
                    end: None,
                });
            }
            Action::FinishItem { item } => {
                let i = self.item(item)?;
                if self.items[i].status != ItemStatus::Running {
                    return Err(text!("该议程未在进行中", "this item is not running"));
                }
                self.items[i].status = ItemStatus::Done;
                if let Some(s) = self.items[i].segments.last_mut() {
                    s.end = Some(at);
                }
            }
            Action::SkipItem { item, reason } => {
                let i = self.item(item)?;
                if self.items[i].status != ItemStatus::Pending {
                    return Err(text!(
                        "只能跳过尚未开始的议程",
                        "only an item not yet started can be skipped"
                    ));
                }
                self.items[i].status = ItemStatus::Skipped;
                if !reason.trim().is_empty() {
                    self.items[i].reasons.push(reason.trim().to_string());
                }
            }
            Action::ReopenItem { item, reason } => {
                let i = self.item(item)?;
                if reason.trim().is_empty() {
                    return Err(text!(
                        "重新开启议程须说明理由",
                        "re-opening an item needs a reason"
                    ));
                }
                match self.items[i].status {
                    ItemStatus::Done => {
                        if let Some(r) = self.running() {
                            return Err(text!(
                                format!("请先结束正在进行的议程“{}”", self.title(r)),
                                format!("finish the running item \"{}\" first", self.title(r))
                            ));
                        }
                        self.require_quorum()?;
                        self.items[i].status = ItemStatus::Running;
                        self.items[i].segments.push(Segment {
                            start: at,
                            end: None,
                        });
                    }
                    ItemStatus::Skipped => self.items[i].status = ItemStatus::Pending,
                    _ => {
                        return Err(text!(
                            "只能重新开启已结束或已跳过的议程",
                            "only a finished or skipped item can be re-opened"
                        ));
                    }
                }
                self.items[i].reasons.push(reason.trim().to_string());
            }
            Action::AddNote { item, text } => {
                let i = self.item(item)?;
                let t = text.trim();
                if t.is_empty() {
                    return Err(text!("备注为空", "the note is empty"));
                }
                self.items[i].notes.push(Note {
                    seq,
                    at,
                    text: t.to_string(),
                });
            }
            Action::AmendSession { definition, reason } => {
                if reason.trim().is_empty() {
                    return Err(text!(
                        "修订会议文件须说明理由",
                        "amending the session file needs a reason"
                    ));
                }
                // After a carry the projects stay the rated items, whatever the file leaves out.
                let carried: Vec<_> = self
                    .projects
                    .list
                    .iter()
                    .map(|p| p.project.clone())
                    .collect();
                let definition = &Box::new(crate::domain::projects::filled(definition, &carried));
                if self.projects.carried.is_some() {
                    crate::domain::projects::check_groups(&definition.supervision, &carried)?;
                }
                let review = crate::domain::amend::review(self, definition);
                if !review.refused.is_empty() {
                    let zh: Vec<&str> = review.refused.iter().map(|t| t.zh.as_str()).collect();
                    let en: Vec<&str> = review.refused.iter().map(|t| t.en.as_str()).collect();
                    return Err(text!(
                        format!("修订不能记录:{}", zh.join(";")),
                        format!("the amendment cannot be recorded: {}", en.join("; "))
                    ));
                }
                if review.changes.is_empty() {
                    return Err(text!(
                        "会议文件与现行定义相同,没有可修订之处",
                        "the session file is the same as the definition in force: nothing to amend"
                    ));
                }
                crate::domain::amend::apply(self, (**definition).clone());
            }
            Action::CarryProjects {
                from,
                from_head_seq,
                from_head,
                selection,
                projects,
            } => self.carry_projects(
                seq,
                at,
                from,
                *from_head_seq,
                from_head,
                selection,
                projects,
            )?,
            Action::SetProjectStatus {
                project,
                status,
                note,
            } => self.set_project_status(seq, at, project, *status, note)?,
            Action::AddProjectNote { project, text } => {
                self.add_project_note(seq, at, project, text)?
            }
            Action::AssignGroup {
                project,
                name,
                leader,
                members,
            } => self.assign_group(project, name.as_deref(), leader, members)?,
            Action::AddStation { station, key_id } => self.stations.add(station, key_id, seq)?,
            Action::PairStation { station, key_id } => self.stations.pair(station, key_id, seq)?,
            a if a.is_count() => {
                self.refuse_before_carry(a)?;
                self.apply_ballot(seq, action, at)?;
                self.touch_ballot(action);
            }
            _ => {
                self.apply_question(seq, action, at)?;
                self.touch_queue(action);
            }
        }
        self.seq = seq;
        self.last_at = Some(at);
        Ok(())
    }

    /// An evaluation of the carried projects has nothing to count, no staff and no papers
    /// before the carry: touched, it could no longer take them.
    fn refuse_before_carry(&self, a: &Action) -> Result<(), Refusal> {
        let Some(b) = a.ballot().and_then(|id| self.ballots.get(id)) else {
            return Ok(());
        };
        let item = &self.def.agenda[b.item];
        if item.projects
            && item
                .satisfaction
                .as_ref()
                .is_some_and(|s| s.items.is_empty())
        {
            return Err(text!(
                format!(
                    "“{}”测评的民生实事项目尚未结转:请先运行 huiwu projects carry",
                    item.title
                ),
                format!(
                    "\"{}\" rates the livelihood projects, which are not carried yet: run huiwu projects carry first",
                    item.title
                )
            ));
        }
        Ok(())
    }

    fn ballot_mut(&mut self, id: &str, need_started: bool) -> Result<usize, Refusal> {
        let b = self.ballots.find(id)?;
        if need_started {
            let item = self.ballots.list[b].item;
            if matches!(
                self.items[item].status,
                ItemStatus::Pending | ItemStatus::Skipped
            ) {
                return Err(text!(
                    format!("议程“{}”尚未开始,不能计票", self.title(item)),
                    format!(
                        "item \"{}\" has not started; nothing can be counted yet",
                        self.title(item)
                    )
                ));
            }
        }
        Ok(b)
    }

    fn apply_ballot(&mut self, seq: u64, action: &Action, at: Ts) -> Result<(), Refusal> {
        let present = self.attendance.present;
        let all = self.attendance.total;
        match action {
            Action::SetStaff {
                ballot,
                scrutineers,
                clerks,
            } => {
                let b = self.ballot_mut(ballot, false)?;
                let st = &mut self.ballots.list[b];
                if st.locked() {
                    return Err(locked_text());
                }
                st.scrutineers = clean_names(scrutineers);
                st.clerks = clean_names(clerks);
            }
            Action::SetIssued { ballot, issued } => {
                let b = self.ballot_mut(ballot, false)?;
                let st = &mut self.ballots.list[b];
                st.require_paper_ballot()?;
                if st.locked() {
                    return Err(locked_text());
                }
                if *issued > present {
                    return Err(text!(
                        format!("发出票数 {issued} 超过出席代表数 {present}"),
                        format!(
                            "{issued} papers issued is more than the {present} deputies present"
                        )
                    ));
                }
                st.issued = Some(*issued);
                // The attendance of the vote: what the result sheet states as 应到/实到.
                st.roll = Some(ballots::Roll { all, present });
            }
            Action::SetReturned { ballot, returned } => {
                let b = self.ballot_mut(ballot, false)?;
                let st = &mut self.ballots.list[b];
                st.require_paper_ballot()?;
                if st.locked() {
                    return Err(locked_text());
                }
                if *returned > all {
                    return Err(text!(
                        format!("收回票数 {returned} 超过花名册上的代表人数 {all}"),
                        format!(
                            "{returned} papers returned is more than the {all} deputies on the roster"
                        )
                    ));
                }
                if *returned < st.sheets_and_papers() {
                    return Err(text!(
                        format!(
                            "已录入及待判定的选票共 {} 张,收回票数不能少于此数",
                            st.sheets_and_papers()
                        ),
                        format!(
                            "{} papers are already keyed or waiting for a ruling; the returned count cannot be lower",
                            st.sheets_and_papers()
                        )
                    ));
                }
                st.returned_declared = Some(*returned);
            }
            Action::RecordPaper {
                ballot,
                serial,
                marks,
                void_reason,
            } => {
                let b = self.ballot_mut(ballot, true)?;
                self.ballots.list[b].record_paper(serial, marks, void_reason.as_deref(), seq)?;
            }
            Action::ImportBatch {
                ballot,
                batches,
                papers,
                ..
            } => {
                let b = self.ballot_mut(ballot, true)?;
                self.stations.check_receive(batches, papers.len())?;
                let label = batches
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join("+");
                self.ballots.list[b].import_batch(&label, papers, seq)?;
                self.stations.receive(ballot, batches, seq);
            }
            Action::ScanSheets { ballot, sheets } => {
                let b = self.ballot_mut(ballot, true)?;
                self.ballots.list[b].scan_sheets(sheets, seq)?;
            }
            Action::RuleSheet {
                ballot,
                serial,
                marks,
                by,
                overrule,
            } => {
                let b = self.ballot_mut(ballot, true)?;
                self.ballots.list[b].rule_sheet(serial, marks, by, overrule.as_deref(), seq)?;
            }
            Action::SetAsideSheet { ballot, serial, by } => {
                let b = self.ballot_mut(ballot, true)?;
                self.ballots.list[b].set_aside_sheet(serial, by, seq)?;
            }
            Action::SendBatch {
                ballot,
                number,
                serials,
            } => {
                let b = self.ballot_mut(ballot, false)?;
                let st = &self.ballots.list[b];
                st.require_paper_ballot()?;
                self.stations.check_send(ballot, *number, serials, |s| {
                    st.paper(s).is_some_and(|p| p.live())
                })?;
                self.stations.send(ballot, *number, serials, seq);
            }
            Action::UndoPaper { ballot, serial } => {
                let b = self.ballot_mut(ballot, true)?;
                self.not_sent(ballot, serial)?;
                self.ballots.list[b].undo_paper(serial)?;
            }
            Action::CorrectPaper {
                ballot,
                serial,
                marks,
                void_reason,
                reason,
            } => {
                let b = self.ballot_mut(ballot, true)?;
                self.not_sent(ballot, serial)?;
                self.ballots.list[b].correct_paper(
                    serial,
                    marks,
                    void_reason.as_deref(),
                    reason,
                )?;
            }
            Action::StrikePaper {
                ballot,
                serial,
                reason,
            } => {
                let b = self.ballot_mut(ballot, true)?;
                self.not_sent(ballot, serial)?;
                self.ballots.list[b].strike_paper(serial, reason)?;
            }
            Action::RecordVote {
                ballot,
                yes,
                no,
                abstain,
                not_pressed,
            } => {
                let b = self.ballot_mut(ballot, true)?;
                let item = self.ballots.list[b].item;
                let st = &mut self.ballots.list[b];
                if st.kind != CountKind::Resolution {
                    return Err(text!("只有表决按总数录入", "only resolutions take totals"));
                }
                if st.locked() {
                    return Err(locked_text());
                }
                let def = self.def.agenda[item]
                    .resolution
                    .as_ref()
                    .ok_or_else(|| text!("不是表决议程", "not a resolution item"))?;
                let totals = crate::domain::resolution::ResolutionTotals {
                    yes: *yes,
                    no: *no,
                    abstain: *abstain,
                    not_pressed: *not_pressed,
                };
                crate::domain::resolution::check_totals(&totals, def.method, present)
                    .map_err(|e| e.text())?;
                st.counter = ballots::Counter::Resolution(Some(totals));
                st.roll = Some(ballots::Roll { all, present });
            }
            Action::AnnounceBallot { ballot } => {
                let b = self.ballot_mut(ballot, true)?;
                let item = self.ballots.list[b].item;
                let st = &self.ballots.list[b];
                if st.locked() {
                    return Err(text!("结果已宣布", "the result was already announced"));
                }
                let outcome = match st.kind {
                    CountKind::Resolution => {
                        match ballots::provisional(st, &self.def.agenda[item], all, present) {
                            Some(r) => r,
                            None => {
                                return Err(text!(
                                    "尚未录入表决结果",
                                    "no totals have been entered for this motion"
                                ));
                            }
                        }
                    }
                    _ => {
                        if st.issued.is_none() {
                            return Err(text!(
                                "请先录入发出票数",
                                "enter the number of papers issued first"
                            ));
                        }
                        let waiting = st.waiting_sheets().count();
                        if waiting > 0 {
                            return Err(text!(
                                format!("还有 {waiting} 张扫描件待人工判定,判定后才能宣布"),
                                format!(
                                    "{waiting} scanned sheets wait for a clerk's ruling; announce after they are ruled"
                                )
                            ));
                        }
                        // A void vote is not counted: its papers need not all be keyed.
                        if let Some(r) = st.returned_declared
                            && r != st.keyed()
                            && !st.vote_void()
                        {
                            return Err(text!(
                                format!(
                                    "已录入 {} 张,与收回票数 {r} 张不符,请核对后再宣布",
                                    st.keyed()
                                ),
                                format!(
                                    "{} papers keyed but {r} returned; check before announcing",
                                    st.keyed()
                                )
                            ));
                        }
                        // A void vote (returned > issued) comes back as such, its counts kept.
                        ballots::provisional(st, &self.def.agenda[item], all, present)
                            .ok_or_else(|| text!("无法计算结果", "the result cannot be computed"))?
                    }
                };
                let st = &mut self.ballots.list[b];
                st.status = BallotStatus::Announced;
                st.announced = Some(outcome);
                st.announced_at = Some(at);
                st.announced_seq = Some(seq);
            }
            Action::ReopenBallot { ballot, reason } => {
                let b = self.ballot_mut(ballot, false)?;
                if reason.trim().is_empty() {
                    return Err(text!("重新开启须说明理由", "re-opening needs a reason"));
                }
                let st = &self.ballots.list[b];
                if !st.locked() {
                    return Err(text!(
                        "该票决尚未宣布结果,无需重新开启",
                        "this ballot is not announced; nothing to re-open"
                    ));
                }
                if st.kind != CountKind::Resolution
                    && self.ballots.rounds_of(st.item).any(|r| r.round > st.round)
                {
                    return Err(text!(
                        "已有后续轮次,不能重新开启这一轮",
                        "a later round exists; this round cannot be re-opened"
                    ));
                }
                let st = &mut self.ballots.list[b];
                st.status = BallotStatus::Open;
                st.announced = None;
                st.announced_at = None;
                st.announced_seq = None;
                st.reopened.push(reason.trim().to_string());
            }
            Action::CreateRound { ballot } => {
                self.ballot_mut(ballot, true)?;
                self.ballots.create_round(ballot)?;
            }
            _ => unreachable!("agenda and attendance actions are handled in apply"),
        }
        Ok(())
    }

    /// A count acted on is no longer what its definition alone says (an amendment keeps it).
    fn touch_ballot(&mut self, action: &Action) {
        let Some(id) = action.ballot() else { return };
        let round = matches!(action, Action::CreateRound { .. });
        let item = self.ballots.get(id).map(|b| b.item);
        for b in &mut self.ballots.list {
            // A new round touches every round of its item.
            if b.id == id || (round && Some(b.item) == item) {
                b.touched = true;
            }
        }
    }

    fn touch_queue(&mut self, action: &Action) {
        let Some(i) = action
            .question_item()
            .and_then(|id| self.def.item_index(id))
        else {
            return;
        };
        for q in self.queues.iter_mut().filter(|q| q.item == i) {
            q.touched = true;
        }
    }

    /// At a station, a paper sent to the main console changes only there (else the two
    /// counts would differ without anyone seeing it).
    fn not_sent(&self, ballot: &str, serial: &str) -> Result<(), Refusal> {
        match self.stations.was_sent(ballot, serial) {
            Some(n) => Err(text!(
                format!("选票 {serial} 已在第 {n} 批送交主控台,只能在主控台更正"),
                format!("paper {serial} went to the main console in batch {n}; correct it there")
            )),
            None => Ok(()),
        }
    }

    /// The plenary does business only with the quorum present (DESIGN.md §2.1), so no item
    /// starts without it.
    fn require_quorum(&self) -> Result<(), Refusal> {
        let rule = self.quorum_rule();
        let a = &self.attendance;
        match a.verdict(rule) {
            Verdict::Met => return Ok(()),
            // The roll is not done: say what is missing, not that the meeting is inquorate.
            Verdict::Pending => {
                let need = quorum_needed(rule, a.total);
                return Err(text!(
                    format!(
                        "实到{}名,未达法定人数{need}名,不能开始议程;尚未登记{}名,请先完成出席登记。",
                        a.present, a.unmarked
                    ),
                    format!(
                        "{} present, fewer than the quorum of {need}: the item cannot start; {} deputies are not registered yet, finish the roll call first.",
                        a.present, a.unmarked
                    )
                ));
            }
            Verdict::NotMet => {}
        }
        // Short enough for the message line of an 80-column console.
        let need = quorum_needed(rule, a.total);
        Err(text!(
            format!(
                "不符合法定人数,不能开始议程:应到{}名,实到{}名,至少需{need}名。",
                a.total, a.present
            ),
            format!(
                "no quorum, the item cannot start: {} expected, {} present, {need} needed.",
                a.total, a.present
            )
        ))
    }
}

fn clean_names(names: &[String]) -> Vec<String> {
    names
        .iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

fn locked_text() -> Refusal {
    text!(
        "结果已宣布,票决已锁定:如需更正,须先重新开启并说明理由",
        "results were announced and the ballot is locked; re-open it with a reason to correct"
    )
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
