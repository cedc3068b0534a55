//! The exporters against the CASE schemas and real data: every export is checked with
//! the shared validator (`/work/shared/case-schema/validate.py`, or `../shared` beside the
//! checkout), the real OpenSALT samples (`$CROSSWALK_CASE_SAMPLES` or
//! `/work/shared/case-samples`) and the project's sample frameworks are exported and read
//! back, and links go out of a workshop and come back in.
use crosswalk::case::{
    self, CaseVersion, CrosswalkInfo, NodeRef, Package, case_identifier, case_identifier_for,
    export_framework, export_framework_with_warnings, export_links_case,
    export_links_case_with_warnings, parse_package,
};
use crosswalk::model::{AssociationType, Framework, Item, Link, LinkEnd, Side, Strength};
use crosswalk::report::{self, CsvOptions};
use crosswalk::store::{NewLink, SAMPLE_FRAMEWORKS, Workshop};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

const VERSIONS: [CaseVersion; 2] = [CaseVersion::V1_0, CaseVersion::V1_1];

/// The validator script, or `None` (with a note) where the shared folder is missing.
fn validator() -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/case-schema/validate.py");
    let fixed = PathBuf::from("/work/shared/case-schema/validate.py");
    let found = [beside, fixed].into_iter().find(|p| p.exists());
    if found.is_none() {
        eprintln!(
            "note: the CASE schema validator (/work/shared/case-schema) is absent; not validating"
        );
    }
    found
}

enum Checked {
    Valid(String),
    Invalid(String),
    Skipped,
}

/// Runs the shared validator on `value` written to a temporary file.
fn validate(value: &Value, version: CaseVersion) -> Checked {
    let Some(script) = validator() else {
        return Checked::Skipped;
    };
    let file = tempfile::Builder::new()
        .suffix(".json")
        .tempfile()
        .expect("temp file");
    std::fs::write(file.path(), serde_json::to_vec_pretty(value).unwrap()).expect("write");
    let mut cmd = Command::new("python3");
    cmd.arg(&script);
    if version == CaseVersion::V1_1 {
        cmd.args(["--case-version", "1.1"]);
    }
    match cmd.arg(file.path()).output() {
        Err(e) => {
            eprintln!("note: cannot run python3 ({e}); not validating");
            Checked::Skipped
        }
        Ok(out) => {
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.success() {
                Checked::Valid(stdout)
            } else if stderr.contains("No module named") {
                eprintln!("note: python3 lacks jsonschema; not validating");
                Checked::Skipped
            } else {
                Checked::Invalid(format!("{stdout}{stderr}"))
            }
        }
    }
}

fn assert_valid(value: &Value, version: CaseVersion, what: &str) {
    match validate(value, version) {
        Checked::Valid(out) => eprintln!("{what}: {}", out.trim()),
        Checked::Invalid(out) => panic!("{what} is not valid CASE {}:\n{out}", version.label()),
        Checked::Skipped => {}
    }
}

/// The OpenSALT sample files, or none (with a note) where they are not installed.
fn case_samples() -> Vec<PathBuf> {
    let dir = std::env::var_os("CROSSWALK_CASE_SAMPLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/case-samples"));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "note: the CASE samples folder {} does not exist; skipped",
            dir.display()
        );
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// The project's sample frameworks: (file name, JSON).
fn sample_frameworks() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-frameworks");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .map(|p| {
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(&p).unwrap())
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        eprintln!("note: no sample frameworks in {}; skipped", dir.display());
    }
    files
}

