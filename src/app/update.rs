//! `update`: one action in, the state changed (and the store, for changes of the
//! workshop). No terminal here, so every path is testable with an in-memory workshop.
use super::history::{self, Change};
use super::link_flow::{self, Step};
use super::state::{Focus, LEFT, Popup, State, Tone};
use super::{Action, consensus, link_list, matrix, mouse, picker, search, suggestions};
use crate::store::Workshop;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

pub fn update(state: &mut State, ws: &mut Workshop, action: Action) -> Flow {
    // Act on the workshop as it is now, not as this screen last saw it.
    super::live::sync(state, ws);
    let flow = handle(state, ws, action);
    link_list::refresh(state);
    state.deliver_notice();
    state.history.seal(ws);
    if matches!(action, Action::NextOpen | Action::PrevOpen) {
        publish_focus(state, ws);
    }
    // Undo, redo or another pair of frameworks change what the open matrix shows.
    matrix::refresh(state);
    refresh_record(state, ws);
    flow
}

/// The queue moved: the link now in front of the room goes to the workshop, for the
/// participants' pages. Only a preference of the room: failing to save it changes nothing.
fn publish_focus(state: &State, ws: &mut Workshop) {
    let link = state.detail_link().map(|sl| sl.link.identifier.clone());
    let _ = ws.set_focus(link.as_deref());
}

/// Between key presses: takes in what others changed, and redraws only if anything did.
pub fn tick(state: &mut State, ws: &Workshop) -> bool {
    // Idle is when the search line counts the other pane: never on a keystroke's time.
    let counted = search::count_other(state);
    if !super::live::sync(state, ws) {
        return counted;
    }
    state.deliver_notice();
    link_list::refresh(state);
    matrix::refresh(state);
    refresh_record(state, ws);
    true
}

/// Reads the selection's comments and history for the detail pane when the selection
/// or the session changed: a few indexed queries, only then.
fn refresh_record(state: &mut State, ws: &Workshop) {
    let item = state
        .selection
        .item
        .map(|i| {
            state.panes[state.selection.pane].fw.items[i]
                .identifier
                .as_str()
        })
        .unwrap_or("");
    let link = state
        .detail_link()
        .map(|sl| sl.link.identifier.as_str())
        .unwrap_or("");
    let (item, link) = (item.to_string(), link.to_string());
    if let Err(e) = state
        .session
        .refresh_record(ws, &item, &link, state.generation)
    {
        state.say(Tone::Error, format!("cannot read the history: {e}"));
    }
}

