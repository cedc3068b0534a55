//! `crosswalk serve --tls-cert FILE --tls-key FILE`: the real binary serving HTTPS with a
//! certificate made for the test, the join cookie marked Secure, plain HTTP not answered,
//! and files that are not a certificate or key refused before anything listens.
mod common;
use common::{crosswalk, fails, ok};
use crosswalk::model::Role;
use crosswalk::store::Workshop;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A self-signed certificate for 127.0.0.1 and localhost: (cert file, key file, cert PEM).
fn certificate(dir: &Path) -> (PathBuf, PathBuf, String) {
    let made =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    std::fs::write(&cert, made.cert.pem()).unwrap();
    std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
    (cert, key, made.cert.pem())
}

/// A workshop with the samples and Dana, an employer expert, invited: (db, Dana's token).
fn workshop(dir: &Path) -> (PathBuf, String) {
    let db = dir.join("w.db");
    ok(&crosswalk(&db, &["frameworks"]));
    let mut ws = Workshop::open(&db).unwrap();
    ws.add_participant("Dana", Role::EmployerSme).unwrap();
    let token = ws.invite("Dana", None).unwrap().token;
    (db, token)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `crosswalk serve` with `args`; the server and the base URL it printed.
fn serve(db: &Path, args: &[&Path]) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crosswalk"))
        .arg("--db")
        .arg(db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut said = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        said.push_str(&line);
        said.push('\n');
        if let Some(url) = line.trim().strip_suffix("/ims/case/v1p1/CFDocuments") {
            std::thread::spawn(move || lines.for_each(drop));
            return (Server(child), url.to_string());
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("serve said: {said}");
}

#[tokio::test]
async fn serves_https_with_a_secure_join_cookie() {
    let dir = tempfile::tempdir().unwrap();
    let (db, token) = workshop(dir.path());
    let (cert, key, pem) = certificate(dir.path());
    let (_server, url) = serve(
        &db,
        &[Path::new("--tls-cert"), &cert, Path::new("--tls-key"), &key],
    );
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");

    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let joined = client
        .get(format!("{url}/join/{token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(joined.status(), reqwest::StatusCode::SEE_OTHER);
    let cookie = joined.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );

    let session = cookie.split(';').next().unwrap();
    let page = client
        .get(format!("{url}/p"))
        .header("cookie", session)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Dana"));

    // A client that does not trust the certificate is turned away by its own TLS check.
    let untrusting = reqwest::Client::new();
    assert!(untrusting.get(format!("{url}/p")).send().await.is_err());

    // Plain HTTP on the same port gets no HTTP answer.
    let addr = url.trim_start_matches("https://");
    let mut plain = std::net::TcpStream::connect(addr).unwrap();
    plain
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    plain
        .write_all(format!("GET /join/{token} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .unwrap();
    let mut answer = Vec::new();
    let _ = plain.read_to_end(&mut answer);
    assert!(
        !answer.starts_with(b"HTTP/"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

#[test]
fn a_file_that_is_not_a_certificate_or_key_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = workshop(dir.path());
    let (cert, key, _) = certificate(dir.path());
    let serve = |cert: &Path, key: &Path| {
        crosswalk(
            &db,
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--tls-cert",
                cert.to_str().unwrap(),
                "--tls-key",
                key.to_str().unwrap(),
            ],
        )
    };
    // Cert and key swapped: each file is named for what it lacks.
    let err = fails(&serve(&key, &cert));
    assert!(err.contains("key.pem: holds no certificate"), "{err}");
    let err = fails(&serve(&cert, &cert));
    assert!(err.contains("cert.pem: holds no private key"), "{err}");
    let missing = dir.path().join("nothing.pem");
    let err = fails(&serve(&missing, &key));
    assert!(err.contains("nothing.pem"), "{err}");
    // A key that is not the certificate's.
    let other = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let other_key = dir.path().join("other-key.pem");
    std::fs::write(&other_key, other.signing_key.serialize_pem()).unwrap();
    let err = fails(&serve(&cert, &other_key));
    assert!(
        err.contains("do not make a usable certificate and key"),
        "{err}"
    );
    // Half of the pair is refused by the command line.
    let half = crosswalk(&db, &["serve", "--tls-cert", cert.to_str().unwrap()]);
    assert_eq!(half.status.code(), Some(2));
}
