//! The projects screen: the cursor over the carried 民生实事 projects, and what each key asks.
//! Every status change goes through a note prompt, so no single key changes the record.

use crate::domain::action::Action;
use crate::domain::projects::ProjectStatus;
use crate::domain::session::SessionDef;
use crate::domain::state::SessionState;
use crate::i18n::Lang;
use crate::tui::intent::Intent;
use crate::tui::keys::{Cmd, Screen};
use crate::tui::purpose::Purpose;
use crate::tui::screens::{Seen, navigate};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Projects {
    /// The project the cursor is on (its panel, and the keys, act on it).
    pub sel: usize,
}

impl Projects {
    pub fn on_cmd(&mut self, seen: &Seen, cmd: Cmd) -> Intent {
        let st = seen.st;
        if let Some(i) = navigate(cmd, Screen::Projects, &mut self.sel, st.projects.list.len()) {
            return i;
        }
        let status = match cmd {
            Cmd::ProjectNotStarted => Some(ProjectStatus::NotStarted),
            Cmd::ProjectInProgress => Some(ProjectStatus::InProgress),
            Cmd::ProjectDone => Some(ProjectStatus::Done),
            Cmd::ProjectBehind => Some(ProjectStatus::Behind),
            Cmd::ProjectNote | Cmd::ProjectGroup => None,
            _ => return Intent::Nothing,
        };
        let Some(p) = st.projects.list.get(self.sel) else {
            return Intent::Refuse(
                seen.t(
                    "本次会议尚未结转民生实事项目(huiwu projects carry)",
                    "no projects carried into this session yet (huiwu projects carry)",
                )
                .to_string(),
            );
        };
        let (id, name, now) = (p.project.id.clone(), &p.project.name, p.status);
        let lang = seen.lang;
        match status {
            Some(to) if to == now => Intent::Refuse(match lang {
                Lang::Zh => format!("“{name}”已是“{}”", to.zh()),
                Lang::En => format!("\"{name}\" is already {}", to.en()),
            }),
            Some(to) => Intent::prompt(
                match lang {
                    Lang::Zh => format!(
                        "“{name}”状态由“{}”改为“{}”:说明(可不填),Enter 记录,Esc 取消",
                        now.zh(),
                        to.zh()
                    ),
                    Lang::En => format!(
                        "\"{name}\": {} → {}. Note (optional), Enter records, Esc cancels",
                        now.en(),
                        to.en()
                    ),
                },
                Purpose::ProjectStatus {
                    project: id,
                    status: to,
                },
            ),
            None if cmd == Cmd::ProjectNote => Intent::prompt(
                match lang {
                    Lang::Zh => format!("“{name}”进展情况(记录时注明日期)"),
                    Lang::En => format!("\"{name}\": progress note (dated when recorded)"),
                },
                Purpose::ProjectNote { project: id },
            ),
            None => Intent::prompt(
                match lang {
                    Lang::Zh => format!(
                        "“{name}”监督小组:组长 成员…(代表编号或姓名,空格分隔;小组名称可写在前面并加冒号,如 第一监督小组:HX004 HX031)"
                    ),
                    Lang::En => format!(
                        "\"{name}\" supervision group: leader then members (ids or names, spaces; a name may lead with a colon, e.g. Group 1: HX004 HX031)"
                    ),
                },
                Purpose::ProjectGroup { project: id },
            ),
        }
    }

    /// The cursor kept within the list (after a carry or a restart).
    pub fn restore(&mut self, st: &SessionState, sel: usize) {
        self.sel = sel.min(st.projects.list.len().saturating_sub(1));
    }
}

/// The projects' prompts, submitted. `None` when the prompt is not theirs. A group naming
/// someone not on the roster is refused (the prompt stays open with what was typed).
pub fn submit(seen: &Seen, purpose: &Purpose, text: &str) -> Option<Intent> {
    Some(match purpose {
        Purpose::ProjectStatus { project, status } => Intent::Execute(Action::SetProjectStatus {
            project: project.clone(),
            status: *status,
            note: text.to_string(),
        }),
        Purpose::ProjectNote { project } => Intent::Execute(Action::AddProjectNote {
            project: project.clone(),
            text: text.to_string(),
        }),
        Purpose::ProjectGroup { project } => group(seen, project, text),
        _ => return None,
    })
}

/// `第一监督小组:HX004 HX031 王芳`: an optional name before a colon, then the leader and the
/// members by roster id or by a name only one deputy has.
fn group(seen: &Seen, project: &str, text: &str) -> Intent {
    let (name, rest) = match text.split_once([':', '\u{ff1a}']) {
        Some((n, r)) => (Some(n.trim().to_string()), r),
        None => (None, text),
    };
    let words = rest
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '\u{ff0c}' | '、'))
        .filter(|w| !w.is_empty());
    let mut ids = Vec::new();
    for w in words {
        match deputy_by_word(&seen.st.def, w, seen.lang) {
            Ok(id) => ids.push(id),
            Err(m) => return Intent::Refuse(m),
        }
    }
    let Some((leader, members)) = ids.split_first() else {
        return Intent::Refuse(
            seen.t("请至少写出组长", "name the leader at least")
                .to_string(),
        );
    };
    Intent::Execute(Action::AssignGroup {
        project: project.to_string(),
        name: name.filter(|n| !n.is_empty()),
        leader: leader.clone(),
        members: members.to_vec(),
    })
}

/// A deputy named at the console: by roster id, else by a name only one deputy has.
pub fn deputy_by_word(def: &SessionDef, w: &str, lang: Lang) -> Result<String, String> {
    if let Some(d) = def.deputy(w) {
        return Ok(d.id.clone());
    }
    let named: Vec<_> = def.deputies.iter().filter(|d| d.name == w).collect();
    let sep = lang.t("、", ", ");
    match named.as_slice() {
        [d] => Ok(d.id.clone()),
        [] => Err(match lang {
            Lang::Zh => format!("花名册中没有“{w}”"),
            Lang::En => format!("\"{w}\" is not on the roster"),
        }),
        many => {
            let ids = many
                .iter()
                .map(|d| d.id.as_str())
                .collect::<Vec<_>>()
                .join(sep);
            Err(match lang {
                Lang::Zh => format!("花名册中有 {} 名“{w}”,请写代表编号({ids})", many.len()),
                Lang::En => format!(
                    "{} deputies are called \"{w}\"; write the id ({ids})",
                    many.len()
                ),
            })
        }
    }
}
