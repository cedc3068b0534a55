//! The link popup's last step: a one-line input for the rationale note.
use super::layout::centered;
use super::link_menu::{popup_block, step_title, subject};
use super::text::{char_width, sanitize, truncate};
use crate::app::{LinkFlow, State, TextInput};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Widget};

/// Draws the input; returns where the terminal cursor goes.
pub fn draw(state: &State, flow: &LinkFlow, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let title = format!("{}: {}", subject(state, flow), step_title(flow));
    let prompt = format!(
        "{} · {} · why do they align? (may be empty)",
        flow.assoc, flow.strength
    );
    input_popup(state, title, &prompt, &flow.note, area, buf)
}

/// A popup with a title, a prompt line and a one-line field: the link note, a remark.
/// Returns where the terminal cursor goes.
pub fn input_popup(
    state: &State,
    title: String,
    prompt: &str,
    input: &TextInput,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let theme = state.theme();
    let r = centered(area, 96, 6);
    Clear.render(r, buf);
    let block = popup_block(state, title)
        .title_bottom(Line::styled(" Enter save · Esc cancel ", theme.muted));
    let inner = block.inner(r);
    block.render(r, buf);
    if inner.height == 0 || inner.width < 4 {
        return None;
    }
    let w = inner.width as usize;
    buf.set_stringn(inner.x, inner.y, truncate(prompt, w), w, theme.muted);
    let y = inner.y + inner.height.saturating_sub(1).min(2);
    Some(field(
        state,
        input,
        Rect::new(inner.x, y, inner.width, 1),
        buf,
    ))
}

/// A one-line text field in `field` (at least 2 cells wide); returns where the cursor goes.
pub fn field(state: &State, input: &TextInput, field: Rect, buf: &mut Buffer) -> Position {
    let theme = state.theme();
    let y = field.y;
    buf.set_style(field, theme.cursor_dim);
    // Show the end of a long text, keeping the cursor in view.
    let text = sanitize(&input.text);
    let chars: Vec<char> = text.chars().collect();
    let cursor = input.cursor.min(chars.len());
    let room = (field.width as usize).saturating_sub(1);
    let (mut start, mut w) = (
        0,
        chars[..cursor]
            .iter()
            .map(|c| char_width(*c))
            .sum::<usize>(),
    );
    while w > room {
        w -= char_width(chars[start]);
        start += 1;
    }
    let visible: String = chars[start..].iter().collect();
    buf.set_stringn(field.x, y, &visible, room, theme.cursor_dim);
    let cx: usize = chars[start..cursor].iter().map(|c| char_width(*c)).sum();
    Position {
        x: field.x + cx as u16,
        y,
    }
}
