//! Where exports and reports land: `-o` onto new and existing files, symbolic links,
//! devices and FIFOs, with the real binary on a temp workshop.
use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Workshop {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    db: PathBuf,
}

impl Workshop {
    /// A workshop with the sample frameworks and one link.
    fn new() -> Workshop {
        let dir = tempfile::tempdir().unwrap();
        let w = Workshop {
            db: dir.path().join("w.sqlite"),
            dir: dir.path().to_path_buf(),
            _dir: dir,
        };
        w.ok(&["link", "CHW-PLO.1.2", "CHW.C.1.3"]);
        w
    }

    /// Runs crosswalk under `sh` with umask 022, so modes are the same on every machine.
    fn run(&self, args: &[&str]) -> Output {
        Command::new("sh")
            .arg("-c")
            .arg("umask 022; exec \"$@\"")
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_crosswalk"))
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
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn new_files_follow_the_umask_and_existing_ones_keep_their_mode() {
    let w = Workshop::new();
    let new = w.path("new.json");
    w.ok(&["export", "-o", new.to_str().unwrap()]);
    assert_eq!(mode(&new), 0o644, "0666 less umask 022");

    let shared = w.path("shared.csv");
    fs::write(&shared, "old").unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o664)).unwrap();
    w.ok(&["export", "--format", "csv", "-o", shared.to_str().unwrap()]);
    assert_eq!(mode(&shared), 0o664, "an existing file keeps its mode");
    assert!(fs::read_to_string(&shared).unwrap().contains("CHW.C.1.3"));

    let report = w.path("report");
    w.ok(&["report", "-o", report.to_str().unwrap()]);
    for name in ["report.md", "report.html", "coverage-outcomes.csv"] {
        assert_eq!(mode(&report.join(name)), 0o644, "{name}");
    }
    // No temporary file is left behind.
    let stray: Vec<_> = fs::read_dir(&report)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn a_symlink_stays_a_symlink_and_its_target_is_written() {
    let w = Workshop::new();
    let target = w.path("real.json");
    fs::write(&target, "old").unwrap();
    let link = w.path("latest.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    w.ok(&["export", "-o", link.to_str().unwrap()]);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let doc: serde_json::Value = serde_json::from_slice(&fs::read(&target).unwrap()).unwrap();
    assert_eq!(doc["CFAssociations"].as_array().unwrap().len(), 1);
}

#[test]
fn devices_and_fifos_are_written_through_not_replaced() {
    let w = Workshop::new();
    let out = w.run(&["export", "-o", "/dev/full"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot write /dev/full") && !err.contains("panicked"),
        "{err}"
    );
    assert!(
        fs::metadata("/dev/full")
            .unwrap()
            .file_type()
            .is_char_device(),
        "/dev/full is still a device"
    );
    w.ok(&["export", "-o", "/dev/null"]);

    let fifo = w.path("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("note: mkfifo is not available; FIFO case not tried");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(&fifo).unwrap())
    };
    w.ok(&["export", "--format", "csv", "-o", fifo.to_str().unwrap()]);
    let read = reader.join().unwrap();
    assert!(String::from_utf8_lossy(&read).contains("CHW.C.1.3"));
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());

    let err = w.run(&["export", "-o", w.dir.to_str().unwrap()]);
    assert_eq!(err.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&err.stderr).contains("it is a folder"));
}
