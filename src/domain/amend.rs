//! Amending the session file after the first run (issue 13): what changed, field by field, and
//! whether the record allows it. A change that touches nothing counted is accepted — a name's
//! typo, posts, titles, units, planned minutes, items not yet started, deputies added; a change
//! to anything already counted, started or announced is refused, each named. Accepted, the
//! amendment is an entry of the chain like any other, and the session goes on under the new
//! definition with everything recorded so far kept in place.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::domain::ballots::Ballots;
use crate::domain::questions::Queue;
use crate::domain::quorum::{Attendance, Presence};
use crate::domain::session::{AgendaItemDef, SessionDef};
use crate::domain::state::{ItemState, ItemStatus, SessionState};
use crate::i18n::Text;
use crate::text;

/// What an amendment would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    /// Each change, field by field.
    pub changes: Vec<Text>,
    /// Each change the record does not allow, and why.
    pub refused: Vec<Text>,
}

impl Review {
    pub fn allowed(&self) -> bool {
        self.refused.is_empty() && !self.changes.is_empty()
    }
}

fn show(v: &Value) -> String {
    let s = match v {
        Value::String(s) => format!("“{s}”"),
        Value::Null => "—".to_string(),
        other => other.to_string(),
    };
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

fn id_of(v: &Value) -> Option<String> {
    v.get("id").and_then(Value::as_str).map(str::to_string)
}

/// Every difference between two JSON values, as `path: old → new`; lists of things with an
/// `id` are matched by id (added, removed, changed, reordered).
fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<Text>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match (x.get(k), y.get(k)) {
                    (Some(va), Some(vb)) => diff(&p, va, vb, out),
                    (None, Some(vb)) => out.push(text!(
                        format!("{p}:新增 {}", show(vb)),
                        format!("{p}: added {}", show(vb))
                    )),
                    (Some(va), None) => out.push(text!(
                        format!("{p}:删去(原为 {})", show(va)),
                        format!("{p}: removed (was {})", show(va))
                    )),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y))
            if x.iter().chain(y.iter()).all(|v| id_of(v).is_some())
                && !(x.is_empty() && y.is_empty()) =>
        {
            let xs: BTreeMap<String, &Value> = x
                .iter()
                .map(|v| (id_of(v).unwrap_or_default(), v))
                .collect();
            let ys: BTreeMap<String, &Value> = y
                .iter()
                .map(|v| (id_of(v).unwrap_or_default(), v))
                .collect();
            for (id, v) in &xs {
                match ys.get(id) {
                    Some(w) => diff(&format!("{path}[{id}]"), v, w, out),
                    None => out.push(text!(
                        format!("{path}:删去 {id}"),
                        format!("{path}: {id} removed")
                    )),
                }
            }
            for id in ys.keys().filter(|id| !xs.contains_key(*id)) {
                out.push(text!(
                    format!("{path}:新增 {id}"),
                    format!("{path}: {id} added")
                ));
            }
            let order = |l: &Vec<Value>, other: &BTreeMap<String, &Value>| -> Vec<String> {
                l.iter()
                    .filter_map(id_of)
                    .filter(|i| other.contains_key(i))
                    .collect()
            };
            if order(x, &ys) != order(y, &xs) {
                out.push(text!(
                    format!("{path}:顺序改变"),
                    format!("{path}: order changed")
                ));
            }
        }
        _ if a != b => out.push(text!(
            format!("{path}:{} 改为 {}", show(a), show(b)),
            format!("{path}: {} → {}", show(a), show(b))
        )),
        _ => {}
    }
}

