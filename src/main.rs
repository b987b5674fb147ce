//! The `huiwu` command line: thin; the work is in the library.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use huiwu::domain::action::ScriptLine;
use huiwu::engine::{Engine, SystemClock, default_db_path};
use huiwu::i18n::Lang;
use huiwu::{audit, sessionfile, summary, tui};

mod cli;

#[derive(Parser)]
#[command(
    name = "huiwu",
    version,
    about = "会务 — console for the secretariat of a people's congress session"
)]
struct Cli {
    /// Language of the console and messages.
    #[arg(long, value_enum, global = true, default_value = "zh")]
    lang: Lang,
    /// Testing only: acknowledge before committing (the crash suite's negative control).
    #[arg(long, hide = true, global = true)]
    fault_ack_first: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a session file and print a summary (exit 2 if it is refused).
    Check { session: PathBuf },
    /// Open the console on a session (creates its database on first run, resumes it after).
    Run {
        session: PathBuf,
        /// Database file (default: the session file's name with .db, next to the session file,
        /// whatever folder you run in; the console's second line names it and says whether it was
        /// just created or resumed).
        #[arg(long)]
        db: Option<PathBuf>,
        /// Name of this station in the log (default: main, or the name a paired station got).
        #[arg(long)]
        station: Option<String>,
        /// Also write the chain head after every commit to this file (on another medium).
        #[arg(long)]
        witness: Option<PathBuf>,
    },
    /// Apply actions from a JSON-lines file (one action per line), under the same rules.
    Apply {
        #[arg(long)]
        db: PathBuf,
        /// Session file: creates the database if it does not exist yet.
        #[arg(long)]
        session: Option<PathBuf>,
        #[arg(long)]
        station: Option<String>,
        /// Also write the chain head after every commit to this file (on another medium).
        #[arg(long)]
        witness: Option<PathBuf>,
        actions: PathBuf,
    },
    /// Export the session: the JSON record, or the minutes and results as offices open them.
    Export {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        /// Output file; a folder for csv. Default: standard output for json, else
        /// `<db-stem>.<ext>` (csv: `<db-stem>-csv/`) in the current directory.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Recompute the event log's hash chain, rebuild every table from it, recount every ballot,
    /// and check heads written down elsewhere and a witness file.
    Verify {
        #[arg(long)]
        db: PathBuf,
        /// A chain head written down earlier: `#1234 3F2A-9C1B-77D0-E4A5`, 16 hex digits or the
        /// full hash, with or without the entry number. May be given several times.
        #[arg(long = "head")]
        heads: Vec<String>,
        /// A witness file written by `run --witness` / `apply --witness`.
        #[arg(long)]
        witness: Option<PathBuf>,
        /// Also read every scanned sheet's kept image again: it must be there, with the hash
        /// in the log, and read as the log says.
        #[arg(long)]
        images: bool,
    },
    /// Amend the session after the first run: show field by field what the session file changes
    /// against the definition in force; with --reason, record the amendment (refused, each named,
    /// if it touches anything already counted, started or announced).
    Amend {
        session: PathBuf,
        /// Database file (default: the session file's name with .db, next to it).
        #[arg(long)]
        db: Option<PathBuf>,
        /// Why the file is amended (recorded in the chain).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Counting stations: pair them with the main console.
    #[command(subcommand)]
    Station(StationCmd),
    /// Ballot papers keyed elsewhere.
    #[command(subcommand)]
    Ballot(BallotCmd),
    /// The hall's projector view: read-only, follows the console through the database.
    Projector {
        #[arg(long)]
        db: PathBuf,
    },
    /// Carry an earlier session's open commitments into this session's report-back item.
    Followups {
        /// The earlier session's database.
        #[arg(long)]
        from: PathBuf,
        /// This session's database.
        #[arg(long)]
        db: PathBuf,
        /// The report-back item (default: the item marked report_back = true).
        #[arg(long)]
        item: Option<String>,
    },
    /// Livelihood projects through the year: carry the selected ones into a later session,
    /// and report their history from a year's databases.
    #[command(subcommand)]
    Projects(ProjectsCmd),
}

#[derive(Subcommand)]
enum ProjectsCmd {
    /// Carry the final selection of an earlier session's 票决 (or the projects a session
    /// carried) into this session's items marked projects = true. Once only.
    Carry {
        /// The earlier session's database.
        #[arg(long)]
        from: PathBuf,
        /// This session's database (made from its session file with --session if new).
        #[arg(long)]
        db: PathBuf,
        /// This session's file: creates the database if it does not exist yet.
        #[arg(long)]
        session: Option<PathBuf>,
        /// The earlier session's ballot item, when it held more than one.
        #[arg(long)]
        item: Option<String>,
    },
    /// The carried projects of a session: group, status, notes.
    List {
        #[arg(long)]
        db: PathBuf,
    },
    /// Each project's history over the year from the databases of its sessions (any order):
    /// a workbook (one row per project, one sheet per session) and a page with a chart.
    Report {
        /// The year's databases.
        #[arg(required = true)]
        dbs: Vec<PathBuf>,
        /// Output file: .xlsx or .html. Default: both, projects-<year>.xlsx and .html here.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The projects' year, when the databases hold more than one.
        #[arg(long)]
        year: Option<u32>,
    },
}

#[derive(Subcommand)]
enum StationCmd {
    /// At the main console: pair a counting station; prints the code its operator types once.
    Add {
        #[arg(long)]
        db: PathBuf,
        /// The station's name ([A-Za-z0-9_-], at most 16).
        name: String,
    },
    /// At the main console: show a paired station's code again.
    Code {
        #[arg(long)]
        db: PathBuf,
        name: String,
    },
    /// At a station: make this database station NAME with the code the main console showed.
    Pair {
        #[arg(long)]
        db: PathBuf,
        /// Session file: creates the station's database if it does not exist yet.
        #[arg(long)]
        session: Option<PathBuf>,
        name: String,
        code: String,
    },
    /// The stations this database knows, and their batches.
    List {
        #[arg(long)]
        db: PathBuf,
    },
}

#[derive(Subcommand)]
enum BallotCmd {
    /// Print the A4 papers of a ballot or evaluation as PDF: corner squares and a QR code for
    /// `ballot scan`, no per-paper number.
    Print {
        /// The session's database (a later round needs it).
        #[arg(long, conflicts_with = "session")]
        db: Option<PathBuf>,
        /// The session file, before its database is made.
        #[arg(long)]
        session: Option<PathBuf>,
        /// Ballot id: the item id, `item#2` for a later round.
        #[arg(long)]
        ballot: String,
        #[arg(short, long)]
        output: PathBuf,
        /// Pages in the file (the same paper each time).
        #[arg(long, default_value_t = 1)]
        copies: usize,
        /// A font file to print with, instead of the CJK fonts looked for on the machine.
        #[arg(long)]
        font: Option<PathBuf>,
    },
    /// Read scanned papers (PNG, JPEG, TIFF or scanner PDF files, or folders of them, in name order) into a
    /// ballot: one transaction, images kept beside the database, doubtful sheets held back.
    Scan {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        ballot: String,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Rehearsal: write a stack of marked papers of the ballot as a scanner would save them,
    /// with marks.csv saying what was drawn on each (to train clerks, to try the scanner path).
    Rehearse {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        ballot: String,
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long, default_value_t = 20)]
        sheets: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Sheets as a careless feed makes them: skewed to ±5°, 150–300 dpi, upside down,
        /// noisy, blurred, JPEG at quality 50.
        #[arg(long)]
        rough: bool,
        /// One PDF of page images (scans.pdf), as scanners that save PDF write it.
        #[arg(long)]
        pdf: bool,
    },
    /// List a ballot's scanned sheets: serial, reading (`?` = to be ruled), state, image, ink.
    Sheets {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        ballot: String,
    },
    /// Rule on a scanned sheet the machine was in doubt about: the marks as the paper reads.
    Rule {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        ballot: String,
        #[arg(long)]
        serial: String,
        /// The paper's reading, a letter per row (the doubtful `?` rows decided).
        #[arg(
            long,
            required_unless_present = "same_paper",
            conflicts_with = "same_paper"
        )]
        marks: Option<String>,
        /// A scrutineer's reason for reading a row otherwise than the machine read it for sure.
        #[arg(long)]
        overrule: Option<String>,
        /// The sheet, held as a possible second feed, is the same paper as the sheet it matched:
        /// set it aside, uncounted.
        #[arg(long)]
        same_paper: bool,
        /// Who ruled: a scrutineer or clerk of the ballot (the session file or F4).
        #[arg(long)]
        by: String,
    },
    /// At a paired station: write the papers of a ballot not sent yet as the next batch file.
    ExportBatch {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        ballot: Option<String>,
        /// Write batch N again, exactly as it was first written (a lost file).
        #[arg(long)]
        again: Option<u32>,
        /// Output file (default: <ballot>-<station>-<number>.json in the current directory).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Import batch files (or every *.json in a folder, e.g. a USB stick) from stations.
    ImportBatch {
        #[arg(long)]
        db: PathBuf,
        paths: Vec<PathBuf>,
    },
    /// Double entry: compare two stations' keyings of the same stack paper by paper; with
    /// --rulings, import the stack as settled (refused while any disagreement is unsettled).
    Compare {
        #[arg(long)]
        db: PathBuf,
        first: PathBuf,
        second: PathBuf,
        /// JSON list of rulings: [{"position": 2, "paper": {"serial": "", "marks": "YNA"}, "by": "…", "reason": "…"}].
        #[arg(long)]
        rulings: Option<PathBuf>,
    },
    /// Import a CSV of papers (one row per paper, a column per candidate id) in one transaction.
    Import {
        #[arg(long)]
        db: PathBuf,
        /// Ballot id: the item id, `item#2` for a later round.
        #[arg(long)]
        ballot: String,
        /// As for run and apply: only the database's own name (`main` at the main console).
        #[arg(long)]
        station: Option<String>,
        file: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// The whole session as JSON (standard output without -o).
    Json,
    /// Minutes as Markdown.
    Md,
    /// Minutes as one self-contained page, A4 when printed, result sheets included.
    Html,
    /// Minutes for Word and WPS, result sheets included.
    Docx,
    /// Workbook: attendance, agenda, one sheet per ballot.
    Xlsx,
    /// A folder with one CSV file per table (UTF-8 with BOM).
    Csv,
    /// Only the result sheets (公告) of announced counts, as HTML.
    Announcement,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang;
    match cli.command {
        Command::Check { session } => check(&session, lang),
        Command::Run {
            session,
            db,
            station,
            witness,
        } => run(
            &session,
            db,
            station.as_deref(),
            witness.as_deref(),
            cli.fault_ack_first,
            lang,
        ),
        Command::Apply {
            db,
            session,
            station,
            witness,
            actions,
        } => apply(
            &db,
            session.as_deref(),
            station.as_deref(),
            witness.as_deref(),
            &actions,
            lang,
        ),
        Command::Export { db, format, output } => export(&db, format, output.as_deref(), lang),
        Command::Verify {
            db,
            heads,
            witness,
            images,
        } => verify(&db, &heads, witness, images, lang),
        Command::Amend {
            session,
            db,
            reason,
        } => cli::amend(&session, db, reason.as_deref(), lang),
        Command::Station(StationCmd::Add { db, name }) => cli::station_add(&db, &name, lang),
        Command::Station(StationCmd::Code { db, name }) => cli::station_code(&db, &name, lang),
        Command::Station(StationCmd::Pair {
            db,
            session,
            name,
            code,
        }) => cli::station_pair(&db, session.as_deref(), &name, &code, lang),
        Command::Station(StationCmd::List { db }) => cli::station_list(&db, lang),
        Command::Ballot(BallotCmd::Import {
            db,
            ballot,
            station,
            file,
        }) => import(&db, &ballot, station.as_deref(), &file, lang),
        Command::Projector { db } => projector(&db, lang),
        Command::Ballot(BallotCmd::Scan { db, ballot, paths }) => {
            cli::ballot_scan(&db, &ballot, &paths, lang)
        }
        Command::Ballot(BallotCmd::Rehearse {
            db,
            ballot,
            output,
            sheets,
            seed,
            rough,
            pdf,
        }) => cli::ballot_rehearse(
            &db,
            &ballot,
            &output,
            &cli::Rehearsal {
                sheets,
                seed,
                rough,
                pdf,
            },
            lang,
        ),
        Command::Ballot(BallotCmd::Sheets { db, ballot }) => cli::ballot_sheets(&db, &ballot, lang),
        Command::Ballot(BallotCmd::Rule {
            db,
            ballot,
            serial,
            marks,
            overrule,
            same_paper,
            by,
        }) => {
            let ruling = match (same_paper, marks) {
                (false, Some(marks)) => cli::Ruling::Reads { marks, overrule },
                _ => cli::Ruling::SamePaper,
            };
            cli::ballot_rule(&db, &ballot, &serial, ruling, &by, lang)
        }
        Command::Ballot(BallotCmd::Print {
            db,
            session,
            ballot,
            output,
            copies,
            font,
        }) => cli::ballot_print(
            db.as_deref(),
            session.as_deref(),
            &ballot,
            &output,
            copies,
            font.as_deref(),
            lang,
        ),
        Command::Ballot(BallotCmd::ExportBatch {
            db,
            ballot,
            again,
            output,
        }) => cli::export_batch(&db, ballot.as_deref(), again, output.as_deref(), lang),
        Command::Ballot(BallotCmd::ImportBatch { db, paths }) => import_batches(&db, &paths, lang),
        Command::Ballot(BallotCmd::Compare {
            db,
            first,
            second,
            rulings,
        }) => compare(&db, &first, &second, rulings.as_deref(), lang),
        Command::Followups { from, db, item } => followups(&from, &db, item.as_deref(), lang),
        Command::Projects(ProjectsCmd::Carry {
            from,
            db,
            session,
            item,
        }) => cli::projects_carry(&from, &db, session.as_deref(), item.as_deref(), lang),
        Command::Projects(ProjectsCmd::List { db }) => cli::projects_list(&db, lang),
        Command::Projects(ProjectsCmd::Report { dbs, output, year }) => {
            cli::projects_report(&dbs, output.as_deref(), year, lang)
        }
    }
}

fn fail(msg: &str) -> ExitCode {
    // Not eprintln!: it panics when the terminal is gone.
    let _ = writeln!(std::io::stderr(), "{msg}");
    ExitCode::from(2)
}

fn check(session: &Path, lang: Lang) -> ExitCode {
    match sessionfile::load(session) {
        Ok(loaded) => {
            print!("{}", summary::render(&loaded, lang));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.render(lang)),
    }
}

fn open_session(
    session: &Path,
    db: Option<PathBuf>,
    station: Option<&str>,
    lang: Lang,
) -> Result<Engine, String> {
    let loaded = sessionfile::load(session).map_err(|e| e.render(lang))?;
    let db = db.unwrap_or_else(|| default_db_path(session));
    let engine = huiwu::opening::open_session(&loaded, &db, "main", Box::new(SystemClock))
        .map_err(|e| e.text().get(lang).to_string())?;
    name_station(engine, station, lang)
}

/// Write under the station's own name: a paired station's database under its name, the main
/// console's as `main`. `--station` may only say the same: the log's station field names who
/// wrote each entry, and papers keyed elsewhere reach the main console only in authenticated
/// batches (`ballot import-batch`), never by a name typed on a command line.
fn name_station(mut engine: Engine, station: Option<&str>, lang: Lang) -> Result<Engine, String> {
    let own = engine.state().stations.own.as_ref().map(|o| o.name.clone());
    let name = match (station, own) {
        (Some(s), Some(o)) if s != o => {
            return Err(lang
                .t(
                    &format!("本数据库是录入站 {o},不能以 {s} 的名义写入"),
                    &format!("this database is counting station {o}; it cannot write as {s}"),
                )
                .to_string());
        }
        (Some(s), None) if s != "main" => {
            let paired = engine.state().stations.known(s).is_some();
            return Err(lang
                .t(
                    &if paired {
                        format!("主控台不能以录入站 {s} 的名义写入:录入站的选票只能以其签名的批次导入(huiwu ballot import-batch)")
                    } else {
                        format!("“{s}”不是本数据库的录入站:主控台以 main 写入;录入站须先配对(huiwu station add / pair),在其自己的数据库中录入")
                    },
                    &if paired {
                        format!("the main console cannot write as station {s}: a station's papers come in only as its signed batches (huiwu ballot import-batch)")
                    } else {
                        format!("\"{s}\" is not a station of this database: the main console writes as main; a station is paired first (huiwu station add / pair) and keys into its own database")
                    },
                )
                .to_string());
        }
        (Some(s), _) => s.to_string(),
        (None, Some(o)) => o,
        (None, None) => "main".to_string(),
    };
    if let Err(t) = huiwu::domain::hygiene::id_rule("录入站", "station", &name) {
        return Err(t.get(lang).to_string());
    }
    // The station's name starts every serial it keys: it may not name a deputy.
    if let Some(d) = engine.state().names_deputy(&name) {
        return Err(lang
            .t(
                &format!("录入站名称“{name}”含有代表{}({})的姓名或编号,选票编号不得能识别代表", d.name, d.id),
                &format!("the station name \"{name}\" holds the name or id of deputy {} ({}); paper serials may not identify a deputy", d.name, d.id),
            )
            .to_string());
    }
    engine.set_station(&name);
    Ok(engine)
}

fn with_witness(engine: &mut Engine, witness: Option<&Path>, lang: Lang) -> Result<(), String> {
    if let Some(w) = witness {
        engine.set_witness(w).map_err(|t| {
            lang.t(
                &format!("见证文件不能使用,未作任何改动:{}", t.zh),
                &format!(
                    "the witness file cannot be used; nothing was changed: {}",
                    t.en
                ),
            )
            .to_string()
        })?;
    }
    Ok(())
}

fn run(
    session: &Path,
    db: Option<PathBuf>,
    station: Option<&str>,
    witness: Option<&Path>,
    fault_ack_first: bool,
    lang: Lang,
) -> ExitCode {
    let db = db.unwrap_or_else(|| default_db_path(session));
    let mut fresh = cli::Fresh::new(&db);
    let mut engine = match open_session(session, Some(db), station, lang) {
        Ok(e) => e,
        Err(m) => return fail(&m),
    };
    if let Err(m) = with_witness(&mut engine, witness, lang) {
        return fail(&m);
    }
    fresh.keep();
    match tui::run_with(engine, lang, fault_ack_first) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!(
            "{}{e}",
            lang.t(
                "无法使用终端(须在终端窗口中运行):",
                "cannot use the terminal (run it in a terminal window): "
            )
        )),
    }
}

