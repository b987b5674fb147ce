//! Projects screen: the livelihood projects carried from the session that selected them, with
//! their unit, supervision group, status and dated progress notes; the selected one's record
//! below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::scroll_offset;
use crate::domain::projects::ProjectStatus;
use crate::i18n::Lang;
use crate::projects::history::short_ts;
use crate::tui::app::App;
use crate::tui::keys::Cmd;

fn status_style(s: ProjectStatus) -> Style {
    match s {
        ProjectStatus::NotStarted => Style::new(),
        ProjectStatus::InProgress => Style::new().fg(Color::Yellow),
        ProjectStatus::Done => Style::new().fg(Color::Green),
        ProjectStatus::Behind => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let Some(c) = &st.projects.carried else {
        let marked = crate::domain::projects::target_items(&st.def);
        let text = if marked.is_empty() {
            app.t(
                "本次会议没有接收民生实事项目的议程(在进展情况报告或满意度测评议程中写 projects = true)。",
                "No item of this session takes the livelihood projects (mark a progress report or an evaluation with projects = true).",
            )
        } else {
            app.t(
                "尚未结转民生实事项目。请运行 huiwu projects carry --from 票决会议.db --db 本次会议.db,或在会议文件中写 projects_from。",
                "No projects carried yet. Run huiwu projects carry --from BALLOT.db --db THIS.db, or name projects_from in the session file.",
            )
        };
        f.render_widget(
            Paragraph::new(text).wrap(Wrap { trim: true }).block(
                Block::new()
                    .borders(Borders::ALL)
                    .title(app.t(" 民生实事项目 ", " Projects ")),
            ),
            area,
        );
        return;
    };
    let list = &st.projects.list;
    let [top, bottom] = Layout::vertical([Constraint::Min(6), Constraint::Length(9)]).areas(area);
    let height = top.height.saturating_sub(3) as usize;
    let offset = scroll_offset(app.projects.sel, list.len(), height);
    let rows = list
        .iter()
        .enumerate()
        .skip(offset)
        .take(height.max(1))
        .map(|(i, p)| {
            let group =
                st.project_group(p)
                    .map_or_else(String::new, |g| match (&g.name, app.lang) {
                        (Some(n), Lang::Zh) => format!("{n}·组长{}", g.leader.name),
                        (Some(n), Lang::En) => format!("{n} · {}", g.leader.name),
                        (None, Lang::Zh) => format!("组长{}", g.leader.name),
                        (None, Lang::En) => g.leader.name.clone(),
                    });
            let last = p.notes.last().map_or_else(String::new, |n| {
                format!("{} {}", short_ts(&n.at).get(5..10).unwrap_or(""), n.text)
            });
            let row = Row::new(vec![
                Cell::from(p.project.rank.to_string()),
                Cell::from(p.project.name.clone()),
                Cell::from(p.project.unit.clone().unwrap_or_default()),
                Cell::from(group),
                Cell::from(p.status.label(app.lang)).style(status_style(p.status)),
                Cell::from(last),
            ]);
            if i == app.projects.sel {
                row.style(Style::new().bg(Color::DarkGray))
            } else {
                row
            }
        });
    let header = Row::new(vec![
        app.t("序", "#"),
        app.t("项目", "project"),
        app.t("承办单位", "unit"),
        app.t("监督小组", "group"),
        app.t("状态", "status"),
        app.t("最近进展", "latest"),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let [ns, ip, dn, bh] = st.projects.tally();
    let title = match app.lang {
        Lang::Zh => format!(
            " {}年度民生实事项目 {} 项 · 选自{}({}) · 未开工{ns} 推进中{ip} 已完成{dn} 滞后{bh} ",
            c.selection.year,
            list.len(),
            c.selection.session.title,
            c.selection.session.date
        ),
        Lang::En => format!(
            " {} projects for {} · selected at {} ({}) · not started {ns} · in progress {ip} · done {dn} · behind {bh} ",
            list.len(),
            c.selection.year,
            c.selection.session.title,
            c.selection.session.date
        ),
    };
    f.render_widget(
        Table::new(
            rows,
            [
                Constraint::Length(3),
                Constraint::Min(20),
                Constraint::Length(16),
                Constraint::Length(22),
                Constraint::Length(if app.lang == Lang::En { 11 } else { 6 }),
                Constraint::Min(16),
            ],
        )
        .header(header)
        .block(Block::new().borders(Borders::ALL).title(title)),
        top,
    );
    let Some(p) = list.get(app.projects.sel) else {
        return;
    };
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::from(match app.lang {
        Lang::Zh => format!(
            "{} {} · 赞成票{}票,第{}位 · {}",
            p.project.id,
            p.project.name,
            p.project.yes,
            p.project.rank,
            st.project_group(p)
                .map_or_else(|| "未设监督小组".to_string(), |g| g.describe(Lang::Zh))
        ),
        Lang::En => format!(
            "{} {} · {} yes, rank {} · {}",
            p.project.id,
            p.project.name,
            p.project.yes,
            p.project.rank,
            st.project_group(p).map_or_else(
                || "no supervision group".to_string(),
                |g| g.describe(Lang::En)
            )
        ),
    }));
    let mut record: Vec<(u64, String, String)> = p
        .notes
        .iter()
        .map(|n| (n.seq, short_ts(&n.at), n.text.clone()))
        .chain(p.changes.iter().map(|c| {
            let mut t = match app.lang {
                Lang::Zh => format!("状态 {} → {}", c.from.zh(), c.to.zh()),
                Lang::En => format!("status {} → {}", c.from.en(), c.to.en()),
            };
            if !c.note.is_empty() {
                t.push_str(&format!(" · {}", c.note));
            }
            (c.seq, short_ts(&c.at), t)
        }))
        .collect();
    // In the order recorded (a note and a change in the same minute too).
    record.sort_by_key(|r| r.0);
    if record.is_empty() {
        let note = app.key(Cmd::ProjectNote);
        let status = [
            Cmd::ProjectNotStarted,
            Cmd::ProjectInProgress,
            Cmd::ProjectDone,
            Cmd::ProjectBehind,
        ]
        .map(|c| app.key(c))
        .join("/");
        lines.push(Line::from(match app.lang {
            Lang::Zh => format!("尚无进展记录:按 {note} 记录进展情况,按 {status} 改变状态。"),
            Lang::En => format!(
                "Nothing recorded yet: {note} adds a progress note, {status} change the status."
            ),
        }));
    }
    let room = bottom.height.saturating_sub(3) as usize;
    let skip = record.len().saturating_sub(room);
    for (_, at, t) in record.into_iter().skip(skip) {
        lines.push(Line::from(format!("{at}  {t}")));
    }
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::new()
                .borders(Borders::ALL)
                .title(app.t(" 项目记录 ", " Record ")),
        ),
        bottom,
    );
}
