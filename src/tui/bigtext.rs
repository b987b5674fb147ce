//! Figures for the hall (attendance, papers counted, a speaker's time): each character drawn
//! from the 8×8 bitmap font of `font8x8` as whole blocks, half blocks or quadrants, the largest
//! the space allows. Only what the console shows this way is supported: one line of ASCII
//! (digits, a clock's colon); another character leaves its cell blank.

use font8x8::{BASIC_FONTS, UnicodeFonts};
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::widgets::Widget;

/// Font pixels per terminal cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelSize {
    /// One pixel a cell: 8×8 cells a character.
    Full,
    /// Two pixels one above the other: 8×4 cells.
    HalfHeight,
    /// Two by two: 4×4 cells.
    Quadrant,
}

impl PixelSize {
    /// Pixels per cell, across and down.
    fn per_cell(self) -> (u16, u16) {
        match self {
            PixelSize::Full => (1, 1),
            PixelSize::HalfHeight => (1, 2),
            PixelSize::Quadrant => (2, 2),
        }
    }

    /// The cell for the pixels at (`x`, `y`) of `glyph` and those it shares a cell with.
    fn symbol(self, glyph: &[u8; 8], y: usize, x: usize) -> char {
        let on = |dy: usize, dx: usize| {
            glyph
                .get(y + dy)
                .is_some_and(|row| x + dx < 8 && row & (1 << (x + dx)) != 0)
        };
        match self {
            PixelSize::Full => {
                if on(0, 0) {
                    '█'
                } else {
                    ' '
                }
            }
            PixelSize::HalfHeight => match (on(0, 0), on(1, 0)) {
                (false, false) => ' ',
                (false, true) => '▄',
                (true, false) => '▀',
                (true, true) => '█',
            },
            PixelSize::Quadrant => {
                const QUADRANTS: [char; 16] = [
                    ' ', '▘', '▝', '▀', '▖', '▌', '▞', '▛', '▗', '▚', '▐', '▜', '▄', '▙', '▟', '█',
                ];
                let i = usize::from(on(0, 0))
                    | usize::from(on(0, 1)) << 1
                    | usize::from(on(1, 0)) << 2
                    | usize::from(on(1, 1)) << 3;
                QUADRANTS[i]
            }
        }
    }
}

/// One line of large characters.
pub struct BigText {
    text: String,
    size: PixelSize,
    style: Style,
    alignment: Alignment,
}

impl BigText {
    pub fn new(text: impl Into<String>, size: PixelSize) -> Self {
        BigText {
            text: text.into(),
            size,
            style: Style::new(),
            alignment: Alignment::Left,
        }
    }

    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    pub fn centered(mut self) -> Self {
        self.alignment = Alignment::Center;
        self
    }
}

impl Widget for BigText {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.is_empty() {
            return;
        }
        let (sx, sy) = self.size.per_cell();
        let (w, h) = (8u16.div_ceil(sx), 8u16.div_ceil(sy));
        let n = u16::try_from(self.text.chars().count()).unwrap_or(u16::MAX);
        let width = n.saturating_mul(w);
        let offset = match self.alignment {
            Alignment::Center => (area.width / 2).saturating_sub(width / 2),
            Alignment::Right => area.width.saturating_sub(width),
            Alignment::Left => 0,
        };
        let mut x = area.left().saturating_add(offset);
        for c in self.text.chars() {
            if x >= area.right() {
                break;
            }
            let cell = Rect::new(x, area.top(), w.min(area.right() - x), h.min(area.height));
            buf.set_style(cell, self.style);
            if let Some(glyph) = BASIC_FONTS.get(c) {
                let rows = (0..8)
                    .step_by(usize::from(sy))
                    .zip(cell.top()..cell.bottom());
                for (gy, cy) in rows {
                    let cols = (0..8)
                        .step_by(usize::from(sx))
                        .zip(cell.left()..cell.right());
                    for (gx, cx) in cols {
                        buf[(cx, cy)].set_char(self.size.symbol(&glyph, gy, gx));
                    }
                }
            }
            x = x.saturating_add(w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(text: &str, size: PixelSize, w: u16, h: u16) -> Vec<String> {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        BigText::new(text, size).render(area, &mut buf);
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
            .collect()
    }

    #[test]
    fn a_one_is_drawn_whole_at_each_size_and_cut_at_the_edge() {
        // font8x8's "1": rows 0x0C 0x0E 0x0C 0x0C 0x0C 0x0C 0x3F 0x00, bit 0 the left pixel.
        let full = drawn("1", PixelSize::Full, 8, 8);
        assert_eq!(full[0], "  ██    ");
        assert_eq!(full[1], " ███    ");
        assert_eq!(full[6], "██████  ");
        assert_eq!(full[7], "        ");
        let half = drawn("1", PixelSize::HalfHeight, 8, 4);
        assert_eq!(half[0], " ▄██    ");
        assert_eq!(half[3], "▀▀▀▀▀▀  ");
        let quad = drawn("1", PixelSize::Quadrant, 4, 4);
        assert_eq!(quad[0], "▗█  ");
        assert_eq!(quad[3], "▀▀▀ ");
        // Two characters in the room of one: the second is not drawn over the first.
        assert_eq!(drawn("11", PixelSize::Quadrant, 4, 4), quad);
    }

    #[test]
    fn a_character_outside_the_font_leaves_its_cell_blank_and_nothing_panics() {
        assert!(
            drawn("名", PixelSize::Full, 8, 8)
                .iter()
                .all(|r| r.trim().is_empty())
        );
        for (w, h) in [(0, 0), (1, 1), (3, 9), (100, 2)] {
            let _ = drawn("12:34", PixelSize::Full, w, h);
        }
    }
}
