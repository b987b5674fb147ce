//! A one-box mark seen whole, read by its form: a ring closes round an empty middle, a × is
//! two strokes that cross, four arms running straight out from where they meet. The mark is
//! looked at over the box and the cell around it, with the printed lines bridged where a
//! stroke crosses them: a ring drawn as large as the box runs over its outline, and the part
//! outside still closes it. What is neither (a tick, a circle crossed through, a ring with a
//! × in it, two pieces) is for a clerk.
//!
//! Where the rest of the reader measures how much ink lies where, this asks how the ink is
//! connected: a tick has no hole and never four arms, so it cannot pass for either.

use std::collections::VecDeque;
use std::f32::consts::{PI, TAU};

use image::GrayImage;

use super::layout::{Rect, Sheet};
use super::scan::{Frame, INK_LEVEL, sample};

/// How far the area looked at reaches beside the box (mm): past a ring that overhangs it,
/// well inside the choice's cell.
pub(crate) const SIDE: f32 = 4.0;
/// Beyond its half width a printed line is looked for this much further either side (mm):
/// the scan's blur and the registration's error.
const SLACK: f32 = 0.3;
/// Ink in pieces smaller than this (mm²) is dust or a speck.
const SPECK: f32 = 0.3;
/// An enclosed gap in the ink smaller than this (mm²) is not a hole (where thick strokes
/// meet they leave one).
const PINHOLE: f32 = 0.5;

/// What a mark is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Ring,
    Cross,
    Other,
}

/// Ink on a grid of `step` mm.
#[derive(Debug, Clone)]
pub(crate) struct Bits {
    pub nx: usize,
    pub ny: usize,
    pub step: f32,
    pub ink: Vec<bool>,
    /// Samples on a printed line's band (empty: none): ink there is inferred, not seen.
    pub band: Vec<bool>,
}

impl Bits {
    fn at(&self, i: i64, j: i64) -> bool {
        i >= 0
            && j >= 0
            && (i as usize) < self.nx
            && (j as usize) < self.ny
            && self.ink[j as usize * self.nx + i as usize]
    }

    fn mm2(&self, n: usize) -> f32 {
        n as f32 * self.step * self.step
    }
}

/// One printed line crossing the area: horizontal or vertical, at `pos` (mm), from `from` to
/// `to` along it, `width` wide.
struct Line {
    horizontal: bool,
    pos: f32,
    from: f32,
    to: f32,
    width: f32,
}

impl Line {
    /// Half the band kept for the line: half its width and the slack.
    fn reach(&self) -> f32 {
        self.width / 2.0 + SLACK
    }
}

fn lines_in(sheet: &Sheet, area: &Rect) -> Vec<Line> {
    let mut out = Vec::new();
    for (r, width) in &sheet.strokes {
        let (x1, y1) = (r.x + r.w, r.y + r.h);
        for (horizontal, pos, from, to) in [
            (true, r.y, r.x, x1),
            (true, y1, r.x, x1),
            (false, r.x, r.y, y1),
            (false, x1, r.y, y1),
        ] {
            let reach = width / 2.0 + SLACK;
            let (lo, hi, a0, a1) = if horizontal {
                (area.y, area.y + area.h, area.x, area.x + area.w)
            } else {
                (area.x, area.x + area.w, area.y, area.y + area.h)
            };
            if pos + reach < lo || pos - reach > hi || to < a0 || from > a1 {
                continue;
            }
            out.push(Line {
                horizontal,
                pos,
                from,
                to,
                width: *width,
            });
        }
    }
    out
}

/// The area looked at for box `b`: the box, [`SIDE`] beside it, and across the cell lines
/// above and below it to a little short of the next row's box.
pub(crate) fn area(sheet: &Sheet, b: &Rect) -> Rect {
    let gap = match (sheet.boxes.first(), sheet.boxes.get(1)) {
        (Some(a), Some(n)) if !a.is_empty() && !n.is_empty() => n[0].y - (a[0].y + a[0].h),
        _ => 2.0,
    };
    let along = (gap / 2.0 + 0.4).min(gap - 0.6).max(0.3);
    Rect {
        x: b.x - SIDE,
        y: b.y - along,
        w: b.w + 2.0 * SIDE,
        h: b.h + 2.0 * along,
    }
}

