//! The importers against real CASE files (OpenSALT's published samples, kept outside the
//! repository in /work/shared/case-samples or $CROSSWALK_CASE_SAMPLES) and against bad input.
use crosswalk::case::{
    CaseVersion, CsvOptions, ImportError, MAX_DEPTH, MAX_INPUT_BYTES, Package, ParseOptions,
    export_framework, parse_csv, parse_csv_with, parse_package, parse_packages,
};
use crosswalk::model::Framework;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::PathBuf;

/// A sample file, or `None` (with a note) where the samples are not installed.
fn sample(name: &str) -> Option<Vec<u8>> {
    let dir = std::env::var_os("CROSSWALK_CASE_SAMPLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/case-samples"));
    if !dir.is_dir() {
        eprintln!(
            "note: skipped, the CASE samples folder {} does not exist",
            dir.display()
        );
        return None;
    }
    Some(std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("reading sample {name}: {e}")))
}

/// Checks the flat pre-order invariants: parents come first, depths follow parents, and
/// each subtree is contiguous.
fn assert_pre_order(fw: &Framework) {
    for (i, item) in fw.items.iter().enumerate() {
        match item.parent {
            None => assert_eq!(item.depth, 0, "item {i}"),
            Some(p) => {
                assert!(p < i, "item {i}: parent {p} comes after it");
                assert_eq!(item.depth, fw.items[p].depth + 1, "item {i}");
                // Everything between the parent and this item is in the parent's subtree.
                assert!(
                    fw.items[p + 1..i]
                        .iter()
                        .all(|it| it.depth > fw.items[p].depth),
                    "item {i}"
                );
            }
        }
    }
}

fn codes(fw: &Framework) -> Vec<&str> {
    fw.items.iter().map(|i| i.code.as_str()).collect()
}

fn invalid_message(e: ImportError) -> String {
    match e {
        ImportError::Invalid { message, .. } => message,
        other => panic!("expected an Invalid error, got {other:?}"),
    }
}

/// A package from items and (origin, destination, sequence) isChildOf triples.
fn package_bytes(items: &[(&str, &str)], children: &[(&str, &str, Option<i64>)]) -> Vec<u8> {
    let items: Vec<Value> = items
        .iter()
        .map(|(id, code)| json!({"identifier": id, "fullStatement": format!("Statement {id}"), "humanCodingScheme": code}))
        .collect();
    let associations: Vec<Value> = children
        .iter()
        .enumerate()
        .map(|(n, (o, d, s))| {
            let mut a = json!({
                "identifier": format!("assoc-{n}"),
                "associationType": "isChildOf",
                "originNodeURI": {"title": "", "identifier": o, "uri": format!("https://x/{o}")},
                "destinationNodeURI": {"title": "", "identifier": d, "uri": format!("https://x/{d}")},
            });
            if let Some(s) = s {
                a["sequenceNumber"] = json!(s);
            }
            a
        })
        .collect();
    json!({
        "CFDocument": {"identifier": "doc", "uri": "https://x/doc", "title": "Test", "creator": "tests"},
        "CFItems": items,
        "CFAssociations": associations,
    })
    .to_string()
    .into_bytes()
}

// ---- real files ----

