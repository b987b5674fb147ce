//! The question state machine, its timers (with an injected clock), ratings and commitments.

use crate::domain::action::{Action, Ts};
use crate::domain::questions::{CStatus, PhaseKind, QStatus};
use crate::domain::quorum::Presence;
use crate::domain::sample;
use crate::domain::session::{QuorumRule, Respondent};
use crate::domain::state::SessionState;
use crate::i18n::Text;

fn at(secs: i64) -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-07-28T15:00:00+08:00").unwrap()
        + chrono::Duration::seconds(secs)
}

fn act(s: &mut SessionState, a: Action, t: i64) -> Result<(), Text> {
    let seq = s.seq + 1;
    s.apply(seq, &a, at(t))
}

macro_rules! call {
    ($q:expr) => {
        Action::CallQuestion {
            item: "ask".into(),
            question: $q.into(),
            asker: None,
        }
    };
}

macro_rules! qa {
    ($variant:ident, $q:expr) => {
        Action::$variant {
            item: "ask".into(),
            question: $q.into(),
        }
    };
}

/// 10 deputies present, the questioning item running.
fn running() -> SessionState {
    let mut s = SessionState::new(sample::session(10, 3, QuorumRule::TwoThirds));
    act(
        &mut s,
        Action::MarkUnmarked {
            status: Presence::Present,
        },
        0,
    )
    .unwrap();
    act(&mut s, Action::StartItem { item: "ask".into() }, 0).unwrap();
    s
}

fn status(s: &SessionState, k: usize) -> QStatus {
    s.queues[0].questions[k].status
}

#[test]
fn the_allowed_path() {
    let mut s = running();
    act(&mut s, call!("q1"), 0).unwrap();
    assert_eq!(status(&s, 0), QStatus::Asking);
    act(&mut s, qa!(StartAnswer, "q1"), 150).unwrap();
    act(&mut s, qa!(StartFollowUp, "q1"), 500).unwrap();
    assert_eq!(status(&s, 0), QStatus::FollowUp(1));
    act(&mut s, qa!(FinishQuestion, "q1"), 600).unwrap();
    assert_eq!(status(&s, 0), QStatus::Done);
    let qs = &s.queues[0].questions[0];
    let kinds: Vec<PhaseKind> = qs.phases.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        vec![PhaseKind::Ask, PhaseKind::Answer, PhaseKind::FollowUp(1)]
    );
    assert_eq!(
        qs.phase(PhaseKind::Answer).unwrap().elapsed_secs(at(9999)),
        350
    );
    assert_eq!(qs.elapsed_secs(at(9999)), 600);
}

#[test]
fn refused_transitions_change_nothing() {
    let mut s = running();
    // no answer, follow-up or finish before the question is asked
    for a in [
        qa!(StartAnswer, "q1"),
        qa!(StartFollowUp, "q1"),
        qa!(FinishQuestion, "q1"),
        qa!(PauseQuestion, "q1"),
    ] {
        assert!(act(&mut s, a, 0).is_err());
    }
    assert_eq!(status(&s, 0), QStatus::Queued);
    act(&mut s, call!("q1"), 0).unwrap();
    // no finish without an answer, no follow-up before the answer
    assert!(
        act(&mut s, qa!(FinishQuestion, "q1"), 10)
            .unwrap_err()
            .en
            .contains("not been answered")
    );
    assert!(act(&mut s, qa!(StartFollowUp, "q1"), 10).is_err());
    // one question at a time
    assert!(
        act(&mut s, call!("q2"), 10)
            .unwrap_err()
            .zh
            .contains("询问主题1")
    );
    act(&mut s, qa!(StartAnswer, "q1"), 20).unwrap();
    act(&mut s, qa!(StartFollowUp, "q1"), 30).unwrap();
    // one follow-up allowed in the sample
    assert!(
        act(&mut s, qa!(StartFollowUp, "q1"), 40)
            .unwrap_err()
            .en
            .contains("at most 1 follow-up")
    );
    assert_eq!(status(&s, 0), QStatus::FollowUp(1));
    act(&mut s, qa!(FinishQuestion, "q1"), 50).unwrap();
    assert!(
        act(&mut s, call!("q1"), 60)
            .unwrap_err()
            .en
            .contains("already called")
    );
}

