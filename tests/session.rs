//! Running the session from the command line, end to end: the real binary on a temp workshop.
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

struct Workshop {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    db: PathBuf,
}

impl Workshop {
    fn new() -> Workshop {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        Workshop {
            db: path.join("w.sqlite"),
            dir: path,
            _dir: dir,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_crosswalk"))
            .arg("--db")
            .arg(&self.db)
            .arg("--create")
            .args(args)
            .env_remove("CROSSWALK_DB")
            .env_remove("CROSSWALK_AS")
            .stdin(Stdio::null())
            .output()
            .expect("run crosswalk")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs a command that must fail with exit code 1 and a message; returns the message.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?} should fail: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            err.contains("crosswalk: error:") && !err.contains("panicked"),
            "{err}"
        );
        err
    }

    /// Leaf codes of a framework, in tree order (top-level domains left out).
    fn leaves(&self, framework: &str) -> Vec<String> {
        let tree = self.ok(&["show", framework]);
        tree.lines()
            .skip(1)
            .filter(|l| l.starts_with("    "))
            .filter_map(|l| l.split_whitespace().next())
            .map(String::from)
            .collect()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Links in a CASE export with this status filter (CASE 1.1, which says their status).
    fn exported(&self, status: &str) -> usize {
        let doc = self.json(&["export", "--status", status, "--case-version", "1.1"]);
        doc["CFAssociations"].as_array().map_or(0, |a| a.len())
    }

    /// Adds a facilitator, a faculty member, an employer SME and an observer.
    fn people(&self) {
        for (name, role) in [
            ("Fay", "facilitator"),
            ("Ana", "faculty"),
            ("Sam", "employer-sme"),
            ("Oz", "observer"),
        ] {
            assert_eq!(
                self.ok(&["participant", "add", name, "--role", role])
                    .trim(),
                format!("added {name} ({role})")
            );
        }
    }
}

#[test]
fn a_workshop_without_participants_agrees_every_link() {
    let w = Workshop::new();
    let (edu, emp) = (w.leaves("1"), w.leaves("2"));
    w.ok(&["link", &edu[0], &emp[0]]);
    w.ok(&["link", &edu[1], &emp[1], "--type", "isRelatedTo"]);
    assert!(
        w.ok(&["participant", "list"])
            .contains("every link counts as agreed")
    );
    assert_eq!(w.exported("agreed"), 2);
    let json = w.json(&["export"]);
    assert_eq!(
        json["CFAssociations"].as_array().unwrap().len(),
        2,
        "CASE export defaults to agreed links"
    );
    let coverage = w.json(&["coverage", "--json"]);
    let frameworks = coverage["frameworks"].as_array().unwrap();
    assert_eq!(
        frameworks.len(),
        2,
        "only frameworks with links: {coverage}"
    );
    assert_eq!(frameworks[0]["covered"], 2);
    assert_eq!(frameworks[1]["covered"], 2);
}

