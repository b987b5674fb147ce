//! Questions screen: the question in progress with a large countdown, the queue, the group
//! balance, and the selected question's notes, rating and commitments.

use crate::tui::bigtext::{BigText, PixelSize};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::{clock, scroll_offset};
use crate::domain::questions::{PhaseKind, QStatus, QuestionState};
use crate::i18n::Lang;
use crate::tui::app::App;
use crate::tui::keys::Cmd;

fn phase_name(k: PhaseKind, lang: Lang) -> String {
    match k {
        PhaseKind::Ask => lang.t("提问", "question").into(),
        PhaseKind::Answer => lang.t("答复", "answer").into(),
        PhaseKind::FollowUp(n) => match lang {
            Lang::Zh => format!("第{n}次追问"),
            Lang::En => format!("follow-up {n}"),
        },
    }
}

fn status_style(s: QStatus) -> Style {
    match s {
        QStatus::Queued => Style::new().fg(Color::Gray),
        QStatus::Asking | QStatus::Answering | QStatus::FollowUp(_) => {
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
        }
        QStatus::Done => Style::new(),
        QStatus::Withdrawn | QStatus::Deferred => Style::new().fg(Color::DarkGray),
    }
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let Some(queue) = st.queues.get(app.questions.queue) else {
        f.render_widget(
            Paragraph::new(app.t(
                "议程中没有询问议程。",
                "The agenda has no questioning item.",
            ))
            .block(Block::new().borders(Borders::ALL)),
            area,
        );
        return;
    };
    let [now, list, detail] = Layout::vertical([
        Constraint::Length(7),
        Constraint::Min(4),
        Constraint::Length(6),
    ])
    .areas(area);
    render_now(app, queue.active().map(|k| &queue.questions[k]), f, now);
    render_queue(app, f, list);
    render_detail(app, f, detail);
}

fn render_now(app: &App, q: Option<&QuestionState>, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let block = Block::new()
        .borders(Borders::ALL)
        .title(app.t(" 正在进行 ", " In progress "));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(q) = q else {
        let next = app.questions.selected(app.engine.state()).map(|(_, q)| q);
        let call = app.key(Cmd::CallQ);
        let line = match next {
            Some(n) if n.status == QStatus::Queued => match lang {
                Lang::Zh => format!(
                    "下一个:{} 代表问 {} {}:{}(按 {call} 开始提问)",
                    app.engine
                        .state()
                        .def
                        .deputy(&n.def.deputy)
                        .map_or("", |d| d.name.as_str()),
                    n.def.respondent.post,
                    n.def.respondent.name,
                    n.def.topic
                ),
                Lang::En => format!(
                    "Next: {} asks {} {}: {} (press {call} to call)",
                    app.engine
                        .state()
                        .def
                        .deputy(&n.def.deputy)
                        .map_or("", |d| d.name.as_str()),
                    n.def.respondent.post,
                    n.def.respondent.name,
                    n.def.topic
                ),
            },
            _ => match lang {
                Lang::Zh => format!("没有进行中的问题。选中问题后按 {call} 开始提问。"),
                Lang::En => format!("No question in progress. Select one and press {call}."),
            },
        };
        f.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), inner);
        return;
    };
    let st = app.engine.state();
    let now = app.engine.now();
    let phase = q.current_phase();
    let elapsed = phase.map_or(0, |p| p.elapsed_secs(now));
    let planned = phase.map_or(0, |p| p.planned_secs);
    let over = elapsed > planned;
    let [text, big] =
        Layout::horizontal([Constraint::Min(20), Constraint::Length(30)]).areas(inner);
    let asker = st.asker_label(q, lang);
    let group = q.def.group.as_deref().unwrap_or("");
    let r = &q.def.respondent;
    let phase_label = phase.map(|p| phase_name(p.kind, lang)).unwrap_or_default();
    let timing = match lang {
        Lang::Zh => format!(
            "{phase_label} 已进行 {} / 计划 {}",
            clock(elapsed),
            clock(planned)
        ),
        Lang::En => format!("{phase_label}: {} of {}", clock(elapsed), clock(planned)),
    };
    let mut lines = vec![
        Line::from(Span::styled(
            q.def.topic.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        )),
        Line::from(match lang {
            Lang::Zh => format!("提问:{asker}({group})"),
            Lang::En => format!("asks: {asker} ({group})"),
        }),
        Line::from(match lang {
            Lang::Zh => format!("应询:{} {}({})", r.post, r.name, r.unit),
            Lang::En => format!("answers: {} {} ({})", r.post, r.name, r.unit),
        }),
        Line::from(vec![
            Span::raw(timing),
            Span::raw(match lang {
                Lang::Zh => format!("  追问 {}/{}", q.followups_done(), q.followups_allowed),
                Lang::En => format!(
                    "  follow-ups {}/{}",
                    q.followups_done(),
                    q.followups_allowed
                ),
            }),
        ]),
    ];
    if q.paused {
        lines.push(Line::from(Span::styled(
            app.t("计时已暂停(空格继续)", "timer paused (space resumes)"),
            Style::new().fg(Color::Black).bg(Color::Yellow),
        )));
    }
    f.render_widget(Paragraph::new(lines), text);
    // The countdown, large: time left, or the overrun in red.
    let (label, shown, color) = if over {
        (app.t("超时", "OVER"), clock(elapsed - planned), Color::Red)
    } else {
        (
            app.t("剩余", "left"),
            clock(planned - elapsed),
            if q.paused {
                Color::Yellow
            } else {
                Color::Green
            },
        )
    };
    let [l, digits] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(big);
    f.render_widget(
        Paragraph::new(Span::styled(
            label,
            Style::new().fg(color).add_modifier(Modifier::BOLD),
        )),
        l,
    );
    f.render_widget(
        BigText::new(shown, PixelSize::Quadrant).style(Style::new().fg(color)),
        digits,
    );
}

