//! The alignment screen's logic: events become actions (`input`), actions change the
//! state (`update`), others' changes come in (`live`). No drawing here: `ui` draws the
//! state and `crate::screen` runs the two together in a terminal. Every change goes to
//! the workshop at once.
mod action;
mod config;
mod consensus;
mod history;
pub mod input;
pub mod invite;
mod jump;
mod keymap;
pub mod layout;
mod link_flow;
mod link_list;
mod live;
mod matrix;
pub mod matrix_layout;
mod mouse;
mod pane;
mod people;
mod picker;
mod search;
mod session;
mod state;
mod suggestions;
pub mod terminal;
mod text_input;
mod update;

pub use action::Action;
pub use config::{config_dir, load_keymap, load_themes, theme_index};
pub use consensus::{Choice, ChoiceAbout, Remark, RemarkFor};
pub use history::{Change, History};
pub use input::action_for;
pub use jump::{JumpTo, SHOWN as JUMP_SHOWN};
pub use keymap::{DEFAULT_KEYS, Key, Keymap, Section};
pub use link_flow::{LinkFlow, STRENGTHS, Step, Target};
pub use link_list::{LinkList, SortBy};
pub use live::sync;
pub use matrix::Matrix;
pub use pane::{Pane, haystack};
pub use picker::Picker;
pub use search::{Haystacks, RANK_LIMIT, Ranked, Search, Tier, match_indices, rank};
pub use session::{Record, Session, StatusFilter, headline_status, status_bit, verdict_mark};
pub use state::{
    Detail, Focus, LEFT, Measure, Message, Popup, Progress, RIGHT, ScreenLink, Selection, State,
    Tone,
};
pub use suggestions::{SHOWN as SUGGESTIONS_SHOWN, Suggestions, suggestion_rows};
pub use text_input::TextInput;
pub use update::{Flow, tick, update};

use crate::store::Workshop;
use std::path::PathBuf;

/// "1 hit", "2 hits": a count with its noun, for messages and titles.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

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
