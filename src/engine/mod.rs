//! The engine joins the pure session state to the store: every action is checked by the
//! domain rules and recorded in one transaction, committed before anyone is told it happened.

use std::path::{Path, PathBuf};

use crate::domain::action::{Action, Ts};
use crate::domain::state::SessionState;
use crate::i18n::Text;
use crate::sessionfile::Loaded;
use crate::store::witness::Witness;
use crate::store::{self, Genesis, Recorded, Store, StoreError};
use crate::text;

pub mod projection;

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
    /// Set once the record failed a check while open: nothing more is written.
    broken: Option<Text>,
    /// The chain head after every commit, on another medium (optional).
    witness: Option<Witness>,
    /// The last failure to write the witness (the action itself was recorded).
    witness_error: Option<Text>,
    /// Whether this open made the database (else it resumed one), and how many entries it
    /// held when opened: the console says so, so a wrong folder never looks like lost data.
    created: bool,
    entries_at_open: u64,
    /// When the database was made: a rehearsal made for a later date runs on its own day.
    genesis_at: Option<Ts>,
}

/// How far ahead of the PC's clock an entry may be dated (a rehearsal script's times, a clock
/// a little behind). An entry dated years ahead would freeze every later time at its own.
const AHEAD_AT_MOST: chrono::Duration = chrono::Duration::days(1);

/// Default database path: the session file's name with `.db`, next to the session file —
/// whatever folder the command runs in, the same session finds the same database.
pub fn default_db_path(session_file: &Path) -> PathBuf {
    session_file.with_extension("db")
}

