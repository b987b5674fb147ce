//! Printed papers and their scans through the real binary (issue 15): `ballot print` from the
//! session file; a rehearsal stack read by `ballot scan` equals what was drawn; the same images
//! again change nothing; a stack larger than the box stops whole; doubtful sheets wait for
//! `ballot rule` and block the announcement; `verify` passes over the whole record.

mod common;

use std::path::Path;

use common::{huiwu, ok, refused, text};

const SESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sessions");

/// The district 票决 with attendance, staff, 发出 and 收回 (`returned`) recorded.
fn meeting(returned: u32) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for f in ["hexi-ballot.toml", "hexi-roster.csv"] {
        std::fs::copy(Path::new(SESSIONS).join(f), d.path().join(f)).unwrap();
    }
    let script =
        std::fs::read_to_string(Path::new(SESSIONS).join("year/hexi-ballot.jsonl")).unwrap();
    let mut pre: Vec<&str> = Vec::new();
    for line in script.lines() {
        if line.contains("\"set_returned\"") {
            pre.push(Box::leak(
                format!(
                    "{{\"at\": \"2026-12-18T15:12:00+08:00\", \"action\": \"set_returned\", \"ballot\": \"ballot\", \"returned\": {returned}}}"
                )
                .into_boxed_str(),
            ));
            break;
        }
        pre.push(line);
    }
    std::fs::write(d.path().join("pre.jsonl"), pre.join("\n")).unwrap();
    ok(
        &[
            "apply",
            "--session",
            "hexi-ballot.toml",
            "--db",
            "h.db",
            "pre.jsonl",
        ],
        d.path(),
    );
    d
}

/// What `ballot sheets` lists: serial → (reading, state).
fn sheets(dir: &Path) -> Vec<(String, String, String)> {
    ok(
        &["ballot", "sheets", "--db", "h.db", "--ballot", "ballot"],
        dir,
    )
    .lines()
    .map(|l| {
        let f: Vec<&str> = l.split('\t').collect();
        (f[0].to_string(), f[1].to_string(), f[2].to_string())
    })
    .collect()
}

#[test]
fn print_needs_a_font_or_says_what_it_looked_for() {
    let d = tempfile::tempdir().unwrap();
    for f in ["hexi-ballot.toml", "hexi-roster.csv"] {
        std::fs::copy(Path::new(SESSIONS).join(f), d.path().join(f)).unwrap();
    }
    let out = huiwu(
        &[
            "ballot",
            "print",
            "--session",
            "hexi-ballot.toml",
            "--ballot",
            "ballot",
            "-o",
            "p.pdf",
        ],
        d.path(),
    );
    if out.status.success() {
        let pdf = std::fs::read(d.path().join("p.pdf")).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        // The font is in the file (subset), not left to the printer's PC.
        let s = String::from_utf8_lossy(&pdf);
        assert!(s.contains("/FontFile"), "no embedded font");
        assert!(
            pdf.len() < 400_000,
            "the font is subset: {} bytes",
            pdf.len()
        );
    } else {
        let t = text(&out);
        assert!(
            t.contains("Noto Serif CJK SC") && t.contains("--font"),
            "{t}"
        );
    }
    let t = refused(
        &[
            "ballot",
            "print",
            "--session",
            "hexi-ballot.toml",
            "--ballot",
            "nope",
            "-o",
            "p.pdf",
        ],
        d.path(),
    );
    assert!(t.contains("ballot"), "names the ballots there are: {t}");
    let t = refused(
        &[
            "ballot",
            "print",
            "--session",
            "hexi-ballot.toml",
            "--ballot",
            "ballot",
            "-o",
            "p.pdf",
            "--font",
            "missing.ttf",
        ],
        d.path(),
    );
    assert!(t.contains("missing.ttf"), "{t}");
}

