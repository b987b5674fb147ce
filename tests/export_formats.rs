//! The minutes and result exports (md, html, docx, xlsx, csv, announcement) of a scripted run of
//! `sessions/hexi-ballot.toml` through the real binary, each read back by an independent reader:
//! the .docx and .xlsx unzipped and their XML searched, the CSV parsed, the HTML checked as text
//! (and printed to PDF by headless Chromium when it is installed), the Markdown snapshotted.
//!
//! The session: 298 deputies, 6 on leave and 2 absent; the items started and finished at fixed
//! times with notes; the scrutineers' list carried by a show of hands (286/0/4) and announced;
//! 290 ballot papers imported from CSV (286 valid, 2 with too many ○, 2 ruled void) and announced.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Run huiwu in `cwd`; (exit code, stdout, stderr).
fn huiwu_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_huiwu"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run huiwu");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(cwd: &Path, args: &[&str]) -> String {
    let (code, out, err) = huiwu_in(cwd, args);
    assert_eq!(code, 0, "huiwu {args:?}\nstdout: {out}\nstderr: {err}");
    out
}

fn session_file() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sessions/hexi-ballot.toml")
        .display()
        .to_string()
}

fn line(at: &str, action: &str) -> String {
    format!("{{\"at\":\"2026-12-18T{at}:00+08:00\",{action}}}\n")
}

