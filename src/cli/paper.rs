//! `huiwu ballot print` and `huiwu ballot scan`.

use std::path::Path;
use std::process::ExitCode;

use huiwu::domain::state::SessionState;
use huiwu::engine::Engine;
use huiwu::i18n::Lang;
use huiwu::paper::{self, pdf};
use huiwu::{sessionfile, store};

use super::{fail, say};

/// The session's state and fingerprint, from its database or (before there is one) its file.
fn session_of(
    db: Option<&Path>,
    session: Option<&Path>,
    lang: Lang,
) -> Result<(SessionState, String), ExitCode> {
    match (db, session) {
        (Some(db), _) => {
            let engine = Engine::open_readonly(db).map_err(|e| fail(e.text().get(lang)))?;
            let fp = engine.genesis().fingerprint.clone();
            Ok((engine.state().clone(), fp))
        }
        (None, Some(s)) => {
            let loaded = sessionfile::load(s).map_err(|e| fail(&e.render(lang)))?;
            let fp = store::fingerprint(&loaded.def);
            Ok((SessionState::new(loaded.def), fp))
        }
        (None, None) => Err(fail(lang.t(
            "请用 --db 指定会议数据库,或用 --session 指定会议文件",
            "name the session's database with --db or its file with --session",
        ))),
    }
}

pub fn ballot_print(
    db: Option<&Path>,
    session: Option<&Path>,
    ballot: &str,
    output: &Path,
    copies: usize,
    font: Option<&Path>,
    lang: Lang,
) -> ExitCode {
    let (st, fp) = match session_of(db, session, lang) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let sheet = match paper::paper_of(&st, ballot, &fp) {
        Ok(s) => s,
        Err(t) => return fail(t.get(lang)),
    };
    let fonts = match pdf::find_fonts(font) {
        Ok(f) => f,
        Err(t) => return fail(t.get(lang)),
    };
    let bytes = match pdf::render(std::slice::from_ref(&sheet.1), copies.max(1), &fonts) {
        Ok(b) => b,
        Err(t) => return fail(t.get(lang)),
    };
    if let Err(e) = std::fs::write(output, &bytes) {
        return fail(&format!("{}: {e}", output.display()));
    }
    let spec = &sheet.0;
    say(&match lang {
        Lang::Zh => format!(
            "已印 {} 第{}轮选票 {} 页(候选 {} 个,字体 {}):{}\n选票上不编号;二维码:会议 {},版式 {}。",
            spec.ballot,
            spec.round,
            copies.max(1),
            spec.rows.len(),
            fonts.name,
            output.display(),
            spec.fingerprint,
            paper::LAYOUT_VERSION
        ),
        Lang::En => format!(
            "Printed {} page(s) of ballot {} round {} ({} candidates, font {}): {}\nThe papers carry no number; the QR code names session {} and layout {}.",
            copies.max(1),
            spec.ballot,
            spec.round,
            spec.rows.len(),
            fonts.name,
            output.display(),
            spec.fingerprint,
            paper::LAYOUT_VERSION
        ),
    });
    ExitCode::SUCCESS
}

pub fn ballot_scan(db: &Path, ballot: &str, paths: &[std::path::PathBuf], lang: Lang) -> ExitCode {
    use huiwu::engine::SystemClock;
    use huiwu::paper::stack;
    let mut engine = match Engine::open(db, "main", Box::new(SystemClock)) {
        Ok(e) => e,
        Err(e) => return fail(e.text().get(lang)),
    };
    let mut tally = stack::Tally::default();
    let files = match stack::files_in(paths, &mut tally.refusals) {
        Ok(f) => f,
        Err(t) => return fail(t.get(lang)),
    };
    tally.refused = tally.refusals.len();
    if files.is_empty() {
        for (name, why) in &tally.refusals {
            say(&format!("{name}: {}", why.get(lang)));
        }
        return fail(lang.t(
            "没有可读的扫描件(PNG、JPEG、TIFF、PDF)",
            "no scans to read (PNG, JPEG, TIFF, PDF)",
        ));
    }
    let images = stack::load(&files, &mut tally);
    match stack::record(&mut engine, ballot, &images) {
        Ok(t) => tally.add(t),
        Err(t) => {
            for (name, why) in &tally.refusals {
                say(&format!("{name}: {}", why.get(lang)));
            }
            return fail(t.get(lang));
        }
    }
    for (name, why) in tally.repeats.iter().chain(&tally.refusals) {
        say(&format!("{name}: {}", why.get(lang)));
    }
    let stack::Tally {
        read,
        waiting,
        twins,
        again,
        refused,
        ..
    } = tally;
    let b = engine.state().ballots.get(ballot);
    let (k, r) = b.map_or((0, None), |b| (b.keyed(), b.returned_declared));
    let r = r.map_or("-".to_string(), |r| r.to_string());
    say(&match lang {
        Lang::Zh => format!(
            "读入 {read} 张(其中 {waiting} 张待人工判定);已读过 {again} 张;未能识读 {refused} 张。已计选票 {k} 张 / 收回 {r} 张。"
        ),
        Lang::En => format!(
            "{read} sheets read ({waiting} waiting for a ruling); {again} read before; {refused} not read. Papers counted {k} / returned {r}."
        ),
    });
    if twins > 0 {
        say(&match lang {
            Lang::Zh => format!(
                "其中 {twins} 张的笔迹与此前读入的某张完全吻合,疑为同一张选票重复送入扫描仪:请监票人核对原票后在判定中认定(huiwu ballot sheets 列出其所吻合的扫描件)。"
            ),
            Lang::En => format!(
                "{twins} of them match an earlier sheet stroke for stroke: possibly the same paper fed twice; the scrutineers rule on each after looking at the papers (huiwu ballot sheets names the sheet each matches)."
            ),
        });
    }
    if refused > 0 {
        say(lang.t(
            "未能识读的选票未计入:请重新扫描,或由计票人在计票界面手工录入。",
            "Sheets not read are not counted: scan them again, or key them by hand at the count screen.",
        ));
    }
    ExitCode::SUCCESS
}

