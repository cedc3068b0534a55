//! The alignment screen without a terminal: keys in, state (and workshop) out, and
//! snapshots of what TestBackend draws.
use crosswalk::app::{self, Action, Flow, Focus, Options, Popup, Step};
use crosswalk::model::{AssociationType, Side, Strength};
use crosswalk::store::Workshop;

mod screen;
use screen::*;

// ---- state: keys in, state out --------------------------------------------------

#[test]
fn opens_on_the_only_pair_educator_left_and_remembers_it() {
    let a = App::new();
    assert_eq!(a.state.panes[0].fw.identifier, "edu");
    assert_eq!(a.state.panes[1].fw.identifier, "emp");
    assert_eq!(a.ws.setting("screen.left").unwrap().as_deref(), Some("edu"));
    assert_eq!(
        a.ws.setting("screen.right").unwrap().as_deref(),
        Some("emp")
    );
    assert!(a.state.popup.is_none());
    // Top level expanded: domains and their children show.
    assert_eq!(a.state.panes[0].view.len(), 9);
}

#[test]
fn navigation_keys_move_expand_and_switch() {
    let mut a = App::new();
    assert_eq!(a.code(0), "COM");
    a.keys("j j");
    assert_eq!(a.code(0), "COM.2");
    a.keys("k Down");
    assert_eq!(a.code(0), "COM.2");
    a.keys("h"); // a leaf: to its parent
    assert_eq!(a.code(0), "COM");
    a.keys("h"); // an open parent: collapse
    assert_eq!(a.state.panes[0].view.len(), 7);
    a.keys("l"); // expand again
    assert_eq!(a.state.panes[0].view.len(), 9);
    a.keys("l"); // open: go to first child
    assert_eq!(a.code(0), "COM.1");
    a.keys("End");
    assert_eq!(a.code(0), "SAF.2");
    a.keys("Home");
    assert_eq!(a.code(0), "COM");
    a.keys("C");
    assert_eq!(a.state.panes[0].view.len(), 3);
    a.keys("E");
    assert_eq!(a.state.panes[0].view.len(), 9);
    a.keys("Enter");
    assert_eq!(a.state.panes[0].view.len(), 7);
    a.keys("PageDown");
    assert_eq!(a.code(0), "SAF.2");
    a.keys("Tab");
    assert_eq!((a.state.focus, a.state.active), (Focus::Pane(1), 1));
    a.keys("j");
    assert_eq!(a.code(1), "OUT.1");
    assert_eq!(a.code(0), "SAF.2", "the other pane keeps its cursor");
    a.keys("i");
    assert_eq!(a.state.focus, Focus::Detail);
    a.keys("Esc");
    assert_eq!(a.state.focus, Focus::Pane(1));
    assert_eq!(a.keys("q"), Flow::Quit);
    assert_eq!(a.keys("ctrl-c"), Flow::Quit);
}

#[test]
fn drawing_a_link_goes_through_type_strength_note_and_is_saved() {
    let mut a = App::new();
    a.select(0, "COM.1");
    a.select(1, "CC.2");
    a.keys("a");
    let Some(Popup::Link(flow)) = &a.state.popup else {
        panic!("no link menu")
    };
    assert_eq!(
        (flow.step, flow.assoc),
        (Step::Type, AssociationType::ExactMatchOf)
    );
    a.keys("j Enter"); // isRelatedTo
    a.keys("2"); // minor, by digit
    let Some(Popup::Link(flow)) = &a.state.popup else {
        panic!("no note input")
    };
    assert_eq!(flow.step, Step::Note);
    a.type_text("plain language is taught and expected");
    a.keys("Enter");
    assert!(a.state.popup.is_none());
    let links = a.ws.links().unwrap();
    assert_eq!(links.len(), 1);
    let l = &links[0];
    assert_eq!(
        (l.origin.code.as_str(), l.destination.code.as_str()),
        ("COM.1", "CC.2")
    );
    assert_eq!(
        (l.association_type, l.strength),
        (AssociationType::IsRelatedTo, Strength::Minor)
    );
    assert_eq!(l.note, "plain language is taught and expected");
    // The screen follows: badge counts, highlight, progress, remembered default type.
    let com1 = a.state.panes[0].fw.index_of("edu-COM.1").unwrap();
    assert_eq!(a.state.panes[0].counts[com1], 1);
    assert_eq!(a.state.progress.links, 1);
    assert_eq!(
        (
            a.state.progress.outcomes_decided(),
            a.state.progress.outcomes
        ),
        (1, 6)
    );
    assert_eq!(
        (
            a.state.progress.competencies_linked,
            a.state.progress.competencies
        ),
        (1, 5)
    );
    assert_eq!(
        a.ws.setting("link.default_type").unwrap().as_deref(),
        Some("isRelatedTo")
    );
    a.select(0, "COM.1");
    assert_eq!(
        a.state.selection.others,
        vec![a.state.panes[1].fw.index_of("emp-CC.2").unwrap()]
    );
    // Linking the same pair again is refused before any menu.
    a.select(1, "CC.2");
    a.keys("a");
    assert!(a.state.popup.is_none());
    assert!(
        a.state
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("already linked")
    );
}

#[test]
fn escape_cancels_a_link_and_nothing_is_saved() {
    let mut a = App::new();
    a.select(0, "COM.1");
    a.select(1, "OUT.1");
    a.keys("a Enter Enter");
    a.type_text("never mind");
    a.keys("Esc");
    assert!(a.state.popup.is_none());
    assert!(a.ws.links().unwrap().is_empty());
    assert!(a.state.history.done.is_empty());
}

