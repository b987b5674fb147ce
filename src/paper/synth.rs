//! Made-up scans for rehearsals, tests and the accuracy corpus: a sheet drawn from the real
//! layout, marked by hand-like strokes in chosen styles, then put through what a scanner and
//! a voter's pen do to it (rotation, scale, offset, upside down, noise, blur, JPEG).
//!
//! The generator remembers what it drew: accuracy is counted against that, never against what
//! the reader says.

use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Stroke, Transform};

use super::layout::{PAGE_H, PAGE_W, Rect, Sheet};
use super::raster;
use super::spec::{PaperKind, PaperSpec, Row};

/// A small deterministic generator (SplitMix64): the corpus is the same on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn f(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    pub fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.f()
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f32 {
        let u = self.f().max(1e-7);
        let v = self.f();
        (-2.0 * u.ln()).sqrt() * (std::f32::consts::TAU * v).cos()
    }
}

/// How a voter marks a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Circle,
    Cross,
    Tick,
    Filled,
    /// A thin, light circle.
    FaintPencil,
    /// A thick felt-tip circle.
    Marker,
    /// A cross whose strokes run well out of the box.
    LeavesBox,
    /// One straight stroke: half a cross, or a line through the box (not a mark the rules name;
    /// drawn only to check that it goes to a clerk).
    Slash,
    /// An upright cross, +: not the × the paper asks for (drawn only to check that it goes to a
    /// clerk).
    Plus,
}

pub const STYLES: [Style; 7] = [
    Style::Circle,
    Style::Cross,
    Style::Tick,
    Style::Filled,
    Style::FaintPencil,
    Style::Marker,
    Style::LeavesBox,
];

/// Something drawn on a row besides its choice (the choice is what counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    None,
    /// A pen dot in one of the other boxes.
    StrayDot,
    /// A mark scribbled out in another box beside the real one.
    ScribbledOut,
}

/// What a scanner does to the sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distortion {
    pub dpi: f32,
    /// Degrees, clockwise.
    pub rotate: f32,
    /// mm.
    pub offset: (f32, f32),
    pub upside_down: bool,
    /// Standard deviation of the grey noise, in levels.
    pub noise: f32,
    /// Box-blur passes of radius 1 pixel.
    pub blur: u32,
    /// JPEG quality, or None for PNG.
    pub jpeg: Option<u8>,
}

impl Default for Distortion {
    fn default() -> Self {
        Distortion {
            dpi: 200.0,
            rotate: 0.0,
            offset: (0.0, 0.0),
            upside_down: false,
            noise: 0.0,
            blur: 0,
            jpeg: None,
        }
    }
}

/// One row's marking: the choice (box index, None for blank) and its style.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowMark {
    pub choice: Option<usize>,
    pub style: Style,
    pub extra: Extra,
}

/// The letter a row's marking means on a paper of `kind` (what the reader must find, or
/// send to a clerk). A scribbled-out mark stays with the real one: the intent is the choice.
pub fn intended(kind: &PaperKind, m: &RowMark) -> char {
    match (kind, m.choice) {
        (_, None) => 'A',
        (PaperKind::Approval { .. }, Some(_)) if kind.choices() == 1 => match m.style {
            Style::Cross | Style::LeavesBox => 'N',
            _ => 'Y',
        },
        (_, Some(c)) => kind.letter(c),
    }
}

fn pen(grey: u8) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(grey / 3, grey / 3, grey, 255);
    p.anti_alias = true;
    p
}

fn stroke(w: f32) -> Stroke {
    Stroke {
        width: w,
        line_cap: tiny_skia::LineCap::Round,
        line_join: tiny_skia::LineJoin::Round,
        ..Stroke::default()
    }
}

