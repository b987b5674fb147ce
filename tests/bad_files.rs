//! User-facing refusals of broken session files and rosters, pinned one file per case.
//!
//! `tests/fixtures/bad/NAME.toml` (with `NAME.csv` beside it when the case is about the roster)
//! must be refused; the English rendering of the error, with the fixture folder stripped from
//! the front, must equal `NAME.expected`. `tests/fixtures/good/NAME.toml` must load; its roster,
//! one deputy per line, must equal `NAME.expected`.
//!
//! A case listed in the folder's `KNOWN_ISSUES` is one where the loader is known to answer
//! wrongly: `NAME.expected` holds the answer it should give and `NAME.actual` the wrong answer
//! it gives today. The test fails as soon as that answer changes, so a fix is noticed (then
//! delete `NAME.actual` and the `KNOWN_ISSUES` line). See `tests/fixtures/bad/README.md`.
//!
//! `HUIWU_BLESS=1 cargo test --test bad_files` writes what the loader says into `NAME.expected`
//! (into `NAME.actual` for known issues); read the diff before committing it.

#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{MAIN_SEPARATOR, Path, PathBuf};

use huiwu::i18n::Lang;
use huiwu::sessionfile::{FileError, Loaded, load};

fn fixtures(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(kind)
}

fn cases(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("toml"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

/// `KNOWN_ISSUES`: `name  what is wrong`, `#` starts a comment.
fn known_issues(dir: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(dir.join("KNOWN_ISSUES")).unwrap_or_default();
    text.lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((n, why)) => (n.to_string(), why.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

fn bless() -> bool {
    std::env::var_os("HUIWU_BLESS").is_some_and(|v| v != "0")
}

/// Run the loader, turning a panic into its message.
fn run(path: &Path) -> Result<Result<Loaded, FileError>, String> {
    catch_unwind(AssertUnwindSafe(|| load(path))).map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "non-string panic".into())
    })
}

/// The rendering with the fixture folder removed, so expectations do not depend on where the
/// repository is checked out: `/…/bad/dup-id.csv:5:1: …` becomes `dup-id.csv:5:1: …`.
fn relative(rendered: &str, dir: &Path) -> String {
    let prefix = format!("{}{MAIN_SEPARATOR}", dir.display());
    rendered.replacen(&prefix, "", 1)
}

fn read(dir: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(file))
        .ok()
        .map(|s| s.replace("\r\n", "\n").trim_end().to_string())
}

fn indent(s: &str) -> String {
    s.replace('\n', "\n              ")
}

/// Compare (or bless) one case's output; returns a failure description.
fn compare(
    dir: &Path,
    name: &str,
    actual: &str,
    known: &BTreeMap<String, String>,
) -> Option<String> {
    let issue = known.get(name);
    if bless() {
        let ext = if issue.is_some() {
            "actual"
        } else {
            "expected"
        };
        std::fs::write(dir.join(format!("{name}.{ext}")), format!("{actual}\n")).unwrap();
        return None;
    }
    let want = read(dir, &format!("{name}.expected"));
    let Some(why) = issue else {
        return match want {
            None => Some(format!("{name}: no {name}.expected; actual:\n    {actual}")),
            Some(w) if w != actual => Some(format!(
                "{name}:\n    expected: {}\n    actual:   {}",
                indent(&w),
                indent(actual)
            )),
            Some(_) => None,
        };
    };
    // A known issue: the loader must still give exactly the wrong answer on record.
    if want.as_deref() == Some(actual) {
        return Some(format!(
            "{name}: fixed ({why}) — delete {name}.actual and its KNOWN_ISSUES line"
        ));
    }
    match read(dir, &format!("{name}.actual")) {
        None => Some(format!(
            "{name}: known issue without {name}.actual; actual:\n    {actual}"
        )),
        Some(was) if was != actual => Some(format!(
            "{name}: known issue ({why}); the answer changed — check it against {name}.expected:\n    \
             expected: {}\n    was:      {}\n    now:      {}",
            indent(want.as_deref().unwrap_or("(no .expected)")),
            indent(&was),
            indent(actual)
        )),
        Some(_) => {
            eprintln!("known issue, not yet fixed: {name}: {why}");
            None
        }
    }
}

