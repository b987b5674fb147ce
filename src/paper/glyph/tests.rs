use std::f32::consts::TAU;

use super::*;

/// A blank grid of `w` × `h` mm at 0.1 mm.
fn grid(w: f32, h: f32) -> Bits {
    let step = 0.1;
    let (nx, ny) = ((w / step) as usize, (h / step) as usize);
    Bits {
        nx,
        ny,
        step,
        ink: vec![false; nx * ny],
        band: Vec::new(),
    }
}

/// Ink a stroke `width` mm wide along the polyline `pts` (mm).
fn stroke(b: &mut Bits, pts: &[(f32, f32)], width: f32) {
    for w in pts.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let len = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
        let n = (len / 0.03).ceil() as usize + 1;
        for k in 0..=n {
            let t = k as f32 / n as f32;
            let (cx, cy) = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
            let r = width / 2.0;
            let (i0, i1) = (((cx - r) / b.step) as i64, ((cx + r) / b.step) as i64 + 1);
            let (j0, j1) = (((cy - r) / b.step) as i64, ((cy + r) / b.step) as i64 + 1);
            for j in j0..=j1 {
                for i in i0..=i1 {
                    let (x, y) = ((i as f32 + 0.5) * b.step, (j as f32 + 0.5) * b.step);
                    if (x - cx).powi(2) + (y - cy).powi(2) <= r * r
                        && i >= 0
                        && j >= 0
                        && (i as usize) < b.nx
                        && (j as usize) < b.ny
                    {
                        b.ink[j as usize * b.nx + i as usize] = true;
                    }
                }
            }
        }
    }
}

fn ellipse(c: (f32, f32), r: (f32, f32), from: f32, to: f32) -> Vec<(f32, f32)> {
    (0..=200)
        .map(|k| {
            let a = from + (to - from) * k as f32 / 200.0;
            (c.0 + r.0 * a.cos(), c.1 + r.1 * a.sin())
        })
        .collect()
}

fn ring_of(gap: f32, width: f32) -> Bits {
    let mut b = grid(22.0, 13.0);
    stroke(
        &mut b,
        &ellipse((11.0, 6.5), (5.0, 4.0), gap / 2.0, TAU - gap / 2.0),
        width,
    );
    b
}

#[test]
fn a_ring_left_open_a_little_is_a_ring_a_u_is_not() {
    for width in [0.3, 0.6] {
        assert_eq!(form(&ring_of(0.0, width)), Form::Ring, "closed, {width}");
        // a pen lifted a millimetre early
        assert_eq!(form(&ring_of(0.25, width)), Form::Ring, "gap 1 mm, {width}");
        // a quarter of the way round left open
        assert_eq!(form(&ring_of(TAU / 4.0, width)), Form::Ring, "C, {width}");
        // half of it: a U, a bracket, not a ring
        assert_eq!(form(&ring_of(TAU / 2.0, width)), Form::Other, "U, {width}");
    }
    // a loop drawn twice, the second round a little off the first
    let mut twice = ring_of(0.0, 0.5);
    stroke(&mut twice, &ellipse((11.4, 6.2), (4.8, 4.1), 0.0, TAU), 0.5);
    assert_eq!(form(&twice), Form::Ring);
}

#[test]
fn a_ring_crossed_through_or_with_a_cross_in_it_is_neither() {
    let mut through = ring_of(0.0, 0.5);
    stroke(&mut through, &[(5.0, 10.0), (17.0, 3.0)], 0.5);
    assert_eq!(form(&through), Form::Other);
    let mut crossed = ring_of(0.0, 0.5);
    stroke(&mut crossed, &[(8.0, 4.0), (14.0, 9.0)], 0.5);
    stroke(&mut crossed, &[(14.0, 4.0), (8.0, 9.0)], 0.5);
    assert_eq!(form(&crossed), Form::Other);
    // a ring and, apart from it, a cross
    let mut two = grid(22.0, 13.0);
    stroke(&mut two, &ellipse((6.0, 6.5), (3.0, 3.0), 0.0, TAU), 0.5);
    stroke(&mut two, &[(13.0, 4.0), (18.0, 9.0)], 0.5);
    stroke(&mut two, &[(18.0, 4.0), (13.0, 9.0)], 0.5);
    assert_eq!(form(&two), Form::Other);
}

