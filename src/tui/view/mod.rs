//! Rendering: pure functions of the app state onto a frame. Nothing here changes state.

mod agenda;
mod commitments;
mod count;
pub(crate) mod log;
mod modal;
pub use modal::confirm_rows;
mod projects;
mod questions;
mod roll;
mod sheets;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::App;
use crate::tui::keys::{self, Screen};

pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;
/// Rows above and below a screen's body: header (2), message line, footer.
pub const CHROME_ROWS: u16 = 4;
/// The status line's most rows: a message wider than the screen wraps onto a second.
pub const STATUS_ROWS: u16 = 2;

/// `mm:ss`, or `h:mm:ss` past an hour.
pub fn clock(secs: i64) -> String {
    let s = secs.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

pub fn render(app: &App, f: &mut Frame) {
    let area = f.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    if area.width < MIN_W || area.height < MIN_H {
        too_small(app, f, area);
        return;
    }
    let status = status(app);
    let lines = status_lines(status.as_ref(), area.width);
    let rows = lines.len().clamp(1, STATUS_ROWS as usize) as u16;
    let [header, body, flash, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(rows),
        Constraint::Length(1),
    ])
    .areas(area);
    render_header(app, f, header);
    match app.screen {
        Screen::Agenda => agenda::render(app, f, body),
        Screen::Roll => roll::render(app, f, body),
        Screen::Ballot => count::render(app, f, body),
        Screen::Questions => questions::render(app, f, body),
        Screen::Commitments => commitments::render(app, f, body),
        Screen::Projects => projects::render(app, f, body),
        Screen::Log => log::render(app, f, body),
    }
    if let Some((_, style)) = status {
        let mut shown: Vec<Line> = lines
            .iter()
            .take(STATUS_ROWS as usize)
            .map(|l| Line::from(l.clone()))
            .collect();
        if lines.len() > STATUS_ROWS as usize
            && let Some(last) = shown.last_mut()
        {
            last.push_span("…");
        }
        f.render_widget(Paragraph::new(shown).style(style), flash);
    }
    render_footer(app, f, footer);
    modal::render(app, f, area);
}

/// The status line's text wrapped to the screen's width.
fn status_lines(status: Option<&(String, Style)>, width: u16) -> Vec<String> {
    status
        .map(|(t, _)| modal::wrapped(t, width as usize))
        .unwrap_or_default()
}

/// Rows above and below a screen's body now: [`CHROME_ROWS`] with the status line's second row
/// when the message on it wraps (the log's keys scroll by the body the screen draws).
pub fn chrome_rows(app: &App, width: u16) -> u16 {
    let rows = status_lines(status(app).as_ref(), width)
        .len()
        .clamp(1, STATUS_ROWS as usize) as u16;
    CHROME_ROWS - 1 + rows
}

/// The status line: a broken record, a failed witness write, or what the last key did.
/// A message wider than the screen takes a second row from the body rather than being cut
/// (a figure or a reason at its end is what the clerk must read).
fn status(app: &App) -> Option<(String, Style)> {
    if let Some(t) = app.engine.broken() {
        // Loud and permanent: the record failed its check, nothing more is written.
        Some((
            format!("✗ {}", t.get(app.lang)),
            Style::new()
                .bg(Color::Red)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
        ))
    } else if let Some(t) = app.engine.witness_error() {
        Some((
            format!(
                "✗ {} {}",
                app.t(
                    "见证文件写入失败(操作已记录):",
                    "the witness file was not written (the action is recorded):"
                ),
                t.get(app.lang)
            ),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ))
    } else {
        app.flash.as_ref().map(|fl| {
            let color = if fl.ok { Color::Green } else { Color::Red };
            (
                fl.text.clone(),
                Style::new().fg(color).add_modifier(Modifier::BOLD),
            )
        })
    }
}

