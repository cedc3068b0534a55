//! A framework tree: only the rows in the window are drawn, each borrowed from the
//! framework (no row is copied). Row: cursor and link marks, indentation, ▸/▾,
//! code and statement (search matches underlined), link badge on the right.
use super::Theme;
use super::layout::window;
use super::text::{sanitize, truncate, width, wrap};
use crate::app::layout::indent;
use crate::app::{Focus, Pane, State, headline_status, match_indices, verdict_mark};
use crate::model::{Side, Verdict, percent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Widget;

/// `●999` at most.
const BADGE: u16 = 4;

pub fn title(pane: &Pane, p: usize) -> &'static str {
    match (pane.is_empty(), pane.fw.side, p) {
        (true, ..) => "(no framework)",
        (_, Side::Educator, _) => "Learning outcomes",
        (_, Side::Employer, _) => "Competencies",
    }
}

pub fn draw(state: &State, p: usize, area: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    let pane = &state.panes[p];
    let focused = state.focus == Focus::Pane(p);
    let mark = if focused { "▶ " } else { "  " };
    let mut right = String::new();
    if pane.undecided_only {
        right += " [undecided only]";
    }
    if pane.unjudged_only {
        right += " [not judged]";
    }
    if let Some(f) = pane.status_filter {
        right += &format!(" [{}]", f.label());
    }
    if let Some(p) = percent(pane.coverage.0 as usize, pane.coverage.1 as usize) {
        right += &format!(" {p:.0}% covered ·");
    }
    if !pane.view.is_empty() {
        // "row", so the cursor's place is not read as a count of covered items.
        right += &format!(" row {}/{} ", pane.cursor + 1, pane.view.len());
    }
    let kind = title(pane, p);
    // The framework title gets what the borders, the kind and the counter leave.
    let room =
        (area.width as usize).saturating_sub(2 + width(mark) + width(kind) + 3 + width(&right));
    let name = if pane.is_empty() || room < 4 {
        " ".to_string()
    } else {
        format!(": {} ", truncate(&sanitize(&pane.fw.title), room))
    };
    let mut block = theme.pane_block(focused, kind, name);
    if !right.is_empty() {
        block = block.title_top(Line::styled(right, theme.muted).right_aligned());
    }
    let inner = block.inner(area);
    block.render(area, buf);
    if pane.is_empty() {
        let hint = if state.frameworks.len() >= 2 {
            "no framework chosen: press p to choose"
        } else {
            "import a framework: crosswalk import FILE --side educator|employer"
        };
        buf.set_stringn(inner.x, inner.y, hint, inner.width as usize, theme.muted);
        return;
    }
    let height = inner.height as usize;
    let mut start = window(pane.scroll, pane.cursor, pane.view.len(), height);
    if state.present {
        // Rows are several lines high: start late enough for the cursor's row to fit.
        let lines = |row: usize| {
            row_text(pane, pane.view.visible()[row], inner.width)
                .1
                .len()
        };
        while start < pane.cursor && (start..=pane.cursor).map(lines).sum::<usize>() > height {
            start += 1;
        }
    }
    let mut y = inner.y;
    let query = state
        .search
        .as_ref()
        .filter(|s| s.pane == p && !s.query.text.trim().is_empty())
        .map(|s| s.query.text.trim());
    let others = if state.selection.pane != p {
        state.selection.others.as_slice()
    } else {
        &[]
    };
    for (k, &item) in pane
        .view
        .visible()
        .iter()
        .skip(start)
        .take(height)
        .enumerate()
    {
        if y >= inner.bottom() {
            break;
        }
        let row = start + k;
        let linked = others.binary_search(&item).is_ok();
        let cursor = row == pane.cursor;
        let style = match (cursor, focused, linked) {
            (true, true, _) => theme.cursor,
            (true, false, _) => theme.cursor_dim,
            (false, _, true) => theme.linked,
            _ => theme.base,
        };
        let hits = query.and_then(|q| match_indices(&pane.haystacks.text[item], q));
        let row = Row {
            pane,
            i: item,
            style,
            plain: cursor || linked,
            linked,
            session: state.session.is_running(),
        };
        if state.present {
            let room = inner.bottom() - y;
            y += draw_wrapped(
                buf,
                Rect::new(inner.x, y, inner.width, room),
                row,
                hits,
                theme,
            );
        } else {
            draw_row(buf, Rect::new(inner.x, y, inner.width, 1), row, hits, theme);
            y += 1;
        }
    }
}