impl Engine {
    /// Open the database of a session file, creating it from the definition on first use. A
    /// database made for a different definition is refused untouched. What a new session
    /// brings in from earlier ones (commitments, projects) is `crate::opening`'s.
    pub fn open_definition(
        loaded: &Loaded,
        db: &Path,
        station: &str,
        clock: Box<dyn Clock>,
    ) -> Result<Engine, StoreError> {
        let creating = !db.exists();
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
        // The projects carried in are the rated items the file leaves out.
        let want = store::fingerprint(&engine.carried_into(&loaded.def));
        // The definition in force: the first one, or the last amendment.
        if store::fingerprint(&engine.state.def) != want {
            let theirs = &engine.genesis.definition.session;
            let ours = &loaded.def.session;
            let same_meeting = theirs.title == ours.title && theirs.date == ours.date;
            return Err(StoreError::Refused(if same_meeting {
                let review =
                    crate::domain::amend::review(&engine.state, &engine.carried_into(&loaded.def));
                let list = |lang: crate::i18n::Lang| {
                    review
                        .changes
                        .iter()
                        .take(12)
                        .map(|t| format!("\n  · {}", t.get(lang)))
                        .collect::<String>()
                };
                let file = loaded.path.display();
                text!(
                    format!(
                        "会议文件在数据库 {} 记录之后被修改过,为保证记录一致,未打开。改动如下:{}\n如确需修订,请运行 huiwu amend {file} --reason \"理由\"(改动将逐项核对并记录在案);否则请恢复原文件",
                        db.display(),
                        list(crate::i18n::Lang::Zh)
                    ),
                    format!(
                        "the session file changed after database {} recorded it; it was not opened so the record stays consistent. What changed:{}\nTo amend, run huiwu amend {file} --reason \"why\" (each change is checked and recorded); else restore the file",
                        db.display(),
                        list(crate::i18n::Lang::En)
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
        engine.created = creating;
        Ok(engine)
    }

    /// Open an existing database and replay its log.
    pub fn open(db: &Path, station: &str, clock: Box<dyn Clock>) -> Result<Engine, StoreError> {
        Self::from_opened(Store::open(db, station)?, clock, db)
    }

    /// Open for reading only (projector, export): never writes.
    pub fn open_readonly(db: &Path) -> Result<Engine, StoreError> {
        Self::from_opened(Store::open_readonly(db)?, Box::new(SystemClock), db)
    }

    fn from_opened(
        opened: store::Opened,
        clock: Box<dyn Clock>,
        db: &Path,
    ) -> Result<Engine, StoreError> {
        let store::Opened {
            store,
            genesis,
            events,
            migrated_from,
        } = opened;
        let mut engine = Engine {
            state: SessionState::new(genesis.definition.clone()),
            store,
            genesis,
            clock,
            path: db.to_path_buf(),
            data_version: 0,
            log: Vec::new(),
            broken: None,
            witness: None,
            witness_error: None,
            created: false,
            entries_at_open: 0,
            genesis_at: None,
        };
        engine.genesis_at = engine.store.genesis_at()?;
        engine.data_version = engine.store.data_version()?;
        engine.replay(events)?;
        engine.entries_at_open = engine.store.head().0;
        if migrated_from.is_some() {
            // Tables added or widened by the migration are filled from the log.
            let tx = engine.store.conn().unchecked_transaction()?;
            projection::rebuild(&tx, &engine.genesis.definition, &engine.log)?;
            tx.commit()?;
        }
        Ok(engine)
    }

    fn broken_at(&self, seq: u64, t: &Text) -> StoreError {
        StoreError::Broken {
            path: self.path.display().to_string(),
            seq,
            why: text!(
                format!("第 {seq} 条事件不符合规则:{}", t.zh),
                format!("entry {seq} breaks the rules: {}", t.en)
            ),
        }
    }

    /// Apply actions read from the log (already checked link by link) to the state.
    fn replay(&mut self, events: Vec<Recorded>) -> Result<(), StoreError> {
        for ev in events {
            if let Err(t) = self.state.apply(ev.seq, &ev.action, ev.at) {
                return Err(self.broken_at(ev.seq, &t));
            }
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

    /// Take time from `clock` from now on (a rehearsal replayed at its real times starts the
    /// database at its first time, then carries on in real time).
    pub fn set_clock(&mut self, clock: Box<dyn Clock>) {
        self.clock = clock;
    }

    /// Write as station `station` from now on (a paired station writes under its own name).
    pub fn set_station(&mut self, station: &str) {
        self.store.set_station(station);
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The chain head as people write it down: `#1234 3F2A-9C1B-77D0-E4A5`.
    pub fn head_text(&self) -> String {
        self.store.head_text()
    }

    /// A session file's definition as this database holds it: with the projects carried in
    /// as the rated items of the evaluations that take them.
    pub fn carried_into(
        &self,
        def: &crate::domain::session::SessionDef,
    ) -> crate::domain::session::SessionDef {
        let list: Vec<_> = self
            .state
            .projects
            .list
            .iter()
            .map(|p| p.project.clone())
            .collect();
        crate::domain::projects::filled(def, &list)
    }

    /// What amending the session to `new` would change, and what the record refuses.
    pub fn review_amendment(
        &self,
        new: &crate::domain::session::SessionDef,
    ) -> crate::domain::amend::Review {
        crate::domain::amend::review(&self.state, new)
    }

    /// Whether this open created the database, and how many entries it held when opened.
    pub fn opened(&self) -> (bool, u64) {
        (self.created, self.entries_at_open)
    }

    /// Why the record is not trusted any more, once a check failed while it was open.
    pub fn broken(&self) -> Option<&Text> {
        self.broken.as_ref()
    }

    /// Write the chain head after every commit to `path` as well (another medium). An existing
    /// witness must agree with the database.
    pub fn set_witness(&mut self, path: &Path) -> Result<(), Text> {
        let (seq, hash) = self.store.head();
        let w = Witness::open(
            path,
            self.store.conn(),
            &self.genesis.fingerprint,
            (seq, hash),
        )?;
        self.witness = Some(w);
        Ok(())
    }

    /// The last failure to write the witness file, if the latest write failed.
    pub fn witness_error(&self) -> Option<&Text> {
        self.witness_error.as_ref()
    }

    /// Now, never earlier than the last entry: a PC clock set back during the meeting does not
    /// make the record go backwards.
    pub fn now(&self) -> Ts {
        let now = self.clock.now();
        match self.state.last_at {
            Some(last) if last > now => last,
            _ => now,
        }
    }

    /// Record `action` now.
    pub fn execute(&mut self, action: Action) -> Result<u64, ExecError> {
        self.record(vec![action], None, None)
            .map(|s| s[0])
            .map_err(|(_, e)| e)
    }

    /// Check `action` against the rules and record it as happening at `at`, in one
    /// transaction. Returns the event's sequence number once COMMIT has returned. A time
    /// earlier than the last entry's is refused.
    pub fn execute_at(&mut self, action: Action, at: Ts) -> Result<u64, ExecError> {
        self.record(vec![action], Some(at), None)
            .map(|s| s[0])
            .map_err(|(_, e)| e)
    }

    /// Record several actions in ONE transaction: all of them, or none (a refusal of any one
    /// rolls everything back and names it by its position).
    pub fn execute_all(
        &mut self,
        actions: Vec<Action>,
        at: Ts,
    ) -> Result<Vec<u64>, (usize, ExecError)> {
        self.record(actions, Some(at), None)
    }

    /// Record a station's pairing with its secret key, in one transaction: the key goes into
    /// the keys table beside the log, never into the log or an export.
    pub fn execute_keyed(
        &mut self,
        action: Action,
        station: &str,
        key_hex: &str,
    ) -> Result<u64, ExecError> {
        self.record(vec![action], None, Some((station, key_hex)))
            .map(|s| s[0])
            .map_err(|(_, e)| e)
    }

    fn record(
        &mut self,
        actions: Vec<Action>,
        at: Option<Ts>,
        secret: Option<(&str, &str)>,
    ) -> Result<Vec<u64>, (usize, ExecError)> {
        if let Some(t) = &self.broken {
            return Err((0, ExecError::Refused(t.clone())));
        }
        // An amendment's definition meets the rules of a session file, wherever it came from.
        for (i, a) in actions.iter().enumerate() {
            if let Action::AmendSession { definition, .. } = a
                && let Err(t) = crate::sessionfile::check_definition(definition)
            {
                return Err((i, ExecError::Refused(t)));
            }
        }
        let station = self.store.station().to_string();
        let (mut w, news) = match self.store.begin() {
            Ok(x) => x,
            Err(e) => return Err((0, fail(&mut self.broken, e))),
        };
        // Another terminal may have written since we last looked: apply its events first.
        for ev in news {
            if let Err(t) = self.state.apply(ev.seq, &ev.action, ev.at) {
                let e = {
                    let path = self.path.display().to_string();
                    StoreError::Broken {
                        path,
                        seq: ev.seq,
                        why: text!(
                            format!("第 {} 条事件不符合规则:{}", ev.seq, t.zh),
                            format!("entry {} breaks the rules: {}", ev.seq, t.en)
                        ),
                    }
                };
                drop(w);
                return Err((0, fail(&mut self.broken, e)));
            }
            self.log.push(ev);
        }
        // The definition's own time counts too: nothing is recorded before the database was made.
        let last_at = w.last_at();
        let at = match at {
            Some(at) => {
                if let Some(last) = last_at
                    && at < last
                {
                    drop(w);
                    return Err((
                        0,
                        ExecError::Refused(text!(
                            format!(
                                "时间 {} 早于上一条记录({}):记录的时间不能倒退",
                                store::ts_text(&at),
                                store::ts_text(&last)
                            ),
                            format!(
                                "the time {} is earlier than the last entry ({}): the record cannot go back in time",
                                store::ts_text(&at),
                                store::ts_text(&last)
                            )
                        )),
                    ));
                }
                // Measured from the PC's clock, or from the database's own making when it was
                // made for a later day (a rehearsal of that day's meeting).
                let from = match self.genesis_at {
                    Some(g) if g > self.clock.now() => g,
                    _ => self.clock.now(),
                };
                if at > from + AHEAD_AT_MOST {
                    drop(w);
                    return Err((
                        0,
                        ExecError::Refused(text!(
                            format!(
                                "时间 {} 比本机时钟({})超前一天以上:不予记录(请核对脚本中的时间或本机时钟)",
                                store::ts_text(&at),
                                store::ts_text(&from)
                            ),
                            format!(
                                "the time {} is more than a day ahead of this PC's clock ({}): not recorded (check the script's times or the clock)",
                                store::ts_text(&at),
                                store::ts_text(&from)
                            )
                        )),
                    ));
                }
                at
            }
            None => {
                let now = self.clock.now();
                match last_at {
                    Some(last) if last > now => last,
                    _ => now,
                }
            }
        };
        let before = self.log.len();
        let mut seqs = Vec::with_capacity(actions.len());
        let mut failure = None;
        // A refusal leaves the state as it was (the rules check before they change anything);
        // only an action applied in memory and then not committed calls for a rebuild.
        let mut applied = false;
        for (i, action) in actions.into_iter().enumerate() {
            let seq = w.last_seq() + 1;
            if let Err(t) = self.state.apply(seq, &action, at) {
                failure = Some((i, ExecError::Refused(t)));
                break;
            }
            applied = true;
            let written = w.append(at, &action).and_then(|s| {
                projection::write(w.tx(), &action, &self.state, s, w.last_hash()).map(|_| s)
            });
            match written {
                Ok(s) => {
                    seqs.push(s);
                    self.log.push(Recorded {
                        seq: s,
                        at,
                        station: station.clone(),
                        action,
                        hash: w.last_hash().to_string(),
                    });
                }
                Err(e) => {
                    failure = Some((i, e.into()));
                    break;
                }
            }
        }
        if failure.is_none()
            && let Some((station, key)) = secret
            && let Err(e) = w.tx().execute(
                "INSERT INTO station_keys(station, key) VALUES (?1, ?2)",
                rusqlite::params![station, key],
            )
        {
            failure = Some((0, ExecError::Store(e.into())));
        }
        let outcome = match failure {
            None => match w.commit() {
                Ok((seq, hash)) => {
                    self.witness_error = None;
                    if let Some(wit) = &mut self.witness
                        && let Err(t) = wit.record(seq, &hash)
                    {
                        self.witness_error = Some(t);
                    }
                    Ok(seqs)
                }
                Err(e) => Err((0, e.into())),
            },
            Some(f) => {
                drop(w);
                Err(f)
            }
        };
        if outcome.is_err() && applied {
            // Some actions were applied in memory but none is on disk: rebuild from the log.
            self.log.truncate(before);
            if let Err(e) = self.reload() {
                return Err((0, fail(&mut self.broken, e)));
            }
        }
        outcome
    }

    /// Rebuild the state from the log (after a failed write).
    fn reload(&mut self) -> Result<(), StoreError> {
        let opened = if self
            .store
            .conn()
            .is_readonly(rusqlite::MAIN_DB)
            .unwrap_or(false)
        {
            Store::open_readonly(&self.path)?
        } else {
            Store::open(&self.path, self.store.station())?
        };
        self.state = SessionState::new(self.genesis.definition.clone());
        self.log.clear();
        self.store = opened.store;
        self.replay(opened.events)
    }

    /// Pick up events other processes committed. Returns whether anything changed.
    /// Cheap when nothing did: one `PRAGMA data_version`. A record found broken is an error
    /// here and from then on.
    pub fn refresh(&mut self) -> Result<bool, StoreError> {
        if let Some(t) = &self.broken {
            return Err(StoreError::Refused(t.clone()));
        }
        let v = self.store.data_version()?;
        if v == self.data_version {
            return Ok(false);
        }
        self.data_version = v;
        let news = match self.store.read_new() {
            Ok(n) => n,
            Err(e) => {
                if matches!(e, StoreError::Broken { .. }) {
                    self.broken = Some(e.text());
                }
                return Err(e);
            }
        };
        if news.is_empty() {
            return Ok(false);
        }
        if let Err(e) = self.replay(news) {
            self.broken = Some(e.text());
            return Err(e);
        }
        Ok(true)
    }

    /// Every recorded action, oldest first (the log screen, the minutes).
    pub fn log(&self) -> &[Recorded] {
        &self.log
    }
}

/// A failed check of the record: remember it, so nothing more is written.
fn fail(broken: &mut Option<Text>, e: StoreError) -> ExecError {
    if matches!(e, StoreError::Broken { .. }) {
        *broken = Some(e.text());
    }
    ExecError::Store(e)
}

#[cfg(test)]
mod tests;