/// Parses a package, or `None` (with a note) while the importer is not written yet.
fn parse(bytes: &[u8], name: &str) -> Option<Package> {
    match parse_package(bytes, name) {
        Ok(p) => Some(p),
        Err(e) if e.to_string().contains("not written yet") => {
            eprintln!("note: {e}; skipped");
            None
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

fn reparse(value: &Value, name: &str) -> Package {
    parse_package(&serde_json::to_vec(value).unwrap(), name)
        .unwrap_or_else(|e| panic!("the export of {name} does not read back: {e}"))
}

/// The identifier an export writes for `id` (itself when it is a valid UUID).
fn written(id: &str) -> String {
    case_identifier(id).into_owned()
}

/// What identifies a framework's tree: each item, with identifiers as an export writes
/// them, its parent's, its depth, code and statement.
fn tree(fw: &Framework) -> Vec<(String, Option<String>, u16, String, String)> {
    fw.items
        .iter()
        .map(|it| {
            (
                written(&it.identifier),
                it.parent.map(|p| written(&fw.items[p].identifier)),
                it.depth,
                it.code.clone(),
                it.statement.clone(),
            )
        })
        .collect()
}

fn end(item: &str, framework: &str, code: &str) -> LinkEnd {
    LinkEnd {
        item_identifier: item.into(),
        item_uri: format!("https://ex.org/items/{item}"),
        code: code.into(),
        statement: format!("Statement of {code}"),
        framework_identifier: framework.into(),
    }
}

fn info(identifier: &str) -> CrosswalkInfo {
    CrosswalkInfo {
        identifier: identifier.into(),
        title: "Community health worker crosswalk".into(),
        creator: "Riverbend workshop".into(),
        frameworks: vec![
            NodeRef {
                identifier: "edu".into(),
                uri: "https://ex.org/edu".into(),
                title: "CHW certificate".into(),
            },
            NodeRef {
                identifier: "emp".into(),
                uri: "https://ex.org/emp".into(),
                title: "CHW II role".into(),
            },
        ],
        last_change: time::macros::datetime!(2026-09-01 12:00:00 UTC),
    }
}

fn some_links() -> Vec<Link> {
    let t = time::macros::datetime!(2026-09-01 10:15:00 -05:00);
    let link = |id: &str, o: &str, d: &str, kind, strength, note: &str| Link {
        identifier: id.into(),
        origin: end(o, "edu", &format!("PLO.{o}")),
        destination: end(d, "emp", ""),
        association_type: kind,
        note: note.into(),
        strength,
        created: t,
        changed: t,
    };
    vec![
        link(
            "6b0c7e0e-8f52-4a4c-9d55-0e9e0d3c1a01",
            "1",
            "2",
            AssociationType::ExactMatchOf,
            Strength::Major,
            "taught in the practicum, \"hands on\"\nsecond line; évalué",
        ),
        link(
            "6b0c7e0e-8f52-4a4c-9d55-0e9e0d3c1a02",
            "3",
            "4",
            AssociationType::IsTranslationOf,
            Strength::Minor,
            "",
        ),
        link(
            "6b0c7e0e-8f52-4a4c-9d55-0e9e0d3c1a03",
            "5",
            "6",
            AssociationType::HasSkillLevel,
            Strength::Minor,
            "partly",
        ),
    ]
}

#[test]
fn crosswalk_export_is_valid_case_and_deterministic() {
    let links = some_links();
    let info = info("0f7c6a57-3c5b-4f0e-9d0e-6f4c7d3b2a10");
    for version in VERSIONS {
        let (v, warnings) = export_links_case_with_warnings(&info, &links, version);
        assert_valid(
            &v,
            version,
            &format!("crosswalk export, CASE {}", version.label()),
        );
        let again = serde_json::to_string(&export_links_case(&info, &links, version)).unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            again,
            "the same input gives the same bytes"
        );

        let doc = &v["CFDocument"];
        assert_eq!(doc["identifier"], info.identifier);
        assert_eq!(doc["uri"], format!("urn:uuid:{}", info.identifier));
        assert_eq!(doc["adoptionStatus"], "Draft");
        assert_eq!(doc["language"], "en");
        assert_eq!(doc["lastChangeDateTime"], "2026-09-01T12:00:00Z");
        let desc = doc["description"].as_str().unwrap();
        assert!(
            desc.contains("“CHW certificate” (edu) and “CHW II role” (emp)"),
            "{desc}"
        );
        assert_eq!(v["CFItems"], json!([]));

        let groupings = v["CFDefinitions"]["CFAssociationGroupings"]
            .as_array()
            .unwrap();
        assert_eq!(groupings.len(), 2);
        assert_eq!(
            groupings[0]["title"],
            "Community health worker crosswalk — major alignment"
        );
        assert_eq!(
            groupings[1]["title"],
            "Community health worker crosswalk — minor alignment"
        );
        let a = v["CFAssociations"].as_array().unwrap();
        assert_eq!(a.len(), 3);
        assert_eq!(a[0]["identifier"], links[0].identifier);
        assert_eq!(a[0]["lastChangeDateTime"], "2026-09-01T15:15:00Z");
        assert_eq!(
            a[0]["CFAssociationGroupingURI"]["identifier"],
            groupings[0]["identifier"]
        );
        assert_eq!(
            a[1]["CFAssociationGroupingURI"]["identifier"],
            groupings[1]["identifier"]
        );
        assert_eq!(
            a[0]["originNodeURI"],
            json!({"title": "PLO.1 Statement of PLO.1", "identifier": written("1"),
                   "uri": "https://ex.org/items/1"}),
            "code and statement; named as the framework export names the item"
        );
        assert_eq!(
            a[0]["destinationNodeURI"]["title"], "Statement of",
            "no code: the statement"
        );
        match version {
            CaseVersion::V1_0 => {
                assert_eq!(doc.get("caseVersion"), None);
                assert_eq!(
                    a[1]["associationType"], "isRelatedTo",
                    "1.0 has no isTranslationOf"
                );
                assert!(
                    a.iter()
                        .all(|a| a.get("notes").is_none() && a.get("extensions").is_none())
                );
                assert_eq!(
                    warnings,
                    [
                        "1 association(s) written as isTranslationOf -> isRelatedTo: CASE 1.0 has no such type"
                    ]
                );
            }
            CaseVersion::V1_1 => {
                assert_eq!(doc["caseVersion"], "1.1");
                assert_eq!(a[1]["associationType"], "isTranslationOf");
                assert_eq!(a[0]["notes"], links[0].note);
                assert_eq!(a[1].get("notes"), None);
                assert_eq!(
                    a[2]["extensions"],
                    json!({"alignmentStrength": "minor", "crosswalkStatus": "agreed"})
                );
                assert!(warnings.is_empty(), "{warnings:?}");
            }
        }
    }
    // The groupings' identifiers come from the crosswalk's: another crosswalk, other ones.
    let grouping_id = |id: &str| {
        export_links_case(&self::info(id), &links, CaseVersion::V1_0)["CFDefinitions"]["CFAssociationGroupings"][0]
            ["identifier"]
            .clone()
    };
    assert_eq!(
        grouping_id("0f7c6a57-3c5b-4f0e-9d0e-6f4c7d3b2a10"),
        grouping_id("0f7c6a57-3c5b-4f0e-9d0e-6f4c7d3b2a10")
    );
    assert_ne!(
        grouping_id("0f7c6a57-3c5b-4f0e-9d0e-6f4c7d3b2a10"),
        grouping_id("1f7c6a57-3c5b-4f0e-9d0e-6f4c7d3b2a10")
    );
}

#[test]
fn an_empty_crosswalk_is_valid_case() {
    for version in VERSIONS {
        let v = export_links_case(&info("0f7c6a57-3c5b-4f0e-9d0e-6f4c7d3b2a10"), &[], version);
        assert_valid(
            &v,
            version,
            &format!("empty crosswalk, CASE {}", version.label()),
        );
    }
}

/// A workshop holding the community health worker pair of sample frameworks.
fn workshop_with_chw_pair() -> Option<(Workshop, Framework, Framework)> {
    let mut ws = Workshop::open_in_memory().expect("workshop");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-frameworks");
    for (file, side) in [
        ("chw-certificate-outcomes.json", Side::Educator),
        ("chw-role-competencies.json", Side::Employer),
    ] {
        let bytes = std::fs::read(dir.join(file)).expect("sample framework");
        let pkg = parse(&bytes, file)?;
        ws.import_package(&pkg, Some(side)).expect("import");
    }
    let ids: Vec<i64> = ws.frameworks().unwrap().iter().map(|f| f.id).collect();
    let edu = ws.load_framework(ids[0]).unwrap();
    let emp = ws.load_framework(ids[1]).unwrap();
    Some((ws, edu, emp))
}

/// Links of every kind a workshop draws; returns what should come back.
fn draw_links(ws: &mut Workshop, edu: &Framework, emp: &Framework) -> Vec<Link> {
    let leaf = |fw: &Framework, n: usize| {
        let i = (0..fw.items.len())
            .filter(|&i| fw.is_leaf(i))
            .nth(n)
            .unwrap();
        fw.items[i].identifier.clone()
    };
    let drawn = [
        (
            AssociationType::ExactMatchOf,
            Strength::Major,
            "taught in the practicum, \"hands on\"\nsecond line",
        ),
        (AssociationType::IsRelatedTo, Strength::Minor, ""),
        (
            AssociationType::IsTranslationOf,
            Strength::Minor,
            "la même compétence",
        ),
        (AssociationType::IsPartOf, Strength::Major, "one part of it"),
    ];
    drawn
        .iter()
        .enumerate()
        .map(|(n, (kind, strength, note))| {
            ws.create_link(&NewLink {
                origin: leaf(edu, n),
                destination: leaf(emp, n + 1),
                association_type: Some(*kind),
                note: note.to_string(),
                strength: *strength,
                ..NewLink::default()
            })
            .expect("link")
        })
        .collect()
}

fn crosswalk_info(ws: &mut Workshop, edu: &Framework, emp: &Framework) -> CrosswalkInfo {
    let links = ws.links().unwrap();
    CrosswalkInfo {
        identifier: ws.crosswalk_identifier().unwrap(),
        title: "CHW crosswalk".into(),
        creator: "test".into(),
        frameworks: [edu, emp]
            .iter()
            .map(|f| NodeRef {
                identifier: f.identifier.clone(),
                uri: f.uri.clone(),
                title: f.title.clone(),
            })
            .collect(),
        last_change: links.iter().map(|l| l.changed).max().unwrap(),
    }
}

/// (identifier, origin, destination, type, strength, note) of each link, sorted.
fn link_facts(links: &[Link]) -> Vec<(String, String, String, AssociationType, Strength, String)> {
    let mut facts: Vec<_> = links
        .iter()
        .map(|l| {
            (
                l.identifier.clone(),
                l.origin.item_identifier.clone(),
                l.destination.item_identifier.clone(),
                l.association_type,
                l.strength,
                l.note.clone(),
            )
        })
        .collect();
    facts.sort_by(|a, b| a.0.cmp(&b.0));
    facts
}

fn round_trip(version: CaseVersion) {
    let Some((mut ws, edu, emp)) = workshop_with_chw_pair() else {
        return;
    };
    let drawn = draw_links(&mut ws, &edu, &emp);
    let info = crosswalk_info(&mut ws, &edu, &emp);
    let exported = export_links_case(&info, &ws.links().unwrap(), version);
    assert_valid(
        &exported,
        version,
        &format!("workshop crosswalk, CASE {}", version.label()),
    );
    let bytes = serde_json::to_vec_pretty(&exported).unwrap();

    for l in &drawn {
        ws.delete_link(&l.identifier).unwrap();
    }
    assert!(ws.links().unwrap().is_empty());
    let pkg = parse_package(&bytes, "crosswalk.json").expect("the export reads back");
    let report = ws.import_package(&pkg, None).expect("re-import");
    assert_eq!(report.links_added, drawn.len(), "{}", report.summary());

    let mut expected = drawn.clone();
    for l in &mut expected {
        if version == CaseVersion::V1_0 {
            l.note.clear(); // CASE 1.0 associations have no room for it
            if l.association_type == AssociationType::IsTranslationOf {
                l.association_type = AssociationType::IsRelatedTo;
            }
        }
    }
    assert_eq!(
        link_facts(&ws.links().unwrap()),
        link_facts(&expected),
        "CASE {} round trip",
        version.label()
    );

    // Importing the same file again changes nothing.
    let report = ws.import_package(&pkg, None).expect("re-import");
    assert_eq!(
        (
            report.links_added,
            report.links_updated,
            report.links_unchanged
        ),
        (0, 0, drawn.len())
    );
}

#[test]
fn links_round_trip_through_case_1_0() {
    round_trip(CaseVersion::V1_0);
}

#[test]
fn links_round_trip_through_case_1_1() {
    round_trip(CaseVersion::V1_1);
}

#[test]
fn links_export_as_csv_with_one_row_each() {
    let Some((mut ws, edu, emp)) = workshop_with_chw_pair() else {
        return;
    };
    let drawn = draw_links(&mut ws, &edu, &emp);
    let titles = [
        (edu.identifier.clone(), edu.title.clone()),
        (emp.identifier.clone(), emp.title.clone()),
    ]
    .into_iter()
    .collect();
    let mut out = Vec::new();
    let links = ws.session_links().unwrap();
    report::write_links_csv(&links, &[], &titles, CsvOptions { bom: false }, &mut out).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    assert_eq!(
        reader.headers().unwrap(),
        &csv::StringRecord::from(report::LINKS_CSV_HEADER.to_vec())
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), drawn.len());
    for l in &drawn {
        let row = rows
            .iter()
            .find(|r| r[0] == l.identifier)
            .expect("a row per link");
        assert_eq!(&row[1], "agreed", "no participants: every link is agreed");
        assert_eq!(&row[2], edu.title, "frameworks by title");
        assert_eq!(&row[3], l.origin.code);
        assert_eq!(&row[4], l.origin.statement);
        assert_eq!(&row[5], l.association_type.as_str());
        assert_eq!(&row[6], l.strength.as_str());
        assert_eq!(&row[7], emp.title);
        assert_eq!(&row[8], l.destination.code);
        assert_eq!(&row[9], l.destination.statement);
        assert_eq!(&row[10], l.note, "quotes and newlines survive");
        assert!(row[15].ends_with('Z') && row[16].ends_with('Z'));
    }
}

#[test]
fn case_samples_export_as_valid_case_and_read_back() {
    for path in case_samples() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(pkg) = parse(&std::fs::read(&path).unwrap(), &name) else {
            return;
        };
        for version in VERSIONS {
            let written = |id: &str| case_identifier_for(id, version).into_owned();
            let (v, warnings) = export_framework_with_warnings(&pkg, version);
            let what = format!("{name} exported as CASE {}", version.label());
            eprintln!("{what}: warnings {warnings:#?}");
            assert_valid(&v, version, &what);
            // Identifiers CASE refuses are written as UUIDs made from them, and said so.
            let refused: Vec<&str> = std::iter::once(&pkg.framework.identifier)
                .chain(pkg.framework.items.iter().map(|it| &it.identifier))
                .map(String::as_str)
                .filter(|id| written(id) != *id)
                .collect();
            for id in &refused {
                let mapping = format!("`{id}` as `{}`", written(id));
                assert!(
                    warnings.iter().any(|w| w.contains(&mapping)),
                    "{what}: {warnings:#?}"
                );
            }
            // Read back, the framework is the same.
            let back = reparse(&v, &name);
            assert_eq!(
                back.framework.identifier,
                written(&pkg.framework.identifier)
            );
            assert_eq!(back.framework.title, pkg.framework.title);
            assert_eq!(
                tree(&back.framework),
                tree(&pkg.framework),
                "{what}: the tree reads back the same"
            );
            let kept = |p: &Package| {
                p.associations
                    .iter()
                    .map(|a| written(&a.identifier))
                    .collect::<Vec<_>>()
            };
            let before = kept(&pkg);
            assert_eq!(
                kept(&back)[..before.len()],
                before[..],
                "{what}: every association kept, in order"
            );
            // Exported again, the same bytes: nothing drifts.
            assert_eq!(
                export_framework(&back, version),
                v,
                "{what}: a second export is the same"
            );
        }
    }
}

