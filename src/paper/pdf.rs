//! The sheet as a PDF page with krilla, the text in a CJK font found on the machine (embedded
//! and subset by krilla: only the glyphs the papers use go into the file).

use std::path::{Path, PathBuf};

use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::text::{Font, TextDirection};

use super::layout::{PAGE_H, PAGE_W, Rect, Sheet};
use crate::i18n::Text;
use crate::text;

/// The families looked for, in order: serif first, as ballot papers are set.
pub const FAMILIES: &[&str] = &[
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "SimSun",
    "NSimSun",
    "FangSong",
    "STSong",
    "Songti SC",
    "AR PL UMing CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
];

/// A regular and a bold face (the same face when the family has no bold).
pub struct Fonts {
    pub regular: Font,
    pub bold: Font,
    /// What was found, for the operator.
    pub name: String,
}

fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

fn load(data: Vec<u8>, index: u32, what: &str) -> Result<Font, Text> {
    Font::new(data.into(), index).ok_or_else(|| {
        text!(
            format!("字体文件无法使用:{what}"),
            format!("the font cannot be used: {what}")
        )
    })
}

/// The font in `file`, or the first of [`FAMILIES`] installed on the machine.
pub fn find_fonts(file: Option<&Path>) -> Result<Fonts, Text> {
    if let Some(f) = file {
        let data = std::fs::read(f).map_err(|e| {
            text!(
                format!("读不到字体文件 {}:{e}", f.display()),
                format!("cannot read the font {}: {e}", f.display())
            )
        })?;
        let regular = load(data, 0, &f.display().to_string())?;
        return Ok(Fonts {
            bold: regular.clone(),
            regular,
            name: f.display().to_string(),
        });
    }
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    for family in FAMILIES {
        let face = |weight| {
            let q = fontdb::Query {
                families: &[fontdb::Family::Name(family)],
                weight,
                ..fontdb::Query::default()
            };
            let id = db.query(&q)?;
            let (data, index) = db.with_face_data(id, |d, i| (d.to_vec(), i))?;
            let path = match db.face_source(id) {
                Some((fontdb::Source::File(p), _)) => p,
                _ => PathBuf::from(family),
            };
            Some((data, index, path))
        };
        let Some((data, index, path)) = face(fontdb::Weight::NORMAL) else {
            continue;
        };
        let what = format!("{family} ({})", path.display());
        let regular = load(data, index, &what)?;
        let bold = match face(fontdb::Weight::BOLD) {
            Some((d, i, _)) => load(d, i, &what)?,
            None => regular.clone(),
        };
        return Ok(Fonts {
            regular,
            bold,
            name: what,
        });
    }
    Err(text!(
        format!(
            "本机没有可印中文选票的字体。已查找:{}。请安装其一(Debian/Ubuntu:apt install fonts-noto-cjk),或用 --font 指定字体文件。",
            FAMILIES.join("、")
        ),
        format!(
            "no font on this machine can print Chinese ballot papers. Looked for: {}. Install one (Debian/Ubuntu: apt install fonts-noto-cjk) or name a font file with --font.",
            FAMILIES.join(", ")
        )
    ))
}

fn rect_path(r: &Rect) -> Option<krilla::geom::Path> {
    let mut pb = PathBuilder::new();
    pb.push_rect(krilla::geom::Rect::from_xywh(
        mm(r.x),
        mm(r.y),
        mm(r.w),
        mm(r.h),
    )?);
    pb.finish()
}

fn black_fill() -> Fill {
    Fill {
        paint: luma::Color::black().into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// One page per sheet, `copies` times each.
pub fn render(sheets: &[Sheet], copies: usize, fonts: &Fonts) -> Result<Vec<u8>, Text> {
    let mut doc = Document::new();
    for sheet in sheets {
        for _ in 0..copies {
            let settings =
                PageSettings::from_wh(mm(PAGE_W), mm(PAGE_H)).expect("A4 has a positive size");
            let mut page = doc.start_page_with(settings);
            let mut s = page.surface();
            s.set_stroke(None);
            s.set_fill(Some(black_fill()));
            for r in &sheet.fills {
                if let Some(p) = rect_path(r) {
                    s.draw_path(&p);
                }
            }
            let mut pb = PathBuilder::new();
            for r in sheet.qr_runs() {
                if let Some(r) = krilla::geom::Rect::from_xywh(mm(r.x), mm(r.y), mm(r.w), mm(r.h)) {
                    pb.push_rect(r);
                }
            }
            if let Some(p) = pb.finish() {
                s.draw_path(&p);
            }
            s.set_fill(None);
            for (r, w) in &sheet.strokes {
                s.set_stroke(Some(Stroke {
                    width: mm(*w),
                    ..Stroke::default()
                }));
                if let Some(p) = rect_path(r) {
                    s.draw_path(&p);
                }
            }
            s.set_stroke(None);
            s.set_fill(Some(black_fill()));
            for t in &sheet.texts {
                let font = if t.bold { &fonts.bold } else { &fonts.regular };
                s.draw_text(
                    Point::from_xy(mm(t.left()), mm(t.y)),
                    font.clone(),
                    t.size,
                    &t.text,
                    false,
                    TextDirection::Auto,
                );
            }
            s.finish();
            page.finish();
        }
    }
    doc.finish().map_err(|e| {
        text!(
            format!("PDF 生成失败:{e:?}"),
            format!("the PDF could not be made: {e:?}")
        )
    })
}
