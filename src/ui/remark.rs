//! The one-line input for a remark: why a link is disputed or rejected, a comment for
//! its thread, what a competency needs revised.
use super::layout::centered;
use super::link_menu::popup_block;
use super::note_input::field;
use super::text::{sanitize, truncate};
use crate::app::{Remark, State};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Widget};

/// Draws the input; returns where the terminal cursor goes.
pub fn draw(state: &State, remark: &Remark, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = state.theme();
    let r = centered(area, 96, 6);
    Clear.render(r, buf);
    let who = state
        .session
        .actor
        .as_ref()
        .map_or(String::new(), |p| format!(" · as {}", p.name));
    let block = popup_block(state, format!("{}{who}", sanitize(&remark.subject)))
        .title_bottom(Line::styled(" Enter save · Esc cancel ", theme.muted));
    let inner = block.inner(r);
    block.render(r, buf);
    if inner.height == 0 || inner.width < 4 {
        return None;
    }
    let w = inner.width as usize;
    buf.set_stringn(
        inner.x,
        inner.y,
        truncate(remark.prompt(), w),
        w,
        theme.muted,
    );
    let y = inner.y + inner.height.saturating_sub(1).min(2);
    Some(field(
        state,
        &remark.input,
        Rect::new(inner.x, y, inner.width, 1),
        buf,
    ))
}
