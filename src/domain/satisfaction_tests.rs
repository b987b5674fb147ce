use super::*;
use Rating::{Abstain as A, BasicallySatisfied as B, Satisfied as S, Unsatisfied as U};
use proptest::prelude::*;

fn c(s: u32, b: u32, u: u32, a: u32) -> ItemCounts {
    ItemCounts {
        satisfied: s,
        basically_satisfied: b,
        unsatisfied: u,
        abstain: a,
    }
}

#[test]
fn grades_at_the_boundaries_on_base_100() {
    assert_eq!(c(51, 0, 49, 0).grade(100), Grade::Satisfied);
    assert_eq!(c(50, 1, 49, 0).grade(100), Grade::BasicallySatisfied);
    assert_eq!(c(50, 0, 50, 0).grade(100), Grade::Unsatisfied);
    assert_eq!(c(30, 20, 40, 10).grade(100), Grade::Unsatisfied);
    assert_eq!(c(30, 21, 40, 9).grade(100), Grade::BasicallySatisfied);
    // Odd base 101: 51 is more than half, 50 + 0 is not.
    assert_eq!(c(51, 0, 0, 0).grade(101), Grade::Satisfied);
    assert_eq!(c(50, 0, 0, 0).grade(101), Grade::Unsatisfied);
}

#[test]
fn rate_on_ratings_leaves_abstentions_out_and_rounds_half_up() {
    use RateBase::Ratings as R;
    // 7 of 8 ratings; 2 abstentions left out: 87.5%.
    let x = c(5, 2, 1, 2);
    assert_eq!(x.valid_ratings(), 8);
    assert_eq!(x.rate_permille(R), Some(875));
    assert_eq!(x.rate_text(R).as_deref(), Some("87.5%"));
    // 2/3 = 666.67‰ → 667; 1/3 = 333.33‰ → 333; 1/16 = 62.5‰ → 63 (half up).
    assert_eq!(c(2, 0, 1, 0).rate_permille(R), Some(667));
    assert_eq!(c(1, 0, 2, 0).rate_permille(R), Some(333));
    assert_eq!(c(0, 1, 15, 0).rate_permille(R), Some(63));
    assert_eq!(c(3, 0, 0, 5).rate_text(R).as_deref(), Some("100.0%"));
    assert_eq!(c(0, 0, 3, 0).rate_text(R).as_deref(), Some("0.0%"));
    assert_eq!(c(0, 0, 0, 7).rate_permille(R), None);
    assert_eq!(
        c(u32::MAX, u32::MAX, u32::MAX, 0).rate_permille(R),
        Some(667)
    );
}

#[test]
fn rate_on_valid_papers_keeps_abstentions_in_the_denominator() {
    use RateBase::{Ratings as R, Valid as V};
    // The case: 42 valid papers, 36/3/2/1. On valid papers 39/42; on ratings 39/41.
    let x = c(36, 3, 2, 1);
    assert_eq!(x.rate_denominator(V), 42);
    assert_eq!(x.rate_text(V).as_deref(), Some("92.9%"));
    assert_eq!(x.rate_denominator(R), 41);
    assert_eq!(x.rate_text(R).as_deref(), Some("95.1%"));
    // odd count: 41 papers, 30/5/5/1 → 35/41 = 85.4% and 35/40 = 87.5%
    let x = c(30, 5, 5, 1);
    assert_eq!(x.rate_text(V).as_deref(), Some("85.4%"));
    assert_eq!(x.rate_text(R).as_deref(), Some("87.5%"));
    // an item all 弃权: 0.0% on valid papers, no rate on ratings
    let x = c(0, 0, 0, 7);
    assert_eq!(x.rate_text(V).as_deref(), Some("0.0%"));
    assert_eq!(x.rate_text(R), None);
}

#[test]
fn no_rate_and_no_grade_without_a_valid_paper() {
    let r = evaluate(&[c(0, 0, 0, 0)], 42, RateBase::Valid, 0);
    assert_eq!((r[0].rate_permille, r[0].grade), (None, None));
    let a = announce_item("甲", &r[0]);
    assert!(
        a.zh.ends_with("无有效票,不计满意率和测评等次。"),
        "{}",
        a.zh
    );
    // an item all 弃权 on 7 valid papers is graded (不满意) but, on ratings, has no rate
    let r = evaluate(&[c(0, 0, 0, 7)], 7, RateBase::Ratings, 7);
    assert_eq!(r[0].rate_permille, None);
    assert_eq!(r[0].grade, Some(Grade::Unsatisfied));
    assert!(
        announce_item("甲", &r[0])
            .zh
            .ends_with("弃权票7票,无有效评价,不计满意率,测评等次为不满意。")
    );
}

#[test]
fn hand_void_and_lengths() {
    assert_eq!(judge(&RatingPaper::new(vec![S, B]), 2), Ok(Verdict::Valid));
    assert_eq!(
        judge(&RatingPaper::new(vec![S]), 2),
        Err(SatisfactionError::WrongLength {
            expected: 2,
            got: 1
        })
    );
    assert_eq!(
        judge(&RatingPaper::void_by_hand(vec![], ""), 2),
        Err(SatisfactionError::MissingVoidReason)
    );
    let mut t = SatisfactionTally::new(2);
    t.add(&RatingPaper::void_by_hand(vec![S, S], "污损"))
        .unwrap();
    t.add(&RatingPaper::void_by_hand(vec![], "无法辨认"))
        .unwrap();
    t.add(&RatingPaper::new(vec![S, U])).unwrap();
    assert_eq!((t.valid(), t.void(), t.returned()), (1, 2, 3));
    assert_eq!(t.counts()[0], c(1, 0, 0, 0));
    assert!(SatisfactionError::NotInTally.zh().contains("撤销"));
}

