//! The README's key table is the program's (issue 25): every key a row of `## Keys` names is a
//! key of that screen in the one key table (`src/tui/keys.rs`), and every key of the table is
//! named in the README row of its screen. A key renamed, dropped or added on one side only
//! fails here.

use std::collections::HashSet;

use huiwu::domain::ballots::CountKind;
use huiwu::tui::keys::{BINDINGS, Ctx, Scope, Screen, lookup};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

type Key = (KeyCode, KeyModifiers);

const NONE: KeyModifiers = KeyModifiers::NONE;

/// Keys the README names inside a prompt or a question, not on a screen: typed into the text
/// field or answering the dialog, so the screen's table does not hold them.
const IN_PROMPTS: &[(&str, &str)] = &[
    ("everywhere", "y"),           // the answer to "quit?"
    ("questions", "Ctrl-J"),       // a new line in the answer notes
    ("questions", "Alt-Enter"),    // the same
    ("questions", "Enter"),        // saves the notes
    ("roll call", "Enter"),        // keeps the find filter
    ("roll call", "Esc"),          // clears it (the table has it, only while finding)
    ("count: the procedure", "7"), // typed into F6/F7's serial prompt
    ("projects", "Enter"),         // records the status change's note
];

fn ctx(screen: Screen, kind: Option<CountKind>, ruling: bool) -> Ctx {
    Ctx {
        screen,
        kind,
        ruling,
        locked: false,
    }
}

/// The README's rows: (where, the keys named in backticks).
fn rows() -> Vec<(String, Vec<String>)> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let keys = readme
        .split("\n## Keys\n")
        .nth(1)
        .expect("the README has a ## Keys section");
    let keys = keys.split("\n## ").next().unwrap();
    let mut out = Vec::new();
    for line in keys.lines() {
        let Some(rest) = line.strip_prefix("| ") else {
            continue;
        };
        let Some((place, cell)) = rest.split_once(" | ") else {
            continue;
        };
        if place == "where" || place.starts_with("---") {
            continue;
        }
        let ticks: Vec<String> = cell
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        out.push((place.to_string(), ticks));
    }
    assert!(out.len() >= 10, "the key table was not found: {out:?}");
    out
}

/// The contexts a README row speaks of, by its first words.
fn contexts(place: &str) -> Vec<Ctx> {
    use CountKind::{Approval, Resolution, Satisfaction};
    let screens = |s: &[Screen]| s.iter().map(|&s| ctx(s, None, false)).collect::<Vec<_>>();
    match place {
        "everywhere" => {
            let mut v = screens(&Screen::ALL);
            v.push(ctx(Screen::Ballot, Some(Approval), false));
            v
        }
        "all but the count screen" => screens(&[
            Screen::Agenda,
            Screen::Roll,
            Screen::Questions,
            Screen::Commitments,
            Screen::Projects,
            Screen::Log,
        ]),
        "agenda" => screens(&[Screen::Agenda]),
        "questions" => screens(&[Screen::Questions]),
        "commitments" => screens(&[Screen::Commitments]),
        "projects" => screens(&[Screen::Projects]),
        "roll call" => screens(&[Screen::Roll]),
        "count: approval ballot" => vec![ctx(Screen::Ballot, Some(Approval), false)],
        "count: evaluation" => vec![ctx(Screen::Ballot, Some(Satisfaction), false)],
        "count: resolution" => vec![ctx(Screen::Ballot, Some(Resolution), false)],
        p if p.starts_with("count: the procedure") => vec![
            ctx(Screen::Ballot, Some(Approval), false),
            ctx(Screen::Ballot, Some(Satisfaction), false),
        ],
        p if p.starts_with("count: a scanned sheet") => vec![
            ctx(Screen::Ballot, Some(Approval), true),
            ctx(Screen::Ballot, Some(Satisfaction), true),
        ],
        other => panic!("README key row `{other}` names no screen this test knows"),
    }
}