#[test]
fn opensalt_sample_framework() {
    let Some(bytes) = sample("opensalt-sample-framework.json") else {
        return;
    };
    let p = parse_package(&bytes, "opensalt-sample-framework.json").unwrap();
    let file: Value = serde_json::from_slice(&bytes).unwrap();
    let fw = &p.framework;
    assert_eq!(fw.identifier, "20c5134f-423d-4097-a971-3dd5152bf507");
    assert_eq!(fw.title, "What Standards Could Be");
    assert_eq!(fw.creator, "Brandon Dorman");
    assert_eq!(
        fw.uri,
        "http://opensalt-staging.opened.com/uri/20c5134f-423d-4097-a971-3dd5152bf507"
    );
    let raw_doc: Value = serde_json::from_str(fw.raw.as_deref().unwrap()).unwrap();
    assert_eq!(raw_doc, file["CFDocument"]);
    // The raw text is the file's, white space between tokens removed: field order, escapes
    // (`\/`), CFPackageURI and the zone-less date all as they were.
    assert!(fw.raw.as_deref().unwrap().starts_with(
        r#"{"identifier":"20c5134f-423d-4097-a971-3dd5152bf507","uri":"http:\/\/opensalt-staging.opened.com\/uri\/20c5134f-423d-4097-a971-3dd5152bf507","creator""#
    ));
    assert!(fw.raw.as_deref().unwrap().ends_with(
        r#""lastChangeDateTime":"2017-05-25T18:05:33","CFPackageURI":"http:\/\/opensalt-staging.opened.com\/uri\/20c5134f-423d-4097-a971-3dd5152bf507"}"#
    ));

    assert_eq!(fw.items.len(), 16);
    assert_eq!(p.associations.len(), 39);
    assert_pre_order(fw);
    assert_eq!(
        codes(fw),
        [
            "CCSS.Math.Content.6.RP.A",
            "CCSS.Math.Content.6.RP.A.1",
            "CCSS.Math.Content.6.RP.A.2",
            "CCSS.Math.Content.6.RP.A.3",
            "CCSS.Math.Content.6.RP.A.3a",
            "CCSS.Math.Content.6.RP.A.3b",
            "CCSS.Math.Content.6.RP.A.3c",
            "CCSS.Math.Content.6.RP.A.3d",
            "CCSS.Math.Content.7.RP.A",
            "CCSS.Math.Content.7.RP.A.1",
            "CCSS.Math.Content.7.RP.A.2",
            "CCSS.Math.Content.7.RP.A.2a",
            "CCSS.Math.Content.7.RP.A.2b",
            "CCSS.Math.Content.7.RP.A.2c",
            "CCSS.Math.Content.7.RP.A.2d",
            "CCSS.Math.Content.7.RP.A.3",
        ]
    );

    // Every isChildOf of the file is honoured.
    let index: HashMap<&str, usize> = fw
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.identifier.as_str(), i))
        .collect();
    for a in file["CFAssociations"].as_array().unwrap() {
        if a["associationType"] != "isChildOf" {
            continue;
        }
        let child = index[a["originNodeURI"]["identifier"].as_str().unwrap()];
        let parent = a["destinationNodeURI"]["identifier"].as_str().unwrap();
        assert_eq!(
            fw.items[child].parent,
            index.get(parent).copied(),
            "parent of {}",
            fw.items[child].identifier
        );
    }

    // Items and associations keep their JSON; associations keep the file's order.
    for item in &fw.items {
        let raw: Value = serde_json::from_str(item.raw.as_deref().unwrap()).unwrap();
        let original = file["CFItems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["identifier"] == item.identifier.as_str());
        assert_eq!(Some(&raw), original);
    }
    let b6 = &fw.items[1];
    assert_eq!(
        (
            b6.list_enumeration.as_str(),
            b6.item_type.as_str(),
            b6.language.as_str()
        ),
        ("1.", "Standard", "en")
    );
    for (a, original) in p
        .associations
        .iter()
        .zip(file["CFAssociations"].as_array().unwrap())
    {
        assert_eq!(&serde_json::from_str::<Value>(&a.raw).unwrap(), original);
        assert_eq!(a.identifier, original["identifier"].as_str().unwrap());
        assert_eq!(
            a.association_type,
            original["associationType"].as_str().unwrap()
        );
        assert_eq!(
            a.destination.identifier,
            original["destinationNodeURI"]["identifier"]
                .as_str()
                .unwrap()
        );
    }
    // The top-level isChildOf write their sequence numbers as strings.
    assert_eq!(
        p.associations
            .iter()
            .filter_map(|a| a.sequence_number)
            .collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(
        p.definitions
            .as_deref()
            .map(|d| d.starts_with(r#"{"CFItemTypes":["#)),
        Some(true)
    );
    assert_eq!(
        p.warnings,
        [
            "21 association(s) point outside the package; they are kept as they are (not in the package: \
          `5b6c487e-04f1-5ba9-9722-d099849b9167`, `2c75d647-4ed4-56d8-965d-c3affe91643d`, \
          `5c302a03-a424-59df-8199-368b89b92402`, `589058de-02dc-5242-a56b-694439b93c09`, \
          `f75138f4-2cd3-5e67-b433-854a227c33bf` and 15 more)"
        ]
    );
}

#[test]
fn ordering_sample_follows_sequence_numbers_then_codes() {
    let Some(bytes) = sample("Ordering.json") else {
        return;
    };
    let file: Value = serde_json::from_slice(&bytes).unwrap();
    let p = parse_package(&bytes, "Ordering.json").unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let fw = &p.framework;
    assert_eq!(fw.items.len(), 28);
    assert_pre_order(fw);

    // The file's 24 siblings under H.A.MATH.GM.PF.2DFP.L1 come in scrambled order.
    let parent = "43bf51d6-3d92-4170-9531-df56731a1b6d";
    let sequences: Vec<Option<i64>> = file["CFAssociations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["destinationNodeURI"]["identifier"] == parent)
        .map(|a| a.get("sequenceNumber").and_then(Value::as_i64))
        .collect();
    assert_eq!(sequences.len(), 24);
    // This sample carries no sequenceNumber at all, so the codes decide, in natural order.
    assert!(sequences.iter().all(Option::is_none));
    let expected: Vec<String> = (1..=24)
        .map(|n| format!("H.A.MATH.GM.PF.2DFP.L1.{n}"))
        .collect();
    let mut want = vec![
        "H.A.MATH.GM",
        "H.A.MATH.GM.PF",
        "H.A.MATH.GM.PF.2DFP",
        "H.A.MATH.GM.PF.2DFP.L1",
    ];
    want.extend(expected.iter().map(String::as_str));
    assert_eq!(codes(fw), want);
    assert_eq!(fw.items.iter().map(|i| i.depth).max(), Some(4));

    // Now give the siblings sequence numbers that disagree with their codes (and with the
    // file order): the order must follow them exactly.
    let mut edited = file.clone();
    let items = file["CFItems"].as_array().unwrap();
    let code_of = |id: &Value| {
        items.iter().find(|i| i["identifier"] == *id).unwrap()["humanCodingScheme"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let mut by_sequence: Vec<(i64, String)> = Vec::new();
    for (n, a) in edited["CFAssociations"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        if a["destinationNodeURI"]["identifier"] == parent {
            let seq = ((n * 7) % 24) as i64 * 10 - 50; // distinct, negative ones included
            a["sequenceNumber"] = json!(seq);
            by_sequence.push((seq, code_of(&a["originNodeURI"]["identifier"])));
        }
    }
    by_sequence.sort();
    let p = parse_package(edited.to_string().as_bytes(), "Ordering.json").unwrap();
    let got: Vec<&str> = codes(&p.framework)[4..].to_vec();
    let want: Vec<&str> = by_sequence.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(got, want);
    assert_ne!(
        want, expected,
        "the edited order must differ from the code order"
    );
}

#[test]
fn utf8_sample_keeps_non_ascii_text() {
    let Some(bytes) = sample("Utf8TestFramework.json") else {
        return;
    };
    let p = parse_package(&bytes, "Utf8TestFramework.json").unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(p.framework.title, "UTF8 𝑑 Test");
    assert_eq!(
        p.framework.identifier,
        "d0000000-0000-0000-0000-000000000000"
    );
    let item = &p.framework.items[0];
    assert_eq!(item.statement, "Item 𝑑 1");
    assert_eq!((item.depth, item.parent), (0, None));
    assert!(
        item.raw
            .as_deref()
            .unwrap()
            .contains(r#""fullStatement":"Item 𝑑 1""#)
    );
    assert_eq!(p.associations[0].destination.title, "UTF8 𝑑 Test");
    assert!(p.framework.raw.as_deref().unwrap().contains("UTF8 𝑑 Test"));
}

#[test]
fn opensalt_sample_spreadsheet() {
    let Some(bytes) = sample("opensalt-sample-import.csv") else {
        return;
    };
    let p = parse_csv(&bytes, "/some/where/opensalt-sample-import.csv").unwrap();
    let fw = &p.framework;
    assert_eq!(fw.title, "opensalt-sample-import");
    assert_pre_order(fw);
    let shape: Vec<(&str, &str, u16)> = fw
        .items
        .iter()
        .map(|i| (i.identifier.as_str(), i.code.as_str(), i.depth))
        .collect();
    assert_eq!(
        shape,
        [
            ("Math", "M", 0),
            ("Math.Fractions", "M.F", 1),
            ("Math.Fractions.Cluster1", "M.F.1-2", 2),
            ("Math.Fractions.Cluster1.Standard1", "M.F.1-2.S1", 3),
            ("Math.Fractions.Cluster1.Standard1a", "M.F.1-2.S1a", 4),
            ("Math.Fractions.Cluster1.Standard1b", "M.F.1-2.S1b", 4),
            ("Math.Fractions.Cluster2", "M.F.C2", 2),
            ("Math.Fractions.Cluster2.Standard1", "M.F.C2.S1", 3),
            // No "Is Child Of": top level, by sequenceNumber (1 then 2).
            ("Math.Exponents.Cluster1", "M.E.C1", 0),
            ("Math.Exponents", "M.E", 0),
        ]
    );
    assert_eq!(
        fw.items[1].statement,
        "Fractions are rational numbers - this standard group explores those concepts"
    );
    assert_eq!(fw.items[1].abbreviated, "Math");
    assert_eq!(fw.items[4].parent, Some(3));
    // One isChildOf per row; the association columns name nodes outside the file, and
    // are kept as associations to them.
    assert_eq!(p.associations.len(), 14);
    assert!(
        p.associations[..10]
            .iter()
            .all(|a| a.association_type == "isChildOf")
    );
    let outside: Vec<(&str, &str, &str)> = p.associations[10..]
        .iter()
        .map(|a| {
            (
                a.association_type.as_str(),
                a.origin.identifier.as_str(),
                a.destination.uri.as_str(),
            )
        })
        .collect();
    assert_eq!(
        outside,
        [
            (
                "isRelatedTo",
                "Math.Fractions",
                "urn:crosswalk:node:CCSS.Math.Content.HSF-IF.C.8b"
            ),
            (
                "isRelatedTo",
                "Math.Fractions.Cluster1",
                "http://asn.jesandco.org/resources/S1143417"
            ),
            (
                "exemplar",
                "Math.Fractions.Cluster1.Standard1",
                "https://www.opened.com/video/classify-and-order-real-numbers-using-subsets/801540"
            ),
            (
                "isRelatedTo",
                "Math.Fractions.Cluster1.Standard1b",
                "urn:crosswalk:node:CCSS.MATH.CONTENT.1.G.A.1"
            ),
        ]
    );
    // Notes are kept on the item, for the export.
    assert_eq!(
        fw.items[1].raw.as_deref(),
        Some(r#"{"identifier":"Math.Fractions","notes":"Testing"}"#)
    );
    assert_eq!(
        p.warnings,
        [
            "4 association cell value(s) name no item of this file; kept as associations to a node outside it: \
             line 3 `IsRelatedTo`: `CCSS.Math.Content.HSF-IF.C.8b`, \
             line 4 `IsRelatedTo`: `http://asn.jesandco.org/resources/S1143417`, \
             line 5 `Exemplar`: `https://www.opened.com/video/classify-and-order-real-numbers-using-subsets/801540`, \
             line 7 `IsRelatedTo`: `CCSS.MATH.CONTENT.1.G.A.1`"
        ]
    );
    // Importing again gives the same identifiers (the document's comes from the title).
    let again = parse_csv(&bytes, "opensalt-sample-import.csv").unwrap();
    assert_eq!(again.framework.identifier, fw.identifier);
    assert_eq!(again.associations, p.associations);
}

// ---- bent but acceptable JSON ----

#[test]
fn real_world_deviations_import_without_complaint() {
    let bytes = json!({
        "CFDocument": {
            "identifier": "d0000000-0000-0000-0000-000000000000", "title": "Bent",
            "CFPackageURI": "https://x/packages/d0", "lastChangeDateTime": "2017-05-25T18:05:33"
        },
        "CFItems": [
            {"identifier": "00000000-0000-0000-0000-00000000000B", "fullStatement": "B",
             "CFDocumentURI": {"identifier": "d0000000-0000-0000-0000-000000000000", "uri": "https://x/d0", "title": "Bent"},
             "lastChangeDateTime": "2017-05-25T18:05:33", "conceptKeywords": ["k1", "k2"]},
            {"identifier": "item-a", "fullStatement": "A", "CFDocumentURI": "https://x/d0"}
        ],
        "CFAssociations": [
            {"identifier": "x1", "associationType": "ISCHILDOF", "CFDocumentURI": "https://x/d0",
             "originNodeURI": {"identifier": "item-a", "uri": "https://x/a", "title": "A"},
             "destinationNodeURI": {"identifier": "d0000000-0000-0000-0000-000000000000", "uri": "https://x/d0", "title": "Bent"}},
            {"identifier": "x2", "associationType": "IsChildOf",
             "originNodeURI": {"identifier": "00000000-0000-0000-0000-00000000000b", "uri": "u", "title": ""},
             "destinationNodeURI": {"identifier": "item-a", "uri": "https://x/a", "title": "A"}},
            {"identifier": "x3", "associationType": "ext:alignsWith",
             "originNodeURI": {"identifier": "item-a", "uri": "https://x/a", "title": "A"},
             "destinationNodeURI": {"identifier": "00000000-0000-0000-0000-00000000000B", "uri": "u", "title": ""}}
        ]
    })
    .to_string();
    let p = parse_package(bytes.as_bytes(), "bent.json").unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let fw = &p.framework;
    assert_eq!(fw.uri, "urn:uuid:d0000000-0000-0000-0000-000000000000");
    let shape: Vec<(&str, u16)> = fw
        .items
        .iter()
        .map(|i| (i.identifier.as_str(), i.depth))
        .collect();
    assert_eq!(
        shape,
        [("item-a", 0), ("00000000-0000-0000-0000-00000000000B", 1)]
    );
    assert_eq!(fw.items[0].uri, "urn:crosswalk:item:item-a");
    assert_eq!(
        fw.items[1].uri,
        "urn:uuid:00000000-0000-0000-0000-00000000000b"
    );
    assert_eq!(fw.items[1].keywords, ["k1", "k2"]);
    // raw stays as imported: no uri or date invented.
    assert!(!fw.items[0].raw.as_deref().unwrap().contains("uri\""));
    assert!(
        !fw.items[0]
            .raw
            .as_deref()
            .unwrap()
            .contains("lastChangeDateTime")
    );
    assert_eq!(p.associations[2].association_type, "ext:alignsWith");
}

// ---- bad JSON ----

#[test]
fn truncated_json_reports_line_and_column() {
    let text = "{\n  \"CFDocument\": {\n    \"identifier\": \"d\",\n    \"title\": \"Tru";
    match parse_package(text.as_bytes(), "cut.json").unwrap_err() {
        ImportError::Syntax {
            source_name,
            line,
            column,
            message,
        } => {
            assert_eq!(source_name, "cut.json");
            assert_eq!((line, column), (4, 17));
            assert_eq!(message, "EOF while parsing a string");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
    let text = "{\"CFDocument\": {\"identifier\": \"d\",\n \"title\": \"T\",, }}";
    let e = parse_package(text.as_bytes(), "comma.json").unwrap_err();
    assert!(
        matches!(
            e,
            ImportError::Syntax {
                line: 2,
                column: 15,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "comma.json: line 2, column 15: key must be a string"
    );

    // A real file cut in half fails on its last line.
    let Some(bytes) = sample("opensalt-sample-framework.json") else {
        return;
    };
    let half = &bytes[..bytes.len() / 2];
    let lines = half.iter().filter(|&&b| b == b'\n').count() + 1;
    match parse_package(half, "half.json").unwrap_err() {
        ImportError::Syntax { line, .. } => assert_eq!(line, lines),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn missing_full_statement_names_the_item() {
    let mut value: Value =
        serde_json::from_slice(&package_bytes(&[("a", "A"), ("b-id", "B")], &[])).unwrap();
    value["CFItems"][1]
        .as_object_mut()
        .unwrap()
        .remove("fullStatement");
    let e = parse_package(value.to_string().as_bytes(), "p.json").unwrap_err();
    assert_eq!(
        e.to_string(),
        "p.json: item `b-id` (CFItems[1]) has no `fullStatement`"
    );
    // Without an identifier, the item is named by its index.
    value["CFItems"][0]
        .as_object_mut()
        .unwrap()
        .remove("identifier");
    let e = parse_package(value.to_string().as_bytes(), "p.json").unwrap_err();
    assert_eq!(
        invalid_message(e),
        "the item CFItems[0] has no `identifier`"
    );
}

#[test]
fn not_a_package_is_refused_clearly() {
    let e = parse_package(b"\"just a string\"", "s.json").unwrap_err();
    assert_eq!(
        e.to_string(),
        "s.json: expected a CASE package (a JSON object with CFDocument, CFItems and CFAssociations, or an array of them), found a string"
    );
    let e = parse_package(br#"{"@context": "x", "CFItems": []}"#, "s.json").unwrap_err();
    assert_eq!(
        invalid_message(e),
        "not a CASE package: there is no CFDocument (top-level keys: `@context`, `CFItems`)"
    );
}

#[test]
fn duplicate_item_identifiers_keep_the_first_with_a_warning_or_are_refused_when_strict() {
    let bytes = package_bytes(
        &[("a", "A"), ("b", "B"), ("a", "A2"), ("c", "C"), ("b", "B2")],
        &[],
    );
    let p = parse_package(&bytes, "dup.json").unwrap();
    assert_eq!(codes(&p.framework), ["A", "B", "C"]);
    assert_eq!(
        p.warnings[0],
        "2 item(s) repeat the identifier of an earlier item; the first was kept and these were not imported: \
         CFItems[2] `a` (A2) \u{201c}Statement a\u{201d} duplicates CFItems[0] `a` (A) \u{201c}Statement a\u{201d}, \
         CFItems[4] `b` (B2) \u{201c}Statement b\u{201d} duplicates CFItems[1] `b` (B) \u{201c}Statement b\u{201d}"
    );
    let e = parse_packages(&bytes, "dup.json", ParseOptions { strict: true }).unwrap_err();
    assert!(
        e.to_string().starts_with(
            "dup.json: 2 item(s) repeat the identifier of an earlier item (refused with --strict)"
        ),
        "{e}"
    );
}

#[test]
fn statements_and_titles_come_in_byte_for_byte() {
    let text = json!({
        "CFDocument": {"identifier": "d", "title": "  Title with spaces \n"},
        "CFItems": [{"identifier": "i", "fullStatement": "\tLine one\r\nline two  "}],
    })
    .to_string();
    let p = parse_package(text.as_bytes(), "s.json").unwrap();
    assert_eq!(p.framework.title, "  Title with spaces \n");
    assert_eq!(p.framework.items[0].statement, "\tLine one\r\nline two  ");
    let csv = "identifier,statement\nx,\"  kept as written \"\n";
    let p = parse_csv(csv.as_bytes(), "s.csv").unwrap();
    assert_eq!(p.framework.items[0].statement, "  kept as written ");
}

#[test]
fn an_unbalanced_quote_in_a_csv_names_its_line() {
    let csv = "identifier,statement\na,fine\nb,\"never closed\nc,swallowed\n";
    let e = parse_csv(csv.as_bytes(), "q.csv").unwrap_err();
    assert!(
        matches!(
            e,
            ImportError::Syntax {
                line: 3,
                column: 3,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("never closed"), "{e}");
    // Quotes inside an unquoted cell and doubled quotes are not openings.
    let fine = "identifier,statement\na,5\" ruler\nb,\"say \"\"hi\"\"\"\n";
    let p = parse_csv(fine.as_bytes(), "q.csv").unwrap();
    assert_eq!(p.framework.items[1].statement, "say \"hi\"");
}

#[test]
fn smart_levels_build_the_tree_and_opensalt_columns_are_kept() {
    let csv = "identifier,fullStatement,humanCodingScheme,smartLevel,notes,educationLevel,language,license,lastChangeDateTime,isExactMatchOf\n\
               r2,Second root,R2,2,,,,,,\n\
               c12,Child two,R1.2,1.2,,,,,,\n\
               r1,First root,R1,1,a note,\"09, 10\",en,CC BY 4.0,2020-05-01T10:00:00,r2\n\
               c11,Child one,R1.1,1.1,,,,,,\n\
               g,Grandchild,R1.1.1,1.1.1,,,,,,\n";
    let p = parse_csv(csv.as_bytes(), "levels.csv").unwrap();
    let shape: Vec<(&str, u16)> = p
        .framework
        .items
        .iter()
        .map(|i| (i.code.as_str(), i.depth))
        .collect();
    assert_eq!(
        shape,
        [
            ("R1", 0),
            ("R1.1", 1),
            ("R1.1.1", 2),
            ("R1.2", 1),
            ("R2", 0)
        ]
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let r1 = &p.framework.items[0];
    assert_eq!(r1.language, "en");
    let raw: Value = serde_json::from_str(r1.raw.as_deref().unwrap()).unwrap();
    assert_eq!(raw["notes"], "a note");
    assert_eq!(raw["educationLevel"], json!(["09", "10"]));
    assert_eq!(raw["licenseURI"]["title"], "CC BY 4.0");
    assert_eq!(raw["lastChangeDateTime"], "2020-05-01T10:00:00");
    let exact: Vec<_> = p
        .associations
        .iter()
        .filter(|a| a.association_type == "exactMatchOf")
        .map(|a| {
            (
                a.origin.identifier.as_str(),
                a.destination.identifier.as_str(),
            )
        })
        .collect();
    assert_eq!(exact, [("r1", "r2")]);
}

#[test]
fn a_csv_framework_has_the_import_time_creator_and_title_given() {
    let csv = "identifier,statement\na,A\n";
    let options = CsvOptions {
        title: Some("Program outcomes".into()),
        creator: Some("Fay Lin".into()),
        imported_at: "2026-03-04T05:06:07Z".into(),
        ..CsvOptions::default()
    };
    let p = parse_csv_with(csv.as_bytes(), "dir/outcomes.csv", &options).unwrap();
    let same_file = parse_csv(csv.as_bytes(), "outcomes.csv").unwrap();
    assert_eq!(p.framework.identifier, same_file.framework.identifier);
    let v = export_framework(&p, CaseVersion::V1_1);
    assert_eq!(v["CFDocument"]["title"], "Program outcomes");
    assert_eq!(v["CFDocument"]["creator"], "Fay Lin");
    assert_eq!(
        v["CFDocument"]["lastChangeDateTime"],
        "2026-03-04T05:06:07Z"
    );
    assert_eq!(
        v["CFItems"][0]["lastChangeDateTime"],
        "2026-03-04T05:06:07Z"
    );
}

#[test]
fn a_document_with_no_items_yet_is_read() {
    let p = parse_package(
        br#"{"CFDocument": {"identifier": "d", "title": "Just started"}, "CFItems": [], "CFAssociations": []}"#,
        "new.json",
    )
    .unwrap();
    assert!(p.framework.items.is_empty() && p.warnings.is_empty());
}

#[test]
fn is_child_of_cycles_are_refused_naming_the_items() {
    let bytes = package_bytes(
        &[
            ("root", "R"),
            ("x", "X"),
            ("y", "Y"),
            ("z", "Z"),
            ("leaf", "L"),
        ],
        &[
            ("root", "doc", None),
            ("x", "z", None),
            ("y", "x", None),
            ("z", "y", None),
            ("leaf", "y", None),
        ],
    );
    let e = parse_package(&bytes, "cycle.json").unwrap_err();
    assert_eq!(
        invalid_message(e),
        "isChildOf cycle among 3 items: `x` (X), `z` (Z), `y` (Y)"
    );
}

#[test]
fn orphans_and_second_parents_are_placed_with_warnings() {
    let bytes = package_bytes(
        &[("a", "A"), ("b", "B"), ("lost", "L"), ("loose", "N")],
        &[
            ("a", "doc", None),
            ("b", "doc", Some(2)),
            ("b", "a", Some(1)),
            ("lost", "gone", None),
        ],
    );
    let p = parse_package(&bytes, "p.json").unwrap();
    let shape: Vec<(&str, u16)> = p
        .framework
        .items
        .iter()
        .map(|i| (i.identifier.as_str(), i.depth))
        .collect();
    assert_eq!(shape, [("a", 0), ("b", 1), ("lost", 0), ("loose", 0)]);
    assert_eq!(
        p.warnings,
        [
            "1 association(s) point outside the package; they are kept as they are (not in the package: `gone`)",
            "1 item(s) have more than one parent; each was placed under its first parent only: `b` (B) under `a` (A)",
            "1 item(s) name a parent that is not in the package and were placed at the top level: `lost` (L) (parent `gone`)",
            "1 item(s) have no isChildOf association and were placed at the top level: `loose` (N)",
        ]
    );
}

/// A lean package of `n` items `{prefix}{i}` whose isChildOf parents are given by `parent`
/// (`None`: the document), written directly so that building it stays quick in debug builds.
fn chain_package(prefix: &str, n: usize, parent: impl Fn(usize) -> Option<usize>) -> Vec<u8> {
    let mut out = String::from(r#"{"CFDocument":{"identifier":"doc","title":"Chain"},"CFItems":["#);
    for i in 0..n {
        let comma = if i + 1 < n { "," } else { "" };
        out += &format!(r#"{{"identifier":"{prefix}{i}","fullStatement":"s"}}{comma}"#);
    }
    out += r#"],"CFAssociations":["#;
    for i in 0..n {
        let comma = if i + 1 < n { "," } else { "" };
        let destination = parent(i).map_or("doc".to_string(), |p| format!("{prefix}{p}"));
        out += &format!(
            r#"{{"identifier":"a{i}","associationType":"isChildOf","originNodeURI":{{"identifier":"{prefix}{i}"}},"destinationNodeURI":{{"identifier":"{destination}"}}}}{comma}"#
        );
    }
    out += "]}";
    out.into_bytes()
}

#[test]
fn a_hundred_thousand_deep_chain_is_refused_without_overflowing_the_stack() {
    const N: usize = 100_000;
    let bytes = chain_package("i", N, |i| i.checked_sub(1));
    // Run on a small stack: any recursion over the hierarchy would overflow it.
    let result = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || parse_package(&bytes, "deep.json").map(|_| ()))
        .unwrap()
        .join()
        .expect("the importer must not overflow the stack");
    assert_eq!(
        invalid_message(result.unwrap_err()),
        format!(
            "the hierarchy is more than {MAX_DEPTH} levels deep: item `i{MAX_DEPTH}` is at level {}",
            MAX_DEPTH + 1
        )
    );
    // And a cycle closing such a chain is found without recursion too.
    let bytes = chain_package("c", N, |i| Some((i + 1) % N));
    let message = invalid_message(parse_package(&bytes, "ring.json").unwrap_err());
    assert_eq!(
        message,
        "isChildOf cycle among 100000 items: `c0`, `c1`, `c2`, `c3`, `c4` and 99995 more"
    );
}

#[test]
fn deeply_nested_json_is_a_syntax_error() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = parse_package(deep.as_bytes(), "deep.json").unwrap_err();
    assert!(matches!(&e, ImportError::Syntax { line: 1, .. }), "{e:?}");
    assert!(e.to_string().contains("recursion limit exceeded"), "{e}");
    // Nested inside an item field, too.
    let text = format!(
        r#"{{"CFDocument": {{"identifier": "d", "title": "t"}}, "CFItems": [{{"identifier": "i", "fullStatement": "s", "conceptKeywords": {}{}}}]}}"#,
        "[".repeat(5_000),
        "]".repeat(5_000)
    );
    let e = parse_package(text.as_bytes(), "deep.json").unwrap_err();
    assert!(e.to_string().contains("recursion limit exceeded"), "{e}");
}

#[test]
fn input_over_the_limit_is_refused_before_parsing() {
    // Zeroed memory is not touched: the size is checked first.
    let huge = vec![0u8; MAX_INPUT_BYTES + 1];
    let expected = format!(
        "the file is {} bytes; the largest accepted is {MAX_INPUT_BYTES} bytes",
        MAX_INPUT_BYTES + 1
    );
    assert_eq!(
        invalid_message(parse_package(&huge, "huge.json").unwrap_err()),
        expected
    );
    assert_eq!(
        invalid_message(parse_csv(&huge, "huge.csv").unwrap_err()),
        expected
    );
}

#[test]
fn invalid_utf8_in_json_is_a_syntax_error() {
    let e = parse_package(b"{\"CFDocument\": {\"identifier\": \"\xff\"}}", "bad.json").unwrap_err();
    assert!(matches!(e, ImportError::Syntax { line: 1, .. }), "{e:?}");
}

// ---- CSV ----

#[test]
fn csv_with_byte_order_mark_and_crlf() {
    let p = parse_csv(
        b"\xEF\xBB\xBFidentifier,statement,parent\r\na,First,\r\nb,Second,a\r\n",
        "bom.csv",
    )
    .unwrap();
    let shape: Vec<(&str, &str, u16)> = p
        .framework
        .items
        .iter()
        .map(|i| (i.identifier.as_str(), i.statement.as_str(), i.depth))
        .collect();
    assert_eq!(shape, [("a", "First", 0), ("b", "Second", 1)]);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn csv_quoted_newlines_stay_in_the_cell() {
    let text = "Identifier,fullStatement,Human Coding Scheme,Is Child Of\n\
                a,\"Line one\nline two, with a comma\",A,\n\
                b,\"He said \"\"yes\"\"\",A.1,A\n\
                c,,A.2,A\n";
    let e = parse_csv(text.as_bytes(), "q.csv").unwrap_err();
    // The empty statement is on line 5: the quoted newline counts.
    assert_eq!(
        e.to_string(),
        "q.csv: line 5, column 2: the `fullStatement` cell is empty; every row needs a statement"
    );
    let p = parse_csv(text.replace("c,,A.2", "c,Third,A.2").as_bytes(), "q.csv").unwrap();
    assert_eq!(
        p.framework.items[0].statement,
        "Line one\nline two, with a comma"
    );
    assert_eq!(p.framework.items[1].statement, "He said \"yes\"");
    assert_eq!(p.framework.items[2].parent, Some(0));
}

#[test]
fn csv_without_statement_column_is_refused() {
    let e = parse_csv(
        b"identifier,parent,code,type\na,,A,Domain\n",
        "nostatement.csv",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "nostatement.csv: line 1: no statement column (expected `fullStatement` or `statement`; the header line has `identifier`, `parent`, `code`, `type`)"
    );
}

#[test]
fn csv_cycles_are_refused() {
    let e = parse_csv(b"id,statement,parent\na,A,b\nb,B,a\n", "c.csv").unwrap_err();
    assert_eq!(
        invalid_message(e),
        "isChildOf cycle among 2 items: `a`, `b`"
    );
}

// ---- size ----

#[test]
fn twenty_thousand_items_arrange_correctly() {
    // 200 groups of 99 children each, children given in reverse order with sequence numbers.
    let mut items = Vec::new();
    let mut children = Vec::new();
    for g in 0..200 {
        items.push((format!("g{g}"), format!("G.{g}")));
        for c in (0..99).rev() {
            items.push((format!("g{g}c{c}"), format!("G.{g}.{c}")));
        }
    }
    for (id, _) in &items {
        let parent = id
            .find('c')
            .map_or("doc".to_string(), |at| id[..at].to_string());
        let seq = id.find('c').map(|at| id[at + 1..].parse::<i64>().unwrap());
        children.push((id.clone(), parent, seq));
    }
    let item_refs: Vec<(&str, &str)> = items
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let child_refs: Vec<(&str, &str, Option<i64>)> = children
        .iter()
        .map(|(a, b, s)| (a.as_str(), b.as_str(), *s))
        .collect();
    let bytes = package_bytes(&item_refs, &child_refs);
    let started = std::time::Instant::now();
    let p: Package = parse_package(&bytes, "big.json").unwrap();
    eprintln!(
        "parsed {} bytes, 20,000 items, in {:?}",
        bytes.len(),
        started.elapsed()
    );
    assert_eq!(p.framework.items.len(), 20_000);
    assert_pre_order(&p.framework);
    assert_eq!(codes(&p.framework)[..3], ["G.0", "G.0.0", "G.0.1"]);
    assert_eq!(codes(&p.framework)[100..102], ["G.1", "G.1.0"]);
    assert_eq!(
        p.framework.items.last().map(|i| i.code.as_str()),
        Some("G.199.98")
    );
}

// ---- robustness ----

/// Truncations and corruptions of the real files: every one is either imported or refused
/// with an error naming the file, never a panic.
#[test]
fn mangled_real_files_never_panic() {
    let files = [
        "opensalt-sample-framework.json",
        "Ordering.json",
        "Utf8TestFramework.json",
        "opensalt-sample-import.csv",
    ];
    for name in files {
        let Some(bytes) = sample(name) else { return };
        let parse = |b: &[u8]| {
            if name.ends_with(".csv") {
                parse_csv(b, name).map(|_| ())
            } else {
                parse_package(b, name).map(|_| ())
            }
        };
        assert!(parse(&bytes).is_ok(), "{name}");
        let step = (bytes.len() / 150).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            match parse(&bytes[..cut]) {
                Err(e) => assert!(e.to_string().starts_with(name), "{e}"),
                // A cut JSON file is not JSON any more (unless only white space was cut).
                Ok(()) => assert!(
                    name.ends_with(".csv")
                        || serde_json::from_slice::<Value>(&bytes[..cut]).is_ok(),
                    "{name} cut at {cut} was accepted"
                ),
            }
            for patch in [
                b"{".as_slice(),
                b"\"",
                b"\\",
                b"]",
                b"\xFF",
                b"\xF0\x9D",
                b"\n\"\"\n",
                b"0",
                b",",
            ] {
                let mut mangled = bytes.clone();
                let end = (cut + patch.len()).min(mangled.len());
                mangled.splice(cut..end, patch.iter().copied());
                if let Err(e) = parse(&mangled) {
                    assert!(e.to_string().starts_with(name), "{e}");
                }
            }
        }
    }
}
