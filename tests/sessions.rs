//! The sample session files in `sessions/` load, and say what they are meant to say.
//!
//! These files are what a secretariat copies to start its own meeting, so each fact a
//! secretary relies on (roster size, groups, questions, places) is pinned here.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use huiwu::domain::quorum::{quorum_met, quorum_needed};
use huiwu::domain::session::{
    AgendaItemDef, Base, ItemKind, Level, QuorumRule, ReportMode, SessionDef, Threshold, VoteMethod,
};
use huiwu::i18n::Lang;
use huiwu::sessionfile::{Loaded, load};

fn sessions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions")
}

fn load_sample(name: &str) -> Loaded {
    let path = sessions_dir().join(name);
    match load(&path) {
        Ok(l) => l,
        Err(e) => panic!("{name} does not load:\n{}", e.render(Lang::Zh)),
    }
}

fn groups(def: &SessionDef) -> Vec<&str> {
    def.groups()
}

fn kinds(def: &SessionDef) -> Vec<ItemKind> {
    def.agenda.iter().map(|i| i.kind).collect()
}

fn item<'a>(def: &'a SessionDef, id: &str) -> &'a AgendaItemDef {
    def.item(id)
        .unwrap_or_else(|| panic!("agenda item `{id}` missing"))
}

fn deputy_names(def: &SessionDef) -> HashSet<&str> {
    def.deputies.iter().map(|d| d.name.as_str()).collect()
}

/// Every item a secretary reads aloud has who presents it and in which post.
fn assert_presenters(def: &SessionDef) {
    for it in &def.agenda {
        assert!(
            it.presenter.as_deref().is_some_and(|p| !p.is_empty()),
            "{}: no presenter",
            it.id
        );
        assert!(
            it.post.as_deref().is_some_and(|p| !p.is_empty()),
            "{}: no post",
            it.id
        );
        if it.kind == ItemKind::Report {
            assert!(
                it.mode.is_some(),
                "{}: a report says oral or written",
                it.id
            );
        }
        if it.mode == Some(ReportMode::Written) {
            assert_eq!(it.minutes, 0, "{}: a written report takes no time", it.id);
        } else {
            assert!(it.minutes > 0, "{}: no planned minutes", it.id);
        }
    }
}

/// What a secretary copying a sample should find: real-looking, unique names, meetings in 2026,
/// scrutineers who are deputies, and every item with presenter, post and planned time.
fn assert_sample_quality(def: &SessionDef) {
    assert_presenters(def);
    assert!(def.session.date.starts_with("2026-"));
    let names = deputy_names(def);
    assert_eq!(
        names.len(),
        def.deputies.len(),
        "duplicate names in a sample roster"
    );
    for dep in &def.deputies {
        let n = dep.name.chars().count();
        assert!((2..=3).contains(&n), "odd name {:?}", dep.name);
        assert!(
            !dep.name.contains("代表"),
            "placeholder name {:?}",
            dep.name
        );
    }
    for it in &def.agenda {
        if let Some(b) = &it.ballot {
            for s in &b.scrutineers {
                assert!(
                    names.contains(s.as_str()),
                    "{}: scrutineer {s} is not a deputy",
                    it.id
                );
            }
        }
        if let Some(s) = &it.satisfaction {
            for x in &s.scrutineers {
                assert!(
                    names.contains(x.as_str()),
                    "{}: scrutineer {x} is not a deputy",
                    it.id
                );
            }
        }
    }
}

#[test]
fn every_sample_session_loads_without_error_or_warning() {
    let mut seen = 0;
    for entry in std::fs::read_dir(sessions_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        seen += 1;
        let loaded = match load(&path) {
            Ok(l) => l,
            Err(e) => panic!("{} does not load:\n{}", path.display(), e.render(Lang::Zh)),
        };
        let warnings: Vec<&str> = loaded.warnings.iter().map(|w| w.zh.as_str()).collect();
        assert!(
            warnings.is_empty(),
            "{}: sample files should be clean, got warnings {warnings:?}",
            path.display()
        );
        let d = &loaded.def;
        let json = d.canonical_json();
        let back: SessionDef = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, d);
    }
    assert!(
        seen >= 4,
        "the four sample sessions are missing from sessions/"
    );
}

