#![no_main]
// Any bytes as a paper CSV, and as a roster CSV (UTF-8 or GBK).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = huiwu::untrusted::paper_csv(data);
    let _ = huiwu::untrusted::roster(data);
});
