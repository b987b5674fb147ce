//! What is drawn in each row of a sheet, and what it means by the paper's printed rules.

use super::blank::{Blank, Rect};
use super::pen::{self, Geo, Line, Pen};
use super::rng::Rng;
use super::{Class, Layout};

/// One mark: its strokes and pen. `decides`: the row's truth rests on it (if a scanner mode
/// wipes it off the image, the row is blank on the image).
pub struct Mark {
    pub lines: Vec<Line>,
    pub pen: Pen,
    pub decides: bool,
}

pub struct RowPlan {
    pub class: Class,
    /// The voter's choice by the printed rules.
    pub truth: char,
    /// No letter may be read without a clerk (a ✓ or a filled box on a one-box paper: not a
    /// mark the paper allows, so nothing certain can be read from it).
    pub clerk_only: bool,
    pub marks: Vec<Mark>,
}

/// The whole-paper classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Mixed,
    BlankPaper,
    Overvoted,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Mixed => "mixed",
            Kind::BlankPaper => "blank_paper",
            Kind::Overvoted => "overvoted",
        }
    }
}

/// The three symbols a voter draws.
#[derive(Clone, Copy, PartialEq)]
enum Sym {
    O,
    X,
    V,
}

impl Sym {
    fn any(rng: &mut Rng) -> Sym {
        *rng.pick(&[Sym::O, Sym::X, Sym::V])
    }

    /// A ○ or ✓: what the columns papers ask for.
    fn asked(rng: &mut Rng) -> Sym {
        if rng.chance(0.6) { Sym::O } else { Sym::V }
    }

    /// The letter a one-box symbol gives, and whether it gives none (a ✓ is not ○ or ×).
    fn one_box(self) -> (char, bool) {
        match self {
            Sym::O => ('Y', false),
            Sym::X => ('N', false),
            Sym::V => ('Y', true),
        }
    }
}

/// The paper being marked.
struct Ctx<'a> {
    paper: &'a Blank,
    mm: f32,
}

impl Ctx<'_> {
    /// A symbol of `s` times the box's height, centred at (cx, cy).
    fn symbol(&self, rng: &mut Rng, sym: Sym, b: &Rect, c: (f32, f32), s: f32) -> Vec<Line> {
        let h = s * b.h();
        let aspect = match sym {
            Sym::O => rng.range(0.85, 1.45),
            Sym::X | Sym::V => rng.range(0.8, 1.3),
        };
        let g = Geo {
            cx: c.0,
            cy: c.1,
            w: (h * aspect).min(1.15 * b.w()),
            h,
            rot: match sym {
                Sym::X => rng.signed(0.0, 20f32.to_radians()),
                Sym::O | Sym::V => rng.signed(0.0, 15f32.to_radians()),
            },
        };
        match sym {
            Sym::O => pen::circle(rng, g, self.mm),
            Sym::X => pen::cross(rng, g, self.mm),
            Sym::V => pen::check(rng, g, self.mm),
        }
    }

    /// Whether lines drawn for box `b` keep out of every other box: a voter aims at one box,
    /// and ink in a neighbour's box would change that row's truth.
    fn keeps_out(&self, b: &Rect, lines: &[Line], pen: &Pen) -> bool {
        let e = pen::extent(lines, pen);
        let m = 0.3 * self.mm;
        !self
            .paper
            .boxes
            .iter()
            .flatten()
            .any(|o| o != b && o.grow(m).meets(&e))
    }

    /// Draw `make` (given a centre) until it keeps out of the other boxes.
    fn placed(
        &self,
        rng: &mut Rng,
        b: &Rect,
        pen: &Pen,
        mut centre: impl FnMut(&mut Rng) -> (f32, f32),
        mut make: impl FnMut(&mut Rng, (f32, f32)) -> Vec<Line>,
    ) -> Vec<Line> {
        let mut lines = Vec::new();
        for _ in 0..200 {
            let c = centre(rng);
            lines = make(rng, c);
            if self.keeps_out(b, &lines, pen) {
                break;
            }
        }
        lines
    }

    /// A symbol in box `b`, its centre a little off the box's.
    fn in_box(&self, rng: &mut Rng, sym: Sym, b: &Rect, s: f32, pen: &Pen) -> Vec<Line> {
        self.placed(
            rng,
            b,
            pen,
            |rng| {
                (
                    b.cx() + rng.signed(0.0, 0.08) * b.w(),
                    b.cy() + rng.signed(0.0, 0.08) * b.h(),
                )
            },
            |rng, c| self.symbol(rng, sym, b, c, s),
        )
    }

    /// A clear ○ or ✓ of 60–100 % of the box.
    fn clear(&self, rng: &mut Rng, b: &Rect, pen: Pen) -> Mark {
        let sym = Sym::asked(rng);
        let s = rng.range(0.6, 1.0);
        Mark {
            lines: self.in_box(rng, sym, b, s, &pen),
            pen,
            decides: true,
        }
    }

    /// Dense strokes over `area` (kept to its box and a millimetre around): a mark blotted out.
    fn scribble(&self, rng: &mut Rng, b: &Rect, area: Rect, pen: &Pen) -> Vec<Line> {
        let lim = b.grow(1.0 * self.mm);
        let area = Rect {
            x0: area.x0.max(lim.x0),
            y0: area.y0.max(lim.y0),
            x1: area.x1.min(lim.x1),
            y1: area.y1.min(lim.y1),
        };
        let spacing = pen.width * rng.range(1.1, 2.0);
        if rng.chance(0.6) {
            let mut l = pen::hatch(rng, area, spacing, self.mm);
            if rng.chance(0.5) {
                l.extend(pen::hatch(rng, area, spacing, self.mm));
            }
            l
        } else {
            pen::loops(rng, area, spacing, self.mm)
        }
    }
}

