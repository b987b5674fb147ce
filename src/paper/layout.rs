//! The printed ballot paper as geometry in millimetres on an A4 sheet, origin top left, y down.
//! One model drives the PDF (`pdf.rs`), the raster drawing of the same sheet (`raster.rs`) and
//! the reader (`scan`), so a scan is read against exactly what was printed.

use unicode_width::UnicodeWidthStr;

pub use super::spec::LAYOUT_VERSION;
use super::spec::{PaperKind, PaperSpec};
use crate::domain::session::{ApprovalVote, PaperStyle};
use crate::i18n::Text;
use crate::text;

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
/// Side of the solid corner squares the reader registers the sheet by.
pub const FID_SIZE: f32 = 7.0;
/// The corner squares' centres: top left, top right, bottom left, bottom right.
pub const FIDUCIALS: [(f32, f32); 4] = [(12.5, 12.5), (197.5, 12.5), (12.5, 284.5), (197.5, 284.5)];
/// The QR code's square (modules only; the quiet zone around it is kept blank).
pub const QR: Rect = Rect {
    x: 170.0,
    y: 20.0,
    w: 22.0,
    h: 22.0,
};

const TABLE_X: f32 = 20.0;
const TABLE_W: f32 = 170.0;
const TABLE_BOTTOM: f32 = 272.0;
const HEADER_H: f32 = 9.0;
const SERIAL_W: f32 = 12.0;
const ROW_MAX: f32 = 14.0;
/// Below this a mark no longer fits its box with room around it.
const ROW_MIN: f32 = 8.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn inset(&self, d: f32) -> Rect {
        Rect {
            x: self.x + d,
            y: self.y + d,
            w: (self.w - 2.0 * d).max(0.0),
            h: (self.h - 2.0 * d).max(0.0),
        }
    }

    pub fn centre(&self) -> (f32, f32) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Left,
    Centre,
}

/// A line of text; `y` is its baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub x: f32,
    pub y: f32,
    /// Size in points.
    pub size: f32,
    pub text: String,
    pub anchor: Anchor,
    pub bold: bool,
}

impl TextRun {
    /// Width in mm, taking CJK characters as one em and others as half (how the CJK fonts
    /// set them), which is all centring and wrapping need.
    pub fn width(&self) -> f32 {
        text_width(&self.text, self.size)
    }

    /// Left edge in mm.
    pub fn left(&self) -> f32 {
        match self.anchor {
            Anchor::Left => self.x,
            Anchor::Centre => self.x - self.width() / 2.0,
        }
    }
}

pub fn pt_to_mm(pt: f32) -> f32 {
    pt * 25.4 / 72.0
}

fn text_width(s: &str, size: f32) -> f32 {
    UnicodeWidthStr::width_cjk(s) as f32 * pt_to_mm(size) / 2.0
}

/// The drawing and the places the reader looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Solid black squares: the four corner marks.
    pub fills: Vec<Rect>,
    /// Outlined rectangles (table cells, choice boxes) with their line width.
    pub strokes: Vec<(Rect, f32)>,
    pub texts: Vec<TextRun>,
    /// The QR code's modules, row by row, `qr_width` per row.
    pub qr: Vec<bool>,
    pub qr_width: usize,
    /// The choice boxes: one list per row of the paper, one box per choice.
    pub boxes: Vec<Vec<Rect>>,
}

impl Sheet {
    /// The QR code's dark modules as rectangles in mm, one per run of dark modules in a row
    /// (what both the PDF and the raster drawing fill).
    pub fn qr_runs(&self) -> Vec<Rect> {
        let n = self.qr_width;
        let m = QR.w / n.max(1) as f32;
        let mut out = Vec::new();
        for y in 0..n {
            let mut x = 0;
            while x < n {
                if self.qr[y * n + x] {
                    let start = x;
                    while x < n && self.qr[y * n + x] {
                        x += 1;
                    }
                    out.push(Rect {
                        x: QR.x + start as f32 * m,
                        y: QR.y + y as f32 * m,
                        w: (x - start) as f32 * m,
                        h: m,
                    });
                } else {
                    x += 1;
                }
            }
        }
        out
    }
}

/// The choices' column headings, in the order of the paper's boxes.
pub fn choice_labels(kind: &PaperKind) -> Vec<&'static str> {
    match kind {
        PaperKind::Approval {
            style: PaperStyle::Columns,
            ..
        } => vec!["赞成", "不赞成", "弃权"],
        PaperKind::Approval {
            style: PaperStyle::OneBox,
            ..
        } => vec!["○ 或 ×"],
        PaperKind::Evaluation => vec!["满意", "基本满意", "不满意", "弃权"],
    }
}

/// The most rows a sheet takes.
pub fn max_rows() -> usize {
    ((TABLE_BOTTOM - table_top() - HEADER_H) / ROW_MIN) as usize
}

