//! What leaves crosswalk tells the truth: exports carry each link's status, a link the
//! room did not agree never comes back agreed, spreadsheets open safely, and "no
//! equivalent" decisions and rejected suggestions are in the files and the history.
//! The real binary on temp workshops (seeded with the sample frameworks).
mod common;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Workshop {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    db: PathBuf,
}

impl Workshop {
    fn new() -> Workshop {
        let dir = tempfile::tempdir().unwrap();
        Workshop {
            db: dir.path().join("w.sqlite"),
            dir: dir.path().to_path_buf(),
            _dir: dir,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        common::crosswalk(&self.db, args)
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// (stdout, stderr) of a command that must succeed.
    fn ok_with_notes(&self, args: &[&str]) -> (String, String) {
        let out = self.run(args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{args:?} failed: {err}");
        (String::from_utf8_lossy(&out.stdout).into_owned(), err)
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?} should fail");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            err.contains("crosswalk: error:") && !err.contains("panicked"),
            "{err}"
        );
        err
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    /// Participants, and four links: agreed, disputed, rejected, proposed.
    fn session(&self) {
        for (name, role) in [
            ("Fay", "facilitator"),
            ("Ana", "faculty"),
            ("Sam", "employer-sme"),
        ] {
            self.ok(&["participant", "add", name, "--role", role]);
        }
        self.ok(&[
            "link",
            "CHW-PLO.1.2",
            "CHW.C.1.3",
            "--note=@SUM(1+1) in the practicum",
        ]);
        self.ok(&["link", "CHW-PLO.2.1", "CHW.C.1.2", "--strength", "minor"]);
        self.ok(&["link", "CHW-PLO.1.6", "CHW.C.2.1"]);
        self.ok(&["link", "CHW-PLO.1.1", "CHW.C.1.1"]);
        self.ok(&["--as", "Ana", "vote", "CHW-PLO.1.2", "CHW.C.1.3", "accept"]);
        self.ok(&["--as", "Sam", "vote", "CHW-PLO.1.2", "CHW.C.1.3", "accept"]);
        self.ok(&[
            "--as",
            "Sam",
            "vote",
            "CHW-PLO.2.1",
            "CHW.C.1.2",
            "dispute",
            "--comment",
            "interpreting is a separate skill",
        ]);
        self.ok(&[
            "--as",
            "Fay",
            "vote",
            "CHW-PLO.1.6",
            "CHW.C.2.1",
            "reject",
            "--comment",
            "measuring is not educating",
        ]);
    }
}

/// The shared CASE validator, when it is there.
fn validator() -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/case-schema/validate.py");
    let fixed = PathBuf::from("/work/shared/case-schema/validate.py");
    let found = [beside, fixed].into_iter().find(|p| p.exists());
    if found.is_none() {
        eprintln!("note: the CASE schema validator is absent; not validating");
    }
    found
}

fn assert_valid(file: &str, version: &str) {
    let Some(script) = validator() else { return };
    let out = Command::new("python3")
        .arg(&script)
        .args(["--case-version", version, file])
        .output()
        .expect("python3");
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
        "{file} is not valid CASE {version}: {text}"
    );
}

