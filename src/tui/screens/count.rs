//! The count screen's procedure keys — figures, staff, corrections, the announcement, further
//! rounds, re-opening — decided from the ballot on the desk alone, as intents. Keying a paper
//! (the marks, Enter) is `screens::paper`; the scan desk and double entry stay in `tui`.

use crate::domain::action::Action;
use crate::domain::announce::announcement;
use crate::domain::ballots::{BallotState, CountKind, Counter, RoundKind};
use crate::domain::state::SessionState;
use crate::i18n::Lang;
use crate::tui::confirm::Then;
use crate::tui::intent::{Field, Intent};
use crate::tui::keys::{Cmd, key_of};
use crate::tui::purpose::Purpose;
use crate::tui::screens::Seen;

/// What a procedure key asks for the ballot `b` on the desk; `None` for the keys that are not
/// procedure (marks, Enter, the scan desk, views, screens).
pub fn procedure(seen: &Seen, b: &BallotState, cmd: Cmd) -> Option<Intent> {
    let (st, lang) = (seen.st, seen.lang);
    let id = b.id.clone();
    let t = |zh: &str, en: &str| seen.t(zh, en).to_string();
    // A locked count takes no change of any part: refused here, before a question is asked
    // or a paper is opened for correction (an answered question that is then refused, or a
    // correction no key can clear, said one thing and did another).
    let changes = matches!(
        cmd,
        Cmd::Undo
            | Cmd::Correct
            | Cmd::Strike
            | Cmd::Issued
            | Cmd::Returned
            | Cmd::Staff
            | Cmd::Totals
    );
    if changes && b.locked() {
        let reopen = key_of(Cmd::ReopenBallot, lang);
        return Some(Intent::Refuse(match lang {
            Lang::Zh => format!("结果已宣布,计票已锁定;如须更正,先按 {reopen} 重新开启(须填理由)"),
            Lang::En => format!(
                "the result is announced and the count locked; to correct it, re-open with {reopen} (reason required)"
            ),
        }));
    }
    Some(match cmd {
        Cmd::Undo => undo(seen, b),
        Cmd::Correct => Intent::prompt(
            t("更正选票:输入选票编号", "Correct a paper: its serial"),
            Purpose::CorrectSerial { ballot: id },
        ),
        Cmd::Strike => Intent::prompt(
            t("剔除选票:输入选票编号", "Strike a paper: its serial"),
            Purpose::StrikeSerial { ballot: id },
        ),
        Cmd::Issued => {
            let present = st.attendance.present;
            Intent::Prompt {
                title: match lang {
                    Lang::Zh => format!("发出票数(出席代表 {present} 名;直接输入即替换)"),
                    Lang::En => {
                        format!("Papers issued ({present} deputies present; typing replaces)")
                    }
                },
                purpose: Purpose::Issued { ballot: id },
                field: Field::Suggest(b.issued.unwrap_or(present).to_string()),
            }
        }
        Cmd::Returned => Intent::Prompt {
            title: t(
                "收回票数(总监票人清点票箱所得;直接输入即替换)",
                "Papers returned (the chief scrutineer's count of the box; typing replaces)",
            ),
            purpose: Purpose::Returned { ballot: id },
            field: Field::Suggest(
                b.returned_declared
                    .map(|r| r.to_string())
                    .unwrap_or_default(),
            ),
        },
        Cmd::Staff => Intent::Prompt {
            title: t(
                "监票人(总监票人在前)/ 计票人,用顿号或空格分隔",
                "Scrutineers (chief first) / clerks, separated by spaces",
            ),
            purpose: Purpose::Staff { ballot: id },
            field: Field::With(format!(
                "{} / {}",
                b.scrutineers.join("、"),
                b.clerks.join("、")
            )),
        },
        Cmd::Totals => Intent::Prompt {
            title: t(
                "表决结果:赞成 反对 弃权 [未按],用空格分隔",
                "Totals: yes no abstain [not pressed], space separated",
            ),
            purpose: Purpose::Totals { ballot: id },
            field: Field::Suggest(match &b.counter {
                Counter::Resolution(Some(t)) => {
                    format!("{} {} {} {}", t.yes, t.no, t.abstain, t.not_pressed)
                }
                _ => String::new(),
            }),
        },
        Cmd::Announce => announce(seen, b),
        Cmd::NextRound => next_round(seen, b),
        Cmd::DoubleEntry => Intent::prompt(
            t(
                "双人录入比对:第一位计票人的批次文件路径",
                "Double entry: the first clerk's batch file",
            ),
            Purpose::DoubleFirst,
        ),
        Cmd::ImportBatches => Intent::Prompt {
            title: t(
                "导入录入站批次:文件或文件夹路径(如U盘 /media/usb)",
                "Import station batches: a file or folder (e.g. a USB stick, /media/usb)",
            ),
            purpose: Purpose::ImportBatches,
            field: Field::With("/media".into()),
        },
        Cmd::ReopenBallot => reopen(seen, b),
        _ => return None,
    })
}

