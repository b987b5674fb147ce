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
        a if a.is_count() => describe_ballot(a, def, lang),
        other => describe_question(other, def, lang),
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
        Action::ImportBatch {
            ballot,
            batches,
            papers,
            rulings,
        } => {
            let n = papers.len();
            let r = rulings.len();
            let names = batches
                .iter()
                .map(|b| b.label())
                .collect::<Vec<_>>()
                .join(" + ");
            match (zh, r, batches.len()) {
                (true, _, 2) => format!(
                    "〔{}〕导入双人录入结果(批次 {names}),选票 {n} 张,其中 {r} 张经监票人裁定",
                    label(ballot)
                ),
                (true, _, _) => format!("〔{}〕导入录入站批次 {names},选票 {n} 张", label(ballot)),
                (false, _, 2) => format!(
                    "[{}] double entry imported (batches {names}): {n} papers, {r} settled by the scrutineers",
                    label(ballot)
                ),
                (false, _, _) => {
                    format!("[{}] batch {names} imported: {n} papers", label(ballot))
                }
            }
        }
        Action::SendBatch {
            ballot,
            number,
            serials,
        } => {
            let n = serials.len();
            if zh {
                format!(
                    "〔{}〕写出第 {number} 批,选票 {n} 张,送交主控台",
                    label(ballot)
                )
            } else {
                format!(
                    "[{}] batch {number} written for the main console: {n} papers",
                    label(ballot)
                )
            }
        }
        Action::AddStation { station, key_id } => {
            if zh {
                format!("录入站 {station} 与主控台配对(密钥编号 {key_id})")
            } else {
                format!("counting station {station} paired (key id {key_id})")
            }
        }
        Action::PairStation { station, key_id } => {
            if zh {
                format!("本机配对为录入站 {station}(密钥编号 {key_id})")
            } else {
                format!("this database paired as counting station {station} (key id {key_id})")
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

/// "〔询问主题〕" for a question id, from the session file (or the id for one added on the spot).
fn question_label(def: &SessionDef, item: &str, question: &str) -> String {
    def.item(item)
        .and_then(|i| i.questioning.as_ref())
        .and_then(|q| q.questions.iter().find(|x| x.id == question))
        .map_or_else(|| question.to_string(), |q| short(&q.topic, 14))
}

/// At most `n` characters, with an ellipsis when cut: log lines stay one line.
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

fn describe_question(action: &Action, def: &SessionDef, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let q = |item: &str, question: &str| question_label(def, item, question);
    let pick = |z: String, e: String| if zh { z } else { e };
    match action {
        Action::CallQuestion { item, question } => {
            let who = def
                .item(item)
                .and_then(|i| i.questioning.as_ref())
                .and_then(|d| d.questions.iter().find(|x| x.id == *question))
                .map(|x| deputy_name(def, &x.deputy).to_string())
                .unwrap_or_default();
            pick(
                format!("〔{}〕{who}代表提问", q(item, question)),
                format!("[{}] {who} asks", q(item, question)),
            )
        }
        Action::StartAnswer { item, question } => pick(
            format!("〔{}〕开始答复", q(item, question)),
            format!("[{}] answer begins", q(item, question)),
        ),
        Action::StartFollowUp { item, question } => pick(
            format!("〔{}〕追问", q(item, question)),
            format!("[{}] follow-up", q(item, question)),
        ),
        Action::FinishQuestion { item, question } => pick(
            format!("〔{}〕答复结束", q(item, question)),
            format!("[{}] done", q(item, question)),
        ),
        Action::PauseQuestion { item, question } => pick(
            format!("〔{}〕暂停计时", q(item, question)),
            format!("[{}] timer paused", q(item, question)),
        ),
        Action::ResumeQuestion { item, question } => pick(
            format!("〔{}〕继续计时", q(item, question)),
            format!("[{}] timer resumed", q(item, question)),
        ),
        Action::WithdrawQuestion {
            item,
            question,
            reason,
        } => pick(
            format!("〔{}〕撤回(理由:{reason})", q(item, question)),
            format!("[{}] withdrawn (reason: {reason})", q(item, question)),
        ),
        Action::DeferQuestion {
            item,
            question,
            reason,
        } => pick(
            format!("〔{}〕延后(理由:{reason})", q(item, question)),
            format!("[{}] deferred (reason: {reason})", q(item, question)),
        ),
        Action::RestoreQuestion {
            item,
            question,
            reason,
        } => pick(
            format!("〔{}〕恢复提问(理由:{reason})", q(item, question)),
            format!("[{}] restored (reason: {reason})", q(item, question)),
        ),
        Action::MoveQuestion { item, question, to } => pick(
            format!("〔{}〕调整至第{}位", q(item, question), to + 1),
            format!("[{}] moved to position {}", q(item, question), to + 1),
        ),
        Action::AddQuestion { question, .. } => {
            let who = deputy_name(def, &question.deputy);
            pick(
                format!(
                    "现场提问:{who}代表问{}{}「{}」",
                    question.respondent.post, question.respondent.name, question.topic
                ),
                format!(
                    "on-the-spot question by {who} to {} {}: {}",
                    question.respondent.post, question.respondent.name, question.topic
                ),
            )
        }
        Action::AnswerNote {
            item,
            question,
            text,
        } => pick(
            format!("〔{}〕答复记录:{}", q(item, question), text.trim()),
            format!("[{}] note: {}", q(item, question), text.trim()),
        ),
        Action::RateAnswer {
            item,
            question,
            satisfied,
            basically_satisfied,
            unsatisfied,
            abstain,
        } => pick(
            format!(
                "〔{}〕现场测评:满意{satisfied},基本满意{basically_satisfied},不满意{unsatisfied},弃权{abstain}",
                q(item, question)
            ),
            format!(
                "[{}] rated: satisfied {satisfied}, basically {basically_satisfied}, unsatisfied {unsatisfied}, abstain {abstain}",
                q(item, question)
            ),
        ),
        Action::AddCommitment {
            item,
            question,
            text,
            unit,
            due,
        } => pick(
            format!(
                "〔{}〕承诺:{text}(责任单位:{unit},时限:{due})",
                q(item, question)
            ),
            format!(
                "[{}] commitment: {text} (unit: {unit}, due {due})",
                q(item, question)
            ),
        ),
        Action::UpdateCommitment {
            commitment,
            status,
            note,
        } => {
            let n = note.trim();
            pick(
                format!(
                    "承诺 {commitment} 状态改为{}{}",
                    status.label(lang),
                    if n.is_empty() {
                        String::new()
                    } else {
                        format!(":{n}")
                    }
                ),
                format!(
                    "commitment {commitment} now {}{}",
                    status.label(lang),
                    if n.is_empty() {
                        String::new()
                    } else {
                        format!(": {n}")
                    }
                ),
            )
        }
        Action::CarryCommitments {
            item,
            source,
            commitments,
        } => pick(
            format!(
                "从“{source}”带入 {} 项承诺至〔{}〕",
                commitments.len(),
                item_title(def, item)
            ),
            format!(
                "{} commitments carried from \"{source}\" into [{}]",
                commitments.len(),
                item_title(def, item)
            ),
        ),
        _ => String::new(),
    }
}
