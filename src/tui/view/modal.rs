//! Dialogs over the screen: help, confirmations, text prompts.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::tui::app::{App, Modal};
use crate::tui::keys;

/// A centred rectangle of at most `w`×`h`, inside `area`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let Some(modal) = &app.modal else {
        return;
    };
    match modal {
        Modal::Help => help(app, f, area),
        Modal::ConfirmQuit => confirm(
            app,
            f,
            area,
            app.t(
                "确认退出?所有操作均已保存,下次打开将从此处继续。(y 退出 / 其他任意键取消)",
                "Quit? Everything is saved; the console resumes here next time. (y quits / any other key cancels)",
            ),
        ),
        Modal::Confirm(c) => {
            let mut text = format!("{}\n\n", c.title);
            for l in &c.lines {
                text.push_str(l);
                text.push('\n');
            }
            text.push('\n');
            text.push_str(&c.answer_line(app.lang));
            confirm(app, f, area, &text)
        }
        Modal::Input { title, input, .. } => {
            // Notes get room for several lines; other prompts one.
            let rows = if input.multiline { 8 } else { 1 };
            let rect = centered(area, area.width.saturating_sub(8).min(100), rows + 4);
            f.render_widget(Clear, rect);
            let block = Block::new()
                .borders(Borders::ALL)
                .border_style(Style::new().fg(Color::Cyan))
                .title(format!(" {title} "));
            let inner = block.inner(rect);
            f.render_widget(block, rect);
            if inner.height == 0 || inner.width == 0 {
                return;
            }
            let text_rows = inner.height.saturating_sub(2).clamp(1, rows);
            let (lines, (col, row)) = input.view_lines(inner.width, text_rows);
            // A suggestion the next key replaces is shown reversed, as a selected field is.
            let style = if input.is_fresh() {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            };
            let body: Vec<Line> = lines
                .into_iter()
                .map(|l| Line::from(Span::styled(l, style)))
                .collect();
            f.render_widget(Paragraph::new(body), Rect::new(inner.x, inner.y, inner.width, text_rows));
            if inner.height > text_rows + 1 {
                let hint = if input.multiline {
                    app.t("Enter 保存 · Ctrl-J 换行 · Esc 取消", "Enter saves · Ctrl-J new line · Esc cancel")
                } else {
                    app.t("Enter 确认 · Esc 取消", "Enter confirm · Esc cancel")
                };
                f.render_widget(
                    Paragraph::new(hint).style(Style::new().fg(Color::Gray)),
                    Rect::new(inner.x, inner.y + text_rows + 1, inner.width, 1),
                );
            }
            f.set_cursor_position((inner.x + col.min(inner.width.saturating_sub(1)), inner.y + row));
        }
    }
}

fn confirm(_app: &App, f: &mut Frame, area: Rect, prompt: &str) {
    let max_w = area.width.saturating_sub(4).clamp(20, 100);
    let widest = prompt.lines().map(|l| l.width()).max().unwrap_or(0) as u16;
    let w = (widest + 4).clamp(20, max_w);
    let inner_w = w.saturating_sub(2).max(1) as usize;
    let rows: usize = prompt
        .lines()
        .map(|l| l.width().div_ceil(inner_w).max(1))
        .sum();
    let rect = centered(area, w, rows as u16 + 2);
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(prompt)
            .wrap(Wrap { trim: false })
            .style(Style::new().add_modifier(Modifier::BOLD))
            .block(
                Block::new()
                    .borders(Borders::ALL)
                    .border_style(Style::new().fg(Color::Yellow)),
            ),
        rect,
    );
}

fn help(app: &App, f: &mut Frame, area: Rect) {
    let mut lines = vec![
        Line::from(Span::styled(
            format!("{} — {}", app.t("帮助", "Help"), app.screen.title(app.lang)),
            Style::new().add_modifier(Modifier::BOLD),
        )),
        Line::from(""),
    ];
    for b in keys::help(app.ctx()) {
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:>10}  ", b.key(app.lang)),
                Style::new().fg(Color::Cyan),
            ),
            Span::raw(b.label(app.lang)),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        app.t(
            "每个操作在屏幕确认之前已写入数据库;断电或关闭后重新打开即从原处继续。按任意键关闭。",
            "Every action is saved before the screen confirms it; reopen after a crash to continue. Any key closes.",
        ),
        Style::new().fg(Color::Gray),
    )));
    let h = (lines.len() as u16 + 2).min(area.height);
    let rect = centered(area, 70, h);
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::new().borders(Borders::ALL)),
        rect,
    );
}
