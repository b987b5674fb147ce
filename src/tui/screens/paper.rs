//! The paper on the desk of the count screen: its mark keys, the slip that stops it, and Enter,
//! decided from the entry and the ballot alone, as intents. Only a complete paper is recorded;
//! an announced count takes no paper at all; a key that is no mark stops the paper at its row.

use crate::domain::action::Action;
use crate::domain::ballots::{BallotState, CountKind};
use crate::i18n::Lang;
use crate::tui::entry::{Entry, Slip};
use crate::tui::intent::{Follow, Intent};
use crate::tui::keys::{self, Cmd, Ctx, Screen, key_of};
use crate::tui::purpose::Purpose;
use crate::tui::screens::Seen;

/// The keys that act on the paper being keyed (on a paper ballot: ↑↓ move along its rows).
fn is_paper_key(cmd: Cmd, kind: CountKind) -> bool {
    matches!(
        cmd,
        Cmd::Mark(_)
            | Cmd::RestYes
            | Cmd::RestAbstain
            | Cmd::BlankPaper
            | Cmd::Back
            | Cmd::Left
            | Cmd::Right
            | Cmd::ClearPaper
            | Cmd::AllYesExcept
            | Cmd::Record
            | Cmd::VoidPaper
    ) || (matches!(cmd, Cmd::Up | Cmd::Down) && kind != CountKind::Resolution)
}

/// What a paper key does to the paper `entry` of ballot `b`; `None` for keys that are not
/// the paper's (the procedure, the views, the screens).
pub fn keying(seen: &Seen, entry: &mut Entry, b: &BallotState, cmd: Cmd) -> Option<Intent> {
    if !is_paper_key(cmd, b.kind) {
        return None;
    }
    let lang = seen.lang;
    // An announced count takes no paper: a mark keyed now would wait unseen and surface
    // later as a paper "keyed but not recorded". Say so, and name the way back.
    if b.locked() {
        return Some(Intent::Refuse(locked_text(lang)));
    }
    // A slip stops the paper: nothing more lands on it until the slipped key is taken back
    // (Backspace) or the paper is cleared (Esc), so no mark moves up a row unseen.
    if !matches!(cmd, Cmd::Back | Cmd::ClearPaper)
        && let Some(slip) = &entry.slip
    {
        return Some(Intent::Refuse(slip_text(lang, b, slip)));
    }
    let n = b.candidates.len();
    Some(match cmd {
        Cmd::Mark(letter) => {
            entry.mark(letter);
            Intent::Moved
        }
        Cmd::RestYes => {
            entry.fill_rest('Y');
            Intent::Moved
        }
        Cmd::RestAbstain => {
            let rest = entry.unmarked().len();
            entry.fill_unmarked('A');
            let enter = key_of(Cmd::Record, lang);
            Intent::Tell(match lang {
                Lang::Zh => format!("未标记的 {rest} 栏记为弃权;核对后按 {enter} 录入"),
                Lang::En => format!("{rest} unmarked rows set to abstain; check, then {enter}"),
            })
        }
        Cmd::BlankPaper => {
            let correcting = entry.correcting.take();
            *entry = Entry::new(n);
            entry.fill_unmarked('A');
            entry.correcting = correcting;
            let enter = key_of(Cmd::Record, lang);
            Intent::Tell(match lang {
                Lang::Zh => format!("空白票:全部 {n} 栏弃权;按 {enter} 录入"),
                Lang::En => format!("blank paper: all {n} rows abstain; {enter} records it"),
            })
        }
        Cmd::Back => {
            let slip = entry.slip.is_some();
            entry.back();
            if slip {
                let row = entry.cursor + 1;
                Intent::Tell(match lang {
                    Lang::Zh => format!("已删去误按的键;继续第 {row} 栏"),
                    Lang::En => format!("the slipped key is taken back; go on at row {row}"),
                })
            } else {
                Intent::Moved
            }
        }
        Cmd::Left => {
            entry.left();
            Intent::Moved
        }
        Cmd::Right => {
            entry.right();
            Intent::Moved
        }
        Cmd::Up => {
            entry.up();
            Intent::Moved
        }
        Cmd::Down => {
            entry.down();
            Intent::Moved
        }
        Cmd::ClearPaper => {
            *entry = Entry::new(n);
            Intent::Moved
        }
        Cmd::AllYesExcept => Intent::prompt(
            seen.t(
                "全部赞成,除以下序号(空格分隔,记为不赞成)",
                "All yes except these numbers (space separated; marked no)",
            )
            .to_string(),
            Purpose::AllExcept,
        ),
        Cmd::VoidPaper => Intent::prompt(
            seen.t(
                "作废票:请填写理由(如 字迹无法辨认、污损)",
                "Void paper: reason (e.g. illegible, defaced)",
            )
            .to_string(),
            Purpose::VoidReason {
                ballot: b.id.clone(),
                marks: if entry.is_blank() {
                    String::new()
                } else {
                    entry.letters()
                },
            },
        ),
        Cmd::Record => record(seen, entry, b),
        _ => return None,
    })
}

