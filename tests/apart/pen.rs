//! Pen strokes as a hand makes them: each shape a polyline with tremor, wobble and pressure,
//! stroked with tiny-skia on a small layer and laid on the paper as ink (it darkens what is
//! under it, printed lines included).

use std::f32::consts::{PI, TAU};

use image::GrayImage;
use tiny_skia::{LineCap, LineJoin, Paint, PathBuilder, Pixmap, Stroke, Transform};

use super::blank::Rect;
use super::rng::Rng;

/// A pen: its width in pixels, its ink's colour, whether it is a pencil (grainy).
#[derive(Clone, Copy, Debug)]
pub struct Pen {
    pub width: f32,
    pub ink: [u8; 3],
    pub pencil: bool,
}

impl Pen {
    /// The grey a scanner in grey mode makes of the ink (Rec. 601 luma).
    pub fn luma(&self) -> f32 {
        let [r, g, b] = self.ink.map(f32::from);
        0.299 * r + 0.587 * g + 0.114 * b
    }

    /// A ballpoint or gel pen, 0.3–0.8 mm: black-ish (grey 0–70) or blue (grey 60–110).
    pub fn ordinary(rng: &mut Rng, mm: f32) -> Pen {
        Pen {
            width: rng.range(0.3, 0.8) * mm,
            ink: ink(rng),
            pencil: false,
        }
    }

    /// A felt marker, 1.2–2 mm.
    pub fn marker(rng: &mut Rng, mm: f32) -> Pen {
        Pen {
            width: rng.range(1.2, 2.0) * mm,
            ink: ink(rng),
            pencil: false,
        }
    }

    /// A pencil, 0.2–0.4 mm, grey 120–175.
    pub fn pencil(rng: &mut Rng, mm: f32) -> Pen {
        let g = rng.range(120.0, 175.0) as u8;
        Pen {
            width: rng.range(0.2, 0.4) * mm,
            ink: [g, g, g],
            pencil: true,
        }
    }
}

fn ink(rng: &mut Rng) -> [u8; 3] {
    if rng.chance(0.6) {
        let g = rng.range(0.0, 70.0);
        [g as u8, g as u8, (g + rng.range(0.0, 15.0)) as u8]
    } else {
        loop {
            let c = [
                rng.range(10.0, 60.0) as u8,
                rng.range(40.0, 110.0) as u8,
                rng.range(140.0, 235.0) as u8,
            ];
            let l = Pen {
                width: 0.0,
                ink: c,
                pencil: false,
            }
            .luma();
            if (60.0..=110.0).contains(&l) {
                return c;
            }
        }
    }
}

/// One stroke of the pen without lifting it: points and a width factor at each.
pub type Line = Vec<(f32, f32, f32)>;

/// Where and how big a symbol is: centre, extents (pixels), tilt (radians).
#[derive(Clone, Copy, Debug)]
pub struct Geo {
    pub cx: f32,
    pub cy: f32,
    pub w: f32,
    pub h: f32,
    pub rot: f32,
}

impl Geo {
    fn place(&self, x: f32, y: f32) -> (f32, f32) {
        let (s, c) = self.rot.sin_cos();
        (self.cx + x * c - y * s, self.cy + x * s + y * c)
    }
}

