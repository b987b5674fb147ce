//! Text that goes into the record: identifiers in one safe alphabet, every text bounded and
//! free of control characters, and the free text written on a paper never naming a deputy
//! (DESIGN.md §2.9, §2.13).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::domain::action::Action;
use crate::domain::session::Deputy;
use crate::i18n::Text;
use crate::text;

/// A paper's serial.
pub const SERIAL_MAX: usize = 64;
/// Reasons and notes.
pub const REASON_MAX: usize = 500;
/// Names of people, units, posts and stations.
pub const NAME_MAX: usize = 100;
/// Identifiers users write (items, candidates, questions, stations).
pub const ID_MAX: usize = 64;

/// `[A-Za-z0-9_-]`, 1 to [`ID_MAX`] characters: the only identifiers a user writes. Ids the
/// program derives use `#` (later rounds) and `/` (motions), which no user id can hold.
pub fn is_user_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= ID_MAX
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

pub fn id_rule(what_zh: &str, what_en: &str, s: &str) -> Result<(), Text> {
    if is_user_id(s) {
        return Ok(());
    }
    Err(text!(
        format!(
            "{what_zh}编号“{}”只能由英文字母、数字、下划线和连字符组成(最多 {ID_MAX} 个)",
            printable(s)
        ),
        format!(
            "{what_en} id \"{}\" may hold only letters A-Z a-z, digits, _ and - (at most {ID_MAX})",
            printable(s)
        )
    ))
}

/// What a text is, for its bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Serial,
    /// A reason or a one-line note.
    Reason,
    /// Notes that may run over several lines (answer notes, agenda notes).
    Lines,
    Name,
}

impl Kind {
    fn max(self) -> usize {
        match self {
            Kind::Serial => SERIAL_MAX,
            Kind::Reason | Kind::Lines => REASON_MAX,
            Kind::Name => NAME_MAX,
        }
    }
}

/// Characters that must never be stored: control characters (line breaks only where a text
/// may run over lines), invisible ones (format characters, joiners, variation selectors, the
/// bidirectional overrides that make text read other than stored) and private-use ones. Two
/// serials that look the same are then the same.
fn forbidden(c: char, kind: Kind) -> bool {
    if kind == Kind::Lines && c == '\n' {
        return false;
    }
    c.is_control()
        || matches!(c as u32,
            0x00AD | 0x034F | 0x061C | 0x0600..=0x0605 | 0x06DD | 0x070F | 0x08E2
            | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
            | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0x3164
            | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB
            | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
            | 0xE000..=0xF8FF | 0xE0000..=0xE0FFF | 0xF0000..=0x10FFFF)
}