/// A typed character no binding of this paper takes: on a paper being keyed it stops the paper
/// at its row; on an announced count it is refused like a mark. `None` where no paper is keyed
/// (a resolution), so the stray key does nothing.
pub fn slip(seen: &Seen, entry: &mut Entry, b: &BallotState, ch: char) -> Option<Intent> {
    if !matches!(b.kind, CountKind::Approval | CountKind::Satisfaction) {
        return None;
    }
    if b.locked() {
        // Nothing is being keyed; the same words as for a mark key.
        return Some(Intent::Refuse(locked_text(seen.lang)));
    }
    entry.stop(ch.to_string());
    let slip = entry.slip.as_ref()?;
    Some(Intent::Refuse(slip_text(seen.lang, b, slip)))
}

fn locked_text(lang: Lang) -> String {
    let reopen = key_of(Cmd::ReopenBallot, lang);
    match lang {
        Lang::Zh => format!("结果已宣布,不再录入选票;如须更正,先按 {reopen} 重新开启(须填理由)"),
        Lang::En => format!(
            "the result is announced: no more papers; to correct it, re-open with {reopen} (reason required)"
        ),
    }
}

/// What the screen says while a paper is stopped by a slip: the row, the key, the way on, and
/// the keys of this paper.
pub fn slip_text(lang: Lang, b: &BallotState, slip: &Slip) -> String {
    let ctx = Ctx {
        screen: Screen::Ballot,
        kind: Some(b.kind),
        ruling: false,
        locked: false,
    };
    // the way on first: at 80 columns the end of the line is cut
    let marks: Vec<String> = keys::help(ctx)
        .filter(|k| matches!(k.cmd, Cmd::Mark(_)))
        .map(|k| k.key(lang))
        .collect();
    let back = key_of(Cmd::Back, lang);
    let clear = key_of(Cmd::ClearPaper, lang);
    let row = slip.row + 1;
    let key = &slip.key;
    match lang {
        Lang::Zh => format!(
            "第 {row} 栏按了「{key}」,不是标记键:本票停在此栏,按 {back} 删去这一键或 {clear} 清空(标记键 {})",
            marks.join(" ")
        ),
        Lang::En => format!(
            "row {row}: '{key}' is no mark: the paper stops here; {back} takes it back, {clear} clears (marks: {})",
            marks.join(" ")
        ),
    }
}

/// Enter: the paper on the desk (or the correction being made). Only a complete paper is
/// recorded: a row left unmarked is refused by name (the rest 弃权 is a key of its own), so a
/// half-keyed paper or a second Enter never records a paper nobody keyed.
fn record(seen: &Seen, entry: &Entry, b: &BallotState) -> Intent {
    let lang = seen.lang;
    let unmarked = entry.unmarked();
    if !unmarked.is_empty() {
        let rest = key_of(Cmd::RestAbstain, lang);
        let blank = key_of(Cmd::BlankPaper, lang);
        if unmarked.len() == entry.marks.len() {
            return Intent::Refuse(match lang {
                Lang::Zh => format!("本票尚未标记,未录入:逐栏按键;空白票(全部弃权)按 {blank}"),
                Lang::En => format!(
                    "nothing keyed on this paper, nothing recorded: key each row; a blank paper (all abstain) is {blank}"
                ),
            });
        }
        let rows: Vec<String> = unmarked
            .iter()
            .take(3)
            .map(|i| (i + 1).to_string())
            .collect();
        let more = if unmarked.len() > 3 { "…" } else { "" };
        return Intent::Refuse(match lang {
            Lang::Zh => format!(
                "未录入:本票还有 {} 栏未标记(第 {}{more} 栏);补上,或按 {rest} 将其余记弃权",
                unmarked.len(),
                rows.join("、")
            ),
            Lang::En => format!(
                "not recorded: {} rows unmarked (row {}{more}); key them, or {rest} sets them to abstain",
                unmarked.len(),
                rows.join(", ")
            ),
        });
    }
    let marks = entry.letters();
    if let Some(serial) = entry.correcting.clone() {
        return Intent::prompt(
            match lang {
                Lang::Zh => format!("更正选票 {serial} 为 {marks}:请填写理由"),
                Lang::En => format!("Correct paper {serial} to {marks}: reason"),
            },
            Purpose::CorrectReason {
                ballot: b.id.clone(),
                serial,
                marks,
            },
        );
    }
    let serial = b.next_serial(seen.station);
    Intent::ExecuteThen(
        Action::RecordPaper {
            ballot: b.id.clone(),
            serial: serial.clone(),
            marks,
            void_reason: None,
        },
        Follow::PaperRecorded { serial },
    )
}

#[cfg(test)]
#[path = "paper_tests.rs"]
mod tests;
