//! A paper fed twice. Papers carry no number (§2.9), so a sheet the feeder jammed on and that
//! was fed again, or a scan saved twice, is told only by its marks: after registration, the ink
//! of a hand-drawn mark in its box is as individual as a fingerprint, and two deputies marking
//! the same choices never draw them stroke for stroke alike. Each sheet read keeps a print of
//! the ink in every box that has some; a new sheet whose print matches an earlier one is held
//! for a clerk as a possible second feed, and counted only if ruled another paper.
//!
//! A sheet with no ink in any box (a blank paper) has no print: two blank papers cannot be told
//! from one blank paper fed twice, and only the count against 收回 catches that.

use image::GrayImage;

use super::layout::{Rect, Sheet};
use super::scan::{Frame, sample};

/// Size of a print's cells, in mm: fine enough to follow a pen's stroke, coarse enough that
/// the scanner's own wobble stays inside a cell.
const CELL: f32 = 0.5;
/// The box's printed outline and the scanner's registration are kept out of the print.
const INSET: f32 = 0.6;
/// A box whose mean ink (0–1 over its cells) is below this has no mark to tell anything by.
const INKED: f32 = 0.012;
/// Ink this faint in a box on one scan only weighs nothing against two sheets being one paper:
/// it is the end of a stroke that crosses into the sampled area on one registration and not on
/// the other (a ✓'s arm reaching the next row's box, a mark beside the box), not a mark that
/// one sheet has and the other lacks. Measured on the independent corpus: such boxes hold
/// 0.02–0.03; a pen's mark 0.04 and more.
const FAINT: f32 = 0.03;
/// A box inked over more than this much of its area (a box filled in, a marker's blot) weighs
/// no more than one so inked: its hatching is fine structure that JPEG and blur change from
/// scan to scan (the same filled box scanned twice correlates 0.6–0.75), and it must not
/// outweigh the strokes of the other boxes. Measured on the independent corpus's evaluation.
const HEAVY: f32 = 0.25;
/// Two sheets are one paper when their marks match this well (mean correlation over the boxes
/// inked in either). Measured at 300 papers a layout (docs/benchmarks.md): a paper re-fed
/// through another rotation, scale, offset, JPEG and noise scores 0.86–0.97 on the independent
/// corpus's marks; papers marked alike by different hands 0.71 and less there (the crate's own
/// generator's up to 0.87, kept apart by the first look).
pub const SAME_PAPER: f32 = 0.86;

/// The ink of one box: `nx` × `ny` cells, each 0–15, row by row.
#[derive(Debug, Clone, PartialEq)]
struct BoxPrint {
    row: usize,
    choice: usize,
    nx: usize,
    ny: usize,
    cells: Vec<u8>,
    /// Where the ink lies (centroid in cells) and how far it spreads: a quick first look
    /// before the full comparison.
    cx: f32,
    cy: f32,
    spread: f32,
    mass: f32,
    /// The cells smoothed over their neighbours (made once: compared many times).
    smooth: Vec<f32>,
}

/// One box of [`Print::explain`]: row, choice, ink on each print, and where both have ink the
/// correlation and the differences of centroid (x, y) and spread in cells.
pub type BoxMatch = (usize, usize, f32, f32, Option<(f32, [f32; 3])>);

/// The print of one sheet: every box with ink in it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Print {
    boxes: Vec<BoxPrint>,
}

fn cells_of(img: &GrayImage, frame: &Frame, b: &Rect) -> (usize, usize, Vec<u8>) {
    let inner = b.inset(INSET);
    let nx = ((inner.w / CELL).round() as usize).max(1);
    let ny = ((inner.h / CELL).round() as usize).max(1);
    let (cw, ch) = (inner.w / nx as f32, inner.h / ny as f32);
    let span = (frame.paper - frame.black).max(1.0);
    let mut cells = Vec::with_capacity(nx * ny);
    for j in 0..ny {
        for i in 0..nx {
            let mut sum = 0.0;
            for (sx, sy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                let (px, py) = frame.map(
                    inner.x + (i as f32 + sx) * cw,
                    inner.y + (j as f32 + sy) * ch,
                );
                sum += ((frame.paper - sample(img, px, py)) / span).clamp(0.0, 1.0);
            }
            cells.push((sum / 4.0 * 15.0).round() as u8);
        }
    }
    (nx, ny, cells)
}