#[test]
fn sample_frameworks_export_as_valid_case_directly_and_from_the_store() {
    let files = sample_frameworks();
    let mut ws = Workshop::open_in_memory().unwrap();
    for (name, text) in &files {
        let Some(pkg) = parse(text.as_bytes(), name) else {
            return;
        };
        ws.import_package(&pkg, None).unwrap();
        let stored = ws.find_framework(&pkg.framework.identifier).unwrap();
        let loaded = ws.load_package(stored.id).unwrap();
        for version in VERSIONS {
            let (v, warnings) = export_framework_with_warnings(&pkg, version);
            assert_valid(&v, version, &format!("{name}, CASE {}", version.label()));
            assert!(warnings.is_empty(), "{name}: {warnings:#?}");
            // From the store only the raw JSON is kept; the export is the same.
            assert_eq!(
                export_framework(&loaded, version),
                v,
                "{name}: stored and parsed export alike"
            );
            let back = reparse(&v, name);
            assert_eq!(tree(&back.framework), tree(&pkg.framework), "{name}");
        }
        // The original file's fields all survive a 1.0 export (it was valid CASE 1.0).
        let original: Value = serde_json::from_str(text).unwrap();
        let exported = export_framework(&pkg, CaseVersion::V1_0);
        for (key, field) in original["CFDocument"].as_object().unwrap() {
            assert_eq!(
                &exported["CFDocument"][key], field,
                "{name}: CFDocument.{key}"
            );
        }
        for (a, b) in original["CFItems"]
            .as_array()
            .unwrap()
            .iter()
            .zip(exported["CFItems"].as_array().unwrap())
        {
            for (key, field) in a.as_object().unwrap() {
                assert_eq!(&b[key], field, "{name}: item field {key}");
            }
        }
    }
    // The samples built into the binary are the same files.
    assert_eq!(SAMPLE_FRAMEWORKS.len(), files.len());
}

