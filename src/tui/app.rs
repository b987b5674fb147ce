//! The console's state and its reaction to keys. No terminal here: tests drive `App` directly
//! and render it to a test backend.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};

use crate::domain::action::Action;
use crate::domain::quorum::Presence;
use crate::domain::state::ItemStatus;
use crate::engine::Engine;
use crate::i18n::Lang;
use crate::tui::confirm::{Confirm, Then};
use crate::tui::input::{Edit, TextInput};
use crate::tui::keys::{self, Cmd, Screen};

/// What a text prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Note {
        item: String,
    },
    SkipReason {
        item: String,
    },
    ReopenReason {
        item: String,
    },
    Issued {
        ballot: String,
    },
    Returned {
        ballot: String,
    },
    VoidReason {
        ballot: String,
        marks: String,
    },
    AllExcept,
    CorrectSerial {
        ballot: String,
    },
    CorrectReason {
        ballot: String,
        serial: String,
        marks: String,
    },
    StrikeSerial {
        ballot: String,
    },
    StrikeReason {
        ballot: String,
        serial: String,
    },
    Staff {
        ballot: String,
    },
    Totals {
        ballot: String,
    },
    ReopenBallot {
        ballot: String,
    },
    AnswerNote {
        item: String,
        question: String,
    },
    Rating {
        item: String,
        question: String,
    },
    Commitment {
        item: String,
        question: String,
    },
    WithdrawQ {
        item: String,
        question: String,
    },
    /// The questioner is away: who asks instead (empty: defer).
    Substitute {
        item: String,
        question: String,
    },
    DeferQ {
        item: String,
        question: String,
    },
    RestoreQ {
        item: String,
        question: String,
    },
    AddQuestion {
        item: String,
    },
    CommitmentNote {
        id: String,
    },
    ProjectStatus {
        project: String,
        status: crate::domain::projects::ProjectStatus,
    },
    ProjectNote {
        project: String,
    },
    ProjectGroup {
        project: String,
    },
    ImportBatches,
    DoubleFirst,
    DoubleSecond {
        first: String,
    },
    DoubleRuling,
    /// The folder the scanner saves to, for the ballot on the desk.
    ScanFolder {
        ballot: String,
    },
    /// Who rules on the doubtful scans of this sitting.
    Adjudicator {
        ballot: String,
    },
    /// A scrutineer's reason for reading rows of a sheet otherwise than the machine read them
    /// for sure.
    Overrule {
        ballot: String,
        serial: String,
        marks: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Modal {
    Help,
    /// Quit with nothing at stake: `y` quits, any other key (Enter too) stays.
    ConfirmQuit,
    /// Ask before a step that cannot be taken back in one key: the answer is a digit.
    Confirm(Confirm),
    Input {
        title: String,
        input: TextInput,
        purpose: Purpose,
    },
}

/// A one-line message after an action: what happened, or why it was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub ok: bool,
}

/// Where the operator was, kept across restarts (not part of the record).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Memory {
    screen: Option<Screen>,
    agenda_sel: usize,
    roll_sel: usize,
    #[serde(default)]
    count_item: Option<usize>,
    /// The folder watched for scans, and for which ballot: watched again after a restart.
    #[serde(default)]
    watch: Option<(String, String)>,
    #[serde(default)]
    last_scan_dir: Option<String>,
}

pub struct RollUi {
    /// Deputy indices in display order (grouped by 代表小组), filtered by the query.
    pub view: Vec<usize>,
    pub sel: usize,
    pub query: TextInput,
    pub finding: bool,
}

pub struct App {
    pub engine: Engine,
    pub count: crate::tui::count::CountUi,
    /// Questions screen: which queue (index into the state's queues) and which question.
    pub queue: usize,
    pub qsel: usize,
    /// Commitments screen selection.
    pub csel: usize,
    /// Projects screen selection.
    pub psel: usize,
    pub lang: Lang,
    pub screen: Screen,
    pub agenda_sel: usize,
    pub roll: RollUi,
    /// Lines scrolled back from the newest log entry.
    pub log_back: usize,
    pub modal: Option<Modal>,
    pub flash: Option<Flash>,
    pub quit: bool,
    /// Fault injection for the crash suite's negative control ONLY (`run --fault-ack-first`):
    /// say an action happened before it is committed, breaking the rule on purpose so the
    /// suite can prove it detects the loss.
    pub fault_ack_first: bool,
    /// The action acknowledged but not yet committed under `fault_ack_first`.
    pub deferred: Option<Action>,
    /// A double-entry comparison being settled on the count screen.
    pub double: Option<crate::tui::double::DoubleEntry>,
    /// Chain hash at each announcement, by ballot id (for the paper minutes).
    pub heads: std::collections::HashMap<String, String>,
    /// Deputy indices grouped by 代表小组 (fixed for the session).
    grouped: Vec<usize>,
    /// Confirmations asked so far (spreads their answer digits).
    asked: u64,
    /// A function key's escape sequence split by an Esc typed just before it (`Esc` then
    /// `[ 1 5 ~` instead of F5): what arrived of it so far, and whether the last key was Esc.
    split_fkey: Option<String>,
    after_esc: bool,
    /// The terminal's size, to keep keys from acting on a screen too small to be seen.
    pub size: (u16, u16),
    /// The folder the scanner fills, being watched (count screen, Ctrl-S).
    pub watch: Option<crate::tui::scan::Watch>,
    pub last_scan_dir: Option<String>,
    /// The scanned sheet on the desk in the 判定 queue (Ctrl-R), and who rules.
    pub ruling: Option<crate::tui::scan::Ruling>,
    pub adjudicator: Option<String>,
    /// The scan shown while ruling: drawn from `&App`, so the encoded picture is cached
    /// here rather than made again on every frame.
    pub pictures: std::cell::RefCell<crate::tui::scan::Pictures>,
    /// The earlier sheet a possible second feed matched, drawn beside it on the desk.
    pub twin_pictures: std::cell::RefCell<crate::tui::scan::Pictures>,
    /// Draw scans with the terminal's own graphics where it has them (a real terminal; tests
    /// draw half-blocks).
    pub terminal_graphics: bool,
}

