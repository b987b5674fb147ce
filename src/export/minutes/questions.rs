//! The questioning part of the minutes: each question with its questioner, respondent, the
//! times of its phases, follow-ups, answer notes, rating and commitments; and the table of all
//! commitments (承诺事项) for follow-up.

use crate::domain::questions::{PhaseKind, QuestionState};
use crate::domain::session::RateBase;
use crate::domain::state::SessionState;
use crate::domain::time::Ts;
use crate::i18n::Lang;

use crate::export::table::{Cell, Table};

/// One question as the minutes tell it.
#[derive(Debug, Clone)]
pub struct QuestionSection {
    /// 问题一:农村生活污水治理
    pub heading: String,
    /// (label, text): 提问代表, 应询人, 状态, each phase's times, 现场测评, 承诺 …
    pub facts: Vec<(String, String)>,
    /// (time, text) of the answer notes.
    pub notes: Vec<(String, String)>,
}

fn duration(secs: i64, lang: Lang) -> String {
    let (m, s) = (secs / 60, secs % 60);
    match lang {
        Lang::Zh if s == 0 => format!("{m}分钟"),
        Lang::Zh => format!("{m}分{s}秒"),
        Lang::En => format!("{m}m{s:02}s"),
    }
}

/// A question's state as the record tells it: one still queued when its item finished or was
/// skipped was not asked.
pub fn status_text(st: &SessionState, item: usize, q: &QuestionState, lang: Lang) -> String {
    use crate::domain::questions::QStatus;
    use crate::domain::state::ItemStatus;
    let over = matches!(
        st.items[item].status,
        ItemStatus::Done | ItemStatus::Skipped
    );
    if q.status == QStatus::Queued && over {
        return lang.t("未提问", "not asked").to_string();
    }
    q.status.label(lang)
}

/// Who asked, with their group, and who asked in their place if they were away.
fn asked_by(st: &SessionState, q: &QuestionState, lang: Lang) -> String {
    let name = |id: &str| st.def.deputy(id).map_or(id.to_string(), |d| d.name.clone());
    let asker = name(&q.def.deputy);
    let group = q.def.group.clone().unwrap_or_default();
    let zh = lang == Lang::Zh;
    let spot = match (q.on_the_spot, zh) {
        (true, true) => ",现场提问",
        (true, false) => ", on the spot",
        _ => "",
    };
    let instead = match (&q.asked_by, zh) {
        (Some(b), true) => format!(",{asker}代表未到会,由{}代表代为提问", name(b)),
        (Some(b), false) => format!("; {asker} was away, {} asked in their place", name(b)),
        (None, _) => String::new(),
    };
    if zh {
        format!("{asker}({group}){spot}{instead}")
    } else {
        format!("{asker} ({group}){spot}{instead}")
    }
}

fn question(
    st: &SessionState,
    n: usize,
    q: &QuestionState,
    item: &str,
    hm: &dyn Fn(&Ts) -> String,
    now: Ts,
    lang: Lang,
) -> QuestionSection {
    let zh = lang == Lang::Zh;
    let heading = match lang {
        Lang::Zh => format!("问题{}:{}", super::cn_num(n as u32), q.def.topic),
        Lang::En => format!("Question {n}: {}", q.def.topic),
    };
    let r = &q.def.respondent;
    let item_index = st.def.item_index(item).unwrap_or(0);
    let mut facts = vec![
        (
            lang.t("提问代表", "Asked by").to_string(),
            asked_by(st, q, lang),
        ),
        (
            lang.t("应询人", "Answered by").to_string(),
            if zh {
                format!("{} {}({})", r.post, r.name, r.unit)
            } else {
                format!("{} {} ({})", r.post, r.name, r.unit)
            },
        ),
        (
            lang.t("状态", "Status").to_string(),
            status_text(st, item_index, q, lang),
        ),
    ];
    for p in &q.phases {
        let label = match (p.kind, zh) {
            (PhaseKind::Ask, true) => "提问".to_string(),
            (PhaseKind::Answer, true) => "答复".to_string(),
            (PhaseKind::FollowUp(k), true) => format!("第{}次追问", super::cn_num(k)),
            (PhaseKind::Ask, false) => "Question".to_string(),
            (PhaseKind::Answer, false) => "Answer".to_string(),
            (PhaseKind::FollowUp(k), false) => format!("Follow-up {k}"),
        };
        let start = p.started().map(|t| hm(&t)).unwrap_or_default();
        let end = p
            .ended()
            .map(|t| hm(&t))
            .unwrap_or_else(|| lang.t("进行中", "running").to_string());
        let over = p.overrun_secs(now);
        let text = match lang {
            Lang::Zh => format!(
                "{start}—{end},用时{}(计划{}){}",
                duration(p.elapsed_secs(now), lang),
                duration(p.planned_secs, lang),
                if over > 0 {
                    format!(",超时{}", duration(over, lang))
                } else {
                    String::new()
                }
            ),
            Lang::En => format!(
                "{start}–{end}, {} (planned {}){}",
                duration(p.elapsed_secs(now), lang),
                duration(p.planned_secs, lang),
                if over > 0 {
                    format!(", over by {}", duration(over, lang))
                } else {
                    String::new()
                }
            ),
        };
        facts.push((label, text));
    }
    if let (Some(r), Some(g)) = (q.rating, q.grade) {
        facts.push((
            lang.t("现场测评", "Rating").to_string(),
            crate::domain::words::rating_words(&r, g, q.rating_base, lang),
        ));
    }
    for c in st
        .commitments
        .iter()
        .filter(|c| c.carried_from.is_none() && c.item == item && c.question == q.def.id)
    {
        facts.push((
            lang.t("承诺", "Commitment").to_string(),
            match lang {
                Lang::Zh => format!(
                    "{} {}(责任单位:{},完成时限:{})",
                    c.id, c.text, c.unit, c.due
                ),
                Lang::En => format!("{} {} (unit: {}, due {})", c.id, c.text, c.unit, c.due),
            },
        ));
    }
    for reason in &q.reasons {
        facts.push((lang.t("说明", "Note").to_string(), reason.clone()));
    }
    QuestionSection {
        heading,
        facts,
        notes: q
            .notes
            .iter()
            .map(|n| (hm(&n.at), n.text.clone()))
            .collect(),
    }
}

