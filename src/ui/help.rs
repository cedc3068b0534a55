//! The help overlay, generated from the keymap in force (so user bindings show).
use super::layout::centered;
use super::link_menu::popup_block;
use super::text::{width, wrap};
use crate::app::{Section, State};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

/// Width of the keys column (its text; two spaces lead it, one follows).
const KEYS: usize = 18;

/// One entry: keys, then what they do wrapped to `w` cells. Keys too wide for their
/// column get a line of their own, so they never run into the words.
fn entry(
    out: &mut Vec<Line<'static>>,
    keys: &str,
    what: &str,
    w: usize,
    theme: &crate::theme::Theme,
) {
    let room = w.saturating_sub(KEYS + 3).max(10);
    let pad = " ".repeat(KEYS + 3);
    let mut lines = wrap(what, room).into_iter();
    if width(keys) > KEYS {
        out.push(Line::styled(format!("  {keys}"), theme.key));
    } else {
        let first = lines.next().unwrap_or("").to_string();
        out.push(Line::from(vec![
            Span::styled(format!("  {keys:<KEYS$} "), theme.key),
            Span::styled(first, theme.popup),
        ]));
    }
    for l in lines {
        out.push(Line::styled(format!("{pad}{l}"), theme.popup));
    }
}

/// Every line of help: bindings by context, then what never changes.
pub fn lines(state: &State) -> Vec<Line<'static>> {
    let theme = state.theme();
    let w = frame(Rect::new(0, 0, state.size.0, state.size.1))
        .width
        .saturating_sub(3) as usize;
    let mut out = Vec::new();
    let listing = state.keymap.listing();
    for section in Section::ALL {
        out.push(Line::styled(section.title().to_string(), theme.title));
        for (_, action, keys) in listing
            .iter()
            .filter(|(s, _, ks)| *s == section && !ks.is_empty())
        {
            let keys: Vec<String> = keys.iter().map(|k| k.label()).collect();
            entry(
                &mut out,
                &keys.join(" "),
                action.describe_in(section),
                w,
                theme,
            );
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
        entry(&mut out, keys, what, w, theme);
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
        entry(&mut out, sym, what, w, theme);
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
