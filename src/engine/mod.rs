//! The engine joins the pure session state to the store: every action is checked by the
//! domain rules and recorded in one transaction, committed before anyone is told it happened.

use std::path::{Path, PathBuf};

use crate::domain::action::{Action, Ts};
use crate::domain::state::SessionState;
use crate::i18n::Text;
use crate::sessionfile::Loaded;
use crate::store::{self, Genesis, Recorded, Store, StoreError};
use crate::text;

mod projection;

pub use projection::{status_name, verdict_name};

/// Where time comes from; tests inject a fixed or stepping clock.
pub trait Clock {
    fn now(&self) -> Ts;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Ts {
        chrono::Local::now().fixed_offset()
    }
}

/// A clock the caller moves by hand (tests, scripted rehearsals).
#[derive(Clone)]
pub struct ManualClock(std::rc::Rc<std::cell::Cell<Ts>>);

impl ManualClock {
    pub fn new(at: Ts) -> Self {
        ManualClock(std::rc::Rc::new(std::cell::Cell::new(at)))
    }
    pub fn set(&self, at: Ts) {
        self.0.set(at);
    }
    pub fn advance(&self, secs: i64) {
        self.0.set(self.0.get() + chrono::Duration::seconds(secs));
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Ts {
        self.0.get()
    }
}

/// Why an action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// A rule refused it; nothing was written.
    #[error("{0}")]
    Refused(Text),
    /// The database failed; nothing was acknowledged.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ExecError {
    pub fn text(&self) -> Text {
        match self {
            ExecError::Refused(t) => t.clone(),
            ExecError::Store(e) => e.text(),
        }
    }
}

pub struct Engine {
    store: Store,
    state: SessionState,
    genesis: Genesis,
    clock: Box<dyn Clock>,
    path: PathBuf,
    data_version: i64,
    /// Every recorded action, oldest first: the log screen and the minutes read this.
    log: Vec<Recorded>,
}

/// Default database path: the session file's name with `.db`, in the current directory.
pub fn default_db_path(session_file: &Path) -> PathBuf {
    let stem = session_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "session".into());
    PathBuf::from(format!("{stem}.db"))
}

