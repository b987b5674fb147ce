//! Pairing counting stations with the main console (DESIGN.md §7): the main console makes a
//! random key for each station and shows it once as a code in groups of four; the station's
//! operator types it in. Batches are tagged with HMAC-SHA256 under that key, which never
//! travels with a batch: whoever edits a batch file cannot make a tag that passes.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::action::Action;
use crate::domain::hygiene;
use crate::engine::Engine;
use crate::i18n::Text;
use crate::text;

type HmacSha256 = Hmac<Sha256>;

/// Key length in bytes (128 bits).
pub const KEY_LEN: usize = 16;
/// Station names are short: they prefix serials.
pub const STATION_MAX: usize = 16;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn mac(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length")
}

/// A fresh random key from the operating system.
pub fn new_key() -> Result<[u8; KEY_LEN], Text> {
    let mut k = [0u8; KEY_LEN];
    getrandom::fill(&mut k).map_err(|e| {
        text!(
            format!("无法取得随机数:{e}"),
            format!("cannot get random bytes: {e}")
        )
    })?;
    Ok(k)
}

/// The key's public id (16 hex digits), recorded in the log of both sides.
pub fn key_id(key: &[u8]) -> String {
    let mut m = mac(key);
    m.update(b"huiwu-station-key-id");
    hex(&m.finalize().into_bytes())[..16].to_string()
}

fn check_group(key: &[u8]) -> String {
    let mut m = mac(key);
    m.update(b"huiwu-pairing-code");
    hex(&m.finalize().into_bytes())[..4].to_ascii_uppercase()
}

/// The code shown at the main console and typed at the station: the key in eight groups of
/// four hex digits and a ninth that catches a typo at once.
pub fn pairing_code(key: &[u8]) -> String {
    let h = hex(key).to_ascii_uppercase();
    let mut groups: Vec<String> = (0..h.len())
        .step_by(4)
        .map(|i| h[i..i + 4].to_string())
        .collect();
    groups.push(check_group(key));
    groups.join("-")
}

/// Read a pairing code back (any case, with or without dashes and spaces).
pub fn parse_code(s: &str) -> Result<Vec<u8>, Text> {
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t'))
        .collect();
    let bad = || {
        text!(
            "配对码应为 9 组、每组 4 位的十六进制数字(0-9、A-F),请照主控台显示的输入",
            "a pairing code is 9 groups of 4 hex digits (0-9, A-F); type it as the main console shows it"
        )
    };
    if digits.len() != KEY_LEN * 2 + 4 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let key = unhex(&digits[..KEY_LEN * 2].to_ascii_lowercase()).ok_or_else(bad)?;
    if !digits[KEY_LEN * 2..].eq_ignore_ascii_case(&check_group(&key)) {
        return Err(text!(
            "配对码有误(校验组不符),请逐组核对后重新输入",
            "the pairing code has a typo (its last group does not match); check it group by group"
        ));
    }
    Ok(key)
}

/// HMAC-SHA256 of `body` under `key`, hex.
pub fn tag(key: &[u8], body: &[u8]) -> String {
    let mut m = mac(key);
    m.update(body);
    hex(&m.finalize().into_bytes())
}

/// Whether `tag_hex` is the tag of `body` under `key` (compared in constant time).
pub fn tag_ok(key: &[u8], body: &[u8], tag_hex: &str) -> bool {
    let Some(t) = unhex(tag_hex) else {
        return false;
    };
    let mut m = mac(key);
    m.update(body);
    m.verify_slice(&t).is_ok()
}

/// The key stored for `station` in this database.
pub fn stored_key(engine: &Engine, station: &str) -> Result<Vec<u8>, Text> {
    let k = engine
        .store()
        .station_key(station)
        .map_err(|e| e.text())?
        .and_then(|h| unhex(&h))
        .filter(|k| k.len() == KEY_LEN && key_id(k) == station_key_id(engine, station));
    k.ok_or_else(|| {
        text!(
            format!("录入站 {station} 的密钥缺失或与记录不符,数据库可能被改动过"),
            format!(
                "the key of station {station} is missing or does not match the record; the database may have been edited"
            )
        )
    })
}

