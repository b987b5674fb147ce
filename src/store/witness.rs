//! The witness file: the chain head after every commit, one line each, on another medium
//! (a USB stick, a network share). Whoever rebuilds or cuts the database cannot rewrite a copy
//! they do not hold; `verify --witness` checks the database against it entry by entry.
//!
//! ```text
//! huiwu-witness/1 <session fingerprint> <hash of entry 1>
//! #1 <hash of entry 1>
//! #7 <hash of entry 7>
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use crate::i18n::Text;
use crate::text;

const HEADER: &str = "huiwu-witness/1";

/// One line of a witness: entry `seq` had hash `hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub line: usize,
    pub seq: u64,
    pub hash: String,
}

/// A witness file read back.
#[derive(Debug, Clone)]
pub struct Read {
    pub fingerprint: String,
    /// The hash of the database's first entry: which database of the session it witnesses.
    pub first: String,
    pub lines: Vec<Line>,
}

fn io_err(path: &Path, e: &std::io::Error) -> Text {
    text!(
        format!("见证文件 {}:{e}", path.display()),
        format!("witness file {}: {e}", path.display())
    )
}

/// Read and parse a witness file; a line that is not `#seq hash` is named.
pub fn read(path: &Path) -> Result<Read, Text> {
    let body = std::fs::read_to_string(path).map_err(|e| io_err(path, &e))?;
    let p = path.display();
    let mut lines = body.lines().enumerate();
    let header: Vec<&str> = lines
        .next()
        .map(|(_, l)| l.split(' ').collect())
        .unwrap_or_default();
    let (fingerprint, first) = match header.as_slice() {
        [HEADER, fp, first] if fp.len() == 64 && first.len() == 64 => {
            (fp.to_string(), first.to_string())
        }
        _ => {
            return Err(text!(
                format!("{p}:1:不是 huiwu 见证文件"),
                format!("{p}:1: not a huiwu witness file")
            ));
        }
    };
    let mut out = Vec::new();
    for (i, l) in lines {
        let n = i + 1;
        if l.trim().is_empty() {
            continue;
        }
        let parsed = l
            .strip_prefix('#')
            .and_then(|r| r.split_once(' '))
            .and_then(|(s, h)| Some((s.parse::<u64>().ok()?, h.trim())))
            .filter(|(_, h)| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()));
        match parsed {
            Some((seq, hash)) => out.push(Line {
                line: n,
                seq,
                hash: hash.to_ascii_lowercase(),
            }),
            // A line cut short by a pulled stick or a crash mid-write is the last one.
            None if n == body.lines().count() && !body.ends_with('\n') => {}
            None => {
                return Err(text!(
                    format!("{p}:{n}:无法识别的见证行“{l}”"),
                    format!("{p}:{n}: unreadable witness line {l:?}")
                ));
            }
        }
    }
    Ok(Read {
        fingerprint,
        first,
        lines: out,
    })
}

/// What checking a database against its witness found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Entries the witness saw and the database still has, unchanged.
    pub checked: usize,
    /// The last entry the witness saw.
    pub last: u64,
    /// The first witness line the database disagrees with: (entry, why).
    pub bad: Option<(u64, Text)>,
}

/// Check every line of the witness against the database (inside the caller's snapshot).
pub fn check(
    conn: &Connection,
    fingerprint: &str,
    w: &Read,
    path: &Path,
) -> rusqlite::Result<Finding> {
    let mut f = Finding {
        checked: 0,
        last: 0,
        bad: None,
    };
    if w.fingerprint != fingerprint {
        f.bad = Some((
            1,
            text!(
                format!("见证文件 {} 属于另一次会议", path.display()),
                format!(
                    "the witness file {} belongs to another session",
                    path.display()
                )
            ),
        ));
        return Ok(f);
    }
    let mut stmt = conn.prepare_cached("SELECT hash FROM events WHERE seq = ?1")?;
    let first: Option<String> = stmt.query_row(params![1], |r| r.get(0)).optional()?;
    if first.as_deref() != Some(w.first.as_str()) {
        f.bad = Some((
            1,
            text!(
                format!(
                    "见证文件 {} 见证的是本次会议的另一个数据库(第 1 条事件不同)",
                    path.display()
                ),
                format!(
                    "the witness file {} witnesses another database of this session (its entry 1 differs)",
                    path.display()
                )
            ),
        ));
        return Ok(f);
    }
    for l in &w.lines {
        f.last = f.last.max(l.seq);
        let hash: Option<String> = stmt
            .query_row(params![l.seq as i64], |r| r.get(0))
            .optional()?;
        let s = l.seq;
        let short = super::head_text(s, &l.hash);
        match hash {
            None => {
                f.bad = Some((
                    s,
                    text!(
                        format!(
                            "见证文件第 {} 行记有第 {s} 条事件({short}),数据库中已没有这一条:记录被截短",
                            l.line
                        ),
                        format!(
                            "line {} of the witness holds entry {s} ({short}), which the database no longer has: the log was cut",
                            l.line
                        )
                    ),
                ));
                return Ok(f);
            }
            Some(h) if h != l.hash => {
                f.bad = Some((
                    s,
                    text!(
                        format!(
                            "第 {s} 条事件与见证文件第 {} 行({short})不符:记录被改写或重建",
                            l.line
                        ),
                        format!(
                            "entry {s} differs from line {} of the witness ({short}): the log was rewritten or rebuilt",
                            l.line
                        )
                    ),
                ));
                return Ok(f);
            }
            Some(_) => f.checked += 1,
        }
    }
    Ok(f)
}