fn handle(state: &mut State, ws: &mut Workshop, action: Action) -> Flow {
    if !matches!(action, Action::Click { .. } | Action::Release { .. }) {
        state.drag_from = None;
    }
    // Under "Terminal too small" nothing is seen, so nothing but quitting acts.
    if state.areas().too_small && !matches!(action, Action::Resize { .. } | Action::Quit) {
        return Flow::Continue;
    }
    if !matches!(action, Action::Resize { .. }) {
        state.message = None;
    }
    match action {
        Action::Resize { width, height } => {
            state.size = (width, height);
            let h = state.tree_height();
            state.panes.iter_mut().for_each(|p| p.fit(h));
            return Flow::Continue;
        }
        Action::Click { x, y } => {
            state.drag_from = None;
            // A click on a menu entry is the digit that picks it.
            if let Some(k) = mouse::menu_entry(state, x, y).and_then(|k| u8::try_from(k + 1).ok()) {
                return handle(state, ws, Action::Choose(k));
            }
            mouse::click(state, x, y);
            return Flow::Continue;
        }
        Action::Release { x, y } => {
            mouse::release(state, x, y);
            return Flow::Continue;
        }
        Action::Scroll { x, y, down } => {
            mouse::scroll(state, x, y, down);
            return Flow::Continue;
        }
        _ => {}
    }
    match &mut state.popup {
        Some(Popup::Help { scroll }) => {
            match action {
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::Down => *scroll += 1,
                Action::PageUp => *scroll = scroll.saturating_sub(10),
                Action::PageDown => *scroll += 10,
                Action::First => *scroll = 0,
                Action::Last => *scroll = usize::MAX,
                Action::Cancel | Action::Help => state.popup = None,
                Action::Quit => return Flow::Quit,
                _ => {}
            }
            let max = state.help_max_scroll();
            if let Some(Popup::Help { scroll }) = &mut state.popup {
                *scroll = (*scroll).min(max);
            }
            return Flow::Continue;
        }
        Some(Popup::Log { scroll, entries }) => {
            let last = entries.len().saturating_sub(1);
            match action {
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::Down => *scroll = (*scroll + 1).min(last),
                Action::PageUp => *scroll = scroll.saturating_sub(10),
                Action::PageDown => *scroll = (*scroll + 10).min(last),
                Action::First => *scroll = 0,
                Action::Last => *scroll = last,
                Action::Cancel | Action::SessionLog => state.popup = None,
                Action::Quit => return Flow::Quit,
                _ => {}
            }
            return Flow::Continue;
        }
        Some(Popup::Invite(_)) => {
            match action {
                Action::Cancel | Action::Submit => state.popup = None,
                Action::Quit => return Flow::Quit,
                _ => {}
            }
            return Flow::Continue;
        }
        Some(Popup::Picker(_)) => {
            picker::handle(state, ws, action);
            return Flow::Continue;
        }
        Some(Popup::Link(_)) => {
            link_flow::handle(state, ws, action);
            return Flow::Continue;
        }
        Some(Popup::Choice(_)) => {
            consensus::handle_choice(state, ws, action);
            return Flow::Continue;
        }
        Some(Popup::Remark(_)) => {
            consensus::handle_remark(state, ws, action);
            return Flow::Continue;
        }
        Some(Popup::Jump(_)) => {
            super::jump::handle(state, action);
            return Flow::Continue;
        }
        Some(Popup::Links(_)) => {
            if action == Action::Quit {
                return Flow::Quit;
            }
            link_list::handle(state, action);
            return Flow::Continue;
        }
        None => {}
    }
    if state.search.as_ref().is_some_and(|s| s.typing) {
        search::typing(state, action);
        return Flow::Continue;
    }
    match action {
        Action::Quit => return Flow::Quit,
        Action::Help => state.popup = Some(Popup::Help { scroll: 0 }),
        Action::Undo => history::undo(state, ws),
        Action::Redo => history::redo(state, ws),
        Action::CycleTheme => {
            state.theme = (state.theme + 1) % state.themes.len();
            let name = state.theme().name.clone();
            // A preference: failing to save it changes nothing that matters.
            let _ = ws.set_setting("screen.theme", &name);
            state.say(Tone::Info, format!("theme: {name}"));
        }
        Action::PickFrameworks => picker::open(state, ws),
        Action::LinkList => link_list::open(state, ws),
        Action::ManagePeople => super::people::open(state),
        Action::JumpToCode => super::jump::start(state),
        Action::SwitchParticipant => consensus::start_participant(state),
        Action::SessionLog => match ws.history(&crate::store::HistoryFilter::All) {
            // Opens on the latest entries: `scroll` is the last line shown.
            Ok(entries) if entries.is_empty() => state.say(Tone::Info, "nothing has happened yet"),
            Ok(entries) => {
                let scroll = entries.len() - 1;
                state.popup = Some(Popup::Log { scroll, entries });
            }
            Err(e) => state.say(Tone::Error, format!("cannot read the session log: {e}")),
        },
        Action::NextOpen | Action::PrevOpen if state.matrix.is_none() => {
            consensus::walk_open(state, action == Action::NextOpen)
        }
        Action::Matrix if state.matrix.is_none() => {
            state.focus_view = false;
            matrix::open(state)
        }
        Action::Present => {
            state.present = !state.present;
            let h = state.tree_height();
            state.panes.iter_mut().for_each(|p| p.fit(h));
            state.say(
                Tone::Info,
                if state.present {
                    "presentation mode: whole statements, a taller detail pane (P again to leave)"
                } else {
                    "presentation mode off"
                },
            );
        }
        Action::FocusView if state.matrix.is_none() => {
            state.focus_view = !state.focus_view;
            if state.focus_view && state.focus == Focus::Suggest {
                state.focus = Focus::Pane(state.active);
            }
        }
        Action::Cancel | Action::Back if state.focus_view => state.focus_view = false,
        _ if state.matrix.is_some() => matrix::handle(state, ws, action),
        _ if state.focus == Focus::Detail => detail(state, ws, action),
        _ if state.focus == Focus::Suggest => suggestions::handle(state, ws, action),
        _ => tree(state, ws, action),
    }
    Flow::Continue
}

