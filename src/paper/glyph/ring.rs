//! A ring: a hole the ink closes round, or an open ring lying on one ellipse.

use super::{Bits, PINHOLE, bounds, pieces};

/// A ring left open (a "C" or a ring whose pen lifted early): all its ink on one ellipse,
/// within the pen's width, round at least three quarters of the way, nothing in the middle.
/// A tick or a cross lies on no ellipse; a "U" is open too wide.
pub(super) fn arc(b: &Bits, main: &[usize]) -> bool {
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
pub(super) fn edge_len(b: &Bits, main: &[usize]) -> usize {
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
pub(super) fn widen(b: &Bits, r: f32) -> Bits {
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
pub(super) fn holes(b: &Bits, (i0, j0, i1, j1): (usize, usize, usize, usize)) -> Vec<Hole> {
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
pub(super) fn ring(
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