/// Slow wobble of the hand and a little tremor, `amp` pixels; pressure lighter at the ends.
fn hand(rng: &mut Rng, pts: Vec<(f32, f32)>, amp: f32, tremor: f32) -> Line {
    let n = pts.len().max(2) as f32 - 1.0;
    let (f1, f2) = (rng.range(0.5, 1.5), rng.range(1.5, 3.5));
    let (p1, p2, p3, p4) = (
        rng.range(0.0, TAU),
        rng.range(0.0, TAU),
        rng.range(0.0, TAU),
        rng.range(0.0, TAU),
    );
    let press = rng.range(0.1, 0.3);
    let (taper, pf, pp) = (
        rng.range(0.55, 0.85),
        rng.range(0.5, 2.0),
        rng.range(0.0, TAU),
    );
    pts.into_iter()
        .enumerate()
        .map(|(i, (x, y))| {
            let t = i as f32 / n;
            let dx = amp * (0.6 * (TAU * f1 * t + p1).sin() + 0.4 * (TAU * f2 * t + p2).sin());
            let dy = amp * (0.6 * (TAU * f1 * t + p3).sin() + 0.4 * (TAU * f2 * t + p4).sin());
            let ends = taper + (1.0 - taper) * (PI * t).sin().sqrt();
            let w = ends * (1.0 + press * (TAU * pf * t + pp).sin());
            (
                x + dx + tremor * rng.normal(),
                y + dy + tremor * rng.normal(),
                w,
            )
        })
        .collect()
}

/// A ring: ellipse of the geometry's extents, started anywhere, not quite closed or run past
/// its start, its radius drifting (the end lands inside or outside the start).
pub fn circle(rng: &mut Rng, g: Geo, mm: f32) -> Vec<Line> {
    let start = rng.range(0.0, TAU);
    let dir = if rng.chance(0.7) { -1.0 } else { 1.0 };
    let sweep = TAU * rng.range(0.85, 1.2);
    let drift = rng.signed(0.0, 0.14);
    let (a1, a2, q1, q2) = (
        rng.range(0.0, 0.05),
        rng.range(0.0, 0.04),
        rng.range(0.0, TAU),
        rng.range(0.0, TAU),
    );
    let n = ((g.w + g.h) * PI / 2.0 / (0.35 * mm)).clamp(20.0, 160.0) as usize;
    let pts = (0..=n)
        .map(|i| {
            let t = i as f32 / n as f32;
            let th = start + dir * sweep * t;
            let r =
                1.0 + drift * (t - 0.5) + a1 * (2.0 * th + q1).sin() + a2 * (3.0 * th + q2).sin();
            g.place(0.5 * g.w * r * th.cos(), 0.5 * g.h * r * th.sin())
        })
        .collect();
    let amp = 0.02 * g.h.max(g.w);
    vec![hand(rng, pts, amp, 0.03 * mm)]
}

/// A slightly bowed straight stroke from `a` to `b`.
fn bowed(rng: &mut Rng, a: (f32, f32), b: (f32, f32), mm: f32) -> Vec<(f32, f32)> {
    let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt().max(1.0);
    let bow = rng.signed(0.0, 0.06) * len;
    let (nx, ny) = (-(b.1 - a.1) / len, (b.0 - a.0) / len);
    let n = (len / (0.4 * mm)).clamp(6.0, 60.0) as usize;
    (0..=n)
        .map(|i| {
            let t = i as f32 / n as f32;
            let k = bow * 4.0 * t * (1.0 - t);
            (
                a.0 + (b.0 - a.0) * t + nx * k,
                a.1 + (b.1 - a.1) * t + ny * k,
            )
        })
        .collect()
}

/// A ×: two strokes, each tilted a little on its own and shifted, so they cross off centre.
pub fn cross(rng: &mut Rng, g: Geo, mm: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    for k in 0..2 {
        let (sx, sy) = if k == 0 { (-1.0, -1.0) } else { (1.0, -1.0) };
        let tilt = rng.signed(0.0, 0.1);
        let len = rng.range(0.85, 1.1);
        let (ox, oy) = (rng.signed(0.0, 0.12) * g.w, rng.signed(0.0, 0.12) * g.h);
        let (ex, ey) = (0.5 * g.w * sx * len, 0.5 * g.h * sy * len);
        let (s, c) = tilt.sin_cos();
        let (ex, ey) = (ex * c - ey * s, ex * s + ey * c);
        let a = g.place(ox + ex, oy + ey);
        let b = g.place(ox - ex, oy - ey);
        let pts = bowed(rng, a, b, mm);
        lines.push(hand(rng, pts, 0.015 * g.h, 0.03 * mm));
    }
    lines
}

