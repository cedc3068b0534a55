//! What comes in goes out unchanged: every real CASE package and OpenSALT spreadsheet under
//! `../shared/case-samples` is imported, exported (CASE 1.0 and 1.1), validated, imported
//! again and exported again. The re-import must change nothing and the second export must
//! be byte for byte the first; a field-by-field comparison of the original with the export
//! finds nothing lost but what the version cannot carry (listed in the README).
use crosswalk::case::{
    self, CaseVersion, CsvOptions, ParseOptions, case_identifier_for, export_framework,
    parse_packages,
};
use crosswalk::model::{AssociationType, Side};
use crosswalk::store::{HistoryFilter, ImportOptions, ImportReport, NewLink, Workshop};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const VERSIONS: [CaseVersion; 2] = [CaseVersion::V1_0, CaseVersion::V1_1];

fn shared(rel: &str) -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    let fixed = Path::new("/work/shared").join(rel);
    let found = [beside, fixed].into_iter().find(|p| p.exists());
    if found.is_none() {
        eprintln!("note: ../shared/{rel} is absent; skipped");
    }
    found
}

/// The real files: every CASE JSON and CSV under `../shared/case-samples`.
fn samples() -> Vec<PathBuf> {
    let Some(dir) = shared("case-samples") else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "csv"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

fn assert_valid(bytes: &[u8], version: CaseVersion, what: &str) {
    let Some(script) = shared("case-schema/validate.py") else {
        return;
    };
    let file = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    let mut cmd = Command::new("python3");
    cmd.arg(script);
    if version == CaseVersion::V1_1 {
        cmd.args(["--case-version", "1.1"]);
    }
    let out = cmd.arg(file.path()).output().expect("python3");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if text.contains("No module named") {
        eprintln!("note: python3 lacks jsonschema; not validating");
        return;
    }
    assert!(
        out.status.success(),
        "{what} is not valid CASE {}:\n{text}",
        version.label()
    );
}

fn read(path: &Path) -> Vec<case::Package> {
    let bytes = std::fs::read(path).unwrap();
    let name = path.display().to_string();
    if path.extension().is_some_and(|x| x == "csv") {
        let options = CsvOptions {
            creator: Some("Round trip".into()),
            imported_at: "2026-01-05T10:00:00Z".into(),
            ..CsvOptions::default()
        };
        vec![case::parse_csv_with(&bytes, &name, &options).unwrap()]
    } else {
        parse_packages(&bytes, &name, ParseOptions::default()).unwrap()
    }
}

fn import(ws: &mut Workshop, pkg: &case::Package) -> ImportReport {
    ws.import_package_with(
        pkg,
        &ImportOptions {
            side: Some(Side::Educator),
            source: "test".into(),
            ..ImportOptions::default()
        },
    )
    .unwrap()
}

fn export(ws: &Workshop, framework_id: i64, version: CaseVersion) -> Vec<u8> {
    let pkg = ws.load_package(framework_id).unwrap();
    let mut bytes = serde_json::to_vec_pretty(&export_framework(&pkg, version)).unwrap();
    bytes.push(b'\n');
    bytes
}

fn counts(r: &ImportReport) -> (usize, usize, usize) {
    (r.added.len(), r.changed.len(), r.removed.len())
}

#[test]
fn every_sample_survives_export_and_re_import_unchanged() {
    for path in samples() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for pkg in read(&path) {
            for version in VERSIONS {
                let what = format!("{name} as CASE {}", version.label());
                let mut ws = Workshop::open_in_memory().unwrap();
                let first = import(&mut ws, &pkg);
                assert!(first.created, "{what}");
                let id = ws.frameworks().unwrap()[0].id;
                let exported = export(&ws, id, version);
                assert_valid(&exported, version, &what);

                // Into the same workshop: the same framework, nothing changed.
                let again = parse_packages(&exported, &what, ParseOptions::default()).unwrap();
                let report = import(&mut ws, &again[0]);
                assert!(!report.created, "{what}: a second framework was made");
                assert_eq!(counts(&report), (0, 0, 0), "{what}: {report:?}");
                assert_eq!(report.unchanged, pkg.framework.items.len(), "{what}");
                assert_eq!(ws.frameworks().unwrap().len(), 1, "{what}");
                let second = export(&ws, id, version);
                assert!(
                    exported == second,
                    "{what}: the second export differs from the first"
                );

                // Into a fresh workshop: the export is a fixed point.
                let mut fresh = Workshop::open_in_memory().unwrap();
                import(&mut fresh, &again[0]);
                let fresh_id = fresh.frameworks().unwrap()[0].id;
                assert!(
                    export(&fresh, fresh_id, version) == exported,
                    "{what}: an export re-imported elsewhere exports differently"
                );
            }
        }
    }
}