impl App {
    pub fn new(engine: Engine, lang: Lang) -> Self {
        let def = &engine.state().def;
        let mut grouped = Vec::with_capacity(def.deputies.len());
        for g in def.groups() {
            grouped.extend(
                def.deputies
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| d.group == g)
                    .map(|(i, _)| i),
            );
        }
        let running = engine.state().running();
        let mut app = App {
            lang,
            screen: Screen::Agenda,
            agenda_sel: running.unwrap_or(0),
            roll: RollUi {
                view: grouped.clone(),
                sel: 0,
                query: TextInput::default(),
                finding: false,
            },
            log_back: 0,
            modal: None,
            flash: None,
            quit: false,
            grouped,
            count: crate::tui::count::CountUi::default(),
            queue: 0,
            qsel: 0,
            csel: 0,
            psel: 0,
            heads: std::collections::HashMap::new(),
            fault_ack_first: false,
            deferred: None,
            double: None,
            asked: 0,
            split_fkey: None,
            after_esc: false,
            size: (crate::tui::view::MIN_W, crate::tui::view::MIN_H),
            watch: None,
            last_scan_dir: None,
            ruling: None,
            adjudicator: None,
            pictures: Default::default(),
            twin_pictures: Default::default(),
            terminal_graphics: false,
            engine,
        };
        app.count.pick_default(app.engine.state());
        app.note_heads();
        app.restore_memory();
        app
    }

    fn restore_memory(&mut self) {
        let Ok(Some(saved)) = self.engine.store().load_ui() else {
            return;
        };
        let Ok(m) = serde_json::from_str::<Memory>(&saved) else {
            return;
        };
        if let Some(s) = m.screen {
            self.screen = s;
        }
        let items = self.engine.state().items.len();
        self.agenda_sel = m.agenda_sel.min(items.saturating_sub(1));
        self.roll.sel = m.roll_sel.min(self.roll.view.len().saturating_sub(1));
        if let Some(i) = m.count_item {
            self.count.open_item(self.engine.state(), i);
        }
        self.last_scan_dir = m.last_scan_dir;
        if let Some((ballot, dir)) = m.watch
            && self.engine.state().ballots.get(&ballot).is_some()
        {
            self.watch = Some(crate::tui::scan::Watch::new(&ballot, dir.into()));
        }
    }

    pub(crate) fn save_memory(&self) {
        let m = Memory {
            screen: Some(self.screen),
            agenda_sel: self.agenda_sel,
            roll_sel: self.roll.sel,
            count_item: self.count.item,
            watch: self
                .watch
                .as_ref()
                .filter(|w| w.running())
                .map(|w| (w.ballot.clone(), w.dir.display().to_string())),
            last_scan_dir: self.last_scan_dir.clone(),
        };
        // Losing the cursor position is harmless; the record is never at stake here.
        let _ = self
            .engine
            .store()
            .save_ui(&serde_json::to_string(&m).unwrap_or_default());
    }

    /// Commit what `fault_ack_first` acknowledged early.
    pub fn flush_deferred(&mut self) {
        if let Some(a) = self.deferred.take() {
            let _ = self.engine.execute(a);
            self.count.sync(self.engine.state());
        }
    }

    /// Remember the chain hash of every announcement not yet known.
    fn note_heads(&mut self) {
        for b in &self.engine.state().ballots.list {
            if let Some(seq) = b.announced_seq
                && !self.heads.contains_key(&b.id)
                && let Ok(Some(h)) = self.engine.store().hash_of(seq)
            {
                self.heads.insert(b.id.clone(), h);
            }
        }
    }

    /// Open a confirmation whose answer is a digit the prompt shows.
    pub fn ask(&mut self, title: String, lines: Vec<String>, verb: &str, then: Then) {
        self.asked += 1;
        let seed = self.asked
            ^ std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
        self.modal = Some(Modal::Confirm(Confirm::new(title, lines, verb, then, seed)));
    }

    /// The digit the open confirmation waits for (tests type it as an operator would read it).
    pub fn confirm_answer(&self) -> Option<char> {
        match &self.modal {
            Some(Modal::Confirm(c)) => Some(c.answer),
            _ => None,
        }
    }

    /// The answer was given: take the step.
    fn confirmed(&mut self, then: Then) {
        match then {
            Then::Quit => {
                self.save_memory();
                self.quit = true;
            }
            Then::Execute(action) => {
                let undo = matches!(*action, Action::UndoPaper { .. });
                let ruled = matches!(*action, Action::SetAsideSheet { .. });
                if self.execute(*action) {
                    if undo {
                        let n = self.current_ballot().map_or(0, |b| b.candidates.len());
                        self.count.entry = crate::tui::entry::Entry::new(n);
                    }
                    if ruled {
                        self.next_sheet_on_desk();
                    }
                }
                self.count.sync(self.engine.state());
            }
        }
    }

    pub fn flash_ok(&mut self, text: String) {
        self.flash = Some(Flash { text, ok: true });
    }

    pub fn flash_err(&mut self, text: String) {
        self.flash = Some(Flash {
            text: format!("✗ {text}"),
            ok: false,
        });
    }

    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.t(zh, en)
    }

    /// After an item is finished on the agenda the cursor goes to the next item still to be
    /// held (after it, else the first one left), so a stray `s` never restarts what just ended.
    fn cursor_to_next_pending(&mut self, done: usize) {
        let items = &self.engine.state().items;
        let pending = |i: &usize| items[*i].status == ItemStatus::Pending;
        if let Some(next) = (done + 1..items.len())
            .find(pending)
            .or_else(|| (0..done).find(pending))
        {
            self.agenda_sel = next;
        }
    }

    /// Carry out an action and say what happened. The message of success appears only after
    /// the engine returned, i.e. after COMMIT.
    pub fn execute(&mut self, action: Action) -> bool {
        let desc = crate::domain::describe::describe(&action, &self.engine.state().def, self.lang);
        if self.fault_ack_first {
            self.flush_deferred();
            self.flash = Some(Flash {
                text: format!("✓ {desc}"),
                ok: true,
            });
            self.deferred = Some(action);
            return true;
        }
        let finished = match &action {
            Action::FinishItem { item } if self.screen == Screen::Agenda => self
                .engine
                .state()
                .def
                .agenda
                .iter()
                .position(|i| &i.id == item),
            _ => None,
        };
        match self.engine.execute(action) {
            Ok(seq) => {
                self.count.sync(self.engine.state());
                self.note_heads();
                if let Some(done) = finished {
                    self.cursor_to_next_pending(done);
                }
                self.flash = Some(Flash {
                    text: format!("✓ #{seq} {desc}"),
                    ok: true,
                });
                true
            }
            Err(e) => {
                self.flash = Some(Flash {
                    text: format!("✗ {}", e.text().get(self.lang)),
                    ok: false,
                });
                false
            }
        }
    }

    /// React to one key. Returns whether anything on screen may have changed.
    pub fn on_key(&mut self, key: KeyEvent) -> bool {
        if key.kind == ratatui::crossterm::event::KeyEventKind::Release {
            return false;
        }
        // An Esc pressed just before a function key can make the terminal's sequence for it
        // arrive as separate keys (`[`, `1`, `5`, `~`): put it back together, so a command key
        // never keys marks; anything else replays as typed.
        let was_esc = std::mem::replace(&mut self.after_esc, key.code == KeyCode::Esc);
        if let Some(mut seq) = self.split_fkey.take() {
            match key.code {
                KeyCode::Char(c) if c.is_ascii_digit() || c == ';' => {
                    seq.push(c);
                    self.split_fkey = Some(seq);
                    return false;
                }
                KeyCode::Char('~') => {
                    return match function_key(&seq) {
                        Some(n) => self.on_key(KeyEvent::new(KeyCode::F(n), KeyModifiers::NONE)),
                        None => false,
                    };
                }
                _ => {
                    let mut changed = false;
                    self.after_esc = false;
                    for c in seq.chars() {
                        changed |= self.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
                    }
                    return self.on_key(key) || changed;
                }
            }
        }
        if key.code == KeyCode::Char('[') && (was_esc || key.modifiers.contains(KeyModifiers::ALT))
        {
            self.split_fkey = Some("[".to_string());
            return false;
        }
        if self.too_small() {
            // Nothing the operator cannot see may happen: only quit, and only when nothing
            // would be dropped by it.
            let quit = matches!(keys::lookup(&key, self.ctx()), Some(Cmd::Quit));
            if quit
                && self.modal.is_none()
                && !self.paper_pending()
                && self.double.is_none()
                && self.ruling_keyed().is_none()
            {
                self.save_memory();
                self.quit = true;
            }
            return true;
        }
        if let Some(modal) = self.modal.take() {
            self.on_modal_key(modal, key);
            return true;
        }
        if self.screen == Screen::Roll && self.roll.finding {
            self.on_find_key(key);
            return true;
        }
        let Some(cmd) = keys::lookup(&key, self.ctx()) else {
            // While a paper is keyed a typed key that marks nothing is a slip: the paper stops
            // there. Elsewhere unknown keys do nothing (and say nothing: a stray key must not
            // alarm anyone).
            return self.screen == Screen::Ballot && self.count_slip(&key);
        };
        self.flash = None;
        self.dispatch(cmd);
        true
    }

    /// Pasted text goes into the open text field (newlines become spaces: a paste never submits).
    pub fn on_paste(&mut self, text: &str) -> bool {
        let clean = text.replace(['\r', '\n'], " ");
        let field = match &mut self.modal {
            Some(Modal::Input { input, .. }) => input,
            _ if self.screen == Screen::Roll && self.roll.finding => &mut self.roll.query,
            _ => return false,
        };
        for c in clean.chars().filter(|c| !c.is_control()) {
            field.insert(c);
        }
        if self.modal.is_none() {
            self.refilter();
        }
        true
    }

    fn on_modal_key(&mut self, modal: Modal, key: KeyEvent) {
        match modal {
            Modal::Help => {} // any key closes help
            Modal::ConfirmQuit => {
                if keys::normalize(&key).code == KeyCode::Char('y') {
                    self.save_memory();
                    self.quit = true;
                }
            }
            Modal::Confirm(c) => {
                let k = keys::normalize(&key);
                let plain = !k
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                match k.code {
                    KeyCode::Char(ch) if plain && c.accepts(ch) => self.confirmed(c.then),
                    _ => {
                        self.flash = Some(Flash {
                            text: self
                                .t("已取消,未做任何改动", "cancelled; nothing changed")
                                .to_string(),
                            ok: true,
                        });
                    }
                }
            }
            Modal::Input {
                title,
                mut input,
                purpose,
            } => match input.handle(&key) {
                Edit::Submit => {
                    // An error from an earlier try of this prompt is stale once it is submitted
                    // again: the submission says what it says now.
                    self.flash = None;
                    let text = input.text().trim().to_string();
                    let done = match &purpose {
                        Purpose::Note { item } => self.execute(Action::AddNote {
                            item: item.clone(),
                            text,
                        }),
                        Purpose::SkipReason { item } => self.skip(item, text),
                        Purpose::ReopenReason { item } => self.execute(Action::ReopenItem {
                            item: item.clone(),
                            reason: text,
                        }),
                        Purpose::AnswerNote { .. }
                        | Purpose::Rating { .. }
                        | Purpose::Commitment { .. }
                        | Purpose::WithdrawQ { .. }
                        | Purpose::Substitute { .. }
                        | Purpose::DeferQ { .. }
                        | Purpose::RestoreQ { .. }
                        | Purpose::AddQuestion { .. }
                        | Purpose::CommitmentNote { .. } => self.submit_question(&purpose, &text),
                        Purpose::ProjectStatus { .. }
                        | Purpose::ProjectNote { .. }
                        | Purpose::ProjectGroup { .. } => self.submit_project(&purpose, &text),
                        Purpose::ImportBatches => self.import_batches(&text),
                        Purpose::DoubleFirst
                        | Purpose::DoubleSecond { .. }
                        | Purpose::DoubleRuling => self.submit_double(&purpose, &text),
                        Purpose::ScanFolder { .. }
                        | Purpose::Adjudicator { .. }
                        | Purpose::Overrule { .. } => self.submit_scan(&purpose, &text),
                        count => self.submit_count(count, &text),
                    };
                    if !done && self.modal.is_none() {
                        // Keep what was typed so a refusal costs no retyping.
                        self.modal = Some(Modal::Input {
                            title,
                            input,
                            purpose,
                        });
                    }
                }
                Edit::Cancel => {
                    self.flash = Some(Flash {
                        text: self.t("已取消", "cancelled").to_string(),
                        ok: true,
                    });
                }
                _ => {
                    self.modal = Some(Modal::Input {
                        title,
                        input,
                        purpose,
                    })
                }
            },
        }
    }

    fn on_find_key(&mut self, key: KeyEvent) {
        match self.roll.query.handle(&key) {
            Edit::Submit => self.roll.finding = false,
            Edit::Cancel => {
                self.roll.finding = false;
                self.roll.query = TextInput::default();
                self.refilter();
            }
            Edit::Changed => self.refilter(),
            Edit::Moved => {}
            Edit::Ignored => {
                // Arrow keys still move through the matches while typing.
                match key.code {
                    KeyCode::Up => self.move_sel(-1),
                    KeyCode::Down => self.move_sel(1),
                    _ => {}
                }
            }
        }
    }

    fn refilter(&mut self) {
        // Stay on the deputy that was selected when the filter changes (e.g. after Esc).
        let keep = self.roll.view.get(self.roll.sel).copied();
        let q = self.roll.query.text().trim().to_lowercase();
        let def = &self.engine.state().def;
        self.roll.view = if q.is_empty() {
            self.grouped.clone()
        } else {
            self.grouped
                .iter()
                .copied()
                .filter(|&i| {
                    let d = &def.deputies[i];
                    d.name.contains(&q)
                        || d.id.to_lowercase().contains(&q)
                        || d.group.contains(&q)
                        || d.seat.as_deref().is_some_and(|s| s.contains(&q))
                })
                .collect()
        };
        self.roll.sel = if q.is_empty() {
            keep.and_then(|d| self.roll.view.iter().position(|&i| i == d))
                .unwrap_or(0)
        } else {
            0
        };
    }

    fn list_len(&self) -> usize {
        match self.screen {
            Screen::Agenda => self.engine.state().items.len(),
            Screen::Roll => self.roll.view.len(),
            Screen::Ballot => 0,
            Screen::Questions => self
                .engine
                .state()
                .queues
                .get(self.queue)
                .map_or(0, |q| q.questions.len()),
            Screen::Commitments => self.engine.state().commitments.len(),
            Screen::Projects => self.engine.state().projects.list.len(),
            Screen::Log => crate::domain::describe::public_log(self.engine.log()).len(),
        }
    }

    fn move_sel(&mut self, delta: isize) {
        let len = self.list_len();
        if len == 0 {
            return;
        }
        let clamp = |cur: usize| (cur as isize + delta).clamp(0, len as isize - 1) as usize;
        match self.screen {
            Screen::Agenda => self.agenda_sel = clamp(self.agenda_sel),
            Screen::Roll => self.roll.sel = clamp(self.roll.sel),
            Screen::Ballot => {}
            Screen::Questions => self.qsel = clamp(self.qsel),
            Screen::Commitments => self.csel = clamp(self.csel),
            Screen::Projects => self.psel = clamp(self.psel),
            // The log counts back from the newest entry: down means newer.
            // ... and stops at a full page of the oldest, so the key after Home moves at once.
            Screen::Log => {
                let most = len.saturating_sub(crate::tui::view::log::page_rows(self.size.1));
                self.log_back = (self.log_back as isize - delta).clamp(0, most as isize) as usize
            }
        }
    }

    fn selected_item(&self) -> Option<(String, String)> {
        let def = &self.engine.state().def;
        def.agenda
            .get(self.agenda_sel)
            .map(|i| (i.id.clone(), i.title.clone()))
    }

    /// A deputy marked away who is a scrutineer of a count not yet announced: say so, so the
    /// session can name another before the papers are counted (F4 on the count screen).
    fn warn_absent_staff(&mut self, deputy: &str) {
        let st = self.engine.state();
        let Some(d) = st.def.deputies.iter().find(|d| d.id == deputy) else {
            return;
        };
        let mut counts: Vec<String> = st
            .ballots
            .list
            .iter()
            .filter(|b| !b.locked() && b.scrutineers.contains(&d.name))
            .map(|b| st.def.agenda[b.item].title.clone())
            .collect();
        counts.dedup();
        if counts.is_empty() {
            return;
        }
        let name = d.name.clone();
        let staff = keys::key_of(Cmd::Staff, self.lang);
        let list = counts.join("、");
        self.flash_err(match self.lang {
            Lang::Zh => format!(
                "注意:{name} 是「{list}」的监票人,现已登记为不在场;请在计票屏按 {staff} 另行确定监票人"
            ),
            Lang::En => format!(
                "note: {name} is a scrutineer of \"{list}\" and is now marked away; name another on the count screen with {staff}"
            ),
        });
    }

    fn selected_deputy(&self) -> Option<String> {
        let def = &self.engine.state().def;
        self.roll
            .view
            .get(self.roll.sel)
            .map(|&i| def.deputies[i].id.clone())
    }

    /// Where keys are read now: the screen and, on the count screen, the kind of count.
    pub fn ctx(&self) -> keys::Ctx {
        keys::Ctx {
            screen: self.screen,
            kind: (self.screen == Screen::Ballot)
                .then(|| self.current_ballot().map(|b| b.kind))
                .flatten(),
            ruling: self.ruling_here(),
            locked: self.screen == Screen::Ballot
                && self.current_ballot().is_some_and(|b| b.locked()),
        }
    }

    pub fn dispatch(&mut self, cmd: Cmd) {
        const PAGE: isize = 10;
        if self.screen == Screen::Ballot && self.count_dispatch(cmd) {
            return;
        }
        if self.screen == Screen::Questions && self.question_dispatch(cmd) {
            return;
        }
        if self.screen == Screen::Commitments && self.commitment_dispatch(cmd) {
            return;
        }
        if self.screen == Screen::Projects && self.project_dispatch(cmd) {
            return;
        }
        match cmd {
            Cmd::NextScreen | Cmd::PrevScreen => {
                let all = Screen::ALL;
                let i = all.iter().position(|s| *s == self.screen).unwrap_or(0);
                let n = all.len();
                let j = if cmd == Cmd::NextScreen {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.screen = all[j];
                self.save_memory();
            }
            Cmd::GoTo(s) => {
                self.screen = s;
                self.save_memory();
            }
            Cmd::Help => self.modal = Some(Modal::Help),
            Cmd::Quit => self.ask_quit(),
            Cmd::Up => self.move_sel(-1),
            Cmd::Down => self.move_sel(1),
            Cmd::PageUp => self.move_sel(-PAGE),
            Cmd::PageDown => self.move_sel(PAGE),
            Cmd::Top => self.move_sel(-(self.list_len() as isize)),
            Cmd::Bottom => self.move_sel(self.list_len() as isize),
            Cmd::Start => {
                if let Some((item, title)) = self.selected_item() {
                    let st = self.engine.state();
                    let a = st.attendance;
                    let first = st.items.iter().all(|i| i.segments.is_empty());
                    let mut lines = Vec::new();
                    if first && a.unmarked > 0 && a.quorum_met(st.quorum_rule()) {
                        // The meeting opens on the roll: say who is not registered yet.
                        lines.push(match self.lang {
                            Lang::Zh => format!(
                                "还有 {} 名代表尚未登记(既未登记出席,也未登记请假或缺席)。",
                                a.unmarked
                            ),
                            Lang::En => format!(
                                "{} deputies are not registered yet (neither present nor on leave nor absent).",
                                a.unmarked
                            ),
                        });
                        lines.push(a.sentence(st.quorum_rule(), self.lang));
                    }
                    // Items above it not yet held nor skipped: one Down too many must not
                    // open the closing before the announcement without a question.
                    let sel = self.agenda_sel;
                    let earlier: Vec<String> = if st.items[sel].status == ItemStatus::Pending {
                        (0..sel)
                            .filter(|&i| st.items[i].status == ItemStatus::Pending)
                            .map(|i| format!("· {} {}", i + 1, st.def.agenda[i].title))
                            .collect()
                    } else {
                        Vec::new()
                    };
                    if !earlier.is_empty() {
                        let (n, skip) = (
                            earlier.len(),
                            crate::tui::keys::key_of(Cmd::Skip, self.lang),
                        );
                        lines.push(match self.lang {
                            Lang::Zh => format!("前面还有 {n} 项议程尚未进行(可之后再开始,或按 {skip} 跳过):"),
                            Lang::En => format!(
                                "{n} earlier items have not been held (start them later, or skip them with {skip}):"
                            ),
                        });
                        // A long agenda names the first few: the dialog must fit 80×24.
                        let more = earlier.len().saturating_sub(6);
                        lines.extend(earlier.into_iter().take(6));
                        if more > 0 {
                            lines.push(match self.lang {
                                Lang::Zh => format!("· ……另有 {more} 项"),
                                Lang::En => format!("· … and {more} more"),
                            });
                        }
                    }
                    if lines.is_empty() {
                        self.execute(Action::StartItem { item });
                    } else {
                        lines.push(match self.lang {
                            Lang::Zh => format!("仍然开始“{title}”?"),
                            Lang::En => format!("Start \"{title}\" anyway?"),
                        });
                        let heading = if first {
                            self.t("开始会议", "Open the meeting")
                        } else {
                            self.t("开始议程", "Start the item")
                        };
                        self.ask(
                            heading.to_string(),
                            lines,
                            self.t("开始", "start it"),
                            Then::execute(Action::StartItem { item }),
                        );
                    }
                }
            }
            Cmd::Finish => {
                // Finish the running item wherever the cursor is.
                let st = self.engine.state();
                let target = st.running().unwrap_or(self.agenda_sel);
                if let Some((item, title)) = st
                    .def
                    .agenda
                    .get(target)
                    .map(|i| (i.id.clone(), i.title.clone()))
                {
                    let left = self.work_left(target);
                    if left.is_empty() {
                        self.execute(Action::FinishItem { item });
                    } else {
                        let mut lines = vec![match self.lang {
                            Lang::Zh => format!("“{title}”还有未完成的事项:"),
                            Lang::En => format!("\"{title}\" has work left:"),
                        }];
                        lines.extend(left.into_iter().map(|l| format!("· {l}")));
                        self.ask(
                            self.t("结束议程", "Finish the item").to_string(),
                            lines,
                            self.t("仍然结束", "finish it anyway"),
                            Then::execute(Action::FinishItem { item }),
                        );
                    }
                }
            }
            Cmd::Skip => {
                if let Some((item, title)) = self.selected_item() {
                    let status = self.engine.state().items[self.agenda_sel].status;
                    if status != ItemStatus::Pending {
                        self.flash = Some(Flash {
                            text: self
                                .t(
                                    "✗ 只能跳过尚未开始的议程",
                                    "✗ only an item not yet started can be skipped",
                                )
                                .to_string(),
                            ok: false,
                        });
                        return;
                    }
                    self.modal = Some(Modal::Input {
                        title: format!(
                            "{}:{title}",
                            self.t(
                                "跳过议程(可填理由,Enter 确认)",
                                "Skip item (optional reason, Enter)"
                            )
                        ),
                        input: TextInput::default(),
                        purpose: Purpose::SkipReason { item },
                    });
                }
            }
            Cmd::Reopen => {
                if let Some((item, title)) = self.selected_item() {
                    self.modal = Some(Modal::Input {
                        title: format!(
                            "{}:{title}",
                            self.t("重新开启议程(须填理由)", "Re-open item (reason required)")
                        ),
                        input: TextInput::default(),
                        purpose: Purpose::ReopenReason { item },
                    });
                }
            }
            Cmd::Note => {
                // The item the notes panel shows (the cursor's), whatever runs: the prompt
                // names it, and the note stays in the chain under it for good.
                let st = self.engine.state();
                if let Some(i) = st.def.agenda.get(self.agenda_sel) {
                    self.modal = Some(Modal::Input {
                        title: format!("{}:{}", self.t("备注", "Note"), i.title),
                        input: TextInput::default(),
                        purpose: Purpose::Note { item: i.id.clone() },
                    });
                }
            }
            Cmd::Present | Cmd::Leave | Cmd::Absent => {
                let status = match cmd {
                    Cmd::Present => Presence::Present,
                    Cmd::Leave => Presence::Leave,
                    _ => Presence::Absent,
                };
                if let Some(deputy) = self.selected_deputy()
                    && self.execute(Action::MarkAttendance {
                        deputy: deputy.clone(),
                        status,
                    })
                {
                    if status != Presence::Present {
                        self.warn_absent_staff(&deputy);
                    }
                    // Roll call goes down the list: the next deputy is ready for the next key.
                    self.move_sel(1);
                }
            }
            Cmd::RestPresent => {
                let a = self.engine.state().attendance;
                if a.unmarked == 0 {
                    self.flash_err(
                        self.t("所有代表都已登记", "every deputy is already marked")
                            .to_string(),
                    );
                    return;
                }
                let line = match self.lang {
                    Lang::Zh => format!(
                        "将其余 {} 名尚未登记的代表全部登记为出席:实到将为 {} 名(之后仍可逐一改为请假或缺席)。",
                        a.unmarked,
                        a.present + a.unmarked
                    ),
                    Lang::En => format!(
                        "Mark the remaining {} unregistered deputies present: {} will be present (each can still be changed).",
                        a.unmarked,
                        a.present + a.unmarked
                    ),
                };
                self.ask(
                    self.t("其余代表全部登记为出席", "Mark the rest present")
                        .to_string(),
                    vec![line],
                    self.t("登记", "mark them"),
                    Then::execute(Action::MarkUnmarked {
                        status: Presence::Present,
                    }),
                );
            }
            Cmd::Find => {
                self.roll.finding = true;
            }
            Cmd::ClearFind => {
                self.roll.query = TextInput::default();
                self.refilter();
            }
            Cmd::Open
                if self
                    .engine
                    .state()
                    .def
                    .agenda
                    .get(self.agenda_sel)
                    .is_some_and(|a| a.questioning.is_some()) =>
            {
                if let Some(q) = self
                    .engine
                    .state()
                    .queues
                    .iter()
                    .position(|q| q.item == self.agenda_sel)
                {
                    self.queue = q;
                    self.qsel = 0;
                    self.screen = Screen::Questions;
                    self.save_memory();
                }
            }
            Cmd::Open => {
                let st = self.engine.state();
                let report_on_projects = st.def.agenda.get(self.agenda_sel).is_some_and(|a| {
                    a.projects && a.kind == crate::domain::session::ItemKind::Report
                });
                if report_on_projects {
                    // A progress report's subjects are the carried projects.
                    self.screen = Screen::Projects;
                    self.save_memory();
                } else if self.count.open_item(self.engine.state(), self.agenda_sel) {
                    self.screen = Screen::Ballot;
                    self.save_memory();
                } else {
                    self.flash = Some(Flash {
                        text: self
                            .t("✗ 该议程没有计票(票决、测评或表决)", "✗ this item has nothing to count (ballot, evaluation or resolution)")
                            .to_string(),
                        ok: false,
                    });
                }
            }
            // Count-screen commands are handled by `count_dispatch`.
            _ => {}
        }
    }

    /// What is not done in an agenda item: counts not announced, a paper half keyed, questions
    /// still queued or in progress. Finishing it then asks first.
    fn work_left(&self, item: usize) -> Vec<String> {
        let st = self.engine.state();
        let lang = self.lang;
        let mut out = Vec::new();
        for b in st.ballots.of_item(item) {
            let started = b.keyed() > 0
                || b.issued.is_some()
                || matches!(
                    b.counter,
                    crate::domain::ballots::Counter::Resolution(Some(_))
                );
            if !b.locked() && started {
                let label = crate::domain::describe::ballot_label(&st.def, &b.id, lang);
                out.push(match lang {
                    Lang::Zh => format!("“{label}”已录入 {} 张,结果尚未宣布", b.keyed()),
                    Lang::En => format!(
                        "\"{label}\": {} papers keyed, result not announced",
                        b.keyed()
                    ),
                });
            }
        }
        if self.count.item == Some(item) && self.paper_pending() {
            out.push(
                self.t(
                    "本票尚未录入(已按键但未按 Enter)",
                    "a paper is half keyed (Enter not pressed)",
                )
                .to_string(),
            );
        }
        if let Some(q) = st.queues.iter().find(|q| q.item == item) {
            use crate::domain::questions::QStatus;
            let queued = q
                .questions
                .iter()
                .filter(|x| x.status == QStatus::Queued)
                .count();
            let running = q.active().is_some();
            if running {
                out.push(
                    self.t("有一个问题正在进行", "a question is in progress")
                        .to_string(),
                );
            }
            if queued > 0 {
                out.push(match lang {
                    Lang::Zh => format!("还有 {queued} 个问题待提问(结束后记为未提问)"),
                    Lang::En => format!("{queued} questions still queued (recorded as not asked)"),
                });
            }
        }
        out
    }

    /// The terminal is smaller than the console needs: the screen only says so.
    pub fn too_small(&self) -> bool {
        self.size.0 < crate::tui::view::MIN_W || self.size.1 < crate::tui::view::MIN_H
    }

    /// Skip an item; one with questions waiting asks first (they will be recorded as not asked).
    fn skip(&mut self, item: &str, reason: String) -> bool {
        let st = self.engine.state();
        let queued = st.def.item_index(item).and_then(|i| {
            st.queues.iter().find(|q| q.item == i).map(|q| {
                q.questions
                    .iter()
                    .filter(|x| x.status == crate::domain::questions::QStatus::Queued)
                    .count()
            })
        });
        let action = Action::SkipItem {
            item: item.to_string(),
            reason,
        };
        match queued {
            Some(n) if n > 0 => {
                let title = st
                    .def
                    .item(item)
                    .map(|i| i.title.clone())
                    .unwrap_or_default();
                self.ask(
                    self.t("跳过议程", "Skip the item").to_string(),
                    vec![match self.lang {
                        Lang::Zh => format!("跳过“{title}”:其中 {n} 个问题将记为未提问(之后可重新开启议程)。"),
                        Lang::En => format!("Skip \"{title}\": its {n} questions will be recorded as not asked (the item can be re-opened)."),
                    }],
                    self.t("跳过", "skip it"),
                    Then::execute(action),
                );
                false
            }
            _ => self.execute(action),
        }
    }

    /// A paper is on the desk with keys pressed but not recorded.
    pub fn paper_pending(&self) -> bool {
        !self.count.entry.is_blank()
            || self.count.entry.correcting.is_some()
            || self.count.entry.slip.is_some()
    }

    /// Quit: plainly when nothing is at stake; with the digit when a paper is half keyed or a
    /// double entry is being settled (quitting drops them).
    fn ask_quit(&mut self) {
        let mut lost = Vec::new();
        if self.paper_pending() {
            lost.push(match (&self.count.entry.correcting, self.lang) {
                (Some(s), Lang::Zh) => format!("选票 {s} 的更正尚未完成,退出将放弃这次更正"),
                (Some(s), Lang::En) => format!("the correction of paper {s} is not finished; quitting drops it"),
                (None, _) => self
                    .t(
                        "本票已按键但尚未录入(未按 Enter),退出将丢弃这张未录入的选票",
                        "a paper is half keyed (Enter not pressed); quitting drops that unrecorded paper",
                    )
                    .to_string(),
            });
        }
        if self.double.is_some() {
            lost.push(
                self.t(
                    "双人录入比对尚未裁定完,退出将丢弃已作的裁定(尚未计票)",
                    "the double entry is not settled; quitting drops the rulings made (nothing was counted)",
                )
                .to_string(),
            );
        }
        if let Some(serial) = self.ruling_keyed() {
            lost.push(match self.lang {
                Lang::Zh => format!("扫描件 {serial} 的判定已键入但尚未按 Enter 计入,退出将丢弃这次判定"),
                Lang::En => format!("the ruling on sheet {serial} is keyed but not counted (Enter); quitting drops it"),
            });
        }
        if lost.is_empty() {
            self.modal = Some(Modal::ConfirmQuit);
            return;
        }
        lost.push(
            self.t(
                "已录入的选票和其他操作都已保存。",
                "Every paper recorded and every other action is saved.",
            )
            .to_string(),
        );
        self.ask(
            self.t("退出", "Quit").to_string(),
            lost,
            self.t("退出", "quit"),
            Then::Quit,
        );
    }

    /// Pick up changes other terminals made. Returns whether to redraw.
    pub fn refresh(&mut self) -> bool {
        // Others' writes first: a sheet another console recorded is then known by its hash.
        let changed = self.refresh_record();
        self.scan_tick() || changed
    }

    fn refresh_record(&mut self) -> bool {
        if self.engine.broken().is_some() {
            // Shown on every frame by the view; nothing more to pick up.
            return false;
        }
        match self.engine.refresh() {
            Ok(changed) => {
                if changed {
                    self.count.sync(self.engine.state());
                    self.note_heads();
                }
                changed
            }
            Err(e) => {
                self.flash = Some(Flash {
                    text: format!("✗ {}", e.text().get(self.lang)),
                    ok: false,
                });
                true
            }
        }
    }
}

/// `[15` → F5 … `[24` → F12: the function key a `CSI n ~` sequence stands for.
fn function_key(seq: &str) -> Option<u8> {
    let n: u8 = seq.strip_prefix('[')?.split(';').next()?.parse().ok()?;
    Some(match n {
        11..=15 => n - 10,
        17..=21 => n - 11,
        23 | 24 => n - 12,
        _ => return None,
    })
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
