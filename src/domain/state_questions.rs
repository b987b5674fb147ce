//! How the session state applies questioning actions (DESIGN.md §2.11).

use crate::domain::action::{Action, Ts};
use crate::domain::questions::{CStatus, Commitment, QStatus, QuestionState, Rating, check_due};
use crate::domain::session::QuestioningDef;
use crate::domain::state::{ItemStatus, Note, Refusal, SessionState};
use crate::text;

impl SessionState {
    /// Who asks a question, as the screens and the hall show it: the questioner, or the deputy
    /// asking in their place (`袁丽霞(代王子健)`).
    pub fn asker_label(&self, q: &QuestionState, lang: crate::i18n::Lang) -> String {
        let name = |id: &str| {
            self.def
                .deputy(id)
                .map_or(id.to_string(), |d| d.name.clone())
        };
        match &q.asked_by {
            Some(b) => match lang {
                crate::i18n::Lang::Zh => format!("{}(代{})", name(b), name(&q.def.deputy)),
                crate::i18n::Lang::En => format!("{} (for {})", name(b), name(&q.def.deputy)),
            },
            None => name(&q.def.deputy),
        }
    }

    /// The queue and definition of questioning item `item`.
    fn queue_of(&self, item: &str) -> Result<(usize, usize), Refusal> {
        let i = self.item(item)?;
        let q = self
            .queues
            .iter()
            .position(|q| q.item == i)
            .ok_or_else(|| {
                text!(
                    format!("议程“{}”不是询问议程", self.title(i)),
                    format!("item \"{}\" is not a questioning item", self.title(i))
                )
            })?;
        Ok((i, q))
    }

    /// Who asks: the questioner when they are here (or not yet marked); when they are on leave
    /// or absent, a deputy of the same group who is present must be named to ask instead (or
    /// the question deferred).
    fn substitute(
        &self,
        q: &crate::domain::session::QuestionDef,
        asker: Option<&str>,
    ) -> Result<Option<String>, Refusal> {
        use crate::domain::quorum::Presence;
        let Some(qi) = self.deputy_index(&q.deputy) else {
            return Ok(None);
        };
        let name = &self.def.deputies[qi].name;
        let away = matches!(self.presence[qi], Presence::Leave | Presence::Absent);
        let status = self.presence[qi];
        let Some(a) = asker.map(str::trim).filter(|a| !a.is_empty()) else {
            if away {
                return Err(text!(
                    format!(
                        "提问代表{name}{}:请指定同一代表小组在场的代表代为提问,或将该问题延后",
                        status.label(crate::i18n::Lang::Zh)
                    ),
                    format!(
                        "the questioner {name} is {}: name a deputy of the same group who is present to ask instead, or defer the question",
                        status.label(crate::i18n::Lang::En)
                    )
                ));
            }
            return Ok(None);
        };
        if !away {
            return Err(text!(
                format!("提问代表{name}在场,无需他人代为提问"),
                format!("the questioner {name} is here; nobody asks in their place")
            ));
        }
        let Some(ai) = self.deputy_index(a) else {
            return Err(text!(
                format!("花名册中没有编号为“{a}”的代表"),
                format!("no deputy with id \"{a}\" on the roster")
            ));
        };
        let group = q
            .group
            .clone()
            .unwrap_or_else(|| self.def.deputies[qi].group.clone());
        let d = &self.def.deputies[ai];
        if d.group != group {
            return Err(text!(
                format!("{}不属于{group},不能代为提问", d.name),
                format!("{} is not of {group}; they cannot ask in its place", d.name)
            ));
        }
        if self.presence[ai] != Presence::Present {
            return Err(text!(
                format!("{}未登记出席,不能代为提问", d.name),
                format!("{} is not marked present; they cannot ask", d.name)
            ));
        }
        Ok(Some(d.id.clone()))
    }

    fn qdef(&self, i: usize) -> &QuestioningDef {
        self.def.agenda[i]
            .questioning
            .as_ref()
            .expect("questioning items have a definition")
    }

    /// The active question anywhere in the session, as (queue, question).
    pub fn active_question(&self) -> Option<(usize, usize)> {
        self.queues
            .iter()
            .enumerate()
            .find_map(|(qi, q)| q.active().map(|k| (qi, k)))
    }

