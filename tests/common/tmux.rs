//! A terminal of the tests' own: the real binary run in tmux, read back with capture-pane.
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of our own (its own socket), killed when the test ends.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    /// Waits until the screen shows `text`; panics with the screen if it never does.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("`{text}` never appeared; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A tmux server of its own (named after `name`) running the shell `command` in a
    /// 120x36 pane.
    pub fn start(name: &str, command: &str) -> Tmux {
        let tmux = Tmux {
            socket: format!("crosswalk-e2e-{name}-{}", std::process::id()),
        };
        tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            "120",
            "-y",
            "36",
            command,
        ]);
        tmux
    }

    pub fn resize(&self, w: u16, h: u16) {
        self.run(&[
            "resize-window",
            "-t",
            "e2e",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", "e2e", k]);
            std::thread::sleep(Duration::from_millis(80));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

/// True (with a note) when tmux is not installed: the test is skipped (but not in CI).
pub fn tmux_missing() -> bool {
    let missing = Command::new("tmux").arg("-V").output().is_err();
    // CI installs tmux (.ci/run): there, a missing tmux is a failure, not a skip.
    assert!(
        !(missing && std::env::var("CI").is_ok_and(|v| v == "true")),
        "tmux is missing under CI=true"
    );
    if missing {
        eprintln!("note: skipped, tmux is not installed");
    }
    missing
}

/// The shell words that start the screen on `db`, with the user's own config (keys,
/// themes) kept out of it.
pub fn screen_command(dir: &Path, db: &Path) -> String {
    format!(
        "env XDG_CONFIG_HOME={cfg} HOME={cfg} TERM=xterm-256color {bin} --db {db} --create",
        cfg = dir.display(),
        bin = env!("CARGO_BIN_EXE_crosswalk"),
        db = db.display(),
    )
}