/// A ✓: a short stroke down to the vertex, then a long one up to the right, mostly without
/// lifting the pen.
pub fn check(rng: &mut Rng, g: Geo, mm: f32) -> Vec<Line> {
    let s = g.place(
        -0.5 * g.w + rng.signed(0.0, 0.08) * g.w,
        rng.range(-0.15, 0.15) * g.h,
    );
    let v = g.place(rng.range(-0.25, 0.0) * g.w, 0.5 * g.h);
    let e = g.place(
        0.5 * g.w + rng.signed(0.0, 0.06) * g.w,
        -0.5 * g.h + rng.signed(0.0, 0.08) * g.h,
    );
    let short = bowed(rng, s, v, mm);
    let long = bowed(rng, v, e, mm);
    if rng.chance(0.8) {
        let mut pts = short;
        pts.extend(long.into_iter().skip(1));
        vec![hand(rng, pts, 0.015 * g.h, 0.03 * mm)]
    } else {
        vec![
            hand(rng, short, 0.015 * g.h, 0.03 * mm),
            hand(rng, long, 0.015 * g.h, 0.03 * mm),
        ]
    }
}

/// Back-and-forth strokes over `r`, `spacing` pixels apart, along or across it: a box
/// filled in, or a mark scribbled out.
pub fn hatch(rng: &mut Rng, r: Rect, spacing: f32, mm: f32) -> Vec<Line> {
    let across = rng.chance(0.5);
    let (len, depth) = if across {
        (r.h(), r.w())
    } else {
        (r.w(), r.h())
    };
    let spacing = spacing.max(1.0);
    // Each run ends `lean` further on than it began: the runs slant as a hand's zigzag does
    // (and cross one another when the lean is more than the spacing).
    let lean = spacing * rng.range(0.5, 3.0);
    let passes = ((depth + lean / 2.0) / spacing).ceil().max(1.0) as usize;
    let mut pts = Vec::new();
    for i in 0..=passes {
        let base = i as f32 * spacing;
        let jit = |rng: &mut Rng| rng.signed(0.0, 0.15) * spacing;
        let near = (base - lean / 2.0 + jit(rng)).clamp(0.0, depth);
        let far = (base + lean / 2.0 + jit(rng)).clamp(0.0, depth);
        let over = |rng: &mut Rng| rng.range(-0.08, 0.05) * len;
        let (a, b) = (over(rng), len - over(rng));
        for (t, d) in [(a, near), (b, far)] {
            pts.push(if across {
                (r.x0 + d, r.y0 + t)
            } else {
                (r.x0 + t, r.y0 + d)
            });
        }
    }
    // Alternate the direction of the runs: a-end to b-end, then back.
    for pair in pts.chunks_mut(2).skip(1).step_by(2) {
        pair.swap(0, 1);
    }
    // Straight runs between the turns, sampled so the hand's wobble bends them.
    let mut dense = Vec::new();
    for w in pts.windows(2) {
        dense.extend(bowed(rng, w[0], w[1], mm).into_iter().skip(1));
    }
    dense.insert(0, pts[0]);
    vec![hand(rng, dense, 0.01 * len, 0.03 * mm)]
}

/// A looping scribble along `r` (the other way of blotting out a mark).
pub fn loops(rng: &mut Rng, r: Rect, spacing: f32, mm: f32) -> Vec<Line> {
    let turns = (r.w() / spacing.max(1.0)).ceil().max(2.0) as usize;
    let n = turns * 16;
    let (rx, ry) = (spacing * rng.range(1.5, 3.0), r.h() / 2.0);
    let pts = (0..=n)
        .map(|i| {
            let t = i as f32 / n as f32;
            let th = TAU * turns as f32 * t;
            (
                r.x0 + rx + (r.w() - 2.0 * rx) * t + rx * th.cos(),
                r.cy() + ry * th.sin(),
            )
        })
        .collect();
    vec![hand(rng, pts, 0.02 * r.h(), 0.03 * mm)]
}

