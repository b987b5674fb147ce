//! What a scanner does to a sheet: the page turned, scaled or shifted on the bed (bilinear
//! resampling, white where the bed shows), soft focus, sensor noise and dust, JPEG, a
//! black-and-white mode. The image keeps the A4 size of its resolution.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{GrayImage, ImageFormat, Luma};

use super::Distortion;
use super::rng::Rng;

/// The distortion of one sheet with its drawn parameters.
#[derive(Clone, Debug)]
pub struct Applied {
    pub kind: Distortion,
    /// Turn about the page's centre, radians (π and a little for upside down).
    pub angle: f32,
    pub scale: f32,
    /// Shift on the bed, pixels.
    pub shift: (f32, f32),
    pub blur: f32,
    pub noise: f32,
    pub jpeg: Option<u8>,
    pub threshold: bool,
}

impl Applied {
    pub fn pick(kind: Distortion, rng: &mut Rng, mm: f32) -> Applied {
        let mut a = Applied {
            kind,
            angle: 0.0,
            scale: 1.0,
            shift: (0.0, 0.0),
            blur: 0.0,
            noise: 0.0,
            jpeg: None,
            threshold: false,
        };
        let turn = |rng: &mut Rng| rng.signed(0.5, 3.0).to_radians();
        let scale = |rng: &mut Rng| rng.range(0.97, 1.03);
        let shift = |rng: &mut Rng| (rng.signed(0.0, 3.0) * mm, rng.signed(0.0, 3.0) * mm);
        match kind {
            Distortion::Clean => {}
            Distortion::Rotated => a.angle = turn(rng),
            Distortion::Scaled => {
                a.scale = scale(rng);
                a.shift = shift(rng);
            }
            Distortion::Blur => a.blur = rng.range(0.7, 1.5),
            Distortion::Noise => a.noise = rng.range(6.0, 14.0),
            Distortion::Jpeg => a.jpeg = Some(rng.range(40.0, 90.99) as u8),
            Distortion::UpsideDown => {
                a.angle = std::f32::consts::PI + rng.signed(0.0, 1.0).to_radians()
            }
            Distortion::Threshold => a.threshold = true,
            Distortion::Combo => {
                a.angle = turn(rng);
                a.scale = scale(rng);
                a.shift = shift(rng);
                a.blur = rng.range(0.7, 1.5);
                a.noise = rng.range(6.0, 14.0);
                a.jpeg = Some(60);
            }
        }
        a
    }

    pub fn describe(&self) -> String {
        format!(
            "angle {:.2}° scale {:.3} shift {:.0}/{:.0} px blur {:.2} noise {:.1} jpeg {:?}{}",
            self.angle.to_degrees(),
            self.scale,
            self.shift.0,
            self.shift.1,
            self.blur,
            self.noise,
            self.jpeg,
            if self.threshold { " threshold" } else { "" }
        )
    }

    fn geometric(&self) -> bool {
        self.angle != 0.0 || self.scale != 1.0 || self.shift != (0.0, 0.0)
    }

    /// Where the scan shows the paper's point (x, y), for a page of `w` × `h`.
    pub fn forward(&self, w: u32, h: u32, x: f32, y: f32) -> (f32, f32) {
        let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
        let (s, c) = self.angle.sin_cos();
        let (dx, dy) = ((x - cx) * self.scale, (y - cy) * self.scale);
        (
            cx + dx * c - dy * s + self.shift.0,
            cy + dx * s + dy * c + self.shift.1,
        )
    }

    /// The scanner's file for the marked paper: PNG, or JPEG at the drawn quality.
    pub fn apply(&self, paper: &GrayImage, rng: &mut Rng, mm: f32) -> (Vec<u8>, &'static str) {
        let mut img = if self.geometric() {
            warp(paper, self)
        } else {
            paper.clone()
        };
        if self.blur > 0.0 {
            img = blur(&img, self.blur);
        }
        if self.noise > 0.0 {
            noise(&mut img, self.noise, rng, mm);
        }
        if self.threshold {
            for p in img.pixels_mut() {
                p.0[0] = if p.0[0] < 128 { 0 } else { 255 };
            }
        }
        let mut out = Vec::new();
        match self.jpeg {
            Some(q) => {
                JpegEncoder::new_with_quality(&mut out, q)
                    .encode_image(&img)
                    .unwrap();
                (out, "jpg")
            }
            None => {
                img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
                    .unwrap();
                (out, "png")
            }
        }
    }
}

