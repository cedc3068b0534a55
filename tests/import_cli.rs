//! `crosswalk import` end to end: the real binary on real files and on files written to
//! have each problem real files have.
mod common;
use common::{crosswalk, fails, ok, shared};
use std::path::{Path, PathBuf};

/// A fresh workshop file with no sample frameworks: created by importing nothing.
fn empty_workshop(dir: &Path) -> PathBuf {
    let db = dir.join("w.sqlite");
    // Opening a file that exists skips the seeding.
    std::fs::write(&db, b"").unwrap();
    db
}

#[test]
fn an_array_of_real_packages_imports_in_one_go_and_is_in_the_history() {
    let (Some(a), Some(b)) = (
        shared("case-samples/Ordering.json"),
        shared("case-samples/Utf8TestFramework.json"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = empty_workshop(dir.path());
    let array = format!(
        "[{}, {}]",
        std::fs::read_to_string(a).unwrap(),
        std::fs::read_to_string(b).unwrap()
    );
    let file = dir.path().join("both.json");
    std::fs::write(&file, array).unwrap();
    let out = ok(&crosswalk(&db, &["import", file.to_str().unwrap()]));
    assert!(
        out.contains("imported \"ACT Holistic Framework, Math\"")
            && out.contains("imported \"UTF8 𝑑 Test\""),
        "{out}"
    );
    let listed = ok(&crosswalk(&db, &["frameworks"]));
    assert_eq!(
        listed.lines().filter(|l| l.contains("items")).count(),
        2,
        "{listed}"
    );
    let log = ok(&crosswalk(&db, &["history"]));
    assert_eq!(log.matches("framework imported").count(), 2, "{log}");
    assert!(log.contains("added: 28"), "{log}");
}

#[test]
fn a_1_0_export_re_imports_onto_the_same_framework_with_nothing_changed() {
    let Some(sample) = shared("case-samples/Utf8TestFramework.json") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = empty_workshop(dir.path());
    ok(&crosswalk(&db, &["import", sample.to_str().unwrap()]));
    for version in ["1.0", "1.1"] {
        let out = dir.path().join(format!("out-{version}.json"));
        ok(&crosswalk(
            &db,
            &[
                "export",
                "--framework",
                "UTF8 𝑑 Test",
                "--case-version",
                version,
                "-o",
                out.to_str().unwrap(),
            ],
        ));
        let report = ok(&crosswalk(&db, &["import", out.to_str().unwrap()]));
        assert!(
            report.starts_with("updated \"UTF8 𝑑 Test\" (d0000000-0000-0000-0000-000000000000, educator): 0 added, 0 changed, 0 removed, 1 unchanged"),
            "{version}: {report}"
        );
    }
}

#[test]
fn duplicates_warn_unless_strict_and_another_document_needs_replace() {
    let dir = tempfile::tempdir().unwrap();
    let db = empty_workshop(dir.path());
    let file = dir.path().join("dup.json");
    let package = |title: &str, uri: &str| {
        serde_json::json!({
            "CFDocument": {"identifier": "b1f0c2a4-0000-4000-8000-000000000001", "title": title, "uri": uri},
            "CFItems": [
                {"identifier": "i1", "fullStatement": "First"},
                {"identifier": "i1", "fullStatement": "Second under the same identifier"}
            ]
        })
        .to_string()
    };
    std::fs::write(&file, package("Doc", "https://a.example/doc")).unwrap();
    let err = fails(&crosswalk(
        &db,
        &["import", "--strict", file.to_str().unwrap()],
    ));
    assert!(err.contains("refused with --strict"), "{err}");
    let out = ok(&crosswalk(&db, &["import", file.to_str().unwrap()]));
    assert!(
        out.contains("1 added")
            && out.contains("warning: 1 item(s) repeat the identifier of an earlier item"),
        "{out}"
    );
    std::fs::write(&file, package("Other", "https://b.example/doc")).unwrap();
    let err = fails(&crosswalk(&db, &["import", file.to_str().unwrap()]));
    assert!(
        err.contains("is another document") && err.contains("--replace"),
        "{err}"
    );
    let out = ok(&crosswalk(
        &db,
        &["import", "--replace", file.to_str().unwrap()],
    ));
    assert!(out.starts_with("updated \"Other\""), "{out}");
}

#[test]
fn a_csv_framework_gets_its_creator_title_and_import_time() {
    let Some(sample) = shared("case-samples/opensalt-sample-import.csv") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = empty_workshop(dir.path());
    ok(&crosswalk(
        &db,
        &[
            "import",
            sample.to_str().unwrap(),
            "--title",
            "Math sample",
            "--creator",
            "OpenSALT",
        ],
    ));
    let out = dir.path().join("math.json");
    ok(&crosswalk(
        &db,
        &[
            "export",
            "--framework",
            "Math sample",
            "-o",
            out.to_str().unwrap(),
        ],
    ));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let doc = &v["CFDocument"];
    assert_eq!(
        (doc["title"].as_str(), doc["creator"].as_str()),
        (Some("Math sample"), Some("OpenSALT"))
    );
    let time = doc["lastChangeDateTime"].as_str().unwrap();
    assert!(!time.starts_with("1970"), "{time}");
    // The notes column came along.
    assert!(
        v["CFItems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["notes"] == "More Testing"),
        "{v:#}"
    );
}

#[test]
fn a_framework_goes_out_and_back_in_as_an_opensalt_workbook() {
    let Some(sample) = shared("case-samples/opensalt-sample-framework.json") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = empty_workshop(dir.path());
    ok(&crosswalk(
        &db,
        &["import", sample.to_str().unwrap(), "--side", "employer"],
    ));
    let first = dir.path().join("first.xlsx");
    let name = "What Standards Could Be";
    ok(&crosswalk(
        &db,
        &[
            "export",
            "--framework",
            name,
            "--format",
            "xlsx",
            "-o",
            first.to_str().unwrap(),
        ],
    ));
    // Into another workshop, and out again: the same workbook.
    let other = dir.path().join("other.sqlite");
    std::fs::write(&other, b"").unwrap();
    let report = ok(&crosswalk(&other, &["import", first.to_str().unwrap()]));
    assert!(
        report.starts_with(&format!("imported \"{name}\"")),
        "{report}"
    );
    assert!(report.contains("16 added"), "{report}");
    let second = dir.path().join("second.xlsx");
    ok(&crosswalk(
        &other,
        &[
            "export",
            "--framework",
            name,
            "--format",
            "xlsx",
            "-o",
            second.to_str().unwrap(),
        ],
    ));
    assert!(
        std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(),
        "the workbook changed on its way through a workshop"
    );
    // The review workbook of a crosswalk with no links is a header row.
    let review = dir.path().join("review.xlsx");
    ok(&crosswalk(
        &db,
        &["export", "--format", "xlsx", "-o", review.to_str().unwrap()],
    ));
    assert!(std::fs::read(&review).unwrap().starts_with(b"PK"));
}

#[test]
fn crosswalk_ends_are_titled_by_abbreviated_statement_and_the_crosswalk_has_one_identity() {
    let dir = tempfile::tempdir().unwrap();
    let package = |doc: &str, item: &str, abbreviated: &str| {
        serde_json::json!({
            "CFDocument": {"identifier": doc, "title": doc, "uri": format!("https://x.example/{doc}")},
            "CFItems": [{"identifier": item, "fullStatement": "A long statement ".repeat(20),
                         "abbreviatedStatement": abbreviated, "humanCodingScheme": item}]
        })
        .to_string()
    };
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    std::fs::write(
        &a,
        package("1c0e0f4a-0000-4000-8000-00000000000a", "A1", "Short A"),
    )
    .unwrap();
    std::fs::write(
        &b,
        package("1c0e0f4a-0000-4000-8000-00000000000b", "B1", ""),
    )
    .unwrap();
    let mut identities = Vec::new();
    for name in ["one.sqlite", "two.sqlite"] {
        let db = dir.path().join(name);
        std::fs::write(&db, b"").unwrap();
        ok(&crosswalk(&db, &["import", a.to_str().unwrap()]));
        ok(&crosswalk(
            &db,
            &["import", b.to_str().unwrap(), "--side", "employer"],
        ));
        ok(&crosswalk(&db, &["link", "A1", "B1"]));
        let out = ok(&crosswalk(&db, &["export"]));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let a = &v["CFAssociations"][0];
        assert_eq!(a["originNodeURI"]["title"], "Short A");
        let title = a["destinationNodeURI"]["title"].as_str().unwrap();
        assert!(
            title.starts_with("B1 A long statement") && title.ends_with('…'),
            "{title}"
        );
        identities.push(v["CFDocument"]["identifier"].clone());
    }
    assert_eq!(
        identities[0], identities[1],
        "the same crosswalk in two workshops"
    );
}

#[test]
fn the_review_workbook_holds_every_link_and_the_coverage_tables() {
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    // A new file is seeded with the sample frameworks.
    let db = dir.path().join("seeded.sqlite");
    ok(&crosswalk(
        &db,
        &["link", "CHW-PLO.2.1", "CHW.C.1.2", "--note", "role play"],
    ));
    let file = dir.path().join("review.xlsx");
    ok(&crosswalk(
        &db,
        &["export", "--format", "xlsx", "-o", file.to_str().unwrap()],
    ));
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(std::fs::read(&file).unwrap())).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Links", "Coverage (outcomes)", "Coverage (competencies)"]
    );
    let links = book.worksheet_range("Links").unwrap();
    let rows: Vec<Vec<String>> = links
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[1][1].as_str(), rows[1][6].as_str()),
        ("CHW-PLO.2.1", "CHW.C.1.2")
    );
    assert_eq!(
        (rows[1][8].as_str(), rows[1][13].as_str()),
        ("agreed", "role play")
    );
    let coverage = book.worksheet_range("Coverage (outcomes)").unwrap();
    assert!(coverage.rows().count() > 10);
}