/// Up to the ballot's papers: attendance, three items done, the scrutineers' list announced,
/// the ballot running with 290 papers issued and returned.
fn script_before_papers() -> String {
    let mut s = String::new();
    for i in 291..=296 {
        s += &line(
            "14:20",
            &format!("\"action\":\"mark_attendance\",\"deputy\":\"HX{i}\",\"status\":\"leave\""),
        );
    }
    for i in [297, 298] {
        s += &line(
            "14:20",
            &format!("\"action\":\"mark_attendance\",\"deputy\":\"HX{i}\",\"status\":\"absent\""),
        );
    }
    for (at, a) in [
        ("14:25", r#""action":"mark_unmarked","status":"present""#),
        ("14:30", r#""action":"start_item","item":"open""#),
        (
            "14:31",
            r#""action":"add_note","item":"open","text":"执行主席江海平宣布开会,报告代表出席情况。""#,
        ),
        ("14:34", r#""action":"finish_item","item":"open""#),
        ("14:34", r#""action":"start_item","item":"explain""#),
        (
            "14:47",
            r#""action":"add_note","item":"explain","text":"蔡振华副区长作说明,共15个候选项目,应选10项。""#,
        ),
        ("14:49", r#""action":"finish_item","item":"explain""#),
        ("14:49", r#""action":"start_item","item":"scrutineers""#),
        (
            "14:51",
            r#""action":"record_vote","ballot":"scrutineers/m1","yes":286,"no":0,"abstain":4,"not_pressed":0"#,
        ),
        (
            "14:52",
            r#""action":"announce_ballot","ballot":"scrutineers/m1""#,
        ),
        ("14:53", r#""action":"finish_item","item":"scrutineers""#),
        ("14:53", r#""action":"start_item","item":"ballot""#),
        (
            "14:55",
            r#""action":"set_issued","ballot":"ballot","issued":290"#,
        ),
        (
            "15:05",
            r#""action":"set_returned","ballot":"ballot","returned":290"#,
        ),
    ] {
        s += &line(at, a);
    }
    s
}

/// After the papers: the result announced, the last items run.
fn script_after_papers() -> String {
    let mut s = String::new();
    for (at, a) in [
        (
            "15:20",
            r#""action":"add_note","item":"ballot","text":"计票结束,总监票人黎秀英报告计票结果。""#,
        ),
        ("15:22", r#""action":"announce_ballot","ballot":"ballot""#),
        ("15:23", r#""action":"finish_item","item":"ballot""#),
        ("15:23", r#""action":"start_item","item":"announce""#),
        ("15:26", r#""action":"finish_item","item":"announce""#),
        ("15:26", r#""action":"start_item","item":"close""#),
        (
            "15:28",
            r#""action":"add_note","item":"close","text":"执行主席宣布闭会。""#,
        ),
        ("15:28", r#""action":"finish_item","item":"close""#),
    ] {
        s += &line(at, a);
    }
    s
}

/// 290 papers: 200 with ○ on P01–P10; 60 with ○ on P01–P08, P11, P12 (× on P09, P10, blank
/// after); 26 with ○ on P01–P05 only; 2 ruled void; 2 with 11 ○ (void by rule).
fn papers_csv() -> String {
    let mut s = String::from("serial");
    for c in 1..=15 {
        s += &format!(",P{c:02}");
    }
    s += ",void_reason\n";
    let mut n = 0;
    let mut paper = |cells: Vec<&str>, reason: &str| {
        n += 1;
        format!("B-{n:04},{},{reason}\n", cells.join(","))
    };
    let mut rows = String::new();
    let rep = |c: &'static str, k: usize| std::iter::repeat_n(c, k);
    for _ in 0..200 {
        rows += &paper(rep("○", 10).chain(rep("×", 5)).collect(), "");
    }
    for _ in 0..60 {
        rows += &paper(
            rep("○", 8)
                .chain(rep("×", 2))
                .chain(rep("○", 2))
                .chain(rep("", 3))
                .collect(),
            "",
        );
    }
    for _ in 0..26 {
        rows += &paper(rep("○", 5).chain(rep("×", 10)).collect(), "");
    }
    for _ in 0..2 {
        rows += &paper(rep("", 15).collect(), "污损无法辨认");
    }
    for _ in 0..2 {
        rows += &paper(rep("○", 11).chain(rep("×", 4)).collect(), "");
    }
    s + &rows
}

struct Run {
    dir: PathBuf,
    /// The whole session.
    done: PathBuf,
    /// The same session stopped while the ballot is counted (papers in, not announced).
    mid: PathBuf,
}

/// The scripted databases, made once per test binary.
fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("export-formats-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let w = |name: &str, text: &str| {
            let p = dir.join(name);
            std::fs::write(&p, text).unwrap();
            p.display().to_string()
        };
        let before = w("before.jsonl", &script_before_papers());
        let after = w("after.jsonl", &script_after_papers());
        let papers = w("papers.csv", &papers_csv());
        let session = session_file();
        for name in ["mid.db", "hexi.db"] {
            let db = dir.join(name).display().to_string();
            ok(
                &dir,
                &["apply", "--db", &db, "--session", &session, &before],
            );
            ok(
                &dir,
                &[
                    "ballot", "import", "--db", &db, "--ballot", "ballot", &papers,
                ],
            );
        }
        let done = dir.join("hexi.db");
        ok(
            &dir,
            &["apply", "--db", &done.display().to_string(), &after],
        );
        Run {
            mid: dir.join("mid.db"),
            done,
            dir,
        }
    })
}

/// A fresh empty folder for one test's output.
fn out_dir(name: &str) -> PathBuf {
    let d = run().dir.join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Export `db` as `format` into `out` (a file or, for csv, a folder); returns stdout.
fn export(db: &Path, format: &str, out: &Path, lang: &str) -> String {
    ok(
        &run().dir,
        &[
            "export",
            "--db",
            &db.display().to_string(),
            "--format",
            format,
            "--lang",
            lang,
            "-o",
            &out.display().to_string(),
        ],
    )
}

fn chain_head(db: &Path) -> (u64, String) {
    let out = ok(
        &run().dir,
        &[
            "export",
            "--db",
            &db.display().to_string(),
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    (
        v["chain_head"]["seq"].as_u64().unwrap(),
        v["chain_head"]["short"].as_str().unwrap().to_string(),
    )
}

fn unzip(path: &Path, member: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut e = z
        .by_name(member)
        .unwrap_or_else(|_| panic!("{member} missing in {}", path.display()));
    let mut s = String::new();
    std::io::Read::read_to_string(&mut e, &mut s).unwrap();
    s
}

/// The text of every `<w:t>` run of a WordprocessingML part, in order.
fn docx_texts(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<w:t") {
        rest = &rest[i + 4..];
        // <w:t> or <w:t xml:space="preserve">, not <w:tbl>, <w:tc> …
        if !(rest.starts_with('>') || rest.starts_with(' ')) {
            continue;
        }
        let open = rest.find('>').unwrap();
        let close = rest.find("</w:t>").unwrap();
        out.push(unescape(&rest[open + 1..close]));
        rest = &rest[close..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

const SENTENCE: &str = "本次会议应到代表298名,实到290名,请假6名,缺席2名,符合法定人数。";
const P01: &str = "老旧小区综合改造提升（28个小区）";

/// DESIGN.md §7: the head lives outside the database too — every export carries it, in the
/// form `verify --head` reads back.
#[test]
fn every_export_carries_the_chain_head() {
    let (seq, short) = chain_head(&run().done);
    let head = format!("#{seq} {short}");
    let d = out_dir("heads");
    for (format, file) in [
        ("md", "m.md"),
        ("html", "m.html"),
        ("announcement", "a.html"),
    ] {
        let p = d.join(file);
        export(&run().done, format, &p, "zh");
        let body = std::fs::read_to_string(&p).unwrap();
        assert!(body.contains(&head), "{format} lacks {head}");
    }
    let p = d.join("m.docx");
    export(&run().done, "docx", &p, "zh");
    assert!(
        docx_texts(&unzip(&p, "word/document.xml"))
            .concat()
            .contains(&head),
        "docx"
    );
    let p = d.join("m.xlsx");
    export(&run().done, "xlsx", &p, "zh");
    assert!(unzip(&p, "xl/sharedStrings.xml").contains(&head), "xlsx");
    let p = d.join("csv");
    export(&run().done, "csv", &p, "zh");
    let record = std::fs::read_to_string(p.join("record.csv")).unwrap();
    assert!(record.contains(&head), "csv: {record}");
    let json = ok(
        &run().dir,
        &[
            "export",
            "--db",
            &run().done.display().to_string(),
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["chain_head"]["text"], head.as_str());
    // and what was written down checks out
    let out = ok(
        &run().dir,
        &[
            "verify",
            "--db",
            &run().done.display().to_string(),
            "--head",
            &head,
        ],
    );
    assert!(out.contains("校验通过"), "{out}");
}

#[test]
fn markdown_minutes_snapshot() {
    let d = out_dir("md");
    let path = d.join("minutes.md");
    let said = export(&run().done, "md", &path, "zh");
    assert!(said.contains("minutes.md"), "{said}");
    let md = std::fs::read_to_string(&path).unwrap();
    // Chain hashes depend on the time the papers were imported: the only part not scripted.
    insta::assert_snapshot!(redact_hashes(&md));
}

/// Runs of 12 or more hex digits become `<hash>`, heads in groups of four `<head>`.
fn redact_hashes(s: &str) -> String {
    redact_groups(&redact_runs(s))
}

/// `3F2A-9C1B-77D0-E4A5` → `<head>`.
fn redact_groups(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let is_head = |w: &[char]| {
        w.len() == 19
            && w.iter().enumerate().all(|(i, c)| {
                if i % 5 == 4 {
                    *c == '-'
                } else {
                    c.is_ascii_digit() || ('A'..='F').contains(c)
                }
            })
    };
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 19 <= chars.len() && is_head(&chars[i..i + 19]) {
            out.push_str("<head>");
            i += 19;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn redact_runs(s: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= 12 {
            out.push_str("<hash>");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in s.chars() {
        if c.is_ascii_hexdigit() && !c.is_ascii_uppercase() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[test]
fn docx_minutes_read_back() {
    let d = out_dir("docx");
    let path = d.join("minutes.docx");
    export(&run().done, "docx", &path, "zh");
    let doc = unzip(&path, "word/document.xml");
    let texts = docx_texts(&doc);
    let all = texts.concat();
    // title block, attendance, agenda with times and notes
    assert!(all.contains("第二次全体会议记录"), "{all}");
    assert!(all.contains("江州市河西区人民代表大会"));
    assert!(all.contains("河西区行政中心大礼堂"));
    assert!(all.contains(SENTENCE), "{all}");
    assert!(all.contains("14:30—14:34,历时4分钟(计划5分钟)"), "{all}");
    assert!(all.contains("执行主席江海平宣布开会"));
    // the ballot table: rank, id, name, unit, 赞成, 不赞成, 弃权, outcome
    let i = texts
        .iter()
        .position(|t| t == "P01")
        .expect("P01 in a table");
    assert_eq!(texts[i + 1], P01);
    assert_eq!(texts[i + 3], "286");
    assert_eq!(texts[i + 6], "当选");
    let j = texts.iter().position(|t| t == "P11").unwrap();
    assert_eq!(&texts[j + 3..j + 7], ["60", "226", "0", "未当选"]);
    // the §4 sentences and the chain head for the signatures
    assert!(all.contains(
        "根据总监票人报告,表决票发出290张,收回290张,收回票数不多于发出票数,本次票决有效。"
    ));
    assert!(all.contains("有效票286张,无效票4张。"));
    assert!(all.contains(&format!(
        "{P01}项目获得赞成票286票、不赞成票0票、弃权票0票,当选。"
    )));
    let (seq, short) = chain_head(&run().done);
    assert_eq!(short.len(), 19, "four groups of four: {short}");
    assert!(all.contains(&format!("#{seq} {short}")), "{all}");
    assert!(all.contains("记录人:卞晓芸"));
    assert!(all.contains("审核人:"));
    // one result sheet per announced count, each on a new page
    assert_eq!(doc.matches("<w:pageBreakBefore").count(), 2, "page breaks");
    assert!(all.contains("2027年度区政府民生实事项目票决结果公告"));
    assert!(all.contains("表决结果公告"));
    // A4 and the fonts Chinese offices expect, with their substitutes
    assert!(
        doc.contains("w:w=\"11906\"") && doc.contains("w:h=\"16838\""),
        "A4"
    );
    let styles = unzip(&path, "word/styles.xml");
    assert!(styles.contains("w:eastAsia=\"仿宋_GB2312\""), "{styles}");
    assert!(styles.contains("w:eastAsia=\"方正小标宋简体\""));
    assert!(styles.contains("w:eastAsia=\"黑体\""));
    assert!(styles.contains("w:eastAsia=\"zh-CN\""));
    let fonts = unzip(&path, "word/fontTable.xml");
    assert!(
        fonts.contains("<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/>"),
        "{fonts}"
    );
    assert!(fonts.contains("<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"宋体\"/>"));
    // nothing provisional in a finished session
    assert!(!all.contains("未宣布"), "{all}");
}

#[test]
fn xlsx_sheets_read_back() {
    let d = out_dir("xlsx");
    let path = d.join("results.xlsx");
    export(&run().done, "xlsx", &path, "zh");
    let wb = unzip(&path, "xl/workbook.xml");
    let names: Vec<&str> = wb
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(
        names,
        [
            "出席情况",
            "议程",
            "表决通过民生实事项目票决总监票人、监票人名单",
            "2027年度区政府民生实事项目票决",
            "记录核验",
        ]
    );
    let shared = unzip(&path, "xl/sharedStrings.xml");
    assert!(shared.contains(P01));
    assert!(shared.contains(SENTENCE));
    // sheet 4: the ballot, header on row 2 frozen, P01 first on row 3
    let ballot = unzip(&path, "xl/worksheets/sheet4.xml");
    assert!(
        ballot.contains(
            "<pane ySplit=\"2\" topLeftCell=\"A3\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        ),
        "{ballot}"
    );
    let cell = |sheet: &str, r: &str| -> String {
        let at = sheet
            .find(&format!("<c r=\"{r}\""))
            .unwrap_or_else(|| panic!("cell {r}"));
        let end = at + sheet[at..].find("</c>").unwrap();
        sheet[at..end].to_string()
    };
    // E3 = P01's 赞成: a number, not a string
    let e3 = cell(&ballot, "E3");
    assert!(e3.contains("<v>286</v>"), "{e3}");
    assert!(!e3.contains("t=\"s\"") && !e3.contains("t=\"str\""), "{e3}");
    let f13 = cell(&ballot, "F13"); // P11's 不赞成 on row 13
    assert!(
        f13.contains("<v>226</v>") && !f13.contains("t=\"s\""),
        "{f13}"
    );
    // the attendance sheet: one row per deputy under the frozen header, groups beside it
    let att = unzip(&path, "xl/worksheets/sheet1.xml");
    assert!(att.contains("state=\"frozen\""));
    assert!(att.contains("<row r=\"300\""), "298 deputies from row 3");
    let g12 = cell(&att, "I12"); // 区直机关代表团, 实到: 10th group on row 12, column I
    assert!(
        g12.contains("<v>19</v>") && !g12.contains("t=\"s\""),
        "{g12}"
    );
    // the agenda: planned minutes as numbers
    let agenda = unzip(&path, "xl/worksheets/sheet2.xml");
    let h3 = cell(&agenda, "H3");
    assert!(h3.contains("<v>5</v>") && !h3.contains("t=\"s\""), "{h3}");
    let i4 = cell(&agenda, "I4");
    assert!(i4.contains("<v>15</v>"), "{i4}");
}

#[test]
fn csv_folder_read_back() {
    let d = out_dir("csv");
    let folder = d.join("tables"); // does not exist yet
    let said = export(&run().done, "csv", &folder, "zh");
    assert!(said.contains("ballot-ballot.csv"), "{said}");
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "agenda.csv",
            "attendance-groups.csv",
            "attendance.csv",
            "ballot-ballot.csv",
            "ballot-ballot.figures.csv",
            "ballot-scrutineers.motion-m1.csv",
            "ballot-scrutineers.motion-m1.figures.csv",
            "record.csv",
        ]
    );
    let read = |name: &str| -> Vec<Vec<String>> {
        let bytes = std::fs::read(folder.join(name)).unwrap();
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "{name} starts with a BOM"
        );
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[3..]);
        r.records()
            .map(|x| x.unwrap().iter().map(str::to_string).collect())
            .collect()
    };
    let ballot = read("ballot-ballot.csv");
    assert_eq!(
        ballot[0],
        [
            "名次",
            "编号",
            "候选项目",
            "承办单位",
            "赞成",
            "不赞成",
            "弃权",
            "结果"
        ]
    );
    assert_eq!(ballot.len(), 16);
    let p01 = ballot.iter().find(|r| r[1] == "P01").unwrap();
    assert_eq!(p01[2], P01);
    assert_eq!(p01[4].parse::<u32>().unwrap(), 286);
    let figures = read("ballot-ballot.figures.csv");
    let valid = figures.iter().find(|r| r[0] == "有效票").unwrap();
    assert_eq!(valid[1], "286");
    let attendance = read("attendance.csv");
    assert_eq!(attendance.len(), 299);
    assert_eq!(attendance.iter().filter(|r| r[4] == "请假").count(), 6);
    let agenda = read("agenda.csv");
    let open = agenda
        .iter()
        .find(|r| r[1].starts_with("宣布开会"))
        .unwrap();
    assert_eq!((open[5].as_str(), open[6].as_str()), ("14:30", "14:34"));

    // Without -o: ./<db-stem>-csv/ in the current directory.
    let cwd = out_dir("csv-default");
    let out = ok(
        &cwd,
        &[
            "export",
            "--db",
            &run().done.display().to_string(),
            "--format",
            "csv",
        ],
    );
    assert!(out.contains("hexi-csv"), "{out}");
    assert!(cwd.join("hexi-csv/ballot-ballot.csv").is_file());
}

fn html_checks(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("@page { size: A4;"), "print CSS");
    assert!(html.contains("<meta charset=\"utf-8\">"));
    // self-contained: no links to anything outside the file
    for bad in ["http://", "https://", "src=", "<link", "@import", "url("] {
        assert!(!html.contains(bad), "found {bad}");
    }
}

#[test]
fn html_minutes_and_announcement_pages() {
    let d = out_dir("html");
    let path = d.join("minutes.html");
    export(&run().done, "html", &path, "zh");
    let html = std::fs::read_to_string(&path).unwrap();
    html_checks(&html);
    assert!(html.contains("<table"));
    assert!(html.contains(SENTENCE));
    assert!(
        html.contains(&format!("<td class=\"s\">P01</td><td>{P01}</td>")),
        "P01 row"
    );
    assert!(html.contains("<td class=\"n\">286</td>"));
    let (_, short) = chain_head(&run().done);
    assert!(html.contains(&short));
    // the result sheets on pages of their own
    assert!(html.contains("break-before: page"));
    assert_eq!(html.matches("<section class=\"sheet notice").count(), 2);

    let ann = d.join("announcement.html");
    export(&run().done, "announcement", &ann, "zh");
    let ann = std::fs::read_to_string(&ann).unwrap();
    html_checks(&ann);
    assert_eq!(ann.matches("<section class=\"sheet notice").count(), 2);
    assert!(ann.contains("根据票决结果,以下10个项目确定为2027年度民生实事项目:</p>"));
    assert!(ann.contains("<p class=\"sentence\">(1)老旧小区综合改造提升（28个小区）;</p>"));
    assert!(ann.contains("<p class=\"sentence\">(7)25所中小学校园周边交通安全设施改造;</p>"));
    assert!(ann.contains("票决时应到代表298名,实到290名。"));
    assert!(!ann.contains(SENTENCE), "only the result sheets");
}

#[test]
fn export_during_the_count_is_marked_provisional() {
    let d = out_dir("mid");
    let md = d.join("mid.md");
    export(&run().mid, "md", &md, "zh");
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.contains("14:53起,进行中(计划45分钟)"), "{md}");
    assert!(md.contains("#### 2027年度区政府民生实事项目票决 【未宣布·临时结果】"));
    assert!(md.contains("未宣布:以下为截至本记录时的临时计票结果"));
    assert!(md.contains("| 1 | P01 | 老旧小区综合改造提升（28个小区） | 区住房和城乡建设局 | 286 | 0 | 0 | 当选(临时) |"), "{md}");
    assert!(md.contains("未进行(计划5分钟)"));
    // one result sheet only: the scrutineers' list was announced, the ballot not yet
    assert_eq!(md.matches("结果公告").count(), 2, "heading and one sheet");

    let docx = d.join("mid.docx");
    export(&run().mid, "docx", &docx, "zh");
    let all = docx_texts(&unzip(&docx, "word/document.xml")).concat();
    assert!(all.contains("【未宣布·临时结果】"), "{all}");
    assert!(all.contains("拟宣布用语(尚未宣布):"));

    let html = d.join("mid.html");
    export(&run().mid, "html", &html, "zh");
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.contains("<div class=\"ballot provisional\">"));
    assert_eq!(html.matches("<section class=\"sheet notice").count(), 1);
}

#[test]
fn english_headings() {
    let d = out_dir("en");
    let md = d.join("en.md");
    export(&run().done, "md", &md, "en");
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.contains("## Minutes of the 2nd plenary meeting"), "{md}");
    assert!(md.contains("## 1. Attendance"));
    assert!(
        md.contains("Deputies expected 298, present 290, on leave 6, absent 2; the quorum is met.")
    );
    assert!(
        md.contains("| Rank | ID | Candidate | Unit | In favour | Against | Abstain | Outcome |")
    );
    assert!(md.contains("Valid papers: 286; void papers: 4."));
}

#[test]
fn default_names_and_nothing_to_announce() {
    // Without -o the minutes go to <db-stem>.<ext> in the current directory.
    let cwd = out_dir("defaults");
    let db = run().done.display().to_string();
    for (format, file) in [
        ("md", "hexi.md"),
        ("html", "hexi.html"),
        ("docx", "hexi.docx"),
        ("xlsx", "hexi.xlsx"),
        ("announcement", "hexi-announcement.html"),
    ] {
        let out = ok(&cwd, &["export", "--db", &db, "--format", format]);
        assert!(out.contains(file), "{format}: {out}");
        assert!(cwd.join(file).is_file(), "{file}");
    }
    // A session where nothing is announced has no result sheet to post.
    let empty = cwd.join("empty.db").display().to_string();
    let script = cwd.join("one.jsonl");
    std::fs::write(
        &script,
        "{\"action\":\"mark_unmarked\",\"status\":\"present\"}\n",
    )
    .unwrap();
    ok(
        &cwd,
        &[
            "apply",
            "--db",
            &empty,
            "--session",
            &session_file(),
            &script.display().to_string(),
        ],
    );
    let (code, _, err) = huiwu_in(
        &cwd,
        &["export", "--db", &empty, "--format", "announcement"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("没有可公告的内容"), "{err}");
    assert!(!cwd.join("empty-announcement.html").exists());
}

/// Run `cmd` with a time limit; true if it exited 0.
fn run_with_timeout(mut cmd: Command, limit: Duration) -> bool {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.success();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path).chain([PathBuf::from("/usr/bin")]) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

#[test]
fn html_prints_to_pdf_in_chromium() {
    let Some(chromium) = which(&["chromium", "chromium-browser"]) else {
        eprintln!("skipped: chromium not installed");
        return;
    };
    let d = out_dir("chromium");
    let html = d.join("minutes.html");
    export(&run().done, "html", &html, "zh");
    let pdf = d.join("minutes.pdf");
    let profile = d.join("profile");
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .arg(format!("--print-to-pdf={}", pdf.display()))
    .arg(format!("file://{}", html.display()));
    assert!(
        run_with_timeout(cmd, Duration::from_secs(120)),
        "chromium failed"
    );
    let bytes = std::fs::read(&pdf).expect("a PDF was written");
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
}

#[test]
fn docx_opens_in_libreoffice() {
    let Some(office) = which(&["libreoffice", "soffice"]) else {
        eprintln!("skipped: libreoffice not installed");
        return;
    };
    let d = out_dir("libreoffice");
    let docx = d.join("minutes.docx");
    export(&run().done, "docx", &docx, "zh");
    let mut cmd = Command::new(office);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        d.join("profile").display()
    ))
    .args(["--headless", "--convert-to", "pdf", "--outdir"])
    .arg(&d)
    .arg(&docx);
    assert!(
        run_with_timeout(cmd, Duration::from_secs(180)),
        "libreoffice failed"
    );
    let bytes = std::fs::read(d.join("minutes.pdf")).expect("a PDF was written");
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
}

/// A street council (`sessions/changning-street-council.toml`, 45 deputies, all present): a
/// tie at the cut-off settled by a run-off, and a satisfaction evaluation.
fn changning() -> PathBuf {
    let dir = out_dir("changning");
    let session = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sessions/changning-street-council.toml")
        .display()
        .to_string();
    let at = |t: &str, a: String| format!("{{\"at\":\"2026-11-26T{t}:00+08:00\",{a}}}\n");
    let paper = |b: &str, serial: String, marks: &str| {
        format!(
            "\"action\":\"record_paper\",\"ballot\":\"{b}\",\"serial\":\"{serial}\",\"marks\":\"{marks}\""
        )
    };
    let mut s = String::new();
    s += &at(
        "14:00",
        r#""action":"mark_unmarked","status":"present""#.into(),
    );
    s += &at("14:01", r#""action":"start_item","item":"piaojian""#.into());
    s += &at(
        "14:02",
        r#""action":"set_issued","ballot":"piaojian","issued":45"#.into(),
    );
    // C1–C4: 45 each; C5, C6, C7: 30 each, tied across places 5 and 6.
    for i in 0..45 {
        let m = match i {
            0..15 => "YYYYYYNNN",
            15..30 => "YYYYNYYNN",
            _ => "YYYYYNYNN",
        };
        s += &at("14:10", paper("piaojian", format!("A-{i:03}"), m));
    }
    s += &at(
        "14:20",
        r#""action":"announce_ballot","ballot":"piaojian""#.into(),
    );
    s += &at(
        "14:21",
        r#""action":"create_round","ballot":"piaojian""#.into(),
    );
    s += &at(
        "14:22",
        r#""action":"set_issued","ballot":"piaojian#2","issued":45"#.into(),
    );
    // Run-off among C5, C6, C7 for 2 places: C5 40, C6 45, C7 5.
    for i in 0..45 {
        let m = if i < 40 { "YYN" } else { "NYY" };
        s += &at("14:30", paper("piaojian#2", format!("R-{i:03}"), m));
    }
    s += &at(
        "14:35",
        r#""action":"announce_ballot","ballot":"piaojian#2""#.into(),
    );
    s += &at(
        "14:40",
        r#""action":"finish_item","item":"piaojian""#.into(),
    );
    s += &at("14:41", r#""action":"start_item","item":"rating""#.into());
    s += &at(
        "14:42",
        r#""action":"set_issued","ballot":"rating","issued":45"#.into(),
    );
    // d1: 满意 30, 基本满意 10, 不满意 5 → 88.9%; d5: 30, 10, 0, 弃权 5 → 88.9% of the valid
    // papers (the default rate base; 100.0% were 弃权 left out).
    for i in 0..45 {
        let m = match i {
            0..30 => "SSSSS",
            30..40 => "BBBBB",
            _ => "UUUUA",
        };
        s += &at("14:45", paper("rating", format!("S-{i:03}"), m));
    }
    s += &at(
        "14:50",
        r#""action":"announce_ballot","ballot":"rating""#.into(),
    );
    let script = dir.join("changning.jsonl");
    std::fs::write(&script, s).unwrap();
    let db = dir.join("changning.db");
    ok(
        &dir,
        &[
            "apply",
            "--db",
            &db.display().to_string(),
            "--session",
            &session,
            &script.display().to_string(),
        ],
    );
    db
}

#[test]
fn runoff_and_evaluation() {
    let db = changning();
    let d = db.parent().unwrap().to_path_buf();
    let md = d.join("changning.md");
    export(&db, "md", &md, "zh");
    let md = std::fs::read_to_string(&md).unwrap();
    // The first round's sentences as announced then, not the final list after the run-off.
    let round2 = md
        .find("#### 2027年度街道民生实事项目票荐(第2轮) 再次投票")
        .expect("the run-off's section");
    let first = &md[..round2];
    assert!(
        first.contains("> 根据票荐结果,以下4个项目推荐为2027年度民生实事项目:\n> (1)和平社区、纺机社区老旧小区雨污分流改造;"),
        "{first}"
    );
    assert!(first.contains("均未确定入选,应在上述项目中就剩余的2个名额再次投票。"));
    assert!(first.contains("| 5 | C5 | 柳营路、纺机路背街小巷综合整治 | 街道城市管理办公室 | 30 | 15 | 0 | 票数相等,待再次投票 |"), "{first}");
    let second = &md[round2..];
    assert!(second.contains("以下6个项目推荐为2027年度民生实事项目"));
    assert!(second.contains("(5)锦江花园社区新建非机动车集中充电棚12处;"));
    assert!(second.contains("(6)柳营路、纺机路背街小巷综合整治。"));
    assert!(
        !md.contains("确定为2027"),
        "a 票荐 recommends, it does not decide"
    );
    // the evaluation
    assert!(
        md.contains("| d1 | 社区服务办公室 | 30 | 10 | 5 | 0 | 88.9% | 满意 |"),
        "{md}"
    );
    assert!(
        md.contains("| d5 | 社区事务受理服务中心 | 30 | 10 | 0 | 5 | 88.9% | 满意 |"),
        "{md}"
    );
    assert!(
        md.contains("| 满意率(占有效票) |"),
        "the rate names its denominator: {md}"
    );
    assert!(md.contains("(满意+基本满意)÷有效票(含弃权)"), "{md}");
    assert!(md.contains(
        "社区服务办公室获得满意票30票,基本满意票10票,不满意票5票,弃权票0票,满意率88.9%(以有效票45张为基数),测评等次为满意。"
    ));
    // result sheets in the order announced
    let sheets: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("### ") && l.ends_with("结果公告"))
        .collect();
    assert_eq!(
        sheets,
        [
            "### 2027年度街道民生实事项目票荐结果公告",
            "### 2027年度街道民生实事项目票荐(第2轮) 再次投票结果公告",
            "### 街道职能部门工作满意度测评结果公告"
        ]
    );

    // The workbook: the rounds together, the rate a number shown as a percentage.
    let xlsx = d.join("changning.xlsx");
    export(&db, "xlsx", &xlsx, "zh");
    let wb = unzip(&xlsx, "xl/workbook.xml");
    let names: Vec<&str> = wb
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(
        names,
        [
            "出席情况",
            "议程",
            "2027年度街道民生实事项目票荐",
            "2027年度街道民生实事项目票荐(第2轮) 再次投票",
            "街道职能部门工作满意度测评",
            "记录核验",
        ]
    );
    let rating = unzip(&xlsx, "xl/worksheets/sheet5.xml");
    let at = rating.find("<c r=\"G3\"").unwrap();
    let g3 = &rating[at..at + rating[at..].find("</c>").unwrap()];
    assert!(g3.contains("<v>0.889</v>") && !g3.contains("t=\""), "{g3}");
    assert!(unzip(&xlsx, "xl/styles.xml").contains("formatCode=\"0.0%\""));

    let csv_dir = d.join("csv");
    export(&db, "csv", &csv_dir, "zh");
    let text = std::fs::read_to_string(csv_dir.join("ballot-rating.csv")).unwrap();
    assert!(
        text.contains("d1,社区服务办公室,30,10,5,0,88.9%,满意"),
        "{text}"
    );
    assert!(csv_dir.join("ballot-piaojian.round2.csv").is_file());
}

/// A result sheet of 20 candidates fits one A4 page in Word's layout (LibreOffice here): every
/// page that opens with a sheet's heading also carries its closing chain line.
#[test]
fn a_sheet_of_twenty_candidates_fits_one_page() {
    let (Some(office), Some(pdftotext)) =
        (which(&["libreoffice", "soffice"]), which(&["pdftotext"]))
    else {
        eprintln!("skipped: libreoffice or pdftotext not installed");
        return;
    };
    let d = out_dir("twenty");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions");
    let mut toml = std::fs::read_to_string(root.join("hexi-ballot.toml")).unwrap();
    let mut more = String::new();
    for i in 16..=20 {
        more += &format!(
            "  {{ id = \"P{i}\", name = \"新增城乡公交线路和候车亭改造提升第{i}批次项目\", unit = \"区交通运输局\" }},\n"
        );
    }
    let p15 = toml.find("{ id = \"P15\"").unwrap();
    let at = p15 + toml[p15..].find('\n').unwrap() + 1;
    toml.insert_str(at, &more);
    std::fs::write(d.join("twenty.toml"), &toml).unwrap();
    std::fs::copy(root.join("hexi-roster.csv"), d.join("hexi-roster.csv")).unwrap();
    let mut s = line("14:20", r#""action":"mark_unmarked","status":"present""#);
    s += &line("14:30", r#""action":"start_item","item":"ballot""#);
    s += &line(
        "14:31",
        r#""action":"set_issued","ballot":"ballot","issued":298"#,
    );
    for i in 0..298 {
        let m = if i % 2 == 0 {
            "YYYYYYYYYYNNNNNNNNNN"
        } else {
            "YYYYYYYYYAAAAAAAAAAY"
        };
        s += &line(
            "14:40",
            &format!(
                "\"action\":\"record_paper\",\"ballot\":\"ballot\",\"serial\":\"A-{i:03}\",\"marks\":\"{m}\""
            ),
        );
    }
    s += &line("15:00", r#""action":"announce_ballot","ballot":"ballot""#);
    std::fs::write(d.join("twenty.jsonl"), s).unwrap();
    ok(
        &d,
        &[
            "apply",
            "--db",
            "twenty.db",
            "--session",
            "twenty.toml",
            "twenty.jsonl",
        ],
    );
    let docx = d.join("twenty.docx");
    export(&d.join("twenty.db"), "docx", &docx, "zh");
    let mut cmd = Command::new(office);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        d.join("profile").display()
    ))
    .args(["--headless", "--convert-to", "pdf", "--outdir"])
    .arg(&d)
    .arg(&docx);
    assert!(run_with_timeout(cmd, Duration::from_secs(180)));
    let out = Command::new(pdftotext)
        .args(["-layout"])
        .arg(d.join("twenty.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let sheets: Vec<&&str> = pages
        .iter()
        .filter(|p| p.contains("票决结果公告"))
        .collect();
    assert_eq!(sheets.len(), 1, "one sheet for the ballot");
    let sheet = sheets[0];
    assert!(
        sheet.contains("第 20 批次项目"),
        "all 20 candidates: {sheet}"
    );
    assert!(
        sheet.contains("宣布时事件链头"),
        "the sheet spills onto another page:\n{sheet}"
    );
    // figures never break inside their table cell
    assert!(!text.contains("100.0\n"), "a rate broke in its cell");
}