/// The ink over `area` with the printed lines in it taken out: where a stroke crosses a line
/// (dark right across the line's band) or runs along it (the dark band notably wider than
/// the line alone) the band counts as ink, elsewhere as paper. Each line is first found where
/// it is (a scan's stretch moves it a little from where the frame puts it). `None` when a
/// line is not found clean (the ink along its band spills out of it): read by the other
/// tests only.
pub(crate) fn look(img: &GrayImage, frame: &Frame, sheet: &Sheet, area: &Rect) -> Option<Bits> {
    let step = (1.0 / frame.scale()).clamp(0.1, 0.2);
    let g = Grid::new(area, step);
    let span = (frame.paper - frame.black).max(1.0);
    let mut dark = Vec::with_capacity(g.nx * g.ny);
    for j in 0..g.ny {
        for i in 0..g.nx {
            let (px, py) = frame.map(g.x(i), g.y(j));
            dark.push((frame.paper - sample(img, px, py)) / span > INK_LEVEL);
        }
    }
    let mut lines = lines_in(sheet, area);
    for l in &mut lines {
        l.pos = g.find(&dark, l);
    }
    let mut band = vec![false; g.nx * g.ny];
    let mut stroke = vec![false; g.nx * g.ny];
    for (n, l) in lines.iter().enumerate() {
        let across = g.across(l);
        let (Some(&first), Some(&last)) = (across.first(), across.last()) else {
            continue;
        };
        let (mut seen, mut spilled) = (0usize, 0usize);
        let mut columns: Vec<Column> = Vec::new();
        for k in g.along(l) {
            let cells: Vec<usize> = across.iter().map(|&a| g.index(l, a, k)).collect();
            for &c in &cells {
                band[c] = true;
            }
            // Where another line crosses this one the band is dark right across by print.
            let at = g.along_mm(l, k);
            let crossing = lines.iter().enumerate().any(|(m, o)| {
                m != n
                    && o.horizontal != l.horizontal
                    && (at - o.pos).abs() <= o.reach() + step
                    && (l.pos >= o.from - o.reach() && l.pos <= o.to + o.reach())
            });
            if crossing {
                continue;
            }
            seen += 1;
            // Just outside the band on either side: a line found where it is leaves nothing.
            let outside = [
                first.checked_sub(1),
                Some(last + 1).filter(|&a| a < g.n_across(l)),
            ];
            if outside.iter().flatten().any(|&a| dark[g.index(l, a, k)]) {
                spilled += 1;
            }
            let lit: Vec<usize> = (0..cells.len()).filter(|&i| dark[cells[i]]).collect();
            columns.push(Column {
                k,
                span: lit.first().zip(lit.last()).map(|(a, b)| (*a, *b)),
                through: lit.len() == cells.len(),
                cells,
            });
        }
        if seen >= 10 && spilled * 2 > seen {
            return None;
        }
        let kept = stroked(&columns, step);
        // A line that reads as stroked along most of it is not seen clean (a heavy blur, a
        // mark traced along it): what it encloses cannot be told.
        if columns.len() >= 10 && kept.len() * 2 > columns.len() {
            return None;
        }
        for c in kept {
            for &i in &columns[c].cells {
                stroke[i] = true;
            }
        }
    }
    // In a band: ink where a stroke was seen across or along the line, else the line alone.
    let ink: Vec<bool> = (0..dark.len())
        .map(|i| if band[i] { stroke[i] } else { dark[i] })
        .collect();
    let mut bits = Bits {
        nx: g.nx,
        ny: g.ny,
        step,
        ink,
        band: band.clone(),
    };
    // A stroke seen only inside a band, touching no ink outside it, is the line's own unevenness
    // (a blurred scan widens it here and there): paper.
    let (_, inks) = pieces(&bits, true);
    for p in inks {
        if p.iter().all(|&c| band[c]) {
            for c in p {
                bits.ink[c] = false;
            }
        }
    }
    Some(bits)
}

/// How far from where the frame puts it a printed line is looked for (mm).
const FIND: f32 = 0.8;

/// One sample's worth across a line's band: where along the line, its samples (in order
/// across), the first and last of them dark, whether all are.
struct Column {
    k: usize,
    cells: Vec<usize>,
    span: Option<(usize, usize)>,
    through: bool,
}

