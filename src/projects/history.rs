//! A year's history of the livelihood projects, gathered from the databases of the sessions
//! that selected, followed and rated them, in any order.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::domain::ballots::Announced;
use crate::domain::projects::{self, Group, ProjectStatus, SessionRef};
use crate::domain::satisfaction::{Grade, ItemCounts};
use crate::domain::session::{ApprovalVote, RateBase};
use crate::domain::state::SessionState;
use crate::engine::Engine;
use crate::i18n::Text;
use crate::text;

/// One database of the year.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub file: PathBuf,
    pub session: SessionRef,
    /// 第×次会议 (and 第×次全体会议), for names such as a sheet's.
    pub number: u32,
    pub plenary: Option<u32>,
    /// It selected the year's projects (held their 票决).
    pub selected: bool,
    /// It carried them and followed them (report, evaluation, status, notes).
    pub followed: bool,
}

impl SessionInfo {
    /// A short name: `2027-07-15 第六次会议`.
    pub fn short(&self) -> String {
        format!("{} {}", self.session.date, self.name())
    }

    /// `第六次会议`.
    pub fn name(&self) -> String {
        format!("第{}次会议", crate::domain::words::cn_num(self.number))
    }
}

/// Where and how a project was selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedAt {
    pub session: SessionRef,
    pub item_title: String,
    pub vote: ApprovalVote,
    pub places: u32,
    pub rank: u32,
    pub yes: u32,
    pub round: String,
}

/// One rating of a project: an evaluation announced at a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    /// Index into [`History::sessions`].
    pub session: usize,
    pub item_title: String,
    pub counts: ItemCounts,
    pub valid: u32,
    pub rate_base: RateBase,
    pub rate_denominator: u64,
    pub rate_permille: Option<u32>,
    pub grade: Option<Grade>,
}

impl Rating {
    pub fn rate_text(&self) -> Option<String> {
        self.rate_permille
            .map(crate::domain::satisfaction::format_permille)
    }
}

/// What happened to a project, dated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happened {
    Selected {
        rank: u32,
        yes: u32,
    },
    Carried,
    Status {
        from: ProjectStatus,
        to: ProjectStatus,
        note: String,
    },
    Note(String),
    Rated {
        rate: Option<String>,
        grade: Option<Grade>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// `YYYY-MM-DD HH:MM`.
    pub at: String,
    pub session: usize,
    pub what: Happened,
}

/// Where a project stood at the end of one session that followed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtSession {
    pub status: ProjectStatus,
    pub group: Option<Group>,
    pub notes: Vec<(String, String)>,
    pub changes: Vec<(String, ProjectStatus, ProjectStatus, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectHistory {
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
    pub selected: SelectedAt,
    /// As the latest session that followed it left them.
    pub group: Option<Group>,
    pub status: ProjectStatus,
    /// Per session (index into [`History::sessions`]), when that session followed it.
    pub at: Vec<Option<AtSession>>,
    pub ratings: Vec<Rating>,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone)]
pub struct History {
    pub body: String,
    pub year: u32,
    /// In date order.
    pub sessions: Vec<SessionInfo>,
    /// In the order of the selection (rank).
    pub projects: Vec<ProjectHistory>,
}

/// What one database holds of the projects of `year`s.
struct Source {
    info: SessionInfo,
    engine: Engine,
    /// Years of the projects it selected, and of those it carried.
    selected: BTreeSet<u32>,
    followed: Option<u32>,
    years: BTreeSet<u32>,
}

fn years_of(st: &SessionState, me: &SessionRef) -> BTreeSet<u32> {
    st.def
        .agenda
        .iter()
        .filter(|a| a.ballot.is_some())
        .filter_map(|a| projects::selection_of(st, me.clone(), Some(&a.id)).ok())
        .map(|(sel, _)| sel.year)
        .collect()
}

