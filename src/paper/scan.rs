//! Reading one scanned sheet: the four corner squares give the sheet's position, rotation,
//! scale and which way up it is; the QR code says which ballot it is a paper of; each box of
//! the layout is then measured for ink against the blank paper and the corner squares' black.
//!
//! A box is empty, marked or doubtful by its ink score; a row whose boxes are not all clear
//! is doubtful and is never decided here (a clerk rules on it).

use image::GrayImage;

use super::layout::{FID_SIZE, FIDUCIALS, PAGE_W, QR, Rect, Sheet};
use super::spec::{PaperKind, Payload};
use crate::i18n::Text;
use crate::text;

/// Below this share of inked samples a box is empty.
pub const EMPTY_BELOW: f32 = 0.025;
/// From this share on a box is marked; between the two it is doubtful.
pub const MARKED_FROM: f32 = 0.06;
/// A box this full beside another mark may be a mark scribbled out: a clerk decides.
pub const SCRIBBLE_FROM: f32 = 0.45;
/// A sample is ink when it is this far from the paper towards the corner squares' black.
pub(crate) const INK_LEVEL: f32 = 0.25;

/// Where the sheet lies in the image: sheet mm → image pixels, `x' = a x + b y + c`,
/// `y' = d x + e y + f`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub m: [f32; 6],
    /// Grey level of the blank paper and of the printed black.
    pub paper: f32,
    pub black: f32,
    /// The sheet was fed upside down.
    pub turned: bool,
}

impl Frame {
    pub fn map(&self, x: f32, y: f32) -> (f32, f32) {
        let m = &self.m;
        (m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5])
    }

    /// Pixels per mm.
    pub fn scale(&self) -> f32 {
        (self.m[0] * self.m[0] + self.m[3] * self.m[3]).sqrt()
    }

    /// Rotation in degrees (0 for a straight sheet, near 180 for one upside down).
    pub fn angle(&self) -> f32 {
        self.m[3].atan2(self.m[0]).to_degrees()
    }
}

/// The reading of one choice box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxCall {
    Empty,
    Marked,
    Doubtful,
}

pub fn call(score: f32) -> BoxCall {
    if score < EMPTY_BELOW {
        BoxCall::Empty
    } else if score >= MARKED_FROM {
        BoxCall::Marked
    } else {
        BoxCall::Doubtful
    }
}

/// The reading of one row of the paper.
#[derive(Debug, Clone, PartialEq)]
pub struct RowRead {
    /// Share of inked samples in each box, in the paper's order of choices.
    pub scores: Vec<f32>,
    /// The letter read, or None when a clerk must decide.
    pub letter: Option<char>,
    /// The machine's best guess for a doubtful row, shown to the clerk.
    pub guess: char,
    /// Why the row waits for a clerk (`marks::Doubt`), or why it reads as it does when not
    /// plainly.
    pub note: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SheetRead {
    pub frame: Frame,
    pub payload: Payload,
    pub rows: Vec<RowRead>,
}

impl SheetRead {
    /// The letters, `?` for a row a clerk must decide.
    pub fn marks(&self) -> String {
        self.rows.iter().map(|r| r.letter.unwrap_or('?')).collect()
    }

