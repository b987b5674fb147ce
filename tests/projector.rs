//! The projector rendered on TestBackend for each phase of a session, at 80×24 and 200×60,
//! following a console that writes through another connection.

mod common;

use huiwu::domain::action::{Action, Ts};
use huiwu::domain::quorum::Presence;
use huiwu::engine::{Engine, ManualClock};
use huiwu::i18n::Lang;
use huiwu::sessionfile;
use huiwu::tui::projector::{self, Projector};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn t0() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-12-18T14:30:00+08:00").unwrap()
}

fn screen(p: &Projector, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| projector::render(p, f)).unwrap();
    common::buffer_text(term.backend().buffer())
}

fn both(p: &Projector) -> (String, String) {
    (screen(p, 80, 24), screen(p, 200, 60))
}

#[test]
fn every_phase_at_two_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/hexi-ballot.toml");
    let loaded = sessionfile::load(&path).unwrap();
    let clock = ManualClock::new(t0());
    let mut console =
        huiwu::opening::open_session(&loaded, &db, "main", Box::new(clock.clone())).unwrap();
    let mut p = Projector::new(Engine::open_readonly(&db).unwrap(), Lang::Zh);

    // roll call: the attendance sentence and quorum
    let ids: Vec<String> = console
        .state()
        .def
        .deputies
        .iter()
        .map(|d| d.id.clone())
        .collect();
    for id in &ids[..10] {
        console
            .execute(Action::MarkAttendance {
                deputy: id.clone(),
                status: Presence::Leave,
            })
            .unwrap();
    }
    console
        .execute(Action::MarkUnmarked {
            status: Presence::Present,
        })
        .unwrap();
    assert!(p.poll().unwrap(), "the projector sees the console's writes");
    let (small, large) = both(&p);
    for s in [&small, &large] {
        assert!(
            s.contains("本次会议应到代表298名,实到288名,请假10名,缺席0名,符合法定人数。"),
            "{s}"
        );
    }
    assert!(!p.poll().unwrap(), "nothing changed: no redraw needed");

    // a ballot: papers counted, results hidden until the operator shows them
    console
        .execute(Action::StartItem {
            item: "ballot".into(),
        })
        .unwrap();
    console
        .execute(Action::SetIssued {
            ballot: "ballot".into(),
            issued: 288,
        })
        .unwrap();
    for i in 0..3 {
        console
            .execute(Action::RecordPaper {
                ballot: "ballot".into(),
                serial: format!("m-{i}"),
                marks: "YYYYYYYYYYNNNNN".into(),
                void_reason: None,
            })
            .unwrap();
    }
    p.poll().unwrap();
    let (small, large) = both(&p);
    for s in [&small, &large] {
        assert!(s.contains("当前议程:2027年度区政府民生实事项目票决"), "{s}");
        assert!(s.contains("正在计票"), "{s}");
        assert!(
            !s.contains("收回"),
            "no 收回 figure before the chief scrutineer declares it (F3): {s}"
        );
        assert!(
            !s.contains("城区15处易涝点整治"),
            "results must stay hidden: {s}"
        );
    }
    console
        .execute(Action::SetReturned {
            ballot: "ballot".into(),
            returned: 3,
        })
        .unwrap();
    p.poll().unwrap();
    assert!(screen(&p, 200, 60).contains("收回 3 张"));
    console
        .store()
        .save_setting(projector::SHOW_RESULTS, "1")
        .unwrap();
    p.poll().unwrap();
    let large = screen(&p, 200, 60);
    assert!(large.contains("城区15处易涝点整治"), "{large}");
    assert!(large.contains('│'), "the pass line is drawn: {large}");

    // announced: the result list
    console
        .execute(Action::AnnounceBallot {
            ballot: "ballot".into(),
        })
        .unwrap();
    p.poll().unwrap();
    let (small, large) = both(&p);
    assert!(large.contains("票决结果"), "{large}");
    assert!(small.contains("票决结果"), "{small}");

    // the item that reads the result out shows it; 闭会 shows the attendance again
    for (finish, start) in [("ballot", "announce"), ("announce", "close")] {
        console
            .execute(Action::FinishItem {
                item: finish.into(),
            })
            .unwrap();
        console
            .execute(Action::StartItem { item: start.into() })
            .unwrap();
        p.poll().unwrap();
        let (small, large) = both(&p);
        for s in [&small, &large] {
            assert_eq!(
                s.contains("票决结果"),
                start == "announce",
                "during {start}: {s}"
            );
        }
    }

    // a console restart does not disturb the projector
    let before = screen(&p, 200, 60);
    drop(console);
    let console = Engine::open(&db, "main", Box::new(clock.clone())).unwrap();
    drop(console);
    p.poll().unwrap();
    assert_eq!(screen(&p, 200, 60), before);

    // tiny windows never panic
    for (w, h) in [(0, 0), (1, 1), (19, 5), (20, 6), (40, 10)] {
        screen(&p, w, h);
    }
}