/// The parts of a count's definition that its papers or totals were counted under.
fn count_shape(item: &AgendaItemDef) -> Value {
    let mut v = serde_json::json!({ "kind": item.kind });
    if let Some(b) = &item.ballot {
        v["ballot"] = serde_json::json!({
            "places": b.places, "equal": b.equal, "base": b.base, "threshold": b.threshold,
            "candidates": b.candidates.iter().map(|c| serde_json::json!({"id": c.id})).collect::<Vec<_>>(),
        });
    }
    if let Some(s) = &item.satisfaction {
        v["satisfaction"] = serde_json::json!({
            "base": s.base,
            "items": s.items.iter().map(|c| serde_json::json!({"id": c.id})).collect::<Vec<_>>(),
        });
    }
    if let Some(r) = &item.resolution {
        v["resolution"] = serde_json::json!({
            "method": r.method, "base": r.base, "threshold": r.threshold,
            "motions": r.motions.iter().map(|m| serde_json::json!({"id": m.id})).collect::<Vec<_>>(),
        });
    }
    if let Some(q) = &item.questioning {
        v["questioning"] = serde_json::json!(
            q.questions
                .iter()
                .map(|x| serde_json::json!({"id": x.id, "deputy": x.deputy}))
                .collect::<Vec<_>>()
        );
    }
    v
}

fn item_touched(st: &SessionState, i: usize) -> bool {
    let it = &st.items[i];
    it.status != ItemStatus::Pending
        || !it.segments.is_empty()
        || !it.notes.is_empty()
        || !it.reasons.is_empty()
        || st.ballots.of_item(i).any(|b| b.touched)
        || st.queues.iter().any(|q| q.item == i && q.touched)
}

/// What amending the session `st` stands on to `new` would change, and what the record refuses.
pub fn review(st: &SessionState, new: &SessionDef) -> Review {
    let old = &st.def;
    let mut r = Review::default();
    let a = serde_json::to_value(old).unwrap_or_default();
    let b = serde_json::to_value(new).unwrap_or_default();
    diff("", &a, &b, &mut r.changes);

    // The quorum once the meeting has done business under it.
    let started = st.items.iter().any(|i| !i.segments.is_empty());
    if started && old.session.quorum != new.session.quorum {
        r.refused.push(text!(
            "session.quorum:会议已开始,法定人数规则不能再改",
            "session.quorum: the meeting has started; its quorum rule can no longer change"
        ));
    }
    // Deputies removed: only those with nothing recorded against them.
    let kept: BTreeSet<&str> = new.deputies.iter().map(|d| d.id.as_str()).collect();
    for (i, d) in old.deputies.iter().enumerate() {
        if kept.contains(d.id.as_str()) {
            continue;
        }
        if st.presence[i] != Presence::Unmarked {
            r.refused.push(text!(
                format!(
                    "roster:代表{}({})已登记为{},不能从花名册删除",
                    d.name,
                    d.id,
                    st.presence[i].label(crate::i18n::Lang::Zh)
                ),
                format!(
                    "roster: deputy {} ({}) is marked {}; they cannot be removed from the roster",
                    d.name,
                    d.id,
                    st.presence[i].label(crate::i18n::Lang::En)
                )
            ));
        }
        let asks = st
            .queues
            .iter()
            .flat_map(|q| &q.questions)
            .any(|q| q.def.deputy == d.id || q.asked_by.as_deref() == Some(d.id.as_str()));
        if asks {
            r.refused.push(text!(
                format!("roster:代表{}({})是提问代表,不能从花名册删除", d.name, d.id),
                format!(
                    "roster: deputy {} ({}) asks a question; they cannot be removed from the roster",
                    d.name, d.id
                )
            ));
        }
    }
    // What an announcement said, and its result sheet says, stays as it was read to the hall:
    // the session's heading, and every field of an item whose count was ever announced.
    let announced: Vec<usize> = (0..old.agenda.len())
        .filter(|&i| {
            st.ballots
                .of_item(i)
                .any(|b| b.announced.is_some() || !b.reopened.is_empty())
        })
        .collect();
    if !announced.is_empty() {
        let heading = |d: &SessionDef| {
            let s = &d.session;
            serde_json::json!({
                "body": s.body, "level": s.level, "title": s.title, "term": s.term,
                "session": s.session, "plenary": s.plenary, "date": s.date,
            })
        };
        let mut what = Vec::new();
        diff("session", &heading(old), &heading(new), &mut what);
        for i in &announced {
            let item = &old.agenda[*i];
            let was = serde_json::to_value(item).unwrap_or_default();
            let now = new
                .item(&item.id)
                .map(|n| serde_json::to_value(n).unwrap_or_default())
                .unwrap_or(Value::Null);
            diff(&format!("agenda[{}]", item.id), &was, &now, &mut what);
        }
        for w in what {
            r.refused.push(text!(
                format!("{}(已宣布的结果及其结果公告以此为据,不能再改)", w.zh),
                format!(
                    "{} (an announced result and its result sheet say this: it can no longer change)",
                    w.en
                )
            ));
        }
    }
    // Items: removed or recast only while nothing happened in them; a count's shape only while
    // nothing was counted.
    for (i, item) in old.agenda.iter().enumerate() {
        let touched = item_touched(st, i);
        let Some(n) = new.item(&item.id) else {
            if touched {
                r.refused.push(text!(
                    format!(
                        "agenda[{}]:议程“{}”已开始或已有记录,不能删去",
                        item.id, item.title
                    ),
                    format!(
                        "agenda[{}]: \"{}\" has started or has entries; it cannot be removed",
                        item.id, item.title
                    )
                ));
            }
            continue;
        };
        if touched && count_shape(item) != count_shape(n) {
            let mut what = Vec::new();
            diff(
                &format!("agenda[{}]", item.id),
                &count_shape(item),
                &count_shape(n),
                &mut what,
            );
            for w in what {
                r.refused.push(text!(
                    format!("{}(该议程已开始、计票或提问,不能改动)", w.zh),
                    format!(
                        "{} (this item has started, counted or asked: it cannot change)",
                        w.en
                    )
                ));
            }
        }
    }
    r
}

