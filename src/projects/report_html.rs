//! The year's history as one self-contained page: the sessions, an overview, then one section
//! per project with its selection, group, notes and status changes, and a small chart of its
//! ratings over the year (inline SVG: no script, prints as it shows).

use crate::domain::satisfaction::Grade;
use crate::domain::session::RateBase;
use crate::export::html::esc;

use super::history::{Happened, History, ProjectHistory};

const STYLE: &str = r#"
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", SimSun, "Songti SC", serif; font-size: 11.5pt; line-height: 1.6; color: #111; margin: 0; }
main { max-width: 190mm; margin: 0 auto; padding: 10mm 8mm; }
h1 { font-family: "Noto Sans CJK SC", SimHei, "Heiti SC", sans-serif; font-size: 20pt; text-align: center; font-weight: normal; margin: 0 0 2mm; }
.sub { text-align: center; color: #444; margin: 0 0 6mm; }
h2 { font-family: "Noto Sans CJK SC", SimHei, "Heiti SC", sans-serif; font-size: 14pt; font-weight: normal; border-bottom: 1pt solid #999; margin: 8mm 0 3mm; break-after: avoid; }
h3 { font-size: 12pt; margin: 4mm 0 2mm; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
th, td { border: 0.6pt solid #888; padding: 1mm 2mm; vertical-align: top; }
th { background: #eee; font-weight: normal; white-space: nowrap; }
td.n { text-align: right; white-space: nowrap; }
.facts td:first-child { width: 24mm; background: #f6f6f6; white-space: nowrap; }
.status { white-space: nowrap; padding: 0 1.5mm; border-radius: 1mm; }
.s-not_started { background: #eee; } .s-in_progress { background: #dbeafe; } .s-done { background: #d1fae5; } .s-behind { background: #fee2e2; }
section.project { break-inside: avoid-page; }
.chart { display: block; margin: 1mm 0 2mm; }
.foot { color: #555; font-size: 9.5pt; margin-top: 8mm; border-top: 0.6pt solid #aaa; padding-top: 2mm; }
@page { size: A4; margin: 15mm 12mm; }
"#;

fn status_span(s: crate::domain::projects::ProjectStatus) -> String {
    let key = serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    format!("<span class=\"status s-{key}\">{}</span>", s.zh())
}

fn grade_color(g: Option<Grade>) -> &'static str {
    match g {
        Some(Grade::Satisfied) => "#2e7d32",
        Some(Grade::BasicallySatisfied) => "#ef8f00",
        Some(Grade::Unsatisfied) => "#c62828",
        None => "#9e9e9e",
    }
}

/// Bars of the satisfaction rate at each evaluation, in date order, joined by a line.
fn chart(h: &History, p: &ProjectHistory) -> String {
    if p.ratings.is_empty() {
        return "<p>本年度尚无满意度测评结果。</p>\n".into();
    }
    let (w, top, plot, bottom) = (460.0_f64, 18.0_f64, 120.0_f64, 40.0_f64);
    let left = 40.0;
    let n = p.ratings.len() as f64;
    let slot = ((w - left - 10.0) / n).min(120.0);
    let bar = (slot * 0.5).min(44.0);
    let mut s = format!(
        "<svg class=\"chart\" width=\"{w}\" height=\"{}\" viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"{}满意率\">\n",
        top + plot + bottom,
        top + plot + bottom,
        esc(&p.name)
    );
    for pct in [0, 50, 80, 100] {
        let y = top + plot * (1.0 - f64::from(pct) / 100.0);
        s.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#ccc\" stroke-width=\"0.8\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\" fill=\"#666\">{pct}%</text>\n",
            w - 6.0,
            left - 4.0,
            y + 3.5
        ));
    }
    let mut points = Vec::new();
    for (k, r) in p.ratings.iter().enumerate() {
        let cx = left + slot * (k as f64 + 0.5);
        let date = &h.sessions[r.session].session.date;
        match r.rate_permille {
            Some(pm) => {
                let v = f64::from(pm) / 1000.0;
                let y = top + plot * (1.0 - v);
                points.push(format!("{cx:.1},{y:.1}"));
                s.push_str(&format!(
                    "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{}\" opacity=\"0.85\"/><text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>\n",
                    cx - bar / 2.0,
                    top + plot - y,
                    grade_color(r.grade),
                    y - 4.0,
                    esc(&r.rate_text().unwrap_or_default())
                ));
            }
            None => s.push_str(&format!(
                "<text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#666\">不计</text>\n",
                top + plot - 4.0
            )),
        }
        s.push_str(&format!(
            "<text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"10.5\" text-anchor=\"middle\">{}</text><text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"10.5\" text-anchor=\"middle\" fill=\"{}\">{}</text>\n",
            top + plot + 15.0,
            esc(date),
            top + plot + 30.0,
            grade_color(r.grade),
            r.grade.map_or("—", |g| g.zh())
        ));
    }
    if points.len() > 1 {
        s.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.2\" stroke-dasharray=\"3 2\"/>\n",
            points.join(" ")
        ));
    }
    s.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#333\" stroke-width=\"1\"/>\n</svg>\n",
        top + plot,
        w - 6.0,
        top + plot
    ));
    s
}

fn base_words(rb: RateBase, valid: u32, denominator: u64) -> String {
    match rb {
        RateBase::Valid => format!("以有效票{valid}张为基数"),
        RateBase::Ratings => format!("以有效评价{denominator}票为基数,不含弃权"),
    }
}

fn project_section(h: &History, k: usize, p: &ProjectHistory) -> String {
    let mut s = format!(
        "<section class=\"project\" id=\"p-{}\">\n<h2>({}){}</h2>\n<table class=\"facts\">\n",
        esc(&p.id),
        k + 1,
        esc(&p.name)
    );
    let row = |k: &str, v: String| format!("<tr><td>{k}</td><td>{v}</td></tr>\n");
    s.push_str(&row("编号", esc(&p.id)));
    s.push_str(&row("承办单位", esc(p.unit.as_deref().unwrap_or("—"))));
    let vote_name = match p.selected.vote {
        crate::domain::session::ApprovalVote::Decide => "票决",
        crate::domain::session::ApprovalVote::Recommend => "票荐",
    };
    s.push_str(&row(
        "入选",
        esc(&format!(
            "{}({})“{}”,获得赞成票{}票,列第{}位(应选{}项){}",
            p.selected.session.title,
            p.selected.session.date,
            p.selected.item_title,
            p.selected.yes,
            p.selected.rank,
            p.selected.places,
            if p.selected.round.contains('#') {
                format!(
                    ",{vote_name}第{}轮选出",
                    p.selected.round.rsplit('#').next().unwrap_or("")
                )
            } else {
                String::new()
            }
        )),
    ));
    s.push_str(&row(
        "监督小组",
        p.group.as_ref().map_or_else(
            || "未设".to_string(),
            |g| esc(&g.describe(crate::i18n::Lang::Zh)),
        ),
    ));
    s.push_str(&row("目前状态", status_span(p.status)));
    s.push_str("</table>\n<h3>满意度测评</h3>\n");
    s.push_str(&chart(h, p));
    if !p.ratings.is_empty() {
        s.push_str("<table>\n<tr><th>会议</th><th>测评</th><th>满意</th><th>基本满意</th><th>不满意</th><th>弃权</th><th>满意率</th><th>等次</th></tr>\n");
        for r in &p.ratings {
            let si = &h.sessions[r.session].session;
            s.push_str(&format!(
                "<tr><td>{}({})</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
                esc(&si.title),
                esc(&si.date),
                esc(&r.item_title),
                r.counts.satisfied,
                r.counts.basically_satisfied,
                r.counts.unsatisfied,
                r.counts.abstain,
                r.rate_text().map_or_else(
                    || "不计".to_string(),
                    |t| format!("{t}<br><small>{}</small>", esc(&base_words(r.rate_base, r.valid, r.rate_denominator)))
                ),
                r.grade.map_or("—", |g| g.zh())
            ));
        }
        s.push_str("</table>\n");
    }
    s.push_str("<h3>全年记录</h3>\n<table>\n<tr><th>时间</th><th>会议</th><th>事项</th></tr>\n");
    for e in &p.events {
        let what = match &e.what {
            Happened::Selected { rank, yes } => {
                format!("票决入选,获得赞成票{yes}票,列第{rank}位")
            }
            Happened::Carried => "结转至本次会议跟踪".to_string(),
            Happened::Status { from, to, note } if note.is_empty() => {
                format!("状态由“{}”改为“{}”", from.zh(), to.zh())
            }
            Happened::Status { from, to, note } => {
                format!("状态由“{}”改为“{}”:{note}", from.zh(), to.zh())
            }
            Happened::Note(t) => format!("进展情况:{t}"),
            Happened::Rated { rate, grade } => format!(
                "满意度测评:满意率{},等次{}",
                rate.as_deref().unwrap_or("不计"),
                grade.map_or("—", |g| g.zh())
            ),
        };
        s.push_str(&format!(
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&e.at),
            esc(&h.sessions[e.session].name()),
            esc(&what)
        ));
    }
    s.push_str("</table>\n</section>\n");
    s
}

