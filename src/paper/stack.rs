//! A stack of scans on disk, recorded: the files of a folder in scan order, scanner PDFs opened
//! into their pages, each image kept beside the database before its batch is committed as one
//! `ScanSheets` entry. `huiwu ballot scan` and the count screen's folder watch both come here.

use std::path::{Path, PathBuf};

use super::intake::{self, Outcome};
use super::recheck::scans_dir;
use crate::engine::Engine;
use crate::i18n::Text;
use crate::text;

/// What a scanner saves: images, or a PDF of page images.
pub const IMAGE_EXT: &[&str] = &["png", "jpg", "jpeg", "tif", "tiff", "pdf"];

pub fn is_scan(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXT.contains(&e.to_ascii_lowercase().as_str()))
}

/// Why a path cannot be read as a scan, before a byte of it is read: a link (it could point
/// anywhere, at a file of another count or a device), a device or pipe (reading one can block
/// the console for good), or a file far larger than any scan (a sparse file of gigabytes).
pub fn not_a_scan_file(p: &Path) -> Option<Text> {
    let meta = match std::fs::symlink_metadata(p) {
        Ok(m) => m,
        Err(e) => {
            return Some(text!(
                format!("读不出文件:{e}"),
                format!("cannot read the file: {e}")
            ));
        }
    };
    let kind = meta.file_type();
    if kind.is_symlink() {
        return Some(text!(
            "是符号链接,不是扫描仪存下的文件:不予读取(请把扫描件本身放进文件夹)",
            "a symbolic link, not a file the scanner saved: not read (put the scan itself in the folder)"
        ));
    }
    if !kind.is_file() {
        return Some(text!(
            "不是普通文件(设备、管道或套接字):不予读取",
            "not a regular file (a device, pipe or socket): not read"
        ));
    }
    let limit = if is_pdf_name(p) {
        intake::MAX_PDF_BYTES
    } else {
        intake::MAX_IMAGE_BYTES
    };
    if meta.len() > limit {
        return Some(text!(
            format!(
                "文件有 {} 字节,远超扫描件的大小(上限 {} MB):不予读取",
                meta.len(),
                limit >> 20
            ),
            format!(
                "the file has {} bytes, far more than a scan (at most {} MB): not read",
                meta.len(),
                limit >> 20
            )
        ));
    }
    None
}

fn is_pdf_name(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

/// The files to read, in scan order: a folder's scans sorted by name (scanners number them).
/// What has a scan's name but is no file to read (a link, a device, a pipe, a file far too
/// large) is named in `refused` with the reason, and never opened.
pub fn files_in(
    paths: &[PathBuf],
    refused: &mut Vec<(String, Text)>,
) -> Result<Vec<PathBuf>, Text> {
    let mut out = Vec::new();
    for p in paths {
        // A folder named on purpose is followed even through a link; what lies in it is not.
        if p.is_dir() {
            let mut v: Vec<_> = std::fs::read_dir(p)
                .map_err(|e| {
                    text!(
                        format!("{}:{e}", p.display()),
                        format!("{}: {e}", p.display())
                    )
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| is_scan(f))
                .collect();
            v.sort();
            for f in v {
                match not_a_scan_file(&f) {
                    None => out.push(f),
                    Some(t) => refused.push((f.display().to_string(), t)),
                }
            }
        } else {
            match not_a_scan_file(p) {
                None => out.push(p.clone()),
                Some(t) => refused.push((p.display().to_string(), t)),
            }
        }
    }
    Ok(out)
}

/// What a batch came to, and what was said about its images (read before, not read).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Sheets recorded: counted at once, or waiting for a clerk.
    pub read: usize,
    pub waiting: usize,
    /// Of those waiting, the sheets whose marks match an earlier sheet's (a second feed?).
    pub twins: usize,
    /// Images read before (the same bytes): nothing changed.
    pub again: usize,
    /// Files or pages not read (another ballot's paper, no corner marks …): not counted.
    pub refused: usize,
    /// Each image not read: its name and why.
    pub refusals: Vec<(String, Text)>,
    /// Each image read before: its name, and the sheet it was.
    pub repeats: Vec<(String, Text)>,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.read += other.read;
        self.waiting += other.waiting;
        self.twins += other.twins;
        self.again += other.again;
        self.refused += other.refused;
        self.refusals.extend(other.refusals);
        self.repeats.extend(other.repeats);
    }
}

