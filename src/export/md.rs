//! `huiwu export --format md`: the minutes as plain Markdown, for quick reading and diffing.
//! It prints no clock time other than the log's own, so the same log gives the same file.

use std::fmt::Write;

use super::minutes::{BallotSection, Minutes, Notice};
use super::table::Table;
use crate::i18n::Lang;

fn sep(lang: Lang) -> &'static str {
    lang.t(":", ": ")
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "; ")
}

pub fn table(o: &mut String, t: &Table) {
    let _ = writeln!(
        o,
        "| {} |",
        t.header
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let rule: Vec<&str> = (0..t.header.len())
        .map(|c| if t.numeric(c) { "---:" } else { "---" })
        .collect();
    let _ = writeln!(o, "| {} |", rule.join(" | "));
    for r in &t.rows {
        let cells: Vec<String> = r.iter().map(|c| cell(&c.display())).collect();
        let _ = writeln!(o, "| {} |", cells.join(" | "));
    }
    o.push('\n');
}

fn ballot(o: &mut String, m: &Minutes, b: &BallotSection) {
    let lang = m.lang;
    let mark = if b.announced || b.not_started {
        String::new()
    } else {
        format!(" 【{}】", m.labels.provisional_mark)
    };
    let _ = writeln!(o, "#### {}{mark}\n", b.label);
    let _ = writeln!(o, "{}\n", b.status_line);
    for r in &b.reopened {
        let _ = writeln!(
            o,
            "- {}{}{r}",
            lang.t("曾重新开启,理由", "Re-opened, reason"),
            sep(lang)
        );
    }
    if !b.reopened.is_empty() {
        o.push('\n');
    }
    if b.not_started {
        return;
    }
    if let Some(r) = &b.results {
        table(o, r);
    }
    table(o, &b.figures);
    if !b.staff.is_empty() {
        let s: Vec<String> = b
            .staff
            .iter()
            .map(|(k, v)| format!("{k}{}{v}", sep(lang)))
            .collect();
        let _ = writeln!(o, "{}\n", s.join(lang.t(";", "; ")));
    }
    if !b.announced && !b.sentences.is_empty() {
        let _ = writeln!(o, "{}\n", m.labels.draft);
    }
    for s in &b.sentences {
        let _ = writeln!(o, "> {s}");
    }
    if !b.sentences.is_empty() {
        o.push('\n');
    }
}

fn notice(o: &mut String, lang: Lang, n: &Notice) {
    let _ = writeln!(o, "### {}\n", n.heading);
    let _ = writeln!(o, "{}\n", n.org);
    for s in &n.sentences {
        let _ = writeln!(o, "{s}\n");
    }
    for (k, v) in &n.staff {
        let _ = writeln!(o, "- {k}{}{v}", sep(lang));
    }
    if !n.staff.is_empty() {
        o.push('\n');
    }
    let _ = writeln!(o, "{}\n", n.date);
    let _ = writeln!(o, "{}\n", n.chain);
}

pub fn render(m: &Minutes) -> String {
    let lang = m.lang;
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", m.org_title);
    let _ = writeln!(o, "## {}\n", m.doc_title);
    for (k, v) in &m.meta {
        let _ = writeln!(o, "- {k}{}{v}", sep(lang));
    }
    o.push('\n');
    let _ = writeln!(o, "{}\n", m.as_of);

    let _ = writeln!(o, "## {}\n", m.labels.attendance);
    let _ = writeln!(o, "{}\n", m.attendance.sentence);
    table(&mut o, &m.attendance.groups);
    for (k, v) in &m.attendance.lists {
        let _ = writeln!(o, "- {k}{}{v}", sep(lang));
    }
    if !m.attendance.lists.is_empty() {
        o.push('\n');
    }

    let _ = writeln!(o, "## {}\n", m.labels.proceedings);
    for it in &m.items {
        let _ = writeln!(o, "### {}{}\n", it.number, it.title);
        let _ = writeln!(o, "- {}{}{}", lang.t("类别", "Kind"), sep(lang), it.kind);
        if let Some(p) = &it.presenter {
            let _ = writeln!(
                o,
                "- {}{}{p}",
                lang.t("报告人/主持人", "Presenter"),
                sep(lang)
            );
        }
        let _ = writeln!(o, "- {}{}{}", lang.t("时间", "Time"), sep(lang), it.time);
        if !it.notes.is_empty() {
            let _ = writeln!(o, "- {}{}", m.labels.notes, lang.t(":", ":"));
            for (at, text) in &it.notes {
                let _ = writeln!(o, "  - {at} {}", text.replace('\n', " "));
            }
        }
        for r in &it.reasons {
            let _ = writeln!(o, "- {}{}{r}", m.labels.reasons, sep(lang));
        }
        o.push('\n');
        for &k in &it.ballots {
            ballot(&mut o, m, &m.ballots[k]);
        }
        for q in &it.questions {
            let _ = writeln!(o, "#### {}\n", q.heading);
            for (k, v) in &q.facts {
                let _ = writeln!(o, "- {k}{}{v}", sep(lang));
            }
            if !q.notes.is_empty() {
                let _ = writeln!(
                    o,
                    "- {}{}",
                    lang.t("答复要点", "Answer notes"),
                    lang.t(":", ":")
                );
                for (at, text) in &q.notes {
                    let _ = writeln!(o, "  - {at} {}", text.replace('\n', " "));
                }
            }
            o.push('\n');
        }
    }
    for c in m.commitments.iter().chain(&m.projects) {
        let _ = writeln!(o, "## {}\n", c.caption);
        table(&mut o, c);
    }

    let _ = writeln!(o, "## {}\n", m.labels.verification);
    let _ = writeln!(o, "{}\n", m.chain.line);
    let _ = writeln!(o, "{}{}{}\n", m.labels.full_hash, sep(lang), m.chain.hash);
    for (role, name) in &m.signatures {
        let name = if name.is_empty() { "__________" } else { name };
        let _ = writeln!(
            o,
            "{role}{}{name}    {}{}__________",
            sep(lang),
            m.labels.signature,
            sep(lang)
        );
        o.push('\n');
    }

    let notices: Vec<&Notice> = m.notices().collect();
    if !notices.is_empty() {
        let _ = writeln!(o, "## {}\n", m.labels.notices);
        for n in notices {
            notice(&mut o, lang, n);
        }
    }
    let _ = writeln!(o, "---\n\n{}\n", m.exported);
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}
