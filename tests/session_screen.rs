//! Running the session on the screen: who is at the keyboard, votes and comments on
//! links, verdicts on competencies, status at a glance, the status filter, the queue.
mod screen;
use crosswalk::app::{ChoiceAbout, Focus, Popup, StatusFilter, Tone};
use crosswalk::model::{LinkStatus, Role, Verdict, Vote};
use crosswalk::store::{NewLink, Workshop};
use screen::*;

/// The two small frameworks, these links (left code, right code), and participants
/// Fay (facilitator), Ana (faculty), Sam (employer SME), Oz (observer).
fn workshop(links: &[(&str, &str)]) -> Workshop {
    let mut ws = Workshop::open_in_memory().unwrap();
    import(&mut ws, educator());
    import(&mut ws, employer());
    for (o, d) in links {
        ws.create_link(&NewLink {
            origin: (*o).into(),
            destination: (*d).into(),
            ..NewLink::default()
        })
        .unwrap();
    }
    for (name, role) in [
        ("Fay", Role::Facilitator),
        ("Ana", Role::Faculty),
        ("Sam", Role::EmployerSme),
        ("Oz", Role::Observer),
    ] {
        ws.add_participant(name, role).unwrap();
    }
    ws
}

/// The screen on that workshop, with `who` chosen in the picker it opens on.
fn session(links: &[(&str, &str)], who: &str) -> App {
    session_on(workshop(links), who)
}

fn session_on(ws: Workshop, who: &str) -> App {
    let mut a = App::on(ws);
    let Some(Popup::Choice(c)) = &a.state.popup else {
        panic!("the screen opens on the participant picker when nobody said who they are");
    };
    assert_eq!(c.about, ChoiceAbout::Participant);
    let n = match who {
        "Fay" => "1",
        "Ana" => "2",
        "Sam" => "3",
        "Oz" => "4",
        _ => "5",
    };
    a.keys(n);
    assert!(a.state.popup.is_none());
    a
}

fn status(a: &App, left: &str, right: &str) -> LinkStatus {
    let sl = a
        .state
        .links
        .iter()
        .find(|sl| sl.link.origin.label() == left && sl.link.destination.label() == right)
        .expect("the link is on screen");
    sl.status
}

fn stored_votes(a: &App) -> Vec<(String, Vote)> {
    let mut out: Vec<(String, Vote)> =
        a.ws.ballots()
            .unwrap()
            .into_values()
            .flatten()
            .map(|b| (b.participant, b.vote))
            .collect();
    out.sort_by(|x, y| x.0.cmp(&y.0));
    out
}

