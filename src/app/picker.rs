//! Choosing which frameworks sit left and right, when the workshop holds more than two.
//! The choice is remembered in the workshop (settings screen.left / screen.right).
use super::Action;
use super::state::{Popup, State, Tone};
use crate::model::Side;
use crate::store::{FrameworkSummary, Workshop};

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub cursor: usize,
    /// The framework chosen for the left pane (an index into `State::frameworks`).
    pub left: Option<usize>,
}

impl Picker {
    /// Starts on the first educator framework.
    pub fn new(frameworks: &[FrameworkSummary]) -> Picker {
        let cursor = frameworks
            .iter()
            .position(|f| f.side == Side::Educator)
            .unwrap_or(0);
        Picker { cursor, left: None }
    }
}

pub fn open(state: &mut State, ws: &Workshop) {
    match ws.frameworks() {
        Ok(all) => state.frameworks = all,
        Err(e) => return state.say(Tone::Error, format!("cannot list frameworks: {e}")),
    }
    if state.frameworks.len() < 2 {
        state.say(
            Tone::Info,
            "the workshop holds fewer than two frameworks: nothing to choose",
        );
        return;
    }
    state.popup = Some(Popup::Picker(Picker::new(&state.frameworks)));
}

fn close(state: &mut State) {
    state.popup = None;
    if state.panes[0].is_empty() {
        state.say(
            Tone::Info,
            "no frameworks on screen: press p to choose them",
        );
    }
}

pub fn handle(state: &mut State, ws: &mut Workshop, action: Action) {
    let Some(Popup::Picker(picker)) = &state.popup else {
        return;
    };
    let mut p = picker.clone();
    let n = state.frameworks.len();
    if n == 0 {
        return close(state);
    }
    let chosen = match action {
        Action::Up => {
            p.cursor = (p.cursor + n - 1) % n;
            None
        }
        Action::Down => {
            p.cursor = (p.cursor + 1) % n;
            None
        }
        Action::Choose(d) if (1..=n).contains(&(d as usize)) => Some(d as usize - 1),
        Action::Select => Some(p.cursor),
        Action::Cancel if p.left.is_none() => return close(state),
        Action::Cancel => {
            p.left = None;
            None
        }
        _ => None,
    };
    match (chosen, p.left) {
        (None, _) => state.popup = Some(Popup::Picker(p)),
        (Some(c), None) => {
            p.left = Some(c);
            // Suggest the first employer framework for the right.
            p.cursor = (0..n)
                .find(|&i| i != c && state.frameworks[i].side == Side::Employer)
                .or((0..n).find(|&i| i != c))
                .unwrap_or(0);
            state.popup = Some(Popup::Picker(p));
        }
        (Some(c), Some(left)) if c == left => {
            state.say(
                Tone::Error,
                "that one is already on the left: choose another for the right",
            );
        }
        (Some(c), Some(left)) => {
            let (l, r) = (state.frameworks[left].clone(), state.frameworks[c].clone());
            state.popup = None;
            let kept = state.cursor_items();
            let saved = ws
                .set_setting("screen.left", &l.identifier)
                .and_then(|()| ws.set_setting("screen.right", &r.identifier));
            match saved
                .map_err(anyhow::Error::from)
                .and_then(|()| state.load_pair(ws, Some(l.id), Some(r.id)))
            {
                Ok(()) => {
                    state.put_cursors_back(&kept);
                    state.say(Tone::Done, format!("left: {}, right: {}", l.title, r.title));
                    // The screen opened on this picker; who is at the keyboard comes next.
                    if state.session.is_running() && state.session.actor.is_none() {
                        super::consensus::start_participant(state);
                    }
                }
                Err(e) => state.say(Tone::Error, format!("cannot open those frameworks: {e}")),
            }
        }
    }
}