pub fn ballot_sheets(db: &Path, ballot: &str, lang: Lang) -> ExitCode {
    let engine = match Engine::open_readonly(db) {
        Ok(e) => e,
        Err(e) => return fail(e.text().get(lang)),
    };
    let Some(b) = engine.state().ballots.get(ballot) else {
        return fail(&format!(
            "{} {ballot}",
            lang.t("没有这个票决/测评:", "no such ballot:")
        ));
    };
    for s in &b.sheets {
        let state = match (&s.ruling, &s.set_aside, s.waiting()) {
            (Some(r), _, _) => format!("{} {} ({})", lang.t("已判定", "ruled"), r.marks, r.by),
            (None, Some(a), _) => match lang {
                Lang::Zh => format!("不计:与 {} 为同一张选票 ({})", a.same_as, a.by),
                Lang::En => format!("set aside: the same paper as {} ({})", a.same_as, a.by),
            },
            (None, None, true) => match (&s.sheet.twin, lang) {
                (Some(t), Lang::Zh) => format!("待判定:疑为 {t} 重复送入"),
                (Some(t), Lang::En) => format!("waiting: possibly {t} fed again"),
                (None, _) => lang.t("待判定", "waiting").to_string(),
            },
            (None, None, false) => lang.t("已计", "counted").to_string(),
        };
        let scores: Vec<String> = s
            .sheet
            .scores
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .collect();
        say(&format!(
            "{}\t{}\t{}\t{}\t{}",
            s.sheet.serial,
            s.sheet.read,
            state,
            s.sheet.image,
            scores.join(" ")
        ));
    }
    ExitCode::SUCCESS
}

/// What `huiwu ballot rule` decides about a waiting sheet.
pub enum Ruling {
    /// The paper reads `marks`; `overrule` is a scrutineer's reason for changing a row the
    /// machine read for sure.
    Reads {
        marks: String,
        overrule: Option<String>,
    },
    /// The sheet is a second feed of the earlier sheet it matched: not counted.
    SamePaper,
}

pub fn ballot_rule(
    db: &Path,
    ballot: &str,
    serial: &str,
    ruling: Ruling,
    by: &str,
    lang: Lang,
) -> ExitCode {
    use huiwu::domain::action::Action;
    use huiwu::engine::SystemClock;
    let mut engine = match Engine::open(db, "main", Box::new(SystemClock)) {
        Ok(e) => e,
        Err(e) => return fail(e.text().get(lang)),
    };
    let (action, done) = match ruling {
        Ruling::Reads { marks, overrule } => (
            Action::RuleSheet {
                ballot: ballot.to_string(),
                serial: serial.to_string(),
                marks,
                by: by.to_string(),
                overrule,
            },
            lang.t("已判定并计入", "ruled and counted"),
        ),
        Ruling::SamePaper => (
            Action::SetAsideSheet {
                ballot: ballot.to_string(),
                serial: serial.to_string(),
                by: by.to_string(),
            },
            lang.t("判定为重复送入,不计票", "ruled a second feed, not counted"),
        ),
    };
    match engine.execute(action) {
        Ok(_) => {
            let w = engine
                .state()
                .ballots
                .get(ballot)
                .map_or(0, |b| b.waiting_sheets().count());
            say(&match lang {
                Lang::Zh => format!("扫描件 {serial} {done};还有 {w} 张待判定。"),
                Lang::En => format!("sheet {serial} {done}; {w} still waiting."),
            });
            ExitCode::SUCCESS
        }
        Err(e) => fail(e.text().get(lang)),
    }
}

