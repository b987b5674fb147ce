#![no_main]
// Any bytes, as huiwu::untrusted::sheet reads them: taken or refused, never a panic.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = huiwu::untrusted::sheet(data);
});
