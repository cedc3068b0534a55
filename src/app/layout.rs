//! Where everything goes, from the terminal size alone, so `update` can compute page
//! sizes and mouse hits the same way `draw` places things.
use ratatui::layout::Rect;

/// Smaller than this, the screen shows only a short message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;
/// The status bar: mode and key hints, then counts and progress.
const STATUS_HEIGHT: u16 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub panes: [Rect; 2],
    pub detail: Rect,
    /// The suggestion pane, beside the detail pane when open (empty when closed).
    pub suggest: Rect,
    pub status: Rect,
    pub too_small: bool,
}

impl Areas {
    pub fn new(area: Rect) -> Areas {
        Areas::with_suggestions(area, false)
    }

    /// The layout with the suggestion pane open or closed: when open it takes the right
    /// half of the detail row (more of it on narrow screens would starve the detail).
    pub fn with_suggestions(area: Rect, open: bool) -> Areas {
        Areas::of(area, open, false)
    }

    /// The layout, in presentation mode or not: for a wall, the detail pane takes
    /// nearly half the height and the status bar one line.
    pub fn of(area: Rect, open: bool, present: bool) -> Areas {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let none = Rect::new(area.x, area.y, 0, 0);
            return Areas {
                panes: [none; 2],
                detail: none,
                suggest: none,
                status: none,
                too_small: true,
            };
        }
        let status_h = if present { 1 } else { STATUS_HEIGHT };
        let body = area.height - status_h;
        // The detail pane takes about a third, enough for a statement and a few links.
        let detail_h = if present {
            (body * 9 / 20).max(4)
        } else {
            (body / 3).clamp(4, 16)
        };
        let panes_h = body - detail_h;
        let left_w = area.width / 2;
        let y = area.y;
        let detail = Rect::new(area.x, y + panes_h, area.width, detail_h);
        let (detail, suggest) = if open {
            let dw = area.width - area.width / 2;
            (
                Rect::new(detail.x, detail.y, dw, detail_h),
                Rect::new(detail.x + dw, detail.y, area.width - dw, detail_h),
            )
        } else {
            (detail, Rect::new(detail.x + area.width, detail.y, 0, 0))
        };
        Areas {
            panes: [
                Rect::new(area.x, y, left_w, panes_h),
                Rect::new(area.x + left_w, y, area.width - left_w, panes_h),
            ],
            detail,
            suggest,
            status: Rect::new(area.x, y + body, area.width, status_h),
            too_small: false,
        }
    }

    /// Inside a tree pane's border: where its rows go.
    pub fn pane_inner(&self, p: usize) -> Rect {
        inner(self.panes[p])
    }

    pub fn tree_rows(&self) -> usize {
        self.pane_inner(0).height as usize
    }
}

/// A bordered box's inside.
pub fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x + 1.min(r.width),
        r.y + 1.min(r.height),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}

/// The first line (row, column) of a list drawn `shown` at a time: `scroll`, moved just enough to show the cursor.
pub fn window(scroll: usize, cursor: usize, len: usize, shown: usize) -> usize {
    let start = scroll.min(len.saturating_sub(shown));
    if cursor < start {
        cursor
    } else if shown > 0 && cursor >= start + shown {
        cursor + 1 - shown
    } else {
        start
    }
}

/// A box of at most `w` x `h` in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Widths of the choice menus (verdicts, who is at the keyboard, people) and the
/// framework picker.
pub const CHOICE_WIDTH: u16 = 64;
pub const PICKER_WIDTH: u16 = 100;

/// Where a short menu of `n` entries (a choice, the framework picker) goes on a screen of
/// `area`, `width` wide: drawn there, and clicked there.
pub fn menu(area: Rect, width: u16, n: usize) -> Rect {
    centered(area, width, n as u16 + 2)
}

/// The entry a click at row `y` picks in a menu at `r` whose cursor is `cursor`, scrolled
/// as the menu draws it (the cursor kept in view).
pub fn menu_entry(r: Rect, n: usize, cursor: usize, x: u16, y: u16) -> Option<usize> {
    let inner = inner(r);
    let inside = (inner.x..inner.x + inner.width).contains(&x)
        && (inner.y..inner.y + inner.height).contains(&y);
    if !inside {
        return None;
    }
    let start = menu_start(cursor, inner.height as usize);
    Some(start + (y - inner.y) as usize).filter(|&k| k < n)
}

/// The first entry a menu `h` rows high shows, so that `cursor` is in view.
pub fn menu_start(cursor: usize, h: usize) -> usize {
    cursor.saturating_sub(h.saturating_sub(1))
}

/// A tree row's cursor mark and linked-to-selection mark.
pub const GUTTER: u16 = 2;

/// How far a tree row is indented at `depth`.
pub fn indent(depth: u16, width: u16) -> u16 {
    // Deep trees keep at least two thirds of the row for text.
    (depth.saturating_mul(2)).min(width / 3)
}

/// Column (inside the pane) of the ▸/▾ marker of item `i`, for mouse hits.
pub fn marker_column(fw: &crate::model::Framework, i: usize, width: u16) -> u16 {
    GUTTER + indent(fw.items[i].depth, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_tile_the_screen() {
        for (w, h) in [(60, 12), (80, 24), (200, 60), (61, 13)] {
            let a = Areas::new(Rect::new(0, 0, w, h));
            assert!(!a.too_small);
            assert_eq!(a.panes[0].height + a.detail.height + a.status.height, h);
            assert_eq!(a.panes[0].width + a.panes[1].width, w);
            assert!(a.tree_rows() >= 2);
        }
        let open = Areas::with_suggestions(Rect::new(0, 0, 81, 24), true);
        assert_eq!(open.detail.width + open.suggest.width, 81);
        assert_eq!(open.suggest.y, open.detail.y);
        assert!(Areas::new(Rect::new(0, 0, 59, 30)).too_small);
        assert_eq!(Areas::new(Rect::new(0, 0, 1, 1)).tree_rows(), 0);
    }
}
