//! Log screen: the session's events in order with their times — the raw material of the minutes.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};

use crate::domain::describe::describe;
use crate::tui::app::App;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let log = app.engine.log();
    let def = &app.engine.state().def;
    let height = area.height.saturating_sub(3) as usize;
    // Newest at the bottom; `log_back` scrolls toward older entries.
    let end = log.len().saturating_sub(app.log_back);
    let start = end.saturating_sub(height);
    let rows = log[start..end].iter().map(|e| {
        Row::new(vec![
            Cell::from(format!("{:>5}", e.seq)),
            Cell::from(e.at.format("%m-%d %H:%M:%S").to_string())
                .style(Style::new().fg(Color::Gray)),
            Cell::from(e.station.as_str()).style(Style::new().fg(Color::DarkGray)),
            Cell::from(describe(&e.action, def, app.lang)),
        ])
    });
    let header = Row::new(vec![
        "#",
        app.t("时间", "time"),
        app.t("录入站", "station"),
        app.t("事项", "what happened"),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let title = match app.lang {
        crate::i18n::Lang::Zh => format!(" 会议记录(共 {} 条) ", log.len()),
        crate::i18n::Lang::En => format!(" Session log ({} entries) ", log.len()),
    };
    let table = Table::new(
        rows,
        [
            Constraint::Length(5),
            Constraint::Length(14),
            Constraint::Length(7),
            Constraint::Min(20),
        ],
    )
    .header(header)
    .block(Block::new().borders(Borders::ALL).title(title));
    f.render_widget(table, area);
}
