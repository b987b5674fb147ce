use super::scan::{locate, read_rows};
use super::synth::{self, Distortion, Extra, RowMark, Style};
use super::*;
use crate::domain::session::{ApprovalVote, PaperStyle};

fn spec(kind: PaperKind, n: usize) -> PaperSpec {
    synth::sample_spec(kind, n)
}

fn columns(places: u32) -> PaperKind {
    PaperKind::Approval {
        places,
        style: PaperStyle::Columns,
        vote: ApprovalVote::Decide,
    }
}

fn marks(kind: &PaperKind, rows: &[RowMark]) -> String {
    rows.iter().map(|m| synth::intended(kind, m)).collect()
}

#[test]
fn a_straight_sheet_reads_as_marked() {
    let s = spec(columns(10), 15);
    let sheet = sheet_of(&s).unwrap();
    let rows: Vec<RowMark> = (0..15)
        .map(|i| RowMark {
            choice: if i % 4 == 3 { None } else { Some(i % 3) },
            style: synth::STYLES[i % synth::STYLES.len()],
            extra: Extra::None,
        })
        .collect();
    let img = synth::scan(&sheet, &rows, &Distortion::default(), 1);
    let img = image::load_from_memory(&img).unwrap().to_luma8();
    let (frame, payload) = locate(&img).unwrap();
    assert_eq!(s.refuse(&payload), None);
    assert!(!frame.turned);
    let read = read_rows(&img, &frame, &sheet, &s.kind);
    let got: String = read.iter().map(|r| r.letter.unwrap_or('?')).collect();
    assert_eq!(got, marks(&s.kind, &rows), "{read:#?}");
}

#[test]
fn rotated_upside_down_and_offset() {
    let s = spec(columns(10), 15);
    let sheet = sheet_of(&s).unwrap();
    let rows: Vec<RowMark> = (0..15)
        .map(|i| RowMark {
            choice: Some((i * 7) % 3),
            style: Style::Circle,
            extra: Extra::None,
        })
        .collect();
    for (k, (rot, up, dpi)) in [(5.0, false, 150.0), (-5.0, true, 300.0), (2.0, true, 200.0)]
        .into_iter()
        .enumerate()
    {
        let d = Distortion {
            dpi,
            rotate: rot,
            upside_down: up,
            offset: (2.0, -1.5),
            ..Distortion::default()
        };
        let img = synth::scan(&sheet, &rows, &d, k as u64);
        let img = image::load_from_memory(&img).unwrap().to_luma8();
        let (frame, _) = locate(&img).unwrap();
        assert_eq!(frame.turned, up);
        let read = read_rows(&img, &frame, &sheet, &s.kind);
        let got: String = read.iter().map(|r| r.letter.unwrap_or('?')).collect();
        assert_eq!(got, marks(&s.kind, &rows), "case {k}: {read:#?}");
    }
}

fn one_box(places: u32) -> PaperKind {
    PaperKind::Approval {
        places,
        style: PaperStyle::OneBox,
        vote: ApprovalVote::Recommend,
    }
}

