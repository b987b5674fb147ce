use super::*;
use crate::domain::session::CandidateDef;
use proptest::prelude::*;

use Mark::{Abstain as A, No as X, Yes as O};

/// Counts with the given 赞成 per candidate, the rest of `valid` abstaining.
fn counts(yes: &[u32], valid: u32) -> Vec<CandidateCount> {
    yes.iter()
        .map(|&y| CandidateCount {
            yes: y,
            no: 0,
            abstain: valid - y,
        })
        .collect()
}

fn def(n_candidates: usize, places: u32, equal: bool) -> BallotDef {
    BallotDef {
        places,
        equal,
        base: Base::All,
        threshold: Threshold::Majority,
        vote: Default::default(),
        paper: Default::default(),
        year: Some(2025),
        scrutineers: vec![],
        clerks: vec![],
        candidates: (0..n_candidates)
            .map(|i| CandidateDef {
                id: format!("c{i}"),
                name: format!("项目{i}"),
                unit: None,
            })
            .collect(),
    }
}

// --- thresholds -----------------------------------------------------------------------------

#[test]
fn majority_of_300_needs_151() {
    assert!(passes(151, 300, Threshold::Majority));
    assert!(!passes(150, 300, Threshold::Majority));
}

#[test]
fn majority_of_odd_base_201_needs_101() {
    assert!(passes(101, 201, Threshold::Majority));
    assert!(!passes(100, 201, Threshold::Majority));
}

#[test]
fn two_thirds_includes_the_exact_boundary() {
    assert!(passes(200, 300, Threshold::TwoThirds));
    assert!(!passes(199, 300, Threshold::TwoThirds));
    // 201*3 = 603 >= 602 = 301*2; 200*3 = 600 < 602.
    assert!(passes(201, 301, Threshold::TwoThirds));
    assert!(!passes(200, 301, Threshold::TwoThirds));
}

#[test]
fn thresholds_do_not_overflow_and_zero_never_passes() {
    assert!(passes(u32::MAX, u32::MAX, Threshold::TwoThirds));
    assert!(passes(u32::MAX, u32::MAX, Threshold::Majority));
    assert!(!passes(0, 0, Threshold::TwoThirds));
    assert!(!passes(0, 0, Threshold::Majority));
    assert!(passes(1, 0, Threshold::Majority));
}

#[test]
fn base_number_picks_the_configured_base() {
    assert_eq!(base_number(Base::All, 300, 280, 270), 300);
    assert_eq!(base_number(Base::Present, 300, 280, 270), 280);
    assert_eq!(base_number(Base::Valid, 300, 280, 270), 270);
}

// --- papers ---------------------------------------------------------------------------------

#[test]
fn paper_with_n_plus_one_yes_is_void_and_n_yes_is_valid() {
    let places = 10;
    let mut marks = vec![A; 15];
    for m in marks.iter_mut().take(11) {
        *m = O;
    }
    let over = BallotPaper::new(marks.clone());
    assert_eq!(
        judge(&over, 15, places),
        Ok(Verdict::Void(VoidReason::TooManyYes {
            yes: 11,
            places: 10
        }))
    );
    marks[10] = X;
    let exact = BallotPaper::new(marks);
    assert_eq!(judge(&exact, 15, places), Ok(Verdict::Valid));

    let mut t = Tally::new(15, places);
    t.add(&over).unwrap();
    t.add(&exact).unwrap();
    assert_eq!((t.valid(), t.void(), t.returned()), (1, 1, 2));
    assert_eq!(t.void_too_many(), 1);
    // The void paper contributes nothing: candidate 0 has one 赞成 (from the valid paper).
    assert_eq!(
        t.counts()[0],
        CandidateCount {
            yes: 1,
            no: 0,
            abstain: 0
        }
    );
    assert_eq!(
        t.counts()[10],
        CandidateCount {
            yes: 0,
            no: 1,
            abstain: 0
        }
    );
    assert!(t.discrepancies().is_empty());
}