    pub fn doubtful(&self) -> usize {
        self.rows.iter().filter(|r| r.letter.is_none()).count()
    }
}

fn fail(zh: &str, en: &str) -> Text {
    text!(zh.to_string(), en.to_string())
}

/// Bilinear grey level at (x, y), white outside the image.
pub(crate) fn sample(img: &GrayImage, x: f32, y: f32) -> f32 {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let (x0, y0) = (x.floor() as i64, y.floor() as i64);
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let px = |xx: i64, yy: i64| -> f32 {
        if xx < 0 || yy < 0 || xx >= w || yy >= h {
            255.0
        } else {
            f32::from(img.get_pixel(xx as u32, yy as u32).0[0])
        }
    };
    let top = px(x0, y0) * (1.0 - fx) + px(x0 + 1, y0) * fx;
    let bot = px(x0, y0 + 1) * (1.0 - fx) + px(x0 + 1, y0 + 1) * fx;
    top * (1.0 - fy) + bot * fy
}

struct Blob {
    cx: f32,
    cy: f32,
}

/// The corner squares as found in an image.
struct Corners {
    /// Centres in image pixels: image top left, top right, bottom left, bottom right.
    centres: [(f32, f32); 4],
    /// Grey levels of the blank paper and of the squares' black.
    paper: f32,
    black: f32,
}

fn corner_marks(img: &GrayImage) -> Result<Corners, Text> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w < 200 || h < 200 {
        return Err(fail(
            "图像太小,不是一张选票的扫描件",
            "the image is too small to be a scanned paper",
        ));
    }
    // Assume the scan is about as wide as the sheet (no auto-crop), and look at it at about
    // 50 dpi first.
    let dpi = w as f32 * 25.4 / PAGE_W;
    let k = ((dpi / 50.0).floor() as usize).max(1);
    let (sw, sh) = (w / k, h / k);
    let raw = img.as_raw();
    let mut small = vec![0u8; sw * sh];
    for sy in 0..sh {
        for sx in 0..sw {
            let mut sum = 0u32;
            for yy in sy * k..sy * k + k {
                let row = &raw[yy * w + sx * k..yy * w + sx * k + k];
                sum += row.iter().map(|&v| u32::from(v)).sum::<u32>();
            }
            small[sy * sw + sx] = (sum / (k * k) as u32) as u8;
        }
    }
    let mut hist = [0usize; 256];
    for &v in &small {
        hist[v as usize] += 1;
    }
    // The paper: the level 90% of the image is darker than or equal to.
    let mut acc = 0;
    let mut paper = 255.0;
    for (v, &n) in hist.iter().enumerate() {
        acc += n;
        if acc * 10 >= small.len() * 9 {
            paper = v as f32;
            break;
        }
    }
    let threshold = (paper * 0.55) as u8;
    let expect = FID_SIZE * dpi / 25.4 / k as f32;
    let mut label = vec![false; sw * sh];
    let mut blobs = Vec::new();
    let mut stack = Vec::new();
    for start in 0..sw * sh {
        if label[start] || small[start] > threshold {
            continue;
        }
        label[start] = true;
        stack.push(start);
        let (mut x0, mut x1, mut y0, mut y1) = (usize::MAX, 0, usize::MAX, 0);
        let (mut n, mut sx, mut sy) = (0usize, 0usize, 0usize);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % sw, i / sw);
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
            n += 1;
            sx += x;
            sy += y;
            let mut push = |j: usize| {
                if !label[j] && small[j] <= threshold {
                    label[j] = true;
                    stack.push(j);
                }
            };
            if x > 0 {
                push(i - 1);
            }
            if x + 1 < sw {
                push(i + 1);
            }
            if y > 0 {
                push(i - sw);
            }
            if y + 1 < sh {
                push(i + sw);
            }
        }
        let (bw, bh) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
        let ok = (0.6 * expect..=1.6 * expect).contains(&bw)
            && (0.6 * expect..=1.6 * expect).contains(&bh)
            && n as f32 >= 0.6 * bw * bh;
        if ok {
            blobs.push(Blob {
                cx: (sx as f32 / n as f32 + 0.5) * k as f32,
                cy: (sy as f32 / n as f32 + 0.5) * k as f32,
            });
        }
    }
    let corners = [
        (0.0, 0.0),
        (w as f32, 0.0),
        (0.0, h as f32),
        (w as f32, h as f32),
    ];
    let reach = 0.25 * ((w * w + h * h) as f32).sqrt();
    let mut found = [(0.0f32, 0.0f32); 4];
    for (c, &(x, y)) in corners.iter().enumerate() {
        let best = blobs
            .iter()
            .map(|b| (((b.cx - x).powi(2) + (b.cy - y).powi(2)).sqrt(), b))
            .filter(|(d, _)| *d < reach)
            .min_by(|a, b| a.0.total_cmp(&b.0));
        match best {
            Some((_, b)) => found[c] = (b.cx, b.cy),
            None => {
                return Err(fail(
                    "找不到四角的定位方块(纸张是否放正、是否为本程序印制的选票)",
                    "the corner squares cannot be found (is the sheet straight, and one this program printed?)",
                ));
            }
        }
    }
    // Refine each at full resolution: the centroid of the dark pixels around it.
    let side = FID_SIZE * dpi / 25.4;
    let thr = paper * 0.55;
    let mut black_sum = 0.0f64;
    let mut black_n = 0usize;
    for f in found.iter_mut() {
        let (x0, y0) = ((f.0 - side).max(0.0) as u32, (f.1 - side).max(0.0) as u32);
        let (x1, y1) = (
            ((f.0 + side) as u32).min(img.width() - 1),
            ((f.1 + side) as u32).min(img.height() - 1),
        );
        let (mut sx, mut sy, mut n) = (0.0f64, 0.0f64, 0.0f64);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let v = f32::from(img.get_pixel(x, y).0[0]);
                if v < thr {
                    sx += f64::from(x) + 0.5;
                    sy += f64::from(y) + 0.5;
                    n += 1.0;
                }
            }
        }
        if n > 0.0 {
            *f = ((sx / n) as f32, (sy / n) as f32);
        }
        // The black: the square's middle.
        let r = (side * 0.25) as i64;
        for dy in -r..=r {
            for dx in -r..=r {
                let (x, y) = (f.0 as i64 + dx, f.1 as i64 + dy);
                if x >= 0 && y >= 0 && (x as u32) < img.width() && (y as u32) < img.height() {
                    black_sum += f64::from(img.get_pixel(x as u32, y as u32).0[0]);
                    black_n += 1;
                }
            }
        }
    }
    let black = (black_sum / black_n.max(1) as f64) as f32;
    // They must lie as printed: a rectangle 185 × 272 mm, whatever the scale.
    let d = |a: (f32, f32), b: (f32, f32)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    let (top, bottom) = (d(found[0], found[1]), d(found[2], found[3]));
    let (left, right) = (d(found[0], found[2]), d(found[1], found[3]));
    let want = (FIDUCIALS[2].1 - FIDUCIALS[0].1) / (FIDUCIALS[1].0 - FIDUCIALS[0].0);
    let ratio = (left + right) / (top + bottom);
    if (top - bottom).abs() > 0.02 * top
        || (left - right).abs() > 0.02 * left
        || (ratio - want).abs() > 0.03 * want
        || paper - black < 60.0
    {
        return Err(fail(
            "四角定位方块的位置不成一张 A4 选票(可能折叠、裁切或不是本程序印制的选票)",
            "the corner squares do not lie as on an A4 paper (folded, cropped, or not printed by this program?)",
        ));
    }
    Ok(Corners {
        centres: found,
        paper,
        black,
    })
}

