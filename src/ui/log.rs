//! The session log: every change of the workshop, oldest first, with who made it and
//! when. Only the lines in view are formatted.
use super::detail_pane::history_line;
use super::layout::centered;
use super::link_menu::popup_block;
use crate::app::State;
use crate::model::HistoryEntry;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Widget};

/// Draws the log with entry `last` on its bottom line (or as low as the entries allow).
pub fn draw(state: &State, last: usize, entries: &[HistoryEntry], area: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    let r = centered(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    Clear.render(r, buf);
    let n = entries.len();
    let block = popup_block(state, format!("Session log: {n} entries")).title_bottom(Line::styled(
        " ↑↓ PgUp PgDn Home End scroll · Esc close ",
        theme.muted,
    ));
    let inner = block.inner(r);
    block.render(r, buf);
    let h = inner.height as usize;
    let end = (last + 1).min(n).max(h.min(n));
    let start = end.saturating_sub(h);
    let w = inner.width.saturating_sub(1) as usize;
    for (k, e) in entries[start..end].iter().enumerate() {
        let style = if start + k == last {
            theme.base
        } else {
            theme.popup
        };
        buf.set_stringn(
            inner.x + 1,
            inner.y + k as u16,
            history_line(e, w),
            w,
            style,
        );
    }
}