#[test]
fn a_real_change_is_reported_even_one_space_in_a_statement() {
    let Some(path) = samples()
        .into_iter()
        .find(|p| p.ends_with("opensalt-sample-framework.json"))
    else {
        return;
    };
    let mut ws = Workshop::open_in_memory().unwrap();
    let pkg = &read(&path)[0];
    import(&mut ws, pkg);
    let mut edited = pkg.clone();
    edited.framework.items[3].statement.push(' ');
    let report = import(&mut ws, &edited);
    assert_eq!(counts(&report), (0, 1, 0), "{report:?}");
    assert_eq!(report.changed, [edited.framework.items[3].code.clone()]);
    let stored = ws.load_framework(ws.frameworks().unwrap()[0].id).unwrap();
    assert_eq!(
        stored.items[3].statement,
        edited.framework.items[3].statement
    );
}

/// What a version cannot carry, by class: fields the package schema has no place for.
fn cannot_carry(version: CaseVersion) -> BTreeSet<&'static str> {
    let mut out: BTreeSet<&str> = [
        "CFDocument.CFPackageURI",
        "CFItems.CFDocumentURI",
        "CFItems.CFItemAssociationURI",
        "CFAssociations.CFDocumentURI",
        // Renamed, not lost: OpenSALT's educationalLevel is CASE's educationLevel.
        "CFItems.educationalLevel",
    ]
    .into_iter()
    .collect();
    if version == CaseVersion::V1_0 {
        out.extend(["CFAssociations.notes", "CFDocument.caseVersion"]);
    }
    out
}

/// Fields of the original missing or different in the export, by class and field.
fn compare(original: &Value, exported: &Value, version: CaseVersion) -> BTreeMap<String, usize> {
    let mut lost: BTreeMap<String, usize> = BTreeMap::new();
    let written = |id: &str| case_identifier_for(id, version).into_owned();
    let normal = |key: &str, v: &Value| -> Value {
        match (key, v) {
            ("identifier", Value::String(s)) => Value::String(written(s)),
            ("lastChangeDateTime", Value::String(s)) if !s.ends_with('Z') && !s.contains('+') => {
                Value::String(format!("{s}Z"))
            }
            ("lastChangeDateTime", Value::String(s)) => Value::String(s.replace("+00:00", "Z")),
            ("educationalLevel" | "educationLevel", Value::String(s)) => json!([s]),
            ("sequenceNumber", Value::String(s)) => {
                s.trim().parse::<i64>().map_or(json!(s), |n| json!(n))
            }
            (_, Value::Object(o)) => {
                // LinkURIs: compare what they name.
                json!([
                    o.get("identifier").and_then(Value::as_str).map(written),
                    o.get("uri")
                ])
            }
            _ => v.clone(),
        }
    };
    let mut check = |class: &str, a: &Value, b: Option<&Value>| {
        let (Some(a), b) = (a.as_object(), b.and_then(Value::as_object)) else {
            return;
        };
        for (key, value) in a {
            let target = if key == "educationalLevel" {
                "educationLevel"
            } else {
                key
            };
            let same = b
                .and_then(|b| b.get(target))
                .is_some_and(|w| normal(key, w) == normal(key, value));
            if !(same || value.is_null() || value == "") {
                *lost.entry(format!("{class}.{key}")).or_default() += 1;
            }
        }
    };
    check(
        "CFDocument",
        &original["CFDocument"],
        exported.get("CFDocument"),
    );
    for class in ["CFItems", "CFAssociations"] {
        let out: BTreeMap<String, &Value> = exported[class]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| (v["identifier"].as_str().unwrap_or("").to_string(), v))
            .collect();
        for v in original[class].as_array().into_iter().flatten() {
            let id = written(v["identifier"].as_str().unwrap_or(""));
            check(class, v, out.get(&id).copied());
        }
    }
    lost
}

