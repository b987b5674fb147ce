//! A ×: four arms running straight out from where two slanted strokes cross.

use std::f32::consts::{PI, TAU};

use super::Bits;
use super::ring::edge_len;

/// Whether from some point of the ink four arms run straight out, in two lines crossing at a
/// slant (a ×, not a +), at every distance from a fifth to seven tenths of the mark's reach.
pub(super) fn arms(
    b: &Bits,
    main: &[usize],
    (i0, j0, i1, j1): (usize, usize, usize, usize),
) -> bool {
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
