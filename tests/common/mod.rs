//! What the end-to-end tests of the command line share: the real binary on a workshop
//! file (made, with the sample frameworks, when it does not exist yet), and its verdicts.
#![allow(dead_code)] // each test file uses its own part

pub mod tmux;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// `crosswalk --db DB --create ARGS…`, with the caller's environment kept out of it.
pub fn crosswalk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crosswalk"))
        .arg("--db")
        .arg(db)
        .arg("--create")
        .args(args)
        .env_remove("CROSSWALK_DB")
        .env_remove("CROSSWALK_AS")
        .env_remove("CROSSWALK_PUBLIC_URL")
        .stdin(Stdio::null())
        .output()
        .expect("run crosswalk")
}

/// Standard output of a command that must have succeeded.
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Standard error of a command that must have failed cleanly (exit 1, no panic).
pub fn fails(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected failure, got: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// A file of `../shared` (real CASE material), when this checkout has it beside it (CI does).
pub fn shared(file: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(file);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: {} not present; skipping", p.display());
        None
    }
}