fn station_key_id(engine: &Engine, station: &str) -> String {
    let st = &engine.state().stations;
    st.known(station)
        .or(st.own.as_ref().filter(|o| o.name == station))
        .map(|s| s.key_id.clone())
        .unwrap_or_default()
}

/// `[A-Za-z0-9_-]`, at most 16, not `main`.
pub fn station_name_rule(name: &str) -> Result<(), Text> {
    if name.chars().count() > STATION_MAX
        || name == "main"
        || hygiene::id_rule("录入站", "station", name).is_err()
    {
        return Err(text!(
            format!(
                "录入站名称“{}”只能由英文字母、数字、下划线和连字符组成,最多 {STATION_MAX} 个字符,且不能是 main(主控台自己)",
                hygiene::printable(name)
            ),
            format!(
                "a station's name (\"{}\") holds only letters A-Z a-z, digits, _ and -, at most {STATION_MAX}, and is not main (the main console itself)",
                hygiene::printable(name)
            )
        ));
    }
    Ok(())
}

/// At the main console: pair station `name`; returns the code to show its operator.
pub fn add(engine: &mut Engine, name: &str) -> Result<String, Text> {
    station_name_rule(name)?;
    let key = new_key()?;
    engine
        .execute_keyed(
            Action::AddStation {
                station: name.to_string(),
                key_id: key_id(&key),
            },
            name,
            &hex(&key),
        )
        .map_err(|e| e.text())?;
    Ok(pairing_code(&key))
}

/// At the main console: the code of a station paired earlier (to show it again).
pub fn code(engine: &Engine, name: &str) -> Result<String, Text> {
    if engine.state().stations.known(name).is_none() {
        return Err(text!(
            format!("录入站 {name} 未在本主控台配对"),
            format!("station {name} is not paired with this console")
        ));
    }
    Ok(pairing_code(&stored_key(engine, name)?))
}

/// At a station: this database becomes station `name`, with the code the main console showed.
pub fn pair(engine: &mut Engine, name: &str, code: &str) -> Result<String, Text> {
    station_name_rule(name)?;
    let key = parse_code(code)?;
    let id = key_id(&key);
    engine
        .execute_keyed(
            Action::PairStation {
                station: name.to_string(),
                key_id: id.clone(),
            },
            name,
            &hex(&key),
        )
        .map_err(|e| e.text())?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_to_its_key_and_catches_a_typo() {
        let key = [7u8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255];
        let c = pairing_code(&key);
        assert_eq!(c.len(), 9 * 4 + 8);
        assert_eq!(parse_code(&c).unwrap(), key.to_vec());
        assert_eq!(
            parse_code(&c.to_lowercase().replace('-', " ")).unwrap(),
            key.to_vec()
        );
        // one digit wrong
        let mut typo: Vec<char> = c.chars().collect();
        typo[0] = if typo[0] == '0' { '1' } else { '0' };
        let typo: String = typo.into_iter().collect();
        assert!(parse_code(&typo).unwrap_err().en.contains("typo"));
        assert!(parse_code("1234").is_err());
    }

    #[test]
    fn tags_depend_on_the_key_and_every_byte() {
        let k1 = [1u8; KEY_LEN];
        let k2 = [2u8; KEY_LEN];
        let t = tag(&k1, b"papers");
        assert!(tag_ok(&k1, b"papers", &t));
        assert!(!tag_ok(&k2, b"papers", &t));
        assert!(!tag_ok(&k1, b"papers!", &t));
        assert!(!tag_ok(&k1, b"papers", "zz"));
        assert_ne!(key_id(&k1), key_id(&k2));
    }
}
