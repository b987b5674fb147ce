//! Commitments screen: every commitment of the session and those carried from earlier ones,
//! with the responsible unit, due date and status (overdue computed from today's date).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::scroll_offset;
use crate::domain::questions::CStatus;
use crate::i18n::Lang;
use crate::tui::app::App;
use crate::tui::keys::Cmd;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let today = app.engine.now().date_naive();
    if st.commitments.is_empty() {
        f.render_widget(
            Paragraph::new(match app.lang {
                Lang::Zh => format!(
                    "尚无承诺。在询问屏选中问题后按 {} 记录承诺;上次会议的承诺用 huiwu followups 带入。",
                    app.key(Cmd::CommitQ)
                ),
                Lang::En => format!(
                    "No commitments yet. On the questions screen press {}; carry earlier ones in with huiwu followups.",
                    app.key(Cmd::CommitQ)
                ),
            })
            .wrap(Wrap { trim: false })
            .block(Block::new().borders(Borders::ALL).title(app.t(" 承诺事项 ", " Commitments "))),
            area,
        );
        return;
    }
    let height = area.height.saturating_sub(3) as usize;
    let offset = scroll_offset(app.commitments.sel, st.commitments.len(), height);
    let rows = st
        .commitments
        .iter()
        .enumerate()
        .skip(offset)
        .take(height.max(1))
        .map(|(i, c)| {
            let overdue = c.overdue(today);
            let status = if overdue {
                format!("{}·{}", c.status.label(app.lang), app.t("逾期", "OVERDUE"))
            } else {
                c.status.label(app.lang).to_string()
            };
            let style = match (overdue, c.status) {
                (true, _) => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
                (false, CStatus::Done) => Style::new().fg(Color::Green),
                (false, CStatus::InProgress) => Style::new().fg(Color::Yellow),
                (false, CStatus::Open) => Style::new(),
            };
            let from = c
                .carried_from
                .as_deref()
                .map_or_else(|| app.t("本次", "this").to_string(), |s| s.to_string());
            let row = Row::new(vec![
                Cell::from(c.id.clone()),
                Cell::from(from),
                Cell::from(c.text.clone()),
                Cell::from(c.unit.clone()),
                Cell::from(c.due.clone()),
                Cell::from(status).style(style),
                Cell::from(c.respondent.clone()),
            ]);
            if i == app.commitments.sel {
                row.style(Style::new().bg(Color::DarkGray))
            } else {
                row
            }
        });
    let header = Row::new(vec![
        app.t("编号", "id"),
        app.t("来源", "from"),
        app.t("承诺事项", "commitment"),
        app.t("责任单位", "unit"),
        app.t("完成时限", "due"),
        app.t("状态", "status"),
        app.t("承诺人", "by"),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let open = st
        .commitments
        .iter()
        .filter(|c| c.status != CStatus::Done)
        .count();
    let overdue = st.commitments.iter().filter(|c| c.overdue(today)).count();
    let title = match app.lang {
        crate::i18n::Lang::Zh => format!(
            " 承诺事项 共{} 项 · 未办结 {open} · 逾期 {overdue} ",
            st.commitments.len()
        ),
        crate::i18n::Lang::En => format!(
            " Commitments: {} · open {open} · overdue {overdue} ",
            st.commitments.len()
        ),
    };
    f.render_widget(
        Table::new(
            rows,
            [
                Constraint::Length(7),
                Constraint::Length(8),
                Constraint::Min(16),
                Constraint::Length(14),
                Constraint::Length(10),
                Constraint::Length(12),
                Constraint::Length(14),
            ],
        )
        .header(header)
        .block(Block::new().borders(Borders::ALL).title(title)),
        area,
    );
}
