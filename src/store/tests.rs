//! Store behaviour on packages built by hand (the CASE readers have their own tests).
use super::*;
use crate::case::{Association, NodeRef, Package};
use crate::model::{AssociationType, Framework, Item, Side, Strength};

fn item(id: &str, code: &str, depth: u16, parent: Option<usize>) -> Item {
    Item {
        identifier: id.into(),
        uri: format!("urn:test:{id}"),
        code: code.into(),
        statement: format!("statement of {code}"),
        depth,
        parent,
        ..Item::default()
    }
}

/// Document `doc` with a domain `<p>1` holding `<p>1.1` and `<p>1.2`.
fn package(doc: &str, p: &str) -> Package {
    Package {
        framework: Framework {
            identifier: doc.into(),
            uri: format!("urn:test:{doc}"),
            title: format!("Framework {p}"),
            items: vec![
                item(&format!("{p}-1"), &format!("{p}1"), 0, None),
                item(&format!("{p}-11"), &format!("{p}1.1"), 1, Some(0)),
                item(&format!("{p}-12"), &format!("{p}1.2"), 1, Some(0)),
            ],
            ..Framework::default()
        },
        ..Package::default()
    }
}

fn two_frameworks() -> Workshop {
    let mut ws = Workshop::open_in_memory().unwrap();
    ws.import_package(&package("doc-e", "E"), Some(Side::Educator))
        .unwrap();
    ws.import_package(&package("doc-j", "J"), Some(Side::Employer))
        .unwrap();
    ws
}

fn link(ws: &mut Workshop, from: &str, to: &str) -> Result<crate::model::Link> {
    ws.create_link(&NewLink {
        origin: from.into(),
        destination: to.into(),
        ..NewLink::default()
    })
}

#[test]
fn import_stores_the_tree_in_order() {
    let ws = two_frameworks();
    let all = ws.frameworks().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!((all[0].side, all[0].items), (Side::Educator, 3));
    let fw = ws.load_framework(all[1].id).unwrap();
    let codes: Vec<_> = fw.items.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, ["J1", "J1.1", "J1.2"]);
    assert_eq!(fw.items[2].parent, Some(0));
    assert_eq!(fw.side, Side::Employer);
}

#[test]
fn links_are_many_to_many_but_never_twice() {
    let mut ws = two_frameworks();
    link(&mut ws, "E1.1", "J1.1").unwrap();
    link(&mut ws, "E1.1", "J1.2").unwrap();
    link(&mut ws, "E1.2", "J1.1").unwrap();
    let again = link(&mut ws, "E1.1", "J1.1").unwrap_err().to_string();
    assert!(again.contains("already linked"), "{again}");
    let reversed = link(&mut ws, "J1.1", "E1.1").unwrap_err().to_string();
    assert!(reversed.contains("already linked"), "{reversed}");
    let same = link(&mut ws, "E1.1", "E1.2").unwrap_err().to_string();
    assert!(same.contains("same framework"), "{same}");
    let unknown = link(&mut ws, "E1.1", "NOPE").unwrap_err().to_string();
    assert!(unknown.contains("`NOPE`"), "{unknown}");
    assert_eq!(ws.links().unwrap().len(), 3);
}

#[test]
fn link_fields_are_kept_and_changed() {
    let mut ws = two_frameworks();
    let made = ws
        .create_link(&NewLink {
            origin: "E-11".into(),
            destination: "J1.2".into(),
            association_type: Some(AssociationType::IsRelatedTo),
            note: "covered in week 3".into(),
            strength: Strength::Minor,
            ..NewLink::default()
        })
        .unwrap();
    assert!(uuid::Uuid::parse_str(&made.identifier).is_ok());
    let changed = ws
        .update_link(
            &made.identifier,
            &LinkChange {
                association_type: Some(AssociationType::ExactMatchOf),
                ..LinkChange::default()
            },
        )
        .unwrap();
    assert_eq!(changed.note, "covered in week 3");
    assert_eq!(changed.strength, Strength::Minor);
    let stored = ws.link(&made.identifier).unwrap();
    assert_eq!(stored.association_type, AssociationType::ExactMatchOf);
    assert_eq!(stored.origin.code, "E1.1");
    assert_eq!(stored.destination.item_identifier, "J-12");
    assert_eq!(stored.created, made.created);
    // Delete and put back, as undo does: the same identifier returns.
    let gone = ws.delete_link(&made.identifier).unwrap();
    assert!(ws.links().unwrap().is_empty());
    ws.insert_link(&gone).unwrap();
    assert_eq!(ws.link(&made.identifier).unwrap(), stored);
}

