//! Undo and redo for every change of the session. Each step goes to the store first
//! (its own transaction); the screen follows only when the store said yes.
use super::state::{State, Tone};
use crate::model::{Link, Verdict, Vote};
use crate::store::{LinkChange, Workshop};
use std::collections::HashMap;

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
    /// Several changes made in one step (one outcome linked to several competencies):
    /// undone and redone together.
    Group(Vec<Change>),
}

/// A change on an undo stack, with where the session history stood right after it was
/// made: undoing it is refused when someone else has changed the same link or item since.
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    pub change: Change,
    /// The last history entry at the time; `None` until `seal` fills it in.
    pub mark: Option<i64>,
}

/// Undo and redo, per person: each participant at the keyboard walks their own changes
/// only. `done`/`undone` are the stacks of whoever is at the keyboard now.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub done: Vec<Done>,
    pub undone: Vec<Done>,
    /// Whose stacks `done` and `undone` are ("" for nobody).
    who: String,
    others: HashMap<String, (Vec<Done>, Vec<Done>)>,
}

impl History {
    pub fn record(&mut self, change: Change) {
        self.done.push(Done { change, mark: None });
        self.undone.clear();
    }

    /// Hands the keyboard to `who` (a participant's name, or "" for nobody).
    pub fn switch(&mut self, who: &str) {
        if who == self.who {
            return;
        }
        let mine = (
            std::mem::take(&mut self.done),
            std::mem::take(&mut self.undone),
        );
        self.others.insert(std::mem::take(&mut self.who), mine);
        (self.done, self.undone) = self.others.remove(who).unwrap_or_default();
        self.who = who.to_string();
    }

    /// Marks the changes just made with the position of the session history after them.
    pub fn seal(&mut self, ws: &Workshop) {
        let open = |d: &Done| d.mark.is_none();
        if !self.done.iter().any(open) && !self.undone.iter().any(open) {
            return;
        }
        let Ok(mark) = ws.last_history_id() else {
            return;
        };
        for d in self
            .done
            .iter_mut()
            .chain(self.undone.iter_mut())
            .filter(|d| d.mark.is_none())
        {
            d.mark = Some(mark);
        }
    }
}

fn label(link: &Link) -> String {
    format!("{} → {}", link.origin.label(), link.destination.label())
}

impl Change {
    /// The link or item the change is about (a suggestion's rejection is about a pair,
    /// which nobody else can build on).
    fn subjects(&self) -> Vec<String> {
        match self {
            Change::Created(l) | Change::Deleted(l) => vec![l.identifier.clone()],
            Change::Edited { after, .. } => vec![after.identifier.clone()],
            Change::Voted { link, .. } => vec![link.clone()],
            Change::Judged { item, .. } => vec![item.clone()],
            Change::Marked { .. } | Change::Rejected { .. } => Vec::new(),
            Change::Group(all) => all.iter().flat_map(Change::subjects).collect(),
        }
    }

    fn describe(&self, state: &State) -> String {
        match self {
            Change::Group(all) => match all.as_slice() {
                [one] => one.describe(state),
                [Change::Created(first), ..] | [Change::Deleted(first), ..] => {
                    format!("{} links from {}", all.len(), first.origin.label())
                }
                _ => format!("{} changes", all.len()),
            },
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
            Change::Group(all) => Change::Group(all.iter().rev().map(Change::inverse).collect()),
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
        Change::Group(all) => {
            let done = ws.in_one_step(|ws| all.iter().try_for_each(|c| apply(state, ws, c)));
            if done.is_err() {
                // Nothing was kept: the screen reads those links back as they are.
                for id in change.subjects() {
                    let _ = super::live::refresh_link(state, ws, &id);
                }
                state.after_links_changed();
            }
            return done;
        }
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
            let edit = ws.edit_link(&after.identifier, None, &change)?;
            state.replace_link(edit.after, edit.revision);
        }
        Change::Marked { pane, item, on } => {
            let fw = &state.panes[*pane].fw;
            ws.set_no_equivalent(fw.id, &fw.items[*item].identifier, *on)?;
            state.panes[*pane].fw.items[*item].no_equivalent = *on;
        }
        Change::Voted {
            link,
            by,
            before,
            after,
        } => return super::consensus::apply_vote(state, ws, link, by, *before, *after),
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
    let Some(done) = popped else {
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
    let change = &done.change;
    let todo = if back {
        change.inverse()
    } else {
        change.clone()
    };
    let what = change.describe(state);
    let verb = if back { "undo" } else { "redo" };
    let result = built_on(state, ws, &done).and_then(|()| apply(state, ws, &todo));
    let done_now = result.is_ok();
    match result {
        Ok(()) => state.say(
            Tone::Done,
            format!("{} {what}", if back { "undid" } else { "redid" }),
        ),
        Err(e) => state.say(Tone::Error, format!("could not {verb} {what}: {e}")),
    }
    // Done: onto the other stack, as a new change to be sealed; refused: back where it was.
    let again = Done {
        mark: if done_now { None } else { done.mark },
        change: done.change,
    };
    if back != done_now {
        state.history.done.push(again)
    } else {
        state.history.undone.push(again)
    }
}

/// Refuses to undo (or redo) a change that someone else has since changed too: taking it
/// back would throw their work away with it.
fn built_on(state: &State, ws: &Workshop, done: &Done) -> crate::store::Result<()> {
    let Some(mark) = done.mark else {
        return Ok(());
    };
    let me = state.session.actor.as_ref().map(|p| p.name.as_str());
    for subject in done.change.subjects() {
        let theirs = ws.changes_by_others_since(&subject, mark, me)?;
        if let Some(e) = standing(&theirs) {
            return Err(crate::store::StoreError::Refused(format!(
                "{} has changed it since ({}, {}): their change stands",
                e.actor.as_deref().unwrap_or("someone"),
                e.describe(),
                crate::store::format_time(e.at)
            )));
        }
    }
    Ok(())
}

/// The first of other people's changes that still stands: a vote its caster withdrew
/// again is no longer anyone's work, and status changes only follow from votes.
fn standing(theirs: &[crate::model::HistoryEntry]) -> Option<&crate::model::HistoryEntry> {
    let withdrew = |who: &Option<String>| {
        theirs
            .iter()
            .rev()
            .find(|e| &e.actor == who && e.action.starts_with("vote"))
            .is_some_and(|e| e.action == "vote withdrawn")
    };
    theirs.iter().find(|e| match e.action.as_str() {
        "status changed" => false,
        "vote" | "vote withdrawn" => !withdrew(&e.actor) || e.details.get("comment").is_some(),
        _ => true,
    })
}