fn apply(
    db: &Path,
    session: Option<&Path>,
    station: Option<&str>,
    witness: Option<&Path>,
    actions: &Path,
    lang: Lang,
) -> ExitCode {
    // Read the whole script first: a line that is not an action stops it before anything runs.
    let body = match std::fs::read_to_string(actions) {
        Ok(b) => b,
        Err(e) => return fail(&format!("{}: {e}", actions.display())),
    };
    let mut lines: Vec<(usize, ScriptLine)> = Vec::new();
    for (i, line) in body.lines().enumerate() {
        let n = i + 1;
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        match serde_json::from_str::<ScriptLine>(line) {
            Ok(p) => {
                if let Some(why) = not_scripted(&p.action, lang) {
                    return fail(&format!(
                        "{}:{n}: {why} {}",
                        actions.display(),
                        lang.t("(未执行任何操作)", "(nothing was applied)")
                    ));
                }
                lines.push((n, p))
            }
            Err(e) => {
                return fail(&format!(
                    "{}:{n}: {} {e} {}",
                    actions.display(),
                    lang.t("无法识别的操作:", "not an action:"),
                    lang.t("(未执行任何操作)", "(nothing was applied)")
                ));
            }
        }
    }
    // A rehearsal replayed at its real times starts the new database at its first time.
    let first_at = lines.first().and_then(|(_, l)| l.at);
    let mut fresh = cli::Fresh::new(db);
    let engine = match session {
        Some(s) => {
            let loaded = match sessionfile::load(s) {
                Ok(l) => l,
                Err(e) => return fail(&e.render(lang)),
            };
            let clock: Box<dyn huiwu::engine::Clock> = match first_at {
                Some(at) if !db.exists() => Box::new(huiwu::engine::ManualClock::new(at)),
                _ => Box::new(SystemClock),
            };
            huiwu::opening::open_session(&loaded, db, "main", clock)
                .map(|mut e| {
                    e.set_clock(Box::new(SystemClock));
                    e
                })
                .map_err(|e| e.text().get(lang).to_string())
                .and_then(|e| name_station(e, station, lang))
        }
        None => Engine::open(db, "main", Box::new(SystemClock))
            .map_err(|e| e.text().get(lang).to_string())
            .and_then(|e| name_station(e, station, lang)),
    };
    let mut engine = match engine {
        Ok(e) => e,
        Err(m) => return fail(&m),
    };
    if let Err(m) = with_witness(&mut engine, witness, lang) {
        return fail(&m);
    }
    let mut applied = 0usize;
    for (n, parsed) in lines {
        let result = match parsed.at {
            Some(at) => engine.execute_at(parsed.action, at),
            None => engine.execute(parsed.action),
        };
        if applied == 0 && result.is_ok() {
            fresh.keep();
        }
        if let Err(e) = result {
            let _ = writeln!(
                std::io::stderr(),
                "{}",
                lang.t(
                    &format!("已执行前 {applied} 条操作。"),
                    &format!("{applied} action(s) applied before this line.")
                )
            );
            return fail(&format!(
                "{}:{n}: {}",
                actions.display(),
                e.text().get(lang)
            ));
        }
        applied += 1;
        if let Some(t) = engine.witness_error() {
            // The action is recorded; the witness no longer follows: stop here.
            return fail(&format!(
                "{}:{n}: {}",
                actions.display(),
                lang.t(
                    &format!(
                        "本行已记录(共执行 {applied} 条),但见证文件写入失败,其余各行未执行:{}",
                        t.zh
                    ),
                    &format!(
                        "this line is recorded ({applied} applied) but the witness file was not written, so the rest was not run: {}",
                        t.en
                    )
                )
            ));
        }
    }
    fresh.keep();
    println!(
        "{}",
        lang.t(
            &format!("已执行 {applied} 条操作;事件链头 {}", engine.head_text()),
            &format!(
                "{applied} action(s) applied; chain head {}",
                engine.head_text()
            )
        )
    );
    ExitCode::SUCCESS
}

