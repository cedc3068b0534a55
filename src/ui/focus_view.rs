//! The focus view: the pair the room is deciding on, side by side and in full, in place
//! of the trees and the detail pane. What it shows is `State::focus_pair`: the link a vote
//! now acts on, or the two cursor items when they are not linked.
use super::layout::inner;
use super::text::{sanitize, wrap};
use crate::app::{Action, Section, State, plural};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub fn draw(state: &State, area: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    let Some((pair, link)) = state.focus_pair() else {
        buf.set_stringn(
            area.x,
            area.y,
            "focus view: select an item in each pane",
            area.width as usize,
            theme.muted,
        );
        return;
    };
    let key = |a| {
        state
            .keymap
            .first_key(Section::Tree, a)
            .or_else(|| state.keymap.first_key(Section::Global, a))
            .map(|k| k.label())
            .unwrap_or_default()
    };
    // The head: what joins the two, or that nothing does yet.
    let head: Vec<Span> = match link {
        Some(sl) => {
            let mut v = vec![Span::styled(
                format!(" {} · {}", sl.link.association_type, sl.link.strength),
                theme.title,
            )];
            if state.session.is_running() {
                v.push(Span::styled(
                    format!("  {} {}", sl.status.symbol(), sl.status),
                    theme.link_status(sl.status),
                ));
            }
            if !sl.link.note.is_empty() {
                v.push(Span::styled(
                    format!("  “{}”", sanitize(&sl.link.note)),
                    theme.base,
                ));
            }
            v
        }
        None if state.selection.links.len() > 1 => vec![Span::styled(
            format!(
                " these two are not linked; the selected item has {} links: {} and choose one to vote on",
                state.selection.links.len(),
                state
                    .keymap
                    .first_key(Section::Tree, Action::FocusDetail)
                    .map(|k| k.label())
                    .unwrap_or_default()
            ),
            theme.muted,
        )],
        None => vec![Span::styled(
            format!(" not linked: {} links them", key(Action::Link)),
            theme.muted,
        )],
    };
    let block = theme.pane_block(true, "Focus", " ".into());
    let body = block.inner(area);
    block.render(area, buf);
    buf.set_line(body.x, body.y, &Line::from(head), body.width);
    let help = format!(
        " {} / {} leave · ↑↓ next item · votes act on this pair ",
        key(Action::FocusView),
        key(Action::Cancel)
    );
    buf.set_stringn(
        body.x,
        body.bottom().saturating_sub(1),
        help,
        body.width as usize,
        theme.muted,
    );
    let cols = Rect::new(
        body.x,
        body.y + 1,
        body.width,
        body.height.saturating_sub(2),
    );
    let half = cols.width / 2;
    for (p, &item) in pair.iter().enumerate() {
        let r = Rect::new(
            cols.x + p as u16 * half,
            cols.y,
            if p == 0 { half } else { cols.width - half },
            cols.height,
        );
        let pane = &state.panes[p];
        let it = &pane.fw.items[item];
        let code = if it.code.is_empty() {
            &it.identifier
        } else {
            &it.code
        };
        let kind = if pane.fw.side == crate::model::Side::Employer {
            "Competency"
        } else {
            "Learning outcome"
        };
        let b = theme.pane_block(state.active == p, kind, format!(" {} ", sanitize(code)));
        let text_area = inner(r);
        b.render(r, buf);
        let w = text_area.width as usize;
        let mut lines: Vec<Line> = wrap(&it.statement, w)
            .into_iter()
            .map(|l| Line::styled(l.to_string(), theme.base))
            .collect();
        if !it.keywords.is_empty() {
            lines.push(Line::raw(""));
            for l in wrap(&format!("keywords: {}", it.keywords.join(", ")), w) {
                lines.push(Line::styled(l.to_string(), theme.muted));
            }
        }
        let n = pane.counts[item] as usize;
        lines.push(Line::raw(""));
        lines.push(Line::styled(plural(n, "link", "links"), theme.muted));
        for (k, l) in lines.iter().take(text_area.height as usize).enumerate() {
            buf.set_line(text_area.x, text_area.y + k as u16, l, text_area.width);
        }
    }
}
