//! From a stack of scanned images to one `ScanSheets` action: each image hashed, located,
//! checked against the ballot's paper and read. Nothing here touches the terminal or the
//! database; the caller stores the images and executes the action.

use image::GrayImage;

use super::scan::{self, SheetRead};
use super::twin::{self, Print};
use super::{PaperSpec, Payload, Sheet};
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
    /// Read; `sheet` goes into the action (its serial, its reading). `twin`: its marks match an
    /// earlier sheet's, so it waits as a possible second feed.
    Read {
        sheet: SheetIn,
        doubtful: usize,
        twin: bool,
    },
    /// Read before (the same bytes, or the same picture): nothing changes.
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

/// No scan of an A4 page comes near this: a bigger image file is refused unread.
pub const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;
/// A scanner's PDF of a whole stack at 300 dpi stays well under this.
pub const MAX_PDF_BYTES: u64 = 256 * 1024 * 1024;
/// Decoding may take no more memory than an A4 page at 650 dpi in colour, with room to spare.
const MAX_DECODE: u64 = 400 * 1024 * 1024;

pub use super::pdfscan::a4_size;

/// Decode an image file (PNG, JPEG or TIFF) to grey. Its size is checked before its pixels are
/// decoded, and the decoder works under a memory limit: a file that lies about its size, or a
/// compressed stream that would inflate without end, is an error, never a crash.
pub fn grey(bytes: &[u8]) -> Result<GrayImage, Text> {
    if bytes.len() as u64 > MAX_IMAGE_BYTES {
        return Err(Text::new(
            format!(
                "图像文件有 {} 字节,远超一张选票的扫描件,不予读取",
                bytes.len()
            ),
            format!(
                "the image file has {} bytes, far more than a scanned paper; not read",
                bytes.len()
            ),
        ));
    }
    let unreadable = |e: &dyn std::fmt::Display| {
        Text::new(
            format!("不是可读的图像文件(PNG、JPEG 或 TIFF):{e}"),
            format!("not a readable image (PNG, JPEG or TIFF): {e}"),
        )
    };
    let reader = || -> Result<image::ImageReader<std::io::Cursor<&[u8]>>, Text> {
        let mut r = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| unreadable(&e))?;
        match r.format() {
            Some(image::ImageFormat::Png | image::ImageFormat::Jpeg | image::ImageFormat::Tiff) => {
            }
            _ => return Err(unreadable(&"PNG/JPEG/TIFF?")),
        }
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(8000);
        limits.max_image_height = Some(8000);
        limits.max_alloc = Some(MAX_DECODE);
        r.limits(limits);
        Ok(r)
    };
    let (w, h) = reader()?.into_dimensions().map_err(|e| unreadable(&e))?;
    a4_size(u64::from(w), u64::from(h))?;
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
    let img = reader()?.decode().map_err(|e| unreadable(&e))?;
    // A decoder must give the size it announced: anything else is not the page checked above.
    if (img.width(), img.height()) != (w, h) {
        return Err(unreadable(&format!(
            "{}×{} ≠ {w}×{h}",
            img.width(),
            img.height()
        )));
    }
    Ok(img.to_luma8())
}

/// SHA-256 of a decoded picture (its size and its grey pixels): the same picture saved again
/// as other bytes (another format, other metadata) is the same sheet.
pub fn pixels_hash(img: &GrayImage) -> String {
    let mut v = Vec::with_capacity(img.as_raw().len() + 16);
    v.extend_from_slice(format!("{}x{}\n", img.width(), img.height()).as_bytes());
    v.extend_from_slice(img.as_raw());
    sha256_hex(&v)
}

/// Read one decoded image against the ballot's paper.
pub fn read(img: &GrayImage, spec: &PaperSpec, sheet: &Sheet) -> Result<SheetRead, Text> {
    let (frame, payload) = match scan::locate(img) {
        Ok(found) => found,
        // The decoder missed the code; its modules may still be this paper's, one by one.
        Err(e) => match scan::locate_expecting(img, sheet) {
            Some(frame) => (frame, Payload::parse(&spec.payload()).ok_or(e)?),
            None => return Err(e),
        },
    };
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
        pixels: None,
        print: None,
        twin: None,
        reader: super::marks::READER,
    }
}

/// Serial of the `k`-th sheet scanned for a ballot (1-based).
pub fn serial(k: usize) -> String {
    format!("S{k:04}")
}

/// Read `images` in the order given for ballot `b`. An image is the same sheet again when its
/// bytes or its decoded pixels are those of a sheet read before; a sheet whose marks match an
/// earlier sheet's stroke for stroke is held for a clerk as a possible second feed.
pub fn plan(b: &BallotState, spec: &PaperSpec, sheet: &Sheet, images: &[Image<'_>]) -> Plan {
    let mut outcomes = Vec::new();
    let mut sheets: Vec<SheetIn> = Vec::new();
    // The prints of the sheets read before and of this batch's, by serial.
    let mut prints: Vec<(String, Print)> = b
        .sheets
        .iter()
        .filter_map(|r| {
            let p = Print::decode(r.sheet.print.as_deref()?)?;
            Some((r.sheet.serial.clone(), p))
        })
        .collect();
    let mut next = b.sheets.len() + 1;
    for img in images {
        let sha = sha256_hex(img.bytes);
        let again = |serial: &str| Outcome::Again {
            serial: serial.to_string(),
        };
        if let Some(r) = b.sheet_by_sha(&sha) {
            outcomes.push((img.name.clone(), again(&r.sheet.serial)));
            continue;
        }
        if let Some(s) = sheets.iter().find(|s| s.sha256 == sha) {
            outcomes.push((img.name.clone(), again(&s.serial)));
            continue;
        }
        let g = match grey(img.bytes) {
            Ok(g) => g,
            Err(t) => {
                outcomes.push((img.name.clone(), Outcome::Refused(t)));
                continue;
            }
        };
        let pixels = pixels_hash(&g);
        if let Some(s) = b.sheet_by_pixels(&pixels).map(|r| &r.sheet).or_else(|| {
            sheets
                .iter()
                .find(|s| s.pixels.as_deref() == Some(pixels.as_str()))
        }) {
            outcomes.push((img.name.clone(), again(&s.serial)));
            continue;
        }
        let outcome = match read(&g, spec, sheet) {
            Ok(read) => {
                let mut s = serial(next);
                while b.paper(&s).is_some() {
                    next += 1;
                    s = serial(next);
                }
                next += 1;
                let print = twin::print_of(&g, &read.frame, sheet);
                let mut sheet = sheet_in(s.clone(), sha, &img.name, &read);
                sheet.pixels = Some(pixels);
                sheet.twin = twin::twin_of(&print, prints.iter().map(|(s, p)| (s.as_str(), p)))
                    .map(str::to_string);
                if !print.is_empty() {
                    sheet.print = Some(print.encode());
                    prints.push((s, print));
                }
                sheets.push(sheet.clone());
                Outcome::Read {
                    doubtful: read.doubtful(),
                    twin: sheet.twin.is_some(),
                    sheet,
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