#[test]
fn reimport_updates_in_place_and_keeps_links_on_unchanged_items() {
    let mut ws = two_frameworks();
    link(&mut ws, "E1.1", "J1.1").unwrap();
    link(&mut ws, "E1.2", "J1.2").unwrap();
    let mut next = package("doc-e", "E");
    next.framework.items[1].statement = "a reworded outcome".into();
    next.framework.items.pop(); // E1.2 goes, with its link
    next.framework.items.push(item("E-2", "E2", 0, None));
    let report = ws.import_package(&next, None).unwrap();
    assert!(!report.created);
    assert_eq!(report.added, ["E2"]);
    assert_eq!(report.changed, ["E1.1"]);
    assert_eq!(report.removed, ["E1.2"]);
    assert_eq!((report.unchanged, report.links_removed), (1, 1));
    assert_eq!(
        report.side,
        Some(Side::Educator),
        "side kept when not given"
    );
    let links = ws.links().unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].origin.statement, "a reworded outcome");
    assert_eq!(ws.frameworks().unwrap()[0].items, 3);
}

#[test]
fn reimporting_the_same_package_changes_nothing() {
    let mut ws = two_frameworks();
    let report = ws.import_package(&package("doc-j", "J"), None).unwrap();
    assert_eq!(
        (
            report.added.len(),
            report.changed.len(),
            report.removed.len(),
            report.unchanged
        ),
        (0, 0, 0, 3)
    );
}

fn node(id: &str) -> NodeRef {
    NodeRef {
        identifier: id.into(),
        uri: format!("urn:test:{id}"),
        title: id.into(),
    }
}

#[test]
fn associations_between_frameworks_become_links_once() {
    let mut ws = two_frameworks();
    let crosswalk = Package {
        framework: Framework {
            identifier: "cw".into(),
            title: "crosswalk".into(),
            ..Framework::default()
        },
        associations: vec![
            Association {
                identifier: "6f1c7f7e-0d7a-4c1e-9a51-7b3f7f0e2a11".into(),
                association_type: "exactMatchOf".into(),
                origin: node("E-11"),
                destination: node("J-12"),
                grouping: Some(NodeRef {
                    title: "Crosswalk — minor alignment".into(),
                    ..node("g")
                }),
                ..Association::default()
            },
            // Outside the workshop: ignored.
            Association {
                identifier: "x".into(),
                association_type: "isRelatedTo".into(),
                origin: node("E-11"),
                destination: node("ELSEWHERE"),
                ..Association::default()
            },
        ],
        ..Package::default()
    };
    let report = ws.import_package(&crosswalk, None).unwrap();
    assert_eq!((report.links_added, report.links_updated), (1, 0));
    assert_eq!(
        ws.frameworks().unwrap().len(),
        2,
        "a links-only package adds no framework"
    );
    let l = ws.link("6f1c7f7e-0d7a-4c1e-9a51-7b3f7f0e2a11").unwrap();
    assert_eq!(
        (l.association_type, l.strength),
        (AssociationType::ExactMatchOf, Strength::Minor)
    );
    let again = ws.import_package(&crosswalk, None).unwrap();
    assert_eq!(
        (
            again.links_added,
            again.links_updated,
            again.links_unchanged
        ),
        (0, 0, 1)
    );
    assert_eq!(ws.links().unwrap().len(), 1);
}