impl BoxPrint {
    fn new(row: usize, choice: usize, nx: usize, ny: usize, cells: Vec<u8>) -> Option<BoxPrint> {
        let total: f32 = cells.iter().map(|&c| f32::from(c)).sum();
        let mass = total / (15.0 * cells.len().max(1) as f32);
        if mass < INKED {
            return None;
        }
        let (mut sx, mut sy) = (0.0, 0.0);
        for (k, &c) in cells.iter().enumerate() {
            sx += (k % nx) as f32 * f32::from(c);
            sy += (k / nx) as f32 * f32::from(c);
        }
        let (cx, cy) = (sx / total, sy / total);
        let mut var = 0.0;
        for (k, &c) in cells.iter().enumerate() {
            let (dx, dy) = ((k % nx) as f32 - cx, (k / nx) as f32 - cy);
            var += (dx * dx + dy * dy) * f32::from(c);
        }
        let mut b = BoxPrint {
            row,
            choice,
            nx,
            ny,
            cells,
            cx,
            cy,
            spread: (var / total).sqrt(),
            mass,
            smooth: Vec::new(),
        };
        b.smooth = b.smoothed();
        Some(b)
    }

    /// The cells smoothed over their neighbours, so that a stroke lying across two cells in one
    /// scan and within one in the other still lines up.
    fn smoothed(&self) -> Vec<f32> {
        let (nx, ny) = (self.nx as i32, self.ny as i32);
        let mut out = vec![0.0f32; self.cells.len()];
        for y in 0..ny {
            for x in 0..nx {
                let mut s = 0.0;
                for (dx, dy, w) in [
                    (0, 0, 4.0),
                    (-1, 0, 2.0),
                    (1, 0, 2.0),
                    (0, -1, 2.0),
                    (0, 1, 2.0),
                    (-1, -1, 1.0),
                    (1, -1, 1.0),
                    (-1, 1, 1.0),
                    (1, 1, 1.0),
                ] {
                    let (xx, yy) = (x + dx, y + dy);
                    if (0..nx).contains(&xx) && (0..ny).contains(&yy) {
                        s += w * f32::from(self.cells[(yy * nx + xx) as usize]);
                    }
                }
                out[(y * nx + x) as usize] = s / 16.0;
            }
        }
        out
    }
}

/// The print of a located sheet.
pub fn print_of(img: &GrayImage, frame: &Frame, sheet: &Sheet) -> Print {
    let mut boxes = Vec::new();
    for (r, row) in sheet.boxes.iter().enumerate() {
        for (c, b) in row.iter().enumerate() {
            let (nx, ny, cells) = cells_of(img, frame, b);
            boxes.extend(BoxPrint::new(r, c, nx, ny, cells));
        }
    }
    Print { boxes }
}

impl Print {
    /// Whether there is any ink to tell the sheet by.
    pub fn is_empty(&self) -> bool {
        self.boxes.is_empty()
    }

    /// `row.choice.nx.ny:cells` per box, cells as hex digits, boxes joined by `;`.
    pub fn encode(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.boxes
            .iter()
            .map(|b| {
                let cells: String = b
                    .cells
                    .iter()
                    .map(|&c| HEX[usize::from(c.min(15))] as char)
                    .collect();
                format!("{}.{}.{}.{}:{cells}", b.row, b.choice, b.nx, b.ny)
            })
            .collect::<Vec<_>>()
            .join(";")
    }

