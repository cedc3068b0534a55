//! The coverage matrix, drawn over the trees and the detail pane: row labels (code,
//! statement, coverage) down the left, column codes written downwards across the top
//! with each column's coverage under them, one cell per pair (status symbol and link
//! count), then a footer naming the cursor's row and column in full, what the cell
//! holds, and the legend. Only the rows and columns in view are drawn.
use super::Theme;
use super::text::{char_width, truncate, width};
use super::tree_pane::title;
use crate::app::layout::window;
use crate::app::matrix_layout::{CELL, FOOTER, label, layout};
use crate::app::{Action, LEFT, Matrix, Pane, RIGHT, Section, State};
use crate::model::{Item, LinkStatus, percent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

/// Statuses in the order the legend and the cell summary name them.
const ORDER: [LinkStatus; 4] = [
    LinkStatus::Agreed,
    LinkStatus::Proposed,
    LinkStatus::Disputed,
    LinkStatus::Rejected,
];

/// A column's label as written downwards in `rows` rows: a code too long keeps its
/// end (where siblings differ), a statement its start.
fn downwards(it: &Item, prefix: usize, rows: usize) -> Vec<char> {
    let (text, code) = label(it, prefix);
    let chars: Vec<char> = text.chars().filter(|&c| char_width(c) > 0).collect();
    match rows {
        _ if chars.len() <= rows => chars,
        0 => Vec::new(),
        _ if code => std::iter::once('…')
            .chain(chars[chars.len() + 1 - rows..].iter().copied())
            .collect(),
        _ => chars[..rows - 1].iter().copied().chain(['…']).collect(),
    }
}

/// Share of an item's counted leaves covered by agreed links.
fn coverage(pane: &Pane, i: usize) -> String {
    match (pane.covered.get(i), pane.counted.get(i)) {
        // Rounded as the trees and `crosswalk coverage` round it.
        (Some(&c), Some(&n)) => {
            percent(c as usize, n as usize).map_or_else(|| "–".into(), |p| format!("{p:.0}%"))
        }
        _ => "–".into(),
    }
}

pub fn draw(state: &State, m: &Matrix, area: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    let [left, right] = &state.panes;
    let kinds = format!("{} ↓ × {} → ", title(left, LEFT), title(right, RIGHT));
    let size = format!(
        " level {} of {}: {} rows × {} columns ",
        m.level + 1,
        m.max_level + 1,
        m.rows().len(),
        m.columns().len()
    );
    // The two kinds only when both titles fit side by side.
    let head = if width(&kinds) + width(&size) + 20 <= area.width as usize {
        vec![
            Span::styled(" Coverage matrix: ", theme.title),
            Span::styled(kinds, theme.muted),
        ]
    } else {
        vec![Span::styled(" Coverage matrix ", theme.title)]
    };
    Block::bordered()
        .border_style(theme.border_focus)
        .title(Line::from(head))
        .title_top(Line::styled(size, theme.muted).right_aligned())
        .render(area, buf);
    let lay = layout(area, m.header);
    if left.is_empty() || right.is_empty() {
        let hint = "the matrix needs two frameworks: p chooses them";
        let r = lay.inner;
        if r.height > 0 {
            buf.set_stringn(r.x, r.y, hint, r.width as usize, theme.muted);
        }
        return;
    }
    // Built for other frameworks (`app::matrix::refresh` has not run yet): draw no item.
    if (0..2).any(|p| m.line_of[p].len() != state.panes[p].fw.items.len()) {
        return;
    }
    let start = [
        window(m.scroll[LEFT], m.cursor[LEFT], m.rows().len(), lay.rows),
        window(
            m.scroll[RIGHT],
            m.cursor[RIGHT],
            m.columns().len(),
            lay.cols,
        ),
    ];
    let shown = |p: usize, n: usize| {
        (start[p]..m.lines[p].len())
            .take(n)
            .enumerate()
            .map(move |(k, line)| (k as u16, line, m.lines[p][line]))
    };
    // Column codes downwards, and each column's coverage under them.
    for (k, col, item) in shown(RIGHT, lay.cols) {
        let x = lay.header.x + k * CELL;
        let here = col == m.cursor[RIGHT];
        let style = if here {
            theme.cursor_dim.add_modifier(Modifier::BOLD)
        } else {
            theme.code
        };
        if here {
            buf.set_style(Rect::new(x, lay.header.y, CELL, lay.header.height), style);
        }
        for (y, c) in (lay.header.y..).zip(downwards(
            &right.fw.items[item],
            m.prefix,
            lay.header.height as usize,
        )) {
            buf.set_stringn(x + 1, y, c.to_string(), 2, style);
        }
        if lay.coverage.height > 0 {
            let s = if here { style } else { theme.muted };
            // Without the % sign, neighbours never touch ("100" is the widest).
            let pct = format!("{:>4}", coverage(right, item).trim_end_matches('%'));
            buf.set_stringn(x, lay.coverage.y, pct, CELL as usize, s);
        }
    }
    // The codes' shared start, once, where the codes end.
    let shared = m
        .columns()
        .first()
        .and_then(|&i| right.fw.items[i].code.get(..m.prefix))
        .filter(|p| !p.is_empty() && lay.header.height > 0);
    if let Some(p) = shared {
        let text = format!(
            "{} ",
            truncate(&format!("{p}…"), lay.labels.width as usize / 2)
        );
        let x = lay.labels.right().saturating_sub(width(&text) as u16);
        let y = lay.header.bottom() - 1;
        buf.set_stringn(x, y, &text, width(&text), theme.code);
    }
    let what = "covered % →";
    if lay.coverage.height > 0 && lay.labels.width as usize > width(what) {
        let x = lay.labels.right() - width(what) as u16;
        buf.set_stringn(x, lay.coverage.y, what, width(what), theme.muted);
    }
    for (k, row, item) in shown(LEFT, lay.rows) {
        let y = lay.grid.y + k;
        let here = row == m.cursor[LEFT];
        row_label(
            buf,
            Rect::new(lay.labels.x, y, lay.labels.width, 1),
            left,
            item,
            here,
            theme,
        );
        for (j, col, _) in shown(RIGHT, lay.cols) {
            let cell = m.cell(row, col);
            let (text, style) = match cell.headline() {
                None => (" ·  ".to_string(), theme.muted),
                Some(s) => {
                    let count = match cell.total() {
                        1 => String::new(),
                        n @ 2..=99 => n.to_string(),
                        _ => "+".into(),
                    };
                    (format!(" {}{count:<2}", s.symbol()), theme.link_status(s))
                }
            };
            let style = if here && col == m.cursor[RIGHT] {
                theme.cursor.add_modifier(Modifier::BOLD)
            } else {
                style
            };
            buf.set_stringn(lay.grid.x + j * CELL, y, text, CELL as usize, style);
        }
    }
    footer(state, m, lay.footer, buf);
}

/// Cursor mark, code, statement cut to fit, and the item's coverage on the right.
fn row_label(buf: &mut Buffer, r: Rect, pane: &Pane, i: usize, here: bool, theme: &Theme) {
    let (base, code) = if here {
        let s = theme.cursor_dim;
        buf.set_style(r, s);
        (s, s.add_modifier(Modifier::BOLD))
    } else {
        (theme.base, theme.code)
    };
    let w = r.width as usize;
    let pct = if w >= 16 {
        format!(" {:>4}", coverage(pane, i))
    } else {
        String::new()
    };
    let it = &pane.fw.items[i];
    let room = w.saturating_sub(1 + width(&pct));
    let code_text = truncate(&it.code, room);
    let statement = truncate(&it.statement, room.saturating_sub(width(&code_text) + 1));
    let line = Line::from(vec![
        Span::styled(if here { "▶" } else { " " }, code),
        Span::styled(code_text, code),
        Span::styled(" ", base),
        Span::styled(statement, base),
    ]);
    buf.set_line(r.x, r.y, &line, r.width.saturating_sub(width(&pct) as u16));
    let s = if here { base } else { theme.muted };
    let x = r.right().saturating_sub(width(&pct) as u16);
    buf.set_stringn(x, r.y, &pct, pct.len(), s);
}

/// The cursor's row and column items, the links in its cell, the legend and keys.
fn footer(state: &State, m: &Matrix, r: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    let w = r.width as usize;
    let [row, col] = m.at_cursor();
    let item = |p: usize, mark: &'static str, i: Option<usize>| -> Line<'_> {
        let Some(it) = i.and_then(|i| state.panes[p].fw.items.get(i)) else {
            return Line::default();
        };
        let room = w.saturating_sub(width(mark) + width(&it.code) + 1);
        Line::from(vec![
            Span::styled(mark, theme.muted),
            Span::styled(it.code.as_str(), theme.code),
            Span::styled(" ", theme.base),
            Span::styled(truncate(&it.statement, room), theme.base),
        ])
    };
    let cell = m.cell(m.cursor[LEFT], m.cursor[RIGHT]);
    let mut links = match cell.total() {
        0 => vec![Span::styled("no link between these two", theme.muted)],
        n => {
            let mut spans = vec![Span::styled(
                format!("{n} link{}: ", if n == 1 { "" } else { "s" }),
                theme.base,
            )];
            for s in ORDER.into_iter().filter(|&s| cell.counts[s as usize] > 0) {
                if spans.len() > 1 {
                    spans.push(Span::raw("  "));
                }
                let text = format!("{} {} {s}", s.symbol(), cell.counts[s as usize]);
                spans.push(Span::styled(text, theme.link_status(s)));
            }
            spans
        }
    };
    if cell.total() > 0 && !state.session.is_running() {
        links.push(Span::styled(
            "  (no participants: every link counts as agreed)",
            theme.muted,
        ));
    }
    if m.above > 0 {
        let key = key(state, Action::Coarser);
        links.push(Span::styled(
            format!(
                "  ({} link{} on groups above this level: {key} shows them)",
                m.above,
                if m.above == 1 { "" } else { "s" }
            ),
            theme.muted,
        ));
    }
    let mut legend = Vec::new();
    for s in ORDER {
        legend.push(Span::styled(s.symbol(), theme.link_status(s)));
        legend.push(Span::styled(format!(" {s}  "), theme.base));
    }
    legend.push(Span::styled("·", theme.muted));
    legend.push(Span::styled(" none", theme.base));
    let lines = [
        item(LEFT, "↓ ", row),
        item(RIGHT, "→ ", col),
        Line::from(links),
        Line::from(legend),
    ];
    for (y, line) in (r.y..r.bottom()).zip(&lines) {
        buf.set_line(r.x, y, line, r.width);
    }
    // The keys, right of the legend when they fit.
    let hints: Vec<Span> = [
        (Action::Finer, " finer  "),
        (Action::Coarser, " coarser  "),
        (Action::Jump, " go to  "),
        (Action::Back, " back"),
    ]
    .into_iter()
    .flat_map(|(a, what)| {
        [
            Span::styled(key(state, a), theme.key),
            Span::styled(what, theme.muted),
        ]
    })
    .collect();
    let hints = Line::from(hints);
    let used = lines[3].width() + 3;
    if r.height >= FOOTER && used + hints.width() <= w {
        let x = r.right() - hints.width() as u16;
        buf.set_line(x, r.y + 3, &hints, hints.width() as u16);
    }
}

fn key(state: &State, a: Action) -> String {
    state
        .keymap
        .first_key(Section::Matrix, a)
        .map(|k| k.label())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::matrix_layout::{header_rows, shared_prefix};
    use crate::model::Framework;

    fn columns(codes: &[&str]) -> (Framework, Vec<usize>) {
        let items = codes
            .iter()
            .map(|c| Item {
                code: c.to_string(),
                statement: format!("statement of {c}"),
                ..Item::default()
            })
            .collect();
        let fw = Framework {
            items,
            ..Framework::default()
        };
        (fw, (0..codes.len()).collect())
    }

    #[test]
    fn column_codes_lose_only_a_whole_shared_start() {
        let prefix = |codes: &[&str]| {
            let (fw, cols) = columns(codes);
            shared_prefix(&fw, &cols)
        };
        assert_eq!(prefix(&["CHW.C.1", "CHW.C.2", "CHW.C.10"]), 6);
        assert_eq!(prefix(&["EMP.12.3", "EMP.1.5"]), 4, "not into a token");
        assert_eq!(prefix(&["C0.1", "C1.1"]), 0);
        assert_eq!(prefix(&["A.1", "A."]), 0, "nothing would be left of A.");
        assert_eq!(prefix(&["A.1", ""]), 0);
        assert_eq!(prefix(&["SAF.1"]), 0, "one column keeps its code");
        let (fw, cols) = columns(&["CHW.C.1", "CHW.C.12"]);
        assert_eq!(header_rows(&fw, &cols, 6), 2);
        assert_eq!(downwards(&fw.items[1], 6, 8), ['1', '2']);
        assert_eq!(header_rows(&fw, &cols, 0), 8);
        assert_eq!(downwards(&fw.items[1], 0, 4), ['…', '.', '1', '2']);
    }
}
