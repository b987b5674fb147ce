//! Carrying the selected projects (issue 16): what the earlier record gives, what the carry
//! refuses, and the projects' status, notes and groups afterwards.

use crate::domain::action::{Action, Ts};
use crate::domain::projects::{ProjectStatus, SessionRef, selection_of};
use crate::domain::quorum::Presence;
use crate::domain::sample;
use crate::domain::session::{QuorumRule, SessionDef, SupervisionDef};
use crate::domain::state::{Refusal, SessionState};

fn ts() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-07-28T15:00:00+08:00").unwrap()
}

fn act(s: &mut SessionState, a: Action) -> Result<(), Refusal> {
    let seq = s.seq + 1;
    s.apply(seq, &a, ts())
}

fn origin() -> SessionRef {
    SessionRef {
        body: "测试市人民代表大会".into(),
        title: "测试市第一届人民代表大会第一次会议".into(),
        date: "2026-07-28".into(),
        fingerprint: "f".repeat(64),
    }
}

/// The sample's ballot (5 candidates, 3 places, base all) with `n` deputies all present, its
/// papers keyed as `papers` and announced.
fn voted(n: usize, papers: &[&str]) -> SessionState {
    let mut s = SessionState::new(sample::session(n, 3, QuorumRule::TwoThirds));
    act(
        &mut s,
        Action::MarkUnmarked {
            status: Presence::Present,
        },
    )
    .unwrap();
    act(
        &mut s,
        Action::StartItem {
            item: "vote".into(),
        },
    )
    .unwrap();
    act(
        &mut s,
        Action::SetIssued {
            ballot: "vote".into(),
            issued: papers.len() as u32,
        },
    )
    .unwrap();
    for (i, m) in papers.iter().enumerate() {
        act(
            &mut s,
            Action::RecordPaper {
                ballot: "vote".into(),
                serial: format!("main-{:04}", i + 1),
                marks: (*m).into(),
                void_reason: None,
            },
        )
        .unwrap();
    }
    act(
        &mut s,
        Action::AnnounceBallot {
            ballot: "vote".into(),
        },
    )
    .unwrap();
    s
}

/// A later session: the sample with its evaluation and report taking the projects.
fn later_def() -> SessionDef {
    let mut d = sample::session(9, 3, QuorumRule::TwoThirds);
    for a in &mut d.agenda {
        if a.id == "eval" {
            a.projects = true;
            a.satisfaction.as_mut().unwrap().items.clear();
        }
        if a.id == "report" {
            a.projects = true;
        }
    }
    d
}

fn carry(later: &mut SessionState, earlier: &SessionState) -> Result<(), Refusal> {
    let (selection, projects) = selection_of(earlier, origin(), None)?;
    act(
        later,
        Action::CarryProjects {
            from: origin(),
            from_head_seq: earlier.seq,
            from_head: "ab".repeat(32),
            selection,
            projects,
        },
    )
}

/// A later session with three projects carried (项目1–3, not started), for other modules' tests.
pub(crate) fn carried() -> SessionState {
    let earlier = voted(5, &["YYYNN", "YYYNN", "YYYNN", "YYNYN", "YNNNN"]);
    let mut later = SessionState::new(later_def());
    carry(&mut later, &earlier).unwrap();
    later
}

#[test]
fn the_final_selection_is_carried_with_rank_and_yes() {
    // 5 deputies: P01 5 yes, P02 4, P03 3, P04 1, P05 0; base all 5, majority needs 3.
    let earlier = voted(5, &["YYYNN", "YYYNN", "YYYNN", "YYNYN", "YNNNN"]);
    let (sel, projects) = selection_of(&earlier, origin(), None).unwrap();
    assert_eq!(sel.year, 2027);
    assert_eq!(sel.places, 3);
    assert_eq!(sel.unfilled, 0);
    let got: Vec<(&str, u32, u32)> = projects
        .iter()
        .map(|p| (p.id.as_str(), p.rank, p.yes))
        .collect();
    assert_eq!(got, vec![("P01", 1, 5), ("P02", 2, 4), ("P03", 3, 3)]);
    let mut later = SessionState::new(later_def());
    carry(&mut later, &earlier).unwrap();
    // The evaluation now rates exactly the selected projects, in rank order.
    let eval = later.def.item("eval").unwrap();
    let items: Vec<&str> = eval
        .satisfaction
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(items, vec!["项目1", "项目2", "项目3"]);
    let b = later.ballots.get("eval").unwrap();
    assert_eq!(b.candidates.len(), 3);
    assert_eq!(later.projects.list.len(), 3);
    assert!(
        later
            .projects
            .list
            .iter()
            .all(|p| p.status == ProjectStatus::NotStarted)
    );
}