#[test]
fn links_are_edited_and_deleted_from_the_detail_pane_and_every_change_undoes() {
    let mut a = App::new();
    a.link("COM.1", "OUT.2", "first");
    a.link("COM.1", "CC.2", "second");
    a.select(0, "COM.1");
    a.keys("i");
    assert_eq!(a.state.selection.links.len(), 2);
    // Links are listed in the other side's order: OUT.2 then CC.2.
    assert_eq!(
        a.state.detail_link().unwrap().link.destination.code,
        "OUT.2"
    );
    a.keys("j t");
    a.keys("k k Enter"); // wraps from the top of the menu: isTranslationOf, then up to replacedBy
    let l =
        a.ws.links()
            .unwrap()
            .into_iter()
            .find(|l| l.destination.code == "CC.2")
            .unwrap();
    assert_eq!(l.association_type, AssociationType::ReplacedBy);
    a.keys("s j Enter");
    a.keys("r ctrl-u");
    a.type_text("renoted");
    a.keys("Enter");
    let l = a.ws.link(&l.identifier).unwrap();
    assert_eq!((l.strength, l.note.as_str()), (Strength::Minor, "renoted"));
    a.keys("d");
    assert_eq!(a.ws.links().unwrap().len(), 1);
    assert_eq!(a.state.progress.links, 1);
    // Undo the delete, the three edits, both creations; then redo them all.
    a.keys("u");
    assert_eq!(a.ws.link(&l.identifier).unwrap().note, "renoted");
    a.keys("u u u");
    let back = a.ws.link(&l.identifier).unwrap();
    assert_eq!(
        (back.association_type, back.strength, back.note.as_str()),
        (AssociationType::ExactMatchOf, Strength::Major, "second")
    );
    a.keys("u u");
    assert!(a.ws.links().unwrap().is_empty());
    assert_eq!(a.state.progress.links, 0);
    a.keys("u");
    assert!(
        a.state
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("nothing to undo")
    );
    a.keys("ctrl-r ctrl-r ctrl-r ctrl-r ctrl-r ctrl-r");
    let links = a.ws.links().unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0].destination.code, "OUT.2");
    assert_eq!(a.state.progress.links, 1);
    assert!(
        a.ws.link(&l.identifier).is_err(),
        "the deletion was redone too"
    );
}

#[test]
fn undo_restores_a_link_with_its_identifier() {
    let mut a = App::new();
    a.link("SAF.1", "CC.1", "hygiene");
    let id = a.ws.links().unwrap()[0].identifier.clone();
    a.select(0, "SAF.1");
    a.keys("i d");
    assert!(a.ws.links().unwrap().is_empty());
    a.keys("u");
    assert_eq!(a.ws.links().unwrap()[0].identifier, id);
}

#[test]
fn jump_goes_to_the_linked_items_in_turn() {
    let mut a = App::new();
    a.link("ADV.1", "OUT.1", "");
    a.link("ADV.1", "CC.1", "");
    a.select(0, "ADV.1");
    a.keys("g");
    assert_eq!(
        (a.state.focus, a.code(1)),
        (Focus::Pane(1), "OUT.1".to_string())
    );
    a.keys("Tab g"); // back left on ADV.1, jump again: the next one after OUT.1
    assert_eq!(a.code(1), "CC.1");
    a.keys("g"); // from CC.1 back to ADV.1
    assert_eq!(
        (a.state.focus, a.code(0)),
        (Focus::Pane(0), "ADV.1".to_string())
    );
    a.select(0, "COM.2");
    a.keys("g");
    assert!(
        a.state
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("not linked")
    );
}

#[test]
fn no_equivalent_counts_as_decided_and_undoes() {
    let mut a = App::new();
    a.select(0, "SAF.2");
    a.keys("x");
    assert_eq!(a.state.progress.outcomes_decided(), 1);
    assert_eq!(a.state.progress.outcomes_undecided(), 5);
    let fw = a.ws.load_framework(a.state.panes[0].fw.id).unwrap();
    assert!(fw.items[fw.index_of("edu-SAF.2").unwrap()].no_equivalent);
    a.keys("u");
    assert_eq!(a.state.progress.outcomes_decided(), 0);
    let fw = a.ws.load_framework(a.state.panes[0].fw.id).unwrap();
    assert!(!fw.items[fw.index_of("edu-SAF.2").unwrap()].no_equivalent);
    // A linked item is not marked.
    a.link("SAF.1", "CC.1", "");
    a.select(0, "SAF.1");
    a.keys("x");
    assert!(!a.state.panes[0].fw.items[7].no_equivalent);
}

#[test]
fn no_equivalent_counts_the_same_on_both_sides_and_a_marked_item_is_not_linked() {
    let mut a = App::new();
    a.select(1, "CC.3");
    a.keys("x");
    let p = a.state.progress;
    assert_eq!(
        (p.competencies_decided(), p.competencies_undecided()),
        (1, 4)
    );
    let bar = text_of(&a.screen());
    assert!(
        bar.contains("decided: outcomes 0/6 · competencies 1/5")
            && bar.contains("undecided: 6 outcomes, 4 competencies"),
        "{bar}"
    );
    // The detail pane does not invite a link, and `a` says why it will not make one.
    assert!(bar.contains("x removes the mark"), "{bar}");
    assert!(!bar.contains("to link it"), "{bar}");
    a.select(0, "COM.1");
    a.keys("a");
    assert!(a.state.popup.is_none());
    assert!(a.state.links.is_empty());
    assert_eq!(
        a.state.message.as_ref().unwrap().text,
        "CC.3 is marked ⊘ no equivalent: press x on it to remove the mark first, then link"
    );
    let fw = a.ws.load_framework(a.state.panes[1].fw.id).unwrap();
    assert!(
        fw.items[fw.index_of("emp-CC.3").unwrap()].no_equivalent,
        "the mark stays"
    );
}

#[test]
fn undecided_filter_shows_only_open_work() {
    let mut a = App::new();
    a.link("COM.1", "OUT.1", "");
    a.select(0, "COM.2");
    a.keys("x f");
    let codes: Vec<&str> = a.state.panes[0]
        .view
        .visible()
        .iter()
        .map(|&i| a.state.panes[0].fw.items[i].code.as_str())
        .collect();
    assert_eq!(codes, ["ADV", "ADV.1", "ADV.2", "SAF", "SAF.1", "SAF.2"]);
    // Linking while filtered: the item leaves the list, the cursor goes to the next.
    a.select(0, "ADV.1");
    a.select(1, "OUT.2");
    a.state.focus = Focus::Pane(0);
    a.keys("a Enter Enter Enter");
    assert_eq!(a.code(0), "ADV.2");
    a.state.focus = Focus::Pane(0);
    a.keys("f");
    assert_eq!(a.state.panes[0].view.len(), 9);
}

