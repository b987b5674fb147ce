//! The fixed words of the minutes and their number and date formatting: section headings,
//! Chinese numerals and English ordinals, dates and times, and the labels of bases,
//! thresholds, outcomes, grades, item states and rounds.

use chrono::{Datelike, NaiveDate, Timelike};

use crate::domain::ballot::Outcome;
use crate::domain::ballots::RoundKind;
use crate::domain::session::{Base, SessionDef, Threshold};
use crate::domain::state::ItemStatus;
use crate::domain::time::Ts;
use crate::i18n::Lang;

/// Section headings and other fixed words, in the minutes' language.
#[derive(Debug, Clone)]
pub struct Labels {
    pub attendance: String,
    pub proceedings: String,
    pub verification: String,
    pub notices: String,
    pub provisional_mark: String,
    pub notes: String,
    pub reasons: String,
    /// Said before the §4 sentences of a count not yet announced.
    pub draft: String,
    pub full_hash: String,
    pub signature: String,
    pub date: String,
}

impl Labels {
    pub(super) fn new(lang: Lang) -> Labels {
        let zh = lang == Lang::Zh;
        let s = |a: &str, b: &str| if zh { a.to_string() } else { b.to_string() };
        Labels {
            attendance: s("一、出席情况", "1. Attendance"),
            proceedings: s("二、会议进行情况", "2. Proceedings"),
            verification: s("三、记录核验", "3. Verification"),
            notices: s("结果公告", "Announcements of results"),
            provisional_mark: s("未宣布·临时结果", "PROVISIONAL — not announced"),
            notes: s("记录", "Notes"),
            reasons: s("说明", "Reasons"),
            draft: s(
                "拟宣布用语(尚未宣布):",
                "Draft announcement (not announced yet):",
            ),
            full_hash: s("完整哈希", "full hash"),
            signature: s("签名", "signature"),
            date: s("日期", "date"),
        }
    }

    pub(super) fn attendance_plain(&self) -> &str {
        strip_number(&self.attendance)
    }

    pub(super) fn proceedings_plain(&self) -> &str {
        strip_number(&self.proceedings)
    }
}

fn strip_number(s: &str) -> &str {
    s.split_once(['、', ' ']).map_or(s, |(_, t)| t)
}

pub use crate::domain::words::cn_num;

pub(super) fn ordinal_en(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Time formatting relative to the session's date: `14:30` on the day, with the date else.
pub(super) struct Clock {
    pub(super) day: Option<NaiveDate>,
    pub(super) lang: Lang,
}

impl Clock {
    pub(super) fn hm(&self, t: &Ts) -> String {
        let hm = format!("{:02}:{:02}", t.hour(), t.minute());
        if Some(t.date_naive()) == self.day {
            hm
        } else {
            format!("{} {hm}", self.date(t.date_naive()))
        }
    }

    fn date(&self, d: NaiveDate) -> String {
        date_text(d, self.lang)
    }
}

pub(super) fn date_text(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.format("%-d %B %Y").to_string(),
    }
}

pub(super) fn session_date(def: &SessionDef) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(def.session.date.trim(), "%Y-%m-%d").ok()
}

pub(super) fn base_label(b: Base, lang: Lang) -> &'static str {
    match b {
        Base::All => lang.t("全体代表", "all deputies"),
        Base::Present => lang.t("出席代表", "deputies present"),
        Base::Valid => lang.t("有效票", "valid papers"),
    }
}

pub(super) fn threshold_label(t: Threshold, lang: Lang) -> &'static str {
    match t {
        Threshold::Majority => lang.t("过半数", "more than half"),
        Threshold::TwoThirds => lang.t("三分之二以上", "two-thirds or more"),
    }
}

pub(super) fn outcome_label(o: Outcome, lang: Lang) -> &'static str {
    o.label(lang)
}

pub(super) fn grade_label(g: Option<&str>, lang: Lang) -> &'static str {
    match g {
        Some("satisfied") => lang.t("满意", "satisfied"),
        Some("basically_satisfied") => lang.t("基本满意", "basically satisfied"),
        Some(_) => lang.t("不满意", "unsatisfied"),
        None => "",
    }
}

pub(super) fn status_text(s: ItemStatus, lang: Lang) -> &'static str {
    s.label(lang)
}

pub(super) fn round_text(k: RoundKind, lang: Lang) -> &'static str {
    match k {
        RoundKind::Original => "",
        RoundKind::RunOff => lang.t("再次投票", "run-off"),
        RoundKind::FurtherRound => lang.t("另行投票", "further round"),
        RoundKind::Repeat => lang.t("重新投票", "repeat vote"),
    }
}

pub(super) fn minutes_of(secs: i64) -> i64 {
    (secs + 30) / 60
}
