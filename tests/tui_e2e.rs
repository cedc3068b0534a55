//! End to end: the real binary in a real terminal (tmux), on a temp workshop. A link is
//! drawn with keystrokes, the screen is quit, and the workshop file must hold the link.
use crosswalk::case::Package;
use crosswalk::model::{Framework, Item, LinkStatus, Role, Side};
use crosswalk::store::Workshop;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

mod common;
use common::tmux::{Tmux, screen_command, tmux_missing};

fn framework(id: &str, side: Side, codes: &[(&str, u16)]) -> Framework {
    let mut items: Vec<Item> = Vec::new();
    for (i, (code, depth)) in codes.iter().enumerate() {
        let parent = (0..i).rev().find(|&p| items[p].depth < *depth);
        items.push(Item {
            identifier: format!("{id}-{code}"),
            uri: format!("https://example.org/{id}/{code}"),
            code: code.to_string(),
            statement: format!("Statement of {code}"),
            depth: *depth,
            parent: if *depth == 0 { None } else { parent },
            ..Item::default()
        });
    }
    Framework {
        identifier: id.into(),
        title: format!("{id} framework"),
        side,
        items,
        ..Framework::default()
    }
}

fn wait_for_file(path: &Path) -> String {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if let Ok(s) = std::fs::read_to_string(path)
            && !s.is_empty()
        {
            return s;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "{} was never written: the screen did not exit",
        path.display()
    );
}

/// A workshop file with educator `edu` (COM, COM.1, COM.2) and employer `emp` (OUT, OUT.1, OUT.2).
fn two_frameworks(db: &Path) -> Workshop {
    let mut ws = Workshop::open(db).unwrap();
    let edu = framework(
        "edu",
        Side::Educator,
        &[("COM", 0), ("COM.1", 1), ("COM.2", 1)],
    );
    let emp = framework(
        "emp",
        Side::Employer,
        &[("OUT", 0), ("OUT.1", 1), ("OUT.2", 1)],
    );
    for fw in [edu, emp] {
        let side = fw.side;
        ws.import_package(
            &Package {
                framework: fw,
                ..Package::default()
            },
            Some(side),
        )
        .unwrap();
    }
    ws
}

/// The two frameworks, a link COM.1 -> OUT.2, and Ana (faculty) and Sam (employer SME).
fn session_workshop(db: &Path) {
    let mut ws = two_frameworks(db);
    ws.create_link(&crosswalk::store::NewLink {
        origin: "COM.1".into(),
        destination: "OUT.2".into(),
        ..Default::default()
    })
    .unwrap();
    ws.add_participant("Ana", Role::Faculty).unwrap();
    ws.add_participant("Sam", Role::EmployerSme).unwrap();
}

/// Starts the screen on `db` in a tmux of its own; its exit status goes to `exit`.
fn start(dir: &Path, db: &Path, exit: &Path, name: &str) -> Tmux {
    let command = format!("{}; echo $? > {}", screen_command(dir, db), exit.display());
    Tmux::start(name, &command)
}

#[test]
fn a_session_picks_who_is_at_the_keyboard_and_votes_a_link_to_agreement() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workshop.sqlite");
    session_workshop(&db);
    let exit = dir.path().join("exit-status");
    let tmux = start(dir.path(), &db, &exit, "session");
    tmux.wait_for("Who is at the keyboard?");
    tmux.keys(&["1"]);
    tmux.wait_for("as Ana (faculty)");
    tmux.keys(&["]"]);
    tmux.wait_for("open link 1 of 1");
    tmux.keys(&["y"]);
    tmux.wait_for("Ana votes accept: still proposed");
    tmux.keys(&["W"]);
    tmux.wait_for("Who is at the keyboard?");
    tmux.keys(&["2", "y"]);
    let screen = tmux.wait_for("proposed → agreed");
    assert!(
        screen.contains("✓1"),
        "the trees show the agreed link:\n{screen}"
    );
    tmux.keys(&["q"]);
    assert_eq!(wait_for_file(&exit).trim(), "0");

    let ws = Workshop::open(&db).unwrap();
    let links = ws.session_links().unwrap();
    assert_eq!(links[0].status, LinkStatus::Agreed);
    assert_eq!(links[0].provenance.reviewed_by, ["Ana", "Sam"]);
}