#[test]
fn search_ranks_filters_walks_and_leaves() {
    let mut a = App::new();
    a.keys("/");
    a.type_text("infect");
    let s = a.state.search.as_ref().unwrap();
    let fw = &a.state.panes[0].fw;
    let codes: Vec<&str> = s.hits.iter().map(|&i| fw.items[i].code.as_str()).collect();
    // The long ADV.2 statement holds i-n-f-e-c-t strewn over a sentence: not a hit.
    assert_eq!(codes, ["SAF.1", "SAF.2"]);
    assert_eq!(a.code(0), "SAF.1", "best hit first");
    // The tree narrows to hits and their ancestors while typing.
    assert_eq!(a.state.panes[0].view.len(), 3);
    a.keys("Enter");
    assert_eq!(a.state.panes[0].view.len(), 9);
    a.keys("n");
    assert_eq!(a.code(0), "SAF.2");
    a.keys("n");
    assert_eq!(a.code(0), "SAF.1", "wraps");
    a.keys("N");
    assert_eq!(a.code(0), "SAF.2");
    a.keys("Esc");
    assert!(a.state.search.is_none());
    assert_eq!(a.code(0), "SAF.2");
    // A hit inside a collapsed branch is revealed.
    a.keys("C /");
    a.type_text("motivational");
    a.keys("Enter");
    assert_eq!(a.code(0), "COM.2");
    // Backspace widens again; Esc while typing leaves at once.
    a.keys("/");
    a.type_text("zzzz");
    assert!(a.state.search.as_ref().unwrap().hits.is_empty());
    a.keys("Backspace Backspace Backspace Backspace");
    a.type_text("CC");
    a.keys("Esc");
    assert!(a.state.search.is_none());
    assert_eq!(
        a.state.panes[0].view.len(),
        a.state.panes[0].view.visible().len()
    );
}

#[test]
fn search_puts_the_word_first_and_a_vote_after_it_goes_to_the_item_shown() {
    let mut a = App::new();
    a.keys("/");
    a.type_text("community");
    assert_eq!(
        a.code(0),
        "ADV.1",
        "the whole word first, though ADV.2 has it too"
    );
    a.keys("Enter");
    assert_eq!(a.code(0), "ADV.1");
    assert_eq!(
        a.state.selection.item,
        a.state.panes[0].item(),
        "what is seen is selected"
    );
    // Nothing found: the cursor goes back to the item it was on, not to whatever row
    // the empty tree left it at, so the next key acts on what the person saw before.
    a.select(0, "SAF.1");
    a.keys("/");
    a.type_text("zzzz");
    assert_eq!(a.state.selection.item, None);
    a.keys("Enter");
    assert!(a.state.search.is_none());
    assert_eq!(a.code(0), "SAF.1");
    assert_eq!(
        a.state.message.as_ref().unwrap().text,
        "no match for “zzzz”"
    );
    a.keys("/");
    a.type_text("qqq");
    a.keys("Esc");
    assert_eq!(a.code(0), "SAF.1");
}

#[test]
fn picker_chooses_and_remembers_when_there_are_more_than_two() {
    let mut ws = Workshop::open_in_memory().unwrap();
    import(&mut ws, educator());
    import(&mut ws, employer());
    import(
        &mut ws,
        framework(
            "emp2",
            "Health Educator Role",
            Side::Employer,
            &[("HE.1", 0, "Teaches.")],
        ),
    );
    let mut a = App::on(ws);
    assert!(matches!(a.state.popup, Some(Popup::Picker(_))));
    assert!(a.state.panes[0].is_empty());
    a.keys("Enter"); // left: the educator framework (preselected)
    a.keys("3"); // right: the third
    assert!(a.state.popup.is_none());
    assert_eq!(a.state.panes[1].fw.identifier, "emp2");
    assert_eq!(
        a.ws.setting("screen.right").unwrap().as_deref(),
        Some("emp2")
    );
    let b = App::on(a.ws);
    assert!(b.state.popup.is_none(), "the choice is remembered");
    assert_eq!(b.state.panes[1].fw.identifier, "emp2");
}

#[test]
fn themes_cycle_and_unknown_names_are_refused() {
    let mut a = App::new();
    assert_eq!(a.state.theme().name, "dark");
    a.keys("T");
    assert_eq!(a.state.theme().name, "light");
    assert_eq!(
        a.ws.setting("screen.theme").unwrap().as_deref(),
        Some("light")
    );
    let mut ws = Workshop::open_in_memory().unwrap();
    let opts = Options {
        theme: Some("high-contrast".into()),
        ..options()
    };
    assert_eq!(
        app::initial_state(&mut ws, &opts).unwrap().theme().name,
        "high-contrast"
    );
    let opts = Options {
        theme: Some("neon".into()),
        ..options()
    };
    let err = app::initial_state(&mut ws, &opts)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("colour-blind"), "{err}");
}

#[test]
fn mouse_clicks_select_and_wheel_scrolls() {
    let mut a = App::new();
    let inner = a.state.areas().pane_inner(1);
    app::update(
        &mut a.state,
        &mut a.ws,
        Action::Click {
            x: inner.x + 10,
            y: inner.y + 2,
        },
    );
    assert_eq!(
        (a.state.focus, a.code(1)),
        (Focus::Pane(1), "OUT.2".to_string())
    );
    // On the ▾ marker of a top-level row: collapses it.
    app::update(
        &mut a.state,
        &mut a.ws,
        Action::Click {
            x: inner.x + 2,
            y: inner.y,
        },
    );
    assert_eq!(a.state.panes[1].view.len(), 5);
    app::update(
        &mut a.state,
        &mut a.ws,
        Action::Scroll {
            x: inner.x,
            y: inner.y,
            down: true,
        },
    );
    let detail = a.state.areas().detail;
    app::update(
        &mut a.state,
        &mut a.ws,
        Action::Click {
            x: detail.x + 3,
            y: detail.y + 2,
        },
    );
    assert_eq!(a.state.focus, Focus::Detail);
}

#[test]
fn help_lists_every_binding_from_the_keymap() {
    let mut a = App::new();
    a.keys("?");
    assert!(matches!(a.state.popup, Some(Popup::Help { .. })));
    let lines: Vec<String> = crosswalk::ui::help::lines(&a.state)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    // Wrapped descriptions continue on the next line: compare words, not lines.
    let all = lines
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for (section, action, keys) in a.state.keymap.listing() {
        assert!(all.contains(action.describe_in(*section)), "{action:?}");
        for k in keys {
            assert!(all.contains(&k.label()), "{}", k.label());
        }
    }
    a.keys("Esc");
    assert!(a.state.popup.is_none());
}

// ---- drawing ----------------------------------------------------------------

