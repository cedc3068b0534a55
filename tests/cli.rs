//! The command line end to end: the real binary on real files.
mod common;
use common::{crosswalk, fails, ok, shared};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-frameworks")
}

/// Validates a CASE file with the shared schema validator when python and jsonschema are there.
fn validate(file: &Path, version: &str) {
    let Some(script) = shared("case-schema/validate.py") else {
        return;
    };
    let out = Command::new("python3")
        .arg(&script)
        .args(["--case-version", version])
        .arg(file)
        .output();
    match out {
        Ok(out) if out.status.success() => {}
        Ok(out) if String::from_utf8_lossy(&out.stderr).contains("No module named") => {
            eprintln!("note: python3 lacks jsonschema; skipping validation")
        }
        Ok(out) => panic!(
            "{} is not valid CASE {version}:\n{}",
            file.display(),
            String::from_utf8_lossy(&out.stdout)
        ),
        Err(e) => eprintln!("note: no python3 ({e}); skipping validation"),
    }
}

/// The codes of a framework's items, in tree order.
fn codes(db: &Path, framework: &str) -> Vec<String> {
    let tree = ok(&crosswalk(db, &["show", framework]));
    tree.lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect()
}

#[test]
fn a_new_workshop_is_seeded_with_the_sample_frameworks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested/dir/w.sqlite");
    let out = crosswalk(&db, &["frameworks"]);
    let listing = ok(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("created"));
    assert_eq!(listing.lines().count(), 4, "{listing}");
    assert_eq!(listing.matches("educator").count(), 2, "{listing}");
    assert_eq!(listing.matches("employer").count(), 2, "{listing}");
    // A second run opens the same file and seeds nothing more.
    assert_eq!(ok(&crosswalk(&db, &["frameworks"])), listing);
}

#[test]
fn link_show_export_and_reimport_give_back_the_same_links() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    let tree = ok(&crosswalk(&db, &["show", "1"]));
    assert!(tree.lines().count() > 30, "{tree}");
    assert!(
        tree.lines().nth(2).unwrap().starts_with("    "),
        "second level is indented: {tree}"
    );
    let (edu, emp) = (codes(&db, "1"), codes(&db, "2"));
    let (a, b, c) = (edu[1].as_str(), emp[1].as_str(), emp[2].as_str());

    ok(&crosswalk(
        &db,
        &["link", a, b, "--note", "taught in the practicum"],
    ));
    ok(&crosswalk(
        &db,
        &["link", a, c, "--type", "isRelatedTo", "--strength", "minor"],
    ));
    let twice = fails(&crosswalk(&db, &["link", a, b]));
    assert!(twice.contains("already linked"), "{twice}");
    let listing = ok(&crosswalk(&db, &["links"]));
    assert!(
        listing.contains(&format!(
            "{a} -> {b}  exactMatchOf major  \"taught in the practicum\""
        )),
        "{listing}"
    );
    assert!(listing.ends_with("2 links\n"), "{listing}");
    let counts = ok(&crosswalk(&db, &["frameworks"]));
    assert!(
        counts.lines().next().unwrap().contains("    2 links"),
        "{counts}"
    );

    for version in ["1.0", "1.1"] {
        let file = dir.path().join(format!("crosswalk-{version}.json"));
        ok(&crosswalk(
            &db,
            &[
                "export",
                "--format",
                "case",
                "--case-version",
                version,
                "-o",
                file.to_str().unwrap(),
            ],
        ));
        validate(&file, version);
        // Into a new workshop holding the same frameworks: the same links come back.
        let other = dir.path().join(format!("other-{version}.sqlite"));
        ok(&crosswalk(&other, &["frameworks"]));
        let report = ok(&crosswalk(&other, &["import", file.to_str().unwrap()]));
        assert!(report.contains("links: 2 added"), "{report}");
        let strip = |s: String| {
            let mut v: serde_json::Value = serde_json::from_str(&s).unwrap();
            for l in v.as_array_mut().unwrap() {
                let l = l.as_object_mut().unwrap();
                l.remove("created");
                l.remove("changed");
                l.remove("basis"); // the copy's provenance says it was imported
                if version == "1.0" {
                    l.remove("note"); // CASE 1.0 associations have no room for it
                }
            }
            v
        };
        assert_eq!(
            strip(ok(&crosswalk(&other, &["links", "--json"]))),
            strip(ok(&crosswalk(&db, &["links", "--json"]))),
            "CASE {version} round trip"
        );
    }

    let csv = ok(&crosswalk(&db, &["export", "--format", "csv"]));
    assert!(csv.contains("taught in the practicum"), "{csv}");
    let rows = csv::Reader::from_reader(csv.as_bytes()).records().count();
    assert_eq!(rows, 2, "{csv}");

    ok(&crosswalk(&db, &["unlink", a, b]));
    let left = ok(&crosswalk(&db, &["links"]));
    assert!(
        left.ends_with("1 link\n") && left.contains("isRelatedTo minor"),
        "{left}"
    );
}

