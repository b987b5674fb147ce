//! The console's state and its reaction to keys. No terminal here: tests drive `App` directly
//! and render it to a test backend.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};

use crate::domain::action::Action;
use crate::engine::Engine;
use crate::i18n::Lang;
use crate::tui::confirm::{Confirm, Then};
use crate::tui::input::{Edit, TextInput};
use crate::tui::intent::{Field, Follow, Intent};
use crate::tui::keys::{self, Cmd, Screen};
pub use crate::tui::purpose::Purpose;
use crate::tui::screens::Seen;

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
    projects_sel: usize,
    #[serde(default)]
    queue: usize,
    #[serde(default)]
    question_sel: usize,
    #[serde(default)]
    commitments_sel: usize,
    #[serde(default)]
    count_item: Option<usize>,
    /// The folder watched for scans, and for which ballot: watched again after a restart.
    #[serde(default)]
    watch: Option<(String, String)>,
    #[serde(default)]
    last_scan_dir: Option<String>,
}

pub struct App {
    pub engine: Engine,
    pub count: crate::tui::count::CountUi,
    pub questions: crate::tui::screens::questions::Questions,
    pub commitments: crate::tui::screens::commitments::Commitments,
    pub projects: crate::tui::screens::projects::Projects,
    pub lang: Lang,
    pub screen: Screen,
    pub agenda: crate::tui::screens::agenda::Agenda,
    pub roll: crate::tui::screens::roll::Roll,
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
    /// Chain hash of each announcement, by its entry number (for the paper minutes). Keyed by
    /// the entry, not the ballot: a result re-opened and announced again has a new head, and
    /// the old hash under the new number would fail `verify --head`.
    pub heads: std::collections::HashMap<u64, String>,
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
        let mut app = App {
            lang,
            screen: Screen::Agenda,
            agenda: crate::tui::screens::agenda::Agenda::new(engine.state()),
            roll: crate::tui::screens::roll::Roll::new(&engine.state().def),
            log_back: 0,
            modal: None,
            flash: None,
            quit: false,
            count: crate::tui::count::CountUi::default(),
            questions: Default::default(),
            commitments: Default::default(),
            projects: Default::default(),
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
        self.agenda.restore(self.engine.state(), m.agenda_sel);
        self.roll.restore(m.roll_sel);
        self.projects.restore(self.engine.state(), m.projects_sel);
        self.questions
            .restore(self.engine.state(), m.queue, m.question_sel);
        self.commitments
            .restore(self.engine.state(), m.commitments_sel);
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
            agenda_sel: self.agenda.sel,
            roll_sel: self.roll.sel,
            projects_sel: self.projects.sel,
            queue: self.questions.queue,
            question_sel: self.questions.sel,
            commitments_sel: self.commitments.sel,
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
                && !self.heads.contains_key(&seq)
                && let Ok(Some(h)) = self.engine.store().hash_of(seq)
            {
                self.heads.insert(seq, h);
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
                    self.agenda.after_finish(self.engine.state(), done);
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
            self.roll.on_find_key(&self.engine.state().def, &key);
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
        match &mut self.modal {
            Some(Modal::Input { input, .. }) => {
                for c in clean.chars().filter(|c| !c.is_control()) {
                    input.insert(c);
                }
                true
            }
            None if self.screen == Screen::Roll && self.roll.finding => {
                self.roll.paste(&self.engine.state().def, &clean);
                true
            }
            _ => false,
        }
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
            Modal::Confirm(mut c) => {
                let k = keys::normalize(&key);
                let plain = !k
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                // Reading on through a long consequence neither takes the step nor cancels.
                let step: Option<isize> = match k.code {
                    KeyCode::Up => Some(-1),
                    KeyCode::Down => Some(1),
                    KeyCode::PageUp => Some(-10),
                    KeyCode::PageDown => Some(10),
                    KeyCode::Home => Some(isize::MIN / 2),
                    KeyCode::End => Some(isize::MAX / 2),
                    _ => None,
                };
                if let Some(step) = step {
                    let most = crate::tui::view::confirm_rows(&c, self.size.0).saturating_sub(1);
                    c.scroll = (c.scroll as isize)
                        .saturating_add(step)
                        .clamp(0, most as isize) as usize;
                    self.modal = Some(Modal::Confirm(c));
                    return;
                }
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
            // A function key or Tab in an open text box is a clerk who thinks the box is
            // closed: say so, and let it do nothing (before, it did nothing silently, and the
            // digits typed next went into the box).
            Modal::Input {
                title,
                input,
                purpose,
            } if matches!(key.code, KeyCode::F(_) | KeyCode::Tab | KeyCode::BackTab) => {
                self.flash_err(match self.lang {
                    Lang::Zh => "输入框仍开着:按 Enter 确认,或按 Esc 取消,再按其他键".to_string(),
                    Lang::En => {
                        "a text box is still open: Enter confirms it, Esc cancels; then the other keys"
                            .to_string()
                    }
                });
                self.modal = Some(Modal::Input {
                    title,
                    input,
                    purpose,
                });
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
                        Purpose::Note { .. }
                        | Purpose::SkipReason { .. }
                        | Purpose::ReopenReason { .. } => {
                            let intent =
                                crate::tui::screens::agenda::submit(&self.seen(), &purpose, text);
                            intent.is_some_and(|i| self.apply(i))
                        }
                        Purpose::AnswerNote { .. }
                        | Purpose::Rating { .. }
                        | Purpose::Commitment { .. }
                        | Purpose::WithdrawQ { .. }
                        | Purpose::Substitute { .. }
                        | Purpose::DeferQ { .. }
                        | Purpose::RestoreQ { .. }
                        | Purpose::AddQuestion { .. } => {
                            let intent = self.questions.submit(&self.seen(), &purpose, &text);
                            intent.is_some_and(|i| self.apply(i))
                        }
                        Purpose::CommitmentNote { .. } => {
                            let intent = crate::tui::screens::commitments::submit(
                                &self.seen(),
                                &purpose,
                                &text,
                            );
                            intent.is_some_and(|i| self.apply(i))
                        }
                        Purpose::ProjectStatus { .. }
                        | Purpose::ProjectNote { .. }
                        | Purpose::ProjectGroup { .. } => {
                            let intent = crate::tui::screens::projects::submit(
                                &self.seen(),
                                &purpose,
                                &text,
                            );
                            intent.is_some_and(|i| self.apply(i))
                        }
                        Purpose::ImportBatches => self.import_batches(&text),
                        Purpose::DoubleFirst
                        | Purpose::DoubleSecond { .. }
                        | Purpose::DoubleRuling => self.submit_double(&purpose, &text),
                        Purpose::ScanFolder { .. }
                        | Purpose::Adjudicator { .. }
                        | Purpose::Overrule { .. } => self.submit_scan(&purpose, &text),
                        count => self.submit_count(count, &text),
                    };
                    // A refused figure closes its box: left open, the next digits a clerk types
                    // for the screen would join it (a refused 2, then 3, recorded 23). The
                    // message says why; the key opens it again with the figure suggested.
                    let figure = matches!(
                        purpose,
                        Purpose::Issued { .. }
                            | Purpose::Returned { .. }
                            | Purpose::Totals { .. }
                            | Purpose::Rating { .. }
                    );
                    if !done && self.modal.is_none() && !figure {
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

    /// The log's scroll: it counts back from the newest entry, so down means newer; it stops
    /// at a full page of the oldest, so the key after Home moves at once.
    fn scroll_log(&mut self, delta: isize) {
        let len = crate::domain::describe::public_log(self.engine.log()).len();
        let most = len.saturating_sub(crate::tui::view::log::page_rows(self));
        self.log_back = (self.log_back as isize - delta).clamp(0, most as isize) as usize
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
        let half_keyed = self.half_keyed();
        let seen = seen_of(&self.engine, self.lang, half_keyed);
        let intent = match self.screen {
            Screen::Agenda => self.agenda.on_cmd(&seen, cmd),
            Screen::Roll => self.roll.on_cmd(&seen, cmd),
            Screen::Questions => self.questions.on_cmd(&seen, cmd),
            Screen::Commitments => self.commitments.on_cmd(&seen, cmd),
            Screen::Projects => self.projects.on_cmd(&seen, cmd),
            Screen::Ballot => {
                if self.count_dispatch(cmd) {
                    return;
                }
                crate::tui::screens::common(cmd, Screen::Ballot).unwrap_or(Intent::Nothing)
            }
            Screen::Log => match cmd {
                Cmd::Up => return self.scroll_log(-1),
                Cmd::Down => return self.scroll_log(1),
                Cmd::PageUp => return self.scroll_log(-PAGE),
                Cmd::PageDown => return self.scroll_log(PAGE),
                Cmd::Top => return self.scroll_log(-(self.engine.log().len() as isize)),
                Cmd::Bottom => return self.scroll_log(self.engine.log().len() as isize),
                _ => crate::tui::screens::common(cmd, Screen::Log).unwrap_or(Intent::Nothing),
            },
        };
        self.apply(intent);
    }

    /// The key of a command, as the footer names it (every message names keys this way).
    pub fn key(&self, cmd: Cmd) -> String {
        keys::key_of(cmd, self.lang)
    }

    /// What the screens may read when they decide.
    pub fn seen(&self) -> Seen<'_> {
        seen_of(&self.engine, self.lang, self.half_keyed())
    }

    /// The item whose count has a paper half keyed, if one has.
    pub(crate) fn half_keyed(&self) -> Option<usize> {
        self.paper_pending().then_some(self.count.item).flatten()
    }

    /// Carry out what a screen decided. Returns whether an action was committed (a prompt or
    /// a question opened instead returns false).
    pub fn apply(&mut self, intent: Intent) -> bool {
        match intent {
            Intent::Nothing | Intent::Moved => false,
            Intent::Execute(action) => self.execute(action),
            Intent::ExecuteThen(action, follow) => {
                let done = self.execute(action);
                if done {
                    match follow {
                        Follow::SelectQuestion(k) => self.questions.sel = k,
                        Follow::PaperRecorded { serial } => self.paper_recorded(&serial),
                        Follow::NextDeputy { warning } => {
                            self.roll.follow();
                            if let Some(w) = warning {
                                self.flash_err(w);
                            }
                        }
                    }
                }
                done
            }
            Intent::Ask {
                title,
                lines,
                verb,
                then,
            } => {
                self.ask(title, lines, &verb, then);
                false
            }
            Intent::Prompt {
                title,
                purpose,
                field,
            } => {
                let input = match field {
                    Field::Line => TextInput::default(),
                    Field::Lines => TextInput::multiline(),
                    Field::With(text) => TextInput::with(&text),
                    Field::Suggest(text) => TextInput::prefilled(&text),
                };
                self.modal = Some(Modal::Input {
                    title,
                    input,
                    purpose,
                });
                false
            }
            Intent::Refuse(text) => {
                self.flash_err(text);
                false
            }
            Intent::Tell(text) => {
                self.flash_ok(text);
                false
            }
            Intent::GoTo(s) => {
                self.screen = s;
                self.save_memory();
                false
            }
            Intent::OpenCount(item) => {
                self.count.open_item(self.engine.state(), item);
                self.screen = Screen::Ballot;
                self.save_memory();
                false
            }
            Intent::OpenQueue(q) => {
                self.questions.open(q);
                self.screen = Screen::Questions;
                self.save_memory();
                false
            }
            Intent::Help => {
                self.modal = Some(Modal::Help);
                false
            }
            Intent::Quit => {
                self.ask_quit();
                false
            }
        }
    }

    /// The terminal is smaller than the console needs: the screen only says so.
    pub fn too_small(&self) -> bool {
        self.size.0 < crate::tui::view::MIN_W || self.size.1 < crate::tui::view::MIN_H
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

/// What the screens read, from the fields it comes from (so a screen's own state can be
/// borrowed mutably beside it).
pub(crate) fn seen_of(engine: &Engine, lang: Lang, half_keyed: Option<usize>) -> Seen<'_> {
    Seen {
        st: engine.state(),
        station: engine.store().station(),
        lang,
        half_keyed,
        today: engine.now().date_naive(),
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