fn message(a: &App) -> String {
    a.state
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn the_picker_says_who_is_at_the_keyboard_and_the_status_bar_shows_it() {
    let mut a = session(&[], "Ana");
    assert_eq!(a.ws.actor().map(|p| p.name.as_str()), Some("Ana"));
    assert!(text_of(&a.screen()).contains("as Ana (faculty)"));
    a.keys("W 3");
    assert_eq!(a.ws.actor().map(|p| p.name.as_str()), Some("Sam"));
    assert!(text_of(&a.screen()).contains("as Sam (employer-sme)"));
    a.keys("W 5");
    assert_eq!(a.ws.actor(), None);
    assert!(text_of(&a.screen()).contains("nobody at the keyboard"));
}

#[test]
fn naming_the_participant_up_front_skips_the_picker() {
    let mut ws = workshop(&[]);
    ws.act_as(Some("Sam")).unwrap();
    let a = App::on(ws);
    assert!(a.state.popup.is_none());
    assert_eq!(a.state.session.actor.as_ref().unwrap().name, "Sam");
}

#[test]
fn votes_from_the_screen_reach_agreement_and_undo_one_by_one() {
    let mut a = session(&[("COM.1", "OUT.2")], "Ana");
    a.select(0, "COM.1");
    assert_eq!(status(&a, "COM.1", "OUT.2"), LinkStatus::Proposed);
    a.keys("y");
    assert_eq!(stored_votes(&a), [("Ana".to_string(), Vote::Accept)]);
    assert_eq!(status(&a, "COM.1", "OUT.2"), LinkStatus::Proposed);
    a.keys("W 3 y");
    assert_eq!(status(&a, "COM.1", "OUT.2"), LinkStatus::Agreed);
    assert!(message(&a).contains("proposed → agreed"), "{}", message(&a));
    assert_eq!(
        a.ws.session_links().unwrap()[0].status,
        LinkStatus::Agreed,
        "the workshop agrees with the screen"
    );
    // Each person's undo walks their own changes: Sam's takes Sam's vote back, and then
    // Sam has nothing more to undo; Ana's earlier vote waits on Ana's own stack.
    a.keys("u");
    assert_eq!(status(&a, "COM.1", "OUT.2"), LinkStatus::Proposed);
    assert_eq!(stored_votes(&a), [("Ana".to_string(), Vote::Accept)]);
    a.keys("u");
    assert_eq!(message(&a), "nothing to undo");
    assert_eq!(stored_votes(&a).len(), 1);
    a.keys("W 2 u");
    assert!(stored_votes(&a).is_empty());
    a.keys("ctrl-r");
    assert_eq!(stored_votes(&a), [("Ana".to_string(), Vote::Accept)]);
}

#[test]
fn undo_reaches_past_someone_elses_vote_but_never_throws_it_away() {
    let mut a = session(&[("COM.1", "OUT.2")], "Fay");
    a.select(0, "COM.1");
    a.select(1, "CC.2");
    a.keys("a Enter Enter");
    a.type_text("drawn by Fay");
    a.keys("Enter");
    assert!(message(&a).starts_with("linked"), "{}", message(&a));
    // Sam votes on the link Fay drew; Fay's u is hers, and refuses to take Sam's work away.
    a.keys("W 3 y W 1 u");
    assert!(
        message(&a).contains("could not undo link")
            && message(&a).contains("Sam has changed it since"),
        "{}",
        message(&a)
    );
    assert_eq!(a.ws.links().unwrap().len(), 2, "the link stays");
    // Once Sam takes his vote back, it is Fay's alone again.
    a.keys("W 3 u W 1 u");
    assert!(message(&a).starts_with("undid link"), "{}", message(&a));
    assert_eq!(a.ws.links().unwrap().len(), 1);
}

#[test]
fn a_dispute_asks_why_and_the_reason_joins_the_thread() {
    let mut a = session(&[("COM.1", "OUT.2")], "Sam");
    a.select(0, "COM.1");
    a.keys("!");
    assert!(matches!(a.state.popup, Some(Popup::Remark(_))));
    a.keys("Enter");
    assert!(
        matches!(a.state.popup, Some(Popup::Remark(_))),
        "a dispute needs a reason"
    );
    assert_eq!(a.state.message.as_ref().unwrap().tone, Tone::Error);
    a.type_text("listening is not trust-building");
    a.keys("Enter");
    assert_eq!(status(&a, "COM.1", "OUT.2"), LinkStatus::Disputed);
    let id = a.state.links[0].link.identifier.clone();
    let thread = a.ws.comments(&id).unwrap();
    assert_eq!(thread[0].text, "listening is not trust-building");
    assert_eq!(thread[0].author.as_deref(), Some("Sam"));
    // The detail pane shows the status, the votes and the thread.
    a.keys("i");
    let screen = text_of(&a.screen());
    assert!(screen.contains("! disputed"), "{screen}");
    assert!(screen.contains("Sam (employer-sme) dispute"), "{screen}");
    assert!(
        screen.contains("Sam, ") && screen.contains("listening is not trust-building"),
        "{screen}"
    );
    // A plain comment, and Esc that records nothing.
    a.keys("c");
    a.type_text("revisit after lunch");
    a.keys("Enter");
    a.keys("c");
    a.type_text("never mind");
    a.keys("Esc");
    let thread = a.ws.comments(&id).unwrap();
    assert_eq!(thread.len(), 2);
    assert_eq!(thread[1].text, "revisit after lunch");
}

#[test]
fn a_facilitators_reject_settles_the_link() {
    let mut a = session(&[("COM.1", "OUT.2")], "Fay");
    a.select(0, "COM.1");
    a.keys("X Enter");
    assert_eq!(status(&a, "COM.1", "OUT.2"), LinkStatus::Rejected);
    assert!(text_of(&a.screen()).contains("✗1"));
}

#[test]
fn observers_and_nobody_cannot_vote_or_comment_and_nothing_is_recorded() {
    let mut a = session(&[("COM.1", "OUT.2")], "Oz");
    a.select(0, "COM.1");
    a.keys("y");
    assert!(message(&a).contains("Oz is an observer"), "{}", message(&a));
    a.keys("W 5 y");
    assert!(message(&a).contains("press W"), "{}", message(&a));
    assert!(stored_votes(&a).is_empty());
    // Observers see everything and change nothing, the comment thread included.
    a.keys("W 4 c");
    assert!(
        message(&a).contains("observers can look but cannot comment"),
        "{}",
        message(&a)
    );
    assert!(
        a.state.popup.is_none(),
        "no box to type a reason for nothing"
    );
    assert!(
        a.ws.comments(&a.state.links[0].link.identifier)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn an_item_with_several_links_asks_for_one_in_the_detail_pane() {
    let mut a = session(&[("COM.1", "OUT.2"), ("COM.1", "CC.2")], "Ana");
    a.select(0, "COM.1");
    a.select(1, "OUT.1");
    a.select(0, "COM.1");
    a.keys("y");
    assert!(message(&a).contains("several links"), "{}", message(&a));
    a.keys("i j y");
    let votes = a.ws.ballots().unwrap();
    let cc2 = a
        .state
        .links
        .iter()
        .find(|sl| sl.link.destination.label() == "CC.2")
        .unwrap();
    assert_eq!(votes.len(), 1);
    assert!(votes.contains_key(&cc2.link.identifier));
}

#[test]
fn the_tree_shows_status_by_symbol_and_the_filter_keeps_one_status() {
    let mut a = session(
        &[("COM.1", "OUT.2"), ("ADV.1", "CC.1"), ("SAF.1", "CC.2")],
        "Sam",
    );
    a.select(0, "ADV.1");
    a.keys("y");
    a.select(0, "SAF.1");
    a.keys("!");
    a.type_text("not the same setting");
    a.keys("Enter");
    let screen = text_of(&a.screen());
    for (code, badge) in [("COM.1", "?1"), ("ADV.1", "?1"), ("SAF.1", "!1")] {
        let row = screen
            .lines()
            .find(|l| l.contains(code))
            .unwrap_or_else(|| panic!("{code} on screen"));
        assert!(row.contains(badge), "{code}: {row}");
    }
    let shown = |a: &App| -> Vec<String> {
        let pane = &a.state.panes[0];
        pane.view
            .visible()
            .iter()
            .map(|&i| pane.fw.items[i].code.clone())
            .collect()
    };
    a.state.focus = Focus::Pane(0);
    a.keys("F");
    assert_eq!(a.state.panes[0].status_filter, Some(StatusFilter::Open));
    assert_eq!(shown(&a), ["COM", "COM.1", "ADV", "ADV.1", "SAF", "SAF.1"]);
    a.keys("F");
    assert_eq!(shown(&a), ["COM", "COM.1", "ADV", "ADV.1"], "proposed only");
    a.keys("F");
    assert_eq!(shown(&a), ["SAF", "SAF.1"], "disputed only");
    a.keys("F F F");
    assert_eq!(a.state.panes[0].status_filter, None);
    assert_eq!(shown(&a).len(), 9);
}

#[test]
fn the_queue_walks_open_links_in_outcome_order_and_wraps() {
    let mut ws = workshop(&[("SAF.1", "CC.1"), ("COM.1", "OUT.2"), ("COM.1", "CC.2")]);
    ws.act_as(Some("Fay")).unwrap();
    ws.set_consensus_rule(crosswalk::model::ConsensusRule::FacilitatorDecides)
        .unwrap();
    ws.act_as(None).unwrap();
    let mut a = session_on(ws, "Fay");
    a.select(0, "COM.1");
    a.keys("i y");
    assert_eq!(status(&a, "COM.1", "OUT.2"), LinkStatus::Agreed);
    let at = |a: &App| {
        let sl = a.state.detail_link().expect("a link is selected");
        (
            sl.link.origin.label().to_string(),
            sl.link.destination.label().to_string(),
        )
    };
    a.keys("Esc Home");
    a.keys("]");
    assert_eq!(a.state.focus, Focus::Detail);
    assert_eq!(at(&a), ("COM.1".into(), "CC.2".into()));
    assert!(
        message(&a).starts_with("open link 1 of 2"),
        "{}",
        message(&a)
    );
    a.keys("]");
    assert_eq!(at(&a), ("SAF.1".into(), "CC.1".into()));
    a.keys("]");
    assert_eq!(at(&a), ("COM.1".into(), "CC.2".into()), "wraps around");
    a.keys("[");
    assert_eq!(at(&a), ("SAF.1".into(), "CC.1".into()));
    // Settling the last open links empties the queue.
    a.keys("y ] y ]");
    assert!(message(&a).contains("no open links"), "{}", message(&a));
}

#[test]
fn competencies_are_validated_from_the_screen_and_coverage_follows() {
    let mut a = session(&[("COM.1", "OUT.2")], "Ana");
    a.select(1, "OUT.1");
    a.keys("v");
    assert!(message(&a).contains("employer SME"), "{}", message(&a));
    assert!(a.state.popup.is_none(), "faculty cannot validate");
    a.keys("W 3");
    // With no verdicts yet, every competency counts: 0 of 5 (the link is only proposed).
    assert_eq!(a.state.panes[1].coverage, (0, 5));
    a.select(1, "OUT.2");
    a.keys("y v 1");
    assert_eq!(a.ws.validations().unwrap()[0].verdict, Verdict::Validated);
    // Once anyone validates, only validated competencies count; the link is not agreed yet.
    assert_eq!(a.state.panes[1].coverage, (0, 1));
    a.keys("W 2");
    a.select(0, "COM.1");
    a.keys("y");
    assert_eq!(a.state.panes[1].coverage, (1, 1), "agreed and validated");
    let screen = text_of(&a.screen());
    assert!(screen.contains("100% covered"), "{screen}");
    // Needs revision asks what; undo brings the earlier verdict back.
    a.keys("W 3");
    a.select(1, "OUT.1");
    a.keys("v 2");
    assert!(matches!(a.state.popup, Some(Popup::Remark(_))));
    a.type_text("say which programs");
    a.keys("Enter");
    let out1 =
        a.ws.validations()
            .unwrap()
            .into_iter()
            .find(|v| v.item_identifier == "emp-OUT.1")
            .unwrap();
    assert_eq!(
        (out1.verdict, out1.comment.as_str()),
        (Verdict::NeedsRevision, "say which programs")
    );
    let row = text_of(&a.screen());
    assert!(
        row.lines().any(|l| l.contains("OUT.1") && l.contains('✎')),
        "{row}"
    );
    a.keys("u");
    assert_eq!(
        a.ws.validations().unwrap().len(),
        1,
        "OUT.1's verdict withdrawn"
    );
    assert!(
        a.state.panes[1]
            .verdicts
            .iter()
            .filter(|v| v.is_some())
            .count()
            == 1
    );
}

#[test]
fn each_person_has_a_verdict_and_undo_takes_back_only_ones_own() {
    let mut a = session(&[], "Sam");
    a.select(1, "OUT.1");
    a.keys("v 1");
    // The facilitator records the room's decision beside Sam's verdict; it stands.
    a.keys("W 1");
    a.select(1, "OUT.1");
    a.keys("v 3");
    let out1 = |a: &App| {
        a.ws.validations()
            .unwrap()
            .into_iter()
            .find(|v| v.item_identifier == "emp-OUT.1")
            .unwrap()
    };
    let v = out1(&a);
    assert_eq!((v.verdict, v.verdicts.len()), (Verdict::NotRelevant, 2));
    // Undo takes Fay's verdict back, and only hers: Sam's stands again.
    a.keys("u");
    let v = out1(&a);
    assert_eq!(
        (v.verdict, v.by.as_deref(), v.verdicts.len()),
        (Verdict::Validated, Some("Sam"), 1)
    );
    assert_eq!(
        a.state.session.verdict("emp-OUT.1"),
        Some(Verdict::Validated),
        "the screen shows the standing"
    );
}

#[test]
fn the_detail_pane_shows_experts_who_differ_and_what_each_said() {
    let mut ws = workshop(&[]);
    ws.add_participant("Lee", Role::EmployerSme).unwrap();
    let mut a = session_on(ws, "Sam");
    a.select(1, "OUT.1");
    a.keys("v 1");
    a.keys("W 5");
    a.select(1, "OUT.1");
    a.keys("v 2");
    a.type_text("name the programs");
    a.keys("Enter");
    let screen = text_of(&a.screen());
    assert!(screen.contains("verdicts differ"), "{screen}");
    assert!(screen.contains("Sam: validated"), "{screen}");
    assert!(
        screen.contains("Lee: needs revision: name the programs"),
        "{screen}"
    );
}

#[test]
fn when_coverage_starts_counting_only_validated_competencies_the_screen_says_so_once() {
    let mut a = session(&[("COM.1", "OUT.2")], "Sam");
    a.select(1, "OUT.2");
    a.keys("v 1");
    let said = message(&a);
    assert!(
        said.contains("validated")
            && said.contains("coverage now counts only validated competencies"),
        "{said}"
    );
    // The second verdict changes nothing in how coverage is counted: no word of it.
    a.select(1, "OUT.1");
    a.keys("v 1");
    assert!(
        !message(&a).contains("coverage now counts"),
        "{}",
        message(&a)
    );
    a.keys("u u");
    assert!(
        message(&a).contains("coverage counts every competency again"),
        "{}",
        message(&a)
    );
    // The message is wider than the screen: it takes both status lines, nothing cut.
    let t = a.screen();
    insta::assert_snapshot!("coverage_notice_on_two_status_lines", masked(&t));
    let bar: String = text_of(&t)
        .lines()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(bar.contains("every") && bar.contains("again"), "{bar}");
}

#[test]
fn the_first_participant_turning_links_to_proposed_is_said_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workshop.sqlite");
    let mut ws = Workshop::open(&path).unwrap();
    import(&mut ws, educator());
    import(&mut ws, employer());
    let mut a = App::on(ws);
    a.link("COM.1", "OUT.2", "");
    assert_eq!(status(&a, "COM.1", "OUT.2"), LinkStatus::Agreed);
    // Someone adds a participant from the command line, on the same file.
    let mut cli = Workshop::open(&path).unwrap();
    cli.add_participant("Fay", Role::Facilitator).unwrap();
    a.keys("j");
    assert_eq!(status(&a, "COM.1", "OUT.2"), LinkStatus::Proposed);
    assert!(
        message(&a).contains("a participant joined"),
        "{}",
        message(&a)
    );
    a.keys("j");
    assert!(!message(&a).contains("participant joined"), "said once");
}

#[test]
fn without_participants_there_is_no_picker_and_links_count_as_agreed() {
    let mut ws = Workshop::open_in_memory().unwrap();
    import(&mut ws, educator());
    import(&mut ws, employer());
    let mut a = App::on(ws);
    assert!(a.state.popup.is_none());
    a.link("COM.1", "OUT.2", "");
    assert_eq!(status(&a, "COM.1", "OUT.2"), LinkStatus::Agreed);
    a.keys("y");
    assert!(message(&a).contains("nobody takes part"), "{}", message(&a));
    a.keys("]");
    assert!(message(&a).contains("no open links"), "{}", message(&a));
    let screen = text_of(&a.screen());
    assert!(screen.contains("●1") && !screen.contains("✓1"), "{screen}");
}

#[test]
fn snapshot_session_with_a_disputed_link_in_the_detail_pane() {
    let mut a = session(&[("COM.1", "OUT.2"), ("SAF.1", "CC.1")], "Sam");
    a.select(1, "OUT.1");
    a.keys("v 1");
    a.select(0, "SAF.1");
    a.keys("y");
    a.select(0, "COM.1");
    a.keys("!");
    a.type_text("trust is built over time, not in one explanation");
    a.keys("Enter i");
    a.state.message = None;
    insta::assert_snapshot!(masked(&a.screen()));
}

#[test]
fn the_session_log_lists_every_change_with_who_and_scrolls() {
    let mut a = session(&[("COM.1", "OUT.2")], "Ana");
    a.select(0, "COM.1");
    a.keys("y W 3 y");
    a.keys("H");
    let Some(Popup::Log { entries, scroll }) = &a.state.popup else {
        panic!("H opens the session log");
    };
    assert_eq!(*scroll, entries.len() - 1, "opens on the latest entry");
    let screen = text_of(&a.screen());
    assert!(screen.contains("Session log"), "{screen}");
    assert!(screen.contains("Ana: vote COM.1 -> OUT.2"), "{screen}");
    assert!(screen.contains("Sam: status changed"), "{screen}");
    a.keys("Home");
    assert!(matches!(a.state.popup, Some(Popup::Log { scroll: 0, .. })));
    assert!(text_of(&a.screen()).contains("participant added"));
    a.keys("End PageDown Down");
    let Some(Popup::Log { entries, scroll }) = &a.state.popup else {
        panic!("still open");
    };
    assert_eq!(*scroll, entries.len() - 1, "never past the end");
    a.keys("Esc");
    assert!(a.state.popup.is_none());
}

#[test]
fn a_long_link_row_in_the_detail_pane_ends_in_an_ellipsis_not_a_clip() {
    for who in ["Ana", "nobody"] {
        let mut a = session(&[("COM.1", "OUT.2")], who);
        a.select(0, "COM.1");
        a.keys("i");
        let screen = text_of(&a.render(70, 24));
        let row = screen
            .lines()
            .find(|l| l.contains("exactMatchOf") && l.contains("OUT.2"))
            .unwrap_or_else(|| panic!("the link row:\n{screen}"));
        assert!(row.contains("…│"), "{who}: {row}");
    }
}

#[test]
fn the_matrix_and_the_trees_round_coverage_alike() {
    let mut ws = Workshop::open_in_memory().unwrap();
    import(&mut ws, educator());
    import(&mut ws, employer());
    let mut a = App::on(ws);
    a.link("COM.1", "CC.1", "");
    a.link("COM.2", "CC.2", "");
    // Two of CC's three competencies: 66.7%, shown as 67% everywhere.
    let tree = text_of(&a.screen());
    let cc = tree
        .lines()
        .find(|l| l.contains("CC Care coordination"))
        .unwrap();
    assert!(cc.contains("67%"), "{cc}");
    a.keys("m");
    while a.state.matrix.as_ref().is_some_and(|m| m.level > 0) {
        a.keys("-");
    }
    let matrix = text_of(&a.screen());
    let row = matrix.lines().find(|l| l.contains("covered %")).unwrap();
    assert!(row.contains(" 67") && !row.contains(" 66"), "{row}");
}

#[test]
fn with_frameworks_to_choose_the_participant_picker_follows_the_framework_picker() {
    let mut ws = workshop(&[]);
    let mut third = employer();
    third.identifier = "emp2".into();
    for it in &mut third.items {
        it.identifier = it.identifier.replace("emp-", "emp2-");
    }
    import(&mut ws, third);
    let mut a = App::on(ws);
    assert!(matches!(a.state.popup, Some(Popup::Picker(_))));
    a.keys("1 2");
    let Some(Popup::Choice(c)) = &a.state.popup else {
        panic!("the participant picker comes next");
    };
    assert_eq!(c.about, ChoiceAbout::Participant);
    a.keys("3");
    assert_eq!(a.state.session.actor.as_ref().unwrap().name, "Sam");
}

#[test]
fn a_group_in_the_detail_pane_shows_its_coverage_not_a_missing_link() {
    let mut ws = Workshop::open_in_memory().unwrap();
    import(&mut ws, educator());
    import(&mut ws, employer());
    let mut a = App::on(ws);
    a.link("COM.1", "OUT.2", "");
    a.select(0, "COM");
    let screen = text_of(&a.screen());
    assert!(
        screen.contains("50% covered: 1 of 2 counted below"),
        "{screen}"
    );
    assert!(!screen.contains("no link yet"), "{screen}");
}

#[test]
fn employer_experts_walk_to_the_next_competency_not_yet_judged() {
    let mut a = session(&[("COM.1", "OUT.2")], "Sam");
    a.keys("V");
    assert_eq!((a.state.active, a.code(1)), (1, "OUT.1".into()));
    assert!(
        message(&a).contains("OUT.1: not yet judged (5 competencies without a verdict)"),
        "{}",
        message(&a)
    );
    a.keys("v 1 V");
    assert_eq!(a.code(1), "OUT.2");
    a.keys("v 1");
    // Judged ones are skipped, and the walk wraps.
    a.select(1, "CC.3");
    a.keys("v 3 V");
    assert_eq!(a.code(1), "CC.1");
    a.keys("V");
    assert_eq!(a.code(1), "CC.2");
    a.keys("V");
    assert_eq!(a.code(1), "CC.1", "wrapped past the judged ones");
    assert!(
        message(&a).contains("(2 competencies without"),
        "{}",
        message(&a)
    );
    for code in ["CC.1", "CC.2"] {
        a.select(1, code);
        a.keys("v 1");
    }
    a.keys("V");
    assert_eq!(message(&a), "every competency has a verdict");
}

#[test]
fn a_filter_keeps_only_competencies_not_yet_judged_and_follows_new_verdicts() {
    let mut a = session(&[], "Sam");
    a.select(1, "OUT.2");
    a.keys("v 1");
    a.keys("ctrl-v");
    let pane = &a.state.panes[1];
    let shown: Vec<&str> = pane
        .view
        .visible()
        .iter()
        .map(|&i| pane.fw.items[i].code.as_str())
        .collect();
    assert_eq!(shown, ["OUT", "OUT.1", "CC", "CC.1", "CC.2", "CC.3"]);
    assert!(text_of(&a.screen()).contains("[not judged]"));
    a.select(1, "CC.1");
    a.keys("v 1");
    let pane = &a.state.panes[1];
    assert!(
        !pane
            .view
            .visible()
            .iter()
            .any(|&i| pane.fw.items[i].code == "CC.1"),
        "judged: gone"
    );
    a.keys("ctrl-v");
    assert_eq!(a.state.panes[1].view.len(), 7);
    a.select(0, "COM.1");
    a.keys("ctrl-v");
    assert!(message(&a).contains("employer side"), "{}", message(&a));
}

#[test]
fn a_vote_in_the_focus_view_goes_to_the_link_it_shows() {
    let mut a = session(&[("COM.1", "OUT.2"), ("COM.1", "CC.2")], "Ana");
    a.select(1, "CC.2");
    a.select(0, "COM.1");
    a.keys("z");
    let (_, shown) = a.state.focus_pair().unwrap();
    assert_eq!(shown.unwrap().link.destination.label(), "CC.2");
    a.keys("y");
    let ballots = a.ws.ballots().unwrap();
    let voted: Vec<&String> = ballots
        .iter()
        .filter(|(_, b)| !b.is_empty())
        .map(|(k, _)| k)
        .collect();
    assert_eq!(voted.len(), 1);
    let cc2 = a
        .state
        .links
        .iter()
        .find(|l| l.link.destination.label() == "CC.2")
        .unwrap();
    assert_eq!(
        voted[0], &cc2.link.identifier,
        "the shown link got the vote"
    );
    assert!(a.state.focus_view, "the view stays for the next vote");
}

fn people(a: &App) -> Vec<(String, Role)> {
    a.state
        .session
        .participants
        .iter()
        .map(|p| (p.name.clone(), p.role))
        .collect()
}

#[test]
fn a_facilitator_adds_renames_re_roles_and_removes_people_from_the_screen() {
    let mut a = session(&[], "Fay");
    a.keys("M");
    let Some(Popup::Choice(c)) = &a.state.popup else {
        panic!("M opens the participant list");
    };
    assert_eq!(c.about, ChoiceAbout::People);
    assert_eq!(c.entries.len(), 5, "four people and add: {:?}", c.entries);
    // Add: a name, then a role.
    a.keys("5");
    a.type_text("Lee");
    a.keys("Enter 2");
    assert!(
        message(&a).contains("added Lee (faculty)"),
        "{}",
        message(&a)
    );
    assert_eq!(a.ws.participant("lee").unwrap().role, Role::Faculty);
    assert!(people(&a).contains(&("Lee".into(), Role::Faculty)));
    assert!(
        matches!(&a.state.popup, Some(Popup::Choice(c)) if c.about == ChoiceAbout::People),
        "back on the list after a change"
    );
    // Rename Lee (fifth), then make them an employer SME, then remove them.
    a.keys("5 1 ctrl-u");
    a.type_text("Lee Chen");
    a.keys("Enter");
    assert_eq!(a.ws.participant("lee chen").unwrap().name, "Lee Chen");
    a.keys("5 2 3");
    assert_eq!(
        a.ws.participant("Lee Chen").unwrap().role,
        Role::EmployerSme
    );
    assert!(message(&a).contains("Lee Chen is now employer-sme"));
    a.keys("5 3 1");
    assert!(
        a.ws.participant("Lee Chen").is_ok(),
        "\"no, keep\" keeps them"
    );
    a.keys("5 3 2");
    assert!(a.ws.participant("Lee Chen").is_err());
    assert_eq!(people(&a).len(), 4);
    a.keys("Esc");
    assert!(a.state.popup.is_none());
    let actions: Vec<String> =
        a.ws.history(&crosswalk::store::HistoryFilter::All)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .filter(|a| a.starts_with("participant"))
            .skip(4)
            .collect();
    assert_eq!(
        actions,
        [
            "participant added",
            "participant renamed",
            "participant role changed",
            "participant removed"
        ]
    );
}

#[test]
fn refusals_from_the_participant_list_show_in_the_status_bar() {
    let mut a = session(&[("COM.1", "OUT.2")], "Sam");
    a.select(0, "COM.1");
    a.keys("y");
    // Sam, an employer SME, may not manage people.
    a.keys("M 1 2 4");
    assert!(message(&a).contains("facilitator"), "{}", message(&a));
    assert_eq!(a.ws.participant("Fay").unwrap().role, Role::Facilitator);
    assert_eq!(a.state.message.as_ref().unwrap().tone, Tone::Error);
    a.keys("Esc W 1");
    // Sam voted: removing them is refused, with the count and what to do instead.
    a.keys("M 3 3 2");
    let said = message(&a);
    assert!(
        said.contains("1 vote") && said.contains("observer"),
        "{said}"
    );
    assert!(a.ws.participant("Sam").is_ok());
    // A name already taken, in another letter case.
    a.keys("2 1 ctrl-u");
    a.type_text("sam");
    a.keys("Enter");
    assert!(
        message(&a).contains("Sam is already taking part"),
        "{}",
        message(&a)
    );
    assert_eq!(a.ws.participant("Ana").unwrap().name, "Ana");
}

#[test]
fn the_participant_list_shows_names_and_roles() {
    let mut a = session(&[], "Fay");
    a.keys("M j");
    a.state.message = None;
    insta::assert_snapshot!(masked(&a.screen()));
}

#[test]
fn menus_are_clicked_as_well_as_keyed() {
    let mut a = session(&[("COM.1", "OUT.2")], "Sam");
    a.select(1, "OUT.2");
    a.keys("v");
    assert!(matches!(a.state.popup, Some(Popup::Choice(_))));
    a.click_on("not relevant to this role");
    assert!(a.state.popup.is_none(), "the click chose");
    assert_eq!(
        a.state.session.verdict("emp-OUT.2"),
        Some(Verdict::NotRelevant)
    );
    // Who is at the keyboard, by mouse too.
    a.keys("W");
    a.click_on("Ana (faculty)");
    assert_eq!(a.state.session.actor.as_ref().unwrap().name, "Ana");
    // A click beside the menu chooses nothing.
    a.keys("W");
    a.act_click(0, 0);
    assert!(matches!(a.state.popup, Some(Popup::Choice(_))));
    a.keys("Esc");
    // The framework picker: competencies to the left, outcomes to the right, by mouse.
    a.keys("p");
    a.click_on("CHW Role Competencies");
    a.click_on("CHW Certificate Outcomes");
    assert!(a.state.popup.is_none(), "{:?}", a.state.message);
    assert_eq!(a.state.panes[0].fw.title, "CHW Role Competencies");
    assert_eq!(a.state.panes[1].fw.title, "CHW Certificate Outcomes");
    // The link wizard: type and strength by mouse, the note typed.
    a.select(0, "CC.1");
    a.select(1, "ADV.1");
    a.keys("a");
    a.click_on("isPartOf");
    assert!(matches!(&a.state.popup, Some(Popup::Link(f)) if f.assoc.as_str() == "isPartOf"));
    a.click_on("minor");
    a.type_text("clicked");
    a.keys("Enter");
    let l = a.ws.link_between("ADV.1", "CC.1").unwrap().expect("linked");
    assert_eq!(
        (
            l.association_type.as_str(),
            l.strength.as_str(),
            l.note.as_str()
        ),
        ("isPartOf", "minor", "clicked")
    );
}

/// The QR code drawn on `t` read back as a camera would: each terminal cell's upper
/// and lower half (the half block's foreground and background) as 4×4 grey pixels.
fn scan(t: &ratatui::Terminal<ratatui::backend::TestBackend>) -> Vec<String> {
    let buf = t.backend().buffer();
    let (w, h) = (buf.area.width as usize, buf.area.height as usize);
    const PX: usize = 4;
    let grey = |c| {
        if c == crosswalk::ui::invite::DARK {
            0
        } else {
            255
        }
    };
    let pixel = |x: usize, y: usize| {
        let cell = &buf[((x / PX) as u16, (y / (2 * PX)) as u16)];
        if cell.symbol() != "▀" {
            return 255;
        }
        if (y / PX) % 2 == 0 {
            grey(cell.fg)
        } else {
            grey(cell.bg)
        }
    };
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w * PX, h * 2 * PX, pixel);
    image
        .detect_grids()
        .into_iter()
        .map(|g| g.decode().expect("a readable code").1)
        .collect()
}

#[test]
fn an_invitation_on_the_screen_is_a_qr_code_that_scans_to_a_working_join_link() {
    let mut a = session(&[], "Fay");
    a.ws.record_public_url("https://workshop.example.edu/")
        .unwrap();
    // M, Sam (third), "invite".
    a.keys("M 3 4");
    let Some(Popup::Invite(shown)) = &a.state.popup else {
        panic!("the invitation is shown: {}", message(&a));
    };
    let shown = shown.clone();
    assert_eq!(shown.name, "Sam");
    assert!(
        shown.url.starts_with("https://workshop.example.edu/join/"),
        "{}",
        shown.url
    );
    // At the screen's size and on a large projector, the drawn code scans to the link.
    for (w, h) in [(100, 30), (200, 60)] {
        let drawn = a.render(w, h);
        assert_eq!(scan(&drawn), vec![shown.url.clone()], "at {w}x{h}");
    }
    let small =
        crosswalk::ui::invite::module_cells(&shown.qr, ratatui::layout::Rect::new(0, 0, 96, 24));
    let large =
        crosswalk::ui::invite::module_cells(&shown.qr, ratatui::layout::Rect::new(0, 0, 196, 54));
    assert!(large > small, "a larger screen draws larger modules");
    // The token joins as Sam, for the workshop day.
    let token = shown.url.rsplit('/').next().unwrap();
    assert_eq!(
        a.ws.participant_by_token(token).unwrap().unwrap().name,
        "Sam"
    );
    assert!(
        message(&a).contains("join link for Sam made"),
        "{}",
        message(&a)
    );
    a.keys("Esc");
    assert!(a.state.popup.is_none());
    // Revoking it from the same menu stops the link.
    a.keys("M 3 5");
    assert!(
        message(&a).contains("revoked 1 join link of Sam"),
        "{}",
        message(&a)
    );
    assert!(a.ws.participant_by_token(token).unwrap().is_none());
    // Only the facilitator invites.
    let mut b = session(&[], "Ana");
    b.keys("M 3 4");
    assert!(!matches!(b.state.popup, Some(Popup::Invite(_))));
    assert!(message(&b).contains("facilitator"), "{}", message(&b));
}

#[test]
fn snapshot_an_invitation_too_small_for_its_code_shows_the_link() {
    let mut a = session(&[], "Fay");
    a.keys("M 3 4");
    let Some(Popup::Invite(shown)) = &mut a.state.popup else {
        panic!("the invitation is shown");
    };
    // A fixed link, so the snapshot does not change with the random token.
    shown.url = format!("https://workshop.example.edu/join/{}", "cafe".repeat(16));
    shown.until = "2000-01-01 00:00 UTC".into();
    a.state.message = None;
    insta::assert_snapshot!(masked(&a.render(60, 20)));
}
