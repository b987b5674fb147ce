//! `huiwu projects …`: carry the selected livelihood projects into a later session, list them,
//! and report their year.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use huiwu::engine::{Engine, SystemClock};
use huiwu::i18n::Lang;
use huiwu::projects::{self, history};
use huiwu::sessionfile;

use super::{fail, say};

pub fn projects_carry(
    from: &Path,
    db: &Path,
    session: Option<&Path>,
    item: Option<&str>,
    lang: Lang,
) -> ExitCode {
    let mut fresh = super::Fresh::new(db);
    let engine = match session {
        Some(s) => sessionfile::load(s)
            .map_err(|e| e.render(lang))
            .and_then(|l| match &l.def.session.projects_from {
                // Its creation would carry from there, before this command could.
                Some(p) if !db.exists() => Err(match lang {
                    Lang::Zh => format!(
                        "{} 写有 projects_from = \"{p}\":创建数据库时即从该处结转。请直接运行 huiwu run 或 huiwu apply,或删去 projects_from 后再用本命令",
                        s.display()
                    ),
                    Lang::En => format!(
                        "{} names projects_from = \"{p}\": its database carries from there when it is made. Run huiwu run or huiwu apply, or remove projects_from to use this command",
                        s.display()
                    ),
                }),
                _ => Ok(l),
            })
            .and_then(|l| {
                huiwu::opening::open_session(&l, db, "main", Box::new(SystemClock))
                    .map_err(|e| e.text().get(lang).to_string())
            }),
        None => Engine::open(db, "main", Box::new(SystemClock))
            .map_err(|e| e.text().get(lang).to_string()),
    };
    let mut engine = match engine {
        Ok(e) => e,
        Err(m) => return fail(&m),
    };
    match projects::carry(&mut engine, from, item) {
        Ok(c) => {
            fresh.keep();
            let def = &engine.state().def;
            let items: Vec<String> = c
                .items
                .iter()
                .filter_map(|id| def.item(id))
                .map(|a| match lang {
                    Lang::Zh => format!("〔{}〕", a.title),
                    Lang::En => format!("[{}]", a.title),
                })
                .collect();
            let s = &c.selection;
            say(&match lang {
                Lang::Zh => format!(
                    "已从“{}”({})“{}”结转{}年度民生实事项目 {} 项至{}(第 {} 条记录);事件链头 {}",
                    s.session.title,
                    s.session.date,
                    s.item_title,
                    s.year,
                    c.projects.len(),
                    items.join(""),
                    c.seq,
                    engine.head_text()
                ),
                Lang::En => format!(
                    "{} livelihood projects for {} carried from \"{}\" ({}), \"{}\", into {} (entry {}); chain head {}",
                    c.projects.len(),
                    s.year,
                    s.session.title,
                    s.session.date,
                    s.item_title,
                    items.join(" "),
                    c.seq,
                    engine.head_text()
                ),
            });
            for p in &c.projects {
                say(&match lang {
                    Lang::Zh => format!(
                        "  ({}) {} {}{} 赞成票{}票",
                        p.rank,
                        p.id,
                        p.name,
                        p.unit
                            .as_deref()
                            .map(|u| format!("({u})"))
                            .unwrap_or_default(),
                        p.yes
                    ),
                    Lang::En => format!(
                        "  ({}) {} {}{}: {} yes",
                        p.rank,
                        p.id,
                        p.name,
                        p.unit
                            .as_deref()
                            .map(|u| format!(" ({u})"))
                            .unwrap_or_default(),
                        p.yes
                    ),
                });
            }
            if s.unfilled > 0 {
                say(&match lang {
                    Lang::Zh => format!(
                        "票决应选 {} 项,尚有 {} 个名额未选出。",
                        s.places, s.unfilled
                    ),
                    Lang::En => format!(
                        "The ballot had {} places; {} were left unfilled.",
                        s.places, s.unfilled
                    ),
                });
            }
            ExitCode::SUCCESS
        }
        Err(t) => fail(t.get(lang)),
    }
}