/// Plan row `r` of `paper` as `class`; `want` asks for a letter (for over-voted papers).
pub fn row(rng: &mut Rng, paper: &Blank, r: usize, class: Class, want: Option<char>) -> RowPlan {
    let cx = Ctx {
        paper,
        mm: paper.px_per_mm(),
    };
    let mm = cx.mm;
    let boxes = &paper.boxes[r];
    let letters = paper.layout.letters();
    let k = boxes.len();
    let one = paper.layout == Layout::OneBox;
    let col = |rng: &mut Rng| match want {
        Some(w) if !one => letters.iter().position(|&l| l == w).unwrap(),
        _ => rng.below(k),
    };
    // The symbol of a one-box row asked to give `want`.
    let sym_of = |rng: &mut Rng, choices: &[Sym]| match want {
        Some('N') if one => Sym::X,
        Some(_) if one => Sym::O,
        _ => *rng.pick(choices),
    };
    let mut plan = RowPlan {
        class,
        truth: 'A',
        clerk_only: false,
        marks: Vec::new(),
    };
    // A single symbol in column c: the row's letter is the column's, or (one box) the shape's.
    let single = |plan: &mut RowPlan, sym: Sym, c: usize, lines: Vec<Line>, pen: Pen| {
        plan.marks.push(Mark {
            lines,
            pen,
            decides: true,
        });
        if one {
            (plan.truth, plan.clerk_only) = sym.one_box();
        } else {
            plan.truth = letters[c];
        }
    };
    match class {
        Class::Blank => {}
        Class::Circle | Class::Cross | Class::Check => {
            let sym = match class {
                Class::Circle => Sym::O,
                Class::Cross => Sym::X,
                _ => Sym::V,
            };
            let c = col(rng);
            let s = match sym {
                Sym::O => rng.range(0.4, 1.1),
                _ => rng.range(0.5, 1.05),
            };
            let pen = Pen::ordinary(rng, mm);
            let lines = cx.in_box(rng, sym, &boxes[c], s, &pen);
            single(&mut plan, sym, c, lines, pen);
        }
        Class::Marker => {
            let sym = sym_of(rng, &[Sym::O, Sym::X, Sym::V]);
            let c = col(rng);
            let s = rng.range(0.6, 1.05);
            let pen = Pen::marker(rng, mm);
            let lines = cx.in_box(rng, sym, &boxes[c], s, &pen);
            single(&mut plan, sym, c, lines, pen);
        }
        Class::Pencil => {
            // One box: ○ or × (the letter comes from the shape); elsewhere ○ or ✓.
            let sym = sym_of(
                rng,
                if one {
                    &[Sym::O, Sym::X]
                } else {
                    &[Sym::O, Sym::V]
                },
            );
            let c = col(rng);
            let s = rng.range(0.5, 1.0);
            let pen = Pen::pencil(rng, mm);
            let lines = cx.in_box(rng, sym, &boxes[c], s, &pen);
            single(&mut plan, sym, c, lines, pen);
        }
        Class::Filled => {
            let c = col(rng);
            let b = boxes[c];
            // 60–100 % of the box's area, a little wider or taller than the box's shape.
            let cover = rng.range(0.6, 1.0);
            let fw = (cover.sqrt() * rng.range(0.85, 1.15)).min(1.0);
            let fh = (cover / fw).min(1.0);
            let (w, h) = (b.w() * fw, b.h() * fh);
            let x0 = b.x0 + rng.range(0.0, b.w() - w);
            let y0 = b.y0 + rng.range(0.0, b.h() - h);
            let area = Rect {
                x0,
                y0,
                x1: x0 + w,
                y1: y0 + h,
            };
            let pen = Pen {
                width: rng.range(0.4, 0.8) * mm,
                ..Pen::ordinary(rng, mm)
            };
            let spacing = pen.width * rng.range(0.7, 1.3);
            let lines = pen::hatch(rng, area, spacing, mm);
            single(&mut plan, Sym::O, c, lines, pen);
            if one {
                // A box filled in is not a ○ or ×: no certain letter.
                (plan.truth, plan.clerk_only) = ('Y', true);
            }
        }
        Class::Tiny => {
            let sym = Sym::any(rng);
            let c = col(rng);
            let b = boxes[c];
            let s = rng.range(0.15, 0.33);
            let room = (0.5 - s * 0.7).max(0.0) * 0.7;
            let at = (
                b.cx() + rng.signed(0.0, room) * b.w(),
                b.cy() + rng.signed(0.0, room) * b.h(),
            );
            let lines = cx.symbol(rng, sym, &b, at, s);
            let pen = Pen {
                width: rng.range(0.3, 0.55) * mm,
                ..Pen::ordinary(rng, mm)
            };
            single(&mut plan, sym, c, lines, pen);
        }
        Class::Edge => {
            let sym = Sym::any(rng);
            let c = col(rng);
            let b = boxes[c];
            let pen = Pen::ordinary(rng, mm);
            let s = rng.range(0.6, 1.0);
            // Off the box's centre by 30–60 % of its size, any direction.
            let centre = |rng: &mut Rng| {
                let f = rng.range(0.3, 0.6);
                let a = rng.range(0.0, std::f32::consts::TAU);
                (b.cx() + f * b.w() * a.cos(), b.cy() + f * b.h() * a.sin())
            };
            let lines = cx.placed(rng, &b, &pen, centre, |rng, at| {
                cx.symbol(rng, sym, &b, at, s)
            });
            single(&mut plan, sym, c, lines, pen);
        }
        Class::TwoMarks => {
            let pen = Pen::ordinary(rng, mm);
            let i = rng.below(k);
            let j = (i + 1 + rng.below(k - 1)) % k;
            plan.marks.push(cx.clear(rng, &boxes[i], pen));
            plan.marks.push(cx.clear(rng, &boxes[j], pen));
            plan.truth = 'A';
        }
        Class::CrossedOut => {
            let pen = Pen::ordinary(rng, mm);
            let i = rng.below(k);
            let b = boxes[i];
            let first = if one { Sym::X } else { Sym::asked(rng) };
            let s = rng.range(0.6, 0.95);
            let lines = cx.in_box(rng, first, &b, s, &pen);
            let over = pen::extent(&lines, &pen).grow(rng.range(0.05, 0.2) * b.h());
            let scribble = cx.scribble(rng, &b, over, &pen);
            for lines in [lines, scribble] {
                plan.marks.push(Mark {
                    lines,
                    pen,
                    decides: false,
                });
            }
            if one {
                // The ○ again just left of the box: the voter's last word is 赞成.
                let s = rng.range(0.6, 0.9);
                let w = s * b.h() * 1.1;
                let at = (
                    b.x0 - rng.range(0.5, 2.0) * mm - w / 2.0,
                    b.cy() + rng.signed(0.0, 0.1) * b.h(),
                );
                plan.marks.push(Mark {
                    lines: cx.symbol(rng, Sym::O, &b, at, s),
                    pen,
                    decides: true,
                });
                plan.truth = 'Y';
            } else {
                let j = (i + 1 + rng.below(k - 1)) % k;
                plan.marks.push(cx.clear(rng, &boxes[j], pen));
                plan.truth = letters[j];
            }
        }
        Class::Stray => {
            let pen = Pen::ordinary(rng, mm);
            let inside = rng.chance(0.5);
            let e = rng.below(k);
            let (x, y) = if inside {
                let b = boxes[e];
                (
                    b.cx() + rng.signed(0.0, 0.3) * b.w(),
                    b.cy() + rng.signed(0.0, 0.3) * b.h(),
                )
            } else if k > 1 {
                let a = rng.below(k - 1);
                let (l, rr) = (boxes[a].x1 + 1.0 * mm, boxes[a + 1].x0 - 1.0 * mm);
                let y = boxes[a].cy() + rng.signed(0.0, 0.4) * boxes[a].h();
                (rng.range(l, rr), y)
            } else {
                let b = boxes[0];
                let x = b.x0 - rng.range(1.5, 5.0) * mm;
                (x, b.cy() + rng.signed(0.0, 0.4) * b.h())
            };
            // A dot 0.4–1.2 mm across, or a dash 1.5–3 mm long.
            let (lines, width) = if rng.chance(0.5) {
                let d = rng.range(0.4, 1.2) * mm;
                (pen::dash(x, y, 0.15 * d, 0.0), 0.85 * d)
            } else {
                let len = rng.range(1.5, 3.0) * mm;
                let a = rng.range(0.0, std::f32::consts::PI);
                (pen::dash(x, y, len, a), pen.width.min(0.6 * mm))
            };
            plan.marks.push(Mark {
                lines,
                pen: Pen { width, ..pen },
                decides: false,
            });
            // The row's real choice, if the voter made one, in another box.
            let free: Vec<usize> = (0..k).filter(|&c| !(inside && c == e)).collect();
            if !free.is_empty() && rng.chance(0.5) {
                let c = *rng.pick(&free);
                if one {
                    let sym = if rng.chance(0.5) { Sym::O } else { Sym::X };
                    let s = rng.range(0.6, 1.0);
                    let lines = cx.in_box(rng, sym, &boxes[c], s, &pen);
                    single(&mut plan, sym, c, lines, pen);
                } else {
                    plan.marks.push(cx.clear(rng, &boxes[c], pen));
                    plan.truth = letters[c];
                }
            }
        }
    }
    plan
}

