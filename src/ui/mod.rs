//! Drawing the alignment screen from `app::State`, borrowing it: one file per pane
//! or popup, the theme, the layout, and the text helpers that keep framework text safe.
pub mod choice;
pub mod detail_pane;
pub mod focus_view;
pub mod help;
pub mod invite;
pub mod link_list;
pub mod link_menu;
pub mod log;
pub mod matrix;
pub mod note_input;
pub mod picker;
pub mod remark;
pub mod status_bar;
pub mod suggest_pane;
/// The terminal-text sanitiser lives below the front ends; the screen reaches it here.
pub use crate::text;
pub mod too_small;
pub mod tree_pane;

/// Geometry and themes live below the drawing code, where `app` reaches them too.
pub use crate::app::layout;
pub use crate::theme::{self, Theme};

use crate::app::{Popup, State};
use layout::Areas;
use ratatui::Frame;

/// What `app` needs to know of the drawing, to scroll: the front end installs it.
pub const MEASURE: crate::app::Measure = crate::app::Measure {
    detail: detail_pane::measure,
    help: help::measure,
    link_entries: link_menu::entries_area,
};

pub fn draw(state: &State, frame: &mut Frame) {
    let area = frame.area();
    let theme = state.theme();
    let buf = frame.buffer_mut();
    buf.set_style(area, theme.base);
    let areas = Areas::of(area, state.suggestions.open, state.present);
    if areas.too_small {
        too_small::draw(theme, area, buf);
        return;
    }
    if let Some(m) = &state.matrix {
        // Everything above the status bar.
        let body = ratatui::layout::Rect::new(area.x, area.y, area.width, areas.status.y - area.y);
        matrix::draw(state, m, body, buf);
    } else if state.focus_view {
        let body = ratatui::layout::Rect::new(area.x, area.y, area.width, areas.status.y - area.y);
        focus_view::draw(state, body, buf);
    } else {
        for p in 0..2 {
            tree_pane::draw(state, p, areas.panes[p], buf);
        }
        detail_pane::draw(state, areas.detail, buf);
        if state.suggestions.open {
            suggest_pane::draw(state, areas.suggest, buf);
        }
    }
    let mut cursor = status_bar::draw(state, areas.status, buf);
    match &state.popup {
        Some(Popup::Help { scroll }) => help::draw(state, *scroll, area, buf),
        Some(Popup::Log { scroll, entries }) => log::draw(state, *scroll, entries, area, buf),
        Some(Popup::Picker(p)) => picker::draw(state, p, area, buf),
        Some(Popup::Choice(c)) => choice::draw(state, c, area, buf),
        Some(Popup::Links(l)) => link_list::draw(state, l, area, buf),
        Some(Popup::Invite(shown)) => invite::draw(state, shown, area, buf),
        // The jump line is the status bar's.
        Some(Popup::Jump(_)) => {}
        Some(Popup::Remark(r)) => cursor = remark::draw(state, r, area, buf),
        Some(Popup::Link(flow)) => {
            link_menu::draw(state, flow, area, buf);
            if flow.step == crate::app::Step::Note {
                cursor = note_input::draw(state, flow, area, buf);
            }
        }
        None => {}
    }
    if let Some(pos) = cursor {
        frame.set_cursor_position(pos);
    }
}
