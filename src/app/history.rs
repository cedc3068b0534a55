//! Undo and redo for every change of the session. Each step goes to the store first
//! (its own transaction); the screen follows only when the store said yes.
use super::state::{State, Tone};
use crate::model::{Link, Verdict, Vote};
use crate::store::{LinkChange, Workshop};

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Created(Link),
    Deleted(Link),
    Edited {
        before: Box<Link>,
        after: Box<Link>,
    },
    Marked {
        pane: usize,
        item: usize,
        on: bool,
    },
    /// A participant's vote on a link: cast, changed, or (`None`) withdrawn.
    Voted {
        link: String,
        by: String,
        before: Option<Vote>,
        after: Option<Vote>,
    },
    /// A competency's verdict (item identifier) given, changed or withdrawn.
    Judged {
        item: String,
        before: Option<(Verdict, String)>,
        after: Option<(Verdict, String)>,
    },
    /// A suggestion turned down (`on`) or taken back: left and right item identifiers.
    Rejected {
        origin: String,
        destination: String,
        on: bool,
    },
}

#[derive(Debug, Clone, Default)]
pub struct History {
    pub done: Vec<Change>,
    pub undone: Vec<Change>,
}

impl History {
    pub fn record(&mut self, change: Change) {
        self.done.push(change);
        self.undone.clear();
    }
}

fn label(link: &Link) -> String {
    format!("{} → {}", link.origin.label(), link.destination.label())
}

impl Change {
    fn describe(&self, state: &State) -> String {
        match self {
            Change::Created(l) => format!("link {}", label(l)),
            Change::Deleted(l) => format!("deletion of link {}", label(l)),
            Change::Edited { after, .. } => format!("edit of link {}", label(after)),
            Change::Marked { pane, item, on } => {
                let it = &state.panes[*pane].fw.items[*item];
                let code = if it.code.is_empty() {
                    &it.identifier
                } else {
                    &it.code
                };
                format!(
                    "{} {code} as no equivalent",
                    if *on { "marking" } else { "unmarking" }
                )
            }
            Change::Voted { by, after, .. } => match after {
                Some(v) => format!("{by}'s vote ({v})"),
                None => format!("withdrawal of {by}'s vote"),
            },
            Change::Judged { item, after, .. } => {
                let fw = &state.panes[1].fw;
                let code = fw
                    .index_of(item)
                    .map(|i| &fw.items[i])
                    .filter(|it| !it.code.is_empty())
                    .map_or_else(|| item.clone(), |it| it.code.clone());
                match after {
                    Some((v, _)) => format!("verdict {v} on {code}"),
                    None => format!("withdrawal of the verdict on {code}"),
                }
            }
            Change::Rejected {
                origin,
                destination,
                on,
            } => {
                let code = |p: usize, id: &str| {
                    let fw = &state.panes[p].fw;
                    fw.index_of(id)
                        .map(|i| &fw.items[i])
                        .filter(|it| !it.code.is_empty())
                        .map_or_else(|| id.to_string(), |it| it.code.clone())
                };
                format!(
                    "{} of suggestion {} → {}",
                    if *on { "rejection" } else { "restoring" },
                    code(0, origin),
                    code(1, destination)
                )
            }
        }
    }

    /// The change that takes this one back.
    fn inverse(&self) -> Change {
        match self {
            Change::Created(l) => Change::Deleted(l.clone()),
            Change::Deleted(l) => Change::Created(l.clone()),
            Change::Edited { before, after } => Change::Edited {
                before: after.clone(),
                after: before.clone(),
            },
            Change::Marked { pane, item, on } => Change::Marked {
                pane: *pane,
                item: *item,
                on: !*on,
            },
            Change::Voted {
                link,
                by,
                before,
                after,
            } => Change::Voted {
                link: link.clone(),
                by: by.clone(),
                before: *after,
                after: *before,
            },
            Change::Judged {
                item,
                before,
                after,
            } => Change::Judged {
                item: item.clone(),
                before: after.clone(),
                after: before.clone(),
            },
            Change::Rejected {
                origin,
                destination,
                on,
            } => Change::Rejected {
                origin: origin.clone(),
                destination: destination.clone(),
                on: !*on,
            },
        }
    }
}

/// Carries a change out on the store, then on the screen.
pub fn apply(state: &mut State, ws: &mut Workshop, change: &Change) -> crate::store::Result<()> {
    match change {
        Change::Created(link) => {
            ws.insert_link(link)?;
            state.index_link(link.clone());
        }
        Change::Deleted(link) => {
            ws.delete_link(&link.identifier)?;
            state.unindex_link(&link.identifier);
        }
        Change::Edited { after, .. } => {
            let change = LinkChange {
                association_type: Some(after.association_type),
                note: Some(after.note.clone()),
                strength: Some(after.strength),
            };
            let now = ws.update_link(&after.identifier, &change)?;
            state.replace_link(now);
        }
        Change::Marked { pane, item, on } => {
            let fw = &state.panes[*pane].fw;
            ws.set_no_equivalent(fw.id, &fw.items[*item].identifier, *on)?;
            state.panes[*pane].fw.items[*item].no_equivalent = *on;
        }
        Change::Voted {
            link, by, after, ..
        } => return super::consensus::apply_vote(state, ws, link, by, *after),
        Change::Judged { item, after, .. } => {
            return super::consensus::apply_verdict(state, ws, item, after);
        }
        Change::Rejected {
            origin,
            destination,
            on,
        } => {
            let rejected = &mut state.suggestions.rejected;
            let same = |(a, b): &(String, String)| {
                (a == origin && b == destination) || (a == destination && b == origin)
            };
            if *on {
                ws.reject_suggestion(origin, destination)?;
                if !rejected.iter().any(same) {
                    rejected.push((origin.clone(), destination.clone()));
                }
            } else {
                ws.unreject_suggestion(origin, destination)?;
                rejected.retain(|p| !same(p));
            }
        }
    }
    state.after_links_changed();
    Ok(())
}

pub fn undo(state: &mut State, ws: &mut Workshop) {
    step(state, ws, true);
}

pub fn redo(state: &mut State, ws: &mut Workshop) {
    step(state, ws, false);
}

fn step(state: &mut State, ws: &mut Workshop, back: bool) {
    let popped = if back {
        state.history.done.pop()
    } else {
        state.history.undone.pop()
    };
    let Some(change) = popped else {
        state.say(
            Tone::Info,
            if back {
                "nothing to undo"
            } else {
                "nothing to redo"
            },
        );
        return;
    };
    let todo = if back {
        change.inverse()
    } else {
        change.clone()
    };
    let what = change.describe(state);
    match apply(state, ws, &todo) {
        Ok(()) => {
            state.say(
                Tone::Done,
                format!("{} {what}", if back { "undid" } else { "redid" }),
            );
            if back {
                state.history.undone.push(change)
            } else {
                state.history.done.push(change)
            }
        }
        Err(e) => {
            state.say(
                Tone::Error,
                format!(
                    "could not {} {what}: {e}",
                    if back { "undo" } else { "redo" }
                ),
            );
            if back {
                state.history.done.push(change)
            } else {
                state.history.undone.push(change)
            }
        }
    }
}
