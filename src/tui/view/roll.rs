//! Roll call screen: the quorum banner, per-group counts, and the roster to mark.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::scroll_offset;
use crate::domain::quorum::{Presence, quorum_needed};
use crate::tui::app::App;

fn presence_style(p: Presence) -> Style {
    match p {
        Presence::Unmarked => Style::new().fg(Color::DarkGray),
        Presence::Present => Style::new().fg(Color::Green),
        Presence::Leave => Style::new().fg(Color::Yellow),
        Presence::Absent => Style::new().fg(Color::Red),
    }
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let [banner, rest] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    render_banner(app, f, banner);
    let [groups, list] = Layout::horizontal([
        Constraint::Length((rest.width * 2 / 5).clamp(40, 60)),
        Constraint::Min(38),
    ])
    .areas(rest);
    render_groups(app, f, groups);
    render_list(app, f, list);
}

fn render_banner(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let rule = st.quorum_rule();
    let a = st.attendance;
    let color = super::agenda::verdict_color(a.verdict(rule));
    let need = quorum_needed(rule, a.total);
    let detail = match app.lang {
        crate::i18n::Lang::Zh => format!(
            "法定人数:{} 即至少 {need} 名 · 未登记 {} 名",
            crate::summary::quorum_label(rule, app.lang),
            a.unmarked
        ),
        crate::i18n::Lang::En => format!(
            "quorum: {} = at least {need} · not yet marked {}",
            crate::summary::quorum_label(rule, app.lang),
            a.unmarked
        ),
    };
    let lines = vec![
        Line::from(Span::styled(
            a.sentence(rule, app.lang),
            Style::new().fg(color).add_modifier(Modifier::BOLD),
        )),
        Line::from(Span::styled(detail, Style::new().fg(Color::Gray))),
    ];
    f.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::BOTTOM)),
        area,
    );
}

/// What the roster's groups are called, when every one of them ends with it (a district's
/// 代表团, a town's 代表小组): the column heading, and taken off each name under it.
fn group_word(def: &crate::domain::session::SessionDef) -> Option<&'static str> {
    ["代表团", "代表小组", "代表组"].into_iter().find(|w| {
        !def.deputies.is_empty()
            && def
                .deputies
                .iter()
                .all(|d| d.group.len() > w.len() && d.group.ends_with(w))
    })
}

/// A group's name under its heading: without the word every row would repeat (滨江街道代表团
/// → 滨江街道), cut with … only if still too long.
fn group_short<'a>(g: &'a str, word: Option<&str>) -> &'a str {
    word.and_then(|w| g.strip_suffix(w)).unwrap_or(g)
}

