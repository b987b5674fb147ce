//! The announcement's words, sentence by sentence, and one whole announcement of each kind of
//! count (票决, 票荐, 测评, 表决, and a void vote) pinned as text.

use super::*;
use crate::domain::action::{Action, Ts};
use crate::domain::ballot::{Proposal, ProposalKind};
use crate::domain::quorum::Presence;
use crate::domain::sample;
use crate::domain::session::{ApprovalVote, QuorumRule, RateBase};
use crate::domain::state::SessionState;

fn ts() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-07-28T15:00:00+08:00").unwrap()
}

fn act(s: &mut SessionState, a: Action) {
    let seq = s.seq + 1;
    s.apply(seq, &a, ts())
        .unwrap_or_else(|e| panic!("{a:?}: {}", e.zh));
}

/// `n` deputies on the roll, `present` of them present, the item started.
fn started(n: usize, present: usize, item: &str, tune: impl Fn(&mut SessionState)) -> SessionState {
    let mut def = sample::session(n, 3, QuorumRule::None);
    let mut s0 = SessionState::new(def.clone());
    tune(&mut s0);
    def = s0.def.clone();
    let mut s = SessionState::new(def);
    for d in 0..n {
        act(
            &mut s,
            Action::MarkAttendance {
                deputy: format!("D{:04}", d + 1),
                status: if d < present {
                    Presence::Present
                } else {
                    Presence::Leave
                },
            },
        );
    }
    act(&mut s, Action::StartItem { item: item.into() });
    s
}

fn papers(s: &mut SessionState, ballot: &str, issued: u32, marks: &[&str]) {
    act(
        s,
        Action::SetIssued {
            ballot: ballot.into(),
            issued,
        },
    );
    for (i, m) in marks.iter().enumerate() {
        act(
            s,
            Action::RecordPaper {
                ballot: ballot.into(),
                serial: format!("p-{i}"),
                marks: (*m).into(),
                void_reason: None,
            },
        );
    }
}