/// A package as a spreadsheet import builds it: items in a tree, no associations, no raw.
fn spreadsheet_like() -> Package {
    let item = |id: &str, code: &str, depth: u16, parent: Option<usize>| Item {
        identifier: id.into(),
        uri: format!("urn:uuid:{id}"),
        code: code.into(),
        statement: format!("Outcome {code}"),
        item_type: if depth == 0 {
            "Domain".into()
        } else {
            "Learning Outcome".into()
        },
        keywords: vec!["one".into(), "two".into()],
        depth,
        parent,
        ..Item::default()
    };
    Package {
        framework: Framework {
            identifier: "3e4a2a5e-6a43-4d64-8e57-8f9d2c7a0b00".into(),
            uri: "urn:uuid:3e4a2a5e-6a43-4d64-8e57-8f9d2c7a0b00".into(),
            title: "From a spreadsheet".into(),
            creator: "A college".into(),
            items: vec![
                item("3e4a2a5e-6a43-4d64-8e57-8f9d2c7a0b01", "1", 0, None),
                item("3e4a2a5e-6a43-4d64-8e57-8f9d2c7a0b02", "1.1", 1, Some(0)),
                item("3e4a2a5e-6a43-4d64-8e57-8f9d2c7a0b03", "1.1.1", 2, Some(1)),
                item("3e4a2a5e-6a43-4d64-8e57-8f9d2c7a0b04", "1.2", 1, Some(0)),
                item("3e4a2a5e-6a43-4d64-8e57-8f9d2c7a0b05", "2", 0, None),
            ],
            ..Framework::default()
        },
        ..Package::default()
    }
}