fn table_top() -> f32 {
    // Below the heading and the instructions (at most six lines).
    84.0
}

/// The paper's name: 表决票, 票荐票, 测评票.
pub fn paper_name(kind: &PaperKind) -> &'static str {
    match kind {
        PaperKind::Approval {
            vote: ApprovalVote::Decide,
            ..
        } => "表决票",
        PaperKind::Approval {
            vote: ApprovalVote::Recommend,
            ..
        } => "票荐票",
        PaperKind::Evaluation => "测评票",
    }
}

fn instructions(spec: &PaperSpec) -> Vec<String> {
    let n = spec.rows.len();
    match &spec.kind {
        PaperKind::Approval { places, style, .. } => {
            let what = "项目";
            let mut v = vec![format!(
                "一、本次应选{places}个{what}，候选{what}{n}个。"
            )];
            match style {
                PaperStyle::Columns => {
                    v.push(format!(
                        "二、请在每个候选{what}右侧“赞成”“不赞成”“弃权”三栏中选择一栏，在框内画“○”或“√”；不作标记的，视为弃权。"
                    ));
                    v.push(format!(
                        "三、对同一{what}在两栏以上作标记的，该{what}按弃权计。"
                    ));
                }
                PaperStyle::OneBox => {
                    v.push(format!(
                        "二、请在每个候选{what}右侧的框内：赞成的画“○”，不赞成的画“×”，弃权的不画。"
                    ));
                    v.push("三、符号请画在框内，不要画其他符号。".to_string());
                }
            }
            v.push(format!(
                "四、赞成的{what}多于{places}个的，本票作废。"
            ));
            v.push("五、请用黑色或蓝色笔填写，框外请勿书写，不要折叠本票。".to_string());
            v
        }
        PaperKind::Evaluation => vec![
            "一、请在每项右侧“满意”“基本满意”“不满意”“弃权”四栏中选择一栏，在框内画“○”或“√”；不作标记的，视为弃权。".to_string(),
            "二、对同一项在两栏以上作标记的，该项按弃权计。".to_string(),
            "三、请用黑色或蓝色笔填写，框外请勿书写，不要折叠本票。".to_string(),
        ],
    }
}

