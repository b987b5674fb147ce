//! 民生实事项目 followed through the year (issue 16): the projects a 票决 selected, carried into
//! a later session's progress report and evaluation, with their supervision groups (项目监督小组),
//! status and dated progress notes. Pure: the earlier database is read by `crate::projects`.

use serde::{Deserialize, Serialize};

use crate::domain::ballot::ProposalKind;
use crate::domain::ballots::Announced;
use crate::domain::session::{ApprovalVote, ItemKind, RatedItemDef, SessionDef, SupervisionDef};
use crate::domain::state::SessionState;
use crate::domain::time::Ts;
use crate::i18n::{Lang, Text};
use crate::text;

/// Where a project stands (the four words the supervision groups report in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    /// 未开工
    #[default]
    #[serde(alias = "未开工")]
    NotStarted,
    /// 推进中
    #[serde(alias = "推进中")]
    InProgress,
    /// 已完成
    #[serde(alias = "已完成")]
    Done,
    /// 滞后
    #[serde(alias = "滞后")]
    Behind,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 4] = [
        ProjectStatus::NotStarted,
        ProjectStatus::InProgress,
        ProjectStatus::Done,
        ProjectStatus::Behind,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            ProjectStatus::NotStarted => "未开工",
            ProjectStatus::InProgress => "推进中",
            ProjectStatus::Done => "已完成",
            ProjectStatus::Behind => "滞后",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            ProjectStatus::NotStarted => "not started",
            ProjectStatus::InProgress => "in progress",
            ProjectStatus::Done => "done",
            ProjectStatus::Behind => "behind",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        lang.t(self.zh(), self.en())
    }
}

/// A session as its database names it: enough to say which it was and to tell two apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRef {
    pub body: String,
    pub title: String,
    pub date: String,
    /// The fingerprint of its first definition (the genesis entry).
    pub fingerprint: String,
}

/// Where the projects were selected: the 票决 (or 票荐) and its session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    pub session: SessionRef,
    /// The ballot item's id and title.
    pub item: String,
    pub item_title: String,
    #[serde(default, skip_serializing_if = "ApprovalVote::is_default")]
    pub vote: ApprovalVote,
    /// The year the projects are for (the ballot's `year`, else the session's year).
    pub year: u32,
    pub places: u32,
    /// Places the ballot left unfilled (a shortfall not made up by a further round).
    #[serde(default)]
    pub unfilled: u32,
}

/// A deputy as a group names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    pub name: String,
}

/// A supervision group as it follows a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub leader: Member,
    #[serde(default)]
    pub members: Vec<Member>,
}

impl Group {
    /// `第一监督小组:组长 张三,成员 李四、王五`.
    pub fn describe(&self, lang: Lang) -> String {
        let members: Vec<&str> = self.members.iter().map(|m| m.name.as_str()).collect();
        let name = self.name.as_deref().unwrap_or("");
        match lang {
            Lang::Zh => {
                let mut s = if name.is_empty() {
                    format!("组长 {}", self.leader.name)
                } else {
                    format!("{name}:组长 {}", self.leader.name)
                };
                if !members.is_empty() {
                    s.push_str(&format!(",成员 {}", members.join("、")));
                }
                s
            }
            Lang::En => {
                let mut s = if name.is_empty() {
                    format!("leader {}", self.leader.name)
                } else {
                    format!("{name}: leader {}", self.leader.name)
                };
                if !members.is_empty() {
                    s.push_str(&format!("; members {}", members.join(", ")));
                }
                s
            }
        }
    }
}

/// One selected project as it is carried: what the 票决 said of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarriedProject {
    /// The candidate's id on the 票决 paper.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Place in the final selection (1 = first), as the announcement numbered it.
    pub rank: u32,
    /// 赞成 in the round that selected it.
    pub yes: u32,
    /// That round's id (`ballot`, `ballot#2` …).
    pub round: String,
    /// Carried on from a session that had itself carried the projects: where they stood there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ProjectStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
}

/// A change of status, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusChange {
    pub seq: u64,
    pub at: Ts,
    pub from: ProjectStatus,
    pub to: ProjectStatus,
    pub note: String,
}