#[test]
fn a_scanned_stack_reads_as_drawn_once_only_and_within_the_box() {
    let d = meeting(12);
    let dir = d.path();
    ok(
        &[
            "ballot", "rehearse", "--db", "h.db", "--ballot", "ballot", "-o", "stack", "--sheets",
            "12", "--seed", "7", "--rough",
        ],
        dir,
    );
    let drawn: Vec<String> = std::fs::read_to_string(dir.join("stack/marks.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().to_string())
        .collect();
    // A file that is no image among the scans.
    std::fs::write(dir.join("stack/scan-0099.png"), b"not a picture").unwrap();
    let out = ok(
        &[
            "ballot", "scan", "--db", "h.db", "--ballot", "ballot", "stack",
        ],
        dir,
    );
    assert!(
        out.contains("scan-0099.png") && out.contains("未能识读 1 张"),
        "{out}"
    );
    let read = sheets(dir);
    assert_eq!(read.len(), 12, "{out}");
    let doubtful: usize = read.iter().map(|(_, r, _)| r.matches('?').count()).sum();
    assert!(
        doubtful * 10 <= 12 * 15,
        "{doubtful} rows for a clerk: {read:?}"
    );
    for ((serial, reading, _), want) in read.iter().zip(&drawn) {
        for (r, w) in reading.chars().zip(want.chars()) {
            assert!(r == '?' || r == w, "{serial}: read {reading}, drawn {want}");
        }
    }
    // Every sheet's image is kept beside the database under its serial and hash.
    for (serial, _, _) in &read {
        let kept = std::fs::read_dir(dir.join("h.scans/ballot"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(serial.as_str())
            })
            .count();
        assert_eq!(kept, 1, "{serial}");
    }
    let head = ok(&["verify", "--db", "h.db"], dir);
    // The same images again: nothing changes.
    let again = ok(
        &[
            "ballot", "scan", "--db", "h.db", "--ballot", "ballot", "stack",
        ],
        dir,
    );
    assert!(again.contains("已读过 12 张"), "{again}");
    assert_eq!(sheets(dir), read);
    assert_eq!(ok(&["verify", "--db", "h.db"], dir), head);
    // A thirteenth sheet for a box of twelve stops the scan, saying so.
    ok(
        &[
            "ballot", "rehearse", "--db", "h.db", "--ballot", "ballot", "-o", "more", "--sheets",
            "1", "--seed", "8",
        ],
        dir,
    );
    let t = refused(
        &[
            "ballot", "scan", "--db", "h.db", "--ballot", "ballot", "more",
        ],
        dir,
    );
    assert!(t.contains("多于收回票数 12 张"), "{t}");
    assert_eq!(sheets(dir).len(), 12);
    // Rule on each waiting sheet as drawn; until then the result cannot be announced.
    let waiting: Vec<(usize, String)> = read
        .iter()
        .enumerate()
        .filter(|(_, (_, r, _))| r.contains('?'))
        .map(|(i, (s, _, _))| (i, s.clone()))
        .collect();
    for (i, serial) in &waiting {
        ok(
            &[
                "ballot",
                "rule",
                "--db",
                "h.db",
                "--ballot",
                "ballot",
                "--serial",
                serial,
                "--marks",
                &drawn[*i],
                "--by",
                "葛玉洁",
            ],
            dir,
        );
    }
    let after = sheets(dir);
    assert!(
        after.iter().all(|(_, _, state)| !state.contains("待判定")),
        "{after:?}"
    );
    ok(&["verify", "--db", "h.db"], dir);
    // The papers in the record are exactly the marks drawn, in scan order.
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["export", "--db", "h.db", "--format", "json"], dir)).unwrap();
    let ballot = json["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "ballot")
        .unwrap();
    let mut by_serial: Vec<(String, String)> = ballot["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["serial"].as_str().unwrap().to_string(),
                p["marks"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    by_serial.sort();
    let got: Vec<String> = by_serial.into_iter().map(|(_, m)| m).collect();
    assert_eq!(got, drawn);
    // Each scanned paper names its sheet: the hash, the stored image, who ruled on it.
    let p = &ballot["papers"][0];
    assert_eq!(p["sheet"]["sha256"].as_str().map(str::len), Some(64), "{p}");

    // An adversary swaps a kept image for another sheet's, and removes another: verify
    // --images names both (the log's hashes are under the chain, so they cannot follow).
    let kept = dir.join("h.scans/ballot");
    let name = |serial: &str| {
        std::fs::read_dir(&kept)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(serial))
            .unwrap()
    };
    std::fs::copy(name("S0002"), name("S0001")).unwrap();
    std::fs::remove_file(name("S0003")).unwrap();
    let out = huiwu(&["verify", "--db", "h.db", "--images"], dir);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(
        t.contains("S0001 的图像已被改动") && t.contains("S0003 的图像不见了"),
        "{t}"
    );
}

#[test]
fn a_scanners_pdf_is_read_page_by_page_and_a_printed_pdf_is_not_a_scan() {
    let d = meeting(4);
    let dir = d.path();
    ok(
        &[
            "ballot", "rehearse", "--db", "h.db", "--ballot", "ballot", "-o", "pdf", "--sheets",
            "4", "--seed", "3", "--rough", "--pdf",
        ],
        dir,
    );
    let drawn: Vec<String> = std::fs::read_to_string(dir.join("pdf/marks.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().to_string())
        .collect();
    let out = ok(
        &[
            "ballot",
            "scan",
            "--db",
            "h.db",
            "--ballot",
            "ballot",
            "pdf/scans.pdf",
        ],
        dir,
    );
    assert!(out.contains("读入 4 张"), "{out}");
    let read = sheets(dir);
    assert_eq!(read.len(), 4);
    for ((serial, reading, _), want) in read.iter().zip(&drawn) {
        for (r, w) in reading.chars().zip(want.chars()) {
            assert!(r == '?' || r == w, "{serial}: read {reading}, drawn {want}");
        }
    }
    let again = ok(
        &[
            "ballot", "scan", "--db", "h.db", "--ballot", "ballot", "pdf",
        ],
        dir,
    );
    assert!(again.contains("已读过 4 张"), "{again}");
    ok(&["verify", "--db", "h.db", "--images"], dir);
    // The printed papers' own PDF holds text, not a page image: refused, nothing recorded.
    let printed = huiwu(
        &[
            "ballot",
            "print",
            "--db",
            "h.db",
            "--ballot",
            "ballot",
            "-o",
            "papers.pdf",
        ],
        dir,
    );
    if printed.status.success() {
        let t = ok(
            &[
                "ballot",
                "scan",
                "--db",
                "h.db",
                "--ballot",
                "ballot",
                "papers.pdf",
            ],
            dir,
        );
        assert!(
            t.contains("不是扫描仪的一页一图") && t.contains("未能识读 1 张"),
            "{t}"
        );
        assert_eq!(sheets(dir).len(), 4);
    }
}