/// A carry still agrees with the databases it names that are in the report: the one it was
/// taken from holds the chain head it recorded, and the 票决 still selects the same projects
/// (a ballot re-opened and announced otherwise after the carry is named, never merged).
fn check_carry(s: &Source, sources: &[Source]) -> Result<(), Text> {
    let Some(c) = &s.engine.state().projects.carried else {
        return Ok(());
    };
    if let Some(from) = sources
        .iter()
        .find(|o| o.info.session.fingerprint == c.from.fingerprint)
    {
        let hash = from.engine.store().hash_of(c.from_head_seq).ok().flatten();
        if hash.as_deref() != Some(c.from_head.as_str()) {
            return Err(text!(
                format!(
                    "{} 结转项目时记下的 {} 事件链头(第 {} 条)与该数据库现有记录不符,不能合为一份报告",
                    s.info.file.display(),
                    from.info.file.display(),
                    c.from_head_seq
                ),
                format!(
                    "{} recorded a chain head of {} (entry {}) when it carried the projects that this database no longer holds; they cannot make one report",
                    s.info.file.display(),
                    from.info.file.display(),
                    c.from_head_seq
                )
            ));
        }
    }
    if let Some(origin) = sources
        .iter()
        .find(|o| o.info.session.fingerprint == c.selection.session.fingerprint)
    {
        let now = projects::selection_of(
            origin.engine.state(),
            origin.info.session.clone(),
            Some(&c.selection.item),
        )
        .map(|(_, l)| l.into_iter().map(|p| p.id).collect::<Vec<_>>())
        .unwrap_or_default();
        let then: Vec<String> = s
            .engine
            .state()
            .projects
            .list
            .iter()
            .map(|p| p.project.id.clone())
            .collect();
        if now != then {
            return Err(text!(
                format!(
                    "{} 结转的项目({})与 {} 现在的票决结果({})不同:票决在结转之后改变过,不能合为一份报告",
                    s.info.file.display(),
                    then.join("、"),
                    origin.info.file.display(),
                    now.join("、")
                ),
                format!(
                    "{} carried the projects {} but {} now selects {}: the ballot changed after the carry; they cannot make one report",
                    s.info.file.display(),
                    then.join(", "),
                    origin.info.file.display(),
                    now.join(", ")
                )
            ));
        }
    }
    Ok(())
}

fn list_of(items: &[(String, String)]) -> (String, String) {
    (
        items.iter().map(|(f, x)| format!("\n  {f}:{x}")).collect(),
        items.iter().map(|(f, x)| format!("\n  {f}: {x}")).collect(),
    )
}

