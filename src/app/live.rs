//! The screen kept live: what other people change in the workshop (another screen, the
//! command line, the participants' server) reaches this one through the store's change
//! feed. Only what changed is read again; cursors, scroll, popups and typed text stay.
use super::pane::Pane;
use super::state::{LEFT, RIGHT, ScreenLink, State, Tone};
use crate::model::HistoryEntry;
use crate::store::{Touch, Workshop};

/// Brings the screen up to date with the workshop; true when anything changed. Costs one
/// pragma when nobody else has written.
pub fn sync(state: &mut State, ws: &Workshop) -> bool {
    let entries = match state.feed.poll(ws) {
        Ok(None) => return false,
        Ok(Some(entries)) => entries,
        Err(e) => {
            state.say(Tone::Error, format!("cannot read what others changed: {e}"));
            return false;
        }
    };
    let theirs: Vec<&HistoryEntry> = entries
        .iter()
        .filter(|e| !e.own)
        .map(|e| &e.entry)
        .collect();
    if theirs.is_empty() && !entries.is_empty() {
        return false;
    }
    let mut touched: Vec<Touch> = Vec::new();
    for t in theirs.iter().map(|e| Touch::of(e)) {
        if !touched.contains(&t) {
            touched.push(t);
        }
    }
    // A commit without a history entry (a preference, the focus) changes nothing shown:
    // every change to what the screen shows is in the history.
    if entries.is_empty() {
        return false;
    }
    let result = touched
        .iter()
        .try_for_each(|t| apply(state, ws, t, &theirs));
    if let Err(e) = result {
        state.say(Tone::Error, format!("cannot read what others changed: {e}"));
    }
    state.after_links_changed();
    if let Some(note) = describe(&theirs) {
        // News replaces news and confirmations; an error stays until the next key.
        if state.message.as_ref().is_none_or(|m| m.tone != Tone::Error) {
            state.say(Tone::Info, note);
        }
    }
    true
}

fn apply(
    state: &mut State,
    ws: &Workshop,
    touch: &Touch,
    theirs: &[&HistoryEntry],
) -> crate::store::Result<()> {
    match touch {
        Touch::Link(id) => refresh_link(state, ws, id),
        Touch::Item(_) => {
            reload_verdicts(state, ws)?;
            refresh_marks(state, ws)
        }
        Touch::Participants => reload_session(state, ws),
        Touch::Suggestions => {
            state.suggestions.load(ws.rejected_pairs()?);
            Ok(())
        }
        Touch::Workshop => {
            reload_session(state, ws)?;
            let frameworks_changed = theirs
                .iter()
                .any(|e| Touch::of(e) == Touch::Workshop && e.action != "setting changed");
            if frameworks_changed {
                reload_frameworks(state, ws)?;
            }
            Ok(())
        }
    }
}

/// One link as the store now has it: added, changed, or gone from the screen; its votes.
pub(super) fn refresh_link(state: &mut State, ws: &Workshop, id: &str) -> crate::store::Result<()> {
    let ballots = ws.ballots_on(id)?;
    if ballots.is_empty() {
        state.session.ballots.remove(id);
    } else {
        state.session.ballots.insert(id.to_string(), ballots);
    }
    let (Some(l), Some(r)) = (shown(&state.panes[LEFT]), shown(&state.panes[RIGHT])) else {
        return Ok(());
    };
    let placed = ws.placed_link(l, r, id)?;
    state.unindex_link(id);
    if let Some(p) = placed {
        let [a, b] = p.positions;
        if a < state.panes[LEFT].counts.len() && b < state.panes[RIGHT].counts.len() {
            state.panes[LEFT].counts[a] += 1;
            state.panes[RIGHT].counts[b] += 1;
            state.links.push(ScreenLink {
                status: state.session.status(id),
                link: p.link,
                ends: p.positions,
                revision: p.revision,
            });
        }
    }
    for sl in state.links.iter_mut().filter(|sl| sl.link.identifier == id) {
        sl.status = state.session.status(id);
    }
    Ok(())
}

fn reload_verdicts(state: &mut State, ws: &Workshop) -> crate::store::Result<()> {
    state.session.verdicts = ws
        .validations()?
        .into_iter()
        .map(|v| (v.item_identifier.clone(), v))
        .collect();
    Ok(())
}

