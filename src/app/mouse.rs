//! Mouse: a click selects (on the ▸/▾ marker it also expands or collapses), the wheel
//! scrolls the pane under the pointer. Hits are found from the layout the size implies.
use super::state::{Focus, Popup, State};
use ratatui::layout::{Position, Rect};

fn inside(r: Rect, x: u16, y: u16) -> bool {
    r.contains(Position { x, y })
}

/// The entry of the open menu (a choice, the framework picker, the link wizard's type or
/// strength) a click at (x, y) picks.
pub fn menu_entry(state: &State, x: u16, y: u16) -> Option<usize> {
    use super::layout::{CHOICE_WIDTH, PICKER_WIDTH, menu, menu_entry as entry};
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    match &state.popup {
        Some(Popup::Choice(c)) => {
            let n = c.entries.len();
            entry(menu(area, CHOICE_WIDTH, n), n, c.cursor, x, y)
        }
        Some(Popup::Picker(p)) => {
            let n = state.frameworks.len();
            entry(menu(area, PICKER_WIDTH, n), n, p.cursor, x, y)
        }
        Some(Popup::Link(flow)) => {
            let r = (state.measure.link_entries)(state)?;
            let n = match flow.step {
                super::Step::Type => crate::model::AssociationType::LINK_TYPES.len(),
                super::Step::Strength => super::STRENGTHS.len(),
                super::Step::Note => 0,
            };
            let inside = (r.x..r.x + r.width).contains(&x) && (r.y..r.y + r.height).contains(&y);
            inside.then(|| (y - r.y) as usize).filter(|&k| k < n)
        }
        _ => None,
    }
}

pub fn click(state: &mut State, x: u16, y: u16) {
    if state.popup.is_some() {
        // Help closes on a click; short menus pick the entry clicked (`update`); others
        // want a key, so nothing is chosen by accident.
        if matches!(state.popup, Some(Popup::Help { .. })) {
            state.popup = None;
        }
        return;
    }
    if state.search.as_ref().is_some_and(|s| s.typing) {
        return;
    }
    let areas = state.areas();
    if areas.too_small {
        return;
    }
    // The matrix hides the trees: a click there moves its cursor, never theirs.
    if state.matrix.is_some() {
        return super::matrix::click(state, x, y);
    }
    // The focus view hides them too; in presentation mode rows are several lines high,
    // so a row number is not an item: keys choose there.
    if state.focus_view {
        return;
    }
    let present = state.present;
    for p in 0..2 {
        let inner = areas.pane_inner(p);
        if !inside(inner, x, y) {
            continue;
        }
        if present {
            state.active = p;
            state.focus = Focus::Pane(p);
            state.reselect();
            return;
        }
        let h = state.tree_height();
        let pane = &mut state.panes[p];
        let row = pane.scroll + (y - inner.y) as usize;
        if row >= pane.view.len() {
            return;
        }
        pane.go(row, h);
        if let Some(i) = pane.item() {
            // The marker sits after the gutter and the indentation.
            let marker_x = inner.x + super::layout::marker_column(&pane.fw, i, inner.width);
            if x == marker_x && pane.fw.has_children(i) && !pane.view.is_filtered() {
                pane.view.toggle(&pane.fw, i);
                pane.restore(Some(i), false, h);
            }
        }
        state.active = p;
        state.focus = Focus::Pane(p);
        state.drag_from = state.panes[p].item().map(|i| (p, i));
        state.reselect();
        return;
    }
    if inside(areas.detail, x, y) {
        state.focus = Focus::Detail;
    }
    if inside(areas.suggest, x, y) && !state.suggestions.list.is_empty() {
        let line = y.saturating_sub(areas.suggest.y + 1) as usize;
        let row = line + state.suggestions.scroll;
        // Below the list the highlighted candidate's statement: a click there picks nothing.
        let shown = super::suggestions::suggestion_rows(
            super::layout::inner(areas.suggest).height as usize,
            state.suggestions.list.len(),
        );
        if y > areas.suggest.y && line < shown && row < state.suggestions.list.len() {
            state.suggestions.cursor = row;
        }
        state.focus = Focus::Suggest;
    }
}

/// The button let go: after a press on an item of one tree, over an item of the other,
/// the two are linked as `a` would (the wizard opens on them).
pub fn release(state: &mut State, x: u16, y: u16) {
    let Some((from, _)) = state.drag_from.take() else {
        return;
    };
    if state.popup.is_some() || state.matrix.is_some() || state.focus_view || state.present {
        return;
    }
    let to = 1 - from;
    let inner = state.areas().pane_inner(to);
    if !inside(inner, x, y) {
        return;
    }
    let h = state.tree_height();
    let pane = &mut state.panes[to];
    let row = pane.scroll + (y - inner.y) as usize;
    if row >= pane.view.len() {
        return;
    }
    pane.go(row, h);
    state.reselect();
    // A drag links the two items it joins, whatever is marked.
    super::link_flow::start_pair(state);
}

pub fn scroll(state: &mut State, x: u16, y: u16, down: bool) {
    let areas = state.areas();
    if areas.too_small {
        return;
    }
    if matches!(state.popup, Some(Popup::Help { .. })) {
        let max = state.help_max_scroll();
        if let Some(Popup::Help { scroll }) = &mut state.popup {
            *scroll = if down {
                (*scroll + 3).min(max)
            } else {
                scroll.saturating_sub(3)
            };
        }
        return;
    }
    if state.matrix.is_some() {
        return super::matrix::wheel(state, down);
    }
    let delta = if down { 3 } else { -3 };
    for p in 0..2 {
        if inside(areas.panes[p], x, y) {
            let h = state.tree_height();
            let before = state.panes[p].item();
            state.panes[p].scroll_by(delta, h);
            if p == state.active && state.panes[p].item() != before {
                state.reselect();
            }
            return;
        }
    }
    if inside(areas.detail, x, y) {
        let max = state.detail_max_scroll();
        state.detail.scroll = state.detail.scroll.saturating_add_signed(delta).min(max);
    }
}
