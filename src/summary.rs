//! The summary `huiwu check` prints for a session file that loads.

use std::fmt::Write;

use crate::domain::quorum::quorum_needed;
use crate::domain::session::{AgendaItemDef, ApprovalVote, ItemKind, QuorumRule, ReportMode};
use crate::i18n::Lang;
use crate::sessionfile::Loaded;

/// The kind of an agenda item as the agenda shows it; a 票荐 is not called a 票决 (§2.14).
pub fn item_kind_label(item: &AgendaItemDef, lang: Lang) -> &'static str {
    match item.ballot.as_ref().map(|b| b.vote) {
        Some(ApprovalVote::Recommend) => lang.t("票荐", "recommendation"),
        _ => kind_label(item.kind, item.mode, lang),
    }
}

pub fn kind_label(kind: ItemKind, mode: Option<ReportMode>, lang: Lang) -> &'static str {
    match (kind, mode) {
        (ItemKind::Procedural, _) => lang.t("程序", "procedural"),
        (ItemKind::Report, Some(ReportMode::Written)) => lang.t("书面报告", "written report"),
        (ItemKind::Report, _) => lang.t("报告", "report"),
        (ItemKind::Questioning, _) => lang.t("询问", "questioning"),
        (ItemKind::Ballot, _) => lang.t("票决", "ballot"),
        (ItemKind::Satisfaction, _) => lang.t("测评", "evaluation"),
        (ItemKind::Resolution, _) => lang.t("表决", "resolution"),
        (ItemKind::Speech, _) => lang.t("讲话", "speech"),
    }
}

pub fn quorum_label(rule: QuorumRule, lang: Lang) -> &'static str {
    match rule {
        QuorumRule::TwoThirds => lang.t("三分之二以上", "two-thirds or more"),
        QuorumRule::Majority => lang.t("过半数", "more than half"),
        QuorumRule::None => lang.t("不设", "none"),
    }
}

pub fn render(loaded: &Loaded, lang: Lang) -> String {
    let def = &loaded.def;
    let s = &def.session;
    let mut o = String::new();
    let zh = lang == Lang::Zh;
    let _ = writeln!(
        o,
        "{} {}",
        lang.t("会议文件", "Session file"),
        loaded.path.display()
    );
    let _ = writeln!(o, "  {}", s.title);
    let _ = writeln!(
        o,
        "  {}: {} · {} {} · {} {}",
        lang.t("机关", "Body"),
        s.body,
        if zh {
            format!("第{}届", s.term)
        } else {
            format!("term {}", s.term)
        },
        if zh {
            format!("第{}次会议", s.session)
        } else {
            format!("session {}", s.session)
        },
        s.date,
        s.start.as_deref().unwrap_or("")
    );
    let _ = writeln!(
        o,
        "  {}: {} · {}: {}",
        lang.t("地点", "Venue"),
        s.venue,
        lang.t("主持", "Chair"),
        s.chair
    );
    let total = def.deputies.len() as u32;
    let _ = writeln!(
        o,
        "  {}: {} ({} {})",
        lang.t("法定人数", "Quorum"),
        quorum_label(s.quorum, lang),
        lang.t("至少出席", "at least present:"),
        quorum_needed(s.quorum, total)
    );
    let groups = def.groups();
    let _ = writeln!(
        o,
        "{}: {} {}, {} {}",
        lang.t("代表", "Deputies"),
        total,
        lang.t("名", "in all"),
        groups.len(),
        lang.t("个代表小组", "groups")
    );
    for g in &groups {
        let n = def.deputies.iter().filter(|d| d.group == *g).count();
        let _ = writeln!(o, "  {g}: {n}");
    }
    let _ = writeln!(
        o,
        "{}: {} {}",
        lang.t("议程", "Agenda"),
        def.agenda.len(),
        lang.t("项", "items")
    );
    let mut by_kind: Vec<(&str, usize)> = Vec::new();
    for item in &def.agenda {
        let k = item_kind_label(item, lang);
        match by_kind.iter_mut().find(|(l, _)| *l == k) {
            Some((_, n)) => *n += 1,
            None => by_kind.push((k, 1)),
        }
    }
    let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(o, "  {}", kinds.join(" · "));
    for (i, item) in def.agenda.iter().enumerate() {
        let who = item.presenter.as_deref().unwrap_or("");
        let _ = writeln!(
            o,
            "  {:>2}. [{}] {} {} ({} {})",
            i + 1,
            item_kind_label(item, lang),
            item.title,
            who,
            item.minutes,
            lang.t("分钟", "min")
        );
        if let Some(b) = &item.ballot {
            let _ = writeln!(
                o,
                "      {} {} {}, {} {}{}",
                lang.t("候选项目", "candidates"),
                b.candidates.len(),
                lang.t("个", ""),
                lang.t("应选", "places"),
                b.places,
                if b.equal {
                    lang.t("(等额)", " (equal)")
                } else {
                    lang.t("(差额)", " (competitive)")
                }
            );
        }
        if let Some(q) = &item.questioning {
            let _ = writeln!(
                o,
                "      {} {}",
                lang.t("问题", "questions"),
                q.questions.len()
            );
        }
        match &item.satisfaction {
            Some(sa) if item.projects && sa.items.is_empty() => {
                let _ = writeln!(
                    o,
                    "      {}",
                    lang.t(
                        "测评对象:结转的民生实事项目(huiwu projects carry 或 projects_from)",
                        "items rated: the carried livelihood projects (huiwu projects carry or projects_from)"
                    )
                );
            }
            Some(sa) => {
                let _ = writeln!(
                    o,
                    "      {} {}",
                    lang.t("测评对象", "items rated"),
                    sa.items.len()
                );
            }
            None if item.projects => {
                let _ = writeln!(
                    o,
                    "      {}",
                    lang.t(
                        "报告对象:结转的民生实事项目",
                        "subjects: the carried livelihood projects"
                    )
                );
            }
            None => {}
        }
        if let Some(r) = &item.resolution {
            let _ = writeln!(
                o,
                "      {} {}",
                lang.t("表决事项", "motions"),
                r.motions.len()
            );
        }
    }
    let def = &loaded.def;
    if let Some(p) = &def.session.projects_from {
        let _ = writeln!(
            o,
            "{}: {p}",
            lang.t(
                "民生实事项目结转自(创建数据库时)",
                "livelihood projects carried from (when the database is made)"
            )
        );
    }
    if !def.supervision.is_empty() {
        let _ = writeln!(
            o,
            "{}: {}",
            lang.t("项目监督小组", "supervision groups"),
            def.supervision.len()
        );
        for g in &def.supervision {
            let name = |id: &str| def.deputy(id).map_or(id.to_string(), |d| d.name.clone());
            let _ = writeln!(
                o,
                "  {} [{}] {} {}{}",
                g.name.as_deref().unwrap_or(""),
                g.projects.join(", "),
                lang.t("组长", "leader"),
                name(&g.leader),
                if g.members.is_empty() {
                    String::new()
                } else {
                    format!(
                        " · {} {}",
                        lang.t("成员", "members"),
                        g.members
                            .iter()
                            .map(|m| name(m))
                            .collect::<Vec<_>>()
                            .join("、")
                    )
                }
            );
        }
    }
    if !loaded.warnings.is_empty() {
        let _ = writeln!(o, "{}:", lang.t("提醒", "Warnings"));
        for w in &loaded.warnings {
            let _ = writeln!(o, "  ! {}", w.get(lang));
        }
    }
    let _ = writeln!(o, "{}", lang.t("检查通过。", "OK."));
    o
}
