//! The counts of the minutes: one section per ballot round, evaluation or motion, with its
//! figures, its results, its scrutineers and clerks, the sentences of the announcement and,
//! once announced, the posted result sheet (公告).

use chrono::Timelike;

use crate::domain::ballots::{BallotState, CountKind};
use crate::domain::describe::ballot_label;
use crate::domain::session::{RateBase, VoteMethod};
use crate::domain::state::ItemStatus;
use crate::domain::words::{Words, rate_base_words};
use crate::engine::Engine;
use crate::export::ballots::{BallotOut, ballots as ballot_outs};
use crate::export::table::{Cell, Table, file_stem};
use crate::i18n::Lang;

use super::labels::{
    Clock, base_label, date_text, grade_label, outcome_label, round_text, threshold_label,
};
use super::{BallotSection, Notice};

/// The rate's formula with its denominator named (§2.7).
fn rate_formula(rb: RateBase, lang: Lang) -> &'static str {
    match rb {
        RateBase::Valid => lang.t(
            "(满意+基本满意)÷有效票(含弃权)",
            "(satisfied + basically) ÷ valid papers (abstentions included)",
        ),
        RateBase::Ratings => lang.t(
            "(满意+基本满意)÷(满意+基本满意+不满意),不含弃权",
            "(satisfied + basically) ÷ ratings, abstentions left out",
        ),
    }
}

/// Every count of the session, in log order.
pub(super) fn sections(engine: &Engine, lang: Lang, clock: &Clock) -> Vec<BallotSection> {
    let st = engine.state();
    let outs = ballot_outs(engine);
    st.ballots
        .list
        .iter()
        .zip(outs)
        .map(|(b, out)| ballot_section(engine, b, &out, lang, clock))
        .collect()
}