/// Where a row's text starts (from the pane's inner left edge) and its text wrapped to
/// the room between there and the badge: presentation mode shows every statement whole.
/// Each line comes with the character offset it starts at in "code statement" (the
/// text search matches), for the code's and the hits' styles.
fn row_text(pane: &Pane, i: usize, width: u16) -> (u16, Vec<(usize, String)>) {
    let it = &pane.fw.items[i];
    let x = crate::app::layout::GUTTER + indent(it.depth, width) + 2;
    let verdict_w = if pane.judged { 2 } else { 0 };
    let room = width.saturating_sub(x + BADGE + 1 + verdict_w).max(8) as usize;
    let text = crate::app::haystack(it);
    let lines = wrap(&text, room)
        .into_iter()
        .map(|l| {
            let at = l.as_ptr() as usize - text.as_ptr() as usize;
            (text[..at].chars().count(), l.to_string())
        })
        .collect();
    (x, lines)
}

/// A row in presentation mode: the first line as `draw_row` draws it, with the whole
/// text wrapped below at the text's indentation. Returns the lines used.
fn draw_wrapped(
    buf: &mut Buffer,
    r: Rect,
    row: Row,
    hits: Option<Vec<usize>>,
    theme: &Theme,
) -> u16 {
    let (pane, i, style, plain) = (row.pane, row.i, row.style, row.plain);
    let (tx, lines) = row_text(pane, i, r.width);
    let n = (lines.len() as u16).min(r.height).max(1);
    // The first line's gutter, marker and badge; its text is drawn below with the rest.
    draw_row(buf, Rect::new(r.x, r.y, r.width, 1), row, None, theme);
    let text_end = r
        .right()
        .saturating_sub(BADGE + 1 + if pane.judged { 2 } else { 0 });
    let x0 = r.x + tx;
    let code_chars = pane.fw.items[i].code.chars().count();
    let hits = hits.unwrap_or_default();
    let hit_style = if plain {
        style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    } else {
        style.patch(theme.matched)
    };
    let code_style = if plain {
        style.add_modifier(Modifier::BOLD)
    } else {
        style.patch(theme.code)
    };
    for (k, (offset, line)) in lines.iter().enumerate().take(n as usize) {
        let y = r.y + k as u16;
        buf.set_style(Rect::new(r.x, y, text_end.saturating_sub(r.x), 1), style);
        if k == 0 {
            buf.set_stringn(
                x0,
                y,
                " ".repeat(text_end.saturating_sub(x0) as usize),
                text_end.saturating_sub(x0) as usize,
                style,
            );
        }
        let mut x = x0;
        let last = k + 1 == n as usize && lines.len() > n as usize;
        for (c0, ch) in (*offset..).zip(line.chars()) {
            let s = if hits.binary_search(&c0).is_ok() {
                hit_style
            } else if c0 < code_chars {
                code_style
            } else {
                style
            };
            let w = super::text::char_width(ch) as u16;
            if x + w > text_end {
                break;
            }
            x = buf.set_stringn(x, y, ch.to_string(), w as usize, s).0;
        }
        if last && x < text_end {
            buf.set_stringn(x, y, "…", 1, style);
        }
    }
    n
}

/// One row to draw: item `i` of `pane`, in `style`; `plain` rows (cursor, linked to the
/// selection) draw their marks in the row's style, not their own colours.
struct Row<'a> {
    pane: &'a Pane,
    i: usize,
    style: Style,
    plain: bool,
    linked: bool,
    /// A consensus process runs: links show their status, not just their count.
    session: bool,
}

/// The badge on the right: links (by status while a session runs), why there is none,
/// or a group's coverage. Symbols, not only colour.
fn badge(row: &Row, theme: &Theme) -> (String, Style) {
    let (pane, i) = (row.pane, row.i);
    let count = pane.counts[i];
    let it = &pane.fw.items[i];
    if count > 0 {
        match headline_status(pane.statuses[i]).filter(|_| row.session) {
            Some(s) => (
                format!("{}{}", s.symbol(), count.min(999)),
                theme.link_status(s),
            ),
            None => (format!("●{}", count.min(999)), theme.badge),
        }
    } else if it.no_equivalent {
        ("⊘".to_string(), theme.marked)
    } else if pane.fw.is_leaf(i) {
        ("○".to_string(), theme.unlinked)
    } else {
        match percent(pane.covered[i] as usize, pane.counted[i] as usize) {
            Some(p) => (format!("{p:.0}%"), theme.muted),
            None => (String::new(), row.style),
        }
    }
}