/// Put `new` in force over `st`: everything recorded so far stays with its deputy, item,
/// ballot and question (matched by id); what was added starts fresh. Call only after
/// [`review`] allowed it.
pub fn apply(st: &mut SessionState, new: SessionDef) {
    let old_presence: BTreeMap<String, Presence> = st
        .def
        .deputies
        .iter()
        .zip(&st.presence)
        .map(|(d, p)| (d.id.clone(), *p))
        .collect();
    let presence: Vec<Presence> = new
        .deputies
        .iter()
        .map(|d| {
            old_presence
                .get(&d.id)
                .copied()
                .unwrap_or(Presence::Unmarked)
        })
        .collect();
    let mut attendance = Attendance::new(new.deputies.len() as u32);
    for p in &presence {
        attendance.shift(Presence::Unmarked, *p);
    }
    let old_items: BTreeMap<String, ItemState> = st
        .def
        .agenda
        .iter()
        .zip(st.items.drain(..))
        .map(|(d, s)| (d.id.clone(), s))
        .collect();
    let items: Vec<ItemState> = new
        .agenda
        .iter()
        .map(|d| {
            old_items
                .get(&d.id)
                .cloned()
                .unwrap_or_else(ItemState::new_pending)
        })
        .collect();
    let ballots = Ballots::remap(std::mem::take(&mut st.ballots), &st.def, &new);
    let old_queues: BTreeMap<String, Queue> = std::mem::take(&mut st.queues)
        .into_iter()
        .map(|q| (st.def.agenda[q.item].id.clone(), q))
        .collect();
    let queues: Vec<Queue> = new
        .agenda
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let def = a.questioning.as_ref()?;
            Some(match old_queues.get(&a.id) {
                Some(q) if q.touched => {
                    // Kept as it ran; the questions' wording follows the file.
                    let mut q = q.clone();
                    q.item = i;
                    for qs in &mut q.questions {
                        if let Some(d) = def.questions.iter().find(|d| d.id == qs.def.id) {
                            let mut d = d.clone();
                            if d.group.is_none() {
                                d.group = qs.def.group.clone();
                            }
                            qs.def = d;
                        }
                    }
                    q
                }
                _ => Queue::new(i, def),
            })
        })
        .collect();
    st.replace_def(new, presence, attendance, items, ballots, queues);
}
