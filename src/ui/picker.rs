//! The framework picker: which framework goes left (outcomes), then right (competencies).
use super::choice::entries;
use super::layout::{PICKER_WIDTH, menu};
use super::link_menu::popup_block;
use crate::app::{Picker, State};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Widget};

pub fn draw(state: &State, picker: &Picker, area: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    let r = menu(area, PICKER_WIDTH, state.frameworks.len());
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
    let texts: Vec<String> = state
        .frameworks
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let chosen = if picker.left == Some(k) {
                "  ◀ left"
            } else {
                ""
            };
            format!(
                "{:<8} {:>6} items {:>5} links  {}{chosen}",
                f.side, f.items, f.links, f.title
            )
        })
        .collect();
    entries(state, inner, picker.cursor, &texts, buf);
}
