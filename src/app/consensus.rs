//! Running the session from the screen: votes and comments on links, verdicts on
//! competencies, who is at the keyboard, the status filter and the queue of open links.
//! Every change goes to the workshop as its own transaction, then to the screen.
use super::Action;
use super::history::{self, Change};
use super::keymap::Section;
use super::session::StatusFilter;
use super::state::{Focus, LEFT, Popup, RIGHT, State, Tone};
use super::text_input::TextInput;
use crate::model::rules::{self, Act, Refusal};
use crate::model::{LinkStatus, Side, Verdict, Vote};
use crate::store::{StoreError, Workshop};

/// What a remark typed in the popup becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum RemarkFor {
    /// A dispute vote on a link, with why (required).
    Dispute(String),
    /// A reject vote on a link, with why (may be empty).
    Reject(String),
    /// A comment in a link's thread.
    Comment(String),
    /// A needs-revision verdict on a competency (item identifier), saying what.
    Revise(String),
    /// The name of a participant to add (their role is asked next).
    NewPerson,
    /// A new name for this participant.
    RenamePerson(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Remark {
    pub target: RemarkFor,
    /// "E1.1 → J1.2" or "J1.2": what the remark is about.
    pub subject: String,
    pub input: TextInput,
}

impl Remark {
    pub fn prompt(&self) -> &'static str {
        match self.target {
            RemarkFor::Dispute(_) => "dispute: why does it not align? (required)",
            RemarkFor::Reject(_) => "reject: why? (may be empty)",
            RemarkFor::Comment(_) => "comment for the link's thread",
            RemarkFor::Revise(_) => "needs revision: what should change? (required)",
            RemarkFor::NewPerson => "name (unique, any letter case)",
            RemarkFor::RenamePerson(_) => "new name",
        }
    }
}

/// A menu of a few entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub about: ChoiceAbout,
    pub title: String,
    pub entries: Vec<String>,
    pub cursor: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ChoiceAbout {
    /// A verdict on a competency (item index in the right pane).
    Verdict(usize),
    /// Who is at the keyboard: participants in order, then "nobody".
    Participant,
    /// The participant list (M): everyone in order, then "add".
    People,
    /// What to do with this participant: rename, change role, remove.
    Person(String),
    /// The role for a participant being added, by name.
    NewRole(String),
    /// A new role for this participant.
    Role(String),
    /// Confirming the removal of this participant.
    Remove(String),
}

const VERDICTS: [Verdict; 3] = [
    Verdict::Validated,
    Verdict::NeedsRevision,
    Verdict::NotRelevant,
];

/// The link votes and comments go to: the one selected in the detail pane; from a
/// tree, the link between the two cursors, or the selected item's only link.
fn target_link(state: &mut State) -> Option<usize> {
    let found = if state.focus == Focus::Detail {
        state.selection.links.get(state.detail.link).copied()
    } else {
        let between = match (state.panes[LEFT].item(), state.panes[RIGHT].item()) {
            (Some(l), Some(r)) => state.links.iter().position(|sl| sl.ends == [l, r]),
            _ => None,
        };
        between.or(match state.selection.links.as_slice() {
            [one] => Some(*one),
            _ => None,
        })
    };
    if found.is_none() {
        let why = if state.selection.links.is_empty() {
            "no link here: select a linked item (or press ] for the next open link)"
        } else {
            "this item has several links: press i and choose one in the detail pane"
        };
        state.say(Tone::Info, why);
    }
    found
}

fn link_subject(state: &State, k: usize) -> String {
    let l = &state.links[k].link;
    format!("{} → {}", l.origin.label(), l.destination.label())
}

/// Refuses early, with the reason, when whoever is at the keyboard may not `act` (the
/// store refuses it too; this only saves typing a reason for nothing).
pub fn allowed(state: &mut State, act: Act) -> bool {
    let why = match rules::may(
        state.session.actor.as_ref(),
        state.session.is_running(),
        act,
    ) {
        Ok(()) => return true,
        Err(Refusal::NoSession) => format!(
            "nobody takes part yet, so there is nothing to {}: add participants with `crosswalk participant add NAME --role ROLE`",
            if matches!(act, Act::Validate(_) | Act::WithdrawVerdict) {
                "judge"
            } else {
                "vote on"
            }
        ),
        Err(Refusal::NeedsName) => "say who is at the keyboard first: press W".to_string(),
        Err(Refusal::Role(text)) => format!("{text} (W to switch)"),
    };
    state.say(Tone::Error, why);
    false
}