#[test]
fn incremental_equals_recount_and_bad_remove_changes_nothing() {
    let papers = [
        RatingPaper::new(vec![S, B, U]),
        RatingPaper::new(vec![A, A, S]),
        RatingPaper::void_by_hand(vec![], "污损"),
        RatingPaper::new(vec![S, S, S]),
    ];
    let mut t = SatisfactionTally::new(3);
    for p in &papers {
        t.add(p).unwrap();
    }
    t.remove(&papers[1]).unwrap();
    let fixed = RatingPaper::new(vec![U, B, A]);
    t.replace(&papers[0], &fixed).unwrap();
    assert_eq!(
        t,
        SatisfactionTally::recount(3, [&fixed, &papers[2], &papers[3]]).unwrap()
    );
    let before = t.clone();
    assert_eq!(
        t.remove(&RatingPaper::new(vec![B, U, U])),
        Err(SatisfactionError::NotInTally)
    );
    assert_eq!(
        t.replace(&RatingPaper::new(vec![A, A, A]), &fixed),
        Err(SatisfactionError::NotInTally)
    );
    assert_eq!(t, before);
    assert!(t.discrepancies().is_empty());
}

#[test]
fn evaluate_and_discrepancy() {
    let mut t = SatisfactionTally::new(2);
    for _ in 0..51 {
        t.add(&RatingPaper::new(vec![S, B])).unwrap();
    }
    for _ in 0..49 {
        t.add(&RatingPaper::new(vec![U, A])).unwrap();
    }
    let r = t.evaluate(100, RateBase::Valid);
    assert_eq!(r[0].grade, Some(Grade::Satisfied));
    assert_eq!(r[1].grade, Some(Grade::BasicallySatisfied));
    // item 2: 51 基本满意 and 49 弃权 of 100 papers: 51.0% on valid papers, 100% on ratings
    assert_eq!(r[1].rate_permille, Some(510));
    assert_eq!(
        t.evaluate(100, RateBase::Ratings)[1].rate_permille,
        Some(1000)
    );
    assert_eq!(r[0].rate_permille, Some(510));

    let mut json = serde_json::to_value(&t).unwrap();
    json["counts"][0]["abstain"] = 3.into();
    let broken: SatisfactionTally = serde_json::from_value(json).unwrap();
    assert_eq!(
        broken.discrepancies(),
        vec![Discrepancy::ItemSum {
            index: 0,
            sum: 103,
            valid: 100
        }]
    );
}

#[test]
fn wording_template() {
    let r = evaluate(&[c(150, 25, 25, 10)], 210, RateBase::Valid, 210);
    assert_eq!(
        announce_item("城区道路改造", &r[0]).zh,
        "城区道路改造获得满意票150票,基本满意票25票,不满意票25票,弃权票10票,满意率83.3%(以有效票210张为基数),测评等次为满意。"
    );
    let r = evaluate(&[c(150, 25, 25, 10)], 210, RateBase::Ratings, 210);
    assert_eq!(
        announce_item("城区道路改造", &r[0]).zh,
        "城区道路改造获得满意票150票,基本满意票25票,不满意票25票,弃权票10票,满意率87.5%(以有效评价200票为基数,不含弃权),测评等次为满意。"
    );
    let r = evaluate(&[c(1, 0, 0, 0)], 1, RateBase::Valid, 1);
    assert!(announce_item("甲", &r[0]).en.contains("100.0%"));
    assert_eq!(Grade::BasicallySatisfied.zh(), "基本满意");
    assert_eq!(
        serde_json::to_string(&Rating::BasicallySatisfied).unwrap(),
        "\"basically_satisfied\""
    );
}

fn rating() -> impl Strategy<Value = Rating> {
    prop_oneof![Just(S), Just(B), Just(U), Just(A)]
}

proptest! {
    #[test]
    fn random_adds_and_removes_equal_a_recount(
        items in 1usize..6,
        ops in prop::collection::vec(
            (0u8..3, prop::collection::vec(rating(), 6), any::<bool>(), any::<prop::sample::Index>()),
            0..60,
        ),
    ) {
        let mut t = SatisfactionTally::new(items);
        let mut kept: Vec<RatingPaper> = Vec::new();
        for (kind, ratings, hand, idx) in ops {
            let ratings = ratings[..items].to_vec();
            if kind == 2 && !kept.is_empty() {
                let p = kept.swap_remove(idx.index(kept.len()));
                t.remove(&p).unwrap();
            } else {
                let p = if hand {
                    RatingPaper::void_by_hand(ratings, "污损")
                } else {
                    RatingPaper::new(ratings)
                };
                t.add(&p).unwrap();
                kept.push(p);
            }
            prop_assert!(t.discrepancies().is_empty());
        }
        prop_assert_eq!(&t, &SatisfactionTally::recount(items, &kept).unwrap());
    }

    #[test]
    fn rate_matches_float_rounding(s in 0u32..5000, b in 0u32..5000, u in 0u32..5000) {
        let x = c(s, b, u, 0);
        match x.rate_permille(RateBase::Ratings) {
            None => prop_assert_eq!(s + b + u, 0),
            Some(p) => {
                // Compare exactly: p is the nearest integer to 1000(s+b)/v, ties upward.
                let v = u64::from(s + b + u);
                let num = 1000 * u64::from(s + b);
                let p = u64::from(p);
                prop_assert!(2 * num + v >= 2 * p * v && 2 * num + v < 2 * (p + 1) * v);
            }
        }
    }
}