/// Every kind of paper, from one row to the most a sheet takes: boxes apart and on the page,
/// text within the margins. `HUIWU_PAPER_PNG=dir` writes each sheet as a picture to look at.
#[test]
fn every_layout_keeps_its_boxes_apart_and_on_the_page() {
    use layout::{FID_SIZE, FIDUCIALS, PAGE_W, QR, max_rows};
    for kind in [columns(3), one_box(2), PaperKind::Evaluation] {
        for n in [1, 5, 15, max_rows()] {
            let sheet = sheet_of(&spec(kind.clone(), n)).unwrap();
            assert_eq!(sheet.boxes.len(), n);
            let all: Vec<_> = sheet.boxes.iter().flatten().collect();
            assert!(all.iter().all(|b| b.w >= 9.0 && b.h >= 5.5), "{kind:?} {n}");
            for (i, a) in all.iter().enumerate() {
                assert!(a.x > 18.0 && a.x + a.w < 192.0 && a.y > 80.0 && a.y + a.h < 273.0);
                for b in &all[i + 1..] {
                    let apart = a.x + a.w + 2.0 <= b.x
                        || b.x + b.w + 2.0 <= a.x
                        || a.y + a.h + 1.5 <= b.y
                        || b.y + b.h + 1.5 <= a.y;
                    assert!(apart, "{kind:?} {n}: {a:?} {b:?}");
                }
            }
            for t in &sheet.texts {
                let (l, r) = (t.left(), t.left() + t.width());
                assert!(l >= 18.0 && r <= 192.0, "{kind:?} {n}: {t:?} runs to {r}");
                let clear_of_qr = r < QR.x - 2.0 || t.y > QR.y + QR.h + 5.0;
                assert!(clear_of_qr, "{t:?} over the QR code");
            }
            for (x, y) in FIDUCIALS {
                assert!(x - FID_SIZE / 2.0 > 5.0 && x + FID_SIZE / 2.0 < PAGE_W - 5.0 && y > 5.0);
            }
            if let Some(dir) = std::env::var_os("HUIWU_PAPER_PNG") {
                let img = synth::scan(&sheet, &[], &Distortion::default(), 0);
                let name = format!("{}-{n}.png", kind.choices());
                std::fs::write(std::path::Path::new(&dir).join(name), img).unwrap();
            }
        }
    }
    assert!(sheet_of(&spec(columns(3), max_rows() + 1)).is_err());
    assert!(sheet_of(&spec(columns(3), 0)).is_err());
}

/// A paper printed before the candidates changed (same number of rows) is refused by its code,
/// not read into whichever candidate now stands in its row.
#[test]
fn the_code_names_the_rows_so_an_old_paper_is_refused() {
    let printed = spec(columns(10), 15);
    let mut now = printed.clone();
    now.rows.swap(2, 3);
    let sheet = sheet_of(&printed).unwrap();
    let img = synth::scan(&sheet, &[], &Distortion::default(), 4);
    let img = image::load_from_memory(&img).unwrap().to_luma8();
    let (_, payload) = locate(&img).unwrap();
    assert_eq!(printed.refuse(&payload), None);
    let why = now.refuse(&payload).expect("refused");
    assert!(
        why.zh.contains("候选项目或应选名额与本轮不符"),
        "{}",
        why.zh
    );
    let mut fewer_places = printed.clone();
    fewer_places.kind = columns(9);
    assert!(fewer_places.refuse(&payload).is_some());
}

#[test]
fn a_jpeg_cut_short_is_refused_not_read_as_grey() {
    let s = spec(columns(10), 15);
    let sheet = sheet_of(&s).unwrap();
    let rows: Vec<RowMark> = (0..15)
        .map(|_| RowMark {
            choice: Some(0),
            style: Style::Circle,
            extra: Extra::None,
        })
        .collect();
    let d = Distortion {
        jpeg: Some(80),
        ..Distortion::default()
    };
    let whole = synth::scan(&sheet, &rows, &d, 3);
    assert!(intake::grey(&whole).is_ok());
    // Padding after the end marker is allowed; a file cut before it is not a sheet.
    let mut padded = whole.clone();
    padded.extend_from_slice(&[0, 0, 0]);
    assert!(intake::grey(&padded).is_ok());
    let cut = &whole[..whole.len() * 997 / 1000];
    let err = intake::grey(cut).unwrap_err();
    assert!(err.zh.contains("不完整"), "{}", err.zh);
}