impl Engine {
    /// Open the database of a session file, creating it on first use. A database made for a
    /// different definition is refused untouched.
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
        if !db.exists() {
            let source = loaded
                .path
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let store = Store::create(db, &loaded.def, &source, clock.now(), station)?;
            drop(store);
        }
        let engine = Engine::open(db, station, clock)?;
        let want = store::fingerprint(&loaded.def);
        if engine.genesis.fingerprint != want {
            let theirs = &engine.genesis.definition.session;
            let ours = &loaded.def.session;
            let same_meeting = theirs.title == ours.title && theirs.date == ours.date;
            return Err(StoreError::Refused(if same_meeting {
                text!(
                    format!(
                        "会议文件在建立数据库 {} 之后被修改过,为保证记录一致,拒绝打开。请恢复原文件,或用 --db 指定新的数据库",
                        db.display()
                    ),
                    format!(
                        "the session file changed after database {} was made; refusing to mix them. Restore the file or use --db for a new database",
                        db.display()
                    )
                )
            } else {
                text!(
                    format!(
                        "数据库 {} 属于另一次会议“{}”({}),未作改动",
                        db.display(),
                        theirs.title,
                        engine.genesis.source
                    ),
                    format!(
                        "database {} belongs to another session, \"{}\" ({}); it was left untouched",
                        db.display(),
                        theirs.title,
                        engine.genesis.source
                    )
                )
            }));
        }
        let mut engine = engine;
        if creating && let Some(p) = previous {
            // Nothing open to carry is not an error at creation.
            let _ = crate::followups::carry(&mut engine, &p, None);
        }
        Ok(engine)
    }

    /// Open an existing database and replay its log.
    pub fn open(db: &Path, station: &str, clock: Box<dyn Clock>) -> Result<Engine, StoreError> {
        let (store, genesis) = Store::open(db, station)?;
        Self::from_store(store, genesis, clock, db)
    }

    /// Open for reading only (projector, export): never writes.
    pub fn open_readonly(db: &Path) -> Result<Engine, StoreError> {
        let (store, genesis) = Store::open_readonly(db)?;
        Self::from_store(store, genesis, Box::new(SystemClock), db)
    }

    fn from_store(
        store: Store,
        genesis: Genesis,
        clock: Box<dyn Clock>,
        db: &Path,
    ) -> Result<Engine, StoreError> {
        let mut engine = Engine {
            state: SessionState::new(genesis.definition.clone()),
            store,
            genesis,
            clock,
            path: db.to_path_buf(),
            data_version: 0,
            log: Vec::new(),
        };
        engine.data_version = engine.store.data_version()?;
        let events = engine.store.events_after(0)?;
        engine.replay(events)?;
        Ok(engine)
    }

    fn replay(&mut self, events: Vec<Recorded>) -> Result<(), StoreError> {
        for ev in events {
            self.state
                .apply(ev.seq, &ev.action, ev.at)
                .map_err(|t| StoreError::Corrupt {
                    seq: ev.seq,
                    why: format!("the rules refuse it on replay: {}", t.en),
                })?;
            self.log.push(ev);
        }
        Ok(())
    }

    pub fn state(&self) -> &SessionState {
        &self.state
    }

    pub fn genesis(&self) -> &Genesis {
        &self.genesis
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn now(&self) -> Ts {
        self.clock.now()
    }

    /// Record `action` now.
    pub fn execute(&mut self, action: Action) -> Result<u64, ExecError> {
        let at = self.clock.now();
        self.execute_at(action, at)
    }

    /// Check `action` against the rules and record it as happening at `at`, in one
    /// transaction. Returns the event's sequence number once COMMIT has returned.
    pub fn execute_at(&mut self, action: Action, at: Ts) -> Result<u64, ExecError> {
        let mut w = self.store.begin()?;
        // Another terminal may have written since we last looked: apply its events first.
        if w.last_seq() != self.state.seq {
            let news = w.events_after(self.state.seq)?;
            for ev in news {
                self.state
                    .apply(ev.seq, &ev.action, ev.at)
                    .map_err(|t| StoreError::Corrupt {
                        seq: ev.seq,
                        why: format!("the rules refuse it: {}", t.en),
                    })?;
                self.log.push(ev);
            }
        }
        let seq = w.last_seq() + 1;
        // A refusal drops `w`, rolling back: nothing is written.
        self.state
            .apply(seq, &action, at)
            .map_err(ExecError::Refused)?;
        let written = (|| {
            let s = w.append(at, &action)?;
            projection::write(w.tx(), &action, &self.state, s)?;
            w.commit()
        })();
        match written {
            Ok(s) => {
                self.log.push(Recorded {
                    seq: s,
                    at,
                    station: self.store.station().to_string(),
                    action,
                });
                Ok(s)
            }
            Err(e) => {
                // The state was changed in memory but not on disk: rebuild it from the log.
                self.reload()?;
                Err(e.into())
            }
        }
    }

    /// Record several actions in ONE transaction: all of them, or none (a refusal of any one
    /// rolls everything back and names it by its position).
    pub fn execute_all(
        &mut self,
        actions: Vec<Action>,
        at: Ts,
    ) -> Result<Vec<u64>, (usize, ExecError)> {
        let station = self.store.station().to_string();
        let mut w = self.store.begin().map_err(|e| (0, e.into()))?;
        if w.last_seq() != self.state.seq {
            let news = w.events_after(self.state.seq).map_err(|e| (0, e.into()))?;
            for ev in news {
                self.state.apply(ev.seq, &ev.action, ev.at).map_err(|t| {
                    (
                        0,
                        ExecError::Store(StoreError::Corrupt {
                            seq: ev.seq,
                            why: format!("the rules refuse it: {}", t.en),
                        }),
                    )
                })?;
                self.log.push(ev);
            }
        }
        let before = self.log.len();
        let mut seqs = Vec::with_capacity(actions.len());
        let mut failure = None;
        for (i, action) in actions.into_iter().enumerate() {
            let seq = w.last_seq() + 1;
            if let Err(t) = self.state.apply(seq, &action, at) {
                failure = Some((i, ExecError::Refused(t)));
                break;
            }
            let written = w
                .append(at, &action)
                .and_then(|s| projection::write(w.tx(), &action, &self.state, s).map(|_| s));
            match written {
                Ok(s) => {
                    seqs.push(s);
                    self.log.push(Recorded {
                        seq: s,
                        at,
                        station: station.clone(),
                        action,
                    });
                }
                Err(e) => {
                    failure = Some((i, e.into()));
                    break;
                }
            }
        }
        let outcome = match failure {
            None => w.commit().map(|_| seqs).map_err(|e| (0, e.into())),
            Some(f) => {
                drop(w);
                Err(f)
            }
        };
        if outcome.is_err() {
            // Some actions were applied in memory but none is on disk: rebuild from the log.
            self.log.truncate(before);
            self.reload().map_err(|e| (0, e.into()))?;
        }
        outcome
    }

    /// Rebuild the state from the log (after a failed write).
    fn reload(&mut self) -> Result<(), StoreError> {
        self.state = SessionState::new(self.genesis.definition.clone());
        self.log.clear();
        let events = self.store.events_after(0)?;
        self.replay(events)
    }

    /// Pick up events other processes committed. Returns whether anything changed.
    /// Cheap when nothing did: one `PRAGMA data_version`.
    pub fn refresh(&mut self) -> Result<bool, StoreError> {
        let v = self.store.data_version()?;
        if v == self.data_version {
            return Ok(false);
        }
        self.data_version = v;
        let news = self.store.events_after(self.state.seq)?;
        if news.is_empty() {
            return Ok(false);
        }
        self.replay(news)?;
        Ok(true)
    }

    /// Every recorded action, oldest first (the log screen, the minutes).
    pub fn log(&self) -> &[Recorded] {
        &self.log
    }
}

#[cfg(test)]
mod tests;
