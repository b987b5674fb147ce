//! Counting stations on separate PCs (no network): a station keys its own stack of papers into
//! its own database and writes them as a batch file; the main console imports the batch. A
//! batch is tagged with HMAC-SHA256 under the key the station was paired with (see `station`),
//! over the session's fingerprint, the ballot and round, the station, its batch number, its
//! chain head and every paper: a batch edited, relabelled, re-serialled or made without the
//! key is refused, and each station's batch numbers are taken once. Double entry (双人录入)
//! compares two stations' batches of the same stack paper by paper.

use serde::{Deserialize, Serialize};

use crate::domain::action::Action;
use crate::domain::ballots::{candidate_ids, list_digest};
use crate::domain::stations::BatchRef;
use crate::engine::Engine;
use crate::i18n::Text;
use crate::station;
use crate::text;

pub const FORMAT: &str = "huiwu-batch/3";
/// What batches looked like before they named their candidate list: refused, with the way out.
const OLD_FORMATS: &[&str] = &["huiwu-batch/1", "huiwu-batch/2"];
/// No session's papers come near this: a bigger file is refused unread.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// One paper as it travels in a batch: marks and serial, never a deputy.
pub use crate::domain::ballots::PaperIn as BatchPaper;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    pub format: String,
    /// SHA-256 of the session definition: batches only go into the same session.
    pub fingerprint: String,
    pub session_title: String,
    pub ballot: String,
    pub round: u32,
    pub station: String,
    /// Id of the key the station was paired with.
    pub key_id: String,
    /// The station's batch number (1, 2, 3 … over all its ballots).
    pub number: u32,
    pub created: String,
    /// The station database's chain head once it recorded this batch: `#57 3F2A-9C1B-77D0-E4A5`
    /// (the entry number is its entry count), and the full hash.
    pub station_head: String,
    pub station_head_hash: String,
    /// The round's candidates (rated items of an evaluation) in paper order, and its places, as
    /// the station keyed them: the main console counts the papers only against the same list.
    pub candidates: Vec<String>,
    pub places: u32,
    /// The first 16 hex digits of [`list_digest`] of that list, for people comparing batches.
    pub list: String,
    pub papers: Vec<BatchPaper>,
    /// HMAC-SHA256 under the station's key over everything above.
    pub tag: String,
}

/// What the tag covers: every field but the tag, in this order.
#[derive(Serialize)]
struct Signed<'a> {
    format: &'a str,
    fingerprint: &'a str,
    session_title: &'a str,
    ballot: &'a str,
    round: u32,
    station: &'a str,
    key_id: &'a str,
    number: u32,
    created: &'a str,
    station_head: &'a str,
    station_head_hash: &'a str,
    candidates: &'a [String],
    places: u32,
    list: &'a str,
    papers: &'a [BatchPaper],
}

impl Batch {
    fn signed_bytes(&self) -> Vec<u8> {
        let s = Signed {
            format: &self.format,
            fingerprint: &self.fingerprint,
            session_title: &self.session_title,
            ballot: &self.ballot,
            round: self.round,
            station: &self.station,
            key_id: &self.key_id,
            number: self.number,
            created: &self.created,
            station_head: &self.station_head,
            station_head_hash: &self.station_head_hash,
            candidates: &self.candidates,
            places: self.places,
            list: &self.list,
            papers: &self.papers,
        };
        let mut out = format!("{FORMAT}\n").into_bytes();
        out.extend(serde_json::to_vec(&s).expect("batches serialize"));
        out
    }

    /// `A/1`.
    pub fn label(&self) -> String {
        format!("{}/{}", self.station, self.number)
    }

    pub fn reference(&self) -> BatchRef {
        BatchRef {
            station: self.station.clone(),
            number: self.number,
            key_id: self.key_id.clone(),
            tag: self.tag.clone(),
            station_head: self.station_head.clone(),
            papers: self.papers.len() as u32,
        }
    }

    /// A file name that says what it is and no other batch has: `ballot.A.1.json` (a later
    /// round `ballot.round2.A.1.json`; ids never hold a `.`).
    pub fn file_name(&self) -> String {
        format!(
            "{}.{}.{}.json",
            crate::export::file_id(&self.ballot),
            self.station,
            self.number
        )
    }
}

