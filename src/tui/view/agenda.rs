//! Agenda screen: every item, the running one highlighted with its clock and overrun.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::{clock, scroll_offset};
use crate::domain::quorum::Verdict;
use crate::domain::state::ItemStatus;
use crate::i18n::Lang;
use crate::summary::item_kind_label;
use crate::tui::app::App;
use crate::tui::keys::{Cmd, Screen};

/// The status's word ([`ItemStatus::label`], the minutes' own), styled for the screen.
fn status_label(app: &App, s: ItemStatus) -> (&'static str, Style) {
    let style = match s {
        ItemStatus::Pending => Style::new().fg(Color::Gray),
        ItemStatus::Running => Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        ItemStatus::Done => Style::new(),
        ItemStatus::Skipped => Style::new().fg(Color::DarkGray),
    };
    (s.label(app.lang), style)
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let [current, list, notes] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Min(5),
        Constraint::Length(5),
    ])
    .areas(area);
    render_current(app, f, current);
    render_list(app, f, list);
    render_notes(app, f, notes);
}

fn render_current(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let now = app.engine.now();
    let block = Block::new()
        .borders(Borders::ALL)
        .title(app.t(" 当前议程 ", " Current item "));
    let lines = match st.running() {
        Some(i) => {
            let def = &st.def.agenda[i];
            let it = &st.items[i];
            let elapsed = it.elapsed_secs(now);
            let planned = i64::from(def.minutes) * 60;
            let mut clock_spans = vec![
                Span::styled(
                    format!("{} {}", app.t("已进行", "elapsed"), clock(elapsed)),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(format!(
                    "  / {} {}",
                    app.t("计划", "planned"),
                    clock(planned)
                )),
            ];
            if planned > 0 && elapsed > planned {
                clock_spans.push(Span::styled(
                    format!(
                        "  {} +{}",
                        app.t("超时", "OVERRUN"),
                        clock(elapsed - planned)
                    ),
                    Style::new()
                        .fg(Color::White)
                        .bg(Color::Red)
                        .add_modifier(Modifier::BOLD),
                ));
            } else if planned > 0 {
                clock_spans.push(Span::styled(
                    format!("  {} {}", app.t("剩余", "left"), clock(planned - elapsed)),
                    Style::new().fg(Color::Green),
                ));
            }
            let who = match (&def.presenter, &def.post) {
                (Some(p), Some(post)) => format!("  {post} {p}"),
                (Some(p), None) => format!("  {p}"),
                _ => String::new(),
            };
            vec![
                Line::from(vec![
                    Span::styled(
                        format!("{}. {}", i + 1, def.title),
                        Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(who),
                ]),
                Line::from(clock_spans),
            ]
        }
        None => {
            let rule = st.quorum_rule();
            let a = st.attendance;
            // A new session: nobody registered yet, and the first thing to do is the roll.
            let (roll, start) = (app.key(Cmd::GoTo(Screen::Roll)), app.key(Cmd::Start));
            let first = match (a.unmarked == a.total && a.total > 0, app.lang) {
                (true, Lang::Zh) => format!(
                    "尚无代表登记:请先按 {roll} 到出席页登记出席、请假和缺席,再按 {start} 开始议程。"
                ),
                (true, Lang::En) => format!(
                    "Nobody registered yet: press {roll} for the roll call, then {start} to start an item."
                ),
                (false, Lang::Zh) => format!("没有进行中的议程。选中议程后按 {start} 开始。"),
                (false, Lang::En) => {
                    format!("No item running. Select one and press {start} to start.")
                }
            };
            vec![
                Line::from(first),
                Line::from(Span::styled(
                    a.sentence(rule, app.lang),
                    Style::new().fg(verdict_color(a.verdict(rule))),
                )),
            ]
        }
    };
    f.render_widget(Paragraph::new(lines).block(block), area);
}

fn render_list(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let now = app.engine.now();
    let height = area.height.saturating_sub(3) as usize;
    let offset = scroll_offset(app.agenda.sel, st.items.len(), height);
    let rows = st
        .def
        .agenda
        .iter()
        .zip(&st.items)
        .enumerate()
        .skip(offset)
        .take(height.max(1))
        .map(|(i, (d, it))| {
            let (label, style) = status_label(app, it.status);
            let time = match it.status {
                ItemStatus::Pending | ItemStatus::Skipped => String::new(),
                ItemStatus::Running => format!(
                    "{}→",
                    it.started()
                        .map(|t| t.format("%H:%M").to_string())
                        .unwrap_or_default()
                ),
                // Start, end and the minutes it took (as the plan column counts them), in
                // the column's 17 cells even for an item of over an hour.
                ItemStatus::Done => format!(
                    "{}–{} {}",
                    it.started()
                        .map(|t| t.format("%H:%M").to_string())
                        .unwrap_or_default(),
                    it.ended()
                        .map(|t| t.format("%H:%M").to_string())
                        .unwrap_or_default(),
                    minutes(it.elapsed_secs(now))
                ),
            };
            let planned = i64::from(d.minutes) * 60;
            let over =
                it.status != ItemStatus::Pending && planned > 0 && it.elapsed_secs(now) > planned;
            let row = Row::new(vec![
                Cell::from(format!("{:>2}", i + 1)),
                Cell::from(item_kind_label(d, app.lang)),
                Cell::from(d.title.as_str()),
                Cell::from(d.presenter.as_deref().unwrap_or("")),
                Cell::from(format!("{:>3}′", d.minutes)),
                Cell::from(label).style(style),
                Cell::from(time).style(if over {
                    Style::new().fg(Color::Red)
                } else {
                    Style::new()
                }),
            ]);
            if i == app.agenda.sel {
                row.style(
                    Style::new()
                        .bg(Color::DarkGray)
                        .add_modifier(Modifier::BOLD),
                )
            } else if it.status == ItemStatus::Running {
                row.style(Style::new().fg(Color::Green))
            } else {
                row
            }
        });
    let header = Row::new(vec![
        "#",
        app.t("类型", "kind"),
        app.t("议程", "item"),
        app.t("报告人", "presenter"),
        app.t("计划", "plan"),
        app.t("状态", "status"),
        app.t("时间", "time"),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let table = Table::new(
        rows,
        [
            Constraint::Length(2),
            Constraint::Length(if app.lang == crate::i18n::Lang::En {
                11
            } else {
                8
            }),
            Constraint::Min(20),
            Constraint::Length(10),
            Constraint::Length(5),
            Constraint::Length(8),
            Constraint::Length(17),
        ],
    )
    .header(header)
    .block(
        Block::new()
            .borders(Borders::ALL)
            .title(app.t(" 议程 ", " Agenda ")),
    );
    f.render_widget(table, area);
}

fn render_notes(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let Some(it) = st.items.get(app.agenda.sel) else {
        return;
    };
    let title = format!(
        " {}:{} ",
        app.t("备注", "Notes"),
        st.def.agenda[app.agenda.sel].title
    );
    let mut lines: Vec<Line> = Vec::new();
    for r in &it.reasons {
        lines.push(Line::from(Span::styled(
            format!("{}{r}", app.t("理由:", "reason: ")),
            Style::new().fg(Color::Yellow),
        )));
    }
    let room = area.height.saturating_sub(2) as usize;
    let skip = (it.notes.len() + lines.len()).saturating_sub(room);
    for n in it.notes.iter().skip(skip) {
        lines.push(Line::from(vec![
            Span::styled(
                n.at.format("%H:%M ").to_string(),
                Style::new().fg(Color::Gray),
            ),
            Span::raw(n.text.as_str()),
        ]));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            match app.lang {
                Lang::Zh => format!("(无。按 {} 记录)", app.key(Cmd::Note)),
                Lang::En => format!("(none; press {} to add one)", app.key(Cmd::Note)),
            },
            Style::new().fg(Color::DarkGray),
        )));
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::new().borders(Borders::ALL).title(title)),
        area,
    );
}

/// Green when the quorum is met, yellow while the roll may still meet it, red when it cannot.
pub(super) fn verdict_color(v: Verdict) -> Color {
    match v {
        Verdict::Met => Color::Green,
        Verdict::Pending => Color::Yellow,
        Verdict::NotMet => Color::Red,
    }
}

/// A duration in whole minutes (`40′`), under a minute `<1′`.
fn minutes(secs: i64) -> String {
    match (secs.max(0) + 30) / 60 {
        0 if secs > 0 => "<1′".to_string(),
        m => format!("{m}′"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_finished_item_s_time_fits_its_column() {
        use unicode_width::UnicodeWidthStr;
        assert_eq!(super::minutes(0), "0′");
        assert_eq!(super::minutes(20), "<1′");
        assert_eq!(super::minutes(4200), "70′");
        assert_eq!(super::minutes(600 * 60), "600′");
        // 17 cells: the widest a day's item can be.
        assert!(format!("14:56–16:06 {}", super::minutes(600 * 60)).width() <= 17);
    }
}
