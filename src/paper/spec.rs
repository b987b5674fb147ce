//! What a ballot paper says, taken from the session's state: its heading, its rows in paper
//! order, how it is marked, and the QR code's payload naming the session, ballot, round and
//! layout. Nothing on it tells one paper from another (§2.9: no per-paper number, ever).

use crate::domain::ballots::{BallotState, CountKind, RoundKind};
use crate::domain::session::{ApprovalVote, PaperStyle};
use crate::domain::state::SessionState;
use crate::i18n::Text;
use crate::text;

/// Bumped whenever a box of the layout moves: the code on a sheet printed with another layout
/// says so, and the sheet is refused, not misread.
pub const LAYOUT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperKind {
    Approval {
        places: u32,
        style: PaperStyle,
        vote: ApprovalVote,
    },
    Evaluation,
}

impl PaperKind {
    /// Boxes per row.
    pub fn choices(&self) -> usize {
        match self {
            PaperKind::Approval {
                style: PaperStyle::Columns,
                ..
            } => 3,
            PaperKind::Approval {
                style: PaperStyle::OneBox,
                ..
            } => 1,
            PaperKind::Evaluation => 4,
        }
    }

    /// The paper's letter for choice `c` of a row (the letters `RecordPaper` takes).
    pub fn letter(&self, c: usize) -> char {
        match self {
            PaperKind::Approval { .. } => ['Y', 'N', 'A'][c],
            PaperKind::Evaluation => ['S', 'B', 'U', 'A'][c],
        }
    }

