//! Drawing or editing a link: pick the CASE type, then the strength, then type the
//! rationale. Nothing reaches the store until the last step is accepted.
use super::Action;
use super::history::Change;
use super::state::{LEFT, Popup, RIGHT, State, Tone};
use super::text_input::TextInput;
use crate::model::rules::Act;
use crate::model::{AssociationType, Link, Strength};
use crate::store::{LinkChange, NewLink, Workshop};

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Items of the left and right framework.
    Create { left: usize, right: usize },
    /// One item to several on the other side, all in one step: (left, right) pairs.
    CreateMany(Vec<(usize, usize)>),
    /// The link as it was before the edit.
    Edit(Box<Link>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Type,
    Strength,
    Note,
}

pub const STRENGTHS: [Strength; 2] = [Strength::Major, Strength::Minor];

#[derive(Debug, Clone, PartialEq)]
pub struct LinkFlow {
    pub target: Target,
    pub step: Step,
    /// Editing one field only: accept after this step.
    pub only: bool,
    pub assoc: AssociationType,
    pub strength: Strength,
    pub note: TextInput,
    /// Highlighted menu entry.
    pub cursor: usize,
    /// The revision of the link being edited, as the screen read it: the store refuses the
    /// edit if someone changed the link since.
    pub seen: Option<i64>,
}

impl LinkFlow {
    fn menu_len(&self) -> usize {
        match self.step {
            Step::Type => AssociationType::LINK_TYPES.len(),
            Step::Strength => STRENGTHS.len(),
            Step::Note => 0,
        }
    }

    fn enter(&mut self, step: Step) {
        self.step = step;
        self.cursor = match step {
            Step::Type => AssociationType::LINK_TYPES
                .iter()
                .position(|t| *t == self.assoc)
                .unwrap_or(0),
            Step::Strength => STRENGTHS
                .iter()
                .position(|s| *s == self.strength)
                .unwrap_or(0),
            Step::Note => 0,
        };
    }
}

/// Marks or unmarks the cursor item of tree `p`, for linking several in one step.
pub fn toggle_mark(state: &mut State, p: usize) {
    let Some(i) = state.panes[p].item() else {
        return;
    };
    let pane = &mut state.panes[p];
    if !pane.marked.remove(&i) {
        pane.marked.insert(i);
    }
    let n = pane.marked.len();
    let key = state
        .keymap
        .first_key(super::Section::Tree, Action::Link)
        .map(|k| k.label())
        .unwrap_or_default();
    let text = if n == 0 {
        "no items marked".to_string()
    } else {
        format!(
            "{} marked: select the item on the other side and press {key} to link it to all of them",
            super::plural(n, "item", "items")
        )
    };
    state.say(Tone::Info, text);
}

/// With items marked in one tree: links the other tree's cursor item to each of them.
fn start_many(state: &mut State) {
    let Some(q) = (0..2).find(|&q| !state.panes[q].marked.is_empty()) else {
        return;
    };
    if !state.panes[1 - q].marked.is_empty() {
        return state.say(
            Tone::Error,
            "items are marked in both trees: mark on one side only, then press a on the other",
        );
    }
    let Some(from) = state.panes[1 - q].item() else {
        return state.say(
            Tone::Error,
            "select the item to link them to in the other tree",
        );
    };
    let mut pairs = Vec::new();
    let marked: Vec<usize> = state.panes[q].marked.iter().copied().collect();
    for i in marked {
        let (left, right) = if q == RIGHT { (from, i) } else { (i, from) };
        if refuse_marked(state, left, right) {
            return;
        }
        if state.link_between(left, right).is_some() {
            let it = &state.panes[q].fw.items[i];
            let code = if it.code.is_empty() {
                &it.identifier
            } else {
                &it.code
            };
            return state.say(
                Tone::Error,
                format!("{code} is already linked to this item: press * on it to unmark it"),
            );
        }
        pairs.push((left, right));
    }
    let mut flow = LinkFlow {
        target: Target::CreateMany(pairs),
        step: Step::Type,
        only: false,
        assoc: state.default_type,
        strength: state.default_strength,
        note: TextInput::default(),
        cursor: 0,
        seen: None,
    };
    flow.enter(Step::Type);
    state.popup = Some(Popup::Link(Box::new(flow)));
}

/// Starts linking the left and right cursor items (or, with items marked, the cursor
/// item to every marked one).
pub fn start_create(state: &mut State) {
    if !super::consensus::allowed(state, Act::DrawLink) {
        return;
    }
    if state.panes.iter().any(|p| !p.marked.is_empty()) {
        return start_many(state);
    }
    start_pair(state);
}