#[test]
fn withdrawn_and_deferred_questions() {
    let mut s = running();
    let w = |reason: &str| Action::WithdrawQuestion {
        item: "ask".into(),
        question: "q2".into(),
        reason: reason.into(),
    };
    assert!(act(&mut s, w(""), 0).is_err());
    act(&mut s, w("提问代表因公缺席"), 0).unwrap();
    assert!(
        act(&mut s, call!("q2"), 0)
            .unwrap_err()
            .en
            .contains("withdrawn")
    );
    let d = Action::DeferQuestion {
        item: "ask".into(),
        question: "q3".into(),
        reason: "应询人请假".into(),
    };
    act(&mut s, d, 0).unwrap();
    assert!(
        act(&mut s, call!("q3"), 0)
            .unwrap_err()
            .en
            .contains("deferred")
    );
    let r = Action::RestoreQuestion {
        item: "ask".into(),
        question: "q3".into(),
        reason: "应询人到会".into(),
    };
    act(&mut s, r, 0).unwrap();
    act(&mut s, call!("q3"), 0).unwrap();
    // a called question can no longer be withdrawn
    let w3 = Action::WithdrawQuestion {
        item: "ask".into(),
        question: "q3".into(),
        reason: "x".into(),
    };
    assert!(act(&mut s, w3, 0).is_err());
    // withdrawn questions do not count toward their group's balance
    let groups: u32 = s.queues[0].per_group().iter().map(|(_, n)| n).sum();
    assert_eq!(groups, 2);
}

#[test]
fn questions_need_the_item_running() {
    let mut s = SessionState::new(sample::session(10, 3, QuorumRule::None));
    assert!(
        act(&mut s, call!("q1"), 0)
            .unwrap_err()
            .en
            .contains("start the item")
    );
}

#[test]
fn overrun_is_exact_and_pauses_are_excluded() {
    let mut s = running();
    act(&mut s, call!("q1"), 0).unwrap();
    act(&mut s, qa!(StartAnswer, "q1"), 200).unwrap(); // ask planned 180 s: 20 s over
    let ask = s.queues[0].questions[0]
        .phase(PhaseKind::Ask)
        .unwrap()
        .clone();
    assert_eq!(
        (ask.elapsed_secs(at(10_000)), ask.overrun_secs(at(10_000))),
        (200, 20)
    );
    // answer planned 300 s; paused from 100 to 160: at 560 it has run 300 s, no overrun
    act(&mut s, qa!(PauseQuestion, "q1"), 300).unwrap();
    assert!(act(&mut s, qa!(PauseQuestion, "q1"), 310).is_err());
    act(&mut s, qa!(ResumeQuestion, "q1"), 360).unwrap();
    let answer = s.queues[0].questions[0].current_phase().unwrap().clone();
    assert_eq!(answer.elapsed_secs(at(560)), 300);
    assert_eq!(answer.overrun_secs(at(560)), 0);
    assert_eq!(answer.overrun_secs(at(561)), 1);
    // while paused the clock stands still
    act(&mut s, qa!(PauseQuestion, "q1"), 400).unwrap();
    let answer = s.queues[0].questions[0].current_phase().unwrap().clone();
    assert_eq!(answer.elapsed_secs(at(400)), answer.elapsed_secs(at(5000)));
    // a new phase after a pause starts running
    act(&mut s, qa!(StartFollowUp, "q1"), 500).unwrap();
    assert!(!s.queues[0].questions[0].paused);
}

