//! The list of every link on screen (OpenSALT's association view, Cocoda's mapping list):
//! sorted by outcome, competency, status, type, strength or author, filtered by any of the
//! last four; Enter goes to the link in the trees and the detail pane. Only the two
//! frameworks on screen are listed: `p` chooses another pair.
use super::Action;
use super::state::{Focus, LEFT, Popup, RIGHT, State, Tone};
use crate::model::{AssociationType, LinkStatus, Strength};
use crate::store::Workshop;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Outcome,
    Competency,
    Status,
    Type,
    Strength,
    Author,
}

impl SortBy {
    const ALL: [SortBy; 6] = [
        SortBy::Outcome,
        SortBy::Competency,
        SortBy::Status,
        SortBy::Type,
        SortBy::Strength,
        SortBy::Author,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SortBy::Outcome => "left item",
            SortBy::Competency => "right item",
            SortBy::Status => "status",
            SortBy::Type => "type",
            SortBy::Strength => "strength",
            SortBy::Author => "author",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkList {
    /// Who drew each link (by link identifier), read when the list opened.
    pub authors: HashMap<String, String>,
    pub sort: SortBy,
    pub status: Option<LinkStatus>,
    pub kind: Option<AssociationType>,
    pub strength: Option<Strength>,
    pub author: Option<String>,
    /// Indices into `State::links`, filtered and sorted; worked out after every action.
    pub rows: Vec<usize>,
    pub cursor: usize,
}

impl LinkList {
    pub fn author_of(&self, identifier: &str) -> &str {
        self.authors.get(identifier).map_or("", String::as_str)
    }

    /// "status: disputed · author: Sam", or "" with no filter on.
    pub fn filters(&self) -> String {
        let mut f = Vec::new();
        if let Some(s) = self.status {
            f.push(format!("status: {s}"));
        }
        if let Some(t) = self.kind {
            f.push(format!("type: {t}"));
        }
        if let Some(s) = self.strength {
            f.push(format!("strength: {s}"));
        }
        if let Some(a) = &self.author {
            f.push(format!(
                "author: {}",
                if a.is_empty() { "nobody" } else { a }
            ));
        }
        f.join(" · ")
    }
}

/// Opens the list on every link on screen.
pub fn open(state: &mut State, ws: &Workshop) {
    let authors = match ws.session_links() {
        Ok(all) => all
            .into_iter()
            .map(|sl| {
                let who = sl.provenance.asserted_by.unwrap_or_default();
                (sl.link.identifier, who)
            })
            .collect(),
        Err(e) => return state.say(Tone::Error, format!("cannot read the links: {e}")),
    };
    state.focus_view = false;
    state.popup = Some(Popup::Links(Box::new(LinkList {
        authors,
        ..LinkList::default()
    })));
    refresh(state);
}

/// The next value of a filter: off, then each value present among the links, then off.
fn next<T: Clone + PartialEq>(now: &Option<T>, present: &[T]) -> Option<T> {
    match now {
        None => present.first().cloned(),
        Some(v) => present
            .iter()
            .position(|p| p == v)
            .and_then(|k| present.get(k + 1))
            .cloned(),
    }
}

/// The values in first-seen order, each once.
fn distinct<T: Clone + PartialEq>(values: impl Iterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// A key while the list is open.
pub fn handle(state: &mut State, action: Action) {
    let Some(Popup::Links(list)) = &mut state.popup else {
        return;
    };
    let n = list.rows.len();
    let page = state.size.1.saturating_sub(8).max(2) as usize;
    match action {
        Action::Cancel | Action::LinkList => state.popup = None,
        Action::Up => list.cursor = list.cursor.saturating_sub(1),
        Action::Down => list.cursor = (list.cursor + 1).min(n.saturating_sub(1)),
        Action::PageUp => list.cursor = list.cursor.saturating_sub(page),
        Action::PageDown => list.cursor = (list.cursor + page).min(n.saturating_sub(1)),
        Action::First => list.cursor = 0,
        Action::Last => list.cursor = n.saturating_sub(1),
        Action::SortLinks => {
            let k = SortBy::ALL
                .iter()
                .position(|s| *s == list.sort)
                .unwrap_or(0);
            list.sort = SortBy::ALL[(k + 1) % SortBy::ALL.len()];
        }
        Action::StatusFilter => {
            let mut all = distinct(state.links.iter().map(|l| l.status));
            all.sort_by_key(|s| *s as usize);
            list.status = next(&list.status, &all);
        }
        Action::Retype => {
            let mut all = distinct(state.links.iter().map(|l| l.link.association_type));
            all.sort_by_key(|t| t.as_str());
            list.kind = next(&list.kind, &all);
        }
        Action::Restrength => {
            let all = distinct(state.links.iter().map(|l| l.link.strength));
            list.strength = next(&list.strength, &all);
        }
        Action::FilterAuthor => {
            let mut all = distinct(
                state
                    .links
                    .iter()
                    .map(|l| list.author_of(&l.link.identifier).to_string()),
            );
            all.sort();
            list.author = next(&list.author, &all);
        }
        Action::Select => return go(state),
        _ => {}
    }
    refresh(state);
}

/// Filters and sorts the list again: after every action, so it follows links that others
/// add, change or delete while it is open.
pub fn refresh(state: &mut State) {
    let Some(Popup::Links(list)) = &mut state.popup else {
        return;
    };
    let links = &state.links;
    let mut rows: Vec<usize> = (0..links.len())
        .filter(|&k| {
            let l = &links[k];
            list.status.is_none_or(|s| l.status == s)
                && list.kind.is_none_or(|t| l.link.association_type == t)
                && list.strength.is_none_or(|s| l.link.strength == s)
                && list
                    .author
                    .as_ref()
                    .is_none_or(|a| list.author_of(&l.link.identifier) == a)
        })
        .collect();
    rows.sort_by(|&a, &b| {
        let (x, y) = (&links[a], &links[b]);
        let order = match list.sort {
            SortBy::Outcome => x.ends.cmp(&y.ends),
            SortBy::Competency => (x.ends[RIGHT], x.ends[LEFT]).cmp(&(y.ends[RIGHT], y.ends[LEFT])),
            SortBy::Status => (x.status as usize).cmp(&(y.status as usize)),
            SortBy::Type => x
                .link
                .association_type
                .as_str()
                .cmp(y.link.association_type.as_str()),
            SortBy::Strength => x.link.strength.as_str().cmp(y.link.strength.as_str()),
            SortBy::Author => list
                .author_of(&x.link.identifier)
                .cmp(list.author_of(&y.link.identifier)),
        };
        order.then(x.ends.cmp(&y.ends))
    });
    list.rows = rows;
    list.cursor = list.cursor.min(list.rows.len().saturating_sub(1));
}

/// Enter: both trees to the link's items, the detail pane on the link.
fn go(state: &mut State) {
    let Some(Popup::Links(list)) = &state.popup else {
        return;
    };
    let Some(&k) = list.rows.get(list.cursor) else {
        return;
    };
    let (ends, id) = (state.links[k].ends, state.links[k].link.identifier.clone());
    state.popup = None;
    let h = state.tree_height();
    state.panes[RIGHT].reveal(ends[RIGHT], h);
    state.panes[LEFT].reveal(ends[LEFT], h);
    state.active = LEFT;
    state.focus_view = false;
    state.matrix = None;
    state.reselect();
    if let Some(at) = state
        .selection
        .links
        .iter()
        .position(|&l| state.links[l].link.identifier == id)
    {
        state.detail.link = at;
    }
    state.focus = Focus::Detail;
    state.follow_link();
}
