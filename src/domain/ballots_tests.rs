//! Ballot procedure as the state applies it: issued/returned, papers, undo, corrections,
//! lock and re-open, further rounds, evaluations and resolutions.

use crate::domain::action::{Action, Ts};
use crate::domain::ballot::Outcome;
use crate::domain::ballots::{Announced, RoundKind};
use crate::domain::quorum::Presence;
use crate::domain::sample;
use crate::domain::session::QuorumRule;
use crate::domain::state::{Refusal, SessionState};

fn ts() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-07-28T15:00:00+08:00").unwrap()
}

fn act(s: &mut SessionState, a: Action) -> Result<(), Refusal> {
    let seq = s.seq + 1;
    s.apply(seq, &a, ts())
}

/// `n` deputies, all present, the vote item started (5 candidates, 3 places, base all).
fn started(n: usize) -> SessionState {
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
    s
}

fn paper(s: &mut SessionState, ballot: &str, serial: &str, marks: &str) -> Result<(), Refusal> {
    act(
        s,
        Action::RecordPaper {
            ballot: ballot.into(),
            serial: serial.into(),
            marks: marks.into(),
            void_reason: None,
        },
    )
}

fn issue(s: &mut SessionState, ballot: &str, n: u32) {
    act(
        s,
        Action::SetIssued {
            ballot: ballot.into(),
            issued: n,
        },
    )
    .unwrap();
}

fn announce(s: &mut SessionState, ballot: &str) -> Result<(), Refusal> {
    act(
        s,
        Action::AnnounceBallot {
            ballot: ballot.into(),
        },
    )
}

fn result(s: &SessionState, id: &str) -> crate::domain::ballot::BallotResult {
    match &s.ballots.get(id).unwrap().announced {
        Some(Announced::Approval(r)) => r.clone(),
        other => panic!("not an approval result: {other:?}"),
    }
}

#[test]
fn papers_need_the_item_started() {
    let mut s = SessionState::new(sample::session(5, 1, QuorumRule::None));
    let e = paper(&mut s, "vote", "m-1", "YYYAA").unwrap_err();
    assert!(e.zh.contains("尚未开始"));
}

#[test]
fn a_paper_with_too_many_yes_is_void_and_counts_nothing() {
    let mut s = started(10);
    paper(&mut s, "vote", "m-0001", "YYYYA").unwrap(); // 4 赞成 for 3 places
    paper(&mut s, "vote", "m-0002", "YYYNN").unwrap(); // exactly 3: valid
    let b = s.ballots.get("vote").unwrap();
    assert_eq!((b.valid(), b.void(), b.keyed()), (1, 1, 2));
    assert!(b.paper("m-0001").unwrap().void.is_some());
    // ○ × and blanks are understood
    paper(&mut s, "vote", "m-0003", "○×○ ×").unwrap();
    assert_eq!(
        s.ballots
            .get("vote")
            .unwrap()
            .paper("m-0003")
            .unwrap()
            .marks,
        "YNYAN"
    );
    // a wrong number of marks is refused with the reason
    let e = paper(&mut s, "vote", "m-0004", "YY").unwrap_err();
    assert!(e.en.contains("needs 5 marks"));
}

#[test]
fn no_paper_is_counted_twice() {
    let mut s = started(10);
    paper(&mut s, "vote", "A-1", "YAAAA").unwrap();
    let e = paper(&mut s, "vote", "A-1", "NAAAA").unwrap_err();
    assert!(e.en.contains("not counted twice"));
    assert_eq!(s.ballots.get("vote").unwrap().keyed(), 1);
}