/// The text as the roster check reads it: compatibility forms folded (full-width letters and
/// digits become plain ones), lower case, and only letters and digits kept, so that spaces,
/// dashes or dots between the characters of a name or an id do not hide it.
fn folded(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Whether two names written by hand name the same person: compared as the roster check reads
/// them (full-width forms, case, spaces and punctuation do not count). An empty name is nobody.
pub fn same_name(a: &str, b: &str) -> bool {
    let a = folded(a);
    !a.is_empty() && a == folded(b)
}

/// The text with control characters shown as `\u{..}`, for messages.
pub fn printable(s: &str) -> String {
    let short: String = s.chars().take(40).collect();
    let mut out = String::new();
    for c in short.chars() {
        if forbidden(c, Kind::Name) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

pub fn bounded(kind: Kind, label_zh: &str, label_en: &str, s: &str) -> Result<(), Text> {
    let n = s.chars().count();
    if n > kind.max() {
        return Err(text!(
            format!("{label_zh}过长:{n} 个字符,最多 {} 个", kind.max()),
            format!(
                "{label_en} is too long: {n} characters, at most {}",
                kind.max()
            )
        ));
    }
    if let Some(c) = s.chars().find(|&c| forbidden(c, kind)) {
        return Err(text!(
            format!("{label_zh}含有控制字符 U+{:04X},不能记录", c as u32),
            format!(
                "{label_en} holds the control character U+{:04X}; it cannot be recorded",
                c as u32
            )
        ));
    }
    Ok(())
}

/// Which column of the roster a text was found to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Id,
    Seat,
    Group,
    Unit,
}

impl Column {
    fn label(self) -> (&'static str, &'static str) {
        match self {
            Column::Name => ("姓名", "name"),
            Column::Id => ("编号", "id"),
            Column::Seat => ("座位号", "seat"),
            Column::Group => ("所在代表小组", "deputy group"),
            Column::Unit => ("工作单位", "unit"),
        }
    }
}

/// Finds the roster's names, ids, seats, groups and units in free text, all read [`folded`]:
/// any of them on a paper's record could point at the deputy who cast it.
#[derive(Debug, Clone)]
pub struct RosterMatcher {
    ac: Option<AhoCorasick>,
    /// Per pattern: the deputy's index and the column.
    patterns: Vec<(usize, Column)>,
}

impl RosterMatcher {
    /// Names of two characters or more, and ids and seats of three or more that hold a letter
    /// or a character (`1排2座`, `A-12`), match anywhere in the folded text; so do groups of two
    /// characters or more and units of four or more. Digits only (序号, a bare seat number) are
    /// not matched, nor shorter texts: every number, every serial would be.
    pub fn new(deputies: &[Deputy]) -> Self {
        let mut pats: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut taken = std::collections::HashSet::new();
        let mut add = |s: &str, min: usize, i: usize, col: Column| {
            let f = folded(s);
            if f.chars().count() >= min
                && !f.chars().all(|c| c.is_ascii_digit())
                && taken.insert(f.clone())
            {
                pats.push(f);
                patterns.push((i, col));
            }
        };
        for (i, d) in deputies.iter().enumerate() {
            add(&d.name, 2, i, Column::Name);
            add(&d.id, 3, i, Column::Id);
        }
        // Names and ids first: a text holding a name is told as a name.
        for (i, d) in deputies.iter().enumerate() {
            if let Some(seat) = &d.seat {
                add(seat, 3, i, Column::Seat);
            }
            add(&d.group, 2, i, Column::Group);
            if let Some(u) = &d.unit {
                add(u, 4, i, Column::Unit);
            }
        }
        let ac = if pats.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostFirst)
                .build(&pats)
                .ok()
        };
        RosterMatcher { ac, patterns }
    }

    /// The first deputy whose name, id, seat, group or unit the text holds, and which it is.
    pub fn find_column(&self, s: &str) -> Option<(usize, Column)> {
        let ac = self.ac.as_ref()?;
        let m = ac.find(&folded(s))?;
        Some(self.patterns[m.pattern().as_usize()])
    }

    /// The first deputy the text points at (by any column).
    pub fn find(&self, s: &str) -> Option<usize> {
        self.find_column(s).map(|(i, _)| i)
    }
}

/// One text of an action: what it is, its label, whether it is written on a paper (and so may
/// not name a deputy), the text.
struct Field<'a> {
    kind: Kind,
    zh: &'static str,
    en: &'static str,
    paper: bool,
    s: &'a str,
}

fn f<'a>(kind: Kind, zh: &'static str, en: &'static str, paper: bool, s: &'a str) -> Field<'a> {
    Field {
        kind,
        zh,
        en,
        paper,
        s,
    }
}

fn paper_fields<'a>(out: &mut Vec<Field<'a>>, serial: &'a str, void: Option<&'a str>) {
    out.push(f(Kind::Serial, "选票编号", "the serial", true, serial));
    if let Some(v) = void {
        out.push(f(Kind::Reason, "作废理由", "the void reason", true, v));
    }
}

