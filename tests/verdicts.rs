//! Employer SMEs' verdicts, end to end: one per expert, a standing derived by a rule,
//! disagreement shown, each verdict and its comment in `coverage`, its JSON, the coverage
//! CSV and the report, `validate --withdraw`, and domains refused.
mod common;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;

struct Workshop {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    db: PathBuf,
}

impl Workshop {
    fn new() -> Workshop {
        let dir = tempfile::tempdir().unwrap();
        let w = Workshop {
            db: dir.path().join("w.sqlite"),
            dir: dir.path().to_path_buf(),
            _dir: dir,
        };
        w.ok(&["link", "CHW-PLO.1.2", "CHW.C.1.1"]);
        for (name, role) in [
            ("Fay", "facilitator"),
            ("Sam", "employer-sme"),
            ("Lee", "employer-sme"),
        ] {
            w.ok(&["participant", "add", name, "--role", role]);
        }
        w
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

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?} should fail");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!err.contains("panicked"), "{err}");
        err
    }
}

/// The coverage JSON's node for a code.
fn node<'a>(coverage: &'a Value, code: &str) -> &'a Value {
    coverage["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["nodes"].as_array().unwrap())
        .find(|n| n["code"] == code)
        .unwrap()
}

#[test]
fn every_expert_has_a_say_and_disagreement_shows_everywhere() {
    let w = Workshop::new();
    let out = w.ok(&["--as", "Sam", "validate", "CHW.C.1.1", "validated"]);
    assert!(out.contains("CHW.C.1.1 stands: validated (Sam)"), "{out}");
    let out = w.ok(&[
        "--as",
        "Lee",
        "validate",
        "CHW.C.1.1",
        "needs-revision",
        "--comment",
        "name the benefit programs",
    ]);
    assert!(
        out.contains("verdicts differ: Sam (employer-sme) validated; Lee (employer-sme) needs revision: name the benefit programs"),
        "Lee's verdict sits beside Sam's: {out}"
    );
    w.ok(&["--as", "Sam", "validate", "CHW.C.1.2", "not-relevant"]);

    let text = w.ok(&["coverage"]);
    assert!(
        text.contains("CHW.C.1.1  not counted: verdicts differ: Sam (employer-sme) validated; Lee (employer-sme) needs revision: name the benefit programs"),
        "{text}"
    );
    assert!(
        text.contains("CHW.C.1.2  not counted: not relevant (Sam)"),
        "{text}"
    );
    assert!(
        text.contains("CHW.C.1.3  not counted: no verdict yet"),
        "{text}"
    );
    assert!(!text.contains("NOT VALIDATED"), "{text}");

    let json: Value = serde_json::from_str(&w.ok(&["coverage", "--json"])).unwrap();
    let j = &node(&json, "CHW.C.1.1")["judgement"];
    assert_eq!(j["contested"], true);
    assert_eq!(j["verdicts"].as_array().unwrap().len(), 2);
    assert_eq!(j["verdicts"][1]["comment"], "name the benefit programs");
    assert_eq!(j["verdicts"][1]["by"], "Lee");
    assert_eq!(node(&json, "CHW.C.1.3")["judgement"], Value::Null);

    let dir = w.dir.join("report");
    w.ok(&["report", "-o", dir.to_str().unwrap()]);
    let csv = std::fs::read(dir.join("coverage-competencies.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(&csv[3..]);
    let head = reader.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[col("code")] == "CHW.C.1.1")
        .unwrap();
    assert_eq!(&row[col("verdict")], "contested");
    assert_eq!(
        &row[col("verdicts")],
        "Sam: validated; Lee: needs-revision (name the benefit programs)"
    );
    for name in ["report.md", "report.html"] {
        let report = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(
            report.contains("Competency verdicts")
                && report.contains("name the benefit programs")
                && report.contains("verdicts differ"),
            "{name}"
        );
    }

    // A facilitator records the room's decision: it stands.
    let out = w.ok(&[
        "--as",
        "Fay",
        "validate",
        "CHW.C.1.1",
        "validated",
        "--comment",
        "agreed after discussion",
    ]);
    assert!(out.contains("stands: validated (Fay)"), "{out}");
    let json: Value = serde_json::from_str(&w.ok(&["coverage", "--json"])).unwrap();
    let n = node(&json, "CHW.C.1.1");
    assert_eq!(n["judgement"]["contested"], false);
    assert_eq!(
        n["state"], "gap",
        "counted now (its one link is still only proposed)"
    );
}

#[test]
fn a_verdict_is_withdrawn_by_its_giver_and_domains_are_not_judged() {
    let w = Workshop::new();
    w.ok(&["--as", "Sam", "validate", "CHW.C.1.1", "validated"]);
    w.ok(&[
        "--as",
        "Lee",
        "validate",
        "CHW.C.1.1",
        "not-relevant",
        "--comment",
        "not this role",
    ]);
    let out = w.ok(&["--as", "Lee", "validate", "CHW.C.1.1", "--withdraw"]);
    assert!(
        out.contains("verdict withdrawn") && out.contains("stands: validated (Sam)"),
        "{out}"
    );
    let err = w.fails(&["--as", "Lee", "validate", "CHW.C.1.1", "--withdraw"]);
    assert!(err.contains("no verdict of Lee's"), "{err}");
    let out = w.ok(&["--as", "Sam", "validate", "CHW.C.1.1", "--withdraw"]);
    assert!(out.contains("no verdict now"), "{out}");
    let log = w.ok(&["history", "--item", "CHW.C.1.1"]);
    assert_eq!(log.matches("validation withdrawn").count(), 2, "{log}");

    let err = w.fails(&["--as", "Sam", "validate", "CHW.C.1", "validated"]);
    assert!(err.contains("CHW.C.1 is a domain"), "{err}");
    // Neither a verdict nor --withdraw, or an unknown verdict: the usage error says what to give.
    let usage = |args: &[&str]| {
        let out = w.run(args);
        assert!(!out.status.success(), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = usage(&["--as", "Sam", "validate", "CHW.C.1.1"]);
    assert!(err.contains("<VERDICT>"), "{err}");
    let err = usage(&["--as", "Sam", "validate", "CHW.C.1.1", "great"]);
    assert!(
        err.contains("validated, needs-revision, not-relevant"),
        "{err}"
    );

    let help = w.ok(&["validate", "--help"]);
    for needle in [
        "validated",
        "needs-revision",
        "not-relevant",
        "--withdraw",
        "a facilitator's verdict records what the room decided",
    ] {
        assert!(help.contains(needle), "{needle}: {help}");
    }
}
