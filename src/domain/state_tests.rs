use super::*;
use crate::domain::sample;
use crate::domain::session::QuorumRule;

fn ts(min: i64) -> Ts {
    chrono::DateTime::parse_from_rfc3339("2026-07-28T14:30:00+08:00").unwrap()
        + chrono::Duration::minutes(min)
}

fn st(n: usize, rule: QuorumRule) -> SessionState {
    SessionState::new(sample::session(n, 3, rule))
}

fn mark(s: &mut SessionState, from: usize, to: usize, p: Presence) {
    for i in from..to {
        let id = s.def.deputies[i].id.clone();
        let seq = s.seq + 1;
        s.apply(
            seq,
            &Action::MarkAttendance {
                deputy: id,
                status: p,
            },
            ts(0),
        )
        .unwrap();
    }
}

fn act(s: &mut SessionState, a: Action, min: i64) -> Result<(), Refusal> {
    let seq = s.seq + 1;
    s.apply(seq, &a, ts(min))
}

fn start(item: &str) -> Action {
    Action::StartItem { item: item.into() }
}

#[test]
fn item_cannot_start_without_quorum_two_thirds_of_300() {
    let mut s = st(300, QuorumRule::TwoThirds);
    mark(&mut s, 0, 199, Presence::Present);
    // 101 not registered yet: the roll is not done.
    let e = act(&mut s, start("open"), 0).unwrap_err();
    assert!(
        e.zh.contains("未达法定人数200名") && e.zh.contains("尚未登记101名"),
        "{}",
        e.zh
    );
    assert_eq!(s.items[0].status, ItemStatus::Pending);
    // With everyone else absent the meeting is inquorate, and the refusal says so.
    mark(&mut s, 199, 300, Presence::Absent);
    let e = act(&mut s, start("open"), 0).unwrap_err();
    assert!(
        e.zh.contains("不符合法定人数") && e.zh.contains("实到199名,至少需200名"),
        "{}",
        e.zh
    );
    assert_eq!(s.items[0].status, ItemStatus::Pending);
    mark(&mut s, 199, 200, Presence::Present);
    act(&mut s, start("open"), 0).unwrap();
    assert_eq!(s.items[0].status, ItemStatus::Running);
}

#[test]
fn street_council_majority_excludes_half() {
    let mut s = st(40, QuorumRule::Majority);
    mark(&mut s, 0, 20, Presence::Present);
    assert!(act(&mut s, start("open"), 0).is_err());
    mark(&mut s, 20, 21, Presence::Present);
    assert!(act(&mut s, start("open"), 0).is_ok());
}

#[test]
fn attendance_counts_follow_every_change() {
    let mut s = st(10, QuorumRule::None);
    mark(&mut s, 0, 6, Presence::Present);
    mark(&mut s, 6, 8, Presence::Leave);
    assert_eq!(
        (
            s.attendance.present,
            s.attendance.leave,
            s.attendance.unmarked
        ),
        (6, 2, 2)
    );
    // correcting a mark moves the deputy between counts
    let id = s.def.deputies[0].id.clone();
    act(
        &mut s,
        Action::MarkAttendance {
            deputy: id.clone(),
            status: Presence::Absent,
        },
        1,
    )
    .unwrap();
    assert_eq!((s.attendance.present, s.attendance.absent), (5, 1));
    // the same mark twice is refused and changes nothing
    let before = s.attendance;
    assert!(
        act(
            &mut s,
            Action::MarkAttendance {
                deputy: id,
                status: Presence::Absent
            },
            1
        )
        .is_err()
    );
    assert_eq!(s.attendance, before);
    act(
        &mut s,
        Action::MarkUnmarked {
            status: Presence::Present,
        },
        2,
    )
    .unwrap();
    assert_eq!((s.attendance.present, s.attendance.unmarked), (7, 0));
    assert!(
        act(
            &mut s,
            Action::MarkUnmarked {
                status: Presence::Present
            },
            2
        )
        .is_err()
    );
    let unknown = Action::MarkAttendance {
        deputy: "nobody".into(),
        status: Presence::Present,
    };
    assert!(act(&mut s, unknown, 2).unwrap_err().en.contains("nobody"));
}

