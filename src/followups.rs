//! 跟踪问效: carry the commitments an earlier session left open into this session's
//! report-back item, so the meeting hears how each was handled.

use std::path::Path;

use crate::domain::action::Action;
use crate::domain::questions::CStatus;
use crate::engine::{Engine, ExecError};
use crate::i18n::Text;
use crate::text;

/// The report-back item: `item` if given, else the first item marked `report_back = true`.
pub fn target_item(engine: &Engine, item: Option<&str>) -> Result<String, Text> {
    let def = &engine.state().def;
    match item {
        Some(id) => def.item(id).map(|i| i.id.clone()).ok_or_else(|| {
            text!(format!("没有编号为“{id}”的议程"), format!("there is no agenda item \"{id}\""))
        }),
        None => def.agenda.iter().find(|a| a.report_back).map(|a| a.id.clone()).ok_or_else(|| {
            text!(
                "议程中没有跟踪问效议程:请在某个报告议程中写 report_back = true,或用 --item 指定",
                "no report-back item: mark a report item with report_back = true, or name one with --item"
            )
        }),
    }
}

/// Carry the open commitments of the session in `previous` into `engine`'s report-back item.
/// Returns how many were carried. One transaction; refused as a whole if any was carried before.
pub fn carry(engine: &mut Engine, previous: &Path, item: Option<&str>) -> Result<usize, Text> {
    let prev = Engine::open_readonly(previous).map_err(|e| e.text())?;
    let s = &prev.state().def.session;
    let source = format!("{}({})", s.title, s.date);
    let open: Vec<_> = prev
        .state()
        .commitments
        .iter()
        .filter(|c| c.status != CStatus::Done)
        .cloned()
        .collect();
    if open.is_empty() {
        return Err(text!(
            format!("“{source}”没有未办结的承诺"),
            format!("\"{source}\" has no open commitments")
        ));
    }
    let item = target_item(engine, item)?;
    let n = open.len();
    engine
        .execute(Action::CarryCommitments {
            item,
            source,
            commitments: open,
        })
        .map_err(|e: ExecError| e.text())?;
    Ok(n)
}
