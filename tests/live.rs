//! One workshop, many people at once: a screen on a file shows what other processes (a
//! second screen, the command line, the server) change, refuses edits made from an older
//! copy without losing the person's text, and keeps every link outcome -> competency.
mod screen;
use crosswalk::app::{self, Popup, Tone};
use crosswalk::model::{LinkStatus, Role, Vote};
use crosswalk::store::{LinkChange, NewLink, Workshop};
use screen::*;

/// A workshop file with the two small frameworks, a link COM.1 -> OUT.2, and Fay
/// (facilitator), Ana (faculty), Sam (employer SME); a screen on it as `who`, and a second
/// handle on the same file for "another process".
fn two_on_one_file(who: &str) -> (tempfile::TempDir, App, Workshop) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workshop.sqlite");
    let mut ws = Workshop::open(&path).unwrap();
    import(&mut ws, educator());
    import(&mut ws, employer());
    ws.create_link(&NewLink {
        origin: "COM.1".into(),
        destination: "OUT.2".into(),
        ..NewLink::default()
    })
    .unwrap();
    for (name, role) in [
        ("Fay", Role::Facilitator),
        ("Ana", Role::Faculty),
        ("Sam", Role::EmployerSme),
    ] {
        ws.add_participant(name, role).unwrap();
    }
    ws.act_as(Some(who)).unwrap();
    let screen = App::on(ws);
    let other = Workshop::open(&path).unwrap();
    (dir, screen, other)
}

fn link_id(a: &App) -> String {
    a.state.links[0].link.identifier.clone()
}

fn on_screen(a: &App) -> LinkStatus {
    a.state.links[0].status
}

#[test]
fn another_processs_dispute_shows_without_a_key_press_and_says_who() {
    let (_dir, mut a, mut other) = two_on_one_file("Ana");
    assert!(!app::tick(&mut a.state, &a.ws), "nothing changed yet");
    other.act_as(Some("Sam")).unwrap();
    other
        .vote(
            &link_id(&a),
            Vote::Dispute,
            Some("interpreting is a separate skill"),
        )
        .unwrap();
    assert!(app::tick(&mut a.state, &a.ws), "the change is picked up");
    assert_eq!(on_screen(&a), LinkStatus::Disputed);
    let note = a.state.message.clone().unwrap();
    assert_eq!(
        (note.tone, note.text.as_str()),
        (Tone::Info, "Sam disputed COM.1 → OUT.2")
    );
    assert!(
        text_of(&a.screen()).contains("!1"),
        "the tree badge follows"
    );
}

#[test]
fn a_vote_after_someone_elses_dispute_names_the_real_transition() {
    let (_dir, mut a, mut other) = two_on_one_file("Ana");
    a.select(0, "COM.1");
    other.act_as(Some("Sam")).unwrap();
    other
        .vote(&link_id(&a), Vote::Dispute, Some("not in the syllabus"))
        .unwrap();
    // Ana presses y before the screen looked: the accept does not cause the dispute.
    a.keys("y");
    let text = a.state.message.clone().unwrap().text;
    assert_eq!(text, "Ana votes accept: still disputed (u to undo)");
}

#[test]
fn links_drawn_and_deleted_elsewhere_come_and_go_and_the_cursor_stays() {
    let (_dir, mut a, mut other) = two_on_one_file("Fay");
    a.select(0, "ADV.2");
    let made = other
        .create_link(&NewLink {
            origin: "CC.1".into(),
            destination: "ADV.2".into(),
            ..NewLink::default()
        })
        .unwrap();
    app::tick(&mut a.state, &a.ws);
    assert_eq!(a.state.links.len(), 2);
    assert_eq!(a.code(0), "ADV.2", "the cursor did not move");
    assert_eq!(
        a.state.selection.links.len(),
        1,
        "the selection shows the new link"
    );
    assert!(
        a.state
            .message
            .clone()
            .unwrap()
            .text
            .contains("linked ADV.2 → CC.1")
    );
    other.delete_link(&made.identifier).unwrap();
    app::tick(&mut a.state, &a.ws);
    assert_eq!(a.state.links.len(), 1);
    assert!(a.state.selection.links.is_empty());
    // A participant added elsewhere can be picked at once.
    other.add_participant("Oz", Role::Observer).unwrap();
    app::tick(&mut a.state, &a.ws);
    assert!(a.state.session.participants.iter().any(|p| p.name == "Oz"));
}