/// Which of a line's band columns a pen stroke crosses or runs along: dark right across, or
/// dark further out than the line alone is (its usual extent, the median over the line) for
/// three samples running; short gaps between such stretches along the line are the stroke
/// lying exactly on the line there.
fn stroked(columns: &[Column], step: f32) -> Vec<usize> {
    let med = |f: &dyn Fn(&(usize, usize)) -> usize| {
        let mut v: Vec<usize> = columns
            .iter()
            .filter_map(|c| c.span.as_ref().map(f))
            .collect();
        v.sort_unstable();
        v.get(v.len() / 2).copied()
    };
    let (Some(lo), Some(hi)) = (med(&|s| s.0), med(&|s| s.1)) else {
        return Vec::new();
    };
    let wide: Vec<bool> = columns
        .iter()
        .map(|c| c.through || c.span.is_some_and(|(a, b)| a < lo || b > hi))
        .collect();
    // Three running (adjacent along the line), or right across.
    let mut keep = vec![false; columns.len()];
    for i in 0..columns.len() {
        if columns[i].through {
            keep[i] = true;
        }
        if i + 2 < columns.len()
            && wide[i..=i + 2].iter().all(|&w| w)
            && columns[i + 2].k == columns[i].k + 2
        {
            keep[i..=i + 2].iter_mut().for_each(|v| *v = true);
        }
    }
    // Bridge gaps of up to a millimetre between kept stretches.
    let gap = (1.0 / step).round() as usize;
    let kept: Vec<usize> = (0..columns.len()).filter(|&i| keep[i]).collect();
    for w in kept.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b > a + 1 && columns[b].k - columns[a].k <= gap + 1 {
            keep[a..b].iter_mut().for_each(|v| *v = true);
        }
    }
    (0..columns.len()).filter(|&i| keep[i]).collect()
}

/// The sampling grid over the area looked at.
struct Grid {
    x0: f32,
    y0: f32,
    step: f32,
    nx: usize,
    ny: usize,
}

impl Grid {
    fn new(area: &Rect, step: f32) -> Grid {
        Grid {
            x0: area.x,
            y0: area.y,
            step,
            nx: ((area.w / step) as usize).max(1),
            ny: ((area.h / step) as usize).max(1),
        }
    }

    fn x(&self, i: usize) -> f32 {
        self.x0 + (i as f32 + 0.5) * self.step
    }

    fn y(&self, j: usize) -> f32 {
        self.y0 + (j as f32 + 0.5) * self.step
    }

    fn n_across(&self, l: &Line) -> usize {
        if l.horizontal { self.ny } else { self.nx }
    }

    fn across_mm(&self, l: &Line, a: usize) -> f32 {
        if l.horizontal { self.y(a) } else { self.x(a) }
    }

    fn along_mm(&self, l: &Line, k: usize) -> f32 {
        if l.horizontal { self.x(k) } else { self.y(k) }
    }

    fn index(&self, l: &Line, a: usize, k: usize) -> usize {
        if l.horizontal {
            a * self.nx + k
        } else {
            k * self.nx + a
        }
    }

    /// The samples along line `l`, within its extent.
    fn along(&self, l: &Line) -> Vec<usize> {
        let n = if l.horizontal { self.nx } else { self.ny };
        (0..n)
            .filter(|&k| {
                let c = self.along_mm(l, k);
                c >= l.from && c <= l.to
            })
            .collect()
    }

    /// The samples across line `l`'s band.
    fn across(&self, l: &Line) -> Vec<usize> {
        (0..self.n_across(l))
            .filter(|&a| (self.across_mm(l, a) - l.pos).abs() <= l.reach())
            .collect()
    }

    /// Where line `l` lies: the centre of the rows (or columns) near its place that are dark
    /// along most of it.
    fn find(&self, dark: &[bool], l: &Line) -> f32 {
        let along = self.along(l);
        if along.len() < 10 {
            return l.pos;
        }
        let counts: Vec<(f32, usize)> = (0..self.n_across(l))
            .map(|a| (self.across_mm(l, a), a))
            .filter(|(c, _)| (c - l.pos).abs() <= FIND)
            .map(|(c, a)| {
                let n = along.iter().filter(|&&k| dark[self.index(l, a, k)]).count();
                (c, n)
            })
            .collect();
        let most = counts.iter().map(|c| c.1).max().unwrap_or(0);
        // A printed line is dark along nearly all of it; a stroke beside it is not.
        if most * 2 < along.len() {
            return l.pos;
        }
        let lines: Vec<f32> = counts
            .iter()
            .filter(|c| c.1 * 10 >= most * 7)
            .map(|c| c.0)
            .collect();
        lines.iter().sum::<f32>() / lines.len() as f32
    }
}

/// Connected pieces of `want` samples (8-connected for ink, 4 for paper, so that a ring's
/// diagonal step does not let its middle out).
fn pieces(b: &Bits, want: bool) -> (Vec<u32>, Vec<Vec<usize>>) {
    let (nx, ny) = (b.nx, b.ny);
    let mut label = vec![u32::MAX; nx * ny];
    let mut out: Vec<Vec<usize>> = Vec::new();
    let near: &[(i64, i64)] = if want {
        &[
            (1, 0),
            (-1, 0),
            (0, 1),
            (0, -1),
            (1, 1),
            (1, -1),
            (-1, 1),
            (-1, -1),
        ]
    } else {
        &[(1, 0), (-1, 0), (0, 1), (0, -1)]
    };
    for s in 0..nx * ny {
        if b.ink[s] != want || label[s] != u32::MAX {
            continue;
        }
        let id = out.len() as u32;
        let mut members = vec![s];
        label[s] = id;
        let mut queue = VecDeque::from([s]);
        while let Some(c) = queue.pop_front() {
            let (i, j) = ((c % nx) as i64, (c / nx) as i64);
            for (di, dj) in near {
                let (x, y) = (i + di, j + dj);
                if x < 0 || y < 0 || x >= nx as i64 || y >= ny as i64 {
                    continue;
                }
                let n = y as usize * nx + x as usize;
                if b.ink[n] == want && label[n] == u32::MAX {
                    label[n] = id;
                    members.push(n);
                    queue.push_back(n);
                }
            }
        }
        out.push(members);
    }
    (label, out)
}