#[test]
fn votes_and_the_consensus_rule_decide_what_is_exported() {
    let w = Workshop::new();
    let (edu, emp) = (w.leaves("1"), w.leaves("2"));
    let id = |out: String| out.trim().rsplit(' ').next().unwrap().to_string();
    let first = id(w.ok(&["link", &edu[0], &emp[0]]));
    let second = id(w.ok(&["link", &edu[1], &emp[1]]));
    w.ok(&["link", &edu[2], &emp[2]]);
    w.people();
    assert_eq!(
        w.exported("agreed"),
        0,
        "with participants, links start as proposed"
    );
    assert_eq!(w.exported("proposed"), 3);

    let out = w.ok(&["--as", "ana", "vote", &first, "accept"]);
    assert!(
        out.contains("Ana votes accept") && out.contains("still proposed"),
        "{out}"
    );
    let out = w.ok(&["--as", "Sam", "vote", &edu[0], &emp[0], "accept"]);
    assert!(out.contains("now agreed (was proposed)"), "{out}");
    let out = w.ok(&[
        "--as",
        "Sam",
        "vote",
        &format!("{} {}", edu[1], emp[1]),
        "dispute",
        "--comment",
        "only in passing",
    ]);
    assert!(out.contains("now disputed"), "{out}");
    w.ok(&[
        "--as",
        "Ana",
        "comment",
        &second,
        "it is assessed in week 4",
    ]);
    w.ok(&["--as", "Fay", "vote", &edu[2], &emp[2], "reject"]);
    assert_eq!(
        (
            w.exported("agreed"),
            w.exported("disputed"),
            w.exported("rejected"),
            w.exported("all")
        ),
        (1, 1, 1, 3)
    );
    let csv = w.ok(&["export", "--format", "csv"]);
    assert_eq!(
        csv.lines().count(),
        4,
        "CSV exports every link by default: {csv}"
    );

    // The rule is a setting; only the facilitator changes it.
    let err = w.fails(&[
        "--as",
        "Ana",
        "settings",
        "set",
        "consensus.rule",
        "any-accept",
    ]);
    assert!(err.contains("only a facilitator"), "{err}");
    let err = w.fails(&[
        "--as",
        "Fay",
        "settings",
        "set",
        "consensus.rule",
        "loudest",
    ]);
    assert!(
        err.contains("faculty+employer, any-accept, facilitator"),
        "{err}"
    );
    w.ok(&[
        "--as",
        "Fay",
        "settings",
        "set",
        "consensus.rule",
        "facilitator",
    ]);
    assert_eq!(
        w.ok(&["settings", "get", "consensus.rule"]).trim(),
        "facilitator"
    );
    assert_eq!(
        w.exported("agreed"),
        0,
        "under the facilitator rule nobody has ruled yet"
    );
    w.ok(&["--as", "Fay", "vote", &second, "accept"]);
    assert_eq!(w.exported("agreed"), 1);

    let log = w.ok(&["history", "--link", &second]);
    assert!(
        log.contains("Sam") && log.contains("only in passing") && log.contains("Fay"),
        "{log}"
    );
    assert!(
        log.contains("status changed") && log.contains("status: \"disputed\" -> \"agreed\""),
        "{log}"
    );
    assert!(log.trim_end().ends_with("entries"), "{log}");
}

#[test]
fn bad_input_gets_a_clear_message_and_nothing_recorded_is_lost() {
    let w = Workshop::new();
    let (edu, emp) = (w.leaves("1"), w.leaves("2"));
    w.ok(&["link", &edu[0], &emp[0]]);
    let gone = w
        .ok(&["link", &edu[1], &emp[1]])
        .trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .to_string();
    w.people();
    w.ok(&["--as", "Ana", "vote", &edu[0], &emp[0], "accept"]);
    w.ok(&["--as", "Ana", "unlink", &gone]);
    let state = || {
        (
            w.ok(&["history", "--json"]),
            w.ok(&["links", "--json"]),
            w.ok(&["participant", "list"]),
        )
    };
    let before = state();

    let err = w.fails(&["--as", "Zed", "vote", &edu[0], &emp[0], "accept"]);
    assert!(
        err.contains("no participant named `Zed`")
            && err.contains("Ana (faculty)")
            && err.contains("Oz (observer)"),
        "{err}"
    );
    let err = w.fails(&["--as", "Oz", "vote", &edu[0], &emp[0], "accept"]);
    assert!(
        err.contains("Oz is an observer; observers can look but cannot vote"),
        "{err}"
    );
    let err = w.fails(&["vote", &edu[0], &emp[0], "accept"]);
    assert!(err.contains("--as NAME"), "{err}");
    let err = w.fails(&["--as", "Sam", "vote", &gone, "accept"]);
    assert!(
        err.contains(&format!("link {gone}"))
            && err.contains("was deleted at")
            && err.contains("by Ana"),
        "{err}"
    );
    let err = w.fails(&["--as", "Sam", "comment", &gone, "too late"]);
    assert!(err.contains("was deleted"), "{err}");
    let err = w.fails(&["--as", "Ana", "relink", &gone, "--note", "x"]);
    assert!(err.contains("was deleted"), "{err}");
    let err = w.fails(&["--as", "Sam", "vote", &edu[0], &emp[0], "maybe"]);
    assert!(err.contains("unknown vote `maybe`"), "{err}");
    let err = w.fails(&["--as", "Sam", "validate", &emp[0], "needs-revision"]);
    assert!(err.contains("--comment"), "{err}");
    let err = w.fails(&["--as", "Ana", "validate", &emp[0], "validated"]);
    assert!(err.contains("Ana is faculty"), "{err}");
    let err = w.fails(&["report", "-o", "/proc/no/such/dir"]);
    assert!(err.contains("/proc/no/such/dir"), "{err}");
    assert_eq!(state(), before);
    // A deleted link's history is still there by identifier.
    let log = w.ok(&["history", "--link", &gone]);
    assert!(log.contains("deleted") && log.contains("Ana"), "{log}");
}

