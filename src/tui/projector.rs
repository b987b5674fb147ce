//! `huiwu projector`: the hall's view, read-only, following the console through the database.
//! Large figures readable from the back of the room: attendance and quorum during roll call,
//! who asks and who answers with the countdown during questioning, papers counted during a
//! ballot (results only when the operator shows them), and the result after announcement.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::tui::bigtext::{BigText, PixelSize};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::domain::ballot::Outcome;
use crate::domain::ballots::{self, Announced, BallotState, CountKind};
use crate::domain::session::ItemKind;
use crate::domain::words::{Words, rate_base_words};
use crate::engine::Engine;
use crate::i18n::{Lang, Text};
use crate::store::StoreError;
use crate::tui::view::{clock, fit};

/// The `ui` setting the console writes when the operator shows or hides live results.
pub const SHOW_RESULTS: &str = "projector_results";

pub struct Projector {
    pub engine: Engine,
    pub lang: Lang,
    pub show_results: bool,
    data_version: i64,
}

impl Projector {
    pub fn new(engine: Engine, lang: Lang) -> Self {
        let mut p = Projector {
            engine,
            lang,
            show_results: false,
            data_version: -1,
        };
        p.read_setting();
        p
    }

    fn read_setting(&mut self) {
        self.show_results =
            matches!(self.engine.store().load_setting(SHOW_RESULTS), Ok(Some(v)) if v == "1");
    }

    /// Follow the console: cheap when nothing changed (one `PRAGMA data_version`).
    pub fn poll(&mut self) -> Result<bool, StoreError> {
        let v = self.engine.store().data_version()?;
        if v == self.data_version {
            return Ok(false);
        }
        self.data_version = v;
        self.engine.refresh()?;
        self.read_setting();
        Ok(true)
    }

    fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.t(zh, en)
    }

    fn text(&self, t: &Text) -> String {
        t.get(self.lang).to_string()
    }

    /// Whether a clock is running on screen (so it needs a redraw every second).
    pub fn ticking(&self) -> bool {
        self.engine.state().active_question().is_some()
    }
}

fn big(text: String, color: Color, area: Rect) -> BigText {
    // The largest glyphs that fit: 8 rows per line, else 4, else 2.
    let width_needed = |cols_per_char: u16| text.chars().count() as u16 * cols_per_char;
    let size = if area.height >= 8 && area.width >= width_needed(8) {
        PixelSize::Full
    } else if area.height >= 4 && area.width >= width_needed(8) {
        PixelSize::HalfHeight
    } else {
        PixelSize::Quadrant
    };
    BigText::new(text, size)
        .style(Style::new().fg(color).add_modifier(Modifier::BOLD))
        .centered()
}

pub fn render(p: &Projector, f: &mut Frame) {
    let area = f.area();
    if area.width < 20 || area.height < 6 {
        return;
    }
    let st = p.engine.state();
    let [title, current, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    // The running head, for anyone in the hall to write down and check later.
    f.render_widget(
        Paragraph::new(format!(
            "{} {}",
            p.t("事件链头", "chain head"),
            p.engine.head_text()
        ))
        .alignment(Alignment::Right)
        .style(Style::new().fg(Color::DarkGray)),
        foot,
    );
    if let Some(t) = p.engine.broken() {
        // A record that fails its check is shown as such, never as if nothing happened.
        f.render_widget(
            Paragraph::new(t.get(p.lang).to_string())
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true })
                .style(
                    Style::new()
                        .fg(Color::White)
                        .bg(Color::Red)
                        .add_modifier(Modifier::BOLD),
                ),
            Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1)),
        );
        return;
    }
    f.render_widget(
        Paragraph::new(format!("{}  {}", st.def.session.title, st.def.session.date))
            .alignment(Alignment::Center)
            .style(
                Style::new()
                    .bg(Color::Red)
                    .fg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
            ),
        title,
    );
    let running = st.running();
    let now_line = match running {
        Some(i) => format!("{}{}", p.t("当前议程:", "Now: "), st.def.agenda[i].title),
        None => {
            use crate::domain::state::ItemStatus;
            let started = st.items.iter().any(|i| i.status == ItemStatus::Done);
            let all_over = st
                .items
                .iter()
                .all(|i| matches!(i.status, ItemStatus::Done | ItemStatus::Skipped));
            match (started, all_over) {
                (true, true) => p.t("会议已闭会", "The meeting has closed").to_string(),
                (true, false) => p.t("议程间歇", "Between items").to_string(),
                (false, _) => p
                    .t("会议尚未开始", "The meeting has not started")
                    .to_string(),
            }
        }
    };
    f.render_widget(
        Paragraph::new(now_line)
            .alignment(Alignment::Center)
            .style(Style::new().add_modifier(Modifier::BOLD))
            .wrap(Wrap { trim: true }),
        current,
    );
    if let Some((qi, k)) = st.active_question() {
        return question(p, qi, k, f, body);
    }
    let counting = running.and_then(|i| {
        let kind = st.def.agenda[i].kind;
        if matches!(
            kind,
            ItemKind::Ballot | ItemKind::Satisfaction | ItemKind::Resolution
        ) {
            return Some(i);
        }
        announcing(st, i)
    });
    match counting {
        Some(i) => count(p, i, f, body),
        None => attendance(p, f, body),
    }
}

