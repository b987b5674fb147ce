//! The JSON record's `projects`: the livelihood projects carried into the session, where they
//! came from, and what the session recorded of each.

use serde::Serialize;

use crate::domain::projects::{Group, ProjectStatus, Selection, SessionRef};
use crate::engine::Engine;
use crate::store::ts_text;

#[derive(Serialize)]
pub struct ProjectsOut {
    /// The database they were carried from, and its chain head then.
    pub carried_from: SessionRef,
    pub carried_from_head: String,
    pub carried_from_head_seq: u64,
    /// The entry of this session's chain that carried them, and when.
    pub carried_seq: u64,
    pub carried_at: String,
    /// Where they were selected (the 票决), and for which year.
    pub selection: Selection,
    pub list: Vec<ProjectOut>,
}

#[derive(Serialize)]
pub struct ChangeOut {
    pub seq: u64,
    pub at: String,
    pub from: ProjectStatus,
    pub to: ProjectStatus,
    pub note: String,
}

#[derive(Serialize)]
pub struct NoteOut {
    pub seq: u64,
    pub at: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct ProjectOut {
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
    pub rank: u32,
    pub yes: u32,
    pub round: String,
    pub status: ProjectStatus,
    pub status_zh: &'static str,
    pub supervision: Option<Group>,
    pub changes: Vec<ChangeOut>,
    pub notes: Vec<NoteOut>,
}

pub fn projects(engine: &Engine) -> Option<ProjectsOut> {
    let st = engine.state();
    let c = st.projects.carried.as_ref()?;
    Some(ProjectsOut {
        carried_from: c.from.clone(),
        carried_from_head: c.from_head.clone(),
        carried_from_head_seq: c.from_head_seq,
        carried_seq: c.seq,
        carried_at: ts_text(&c.at),
        selection: c.selection.clone(),
        list: st
            .projects
            .list
            .iter()
            .map(|p| ProjectOut {
                id: p.project.id.clone(),
                name: p.project.name.clone(),
                unit: p.project.unit.clone(),
                rank: p.project.rank,
                yes: p.project.yes,
                round: p.project.round.clone(),
                status: p.status,
                status_zh: p.status.zh(),
                supervision: st.project_group(p),
                changes: p
                    .changes
                    .iter()
                    .map(|x| ChangeOut {
                        seq: x.seq,
                        at: ts_text(&x.at),
                        from: x.from,
                        to: x.to,
                        note: x.note.clone(),
                    })
                    .collect(),
                notes: p
                    .notes
                    .iter()
                    .map(|x| NoteOut {
                        seq: x.seq,
                        at: ts_text(&x.at),
                        text: x.text.clone(),
                    })
                    .collect(),
            })
            .collect(),
    })
}
