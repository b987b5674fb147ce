//! A real terminal for the console: the `huiwu` binary runs in a pseudo-terminal, a reader
//! thread feeds everything it prints into a `vt100` screen (and keeps the raw bytes), and the
//! test types keys and reads the screen back — what an operator would see.

use std::fmt;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::BorrowedFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// How long a wait lasts unless the test says otherwise (CI machines are slow and shared).
pub const WAIT: Duration = Duration::from_secs(15);
/// How often the screen is looked at while waiting.
const POLL: Duration = Duration::from_millis(5);
/// Pause after each chunk of keys, so the console sees them as separate key presses.
const KEY_PAUSE: Duration = Duration::from_millis(40);

/// Keys as a terminal sends them.
pub mod key {
    pub const ENTER: &str = "\r";
    pub const ESC: &str = "\x1b";
    pub const TAB: &str = "\t";
    pub const BACKSPACE: &str = "\x7f";
    pub const UP: &str = "\x1b[A";
    pub const DOWN: &str = "\x1b[B";
    pub const RIGHT: &str = "\x1b[C";
    pub const LEFT: &str = "\x1b[D";
    pub const CTRL_C: &str = "\x03";
    pub const CTRL_D: &str = "\x04";
    pub const CTRL_O: &str = "\x0f";
    pub const CTRL_P: &str = "\x10";
    pub const F2: &str = "\x1bOQ";
    pub const F3: &str = "\x1bOR";
    pub const F4: &str = "\x1bOS";
    pub const F5: &str = "\x1b[15~";
    pub const F6: &str = "\x1b[17~";
    pub const F7: &str = "\x1b[18~";
    pub const F8: &str = "\x1b[19~";
    pub const F9: &str = "\x1b[20~";
    pub const F12: &str = "\x1b[24~";
}

/// The terminal's side of the conversation: the emulated screen and every byte received.
struct Term {
    parser: vt100::Parser,
    raw: Vec<u8>,
}

struct Shared {
    term: Mutex<Term>,
    /// The reader saw end of output (the child and every copy of the terminal are gone).
    eof: AtomicBool,
    /// Asked to let go of the terminal (see [`Console::hangup`]).
    hangup: AtomicBool,
    /// The reader has let go of its handle on the terminal.
    released: AtomicBool,
}

impl Shared {
    fn term(&self) -> MutexGuard<'_, Term> {
        // A panic elsewhere must not hide the screen from the failure message.
        self.term.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A wait that ran out of time: what was awaited, and the screen at that moment.
pub struct Timeout {
    pub what: String,
    pub after: Duration,
    pub screen: String,
    pub exited: Option<String>,
}

impl fmt::Debug for Timeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "timed out after {:.1?} waiting for {}",
            self.after, self.what
        )?;
        if let Some(e) = &self.exited {
            writeln!(f, "(the console has exited: {e})")?;
        }
        writeln!(f, "screen:\n{}", framed(&self.screen))
    }
}

