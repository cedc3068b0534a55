//! The suggestion pane: the likeliest items on the other side for the selection, best
//! first, one a line: score, code, statement, and the words that matched. It only reads
//! the list `app::suggestions` keeps; nothing is worked out here.
use super::layout::window;
use super::text::{sanitize, truncate, width};
use crate::app::{Action, Focus, Section, State};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub fn draw(state: &State, area: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    let focused = state.focus == Focus::Suggest;
    let s = &state.suggestions;
    let (p, item) = s.for_item;
    let other = &state.panes[1 - p];
    let rest = match item {
        Some(i) => {
            let it = &state.panes[p].fw.items[i];
            let code = if it.code.is_empty() {
                &it.identifier
            } else {
                &it.code
            };
            format!(" for {} ", truncate(&sanitize(code), 16))
        }
        None => " ".into(),
    };
    let mut block = theme.pane_block(focused, "Suggestions", rest);
    if !s.list.is_empty() {
        block = block.title(
            Line::styled(format!(" {}/{} ", s.cursor + 1, s.list.len()), theme.muted)
                .right_aligned(),
        );
    }
    let inside = block.inner(area);
    block.render(area, buf);
    let w = inside.width as usize;
    let h = inside.height as usize;
    if s.list.is_empty() {
        let text = match item {
            None => "nothing selected".to_string(),
            Some(_) => "no suggestions: nothing on the other side shares its words".to_string(),
        };
        if h > 0 {
            buf.set_line(
                inside.x,
                inside.y,
                &Line::styled(truncate(&text, w).into_owned(), theme.muted),
                inside.width,
            );
        }
        if h > 2 && item.is_some() {
            let key = |a| {
                state
                    .keymap
                    .first_key(Section::Tree, a)
                    .map(|k| k.label())
                    .unwrap_or_default()
            };
            let hint = format!("{} hides this pane", key(Action::ToggleSuggestions));
            buf.set_line(
                inside.x,
                inside.y + 1,
                &Line::styled(truncate(&hint, w).into_owned(), theme.muted),
                inside.width,
            );
        }
        return;
    }
    // The highlighted candidate in full below the list, so nobody accepts it unread.
    let full: Vec<String> = s
        .list
        .get(s.cursor)
        .map(|sg| {
            let o = &other.fw.items[sg.item_index];
            super::text::wrap(&sanitize(&o.statement), w)
                .into_iter()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let list_h = crate::app::suggestion_rows(h, s.list.len());
    let text_h = h.saturating_sub(list_h + 1);
    if text_h > 0 {
        let y = inside.y + list_h as u16;
        buf.set_line(
            inside.x,
            y,
            &Line::styled("─".repeat(w), theme.muted),
            inside.width,
        );
        for (k, l) in full.iter().take(text_h).enumerate() {
            let mut l = l.clone();
            if k + 1 == text_h && full.len() > text_h {
                l = truncate(&format!("{l} …"), w).into_owned();
            }
            buf.set_line(
                inside.x,
                y + 1 + k as u16,
                &Line::styled(l, theme.base),
                inside.width,
            );
        }
    }
    let h = list_h;
    let start = window(s.scroll, s.cursor, usize::MAX, h);
    for (row, (k, sg)) in s.list.iter().enumerate().skip(start).take(h).enumerate() {
        let o = &other.fw.items[sg.item_index];
        let selected = k == s.cursor;
        let style = if selected && focused {
            theme.cursor
        } else if selected {
            theme.cursor_dim
        } else {
            theme.base
        };
        let lead = format!(
            "{}{:>4.2} ",
            if selected && focused { "▶" } else { " " },
            sg.score
        );
        let code = sanitize(if o.code.is_empty() {
            o.identifier.as_str()
        } else {
            o.code.as_str()
        });
        let code = truncate(&code, (w / 4).max(4)).into_owned();
        let words: Vec<String> = sg
            .matched_words
            .iter()
            .map(|m| sanitize(m).into_owned())
            .collect();
        let words = if words.is_empty() {
            // Suggested for what the items' groups or frameworks share, not their own text.
            " ~ via its group".to_string()
        } else {
            format!(" ~ {}", words.join(", "))
        };
        let words = truncate(&words, w / 3).into_owned();
        let room = w.saturating_sub(width(&lead) + width(&code) + 1 + width(&words));
        let statement = sanitize(&o.statement);
        let statement = truncate(&statement, room);
        let pad = room.saturating_sub(width(&statement));
        let line = Line::from(vec![
            Span::styled(lead, style),
            Span::styled(code, if selected { style } else { theme.code }),
            Span::styled(format!(" {statement}{}", " ".repeat(pad)), style),
            Span::styled(words, if selected { style } else { theme.matched }),
        ]);
        buf.set_line(inside.x, inside.y + row as u16, &line, inside.width);
    }
}
