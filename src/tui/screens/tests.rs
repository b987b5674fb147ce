//! What each key asks for, screen by screen, read straight from the intents: no database, no
//! terminal. The session is the small generated one (agenda: open, report, vote, eval,
//! resolve, ask, close).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::action::{Action, Ts};
use crate::domain::quorum::Presence;
use crate::domain::sample;
use crate::domain::session::QuorumRule;
use crate::domain::state::SessionState;
use crate::i18n::Lang;
use crate::tui::confirm::Then;
use crate::tui::intent::{Follow, Intent};
use crate::tui::keys::Screen;
use crate::tui::purpose::Purpose;
use crate::tui::screens::agenda::{self, Agenda};
use crate::tui::screens::roll::Roll;
use crate::tui::screens::{Seen, moved};

fn ts() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-07-28T15:00:00+08:00").unwrap()
}

fn act(s: &mut SessionState, a: Action) {
    let seq = s.seq + 1;
    s.apply(seq, &a, ts()).unwrap();
}

fn session(n: usize) -> SessionState {
    SessionState::new(sample::session(n, 3, QuorumRule::TwoThirds))
}

fn all_present(n: usize) -> SessionState {
    let mut s = session(n);
    act(
        &mut s,
        Action::MarkUnmarked {
            status: Presence::Present,
        },
    );
    s
}

fn start(s: &mut SessionState, item: &str) {
    act(s, Action::StartItem { item: item.into() });
}