#[test]
fn hand_void_paper_is_void_whatever_its_marks() {
    let p = BallotPaper::void_by_hand(vec![O, X, A], "字迹无法辨认");
    assert_eq!(
        judge(&p, 3, 2),
        Ok(Verdict::Void(VoidReason::Hand {
            reason: "字迹无法辨认".into()
        }))
    );
    let mut t = Tally::new(3, 2);
    t.add(&p).unwrap();
    // No marks needed for an unreadable paper.
    t.add(&BallotPaper::void_by_hand(vec![], "污损")).unwrap();
    assert_eq!((t.valid(), t.void(), t.void_hand()), (0, 2, 2));
    assert_eq!(t.counts(), &[CandidateCount::default(); 3]);
}

#[test]
fn hand_void_needs_a_reason() {
    let p = BallotPaper::void_by_hand(vec![O, X, A], "  ");
    assert_eq!(judge(&p, 3, 2), Err(BallotError::MissingVoidReason));
}

#[test]
fn wrong_paper_length_is_a_typed_error_and_leaves_tally_unchanged() {
    let mut t = Tally::new(3, 2);
    let before = t.clone();
    let err = t.add(&BallotPaper::new(vec![O, O])).unwrap_err();
    assert_eq!(
        err,
        BallotError::WrongLength {
            expected: 3,
            got: 2
        }
    );
    assert_eq!(
        t.add(&BallotPaper::void_by_hand(vec![O], "污损")),
        Err(BallotError::WrongLength {
            expected: 3,
            got: 1
        })
    );
    assert_eq!(t, before);
    assert!(err.zh().contains("2个标记"));
}

#[test]
fn returned_more_than_issued_voids_the_vote() {
    assert_eq!(vote_validity(300, 301), VoteValidity::Void);
    assert_eq!(vote_validity(300, 300), VoteValidity::Valid);
    assert_eq!(vote_validity(300, 299), VoteValidity::Valid);
}

// --- shapes ---------------------------------------------------------------------------------

#[test]
fn ballot_shapes() {
    assert_eq!(validate_def(&def(15, 10, false)), Ok(()));
    assert_eq!(validate_def(&def(10, 10, true)), Ok(()));
    assert_eq!(
        validate_def(&def(10, 10, false)),
        Err(BallotError::TooFewForCompetitive {
            candidates: 10,
            places: 10
        })
    );
    assert_eq!(
        validate_def(&def(11, 10, true)),
        Err(BallotError::EqualCountMismatch {
            candidates: 11,
            places: 10
        })
    );
    assert_eq!(validate_def(&def(3, 0, false)), Err(BallotError::NoPlaces));
    assert_eq!(validate_shape(BallotKind::RunOff, 3, 3), Ok(()));
    assert_eq!(validate_shape(BallotKind::RunOff, 4, 3), Ok(()));
    assert_eq!(
        validate_shape(BallotKind::RunOff, 2, 3),
        Err(BallotError::TooFewForRunOff {
            candidates: 2,
            places: 3
        })
    );
    let mut d = def(3, 2, false);
    d.candidates[2].id = "c0".into();
    assert_eq!(
        validate_def(&d),
        Err(BallotError::DuplicateCandidate { id: "c0".into() })
    );
}

// --- ranking and outcome --------------------------------------------------------------------

#[test]
fn competition_ranking_1_2_2_4() {
    let r = decide(&counts(&[90, 80, 80, 70], 100), 3, 100, Threshold::Majority);
    let ranks: Vec<u32> = r.candidates.iter().map(|c| c.rank).collect();
    assert_eq!(ranks, vec![1, 2, 2, 4]);
    assert_eq!(r.selected, vec![0, 1, 2]);
    assert_eq!(r.outcome_of(3), Some(Outcome::NotSelected));
    assert!(r.is_complete());
    assert_eq!(r.proposal, None);
}

