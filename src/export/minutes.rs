//! The minutes model: built once from the engine (the event log's projection), then printed
//! by one small renderer per format (`md`, `html`, `docx`, `xlsx`, `csv`), so that the
//! formats cannot disagree and nothing is typed twice.
//!
//! Nothing here reads the clock: an export shows the session as of its last event, and the
//! same log always gives the same minutes.

use chrono::{Datelike, NaiveDate, Timelike};

use crate::domain::action::Ts;
use crate::domain::ballot::Outcome;
use crate::domain::ballots::{BallotState, CountKind, RoundKind};
use crate::domain::describe::ballot_label;
use crate::domain::quorum::Presence;
use crate::domain::session::{Base, SessionDef, Threshold, VoteMethod};
use crate::domain::state::ItemStatus;
use crate::engine::Engine;
use crate::i18n::Lang;
use crate::summary::{kind_label, quorum_label};

use super::ballots::{BallotOut, ballots as ballot_outs};
use super::table::{Cell, Sheet, Table, file_stem, sheet_name};

/// The minutes of a session as it stands.
#[derive(Debug, Clone)]
pub struct Minutes {
    pub lang: Lang,
    /// 河西区第八届人民代表大会第五次会议
    pub org_title: String,
    /// 第二次全体会议记录 / 会议记录
    pub doc_title: String,
    /// Title block: (label, value): body, term and session, date, venue, chair, recorder.
    pub meta: Vec<(String, String)>,
    /// 记录截至……(事件 #n): the export shows the session up to this event.
    pub as_of: String,
    /// Something is still running or unannounced: the minutes are not final.
    pub in_progress: bool,
    pub attendance: AttendanceSection,
    pub items: Vec<ItemSection>,
    /// Every count of the session (ballot rounds, evaluations, motions) in log order;
    /// `ItemSection::ballots` index into it.
    pub ballots: Vec<BallotSection>,
    /// 承诺事项: every commitment of the session (and those carried in), if any.
    pub commitments: Option<Table>,
    /// One row per question, for the workbook.
    pub question_table: Option<Table>,
    pub chain: ChainHead,
    /// 记录核验: the session's fingerprint, the chain head and each announcement's head, with
    /// the command that checks them (a sheet of the workbook, `record.csv`).
    pub record: Table,
    /// (role, name): 记录人, 审核人 — signed on the printed minutes.
    pub signatures: Vec<(String, String)>,
    /// Fixed labels in the minutes' language.
    pub labels: Labels,
}