#[test]
fn a_link_drawn_with_keystrokes_is_in_the_workshop_after_quitting() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workshop.sqlite");
    two_frameworks(&db);
    let exit = dir.path().join("exit-status");
    let tmux = start(dir.path(), &db, &exit, "link");
    tmux.wait_for("BROWSE");
    // Down to COM.1, over to the right pane, down to OUT.2, link: type, strength, note.
    tmux.keys(&["j", "Tab", "j", "j", "a"]);
    tmux.wait_for("association type");
    tmux.keys(&["j", "Enter"]); // isRelatedTo
    tmux.wait_for("strength");
    tmux.keys(&["Enter"]);
    tmux.wait_for("rationale note");
    tmux.run(&["send-keys", "-t", "e2e", "-l", "taught in the e2e module"]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("linked COM.1 → OUT.2");
    assert!(screen.contains("●1"), "badges show the link:\n{screen}");
    tmux.keys(&["q"]);
    assert_eq!(wait_for_file(&exit).trim(), "0");

    let ws = Workshop::open(&db).unwrap();
    let links = ws.links().unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    let l = &links[0];
    assert_eq!(
        (l.origin.code.as_str(), l.destination.code.as_str()),
        ("COM.1", "OUT.2")
    );
    assert_eq!(l.association_type.as_str(), "isRelatedTo");
    assert_eq!(l.note, "taught in the e2e module");
}

/// The screen's pid: the pane runs `sh -c`, and the screen is its child (env execs it).
fn screen_pid(tmux: &Tmux) -> String {
    let shell = tmux.run(&["list-panes", "-t", "e2e", "-F", "#{pane_pid}"]);
    let out = Command::new("pgrep")
        .args(["-P", shell.trim()])
        .output()
        .expect("pgrep runs");
    let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        !pid.is_empty(),
        "no screen process under the pane's shell {shell}"
    );
    pid
}

