//! The announcement of a count (DESIGN.md §4, §2.14), as sentences in both languages. The
//! console shows it before announcing, the projector and the posted result sheet print it.
//! Each count speaks its own words ([`Words`]); every announcement opens with 应到/实到 at the
//! time of the vote; lists come one entry per line, never run inline.

use crate::domain::ballot::vote_validity;
use crate::domain::ballot::{CandidateCount, Outcome, Proposal, ProposalKind, VoteValidity};
use crate::domain::ballots::{self, Announced, BallotState, CountKind, Roll};
use crate::domain::resolution;
use crate::domain::satisfaction::announce_item;
use crate::domain::state::SessionState;
use crate::domain::words::{Words, outcome_words};
use crate::i18n::Text;

/// The attendance a count was held with: at the issue of its papers, else today's.
pub fn roll_of(st: &SessionState, b: &BallotState) -> Roll {
    b.roll.unwrap_or(Roll {
        all: st.attendance.total,
        present: st.attendance.present,
    })
}

/// The sentences for `b`: its frozen result once announced, else the provisional one.
pub fn announcement(st: &SessionState, b: &BallotState) -> Vec<Text> {
    let item = &st.def.agenda[b.item];
    let words = Words::of_kind(item, b.kind);
    let names = ballots::names(item, b);
    let result = ballots::result_of(b, item, st.attendance.total, st.attendance.present);
    let roll = roll_of(st, b);
    let mut out = vec![announce_roll(words, roll)];
    if b.kind != CountKind::Resolution {
        if let Some(issued) = b.issued {
            out.push(announce_returned(words, issued, b.returned()));
        }
        if matches!(result, Some(Announced::VoidVote(_))) {
            return out;
        }
        out.push(announce_valid_void(b.valid(), b.void()));
    }
    match &result {
        Some(Announced::Approval(r)) => {
            // In paper order, as the sheet lists them; the outcome in words after each.
            let mut by_paper: Vec<_> = r.candidates.iter().collect();
            by_paper.sort_by_key(|c| c.index);
            for c in by_paper {
                let name = names.get(c.index).copied().unwrap_or("?");
                let count = CandidateCount {
                    yes: c.yes,
                    no: c.no,
                    abstain: c.abstain,
                };
                out.push(announce_candidate(name, &count, Some(c.outcome)));
            }
            let all_names: Vec<&str> = item
                .ballot
                .as_ref()
                .map(|d| d.candidates.iter().map(|c| c.name.as_str()).collect())
                .unwrap_or_default();
            let year = item.ballot.as_ref().and_then(|d| d.year);
            // Final list over all announced rounds (and this one, if not yet announced).
            let fin = st.ballots.selection_through(b.item, b.round);
            let (selected, pending) = match (&b.announced, fin) {
                (Some(_), Some(f)) => (f.selected.clone(), f.pending.clone()),
                _ => (
                    r.selected.iter().map(|&i| b.candidates[i]).collect(),
                    r.proposal.clone().map(|mut p| {
                        p.candidates = p.candidates.iter().map(|&i| b.candidates[i]).collect();
                        p
                    }),
                ),
            };
            let chosen: Vec<&str> = selected
                .iter()
                .filter_map(|&i| all_names.get(i).copied())
                .collect();
            out.extend(announce_selected(words, &chosen, year));
            if let Some(p) = pending {
                let pn: Vec<&str> = p
                    .candidates
                    .iter()
                    .filter_map(|&i| all_names.get(i).copied())
                    .collect();
                out.push(announce_proposal(&p, &pn));
            }
        }
        Some(Announced::Satisfaction { items, .. }) => {
            for it in items {
                let name = names.get(it.index).copied().unwrap_or("?");
                out.push(announce_item(name, it));
            }
        }
        Some(Announced::Resolution(r)) => {
            let title = names.first().copied().unwrap_or("");
            let method = item
                .resolution
                .as_ref()
                .map(|d| d.method)
                .unwrap_or_default();
            out.push(resolution::announce(title, r, method));
        }
        Some(Announced::VoidVote(_)) | None => {}
    }
    out
}

/// 票决时应到代表×名,实到×名。
pub fn announce_roll(words: Words, roll: Roll) -> Text {
    let Roll { all, present } = roll;
    let w = words.name();
    Text::new(
        format!("{}时应到代表{all}名,实到{present}名。", w.zh),
        format!(
            "At the {}, {all} deputies were expected and {present} present.",
            w.en
        ),
    )
}

/// 根据总监票人报告,表决票发出×张,收回×张,…… (§4), said before counting starts, in the
/// count's own words (票荐票 … 本次票荐; 测评票 … 本次测评).
pub fn announce_returned(words: Words, issued: u32, returned: u32) -> Text {
    let (paper, name) = (words.paper(), words.name());
    match vote_validity(issued, returned) {
        VoteValidity::Valid => Text::new(
            format!(
                "根据总监票人报告,{}发出{issued}张,收回{returned}张,收回票数不多于发出票数,本次{}有效。",
                paper.zh, name.zh
            ),
            format!(
                "According to the chief scrutineer's report, {issued} {} were issued and {returned} returned. As no more were returned than issued, this {} is valid.",
                paper.en, name.en
            ),
        ),
        VoteValidity::Void => Text::new(
            format!(
                "根据总监票人报告,{}发出{issued}张,收回{returned}张,收回票数多于发出票数,本次{}无效,应重新投票。",
                paper.zh, name.zh
            ),
            format!(
                "According to the chief scrutineer's report, {issued} {} were issued and {returned} returned. As more were returned than issued, this {} is void and must be held again.",
                paper.en, name.en
            ),
        ),
    }
}