#[test]
fn agenda_lifecycle_and_refusals() {
    let mut s = st(9, QuorumRule::TwoThirds);
    mark(&mut s, 0, 6, Presence::Present); // 6 of 9 is exactly two-thirds
    act(&mut s, start("open"), 0).unwrap();
    // one item at a time
    assert!(
        act(&mut s, start("report"), 1)
            .unwrap_err()
            .zh
            .contains("宣布开会")
    );
    act(
        &mut s,
        Action::FinishItem {
            item: "open".into(),
        },
        4,
    )
    .unwrap();
    assert!(
        act(
            &mut s,
            Action::FinishItem {
                item: "open".into()
            },
            4
        )
        .is_err()
    );
    // a finished item needs a re-open with a reason
    assert!(act(&mut s, start("open"), 5).is_err());
    assert!(
        act(
            &mut s,
            Action::ReopenItem {
                item: "open".into(),
                reason: " ".into()
            },
            5
        )
        .is_err()
    );
    act(
        &mut s,
        Action::ReopenItem {
            item: "open".into(),
            reason: "补充宣读".into(),
        },
        5,
    )
    .unwrap();
    assert_eq!(s.items[0].status, ItemStatus::Running);
    act(
        &mut s,
        Action::FinishItem {
            item: "open".into(),
        },
        7,
    )
    .unwrap();
    assert_eq!(s.items[0].segments.len(), 2);
    assert_eq!(s.items[0].elapsed_secs(ts(100)), 6 * 60);
    assert_eq!(s.items[0].started(), Some(ts(0)));
    assert_eq!(s.items[0].ended(), Some(ts(7)));
    // skip only before starting; a skipped item comes back as pending
    act(
        &mut s,
        Action::SkipItem {
            item: "report".into(),
            reason: "书面印发".into(),
        },
        8,
    )
    .unwrap();
    assert!(act(&mut s, start("report"), 8).is_err());
    act(
        &mut s,
        Action::ReopenItem {
            item: "report".into(),
            reason: "改为口头报告".into(),
        },
        9,
    )
    .unwrap();
    assert_eq!(s.items[1].status, ItemStatus::Pending);
    act(&mut s, start("report"), 10).unwrap();
    assert!(
        act(
            &mut s,
            Action::SkipItem {
                item: "report".into(),
                reason: String::new()
            },
            11
        )
        .is_err()
    );
    assert!(
        act(&mut s, start("nope"), 11)
            .unwrap_err()
            .en
            .contains("nope")
    );
}

#[test]
fn running_clock_and_notes() {
    let mut s = st(3, QuorumRule::None);
    act(&mut s, start("report"), 0).unwrap();
    assert_eq!(s.items[1].elapsed_secs(ts(41)), 41 * 60);
    act(
        &mut s,
        Action::AddNote {
            item: "report".into(),
            text: "  代表建议加快进度  ".into(),
        },
        3,
    )
    .unwrap();
    assert!(
        act(
            &mut s,
            Action::AddNote {
                item: "report".into(),
                text: "  ".into()
            },
            3
        )
        .is_err()
    );
    assert_eq!(s.items[1].notes[0].text, "代表建议加快进度");
    assert_eq!(s.seq, 2);
}