/// Accept, dispute (asks why), reject (asks why), or comment on the target link.
pub fn start_vote(state: &mut State, ws: &mut Workshop, action: Action) {
    let act = match action {
        Action::Accept => Act::Vote(Vote::Accept),
        Action::Dispute => Act::Vote(Vote::Dispute),
        Action::RejectLink => Act::Vote(Vote::Reject),
        _ => Act::Comment,
    };
    if !allowed(state, act) {
        return;
    }
    let Some(k) = target_link(state) else { return };
    let id = state.links[k].link.identifier.clone();
    let target = match action {
        Action::Accept => return vote(state, ws, &id, Vote::Accept, None),
        Action::Dispute => RemarkFor::Dispute(id),
        Action::RejectLink => RemarkFor::Reject(id),
        _ => RemarkFor::Comment(id),
    };
    state.popup = Some(Popup::Remark(Remark {
        target,
        subject: link_subject(state, k),
        input: TextInput::default(),
    }));
}

fn vote(state: &mut State, ws: &mut Workshop, link: &str, v: Vote, why: Option<&str>) {
    let Some(me) = state.session.actor.clone() else {
        return;
    };
    let before = state.session.my_vote(link);
    let change = Change::Voted {
        link: link.to_string(),
        by: me.name.clone(),
        before,
        after: Some(v),
    };
    // A reason travels with the vote, into the thread, in the same transaction; the
    // store says which status the vote really moved the link from, others' votes counted.
    match ws
        .vote(link, v, why)
        .and_then(|moved| refresh_link(state, ws, link).map(|()| moved))
    {
        Ok((old, new)) => {
            let moved = if new == old {
                format!("still {new}")
            } else {
                format!("{} {old} → {new}", new.symbol())
            };
            state.say(
                Tone::Done,
                format!("{} votes {v}: {moved} (u to undo)", me.name),
            );
            state.history.record(change);
        }
        Err(e) => state.say(Tone::Error, format!("vote not recorded: {e}")),
    }
}

/// Re-reads one link's votes after they changed, and what follows from them.
pub fn refresh_link(state: &mut State, ws: &Workshop, link: &str) -> crate::store::Result<()> {
    let sl = ws.session_link(link)?;
    if sl.ballots.is_empty() {
        state.session.ballots.remove(link);
    } else {
        state.session.ballots.insert(link.to_string(), sl.ballots);
    }
    if let Some(on) = state.links.iter_mut().find(|l| l.link.identifier == link) {
        on.status = sl.status;
    }
    state.after_links_changed();
    Ok(())
}

/// Carries out a vote change (for `history::apply`): as whoever cast it, or not at all.
pub fn apply_vote(
    state: &mut State,
    ws: &mut Workshop,
    link: &str,
    by: &str,
    was: Option<Vote>,
    vote: Option<Vote>,
) -> crate::store::Result<()> {
    if state.session.actor.as_ref().map(|p| p.name.as_str()) != Some(by) {
        return Err(StoreError::Refused(format!(
            "that vote is {by}'s: press W and choose {by} to change it"
        )));
    }
    match vote {
        Some(v) => ws.vote(link, v, None).map(|_| ())?,
        // Withdrawn only while it is still the vote this screen knows of.
        None => ws.withdraw_vote_seen(link, was).map(|_| ())?,
    }
    refresh_link(state, ws, link)
}

/// Carries out a verdict change (for `history::apply`).
pub fn apply_verdict(
    state: &mut State,
    ws: &mut Workshop,
    item: &str,
    verdict: &Option<(Verdict, String)>,
) -> crate::store::Result<()> {
    match verdict {
        Some((v, comment)) => {
            let given = ws.validate(item, *v, comment)?;
            state.session.verdicts.insert(item.to_string(), given);
        }
        // Others' verdicts may still stand after this person's is withdrawn.
        None => match ws.withdraw_validation(item)? {
            Some(standing) => {
                state.session.verdicts.insert(item.to_string(), standing);
            }
            None => {
                state.session.verdicts.remove(item);
            }
        },
    }
    state.after_links_changed();
    Ok(())
}