#[test]
fn on_the_spot_question_reorder_and_notes() {
    let mut s = running();
    let add = |id: &str, deputy: &str| Action::AddQuestion {
        item: "ask".into(),
        question: crate::domain::session::QuestionDef {
            id: id.into(),
            topic: "背街小巷路灯".into(),
            deputy: deputy.into(),
            group: None,
            respondent: Respondent {
                name: "王强".into(),
                post: "市城管局局长".into(),
                unit: "市城管局".into(),
            },
            ask_minutes: None,
            answer_minutes: None,
            followups: None,
        },
    };
    assert!(act(&mut s, add("s1", "nobody"), 0).is_err());
    assert!(act(&mut s, add("q1", "D0005"), 0).is_err());
    act(&mut s, add("s1", "D0005"), 0).unwrap();
    let added = s.queues[0].questions.last().unwrap();
    assert!(added.on_the_spot);
    assert_eq!(added.def.group.as_deref(), Some("第2代表小组"));
    act(
        &mut s,
        Action::MoveQuestion {
            item: "ask".into(),
            question: "s1".into(),
            to: 0,
        },
        0,
    )
    .unwrap();
    assert_eq!(s.queues[0].questions[0].def.id, "s1");
    assert!(
        act(
            &mut s,
            Action::MoveQuestion {
                item: "ask".into(),
                question: "s1".into(),
                to: 9
            },
            0
        )
        .is_err()
    );
    let note = |t: &str| Action::AnswerNote {
        item: "ask".into(),
        question: "s1".into(),
        text: t.into(),
    };
    assert!(act(&mut s, note("尚未提问"), 0).is_err());
    act(&mut s, call!("s1"), 0).unwrap();
    act(
        &mut s,
        note("一、已排查路灯缺亮点位\n二、年底前完成修复"),
        10,
    )
    .unwrap();
    assert!(s.queues[0].questions[0].notes[0].text.contains('\n'));
}

#[test]
fn rating_and_grade() {
    let mut s = running();
    let rate = |a, b, c, d| Action::RateAnswer {
        item: "ask".into(),
        question: "q1".into(),
        satisfied: a,
        basically_satisfied: b,
        unsatisfied: c,
        abstain: d,
    };
    act(&mut s, call!("q1"), 0).unwrap();
    assert!(
        act(&mut s, rate(5, 0, 0, 0), 1).is_err(),
        "not before the answer"
    );
    act(&mut s, qa!(StartAnswer, "q1"), 10).unwrap();
    assert!(
        act(&mut s, rate(6, 3, 1, 1), 20)
            .unwrap_err()
            .en
            .contains("more than the 10")
    );
    // base: deputies present (10). 满意 5 is not more than half; 5 + 3 is: 基本满意
    act(&mut s, rate(5, 3, 1, 1), 20).unwrap();
    let qs = &s.queues[0].questions[0];
    assert_eq!(
        qs.grade,
        Some(crate::domain::satisfaction::Grade::BasicallySatisfied)
    );
    act(&mut s, rate(6, 2, 1, 1), 30).unwrap();
    assert_eq!(
        s.queues[0].questions[0].grade,
        Some(crate::domain::satisfaction::Grade::Satisfied)
    );
}

#[test]
fn commitments_are_recorded_tracked_and_overdue_is_computed() {
    let mut s = running();
    act(&mut s, call!("q1"), 0).unwrap();
    act(&mut s, qa!(StartAnswer, "q1"), 10).unwrap();
    let add = |due: &str| Action::AddCommitment {
        item: "ask".into(),
        question: "q1".into(),
        text: "年底前完成老旧小区雨污分流改造".into(),
        unit: "市住建局".into(),
        due: due.into(),
    };
    assert!(
        act(&mut s, add("年底"), 20)
            .unwrap_err()
            .en
            .contains("YYYY-MM-DD")
    );
    act(&mut s, add("2026-12-31"), 20).unwrap();
    // typed as a clerk types it, stored in one form
    act(&mut s, add("２０２７年1月5日"), 21).unwrap();
    act(&mut s, add("2027-2-8"), 22).unwrap();
    let dues: Vec<&str> = s.commitments.iter().map(|c| c.due.as_str()).collect();
    assert_eq!(dues, ["2026-12-31", "2027-01-05", "2027-02-08"]);
    let c = &s.commitments[0];
    assert_eq!((c.id.as_str(), c.status), ("C001", CStatus::Open));
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    assert!(c.overdue(today));
    assert!(!c.overdue(chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()));
    let up = |st: CStatus| Action::UpdateCommitment {
        commitment: "C001".into(),
        status: st,
        note: String::new(),
    };
    assert!(act(&mut s, up(CStatus::Open), 30).is_err());
    act(&mut s, up(CStatus::Done), 30).unwrap();
    assert!(!s.commitments[0].overdue(today));
    assert_eq!(s.commitments[0].history.len(), 1);
}