#[test]
fn an_edit_from_an_older_copy_is_refused_and_the_typed_note_offered_again() {
    let (_dir, mut a, mut other) = two_on_one_file("Fay");
    a.select(0, "COM.1");
    a.keys("i r");
    a.type_text(" from the screen");
    // Meanwhile, the command line re-notes the same link.
    other
        .update_link(
            &link_id(&a),
            &LinkChange {
                note: Some("from the command line".into()),
                ..LinkChange::default()
            },
        )
        .unwrap();
    a.keys("Enter");
    let said = a.state.message.clone().unwrap();
    assert_eq!(said.tone, Tone::Error);
    assert!(
        said.text.contains("was changed since you opened it"),
        "{}",
        said.text
    );
    assert!(said.text.contains("your text is kept"), "{}", said.text);
    assert_eq!(
        a.ws.link(&link_id(&a)).unwrap().note,
        "from the command line"
    );
    let Some(Popup::Link(flow)) = &a.state.popup else {
        panic!("the edit box is open again");
    };
    assert_eq!(flow.note.text, " from the screen");
    assert_eq!(
        a.state.links[0].link.note, "from the command line",
        "the screen caught up"
    );
    // Enter again saves it, knowingly, over the newer note.
    a.keys("Enter");
    assert_eq!(a.ws.link(&link_id(&a)).unwrap().note, "from the screen");
}

#[test]
fn a_link_drawn_with_the_employer_framework_on_the_left_runs_outcome_to_competency() {
    let (_dir, mut a, _other) = two_on_one_file("Fay");
    // Swap the panes as `p` would: employer left, educator right.
    let ids: Vec<i64> = a.state.frameworks.iter().map(|f| f.id).collect();
    let (edu, emp) = (ids[0], ids[1]);
    a.state.load_pair(&a.ws, Some(emp), Some(edu)).unwrap();
    a.link("CC.1", "ADV.1", "drawn from the right");
    let stored = a.ws.link_between("ADV.1", "CC.1").unwrap().unwrap();
    assert_eq!(
        (
            stored.origin.code.as_str(),
            stored.destination.code.as_str()
        ),
        ("ADV.1", "CC.1")
    );
    assert!(
        a.state
            .message
            .clone()
            .unwrap()
            .text
            .contains("linked ADV.1 → CC.1")
    );
    // The exported association says the same: the real command on the same file.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_crosswalk"))
        .arg("--db")
        .arg(a.ws.path())
        .args([
            "export",
            "--format",
            "case",
            "--status",
            "all",
            "--case-version",
            "1.1",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let assoc = json["CFAssociations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["identifier"] == stored.identifier.as_str())
        .expect("the association");
    assert!(
        assoc["originNodeURI"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("/ADV.1"),
        "{assoc}"
    );
    assert!(
        assoc["destinationNodeURI"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("/CC.1"),
        "{assoc}"
    );
}

#[test]
fn walking_the_queue_publishes_the_link_in_front_of_the_room() {
    let (_dir, mut a, other) = two_on_one_file("Fay");
    assert_eq!(other.focus().unwrap(), None);
    a.keys("]");
    assert_eq!(
        other.focus().unwrap(),
        Some(link_id(&a)),
        "another process sees it"
    );
}

#[test]
fn marks_and_turned_down_suggestions_made_elsewhere_show() {
    let (_dir, mut a, mut other) = two_on_one_file("Fay");
    other.act_as(Some("Fay")).unwrap();
    let found = other.find_item("SAF.2").unwrap();
    other
        .set_no_equivalent(found.framework_id, &found.end.item_identifier, true)
        .unwrap();
    other.reject_suggestion("edu-COM.2", "emp-CC.1").unwrap();
    assert!(app::tick(&mut a.state, &a.ws));
    let left = &a.state.panes[0].fw;
    let i = left.index_of("edu-SAF.2").unwrap();
    assert!(left.items[i].no_equivalent, "the mark shows");
    assert!(
        a.state
            .suggestions
            .rejected
            .iter()
            .any(|(o, d)| o == "edu-COM.2" && d == "emp-CC.1"),
        "the turned-down suggestion is not offered again"
    );
}