/// Opens the verdict menu for the selected competency.
pub fn start_verdict(state: &mut State) {
    let p = state.active;
    let Some(i) = state.panes[p].item() else {
        return;
    };
    if state.panes[p].fw.side != Side::Employer {
        return state.say(
            Tone::Info,
            "only competencies (the employer side) are validated: select one on the right",
        );
    }
    let who_may = state
        .session
        .actor
        .as_ref()
        .is_none_or(|a| a.role.can_validate());
    if !who_may || (state.session.is_running() && state.session.actor.is_none()) {
        return state.say(
            Tone::Error,
            "competencies are validated by an employer SME (or a facilitator recording the room's decision): press W to say who is at the keyboard",
        );
    }
    let it = &state.panes[p].fw.items[i];
    let current = state.session.verdict(&it.identifier);
    let mut entries: Vec<String> = vec![
        "✔ validated: the role needs it as written".into(),
        "✎ needs revision: say what should change".into(),
        "⊖ not relevant to this role".into(),
    ];
    if current.is_some() {
        entries.push("withdraw the verdict".into());
    }
    state.popup = Some(Popup::Choice(Choice {
        about: ChoiceAbout::Verdict(i),
        title: format!("Validate {}", code_of(state, RIGHT, i)),
        cursor: current
            .and_then(|c| VERDICTS.iter().position(|v| *v == c))
            .unwrap_or(0),
        entries,
    }));
}

fn code_of(state: &State, p: usize, i: usize) -> String {
    let it = &state.panes[p].fw.items[i];
    if it.code.is_empty() {
        it.identifier.clone()
    } else {
        it.code.clone()
    }
}

/// Opens the participant picker (at start, and on W).
pub fn start_participant(state: &mut State) {
    if !state.session.is_running() {
        return state.say(
            Tone::Info,
            "nobody takes part yet: add participants with `crosswalk participant add NAME --role ROLE`",
        );
    }
    let mut entries: Vec<String> = state
        .session
        .participants
        .iter()
        .map(|p| format!("{} ({})", p.name, p.role))
        .collect();
    entries.push("nobody: just looking (no votes)".into());
    let cursor = state
        .session
        .actor
        .as_ref()
        .and_then(|a| state.session.participants.iter().position(|p| p.id == a.id))
        .unwrap_or(0);
    state.popup = Some(Popup::Choice(Choice {
        about: ChoiceAbout::Participant,
        title: "Who is at the keyboard?".into(),
        entries,
        cursor,
    }));
}

/// A key while a menu of `Choice` is open.
pub fn handle_choice(state: &mut State, ws: &mut Workshop, action: Action) {
    let Some(Popup::Choice(c)) = &mut state.popup else {
        return;
    };
    let n = c.entries.len();
    let picked = match action {
        Action::Up => {
            c.cursor = (c.cursor + n - 1) % n;
            None
        }
        Action::Down => {
            c.cursor = (c.cursor + 1) % n;
            None
        }
        Action::Choose(d) if (1..=n).contains(&(d as usize)) => Some(d as usize - 1),
        Action::Select => Some(c.cursor),
        Action::Cancel => {
            let back_to_list =
                !matches!(c.about, ChoiceAbout::People) && super::people::manages(&c.about);
            state.popup = None;
            if back_to_list {
                super::people::open(state);
            }
            return;
        }
        _ => None,
    };
    let Some(k) = picked else { return };
    let about = c.about.clone();
    state.popup = None;
    match about {
        ChoiceAbout::Participant => {
            let name = state.session.participants.get(k).map(|p| p.name.clone());
            match ws.act_as(name.as_deref()) {
                Ok(()) => {
                    state.session.actor = ws.actor().cloned();
                    // Each person undoes their own changes only.
                    state.history.switch(name.as_deref().unwrap_or(""));
                    let who = match &state.session.actor {
                        Some(p) => format!("at the keyboard: {} ({})", p.name, p.role),
                        None => "nobody at the keyboard: looking only".into(),
                    };
                    state.say(Tone::Done, who);
                }
                Err(e) => state.say(Tone::Error, e.to_string()),
            }
        }
        about @ (ChoiceAbout::People
        | ChoiceAbout::Person(_)
        | ChoiceAbout::NewRole(_)
        | ChoiceAbout::Role(_)
        | ChoiceAbout::Remove(_)) => super::people::chosen(state, ws, about, k),
        ChoiceAbout::Verdict(i) => {
            let identifier = state.panes[RIGHT].fw.items[i].identifier.clone();
            let before = own_verdict(state, &identifier);
            match VERDICTS.get(k) {
                Some(Verdict::NeedsRevision) => {
                    let old = before.as_ref().map(|b| b.1.as_str()).unwrap_or("");
                    state.popup = Some(Popup::Remark(Remark {
                        subject: code_of(state, RIGHT, i),
                        target: RemarkFor::Revise(identifier),
                        input: TextInput::with(old),
                    }));
                }
                Some(&v) => judge(state, ws, identifier, before, Some((v, String::new()))),
                None => judge(state, ws, identifier, before, None),
            }
        }
    }
}