/// The questions of agenda item `item`, in queue order.
pub fn questions(
    st: &SessionState,
    item: usize,
    hm: &dyn Fn(&Ts) -> String,
    now: Ts,
    lang: Lang,
) -> Vec<QuestionSection> {
    let Some(queue) = st.queues.iter().find(|q| q.item == item) else {
        return Vec::new();
    };
    let id = &st.def.agenda[item].id;
    queue
        .questions
        .iter()
        .enumerate()
        .map(|(k, q)| question(st, k + 1, q, id, hm, now, lang))
        .collect()
}

/// Every commitment of the session (and those carried in), for the minutes and the workbook.
pub fn commitments(st: &SessionState, today: chrono::NaiveDate, lang: Lang) -> Option<Table> {
    if st.commitments.is_empty() {
        return None;
    }
    let header: &[&str] = if lang == Lang::Zh {
        &[
            "编号",
            "来源",
            "问题",
            "承诺人",
            "承诺事项",
            "责任单位",
            "完成时限",
            "状态",
        ]
    } else {
        &[
            "No.",
            "From",
            "Question",
            "By",
            "Commitment",
            "Unit",
            "Due",
            "Status",
        ]
    };
    let mut t = Table::new("commitments", lang.t("承诺事项", "Commitments"), header);
    for c in &st.commitments {
        let status = if c.overdue(today) {
            format!("{}({})", c.status.label(lang), lang.t("逾期", "overdue"))
        } else {
            c.status.label(lang).to_string()
        };
        t.push(vec![
            Cell::text(&c.id),
            Cell::text(
                c.carried_from
                    .clone()
                    .unwrap_or_else(|| lang.t("本次会议", "this session").to_string()),
            ),
            Cell::text(&c.topic),
            Cell::text(&c.respondent),
            Cell::text(&c.text),
            Cell::text(&c.unit),
            Cell::text(&c.due),
            Cell::text(status),
        ]);
    }
    Some(t)
}

/// One row per question, numbers as numbers: the workbook's questions sheet.
pub fn question_table(st: &SessionState, now: Ts, lang: Lang) -> Option<Table> {
    if st.queues.iter().all(|q| q.questions.is_empty()) {
        return None;
    }
    let header: &[&str] = if lang == Lang::Zh {
        &[
            "序号",
            "议程",
            "主题",
            "提问代表",
            "代表小组",
            "应询人",
            "状态",
            "提问(秒)",
            "答复(秒)",
            "追问次数",
            "满意",
            "基本满意",
            "不满意",
            "弃权",
            "满意率",
            "评定",
        ]
    } else {
        &[
            "No.",
            "Item",
            "Topic",
            "Deputy",
            "Group",
            "Respondent",
            "Status",
            "Question (s)",
            "Answer (s)",
            "Follow-ups",
            "Satisfied",
            "Basically",
            "Unsatisfied",
            "Abstain",
            "Rate",
            "Grade",
        ]
    };
    let mut t = Table::new("questions", lang.t("询问", "Questions"), header);
    for queue in &st.queues {
        let item = &st.def.agenda[queue.item].title;
        for (k, q) in queue.questions.iter().enumerate() {
            let secs = |kind: PhaseKind| {
                q.phase(kind)
                    .map_or(Cell::Empty, |p| Cell::int(p.elapsed_secs(now)))
            };
            let asker = st
                .def
                .deputy(&q.def.deputy)
                .map_or(q.def.deputy.clone(), |d| d.name.clone());
            let r = q.rating;
            let num = |f: fn(&crate::domain::questions::Rating) -> u32| {
                r.as_ref().map_or(Cell::Empty, |r| Cell::int(f(r)))
            };
            t.push(vec![
                Cell::int(k as i64 + 1),
                Cell::text(item),
                Cell::text(&q.def.topic),
                Cell::text(asker),
                Cell::text(q.def.group.clone().unwrap_or_default()),
                Cell::text(format!(
                    "{} {}",
                    q.def.respondent.post, q.def.respondent.name
                )),
                Cell::text(status_text(st, queue.item, q, lang)),
                secs(PhaseKind::Ask),
                secs(PhaseKind::Answer),
                Cell::int(i64::from(q.followups_done())),
                num(|r| r.satisfied),
                num(|r| r.basically_satisfied),
                num(|r| r.unsatisfied),
                num(|r| r.abstain),
                r.and_then(|r| r.counts().rate_permille(RateBase::Ratings))
                    .map_or(Cell::Empty, Cell::Permille),
                q.grade.map_or(Cell::Empty, |g| {
                    Cell::text(if lang == Lang::Zh { g.zh() } else { g.en() })
                }),
            ]);
        }
    }
    Some(t)
}