#[test]
fn strength_comes_from_the_grouping_not_from_any_mention_of_minor() {
    let mut ws = two_frameworks();
    let grouped = |id: &str, from: &str, to: &str, title: &str| Association {
        identifier: id.into(),
        association_type: "exactMatchOf".into(),
        origin: node(from),
        destination: node(to),
        grouping: Some(NodeRef {
            title: title.into(),
            ..node("g")
        }),
        ..Association::default()
    };
    let pkg = Package {
        framework: Framework {
            title: "cw".into(),
            ..Framework::default()
        },
        associations: vec![
            grouped(
                "a1",
                "E-11",
                "J-11",
                "Minor trades crosswalk — major alignment",
            ),
            grouped(
                "a2",
                "E-12",
                "J-12",
                "Minor trades crosswalk — minor alignment",
            ),
        ],
        ..Package::default()
    };
    ws.import_package(&pkg, None).unwrap();
    assert_eq!(ws.link("a1").unwrap().strength, Strength::Major);
    assert_eq!(ws.link("a2").unwrap().strength, Strength::Minor);
}

#[test]
fn a_package_that_brings_nothing_is_refused() {
    let mut ws = two_frameworks();
    let empty = Package {
        framework: Framework {
            title: "stray".into(),
            ..Framework::default()
        },
        ..Package::default()
    };
    let err = ws
        .import_package_with(
            &empty,
            &ImportOptions {
                as_links: true,
                ..ImportOptions::default()
            },
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("none of the 0 associations of \"stray\" joins items"),
        "{err}"
    );
}

#[test]
fn a_document_without_items_is_a_framework_just_started() {
    let mut ws = Workshop::open_in_memory().unwrap();
    let started = Package {
        framework: Framework {
            identifier: "new-doc".into(),
            title: "Started".into(),
            ..Framework::default()
        },
        ..Package::default()
    };
    let report = ws.import_package(&started, None).unwrap();
    assert!(report.created && report.added.is_empty());
    let listed = ws.frameworks().unwrap();
    assert_eq!((listed[0].title.as_str(), listed[0].items), ("Started", 0));
}

#[test]
fn a_failed_import_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.sqlite");
    let mut ws = Workshop::open(&path).unwrap();
    ws.import_package(&package("doc-e", "E"), Some(Side::Educator))
        .unwrap();
    ws.import_package(&package("doc-j", "J"), Some(Side::Employer))
        .unwrap();
    link(&mut ws, "E1.1", "J1.1").unwrap();
    let before = (
        ws.frameworks().unwrap(),
        ws.load_framework(1).unwrap(),
        ws.links().unwrap(),
    );
    // Two items with one identifier break the UNIQUE constraint half way through.
    let mut bad = package("doc-e", "E");
    bad.framework.items[2].identifier = "E-11".into();
    bad.framework.items[0].statement = "changed before the failure".into();
    assert!(ws.import_package(&bad, None).is_err());
    drop(ws);
    let ws = Workshop::open(&path).unwrap();
    assert_eq!(
        before,
        (
            ws.frameworks().unwrap(),
            ws.load_framework(1).unwrap(),
            ws.links().unwrap()
        )
    );
}

#[test]
fn a_version_1_file_migrates_and_keeps_its_links() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        schema::migrate_to(&mut conn, 1);
        conn.execute_batch(
            "INSERT INTO frameworks VALUES (1, 'd1', 'u', 'Old edu', '', 'educator', NULL, NULL, '2024-01-01T00:00:00Z');
             INSERT INTO frameworks VALUES (2, 'd2', 'u', 'Old emp', '', 'employer', NULL, NULL, '2024-01-01T00:00:00Z');
             INSERT INTO items (id, framework_id, identifier, uri, code, statement, position, depth)
                VALUES (1, 1, 'a', 'u', 'A', 'outcome', 0, 0), (2, 2, 'b', 'u', 'B', 'competency', 0, 0);
             INSERT INTO links (identifier, origin_id, destination_id, association_type, created, changed)
                VALUES ('l1', 1, 2, 'isRelatedTo', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');",
        )
        .unwrap();
    }
    let mut ws = Workshop::open(&path).unwrap();
    let version: i64 = ws
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, schema::SCHEMA_VERSION);
    let l = ws.link("l1").unwrap();
    assert_eq!((l.origin.code.as_str(), l.strength), ("A", Strength::Major));
    ws.set_setting("screen.left", "d1").unwrap();
    assert_eq!(ws.setting("screen.left").unwrap().as_deref(), Some("d1"));
}