#[derive(Debug, Clone)]
pub struct AttendanceSection {
    /// 本次会议应到代表×名,实到×名,请假×名,缺席×名,符合法定人数。
    pub sentence: String,
    /// Per 代表小组.
    pub groups: Table,
    /// Per deputy, roster order.
    pub deputies: Table,
    /// ("请假代表", "张三、李四"), ("缺席代表", …), ("未登记", …): only the non-empty ones.
    pub lists: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct ItemSection {
    /// `(一)` / `1.`
    pub number: String,
    pub title: String,
    pub kind: String,
    /// 江海平(区人大常委会主任)
    pub presenter: Option<String>,
    pub status: ItemStatus,
    /// 已结束 / 进行中 / 未开始 / 已跳过
    pub status_text: String,
    /// 14:30—14:34,历时4分钟(计划5分钟)
    pub time: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub planned_minutes: u32,
    /// Whole minutes run so far (done items only; a running item's clock is not frozen).
    pub minutes: Option<i64>,
    /// (time, text) of each note typed against the item.
    pub notes: Vec<(String, String)>,
    /// Skip and re-open reasons.
    pub reasons: Vec<String>,
    /// Indices into `Minutes::ballots`.
    pub ballots: Vec<usize>,
    /// A questioning item's questions, in queue order.
    pub questions: Vec<super::minutes_questions::QuestionSection>,
}

#[derive(Debug, Clone)]
pub struct BallotSection {
    pub id: String,
    /// 2027年度区政府民生实事项目票决(第2轮)
    pub label: String,
    /// The worksheet's name: the label, or for a motion its item's title (motion titles are
    /// long), with the motion id when the item has several.
    pub sheet: String,
    pub kind: CountKind,
    pub announced: bool,
    /// Not announced and nothing entered yet (no paper, no papers issued, no totals): no
    /// tables, no sheet.
    pub not_started: bool,
    /// 已于15:20宣布结果(事件 #420,链哈希 …) / 未宣布,以下为临时结果……
    pub status_line: String,
    /// 发出、收回、有效、无效、基数、标准 …
    pub figures: Table,
    /// Per candidate / rated item / the motion's totals.
    pub results: Option<Table>,
    /// (总监票人, 黎秀英) …
    pub staff: Vec<(String, String)>,
    /// The §4 sentences.
    pub sentences: Vec<String>,
    pub reopened: Vec<String>,
    /// The posted result sheet (公告), once announced.
    pub notice: Option<Notice>,
}

/// The one-page result sheet read out and posted after an announcement.
#[derive(Debug, Clone)]
pub struct Notice {
    /// 河西区第八届人民代表大会第五次会议
    pub org: String,
    /// 2027年度区政府民生实事项目票决结果公告
    pub heading: String,
    pub sentences: Vec<String>,
    pub staff: Vec<(String, String)>,
    /// 2026年12月18日 15:20
    pub date: String,
    /// 宣布时事件链:#420 1a2b3c4d5e6f
    pub chain: String,
    /// The announcement's event.
    pub seq: u64,
}

impl Notice {
    /// How tightly to print it so that it stays on one page: 0 (a few sentences, 三号 type),
    /// 1 (up to 12 sentences, 小四), 2 (more: a ballot with many candidates, 五号).
    pub fn density(&self) -> u8 {
        match self.sentences.len() {
            0..=6 => 0,
            7..=12 => 1,
            _ => 2,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ChainHead {
    pub seq: u64,
    pub hash: String,
    /// `#57 3F2A-9C1B-77D0-E4A5`: the head as written down and checked with `verify --head`.
    pub short: String,
    /// 本记录依据的事件链头:#57 3F2A-9C1B-77D0-E4A5(可用 huiwu verify 核验)
    pub line: String,
}

/// Section headings and other fixed words, in the minutes' language.
#[derive(Debug, Clone)]
pub struct Labels {
    pub attendance: String,
    pub proceedings: String,
    pub verification: String,
    pub notices: String,
    pub provisional_mark: String,
    pub notes: String,
    pub reasons: String,
    /// Said before the §4 sentences of a count not yet announced.
    pub draft: String,
    pub full_hash: String,
    pub signature: String,
    pub date: String,
}

impl Minutes {
    /// The announced counts' result sheets, in the order they were announced.
    pub fn notices(&self) -> impl Iterator<Item = &Notice> {
        let mut v: Vec<&Notice> = self
            .ballots
            .iter()
            .filter_map(|b| b.notice.as_ref())
            .collect();
        v.sort_by_key(|n| n.seq);
        v.into_iter()
    }

    /// The workbook: attendance, agenda, then one sheet per count. To add a sheet (questions,
    /// commitments …), build one more [`Sheet`] here; the xlsx and csv renderers need no change.
    pub fn sheets(&self) -> Vec<Sheet> {
        let zh = self.lang == Lang::Zh;
        let mut taken: Vec<String> = Vec::new();
        let mut name = |want: &str| {
            let n = sheet_name(want, &taken);
            taken.push(n.clone());
            n
        };
        let mut out = vec![
            Sheet {
                name: name(if zh { "出席情况" } else { "Attendance" }),
                title: format!("{} {}", self.org_title, self.labels.attendance_plain()),
                main: self.attendance.deputies.clone(),
                side: vec![self.attendance.groups.clone()],
                notes: vec![self.attendance.sentence.clone()],
            },
            Sheet {
                name: name(if zh { "议程" } else { "Agenda" }),
                title: format!("{} {}", self.org_title, self.labels.proceedings_plain()),
                main: self.agenda_table(),
                side: Vec::new(),
                notes: vec![self.as_of.clone()],
            },
        ];
        // In agenda order, an item's rounds together.
        for b in self
            .items
            .iter()
            .flat_map(|it| &it.ballots)
            .map(|&k| &self.ballots[k])
        {
            if b.not_started {
                continue;
            }
            let mut notes = vec![b.status_line.clone()];
            notes.extend(b.sentences.iter().cloned());
            let (main, side) = match &b.results {
                Some(r) => (r.clone(), vec![b.figures.clone()]),
                None => (b.figures.clone(), Vec::new()),
            };
            out.push(Sheet {
                name: name(&b.sheet),
                title: b.label.clone(),
                main,
                side,
                notes,
            });
        }
        if let Some(q) = &self.question_table {
            out.push(Sheet {
                name: name(if zh { "询问" } else { "Questions" }),
                title: format!("{} {}", self.org_title, q.caption),
                main: q.clone(),
                side: Vec::new(),
                notes: Vec::new(),
            });
        }
        if let Some(c) = &self.commitments {
            out.push(Sheet {
                name: name(if zh { "承诺事项" } else { "Commitments" }),
                title: format!("{} {}", self.org_title, c.caption),
                main: c.clone(),
                side: Vec::new(),
                notes: Vec::new(),
            });
        }
        out.push(Sheet {
            name: name(if zh { "记录核验" } else { "Record" }),
            title: format!("{} {}", self.org_title, self.record.caption),
            main: self.record.clone(),
            side: Vec::new(),
            notes: vec![self.chain.line.clone()],
        });
        out
    }

    fn agenda_table(&self) -> Table {
        let h: &[&str] = if self.lang == Lang::Zh {
            &[
                "序号",
                "议程",
                "类别",
                "报告人/主持人",
                "状态",
                "开始",
                "结束",
                "计划(分钟)",
                "用时(分钟)",
                "记录",
            ]
        } else {
            &[
                "No.",
                "Item",
                "Kind",
                "Presenter",
                "Status",
                "Start",
                "End",
                "Planned (min)",
                "Taken (min)",
                "Notes",
            ]
        };
        let mut t = Table::new(
            "agenda",
            if self.lang == Lang::Zh {
                "议程"
            } else {
                "Agenda"
            },
            h,
        );
        for (i, it) in self.items.iter().enumerate() {
            let notes: Vec<String> = it
                .notes
                .iter()
                .map(|(at, text)| format!("{at} {text}"))
                .chain(it.reasons.iter().cloned())
                .collect();
            t.push(vec![
                Cell::int(i as i64 + 1),
                Cell::text(&it.title),
                Cell::text(&it.kind),
                Cell::opt_text(it.presenter.clone()),
                Cell::text(&it.status_text),
                Cell::opt_text(it.start.clone()),
                Cell::opt_text(it.end.clone()),
                Cell::int(it.planned_minutes),
                it.minutes.map_or(Cell::Empty, Cell::Int),
                Cell::text(notes.join("\n")),
            ]);
        }
        t
    }
}

impl Labels {
    fn new(lang: Lang) -> Labels {
        let zh = lang == Lang::Zh;
        let s = |a: &str, b: &str| if zh { a.to_string() } else { b.to_string() };
        Labels {
            attendance: s("一、出席情况", "1. Attendance"),
            proceedings: s("二、会议进行情况", "2. Proceedings"),
            verification: s("三、记录核验", "3. Verification"),
            notices: s("结果公告", "Announcements of results"),
            provisional_mark: s("未宣布·临时结果", "PROVISIONAL — not announced"),
            notes: s("记录", "Notes"),
            reasons: s("说明", "Reasons"),
            draft: s(
                "拟宣布用语(尚未宣布):",
                "Draft announcement (not announced yet):",
            ),
            full_hash: s("完整哈希", "full hash"),
            signature: s("签名", "signature"),
            date: s("日期", "date"),
        }
    }

    fn attendance_plain(&self) -> &str {
        strip_number(&self.attendance)
    }

    fn proceedings_plain(&self) -> &str {
        strip_number(&self.proceedings)
    }
}

fn strip_number(s: &str) -> &str {
    s.split_once(['、', ' ']).map_or(s, |(_, t)| t)
}

/// Chinese numerals for the small ordinals of the minutes (届, 次, item numbers): 1–9999.
pub fn cn_num(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 || n > 9999 {
        return n.to_string();
    }
    if (10..20).contains(&n) {
        return format!("十{}", if n == 10 { "" } else { D[(n % 10) as usize] });
    }
    let units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")];
    let mut out = String::new();
    let mut zero = false;
    let mut started = false;
    for (u, name) in units {
        let d = (n / u) % 10;
        if d == 0 {
            if started {
                zero = true;
            }
            continue;
        }
        if zero {
            out.push_str(D[0]);
            zero = false;
        }
        out.push_str(D[d as usize]);
        out.push_str(name);
        started = true;
    }
    out
}

fn ordinal_en(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Time formatting relative to the session's date: `14:30` on the day, with the date else.
struct Clock {
    day: Option<NaiveDate>,
    lang: Lang,
}

impl Clock {
    fn hm(&self, t: &Ts) -> String {
        let hm = format!("{:02}:{:02}", t.hour(), t.minute());
        if Some(t.date_naive()) == self.day {
            hm
        } else {
            format!("{} {hm}", self.date(t.date_naive()))
        }
    }

    fn date(&self, d: NaiveDate) -> String {
        date_text(d, self.lang)
    }
}

fn date_text(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.format("%-d %B %Y").to_string(),
    }
}

fn session_date(def: &SessionDef) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(def.session.date.trim(), "%Y-%m-%d").ok()
}

fn base_label(b: Base, lang: Lang) -> &'static str {
    match b {
        Base::All => lang.t("全体代表", "all deputies"),
        Base::Present => lang.t("出席代表", "deputies present"),
        Base::Valid => lang.t("有效票", "valid papers"),
    }
}

fn threshold_label(t: Threshold, lang: Lang) -> &'static str {
    match t {
        Threshold::Majority => lang.t("过半数", "more than half"),
        Threshold::TwoThirds => lang.t("三分之二以上", "two-thirds or more"),
    }
}

fn outcome_label(o: Outcome, lang: Lang) -> &'static str {
    match o {
        Outcome::Selected => lang.t("入选", "selected"),
        Outcome::NotSelected => lang.t("未入选", "not selected"),
        Outcome::BelowThreshold => lang.t("未过规定票数", "below the threshold"),
        Outcome::Tie => lang.t("票数相等,待再次投票", "tied, run-off due"),
    }
}