#[test]
fn undo_only_the_last_then_correct_and_strike_with_reasons() {
    let mut s = started(10);
    paper(&mut s, "vote", "m-1", "YYAAA").unwrap();
    paper(&mut s, "vote", "m-2", "YNAAA").unwrap();
    assert!(
        act(
            &mut s,
            Action::UndoPaper {
                ballot: "vote".into(),
                serial: "m-1".into()
            }
        )
        .is_err()
    );
    act(
        &mut s,
        Action::UndoPaper {
            ballot: "vote".into(),
            serial: "m-2".into(),
        },
    )
    .unwrap();
    let b = s.ballots.get("vote").unwrap();
    assert_eq!((b.keyed(), b.paper("m-2").unwrap().live()), (1, false));
    // correcting needs a reason; then counts move
    let fix = |reason: &str| Action::CorrectPaper {
        ballot: "vote".into(),
        serial: "m-1".into(),
        marks: "NNYAA".into(),
        void_reason: None,
        reason: reason.into(),
    };
    assert!(act(&mut s, fix(" ")).is_err());
    act(&mut s, fix("监票人核对原票")).unwrap();
    let counts = match &s.ballots.get("vote").unwrap().counter {
        crate::domain::ballots::Counter::Approval(t) => t.counts().to_vec(),
        _ => unreachable!(),
    };
    assert_eq!((counts[0].yes, counts[0].no, counts[2].yes), (0, 1, 1));
    assert!(
        act(
            &mut s,
            Action::StrikePaper {
                ballot: "vote".into(),
                serial: "m-1".into(),
                reason: "".into()
            }
        )
        .is_err()
    );
    act(
        &mut s,
        Action::StrikePaper {
            ballot: "vote".into(),
            serial: "m-1".into(),
            reason: "重复录入".into(),
        },
    )
    .unwrap();
    assert_eq!(s.ballots.get("vote").unwrap().keyed(), 0);
}

#[test]
fn hand_void_paper_needs_a_reason_and_may_be_unreadable() {
    let mut s = started(10);
    let a = |reason: &str| Action::RecordPaper {
        ballot: "vote".into(),
        serial: "m-9".into(),
        marks: String::new(),
        void_reason: Some(reason.into()),
    };
    assert!(act(&mut s, a("  ")).is_err());
    act(&mut s, a("字迹无法辨认")).unwrap();
    let b = s.ballots.get("vote").unwrap();
    assert_eq!((b.valid(), b.void()), (0, 1));
}

#[test]
fn returned_more_than_issued_voids_the_vote_and_a_repeat_follows() {
    let mut s = started(10);
    issue(&mut s, "vote", 3);
    for i in 0..4 {
        paper(&mut s, "vote", &format!("m-{i}"), "YYYAA").unwrap();
    }
    assert!(s.ballots.get("vote").unwrap().vote_void());
    announce(&mut s, "vote").unwrap();
    assert!(matches!(
        s.ballots.get("vote").unwrap().announced,
        Some(Announced::VoidVote(_))
    ));
    act(
        &mut s,
        Action::CreateRound {
            ballot: "vote".into(),
        },
    )
    .unwrap();
    let r = s.ballots.get("vote#2").unwrap();
    assert_eq!(
        (r.round_kind, r.candidates.len(), r.places),
        (RoundKind::Repeat, 5, 3)
    );
}

#[test]
fn issued_cannot_exceed_present() {
    let mut s = started(10);
    let e = act(
        &mut s,
        Action::SetIssued {
            ballot: "vote".into(),
            issued: 11,
        },
    )
    .unwrap_err();
    assert!(e.zh.contains("超过出席代表数"));
}

#[test]
fn declared_returned_caps_keying_and_must_match_to_announce() {
    let mut s = started(10);
    issue(&mut s, "vote", 10);
    act(
        &mut s,
        Action::SetReturned {
            ballot: "vote".into(),
            returned: 2,
        },
    )
    .unwrap();
    paper(&mut s, "vote", "m-1", "YYYAA").unwrap();
    assert!(
        announce(&mut s, "vote")
            .unwrap_err()
            .en
            .contains("1 papers keyed but 2 returned")
    );
    paper(&mut s, "vote", "m-2", "YYYAA").unwrap();
    assert!(paper(&mut s, "vote", "m-3", "YYYAA").is_err());
    assert!(
        act(
            &mut s,
            Action::SetReturned {
                ballot: "vote".into(),
                returned: 1
            }
        )
        .is_err()
    );
    announce(&mut s, "vote").unwrap();
}