#[test]
fn a_tie_then_its_run_off_is_carried_as_the_run_off_decided() {
    // 5 deputies, base all 5 (majority: 3). P01 4, P02 3, P03 3, P04 3 → P01 in, a three-way
    // tie for 2 places at the cut-off.
    let mut earlier = voted(5, &["YYYNN", "YYNYN", "YNYYN", "YYYNN", "NNNYN"]);
    let err = selection_of(&earlier, origin(), None).unwrap_err();
    assert!(err.zh.contains("并列"), "{}", err.zh);
    act(
        &mut earlier,
        Action::CreateRound {
            ballot: "vote".into(),
        },
    )
    .unwrap();
    let run_off = earlier.ballots.list.last().unwrap().id.clone();
    act(
        &mut earlier,
        Action::SetIssued {
            ballot: run_off.clone(),
            issued: 5,
        },
    )
    .unwrap();
    // Run-off among P02 P03 P04 for 2 places: P04 5, P03 3, P02 1.
    for (i, m) in ["NYY", "NYY", "YNY", "NYY", "NNY"].iter().enumerate() {
        act(
            &mut earlier,
            Action::RecordPaper {
                ballot: run_off.clone(),
                serial: format!("r-{i}"),
                marks: (*m).into(),
                void_reason: None,
            },
        )
        .unwrap();
    }
    act(
        &mut earlier,
        Action::AnnounceBallot {
            ballot: run_off.clone(),
        },
    )
    .unwrap();
    let (_, projects) = selection_of(&earlier, origin(), None).unwrap();
    let got: Vec<(&str, u32, u32, &str)> = projects
        .iter()
        .map(|p| (p.id.as_str(), p.rank, p.yes, p.round.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("P01", 1, 4, "vote"),
            ("P04", 2, 5, run_off.as_str()),
            ("P03", 3, 3, run_off.as_str()),
        ]
    );
}

#[test]
fn not_announced_void_or_nobody_selected_is_refused() {
    let mut s = SessionState::new(sample::session(5, 3, QuorumRule::TwoThirds));
    let err = selection_of(&s, origin(), None).unwrap_err();
    assert!(err.zh.contains("尚未宣布"), "{}", err.zh);

    // Void: 3 issued, 4 returned.
    act(
        &mut s,
        Action::MarkUnmarked {
            status: Presence::Present,
        },
    )
    .unwrap();
    act(
        &mut s,
        Action::StartItem {
            item: "vote".into(),
        },
    )
    .unwrap();
    act(
        &mut s,
        Action::SetIssued {
            ballot: "vote".into(),
            issued: 3,
        },
    )
    .unwrap();
    act(
        &mut s,
        Action::SetReturned {
            ballot: "vote".into(),
            returned: 4,
        },
    )
    .unwrap();
    act(
        &mut s,
        Action::AnnounceBallot {
            ballot: "vote".into(),
        },
    )
    .unwrap();
    let err = selection_of(&s, origin(), None).unwrap_err();
    assert!(err.zh.contains("投票无效"), "{}", err.zh);

    // Nobody past the majority of all 5.
    let mut earlier = voted(5, &["YNNNN", "NYNNN", "NNYNN", "NNNYN", "NNNNY"]);
    act(
        &mut earlier,
        Action::FinishItem {
            item: "vote".into(),
        },
    )
    .unwrap();
    let err = selection_of(&earlier, origin(), None).unwrap_err();
    assert!(err.zh.contains("没有项目入选"), "{}", err.zh);
}

#[test]
fn a_shortfall_carries_what_was_selected_and_says_how_many_places_are_left() {
    // 5 deputies: only P01 (5) and P02 (3) reach 3 of 5.
    let mut earlier = voted(5, &["YYNNN", "YYNNN", "YYNNN", "YNNNN", "YNNNN"]);
    // While the 票决 item runs the further round is still due: nothing is final yet.
    let err = selection_of(&earlier, origin(), None).unwrap_err();
    assert!(err.zh.contains("另行投票尚未进行"), "{}", err.zh);
    // The item finished without a further vote: the places stay unfilled.
    act(
        &mut earlier,
        Action::FinishItem {
            item: "vote".into(),
        },
    )
    .unwrap();
    let (sel, projects) = selection_of(&earlier, origin(), None).unwrap();
    assert_eq!(projects.len(), 2);
    assert_eq!(sel.unfilled, 1);
}