#[test]
fn a_framework_without_associations_exports_its_tree() {
    let pkg = spreadsheet_like();
    for version in VERSIONS {
        let (v, warnings) = export_framework_with_warnings(&pkg, version);
        assert_valid(
            &v,
            version,
            &format!("spreadsheet-like framework, CASE {}", version.label()),
        );
        assert!(
            warnings.iter().any(|w| w.contains("wrote 5 isChildOf")),
            "{warnings:#?}"
        );
        let a = v["CFAssociations"].as_array().unwrap();
        assert_eq!(a.len(), 5);
        assert!(a.iter().all(|a| a["associationType"] == "isChildOf"));
        let seq: Vec<i64> = a
            .iter()
            .map(|a| a["sequenceNumber"].as_i64().unwrap())
            .collect();
        assert_eq!(seq, [1, 1, 1, 2, 2]);
        assert_eq!(
            v,
            export_framework(&pkg, version),
            "stable identifiers: the same export twice"
        );
        let back = reparse(&v, "spreadsheet");
        assert_eq!(tree(&back.framework), tree(&pkg.framework));
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    }
    // A real spreadsheet, when the CSV importer reads it.
    let csv = case_samples()
        .first()
        .map(|p| p.with_file_name("opensalt-sample-import.csv"));
    if let Some(csv) = csv.filter(|p| p.exists()) {
        match case::parse_csv(&std::fs::read(&csv).unwrap(), "opensalt-sample-import.csv") {
            Ok(pkg) => {
                for version in VERSIONS {
                    let (v, warnings) = export_framework_with_warnings(&pkg, version);
                    let what = format!("opensalt-sample-import.csv, CASE {}", version.label());
                    assert_valid(&v, version, &what);
                    assert!(
                        warnings.iter().any(|w| w.contains("`Math.Fractions` as `")),
                        "{what}: {warnings:#?}"
                    );
                    assert_eq!(tree(&reparse(&v, "csv").framework), tree(&pkg.framework));
                }
            }
            Err(e) => eprintln!("note: {e}; the CSV export check is skipped"),
        }
    }
}

