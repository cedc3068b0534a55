//! Which rows of a framework tree are on screen: expansion state plus an index of
//! visible rows, rebuilt only when expansion or the filter changes (never per frame).
use super::Framework;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TreeView {
    expanded: Vec<bool>,
    /// Item indices in pre-order, so the list is sorted and binary-searchable.
    visible: Vec<usize>,
    /// When set, only these items (and their ancestors) are shown.
    filter: Option<Vec<bool>>,
}

impl TreeView {
    /// A view with the top `open_depth` levels expanded.
    pub fn new(fw: &Framework, open_depth: u16) -> Self {
        let expanded = fw.items.iter().map(|it| it.depth < open_depth).collect();
        let mut view = TreeView {
            expanded,
            visible: Vec::new(),
            filter: None,
        };
        view.rebuild(fw);
        view
    }

    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    pub fn len(&self) -> usize {
        self.visible.len()
    }

    pub fn is_empty(&self) -> bool {
        self.visible.is_empty()
    }

    pub fn is_expanded(&self, index: usize) -> bool {
        self.expanded.get(index).copied().unwrap_or(false)
    }

    pub fn is_filtered(&self) -> bool {
        self.filter.is_some()
    }

    /// Row of `index` in the visible list, if shown.
    pub fn row_of(&self, index: usize) -> Option<usize> {
        self.visible.binary_search(&index).ok()
    }

    /// The visible row nearest to `index` at or before it (for keeping a cursor
    /// in place when its item is hidden).
    pub fn nearest_row(&self, index: usize) -> usize {
        match self.visible.binary_search(&index) {
            Ok(row) => row,
            Err(row) => row.saturating_sub(1),
        }
    }

    pub fn toggle(&mut self, fw: &Framework, index: usize) {
        if fw.has_children(index) {
            self.expanded[index] = !self.expanded[index];
            self.rebuild(fw);
        }
    }

    pub fn set_expanded(&mut self, fw: &Framework, index: usize, open: bool) {
        if fw.has_children(index) && self.expanded[index] != open {
            self.expanded[index] = open;
            self.rebuild(fw);
        }
    }

    pub fn expand_all(&mut self, fw: &Framework) {
        self.expanded.iter_mut().for_each(|e| *e = true);
        self.rebuild(fw);
    }

    pub fn collapse_all(&mut self, fw: &Framework) {
        self.expanded.iter_mut().for_each(|e| *e = false);
        self.rebuild(fw);
    }

    /// Expands every ancestor of `index` so it can be seen.
    pub fn reveal(&mut self, fw: &Framework, index: usize) {
        let mut changed = false;
        for a in fw.ancestors(index) {
            changed |= !self.expanded[a];
            self.expanded[a] = true;
        }
        if changed {
            self.rebuild(fw);
        }
    }

    /// Shows only items where `keep[i]` holds, with their ancestors; `None` shows all.
    pub fn set_filter(&mut self, fw: &Framework, keep: Option<Vec<bool>>) {
        self.filter = keep.map(|mut keep| {
            // Walk backwards so a kept child marks its parent before the parent is reached.
            for i in (0..fw.items.len()).rev() {
                if keep[i]
                    && let Some(p) = fw.items[i].parent
                {
                    keep[p] = true;
                }
            }
            keep
        });
        self.rebuild(fw);
    }

    fn rebuild(&mut self, fw: &Framework) {
        self.expanded.resize(fw.items.len(), false);
        self.visible.clear();
        let mut i = 0;
        while i < fw.items.len() {
            if self.filter.as_ref().is_some_and(|keep| !keep[i]) {
                i = fw.subtree_end(i);
                continue;
            }
            self.visible.push(i);
            // A filter opens every kept branch; otherwise follow the expansion state.
            let open = self.filter.is_some() || self.expanded[i];
            i = if open { i + 1 } else { fw.subtree_end(i) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Item;

    /// A(0) { B(1) { C(2) } D(3) } E(4)
    fn sample() -> Framework {
        let mk = |id: &str, depth, parent| Item {
            identifier: id.into(),
            code: id.into(),
            depth,
            parent,
            ..Item::default()
        };
        Framework {
            items: vec![
                mk("A", 0, None),
                mk("B", 1, Some(0)),
                mk("C", 2, Some(1)),
                mk("D", 1, Some(0)),
                mk("E", 0, None),
            ],
            ..Framework::default()
        }
    }

    #[test]
    fn collapsed_parents_hide_their_subtree() {
        let fw = sample();
        let mut v = TreeView::new(&fw, 1);
        assert_eq!(v.visible(), &[0, 1, 3, 4]);
        v.toggle(&fw, 0);
        assert_eq!(v.visible(), &[0, 4]);
        v.expand_all(&fw);
        assert_eq!(v.visible(), &[0, 1, 2, 3, 4]);
        v.collapse_all(&fw);
        assert_eq!(v.visible(), &[0, 4]);
    }

    #[test]
    fn reveal_opens_ancestors_only() {
        let fw = sample();
        let mut v = TreeView::new(&fw, 0);
        v.reveal(&fw, 2);
        assert_eq!(v.visible(), &[0, 1, 2, 3, 4]);
        assert!(!v.is_expanded(4));
    }

    #[test]
    fn filter_keeps_ancestors_of_kept_items() {
        let fw = sample();
        let mut v = TreeView::new(&fw, 0);
        v.set_filter(&fw, Some(vec![false, false, true, false, false]));
        assert_eq!(v.visible(), &[0, 1, 2]);
        v.set_filter(&fw, None);
        assert_eq!(v.visible(), &[0, 4]);
    }

    #[test]
    fn toggling_a_leaf_changes_nothing() {
        let fw = sample();
        let mut v = TreeView::new(&fw, 1);
        let before = v.clone();
        v.toggle(&fw, 4);
        assert_eq!(v, before);
        assert_eq!(v.nearest_row(2), 1);
    }
}