#[test]
fn the_row_picture_is_upright_whatever_the_scan() {
    let s = spec(columns(10), 15);
    let sheet = sheet_of(&s).unwrap();
    // Row 3 has a filled 不赞成 box; the others nothing.
    let rows: Vec<RowMark> = (0..15)
        .map(|i| RowMark {
            choice: (i == 2).then_some(1),
            style: Style::Filled,
            extra: Extra::None,
        })
        .collect();
    let pictures: Vec<image::GrayImage> = [false, true]
        .iter()
        .map(|&upside_down| {
            let d = Distortion {
                rotate: 3.0,
                upside_down,
                ..Distortion::default()
            };
            let img = intake::grey(&synth::scan(&sheet, &rows, &d, 5)).unwrap();
            let (frame, _) = locate(&img).unwrap();
            crop::row_picture(&img, &frame, &sheet, 2, 4.0, 400).unwrap()
        })
        .collect();
    for p in &pictures {
        // The ink is in the middle third (the 不赞成 column of three), not at either side.
        let third = p.width() / 3;
        let dark = |x0: u32, x1: u32| {
            (x0..x1)
                .flat_map(|x| (0..p.height()).map(move |y| (x, y)))
                .filter(|&(x, y)| p.get_pixel(x, y).0[0] < 100)
                .count()
        };
        let (l, m, r) = (
            dark(0, third),
            dark(third, 2 * third),
            dark(2 * third, p.width()),
        );
        assert!(m > 3 * l.max(r), "left {l} middle {m} right {r}");
    }
}

/// One-box marks near the box's edge are cut by it; the reader looks for the mark's own centre
/// of symmetry, so a cut circle or a cross whose strokes leave the box is still read, while
/// only a faint pencil line below the ink threshold waits for a clerk.
#[test]
fn one_box_marks_cut_by_the_box_edge_are_still_read() {
    let s = spec(one_box(10), 15);
    let sheet = sheet_of(&s).unwrap();
    for style in synth::styles_for(&s.kind) {
        let (mut doubt, mut n) = (0, 0);
        for k in 0..6u64 {
            let rows: Vec<RowMark> = (0..15)
                .map(|_| RowMark {
                    choice: Some(0),
                    style: *style,
                    extra: Extra::None,
                })
                .collect();
            let img =
                intake::grey(&synth::scan(&sheet, &rows, &Distortion::default(), 100 + k)).unwrap();
            let (frame, _) = locate(&img).unwrap();
            for (r, m) in read_rows(&img, &frame, &sheet, &s.kind).iter().zip(&rows) {
                n += 1;
                match r.letter {
                    None => doubt += 1,
                    Some(c) => assert_eq!(c, synth::intended(&s.kind, m), "{style:?}"),
                }
            }
        }
        eprintln!("{style:?}: {doubt}/{n} to a clerk");
        if *style != Style::FaintPencil {
            assert!(doubt * 20 <= n, "{style:?}: {doubt} of {n} to a clerk");
        }
    }
}

/// A light pencil ring, lighter than the pen's ink level everywhere, is ink all the same: the
/// row goes to a clerk, never read as a blank 弃权 (the reader before issue 30 read it blank).
#[test]
fn a_light_ring_below_the_ink_level_goes_to_a_clerk_not_to_abstain() {
    let s = spec(columns(10), 15);
    let sheet = sheet_of(&s).unwrap();
    let rows: Vec<RowMark> = (0..15)
        .map(|_| RowMark {
            choice: None,
            style: Style::Circle,
            extra: Extra::None,
        })
        .collect();
    let img = synth::scan(&sheet, &rows, &Distortion::default(), 3);
    let mut img = image::load_from_memory(&img).unwrap().to_luma8();
    let (frame, _) = locate(&img).unwrap();
    // Grey 200 on white paper: about a fifth of the way to black, under the pen's level.
    let b = sheet.boxes[4][1];
    let (cx, cy) = b.centre();
    let (w, h) = img.dimensions();
    for k in 0..720 {
        let a = k as f32 / 720.0 * std::f32::consts::TAU;
        for dr in [0.0f32, 0.12] {
            let (px, py) = frame.map(cx + (2.0 + dr) * a.cos(), cy + (2.0 + dr) * a.sin());
            if px >= 0.0 && py >= 0.0 && (px as u32) < w && (py as u32) < h {
                img.put_pixel(px as u32, py as u32, image::Luma([200]));
            }
        }
    }
    let read = read_rows(&img, &frame, &sheet, &s.kind);
    assert!(
        read[4].scores.iter().all(|&v| v < scan::EMPTY_BELOW),
        "{:?}",
        read[4]
    );
    assert_eq!(read[4].letter, None, "{:?}", read[4]);
    assert_eq!(read[4].note, Some(marks::Doubt::Faint.reason()));
    // Every other row is blank and read so.
    for (i, r) in read.iter().enumerate().filter(|(i, _)| *i != 4) {
        assert_eq!(r.letter, Some('A'), "row {i}: {r:?}");
    }
}