/// Every `.expected`, `.actual`, `.csv` and `KNOWN_ISSUES` entry belongs to a case.
fn orphans(dir: &Path, names: &[String], known: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        let stem = p.file_stem().unwrap().to_str().unwrap().to_string();
        match p.extension().and_then(|e| e.to_str()) {
            Some("expected" | "csv") if !names.contains(&stem) => {
                out.push(format!("{}: no {stem}.toml uses it", p.display()));
            }
            Some("actual") if !known.contains_key(&stem) => {
                out.push(format!("{}: {stem} is not in KNOWN_ISSUES", p.display()));
            }
            _ => {}
        }
    }
    for n in known.keys() {
        if !names.contains(n) {
            out.push(format!("KNOWN_ISSUES names {n}, which has no {n}.toml"));
        }
    }
    out
}

fn finish(what: &str, total: usize, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} of {total} {what} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn bad_files_are_refused_with_the_expected_message() {
    let dir = fixtures("bad");
    let names = cases(&dir);
    let known = known_issues(&dir);
    assert!(names.len() >= 40, "fixtures missing? found {}", names.len());
    let mut failures = orphans(&dir, &names, &known);
    for name in &names {
        let path = dir.join(format!("{name}.toml"));
        let out = match run(&path) {
            Err(panic) => format!("PANIC: {panic}"),
            Ok(Ok(_)) => "LOADED, but should have been refused".to_string(),
            Ok(Err(err)) => {
                let en = relative(&err.render(Lang::En), &dir);
                let zh = relative(&err.render(Lang::Zh), &dir);
                // The file at fault is named, and both languages point at the same place.
                if !en.starts_with(&format!("{name}.toml"))
                    && !en.starts_with(&format!("{name}.csv"))
                {
                    failures.push(format!("{name}: the message does not name the file: {en}"));
                }
                let place = |s: &str| s.split(": ").next().unwrap_or("").to_string();
                if place(&en) != place(&zh) {
                    failures.push(format!(
                        "{name}: zh and en differ in place:\n    {en}\n    {zh}"
                    ));
                }
                let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
                if !err.message.zh.chars().any(cjk) {
                    failures.push(format!("{name}: the Chinese message has no Chinese: {zh}"));
                }
                en
            }
        };
        failures.extend(compare(&dir, name, &out, &known));
    }
    finish("bad-file cases", names.len(), failures);
}

/// One line per deputy, so a decoding slip (BOM in the first id, GBK mojibake, a lost quote)
/// shows as a one-line diff.
fn roster_summary(l: &Loaded) -> String {
    let mut s = String::new();
    for d in &l.def.deputies {
        let seat = d.seat.as_deref().unwrap_or("-");
        let unit = d.unit.as_deref().unwrap_or("-");
        writeln!(s, "{}|{}|{}|{seat}|{unit}", d.id, d.name, d.group).unwrap();
    }
    for w in &l.warnings {
        writeln!(s, "warning: {}", w.en).unwrap();
    }
    s.trim_end().to_string()
}

#[test]
fn good_control_files_load() {
    let dir = fixtures("good");
    let names = cases(&dir);
    let known = known_issues(&dir);
    assert!(names.len() >= 5, "fixtures missing? found {}", names.len());
    let mut failures = orphans(&dir, &names, &known);
    for name in &names {
        let out = match run(&dir.join(format!("{name}.toml"))) {
            Err(panic) => format!("PANIC: {panic}"),
            Ok(Err(e)) => format!("REFUSED: {}", relative(&e.render(Lang::En), &dir)),
            Ok(Ok(l)) => roster_summary(&l),
        };
        failures.extend(compare(&dir, name, &out, &known));
    }
    finish("good control files", names.len(), failures);
}
