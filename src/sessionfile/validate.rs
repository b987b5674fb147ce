//! Checks beyond the file's shape: the rules a session must satisfy before it can run.
//! Each refusal carries the key path it is about, located in the file by the caller.

use std::collections::{HashMap, HashSet};

use crate::domain::hygiene;
use crate::domain::session::{AgendaItemDef, ItemKind, SessionDef};
use crate::i18n::Text;
use crate::text;

use super::locate::{Seg, key};

type Refusal = (Vec<Seg>, Text);

fn refuse(path: Vec<Seg>, zh: String, en: String) -> Result<(), Refusal> {
    Err((path, Text::new(zh, en)))
}

fn nonempty(path: Vec<Seg>, value: &str, zh_name: &str) -> Result<(), Refusal> {
    if value.trim().is_empty() {
        let en = crate::sessionfile::locate::render_path(&path);
        return refuse(
            path,
            format!("{zh_name}不能为空"),
            format!("{en} must not be empty"),
        );
    }
    Ok(())
}

/// Unique ids of items, candidates, rated items, motions and questions: `[A-Za-z0-9_-]`, so
/// that no id a user writes can take the form of one the program derives (`vote#2`, `res/m1`).
fn ids<'a>(
    base: &[Seg],
    list: impl Iterator<Item = &'a str>,
    what_zh: &str,
) -> Result<(), Refusal> {
    let mut seen = HashSet::new();
    for (i, id) in list.enumerate() {
        let mut p = base.to_vec();
        p.push(Seg::Index(i));
        p.push(key("id"));
        if !hygiene::is_user_id(id) {
            return refuse(
                p,
                format!(
                    "{what_zh}编号“{}”只能由英文字母、数字、下划线(_)和连字符(-)组成,最多 {} 个字符",
                    hygiene::printable(id),
                    hygiene::ID_MAX
                ),
                format!(
                    "id \"{}\" may hold only letters A-Z a-z, digits, _ and -, at most {}",
                    hygiene::printable(id),
                    hygiene::ID_MAX
                ),
            );
        }
        // Ids differing only in case would name the same export file on Windows and macOS.
        if !seen.insert(id.to_ascii_lowercase()) {
            return refuse(
                p,
                format!("{what_zh}编号“{id}”重复(不区分大小写)"),
                format!("duplicate id \"{id}\" (ids are compared ignoring case)"),
            );
        }
    }
    Ok(())
}

/// Deputies' ids come from rosters exported from Excel: any printable text without spaces.
fn deputy_ids<'a>(base: &[Seg], list: impl Iterator<Item = &'a str>) -> Result<(), Refusal> {
    let mut seen = HashSet::new();
    for (i, id) in list.enumerate() {
        let mut p = base.to_vec();
        p.push(Seg::Index(i));
        p.push(key("id"));
        if id.trim().is_empty()
            || id.chars().any(|c| c.is_whitespace() || c.is_control())
            || id.chars().count() > hygiene::ID_MAX
        {
            return refuse(
                p,
                format!(
                    "代表编号“{}”不能为空,不能含空格或控制字符,最多 {} 个字符",
                    hygiene::printable(id),
                    hygiene::ID_MAX
                ),
                format!(
                    "id \"{}\" must be non-empty, without spaces or control characters, at most {}",
                    hygiene::printable(id),
                    hygiene::ID_MAX
                ),
            );
        }
        let what_zh = "代表";
        if !seen.insert(id) {
            return refuse(
                p,
                format!("{what_zh}编号“{id}”重复"),
                format!("duplicate id \"{id}\""),
            );
        }
    }
    Ok(())
}

