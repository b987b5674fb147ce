//! What a key asks of the console, as a value. A screen decides it from its own state and the
//! session's (no database, no terminal); `App` carries it out and says what happened only after
//! the record took it. Tests read these values directly: "what does this key do here" needs
//! neither a database nor a terminal.

use crate::domain::action::Action;
use crate::tui::confirm::Then;
use crate::tui::keys::Screen;
use crate::tui::purpose::Purpose;

#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    /// The key means nothing here: nothing happens, and nothing is said (a stray key must not
    /// alarm anyone).
    Nothing,
    /// Only the screen's own state changed (a cursor, a filter).
    Moved,
    /// Carry out an action.
    Execute(Action),
    /// Carry out an action and, once it is committed, let the screen follow on.
    ExecuteThen(Action, Follow),
    /// Ask before a step that cannot be taken back in one key (answered by a digit).
    Ask {
        title: String,
        lines: Vec<String>,
        verb: String,
        then: Then,
    },
    /// Open a text prompt; its submission is handled by `purpose`.
    Prompt {
        title: String,
        purpose: Purpose,
        field: Field,
    },
    /// Refuse, saying why (shown with ✗).
    Refuse(String),
    /// Say what the key did to the screen's own state (a paper filled with 弃权), shown as done.
    Tell(String),
    GoTo(Screen),
    /// Open the count screen on this agenda item.
    OpenCount(usize),
    /// Open the questions screen on this queue.
    OpenQueue(usize),
    Help,
    /// Quit (asked first when something would be dropped).
    Quit,
}

/// The text field a prompt opens with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// One empty line.
    Line,
    /// Several lines, Ctrl-J for a new one (answer notes).
    Lines,
    /// One line holding this text to edit (the staff as they stand).
    With(String),
    /// One line suggesting this value: the first key typed replaces it (a figure).
    Suggest(String),
}

/// What a screen does once its action is committed (never before: a refused action leaves the
/// screen where it was).
#[derive(Debug, Clone, PartialEq)]
pub enum Follow {
    /// Roll call: the next deputy is ready for the next key; a deputy marked away who is staff
    /// of a count not yet announced is named.
    NextDeputy { warning: Option<String> },
    /// Questions: the cursor on this row of the queue (the question just ended, or moved).
    SelectQuestion(usize),
    /// Count: the paper keyed is recorded under this serial; a fresh paper goes on the desk and
    /// the status line says what this one counted as.
    PaperRecorded { serial: String },
}

impl Intent {
    pub fn ask(title: &str, lines: Vec<String>, verb: &str, then: Then) -> Intent {
        Intent::Ask {
            title: title.to_string(),
            lines,
            verb: verb.to_string(),
            then,
        }
    }

    pub fn prompt(title: String, purpose: Purpose) -> Intent {
        Intent::Prompt {
            title,
            purpose,
            field: Field::Line,
        }
    }
}