/// Every free text an action carries.
fn fields(a: &Action) -> Vec<Field<'_>> {
    use Kind::*;
    let mut out = Vec::new();
    match a {
        Action::SkipItem { reason, .. } | Action::ReopenItem { reason, .. } => {
            out.push(f(Reason, "理由", "the reason", false, reason))
        }
        Action::AddNote { text, .. } => out.push(f(Lines, "备注", "the note", false, text)),
        Action::SetStaff {
            scrutineers,
            clerks,
            ..
        } => {
            for n in scrutineers {
                out.push(f(Name, "监票人姓名", "a scrutineer's name", false, n));
            }
            for n in clerks {
                out.push(f(Name, "计票人姓名", "a clerk's name", false, n));
            }
        }
        Action::RecordPaper {
            serial,
            marks,
            void_reason,
            ..
        } => {
            paper_fields(&mut out, serial, void_reason.as_deref());
            out.push(f(Reason, "标记", "the marks", false, marks));
        }
        Action::UndoPaper { serial, .. } => {
            out.push(f(Serial, "选票编号", "the serial", true, serial))
        }
        Action::CorrectPaper {
            serial,
            marks,
            void_reason,
            reason,
            ..
        } => {
            paper_fields(&mut out, serial, void_reason.as_deref());
            out.push(f(Reason, "标记", "the marks", false, marks));
            out.push(f(
                Reason,
                "更正理由",
                "the correction's reason",
                true,
                reason,
            ));
        }
        Action::StrikePaper { serial, reason, .. } => {
            out.push(f(Serial, "选票编号", "the serial", true, serial));
            out.push(f(
                Reason,
                "剔除理由",
                "the reason for striking",
                true,
                reason,
            ));
        }
        Action::RuleSheet { by, overrule, .. } => {
            out.push(f(Name, "判定人", "who ruled", false, by));
            if let Some(r) = overrule {
                out.push(f(Reason, "改判理由", "the reason for overruling", true, r));
            }
        }
        Action::SetAsideSheet { by, .. } => out.push(f(Name, "判定人", "who ruled", false, by)),
        Action::ImportBatch {
            batches,
            papers,
            rulings,
            ..
        } => {
            for b in batches {
                out.push(f(
                    Name,
                    "录入站名称",
                    "the station's name",
                    true,
                    &b.station,
                ));
            }
            for p in papers {
                paper_fields(&mut out, &p.serial, p.void_reason.as_deref());
                out.push(f(Reason, "标记", "the marks", false, &p.marks));
            }
            for r in rulings {
                if let Some(m) = &r.marks {
                    out.push(f(Reason, "裁定的标记", "the ruled marks", false, m));
                }
                out.push(f(Name, "裁定人", "who ruled", false, &r.by));
                out.push(f(
                    Reason,
                    "裁定理由",
                    "the ruling's reason",
                    true,
                    &r.reason,
                ));
            }
        }
        Action::SetProjectStatus { note, .. } => {
            out.push(f(Reason, "说明", "the note", false, note))
        }
        Action::AddProjectNote { text, .. } => {
            out.push(f(Lines, "进展情况", "the progress note", false, text))
        }
        Action::AssignGroup { name: Some(n), .. } => {
            out.push(f(Name, "监督小组名称", "the group's name", false, n))
        }
        Action::AddStation { station, .. } | Action::PairStation { station, .. } => {
            out.push(f(Name, "录入站名称", "the station's name", true, station))
        }
        Action::SendBatch { serials, .. } => {
            for s in serials {
                out.push(f(Serial, "选票编号", "the serial", true, s));
            }
        }
        Action::ReopenBallot { reason, .. } | Action::AmendSession { reason, .. } => {
            out.push(f(Reason, "理由", "the reason", false, reason))
        }
        Action::WithdrawQuestion { reason, .. }
        | Action::DeferQuestion { reason, .. }
        | Action::RestoreQuestion { reason, .. } => {
            out.push(f(Reason, "理由", "the reason", false, reason))
        }
        Action::AddQuestion { question, .. } => {
            out.push(f(Reason, "问题主题", "the topic", false, &question.topic));
            let r = &question.respondent;
            out.push(f(
                Name,
                "应询人姓名",
                "the respondent's name",
                false,
                &r.name,
            ));
            out.push(f(
                Name,
                "应询人职务",
                "the respondent's post",
                false,
                &r.post,
            ));
            out.push(f(
                Name,
                "应询人单位",
                "the respondent's unit",
                false,
                &r.unit,
            ));
        }
        Action::AnswerNote { text, .. } => {
            out.push(f(Lines, "答复要点", "the answer note", false, text))
        }
        Action::AddCommitment {
            text, unit, due, ..
        } => {
            out.push(f(Reason, "承诺内容", "the commitment", false, text));
            out.push(f(Name, "责任单位", "the responsible unit", false, unit));
            out.push(f(Name, "完成时限", "the due date", false, due));
        }
        Action::UpdateCommitment { note, .. } => {
            out.push(f(Reason, "说明", "the note", false, note))
        }
        _ => {}
    }
    out
}

