//! Command bodies of the `huiwu` binary that grew past a few lines: counting stations and
//! their batches, amendments, the livelihood projects.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use huiwu::engine::{Engine, SystemClock};
use huiwu::i18n::Lang;
use huiwu::{batch, sessionfile, station};

mod paper;
mod projects;
pub use paper::{
    Rehearsal, Ruling, ballot_print, ballot_rehearse, ballot_rule, ballot_scan, ballot_sheets,
    recheck_images,
};
pub use projects::{projects_carry, projects_list, projects_report};

/// A database a command is about to make: removed again, with its journal files, unless the
/// command succeeds (`keep`). A refused command leaves no file behind.
pub struct Fresh(Option<PathBuf>);

impl Fresh {
    /// Declare before the engine that opens `db`, so that it is dropped after it.
    pub fn new(db: &Path) -> Fresh {
        Fresh((!db.exists()).then(|| db.to_path_buf()))
    }

    pub fn keep(&mut self) {
        self.0 = None;
    }
}

impl Drop for Fresh {
    fn drop(&mut self) {
        if let Some(db) = self.0.take() {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut p = db.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(p));
            }
        }
    }
}

fn fail(msg: &str) -> ExitCode {
    // Not eprintln!: it panics when the terminal is gone.
    let _ = writeln!(std::io::stderr(), "{msg}");
    ExitCode::from(2)
}

fn say(msg: &str) {
    let _ = writeln!(std::io::stdout(), "{msg}");
}

fn open(db: &Path, lang: Lang) -> Result<Engine, ExitCode> {
    Engine::open(db, "main", Box::new(SystemClock)).map_err(|e| fail(e.text().get(lang)))
}

pub fn station_add(db: &Path, name: &str, lang: Lang) -> ExitCode {
    let mut engine = match open(db, lang) {
        Ok(e) => e,
        Err(c) => return c,
    };
    match station::add(&mut engine, name) {
        Ok(code) => {
            say(&match lang {
                Lang::Zh => format!(
                    "录入站 {name} 已配对。请录入站操作员在其电脑上输入一次(只在此显示,请勿拍照外传):\n\n    {code}\n\n录入站执行:huiwu station pair --db <录入站数据库> --session <会议文件> {name} {code}\n主控台事件链头 {}",
                    engine.head_text()
                ),
                Lang::En => format!(
                    "Station {name} paired. Its operator types this once at the station's PC (shown here only; do not photograph or send it):\n\n    {code}\n\nAt the station: huiwu station pair --db <station db> --session <session file> {name} {code}\nMain console chain head {}",
                    engine.head_text()
                ),
            });
            ExitCode::SUCCESS
        }
        Err(t) => fail(t.get(lang)),
    }
}

pub fn station_code(db: &Path, name: &str, lang: Lang) -> ExitCode {
    let engine = match Engine::open_readonly(db) {
        Ok(e) => e,
        Err(e) => return fail(e.text().get(lang)),
    };
    match station::code(&engine, name) {
        Ok(code) => {
            say(&code);
            ExitCode::SUCCESS
        }
        Err(t) => fail(t.get(lang)),
    }
}

pub fn station_pair(
    db: &Path,
    session: Option<&Path>,
    name: &str,
    code: &str,
    lang: Lang,
) -> ExitCode {
    // Check what was typed before anything is created.
    if let Err(t) =
        station::station_name_rule(name).and_then(|_| station::parse_code(code).map(|_| ()))
    {
        return fail(t.get(lang));
    }
    let mut fresh = Fresh::new(db);
    let engine = match session {
        Some(s) => match sessionfile::load(s) {
            Ok(loaded) => huiwu::opening::open_session(&loaded, db, name, Box::new(SystemClock))
                .map_err(|e| fail(e.text().get(lang))),
            Err(e) => Err(fail(&e.render(lang))),
        },
        None => open(db, lang),
    };
    let mut engine = match engine {
        Ok(e) => e,
        Err(c) => return c,
    };
    engine.set_station(name);
    match station::pair(&mut engine, name, code) {
        Ok(id) => {
            fresh.keep();
            say(&match lang {
                Lang::Zh => format!(
                    "本数据库已配对为录入站 {name}(密钥编号 {id})。录入时用:huiwu run <会议文件> --db {}",
                    db.display()
                ),
                Lang::En => format!(
                    "This database is now counting station {name} (key id {id}). Key papers with: huiwu run <session file> --db {}",
                    db.display()
                ),
            });
            ExitCode::SUCCESS
        }
        Err(t) => fail(t.get(lang)),
    }
}

pub fn station_list(db: &Path, lang: Lang) -> ExitCode {
    let engine = match Engine::open_readonly(db) {
        Ok(e) => e,
        Err(e) => return fail(e.text().get(lang)),
    };
    let st = &engine.state().stations;
    let zh = lang == Lang::Zh;
    if let Some(o) = &st.own {
        say(&if zh {
            format!("本数据库是录入站 {}(密钥编号 {})", o.name, o.key_id)
        } else {
            format!(
                "This database is counting station {} (key id {})",
                o.name, o.key_id
            )
        });
        for s in &st.sent {
            say(&if zh {
                format!(
                    "  第 {} 批:{},选票 {} 张",
                    s.number,
                    s.ballot,
                    s.serials.len()
                )
            } else {
                format!(
                    "  batch {}: {}, {} papers",
                    s.number,
                    s.ballot,
                    s.serials.len()
                )
            });
        }
    }
    for k in &st.known {
        let got: Vec<String> = st
            .received
            .iter()
            .filter(|r| r.batch.station == k.name)
            .map(|r| format!("{} ({})", r.batch.number, r.ballot))
            .collect();
        say(&if zh {
            format!(
                "录入站 {}(密钥编号 {}):已导入批次 {}",
                k.name,
                k.key_id,
                if got.is_empty() {
                    "无".to_string()
                } else {
                    got.join("、")
                }
            )
        } else {
            format!(
                "station {} (key id {}): batches imported: {}",
                k.name,
                k.key_id,
                if got.is_empty() {
                    "none".to_string()
                } else {
                    got.join(", ")
                }
            )
        });
    }
    if st.own.is_none() && st.known.is_empty() {
        say(lang.t(
            "尚无配对的录入站(huiwu station add)",
            "no stations paired yet (huiwu station add)",
        ));
    }
    ExitCode::SUCCESS
}

