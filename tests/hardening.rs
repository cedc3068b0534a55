//! The workshop file and the command line under bad input and abuse, end to end: the
//! real binary on real files. Files that must not be touched are compared byte for byte.
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn crosswalk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crosswalk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("CROSSWALK_DB")
        .env_remove("CROSSWALK_AS")
        .stdin(Stdio::null())
        .output()
        .expect("run crosswalk")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        stdout(out)
    );
    stdout(out)
}

/// The one-line error of a command that must fail with exit code 1.
fn error(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "should fail: {}", stdout(out));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let line = err
        .lines()
        .find(|l| l.starts_with("crosswalk: error: "))
        .unwrap_or_else(|| panic!("no error line in {err:?}"));
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !line.contains("Error code") && !line.contains("unable to open database file"),
        "SQLite's own words leak through: {line}"
    );
    line.to_string()
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-frameworks")
}

/// The file and everything beside it (a -wal or -shm would mean it was opened for writing).
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_missing_db_is_not_created_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("wrokshop/w.sqlite");
    let err = error(&crosswalk(&typo, &["frameworks"]));
    assert!(
        err.contains("does not exist")
            && err.contains("crosswalk init")
            && err.contains("--create"),
        "{err}"
    );
    assert!(
        !dir.path().join("wrokshop").exists(),
        "no folder made for a typo"
    );

    // `init` makes an empty workshop, and refuses to make it twice.
    let new = dir.path().join("new/w.sqlite");
    let made = ok(&crosswalk(&new, &["init"]));
    assert!(made.contains("created"), "{made}");
    assert!(ok(&crosswalk(&new, &["frameworks"])).contains("no frameworks yet"));
    let again = error(&crosswalk(&new, &["init"]));
    assert!(again.contains("already exists"), "{again}");
    let seeded = dir.path().join("seeded.sqlite");
    let out = Command::new(env!("CARGO_BIN_EXE_crosswalk"))
        .arg("init")
        .arg(&seeded)
        .arg("--samples")
        .env_remove("CROSSWALK_DB")
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(ok(&crosswalk(&seeded, &["frameworks"])).lines().count(), 4);

    // --create makes the file as the default workshop is made: with the samples.
    let created = dir.path().join("created.sqlite");
    let out = crosswalk(&created, &["--create", "frameworks"]);
    assert_eq!(ok(&out).lines().count(), 4);
    assert!(String::from_utf8_lossy(&out.stderr).contains("created"));
}

#[test]
fn a_directory_or_a_path_through_a_file_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let err = error(&crosswalk(dir.path(), &["frameworks"]));
    assert!(err.contains("is a directory"), "{err}");
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "hello").unwrap();
    let err = error(&crosswalk(&file.join("w.sqlite"), &["frameworks"]));
    assert!(err.contains("cannot be opened"), "{err}");
    let err = error(&crosswalk(
        &file.join("w.sqlite"),
        &["--create", "frameworks"],
    ));
    assert!(err.contains("cannot create the folder"), "{err}");
}

/// Runs `frameworks` on a file that is not crosswalk's: refused, the file as it was.
fn refused_untouched(setup: impl FnOnce(&Path)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("file.sqlite");
    setup(&path);
    let before = snapshot(dir.path());
    let err = error(&crosswalk(&path, &["frameworks"]));
    let err2 = error(&crosswalk(&path, &["--create", "import", "-"]));
    assert_eq!(err, err2, "--create does not make a foreign file ours");
    assert_eq!(snapshot(dir.path()), before, "the file was changed: {err}");
    err
}

#[test]
fn another_programs_sqlite_file_is_refused_without_touching_it() {
    let err = refused_untouched(|p| {
        let conn = rusqlite::Connection::open(p).unwrap();
        conn.execute_batch(
            "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);
             INSERT INTO invoices VALUES (1, 9.5);",
        )
        .unwrap();
    });
    assert!(
        err.contains("is not a crosswalk workshop") && err.contains("invoices"),
        "{err}"
    );
    // Marked by another program, even with a table of the same name as one of ours.
    let err = refused_untouched(|p| {
        let conn = rusqlite::Connection::open(p).unwrap();
        conn.execute_batch("PRAGMA application_id = 1234; CREATE TABLE frameworks (x);")
            .unwrap();
    });
    assert!(
        err.contains("is not a crosswalk workshop") && err.contains("another program"),
        "{err}"
    );
    let err = refused_untouched(|p| std::fs::write(p, "id,name\n1,not a database\n").unwrap());
    assert!(err.contains("not an SQLite database"), "{err}");
}