fn no_ballot(ballot: &str) -> Text {
    text!(
        format!("没有编号为“{ballot}”的票决"),
        format!("there is no ballot \"{ballot}\"")
    )
}

/// At a station: record batch N (the papers of `ballot` not sent yet) and return it, tagged.
/// The number is taken in the station's log before the file exists, so it is never reused.
pub fn send(engine: &mut Engine, ballot: &str) -> Result<Batch, Text> {
    let st = engine.state();
    let b = st.ballots.get(ballot).ok_or_else(|| no_ballot(ballot))?;
    let serials: Vec<String> = b
        .papers
        .iter()
        .filter(|p| p.live() && st.stations.was_sent(ballot, &p.serial).is_none())
        .map(|p| p.serial.clone())
        .collect();
    let number = st.stations.next_number();
    engine
        .execute(Action::SendBatch {
            ballot: ballot.to_string(),
            number,
            serials,
        })
        .map_err(|e| e.text())?;
    written(engine, number)
}

/// At a station: batch `number` exactly as it was written (to write the file again).
pub fn written(engine: &Engine, number: u32) -> Result<Batch, Text> {
    let st = engine.state();
    let own = st.stations.own.as_ref().ok_or_else(|| {
        text!(
            "本数据库尚未与主控台配对(huiwu station pair),不能写出批次",
            "this database is not paired with the main console (huiwu station pair); it cannot write batches"
        )
    })?;
    let sent = st
        .stations
        .sent
        .iter()
        .find(|s| s.number == number)
        .ok_or_else(|| {
            text!(
                format!("本站没有第 {number} 批"),
                format!("this station has no batch {number}")
            )
        })?;
    let b = st
        .ballots
        .get(&sent.ballot)
        .ok_or_else(|| no_ballot(&sent.ballot))?;
    let ev = engine
        .log()
        .iter()
        .find(|e| e.seq == sent.seq)
        .ok_or_else(|| text!("找不到该批次的记录", "the batch's entry is missing"))?;
    let papers = sent
        .serials
        .iter()
        .filter_map(|s| b.paper(s))
        .map(|p| BatchPaper {
            serial: p.serial.clone(),
            marks: p.marks.clone(),
            void_reason: p.hand_void.clone(),
        })
        .collect();
    let key = station::stored_key(engine, &own.name)?;
    let ids = candidate_ids(&st.def.agenda[b.item], b);
    let mut batch = Batch {
        format: FORMAT.into(),
        fingerprint: engine.genesis().fingerprint.clone(),
        session_title: st.def.session.title.clone(),
        ballot: sent.ballot.clone(),
        round: b.round,
        station: own.name.clone(),
        key_id: own.key_id.clone(),
        number,
        created: crate::store::ts_text(&ev.at),
        station_head: crate::store::head_text(ev.seq, &ev.hash),
        station_head_hash: ev.hash.clone(),
        candidates: ids.clone(),
        places: b.places,
        list: list_digest(&ids, b.places)[..16].to_string(),
        papers,
        tag: String::new(),
    };
    batch.tag = station::tag(&key, &batch.signed_bytes());
    Ok(batch)
}