/// Keys on a framework tree.
fn tree(state: &mut State, ws: &mut Workshop, action: Action) {
    let Focus::Pane(p) = state.focus else { return };
    let h = state.tree_height();
    let pane = &mut state.panes[p];
    let item = pane.item();
    match action {
        Action::Up => pane.step(-1, h),
        Action::Down => pane.step(1, h),
        Action::PageUp => pane.step(-(h.max(2) as isize - 1), h),
        Action::PageDown => pane.step(h.max(2) as isize - 1, h),
        Action::First => pane.go(0, h),
        Action::Last => pane.go(usize::MAX, h),
        Action::Collapse => {
            let Some(i) = item else { return };
            if pane.fw.has_children(i) && pane.view.is_expanded(i) && !pane.view.is_filtered() {
                pane.view.set_expanded(&pane.fw, i, false);
                pane.restore(Some(i), false, h);
            } else if let Some(row) = pane.fw.items[i]
                .parent
                .and_then(|par| pane.view.row_of(par))
            {
                pane.go(row, h);
            }
        }
        Action::Expand => {
            let Some(i) = item else { return };
            if pane.fw.has_children(i) && !pane.view.is_expanded(i) && !pane.view.is_filtered() {
                pane.view.set_expanded(&pane.fw, i, true);
                pane.restore(Some(i), false, h);
            } else if pane.fw.has_children(i) {
                pane.step(1, h);
            }
        }
        Action::Toggle => {
            let Some(i) = item else { return };
            if pane.view.is_filtered() {
                return state.say(Tone::Info, "the tree is filtered: every branch is open");
            }
            pane.view.toggle(&pane.fw, i);
            pane.restore(Some(i), false, h);
        }
        Action::ExpandAll => {
            pane.view.expand_all(&pane.fw);
            pane.restore(item, false, h);
        }
        Action::CollapseAll => {
            pane.view.collapse_all(&pane.fw);
            pane.restore(item, false, h);
        }
        Action::SwitchPane => {
            state.focus = Focus::Pane(1 - p);
            state.active = 1 - p;
        }
        Action::FocusDetail => state.focus = Focus::Detail,
        Action::Link => link_flow::start_create(state),
        Action::MarkItem => link_flow::toggle_mark(state, p),
        Action::Jump => jump(state),
        Action::Search => search::start(state),
        Action::NextHit | Action::PrevHit => search::walk(state, action == Action::NextHit),
        Action::Cancel => search::leave(state),
        Action::FilterUnlinked => {
            pane.undecided_only = !pane.undecided_only;
            let on = pane.undecided_only;
            let keep = state.search_keep(p);
            state.panes[p].refilter(keep, h);
            state.say(
                Tone::Info,
                if on {
                    "showing only undecided items (f shows all)"
                } else {
                    "showing all items"
                },
            );
        }
        Action::NoEquivalent => mark(state, ws, p),
        Action::ToggleSuggestions => suggestions::toggle(state),
        Action::FocusSuggestions => suggestions::focus(state),
        Action::StatusFilter => consensus::cycle_filter(state, p),
        Action::Accept | Action::Dispute | Action::RejectLink | Action::Comment => {
            consensus::start_vote(state, ws, action)
        }
        Action::Validate => consensus::start_verdict(state),
        Action::NextUnjudged => consensus::next_unjudged(state),
        Action::FilterUnjudged => {
            if pane.fw.side != crate::model::Side::Employer {
                return state.say(
                    Tone::Info,
                    "only competencies are judged: use this on the employer side",
                );
            }
            pane.unjudged_only = !pane.unjudged_only;
            let on = pane.unjudged_only;
            let keep = state.search_keep(p);
            state.panes[p].refilter(keep, h);
            state.say(
                Tone::Info,
                if on {
                    "showing only competencies not yet judged (the same key shows all)"
                } else {
                    "showing all competencies"
                },
            );
        }
        _ => return,
    }
    state.reselect();
}