/// The page moved on the bed, read back by bilinear sampling of the paper.
fn warp(src: &GrayImage, a: &Applied) -> GrayImage {
    let (w, h) = src.dimensions();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (s, c) = a.angle.sin_cos();
    let raw = src.as_raw();
    let at = |x: i64, y: i64| -> f32 {
        if x < 0 || y < 0 || x >= w as i64 || y >= h as i64 {
            255.0
        } else {
            f32::from(raw[y as usize * w as usize + x as usize])
        }
    };
    let mut out = GrayImage::new(w, h);
    for (ox, oy, p) in out.enumerate_pixels_mut() {
        // The inverse of `forward`: undo the shift, the turn, the scale.
        let (dx, dy) = (ox as f32 - cx - a.shift.0, oy as f32 - cy - a.shift.1);
        let x = cx + (dx * c + dy * s) / a.scale;
        let y = cy + (-dx * s + dy * c) / a.scale;
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let (xi, yi) = (x0 as i64, y0 as i64);
        let v = at(xi, yi) * (1.0 - fx) * (1.0 - fy)
            + at(xi + 1, yi) * fx * (1.0 - fy)
            + at(xi, yi + 1) * (1.0 - fx) * fy
            + at(xi + 1, yi + 1) * fx * fy;
        *p = Luma([v.round().clamp(0.0, 255.0) as u8]);
    }
    out
}

/// Gaussian blur, separable.
fn blur(src: &GrayImage, sigma: f32) -> GrayImage {
    let r = (3.0 * sigma).ceil() as i64;
    let k: Vec<f32> = (-r..=r)
        .map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f32 = k.iter().sum();
    let k: Vec<f32> = k.iter().map(|v| v / sum).collect();
    let (w, h) = (src.width() as i64, src.height() as i64);
    let pass = |data: &[f32], horizontal: bool| -> Vec<f32> {
        let mut out = vec![0.0; data.len()];
        for y in 0..h {
            for x in 0..w {
                let mut acc = 0.0;
                for (j, kv) in k.iter().enumerate() {
                    let d = j as i64 - r;
                    let (sx, sy) = if horizontal {
                        ((x + d).clamp(0, w - 1), y)
                    } else {
                        (x, (y + d).clamp(0, h - 1))
                    };
                    acc += kv * data[(sy * w + sx) as usize];
                }
                out[(y * w + x) as usize] = acc;
            }
        }
        out
    };
    let data: Vec<f32> = src.as_raw().iter().map(|&v| f32::from(v)).collect();
    let out = pass(&pass(&data, true), false);
    GrayImage::from_raw(
        src.width(),
        src.height(),
        out.iter()
            .map(|v| v.round().clamp(0.0, 255.0) as u8)
            .collect(),
    )
    .unwrap()
}

/// Sensor noise of `sigma` grey levels, and a few specks of dust 0.1–0.3 mm.
fn noise(img: &mut GrayImage, sigma: f32, rng: &mut Rng, mm: f32) {
    for p in img.pixels_mut() {
        p.0[0] = (f32::from(p.0[0]) + sigma * rng.normal())
            .round()
            .clamp(0.0, 255.0) as u8;
    }
    let (w, h) = img.dimensions();
    for _ in 0..3 + rng.below(10) {
        let (x, y) = (rng.range(0.0, w as f32), rng.range(0.0, h as f32));
        let r = rng.range(0.05, 0.15) * mm;
        let g = rng.range(20.0, 120.0) as u8;
        let ri = r.ceil() as i64;
        for dy in -ri..=ri {
            for dx in -ri..=ri {
                let (px, py) = (x as i64 + dx, y as i64 + dy);
                if (dx * dx + dy * dy) as f32 <= r * r
                    && px >= 0
                    && py >= 0
                    && px < w as i64
                    && py < h as i64
                {
                    let p = img.get_pixel_mut(px as u32, py as u32);
                    p.0[0] = p.0[0].min(g);
                }
            }
        }
    }
}