/// Plan a whole sheet. `places`: the 票决's places (over-voted papers have more 赞成).
pub fn sheet(rng: &mut Rng, paper: &Blank, places: usize, kind: Kind) -> Vec<RowPlan> {
    let n = paper.boxes.len();
    let classes = Class::of(paper.layout);
    let one = paper.layout == Layout::OneBox;
    match kind {
        Kind::BlankPaper => (0..n)
            .map(|r| row(rng, paper, r, Class::Blank, None))
            .collect(),
        Kind::Mixed => (0..n)
            .map(|r| {
                let c = *rng.pick(&classes);
                row(rng, paper, r, c, None)
            })
            .collect(),
        Kind::Overvoted => {
            // More 赞成 than places, in ordinary marks; the other rows 不赞成 or 弃权.
            let yes = places + 1 + rng.below(n - places);
            let mut ys: Vec<bool> = (0..n).map(|i| i < yes).collect();
            for i in (1..n).rev() {
                ys.swap(i, rng.below(i + 1));
            }
            (0..n)
                .map(|r| {
                    let want = match (ys[r], rng.chance(0.6)) {
                        (true, _) => 'Y',
                        (false, true) => 'N',
                        (false, false) => 'A',
                    };
                    let class = match (one, want) {
                        (true, 'A') => Class::Blank,
                        (true, 'Y') => *rng.pick(&[Class::Circle, Class::Marker]),
                        (true, _) => *rng.pick(&[Class::Cross, Class::Marker]),
                        _ => *rng.pick(&[
                            Class::Circle,
                            Class::Cross,
                            Class::Check,
                            Class::Filled,
                            Class::Marker,
                        ]),
                    };
                    row(rng, paper, r, class, Some(want))
                })
                .collect()
        }
    }
}