/// Rehearsal stack: `sheets` marked papers of the ballot as a scanner would save them, and
/// `marks.csv` with what was drawn on each.
/// How a rehearsal stack is made.
#[derive(Clone, Copy)]
pub struct Rehearsal {
    pub sheets: usize,
    pub seed: u64,
    pub rough: bool,
    pub pdf: bool,
}

pub fn ballot_rehearse(
    db: &Path,
    ballot: &str,
    out: &Path,
    how: &Rehearsal,
    lang: Lang,
) -> ExitCode {
    use huiwu::paper::synth;
    let Rehearsal {
        sheets,
        seed,
        rough,
        pdf: as_pdf,
    } = *how;
    let engine = match Engine::open_readonly(db) {
        Ok(e) => e,
        Err(e) => return fail(e.text().get(lang)),
    };
    let fp = engine.genesis().fingerprint.clone();
    let (spec, sheet) = match paper::paper_of(engine.state(), ballot, &fp) {
        Ok(s) => s,
        Err(t) => return fail(t.get(lang)),
    };
    if let Err(e) = std::fs::create_dir_all(out) {
        return fail(&format!("{}: {e}", out.display()));
    }
    let mut rng = synth::Rng::new(seed);
    let mut csv = String::from("file,marks\n");
    let mut pages = Vec::new();
    for i in 1..=sheets {
        let marks = synth::random_marks(&mut rng, &spec.kind, spec.rows.len());
        let d = if rough {
            synth::random_distortion(&mut rng)
        } else {
            synth::Distortion {
                rotate: rng.range(-1.0, 1.0),
                ..synth::Distortion::default()
            }
        };
        let bytes = synth::scan(&sheet, &marks, &d, rng.next_u64());
        let name = if as_pdf {
            pages.push((bytes, d.dpi));
            format!("scans.pdf#p{i}")
        } else {
            let name = format!(
                "scan-{i:04}.{}",
                if d.jpeg.is_some() { "jpg" } else { "png" }
            );
            if let Err(e) = std::fs::write(out.join(&name), bytes) {
                return fail(&format!("{}: {e}", out.display()));
            }
            name
        };
        let letters: String = marks
            .iter()
            .map(|m| synth::intended(&spec.kind, m))
            .collect();
        csv.push_str(&format!("{name},{letters}\n"));
    }
    if as_pdf
        && let Err(e) = std::fs::write(out.join("scans.pdf"), paper::pdfscan::scanner_pdf(&pages))
    {
        return fail(&format!("{}: {e}", out.display()));
    }
    if let Err(e) = std::fs::write(out.join("marks.csv"), csv) {
        return fail(&format!("{}: {e}", out.display()));
    }
    say(&match lang {
        Lang::Zh => format!(
            "已生成 {sheets} 张演练扫描件:{}(所画内容见 marks.csv)",
            out.display()
        ),
        Lang::En => format!(
            "{sheets} rehearsal scans written to {} (what was drawn: marks.csv)",
            out.display()
        ),
    });
    ExitCode::SUCCESS
}

/// `verify --images`: true when every kept image is there, unchanged, and reads as recorded.
pub fn recheck_images(db: &Path, lang: Lang) -> bool {
    let engine = match Engine::open_readonly(db) {
        Ok(e) => e,
        Err(e) => {
            fail(e.text().get(lang));
            return false;
        }
    };
    let fp = engine.genesis().fingerprint.clone();
    let r = paper::recheck::recheck(engine.state(), &fp, |b| paper::recheck::scans_dir(db, b));
    for f in &r.findings {
        say(&format!(
            "{} {}",
            lang.t("校验失败:", "FAILED:"),
            f.get(lang)
        ));
    }
    say(&match (lang, r.findings.is_empty()) {
        (Lang::Zh, true) => format!("扫描件 {} 张重读,图像与记录一致。", r.sheets),
        (Lang::En, true) => format!(
            "{} scanned sheets read again: images and record agree.",
            r.sheets
        ),
        (Lang::Zh, false) => format!("扫描件 {} 张重读,{} 处不符。", r.sheets, r.findings.len()),
        (Lang::En, false) => format!(
            "{} scanned sheets read again: {} findings.",
            r.sheets,
            r.findings.len()
        ),
    });
    r.findings.is_empty()
}