/// Least-squares affine map taking `from` points to `to` points.
fn fit(from: &[(f32, f32); 4], to: &[(f32, f32); 4]) -> [f32; 6] {
    // Normal equations of [x y 1] · p = target, for each target coordinate.
    let mut ata = [[0.0f64; 3]; 3];
    let mut atx = [0.0f64; 3];
    let mut aty = [0.0f64; 3];
    for (f, t) in from.iter().zip(to) {
        let r = [f64::from(f.0), f64::from(f.1), 1.0];
        for i in 0..3 {
            for j in 0..3 {
                ata[i][j] += r[i] * r[j];
            }
            atx[i] += r[i] * f64::from(t.0);
            aty[i] += r[i] * f64::from(t.1);
        }
    }
    let solve = |b: [f64; 3]| -> [f64; 3] {
        let mut m = ata;
        let mut v = b;
        for c in 0..3 {
            let p = (c..3)
                .max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs()))
                .unwrap_or(c);
            m.swap(c, p);
            v.swap(c, p);
            for r in 0..3 {
                if r != c && m[c][c] != 0.0 {
                    let f = m[r][c] / m[c][c];
                    let pivot = m[c];
                    for (x, p) in m[r].iter_mut().zip(pivot) {
                        *x -= f * p;
                    }
                    v[r] -= f * v[c];
                }
            }
        }
        [v[0] / m[0][0], v[1] / m[1][1], v[2] / m[2][2]]
    };
    let x = solve(atx);
    let y = solve(aty);
    [
        x[0] as f32,
        x[1] as f32,
        x[2] as f32,
        y[0] as f32,
        y[1] as f32,
        y[2] as f32,
    ]
}

/// The QR code's square, upright, with its quiet zone, resampled at `px_per_mm`, grey or
/// (`binary`) cut at half way between the paper and the black.
fn decode_qr_at(img: &GrayImage, frame: &Frame, px_per_mm: f32, binary: bool) -> Option<String> {
    let margin = 4.0;
    let side = ((QR.w + 2.0 * margin) * px_per_mm) as usize;
    let cut = (frame.paper + frame.black) / 2.0;
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
        let mx = QR.x - margin + (x as f32 + 0.5) / px_per_mm;
        let my = QR.y - margin + (y as f32 + 0.5) / px_per_mm;
        let (px, py) = frame.map(mx, my);
        let v = sample(img, px, py);
        match (binary, v < cut) {
            (false, _) => v as u8,
            (true, true) => 0,
            (true, false) => 255,
        }
    });
    for grid in prepared.detect_grids() {
        if let Ok((_, content)) = grid.decode() {
            return Some(content);
        }
    }
    None
}

