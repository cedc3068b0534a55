//! OpenSALT's workbook both ways, and the crosswalk's review workbook: files written here
//! as OpenSALT's `ExcelExport` writes them, the real samples taken through a workbook,
//! and the review sheet read back with calamine.
use calamine::{Data, Reader, Xlsx};
use crosswalk::case::{
    self, CsvOptions, ParseOptions, ReviewRow, TextSheet, export_review_workbook, export_workbook,
    parse_packages, parse_workbook,
};
use crosswalk::model::Side;
use crosswalk::store::{ImportOptions, Workshop};
use rust_xlsxwriter::Workbook;
use serde_json::Value;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// A workbook laid out as OpenSALT exports one.
fn opensalt_workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let doc = book.add_worksheet();
    doc.set_name("CF Doc").unwrap();
    let doc_rows = [
        [
            "identifier",
            "creator",
            "title",
            "lastChangeDate",
            "officialSourceURL",
            "publisher",
            "description",
            "subject",
            "language",
            "version",
            "adoptionStatus",
            "statusStartDate",
            "statusEndDate",
            "licenseTitle",
            "licenseText",
            "notes",
        ],
        [
            "6f0a1c52-3d4e-4f5a-8b6c-7d8e9f0a1b2c",
            "State Board",
            "Welding Technology",
            "2024-02-03T04:05:06+00:00",
            "https://board.example/welding",
            "State Board",
            "Program outcomes",
            "Welding|Manufacturing",
            "en",
            "2.1",
            "Adopted",
            "2024-01-01",
            "",
            "CC BY 4.0",
            "Creative Commons Attribution 4.0",
            "draft for review",
        ],
    ];
    for (r, row) in doc_rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            doc.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    let items = book.add_worksheet();
    items.set_name("CF Item").unwrap();
    let item_rows: [[&str; 12]; 5] = [
        [
            "identifier",
            "fullStatement",
            "humanCodingScheme",
            "smartLevel",
            "listEnumeration",
            "abbreviatedStatement",
            "conceptKeywords",
            "notes",
            "language",
            "educationLevel",
            "CFItemType",
            "license",
        ],
        [
            "7a1b2c3d-0000-4000-8000-000000000001",
            "Safety",
            "W.1",
            "1",
            "",
            "Safety",
            "",
            "",
            "en",
            "",
            "Domain",
            "",
        ],
        [
            "7a1b2c3d-0000-4000-8000-000000000002",
            "  Wear PPE in the\nwelding bay ",
            "W.1.1",
            "1.1",
            "a",
            "",
            "PPE, safety",
            "taught in week 1",
            "en",
            "13,14",
            "Outcome",
            "CC BY 4.0",
        ],
        [
            "7a1b2c3d-0000-4000-8000-000000000003",
            "Processes",
            "W.2",
            "2",
            "",
            "",
            "",
            "",
            "",
            "",
            "Domain",
            "",
        ],
        [
            "7a1b2c3d-0000-4000-8000-000000000004",
            "Run a MIG weld",
            "W.2.1",
            "2.1",
            "",
            "",
            "",
            "",
            "",
            "",
            "Outcome",
            "",
        ],
    ];
    for (r, row) in item_rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                items.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    let assoc = book.add_worksheet();
    assoc.set_name("CF Association").unwrap();
    let assoc_rows: [[&str; 10]; 3] = [
        [
            "identifier",
            "originNodeURI",
            "originNodeIdentifier",
            "originNodeHumanCodingScheme",
            "associationType",
            "destinationNodeURI",
            "destinationNodeIdentifier",
            "destinationNodeHumanCodingScheme",
            "associationGroupIdentifier",
            "associationGroupName",
        ],
        // The tree: skipped, as OpenSALT skips it (smartLevel places the items).
        [
            "9b000000-0000-4000-8000-000000000001",
            "",
            "7a1b2c3d-0000-4000-8000-000000000002",
            "W.1.1",
            "isChildOf",
            "",
            "7a1b2c3d-0000-4000-8000-000000000001",
            "W.1",
            "",
            "",
        ],
        [
            "9b000000-0000-4000-8000-000000000002",
            "",
            "7a1b2c3d-0000-4000-8000-000000000004",
            "W.2.1",
            "exactMatchOf",
            "https://aws.example/standards/B2.1",
            "B2.1",
            "B2.1",
            "4c000000-0000-4000-8000-000000000001",
            "AWS alignment",
        ],
    ];
    for (r, row) in assoc_rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                assoc.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn an_opensalt_workbook_reads_with_its_tree_fields_and_associations() {
    let p = parse_workbook(&opensalt_workbook(), "welding.xlsx", &CsvOptions::default()).unwrap();
    let fw = &p.framework;
    assert_eq!(fw.identifier, "6f0a1c52-3d4e-4f5a-8b6c-7d8e9f0a1b2c");
    assert_eq!(
        (fw.title.as_str(), fw.creator.as_str()),
        ("Welding Technology", "State Board")
    );
    let shape: Vec<(&str, u16)> = fw
        .items
        .iter()
        .map(|i| (i.code.as_str(), i.depth))
        .collect();
    assert_eq!(shape, [("W.1", 0), ("W.1.1", 1), ("W.2", 0), ("W.2.1", 1)]);
    assert_eq!(fw.items[1].statement, "  Wear PPE in the\nwelding bay ");
    assert_eq!(fw.items[1].keywords, ["PPE", "safety"]);
    assert_eq!(fw.items[1].list_enumeration, "a");
    let raw: Value = serde_json::from_str(fw.items[1].raw.as_deref().unwrap()).unwrap();
    assert_eq!(raw["notes"], "taught in week 1");
    assert_eq!(raw["educationLevel"], serde_json::json!(["13", "14"]));
    let doc: Value = serde_json::from_str(fw.raw.as_deref().unwrap()).unwrap();
    assert_eq!(
        doc["subject"],
        serde_json::json!(["Welding", "Manufacturing"])
    );
    assert_eq!(doc["licenseURI"]["title"], "CC BY 4.0");
    assert_eq!(doc["lastChangeDateTime"], "2024-02-03T04:05:06+00:00");
    let others: Vec<(&str, &str, &str)> = p
        .associations
        .iter()
        .filter(|a| a.association_type != "isChildOf")
        .map(|a| {
            (
                a.identifier.as_str(),
                a.destination.uri.as_str(),
                a.grouping.as_ref().unwrap().title.as_str(),
            )
        })
        .collect();
    assert_eq!(
        others,
        [(
            "9b000000-0000-4000-8000-000000000002",
            "https://aws.example/standards/B2.1",
            "AWS alignment"
        )]
    );
    // The CASE export of it is valid and carries what the workbook said.
    let v = case::export_framework(&p, case::CaseVersion::V1_1);
    assert_eq!(v["CFDocument"]["publisher"], "State Board");
    assert_eq!(
        v["CFDefinitions"]["CFLicenses"][0]["licenseText"],
        "Creative Commons Attribution 4.0"
    );
}