/// The count whose result a running procedural item reads out to the hall: the item just
/// before it, a 票决 or 测评 whose result is announced (总监票人报告计票结果、宣布票决结果).
/// The last item of the agenda (闭会) shows the attendance again.
fn announcing(st: &crate::domain::state::SessionState, i: usize) -> Option<usize> {
    let agenda = &st.def.agenda;
    let before = i.checked_sub(1)?;
    let announced = st
        .ballots
        .of_item(before)
        .last()
        .is_some_and(|b| b.locked());
    (agenda[i].kind == ItemKind::Procedural
        && i + 1 < agenda.len()
        && matches!(
            agenda[before].kind,
            ItemKind::Ballot | ItemKind::Satisfaction
        )
        && announced)
        .then_some(before)
}

fn attendance(p: &Projector, f: &mut Frame, area: Rect) {
    let st = p.engine.state();
    let a = st.attendance;
    let rule = st.quorum_rule();
    let met = a.quorum_met(rule);
    let [label, digits, sentence] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(2),
        Constraint::Length(3),
    ])
    .areas(area);
    f.render_widget(
        Paragraph::new(match p.lang {
            Lang::Zh => format!("应到 {} 名   实到", a.total),
            Lang::En => format!("{} expected, present:", a.total),
        })
        .alignment(Alignment::Center),
        label,
    );
    f.render_widget(
        big(
            a.present.to_string(),
            if met { Color::Green } else { Color::Yellow },
            digits,
        ),
        digits,
    );
    f.render_widget(
        Paragraph::new(a.sentence(rule, p.lang))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .style(
                Style::new()
                    .fg(if met { Color::Green } else { Color::Yellow })
                    .add_modifier(Modifier::BOLD),
            ),
        sentence,
    );
}

fn question(p: &Projector, qi: usize, k: usize, f: &mut Frame, area: Rect) {
    let st = p.engine.state();
    let q = &st.queues[qi].questions[k];
    let now = p.engine.now();
    let phase = q.current_phase();
    let elapsed = phase.map_or(0, |x| x.elapsed_secs(now));
    let planned = phase.map_or(0, |x| x.planned_secs);
    let asker = st.asker_label(q, p.lang);
    let r = &q.def.respondent;
    let [who, topic, label, digits] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(2),
    ])
    .areas(area);
    let lines = vec![
        Line::from(match p.lang {
            Lang::Zh => format!("提问:{asker}代表({})", q.def.group.as_deref().unwrap_or("")),
            Lang::En => format!("Asks: {asker} ({})", q.def.group.as_deref().unwrap_or("")),
        }),
        Line::from(match p.lang {
            Lang::Zh => format!("应询:{} {}", r.post, r.name),
            Lang::En => format!("Answers: {} {}", r.post, r.name),
        }),
    ];
    f.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .style(Style::new().add_modifier(Modifier::BOLD)),
        who,
    );
    f.render_widget(
        Paragraph::new(q.def.topic.as_str())
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        topic,
    );
    let phase_name = q.status.label(p.lang);
    let (text, shown, color) = if elapsed > planned {
        (
            format!("{phase_name} · {}", p.t("超时", "over time")),
            clock(elapsed - planned),
            Color::Red,
        )
    } else {
        (
            format!("{phase_name} · {}", p.t("剩余", "left")),
            clock(planned - elapsed),
            Color::Green,
        )
    };
    let text = if q.paused {
        format!("{text} · {}", p.t("暂停", "paused"))
    } else {
        text
    };
    f.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .style(Style::new().fg(color)),
        label,
    );
    f.render_widget(big(shown, color, digits), digits);
}