fn grade_label(g: &str, lang: Lang) -> &'static str {
    match g {
        "satisfied" => lang.t("满意", "satisfied"),
        "basically_satisfied" => lang.t("基本满意", "basically satisfied"),
        _ => lang.t("不满意", "unsatisfied"),
    }
}

fn status_text(s: ItemStatus, lang: Lang) -> &'static str {
    match s {
        ItemStatus::Pending => lang.t("未开始", "not started"),
        ItemStatus::Running => lang.t("进行中", "in progress"),
        ItemStatus::Done => lang.t("已结束", "finished"),
        ItemStatus::Skipped => lang.t("已跳过", "skipped"),
    }
}

fn round_text(k: RoundKind, lang: Lang) -> &'static str {
    match k {
        RoundKind::Original => "",
        RoundKind::RunOff => lang.t("再次投票", "run-off"),
        RoundKind::FurtherRound => lang.t("另行投票", "further round"),
        RoundKind::Repeat => lang.t("重新投票", "repeat vote"),
    }
}

fn minutes_of(secs: i64) -> i64 {
    (secs + 30) / 60
}

/// Build the minutes of the session as it stands, in `lang`.
pub fn build(engine: &Engine, lang: Lang) -> Minutes {
    let st = engine.state();
    let def = &st.def;
    let s = &def.session;
    let zh = lang == Lang::Zh;
    let t = |a: &str, b: &str| lang.t(a, b).to_string();
    let day = session_date(def);
    let clock = Clock { day, lang };
    // The minutes speak as of the last event, not of the moment they are printed.
    let as_of_time = st.last_at.unwrap_or_else(|| engine.now());

    // ---- title block
    let doc_title = match (s.plenary, zh) {
        (Some(p), true) => format!("第{}次全体会议记录", cn_num(p)),
        (None, true) => "会议记录".to_string(),
        (Some(p), false) => format!("Minutes of the {} plenary meeting", ordinal_en(p)),
        (None, false) => "Minutes".to_string(),
    };
    let first_start = st.items.iter().filter_map(|i| i.started()).min();
    let when = {
        let d = day.map_or_else(|| s.date.clone(), |d| date_text(d, lang));
        match (first_start, &s.start) {
            (Some(f), _) => format!("{d} {}", clock.hm(&f)),
            (None, Some(p)) => format!("{d} {p}{}", lang.t("(计划)", " (planned)")),
            (None, None) => d,
        }
    };
    let mut meta = vec![
        (t("机关", "Body"), s.body.clone()),
        (
            t("届次", "Term and session"),
            if zh {
                format!("第{}届第{}次会议", cn_num(s.term), cn_num(s.session))
            } else {
                format!(
                    "{} term, {} session",
                    ordinal_en(s.term),
                    ordinal_en(s.session)
                )
            },
        ),
    ];
    if let Some(p) = s.plenary {
        meta.push((
            t("会次", "Meeting"),
            if zh {
                format!("第{}次全体会议", cn_num(p))
            } else {
                format!("{} plenary meeting", ordinal_en(p))
            },
        ));
    }
    meta.push((t("时间", "Date"), when));
    meta.push((t("地点", "Venue"), s.venue.clone()));
    meta.push((t("主持人", "Chair"), s.chair.clone()));
    meta.push((
        t("记录人", "Recorder"),
        s.recorder.clone().unwrap_or_default(),
    ));
    meta.push((
        t("法定人数", "Quorum"),
        quorum_label(s.quorum, lang).to_string(),
    ));

    let (head_seq, head_hash) = engine.store().head();
    let as_of = match (st.last_at, zh) {
        (Some(at), true) => format!("记录截至{}(事件 #{head_seq})。", clock.hm(&at)),
        (Some(at), false) => format!("Recorded up to {} (event #{head_seq}).", clock.hm(&at)),
        (None, true) => "尚无记录。".to_string(),
        (None, false) => "Nothing recorded yet.".to_string(),
    };

    // ---- attendance
    let rule = s.quorum;
    let groups_header: &[&str] = if zh {
        &["代表小组", "应到", "实到", "请假", "缺席"]
    } else {
        &["Group", "Expected", "Present", "On leave", "Absent"]
    };
    let mut groups = Table::new(
        "attendance-groups",
        t("各代表小组出席情况", "Attendance by group"),
        groups_header,
    );
    for g in def.groups() {
        let (mut n, mut p, mut l, mut a) = (0u32, 0u32, 0u32, 0u32);
        for (d, pr) in def.deputies.iter().zip(&st.presence) {
            if d.group != g {
                continue;
            }
            n += 1;
            match pr {
                Presence::Present => p += 1,
                Presence::Leave => l += 1,
                Presence::Absent | Presence::Unmarked => a += 1,
            }
        }
        groups.push(vec![
            Cell::text(g),
            Cell::int(n),
            Cell::int(p),
            Cell::int(l),
            Cell::int(a),
        ]);
    }
    let dep_header: &[&str] = if zh {
        &["编号", "姓名", "代表小组", "座位", "出席情况"]
    } else {
        &["ID", "Name", "Group", "Seat", "Attendance"]
    };
    let mut deputies = Table::new(
        "attendance",
        t("代表出席情况", "Attendance by deputy"),
        dep_header,
    );
    for (d, p) in def.deputies.iter().zip(&st.presence) {
        deputies.push(vec![
            Cell::text(&d.id),
            Cell::text(&d.name),
            Cell::text(&d.group),
            Cell::opt_text(d.seat.clone()),
            Cell::text(p.label(lang)),
        ]);
    }
    let names_with = |want: Presence| -> String {
        def.deputies
            .iter()
            .zip(&st.presence)
            .filter(|(_, p)| **p == want)
            .map(|(d, _)| d.name.as_str())
            .collect::<Vec<_>>()
            .join(lang.t("、", ", "))
    };
    let mut lists = Vec::new();
    for (p, label) in [
        (Presence::Leave, t("请假代表", "On leave")),
        (Presence::Absent, t("缺席代表", "Absent")),
        (Presence::Unmarked, t("未登记代表", "Not marked")),
    ] {
        let names = names_with(p);
        if !names.is_empty() {
            lists.push((label, names));
        }
    }
    let attendance = AttendanceSection {
        sentence: st.attendance.sentence(rule, lang),
        groups,
        deputies,
        lists,
    };

    // ---- ballots
    let outs = ballot_outs(engine);
    let ballots: Vec<BallotSection> = st
        .ballots
        .list
        .iter()
        .zip(outs)
        .map(|(b, out)| ballot_section(engine, b, &out, lang, &clock))
        .collect();

    // ---- agenda
    let items: Vec<ItemSection> = def
        .agenda
        .iter()
        .zip(&st.items)
        .enumerate()
        .map(|(i, (d, it))| {
            let number = if zh {
                format!("({})", cn_num(i as u32 + 1))
            } else {
                format!("{}.", i + 1)
            };
            let presenter = d.presenter.as_ref().map(|p| match &d.post {
                Some(post) if zh => format!("{p}({post})"),
                Some(post) => format!("{p} ({post})"),
                None => p.clone(),
            });
            let start = it.started().map(|x| clock.hm(&x));
            let end = it.ended().map(|x| clock.hm(&x));
            let minutes = (it.status == ItemStatus::Done).then(|| {
                minutes_of(
                    it.segments
                        .iter()
                        .filter_map(|s| s.end.map(|e| (e - s.start).num_seconds().max(0)))
                        .sum(),
                )
            });
            let planned = d.minutes;
            let time = item_time(it, planned, minutes, &clock, lang);
            let notes = it
                .notes
                .iter()
                .map(|n| (clock.hm(&n.at), n.text.clone()))
                .collect();
            ItemSection {
                number,
                title: d.title.clone(),
                kind: kind_label(d.kind, d.mode, lang).to_string(),
                presenter,
                status: it.status,
                status_text: status_text(it.status, lang).to_string(),
                time,
                start,
                end,
                planned_minutes: planned,
                minutes,
                notes,
                reasons: it.reasons.clone(),
                ballots: st
                    .ballots
                    .list
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.item == i)
                    .map(|(k, _)| k)
                    .collect(),
                questions: super::minutes_questions::questions(
                    st,
                    i,
                    &|t| clock.hm(t),
                    as_of_time,
                    lang,
                ),
            }
        })
        .collect();

    let in_progress = st.running().is_some()
        || ballots.iter().any(|b| !b.announced && !b.not_started)
        || st
            .items
            .iter()
            .any(|i| matches!(i.status, ItemStatus::Pending | ItemStatus::Running));

    let short = crate::store::head_text(head_seq, head_hash);
    let chain = ChainHead {
        seq: head_seq,
        hash: head_hash.to_string(),
        line: if zh {
            format!("本记录依据的事件链头:{short}(可用 huiwu verify --head \"{short}\" 核验)。")
        } else {
            format!(
                "These minutes render the event log up to its chain head {short} (check with huiwu verify --head \"{short}\")."
            )
        },
        short,
    };
    let mut record = Table::new(
        "record",
        t("记录核验", "Checking the record"),
        &[&t("项目", "Item"), &t("内容", "Value")],
    );
    let g = engine.genesis();
    for (k, v) in [
        (t("会议文件", "Session file"), g.source.clone()),
        (
            t("会议定义指纹", "Session fingerprint"),
            g.fingerprint.clone(),
        ),
        (t("事件条数", "Entries"), head_seq.to_string()),
        (t("事件链头", "Chain head"), chain.short.clone()),
        (t("完整哈希", "Full hash"), chain.hash.clone()),
    ] {
        record.push(vec![Cell::text(k), Cell::text(v)]);
    }
    for b in &st.ballots.list {
        if let Some(h) = b.announced_seq.and_then(|s| engine.store().head_text_of(s)) {
            record.push(vec![
                Cell::text(format!(
                    "{}{}",
                    crate::domain::describe::ballot_label(&st.def, &b.id, lang),
                    t("宣布时链头", ": head at the announcement")
                )),
                Cell::text(h),
            ]);
        }
    }
    record.push(vec![
        Cell::text(t("核验方法", "How to check")),
        Cell::text(format!(
            "huiwu verify --db <{}> --head \"{}\"",
            t("数据库", "database"),
            chain.short
        )),
    ]);
    let signatures = vec![
        (
            t("记录人", "Recorder"),
            s.recorder.clone().unwrap_or_default(),
        ),
        (t("审核人", "Checked by"), String::new()),
    ];
    Minutes {
        lang,
        org_title: s.title.clone(),
        doc_title,
        meta,
        as_of,
        in_progress,
        attendance,
        items,
        ballots,
        commitments: super::minutes_questions::commitments(st, as_of_time.date_naive(), lang),
        question_table: super::minutes_questions::question_table(st, as_of_time, lang),
        chain,
        record,
        signatures,
        labels: Labels::new(lang),
    }
}