#[test]
fn a_framework_exports_back_as_a_valid_case_package() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    let file = dir.path().join("fw.json");
    ok(&crosswalk(
        &db,
        &["export", "--framework", "2", "-o", file.to_str().unwrap()],
    ));
    validate(&file, "1.0");
    // Without -o the same bytes go to standard output, as they are written.
    let stdout = ok(&crosswalk(&db, &["export", "--framework", "2"]));
    assert_eq!(
        stdout.into_bytes(),
        std::fs::read(&file).unwrap(),
        "standard output and the file alike"
    );
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    };
    let (original, exported) = (
        read(&samples().join("chw-role-competencies.json")),
        read(&file),
    );
    assert_eq!(
        exported["CFItems"].as_array().unwrap().len(),
        original["CFItems"].as_array().unwrap().len()
    );
    assert_eq!(
        exported["CFDocument"]["identifier"],
        original["CFDocument"]["identifier"]
    );
}

#[test]
fn real_opensalt_packages_import_and_reimport_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    for name in [
        "opensalt-sample-framework.json",
        "Ordering.json",
        "Utf8TestFramework.json",
        "opensalt-sample-import.csv",
    ] {
        let Some(file) = shared(&format!("case-samples/{name}")) else {
            return;
        };
        let first = ok(&crosswalk(
            &db,
            &["import", file.to_str().unwrap(), "--side", "employer"],
        ));
        assert!(first.starts_with("imported"), "{name}: {first}");
        let again = ok(&crosswalk(&db, &["import", file.to_str().unwrap()]));
        assert!(
            again.contains(" 0 added, 0 changed, 0 removed"),
            "{name}: {again}"
        );
        let out = dir.path().join(format!("{name}.out.json"));
        let title = again.split('"').nth(1).unwrap().to_string();
        ok(&crosswalk(
            &db,
            &["export", "--framework", &title, "-o", out.to_str().unwrap()],
        ));
        validate(&out, "1.0");
    }
    let list = ok(&crosswalk(&db, &["frameworks"]));
    assert!(
        list.contains("   16 items") && list.contains("   28 items"),
        "{list}"
    );
}

#[test]
fn import_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    let json = std::fs::read(samples().join("energy-utility-competencies.json")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_crosswalk"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "--create",
            "import",
            "-",
            "--side",
            "employer",
        ])
        .env_remove("CROSSWALK_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &json).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        ok(&out).starts_with("updated"),
        "the seeded copy is updated in place, not duplicated"
    );
    assert_eq!(ok(&crosswalk(&db, &["frameworks"])).lines().count(), 4);
}

#[test]
fn bad_input_is_refused_with_its_place_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    let (edu, emp) = (codes(&db, "1"), codes(&db, "2"));
    ok(&crosswalk(&db, &["link", &edu[1], &emp[1]]));
    let state = || {
        (
            ok(&crosswalk(&db, &["frameworks"])),
            ok(&crosswalk(&db, &["links", "--json"])),
        )
    };
    let before = state();

    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\n  \"CFDocument\": {\"identifier\": \"x\",\n  \"title\": }\n}",
    )
    .unwrap();
    let err = fails(&crosswalk(&db, &["import", broken.to_str().unwrap()]));
    assert!(
        err.contains("broken.json") && err.contains("line 3"),
        "{err}"
    );

    let missing = dir.path().join("missing.json");
    std::fs::write(&missing, r#"{"CFDocument": {"identifier": "d", "title": "T"}, "CFItems": [{"identifier": "item-7"}]}"#)
        .unwrap();
    let err = fails(&crosswalk(&db, &["import", missing.to_str().unwrap()]));
    assert!(
        err.contains("missing.json") && err.contains("item-7") && err.contains("fullStatement"),
        "{err}"
    );

    let err = fails(&crosswalk(
        &db,
        &["import", dir.path().join("absent.json").to_str().unwrap()],
    ));
    assert!(err.contains("absent.json"), "{err}");
    let err = fails(&crosswalk(&db, &["link", "NO-SUCH-CODE", &emp[1]]));
    assert!(err.contains("NO-SUCH-CODE"), "{err}");
    let err = fails(&crosswalk(
        &db,
        &["export", "-o", "/proc/no/such/dir/out.json"],
    ));
    assert!(err.contains("/proc/no/such/dir"), "{err}");

    assert_eq!(before, state());
}

#[test]
fn help_is_there_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    for cmd in [
        "import",
        "frameworks",
        "show",
        "side",
        "link",
        "relink",
        "unlink",
        "links",
        "export",
    ] {
        let help = ok(&crosswalk(&db, &[cmd, "--help"]));
        assert!(help.contains("Usage: crosswalk"), "{cmd}: {help}");
    }
    assert!(!db.exists(), "--help does not create a workshop");
}
