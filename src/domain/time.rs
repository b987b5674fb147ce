//! The time every entry carries: a wall-clock instant with its UTC offset (the hall's own
//! time). A leaf: the rules that stamp a paper, a phase or a note take it from here, not from
//! `action`, so the state's modules do not import the action list back.

pub type Ts = chrono::DateTime<chrono::FixedOffset>;
