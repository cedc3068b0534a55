//! Managing participants from the screen (M): add, rename, change role, remove. Built
//! from the menus (`Choice`) and line inputs (`Remark`) the session already uses; the
//! store checks who may, and its refusals land in the status bar.
use super::consensus::{Choice, ChoiceAbout, Remark, RemarkFor};
use super::state::{Popup, State, Tone};
use super::text_input::TextInput;
use crate::model::{Participant, Role};
use crate::store::Workshop;

/// What can be done to one person, in menu order.
/// Remove stays third, where hands know it; the join link entries came later.
const DEEDS: [&str; 5] = [
    "rename",
    "change role",
    "remove",
    "invite: a join link and its QR code",
    "revoke their join links",
];

/// Whether a menu is one of the participant menus (Esc there goes back to the list).
pub fn manages(about: &ChoiceAbout) -> bool {
    matches!(
        about,
        ChoiceAbout::People
            | ChoiceAbout::Person(_)
            | ChoiceAbout::NewRole(_)
            | ChoiceAbout::Role(_)
            | ChoiceAbout::Remove(_)
    )
}

/// Opens the list of participants: everyone with their role, then "add".
pub fn open(state: &mut State) {
    open_at(state, 0);
}

fn open_at(state: &mut State, cursor: usize) {
    let people = &state.session.participants;
    let mut entries: Vec<String> = people
        .iter()
        .map(|p| format!("{:<24} {}", p.name, p.role))
        .collect();
    entries.push("+ add a participant".into());
    let title = format!(
        "Participants · {} · Enter: change one",
        super::plural(people.len(), "person", "people")
    );
    state.popup = Some(Popup::Choice(Choice {
        about: ChoiceAbout::People,
        title,
        cursor: cursor.min(entries.len() - 1),
        entries,
    }));
}

fn role_menu(state: &mut State, about: ChoiceAbout, title: String, current: Option<Role>) {
    state.popup = Some(Popup::Choice(Choice {
        about,
        title,
        entries: Role::ALL.iter().map(|r| r.to_string()).collect(),
        cursor: current
            .and_then(|c| Role::ALL.iter().position(|r| *r == c))
            .unwrap_or(0),
    }));
}

/// Entry `k` was chosen in one of the participant menus.
pub fn chosen(state: &mut State, ws: &mut Workshop, about: ChoiceAbout, k: usize) {
    match about {
        ChoiceAbout::People => match state.session.participants.get(k).cloned() {
            Some(p) => {
                state.popup = Some(Popup::Choice(Choice {
                    about: ChoiceAbout::Person(p.name.clone()),
                    title: format!("{} ({})", p.name, p.role),
                    entries: DEEDS.iter().map(|d| d.to_string()).collect(),
                    cursor: 0,
                }))
            }
            None => {
                state.popup = Some(Popup::Remark(Remark {
                    target: RemarkFor::NewPerson,
                    subject: "New participant".into(),
                    input: TextInput::default(),
                }))
            }
        },
        ChoiceAbout::Person(name) => match k {
            0 => {
                state.popup = Some(Popup::Remark(Remark {
                    subject: format!("Rename {name}"),
                    input: TextInput::with(&name),
                    target: RemarkFor::RenamePerson(name),
                }))
            }
            1 => {
                let current = find(state, &name).map(|p| p.role);
                role_menu(
                    state,
                    ChoiceAbout::Role(name.clone()),
                    format!("{name}'s role"),
                    current,
                )
            }
            3 => super::invite::open(state, ws, &name),
            4 => {
                super::invite::revoke(state, ws, &name);
                back(state, &name);
            }
            _ => {
                state.popup = Some(Popup::Choice(Choice {
                    entries: vec![format!("no, keep {name}"), format!("yes, remove {name}")],
                    title: format!("Remove {name}?"),
                    about: ChoiceAbout::Remove(name),
                    cursor: 0,
                }))
            }
        },
        ChoiceAbout::NewRole(name) => {
            let role = Role::ALL[k.min(Role::ALL.len() - 1)];
            let done = ws.add_participant(&name, role);
            finish(state, ws, done, |p| {
                format!("added {} ({})", p.name, p.role)
            });
        }
        ChoiceAbout::Role(name) => {
            let role = Role::ALL[k.min(Role::ALL.len() - 1)];
            let done = ws.set_role(&name, role);
            finish(state, ws, done, |p| format!("{} is now {}", p.name, p.role));
        }
        ChoiceAbout::Remove(name) if k == 1 => {
            let done = ws.remove_participant(&name);
            finish(state, ws, done, |p| {
                format!("removed {} ({})", p.name, p.role)
            });
        }
        ChoiceAbout::Remove(name) => {
            back(state, &name);
            state.say(Tone::Info, format!("{name} stays"));
        }
        _ => {}
    }
}

/// A name typed for a new participant (then their role) or for a rename.
pub fn named(state: &mut State, ws: &mut Workshop, target: RemarkFor, text: &str) {
    match target {
        RemarkFor::NewPerson => role_menu(
            state,
            ChoiceAbout::NewRole(text.to_string()),
            format!("{text}'s role"),
            None,
        ),
        RemarkFor::RenamePerson(name) => {
            let done = ws.rename_participant(&name, text);
            finish(state, ws, done, |p| format!("renamed {name} to {}", p.name));
        }
        _ => {}
    }
}

fn find<'a>(state: &'a State, name: &str) -> Option<&'a Participant> {
    state
        .session
        .participants
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}

/// Back to the list, the cursor on `name` (or "add" when they are gone).
fn back(state: &mut State, name: &str) {
    let at = state
        .session
        .participants
        .iter()
        .position(|p| p.name.eq_ignore_ascii_case(name))
        .unwrap_or(state.session.participants.len());
    open_at(state, at);
}

/// Reads the participants again after a change (a first participant, or a new role, can
/// move every link's status), says what happened, and returns to the list.
fn finish(
    state: &mut State,
    ws: &mut Workshop,
    done: crate::store::Result<Participant>,
    said: impl FnOnce(&Participant) -> String,
) {
    match done {
        Ok(p) => {
            if let Err(e) = super::live::reload_session(state, ws) {
                return state.say(Tone::Error, format!("cannot read the participants: {e}"));
            }
            state.session.actor = ws.actor().cloned();
            state.after_links_changed();
            back(state, &p.name);
            state.say(Tone::Done, said(&p));
        }
        Err(e) => {
            state.popup = None;
            open(state);
            state.say(Tone::Error, e.to_string());
        }
    }
}