#[test]
fn a_workbook_without_the_item_sheet_or_not_a_workbook_is_refused_clearly() {
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Sheet1").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let e = parse_workbook(&bytes, "x.xlsx", &CsvOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("x.xlsx: no `CF Item` sheet") && e.contains("`Sheet1`"),
        "{e}"
    );
    let e = parse_workbook(b"not a zip", "y.xlsx", &CsvOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("y.xlsx: not an Excel workbook (.xlsx)"),
        "{e}"
    );
    // A row without a statement is named by its row.
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.set_name("CF Item").unwrap();
    s.write_string(0, 0, "identifier").unwrap();
    s.write_string(0, 1, "fullStatement").unwrap();
    s.write_string(1, 0, "a").unwrap();
    s.write_string(1, 1, "fine").unwrap();
    s.write_string(2, 0, "b").unwrap();
    let e = parse_workbook(
        &book.save_to_buffer().unwrap(),
        "z.xlsx",
        &CsvOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("z.xlsx [CF Item]: line 3, column 2"), "{e}");
}

fn import(ws: &mut Workshop, pkg: &case::Package) -> crosswalk::store::ImportReport {
    ws.import_package_with(
        pkg,
        &ImportOptions {
            side: Some(Side::Employer),
            ..ImportOptions::default()
        },
    )
    .unwrap()
}

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/case-samples");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("note: {} absent; skipped", dir.display());
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_workbook_round_trips_ours_and_real_frameworks() {
    let mut sources: Vec<(String, case::Package)> = vec![(
        "opensalt layout".into(),
        parse_workbook(&opensalt_workbook(), "welding.xlsx", &CsvOptions::default()).unwrap(),
    )];
    for path in samples() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        sources.push((
            name.clone(),
            parse_packages(&bytes, &name, ParseOptions::default())
                .unwrap()
                .remove(0),
        ));
    }
    for (name, pkg) in sources {
        let mut ws = Workshop::open_in_memory().unwrap();
        import(&mut ws, &pkg);
        let id = ws.frameworks().unwrap()[0].id;
        let first = export_workbook(&ws.load_package(id).unwrap()).unwrap();
        let back = parse_workbook(&first, "first.xlsx", &CsvOptions::default()).unwrap();
        // The tree, codes and statements come back as they were.
        let tree = |p: &case::Package| -> Vec<(String, String, u16, String)> {
            p.framework
                .items
                .iter()
                .map(|i| {
                    (
                        i.identifier.clone(),
                        i.code.clone(),
                        i.depth,
                        i.statement.clone(),
                    )
                })
                .collect()
        };
        let stored = ws.load_package(id).unwrap();
        assert_eq!(tree(&back), tree(&stored), "{name}");
        assert_eq!(
            back.framework.identifier, stored.framework.identifier,
            "{name}"
        );
        // Through a workshop and out again: nothing changes, the same bytes.
        let mut other = Workshop::open_in_memory().unwrap();
        import(&mut other, &back);
        let oid = other.frameworks().unwrap()[0].id;
        let second = export_workbook(&other.load_package(oid).unwrap()).unwrap();
        let again = parse_workbook(&second, "second.xlsx", &CsvOptions::default()).unwrap();
        let report = import(&mut other, &again);
        assert_eq!(
            (
                report.added.len(),
                report.changed.len(),
                report.removed.len()
            ),
            (0, 0, 0),
            "{name}: {report:?}"
        );
        let third = export_workbook(&other.load_package(oid).unwrap()).unwrap();
        assert!(second == third, "{name}: the workbook export is not stable");
    }
}