#[test]
fn announced_ballot_is_locked_until_reopened_with_a_reason() {
    let mut s = started(10);
    issue(&mut s, "vote", 10);
    paper(&mut s, "vote", "m-1", "YYYAA").unwrap();
    assert!(announce(&mut s, "vote").is_ok());
    assert!(
        paper(&mut s, "vote", "m-2", "YYYAA")
            .unwrap_err()
            .zh
            .contains("锁定")
    );
    assert!(
        act(
            &mut s,
            Action::StrikePaper {
                ballot: "vote".into(),
                serial: "m-1".into(),
                reason: "x".into()
            }
        )
        .is_err()
    );
    assert!(
        act(
            &mut s,
            Action::ReopenBallot {
                ballot: "vote".into(),
                reason: "".into()
            }
        )
        .is_err()
    );
    act(
        &mut s,
        Action::ReopenBallot {
            ballot: "vote".into(),
            reason: "总监票人要求复核".into(),
        },
    )
    .unwrap();
    paper(&mut s, "vote", "m-2", "YYYAA").unwrap();
    assert_eq!(
        s.ballots.get("vote").unwrap().reopened,
        vec!["总监票人要求复核".to_string()]
    );
}

#[test]
fn announce_needs_issued() {
    let mut s = started(10);
    paper(&mut s, "vote", "m-1", "YYYAA").unwrap();
    assert!(announce(&mut s, "vote").unwrap_err().en.contains("issued"));
}

#[test]
fn tie_at_the_cut_off_gets_a_runoff_among_exactly_the_tied() {
    // 10 deputies, base all: a candidate needs 6 赞成. Places 3.
    let mut s = started(10);
    issue(&mut s, "vote", 10);
    // P1: 8, P2: 7, P3: 6, P4: 6, P5: 0 -> P3/P4 tie for place 3, both past 6 > 10/2
    let papers = [
        "YYYAA", "YYYAA", "YYYAA", "YYYAA", "YYAYA", "YYAYA", "YYAYA", "YAYYA", "AAYYA", "AAAYA",
    ];
    for (i, m) in papers.iter().enumerate() {
        paper(&mut s, "vote", &format!("m-{i}"), m).unwrap();
    }
    announce(&mut s, "vote").unwrap();
    let r = result(&s, "vote");
    assert_eq!(r.outcome_of(0), Some(Outcome::Selected));
    assert_eq!(r.outcome_of(1), Some(Outcome::Selected));
    assert_eq!(r.outcome_of(2), Some(Outcome::Tie));
    assert_eq!(r.outcome_of(3), Some(Outcome::Tie));
    act(
        &mut s,
        Action::CreateRound {
            ballot: "vote".into(),
        },
    )
    .unwrap();
    let ro = s.ballots.get("vote#2").unwrap();
    assert_eq!(
        (ro.round_kind, ro.candidates.clone(), ro.places),
        (RoundKind::RunOff, vec![2, 3], 1)
    );
    // a second CreateRound is refused while the run-off is open
    assert!(
        act(
            &mut s,
            Action::CreateRound {
                ballot: "vote".into()
            }
        )
        .is_err()
    );
    issue(&mut s, "vote#2", 10);
    for i in 0..10 {
        let m = if i < 6 { "AY" } else { "YA" };
        paper(&mut s, "vote#2", &format!("r-{i}"), m).unwrap();
    }
    announce(&mut s, "vote#2").unwrap();
    let fin = s.ballots.final_selection(2).unwrap();
    assert_eq!(fin.selected, vec![0, 1, 3]);
    // the first round's announcement still says what was said then: two chosen, a run-off due
    let first = crate::domain::announce::announcement(&s, s.ballots.get("vote").unwrap());
    assert!(
        first.iter().any(|t| t.zh.contains("以下2个项目")),
        "{first:?}"
    );
    assert!(first.iter().any(|t| t.zh.contains("再次投票")), "{first:?}");
    let second = crate::domain::announce::announcement(&s, s.ballots.get("vote#2").unwrap());
    assert!(
        second.iter().any(|t| t.zh.contains("以下3个项目")),
        "{second:?}"
    );
    assert_eq!(fin.unfilled, 0);
    assert!(s.ballots.next_round(2).is_none());
    // an earlier round cannot be re-opened once a later one exists
    assert!(
        act(
            &mut s,
            Action::ReopenBallot {
                ballot: "vote".into(),
                reason: "x".into()
            }
        )
        .is_err()
    );
}

