//! Taking the printed lines out of the ink around a one-box mark: each line found where the
//! scan put it, its band kept as ink only where a stroke crosses or runs along it.

use image::GrayImage;

use super::grid::{Column, FIND, Grid, stroked};
use super::{Bits, SIDE, pieces};
use crate::paper::layout::{Rect, Sheet};
use crate::paper::scan::{Frame, INK_LEVEL, sample};

/// Beyond its half width a printed line is looked for this much further either side (mm):
/// the scan's blur and the registration's error.
const SLACK: f32 = 0.3;

/// One printed line crossing the area: horizontal or vertical, at `pos` (mm), from `from` to
/// `to` along it, `width` wide.
pub(super) struct Line {
    pub(super) horizontal: bool,
    pub(super) pos: f32,
    pub(super) from: f32,
    pub(super) to: f32,
    pub(super) width: f32,
}

impl Line {
    /// Half the band kept for the line: half its width and the slack.
    pub(super) fn reach(&self) -> f32 {
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
/// the line alone usually is here, or, where a stroke covers most of it, than its printed
/// width and this scan's spread) the band counts as ink, elsewhere as paper. Each line is
/// first found where it is (a scan's stretch moves it a little from where the frame puts it;
/// a line a millimetre away is another line). `None` when a line is not found clean (not
/// dark in its band, dark right across it, or, with no spread to go by, ink along most of
/// it): read by the other tests only.
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
    let spread = printed_spread(img, frame, sheet, area, step);
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
            // A cell on another printed line's band is that line's, not a spill of this one.
            let theirs = |a: usize| {
                let c = g.across_mm(l, a);
                lines.iter().enumerate().any(|(m, o)| {
                    m != n
                        && o.horizontal == l.horizontal
                        && (c - o.pos).abs() <= o.reach()
                        && at >= o.from - o.reach()
                        && at <= o.to + o.reach()
                })
            };
            if outside
                .iter()
                .flatten()
                .any(|&a| dark[g.index(l, a, k)] && !theirs(a))
            {
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
        // Dark beside the band along most of the line: with the lines' spread measured
        // elsewhere on the sheet and the line found in its band, a stroke along it (seen as
        // such below); else the line may not be where it was looked for.
        let present = columns.iter().filter(|c| c.span.is_some()).count();
        if seen >= 10 && spilled * 2 > seen && (spread.is_none() || present * 10 < seen * 7) {
            return None;
        }
        // The band's samples the line alone darkens: its printed width (a box's outline is
        // printed heavier than the cell's lines) and what this scan adds to every line.
        let limits = spread.and_then(|d| {
            let off: Vec<f32> = across.iter().map(|&a| g.across_mm(l, a) - l.pos).collect();
            let lim = (l.width + d) / 2.0 + (0.75 * step).max(0.15);
            let lo = off.iter().position(|&o| o >= -lim)?;
            let hi = off.iter().rposition(|&o| o <= lim)?;
            Some((lo, hi))
        });
        // The line's extent is the median over this stretch of it, unless a stroke runs
        // beside it or along most of it (the median is then the stroke's): then its printed
        // width and the scan's spread, or, without those, the line is not seen clean (a heavy
        // blur, a mark traced along it) and what it encloses cannot be told.
        let mut kept = stroked(&columns, step, None);
        let along_most = columns.len() >= 10 && kept.len() * 2 > columns.len();
        if along_most || (seen >= 10 && spilled * 2 > seen) {
            // Dark right across along most of it: the line shows wider than its band (a heavy
            // blur, a dark threshold), and taken as ink it would close any mark touching it.
            let through = columns.iter().filter(|c| c.through).count();
            if limits.is_none() || through * 2 > columns.len() {
                return None;
            }
            kept = stroked(&columns, step, limits);
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

/// How much wider (mm) than printed a line shows dark on this scan (blur, ink spread, the
/// threshold; negative when thinner), measured on the cell lines that run across the table
/// from 25 to 5 mm left of `area` (the candidates' names: nobody marks there): the median of
/// the dark run through each sample along them, less the line's printed width. `None`
/// without such a stretch, or when the line is not found dark at nine samples in ten there.
fn printed_spread(
    img: &GrayImage,
    frame: &Frame,
    sheet: &Sheet,
    area: &Rect,
    step: f32,
) -> Option<f32> {
    let span = (frame.paper - frame.black).max(1.0);
    let (x0, x1) = (area.x - 25.0, area.x - 5.0);
    let reach = (FIND / step).ceil() as i64;
    let mut widths = Vec::new();
    let mut tried = 0usize;
    let left = Rect {
        x: x0,
        w: x1 - x0,
        ..*area
    };
    let lines = lines_in(sheet, &left);
    for l in lines
        .iter()
        .filter(|l| l.horizontal && l.from <= x0 && l.to >= x1)
    {
        let mut x = x0;
        while x <= x1 {
            tried += 1;
            let dark = |k: i64| {
                let (px, py) = frame.map(x, l.pos + k as f32 * step);
                (frame.paper - sample(img, px, py)) / span > INK_LEVEL
            };
            // The dark run through the sample nearest the line's place.
            if let Some(c) = (0..=reach).flat_map(|d| [d, -d]).find(|&k| dark(k)) {
                let (mut a, mut b) = (c, c);
                while a > -reach && dark(a - 1) {
                    a -= 1;
                }
                while b < reach && dark(b + 1) {
                    b += 1;
                }
                widths.push((b - a + 1) as f32 * step - l.width);
            }
            x += step;
        }
    }
    // A line is dark nearly everywhere along it.
    if tried < 20 || widths.len() * 10 < tried * 9 {
        return None;
    }
    widths.sort_by(f32::total_cmp);
    Some(widths[widths.len() / 2])
}
