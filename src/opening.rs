//! Opening a session: the database from the session file, and what a new session brings in
//! from earlier ones named in it — the open commitments (`followups_from`) and the projects its
//! 票决 selected (`projects_from`). Both are checked before the database is made, so a refusal
//! leaves nothing behind; the engine itself knows nothing of earlier sessions.

use std::path::Path;

use crate::domain::state::SessionState;
use crate::engine::{Clock, Engine, ExecError};
use crate::i18n::Text;
use crate::sessionfile::Loaded;
use crate::store::{self, StoreError};
use crate::text;

/// Open the database of a session file, creating it on first use and then carrying in what
/// the file names from earlier sessions. A database made for a different definition is
/// refused untouched.
pub fn open_session(
    loaded: &Loaded,
    db: &Path,
    station: &str,
    clock: Box<dyn Clock>,
) -> Result<Engine, StoreError> {
    // An earlier session named in the file must be readable before anything is created.
    let previous = loaded
        .def
        .session
        .followups_from
        .as_ref()
        .map(|rel| loaded.path.parent().unwrap_or(Path::new(".")).join(rel));
    let creating = !db.exists();
    if creating && let Some(p) = &previous {
        Engine::open_readonly(p).map_err(|e| {
            let t = e.text();
            StoreError::Refused(text!(
                format!(
                    "无法读取上次会议的数据库 {}(followups_from):{}",
                    p.display(),
                    t.zh
                ),
                format!(
                    "cannot read the earlier session's database {} (followups_from): {}",
                    p.display(),
                    t.en
                )
            ))
        })?;
    }
    // The projects an earlier session selected, checked before anything is created.
    let projects_from = loaded
        .def
        .session
        .projects_from
        .as_ref()
        .map(|rel| loaded.path.parent().unwrap_or(Path::new(".")).join(rel));
    let carry = match (&projects_from, creating) {
        (Some(p), true) => {
            let fp = store::fingerprint(&loaded.def);
            let refused = |t: Text| {
                StoreError::Refused(text!(
                    format!(
                        "未创建数据库:会议文件的 projects_from 不能结转项目:{}",
                        t.zh
                    ),
                    format!(
                        "the database was not created: the session file's projects_from cannot carry the projects: {}",
                        t.en
                    )
                ))
            };
            let (action, _, _) =
                crate::projects::carry_action(&loaded.def, &fp, p, None).map_err(refused)?;
            let mut scratch = SessionState::new(loaded.def.clone());
            scratch.apply(1, &action, clock.now()).map_err(refused)?;
            Some(action)
        }
        _ => None,
    };
    let mut engine = Engine::open_definition(loaded, db, station, clock)?;
    if creating && let Some(p) = previous {
        // Nothing open to carry is not an error at creation.
        let _ = crate::followups::carry(&mut engine, &p, None);
    }
    if let Some(action) = carry {
        engine.execute(action).map_err(|e| match e {
            ExecError::Store(s) => s,
            ExecError::Refused(t) => StoreError::Refused(t),
        })?;
    }
    Ok(engine)
}
