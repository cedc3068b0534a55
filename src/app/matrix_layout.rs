//! Where the coverage matrix puts things, from the screen size and the frameworks alone:
//! the keys and clicks of `app::matrix` and the drawing of `ui::matrix` agree on it.
use super::layout::inner;
use super::state::State;
use crate::model::{Framework, Item};
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthChar;

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Cells per column: a space, the status symbol, up to two digits of count.
pub const CELL: u16 = 4;
/// Column codes are written downwards in at most this many rows.
pub const HEADER_MAX: u16 = 8;
/// Row item, column item, the cell's links, the legend.
pub const FOOTER: u16 = 4;
/// Row labels take a third of the width, up to this.
const LABEL_MAX: u16 = 48;
/// Where each part of the matrix goes, from the area alone (so keys and clicks agree
/// with what is drawn).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub inner: Rect,
    pub labels: Rect,
    pub header: Rect,
    /// One row of column coverage, when there is room for it (else height 0).
    pub coverage: Rect,
    pub grid: Rect,
    pub footer: Rect,
    /// Rows and columns in view.
    pub rows: usize,
    pub cols: usize,
}

/// Where the matrix goes: everything above the status bar (nothing when too small).
pub fn body(state: &State) -> Rect {
    let a = state.areas();
    if a.too_small {
        Rect::default()
    } else {
        Rect::new(0, 0, state.size.0, a.status.y)
    }
}

pub fn layout(area: Rect, header: u16) -> Layout {
    let inner = inner(area);
    let footer = (inner.height / 3).min(FOOTER);
    let top = inner.height - footer;
    let head = header.min(top / 3);
    // The coverage row only when at least five rows of cells remain.
    let coverage = u16::from(top >= head + 6);
    let rows = top - head - coverage;
    let label_w = (inner.width / 3).min(LABEL_MAX);
    let cols = (inner.width - label_w) / CELL;
    let (gx, gy) = (inner.x + label_w, inner.y + head + coverage);
    Layout {
        inner,
        labels: Rect::new(inner.x, gy, label_w, rows),
        header: Rect::new(gx, inner.y, cols * CELL, head),
        coverage: Rect::new(gx, inner.y + head, cols * CELL, coverage),
        grid: Rect::new(gx, gy, cols * CELL, rows),
        footer: Rect::new(inner.x, inner.y + top, inner.width, footer),
        rows: rows as usize,
        cols: cols as usize,
    }
}

/// What a column is called: its code less the shared `prefix`, or its statement when
/// it has no code.
pub fn label(it: &Item, prefix: usize) -> (&str, bool) {
    if it.code.is_empty() {
        (&it.statement, false)
    } else {
        (it.code.get(prefix..).unwrap_or(&it.code), true)
    }
}

/// The start all column codes share, up to its last separator ("CHW.C." of "CHW.C.1",
/// "CHW.C.2"), in bytes: written once beside the header instead of down every column.
pub fn shared_prefix(fw: &Framework, columns: &[usize]) -> usize {
    let codes = || columns.iter().map(|&i| fw.items[i].code.as_str());
    let Some(first) = codes().next().filter(|_| columns.len() > 1) else {
        return 0;
    };
    let mut len = first.len();
    for c in codes() {
        len = first[..len]
            .char_indices()
            .zip(c.chars())
            .find(|((_, a), b)| a != b)
            .map_or(len.min(c.len()), |((i, _), _)| i);
    }
    let len = first[..len]
        .rfind(['.', '-', '_', '/', ' ', ':'])
        .map_or(0, |i| i + 1);
    // Every column keeps something of its own (and one without a code, its statement).
    if codes().any(|c| c.len() <= len) {
        0
    } else {
        len
    }
}

/// Rows the column header needs: the longest column label, capped.
pub fn header_rows(fw: &Framework, columns: &[usize], prefix: usize) -> u16 {
    let cap = HEADER_MAX as usize;
    columns
        .iter()
        .map(|&i| {
            let (text, _) = label(&fw.items[i], prefix);
            text.chars()
                .filter(|&c| char_width(c) > 0)
                .take(cap)
                .count() as u16
        })
        .max()
        .unwrap_or(0)
        .clamp(1, HEADER_MAX)
}