    fn code(&self) -> char {
        match self {
            PaperKind::Approval {
                style: PaperStyle::Columns,
                ..
            } => 'c',
            PaperKind::Approval {
                style: PaperStyle::OneBox,
                ..
            } => 'o',
            PaperKind::Evaluation => 'e',
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperSpec {
    /// The first 16 hex digits of the session's fingerprint (its database's genesis).
    pub fingerprint: String,
    pub ballot: String,
    pub round: u32,
    pub kind: PaperKind,
    pub session_title: String,
    pub title: String,
    pub round_note: Option<String>,
    pub rows: Vec<Row>,
}

/// What the QR code of a sheet says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    pub fingerprint: String,
    pub ballot: String,
    pub round: u32,
    pub layout: u32,
    pub kind: char,
    pub rows: usize,
    /// The first 8 hex digits of the SHA-256 of the rows' ids and the places: a paper printed
    /// before the candidates changed is refused, not read into the wrong rows.
    pub rows_hash: String,
}

const MAGIC: &str = "HUIWU";

impl PaperSpec {
    pub fn payload(&self) -> String {
        format!(
            "{MAGIC}|{LAYOUT_VERSION}|{}|{}|{}|{}|{}|{}",
            self.fingerprint,
            self.ballot,
            self.round,
            self.kind.code(),
            self.rows.len(),
            self.rows_hash()
        )
    }

    pub fn rows_hash(&self) -> String {
        let places = match &self.kind {
            PaperKind::Approval { places, .. } => *places,
            PaperKind::Evaluation => 0,
        };
        let ids: Vec<String> = self.rows.iter().map(|r| r.id.clone()).collect();
        crate::domain::ballots::list_digest(&ids, places)[..8].to_string()
    }

    /// Why a sheet whose code says `p` is not a paper of this ballot, if it is not.
    pub fn refuse(&self, p: &Payload) -> Option<Text> {
        if p.fingerprint != self.fingerprint {
            return Some(text!(
                format!(
                    "另一次会议的选票(二维码会议标识 {},本会议 {})",
                    p.fingerprint, self.fingerprint
                ),
                format!(
                    "a paper of another session (its code says {}, this session is {})",
                    p.fingerprint, self.fingerprint
                )
            ));
        }
        if p.ballot != self.ballot || p.round != self.round {
            return Some(text!(
                format!(
                    "另一项票决或另一轮的选票(二维码:{} 第{}轮;正在扫描:{} 第{}轮)",
                    p.ballot, p.round, self.ballot, self.round
                ),
                format!(
                    "a paper of another ballot or round (its code says {} round {}; scanning {} round {})",
                    p.ballot, p.round, self.ballot, self.round
                )
            ));
        }
        if p.layout == LAYOUT_VERSION
            && p.kind == self.kind.code()
            && p.rows == self.rows.len()
            && p.rows_hash != self.rows_hash()
        {
            return Some(text!(
                "选票上的候选项目或应选名额与本轮不符(会议文件修改过?):请按现在的候选项目重新印制选票".to_string(),
                "the paper's candidates or places differ from this round's (was the session file amended?): print the papers again".to_string()
            ));
        }
        if p.layout != LAYOUT_VERSION || p.kind != self.kind.code() || p.rows != self.rows.len() {
            return Some(text!(
                format!(
                    "选票版式不符(二维码:版式 {} {} {} 行;本程序:版式 {LAYOUT_VERSION} {} {} 行),请用本程序重新印制的选票",
                    p.layout,
                    p.kind,
                    p.rows,
                    self.kind.code(),
                    self.rows.len()
                ),
                format!(
                    "the paper's layout differs (its code: layout {} {} {} rows; here: layout {LAYOUT_VERSION} {} {} rows): print the papers with this program",
                    p.layout,
                    p.kind,
                    p.rows,
                    self.kind.code(),
                    self.rows.len()
                )
            ));
        }
        None
    }
}

impl Payload {
    pub fn parse(s: &str) -> Option<Payload> {
        let parts: Vec<&str> = s.split('|').collect();
        let [magic, layout, fp, ballot, round, kind, rows, rows_hash] = parts.as_slice() else {
            return None;
        };
        if *magic != MAGIC {
            return None;
        }
        let mut k = kind.chars();
        let (Some(kind), None) = (k.next(), k.next()) else {
            return None;
        };
        Some(Payload {
            fingerprint: fp.to_string(),
            ballot: ballot.to_string(),
            round: round.parse().ok()?,
            layout: layout.parse().ok()?,
            kind,
            rows: rows.parse().ok()?,
            rows_hash: rows_hash.to_string(),
        })
    }
}

/// The paper of ballot `id` as the session stands, for a session whose fingerprint is `fp`.
pub fn spec_of(st: &SessionState, id: &str, fp: &str) -> Result<PaperSpec, Text> {
    let Some(b) = st.ballots.get(id) else {
        let known: Vec<&str> = st
            .ballots
            .list
            .iter()
            .filter(|b| b.kind != CountKind::Resolution)
            .map(|b| b.id.as_str())
            .collect();
        return Err(text!(
            format!("没有这个票决或测评:{id}(有:{})", known.join("、")),
            format!(
                "no such ballot or evaluation: {id} (there are: {})",
                known.join(", ")
            )
        ));
    };
    rows_of(st, b).map(|(kind, rows)| {
        let item = &st.def.agenda[b.item];
        PaperSpec {
            fingerprint: fp.chars().take(16).collect(),
            ballot: b.id.clone(),
            round: b.round,
            kind,
            session_title: st.def.session.title.clone(),
            title: item.title.clone(),
            round_note: match b.round_kind {
                RoundKind::Original => None,
                RoundKind::RunOff => Some(format!("第{}轮 再次投票", b.round)),
                RoundKind::FurtherRound => Some(format!("第{}轮 另行投票", b.round)),
                RoundKind::Repeat => Some(format!("第{}轮 重新投票", b.round)),
            },
            rows,
        }
    })
}

fn rows_of(st: &SessionState, b: &BallotState) -> Result<(PaperKind, Vec<Row>), Text> {
    let item = &st.def.agenda[b.item];
    match (b.kind, &item.ballot, &item.satisfaction) {
        (CountKind::Approval, Some(d), _) => Ok((
            PaperKind::Approval {
                places: b.places,
                style: d.paper,
                vote: d.vote,
            },
            b.candidates
                .iter()
                .map(|&i| {
                    let c = &d.candidates[i];
                    Row {
                        id: c.id.clone(),
                        name: c.name.clone(),
                        unit: c.unit.clone(),
                    }
                })
                .collect(),
        )),
        (CountKind::Satisfaction, _, Some(d)) => {
            if d.items.is_empty() {
                return Err(text!(
                    "这项测评的项目尚未结转(huiwu projects carry),还不能印票".to_string(),
                    "this evaluation's projects are not carried yet (huiwu projects carry): nothing to print".to_string()
                ));
            }
            Ok((
                PaperKind::Evaluation,
                b.candidates
                    .iter()
                    .map(|&i| {
                        let c = &d.items[i];
                        Row {
                            id: c.id.clone(),
                            name: c.name.clone(),
                            unit: c.unit.clone(),
                        }
                    })
                    .collect(),
            ))
        }
        _ => Err(text!(
            format!("{} 是表决(举手或表决器),没有纸质选票", b.id),
            format!(
                "{} is a resolution (hands or keypads): it has no paper",
                b.id
            )
        )),
    }
}