#[test]
fn real_world_quirks_are_made_valid() {
    // What real exports write: CFPackageURI, CFDocumentURI, times without a zone, a
    // date-time for a date, OpenSALT's educationalLevel, keywords as one string, a
    // sequence number as text, LinkURIs as bare strings, nulls, an unknown type.
    let doc = "9a3b9c1e-1c2d-4e5f-8a9b-000000000000";
    let item = |n: u32| format!("9a3b9c1e-1c2d-4e5f-8a9b-00000000000{n}");
    let package = json!({
        "CFDocument": {
            "identifier": doc, "uri": format!("https://ex.org/{doc}"), "title": "Quirky", "creator": "Someone",
            "CFPackageURI": format!("https://ex.org/pkg/{doc}"), "lastChangeDateTime": "2017-05-25T18:05:33",
            "statusStartDate": "2017-05-25T00:00:00", "subject": "Math", "licenseURI": "https://ex.org/lic/9a3b9c1e-1c2d-4e5f-8a9b-0000000000aa",
            "description": null, "caseVersion": "1.1", "frameworkType": "CourseCodes"
        },
        "CFItems": [
            {"identifier": item(1), "fullStatement": "First", "humanCodingScheme": "Q.1", "CFDocumentURI": {"uri": "x"},
             "educationalLevel": "06", "conceptKeywords": "a, b", "lastChangeDateTime": "2017-05-25 18:05:33",
             "CFItemAssociationURI": "https://ex.org/x", "notes": 12},
            {"identifier": item(2), "fullStatement": "Second", "humanCodingScheme": "Q.1.1"},
        ],
        "CFAssociations": [
            {"identifier": "9a3b9c1e-1c2d-4e5f-8a9b-0000000000a1", "associationType": "IsChildOf",
             "originNodeURI": format!("https://ex.org/{}", item(1)), "destinationNodeURI": {"identifier": doc},
             "sequenceNumber": "1", "CFDocumentURI": "x"},
            {"identifier": "9a3b9c1e-1c2d-4e5f-8a9b-0000000000a2", "associationType": "isChildOf",
             "originNodeURI": {"identifier": item(2), "uri": format!("https://ex.org/{}", item(2)), "title": "Q.1.1"},
             "destinationNodeURI": {"identifier": item(1), "uri": format!("https://ex.org/{}", item(1)), "title": "Q.1"},
             "lastChangeDateTime": "2017-05-25T18:05:33"},
            {"identifier": "9a3b9c1e-1c2d-4e5f-8a9b-0000000000a3", "associationType": "ext:hasCourse",
             "originNodeURI": {"identifier": item(2), "uri": format!("https://ex.org/{}", item(2)), "title": "Q.1.1"},
             "destinationNodeURI": {"identifier": "course-101", "uri": "https://college.example/courses/101", "title": "Course 101"},
             "lastChangeDateTime": "2017-05-25T18:05:33Z", "notes": "from the catalogue"},
        ],
        "CFDefinitions": {
            "CFItemTypes": [{"identifier": "9a3b9c1e-1c2d-4e5f-8a9b-0000000000b1", "uri": "https://ex.org/t", "title": "Outcome",
                             "description": null, "hierarchyCode": "1", "typeCode": "Outcome", "lastChangeDateTime": "2017-02-14T20:34:39"}],
            "CFConcepts": [], "CFSubjects": [], "CFLicenses": [], "CFAssociationGroupings": []
        }
    });
    let pkg = parse_package(package.to_string().as_bytes(), "quirky.json").expect("parse");
    for version in VERSIONS {
        let (v, warnings) = export_framework_with_warnings(&pkg, version);
        assert_valid(
            &v,
            version,
            &format!("quirky package, CASE {}", version.label()),
        );
        let d = &v["CFDocument"];
        assert_eq!(d.get("CFPackageURI"), None);
        assert_eq!(d["lastChangeDateTime"], "2017-05-25T18:05:33Z");
        assert_eq!(d["statusStartDate"], "2017-05-25");
        assert_eq!(d["subject"], json!(["Math"]));
        assert_eq!(
            d["licenseURI"]["identifier"],
            "9a3b9c1e-1c2d-4e5f-8a9b-0000000000aa"
        );
        let first = &v["CFItems"][0];
        assert_eq!(first["educationLevel"], json!(["06"]));
        assert_eq!(first["conceptKeywords"], json!(["a", "b"]));
        assert_eq!(first["notes"], "12");
        assert_eq!(first["lastChangeDateTime"], "2017-05-25T18:05:33Z");
        assert_eq!(
            v["CFItems"][1]["lastChangeDateTime"], "2017-05-25T18:05:33Z",
            "the document's time"
        );
        let a = &v["CFAssociations"];
        assert_eq!(a[0]["associationType"], "isChildOf");
        assert_eq!(a[0]["sequenceNumber"], 1);
        assert_eq!(a[0]["originNodeURI"]["title"], "Q.1");
        assert_eq!(a[0]["destinationNodeURI"]["title"], "Quirky");
        assert_eq!(v["CFDefinitions"]["CFItemTypes"][0]["description"], "");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("CFDocument.CFPackageURI (1)")),
            "{warnings:#?}"
        );
        assert!(
            warnings.iter().any(|w| w.contains("had no time zone")),
            "{warnings:#?}"
        );
        match version {
            CaseVersion::V1_0 => {
                assert_eq!(d.get("caseVersion"), None);
                assert_eq!(d.get("frameworkType"), None);
                assert_eq!(a[2]["associationType"], "isRelatedTo");
                assert_eq!(a[2].get("notes"), None);
                assert!(
                    warnings
                        .iter()
                        .any(|w| w.contains("ext:hasCourse -> isRelatedTo")),
                    "{warnings:#?}"
                );
            }
            CaseVersion::V1_1 => {
                assert_eq!(d["caseVersion"], "1.1");
                assert_eq!(d["frameworkType"], "CourseCodes");
                assert_eq!(a[2]["associationType"], "ext:hasCourse");
                assert_eq!(a[2]["notes"], "from the catalogue");
            }
        }
        let back = reparse(&v, "quirky");
        assert_eq!(tree(&back.framework), tree(&pkg.framework));
    }
}