#[test]
fn validation_narrows_competency_coverage_unless_all() {
    let w = Workshop::new();
    let (edu, emp) = (w.leaves("1"), w.leaves("2"));
    w.ok(&["link", &edu[0], &emp[0]]);
    w.ok(&["link", &edu[1], &emp[1]]);
    let competencies = |args: &[&str]| {
        let c = w.json(&[&["coverage", "--json"], args].concat());
        let fw = c["frameworks"][1].clone();
        (
            fw["covered"].as_u64().unwrap(),
            fw["counted"].as_u64().unwrap(),
        )
    };
    let total = competencies(&[]).1;
    assert_eq!(
        competencies(&[]),
        (2, total),
        "no verdicts yet: every competency counts"
    );
    w.people();
    // Links are proposed now; agree them under any-accept to look at validation alone.
    w.ok(&[
        "--as",
        "Fay",
        "settings",
        "set",
        "consensus.rule",
        "any-accept",
    ]);
    w.ok(&["--as", "Ana", "vote", &edu[0], &emp[0], "accept"]);
    w.ok(&["--as", "Ana", "vote", &edu[1], &emp[1], "accept"]);
    w.ok(&["--as", "Sam", "validate", &emp[0], "validated"]);
    w.ok(&[
        "--as",
        "Sam",
        "validate",
        &emp[1],
        "needs-revision",
        "--comment",
        "split in two",
    ]);
    w.ok(&["--as", "Sam", "validate", &emp[2], "validated"]);
    assert_eq!(competencies(&[]), (1, 2));
    assert_eq!(competencies(&["--all"]), (2, total));
    let text = w.ok(&["coverage"]);
    assert!(
        text.contains("1 of 2 competencies covered (50%), validated competencies only"),
        "{text}"
    );
    assert!(
        text.contains(&format!("gaps, 1 competencies nothing covers: {}", emp[2])),
        "{text}"
    );
    let log = w.ok(&["history", "--item", &emp[1]]);
    assert!(
        log.contains("needs-revision") && log.contains("split in two") && log.contains("Sam"),
        "{log}"
    );
}

#[test]
fn the_report_writes_markdown_html_and_coverage_csvs() {
    let w = Workshop::new();
    let (edu, emp) = (w.leaves("1"), w.leaves("2"));
    w.ok(&["link", &edu[0], &emp[0], "--note", "<b>bold</b> claim"]);
    w.ok(&["link", &edu[1], &emp[1]]);
    w.people();
    w.ok(&["--as", "Ana", "vote", &edu[0], &emp[0], "accept"]);
    w.ok(&["--as", "Sam", "vote", &edu[0], &emp[0], "accept"]);
    w.ok(&[
        "--as",
        "Sam",
        "vote",
        &edu[1],
        &emp[1],
        "dispute",
        "-c",
        "not at this level",
    ]);
    let dir = w.dir.join("report");
    let out = w.ok(&["report", "-o", dir.to_str().unwrap()]);
    assert_eq!(out.lines().count(), 4, "{out}");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        !html.contains("<b>bold</b>") && html.contains("&lt;b&gt;bold&lt;/b&gt; claim"),
        "text is escaped"
    );
    assert!(
        !html.contains("<script") && !html.contains("<link "),
        "self-contained, no scripts"
    );
    for id in [
        "participants-table",
        "coverage-0",
        "coverage-1",
        "matrix-0",
        "crosswalk-table",
    ] {
        assert!(html.contains(&format!("<table id=\"{id}\"")), "{id}");
    }
    let crosswalk = &html[html.find("<table id=\"crosswalk-table\"").unwrap()..];
    let crosswalk = &crosswalk[..crosswalk.find("</table>").unwrap()];
    assert_eq!(
        crosswalk.matches("<tr>").count(),
        2,
        "a header and the one agreed link: {crosswalk}"
    );
    assert!(crosswalk.contains(&format!("<td><span class=\"code\">{}</span> ", edu[0])));
    let matrix = &html[html.find("<table id=\"matrix-0\"").unwrap()..];
    assert!(matrix.contains("title=\"agreed: exactMatchOf, major\">✓</td>"));
    assert!(matrix.contains("title=\"disputed: exactMatchOf, major\">!</td>"));
    assert!(
        html.contains("not at this level"),
        "open disputes carry their thread"
    );
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(
        md.contains("## Open disputes") && md.contains("| Sam | employer-sme |"),
        "{md}"
    );
    let csv = std::fs::read_to_string(dir.join("coverage-outcomes.csv")).unwrap();
    let first_leaf = csv
        .lines()
        .find(|l| l.contains(&format!(",{},", edu[0])))
        .unwrap();
    assert!(
        first_leaf.contains(",leaf,covered,1,1,100.0,"),
        "{first_leaf}"
    );
    assert!(dir.join("coverage-competencies.csv").exists());
}