#[test]
fn shortfall_gets_a_further_round_among_those_not_selected() {
    let mut s = started(10);
    issue(&mut s, "vote", 10);
    // only P1 and P2 reach 6 赞成 (more than half of 10)
    for i in 0..10 {
        let m = if i < 6 { "YYAAA" } else { "AAAAA" };
        paper(&mut s, "vote", &format!("m-{i}"), m).unwrap();
    }
    announce(&mut s, "vote").unwrap();
    let r = result(&s, "vote");
    assert_eq!(r.unfilled, 1);
    assert_eq!(r.selected, vec![0, 1]);
    act(
        &mut s,
        Action::CreateRound {
            ballot: "vote".into(),
        },
    )
    .unwrap();
    let ro = s.ballots.get("vote#2").unwrap();
    assert_eq!(
        (ro.round_kind, ro.candidates.clone(), ro.places),
        (RoundKind::FurtherRound, vec![2, 3, 4], 1)
    );
}

#[test]
fn satisfaction_evaluation_flow() {
    let mut s = started(10);
    act(
        &mut s,
        Action::FinishItem {
            item: "vote".into(),
        },
    )
    .unwrap();
    act(
        &mut s,
        Action::StartItem {
            item: "eval".into(),
        },
    )
    .unwrap();
    issue(&mut s, "eval", 10);
    for i in 0..10 {
        let m = match i {
            0..=5 => "SBU",
            6..=8 => "BBA",
            _ => "UUU",
        };
        paper(&mut s, "eval", &format!("e-{i}"), m).unwrap();
    }
    assert!(paper(&mut s, "eval", "e-x", "SYB").is_err());
    announce(&mut s, "eval").unwrap();
    let Some(Announced::Satisfaction { base, items, .. }) =
        &s.ballots.get("eval").unwrap().announced
    else {
        panic!()
    };
    assert_eq!(*base, 10);
    assert_eq!(items[0].counts.satisfied, 6);
    assert_eq!(
        items[0].grade,
        Some(crate::domain::satisfaction::Grade::Satisfied)
    );
    assert_eq!(
        items[1].grade,
        Some(crate::domain::satisfaction::Grade::BasicallySatisfied)
    );
    assert_eq!(
        items[2].grade,
        Some(crate::domain::satisfaction::Grade::Unsatisfied)
    );
}

#[test]
fn resolution_totals_checked_against_present() {
    let mut s = started(10);
    act(
        &mut s,
        Action::FinishItem {
            item: "vote".into(),
        },
    )
    .unwrap();
    act(
        &mut s,
        Action::StartItem {
            item: "resolve".into(),
        },
    )
    .unwrap();
    let v = |yes, no, abstain| Action::RecordVote {
        ballot: "resolve/m1".into(),
        yes,
        no,
        abstain,
        not_pressed: 0,
    };
    assert!(act(&mut s, v(8, 2, 1)).is_err());
    assert!(announce(&mut s, "resolve/m1").is_err());
    act(&mut s, v(6, 2, 1)).unwrap();
    announce(&mut s, "resolve/m1").unwrap();
    let Some(Announced::Resolution(r)) = &s.ballots.get("resolve/m1").unwrap().announced else {
        panic!()
    };
    assert!(r.passed);
    assert!(act(&mut s, v(5, 2, 1)).is_err());
    // 5 of 10 is not more than half
    act(
        &mut s,
        Action::RecordVote {
            ballot: "resolve/m2".into(),
            yes: 5,
            no: 5,
            abstain: 0,
            not_pressed: 0,
        },
    )
    .unwrap();
    announce(&mut s, "resolve/m2").unwrap();
    let Some(Announced::Resolution(r)) = &s.ballots.get("resolve/m2").unwrap().announced else {
        panic!()
    };
    assert!(!r.passed);
}
