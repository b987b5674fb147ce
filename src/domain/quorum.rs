//! Attendance counts and the quorum rule (DESIGN.md §2.1).

use serde::{Deserialize, Serialize};

use crate::domain::session::QuorumRule;
use crate::i18n::Lang;

/// A deputy's attendance at this plenary. Unmarked deputies count as absent in the announcement.
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
                let verdict = match rule {
                    QuorumRule::None => String::new(),
                    _ if self.quorum_met(rule) => ",符合法定人数".to_string(),
                    _ => ",不符合法定人数".to_string(),
                };
                let pending = if u > 0 {
                    format!(",尚未登记{u}名")
                } else {
                    String::new()
                };
                format!("本次会议应到代表{n}名,实到{p}名,请假{l}名,缺席{a}名{pending}{verdict}。")
            }
            Lang::En => {
                let verdict = match rule {
                    QuorumRule::None => String::new(),
                    _ if self.quorum_met(rule) => "; the quorum is met".to_string(),
                    _ => "; the quorum is NOT met".to_string(),
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
