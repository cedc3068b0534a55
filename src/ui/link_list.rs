//! The list of every link: one a line (status, the two codes, type and strength, who
//! drew it, the note), the cursor's statements in full below. It only reads the rows
//! `app::LinkList` keeps.
use super::layout::{centered, window};
use super::link_menu::popup_block;
use super::text::{sanitize, truncate, width, wrap};
use crate::app::{Action, LinkList, Section, State};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

pub fn draw(state: &State, list: &LinkList, area: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    let r = centered(
        area,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    Clear.render(r, buf);
    let filters = list.filters();
    let title = format!(
        "Links: {} of {} · sorted by {}{}",
        list.rows.len(),
        state.links.len(),
        list.sort.label(),
        if filters.is_empty() {
            String::new()
        } else {
            format!(" · {filters}")
        }
    );
    let key = |a| {
        state
            .keymap
            .first_key(Section::Links, a)
            .map(|k| k.label())
            .unwrap_or_default()
    };
    let help = format!(
        " {} go to · {} sort · {} status · {} type · {} strength · {} author · {} close ",
        key(Action::Select),
        key(Action::SortLinks),
        key(Action::StatusFilter),
        key(Action::Retype),
        key(Action::Restrength),
        key(Action::FilterAuthor),
        key(Action::Cancel)
    );
    let block = popup_block(state, title).title_bottom(Line::styled(help, theme.muted));
    let inner = block.inner(r);
    block.render(r, buf);
    let w = inner.width as usize;
    if list.rows.is_empty() {
        let text = if state.links.is_empty() {
            "no links between these two frameworks yet"
        } else {
            "no link matches the filters"
        };
        buf.set_stringn(inner.x, inner.y, text, w, theme.muted);
        return;
    }
    // The cursor's two statements below the list, so a row is read before going to it.
    let sl = &state.links[list.rows[list.cursor]];
    let statement = |p: usize| {
        let it = &state.panes[p].fw.items[sl.ends[p]];
        let code = if it.code.is_empty() {
            &it.identifier
        } else {
            &it.code
        };
        sanitize(&format!("{code}  {}", it.statement)).into_owned()
    };
    let col = w.saturating_sub(1) / 2;
    let texts = [
        wrap(&statement(0), col).len(),
        wrap(&statement(1), col).len(),
    ];
    let below = (texts[0].max(texts[1]) + 1).min(inner.height as usize / 2);
    let list_h = (inner.height as usize).saturating_sub(below);
    let start = window(0, list.cursor, list.rows.len(), list_h);
    let running = state.session.is_running();
    let code = |p: usize, i: usize| {
        let it = &state.panes[p].fw.items[i];
        sanitize(if it.code.is_empty() {
            &it.identifier
        } else {
            &it.code
        })
        .into_owned()
    };
    let code_w = list
        .rows
        .iter()
        .skip(start)
        .take(list_h)
        .map(|&k| width(&code(0, state.links[k].ends[0])))
        .max()
        .unwrap_or(0)
        .min(w / 4);
    for (row, &k) in list.rows.iter().enumerate().skip(start).take(list_h) {
        let l = &state.links[k];
        let selected = row == list.cursor;
        let style = if selected { theme.cursor } else { theme.popup };
        let mut spans = vec![Span::styled(if selected { "▶ " } else { "  " }, style)];
        if running {
            spans.push(Span::styled(
                format!("{} ", l.status.symbol()),
                if selected {
                    style
                } else {
                    theme.link_status(l.status)
                },
            ));
        }
        let left = code(0, l.ends[0]);
        let pad = code_w.saturating_sub(width(&left));
        let author = list.author_of(&l.link.identifier);
        let rest = format!(
            "{}{} → {}  {} · {}{}{}",
            truncate(&left, code_w),
            " ".repeat(pad),
            code(1, l.ends[1]),
            l.link.association_type,
            l.link.strength,
            if author.is_empty() {
                String::new()
            } else {
                format!("  by {}", sanitize(author))
            },
            if l.link.note.is_empty() {
                String::new()
            } else {
                format!("  “{}”", sanitize(&l.link.note))
            }
        );
        let used: usize = spans.iter().map(|s| s.width()).sum();
        spans.push(Span::styled(
            truncate(&rest, w.saturating_sub(used)).into_owned(),
            style,
        ));
        let y = inner.y + (row - start) as u16;
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        buf.set_line(inner.x, y, &Line::from(spans), inner.width);
    }
    if below > 1 {
        // Right under the last row shown.
        let y = inner.y + (list.rows.len() - start).min(list_h) as u16;
        buf.set_stringn(inner.x, y, "─".repeat(w), w, theme.muted);
        for p in 0..2 {
            let x = inner.x + (p * (col + 1)) as u16;
            let text = statement(p);
            for (k, l) in wrap(&text, col).into_iter().take(below - 1).enumerate() {
                buf.set_stringn(
                    x,
                    y + 1 + k as u16,
                    l,
                    col,
                    if k == 0 { theme.code } else { theme.popup },
                );
            }
        }
    }
}