/// Read a file of a scan, no more than its limit (the file may have grown since it was looked at).
fn read_limited(f: &Path) -> Result<Vec<u8>, Text> {
    use std::io::Read;
    if let Some(t) = not_a_scan_file(f) {
        return Err(t);
    }
    let limit = if is_pdf_name(f) {
        intake::MAX_PDF_BYTES
    } else {
        intake::MAX_IMAGE_BYTES
    };
    let io = |e: std::io::Error| {
        text!(
            format!("读不出文件:{e}"),
            format!("cannot read the file: {e}")
        )
    };
    let file = std::fs::File::open(f).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(text!(
            format!("文件超过 {} MB,不予读取", limit >> 20),
            format!("the file is over {} MB; not read", limit >> 20)
        ));
    }
    Ok(bytes)
}

/// The sheets in `files`: each image, each page of a scanner's PDF. A file that cannot be read
/// or opened is said in the tally and skipped.
pub fn load(files: &[PathBuf], tally: &mut Tally) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for f in files {
        let name = f.display().to_string();
        let pages = read_limited(f).and_then(|bytes| intake::expand(&name, bytes));
        match pages {
            Ok(p) => out.extend(p),
            Err(t) => {
                tally.refused += 1;
                tally.refusals.push((name, t));
            }
        }
    }
    out
}

/// Read `images` for `ballot` and record them: the new sheets' images are written to the folder
/// of scans first (a sheet in the record always has its picture), then the batch is committed.
/// A refused batch leaves no image behind and is the error; images merely not read are in the
/// tally.
pub fn record(
    engine: &mut Engine,
    ballot: &str,
    images: &[(String, Vec<u8>)],
) -> Result<Tally, Text> {
    let fp = engine.genesis().fingerprint.clone();
    let (spec, sheet) = super::paper_of(engine.state(), ballot, &fp)?;
    let Some(b) = engine.state().ballots.get(&spec.ballot) else {
        return Err(text!(
            format!("没有这个票决/测评:{ballot}"),
            format!("no such ballot: {ballot}")
        ));
    };
    let given: Vec<intake::Image<'_>> = images
        .iter()
        .map(|(n, b)| intake::Image {
            name: n.clone(),
            bytes: b,
        })
        .collect();
    let plan = intake::plan(b, &spec, &sheet, &given);
    let mut tally = Tally::default();
    for (name, o) in &plan.outcomes {
        match o {
            Outcome::Read { doubtful, twin, .. } => {
                tally.read += 1;
                tally.waiting += usize::from(*doubtful > 0 || *twin);
                tally.twins += usize::from(*twin);
            }
            Outcome::Again { serial } => {
                tally.again += 1;
                tally.repeats.push((
                    name.clone(),
                    text!(
                        format!("已读过(扫描件 {serial}),不重复计票"),
                        format!("read before (sheet {serial}); not counted twice")
                    ),
                ));
            }
            Outcome::Refused(t) => {
                tally.refused += 1;
                tally.refusals.push((name.clone(), t.clone()));
            }
        }
    }
    let Some(action) = plan.action else {
        return Ok(tally);
    };
    let dir = scans_dir(engine.path(), &spec.ballot);
    let io = |p: &Path, e: std::io::Error| {
        text!(
            format!("{}:{e}", p.display()),
            format!("{}: {e}", p.display())
        )
    };
    std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    let mut written = Vec::new();
    let cleanup = |written: &[PathBuf]| {
        for p in written {
            let _ = std::fs::remove_file(p);
        }
    };
    for ((_, o), (_, bytes)) in plan.outcomes.iter().zip(images) {
        if let Outcome::Read { sheet, .. } = o {
            let path = dir.join(&sheet.image);
            // Only what this call creates is removed on a refusal: a file already there under
            // the same serial and hash is another console's record of the same image.
            let made = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| {
                    use std::io::Write;
                    f.write_all(bytes)?;
                    f.sync_all()
                });
            match made {
                Ok(()) => written.push(path),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    let _ = std::fs::remove_file(&path);
                    cleanup(&written);
                    return Err(io(&path, e));
                }
            }
        }
    }
    if let Err(e) = engine.execute(action) {
        cleanup(&written);
        return Err(e.text());
    }
    Ok(tally)
}