#[test]
fn drafted_links_import_all_or_nothing() {
    let w = Workshop::new();
    let (edu, emp) = (w.leaves("1"), w.leaves("2"));
    w.ok(&["link", &edu[0], &emp[0]]);
    let file = w.dir.join("drafts.csv");
    let rows = [
        "Origin,Destination,Type,Note,Strength,Confidence".to_string(),
        format!("{},{},isRelatedTo,drafted,minor,0.6", edu[1], emp[1]),
        format!("{},{},,,,", edu[0], emp[0]),
        format!("NO-SUCH,{},,,,", emp[2]),
        format!("{},{},,,,", edu[2], emp[2]),
    ];
    std::fs::write(&file, rows.join("\n")).unwrap();
    let dry = w.ok(&["import-links", file.to_str().unwrap(), "--dry-run"]);
    assert!(
        dry.contains(&format!("line 2: would add {} -> {}", edu[1], emp[1])),
        "{dry}"
    );
    assert!(
        dry.contains("line 3: already linked")
            && dry.contains("line 4: no item")
            && dry.contains("NO-SUCH"),
        "{dry}"
    );
    assert!(
        dry.contains("2 would add, 1 already there, 1 with problems"),
        "{dry}"
    );
    let err = w.fails(&["import-links", file.to_str().unwrap()]);
    assert!(
        err.contains("nothing imported") && err.contains("line 4"),
        "{err}"
    );
    assert!(w.ok(&["links"]).ends_with("1 link\n"));

    std::fs::write(
        &file,
        rows.iter()
            .filter(|r| !r.contains("NO-SUCH"))
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .unwrap();
    let done = w.ok(&["import-links", file.to_str().unwrap()]);
    assert!(
        done.contains("2 added, 1 already there, 0 with problems"),
        "{done}"
    );
    assert!(w.ok(&["links"]).contains("isRelatedTo minor  \"drafted\""));
    let sssom = w.ok(&["export", "--format", "sssom"]);
    let row = sssom
        .lines()
        .find(|l| l.contains("skos:relatedMatch"))
        .unwrap();
    assert!(
        row.contains("semapv:UnspecifiedMatching") && row.contains("\t0.6\t"),
        "{row}"
    );
}

#[test]
fn sssom_export_has_a_metadata_block_and_a_row_per_agreed_link() {
    let w = Workshop::new();
    let (edu, emp) = (w.leaves("1"), w.leaves("2"));
    w.ok(&["link", &edu[0], &emp[0], "--confidence", "0.9"]);
    w.ok(&["link", &edu[1], &emp[1], "--type", "isPartOf"]);
    let err = w.fails(&["link", &edu[2], &emp[2], "--confidence", "1.5"]);
    assert!(err.contains("outside 0 to 1"), "{err}");
    let file = w.dir.join("crosswalk.sssom.tsv");
    w.ok(&["export", "--format", "sssom", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    let meta: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
    assert_eq!(meta[0], "# curie_map:");
    assert!(
        meta.iter()
            .any(|l| l.starts_with("# mapping_set_id: \"urn:uuid:")),
        "{text}"
    );
    assert!(meta.iter().any(|l| l.starts_with("# license: ")), "{text}");
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(meta.len())
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(
        rows[0][..3],
        ["subject_id", "subject_label", "predicate_id"]
    );
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().skip(1).all(|r| r.len() == rows[0].len()));
    assert_eq!(rows[1][2], "skos:exactMatch");
    assert_eq!(rows[2][2], "skos:broadMatch");
    assert!(
        rows[1][0].starts_with("case:") && rows[1][1].starts_with(&edu[0]),
        "{:?}",
        rows[1]
    );
    let err = w.fails(&["export", "--format", "sssom", "--framework", "1"]);
    assert!(err.contains("CASE JSON only"), "{err}");
}

#[test]
fn links_a_case_import_brings_in_are_logged() {
    let w = Workshop::new();
    let (edu, emp) = (w.leaves("1"), w.leaves("2"));
    w.ok(&["link", &edu[0], &emp[0]]);
    let file = w.dir.join("crosswalk.json");
    w.ok(&["export", "-o", file.to_str().unwrap()]);
    let other = Workshop::new();
    other.ok(&["import", file.to_str().unwrap()]);
    let log = other.ok(&["history"]);
    assert!(
        log.contains(&format!("imported {} -> {}", edu[0], emp[0]))
            && log.contains("crosswalk.json"),
        "{log}"
    );
    let sssom = other.ok(&["export", "--format", "sssom"]);
    assert!(
        sssom.contains("semapv:UnspecifiedMatching"),
        "imported basis: {sssom}"
    );
}

#[test]
fn help_is_there_for_every_session_command() {
    let w = Workshop::new();
    for cmd in [
        "participant",
        "vote",
        "comment",
        "validate",
        "history",
        "coverage",
        "report",
        "import-links",
        "settings",
    ] {
        let help = w.ok(&[cmd, "--help"]);
        assert!(help.contains("Usage: crosswalk"), "{cmd}: {help}");
    }
    assert!(
        w.ok(&["participant", "--help"])
            .contains("every link counts as agreed")
    );
    assert!(w.ok(&["vote", "--help"]).contains("faculty+employer"));
    assert!(w.ok(&["export", "--help"]).contains("--status"));
    assert!(!w.db.exists(), "--help does not create a workshop");
}

#[test]
fn participants_are_renamed_re_roled_and_removed_from_the_command_line() {
    let w = Workshop::new();
    let (edu, emp) = (w.leaves("1"), w.leaves("2"));
    w.ok(&["link", &edu[0], &emp[0]]);
    w.people();
    w.ok(&["--as", "Sam", "vote", &edu[0], &emp[0], "accept"]);
    let err = w.fails(&["--as", "Ana", "participant", "rename", "Sam", "Samira"]);
    assert!(err.contains("facilitator"), "{err}");
    let err = w.fails(&["--as", "Fay", "participant", "rename", "Sam", "ana"]);
    assert!(err.contains("Ana is already taking part"), "{err}");
    assert_eq!(
        w.ok(&["--as", "Fay", "participant", "rename", "sam", "Samira"])
            .trim(),
        "renamed sam to Samira (employer-sme)"
    );
    assert!(
        w.ok(&["links", "--json"]).contains("Samira"),
        "the vote follows the name"
    );
    assert_eq!(
        w.ok(&["--as", "Fay", "participant", "role", "Oz", "faculty"])
            .trim(),
        "Oz is now faculty"
    );
    let err = w.fails(&["--as", "Fay", "participant", "remove", "Samira"]);
    assert!(
        err.contains("1 vote") && err.contains("make them an observer"),
        "{err}"
    );
    assert_eq!(
        w.ok(&["--as", "Fay", "participant", "remove", "oz"]).trim(),
        "removed Oz (faculty)"
    );
    let list = w.ok(&["participant", "list"]);
    assert!(!list.contains("Oz") && list.contains("Samira"), "{list}");
    let history = w.ok(&["history"]);
    for action in [
        "participant renamed",
        "participant role changed",
        "participant removed",
    ] {
        assert!(history.contains(action), "{action} missing: {history}");
    }
}