/// Gather the history of `year`'s projects (the year every database shares when `None`) from
/// `paths`. Databases of different bodies or years are refused, each named.
pub fn gather(paths: &[PathBuf], year: Option<u32>) -> Result<History, Text> {
    if paths.is_empty() {
        return Err(text!(
            "请给出一年中各次会议的数据库",
            "name the databases of the year's sessions"
        ));
    }
    let mut sources: Vec<Source> = Vec::new();
    for p in paths {
        let engine = Engine::open_readonly(p).map_err(|e| {
            let t = e.text();
            text!(
                format!("{}:{}", p.display(), t.zh),
                format!("{}: {}", p.display(), t.en)
            )
        })?;
        let me = super::session_ref(&engine);
        if let Some(other) = sources
            .iter()
            .find(|s| s.info.session.fingerprint == me.fingerprint)
        {
            return Err(text!(
                format!(
                    "{} 与 {} 是同一次会议“{}”的数据库,只能给一次",
                    p.display(),
                    other.info.file.display(),
                    me.title
                ),
                format!(
                    "{} and {} are databases of the same session \"{}\"; give it once",
                    p.display(),
                    other.info.file.display(),
                    me.title
                )
            ));
        }
        let selected = years_of(engine.state(), &me);
        let followed = engine
            .state()
            .projects
            .carried
            .as_ref()
            .map(|c| c.selection.year);
        let mut years = selected.clone();
        years.extend(followed);
        let s = &engine.genesis().definition.session;
        let info = SessionInfo {
            file: p.clone(),
            number: s.session,
            plenary: s.plenary,
            session: me,
            selected: false,
            followed: false,
        };
        sources.push(Source {
            info,
            engine,
            selected,
            followed,
            years,
        });
    }
    let bodies: BTreeSet<&str> = sources
        .iter()
        .map(|s| s.info.session.body.as_str())
        .collect();
    if bodies.len() > 1 {
        let items: Vec<(String, String)> = sources
            .iter()
            .map(|s| {
                (
                    s.info.file.display().to_string(),
                    s.info.session.body.clone(),
                )
            })
            .collect();
        let (zh, en) = list_of(&items);
        return Err(text!(
            format!("这些数据库属于不同的人民代表大会,不能合为一份报告:{zh}"),
            format!("these databases belong to different bodies and cannot make one report:{en}")
        ));
    }
    for s in &sources {
        if s.years.is_empty() {
            return Err(text!(
                format!(
                    "{}(“{}”)没有民生实事项目:既没有已宣布结果的票决,也没有结转过项目",
                    s.info.file.display(),
                    s.info.session.title
                ),
                format!(
                    "{} (\"{}\") holds no livelihood projects: no announced ballot and nothing carried",
                    s.info.file.display(),
                    s.info.session.title
                )
            ));
        }
    }
    let year = match year {
        Some(y) => y,
        None => {
            let mut common: BTreeSet<u32> = sources[0].years.clone();
            for s in &sources[1..] {
                common = common.intersection(&s.years).copied().collect();
            }
            match common.len() {
                1 => *common.iter().next().expect("one year"),
                _ => {
                    let items: Vec<(String, String)> = sources
                        .iter()
                        .map(|s| {
                            (
                                s.info.file.display().to_string(),
                                s.years
                                    .iter()
                                    .map(|y| format!("{y}年度"))
                                    .collect::<Vec<_>>()
                                    .join("、"),
                            )
                        })
                        .collect();
                    let (zh, en) = list_of(&items);
                    return Err(if common.is_empty() {
                        text!(
                            format!("这些数据库属于不同年度的民生实事项目,不能合为一份报告:{zh}"),
                            format!(
                                "these databases hold the projects of different years and cannot make one report:{en}"
                            )
                        )
                    } else {
                        text!(
                            format!("这些数据库含有不止一个年度的项目,请用 --year 指定年度:{zh}"),
                            format!(
                                "these databases hold projects of more than one year; choose one with --year:{en}"
                            )
                        )
                    });
                }
            }
        }
    };
    if let Some(s) = sources.iter().find(|s| !s.years.contains(&year)) {
        return Err(text!(
            format!(
                "{}(“{}”)没有{year}年度的民生实事项目",
                s.info.file.display(),
                s.info.session.title
            ),
            format!(
                "{} (\"{}\") holds no projects for {year}",
                s.info.file.display(),
                s.info.session.title
            )
        ));
    }
    for s in &mut sources {
        s.info.selected = s.selected.contains(&year);
        s.info.followed = s.followed == Some(year);
    }
    for s in &sources {
        check_carry(s, &sources)?;
    }
    sources.sort_by(|a, b| {
        (a.info.session.date.as_str(), a.info.session.title.as_str())
            .cmp(&(b.info.session.date.as_str(), b.info.session.title.as_str()))
    });
    let body = sources[0].info.session.body.clone();
    let mut out: Vec<ProjectHistory> = Vec::new();
    let n = sources.len();
    // Selections first (a 票决 database or a carry, whichever comes), then what each session
    // that followed the projects recorded, in date order.
    for (si, s) in sources.iter().enumerate() {
        let st = s.engine.state();
        let mut found: Vec<(projects::Selection, Vec<projects::CarriedProject>, bool)> = Vec::new();
        for a in st.def.agenda.iter().filter(|a| a.ballot.is_some()) {
            if let Ok((sel, list)) = projects::selection_of(st, s.info.session.clone(), Some(&a.id))
                && sel.year == year
            {
                found.push((sel, list, true));
            }
        }
        if let Some(c) = &st.projects.carried
            && c.selection.year == year
        {
            let list = st.projects.list.iter().map(|p| p.project.clone()).collect();
            found.push((c.selection.clone(), list, false));
        }
        for (sel, list, here) in found {
            for p in list {
                let key = (&sel.session.fingerprint, &sel.item, &p.id);
                if out.iter().any(|h| {
                    (
                        &h.selected.session.fingerprint,
                        &h.selected.round_item(),
                        &h.id,
                    ) == key
                }) {
                    continue;
                }
                let mut events = Vec::new();
                if here && let Some(at) = announced_at(st, &p.round) {
                    events.push(Event {
                        at,
                        session: si,
                        what: Happened::Selected {
                            rank: p.rank,
                            yes: p.yes,
                        },
                    });
                }
                out.push(ProjectHistory {
                    events,
                    ..ProjectHistory::new(&sel, &p, n)
                });
            }
        }
    }
    for (si, s) in sources.iter().enumerate() {
        let st = s.engine.state();
        let Some(c) = &st.projects.carried else {
            continue;
        };
        if c.selection.year != year {
            continue;
        }
        for p in &st.projects.list {
            let found = out.iter().position(|h| {
                h.selected.session.fingerprint == c.selection.session.fingerprint
                    && h.selected.round_item() == c.selection.item
                    && h.id == p.project.id
            });
            // Every carried project has its entry from the first pass; never drop one.
            let k = found.unwrap_or_else(|| {
                out.push(ProjectHistory::new(&c.selection, &p.project, n));
                out.len() - 1
            });
            let h = &mut out[k];
            let ts = short_ts;
            h.events.push(Event {
                at: ts(&c.at),
                session: si,
                what: Happened::Carried,
            });
            for ch in &p.changes {
                h.events.push(Event {
                    at: ts(&ch.at),
                    session: si,
                    what: Happened::Status {
                        from: ch.from,
                        to: ch.to,
                        note: ch.note.clone(),
                    },
                });
            }
            for nt in &p.notes {
                h.events.push(Event {
                    at: ts(&nt.at),
                    session: si,
                    what: Happened::Note(nt.text.clone()),
                });
            }
            let group = st.project_group(p);
            h.status = p.status;
            if group.is_some() {
                h.group = group.clone();
            }
            h.at[si] = Some(AtSession {
                status: p.status,
                group,
                notes: p
                    .notes
                    .iter()
                    .map(|x| (ts(&x.at), x.text.clone()))
                    .collect(),
                changes: p
                    .changes
                    .iter()
                    .map(|x| (ts(&x.at), x.from, x.to, x.note.clone()))
                    .collect(),
            });
            for r in ratings_of(st, si, &p.project.id) {
                let at = r.1.clone();
                h.events.push(Event {
                    at,
                    session: si,
                    what: Happened::Rated {
                        rate: r.0.rate_text(),
                        grade: r.0.grade,
                    },
                });
                h.ratings.push(r.0);
            }
        }
    }
    for h in &mut out {
        h.events.sort_by(|a, b| a.at.cmp(&b.at));
    }
    out.sort_by_key(|h| (h.selected.session.date.clone(), h.selected.rank));
    Ok(History {
        body,
        year,
        sessions: sources.into_iter().map(|s| s.info).collect(),
        projects: out,
    })
}