#[test]
fn a_paper_sent_to_the_main_console_changes_only_there() {
    let mut s = st(9, QuorumRule::TwoThirds);
    mark(&mut s, 0, 9, Presence::Present);
    act(&mut s, start("vote"), 1).unwrap();
    act(
        &mut s,
        Action::PairStation {
            station: "A".into(),
            key_id: "0123456789abcdef".into(),
        },
        1,
    )
    .unwrap();
    let n = s.ballots.get("vote").unwrap().candidates.len();
    for k in 1..=2 {
        act(
            &mut s,
            Action::RecordPaper {
                ballot: "vote".into(),
                serial: format!("A-{k:04}"),
                marks: "N".repeat(n),
                void_reason: None,
            },
            2,
        )
        .unwrap();
    }
    act(
        &mut s,
        Action::SendBatch {
            ballot: "vote".into(),
            number: 1,
            serials: vec!["A-0001".into(), "A-0002".into()],
        },
        3,
    )
    .unwrap();
    for a in [
        Action::UndoPaper {
            ballot: "vote".into(),
            serial: "A-0002".into(),
        },
        Action::StrikePaper {
            ballot: "vote".into(),
            serial: "A-0001".into(),
            reason: "污损".into(),
        },
        Action::CorrectPaper {
            ballot: "vote".into(),
            serial: "A-0001".into(),
            marks: "A".repeat(n),
            void_reason: None,
            reason: "看错".into(),
        },
    ] {
        let e = act(&mut s, a, 4).unwrap_err();
        assert!(e.en.contains("correct it there"), "{}", e.en);
    }
}

#[test]
fn an_announced_ballot_keeps_its_staff_until_re_opened() {
    let mut s = st(9, QuorumRule::TwoThirds);
    mark(&mut s, 0, 9, Presence::Present);
    act(&mut s, start("vote"), 1).unwrap();
    act(
        &mut s,
        Action::SetIssued {
            ballot: "vote".into(),
            issued: 9,
        },
        1,
    )
    .unwrap();
    act(
        &mut s,
        Action::AnnounceBallot {
            ballot: "vote".into(),
        },
        2,
    )
    .unwrap();
    let staff = Action::SetStaff {
        ballot: "vote".into(),
        scrutineers: vec!["某甲".into()],
        clerks: vec!["某乙".into()],
    };
    assert!(
        act(&mut s, staff.clone(), 3)
            .unwrap_err()
            .en
            .contains("locked")
    );
    act(
        &mut s,
        Action::ReopenBallot {
            ballot: "vote".into(),
            reason: "补登监票人".into(),
        },
        4,
    )
    .unwrap();
    act(&mut s, staff, 5).unwrap();
    assert_eq!(s.ballots.get("vote").unwrap().scrutineers, vec!["某甲"]);
}

#[test]
fn no_ballot_takes_more_papers_than_deputies_on_the_roster() {
    let mut s = st(5, QuorumRule::None);
    mark(&mut s, 0, 5, Presence::Present);
    act(&mut s, start("vote"), 1).unwrap();
    let n = s.ballots.get("vote").unwrap().candidates.len();
    for k in 0..5 {
        act(
            &mut s,
            Action::RecordPaper {
                ballot: "vote".into(),
                serial: format!("m-{k}"),
                marks: "A".repeat(n),
                void_reason: None,
            },
            2,
        )
        .unwrap();
    }
    let e = act(
        &mut s,
        Action::RecordPaper {
            ballot: "vote".into(),
            serial: "m-5".into(),
            marks: "A".repeat(n),
            void_reason: None,
        },
        2,
    )
    .unwrap_err();
    assert!(e.en.contains("no box holds more"), "{}", e.en);
    let e = act(
        &mut s,
        Action::SetReturned {
            ballot: "vote".into(),
            returned: 6,
        },
        2,
    )
    .unwrap_err();
    assert!(e.en.contains("on the roster"), "{}", e.en);
}

fn sheet(serial: &str, sha: &str, read: &str) -> crate::domain::ballots::SheetIn {
    crate::domain::ballots::SheetIn {
        serial: serial.into(),
        sha256: sha.into(),
        image: format!("{serial}.png"),
        read: read.into(),
        scores: vec![],
        notes: vec![],
        pixels: None,
        print: None,
        twin: None,
        reader: crate::paper::marks::READER,
    }
}

