//! Blank papers as a voter gets them: printed by the real binary, rasterized by poppler, and
//! the boxes found again by looking at the pixels (nothing taken from the crate's layout).

use std::path::Path;
use std::process::Command;

use image::GrayImage;

use super::Layout;

/// A rectangle in pixels, `x1`/`y1` exclusive.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    pub fn w(&self) -> f32 {
        self.x1 - self.x0
    }
    pub fn h(&self) -> f32 {
        self.y1 - self.y0
    }
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
    pub fn cy(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }
    pub fn grow(&self, d: f32) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }
    pub fn meets(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    pub fn union(&self, o: &Rect) -> Rect {
        Rect {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }
}

/// The printed paper of one layout: the PDF and what poppler says is written on it.
pub struct Printed {
    pub layout: Layout,
    pub pdf: Vec<u8>,
    /// The paper's text with spaces, line breaks and quotation marks taken out.
    pub text: String,
    /// Words of the table's heading row and their centres, in points from the top left.
    pub words: Vec<(String, f32, f32)>,
}

/// A blank paper at one resolution and what was found on it.
pub struct Blank {
    pub layout: Layout,
    pub dpi: u32,
    pub img: GrayImage,
    /// Rows top to bottom, choices left to right: the outer edge of each printed outline.
    pub boxes: Vec<Vec<Rect>>,
    pub corners: Vec<Rect>,
    pub finders: Vec<Rect>,
    /// Thickness of a box's outline, pixels.
    pub outline: f32,
}

impl Blank {
    pub fn px_per_mm(&self) -> f32 {
        self.dpi as f32 / 25.4
    }
}

/// Whether poppler's tools can be run: Err says how to get them.
pub fn poppler() -> Result<(), String> {
    for tool in ["pdftoppm", "pdftotext"] {
        if let Err(e) = Command::new(tool).arg("-v").output() {
            return Err(format!(
                "`{tool}` cannot be run ({e}): install poppler-utils (apt-get install \
                 poppler-utils), or set HUIWU_NO_PDFTOPPM=1 to skip the independent scan corpus"
            ));
        }
    }
    Ok(())
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Print the layout's paper with `huiwu ballot print --session` in `dir`, and read its text.
pub fn print(layout: Layout, dir: &Path, session: &str, ballot: &str) -> Printed {
    let pdf = dir.join(format!("{}.pdf", layout.name()));
    run(Command::new(env!("CARGO_BIN_EXE_huiwu"))
        .current_dir(dir)
        .args([
            "ballot",
            "print",
            "--session",
            session,
            "--ballot",
            ballot,
            "-o",
        ])
        .arg(&pdf));
    let raw = run(Command::new("pdftotext").arg("-raw").arg(&pdf).arg("-"));
    let text: String = String::from_utf8_lossy(&raw)
        .chars()
        .filter(|c| !c.is_whitespace() && !"“”\"".contains(*c))
        .collect();
    let bbox = String::from_utf8_lossy(&run(Command::new("pdftotext")
        .arg("-bbox")
        .arg(&pdf)
        .arg("-")))
    .into_owned();
    let words = bbox
        .lines()
        .filter_map(|l| {
            let num = |k: &str| -> Option<f32> {
                let i = l.find(&format!("{k}=\""))? + k.len() + 2;
                l[i..].split('"').next()?.parse().ok()
            };
            let w = l.split('>').nth(1)?.split('<').next()?.to_string();
            let (x0, x1, y0, y1) = (num("xMin")?, num("xMax")?, num("yMin")?, num("yMax")?);
            Some((w, (x0 + x1) / 2.0, (y0 + y1) / 2.0))
        })
        .collect();
    Printed {
        layout,
        pdf: std::fs::read(&pdf).unwrap(),
        text,
        words,
    }
}

/// The paper rasterized in grey as a scanner's flatbed would see it (`pdftoppm -gray`).
pub fn rasterize(p: &Printed, dir: &Path, dpi: u32) -> GrayImage {
    let pdf = dir.join(format!("{}.pdf", p.layout.name()));
    std::fs::write(&pdf, &p.pdf).unwrap();
    let png = run(Command::new("pdftoppm")
        .args(["-gray", "-r", &dpi.to_string(), "-png", "-singlefile"])
        .arg(&pdf));
    image::load_from_memory(&png).unwrap().to_luma8()
}

/// Dark pixels (ink or print), row-major.
fn dark(img: &GrayImage) -> Vec<bool> {
    img.as_raw().iter().map(|&v| v < 160).collect()
}

/// Bounding boxes and pixel counts of the 8-connected dark components.
fn components(d: &[bool], w: usize, h: usize) -> Vec<(usize, usize, usize, usize, usize)> {
    let mut seen = vec![false; d.len()];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for start in 0..d.len() {
        if !d[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut x0, mut y0, mut x1, mut y1, mut n) = (w, h, 0, 0, 0);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            (x0, y0, x1, y1, n) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y), n + 1);
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if d[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        out.push((x0, y0, x1, y1, n));
    }
    out
}

/// Find the boxes, corner squares and the code's finder patterns on a blank paper.
pub fn locate(layout: Layout, dpi: u32, img: GrayImage) -> Result<Blank, String> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mm = dpi as f32 / 25.4;
    let d = dark(&img);
    let at = |x: usize, y: usize| d[y * w + x];
    let count = |x0: usize, y0: usize, x1: usize, y1: usize| {
        (y0..=y1)
            .map(|y| (x0..=x1).filter(|&x| at(x, y)).count())
            .sum::<usize>()
    };
    let mut boxes = Vec::new();
    let mut corners = Vec::new();
    let mut finders = Vec::new();
    let mut outline = Vec::new();
    for (x0, y0, x1, y1, n) in components(&d, w, h) {
        let (bw, bh) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
        let rect = Rect {
            x0: x0 as f32,
            y0: y0 as f32,
            x1: x1 as f32 + 1.0,
            y1: y1 as f32 + 1.0,
        };
        let fill = n as f32 / (bw * bh);
        // Corner squares: solid, squarish, near a corner of the page.
        let near_corner = (rect.cx() < 22.0 * mm || rect.cx() > w as f32 - 22.0 * mm)
            && (rect.cy() < 22.0 * mm || rect.cy() > h as f32 - 22.0 * mm);
        if (4.0 * mm..15.0 * mm).contains(&bw) && (bw / bh - 1.0).abs() < 0.2 && fill > 0.85 {
            if near_corner {
                corners.push(rect);
            }
            continue;
        }
        // A finder pattern of the code: a square ring, a white ring, a solid centre.
        if (2.0 * mm..12.0 * mm).contains(&bw) && (bw / bh - 1.0).abs() < 0.15 {
            let (cx, cy) = (rect.cx() as usize, rect.cy() as usize);
            let m = bw / 7.0;
            let ring = at(x0 + (m * 0.5) as usize, cy) && at(x1 - (m * 0.5) as usize, cy);
            let gap = !at(x0 + (m * 1.5) as usize, cy) && !at(x1 - (m * 1.5) as usize, cy);
            // Its centre is 3 of its 7 modules (the code's smaller alignment pattern, 1 of 5).
            let centre = at(x0 + (m * 2.5) as usize, cy) && at(x1 - (m * 2.5) as usize, cy);
            if ring && gap && centre && at(cx, cy) && (0.35..0.65).contains(&fill) {
                finders.push(rect);
                continue;
            }
        }
        // A choice box: a thin outline, all four sides drawn, nothing inside.
        if !(5.0 * mm..20.0 * mm).contains(&bw) || !(5.0 * mm..20.0 * mm).contains(&bh) {
            continue;
        }
        let t = (0.6 * mm).round().max(2.0) as usize;
        if n as f32 > 2.0 * (bw + bh) * t as f32 {
            continue;
        }
        let side = |horizontal: bool, lo: usize| {
            let along = if horizontal { x0..=x1 } else { y0..=y1 };
            let len = along.clone().count();
            let hit = along
                .filter(|&a| (lo..lo + t).any(|b| if horizontal { at(a, b) } else { at(b, a) }))
                .count();
            hit as f32 / len as f32
        };
        let sides = [
            side(true, y0),
            side(true, y1 + 1 - t),
            side(false, x0),
            side(false, x1 + 1 - t),
        ];
        if sides.iter().any(|&s| s < 0.95) || count(x0 + t, y0 + t, x1 - t, y1 - t) > 0 {
            continue;
        }
        let mid = (x0 + x1) / 2;
        outline.push((y0..y1).take_while(|&y| at(mid, y)).count() as f32);
        boxes.push(rect);
    }
    if boxes.is_empty() {
        return Err("no choice box found".into());
    }
    // Keep the boxes of the table's common size (nothing else on the paper is one).
    let median = |mut v: Vec<f32>| {
        v.sort_by(f32::total_cmp);
        v[v.len() / 2]
    };
    let (mw, mh) = (
        median(boxes.iter().map(Rect::w).collect()),
        median(boxes.iter().map(Rect::h).collect()),
    );
    boxes.retain(|b| (b.w() / mw - 1.0).abs() < 0.1 && (b.h() / mh - 1.0).abs() < 0.1);
    boxes.sort_by(|a, b| a.cy().total_cmp(&b.cy()));
    let mut rows: Vec<Vec<Rect>> = Vec::new();
    for b in boxes {
        match rows.last_mut() {
            Some(r) if (r[0].cy() - b.cy()).abs() < mh / 2.0 => r.push(b),
            _ => rows.push(vec![b]),
        }
    }
    for r in &mut rows {
        r.sort_by(|a, b| a.cx().total_cmp(&b.cx()));
    }
    Ok(Blank {
        layout,
        dpi,
        img,
        boxes: rows,
        corners,
        finders,
        outline: median(outline),
    })
}

