#![no_main]
// Any bytes as a session file (its roster, when it names one, the sample roster).
const ROSTER: &[u8] = include_bytes!("../../sessions/hexi-roster.csv");
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = huiwu::untrusted::session(data, ROSTER);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = huiwu::untrusted::print(s);
    }
});