fn read_json(path: &str) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn case_export_holds_agreed_links_unless_asked_and_says_the_status_when_asked() {
    let w = Workshop::new();
    w.session();
    let agreed = w.json(&["export"]);
    assert_eq!(agreed["CFAssociations"].as_array().unwrap().len(), 1);

    // CASE 1.0 cannot say a link's status: refused without the flag that owns up to it.
    let err = w.fails(&["export", "--status", "all"]);
    assert!(
        err.contains("3 of the 4 links to export are not agreed")
            && err.contains("1 proposed, 1 disputed, 1 rejected")
            && err.contains("--plain-associations"),
        "{err}"
    );

    let v11 = w.path("all-1.1.json");
    w.ok(&[
        "export",
        "--status",
        "all",
        "--case-version",
        "1.1",
        "-o",
        &v11,
    ]);
    assert_valid(&v11, "1.1");
    let doc = read_json(&v11);
    let statuses: Vec<&str> = doc["CFAssociations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["extensions"]["crosswalkStatus"].as_str().unwrap())
        .collect();
    let mut sorted = statuses.clone();
    sorted.sort();
    assert_eq!(sorted, ["agreed", "disputed", "proposed", "rejected"]);
    let titles: Vec<&str> = doc["CFDefinitions"]["CFAssociationGroupings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.ends_with("— disputed, minor alignment"))
            && titles
                .iter()
                .any(|t| t.ends_with("— rejected, major alignment")),
        "a grouping per status: {titles:?}"
    );
    // Each association sits in the grouping of its own status.
    for a in doc["CFAssociations"].as_array().unwrap() {
        let status = a["extensions"]["crosswalkStatus"].as_str().unwrap();
        let grouping = a["CFAssociationGroupingURI"]["title"].as_str().unwrap();
        assert_eq!(
            status == "agreed",
            !grouping.contains(&format!("— {status},"))
        );
    }

    let v10 = w.path("all-1.0.json");
    w.ok(&[
        "export",
        "--status",
        "all",
        "--plain-associations",
        "-o",
        &v10,
    ]);
    assert_valid(&v10, "1.0");
    assert_eq!(
        read_json(&v10)["CFAssociations"].as_array().unwrap().len(),
        4
    );
}

/// The round trip the issue asks for: whatever a file says, importing it never makes a
/// rejected, disputed or proposed link agreed, nor counts it as coverage.
#[test]
fn a_link_not_agreed_never_comes_back_agreed() {
    let w = Workshop::new();
    w.session();
    let v11 = w.path("all-1.1.json");
    let v10 = w.path("all-1.0.json");
    w.ok(&[
        "export",
        "--status",
        "all",
        "--case-version",
        "1.1",
        "-o",
        &v11,
    ]);
    w.ok(&[
        "export",
        "--status",
        "all",
        "--plain-associations",
        "-o",
        &v10,
    ]);
    for file in [&v11, &v10] {
        // A fresh workshop with no participants: every link it holds counts as agreed.
        let fresh = Workshop::new();
        let (out, _) = fresh.ok_with_notes(&["import", file]);
        assert!(
            out.contains("not imported as a link") && out.contains("rejected"),
            "{file}: {out}"
        );
        let links = fresh.json(&["links", "--json"]);
        let links = links.as_array().unwrap();
        assert_eq!(links.len(), 1, "{file}: only the agreed link: {links:#?}");
        assert_eq!(links[0]["origin"]["code"], "CHW-PLO.1.2");
        let coverage = fresh.json(&["coverage", "--json"]);
        assert_eq!(coverage["frameworks"][0]["covered"], 1, "{file}");
        // Importing into the workshop it came from changes no status either.
        let (out, _) = w.ok_with_notes(&["import", file]);
        assert!(out.contains("not imported as a link"), "{out}");
        let statuses: Vec<String> = w
            .json(&["links", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["status"].as_str().unwrap().to_string())
            .collect();
        let mut statuses = statuses;
        statuses.sort();
        assert_eq!(statuses, ["agreed", "disputed", "proposed", "rejected"]);
    }
}

#[test]
fn links_show_status_votes_and_filter_by_status() {
    let w = Workshop::new();
    w.session();
    let all = w.ok(&["links"]);
    assert!(
        all.contains("✓ agreed    CHW-PLO.1.2 -> CHW.C.1.3")
            && all.contains("! disputed  CHW-PLO.2.1 -> CHW.C.1.2")
            && all.contains("✗ rejected  CHW-PLO.1.6 -> CHW.C.2.1")
            && all.ends_with("4 links\n"),
        "{all}"
    );
    let disputed = w.ok(&["links", "--status", "disputed"]);
    assert_eq!(disputed.lines().count(), 2, "{disputed}");
    assert!(
        disputed.ends_with("1 disputed link (4 in all)\n"),
        "{disputed}"
    );
    let json = w.json(&["links", "--json", "--status", "agreed"]);
    let l = &json[0];
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(l["status"], "agreed");
    assert_eq!(l["reviewedBy"], serde_json::json!(["Ana", "Sam"]));
    assert_eq!(l["votes"][0]["participant"], "Ana");
    assert_eq!(l["votes"][0]["vote"], "accept");
    let help = w.ok(&["links", "--help"]);
    assert!(
        help.contains("agreed") && help.contains("rejected"),
        "{help}"
    );
}

#[test]
fn csv_has_status_votes_titles_a_bom_and_no_formulas() {
    let w = Workshop::new();
    w.session();
    w.ok(&["--as", "Fay", "no-equivalent", "CHW.C.4.2"]);
    let file = w.path("links.csv");
    w.ok(&["export", "--format", "csv", "-o", &file]);
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a UTF-8 BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let head = reader.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5, "four links and one 'no equivalent' decision");
    let agreed = rows.iter().find(|r| &r[col("status")] == "agreed").unwrap();
    let title = &agreed[col("origin framework")];
    let listing = w.ok(&["frameworks"]);
    assert!(
        !title.is_empty() && listing.contains(&format!("  {title}  (")),
        "a framework title, not its identifier: {title:?} in {listing}"
    );
    assert_eq!(
        &agreed[col("votes")],
        "Ana (faculty): accept; Sam (employer-sme): accept"
    );
    assert_eq!(&agreed[col("reviewed by")], "Ana; Sam");
    assert_eq!(
        &agreed[col("note")],
        "'@SUM(1+1) in the practicum",
        "a formula-looking note is text"
    );
    let statuses: Vec<&str> = rows.iter().map(|r| &r[col("status")]).collect();
    for s in ["disputed", "rejected", "proposed", "no equivalent"] {
        assert!(statuses.contains(&s), "{statuses:?}");
    }
    let none = rows
        .iter()
        .find(|r| &r[col("status")] == "no equivalent")
        .unwrap();
    assert_eq!(&none[col("origin code")], "CHW.C.4.2");
    assert_eq!(&none[col("asserted by")], "Fay");

    let plain = w.ok(&["export", "--format", "csv", "--no-bom"]);
    assert!(plain.starts_with("link identifier,status,"), "{plain}");
    // Only rejected links: no decisions, no other links.
    let rejected = w.ok(&["export", "--format", "csv", "--status", "rejected"]);
    assert_eq!(rejected.lines().count(), 2, "{rejected}");
}

#[test]
fn no_equivalent_decisions_are_in_sssom_and_the_history() {
    let w = Workshop::new();
    w.session();
    let out = w.ok(&["--as", "Sam", "no-equivalent", "CHW.C.4.2"]);
    assert!(
        out.contains("CHW.C.4.2 marked as having no equivalent"),
        "{out}"
    );
    let sssom = w.ok(&["export", "--format", "sssom"]);
    assert!(
        sssom.contains("#   sssom: \"https://w3id.org/sssom/\""),
        "{sssom}"
    );
    let row = sssom
        .lines()
        .find(|l| l.contains("sssom:NoTermFound"))
        .expect("a NoTermFound row");
    assert!(
        row.contains("CHW.C.4.2")
            && row.contains("skos:exactMatch")
            && row.contains("participant:Sam")
            && row.contains("no equivalent on the educator side"),
        "{row}"
    );
    let log = w.ok(&["history", "--item", "CHW.C.4.2"]);
    assert!(
        log.contains("Sam") && log.contains("marked no equivalent CHW.C.4.2"),
        "{log}"
    );
    w.ok(&["--as", "Sam", "no-equivalent", "CHW.C.4.2", "--clear"]);
    let log = w.ok(&["history", "--item", "CHW.C.4.2"]);
    assert!(
        log.contains("no equivalent mark cleared CHW.C.4.2"),
        "{log}"
    );
    assert!(
        !w.ok(&["export", "--format", "sssom"])
            .contains("NoTermFound")
    );
}

#[test]
fn suggestion_rejections_are_in_the_history() {
    let w = Workshop::new();
    w.ok(&["frameworks"]);
    {
        // The screen's `x` in the suggestion pane calls this.
        let mut ws = crosswalk::store::Workshop::open(&w.db).unwrap();
        let a = ws.find_item("CHW-PLO.3.1").unwrap().end.item_identifier;
        let b = ws.find_item("CHW.C.2.3").unwrap().end.item_identifier;
        ws.reject_suggestion(&a, &b).unwrap();
    }
    let log = w.ok(&["history", "--item", "CHW.C.2.3"]);
    assert!(
        log.contains("suggestion rejected CHW-PLO.3.1 -> CHW.C.2.3"),
        "{log}"
    );
}

#[test]
fn drafted_links_marked_disputed_or_rejected_are_refused() {
    let w = Workshop::new();
    let file = w.dir.join("drafts.csv");
    std::fs::write(
        &file,
        "origin,destination,status\nCHW-PLO.1.2,CHW.C.1.3,proposed\nCHW-PLO.1.6,CHW.C.2.1,rejected\n",
    )
    .unwrap();
    let err = w.fails(&["import-links", file.to_str().unwrap()]);
    assert!(
        err.contains("status `rejected`") && err.contains("never agrees"),
        "{err}"
    );
    assert!(w.ok(&["links"]).ends_with("0 links\n"), "nothing written");
}

#[test]
fn the_coverage_csvs_open_safely_in_a_spreadsheet() {
    let w = Workshop::new();
    let framework = w.dir.join("role.csv");
    std::fs::write(
        &framework,
        "code,parent,statement\nR1,,Safety\nR1.1,R1,\"=HYPERLINK(\"\"http://example.invalid\"\",\"\"click\"\")\"\nR1.2,R1,-1 below the line\n",
    )
    .unwrap();
    w.ok(&[
        "import",
        framework.to_str().unwrap(),
        "--side",
        "employer",
        "--title",
        "@Role",
    ]);
    w.ok(&["link", "CHW-PLO.1.2", "R1.1"]);
    let dir = w.dir.join("report");
    w.ok(&[
        "report",
        "-o",
        dir.to_str().unwrap(),
        "--framework",
        "1",
        "--framework",
        "@Role",
    ]);
    let bytes = std::fs::read(dir.join("coverage-competencies.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(&bytes[3..])
        .records()
        .map(Result::unwrap)
        .collect();
    let statement = |code: &str| {
        rows.iter()
            .find(|r| &r[1] == code)
            .map(|r| (r[0].to_string(), r[10].to_string()))
            .unwrap()
    };
    assert_eq!(
        statement("R1.1"),
        (
            "'@Role".to_string(),
            "'=HYPERLINK(\"http://example.invalid\",\"click\")".to_string()
        )
    );
    assert_eq!(statement("R1.2").1, "'-1 below the line");
}

#[test]
fn the_report_lists_decisions_rejections_with_reasons_and_escapes_imported_text() {
    let w = Workshop::new();
    w.session();
    w.ok(&["--as", "Sam", "no-equivalent", "CHW.C.4.2"]);
    w.ok(&[
        "relink",
        "CHW-PLO.1.2",
        "CHW.C.1.3",
        "--note",
        "> not a quote \u{1b}[2J\u{7}<b>",
    ]);
    let dir = w.dir.join("report");
    w.ok(&["report", "-o", dir.to_str().unwrap()]);
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let sections = [
        (
            "report.md",
            &md,
            "## No equivalent",
            "## Competency verdicts",
        ),
        (
            "report.html",
            &html,
            "<h2 id=\"no-equivalent\">",
            "<h2 id=\"verdicts\">",
        ),
    ];
    for (name, text, start, end) in sections {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{name}: control bytes reach the file"
        );
        let from = text
            .find(start)
            .unwrap_or_else(|| panic!("{name}: {start}"));
        let none = &text[from..from + text[from..].find(end).unwrap()];
        assert!(
            none.contains("CHW.C.4.2")
                && none.contains("Sam")
                && none.contains("Makes home visits"),
            "{name}: {none}"
        );
        let rejected = &text[text.rfind("Rejected links").unwrap()..];
        assert!(
            rejected.contains("CHW-PLO.1.6")
                && rejected.contains("measuring is not educating")
                && rejected.contains("Fay (facilitator): reject"),
            "{name}: the rejected link with its reason: {rejected}"
        );
    }
    assert!(md.contains("&gt; not a quote [2J&lt;b&gt;"), "{md}");
    assert!(html.contains("&gt; not a quote [2J&lt;b&gt;"));
}