/// A dated progress note (进展情况).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressNote {
    pub seq: u64,
    pub at: Ts,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectState {
    pub project: CarriedProject,
    pub status: ProjectStatus,
    pub changes: Vec<StatusChange>,
    pub notes: Vec<ProgressNote>,
    /// A group assigned at the console (it takes the place of the session file's).
    pub assigned: Option<Group>,
}

/// The carry, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Carried {
    /// The database the projects came from, and its chain head when they were taken.
    pub from: SessionRef,
    pub from_head_seq: u64,
    pub from_head: String,
    pub selection: Selection,
    pub seq: u64,
    pub at: Ts,
}

/// The projects of a session: none until carried.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Projects {
    pub carried: Option<Carried>,
    pub list: Vec<ProjectState>,
}

impl Projects {
    pub fn get(&self, id: &str) -> Option<&ProjectState> {
        self.list.iter().find(|p| p.project.id == id)
    }

    /// How many projects stand at each status, in [`ProjectStatus::ALL`] order.
    pub fn tally(&self) -> [usize; 4] {
        let mut n = [0; 4];
        for p in &self.list {
            let i = ProjectStatus::ALL
                .iter()
                .position(|s| *s == p.status)
                .unwrap_or(0);
            n[i] += 1;
        }
        n
    }
}

/// The items that take the carried projects: reports on their progress, evaluations of them.
pub fn target_items(def: &SessionDef) -> Vec<usize> {
    def.agenda
        .iter()
        .enumerate()
        .filter(|(_, a)| a.projects)
        .map(|(i, _)| i)
        .collect()
}

/// The definition with the carried projects as the rated items of every evaluation that takes
/// them and has none written (the session file leaves them out). The file is compared with
/// the database through this, so a carry never reads as a change of the file.
pub fn filled(def: &SessionDef, projects: &[CarriedProject]) -> SessionDef {
    let mut d = def.clone();
    if projects.is_empty() {
        return d;
    }
    for a in d.agenda.iter_mut().filter(|a| a.projects) {
        if let Some(s) = a.satisfaction.as_mut()
            && s.items.is_empty()
        {
            s.items = projects
                .iter()
                .map(|p| RatedItemDef {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    unit: p.unit.clone(),
                })
                .collect();
        }
    }
    d
}

fn member(st: &SessionState, id: &str) -> Result<Member, Text> {
    let id = id.trim();
    st.def
        .deputy(id)
        .map(|d| Member {
            id: d.id.clone(),
            name: d.name.clone(),
        })
        .ok_or_else(|| {
            text!(
                format!("花名册中没有编号为“{id}”的代表"),
                format!("no deputy with id \"{id}\" on the roster")
            )
        })
}

/// A group from its leader's and members' ids: each on the roster, nobody twice.
pub fn group_of_ids(
    st: &SessionState,
    name: Option<&str>,
    leader: &str,
    members: &[String],
) -> Result<Group, Text> {
    let leader = member(st, leader)?;
    let mut out: Vec<Member> = Vec::new();
    for m in members {
        let m = member(st, m)?;
        if m.id == leader.id || out.iter().any(|x| x.id == m.id) {
            return Err(text!(
                format!("代表{}({})在监督小组中出现了两次", m.name, m.id),
                format!("deputy {} ({}) is named twice in the group", m.name, m.id)
            ));
        }
        out.push(m);
    }
    Ok(Group {
        name: name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string),
        leader,
        members: out,
    })
}

impl SessionState {
    /// A project's supervision group: assigned at the console, else the session file's, else
    /// the one it was carried with.
    pub fn project_group(&self, p: &ProjectState) -> Option<Group> {
        if let Some(g) = &p.assigned {
            return Some(g.clone());
        }
        if let Some(g) = self
            .def
            .supervision
            .iter()
            .find(|g| g.projects.contains(&p.project.id))
        {
            return group_from_def(self, g).ok();
        }
        p.project.group.clone()
    }

