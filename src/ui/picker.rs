//! The framework picker: which framework goes left (outcomes), then right (competencies).
use super::layout::centered;
use super::link_menu::popup_block;
use super::text::{sanitize, truncate};
use crate::app::{Picker, State};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Widget};

pub fn draw(state: &State, picker: &Picker, area: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    let n = state.frameworks.len() as u16;
    let r = centered(area, 100, n + 2);
    Clear.render(r, buf);
    let title = match picker.left {
        None => "Choose the framework for the LEFT pane (learning outcomes)",
        Some(_) => "Choose the framework for the RIGHT pane (competencies)",
    };
    let block = popup_block(state, title.into()).title_bottom(Line::styled(
        " ↑↓ move · Enter choose · digit picks · Esc back ",
        theme.muted,
    ));
    let inner = block.inner(r);
    block.render(r, buf);
    // Keep the cursor in view when there are more frameworks than rows.
    let h = inner.height as usize;
    let start = picker.cursor.saturating_sub(h.saturating_sub(1));
    for (k, f) in state.frameworks.iter().enumerate().skip(start).take(h) {
        let selected = k == picker.cursor;
        let style = if selected { theme.cursor } else { theme.popup };
        let chosen = if picker.left == Some(k) {
            "  ◀ left"
        } else {
            ""
        };
        let text = format!(
            "{} {} {:<8} {:>6} items {:>5} links  {}{chosen}",
            if selected { "▶" } else { " " },
            k + 1,
            f.side,
            f.items,
            f.links,
            sanitize(&f.title),
        );
        let y = inner.y + (k - start) as u16;
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        buf.set_stringn(
            inner.x,
            y,
            truncate(&text, inner.width as usize),
            inner.width as usize,
            style,
        );
    }
}
