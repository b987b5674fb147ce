//! The ballot procedure through the real binary: scripted set-up with `apply`, papers imported
//! from CSV (all or nothing, idempotent), the result announced, and the JSON export checked
//! field by field.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn huiwu(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_huiwu"))
        .args(args)
        .output()
        .expect("run huiwu");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn session() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sessions/hexi-ballot.toml")
        .display()
        .to_string()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// 298 deputies: 290 present, 8 on leave; the ballot started, 290 papers issued.
fn set_up(dir: &Path) -> String {
    let db = dir.join("hexi.db").display().to_string();
    let mut script = String::new();
    for i in 291..=298 {
        script.push_str(&format!(
            "{{\"action\":\"mark_attendance\",\"deputy\":\"HX{i:03}\",\"status\":\"leave\"}}\n"
        ));
    }
    script.push_str(
        r#"{"action":"mark_unmarked","status":"present"}
{"action":"start_item","item":"ballot"}
{"action":"set_issued","ballot":"ballot","issued":290}
"#,
    );
    let s = write(dir, "setup.jsonl", &script);
    let (code, _, err) = huiwu(&[
        "apply",
        "--db",
        &db,
        "--session",
        &session(),
        s.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    db
}

const HEADER: &str =
    "serial,P01,P02,P03,P04,P05,P06,P07,P08,P09,P10,P11,P12,P13,P14,P15,void_reason\n";

/// `n` papers: P01–P10 ○ and P11–P15 ×, except that P10 gets × on the last `split` papers and
/// P11 gets ○ on them instead.
fn papers(prefix: &str, n: usize, split: usize) -> String {
    let mut s = HEADER.to_string();
    for i in 0..n {
        let swap = i >= n - split;
        let mut cells: Vec<&str> = Vec::new();
        for c in 1..=15 {
            cells.push(match (c, swap) {
                (10, true) => "×",
                (11, true) => "○",
                (c, _) if c <= 10 => "○",
                _ => "×",
            });
        }
        s.push_str(&format!("{prefix}-{i:04},{},\n", cells.join(",")));
    }
    s
}

/// SHA-256 of the database file: "unchanged" means byte for byte.
fn digest(db: &str) -> String {
    huiwu::store::sha256_hex(&std::fs::read(db).unwrap())
}

fn export(db: &str) -> Value {
    let (code, out, err) = huiwu(&["export", "--db", db, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn ballot<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == id)
        .unwrap()
}

#[test]
fn import_announce_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = set_up(dir.path());
    // 200 papers from one stack, 90 from another on which P10 loses 88 votes to P11
    let a = write(dir.path(), "a.csv", &papers("A", 200, 0));
    let (code, out, err) = huiwu(&[
        "ballot",
        "import",
        "--db",
        &db,
        "--ballot",
        "ballot",
        a.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("200"), "{out}");
    // the same file again changes nothing: the database file is byte-identical
    let before = digest(&db);
    let (code, out, _) = huiwu(&[
        "--lang",
        "en",
        "ballot",
        "import",
        "--db",
        &db,
        "--ballot",
        "ballot",
        a.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("already recorded"), "{out}");
    assert_eq!(digest(&db), before);

    // a malformed row refuses the whole file, naming its line
    let mut bad = papers("B", 90, 88);
    bad = bad.replacen("B-0004,○", "B-0004,?", 1);
    let b = write(dir.path(), "b.csv", &bad);
    let (code, _, err) = huiwu(&[
        "--lang",
        "en",
        "ballot",
        "import",
        "--db",
        &db,
        "--ballot",
        "ballot",
        b.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains(":6:") && err.contains("not a mark"), "{err}");
    assert_eq!(digest(&db), before);

    let b = write(dir.path(), "b.csv", &papers("B", 90, 88));
    let (code, _, err) = huiwu(&[
        "ballot",
        "import",
        "--db",
        &db,
        "--ballot",
        "ballot",
        b.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");

    let v = export(&db);
    let bal = ballot(&v, "ballot");
    assert_eq!(bal["kind"], "approval");
    assert_eq!(bal["places"], 10);
    assert_eq!(bal["base"], 298);
    assert_eq!(bal["issued"], 290);
    assert_eq!(bal["returned"], 290);
    assert_eq!(bal["valid"], 290);
    assert_eq!(bal["void"], 0);
    assert_eq!(bal["vote_void"], false);
    assert_eq!(bal["status"], "open");
    assert_eq!(bal["runoff_of"], Value::Null);
    let cands = bal["candidates"].as_array().unwrap();
    let get = |id: &str| cands.iter().find(|c| c["id"] == id).unwrap();
    // P01: 290 yes; P10: 202 yes (passes 150); P11: 88 yes (below 150)
    assert_eq!(get("P01")["yes"], 290);
    assert_eq!(get("P10")["yes"], 202);
    assert_eq!(get("P10")["no"], 88);
    assert_eq!(get("P11")["yes"], 88);
    assert_eq!(get("P10")["outcome"], "selected");
    assert_eq!(get("P11")["outcome"], "below_threshold");
    assert_eq!(get("P10")["rank"], 10);
    for c in cands {
        let sum =
            c["yes"].as_u64().unwrap() + c["no"].as_u64().unwrap() + c["abstain"].as_u64().unwrap();
        assert_eq!(sum, 290, "{c}");
    }

    // announce, then the ballot is locked and the export says so
    let s = write(
        dir.path(),
        "announce.jsonl",
        "{\"action\":\"announce_ballot\",\"ballot\":\"ballot\"}\n",
    );
    let (code, _, err) = huiwu(&["apply", "--db", &db, s.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let c = write(dir.path(), "c.csv", &papers("C", 1, 0));
    let (code, _, err) = huiwu(&[
        "ballot",
        "import",
        "--db",
        &db,
        "--ballot",
        "ballot",
        c.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "a locked ballot must refuse papers");
    assert!(err.contains("锁定"), "{err}");
    let v = export(&db);
    let bal = ballot(&v, "ballot");
    assert_eq!(bal["status"], "announced");
    assert_eq!(bal["unfilled"], 0);
    let ann = bal["announcement_zh"].as_array().unwrap();
    assert_eq!(ann[0], "票决时应到代表298名,实到290名。");
    assert_eq!(
        ann[1],
        "根据总监票人报告,表决票发出290张,收回290张,收回票数不多于发出票数,本次票决有效。"
    );
    assert_eq!(ann[2], "有效票290张,无效票0张。");
    let head = ann
        .iter()
        .position(|l| l == "根据票决结果,以下10个项目确定为2027年度民生实事项目:")
        .expect("the list's heading on a line of its own");
    // one project per line, numbered in brackets
    assert!(ann[head + 1].as_str().unwrap().starts_with("(1)"));
    assert!(ann[head + 10].as_str().unwrap().starts_with("(10)"));
    assert!(ann[head + 10].as_str().unwrap().ends_with("。"));
    let sel = &v["selections"][0];
    assert_eq!(sel["selected"].as_array().unwrap().len(), 10);
    assert_eq!(sel["selected"][9], "P10");
    let (code, out, _) = huiwu(&["verify", "--db", &db]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn void_papers_and_returned_more_than_issued() {
    let dir = tempfile::tempdir().unwrap();
    let db = set_up(dir.path());
    let s = write(
        dir.path(),
        "few.jsonl",
        "{\"action\":\"set_issued\",\"ballot\":\"ballot\",\"issued\":3}\n",
    );
    assert_eq!(huiwu(&["apply", "--db", &db, s.to_str().unwrap()]).0, 0);
    // four papers for three issued: one with 11 ○ (void), one ruled void by hand
    let mut csv = HEADER.to_string();
    csv.push_str("V-1,○,○,○,○,○,○,○,○,○,○,○,,,,,\n");
    csv.push_str("V-2,,,,,,,,,,,,,,,,污损无法辨认\n");
    csv.push_str("V-3,○,,,,,,,,,,,,,,,\n");
    csv.push_str("V-4,×,,,,,,,,,,,,,,,\n");
    let f = write(dir.path(), "v.csv", &csv);
    let (code, _, err) = huiwu(&[
        "ballot",
        "import",
        "--db",
        &db,
        "--ballot",
        "ballot",
        f.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v = export(&db);
    let bal = ballot(&v, "ballot");
    assert_eq!(
        (bal["valid"].as_u64(), bal["void"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(bal["vote_void"], true);
    let papers = bal["papers"].as_array().unwrap();
    assert_eq!(papers[0]["verdict"], "void_too_many");
    assert_eq!(papers[1]["verdict"], "void_hand");
    assert_eq!(papers[1]["void_reason"], "污损无法辨认");
    let ann = bal["announcement_zh"].as_array().unwrap();
    assert!(
        ann[1]
            .as_str()
            .unwrap()
            .contains("收回票数多于发出票数,本次票决无效")
    );
    assert_eq!(ann.len(), 2, "a void vote announces no count: {ann:?}");
    assert!(bal["base"].is_null());
}

/// Every broken ballot CSV in `tests/fixtures/bad-ballot/` is refused with its expected message
/// and leaves the database byte for byte unchanged.
#[test]
fn bad_ballot_files_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = set_up(dir.path());
    let before = digest(&db);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-ballot");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10);
    for csv in cases {
        let expected = std::fs::read_to_string(csv.with_extension("expected")).unwrap();
        let (code, _, err) = huiwu(&[
            "--lang",
            "en",
            "ballot",
            "import",
            "--db",
            &db,
            "--ballot",
            "ballot",
            csv.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{}: {err}", csv.display());
        let got = err
            .trim()
            .replacen(&format!("{}/", fixtures.display()), "", 1);
        assert_eq!(got, expected.trim(), "{}", csv.display());
        assert_eq!(
            digest(&db),
            before,
            "{} changed the database",
            csv.display()
        );
    }
}
