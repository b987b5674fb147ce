//! Double entry (双人录入) at the console: two clerks' batches of the same stack are compared
//! paper by paper; the scrutineer settles each disagreement (the marks as the paper reads, who
//! decided, why); only then is the stack counted, in one transaction with the rulings logged.

use crate::batch::{self, Batch, BatchPaper, Disagreement, Resolution};
use crate::i18n::Lang;
use crate::tui::app::{App, Flash, Modal, Purpose};
use crate::tui::input::TextInput;

#[derive(Debug, Clone)]
pub struct DoubleEntry {
    pub first: Batch,
    pub second: Batch,
    pub disagreements: Vec<Disagreement>,
    pub rulings: Vec<Resolution>,
}

fn show(p: &Option<BatchPaper>, lang: Lang) -> String {
    match p {
        None => lang.t("(无此票)", "(no paper)").to_string(),
        Some(p) => match &p.void_reason {
            Some(r) => format!("{} {}({}{r})", p.serial, p.marks, lang.t("作废:", "void: ")),
            None => format!("{} {}", p.serial, p.marks),
        },
    }
}

impl App {
    fn load_batch(&mut self, path: &str) -> Option<Batch> {
        let lang = self.lang;
        let bytes = match std::fs::read(path.trim()) {
            Ok(b) => b,
            Err(e) => {
                self.flash_err(format!("{path}: {e}"));
                return None;
            }
        };
        match batch::read(&self.engine, &bytes) {
            Ok(b) => Some(b),
            Err(t) => {
                self.flash_err(format!("{path}: {}", t.get(lang)));
                None
            }
        }
    }

    /// Ask for the ruling on the next unsettled disagreement, or offer to count the stack.
    fn next_ruling(&mut self) {
        let lang = self.lang;
        let Some(d) = &self.double else { return };
        match d.disagreements.get(d.rulings.len()) {
            Some(x) => {
                let title = match lang {
                    Lang::Zh => format!(
                        "第 {} 张不一致({}/{}):一录 {} · 二录 {}。输入正确标记(无此票写“无”)/ 裁定人 / 理由",
                        x.position,
                        d.rulings.len() + 1,
                        d.disagreements.len(),
                        show(&x.first, lang),
                        show(&x.second, lang)
                    ),
                    Lang::En => format!(
                        "Paper {} differs ({}/{}): first {} · second {}. Type the true marks (\"none\" for no paper) / who decided / why",
                        x.position,
                        d.rulings.len() + 1,
                        d.disagreements.len(),
                        show(&x.first, lang),
                        show(&x.second, lang)
                    ),
                };
                self.modal = Some(Modal::Input {
                    title,
                    input: TextInput::default(),
                    purpose: Purpose::DoubleRuling,
                });
            }
            None => self.count_double(),
        }
    }

    /// Every disagreement settled: count the stack, rulings logged with it.
    fn count_double(&mut self) {
        let lang = self.lang;
        let Some(d) = self.double.take() else { return };
        match batch::resolve(&d.first, &d.second, &d.rulings) {
            Ok((papers, disagreements)) => {
                let n = papers.len();
                let action = batch::double_entry_action(&d.first, &d.second, papers, &d.rulings);
                if self.execute(action) {
                    self.flash = Some(Flash {
                        text: match lang {
                            Lang::Zh => format!(
                                "✓ 双人录入结果已计入:{n} 张选票,{} 处不一致均已裁定",
                                disagreements.len()
                            ),
                            Lang::En => format!(
                                "✓ double entry counted: {n} papers, {} disagreements settled",
                                disagreements.len()
                            ),
                        },
                        ok: true,
                    });
                }
            }
            Err(t) => self.flash_err(t.get(lang).to_string()),
        }
    }

    pub fn submit_double(&mut self, purpose: &Purpose, text: &str) -> bool {
        let lang = self.lang;
        match purpose {
            Purpose::DoubleFirst => {
                if self.load_batch(text).is_none() {
                    return false;
                }
                self.modal = Some(Modal::Input {
                    title: lang
                        .t(
                            "双人录入比对:第二位计票人的批次文件路径",
                            "Double entry: the second clerk's batch file",
                        )
                        .to_string(),
                    input: TextInput::default(),
                    purpose: Purpose::DoubleSecond {
                        first: text.trim().to_string(),
                    },
                });
                false
            }
            Purpose::DoubleSecond { first } => {
                let (Some(a), Some(b)) = (self.load_batch(first), self.load_batch(text)) else {
                    return false;
                };
                match batch::compare(&a, &b) {
                    Ok(disagreements) => {
                        self.flash = Some(Flash {
                            text: match lang {
                                Lang::Zh => format!(
                                    "比对 {} 张:{} 处不一致",
                                    a.papers.len().max(b.papers.len()),
                                    disagreements.len()
                                ),
                                Lang::En => format!(
                                    "{} papers compared: {} disagreements",
                                    a.papers.len().max(b.papers.len()),
                                    disagreements.len()
                                ),
                            },
                            ok: disagreements.is_empty(),
                        });
                        self.double = Some(DoubleEntry {
                            first: a,
                            second: b,
                            disagreements,
                            rulings: Vec::new(),
                        });
                        self.next_ruling();
                        false
                    }
                    Err(t) => {
                        self.flash_err(t.get(lang).to_string());
                        false
                    }
                }
            }
            Purpose::DoubleRuling => {
                let parts: Vec<&str> = text.split(['/', '\u{ff0f}']).map(str::trim).collect();
                let [marks, by, reason] = parts.as_slice() else {
                    self.flash_err(
                        lang.t("格式:标记 / 裁定人 / 理由", "format: marks / who / why")
                            .to_string(),
                    );
                    return false;
                };
                if by.is_empty() || reason.is_empty() {
                    self.flash_err(
                        lang.t("须写明裁定人和理由", "who decided and why are required")
                            .to_string(),
                    );
                    return false;
                }
                let Some(d) = self.double.as_mut() else {
                    return true;
                };
                let position = d.disagreements[d.rulings.len()].position;
                let paper = if matches!(*marks, "无" | "none" | "-") {
                    None
                } else {
                    let n = self.current_ballot().map_or(0, |b| b.candidates.len());
                    match crate::domain::ballots::parse_approval_marks(marks, n) {
                        Ok(m) => Some(BatchPaper {
                            serial: String::new(),
                            marks: crate::domain::ballots::approval_letters(&m),
                            void_reason: None,
                        }),
                        Err(t) => {
                            self.flash_err(t.get(lang).to_string());
                            return false;
                        }
                    }
                };
                let d = self.double.as_mut().expect("checked above");
                d.rulings.push(Resolution {
                    position,
                    paper,
                    by: by.to_string(),
                    reason: reason.to_string(),
                });
                self.next_ruling();
                false
            }
            _ => true,
        }
    }
}
