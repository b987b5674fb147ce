//! The attendance section of the minutes: the sentence read out, the tables by group and by
//! deputy, and the lists of those on leave, absent or not marked.

use crate::domain::quorum::Presence;
use crate::engine::Engine;
use crate::export::table::{Cell, Table};
use crate::i18n::Lang;

use super::AttendanceSection;

/// The attendance section as the roll stands.
pub(super) fn section(engine: &Engine, lang: Lang) -> AttendanceSection {
    let st = engine.state();
    let def = &st.def;
    let zh = lang == Lang::Zh;
    let t = |a: &str, b: &str| lang.t(a, b).to_string();
    let rule = def.session.quorum;
    let groups_header: &[&str] = if zh {
        &["代表小组", "应到", "实到", "请假", "缺席"]
    } else {
        &["Group", "Expected", "Present", "On leave", "Absent"]
    };
    let mut groups = Table::new(
        "attendance-groups",
        t("各代表小组出席情况", "Attendance by group"),
        groups_header,
    );
    for g in def.groups() {
        let (mut n, mut p, mut l, mut a) = (0u32, 0u32, 0u32, 0u32);
        for (d, pr) in def.deputies.iter().zip(&st.presence) {
            if d.group != g {
                continue;
            }
            n += 1;
            match pr {
                Presence::Present => p += 1,
                Presence::Leave => l += 1,
                Presence::Absent | Presence::Unmarked => a += 1,
            }
        }
        groups.push(vec![
            Cell::text(g),
            Cell::int(n),
            Cell::int(p),
            Cell::int(l),
            Cell::int(a),
        ]);
    }
    let dep_header: &[&str] = if zh {
        &["编号", "姓名", "代表小组", "座位", "出席情况"]
    } else {
        &["ID", "Name", "Group", "Seat", "Attendance"]
    };
    let mut deputies = Table::new(
        "attendance",
        t("代表出席情况", "Attendance by deputy"),
        dep_header,
    );
    for (d, p) in def.deputies.iter().zip(&st.presence) {
        deputies.push(vec![
            Cell::text(&d.id),
            Cell::text(&d.name),
            Cell::text(&d.group),
            Cell::opt_text(d.seat.clone()),
            Cell::text(p.label(lang)),
        ]);
    }
    let names_with = |want: Presence| -> String {
        def.deputies
            .iter()
            .zip(&st.presence)
            .filter(|(_, p)| **p == want)
            .map(|(d, _)| d.name.as_str())
            .collect::<Vec<_>>()
            .join(lang.t("、", ", "))
    };
    let mut lists = Vec::new();
    for (p, label) in [
        (Presence::Leave, t("请假代表", "On leave")),
        (Presence::Absent, t("缺席代表", "Absent")),
        (Presence::Unmarked, t("未登记代表", "Not marked")),
    ] {
        let names = names_with(p);
        if !names.is_empty() {
            lists.push((label, names));
        }
    }
    AttendanceSection {
        sentence: st.attendance.sentence(rule, lang),
        groups,
        deputies,
        lists,
    }
}