#[test]
fn jiangzhou_midyear_city_session() {
    let l = load_sample("jiangzhou-midyear.toml");
    let d = &l.def;
    assert_sample_quality(d);
    let s = &d.session;
    assert_eq!(s.level, Level::City);
    assert_eq!(s.title, "江州市第十六届人民代表大会第四次会议");
    assert_eq!((s.term, s.session), (16, 4));
    assert_eq!(s.quorum, QuorumRule::TwoThirds);
    assert_eq!(s.date, "2026-08-27");

    // Roster: Excel "CSV UTF-8" (BOM, CRLF) with Chinese headers.
    let raw = std::fs::read(sessions_dir().join("jiangzhou-roster.csv")).unwrap();
    assert!(raw.starts_with(b"\xEF\xBB\xBF"), "the roster keeps its BOM");
    assert!(
        raw.windows(2).any(|w| w == b"\r\n"),
        "the roster keeps CRLF"
    );
    assert_eq!(d.deputies.len(), 203);
    assert_eq!(
        d.deputies[0].id, "JZ001",
        "BOM must not leak into the first id"
    );
    assert_eq!(d.deputies[0].name, "赵佩琳");
    assert_eq!(d.deputies[0].seat.as_deref(), Some("1排1座"));
    assert_eq!(
        d.deputies[0].unit.as_deref(),
        Some("中共江州市河西区委员会书记")
    );
    let last = d.deputies.last().unwrap();
    assert_eq!(
        (last.id.as_str(), last.name.as_str(), last.group.as_str()),
        ("JZ203", "朱玲", "梅岭县代表团")
    );
    assert!(
        d.deputies
            .iter()
            .all(|x| x.seat.is_some() && x.unit.is_some())
    );
    assert_eq!(
        groups(d),
        [
            "河西区代表团",
            "城东区代表团",
            "江北区代表团",
            "鹿山区代表团",
            "云湖区代表团",
            "临江县代表团",
            "青山县代表团",
            "白沙县代表团",
            "梅岭县代表团"
        ]
    );

    // Quorum at this size: 三分之二以上 of 203 is 136 (135 × 3 = 405 < 406).
    assert_eq!(quorum_needed(s.quorum, 203), 136);
    assert!(quorum_met(s.quorum, 203, 136));
    assert!(!quorum_met(s.quorum, 203, 135));

    use ItemKind::*;
    assert_eq!(
        kinds(d),
        [
            Procedural,
            Report,
            Report,
            Report,
            Report,
            Questioning,
            Satisfaction,
            Resolution,
            Speech,
            Procedural
        ]
    );
    let gov = item(d, "gov-report");
    assert_eq!(gov.post.as_deref(), Some("市长"));
    assert_eq!(gov.mode, Some(ReportMode::Oral));
    for id in ["court-report", "procuratorate-report"] {
        let it = item(d, id);
        assert_eq!(it.mode, Some(ReportMode::Written), "{id}");
        assert_eq!(it.minutes, 0, "{id}");
    }
    assert!(item(d, "court-report").title.contains("中级人民法院"));
    assert!(item(d, "procuratorate-report").title.contains("人民检察院"));

    let q = item(d, "inquiry").questioning.as_ref().unwrap();
    assert_eq!(q.questions.len(), 5);
    assert_eq!(q.max_per_group, Some(1));
    let asked_by: BTreeSet<&str> = q
        .questions
        .iter()
        .map(|x| x.group.as_deref().unwrap())
        .collect();
    assert_eq!(asked_by.len(), 5, "one question per delegation");
    assert_eq!(q.questions[0].deputy, "JZ011");
    assert_eq!(q.questions[0].group.as_deref(), Some("河西区代表团"));
    assert!(
        q.questions
            .iter()
            .all(|x| x.respondent.post.contains("副市长") || x.respondent.post.starts_with("市"))
    );
    assert_eq!(q.questions[4].answer_minutes, Some(8));
    assert_eq!(
        q.questions[0].answer_minutes, None,
        "falls back to the item's 6"
    );
    assert_eq!(q.answer_minutes, 6);

    let sat = item(d, "projects-rating").satisfaction.as_ref().unwrap();
    assert_eq!(sat.items.len(), 8);
    assert_eq!(sat.base, Base::Valid);
    assert_eq!(sat.scrutineers.len(), 3);

    let r = item(d, "resolutions").resolution.as_ref().unwrap();
    assert_eq!(r.motions.len(), 2);
    assert_eq!(r.method, VoteMethod::Hands);
    assert_eq!((r.base, r.threshold), (Base::All, Threshold::Majority));

    let speech = item(d, "secretary-speech");
    assert_eq!(speech.kind, ItemKind::Speech);
    assert_eq!(speech.post.as_deref(), Some("市委书记"));
}

