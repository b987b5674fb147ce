//! The integrity suite (issue 24, DESIGN.md §2.15): the paths by which a paper was counted on
//! the wrong candidate, a sheet twice, a file crashed the count, or a name proved nothing,
//! each tried through the real binary the way an auditor or a hurried clerk would. Every test
//! fails against huiwu as it stood before issue 24 (`HUIWU_ATTACK_BIN=<old huiwu>`) and passes
//! now.

mod common;

use std::path::{Path, PathBuf};

use common::lab::*;
use huiwu::paper::synth::{self, Distortion};

// ------------------------------------------------- papers against their candidate list

/// `lines` of a paper of `ballot` (any round).
fn paper_of(ballot: &str, serial: &str, marks: &str) -> String {
    serde_json::json!({"action": "record_paper", "ballot": ballot, "serial": serial, "marks": marks})
        .to_string()
}

/// 150 papers with 赞成 for every candidate but `not` (and 不赞成 for it): nine of the first ten
/// pass 过半数 of the 298, the tenth place is left for a further round among the rest.
fn nine_selected(prefix: &str, not: usize) -> Vec<String> {
    let marks: String = (0..15)
        .map(|k| if k < 10 && k != not { 'Y' } else { 'N' })
        .collect();
    (0..150)
        .map(|i| paper(&format!("{prefix}-{:04}", i + 1), &marks, None))
        .collect()
}