fn refresh_marks(state: &mut State, ws: &Workshop) -> crate::store::Result<()> {
    for pane in &mut state.panes {
        let Some(id) = shown(pane) else { continue };
        let marked = ws.marked_items(id)?;
        pane.fw
            .items
            .iter_mut()
            .for_each(|it| it.no_equivalent = false);
        for i in marked {
            if let Some(it) = pane.fw.items.get_mut(i) {
                it.no_equivalent = true;
            }
        }
    }
    Ok(())
}

/// Participants, the rule and every vote and verdict: a new participant or rule can move
/// every link's status.
pub(super) fn reload_session(state: &mut State, ws: &Workshop) -> crate::store::Result<()> {
    let mut session = super::Session::load(ws)?;
    session.actor = state.session.actor.take();
    session.record = std::mem::take(&mut state.session.record);
    state.session = session;
    for sl in &mut state.links {
        sl.status = state.session.status(&sl.link.identifier);
    }
    Ok(())
}

/// A framework re-imported or moved: both panes read again, each cursor kept on its item
/// when it is still there (else on the nearest row), undo stacks kept.
fn reload_frameworks(state: &mut State, ws: &Workshop) -> crate::store::Result<()> {
    let ids = [shown(&state.panes[LEFT]), shown(&state.panes[RIGHT])];
    let keep: Vec<Option<String>> = state
        .panes
        .iter()
        .map(|p| p.item().map(|i| p.fw.items[i].identifier.clone()))
        .collect();
    let history = std::mem::take(&mut state.history);
    let (active, focus) = (state.active, state.focus);
    let heads = ws.framework_heads()?;
    let still = |id: Option<i64>| id.filter(|id| heads.iter().any(|f| f.id == *id));
    let (left, right) = (still(ids[0]), still(ids[1]));
    state.frameworks = heads;
    if let Err(e) = state.load_pair(ws, left, right) {
        state.say(
            Tone::Error,
            format!("cannot read the frameworks again: {e}"),
        );
    }
    let h = state.tree_height();
    for (pane, id) in state.panes.iter_mut().zip(keep) {
        if let Some(i) = id.and_then(|id| pane.fw.index_of(&id)) {
            pane.reveal(i, h);
        }
    }
    state.history = history;
    (state.active, state.focus) = (active, focus);
    Ok(())
}

/// "Ana disputed CHW-PLO.2.1 → CHW.C.1.2", for the latest of other people's changes.
fn describe(theirs: &[&HistoryEntry]) -> Option<String> {
    let said: Vec<&&HistoryEntry> = theirs
        .iter()
        .filter(|e| e.action != "status changed")
        .collect();
    let last = said.last()?;
    let d = &last.details;
    let text = |k: &str| d.get(k).and_then(|v| v.as_str()).unwrap_or("");
    let subject = match (text("origin"), text("destination"), text("item")) {
        ("", _, "") => String::new(),
        ("", _, item) => format!(" {item}"),
        (o, d, _) => format!(" {o} → {d}"),
    };
    let verb = match (last.action.as_str(), text("vote")) {
        ("vote", "accept") => "accepted".to_string(),
        ("vote", "dispute") => "disputed".to_string(),
        ("vote", "reject") => "rejected".to_string(),
        ("vote withdrawn", _) => "withdrew a vote on".to_string(),
        ("created" | "restored", _) => "linked".to_string(),
        ("deleted", _) => "deleted the link".to_string(),
        ("noted", _) => "re-noted".to_string(),
        ("reweighted", _) => "re-weighted".to_string(),
        ("comment", _) => "commented on".to_string(),
        ("validation", _) => format!("judged ({})", text("verdict")),
        ("participant added", _) => format!("added {}", text("name")),
        (other, _) => other.to_string(),
    };
    let who = last.actor.as_deref().unwrap_or("someone");
    let more = match said.len() {
        0 | 1 => String::new(),
        n => format!(
            " (and {} more change{})",
            n - 1,
            if n == 2 { "" } else { "s" }
        ),
    };
    Some(format!("{who} {verb}{subject}{more}"))
}

/// The framework a pane shows, if any (an empty pane's framework has no row).
fn shown(pane: &Pane) -> Option<i64> {
    (pane.fw.id != 0).then_some(pane.fw.id)
}