/// The heading of the group columns.
fn group_heading(app: &App, word: Option<&'static str>) -> &'static str {
    match app.lang {
        crate::i18n::Lang::Zh => word.unwrap_or("代表小组"),
        crate::i18n::Lang::En => "group",
    }
}

fn render_groups(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let def = &st.def;
    let word = group_word(def);
    let groups = def.groups();
    // [total, present, leave, absent, unmarked] per group, in one pass over the roster
    let mut counts = vec![[0u32; 5]; groups.len()];
    for (d, p) in def.deputies.iter().zip(&st.presence) {
        if let Some(g) = groups.iter().position(|g| *g == d.group) {
            counts[g][0] += 1;
            counts[g][match p {
                Presence::Present => 1,
                Presence::Leave => 2,
                Presence::Absent => 3,
                Presence::Unmarked => 4,
            }] += 1;
        }
    }
    // The name column's room: the box, five figure columns and the gaps between them.
    let name_w = (area.width as usize).saturating_sub(2 + 22 + 5).max(4);
    let mut rows: Vec<Row> = groups
        .iter()
        .zip(&counts)
        .map(|(g, c)| {
            Row::new(vec![
                Cell::from(super::fit(group_short(g, word), name_w)),
                Cell::from(c[0].to_string()),
                Cell::from(c[1].to_string()).style(presence_style(Presence::Present)),
                Cell::from(c[2].to_string()),
                Cell::from(c[3].to_string()),
                Cell::from(c[4].to_string()).style(presence_style(Presence::Unmarked)),
            ])
        })
        .collect();
    let a = st.attendance;
    rows.push(
        Row::new(vec![
            app.t("合计", "total").to_string(),
            a.total.to_string(),
            a.present.to_string(),
            a.leave.to_string(),
            a.absent.to_string(),
            a.unmarked.to_string(),
        ])
        .style(Style::new().add_modifier(Modifier::BOLD)),
    );
    let header = Row::new(vec![
        group_heading(app, word),
        app.t("应到", "all"),
        app.t("出席", "pres"),
        app.t("请假", "leave"),
        app.t("缺席", "abs"),
        app.t("未登记", "unm."),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let table = Table::new(
        rows,
        [
            Constraint::Min(10),
            Constraint::Length(4),
            Constraint::Length(4),
            Constraint::Length(4),
            Constraint::Length(4),
            Constraint::Length(6),
        ],
    )
    .header(header)
    .block(
        Block::new()
            .borders(Borders::ALL)
            .title(app.t(" 分组 ", " Groups ")),
    );
    f.render_widget(table, area);
}

fn render_list(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let def = &st.def;
    let word = group_word(def);
    let status_w = if app.lang == crate::i18n::Lang::En {
        9
    } else {
        7
    };
    // The group column's room: the box, the other four columns and the gaps between them.
    let group_w = (area.width as usize)
        .saturating_sub(2 + 6 + 8 + 8 + status_w + 4)
        .max(8);
    let show_find = app.roll.finding || !app.roll.query.text().is_empty();
    let [find, table_area] = Layout::vertical([
        Constraint::Length(if show_find { 1 } else { 0 }),
        Constraint::Min(1),
    ])
    .areas(area);
    if show_find {
        let label = app.t("查找:", "Find: ").to_string();
        let count = match app.lang {
            crate::i18n::Lang::Zh => format!("  ({} 人)", app.roll.view.len()),
            crate::i18n::Lang::En => format!("  ({} found)", app.roll.view.len()),
        };
        let lw = unicode_width::UnicodeWidthStr::width(label.as_str()) as u16;
        let room = find.width.saturating_sub(lw + count.len() as u16);
        let (shown, col) = app.roll.query.view(room);
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(label, Style::new().fg(Color::Cyan)),
                Span::raw(shown),
                Span::styled(count, Style::new().fg(Color::Gray)),
            ])),
            find,
        );
        if app.roll.finding && app.modal.is_none() {
            f.set_cursor_position((find.x + lw + col, find.y));
        }
    }
    let height = table_area.height.saturating_sub(3) as usize;
    let view = &app.roll.view;
    let offset = scroll_offset(app.roll.sel, view.len(), height);
    let rows = view
        .iter()
        .enumerate()
        .skip(offset)
        .take(height.max(1))
        .map(|(pos, &i)| {
            let d = &def.deputies[i];
            let p = st.presence[i];
            let row = Row::new(vec![
                Cell::from(d.id.as_str()),
                Cell::from(d.name.as_str()),
                Cell::from(super::fit(group_short(&d.group, word), group_w)),
                Cell::from(d.seat.as_deref().unwrap_or("")),
                Cell::from(p.label(app.lang)).style(presence_style(p)),
            ]);
            if pos == app.roll.sel {
                row.style(
                    Style::new()
                        .bg(Color::DarkGray)
                        .add_modifier(Modifier::BOLD),
                )
            } else {
                row
            }
        });
    let header = Row::new(vec![
        app.t("编号", "id"),
        app.t("姓名", "name"),
        group_heading(app, word),
        app.t("座位", "seat"),
        app.t("状态", "status"),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let title = match app.lang {
        crate::i18n::Lang::Zh => format!(
            " 代表名单 {}/{} ",
            (app.roll.sel + 1).min(view.len()),
            view.len()
        ),
        crate::i18n::Lang::En => format!(
            " Roster {}/{} ",
            (app.roll.sel + 1).min(view.len()),
            view.len()
        ),
    };
    let table = Table::new(
        rows,
        [
            Constraint::Length(6),
            Constraint::Length(8),
            Constraint::Min(8),
            Constraint::Length(8),
            Constraint::Length(status_w as u16),
        ],
    )
    .header(header)
    .block(Block::new().borders(Borders::ALL).title(title));
    f.render_widget(table, table_area);
    if view.is_empty() {
        let msg = app.t("没有匹配的代表", "no deputy matches");
        let inner = Rect::new(
            table_area.x + 2,
            table_area.y + 2,
            table_area.width.saturating_sub(4),
            1,
        );
        if table_area.height > 3 {
            f.render_widget(
                Paragraph::new(msg).style(Style::new().fg(Color::Yellow)),
                inner,
            );
        }
    }
}
