//! Join links for participants' own devices, end to end: the real binary hands one out
//! (with its QR code), the workshop knows whom it names, and a revoked one names nobody.
mod common;
use common::crosswalk;
use crosswalk::model::Role;
use crosswalk::store::Workshop;

fn token_in(text: &str) -> String {
    let at = text.find("/join/").expect("a join link") + 6;
    text[at..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

#[test]
fn an_invite_is_a_link_and_a_qr_code_that_revoking_stops() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    {
        let mut ws = Workshop::open(&db).unwrap();
        ws.add_participant("Fay", Role::Facilitator).unwrap();
        ws.add_participant("Sam", Role::EmployerSme).unwrap();
    }
    let out = crosswalk(
        &db,
        &[
            "--as",
            "Fay",
            "participant",
            "invite",
            "sam",
            "--hours",
            "8",
            "--public-url",
            "https://room.example/",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("join link for Sam (employer-sme), until "),
        "{text}"
    );
    assert!(text.contains("https://room.example/join/"), "{text}");
    assert!(
        text.contains('█') && text.contains('▀'),
        "a QR code is drawn:\n{text}"
    );
    let token = token_in(&text);
    assert_eq!(token.len(), 64);
    let ws = Workshop::open(&db).unwrap();
    assert_eq!(
        ws.participant_by_token(&token).unwrap().unwrap().name,
        "Sam"
    );
    // Only the facilitator hands out or takes back links.
    let out = crosswalk(&db, &["--as", "Sam", "participant", "revoke", "Sam"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("only a facilitator"));
    let out = crosswalk(&db, &["--as", "Fay", "participant", "revoke", "Sam"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("revoked 1 join link(s) of Sam"));
    assert!(ws.participant_by_token(&token).unwrap().is_none());
    // The file never held the token.
    let bytes = std::fs::read(&db).unwrap();
    let wal = std::fs::read(db.with_extension("sqlite-wal")).unwrap_or_default();
    for b in [bytes, wal] {
        assert!(!b.windows(64).any(|w| w == token.as_bytes()));
    }
}

#[test]
fn invites_point_at_the_address_serve_last_said_unless_told_otherwise() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    {
        let mut ws = Workshop::open(&db).unwrap();
        ws.add_participant("Fay", Role::Facilitator).unwrap();
        ws.add_participant("Sam", Role::EmployerSme).unwrap();
    }
    let invite = |extra: &[&str]| {
        let mut args = vec!["--as", "Fay", "participant", "invite", "Sam", "--no-qr"];
        args.extend_from_slice(extra);
        let out = crosswalk(&db, &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(
        invite(&[]).contains("http://127.0.0.1:8080/join/"),
        "serve's default before any serve"
    );

    let mut serve = std::process::Command::new(env!("CARGO_BIN_EXE_crosswalk"))
        .arg("--db")
        .arg(&db)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--public-url",
            "https://hall.example/",
        ])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let said = std::io::BufReader::new(serve.stderr.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .find(|l| l.contains("press Ctrl-C"));
    let _ = serve.kill();
    let _ = serve.wait();
    assert!(said.is_some(), "serve started");

    assert!(invite(&[]).contains("https://hall.example/join/"));
    assert!(
        invite(&["--public-url", "http://10.0.0.5:8080"]).contains("http://10.0.0.5:8080/join/")
    );
}
