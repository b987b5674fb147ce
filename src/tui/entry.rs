//! The paper being keyed: one mark per candidate, a cursor, and the shortcuts a clerk uses to
//! key a paper in as few keystrokes as the paper allows.

/// The paper on the entry desk. `None` = not marked yet (recorded as 弃权).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entry {
    pub marks: Vec<Option<char>>,
    pub cursor: usize,
    /// Serial of the paper being corrected, when correcting rather than keying a new one.
    pub correcting: Option<String>,
    /// A key that is no mark of this paper was pressed at this row: the paper stops there
    /// (every later mark would land a row too high) until Backspace or Esc.
    pub slip: Option<Slip>,
}

/// A key pressed while keying that marks nothing on this kind of paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    /// The row the cursor was on (0-based).
    pub row: usize,
    /// The key as typed.
    pub key: String,
}

impl Entry {
    pub fn new(n: usize) -> Self {
        Entry {
            marks: vec![None; n],
            cursor: 0,
            correcting: None,
            slip: None,
        }
    }

    /// Stop the paper at the cursor's row: `key` marks nothing here. The first slip stays
    /// until it is taken back.
    pub fn stop(&mut self, key: String) {
        if self.slip.is_none() {
            let row = self.cursor.min(self.marks.len().saturating_sub(1));
            self.slip = Some(Slip { row, key });
        }
    }

    /// The rows (0-based) not marked yet.
    pub fn unmarked(&self) -> Vec<usize> {
        (0..self.marks.len())
            .filter(|&i| self.marks[i].is_none())
            .collect()
    }

    /// Every row not marked yet gets `letter` (the rest 弃权, on purpose); rows already
    /// marked keep their marks.
    pub fn fill_unmarked(&mut self, letter: char) {
        for m in self.marks.iter_mut().filter(|m| m.is_none()) {
            *m = Some(letter);
        }
        self.cursor = self.marks.len();
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

    /// Step back and clear that mark (Backspace); after a slip, take back the slipped key
    /// alone: it marked nothing, and the cursor is still on its row.
    pub fn back(&mut self) {
        if let Some(slip) = self.slip.take() {
            self.cursor = slip.row;
            return;
        }
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

    /// The letters to record: unmarked candidates are 弃权 (`A`) (only a correction or a
    /// void paper is recorded with rows unmarked; a new paper must be complete).
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
    fn a_slip_stops_the_paper_at_its_row_until_backspace_takes_it_back() {
        let mut e = Entry::new(4);
        e.mark('S');
        e.stop("o".into());
        e.stop("x".into()); // the first slip is the one to take back
        assert_eq!(
            e.slip,
            Some(Slip {
                row: 1,
                key: "o".into()
            })
        );
        e.back();
        assert_eq!(e.slip, None);
        assert_eq!(
            e.letters(),
            "SAAA",
            "Backspace took back the slip, not the mark"
        );
        assert_eq!(e.cursor, 1);
        e.back();
        assert_eq!(e.letters(), "AAAA");
    }

    #[test]
    fn the_rest_abstain_fills_only_unmarked_rows() {
        let mut e = Entry::new(5);
        e.mark('Y');
        e.right();
        e.mark('N');
        assert_eq!(e.unmarked(), vec![1, 3, 4]);
        e.fill_unmarked('A');
        assert_eq!(e.letters(), "YANAA");
        assert!(e.unmarked().is_empty());
        assert_eq!(e.cursor, 5);
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