#[test]
fn nothing_panics_at_any_small_size() {
    let mut a = App::new();
    a.link("COM.1", "CC.2", "a note");
    let setups: [&str; 5] = ["", "?", "a", "a Enter Enter", "/"];
    for keys in setups {
        let mut b = App::new();
        b.select(0, "ADV.2");
        b.select(1, "CC.3");
        b.keys(keys);
        for w in 1..=30 {
            for h in 1..=12 {
                app::update(
                    &mut b.state,
                    &mut b.ws,
                    Action::Resize {
                        width: w,
                        height: h,
                    },
                );
                b.render(w, h);
                b.keys("j k");
            }
        }
        for (w, h) in [(59, 12), (60, 12), (61, 13), (80, 24), (120, 40), (300, 80)] {
            app::update(
                &mut b.state,
                &mut b.ws,
                Action::Resize {
                    width: w,
                    height: h,
                },
            );
            b.render(w, h);
        }
    }
}

#[test]
fn framework_text_never_reaches_the_terminal_raw() {
    let mut a = App::new();
    a.select(1, "CC.3");
    let t = a.screen();
    let text = text_of(&t);
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "control characters drawn"
    );
    assert!(
        text.contains("Keeps records confidential and secure."),
        "{text}"
    );
    assert!(!text.contains("[31m") && !text.contains("pwned"));
}

#[test]
fn wide_and_right_to_left_text_keeps_the_layout() {
    let mut a = App::new();
    a.select(0, "SAF.2");
    a.select(1, "CC.2");
    for w in [60, 61, 77, 100, 133] {
        app::update(
            &mut a.state,
            &mut a.ws,
            Action::Resize {
                width: w,
                height: 20,
            },
        );
        let t = a.render(w, 20);
        let buf = t.backend().buffer();
        let panes = a.state.areas().panes;
        // Every row of both panes ends on its border: nothing spilled over.
        for p in panes {
            for y in p.y + 1..p.bottom() - 1 {
                assert_eq!(buf[(p.right() - 1, y)].symbol(), "│", "width {w}, row {y}");
                assert_eq!(buf[(p.x, y)].symbol(), "│", "width {w}, row {y}");
            }
        }
    }
}

