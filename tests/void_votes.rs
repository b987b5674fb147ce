//! A void vote (more papers returned than issued, DESIGN.md §2.4) in every format, before and
//! after its announcement: no base, no outcome, nobody selected; the papers' counts on record;
//! the repeat offered and named. The same for an evaluation, which is then repeated. Run on
//! the street council (`sessions/changning-street-council.toml`, a 票荐), through the real
//! binary, each export read back.

use std::path::{Path, PathBuf};
use std::process::Command;

fn huiwu(cwd: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_huiwu"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run huiwu");
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "huiwu {args:?}\n{o}\n{e}");
    o
}

fn at(t: &str, a: &str) -> String {
    format!("{{\"at\":\"2026-11-26T{t}:00+08:00\",{a}}}\n")
}

fn paper(b: &str, serial: String, marks: &str) -> String {
    format!(
        "\"action\":\"record_paper\",\"ballot\":\"{b}\",\"serial\":\"{serial}\",\"marks\":\"{marks}\""
    )
}

struct Lab {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    db: PathBuf,
}

impl Lab {
    /// 45 deputies, 2 on leave (43 present); 43 papers issued and 44 returned for the 票荐
    /// and for the evaluation, every paper keyed.
    fn new() -> Lab {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let mut s = String::new();
        for d in ["CN44", "CN45"] {
            s += &at(
                "14:00",
                &format!("\"action\":\"mark_attendance\",\"deputy\":\"{d}\",\"status\":\"leave\""),
            );
        }
        s += &at("14:00", r#""action":"mark_unmarked","status":"present""#);
        s += &at("14:01", r#""action":"start_item","item":"piaojian""#);
        s += &at(
            "14:02",
            r#""action":"set_issued","ballot":"piaojian","issued":43"#,
        );
        s += &at(
            "14:03",
            r#""action":"set_returned","ballot":"piaojian","returned":44"#,
        );
        for i in 0..44 {
            s += &at(
                "14:10",
                &paper("piaojian", format!("A-{i:03}"), "YYYYYYNNN"),
            );
        }
        let db = dir.join("void.db");
        let lab = Lab { _tmp: tmp, dir, db };
        lab.apply(&s);
        lab
    }

    fn apply(&self, script: &str) {
        let f = self.dir.join(format!("s{}.jsonl", script.len()));
        std::fs::write(&f, script).unwrap();
        let session = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sessions/changning-street-council.toml")
            .display()
            .to_string();
        huiwu(
            &self.dir,
            &[
                "apply",
                "--db",
                &self.db.display().to_string(),
                "--session",
                &session,
                &f.display().to_string(),
            ],
        );
    }

    fn export(&self, format: &str, name: &str) -> PathBuf {
        let out = self.dir.join(name);
        let _ = std::fs::remove_dir_all(&out);
        huiwu(
            &self.dir,
            &[
                "export",
                "--db",
                &self.db.display().to_string(),
                "--format",
                format,
                "-o",
                &out.display().to_string(),
            ],
        );
        out
    }

    fn json(&self) -> serde_json::Value {
        let out = huiwu(
            &self.dir,
            &[
                "export",
                "--db",
                &self.db.display().to_string(),
                "--format",
                "json",
            ],
        );
        serde_json::from_str(&out).unwrap()
    }
}

fn ballot<'a>(v: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    v["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == id)
        .unwrap_or_else(|| panic!("no ballot {id}"))
}

fn unzip(path: &Path, member: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut e = z.by_name(member).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut e, &mut s).unwrap();
    s
}

/// The part of a text from `start` to the next `end` marker (or the end).
fn section<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let i = text
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not in the text"));
    let rest = &text[i..];
    match rest[start.len()..].find(end) {
        Some(j) => &rest[..start.len() + j],
        None => rest,
    }
}

/// Every format says the vote is void, shows no base and no outcome, and keeps the counts.
fn void_everywhere(lab: &Lab, announced: bool) {
    let v = lab.json();
    let b = ballot(&v, "piaojian");
    assert_eq!(b["vote_void"], true);
    assert_eq!(b["status"], if announced { "announced" } else { "open" });
    assert!(
        b["base"].is_null(),
        "a void vote has no base: {}",
        b["base"]
    );
    assert!(b["unfilled"].is_null());
    assert_eq!(b["count_name"], "票荐");
    assert_eq!(b["attendance"]["expected"], 45);
    assert_eq!(b["attendance"]["present"], 43);
    let cands = b["candidates"].as_array().unwrap();
    assert_eq!(cands.len(), 9, "the per-candidate counts stay on record");
    assert_eq!(cands[0]["yes"], 44);
    assert_eq!(cands[8]["no"], 44);
    for c in cands {
        assert!(c["outcome"].is_null() && c["rank"].is_null(), "{c}");
    }
    assert_eq!(b["repeat"]["id"], "piaojian#2");
    let sel = v["selections"].as_array().unwrap();
    assert!(
        sel.iter()
            .all(|s| s["item"] != "piaojian" || s["selected"].as_array().unwrap().is_empty()),
        "nobody is selected: {sel:?}"
    );
    let said = b["announcement_zh"].as_array().unwrap();
    let said: Vec<&str> = said.iter().map(|s| s.as_str().unwrap()).collect();
    assert_eq!(said[0], "票荐时应到代表45名,实到43名。");
    assert!(said[1].contains("票荐票发出43张,收回44张"), "{said:?}");
    assert!(said[1].contains("本次票荐无效,应重新投票"), "{said:?}");
    assert_eq!(said.len(), 2, "nothing is counted: {said:?}");

    // md, html: the section of the 票荐 says void, names no base and no outcome
    let md = std::fs::read_to_string(lab.export("md", "m.md")).unwrap();
    let sec = section(&md, "#### 2027年度街道民生实事项目票荐", "\n#### ");
    let text = sec;
    assert!(text.contains("本次票荐无效"), "{text}");
    assert!(text.contains("—(投票无效)"), "{text}");
    assert!(!text.contains("基数人数"), "{text}");
    assert!(!text.contains("当选"), "{text}");
    assert!(!text.contains("推荐为"), "{text}");
    assert!(!text.contains("临时)"), "{text}");
    assert!(text.contains("| 44 |"), "the counts: {text}");
    let html = std::fs::read_to_string(lab.export("html", "m.html")).unwrap();
    assert!(html.contains("本次票荐无效"));
    assert!(html.contains("—(投票无效)"));
    assert!(!html.contains("推荐为2027"));
    // csv: the per-ballot file is there with the counts
    let csv = lab.export("csv", "csv");
    let per =
        std::fs::read_to_string(csv.join("ballot-piaojian.csv")).expect("ballot-piaojian.csv");
    assert!(per.contains("—(投票无效)"), "{per}");
    assert!(per.contains(",44,"), "{per}");
    assert!(!per.contains("当选"), "{per}");
    // docx, xlsx: the same words and no outcome
    let docx = unzip(&lab.export("docx", "m.docx"), "word/document.xml");
    assert!(docx.contains("本次票荐无效"));
    assert!(docx.contains("—(投票无效)"));
    assert!(!docx.contains("推荐为2027"));
    let xlsx = unzip(&lab.export("xlsx", "m.xlsx"), "xl/sharedStrings.xml");
    assert!(xlsx.contains("—(投票无效)"));
    assert!(!xlsx.contains("推荐为2027"));
    if announced {
        let sheet = std::fs::read_to_string(lab.export("announcement", "a.html")).unwrap();
        assert!(sheet.contains("本次票荐无效,应重新投票"));
        assert!(sheet.contains("票荐时应到代表45名,实到43名"));
        assert!(!sheet.contains("当选"));
    }
}

