//! The year's history as a workbook: one row per project on the first sheet, then one sheet
//! per session with what that session recorded of each project.

use std::path::Path;

use crate::export::table::{Cell, Sheet, Table};
use crate::i18n::Text;
use crate::text;

use super::history::{History, ProjectHistory};

fn group_cells(h: &ProjectHistory) -> [Cell; 3] {
    match &h.group {
        Some(g) => [
            Cell::opt_text(g.name.clone()),
            Cell::text(&g.leader.name),
            Cell::text(
                g.members
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
        ],
        None => [Cell::Empty, Cell::Empty, Cell::Empty],
    }
}

/// A worksheet name: at most 31 characters, none of `[]:*?/\`, unique in the book.
fn sheet_name(want: &str, taken: &[String]) -> String {
    let clean: String = want
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(28)
        .collect();
    let mut name = clean.clone();
    let mut k = 2;
    while taken.contains(&name) {
        name = format!("{clean}({k})");
        k += 1;
    }
    name
}

pub fn sheets(h: &History) -> Vec<Sheet> {
    let mut out = Vec::new();
    let mut header: Vec<String> = [
        "序号",
        "编号",
        "项目名称",
        "承办单位",
        "入选会议",
        "入选日期",
        "赞成票",
        "名次",
        "监督小组",
        "组长",
        "成员",
        "目前状态",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rated: Vec<usize> = (0..h.sessions.len())
        .filter(|&i| {
            h.projects
                .iter()
                .any(|p| p.ratings.iter().any(|r| r.session == i))
        })
        .collect();
    for &i in &rated {
        let s = h.sessions[i].short();
        header.push(format!("满意率({s})"));
        header.push(format!("测评等次({s})"));
    }
    let refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut main = Table::new("projects", format!("{}年度民生实事项目", h.year), &refs);
    for (k, p) in h.projects.iter().enumerate() {
        let mut row = vec![
            Cell::int(k as i64 + 1),
            Cell::text(&p.id),
            Cell::text(&p.name),
            Cell::opt_text(p.unit.clone()),
            Cell::text(&p.selected.session.title),
            Cell::text(&p.selected.session.date),
            Cell::int(i64::from(p.selected.yes)),
            Cell::int(i64::from(p.selected.rank)),
        ];
        row.extend(group_cells(p));
        row.push(Cell::text(p.status.zh()));
        for &i in &rated {
            match p.ratings.iter().rev().find(|r| r.session == i) {
                Some(r) => {
                    row.push(r.rate_permille.map_or(Cell::text("不计"), Cell::Permille));
                    row.push(Cell::opt_text(r.grade.map(|g| g.zh())));
                }
                None => {
                    row.push(Cell::Empty);
                    row.push(Cell::Empty);
                }
            }
        }
        main.push(row);
    }
    let mut taken: Vec<String> = vec!["项目总览".into()];
    out.push(Sheet {
        name: "项目总览".into(),
        title: format!("{}{}年度民生实事项目跟踪情况", h.body, h.year),
        main,
        side: Vec::new(),
        notes: vec![format!(
            "汇总自 {} 次会议的数据库:{}。满意率按各次测评的计算基数计。",
            h.sessions.len(),
            h.sessions
                .iter()
                .map(|s| format!("{}({})", s.session.title, s.session.date))
                .collect::<Vec<_>>()
                .join(";")
        )],
    });
    for (i, s) in h.sessions.iter().enumerate() {
        let mut t = Table::new(
            format!("session-{}", i + 1),
            s.session.title.clone(),
            &[
                "序号",
                "编号",
                "项目名称",
                "赞成票",
                "名次",
                "本次会议时状态",
                "监督小组",
                "状态变化",
                "进展情况",
                "满意",
                "基本满意",
                "不满意",
                "弃权",
                "满意率",
                "测评等次",
            ],
        );
        for (k, p) in h.projects.iter().enumerate() {
            let selected_here = p.selected.session.fingerprint == s.session.fingerprint;
            let at = p.at[i].as_ref();
            if !selected_here && at.is_none() {
                continue;
            }
            let rating = p.ratings.iter().rev().find(|r| r.session == i);
            let changes = at.map_or(String::new(), |a| {
                a.changes
                    .iter()
                    .map(|(t, from, to, note)| {
                        let mut l = format!("{t} {}→{}", from.zh(), to.zh());
                        if !note.is_empty() {
                            l.push_str(&format!(":{note}"));
                        }
                        l
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            let notes = at.map_or(String::new(), |a| {
                a.notes
                    .iter()
                    .map(|(t, x)| format!("{t} {x}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            let mut row = vec![
                Cell::int(k as i64 + 1),
                Cell::text(&p.id),
                Cell::text(&p.name),
            ];
            if selected_here {
                row.push(Cell::int(i64::from(p.selected.yes)));
                row.push(Cell::int(i64::from(p.selected.rank)));
            } else {
                row.push(Cell::Empty);
                row.push(Cell::Empty);
            }
            row.push(at.map_or(Cell::Empty, |a| Cell::text(a.status.zh())));
            row.push(at.and_then(|a| a.group.as_ref()).map_or(Cell::Empty, |g| {
                Cell::text(g.describe(crate::i18n::Lang::Zh))
            }));
            row.push(if changes.is_empty() {
                Cell::Empty
            } else {
                Cell::text(changes)
            });
            row.push(if notes.is_empty() {
                Cell::Empty
            } else {
                Cell::text(notes)
            });
            match rating {
                Some(r) => {
                    row.push(Cell::int(i64::from(r.counts.satisfied)));
                    row.push(Cell::int(i64::from(r.counts.basically_satisfied)));
                    row.push(Cell::int(i64::from(r.counts.unsatisfied)));
                    row.push(Cell::int(i64::from(r.counts.abstain)));
                    row.push(r.rate_permille.map_or(Cell::text("不计"), Cell::Permille));
                    row.push(Cell::opt_text(r.grade.map(|g| g.zh())));
                }
                None => row.extend(std::iter::repeat_n(Cell::Empty, 6)),
            }
            t.push(row);
        }
        let name = sheet_name(&s.short(), &taken);
        taken.push(name.clone());
        let role = match (s.selected, s.followed) {
            (true, true) => "票决并跟踪项目",
            (true, false) => "票决确定项目",
            _ => "跟踪项目进展",
        };
        out.push(Sheet {
            name,
            title: format!("{}({},{role})", s.session.title, s.session.date),
            main: t,
            side: Vec::new(),
            notes: vec![format!("数据库:{}", s.file.display())],
        });
    }
    out
}

/// Write the workbook to `path`.
pub fn write_xlsx(h: &History, path: &Path) -> Result<(), Text> {
    let bytes = crate::export::xlsx::render_sheets(&sheets(h)).map_err(|e| {
        text!(
            format!("无法生成工作簿:{e}"),
            format!("cannot make the workbook: {e}")
        )
    })?;
    std::fs::write(path, bytes).map_err(|e| {
        text!(
            format!("{}:{e}", path.display()),
            format!("{}: {e}", path.display())
        )
    })
}
