//! The projects screen's keys: a carried project's status (each change asks for a note, so no
//! single key changes the record), its dated progress notes and its supervision group.

use crate::domain::action::Action;
use crate::domain::projects::ProjectStatus;
use crate::i18n::Lang;
use crate::tui::app::{App, Modal, Purpose};
use crate::tui::input::TextInput;
use crate::tui::keys::Cmd;

impl App {
    fn open_project_prompt(&mut self, title: String, purpose: Purpose) {
        self.modal = Some(Modal::Input {
            title,
            input: TextInput::default(),
            purpose,
        });
    }

    pub fn project_dispatch(&mut self, cmd: Cmd) -> bool {
        let lang = self.lang;
        let status = match cmd {
            Cmd::ProjectNotStarted => Some(ProjectStatus::NotStarted),
            Cmd::ProjectInProgress => Some(ProjectStatus::InProgress),
            Cmd::ProjectDone => Some(ProjectStatus::Done),
            Cmd::ProjectBehind => Some(ProjectStatus::Behind),
            _ => None,
        };
        if !matches!(
            cmd,
            Cmd::ProjectNotStarted
                | Cmd::ProjectInProgress
                | Cmd::ProjectDone
                | Cmd::ProjectBehind
                | Cmd::ProjectNote
                | Cmd::ProjectGroup
        ) {
            return false;
        }
        let Some(p) = self.engine.state().projects.list.get(self.psel) else {
            self.flash_err(
                lang.t(
                    "本次会议尚未结转民生实事项目(huiwu projects carry)",
                    "no projects carried into this session yet (huiwu projects carry)",
                )
                .to_string(),
            );
            return true;
        };
        let id = p.project.id.clone();
        let name = p.project.name.clone();
        let now = p.status;
        match (cmd, status) {
            (_, Some(to)) if to == now => {
                self.flash_err(match lang {
                    Lang::Zh => format!("“{name}”已是“{}”", to.zh()),
                    Lang::En => format!("\"{name}\" is already {}", to.en()),
                });
            }
            (_, Some(to)) => self.open_project_prompt(
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
            (Cmd::ProjectNote, _) => self.open_project_prompt(
                match lang {
                    Lang::Zh => format!("“{name}”进展情况(记录时注明日期)"),
                    Lang::En => format!("\"{name}\": progress note (dated when recorded)"),
                },
                Purpose::ProjectNote { project: id },
            ),
            _ => self.open_project_prompt(
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
        true
    }

    /// A deputy named at the console: by roster id, else by a name only one deputy has.
    fn deputy_by_word(&self, w: &str) -> Result<String, String> {
        let def = &self.engine.state().def;
        if let Some(d) = def.deputy(w) {
            return Ok(d.id.clone());
        }
        let named: Vec<_> = def.deputies.iter().filter(|d| d.name == w).collect();
        match named.as_slice() {
            [d] => Ok(d.id.clone()),
            [] => Err(match self.lang {
                Lang::Zh => format!("花名册中没有“{w}”"),
                Lang::En => format!("\"{w}\" is not on the roster"),
            }),
            many => Err(match self.lang {
                Lang::Zh => format!(
                    "花名册中有 {} 名“{w}”,请写代表编号({})",
                    many.len(),
                    many.iter()
                        .map(|d| d.id.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                Lang::En => format!(
                    "{} deputies are called \"{w}\"; write the id ({})",
                    many.len(),
                    many.iter()
                        .map(|d| d.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }

    /// A projects prompt was submitted. Returns true when done (the prompt closes).
    pub fn submit_project(&mut self, purpose: &Purpose, text: &str) -> bool {
        match purpose {
            Purpose::ProjectStatus { project, status } => self.execute(Action::SetProjectStatus {
                project: project.clone(),
                status: *status,
                note: text.to_string(),
            }),
            Purpose::ProjectNote { project } => self.execute(Action::AddProjectNote {
                project: project.clone(),
                text: text.to_string(),
            }),
            Purpose::ProjectGroup { project } => {
                let (name, rest) = match text.split_once([':', '\u{ff1a}']) {
                    Some((n, r)) => (Some(n.trim().to_string()), r),
                    None => (None, text),
                };
                let words: Vec<&str> = rest
                    .split(|c: char| c.is_whitespace() || matches!(c, ',' | '\u{ff0c}' | '、'))
                    .filter(|w| !w.is_empty())
                    .collect();
                let mut ids = Vec::new();
                for w in words {
                    match self.deputy_by_word(w) {
                        Ok(id) => ids.push(id),
                        Err(m) => {
                            self.flash_err(m);
                            return false;
                        }
                    }
                }
                let Some((leader, members)) = ids.split_first() else {
                    self.flash_err(
                        self.t("请至少写出组长", "name the leader at least")
                            .to_string(),
                    );
                    return false;
                };
                self.execute(Action::AssignGroup {
                    project: project.clone(),
                    name: name.filter(|n| !n.is_empty()),
                    leader: leader.clone(),
                    members: members.to_vec(),
                })
            }
            _ => false,
        }
    }
}