/// Check and complete a definition (e.g. fill a question's group from its deputy).
pub fn check(def: &mut SessionDef) -> Result<Vec<Text>, Refusal> {
    let mut warnings = Vec::new();
    let s = &def.session;
    let sp = |k: &str| vec![key("session"), key(k)];
    nonempty(sp("body"), &s.body, "机关名称")?;
    nonempty(sp("title"), &s.title, "会议名称")?;
    nonempty(sp("venue"), &s.venue, "会议地点")?;
    nonempty(sp("chair"), &s.chair, "主持人")?;
    if s.term == 0 {
        refuse(
            sp("term"),
            "届次必须大于 0".into(),
            "term must be at least 1".into(),
        )?;
    }
    if s.session == 0 {
        refuse(
            sp("session"),
            "会次必须大于 0".into(),
            "session must be at least 1".into(),
        )?;
    }
    if chrono::NaiveDate::parse_from_str(&s.date, "%Y-%m-%d").is_err() {
        let shaped = s.date.len() == 10
            && s.date.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if shaped {
            refuse(
                sp("date"),
                format!("日期“{}”不存在,请写一个真实的日期,例如 2026-07-28", s.date),
                format!(
                    "there is no date \"{}\"; write an existing date as YYYY-MM-DD, e.g. 2026-07-28",
                    s.date
                ),
            )?;
        }
        refuse(
            sp("date"),
            format!("日期“{}”应写成 YYYY-MM-DD,例如 2026-07-28", s.date),
            format!("date \"{}\" must be YYYY-MM-DD, e.g. 2026-07-28", s.date),
        )?;
    }
    if let Some(start) = &s.start
        && chrono::NaiveTime::parse_from_str(start, "%H:%M").is_err()
    {
        refuse(
            sp("start"),
            format!("开始时间“{start}”应写成 HH:MM,例如 14:30"),
            format!("start \"{start}\" must be HH:MM, e.g. 14:30"),
        )?;
    }

    let rp = || vec![key("roster"), key("deputies")];
    deputy_ids(&rp(), def.deputies.iter().map(|d| d.id.as_str()))?;
    for (i, d) in def.deputies.iter().enumerate() {
        nonempty(
            vec![key("roster"), key("deputies"), Seg::Index(i), key("name")],
            &d.name,
            "姓名",
        )?;
        nonempty(
            vec![key("roster"), key("deputies"), Seg::Index(i), key("group")],
            &d.group,
            "代表小组",
        )?;
    }
    let groups: HashSet<&str> = def.deputies.iter().map(|d| d.group.as_str()).collect();
    let group_of: HashMap<&str, &str> = def
        .deputies
        .iter()
        .map(|d| (d.id.as_str(), d.group.as_str()))
        .collect();

    if def.agenda.is_empty() {
        refuse(
            vec![key("agenda")],
            "议程为空:至少需要一个 [[agenda]] 项".into(),
            "the agenda is empty: add at least one [[agenda]] item".into(),
        )?;
    }
    ids(
        &[key("agenda")],
        def.agenda.iter().map(|a| a.id.as_str()),
        "议程",
    )?;

    let mut filled_groups: Vec<(usize, usize, String)> = Vec::new();
    for (i, item) in def.agenda.iter().enumerate() {
        let ip = |rest: &[&str]| {
            let mut p = vec![key("agenda"), Seg::Index(i)];
            p.extend(rest.iter().map(|k| key(k)));
            p
        };
        nonempty(ip(&["title"]), &item.title, "议程标题")?;
        if item.minutes > 600 {
            refuse(
                ip(&["minutes"]),
                format!("计划时长 {} 分钟不合理(最多 600)", item.minutes),
                format!(
                    "{} planned minutes is not plausible (at most 600)",
                    item.minutes
                ),
            )?;
        }
        check_sections(item, &ip)?;
        if item.projects && !matches!(item.kind, ItemKind::Report | ItemKind::Satisfaction) {
            refuse(
                ip(&["projects"]),
                "只有报告和满意度测评议程才能写 projects = true(接收结转的民生实事项目)".into(),
                "only a report or an evaluation can take the carried projects (projects = true)"
                    .into(),
            )?;
        }
        if item.mode.is_some() && item.kind != ItemKind::Report {
            refuse(
                ip(&["mode"]),
                "只有报告(kind = \"report\")才有 mode(口头/书面)".into(),
                "only reports (kind = \"report\") have a mode (oral/written)".into(),
            )?;
        }
        if let Some(b) = &item.ballot {
            ids(
                &ip(&["ballot", "candidates"]),
                b.candidates.iter().map(|c| c.id.as_str()),
                "候选项目",
            )?;
            for (j, c) in b.candidates.iter().enumerate() {
                let mut p = ip(&["ballot", "candidates"]);
                p.extend([Seg::Index(j), key("name")]);
                nonempty(p, &c.name, "候选项目名称")?;
            }
            let n = b.candidates.len();
            let places = b.places as usize;
            if places == 0 {
                refuse(
                    ip(&["ballot", "places"]),
                    "应选名额必须大于 0".into(),
                    "places must be at least 1".into(),
                )?;
            }
            if b.equal && n != places {
                refuse(
                    ip(&["ballot", "places"]),
                    format!("等额票决:候选项目数 {n} 应等于应选名额 {places}"),
                    format!(
                        "an equal (等额) ballot needs as many candidates ({n}) as places ({places})"
                    ),
                )?;
            }
            if !b.equal && n <= places {
                refuse(
                    ip(&["ballot", "places"]),
                    format!(
                        "差额票决:候选项目数 {n} 应多于应选名额 {places}(等额请写 equal = true)"
                    ),
                    format!(
                        "a competitive (差额) ballot needs more candidates ({n}) than places ({places}); write equal = true for an equal ballot"
                    ),
                )?;
            }
        }
        if let Some(s) = &item.satisfaction {
            if s.items.is_empty() && !item.projects {
                refuse(
                    ip(&["satisfaction", "items"]),
                    "测评对象为空".into(),
                    "no items to rate".into(),
                )?;
            }
            ids(
                &ip(&["satisfaction", "items"]),
                s.items.iter().map(|x| x.id.as_str()),
                "测评对象",
            )?;
        }
        if let Some(r) = &item.resolution {
            if r.motions.is_empty() {
                refuse(
                    ip(&["resolution", "motions"]),
                    "表决事项为空".into(),
                    "no motions to vote on".into(),
                )?;
            }
            ids(
                &ip(&["resolution", "motions"]),
                r.motions.iter().map(|x| x.id.as_str()),
                "表决事项",
            )?;
        }
        if let Some(q) = &item.questioning {
            ids(
                &ip(&["questioning", "questions"]),
                q.questions.iter().map(|x| x.id.as_str()),
                "问题",
            )?;
            let mut per_group: HashMap<String, u32> = HashMap::new();
            for (j, qu) in q.questions.iter().enumerate() {
                let qp = |k: &str| {
                    let mut p = ip(&["questioning", "questions"]);
                    p.extend([Seg::Index(j), key(k)]);
                    p
                };
                nonempty(qp("topic"), &qu.topic, "问题主题")?;
                let Some(g) = group_of.get(qu.deputy.as_str()) else {
                    return Err((
                        qp("deputy"),
                        text!(
                            format!("提问代表“{}”不在花名册中", qu.deputy),
                            format!("asking deputy \"{}\" is not on the roster", qu.deputy)
                        ),
                    ));
                };
                let group = match &qu.group {
                    Some(g) if !groups.contains(g.as_str()) => {
                        return Err((
                            qp("group"),
                            text!(
                                format!("代表小组“{g}”不在花名册中"),
                                format!("group \"{g}\" is not a group of the roster")
                            ),
                        ));
                    }
                    Some(g) => g.clone(),
                    None => {
                        filled_groups.push((i, j, g.to_string()));
                        g.to_string()
                    }
                };
                for (k, v) in [
                    ("name", &qu.respondent.name),
                    ("post", &qu.respondent.post),
                    ("unit", &qu.respondent.unit),
                ] {
                    let mut p = qp("respondent");
                    p.push(key(k));
                    nonempty(p, v, "应询人信息")?;
                }
                *per_group.entry(group).or_default() += 1;
            }
            if let Some(max) = q.max_per_group {
                let mut over: Vec<_> = per_group.iter().filter(|(_, n)| **n > max).collect();
                over.sort();
                for (g, n) in over {
                    warnings.push(text!(
                        format!(
                            "议程“{}”:{g} 有 {n} 个问题,超过每组 {max} 个的限额",
                            item.title
                        ),
                        format!(
                            "item \"{}\": {g} has {n} questions, over the limit of {max} per group",
                            item.title
                        )
                    ));
                }
            }
        }
    }
    check_supervision(def, &mut warnings)?;
    for (i, j, g) in filled_groups {
        if let Some(q) = def.agenda[i].questioning.as_mut() {
            q.questions[j].group = Some(g);
        }
    }
    Ok(warnings)
}

