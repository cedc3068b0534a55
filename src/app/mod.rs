//! The alignment screen: events become actions (`input`), actions change the state
//! (`update`), `crate::ui::draw` shows it. Every change goes to the workshop at once.
mod action;
mod config;
mod consensus;
mod history;
mod input;
mod keymap;
mod link_flow;
mod matrix;
mod mouse;
mod pane;
mod picker;
mod search;
mod session;
mod state;
mod suggestions;
mod terminal;
mod text_input;
mod update;

pub use action::Action;
pub use config::{config_dir, load_keymap, load_themes, theme_index};
pub use consensus::{Choice, ChoiceAbout, Remark, RemarkFor};
pub use history::{Change, History};
pub use input::action_for;
pub use keymap::{DEFAULT_KEYS, Key, Keymap, Section};
pub use link_flow::{LinkFlow, STRENGTHS, Step, Target};
pub use matrix::Matrix;
pub use pane::Pane;
pub use picker::Picker;
pub use search::{Haystacks, RANK_LIMIT, Search, match_indices, rank};
pub use session::{Record, Session, StatusFilter, headline_status, status_bit, verdict_mark};
pub use state::{
    Detail, Focus, LEFT, Message, Popup, Progress, RIGHT, ScreenLink, Selection, State, Tone,
};
pub use suggestions::{SHOWN as SUGGESTIONS_SHOWN, Suggestions};
pub use text_input::TextInput;
pub use update::{Flow, update};

use crate::store::Workshop;
use crossterm::event::{self, Event};
use std::path::PathBuf;
use std::time::Duration;

/// How the screen starts.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A theme name (built-in or from the config dir's themes/); default: the last used, or dark.
    pub theme: Option<String>,
    /// Where keys.toml and themes/ are read; default: the platform config dir.
    pub config_dir: Option<PathBuf>,
}

/// The state the screen opens on: user keymap and themes read, frameworks loaded.
pub fn initial_state(ws: &mut Workshop, options: &Options) -> anyhow::Result<State> {
    let dir = options.config_dir.clone().or_else(config_dir);
    let (keymap, key_warnings) = load_keymap(dir.as_deref())?;
    let themes = load_themes(dir.as_deref())?;
    let theme = match &options.theme {
        Some(name) => theme_index(&themes, name)?,
        None => ws
            .setting("screen.theme")?
            .and_then(|n| theme_index(&themes, &n).ok())
            .unwrap_or(0),
    };
    let mut state = State::new(ws, keymap, themes, theme)?;
    for w in &key_warnings {
        eprintln!("crosswalk: warning: {}", crate::text::sanitize(w));
    }
    if let Some(first) = key_warnings.first() {
        let more = match key_warnings.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        state.say(Tone::Error, format!("{first}{more}"));
    }
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
        if !event::poll(Duration::from_millis(200))? {
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
                Event::Paste(text) if input::sections(&state)[0] == Section::Input => text
                    .chars()
                    .map(|c| Action::Insert(if c.is_control() { ' ' } else { c }))
                    .collect(),
                _ => action_for(&state, &ev).into_iter().collect(),
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