fn seen(st: &SessionState) -> Seen<'_> {
    Seen {
        st,
        station: "main",
        lang: Lang::Zh,
        half_keyed: None,
        today: ts().date_naive(),
    }
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn code(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn refused(i: &Intent) -> &str {
    match i {
        Intent::Refuse(why) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn asked(i: &Intent) -> (&[String], &Then) {
    match i {
        Intent::Ask { lines, then, .. } => (lines, then),
        other => panic!("expected a question, got {other:?}"),
    }
}

fn on(sel: usize) -> Agenda {
    Agenda { sel }
}

#[test]
fn finish_with_nothing_running_is_refused_and_names_the_start_key() {
    let st = all_present(7);
    let why = on(0).on_key(&seen(&st), &key('f')).clone();
    assert!(refused(&why).contains("没有正在进行的议程"), "{why:?}");
    assert!(refused(&why).contains('s'), "{why:?}");
}

#[test]
fn finish_acts_on_the_running_item_wherever_the_cursor_is() {
    let mut st = all_present(7);
    start(&mut st, "open");
    // The cursor on "close", far from the running item: `f` still finishes "open".
    assert_eq!(
        on(6).on_key(&seen(&st), &key('f')),
        Intent::Execute(Action::FinishItem {
            item: "open".into()
        })
    );
}

#[test]
fn finish_with_papers_keyed_and_not_announced_asks_first() {
    let mut st = all_present(7);
    start(&mut st, "vote");
    act(
        &mut st,
        Action::SetIssued {
            ballot: "vote".into(),
            issued: 7,
        },
    );
    let i = on(2).on_key(&seen(&st), &key('f'));
    let (lines, then) = asked(&i);
    assert!(
        lines.iter().any(|l| l.contains("结果尚未宣布")),
        "{lines:?}"
    );
    assert_eq!(
        *then,
        Then::execute(Action::FinishItem {
            item: "vote".into()
        })
    );
}

#[test]
fn finish_with_a_paper_half_keyed_asks_first() {
    let mut st = all_present(7);
    start(&mut st, "vote");
    let s = Seen {
        st: &st,
        station: "main",
        lang: Lang::Zh,
        half_keyed: Some(2),
        today: ts().date_naive(),
    };
    let i = on(2).on_key(&s, &key('f'));
    let (lines, _) = asked(&i);
    assert!(
        lines.iter().any(|l| l.contains("本票尚未录入")),
        "{lines:?}"
    );
    // The same half-keyed paper on another item does not stop this one.
    let other = Seen {
        half_keyed: Some(3),
        ..s
    };
    assert!(matches!(
        on(2).on_key(&other, &key('f')),
        Intent::Execute(Action::FinishItem { .. })
    ));
}

#[test]
fn start_with_earlier_items_pending_asks_and_names_them() {
    let mut st = all_present(7);
    start(&mut st, "open");
    act(
        &mut st,
        Action::FinishItem {
            item: "open".into(),
        },
    );
    // "report" (1) not held yet; starting "vote" (2) asks, naming it.
    let i = on(2).on_key(&seen(&st), &key('s'));
    let (lines, then) = asked(&i);
    assert!(
        lines.iter().any(|l| l.contains("前面还有 1 项")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("听取半年工作报告")),
        "{lines:?}"
    );
    assert_eq!(
        *then,
        Then::execute(Action::StartItem {
            item: "vote".into()
        })
    );
    // The next item in order starts at once.
    assert_eq!(
        on(1).on_key(&seen(&st), &key('s')),
        Intent::Execute(Action::StartItem {
            item: "report".into()
        })
    );
}

#[test]
fn opening_the_meeting_with_deputies_unregistered_says_how_many() {
    // 7 deputies, 6 present (quorum met), one not marked yet.
    let mut st = session(7);
    for d in 1..=6 {
        act(
            &mut st,
            Action::MarkAttendance {
                deputy: format!("D{d:04}"),
                status: Presence::Present,
            },
        );
    }
    let i = on(0).on_key(&seen(&st), &key('s'));
    let (lines, _) = asked(&i);
    assert!(lines[0].contains("还有 1 名代表尚未登记"), "{lines:?}");
}

#[test]
fn skip_refuses_an_item_already_held_and_prompts_for_one_pending() {
    let mut st = all_present(7);
    start(&mut st, "open");
    let i = on(0).on_key(&seen(&st), &key('k'));
    assert!(refused(&i).contains("只能跳过尚未开始的议程"));
    match on(1).on_key(&seen(&st), &key('k')) {
        Intent::Prompt { purpose, title, .. } => {
            assert_eq!(
                purpose,
                Purpose::SkipReason {
                    item: "report".into()
                }
            );
            assert!(title.contains("听取半年工作报告"), "{title}");
        }
        other => panic!("expected the skip prompt, got {other:?}"),
    }
}

#[test]
fn skipping_an_item_with_questions_waiting_asks_first() {
    let st = all_present(7);
    let s = seen(&st);
    let purpose = Purpose::SkipReason { item: "ask".into() };
    let i = agenda::submit(&s, &purpose, "时间不够".into()).unwrap();
    let (lines, then) = asked(&i);
    assert!(lines[0].contains("3 个问题将记为未提问"), "{lines:?}");
    assert_eq!(
        *then,
        Then::execute(Action::SkipItem {
            item: "ask".into(),
            reason: "时间不够".into()
        })
    );
    // An item without questions is skipped at once.
    let plain = Purpose::SkipReason {
        item: "report".into(),
    };
    assert_eq!(
        agenda::submit(&s, &plain, String::new()),
        Some(Intent::Execute(Action::SkipItem {
            item: "report".into(),
            reason: String::new()
        }))
    );
}

#[test]
fn note_prompts_under_the_cursor_item_not_the_running_one() {
    let mut st = all_present(7);
    start(&mut st, "open");
    match on(3).on_key(&seen(&st), &key('n')) {
        Intent::Prompt { purpose, .. } => {
            assert_eq!(
                purpose,
                Purpose::Note {
                    item: "eval".into()
                }
            )
        }
        other => panic!("expected the note prompt, got {other:?}"),
    }
}

#[test]
fn enter_opens_what_the_item_has_and_refuses_what_has_nothing() {
    let st = all_present(7);
    let s = seen(&st);
    assert!(refused(&on(0).on_key(&s, &code(KeyCode::Enter))).contains("没有计票"));
    assert_eq!(
        on(2).on_key(&s, &code(KeyCode::Enter)),
        Intent::OpenCount(2)
    );
    assert_eq!(
        on(3).on_key(&s, &code(KeyCode::Enter)),
        Intent::OpenCount(3)
    );
    assert_eq!(
        on(4).on_key(&s, &code(KeyCode::Enter)),
        Intent::OpenCount(4)
    );
    assert_eq!(
        on(5).on_key(&s, &code(KeyCode::Enter)),
        Intent::OpenQueue(0)
    );
}

#[test]
fn agenda_cursor_stops_at_the_ends_and_says_when_it_did_not_move() {
    let st = all_present(7);
    let s = seen(&st);
    let mut a = on(0);
    assert_eq!(a.on_key(&s, &code(KeyCode::Up)), Intent::Nothing);
    assert_eq!(a.on_key(&s, &code(KeyCode::Down)), Intent::Moved);
    assert_eq!(a.sel, 1);
    assert_eq!(a.on_key(&s, &code(KeyCode::End)), Intent::Moved);
    assert_eq!(a.sel, 6);
    assert_eq!(a.on_key(&s, &code(KeyCode::Down)), Intent::Nothing);
    assert_eq!(a.sel, 6);
}

#[test]
fn a_key_with_no_meaning_here_does_nothing() {
    let st = all_present(7);
    let s = seen(&st);
    for k in [key('z'), key('p'), key('0'), code(KeyCode::F(12))] {
        let mut a = on(2);
        assert_eq!(a.on_key(&s, &k), Intent::Nothing, "{k:?} on the agenda");
        assert_eq!(a.sel, 2);
    }
    let mut r = Roll::new(&st.def);
    for k in [key('z'), key('s'), key('f'), code(KeyCode::Enter)] {
        assert_eq!(r.on_key(&s, &k), Intent::Nothing, "{k:?} on the roll");
        assert_eq!(r.sel, 0);
    }
}

#[test]
fn tab_goes_round_the_screens() {
    let st = all_present(7);
    let s = seen(&st);
    assert_eq!(
        on(0).on_key(&s, &code(KeyCode::Tab)),
        Intent::GoTo(Screen::ALL[1])
    );
    assert_eq!(
        Roll::new(&st.def).on_key(&s, &key('1')),
        Intent::GoTo(Screen::Agenda)
    );
    assert_eq!(on(0).on_key(&s, &key('2')), Intent::GoTo(Screen::Roll));
}

#[test]
fn marking_a_deputy_names_the_one_under_the_cursor_and_moves_on_only_after() {
    let st = session(7);
    let s = seen(&st);
    let mut r = Roll::new(&st.def);
    let first = r.selected(&st.def).unwrap().id.clone();
    let i = r.on_key(&s, &key('p'));
    assert_eq!(
        i,
        Intent::ExecuteThen(
            Action::MarkAttendance {
                deputy: first,
                status: Presence::Present
            },
            Follow::NextDeputy { warning: None }
        )
    );
    // Deciding does not move the cursor: a refused mark leaves it on the same deputy.
    assert_eq!(r.sel, 0);
    r.follow();
    assert_eq!(r.sel, 1);
}

#[test]
fn marking_a_scrutineer_away_warns_who_must_be_replaced() {
    let mut def = sample::session(7, 3, QuorumRule::TwoThirds);
    let name = def.deputies[0].name.clone();
    def.agenda[2].ballot.as_mut().unwrap().scrutineers = vec![name.clone()];
    let st = SessionState::new(def);
    let mut r = Roll::new(&st.def);
    let at = r.view.iter().position(|&i| i == 0).unwrap();
    r.sel = at;
    match r.on_key(&seen(&st), &key('l')) {
        Intent::ExecuteThen(
            Action::MarkAttendance { status, .. },
            Follow::NextDeputy { warning: Some(w) },
        ) => {
            assert_eq!(status, Presence::Leave);
            assert!(w.contains(&name) && w.contains("监票人"), "{w}");
        }
        other => panic!("expected a mark with a warning, got {other:?}"),
    }
    // Marked present, no warning.
    r.sel = at;
    assert!(matches!(
        r.on_key(&seen(&st), &key('p')),
        Intent::ExecuteThen(_, Follow::NextDeputy { warning: None })
    ));
}

#[test]
fn rest_present_asks_with_the_figures_and_is_refused_once_all_are_marked() {
    let mut st = session(7);
    act(
        &mut st,
        Action::MarkAttendance {
            deputy: "D0001".into(),
            status: Presence::Leave,
        },
    );
    let mut r = Roll::new(&st.def);
    let i = r.on_key(&seen(&st), &code(KeyCode::F(2)));
    let (lines, then) = asked(&i);
    assert!(lines[0].contains("其余 6 名") && lines[0].contains("实到将为 6 名"));
    assert_eq!(
        *then,
        Then::execute(Action::MarkUnmarked {
            status: Presence::Present
        })
    );
    let done = all_present(7);
    let i = r.on_key(&seen(&done), &code(KeyCode::F(2)));
    assert!(refused(&i).contains("所有代表都已登记"));
}

#[test]
fn find_takes_the_typing_and_esc_drops_the_filter_keeping_the_deputy() {
    let st = session(30);
    let s = seen(&st);
    let mut r = Roll::new(&st.def);
    assert_eq!(r.on_key(&s, &key('/')), Intent::Moved);
    assert!(r.finding);
    // Typed keys go into the filter, not to the commands (`p` would mark someone).
    for c in "代表12".chars() {
        assert_eq!(r.on_key(&s, &key(c)), Intent::Moved);
    }
    let shown: Vec<&str> = r
        .view
        .iter()
        .map(|&i| st.def.deputies[i].name.as_str())
        .collect();
    assert_eq!(shown, ["代表12"]);
    let picked = r.view[0];
    assert_eq!(r.on_key(&s, &code(KeyCode::Esc)), Intent::Moved);
    assert!(!r.finding);
    assert_eq!(r.view.len(), 30);
    assert_eq!(
        r.view[r.sel], picked,
        "Esc keeps the cursor on the deputy found"
    );
}

#[test]
fn enter_keeps_the_filter_and_the_roll_keys_work_on_it() {
    let st = session(30);
    let s = seen(&st);
    let mut r = Roll::new(&st.def);
    r.on_key(&s, &key('/'));
    for c in "代表2".chars() {
        r.on_key(&s, &key(c));
    }
    r.on_key(&s, &code(KeyCode::Enter));
    assert!(!r.finding);
    assert!(r.view.len() > 1 && r.view.len() < 30);
    let expect = st.def.deputies[r.view[0]].id.clone();
    assert!(matches!(
        r.on_key(&s, &key('a')),
        Intent::ExecuteThen(Action::MarkAttendance { deputy, status: Presence::Absent }, _)
            if deputy == expect
    ));
}

#[test]
fn a_cursor_over_nothing_stays_put() {
    use crate::tui::keys::Cmd;
    assert_eq!(moved(Cmd::Down, 0, 0), Some(0));
    assert_eq!(moved(Cmd::PageDown, 3, 5), Some(4));
    assert_eq!(moved(Cmd::Top, 3, 5), Some(0));
    assert_eq!(moved(Cmd::Start, 3, 5), None);
}

#[test]
fn after_finishing_the_cursor_goes_to_the_next_item_to_hold() {
    let mut st = all_present(7);
    start(&mut st, "open");
    act(
        &mut st,
        Action::FinishItem {
            item: "open".into(),
        },
    );
    let mut a = on(0);
    a.after_finish(&st, 0);
    assert_eq!(a.sel, 1);
    // With only earlier items left, it goes back to the first of them.
    for id in ["vote", "eval", "resolve", "ask", "close"] {
        act(
            &mut st,
            Action::SkipItem {
                item: id.into(),
                reason: String::new(),
            },
        );
    }
    let mut a = on(6);
    a.after_finish(&st, 6);
    assert_eq!(a.sel, 1);
}

mod projects {
    use super::*;
    use crate::domain::projects::ProjectStatus;
    use crate::tui::screens::projects::{self, Projects};

    fn carried() -> SessionState {
        crate::domain::projects::tests::carried()
    }

    #[test]
    fn with_nothing_carried_the_project_keys_say_how_to_carry() {
        let st = all_present(7);
        let s = seen(&st);
        let mut p = Projects::default();
        for k in ['i', 'd', 'l', 'o', 'n', 'g'] {
            let cmd = crate::tui::keys::lookup(&key(k), Screen::Projects).unwrap();
            let i = p.on_cmd(&s, cmd);
            assert!(refused(&i).contains("projects carry"), "{k}: {i:?}");
        }
        assert_eq!(p.on_key_down(&s), Intent::Nothing);
    }

    #[test]
    fn a_status_key_prompts_for_the_note_and_the_same_status_is_refused() {
        let st = carried();
        let s = seen(&st);
        let mut p = Projects { sel: 1 };
        let id = st.projects.list[1].project.id.clone();
        let i = p.on_cmd(&s, crate::tui::keys::Cmd::ProjectInProgress);
        match i {
            Intent::Prompt { title, purpose, .. } => {
                assert!(
                    title.contains("未开工") && title.contains("推进中"),
                    "{title}"
                );
                assert_eq!(
                    purpose,
                    Purpose::ProjectStatus {
                        project: id.clone(),
                        status: ProjectStatus::InProgress
                    }
                );
            }
            other => panic!("expected the status prompt, got {other:?}"),
        }
        let i = p.on_cmd(&s, crate::tui::keys::Cmd::ProjectNotStarted);
        assert!(refused(&i).contains("已是“未开工”"), "{i:?}");
    }

    #[test]
    fn a_group_is_named_by_id_or_a_unique_name_and_a_stranger_is_refused() {
        let mut st = carried();
        let s = seen(&st);
        let id = st.projects.list[0].project.id.clone();
        let purpose = Purpose::ProjectGroup {
            project: id.clone(),
        };
        assert_eq!(
            projects::submit(&s, &purpose, "第一监督小组:D0002 代表3、D0004"),
            Some(Intent::Execute(Action::AssignGroup {
                project: id.clone(),
                name: Some("第一监督小组".into()),
                leader: "D0002".into(),
                members: vec!["D0003".into(), "D0004".into()],
            }))
        );
        let i = projects::submit(&s, &purpose, "D0002 王五").unwrap();
        assert!(refused(&i).contains("花名册中没有“王五”"), "{i:?}");
        let i = projects::submit(&s, &purpose, "第一监督小组:").unwrap();
        assert!(refused(&i).contains("组长"), "{i:?}");
        // Two deputies with one name: the id is asked for, naming both.
        st.def.deputies[4].name = "代表3".into();
        let s = seen(&st);
        let i = projects::submit(&s, &purpose, "代表3").unwrap();
        assert!(
            refused(&i).contains("D0003") && refused(&i).contains("D0005"),
            "{i:?}"
        );
    }

    #[test]
    fn the_cursor_moves_over_the_carried_projects_only() {
        let st = carried();
        let s = seen(&st);
        let mut p = Projects::default();
        assert_eq!(p.on_key_down(&s), Intent::Moved);
        assert_eq!(p.on_key_down(&s), Intent::Moved);
        assert_eq!(p.on_key_down(&s), Intent::Nothing);
        assert_eq!(p.sel, 2);
        p.restore(&st, 9);
        assert_eq!(p.sel, 2);
    }

    impl Projects {
        fn on_key_down(&mut self, s: &Seen) -> Intent {
            self.on_cmd(s, crate::tui::keys::Cmd::Down)
        }
    }
}

mod questions {
    use super::*;
    use crate::tui::keys::Cmd;
    use crate::tui::screens::commitments::{self, Commitments};
    use crate::tui::screens::questions::Questions;

    /// The questioning item ("ask", queue 0) started, every deputy present.
    fn asking() -> SessionState {
        let mut st = all_present(7);
        start(&mut st, "ask");
        st
    }

    fn call(st: &mut SessionState, q: &str) {
        act(
            st,
            Action::CallQuestion {
                item: "ask".into(),
                question: q.into(),
                asker: None,
            },
        );
    }

    #[test]
    fn call_names_the_cursor_question_and_the_run_keys_the_one_in_progress() {
        let mut st = asking();
        let mut q = Questions { queue: 0, sel: 1 };
        assert_eq!(
            q.on_cmd(&seen(&st), Cmd::CallQ),
            Intent::Execute(Action::CallQuestion {
                item: "ask".into(),
                question: "q2".into(),
                asker: None
            })
        );
        call(&mut st, "q2");
        // The cursor wandered to q3: `a` and `e` still act on q2, which is in progress.
        q.sel = 2;
        assert_eq!(
            q.on_cmd(&seen(&st), Cmd::AnswerQ),
            Intent::Execute(Action::StartAnswer {
                item: "ask".into(),
                question: "q2".into()
            })
        );
        assert_eq!(
            q.on_cmd(&seen(&st), Cmd::FinishQ),
            Intent::ExecuteThen(
                Action::FinishQuestion {
                    item: "ask".into(),
                    question: "q2".into()
                },
                Follow::SelectQuestion(1)
            )
        );
        assert!(matches!(
            q.on_cmd(&seen(&st), Cmd::PauseQ),
            Intent::Execute(Action::PauseQuestion { .. })
        ));
    }

    #[test]
    fn a_questioner_away_is_asked_about_before_the_call() {
        let mut st = asking();
        act(
            &mut st,
            Action::MarkAttendance {
                deputy: "D0001".into(),
                status: Presence::Leave,
            },
        );
        let mut q = Questions::default();
        match q.on_cmd(&seen(&st), Cmd::CallQ) {
            Intent::Prompt { title, purpose, .. } => {
                assert!(title.contains("代表1请假") && title.contains("留空按 Enter 则延后"));
                assert_eq!(
                    purpose,
                    Purpose::Substitute {
                        item: "ask".into(),
                        question: "q1".into()
                    }
                );
            }
            other => panic!("expected the substitute prompt, got {other:?}"),
        }
        let purpose = Purpose::Substitute {
            item: "ask".into(),
            question: "q1".into(),
        };
        let s = seen(&st);
        assert!(matches!(
            q.submit(&s, &purpose, ""),
            Some(Intent::Execute(Action::DeferQuestion { .. }))
        ));
        assert_eq!(
            q.submit(&s, &purpose, "代表4"),
            Some(Intent::Execute(Action::CallQuestion {
                item: "ask".into(),
                question: "q1".into(),
                asker: Some("D0004".into())
            }))
        );
        let i = q.submit(&s, &purpose, "王五").unwrap();
        assert!(refused(&i).contains("王五"));
    }

    #[test]
    fn notes_prompt_on_several_lines_and_ratings_take_four_numbers() {
        let mut st = asking();
        call(&mut st, "q1");
        let mut q = Questions::default();
        assert!(matches!(
            q.on_cmd(&seen(&st), Cmd::NoteQ),
            Intent::Prompt {
                field: crate::tui::intent::Field::Lines,
                ..
            }
        ));
        let purpose = Purpose::Rating {
            item: "ask".into(),
            question: "q1".into(),
        };
        let s = seen(&st);
        assert!(matches!(
            q.submit(&s, &purpose, "5,1、0 1"),
            Some(Intent::Execute(Action::RateAnswer {
                satisfied: 5,
                basically_satisfied: 1,
                unsatisfied: 0,
                abstain: 1,
                ..
            }))
        ));
        for bad in ["5 1 0", "5 1 0 1 2", "五 1 0 1", ""] {
            let i = q.submit(&s, &purpose, bad).unwrap();
            assert!(refused(&i).contains("四个数字"), "{bad:?}");
        }
    }

    #[test]
    fn a_commitment_due_before_today_is_refused_and_a_bad_format_named() {
        let st = asking();
        let q = Questions::default();
        let purpose = Purpose::Commitment {
            item: "ask".into(),
            question: "q1".into(),
        };
        let s = seen(&st); // today is 2026-07-28
        let i = q
            .submit(&s, &purpose, "修缮路灯 / 城管局 / 2026-7-1")
            .unwrap();
        assert!(refused(&i).contains("早于今天(2026-07-28)"), "{i:?}");
        assert!(matches!(
            q.submit(&s, &purpose, "修缮路灯 ／ 城管局 ／ 2026年9月30日"),
            Some(Intent::Execute(Action::AddCommitment { .. }))
        ));
        let i = q.submit(&s, &purpose, "修缮路灯 / 2026-09-30").unwrap();
        assert!(refused(&i).contains("格式"), "{i:?}");
    }

    #[test]
    fn withdrawing_needs_a_reason_and_asks_first() {
        let st = asking();
        let q = Questions::default();
        let purpose = Purpose::WithdrawQ {
            item: "ask".into(),
            question: "q1".into(),
        };
        let s = seen(&st);
        assert!(refused(&q.submit(&s, &purpose, "").unwrap()).contains("理由"));
        let i = q.submit(&s, &purpose, "代表撤回").unwrap();
        let (lines, then) = asked(&i);
        assert!(lines[0].contains("询问主题1"), "{lines:?}");
        assert!(matches!(
            then,
            Then::Execute(a) if matches!(**a, Action::WithdrawQuestion { .. })
        ));
    }

    #[test]
    fn an_on_the_spot_question_takes_the_next_number_and_names_a_stranger() {
        let st = asking();
        let q = Questions::default();
        let purpose = Purpose::AddQuestion { item: "ask".into() };
        let s = seen(&st);
        match q.submit(&s, &purpose, "代表5 / 停车难 / 副区长 / 李四 / 区政府") {
            Some(Intent::Execute(Action::AddQuestion { question, .. })) => {
                assert_eq!(
                    (question.id.as_str(), question.deputy.as_str()),
                    ("s1", "D0005")
                );
                assert_eq!(question.respondent.unit, "区政府");
            }
            other => panic!("expected the question, got {other:?}"),
        }
        let i = q
            .submit(&s, &purpose, "王五 / 停车难 / 副区长 / 李四")
            .unwrap();
        assert!(refused(&i).contains("花名册中没有“王五”"));
        let i = q.submit(&s, &purpose, "代表5 / 停车难").unwrap();
        assert!(refused(&i).contains("格式"));
    }

    #[test]
    fn moving_a_question_follows_it_and_stops_at_the_ends() {
        let st = asking();
        let mut q = Questions::default();
        assert_eq!(q.on_cmd(&seen(&st), Cmd::MoveUpQ), Intent::Nothing);
        assert_eq!(
            q.on_cmd(&seen(&st), Cmd::MoveDownQ),
            Intent::ExecuteThen(
                Action::MoveQuestion {
                    item: "ask".into(),
                    question: "q1".into(),
                    to: 1
                },
                Follow::SelectQuestion(1)
            )
        );
        q.sel = 2;
        assert_eq!(q.on_cmd(&seen(&st), Cmd::MoveDownQ), Intent::Nothing);
    }

    #[test]
    fn with_no_questioning_item_the_keys_say_so() {
        let mut def = sample::session(7, 3, QuorumRule::TwoThirds);
        def.agenda.retain(|a| a.questioning.is_none());
        let st = SessionState::new(def);
        let mut q = Questions::default();
        for cmd in [Cmd::CallQ, Cmd::RateQ, Cmd::AddQ, Cmd::MoveDownQ] {
            let i = q.on_cmd(&seen(&st), cmd);
            assert!(refused(&i).contains("没有询问议程"), "{cmd:?}: {i:?}");
        }
        assert_eq!(q.on_cmd(&seen(&st), Cmd::Down), Intent::Nothing);
    }

    #[test]
    fn commitments_change_status_by_key_and_say_how_to_make_one() {
        let st = asking();
        let mut c = Commitments::default();
        let i = c.on_cmd(&seen(&st), Cmd::CommitDone);
        assert!(refused(&i).contains("在询问屏按 m"), "{i:?}");
        let mut st = st;
        call(&mut st, "q1");
        act(
            &mut st,
            Action::AddCommitment {
                item: "ask".into(),
                question: "q1".into(),
                text: "修缮路灯".into(),
                unit: "城管局".into(),
                due: "2026-09-30".into(),
            },
        );
        let id = st.commitments[0].id.clone();
        assert_eq!(
            c.on_cmd(&seen(&st), Cmd::CommitDone),
            Intent::Execute(Action::UpdateCommitment {
                commitment: id.clone(),
                status: crate::domain::questions::CStatus::Done,
                note: String::new()
            })
        );
        let purpose = match c.on_cmd(&seen(&st), Cmd::CommitNote) {
            Intent::Prompt { purpose, title, .. } => {
                assert!(title.contains(&id), "{title}");
                purpose
            }
            other => panic!("expected the note prompt, got {other:?}"),
        };
        assert!(matches!(
            commitments::submit(&seen(&st), &purpose, "已完成一半"),
            Some(Intent::Execute(Action::UpdateCommitment { note, .. })) if note == "已完成一半"
        ));
    }
}

mod count {
    use super::*;
    use crate::tui::intent::Field;
    use crate::tui::keys::Cmd;
    use crate::tui::screens::count::procedure;

    /// The sample's 票决 (5 candidates) started with 7 deputies present.
    fn voting() -> SessionState {
        let mut st = all_present(7);
        start(&mut st, "vote");
        st
    }

    fn on(st: &SessionState, cmd: Cmd) -> Option<Intent> {
        let b = st.ballots.get("vote").unwrap();
        procedure(&seen(st), b, cmd)
    }

    fn paper(st: &mut SessionState, serial: &str, marks: &str) {
        act(
            st,
            Action::RecordPaper {
                ballot: "vote".into(),
                serial: serial.into(),
                marks: marks.into(),
                void_reason: None,
            },
        );
    }

    fn issued(st: &mut SessionState, n: u32) {
        act(
            st,
            Action::SetIssued {
                ballot: "vote".into(),
                issued: n,
            },
        );
    }

    #[test]
    fn the_figures_prompt_with_what_stands_and_typing_replaces_it() {
        let mut st = voting();
        match on(&st, Cmd::Issued) {
            Some(Intent::Prompt { field, title, .. }) => {
                assert_eq!(field, Field::Suggest("7".into()));
                assert!(title.contains("出席代表 7 名"), "{title}");
            }
            other => panic!("{other:?}"),
        }
        issued(&mut st, 6);
        assert!(matches!(
            on(&st, Cmd::Issued),
            Some(Intent::Prompt { field: Field::Suggest(s), .. }) if s == "6"
        ));
        assert!(matches!(
            on(&st, Cmd::Returned),
            Some(Intent::Prompt { field: Field::Suggest(s), .. }) if s.is_empty()
        ));
        assert!(matches!(
            on(&st, Cmd::Staff),
            Some(Intent::Prompt { field: Field::With(s), .. }) if s == "总监票人、监票人 / 计票人"
        ));
    }

    #[test]
    fn the_announcement_is_refused_until_the_figures_add_up_and_then_asked() {
        let mut st = voting();
        let i = on(&st, Cmd::Announce).unwrap();
        assert!(refused(&i).contains("尚未录入发出票数(F2)"), "{i:?}");
        issued(&mut st, 7);
        let i = on(&st, Cmd::Announce).unwrap();
        assert!(refused(&i).contains("尚未录入选票"), "{i:?}");
        paper(&mut st, "main-0001", "YYYNN");
        // A paper half keyed on the desk: record or clear it first, naming both keys.
        let b = st.ballots.get("vote").unwrap();
        let half = Seen {
            half_keyed: Some(2),
            ..seen(&st)
        };
        let i = procedure(&half, b, Cmd::Announce).unwrap();
        assert!(
            refused(&i).contains("先按 Enter 录入,或按 Esc 清空"),
            "{i:?}"
        );
        let i = on(&st, Cmd::Announce).unwrap();
        let (lines, then) = asked(&i);
        assert!(
            lines[0].contains("出席 7 名,发出 7 张,收回 1 张"),
            "{lines:?}"
        );
        assert!(lines[0].contains("按已录入张数计"), "{lines:?}");
        assert_eq!(
            *then,
            Then::execute(Action::AnnounceBallot {
                ballot: "vote".into()
            })
        );
    }

    #[test]
    fn undo_names_the_paper_and_the_count_after() {
        let mut st = voting();
        assert!(refused(&on(&st, Cmd::Undo).unwrap()).contains("没有可撤销的选票"));
        paper(&mut st, "main-0001", "YYYNN");
        paper(&mut st, "main-0002", "NNNYY");
        let i = on(&st, Cmd::Undo).unwrap();
        let (lines, then) = asked(&i);
        assert!(
            lines[0].contains("main-0002:NNNYY") && lines[0].contains("撤销后已录入 1 张"),
            "{lines:?}"
        );
        assert_eq!(
            *then,
            Then::execute(Action::UndoPaper {
                ballot: "vote".into(),
                serial: "main-0002".into()
            })
        );
    }

    #[test]
    fn reopening_and_a_next_round_are_refused_while_the_count_is_open() {
        let mut st = voting();
        assert!(refused(&on(&st, Cmd::ReopenBallot).unwrap()).contains("尚未宣布"));
        assert!(refused(&on(&st, Cmd::NextRound).unwrap()).contains("无需再次投票"));
        issued(&mut st, 7);
        for n in 1..=7 {
            paper(&mut st, &format!("main-{n:04}"), "YYYNN");
        }
        act(
            &mut st,
            Action::AnnounceBallot {
                ballot: "vote".into(),
            },
        );
        assert!(matches!(
            on(&st, Cmd::ReopenBallot),
            Some(Intent::Prompt {
                purpose: Purpose::ReopenBallot { .. },
                ..
            })
        ));
        // Locked: no change of any part is offered, so nothing is asked and then refused,
        // and no correction is opened that no key could clear.
        for cmd in [
            Cmd::Undo,
            Cmd::Correct,
            Cmd::Strike,
            Cmd::Issued,
            Cmd::Returned,
            Cmd::Staff,
        ] {
            let i = on(&st, cmd).unwrap();
            assert!(refused(&i).contains("先按 F9 重新开启"), "{cmd:?}: {i:?}");
        }
        // Three chosen for three places: no further round is due.
        assert!(refused(&on(&st, Cmd::NextRound).unwrap()).contains("无需再次投票"));
    }

    #[test]
    fn a_tie_at_the_cut_off_offers_the_run_off_naming_the_tied() {
        // 10 present, base 10, more than half is 6: P01 10, P02 7, P03 and P04 6 each for
        // the third place.
        let mut st = all_present(10);
        start(&mut st, "vote");
        issued(&mut st, 10);
        let papers = [
            "YYYNN", "YYYNN", "YYYNN", "YYNYN", "YYNYN", "YYNYN", "YYNNN", "YNYYN", "YNYYN",
            "YNYYN",
        ];
        for (n, m) in papers.iter().enumerate() {
            paper(&mut st, &format!("main-{:04}", n + 1), m);
        }
        act(
            &mut st,
            Action::AnnounceBallot {
                ballot: "vote".into(),
            },
        );
        let i = on(&st, Cmd::NextRound).unwrap();
        let (lines, then) = asked(&i);
        assert!(
            lines[0].contains("发起再次投票:候选 2 个(项目3、项目4),应选 1 个"),
            "{lines:?}"
        );
        assert!(matches!(then, Then::Execute(a) if matches!(**a, Action::CreateRound { .. })));
    }

    #[test]
    fn paper_keys_are_not_procedure() {
        let st = voting();
        for cmd in [
            Cmd::Mark('Y'),
            Cmd::Record,
            Cmd::Down,
            Cmd::ScanFolder,
            Cmd::Help,
        ] {
            assert_eq!(on(&st, cmd), None, "{cmd:?}");
        }
    }
}
