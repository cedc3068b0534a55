//! One framework tree on screen: its items, what is expanded or filtered, the cursor,
//! the scroll offset, and the link count of every item (kept up to date as links
//! change, never recounted per frame).
use super::search::Haystacks;
use super::session::StatusFilter;
use crate::model::{Framework, TreeView, Verdict};
use crate::text::sanitize;

#[derive(Debug, Clone, Default)]
pub struct Pane {
    /// The framework with its display text sanitized (identifiers untouched).
    pub fw: Framework,
    pub view: TreeView,
    /// Row of the cursor in `view.visible()`.
    pub cursor: usize,
    /// First row drawn.
    pub scroll: usize,
    /// Links on screen per item.
    pub counts: Vec<u32>,
    /// Statuses of each item's links on screen, as `session::status_bit`s.
    pub statuses: Vec<u8>,
    /// Each item's verdict (competencies only).
    pub verdicts: Vec<Option<Verdict>>,
    /// Leaves under each item covered by an agreed link, and leaves counted (see
    /// `model::coverage`): a grouping node's percentage is its subtree's.
    pub covered: Vec<u32>,
    pub counted: Vec<u32>,
    /// The whole framework's (covered, counted) leaves.
    pub coverage: (u32, u32),
    /// Some competency here has a verdict: the tree gives verdicts a column.
    pub judged: bool,
    /// Show only undecided leaves (no link, not marked) and their ancestors.
    pub undecided_only: bool,
    /// Show only competencies (leaves) without a verdict, and their ancestors.
    pub unjudged_only: bool,
    /// Show only items with a link of these statuses (and their ancestors).
    pub status_filter: Option<StatusFilter>,
    /// "code statement" per item, built the first time the pane is searched.
    pub haystacks: Haystacks,
    /// Items marked (`*`) to be linked in one step to the other tree's cursor item.
    pub marked: std::collections::BTreeSet<usize>,
}

/// What search matches, laid out as the row shows it: code, space, statement.
pub fn haystack(it: &crate::model::Item) -> String {
    if it.code.is_empty() {
        it.statement.clone()
    } else {
        format!("{} {}", it.code, it.statement)
    }
}

fn clean(s: &mut String) {
    if let std::borrow::Cow::Owned(c) = sanitize(s) {
        *s = c;
    }
}

impl Pane {
    pub fn new(mut fw: Framework) -> Pane {
        clean(&mut fw.title);
        clean(&mut fw.creator);
        for it in &mut fw.items {
            clean(&mut it.code);
            clean(&mut it.statement);
            clean(&mut it.abbreviated);
            clean(&mut it.item_type);
            it.keywords.iter_mut().for_each(clean);
        }
        let view = TreeView::new(&fw, 1);
        let n = fw.items.len();
        Pane {
            fw,
            view,
            counts: vec![0; n],
            statuses: vec![0; n],
            verdicts: vec![None; n],
            covered: vec![0; n],
            counted: vec![0; n],
            ..Pane::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.fw.items.is_empty()
    }

    /// The item under the cursor.
    pub fn item(&self) -> Option<usize> {
        self.view.visible().get(self.cursor).copied()
    }

    /// A leaf with no link and no "no equivalent" mark: work still to do.
    pub fn undecided(&self, i: usize) -> bool {
        self.counts[i] == 0 && !self.fw.items[i].no_equivalent && self.fw.is_leaf(i)
    }

    /// Moves the cursor to `row` (clamped) and scrolls so it is in a `height`-row window.
    pub fn go(&mut self, row: usize, height: usize) {
        self.cursor = row.min(self.view.len().saturating_sub(1));
        self.fit(height);
    }

    pub fn step(&mut self, delta: isize, height: usize) {
        let row = self.cursor.saturating_add_signed(delta);
        self.go(row, height);
    }

    /// Keeps cursor and scroll valid after the view or the window changed.
    pub fn fit(&mut self, height: usize) {
        let len = self.view.len();
        self.cursor = self.cursor.min(len.saturating_sub(1));
        let height = height.max(1);
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + height {
            self.scroll = self.cursor + 1 - height;
        }
        self.scroll = self.scroll.min(len.saturating_sub(height));
    }

    /// Scrolls the window by `delta` rows, dragging the cursor along only if it would leave it.
    pub fn scroll_by(&mut self, delta: isize, height: usize) {
        let max = self.view.len().saturating_sub(height.max(1));
        self.scroll = self.scroll.saturating_add_signed(delta).min(max);
        let last = self.scroll + height.max(1) - 1;
        self.cursor = self
            .cursor
            .clamp(self.scroll, last.min(self.view.len().saturating_sub(1)));
    }

    /// Puts the cursor back on `item` after the view was rebuilt; if it is hidden, on
    /// the row before it (its collapsed ancestor) or, with `next`, the row after it.
    pub fn restore(&mut self, item: Option<usize>, next: bool, height: usize) {
        if let Some(item) = item {
            self.cursor = match self.view.visible().binary_search(&item) {
                Ok(row) => row,
                Err(row) if next => row,
                Err(row) => row.saturating_sub(1),
            };
        }
        self.fit(height);
    }

    /// Shows the item: expands its ancestors, clears a filter that hides it, moves there.
    pub fn reveal(&mut self, item: usize, height: usize) {
        self.view.reveal(&self.fw, item);
        if self.view.row_of(item).is_none() {
            self.undecided_only = false;
            self.unjudged_only = false;
            self.status_filter = None;
            self.view.set_filter(&self.fw, None);
        }
        if let Some(row) = self.view.row_of(item) {
            self.cursor = row;
            // Centre a jump target so its neighbours are seen too.
            self.scroll = row.saturating_sub(height / 2);
        }
        self.fit(height);
    }

    /// Whether a filter that depends on links or verdicts (undecided, unjudged, status) is on.
    pub fn filters_links(&self) -> bool {
        self.undecided_only || self.unjudged_only || self.status_filter.is_some()
    }

    /// Re-applies the undecided and status filters combined with a search filter (`keep`).
    pub fn refilter(&mut self, search: Option<Vec<bool>>, height: usize) {
        let item = self.item();
        let status = self.status_filter.map(StatusFilter::bits);
        let unjudged = self.unjudged_only;
        let keep = match (self.undecided_only || unjudged, status, search) {
            (false, None, k) => k,
            (_, status, k) => Some(
                (0..self.fw.items.len())
                    .map(|i| {
                        (!self.undecided_only || self.undecided(i))
                            && (!unjudged || (self.fw.is_leaf(i) && self.verdicts[i].is_none()))
                            && status.is_none_or(|bits| self.statuses[i] & bits != 0)
                            && k.as_ref().is_none_or(|k| k[i])
                    })
                    .collect(),
            ),
        };
        self.view.set_filter(&self.fw, keep);
        self.restore(item, true, height);
    }

    pub fn ensure_haystacks(&mut self) {
        if self.haystacks.text.len() != self.fw.items.len() {
            self.haystacks = Haystacks::new(&self.fw.items);
        }
    }

    /// Leaves, leaves with a link, leaves marked "no equivalent".
    pub fn tally(&self) -> (usize, usize, usize) {
        let mut t = (0, 0, 0);
        for i in 0..self.fw.items.len() {
            if self.fw.is_leaf(i) {
                t.0 += 1;
                if self.counts[i] > 0 {
                    t.1 += 1;
                } else if self.fw.items[i].no_equivalent {
                    t.2 += 1;
                }
            }
        }
        t
    }
}
