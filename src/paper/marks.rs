//! What a located sheet's boxes hold, and which rows can be decided without a clerk.
//!
//! Every box is measured twice: for a pen's ink (samples well on the way from the paper to
//! the printed black, [`scan::ink`]) and for any ink at all (samples smoothed over half a
//! millimetre, darker than this sheet's own paper noise). A row is decided by the machine only
//! when its reading is certain: one clear mark and nothing else, or nothing at all. A pencil
//! line, a mark a third of the box, a mark on the box's edge, a stray dot, two marks one of
//! which may be crossed out, or (one box) a shape that is not a plain ○ or × go to a clerk
//! with the reason and the machine's suggestion: a silent wrong choice is the worst thing a
//! reader can do, a clerk's look costs a second.

use image::GrayImage;

use super::glyph::{self, Form};
use super::layout::{Rect, Sheet};
use super::scan::{self, BoxCall, Frame, SCRIBBLE_FROM, call, half, sample, shape};
use super::spec::PaperKind;

/// The reader's version, kept with each sheet it reads: 2 measures faint ink and sends every
/// uncertain row to a clerk.
pub const READER: u32 = 2;

/// Samples are smoothed over a square of about this side (mm) before the faint test: sensor
/// noise and JPEG grain average out, a pencil line 0.2 mm wide does not.
const SMOOTH: f32 = 0.5;
/// A smoothed sample is faint ink when it is this far towards the printed black (or further,
/// on a noisy sheet: see [`Paper::faint_level`]).
const FAINT_LEVEL: f32 = 0.07;
/// A box with at least this much faint ink (mm², after smoothing) is not empty: about a dot
/// of 0.6 mm, several times a speck of scanner dust.
pub const FAINT_AREA: f32 = 0.9;
/// On the outline a mark shows only as the part of it that crosses the narrow rim (the tip
/// of a tick drawn over the box's corner): half as much ink there is enough for a clerk.
pub const RIM_AREA: f32 = 0.45;
/// One box: a mark whose ink spans less than this share of the box's height (and width) is
/// too small to be told a ○ from a ×.
const SMALL: f32 = 0.4;
/// One box: the strips beside the box where a mark drawn next to it shows (mm from the box's
/// outline: the first part is left to a ring cut by the edge).
const BESIDE: (f32, f32) = (1.5, 7.0);

/// The sheet's own paper: how noisy a blank stretch of it is after smoothing.
#[derive(Debug, Clone, Copy)]
pub struct Paper {
    pub faint_level: f32,
}

/// The blank margins beside the table (mm): nothing is printed there and nobody marks there.
const MARGINS: [Rect; 2] = [
    Rect {
        x: 5.0,
        y: 30.0,
        w: 11.0,
        h: 240.0,
    },
    Rect {
        x: 194.0,
        y: 30.0,
        w: 11.0,
        h: 240.0,
    },
];

impl Paper {
    /// Measure the sheet's noise in its margins: the faint level is set well above the
    /// smoothed margin's darkest stretch but never below [`FAINT_LEVEL`].
    pub fn measure(img: &GrayImage, frame: &Frame) -> Paper {
        let mut levels = Vec::new();
        for m in &MARGINS {
            let g = Grid::of(img, frame, m, 0.25);
            levels.extend(g.smoothed());
        }
        levels.sort_by(f32::total_cmp);
        // A fleck of dust in the margin must not raise the level for the whole sheet.
        let q = levels
            .get((levels.len().saturating_sub(1) as f32 * 0.995) as usize)
            .copied()
            .unwrap_or(0.0);
        Paper {
            faint_level: FAINT_LEVEL.max(1.6 * q + 0.02).min(0.2),
        }
    }
}

/// Ink levels (0 paper … 1 printed black) on a grid of samples over an area.
struct Grid {
    nx: usize,
    ny: usize,
    step: f32,
    levels: Vec<f32>,
}

