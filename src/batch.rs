//! Counting stations on separate PCs (no network): a station keys its own stack of papers into
//! its own database and writes them as a batch file; the main console imports the batch. A
//! batch carries the session's fingerprint, the ballot, the station, a batch id and a checksum,
//! so a batch from another session or ballot, a tampered batch, or the same batch twice is
//! refused and changes nothing. Double entry (双人录入) compares two stations' batches of the
//! same stack paper by paper.

use serde::{Deserialize, Serialize};

use crate::domain::action::Action;
use crate::engine::Engine;
use crate::i18n::Text;
use crate::store::sha256_hex;
use crate::text;

pub const FORMAT: &str = "huiwu-batch/1";

/// One paper as it travels in a batch: marks and serial, never a deputy.
pub use crate::domain::ballots::PaperIn as BatchPaper;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    pub format: String,
    /// SHA-256 of the session definition: batches only go into the same session.
    pub fingerprint: String,
    pub session_title: String,
    pub ballot: String,
    pub station: String,
    /// `station-` and the first 12 hex digits of the checksum.
    pub batch: String,
    pub created: String,
    pub papers: Vec<BatchPaper>,
    /// SHA-256 over fingerprint, ballot, station and the papers' canonical JSON.
    pub checksum: String,
}

fn checksum(fingerprint: &str, ballot: &str, station: &str, papers: &[BatchPaper]) -> String {
    let body = serde_json::to_string(papers).expect("papers serialize");
    sha256_hex(format!("{FORMAT}\n{fingerprint}\n{ballot}\n{station}\n{body}").as_bytes())
}

/// The live papers of `ballot` in this database, as a batch from `station` (default: the
/// station named in the papers' serials, `B-0001` → `B`).
pub fn export(engine: &Engine, ballot: &str, station: Option<&str>) -> Result<Batch, Text> {
    let st = engine.state();
    let b = st.ballots.get(ballot).ok_or_else(|| {
        text!(
            format!("没有编号为“{ballot}”的票决"),
            format!("there is no ballot \"{ballot}\"")
        )
    })?;
    let station = station.map(str::to_string).unwrap_or_else(|| {
        b.papers
            .first()
            .and_then(|p| p.serial.rsplit_once('-').map(|(s, _)| s.to_string()))
            .unwrap_or_else(|| engine.store().station().to_string())
    });
    let papers: Vec<BatchPaper> = b
        .papers
        .iter()
        .filter(|p| p.live())
        .map(|p| BatchPaper {
            serial: p.serial.clone(),
            marks: p.marks.clone(),
            void_reason: p.hand_void.clone(),
        })
        .collect();
    if papers.is_empty() {
        return Err(text!(
            "本站尚未录入选票",
            "this station has keyed no papers"
        ));
    }
    let fingerprint = engine.genesis().fingerprint.clone();
    let sum = checksum(&fingerprint, ballot, &station, &papers);
    Ok(Batch {
        format: FORMAT.into(),
        batch: format!("{station}-{}", &sum[..12]),
        fingerprint,
        session_title: st.def.session.title.clone(),
        ballot: ballot.to_string(),
        station,
        created: crate::store::ts_text(&engine.now()),
        papers,
        checksum: sum,
    })
}

/// Read and check a batch file against the open session. Nothing is written.
pub fn read(engine: &Engine, bytes: &[u8]) -> Result<Batch, Text> {
    let batch: Batch = serde_json::from_slice(bytes).map_err(|e| {
        text!(
            format!("不是有效的选票批次文件:{e}"),
            format!("not a valid batch file: {e}")
        )
    })?;
    if batch.format != FORMAT {
        return Err(text!(
            format!("批次文件格式“{}”不受支持", batch.format),
            format!("unsupported batch format \"{}\"", batch.format)
        ));
    }
    if batch.fingerprint != engine.genesis().fingerprint {
        return Err(text!(
            format!("该批次属于另一次会议“{}”,不能导入", batch.session_title),
            format!(
                "this batch belongs to another session (\"{}\"); not imported",
                batch.session_title
            )
        ));
    }
    let sum = checksum(
        &batch.fingerprint,
        &batch.ballot,
        &batch.station,
        &batch.papers,
    );
    if sum != batch.checksum || !batch.batch.ends_with(&sum[..12]) {
        return Err(text!(
            "批次文件校验和不符:文件已被改动或损坏,不能导入",
            "the batch's checksum does not match: the file was altered or damaged; not imported"
        ));
    }
    if engine.state().ballots.get(&batch.ballot).is_none() {
        return Err(text!(
            format!("本次会议没有票决“{}”", batch.ballot),
            format!("this session has no ballot \"{}\"", batch.ballot)
        ));
    }
    Ok(batch)
}

/// The action that imports a checked batch (one transaction).
pub fn import_action(batch: &Batch) -> Action {
    Action::ImportBatch {
        ballot: batch.ballot.clone(),
        station: batch.station.clone(),
        batch: batch.batch.clone(),
        checksum: batch.checksum.clone(),
        papers: batch.papers.clone(),
        rulings: Vec::new(),
    }
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
    if first.ballot != second.ballot || first.fingerprint != second.fingerprint {
        return Err(text!(
            "两个批次不属于同一次票决,不能比对",
            "the two batches are not of the same ballot; they cannot be compared"
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
            // The stack's serial: the position, the same whichever station keyed it.
            p.serial = format!("{}-{pos:04}", first.ballot.replace(['#', '/'], "-"));
            papers.push(p);
        }
    }
    Ok((papers, disagreements))
}

/// The action importing a double-entry stack as settled: both keyings' ids, the rulings.
pub fn double_entry_action(
    first: &Batch,
    second: &Batch,
    papers: Vec<BatchPaper>,
    resolutions: &[Resolution],
) -> Action {
    Action::ImportBatch {
        ballot: first.ballot.clone(),
        station: format!("{}+{}", first.station, second.station),
        batch: format!("double:{}+{}", first.batch, second.batch),
        checksum: sha256_hex(format!("{}\n{}", first.checksum, second.checksum).as_bytes()),
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
        let already = engine
            .state()
            .ballots
            .get(&batch.ballot)
            .is_some_and(|b| b.batches.contains(&batch.batch));
        if already {
            lines.push(match lang {
                crate::i18n::Lang::Zh => format!("{name}:批次 {} 已导入过,跳过", batch.batch),
                crate::i18n::Lang::En => {
                    format!("{name}: batch {} already imported, skipped", batch.batch)
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
            crate::i18n::Lang::Zh => format!("{name}:导入录入站 {} 的 {n} 张选票", batch.station),
            crate::i18n::Lang::En => {
                format!("{name}: {n} papers from station {} imported", batch.station)
            }
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
        let sum = checksum("fp", "vote", station, &papers);
        Batch {
            format: FORMAT.into(),
            fingerprint: "fp".into(),
            session_title: "t".into(),
            ballot: "vote".into(),
            station: station.into(),
            batch: format!("{station}-{}", &sum[..12]),
            created: String::new(),
            papers,
            checksum: sum,
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
        assert_eq!(papers[0].serial, "vote-0001");
    }

    #[test]
    fn the_same_station_twice_is_not_double_entry() {
        let a = batch("A", &["YYN"]);
        assert!(compare(&a, &a).is_err());
    }
}