/// The keys a backticked word names (none: it is not a key, e.g. a format `事项 / 责任单位`).
fn keys_of(word: &str) -> Vec<Key> {
    let one = |w: &str| -> Option<Vec<Key>> {
        Some(match w {
            "Tab" => vec![(KeyCode::Tab, NONE)],
            "Shift-Tab" => vec![(KeyCode::BackTab, NONE)],
            "Enter" => vec![(KeyCode::Enter, NONE)],
            "Alt-Enter" => vec![(KeyCode::Enter, KeyModifiers::ALT)],
            "Esc" => vec![(KeyCode::Esc, NONE)],
            "Backspace" | "Bksp" => vec![(KeyCode::Backspace, NONE)],
            "space" | "Space" | "空格" => vec![(KeyCode::Char(' '), NONE)],
            "PgUp" => vec![(KeyCode::PageUp, NONE)],
            "PgDn" => vec![(KeyCode::PageDown, NONE)],
            "Home" => vec![(KeyCode::Home, NONE)],
            "End" => vec![(KeyCode::End, NONE)],
            "↑↓" => vec![(KeyCode::Up, NONE), (KeyCode::Down, NONE)],
            "←→" => vec![(KeyCode::Left, NONE), (KeyCode::Right, NONE)],
            "←→↑↓" => vec![
                (KeyCode::Left, NONE),
                (KeyCode::Right, NONE),
                (KeyCode::Up, NONE),
                (KeyCode::Down, NONE),
            ],
            w if w.len() > 1 && w.starts_with('F') && w[1..].parse::<u8>().is_ok() => {
                vec![(KeyCode::F(w[1..].parse().unwrap()), NONE)]
            }
            w if w.starts_with("Ctrl-") && w.chars().count() == 6 => {
                let c = w.chars().last().unwrap().to_ascii_lowercase();
                vec![(KeyCode::Char(c), KeyModifiers::CONTROL)]
            }
            w if w.chars().count() == 1 && w.is_ascii() => {
                vec![(KeyCode::Char(w.chars().next().unwrap()), NONE)]
            }
            _ => return None,
        })
    };
    // `↑↓ PgUp PgDn Home End`: several keys in one word, all or nothing
    let parts: Option<Vec<Vec<Key>>> = word.split_whitespace().map(one).collect();
    parts.map(|v| v.concat()).unwrap_or_default()
}

fn exempt(place: &str, word: &str) -> bool {
    IN_PROMPTS
        .iter()
        .any(|(p, w)| place.starts_with(p) && *w == word)
}

#[test]
fn every_key_the_readme_names_is_a_key_of_that_screen() {
    let mut wrong = Vec::new();
    for (place, words) in rows() {
        let cx = contexts(&place);
        for w in &words {
            for (code, mods) in keys_of(w) {
                let ev = KeyEvent::new(code, mods);
                if !cx.iter().any(|c| lookup(&ev, *c).is_some()) && !exempt(&place, w) {
                    wrong.push(format!("`{w}` in row `{place}`"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the README names keys the console does not have there: {wrong:#?}"
    );
}

#[test]
fn every_key_of_the_table_is_in_the_readme_row_of_its_screen() {
    let rows = rows();
    let named = |places: &[&str]| -> HashSet<Key> {
        rows.iter()
            .filter(|(p, _)| places.iter().any(|q| p.starts_with(q)))
            .flat_map(|(_, words)| words.iter().flat_map(|w| keys_of(w)))
            .collect()
    };
    let mut missing = Vec::new();
    for b in BINDINGS {
        let places: &[&str] = match b.scope {
            Scope::Global => &["everywhere"],
            Scope::Browse => &["all but the count screen"],
            Scope::On(Screen::Agenda) => &["agenda"],
            Scope::On(Screen::Roll) => &["roll call"],
            Scope::On(Screen::Questions) => &["questions"],
            Scope::On(Screen::Commitments) => &["commitments"],
            Scope::On(Screen::Projects) => &["projects"],
            Scope::On(Screen::Log) => &["everywhere"],
            Scope::On(Screen::Ballot) => &["count: the procedure"],
            Scope::Counting(CountKind::Approval) => {
                &["count: approval ballot", "count: the procedure"]
            }
            Scope::Counting(CountKind::Satisfaction) => &["count: evaluation"],
            Scope::Counting(CountKind::Resolution) => &["count: resolution"],
            Scope::Papers => &[
                "count: approval ballot",
                "count: evaluation",
                "count: the procedure",
            ],
            Scope::Ruling => &["count: a scanned sheet"],
        };
        let have = named(places);
        for k in b.keys {
            if !have.contains(k) {
                missing.push(format!("{} ({:?}, {:?})", b.key_label, b.cmd, b.scope));
            }
        }
    }
    missing.dedup();
    assert!(
        missing.is_empty(),
        "keys of the console the README's table does not name: {missing:#?}"
    );
}