impl Grid {
    fn of(img: &GrayImage, frame: &Frame, r: &Rect, step: f32) -> Grid {
        let span = (frame.paper - frame.black).max(1.0);
        let nx = ((r.w / step) as usize).max(1);
        let ny = ((r.h / step) as usize).max(1);
        let mut levels = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            for i in 0..nx {
                let (px, py) =
                    frame.map(r.x + (i as f32 + 0.5) * step, r.y + (j as f32 + 0.5) * step);
                levels.push(((frame.paper - sample(img, px, py)) / span).clamp(0.0, 1.0));
            }
        }
        Grid {
            nx,
            ny,
            step,
            levels,
        }
    }

    /// The levels averaged over a square of about [`SMOOTH`] mm (a summed-area table).
    fn smoothed(&self) -> Vec<f32> {
        let (nx, ny) = (self.nx, self.ny);
        let r = ((SMOOTH / self.step / 2.0).round() as usize).max(1);
        let mut sum = vec![0f32; (nx + 1) * (ny + 1)];
        for j in 0..ny {
            for i in 0..nx {
                sum[(j + 1) * (nx + 1) + i + 1] = self.levels[j * nx + i]
                    + sum[j * (nx + 1) + i + 1]
                    + sum[(j + 1) * (nx + 1) + i]
                    - sum[j * (nx + 1) + i];
            }
        }
        let mut out = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            let (j0, j1) = (j.saturating_sub(r), (j + r + 1).min(ny));
            for i in 0..nx {
                let (i0, i1) = (i.saturating_sub(r), (i + r + 1).min(nx));
                let s = sum[j1 * (nx + 1) + i1] - sum[j0 * (nx + 1) + i1] - sum[j1 * (nx + 1) + i0]
                    + sum[j0 * (nx + 1) + i0];
                out.push(s / ((j1 - j0) * (i1 - i0)) as f32);
            }
        }
        out
    }

    /// Area (mm²) of the smoothed samples above `level`.
    fn faint_area(&self, level: f32) -> f32 {
        let n = self.smoothed().iter().filter(|&&v| v > level).count();
        n as f32 * self.step * self.step
    }
}

/// Faint ink in `r` (mm² after smoothing), on a grid fine enough for the scan's resolution.
fn faint(img: &GrayImage, frame: &Frame, paper: &Paper, r: &Rect) -> f32 {
    let step = (1.0 / frame.scale()).clamp(0.1, 0.2);
    Grid::of(img, frame, r, step).faint_area(paper.faint_level)
}

/// Why a row waits for a clerk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt {
    /// Ink that is not a clear mark: pencil, a thin or broken line, a mark on the box's edge.
    Faint,
    /// More than one box marked: 弃权 by the paper's rule, unless one of them is crossed out.
    TwoMarks,
    /// A box inked over most of its area: filled in, or a mark scribbled out.
    Heavy,
    /// One box: a mark that is neither a plain ○ nor a plain × (a tick, a filled box, a +).
    Shape,
    /// One box: a mark too small to tell a ○ from a ×.
    Small,
    /// One box: ink beside the box, outside it (a mark drawn next to it, or crossing its edge).
    Beside,
}

impl Doubt {
    /// The reason as the 判定 desk and the sheet list show it (stored with the sheet).
    pub fn reason(self) -> &'static str {
        match self {
            Doubt::Faint => "墨迹淡、细小或压线,不能确认",
            Doubt::TwoMarks => "两栏以上有标记(按规则弃权,除非一处已涂改)",
            Doubt::Heavy => "框内大片涂黑(涂满或涂改)",
            Doubt::Shape => "符号不是清楚的○或×",
            Doubt::Small => "符号过小,分不清○或×",
            Doubt::Beside => "框外有墨迹(画在框旁或压线)",
        }
    }
}

/// Read a located sheet against its layout.
pub fn read_rows(
    img: &GrayImage,
    frame: &Frame,
    sheet: &Sheet,
    kind: &PaperKind,
) -> Vec<scan::RowRead> {
    let paper = Paper::measure(img, frame);
    let reach = reach(sheet);
    sheet
        .boxes
        .iter()
        .map(|boxes| read_row(img, frame, sheet, &paper, reach, boxes, kind))
        .collect()
}