/// 有效票×张,无效票×张。
pub fn announce_valid_void(valid: u32, void: u32) -> Text {
    Text::new(
        format!("有效票{valid}张,无效票{void}张。"),
        format!("Valid papers: {valid}; void papers: {void}."),
    )
}

/// The name followed by 项目 unless it already says so (avoids 项目项目, 项目1项目).
fn project_name(name: &str) -> String {
    if name.contains("项目") {
        name.to_string()
    } else {
        format!("{name}项目")
    }
}

/// ××项目获得赞成票×票、不赞成票×票、弃权票×票,当选 / 未当选。
pub fn announce_candidate(name: &str, count: &CandidateCount, outcome: Option<Outcome>) -> Text {
    let CandidateCount { yes, no, abstain } = *count;
    let (tail_zh, tail_en) = match outcome_words(outcome) {
        Some(w) => (format!(",{}", w.zh), format!("; {}", w.en)),
        None => (String::new(), String::new()),
    };
    Text::new(
        format!(
            "{}获得赞成票{yes}票、不赞成票{no}票、弃权票{abstain}票{tail_zh}。",
            project_name(name)
        ),
        format!(
            "{name} received {yes} votes in favour, {no} against and {abstain} abstentions{tail_en}."
        ),
    )
}

/// One entry of a numbered list on its own line: （1）name. The bracket keeps a name that
/// starts with a figure ("25所中小学…") from reading as part of the number.
pub fn numbered(i: usize, name: &str, last: bool) -> Text {
    let end = if last { "。" } else { ";" };
    Text::new(
        format!("({}){name}{end}", i + 1),
        format!("({}) {name}{}", i + 1, if last { "." } else { ";" }),
    )
}

/// 根据票决结果,以下×个项目确定为××年度民生实事项目: then one line per project
/// (票荐: 根据票荐结果 … 推荐为). `names` in final order (see
/// [`crate::domain::ballot::FinalSelection::selected`]).
pub fn announce_selected(words: Words, names: &[&str], year: Option<u32>) -> Vec<Text> {
    let (what_zh, what_en) = match year {
        Some(y) => (
            format!("{y}年度民生实事项目"),
            format!("livelihood projects for {y}"),
        ),
        None => (
            "民生实事项目".to_string(),
            "livelihood projects".to_string(),
        ),
    };
    let (result, chosen) = (words.result(), words.chosen());
    if names.is_empty() {
        return vec![Text::new(
            format!("根据{},没有项目{}{what_zh}。", result.zh, chosen.zh),
            format!(
                "According to the {}, no project was {} one of the {what_en}.",
                result.en, chosen.en
            ),
        )];
    }
    let mut out = vec![Text::new(
        format!(
            "根据{},以下{}个项目{}{what_zh}:",
            result.zh,
            names.len(),
            chosen.zh
        ),
        format!(
            "According to the {}, the following {} projects are {} the {what_en}:",
            result.en,
            names.len(),
            chosen.en
        ),
    )];
    for (i, n) in names.iter().enumerate() {
        out.push(numbered(i, n, i + 1 == names.len()));
    }
    out
}

/// The further vote the console offers: 再次投票 after a tie, 另行投票 after a shortfall.
/// `names` are the proposal's candidates' names, in the proposal's order; each is quoted, as a
/// name may itself hold a 、.
pub fn announce_proposal(proposal: &Proposal, names: &[&str]) -> Text {
    let places = proposal.places;
    let list_zh = names
        .iter()
        .map(|n| format!("“{n}”"))
        .collect::<Vec<_>>()
        .join("、");
    let list_en = names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    match proposal.kind {
        ProposalKind::RunOff => Text::new(
            format!(
                "{list_zh}获得赞成票数相等,均未确定入选,应在上述项目中就剩余的{places}个名额再次投票。"
            ),
            format!(
                "{list_en} are tied on votes in favour and none is chosen yet; a run-off among them is to be held for the remaining {places} place(s)."
            ),
        ),
        ProposalKind::FurtherRound => {
            let (tail_zh, tail_en) = if names.is_empty() {
                (String::new(), String::new())
            } else {
                (format!(":{list_zh}"), format!(": {list_en}"))
            };
            Text::new(
                format!(
                    "获得赞成票达到规定票数的项目少于应选数,尚有{places}个名额未选出,应在未入选的项目中另行投票{tail_zh}。"
                ),
                format!(
                    "Fewer projects than places received the required number of votes in favour; {places} place(s) remain unfilled, to be filled by a further round among the projects not chosen{tail_en}."
                ),
            )
        }
    }
}

#[cfg(test)]
#[path = "announce_tests.rs"]
mod tests;
