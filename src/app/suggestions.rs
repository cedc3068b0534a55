//! The suggestion pane: for the selected item, the likeliest items on the other side
//! (`crate::suggest`). The indexes are built the first time the pane opens (not at start-up,
//! where they would delay the first frame); the list is worked out again only when the
//! selection, the links or the rejections change.
use super::Action;
use super::history::{self, Change};
use super::state::{Focus, LEFT, RIGHT, State, Tone};
use crate::model::Link;
use crate::store::{NewLink, Workshop};
use crate::suggest::{Context, Index, Suggestion};

/// How many candidates the pane lists.
pub const SHOWN: usize = 8;

#[derive(Default)]
pub struct Suggestions {
    pub open: bool,
    /// Candidate index per side: `indexes[p]` searches pane `p`'s framework.
    pub indexes: [Option<Index>; 2],
    /// Rejected pairs of item identifiers, as the store keeps them.
    pub rejected: Vec<(String, String)>,
    /// What `list` was worked out for: (pane, item).
    pub for_item: (usize, Option<usize>),
    /// False when links or rejections changed since.
    pub fresh: bool,
    /// Best first; `item_index` is on the other side of `for_item`'s pane.
    pub list: Vec<Suggestion>,
    /// Highlighted entry.
    pub cursor: usize,
    pub scroll: usize,
}

impl Suggestions {
    /// Forgets the indexes and the list for the frameworks just loaded.
    pub fn load(&mut self, rejected: Vec<(String, String)>) {
        self.indexes = [None, None];
        self.rejected = rejected;
        self.fresh = false;
        self.for_item = (LEFT, None);
        self.list.clear();
        self.cursor = 0;
        self.scroll = 0;
    }
}

/// Builds both indexes (at the same time, one per core) unless they are built already.
fn ensure_indexes(state: &mut State) {
    if state.suggestions.indexes.iter().all(Option::is_some) {
        return;
    }
    let (l, r) = (&state.panes[LEFT].fw, &state.panes[RIGHT].fw);
    let (li, ri) = std::thread::scope(|s| {
        let other = s.spawn(|| Index::build(r));
        let li = Index::build(l);
        (li, other.join().ok())
    });
    let ri = ri.unwrap_or_else(|| Index::build(r));
    state.suggestions.indexes = [Some(li), Some(ri)];
}

/// Works the list out again when the pane is open and what it depends on changed.
pub fn refresh(state: &mut State) {
    if !state.suggestions.open {
        if state.focus == Focus::Suggest {
            state.focus = Focus::Pane(state.active);
        }
        return;
    }
    ensure_indexes(state);
    let key = (state.selection.pane, state.selection.item);
    if state.suggestions.fresh && state.suggestions.for_item == key {
        return;
    }
    let (p, item) = key;
    let list = match item {
        Some(i) => compute(state, p, i),
        None => Vec::new(),
    };
    let s = &mut state.suggestions;
    if s.for_item != key {
        s.cursor = 0;
        s.scroll = 0;
    }
    s.cursor = s.cursor.min(list.len().saturating_sub(1));
    s.list = list;
    s.for_item = key;
    s.fresh = true;
    follow(state);
}

fn compute(state: &State, p: usize, i: usize) -> Vec<Suggestion> {
    let other = 1 - p;
    let Some(index) = &state.suggestions.indexes[other] else {
        return Vec::new();
    };
    let query = &state.panes[p].fw;
    let candidates = &state.panes[other].fw;
    if candidates.items.is_empty() {
        return Vec::new();
    }
    // Only the links the context reads: the item's own and its siblings'.
    let parent = query.items[i].parent;
    let links: Vec<Link> = state
        .links
        .iter()
        .filter(|l| {
            let q = l.ends[p];
            q == i || (parent.is_some() && query.items[q].parent == parent)
        })
        .map(|l| l.link.clone())
        .collect();
    let ctx = Context::new(query, candidates, &links, &state.suggestions.rejected);
    let mut list = index.suggest(query, i, SHOWN, &ctx);
    // The ranking also reads the parent domain and the framework title; "matched words"
    // name only what the two items themselves share, so a person can check it by reading.
    let mine = own_words(&query.items[i]);
    for sg in &mut list {
        let theirs = own_words(&candidates.items[sg.item_index]);
        sg.matched_words.retain(|w| {
            let (q, c) = w.split_once('~').unwrap_or((w, w));
            holds(&mine, q) && holds(&theirs, c)
        });
    }
    list
}

/// Whether `text` holds `word` or a form of it (the ranking shows one form of a stem:
/// "transformer" for "transformers").
fn holds(text: &str, word: &str) -> bool {
    let word = word.to_lowercase();
    let n = word.chars().count();
    let stem: String = word.chars().take(n.saturating_sub(3).max(4)).collect();
    text.contains(&stem)
}