/// Read and check a batch file against the open session: the format, the session, a station
/// paired here with the same key, the tag under that key, the ballot and its round. Nothing is
/// written.
pub fn read(engine: &Engine, bytes: &[u8]) -> Result<Batch, Text> {
    if bytes.len() > MAX_BYTES {
        return Err(text!(
            format!("批次文件有 {} 字节,远超任何一次票决,不予读取", bytes.len()),
            format!(
                "the batch file has {} bytes, far more than any ballot's papers; not read",
                bytes.len()
            )
        ));
    }
    // The format first: an older batch lacks fields this one requires.
    #[derive(Deserialize)]
    struct Format {
        format: String,
    }
    if let Ok(Format { format }) = serde_json::from_slice::<Format>(bytes)
        && OLD_FORMATS.contains(&format.as_str())
    {
        return Err(text!(
            format!(
                "批次文件是旧版格式“{format}”,未注明录入时的候选项目名单,不能核对,不予导入:请录入站升级本程序后用 huiwu ballot export-batch --again 重新写出"
            ),
            format!(
                "the batch file is in the old format \"{format}\", which does not name the candidate list it was keyed on, so it cannot be checked; not imported: upgrade huiwu at the station and write it again with huiwu ballot export-batch --again"
            )
        ));
    }
    let batch: Batch = serde_json::from_slice(bytes).map_err(|e| {
        text!(
            format!("不是有效的选票批次文件:{e}"),
            format!("not a valid batch file: {e}")
        )
    })?;
    let shown = crate::domain::hygiene::printable;
    if batch.format != FORMAT {
        return Err(text!(
            format!("批次文件格式“{}”不受支持", shown(&batch.format)),
            format!("unsupported batch format \"{}\"", shown(&batch.format))
        ));
    }
    if batch.fingerprint != engine.genesis().fingerprint {
        return Err(text!(
            format!(
                "该批次属于另一次会议“{}”,不能导入",
                shown(&batch.session_title)
            ),
            format!(
                "this batch belongs to another session (\"{}\"); not imported",
                shown(&batch.session_title)
            )
        ));
    }
    let stations = &engine.state().stations;
    if let Some(o) = &stations.own {
        return Err(text!(
            format!("本数据库是录入站 {},批次只能导入主控台", o.name),
            format!(
                "this database is counting station {}; batches go into the main console",
                o.name
            )
        ));
    }
    if batch.tag.len() != 64
        || !batch
            .tag
            .chars()
            .all(|c| matches!(c, '0'..='9' | 'a'..='f'))
    {
        return Err(text!(
            "批次的认证码格式不对(应为 64 位小写十六进制数字),不能导入",
            "the batch's authentication tag is not 64 lowercase hex digits; not imported"
        ));
    }
    let Some(known) = stations.known(&batch.station) else {
        return Err(text!(
            format!(
                "录入站“{}”未在本主控台配对(huiwu station add),不接受其批次",
                crate::domain::hygiene::printable(&batch.station)
            ),
            format!(
                "station \"{}\" is not paired with this console (huiwu station add); its batches are not accepted",
                crate::domain::hygiene::printable(&batch.station)
            )
        ));
    };
    if known.key_id != batch.key_id {
        return Err(text!(
            format!(
                "该批次不是用录入站 {} 配对的密钥制作的,不能导入",
                batch.station
            ),
            format!(
                "this batch was not made with the key station {} was paired with; not imported",
                batch.station
            )
        ));
    }
    let key = station::stored_key(engine, &batch.station)?;
    if !station::tag_ok(&key, &batch.signed_bytes(), &batch.tag) {
        return Err(text!(
            format!(
                "批次的认证码不符:文件被改动过,或不是录入站 {} 用其密钥制作的;不能导入",
                batch.station
            ),
            format!(
                "the batch's authentication tag does not match: the file was altered, or not made by station {} with its key; not imported",
                batch.station
            )
        ));
    }
    let b = engine
        .state()
        .ballots
        .get(&batch.ballot)
        .ok_or_else(|| no_ballot(&batch.ballot))?;
    if b.round != batch.round {
        return Err(text!(
            format!("批次注明第 {} 轮,与票决 {} 不符", batch.round, batch.ballot),
            format!(
                "the batch says round {}, which is not ballot {}",
                batch.round, batch.ballot
            )
        ));
    }
    check_list(engine, b, &batch)?;
    Ok(batch)
}

