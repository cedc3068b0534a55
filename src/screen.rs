//! The facilitator's screen as a program: the terminal, the event loop, and the two
//! halves it joins, `app` (events become actions, actions change the state) and `ui`
//! (drawing the state). Neither half knows the other's insides; this is where they meet.
use crate::app::{self, Action, Flow, Options, Section, State, terminal, tick, update};
use crate::store::Workshop;
use crossterm::event::{self, Event};
use std::time::Duration;

/// The state the screen opens on, measured by the drawing code (for scrolling).
pub fn initial_state(ws: &mut Workshop, options: &Options) -> anyhow::Result<State> {
    let mut state = app::initial_state(ws, options)?;
    state.measure = crate::ui::MEASURE;
    Ok(state)
}

/// Runs the alignment screen on an open workshop until the user quits.
pub fn run(mut workshop: Workshop, options: Options) -> anyhow::Result<()> {
    // Everything that can fail on bad input fails here, before the terminal changes.
    let mut state = initial_state(&mut workshop, &options)?;
    let signals = terminal::watch_signals()?;
    let mut guard = terminal::enter()?;
    let size = guard.terminal.size()?;
    update(
        &mut state,
        &mut workshop,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    );
    let mut dirty = true;
    loop {
        if let Some(signal) = signals.terminated() {
            // Everything is saved already; give the terminal back and end as killed.
            drop(guard);
            drop(workshop);
            std::process::exit(128 + signal);
        }
        if signals.take_suspend() {
            guard.suspend()?;
            dirty = true;
        }
        if dirty {
            guard
                .terminal
                .draw(|frame| crate::ui::draw(&state, frame))?;
            dirty = false;
        }
        // Idle, the screen looks for others' changes five times a second: one pragma
        // each when nothing happened.
        if !event::poll(Duration::from_millis(200))? {
            dirty |= tick(&mut state, &workshop);
            continue;
        }
        // Take every pending event before drawing again, so held keys never queue up.
        loop {
            let ev = event::read()?;
            if is_suspend_key(&ev) {
                guard.suspend()?;
                dirty = true;
                break;
            }
            let actions: Vec<Action> = match &ev {
                Event::Paste(text) if app::input::sections(&state)[0] == Section::Input => text
                    .chars()
                    .map(|c| Action::Insert(if c.is_control() { ' ' } else { c }))
                    .collect(),
                _ => app::action_for(&state, &ev).into_iter().collect(),
            };
            for a in actions {
                dirty = true;
                if update(&mut state, &mut workshop, a) == Flow::Quit {
                    return Ok(());
                }
            }
            if !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
}

/// Ctrl-Z, which raw mode delivers as a key instead of SIGTSTP.
fn is_suspend_key(ev: &Event) -> bool {
    use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    matches!(ev, Event::Key(k) if k.code == KeyCode::Char('z')
        && k.modifiers.contains(KeyModifiers::CONTROL)
        && k.kind != KeyEventKind::Release)
}