#[test]
fn the_whole_long_statement_is_in_the_detail_pane() {
    let mut a = App::new();
    a.select(0, "ADV.2");
    app::update(
        &mut a.state,
        &mut a.ws,
        Action::Resize {
            width: 60,
            height: 40,
        },
    );
    let text = text_of(&a.render(60, 40));
    let flat: String = text
        .split_whitespace()
        .map(|w| w.trim_matches('│'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    for word in LONG.split_whitespace() {
        assert!(flat.contains(word), "{word} missing");
    }
    assert!(flat.contains("the next family."));
}

#[test]
fn search_highlights_matched_characters() {
    let mut a = App::new();
    a.keys("/");
    a.type_text("plain");
    let t = a.screen();
    let buf = t.backend().buffer();
    let inner = a.state.areas().pane_inner(0);
    let row = inner.y + a.state.panes[0].cursor as u16 - a.state.panes[0].scroll as u16;
    let underlined: String = (inner.x..inner.right())
        .filter(|&x| {
            buf[(x, row)]
                .modifier
                .contains(ratatui::style::Modifier::UNDERLINED)
        })
        .map(|x| buf[(x, row)].symbol().to_string())
        .collect();
    assert_eq!(underlined, "plain");
}

/// Codes of the suggestion pane's list, best first.
fn suggested(a: &App) -> Vec<String> {
    let (p, _) = a.state.suggestions.for_item;
    a.state
        .suggestions
        .list
        .iter()
        .map(|s| a.state.panes[1 - p].fw.items[s.item_index].code.clone())
        .collect()
}

#[test]
fn suggestion_pane_lists_candidates_for_the_selected_item() {
    let mut a = App::new();
    a.select(0, "COM.1");
    assert!(
        a.state.suggestions.list.is_empty(),
        "closed: nothing worked out"
    );
    a.keys("s");
    assert!(a.state.suggestions.open);
    let list = suggested(&a);
    assert!(!list.is_empty() && list.len() <= app::SUGGESTIONS_SHOWN);
    // Only candidates (leaves) of the other side, best first, each with its words.
    assert!(list.iter().all(|c| c.contains('.')), "{list:?}");
    let scores: Vec<f64> = a.state.suggestions.list.iter().map(|s| s.score).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert_eq!(list[0], "CC.2", "{list:?}");
    assert_eq!(
        a.state.suggestions.list[0].matched_words,
        ["information", "health"]
    );
    // Following the selection: no shared word, no suggestion; the right pane's items
    // get outcomes suggested.
    a.select(0, "SAF.1");
    assert!(suggested(&a).is_empty(), "{:?}", suggested(&a));
    assert!(text_of(&a.screen()).contains("no suggestions"));
    a.select(1, "CC.2");
    assert_eq!(a.state.suggestions.for_item.0, 1);
    assert!(
        suggested(&a).contains(&"COM.1".to_string()),
        "{:?}",
        suggested(&a)
    );
    // Hidden again, and focus never stays in a closed pane.
    a.keys("S");
    assert_eq!(a.state.focus, Focus::Suggest);
    a.keys("s");
    assert!(!a.state.suggestions.open);
    assert_eq!(a.state.focus, Focus::Pane(1));
}

#[test]
fn matched_words_are_the_items_own_and_the_pane_shows_the_candidates_full_text() {
    let mut ws = Workshop::open_in_memory().unwrap();
    import(
        &mut ws,
        framework(
            "e",
            "Home Care Outcomes",
            Side::Educator,
            &[
                ("A", 0, "Visits"),
                (
                    "A.1",
                    1,
                    "Plan safe home visits with families and record each visit",
                ),
            ],
        ),
    );
    import(
        &mut ws,
        framework(
            "j",
            "Home Care Aide",
            Side::Employer,
            &[
                ("S", 0, "Safety on home visits"),
                (
                    "S.1",
                    1,
                    "Plans the route and timing of visits with the families served, checking the schedule twice",
                ),
            ],
        ),
    );
    // OUT.2 is suggested for COM.1 through COM.1's domain, "Communication": the word is
    // not COM.1's own, so it is not offered as a reason.
    let mut c = App::new();
    c.select(0, "COM.1");
    c.keys("s");
    let out2 = c.state.panes[1].fw.index_of("emp-OUT.2").unwrap();
    let sg = c
        .state
        .suggestions
        .list
        .iter()
        .find(|s| s.item_index == out2)
        .unwrap();
    assert!(sg.matched_words.is_empty(), "{:?}", sg.matched_words);
    assert!(text_of(&c.screen()).contains("~ via its group"));
    let mut a = App::on(ws);
    a.select(0, "A.1");
    a.keys("s");
    // The highlighted candidate's statement, whole, below the list.
    let flat = text_of(&a.screen())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("checking the schedule twice"), "{flat}");
}

#[test]
fn a_link_starts_on_the_type_and_strength_chosen_last() {
    let mut a = App::new();
    a.select(0, "COM.1");
    a.select(1, "OUT.1");
    a.keys("a 2 2 Enter");
    assert_eq!(a.state.links[0].link.strength, Strength::Minor);
    a.select(0, "COM.2");
    a.keys("a Enter Enter Enter");
    let second = a
        .state
        .links
        .iter()
        .find(|l| l.link.origin.label() == "COM.2")
        .unwrap();
    assert_eq!(
        second.link.strength,
        Strength::Minor,
        "Enter keeps the last strength"
    );
    assert_eq!(
        second.link.association_type,
        a.state.links[0].link.association_type
    );
    assert_eq!(
        a.ws.setting("link.default_strength").unwrap().as_deref(),
        Some("minor")
    );
}

#[test]
fn accepting_a_suggestion_links_it_as_a_suggestion_and_undoes() {
    let mut a = App::new();
    a.select(0, "COM.1");
    a.keys("S");
    assert_eq!(a.state.focus, Focus::Suggest);
    let first = suggested(&a)[0].clone();
    a.keys("Enter");
    let links = a.ws.links().unwrap();
    assert_eq!(links.len(), 1);
    let link = &links[0];
    assert_eq!(link.origin.item_identifier, "edu-COM.1");
    assert_eq!(link.destination.item_identifier, format!("emp-{first}"));
    assert_eq!(link.association_type, a.state.default_type);
    let basis =
        a.ws.session_link(&link.identifier)
            .unwrap()
            .provenance
            .basis;
    assert_eq!(basis, crosswalk::model::Basis::Suggestion);
    // Linked now: out of the list, on screen, and counted.
    assert!(!suggested(&a).contains(&first), "{:?}", suggested(&a));
    assert_eq!(a.state.progress.links, 1);
    assert_eq!(a.state.selection.links.len(), 1);
    // Undo takes the link away and the candidate comes back; redo keeps the basis.
    a.keys("u");
    assert!(a.ws.links().unwrap().is_empty());
    assert_eq!(suggested(&a)[0], first);
    a.keys("ctrl-r");
    let basis =
        a.ws.session_link(&link.identifier)
            .unwrap()
            .provenance
            .basis;
    assert_eq!(basis, crosswalk::model::Basis::Suggestion);
    assert!(!suggested(&a).contains(&first));
}

#[test]
fn a_rejected_suggestion_never_returns_and_the_rejection_undoes() {
    let mut a = App::new();
    a.select(0, "COM.1");
    a.keys("S");
    let before = suggested(&a);
    let first = before[0].clone();
    a.keys("x");
    assert!(
        a.ws.is_rejected("edu-COM.1", &format!("emp-{first}"))
            .unwrap()
    );
    assert!(a.ws.links().unwrap().is_empty(), "rejecting draws no link");
    assert!(!suggested(&a).contains(&first));
    assert_eq!(suggested(&a), before[1..].to_vec());
    // Reselecting, closing and reopening, reopening the workshop: it stays gone.
    a.keys("Esc");
    a.select(0, "COM.2");
    a.select(0, "COM.1");
    a.keys("s s");
    assert!(!suggested(&a).contains(&first));
    let b = App::on(std::mem::replace(
        &mut a.ws,
        Workshop::open_in_memory().unwrap(),
    ));
    let mut b = b;
    b.select(0, "COM.1");
    b.keys("s");
    assert!(!suggested(&b).contains(&first), "{:?}", suggested(&b));
    // From the other side too.
    b.select(1, &first);
    assert!(!suggested(&b).contains(&"COM.1".to_string()));
    // Undo forgets the rejection; redo rejects again.
    let mut a = b;
    a.select(0, "COM.1");
    a.keys("S x");
    let second = before[1].clone();
    assert!(!suggested(&a).contains(&second));
    a.keys("u");
    assert!(
        !a.ws
            .is_rejected("edu-COM.1", &format!("emp-{second}"))
            .unwrap()
    );
    assert!(suggested(&a).contains(&second));
    a.keys("ctrl-r");
    assert!(
        a.ws.is_rejected("edu-COM.1", &format!("emp-{second}"))
            .unwrap()
    );
    assert!(!suggested(&a).contains(&second));
}

// ---- snapshots ----------------------------------------------------------------

fn linked_app() -> App {
    let mut a = App::new();
    a.link("COM.1", "OUT.2", "both teach plain-language explanation");
    a.link("COM.1", "CC.2", "");
    a.link(
        "SAF.1",
        "CC.1",
        "infection control is part of every referral visit",
    );
    a.select(0, "COM.1");
    a.message_clear();
    a
}

impl App {
    fn message_clear(&mut self) {
        self.state.message = None;
    }
}

#[test]
fn snapshot_two_panes() {
    let a = linked_app();
    insta::assert_snapshot!(masked(&a.screen()));
}

#[test]
fn snapshot_detail_pane_focused() {
    let mut a = linked_app();
    a.keys("i j");
    insta::assert_snapshot!(masked(&a.screen()));
}

#[test]
fn snapshot_link_menu() {
    let mut a = linked_app();
    a.select(1, "OUT.1");
    a.keys("a");
    insta::assert_snapshot!(masked(&a.screen()));
}

#[test]
fn snapshot_strength_and_note() {
    let mut a = linked_app();
    a.select(1, "OUT.1");
    a.keys("a Enter");
    insta::assert_snapshot!("strength_menu", masked(&a.screen()));
    a.keys("Enter");
    a.type_text("outreach skills are practised in placement");
    insta::assert_snapshot!("note_input", masked(&a.screen()));
}

#[test]
fn snapshot_search() {
    let mut a = linked_app();
    a.select(1, "OUT.1");
    a.keys("/");
    a.type_text("comm");
    app::tick(&mut a.state, &a.ws);
    insta::assert_snapshot!(masked(&a.screen()));
}

#[test]
fn snapshot_help() {
    let mut a = linked_app();
    a.keys("?");
    insta::assert_snapshot!(masked(&a.screen()));
}

#[test]
fn snapshot_suggestion_pane() {
    let mut a = linked_app();
    a.select(0, "ADV.2");
    a.keys("S j");
    insta::assert_snapshot!(masked(&a.screen()));
}

#[test]
fn snapshot_too_small() {
    let a = linked_app();
    insta::assert_snapshot!(a.render(30, 8).backend());
}

#[test]
fn snapshot_picker() {
    let mut ws = Workshop::open_in_memory().unwrap();
    import(&mut ws, educator());
    import(&mut ws, employer());
    import(
        &mut ws,
        framework(
            "emp2",
            "Health Educator Role",
            Side::Employer,
            &[("HE.1", 0, "Teaches.")],
        ),
    );
    let mut a = App::on(ws);
    a.keys("Enter");
    insta::assert_snapshot!(masked(&a.screen()));
}

#[test]
fn thousands_of_random_actions_never_panic_and_never_lose_a_link() {
    let mut a = App::new();
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: usize| {
        // xorshift: the same sequence on every run.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    // Adding a participant would start the session and ask for a name for every link
    // from then on, and marks turn `a` into linking many at once: both have their own
    // tests (session_screen.rs, and the marked-links tests below); this walk is the
    // one-by-one linking it always was.
    let walked: Vec<Action> = Action::BINDABLE
        .iter()
        .copied()
        .filter(|a| !matches!(a, Action::ManagePeople | Action::MarkItem))
        .collect();
    for step in 0..20_000 {
        let action = match next(10) {
            0 => Action::Insert(['a', 'e', 'x', 'Q', '日', ' ', '1'][next(7)]),
            1 => Action::Click {
                x: next(110) as u16,
                y: next(40) as u16,
            },
            2 => Action::Scroll {
                x: next(110) as u16,
                y: next(40) as u16,
                down: next(2) == 0,
            },
            3 if next(20) == 0 => Action::Resize {
                width: 1 + next(140) as u16,
                height: 1 + next(45) as u16,
            },
            4 => Action::Choose(next(12) as u8),
            5..=7 => {
                // The actions of drawing, editing and undoing links, more often.
                use Action::*;
                let flow = [
                    Link,
                    Select,
                    Select,
                    Submit,
                    Down,
                    SwitchPane,
                    FocusDetail,
                    DeleteLink,
                    Undo,
                    Redo,
                ];
                let more = [
                    Retype,
                    Restrength,
                    EditLink,
                    Jump,
                    NoEquivalent,
                    Back,
                    Search,
                    Cancel,
                    Submit,
                ];
                if next(3) == 0 {
                    more[next(more.len())]
                } else {
                    flow[next(flow.len())]
                }
            }
            _ => walked[next(walked.len())],
        };
        if action == Action::Quit || action == Action::PickFrameworks {
            continue;
        }
        app::update(&mut a.state, &mut a.ws, action);
        if step % 25 == 0 {
            a.render(a.state.size.0, a.state.size.1);
        }
        // The screen's idea of the links is always the workshop's.
        if step % 100 == 0 {
            assert_eq!(
                a.state.links.len(),
                a.ws.links().unwrap().len(),
                "step {step}: {action:?}"
            );
        }
    }
    // Every change the walk made is in the session history (undo stacks come and go).
    let changes =
        a.ws.history(&crosswalk::store::HistoryFilter::All)
            .unwrap()
            .len();
    eprintln!(
        "{changes} changes, {} links at the end",
        a.state.links.len()
    );
    assert!(
        changes > 10,
        "the walk should have drawn, edited and undone links"
    );
}

#[test]
fn places_are_kept_detail_scroll_matrix_level_cursors_and_a_tiny_terminal_ignores_keys() {
    let mut a = App::new();
    // The detail pane starts at the top again after going back to the tree.
    a.select(0, "ADV.2");
    a.state.size = (100, 16);
    a.keys("i PageDown");
    assert!(a.state.detail.scroll > 0, "the long statement scrolls");
    a.keys("Esc");
    assert_eq!(a.state.detail.scroll, 0);
    a.state.size = (100, 30);
    // `p` choosing the same pair again keeps both cursors on their items.
    a.select(1, "CC.2");
    a.select(0, "SAF.1");
    a.keys("p 1 2");
    assert!(a.state.popup.is_none());
    assert_eq!((a.code(0), a.code(1)), ("SAF.1".into(), "CC.2".into()));
    // The matrix reopens at the level the person left it at.
    a.keys("m");
    let opened = a.state.matrix.as_ref().unwrap().level;
    assert_eq!(opened, 1, "the finest level fits");
    a.keys("- Esc m");
    assert_eq!(a.state.matrix.as_ref().unwrap().level, 0);
    a.keys("Esc");
    // Search hints belong to the searched pane: on the other, its own keys show.
    a.keys("/");
    a.type_text("plain");
    a.keys("Enter");
    let top = |a: &App| text_of(&a.screen()).lines().nth(28).unwrap().to_string();
    a.keys("j");
    assert!(top(&a).contains("next hit"), "{}", top(&a));
    a.keys("Tab");
    assert!(!top(&a).contains("next hit"), "{}", top(&a));
    // Under "Terminal too small" keys do nothing (but q still quits).
    let before = (a.code(0), a.code(1), a.state.active);
    app::update(
        &mut a.state,
        &mut a.ws,
        Action::Resize {
            width: 50,
            height: 10,
        },
    );
    a.keys("j Tab a x");
    assert!(a.state.popup.is_none());
    assert_eq!((a.code(0), a.code(1), a.state.active), before);
    assert!(text_of(&a.render(50, 10)).contains("Terminal too small"));
    assert_eq!(a.keys("q"), Flow::Quit);
}

#[test]
fn help_keeps_keys_in_their_column_says_what_each_context_means_and_cuts_nothing() {
    let mut a = App::new();
    a.state.size = (100, 200);
    a.keys("?");
    let text = text_of(&a.render(100, 200));
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.trim_matches(|c| c == '│' || c == ' ').to_string())
        .collect();
    // Keys wider than their column stand on their own line, the words on the next.
    let at = lines
        .iter()
        .position(|l| l == "Esc Tab Shift-Tab i")
        .expect(&text);
    assert_eq!(lines[at + 1], "back to the tree");
    assert!(!text.contains("Tab iback"));
    // Esc means something different in each context, and help says which.
    assert!(!text.contains("cancel; in a tree"), "{text}");
    for what in [
        "end the search (the cursor stays on the hit)",
        "close help",
        "cancel: nothing changes",
    ] {
        assert_eq!(text.matches(what).count(), 1, "{what}");
    }
    // Long descriptions wrap instead of running off the box.
    let flat: Vec<String> = crosswalk::ui::help::lines(&a.state)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    assert!(flat.iter().all(|l: &String| l.chars().count() <= 81));
    let flat = flat
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("validated, needs revision, not relevant"),
        "{flat}"
    );
    assert!(
        flat.contains("open, proposed, disputed, agreed, rejected, all"),
        "{flat}"
    );
}