/// The papers of a batch are counted against the candidate list the station keyed them on:
/// a station's own later round, or a station still on the session file before an amendment,
/// has another list, and its papers would be counted on the wrong candidates.
fn check_list(
    engine: &Engine,
    b: &crate::domain::ballots::BallotState,
    batch: &Batch,
) -> Result<(), Text> {
    let item = &engine.state().def.agenda[b.item];
    let ids = candidate_ids(item, b);
    let digest = list_digest(&batch.candidates, batch.places);
    if batch.list != digest[..16] {
        return Err(text!(
            "批次所注候选项目名单与其指纹不符,不能导入",
            "the batch's candidate list does not match its own fingerprint; not imported"
        ));
    }
    if batch.candidates == ids && batch.places == b.places {
        return Ok(());
    }
    let shown = |v: &[String]| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.iter()
                .map(|s| crate::domain::hygiene::printable(s))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    let hint = if item.projects && b.kind == crate::domain::ballots::CountKind::Satisfaction {
        text!(
            "请录入站与主控台从同一票决数据库结转民生实事项目",
            "carry the livelihood projects at the station and the main console from the same ballot's database"
        )
    } else {
        text!(
            "录入站的轮次或候选项目名单与主控台不同(录入站自行产生了下一轮,或未随主控台修订会议文件):请在主控台录入这些选票,或让录入站采用主控台的会议文件与轮次后重新录入",
            "the station's round or list is not the main console's (the station made its own later round, or did not take the main console's amendment): key these papers at the main console, or have the station take the main console's session file and round and key them again"
        )
    };
    Err(text!(
        format!(
            "该批次 {} 按候选项目名单[{}](应选 {} 名)录入,本主控台 {} 的名单为[{}](应选 {} 名):选票不能计在别的候选项目上,未导入。{}",
            batch.label(),
            shown(&batch.candidates),
            batch.places,
            b.id,
            shown(&ids),
            b.places,
            hint.zh
        ),
        format!(
            "batch {} was keyed on the candidate list [{}] ({} places); this console's {} has [{}] ({} places): papers may not be counted on other candidates; not imported. {}",
            batch.label(),
            shown(&batch.candidates),
            batch.places,
            b.id,
            shown(&ids),
            b.places,
            hint.en
        )
    ))
}

/// The action that imports a checked batch (one transaction).
pub fn import_action(batch: &Batch) -> Action {
    Action::ImportBatch {
        ballot: batch.ballot.clone(),
        batches: vec![batch.reference()],
        papers: batch.papers.clone(),
        rulings: Vec::new(),
    }
}

/// Whether this very batch (same station, number and tag) was imported already.
pub fn already_imported(engine: &Engine, batch: &Batch) -> bool {
    engine
        .state()
        .stations
        .received_as(&batch.station, batch.number)
        .is_some_and(|r| r.batch.tag == batch.tag)
}

/// A disagreement between two keyings of the same stack: the paper at `position`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disagreement {
    /// 1-based position in the stack.
    pub position: usize,
    pub first: Option<BatchPaper>,
    pub second: Option<BatchPaper>,
}

/// Compare two keyings of one stack paper by paper, in keying order. Every difference in marks
/// or void ruling, and every paper only one of them has, is a disagreement.
pub fn compare(first: &Batch, second: &Batch) -> Result<Vec<Disagreement>, Text> {
    if first.ballot != second.ballot
        || first.round != second.round
        || first.fingerprint != second.fingerprint
        || first.candidates != second.candidates
        || first.places != second.places
    {
        return Err(text!(
            "两个批次不属于同一次票决(或所注候选项目名单不同),不能比对",
            "the two batches are not of the same ballot (or name different candidate lists); they cannot be compared"
        ));
    }
    if first.station == second.station {
        return Err(text!(
            "双人录入须由两个不同的录入站完成",
            "double entry needs two different stations"
        ));
    }
    let n = first.papers.len().max(second.papers.len());
    let mut out = Vec::new();
    for k in 0..n {
        let a = first.papers.get(k);
        let b = second.papers.get(k);
        let same = match (a, b) {
            (Some(a), Some(b)) => {
                a.marks == b.marks && a.void_reason.is_some() == b.void_reason.is_some()
            }
            _ => false,
        };
        if !same {
            out.push(Disagreement {
                position: k + 1,
                first: a.cloned(),
                second: b.cloned(),
            });
        }
    }
    Ok(out)
}

/// How the scrutineer settled one disagreement: the paper as it really reads (None: there is
/// no such paper), who decided and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub position: usize,
    pub paper: Option<BatchPaper>,
    pub by: String,
    pub reason: String,
}