/// Undo the last paper keyed: asked, naming it and the count after.
fn undo(seen: &Seen, b: &BallotState) -> Intent {
    let lang = seen.lang;
    let Some(p) = b.last_live() else {
        return Intent::Refuse(seen.t("没有可撤销的选票", "no paper to undo").to_string());
    };
    let serial = p.serial.clone();
    let what = match (&p.hand_void, lang) {
        (Some(r), Lang::Zh) => format!("作废票({r})"),
        (Some(r), Lang::En) => format!("void paper ({r})"),
        (None, _) => p.marks.clone(),
    };
    let after = b.keyed().saturating_sub(1);
    Intent::ask(
        seen.t("撤销上一张选票", "Undo the last paper"),
        vec![match lang {
            Lang::Zh => format!(
                "撤销最后录入的选票 {serial}:{what}。撤销后已录入 {after} 张(撤销记录在案)。"
            ),
            Lang::En => format!(
                "Undo the last paper keyed, {serial}: {what}. {after} papers will be keyed (the undo is recorded)."
            ),
        }],
        seen.t("撤销", "undo it"),
        Then::execute(Action::UndoPaper {
            ballot: b.id.clone(),
            serial,
        }),
    )
}

/// The announcement: offered only when the figures add up (else what is missing is said), and
/// asked with its consequence and the words the chair will read.
fn announce(seen: &Seen, b: &BallotState) -> Intent {
    let (st, lang) = (seen.st, seen.lang);
    if seen.half_keyed.is_some() && b.kind != CountKind::Resolution {
        let (enter, esc) = (key_of(Cmd::Record, lang), key_of(Cmd::ClearPaper, lang));
        return Intent::Refuse(match lang {
            Lang::Zh => format!("本票尚未录入:先按 {enter} 录入,或按 {esc} 清空,再宣布"),
            Lang::En => format!(
                "a paper is half keyed: record it ({enter}) or clear it ({esc}) before announcing"
            ),
        });
    }
    if let Err(missing) = announce_ready(st, b, lang) {
        return Intent::Refuse(missing);
    }
    let label = crate::domain::describe::ballot_label(&st.def, &b.id, lang);
    let mut lines = vec![announce_consequence(st, b, lang), String::new()];
    lines.extend(announcement(st, b).iter().map(|t| t.get(lang).to_string()));
    Intent::Ask {
        title: match lang {
            Lang::Zh => format!("宣布结果:{label}"),
            Lang::En => format!("Announce: {label}"),
        },
        lines,
        verb: seen.t("宣布并锁定", "announce and lock").to_string(),
        then: Then::execute(Action::AnnounceBallot {
            ballot: b.id.clone(),
        }),
    }
}

/// A run-off, a further round or a repeated vote, when the last round calls for one.
fn next_round(seen: &Seen, b: &BallotState) -> Intent {
    let (st, lang) = (seen.st, seen.lang);
    let Some((kind, cands, places)) = st.ballots.next_round(b.item) else {
        return Intent::Refuse(
            seen.t(
                "无需再次投票:最后一轮须已宣布,且有并列、名额未满或投票无效",
                "no further round is due: the last round must be announced, with a tie, places left or a void vote",
            )
            .to_string(),
        );
    };
    let names: Vec<&str> = st.def.agenda[b.item]
        .ballot
        .as_ref()
        .map(|d| {
            cands
                .iter()
                .map(|&i| d.candidates[i].name.as_str())
                .collect()
        })
        .unwrap_or_default();
    let what = match (kind, lang) {
        (RoundKind::RunOff, Lang::Zh) => "再次投票",
        (RoundKind::FurtherRound, Lang::Zh) => "另行投票",
        (_, Lang::Zh) => "重新投票",
        (RoundKind::RunOff, Lang::En) => "run-off",
        (RoundKind::FurtherRound, Lang::En) => "further round",
        (_, Lang::En) => "repeat vote",
    };
    let line = match lang {
        Lang::Zh => format!(
            "发起{what}:候选 {} 个({}),应选 {places} 个。新的一轮须重新发出、收回和录入选票。",
            cands.len(),
            names.join("、")
        ),
        Lang::En => format!(
            "Create the {what}: {} candidates ({}), {places} place(s). The new round is issued, returned and keyed afresh.",
            cands.len(),
            names.join(", ")
        ),
    };
    Intent::Ask {
        title: match lang {
            Lang::Zh => format!("发起{what}"),
            Lang::En => format!("Create the {what}"),
        },
        lines: vec![line],
        verb: seen.t("发起", "create it").to_string(),
        then: Then::execute(Action::CreateRound {
            ballot: b.id.clone(),
        }),
    }
}

/// Re-open an announced result (with a reason); not one still open, nor a round with a later
/// one after it.
fn reopen(seen: &Seen, b: &BallotState) -> Intent {
    if !b.locked() {
        return Intent::Refuse(
            seen.t(
                "该结果尚未宣布,无需重新开启",
                "this result is not announced; nothing to re-open",
            )
            .to_string(),
        );
    }
    let later = b.kind == CountKind::Approval
        && seen.st.ballots.rounds_of(b.item).any(|r| r.round > b.round);
    if later {
        return Intent::Refuse(
            seen.t(
                "已有后续轮次,不能重新开启这一轮",
                "a later round exists; this round cannot be re-opened",
            )
            .to_string(),
        );
    }
    Intent::prompt(
        seen.t(
            "重新开启已宣布的结果:须填写理由(将记录在案)",
            "Re-open an announced result: reason (recorded)",
        )
        .to_string(),
        Purpose::ReopenBallot {
            ballot: b.id.clone(),
        },
    )
}

