//! The livelihood projects through the year (issue 16), through the real binary: the carry
//! (once only, and each refusal), the projects in the record and its checks, and a year of
//! three sessions read back from the history report, field by field against each session's
//! own JSON record.

mod common;

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{huiwu, ok, refused, text};
use serde_json::Value;

const SESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sessions");

/// A folder holding copies of the sample session files, their roster and the year's scripts.
fn year_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(SESSIONS).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml" || x == "csv") {
            std::fs::copy(&p, d.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::create_dir(d.path().join("year")).unwrap();
    for e in std::fs::read_dir(Path::new(SESSIONS).join("year")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, d.path().join("year").join(p.file_name().unwrap())).unwrap();
    }
    d
}

/// Hold a session from its script (the first `keep` lines, or all).
fn hold(dir: &Path, name: &str, script: &str) {
    ok(
        &[
            "apply",
            "--session",
            &format!("{name}.toml"),
            "--db",
            &format!("{name}.db"),
            script,
        ],
        dir,
    );
}

/// A database made from `session` with nothing recorded yet (what `run` makes on first use).
fn empty_db(dir: &Path, session: &str, db: &str) {
    std::fs::write(dir.join("none.jsonl"), "").unwrap();
    ok(
        &["apply", "--session", session, "--db", db, "none.jsonl"],
        dir,
    );
}

/// A copy of a script without the actions `drop` picks.
fn script_without(dir: &Path, from: &str, to: &str, drop: &dyn Fn(&Value) -> bool) {
    let body = std::fs::read_to_string(dir.join(from)).unwrap();
    let kept: Vec<&str> = body
        .lines()
        .filter(|l| l.starts_with('#') || !drop(&serde_json::from_str::<Value>(l).unwrap()))
        .collect();
    std::fs::write(dir.join(to), kept.join("\n")).unwrap();
}

/// The 票决 script with each paper's P13 mark (the 13th) rewritten by `mark`: the same session
/// file, keyed otherwise, so another selection and another chain.
fn rekeyed(dir: &Path, to: &Path, mark: &dyn Fn(&[char]) -> char) {
    let script: String = std::fs::read_to_string(dir.join("year/hexi-ballot.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            if v["action"] == "record_paper" {
                let mut c: Vec<char> = v["marks"].as_str().unwrap().chars().collect();
                c[12] = mark(&c);
                v["marks"] = Value::String(c.into_iter().collect());
            }
            format!("{v}\n")
        })
        .collect();
    std::fs::write(to, script).unwrap();
}

fn json(dir: &Path, db: &str) -> Value {
    let out = ok(&["export", "--db", db, "--format", "json"], dir);
    serde_json::from_str(&out).unwrap()
}

fn entries(dir: &Path, db: &str) -> u64 {
    json(dir, db)["chain_head"]["seq"].as_u64().unwrap()
}

/// The mid-year session without `projects_from`, so that the carry is done by hand.
fn midyear_by_hand(dir: &Path) {
    by_hand(dir, "hexi-midyear-2027.toml");
}

