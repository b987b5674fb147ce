//! Small generated sessions for tests and benchmarks (not the realistic ones in `sessions/`).

use crate::domain::session::*;

/// A session with `deputies` deputies in `groups` groups and a short agenda of each kind.
pub fn session(deputies: usize, groups: usize, quorum: QuorumRule) -> SessionDef {
    let groups = groups.max(1);
    let n_deputies = deputies;
    let deputies = (0..deputies)
        .map(|i| Deputy {
            id: format!("D{:04}", i + 1),
            name: format!("代表{}", i + 1),
            group: format!("第{}代表小组", i % groups + 1),
            seat: Some(format!("{}排{}座", i / 20 + 1, i % 20 + 1)),
            unit: None,
        })
        .collect();
    let plain = |id: &str, kind: ItemKind, title: &str, minutes: u32| AgendaItemDef {
        id: id.into(),
        kind,
        title: title.into(),
        presenter: Some("主持人".into()),
        post: None,
        minutes,
        mode: (kind == ItemKind::Report).then_some(ReportMode::Oral),
        report_back: false,
        projects: false,
        ballot: None,
        questioning: None,
        satisfaction: None,
        resolution: None,
    };
    let mut ballot = plain("vote", ItemKind::Ballot, "民生实事项目票决", 30);
    ballot.ballot = Some(BallotDef {
        places: 3,
        equal: false,
        base: Base::All,
        threshold: Threshold::Majority,
        vote: Default::default(),
        paper: Default::default(),
        year: Some(2027),
        scrutineers: vec!["总监票人".into(), "监票人".into()],
        clerks: vec!["计票人".into()],
        candidates: (1..=5)
            .map(|i| CandidateDef {
                id: format!("P{i:02}"),
                name: format!("项目{i}"),
                unit: None,
            })
            .collect(),
    });
    let mut eval = plain("eval", ItemKind::Satisfaction, "民生实事项目满意度测评", 20);
    eval.satisfaction = Some(SatisfactionDef {
        base: Base::All,
        rate_base: Default::default(),
        scrutineers: Vec::new(),
        clerks: Vec::new(),
        items: (1..=3)
            .map(|i| RatedItemDef {
                id: format!("S{i}"),
                name: format!("测评项目{i}"),
                unit: None,
            })
            .collect(),
    });
    let mut resolve = plain("resolve", ItemKind::Resolution, "表决决议", 10);
    resolve.resolution = Some(ResolutionDef {
        method: VoteMethod::Hands,
        base: Base::All,
        threshold: Threshold::Majority,
        motions: vec![
            MotionDef {
                id: "m1".into(),
                title: "关于半年工作报告的决议".into(),
            },
            MotionDef {
                id: "m2".into(),
                title: "关于民生实事项目的决议".into(),
            },
        ],
    });
    let mut ask = plain("ask", ItemKind::Questioning, "代表询问", 60);
    let group_of = |i: usize| format!("第{}代表小组", i % groups + 1);
    ask.questioning = Some(QuestioningDef {
        ask_minutes: 3,
        answer_minutes: 5,
        followup_minutes: 2,
        followups: 1,
        max_per_group: Some(2),
        rate_answers: true,
        rating_base: Base::Present,
        questions: (0..3.min(n_deputies))
            .map(|i| QuestionDef {
                id: format!("q{}", i + 1),
                topic: format!("询问主题{}", i + 1),
                deputy: format!("D{:04}", i + 1),
                group: Some(group_of(i)),
                respondent: Respondent {
                    name: format!("应询人{}", i + 1),
                    post: "副市长".into(),
                    unit: "市人民政府".into(),
                },
                ask_minutes: None,
                answer_minutes: None,
                followups: None,
            })
            .collect(),
    });
    SessionDef {
        session: SessionMeta {
            body: "测试市人民代表大会".into(),
            level: Level::City,
            title: "测试市第一届人民代表大会第一次会议".into(),
            term: 1,
            session: 1,
            plenary: None,
            date: "2026-07-28".into(),
            start: Some("14:30".into()),
            venue: "会议中心".into(),
            chair: "主持人".into(),
            recorder: None,
            quorum,
            followups_from: None,
            projects_from: None,
        },
        deputies,
        agenda: vec![
            plain("open", ItemKind::Procedural, "宣布开会", 5),
            plain("report", ItemKind::Report, "听取半年工作报告", 40),
            ballot,
            eval,
            resolve,
            ask,
            plain("close", ItemKind::Procedural, "闭会", 5),
        ],
        supervision: Vec::new(),
    }
}