/// 15 candidates for 10 places, base 300 (all deputies), 过半数 = 151.
/// Nine clear winners, three tied at 200 straddling place 10, three below threshold.
fn straddle_counts() -> Vec<CandidateCount> {
    counts(
        &[
            250, 249, 248, 247, 246, 245, 244, 243, 242, // 0..=8
            200, 200, 200, // 9, 10, 11: tied at rank 10
            100, 90, 80, // 12, 13, 14: below threshold
        ],
        280,
    )
}

#[test]
fn three_way_tie_straddling_place_n() {
    let r = decide(&straddle_counts(), 10, 300, Threshold::Majority);
    assert_eq!(r.selected, (0..9).collect::<Vec<_>>());
    for i in 9..12 {
        let c = r.candidates.iter().find(|c| c.index == i).unwrap();
        assert_eq!((c.rank, c.outcome, c.passes), (10, Outcome::Tie, true));
    }
    for i in 12..15 {
        assert_eq!(r.outcome_of(i), Some(Outcome::BelowThreshold));
    }
    assert_eq!(r.candidates[12].rank, 13);
    assert_eq!(r.unfilled, 1);
    assert_eq!(
        r.proposal,
        Some(Proposal {
            kind: ProposalKind::RunOff,
            candidates: vec![9, 10, 11],
            places: 1
        })
    );
}

#[test]
fn tie_leaving_two_places_for_run_off() {
    // Eight above, three tied at rank 9 for places 9 and 10.
    let r = decide(
        &counts(
            &[250, 249, 248, 247, 246, 245, 244, 243, 200, 200, 200, 100],
            280,
        ),
        10,
        300,
        Threshold::Majority,
    );
    assert_eq!(r.selected.len(), 8);
    assert_eq!(r.unfilled, 2);
    let p = r.proposal.unwrap();
    assert_eq!(
        (p.kind, p.candidates, p.places),
        (ProposalKind::RunOff, vec![8, 9, 10], 2)
    );
}

#[test]
fn tie_entirely_within_top_n_selects_all_tied() {
    // Seven distinct, then three tied at rank 8 filling places 8, 9, 10 exactly.
    let r = decide(
        &counts(
            &[
                250, 249, 248, 247, 246, 245, 244, 200, 200, 200, 190, 100, 90, 80, 70,
            ],
            280,
        ),
        10,
        300,
        Threshold::Majority,
    );
    assert_eq!(r.selected, (0..10).collect::<Vec<_>>());
    for i in 7..10 {
        let c = r.candidates.iter().find(|c| c.index == i).unwrap();
        assert_eq!((c.rank, c.outcome), (8, Outcome::Selected));
    }
    assert_eq!(r.outcome_of(10), Some(Outcome::NotSelected));
    assert!(r.is_complete());
    assert_eq!(r.proposal, None);
}

#[test]
fn tie_at_cut_off_below_threshold_is_not_a_tie() {
    // Three tied at 150 (150*2 = 300, not > 300) straddle place 10: simply below threshold.
    let r = decide(
        &counts(
            &[
                250, 249, 248, 247, 246, 245, 244, 243, 242, 150, 150, 150, 100, 90, 80,
            ],
            280,
        ),
        10,
        300,
        Threshold::Majority,
    );
    assert_eq!(r.selected.len(), 9);
    for i in 9..12 {
        assert_eq!(r.outcome_of(i), Some(Outcome::BelowThreshold));
    }
    assert_eq!(r.unfilled, 1);
    assert_eq!(
        r.proposal,
        Some(Proposal {
            kind: ProposalKind::FurtherRound,
            candidates: (9..15).collect(),
            places: 1
        })
    );
}

