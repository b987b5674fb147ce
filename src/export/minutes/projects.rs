//! 民生实事项目推进情况: the projects carried into the session, with their group, status and
//! dated progress notes and status changes (one table for the minutes and the workbook).

use crate::domain::state::SessionState;
use crate::domain::time::short_ts;
use crate::export::table::{Cell, Table};
use crate::i18n::Lang;

pub fn table(st: &SessionState, lang: Lang) -> Option<Table> {
    let c = st.projects.carried.as_ref()?;
    let zh = lang == Lang::Zh;
    let header: &[&str] = if zh {
        &[
            "序号",
            "编号",
            "项目",
            "承办单位",
            "赞成票",
            "监督小组",
            "状态",
            "进展情况",
        ]
    } else {
        &[
            "No.",
            "Id",
            "Project",
            "Unit",
            "Yes",
            "Supervision group",
            "Status",
            "Progress",
        ]
    };
    let caption = if zh {
        format!(
            "{}年度民生实事项目推进情况(选自{}{})",
            c.selection.year, c.selection.session.title, c.selection.item_title
        )
    } else {
        format!(
            "Livelihood projects for {} (selected at {}, {})",
            c.selection.year, c.selection.session.title, c.selection.item_title
        )
    };
    let mut t = Table::new("projects", caption, header);
    for p in &st.projects.list {
        let mut record: Vec<(u64, String, String)> = p
            .notes
            .iter()
            .map(|n| (n.seq, short_ts(&n.at), n.text.clone()))
            .chain(p.changes.iter().map(|ch| {
                let mut s = if zh {
                    format!("状态改为{}", ch.to.zh())
                } else {
                    format!("status now {}", ch.to.en())
                };
                if !ch.note.is_empty() {
                    s.push_str(&format!("{}{}", if zh { ":" } else { ": " }, ch.note));
                }
                (ch.seq, short_ts(&ch.at), s)
            }))
            .collect();
        // In the order recorded (a note and a change in the same minute too).
        record.sort_by_key(|r| r.0);
        let text = record
            .iter()
            .map(|(_, at, x)| format!("{at} {x}"))
            .collect::<Vec<_>>()
            .join("\n");
        t.push(vec![
            Cell::int(i64::from(p.project.rank)),
            Cell::text(&p.project.id),
            Cell::text(&p.project.name),
            Cell::opt_text(p.project.unit.clone()),
            Cell::int(i64::from(p.project.yes)),
            st.project_group(p)
                .map_or(Cell::Empty, |g| Cell::text(g.describe(lang))),
            Cell::text(p.status.label(lang)),
            if text.is_empty() {
                Cell::Empty
            } else {
                Cell::text(text)
            },
        ]);
    }
    Some(t)
}