/// Actions a script may not carry, because what proves them is not in the line: a station's
/// batch (its tag is checked against the batch file, which the line does not hold), scanned
/// sheets (their images are kept beside the database), a station's pairing (its key).
fn not_scripted(action: &huiwu::domain::action::Action, lang: Lang) -> Option<String> {
    use huiwu::domain::action::Action;
    let (what_zh, what_en, how) = match action {
        Action::ImportBatch { .. } => (
            "录入站的批次",
            "a station's batch",
            "huiwu ballot import-batch / huiwu ballot compare",
        ),
        Action::ScanSheets { .. } => ("扫描件", "scanned sheets", "huiwu ballot scan"),
        Action::AddStation { .. } | Action::PairStation { .. } => (
            "录入站配对",
            "a station's pairing",
            "huiwu station add / huiwu station pair",
        ),
        Action::SendBatch { .. } => (
            "录入站写出批次",
            "a station's batch sent",
            "huiwu ballot export-batch",
        ),
        _ => return None,
    };
    Some(
        lang.t(
            &format!("{what_zh}不能写在脚本里(其凭据不在这一行中):请用 {how}"),
            &format!(
                "{what_en} cannot come in a script (what proves it is not in the line): use {how}"
            ),
        )
        .to_string(),
    )
}

fn export(db: &Path, format: Format, output: Option<&Path>, lang: Lang) -> ExitCode {
    use huiwu::export::Target;
    let engine = match Engine::open_readonly(db) {
        Ok(e) => e,
        Err(e) => return fail(e.text().get(lang)),
    };
    let target = match format {
        Format::Json => {
            let body = huiwu::export::json::to_string(&engine);
            return match output {
                Some(p) => {
                    if let Err(e) = std::fs::write(p, body) {
                        return fail(&format!("{}: {e}", p.display()));
                    }
                    let _ = writeln!(
                        std::io::stdout(),
                        "{} {}",
                        lang.t("已导出:", "written:"),
                        p.display()
                    );
                    ExitCode::SUCCESS
                }
                None => {
                    let mut out = std::io::stdout().lock();
                    if writeln!(out, "{body}").is_err() {
                        return ExitCode::from(1);
                    }
                    ExitCode::SUCCESS
                }
            };
        }
        Format::Md => Target::Md,
        Format::Html => Target::Html,
        Format::Docx => Target::Docx,
        Format::Xlsx => Target::Xlsx,
        Format::Csv => Target::Csv,
        Format::Announcement => Target::Announcement,
    };
    let path = output.map_or_else(|| target.default_path(db), Path::to_path_buf);
    match huiwu::export::write(&engine, target, lang, &path) {
        Ok(files) => {
            // Not println!: it panics when standard output is gone.
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{} {}", lang.t("已导出:", "written:"), path.display());
            for f in files.iter().skip(1) {
                let _ = writeln!(out, "  {}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e.get(lang)),
    }
}

fn verify(
    db: &Path,
    heads: &[String],
    witness: Option<PathBuf>,
    images: bool,
    lang: Lang,
) -> ExitCode {
    let mut opts = audit::Options {
        heads: Vec::new(),
        witness,
    };
    for h in heads {
        match huiwu::store::HeadRef::parse(h) {
            Ok(r) => opts.heads.push(r),
            Err(t) => return fail(t.get(lang)),
        }
    }
    match audit::verify_with(db, &opts) {
        Ok(r) => {
            println!("{}", r.render(lang));
            if images && r.ok() && !cli::recheck_images(db, lang) {
                return ExitCode::from(1);
            }
            if r.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => fail(e.text().get(lang)),
    }
}

fn import(db: &Path, ballot: &str, station: Option<&str>, file: &Path, lang: Lang) -> ExitCode {
    let mut engine = match Engine::open(db, "main", Box::new(SystemClock))
        .map_err(|e| e.text().get(lang).to_string())
        .and_then(|e| name_station(e, station, lang))
    {
        Ok(e) => e,
        Err(m) => return fail(&m),
    };
    let st = engine.state();
    let Some(b) = st.ballots.get(ballot) else {
        return fail(&format!(
            "{} {ballot}",
            lang.t("没有这个票决/测评:", "no such ballot:")
        ));
    };
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return fail(&format!("{}: {e}", file.display())),
    };
    let item = &st.def.agenda[b.item];
    let rows = match huiwu::import::parse_papers(file, &bytes, item, b) {
        Ok(r) => r,
        Err(e) => return fail(&e.render(lang)),
    };
    let (actions, same) = match huiwu::import::plan(ballot, b, &rows) {
        Ok(p) => p,
        Err((line, msg)) => return fail(&format!("{}:{line}: {}", file.display(), msg.get(lang))),
    };
    if actions.is_empty() {
        println!(
            "{}",
            lang.t(
                &format!("文件中的 {same} 张选票均已录入过,未作改动。"),
                &format!("all {same} papers in the file are already recorded; nothing changed.")
            )
        );
        return ExitCode::SUCCESS;
    }
    let n = actions.len();
    let at = engine.now();
    match engine.execute_all(actions, at) {
        Ok(_) => {
            let b = engine.state().ballots.get(ballot);
            let (k, r) = b.map_or((0, 0), |b| (b.keyed(), b.returned()));
            println!(
                "{}",
                lang.t(
                    &format!(
                        "已导入 {n} 张选票(另有 {same} 张此前已录入)。已录入 {k} / 收回 {r}。"
                    ),
                    &format!(
                        "{n} papers imported ({same} already recorded). Keyed {k} / returned {r}."
                    )
                )
            );
            ExitCode::SUCCESS
        }
        Err((i, e)) => {
            // `i` counts the new papers only; name the file line.
            let new_rows: Vec<&huiwu::import::PaperRow> = rows
                .iter()
                .filter(|r| {
                    engine
                        .state()
                        .ballots
                        .get(ballot)
                        .and_then(|b| b.paper(&r.serial))
                        .is_none()
                })
                .collect();
            let line = new_rows.get(i).map_or(0, |r| r.line);
            fail(&format!(
                "{}:{line}: {} {}",
                file.display(),
                e.text().get(lang),
                lang.t("(整个文件未导入)", "(nothing from the file was imported)")
            ))
        }
    }
}

fn followups(from: &Path, db: &Path, item: Option<&str>, lang: Lang) -> ExitCode {
    let mut engine = match Engine::open(db, "main", Box::new(SystemClock)) {
        Ok(e) => e,
        Err(e) => return fail(e.text().get(lang)),
    };
    match huiwu::followups::carry(&mut engine, from, item) {
        Ok(n) => {
            println!(
                "{}",
                lang.t(
                    &format!("已带入 {n} 项未办结的承诺。"),
                    &format!("{n} open commitments carried in.")
                )
            );
            ExitCode::SUCCESS
        }
        Err(t) => fail(t.get(lang)),
    }
}

fn projector(db: &Path, lang: Lang) -> ExitCode {
    let engine = match Engine::open_readonly(db) {
        Ok(e) => e,
        Err(e) => return fail(e.text().get(lang)),
    };
    match tui::run_projector(engine, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!(
            "{}{e}",
            lang.t(
                "无法使用终端(须在终端窗口中运行):",
                "cannot use the terminal (run it in a terminal window): "
            )
        )),
    }
}

fn import_batches(db: &Path, paths: &[PathBuf], lang: Lang) -> ExitCode {
    let mut engine = match Engine::open(db, "main", Box::new(SystemClock)) {
        Ok(e) => e,
        Err(e) => return fail(e.text().get(lang)),
    };
    for p in paths {
        match huiwu::batch::import_path(&mut engine, p, lang) {
            Ok(lines) => lines.iter().for_each(|l| println!("{l}")),
            Err(t) => return fail(t.get(lang)),
        }
    }
    ExitCode::SUCCESS
}

fn compare(db: &Path, first: &Path, second: &Path, rulings: Option<&Path>, lang: Lang) -> ExitCode {
    let mut engine = match Engine::open(db, "main", Box::new(SystemClock)) {
        Ok(e) => e,
        Err(e) => return fail(e.text().get(lang)),
    };
    let load = |p: &Path| -> Result<huiwu::batch::Batch, String> {
        let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
        huiwu::batch::read(&engine, &bytes).map_err(|t| format!("{}: {}", p.display(), t.get(lang)))
    };
    let (a, b) = match (load(first), load(second)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(m), _) | (_, Err(m)) => return fail(&m),
    };
    let Some(rulings) = rulings else {
        return match huiwu::batch::compare(&a, &b) {
            Ok(d) if d.is_empty() => {
                println!(
                    "{}",
                    lang.t(
                        "两次录入完全一致。",
                        "The two keyings agree paper by paper."
                    )
                );
                ExitCode::SUCCESS
            }
            Ok(d) => {
                for x in &d {
                    let show = |p: &Option<huiwu::batch::BatchPaper>| {
                        p.as_ref()
                            .map_or("—".to_string(), |p| match &p.void_reason {
                                Some(r) => format!("{} {} ({r})", p.serial, p.marks),
                                None => format!("{} {}", p.serial, p.marks),
                            })
                    };
                    println!(
                        "#{:<4} {} | {}",
                        x.position,
                        show(&x.first),
                        show(&x.second)
                    );
                }
                println!(
                    "{}",
                    lang.t(
                        &format!("共 {} 处不一致,须由监票人逐一裁定(--rulings)后方可计票。", d.len()),
                        &format!("{} disagreements: each must be settled by the scrutineers (--rulings) before counting.", d.len())
                    )
                );
                ExitCode::from(1)
            }
            Err(t) => fail(t.get(lang)),
        };
    };
    let resolutions: Vec<huiwu::batch::Resolution> = match std::fs::read(rulings)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(r) => r,
        Err(e) => return fail(&format!("{}: {e}", rulings.display())),
    };
    let (papers, disagreements) = match huiwu::batch::resolve(&a, &b, &resolutions) {
        Ok(x) => x,
        Err(t) => return fail(t.get(lang)),
    };
    let n = papers.len();
    match engine.execute(huiwu::batch::double_entry_action(
        &a,
        &b,
        papers,
        &resolutions,
    )) {
        Ok(_) => {
            println!(
                "{}",
                lang.t(
                    &format!(
                        "双人录入结果已导入:{n} 张选票,{} 处不一致均已裁定。",
                        disagreements.len()
                    ),
                    &format!(
                        "double entry imported: {n} papers, {} disagreements settled.",
                        disagreements.len()
                    )
                )
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(e.text().get(lang)),
    }
}
