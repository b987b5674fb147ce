//! The time every entry carries: a wall-clock instant with its UTC offset (the hall's own
//! time). A leaf: the rules that stamp a paper, a phase or a note take it from here, not from
//! `action`, so the state's modules do not import the action list back.

pub type Ts = chrono::DateTime<chrono::FixedOffset>;

/// A time as the projects' report and minutes print it: `2027-07-16 09:08`.
pub fn short_ts(t: &Ts) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}
