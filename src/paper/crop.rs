//! What a clerk is shown of a scanned sheet: the boxes of one row, cut out of the scan through
//! the frame the reader found, so the picture is upright and at the paper's own scale whatever
//! the scanner did (rotation, dpi, a sheet fed upside down).

use image::GrayImage;

use super::Sheet;
use super::scan::{Frame, sample};

/// Row `row`'s boxes with a margin (a little of the rows above and below when `aspect`, width
/// over height, asks for it), `width` pixels wide, upright.
pub fn row_picture(
    img: &GrayImage,
    frame: &Frame,
    sheet: &Sheet,
    row: usize,
    aspect: f32,
    width: u32,
) -> Option<GrayImage> {
    let boxes = sheet.boxes.get(row)?;
    let (first, last) = (boxes.first()?, boxes.last()?);
    let x0 = first.x - 6.0;
    let w_mm = last.x + last.w + 4.0 - x0;
    let h_mm = (w_mm / aspect.clamp(0.5, 8.0)).max(first.h + 2.0);
    let cy = first.y + first.h / 2.0;
    let y0 = cy - h_mm / 2.0;
    let width = width.clamp(16, 2000);
    let ppmm = width as f32 / w_mm;
    let height = ((h_mm * ppmm).round() as u32).clamp(8, 2000);
    Some(GrayImage::from_fn(width, height, |u, v| {
        let x = x0 + (u as f32 + 0.5) / ppmm;
        let y = y0 + (v as f32 + 0.5) / ppmm;
        let (px, py) = frame.map(x, y);
        image::Luma([sample(img, px, py).round().clamp(0.0, 255.0) as u8])
    }))
}