    fn project_index(&self, id: &str) -> Result<usize, Text> {
        if self.projects.carried.is_none() {
            return Err(text!(
                "本次会议尚未结转民生实事项目(huiwu projects carry)",
                "no livelihood projects carried into this session yet (huiwu projects carry)"
            ));
        }
        self.projects
            .list
            .iter()
            .position(|p| p.project.id == id)
            .ok_or_else(|| {
                text!(
                    format!("没有编号为“{id}”的民生实事项目"),
                    format!("there is no project \"{id}\"")
                )
            })
    }

    #[allow(clippy::too_many_arguments)] // the fields of the one action, as recorded
    pub(crate) fn carry_projects(
        &mut self,
        seq: u64,
        at: Ts,
        from: &SessionRef,
        from_head_seq: u64,
        from_head: &str,
        selection: &Selection,
        projects: &[CarriedProject],
    ) -> Result<(), Text> {
        if let Some(c) = &self.projects.carried {
            return Err(text!(
                format!(
                    "民生实事项目已于第 {} 条记录从“{}”({})结转,不能再次结转",
                    c.seq, c.from.title, c.from.date
                ),
                format!(
                    "the projects were already carried from \"{}\" ({}) at entry {}; they cannot be carried again",
                    c.from.title, c.from.date, c.seq
                )
            ));
        }
        let targets = target_items(&self.def);
        if targets.is_empty() {
            return Err(text!(
                "议程中没有接收民生实事项目的议程:请在进展情况报告或满意度测评议程中写 projects = true",
                "no item takes the projects: mark a progress report or an evaluation with projects = true"
            ));
        }
        if projects.is_empty() {
            return Err(text!(
                "没有入选的项目可结转",
                "no selected projects to carry"
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for p in projects {
            crate::domain::hygiene::id_rule("项目", "project", &p.id)?;
            if !seen.insert(p.id.to_ascii_lowercase()) {
                return Err(text!(
                    format!("项目编号“{}”重复", p.id),
                    format!("project id \"{}\" appears twice", p.id)
                ));
            }
        }
        check_groups(&self.def.supervision, projects)?;
        for &i in &targets {
            let a = &self.def.agenda[i];
            if a.kind == ItemKind::Satisfaction
                && a.satisfaction.as_ref().is_some_and(|s| !s.items.is_empty())
            {
                return Err(text!(
                    format!(
                        "测评议程“{}”已写有测评对象:接收民生实事项目的测评不写 items",
                        a.title
                    ),
                    format!(
                        "the evaluation \"{}\" already lists its items: an evaluation that takes the projects leaves items out",
                        a.title
                    )
                ));
            }
        }
        let new = filled(&self.def, projects);
        if new != self.def {
            let review = crate::domain::amend::review(self, &new);
            if !review.refused.is_empty() {
                let zh: Vec<&str> = review.refused.iter().map(|t| t.zh.as_str()).collect();
                let en: Vec<&str> = review.refused.iter().map(|t| t.en.as_str()).collect();
                return Err(text!(
                    format!("项目不能结转:{}", zh.join(";")),
                    format!("the projects cannot be carried: {}", en.join("; "))
                ));
            }
            crate::domain::amend::apply(self, new);
        }
        self.projects.carried = Some(Carried {
            from: from.clone(),
            from_head_seq,
            from_head: from_head.to_string(),
            selection: selection.clone(),
            seq,
            at,
        });
        self.projects.list = projects
            .iter()
            .map(|p| ProjectState {
                project: p.clone(),
                status: p.status.unwrap_or_default(),
                changes: Vec::new(),
                notes: Vec::new(),
                assigned: None,
            })
            .collect();
        Ok(())
    }

    pub(crate) fn set_project_status(
        &mut self,
        seq: u64,
        at: Ts,
        project: &str,
        status: ProjectStatus,
        note: &str,
    ) -> Result<(), Text> {
        let i = self.project_index(project)?;
        let p = &mut self.projects.list[i];
        if p.status == status {
            return Err(text!(
                format!("项目“{}”已是“{}”", p.project.name, status.zh()),
                format!("\"{}\" is already {}", p.project.name, status.en())
            ));
        }
        p.changes.push(StatusChange {
            seq,
            at,
            from: p.status,
            to: status,
            note: note.trim().to_string(),
        });
        p.status = status;
        Ok(())
    }

    pub(crate) fn add_project_note(
        &mut self,
        seq: u64,
        at: Ts,
        project: &str,
        text: &str,
    ) -> Result<(), Text> {
        let i = self.project_index(project)?;
        let t = text.trim();
        if t.is_empty() {
            return Err(text!("进展情况为空", "the progress note is empty"));
        }
        self.projects.list[i].notes.push(ProgressNote {
            seq,
            at,
            text: t.to_string(),
        });
        Ok(())
    }

    pub(crate) fn assign_group(
        &mut self,
        project: &str,
        name: Option<&str>,
        leader: &str,
        members: &[String],
    ) -> Result<(), Text> {
        let i = self.project_index(project)?;
        let g = group_of_ids(self, name, leader, members)?;
        if self.project_group(&self.projects.list[i]).as_ref() == Some(&g) {
            return Err(text!("监督小组未变", "the supervision group is unchanged"));
        }
        self.projects.list[i].assigned = Some(g);
        Ok(())
    }
}

/// Every project a session file's group follows is one of the carried projects.
pub fn check_groups(groups: &[SupervisionDef], projects: &[CarriedProject]) -> Result<(), Text> {
    for g in groups {
        for id in &g.projects {
            if !projects.iter().any(|p| p.id == *id) {
                return Err(text!(
                    format!(
                        "会议文件中的监督小组(组长 {})负责的项目“{id}”不在所结转的入选项目中",
                        g.leader
                    ),
                    format!(
                        "the session file's supervision group (leader {}) follows project \"{id}\", which is not among the selected projects carried",
                        g.leader
                    )
                ));
            }
        }
    }
    Ok(())
}

fn group_from_def(st: &SessionState, g: &SupervisionDef) -> Result<Group, Text> {
    group_of_ids(st, g.name.as_deref(), &g.leader, &g.members)
}

/// What an earlier session's record gives to carry: the final selection of its 票决 after every
/// run-off and further round (or, from a session that had carried them, the projects as they
/// stand there), refused while the ballot is not announced, void, or awaiting a run-off.
/// `item` names the ballot when the session held more than one.
pub fn selection_of(
    st: &SessionState,
    session: SessionRef,
    item: Option<&str>,
) -> Result<(Selection, Vec<CarriedProject>), Text> {
    let def = &st.def;
    let ballots: Vec<usize> = def
        .agenda
        .iter()
        .enumerate()
        .filter(|(_, a)| a.ballot.is_some())
        .map(|(i, _)| i)
        .collect();
    let chosen = match item {
        Some(id) => {
            let Some(i) = def.item_index(id) else {
                return Err(text!(
                    format!("“{}”中没有编号为“{id}”的议程", session.title),
                    format!("\"{}\" has no agenda item \"{id}\"", session.title)
                ));
            };
            if !ballots.contains(&i) {
                return Err(text!(
                    format!("议程“{}”不是票决议程", def.agenda[i].title),
                    format!("item \"{}\" is not a ballot", def.agenda[i].title)
                ));
            }
            Some(i)
        }
        None if ballots.len() > 1 => {
            let ids: Vec<&str> = ballots.iter().map(|&i| def.agenda[i].id.as_str()).collect();
            return Err(text!(
                format!(
                    "“{}”有 {} 项票决({}),请用 --item 指定结转哪一项",
                    session.title,
                    ids.len(),
                    ids.join("、")
                ),
                format!(
                    "\"{}\" has {} ballots ({}); name the one to carry with --item",
                    session.title,
                    ids.len(),
                    ids.join(", ")
                )
            ));
        }
        None => ballots.first().copied(),
    };
    let Some(i) = chosen else {
        // A session that carried the projects passes them on as they stand there.
        if let Some(c) = &st.projects.carried {
            let projects = st
                .projects
                .list
                .iter()
                .map(|p| CarriedProject {
                    status: Some(p.status),
                    group: st.project_group(p),
                    ..p.project.clone()
                })
                .collect();
            return Ok((c.selection.clone(), projects));
        }
        return Err(text!(
            format!("“{}”没有票决议程,也没有结转过民生实事项目", session.title),
            format!(
                "\"{}\" has no ballot and carried no projects",
                session.title
            )
        ));
    };
    let a = &def.agenda[i];
    let bd = a.ballot.as_ref().expect("a ballot item");
    let rounds: Vec<_> = st.ballots.rounds_of(i).collect();
    let last = rounds.last().expect("a ballot item has its first round");
    match &last.announced {
        None => {
            return Err(text!(
                format!("“{}”尚未宣布结果,不能结转", last_title(a, last.round)),
                format!(
                    "\"{}\" is not announced; nothing can be carried",
                    last_title(a, last.round)
                )
            ));
        }
        Some(Announced::VoidVote(_)) => {
            return Err(text!(
                format!(
                    "“{}”收回票数多于发出票数,投票无效,应重新投票;重新投票宣布结果后方可结转",
                    last_title(a, last.round)
                ),
                format!(
                    "\"{}\" is void (more papers returned than issued); the vote must be repeated and announced before anything is carried",
                    last_title(a, last.round)
                )
            ));
        }
        Some(_) => {}
    }
    let Some(fin) = st.ballots.final_selection(i) else {
        return Err(text!(
            format!("“{}”尚未宣布结果,不能结转", a.title),
            format!("\"{}\" is not announced; nothing can be carried", a.title)
        ));
    };
    if let Some(p) = &fin.pending
        && p.kind == ProposalKind::RunOff
    {
        return Err(text!(
            format!("“{}”票数并列,须再次投票宣布结果后方可结转", a.title),
            format!(
                "\"{}\" has a tie at the cut-off; hold the run-off and announce it first",
                a.title
            )
        ));
    }
    if let Some(p) = &fin.pending
        && p.kind == ProposalKind::FurtherRound
        && st.items[i].status != crate::domain::state::ItemStatus::Done
    {
        return Err(text!(
            format!(
                "“{}”尚有 {} 个名额未选出,另行投票尚未进行:进行另行投票,或结束该议程(不再投票)后方可结转",
                a.title, p.places
            ),
            format!(
                "\"{}\" has {} places unfilled and its further round is still due: hold it, or finish the item (no further vote), before carrying",
                a.title, p.places
            )
        ));
    }
    if fin.selected.is_empty() {
        return Err(text!(
            format!("“{}”没有项目入选,没有可结转的项目", a.title),
            format!(
                "\"{}\" selected no project; there is nothing to carry",
                a.title
            )
        ));
    }
    let mut projects = Vec::with_capacity(fin.selected.len());
    for (k, &orig) in fin.selected.iter().enumerate() {
        let mut found = None;
        for r in &rounds {
            let Some(Announced::Approval(res)) = &r.announced else {
                continue;
            };
            for &ri in &res.selected {
                if r.candidates.get(ri) == Some(&orig) {
                    let yes = res
                        .candidates
                        .iter()
                        .find(|c| c.index == ri)
                        .map_or(0, |c| c.yes);
                    found = Some((r.id.clone(), yes));
                }
            }
        }
        let (round, yes) = found.unwrap_or_else(|| (last.id.clone(), 0));
        let c = &bd.candidates[orig];
        projects.push(CarriedProject {
            id: c.id.clone(),
            name: c.name.clone(),
            unit: c.unit.clone(),
            rank: k as u32 + 1,
            yes,
            round,
            status: None,
            group: None,
        });
    }
    let year = bd.year.unwrap_or_else(|| {
        def.session
            .date
            .get(..4)
            .and_then(|y| y.parse().ok())
            .unwrap_or(0)
    });
    Ok((
        Selection {
            session,
            item: a.id.clone(),
            item_title: a.title.clone(),
            vote: bd.vote,
            year,
            places: bd.places,
            unfilled: fin.unfilled,
        },
        projects,
    ))
}

fn last_title(a: &crate::domain::session::AgendaItemDef, round: u32) -> String {
    if round > 1 {
        format!("{}(第{round}轮)", a.title)
    } else {
        a.title.clone()
    }
}

#[cfg(test)]
#[path = "projects_tests.rs"]
pub(crate) mod tests;