#[test]
fn twenty_thousand_links_export_each_once() {
    let t = time::macros::datetime!(2026-09-01 10:15:00 UTC);
    let links: Vec<Link> = (0..20_000)
        .map(|n| Link {
            identifier: uuid::Uuid::new_v5(
                &uuid::Uuid::NAMESPACE_OID,
                format!("link {n}").as_bytes(),
            )
            .to_string(),
            origin: end(&format!("edu-{n}"), "edu", &format!("EDU.{n}")),
            destination: end(&format!("emp-{n}"), "emp", &format!("EMP.{n}")),
            association_type: AssociationType::ALL[n % 10],
            note: if n % 3 == 0 {
                format!("note {n}, with \"quotes\"")
            } else {
                String::new()
            },
            strength: if n % 2 == 0 {
                Strength::Major
            } else {
                Strength::Minor
            },
            created: t,
            changed: t,
        })
        .collect();
    // Speed is measured by `cargo bench --bench import_export`; here, only that nothing is lost.
    let info = info("0f7c6a57-3c5b-4f0e-9d0e-6f4c7d3b2a10");
    for version in VERSIONS {
        let v = export_links_case(&info, &links, version);
        let written = v["CFAssociations"].as_array().unwrap();
        assert_eq!(written.len(), links.len());
        let ids: std::collections::HashSet<_> = written
            .iter()
            .map(|a| a["identifier"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids.len(),
            links.len(),
            "every link keeps its own identifier"
        );
    }
    let mut out = Vec::new();
    let session: Vec<_> = links
        .iter()
        .map(|l| crosswalk::model::SessionLink {
            link: l.clone(),
            status: crosswalk::model::LinkStatus::Agreed,
            provenance: Default::default(),
            ballots: Vec::new(),
        })
        .collect();
    let options = CsvOptions { bom: false };
    report::write_links_csv(&session, &[], &Default::default(), options, &mut out).unwrap();
    assert_eq!(
        csv::Reader::from_reader(out.as_slice()).records().count(),
        links.len()
    );
}

#[test]
fn link_identifiers_case_refuses_are_made_uuids_and_ends_kept() {
    let mut links = some_links();
    links.truncate(1);
    links[0].identifier = "a0000000-0000-0000-0000-000000000001".into();
    for version in VERSIONS {
        let (v, warnings) = export_links_case_with_warnings(
            &info("0f7c6a57-3c5b-4f0e-9d0e-6f4c7d3b2a10"),
            &links,
            version,
        );
        assert_valid(
            &v,
            version,
            &format!("imported link, CASE {}", version.label()),
        );
        let a = &v["CFAssociations"][0];
        // Both versions get a UUID made from it (the 1.1 REST definition asks what 1.0 asks).
        let id = case_identifier_for("a0000000-0000-0000-0000-000000000001", version).into_owned();
        assert_eq!(a["identifier"], id);
        assert_eq!(a["uri"], format!("urn:uuid:{id}"));
        assert_eq!(
            a["originNodeURI"]["identifier"],
            case_identifier_for("1", version).as_ref(),
            "ends as the framework's own export names them"
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("`a0000000-0000-0000-0000-000000000001` as `")),
            "{warnings:#?}"
        );
    }
}

/// What `crosswalk export --framework` wrote when it built the whole package first: the
/// value, pretty, every control character escaped, a final newline.
fn value_bytes(v: &Value) -> Vec<u8> {
    let text = serde_json::to_string_pretty(v).unwrap();
    let mut bytes = crosswalk::text::escape_json_controls(&text)
        .into_owned()
        .into_bytes();
    bytes.push(b'\n');
    bytes
}

