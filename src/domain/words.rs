//! Each count in its own words (DESIGN.md §2.14): a 票决 decides projects, a 票荐 recommends
//! them, a 测评 rates items and a 表决 passes motions. The console, the projector, the
//! announcement and every sheet take their terms from here, so no screen calls a 测评 a 票决.

use crate::domain::ballot::Outcome;
use crate::domain::ballots::CountKind;
use crate::domain::session::{AgendaItemDef, ApprovalVote, RateBase};
use crate::i18n::Text;
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    /// 票决: 表决票, 票决结果, 确定为.
    Decide,
    /// 票荐: 票荐票, 票荐结果, 推荐为.
    Recommend,
    /// 测评: 测评票, 测评结果.
    Evaluate,
    /// 表决 of motions: 赞成/反对/弃权, 通过/未通过.
    Resolve,
}

impl Words {
    /// The words of an item's count.
    pub fn of(item: &AgendaItemDef) -> Words {
        if let Some(b) = &item.ballot {
            match b.vote {
                ApprovalVote::Decide => Words::Decide,
                ApprovalVote::Recommend => Words::Recommend,
            }
        } else if item.satisfaction.is_some() {
            Words::Evaluate
        } else {
            Words::Resolve
        }
    }

    /// The words of a count of this kind in this item.
    pub fn of_kind(item: &AgendaItemDef, kind: CountKind) -> Words {
        match kind {
            CountKind::Approval => Words::of(item),
            CountKind::Satisfaction => Words::Evaluate,
            CountKind::Resolution => Words::Resolve,
        }
    }

    /// 票决 / 票荐 / 测评 / 表决.
    pub fn name(self) -> Text {
        match self {
            Words::Decide => text!("票决", "vote"),
            Words::Recommend => text!("票荐", "recommendation vote"),
            Words::Evaluate => text!("测评", "evaluation"),
            Words::Resolve => text!("表决", "vote"),
        }
    }

    /// The paper: 表决票 / 票荐票 / 测评票.
    pub fn paper(self) -> Text {
        match self {
            Words::Decide | Words::Resolve => text!("表决票", "ballot papers"),
            Words::Recommend => text!("票荐票", "recommendation papers"),
            Words::Evaluate => text!("测评票", "evaluation papers"),
        }
    }

    /// 票决结果 / 票荐结果 / 测评结果 / 表决结果.
    pub fn result(self) -> Text {
        match self {
            Words::Decide => text!("票决结果", "result of the vote"),
            Words::Recommend => text!("票荐结果", "result of the recommendation vote"),
            Words::Evaluate => text!("测评结果", "result of the evaluation"),
            Words::Resolve => text!("表决结果", "result of the vote"),
        }
    }

    /// The verb of a selection: 确定为 (票决) or 推荐为 (票荐).
    pub fn chosen(self) -> Text {
        match self {
            Words::Recommend => text!("推荐为", "recommended as"),
            _ => text!("确定为", "chosen as"),
        }
    }

    /// The sheet's title: 票决结果公告 and so on.
    pub fn sheet_title(self) -> Text {
        let r = self.result();
        Text::new(
            format!("{}公告", r.zh),
            format!("Announcement of the {}", r.en),
        )
    }
}

/// What a satisfaction rate is divided by, said beside the rate (§2.7).
pub fn rate_base_words(rb: RateBase) -> Text {
    match rb {
        RateBase::Valid => text!("以有效票为基数", "of valid papers"),
        RateBase::Ratings => text!(
            "以有效评价为基数,不含弃权",
            "of ratings, abstentions left out"
        ),
    }
}

/// A candidate's outcome in words ([`Outcome::label`]). `None` (a void vote, or nothing
/// decided) has no word.
pub fn outcome_words(o: Option<Outcome>) -> Option<Text> {
    let o = o?;
    Some(Text::new(
        o.label(crate::i18n::Lang::Zh),
        o.label(crate::i18n::Lang::En),
    ))
}