fn staff() -> Action {
    Action::SetStaff {
        ballot: "vote".into(),
        scrutineers: vec!["总监票人".into()],
        clerks: vec!["计票人".into()],
    }
}

fn scan(sheets: Vec<crate::domain::ballots::SheetIn>) -> Action {
    Action::ScanSheets {
        ballot: "vote".into(),
        sheets,
    }
}

/// Scanned sheets: counted at once when read without doubt, held for a ruling otherwise,
/// held against the papers returned, never twice, never on a locked ballot.
#[test]
fn scanned_sheets_wait_for_a_ruling_and_never_exceed_the_box() {
    let mut s = st(9, QuorumRule::TwoThirds);
    mark(&mut s, 0, 9, Presence::Present);
    act(&mut s, start("vote"), 1).unwrap();
    // 收回 first: without it an excess could not be seen.
    let e = act(&mut s, scan(vec![sheet("S0001", "a1", "YYNAA")]), 2).unwrap_err();
    assert!(e.zh.contains("收回"), "{}", e.zh);
    for a in [
        Action::SetIssued {
            ballot: "vote".into(),
            issued: 9,
        },
        Action::SetReturned {
            ballot: "vote".into(),
            returned: 3,
        },
    ] {
        act(&mut s, a, 2).unwrap();
    }
    act(
        &mut s,
        scan(vec![
            sheet("S0001", "a1", "YYNAA"),
            sheet("S0002", "b2", "Y?NAA"),
        ]),
        3,
    )
    .unwrap();
    let b = s.ballots.get("vote").unwrap();
    assert_eq!((b.keyed(), b.waiting_sheets().count()), (1, 1));
    // The same image again: refused.
    let e = act(&mut s, scan(vec![sheet("S0003", "a1", "YYNAA")]), 4).unwrap_err();
    assert!(e.zh.contains("SHA-256"), "{}", e.zh);
    assert_eq!(s.ballots.get("vote").unwrap().sheets.len(), 2);
    // Two more sheets would make four papers out of a box of three: nothing is recorded.
    let e = act(
        &mut s,
        scan(vec![
            sheet("S0003", "c3", "AAAAA"),
            sheet("S0004", "d4", "NNNNN"),
        ]),
        4,
    )
    .unwrap_err();
    assert!(
        e.zh.contains("多于收回票数 3 张") && e.zh.contains("一张也未记录"),
        "{}",
        e.zh
    );
    assert_eq!(s.ballots.get("vote").unwrap().sheets.len(), 2);
    act(&mut s, scan(vec![sheet("S0003", "c3", "YYYYA")]), 4).unwrap();
    // Not announced while a sheet waits.
    let announce = Action::AnnounceBallot {
        ballot: "vote".into(),
    };
    let e = act(&mut s, announce.clone(), 5).unwrap_err();
    assert!(e.zh.contains("待人工判定"), "{}", e.zh);
    let rule = |marks: &str, by: &str| Action::RuleSheet {
        ballot: "vote".into(),
        serial: "S0002".into(),
        marks: marks.into(),
        by: by.into(),
        overrule: None,
    };
    let nobody = Action::SetStaff {
        ballot: "vote".into(),
        scrutineers: vec![],
        clerks: vec![],
    };
    act(&mut s, nobody, 5).unwrap();
    let e = act(&mut s, rule("YANAA", "计票人"), 5).unwrap_err();
    assert!(e.zh.contains("F4"), "staff first: {}", e.zh);
    act(&mut s, staff(), 5).unwrap();
    let e = act(&mut s, rule("YANAA", "随便谁"), 5).unwrap_err();
    assert!(e.zh.contains("不是本次的监票人或计票人"), "{}", e.zh);
    // Sure rows are the machine's: a clerk rules only the doubtful one.
    let e = act(&mut s, rule("NANAA", "计票人"), 5).unwrap_err();
    assert!(e.zh.contains("第 1 栏"), "{}", e.zh);
    assert!(
        act(&mut s, rule("YANAA", " "), 5).is_err(),
        "a ruling names its clerk"
    );
    assert!(
        act(&mut s, rule("Y?NAA", "计票人"), 5).is_err(),
        "every row decided"
    );
    act(&mut s, rule("yanaa", " 计 票 人 "), 5).unwrap();
    assert!(
        act(&mut s, rule("YYNAA", "计票人"), 5).is_err(),
        "ruled once"
    );
    let b = s.ballots.get("vote").unwrap();
    assert_eq!(b.keyed(), 3);
    // Four 赞成 for three places: void by rule, as keyed.
    assert!(b.paper("S0003").unwrap().void.is_some());
    assert_eq!(b.paper("S0002").unwrap().marks, "YANAA");
    act(&mut s, announce, 6).unwrap();
    let e = act(&mut s, scan(vec![sheet("S0005", "e5", "AAAAA")]), 7).unwrap_err();
    assert!(e.zh.contains("锁定"), "{}", e.zh);
}

