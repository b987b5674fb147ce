//! The minutes model: built once from the engine (the event log's projection), then printed
//! by one small renderer per format (`md`, `html`, `docx`, `xlsx`, `csv`), so that the
//! formats cannot disagree and nothing is typed twice.
//!
//! The minutes speak as of the last event, and the same log always gives the same minutes;
//! the one exception is the export time (`exported`), printed in the footer only.

mod agenda;
mod attendance;
mod counts;
mod labels;
mod projects;
pub mod questions;

pub use labels::{Labels, cn_num};

use chrono::Timelike;

use crate::domain::ballots::CountKind;
use crate::domain::state::ItemStatus;
use crate::engine::Engine;
use crate::i18n::Lang;
use crate::summary::quorum_label;

use super::table::{Cell, Sheet, Table, sheet_name};

use labels::{Clock, date_text, ordinal_en, session_date};

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
    /// When the file was written: printed in the footer, never in the header.
    pub exported: String,
    /// Something is still running or unannounced: the minutes are not final.
    pub in_progress: bool,
    pub attendance: AttendanceSection,
    pub items: Vec<ItemSection>,
    /// Every count of the session (ballot rounds, evaluations, motions) in log order;
    /// `ItemSection::ballots` index into it.
    pub ballots: Vec<BallotSection>,
    /// 承诺事项: every commitment of the session (and those carried in), if any.
    pub commitments: Option<Table>,
    /// 民生实事项目推进情况: the projects carried into the session, if any.
    pub projects: Option<Table>,
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
    pub questions: Vec<questions::QuestionSection>,
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

/// A result sheet's type, loosest first: (size in half-points, line pitch in twips). Level 0
/// is 三号 as a posted sheet should be; each next one is what more candidates need.
pub const NOTICE_LEVELS: [(usize, i32); 5] =
    [(32, 600), (24, 420), (21, 330), (18, 280), (16, 250)];

impl Notice {
    /// The lines the sentences take at type size `size` (half-points) on the A4 text width,
    /// each indented two characters: a CJK character is `size * 10` twips wide.
    pub fn lines_at(&self, size: usize) -> usize {
        const TEXT_W: usize = 9185; // twips, A4 less the margins of the docx
        let cols = (TEXT_W / (size * 5)).max(8);
        self.sentences
            .iter()
            .map(|s| (unicode_width::UnicodeWidthStr::width(s.as_str()) + 4).div_ceil(cols))
            .sum()
    }

    /// How tightly to print it so that it stays on one A4 page: the loosest level of
    /// [`NOTICE_LEVELS`] whose lines fit the room left by the heading, staff, date and chain.
    pub fn density(&self) -> u8 {
        // Twips of body on the page, measured in LibreOffice's layout of the docx with a
        // margin for Word's: the heading, the staff, the date and the chain take the rest.
        const ROOM: i32 = 9_400;
        for (d, (size, line)) in NOTICE_LEVELS.iter().enumerate() {
            if self.lines_at(*size) as i32 * line <= ROOM {
                return d as u8;
            }
        }
        (NOTICE_LEVELS.len() - 1) as u8
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
        if let Some(p) = &self.projects {
            out.push(Sheet {
                name: name(if zh { "民生实事项目" } else { "Projects" }),
                title: format!("{} {}", self.org_title, p.caption),
                main: p.clone(),
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
        // The header carries the session's date; a start on another day (a rehearsal, a
        // meeting resumed) is not written beside it as if it were a second date.
        match (
            first_start.filter(|f| Some(f.date_naive()) == day),
            &s.start,
        ) {
            (Some(f), _) => format!("{d} {:02}:{:02}", f.hour(), f.minute()),
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

    let now = engine.now();
    let exported = match lang {
        Lang::Zh => format!(
            "导出于{} {:02}:{:02}",
            date_text(now.date_naive(), lang),
            now.hour(),
            now.minute()
        ),
        Lang::En => format!(
            "Exported {} {:02}:{:02}",
            date_text(now.date_naive(), lang),
            now.hour(),
            now.minute()
        ),
    };
    let (head_seq, head_hash) = engine.store().head();
    let as_of = match (st.last_at, zh) {
        (Some(at), true) => format!("记录截至{}(事件 #{head_seq})。", clock.hm(&at)),
        (Some(at), false) => format!("Recorded up to {} (event #{head_seq}).", clock.hm(&at)),
        (None, true) => "尚无记录。".to_string(),
        (None, false) => "Nothing recorded yet.".to_string(),
    };

    // ---- attendance
    let attendance = attendance::section(engine, lang);

    // ---- ballots
    let ballots = counts::sections(engine, lang, &clock);

    // ---- agenda
    let items = agenda::items(engine, lang, &clock, as_of_time);

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
        exported,
        in_progress,
        attendance,
        items,
        ballots,
        commitments: questions::commitments(st, as_of_time.date_naive(), lang),
        projects: projects::table(st, lang),
        question_table: questions::question_table(st, as_of_time, lang),
        chain,
        record,
        signatures,
        labels: Labels::new(lang),
    }
}

#[cfg(test)]
mod tests;