/// Starts linking the left and right cursor items.
pub fn start_pair(state: &mut State) {
    if !super::consensus::allowed(state, Act::DrawLink) {
        return;
    }
    let (Some(left), Some(right)) = (state.panes[LEFT].item(), state.panes[RIGHT].item()) else {
        state.say(
            Tone::Error,
            "select an item in each pane first, then link them",
        );
        return;
    };
    if refuse_marked(state, left, right) {
        return;
    }
    if let Some(existing) = state.link_between(left, right) {
        let t = existing.link.association_type;
        state.say(
            Tone::Info,
            format!("already linked ({t}); press i to edit the link in the detail pane"),
        );
        return;
    }
    let mut flow = LinkFlow {
        target: Target::Create { left, right },
        step: Step::Type,
        only: false,
        assoc: state.default_type,
        strength: state.default_strength,
        note: TextInput::default(),
        cursor: 0,
        seen: None,
    };
    flow.enter(Step::Type);
    state.popup = Some(Popup::Link(Box::new(flow)));
}

/// Linking an item marked "no equivalent" would quietly take that decision back: refuse,
/// and say how to undo the mark. True when refused.
pub fn refuse_marked(state: &mut State, left: usize, right: usize) -> bool {
    for (p, i) in [(LEFT, left), (RIGHT, right)] {
        let it = &state.panes[p].fw.items[i];
        if it.no_equivalent {
            let code = if it.code.is_empty() {
                &it.identifier
            } else {
                &it.code
            };
            let key = state
                .keymap
                .first_key(super::Section::Tree, Action::NoEquivalent)
                .map(|k| k.label())
                .unwrap_or_default();
            let text = format!(
                "{code} is marked ⊘ no equivalent: press {key} on it to remove the mark first, then link"
            );
            state.say(Tone::Error, text);
            return true;
        }
    }
    false
}

/// Starts editing the link selected in the detail pane: every step, or just one.
pub fn start_edit(state: &mut State, only: Option<Step>) {
    if !super::consensus::allowed(state, Act::EditLink) {
        return;
    }
    let Some(sl) = state.detail_link() else {
        state.say(Tone::Info, "no link selected: this item has no links yet");
        return;
    };
    let (link, seen) = (sl.link.clone(), Some(sl.revision));
    let mut flow = LinkFlow {
        seen,
        assoc: link.association_type,
        strength: link.strength,
        note: TextInput::with(&link.note),
        target: Target::Edit(Box::new(link)),
        step: Step::Type,
        only: only.is_some(),
        cursor: 0,
    };
    flow.enter(only.unwrap_or(Step::Type));
    state.popup = Some(Popup::Link(Box::new(flow)));
}

/// A key while the link popup is open.
pub fn handle(state: &mut State, ws: &mut Workshop, action: Action) {
    let Some(Popup::Link(flow)) = &mut state.popup else {
        return;
    };
    if action == Action::Cancel {
        state.popup = None;
        state.say(Tone::Info, "cancelled: nothing changed");
        return;
    }
    let n = flow.menu_len();
    let accept = match (flow.step, action) {
        (Step::Note, Action::Submit) => true,
        (Step::Note, edit) => {
            flow.note.edit(edit);
            false
        }
        (_, Action::Up) => {
            flow.cursor = (flow.cursor + n - 1) % n;
            false
        }
        (_, Action::Down) => {
            flow.cursor = (flow.cursor + 1) % n;
            false
        }
        (_, Action::Choose(d)) if (1..=n).contains(&(d as usize)) => {
            flow.cursor = d as usize - 1;
            true
        }
        (_, Action::Select) => true,
        _ => false,
    };
    if !accept {
        return;
    }
    match flow.step {
        Step::Type => flow.assoc = AssociationType::LINK_TYPES[flow.cursor],
        Step::Strength => flow.strength = STRENGTHS[flow.cursor],
        Step::Note => {}
    }
    let next = match flow.step {
        Step::Type => Step::Strength,
        Step::Strength => Step::Note,
        Step::Note => Step::Note,
    };
    if flow.only || flow.step == Step::Note {
        let flow = (**flow).clone();
        state.popup = None;
        commit(state, ws, flow);
    } else {
        flow.enter(next);
    }
}