/// Resamplings of the code tried in turn: rqrr misses a code now and then at one scale that it
/// reads at another.
const QR_TRIES: [(f32, bool); 5] = [
    (8.0, false),
    (8.0, true),
    (6.0, false),
    (11.0, true),
    (5.0, true),
];

/// The sheet's two possible frames (upright, upside down) from its corner squares.
fn frames(img: &GrayImage) -> Result<[Frame; 2], Text> {
    let Corners {
        centres: marks,
        paper,
        black,
    } = corner_marks(img)?;
    let upright = FIDUCIALS;
    // Upside down, the sheet's bottom right is the image's top left.
    let turned = [FIDUCIALS[3], FIDUCIALS[2], FIDUCIALS[1], FIDUCIALS[0]];
    Ok(
        [(upright, false), (turned, true)].map(|(from, is_turned)| Frame {
            m: fit(&from, &marks),
            paper,
            black,
            turned: is_turned,
        }),
    )
}

/// Share of the code's modules that must be as `sheet` prints them for a sheet whose code the
/// decoder could not read to be taken as that paper. Another ballot, round or session changes
/// the code's data and its error correction: about half of those modules differ, so another
/// paper's code matches about 60 % of them.
const KNOWN_CODE: f32 = 0.92;

/// A sheet whose code the decoder misses (a soft or blurred scan at low resolution) but whose
/// modules, sampled where the layout puts them, are those of the expected paper's code.
pub fn locate_expecting(img: &GrayImage, sheet: &Sheet) -> Option<Frame> {
    let w = sheet.qr_width;
    if w == 0 || sheet.qr.len() != w * w {
        return None;
    }
    let module = QR.w / w as f32;
    frames(img).ok()?.into_iter().find(|frame| {
        let cut = (frame.paper + frame.black) / 2.0;
        let same = (0..w * w)
            .filter(|&k| {
                let (i, j) = (k % w, k / w);
                // The module's middle half, averaged: a soft scan blurs its edges.
                let mean = [0.35f32, 0.65]
                    .iter()
                    .flat_map(|&u| [0.35f32, 0.65].map(|v| (u, v)))
                    .map(|(u, v)| {
                        let (px, py) = frame.map(
                            QR.x + (i as f32 + u) * module,
                            QR.y + (j as f32 + v) * module,
                        );
                        sample(img, px, py)
                    })
                    .sum::<f32>()
                    / 4.0;
                (mean < cut) == sheet.qr[k]
            })
            .count();
        same as f32 >= KNOWN_CODE * (w * w) as f32
    })
}

/// Find the sheet in `img` and read its code.
pub fn locate(img: &GrayImage) -> Result<(Frame, Payload), Text> {
    let frames = frames(img)?;
    let mut seen_other = None;
    for (px_per_mm, binary) in QR_TRIES {
        for frame in &frames {
            if let Some(content) = decode_qr_at(img, frame, px_per_mm, binary) {
                match Payload::parse(&content) {
                    Some(p) => return Ok((*frame, p)),
                    None => seen_other = Some(content),
                }
            }
        }
    }
    Err(match seen_other {
        Some(c) => text!(
            format!("二维码不是本程序的选票码:{c}"),
            format!("the QR code is not one of this program's papers: {c}")
        ),
        None => fail(
            "右上角的二维码无法识读(污损、折痕或扫描太淡)",
            "the QR code at the top right cannot be read (soiled, creased or scanned too light)",
        ),
    })
}

/// The ink in `r`: share of samples darker than [`INK_LEVEL`], and the inked samples'
/// positions in mm relative to the box's centre.
/// Half the width and height of the part of box `r` whose ink is measured.
pub(crate) fn half(r: &Rect) -> (f32, f32) {
    let inner = r.inset(INK_INSET);
    (inner.w / 2.0, inner.h / 2.0)
}

/// The box's printed outline is left out of its ink.
pub(crate) const INK_INSET: f32 = 1.0;