impl fmt::Display for Timeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// The screen with a border, so trailing blanks and empty rows are visible in a failure.
pub fn framed(screen: &str) -> String {
    let mut out = String::from("┌────\n");
    for line in screen.split('\n') {
        out.push('│');
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("└────");
    out
}

/// One `huiwu` process in its own pseudo-terminal.
pub struct Console {
    master: Option<Box<dyn MasterPty + Send>>,
    /// Our own copy of the master end for typing. (portable-pty's `take_writer` is not used:
    /// dropping it types a newline and ^D into the terminal, which would submit open prompts.)
    writer: Option<File>,
    child: Box<dyn Child + Send + Sync>,
    pid: u32,
    tty: Option<PathBuf>,
    shared: Arc<Shared>,
    reader: Option<JoinHandle<()>>,
    status: Option<ExitStatus>,
}

impl Console {
    /// Start the `huiwu` binary with `args` in a `cols`×`rows` terminal (TERM=xterm-256color),
    /// working directory `cwd`.
    pub fn spawn<S: AsRef<std::ffi::OsStr>>(
        args: &[S],
        cwd: &Path,
        cols: u16,
        rows: u16,
    ) -> Console {
        Self::spawn_program(env!("CARGO_BIN_EXE_huiwu"), args, cwd, cols, rows)
    }

    pub fn spawn_program<S: AsRef<std::ffi::OsStr>>(
        program: &str,
        args: &[S],
        cwd: &Path,
        cols: u16,
        rows: u16,
    ) -> Console {
        let pair = native_pty_system()
            .openpty(size(cols, rows))
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(program);
        for a in args {
            cmd.arg(a);
        }
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("RUST_BACKTRACE", "1");
        cmd.env_remove("COLUMNS");
        cmd.env_remove("LINES");
        let child = pair
            .slave
            .spawn_command(cmd)
            .expect("start huiwu in the terminal");
        // Only the child may hold the terminal's slave end: when it exits, the reader sees EOF.
        drop(pair.slave);
        let master = pair.master;
        let pid = child.process_id().expect("the child has a pid");
        let tty = master.tty_name();
        let writer = {
            let fd = master
                .as_raw_fd()
                .expect("a unix pty has a file descriptor");
            // SAFETY: `master` owns `fd` and is alive here; we only duplicate it.
            let fd = unsafe { BorrowedFd::borrow_raw(fd) };
            File::from(fd.try_clone_to_owned().expect("duplicate the pty master"))
        };
        let mut reader = master.try_clone_reader().expect("pty reader");
        let shared = Arc::new(Shared {
            term: Mutex::new(Term {
                parser: vt100::Parser::new(rows, cols, 0),
                raw: Vec::new(),
            }),
            eof: AtomicBool::new(false),
            hangup: AtomicBool::new(false),
            released: AtomicBool::new(false),
        });
        let s = Arc::clone(&shared);
        let handle = std::thread::Builder::new()
            .name(format!("pty-reader-{pid}"))
            .spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    if s.hangup.load(Ordering::SeqCst) {
                        break;
                    }
                    match reader.read(&mut buf) {
                        // EIO once the child and every slave handle are gone: end of output.
                        Ok(0) | Err(_) => {
                            s.eof.store(true, Ordering::SeqCst);
                            break;
                        }
                        Ok(n) => {
                            let mut t = s.term();
                            t.raw.extend_from_slice(&buf[..n]);
                            t.parser.process(&buf[..n]);
                        }
                    }
                }
                drop(reader);
                s.released.store(true, Ordering::SeqCst);
            })
            .expect("start the pty reader thread");
        Console {
            master: Some(master),
            writer: Some(writer),
            child,
            pid,
            tty,
            shared,
            reader: Some(handle),
            status: None,
        }
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Type `keys` (bytes as a terminal sends them; Chinese text arrives as UTF-8 in one piece,
    /// like an input method's commit), then pause briefly.
    pub fn send(&mut self, keys: &str) {
        let w = self.writer.as_mut().expect("the terminal has been closed");
        w.write_all(keys.as_bytes())
            .expect("type into the terminal");
        w.flush().expect("flush the terminal");
        std::thread::sleep(KEY_PAUSE);
    }

    /// Type `keys` without the pause a person takes: for harnesses that wait for the screen's
    /// answer themselves (the crash suite waits for each acknowledgment).
    pub fn send_now(&mut self, keys: &str) {
        let w = self.writer.as_mut().expect("the terminal has been closed");
        w.write_all(keys.as_bytes())
            .expect("type into the terminal");
        w.flush().expect("flush the terminal");
    }

    /// Type several keys, one at a time.
    pub fn send_each(&mut self, keys: &[&str]) {
        for k in keys {
            self.send(k);
        }
    }

    /// What the screen shows now (rows joined by `\n`, trailing blanks trimmed).
    pub fn screen(&self) -> String {
        self.shared.term().parser.screen().contents()
    }

    /// One row of the screen.
    pub fn row(&self, row: u16) -> String {
        let t = self.shared.term();
        let (_, cols) = t.parser.screen().size();
        t.parser.screen().contents_between(row, 0, row, cols)
    }

    /// Everything the console wrote to the terminal so far.
    pub fn raw(&self) -> Vec<u8> {
        self.shared.term().raw.clone()
    }

    /// Whether the raw output so far contains `needle`.
    pub fn raw_contains(&self, needle: &[u8]) -> bool {
        let t = self.shared.term();
        t.raw.windows(needle.len()).any(|w| w == needle)
    }

    /// Wait (polling every millisecond) until the raw output contains `needle`.
    pub fn wait_raw(&mut self, needle: &[u8], timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.raw_contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        false
    }

    /// Whether the emulated terminal is on the alternate screen.
    pub fn alternate_screen(&self) -> bool {
        self.shared.term().parser.screen().alternate_screen()
    }

    /// Whether the cursor is hidden.
    pub fn cursor_hidden(&self) -> bool {
        self.shared.term().parser.screen().hide_cursor()
    }

    /// Wait until `ok(screen)` holds; on timeout the error carries the screen.
    pub fn wait_until(
        &mut self,
        what: &str,
        timeout: Duration,
        ok: impl Fn(&str) -> bool,
    ) -> Result<String, Timeout> {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return Ok(screen);
            }
            if start.elapsed() >= timeout {
                let exited = self.poll_exit().map(|s| s.to_string());
                return Err(Timeout {
                    what: what.to_string(),
                    after: start.elapsed(),
                    screen: self.screen(),
                    exited,
                });
            }
            std::thread::sleep(POLL);
        }
    }

    /// Wait until `needle` is on screen; returns the screen.
    pub fn wait_for(&mut self, needle: &str, timeout: Duration) -> Result<String, Timeout> {
        self.wait_until(&format!("{needle:?} on screen"), timeout, |s| {
            s.contains(needle)
        })
    }

    /// Wait until `needle` is no longer on screen.
    pub fn wait_gone(&mut self, needle: &str, timeout: Duration) -> Result<String, Timeout> {
        self.wait_until(&format!("{needle:?} to leave the screen"), timeout, |s| {
            !s.contains(needle)
        })
    }

    /// Wait until every one of `needles` is on screen at once (a frame arrives in pieces:
    /// seeing its first line does not mean its last one is there yet).
    pub fn wait_all(&mut self, needles: &[&str], timeout: Duration) -> Result<String, Timeout> {
        self.wait_until(&format!("all of {needles:?} on screen"), timeout, |s| {
            needles.iter().all(|n| s.contains(n))
        })
    }

    /// [`wait_all`](Self::wait_all) with the default timeout, panicking with the screen.
    #[track_caller]
    pub fn expect_all(&mut self, needles: &[&str]) -> String {
        match self.wait_all(needles, WAIT) {
            Ok(s) => s,
            Err(t) => panic!("{t:?}"),
        }
    }

    /// Wait until the console has written nothing for `quiet` (the frame being drawn is
    /// complete), at most [`WAIT`]; returns the screen.
    pub fn settle(&mut self, quiet: Duration) -> String {
        let start = Instant::now();
        let mut len = self.shared.term().raw.len();
        let mut since = Instant::now();
        while since.elapsed() < quiet && start.elapsed() < WAIT {
            std::thread::sleep(POLL);
            let now = self.shared.term().raw.len();
            if now != len {
                len = now;
                since = Instant::now();
            }
        }
        self.screen()
    }

    /// [`wait_for`](Self::wait_for) with the default timeout, panicking with the screen.
    #[track_caller]
    pub fn expect(&mut self, needle: &str) -> String {
        match self.wait_for(needle, WAIT) {
            Ok(s) => s,
            Err(t) => panic!("{t:?}"),
        }
    }

    /// Type `keys`, then wait for `needle` (panics with the screen on timeout).
    #[track_caller]
    pub fn press(&mut self, keys: &str, needle: &str) -> String {
        self.send(keys);
        self.expect(needle)
    }

    /// Wait for a confirmation and type the digit it asks for (`按 7 …` / `Press 7 …`), as the
    /// operator reads it off the screen; then wait for `needle`.
    #[track_caller]
    pub fn answer(&mut self, needle: &str) -> String {
        let screen = self.expect_any(&["按 ", "Press "]);
        let digit = screen
            .split(['按', '│'])
            .chain(screen.split("Press"))
            .filter_map(|part| {
                let t = part.trim_start();
                let c = t.chars().next()?;
                (('5'..='9').contains(&c) && t[c.len_utf8()..].starts_with(' ')).then_some(c)
            })
            .next()
            .unwrap_or_else(|| panic!("no answer digit on screen:\n{screen}"));
        self.press(&digit.to_string(), needle)
    }

    /// Wait until any of `needles` is on screen.
    #[track_caller]
    pub fn expect_any(&mut self, needles: &[&str]) -> String {
        match self.wait_until("a confirmation", WAIT, |s| {
            needles.iter().any(|n| s.contains(n))
        }) {
            Ok(s) => s,
            Err(t) => panic!("{t:?}"),
        }
    }

    /// Resize the terminal (the console gets SIGWINCH) and the emulated screen with it.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let master = self.master.as_ref().expect("the terminal has been closed");
        // Resize the emulator first: what the console draws after SIGWINCH is for the new size.
        self.shared.term().parser.screen_mut().set_size(rows, cols);
        master.resize(size(cols, rows)).expect("resize the pty");
    }

    /// The terminal modes of the console's tty as `stty -a` prints them (None once closed).
    pub fn stty(&self) -> Option<String> {
        let tty = self.tty.as_ref()?;
        self.master.as_ref()?;
        let out = std::process::Command::new("stty")
            .arg("-a")
            .arg("-F")
            .arg(tty)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Send a signal by name (`TERM`, `HUP`, `INT`, `KILL`, …) with `kill(1)`.
    pub fn signal(&mut self, name: &str) {
        let st = std::process::Command::new("kill")
            .args(["-s", name, &self.pid.to_string()])
            .status()
            .expect("run kill");
        assert!(st.success(), "kill -s {name} {} failed", self.pid);
    }

    /// SIGKILL: the power cut. Waits for the process to be gone.
    pub fn kill9(&mut self) -> ExitStatus {
        self.signal("KILL");
        self.wait_exit(WAIT)
            .expect("a process does not survive SIGKILL")
    }

    /// Close the terminal, as when the operator's window or SSH connection goes away: every
    /// handle on the master end is closed, so the kernel hangs up the console's tty (SIGHUP,
    /// then EIO on reads and writes). Returns once the last handle is closed.
    pub fn hangup(&mut self) {
        self.shared.hangup.store(true, Ordering::SeqCst);
        // The reader is blocked in read(): any output wakes it so it can let go. A resize makes
        // the console redraw (and a running clock redraws every second anyway).
        if let Some(m) = &self.master
            && let Ok(s) = m.get_size()
        {
            let _ = m.resize(size(s.cols, s.rows.saturating_sub(1).max(1)));
        }
        let start = Instant::now();
        while !self.shared.released.load(Ordering::SeqCst) {
            assert!(
                start.elapsed() < WAIT,
                "the pty reader did not wake up to close the terminal"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        self.writer = None;
        self.master = None;
    }

    /// The exit status, if the console has exited (does not wait).
    pub fn poll_exit(&mut self) -> Option<ExitStatus> {
        if self.status.is_none()
            && let Ok(Some(st)) = self.child.try_wait()
        {
            self.status = Some(st);
        }
        self.status.clone()
    }

    /// Wait up to `timeout` for the console to exit. Once it has, also waits (briefly) for the
    /// reader to take in the last bytes, so [`raw`](Self::raw) and the screen are complete.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        let st = loop {
            if let Some(st) = self.poll_exit() {
                break st;
            }
            if start.elapsed() >= timeout {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let drain = Instant::now();
        while !self.shared.eof.load(Ordering::SeqCst)
            && !self.shared.released.load(Ordering::SeqCst)
            && drain.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        Some(st)
    }

    /// Whether the console is still running.
    pub fn is_running(&mut self) -> bool {
        self.poll_exit().is_none()
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        if self.poll_exit().is_none() {
            let _ = std::process::Command::new("kill")
                .args(["-s", "KILL", &self.pid.to_string()])
                .status();
            let _ = self.child.wait();
        }
        // Closing our ends of the terminal ends the reader (EIO); never block a test on it.
        self.writer = None;
        self.master = None;
        let finished =
            self.shared.eof.load(Ordering::SeqCst) || self.shared.released.load(Ordering::SeqCst);
        if let Some(h) = self.reader.take()
            && finished
        {
            let _ = h.join();
        }
    }
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}