pub fn export_batch(
    db: &Path,
    ballot: Option<&str>,
    again: Option<u32>,
    output: Option<&Path>,
    lang: Lang,
) -> ExitCode {
    let mut engine = match open(db, lang) {
        Ok(e) => e,
        Err(c) => return c,
    };
    if let Some(o) = engine.state().stations.own.as_ref().map(|o| o.name.clone()) {
        engine.set_station(&o);
    }
    let made = match (again, ballot) {
        (Some(n), _) => batch::written(&engine, n),
        (None, Some(b)) => batch::send(&mut engine, b),
        (None, None) => {
            return fail(lang.t(
                "请用 --ballot 指定票决,或用 --again N 重写第 N 批",
                "name the ballot with --ballot, or rewrite batch N with --again N",
            ));
        }
    };
    let batch = match made {
        Ok(b) => b,
        Err(t) => return fail(t.get(lang)),
    };
    let path = output
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(batch.file_name()));
    let body = serde_json::to_string_pretty(&batch).expect("batches serialize");
    if let Err(e) = std::fs::write(&path, body) {
        return fail(&match lang {
            Lang::Zh => format!(
                "{}:{e}。第 {} 批已记录,可用 --again {} 重写",
                path.display(),
                batch.number,
                batch.number
            ),
            Lang::En => format!(
                "{}: {e}. Batch {} is recorded; write it again with --again {}",
                path.display(),
                batch.number,
                batch.number
            ),
        });
    }
    say(&match lang {
        Lang::Zh => format!(
            "已写出录入站 {} 第 {} 批({} 张选票):{}\n录入站链头 {}",
            batch.station,
            batch.number,
            batch.papers.len(),
            path.display(),
            batch.station_head
        ),
        Lang::En => format!(
            "batch {} of station {} ({} papers) written: {}\nstation chain head {}",
            batch.number,
            batch.station,
            batch.papers.len(),
            path.display(),
            batch.station_head
        ),
    });
    ExitCode::SUCCESS
}

pub fn amend(session: &Path, db: Option<PathBuf>, reason: Option<&str>, lang: Lang) -> ExitCode {
    let mut loaded = match sessionfile::load(session) {
        Ok(l) => l,
        Err(e) => return fail(&e.render(lang)),
    };
    let db = db.unwrap_or_else(|| huiwu::engine::default_db_path(session));
    let mut engine = match open(&db, lang) {
        Ok(e) => e,
        Err(c) => return c,
    };
    if engine.genesis().definition.session.title != loaded.def.session.title
        && engine.genesis().definition.session.date != loaded.def.session.date
    {
        return fail(lang.t(
            "这个会议文件与数据库不是同一次会议(标题和日期都不同),不能用来修订",
            "this session file is not the database's meeting (another title and date); it cannot amend it",
        ));
    }
    // The carried projects are the rated items the file leaves out.
    loaded.def = engine.carried_into(&loaded.def);
    let review = engine.review_amendment(&loaded.def);
    let zh = lang == Lang::Zh;
    if review.changes.is_empty() {
        say(lang.t(
            "会议文件与现行定义相同,没有可修订之处。",
            "The session file is the same as the definition in force: nothing to amend.",
        ));
        return ExitCode::SUCCESS;
    }
    say(if zh { "改动:" } else { "Changes:" });
    for c in &review.changes {
        say(&format!("  · {}", c.get(lang)));
    }
    if !review.refused.is_empty() {
        say(if zh {
            "不能修订(已计票、已开始或已宣布的部分不能改):"
        } else {
            "Refused (what was counted, started or announced cannot change):"
        });
        for r in &review.refused {
            say(&format!("  ✗ {}", r.get(lang)));
        }
        return ExitCode::from(2);
    }
    let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) else {
        say(lang.t(
            "以上改动均可修订。确认后请加上理由再运行一次:--reason \"理由\"(修订将记录在事件链中)",
            "Every change above can be made. To record it, run again with --reason \"why\" (the amendment goes into the chain)",
        ));
        return ExitCode::from(1);
    };
    match engine.execute(huiwu::domain::action::Action::AmendSession {
        definition: Box::new(loaded.def),
        reason: reason.to_string(),
    }) {
        Ok(seq) => {
            say(&match lang {
                Lang::Zh => format!(
                    "修订已记录(第 {seq} 条事件),共 {} 处改动;事件链头 {}",
                    review.changes.len(),
                    engine.head_text()
                ),
                Lang::En => format!(
                    "amendment recorded (entry {seq}), {} changes; chain head {}",
                    review.changes.len(),
                    engine.head_text()
                ),
            });
            ExitCode::SUCCESS
        }
        Err(e) => fail(e.text().get(lang)),
    }
}
