//! 民生实事项目 across the year (issue 16): carry the projects an earlier session selected into
//! a later one (`huiwu projects carry`), and gather their history from a year's databases
//! (`huiwu projects report`).

use std::path::Path;

use crate::domain::action::Action;
use crate::domain::projects::{self, CarriedProject, Selection, SessionRef};
use crate::domain::session::SessionDef;
use crate::engine::{Engine, ExecError};
use crate::i18n::Text;
use crate::text;

pub mod history;
mod report_html;
mod report_xlsx;

pub use report_html::to_html;
pub use report_xlsx::write_xlsx;

/// The session a database holds, as the projects name it.
pub fn session_ref(engine: &Engine) -> SessionRef {
    let s = &engine.genesis().definition.session;
    SessionRef {
        body: s.body.clone(),
        title: s.title.clone(),
        date: s.date.clone(),
        fingerprint: engine.genesis().fingerprint.clone(),
    }
}

/// What a carry did.
#[derive(Debug, Clone)]
pub struct Carry {
    pub seq: u64,
    pub selection: Selection,
    pub projects: Vec<CarriedProject>,
    /// The items that took them.
    pub items: Vec<String>,
}

/// The entry that carries the final selection of `previous`'s 票决 (its ballot `item` when it
/// held several) into a session defined by `here` (fingerprint `here_fp`), checked against
/// what the earlier record allows; the later session's own rules check it again when applied.
pub fn carry_action(
    here: &SessionDef,
    here_fp: &str,
    previous: &Path,
    item: Option<&str>,
) -> Result<(Action, Selection, Vec<CarriedProject>), Text> {
    let prev = Engine::open_readonly(previous).map_err(|e| {
        let t = e.text();
        text!(
            format!("无法读取上次会议的数据库 {}:{}", previous.display(), t.zh),
            format!(
                "cannot read the earlier session's database {}: {}",
                previous.display(),
                t.en
            )
        )
    })?;
    let from = session_ref(&prev);
    if from.fingerprint == here_fp {
        return Err(text!(
            format!(
                "{} 就是本次会议的数据库(或其副本),不能从本次会议结转",
                previous.display()
            ),
            format!(
                "{} is this session's own database (or a copy of it): a session cannot carry from itself",
                previous.display()
            )
        ));
    }
    let here = &here.session;
    if from.body != here.body {
        return Err(text!(
            format!(
                "{} 是“{}”的会议,本次会议属于“{}”,不能结转",
                previous.display(),
                from.body,
                here.body
            ),
            format!(
                "{} is a session of \"{}\", this one of \"{}\"; nothing can be carried",
                previous.display(),
                from.body,
                here.body
            )
        ));
    }
    if from.date.as_str() > here.date.as_str() {
        return Err(text!(
            format!(
                "{} 的会议日期 {} 晚于本次会议 {}:只能从此前的会议结转",
                previous.display(),
                from.date,
                here.date
            ),
            format!(
                "{} is dated {}, after this session ({}): projects are carried from an earlier session only",
                previous.display(),
                from.date,
                here.date
            )
        ));
    }
    let (selection, list) = projects::selection_of(prev.state(), from.clone(), item)?;
    let (head_seq, head_hash) = prev.store().head();
    let action = Action::CarryProjects {
        from,
        from_head_seq: head_seq,
        from_head: head_hash.to_string(),
        selection: selection.clone(),
        projects: list.clone(),
    };
    Ok((action, selection, list))
}

/// Carry the projects of `previous` into `engine`'s items marked `projects = true`: one entry
/// of the chain, naming the earlier database's fingerprint and chain head. Refused as a
/// whole, saying why.
pub fn carry(engine: &mut Engine, previous: &Path, item: Option<&str>) -> Result<Carry, Text> {
    let fp = engine.genesis().fingerprint.clone();
    let (action, selection, list) = carry_action(&engine.state().def, &fp, previous, item)?;
    let items = projects::target_items(&engine.state().def)
        .into_iter()
        .map(|i| engine.state().def.agenda[i].id.clone())
        .collect();
    let seq = engine.execute(action).map_err(|e: ExecError| e.text())?;
    Ok(Carry {
        seq,
        selection,
        projects: list,
        items,
    })
}