/// Jumps to the next item on the other side linked to the selection.
fn jump(state: &mut State) {
    let p = state.active;
    let other = 1 - p;
    let targets = &state.selection.others;
    if targets.is_empty() {
        return state.say(Tone::Info, "no link to jump along: this item is not linked");
    }
    // Cycle: the first linked item after the other pane's cursor, wrapping.
    let at = state.panes[other].item();
    let target = targets
        .iter()
        .copied()
        .find(|&t| at.is_some_and(|a| t > a))
        .unwrap_or(targets[0]);
    let h = state.tree_height();
    state.panes[other].reveal(target, h);
    state.active = other;
    state.focus = Focus::Pane(other);
}

fn mark(state: &mut State, ws: &mut Workshop, p: usize) {
    if !consensus::allowed(state, crate::model::rules::Act::MarkNoEquivalent) {
        return;
    }
    let Some(i) = state.panes[p].item() else {
        return;
    };
    let pane = &state.panes[p];
    let on = !pane.fw.items[i].no_equivalent;
    if on && pane.counts[i] > 0 {
        return state.say(
            Tone::Error,
            "this item has links: delete them before marking it as having no equivalent",
        );
    }
    let change = Change::Marked {
        pane: p,
        item: i,
        on,
    };
    match history::apply(state, ws, &change) {
        Ok(()) => {
            let side = if p == LEFT { "competency" } else { "outcome" };
            state.say(
                Tone::Done,
                if on {
                    format!("⊘ marked: no equivalent {side}")
                } else {
                    "mark removed".into()
                },
            );
            state.history.record(change);
        }
        Err(e) => state.say(Tone::Error, format!("not saved: {e}")),
    }
}

/// Keys on the detail pane: its links.
fn detail(state: &mut State, ws: &mut Workshop, action: Action) {
    let n = state.selection.links.len();
    match action {
        Action::Up => state.detail.link = state.detail.link.saturating_sub(1),
        Action::Down => state.detail.link = (state.detail.link + 1).min(n.saturating_sub(1)),
        Action::PageUp => state.detail.scroll = state.detail.scroll.saturating_sub(5),
        Action::PageDown => state.detail.scroll += 5,
        Action::EditLink => link_flow::start_edit(state, None),
        Action::Retype => link_flow::start_edit(state, Some(Step::Type)),
        Action::Restrength => link_flow::start_edit(state, Some(Step::Strength)),
        Action::Renote => link_flow::start_edit(state, Some(Step::Note)),
        Action::DeleteLink => delete(state, ws),
        Action::Jump => {
            let Some(sl) = state.detail_link() else {
                return;
            };
            let other = 1 - state.active;
            let target = sl.ends[other];
            let h = state.tree_height();
            state.panes[other].reveal(target, h);
            state.active = other;
            state.focus = Focus::Pane(other);
            state.reselect();
        }
        Action::Back => {
            state.focus = Focus::Pane(state.active);
            // The tree's item is read from its top again, not from where the links were.
            state.detail.scroll = 0;
        }
        Action::Accept | Action::Dispute | Action::RejectLink | Action::Comment => {
            consensus::start_vote(state, ws, action)
        }
        Action::Validate => consensus::start_verdict(state),
        _ => {}
    }
    if matches!(action, Action::Up | Action::Down) {
        state.follow_link();
    }
    state.detail.scroll = state.detail.scroll.min(state.detail_max_scroll());
}

fn delete(state: &mut State, ws: &mut Workshop) {
    if !consensus::allowed(state, crate::model::rules::Act::DeleteLink) {
        return;
    }
    let Some(sl) = state.detail_link() else {
        return state.say(Tone::Info, "no link selected");
    };
    // Deleted as the screen shows it, or not at all: a link changed since stays.
    let (id, seen) = (sl.link.identifier.clone(), sl.revision);
    match ws.remove_link(&id, Some(seen)) {
        Ok(link) => {
            state.unindex_link(&id);
            state.after_links_changed();
            state.say(Tone::Done, "link deleted (u to undo)");
            state.history.record(Change::Deleted(link));
        }
        Err(e) => {
            super::live::sync(state, ws);
            state.say(Tone::Error, format!("not deleted: {e}"));
        }
    }
}
