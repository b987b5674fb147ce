//! The count screen's scanning: the progress line of the watched folder, and the 判定 desk (the
//! doubtful row as the scanner saw it, the machine's reading and the ink of each box, the marks
//! the clerk keys).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::count::mark_cell;
use crate::domain::ballots::{self, BallotState};
use crate::i18n::Lang;
use crate::paper::recheck::scans_dir;
use crate::tui::app::App;
use crate::tui::keys::Cmd;
use crate::tui::scan::Ruling;

/// The lines about scanning under the count (none when this ballot has no scans and no watch).
pub fn scan_lines(app: &App, b: &BallotState) -> Vec<Line<'static>> {
    let lang = app.lang;
    let mut out = Vec::new();
    if let Some(w) = app.watch.as_ref() {
        let t = &w.tally;
        if w.ballot != b.id {
            // A watch for another ballot (an earlier round, say) is said on every count screen.
            let label =
                crate::domain::describe::ballot_label(&app.engine.state().def, &w.ballot, lang);
            out.push(Line::from(Span::styled(
                {
                    let scan = app.key(Cmd::ScanFolder);
                    match lang {
                        Lang::Zh => format!(" 扫描监视属于另一票决:{label}(在此按 {scan} 改为本票决)"),
                        Lang::En => format!(" the scan watch is for another ballot: {label} ({scan} here moves it to this one)"),
                    }
                },
                Style::new().fg(Color::Black).bg(Color::Yellow),
            )));
        }
        out.push(match &w.stopped {
            None => Line::from(vec![
                Span::styled(
                    app.t(" ⟳ 扫描 ", " ⟳ SCAN ").to_string(),
                    Style::new().bg(Color::Cyan).fg(Color::Black),
                ),
                Span::raw(match lang {
                    Lang::Zh => format!(
                        " 监视 {}:本次读入 {} 张(待判定 {}{}),已读过 {},未能识读 {},待读 {}",
                        w.dir.display(),
                        t.read,
                        t.waiting,
                        if t.twins > 0 {
                            format!(",其中疑似重复送入 {}", t.twins)
                        } else {
                            String::new()
                        },
                        t.again,
                        t.refused,
                        w.pending()
                    ),
                    Lang::En => format!(
                        " watching {}: {} read this time ({} doubtful{}), {} read before, {} not read, {} to read",
                        w.dir.display(),
                        t.read,
                        t.waiting,
                        if t.twins > 0 {
                            format!(", {} possibly fed twice", t.twins)
                        } else {
                            String::new()
                        },
                        t.again,
                        t.refused,
                        w.pending()
                    ),
                }),
            ]),
            Some(why) => Line::from(vec![
                Span::styled(
                    app.t(" ■ 扫描已停止 ", " ■ SCAN STOPPED ").to_string(),
                    Style::new().bg(Color::Red).fg(Color::White),
                ),
                Span::styled(
                    format!(" {}", why.get(lang)),
                    Style::new().fg(Color::Red),
                ),
            ]),
        });
        if let Some((name, why)) = t.refusals.last() {
            let short = std::path::Path::new(name)
                .file_name()
                .map_or(name.clone(), |f| f.to_string_lossy().into_owned());
            out.push(Line::from(Span::styled(
                format!("   {short}: {}", why.get(lang)),
                Style::new().fg(Color::Gray),
            )));
        }
    }
    if !b.sheets.is_empty() {
        let waiting = b.waiting_sheets().count();
        let aside = b.sheets.iter().filter(|s| s.set_aside.is_some()).count();
        let counted = b.sheets.len() - waiting - aside;
        let returned = b
            .returned_declared
            .map_or("-".to_string(), |r| r.to_string());
        let text = match lang {
            Lang::Zh => format!(
                " 扫描件 {} 张:已计 {counted} 张,待判定 {waiting} 张{} · 计入选票 {} / 收回 {returned}",
                b.sheets.len(),
                if aside > 0 {
                    format!(",重复送入不计 {aside} 张")
                } else {
                    String::new()
                },
                b.keyed()
            ),
            Lang::En => format!(
                " {} sheets scanned: {counted} counted, {waiting} waiting{} · papers {} / returned {returned}",
                b.sheets.len(),
                if aside > 0 {
                    format!(", {aside} set aside as fed twice")
                } else {
                    String::new()
                },
                b.keyed()
            ),
        };
        let mut spans = vec![Span::raw(text)];
        if waiting > 0 {
            spans.push(Span::styled(
                match lang {
                    Lang::Zh => format!("  {} 判定", app.key(Cmd::Adjudicate)),
                    Lang::En => format!("  {} to rule", app.key(Cmd::Adjudicate)),
                },
                Style::new().fg(Color::Black).bg(Color::Yellow),
            ));
        }
        out.push(Line::from(spans));
    }
    out
}