/// Two marks in a row are 弃权 by the printed rule, but one of them may be a mark crossed
/// out: the row goes to a clerk with 弃权 suggested. A pen dot half a millimetre across in
/// another box is no mark (as a fleck of dust is none): the row reads as marked, or goes to a
/// clerk, never as anything else.
#[test]
fn two_marks_and_a_stray_dot_go_to_a_clerk_with_a_suggestion() {
    let s = spec(columns(10), 15);
    let sheet = sheet_of(&s).unwrap();
    let rows: Vec<RowMark> = (0..15)
        .map(|i| RowMark {
            choice: Some(i % 3),
            style: Style::Circle,
            extra: match i % 3 {
                0 => Extra::ScribbledOut,
                1 => Extra::StrayDot,
                _ => Extra::None,
            },
        })
        .collect();
    let img = synth::scan(&sheet, &rows, &Distortion::default(), 4);
    let img = image::load_from_memory(&img).unwrap().to_luma8();
    let (frame, _) = locate(&img).unwrap();
    let read = read_rows(&img, &frame, &sheet, &s.kind);
    for (i, (r, m)) in read.iter().zip(&rows).enumerate() {
        match m.extra {
            Extra::None => assert_eq!(r.letter, Some(synth::intended(&s.kind, m)), "row {i}"),
            Extra::StrayDot => assert!(
                r.letter.is_none() || r.letter == Some(synth::intended(&s.kind, m)),
                "row {i}: {r:?}"
            ),
            Extra::ScribbledOut => {
                assert_eq!(r.letter, None, "row {i}: {r:?}");
                assert!(r.note.is_some(), "row {i}: no reason given");
            }
        }
    }
}

/// Draw a pen line of `width` mm and grey `grey` along `pts` (mm on the paper) into a scan.
fn pen_line(
    img: &mut image::GrayImage,
    frame: &scan::Frame,
    pts: &[(f32, f32)],
    width: f32,
    grey: u8,
) {
    let (w, h) = img.dimensions();
    let px_per_mm = frame.scale();
    for seg in pts.windows(2) {
        let ((x0, y0), (x1, y1)) = (seg[0], seg[1]);
        let len = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
        let n = (len * px_per_mm * 2.0).ceil() as usize + 1;
        for k in 0..=n {
            let t = k as f32 / n as f32;
            let (cx, cy) = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
            let r = width / 2.0;
            let steps = (r * px_per_mm * 2.0).ceil() as i32;
            for dj in -steps..=steps {
                for di in -steps..=steps {
                    let (dx, dy) = (di as f32 / px_per_mm / 2.0, dj as f32 / px_per_mm / 2.0);
                    if dx * dx + dy * dy > r * r {
                        continue;
                    }
                    let (px, py) = frame.map(cx + dx, cy + dy);
                    if px >= 0.0 && py >= 0.0 && (px as u32) < w && (py as u32) < h {
                        let p = img.get_pixel_mut(px as u32, py as u32);
                        p.0[0] = p.0[0].min(grey);
                    }
                }
            }
        }
    }
}

