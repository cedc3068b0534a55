//! The one-line input for a remark: why a link is disputed or rejected, a comment for
//! its thread, what a competency needs revised.
use super::note_input::input_popup;
use super::text::sanitize;
use crate::app::{Remark, State};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

/// Draws the input; returns where the terminal cursor goes.
pub fn draw(state: &State, remark: &Remark, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let who = state
        .session
        .actor
        .as_ref()
        .map_or(String::new(), |p| format!(" · as {}", p.name));
    let title = format!("{}{who}", sanitize(&remark.subject));
    input_popup(state, title, remark.prompt(), &remark.input, area, buf)
}