    /// The print [`encode`](Print::encode) wrote; None for anything else.
    pub fn decode(s: &str) -> Option<Print> {
        let mut boxes = Vec::new();
        for part in s.split(';').filter(|p| !p.is_empty()) {
            let (head, cells) = part.split_once(':')?;
            let nums: Vec<usize> = head
                .split('.')
                .map(|n| n.parse().ok())
                .collect::<Option<_>>()?;
            let [row, choice, nx, ny] = nums.as_slice() else {
                return None;
            };
            if *nx == 0 || *ny == 0 || nx * ny != cells.len() || nx * ny > 4096 {
                return None;
            }
            let cells: Vec<u8> = cells
                .chars()
                .map(|c| c.to_digit(16).map(|d| d as u8))
                .collect::<Option<_>>()?;
            // A box without ink is not written; one read back as such adds nothing.
            if let Some(b) = BoxPrint::new(*row, *choice, *nx, *ny, cells) {
                boxes.push(b);
            }
        }
        Some(Print { boxes })
    }

    /// The boxes of two prints side by side, by row and choice (both are in that order).
    fn paired<'a>(&'a self, other: &'a Print) -> Vec<(Option<&'a BoxPrint>, Option<&'a BoxPrint>)> {
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < self.boxes.len() || j < other.boxes.len() {
            let a = self.boxes.get(i);
            let b = other.boxes.get(j);
            match (a, b) {
                (Some(x), Some(y)) if (x.row, x.choice) == (y.row, y.choice) => {
                    out.push((a, b));
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if (x.row, x.choice) < (y.row, y.choice) => {
                    out.push((a, None));
                    i += 1;
                }
                (Some(_), None) => {
                    out.push((a, None));
                    i += 1;
                }
                _ => {
                    out.push((None, b));
                    j += 1;
                }
            }
        }
        out
    }

    /// A quick look before the full comparison: one paper's marks lie in the same boxes, in the
    /// same places, with the same spread. Two papers marked alike by different hands already
    /// differ here, almost always.
    ///
    /// The two scans' registrations may differ by a cell or so over the whole sheet (each
    /// frame is found on its own scan): that common shift (the weighted median over the boxes)
    /// is taken out, and the marks' places are judged by the weighted median box, since a mark
    /// running over its box's edge moves in and out of the sampled area with the registration
    /// and its centroid with it.
    fn close(&self, other: &Print) -> bool {
        let pairs = self.paired(other);
        let (mut weight, mut missing) = (0.0f32, 0.0f32);
        let mut both = Vec::new();
        for pair in &pairs {
            match *pair {
                (Some(a), Some(b)) => {
                    // the marks' places weigh by their whole ink
                    let w = a.mass.max(b.mass);
                    weight += w;
                    if a.nx != b.nx || a.ny != b.ny {
                        missing += w;
                    } else {
                        both.push((a, b, w));
                    }
                }
                (Some(a), None) | (None, Some(a)) => {
                    weight += one_sided(a);
                    missing += one_sided(a);
                }
                (None, None) => {}
            }
        }
        if weight <= 0.0 || both.is_empty() || missing / weight > 1.0 - SAME_PAPER {
            return false;
        }
        // A common shift needs boxes enough to be common (with one or two it would explain
        // away the marks' own places), and stays within a millimetre.
        let shift = if both.len() >= 3 {
            (
                weighted_median(both.iter().map(|(a, b, w)| (a.cx - b.cx, *w))).clamp(-2.0, 2.0),
                weighted_median(both.iter().map(|(a, b, w)| (a.cy - b.cy, *w))).clamp(-2.0, 2.0),
            )
        } else {
            (0.0, 0.0)
        };
        let off = weighted_median(both.iter().map(|(a, b, w)| (offset(a, b, shift), *w)));
        off <= 1.0
    }

    /// How alike the marks of two sheets are, 0 to 1: the mean over the boxes inked on either,
    /// weighed by their ink (up to [`HEAVY`]), of the best correlation of their ink within a
    /// cell's shift (a box inked on one only scores 0, weighed by its ink above [`FAINT`]). Two
    /// sheets with no ink at all score 0: nothing says they are one paper.
    pub fn likeness(&self, other: &Print) -> f32 {
        let (mut total, mut weight) = (0.0f32, 0.0f32);
        for pair in self.paired(other) {
            match pair {
                (Some(a), Some(b)) => {
                    let w = weight_of(a, b);
                    weight += w;
                    if a.nx == b.nx && a.ny == b.ny {
                        total += w * correlation(a, b);
                    }
                }
                (Some(a), None) | (None, Some(a)) => weight += one_sided(a),
                (None, None) => {}
            }
        }
        if weight <= 0.0 { 0.0 } else { total / weight }
    }