/// The acting person's own current verdict on a competency: what undo gives back
/// (verdicts are per person; the standing may rest on others').
fn own_verdict(state: &State, item: &str) -> Option<(Verdict, String)> {
    let me = state.session.actor.as_ref().map(|p| p.name.as_str());
    state
        .session
        .verdicts
        .get(item)?
        .verdicts
        .iter()
        .find(|v| v.by.as_deref() == me)
        .map(|v| (v.verdict, v.comment.clone()))
}

fn judge(
    state: &mut State,
    ws: &mut Workshop,
    item: String,
    before: Option<(Verdict, String)>,
    after: Option<(Verdict, String)>,
) {
    let label = state.panes[RIGHT]
        .fw
        .index_of(&item)
        .map(|i| code_of(state, RIGHT, i))
        .unwrap_or_else(|| item.clone());
    let said = match &after {
        Some((v, _)) => format!(
            "{} {label}: {} (u to undo)",
            super::verdict_mark(*v),
            v.words()
        ),
        None => format!("{label}: verdict withdrawn (u to undo)"),
    };
    let change = Change::Judged {
        item,
        before,
        after,
    };
    match history::apply(state, ws, &change) {
        Ok(()) => {
            state.say(Tone::Done, said);
            state.history.record(change);
        }
        Err(e) => state.say(Tone::Error, format!("not recorded: {e}")),
    }
}

/// A key while the remark input is open.
pub fn handle_remark(state: &mut State, ws: &mut Workshop, action: Action) {
    let Some(Popup::Remark(r)) = &mut state.popup else {
        return;
    };
    match action {
        Action::Cancel => {
            let people = matches!(r.target, RemarkFor::NewPerson | RemarkFor::RenamePerson(_));
            state.popup = None;
            if people {
                super::people::open(state);
            }
            return state.say(Tone::Info, "cancelled: nothing recorded");
        }
        Action::Submit => {}
        edit => {
            r.input.edit(edit);
            return;
        }
    }
    let text = r.input.text.trim().to_string();
    let needs_text = !matches!(r.target, RemarkFor::Reject(_));
    if needs_text && text.is_empty() {
        return state.say(Tone::Error, "type some text first (Esc cancels)");
    }
    let target = r.target.clone();
    state.popup = None;
    match target {
        RemarkFor::Dispute(link) => vote(state, ws, &link, Vote::Dispute, Some(&text)),
        RemarkFor::Reject(link) => {
            let why = (!text.is_empty()).then_some(text.as_str());
            vote(state, ws, &link, Vote::Reject, why)
        }
        RemarkFor::Comment(link) => match ws.add_comment(&link, &text) {
            Ok(()) => {
                state.generation += 1;
                state.say(Tone::Done, "comment added to the link's thread");
            }
            Err(e) => state.say(Tone::Error, format!("comment not recorded: {e}")),
        },
        target @ (RemarkFor::NewPerson | RemarkFor::RenamePerson(_)) => {
            super::people::named(state, ws, target, &text)
        }
        RemarkFor::Revise(item) => {
            let before = own_verdict(state, &item);
            judge(
                state,
                ws,
                item,
                before,
                Some((Verdict::NeedsRevision, text)),
            )
        }
    }
}