#[test]
fn a_workshop_from_a_newer_crosswalk_is_refused_before_anything_changes() {
    let err = refused_untouched(|p| {
        ok(&crosswalk(p, &["--create", "frameworks"]));
        let conn = rusqlite::Connection::open(p).unwrap();
        // A newer crosswalk's file, in rollback-journal mode: opening must not switch it to WAL.
        conn.pragma_update(None, "user_version", 99).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    });
    assert!(
        err.contains("newer crosswalk") && err.contains("99") && err.contains("untouched"),
        "{err}"
    );
}

#[test]
fn a_workshop_file_says_it_is_crosswalks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.sqlite");
    ok(&crosswalk(&path, &["init"]));
    let id: i32 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, crosswalk::store::APPLICATION_ID);
}

#[test]
fn a_workshop_locked_by_another_program_is_named_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.sqlite");
    ok(&crosswalk(&path, &["--create", "frameworks"]));
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE;").unwrap();
    let err = error(&crosswalk(
        &path,
        &["participant", "add", "Ana", "--role", "faculty"],
    ));
    assert!(err.contains("is locked by another program"), "{err}");
    other.execute_batch("ROLLBACK;").unwrap();
}

/// `crosswalk` run as an unprivileged user when the tests run as root (root writes
/// anywhere); `None` when that is not possible here.
fn as_unprivileged(args: &[&std::ffi::OsStr]) -> Option<Output> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_crosswalk"),
        ]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_crosswalk"))
    };
    let out = cmd
        .args(args)
        .env_remove("CROSSWALK_DB")
        .stdin(Stdio::null())
        .output();
    match out {
        Ok(out) if !String::from_utf8_lossy(&out.stderr).contains("setpriv:") => Some(out),
        _ => {
            eprintln!("note: cannot run as an unprivileged user here; skipped");
            None
        }
    }
}

#[test]
fn a_workshop_in_a_read_only_folder_can_be_listed_shown_and_exported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("handout");
    std::fs::create_dir(&folder).unwrap();
    let path = folder.join("w.sqlite");
    ok(&crosswalk(&path, &["--create", "frameworks"]));
    ok(&crosswalk(&path, &["link", "CHW-PLO.1.2", "CHW.C.1.3"]));
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    for (p, mode) in [
        (dir.path(), 0o755),
        (&folder, 0o555),
        (&path, 0o444),
        (&out_dir, 0o777),
    ] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let before = snapshot(&folder);
    let run = |args: &[&str]| {
        let mut all: Vec<&std::ffi::OsStr> = vec!["--db".as_ref(), path.as_os_str()];
        all.extend(args.iter().map(|a| std::ffi::OsStr::new(*a)));
        as_unprivileged(&all)
    };
    let Some(list) = run(&["frameworks"]) else {
        return;
    };
    assert_eq!(ok(&list).lines().count(), 4);
    assert!(String::from_utf8_lossy(&list.stderr).contains("read-only"));
    assert!(ok(&run(&["show", "1"]).unwrap()).contains("CHW-PLO.1.2"));
    assert!(ok(&run(&["links"]).unwrap()).contains("CHW-PLO.1.2 -> CHW.C.1.3"));
    let case = ok(&run(&["export"]).unwrap());
    let v: serde_json::Value = serde_json::from_str(&case).unwrap();
    assert_eq!(v["CFAssociations"].as_array().unwrap().len(), 1, "{case}");
    let report = out_dir.join("report");
    ok(&run(&["report", "-o", report.to_str().unwrap()]).unwrap());
    assert!(report.join("report.md").exists());
    let err = error(&run(&["link", "CHW-PLO.1.1", "CHW.C.1.1"]).unwrap());
    assert!(err.contains("is read-only"), "{err}");
    assert_eq!(snapshot(&folder), before);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_damaged_workshop_is_reported_not_exported_from() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.sqlite");
    ok(&crosswalk(
        &path,
        &["--create", "link", "CHW-PLO.1.2", "CHW.C.1.3"],
    ));
    let (page_size, root): (i64, i64) = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'items_by_code'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (size, root)
    };
    // Scribble over the index's root page, as a failing disk might.
    let mut bytes = std::fs::read(&path).unwrap();
    let start = ((root - 1) * page_size) as usize;
    bytes[start..start + 64].fill(0xA5);
    std::fs::write(&path, &bytes).unwrap();
    let out = crosswalk(&path, &["export", "--format", "csv"]);
    let err = error(&out);
    assert!(err.contains("is damaged"), "{err}");
    assert!(out.stdout.is_empty(), "nothing exported: {}", stdout(&out));
    // A framework is checked while it is written to a file: the file written before
    // stays as it was, and no half-made one is left beside it.
    let earlier = dir.path().join("framework.json");
    std::fs::write(&earlier, "the export of yesterday").unwrap();
    for to in [&["-o", earlier.to_str().unwrap()][..], &[]] {
        let mut args = vec!["export", "--framework", "1"];
        args.extend_from_slice(to);
        let out = crosswalk(&path, &args);
        let err = error(&out);
        assert!(err.contains("is damaged"), "{err}");
        assert!(out.stdout.is_empty(), "nothing exported: {}", stdout(&out));
    }
    assert_eq!(
        std::fs::read_to_string(&earlier).unwrap(),
        "the export of yesterday"
    );
    let mut left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["framework.json", "w.sqlite"]);
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.sqlite");
    ok(&crosswalk(&path, &["--create", "frameworks"]));
    for args in [&["coverage", "--all"][..], &["show", "1"], &["export"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crosswalk"))
            .arg("--db")
            .arg(&path)
            .args(args)
            .env_remove("CROSSWALK_DB")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before a line is read, as `| head -0` would.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.is_empty(), "{args:?}: {err}");
        assert!(
            matches!(out.status.code(), Some(0 | 141)),
            "{args:?}: {:?}",
            out.status
        );
    }
}

