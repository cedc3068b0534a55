//! Terminal events to actions, through the keymap of the context the screen is in.
use super::Action;
use super::keymap::{Key, Section};
use super::link_flow::Step;
use super::state::{Focus, Popup, State};
use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind};

/// Where keys are looked up, most specific first.
pub fn sections(state: &State) -> &'static [Section] {
    match &state.popup {
        Some(Popup::Help { .. } | Popup::Log { .. } | Popup::Invite(_)) => &[Section::Help],
        Some(Popup::Picker(_)) => &[Section::Menu],
        Some(Popup::Link(flow)) if flow.step == Step::Note => &[Section::Input],
        Some(Popup::Link(_)) => &[Section::Menu],
        Some(Popup::Choice(_)) => &[Section::Menu],
        Some(Popup::Remark(_)) => &[Section::Input],
        Some(Popup::Links(_)) => &[Section::Links],
        Some(Popup::Jump(_)) => &[Section::Input],
        None if state.search.as_ref().is_some_and(|s| s.typing) => &[Section::Input],
        None if state.matrix.is_some() => &[Section::Matrix, Section::Global],
        None if state.focus == Focus::Detail => &[Section::Detail, Section::Global],
        None if state.focus == Focus::Suggest => &[Section::Suggest, Section::Global],
        None => &[Section::Tree, Section::Global],
    }
}

pub fn action_for(state: &State, event: &Event) -> Option<Action> {
    match event {
        Event::Key(ev) if ev.kind != KeyEventKind::Release => {
            // In raw mode Ctrl-C is just a key: it always quits, cleanly.
            if ev.code == KeyCode::Char('c') && ev.modifiers.contains(KeyModifiers::CONTROL) {
                return Some(Action::Quit);
            }
            let key = Key::from_event(ev);
            let sections = sections(state);
            if let Some(a) = sections.iter().find_map(|s| state.keymap.action(*s, key)) {
                return Some(a);
            }
            let plain = !key
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            match (sections[0], key.code) {
                (Section::Input, KeyCode::Char(c)) if plain => Some(Action::Insert(c)),
                (Section::Menu, KeyCode::Char('0')) if plain => Some(Action::Choose(10)),
                (Section::Menu, KeyCode::Char(c @ '1'..='9')) if plain => {
                    Some(Action::Choose(c as u8 - b'0'))
                }
                _ => None,
            }
        }
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                x: m.column,
                y: m.row,
            }),
            MouseEventKind::Up(MouseButton::Left) => Some(Action::Release {
                x: m.column,
                y: m.row,
            }),
            MouseEventKind::ScrollDown => Some(Action::Scroll {
                x: m.column,
                y: m.row,
                down: true,
            }),
            MouseEventKind::ScrollUp => Some(Action::Scroll {
                x: m.column,
                y: m.row,
                down: false,
            }),
            _ => None,
        },
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        _ => None,
    }
}