#[test]
fn qingxi_town_questioning_with_gbk_roster() {
    let l = load_sample("qingxi-questioning.toml");
    let d = &l.def;
    assert_sample_quality(d);
    assert_eq!(d.session.level, Level::Town);
    assert_eq!(d.session.quorum, QuorumRule::TwoThirds);
    assert_eq!(d.session.chair, "彭晓东");

    // The roster is GBK as Excel in China saves it: not UTF-8, yet decoded correctly.
    let raw = std::fs::read(sessions_dir().join("qingxi-roster.csv")).unwrap();
    assert!(
        std::str::from_utf8(&raw).is_err(),
        "the sample roster must stay GBK"
    );
    assert!(raw.windows(2).any(|w| w == b"\r\n"));
    assert_eq!(d.deputies.len(), 60);
    let chair = d.deputy("QX01").unwrap();
    assert_eq!(chair.name, "彭晓东");
    assert_eq!(chair.group, "集镇代表小组");
    assert_eq!(chair.seat.as_deref(), Some("1排1座"));
    assert_eq!(chair.unit.as_deref(), Some("青溪镇人大主席"));
    let q53 = d.deputy("QX53").unwrap();
    assert_eq!(
        (q53.name.as_str(), q53.group.as_str()),
        ("刘海英", "茶园代表小组")
    );
    assert_eq!(q53.unit.as_deref(), Some("青溪镇茶园村村务监督委员会主任"));
    let all_groups = groups(d);
    assert_eq!(
        all_groups,
        [
            "集镇代表小组",
            "东溪代表小组",
            "西岭代表小组",
            "南湖代表小组",
            "北山代表小组",
            "茶园代表小组"
        ]
    );
    // 60 deputies: 三分之二以上 is 40 exactly (以上 includes the number itself).
    assert!(quorum_met(d.session.quorum, 60, 40));
    assert!(!quorum_met(d.session.quorum, 60, 39));

    use ItemKind::*;
    assert_eq!(
        kinds(d),
        [Procedural, Report, Questioning, Speech, Procedural]
    );
    let back = item(d, "report-back");
    assert_eq!(back.post.as_deref(), Some("镇长"));
    assert!(back.title.contains("2025年人大代表问政会"));

    let q = item(d, "wenzheng").questioning.as_ref().unwrap();
    assert_eq!(q.questions.len(), 6);
    assert_eq!(q.max_per_group, Some(2));
    assert_eq!(q.followups, 1);
    assert_eq!(
        (q.ask_minutes, q.answer_minutes, q.followup_minutes),
        (3, 5, 2)
    );
    assert!(q.rate_answers);
    let asked: Vec<&str> = q
        .questions
        .iter()
        .map(|x| x.group.as_deref().unwrap())
        .collect();
    assert_eq!(
        asked, all_groups,
        "one question from each 代表小组, in order"
    );
    let topics: Vec<&str> = q.questions.iter().map(|x| x.topic.as_str()).collect();
    for word in ["交通", "生活污水", "农房翻建", "河道", "助餐", "农产品"] {
        assert!(
            topics.iter().any(|t| t.contains(word)),
            "no question about {word}"
        );
    }
    let head = q
        .questions
        .iter()
        .find(|x| x.respondent.post == "镇长")
        .unwrap();
    assert_eq!(head.respondent.name, "周鹏程");
    assert_eq!(head.answer_minutes, Some(8));
    assert!(
        q.questions
            .iter()
            .all(|x| x.respondent.unit.starts_with("青溪镇"))
    );
}