/// Sheets waiting for a ruling hold their place in the box: a paper keyed by hand beside them
/// cannot take the box past 收回, nor can 收回 be lowered below them.
#[test]
fn waiting_sheets_count_against_the_box_for_keyed_papers_too() {
    let mut s = st(9, QuorumRule::TwoThirds);
    mark(&mut s, 0, 9, Presence::Present);
    act(&mut s, start("vote"), 1).unwrap();
    for a in [
        Action::SetIssued {
            ballot: "vote".into(),
            issued: 9,
        },
        Action::SetReturned {
            ballot: "vote".into(),
            returned: 2,
        },
    ] {
        act(&mut s, a, 2).unwrap();
    }
    act(&mut s, staff(), 2).unwrap();
    act(&mut s, scan(vec![sheet("S0001", "a1", "Y?NAA")]), 3).unwrap();
    let key = |serial: &str| Action::RecordPaper {
        ballot: "vote".into(),
        serial: serial.into(),
        marks: "YAAAA".into(),
        void_reason: None,
    };
    act(&mut s, key("K-0001"), 3).unwrap();
    let e = act(&mut s, key("K-0002"), 3).unwrap_err();
    assert!(e.zh.contains("待判定"), "{}", e.zh);
    let e = act(
        &mut s,
        Action::SetReturned {
            ballot: "vote".into(),
            returned: 1,
        },
        3,
    )
    .unwrap_err();
    assert!(e.zh.contains("待判定"), "{}", e.zh);
    // The waiting sheet can still be ruled: it already holds its place.
    act(
        &mut s,
        Action::RuleSheet {
            ballot: "vote".into(),
            serial: "S0001".into(),
            marks: "YNNAA".into(),
            by: "计票人".into(),
            overrule: None,
        },
        4,
    )
    .unwrap();
    assert_eq!(s.ballots.get("vote").unwrap().keyed(), 2);
}