#[test]
fn field_by_field_nothing_is_lost_but_what_the_version_cannot_carry() {
    let mut table = String::from(
        "| file | version | items | fields not carried | identifiers rewritten |\n|---|---|---|---|---|\n",
    );
    for path in samples()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
    {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let original: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let pkg = &read(&path)[0];
        for version in VERSIONS {
            let mut ws = Workshop::open_in_memory().unwrap();
            import(&mut ws, pkg);
            let id = ws.frameworks().unwrap()[0].id;
            let exported: Value = serde_json::from_slice(&export(&ws, id, version)).unwrap();
            let lost = compare(&original, &exported, version);
            let allowed = cannot_carry(version);
            let unexpected: Vec<&String> = lost
                .keys()
                .filter(|k| !allowed.contains(k.as_str()))
                .collect();
            assert!(
                unexpected.is_empty(),
                "{name} CASE {}: lost {unexpected:?} (all: {lost:?})",
                version.label()
            );
            let listed: Vec<String> = lost.iter().map(|(k, n)| format!("{k} ({n})")).collect();
            let records = std::iter::once(&original["CFDocument"])
                .chain(original["CFItems"].as_array().into_iter().flatten())
                .chain(original["CFAssociations"].as_array().into_iter().flatten());
            let rewritten = records
                .filter_map(|r| r["identifier"].as_str())
                .filter(|id| case_identifier_for(id, version) != *id)
                .count();
            table += &format!(
                "| {name} | {} | {} | {} | {rewritten} |\n",
                version.label(),
                pkg.framework.items.len(),
                if listed.is_empty() {
                    "none".to_string()
                } else {
                    listed.join(", ")
                }
            );
        }
    }
    eprintln!("{table}");
}

/// Two frameworks whose packages point at each other's items with the publisher's
/// `exactMatchOf`.
fn pointing_packages() -> (Vec<u8>, Vec<u8>) {
    let pkg = |doc: &str, items: [&str; 2], other: &str| {
        json!({
            "CFDocument": {"identifier": doc, "uri": format!("https://pub.example/{doc}"), "title": doc, "creator": "Pub",
                           "lastChangeDateTime": "2024-01-01T00:00:00Z"},
            "CFItems": items.iter().map(|i| json!({"identifier": i, "fullStatement": format!("Statement {i}"),
                                                   "uri": format!("https://pub.example/{i}"),
                                                   "lastChangeDateTime": "2024-01-01T00:00:00Z"})).collect::<Vec<_>>(),
            "CFAssociations": [
                {"identifier": format!("{doc}-c1"), "associationType": "isChildOf",
                 "originNodeURI": {"identifier": items[0], "uri": "u", "title": "t"},
                 "destinationNodeURI": {"identifier": doc, "uri": "u", "title": "t"}},
                {"identifier": format!("{doc}-x"), "associationType": "exactMatchOf",
                 "originNodeURI": {"identifier": items[0], "uri": "u", "title": "t"},
                 "destinationNodeURI": {"identifier": other, "uri": "u", "title": "t"}},
            ]
        })
        .to_string()
        .into_bytes()
    };
    (
        pkg("3e1c4f7a-0000-4000-8000-00000000000a", ["a1", "a2"], "b1"),
        pkg("3e1c4f7a-0000-4000-8000-00000000000b", ["b1", "b2"], "a1"),
    )
}