/// Break `s` into lines no wider than `width` mm at `size` pt.
fn wrap(s: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        let mut next = cur.clone();
        next.push(c);
        if text_width(&next, size) > width && !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
            cur.push(c);
        } else {
            cur = next;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Lay out the sheet of `spec`, with the QR code `qr` (`qr_width` modules a side).
pub fn layout(spec: &PaperSpec, qr: Vec<bool>, qr_width: usize) -> Result<Sheet, Text> {
    let n = spec.rows.len();
    if n == 0 {
        return Err(text!(
            "没有可印的候选项目".to_string(),
            "nothing to print: no candidates".to_string()
        ));
    }
    if n > max_rows() {
        return Err(text!(
            format!("候选项目 {n} 个,一张 A4 表决票最多印 {} 个", max_rows()),
            format!("{n} candidates: an A4 paper holds at most {}", max_rows())
        ));
    }
    let mut fills: Vec<Rect> = FIDUCIALS
        .iter()
        .map(|&(x, y)| Rect {
            x: x - FID_SIZE / 2.0,
            y: y - FID_SIZE / 2.0,
            w: FID_SIZE,
            h: FID_SIZE,
        })
        .collect();
    fills.shrink_to_fit();
    let mut texts = Vec::new();
    let centre = PAGE_W / 2.0;
    texts.push(TextRun {
        x: centre,
        y: 27.0,
        size: 13.0,
        text: spec.session_title.clone(),
        anchor: Anchor::Centre,
        bold: false,
    });
    // "…项目票决" + "表决票" would say 票决 twice.
    let stem = ["票决", "票荐", "测评"]
        .iter()
        .find_map(|w| spec.title.strip_suffix(w))
        .unwrap_or(&spec.title);
    let mut title = format!("{stem}{}", paper_name(&spec.kind));
    if let Some(r) = &spec.round_note {
        title.push_str(&format!("({r})"));
    }
    for (i, line) in wrap(&title, 17.0, 130.0).into_iter().take(2).enumerate() {
        texts.push(TextRun {
            x: centre,
            y: 38.0 + i as f32 * 8.0,
            size: 17.0,
            text: line,
            anchor: Anchor::Centre,
            bold: true,
        });
    }
    let mut y = 55.0;
    'outer: for para in instructions(spec) {
        for line in wrap(&para, 9.5, TABLE_W) {
            if y > table_top() - 4.0 {
                break 'outer;
            }
            texts.push(TextRun {
                x: TABLE_X,
                y,
                size: 9.5,
                text: line,
                anchor: Anchor::Left,
                bold: false,
            });
            y += 4.6;
        }
    }

    let labels = choice_labels(&spec.kind);
    let choice_w = match labels.len() {
        1 => 30.0,
        3 => 20.0,
        _ => 18.0,
    };
    let name_w = TABLE_W - SERIAL_W - choice_w * labels.len() as f32;
    let top = table_top();
    let row_h = ((TABLE_BOTTOM - top - HEADER_H) / n as f32).min(ROW_MAX);
    let mut strokes = Vec::new();
    let line = 0.3;
    // Heading row.
    let head = |x: f32, w: f32, label: &str, texts: &mut Vec<TextRun>| {
        texts.push(TextRun {
            x: x + w / 2.0,
            y: top + HEADER_H / 2.0 + 1.5,
            size: 10.0,
            text: label.to_string(),
            anchor: Anchor::Centre,
            bold: true,
        });
    };
    let first = match &spec.kind {
        PaperKind::Evaluation => "测评对象",
        _ => "候选项目",
    };
    let mut x = TABLE_X;
    for (w, label) in [(SERIAL_W, "序号"), (name_w, first)] {
        strokes.push((
            Rect {
                x,
                y: top,
                w,
                h: HEADER_H,
            },
            line,
        ));
        head(x, w, label, &mut texts);
        x += w;
    }
    for label in &labels {
        strokes.push((
            Rect {
                x,
                y: top,
                w: choice_w,
                h: HEADER_H,
            },
            line,
        ));
        head(x, choice_w, label, &mut texts);
        x += choice_w;
    }
    let (box_w, box_h) = match labels.len() {
        1 => (14.0, (row_h - 2.0).min(10.0)),
        _ => (10.0, (row_h - 2.0).min(7.0)),
    };
    let mut boxes = Vec::with_capacity(n);
    for (i, row) in spec.rows.iter().enumerate() {
        let ry = top + HEADER_H + i as f32 * row_h;
        strokes.push((
            Rect {
                x: TABLE_X,
                y: ry,
                w: SERIAL_W,
                h: row_h,
            },
            line,
        ));
        texts.push(TextRun {
            x: TABLE_X + SERIAL_W / 2.0,
            y: ry + row_h / 2.0 + 1.3,
            size: 10.0,
            text: (i + 1).to_string(),
            anchor: Anchor::Centre,
            bold: false,
        });
        let nx = TABLE_X + SERIAL_W;
        strokes.push((
            Rect {
                x: nx,
                y: ry,
                w: name_w,
                h: row_h,
            },
            line,
        ));
        let with_unit = row.unit.is_some() && row_h >= 11.0;
        let mut size = if row_h >= 11.0 { 11.0 } else { 10.0 };
        let mut lines = wrap(&row.name, size, name_w - 4.0);
        if lines.len() > 1 {
            size = 9.0;
            lines = wrap(&row.name, size, name_w - 4.0);
        }
        let shown = if with_unit { 1 } else { 2 };
        let cut = lines.len() > shown;
        let mut lines: Vec<String> = lines.into_iter().take(shown).collect();
        if cut && let Some(last) = lines.last_mut() {
            // Too long for the row: say so on the paper rather than drop its end silently.
            last.pop();
            last.push('…');
        }
        let lh = pt_to_mm(size) * 1.15;
        let block = lh * lines.len() as f32 + if with_unit { 3.6 } else { 0.0 };
        let mut ty = ry + (row_h - block) / 2.0 + pt_to_mm(size) * 0.85;
        for l in lines {
            texts.push(TextRun {
                x: nx + 2.0,
                y: ty,
                size,
                text: l,
                anchor: Anchor::Left,
                bold: false,
            });
            ty += lh;
        }
        if let (true, Some(unit)) = (with_unit, &row.unit) {
            texts.push(TextRun {
                x: nx + 2.0,
                y: ty + 0.6,
                size: 7.5,
                text: format!("承办单位：{unit}"),
                anchor: Anchor::Left,
                bold: false,
            });
        }
        let mut row_boxes = Vec::with_capacity(labels.len());
        for c in 0..labels.len() {
            let cx = nx + name_w + c as f32 * choice_w;
            strokes.push((
                Rect {
                    x: cx,
                    y: ry,
                    w: choice_w,
                    h: row_h,
                },
                line,
            ));
            let b = Rect {
                x: cx + (choice_w - box_w) / 2.0,
                y: ry + (row_h - box_h) / 2.0,
                w: box_w,
                h: box_h,
            };
            strokes.push((b, 0.35));
            row_boxes.push(b);
        }
        boxes.push(row_boxes);
    }
    texts.push(TextRun {
        x: centre,
        y: 280.0,
        size: 8.0,
        text: format!(
            "本票不编号、不署名。四角方块与右上角二维码供计票机识别，请勿涂写。（版式 {LAYOUT_VERSION}）"
        ),
        anchor: Anchor::Centre,
        bold: false,
    });
    Ok(Sheet {
        fills,
        strokes,
        texts,
        qr,
        qr_width,
        boxes,
    })
}