/// Check what was found against what the paper must carry: `rows` rows of the layout's boxes
/// in columns under the heading's words, four corner squares, the code's three finders.
pub fn check(b: &Blank, p: &Printed, rows: usize) -> Result<(), String> {
    let k = b.layout.choices();
    let mm = b.px_per_mm();
    let at = format!("{} at {} dpi", b.layout.name(), b.dpi);
    if b.boxes.len() != rows {
        return Err(format!("{at}: {} rows of boxes, not {rows}", b.boxes.len()));
    }
    if let Some((i, r)) = b.boxes.iter().enumerate().find(|(_, r)| r.len() != k) {
        return Err(format!(
            "{at}: row {} has {} boxes, not {k}",
            i + 1,
            r.len()
        ));
    }
    for c in 0..k {
        let xs: Vec<f32> = b.boxes.iter().map(|r| r[c].cx()).collect();
        let spread = xs.iter().cloned().fold(f32::MIN, f32::max)
            - xs.iter().cloned().fold(f32::MAX, f32::min);
        if spread > 0.5 * mm {
            return Err(format!(
                "{at}: column {} is not straight ({spread} px)",
                c + 1
            ));
        }
    }
    // The heading names the choices left to right above their columns.
    let px = |pt: f32| pt * b.dpi as f32 / 72.0;
    let top = b.boxes[0][0].y0;
    for (c, name) in b.layout.heading().iter().enumerate() {
        let Some(word) = p
            .words
            .iter()
            .find(|(w, _, y)| w == name && px(*y) < top && px(*y) > top - 25.0 * mm)
        else {
            return Err(format!("{at}: the heading has no {name}"));
        };
        let col = if k == 1 { 0 } else { c };
        let dx = (px(word.1) - b.boxes[0][col].cx()).abs();
        let lim = if k == 1 { 10.0 * mm } else { 3.0 * mm };
        if dx > lim {
            return Err(format!("{at}: {name} is {dx} px off its column"));
        }
    }
    if b.corners.len() != 4 {
        return Err(format!("{at}: {} corner squares, not 4", b.corners.len()));
    }
    if b.finders.len() != 3 {
        return Err(format!("{at}: {} finder patterns, not 3", b.finders.len()));
    }
    for phrase in b.layout.rules() {
        if !p.text.contains(phrase) {
            return Err(format!("{at}: the paper does not say {phrase}"));
        }
    }
    Ok(())
}