#[test]
fn a_stations_own_later_round_is_refused_not_counted_on_the_main_consoles_candidates() {
    let lab = Lab::new();
    let main = lab.path("main.db");
    let station = lab.path("A.db");
    lab.ok(&main, &[]);
    lab.pair(&main, &station, "A");
    // The station's own count selects all of P01–P10 but P05; the main console's all but P06.
    let mut st = opening();
    st.extend(nine_selected("A", 4));
    st.push(act(r#""action":"announce_ballot","ballot":"ballot""#));
    st.push(act(r#""action":"create_round","ballot":"ballot""#));
    st.push(act(
        r#""action":"set_issued","ballot":"ballot#2","issued":280"#,
    ));
    for i in 0..3 {
        st.push(paper_of("ballot#2", &format!("A-{:04}", 151 + i), "YAAAAA"));
    }
    lab.ok(&station, &st);
    let mut m = opening();
    m.extend(nine_selected("M", 5));
    m.push(act(r#""action":"announce_ballot","ballot":"ballot""#));
    m.push(act(r#""action":"create_round","ballot":"ballot""#));
    m.push(act(
        r#""action":"set_issued","ballot":"ballot#2","issued":280"#,
    ));
    lab.ok(&main, &m);
    let file = lab.path("A-round2.json");
    let (code, out) = lab.huiwu(&[
        "ballot",
        "export-batch",
        "--db",
        station.to_str().unwrap(),
        "--ballot",
        "ballot#2",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    let before = digest(&main);
    let (code, out) = lab.import_batch(&main, &file);
    assert_eq!(
        code, 2,
        "the station's P05 papers were counted on P06: {out}"
    );
    assert!(
        out.contains("P05 P11 P12 P13 P14 P15") && out.contains("P06 P11 P12 P13 P14 P15"),
        "both lists named: {out}"
    );
    assert_eq!(
        digest(&main),
        before,
        "the database is byte for byte as it was"
    );
    // A CSV of the station's round names its ids: refused for the main console's round too.
    let csv = lab.path("round2.csv");
    std::fs::write(&csv, "serial,P05,P11,P12,P13,P14,P15\nc-1,Y,,,,,\n").unwrap();
    let (code, out) = lab.huiwu(&[
        "ballot",
        "import",
        "--db",
        main.to_str().unwrap(),
        "--ballot",
        "ballot#2",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("P05"), "{out}");
    assert_eq!(digest(&main), before);
}

/// The session file with P01 and P15 swapped in the paper's order.
fn swapped(lab: &Lab) -> PathBuf {
    let body = std::fs::read_to_string(lab.session()).unwrap();
    let lines: Vec<&str> = body.lines().collect();
    let p01 = lines
        .iter()
        .position(|l| l.contains("id = \"P01\""))
        .unwrap();
    let p15 = lines
        .iter()
        .position(|l| l.contains("id = \"P15\""))
        .unwrap();
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    out.swap(p01, p15);
    let f = lab.path("hexi-ballot.toml");
    std::fs::write(&f, out.join("\n") + "\n").unwrap();
    f
}

#[test]
fn a_batch_keyed_before_an_amendment_of_the_order_is_refused() {
    let lab = Lab::new();
    let main = lab.path("main.db");
    let station = lab.path("A.db");
    lab.ok(&main, &[]);
    lab.pair(&main, &station, "A");
    // The station keys two papers "赞成 the first candidate": P01 on its paper.
    let mut st = opening();
    st.push(paper("A-0001", "YAAAAAAAAAAAAAA", None));
    st.push(paper("A-0002", "YAAAAAAAAAAAAAA", None));
    lab.ok(&station, &st);
    let file = lab.path("A-1.json");
    lab.export_batch(&station, &file);
    // The main console amends the order (nothing counted yet), then opens the count.
    swapped(&lab);
    let (code, out) = lab.huiwu(&[
        "amend",
        lab.session().to_str().unwrap(),
        "--db",
        main.to_str().unwrap(),
        "--reason",
        "主席团调整候选项目顺序",
    ]);
    assert_eq!(code, 0, "{out}");
    lab.ok(&main, &opening());
    let before = digest(&main);
    let (code, out) = lab.import_batch(&main, &file);
    assert_eq!(code, 2, "P01's papers were counted for P15: {out}");
    assert!(out.contains("P01 P02") && out.contains("P15 P02"), "{out}");
    assert_eq!(digest(&main), before);
    // Double entry of such batches is refused the same way.
    let (code, out) = lab.huiwu(&[
        "ballot",
        "compare",
        "--db",
        main.to_str().unwrap(),
        file.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert_eq!(digest(&main), before);
}

// ------------------------------------------------- nothing announced changes

#[test]
fn nothing_an_announcement_said_changes_by_amendment() {
    let lab = Lab::new();
    let db = lab.announced("a.db", 20);
    // What the hall heard and the result sheet prints: the announcement, the title, each
    // candidate's name and unit, the staff.
    let notice = |lab: &Lab| {
        let v = json(lab, &db);
        let b = v["ballots"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["id"] == "ballot")
            .unwrap()
            .clone();
        serde_json::json!({
            "zh": b["announcement_zh"], "en": b["announcement_en"], "title": b["title"],
            "candidates": b["candidates"], "scrutineers": b["scrutineers"], "clerks": b["clerks"],
            "session": v["session"]["title"],
        })
        .to_string()
    };
    let heard = notice(&lab);
    assert!(heard.contains("确定为2027年度"), "{heard}");
    let original = std::fs::read_to_string(lab.session()).unwrap();
    let edits: [(&str, &str, &str); 6] = [
        ("year = 2027", "year = 2028", "year"),
        (
            "threshold = \"majority\"",
            "threshold = \"majority\"\nvote = \"recommend\"",
            "vote",
        ),
        ("新增公共停车泊位2500个", "新增公共停车泊位3000个", "name"),
        (
            "title = \"2027年度区政府民生实事项目票决\"",
            "title = \"2028年度区政府民生实事项目票决\"",
            "title",
        ),
        (
            "title = \"河西区第八届人民代表大会第五次会议\"",
            "title = \"河西区第八届人民代表大会第六次会议\"",
            "session.title",
        ),
        (
            "clerks = [\"葛玉洁\", \"方志诚\", \"陆雯\"]",
            "clerks = [\"葛玉洁\", \"方志诚\"]",
            "clerks",
        ),
    ];
    for (from, to, field) in edits {
        assert!(original.contains(from), "{from}");
        std::fs::write(lab.session(), original.replacen(from, to, 1)).unwrap();
        let before = digest(&db);
        let (code, out) = lab.huiwu(&[
            "amend",
            lab.session().to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--reason",
            "更正",
        ]);
        assert_eq!(code, 2, "{field} changed after the announcement: {out}");
        assert!(out.contains(field), "{field} named: {out}");
        assert_eq!(digest(&db), before);
    }
    // A deputy's name is no part of the announcement: its typo may still be mended.
    let roster = std::fs::read_to_string(lab.path("hexi-roster.csv")).unwrap();
    std::fs::write(
        lab.path("hexi-roster.csv"),
        roster.replacen("HX001,张春燕", "HX001,张春艳", 1),
    )
    .unwrap();
    std::fs::write(lab.session(), &original).unwrap();
    let (code, out) = lab.huiwu(&[
        "amend",
        lab.session().to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--reason",
        "代表姓名笔误",
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        notice(&lab),
        heard,
        "the announcement reads as it was read out"
    );
}

// ------------------------------------------------- a sheet fed twice

/// A main console ready to scan: the 票决 open, 280 issued, `returned` returned.
fn scanning(lab: &Lab, returned: u32) -> PathBuf {
    let db = lab.path("scan.db");
    let mut lines = opening();
    lines.push(act(&format!(
        r#""action":"set_returned","ballot":"ballot","returned":{returned}"#
    )));
    lab.ok(&db, &lines);
    db
}

/// Sheets of this database's paper as a scanner saves them: marks drawn with `seed`, scanned
/// with `d`.
fn scans(db: &Path, seeds: &[u64], d: &Distortion) -> Vec<Vec<u8>> {
    let engine = huiwu::engine::Engine::open_readonly(db).unwrap();
    let fp = engine.genesis().fingerprint.clone();
    let (spec, sheet) = huiwu::paper::paper_of(engine.state(), "ballot", &fp).unwrap();
    seeds
        .iter()
        .map(|&s| {
            // Plain pen marks, read without a clerk: what waits, waits as a second feed.
            let rows: Vec<synth::RowMark> = (0..spec.rows.len())
                .map(|k| synth::RowMark {
                    choice: Some(if k < 9 { 0 } else { (k + s as usize) % 3 }),
                    style: synth::Style::Circle,
                    extra: synth::Extra::None,
                })
                .collect();
            synth::scan(&sheet, &rows, d, s)
        })
        .collect()
}

/// The papers counted in the 票决.
fn papers(lab: &Lab, db: &Path) -> usize {
    json(lab, db)["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "ballot")
        .unwrap()["papers"]
        .as_array()
        .map_or(0, Vec::len)
}

fn scan(lab: &Lab, db: &Path, what: &Path) -> (i32, String) {
    lab.huiwu(&[
        "ballot",
        "scan",
        "--db",
        db.to_str().unwrap(),
        "--ballot",
        "ballot",
        what.to_str().unwrap(),
    ])
}

fn sheets(lab: &Lab, db: &Path) -> String {
    let (code, out) = lab.huiwu(&[
        "ballot",
        "sheets",
        "--db",
        db.to_str().unwrap(),
        "--ballot",
        "ballot",
    ]);
    assert_eq!(code, 0, "{out}");
    out
}

#[test]
fn a_sheet_fed_twice_waits_for_a_clerk_and_the_same_picture_is_read_before() {
    let lab = Lab::new();
    // Five papers were returned; four go through the scanner, one of them twice.
    let db = scanning(&lab, 5);
    let first = Distortion {
        rotate: 0.8,
        ..Distortion::default()
    };
    let folder = lab.path("scans");
    std::fs::create_dir(&folder).unwrap();
    for (k, bytes) in scans(&db, &[11, 12, 13, 14], &first).iter().enumerate() {
        std::fs::write(folder.join(format!("scan{:03}.png", k + 1)), bytes).unwrap();
    }
    let (code, out) = scan(&lab, &db, &folder);
    assert_eq!(code, 0, "{out}");
    // The jam: sheet 3 fed again, another angle, offset and JPEG.
    let again = Distortion {
        rotate: -1.7,
        offset: (2.0, -1.5),
        noise: 5.0,
        jpeg: Some(70),
        ..Distortion::default()
    };
    let refed = lab.path("refed");
    std::fs::create_dir(&refed).unwrap();
    std::fs::write(refed.join("scan005.jpg"), &scans(&db, &[13], &again)[0]).unwrap();
    // Sheet 1's very picture saved again as other bytes (a TIFF).
    let img = image::load_from_memory(&std::fs::read(folder.join("scan001.png")).unwrap()).unwrap();
    img.save(refed.join("scan006.tif")).unwrap();
    let (code, out) = scan(&lab, &db, &refed);
    assert_eq!(code, 0, "{out}");
    let listed = sheets(&lab, &db);
    let twin = listed
        .lines()
        .find(|l| l.contains("S0003 fed again"))
        .unwrap_or_else(|| panic!("the second feed waits, naming S0003: {listed}"));
    let serial = twin.split('\t').next().unwrap().to_string();
    assert_eq!(
        listed.lines().count(),
        5,
        "the same picture is no new sheet: {listed}"
    );
    assert!(out.contains("read before"), "{out}");
    // Four papers counted, the fifth place held by the sheet waiting.
    assert_eq!(papers(&lab, &db), 4);
    // Not a scrutineer or clerk of the ballot: refused. The chief scrutineer rules it the
    // same paper: set aside, never counted.
    let rule = |by: &str| {
        lab.huiwu(&[
            "ballot",
            "rule",
            "--db",
            db.to_str().unwrap(),
            "--ballot",
            "ballot",
            "--serial",
            &serial,
            "--same-paper",
            "--by",
            by,
        ])
    };
    let (code, out) = rule("随便谁");
    assert_eq!(code, 2, "{out}");
    let (code, out) = rule("黎秀英");
    assert_eq!(code, 0, "{out}");
    assert!(sheets(&lab, &db).contains("set aside"));
    assert_eq!(papers(&lab, &db), 4);
    let v = json(&lab, &db);
    let b = v["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "ballot")
        .unwrap();
    assert_eq!(b["set_aside"][0]["same_as"], "S0003", "kept on record");
    let (code, out) = lab.verify(&db, &["--images"]);
    assert_eq!(code, 0, "{out}");
}

// ------------------------------------------------- rulings and names

#[test]
fn a_ruling_names_the_ballots_staff_and_leaves_the_sure_rows_alone() {
    let lab = Lab::new();
    let db = scanning(&lab, 10);
    // A faint mark on every paper: each sheet waits.
    let folder = lab.path("scans");
    std::fs::create_dir(&folder).unwrap();
    let engine = huiwu::engine::Engine::open_readonly(&db).unwrap();
    let fp = engine.genesis().fingerprint.clone();
    let (spec, sheet) = huiwu::paper::paper_of(engine.state(), "ballot", &fp).unwrap();
    drop(engine);
    let mut rows: Vec<synth::RowMark> = (0..spec.rows.len())
        .map(|k| synth::RowMark {
            choice: Some(if k < 8 { 0 } else { 1 }),
            style: synth::Style::Circle,
            extra: synth::Extra::None,
        })
        .collect();
    rows[3].extra = synth::Extra::ScribbledOut;
    let bytes = synth::scan(&sheet, &rows, &Distortion::default(), 7);
    std::fs::write(folder.join("a.png"), bytes).unwrap();
    let (code, out) = scan(&lab, &db, &folder);
    assert_eq!(code, 0, "{out}");
    let listed = sheets(&lab, &db);
    let line = listed.lines().next().unwrap();
    let read: Vec<&str> = line.split('\t').collect();
    assert!(read[1].contains('?'), "the faint row waits: {listed}");
    let decided: String = read[1].replace('?', "Y");
    let rule = |marks: &str, by: &str, overrule: Option<&str>| {
        let mut args = vec![
            "ballot",
            "rule",
            "--db",
            db.to_str().unwrap(),
            "--ballot",
            "ballot",
            "--serial",
            "S0001",
            "--marks",
            marks,
            "--by",
            by,
        ];
        if let Some(r) = overrule {
            args.extend(["--overrule", r]);
        }
        lab.huiwu(&args)
    };
    let before = digest(&db);
    // Anyone, or a deputy who is not staff: refused.
    for who in ["随便谁", "张春燕"] {
        let (code, out) = rule(&decided, who, None);
        assert_eq!(code, 2, "{who}: {out}");
    }
    // A clerk changing a row the machine read for sure: refused, even with a reason.
    let mut changed: Vec<char> = decided.chars().collect();
    changed[0] = 'N';
    let changed: String = changed.into_iter().collect();
    let (code, out) = rule(&changed, "葛玉洁", Some("看错了"));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("row(s) 1"), "{out}");
    // A scrutineer without a reason: refused.
    let (code, _) = rule(&changed, "楼志强", None);
    assert_eq!(code, 2);
    assert_eq!(digest(&db), before);
    // A scrutineer overruling it with a reason: recorded, with the reason.
    let (code, out) = rule(&changed, "楼志强", Some("原票第一栏画×,机器误读"));
    assert_eq!(code, 0, "{out}");
    let v = json(&lab, &db);
    assert!(
        v.to_string().contains("原票第一栏画×,机器误读"),
        "the reason is on record"
    );
}

#[test]
fn a_station_name_proves_a_pairing_and_a_script_cannot_bring_a_batch() {
    let lab = Lab::new();
    let main = lab.path("main.db");
    lab.ok(&main, &opening());
    let script = lab.path("p.jsonl");
    std::fs::write(&script, paper("ZZ9-0001", &marks(1), None)).unwrap();
    for station in ["ZZ9", "A"] {
        let before = digest(&main);
        let (code, out) = lab.huiwu(&[
            "apply",
            "--db",
            main.to_str().unwrap(),
            "--station",
            station,
            script.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "papers recorded under station {station}: {out}");
        assert_eq!(digest(&main), before);
    }
    // An import_batch line carries no batch file to check its tag against.
    let forged = serde_json::json!({
        "action": "import_batch", "ballot": "ballot",
        "batches": [{"station": "A", "number": 1, "key_id": "0".repeat(16), "tag": "0".repeat(64),
                     "station_head": "#2 0000-0000-0000-0000", "papers": 1}],
        "papers": [{"serial": "A-0001", "marks": marks(1)}],
    });
    std::fs::write(&script, forged.to_string()).unwrap();
    let (code, out) = lab.huiwu(&[
        "apply",
        "--db",
        main.to_str().unwrap(),
        script.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("import-batch"), "{out}");
    // A refused command leaves no database behind.
    std::fs::write(
        &script,
        act(r#""action":"add_note","item":"open","text":"x""#),
    )
    .unwrap();
    let fresh = lab.path("fresh.db");
    let (code, _) = lab.huiwu(&[
        "apply",
        "--session",
        lab.session().to_str().unwrap(),
        "--db",
        fresh.to_str().unwrap(),
        "--station",
        "ZZ9",
        script.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(!fresh.exists(), "a database was left behind");
}

#[test]
fn a_seat_or_group_in_a_papers_free_text_is_refused_and_no_entry_is_far_ahead() {
    let lab = Lab::new();
    let db = lab.path("s.db");
    lab.ok(&db, &opening());
    for reason in ["1排2座的票", "滨江街道代表团交来的票"] {
        let before = digest(&db);
        let (code, out) = lab.apply(&db, &[paper("M-0001", "", Some(reason))]);
        assert_eq!(code, 2, "{reason} recorded with a paper: {out}");
        assert_eq!(digest(&db), before);
    }
    let (code, _) = lab.apply(&db, &[paper("M-0001", "", Some("字迹无法辨认"))]);
    assert_eq!(code, 0);
    // An entry dated 9999 would hold every later time at its own.
    let before = digest(&db);
    let far =
        r#"{"at": "9999-01-01T00:00:00+08:00", "action":"add_note","item":"ballot","text":"x"}"#;
    let (code, out) = lab.apply(&db, &[far.to_string()]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("ahead"), "{out}");
    assert_eq!(digest(&db), before);
    let (code, out) = lab.apply(
        &db,
        &[act(r#""action":"add_note","item":"ballot","text":"y""#)],
    );
    assert_eq!(code, 0, "later entries are taken at the PC's time: {out}");
}

// ------------------------------------------------- no file can crash or stall the count

/// A scanner's PDF of one grey page whose image stream is `raw` (no filter) or `zlib`-packed.
fn pdf_with_page(w: i64, h: i64, content: Vec<u8>, flate: bool) -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut dict = dictionary! {
        "Type" => "XObject", "Subtype" => "Image", "Width" => w, "Height" => h,
        "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
    };
    if flate {
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    }
    let image = doc.add_object(Stream::new(dict, content));
    let ops = doc.add_object(Stream::new(
        lopdf::Dictionary::new(),
        b"q 595 0 0 842 0 0 cm /Im0 Do Q".to_vec(),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => ops, "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_malformed_or_inflating_pdf_is_refused_with_its_reason_never_a_crash() {
    let lab = Lab::new();
    let db = scanning(&lab, 5);
    let (w, h) = (1654i64, 2339i64);
    // One byte more than its pixels.
    let long = pdf_with_page(w, h, vec![255; (w * h + 1) as usize], false);
    std::fs::write(lab.path("long.pdf"), long).unwrap();
    let (code, out) = scan(&lab, &db, &lab.path("long.pdf"));
    assert_ne!(code, 101, "a panic: {out}");
    assert!(out.contains("damaged"), "{out}");
    // A small stream that inflates far beyond any page.
    let bomb = pdf_with_page(w, h, zlib_zeros(300 << 20), true);
    assert!(bomb.len() < 3 << 20, "{}", bomb.len());
    std::fs::write(lab.path("bomb.pdf"), bomb).unwrap();
    let t = std::time::Instant::now();
    let (code, out) = scan(&lab, &db, &lab.path("bomb.pdf"));
    assert_ne!(code, 101, "a panic: {out}");
    assert!(
        t.elapsed().as_secs() < 20,
        "inflated whole: {:?}",
        t.elapsed()
    );
    assert!(
        out.contains("FlateDecode") || out.contains("cannot be read"),
        "{out}"
    );
    assert_eq!(papers(&lab, &db), 0);
}

/// `n` zero bytes, zlib-compressed (what a decompression bomb carries).
fn zlib_zeros(n: usize) -> Vec<u8> {
    // A PNG encoder is the one zlib writer at hand: an n-byte grey image of zeros, its IDAT
    // data taken out as one zlib stream.
    let side = (n as f64).sqrt() as u32;
    let img = image::GrayImage::new(side, side);
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let mut z = Vec::new();
    let mut i = 8;
    while i + 8 <= png.len() {
        let len = u32::from_be_bytes(png[i..i + 4].try_into().unwrap()) as usize;
        if &png[i + 4..i + 8] == b"IDAT" {
            z.extend_from_slice(&png[i + 8..i + 8 + len]);
        }
        i += 12 + len;
    }
    z
}

#[cfg(unix)]
#[test]
fn links_pipes_and_huge_files_in_a_scan_folder_are_refused_by_name() {
    let lab = Lab::new();
    let db = scanning(&lab, 5);
    let folder = lab.path("scans");
    std::fs::create_dir(&folder).unwrap();
    let good = scans(&db, &[21], &Distortion::default()).remove(0);
    let outside = lab.path("elsewhere.png");
    std::fs::write(&outside, &good).unwrap();
    std::os::unix::fs::symlink(&outside, folder.join("a-link.png")).unwrap();
    let fifo = folder.join("b-pipe.png");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let sparse = std::fs::File::create(folder.join("c-huge.png")).unwrap();
    sparse.set_len(3 << 30).unwrap();
    std::fs::write(folder.join("d-real.png"), &good).unwrap();
    let t = std::time::Instant::now();
    let (code, out) = scan(&lab, &db, &folder);
    assert_eq!(code, 0, "{out}");
    assert!(t.elapsed().as_secs() < 30, "stalled: {:?}", t.elapsed());
    for (name, why) in [
        ("a-link.png", "symbolic link"),
        ("b-pipe.png", "not a regular file"),
        ("c-huge.png", "not read"),
    ] {
        assert!(
            out.lines().any(|l| l.contains(name) && l.contains(why)),
            "{name}: {out}"
        );
    }
    assert_eq!(sheets(&lab, &db).lines().count(), 1, "only the real scan");
}
