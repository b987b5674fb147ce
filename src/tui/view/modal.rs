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
        Modal::Input { title, input, .. } => input_prompt(f, area, title, input, app.lang),
    }
}

/// A text prompt: its title (wrapped inside the box when the border cannot hold it whole), the
/// text being typed, and the keys that end it.
pub(crate) fn input_prompt(
    f: &mut Frame,
    area: Rect,
    title: &str,
    input: &crate::tui::input::TextInput,
    lang: crate::i18n::Lang,
) {
    // Notes get room for several lines; other prompts one.
    let rows = if input.multiline { 8 } else { 1 };
    let w = area.width.saturating_sub(8).min(100);
    // A title wider than the box is set inside it, wrapped: a prompt's format hint
    // (what to type, what an empty answer does) must be read whole, never cut.
    let title_w = w.saturating_sub(2) as usize;
    let head = if title.width() + 2 <= title_w {
        0
    } else {
        wrapped(title, title_w).len() as u16
    };
    let rect = centered(area, w, rows + 4 + head);
    clear(f, rect, area);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(Color::Cyan));
    let block = if head == 0 {
        block.title(format!(" {title} "))
    } else {
        block
    };
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let head = head.min(inner.height.saturating_sub(1));
    if head > 0 {
        let lines: Vec<Line> = wrapped(title, inner.width as usize)
            .into_iter()
            .map(Line::from)
            .collect();
        f.render_widget(
            Paragraph::new(lines).style(Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)),
            Rect::new(inner.x, inner.y, inner.width, head),
        );
    }
    let inner = Rect::new(inner.x, inner.y + head, inner.width, inner.height - head);
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
    f.render_widget(
        Paragraph::new(body),
        Rect::new(inner.x, inner.y, inner.width, text_rows),
    );
    if inner.height > text_rows + 1 {
        let hint = if input.multiline {
            lang.t(
                "Enter 保存 · Ctrl-J 换行 · Esc 取消",
                "Enter saves · Ctrl-J new line · Esc cancel",
            )
        } else {
            lang.t("Enter 确认 · Esc 取消", "Enter confirm · Esc cancel")
        };
        f.render_widget(
            Paragraph::new(hint).style(Style::new().fg(Color::Gray)),
            Rect::new(inner.x, inner.y + text_rows + 1, inner.width, 1),
        );
    }
    f.set_cursor_position((
        inner.x + col.min(inner.width.saturating_sub(1)),
        inner.y + row,
    ));
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

/// `text` broken into lines of at most `width` columns: Chinese anywhere between characters,
/// a Latin word or a number only at its start (so none is cut, and the rows are known exactly),
/// and a number never apart from the unit after it (`298 名`, `150票`).
pub(crate) fn wrapped(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let width = width.max(2);
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        let mut w = 0;
        for c in para.chars() {
            let cw = c.width().unwrap_or(0);
            if w + cw > width && !line.is_empty() {
                let at = line.len() - glued_tail(&line, c);
                if at > 0 && at < line.len() && !line[..at].trim_end().is_empty() {
                    let rest = line[at..].trim_start().to_string();
                    line.truncate(at);
                    out.push(line.trim_end().to_string());
                    line = rest;
                } else {
                    out.push(std::mem::take(&mut line).trim_end().to_string());
                }
                if c == ' ' && line.is_empty() {
                    w = 0;
                    continue;
                }
                w = line.width();
            }
            line.push(c);
            w += cw;
        }
        out.push(line);
    }
    out
}

/// Bytes at the end of `line` that must move to the next line with `c`: the rest of a word or
/// number `c` continues, or the number (and the space after it) whose unit `c` is.
fn glued_tail(line: &str, c: char) -> usize {
    let word = |ch: char| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '%' | '-' | '≥');
    let run = |s: &str| -> usize {
        s.chars()
            .rev()
            .take_while(|&ch| word(ch))
            .map(char::len_utf8)
            .sum()
    };
    if word(c) {
        return run(line);
    }
    // A unit: a character that is neither Latin, a space nor punctuation, after a number.
    let unit = !c.is_ascii() && c.is_alphabetic();
    if !unit {
        return 0;
    }
    let spaced = line.trim_end_matches(' ');
    let gap = line.len() - spaced.len();
    if gap > 1 || !spaced.ends_with(|ch: char| ch.is_ascii_digit()) {
        return 0;
    }
    run(spaced) + gap
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
/// The confirmation's consequence as laid out on a screen `width` columns wide.
fn confirm_body(c: &crate::tui::confirm::Confirm, width: u16) -> Vec<String> {
    let w = width.saturating_sub(4).clamp(20, 100);
    wrapped(&c.lines.join("\n"), w.saturating_sub(2) as usize)
}

/// How many rows the consequence takes at this width (how far the arrows may read on).
pub fn confirm_rows(c: &crate::tui::confirm::Confirm, width: u16) -> usize {
    confirm_body(c, width).len()
}

