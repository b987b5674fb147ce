//! The sampling grid over the area looked at, and where on it a printed line lies.

use super::look::Line;
use crate::paper::layout::Rect;

/// How far from where the frame puts it a printed line is looked for (mm).
pub(super) const FIND: f32 = 0.8;

/// One sample's worth across a line's band: where along the line, its samples (in order
/// across), the first and last of them dark, whether all are.
pub(super) struct Column {
    pub(super) k: usize,
    pub(super) cells: Vec<usize>,
    pub(super) span: Option<(usize, usize)>,
    pub(super) through: bool,
}

/// Which of a line's band columns a pen stroke crosses or runs along: dark right across, or
/// dark further out than the line alone is (its extent: `limits`, else the median over the line) for
/// three samples running; short gaps between such stretches along the line are the stroke
/// lying exactly on the line there.
pub(super) fn stroked(columns: &[Column], step: f32, limits: Option<(usize, usize)>) -> Vec<usize> {
    let med = |f: &dyn Fn(&(usize, usize)) -> usize| {
        let mut v: Vec<usize> = columns
            .iter()
            .filter_map(|c| c.span.as_ref().map(f))
            .collect();
        v.sort_unstable();
        v.get(v.len() / 2).copied()
    };
    // The line's extent where measured elsewhere, else the median over this stretch of it
    // (which a stroke along most of it would widen).
    let (lo, hi) = match limits {
        Some(l) => l,
        None => match (med(&|s| s.0), med(&|s| s.1)) {
            (Some(lo), Some(hi)) => (lo, hi),
            _ => return Vec::new(),
        },
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
pub(super) struct Grid {
    x0: f32,
    y0: f32,
    pub(super) step: f32,
    pub(super) nx: usize,
    pub(super) ny: usize,
}

impl Grid {
    pub(super) fn new(area: &Rect, step: f32) -> Grid {
        Grid {
            x0: area.x,
            y0: area.y,
            step,
            nx: ((area.w / step) as usize).max(1),
            ny: ((area.h / step) as usize).max(1),
        }
    }

    pub(super) fn x(&self, i: usize) -> f32 {
        self.x0 + (i as f32 + 0.5) * self.step
    }

    pub(super) fn y(&self, j: usize) -> f32 {
        self.y0 + (j as f32 + 0.5) * self.step
    }

    pub(super) fn n_across(&self, l: &Line) -> usize {
        if l.horizontal { self.ny } else { self.nx }
    }

    pub(super) fn across_mm(&self, l: &Line, a: usize) -> f32 {
        if l.horizontal { self.y(a) } else { self.x(a) }
    }

    pub(super) fn along_mm(&self, l: &Line, k: usize) -> f32 {
        if l.horizontal { self.x(k) } else { self.y(k) }
    }

    pub(super) fn index(&self, l: &Line, a: usize, k: usize) -> usize {
        if l.horizontal {
            a * self.nx + k
        } else {
            k * self.nx + a
        }
    }

    /// The samples along line `l`, within its extent.
    pub(super) fn along(&self, l: &Line) -> Vec<usize> {
        let n = if l.horizontal { self.nx } else { self.ny };
        (0..n)
            .filter(|&k| {
                let c = self.along_mm(l, k);
                c >= l.from && c <= l.to
            })
            .collect()
    }

    /// The samples across line `l`'s band.
    pub(super) fn across(&self, l: &Line) -> Vec<usize> {
        (0..self.n_across(l))
            .filter(|&a| (self.across_mm(l, a) - l.pos).abs() <= l.reach())
            .collect()
    }

    /// Where line `l` lies: the centre of the run of rows (or columns) nearest its place that are dark
    /// along most of it.
    pub(super) fn find(&self, dark: &[bool], l: &Line) -> f32 {
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
        // The run of such rows nearest where the line should be: another printed line may lie
        // within reach (a one-box paper's box is a millimetre from its cell's line), and the
        // two averaged would put the band between them.
        let dark_row: Vec<bool> = counts.iter().map(|c| c.1 * 10 >= most * 7).collect();
        let mut best: Option<(f32, f32)> = None;
        let mut k = 0;
        while k < counts.len() {
            if !dark_row[k] {
                k += 1;
                continue;
            }
            let start = k;
            while k < counts.len()
                && dark_row[k]
                && (k == start || counts[k].0 - counts[k - 1].0 < 1.5 * self.step)
            {
                k += 1;
            }
            let run = &counts[start..k];
            let centre = run.iter().map(|c| c.0).sum::<f32>() / run.len() as f32;
            if best.is_none_or(|(_, d)| (centre - l.pos).abs() < d) {
                best = Some((centre, (centre - l.pos).abs()));
            }
        }
        best.map_or(l.pos, |(c, _)| c)
    }
}
