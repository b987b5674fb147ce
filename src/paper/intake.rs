//! From a stack of scanned images to one `ScanSheets` action: each image hashed, located,
//! checked against the ballot's paper and read. Nothing here touches the terminal or the
//! database; the caller stores the images and executes the action.

use image::GrayImage;

use super::scan::{self, SheetRead};
use super::{PaperSpec, Sheet};
use crate::domain::action::Action;
use crate::domain::ballots::{BallotState, SheetIn};
use crate::i18n::Text;
use crate::store::sha256_hex;

/// One image given to the scan.
pub struct Image<'a> {
    /// Its name, as the operator knows it (the scanner's file name).
    pub name: String,
    pub bytes: &'a [u8],
}

/// What became of one image.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Read; `sheet` goes into the action (its serial, its reading).
    Read { sheet: SheetIn, doubtful: usize },
    /// Read before (the same bytes): nothing changes.
    Again { serial: String },
    /// Not a paper of this ballot, or not readable: not recorded, the reason said.
    Refused(Text),
}

pub struct Plan {
    pub outcomes: Vec<(String, Outcome)>,
    /// None when nothing new was read.
    pub action: Option<Action>,
}

/// File name under which a sheet's image is kept: serial, hash, the scanner's extension.
pub fn stored_name(serial: &str, sha: &str, name: &str) -> String {
    let ext = std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("img")
        .to_ascii_lowercase();
    format!("{serial}-{}.{ext}", &sha[..12])
}

/// The sheets in one file: itself, or each page image of a scanner's PDF (named `FILE#p3.jpg`
/// and so on, the extension the page's image has).
pub fn expand(name: &str, bytes: Vec<u8>) -> Result<Vec<(String, Vec<u8>)>, Text> {
    if !bytes.starts_with(b"%PDF") {
        return Ok(vec![(name.to_string(), bytes)]);
    }
    Ok(super::pdfscan::page_images(&bytes)?
        .into_iter()
        .enumerate()
        .map(|(i, (b, ext))| (format!("{name}#p{}.{ext}", i + 1), b))
        .collect())
}

/// Decode an image file to grey. Its size is checked first: an A4 page at 100 to 600 dpi
/// (a scanner bed a little larger allowed), so a crafted file cannot exhaust the memory.
pub fn grey(bytes: &[u8]) -> Result<GrayImage, Text> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| {
            Text::new(
                format!("图像读不出:{e}"),
                format!("the image cannot be read: {e}"),
            )
        })?;
    if let Ok((w, h)) = reader.into_dimensions() {
        let (short, long) = (w.min(h) as f32, w.max(h) as f32);
        let dpi = short * 25.4 / 210.0;
        let ratio = long / short.max(1.0);
        if !(90.0..=650.0).contains(&dpi) || !(1.25..=1.6).contains(&ratio) {
            return Err(Text::new(
                format!("图像 {w}×{h} 像素不是一张 A4 纸在 100–600 dpi 下的扫描(请关闭自动裁切)"),
                format!(
                    "an image of {w}×{h} pixels is not an A4 page scanned at 100–600 dpi (turn auto-crop off)"
                ),
            ));
        }
    }
    // The JPEG decoder fills a file cut short with grey and says nothing: a scan still being
    // written would be read as a sheet. A whole JPEG ends with its end-of-image marker.
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let end = bytes
            .iter()
            .rposition(|&b| b != 0 && !b.is_ascii_whitespace())
            .map_or(&bytes[..0], |i| &bytes[..=i]);
        if !end.ends_with(&[0xFF, 0xD9]) {
            return Err(Text::new(
                "JPEG 图像不完整(文件可能尚未写完或已损坏)".to_string(),
                "the JPEG image is incomplete (not fully written, or damaged)".to_string(),
            ));
        }
    }
    image::load_from_memory(bytes)
        .map(|i| i.to_luma8())
        .map_err(|e| {
            Text::new(
                format!("不是可读的图像文件(PNG、JPEG 或 TIFF):{e}"),
                format!("not a readable image (PNG, JPEG or TIFF): {e}"),
            )
        })
}

/// Read one decoded image against the ballot's paper.
pub fn read(img: &GrayImage, spec: &PaperSpec, sheet: &Sheet) -> Result<SheetRead, Text> {
    let (frame, payload) = scan::locate(img)?;
    if let Some(t) = spec.refuse(&payload) {
        return Err(t);
    }
    let rows = scan::read_rows(img, &frame, sheet, &spec.kind);
    Ok(SheetRead {
        frame,
        payload,
        rows,
    })
}

pub fn sheet_in(serial: String, sha: String, name: &str, read: &SheetRead) -> SheetIn {
    SheetIn {
        image: stored_name(&serial, &sha, name),
        serial,
        sha256: sha,
        read: read.marks(),
        scores: read
            .rows
            .iter()
            .map(|r| {
                r.scores
                    .iter()
                    .map(|s| (s * 1000.0).round() as u16)
                    .collect()
            })
            .collect(),
        notes: read
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.note.map(|n| format!("{}: {n}", i + 1)))
            .collect(),
    }
}

/// Serial of the `k`-th sheet scanned for a ballot (1-based).
pub fn serial(k: usize) -> String {
    format!("S{k:04}")
}

/// Read `images` in the order given for ballot `b`.
pub fn plan(b: &BallotState, spec: &PaperSpec, sheet: &Sheet, images: &[Image<'_>]) -> Plan {
    let mut outcomes = Vec::new();
    let mut sheets: Vec<SheetIn> = Vec::new();
    let mut next = b.sheets.len() + 1;
    for img in images {
        let sha = sha256_hex(img.bytes);
        if let Some(r) = b.sheet_by_sha(&sha) {
            outcomes.push((
                img.name.clone(),
                Outcome::Again {
                    serial: r.sheet.serial.clone(),
                },
            ));
            continue;
        }
        if let Some(s) = sheets.iter().find(|s| s.sha256 == sha) {
            outcomes.push((
                img.name.clone(),
                Outcome::Again {
                    serial: s.serial.clone(),
                },
            ));
            continue;
        }
        let outcome = match grey(img.bytes).and_then(|g| read(&g, spec, sheet)) {
            Ok(read) => {
                let mut s = serial(next);
                while b.paper(&s).is_some() {
                    next += 1;
                    s = serial(next);
                }
                next += 1;
                let sheet = sheet_in(s, sha, &img.name, &read);
                sheets.push(sheet.clone());
                Outcome::Read {
                    sheet,
                    doubtful: read.doubtful(),
                }
            }
            Err(t) => Outcome::Refused(t),
        };
        outcomes.push((img.name.clone(), outcome));
    }
    let action = (!sheets.is_empty()).then(|| Action::ScanSheets {
        ballot: b.id.clone(),
        sheets,
    });
    Plan { outcomes, action }
}
