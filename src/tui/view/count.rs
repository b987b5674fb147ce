//! Count screen: the paper on the desk beside the live tally, the procedure figures
//! (issued, returned, keyed, valid, void), the pass line, and after announcement the result.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Gauge, Paragraph, Row, Table, Wrap};

use super::scroll_offset;
use crate::domain::announce::announcement;
use crate::domain::ballot::{Outcome, VoidReason, pass_mark};
use crate::domain::ballots::{self, Announced, BallotState, CountKind, Counter, RoundKind};
use crate::domain::satisfaction::Grade;
use crate::domain::session::Threshold;
use crate::domain::words::{Words, rate_base_words};
use crate::i18n::Lang;
use crate::tui::app::App;
use crate::tui::keys;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let Some(b) = app.current_ballot() else {
        f.render_widget(
            Paragraph::new(app.t(
                "议程中没有票决、测评或表决。在议程屏选中这类议程后按 Enter。",
                "No ballot, evaluation or resolution on the agenda. Select one on the agenda and press Enter.",
            ))
            .wrap(Wrap { trim: false })
            .block(Block::new().borders(Borders::ALL)),
            area,
        );
        return;
    };
    if let Some(r) = app.ruling.as_ref().filter(|r| r.ballot == b.id) {
        super::sheets::render_ruling(app, r, b, f, area);
        return;
    }
    let scan = super::sheets::scan_lines(app, b);
    let announced = b.locked();
    // Once announced, the announcement is what people read: give it the room.
    let foot_h = if announced {
        (area.height.saturating_sub(6) / 2).max(6)
    } else {
        3
    };
    let [head, table, scan_area, foot] = Layout::vertical([
        Constraint::Length(if b.kind == CountKind::Resolution {
            2
        } else {
            4
        }),
        Constraint::Min(4),
        Constraint::Length(scan.len() as u16),
        Constraint::Length(foot_h),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(scan), scan_area);
    render_head(app, b, f, head);
    match b.kind {
        CountKind::Approval => approval_table(app, b, f, table),
        CountKind::Satisfaction => satisfaction_table(app, b, f, table),
        CountKind::Resolution => resolution_table(app, f, table),
    }
    if announced {
        render_announcement(app, b, f, foot);
    } else {
        render_paper_summary(app, b, f, foot);
    }
    let _ = st;
}