/// The whole page.
pub fn to_html(h: &History, exported: &str) -> String {
    let title = format!("{}{}年度民生实事项目跟踪报告", h.body, h.year);
    let mut b = format!(
        "<main>\n<h1>{}</h1>\n<p class=\"sub\">从票决到年终:项目监督、进展情况与满意度测评</p>\n",
        esc(&title)
    );
    b.push_str("<h2>会议</h2>\n<table>\n<tr><th>日期</th><th>会议</th><th>本次会议中</th><th>数据库</th></tr>\n");
    for s in &h.sessions {
        let role = match (s.selected, s.followed) {
            (true, true) => "票决确定项目,并跟踪项目",
            (true, false) => "票决确定项目",
            _ => "听取进展情况,满意度测评",
        };
        b.push_str(&format!(
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{role}</td><td>{}</td></tr>\n",
            esc(&s.session.date),
            esc(&s.session.title),
            esc(&s.file.display().to_string())
        ));
    }
    b.push_str("</table>\n<h2>项目总览</h2>\n<table>\n<tr><th>序号</th><th>项目</th><th>承办单位</th><th>赞成票</th><th>监督小组组长</th><th>目前状态</th><th>最近满意率</th></tr>\n");
    for (k, p) in h.projects.iter().enumerate() {
        let last = p.ratings.last();
        b.push_str(&format!(
            "<tr><td class=\"n\">{}</td><td><a href=\"#p-{}\">{}</a></td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>\n",
            k + 1,
            esc(&p.id),
            esc(&p.name),
            esc(p.unit.as_deref().unwrap_or("")),
            p.selected.yes,
            esc(p.group.as_ref().map_or("", |g| g.leader.name.as_str())),
            status_span(p.status),
            last.map_or_else(
                || "—".to_string(),
                |r| format!(
                    "{}({})",
                    r.rate_text().unwrap_or_else(|| "不计".into()),
                    r.grade.map_or("—", |g| g.zh())
                )
            )
        ));
    }
    b.push_str("</table>\n");
    for (k, p) in h.projects.iter().enumerate() {
        b.push_str(&project_section(h, k, p));
    }
    b.push_str(&format!(
        "<p class=\"foot\">本报告由 huiwu 根据以上 {} 个数据库的记录生成,导出于 {}。</p>\n</main>\n",
        h.sessions.len(),
        esc(exported)
    ));
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"huiwu\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{b}</body>\n</html>\n",
        esc(&title)
    )
}
