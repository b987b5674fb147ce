//! Counting stations (DESIGN.md §6, §7): at the main console, the stations whose batches it
//! accepts, each known by its key's id; at a station, which station the database is and the
//! batches it sent. Each station's batch numbers are taken once.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// An authenticated batch file a paper import came in: enough to name it and to check it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchRef {
    pub station: String,
    /// The station's own batch number: 1, 2, 3 … over all its ballots.
    pub number: u32,
    /// Id of the station's key (the key itself never travels).
    pub key_id: String,
    /// HMAC-SHA256 of the batch under the station's key (hex).
    pub tag: String,
    /// The station database's chain head when it wrote the batch (`#57 3F2A-9C1B-77D0-E4A5`).
    pub station_head: String,
    pub papers: u32,
}

impl BatchRef {
    /// `A/1`: how the batch is named on screen and in the minutes.
    pub fn label(&self) -> String {
        format!("{}/{}", self.station, self.number)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Station {
    pub name: String,
    pub key_id: String,
    pub seq: u64,
}

/// A batch this station wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sent {
    pub number: u32,
    pub ballot: String,
    pub serials: Vec<String>,
    pub seq: u64,
}

/// A batch the main console took in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Received {
    pub ballot: String,
    pub batch: BatchRef,
    pub seq: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Stations {
    /// At a station: the station this database is.
    pub own: Option<Station>,
    /// At the main console: the stations paired with it, in order.
    pub known: Vec<Station>,
    pub sent: Vec<Sent>,
    pub received: Vec<Received>,
    taken: HashMap<(String, u32), usize>,
    sent_serials: HashSet<(String, String)>,
}

fn refuse<T>(zh: String, en: String) -> Result<T, Text> {
    Err(Text::new(zh, en))
}

fn key_id_ok(k: &str) -> bool {
    k.len() == 16
        && k.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

impl Stations {
    pub fn known(&self, name: &str) -> Option<&Station> {
        self.known.iter().find(|s| s.name == name)
    }

    /// Whether this paper was sent to the main console in a batch (then it changes only there).
    pub fn was_sent(&self, ballot: &str, serial: &str) -> Option<u32> {
        if !self
            .sent_serials
            .contains(&(ballot.to_string(), serial.to_string()))
        {
            return None;
        }
        self.sent
            .iter()
            .find(|b| b.ballot == ballot && b.serials.iter().any(|s| s == serial))
            .map(|b| b.number)
    }

    /// The batch a station's number was taken by, if it was.
    pub fn received_as(&self, station: &str, number: u32) -> Option<&Received> {
        self.taken
            .get(&(station.to_string(), number))
            .map(|&i| &self.received[i])
    }

    pub fn next_number(&self) -> u32 {
        self.sent.len() as u32 + 1
    }

    pub(crate) fn add(&mut self, name: &str, key_id: &str, seq: u64) -> Result<(), Text> {
        if let Some(o) = &self.own {
            return refuse(
                format!("本数据库是录入站 {},录入站须在主控台配对", o.name),
                format!(
                    "this database is counting station {}; stations are paired at the main console",
                    o.name
                ),
            );
        }
        if self.known(name).is_some() {
            return refuse(
                format!("录入站 {name} 已配对过;如需新密钥,请另起一个站名"),
                format!("station {name} is already paired; use another station name for a new key"),
            );
        }
        if !key_id_ok(key_id) {
            return refuse(
                "密钥编号格式不对".into(),
                "the key id is not 16 lowercase hex digits".into(),
            );
        }
        self.known.push(Station {
            name: name.to_string(),
            key_id: key_id.to_string(),
            seq,
        });
        Ok(())
    }

    pub(crate) fn pair(&mut self, name: &str, key_id: &str, seq: u64) -> Result<(), Text> {
        if let Some(o) = &self.own {
            return refuse(
                format!("本数据库已是录入站 {},不能再配对", o.name),
                format!("this database is already counting station {}", o.name),
            );
        }
        if !self.known.is_empty() || !self.received.is_empty() {
            return refuse(
                "本数据库是主控台(已有配对的录入站或导入的批次),不能当作录入站".into(),
                "this database is a main console (it has paired stations or imported batches); it cannot be a station".into(),
            );
        }
        if !key_id_ok(key_id) {
            return refuse(
                "密钥编号格式不对".into(),
                "the key id is not 16 lowercase hex digits".into(),
            );
        }
        self.own = Some(Station {
            name: name.to_string(),
            key_id: key_id.to_string(),
            seq,
        });
        Ok(())
    }

    /// Check a batch about to be sent; `live` says whether a serial is a counted paper of the
    /// ballot.
    pub(crate) fn check_send(
        &self,
        ballot: &str,
        number: u32,
        serials: &[String],
        live: impl Fn(&str) -> bool,
    ) -> Result<(), Text> {
        if self.own.is_none() {
            return refuse(
                "本数据库尚未与主控台配对(huiwu station pair),不能写出批次".into(),
                "this database is not paired with the main console (huiwu station pair); it cannot write batches".into(),
            );
        }
        if number != self.next_number() {
            return refuse(
                format!("批次号应为 {},不是 {number}", self.next_number()),
                format!(
                    "the batch number must be {}, not {number}",
                    self.next_number()
                ),
            );
        }
        if serials.is_empty() {
            return refuse(
                "没有尚未送出的选票".into(),
                "there are no papers not yet sent".into(),
            );
        }
        let mut seen = HashSet::new();
        for s in serials {
            if !seen.insert(s.as_str()) {
                return refuse(
                    format!("选票 {s} 在批次中出现两次"),
                    format!("paper {s} is twice in the batch"),
                );
            }
            if !live(s) {
                return refuse(
                    format!("没有计入的选票 {s}"),
                    format!("there is no counted paper {s}"),
                );
            }
            if let Some(n) = self.was_sent(ballot, s) {
                return refuse(
                    format!("选票 {s} 已在第 {n} 批送出"),
                    format!("paper {s} was already sent in batch {n}"),
                );
            }
        }
        Ok(())
    }

    pub(crate) fn send(&mut self, ballot: &str, number: u32, serials: &[String], seq: u64) {
        for s in serials {
            self.sent_serials.insert((ballot.to_string(), s.clone()));
        }
        self.sent.push(Sent {
            number,
            ballot: ballot.to_string(),
            serials: serials.to_vec(),
            seq,
        });
    }

    /// Check the batches an import names: stations paired here with the same key, numbers not
    /// taken, one batch (or two of different stations for double entry).
    pub(crate) fn check_receive(&self, refs: &[BatchRef], papers: usize) -> Result<(), Text> {
        if let Some(o) = &self.own {
            return refuse(
                format!("本数据库是录入站 {},批次只能导入主控台", o.name),
                format!(
                    "this database is counting station {}; batches go into the main console",
                    o.name
                ),
            );
        }
        match refs {
            [one] if one.papers as usize != papers => {
                return refuse(
                    format!(
                        "批次 {} 记有 {} 张选票,实际 {papers} 张",
                        one.label(),
                        one.papers
                    ),
                    format!(
                        "batch {} says {} papers but holds {papers}",
                        one.label(),
                        one.papers
                    ),
                );
            }
            [_] => {}
            [a, b] if a.station == b.station => {
                return refuse(
                    "双人录入须由两个不同的录入站完成".into(),
                    "double entry needs two different stations".into(),
                );
            }
            [_, _] => {}
            _ => {
                return refuse(
                    "导入须来自一个批次(双人录入为两个)".into(),
                    "an import comes from one batch (two for double entry)".into(),
                );
            }
        }
        for r in refs {
            let Some(st) = self.known(&r.station) else {
                return refuse(
                    format!("录入站 {} 未在本主控台配对,不接受其批次", r.station),
                    format!(
                        "station {} is not paired with this console; its batches are not accepted",
                        r.station
                    ),
                );
            };
            if st.key_id != r.key_id {
                return refuse(
                    format!(
                        "批次 {} 的密钥与录入站 {} 配对的密钥不同",
                        r.label(),
                        r.station
                    ),
                    format!(
                        "batch {} was made with another key than station {} was paired with",
                        r.label(),
                        r.station
                    ),
                );
            }
            if let Some(prev) = self.received_as(&r.station, r.number) {
                return refuse(
                    format!(
                        "录入站 {} 的第 {} 批已于第 {} 条记录导入(票决 {}),批次号只能用一次",
                        r.station, r.number, prev.seq, prev.ballot
                    ),
                    format!(
                        "batch {} of station {} was already taken in by entry {} (ballot {}); a batch number is used once",
                        r.number, r.station, prev.seq, prev.ballot
                    ),
                );
            }
        }
        Ok(())
    }

    pub(crate) fn receive(&mut self, ballot: &str, refs: &[BatchRef], seq: u64) {
        for r in refs {
            self.taken
                .insert((r.station.clone(), r.number), self.received.len());
            self.received.push(Received {
                ballot: ballot.to_string(),
                batch: r.clone(),
                seq,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(station: &str, number: u32, papers: u32) -> BatchRef {
        BatchRef {
            station: station.into(),
            number,
            key_id: "0123456789abcdef".into(),
            tag: "t".into(),
            station_head: "#3 0000-0000-0000-0000".into(),
            papers,
        }
    }

    #[test]
    fn a_station_number_is_taken_once_and_only_paired_stations_count() {
        let mut s = Stations::default();
        assert!(
            s.check_receive(&[r("A", 1, 2)], 2)
                .unwrap_err()
                .en
                .contains("not paired")
        );
        s.add("A", "0123456789abcdef", 2).unwrap();
        assert!(s.add("A", "fedcba9876543210", 3).is_err(), "paired twice");
        s.check_receive(&[r("A", 1, 2)], 2).unwrap();
        s.receive("vote", &[r("A", 1, 2)], 4);
        let again = s.check_receive(&[r("A", 1, 5)], 5).unwrap_err();
        assert!(again.en.contains("used once"), "{}", again.en);
        // another ballot cannot take the same number either
        assert!(s.check_receive(&[r("A", 1, 2)], 2).is_err());
        s.check_receive(&[r("A", 2, 2)], 2).unwrap();
        // the count in the reference must be the papers carried
        assert!(s.check_receive(&[r("A", 2, 3)], 2).is_err());
        // a batch made with another key
        let mut other = r("A", 2, 2);
        other.key_id = "ffffffffffffffff".into();
        assert!(
            s.check_receive(&[other], 2)
                .unwrap_err()
                .en
                .contains("another key")
        );
        // double entry needs two stations
        assert!(s.check_receive(&[r("A", 2, 2), r("A", 3, 2)], 2).is_err());
    }

    #[test]
    fn a_database_is_a_main_console_or_a_station_not_both() {
        let mut main = Stations::default();
        main.add("A", "0123456789abcdef", 2).unwrap();
        assert!(main.pair("B", "0123456789abcdef", 3).is_err());
        let mut st = Stations::default();
        st.pair("A", "0123456789abcdef", 2).unwrap();
        assert!(st.pair("A", "0123456789abcdef", 3).is_err());
        assert!(st.add("B", "0123456789abcdef", 3).is_err());
        assert!(st.check_receive(&[r("B", 1, 1)], 1).is_err());
    }

    #[test]
    fn sent_papers_and_batch_numbers() {
        let mut st = Stations::default();
        let live = |s: &str| s.starts_with("A-");
        let serials = vec!["A-0001".to_string(), "A-0002".to_string()];
        assert!(
            st.check_send("vote", 1, &serials, live).is_err(),
            "not paired"
        );
        st.pair("A", "0123456789abcdef", 2).unwrap();
        assert!(
            st.check_send("vote", 2, &serials, live).is_err(),
            "numbers run 1, 2 …"
        );
        assert!(
            st.check_send("vote", 1, &[], live).is_err(),
            "nothing to send"
        );
        assert!(
            st.check_send("vote", 1, &["X-1".into()], live).is_err(),
            "not a paper"
        );
        st.check_send("vote", 1, &serials, live).unwrap();
        st.send("vote", 1, &serials, 5);
        assert_eq!(st.was_sent("vote", "A-0002"), Some(1));
        assert_eq!(st.was_sent("vote#2", "A-0002"), None);
        assert!(
            st.check_send("vote", 2, &serials[..1], live).is_err(),
            "sent twice"
        );
        assert_eq!(st.next_number(), 2);
    }
}