/// The 判定 desk in place of the tally.
pub fn render_ruling(app: &App, r: &Ruling, b: &BallotState, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let Some(rec) = b.sheets.iter().find(|s| s.sheet.serial == r.serial) else {
        return;
    };
    let waiting: Vec<&str> = b
        .waiting_sheets()
        .map(|s| s.sheet.serial.as_str())
        .collect();
    let pos = waiting
        .iter()
        .position(|s| *s == r.serial)
        .map_or(0, |i| i + 1);
    let n = r.entry.marks.len();
    let row = r.entry.cursor.min(n.saturating_sub(1));
    let st = app.engine.state();
    let names = ballots::names(&st.def.agenda[b.item], b);
    let pic_h = (area.height.saturating_sub(6) / 2).clamp(4, 14);
    let [head, pic, table, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(pic_h),
        Constraint::Min(3),
        Constraint::Length(3),
    ])
    .areas(area);
    let by = app.adjudicator.as_deref().unwrap_or("-");
    let head_text = match lang {
        Lang::Zh => format!(
            "判定扫描件 {}(待判定 {} 张中第 {pos} 张)· 判定人 {by} · 图像 {}",
            r.serial,
            waiting.len(),
            rec.sheet.image
        ),
        Lang::En => format!(
            "Ruling on sheet {} ({pos} of {} waiting) · ruled by {by} · image {}",
            r.serial,
            waiting.len(),
            rec.sheet.image
        ),
    };
    let order = rec
        .sheet
        .serial
        .trim_start_matches('S')
        .trim_start_matches('0');
    let twin = rec
        .sheet
        .twin
        .as_ref()
        .and_then(|t| b.sheets.iter().find(|s| &s.sheet.serial == t));
    let where_ = match (twin, lang) {
        (Some(t), Lang::Zh) => Span::styled(
            format!(
                "疑为重复送入:笔迹与已读入的 {} 完全吻合(左本张,右 {})。监票人比对原票:同一张按 {} 不计;两张不同的选票,核对各栏后按 Enter 计入",
                t.sheet.serial,
                t.sheet.serial,
                app.key(Cmd::SetAside)
            ),
            Style::new().fg(Color::Black).bg(Color::Yellow),
        ),
        (Some(t), Lang::En) => Span::styled(
            format!(
                "possibly fed twice: its marks match {} read before, stroke for stroke (left this sheet, right {}). Scrutineers compare the papers: the same paper, {} sets it aside; two papers, check the rows and Enter counts it",
                t.sheet.serial,
                t.sheet.serial,
                app.key(Cmd::SetAside)
            ),
            Style::new().fg(Color::Black).bg(Color::Yellow),
        ),
        (None, Lang::Zh) => Span::styled(
            format!("扫描顺序第 {order} 张;机器读不准的栏标“?”,请对照图像(或纸质选票)按所画键入"),
            Style::new().fg(Color::Gray),
        ),
        (None, Lang::En) => Span::styled(
            format!(
                "sheet {order} in scan order; rows marked ? were not clear to the machine: key what the picture (or the paper) shows"
            ),
            Style::new().fg(Color::Gray),
        ),
    };
    f.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(
                head_text,
                Style::new().add_modifier(Modifier::BOLD),
            )),
            Line::from(where_),
        ])
        .wrap(Wrap { trim: true }),
        head,
    );
    let block = Block::new().borders(Borders::ALL).title(match lang {
        Lang::Zh => format!(
            " 第 {} 栏 {} ",
            row + 1,
            names.get(row).copied().unwrap_or("")
        ),
        Lang::En => format!(
            " row {} {} ",
            row + 1,
            names.get(row).copied().unwrap_or("")
        ),
    });
    let inner = block.inner(pic);
    f.render_widget(block, pic);
    let dir = scans_dir(app.engine.path(), &r.ballot);
    let draw = |pictures: &std::cell::RefCell<crate::tui::scan::Pictures>,
                image: &str,
                at: Rect,
                f: &mut Frame| {
        let mut pictures = pictures.borrow_mut();
        if pictures.picker.is_none() {
            pictures.picker = app
                .pictures
                .try_borrow()
                .ok()
                .and_then(|p| p.picker.clone());
        }
        match pictures.picture(&dir.join(image), &r.paper.1, row, at) {
            Ok(p) => f.render_widget(ratatui_image::Image::new(p), at),
            Err(t) => f.render_widget(
                Paragraph::new(t.get(lang).to_string())
                    .style(Style::new().fg(Color::Red))
                    .wrap(Wrap { trim: true }),
                at,
            ),
        }
    };
    match twin {
        Some(t) => {
            // The two scans of the same row side by side, each named.
            let [left, right] =
                Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(inner);
            for (area, serial) in [(left, &rec.sheet.serial), (right, &t.sheet.serial)] {
                let [label, _] =
                    Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
                f.render_widget(
                    Paragraph::new(serial.clone()).style(Style::new().add_modifier(Modifier::BOLD)),
                    label,
                );
            }
            let below = |a: Rect| Rect {
                y: a.y + 1,
                height: a.height.saturating_sub(1),
                ..a
            };
            draw(&app.pictures, &rec.sheet.image, below(left), f);
            draw(&app.twin_pictures, &t.sheet.image, below(right), f);
        }
        None => draw(&app.pictures, &rec.sheet.image, inner, f),
    }
    let labels = crate::paper::layout::choice_labels(&r.paper.0.kind);
    let height = table.height.saturating_sub(3) as usize;
    let offset = super::scroll_offset(row, n, height);
    let read: Vec<char> = rec.sheet.read.chars().collect();
    let rows = (0..n).skip(offset).take(height.max(1)).map(|i| {
        let machine = read.get(i).copied().unwrap_or('?');
        let (ml, ms) = if machine == '?' {
            ("?", Style::new().fg(Color::Black).bg(Color::Yellow))
        } else {
            mark_cell(Some(machine), b.kind)
        };
        let ink = rec
            .sheet
            .scores
            .get(i)
            .map(|v| {
                v.iter()
                    .zip(&labels)
                    .map(|(s, l)| format!("{l} {s}"))
                    .collect::<Vec<_>>()
                    .join(" · ")
            })
            .unwrap_or_default();
        // Why the machine left the row to the clerk, before the ink it measured.
        let key = format!("{}: ", i + 1);
        let ink = match rec.sheet.notes.iter().find_map(|n| n.strip_prefix(&key)) {
            Some(why) => format!("{why} · {ink}"),
            None => ink,
        };
        let (cl, cs) = mark_cell(r.entry.marks.get(i).copied().flatten(), b.kind);
        let row_style = if i == row {
            Style::new().bg(Color::DarkGray)
        } else {
            Style::new()
        };
        Row::new(vec![
            Cell::from(format!("{:>2}", i + 1)),
            Cell::from(names.get(i).copied().unwrap_or("").to_string()),
            Cell::from(ml).style(ms),
            Cell::from(cl).style(cs),
            Cell::from(ink).style(Style::new().fg(Color::Gray)),
        ])
        .style(row_style)
    });
    let header = Row::new(vec![
        "#".to_string(),
        app.t("候选项", "candidate").to_string(),
        app.t("机读", "read").to_string(),
        app.t("判定", "ruled").to_string(),
        app.t("原因 · 各格墨迹(‰)", "reason · ink per box (‰)")
            .to_string(),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    f.render_widget(
        Table::new(
            rows,
            [
                Constraint::Length(2),
                Constraint::Min(10),
                Constraint::Length(4),
                Constraint::Length(4),
                Constraint::Min(20),
            ],
        )
        .header(header)
        .block(Block::new().borders(Borders::ALL)),
        table,
    );
    let keys = match (b.kind, lang) {
        (crate::domain::ballots::CountKind::Satisfaction, Lang::Zh) => {
            "s/1 满意 · b/2 基本满意 · u/3 不满意 · 空格/4 弃权 — 每栏判定后按 Enter 计入"
        }
        (crate::domain::ballots::CountKind::Satisfaction, Lang::En) => {
            "s/1 satisfied · b/2 basically · u/3 unsatisfied · Space/4 abstain — Enter counts it once every row is decided"
        }
        (_, Lang::Zh) => "o/1 赞成○ · x/2 不赞成× · 空格/3 弃权 — 每栏判定后按 Enter 计入",
        (_, Lang::En) => {
            "o/1 yes ○ · x/2 no × · Space/3 abstain — Enter counts it once every row is decided"
        }
    };
    let aside = app.key(Cmd::SetAside);
    let moves = match (twin.is_some(), lang) {
        (true, Lang::Zh) => format!(
            "{aside} 同一张:不计(需确认) · ↑↓ 选择栏 · PgUp/PgDn 上一张/下一张 · Esc 离开判定"
        ),
        (true, Lang::En) => format!(
            "{aside} the same paper: set aside (asks) · ↑↓ row · PgUp/PgDn previous/next sheet · Esc leave"
        ),
        (false, _) => app
            .t(
                "↑↓ 选择栏 · Backspace 清除本栏 · PgUp/PgDn 上一张/下一张 · Esc 离开判定",
                "↑↓ row · Backspace clear the row · PgUp/PgDn previous/next sheet · Esc leave",
            )
            .to_string(),
    };
    f.render_widget(
        Paragraph::new(vec![
            Line::from(keys),
            Line::from(Span::styled(moves, Style::new().fg(Color::Gray))),
        ])
        .block(Block::new().borders(Borders::TOP)),
        foot,
    );
}
