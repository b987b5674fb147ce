//! Confirmations of steps that cannot be taken back in one key (DESIGN.md §2.12): the prompt
//! states the consequence with its figures, and only one answer takes the step — a digit the
//! prompt shows, drawn from 5–9 so that it is never a mark key of the count screen (marks use
//! 0–4), never Enter, and the same with Caps Lock on or off. Any other key cancels: the safe
//! answer is the default. A confirmation is a value (what it asks and what follows), so the
//! text shown and the handler cannot drift apart.

use crate::domain::action::Action;
use crate::i18n::Lang;

/// What follows the answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Then {
    Execute(Box<Action>),
    Quit,
}

impl Then {
    pub fn execute(a: Action) -> Then {
        Then::Execute(Box::new(a))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    /// The consequence, with its figures.
    pub lines: Vec<String>,
    /// What the answer does, as a verb: 宣布 / announce.
    pub verb: String,
    /// The one key that takes the step.
    pub answer: char,
    pub then: Then,
    /// The first line of the consequence shown, when it is longer than the box: the arrows
    /// and page keys read on through it (a 15-project announcement at 80×24), neither taking
    /// the step nor cancelling.
    pub scroll: usize,
}

impl Confirm {
    pub fn new(
        title: impl Into<String>,
        lines: Vec<String>,
        verb: impl Into<String>,
        then: Then,
        seed: u64,
    ) -> Confirm {
        Confirm {
            title: title.into(),
            lines,
            verb: verb.into(),
            answer: answer_digit(seed),
            then,
            scroll: 0,
        }
    }

    /// The last line of the prompt: which key does what.
    pub fn answer_line(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "按 {} {};按其他任意键取消(不做任何改动)",
                self.answer, self.verb
            ),
            Lang::En => format!(
                "Press {} to {}; any other key cancels (nothing changes)",
                self.answer, self.verb
            ),
        }
    }

    /// Whether `c` (already normalised) is the answer.
    pub fn accepts(&self, c: char) -> bool {
        c == self.answer
    }
}

/// A digit from 5 to 9 that changes from one prompt to the next, so no hand learns to type
/// through the question.
pub fn answer_digit(seed: u64) -> char {
    // splitmix64: enough to spread consecutive seeds.
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    char::from(b'5' + (z % 5) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_is_never_a_mark_digit_nor_enter() {
        let mut seen = std::collections::HashSet::new();
        for seed in 0..200 {
            let d = answer_digit(seed);
            assert!(('5'..='9').contains(&d), "{d}");
            seen.insert(d);
        }
        assert_eq!(seen.len(), 5, "every digit 5–9 comes up");
    }
}