#[test]
fn candidate_ranked_below_a_tie_is_not_selected() {
    // Two tied at 200 straddle place 10; candidate 11 (180, passes) ranks 12 and is not selected
    // even though the tie leaves a place open.
    let r = decide(
        &counts(
            &[
                250, 249, 248, 247, 246, 245, 244, 243, 242, 200, 200, 180, 100, 90, 80,
            ],
            280,
        ),
        10,
        300,
        Threshold::Majority,
    );
    let c = r.candidates.iter().find(|c| c.index == 11).unwrap();
    assert_eq!(
        (c.rank, c.passes, c.outcome),
        (12, true, Outcome::NotSelected)
    );
    assert!(!r.selected.contains(&11));
    assert_eq!(r.proposal.unwrap().candidates, vec![9, 10]);
}

#[test]
fn shortfall_leaves_places_unfilled_with_further_round_among_not_selected() {
    // Only 7 of 15 reach 151.
    let yes = [
        140, 250, 200, 120, 190, 180, 170, 160, 90, 80, 152, 150, 149, 10, 0,
    ];
    let r = decide(&counts(&yes, 280), 10, 300, Threshold::Majority);
    assert_eq!(r.selected, vec![1, 2, 4, 5, 6, 7, 10]);
    let c11 = r.candidates.iter().find(|c| c.index == 11).unwrap();
    assert_eq!(c11.outcome, Outcome::BelowThreshold); // 150*2 = 300 is not > 300
    assert_eq!(r.unfilled, 3);
    assert_eq!(
        r.proposal,
        Some(Proposal {
            kind: ProposalKind::FurtherRound,
            candidates: vec![0, 3, 8, 9, 11, 12, 13, 14],
            places: 3
        })
    );
}

#[test]
fn two_thirds_threshold_in_a_ballot() {
    // Base 301: 201 passes, 200 does not.
    let r = decide(&counts(&[201, 200, 250], 290), 2, 301, Threshold::TwoThirds);
    assert_eq!(r.selected, vec![2, 0]);
    assert_eq!(r.outcome_of(1), Some(Outcome::BelowThreshold));
}

#[test]
fn equal_ballot_selects_those_passing() {
    let r = decide(&counts(&[200, 100, 250], 280), 3, 300, Threshold::Majority);
    assert_eq!(r.selected, vec![2, 0]);
    assert_eq!(r.unfilled, 1);
    let p = r.proposal.unwrap();
    assert_eq!(
        (p.kind, p.candidates, p.places),
        (ProposalKind::FurtherRound, vec![1], 1)
    );
}

#[test]
fn decide_on_empty_or_zero_places_does_not_panic() {
    let r = decide(&[], 3, 0, Threshold::Majority);
    assert_eq!((r.selected.len(), r.unfilled), (0, 3));
    let r = decide(&counts(&[5, 5], 5), 0, 5, Threshold::Majority);
    assert!(r.selected.is_empty());
    assert_eq!(r.outcome_of(0), Some(Outcome::NotSelected));
}

