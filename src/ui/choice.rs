//! A short menu: a verdict on a competency, or who is at the keyboard.
use super::layout::{CHOICE_WIDTH, menu, menu_start};
use super::link_menu::popup_block;
use super::text::{sanitize, truncate};
use crate::app::{Choice, State};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Widget};

pub fn draw(state: &State, choice: &Choice, area: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    let r = menu(area, CHOICE_WIDTH, choice.entries.len());
    Clear.render(r, buf);
    let block =
        popup_block(state, sanitize(&choice.title).into_owned()).title_bottom(Line::styled(
            " ↑↓ move · Enter choose · digit picks · Esc cancel ",
            theme.muted,
        ));
    let inner = block.inner(r);
    block.render(r, buf);
    entries(state, inner, choice.cursor, &choice.entries, buf);
}

/// Menu rows in `inner`: the cursor's marked, each numbered (digits pick), scrolled so
/// the cursor is in view.
pub fn entries(state: &State, inner: Rect, cursor: usize, texts: &[String], buf: &mut Buffer) {
    let theme = state.theme();
    let h = inner.height as usize;
    let w = inner.width as usize;
    let start = menu_start(cursor, h);
    for (k, entry) in texts.iter().enumerate().skip(start).take(h) {
        let selected = k == cursor;
        let style = if selected { theme.cursor } else { theme.popup };
        let text = format!(
            "{} {} {}",
            if selected { "▶" } else { " " },
            k + 1,
            sanitize(entry)
        );
        let y = inner.y + (k - start) as u16;
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        buf.set_stringn(inner.x, y, truncate(&text, w), w, style);
    }
}