#[test]
fn the_carry_happens_once_and_only_into_items_marked_for_it() {
    let earlier = voted(5, &["YYYNN", "YYYNN", "YYYNN", "YYNYN", "YNNNN"]);
    // No item marked projects = true.
    let mut plain = SessionState::new(sample::session(9, 3, QuorumRule::TwoThirds));
    let err = carry(&mut plain, &earlier).unwrap_err();
    assert!(err.zh.contains("projects = true"), "{}", err.zh);

    let mut later = SessionState::new(later_def());
    carry(&mut later, &earlier).unwrap();
    let err = carry(&mut later, &earlier).unwrap_err();
    assert!(err.zh.contains("不能再次结转"), "{}", err.zh);
}

#[test]
fn an_evaluation_of_the_projects_cannot_start_before_they_are_carried() {
    let mut later = SessionState::new(later_def());
    act(
        &mut later,
        Action::MarkUnmarked {
            status: Presence::Present,
        },
    )
    .unwrap();
    let err = act(
        &mut later,
        Action::StartItem {
            item: "eval".into(),
        },
    )
    .unwrap_err();
    assert!(err.zh.contains("尚未结转"), "{}", err.zh);
    // The report may go ahead; the projects come with the carry.
    act(
        &mut later,
        Action::StartItem {
            item: "report".into(),
        },
    )
    .unwrap();
}

#[test]
fn a_started_evaluation_refuses_the_carry() {
    let earlier = voted(5, &["YYYNN", "YYYNN", "YYYNN", "YYNYN", "YNNNN"]);
    let mut d = later_def();
    // The evaluation lists its own items and has started: nothing may change under it.
    for a in &mut d.agenda {
        if a.id == "eval" {
            a.satisfaction.as_mut().unwrap().items = sample::session(9, 3, QuorumRule::TwoThirds)
                .item("eval")
                .unwrap()
                .satisfaction
                .clone()
                .unwrap()
                .items;
        }
    }
    let mut later = SessionState::new(d);
    let err = carry(&mut later, &earlier).unwrap_err();
    assert!(err.zh.contains("已写有测评对象"), "{}", err.zh);
}

#[test]
fn status_notes_and_groups_are_recorded_and_checked() {
    let earlier = voted(5, &["YYYNN", "YYYNN", "YYYNN", "YYNYN", "YNNNN"]);
    let mut d = later_def();
    d.supervision = vec![SupervisionDef {
        name: Some("第一监督小组".into()),
        projects: vec!["P01".into(), "P02".into()],
        leader: "D0001".into(),
        members: vec!["D0002".into(), "D0003".into()],
    }];
    let mut later = SessionState::new(d.clone());
    // Before the carry nothing can be said of a project.
    let err = act(
        &mut later,
        Action::AddProjectNote {
            project: "P01".into(),
            text: "已完成".into(),
        },
    )
    .unwrap_err();
    assert!(err.zh.contains("尚未结转"), "{}", err.zh);
    carry(&mut later, &earlier).unwrap();
    let g = later
        .project_group(later.projects.get("P02").unwrap())
        .unwrap();
    assert_eq!(g.leader.id, "D0001");
    assert_eq!(g.members.len(), 2);
    assert!(
        later
            .project_group(later.projects.get("P03").unwrap())
            .is_none()
    );

    act(
        &mut later,
        Action::SetProjectStatus {
            project: "P01".into(),
            status: ProjectStatus::InProgress,
            note: "28个小区已开工16个".into(),
        },
    )
    .unwrap();
    let err = act(
        &mut later,
        Action::SetProjectStatus {
            project: "P01".into(),
            status: ProjectStatus::InProgress,
            note: String::new(),
        },
    )
    .unwrap_err();
    assert!(err.zh.contains("已是"), "{}", err.zh);
    act(
        &mut later,
        Action::AddProjectNote {
            project: "P01".into(),
            text: "6月底完成投资1.2亿元".into(),
        },
    )
    .unwrap();
    let err = act(
        &mut later,
        Action::AddProjectNote {
            project: "P99".into(),
            text: "x".into(),
        },
    )
    .unwrap_err();
    assert!(err.zh.contains("P99"), "{}", err.zh);
    let p = later.projects.get("P01").unwrap();
    assert_eq!(p.status, ProjectStatus::InProgress);
    assert_eq!(p.changes.len(), 1);
    assert_eq!(p.notes.len(), 1);

    // A group at the console takes the place of the file's; its deputies are on the roster.
    let err = act(
        &mut later,
        Action::AssignGroup {
            project: "P03".into(),
            name: None,
            leader: "D9999".into(),
            members: vec![],
        },
    )
    .unwrap_err();
    assert!(err.zh.contains("D9999"), "{}", err.zh);
    let err = act(
        &mut later,
        Action::AssignGroup {
            project: "P03".into(),
            name: None,
            leader: "D0004".into(),
            members: vec!["D0004".into()],
        },
    )
    .unwrap_err();
    assert!(err.zh.contains("两次"), "{}", err.zh);
    act(
        &mut later,
        Action::AssignGroup {
            project: "P03".into(),
            name: Some("第二监督小组".into()),
            leader: "D0004".into(),
            members: vec!["D0005".into()],
        },
    )
    .unwrap();
    let g = later
        .project_group(later.projects.get("P03").unwrap())
        .unwrap();
    assert_eq!(g.name.as_deref(), Some("第二监督小组"));

    // A file group naming a project that was not selected refuses the carry.
    let mut d2 = d;
    d2.supervision[0].projects.push("P05".into());
    let mut other = SessionState::new(d2);
    let err = carry(&mut other, &earlier).unwrap_err();
    assert!(err.zh.contains("P05"), "{}", err.zh);
}

