//! The terminal console: set-up and restore of the terminal, and the event loop.

pub mod app;
pub mod bigtext;
pub mod confirm;
pub mod count;
pub mod double;
pub mod entry;
pub mod input;
pub mod intent;
pub mod keys;
pub mod projector;
pub mod purpose;
pub mod scan;
pub mod screens;
pub mod view;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event};

use crate::engine::Engine;
use crate::i18n::Lang;
use app::App;

/// How long to wait for a key before checking signals and other terminals' writes.
const IDLE_POLL: Duration = Duration::from_millis(250);

/// A flag raised by SIGTERM, SIGHUP or SIGINT: the loops check it and restore the terminal.
pub fn stop_flag() -> std::io::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    Ok(stop)
}

/// Start a watchdog and crossterm's event source before the first draw.
///
/// The watchdog ends the process a second after a stop signal if the event loop could not
/// (crossterm loops on a closed terminal without returning); every acknowledged action is
/// already committed, so nothing is lost. Polling once creates crossterm's SIGWINCH handler
/// before the size is read, so a resize during start-up is not missed.
fn prepare(stop: &Arc<AtomicBool>) {
    let flag = Arc::clone(stop);
    std::thread::spawn(move || {
        while !flag.load(Ordering::Relaxed) {
            std::thread::sleep(IDLE_POLL);
        }
        std::thread::sleep(Duration::from_secs(1));
        let _ = ratatui::try_restore();
        std::process::exit(0);
    });
    let _ = event::poll(Duration::ZERO);
}

/// The hall's projector view (read-only).
pub fn run_projector(engine: Engine, lang: Lang) -> std::io::Result<()> {
    let stop = stop_flag()?;
    prepare(&stop);
    projector::run(engine, lang, &stop)
}

pub fn run(engine: Engine, lang: Lang) -> std::io::Result<()> {
    run_with(engine, lang, false)
}

/// `fault_ack_first` breaks the commit-before-acknowledge rule on purpose (crash-suite negative
/// control only).
pub fn run_with(engine: Engine, lang: Lang, fault_ack_first: bool) -> std::io::Result<()> {
    let stop = stop_flag()?;
    // ratatui::init installs a panic hook that restores the terminal before the message prints.
    prepare(&stop);
    let mut terminal = ratatui::try_init()?;
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::EnableBracketedPaste
    );
    let mut app = App::new(engine, lang);
    app.fault_ack_first = fault_ack_first;
    app.terminal_graphics = true;
    let result = event_loop(&mut terminal, app, &stop);
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::DisableBracketedPaste
    );
    // try_restore: on a closed terminal, restore's error report would itself panic.
    let _ = ratatui::try_restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    mut app: App,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    let mut dirty = true;
    let mut last_tick = Instant::now();
    while !app.quit {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if dirty {
            // The size the operator sees: keys do nothing on a screen too small to show them.
            let frame = terminal.draw(|f| view::render(&app, f))?;
            app.size = (frame.area.width, frame.area.height);
            dirty = false;
        }
        // A running clock needs a redraw each second; otherwise only input or others' writes do.
        let ticking = app.engine.state().running().is_some();
        let wait = if ticking {
            Duration::from_secs(1)
                .saturating_sub(last_tick.elapsed())
                .min(IDLE_POLL)
        } else {
            IDLE_POLL
        };
        // Under fault injection the acknowledged action is committed a moment later.
        let wait = if app.deferred.is_some() {
            wait.min(Duration::from_millis(300))
        } else {
            wait
        };
        // Scans waiting in the watched folder: look again soon, keys still come first.
        let wait = if app.scanning() {
            wait.min(Duration::from_millis(20))
        } else {
            wait
        };
        let event = event::poll(wait)?;
        // The early acknowledgment has been drawn; commit it now (or before the next key).
        app.flush_deferred();
        if event {
            match event::read()? {
                Event::Key(k) => dirty |= app.on_key(k),
                Event::Resize(w, h) => {
                    app.size = (w, h);
                    dirty = true;
                }
                Event::Paste(s) => dirty |= app.on_paste(&s),
                _ => {}
            }
        }
        if ticking && last_tick.elapsed() >= Duration::from_secs(1) {
            last_tick = Instant::now();
            dirty = true;
        }
        dirty |= app.refresh();
    }
    Ok(())
}