#[test]
fn codes_match_without_regard_to_case_and_near_misses_are_suggested() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.sqlite");
    let linked = ok(&crosswalk(
        &path,
        &["--create", "link", "chw-plo.1.2", "Chw.C.1.3"],
    ));
    assert!(linked.contains("CHW-PLO.1.2 -> CHW.C.1.3"), "{linked}");
    let err = error(&crosswalk(&path, &["link", "CHW-PLO.1.22", "CHW.C.1.3"]));
    assert!(err.contains("did you mean `CHW-PLO.1.2`"), "{err}");
    let err = error(&crosswalk(
        &path,
        &["show", "Distribution Lineworkr: Job Competencies"],
    ));
    assert!(
        err.contains("did you mean `Distribution Lineworker: Job Competencies`"),
        "{err}"
    );
}

/// Every kind of terminal escape: OSC 52 (clipboard write), OSC 0 (window title), a
/// DCS string, CSI screen clear, and their one-byte C1 forms.
const HOSTILE: &str = "\u{1b}]52;c;cHduZWQ=\u{07}\u{1b}]0;pwned\u{07}\u{1b}P1$qpwned\u{1b}\\\u{1b}[2J\u{9b}2J\u{9d}0;pwned\u{9c}\u{202e}";

/// No escape reaches the terminal: no ESC, BEL or C1 control, no payload left over.
fn assert_clean(what: &str, text: &str) {
    assert_no_controls(what, text);
    assert!(
        !text.contains("pwned") && !text.contains("52;c"),
        "{what} printed an escape's payload:\n{text}"
    );
}

fn assert_no_controls(what: &str, text: &str) {
    let bad: Vec<String> = text
        .chars()
        .filter(|c| (c.is_control() && !matches!(c, '\n' | '\t' | '\r')) || *c == '\u{202e}')
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(bad.is_empty(), "{what} printed {bad:?}:\n{text}");
}

