//! The help overlay, generated from the keymap in force (so user bindings show).
use super::layout::centered;
use super::link_menu::popup_block;
use crate::app::{Section, State};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

/// Every line of help: bindings by context, then what never changes.
pub fn lines(state: &State) -> Vec<Line<'static>> {
    let theme = state.theme();
    let mut out = Vec::new();
    let listing = state.keymap.listing();
    for section in Section::ALL {
        out.push(Line::styled(section.title().to_string(), theme.title));
        for (_, action, keys) in listing
            .iter()
            .filter(|(s, _, ks)| *s == section && !ks.is_empty())
        {
            let keys: Vec<String> = keys.iter().map(|k| k.label()).collect();
            out.push(Line::from(vec![
                Span::styled(format!("  {:<18}", keys.join(" ")), theme.key),
                Span::styled(action.describe(), theme.popup),
            ]));
        }
        out.push(Line::raw(""));
    }
    for (keys, what) in [
        ("Ctrl-C", "quit, always"),
        (
            "mouse",
            "click selects (on ▸/▾ also toggles); wheel scrolls",
        ),
        ("typing", "in the search line and the note, other keys type"),
    ] {
        out.push(Line::from(vec![
            Span::styled(format!("  {keys:<18}"), theme.key),
            Span::styled(what, theme.popup),
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Symbols", theme.title));
    for (sym, what) in [
        ("▶", "cursor (focused pane, popup entry)"),
        ("◆", "linked to the selected item"),
        (
            "●3",
            "number of links (no participants: every link counts as agreed)",
        ),
        (
            "✓ ? ! ✗",
            "link agreed, proposed, disputed, rejected (badge: the most pressing, and the count)",
        ),
        (
            "✔ ✎ ⊖",
            "competency validated, needs revision, not relevant",
        ),
        (
            "50%",
            "a group's coverage: its leaves covered by agreed links",
        ),
        ("○", "no link yet: still to decide"),
        ("⊘", "marked: no equivalent on the other side (decided)"),
        ("▸ ▾", "collapsed / expanded"),
    ] {
        out.push(Line::from(vec![
            Span::styled(format!("  {sym:<18}"), theme.key),
            Span::styled(what, theme.popup),
        ]));
    }
    let keyfile = crate::app::config_dir().map(|d| d.join("keys.toml").display().to_string());
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!(
            "Rebind keys in {}",
            keyfile.unwrap_or_else(|| "keys.toml in the config dir".into())
        ),
        theme.muted,
    ));
    out
}

/// The help box for a screen of this size.
fn frame(area: Rect) -> Rect {
    centered(area, 84, area.height.saturating_sub(2))
}

/// Help's line count and the lines it shows at once, for `app::Measure`.
pub fn measure(state: &State) -> (usize, usize) {
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    (
        lines(state).len(),
        frame(area).height.saturating_sub(2) as usize,
    )
}

pub fn draw(state: &State, scroll: usize, area: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    let r = frame(area);
    Clear.render(r, buf);
    let block = popup_block(state, "Help: every key".into()).title_bottom(Line::styled(
        " ↑↓ PgUp PgDn scroll · Esc or ? close ",
        theme.muted,
    ));
    let inner = block.inner(r);
    block.render(r, buf);
    let all = lines(state);
    let scroll = scroll.min(all.len().saturating_sub(inner.height as usize));
    for (k, line) in all
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        buf.set_line(
            inner.x + 1,
            inner.y + k as u16,
            line,
            inner.width.saturating_sub(1),
        );
    }
}