fn render_head(app: &App, b: &BallotState, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let lang = app.lang;
    let item = &st.def.agenda[b.item];
    let (base_rule, threshold) = ballots::rule_of(item);
    let status = if b.locked() {
        Span::styled(
            app.t(" 已宣布·锁定 ", " ANNOUNCED · LOCKED "),
            Style::new().bg(Color::Blue).fg(Color::White),
        )
    } else {
        Span::styled(
            app.t(" 计票中 ", " COUNTING "),
            Style::new().bg(Color::Green).fg(Color::Black),
        )
    };
    let round = match (b.round_kind, lang) {
        (RoundKind::Original, _) => String::new(),
        (RoundKind::RunOff, Lang::Zh) => format!(" · 第{}轮 再次投票", b.round),
        (RoundKind::FurtherRound, Lang::Zh) => format!(" · 第{}轮 另行投票", b.round),
        (RoundKind::Repeat, Lang::Zh) => format!(" · 第{}轮 重新投票", b.round),
        (RoundKind::RunOff, Lang::En) => format!(" · round {} run-off", b.round),
        (RoundKind::FurtherRound, Lang::En) => format!(" · round {} further round", b.round),
        (RoundKind::Repeat, Lang::En) => format!(" · round {} repeat", b.round),
    };
    // The attendance of the vote: at the issue of its papers (today's until then).
    let roll = crate::domain::announce::roll_of(st, b);
    let base_value = ballots::base_value(base_rule, roll.all, roll.present, b.valid());
    let base_name = match base_rule {
        crate::domain::session::Base::All => app.t("全体代表", "all deputies"),
        crate::domain::session::Base::Present => app.t("出席代表", "deputies present"),
        crate::domain::session::Base::Valid => app.t("有效票", "valid papers"),
    };
    let th = match threshold {
        Threshold::Majority => app.t("过半数", "more than half"),
        Threshold::TwoThirds => app.t("三分之二以上", "two-thirds or more"),
    };
    let rule = match (b.kind, lang) {
        (CountKind::Approval | CountKind::Satisfaction, Lang::Zh) if b.vote_void() => {
            "投票无效:不计基数,不产生结果".to_string()
        }
        (CountKind::Approval | CountKind::Satisfaction, Lang::En) if b.vote_void() => {
            "vote void: no base, no result".to_string()
        }
        (CountKind::Approval, Lang::Zh) => format!(
            "应选 {} · 候选 {} · 需 ≥{} 票({th}:{base_name} {base_value} 名)",
            b.places,
            b.candidates.len(),
            pass_mark(base_value, threshold)
        ),
        (CountKind::Approval, Lang::En) => format!(
            "{} places · {} candidates · ≥{} yes ({th} of {base_name}, {base_value})",
            b.places,
            b.candidates.len(),
            pass_mark(base_value, threshold)
        ),
        (CountKind::Satisfaction, Lang::Zh) => format!(
            "测评对象 {} 个 · 等级基数:{base_name} {base_value}",
            b.candidates.len()
        ),
        (CountKind::Satisfaction, Lang::En) => format!(
            "{} items · grade base: {base_name} {base_value}",
            b.candidates.len()
        ),
        (CountKind::Resolution, Lang::Zh) => {
            format!("{th}:{base_name} · 出席 {} 名", st.attendance.present)
        }
        (CountKind::Resolution, Lang::En) => {
            format!("{th} of {base_name} · present {}", st.attendance.present)
        }
    };
    // The pass figure stays on a narrow screen: the title gives up columns (down to a few
    // characters), then the rule's explanation in brackets at its end.
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let room = (area.width as usize)
        .saturating_sub(width(&status.content) + width(&rule) + width(&round) + 2);
    let title = super::fit(&item.title, room.min(width(&item.title)).max(12));
    let mut lines = vec![Line::from(vec![
        status,
        Span::styled(
            format!(" {title}{round} "),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::styled(rule, Style::new().fg(Color::Gray)),
    ])];
    if b.kind == CountKind::Resolution {
        f.render_widget(Paragraph::new(lines), area);
        return;
    }
    let unset = |cmd: keys::Cmd| match lang {
        Lang::Zh => format!("未录入(按 {})", keys::key_of(cmd, lang)),
        Lang::En => format!("not set (press {})", keys::key_of(cmd, lang)),
    };
    let issued = b
        .issued
        .map_or_else(|| unset(keys::Cmd::Issued), |i| i.to_string());
    let returned = match b.returned_declared {
        Some(r) => r.to_string(),
        // Not the papers keyed: a figure nobody declared is not shown as one.
        None if !b.locked() => unset(keys::Cmd::Returned),
        // announced with no figure of its own: the papers keyed stood for it, and says so
        None => format!(
            "{}{}",
            b.keyed(),
            app.t("(未单独录入,按已录入)", " (not declared: as keyed)")
        ),
    };
    let mut figures = vec![Span::raw(match lang {
        Lang::Zh => format!(
            "应到 {} · 实到 {} · 发出 {issued} · 收回 {returned} · 有效 {} · 无效 {}  ",
            roll.all,
            roll.present,
            b.valid(),
            b.void()
        ),
        Lang::En => format!(
            "expected {} · present {} · issued {issued} · returned {returned} · valid {} · void {}  ",
            roll.all,
            roll.present,
            b.valid(),
            b.void()
        ),
    })];
    let name = Words::of_kind(&app.engine.state().def.agenda[b.item], b.kind).name();
    // The verdict on the figures only once both are declared: before F3 nothing says the box
    // holds no more papers than were issued.
    if b.issued.is_some() && b.returned_declared.is_some() {
        if b.vote_void() {
            figures.push(Span::styled(
                match lang {
                    Lang::Zh => format!("收回票数多于发出票数:本次{}无效,应重新投票", name.zh),
                    Lang::En => format!(
                        "more returned than issued: the {} is VOID and must be held again",
                        name.en
                    ),
                },
                Style::new()
                    .fg(Color::White)
                    .bg(Color::Red)
                    .add_modifier(Modifier::BOLD),
            ));
        } else {
            figures.push(Span::styled(
                match lang {
                    Lang::Zh => format!("收回不多于发出,本次{}有效", name.zh),
                    Lang::En => format!("returned ≤ issued: the {} is valid", name.en),
                },
                Style::new().fg(Color::Green),
            ));
        }
    }
    lines.push(Line::from(figures));
    let staff = match lang {
        Lang::Zh => format!(
            "总监票人/监票人:{}  计票人:{}",
            if b.scrutineers.is_empty() {
                "—".into()
            } else {
                b.scrutineers.join("、")
            },
            if b.clerks.is_empty() {
                "—".into()
            } else {
                b.clerks.join("、")
            }
        ),
        Lang::En => format!(
            "scrutineers: {}  clerks: {}",
            if b.scrutineers.is_empty() {
                "—".into()
            } else {
                b.scrutineers.join(", ")
            },
            if b.clerks.is_empty() {
                "—".into()
            } else {
                b.clerks.join(", ")
            }
        ),
    };
    lines.push(Line::from(Span::styled(
        staff,
        Style::new().fg(Color::Gray),
    )));
    let [text, gauge] =
        Layout::vertical([Constraint::Length(3), Constraint::Length(1)]).areas(area);
    f.render_widget(Paragraph::new(lines), text);
    let total = b.returned().max(b.keyed()).max(1);
    let label = match (lang, b.returned_declared) {
        (Lang::Zh, Some(r)) => format!("已录入 {} / 收回 {r}", b.keyed()),
        (Lang::En, Some(r)) => format!("keyed {} / returned {r}", b.keyed()),
        (Lang::Zh, None) => format!("已录入 {}(收回未录入)", b.keyed()),
        (Lang::En, None) => format!("keyed {} (returned not set)", b.keyed()),
    };
    f.render_widget(
        Gauge::default()
            .ratio(f64::from(b.keyed()) / f64::from(total))
            .label(label)
            .gauge_style(Style::new().fg(Color::Cyan).bg(Color::DarkGray)),
        gauge,
    );
}

pub(super) fn mark_cell(letter: Option<char>, kind: CountKind) -> (&'static str, Style) {
    match (kind, letter) {
        (CountKind::Approval, Some('Y')) => (
            "○",
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        ),
        (CountKind::Approval, Some('N')) => (
            "×",
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ),
        (CountKind::Satisfaction, Some('S')) => ("满意", Style::new().fg(Color::Green)),
        (CountKind::Satisfaction, Some('B')) => ("基本", Style::new().fg(Color::Yellow)),
        (CountKind::Satisfaction, Some('U')) => ("不满", Style::new().fg(Color::Red)),
        (_, Some(_)) => ("弃", Style::new().fg(Color::Gray)),
        (_, None) => ("·", Style::new().fg(Color::DarkGray)),
    }
}

/// The paper's row `i` as keyed: its mark cell, and the row's style (the cursor's row grey; a
/// row stopped by a slip red, with the slipped key in its mark cell).
fn keyed_row(app: &App, i: usize, kind: CountKind) -> (String, Style, Option<Style>) {
    let entry = &app.count.entry;
    if let Some(slip) = entry.slip.as_ref().filter(|s| s.row == i) {
        let red = Style::new()
            .bg(Color::Red)
            .fg(Color::White)
            .add_modifier(Modifier::BOLD);
        return (format!("?{}", slip.key), red, Some(red));
    }
    let (m, ms) = mark_cell(entry.marks.get(i).copied().flatten(), kind);
    let cursor =
        (i == entry.cursor && entry.slip.is_none()).then(|| Style::new().bg(Color::DarkGray));
    (m.to_string(), ms, cursor)
}

/// A bar of `value` against `max` in `width` cells, with the pass line drawn at `mark`.
fn bar(value: u32, mark: u32, max: u32, width: usize) -> Line<'static> {
    let max = max.max(1);
    let filled = (value as usize * width).div_ceil(max as usize).min(width);
    let line_at = ((mark as usize) * width / max as usize).min(width.saturating_sub(1));
    let mut spans = Vec::with_capacity(width);
    for i in 0..width {
        let passed = value >= mark;
        let (ch, style) = if i == line_at {
            (
                "│",
                Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            )
        } else if i < filled {
            (
                "█",
                Style::new().fg(if passed { Color::Green } else { Color::Cyan }),
            )
        } else {
            (" ", Style::new())
        };
        spans.push(Span::styled(ch, style));
    }
    Line::from(spans)
}