#[test]
fn outcomes_serialize_snake_case() {
    let s = serde_json::to_string(&[
        Outcome::Selected,
        Outcome::NotSelected,
        Outcome::BelowThreshold,
        Outcome::Tie,
    ])
    .unwrap();
    assert_eq!(s, r#"["selected","not_selected","below_threshold","tie"]"#);
    let r = decide(&straddle_counts(), 10, 300, Threshold::Majority);
    let back: BallotResult = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
}

// --- run-offs -------------------------------------------------------------------------------

#[test]
fn run_off_merged_into_final_list() {
    let first = decide(&straddle_counts(), 10, 300, Threshold::Majority);
    let fs = FinalSelection::from_result(&first);
    let tied = fs.pending.clone().unwrap().candidates; // [9, 10, 11]
    // Run-off: round candidate 2 (original 11) wins.
    let round = decide(&counts(&[120, 60, 190], 280), 1, 300, Threshold::Majority);
    let merged = fs.merge(&round, &tied).unwrap();
    let mut expected: Vec<usize> = (0..9).collect();
    expected.push(11);
    assert_eq!(merged.selected, expected);
    assert_eq!(merged.unfilled, 0);
    assert_eq!(merged.pending, None);
}

#[test]
fn run_off_with_a_shortfall_then_further_round() {
    let first = decide(&straddle_counts(), 10, 300, Threshold::Majority);
    let fs = FinalSelection::from_result(&first);
    let tied = fs.pending.clone().unwrap().candidates;
    // Run-off: nobody reaches 151.
    let round = decide(&counts(&[150, 100, 30], 280), 1, 300, Threshold::Majority);
    assert_eq!(round.unfilled, 1);
    let merged = fs.merge(&round, &tied).unwrap();
    assert_eq!(merged.selected, (0..9).collect::<Vec<_>>());
    assert_eq!(merged.unfilled, 1);
    // Further round among every original candidate not selected, not only the run-off's.
    assert_eq!(
        merged.pending,
        Some(Proposal {
            kind: ProposalKind::FurtherRound,
            candidates: (9..15).collect(),
            places: 1
        })
    );
    // The further round among a subset of those (13 and 14): 14 wins.
    let round2 = decide(&counts(&[100, 160], 280), 1, 300, Threshold::Majority);
    let done = merged.merge(&round2, &[13, 14]).unwrap();
    assert_eq!(done.selected.last(), Some(&14));
    assert_eq!(
        (done.selected.len(), done.unfilled, done.pending.clone()),
        (10, 0, None)
    );
    // Nothing more to merge.
    assert_eq!(
        done.merge(&round2, &[13, 14]),
        Err(BallotError::NothingPending)
    );
}

#[test]
fn run_off_of_a_run_off() {
    let first = decide(&straddle_counts(), 10, 300, Threshold::Majority);
    let fs = FinalSelection::from_result(&first);
    // Run-off ties again between original 10 and 11.
    let round = decide(&counts(&[100, 170, 170], 280), 1, 300, Threshold::Majority);
    let merged = fs.merge(&round, &[9, 10, 11]).unwrap();
    assert_eq!(
        merged.pending,
        Some(Proposal {
            kind: ProposalKind::RunOff,
            candidates: vec![10, 11],
            places: 1
        })
    );
    // Second run-off listed in another order: 11 first; 10 wins.
    let round2 = decide(&counts(&[160, 180], 280), 1, 300, Threshold::Majority);
    let done = merged.merge(&round2, &[11, 10]).unwrap();
    assert_eq!(done.selected[9], 10);
    assert!(done.pending.is_none());
}

#[test]
fn merge_refuses_wrong_rounds() {
    let first = decide(&straddle_counts(), 10, 300, Threshold::Majority);
    let fs = FinalSelection::from_result(&first);
    let two_places = decide(&counts(&[200, 190, 180], 280), 2, 300, Threshold::Majority);
    assert_eq!(
        fs.merge(&two_places, &[9, 10, 11]),
        Err(BallotError::RoundPlaces {
            expected: 1,
            got: 2
        })
    );
    let one = decide(&counts(&[200, 190], 280), 1, 300, Threshold::Majority);
    assert_eq!(fs.merge(&one, &[9, 10]), Err(BallotError::RunOffNotTied));
    assert_eq!(
        fs.merge(&one, &[9, 3]),
        Err(BallotError::RoundCandidateNotEligible { index: 3 })
    );
    assert_eq!(
        fs.merge(&one, &[9, 9]),
        Err(BallotError::RoundCandidateDuplicate { index: 9 })
    );
    assert_eq!(
        fs.merge(&one, &[9, 10, 11]),
        Err(BallotError::RoundMapping {
            result: 2,
            mapping: 3
        })
    );
}

// --- tally ----------------------------------------------------------------------------------

#[test]
fn incremental_add_remove_replace_equals_recount() {
    let papers = [
        BallotPaper::new(vec![O, O, X, A]),
        BallotPaper::new(vec![O, X, X, O]),
        BallotPaper::new(vec![O, O, O, A]), // void: 3 yes for 2 places
        BallotPaper::void_by_hand(vec![], "污损"),
        BallotPaper::new(vec![A, A, A, A]),
    ];
    let mut t = Tally::new(4, 2);
    for p in &papers {
        t.add(p).unwrap();
    }
    assert_eq!((t.valid(), t.void(), t.returned()), (3, 2, 5));
    assert_eq!(
        t.counts()[0],
        CandidateCount {
            yes: 2,
            no: 0,
            abstain: 1
        }
    );

    // Undo paper 1, correct paper 0.
    t.remove(&papers[1]).unwrap();
    let corrected = BallotPaper::new(vec![X, O, X, A]);
    t.replace(&papers[0], &corrected).unwrap();
    let kept = [&corrected, &papers[2], &papers[3], &papers[4]];
    assert_eq!(t, Tally::recount(4, 2, kept).unwrap());
    assert!(t.discrepancies().is_empty());
}

#[test]
fn removing_a_paper_never_added_is_refused_and_changes_nothing() {
    let mut t = Tally::new(3, 2);
    t.add(&BallotPaper::new(vec![O, A, A])).unwrap();
    let before = t.clone();
    assert_eq!(
        t.remove(&BallotPaper::new(vec![X, A, A])),
        Err(BallotError::NotInTally)
    );
    assert_eq!(
        t.remove(&BallotPaper::void_by_hand(vec![], "x")),
        Err(BallotError::NotInTally)
    );
    assert_eq!(
        t.remove(&BallotPaper::new(vec![O, O, O])),
        Err(BallotError::NotInTally)
    );
    // A failed replace restores the tally.
    assert_eq!(
        t.replace(
            &BallotPaper::new(vec![X, X, X]),
            &BallotPaper::new(vec![O, A, A])
        ),
        Err(BallotError::NotInTally)
    );
    assert_eq!(
        t.replace(&BallotPaper::new(vec![O, A, A]), &BallotPaper::new(vec![O])),
        Err(BallotError::WrongLength {
            expected: 3,
            got: 1
        })
    );
    assert_eq!(t, before);
}

#[test]
fn discrepancies_are_reported() {
    let mut t = Tally::new(2, 1);
    t.add(&BallotPaper::new(vec![O, A])).unwrap();
    let mut json: serde_json::Value = serde_json::to_value(&t).unwrap();
    json["counts"][1]["abstain"] = 5.into();
    let broken: Tally = serde_json::from_value(json).unwrap();
    assert_eq!(
        broken.discrepancies(),
        vec![Discrepancy::CandidateSum {
            index: 1,
            sum: 5,
            valid: 1
        }]
    );
}

#[test]
fn tally_decides_through_papers() {
    // 5 deputies, 3 candidates, 1 place.
    let mut t = Tally::for_def(&def(3, 1, false));
    for marks in [[O, A, A], [O, X, A], [O, A, X], [A, O, A], [O, O, A]] {
        t.add(&BallotPaper::new(marks.to_vec())).unwrap(); // last one void
    }
    let r = t.decide(base_number(Base::All, 5, 5, t.valid()), Threshold::Majority);
    assert_eq!(t.void(), 1);
    assert_eq!(r.selected, vec![0]);
    assert_eq!(r.candidates[0].yes, 3);
}

#[test]
fn error_messages_in_both_languages() {
    let e = BallotError::TooFewForCompetitive {
        candidates: 10,
        places: 10,
    };
    assert!(e.to_string().contains("more candidates than places"));
    assert!(e.zh().contains("差额票决"));
    assert_eq!(e.text().zh, e.zh());
    assert_eq!(e.text().en, e.en());
}

// --- randomized: incremental equals recount --------------------------------------------------

fn mark() -> impl Strategy<Value = Mark> {
    prop_oneof![Just(O), Just(X), Just(A)]
}

#[derive(Debug, Clone)]
enum Op {
    Add(Vec<Mark>, bool),
    Remove(usize),
    Replace(usize, Vec<Mark>),
}

proptest! {
    #[test]
    fn random_adds_and_removes_equal_a_recount(
        candidates in 1usize..8,
        places_seed in 0u32..8,
        ops in prop::collection::vec(
            (0u8..4, prop::collection::vec(mark(), 8), any::<bool>(), any::<prop::sample::Index>()),
            0..60,
        ),
    ) {
        let places = places_seed % candidates as u32 + 1;
        let mut t = Tally::new(candidates, places);
        let mut kept: Vec<BallotPaper> = Vec::new();
        for (kind, marks, hand, idx) in ops {
            let marks = marks[..candidates].to_vec();
            let op = match kind {
                0 | 1 => Op::Add(marks, hand),
                2 if !kept.is_empty() => Op::Remove(idx.index(kept.len())),
                3 if !kept.is_empty() => Op::Replace(idx.index(kept.len()), marks),
                _ => Op::Add(marks, false),
            };
            match op {
                Op::Add(m, hand) => {
                    let p = if hand { BallotPaper::void_by_hand(m, "污损") } else { BallotPaper::new(m) };
                    t.add(&p).unwrap();
                    kept.push(p);
                }
                Op::Remove(i) => {
                    let p = kept.swap_remove(i);
                    t.remove(&p).unwrap();
                }
                Op::Replace(i, m) => {
                    let p = BallotPaper::new(m);
                    t.replace(&kept[i], &p).unwrap();
                    kept[i] = p;
                }
            }
            prop_assert!(t.discrepancies().is_empty());
        }
        let fresh = Tally::recount(candidates, places, &kept).unwrap();
        prop_assert_eq!(&t, &fresh);
        prop_assert_eq!(t.returned() as usize, kept.len());
    }

    #[test]
    fn decide_is_consistent(
        yes in prop::collection::vec(0u32..20, 1..15),
        places_seed in 0u32..15,
        base in 0u32..30,
        two_thirds in any::<bool>(),
    ) {
        let places = places_seed % yes.len() as u32 + 1;
        let th = if two_thirds { Threshold::TwoThirds } else { Threshold::Majority };
        let r = decide(&counts(&yes, 20), places, base, th);
        prop_assert!(r.selected.len() as u32 <= places);
        prop_assert_eq!(r.unfilled, places - r.selected.len() as u32);
        prop_assert_eq!(r.proposal.is_some(), r.unfilled > 0);
        for c in &r.candidates {
            prop_assert_eq!(c.passes, passes(c.yes, base, th));
            prop_assert_eq!(c.rank as usize, 1 + yes.iter().filter(|&&y| y > c.yes).count());
            if c.outcome == Outcome::Selected {
                prop_assert!(c.passes && (c.rank as usize) <= places as usize);
            }
        }
        if let Some(p) = r.proposal.as_ref().filter(|p| p.kind == ProposalKind::RunOff) {
            // A tie straddles place N: more tied than places left, and it fills all of them.
            prop_assert!(p.candidates.len() as u32 > p.places);
            prop_assert_eq!(p.places, r.unfilled);
        }
    }
}

#[test]
fn pass_mark_is_the_first_count_that_passes() {
    // 300 deputies: 151 of 300 (过半数), 200 of 300 (三分之二以上); odd bases too
    assert_eq!(pass_mark(300, Threshold::Majority), 151);
    assert_eq!(pass_mark(301, Threshold::Majority), 151);
    assert_eq!(pass_mark(300, Threshold::TwoThirds), 200);
    assert_eq!(pass_mark(301, Threshold::TwoThirds), 201);
    for base in 1..500 {
        for t in [Threshold::Majority, Threshold::TwoThirds] {
            let m = pass_mark(base, t);
            assert!(passes(m, base, t), "{base} {t:?}");
            assert!(!passes(m - 1, base, t), "{base} {t:?}");
        }
    }
}