/// One box: a ring drawn as large as the box runs over its printed outline (reader 2 sent it
/// to a clerk: the part inside the box is two arcs); a cross larger than the box crosses its
/// corners. Both are read; a tick drawn over the outline never is.
#[test]
fn one_box_marks_over_the_outline_are_read_by_their_form() {
    let s = spec(one_box(10), 15);
    let sheet = sheet_of(&s).unwrap();
    let rows: Vec<RowMark> = (0..15)
        .map(|_| RowMark {
            choice: None,
            style: Style::Circle,
            extra: Extra::None,
        })
        .collect();
    // At 150 dpi this rehearsal raster's outline is too soft to be seen clean and the rows fall
    // back to the other tests (a clerk); the independent corpus measures every resolution.
    for dpi in [200.0, 300.0] {
        let d = Distortion {
            dpi,
            ..Distortion::default()
        };
        let img = synth::scan(&sheet, &rows, &d, 9);
        let mut img = image::load_from_memory(&img).unwrap().to_luma8();
        let (frame, _) = locate(&img).unwrap();
        // A ring as a hand draws it: egg-shaped, begun at the top right and not quite closed.
        let oval = |b: &layout::Rect, gx: f32, gy: f32| -> Vec<(f32, f32)> {
            let (cx, cy) = b.centre();
            (0..=120)
                .map(|k| {
                    let a = -0.6 + k as f32 / 120.0 * (std::f32::consts::TAU - 0.45);
                    let f = 1.0 + 0.1 * a.sin() + 0.05 * (2.0 * a).cos();
                    (
                        cx + 0.6 + (b.w / 2.0 + gx) * f * a.cos(),
                        cy + (b.h / 2.0 + gy) * f * a.sin(),
                    )
                })
                .collect()
        };
        let ring = |b: &layout::Rect, grow: f32| oval(b, grow, grow);
        let b = |r: usize| sheet.boxes[r][0];
        // rings as large as the box, touching its outline
        pen_line(&mut img, &frame, &ring(&b(0), -0.8), 0.5, 30);
        pen_line(&mut img, &frame, &ring(&b(1), -0.9), 0.45, 40);
        // wider than the box and not as tall: it runs out over the outline and back
        pen_line(&mut img, &frame, &oval(&b(2), 0.9, -1.2), 0.6, 60);
        // a ring drawn round the box, clear of it: little ink inside, a clerk's or a ○
        pen_line(&mut img, &frame, &ring(&b(6), 0.9), 0.5, 30);
        // a cross from corner to corner and beyond
        let c = b(3);
        // a cross from corner to corner and beyond, its second stroke off the first's middle
        pen_line(
            &mut img,
            &frame,
            &[(c.x - 1.0, c.y - 0.6), (c.x + c.w + 1.0, c.y + c.h + 0.6)],
            0.5,
            30,
        );
        pen_line(
            &mut img,
            &frame,
            &[(c.x + c.w - 2.0, c.y - 0.8), (c.x + 1.0, c.y + c.h + 0.4)],
            0.5,
            30,
        );
        // ticks whose arms run out over the top of the box
        let t = b(4);
        pen_line(
            &mut img,
            &frame,
            &[
                (t.x + 3.0, t.y + 4.0),
                (t.x + 5.5, t.y + t.h - 1.5),
                (t.x + 10.0, t.y - 0.8),
            ],
            0.5,
            30,
        );
        let t = b(5);
        pen_line(
            &mut img,
            &frame,
            &[
                (t.x + 2.0, t.y - 0.6),
                (t.x + 6.0, t.y + t.h - 1.0),
                (t.x + 12.0, t.y - 0.9),
            ],
            0.5,
            30,
        );
        let read = read_rows(&img, &frame, &sheet, &s.kind);
        for (r, row) in read.iter().enumerate().take(2) {
            assert_eq!(row.letter, Some('Y'), "{dpi} dpi, ring {r}: {row:?}");
        }
        for r in [2, 6] {
            assert!(
                matches!(read[r].letter, None | Some('Y')),
                "{dpi} dpi, ring {r}: {:?}",
                read[r]
            );
        }
        assert_eq!(read[3].letter, Some('N'), "{dpi} dpi, cross: {:?}", read[3]);
        for (r, row) in read.iter().enumerate().take(6).skip(4) {
            assert_eq!(row.letter, None, "{dpi} dpi, tick {r}: {row:?}");
        }
        for (i, r) in read.iter().enumerate().skip(7) {
            assert_eq!(r.letter, Some('A'), "{dpi} dpi, row {i}: {r:?}");
        }
    }
}
