//! Log screen: the session's events in order with their times — the raw material of the minutes.
//! A ballot's papers show as one line per counting stretch, with its period: no paper has a
//! time or entry number of its own on screen, and no attendance entry stands among them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};

use crate::domain::describe::{LogLine, describe, public_log};
use crate::tui::app::App;

/// Entries the log shows at once on the terminal: the body less its frame and column
/// headings. The keys scroll by the same measure the screen draws.
pub fn page_rows(app: &App) -> usize {
    let (w, h) = app.size;
    h.saturating_sub(super::chrome_rows(app, w) + 3) as usize
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let log = public_log(app.engine.log());
    let def = &app.engine.state().def;
    let height = area.height.saturating_sub(3) as usize;
    // Newest at the bottom; `log_back` scrolls toward older entries, never past a full page
    // of the oldest (Home used to leave one row and a blank panel). The keys keep to the same
    // bound; this one only matters after the terminal grew.
    let back = app.log_back.min(log.len().saturating_sub(height));
    let end = log.len().saturating_sub(back);
    let start = end.saturating_sub(height);
    let rows = log[start..end].iter().map(|line| match line {
        LogLine::One(e) => Row::new(vec![
            Cell::from(format!("{:>5}", e.seq)),
            Cell::from(e.at.format("%m-%d %H:%M:%S").to_string())
                .style(Style::new().fg(Color::Gray)),
            Cell::from(e.station.as_str()).style(Style::new().fg(Color::DarkGray)),
            Cell::from(describe(&e.action, def, app.lang)),
        ]),
        LogLine::During(e, from, to) => Row::new(vec![
            Cell::from("    —"),
            Cell::from(format!(
                "{}–{}",
                from.format("%m-%d %H:%M"),
                to.format("%H:%M")
            ))
            .style(Style::new().fg(Color::Gray)),
            Cell::from(e.station.as_str()).style(Style::new().fg(Color::DarkGray)),
            Cell::from(format!(
                "{}{}",
                app.t("(计票期间)", "(while counting) "),
                describe(&e.action, def, app.lang)
            )),
        ]),
        LogLine::Papers(run) => Row::new(vec![
            Cell::from("    —"),
            Cell::from(format!(
                "{}–{}",
                run.from.format("%m-%d %H:%M"),
                run.to.format("%H:%M")
            ))
            .style(Style::new().fg(Color::Gray)),
            Cell::from(""),
            Cell::from(run.describe_short(def, app.lang)).style(Style::new().fg(Color::Cyan)),
        ]),
    });
    let header = Row::new(vec![
        "#",
        app.t("时间", "time"),
        app.t("录入站", "station"),
        app.t("事项", "what happened"),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let title = match app.lang {
        crate::i18n::Lang::Zh => format!(
            " 会议记录(共 {} 条,选票按计票时段合并显示) ",
            app.engine.log().len()
        ),
        crate::i18n::Lang::En => format!(
            " Session log ({} entries; papers shown per counting period) ",
            app.engine.log().len()
        ),
    };
    let table = Table::new(
        rows,
        [
            Constraint::Length(5),
            Constraint::Length(17),
            Constraint::Length(7),
            Constraint::Min(20),
        ],
    )
    .header(header)
    .block(Block::new().borders(Borders::ALL).title(title));
    f.render_widget(table, area);
}