#[test]
fn the_link_wizard_shows_both_statements_in_full_while_the_type_is_chosen() {
    let mut a = App::new();
    a.select(0, "ADV.2");
    a.select(1, "CC.1");
    a.keys("a");
    let t = a.screen();
    let flat = text_of(&t)
        .lines()
        .map(|l| {
            l.split('│')
                .filter(|p| !p.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let words = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    // The long statement's last words and the competency's are both in the popup.
    assert!(
        words.contains("not met twice by the next family."),
        "{words}"
    );
    assert!(words.contains("until the need is met."), "{words}");
    insta::assert_snapshot!(masked(&t));
}

#[test]
fn presentation_mode_wraps_whole_statements_grows_the_detail_pane_and_shrinks_the_bar() {
    let mut a = linked_app();
    let before = a.state.areas();
    a.select(0, "ADV.2");
    a.keys("P");
    assert!(a.state.present);
    let after = a.state.areas();
    assert!(
        after.detail.height > before.detail.height,
        "{before:?} {after:?}"
    );
    assert_eq!(after.status.height, 1);
    a.keys("j k");
    let t = a.screen();
    let text = text_of(&t);
    // The long statement is on screen whole, in the tree (the detail pane has it too:
    // look only at the left pane's columns).
    let left: String = text
        .lines()
        .take(after.panes[0].height as usize)
        .map(|l| {
            l.chars()
                .take(after.panes[0].width as usize)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let words = left
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(words.contains("ADV.2 Advocate for individual"), "{left}");
    assert!(words.contains("twice by the next family."), "{left}");
    // The cursor's row is in view even when rows above it are tall.
    a.keys("End");
    let text = text_of(&a.screen());
    assert!(text.contains("SAF.2"), "{text}");
    insta::assert_snapshot!(masked(&a.screen()));
    a.keys("P");
    assert!(!a.state.present);
    assert_eq!(a.state.areas(), before);
}

#[test]
fn the_focus_view_shows_the_pair_in_full_and_tree_keys_still_drive_it() {
    let mut a = linked_app();
    a.select(1, "OUT.1");
    a.select(0, "ADV.2");
    a.keys("z");
    assert!(a.state.focus_view);
    let t = a.screen();
    let flat = text_of(&t)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("not linked: a links them"), "{flat}");
    assert!(flat.contains("twice by the next family."), "{flat}");
    assert!(flat.contains("in health programs."), "{flat}");
    insta::assert_snapshot!("focus_view_unlinked", masked(&t));
    // COM.1 has two links, neither to OUT.1: a vote would ask which, and the view says so.
    a.select(0, "COM.1");
    let flat = text_of(&a.screen())
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("the selected item has 2 links"), "{flat}");
    assert!(a.state.focus_pair().unwrap().1.is_none());
    // With the other cursor on a linked item it shows the link between the two cursors,
    // the one a vote from the tree acts on.
    a.select(1, "CC.2");
    a.select(0, "COM.1");
    let flat = text_of(&a.screen())
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains("exactMatchOf · major"), "{flat}");
    let (pair, link) = a.state.focus_pair().unwrap();
    assert_eq!(link.map(|l| l.ends), Some(pair));
    assert_eq!(link.unwrap().link.destination.label(), "CC.2");
    a.keys("Esc");
    assert!(!a.state.focus_view);
}

#[test]
fn the_link_list_sorts_filters_and_goes_to_a_link() {
    let mut a = linked_app();
    // One minor link, to filter on.
    a.select(0, "SAF.1");
    a.keys("i s 2");
    assert_eq!(
        a.state
            .links
            .iter()
            .filter(|l| l.link.strength == Strength::Minor)
            .count(),
        1
    );
    a.keys("Esc A");
    let rows = |a: &App| -> Vec<String> {
        let Some(Popup::Links(l)) = &a.state.popup else {
            panic!("the list is open")
        };
        l.rows
            .iter()
            .map(|&k| {
                let sl = &a.state.links[k];
                format!("{}>{}", sl.link.origin.label(), sl.link.destination.label())
            })
            .collect()
    };
    assert_eq!(
        rows(&a),
        ["COM.1>OUT.2", "COM.1>CC.2", "SAF.1>CC.1"],
        "outcome order"
    );
    a.keys("o");
    assert_eq!(
        rows(&a),
        ["COM.1>OUT.2", "SAF.1>CC.1", "COM.1>CC.2"],
        "competency order"
    );
    a.keys("s");
    assert_eq!(rows(&a).len(), 2, "major only");
    a.keys("s");
    assert_eq!(rows(&a), ["SAF.1>CC.1"], "minor only");
    let t = a.screen();
    let text = text_of(&t);
    assert!(
        text.contains("Links: 1 of 3 · sorted by right item · strength: minor"),
        "{text}"
    );
    assert!(
        text.contains("SAF.1  Apply infection control procedures"),
        "{text}"
    );
    insta::assert_snapshot!(masked(&t));
    a.keys("s");
    assert_eq!(rows(&a).len(), 3, "strength filter off again");
    a.keys("w");
    assert_eq!(rows(&a).len(), 3, "all drawn by nobody in particular");
    a.keys("w t");
    assert_eq!(rows(&a).len(), 3, "all exactMatchOf");
    // Enter: the trees on the link's items, the detail pane on the link itself.
    a.keys("t Home j j Enter");
    assert!(a.state.popup.is_none());
    assert_eq!((a.code(0), a.code(1)), ("COM.1".into(), "CC.2".into()));
    assert_eq!(a.state.focus, Focus::Detail);
    assert_eq!(
        a.state.detail_link().unwrap().link.destination.label(),
        "CC.2"
    );
}

#[test]
fn colon_jumps_to_a_code_in_either_tree_and_tab_completes() {
    let mut a = App::new();
    a.keys(":");
    assert!(matches!(a.state.popup, Some(Popup::Jump(_))));
    a.type_text("c");
    let Some(Popup::Jump(j)) = &a.state.popup else {
        panic!()
    };
    // COM, COM.1, COM.2 on the left; CC, CC.1 .. CC.3 on the right.
    assert_eq!(j.matches.len(), 7);
    a.type_text("c.");
    a.keys("Tab");
    let Some(Popup::Jump(j)) = &a.state.popup else {
        panic!()
    };
    assert_eq!(j.query.text, "CC.", "the matches agree that far");
    let t = a.screen();
    let bar = text_of(&t);
    assert!(bar.contains(":CC.  → CC.1  CC.2  CC.3"), "{bar}");
    insta::assert_snapshot!("jump_line", masked(&t));
    a.type_text("2");
    a.keys("Enter");
    assert!(a.state.popup.is_none());
    assert_eq!((a.state.active, a.code(1)), (1, "CC.2".into()));
    assert_eq!(a.state.focus, Focus::Pane(1));
    // An exact code comes before longer ones; nothing found says so and moves nothing.
    a.keys(": c o m Enter");
    assert_eq!((a.state.active, a.code(0)), (0, "COM".into()));
    a.keys(": z z Enter");
    assert_eq!(a.code(0), "COM");
    assert_eq!(
        a.state.message.as_ref().unwrap().text,
        "no code starts with “zz”"
    );
}

#[test]
fn dragging_from_an_item_to_one_in_the_other_tree_starts_the_link() {
    let mut a = App::new();
    let (l, r) = (a.state.areas().pane_inner(0), a.state.areas().pane_inner(1));
    let press = |a: &mut App, x, y| app::update(&mut a.state, &mut a.ws, Action::Click { x, y });
    let release =
        |a: &mut App, x, y| app::update(&mut a.state, &mut a.ws, Action::Release { x, y });
    // COM.1 (second row on the left) onto OUT.2 (third row on the right).
    press(&mut a, l.x + 10, l.y + 1);
    release(&mut a, r.x + 10, r.y + 2);
    let Some(Popup::Link(flow)) = &a.state.popup else {
        panic!("the wizard opens on the two items")
    };
    assert_eq!(flow.step, Step::Type);
    assert_eq!((a.code(0), a.code(1)), ("COM.1".into(), "OUT.2".into()));
    a.keys("Enter Enter Enter");
    assert_eq!(a.state.links.len(), 1);
    assert_eq!(a.state.links[0].link.destination.label(), "OUT.2");
    // Let go in the same tree, or after a key, and nothing is linked.
    press(&mut a, l.x + 10, l.y + 2);
    release(&mut a, l.x + 10, l.y + 4);
    assert!(a.state.popup.is_none());
    press(&mut a, l.x + 10, l.y + 2);
    a.keys("j");
    release(&mut a, r.x + 10, r.y + 1);
    assert!(a.state.popup.is_none());
    assert_eq!(a.state.links.len(), 1);
}

#[test]
fn a_search_counts_the_other_pane_and_tab_takes_the_query_there() {
    let mut a = App::new();
    a.keys("/");
    a.type_text("health");
    // Counted when typing pauses (the screen's idle tick), not on the keystroke.
    assert_eq!(a.state.search.as_ref().unwrap().other_for, "");
    assert!(app::tick(&mut a.state, &a.ws));
    assert!(!app::tick(&mut a.state, &a.ws), "once per query");
    let s = a.state.search.as_ref().unwrap();
    assert_eq!((s.pane, s.hits.len(), s.other_hits), (0, 1, 2));
    let bar = text_of(&a.screen());
    assert!(
        bar.contains("1 hit · ↑↓ walk · Enter keep · Esc leave · Tab: 2 in the other pane"),
        "{bar}"
    );
    a.keys("Tab");
    app::tick(&mut a.state, &a.ws);
    let s = a.state.search.as_ref().unwrap();
    assert_eq!(
        (s.pane, s.query.text.as_str(), s.hits.len(), s.other_hits),
        (1, "health", 2, 1)
    );
    assert_eq!((a.state.active, a.code(1)), (1, "OUT.1".into()));
    assert_eq!(
        a.state.panes[0].view.len(),
        9,
        "the left tree is whole again"
    );
    a.keys("Enter");
    assert_eq!(a.code(1), "OUT.1");
}

#[test]
fn one_outcome_links_to_three_marked_competencies_in_one_step_and_one_undo() {
    let mut a = App::new();
    for code in ["OUT.1", "OUT.2", "CC.1"] {
        a.select(1, code);
        a.keys("*");
    }
    // Marking twice unmarks.
    a.select(1, "CC.2");
    a.keys("* *");
    assert_eq!(a.state.panes[1].marked.len(), 3);
    let t = a.screen();
    let text = text_of(&t);
    assert!(
        text.lines().any(|l| l.contains("│ *    OUT.1")) && !text.contains("*    CC.2"),
        "marked rows show a mark:\n{text}"
    );
    a.select(0, "COM.1");
    a.keys("a 2 2");
    a.type_text("all three need plain language");
    a.keys("Enter");
    let links = a.ws.links().unwrap();
    assert_eq!(links.len(), 3, "{:?}", a.state.message);
    for l in &links {
        assert_eq!(l.origin.label(), "COM.1");
        assert_eq!(l.note, "all three need plain language");
        assert_eq!(l.association_type, links[0].association_type);
    }
    let mut to: Vec<&str> = links.iter().map(|l| l.destination.label()).collect();
    to.sort();
    assert_eq!(to, ["CC.1", "OUT.1", "OUT.2"]);
    assert_eq!(a.state.links.len(), 3);
    assert!(
        a.state.panes.iter().all(|p| p.marked.is_empty()),
        "marks are cleared"
    );
    assert_eq!(a.state.history.done.len(), 1, "one step");
    a.keys("u");
    assert!(a.ws.links().unwrap().is_empty(), "{:?}", a.state.message);
    assert!(a.state.links.is_empty());
    a.keys("ctrl-r");
    assert_eq!(a.ws.links().unwrap().len(), 3);
}

#[test]
fn marked_items_already_linked_are_refused_before_the_wizard_opens() {
    let mut a = App::new();
    a.link("COM.1", "OUT.2", "first");
    for code in ["OUT.1", "OUT.2"] {
        a.select(1, code);
        a.keys("*");
    }
    a.select(0, "COM.1");
    a.keys("a");
    assert!(a.state.popup.is_none());
    let said = a.state.message.as_ref().unwrap().text.clone();
    assert!(said.contains("OUT.2 is already linked"), "{said}");
    assert_eq!(a.ws.links().unwrap().len(), 1);
}