fn item_time(
    it: &crate::domain::state::ItemState,
    planned: u32,
    minutes: Option<i64>,
    clock: &Clock,
    lang: Lang,
) -> String {
    let zh = lang == Lang::Zh;
    let spans: Vec<String> = it
        .segments
        .iter()
        .map(|s| match s.end {
            Some(e) => format!("{}—{}", clock.hm(&s.start), clock.hm(&e)),
            None => {
                if zh {
                    format!("{}起", clock.hm(&s.start))
                } else {
                    format!("from {}", clock.hm(&s.start))
                }
            }
        })
        .collect();
    let plan = if zh {
        format!("计划{planned}分钟")
    } else {
        format!("planned {planned} min")
    };
    match it.status {
        ItemStatus::Pending | ItemStatus::Skipped => {
            if zh {
                format!("{}({plan})", status_text(it.status, lang))
            } else {
                format!("{} ({plan})", status_text(it.status, lang))
            }
        }
        ItemStatus::Running => {
            if zh {
                format!("{},进行中({plan})", spans.join("、"))
            } else {
                format!("{}, in progress ({plan})", spans.join(", "))
            }
        }
        ItemStatus::Done => {
            let m = minutes.unwrap_or(0);
            if zh {
                format!("{},历时{m}分钟({plan})", spans.join("、"))
            } else {
                format!("{}, {m} min ({plan})", spans.join(", "))
            }
        }
    }
}