/// Bounding box of samples: (i0, j0, i1, j1).
fn bounds(b: &Bits, cells: &[usize]) -> (usize, usize, usize, usize) {
    cells.iter().fold((usize::MAX, usize::MAX, 0, 0), |a, &c| {
        let (i, j) = (c % b.nx, c / b.nx);
        (a.0.min(i), a.1.min(j), a.2.max(i), a.3.max(j))
    })
}

/// What the ink in `b` is.
pub(crate) fn form(b: &Bits) -> Form {
    let (_, inks) = pieces(b, true);
    let total: usize = inks.iter().map(Vec::len).sum();
    let Some(main) = inks.iter().max_by_key(|p| p.len()) else {
        return Form::Other;
    };
    let stray: usize = inks
        .iter()
        .filter(|p| p.len() < main.len() && b.mm2(p.len()) >= SPECK)
        .map(Vec::len)
        .sum();
    let specks = total - main.len() - stray;
    // One piece of ink and nothing else worth the name: a second stroke apart from the first,
    // or ink scattered about, is not a plain ○ or ×.
    if stray > 0 || b.mm2(specks) > 2.0 * SPECK {
        return Form::Other;
    }
    let frame = bounds(b, main);
    // A ring as drawn, or left open a little where the pen lifted: closed when the ink is
    // widened by a third or two thirds of a millimetre (a tick or a cross encloses nothing
    // however widened; a sliver between two strokes is not round).
    for grow in [0.0, 0.3, 0.6] {
        let w = if grow > 0.0 {
            widen(b, grow)
        } else {
            b.clone()
        };
        let m = if grow > 0.0 {
            let (_, p) = pieces(&w, true);
            p.into_iter().max_by_key(Vec::len).unwrap_or_default()
        } else {
            main.clone()
        };
        let holes = holes(&w, bounds(&w, &m));
        if !holes.is_empty() {
            return if ring(&w, &holes, bounds(&w, &m), grow) {
                Form::Ring
            } else {
                Form::Other
            };
        }
    }
    if arms(b, main, frame) {
        Form::Cross
    } else if arc(b, main) {
        Form::Ring
    } else {
        Form::Other
    }
}