#[test]
fn import_order_never_changes_the_links_and_publisher_associations_stay() {
    let (a, b) = pointing_packages();
    let mut results = Vec::new();
    for order in [[&a, &b], [&b, &a]] {
        let mut ws = Workshop::open_in_memory().unwrap();
        for bytes in order {
            let pkg = &parse_packages(bytes, "p.json", ParseOptions::default()).unwrap()[0];
            import(&mut ws, pkg);
        }
        assert_eq!(
            ws.links().unwrap().len(),
            0,
            "publisher associations are not links"
        );
        let mut kept = Vec::new();
        for f in ws.frameworks().unwrap() {
            let v = export_framework(&ws.load_package(f.id).unwrap(), CaseVersion::V1_1);
            kept.push((
                f.identifier.clone(),
                v["CFAssociations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["associationType"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>(),
            ));
        }
        kept.sort();
        results.push(kept);
    }
    assert_eq!(results[0], results[1]);
    assert_eq!(results[0][0].1, ["isChildOf", "exactMatchOf"]);

    // Asked for, the publisher's associations come in as links.
    let mut ws = Workshop::open_in_memory().unwrap();
    for bytes in [&a, &b] {
        import(
            &mut ws,
            &parse_packages(bytes, "p.json", ParseOptions::default()).unwrap()[0],
        );
    }
    let pkg = &parse_packages(&a, "p.json", ParseOptions::default()).unwrap()[0];
    let report = ws
        .import_package_with(
            pkg,
            &ImportOptions {
                as_links: true,
                ..ImportOptions::default()
            },
        )
        .unwrap();
    assert_eq!(report.links_added, 1);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("1 isChildOf association(s) left out")),
        "{:?}",
        report.warnings
    );
}

#[test]
fn another_document_under_the_same_identifier_is_refused_without_replace() {
    let (a, _) = pointing_packages();
    let mut ws = Workshop::open_in_memory().unwrap();
    import(
        &mut ws,
        &parse_packages(&a, "a.json", ParseOptions::default()).unwrap()[0],
    );
    let mut other: Value = serde_json::from_slice(&a).unwrap();
    other["CFDocument"]["title"] = json!("Something else");
    other["CFDocument"]["uri"] = json!("https://elsewhere.example/doc");
    let other = &parse_packages(
        other.to_string().as_bytes(),
        "b.json",
        ParseOptions::default(),
    )
    .unwrap()[0];
    let log_before = ws.history(&HistoryFilter::All).unwrap().len();
    let err = ws
        .import_package_with(other, &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("is another document: its title is \"3e1c4f7a-0000-4000-8000-00000000000a\" here and \"Something else\" in the file")
            && err.contains("--replace"),
        "{err}"
    );
    assert_eq!(ws.history(&HistoryFilter::All).unwrap().len(), log_before);
    let report = ws
        .import_package_with(
            other,
            &ImportOptions {
                replace: true,
                ..ImportOptions::default()
            },
        )
        .unwrap();
    assert_eq!(report.title, "Something else");
}

#[test]
fn a_framework_import_is_one_entry_in_the_session_history() {
    let (a, _) = pointing_packages();
    let mut ws = Workshop::open_in_memory().unwrap();
    let pkg = &parse_packages(&a, "a.json", ParseOptions::default()).unwrap()[0];
    ws.import_package_with(
        pkg,
        &ImportOptions {
            source: "a.json".into(),
            ..ImportOptions::default()
        },
    )
    .unwrap();
    let log = ws.history(&HistoryFilter::All).unwrap();
    assert_eq!(log.len(), 1);
    let entry = &log[0];
    assert_eq!(entry.action, "framework imported");
    assert_eq!(
        entry.details["identifier"],
        "3e1c4f7a-0000-4000-8000-00000000000a"
    );
    assert_eq!(
        (
            entry.details["added"].as_u64(),
            entry.details["changed"].as_u64()
        ),
        (Some(2), Some(0))
    );
    assert_eq!(entry.details["from"], "a.json");
}