fn read_row(
    img: &GrayImage,
    frame: &Frame,
    sheet: &Sheet,
    paper: &Paper,
    reach: (f32, f32),
    boxes: &[Rect],
    kind: &PaperKind,
) -> scan::RowRead {
    // A box left unmarked is 弃权 on every kind of paper.
    let blank = 'A';
    let measured: Vec<(f32, Vec<(f32, f32)>)> =
        boxes.iter().map(|b| scan::ink(img, frame, b)).collect();
    let scores: Vec<f32> = measured.iter().map(|m| m.0).collect();
    let faints: Vec<f32> = boxes
        .iter()
        .map(|b| faint(img, frame, paper, &b.inset(scan::INK_INSET)))
        .collect();
    let rims: Vec<f32> = boxes
        .iter()
        .map(|b| rim(img, frame, paper, reach, b))
        .collect();
    // Empty only when no ink at all shows, inside the box or on its outline (a mark drawn
    // round the box leaves nothing inside it); marked by a pen's ink; anything between is
    // doubt.
    // A one-box paper's rim runs along the row's lines, close to the box: the printed lines
    // leave more there, so it takes as much ink as the box itself.
    let rim_area = if boxes.len() > 1 {
        RIM_AREA
    } else {
        FAINT_AREA
    };
    let calls: Vec<BoxCall> = (0..boxes.len())
        .map(|i| match call(scores[i]) {
            BoxCall::Empty if faints[i] >= FAINT_AREA || rims[i] >= rim_area => BoxCall::Doubtful,
            c => c,
        })
        .collect();
    // A dot or a short dash is not a mark the paper asks for, however dark: a clerk looks.
    let calls: Vec<BoxCall> = calls
        .into_iter()
        .enumerate()
        .map(|(i, c)| match c {
            BoxCall::Marked if boxes.len() > 1 && speck(&measured[i].1, half(&boxes[i])) => {
                BoxCall::Doubtful
            }
            c => c,
        })
        .collect();
    let marked: Vec<usize> = (0..calls.len())
        .filter(|&i| calls[i] == BoxCall::Marked)
        .collect();
    let any_doubt = calls.contains(&BoxCall::Doubtful);
    let top = (0..scores.len())
        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
        .unwrap_or(0);
    let mut row = scan::RowRead {
        scores: scores.clone(),
        letter: None,
        guess: blank,
        note: None,
    };
    let doubt = |row: &mut scan::RowRead, d: Doubt| row.note = Some(d.reason());
    if boxes.len() == 1 {
        let b = &boxes[0];
        let beside = beside(img, frame, paper, b) >= FAINT_AREA;
        match calls[0] {
            BoxCall::Empty if !beside => row.letter = Some(blank),
            BoxCall::Empty => doubt(&mut row, Doubt::Beside),
            BoxCall::Doubtful => {
                row.guess = 'Y';
                // Little ink inside the box, but a ring or a cross seen whole round it (a ring
                // drawn the size of the box lies mostly on its outline): read, if nothing else
                // is near it.
                let pts = &measured[0].1;
                match one_box(img, frame, sheet, b, pts, scores[0]) {
                    (Some(c), true)
                        if !too_small(pts, half(b))
                            && beside_from(img, frame, paper, b, glyph::SIDE) < FAINT_AREA =>
                    {
                        row.letter = Some(c)
                    }
                    _ => doubt(&mut row, Doubt::Faint),
                }
            }
            BoxCall::Marked => {
                row.guess = 'Y';
                let pts = &measured[0].1;
                let small = too_small(pts, half(b));
                let (read, whole) = one_box(img, frame, sheet, b, pts, scores[0]);
                // The mark seen whole leaves only ink beyond what was looked at to be beside it.
                let beside = if whole {
                    beside_from(img, frame, paper, b, glyph::SIDE) >= FAINT_AREA
                } else {
                    beside
                };
                match read {
                    _ if scores[0] >= SCRIBBLE_FROM => doubt(&mut row, Doubt::Heavy),
                    _ if small => doubt(&mut row, Doubt::Small),
                    Some(c) if !beside => row.letter = Some(c),
                    Some(c) => {
                        row.guess = c;
                        doubt(&mut row, Doubt::Beside);
                    }
                    None => doubt(&mut row, Doubt::Shape),
                }
            }
        }
        return row;
    }
    row.guess = if calls[top] == BoxCall::Empty {
        blank
    } else {
        kind.letter(top)
    };
    match (marked.len(), any_doubt) {
        (0, false) => row.letter = Some(blank),
        (1, false) => row.letter = Some(kind.letter(marked[0])),
        (2.., false) if !marked.iter().any(|&i| scores[i] >= SCRIBBLE_FROM) => {
            // Two clear marks are 弃权 by the rule printed on the paper, but one of them may
            // be a mark crossed out, and then the other is the vote: a clerk looks.
            row.guess = blank;
            doubt(&mut row, Doubt::TwoMarks);
        }
        (2.., false) => doubt(&mut row, Doubt::Heavy),
        _ => doubt(&mut row, Doubt::Faint),
    }
    row
}