/// Every real package, the OpenSALT spreadsheet, the sample frameworks, and a framework
/// built from a tree whose text holds controls JSON must escape.
fn export_cases() -> Vec<(String, Package)> {
    let mut cases = Vec::new();
    for path in case_samples() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(pkg) = parse(&std::fs::read(&path).unwrap(), &name) {
            cases.push((name, pkg));
        }
    }
    let csv = case_samples()
        .first()
        .map(|p| p.with_file_name("opensalt-sample-import.csv"));
    if let Some(csv) = csv.filter(|p| p.exists()) {
        let pkg = case::parse_csv(&std::fs::read(&csv).unwrap(), "opensalt-sample-import.csv")
            .expect("the OpenSALT CSV sample imports");
        cases.push(("opensalt-sample-import.csv".into(), pkg));
    }
    for (name, text) in sample_frameworks() {
        if let Some(pkg) = parse(text.as_bytes(), &name) {
            cases.push((name, pkg));
        }
    }
    let mut odd = spreadsheet_like();
    odd.framework.items[1].statement = "DEL \u{7f} CSI \u{9b} RLO \u{202e} é 🧰 \"q\" \\".into();
    odd.framework.items[2].code = "ISOLATE \u{2066}x\u{2069}".into();
    cases.push(("a tree with control characters".into(), odd));
    cases
}

#[test]
fn a_framework_written_as_it_is_read_is_the_whole_value_byte_for_byte() {
    let cases = export_cases();
    assert!(
        cases.iter().any(|(_, p)| p.associations.is_empty())
            && cases.iter().any(|(_, p)| !p.associations.is_empty()),
        "both kinds: a tree only, and a package with its associations"
    );
    for (name, pkg) in &cases {
        let mut ws = Workshop::open_in_memory().unwrap();
        ws.import_package(pkg, None).unwrap();
        let id = ws.find_framework(&pkg.framework.identifier).unwrap().id;
        let loaded = ws.load_package(id).unwrap();
        for version in VERSIONS {
            let what = format!("{name}, CASE {}", version.label());
            let (v, warnings) = export_framework_with_warnings(pkg, version);
            let mut from_memory = Vec::new();
            let streamed = case::write_framework(pkg, version, &mut from_memory).unwrap();
            assert_eq!(
                String::from_utf8(from_memory).unwrap(),
                String::from_utf8(value_bytes(&v)).unwrap(),
                "{what}: from memory"
            );
            assert_eq!(streamed, warnings, "{what}: the same warnings");

            let stored = ws.stored_framework(id).unwrap();
            let mut from_store = Vec::new();
            let streamed = ws
                .snapshot(|_| Ok(case::write_framework(&stored, version, &mut from_store)))
                .unwrap()
                .unwrap();
            let (v, warnings) = export_framework_with_warnings(&loaded, version);
            assert_eq!(
                String::from_utf8(from_store).unwrap(),
                String::from_utf8(value_bytes(&v)).unwrap(),
                "{what}: from the workshop's rows"
            );
            assert_eq!(
                streamed, warnings,
                "{what}: the same warnings from the store"
            );
        }
    }
    let (_, odd) = cases.last().unwrap();
    let mut bytes = Vec::new();
    case::write_framework(odd, CaseVersion::V1_1, &mut bytes).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    for escaped in [r"\u007f", r"\u009b", r"\u202e", r"\u2066", r"\u2069"] {
        assert!(text.contains(escaped), "{escaped} written escaped");
    }
    assert!(text.contains("é 🧰"), "other text as it is");
}

#[test]
fn a_failed_read_or_write_mid_way_is_an_error() {
    let pkg = spreadsheet_like();
    /// Takes `room` bytes, then fails like a full disk.
    struct Full(usize);
    impl std::io::Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.0 < buf.len() {
                return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
            }
            self.0 -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let err = case::write_framework(&pkg, CaseVersion::V1_1, Full(100)).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::StorageFull, "{err}");
}

#[test]
fn a_million_items_as_crosswalk_writes_them_are_within_what_it_imports() {
    // The bytes an item takes in an export, at the most, among the real packages and the
    // sample frameworks (items and their associations: the whole file over its items).
    let mut most = 0.0_f64;
    for (name, pkg) in export_cases() {
        let items = pkg.framework.items.len();
        if items < 10 {
            continue;
        }
        let mut bytes = Vec::new();
        case::write_framework(&pkg, CaseVersion::V1_1, &mut bytes).unwrap();
        let per_item = bytes.len() as f64 / items as f64;
        eprintln!("{name}: {items} items, {per_item:.0} bytes an item");
        most = most.max(per_item);
    }
    if most == 0.0 {
        return;
    }
    assert!(
        most * 1_000_000.0 < case::MAX_INPUT_BYTES as f64,
        "a million items of {most:.0} bytes each would be refused on import (limit {} bytes)",
        case::MAX_INPUT_BYTES
    );
}