    /// Box by box, what [`likeness`](Print::likeness) and the first look weighed: (row,
    /// choice, ink on this print, ink on the other, correlation and the differences of the
    /// ink's centroid (x, y) and spread in cells, or None when inked on one only). For a
    /// test's or a clerk's question "why were these two (not) taken for one paper?".
    pub fn explain(&self, other: &Print) -> Vec<BoxMatch> {
        self.paired(other)
            .into_iter()
            .filter_map(|pair| match pair {
                (Some(a), Some(b)) => Some((
                    a.row,
                    a.choice,
                    a.mass,
                    b.mass,
                    (a.nx == b.nx && a.ny == b.ny).then(|| {
                        let d = [a.cx - b.cx, a.cy - b.cy, a.spread - b.spread];
                        (correlation(a, b), d)
                    }),
                )),
                (Some(a), None) => Some((a.row, a.choice, a.mass, 0.0, None)),
                (None, Some(b)) => Some((b.row, b.choice, 0.0, b.mass, None)),
                (None, None) => None,
            })
            .collect()
    }

    /// Whether the two sheets look like one paper fed twice.
    pub fn same_paper(&self, other: &Print) -> bool {
        self.close(other) && self.likeness(other) >= SAME_PAPER
    }
}

/// What a box inked on both prints weighs: its ink, up to [`HEAVY`].
fn weight_of(a: &BoxPrint, b: &BoxPrint) -> f32 {
    a.mass.max(b.mass).min(HEAVY)
}

/// The value below which half the weight lies.
fn weighted_median(values: impl Iterator<Item = (f32, f32)>) -> f32 {
    let mut v: Vec<(f32, f32)> = values.collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = v.iter().map(|x| x.1).sum::<f32>() / 2.0;
    let mut acc = 0.0;
    for (x, w) in &v {
        acc += w;
        if acc >= half {
            return *x;
        }
    }
    v.last().map_or(0.0, |x| x.0)
}

/// How far apart two boxes' ink lies, in cells, once `shift` (the scans' common
/// misregistration, a's centroid less b's) is taken out: centroids and spread.
fn offset(a: &BoxPrint, b: &BoxPrint, shift: (f32, f32)) -> f32 {
    // the spread counts half: faint ink a blurred scan adds round a stroke widens it
    (a.cx - b.cx - shift.0).abs()
        + (a.cy - b.cy - shift.1).abs()
        + 0.5 * (a.spread - b.spread).abs()
}

/// What a box inked on one print only weighs against the two being one paper: its ink above
/// [`FAINT`].
fn one_sided(b: &BoxPrint) -> f32 {
    (b.mass - FAINT).max(0.0)
}

/// Normalised correlation of two boxes' smoothed ink, at the best shift of up to one cell.
fn correlation(a: &BoxPrint, b: &BoxPrint) -> f32 {
    let (sa, sb) = (&a.smooth, &b.smooth);
    let (nx, ny) = (a.nx as i32, a.ny as i32);
    let mut best = 0.0f32;
    for dy in -1..=1 {
        for dx in -1..=1 {
            let (mut n, mut ma, mut mb) = (0.0f32, 0.0f32, 0.0f32);
            let mut pairs = Vec::with_capacity(sa.len());
            for y in 0..ny {
                for x in 0..nx {
                    let (xx, yy) = (x + dx, y + dy);
                    let vb = if (0..nx).contains(&xx) && (0..ny).contains(&yy) {
                        sb[(yy * nx + xx) as usize]
                    } else {
                        0.0
                    };
                    let va = sa[(y * nx + x) as usize];
                    pairs.push((va, vb));
                    n += 1.0;
                    ma += va;
                    mb += vb;
                }
            }
            let (ma, mb) = (ma / n, mb / n);
            let (mut sab, mut saa, mut sbb) = (0.0f32, 0.0f32, 0.0f32);
            for (va, vb) in pairs {
                let (da, db) = (va - ma, vb - mb);
                sab += da * db;
                saa += da * da;
                sbb += db * db;
            }
            if saa > 0.0 && sbb > 0.0 {
                best = best.max(sab / (saa * sbb).sqrt());
            }
        }
    }
    best
}