#[test]
fn a_plus_and_ticks_of_any_pen_are_never_a_ring_or_a_cross() {
    let mut plus = grid(22.0, 13.0);
    stroke(&mut plus, &[(6.0, 6.5), (16.0, 6.5)], 0.5);
    stroke(&mut plus, &[(11.0, 2.0), (11.0, 11.0)], 0.5);
    assert_eq!(form(&plus), Form::Other);
    for width in [0.3, 0.6, 1.2, 2.0] {
        for (a, v, c) in [
            ((7.0, 6.0), (9.5, 10.0), (16.0, 2.0)),
            ((6.0, 5.0), (10.0, 11.0), (13.0, 1.5)),
            ((8.0, 7.5), (9.0, 10.5), (17.0, 3.0)),
        ] {
            let mut tick = grid(22.0, 13.0);
            // a tick's arms curve a little, as a hand draws them
            let mid = ((v.0 + c.0) / 2.0 + 0.6, (v.1 + c.1) / 2.0 + 0.4);
            stroke(&mut tick, &[a, v, mid, c], width);
            assert_eq!(form(&tick), Form::Other, "tick {a:?} {v:?} {c:?}, {width}");
        }
    }
}

#[test]
fn a_cross_with_arms_of_unequal_length_is_a_cross() {
    let mut cross = grid(22.0, 13.0);
    // the second stroke crosses the first a third of the way along it
    stroke(&mut cross, &[(6.0, 2.0), (16.0, 11.0)], 0.5);
    stroke(&mut cross, &[(13.5, 3.0), (7.0, 10.5)], 0.5);
    assert_eq!(form(&cross), Form::Cross);
}

#[test]
fn a_ring_and_a_cross_are_told_apart_from_a_tick() {
    let mut ring = grid(22.0, 13.0);
    stroke(
        &mut ring,
        &ellipse((11.0, 6.5), (5.0, 4.0), 0.0, TAU + 0.3),
        0.5,
    );
    assert_eq!(form(&ring), Form::Ring);
    let mut cross = grid(22.0, 13.0);
    stroke(&mut cross, &[(7.0, 2.5), (15.0, 10.5)], 0.5);
    stroke(&mut cross, &[(15.5, 3.0), (6.5, 10.0)], 0.5);
    assert_eq!(form(&cross), Form::Cross);
    let mut tick = grid(22.0, 13.0);
    stroke(&mut tick, &[(7.0, 6.0), (9.5, 10.0), (16.0, 2.0)], 0.5);
    assert_eq!(form(&tick), Form::Other);
}

/// A one-box paper's box is a millimetre from its cell's line: the box's line is found where
/// it is, not between the two (the band put between them took the second line for ink
/// spilled along the first, and the ring drawn along the box went to a clerk).
#[test]
fn a_line_is_found_where_it_is_not_between_it_and_the_next() {
    use super::grid::Grid;
    use super::look::Line;
    use crate::paper::layout::Rect;
    let area = Rect {
        x: 0.0,
        y: 0.0,
        w: 20.0,
        h: 4.0,
    };
    let g = Grid::new(&area, 0.17);
    let line_at = |y: f32| (y - 2.0).abs() <= 0.25 || (y - 2.8).abs() <= 0.25;
    let dark: Vec<bool> = (0..g.ny)
        .flat_map(|j| std::iter::repeat_n(line_at(g.y(j)), g.nx))
        .collect();
    for (pos, want) in [(2.0, 2.0), (2.1, 2.0), (2.8, 2.8), (2.7, 2.8)] {
        let l = Line {
            horizontal: true,
            pos,
            from: 0.0,
            to: 20.0,
            width: 0.3,
        };
        let found = g.find(&dark, &l);
        assert!(
            (found - want).abs() < 0.1,
            "looked for at {pos}: found at {found}"
        );
    }
}
