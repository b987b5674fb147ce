//! Attendance counts and the quorum rule (DESIGN.md §2.1).

use serde::{Deserialize, Serialize};

use crate::domain::session::QuorumRule;
use crate::i18n::Lang;

/// A deputy's attendance at this plenary. Deputies not yet marked are said apart in the
/// announcement, never counted as absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    #[default]
    Unmarked,
    Present,
    /// 请假
    Leave,
    /// 缺席
    Absent,
}

impl Presence {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Presence::Unmarked => lang.t("未登记", "unmarked"),
            Presence::Present => lang.t("出席", "present"),
            Presence::Leave => lang.t("请假", "on leave"),
            Presence::Absent => lang.t("缺席", "absent"),
        }
    }
}

/// 应到 / 实到 / 请假 / 缺席 (+ not yet marked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Attendance {
    /// 应到: every deputy on the roster.
    pub total: u32,
    pub present: u32,
    pub leave: u32,
    pub absent: u32,
    pub unmarked: u32,
}

impl Attendance {
    pub fn new(total: u32) -> Self {
        Attendance {
            total,
            unmarked: total,
            ..Default::default()
        }
    }

    fn slot(&mut self, p: Presence) -> &mut u32 {
        match p {
            Presence::Unmarked => &mut self.unmarked,
            Presence::Present => &mut self.present,
            Presence::Leave => &mut self.leave,
            Presence::Absent => &mut self.absent,
        }
    }

    /// Move one deputy from one status to another.
    pub fn shift(&mut self, from: Presence, to: Presence) {
        *self.slot(from) -= 1;
        *self.slot(to) += 1;
    }

    pub fn quorum_met(&self, rule: QuorumRule) -> bool {
        quorum_met(rule, self.total, self.present)
    }

    /// Met, not met, or not known while the deputies still to be registered could meet it.
    pub fn verdict(&self, rule: QuorumRule) -> Verdict {
        if self.quorum_met(rule) {
            Verdict::Met
        } else if self.unmarked > 0 && quorum_met(rule, self.total, self.present + self.unmarked) {
            Verdict::Pending
        } else {
            Verdict::NotMet
        }
    }

    /// The announcement sentence (DESIGN.md §4).
    pub fn sentence(&self, rule: QuorumRule, lang: Lang) -> String {
        // Deputies not yet marked are not absent: they are said apart until the roll is done.
        let (n, p, l, a, u) = (
            self.total,
            self.present,
            self.leave,
            self.absent,
            self.unmarked,
        );
        match lang {
            Lang::Zh => {
                let verdict = match (rule, self.verdict(rule)) {
                    (QuorumRule::None, _) => "",
                    (_, Verdict::Met) => ",符合法定人数",
                    // Those still to register could meet it: no verdict before the roll is done.
                    (_, Verdict::Pending) => "",
                    (_, Verdict::NotMet) => ",不符合法定人数",
                };
                let pending = if u > 0 {
                    format!(",尚未登记{u}名")
                } else {
                    String::new()
                };
                format!("本次会议应到代表{n}名,实到{p}名,请假{l}名,缺席{a}名{pending}{verdict}。")
            }
            Lang::En => {
                let verdict = match (rule, self.verdict(rule)) {
                    (QuorumRule::None, _) => "",
                    (_, Verdict::Met) => "; the quorum is met",
                    (_, Verdict::Pending) => "",
                    (_, Verdict::NotMet) => "; the quorum is NOT met",
                };
                let pending = if u > 0 {
                    format!(", not yet registered {u}")
                } else {
                    String::new()
                };
                format!(
                    "Deputies expected {n}, present {p}, on leave {l}, absent {a}{pending}{verdict}."
                )
            }
        }
    }
}

/// Whether the quorum is met, as far as the roll tells yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    /// Not met by those present, but the deputies not yet registered could still meet it: the
    /// roll is not done, and the meeting is not called inquorate before it is.
    Pending,
    NotMet,
}

/// 三分之二以上 includes exactly two-thirds; 过半数 excludes exactly half. Integers only.
pub fn quorum_met(rule: QuorumRule, all: u32, present: u32) -> bool {
    let (all, present) = (u64::from(all), u64::from(present));
    match rule {
        QuorumRule::TwoThirds => present * 3 >= all * 2,
        QuorumRule::Majority => present * 2 > all,
        QuorumRule::None => true,
    }
}