pub(crate) fn ink(img: &GrayImage, frame: &Frame, r: &Rect) -> (f32, Vec<(f32, f32)>) {
    let inner = r.inset(INK_INSET);
    let step = (1.0 / frame.scale()).clamp(0.08, 0.2);
    let (cx, cy) = inner.centre();
    let span = frame.paper - frame.black;
    let (nx, ny) = ((inner.w / step) as usize, (inner.h / step) as usize);
    let mut pts = Vec::new();
    for j in 0..ny {
        for i in 0..nx {
            let mx = inner.x + (i as f32 + 0.5) * step;
            let my = inner.y + (j as f32 + 0.5) * step;
            let (px, py) = frame.map(mx, my);
            let v = sample(img, px, py);
            if (frame.paper - v) / span > INK_LEVEL {
                pts.push((mx - cx, my - cy));
            }
        }
    }
    let total = (nx * ny).max(1) as f32;
    (pts.len() as f32 / total, pts)
}

/// ○ or × in a single box, from where its ink lies: a circle's ink is all at about one
/// distance from its centre; a cross has ink where its strokes meet and along its arms. Both
/// are point-symmetric, a tick is not. Anything else (a tick, a filled box, a circle crossed
/// through) is for a clerk.
pub(crate) fn shape(pts: &[(f32, f32)], half: (f32, f32), score: f32) -> Option<char> {
    if score >= SCRIBBLE_FROM || pts.is_empty() {
        return None;
    }
    let Shape {
        mirrored,
        centre,
        spread,
        outer,
        across,
        diagonal,
        sectors,
    } = shape_of(pts, half);
    // Measured on the generator's marks about their searched centre: rings and crosses are
    // 0.96 symmetric and more, ticks at most 0.91; a cross's outer quarter holds under 0.31 of
    // its ink, a tick's 0.35 and more; a single stroke is symmetric too but spreads across its
    // direction under 0.02 (a tick under 0.16), a ring or a cross 0.48 and more; a × has its
    // strokes along the diagonals, a + along the sides.
    // A ring drawn by hand wobbles and overlaps where it closes, and is seldom point-symmetric
    // to a third of a millimetre; it is still a ring when its middle is empty, its ink lies at
    // about one distance from the centre and all the way round (a tick spreads from near its
    // centre to its tips and fills only a few directions).
    let ring = centre < 0.03 && spread < 0.25 && sectors >= 15;
    if across < 0.3 {
        None
    } else if ring {
        Some('Y')
    } else if mirrored < 0.94 {
        None
    } else if centre < 0.04 && spread < 0.3 {
        Some('Y')
    } else if centre > 0.12 && outer < 0.33 && diagonal > 0.5 {
        Some('N')
    } else {
        None
    }
}

/// Where a box's ink lies, about the ink's own centre.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// Share of the ink whose mirror image through the centre is ink too (counting only ink
    /// whose mirror image falls inside the measured box: a mark near the box's edge is cut
    /// by it, and the cut part says nothing of its shape).
    pub mirrored: f32,
    /// Share of the ink near the centre (within 0.45 of the rms distance).
    pub centre: f32,
    /// Spread of the distances from the centre, against their mean.
    pub spread: f32,
    /// Share of the ink in the outer quarter (beyond 0.75 of the 95th percentile distance).
    pub outer: f32,
    /// How far the ink spreads across its main direction: the smaller of its two principal
    /// moments over the larger (0 for a single stroke, near 1 for a ring).
    pub across: f32,
    /// How much of the ink lies along the diagonals rather than along the sides, from 0 (a +)
    /// to 1 (a × at 45°).
    pub diagonal: f32,
    /// Of 16 directions about the centre, how many hold ink (at least 2 % of it).
    pub sectors: usize,
}

