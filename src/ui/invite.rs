//! The join link made on the screen, drawn as large as the screen allows so that it can
//! be scanned from a projected wall: black modules on white whatever the theme, two
//! modules' rows to a terminal row (half blocks), each module as many cells wide as fit.
use super::link_menu::popup_block;
use super::text::sanitize;
use crate::app::State;
use crate::app::invite::{Qr, Shown};
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

/// True black and white, not the palette's "black" and "white", which a terminal theme
/// may have made grey.
pub const DARK: Color = Color::Rgb(0, 0, 0);
pub const LIGHT: Color = Color::Rgb(255, 255, 255);

/// Rows under the code for the link itself.
const TEXT_ROWS: u16 = 2;

pub fn draw(state: &State, shown: &Shown, area: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    // Everything but the status bar's two rows.
    let r = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(2));
    Clear.render(r, buf);
    let name = sanitize(&shown.name);
    let block = popup_block(
        state,
        format!(
            "Join as {name} ({}) · works until {}",
            shown.role, shown.until
        ),
    )
    .title_bottom(Line::styled(
        format!(" anyone who scans this joins as {name} · Esc close "),
        theme.muted,
    ));
    let inner = block.inner(r);
    block.render(r, buf);
    let room = Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.saturating_sub(TEXT_ROWS),
    );
    let url = sanitize(&shown.url);
    match module_cells(&shown.qr, room) {
        Some(m) => {
            let drawn = draw_code(&shown.qr, m, room, buf);
            let below = Rect::new(inner.x, drawn.bottom(), inner.width, TEXT_ROWS);
            centred_text(&url, below, theme.popup, buf);
        }
        None => {
            let note = "the terminal is too small for the QR code; the link:";
            let mid = inner.y + inner.height / 2;
            centred_text(
                note,
                Rect::new(inner.x, mid.saturating_sub(1), inner.width, 1),
                theme.muted,
                buf,
            );
            centred_text(
                &url,
                Rect::new(inner.x, mid, inner.width, TEXT_ROWS),
                theme.popup,
                buf,
            );
        }
    }
}

/// How many cells wide (and half-rows tall) each module can be in `room`: the most that
/// fits, or `None` when not even one does.
pub fn module_cells(qr: &Qr, room: Rect) -> Option<usize> {
    let n = qr.width;
    let fits =
        |m: usize| n * m <= room.width as usize && (n * m).div_ceil(2) <= room.height as usize;
    (1..=8).rev().find(|&m| fits(m))
}

/// Draws the code centred in `room`, each module `m` cells wide and `m` half-rows tall;
/// returns where it went.
fn draw_code(qr: &Qr, m: usize, room: Rect, buf: &mut Buffer) -> Rect {
    let n = qr.width;
    let (w, h) = ((n * m) as u16, (n * m).div_ceil(2) as u16);
    let at = Rect::new(
        room.x + (room.width - w) / 2,
        room.y + (room.height - h) / 2,
        w,
        h,
    );
    let colour = |x: usize, half_row: usize| {
        let y = half_row / m;
        if y < n && qr.is_dark(x / m, y) {
            DARK
        } else {
            LIGHT
        }
    };
    for cy in 0..h as usize {
        for cx in 0..w as usize {
            let style = Style::new()
                .fg(colour(cx, 2 * cy))
                .bg(colour(cx, 2 * cy + 1));
            buf[(at.x + cx as u16, at.y + cy as u16)]
                .set_symbol("▀")
                .set_style(style);
        }
    }
    at
}

/// `text` centred on the rows of `area`, broken where a row is full (a link has no
/// spaces to break at).
fn centred_text(text: &str, area: Rect, style: Style, buf: &mut Buffer) {
    Paragraph::new(text)
        .style(style)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}
