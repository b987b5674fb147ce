//! The paper on the desk, key by key: what each key makes of the paper and what it asks of the
//! console, with no database and no terminal.

use super::*;
use crate::domain::action::Ts;
use crate::domain::quorum::Presence;
use crate::domain::sample;
use crate::domain::session::QuorumRule;
use crate::domain::state::SessionState;

fn ts() -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-07-28T15:00:00+08:00").unwrap()
}

fn act(s: &mut SessionState, a: Action) {
    let seq = s.seq + 1;
    s.apply(seq, &a, ts()).unwrap();
}

/// The sample's 票决 (5 candidates, 3 places) running with 7 deputies present.
fn voting() -> SessionState {
    let mut s = SessionState::new(sample::session(7, 3, QuorumRule::TwoThirds));
    act(
        &mut s,
        Action::MarkUnmarked {
            status: Presence::Present,
        },
    );
    act(
        &mut s,
        Action::StartItem {
            item: "vote".into(),
        },
    );
    s
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

fn key(st: &SessionState, entry: &mut Entry, cmd: Cmd) -> Option<Intent> {
    keying(&seen(st), entry, st.ballots.get("vote").unwrap(), cmd)
}

fn refused(i: &Option<Intent>) -> &str {
    match i {
        Some(Intent::Refuse(t)) => t,
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn only_a_complete_paper_is_recorded_and_under_the_next_serial() {
    let mut st = voting();
    let mut e = Entry::new(5);
    // Enter on the empty desk records nothing, and names the blank-paper key.
    assert!(refused(&key(&st, &mut e, Cmd::Record)).contains("本票尚未标记,未录入"));
    for m in "YNY".chars() {
        assert_eq!(key(&st, &mut e, Cmd::Mark(m)), Some(Intent::Moved));
    }
    // Three rows of five: refused by the rows still open, naming the key for the rest.
    let t = refused(&key(&st, &mut e, Cmd::Record)).to_string();
    assert!(t.contains("还有 2 栏未标记(第 4、5 栏)"), "{t}");
    assert!(t.contains('-'), "{t}");
    assert!(
        matches!(key(&st, &mut e, Cmd::RestAbstain), Some(Intent::Tell(t)) if t.contains("2 栏记为弃权"))
    );
    assert_eq!(e.letters(), "YNYAA");
    let i = key(&st, &mut e, Cmd::Record);
    assert_eq!(
        i,
        Some(Intent::ExecuteThen(
            Action::RecordPaper {
                ballot: "vote".into(),
                serial: "main-0001".into(),
                marks: "YNYAA".into(),
                void_reason: None,
            },
            Follow::PaperRecorded {
                serial: "main-0001".into()
            },
        ))
    );
    // The paper stays on the desk until the record took it (the console clears it then).
    assert_eq!(e.letters(), "YNYAA");
    act(
        &mut st,
        Action::RecordPaper {
            ballot: "vote".into(),
            serial: "main-0001".into(),
            marks: "YNYAA".into(),
            void_reason: None,
        },
    );
    assert!(matches!(
        key(&st, &mut e, Cmd::Record),
        Some(Intent::ExecuteThen(Action::RecordPaper { serial, .. }, _)) if serial == "main-0002"
    ));
}

#[test]
fn a_slip_stops_the_paper_until_it_is_taken_back() {
    let st = voting();
    let b = st.ballots.get("vote").unwrap();
    let mut e = Entry::new(5);
    key(&st, &mut e, Cmd::Mark('Y'));
    let t = refused(&slip(&seen(&st), &mut e, b, 's')).to_string();
    assert!(t.contains("第 2 栏按了「s」,不是标记键"), "{t}");
    // Nothing lands on the stopped paper: not a mark, not Enter, not the rest.
    for cmd in [Cmd::Mark('N'), Cmd::Record, Cmd::RestAbstain, Cmd::RestYes] {
        assert!(refused(&key(&st, &mut e, cmd)).contains("「s」"), "{cmd:?}");
    }
    assert_eq!(e.marks[1..], [None; 4]);
    assert!(
        matches!(key(&st, &mut e, Cmd::Back), Some(Intent::Tell(t)) if t.contains("继续第 2 栏"))
    );
    assert_eq!(key(&st, &mut e, Cmd::Mark('N')), Some(Intent::Moved));
    assert_eq!(e.marks[..2], [Some('Y'), Some('N')]);
}

#[test]
fn an_announced_count_takes_no_paper_key_and_names_the_way_back() {
    let mut st = voting();
    act(
        &mut st,
        Action::SetIssued {
            ballot: "vote".into(),
            issued: 7,
        },
    );
    act(
        &mut st,
        Action::RecordPaper {
            ballot: "vote".into(),
            serial: "main-0001".into(),
            marks: "YYYNN".into(),
            void_reason: None,
        },
    );
    act(
        &mut st,
        Action::AnnounceBallot {
            ballot: "vote".into(),
        },
    );
    let b = st.ballots.get("vote").unwrap();
    let mut e = Entry::new(5);
    for cmd in [
        Cmd::Mark('Y'),
        Cmd::Record,
        Cmd::BlankPaper,
        Cmd::Down,
        Cmd::VoidPaper,
    ] {
        assert!(refused(&key(&st, &mut e, cmd)).contains("F9"), "{cmd:?}");
    }
    assert!(refused(&slip(&seen(&st), &mut e, b, 'z')).contains("F9"));
    // Nothing was kept on the desk to surface later as a paper keyed but not recorded.
    assert!(e.is_blank() && e.slip.is_none());
}

#[test]
fn a_correction_asks_its_reason_and_a_blank_paper_keeps_it() {
    let st = voting();
    let mut e = Entry::for_correction("YYNNA", 5, "main-0003");
    assert!(matches!(
        key(&st, &mut e, Cmd::BlankPaper),
        Some(Intent::Tell(_))
    ));
    assert_eq!(e.correcting.as_deref(), Some("main-0003"));
    match key(&st, &mut e, Cmd::Record) {
        Some(Intent::Prompt {
            purpose: Purpose::CorrectReason { serial, marks, .. },
            title,
            ..
        }) => {
            assert_eq!((serial.as_str(), marks.as_str()), ("main-0003", "AAAAA"));
            assert!(title.contains("请填写理由"), "{title}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn procedure_and_screen_keys_are_not_the_papers() {
    let st = voting();
    let mut e = Entry::new(5);
    for cmd in [
        Cmd::Announce,
        Cmd::Issued,
        Cmd::ScanFolder,
        Cmd::NextScreen,
        Cmd::Help,
    ] {
        assert_eq!(key(&st, &mut e, cmd), None, "{cmd:?}");
    }
}
