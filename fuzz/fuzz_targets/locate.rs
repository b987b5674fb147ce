#![no_main]
// Any small grey picture looked at as a sheet: corner squares and QR code sought in noise.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let w = u32::from(u16::from_le_bytes([data[0], data[1]])) % 700 + 1;
    let h = u32::from(u16::from_le_bytes([data[2], data[3]])) % 900 + 1;
    let _ = huiwu::untrusted::locate(w, h, &data[4..]);
});