/// What the terminal is in (alternate screen, cursor shown, mouse reporting), once it
/// is `want` or after five seconds (tmux reads the pane's output on its own time).
fn terminal_flags(tmux: &Tmux, want: &str) -> String {
    let start = Instant::now();
    loop {
        let now = pane_flags(tmux);
        if now == want || start.elapsed() > Duration::from_secs(5) {
            return now;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn pane_flags(tmux: &Tmux) -> String {
    tmux.run(&[
        "display-message",
        "-p",
        "-t",
        "e2e",
        "alt=#{alternate_on} cursor=#{cursor_flag} mouse=#{mouse_any_flag}",
    ])
    .trim()
    .to_string()
}

#[test]
fn terminating_signals_restore_the_terminal_and_exit_with_128_plus_the_signal() {
    if tmux_missing() {
        return;
    }
    for (signal, status) in [
        ("TERM", 143),
        ("HUP", 129),
        ("INT", 130),
        ("QUIT", 131),
        ("USR1", 138),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("workshop.sqlite");
        two_frameworks(&db);
        let after = dir.path().join("after");
        // After the screen: its exit status and whether the terminal is back in line mode.
        let command = format!(
            "{}; echo \"$? $(stty -a | grep -o -- '-\\?icanon')\" > {}; sleep 60",
            screen_command(dir.path(), &db),
            after.display()
        );
        // The shell stays (sleeping) after the screen ends, so the terminal can be read.
        let tmux = Tmux::start(&format!("sig{signal}"), &command);
        tmux.wait_for("BROWSE");
        assert_eq!(
            terminal_flags(&tmux, "alt=1 cursor=0 mouse=1"),
            "alt=1 cursor=0 mouse=1",
            "the screen is up"
        );
        let pid = screen_pid(&tmux);
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(killed.success());
        let result = wait_for_file(&after);
        assert_eq!(
            result.trim(),
            format!("{status} icanon"),
            "exit status and terminal mode after SIG{signal}"
        );
        assert_eq!(
            terminal_flags(&tmux, "alt=0 cursor=1 mouse=0"),
            "alt=0 cursor=1 mouse=0",
            "after SIG{signal}, the normal screen, cursor shown, no mouse reporting"
        );
    }
}

#[test]
fn ctrl_z_suspends_the_screen_and_fg_brings_it_back_working() {
    if tmux_missing() || Command::new("bash").arg("--version").output().is_err() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workshop.sqlite");
    two_frameworks(&db);
    let exit = dir.path().join("exit-status");
    // An interactive shell with job control, as a facilitator's terminal has.
    let tmux = Tmux::start("suspend", "PS1='shell$ ' bash --norc --noprofile -i");
    tmux.wait_for("shell$");
    let command = screen_command(dir.path(), &db);
    tmux.run(&["send-keys", "-t", "e2e", "-l", &command]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("BROWSE");
    for how in ["Ctrl-Z", "SIGTSTP"] {
        if how == "Ctrl-Z" {
            tmux.keys(&["C-z"]);
        } else {
            let shell = tmux.run(&["list-panes", "-t", "e2e", "-F", "#{pane_pid}"]);
            let out = Command::new("pgrep")
                .args(["-P", shell.trim(), "crosswalk"])
                .output()
                .unwrap();
            let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
            assert!(
                Command::new("kill")
                    .args(["-TSTP", &pid])
                    .status()
                    .unwrap()
                    .success()
            );
        }
        tmux.wait_for("Stopped");
        assert_eq!(
            terminal_flags(&tmux, "alt=0 cursor=1 mouse=0"),
            "alt=0 cursor=1 mouse=0",
            "{how}: the shell gets a normal terminal"
        );
        tmux.run(&["send-keys", "-t", "e2e", "clear; fg", "Enter"]);
        tmux.wait_for("BROWSE");
        assert_eq!(
            terminal_flags(&tmux, "alt=1 cursor=0 mouse=1"),
            "alt=1 cursor=0 mouse=1",
            "{how}: back"
        );
        // In raw mode a key acts at once, without Enter: `?` opens the help.
        tmux.keys(&["?"]);
        tmux.wait_for("Help: every key");
        tmux.keys(&["Escape"]);
    }
    tmux.keys(&["q"]);
    terminal_flags(&tmux, "alt=0 cursor=1 mouse=0");
    // Asked only now: a stopped job lets the rest of a `;` list run, with status 147.
    let ask = format!("echo $? > {}", exit.display());
    tmux.run(&["send-keys", "-t", "e2e", "-l", &ask]);
    tmux.keys(&["Enter"]);
    assert_eq!(wait_for_file(&exit).trim(), "0");
}

#[test]
fn a_hung_up_terminal_ends_the_screen_instead_of_spinning() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workshop.sqlite");
    let pid_file = dir.path().join("pid");
    // `exec` keeps the shell's pid for the screen, so the pid file names the screen itself.
    let command = format!(
        "echo $$ > {}; exec {}",
        pid_file.display(),
        screen_command(dir.path(), &db)
    );
    let tmux = Tmux::start("hup", &command);
    tmux.wait_for("decided: outcomes");
    let pid = wait_for_file(&pid_file).trim().to_string();
    let proc_dir = Path::new("/proc").join(&pid);
    assert!(proc_dir.exists(), "the screen runs as pid {pid}");
    // Killing the server closes the pseudo-terminal under the screen (and sends SIGHUP).
    tmux.run(&["kill-server"]);
    let start = Instant::now();
    while proc_dir.exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let gone = !proc_dir.exists()
        || std::fs::read_to_string(proc_dir.join("stat")).is_ok_and(|s| s.contains(") Z "));
    if !gone {
        let _ = Command::new("kill").args(["-9", &pid]).status();
    }
    assert!(
        gone,
        "the screen was still running 10 s after its terminal hung up"
    );
}

#[test]
fn two_screens_on_one_file_see_each_others_votes_and_the_command_lines_links_without_a_key() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workshop.sqlite");
    session_workshop(&db);
    let as_ = |who: &str| format!("{} --as {who}", screen_command(dir.path(), &db));
    let ana = Tmux::start("live-ana", &as_("Ana"));
    let sam = Tmux::start("live-sam", &as_("Sam"));
    ana.wait_for("as Ana (faculty)");
    sam.wait_for("as Sam (employer-sme)");
    // Sam disputes the open link on his screen; Ana's shows it with no key pressed there.
    sam.keys(&["]"]);
    sam.wait_for("open link 1 of 1");
    sam.keys(&["!"]);
    sam.run(&[
        "send-keys",
        "-t",
        "e2e",
        "-l",
        "interpreting is a separate skill",
    ]);
    sam.keys(&["Enter"]);
    sam.wait_for("Sam votes dispute");
    let screen = ana.wait_for("Sam disputed COM.1 → OUT.2");
    assert!(
        screen.contains("!1"),
        "Ana's tree shows the dispute:\n{screen}"
    );
    // A link drawn on the command line appears on both.
    let out = Command::new(env!("CARGO_BIN_EXE_crosswalk"))
        .arg("--db")
        .arg(&db)
        .args(["link", "COM.2", "OUT.1", "--note", "from the shell"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for screen in [&ana, &sam] {
        screen.wait_for("someone linked COM.2 → OUT.1");
    }
}

/// A workshop file with an educator framework of these (code, depth, statement) rows and
/// a small employer one.
fn frameworks_with_statements(db: &Path, rows: &[(&str, u16, &str)]) {
    let mut edu = framework(
        "edu",
        Side::Educator,
        &rows.iter().map(|(c, d, _)| (*c, *d)).collect::<Vec<_>>(),
    );
    for (it, (_, _, s)) in edu.items.iter_mut().zip(rows) {
        it.statement = s.to_string();
    }
    let emp = framework(
        "emp",
        Side::Employer,
        &[("OUT", 0), ("OUT.1", 1), ("OUT.2", 1)],
    );
    let mut ws = Workshop::open(db).unwrap();
    for fw in [edu, emp] {
        let side = fw.side;
        ws.import_package(
            &Package {
                framework: fw,
                ..Package::default()
            },
            Some(side),
        )
        .unwrap();
    }
}

#[test]
fn at_100x30_search_lands_on_the_word_and_the_next_key_acts_on_it() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workshop.sqlite");
    frameworks_with_statements(
        &db,
        &[
            ("SAF", 0, "Safety"),
            // m-a-n-d-a-t-e-d strewn over a sentence: skim alone ranked this first.
            (
                "SAF.1",
                1,
                "Maintain accurate records and data entries, dated",
            ),
            ("SAF.2", 1, "Report suspected abuse as mandated by law"),
            ("SAF.3", 1, "Demand and date every consent form"),
        ],
    );
    let exit = dir.path().join("exit-status");
    let tmux = start(dir.path(), &db, &exit, "search");
    tmux.resize(100, 30);
    tmux.wait_for("BROWSE");
    tmux.keys(&["/"]);
    tmux.run(&["send-keys", "-t", "e2e", "-l", "mandated"]);
    let screen = tmux.wait_for("1 hit ·");
    assert!(
        !screen.contains("SAF.1 Maintain"),
        "strewn letters are no hit:\n{screen}"
    );
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("1 hit: n / N");
    assert!(
        screen.contains("SAF.2  Competency") || screen.contains("SAF.2 "),
        "{screen}"
    );
    // The next key acts on the item the search showed.
    tmux.keys(&["x"]);
    tmux.wait_for("⊘ marked");
    tmux.keys(&["q"]);
    assert_eq!(wait_for_file(&exit).trim(), "0");
    let ws = Workshop::open(&db).unwrap();
    let fw = ws
        .load_framework(
            ws.frameworks()
                .unwrap()
                .iter()
                .find(|f| f.identifier == "edu")
                .unwrap()
                .id,
        )
        .unwrap();
    let marked: Vec<&str> = fw
        .items
        .iter()
        .filter(|i| i.no_equivalent)
        .map(|i| i.code.as_str())
        .collect();
    assert_eq!(marked, ["SAF.2"]);
}

#[test]
fn at_100x30_presentation_mode_shows_whole_statements_and_the_focus_view_both_in_full() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workshop.sqlite");
    let long = "Advocate for individual and community needs by gathering information, \
        presenting it to decision makers in plain terms, and following up until the barrier is gone";
    frameworks_with_statements(&db, &[("ADV", 0, "Advocacy"), ("ADV.1", 1, long)]);
    let exit = dir.path().join("exit-status");
    let tmux = start(dir.path(), &db, &exit, "present");
    tmux.resize(100, 30);
    let screen = tmux.wait_for("BROWSE");
    assert!(
        !screen.contains("until the barrier"),
        "cut without it:\n{screen}"
    );
    tmux.keys(&["P"]);
    let screen = tmux.wait_for("until the barrier");
    let rows: Vec<&str> = screen.lines().collect();
    // In the tree (the left half of the upper rows), not only in the detail pane.
    let tree: String = rows
        .iter()
        .take(14)
        .map(|l| l.chars().take(50).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(tree.contains("until the barrier"), "{screen}");
    assert!(
        tree.lines().any(|l| l.contains(" gone ")),
        "the last word too:\n{screen}"
    );
    // The focus view: the outcome and the competency side by side, in full.
    tmux.keys(&["j", "z"]);
    let screen = tmux.wait_for("not linked: a links them");
    assert!(screen.contains("Statement of OUT"), "{screen}");
    assert!(screen.contains("barrier"), "{screen}");
    tmux.keys(&["Escape", "q"]);
    assert_eq!(wait_for_file(&exit).trim(), "0");
}

#[test]
fn the_link_list_filters_and_enter_goes_to_the_link() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workshop.sqlite");
    {
        let mut ws = two_frameworks(&db);
        for (o, d, note) in [("COM.1", "OUT.1", "first"), ("COM.2", "OUT.2", "second")] {
            ws.create_link(&crosswalk::store::NewLink {
                origin: o.into(),
                destination: d.into(),
                note: note.into(),
                ..Default::default()
            })
            .unwrap();
        }
    }
    let exit = dir.path().join("exit-status");
    let tmux = start(dir.path(), &db, &exit, "links");
    tmux.resize(100, 30);
    tmux.wait_for("BROWSE");
    tmux.keys(&["A"]);
    let screen = tmux.wait_for("Links: 2 of 2 · sorted by left item");
    assert!(
        screen.contains("COM.1 → OUT.1") && screen.contains("COM.2 → OUT.2"),
        "{screen}"
    );
    tmux.keys(&["o", "j", "Enter"]);
    let screen = tmux.wait_for("DETAIL");
    assert!(
        !screen.contains("“first”"),
        "only the chosen link's item:\n{screen}"
    );
    assert!(
        screen.contains("“second”"),
        "the detail pane is on COM.2 → OUT.2:\n{screen}"
    );
    tmux.keys(&["q"]);
    assert_eq!(wait_for_file(&exit).trim(), "0");
}

#[test]
fn a_mouse_drag_from_an_outcome_to_a_competency_opens_the_link_wizard() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workshop.sqlite");
    two_frameworks(&db);
    let exit = dir.path().join("exit-status");
    let tmux = start(dir.path(), &db, &exit, "drag");
    tmux.resize(100, 30);
    tmux.wait_for("BROWSE");
    // SGR mouse reports (1-based columns and rows): press on COM.1 (second tree row, left),
    // drag, release on OUT.2 (third row, right).
    for seq in [
        "\x1b[<0;12;3M",
        "\x1b[<32;40;3M",
        "\x1b[<32;62;4M",
        "\x1b[<0;62;4m",
    ] {
        tmux.run(&["send-keys", "-t", "e2e", "-l", seq]);
        std::thread::sleep(Duration::from_millis(80));
    }
    tmux.wait_for("Link COM.1 → OUT.2: 1/3 association type");
    tmux.keys(&["Enter", "Enter", "Enter"]);
    tmux.wait_for("linked COM.1 → OUT.2");
    tmux.keys(&["q"]);
    assert_eq!(wait_for_file(&exit).trim(), "0");
    let ws = Workshop::open(&db).unwrap();
    assert_eq!(ws.links().unwrap().len(), 1);
}