/// `[[supervision]]`: every leader and member on the roster and named once in the group, each
/// project in one group. The projects themselves are known only when carried: the carry
/// checks that each group's projects are among them.
fn check_supervision(def: &SessionDef, warnings: &mut Vec<Text>) -> Result<(), Refusal> {
    if def.supervision.is_empty() {
        return Ok(());
    }
    if !def.agenda.iter().any(|a| a.projects) {
        warnings.push(text!(
            "写有 [[supervision]] 监督小组,但没有议程写 projects = true,项目无处结转",
            "[[supervision]] groups are given but no item has projects = true to carry the projects into"
        ));
    }
    let mut taken: HashMap<&str, usize> = HashMap::new();
    for (i, g) in def.supervision.iter().enumerate() {
        let gp = |k: &str| vec![key("supervision"), Seg::Index(i), key(k)];
        if g.projects.is_empty() {
            refuse(
                gp("projects"),
                "监督小组没有写负责的项目(projects = [\"P01\"])".into(),
                "the group follows no project (projects = [\"P01\"])".into(),
            )?;
        }
        for p in &g.projects {
            if !hygiene::is_user_id(p) {
                refuse(
                    gp("projects"),
                    format!(
                        "项目编号“{}”只能由英文字母、数字、_ 和 - 组成",
                        hygiene::printable(p)
                    ),
                    format!(
                        "project id \"{}\" may hold only letters, digits, _ and -",
                        hygiene::printable(p)
                    ),
                )?;
            }
            if let Some(j) = taken.insert(p.as_str(), i) {
                refuse(
                    gp("projects"),
                    format!(
                        "项目“{p}”已由第 {} 个监督小组负责,一个项目只设一个监督小组",
                        j + 1
                    ),
                    format!(
                        "project \"{p}\" is already followed by group {}; a project has one group",
                        j + 1
                    ),
                )?;
            }
        }
        let mut seen: HashSet<&str> = HashSet::new();
        for (k, id) in std::iter::once(&g.leader).chain(&g.members).enumerate() {
            let at = if k == 0 { gp("leader") } else { gp("members") };
            if def.deputy(id).is_none() {
                refuse(
                    at.clone(),
                    format!("监督小组成员“{id}”不在花名册中(写代表编号)"),
                    format!("group member \"{id}\" is not on the roster (write the deputy's id)"),
                )?;
            }
            if !seen.insert(id.as_str()) {
                refuse(
                    at,
                    format!("代表“{id}”在同一监督小组中出现了两次"),
                    format!("deputy \"{id}\" is named twice in the same group"),
                )?;
            }
        }
        if let Some(n) = &g.name {
            nonempty(gp("name"), n, "监督小组名称")?;
        }
    }
    Ok(())
}

/// Each kind has its own sub-table and no other.
fn check_sections(item: &AgendaItemDef, ip: &dyn Fn(&[&str]) -> Vec<Seg>) -> Result<(), Refusal> {
    let present = [
        ("ballot", item.ballot.is_some(), ItemKind::Ballot),
        (
            "questioning",
            item.questioning.is_some(),
            ItemKind::Questioning,
        ),
        (
            "satisfaction",
            item.satisfaction.is_some(),
            ItemKind::Satisfaction,
        ),
        (
            "resolution",
            item.resolution.is_some(),
            ItemKind::Resolution,
        ),
    ];
    for (name, has, kind) in present {
        if has && item.kind != kind {
            return refuse(
                ip(&[name]),
                format!("[agenda.{name}] 只能用于 kind = \"{name}\" 的议程"),
                format!("[agenda.{name}] belongs only to an item of kind = \"{name}\""),
            );
        }
        if !has && item.kind == kind {
            return refuse(
                ip(&["kind"]),
                format!("kind = \"{name}\" 的议程需要 [agenda.{name}] 小节"),
                format!("an item of kind = \"{name}\" needs an [agenda.{name}] section"),
            );
        }
    }
    Ok(())
}