/// An answer's on-the-spot rating in words, the same on the questions screen and in the
/// minutes: the counts, the rate with its denominator (弃权 left out), and the grade with the
/// base it was judged on. A high rate among few ratings can still grade 不满意, so the grade
/// says why, or the sheet would seem to contradict itself.
pub fn rating_words(
    r: &crate::domain::questions::Rating,
    grade: crate::domain::satisfaction::Grade,
    base: Option<u32>,
    lang: crate::i18n::Lang,
) -> String {
    use crate::domain::satisfaction::Grade;
    use crate::i18n::Lang;
    let rate = r
        .counts()
        .rate_text(RateBase::Ratings)
        .unwrap_or_else(|| "—".into());
    let (s, b, u, a) = (r.satisfied, r.basically_satisfied, r.unsatisfied, r.abstain);
    let why = base.map(|n| match (grade, lang) {
        (Grade::Satisfied, Lang::Zh) => format!("满意票过 {n} 名的半数"),
        (Grade::BasicallySatisfied, Lang::Zh) => format!("满意与基本满意合计过 {n} 名的半数"),
        (Grade::Unsatisfied, Lang::Zh) => format!("满意与基本满意合计未过 {n} 名的半数"),
        (Grade::Satisfied, Lang::En) => format!("satisfied by more than half of {n}"),
        (Grade::BasicallySatisfied, Lang::En) => {
            format!("satisfied and basically satisfied by more than half of {n}")
        }
        (Grade::Unsatisfied, Lang::En) => {
            format!("satisfied and basically satisfied by no more than half of {n}")
        }
    });
    match lang {
        Lang::Zh => format!(
            "满意{s}票,基本满意{b}票,不满意{u}票,弃权{a}票;满意率{rate}(不含弃权);等次为{}{}",
            grade.zh(),
            why.map(|w| format!("({w})")).unwrap_or_default()
        ),
        Lang::En => format!(
            "satisfied {s}, basically {b}, unsatisfied {u}, abstain {a}; rate {rate} (abstentions left out); graded {}{}",
            grade.en(),
            why.map(|w| format!(" ({w})")).unwrap_or_default()
        ),
    }
}

/// Chinese numerals for the small ordinals of the minutes (届, 次, item numbers): 1–9999.
pub fn cn_num(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 || n > 9999 {
        return n.to_string();
    }
    if (10..20).contains(&n) {
        return format!("十{}", if n == 10 { "" } else { D[(n % 10) as usize] });
    }
    let units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")];
    let mut out = String::new();
    let mut zero = false;
    let mut started = false;
    for (u, name) in units {
        let d = (n / u) % 10;
        if d == 0 {
            if started {
                zero = true;
            }
            continue;
        }
        if zero {
            out.push_str(D[0]);
            zero = false;
        }
        out.push_str(D[d as usize]);
        out.push_str(name);
        started = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_count_has_its_own_paper_and_result() {
        let all = [
            Words::Decide,
            Words::Recommend,
            Words::Evaluate,
            Words::Resolve,
        ];
        let results: Vec<String> = all.iter().map(|w| w.result().zh).collect();
        assert_eq!(results, ["票决结果", "票荐结果", "测评结果", "表决结果"]);
        assert_eq!(Words::Recommend.paper().zh, "票荐票");
        assert_eq!(Words::Evaluate.paper().zh, "测评票");
        assert_eq!(Words::Recommend.chosen().zh, "推荐为");
        assert_eq!(Words::Decide.chosen().zh, "确定为");
        assert_eq!(Words::Evaluate.sheet_title().zh, "测评结果公告");
    }

    #[test]
    fn a_rating_names_its_rate_base_and_the_grade_its_base() {
        use crate::domain::questions::Rating;
        use crate::domain::satisfaction::Grade;
        use crate::i18n::Lang;
        // 25 of 26 ratings satisfied or basically, but 60 present: the grade is 不满意, and
        // the words say why instead of seeming to contradict the rate.
        let r = Rating {
            satisfied: 20,
            basically_satisfied: 5,
            unsatisfied: 1,
            abstain: 0,
        };
        assert_eq!(
            rating_words(&r, Grade::Unsatisfied, Some(60), Lang::Zh),
            "满意20票,基本满意5票,不满意1票,弃权0票;满意率96.2%(不含弃权);等次为不满意(满意与基本满意合计未过 60 名的半数)"
        );
        assert!(rating_words(&r, Grade::Satisfied, None, Lang::En).ends_with("graded satisfied"));
    }

    #[test]
    fn outcomes_are_said_in_words() {
        assert_eq!(outcome_words(Some(Outcome::Selected)).unwrap().zh, "当选");
        assert_eq!(
            outcome_words(Some(Outcome::BelowThreshold)).unwrap().zh,
            "未当选"
        );
        assert_eq!(
            outcome_words(Some(Outcome::NotSelected)).unwrap().zh,
            "未当选"
        );
        assert!(outcome_words(None).is_none());
        // One word per outcome everywhere: the screen's short form is the minutes' word, or
        // (a tie) its opening.
        use crate::i18n::Lang;
        for o in [
            Outcome::Selected,
            Outcome::NotSelected,
            Outcome::BelowThreshold,
            Outcome::Tie,
        ] {
            for lang in [Lang::Zh, Lang::En] {
                assert_eq!(outcome_words(Some(o)).unwrap().get(lang), o.label(lang));
                assert!(o.label(lang).starts_with(o.short(lang)), "{o:?}");
            }
        }
        assert_eq!(Outcome::Tie.label(Lang::Zh), "票数相等,待再次投票");
    }
}
