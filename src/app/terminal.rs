//! Entering and leaving the terminal's full-screen mode. The terminal is restored
//! however the screen ends: return, error, panic (hook), Ctrl-C (a key in raw mode,
//! handled as quit), SIGTERM or SIGHUP (a flag the event loop polls).
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{Stdout, stdout};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Puts the terminal back as it was; safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal when dropped, so `?` and early returns leave it usable.
pub struct Guard {
    pub terminal: Term,
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

pub fn enter() -> anyhow::Result<Guard> {
    install_panic_hook();
    enable_raw_mode()?;
    let mut out = stdout();
    if let Err(e) = execute!(
        out,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    ) {
        restore();
        return Err(e.into());
    }
    let terminal = Terminal::new(CrosstermBackend::new(out)).inspect_err(|_| restore())?;
    Ok(Guard { terminal })
}

/// The terminal first, then the usual panic message, so the message is readable.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Set when SIGTERM or SIGHUP arrives; the event loop checks it between events.
///
/// A watchdog thread backs the flag up: when the terminal has hung up, crossterm's read
/// can spin without returning to the loop, so if the loop has not ended a second after
/// the signal, the watchdog restores the terminal and exits. Nothing is lost by that:
/// every change was committed to the workshop when it was made.
pub fn termination_flag() -> anyhow::Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let flag = Arc::new(AtomicBool::new(false));
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    let seen = Arc::clone(&flag);
    std::thread::Builder::new()
        .name("signal-watchdog".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                seen.store(true, std::sync::atomic::Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_secs(1));
                restore();
                std::process::exit(128 + signal);
            }
        })?;
    Ok(flag)
}
