//! One line of plain language per recorded action: the log screen and the minutes read these.

use crate::domain::action::Action;
use crate::domain::session::SessionDef;
use crate::i18n::Lang;

fn deputy_name<'a>(def: &'a SessionDef, id: &'a str) -> &'a str {
    def.deputy(id).map_or(id, |d| d.name.as_str())
}

fn item_title<'a>(def: &'a SessionDef, id: &'a str) -> &'a str {
    def.item(id).map_or(id, |i| i.title.as_str())
}

/// Human name of a ballot id: `item`, `item#2` (a later round), `item/motion`.
pub fn ballot_label(def: &SessionDef, id: &str, lang: Lang) -> String {
    if let Some((item, round)) = id.split_once('#') {
        let t = item_title(def, item);
        return match lang {
            Lang::Zh => format!("{t}(第{round}轮)"),
            Lang::En => format!("{t} (round {round})"),
        };
    }
    if let Some((item, motion)) = id.split_once('/') {
        let m = def
            .item(item)
            .and_then(|i| i.resolution.as_ref())
            .and_then(|r| r.motions.iter().find(|m| m.id == motion))
            .map_or(motion, |m| m.title.as_str());
        return m.to_string();
    }
    item_title(def, id).to_string()
}

pub fn describe(action: &Action, def: &SessionDef, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match action {
        Action::MarkAttendance { deputy, status } => {
            let name = deputy_name(def, deputy);
            if zh {
                format!("{name}({deputy})登记为{}", status.label(lang))
            } else {
                format!("{name} ({deputy}) marked {}", status.label(lang))
            }
        }
        Action::MarkUnmarked { status } => {
            if zh {
                format!("其余未登记代表全部登记为{}", status.label(lang))
            } else {
                format!("all remaining deputies marked {}", status.label(lang))
            }
        }
        Action::StartItem { item } => {
            let t = item_title(def, item);
            if zh {
                format!("开始议程:{t}")
            } else {
                format!("started: {t}")
            }
        }
        Action::FinishItem { item } => {
            let t = item_title(def, item);
            if zh {
                format!("结束议程:{t}")
            } else {
                format!("finished: {t}")
            }
        }
        Action::SkipItem { item, reason } => {
            let t = item_title(def, item);
            let r = reason.trim();
            match (zh, r.is_empty()) {
                (true, true) => format!("跳过议程:{t}"),
                (true, false) => format!("跳过议程:{t}(理由:{r})"),
                (false, true) => format!("skipped: {t}"),
                (false, false) => format!("skipped: {t} (reason: {r})"),
            }
        }
        Action::ReopenItem { item, reason } => {
            let t = item_title(def, item);
            if zh {
                format!("重新开启议程:{t}(理由:{})", reason.trim())
            } else {
                format!("re-opened: {t} (reason: {})", reason.trim())
            }
        }
        Action::AddNote { item, text } => {
            let t = item_title(def, item);
            if zh {
                format!("记录〔{t}〕:{}", text.trim())
            } else {
                format!("note [{t}]: {}", text.trim())
            }
        }
        other => describe_ballot(other, def, lang),
    }
}

fn describe_ballot(action: &Action, def: &SessionDef, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let label = |id: &str| ballot_label(def, id, lang);
    let void = |r: &Option<String>| match (r, zh) {
        (Some(r), true) => format!(",作废:{r}"),
        (Some(r), false) => format!(", void: {r}"),
        (None, _) => String::new(),
    };
    match action {
        Action::SetStaff {
            ballot,
            scrutineers,
            clerks,
        } => {
            let (s, c) = (scrutineers.join("、"), clerks.join("、"));
            if zh {
                format!("〔{}〕监票人:{s};计票人:{c}", label(ballot))
            } else {
                format!("[{}] scrutineers: {s}; clerks: {c}", label(ballot))
            }
        }
        Action::SetIssued { ballot, issued } => {
            if zh {
                format!("〔{}〕发出选票 {issued} 张", label(ballot))
            } else {
                format!("[{}] {issued} papers issued", label(ballot))
            }
        }
        Action::SetReturned { ballot, returned } => {
            if zh {
                format!("〔{}〕收回选票 {returned} 张", label(ballot))
            } else {
                format!("[{}] {returned} papers returned", label(ballot))
            }
        }
        Action::RecordPaper {
            ballot,
            serial,
            marks,
            void_reason,
        } => {
            let v = void(void_reason);
            if zh {
                format!("〔{}〕录入选票 {serial}:{marks}{v}", label(ballot))
            } else {
                format!("[{}] paper {serial}: {marks}{v}", label(ballot))
            }
        }
        Action::UndoPaper { ballot, serial } => {
            if zh {
                format!("〔{}〕撤销刚录入的选票 {serial}", label(ballot))
            } else {
                format!("[{}] undid paper {serial}", label(ballot))
            }
        }
        Action::CorrectPaper {
            ballot,
            serial,
            marks,
            void_reason,
            reason,
        } => {
            let v = void(void_reason);
            if zh {
                format!(
                    "〔{}〕更正选票 {serial} 为 {marks}{v}(理由:{reason})",
                    label(ballot)
                )
            } else {
                format!(
                    "[{}] corrected paper {serial} to {marks}{v} (reason: {reason})",
                    label(ballot)
                )
            }
        }
        Action::StrikePaper {
            ballot,
            serial,
            reason,
        } => {
            if zh {
                format!("〔{}〕剔除选票 {serial}(理由:{reason})", label(ballot))
            } else {
                format!(
                    "[{}] struck paper {serial} (reason: {reason})",
                    label(ballot)
                )
            }
        }
        Action::RecordVote {
            ballot,
            yes,
            no,
            abstain,
            not_pressed,
        } => {
            let np = match (*not_pressed, zh) {
                (0, _) => String::new(),
                (n, true) => format!(",未按{n}"),
                (n, false) => format!(", not pressed {n}"),
            };
            if zh {
                format!(
                    "〔{}〕表决:赞成{yes},反对{no},弃权{abstain}{np}",
                    label(ballot)
                )
            } else {
                format!(
                    "[{}] vote: yes {yes}, no {no}, abstain {abstain}{np}",
                    label(ballot)
                )
            }
        }
        Action::AnnounceBallot { ballot } => {
            if zh {
                format!("〔{}〕宣布结果,锁定", label(ballot))
            } else {
                format!("[{}] result announced and locked", label(ballot))
            }
        }
        Action::ReopenBallot { ballot, reason } => {
            if zh {
                format!("〔{}〕重新开启(理由:{reason})", label(ballot))
            } else {
                format!("[{}] re-opened (reason: {reason})", label(ballot))
            }
        }
        Action::CreateRound { ballot } => {
            if zh {
                format!("〔{}〕发起下一轮投票", label(ballot))
            } else {
                format!("[{}] further round created", label(ballot))
            }
        }
        _ => String::new(),
    }
}
