//! `huiwu export --format html` (the minutes, result sheets on pages of their own) and
//! `--format announcement` (the result sheets only): one self-contained page each, no
//! external assets, A4 when printed.

use std::fmt::Write;

use super::minutes::{BallotSection, Minutes, Notice};
use super::table::Table;
use crate::i18n::Lang;

/// Body text: 仿宋 as Chinese offices set it, then what Windows, macOS and Linux have.
const BODY_FONTS: &str = "\"仿宋_GB2312\", \"FangSong_GB2312\", \"仿宋\", \"FangSong\", \"STFangsong\", \"Times New Roman\", \"Noto Serif CJK SC\", \"Source Han Serif SC\", \"Songti SC\", \"SimSun\", serif";
/// Titles: 方正小标宋简体, else 宋体.
const TITLE_FONTS: &str = "\"方正小标宋简体\", \"FZXiaoBiaoSong-B05S\", \"华文中宋\", \"STZhongsong\", \"宋体\", \"SimSun\", \"Noto Serif CJK SC\", \"Source Han Serif SC\", \"Songti SC\", serif";
/// Headings: 黑体.
const HEADING_FONTS: &str = "\"黑体\", \"SimHei\", \"Heiti SC\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", sans-serif";

fn css() -> String {
    format!(
        r#"@page {{ size: A4; margin: 25mm 20mm 22mm 25mm; }}
* {{ box-sizing: border-box; }}
html {{ background: #e8e8e8; }}
body {{ font-family: {BODY_FONTS}; font-size: 12pt; line-height: 1.6; color: #000; margin: 0; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
.sheet {{ background: #fff; width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 25mm 20mm 22mm 25mm; box-shadow: 0 1px 4px rgba(0,0,0,.25); }}
.org, h1, .notice h2 {{ font-family: {TITLE_FONTS}; font-weight: normal; text-align: center; margin: 0; }}
.org {{ font-size: 18pt; }}
h1 {{ font-size: 22pt; margin: 2mm 0 6mm; }}
h2, h3, h4 {{ font-family: {HEADING_FONTS}; font-weight: normal; break-after: avoid; page-break-after: avoid; }}
h2 {{ font-size: 15pt; margin: 7mm 0 2mm; }}
h3 {{ font-size: 13pt; margin: 5mm 0 1mm; }}
h4 {{ font-size: 12pt; margin: 4mm 0 1mm; }}
p {{ margin: 1mm 0; }}
.sentence {{ text-indent: 2em; }}
table {{ border-collapse: collapse; width: 100%; margin: 2mm 0 3mm; font-size: 10.5pt; line-height: 1.35; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
th, td {{ border: 0.6pt solid #000; padding: 1mm 1.5mm; vertical-align: top; }}
th {{ font-family: {HEADING_FONTS}; font-weight: normal; background: #f0f0f0; text-align: center; white-space: nowrap; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
td.s {{ white-space: nowrap; }}
.exported {{ text-align: right; font-size: 9pt; color: #666; margin-top: 8mm; }}
table.meta td {{ border: none; padding: 0.5mm 1.5mm; font-size: 12pt; }}
table.meta td.k {{ width: 22mm; text-align: justify; text-align-last: justify; white-space: nowrap; }}
table.figures {{ width: auto; min-width: 50%; }}
.asof {{ color: #333; font-size: 10.5pt; }}
ul {{ margin: 1mm 0; padding-left: 6mm; }}
.ballot {{ margin: 3mm 0 4mm; }}
.ballot.provisional {{ border: 1.5pt solid #c00; padding: 1mm 3mm; }}
.mark {{ color: #c00; font-family: {HEADING_FONTS}; border: 1pt solid #c00; padding: 0 1.5mm; margin-left: 2mm; font-size: 10.5pt; white-space: nowrap; }}
.warn {{ color: #c00; }}
blockquote {{ margin: 2mm 0; padding: 0; }}
blockquote p {{ text-indent: 2em; }}
.hash {{ font-family: "DejaVu Sans Mono", Consolas, "Courier New", monospace; font-size: 9pt; word-break: break-all; }}
table.sign {{ width: 100%; margin-top: 10mm; }}
table.sign td {{ border: none; padding: 4mm 1.5mm; font-size: 12pt; }}
.line {{ display: inline-block; min-width: 40mm; border-bottom: 0.6pt solid #000; }}
.notice {{ font-size: 16pt; line-height: 1.8; }}
.notice h2 {{ font-size: 22pt; margin: 4mm 0 10mm; line-height: 1.4; }}
.notice .org {{ font-size: 16pt; margin-top: 8mm; }}
.notice .sentence {{ margin: 0 0 1mm; }}
.notice .staff {{ margin-top: 8mm; font-size: 14pt; }}
.notice .date {{ text-align: right; margin-top: 12mm; }}
.notice .chain {{ text-align: right; font-size: 10.5pt; color: #333; }}
.notice.dense {{ font-size: 12pt; line-height: 1.45; page: dense; }}
.notice.denser {{ font-size: 11.5pt; line-height: 1.6; }}
.notice.densest {{ font-size: 10pt; line-height: 1.5; }}
.notice.tightest {{ font-size: 9pt; line-height: 1.45; }}
.notice.dense .org {{ font-size: 14pt; margin-top: 0; }}
.notice.dense h2 {{ font-size: 18pt; margin: 2mm 0 5mm; }}
.notice.dense .sentence {{ margin: 0; }}
.notice.dense .staff {{ margin-top: 3mm; font-size: inherit; }}
.notice.dense .date {{ margin-top: 4mm; }}
@page dense {{ size: A4; margin: 16mm 18mm 14mm 20mm; }}
@media print {{
  html {{ background: none; }}
  .sheet {{ width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }}
  .sheet + .sheet {{ break-before: page; page-break-before: always; }}
}}
"#
    )
}

pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn table(o: &mut String, t: &Table, class: &str) {
    let _ = write!(o, "<table class=\"{class}\"><thead><tr>");
    for h in &t.header {
        let _ = write!(o, "<th>{}</th>", esc(h));
    }
    o.push_str("</tr></thead><tbody>\n");
    let numeric: Vec<bool> = (0..t.header.len()).map(|c| t.numeric(c)).collect();
    // Short text columns (status, outcome) do not wrap.
    let short: Vec<bool> = t.widths(0, usize::MAX).iter().map(|w| *w <= 12).collect();
    for r in &t.rows {
        o.push_str("<tr>");
        for (c, x) in r.iter().enumerate() {
            let text = esc(&x.display()).replace('\n', "<br>");
            if numeric.get(c).copied().unwrap_or(false) {
                let _ = write!(o, "<td class=\"n\">{text}</td>");
            } else if short.get(c).copied().unwrap_or(false) {
                let _ = write!(o, "<td class=\"s\">{text}</td>");
            } else {
                let _ = write!(o, "<td>{text}</td>");
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table>\n");
}

fn sep(lang: Lang) -> &'static str {
    lang.t(":", ": ")
}

fn ballot(o: &mut String, m: &Minutes, b: &BallotSection) {
    let lang = m.lang;
    let provisional = !b.announced && !b.not_started;
    let _ = write!(
        o,
        "<div class=\"ballot{}\">\n<h4>{}",
        if provisional { " provisional" } else { "" },
        esc(&b.label)
    );
    if provisional {
        let _ = write!(
            o,
            "<span class=\"mark\">{}</span>",
            esc(&m.labels.provisional_mark)
        );
    }
    o.push_str("</h4>\n");
    let _ = writeln!(o, "<p>{}</p>", esc(&b.status_line));
    for r in &b.reopened {
        let _ = writeln!(
            o,
            "<p>{}{}{}</p>",
            lang.t("曾重新开启,理由", "Re-opened, reason"),
            sep(lang),
            esc(r)
        );
    }
    if !b.not_started {
        if let Some(r) = &b.results {
            table(o, r, "results");
        }
        table(o, &b.figures, "figures");
        if !b.staff.is_empty() {
            let s: Vec<String> = b
                .staff
                .iter()
                .map(|(k, v)| format!("{}{}{}", esc(k), sep(lang), esc(v)))
                .collect();
            let _ = writeln!(o, "<p>{}</p>", s.join(lang.t(";", "; ")));
        }
        if !b.sentences.is_empty() {
            if !b.announced {
                let _ = writeln!(o, "<p class=\"warn\">{}</p>", esc(&m.labels.draft));
            }
            o.push_str("<blockquote>\n");
            for s in &b.sentences {
                let _ = writeln!(o, "<p>{}</p>", esc(s));
            }
            o.push_str("</blockquote>\n");
        }
    }
    o.push_str("</div>\n");
}

fn notice(o: &mut String, lang: Lang, n: &Notice, now: Option<&str>) {
    let _ = writeln!(
        o,
        "<section class=\"sheet notice{}\">",
        match n.density() {
            0 => "",
            1 => " dense",
            2 => " dense denser",
            3 => " dense denser densest",
            _ => " dense denser densest tightest",
        }
    );
    let _ = writeln!(o, "<p class=\"org\">{}</p>", esc(&n.org));
    let _ = writeln!(o, "<h2>{}</h2>", esc(&n.heading));
    for s in &n.sentences {
        let _ = writeln!(o, "<p class=\"sentence\">{}</p>", esc(s));
    }
    if !n.staff.is_empty() {
        let s: Vec<String> = n
            .staff
            .iter()
            .map(|(k, v)| format!("{}{}{}", esc(k), sep(lang), esc(v)))
            .collect();
        let joint = if n.density() > 0 { "&emsp;" } else { "<br>" };
        let _ = writeln!(o, "<p class=\"staff\">{}</p>", s.join(joint));
    }
    let _ = writeln!(o, "<p class=\"date\">{}</p>", esc(&n.date));
    match now {
        // A stand-alone sheet also says how far the record went when it was printed.
        Some(h) => {
            let _ = writeln!(
                o,
                "<p class=\"chain\">{}<br>{}{h}</p>",
                esc(&n.chain),
                lang.t("打印时事件链头:", "Chain head when printed: ")
            );
        }
        None => {
            let _ = writeln!(o, "<p class=\"chain\">{}</p>", esc(&n.chain));
        }
    }
    o.push_str("</section>\n");
}

fn page(m: &Minutes, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"huiwu\">\n<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        m.lang.t("zh-CN", "en"),
        esc(title),
        css()
    )
}

/// The minutes, then each announced count's result sheet on a page of its own.
pub fn render(m: &Minutes) -> String {
    let lang = m.lang;
    let mut o = String::new();
    o.push_str("<section class=\"sheet minutes\">\n");
    let _ = writeln!(o, "<p class=\"org\">{}</p>", esc(&m.org_title));
    let _ = writeln!(o, "<h1>{}</h1>", esc(&m.doc_title));
    o.push_str("<table class=\"meta\"><tbody>\n");
    for (k, v) in &m.meta {
        let _ = writeln!(
            o,
            "<tr><td class=\"k\">{}</td><td>{}</td></tr>",
            esc(k),
            esc(v)
        );
    }
    o.push_str("</tbody></table>\n");
    let _ = writeln!(o, "<p class=\"asof\">{}</p>", esc(&m.as_of));
    if m.in_progress {
        let _ = writeln!(
            o,
            "<p class=\"warn\">{}</p>",
            lang.t(
                "会议尚未全部结束:本记录反映截至上述时间的情况,未宣布的结果为临时结果。",
                "The session is not over: these minutes show it as of the time above; results not announced are provisional."
            )
        );
    }

    let _ = writeln!(o, "<h2>{}</h2>", esc(&m.labels.attendance));
    let _ = writeln!(
        o,
        "<p class=\"sentence\">{}</p>",
        esc(&m.attendance.sentence)
    );
    table(&mut o, &m.attendance.groups, "groups");
    for (k, v) in &m.attendance.lists {
        let _ = writeln!(o, "<p>{}{}{}</p>", esc(k), sep(lang), esc(v));
    }

    let _ = writeln!(o, "<h2>{}</h2>", esc(&m.labels.proceedings));
    for it in &m.items {
        let _ = writeln!(o, "<h3>{}{}</h3>", esc(&it.number), esc(&it.title));
        let mut line = vec![format!(
            "{}{}{}",
            lang.t("类别", "Kind"),
            sep(lang),
            esc(&it.kind)
        )];
        if let Some(p) = &it.presenter {
            line.push(format!(
                "{}{}{}",
                lang.t("报告人/主持人", "Presenter"),
                sep(lang),
                esc(p)
            ));
        }
        let _ = writeln!(o, "<p>{}</p>", line.join(lang.t(";", "; ")));
        let _ = writeln!(
            o,
            "<p>{}{}{}</p>",
            lang.t("时间", "Time"),
            sep(lang),
            esc(&it.time)
        );
        if !it.notes.is_empty() {
            let _ = writeln!(
                o,
                "<p>{}{}</p>\n<ul>",
                esc(&m.labels.notes),
                lang.t(":", ":")
            );
            for (at, text) in &it.notes {
                let _ = writeln!(
                    o,
                    "<li>{} {}</li>",
                    esc(at),
                    esc(text).replace('\n', "<br>")
                );
            }
            o.push_str("</ul>\n");
        }
        for r in &it.reasons {
            let _ = writeln!(
                o,
                "<p>{}{}{}</p>",
                esc(&m.labels.reasons),
                sep(lang),
                esc(r)
            );
        }
        for &k in &it.ballots {
            ballot(&mut o, m, &m.ballots[k]);
        }
        for q in &it.questions {
            let _ = writeln!(o, "<h4>{}</h4>", esc(&q.heading));
            for (k, v) in &q.facts {
                let _ = writeln!(o, "<p>{}{}{}</p>", esc(k), sep(lang), esc(v));
            }
            if !q.notes.is_empty() {
                let _ = writeln!(
                    o,
                    "<p>{}{}</p>\n<ul>",
                    lang.t("答复要点", "Answer notes"),
                    lang.t(":", ":")
                );
                for (at, text) in &q.notes {
                    let _ = writeln!(
                        o,
                        "<li>{} {}</li>",
                        esc(at),
                        esc(text).replace('\n', "<br>")
                    );
                }
                o.push_str("</ul>\n");
            }
        }
    }
    if let Some(c) = &m.commitments {
        let _ = writeln!(o, "<h2>{}</h2>", esc(&c.caption));
        table(&mut o, c, "commitments");
    }
    if let Some(c) = &m.projects {
        let _ = writeln!(o, "<h2>{}</h2>", esc(&c.caption));
        table(&mut o, c, "projects");
    }

    let _ = writeln!(o, "<h2>{}</h2>", esc(&m.labels.verification));
    let _ = writeln!(o, "<p>{}</p>", esc(&m.chain.line));
    let _ = writeln!(
        o,
        "<p class=\"hash\">{}{}{}</p>",
        esc(&m.labels.full_hash),
        sep(lang),
        esc(&m.chain.hash)
    );
    o.push_str("<table class=\"sign\"><tbody>\n");
    for (role, name) in &m.signatures {
        let _ = writeln!(
            o,
            "<tr><td>{}{}{}</td><td>{}{}<span class=\"line\"></span></td><td>{}{}<span class=\"line\"></span></td></tr>",
            esc(role),
            sep(lang),
            if name.is_empty() {
                "<span class=\"line\"></span>".to_string()
            } else {
                esc(name)
            },
            esc(&m.labels.signature),
            sep(lang),
            esc(&m.labels.date),
            sep(lang),
        );
    }
    o.push_str("</tbody></table>\n");
    let _ = writeln!(o, "<p class=\"exported\">{}</p>", esc(&m.exported));
    o.push_str("</section>\n");
    for n in m.notices() {
        notice(&mut o, lang, n, None);
    }
    page(m, &format!("{} {}", m.org_title, m.doc_title), &o)
}

/// Only the result sheets, one page each; `None` when nothing has been announced.
pub fn announcements(m: &Minutes) -> Option<String> {
    let mut o = String::new();
    for n in m.notices() {
        notice(&mut o, m.lang, n, Some(&esc(&m.chain.short)));
    }
    if o.is_empty() {
        return None;
    }
    Some(page(
        m,
        &format!("{} {}", m.org_title, m.labels.notices),
        &o,
    ))
}