fn commit(state: &mut State, ws: &mut Workshop, flow: LinkFlow) {
    let note = flow.note.text.trim().to_string();
    let result = match &flow.target {
        Target::Create { left, right } => {
            let new = NewLink {
                origin: state.panes[LEFT].fw.items[*left].identifier.clone(),
                destination: state.panes[RIGHT].fw.items[*right].identifier.clone(),
                association_type: Some(flow.assoc),
                note,
                strength: flow.strength,
                ..NewLink::default()
            };
            ws.create_link(&new).map(|link| {
                state.index_link(link.clone());
                remember_choice(state, ws, &flow);
                Change::Created(link)
            })
        }
        Target::CreateMany(pairs) => {
            let new: Vec<NewLink> = pairs
                .iter()
                .map(|&(left, right)| NewLink {
                    origin: state.panes[LEFT].fw.items[left].identifier.clone(),
                    destination: state.panes[RIGHT].fw.items[right].identifier.clone(),
                    association_type: Some(flow.assoc),
                    note: note.clone(),
                    strength: flow.strength,
                    ..NewLink::default()
                })
                .collect();
            ws.create_links(&new).map(|links| {
                for link in &links {
                    state.index_link(link.clone());
                }
                state.panes.iter_mut().for_each(|p| p.marked.clear());
                remember_choice(state, ws, &flow);
                Change::Group(links.into_iter().map(Change::Created).collect())
            })
        }
        Target::Edit(before) => {
            let change = LinkChange {
                association_type: Some(flow.assoc),
                note: Some(note),
                strength: Some(flow.strength),
            };
            ws.edit_link(&before.identifier, flow.seen, &change)
                .map(|edit| {
                    state.replace_link(edit.after.clone(), edit.revision);
                    Change::Edited {
                        before: Box::new(edit.before),
                        after: Box::new(edit.after),
                    }
                })
        }
    };
    match result {
        Ok(change) => {
            if let Change::Group(all) = &change {
                let to: Vec<String> = all
                    .iter()
                    .filter_map(|c| match c {
                        Change::Created(l) => Some(l.destination.label().to_string()),
                        _ => None,
                    })
                    .collect();
                if let Some(Change::Created(first)) = all.first() {
                    let (t, s) = (first.association_type, first.strength);
                    state.say(
                        Tone::Done,
                        format!(
                            "linked {} → {} ({t}, {s}; u undoes all {})",
                            first.origin.label(),
                            to.join(", "),
                            all.len()
                        ),
                    );
                }
            }
            let shown = match &change {
                Change::Created(link) => Some(("linked", link)),
                Change::Edited { after, .. } => Some(("saved", &**after)),
                _ => None,
            };
            if let Some((verb, link)) = shown {
                let (o, d) = (link.origin.label(), link.destination.label());
                let (t, s) = (link.association_type, link.strength);
                state.say(Tone::Done, format!("{verb} {o} → {d} ({t}, {s})"));
            }
            state.history.record(change);
            state.after_links_changed();
        }
        Err(e) => offer_again(state, ws, flow, e),
    }
}

/// The type and strength chosen become the next link's defaults.
fn remember_choice(state: &mut State, ws: &mut Workshop, flow: &LinkFlow) {
    if state.default_type != flow.assoc {
        state.default_type = flow.assoc;
        // Only a preference: the link itself is already saved.
        let _ = ws.set_setting("link.default_type", flow.assoc.as_str());
    }
    if state.default_strength != flow.strength {
        state.default_strength = flow.strength;
        let _ = ws.set_setting("link.default_strength", flow.strength.as_str());
    }
}

/// Nothing typed is lost when the store refuses: the popup opens again on the note, with
/// the person's text. When the link changed meanwhile, the screen has caught up first and
/// the edit now starts from the newer link, so Enter saves over it knowingly.
fn offer_again(state: &mut State, ws: &Workshop, mut flow: LinkFlow, e: crate::store::StoreError) {
    use crate::store::StoreError;
    let stale = matches!(e, StoreError::Stale(_));
    // A refusal by the rules stands however often Enter is pressed: say it and stop.
    if !stale && !matches!(e, StoreError::Sqlite { .. }) {
        return state.say(Tone::Error, format!("not saved: {e}"));
    }
    super::live::sync(state, ws);
    if let Target::Edit(before) = &mut flow.target {
        match state
            .links
            .iter()
            .find(|l| l.link.identifier == before.identifier)
        {
            Some(now) => {
                **before = now.link.clone();
                flow.seen = Some(now.revision);
            }
            // Deleted meanwhile: nothing left to edit.
            None => return state.say(Tone::Error, format!("not saved: {e}")),
        }
    }
    flow.only = false;
    flow.enter(Step::Note);
    state.popup = Some(Popup::Link(Box::new(flow)));
    let how = if stale {
        "your text is kept: Enter saves it over the newer version, Esc drops it"
    } else {
        "your text is kept: Enter tries again, Esc drops it"
    };
    state.say(Tone::Error, format!("not saved: {e}; {how}"));
}
