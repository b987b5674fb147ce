//! Resolutions (表决, DESIGN.md §2.8): totals entered per motion by show of hands or keypads,
//! checked against the deputies present, and passed or not on the configured base and threshold.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::ballot::passes;
use crate::domain::session::{Base, ResolutionDef, Threshold, VoteMethod};
use crate::i18n::Text;

/// The totals entered for one motion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ResolutionTotals {
    /// 赞成
    pub yes: u32,
    /// 反对
    pub no: u32,
    /// 弃权
    pub abstain: u32,
    /// 未按: present but pressed no key. Keypads only; always 0 for a show of hands.
    #[serde(default)]
    pub not_pressed: u32,
}

impl ResolutionTotals {
    /// 赞成 + 反对 + 弃权: the votes cast.
    pub fn cast(&self) -> u64 {
        u64::from(self.yes) + u64::from(self.no) + u64::from(self.abstain)
    }

    /// Votes cast plus 未按: everyone accounted for.
    pub fn total(&self) -> u64 {
        self.cast() + u64::from(self.not_pressed)
    }
}

/// Totals that cannot be right. Display is English; [`ResolutionError::zh`] is Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResolutionError {
    #[error(
        "the totals (yes + no + abstain + not pressed = {total}) exceed the {present} deputies present; check and re-enter"
    )]
    OverCount { total: u64, present: u32 },
    #[error("a show of hands has no \"not pressed\" count ({not_pressed} entered)")]
    NotPressedWithHands { not_pressed: u32 },
}

impl ResolutionError {
    pub fn zh(&self) -> String {
        match self {
            ResolutionError::OverCount { total, present } => format!(
                "赞成、反对、弃权(及未按)合计{total}票,超过出席代表{present}名,请核对后重新录入。"
            ),
            ResolutionError::NotPressedWithHands { not_pressed } => {
                format!("举手表决没有“未按”票数(录入了{not_pressed}票)。")
            }
        }
    }

    pub fn en(&self) -> String {
        self.to_string()
    }

    /// Both languages, for a refusal shown by the console.
    pub fn text(&self) -> Text {
        Text::new(self.zh(), self.to_string())
    }
}

/// Refuses totals that count more votes than deputies present, and 未按 on a show of hands.
pub fn check_totals(
    totals: &ResolutionTotals,
    method: VoteMethod,
    present: u32,
) -> Result<(), ResolutionError> {
    if method == VoteMethod::Hands && totals.not_pressed != 0 {
        return Err(ResolutionError::NotPressedWithHands {
            not_pressed: totals.not_pressed,
        });
    }
    if totals.total() > u64::from(present) {
        return Err(ResolutionError::OverCount {
            total: totals.total(),
            present,
        });
    }
    Ok(())
}

/// The base number B for a motion. For `Base::Valid` it is the votes cast (赞成 + 反对 + 弃权;
/// 未按 excluded, as it expresses no vote).
pub fn resolution_base(
    base: Base,
    all_deputies: u32,
    present: u32,
    totals: &ResolutionTotals,
) -> u32 {
    match base {
        Base::All => all_deputies,
        Base::Present => present,
        Base::Valid => u32::try_from(totals.cast()).unwrap_or(u32::MAX),
    }
}

/// A motion's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolutionResult {
    pub totals: ResolutionTotals,
    pub base: u32,
    pub threshold: Threshold,
    pub passed: bool,
}

/// Checks the totals, then decides: 过半数 `yes*2 > B` or 三分之二以上 `yes*3 >= B*2`.
pub fn decide(
    totals: &ResolutionTotals,
    method: VoteMethod,
    present: u32,
    base: u32,
    threshold: Threshold,
) -> Result<ResolutionResult, ResolutionError> {
    check_totals(totals, method, present)?;
    Ok(ResolutionResult {
        totals: *totals,
        base,
        threshold,
        passed: passes(totals.yes, base, threshold),
    })
}

/// [`decide`] with method, base and threshold taken from the session's `[agenda.resolution]`.
pub fn decide_for(
    def: &ResolutionDef,
    totals: &ResolutionTotals,
    all_deputies: u32,
    present: u32,
) -> Result<ResolutionResult, ResolutionError> {
    let base = resolution_base(def.base, all_deputies, present, totals);
    decide(totals, def.method, present, base, def.threshold)
}

