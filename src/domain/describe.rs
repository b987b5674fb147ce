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
            if zh { format!("开始议程:{t}") } else { format!("started: {t}") }
        }
        Action::FinishItem { item } => {
            let t = item_title(def, item);
            if zh { format!("结束议程:{t}") } else { format!("finished: {t}") }
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
    }
}