    pub(crate) fn apply_question(
        &mut self,
        seq: u64,
        action: &Action,
        at: Ts,
    ) -> Result<(), Refusal> {
        let present = self.attendance.present;
        match action {
            Action::CallQuestion {
                item,
                question,
                asker,
            } => {
                let (i, qi) = self.queue_of(item)?;
                if self.items[i].status != ItemStatus::Running {
                    return Err(text!(
                        format!("请先开始议程“{}”", self.title(i)),
                        format!("start the item \"{}\" first", self.title(i))
                    ));
                }
                if let Some((aq, ak)) = self.active_question() {
                    let t = &self.queues[aq].questions[ak].def.topic;
                    return Err(text!(
                        format!("请先结束正在进行的问题“{t}”"),
                        format!("finish the question in progress (\"{t}\") first")
                    ));
                }
                let k = self.queues[qi].index(question)?;
                let by = self.substitute(&self.queues[qi].questions[k].def, asker.as_deref())?;
                let def = self.qdef(i).clone();
                self.queues[qi].questions[k].call(&def, at)?;
                self.queues[qi].questions[k].asked_by = by;
            }
            Action::StartAnswer { item, question }
            | Action::StartFollowUp { item, question }
            | Action::FinishQuestion { item, question }
            | Action::PauseQuestion { item, question }
            | Action::ResumeQuestion { item, question } => {
                let (i, qi) = self.queue_of(item)?;
                let k = self.queues[qi].index(question)?;
                let def = self.qdef(i).clone();
                let q = &mut self.queues[qi].questions[k];
                match action {
                    Action::StartAnswer { .. } => q.answer(&def, at)?,
                    Action::StartFollowUp { .. } => q.follow_up(&def, at)?,
                    Action::FinishQuestion { .. } => q.finish(at)?,
                    Action::PauseQuestion { .. } => q.pause(at)?,
                    _ => q.resume(at)?,
                }
            }
            Action::WithdrawQuestion {
                item,
                question,
                reason,
            }
            | Action::DeferQuestion {
                item,
                question,
                reason,
            } => {
                let (_, qi) = self.queue_of(item)?;
                let k = self.queues[qi].index(question)?;
                let to = if matches!(action, Action::WithdrawQuestion { .. }) {
                    QStatus::Withdrawn
                } else {
                    QStatus::Deferred
                };
                self.queues[qi].questions[k].set_aside(to, reason)?;
            }
            Action::RestoreQuestion {
                item,
                question,
                reason,
            } => {
                let (_, qi) = self.queue_of(item)?;
                let k = self.queues[qi].index(question)?;
                self.queues[qi].questions[k].restore(reason)?;
            }
            Action::MoveQuestion { item, question, to } => {
                let (_, qi) = self.queue_of(item)?;
                let k = self.queues[qi].index(question)?;
                let n = self.queues[qi].questions.len();
                if *to >= n {
                    return Err(text!(
                        format!("位置 {} 超出队列(共 {n} 个问题)", to + 1),
                        format!(
                            "position {} is past the end of the queue ({n} questions)",
                            to + 1
                        )
                    ));
                }
                if k == *to {
                    return Err(text!("位置未变", "the question is already there"));
                }
                let q = self.queues[qi].questions.remove(k);
                self.queues[qi].questions.insert(*to, q);
            }
            Action::AddQuestion { item, question } => {
                let (i, qi) = self.queue_of(item)?;
                let mut d = question.clone();
                if d.id.trim().is_empty() || d.id.chars().any(char::is_whitespace) {
                    return Err(text!(
                        "问题编号不能为空或含空格",
                        "a question id must be non-empty, without spaces"
                    ));
                }
                if self.queues[qi].index(&d.id).is_ok() {
                    return Err(text!(
                        format!("问题编号“{}”已存在", d.id),
                        format!("question id \"{}\" is already used", d.id)
                    ));
                }
                let Some(dep) = self.def.deputy(&d.deputy) else {
                    return Err(text!(
                        format!("提问代表“{}”不在花名册中", d.deputy),
                        format!("asking deputy \"{}\" is not on the roster", d.deputy)
                    ));
                };
                if d.group.as_deref().is_none_or(|g| g.trim().is_empty()) {
                    d.group = Some(dep.group.clone());
                }
                let r = &d.respondent;
                if d.topic.trim().is_empty() || r.name.trim().is_empty() || r.post.trim().is_empty()
                {
                    return Err(text!(
                        "现场提问须有主题、应询人姓名和职务",
                        "an on-the-spot question needs a topic and the respondent's name and post"
                    ));
                }
                let def = self.qdef(i).clone();
                self.queues[qi]
                    .questions
                    .push(QuestionState::new(d, &def, true));
            }
            Action::AnswerNote {
                item,
                question,
                text,
            } => {
                let (_, qi) = self.queue_of(item)?;
                let k = self.queues[qi].index(question)?;
                let t = text.trim();
                if t.is_empty() {
                    return Err(text!("记录为空", "the note is empty"));
                }
                let q = &mut self.queues[qi].questions[k];
                if matches!(
                    q.status,
                    QStatus::Queued | QStatus::Withdrawn | QStatus::Deferred
                ) {
                    return Err(text!(
                        "问题尚未提问,不能记录答复",
                        "the question has not been called yet"
                    ));
                }
                q.notes.push(Note {
                    seq,
                    at,
                    text: t.to_string(),
                });
            }
            Action::RateAnswer {
                item,
                question,
                satisfied,
                basically_satisfied,
                unsatisfied,
                abstain,
            } => {
                let (i, qi) = self.queue_of(item)?;
                let k = self.queues[qi].index(question)?;
                let r = Rating {
                    satisfied: *satisfied,
                    basically_satisfied: *basically_satisfied,
                    unsatisfied: *unsatisfied,
                    abstain: *abstain,
                };
                let valid = u32::try_from(r.total()).unwrap_or(u32::MAX);
                let base = crate::domain::ballots::base_value(
                    self.qdef(i).rating_base,
                    self.attendance.total,
                    present,
                    valid,
                );
                self.queues[qi].questions[k].rate(r, present, base)?;
            }
            Action::AddCommitment {
                item,
                question,
                text,
                unit,
                due,
            } => {
                let (_, qi) = self.queue_of(item)?;
                let k = self.queues[qi].index(question)?;
                if text.trim().is_empty() || unit.trim().is_empty() {
                    return Err(text!(
                        "承诺事项和责任单位不能为空",
                        "a commitment needs what and the responsible unit"
                    ));
                }
                // stored in one form (2026-08-31), whatever was typed
                let due = check_due(due)?.format("%Y-%m-%d").to_string();
                let q = &self.queues[qi].questions[k];
                if matches!(
                    q.status,
                    QStatus::Queued | QStatus::Withdrawn | QStatus::Deferred
                ) {
                    return Err(text!(
                        "问题尚未提问,不能记录承诺",
                        "the question has not been called yet"
                    ));
                }
                let id = format!(
                    "C{:03}",
                    self.commitments
                        .iter()
                        .filter(|c| c.carried_from.is_none())
                        .count()
                        + 1
                );
                let respondent = format!("{} {}", q.def.respondent.post, q.def.respondent.name);
                let topic = q.def.topic.clone();
                self.commitments.push(Commitment {
                    id,
                    item: item.clone(),
                    question: question.clone(),
                    text: text.trim().to_string(),
                    unit: unit.trim().to_string(),
                    due,
                    status: CStatus::Open,
                    history: Vec::new(),
                    carried_from: None,
                    topic,
                    respondent,
                });
            }
            Action::UpdateCommitment {
                commitment,
                status,
                note,
            } => {
                let Some(c) = self.commitments.iter_mut().find(|c| c.id == *commitment) else {
                    return Err(text!(
                        format!("没有编号为“{commitment}”的承诺"),
                        format!("there is no commitment \"{commitment}\"")
                    ));
                };
                if c.status == *status && note.trim().is_empty() {
                    return Err(text!("状态未变", "the status is unchanged"));
                }
                c.status = *status;
                c.history
                    .push((crate::store::ts_text(&at), *status, note.trim().to_string()));
            }
            Action::CarryCommitments {
                item,
                source,
                commitments,
            } => {
                let i = self.item(item)?;
                if !self.def.agenda[i].report_back {
                    return Err(text!(
                        format!("议程“{}”不是跟踪问效(report_back)议程", self.title(i)),
                        format!(
                            "item \"{}\" is not a report-back item (report_back = true)",
                            self.title(i)
                        )
                    ));
                }
                if commitments.is_empty() {
                    return Err(text!("没有需要带入的承诺", "no commitments to carry"));
                }
                for c in commitments {
                    let id = format!("P-{}", c.id);
                    if self.commitments.iter().any(|x| x.id == id) {
                        return Err(text!(
                            format!("承诺 {} 已带入过", c.id),
                            format!("commitment {} was already carried in", c.id)
                        ));
                    }
                }
                for c in commitments {
                    let mut c = c.clone();
                    c.id = format!("P-{}", c.id);
                    c.carried_from = Some(source.clone());
                    c.item = item.clone();
                    self.commitments.push(c);
                }
            }
            _ => unreachable!("other actions are handled in apply"),
        }
        Ok(())
    }
}