#[test]
fn a_void_vote_has_no_base_no_outcome_and_keeps_its_counts_in_every_format() {
    let lab = Lab::new();
    void_everywhere(&lab, false);
    lab.apply(&at(
        "14:20",
        r#""action":"announce_ballot","ballot":"piaojian""#,
    ));
    void_everywhere(&lab, true);
    // the repeat: created, named in the JSON, counted as a round of its own
    lab.apply(&at(
        "14:21",
        r#""action":"create_round","ballot":"piaojian""#,
    ));
    let v = lab.json();
    assert_eq!(ballot(&v, "piaojian")["repeat"]["created"], true);
    assert_eq!(ballot(&v, "piaojian#2")["round_kind"], "repeat");
}

#[test]
fn a_void_evaluation_is_repeated_and_the_repeat_is_graded() {
    let lab = Lab::new();
    let mut s = at("14:20", r#""action":"announce_ballot","ballot":"piaojian""#);
    s += &at("14:25", r#""action":"finish_item","item":"piaojian""#);
    s += &at("14:26", r#""action":"start_item","item":"rating""#);
    s += &at(
        "14:27",
        r#""action":"set_issued","ballot":"rating","issued":43"#,
    );
    for i in 0..44 {
        s += &at("14:30", &paper("rating", format!("S-{i:03}"), "SSSSS"));
    }
    s += &at("14:35", r#""action":"announce_ballot","ballot":"rating""#);
    lab.apply(&s);
    let v = lab.json();
    let r = ballot(&v, "rating");
    assert_eq!(r["vote_void"], true);
    assert!(r["base"].is_null());
    let items = r["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(items[0]["satisfied"], 44, "the counts stay on record");
    for it in items {
        assert!(it["rate"].is_null() && it["grade"].is_null(), "{it}");
    }
    assert_eq!(r["repeat"]["id"], "rating#2");
    let said: Vec<&str> = r["announcement_zh"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(said[1].contains("测评票发出43张,收回44张"), "{said:?}");
    assert!(said[1].contains("本次测评无效,应重新投票"), "{said:?}");
    let md = std::fs::read_to_string(lab.export("md", "m.md")).unwrap();
    let sec = section(&md, "#### 街道职能部门工作满意度测评", "\n#### ");
    assert!(sec.contains("本次测评无效,不计基数,不产生结果"), "{sec}");
    assert!(
        !sec.contains("测评等次为"),
        "no grade in a void evaluation: {sec}"
    );
    assert!(
        !sec.contains("满意率1"),
        "no rate in a void evaluation: {sec}"
    );

    // the repeat, as a secretariat would hold it
    let mut s = at("14:40", r#""action":"create_round","ballot":"rating""#);
    s += &at(
        "14:41",
        r#""action":"set_issued","ballot":"rating#2","issued":43"#,
    );
    for i in 0..43 {
        let m = if i < 40 { "SSSSS" } else { "UUUUA" };
        s += &at("14:45", &paper("rating#2", format!("T-{i:03}"), m));
    }
    s += &at("14:50", r#""action":"announce_ballot","ballot":"rating#2""#);
    lab.apply(&s);
    let v = lab.json();
    let r2 = ballot(&v, "rating#2");
    assert_eq!(r2["kind"], "satisfaction");
    assert_eq!(r2["round_kind"], "repeat");
    assert_eq!(r2["vote_void"], false);
    let it = &r2["items"][0];
    assert_eq!(it["grade"], "satisfied");
    assert_eq!(it["grade_zh"], "满意");
    // 40 of 43 valid papers
    assert_eq!(it["rate_text"], "93.0%");
    assert_eq!(it["rate_denominator"], 43);
    let last = &r2["items"][4];
    // 40 满意, 3 弃权: 40/43 on valid papers (the default rate base)
    assert_eq!(last["rate_text"], "93.0%");
}