fn count(p: &Projector, item: usize, f: &mut Frame, area: Rect) {
    let st = p.engine.state();
    let def = &st.def.agenda[item];
    // The latest round (or, for resolutions, every motion).
    let all: Vec<&BallotState> = st.ballots.of_item(item).collect();
    let Some(b) = all.last().copied() else { return };
    if b.kind == CountKind::Resolution {
        return resolutions(p, &all, f, area);
    }
    if b.locked() {
        return result(p, item, b, f, area);
    }
    let [label, digits, results] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(if p.show_results { 4 } else { 8 }),
        Constraint::Min(0),
    ])
    .areas(area);
    f.render_widget(
        // 收回 is what the chief scrutineer declared (F3), never the papers keyed so far.
        Paragraph::new(match (p.lang, b.returned_declared) {
            (Lang::Zh, Some(r)) => format!("正在计票 · 收回 {r} 张 · 已清点"),
            (Lang::En, Some(r)) => format!("Counting · {r} returned · counted so far"),
            (Lang::Zh, None) => "正在计票 · 已清点".to_string(),
            (Lang::En, None) => "Counting · counted so far".to_string(),
        })
        .alignment(Alignment::Center),
        label,
    );
    f.render_widget(big(b.keyed().to_string(), Color::Cyan, digits), digits);
    if !p.show_results || results.height < 2 {
        return;
    }
    let live = ballots::provisional(b, def, st.attendance.total, st.attendance.present);
    let Some(Announced::Approval(r)) = live else {
        match live {
            Some(Announced::Satisfaction {
                items, rate_base, ..
            }) => {
                let names = ballots::names(def, b);
                let mut lines: Vec<Line> = items
                    .iter()
                    .map(|it| {
                        Line::from(format!(
                            "{}  {} {}",
                            names.get(it.index).copied().unwrap_or(""),
                            p.t("满意率", "rate"),
                            it.rate_text().unwrap_or_else(|| "—".into())
                        ))
                    })
                    .collect();
                lines.push(Line::from(p.text(&rate_base_words(rate_base))));
                f.render_widget(Paragraph::new(lines).alignment(Alignment::Center), results);
            }
            Some(Announced::VoidVote(_)) => {
                f.render_widget(void_line(p, b), results);
            }
            _ => {}
        }
        return;
    };
    let names = ballots::names(def, b);
    let (_, threshold) = ballots::rule_of(def);
    let need = crate::domain::ballot::pass_mark(r.base, threshold);
    let name_w = 26u16;
    let bar_w = results.width.saturating_sub(name_w + 8).max(4) as usize;
    let max = r.base.max(1) as usize;
    let line_at = (need as usize * bar_w / max).min(bar_w.saturating_sub(1));
    let lines: Vec<Line> = r
        .candidates
        .iter()
        .take(results.height as usize)
        .map(|c| {
            let filled = (c.yes as usize * bar_w).div_ceil(max).min(bar_w);
            let mut spans = vec![Span::raw(fit(
                names.get(c.index).copied().unwrap_or(""),
                name_w as usize,
            ))];
            let bar: String = (0..bar_w)
                .map(|i| {
                    if i == line_at {
                        '│'
                    } else if i < filled {
                        '█'
                    } else {
                        ' '
                    }
                })
                .collect();
            spans.push(Span::styled(
                bar,
                Style::new().fg(if c.yes >= need {
                    Color::Green
                } else {
                    Color::Cyan
                }),
            ));
            spans.push(Span::styled(
                format!(" {:>5}", c.yes),
                Style::new().add_modifier(Modifier::BOLD),
            ));
            Line::from(spans)
        })
        .collect();
    f.render_widget(Paragraph::new(lines), results);
}

/// A void vote in red, in the count's own words.
fn void_text(p: &Projector, words: Words) -> Line<'static> {
    let name = words.name();
    Line::from(Span::styled(
        match p.lang {
            Lang::Zh => format!("收回票数多于发出票数,本次{}无效,应重新投票。", name.zh),
            Lang::En => format!(
                "More papers returned than issued: the {} is void and will be held again.",
                name.en
            ),
        },
        Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    ))
}

fn void_line(p: &Projector, b: &BallotState) -> Paragraph<'static> {
    let st = p.engine.state();
    let words = Words::of_kind(&st.def.agenda[b.item], b.kind);
    Paragraph::new(void_text(p, words)).alignment(Alignment::Center)
}

