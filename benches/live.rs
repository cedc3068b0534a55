//! One workshop, many people at once, at workshop scale: two 20,000-item frameworks and
//! 2,000 links in a file, a screen open on it, others writing to it.
//!   idle tick        what an open screen spends looking for others' changes when there are
//!                    none (it looks five times a second), and the CPU the real binary uses idle
//!   external vote    applying one vote made by another process to the screen's state
//!   commit to screen time from another process's commit to the change on the real screen
//!                    (the binary in tmux, read back with capture-pane)
//!   three writers    throughput of three processes' worth of writers on one file, and how
//!                    many were refused
//! Run: `cargo bench --bench live` (about a minute; the tmux parts need tmux).
mod support;

use crosswalk::app::{self, Action, Options};
use crosswalk::model::{Role, Vote};
use crosswalk::store::{NewLink, Workshop};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const ITEMS: usize = 20_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn summary(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{label:<44} n={:<5} p50 {:>9.3?}  p99 {:>9.3?}  max {:>9.3?}",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples[samples.len() - 1]
    );
}

fn link_ids(ws: &Workshop) -> Vec<String> {
    ws.links()
        .expect("links")
        .into_iter()
        .map(|l| l.identifier)
        .collect()
}

fn in_process(path: &Path) {
    let mut screen_ws = Workshop::open(path).expect("open");
    screen_ws.act_as(Some("Ana")).expect("Ana");
    let options = Options {
        config_dir: Some(PathBuf::from("/nonexistent/crosswalk-bench")),
        ..Options::default()
    };
    let mut state = crosswalk::screen::initial_state(&mut screen_ws, &options).expect("state");
    app::update(
        &mut state,
        &mut screen_ws,
        Action::Resize {
            width: 160,
            height: 48,
        },
    );
    // Idle: nobody writes.
    let ticks = 20_000;
    let start = Instant::now();
    for _ in 0..ticks {
        assert!(!app::tick(&mut state, &screen_ws));
    }
    let per_tick = start.elapsed() / ticks;
    println!(
        "{:<44} {per_tick:>9.3?} per look; at 5 looks a second: {:.4}% of a core",
        "idle tick (no change)",
        per_tick.as_secs_f64() * 5.0 * 100.0
    );
    // One external vote at a time, each applied by the screen's next tick.
    let mut other = Workshop::open(path).expect("open");
    other.act_as(Some("Sam")).expect("Sam");
    let ids = link_ids(&other);
    let samples = (0..300)
        .map(|k| {
            let vote = if k % 2 == 0 {
                Vote::Accept
            } else {
                Vote::Dispute
            };
            other
                .vote(&ids[k % ids.len()], vote, Some("bench"))
                .expect("vote");
            let start = Instant::now();
            assert!(app::tick(&mut state, &screen_ws), "the vote is seen");
            start.elapsed()
        })
        .collect();
    summary("external vote applied to the screen", samples);
}