/// ○ or × in one box, by two readings: the mark seen whole by its form (ring, crossing
/// strokes; [`glyph`]) and the ink inside the box by where it lies ([`shape`]). Either may
/// read it; when both do they must agree. `true` with a reading taken from the whole mark.
fn one_box(
    img: &GrayImage,
    frame: &Frame,
    sheet: &Sheet,
    b: &Rect,
    pts: &[(f32, f32)],
    score: f32,
) -> (Option<char>, bool) {
    let seen = glyph::look(img, frame, sheet, &glyph::area(sheet, b)).map(|g| glyph::form(&g));
    let inside = shape(pts, half(b), score);
    match (seen, inside) {
        (Some(Form::Ring), Some('N')) | (Some(Form::Cross), Some('Y')) => (None, false),
        (Some(Form::Ring), _) => (Some('Y'), true),
        (Some(Form::Cross), _) => (Some('N'), true),
        (_, c) => (c, false),
    }
}

/// Whether the ink of a one-box mark spans too little of the box to be read by its shape.
fn too_small(pts: &[(f32, f32)], half: (f32, f32)) -> bool {
    if pts.is_empty() {
        return true;
    }
    let (mut x0, mut x1, mut y0, mut y1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
    for p in pts {
        x0 = x0.min(p.0);
        x1 = x1.max(p.0);
        y0 = y0.min(p.1);
        y1 = y1.max(p.1);
    }
    let (w, h) = (x1 - x0, y1 - y0);
    w.max(h) < SMALL * 2.0 * half.1 || w.min(h) < 0.5 * SMALL * 2.0 * half.1
}

/// Whether a box's ink is a speck rather than a mark: all of it within a third of the box's
/// height, or one short stroke (it spreads across its own direction little: a dash, a dot
/// smeared by the scan).
fn speck(pts: &[(f32, f32)], half: (f32, f32)) -> bool {
    let n = pts.len().max(1) as f32;
    let (mx, my) = pts
        .iter()
        .fold((0.0, 0.0), |a, p| (a.0 + p.0 / n, a.1 + p.1 / n));
    let (sxx, syy, sxy) = pts.iter().fold((0.0, 0.0, 0.0), |a, p| {
        let (dx, dy) = (p.0 - mx, p.1 - my);
        (a.0 + dx * dx / n, a.1 + dy * dy / n, a.2 + dx * dy / n)
    });
    let (tr, det) = (sxx + syy, sxx * syy - sxy * sxy);
    let root = (tr * tr / 4.0 - det).max(0.0).sqrt();
    let (big, small) = (tr / 2.0 + root, (tr / 2.0 - root).max(0.0));
    // Length of the ink along its main direction (a uniform stroke of length L: L²/12).
    let length = (12.0 * big).sqrt();
    let height = 2.0 * half.1;
    length < 0.35 * height || (small / big.max(f32::EPSILON) < 0.15 && length < 0.8 * height)
}

/// Faint ink in the strips left and right of a one-box paper's box (mm²).
fn beside(img: &GrayImage, frame: &Frame, paper: &Paper, b: &Rect) -> f32 {
    beside_from(img, frame, paper, b, BESIDE.0)
}

/// Faint ink beside the box from `near` mm off its outline to [`BESIDE`]'s far end (mm²).
fn beside_from(img: &GrayImage, frame: &Frame, paper: &Paper, b: &Rect, near: f32) -> f32 {
    let far = BESIDE.1;
    let strip = |x: f32| Rect {
        x,
        y: b.y + 0.5,
        w: far - near,
        h: (b.h - 1.0).max(0.5),
    };
    faint(img, frame, paper, &strip(b.x - far)) + faint(img, frame, paper, &strip(b.x + b.w + near))
}

/// The band between two rectangles, `inner` inside `outer`, as four strips.
fn band(outer: &Rect, inner: &Rect) -> [Rect; 4] {
    let (ix1, iy1) = (inner.x + inner.w, inner.y + inner.h);
    let (ox1, oy1) = (outer.x + outer.w, outer.y + outer.h);
    [
        Rect {
            x: outer.x,
            y: outer.y,
            w: outer.w,
            h: inner.y - outer.y,
        },
        Rect {
            x: outer.x,
            y: iy1,
            w: outer.w,
            h: oy1 - iy1,
        },
        Rect {
            x: outer.x,
            y: inner.y,
            w: inner.x - outer.x,
            h: inner.h,
        },
        Rect {
            x: ix1,
            y: inner.y,
            w: ox1 - ix1,
            h: inner.h,
        },
    ]
}

/// How far (mm) the printed outline is kept out of the rim's measure, either side of it.
const OUTLINE: f32 = 0.75;
/// How far outside the box the rim reaches at most (mm).
const RIM_OUT: f32 = 1.8;
/// What is kept clear of the table's cell lines (mm): half a line and the registration's
/// error.
const CELL_LINE: f32 = 0.5;

/// How far outside its box the rim may reach, across and along the rows (mm): short of the
/// cell lines, which lie half way between two boxes (a one-box paper's cell is wider than
/// its box by as much as a columns paper's).
fn reach(sheet: &Sheet) -> (f32, f32) {
    let half_gap = |gap: f32| (gap / 2.0 - CELL_LINE).min(RIM_OUT);
    let b = sheet.boxes.first().and_then(|r| r.first());
    let across = match (b, sheet.boxes.first().and_then(|r| r.get(1))) {
        (Some(a), Some(n)) => half_gap(n.x - (a.x + a.w)),
        _ => RIM_OUT,
    };
    let along = match (b, sheet.boxes.get(1).and_then(|r| r.first())) {
        (Some(a), Some(n)) => half_gap(n.y - (a.y + a.h)),
        _ => RIM_OUT,
    };
    (across, along)
}

/// Faint ink on a box's outline (mm²): just inside it, between [`OUTLINE`] and the part
/// measured for ink, and just outside it as far as `reach` allows, the printed line itself
/// left out.
fn rim(img: &GrayImage, frame: &Frame, paper: &Paper, reach: (f32, f32), b: &Rect) -> f32 {
    let inner = band(&b.inset(OUTLINE), &b.inset(scan::INK_INSET));
    let within = inner
        .iter()
        .map(|r| faint(img, frame, paper, r))
        .sum::<f32>();
    let (across, along) = reach;
    let [top, bottom, left, right] = band(
        &Rect {
            x: b.x - across.max(OUTLINE),
            y: b.y - along.max(OUTLINE),
            w: b.w + 2.0 * across.max(OUTLINE),
            h: b.h + 2.0 * along.max(OUTLINE),
        },
        &b.inset(-OUTLINE),
    );
    let mut outside = Vec::new();
    if along > OUTLINE + 0.2 {
        outside.extend([top, bottom]);
    }
    if across > OUTLINE + 0.2 {
        outside.extend([left, right]);
    }
    within
        + outside
            .iter()
            .map(|r| faint(img, frame, paper, r))
            .sum::<f32>()
}