/// ××表决结果:赞成×票,反对×票,弃权×票(,未按×票),获得通过 / 未获通过。
/// 未按 is said for keypad votes only.
pub fn announce(title: &str, result: &ResolutionResult, method: VoteMethod) -> Text {
    let ResolutionTotals {
        yes,
        no,
        abstain,
        not_pressed,
    } = result.totals;
    let (np_zh, np_en) = match method {
        VoteMethod::Keypad => (
            format!(",未按{not_pressed}票"),
            format!(", {not_pressed} not pressed"),
        ),
        VoteMethod::Hands => (String::new(), String::new()),
    };
    let (verdict_zh, verdict_en) = if result.passed {
        ("获得通过", "adopted")
    } else {
        ("未获通过", "not adopted")
    };
    Text {
        zh: format!("{title}表决结果:赞成{yes}票,反对{no}票,弃权{abstain}票{np_zh},{verdict_zh}。"),
        en: format!(
            "Vote on {title}: {yes} in favour, {no} against, {abstain} abstentions{np_en}; {verdict_en}."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::session::MotionDef;

    fn t(yes: u32, no: u32, abstain: u32) -> ResolutionTotals {
        ResolutionTotals {
            yes,
            no,
            abstain,
            not_pressed: 0,
        }
    }

    #[test]
    fn majority_of_all_deputies_at_the_boundary() {
        let r = decide(
            &t(151, 100, 20),
            VoteMethod::Hands,
            280,
            300,
            Threshold::Majority,
        );
        assert!(r.unwrap().passed);
        let r = decide(
            &t(150, 100, 20),
            VoteMethod::Hands,
            280,
            300,
            Threshold::Majority,
        );
        assert!(!r.unwrap().passed);
        let r = decide(
            &t(101, 50, 0),
            VoteMethod::Hands,
            190,
            201,
            Threshold::Majority,
        );
        assert!(r.unwrap().passed);
        let r = decide(
            &t(100, 50, 0),
            VoteMethod::Hands,
            190,
            201,
            Threshold::Majority,
        );
        assert!(!r.unwrap().passed);
    }

    #[test]
    fn two_thirds_at_the_boundary() {
        let d = |yes| {
            decide(
                &t(yes, 0, 0),
                VoteMethod::Hands,
                301,
                301,
                Threshold::TwoThirds,
            )
        };
        assert!(d(201).unwrap().passed);
        assert!(!d(200).unwrap().passed);
        let d = |yes| {
            decide(
                &t(yes, 0, 0),
                VoteMethod::Hands,
                300,
                300,
                Threshold::TwoThirds,
            )
        };
        assert!(d(200).unwrap().passed);
        assert!(!d(199).unwrap().passed);
    }

    #[test]
    fn over_count_is_refused_exact_count_is_not() {
        let keypad = ResolutionTotals {
            yes: 200,
            no: 50,
            abstain: 20,
            not_pressed: 11,
        };
        let err = decide(&keypad, VoteMethod::Keypad, 280, 300, Threshold::Majority).unwrap_err();
        assert_eq!(
            err,
            ResolutionError::OverCount {
                total: 281,
                present: 280
            }
        );
        assert_eq!(
            err.zh(),
            "赞成、反对、弃权(及未按)合计281票,超过出席代表280名,请核对后重新录入。"
        );
        assert!(err.en().contains("exceed the 280 deputies present"));
        let ok = ResolutionTotals {
            not_pressed: 10,
            ..keypad
        };
        assert!(decide(&ok, VoteMethod::Keypad, 280, 300, Threshold::Majority).is_ok());
        // Sums that would overflow u32 are still refused, not wrapped.
        let huge = t(u32::MAX, u32::MAX, 2);
        assert!(matches!(
            check_totals(&huge, VoteMethod::Hands, u32::MAX),
            Err(ResolutionError::OverCount { .. })
        ));
    }

    #[test]
    fn not_pressed_only_with_keypads() {
        let x = ResolutionTotals {
            not_pressed: 1,
            ..t(1, 0, 0)
        };
        assert_eq!(
            check_totals(&x, VoteMethod::Hands, 10),
            Err(ResolutionError::NotPressedWithHands { not_pressed: 1 })
        );
        assert_eq!(check_totals(&x, VoteMethod::Keypad, 10), Ok(()));
    }

    #[test]
    fn decide_for_uses_the_definition() {
        let mut def = ResolutionDef {
            method: VoteMethod::Keypad,
            base: Base::All,
            threshold: Threshold::Majority,
            motions: vec![MotionDef {
                id: "m1".into(),
                title: "关于批准预算调整方案的决议".into(),
            }],
        };
        let totals = ResolutionTotals {
            yes: 140,
            no: 60,
            abstain: 20,
            not_pressed: 30,
        };
        // All 300: 140 fails. Present 250: 140*2 = 280 > 250 passes. Cast 220: passes.
        assert!(!decide_for(&def, &totals, 300, 250).unwrap().passed);
        def.base = Base::Present;
        assert!(decide_for(&def, &totals, 300, 250).unwrap().passed);
        def.base = Base::Valid;
        let r = decide_for(&def, &totals, 300, 250).unwrap();
        assert_eq!((r.base, r.passed), (220, true));
        def.threshold = Threshold::TwoThirds;
        // 140*3 = 420 < 440.
        assert!(!decide_for(&def, &totals, 300, 250).unwrap().passed);
        assert!(decide_for(&def, &totals, 300, 240).is_err());
    }

    #[test]
    fn wording() {
        let r = decide(
            &t(250, 10, 5),
            VoteMethod::Hands,
            280,
            300,
            Threshold::Majority,
        )
        .unwrap();
        assert_eq!(
            announce("关于批准预算调整方案的决议", &r, VoteMethod::Hands).zh,
            "关于批准预算调整方案的决议表决结果:赞成250票,反对10票,弃权5票,获得通过。"
        );
        let k = ResolutionTotals {
            not_pressed: 3,
            ..t(100, 10, 5)
        };
        let r = decide(&k, VoteMethod::Keypad, 280, 300, Threshold::Majority).unwrap();
        let w = announce("某决议", &r, VoteMethod::Keypad);
        assert_eq!(
            w.zh,
            "某决议表决结果:赞成100票,反对10票,弃权5票,未按3票,未获通过。"
        );
        assert!(w.en.ends_with("3 not pressed; not adopted."));
    }
}