/// Cycles the status filter of the focused tree.
pub fn cycle_filter(state: &mut State, p: usize) {
    let pane = &mut state.panes[p];
    pane.status_filter = StatusFilter::next(pane.status_filter);
    let now = pane.status_filter;
    let keep = state.search_keep(p);
    let h = state.tree_height();
    state.panes[p].refilter(keep, h);
    let text = match now {
        Some(f) => format!("showing items with {} links (F: next filter)", f.label()),
        None => "showing all items".into(),
    };
    state.say(Tone::Info, text);
}

/// Walks the queue of open links (proposed or disputed), in outcome order: selects the
/// next one after the current selection in both trees and focuses it in the detail pane.
pub fn walk_open(state: &mut State, forward: bool) {
    let open = |s: LinkStatus| matches!(s, LinkStatus::Proposed | LinkStatus::Disputed);
    let mut queue: Vec<usize> = (0..state.links.len())
        .filter(|&k| open(state.links[k].status))
        .collect();
    if queue.is_empty() {
        let why = if state.session.is_running() {
            "no open links: every link is agreed or rejected"
        } else {
            "no open links: nobody takes part, so every link counts as agreed"
        };
        return state.say(Tone::Info, why);
    }
    queue.sort_by_key(|&k| state.links[k].ends);
    // Where we are: the selected link, or the cursors.
    let here = state
        .detail_link()
        .filter(|_| state.focus == Focus::Detail)
        .map(|sl| sl.ends)
        .or_else(|| {
            Some([
                state.panes[LEFT].item()?,
                state.panes[RIGHT].item().unwrap_or(0),
            ])
        });
    let pos = match here {
        Some(h) if forward => queue
            .iter()
            .position(|&k| state.links[k].ends > h)
            .unwrap_or(0),
        Some(h) => queue
            .iter()
            .rposition(|&k| state.links[k].ends < h)
            .unwrap_or(queue.len() - 1),
        None => 0,
    };
    let k = queue[pos];
    let ends = state.links[k].ends;
    let h = state.tree_height();
    for p in [LEFT, RIGHT] {
        state.panes[p].reveal(ends[p], h);
    }
    state.active = LEFT;
    state.focus = Focus::Detail;
    state.reselect();
    if let Some(at) = state.selection.links.iter().position(|&l| l == k) {
        state.detail.link = at;
    }
    state.follow_link();
    let sl = &state.links[k];
    let key = |s: Section, a: Action| {
        state
            .keymap
            .first_key(s, a)
            .map(|k| k.label())
            .unwrap_or_default()
    };
    let text = format!(
        "open link {} of {}: {} {} ({}) · {} accept · {} dispute · {} next",
        pos + 1,
        queue.len(),
        link_subject(state, k),
        sl.status.symbol(),
        sl.status,
        key(Section::Detail, Action::Accept),
        key(Section::Detail, Action::Dispute),
        key(Section::Global, Action::NextOpen),
    );
    state.say(Tone::Info, text);
}

/// For employer experts: the next competency (a leaf of the employer framework on
/// screen) with no verdict yet, after the cursor in tree order, wrapping.
pub fn next_unjudged(state: &mut State) {
    let Some(p) = (0..2).find(|&p| state.panes[p].fw.side == crate::model::Side::Employer) else {
        return state.say(
            Tone::Info,
            "no employer framework on screen: nothing to judge",
        );
    };
    let pane = &state.panes[p];
    let open: Vec<usize> = (0..pane.fw.items.len())
        .filter(|&i| pane.fw.is_leaf(i) && pane.verdicts[i].is_none())
        .collect();
    if open.is_empty() {
        return state.say(Tone::Done, "every competency has a verdict");
    }
    let at = pane.item();
    let target = open
        .iter()
        .copied()
        .find(|&i| at.is_some_and(|a| i > a))
        .unwrap_or(open[0]);
    let h = state.tree_height();
    state.panes[p].reveal(target, h);
    state.active = p;
    state.focus = Focus::Pane(p);
    state.reselect();
    let it = &state.panes[p].fw.items[target];
    let code = if it.code.is_empty() {
        it.identifier.clone()
    } else {
        it.code.clone()
    };
    let key = state
        .keymap
        .first_key(super::Section::Tree, Action::Validate)
        .map(|k| k.label())
        .unwrap_or_default();
    let left = super::plural(open.len(), "competency", "competencies");
    state.say(
        Tone::Info,
        format!("{code}: not yet judged ({left} without a verdict) · {key} to judge it"),
    );
}