/// `pts` are relative to the measured box's centre, whose half width and height are `half`.
/// The centre of symmetry is searched for, not taken as the ink's centroid: a mark near the
/// box's edge is cut by it, which moves the centroid off the mark's own centre.
pub(crate) fn shape_of(pts: &[(f32, f32)], half: (f32, f32)) -> Shape {
    let n = pts.len().max(1) as f32;
    // The ink on a 0.3 mm grid, widened by one cell: one lookup asks "ink near here?".
    const CELL: f32 = 0.3;
    let (gw, gh) = (
        (2.0 * half.0 / CELL).ceil() as i32 + 3,
        (2.0 * half.1 / CELL).ceil() as i32 + 3,
    );
    let at = |x: f32, y: f32| {
        (
            ((x + half.0) / CELL).round() as i32 + 1,
            ((y + half.1) / CELL).round() as i32 + 1,
        )
    };
    let mut near = vec![false; (gw * gh).max(0) as usize];
    for p in pts {
        let (cx, cy) = at(p.0, p.1);
        for dy in -1..=1 {
            for dx in -1..=1 {
                let (x, y) = (cx + dx, cy + dy);
                if (0..gw).contains(&x) && (0..gh).contains(&y) {
                    near[(y * gw + x) as usize] = true;
                }
            }
        }
    }
    let inside = |x: f32, y: f32| x.abs() <= half.0 && y.abs() <= half.1;
    let symmetry = |mx: f32, my: f32| {
        let (mut seen, mut matched) = (0usize, 0usize);
        for p in pts {
            let (qx, qy) = (2.0 * mx - p.0, 2.0 * my - p.1);
            if !inside(qx, qy) {
                continue;
            }
            seen += 1;
            let (x, y) = at(qx, qy);
            if (0..gw).contains(&x) && (0..gh).contains(&y) && near[(y * gw + x) as usize] {
                matched += 1;
            }
        }
        // Too little ink left to judge by counts as not symmetric.
        if (seen as f32) < 0.8 * n {
            0.0
        } else {
            matched as f32 / seen as f32
        }
    };
    let (cx0, cy0) = pts
        .iter()
        .fold((0.0, 0.0), |a, p| (a.0 + p.0 / n, a.1 + p.1 / n));
    // Coarse then fine: 1.6 mm about the centroid in 0.4 mm steps, then 0.1 mm about the best.
    let mut best = (symmetry(cx0, cy0), cx0, cy0);
    for (step, reach) in [(0.4f32, 4i32), (0.1, 3)] {
        let (_, bx, by) = best;
        for j in -reach..=reach {
            for i in -reach..=reach {
                let (x, y) = (bx + i as f32 * step, by + j as f32 * step);
                let m = symmetry(x, y);
                if m > best.0 {
                    best = (m, x, y);
                }
            }
        }
    }
    let (mirrored, mx, my) = best;
    let mut dist: Vec<f32> = pts
        .iter()
        .map(|p| ((p.0 - mx).powi(2) + (p.1 - my).powi(2)).sqrt())
        .collect();
    let mean = dist.iter().sum::<f32>() / n;
    let rms = (dist.iter().map(|d| d * d).sum::<f32>() / n).sqrt();
    let sd = (rms * rms - mean * mean).max(0.0).sqrt();
    let centre = dist.iter().filter(|&&d| d < 0.45 * rms).count() as f32 / n;
    dist.sort_by(f32::total_cmp);
    let far = dist
        .get(((dist.len().max(1) - 1) as f32 * 0.95) as usize)
        .copied()
        .unwrap_or(0.0);
    let outer = dist.iter().filter(|&&d| d > 0.75 * far).count() as f32 / n;
    let (sxx, syy, sxy) = pts.iter().fold((0.0, 0.0, 0.0), |a, p| {
        let (dx, dy) = (p.0 - mx, p.1 - my);
        (a.0 + dx * dx / n, a.1 + dy * dy / n, a.2 + dx * dy / n)
    });
    // The ink's angle doubled: cos 2θ = (dx² − dy²)/r², sin 2θ = 2 dx dy/r²; along the sides
    // the cosine dominates, along the diagonals the sine.
    let (sides, diag) = pts.iter().fold((0.0f32, 0.0f32), |a, p| {
        let (dx, dy) = (p.0 - mx, p.1 - my);
        (
            a.0 + (dx * dx - dy * dy).powi(2),
            a.1 + (2.0 * dx * dy).powi(2),
        )
    });
    let mut per = [0usize; 16];
    for p in pts {
        let a = (p.1 - my).atan2(p.0 - mx) + std::f32::consts::PI;
        per[((a / std::f32::consts::TAU * 16.0) as usize).min(15)] += 1;
    }
    let sectors = per.iter().filter(|&&k| k as f32 >= 0.02 * n).count();
    let (tr, det) = (sxx + syy, sxx * syy - sxy * sxy);
    let root = (tr * tr / 4.0 - det).max(0.0).sqrt();
    let (big, small) = (tr / 2.0 + root, tr / 2.0 - root);
    Shape {
        mirrored,
        centre,
        spread: sd / mean.max(f32::EPSILON),
        outer,
        across: small.max(0.0) / big.max(f32::EPSILON),
        diagonal: diag / (diag + sides).max(f32::EPSILON),
        sectors,
    }
}

/// Read a located sheet against its layout (`marks`: which rows are certain).
pub fn read_rows(img: &GrayImage, frame: &Frame, sheet: &Sheet, kind: &PaperKind) -> Vec<RowRead> {
    super::marks::read_rows(img, frame, sheet, kind)
}