/// Three writers, each on its own connection, as three processes would be.
fn three_writers(path: &Path) {
    const EACH: usize = 300;
    let ids = link_ids(&Workshop::open(path).expect("open"));
    let start = Instant::now();
    let refused: usize = std::thread::scope(|s| {
        let ids = &ids;
        let writers = [
            s.spawn(move || {
                let mut ws = Workshop::open(path).expect("open");
                ws.act_as(Some("Ana")).unwrap();
                (0..EACH)
                    .filter(|k| ws.vote(&ids[k % ids.len()], Vote::Accept, None).is_err())
                    .count()
            }),
            s.spawn(move || {
                let mut ws = Workshop::open(path).expect("open");
                ws.act_as(Some("Sam")).unwrap();
                (0..EACH)
                    .filter(|k| {
                        ws.add_comment(&ids[(k * 3) % ids.len()], "from Sam")
                            .is_err()
                    })
                    .count()
            }),
            s.spawn(move || {
                let mut ws = Workshop::open(path).expect("open");
                (0..EACH)
                    .filter(|k| {
                        let drawn = ws.create_link(&NewLink {
                            origin: format!("EDU-{:05}", (k * 11 + 3) % ITEMS),
                            destination: format!("EMP-{:05}", (k * 17 + 5) % ITEMS),
                            ..NewLink::default()
                        });
                        match drawn {
                            Ok(l) => ws.delete_link(&l.identifier).is_err(),
                            // Already linked by the generator: not a lock error.
                            Err(e) => e.to_string().contains("locked"),
                        }
                    })
                    .count()
            }),
        ];
        writers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    let elapsed = start.elapsed();
    let ops = EACH * 4; // votes, comments, links drawn and deleted
    println!(
        "{:<44} {ops} changes in {elapsed:.2?}: {:.0} changes/s, {refused} refused",
        "three concurrent writers",
        ops as f64 / elapsed.as_secs_f64()
    );
}

struct Tmux(String);

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.0)
            .args(args)
            .output()
            .expect("tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    fn wait_for(&self, text: &str, limit: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if self
                .run(&["capture-pane", "-p", "-t", "live"])
                .contains(text)
            {
                return true;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        false
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

fn cpu_ticks(pid: &str) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
    fields
        .get(11)
        .and_then(|u| u.parse::<u64>().ok())
        .unwrap_or(0)
        + fields
            .get(12)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0)
}

fn real_screen(path: &Path, dir: &Path) {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("(tmux not installed: the real screen's idle CPU and latency are not measured)");
        return;
    }
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/crosswalk");
    if !bin.exists() {
        println!(
            "(no target/release/crosswalk: run `cargo build --release` first to measure the real screen)"
        );
        return;
    }
    let pid_file = dir.join("pid");
    let command = format!(
        "echo $$ > {pid}; exec env XDG_CONFIG_HOME={cfg} HOME={cfg} TERM=xterm-256color {bin} --db {db} --as Ana",
        pid = pid_file.display(),
        cfg = dir.display(),
        bin = bin.display(),
        db = path.display()
    );
    let tmux = Tmux(format!("crosswalk-bench-live-{}", std::process::id()));
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "live",
        "-x",
        "160",
        "-y",
        "48",
        &command,
    ]);
    assert!(
        tmux.wait_for("as Ana", Duration::from_secs(30)),
        "the screen opened"
    );
    std::thread::sleep(Duration::from_secs(1));
    let pid = std::fs::read_to_string(&pid_file)
        .expect("pid")
        .trim()
        .to_string();
    let hz = 100.0; // USER_HZ on Linux
    let (before, t0) = (cpu_ticks(&pid), Instant::now());
    std::thread::sleep(Duration::from_secs(10));
    let used = (cpu_ticks(&pid) - before) as f64 / hz;
    println!(
        "{:<44} {:.3}% of a core over {:.0?}",
        "idle open screen (real binary, tmux)",
        used / t0.elapsed().as_secs_f64() * 100.0,
        t0.elapsed()
    );
    let mut other = Workshop::open(path).expect("open");
    other.act_as(Some("Sam")).expect("Sam");
    let links = other.links().expect("links");
    let samples: Vec<Duration> = (0..60)
        .map(|k| {
            let l = &links[k * 7 % links.len()];
            let vote = if k % 2 == 0 {
                Vote::Dispute
            } else {
                Vote::Accept
            };
            let word = if k % 2 == 0 { "disputed" } else { "accepted" };
            let expect = format!(
                "Sam {word} {} → {}",
                l.origin.label(),
                l.destination.label()
            );
            other
                .vote(&l.identifier, vote, Some("bench"))
                .expect("vote");
            let committed = Instant::now();
            assert!(
                tmux.wait_for(&expect, Duration::from_secs(5)),
                "{expect} shown"
            );
            let seen = committed.elapsed();
            // Let the note go stale before the next vote, so each is seen afresh.
            std::thread::sleep(Duration::from_millis(50));
            seen
        })
        .collect();
    summary("commit to screen (real binary, tmux)", samples);
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("live.sqlite");
    support::build_workshop(&path, ITEMS);
    {
        let mut ws = Workshop::open(&path).expect("open");
        ws.add_participant("Ana", Role::Faculty).expect("Ana");
        ws.add_participant("Sam", Role::EmployerSme).expect("Sam");
    }
    println!("two {ITEMS}-item frameworks, {} links", ITEMS / 10);
    in_process(&path);
    three_writers(&path);
    real_screen(&path, dir.path());
}