#[test]
fn imported_escape_sequences_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.sqlite");
    ok(&crosswalk(&path, &["init"]));
    // A real package with hostile text in its title, a code, statements and keywords,
    // and an association to nowhere (its warning names the hostile identifier).
    let text = std::fs::read_to_string(samples().join("energy-technician-outcomes.json")).unwrap();
    let mut pkg: serde_json::Value = serde_json::from_str(&text).unwrap();
    let title = format!("Hostile {HOSTILE} outcomes");
    pkg["CFDocument"]["title"] = title.clone().into();
    let items = pkg["CFItems"].as_array_mut().unwrap();
    for item in items.iter_mut() {
        let statement = format!("{}{HOSTILE}", item["fullStatement"].as_str().unwrap());
        item["fullStatement"] = statement.into();
    }
    items[1]["humanCodingScheme"] = format!("EVIL{HOSTILE}").into();
    let mut stray = pkg["CFAssociations"][0].clone();
    stray["identifier"] = format!("stray{HOSTILE}").into();
    stray["associationType"] = "isRelatedTo".into();
    stray["destinationNodeURI"]["identifier"] = format!("nowhere{HOSTILE}").into();
    pkg["CFAssociations"].as_array_mut().unwrap().push(stray);
    let file = dir.path().join("hostile.json");
    std::fs::write(&file, serde_json::to_vec(&pkg).unwrap()).unwrap();
    let jobs = samples().join("energy-utility-competencies.json");

    let mut printed = Vec::new();
    let mut run = |args: &[&str]| {
        let out = crosswalk(&path, args);
        printed.push((format!("{args:?}"), out.clone()));
        out
    };
    ok(&run(&[
        "import",
        file.to_str().unwrap(),
        "--side",
        "educator",
    ]));
    ok(&run(&[
        "import",
        jobs.to_str().unwrap(),
        "--side",
        "employer",
    ]));
    let leaf = pkg["CFItems"][2]["identifier"]
        .as_str()
        .unwrap()
        .to_string();
    let note = format!("note {HOSTILE}");
    ok(&run(&["link", &leaf, "UTIL.P.1", "--note", &note]));
    let name = format!("Eve{HOSTILE}");
    ok(&run(&["participant", "add", &name, "--role", "faculty"]));
    ok(&run(&[
        "participant",
        "add",
        "Sam",
        "--role",
        "employer-sme",
    ]));
    ok(&run(&[
        "--as",
        &name,
        "vote",
        &leaf,
        "UTIL.P.1",
        "dispute",
        "--comment",
        &note,
    ]));
    ok(&run(&[
        "--as",
        "Sam",
        "validate",
        "UTIL.P.1",
        "needs-revision",
        "--comment",
        &note,
    ]));
    for args in [
        &["frameworks"][..],
        &["show", "1"],
        &["links"],
        &["history"],
        &["coverage", "--all"],
        &["suggest", "1"],
        &["participant", "list"],
        &["export", "--format", "csv", "--status", "all"],
        &["export", "--format", "sssom", "--status", "all"],
    ] {
        ok(&run(args));
    }
    // Error messages carry what the user typed or the file held.
    error(&run(&["show", &format!("no such {title}")]));
    error(&run(&["link", &format!("EVIL{HOSTILE}x"), "UTIL.P.1"]));
    for (what, out) in &printed {
        assert_clean(what, &stdout(out));
        assert_clean(what, &String::from_utf8_lossy(&out.stderr));
    }

    // JSON escapes every control character, C1 included, and keeps the text exact.
    for args in [
        &["links", "--json"][..],
        &["history", "--json"],
        &["coverage", "--json", "--all"],
        &["suggest", "1", "--format", "json"],
        &["export", "--status", "all", "--case-version", "1.1"],
    ] {
        let json = ok(&crosswalk(&path, args));
        assert_no_controls(&format!("{args:?}"), &json);
        assert!(json.contains("\\u009b"), "{args:?} escapes U+009B:\n{json}");
        serde_json::from_str::<serde_json::Value>(&json).expect("still JSON");
    }
    let links: serde_json::Value =
        serde_json::from_str(&ok(&crosswalk(&path, &["links", "--json"]))).unwrap();
    assert_eq!(links[0]["note"], note.as_str(), "the data itself is kept");
}

#[test]
fn a_typo_in_keys_toml_costs_its_line_not_the_screen() {
    use crosswalk::app::{self, Options};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("keys.toml"),
        "[global]\nquit = \"Q\"\nhelp = \"ctrl-\"\n[tree\nlink = \"L\"\n",
    )
    .unwrap();
    let mut ws = crosswalk::store::Workshop::open_in_memory().unwrap();
    let options = Options {
        config_dir: Some(dir.path().to_path_buf()),
        ..Options::default()
    };
    let state = app::initial_state(&mut ws, &options).expect("the screen still starts");
    let said = state.message.expect("the status bar says what was skipped");
    assert!(
        said.text.contains("keys.toml") && said.text.contains("more"),
        "{}",
        said.text
    );
    let q = app::Key::parse("Q").unwrap();
    assert_eq!(
        state.keymap.action(app::Section::Global, q),
        Some(app::Action::Quit),
        "the rest of the file applies"
    );
}