#[test]
fn a_crosswalk_export_gives_back_every_link_in_both_versions() {
    let (a, b) = pointing_packages();
    for version in VERSIONS {
        let mut ws = Workshop::open_in_memory().unwrap();
        for bytes in [&a, &b] {
            import(
                &mut ws,
                &parse_packages(bytes, "p.json", ParseOptions::default()).unwrap()[0],
            );
        }
        for (o, d, t) in [
            ("a1", "b2", AssociationType::IsTranslationOf),
            ("a2", "b1", AssociationType::ExactMatchOf),
        ] {
            ws.create_link(&NewLink {
                origin: o.into(),
                destination: d.into(),
                association_type: Some(t),
                note: "why".into(),
                ..NewLink::default()
            })
            .unwrap();
        }
        let links = ws.links().unwrap();
        let info = case::CrosswalkInfo {
            identifier: case::crosswalk_identifier(&["a", "b"]),
            title: "X".into(),
            creator: "Me".into(),
            frameworks: Vec::new(),
            last_change: time::OffsetDateTime::UNIX_EPOCH,
        };
        let file = serde_json::to_vec(&case::export_links_case(&info, &links, version)).unwrap();
        let pkg = &parse_packages(&file, "x.json", ParseOptions::default()).unwrap()[0];
        // Back into its own workshop: nothing changes, isTranslationOf included.
        let report = import(&mut ws, pkg);
        assert_eq!(
            (
                report.links_added,
                report.links_updated,
                report.links_unchanged
            ),
            (0, 0, 2),
            "{version:?}"
        );
        assert_eq!(ws.links().unwrap(), links, "{version:?}");
        // Into a workshop with only the frameworks: every link.
        let mut other = Workshop::open_in_memory().unwrap();
        for bytes in [&b, &a] {
            import(
                &mut other,
                &parse_packages(bytes, "p.json", ParseOptions::default()).unwrap()[0],
            );
        }
        let report = import(&mut other, pkg);
        assert_eq!(report.links_added, 2, "{version:?}");
    }
}

#[test]
fn a_link_is_never_is_child_of() {
    let (a, b) = pointing_packages();
    let mut ws = Workshop::open_in_memory().unwrap();
    for bytes in [&a, &b] {
        import(
            &mut ws,
            &parse_packages(bytes, "p.json", ParseOptions::default()).unwrap()[0],
        );
    }
    let err = ws
        .create_link(&NewLink {
            origin: "a1".into(),
            destination: "b1".into(),
            association_type: Some(AssociationType::IsChildOf),
            ..NewLink::default()
        })
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("is not an alignment between frameworks"),
        "{err}"
    );
    let made = ws
        .create_link(&NewLink {
            origin: "a1".into(),
            destination: "b1".into(),
            ..NewLink::default()
        })
        .unwrap();
    let change = crosswalk::store::LinkChange {
        association_type: Some(AssociationType::IsChildOf),
        ..Default::default()
    };
    assert!(ws.update_link(&made.identifier, &change).is_err());
    assert!(!AssociationType::LINK_TYPES.contains(&AssociationType::IsChildOf));
}