fn render_queue(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let queue = &st.queues[app.questions.queue];
    let now = app.engine.now();
    let height = area.height.saturating_sub(3) as usize;
    let offset = scroll_offset(app.questions.sel, queue.questions.len(), height);
    let rows = queue
        .questions
        .iter()
        .enumerate()
        .skip(offset)
        .take(height.max(1))
        .map(|(i, q)| {
            let asker = st.asker_label(q, app.lang);
            let spot = if q.on_the_spot {
                app.t("现场", "spot")
            } else {
                ""
            };
            let used = q.elapsed_secs(now);
            let row = Row::new(vec![
                Cell::from(format!("{:>2}", i + 1)),
                Cell::from(q.status.label(app.lang)).style(status_style(q.status)),
                Cell::from(q.def.group.clone().unwrap_or_default()),
                Cell::from(format!("{asker}{spot}")),
                Cell::from(format!(
                    "{} {}",
                    q.def.respondent.post, q.def.respondent.name
                )),
                Cell::from(q.def.topic.clone()),
                Cell::from(if used > 0 { clock(used) } else { String::new() }),
            ]);
            if i == app.questions.sel {
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
        "#",
        app.t("状态", "state"),
        app.t("代表小组", "group"),
        app.t("提问代表", "deputy"),
        app.t("应询人", "respondent"),
        app.t("主题", "topic"),
        app.t("用时", "time"),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let title = format!(" {} ", st.def.agenda[queue.item].title);
    f.render_widget(
        Table::new(
            rows,
            [
                Constraint::Length(2),
                Constraint::Length(9),
                Constraint::Length(12),
                Constraint::Length(10),
                Constraint::Length(16),
                Constraint::Min(10),
                Constraint::Length(6),
            ],
        )
        .header(header)
        .block(Block::new().borders(Borders::ALL).title(title)),
        area,
    );
}

fn render_detail(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let lang = app.lang;
    let queue = &st.queues[app.questions.queue];
    let max = st.def.agenda[queue.item]
        .questioning
        .as_ref()
        .and_then(|d| d.max_per_group);
    let mut balance = vec![Span::styled(
        app.t("各组问题数:", "per group: "),
        Style::new().fg(Color::Gray),
    )];
    for (g, n) in queue.per_group() {
        let over = max.is_some_and(|m| n > m);
        balance.push(Span::styled(
            format!("{g} {n}  "),
            if over {
                Style::new().fg(Color::White).bg(Color::Red)
            } else {
                Style::new()
            },
        ));
    }
    if let Some(m) = max {
        balance.push(Span::styled(
            match lang {
                Lang::Zh => format!("(每组上限 {m})"),
                Lang::En => format!("(limit {m} per group)"),
            },
            Style::new().fg(Color::Gray),
        ));
    }
    let mut lines = vec![Line::from(balance)];
    if let Some((item, q)) = app.questions.selected(app.engine.state()) {
        if let (Some(r), Some(g)) = (q.rating, q.grade) {
            let words = crate::domain::words::rating_words(&r, g, q.rating_base, lang);
            lines.push(Line::from(format!("{}{words}", app.t("测评:", "rating: "))));
        }
        let commitments = st
            .commitments
            .iter()
            .filter(|c| c.item == item && c.question == q.def.id)
            .count();
        if commitments > 0 {
            lines.push(Line::from(match lang {
                Lang::Zh => format!("承诺 {commitments} 项(见承诺屏)"),
                Lang::En => format!("{commitments} commitment(s) (see the commitments screen)"),
            }));
        }
        for r in &q.reasons {
            lines.push(Line::from(Span::styled(
                format!("{}{r}", app.t("理由:", "reason: ")),
                Style::new().fg(Color::Yellow),
            )));
        }
        for n in q
            .notes
            .iter()
            .rev()
            .take(3)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            lines.push(Line::from(vec![
                Span::styled(
                    n.at.format("%H:%M ").to_string(),
                    Style::new().fg(Color::Gray),
                ),
                Span::raw(n.text.replace('\n', " ⏎ ")),
            ]));
        }
    }
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::new()
                .borders(Borders::ALL)
                .title(app.t(" 详情 ", " Details ")),
        ),
        area,
    );
}
