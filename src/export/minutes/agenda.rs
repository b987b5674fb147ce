//! The proceedings part of the minutes: one section per agenda item, with its presenter, its
//! times against the plan, the notes typed against it, its counts and its questions.

use crate::domain::state::ItemStatus;
use crate::domain::time::Ts;
use crate::engine::Engine;
use crate::i18n::Lang;
use crate::summary::item_kind_label;

use super::ItemSection;
use super::labels::{Clock, cn_num, minutes_of, status_text};

/// One section per agenda item, in agenda order. `as_of_time` is the moment the minutes speak
/// of (the last event), for the questions' running clocks.
pub(super) fn items(
    engine: &Engine,
    lang: Lang,
    clock: &Clock,
    as_of_time: Ts,
) -> Vec<ItemSection> {
    let st = engine.state();
    let def = &st.def;
    let zh = lang == Lang::Zh;
    def.agenda
        .iter()
        .zip(&st.items)
        .enumerate()
        .map(|(i, (d, it))| {
            let number = if zh {
                format!("({})", cn_num(i as u32 + 1))
            } else {
                format!("{}.", i + 1)
            };
            let presenter = d.presenter.as_ref().map(|p| match &d.post {
                Some(post) if zh => format!("{p}({post})"),
                Some(post) => format!("{p} ({post})"),
                None => p.clone(),
            });
            let start = it.started().map(|x| clock.hm(&x));
            let end = it.ended().map(|x| clock.hm(&x));
            let minutes = (it.status == ItemStatus::Done).then(|| {
                minutes_of(
                    it.segments
                        .iter()
                        .filter_map(|s| s.end.map(|e| (e - s.start).num_seconds().max(0)))
                        .sum(),
                )
            });
            let planned = d.minutes;
            let time = item_time(it, planned, minutes, clock, lang);
            let notes = it
                .notes
                .iter()
                .map(|n| (clock.hm(&n.at), n.text.clone()))
                .collect();
            ItemSection {
                number,
                title: d.title.clone(),
                kind: item_kind_label(d, lang).to_string(),
                presenter,
                status: it.status,
                status_text: status_text(it.status, lang).to_string(),
                time,
                start,
                end,
                planned_minutes: planned,
                minutes,
                notes,
                reasons: it.reasons.clone(),
                ballots: st
                    .ballots
                    .list
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.item == i)
                    .map(|(k, _)| k)
                    .collect(),
                questions: super::questions::questions(st, i, &|t| clock.hm(t), as_of_time, lang),
            }
        })
        .collect()
}

fn item_time(
    it: &crate::domain::state::ItemState,
    planned: u32,
    minutes: Option<i64>,
    clock: &Clock,
    lang: Lang,
) -> String {
    let zh = lang == Lang::Zh;
    let spans: Vec<String> = it
        .segments
        .iter()
        .map(|s| match s.end {
            Some(e) => format!("{}—{}", clock.hm(&s.start), clock.hm(&e)),
            None => {
                if zh {
                    format!("{}起", clock.hm(&s.start))
                } else {
                    format!("from {}", clock.hm(&s.start))
                }
            }
        })
        .collect();
    let plan = if zh {
        format!("计划{planned}分钟")
    } else {
        format!("planned {planned} min")
    };
    match it.status {
        ItemStatus::Pending | ItemStatus::Skipped => {
            if zh {
                format!("{}({plan})", status_text(it.status, lang))
            } else {
                format!("{} ({plan})", status_text(it.status, lang))
            }
        }
        ItemStatus::Running => {
            if zh {
                format!("{},进行中({plan})", spans.join("、"))
            } else {
                format!("{}, in progress ({plan})", spans.join(", "))
            }
        }
        ItemStatus::Done => {
            let m = minutes.unwrap_or(0);
            if zh {
                format!("{},历时{m}分钟({plan})", spans.join("、"))
            } else {
                format!("{}, {m} min ({plan})", spans.join(", "))
            }
        }
    }
}