fn ballot_section(
    engine: &Engine,
    b: &BallotState,
    out: &BallotOut,
    lang: Lang,
    clock: &Clock,
) -> BallotSection {
    let st = engine.state();
    let def = &st.def;
    let item = &def.agenda[b.item];
    let words = Words::of_kind(item, b.kind);
    let zh = lang == Lang::Zh;
    let t = |a: &str, e: &str| lang.t(a, e).to_string();
    let mut label = ballot_label(def, &b.id, lang);
    let rk = round_text(b.round_kind, lang);
    if !rk.is_empty() {
        label = if zh {
            format!("{label} {rk}")
        } else {
            format!("{label}, {rk}")
        };
    }
    let announced = b.locked();
    let item_status = st.items[b.item].status;
    let nothing = match b.kind {
        CountKind::Resolution => out.totals.is_none(),
        _ => b.keyed() == 0 && b.issued.is_none(),
    };
    let not_started = !announced && nothing;
    let item_pending = matches!(item_status, ItemStatus::Pending | ItemStatus::Skipped);
    let hash_at = b
        .announced_seq
        .and_then(|s| engine.store().hash_of(s).ok().flatten().map(|h| (s, h)));
    let status_line = match (&b.announced_at, &hash_at) {
        (Some(at), Some((seq, h))) => {
            let head = crate::store::head_text(*seq, h);
            if zh {
                format!("已于{}宣布结果(事件链头 {head})。", clock.hm(at))
            } else {
                format!("Announced at {} (chain head {head}).", clock.hm(at))
            }
        }
        (Some(at), None) => {
            if zh {
                format!("已于{}宣布结果。", clock.hm(at))
            } else {
                format!("Announced at {}.", clock.hm(at))
            }
        }
        _ if not_started && item_pending => t("尚未进行。", "Not held yet."),
        _ if not_started => t(
            "未宣布:尚未录入结果。",
            "Not announced: nothing entered yet.",
        ),
        _ => t(
            "未宣布:以下为截至本记录时的临时计票结果,以正式宣布为准。",
            "PROVISIONAL — not announced: the count so far, subject to the announcement.",
        ),
    };

    // figures
    let mut figures = Table::new(
        format!("ballot-{}.figures", file_stem(&b.id)),
        t("计票情况", "Figures"),
        if zh {
            &["项目", "数值"]
        } else {
            &["Figure", "Value"]
        },
    );
    let (base_rule, threshold) = (out.base_rule, out.threshold);
    let row = |f: &mut Table, k: String, v: Cell| f.push(vec![Cell::Text(k), v]);
    row(
        &mut figures,
        t("状态", "Status"),
        Cell::text(if announced {
            t("已宣布", "announced")
        } else {
            t("未宣布(临时结果)", "provisional (not announced)")
        }),
    );
    row(
        &mut figures,
        t("应到代表", "Deputies expected"),
        Cell::int(out.attendance.expected),
    );
    row(
        &mut figures,
        t("实到代表", "Deputies present"),
        Cell::int(out.attendance.present),
    );
    match b.kind {
        CountKind::Approval | CountKind::Satisfaction => {
            if b.kind == CountKind::Approval {
                row(&mut figures, t("应选名额", "Places"), Cell::int(b.places));
            }
            row(
                &mut figures,
                t("发出票数", "Papers issued"),
                b.issued.map_or(Cell::Empty, Cell::int),
            );
            row(
                &mut figures,
                t("收回票数", "Papers returned"),
                Cell::int(b.returned()),
            );
            row(
                &mut figures,
                t("已录入票数", "Papers keyed"),
                Cell::int(b.keyed()),
            );
            row(&mut figures, t("有效票", "Valid"), Cell::int(b.valid()));
            row(&mut figures, t("无效票", "Void"), Cell::int(b.void()));
            let live = out.papers.iter().filter(|p| p.struck.is_none());
            let (too_many, hand) = live.fold((0u32, 0u32), |(a, h), p| match p.verdict {
                "void_too_many" => (a + 1, h),
                "void_hand" => (a, h + 1),
                _ => (a, h),
            });
            if b.kind == CountKind::Approval {
                row(
                    &mut figures,
                    t("其中:赞成多于应选名额", "of which: too many in favour"),
                    Cell::int(too_many),
                );
            }
            row(
                &mut figures,
                t(
                    "其中:监票人裁定无效",
                    "of which: ruled void by the scrutineers",
                ),
                Cell::int(hand),
            );
            if b.vote_void() {
                let name = words.name();
                row(
                    &mut figures,
                    t("投票结果", "Vote"),
                    Cell::text(if zh {
                        format!(
                            "收回票数多于发出票数,本次{}无效,不计基数,不产生结果,应重新投票",
                            name.zh
                        )
                    } else {
                        format!(
                            "more papers returned than issued: the {} is void, with no base and no result, and is held again",
                            name.en
                        )
                    }),
                );
            }
        }
        CountKind::Resolution => {
            let method = item.resolution.as_ref().map(|r| r.method);
            row(
                &mut figures,
                t("表决方式", "Method"),
                Cell::text(match method {
                    Some(VoteMethod::Keypad) => t("按表决器", "keypads"),
                    _ => t("举手表决", "show of hands"),
                }),
            );
        }
    }
    // A void vote has no base (§2.4): the rule is not even stated, so nobody reads one.
    if !b.vote_void() {
        row(
            &mut figures,
            t("计算基数", "Base"),
            Cell::text(base_label(base_rule, lang)),
        );
        if let Some(v) = out.base {
            row(&mut figures, t("基数人数", "Base number"), Cell::int(v));
        }
        if b.kind == CountKind::Satisfaction {
            row(
                &mut figures,
                t("满意率", "Satisfaction rate"),
                Cell::text(rate_formula(out.rate_base.unwrap_or_default(), lang)),
            );
        } else {
            row(
                &mut figures,
                t("通过标准", "Threshold"),
                Cell::text(threshold_label(threshold, lang)),
            );
        }
    }

    // results
    let stem = format!("ballot-{}", file_stem(&b.id));
    let results = match b.kind {
        CountKind::Approval if !out.candidates.is_empty() => {
            let h: &[&str] = if zh {
                &[
                    "名次",
                    "编号",
                    "候选项目",
                    "承办单位",
                    "赞成",
                    "不赞成",
                    "弃权",
                    "结果",
                ]
            } else {
                &[
                    "Rank",
                    "ID",
                    "Candidate",
                    "Unit",
                    "In favour",
                    "Against",
                    "Abstain",
                    "Outcome",
                ]
            };
            let mut r = Table::new(&stem, words.result().get(lang), h);
            for c in &out.candidates {
                let outcome = match c.outcome {
                    // A void vote decides nothing: the counts stand for the record only.
                    None => t("—(投票无效)", "— (vote void)"),
                    Some(o) if announced => outcome_label(o, lang).to_string(),
                    Some(o) => format!(
                        "{}{}",
                        outcome_label(o, lang),
                        lang.t("(临时)", " (provisional)")
                    ),
                };
                r.push(vec![
                    c.rank.map_or(Cell::Empty, Cell::int),
                    Cell::text(&c.id),
                    Cell::text(&c.name),
                    Cell::opt_text(c.unit.clone()),
                    Cell::int(c.yes),
                    Cell::int(c.no),
                    Cell::int(c.abstain),
                    Cell::text(outcome),
                ]);
            }
            Some(r)
        }
        CountKind::Satisfaction if !out.items.is_empty() => {
            // The rate's column names its denominator (§2.7).
            let rate_head = match (b.vote_void(), out.rate_base.unwrap_or_default()) {
                (true, _) => lang.t("满意率", "Rate"),
                (false, RateBase::Valid) => lang.t("满意率(占有效票)", "Rate (of valid papers)"),
                (false, RateBase::Ratings) => lang.t("满意率(不含弃权)", "Rate (of ratings)"),
            };
            let h: &[&str] = if zh {
                &[
                    "编号",
                    "测评对象",
                    "满意",
                    "基本满意",
                    "不满意",
                    "弃权",
                    rate_head,
                    "测评等次",
                ]
            } else {
                &[
                    "ID",
                    "Item",
                    "Satisfied",
                    "Basically",
                    "Unsatisfied",
                    "Abstain",
                    rate_head,
                    "Grade",
                ]
            };
            let title = if b.vote_void() {
                format!("{}{}", words.result().get(lang), t("(测评无效)", " (void)"))
            } else {
                let w = rate_base_words(out.rate_base.unwrap_or_default());
                format!("{}({})", words.result().get(lang), w.get(lang))
            };
            let mut r = Table::new(&stem, title, h);
            for it in &out.items {
                r.push(vec![
                    Cell::text(&it.id),
                    Cell::text(&it.name),
                    Cell::int(it.satisfied),
                    Cell::int(it.basically_satisfied),
                    Cell::int(it.unsatisfied),
                    Cell::int(it.abstain),
                    it.rate
                        .map_or(Cell::Empty, |p| Cell::Permille((p * 10.0).round() as u32)),
                    Cell::text(grade_label(it.grade.as_deref(), lang)),
                ]);
            }
            Some(r)
        }
        CountKind::Resolution => out.totals.as_ref().map(|tot| {
            let keypad = matches!(
                item.resolution.as_ref().map(|r| r.method),
                Some(VoteMethod::Keypad)
            );
            let mut h: Vec<&str> = if zh {
                vec!["表决事项", "赞成", "反对", "弃权"]
            } else {
                vec!["Motion", "In favour", "Against", "Abstain"]
            };
            if keypad {
                h.push(lang.t("未按", "Not pressed"));
            }
            h.push(lang.t("结果", "Result"));
            let mut r = Table::new(&stem, t("表决结果", "Result"), &h);
            let mut cells = vec![
                Cell::text(ballot_label(def, &b.id, lang)),
                Cell::int(tot.yes),
                Cell::int(tot.no),
                Cell::int(tot.abstain),
            ];
            if keypad {
                cells.push(Cell::int(tot.not_pressed));
            }
            cells.push(Cell::text(if tot.passed {
                t("通过", "adopted")
            } else {
                t("未通过", "not adopted")
            }));
            r.push(cells);
            r
        }),
        _ => None,
    };

    // staff
    let mut staff = Vec::new();
    if let Some((chief, rest)) = b.scrutineers.split_first() {
        staff.push((t("总监票人", "Chief scrutineer"), chief.clone()));
        if !rest.is_empty() {
            staff.push((t("监票人", "Scrutineers"), rest.join(lang.t("、", ", "))));
        }
    }
    if !b.clerks.is_empty() {
        staff.push((t("计票人", "Clerks"), b.clerks.join(lang.t("、", ", "))));
    }

    let sentences: Vec<String> = if not_started {
        Vec::new()
    } else if zh {
        out.announcement_zh.clone()
    } else {
        out.announcement_en.clone()
    };
    let notice = match (&b.announced_at, announced) {
        (Some(at), true) => {
            let heading = match (b.kind, zh) {
                (CountKind::Resolution, true) => "表决结果公告".to_string(),
                (CountKind::Resolution, false) => "Result of the vote".to_string(),
                (_, true) => format!("{label}结果公告"),
                (_, false) => format!("Result: {label}"),
            };
            let date = format!(
                "{} {:02}:{:02}",
                date_text(at.date_naive(), lang),
                at.hour(),
                at.minute()
            );
            let chain = match &hash_at {
                Some((seq, h)) => {
                    let head = crate::store::head_text(*seq, h);
                    if zh {
                        format!("宣布时事件链头:{head}")
                    } else {
                        format!("Chain head at the announcement: {head}")
                    }
                }
                None => String::new(),
            };
            Some(Notice {
                org: def.session.title.clone(),
                heading,
                sentences: sentences.clone(),
                staff: staff.clone(),
                date,
                chain,
                seq: b.announced_seq.unwrap_or(0),
            })
        }
        _ => None,
    };
    let sheet = match (b.kind, item.resolution.as_ref()) {
        (CountKind::Resolution, Some(r)) if r.motions.len() > 1 => {
            let motion = b.id.split_once('/').map_or("", |(_, m)| m);
            format!("{} {motion}", item.title)
        }
        (CountKind::Resolution, _) => item.title.clone(),
        _ => label.clone(),
    };
    BallotSection {
        id: b.id.clone(),
        sheet,
        label,
        kind: b.kind,
        announced,
        not_started,
        status_line,
        figures,
        results,
        staff,
        sentences,
        reopened: b.reopened.clone(),
        notice,
    }
}
