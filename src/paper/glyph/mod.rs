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

mod cross;
mod grid;
mod look;
mod ring;
#[cfg(test)]
mod tests;

pub(crate) use look::{area, look};

/// How far the area looked at reaches beside the box (mm): past a ring that overhangs it,
/// well inside the choice's cell.
pub(crate) const SIDE: f32 = 4.0;
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
            ring::widen(b, grow)
        } else {
            b.clone()
        };
        let m = if grow > 0.0 {
            let (_, p) = pieces(&w, true);
            p.into_iter().max_by_key(Vec::len).unwrap_or_default()
        } else {
            main.clone()
        };
        let holes = ring::holes(&w, bounds(&w, &m));
        if !holes.is_empty() {
            return if ring::ring(&w, &holes, bounds(&w, &m), grow) {
                Form::Ring
            } else {
                Form::Other
            };
        }
    }
    if cross::arms(b, main, frame) {
        Form::Cross
    } else if ring::arc(b, main) {
        Form::Ring
    } else {
        Form::Other
    }
}