/// Draw `style` in box `b` through `t` (mm → pixels).
fn draw_mark(pix: &mut Pixmap, b: &Rect, style: Style, rng: &mut Rng, t: Transform) {
    let (cx, cy) = b.centre();
    let (cx, cy) = (cx + rng.range(-0.8, 0.8), cy + rng.range(-0.6, 0.6));
    let r = b.h.min(b.w) * rng.range(0.3, 0.42);
    let circle = |pb: &mut PathBuilder, rng: &mut Rng, r: f32| {
        let start = rng.range(0.0, std::f32::consts::TAU);
        let squash = rng.range(0.85, 1.15);
        let steps = 24;
        for i in 0..=steps + 2 {
            let a = start + i as f32 / steps as f32 * std::f32::consts::TAU;
            let rr = r * (1.0 + 0.05 * (a * 3.0).sin());
            let (x, y) = (cx + rr * a.cos() * squash, cy + rr * a.sin());
            if i == 0 {
                pb.move_to(x, y);
            } else {
                pb.line_to(x, y);
            }
        }
    };
    let mut pb = PathBuilder::new();
    let (paint, width) = match style {
        Style::Circle => {
            circle(&mut pb, rng, r);
            (pen(90), rng.range(0.4, 0.6))
        }
        Style::Marker => {
            circle(&mut pb, rng, r);
            (pen(60), rng.range(1.0, 1.4))
        }
        Style::FaintPencil => {
            circle(&mut pb, rng, r);
            let g = rng.range(140.0, 165.0) as u8;
            let mut p = Paint::default();
            p.set_color_rgba8(g, g, g, 255);
            p.anti_alias = true;
            (p, rng.range(0.3, 0.4))
        }
        Style::Cross | Style::LeavesBox => {
            let s = if style == Style::LeavesBox {
                r * rng.range(1.5, 1.9)
            } else {
                r * rng.range(0.8, 1.0)
            };
            let j = |rng: &mut Rng| rng.range(-0.4, 0.4);
            pb.move_to(cx - s + j(rng), cy - s * 0.8 + j(rng));
            pb.line_to(cx + s + j(rng), cy + s * 0.8 + j(rng));
            pb.move_to(cx + s + j(rng), cy - s * 0.8 + j(rng));
            pb.line_to(cx - s + j(rng), cy + s * 0.8 + j(rng));
            (pen(90), rng.range(0.4, 0.6))
        }
        Style::Plus => {
            pb.move_to(cx - r, cy);
            pb.line_to(cx + r, cy);
            pb.move_to(cx, cy - r);
            pb.line_to(cx, cy + r);
            (pen(90), rng.range(0.4, 0.6))
        }
        Style::Slash => {
            pb.move_to(cx - r, cy + r * 0.8);
            pb.line_to(cx + r, cy - r * 0.8);
            (pen(90), rng.range(0.4, 0.6))
        }
        Style::Tick => {
            pb.move_to(cx - r, cy);
            pb.line_to(cx - r * 0.2, cy + r * 0.8);
            pb.line_to(cx + r * 1.1, cy - r * 1.0);
            (pen(90), rng.range(0.4, 0.6))
        }
        Style::Filled => {
            let inner = b.inset(rng.range(0.3, 1.0));
            let mut y = inner.y;
            while y < inner.y + inner.h {
                pb.move_to(inner.x, y);
                pb.line_to(inner.x + inner.w, y + rng.range(-0.2, 0.2));
                y += 0.5;
            }
            (pen(70), 0.8)
        }
    };
    if let Some(p) = pb.finish() {
        pix.stroke_path(&p, &paint, &stroke(width), t, None);
    }
}

fn scribble(pix: &mut Pixmap, b: &Rect, rng: &mut Rng, t: Transform) {
    let inner = b.inset(0.6);
    let mut pb = PathBuilder::new();
    pb.move_to(inner.x, inner.y);
    let mut up = false;
    let mut x = inner.x;
    while x < inner.x + inner.w {
        x += rng.range(0.3, 0.6);
        pb.line_to(x, if up { inner.y } else { inner.y + inner.h });
        up = !up;
    }
    if let Some(p) = pb.finish() {
        pix.stroke_path(&p, &pen(60), &stroke(0.9), t, None);
    }
}

/// The sheet, marked as `rows` say and scanned as `d` says: the image file's bytes.
pub fn scan(sheet: &Sheet, rows: &[RowMark], d: &Distortion, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let margin = 3.0;
    let mut pix = raster::blank(d.dpi, margin);
    let s = d.dpi / 25.4;
    let (w, h) = (PAGE_W + 2.0 * margin, PAGE_H + 2.0 * margin);
    // Sheet mm → bed mm (offset, rotation about the bed's centre, upside down) → pixels.
    let angle = d.rotate + if d.upside_down { 180.0 } else { 0.0 };
    let t = Transform::from_scale(s, s)
        .pre_translate(w / 2.0 + d.offset.0, h / 2.0 + d.offset.1)
        .pre_rotate(angle)
        .pre_translate(-PAGE_W / 2.0, -PAGE_H / 2.0);
    raster::draw(sheet, &mut pix, t);
    for (row, m) in sheet.boxes.iter().zip(rows) {
        if let Some(c) = m.choice {
            draw_mark(&mut pix, &row[c], m.style, &mut rng, t);
        }
        let others: Vec<usize> = (0..row.len()).filter(|&i| Some(i) != m.choice).collect();
        if others.is_empty() {
            continue;
        }
        let other = others[rng.below(others.len())];
        match m.extra {
            Extra::None => {}
            Extra::StrayDot => {
                let b = row[other].inset(1.5);
                let (x, y) = (rng.range(b.x, b.x + b.w), rng.range(b.y, b.y + b.h));
                if let Some(p) = PathBuilder::from_circle(x, y, rng.range(0.2, 0.35)) {
                    pix.fill_path(&p, &pen(90), FillRule::Winding, t, None);
                }
            }
            Extra::ScribbledOut => {
                draw_mark(&mut pix, &row[other], Style::Circle, &mut rng, t);
                scribble(&mut pix, &row[other], &mut rng, t);
            }
        }
    }
    let mut grey = raster::to_grey(&pix);
    for _ in 0..d.blur {
        grey = image::imageops::blur(&grey, 0.8);
    }
    if d.noise > 0.0 {
        for p in grey.pixels_mut() {
            let v = f32::from(p.0[0]) + d.noise * rng.normal();
            p.0[0] = v.clamp(0.0, 255.0) as u8;
        }
    }
    let mut out = Vec::new();
    let res = match d.jpeg {
        Some(q) => {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, q).encode_image(&grey)
        }
        None => grey.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png),
    };
    res.expect("encoding an image in memory does not fail");
    out
}

