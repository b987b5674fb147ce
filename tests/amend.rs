//! Amending a session file after the first run (issue 13): the changes are shown field by
//! field; those touching nothing counted, started or announced are recorded in the chain with a
//! reason and the session, its exports and `verify` follow the amended file; the others are
//! refused, each named, and the database is left as it was.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Lab {
    dir: tempfile::TempDir,
}

impl Lab {
    /// The sample ballot, counted a little: everybody present, the ballot running, two papers.
    fn new() -> Lab {
        let dir = tempfile::tempdir().unwrap();
        let sessions = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions");
        for f in ["hexi-ballot.toml", "hexi-roster.csv"] {
            std::fs::copy(sessions.join(f), dir.path().join(f)).unwrap();
        }
        let lab = Lab { dir };
        let script = lab.path("s.jsonl");
        std::fs::write(
            &script,
            [
                r#"{"action":"mark_attendance","deputy":"HX001","status":"leave"}"#,
                r#"{"action":"mark_unmarked","status":"present"}"#,
                r#"{"action":"start_item","item":"ballot"}"#,
                r#"{"action":"set_issued","ballot":"ballot","issued":280}"#,
                r#"{"action":"record_paper","ballot":"ballot","serial":"M-1","marks":"YYYYYNNNNNNNNNA"}"#,
                r#"{"action":"record_paper","ballot":"ballot","serial":"M-2","marks":"NYYYYNNNNNNNNNA"}"#,
            ]
            .join("\n"),
        )
        .unwrap();
        let (code, out) = lab.huiwu(&[
            "apply",
            "--db",
            lab.db().to_str().unwrap(),
            "--session",
            lab.toml().to_str().unwrap(),
            script.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{out}");
        lab
    }

    fn path(&self, f: &str) -> PathBuf {
        self.dir.path().join(f)
    }
    fn toml(&self) -> PathBuf {
        self.path("hexi-ballot.toml")
    }
    fn db(&self) -> PathBuf {
        self.path("hexi-ballot.db")
    }

    fn huiwu(&self, args: &[&str]) -> (i32, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_huiwu"))
            .arg("--lang")
            .arg("en")
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let p = self.path(file);
        let t = std::fs::read_to_string(&p).unwrap();
        assert!(t.contains(from), "{from} not in {file}");
        std::fs::write(&p, t.replacen(from, to, 1)).unwrap();
    }

    fn amend(&self, reason: Option<&str>) -> (i32, String) {
        let toml = self.toml().display().to_string();
        let mut args = vec!["amend", toml.as_str()];
        if let Some(r) = reason {
            args.extend(["--reason", r]);
        }
        self.huiwu(&args)
    }

    fn digest(&self) -> String {
        huiwu::store::sha256_hex(&std::fs::read(self.db()).unwrap())
    }

    fn json(&self) -> serde_json::Value {
        let (code, out) = self.huiwu(&[
            "export",
            "--db",
            self.db().to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{out}");
        serde_json::from_str(&out).unwrap()
    }
}

#[test]
fn a_typo_in_a_name_is_amended_with_a_reason_and_everything_follows() {
    let lab = Lab::new();
    lab.edit("hexi-roster.csv", "HX251,王炜", "HX251,王玮");
    // the console does not open a database under another definition, and says what changed
    let (code, out) = lab.huiwu(&["check", lab.toml().to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let export = lab.huiwu(&[
        "apply",
        "--db",
        lab.db().to_str().unwrap(),
        "--session",
        lab.toml().to_str().unwrap(),
        lab.path("s.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(export.0, 2);
    assert!(
        export.1.contains("deputies[HX251].name") && export.1.contains("huiwu amend"),
        "{}",
        export.1
    );
    // without a reason: shown, not recorded
    let before = lab.digest();
    let (code, out) = lab.amend(None);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("deputies[HX251].name: “王炜” → “王玮”"),
        "{out}"
    );
    assert_eq!(lab.digest(), before);
    let (code, out) = lab.amend(Some("王玮的姓名录入有误"));
    assert_eq!(code, 0, "{out}");
    let v = lab.json();
    let d = v["deputies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "HX251")
        .unwrap();
    assert_eq!(d["name"], "王玮");
    assert_eq!(v["ballots"][1]["keyed"], 2, "the papers stay");
    assert!(
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"]["action"] == "amend_session")
    );
    assert_eq!(
        lab.huiwu(&["verify", "--db", lab.db().to_str().unwrap()]).0,
        0
    );
    // and the amended file now opens: apply goes on under it
    let more = lab.path("more.jsonl");
    std::fs::write(
        &more,
        r#"{"action":"record_paper","ballot":"ballot","serial":"M-3","marks":"YYNNNNNNNNNNNNA"}"#,
    )
    .unwrap();
    let (code, out) = lab.huiwu(&[
        "apply",
        "--db",
        lab.db().to_str().unwrap(),
        "--session",
        lab.toml().to_str().unwrap(),
        more.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    // amending again with nothing changed says so
    let (code, out) = lab.amend(Some("再次"));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("nothing to amend"), "{out}");
}

#[test]
fn what_touches_nothing_counted_is_accepted() {
    let lab = Lab::new();
    // a deputy added, a candidate's name and unit, an item's title and minutes, an item added
    let roster = std::fs::read_to_string(lab.path("hexi-roster.csv")).unwrap();
    std::fs::write(
        lab.path("hexi-roster.csv"),
        format!("{roster}HX299,补选代表,滨江街道代表团,12排1座\n"),
    )
    .unwrap();
    lab.edit("hexi-ballot.toml", "区商务局", "区商务局、区市场监管局");
    lab.edit("hexi-ballot.toml", "minutes = 5", "minutes = 8");
    let (code, out) = lab.amend(Some("补选代表到会;承办单位更正"));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("deputies: HX299 added"), "{out}");
    let v = lab.json();
    assert_eq!(v["attendance"]["total"], 299);
    assert_eq!(v["attendance"]["unmarked"], 1);
    assert_eq!(
        lab.huiwu(&["verify", "--db", lab.db().to_str().unwrap()]).0,
        0
    );
}

#[test]
fn what_was_counted_started_or_announced_is_refused_each_named() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // (file, from, to, what the refusal names)
        (
            "hexi-ballot.toml",
            "id = \"P03\"",
            "id = \"P99\"",
            "agenda[ballot].ballot.candidates",
        ),
        (
            "hexi-ballot.toml",
            "places = 10",
            "places = 9",
            "agenda[ballot].ballot.places",
        ),
        ("hexi-roster.csv", "HX001,", "HX001X,", "HX001"),
        (
            "hexi-ballot.toml",
            "quorum = \"two-thirds\"",
            "quorum = \"majority\"",
            "session.quorum",
        ),
    ];
    for (file, from, to, named) in cases {
        let lab = Lab::new();
        lab.edit(file, from, to);
        let before = lab.digest();
        let (code, out) = lab.amend(Some("试图修改"));
        assert_eq!(code, 2, "{from} → {to} was accepted: {out}");
        assert!(
            out.contains(named),
            "the refusal does not name {named}: {out}"
        );
        assert_eq!(lab.digest(), before, "{from} → {to} changed the database");
    }
    // the kind of a started item
    let lab = Lab::new();
    let t = std::fs::read_to_string(lab.toml()).unwrap();
    let i = t.find("id = \"ballot\"").unwrap();
    let k = t[i..].find("kind = \"ballot\"").unwrap() + i;
    let mut t2 = t.clone();
    t2.replace_range(k..k + "kind = \"ballot\"".len(), "kind = \"report\"");
    let cut = t2[k..].find("[agenda.ballot]").unwrap() + k;
    let end = t2[cut..].find("[[agenda]]").unwrap() + cut;
    t2.replace_range(cut..end, "");
    std::fs::write(lab.toml(), t2).unwrap();
    let (code, out) = lab.amend(Some("改为报告"));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("agenda[ballot].kind"), "{out}");
}
