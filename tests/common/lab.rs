//! A scratch folder with a sample session and the real binary, for the suites that attack the
//! record the way an auditor would (`attack_suite`, `integrity_suite`). `HUIWU_ATTACK_BIN`
//! runs them against another huiwu binary (an older one, to see each attack succeed there).

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn bin() -> PathBuf {
    std::env::var_os("HUIWU_ATTACK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_huiwu")))
}

pub fn sessions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions")
}

pub fn digest(p: &Path) -> String {
    huiwu::store::sha256_hex(&std::fs::read(p).unwrap())
}

/// A scratch folder with the sample ballot session (298 deputies, 15 candidates for 10 places).
pub struct Lab {
    dir: tempfile::TempDir,
}

impl Lab {
    pub fn new() -> Lab {
        let dir = tempfile::tempdir().unwrap();
        for f in ["hexi-ballot.toml", "hexi-roster.csv"] {
            std::fs::copy(sessions().join(f), dir.path().join(f)).unwrap();
        }
        Lab { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn session(&self) -> PathBuf {
        self.path("hexi-ballot.toml")
    }

    /// `huiwu --lang en ARGS` in the lab: exit code and everything it printed.
    pub fn huiwu(&self, args: &[&str]) -> (i32, String) {
        let out = Command::new(bin())
            .arg("--lang")
            .arg("en")
            .args(args)
            .current_dir(self.dir.path())
            .stdin(std::process::Stdio::null())
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

    /// Apply JSON lines to `db` (created from the session file if needed).
    pub fn apply(&self, db: &Path, lines: &[String]) -> (i32, String) {
        let script = self.path(&format!(
            "script-{}.jsonl",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::write(&script, lines.join("\n") + "\n").unwrap();
        self.huiwu(&[
            "apply",
            "--db",
            db.to_str().unwrap(),
            "--session",
            self.session().to_str().unwrap(),
            script.to_str().unwrap(),
        ])
    }

    pub fn ok(&self, db: &Path, lines: &[String]) {
        let (code, out) = self.apply(db, lines);
        assert_eq!(code, 0, "{out}");
    }

    /// Apply `lines` with a witness file beside the database; returns the script's path.
    pub fn with_witness(&self, db: &Path, witness: &Path, lines: &[String]) -> PathBuf {
        let script = self.path("s.jsonl");
        std::fs::write(&script, lines.join("\n")).unwrap();
        let (code, out) = self.huiwu(&[
            "apply",
            "--db",
            db.to_str().unwrap(),
            "--session",
            self.session().to_str().unwrap(),
            "--witness",
            witness.to_str().unwrap(),
            script.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{out}");
        script
    }

    pub fn verify(&self, db: &Path, extra: &[&str]) -> (i32, String) {
        let mut args = vec!["verify", "--db", db.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.huiwu(&args)
    }

    /// Pair station database `station` as `name` with `main`; returns the pairing code.
    pub fn pair(&self, main: &Path, station: &Path, name: &str) -> String {
        let (code, out) = self.huiwu(&["station", "add", "--db", main.to_str().unwrap(), name]);
        assert_eq!(code, 0, "{out}");
        let pairing = out
            .lines()
            .map(str::trim)
            .find(|l| l.len() == 44 && l.matches('-').count() == 8)
            .unwrap_or_else(|| panic!("no code in {out}"))
            .to_string();
        let (code, out) = self.huiwu(&[
            "station",
            "pair",
            "--db",
            station.to_str().unwrap(),
            "--session",
            self.session().to_str().unwrap(),
            name,
            &pairing,
        ]);
        assert_eq!(code, 0, "{out}");
        pairing
    }

    /// Export the station's next batch of `ballot` to `file`.
    pub fn export_batch(&self, station: &Path, file: &Path) -> String {
        let (code, out) = self.huiwu(&[
            "ballot",
            "export-batch",
            "--db",
            station.to_str().unwrap(),
            "--ballot",
            "ballot",
            "-o",
            file.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{out}");
        out
    }

    pub fn import_batch(&self, main: &Path, file: &Path) -> (i32, String) {
        self.huiwu(&[
            "ballot",
            "import-batch",
            "--db",
            main.to_str().unwrap(),
            file.to_str().unwrap(),
        ])
    }

    /// A counted, announced ballot: everybody present, 280 issued, `n` papers, announced.
    pub fn announced(&self, name: &str, n: usize) -> PathBuf {
        let db = self.path(name);
        let mut lines = opening();
        lines.extend((0..n).map(|i| paper(&format!("M-{i:04}"), &marks(i), None)));
        lines.push(act(r#""action":"announce_ballot","ballot":"ballot""#));
        self.ok(&db, &lines);
        db
    }
}

pub fn act(body: &str) -> String {
    format!("{{{body}}}")
}

/// Everybody present, the ballot started, 280 papers issued.
pub fn opening() -> Vec<String> {
    vec![
        act(r#""action":"mark_unmarked","status":"present""#),
        act(r#""action":"start_item","item":"ballot""#),
        act(r#""action":"set_issued","ballot":"ballot","issued":280"#),
    ]
}

pub fn marks(i: usize) -> String {
    (0..15)
        .map(|k| {
            if (i + k).is_multiple_of(3) || k >= 12 {
                'N'
            } else if k < 10 {
                'Y'
            } else {
                'A'
            }
        })
        .collect()
}

pub fn paper(serial: &str, marks: &str, void: Option<&str>) -> String {
    let v = serde_json::json!({
        "action": "record_paper",
        "ballot": "ballot",
        "serial": serial,
        "marks": marks,
    });
    let mut v = v;
    if let Some(r) = void {
        v["void_reason"] = r.into();
    }
    v.to_string()
}

/// The JSON export of `db` (which must succeed).
pub fn json(lab: &Lab, db: &Path) -> serde_json::Value {
    let (code, out) = lab.huiwu(&["export", "--db", db.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    serde_json::from_str(&out).unwrap()
}

pub fn head_of(lab: &Lab, db: &Path) -> String {
    json(lab, db)["chain_head"]["text"]
        .as_str()
        .expect("chain_head.text")
        .to_string()
}

/// A station paired with the main console, with `n` papers keyed and sent as batch 1.
pub fn station_with_batch(lab: &Lab, main: &Path, name: &str, n: usize) -> PathBuf {
    let db = lab.path(&format!("{name}.db"));
    lab.pair(main, &db, name);
    let mut lines = opening();
    lines.extend((0..n).map(|i| paper(&format!("{name}-{:04}", i + 1), &marks(i), None)));
    lab.ok(&db, &lines);
    let file = lab.path(&format!("{name}-1.json"));
    lab.export_batch(&db, &file);
    file
}

pub fn main_console(lab: &Lab) -> PathBuf {
    let main = lab.path("main.db");
    lab.ok(&main, &opening());
    main
}

pub fn edit_json(file: &Path, f: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    f(&mut v);
    let out = file.with_extension("edited.json");
    std::fs::write(&out, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    out
}
