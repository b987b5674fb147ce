//! Every hint, prompt and error that names a command's key takes the name from the one key
//! table (`keys::key_of`), so a rebinding can never leave a screen telling the clerk to press a
//! key that now does something else. This reads the source: a key written by hand into a
//! message (`按 s 开始`, `press n`, `Ctrl-S stops`) outside `src/tui/keys.rs` fails, naming
//! file and line.

use std::path::Path;

/// Keys of the text prompts and dialogs themselves, not commands of the key table.
const FIXED: &[&str] = &[
    "Enter",
    "Esc",
    "Bksp",
    "Backspace",
    "Tab",
    "Ctrl-J",
    "Alt-Enter",
    "y",
];

fn token_after(rest: &str) -> String {
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    rest.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '+'))
        .collect()
}

/// Whether a word is a key's name: one character, an F-key, a chord, or keys joined by `/`.
fn is_key(tok: &str) -> bool {
    let one = |t: &str| {
        t.chars().count() == 1
            || (t.len() <= 3
                && t.starts_with('F')
                && t.len() > 1
                && t[1..].chars().all(|c| c.is_ascii_digit()))
            || t.starts_with("Ctrl-")
            || t.starts_with("Alt-")
    };
    !tok.is_empty() && tok.split('/').all(one)
}

/// What in this line names a key by hand.
fn hand_written(line: &str) -> Vec<String> {
    let code = line.trim_start();
    if code.starts_with("//") || !code.contains('"') {
        return Vec::new();
    }
    let mut out = Vec::new();
    for lead in ["按", "press ", "Press "] {
        for (at, _) in line.match_indices(lead) {
            let tok = token_after(&line[at + lead.len()..]);
            if is_key(&tok) && !FIXED.contains(&tok.as_str()) {
                out.push(format!("{lead}{tok}"));
            }
        }
    }
    // A chord or an F-key anywhere in a string: `(Ctrl-R)`, `(F2)`, `Ctrl-X 同一张`.
    let bytes = line.as_bytes();
    for (at, _) in line.match_indices(['C', 'F']) {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-') {
            continue;
        }
        let tok = token_after(&line[at..]);
        let chord = tok.starts_with("Ctrl-") || (tok.starts_with('F') && is_key(&tok));
        if chord && !FIXED.contains(&tok.as_str()) && !out.iter().any(|o| o.ends_with(&tok)) {
            out.push(tok);
        }
    }
    out
}

fn scan(dir: &Path, found: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            scan(&p, found);
            continue;
        }
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".rs") || name.ends_with("tests.rs") || p.ends_with("tui/keys.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        for (n, line) in text.lines().enumerate() {
            // Test modules sit at the end of a file; their strings are not shown to anyone.
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            for k in hand_written(line) {
                found.push(format!("{}:{}: {k}", p.display(), n + 1));
            }
        }
    }
}

#[test]
fn no_message_names_a_key_by_hand() {
    let mut found = Vec::new();
    scan(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui"),
        &mut found,
    );
    assert!(
        found.is_empty(),
        "keys named by hand (use keys::key_of):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_sees_what_it_must() {
    assert_eq!(hand_written(r#"    "选中议程后按 s 开始。","#), ["按s"]);
    assert_eq!(
        hand_written(r#"  "(按 Enter 确认,Esc 取消)", "press n to add""#),
        ["press n"]
    );
    assert_eq!(hand_written(r#" "再按 Ctrl-S 停止""#), ["按Ctrl-S"]);
    assert_eq!(hand_written(r#" "Ctrl-R to rule""#), ["Ctrl-R"]);
    assert_eq!(hand_written(r#" "check the papers issued (F2)""#), ["F2"]);
    assert_eq!(hand_written(r#" "按 o/i/d/l 改变状态""#), ["按o/i/d/l"]);
    assert!(hand_written(r#" "press the key again", "Fill in F10X""#).is_empty());
    assert!(hand_written("    // 按 s 开始").is_empty());
    assert!(hand_written(r#" "按 {start} 开始""#).is_empty());
}