/// A dot (one point) or a short dash.
pub fn dash(x: f32, y: f32, len: f32, angle: f32) -> Vec<Line> {
    let (s, c) = angle.sin_cos();
    let h = len.max(0.5) / 2.0;
    vec![vec![
        (x - h * c, y - h * s, 1.0),
        (x + h * c, y + h * s, 1.0),
    ]]
}

/// The extent of some lines, pen width included.
pub fn extent(lines: &[Line], pen: &Pen) -> Rect {
    let m = pen.width;
    let mut r = Rect {
        x0: f32::MAX,
        y0: f32::MAX,
        x1: f32::MIN,
        y1: f32::MIN,
    };
    for &(x, y, _) in lines.iter().flatten() {
        r = r.union(&Rect {
            x0: x - m,
            y0: y - m,
            x1: x + m,
            y1: y + m,
        });
    }
    r
}

/// Lay the lines on the page in the pen's ink. Returns the pixels inked (coverage over a
/// half) and how many of them stay darker than 128 grey on white paper: a mark a fax-like
/// scanner mode would erase.
pub fn draw(page: &mut GrayImage, lines: &[Line], pen: &Pen, rng: &mut Rng) -> (usize, usize) {
    let r = extent(lines, pen).grow(3.0);
    let (ox, oy) = (r.x0.floor(), r.y0.floor());
    let (lw, lh) = ((r.x1 - ox).ceil() as u32 + 1, (r.y1 - oy).ceil() as u32 + 1);
    let Some(mut layer) = Pixmap::new(lw, lh) else {
        return (0, 0);
    };
    let mut paint = Paint::default();
    paint.set_color_rgba8(pen.ink[0], pen.ink[1], pen.ink[2], 255);
    paint.anti_alias = true;
    for line in lines {
        let segs: Vec<_> = if line.len() == 1 {
            vec![(line[0], (line[0].0 + 0.3, line[0].1, line[0].2))]
        } else {
            line.windows(2).map(|w| (w[0], w[1])).collect()
        };
        for (a, b) in segs {
            let mut pb = PathBuilder::new();
            pb.move_to(a.0 - ox, a.1 - oy);
            pb.line_to(b.0 - ox, b.1 - oy);
            let Some(path) = pb.finish() else { continue };
            let stroke = Stroke {
                width: (pen.width * (a.2 + b.2) / 2.0).max(0.5),
                line_cap: LineCap::Round,
                line_join: LineJoin::Round,
                ..Stroke::default()
            };
            layer.stroke_path(&path, &paint, &stroke, Transform::identity(), None);
        }
    }
    let k = 1.0 - pen.luma() / 255.0;
    // A pencil's graphite lies on the paper's grain: its cover breaks up pixel by pixel.
    let body = if pen.pencil { rng.range(0.9, 1.0) } else { 1.0 };
    let (mut inked, mut dark) = (0, 0);
    let (pw, ph) = (page.width() as i64, page.height() as i64);
    for y in 0..lh {
        for x in 0..lw {
            let a = layer.pixel(x, y).map_or(0, |p| p.alpha());
            if a == 0 {
                continue;
            }
            let (px, py) = (x as i64 + ox as i64, y as i64 + oy as i64);
            if px < 0 || py < 0 || px >= pw || py >= ph {
                continue;
            }
            let mut a = f32::from(a) / 255.0 * body;
            if pen.pencil {
                a *= rng.range(0.7, 1.0);
            }
            if a > 0.5 {
                inked += 1;
                if 255.0 * (1.0 - a * k) < 128.0 {
                    dark += 1;
                }
            }
            let p = page.get_pixel_mut(px as u32, py as u32);
            p.0[0] = (f32::from(p.0[0]) * (1.0 - a * k)).round() as u8;
        }
    }
    (inked, dark)
}