/// The outcome's word (the minutes' own, [`Outcome::short`]), styled: one below the threshold
/// is greyed, so the hall tells it from one outside the places without a second word.
fn outcome_label(o: Outcome, lang: Lang) -> (&'static str, Style) {
    let style = match o {
        Outcome::Selected => Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        Outcome::NotSelected => Style::new(),
        Outcome::BelowThreshold => Style::new().fg(Color::Gray),
        Outcome::Tie => Style::new().fg(Color::Black).bg(Color::Yellow),
    };
    (o.short(lang), style)
}

fn approval_table(app: &App, b: &BallotState, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let item = &st.def.agenda[b.item];
    let names = ballots::names(item, b);
    let result = match &b.announced {
        Some(Announced::Approval(r)) => Some(r.clone()),
        Some(_) => None,
        None => match ballots::provisional(b, item, st.attendance.total, st.attendance.present) {
            Some(Announced::Approval(r)) => Some(r),
            _ => None,
        },
    };
    let Counter::Approval(t) = &b.counter else {
        return;
    };
    let (_, threshold) = ballots::rule_of(item);
    let base = result.as_ref().map_or(0, |r| r.base);
    let mark = pass_mark(base, threshold);
    let max = base.max(b.valid()).max(1);
    // The outcome column holds its widest word whole (English "not selected"); the bar gives
    // up what it takes.
    let out_w = [Outcome::Selected, Outcome::NotSelected, Outcome::Tie]
        .map(|o| unicode_width::UnicodeWidthStr::width(o.short(app.lang)))
        .into_iter()
        .max()
        .unwrap_or(8)
        .max(8);
    let bar_w = (area.width as usize)
        .saturating_sub(52 + out_w)
        .clamp(8, 40);
    let height = area.height.saturating_sub(3) as usize;
    let cursor = app.count.entry.cursor;
    let offset = scroll_offset(
        cursor.min(names.len().saturating_sub(1)),
        names.len(),
        height,
    );
    let editing = !b.locked();
    // An outcome is a word only once every returned paper is in: mid-count every candidate is
    // below the pass line, and 未当选 down the column would tell the hall what nobody decided.
    let complete = b.locked() || b.returned_declared.is_some_and(|r| b.keyed() >= r);
    let rows = names
        .iter()
        .enumerate()
        .skip(offset)
        .take(height.max(1))
        .map(|(i, name)| {
            let c = t.counts()[i];
            let (m, ms, row_style) = keyed_row(app, i, CountKind::Approval);
            let cr = result
                .as_ref()
                .filter(|_| b.keyed() > 0 || b.locked())
                .and_then(|r| r.candidates.iter().find(|x| x.index == i));
            let (ol, os) = cr
                .filter(|_| complete)
                .map_or(("", Style::new()), |x| outcome_label(x.outcome, app.lang));
            let row = Row::new(vec![
                Cell::from(format!("{:>2}", i + 1)),
                Cell::from(*name),
                Cell::from(if editing { m } else { String::new() }).style(ms),
                Cell::from(format!("{:>4}", c.yes))
                    .style(Style::new().add_modifier(Modifier::BOLD)),
                Cell::from(format!("{:>4}", c.no)),
                Cell::from(format!("{:>4}", c.abstain)),
                Cell::from(bar(c.yes, mark, max, bar_w)),
                Cell::from(cr.map_or(String::new(), |x| format!("{:>3}", x.rank))),
                Cell::from(ol).style(os),
            ]);
            match row_style {
                Some(style) if editing => row.style(style),
                _ => row,
            }
        });
    let header = Row::new(vec![
        "#".to_string(),
        app.t("候选项目", "candidate").to_string(),
        app.t("本票", "mark").to_string(),
        app.t("赞成", " yes").to_string(),
        app.t("不赞", "  no").to_string(),
        app.t("弃权", " abs").to_string(),
        match (app.lang, b.vote_void()) {
            (Lang::Zh, true) => "赞成票(投票无效,不计结果)".to_string(),
            (Lang::En, true) => "yes (vote void: no result)".to_string(),
            (Lang::Zh, false) => format!("赞成票(│ 为 {mark} 票线)"),
            (Lang::En, false) => format!("yes (│ at {mark})"),
        },
        app.t("名次", "rank").to_string(),
        app.t("结果", "outcome").to_string(),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let table = Table::new(
        rows,
        [
            Constraint::Length(2),
            Constraint::Min(12),
            Constraint::Length(4),
            Constraint::Length(4),
            Constraint::Length(4),
            Constraint::Length(4),
            Constraint::Length(bar_w as u16),
            Constraint::Length(4),
            Constraint::Length(out_w as u16),
        ],
    )
    .header(header)
    .block(
        Block::new()
            .borders(Borders::ALL)
            .title(app.t(" 选票录入与实时计票 ", " Paper entry and live tally ")),
    );
    f.render_widget(table, area);
}

fn satisfaction_table(app: &App, b: &BallotState, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let item = &st.def.agenda[b.item];
    let names = ballots::names(item, b);
    // A void vote has no rate and no grade; its counts still show, from the papers.
    let (evaluated, rate_base) =
        match ballots::result_of(b, item, st.attendance.total, st.attendance.present) {
            Some(Announced::Satisfaction {
                items, rate_base, ..
            }) => (Some(items), rate_base),
            _ => (None, Default::default()),
        };
    let Counter::Satisfaction(tally) = &b.counter else {
        return;
    };
    let height = area.height.saturating_sub(3) as usize;
    let cursor = app.count.entry.cursor;
    let offset = scroll_offset(
        cursor.min(names.len().saturating_sub(1)),
        names.len(),
        height,
    );
    let editing = !b.locked();
    let rows = names
        .iter()
        .enumerate()
        .skip(offset)
        .take(height.max(1))
        .map(|(i, name)| {
            let (m, ms, row_style) = keyed_row(app, i, CountKind::Satisfaction);
            let r = evaluated
                .as_ref()
                .and_then(|v| v.iter().find(|x| x.index == i));
            let (grade, gs) = match r.and_then(|x| x.grade) {
                Some(Grade::Satisfied) => {
                    (app.t("满意", "satisfied"), Style::new().fg(Color::Green))
                }
                Some(Grade::BasicallySatisfied) => (
                    app.t("基本满意", "basically"),
                    Style::new().fg(Color::Yellow),
                ),
                Some(Grade::Unsatisfied) => {
                    (app.t("不满意", "unsatisfied"), Style::new().fg(Color::Red))
                }
                None => ("", Style::new()),
            };
            let c = tally.counts().get(i).copied().unwrap_or_default();
            let row = Row::new(vec![
                Cell::from(format!("{:>2}", i + 1)),
                Cell::from(*name),
                Cell::from(if editing { m } else { String::new() }).style(ms),
                Cell::from(format!("{:>5}", c.satisfied)),
                Cell::from(format!("{:>5}", c.basically_satisfied)),
                Cell::from(format!("{:>5}", c.unsatisfied)),
                Cell::from(format!("{:>5}", c.abstain)),
                Cell::from(r.and_then(|x| x.rate_text()).unwrap_or_else(|| "—".into())),
                Cell::from(grade).style(gs),
            ]);
            match row_style {
                Some(style) if editing => row.style(style),
                _ => row,
            }
        });
    let header = Row::new(vec![
        "#",
        app.t("测评对象", "item"),
        app.t("本票", "mark"),
        app.t(" 满意", " sat."),
        app.t(" 基本", " basic"),
        app.t("不满意", " unsat"),
        app.t(" 弃权", " abs."),
        app.t("满意率", "rate"),
        app.t("等级", "grade"),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let table = Table::new(
        rows,
        [
            Constraint::Length(2),
            Constraint::Min(14),
            Constraint::Length(4),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(7),
            Constraint::Length(10),
        ],
    )
    .header(header)
    .block(Block::new().borders(Borders::ALL).title(if b.vote_void() {
        app.t(
            " 测评票录入 · 本次测评无效,不计满意率和等次 ",
            " Rating entry · the evaluation is void: no rate, no grade ",
        )
        .to_string()
    } else {
        let w = rate_base_words(rate_base);
        match app.lang {
            Lang::Zh => format!(" 测评票录入与实时统计 · 满意率{} ", w.zh),
            Lang::En => format!(" Rating entry and live tally · rate {} ", w.en),
        }
    }));
    f.render_widget(table, area);
}

fn resolution_table(app: &App, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let Some(item) = app.count.item else { return };
    let def = &st.def.agenda[item];
    let motions: Vec<&BallotState> = st.ballots.of_item(item).collect();
    let rows = motions.iter().enumerate().map(|(i, b)| {
        let title = ballots::names(def, b)
            .first()
            .copied()
            .unwrap_or("")
            .to_string();
        let res = match &b.announced {
            Some(Announced::Resolution(r)) => Some(r.clone()),
            _ => match ballots::provisional(b, def, st.attendance.total, st.attendance.present) {
                Some(Announced::Resolution(r)) => Some(r),
                _ => None,
            },
        };
        let (t, outcome, os) = match &res {
            Some(r) => (
                r.totals,
                if r.passed {
                    app.t("通过", "passed")
                } else {
                    app.t("未通过", "not passed")
                },
                Style::new()
                    .fg(if r.passed { Color::Green } else { Color::Red })
                    .add_modifier(Modifier::BOLD),
            ),
            None => (
                Default::default(),
                app.t("未录入", "no totals"),
                Style::new().fg(Color::Gray),
            ),
        };
        let state = if b.locked() {
            app.t("已宣布", "announced")
        } else {
            ""
        };
        let row = Row::new(vec![
            Cell::from(format!("{:>2}", i + 1)),
            Cell::from(title),
            Cell::from(format!("{:>5}", t.yes)),
            Cell::from(format!("{:>5}", t.no)),
            Cell::from(format!("{:>5}", t.abstain)),
            Cell::from(format!("{:>5}", t.not_pressed)),
            Cell::from(outcome).style(os),
            Cell::from(state),
        ]);
        if i == app.count.motion {
            row.style(Style::new().bg(Color::DarkGray))
        } else {
            row
        }
    });
    let header = Row::new(vec![
        "#",
        app.t("表决事项", "motion"),
        app.t(" 赞成", "  yes"),
        app.t(" 反对", "   no"),
        app.t(" 弃权", " abs."),
        app.t(" 未按", " n.p."),
        app.t("结果", "result"),
        app.t("状态", "state"),
    ])
    .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
    let table = Table::new(
        rows,
        [
            Constraint::Length(2),
            Constraint::Min(16),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(8),
            Constraint::Length(8),
        ],
    )
    .header(header)
    .block(
        Block::new()
            .borders(Borders::ALL)
            .title(app.t(" 表决 ", " Resolution ")),
    );
    f.render_widget(table, area);
}

fn render_paper_summary(app: &App, b: &BallotState, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let e = &app.count.entry;
    let mut spans: Vec<Span> = Vec::new();
    if b.kind == CountKind::Resolution {
        let announce = keys::key_of(keys::Cmd::Announce, lang);
        spans.push(Span::raw(match lang {
            Lang::Zh => format!("↑↓ 选择表决事项,Enter 录入赞成/反对/弃权票数,{announce} 宣布。"),
            Lang::En => {
                format!("↑↓ select a motion, Enter to key its totals, {announce} to announce.")
            }
        }));
    } else {
        if let Some(serial) = &e.correcting {
            spans.push(Span::styled(
                match lang {
                    Lang::Zh => format!("正在更正 {serial}  "),
                    Lang::En => format!("correcting {serial}  "),
                },
                Style::new().fg(Color::Black).bg(Color::Yellow),
            ));
        }
        if b.kind == CountKind::Approval {
            let yes = e.count('Y');
            // rows not keyed yet are not 弃权 (Enter refuses them until keyed or `-`)
            spans.push(Span::raw(match lang {
                Lang::Zh => format!(
                    "本票:○{yes} ×{} 弃权{} 未标{}  ",
                    e.count('N'),
                    e.count('A'),
                    e.unmarked().len()
                ),
                Lang::En => format!(
                    "this paper: ○{yes} ×{} abstain {} unmarked {}  ",
                    e.count('N'),
                    e.count('A'),
                    e.unmarked().len()
                ),
            }));
            if yes as u32 > b.places {
                spans.push(Span::styled(
                    match lang {
                        Lang::Zh => {
                            format!("赞成 {yes} 个多于应选 {} 个:将作为无效票录入", b.places)
                        }
                        Lang::En => format!(
                            "{yes} yes marks for {} places: will be recorded VOID",
                            b.places
                        ),
                    },
                    Style::new().fg(Color::White).bg(Color::Red),
                ));
            }
        } else {
            spans.push(Span::raw(match lang {
                Lang::Zh => format!(
                    "本票:满意{} 基本满意{} 不满意{} 弃权{} 未标{}  ",
                    e.count('S'),
                    e.count('B'),
                    e.count('U'),
                    e.count('A'),
                    e.unmarked().len()
                ),
                Lang::En => format!(
                    "this paper: sat {} basic {} unsat {} abstain {} unmarked {}  ",
                    e.count('S'),
                    e.count('B'),
                    e.count('U'),
                    e.count('A'),
                    e.unmarked().len()
                ),
            }));
        }
    }
    let last = b.last_live().map(|p| {
        let v = match &p.void {
            None => String::new(),
            Some(VoidReason::TooManyYes { .. }) => app.t(" 无效", " void").to_string(),
            Some(VoidReason::Hand { reason }) => format!(" {}{reason}", app.t("作废:", "void: ")),
        };
        match lang {
            Lang::Zh => format!("上一张 {} {}{v}", p.serial, p.marks),
            Lang::En => format!("last {} {}{v}", p.serial, p.marks),
        }
    });
    let lines = vec![
        Line::from(spans),
        Line::from(Span::styled(
            last.unwrap_or_default(),
            Style::new().fg(Color::Gray),
        )),
    ];
    f.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::TOP)),
        area,
    );
}

fn render_announcement(app: &App, b: &BallotState, f: &mut Frame, area: Rect) {
    let st = app.engine.state();
    let mut lines: Vec<Line> = Vec::new();
    // The chain head first: it must be copied onto the paper minutes, whatever the room.
    if let Some((seq, h)) = b
        .announced_seq
        .and_then(|s| app.heads.get(&s).map(|h| (s, h)))
    {
        let head = crate::store::head_text(seq, h);
        lines.push(Line::from(Span::styled(
            match app.lang {
                Lang::Zh => format!("宣布时事件链头 {head} —— 请抄录于纸质记录"),
                Lang::En => format!("head at announcement {head} — copy it into the minutes"),
            },
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        )));
    }
    lines.extend(
        announcement(st, b)
            .iter()
            .map(|t| Line::from(t.get(app.lang).to_string())),
    );
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::new()
                .borders(Borders::ALL)
                .title(app.t(" 宣布 ", " Announcement ")),
        ),
        area,
    );
}