fn zh(s: &SessionState, ballot: &str) -> String {
    let b = s.ballots.get(ballot).unwrap();
    announcement(s, b)
        .iter()
        .map(|t| t.zh.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn sentences_in_each_counts_words() {
    assert_eq!(announce_valid_void(298, 2).zh, "有效票298张,无效票2张。");
    assert_eq!(
        announce_returned(Words::Decide, 300, 300).zh,
        "根据总监票人报告,表决票发出300张,收回300张,收回票数不多于发出票数,本次票决有效。"
    );
    assert_eq!(
        announce_returned(Words::Decide, 300, 301).zh,
        "根据总监票人报告,表决票发出300张,收回301张,收回票数多于发出票数,本次票决无效,应重新投票。"
    );
    assert!(
        announce_returned(Words::Decide, 300, 301)
            .en
            .contains("void")
    );
    assert_eq!(
        announce_returned(Words::Recommend, 40, 40).zh,
        "根据总监票人报告,票荐票发出40张,收回40张,收回票数不多于发出票数,本次票荐有效。"
    );
    assert_eq!(
        announce_returned(Words::Evaluate, 40, 41).zh,
        "根据总监票人报告,测评票发出40张,收回41张,收回票数多于发出票数,本次测评无效,应重新投票。"
    );
    assert_eq!(
        announce_roll(
            Words::Decide,
            Roll {
                all: 301,
                present: 288
            }
        )
        .zh,
        "票决时应到代表301名,实到288名。"
    );
    let c = CandidateCount {
        yes: 250,
        no: 20,
        abstain: 28,
    };
    assert_eq!(
        announce_candidate("老旧小区改造", &c, Some(Outcome::Selected)).zh,
        "老旧小区改造项目获得赞成票250票、不赞成票20票、弃权票28票,当选。"
    );
    assert_eq!(
        announce_candidate("停车场建设项目", &c, Some(Outcome::BelowThreshold)).zh,
        "停车场建设项目获得赞成票250票、不赞成票20票、弃权票28票,未当选。"
    );
    assert_eq!(
        announce_candidate("停车场建设项目", &c, None).zh,
        "停车场建设项目获得赞成票250票、不赞成票20票、弃权票28票。"
    );
}

#[test]
fn the_selected_list_comes_one_per_line_and_a_leading_figure_stays_apart() {
    let lines = announce_selected(
        Words::Decide,
        &["新增学位600个", "25所中小学改造"],
        Some(2025),
    );
    let zh: Vec<&str> = lines.iter().map(|t| t.zh.as_str()).collect();
    assert_eq!(
        zh,
        [
            "根据票决结果,以下2个项目确定为2025年度民生实事项目:",
            "(1)新增学位600个;",
            "(2)25所中小学改造。",
        ]
    );
    let lines = announce_selected(Words::Recommend, &["甲"], None);
    assert_eq!(lines[0].zh, "根据票荐结果,以下1个项目推荐为民生实事项目:");
    assert_eq!(
        announce_selected(Words::Decide, &[], None)[0].zh,
        "根据票决结果,没有项目确定为民生实事项目。"
    );
    let p = Proposal {
        kind: ProposalKind::RunOff,
        candidates: vec![1, 2],
        places: 1,
    };
    assert_eq!(
        announce_proposal(&p, &["和平社区、纺机社区改造", "乙"]).zh,
        "“和平社区、纺机社区改造”、“乙”获得赞成票数相等,均未确定入选,应在上述项目中就剩余的1个名额再次投票。"
    );
    let p = Proposal {
        kind: ProposalKind::FurtherRound,
        candidates: vec![1],
        places: 1,
    };
    assert!(
        announce_proposal(&p, &["丙"])
            .zh
            .ends_with("另行投票:“丙”。")
    );
    assert!(announce_proposal(&p, &["丙"]).en.contains("further round"));
}

// --- one whole announcement of each kind ---------------------------------------------------

#[test]
fn a_decision_vote_announced() {
    // 11 on the roll, 10 present: base all (11), majority is 6.
    let mut s = started(11, 10, "vote", |_| {});
    papers(
        &mut s,
        "vote",
        10,
        &[
            "YYYAA", "YYYAA", "YYYAA", "YYNAA", "YYNAA", "YYNAA", "YNNAA", "NNNAA", "YYYYA",
            "AAAAA",
        ],
    );
    insta::assert_snapshot!(zh(&s, "vote"), @r"
    票决时应到代表11名,实到10名。
    根据总监票人报告,表决票发出10张,收回10张,收回票数不多于发出票数,本次票决有效。
    有效票9张,无效票1张。
    项目1获得赞成票7票、不赞成票1票、弃权票1票,当选。
    项目2获得赞成票6票、不赞成票2票、弃权票1票,当选。
    项目3获得赞成票3票、不赞成票5票、弃权票1票,未当选。
    项目4获得赞成票0票、不赞成票0票、弃权票9票,未当选。
    项目5获得赞成票0票、不赞成票0票、弃权票9票,未当选。
    根据票决结果,以下2个项目确定为2027年度民生实事项目:
    (1)项目1;
    (2)项目2。
    获得赞成票达到规定票数的项目少于应选数,尚有1个名额未选出,应在未入选的项目中另行投票:“项目3”、“项目4”、“项目5”。
    ");
}

#[test]
fn a_recommendation_vote_announced_in_its_own_words() {
    let mut s = started(6, 6, "vote", |s| {
        s.def.agenda[2].ballot.as_mut().unwrap().vote = ApprovalVote::Recommend;
    });
    papers(
        &mut s,
        "vote",
        6,
        &["YYYAA", "YYYAA", "YYYAA", "YYYAA", "NNNAA", "AAAAA"],
    );
    let text = zh(&s, "vote");
    insta::assert_snapshot!(text, @r"
    票荐时应到代表6名,实到6名。
    根据总监票人报告,票荐票发出6张,收回6张,收回票数不多于发出票数,本次票荐有效。
    有效票6张,无效票0张。
    项目1获得赞成票4票、不赞成票1票、弃权票1票,当选。
    项目2获得赞成票4票、不赞成票1票、弃权票1票,当选。
    项目3获得赞成票4票、不赞成票1票、弃权票1票,当选。
    项目4获得赞成票0票、不赞成票0票、弃权票6票,未当选。
    项目5获得赞成票0票、不赞成票0票、弃权票6票,未当选。
    根据票荐结果,以下3个项目推荐为2027年度民生实事项目:
    (1)项目1;
    (2)项目2;
    (3)项目3。
    ");
    assert!(!text.contains("票决"), "{text}");
    assert!(!text.contains("确定为"), "{text}");
}

#[test]
fn an_evaluation_announced_with_each_items_rate_and_grade() {
    // 42 on the roll and present; item 1: 36 满意, 3 基本满意, 2 不满意, 1 弃权.
    let mut marks = vec!["SSA"; 36];
    marks.extend(["BSA"; 3]);
    marks.extend(["USA"; 2]);
    marks.push("ASA");
    let mut s = started(42, 42, "eval", |_| {});
    papers(&mut s, "eval", 42, &marks);
    let text = zh(&s, "eval");
    insta::assert_snapshot!(text, @r"
    测评时应到代表42名,实到42名。
    根据总监票人报告,测评票发出42张,收回42张,收回票数不多于发出票数,本次测评有效。
    有效票42张,无效票0张。
    测评项目1获得满意票36票,基本满意票3票,不满意票2票,弃权票1票,满意率92.9%(以有效票42张为基数),测评等次为满意。
    测评项目2获得满意票42票,基本满意票0票,不满意票0票,弃权票0票,满意率100.0%(以有效票42张为基数),测评等次为满意。
    测评项目3获得满意票0票,基本满意票0票,不满意票0票,弃权票42票,满意率0.0%(以有效票42张为基数),测评等次为不满意。
    ");
    assert!(!text.contains("票决"), "{text}");
    assert!(!text.contains("表决票"), "{text}");
    // the same papers with 弃权 left out of the denominator
    let mut s = started(42, 42, "eval", |s| {
        s.def.agenda[3].satisfaction.as_mut().unwrap().rate_base = RateBase::Ratings;
    });
    papers(&mut s, "eval", 42, &marks);
    let text = zh(&s, "eval");
    assert!(
        text.contains("满意率95.1%(以有效评价41票为基数,不含弃权),测评等次为满意。"),
        "{text}"
    );
    assert!(
        text.contains("弃权票42票,无有效评价,不计满意率,测评等次为不满意。"),
        "{text}"
    );
}

#[test]
fn a_resolution_announced() {
    let mut s = started(11, 9, "resolve", |_| {});
    act(
        &mut s,
        Action::RecordVote {
            ballot: "resolve/m1".into(),
            yes: 7,
            no: 1,
            abstain: 1,
            not_pressed: 0,
        },
    );
    insta::assert_snapshot!(zh(&s, "resolve/m1"), @r"
    表决时应到代表11名,实到9名。
    关于半年工作报告的决议表决结果:赞成7票,反对1票,弃权1票,获得通过。
    ");
}

#[test]
fn a_void_vote_announces_no_count_and_keeps_the_papers_counts() {
    let mut s = started(11, 10, "vote", |_| {});
    act(
        &mut s,
        Action::SetReturned {
            ballot: "vote".into(),
            returned: 11,
        },
    );
    papers(&mut s, "vote", 10, &["YYYAA"; 11]);
    let text = zh(&s, "vote");
    insta::assert_snapshot!(text, @r"
    票决时应到代表11名,实到10名。
    根据总监票人报告,表决票发出10张,收回11张,收回票数多于发出票数,本次票决无效,应重新投票。
    ");
    act(
        &mut s,
        Action::AnnounceBallot {
            ballot: "vote".into(),
        },
    );
    assert_eq!(zh(&s, "vote"), text, "the same after the announcement");
    let Some(Announced::VoidVote(ballots::Tallied::Approval(c))) =
        &s.ballots.get("vote").unwrap().announced
    else {
        panic!("not a void vote")
    };
    assert_eq!(c[0].yes, 11, "the papers' counts stay on record");
}

#[test]
fn the_roll_of_the_vote_is_the_one_at_the_issue_of_papers() {
    let mut s = started(11, 10, "vote", |_| {});
    papers(&mut s, "vote", 10, &["YYYAA"; 10]);
    // a deputy leaves after the papers were issued: the sheet keeps 实到 10
    act(
        &mut s,
        Action::MarkAttendance {
            deputy: "D0001".into(),
            status: Presence::Leave,
        },
    );
    assert!(zh(&s, "vote").starts_with("票决时应到代表11名,实到10名。"));
}
