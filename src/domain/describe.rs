//! One line of plain language per recorded action: the log screen and the minutes read these.

use crate::domain::action::{Action, Recorded, Ts};
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
        a @ (Action::CarryProjects { .. }
        | Action::SetProjectStatus { .. }
        | Action::AddProjectNote { .. }
        | Action::AssignGroup { .. }) => describe_project(a, def, lang),
        a if a.is_count() => describe_ballot(a, def, lang),
        other => describe_question(other, def, lang),
    }
}

/// A carried project as the log names it: `P01 老旧小区综合改造提升` (the name from the
/// evaluation that rates it, when there is one).
fn project_label(def: &SessionDef, id: &str) -> String {
    def.agenda
        .iter()
        .filter(|a| a.projects)
        .filter_map(|a| a.satisfaction.as_ref())
        .flat_map(|s| &s.items)
        .find(|x| x.id == id)
        .map_or_else(|| id.to_string(), |x| format!("{id} {}", x.name))
}

fn describe_project(action: &Action, def: &SessionDef, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match action {
        Action::CarryProjects {
            from,
            from_head_seq,
            selection,
            projects,
            ..
        } => {
            if zh {
                format!(
                    "从“{}”({})结转{}年度民生实事项目 {} 项(来源:{}“{}”;来源记录至第 {from_head_seq} 条)",
                    from.title,
                    from.date,
                    selection.year,
                    projects.len(),
                    selection.session.title,
                    selection.item_title
                )
            } else {
                format!(
                    "{} livelihood projects for {} carried from \"{}\" ({}); selected at \"{}\", \"{}\"; source record up to entry {from_head_seq}",
                    projects.len(),
                    selection.year,
                    from.title,
                    from.date,
                    selection.session.title,
                    selection.item_title
                )
            }
        }
        Action::SetProjectStatus {
            project,
            status,
            note,
        } => {
            let n = note.trim();
            let p = project_label(def, project);
            match (zh, n.is_empty()) {
                (true, true) => format!("项目〔{p}〕状态改为{}", status.zh()),
                (true, false) => format!("项目〔{p}〕状态改为{}:{n}", status.zh()),
                (false, true) => format!("project [{p}] now {}", status.en()),
                (false, false) => format!("project [{p}] now {}: {n}", status.en()),
            }
        }
        Action::AddProjectNote { project, text } => {
            let p = project_label(def, project);
            if zh {
                format!("项目〔{p}〕进展情况:{}", text.trim())
            } else {
                format!("project [{p}] progress: {}", text.trim())
            }
        }
        Action::AssignGroup {
            project,
            name,
            leader,
            members,
        } => {
            let p = project_label(def, project);
            let who = |id: &str| deputy_name(def, id).to_string();
            let ms: Vec<String> = members.iter().map(|m| who(m)).collect();
            let name = name.as_deref().unwrap_or("");
            if zh {
                format!(
                    "项目〔{p}〕监督小组:{}组长 {}{}",
                    if name.is_empty() {
                        String::new()
                    } else {
                        format!("{name},")
                    },
                    who(leader),
                    if ms.is_empty() {
                        String::new()
                    } else {
                        format!(",成员 {}", ms.join("、"))
                    }
                )
            } else {
                format!(
                    "project [{p}] supervision group: {}leader {}{}",
                    if name.is_empty() {
                        String::new()
                    } else {
                        format!("{name}, ")
                    },
                    who(leader),
                    if ms.is_empty() {
                        String::new()
                    } else {
                        format!("; members {}", ms.join(", "))
                    }
                )
            }
        }
        _ => String::new(),
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
        Action::ScanSheets { ballot, sheets } => {
            let n = sheets.len();
            let w = sheets.iter().filter(|s| s.read.contains('?')).count();
            if zh {
                format!("〔{}〕扫描读入 {n} 张,其中 {w} 张待人工判定", label(ballot))
            } else {
                format!(
                    "[{}] {n} sheets scanned, {w} waiting for a ruling",
                    label(ballot)
                )
            }
        }
        Action::RuleSheet {
            ballot,
            serial,
            marks,
            by,
            overrule,
        } => match (zh, overrule) {
            (true, None) => format!("〔{}〕扫描件 {serial} 经 {by} 判定:{marks}", label(ballot)),
            (true, Some(r)) => format!(
                "〔{}〕扫描件 {serial} 经监票人 {by} 改判:{marks}(理由:{r})",
                label(ballot)
            ),
            (false, None) => format!("[{}] sheet {serial} ruled by {by}: {marks}", label(ballot)),
            (false, Some(r)) => format!(
                "[{}] sheet {serial} overruled by scrutineer {by}: {marks} (reason: {r})",
                label(ballot)
            ),
        },
        Action::SetAsideSheet { ballot, serial, by } => {
            if zh {
                format!(
                    "〔{}〕扫描件 {serial} 经 {by} 判定为已读入选票的重复送入,不计票",
                    label(ballot)
                )
            } else {
                format!(
                    "[{}] sheet {serial} ruled a second feed of a paper already read by {by}; not counted",
                    label(ballot)
                )
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
        Action::AmendSession { definition, reason } => {
            let n = definition.deputies.len();
            if zh {
                format!("修订会议文件(理由:{reason});现行花名册 {n} 名代表")
            } else {
                format!("session file amended (reason: {reason}); the roster now has {n} deputies")
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
        Action::CallQuestion {
            item,
            question,
            asker,
        } => {
            let who = def
                .item(item)
                .and_then(|i| i.questioning.as_ref())
                .and_then(|d| d.questions.iter().find(|x| x.id == *question))
                .map(|x| deputy_name(def, &x.deputy).to_string())
                .unwrap_or_default();
            match asker {
                Some(a) => {
                    let by = deputy_name(def, a);
                    pick(
                        format!(
                            "〔{}〕{who}代表未到会,由{by}代表代为提问",
                            q(item, question)
                        ),
                        format!(
                            "[{}] {who} is away; {by} asks in their place",
                            q(item, question)
                        ),
                    )
                }
                None => pick(
                    format!("〔{}〕{who}代表提问", q(item, question)),
                    format!("[{}] {who} asks", q(item, question)),
                ),
            }
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

/// The ballot a paper-level action is about (keying, undoing, correcting, striking, importing
/// or sending papers), if it is one.
pub fn paper_ballot(a: &Action) -> Option<&str> {
    match a {
        Action::RecordPaper { ballot, .. }
        | Action::UndoPaper { ballot, .. }
        | Action::CorrectPaper { ballot, .. }
        | Action::StrikePaper { ballot, .. }
        | Action::ImportBatch { ballot, .. }
        | Action::ScanSheets { ballot, .. }
        | Action::RuleSheet { ballot, .. }
        | Action::SetAsideSheet { ballot, .. }
        | Action::SendBatch { ballot, .. } => Some(ballot),
        _ => None,
    }
}

/// A ballot's papers keyed in one stretch (up to its announcement), folded into one line.
#[derive(Debug, Clone)]
pub struct PaperRun<'a> {
    pub ballot: &'a str,
    pub entries: Vec<&'a Recorded>,
    pub from: Ts,
    pub to: Ts,
}

impl PaperRun<'_> {
    /// Papers recorded (keyed one by one, or in imported batches).
    pub fn papers(&self) -> usize {
        self.entries
            .iter()
            .map(|e| match &e.action {
                Action::RecordPaper { .. } => 1,
                Action::ImportBatch { papers, .. } => papers.len(),
                Action::ScanSheets { sheets, .. } => sheets.iter().filter(|s| !s.held()).count(),
                Action::RuleSheet { .. } => 1,
                _ => 0,
            })
            .sum()
    }

    fn count(&self, f: impl Fn(&Action) -> bool) -> usize {
        self.entries.iter().filter(|e| f(&e.action)).count()
    }

    /// `〔票决〕计票 15:02–15:40:录入选票 298 张(撤销 2 张)`.
    pub fn describe(&self, def: &SessionDef, lang: Lang) -> String {
        let period = format!("{}–{}", self.from.format("%H:%M"), self.to.format("%H:%M"));
        self.describe_with(def, lang, &period)
    }

    /// The same without the period (shown beside it).
    pub fn describe_short(&self, def: &SessionDef, lang: Lang) -> String {
        self.describe_with(def, lang, "")
    }

    fn describe_with(&self, def: &SessionDef, lang: Lang, period: &str) -> String {
        let label = ballot_label(def, self.ballot, lang);
        let n = self.papers();
        let undone = self.count(|a| matches!(a, Action::UndoPaper { .. }));
        let corrected = self.count(|a| matches!(a, Action::CorrectPaper { .. }));
        let struck = self.count(|a| matches!(a, Action::StrikePaper { .. }));
        let batches = self.count(|a| matches!(a, Action::ImportBatch { .. }));
        let sent = self.count(|a| matches!(a, Action::SendBatch { .. }));
        let mut extra = Vec::new();
        let zh = lang == Lang::Zh;
        for (k, z, e) in [
            (undone, "撤销", "undone"),
            (corrected, "更正", "corrected"),
            (struck, "剔除", "struck"),
        ] {
            if k > 0 {
                extra.push(if zh {
                    format!("{z} {k} 张")
                } else {
                    format!("{k} {e}")
                });
            }
        }
        if batches > 0 {
            extra.push(if zh {
                format!("导入批次 {batches} 个")
            } else {
                format!("{batches} batches imported")
            });
        }
        if sent > 0 {
            extra.push(if zh {
                format!("写出批次 {sent} 个")
            } else {
                format!("{sent} batches written")
            });
        }
        let extra = if extra.is_empty() {
            String::new()
        } else if zh {
            format!("({})", extra.join("、"))
        } else {
            format!(" ({})", extra.join(", "))
        };
        let sp = if period.is_empty() { "" } else { " " };
        if zh {
            format!("〔{label}〕计票{sp}{period}:录入选票 {n} 张{extra}")
        } else {
            format!("[{label}] counting{sp}{period}: {n} papers keyed{extra}")
        }
    }
}

/// A line of the log as people see it (the log screen, the JSON export).
#[derive(Debug, Clone)]
pub enum LogLine<'a> {
    One(&'a Recorded),
    Papers(PaperRun<'a>),
    /// Something recorded while a ballot's papers were being keyed: shown after the fold with
    /// the counting period (from, to) instead of its own entry number and time, so nothing tells
    /// which papers came before it.
    During(&'a Recorded, Ts, Ts),
}

/// The log with each ballot's paper entries folded into one line per counting stretch, placed
/// where the stretch began (DESIGN.md §2.9): no attendance entry ever stands among a ballot's
/// papers, and no paper shows a time or an entry number of its own. Anything else that
/// happened meanwhile follows the fold, in order.
pub fn public_log(log: &[Recorded]) -> Vec<LogLine<'_>> {
    let mut out: Vec<LogLine> = Vec::new();
    let mut open: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for e in log {
        if let Some(b) = paper_ballot(&e.action) {
            match open.get(b) {
                Some(&i) => {
                    if let LogLine::Papers(run) = &mut out[i] {
                        run.entries.push(e);
                        run.to = e.at;
                    }
                }
                None => {
                    open.insert(b, out.len());
                    out.push(LogLine::Papers(PaperRun {
                        ballot: b,
                        entries: vec![e],
                        from: e.at,
                        to: e.at,
                    }));
                }
            }
            continue;
        }
        // An announcement, a re-open or a new round ends the stretch of that ballot.
        match &e.action {
            Action::AnnounceBallot { ballot }
            | Action::ReopenBallot { ballot, .. }
            | Action::CreateRound { ballot } => {
                open.remove(ballot.as_str());
            }
            _ => {}
        }
        out.push(LogLine::One(e));
    }
    // Entries that fall inside a stretch of papers lose their place among them.
    let spans: Vec<(u64, u64, Ts, Ts)> = out
        .iter()
        .filter_map(|l| match l {
            LogLine::Papers(r) => Some((
                r.entries.first().map_or(0, |e| e.seq),
                r.entries.last().map_or(0, |e| e.seq),
                r.from,
                r.to,
            )),
            _ => None,
        })
        .collect();
    for line in &mut out {
        if let LogLine::One(e) = line
            && let Some(&(_, _, from, to)) =
                spans.iter().find(|(a, z, ..)| *a < e.seq && e.seq < *z)
        {
            *line = LogLine::During(e, from, to);
        }
    }
    out
}

/// When `ballot`'s papers were keyed: the first and the last paper entry's time.
pub fn counting_period(log: &[Recorded], ballot: &str) -> Option<(Ts, Ts)> {
    let mut it = log
        .iter()
        .filter(|e| paper_ballot(&e.action) == Some(ballot))
        .map(|e| e.at);
    let first = it.next()?;
    Some((first, it.next_back().unwrap_or(first)))
}

#[cfg(test)]
mod public_log_tests {
    use super::*;
    use crate::domain::quorum::Presence;

    fn ev(seq: u64, min: u32, action: Action) -> Recorded {
        Recorded {
            seq,
            at: chrono::DateTime::parse_from_rfc3339(&format!("2026-12-18T15:{min:02}:00+08:00"))
                .unwrap(),
            station: "main".into(),
            action,
            hash: String::new(),
        }
    }

    fn paper(serial: &str) -> Action {
        Action::RecordPaper {
            ballot: "vote".into(),
            serial: serial.into(),
            marks: "YN".into(),
            void_reason: None,
        }
    }

    #[test]
    fn attendance_never_stands_among_papers() {
        let log = vec![
            ev(1, 0, paper("m-1")),
            ev(2, 1, paper("m-2")),
            ev(
                3,
                2,
                Action::MarkAttendance {
                    deputy: "HX251".into(),
                    status: Presence::Leave,
                },
            ),
            ev(4, 3, paper("m-3")),
            ev(
                5,
                4,
                Action::AnnounceBallot {
                    ballot: "vote".into(),
                },
            ),
        ];
        let lines = public_log(&log);
        assert_eq!(lines.len(), 3);
        let LogLine::Papers(run) = &lines[0] else {
            panic!("papers first")
        };
        assert_eq!(run.papers(), 3);
        assert_eq!(
            (
                run.from.format("%M").to_string(),
                run.to.format("%M").to_string()
            ),
            ("00".into(), "03".into())
        );
        assert!(matches!(&lines[1], LogLine::During(e, ..) if e.seq == 3));
        assert!(matches!(&lines[2], LogLine::One(e) if e.seq == 5));
        assert_eq!(
            counting_period(&log, "vote").map(|(a, _)| a),
            Some(log[0].at)
        );
    }
}