impl ProjectHistory {
    /// A project as its selection names it, before any session's record.
    fn new(sel: &projects::Selection, p: &projects::CarriedProject, sessions: usize) -> Self {
        ProjectHistory {
            id: p.id.clone(),
            name: p.name.clone(),
            unit: p.unit.clone(),
            selected: SelectedAt {
                session: sel.session.clone(),
                item_title: sel.item_title.clone(),
                vote: sel.vote,
                places: sel.places,
                rank: p.rank,
                yes: p.yes,
                round: p.round.clone(),
            },
            group: p.group.clone(),
            status: p.status.unwrap_or_default(),
            at: vec![None; sessions],
            ratings: Vec::new(),
            events: Vec::new(),
        }
    }
}

impl SelectedAt {
    /// The ballot item the round belongs to (`vote#2` → `vote`).
    pub fn round_item(&self) -> String {
        self.round
            .split('#')
            .next()
            .unwrap_or(&self.round)
            .to_string()
    }
}

fn announced_at(st: &SessionState, ballot: &str) -> Option<String> {
    st.ballots
        .get(ballot)
        .and_then(|b| b.announced_at)
        .map(|t| short_ts(&t))
}

/// The announced ratings of project `id` at this session: one per evaluation that rates the
/// projects, from its last announced round (a void round's repeat replaces it).
fn ratings_of(st: &SessionState, si: usize, id: &str) -> Vec<(Rating, String)> {
    let mut out = Vec::new();
    for (i, a) in st.def.agenda.iter().enumerate() {
        let Some(sd) = a.satisfaction.as_ref().filter(|_| a.projects) else {
            continue;
        };
        let last = st
            .ballots
            .rounds_of(i)
            .filter(|r| matches!(r.announced, Some(Announced::Satisfaction { .. })))
            .last();
        let Some(r) = last else {
            continue;
        };
        let Some(Announced::Satisfaction {
            valid,
            rate_base,
            items,
            ..
        }) = &r.announced
        else {
            continue;
        };
        for it in items {
            let Some(def_idx) = r.candidates.get(it.index) else {
                continue;
            };
            if sd.items.get(*def_idx).map(|x| x.id.as_str()) != Some(id) {
                continue;
            }
            out.push((
                Rating {
                    session: si,
                    item_title: a.title.clone(),
                    counts: it.counts,
                    valid: *valid,
                    rate_base: *rate_base,
                    rate_denominator: it.rate_denominator,
                    rate_permille: it.rate_permille,
                    grade: it.grade,
                },
                r.announced_at.map(|t| short_ts(&t)).unwrap_or_default(),
            ));
        }
    }
    out
}

/// The report's default file name in `dir`: `projects-2027.html`.
pub fn default_path(dir: &Path, year: u32, ext: &str) -> PathBuf {
    dir.join(format!("projects-{year}.{ext}"))
}

pub use crate::domain::time::short_ts;