fn draw_row(buf: &mut Buffer, r: Rect, row: Row, hits: Option<Vec<usize>>, theme: &Theme) {
    let Row {
        pane,
        i,
        style,
        plain,
        linked,
        ..
    } = row;
    buf.set_style(r, style);
    let it = &pane.fw.items[i];
    let cursor = style == theme.cursor || style == theme.cursor_dim;
    let gutter = format!(
        "{}{}",
        if cursor { "▶" } else { " " },
        // Marked to be linked in one step, else linked to the other cursor.
        if pane.marked.contains(&i) {
            "*"
        } else if linked {
            "◆"
        } else {
            " "
        }
    );
    let (mut x, _) = buf.set_stringn(r.x, r.y, gutter, r.width as usize, style);
    x += indent(it.depth, r.width).min(r.right().saturating_sub(x));
    let marker = match (
        pane.fw.has_children(i),
        pane.view.is_expanded(i) || pane.view.is_filtered(),
    ) {
        (true, true) => "▾ ",
        (true, false) => "▸ ",
        _ => "  ",
    };
    x = buf
        .set_stringn(x, r.y, marker, r.right().saturating_sub(x) as usize, style)
        .0;
    let (badge, badge_style) = badge(&row, theme);
    let mark = |s: Style| {
        if plain {
            style.add_modifier(Modifier::BOLD)
        } else {
            style.patch(s)
        }
    };
    // Competencies get a verdict column once anyone has judged one.
    let verdict_w = if pane.judged { 2 } else { 0 };
    let text_end = r.right().saturating_sub(BADGE + 1 + verdict_w);
    if r.right() >= x + BADGE + verdict_w {
        let bx = r.right() - width(&badge) as u16;
        buf.set_stringn(bx, r.y, &badge, BADGE as usize, mark(badge_style));
        if let Some(v) = pane.verdicts[i].filter(|_| pane.judged) {
            let vs = match v {
                Verdict::Validated => theme.ok,
                Verdict::NeedsRevision => theme.warn,
                Verdict::NotRelevant => theme.muted,
            };
            let vx = r.right() - BADGE - verdict_w;
            buf.set_stringn(vx, r.y, verdict_mark(v), 1, mark(vs));
        }
    }
    // Code then statement, with matched characters (if searching) underlined.
    let code_style = if plain {
        style.add_modifier(Modifier::BOLD)
    } else {
        style.patch(theme.code)
    };
    let hit_style = if plain {
        style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    } else {
        style.patch(theme.matched)
    };
    let sep = if it.code.is_empty() { "" } else { " " };
    let parts = [
        (it.code.as_str(), code_style),
        (sep, style),
        (it.statement.as_str(), style),
    ];
    let avail = text_end.saturating_sub(x) as usize;
    let total: usize = parts.iter().map(|(s, _)| width(s)).sum();
    let limit = if total > avail {
        avail.saturating_sub(1)
    } else {
        avail
    };
    let mut hits = hits.unwrap_or_default().into_iter().peekable();
    let (mut used, mut char_pos) = (0, 0);
    // Drawn in runs of one style, so grapheme clusters stay whole.
    'parts: for (text, base) in parts {
        // Draws one run in its style; returns where the next one starts.
        let put = |buf: &mut Buffer, x: u16, run: &str, hit: bool| {
            let style = if hit { hit_style } else { base };
            buf.set_stringn(x, r.y, run, r.right().saturating_sub(x) as usize, style)
                .0
        };
        let mut run = (0, false); // (start byte, is a hit)
        for (b, c) in text.char_indices() {
            let w = super::text::char_width(c);
            let hit = hits.next_if_eq(&char_pos).is_some();
            char_pos += 1;
            if used + w > limit || hit != run.1 {
                x = put(buf, x, &text[run.0..b], run.1);
                run = (b, hit);
                if used + w > limit {
                    break 'parts;
                }
            }
            used += w;
        }
        x = put(buf, x, &text[run.0..], run.1);
    }
    if total > avail && avail > 0 {
        buf.set_stringn(x, r.y, "…", 1, style);
    }
}