fn ballot_section(
    engine: &Engine,
    b: &BallotState,
    out: &BallotOut,
    lang: Lang,
    clock: &Clock,
) -> BallotSection {
    let st = engine.state();
    let def = &st.def;
    let item = &def.agenda[b.item];
    let zh = lang == Lang::Zh;
    let t = |a: &str, e: &str| lang.t(a, e).to_string();
    let mut label = ballot_label(def, &b.id, lang);
    let rk = round_text(b.round_kind, lang);
    if !rk.is_empty() {
        label = if zh {
            format!("{label} {rk}")
        } else {
            format!("{label}, {rk}")
        };
    }
    let announced = b.locked();
    let item_status = st.items[b.item].status;
    let nothing = match b.kind {
        CountKind::Resolution => out.totals.is_none(),
        _ => b.keyed() == 0 && b.issued.is_none(),
    };
    let not_started = !announced && nothing;
    let item_pending = matches!(item_status, ItemStatus::Pending | ItemStatus::Skipped);
    let hash_at = b
        .announced_seq
        .and_then(|s| engine.store().hash_of(s).ok().flatten().map(|h| (s, h)));
    let status_line = match (&b.announced_at, &hash_at) {
        (Some(at), Some((seq, h))) => {
            let head = crate::store::head_text(*seq, h);
            if zh {
                format!("已于{}宣布结果(事件链头 {head})。", clock.hm(at))
            } else {
                format!("Announced at {} (chain head {head}).", clock.hm(at))
            }
        }
        (Some(at), None) => {
            if zh {
                format!("已于{}宣布结果。", clock.hm(at))
            } else {
                format!("Announced at {}.", clock.hm(at))
            }
        }
        _ if not_started && item_pending => t("尚未进行。", "Not held yet."),
        _ if not_started => t(
            "未宣布:尚未录入结果。",
            "Not announced: nothing entered yet.",
        ),
        _ => t(
            "未宣布:以下为截至本记录时的临时计票结果,以正式宣布为准。",
            "PROVISIONAL — not announced: the count so far, subject to the announcement.",
        ),
    };

    // figures
    let mut figures = Table::new(
        format!("ballot-{}.figures", file_stem(&b.id)),
        t("计票情况", "Figures"),
        if zh {
            &["项目", "数值"]
        } else {
            &["Figure", "Value"]
        },
    );
    let (base_rule, threshold) = (out.base_rule, out.threshold);
    let row = |f: &mut Table, k: String, v: Cell| f.push(vec![Cell::Text(k), v]);
    row(
        &mut figures,
        t("状态", "Status"),
        Cell::text(if announced {
            t("已宣布", "announced")
        } else {
            t("未宣布(临时结果)", "provisional (not announced)")
        }),
    );
    match b.kind {
        CountKind::Approval | CountKind::Satisfaction => {
            if b.kind == CountKind::Approval {
                row(&mut figures, t("应选名额", "Places"), Cell::int(b.places));
            }
            row(
                &mut figures,
                t("发出票数", "Papers issued"),
                b.issued.map_or(Cell::Empty, Cell::int),
            );
            row(
                &mut figures,
                t("收回票数", "Papers returned"),
                Cell::int(b.returned()),
            );
            row(
                &mut figures,
                t("已录入票数", "Papers keyed"),
                Cell::int(b.keyed()),
            );
            row(&mut figures, t("有效票", "Valid"), Cell::int(b.valid()));
            row(&mut figures, t("无效票", "Void"), Cell::int(b.void()));
            let live = out.papers.iter().filter(|p| p.struck.is_none());
            let (too_many, hand) = live.fold((0u32, 0u32), |(a, h), p| match p.verdict {
                "void_too_many" => (a + 1, h),
                "void_hand" => (a, h + 1),
                _ => (a, h),
            });
            if b.kind == CountKind::Approval {
                row(
                    &mut figures,
                    t("其中:赞成多于应选名额", "of which: too many in favour"),
                    Cell::int(too_many),
                );
            }
            row(
                &mut figures,
                t(
                    "其中:监票人裁定无效",
                    "of which: ruled void by the scrutineers",
                ),
                Cell::int(hand),
            );
            if b.vote_void() {
                row(
                    &mut figures,
                    t("投票结果", "Vote"),
                    Cell::text(t(
                        "收回票数多于发出票数,本次投票无效",
                        "more papers returned than issued: void",
                    )),
                );
            }
        }
        CountKind::Resolution => {
            let method = item.resolution.as_ref().map(|r| r.method);
            row(
                &mut figures,
                t("表决方式", "Method"),
                Cell::text(match method {
                    Some(VoteMethod::Keypad) => t("按表决器", "keypads"),
                    _ => t("举手表决", "show of hands"),
                }),
            );
        }
    }
    row(
        &mut figures,
        t("计算基数", "Base"),
        Cell::text(base_label(base_rule, lang)),
    );
    if let Some(v) = out.base {
        row(&mut figures, t("基数人数", "Base number"), Cell::int(v));
    }
    row(
        &mut figures,
        t("通过标准", "Threshold"),
        Cell::text(threshold_label(threshold, lang)),
    );

    // results
    let stem = format!("ballot-{}", file_stem(&b.id));
    let results = match b.kind {
        CountKind::Approval if !out.candidates.is_empty() => {
            let h: &[&str] = if zh {
                &[
                    "名次",
                    "编号",
                    "候选项目",
                    "承办单位",
                    "赞成",
                    "不赞成",
                    "弃权",
                    "结果",
                ]
            } else {
                &[
                    "Rank",
                    "ID",
                    "Candidate",
                    "Unit",
                    "In favour",
                    "Against",
                    "Abstain",
                    "Outcome",
                ]
            };
            let mut r = Table::new(&stem, t("票决结果", "Result"), h);
            for c in &out.candidates {
                r.push(vec![
                    Cell::int(c.rank),
                    Cell::text(&c.id),
                    Cell::text(&c.name),
                    Cell::opt_text(c.unit.clone()),
                    Cell::int(c.yes),
                    Cell::int(c.no),
                    Cell::int(c.abstain),
                    Cell::text(if announced {
                        outcome_label(c.outcome, lang).to_string()
                    } else {
                        format!(
                            "{}{}",
                            outcome_label(c.outcome, lang),
                            lang.t("(临时)", " (provisional)")
                        )
                    }),
                ]);
            }
            Some(r)
        }
        CountKind::Satisfaction if !out.items.is_empty() => {
            let h: &[&str] = if zh {
                &[
                    "编号",
                    "测评对象",
                    "满意",
                    "基本满意",
                    "不满意",
                    "弃权",
                    "满意率",
                    "测评等次",
                ]
            } else {
                &[
                    "ID",
                    "Item",
                    "Satisfied",
                    "Basically",
                    "Unsatisfied",
                    "Abstain",
                    "Rate",
                    "Grade",
                ]
            };
            let mut r = Table::new(&stem, t("测评结果", "Result"), h);
            for it in &out.items {
                r.push(vec![
                    Cell::text(&it.id),
                    Cell::text(&it.name),
                    Cell::int(it.satisfied),
                    Cell::int(it.basically_satisfied),
                    Cell::int(it.unsatisfied),
                    Cell::int(it.abstain),
                    it.rate
                        .map_or(Cell::Empty, |p| Cell::Permille((p * 10.0).round() as u32)),
                    Cell::text(grade_label(&it.grade, lang)),
                ]);
            }
            Some(r)
        }
        CountKind::Resolution => out.totals.as_ref().map(|tot| {
            let keypad = matches!(
                item.resolution.as_ref().map(|r| r.method),
                Some(VoteMethod::Keypad)
            );
            let mut h: Vec<&str> = if zh {
                vec!["表决事项", "赞成", "反对", "弃权"]
            } else {
                vec!["Motion", "In favour", "Against", "Abstain"]
            };
            if keypad {
                h.push(lang.t("未按", "Not pressed"));
            }
            h.push(lang.t("结果", "Result"));
            let mut r = Table::new(&stem, t("表决结果", "Result"), &h);
            let mut cells = vec![
                Cell::text(ballot_label(def, &b.id, lang)),
                Cell::int(tot.yes),
                Cell::int(tot.no),
                Cell::int(tot.abstain),
            ];
            if keypad {
                cells.push(Cell::int(tot.not_pressed));
            }
            cells.push(Cell::text(if tot.passed {
                t("通过", "adopted")
            } else {
                t("未通过", "not adopted")
            }));
            r.push(cells);
            r
        }),
        _ => None,
    };

    // staff
    let mut staff = Vec::new();
    if let Some((chief, rest)) = b.scrutineers.split_first() {
        staff.push((t("总监票人", "Chief scrutineer"), chief.clone()));
        if !rest.is_empty() {
            staff.push((t("监票人", "Scrutineers"), rest.join(lang.t("、", ", "))));
        }
    }
    if !b.clerks.is_empty() {
        staff.push((t("计票人", "Clerks"), b.clerks.join(lang.t("、", ", "))));
    }

    let sentences: Vec<String> = if not_started {
        Vec::new()
    } else if zh {
        out.announcement_zh.clone()
    } else {
        out.announcement_en.clone()
    };
    let notice = match (&b.announced_at, announced) {
        (Some(at), true) => {
            let heading = match (b.kind, zh) {
                (CountKind::Resolution, true) => "表决结果公告".to_string(),
                (CountKind::Resolution, false) => "Result of the vote".to_string(),
                (_, true) => format!("{label}结果公告"),
                (_, false) => format!("Result: {label}"),
            };
            let date = format!(
                "{} {:02}:{:02}",
                date_text(at.date_naive(), lang),
                at.hour(),
                at.minute()
            );
            let chain = match &hash_at {
                Some((seq, h)) => {
                    let head = crate::store::head_text(*seq, h);
                    if zh {
                        format!("宣布时事件链头:{head}")
                    } else {
                        format!("Chain head at the announcement: {head}")
                    }
                }
                None => String::new(),
            };
            Some(Notice {
                org: def.session.title.clone(),
                heading,
                sentences: sentences.clone(),
                staff: staff.clone(),
                date,
                chain,
                seq: b.announced_seq.unwrap_or(0),
            })
        }
        _ => None,
    };
    let sheet = match (b.kind, item.resolution.as_ref()) {
        (CountKind::Resolution, Some(r)) if r.motions.len() > 1 => {
            let motion = b.id.split_once('/').map_or("", |(_, m)| m);
            format!("{} {motion}", item.title)
        }
        (CountKind::Resolution, _) => item.title.clone(),
        _ => label.clone(),
    };
    BallotSection {
        id: b.id.clone(),
        sheet,
        label,
        kind: b.kind,
        announced,
        not_started,
        status_line,
        figures,
        results,
        staff,
        sentences,
        reopened: b.reopened.clone(),
        notice,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        let cases = [
            (1, "一"),
            (2, "二"),
            (8, "八"),
            (10, "十"),
            (11, "十一"),
            (16, "十六"),
            (20, "二十"),
            (21, "二十一"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (1005, "一千零五"),
        ];
        for (n, want) in cases {
            assert_eq!(cn_num(n), want, "{n}");
        }
    }

    #[test]
    fn english_ordinals() {
        assert_eq!(ordinal_en(1), "1st");
        assert_eq!(ordinal_en(2), "2nd");
        assert_eq!(ordinal_en(3), "3rd");
        assert_eq!(ordinal_en(11), "11th");
        assert_eq!(ordinal_en(22), "22nd");
    }
}