fn too_small(app: &App, f: &mut Frame, area: Rect) {
    let (msg, more) = match app.lang {
        crate::i18n::Lang::Zh => (
            format!(
                "窗口太小:需要至少 {MIN_W}×{MIN_H},当前 {}×{}",
                area.width, area.height
            ),
            "放大窗口后继续;此时按键不起作用(q 可退出)",
        ),
        crate::i18n::Lang::En => (
            format!(
                "Window too small: needs {MIN_W}×{MIN_H}, now {}×{}",
                area.width, area.height
            ),
            "Enlarge it to go on; keys do nothing meanwhile (q quits)",
        ),
    };
    let y = area.y + area.height / 2;
    let style = Style::new().fg(Color::Yellow);
    f.render_widget(
        Paragraph::new(msg)
            .alignment(Alignment::Center)
            .style(style),
        Rect::new(area.x, y, area.width, 1),
    );
    if y + 1 < area.y + area.height {
        f.render_widget(
            Paragraph::new(more)
                .alignment(Alignment::Center)
                .style(style),
            Rect::new(area.x, y + 1, area.width, 1),
        );
    }
}

fn render_header(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let s = &st.def.session;
    let [top, tabs] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    // The running chain head, on the right: what the hall and the minutes can write down.
    let head = Line::from(format!(
        " {} {} ",
        app.t("链头", "head"),
        app.engine.head_text()
    ));
    let hw = (head.width() as u16).min(top.width / 2);
    let [left, right] = Layout::horizontal([Constraint::Min(0), Constraint::Length(hw)]).areas(top);
    let title_part = format!(" {} ", s.title);
    let room = (left.width as usize).saturating_sub(Line::from(title_part.as_str()).width());
    let title = Line::from(vec![
        Span::styled(title_part, Style::new().add_modifier(Modifier::BOLD)),
        Span::raw(fit(&format!(" {} {}", s.date, s.venue), room)),
    ]);
    let bar = Style::new().bg(Color::Blue).fg(Color::White);
    f.render_widget(Paragraph::new(title).style(bar), left);
    f.render_widget(Paragraph::new(head).style(bar), right);

    // Full titles where they fit with the file name beside them; short ones on a narrow terminal.
    let full: u16 = Screen::ALL
        .iter()
        .map(|sc| unicode_width::UnicodeWidthStr::width(sc.title(app.lang)) as u16 + 5)
        .sum();
    let file_w = app.engine.path().file_name().map_or(0, |n| {
        unicode_width::UnicodeWidthStr::width(&*n.to_string_lossy()) as u16
    });
    let short = full + file_w + 2 > tabs.width;
    let mut spans = Vec::new();
    for (i, sc) in Screen::ALL.iter().enumerate() {
        let name = if short {
            sc.short_title(app.lang)
        } else {
            sc.title(app.lang)
        };
        // On the count screen digits key marks: the tabs there offer no digit (Tab moves on).
        let label = if app.screen == Screen::Ballot {
            format!(" {name} ")
        } else {
            format!(" {} {} ", i + 1, name)
        };
        let style = if *sc == app.screen {
            Style::new()
                .bg(Color::White)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(Color::Gray)
        };
        spans.push(Span::styled(label, style));
        if i + 1 < Screen::ALL.len() {
            spans.push(Span::raw(" "));
        }
    }
    let station = app.engine.store().station();
    if station != "main" {
        spans.push(Span::styled(
            format!("[{} {station}]", app.t("录入站", "station")),
            Style::new().fg(Color::Magenta),
        ));
    }
    // Which database this is, and whether it was just made: a session started in the wrong
    // folder must never look like lost data.
    let file = app
        .engine
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (created, entries) = app.engine.opened();
    let db = match (app.lang, created) {
        (crate::i18n::Lang::Zh, true) => format!(" 数据库 {file}(新建)"),
        (crate::i18n::Lang::Zh, false) => format!(" 数据库 {file}(续开,打开时 {entries} 条) "),
        (crate::i18n::Lang::En, true) => format!(" db {file} (new) "),
        (crate::i18n::Lang::En, false) => format!(" db {file} (resumed, {entries} entries) "),
    };
    let db = Line::from(Span::styled(
        db,
        Style::new().fg(if created { Color::Yellow } else { Color::Gray }),
    ));
    // Only where it fits beside the tabs; else the file name alone.
    let tabs_w = Line::from(spans.clone()).width() as u16;
    let db = if tabs_w + db.width() as u16 <= tabs.width {
        db
    } else {
        Line::from(Span::styled(
            format!(" {file} "),
            Style::new().fg(Color::Gray),
        ))
    };
    let dw = if tabs_w + db.width() as u16 <= tabs.width {
        db.width() as u16
    } else {
        0
    };
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(dw)]).areas(tabs);
    f.render_widget(Paragraph::new(Line::from(spans)), left);
    f.render_widget(Paragraph::new(db), right);
}