/// An item's own text (code, statement, abbreviation, keywords), lowered.
fn own_words(it: &crate::model::Item) -> String {
    format!(
        "{} {} {} {}",
        it.code,
        it.statement,
        it.abbreviated,
        it.keywords.join(" ")
    )
    .to_lowercase()
}

/// The candidate highlighted in the list, as (left item, right item).
fn highlighted(state: &State) -> Option<(usize, usize)> {
    let (p, Some(i)) = state.suggestions.for_item else {
        return None;
    };
    let c = state
        .suggestions
        .list
        .get(state.suggestions.cursor)?
        .item_index;
    Some(if p == LEFT { (i, c) } else { (c, i) })
}

/// Opens or closes the pane.
pub fn toggle(state: &mut State) {
    state.suggestions.open = !state.suggestions.open;
    refresh(state);
    if state.suggestions.open && state.selection.item.is_none() {
        state.say(Tone::Info, "select an item to see suggestions for it");
    }
}

/// Moves the focus into the list, opening the pane first if needed.
pub fn focus(state: &mut State) {
    if !state.suggestions.open {
        state.suggestions.open = true;
        refresh(state);
    }
    if state.suggestions.list.is_empty() {
        return state.say(Tone::Info, "no suggestions for this item");
    }
    state.focus = Focus::Suggest;
}

/// Keys while the list has the focus.
pub fn handle(state: &mut State, ws: &mut Workshop, action: Action) {
    let n = state.suggestions.list.len();
    let s = &mut state.suggestions;
    match action {
        Action::Up => s.cursor = s.cursor.saturating_sub(1),
        Action::Down => s.cursor = (s.cursor + 1).min(n.saturating_sub(1)),
        Action::First => s.cursor = 0,
        Action::Last => s.cursor = n.saturating_sub(1),
        Action::AcceptSuggestion => accept(state, ws),
        Action::RejectSuggestion => reject(state, ws),
        Action::ToggleSuggestions => {
            state.suggestions.open = false;
            state.focus = Focus::Pane(state.active);
        }
        Action::Back => state.focus = Focus::Pane(state.active),
        _ => {}
    }
    if state.suggestions.list.is_empty() && state.focus == Focus::Suggest {
        state.focus = Focus::Pane(state.active);
    }
    follow(state);
}

/// Rows of a pane `h` rows high that list candidates: the rest shows the highlighted
/// one's whole statement, below a rule.
pub fn suggestion_rows(h: usize, len: usize) -> usize {
    len.min((h / 2).max(3)).min(h)
}

/// Keeps the highlighted entry in view (the pane draws from `scroll`).
fn follow(state: &mut State) {
    let inner = super::layout::inner(state.areas().suggest).height as usize;
    let h = suggestion_rows(inner, state.suggestions.list.len());
    let s = &mut state.suggestions;
    s.scroll = super::layout::window(s.scroll, s.cursor, usize::MAX, h);
}

/// Links the highlighted candidate with the remembered type, as a suggestion accepted.
fn accept(state: &mut State, ws: &mut Workshop) {
    if !super::consensus::allowed(state, crate::model::rules::Act::DrawLink) {
        return;
    }
    let Some((l, r)) = highlighted(state) else {
        return;
    };
    if super::link_flow::refuse_marked(state, l, r) {
        return;
    }
    let new = NewLink {
        origin: state.panes[LEFT].fw.items[l].identifier.clone(),
        destination: state.panes[RIGHT].fw.items[r].identifier.clone(),
        association_type: Some(state.default_type),
        strength: state.default_strength,
        basis: crate::model::Basis::Suggestion,
        ..NewLink::default()
    };
    match ws.create_link(&new) {
        Ok(link) => {
            let said = format!(
                "linked {} → {} ({}, {}) from the suggestion; u to undo",
                link.origin.label(),
                link.destination.label(),
                link.association_type,
                link.strength
            );
            state.index_link(link.clone());
            state.history.record(Change::Created(link));
            state.after_links_changed();
            state.say(Tone::Done, said);
        }
        Err(e) => state.say(Tone::Error, format!("not saved: {e}")),
    }
}

/// Turns the highlighted candidate down for good (undoable).
fn reject(state: &mut State, ws: &mut Workshop) {
    if !super::consensus::allowed(state, crate::model::rules::Act::RejectSuggestion) {
        return;
    }
    let Some((l, r)) = highlighted(state) else {
        return;
    };
    let change = Change::Rejected {
        origin: state.panes[LEFT].fw.items[l].identifier.clone(),
        destination: state.panes[RIGHT].fw.items[r].identifier.clone(),
        on: true,
    };
    match history::apply(state, ws, &change) {
        Ok(()) => {
            state.say(
                Tone::Done,
                "suggestion rejected: it will not come back (u to undo)",
            );
            state.history.record(change);
        }
        Err(e) => state.say(Tone::Error, format!("not saved: {e}")),
    }
}