/// Smallest number present that meets the rule.
pub fn quorum_needed(rule: QuorumRule, all: u32) -> u32 {
    match rule {
        QuorumRule::TwoThirds => (all * 2).div_ceil(3),
        QuorumRule::Majority => all / 2 + 1,
        QuorumRule::None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_thirds_includes_the_boundary() {
        assert!(quorum_met(QuorumRule::TwoThirds, 300, 200));
        assert!(!quorum_met(QuorumRule::TwoThirds, 300, 199));
        // odd total: 2/3 of 301 is 200.67, so 201 is needed
        assert!(quorum_met(QuorumRule::TwoThirds, 301, 201));
        assert!(!quorum_met(QuorumRule::TwoThirds, 301, 200));
        assert_eq!(quorum_needed(QuorumRule::TwoThirds, 300), 200);
        assert_eq!(quorum_needed(QuorumRule::TwoThirds, 301), 201);
        assert_eq!(quorum_needed(QuorumRule::TwoThirds, 199), 133);
        assert!(quorum_met(QuorumRule::TwoThirds, 199, 133));
        assert!(!quorum_met(QuorumRule::TwoThirds, 199, 132));
    }

    #[test]
    fn majority_excludes_exactly_half() {
        assert!(!quorum_met(QuorumRule::Majority, 300, 150));
        assert!(quorum_met(QuorumRule::Majority, 300, 151));
        assert!(quorum_met(QuorumRule::Majority, 45, 23));
        assert!(!quorum_met(QuorumRule::Majority, 45, 22));
        assert_eq!(quorum_needed(QuorumRule::Majority, 300), 151);
        assert_eq!(quorum_needed(QuorumRule::Majority, 45), 23);
    }

    #[test]
    fn needed_is_consistent_with_met() {
        for all in 1..400 {
            for rule in [QuorumRule::TwoThirds, QuorumRule::Majority] {
                let need = quorum_needed(rule, all);
                assert!(quorum_met(rule, all, need), "{rule:?} {all}");
                assert!(!quorum_met(rule, all, need - 1), "{rule:?} {all}");
            }
        }
    }

    #[test]
    fn the_quorum_is_not_called_missed_while_those_to_register_could_meet_it() {
        // 298 deputies, two thirds: 199 needed (3 × 199 = 597 ≥ 596).
        let mut a = Attendance::new(298);
        assert_eq!(a.verdict(QuorumRule::TwoThirds), Verdict::Pending);
        assert_eq!(
            a.sentence(QuorumRule::TwoThirds, Lang::Zh),
            "本次会议应到代表298名,实到0名,请假0名,缺席0名,尚未登记298名。"
        );
        for _ in 0..150 {
            a.shift(Presence::Unmarked, Presence::Present);
        }
        for _ in 0..99 {
            a.shift(Presence::Unmarked, Presence::Leave);
        }
        // 150 present and 49 to register: exactly 199 if all of them come.
        assert_eq!((a.present, a.unmarked), (150, 49));
        assert_eq!(a.verdict(QuorumRule::TwoThirds), Verdict::Pending);
        assert!(
            a.sentence(QuorumRule::TwoThirds, Lang::Zh)
                .ends_with("实到150名,请假99名,缺席0名,尚未登记49名。")
        );
        a.shift(Presence::Unmarked, Presence::Absent);
        // 48 left: 198 at most, the quorum cannot be met now.
        assert_eq!(a.verdict(QuorumRule::TwoThirds), Verdict::NotMet);
        assert!(
            a.sentence(QuorumRule::TwoThirds, Lang::Zh)
                .ends_with("尚未登记48名,不符合法定人数。")
        );
        for _ in 0..49 {
            a.shift(Presence::Leave, Presence::Present);
        }
        // 199 present with 48 still to register: met.
        assert_eq!(a.verdict(QuorumRule::TwoThirds), Verdict::Met);
        // A majority of an even 300: 151 needed; 100 present and 51 to register may still be.
        let mut m = Attendance::new(300);
        for _ in 0..100 {
            m.shift(Presence::Unmarked, Presence::Present);
        }
        for _ in 0..149 {
            m.shift(Presence::Unmarked, Presence::Leave);
        }
        assert_eq!((m.present, m.unmarked), (100, 51));
        assert_eq!(m.verdict(QuorumRule::Majority), Verdict::Pending);
        m.shift(Presence::Unmarked, Presence::Absent);
        assert_eq!(m.verdict(QuorumRule::Majority), Verdict::NotMet);
        assert!(
            m.sentence(QuorumRule::Majority, Lang::En)
                .ends_with("not yet registered 50; the quorum is NOT met.")
        );
        assert_eq!(
            Attendance::new(10).sentence(QuorumRule::None, Lang::Zh),
            "本次会议应到代表10名,实到0名,请假0名,缺席0名,尚未登记10名。"
        );
    }

    #[test]
    fn announcement_sentence() {
        let mut a = Attendance::new(300);
        for _ in 0..200 {
            a.shift(Presence::Unmarked, Presence::Present);
        }
        for _ in 0..60 {
            a.shift(Presence::Unmarked, Presence::Leave);
        }
        for _ in 0..30 {
            a.shift(Presence::Unmarked, Presence::Absent);
        }
        // ten not yet registered are said apart, never counted as absent
        assert_eq!(
            a.sentence(QuorumRule::TwoThirds, Lang::Zh),
            "本次会议应到代表300名,实到200名,请假60名,缺席30名,尚未登记10名,符合法定人数。"
        );
        for _ in 0..10 {
            a.shift(Presence::Unmarked, Presence::Absent);
        }
        assert_eq!(
            a.sentence(QuorumRule::TwoThirds, Lang::Zh),
            "本次会议应到代表300名,实到200名,请假60名,缺席40名,符合法定人数。"
        );
        a.shift(Presence::Present, Presence::Absent);
        assert_eq!(
            a.sentence(QuorumRule::TwoThirds, Lang::Zh),
            "本次会议应到代表300名,实到199名,请假60名,缺席41名,不符合法定人数。"
        );
        assert!(
            a.sentence(QuorumRule::TwoThirds, Lang::En)
                .contains("NOT met")
        );
        assert_eq!(
            a.sentence(QuorumRule::None, Lang::Zh),
            "本次会议应到代表300名,实到199名,请假60名,缺席41名。"
        );
    }
}
