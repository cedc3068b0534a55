//! Jump to a code: `:` then the start of a code, in either framework; Tab completes as
//! far as the matching codes agree, Enter goes to the first match (an exact one first).
use super::Action;
use super::state::{Focus, Popup, State, Tone};
use super::text_input::TextInput;

/// Matches the status bar lists at most; the count says how many more.
pub const SHOWN: usize = 5;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct JumpTo {
    pub query: TextInput,
    /// (pane, item) whose code starts with the query (case-blind), exact matches first,
    /// then in tree order, left pane first.
    pub matches: Vec<(usize, usize)>,
}

pub fn start(state: &mut State) {
    if state.panes.iter().all(|p| p.is_empty()) {
        return;
    }
    state.focus_view = false;
    state.popup = Some(Popup::Jump(JumpTo::default()));
}

fn find(state: &State, query: &str) -> Vec<(usize, usize)> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let mut exact = Vec::new();
    let mut prefix = Vec::new();
    for (p, pane) in state.panes.iter().enumerate() {
        for (i, it) in pane.fw.items.iter().enumerate() {
            let code = it.code.to_lowercase();
            if code.starts_with(&q) {
                if code == q {
                    exact.push((p, i));
                } else {
                    prefix.push((p, i));
                }
            }
        }
    }
    exact.extend(prefix);
    exact
}

/// A key while the jump line is open.
pub fn handle(state: &mut State, action: Action) {
    let Some(Popup::Jump(jump)) = &mut state.popup else {
        return;
    };
    match action {
        Action::Cancel => state.popup = None,
        Action::Complete => {
            let codes: Vec<&str> = jump
                .matches
                .iter()
                .map(|&(p, i)| state.panes[p].fw.items[i].code.as_str())
                .collect();
            // As far as every matching code agrees (char by char, case as in the first).
            if let Some(first) = codes.first() {
                let mut end = first.len();
                for c in &codes[1..] {
                    end = first
                        .char_indices()
                        .zip(c.chars())
                        .find(|((_, a), b)| !a.eq_ignore_ascii_case(b))
                        .map_or(end.min(c.len()), |((k, _), _)| k)
                        .min(end);
                }
                jump.query = TextInput::with(&first[..end]);
            }
        }
        Action::Submit => {
            let Some(&(p, i)) = jump.matches.first() else {
                let q = jump.query.text.trim().to_string();
                state.popup = None;
                return state.say(Tone::Info, format!("no code starts with “{q}”"));
            };
            state.popup = None;
            let h = state.tree_height();
            state.panes[p].reveal(i, h);
            state.active = p;
            state.focus = Focus::Pane(p);
            state.matrix = None;
            state.reselect();
            return;
        }
        edit => {
            jump.query.edit(edit);
        }
    }
    let q = match &state.popup {
        Some(Popup::Jump(j)) => j.query.text.clone(),
        _ => return,
    };
    let matches = find(state, &q);
    if let Some(Popup::Jump(j)) = &mut state.popup {
        j.matches = matches;
    }
}