#[test]
fn a_session_that_carried_the_projects_passes_them_on_as_they_stand() {
    let earlier = voted(5, &["YYYNN", "YYYNN", "YYYNN", "YYNYN", "YNNNN"]);
    // The mid-year session has no ballot of its own: it passes on what it carried.
    let mut d = later_def();
    d.agenda.retain(|a| a.id != "vote");
    let mut mid = SessionState::new(d);
    carry(&mut mid, &earlier).unwrap();
    act(
        &mut mid,
        Action::SetProjectStatus {
            project: "P02".into(),
            status: ProjectStatus::Behind,
            note: String::new(),
        },
    )
    .unwrap();
    let (sel, projects) = selection_of(&mid, origin(), None).unwrap();
    assert_eq!(sel.year, 2027);
    assert_eq!(sel.item, "vote");
    let got: Vec<(&str, Option<ProjectStatus>)> =
        projects.iter().map(|p| (p.id.as_str(), p.status)).collect();
    assert_eq!(
        got,
        vec![
            ("P01", Some(ProjectStatus::NotStarted)),
            ("P02", Some(ProjectStatus::Behind)),
            ("P03", Some(ProjectStatus::NotStarted)),
        ]
    );
    // The year-end session starts where the mid-year left them.
    let mut year_end = SessionState::new(later_def());
    act(
        &mut year_end,
        Action::CarryProjects {
            from: origin(),
            from_head_seq: mid.seq,
            from_head: "cd".repeat(32),
            selection: sel,
            projects,
        },
    )
    .unwrap();
    assert_eq!(
        year_end.projects.get("P02").unwrap().status,
        ProjectStatus::Behind
    );
}

#[test]
fn the_evaluation_takes_no_staff_figures_or_papers_before_the_carry() {
    let mut later = SessionState::new(later_def());
    for a in [
        Action::SetStaff {
            ballot: "eval".into(),
            scrutineers: vec!["总监票人".into()],
            clerks: vec![],
        },
        Action::SetIssued {
            ballot: "eval".into(),
            issued: 3,
        },
        Action::SetReturned {
            ballot: "eval".into(),
            returned: 3,
        },
    ] {
        let err = act(&mut later, a).unwrap_err();
        assert!(err.zh.contains("尚未结转"), "{}", err.zh);
    }
    // Nothing was touched: the carry still goes in.
    let earlier = voted(5, &["YYYNN", "YYYNN", "YYYNN", "YYNYN", "YNNNN"]);
    carry(&mut later, &earlier).unwrap();
}

#[test]
fn an_amendment_after_the_carry_keeps_the_projects_and_their_groups_honest() {
    let earlier = voted(5, &["YYYNN", "YYYNN", "YYYNN", "YYNYN", "YNNNN"]);
    let mut later = SessionState::new(later_def());
    carry(&mut later, &earlier).unwrap();
    // The session file as written (no items), with a title fixed: the projects stay rated.
    let mut d = later_def();
    d.agenda[1].title = "听取半年工作报告(修订)".into();
    act(
        &mut later,
        Action::AmendSession {
            definition: Box::new(d.clone()),
            reason: "标题有误".into(),
        },
    )
    .unwrap();
    let items = &later
        .def
        .item("eval")
        .unwrap()
        .satisfaction
        .as_ref()
        .unwrap()
        .items;
    assert_eq!(items.len(), 3);
    // A group for a project that was not selected is refused.
    d.agenda[1].title = "听取半年工作报告(再修订)".into();
    d.supervision = vec![SupervisionDef {
        name: None,
        projects: vec!["P05".into()],
        leader: "D0001".into(),
        members: vec![],
    }];
    let err = act(
        &mut later,
        Action::AmendSession {
            definition: Box::new(d),
            reason: "增设监督小组".into(),
        },
    )
    .unwrap_err();
    assert!(err.zh.contains("P05"), "{}", err.zh);
}