/// The earlier sheet (by its serial) a new print matches best, if it matches as one paper.
pub fn twin_of<'a>(
    print: &Print,
    earlier: impl IntoIterator<Item = (&'a str, &'a Print)>,
) -> Option<&'a str> {
    if print.is_empty() {
        return None;
    }
    earlier
        .into_iter()
        .filter(|(_, p)| print.close(p))
        .map(|(s, p)| (s, print.likeness(p)))
        .filter(|(_, l)| *l >= SAME_PAPER)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(cells: &[(usize, usize, Vec<u8>)]) -> Print {
        Print {
            boxes: cells
                .iter()
                .filter_map(|(r, c, v)| BoxPrint::new(*r, *c, 4, 4, v.clone()))
                .collect(),
        }
    }

    #[test]
    fn a_print_reads_back_as_written() {
        let p = print(&[
            (
                0,
                1,
                vec![0, 15, 15, 0, 0, 15, 15, 0, 0, 0, 0, 0, 3, 0, 0, 0],
            ),
            (4, 0, vec![1; 16]),
        ]);
        let back = Print::decode(&p.encode()).unwrap();
        assert_eq!(back, p);
        assert!(Print::decode("0.1.4.4:zz").is_none());
        assert!(Print::decode("0.1.4.4:0000").is_none());
        assert_eq!(Print::decode("").unwrap(), Print::default());
    }

    #[test]
    fn marks_elsewhere_or_only_on_one_sheet_are_not_one_paper() {
        let ring = vec![0, 15, 15, 0, 15, 0, 0, 15, 15, 0, 0, 15, 0, 15, 15, 0];
        let a = print(&[(0, 0, ring.clone()), (1, 0, ring.clone())]);
        assert!(a.same_paper(&a.clone()));
        // The same ring in another box of the second row.
        let b = print(&[(0, 0, ring.clone()), (1, 2, ring.clone())]);
        assert!(!a.same_paper(&b));
        // Nothing to tell blank sheets by.
        assert!(!Print::default().same_paper(&Print::default()));
        assert_eq!(twin_of(&Print::default(), [("S0001", &a)]), None);
        assert_eq!(twin_of(&a, [("S0001", &b), ("S0002", &a)]), Some("S0002"));
    }

    /// The end of a stroke sampled on one registration and not the other (faint ink in a box
    /// on one scan only) does not part one paper's two scans; a mark on one only does.
    #[test]
    fn faint_ink_on_one_scan_only_does_not_part_a_paper_a_mark_does() {
        let ring = vec![0, 15, 15, 0, 15, 0, 0, 15, 15, 0, 0, 15, 0, 15, 15, 0];
        let mut speck = vec![0; 16];
        speck[3] = 7; // 7 / 240 ≈ 0.029 of the box: inked, faint
        let a = print(&[(0, 0, ring.clone()), (2, 1, ring.clone())]);
        // six rows with a stroke's end in their box on this scan only (each alone would
        // have passed before; together they parted the paper from itself)
        let mut cells = vec![(0, 0, ring.clone()), (2, 1, ring.clone())];
        cells.extend((3..9).map(|r| (r, 0, speck.clone())));
        let with_speck = print(&cells);
        assert_eq!(
            with_speck.boxes.len(),
            8,
            "the faint boxes are in the print"
        );
        assert!(a.same_paper(&with_speck) && with_speck.same_paper(&a));
        let with_mark = print(&[(0, 0, ring.clone()), (1, 0, ring.clone()), (2, 1, ring)]);
        assert!(!a.same_paper(&with_mark) && !with_mark.same_paper(&a));
    }
}