/// A line cut short (a stick pulled or the PC dying mid-write) holds nothing complete: take it
/// off before appending, so the next line starts on a line of its own.
fn drop_partial_line(path: &Path) -> Result<(), Text> {
    let body = std::fs::read(path).map_err(|e| io_err(path, &e))?;
    if body.is_empty() || body.ends_with(b"\n") {
        return Ok(());
    }
    let keep = body.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| io_err(path, &e))?;
    f.set_len(keep as u64)
        .and_then(|_| f.sync_data())
        .map_err(|e| io_err(path, &e))
}

/// A new witness appears with its header whole: written and synced beside it, then renamed
/// into place, so a `verify` reading it at that moment never sees a half-written first line.
fn create_whole(path: &Path, header: &str) -> Result<(), Text> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.new", std::process::id()));
    let made = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(header.as_bytes()).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = made {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_err(path, &e));
    }
    Ok(())
}

/// A witness being written by a console or `apply`.
pub struct Witness {
    path: PathBuf,
    file: std::fs::File,
    last: u64,
}

impl Witness {
    /// Open (or create) the witness of a database whose head is (`seq`, `hash`). An existing
    /// witness must agree with the database at every line (else the database is not opened),
    /// and gets the current head appended if it lags behind.
    pub fn open(
        path: &Path,
        conn: &Connection,
        fingerprint: &str,
        head: (u64, &str),
    ) -> Result<Witness, Text> {
        let mut last = 0;
        if path.exists() && !path.is_file() {
            // A folder or a device (/dev/full reads forever) is not a witness.
            return Err(text!(
                format!("见证文件 {} 不是普通文件", path.display()),
                format!("the witness {} is not a regular file", path.display())
            ));
        }
        if path.exists() {
            drop_partial_line(path)?;
        }
        // Empty after a torn header (written by a version that did not create it whole): new.
        let torn = path.exists() && std::fs::metadata(path).is_ok_and(|m| m.len() == 0);
        if path.exists() && !torn {
            let w = read(path)?;
            let f = check(conn, fingerprint, &w, path)
                .map_err(|e| text!(format!("数据库错误:{e}"), format!("database error: {e}")))?;
            if let Some((_, why)) = f.bad {
                return Err(why);
            }
            last = f.last;
        }
        if !path.exists() || torn {
            let first: String = conn
                .query_row("SELECT hash FROM events WHERE seq = 1", [], |r| r.get(0))
                .map_err(|e| text!(format!("数据库错误:{e}"), format!("database error: {e}")))?;
            create_whole(path, &format!("{HEADER} {fingerprint} {first}\n"))?;
        }
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| io_err(path, &e))?;
        let mut w = Witness {
            path: path.to_path_buf(),
            file,
            last,
        };
        if head.0 > w.last {
            w.record(head.0, head.1)?;
        }
        Ok(w)
    }

    fn write(&mut self, s: &str) -> Result<(), Text> {
        self.file
            .write_all(s.as_bytes())
            .and_then(|_| self.file.sync_data())
            .map_err(|e| io_err(&self.path, &e))
    }

    /// Record the head after a commit (written and synced before the console acknowledges).
    pub fn record(&mut self, seq: u64, hash: &str) -> Result<(), Text> {
        if seq <= self.last {
            return Ok(());
        }
        self.write(&format!("#{seq} {hash}\n"))?;
        self.last = seq;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