fn hint_spans(hints: &[(String, &str)]) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for (k, label) in hints {
        spans.push(Span::styled(
            format!(" {k} "),
            Style::new()
                .bg(Color::DarkGray)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    spans
}

/// The current screen's keys on the left; help and quit always visible on the right.
fn render_footer(app: &App, f: &mut Frame, area: Rect) {
    if app.modal.is_some() {
        return;
    }
    type Hint<'a> = (String, &'a str);
    let (pinned, hints): (Vec<Hint>, Vec<Hint>) = if app.screen == Screen::Roll && app.roll.finding
    {
        (
            Vec::new(),
            vec![
                ("Enter".to_string(), app.t("完成查找", "done")),
                ("Esc".to_string(), app.t("清除", "clear")),
                ("↑↓".to_string(), app.t("选择", "select")),
            ],
        )
    } else {
        let (p, h): (Vec<_>, Vec<_>) = keys::hints(app.ctx()).partition(|b| {
            // on the count screen letters and digits key marks: Tab, the only way off it,
            // stays in sight there
            matches!(b.cmd, keys::Cmd::Help | keys::Cmd::Quit)
                || (b.cmd == keys::Cmd::NextScreen && app.screen == Screen::Ballot)
        });
        let show = |v: Vec<&keys::Binding>| {
            v.iter()
                .map(|b| (b.key(app.lang), b.label(app.lang)))
                .collect()
        };
        (show(p), show(h))
    };
    let right = Line::from(hint_spans(&pinned));
    let rw = (right.width() as u16).min(area.width);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(rw)]).areas(area);
    // A key is shown only with the start of its meaning: a bare key would be worse than none
    // (`?` has them all).
    let mut used = 0usize;
    let fitting: Vec<Hint> = hints
        .into_iter()
        .take_while(|h| {
            let key_w = unicode_width::UnicodeWidthStr::width(h.0.as_str()) + 2;
            let label_w = unicode_width::UnicodeWidthStr::width(h.1);
            let fits = used + key_w + 1 + label_w.min(4) <= left_area.width as usize;
            used += key_w + label_w + 3;
            fits
        })
        .collect();
    f.render_widget(Paragraph::new(Line::from(hint_spans(&fitting))), left_area);
    f.render_widget(Paragraph::new(right), right_area);
}

/// The first `n` rows of a list that keep `sel` in view: returns the offset to start at.
pub fn scroll_offset(sel: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    let half = height / 2;
    sel.saturating_sub(half).min(len - height)
}

/// `s` cut or padded to exactly `width` display columns (double-width characters count two;
/// a cut ends with "…").
pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    let mut out = String::new();
    let mut used = 0;
    if total <= width {
        out.push_str(s);
        used = total;
    } else if width > 0 {
        for c in s.chars() {
            let w = c.width().unwrap_or(0);
            if used + w + 1 > width {
                break;
            }
            out.push(c);
            used += w;
        }
        out.push('…');
        used += 1;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

#[cfg(test)]
mod fit_tests {
    use super::fit;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn fit_counts_display_columns() {
        assert_eq!(fit("口袋公园", 10), "口袋公园  ");
        assert_eq!(fit("新桥、石塘、花溪三镇", 9), "新桥、石…");
        assert_eq!(fit("新桥、石塘、花溪三镇", 9).width(), 9);
        assert_eq!(fit("abc", 0), "");
    }
}
