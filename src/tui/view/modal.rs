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

/// Clear the box and one column either side of it: a double-width character under its edge
/// would otherwise spill its second half over the border.
fn clear(f: &mut Frame, rect: Rect, area: Rect) {
    let x = rect.x.saturating_sub(1).max(area.x);
    let right = (rect.x + rect.width + 1).min(area.x + area.width);
    f.render_widget(Clear, Rect::new(x, rect.y, right - x, rect.height));
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
        Modal::Confirm(c) => confirmation(app, f, area, c),
        Modal::Input { title, input, .. } => {
            // Notes get room for several lines; other prompts one.
            let rows = if input.multiline { 8 } else { 1 };
            let rect = centered(area, area.width.saturating_sub(8).min(100), rows + 4);
            clear(f, rect, area);
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
    clear(f, rect, area);
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

/// Rows `text` takes wrapped in `width` columns, counted as the paragraph will lay it out
/// (character by character: Chinese has no spaces to break at), with one to spare per line.
fn rows_for(text: &str, width: usize) -> usize {
    let width = width.max(1);
    text.lines()
        .map(|l| l.width().div_ceil(width).max(1) + usize::from(l.width() > width))
        .sum()
}

/// A confirmation: the title, the consequence, and — pinned to the bottom of the box, so no
/// length of text can push it out of sight — the line that says which digit takes the step.
fn confirmation(app: &App, f: &mut Frame, area: Rect, c: &crate::tui::confirm::Confirm) {
    let answer = c.answer_line(app.lang);
    let w = area.width.saturating_sub(4).clamp(20, 100);
    let inner_w = w.saturating_sub(2) as usize;
    let body = c.lines.join("\n");
    let answer_rows = rows_for(&answer, inner_w) as u16;
    let body_rows = rows_for(&body, inner_w) as u16;
    let h = (body_rows + answer_rows + 4).min(area.height);
    let rect = centered(area, w, h);
    clear(f, rect, area);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(Color::Yellow))
        .title(Span::styled(
            format!(" {} ", c.title),
            Style::new().add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    if inner.height == 0 {
        return;
    }
    let answer_h = answer_rows.min(inner.height);
    let body_h = inner.height.saturating_sub(answer_h + 1);
    f.render_widget(
        Paragraph::new(body).wrap(Wrap { trim: false }),
        Rect::new(inner.x, inner.y, inner.width, body_h),
    );
    f.render_widget(
        Paragraph::new(answer).wrap(Wrap { trim: false }).style(
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
        ),
        Rect::new(
            inner.x,
            inner.y + inner.height - answer_h,
            inner.width,
            answer_h,
        ),
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
    let entries: Vec<(String, &str)> = keys::help(app.ctx())
        .map(|b| (b.key(app.lang), b.label(app.lang)))
        .collect();
    // Two columns when one would not fit the window: every key stays in view.
    let room = area.height.saturating_sub(8) as usize;
    let cols = if entries.len() > room { 2 } else { 1 };
    let per = entries.len().div_ceil(cols);
    let cell = |e: Option<&(String, &str)>| -> Vec<Span<'static>> {
        match e {
            Some((k, l)) => vec![
                Span::styled(format!("{:>9} ", k), Style::new().fg(Color::Cyan)),
                Span::raw(crate::tui::view::fit(l, 22)),
            ],
            None => Vec::new(),
        }
    };
    for r in 0..per {
        let mut spans = cell(entries.get(r));
        if cols == 2 {
            spans.push(Span::raw("  "));
            spans.extend(cell(entries.get(r + per)));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        app.t(
            "每个操作在屏幕确认之前已写入数据库;断电或关闭后重新打开即从原处继续。按任意键关闭。",
            "Every action is saved before the screen confirms it; reopen after a crash to continue. Any key closes.",
        ),
        Style::new().fg(Color::Gray),
    )));
    let h = (lines.len() as u16 + 4).min(area.height);
    let rect = centered(area, 76, h);
    clear(f, rect, area);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::new().borders(Borders::ALL)),
        rect,
    );
}