#[test]
fn rubrics_are_kept_and_exported_valid_in_both_versions() {
    let text = json!({
        "CFDocument": {"identifier": "5d1e0c3a-0000-4000-8000-000000000001", "title": "With a rubric",
                       "creator": "Pub", "lastChangeDateTime": "2023-04-05T06:07:08Z",
                       "uri": "https://pub.example/doc"},
        "CFItems": [{"identifier": "5d1e0c3a-0000-4000-8000-000000000002", "fullStatement": "Weld",
                     "uri": "https://pub.example/i"}],
        "CFRubrics": [{
            "identifier": "5d1e0c3a-0000-4000-8000-0000000000a1", "title": "Weld quality",
            "CFDocumentURI": "https://pub.example/doc",
            "CFRubricCriteria": [{
                "identifier": "5d1e0c3a-0000-4000-8000-0000000000b1", "category": "Bead",
                "weight": "0.5", "position": 1,
                "CFItemURI": {"title": "Weld", "identifier": "5d1e0c3a-0000-4000-8000-000000000002",
                              "uri": "https://pub.example/i"},
                "CFRubricCriterionLevels": [
                    {"identifier": "5d1e0c3a-0000-4000-8000-0000000000c1", "quality": "Even", "score": 3,
                     "lastChangeDateTime": "2023-04-05T06:07:08"},
                    {"quality": "no identifier"}
                ]
            }]
        }]
    })
    .to_string();
    let pkg = &parse_packages(text.as_bytes(), "r.json", ParseOptions::default()).unwrap()[0];
    assert!(pkg.rubrics.is_some());
    for version in VERSIONS {
        let mut ws = Workshop::open_in_memory().unwrap();
        import(&mut ws, pkg);
        let id = ws.frameworks().unwrap()[0].id;
        let first = export(&ws, id, version);
        assert_valid(&first, version, "a package with a rubric");
        let v: Value = serde_json::from_slice(&first).unwrap();
        let criterion = &v["CFRubrics"][0]["CFRubricCriteria"][0];
        assert_eq!(criterion["weight"], 0.5);
        assert_eq!(
            criterion["CFRubricCriterionLevels"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            criterion["CFRubricCriterionLevels"][0]["lastChangeDateTime"],
            "2023-04-05T06:07:08Z"
        );
        let again = &parse_packages(&first, "again.json", ParseOptions::default()).unwrap()[0];
        let report = import(&mut ws, again);
        assert_eq!(counts(&report), (0, 0, 0));
        assert!(export(&ws, id, version) == first);
    }
}

#[test]
fn a_spreadsheet_imported_again_the_next_day_changes_nothing() {
    let Some(path) = samples()
        .into_iter()
        .find(|p| p.ends_with("opensalt-sample-import.csv"))
    else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let on = |day: &str| {
        let options = CsvOptions {
            imported_at: format!("2026-01-0{day}T10:00:00Z"),
            ..CsvOptions::default()
        };
        case::parse_csv_with(&bytes, "sample.csv", &options).unwrap()
    };
    let mut ws = Workshop::open_in_memory().unwrap();
    import(&mut ws, &on("5"));
    let report = import(&mut ws, &on("6"));
    assert_eq!(counts(&report), (0, 0, 0), "{report:?}");
    let id = ws.frameworks().unwrap()[0].id;
    let v: Value = serde_json::from_slice(&export(&ws, id, CaseVersion::V1_1)).unwrap();
    assert_eq!(
        v["CFDocument"]["lastChangeDateTime"],
        "2026-01-06T10:00:00Z"
    );
}

#[test]
fn an_empty_framework_with_definitions_is_a_framework_and_an_empty_crosswalk_is_not() {
    let started = json!({
        "CFDocument": {"identifier": "0d9c1b2a-0000-4000-8000-000000000001", "title": "Just started"},
        "CFItems": [], "CFAssociations": [],
        "CFDefinitions": {"CFAssociationGroupings": [
            {"identifier": "0d9c1b2a-0000-4000-8000-000000000002", "title": "Progression"}]}
    })
    .to_string();
    let mut ws = Workshop::open_in_memory().unwrap();
    let pkg = &parse_packages(started.as_bytes(), "s.json", ParseOptions::default()).unwrap()[0];
    assert!(import(&mut ws, pkg).created);
    assert_eq!(ws.frameworks().unwrap().len(), 1);
    // Crosswalk's own export of no links is not taken for a framework.
    let info = case::CrosswalkInfo {
        identifier: case::crosswalk_identifier(&["a", "b"]),
        title: "X".into(),
        creator: "Me".into(),
        frameworks: Vec::new(),
        last_change: time::OffsetDateTime::UNIX_EPOCH,
    };
    let empty =
        serde_json::to_vec(&case::export_links_case(&info, &[], CaseVersion::V1_1)).unwrap();
    let pkg = &parse_packages(&empty, "x.json", ParseOptions::default()).unwrap()[0];
    assert!(
        ws.import_package_with(pkg, &ImportOptions::default())
            .is_err()
    );
    assert_eq!(ws.frameworks().unwrap().len(), 1);
}