fn by_hand(dir: &Path, file: &str) {
    let f = dir.join(file);
    let body = std::fs::read_to_string(&f).unwrap();
    let body: String = body
        .lines()
        .filter(|l| !l.starts_with("projects_from"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(f, body).unwrap();
}

#[test]
fn the_carry_is_refused_until_the_ballot_is_announced_and_then_happens_once() {
    let d = year_dir();
    let dir = d.path();
    midyear_by_hand(dir);
    // The 票决 held but not announced.
    script_without(dir, "year/hexi-ballot.jsonl", "open.jsonl", &|a| {
        (a["action"] == "announce_ballot" && a["ballot"] == "ballot")
            || (a["action"] == "finish_item" && a["item"] == "ballot")
            || a["item"] == "announce"
            || a["item"] == "close"
    });
    hold(dir, "hexi-ballot", "open.jsonl");
    let carry = [
        "projects",
        "carry",
        "--from",
        "hexi-ballot.db",
        "--session",
        "hexi-midyear-2027.toml",
        "--db",
        "hexi-midyear-2027.db",
    ];
    let said = refused(&carry, dir);
    assert!(said.contains("尚未宣布结果"), "{said}");
    // Refused: the database it would have made is not left behind (issue 24).
    assert!(!dir.join("hexi-midyear-2027.db").exists());
    assert!(!dir.join("hexi-midyear-2027.db-wal").exists());

    // Announced: the ten projects come over in one entry, in rank order.
    std::fs::write(
        dir.join("announce.jsonl"),
        "{\"action\":\"announce_ballot\",\"ballot\":\"ballot\"}\n",
    )
    .unwrap();
    ok(&["apply", "--db", "hexi-ballot.db", "announce.jsonl"], dir);
    let said = ok(&carry, dir);
    assert!(said.contains("结转2027年度民生实事项目 10 项"), "{said}");
    assert!(said.contains("(1) P01 老旧小区综合改造提升"), "{said}");
    let rec = json(dir, "hexi-midyear-2027.db");
    let p = &rec["projects"];
    let ballot = json(dir, "hexi-ballot.db");
    assert_eq!(p["carried_from"]["fingerprint"], ballot["fingerprint"]);
    assert_eq!(p["carried_from_head"], ballot["chain_head"]["hash"]);
    assert_eq!(p["carried_from_head_seq"], ballot["chain_head"]["seq"]);
    let list = p["list"].as_array().unwrap();
    assert_eq!(list.len(), 10);
    // Each project's 赞成 and rank as the 票决 announced them.
    let sel = &ballot["selections"][0]["selected"];
    let cands = ballot["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "ballot")
        .unwrap()["candidates"]
        .as_array()
        .unwrap()
        .clone();
    for (k, x) in list.iter().enumerate() {
        assert_eq!(x["rank"], k + 1);
        assert_eq!(x["id"], sel[k], "{sel}");
        let c = cands.iter().find(|c| c["id"] == x["id"]).unwrap();
        assert_eq!(x["yes"], c["yes"]);
        assert_eq!(x["name"], c["name"]);
    }
    // The groups of the session file follow their projects.
    assert_eq!(list[0]["supervision"]["leader"]["name"], "梁志远");
    // The evaluation rates exactly these.
    let rating = rec["agenda"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "rating")
        .unwrap();
    let items = rating["definition"]["satisfaction"]["items"]
        .as_array()
        .unwrap();
    assert_eq!(items.len(), 10);
    assert_eq!(items[0]["id"], "P01");

    // Once only: a second carry changes nothing.
    let before = entries(dir, "hexi-midyear-2027.db");
    let said = refused(&carry, dir);
    assert!(said.contains("不能再次结转"), "{said}");
    assert_eq!(entries(dir, "hexi-midyear-2027.db"), before);
    // The record holds: verify passes, and the session file still opens its database (the
    // carried items are not a change of the file).
    let v = ok(&["verify", "--db", "hexi-midyear-2027.db"], dir);
    assert!(v.contains("通过") || v.contains("OK"), "{v}");
    let said = ok(&["amend", "hexi-midyear-2027.toml"], dir);
    assert!(said.contains("没有可修订之处"), "{said}");
    empty_db(dir, "hexi-midyear-2027.toml", "hexi-midyear-2027.db");
}

#[test]
fn a_void_ballot_another_body_or_a_later_session_is_refused() {
    let d = year_dir();
    let dir = d.path();
    midyear_by_hand(dir);
    // More papers returned than issued: the vote is void.
    let body = std::fs::read_to_string(dir.join("year/hexi-ballot.jsonl")).unwrap();
    std::fs::write(
        dir.join("void.jsonl"),
        body.replace("\"returned\": 285", "\"returned\": 286"),
    )
    .unwrap();
    hold(dir, "hexi-ballot", "void.jsonl");
    let said = refused(
        &[
            "projects",
            "carry",
            "--from",
            "hexi-ballot.db",
            "--session",
            "hexi-midyear-2027.toml",
            "--db",
            "hexi-midyear-2027.db",
        ],
        dir,
    );
    assert!(said.contains("投票无效"), "{said}");
    assert!(!dir.join("hexi-midyear-2027.db").exists(), "no file left");
    empty_db(dir, "hexi-midyear-2027.toml", "hexi-midyear-2027.db");

    // Another body's session.
    empty_db(dir, "jiangzhou-midyear.toml", "jz.db");
    let said = refused(
        &[
            "projects",
            "carry",
            "--from",
            "jz.db",
            "--db",
            "hexi-midyear-2027.db",
        ],
        dir,
    );
    assert!(said.contains("江州市人民代表大会"), "{said}");
    // Itself, and a later session.
    let said = refused(
        &[
            "projects",
            "carry",
            "--from",
            "hexi-midyear-2027.db",
            "--db",
            "hexi-midyear-2027.db",
        ],
        dir,
    );
    assert!(said.contains("本次会议"), "{said}");
    by_hand(dir, "hexi-yearend-2027.toml");
    empty_db(dir, "hexi-yearend-2027.toml", "later.db");
    let said = refused(
        &[
            "projects",
            "carry",
            "--from",
            "later.db",
            "--db",
            "hexi-midyear-2027.db",
        ],
        dir,
    );
    assert!(said.contains("晚于本次会议"), "{said}");
}

#[test]
fn a_session_file_whose_projects_cannot_be_carried_makes_no_database() {
    let d = year_dir();
    let dir = d.path();
    // projects_from names a database that is not there.
    let out = huiwu(
        &[
            "apply",
            "--session",
            "hexi-midyear-2027.toml",
            "--db",
            "hexi-midyear-2027.db",
            "year/hexi-midyear-2027.jsonl",
        ],
        dir,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("projects_from"), "{}", text(&out));
    assert!(!dir.join("hexi-midyear-2027.db").exists());
}

/// The three sessions of the sample year, each later one carrying from the one before.
fn the_year(dir: &Path) {
    for s in ["hexi-ballot", "hexi-midyear-2027", "hexi-yearend-2027"] {
        hold(dir, s, &format!("year/{s}.jsonl"));
    }
}

fn cell(ws: &calamine::Range<Data>, row: usize, col: usize) -> String {
    match ws.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => format!("{f}"),
        Some(Data::Int(i)) => format!("{i}"),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other}"),
    }
}

/// The rate and grade each evaluation of a session announced, per project id.
fn ratings(rec: &Value) -> Vec<(String, String, String)> {
    let b = rec["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "rating")
        .unwrap();
    b["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_string(),
                i["rate_text"].as_str().unwrap_or("").to_string(),
                i["grade_zh"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_year_of_three_sessions_reads_back_from_the_report() {
    let d = year_dir();
    let dir = d.path();
    the_year(dir);
    let ballot = json(dir, "hexi-ballot.db");
    let mid = json(dir, "hexi-midyear-2027.db");
    let end = json(dir, "hexi-yearend-2027.db");
    // The year-end carried from the mid-year: same projects, the mid-year's statuses to start.
    assert_eq!(
        end["projects"]["carried_from"]["fingerprint"],
        mid["fingerprint"]
    );
    assert_eq!(
        end["projects"]["selection"]["session"]["fingerprint"],
        ballot["fingerprint"]
    );
    // Any order of databases.
    let said = ok(
        &[
            "projects",
            "report",
            "hexi-yearend-2027.db",
            "hexi-ballot.db",
            "hexi-midyear-2027.db",
        ],
        dir,
    );
    assert!(
        said.contains("2027年度民生实事项目 10 项,汇总自 3 次会议"),
        "{said}"
    );

    let mid_r = ratings(&mid);
    let end_r = ratings(&end);
    let list = end["projects"]["list"].as_array().unwrap();
    let mid_list = mid["projects"]["list"].as_array().unwrap();

    // The workbook: one row per project on the first sheet, then one sheet per session.
    let mut wb: Xlsx<_> = open_workbook(dir.join("projects-2027.xlsx")).unwrap();
    let names = wb.sheet_names();
    assert_eq!(
        names,
        vec![
            "项目总览",
            "2026-12-18 第五次会议",
            "2027-07-16 第六次会议",
            "2027-12-21 第七次会议"
        ]
    );
    let ws = wb.worksheet_range("项目总览").unwrap();
    // Row 0 title, row 1 header, rows 2.. projects.
    assert_eq!(cell(&ws, 1, 2), "项目名称");
    assert_eq!(cell(&ws, 1, 12), "满意率(2027-07-16 第六次会议)");
    assert_eq!(cell(&ws, 1, 14), "满意率(2027-12-21 第七次会议)");
    for (k, p) in list.iter().enumerate() {
        let r = k + 2;
        assert_eq!(cell(&ws, r, 1), p["id"].as_str().unwrap());
        assert_eq!(cell(&ws, r, 2), p["name"].as_str().unwrap());
        assert_eq!(cell(&ws, r, 3), p["unit"].as_str().unwrap());
        assert_eq!(cell(&ws, r, 4), "河西区第八届人民代表大会第五次会议");
        assert_eq!(cell(&ws, r, 6), p["yes"].to_string());
        assert_eq!(cell(&ws, r, 7), p["rank"].to_string());
        assert_eq!(
            cell(&ws, r, 9),
            p["supervision"]["leader"]["name"].as_str().unwrap()
        );
        assert_eq!(cell(&ws, r, 11), p["status_zh"].as_str().unwrap());
        for (col, rs) in [(12, &mid_r), (14, &end_r)] {
            let (_, rate, grade) = rs
                .iter()
                .find(|(id, ..)| id == p["id"].as_str().unwrap())
                .unwrap();
            // Stored as a number with a percentage format: 0.891 for 89.1%.
            let v: f64 = cell(&ws, r, col).parse().unwrap();
            assert_eq!(format!("{:.1}%", v * 100.0), *rate, "{} {col}", p["id"]);
            assert_eq!(cell(&ws, r, col + 1), *grade);
        }
    }
    // The mid-year sheet: the status then and the notes entered there.
    let ws = wb.worksheet_range("2027-07-16 第六次会议").unwrap();
    for (k, p) in mid_list.iter().enumerate() {
        let r = k + 2;
        assert_eq!(cell(&ws, r, 1), p["id"].as_str().unwrap());
        assert_eq!(cell(&ws, r, 5), p["status_zh"].as_str().unwrap());
        let note = p["notes"][0]["text"].as_str().unwrap();
        assert!(cell(&ws, r, 8).contains(note), "{}", cell(&ws, r, 8));
    }

    // The page: one section per project, each with its chart and its record.
    let html = std::fs::read_to_string(dir.join("projects-2027.html")).unwrap();
    let dom = tl::parse(&html, tl::ParserOptions::default()).unwrap();
    let parser = dom.parser();
    let sections: Vec<_> = dom
        .query_selector("section.project")
        .unwrap()
        .filter_map(|h| h.get(parser))
        .collect();
    assert_eq!(sections.len(), 10);
    for (k, (sec, p)) in sections.iter().zip(list).enumerate() {
        let id = p["id"].as_str().unwrap();
        let tag = sec.as_tag().unwrap();
        assert_eq!(
            tag.attributes().id().map(|v| v.as_utf8_str().to_string()),
            Some(format!("p-{id}"))
        );
        let inner = sec.inner_text(parser).to_string();
        let text = inner.replace("&ldquo;", "“").replace("&rdquo;", "”");
        assert!(
            text.contains(&format!("({}){}", k + 1, p["name"].as_str().unwrap())),
            "{text}"
        );
        assert!(
            text.contains(&format!("获得赞成票{}票,列第{}位", p["yes"], p["rank"])),
            "{text}"
        );
        assert!(text.contains(p["status_zh"].as_str().unwrap()), "{text}");
        for rs in [&mid_r, &end_r] {
            let (_, rate, grade) = rs.iter().find(|(i, ..)| i == id).unwrap();
            assert!(
                text.contains(&format!("满意度测评:满意率{rate},等次{grade}")),
                "{text}"
            );
        }
        // every note of the mid-year and of the year-end is in the project's record
        for l in [mid_list, list] {
            let q = l.iter().find(|x| x["id"] == id).unwrap();
            for n in q["notes"].as_array().unwrap() {
                assert!(text.contains(n["text"].as_str().unwrap()), "{text}");
            }
        }
        // The chart, from the page as written: a bar per evaluation.
        let at = html
            .find(&format!("<section class=\"project\" id=\"p-{id}\""))
            .unwrap();
        let chunk = &html[at..at + html[at..].find("</section>").unwrap()];
        assert!(chunk.contains("<svg class=\"chart\""), "{id}");
        assert_eq!(
            chunk.matches("<rect ").count(),
            2,
            "{id}: a bar per evaluation"
        );
    }
}

#[test]
fn a_report_of_different_bodies_or_years_is_refused_naming_them() {
    let d = year_dir();
    let dir = d.path();
    the_year(dir);
    // Another body.
    empty_db(dir, "jiangzhou-midyear.toml", "jz.db");
    let said = refused(&["projects", "report", "hexi-ballot.db", "jz.db"], dir);
    assert!(said.contains("不同的人民代表大会"), "{said}");
    assert!(
        said.contains("jz.db") && said.contains("江州市人民代表大会"),
        "{said}"
    );
    // Another year's 票决 of the same body.
    let f = std::fs::read_to_string(dir.join("hexi-ballot.toml")).unwrap();
    std::fs::write(
        dir.join("hexi-2028.toml"),
        f.replace("year = 2027", "year = 2028")
            .replace("date = \"2026-12-18\"", "date = \"2027-12-18\"")
            .replace("第五次会议", "第七次会议"),
    )
    .unwrap();
    let script = std::fs::read_to_string(dir.join("year/hexi-ballot.jsonl"))
        .unwrap()
        .replace("2026-12-18", "2027-12-18");
    std::fs::write(dir.join("b2028.jsonl"), script).unwrap();
    hold(dir, "hexi-2028", "b2028.jsonl");
    let said = refused(
        &["projects", "report", "hexi-midyear-2027.db", "hexi-2028.db"],
        dir,
    );
    assert!(said.contains("不同年度"), "{said}");
    assert!(
        said.contains("hexi-2028.db") && said.contains("2028年度"),
        "{said}"
    );
    // A 票决 database that no longer says what the mid-year carried: the same session file,
    // its papers keyed otherwise (P13 loses every 赞成), so another selection and another chain.
    let other = tempfile::tempdir().unwrap();
    for f in ["hexi-ballot.toml", "hexi-roster.csv"] {
        std::fs::copy(dir.join(f), other.path().join(f)).unwrap();
    }
    rekeyed(dir, &other.path().join("b.jsonl"), &|_| 'N');
    hold(other.path(), "hexi-ballot", "b.jsonl");
    let altered = other.path().join("hexi-ballot.db");
    let said = refused(
        &[
            "projects",
            "report",
            altered.to_str().unwrap(),
            "hexi-midyear-2027.db",
        ],
        dir,
    );
    assert!(said.contains("不能合为一份报告"), "{said}");
    assert!(said.contains("hexi-midyear-2027.db"), "{said}");
    // The same session twice.
    let said = refused(
        &["projects", "report", "hexi-ballot.db", "hexi-ballot.db"],
        dir,
    );
    assert!(said.contains("同一次会议"), "{said}");
}

#[test]
fn the_projects_screen_records_a_status_only_with_its_note_prompt() {
    use huiwu::engine::{Engine, SystemClock};
    use huiwu::tui::app::App;
    use huiwu::tui::keys::{Cmd, Screen};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let d = year_dir();
    let dir = d.path();
    hold(dir, "hexi-ballot", "year/hexi-ballot.jsonl");
    empty_db(dir, "hexi-midyear-2027.toml", "hexi-midyear-2027.db");
    let db: PathBuf = dir.join("hexi-midyear-2027.db");
    let engine = Engine::open(&db, "main", Box::new(SystemClock)).unwrap();
    let mut app = App::new(engine, huiwu::i18n::Lang::Zh);
    app.dispatch(Cmd::GoTo(Screen::Projects));
    let key = |app: &mut App, c: KeyCode| app.on_key(KeyEvent::new(c, KeyModifiers::NONE));
    let seq = |app: &App| app.engine.state().seq;
    let start = seq(&app);
    // Caps Lock on: `D` means what `d` means, and it only opens the prompt.
    key(&mut app, KeyCode::Char('D'));
    assert_eq!(seq(&app), start, "a key alone records nothing");
    key(&mut app, KeyCode::Esc);
    assert_eq!(seq(&app), start, "Esc records nothing");
    // Enter twice: the first records, the second finds no prompt and does nothing harmful.
    key(&mut app, KeyCode::Char('i'));
    for c in "已开工".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert_eq!(seq(&app), start + 1);
    let p = &app.engine.state().projects.list[0];
    assert_eq!(p.status.zh(), "推进中");
    assert_eq!(p.changes[0].note, "已开工");
    // A progress note on the second project.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('n'));
    for c in "助餐点已建成18个".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let p = &app.engine.state().projects.list[1];
    assert_eq!(p.notes[0].text, "助餐点已建成18个");
    // A group by names and ids; an unknown name is refused with the prompt kept.
    key(&mut app, KeyCode::Char('g'));
    for c in "HX010 查无此人".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    assert!(app.modal.is_some(), "the prompt stays after a refusal");
    assert_eq!(seq(&app), start + 2);
    // What the screen shows.
    let backend = ratatui::backend::TestBackend::new(130, 36);
    let mut term = ratatui::Terminal::new(backend).unwrap();
    key(&mut app, KeyCode::Esc);
    term.draw(|f| huiwu::tui::view::render(&app, f)).unwrap();
    // Wide characters take two cells; compare without the blanks between them.
    let screen: String = term
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect::<String>()
        .replace(' ', "");
    assert!(screen.contains("2027年度民生实事项目"), "{screen}");
    assert!(screen.contains("推进中"), "{screen}");
    assert!(screen.contains("助餐点已建成18个"), "{screen}");
}

/// The pairing code `station add` prints.
fn add_station(dir: &Path, main: &str, name: &str) -> String {
    let out = ok(&["station", "add", "--db", main, name], dir);
    out.lines()
        .map(str::trim)
        .find(|l| l.len() == 44 && l.matches('-').count() == 8)
        .unwrap_or_else(|| panic!("no code in {out}"))
        .to_string()
}

/// A counting station keys the evaluation of the carried projects; its batch goes into the
/// main console only when both carried the same projects from the same 票决.
#[test]
fn a_station_batch_rates_the_projects_the_main_console_carried_or_is_refused() {
    let d = year_dir();
    let dir = d.path();
    hold(dir, "hexi-ballot", "year/hexi-ballot.jsonl");
    empty_db(dir, "hexi-midyear-2027.toml", "hexi-midyear-2027.db");
    // A station PC whose copy of the 票决 database says otherwise: the same ten projects, but
    // P13 given 赞成 wherever a paper had room, so it ranks higher and the order differs.
    let other = tempfile::tempdir().unwrap();
    let od = other.path();
    for f in [
        "hexi-ballot.toml",
        "hexi-midyear-2027.toml",
        "hexi-roster.csv",
    ] {
        std::fs::copy(dir.join(f), od.join(f)).unwrap();
    }
    rekeyed(dir, &od.join("b.jsonl"), &|c| {
        if c.iter().filter(|&&x| x == 'Y').count() < 10 {
            'Y'
        } else {
            c[12]
        }
    });
    hold(od, "hexi-ballot", "b.jsonl");

    let keying = |od: &Path, n: usize| {
        let papers: String = (0..3)
            .map(|i| {
                format!(
                    "{{\"action\":\"record_paper\",\"ballot\":\"rating\",\"serial\":\"A-{:04}\",\"marks\":\"{}\"}}\n",
                    i + 1,
                    "S".repeat(n)
                )
            })
            .collect();
        std::fs::write(
            od.join("keys.jsonl"),
            format!(
                "{{\"action\":\"mark_unmarked\",\"status\":\"present\"}}\n{{\"action\":\"start_item\",\"item\":\"rating\"}}\n{papers}"
            ),
        )
        .unwrap();
    };
    // Station A carried the other order.
    let code = add_station(dir, "hexi-midyear-2027.db", "A");
    ok(
        &[
            "station",
            "pair",
            "--db",
            "st.db",
            "--session",
            "hexi-midyear-2027.toml",
            "A",
            &code,
        ],
        od,
    );
    keying(od, 10);
    ok(&["apply", "--db", "st.db", "keys.jsonl"], od);
    ok(
        &[
            "ballot",
            "export-batch",
            "--db",
            "st.db",
            "--ballot",
            "rating",
            "-o",
            "a.json",
        ],
        od,
    );
    let batch = od.join("a.json");
    let before = entries(dir, "hexi-midyear-2027.db");
    let said = refused(
        &[
            "ballot",
            "import-batch",
            "--db",
            "hexi-midyear-2027.db",
            batch.to_str().unwrap(),
        ],
        dir,
    );
    assert!(
        said.contains("从同一票决数据库结转") && said.contains("P13"),
        "{said}"
    );
    assert_eq!(entries(dir, "hexi-midyear-2027.db"), before);

    // Station B carried from a copy of the main console's 票决: accepted.
    let same = tempfile::tempdir().unwrap();
    let sd = same.path();
    for f in [
        "hexi-ballot.toml",
        "hexi-midyear-2027.toml",
        "hexi-roster.csv",
        "hexi-ballot.db",
    ] {
        std::fs::copy(dir.join(f), sd.join(f)).unwrap();
    }
    let code = add_station(dir, "hexi-midyear-2027.db", "B");
    ok(
        &[
            "station",
            "pair",
            "--db",
            "st.db",
            "--session",
            "hexi-midyear-2027.toml",
            "B",
            &code,
        ],
        sd,
    );
    keying(sd, 10);
    ok(&["apply", "--db", "st.db", "keys.jsonl"], sd);
    ok(
        &[
            "ballot",
            "export-batch",
            "--db",
            "st.db",
            "--ballot",
            "rating",
            "-o",
            "b.json",
        ],
        sd,
    );
    // The main console's evaluation must have started to take papers.
    std::fs::write(
        dir.join("start.jsonl"),
        "{\"action\":\"mark_unmarked\",\"status\":\"present\"}\n{\"action\":\"start_item\",\"item\":\"rating\"}\n",
    )
    .unwrap();
    ok(
        &["apply", "--db", "hexi-midyear-2027.db", "start.jsonl"],
        dir,
    );
    let b = sd.join("b.json");
    ok(
        &[
            "ballot",
            "import-batch",
            "--db",
            "hexi-midyear-2027.db",
            b.to_str().unwrap(),
        ],
        dir,
    );
    let rec = json(dir, "hexi-midyear-2027.db");
    let rating = rec["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "rating")
        .unwrap();
    assert_eq!(rating["keyed"], 3);
}