/// The resolved stack: agreed papers as keyed, disagreements as resolved. Refused unless every
/// disagreement is resolved, with who and why: a comparison with open disagreements cannot be
/// counted.
pub fn resolve(
    first: &Batch,
    second: &Batch,
    resolutions: &[Resolution],
) -> Result<(Vec<BatchPaper>, Vec<Disagreement>), Text> {
    let disagreements = compare(first, second)?;
    // A ruling is on a paper the keyings disagree on, and on nothing else.
    for r in resolutions {
        if !disagreements.iter().any(|d| d.position == r.position) {
            return Err(text!(
                format!(
                    "第 {} 张选票两次录入一致(或不存在),不需要也不接受裁定",
                    r.position
                ),
                format!(
                    "paper {} was keyed alike twice (or does not exist): it takes no ruling",
                    r.position
                )
            ));
        }
    }
    for d in &disagreements {
        match resolutions.iter().find(|r| r.position == d.position) {
            None => {
                return Err(text!(
                    format!("第 {} 张选票两次录入不一致,尚未裁定,不能计票", d.position),
                    format!(
                        "paper {} was keyed differently twice and is not settled yet; nothing can be counted",
                        d.position
                    )
                ));
            }
            Some(r) if r.by.trim().is_empty() || r.reason.trim().is_empty() => {
                return Err(text!(
                    format!("第 {} 张选票的裁定须写明裁定人和理由", d.position),
                    format!(
                        "the ruling on paper {} needs who decided and why",
                        d.position
                    )
                ));
            }
            Some(_) => {}
        }
    }
    let n = first.papers.len().max(second.papers.len());
    let mut papers = Vec::new();
    for k in 0..n {
        let pos = k + 1;
        let paper = match resolutions.iter().find(|r| r.position == pos) {
            Some(r) if disagreements.iter().any(|d| d.position == pos) => r.paper.clone(),
            _ => first.papers.get(k).cloned(),
        };
        if let Some(mut p) = paper {
            // The stack's serial: both keyings and the position (each batch number is used
            // once, so no two stacks share a serial).
            p.serial = format!(
                "{}.{}+{}.{}-{pos:04}",
                first.station, first.number, second.station, second.number
            );
            papers.push(p);
        }
    }
    Ok((papers, disagreements))
}

/// The action importing a double-entry stack as settled: both keyings, the rulings.
pub fn double_entry_action(
    first: &Batch,
    second: &Batch,
    papers: Vec<BatchPaper>,
    resolutions: &[Resolution],
) -> Action {
    Action::ImportBatch {
        ballot: first.ballot.clone(),
        batches: vec![first.reference(), second.reference()],
        papers,
        rulings: resolutions
            .iter()
            .map(|r| crate::domain::ballots::Ruling {
                position: r.position,
                marks: r.paper.as_ref().map(|p| p.marks.clone()),
                by: r.by.clone(),
                reason: r.reason.clone(),
            })
            .collect(),
    }
}