#[test]
fn questioning_shows_who_asks_who_answers_and_the_countdown() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/qingxi-questioning.toml");
    let loaded = sessionfile::load(&path).unwrap();
    let clock = ManualClock::new(t0());
    let mut console =
        huiwu::opening::open_session(&loaded, &db, "main", Box::new(clock.clone())).unwrap();
    console
        .execute(Action::MarkUnmarked {
            status: Presence::Present,
        })
        .unwrap();
    console
        .execute(Action::StartItem {
            item: "wenzheng".into(),
        })
        .unwrap();
    console
        .execute(Action::CallQuestion {
            item: "wenzheng".into(),
            question: "q1".into(),
            asker: None,
        })
        .unwrap();
    let mut p = Projector::new(Engine::open_readonly(&db).unwrap(), Lang::Zh);
    p.poll().unwrap();
    assert!(p.ticking());
    let (small, large) = both(&p);
    for s in [&small, &large] {
        assert!(s.contains("提问:王子健代表"), "{s}");
        assert!(s.contains("应询:副镇长 吴海涛"), "{s}");
        assert!(s.contains("剩余"), "{s}");
    }
}

/// After 闭会 the hall sees the meeting closed, never "not started".
#[test]
fn after_the_last_item_the_meeting_is_shown_closed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/hexi-ballot.toml");
    let loaded = sessionfile::load(&path).unwrap();
    let clock = ManualClock::new(t0());
    let mut console =
        huiwu::opening::open_session(&loaded, &db, "main", Box::new(clock.clone())).unwrap();
    let mut p = Projector::new(Engine::open_readonly(&db).unwrap(), Lang::Zh);
    p.poll().unwrap();
    assert!(screen(&p, 120, 40).contains("会议尚未开始"));
    console
        .execute(Action::MarkUnmarked {
            status: Presence::Present,
        })
        .unwrap();
    let items: Vec<String> = console
        .state()
        .def
        .agenda
        .iter()
        .map(|i| i.id.clone())
        .collect();
    let (last, rest) = items.split_last().unwrap();
    console
        .execute(Action::StartItem {
            item: rest[0].clone(),
        })
        .unwrap();
    console
        .execute(Action::FinishItem {
            item: rest[0].clone(),
        })
        .unwrap();
    p.poll().unwrap();
    assert!(screen(&p, 120, 40).contains("议程间歇"));
    for id in &rest[1..] {
        console
            .execute(Action::SkipItem {
                item: id.clone(),
                reason: "演练".into(),
            })
            .unwrap();
    }
    console
        .execute(Action::StartItem { item: last.clone() })
        .unwrap();
    console
        .execute(Action::FinishItem { item: last.clone() })
        .unwrap();
    p.poll().unwrap();
    for (w, h) in [(80, 24), (200, 60)] {
        let s = screen(&p, w, h);
        assert!(s.contains("会议已闭会"), "{s}");
        assert!(!s.contains("尚未开始"), "{s}");
    }
}
