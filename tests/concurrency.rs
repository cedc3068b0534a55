//! Several processes on one workshop file at once, as in a cohort session: the command
//! line, screens and the server write links, votes and comments together. No writer may
//! be refused because another is writing, and nothing may be lost.
mod common;
use common::crosswalk;
use crosswalk::model::{Role, Side, Vote};
use crosswalk::store::{HistoryFilter, NewLink, Workshop};

/// Leaf codes of the first framework on `side`.
fn leaves(ws: &Workshop, side: Side) -> Vec<String> {
    let f = ws
        .frameworks()
        .unwrap()
        .into_iter()
        .find(|f| f.side == side)
        .unwrap();
    let fw = ws.load_framework(f.id).unwrap();
    (0..fw.items.len())
        .filter(|&i| fw.is_leaf(i))
        .map(|i| fw.items[i].code.clone())
        .collect()
}

#[test]
fn three_processes_writing_at_once_lose_nothing_and_are_never_refused() {
    const EACH: usize = 12;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workshop.sqlite");
    let (mut ws, _) = Workshop::open_or_seed(&db).unwrap();
    let (outcomes, competencies) = (leaves(&ws, Side::Educator), leaves(&ws, Side::Employer));
    assert!(outcomes.len() > EACH && competencies.len() > EACH);
    // One link to vote on and comment on, drawn before the others start.
    let voted = ws
        .create_link(&NewLink {
            origin: outcomes[0].clone(),
            destination: competencies[0].clone(),
            ..NewLink::default()
        })
        .unwrap();
    ws.add_participant("Ana", Role::Faculty).unwrap();
    ws.add_participant("Sam", Role::EmployerSme).unwrap();
    drop(ws);

    let runs: Vec<Vec<Vec<String>>> = vec![
        // The facilitator's command line: a link per pair, each unlinked and drawn again.
        (1..=EACH)
            .flat_map(|i| {
                let (o, c) = (outcomes[i].clone(), competencies[i].clone());
                vec![
                    vec!["link".into(), o.clone(), c.clone()],
                    vec!["unlink".into(), o.clone(), c.clone()],
                    vec!["link".into(), o, c, "--note".into(), format!("pair {i}")],
                ]
            })
            .collect(),
        // Ana comments.
        (0..EACH * 2)
            .map(|i| {
                vec![
                    "--as".into(),
                    "Ana".into(),
                    "comment".into(),
                    voted.identifier.clone(),
                    format!("comment {i}"),
                ]
            })
            .collect(),
        // Sam changes his mind, over and over, ending on accept.
        (0..EACH * 2)
            .map(|i| {
                let (vote, why): (&str, &[&str]) = if i % 2 == 1 {
                    ("accept", &[])
                } else {
                    ("dispute", &["--comment", "not yet"])
                };
                let mut args: Vec<String> = ["--as", "Sam", "vote", &voted.identifier, vote]
                    .map(String::from)
                    .to_vec();
                args.extend(why.iter().map(|s| s.to_string()));
                args
            })
            .collect(),
    ];
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = runs
            .iter()
            .map(|commands| {
                let db = &db;
                s.spawn(move || {
                    let mut failed = Vec::new();
                    for args in commands {
                        let args: Vec<&str> = args.iter().map(String::as_str).collect();
                        let out = crosswalk(db, &args);
                        if !out.status.success() {
                            failed.push(format!(
                                "{args:?}: {}",
                                String::from_utf8_lossy(&out.stderr)
                            ));
                        }
                    }
                    failed
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{failures:#?}");

    let ws = Workshop::open(&db).unwrap();
    let links = ws.links().unwrap();
    assert_eq!(links.len(), EACH + 1);
    for (i, code) in outcomes.iter().enumerate().take(EACH + 1).skip(1) {
        let l = links
            .iter()
            .find(|l| &l.origin.code == code)
            .expect("every pair is linked");
        assert_eq!(l.note, format!("pair {i}"));
    }
    let comments = ws.comments(&voted.identifier).unwrap();
    // Ana's comments, and Sam's reasons for each dispute.
    assert_eq!(comments.len(), EACH * 2 + EACH);
    let ballots = ws.ballots_on(&voted.identifier).unwrap();
    assert_eq!(ballots.len(), 1);
    assert_eq!(
        (ballots[0].participant.as_str(), ballots[0].vote),
        ("Sam", Vote::Accept)
    );
    // Every change is in the history, once.
    let log = ws.history(&HistoryFilter::All).unwrap();
    let count = |action: &str| log.iter().filter(|e| e.action == action).count();
    assert_eq!(count("vote"), EACH * 2);
    assert_eq!(count("comment"), EACH * 2);
    assert_eq!(count("created"), EACH * 2 + 1);
    assert_eq!(count("deleted"), EACH);
    let check: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn relink_and_unlink_say_what_they_replaced_and_links_run_outcome_to_competency() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workshop.sqlite");
    let (ws, _) = Workshop::open_or_seed(&db).unwrap();
    let (o, c) = (leaves(&ws, Side::Educator), leaves(&ws, Side::Employer));
    drop(ws);
    // Given competency first: stored, and said to be stored, outcome first.
    let out = crosswalk(&db, &["link", &c[0], &o[0], "--note", "first"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(&format!("stored as {} -> {}", o[0], c[0])),
        "{text}"
    );
    let out = crosswalk(
        &db,
        &[
            "relink",
            &o[0],
            &c[0],
            "--note",
            "second",
            "--strength",
            "minor",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("note: \"first\" replaced by \"second\""),
        "{text}"
    );
    assert!(
        text.contains("strength: \"major\" replaced by \"minor\""),
        "{text}"
    );
    let out = crosswalk(&db, &["unlink", &c[0], &o[0]]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("minor, note \"second\""), "{text}");
}

#[test]
fn exports_and_reports_run_while_others_write_and_read_one_state() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("workshop.sqlite");
    let (ws, _) = Workshop::open_or_seed(&db).unwrap();
    let (o, c) = (leaves(&ws, Side::Educator), leaves(&ws, Side::Employer));
    drop(ws);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (exports, changes) = std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut ws = Workshop::open(&db).unwrap();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let i = n % o.len().min(c.len());
                let l = ws
                    .create_link(&NewLink {
                        origin: o[i].clone(),
                        destination: c[i].clone(),
                        ..NewLink::default()
                    })
                    .unwrap();
                ws.delete_link(&l.identifier).unwrap();
                n += 1;
            }
            n
        });
        let mut exports = Vec::new();
        for k in 0..10 {
            let args: &[&str] = if k % 2 == 0 {
                &["export", "--status", "all", "--case-version", "1.1"]
            } else {
                &["report", "-o"]
            };
            let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            if k % 2 == 1 {
                args.push(dir.path().join(format!("report-{k}")).display().to_string());
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            exports.push(crosswalk(&db, &args));
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        (exports, writer.join().unwrap())
    });
    assert!(changes > 0, "the writer wrote meanwhile");
    for (k, out) in exports.into_iter().enumerate() {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if k % 2 == 0 {
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            for a in json["CFAssociations"].as_array().unwrap() {
                assert!(a["originNodeURI"]["identifier"].is_string(), "{a}");
            }
        }
    }
}