pub fn projects_list(db: &Path, lang: Lang) -> ExitCode {
    let engine = match Engine::open_readonly(db) {
        Ok(e) => e,
        Err(e) => return fail(e.text().get(lang)),
    };
    let st = engine.state();
    let Some(c) = &st.projects.carried else {
        say(lang.t(
            "本次会议尚未结转民生实事项目(huiwu projects carry --from 上次会议.db --db 本次会议.db)。",
            "No projects carried into this session yet (huiwu projects carry --from EARLIER.db --db THIS.db).",
        ));
        return ExitCode::SUCCESS;
    };
    say(&match lang {
        Lang::Zh => format!(
            "{}年度民生实事项目 {} 项,选自“{}”({}),结转自“{}”(其记录至第 {} 条)",
            c.selection.year,
            st.projects.list.len(),
            c.selection.session.title,
            c.selection.session.date,
            c.from.title,
            c.from_head_seq
        ),
        Lang::En => format!(
            "{} livelihood projects for {}, selected at \"{}\" ({}), carried from \"{}\" (its record up to entry {})",
            st.projects.list.len(),
            c.selection.year,
            c.selection.session.title,
            c.selection.session.date,
            c.from.title,
            c.from_head_seq
        ),
    });
    for p in &st.projects.list {
        let group = st.project_group(p).map_or_else(
            || lang.t("未设监督小组", "no group").to_string(),
            |g| g.describe(lang),
        );
        say(&format!(
            "  ({}) {} {} · {} · {}",
            p.project.rank,
            p.project.id,
            p.project.name,
            p.status.label(lang),
            group
        ));
        for n in &p.notes {
            say(&format!("      {} {}", history::short_ts(&n.at), n.text));
        }
    }
    ExitCode::SUCCESS
}

pub fn projects_report(
    dbs: &[PathBuf],
    output: Option<&Path>,
    year: Option<u32>,
    lang: Lang,
) -> ExitCode {
    let h = match history::gather(dbs, year) {
        Ok(h) => h,
        Err(t) => return fail(t.get(lang)),
    };
    let exported = history::short_ts(&chrono::Local::now().fixed_offset());
    let ext = output
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let (html, xlsx) = match (output, ext.as_deref()) {
        (None, _) => (
            Some(history::default_path(Path::new("."), h.year, "html")),
            Some(history::default_path(Path::new("."), h.year, "xlsx")),
        ),
        (Some(p), Some("html" | "htm")) => (Some(p.to_path_buf()), None),
        (Some(p), Some("xlsx")) => (None, Some(p.to_path_buf())),
        (Some(p), _) => {
            return fail(&match lang {
                Lang::Zh => format!("{}:报告只能写成 .xlsx 或 .html", p.display()),
                Lang::En => format!("{}: the report is written as .xlsx or .html", p.display()),
            });
        }
    };
    if let Some(p) = &html
        && let Err(e) = std::fs::write(p, projects::to_html(&h, &exported))
    {
        return fail(&format!("{}: {e}", p.display()));
    }
    if let Some(p) = &xlsx
        && let Err(t) = projects::write_xlsx(&h, p)
    {
        return fail(t.get(lang));
    }
    say(&match lang {
        Lang::Zh => format!(
            "{}{}年度民生实事项目 {} 项,汇总自 {} 次会议:",
            h.body,
            h.year,
            h.projects.len(),
            h.sessions.len()
        ),
        Lang::En => format!(
            "{} livelihood projects of {} for {}, from {} sessions:",
            h.projects.len(),
            h.body,
            h.year,
            h.sessions.len()
        ),
    });
    for p in html.iter().chain(xlsx.iter()) {
        say(&format!(
            "  {} {}",
            lang.t("已导出:", "written:"),
            p.display()
        ));
    }
    ExitCode::SUCCESS
}
