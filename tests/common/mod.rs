//! Shared harness for end-to-end tests: the console in a pseudo-terminal ([`pty`]) and a
//! small meeting to run it on ([`meeting`]).
//!
//! Each integration test file that uses it says `mod common;`; not every file uses every part.
#![allow(dead_code)]

pub mod lab;
pub mod meeting;
pub mod pty;

#[allow(unused_imports)]
pub use meeting::{COLS, DEPUTIES, Meeting, ROWS, huiwu, ok, refused, text};
#[allow(unused_imports)]
pub use pty::{Console, Timeout, WAIT, framed, key};

/// What is left of the raw output after the last time the console left the alternate screen,
/// with escape sequences removed: it must be blank if the terminal was restored after the
/// last draw. Panics (with the tail) if the alternate screen was never left, or re-entered.
#[track_caller]
pub fn after_restore(raw: &[u8]) -> String {
    try_after_restore(raw).unwrap_or_else(|e| panic!("{e}"))
}

/// [`after_restore`], saying what is wrong instead of panicking.
pub fn try_after_restore(raw: &[u8]) -> Result<String, String> {
    const ENTER: &[u8] = b"\x1b[?1049h";
    const LEAVE: &[u8] = b"\x1b[?1049l";
    let last = |needle: &[u8]| raw.windows(needle.len()).rposition(|w| w == needle);
    let tail_of = |at: usize| String::from_utf8_lossy(&raw[at..]).into_owned();
    let Some(leave) = last(LEAVE) else {
        let from = raw.len().saturating_sub(400);
        return Err(format!(
            "the console never left the alternate screen; the output ends with {:?}",
            tail_of(from)
        ));
    };
    if let Some(enter) = last(ENTER)
        && enter > leave
    {
        return Err(format!(
            "the alternate screen was entered again after it was left: {:?}",
            tail_of(enter)
        ));
    }
    Ok(strip_escapes(&raw[leave + LEAVE.len()..]))
}

/// Text with ANSI escape sequences (CSI, OSC, two-byte ESC) taken out.
pub fn strip_escapes(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('[') => {
                // parameters and intermediates, then one final byte in @..~
                for c in it.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                // OSC: up to BEL or ESC \
                while let Some(c) = it.next() {
                    if c == '\x07' {
                        break;
                    }
                    if c == '\x1b' {
                        it.next();
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A drawn buffer as text, one line per row, a double-width character written once.
pub fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    use unicode_width::UnicodeWidthStr;
    let (w, h) = (buf.area.width, buf.area.height);
    let mut out = String::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            x += sym.width().max(1) as u16;
        }
        out.push('\n');
    }
    out
}