/// Import every batch file at `path` (a file, or a folder such as a USB stick's): each batch in
/// its own transaction; ones already imported are skipped. Returns one line per file.
pub fn import_path(
    engine: &mut Engine,
    path: &std::path::Path,
    lang: crate::i18n::Lang,
) -> Result<Vec<String>, Text> {
    let files: Vec<std::path::PathBuf> = if path.is_dir() {
        let mut v: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| {
                text!(
                    format!("无法读取文件夹 {}:{e}", path.display()),
                    format!("cannot read folder {}: {e}", path.display())
                )
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    if files.is_empty() {
        return Err(text!(
            format!("{} 中没有批次文件(*.json)", path.display()),
            format!("no batch files (*.json) in {}", path.display())
        ));
    }
    let mut lines = Vec::new();
    for f in files {
        let name = f.display().to_string();
        let bytes =
            std::fs::read(&f).map_err(|e| text!(format!("{name}:{e}"), format!("{name}: {e}")))?;
        let batch = read(engine, &bytes)
            .map_err(|t| text!(format!("{name}:{}", t.zh), format!("{name}: {}", t.en)))?;
        if already_imported(engine, &batch) {
            lines.push(match lang {
                crate::i18n::Lang::Zh => format!("{name}:批次 {} 已导入过,跳过", batch.label()),
                crate::i18n::Lang::En => {
                    format!("{name}: batch {} already imported, skipped", batch.label())
                }
            });
            continue;
        }
        let n = batch.papers.len();
        engine.execute(import_action(&batch)).map_err(|e| {
            let t = e.text();
            text!(format!("{name}:{}", t.zh), format!("{name}: {}", t.en))
        })?;
        lines.push(match lang {
            crate::i18n::Lang::Zh => format!(
                "{name}:导入录入站 {} 第 {} 批的 {n} 张选票(录入站链头 {})",
                batch.station, batch.number, batch.station_head
            ),
            crate::i18n::Lang::En => format!(
                "{name}: {n} papers of batch {} from station {} imported (station head {})",
                batch.number, batch.station, batch.station_head
            ),
        });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(station: &str, marks: &[&str]) -> Batch {
        let papers: Vec<BatchPaper> = marks
            .iter()
            .enumerate()
            .map(|(i, m)| BatchPaper {
                serial: format!("{station}-{:04}", i + 1),
                marks: m.to_string(),
                void_reason: None,
            })
            .collect();
        Batch {
            format: FORMAT.into(),
            fingerprint: "fp".into(),
            session_title: "t".into(),
            ballot: "vote".into(),
            round: 1,
            station: station.into(),
            key_id: "0".repeat(16),
            number: 1,
            created: String::new(),
            station_head: String::new(),
            station_head_hash: String::new(),
            candidates: vec!["P1".into(), "P2".into(), "P3".into()],
            places: 2,
            list: String::new(),
            papers,
            tag: String::new(),
        }
    }

    #[test]
    fn every_injected_disagreement_is_found_and_none_invented() {
        let a = batch("A", &["YYN", "NNA", "YAA", "AAA", "YYY"]);
        let b = batch("B", &["YYN", "NYA", "YAA", "AAN"]);
        let d = compare(&a, &b).unwrap();
        let positions: Vec<usize> = d.iter().map(|x| x.position).collect();
        assert_eq!(positions, vec![2, 4, 5]);
        assert!(d[2].second.is_none());
    }

    #[test]
    fn counting_waits_for_every_ruling() {
        let a = batch("A", &["YYN", "NNA", "YAA"]);
        let b = batch("B", &["YYN", "NYA", "YAA"]);
        assert!(resolve(&a, &b, &[]).unwrap_err().en.contains("paper 2"));
        let no_reason = Resolution {
            position: 2,
            paper: None,
            by: "黎秀英".into(),
            reason: " ".into(),
        };
        assert!(resolve(&a, &b, &[no_reason]).is_err());
        let ruling = Resolution {
            position: 2,
            paper: Some(BatchPaper {
                serial: String::new(),
                marks: "NYA".into(),
                void_reason: None,
            }),
            by: "总监票人黎秀英".into(),
            reason: "核对原票,第二项为○".into(),
        };
        let (papers, d) = resolve(&a, &b, &[ruling]).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(
            papers.iter().map(|p| p.marks.as_str()).collect::<Vec<_>>(),
            vec!["YYN", "NYA", "YAA"]
        );
        assert_eq!(papers[0].serial, "A.1+B.1-0001");
        // a ruling on a paper both keyed alike is refused
        let stray = Resolution {
            position: 1,
            paper: None,
            by: "总监票人黎秀英".into(),
            reason: "多余".into(),
        };
        let ok = Resolution {
            position: 2,
            paper: None,
            by: "总监票人黎秀英".into(),
            reason: "核对原票".into(),
        };
        assert!(
            resolve(&a, &b, &[ok, stray])
                .unwrap_err()
                .en
                .contains("takes no ruling")
        );
    }

    #[test]
    fn the_same_station_twice_is_not_double_entry() {
        let a = batch("A", &["YYN"]);
        assert!(compare(&a, &a).is_err());
    }
}