#[test]
fn a_version_5_file_has_its_reversed_links_turned_around_keeping_their_identifiers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.sqlite");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        schema::migrate_to(&mut conn, 5);
        conn.execute_batch(
            "INSERT INTO frameworks VALUES (1, 'd1', 'u', 'Edu', '', 'educator', NULL, NULL, '2024-01-01T00:00:00Z');
             INSERT INTO frameworks VALUES (2, 'd2', 'u', 'Emp', '', 'employer', NULL, NULL, '2024-01-01T00:00:00Z');
             INSERT INTO items (id, framework_id, identifier, uri, code, statement, position, depth)
                VALUES (1, 1, 'a', 'u', 'A', 'outcome', 0, 0), (2, 2, 'b', 'u', 'B', 'competency', 0, 0),
                       (3, 1, 'c', 'u', 'C', 'outcome', 1, 0);
             INSERT INTO links (identifier, origin_id, destination_id, association_type, created, changed)
                VALUES ('drawn-on-the-right', 2, 1, 'exactMatchOf', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'),
                       ('already-right', 3, 2, 'exactMatchOf', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');",
        )
        .unwrap();
    }
    let ws = Workshop::open(&path).unwrap();
    let turned = ws.link("drawn-on-the-right").unwrap();
    assert_eq!(
        (
            turned.origin.code.as_str(),
            turned.destination.code.as_str()
        ),
        ("A", "B")
    );
    assert_eq!(ws.link("already-right").unwrap().origin.code, "C");
    let log = ws.history(&HistoryFilter::All).unwrap();
    assert_eq!(log.len(), 1, "one entry, for the one link turned: {log:?}");
    assert_eq!(log[0].action, "turned around");
    assert_eq!(
        log[0].link_identifier.as_deref(),
        Some("drawn-on-the-right")
    );
    assert_eq!(
        log[0].describe(),
        "turned around A -> B  reason: \"links run from the outcome to the competency\""
    );
}

#[test]
fn a_file_from_a_newer_build_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite");
    {
        let ws = Workshop::open(&path).unwrap();
        // As a newer crosswalk leaves it: marked, a later schema, not in WAL mode.
        ws.conn.pragma_update(None, "user_version", 99).unwrap();
        ws.conn
            .pragma_update(None, "journal_mode", "DELETE")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Workshop::open(&path).err().unwrap().to_string();
    assert!(
        err.contains("newer crosswalk") && err.contains("99"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before, "not switched to WAL");
    assert!(!dir.path().join("new.sqlite-wal").exists());
}

#[test]
fn a_new_file_is_marked_and_an_unmarked_crosswalk_file_is_marked_on_opening() {
    let dir = tempfile::tempdir().unwrap();
    let id = |p: &std::path::Path| -> i32 {
        rusqlite::Connection::open(p)
            .unwrap()
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap()
    };
    let fresh = dir.path().join("fresh.sqlite");
    drop(Workshop::open(&fresh).unwrap());
    assert_eq!(id(&fresh), APPLICATION_ID);
    let old = dir.path().join("old.sqlite");
    schema::migrate_to(&mut rusqlite::Connection::open(&old).unwrap(), 4);
    assert_eq!(id(&old), 0);
    drop(Workshop::open(&old).unwrap());
    assert_eq!(id(&old), APPLICATION_ID);
}

#[test]
fn items_are_found_by_identifier_or_code_and_ambiguity_is_named() {
    let mut ws = two_frameworks();
    let mut clash = package("doc-x", "X");
    clash.framework.items[0].code = "E1".into();
    ws.import_package(&clash, Some(Side::Employer)).unwrap();
    assert_eq!(ws.find_item("E-1").unwrap().end.code, "E1");
    let err = ws.find_item("E1").unwrap_err().to_string();
    assert!(
        err.contains("names 2 items") && err.contains("E-1") && err.contains("X-1"),
        "{err}"
    );
}

#[test]
fn the_crosswalk_identifier_is_made_once() {
    let mut ws = Workshop::open_in_memory().unwrap();
    let first = ws.crosswalk_identifier().unwrap();
    assert_eq!(ws.crosswalk_identifier().unwrap(), first);
    assert!(uuid::Uuid::parse_str(&first).is_ok());
}
