//! Entering and leaving the terminal's full-screen mode. The terminal is restored
//! however the screen ends: return, error, panic (hook), Ctrl-C (a key in raw mode,
//! handled as quit), or a terminating signal from outside (the process then exits with
//! 128 + the signal's number, as a shell reports a killed program). Ctrl-Z (a key in
//! raw mode) and SIGTSTP suspend: the terminal is given back, the process stops, and on
//! `fg` (SIGCONT) the screen takes the terminal again and redraws.
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
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

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

/// Signals that end the screen: their default action would kill the process and
/// leave the terminal raw, in the alternate screen, cursor hidden, mouse reporting on.
const TERMINATING: &[i32] = {
    use signal_hook::consts::*;
    &[
        SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
        SIGXFSZ,
    ]
};

/// What the signal thread tells the event loop, which checks between events.
#[derive(Debug, Default)]
pub struct SignalState {
    /// The terminating signal received, 0 while none.
    terminated: AtomicI32,
    /// SIGTSTP arrived: suspend at the next turn of the loop.
    suspend: AtomicBool,
}

impl SignalState {
    /// The terminating signal received, if any.
    pub fn terminated(&self) -> Option<i32> {
        Some(self.terminated.load(Ordering::Relaxed)).filter(|&s| s != 0)
    }

    /// True once per SIGTSTP.
    pub fn take_suspend(&self) -> bool {
        self.suspend.swap(false, Ordering::Relaxed)
    }
}

/// Starts the signal thread. A terminating signal is recorded for the event loop, which
/// restores the terminal and exits with 128 + signal.
///
/// The thread backs the loop up: when the terminal has hung up, crossterm's read can
/// spin without returning to the loop, so if the loop has not ended a second after the
/// signal, the thread restores the terminal and exits itself. Nothing is lost by that:
/// every change was committed to the workshop when it was made.
pub fn watch_signals() -> anyhow::Result<Arc<SignalState>> {
    use signal_hook::consts::SIGTSTP;
    let state = Arc::new(SignalState::default());
    let mut wanted = TERMINATING.to_vec();
    wanted.push(SIGTSTP);
    let mut signals = signal_hook::iterator::Signals::new(&wanted)?;
    let seen = Arc::clone(&state);
    std::thread::Builder::new()
        .name("signal-watchdog".into())
        .spawn(move || {
            for signal in signals.forever() {
                if signal == SIGTSTP {
                    seen.suspend.store(true, Ordering::Relaxed);
                    continue;
                }
                seen.terminated.store(signal, Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_secs(1));
                restore();
                std::process::exit(128 + signal);
            }
        })?;
    Ok(state)
}

impl Guard {
    /// Ctrl-Z: gives the terminal back, stops the process as the shell expects, and
    /// when it is continued takes the terminal again and redraws everything.
    pub fn suspend(&mut self) -> anyhow::Result<()> {
        restore();
        signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
        // Here again after SIGCONT (`fg`).
        enable_raw_mode()?;
        execute!(
            stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste,
            crossterm::cursor::Hide
        )?;
        self.terminal.clear()?;
        Ok(())
    }
}