#[test]
fn hexi_district_livelihood_project_ballot() {
    let l = load_sample("hexi-ballot.toml");
    let d = &l.def;
    assert_sample_quality(d);
    assert_eq!(d.session.level, Level::District);
    assert_eq!(d.session.quorum, QuorumRule::TwoThirds);
    assert_eq!(d.session.plenary, Some(2));

    let raw = std::fs::read(sessions_dir().join("hexi-roster.csv")).unwrap();
    assert!(!raw.starts_with(b"\xEF\xBB\xBF"), "plain UTF-8 without BOM");
    assert!(
        raw.starts_with(b"id,name,group,seat\n"),
        "English header, LF"
    );
    assert_eq!(d.deputies.len(), 298);
    assert_eq!(groups(d).len(), 10);
    assert!(
        d.deputies
            .iter()
            .all(|x| x.unit.is_none() && x.seat.is_some())
    );
    assert_eq!(d.deputies[0].name, "张春燕");
    assert_eq!(quorum_needed(d.session.quorum, 298), 199);

    use ItemKind::*;
    assert_eq!(
        kinds(d),
        [
            Procedural, Report, Resolution, Ballot, Procedural, Procedural
        ]
    );
    // The scrutineers are approved by a show of hands before the ballot.
    let approve = item(d, "scrutineers").resolution.as_ref().unwrap();
    assert_eq!(approve.method, VoteMethod::Hands);
    assert_eq!(approve.motions.len(), 1);
    assert!(d.item_index("scrutineers") < d.item_index("ballot"));

    let b = item(d, "ballot").ballot.as_ref().unwrap();
    assert_eq!(b.candidates.len(), 15);
    assert_eq!(b.places, 10);
    assert!(!b.equal, "差额 ballot");
    assert_eq!(b.base, Base::All);
    assert_eq!(b.threshold, Threshold::Majority);
    assert_eq!(b.year, Some(2027));
    assert_eq!(b.scrutineers, ["黎秀英", "楼志强", "程志强"]);
    assert_eq!(b.clerks.len(), 3);
    assert!(b.candidates.iter().all(|c| c.unit.is_some()));
    assert_eq!(b.candidates[0].id, "P01");
    assert_eq!(b.candidates[14].id, "P15");
    let names: HashSet<&str> = b.candidates.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), 15);
    // 过半数 of all 298 deputies: 150 赞成 passes, 149 does not.
    let base = d.deputies.len() as u32;
    assert!(huiwu::domain::ballot::passes(
        150,
        base,
        huiwu::domain::session::Threshold::Majority
    ));
    assert!(!huiwu::domain::ballot::passes(
        149,
        base,
        huiwu::domain::session::Threshold::Majority
    ));

    assert!(item(d, "announce").title.contains("宣布票决结果"));
}

#[test]
fn changning_street_council_inline_roster() {
    let l = load_sample("changning-street-council.toml");
    let d = &l.def;
    assert_sample_quality(d);
    assert_eq!(d.session.level, Level::Street);
    assert_eq!(d.session.quorum, QuorumRule::Majority);
    assert_eq!(d.deputies.len(), 45);
    let g = groups(d);
    assert_eq!(g.len(), 5);
    assert!(g.iter().all(|x| x.ends_with("议政小组")));
    assert!(
        d.deputies
            .iter()
            .all(|x| x.seat.is_none() && x.unit.is_some())
    );
    assert_eq!(d.deputy("CN29").unwrap().name, "朱国良");
    // 过半数 of 45 is 23; 22 is not enough.
    assert!(quorum_met(QuorumRule::Majority, 45, 23));
    assert!(!quorum_met(QuorumRule::Majority, 45, 22));

    use ItemKind::*;
    assert_eq!(
        kinds(d),
        [
            Procedural,
            Report,
            Ballot,
            Satisfaction,
            Resolution,
            Procedural
        ]
    );
    let b = item(d, "piaojian").ballot.as_ref().unwrap();
    assert_eq!((b.candidates.len(), b.places), (9, 6));
    assert!(!b.equal);
    assert_eq!(b.base, Base::Present);
    assert_eq!(b.threshold, Threshold::Majority);
    assert_eq!(b.scrutineers[0], "朱国良", "总监票人 first");

    let sat = item(d, "rating").satisfaction.as_ref().unwrap();
    assert_eq!(sat.items.len(), 5);
    assert_eq!(sat.base, Base::Present);

    let r = item(d, "resolution").resolution.as_ref().unwrap();
    assert_eq!(r.motions.len(), 1);
}