fn read_sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Empty => String::new(),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_review_workbook_has_one_row_per_link_with_both_statements() {
    let rows = vec![ReviewRow {
        origin_framework: "Program".into(),
        origin_code: "P.1".into(),
        origin_statement: "=HYPERLINK(\"http://x\")".into(),
        association_type: "exactMatchOf".into(),
        strength: "major".into(),
        destination_framework: "Role".into(),
        destination_code: "R.1".into(),
        destination_statement: "Welds".into(),
        status: "disputed".into(),
        accepts: 1,
        disputes: 1,
        rejects: 0,
        votes: "Ana (faculty): accept; Sam (employer-sme): dispute".into(),
        note: "practicum".into(),
        comments: "Sam: not the same process".into(),
        link_identifier: "l1".into(),
    }];
    let coverage = TextSheet {
        name: "Coverage (outcomes)".into(),
        rows: vec![
            vec!["code".into(), "percent".into()],
            vec!["P.1".into(), "100.0".into()],
        ],
    };
    let bytes = export_review_workbook("Review", &rows, &[coverage]).unwrap();
    assert_eq!(
        read_sheet(&bytes, "Coverage (outcomes)")[1],
        ["P.1", "100.0"]
    );
    let sheet = read_sheet(&bytes, "Links");
    assert_eq!(sheet.len(), 2);
    assert_eq!(sheet[0][0], "origin framework");
    assert_eq!(sheet[0][15], "link identifier");
    assert_eq!(
        sheet[1][2], "=HYPERLINK(\"http://x\")",
        "text, not a formula"
    );
    assert_eq!(
        (
            sheet[1][8].as_str(),
            sheet[1][9].as_str(),
            sheet[1][10].as_str()
        ),
        ("disputed", "1", "1")
    );
    assert_eq!(
        sheet[1][12],
        "Ana (faculty): accept; Sam (employer-sme): dispute"
    );
}

#[test]
fn a_statement_too_long_for_a_cell_is_refused_naming_the_item() {
    let mut pkg = parse_workbook(&opensalt_workbook(), "w.xlsx", &CsvOptions::default()).unwrap();
    pkg.framework.items[2].statement = "x".repeat(40_000);
    let e = export_workbook(&pkg).unwrap_err();
    assert!(
        e.starts_with(
            "item `7a1b2c3d-0000-4000-8000-000000000003` (W.2): a text of 40000 characters"
        ),
        "{e}"
    );
}
