//! The house rules, checked: arrows run one way, front ends on top, the core below.
//! `app/` (the screen's logic) never reaches into `ui/` (drawing); the core (`model/`,
//! `store/`, `case/`) knows no front end; no front end imports another.
use std::path::Path;

/// Every `crate::…` path used in the Rust files under `src/<dir>`, with where.
fn uses(dir: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir)];
    if let Some(file) = stack
        .first()
        .map(|d| d.with_extension("rs"))
        .filter(|f| f.exists())
    {
        stack.push(file);
    }
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else if p.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&p).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for (at, _) in code.match_indices("crate::") {
                    let path: String = code[at + 7..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    found.push((path, format!("{}:{}", p.display(), n + 1)));
                }
            }
        }
    }
    found
}

fn refuse(dir: &str, forbidden: &[&str]) {
    let bad: Vec<String> = uses(dir)
        .into_iter()
        .filter(|(m, _)| forbidden.contains(&m.as_str()))
        .map(|(m, at)| format!("{at} uses crate::{m}"))
        .collect();
    assert!(
        bad.is_empty(),
        "src/{dir} must not import {forbidden:?}:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_screens_logic_never_imports_drawing_code() {
    refuse("app", &["ui", "cli", "report", "screen"]);
}

#[test]
fn the_core_knows_no_front_end() {
    for core in ["model", "store", "case"] {
        refuse(core, &["app", "ui", "cli", "report", "screen"]);
    }
    refuse("model", &["store", "case"]);
}

#[test]
fn drawing_and_reports_import_no_other_front_end() {
    refuse("ui", &["cli", "report", "screen"]);
    refuse("report", &["cli", "app", "ui", "screen"]);
}