/// Whether the figures allow the announcement; else what is missing, to say on screen.
pub fn announce_ready(st: &SessionState, b: &BallotState, lang: Lang) -> Result<(), String> {
    let zh = lang == Lang::Zh;
    if b.locked() {
        return Err(lang
            .t("结果已宣布", "the result was already announced")
            .to_string());
    }
    if b.kind == CountKind::Resolution {
        return match &b.counter {
            crate::domain::ballots::Counter::Resolution(Some(_)) => Ok(()),
            _ => Err(lang
                .t("尚未录入表决结果(Enter)", "no totals entered yet (Enter)")
                .to_string()),
        };
    }
    let present = st.attendance.present;
    let key = |cmd| crate::tui::keys::key_of(cmd, lang);
    let Some(issued) = b.issued else {
        let k = key(Cmd::Issued);
        return Err(if zh {
            format!("尚未录入发出票数({k})")
        } else {
            format!("the papers issued are not entered yet ({k})")
        });
    };
    if issued > present {
        let k = key(Cmd::Issued);
        return Err(if zh {
            format!("发出 {issued} 张多于出席代表 {present} 名:请核对发出票数({k})")
        } else {
            format!(
                "{issued} issued is more than the {present} present: check the papers issued ({k})"
            )
        });
    }
    let waiting = b.waiting_sheets().count();
    if waiting > 0 {
        let k = key(Cmd::Adjudicate);
        return Err(if zh {
            format!("还有 {waiting} 张扫描件待判定({k}),判定后才能宣布")
        } else {
            format!(
                "{waiting} scanned sheets wait for a ruling ({k}); announce after they are ruled"
            )
        });
    }
    let keyed = b.keyed();
    // A void vote is not counted: it may be announced before its papers are all keyed.
    if let Some(r) = b.returned_declared
        && r != keyed
        && !b.vote_void()
    {
        return Err(match (r > keyed, zh) {
            (true, true) => format!("收回 {r} 张,已录入 {keyed} 张:还有 {} 张未录入", r - keyed),
            (true, false) => format!(
                "{r} returned, {keyed} keyed: {} papers still to key",
                r - keyed
            ),
            (false, true) => format!(
                "已录入 {keyed} 张多于收回 {r} 张:请核对收回票数({})",
                key(Cmd::Returned)
            ),
            (false, false) => format!(
                "{keyed} keyed is more than the {r} returned: check the returned count ({})",
                key(Cmd::Returned)
            ),
        });
    }
    if keyed == 0 && !b.vote_void() {
        return Err(lang.t("尚未录入选票", "no paper keyed yet").to_string());
    }
    Ok(())
}

/// The first line of the announcement prompt: what announcing does, with the figures.
pub fn announce_consequence(st: &SessionState, b: &BallotState, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    if b.kind == CountKind::Resolution {
        return lang
            .t(
                "宣布表决结果;宣布后锁定,不能再修改(重新开启须说明理由)。",
                "Announce the motion's result; it is locked afterwards (re-opening needs a reason).",
            )
            .to_string();
    }
    let issued = b.issued.unwrap_or(0);
    let returned = b.returned();
    let present = crate::domain::announce::roll_of(st, b).present;
    let name = crate::domain::words::Words::of_kind(&st.def.agenda[b.item], b.kind).name();
    let declared = if b.returned_declared.is_some() {
        String::new()
    } else if zh {
        "(收回票数未单独录入,按已录入张数计)".to_string()
    } else {
        " (no returned count entered: the papers keyed stand for it)".to_string()
    };
    if b.vote_void() {
        return if zh {
            format!(
                "出席 {present} 名,发出 {issued} 张,收回 {returned} 张{declared}:收回多于发出,本次{}无效,不产生结果;宣布后须重新进行({})。",
                name.zh,
                crate::tui::keys::key_of(Cmd::NextRound, lang)
            )
        } else {
            format!(
                "{present} present, {issued} issued, {returned} returned{declared}: more returned than issued, so the {} is void and decides nothing; after the announcement it must be held again ({}).",
                name.en,
                crate::tui::keys::key_of(Cmd::NextRound, lang)
            )
        };
    }
    if zh {
        format!(
            "出席 {} 名,发出 {issued} 张,收回 {returned} 张{declared},有效 {} 张,无效 {} 张。宣布后锁定,不能再录入或修改(重新开启须说明理由)。",
            present,
            b.valid(),
            b.void()
        )
    } else {
        format!(
            "{} present, {issued} issued, {returned} returned{declared}, {} valid, {} void. The count is locked afterwards (re-opening needs a reason).",
            present,
            b.valid(),
            b.void()
        )
    }
}
