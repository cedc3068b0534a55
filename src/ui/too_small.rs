//! Shown instead of the screen when the terminal is smaller than the layout needs.
use super::Theme;
use super::layout::{MIN_HEIGHT, MIN_WIDTH};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub fn draw(theme: &Theme, area: Rect, buf: &mut Buffer) {
    let text = format!(
        "Terminal too small: {}x{}. crosswalk needs {MIN_WIDTH}x{MIN_HEIGHT}. Enlarge the window or reduce the font size. q quits.",
        area.width, area.height
    );
    Paragraph::new(text)
        .style(theme.warn)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}