/// Check every text of `action`: bounds, control characters, and no roster name or id in what
/// is written on a paper.
pub fn check(action: &Action, roster: &RosterMatcher, deputies: &[Deputy]) -> Result<(), Text> {
    if let Action::AddQuestion { question, .. } = action {
        id_rule("问题", "question", &question.id)?;
    }
    if let Action::AddStation { station, .. } | Action::PairStation { station, .. } = action {
        id_rule("录入站", "station", station)?;
    }
    for fl in fields(action) {
        bounded(fl.kind, fl.zh, fl.en, fl.s)?;
        if fl.paper
            && let Some((i, col)) = roster.find_column(fl.s)
        {
            let d = &deputies[i];
            let (czh, cen) = col.label();
            let (who_zh, who_en) = match col {
                Column::Group => (
                    format!("代表小组“{}”", d.group),
                    format!("group {}", d.group),
                ),
                _ => (
                    format!("代表“{}”({})的{czh}", d.name, d.id),
                    format!("the {cen} of deputy {} ({})", d.name, d.id),
                ),
            };
            return Err(text!(
                format!(
                    "{}“{}”含有{who_zh}:选票上的任何记录都不得能识别投票人,请改写",
                    fl.zh,
                    printable(fl.s),
                ),
                format!(
                    "{} \"{}\" holds {who_en}: nothing recorded with a paper may identify a voter; write it otherwise",
                    fl.en,
                    printable(fl.s),
                )
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deputy(id: &str, name: &str) -> Deputy {
        Deputy {
            id: id.into(),
            name: name.into(),
            group: "一组".into(),
            seat: None,
            unit: None,
        }
    }

    #[test]
    fn user_ids_are_one_safe_alphabet() {
        for ok in ["vote", "P01", "res_m1", "a-b", "X"] {
            assert!(is_user_id(ok), "{ok}");
        }
        for bad in [
            "",
            "vote#2",
            "res/m1",
            "a b",
            "项目",
            "a.b",
            &"x".repeat(65),
        ] {
            assert!(!is_user_id(bad), "{bad}");
        }
    }

    #[test]
    fn bounds_and_control_characters() {
        assert!(bounded(Kind::Serial, "s", "s", &"x".repeat(64)).is_ok());
        assert!(bounded(Kind::Serial, "s", "s", &"x".repeat(65)).is_err());
        assert!(bounded(Kind::Reason, "r", "r", &"字".repeat(500)).is_ok());
        assert!(bounded(Kind::Reason, "r", "r", &"字".repeat(501)).is_err());
        for bad in [
            "a\0b",
            "a\x1b[2Jb",
            "a\nb",
            "a\u{202E}b",
            "a\tb",
            "王\u{200B}炜",
            "王\u{2060}炜",
            "A\u{FEFF}-1",
            "A\u{00AD}1",
            "A\u{034F}1",
            "a\u{2028}b",
            "a\u{200E}b",
            "a\u{FFF9}b",
            "a\u{E0041}b",
            "a\u{E000}b",
        ] {
            assert!(bounded(Kind::Reason, "r", "r", bad).is_err(), "{bad:?}");
        }
        assert!(bounded(Kind::Lines, "n", "n", "第一行\n第二行").is_ok());
        assert!(bounded(Kind::Lines, "n", "n", "a\rb").is_err());
    }

    #[test]
    fn roster_names_and_ids_are_found_in_free_text() {
        let ds = vec![
            deputy("HX251", "王炜"),
            deputy("17", "李明"),
            deputy("HX3", "欧阳"),
        ];
        let m = RosterMatcher::new(&ds);
        assert_eq!(m.find("王炜的票"), Some(0));
        assert_eq!(m.find("A-hx251"), Some(0));
        assert_eq!(m.find("由HX251投"), Some(0));
        assert_eq!(m.find("李明"), Some(1));
        // spaces, dashes, full-width forms and case do not hide a name or an id
        for hidden in [
            "王 炜",
            "王-炜",
            "王·炜",
            "王　炜",
            "ＨＸ２５１",
            "Ｈx251",
            "HX 251",
            "HX-251",
            "xHX251",
        ] {
            assert_eq!(m.find(hidden), Some(0), "{hidden}");
        }
        // digits-only ids are never matched, nor serials that merely hold digits
        assert_eq!(m.find("main-0017"), None);
        assert_eq!(m.find("HX3"), Some(2));
        assert_eq!(m.find("污损无法辨认"), None);
        assert_eq!(m.find(""), None);
    }

    #[test]
    fn seats_groups_and_units_are_found_too() {
        let mut a = deputy("HX251", "王炜");
        a.seat = Some("1排2座".into());
        a.group = "东片代表小组".into();
        a.unit = Some("河西区第一中学".into());
        let mut b = deputy("HX252", "李明");
        b.seat = Some("12".into());
        b.group = "东片代表小组".into();
        let m = RosterMatcher::new(&[a, b]);
        assert_eq!(m.find_column("1排2座的票"), Some((0, Column::Seat)));
        assert_eq!(m.find_column("１排２座"), Some((0, Column::Seat)));
        assert_eq!(
            m.find_column("东片代表小组的选票"),
            Some((0, Column::Group))
        );
        assert_eq!(m.find_column("河西区第一中学 投"), Some((0, Column::Unit)));
        // a bare seat number is every number: never matched
        assert_eq!(m.find("第12栏"), None);
        // a name still tells as a name, before the group it is in
        assert_eq!(m.find_column("李明 东片代表小组"), Some((1, Column::Name)));
        let voided = Action::RecordPaper {
            ballot: "b".into(),
            serial: "main-0001".into(),
            marks: "YN".into(),
            void_reason: Some("1排2座的票".into()),
        };
        let err = check(&voided, &m, &[deputy("HX251", "王炜")]).unwrap_err();
        assert!(err.zh.contains("座位号"), "{}", err.zh);
    }
}