/// A random marking of a row with `choices` boxes: mostly plain, some with stray dots or a
/// mark scribbled out beside the real one.
pub fn random_row(rng: &mut Rng, choices: usize, styles: &[Style]) -> RowMark {
    let choice = if rng.f() < 0.15 {
        None
    } else {
        Some(rng.below(choices))
    };
    let style = styles[rng.below(styles.len())];
    let x = rng.f();
    let extra = if choices > 1 && choice.is_some() && x < 0.01 {
        Extra::ScribbledOut
    } else if x < 0.03 {
        Extra::StrayDot
    } else {
        Extra::None
    };
    RowMark {
        choice,
        style,
        extra,
    }
}

/// The marking styles that fit a paper: ○ and × only where one box takes either.
pub fn styles_for(kind: &PaperKind) -> &'static [Style] {
    if kind.choices() == 1 {
        &[
            Style::Circle,
            Style::Cross,
            Style::FaintPencil,
            Style::Marker,
            Style::LeavesBox,
        ]
    } else {
        &STYLES
    }
}

/// A scanner's random handling of one sheet, within what the reader must take: rotation up
/// to ±5°, 150 to 300 dpi, offset, one sheet in ten upside down, noise, blur, JPEG at 50.
pub fn random_distortion(rng: &mut Rng) -> Distortion {
    Distortion {
        dpi: [150.0, 200.0, 300.0][rng.below(3)],
        rotate: rng.range(-5.0, 5.0),
        offset: (rng.range(-2.5, 2.5), rng.range(-2.5, 2.5)),
        upside_down: rng.f() < 0.1,
        noise: if rng.f() < 0.5 {
            rng.range(2.0, 8.0)
        } else {
            0.0
        },
        blur: u32::from(rng.f() < 0.3),
        jpeg: (rng.f() < 0.5).then_some(50),
    }
}

/// `n` random markings of a paper with `rows` rows, kept within the rule on 赞成 when
/// `places` is given (a paper over it is void, which a stack has few of).
pub fn random_marks(rng: &mut Rng, kind: &PaperKind, rows: usize) -> Vec<RowMark> {
    let styles = styles_for(kind);
    let mut v: Vec<RowMark> = (0..rows)
        .map(|_| random_row(rng, kind.choices(), styles))
        .collect();
    if let PaperKind::Approval { places, .. } = kind {
        // Most voters keep within the places; one paper in twenty does not.
        if rng.f() >= 0.05 {
            let mut yes = 0;
            for m in v.iter_mut() {
                if intended(kind, m) == 'Y' {
                    yes += 1;
                    if yes > *places {
                        m.choice = if kind.choices() == 1 { None } else { Some(1) };
                        if kind.choices() == 1 {
                            m.extra = Extra::None;
                        }
                    }
                }
            }
        }
    }
    v
}

/// The paper the tests, the corpus and the benchmark draw: the district's 票决 title, `n`
/// candidates with a unit each, a fixed session fingerprint.
pub fn sample_spec(kind: PaperKind, n: usize) -> PaperSpec {
    PaperSpec {
        fingerprint: "5f0c1e2d3a4b6978".into(),
        ballot: "ballot".into(),
        round: 1,
        kind,
        session_title: "河西区第八届人民代表大会第五次会议".into(),
        title: "2027年度区政府民生实事项目票决".into(),
        round_note: None,
        rows: (1..=n)
            .map(|i| Row {
                id: format!("P{i:02}"),
                name: format!("第{i}个候选项目:背街小巷综合整治"),
                unit: Some("区城市管理局".into()),
            })
            .collect(),
    }
}
