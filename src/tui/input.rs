//! A one-line text field that handles Chinese: the cursor moves by character and is placed on
//! screen by display width, so the terminal's IME composes where the text goes.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Cursor position in characters.
    cursor: usize,
    /// Ctrl-J / Alt-Enter insert a line break (Enter still submits).
    pub multiline: bool,
    /// A value filled in for the operator: the first key typed replaces it (not appended to
    /// it: 280 then 279 is 279, never 280279); moving the cursor keeps it for editing.
    fresh: bool,
}

/// What a key did to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Changed,
    Moved,
    Submit,
    Cancel,
    Ignored,
}

impl TextInput {
    pub fn with(text: &str) -> Self {
        TextInput {
            text: text.to_string(),
            cursor: text.chars().count(),
            multiline: false,
            fresh: false,
        }
    }

    /// A field holding a suggested value that typing replaces.
    pub fn prefilled(text: &str) -> Self {
        TextInput {
            fresh: !text.is_empty(),
            ..TextInput::with(text)
        }
    }

    /// Whether the text shown is a suggestion the next key replaces.
    pub fn is_fresh(&self) -> bool {
        self.fresh
    }

    pub fn multiline() -> Self {
        TextInput {
            multiline: true,
            ..TextInput::default()
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    pub fn handle(&mut self, key: &KeyEvent) -> Edit {
        if self.fresh {
            match key.code {
                KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete
                    if !key.modifiers.contains(KeyModifiers::CONTROL) =>
                {
                    // The suggestion goes; what is typed takes its place.
                    self.text.clear();
                    self.cursor = 0;
                    self.fresh = false;
                    if !matches!(key.code, KeyCode::Char(_)) {
                        return Edit::Changed;
                    }
                }
                KeyCode::Left | KeyCode::Right | KeyCode::Home | KeyCode::End => {
                    self.fresh = false;
                }
                _ => {}
            }
        }
        let len = self.text.chars().count();
        let newline = (key.code == KeyCode::Enter && key.modifiers.contains(KeyModifiers::ALT))
            || (key.code == KeyCode::Char('j') && key.modifiers.contains(KeyModifiers::CONTROL));
        if newline {
            if !self.multiline {
                return Edit::Ignored;
            }
            self.insert('\n');
            return Edit::Changed;
        }
        match key.code {
            KeyCode::Enter => Edit::Submit,
            KeyCode::Esc => Edit::Cancel,
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.text.clear();
                self.cursor = 0;
                self.fresh = false;
                Edit::Changed
            }
            KeyCode::Char(c)
                if !key.modifiers.contains(KeyModifiers::CONTROL) && !c.is_control() =>
            {
                self.insert(c);
                Edit::Changed
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
                Edit::Changed
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                Edit::Changed
            }
            KeyCode::Left if self.cursor > 0 => {
                self.cursor -= 1;
                Edit::Moved
            }
            KeyCode::Right if self.cursor < len => {
                self.cursor += 1;
                Edit::Moved
            }
            KeyCode::Home => {
                self.cursor = 0;
                Edit::Moved
            }
            KeyCode::End => {
                self.cursor = len;
                Edit::Moved
            }
            _ => Edit::Ignored,
        }
    }

    /// The part of the text to show in `width` columns, and the cursor's column within it.
    /// Scrolls so the cursor stays visible; never splits a double-width character.
    pub fn view(&self, width: u16) -> (String, u16) {
        let width = usize::from(width);
        if width == 0 {
            return (String::new(), 0);
        }
        let chars: Vec<char> = self.text.chars().collect();
        let w = |c: &char| c.width().unwrap_or(0);
        // Start from the cursor and walk left while it fits (leave a column for the cursor).
        let mut start = self.cursor;
        let mut used = 0;
        while start > 0 && used + w(&chars[start - 1]) < width {
            used += w(&chars[start - 1]);
            start -= 1;
        }
        let mut shown = String::new();
        let mut total = 0;
        for c in &chars[start..] {
            if total + w(c) > width {
                break;
            }
            total += w(c);
            shown.push(*c);
        }
        let col = chars[start..self.cursor].iter().map(w).sum::<usize>();
        (shown, col.min(width.saturating_sub(1)) as u16)
    }

    pub fn width(&self) -> usize {
        self.text.width()
    }

    /// The text wrapped to `width` columns, at most `height` rows (the rows around the
    /// cursor), and the cursor's (column, row) within them.
    pub fn view_lines(&self, width: u16, height: u16) -> (Vec<String>, (u16, u16)) {
        let width = usize::from(width).max(1);
        let mut rows: Vec<String> = vec![String::new()];
        let mut used = 0;
        let mut cursor = (0usize, 0usize);
        for (i, c) in self
            .text
            .chars()
            .chain(std::iter::once('\u{0}'))
            .enumerate()
        {
            if i == self.cursor {
                if used >= width {
                    rows.push(String::new());
                    used = 0;
                }
                cursor = (used, rows.len() - 1);
            }
            if c == '\u{0}' {
                break;
            }
            if c == '\n' {
                rows.push(String::new());
                used = 0;
                continue;
            }
            let w = c.width().unwrap_or(0);
            if used + w > width {
                rows.push(String::new());
                used = 0;
            }
            rows.last_mut().expect("one row at least").push(c);
            used += w;
        }
        let height = usize::from(height).max(1);
        let start = (cursor.1 + 1).saturating_sub(height);
        let shown: Vec<String> = rows.into_iter().skip(start).take(height).collect();
        (shown, (cursor.0 as u16, (cursor.1 - start) as u16))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(s: &str) -> TextInput {
        let mut t = TextInput::default();
        for c in s.chars() {
            t.handle(&k(KeyCode::Char(c)));
        }
        t
    }

    #[test]
    fn a_suggested_value_is_replaced_by_typing_not_appended_to() {
        let mut t = TextInput::prefilled("280");
        assert!(t.is_fresh());
        for c in "279".chars() {
            t.handle(&k(KeyCode::Char(c)));
        }
        assert_eq!(t.text(), "279");
        // Backspace on the suggestion clears it
        let mut t = TextInput::prefilled("216");
        t.handle(&k(KeyCode::Backspace));
        assert_eq!(t.text(), "");
        // moving first keeps it for editing
        let mut t = TextInput::prefilled("216");
        t.handle(&k(KeyCode::End));
        t.handle(&k(KeyCode::Backspace));
        t.handle(&k(KeyCode::Char('5')));
        assert_eq!(t.text(), "215");
        // Enter takes the suggestion as it is
        let mut t = TextInput::prefilled("280");
        assert_eq!(t.handle(&k(KeyCode::Enter)), Edit::Submit);
        assert_eq!(t.text(), "280");
    }

    #[test]
    fn chinese_text_edits_by_character() {
        let mut t = typed("代表建议");
        assert_eq!(t.view(40), ("代表建议".to_string(), 8));
        t.handle(&k(KeyCode::Left));
        t.handle(&k(KeyCode::Backspace));
        assert_eq!(t.text(), "代表议");
        assert_eq!(t.view(40).1, 4);
        t.handle(&k(KeyCode::Char('a')));
        assert_eq!(t.text(), "代表a议");
        assert_eq!(t.view(40).1, 5);
        assert_eq!(t.handle(&k(KeyCode::Enter)), Edit::Submit);
    }

    #[test]
    fn multiline_notes_wrap_and_place_the_cursor() {
        let mut t = TextInput::multiline();
        for c in "一二三".chars() {
            t.handle(&k(KeyCode::Char(c)));
        }
        t.handle(&KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL));
        for c in "四五".chars() {
            t.handle(&k(KeyCode::Char(c)));
        }
        assert_eq!(t.text(), "一二三\n四五");
        // a full row pushes the cursor to the next one
        let (rows, cur) = t.view_lines(4, 5);
        assert_eq!(rows, vec!["一二", "三", "四五", ""]);
        assert_eq!(cur, (0, 3));
        let (rows, cur) = t.view_lines(6, 5);
        assert_eq!(rows, vec!["一二三", "四五"]);
        assert_eq!(cur, (4, 1));
        // only the rows around the cursor when the box is short
        assert_eq!(t.view_lines(6, 1), (vec!["四五".to_string()], (4, 0)));
        // a single-line field ignores the line break
        let mut one = TextInput::default();
        assert_eq!(
            one.handle(&KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT)),
            Edit::Ignored
        );
    }

    #[test]
    fn long_text_scrolls_and_keeps_the_cursor_visible() {
        let t = typed("一二三四五六七八九十");
        let (shown, col) = t.view(9);
        assert!(shown.ends_with('十'), "{shown}");
        assert!(shown.width() <= 9);
        assert!(col < 9);
        assert_eq!(t.view(0), (String::new(), 0));
        assert_eq!(t.view(1).1, 0);
    }
}
