//! The sheet drawn as pixels with tiny-skia, from the same layout the PDF is printed from:
//! what a scanner would see of a blank paper. Text is drawn as glyph-sized strokes (the reader
//! never looks at it, but a scan has ink there), so no font is needed.

use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Stroke, Transform};

use super::layout::{PAGE_H, PAGE_W, Rect, Sheet, pt_to_mm};

/// mm on the sheet to pixels at `dpi`, then `extra` (a scanner's rotation and offset).
pub fn sheet_transform(dpi: f32, extra: Transform) -> Transform {
    let s = dpi / 25.4;
    extra.pre_scale(s, s)
}

/// A blank white image the size of an A4 sheet at `dpi`, with `margin` mm around it.
pub fn blank(dpi: f32, margin: f32) -> Pixmap {
    let px = |mm: f32| ((mm + 2.0 * margin) * dpi / 25.4).round() as u32;
    let mut p = Pixmap::new(px(PAGE_W), px(PAGE_H)).expect("an A4 page has a size");
    p.fill(tiny_skia::Color::WHITE);
    p
}

fn paint(grey: u8) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(grey, grey, grey, 255);
    p.anti_alias = true;
    p
}

fn rect_path(r: &Rect) -> Option<tiny_skia::Path> {
    tiny_skia::Rect::from_xywh(r.x, r.y, r.w, r.h).map(PathBuilder::from_rect)
}

/// Draw `sheet` onto `pix` through `t` (mm → pixels).
pub fn draw(sheet: &Sheet, pix: &mut Pixmap, t: Transform) {
    let black = paint(20);
    for r in &sheet.fills {
        if let Some(p) = rect_path(r) {
            pix.fill_path(&p, &black, FillRule::Winding, t, None);
        }
    }
    for (r, w) in &sheet.strokes {
        if let Some(p) = rect_path(r) {
            let s = Stroke {
                width: *w,
                ..Stroke::default()
            };
            pix.stroke_path(&p, &black, &s, t, None);
        }
    }
    let mut pb = PathBuilder::new();
    for r in sheet.qr_runs() {
        if let Some(r) = tiny_skia::Rect::from_xywh(r.x, r.y, r.w, r.h) {
            pb.push_rect(r);
        }
    }
    if let Some(p) = pb.finish() {
        pix.fill_path(&p, &black, FillRule::Winding, t, None);
    }
    // Text: each character as the outline of a glyph box with a bar through it.
    let grey = paint(40);
    let mut pb = PathBuilder::new();
    for run in &sheet.texts {
        let em = pt_to_mm(run.size);
        let mut x = run.left();
        for c in run.text.chars() {
            let w = unicode_width::UnicodeWidthChar::width_cjk(c).unwrap_or(1) as f32 * em / 2.0;
            if !c.is_whitespace() {
                let (gx, gy, gw, gh) = (x + w * 0.12, run.y - em * 0.8, w * 0.76, em * 0.85);
                pb.move_to(gx, gy);
                pb.line_to(gx + gw, gy);
                pb.line_to(gx + gw, gy + gh);
                pb.line_to(gx, gy + gh);
                pb.close();
                pb.move_to(gx, gy + gh / 2.0);
                pb.line_to(gx + gw, gy + gh / 2.0);
            }
            x += w;
        }
    }
    if let Some(p) = pb.finish() {
        let s = Stroke {
            width: 0.25,
            ..Stroke::default()
        };
        pix.stroke_path(&p, &grey, &s, t, None);
    }
}

/// The drawing as grey pixels (row-major, one byte each). Everything is drawn opaque on the
/// white page, so the premultiplied pixels are plain grey; the image crate converts them.
pub fn to_grey(pix: &Pixmap) -> image::GrayImage {
    let rgba = image::RgbaImage::from_raw(pix.width(), pix.height(), pix.data().to_vec())
        .expect("a pixmap holds width × height RGBA pixels");
    image::DynamicImage::ImageRgba8(rgba).to_luma8()
}