/// A ring left open (a "C" or a ring whose pen lifted early): all its ink on one ellipse,
/// within the pen's width, round at least three quarters of the way, nothing in the middle.
/// A tick or a cross lies on no ellipse; a "U" is open too wide.
fn arc(b: &Bits, main: &[usize]) -> bool {
    // Ink inferred on a printed line's band is left out: the stroke there is where the line is.
    let pts: Vec<(f64, f64)> = main
        .iter()
        .filter(|&&c| !b.band.get(c).copied().unwrap_or(false))
        .map(|&c| {
            (
                (c % b.nx) as f64 * b.step as f64,
                (c / b.nx) as f64 * b.step as f64,
            )
        })
        .collect();
    if pts.len() < 20 {
        return false;
    }
    let n = pts.len() as f64;
    let (mx, my) = pts
        .iter()
        .fold((0.0, 0.0), |a, p| (a.0 + p.0 / n, a.1 + p.1 / n));
    // The conic A x² + B xy + C y² + D x + E y = 1 nearest the ink (least squares), about the
    // ink's mean.
    let mut m = [[0f64; 6]; 5];
    for &(x, y) in &pts {
        let (x, y) = (x - mx, y - my);
        let v = [x * x, x * y, y * y, x, y];
        for r in 0..5 {
            for c in 0..5 {
                m[r][c] += v[r] * v[c];
            }
            m[r][5] += v[r];
        }
    }
    let Some([a, bb, c, d, e]) = solve(m) else {
        return false;
    };
    // An ellipse: its centre, and the quadratic form about it scaled to 1 on the curve.
    let det = 4.0 * a * c - bb * bb;
    if det <= 0.0 {
        return false;
    }
    let (x0, y0) = ((bb * e - 2.0 * c * d) / det, (bb * d - 2.0 * a * e) / det);
    let k = 1.0 - (a * x0 * x0 + bb * x0 * y0 + c * y0 * y0 + d * x0 + e * y0);
    if k <= 0.0 {
        return false;
    }
    let (qa, qb, qc) = (a / k, bb / k, c / k);
    // Semi-axes from the form's eigenvalues.
    let (tr, dt) = (qa + qc, qa * qc - qb * qb / 4.0);
    let root = (tr * tr / 4.0 - dt).max(0.0).sqrt();
    let (l1, l2) = (tr / 2.0 + root, tr / 2.0 - root);
    if l2 <= 0.0 {
        return false;
    }
    let (major, minor) = (1.0 / l2.sqrt(), 1.0 / l1.sqrt());
    if minor < 1.5 || major > 3.0 * minor {
        return false;
    }
    let width = 2.0 * main.len() as f64 * (b.step as f64).powi(2)
        / (edge_len(b, main) as f64 * b.step as f64).max(f64::EPSILON);
    // A thick stroke fits any ellipse loosely: only a pen line well thinner than the ring.
    if width > 0.4 * minor {
        return false;
    }
    let slack = 0.15 + 0.5 * width / minor;
    let mut bins = [false; 36];
    let mut off = 0usize;
    // The mean radius in each twelfth of the turn: a hand-drawn ring stays on its ellipse
    // all the way round (within 12 % on the independent corpus), a tick's corner sticks out
    // of the ellipse its two arms fit (23 % on the ✓ that seed 7 read as a ring).
    let (mut sum, mut cnt) = ([0f64; 12], [0usize; 12]);
    for &(x, y) in &pts {
        let (dx, dy) = (x - mx - x0, y - my - y0);
        let rho = (qa * dx * dx + qb * dx * dy + qc * dy * dy).sqrt();
        if (rho - 1.0).abs() > slack {
            off += 1;
        }
        let t = (dy.atan2(dx) + std::f64::consts::PI) / std::f64::consts::TAU;
        bins[((t * 36.0) as usize).min(35)] = true;
        let k = ((t * 12.0) as usize).min(11);
        sum[k] += rho;
        cnt[k] += 1;
    }
    let corner = (0..12)
        .filter(|&k| cnt[k] >= 3)
        .map(|k| (sum[k] / cnt[k] as f64 - 1.0).abs())
        .fold(0.0, f64::max);
    // The widest stretch of directions with no ink, going round.
    let (mut gap, mut run) = (0, 0);
    for k in 0..72 {
        if bins[k % 36] {
            run = 0;
        } else {
            run += 1;
            gap = gap.max(run.min(36));
        }
    }
    (off as f64) <= 0.05 * n && gap <= 10 && corner <= 0.16
}

/// Samples of `main` on its edge (an ink sample with paper beside it).
fn edge_len(b: &Bits, main: &[usize]) -> usize {
    main.iter()
        .filter(|&&c| {
            let (i, j) = ((c % b.nx) as i64, (c / b.nx) as i64);
            !(b.at(i + 1, j) && b.at(i - 1, j) && b.at(i, j + 1) && b.at(i, j - 1))
        })
        .count()
        .max(1)
}

