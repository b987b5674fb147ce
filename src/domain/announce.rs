//! The announcement of a count (DESIGN.md §4), as sentences in both languages. The console
//! shows it before announcing, the minutes and the posted result sheet print it.

use crate::domain::ballot::{
    self, announce_candidate, announce_proposal, announce_returned, announce_selected,
    announce_valid_void,
};
use crate::domain::ballots::{self, Announced, BallotState, CountKind, Counter};
use crate::domain::resolution;
use crate::domain::satisfaction::announce_item;
use crate::domain::state::SessionState;
use crate::i18n::Text;

/// The sentences for `b`: its frozen result once announced, else the provisional one.
pub fn announcement(st: &SessionState, b: &BallotState) -> Vec<Text> {
    let item = &st.def.agenda[b.item];
    let names = ballots::names(item, b);
    let result = match &b.announced {
        Some(a) => Some(a.clone()),
        None => ballots::provisional(b, item, st.attendance.total, st.attendance.present),
    };
    let mut out = Vec::new();
    if b.kind != CountKind::Resolution {
        if let Some(issued) = b.issued {
            out.push(announce_returned(issued, b.returned()));
        }
        if matches!(result, Some(Announced::VoidVote)) || b.vote_void() {
            return out;
        }
        out.push(announce_valid_void(b.valid(), b.void()));
    }
    match (&result, &b.counter) {
        (Some(Announced::Approval(r)), _) => {
            for c in &r.candidates {
                let name = names.get(c.index).copied().unwrap_or("?");
                let count = ballot::CandidateCount {
                    yes: c.yes,
                    no: c.no,
                    abstain: c.abstain,
                };
                out.push(announce_candidate(name, &count));
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
            out.push(announce_selected(&chosen, year));
            if let Some(p) = pending {
                let pn: Vec<&str> = p
                    .candidates
                    .iter()
                    .filter_map(|&i| all_names.get(i).copied())
                    .collect();
                out.push(announce_proposal(&p, &pn));
            }
        }
        (Some(Announced::Satisfaction { items, .. }), Counter::Satisfaction(_)) => {
            for it in items {
                let name = names.get(it.index).copied().unwrap_or("?");
                out.push(announce_item(name, &it.counts));
            }
        }
        (Some(Announced::Resolution(r)), _) => {
            let title = names.first().copied().unwrap_or("");
            let method = item
                .resolution
                .as_ref()
                .map(|d| d.method)
                .unwrap_or_default();
            out.push(resolution::announce(title, r, method));
        }
        _ => {}
    }
    out
}