fn confirmation(app: &App, f: &mut Frame, area: Rect, c: &crate::tui::confirm::Confirm) {
    let answer = c.answer_line(app.lang);
    let w = area.width.saturating_sub(4).clamp(20, 100);
    let inner_w = w.saturating_sub(2) as usize;
    let body = confirm_body(c, area.width);
    let answer_rows = rows_for(&answer, inner_w) as u16;
    let body_rows = body.len() as u16;
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
    // Longer than the box: the row above the answer says where the reader is and how to go on.
    let more = body.len() > body_h as usize;
    let first = if more {
        c.scroll.min(body.len() - body_h as usize)
    } else {
        0
    };
    let shown: Vec<Line> = body
        .iter()
        .skip(first)
        .take(body_h as usize)
        .map(|l| Line::from(l.as_str()))
        .collect();
    f.render_widget(
        Paragraph::new(shown),
        Rect::new(inner.x, inner.y, inner.width, body_h),
    );
    if more && inner.height > answer_h {
        let last = (first + body_h as usize).min(body.len());
        let hint = match app.lang {
            crate::i18n::Lang::Zh => format!(
                "↑↓ PgUp/PgDn 翻看全文(第 {}–{last} 行,共 {} 行)",
                first + 1,
                body.len()
            ),
            crate::i18n::Lang::En => format!(
                "↑↓ PgUp/PgDn read on (lines {}–{last} of {})",
                first + 1,
                body.len()
            ),
        };
        f.render_widget(
            Paragraph::new(hint).style(Style::new().fg(Color::Cyan)),
            Rect::new(inner.x, inner.y + body_h, inner.width, 1),
        );
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::tui::input::TextInput;
    use ratatui::backend::TestBackend;

    /// The text inside the prompt's box, row by row (the screen behind it is blank).
    fn boxed(title: &str, w: u16, h: u16) -> Vec<String> {
        let mut term = ratatui::Terminal::new(TestBackend::new(w, h)).unwrap();
        let input = TextInput::default();
        term.draw(|f| input_prompt(f, f.area(), title, &input, Lang::Zh))
            .unwrap();
        let buf = term.backend().buffer().clone();
        (0..h)
            .map(|y| {
                let row = row(&buf, y);
                row.trim().trim_matches('│').trim_end().to_string()
            })
            .filter(|r| !r.is_empty() && !r.starts_with('┌') && !r.starts_with('└'))
            .collect()
    }

    /// One row as a terminal shows it (a double-width character covers the cell after it).
    fn row(buf: &ratatui::buffer::Buffer, y: u16) -> String {
        let mut line = String::new();
        let mut x = 0;
        while x < buf.area.width {
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            x += sym.width().max(1) as u16;
        }
        line
    }

    const GROUP: &str = "“既有住宅加装电梯80台”监督小组:组长 成员…(代表编号或姓名,空格分隔;小组名称可写在前面并加冒号,如 第一监督小组:HX004 HX031)";

    #[test]
    fn a_long_prompt_title_is_read_whole_at_80_and_120_columns() {
        for (w, h) in [(80, 24), (120, 40)] {
            let rows = boxed(GROUP, w, h);
            // The title's rows, then the (empty) text row, then the keys.
            let keys = rows.iter().position(|r| r.contains("Enter 确认")).unwrap();
            let title: String = rows[..keys].concat();
            assert_eq!(
                title.replace(' ', ""),
                GROUP.replace(' ', ""),
                "{w}×{h}: {rows:?}"
            );
        }
    }

    #[test]
    fn a_short_title_stays_on_the_border() {
        let mut term = ratatui::Terminal::new(TestBackend::new(80, 24)).unwrap();
        let input = TextInput::default();
        term.draw(|f| input_prompt(f, f.area(), "备注:闭会", &input, Lang::Zh))
            .unwrap();
        let buf = term.backend().buffer();
        let top = (0..24)
            .map(|y| row(buf, y))
            .find(|r| r.contains('┌'))
            .unwrap();
        assert!(top.contains("备注:闭会"), "{top}");
    }

    #[test]
    fn wrapping_cuts_chinese_anywhere_and_english_only_between_words() {
        let zh = wrapped("监督小组:组长 成员", 8);
        assert_eq!(zh, ["监督小组", ":组长 成", "员"]);
        for l in &zh {
            assert!(l.width() <= 8);
        }
        let en = wrapped("supervision group: leader then members", 12);
        assert_eq!(en, ["supervision", "group:", "leader then", "members"]);
        // A number goes to the next line with its unit, with or without a space between.
        assert_eq!(wrapped("实到将为 298 名", 10), ["实到将为", "298 名"]);
        assert_eq!(wrapped("需有效票≥150票", 10), ["需有效票", "≥150票"]);
        assert_eq!(wrapped("共 12 张", 6), ["共", "12 张"]);
        // A word longer than the line is cut, as nothing else would fit it.
        assert_eq!(wrapped("abcdefgh", 4), ["abcd", "efgh"]);
        assert!(wrapped("", 4).is_empty());
    }
}
