//! The paper being keyed: one mark per candidate, a cursor, and the shortcuts a clerk uses to
//! key a paper in as few keystrokes as the paper allows.

/// The paper on the entry desk. `None` = not marked yet (recorded as 弃权).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entry {
    pub marks: Vec<Option<char>>,
    pub cursor: usize,
    /// Serial of the paper being corrected, when correcting rather than keying a new one.
    pub correcting: Option<String>,
}

impl Entry {
    pub fn new(n: usize) -> Self {
        Entry {
            marks: vec![None; n],
            cursor: 0,
            correcting: None,
        }
    }

    /// Load a recorded paper's letters for correction.
    pub fn for_correction(letters: &str, n: usize, serial: &str) -> Self {
        let mut e = Entry::new(n);
        for (i, c) in letters.chars().take(n).enumerate() {
            e.marks[i] = Some(c);
        }
        e.correcting = Some(serial.to_string());
        e
    }

    pub fn is_blank(&self) -> bool {
        self.marks.iter().all(Option::is_none)
    }

    /// Set the mark under the cursor and move on.
    pub fn mark(&mut self, letter: char) {
        if self.marks.is_empty() {
            return;
        }
        let i = self.cursor.min(self.marks.len() - 1);
        self.marks[i] = Some(letter);
        if self.cursor + 1 < self.marks.len() {
            self.cursor += 1;
        } else {
            // Past the last candidate: the cursor rests after it, so Enter is next.
            self.cursor = self.marks.len();
        }
    }

    /// Step back and clear that mark (Backspace).
    pub fn back(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
        }
        if let Some(m) = self.marks.get_mut(self.cursor) {
            *m = None;
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.marks.len());
    }

    pub fn up(&mut self) {
        self.left();
    }

    pub fn down(&mut self) {
        self.right();
    }

    /// Every candidate from the cursor on gets `letter` (e.g. the rest 赞成).
    pub fn fill_rest(&mut self, letter: char) {
        let from = self.cursor.min(self.marks.len());
        for m in &mut self.marks[from..] {
            *m = Some(letter);
        }
        self.cursor = self.marks.len();
    }

    /// All `yes`, except the listed candidates (1-based numbers), which get `other`.
    pub fn all_except(&mut self, yes: char, other: char, except: &[usize]) {
        for (i, m) in self.marks.iter_mut().enumerate() {
            *m = Some(if except.contains(&(i + 1)) {
                other
            } else {
                yes
            });
        }
        self.cursor = self.marks.len();
    }

    /// The letters to record: unmarked candidates are 弃权 (`A`).
    pub fn letters(&self) -> String {
        self.marks.iter().map(|m| m.unwrap_or('A')).collect()
    }

    pub fn count(&self, letter: char) -> usize {
        self.marks.iter().filter(|m| **m == Some(letter)).count()
    }
}

/// Parse "3 7 12" / "3,7,12" / "3、7" into candidate numbers within 1..=n.
pub fn parse_numbers(s: &str, n: usize) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for tok in s
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '\u{ff0c}' | '、' | ';'))
        .filter(|t| !t.is_empty())
    {
        let k: usize = tok.parse().map_err(|_| tok.to_string())?;
        if k == 0 || k > n {
            return Err(tok.to_string());
        }
        if !out.contains(&k) {
            out.push(k);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keying_moves_along_and_unmarked_is_abstain() {
        let mut e = Entry::new(4);
        e.mark('Y');
        e.mark('N');
        assert_eq!(e.letters(), "YNAA");
        assert_eq!(e.cursor, 2);
        e.back();
        assert_eq!(e.letters(), "YAAA");
        e.mark('Y');
        e.mark('Y');
        e.mark('Y');
        assert_eq!(e.cursor, 4);
        e.mark('N'); // at the end the last mark is overwritten, nothing panics
        assert_eq!(e.letters(), "YYYN");
    }

    #[test]
    fn shortcuts() {
        let mut e = Entry::new(5);
        e.mark('N');
        e.fill_rest('Y');
        assert_eq!(e.letters(), "NYYYY");
        e.all_except('Y', 'N', &[2, 5]);
        assert_eq!(e.letters(), "YNYYN");
        assert_eq!(e.count('Y'), 3);
        let e = Entry::for_correction("YNA", 3, "m-1");
        assert_eq!(e.letters(), "YNA");
        assert_eq!(e.correcting.as_deref(), Some("m-1"));
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_numbers("3 7,12、3", 15), Ok(vec![3, 7, 12]));
        assert_eq!(parse_numbers("16", 15), Err("16".into()));
        assert_eq!(parse_numbers("x", 15), Err("x".into()));
        assert_eq!(parse_numbers("", 15), Ok(vec![]));
    }

    #[test]
    fn empty_ballot_never_panics() {
        let mut e = Entry::new(0);
        e.mark('Y');
        e.back();
        e.fill_rest('Y');
        assert_eq!(e.letters(), "");
    }
}