/// A sure row changes only by a scrutineer's overruling with a reason; a clerk cannot, nor a
/// scrutineer without a reason.
#[test]
fn a_sure_row_is_overruled_only_by_a_scrutineer_with_a_reason() {
    let mut s = st(9, QuorumRule::TwoThirds);
    mark(&mut s, 0, 9, Presence::Present);
    act(&mut s, start("vote"), 1).unwrap();
    for a in [
        Action::SetIssued {
            ballot: "vote".into(),
            issued: 9,
        },
        Action::SetReturned {
            ballot: "vote".into(),
            returned: 3,
        },
        staff(),
    ] {
        act(&mut s, a, 2).unwrap();
    }
    act(&mut s, scan(vec![sheet("S0001", "a1", "Y?NAA")]), 3).unwrap();
    let rule = |by: &str, overrule: Option<&str>| Action::RuleSheet {
        ballot: "vote".into(),
        serial: "S0001".into(),
        marks: "NYNAA".into(),
        by: by.into(),
        overrule: overrule.map(str::to_string),
    };
    assert!(act(&mut s, rule("计票人", Some("原票第一栏为×")), 4).is_err());
    assert!(act(&mut s, rule("总监票人", None), 4).is_err());
    assert!(act(&mut s, rule("总监票人", Some("  ")), 4).is_err());
    act(&mut s, rule("总监票人", Some("原票第一栏为×,机器误读")), 4).unwrap();
    let b = s.ballots.get("vote").unwrap();
    assert_eq!(b.paper("S0001").unwrap().marks, "NYNAA");
    let r = b.sheets[0].ruling.as_ref().unwrap();
    assert_eq!(r.overrule.as_deref(), Some("原票第一栏为×,机器误读"));
}

/// A sheet whose marks match an earlier one waits, sure rows or not; ruled the same paper it is
/// set aside and takes no place in the box; ruled another paper it counts. Only such a sheet
/// can be set aside; the same picture under other bytes is refused outright.
#[test]
fn a_possible_second_feed_waits_and_is_counted_only_if_ruled_another_paper() {
    let mut s = st(9, QuorumRule::TwoThirds);
    mark(&mut s, 0, 9, Presence::Present);
    act(&mut s, start("vote"), 1).unwrap();
    for a in [
        Action::SetIssued {
            ballot: "vote".into(),
            issued: 9,
        },
        Action::SetReturned {
            ballot: "vote".into(),
            returned: 5,
        },
        staff(),
    ] {
        act(&mut s, a, 2).unwrap();
    }
    let mut first = sheet("S0001", "a1", "YYNAA");
    first.pixels = Some("p1".into());
    let mut again = sheet("S0002", "b2", "YYNAA");
    again.twin = Some("S0001".into());
    let mut third = sheet("S0003", "c3", "YYNAA");
    third.twin = Some("S0001".into());
    act(&mut s, scan(vec![first, again, third]), 3).unwrap();
    let b = s.ballots.get("vote").unwrap();
    assert_eq!((b.keyed(), b.waiting_sheets().count()), (1, 2));
    // the same picture saved again
    let mut copy = sheet("S0004", "d4", "YYNAA");
    copy.pixels = Some("p1".into());
    let e = act(&mut s, scan(vec![copy]), 3).unwrap_err();
    assert!(e.zh.contains("完全相同"), "{}", e.zh);
    // a twin of a sheet that does not exist
    let mut orphan = sheet("S0004", "d4", "YYNAA");
    orphan.twin = Some("S0099".into());
    assert!(act(&mut s, scan(vec![orphan]), 3).is_err());
    let aside = |serial: &str, by: &str| Action::SetAsideSheet {
        ballot: "vote".into(),
        serial: serial.into(),
        by: by.into(),
    };
    assert!(act(&mut s, aside("S0002", "路人"), 4).is_err());
    assert!(act(&mut s, aside("S0001", "计票人"), 4).is_err(), "counted");
    act(&mut s, aside("S0002", "计票人"), 4).unwrap();
    assert!(act(&mut s, aside("S0002", "计票人"), 4).is_err(), "once");
    act(
        &mut s,
        Action::RuleSheet {
            ballot: "vote".into(),
            serial: "S0003".into(),
            marks: "YYNAA".into(),
            by: "总监票人".into(),
            overrule: None,
        },
        4,
    )
    .unwrap();
    let b = s.ballots.get("vote").unwrap();
    assert_eq!((b.keyed(), b.waiting_sheets().count()), (2, 0));
    assert_eq!(
        b.sheets_and_papers(),
        2,
        "the sheet set aside takes no place"
    );
    assert_eq!(b.sheets[1].set_aside.as_ref().unwrap().same_as, "S0001");
}