/// Solve the 5 × 5 system `m` (its right-hand side in the last column), or `None` if singular.
fn solve(mut m: [[f64; 6]; 5]) -> Option<[f64; 5]> {
    for col in 0..5 {
        let pivot = (col..5).max_by(|&r, &s| m[r][col].abs().total_cmp(&m[s][col].abs()))?;
        if m[pivot][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        for r in 0..5 {
            if r != col {
                let f = m[r][col] / m[col][col];
                let lead = m[col];
                for (v, l) in m[r].iter_mut().zip(lead).skip(col) {
                    *v -= f * l;
                }
            }
        }
    }
    Some([0, 1, 2, 3, 4].map(|r| m[r][5] / m[r][r]))
}

/// `b` with every ink sample widened to a disc of radius `r` mm.
fn widen(b: &Bits, r: f32) -> Bits {
    let k = (r / b.step).round() as i64;
    let mut out = b.clone();
    for j in 0..b.ny as i64 {
        for i in 0..b.nx as i64 {
            if !b.ink[j as usize * b.nx + i as usize] {
                continue;
            }
            for dj in -k..=k {
                for di in -k..=k {
                    let (x, y) = (i + di, j + dj);
                    if di * di + dj * dj <= k * k
                        && x >= 0
                        && y >= 0
                        && (x as usize) < b.nx
                        && (y as usize) < b.ny
                    {
                        out.ink[y as usize * b.nx + x as usize] = true;
                    }
                }
            }
        }
    }
    out
}

/// A hole: its samples and their bounding box.
type Hole = (usize, (usize, usize, usize, usize));

/// The paper enclosed by ink, largest first, leaving out pinholes (where thick strokes cross
/// they leave one: smaller than [`PINHOLE`] or than a fifth of the mark both ways).
fn holes(b: &Bits, (i0, j0, i1, j1): (usize, usize, usize, usize)) -> Vec<Hole> {
    let (mw, mh) = ((i1 - i0 + 1) as f32, (j1 - j0 + 1) as f32);
    let (label, papers) = pieces(b, false);
    let mut outer = vec![false; papers.len()];
    let mut edge = |i: usize, j: usize| {
        let l = label[j * b.nx + i];
        if l != u32::MAX {
            outer[l as usize] = true;
        }
    };
    for i in 0..b.nx {
        edge(i, 0);
        edge(i, b.ny - 1);
    }
    for j in 0..b.ny {
        edge(0, j);
        edge(b.nx - 1, j);
    }
    let mut out: Vec<Hole> = papers
        .iter()
        .enumerate()
        .filter(|(k, _)| !outer[*k])
        .map(|(_, p)| (p.len(), bounds(b, p)))
        .filter(|&(n, (h0, k0, h1, k1))| {
            b.mm2(n) >= PINHOLE
                && ((h1 - h0 + 1) as f32 >= 0.2 * mw || (k1 - k0 + 1) as f32 >= 0.2 * mh)
        })
        .collect();
    out.sort_by_key(|h| std::cmp::Reverse(h.0));
    out
}

/// Whether the holes make a ring: one middle (the crescents where a loop drawn twice
/// overlaps itself are allowed beside it), across most of the mark both ways, round rather
/// than a sliver.
fn ring(
    b: &Bits,
    holes: &[Hole],
    (i0, j0, i1, j1): (usize, usize, usize, usize),
    grow: f32,
) -> bool {
    let (mw, mh) = ((i1 - i0 + 1) as f32, (j1 - j0 + 1) as f32);
    let all: usize = holes.iter().map(|h| h.0).sum();
    let (n, (h0, k0, h1, k1)) = holes[0];
    let (hw, hh) = ((h1 - h0 + 1) as f32, (k1 - k0 + 1) as f32);
    n as f32 >= 0.8 * all as f32
        && b.mm2(n) >= if grow > 0.0 { 1.5 } else { 2.5 }
        && hw >= 0.4 * mw - 2.0 * grow / b.step
        && hh >= 0.4 * mh - 2.0 * grow / b.step
        && n as f32 >= 0.6 * hw * hh
}

/// Whether from some point of the ink four arms run straight out, in two lines crossing at a
/// slant (a ×, not a +), at every distance from a fifth to seven tenths of the mark's reach.
fn arms(b: &Bits, main: &[usize], (i0, j0, i1, j1): (usize, usize, usize, usize)) -> bool {
    // Stroke width from the ink's area and its edge: a long stroke of width w has about 2/w
    // edge per unit of area.
    let edge = edge_len(b, main);
    let width = 2.0 * main.len() as f32 / edge as f32 * b.step;
    let (w, h) = ((i1 - i0 + 1) as f32 * b.step, (j1 - j0 + 1) as f32 * b.step);
    let reach = (w * w + h * h).sqrt() / 2.0;
    let (r0, r1) = ((0.2 * reach).max(width + 0.3), 0.5 * reach);
    if r1 - r0 < 0.12 * reach {
        return false;
    }
    let radii: Vec<f32> = (0..4).map(|k| r0 + (r1 - r0) * k as f32 / 3.0).collect();
    // Candidate centres: ink in the middle half of the mark, every 0.3 mm or so.
    let stride = ((0.3 / b.step).round() as usize).max(1);
    let (ci0, ci1) = (i0 + (i1 - i0) / 4, i1 - (i1 - i0) / 4);
    let (cj0, cj1) = (j0 + (j1 - j0) / 4, j1 - (j1 - j0) / 4);
    for j in (cj0..=cj1).step_by(stride) {
        for i in (ci0..=ci1).step_by(stride) {
            if b.at(i as i64, j as i64) && star(b, (i, j), &radii) {
                return true;
            }
        }
    }
    false
}

/// Directions (radians) of the runs of ink on a circle of `r` mm about sample `c`.
fn runs(b: &Bits, c: (usize, usize), r: f32) -> Option<Vec<f32>> {
    const N: usize = 96;
    let (cx, cy) = (c.0 as f32, c.1 as f32);
    let on: Vec<bool> = (0..N)
        .map(|k| {
            let a = k as f32 / N as f32 * TAU;
            let (x, y) = (cx + r / b.step * a.cos(), cy + r / b.step * a.sin());
            b.at(x.round() as i64, y.round() as i64)
        })
        .collect();
    let start = on.iter().position(|&v| !v)?;
    let mut out = Vec::new();
    let mut k = 0;
    while k < N {
        let s = (start + k) % N;
        if on[s] {
            let mut len = 0;
            while len < N && on[(s + len) % N] {
                len += 1;
            }
            // An arm crosses the circle as a short run; a run a sixth of the way round is
            // ink along the circle, not across it.
            if len > N / 6 {
                return None;
            }
            out.push((s as f32 + (len as f32 - 1.0) / 2.0) / N as f32 * TAU);
            k += len;
        } else {
            k += 1;
        }
    }
    Some(out)
}

fn apart(a: f32, b: f32) -> f32 {
    let d = (a - b).rem_euclid(TAU);
    d.min(TAU - d)
}

fn star(b: &Bits, c: (usize, usize), radii: &[f32]) -> bool {
    let deg = PI / 180.0;
    let mut prev: Option<Vec<f32>> = None;
    for &r in radii {
        let Some(mut a) = runs(b, c, r) else {
            return false;
        };
        if a.len() != 4 {
            return false;
        }
        a.sort_by(f32::total_cmp);
        // Two straight strokes: the arms opposite each other in pairs.
        if (apart(a[0], a[2]) - PI).abs() > 35.0 * deg
            || (apart(a[1], a[3]) - PI).abs() > 35.0 * deg
        {
            return false;
        }
        // Arms run out from the centre: each keeps its direction from one circle to the next.
        if let Some(p) = &prev
            && !a
                .iter()
                .all(|x| p.iter().any(|y| apart(*x, *y) < 25.0 * deg))
        {
            return false;
        }
        // A slanted cross: each stroke at least 15° off the level and the upright; the two
        // strokes at least 35° apart.
        let line = |x: f32, y: f32| {
            let (s, c) = (
                (2.0 * x).sin() + (2.0 * y).sin(),
                (2.0 * x).cos() + (2.0 * y).cos(),
            );
            (s.atan2(c) / 2.0).rem_euclid(PI)
        };
        let (l1, l2) = (line(a[0], a[2]), line(a[1], a[3]));
        let off = |l: f32| {
            let m = l.rem_euclid(PI / 2.0);
            m.min(PI / 2.0 - m)
        };
        if off(l1) < 15.0 * deg || off(l2) < 15.0 * deg {
            return false;
        }
        let between = (l1 - l2).abs().min(PI - (l1 - l2).abs());
        if between < 35.0 * deg {
            return false;
        }
        prev = Some(a);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A blank grid of `w` × `h` mm at 0.1 mm.
    fn grid(w: f32, h: f32) -> Bits {
        let step = 0.1;
        let (nx, ny) = ((w / step) as usize, (h / step) as usize);
        Bits {
            nx,
            ny,
            step,
            ink: vec![false; nx * ny],
            band: Vec::new(),
        }
    }

    /// Ink a stroke `width` mm wide along the polyline `pts` (mm).
    fn stroke(b: &mut Bits, pts: &[(f32, f32)], width: f32) {
        for w in pts.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            let len = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
            let n = (len / 0.03).ceil() as usize + 1;
            for k in 0..=n {
                let t = k as f32 / n as f32;
                let (cx, cy) = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
                let r = width / 2.0;
                let (i0, i1) = (((cx - r) / b.step) as i64, ((cx + r) / b.step) as i64 + 1);
                let (j0, j1) = (((cy - r) / b.step) as i64, ((cy + r) / b.step) as i64 + 1);
                for j in j0..=j1 {
                    for i in i0..=i1 {
                        let (x, y) = ((i as f32 + 0.5) * b.step, (j as f32 + 0.5) * b.step);
                        if (x - cx).powi(2) + (y - cy).powi(2) <= r * r
                            && i >= 0
                            && j >= 0
                            && (i as usize) < b.nx
                            && (j as usize) < b.ny
                        {
                            b.ink[j as usize * b.nx + i as usize] = true;
                        }
                    }
                }
            }
        }
    }

    fn ellipse(c: (f32, f32), r: (f32, f32), from: f32, to: f32) -> Vec<(f32, f32)> {
        (0..=200)
            .map(|k| {
                let a = from + (to - from) * k as f32 / 200.0;
                (c.0 + r.0 * a.cos(), c.1 + r.1 * a.sin())
            })
            .collect()
    }

    fn ring_of(gap: f32, width: f32) -> Bits {
        let mut b = grid(22.0, 13.0);
        stroke(
            &mut b,
            &ellipse((11.0, 6.5), (5.0, 4.0), gap / 2.0, TAU - gap / 2.0),
            width,
        );
        b
    }

    #[test]
    fn a_ring_left_open_a_little_is_a_ring_a_u_is_not() {
        for width in [0.3, 0.6] {
            assert_eq!(form(&ring_of(0.0, width)), Form::Ring, "closed, {width}");
            // a pen lifted a millimetre early
            assert_eq!(form(&ring_of(0.25, width)), Form::Ring, "gap 1 mm, {width}");
            // a quarter of the way round left open
            assert_eq!(form(&ring_of(TAU / 4.0, width)), Form::Ring, "C, {width}");
            // half of it: a U, a bracket, not a ring
            assert_eq!(form(&ring_of(TAU / 2.0, width)), Form::Other, "U, {width}");
        }
        // a loop drawn twice, the second round a little off the first
        let mut twice = ring_of(0.0, 0.5);
        stroke(&mut twice, &ellipse((11.4, 6.2), (4.8, 4.1), 0.0, TAU), 0.5);
        assert_eq!(form(&twice), Form::Ring);
    }

    #[test]
    fn a_ring_crossed_through_or_with_a_cross_in_it_is_neither() {
        let mut through = ring_of(0.0, 0.5);
        stroke(&mut through, &[(5.0, 10.0), (17.0, 3.0)], 0.5);
        assert_eq!(form(&through), Form::Other);
        let mut crossed = ring_of(0.0, 0.5);
        stroke(&mut crossed, &[(8.0, 4.0), (14.0, 9.0)], 0.5);
        stroke(&mut crossed, &[(14.0, 4.0), (8.0, 9.0)], 0.5);
        assert_eq!(form(&crossed), Form::Other);
        // a ring and, apart from it, a cross
        let mut two = grid(22.0, 13.0);
        stroke(&mut two, &ellipse((6.0, 6.5), (3.0, 3.0), 0.0, TAU), 0.5);
        stroke(&mut two, &[(13.0, 4.0), (18.0, 9.0)], 0.5);
        stroke(&mut two, &[(18.0, 4.0), (13.0, 9.0)], 0.5);
        assert_eq!(form(&two), Form::Other);
    }

    #[test]
    fn a_plus_and_ticks_of_any_pen_are_never_a_ring_or_a_cross() {
        let mut plus = grid(22.0, 13.0);
        stroke(&mut plus, &[(6.0, 6.5), (16.0, 6.5)], 0.5);
        stroke(&mut plus, &[(11.0, 2.0), (11.0, 11.0)], 0.5);
        assert_eq!(form(&plus), Form::Other);
        for width in [0.3, 0.6, 1.2, 2.0] {
            for (a, v, c) in [
                ((7.0, 6.0), (9.5, 10.0), (16.0, 2.0)),
                ((6.0, 5.0), (10.0, 11.0), (13.0, 1.5)),
                ((8.0, 7.5), (9.0, 10.5), (17.0, 3.0)),
            ] {
                let mut tick = grid(22.0, 13.0);
                // a tick's arms curve a little, as a hand draws them
                let mid = ((v.0 + c.0) / 2.0 + 0.6, (v.1 + c.1) / 2.0 + 0.4);
                stroke(&mut tick, &[a, v, mid, c], width);
                assert_eq!(form(&tick), Form::Other, "tick {a:?} {v:?} {c:?}, {width}");
            }
        }
    }

    #[test]
    fn a_cross_with_arms_of_unequal_length_is_a_cross() {
        let mut cross = grid(22.0, 13.0);
        // the second stroke crosses the first a third of the way along it
        stroke(&mut cross, &[(6.0, 2.0), (16.0, 11.0)], 0.5);
        stroke(&mut cross, &[(13.5, 3.0), (7.0, 10.5)], 0.5);
        assert_eq!(form(&cross), Form::Cross);
    }

    #[test]
    fn a_ring_and_a_cross_are_told_apart_from_a_tick() {
        let mut ring = grid(22.0, 13.0);
        stroke(
            &mut ring,
            &ellipse((11.0, 6.5), (5.0, 4.0), 0.0, TAU + 0.3),
            0.5,
        );
        assert_eq!(form(&ring), Form::Ring);
        let mut cross = grid(22.0, 13.0);
        stroke(&mut cross, &[(7.0, 2.5), (15.0, 10.5)], 0.5);
        stroke(&mut cross, &[(15.5, 3.0), (6.5, 10.0)], 0.5);
        assert_eq!(form(&cross), Form::Cross);
        let mut tick = grid(22.0, 13.0);
        stroke(&mut tick, &[(7.0, 6.0), (9.5, 10.0), (16.0, 2.0)], 0.5);
        assert_eq!(form(&tick), Form::Other);
    }
}