#[test]
fn carried_commitments_go_to_a_report_back_item_once() {
    let mut def = sample::session(10, 3, QuorumRule::None);
    def.agenda[1].report_back = true;
    let mut s = SessionState::new(def);
    let c = crate::domain::questions::Commitment {
        id: "C001".into(),
        item: "ask".into(),
        question: "q1".into(),
        text: "建成10个口袋公园".into(),
        unit: "市园林局".into(),
        due: "2026-06-30".into(),
        status: CStatus::InProgress,
        history: Vec::new(),
        carried_from: None,
        topic: "口袋公园".into(),
        respondent: "副市长 李明".into(),
    };
    let carry = |item: &str| Action::CarryCommitments {
        item: item.into(),
        source: "上次会议".into(),
        commitments: vec![c.clone()],
    };
    assert!(
        act(&mut s, carry("open"), 0)
            .unwrap_err()
            .en
            .contains("not a report-back")
    );
    act(&mut s, carry("report"), 0).unwrap();
    assert_eq!(s.commitments[0].id, "P-C001");
    assert_eq!(s.commitments[0].carried_from.as_deref(), Some("上次会议"));
    assert!(
        act(&mut s, carry("report"), 0)
            .unwrap_err()
            .en
            .contains("already carried")
    );
}

#[test]
fn a_questioner_away_is_replaced_by_a_present_deputy_of_the_same_group() {
    let call_by = |asker: Option<&str>| Action::CallQuestion {
        item: "ask".into(),
        question: "q1".into(),
        asker: asker.map(str::to_string),
    };
    let mut s = running();
    // here: nobody asks in their place
    assert!(
        act(&mut s, call_by(Some("D0004")), 0)
            .unwrap_err()
            .en
            .contains("is here")
    );
    act(
        &mut s,
        Action::MarkAttendance {
            deputy: "D0001".into(),
            status: Presence::Leave,
        },
        0,
    )
    .unwrap();
    // on leave: not called without someone asking instead
    assert!(
        act(&mut s, call!("q1"), 0)
            .unwrap_err()
            .en
            .contains("on leave")
    );
    // D0002 is of another group; D0007 of the same group but absent
    assert!(
        act(&mut s, call_by(Some("D0002")), 0)
            .unwrap_err()
            .en
            .contains("is not of")
    );
    act(
        &mut s,
        Action::MarkAttendance {
            deputy: "D0007".into(),
            status: Presence::Absent,
        },
        0,
    )
    .unwrap();
    assert!(
        act(&mut s, call_by(Some("D0007")), 0)
            .unwrap_err()
            .en
            .contains("not marked present")
    );
    assert!(act(&mut s, call_by(Some("X9")), 0).is_err());
    // D0004: same group, present
    act(&mut s, call_by(Some("D0004")), 0).unwrap();
    assert_eq!(status(&s, 0), QStatus::Asking);
    assert_eq!(s.queues[0].questions[0].asked_by.as_deref(), Some("D0004"));
    assert_eq!(
        s.asker_label(&s.queues[0].questions[0], crate::i18n::Lang::Zh),
        "代表4(代代表1)"
    );
}