fn result(p: &Projector, item: usize, b: &BallotState, f: &mut Frame, area: Rect) {
    let st = p.engine.state();
    let def = &st.def.agenda[item];
    let words = Words::of_kind(def, b.kind);
    let mut lines: Vec<Line> = Vec::new();
    match &b.announced {
        Some(Announced::VoidVote(_)) => lines.push(void_text(p, words)),
        Some(Announced::Approval(_)) => {
            let fin = st.ballots.final_selection(item);
            let all_names: Vec<&str> = def
                .ballot
                .as_ref()
                .map(|d| d.candidates.iter().map(|c| c.name.as_str()).collect())
                .unwrap_or_default();
            lines.push(Line::from(Span::styled(
                p.text(&words.result()),
                Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            )));
            if let Some(fin) = fin {
                for (n, i) in fin.selected.iter().enumerate() {
                    lines.push(Line::from(format!(
                        "({}) {}  {}",
                        n + 1,
                        all_names.get(*i).copied().unwrap_or(""),
                        Outcome::Selected.label(p.lang)
                    )));
                }
                if fin.unfilled > 0 {
                    lines.push(Line::from(Span::styled(
                        match p.lang {
                            Lang::Zh => format!("尚有 {} 个名额未选出,待下一轮投票", fin.unfilled),
                            Lang::En => {
                                format!("{} place(s) left for a further round", fin.unfilled)
                            }
                        },
                        Style::new().fg(Color::Yellow),
                    )));
                }
            }
            if let Some(Announced::Approval(r)) = &b.announced {
                let tied: Vec<&str> = r
                    .candidates
                    .iter()
                    .filter(|c| c.outcome == Outcome::Tie)
                    .filter_map(|c| ballots::names(def, b).get(c.index).copied())
                    .collect();
                if !tied.is_empty() {
                    lines.push(Line::from(format!(
                        "{}{}",
                        p.t("票数相等:", "Tied: "),
                        tied.join("、")
                    )));
                }
            }
        }
        Some(Announced::Satisfaction {
            items, rate_base, ..
        }) => {
            let names = ballots::names(def, b);
            lines.push(Line::from(Span::styled(
                p.text(&words.result()),
                Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            )));
            for it in items {
                lines.push(Line::from(format!(
                    "{}  {} {}  {}",
                    names.get(it.index).copied().unwrap_or(""),
                    p.t("满意率", "rate"),
                    it.rate_text().unwrap_or_else(|| "—".into()),
                    match (it.grade, p.lang) {
                        (Some(g), Lang::Zh) => g.zh(),
                        (Some(g), Lang::En) => g.en(),
                        (None, _) => "—",
                    }
                )));
            }
            lines.push(Line::from(p.text(&rate_base_words(*rate_base))));
        }
        _ => {}
    }
    f.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .block(Block::new().borders(Borders::TOP)),
        area,
    );
}

fn resolutions(p: &Projector, motions: &[&BallotState], f: &mut Frame, area: Rect) {
    let st = p.engine.state();
    let mut lines = Vec::new();
    for b in motions {
        let def = &st.def.agenda[b.item];
        let title = ballots::names(def, b)
            .first()
            .copied()
            .unwrap_or("")
            .to_string();
        let verdict = match &b.announced {
            Some(Announced::Resolution(r)) => Span::styled(
                match (r.passed, p.lang) {
                    (true, Lang::Zh) => format!(
                        "赞成{} 反对{} 弃权{} 通过",
                        r.totals.yes, r.totals.no, r.totals.abstain
                    ),
                    (false, Lang::Zh) => format!(
                        "赞成{} 反对{} 弃权{} 未通过",
                        r.totals.yes, r.totals.no, r.totals.abstain
                    ),
                    (true, Lang::En) => format!(
                        "yes {} no {} abstain {} PASSED",
                        r.totals.yes, r.totals.no, r.totals.abstain
                    ),
                    (false, Lang::En) => format!(
                        "yes {} no {} abstain {} NOT PASSED",
                        r.totals.yes, r.totals.no, r.totals.abstain
                    ),
                },
                Style::new()
                    .fg(if r.passed { Color::Green } else { Color::Red })
                    .add_modifier(Modifier::BOLD),
            ),
            _ => Span::raw(p.t("表决中", "voting")),
        };
        lines.push(Line::from(title));
        lines.push(Line::from(verdict));
        lines.push(Line::from(""));
    }
    f.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// Run the projector until a key `q`/Esc or a signal.
pub fn run(engine: Engine, lang: Lang, stop: &AtomicBool) -> std::io::Result<()> {
    use ratatui::crossterm::event::{self, Event, KeyCode};
    let mut p = Projector::new(engine, lang);
    let mut terminal = ratatui::try_init()?;
    let mut dirty = true;
    let mut last_tick = Instant::now();
    let result = (|| -> std::io::Result<()> {
        while !stop.load(Ordering::Relaxed) {
            if dirty {
                terminal.draw(|f| render(&p, f))?;
                dirty = false;
            }
            if event::poll(Duration::from_millis(250))? {
                match event::read()? {
                    Event::Key(k) if matches!(k.code, KeyCode::Char('q') | KeyCode::Esc) => break,
                    Event::Resize(..) => dirty = true,
                    _ => {}
                }
            }
            // The database may be briefly busy while the console writes: try again next poll.
            dirty |= p.poll().unwrap_or(false);
            if p.ticking() && last_tick.elapsed() >= Duration::from_secs(1) {
                last_tick = Instant::now();
                dirty = true;
            }
        }
        Ok(())
    })();
    let _ = ratatui::try_restore();
    result
}
