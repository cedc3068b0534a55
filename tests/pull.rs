//! `crosswalk pull` end to end: the real binary against CASE providers played by an axum
//! server in the test (real packages under the spec's paths: a paged list, a bare array,
//! one needing a token, one answering 429 first, one dropping the connection), and the
//! round trip from crosswalk's own server into a fresh workshop.
mod case_net;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use case_net::{runtime, samples_workshop, serve, shared};
use crosswalk::store::{CROSSWALK, NewLink, SAMPLE_FRAMEWORKS, Workshop};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A real package a provider serves.
#[derive(Clone)]
struct Served {
    identifier: String,
    title: String,
    bytes: Vec<u8>,
}

struct Provider {
    url: String,
    packages: Vec<Served>,
    /// Package requests so far, per mode (`flaky` answers 429 to the first).
    hits: std::sync::Mutex<HashMap<String, usize>>,
    tokens_issued: AtomicUsize,
    _runtime: tokio::runtime::Runtime,
}

/// Filler documents before the real ones in the paged list, so they are on page two.
const FILLER: usize = 148;
const TOKEN: &str = "t0k3n-for-tests";

fn served(name: &str, json: &[u8]) -> Served {
    let v: Value = serde_json::from_slice(json).unwrap();
    let _ = name;
    Served {
        identifier: v["CFDocument"]["identifier"].as_str().unwrap().to_string(),
        title: v["CFDocument"]["title"].as_str().unwrap().to_string(),
        bytes: json.to_vec(),
    }
}

fn provider() -> Arc<Provider> {
    let mut packages: Vec<Served> = SAMPLE_FRAMEWORKS[..2]
        .iter()
        .map(|(name, json, _)| served(name, json.as_bytes()))
        .collect();
    if let Some(p) = shared("case-samples/opensalt-sample-framework.json") {
        packages.push(served("opensalt", &std::fs::read(p).unwrap()));
    }
    let rt = runtime();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let provider = Arc::new(Provider {
        url,
        packages,
        hits: Default::default(),
        tokens_issued: AtomicUsize::new(0),
        _runtime: rt,
    });
    let app = Router::new()
        .route("/{mode}/ims/case/{v}/CFDocuments", get(list))
        .route("/{mode}/ims/case/{v}/CFDocuments/{id}", get(document))
        .route("/{mode}/ims/case/{v}/CFPackages/{id}", get(package))
        .route("/token/oauth2/token", post(token))
        .fallback(|| async { imsx(StatusCode::NOT_FOUND, "unknownobject", "No such thing") })
        .with_state(provider.clone());
    provider
        ._runtime
        .spawn(async move { axum::serve(listener, app).await });
    provider
}

type S = State<Arc<Provider>>;

fn js(v: Value) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response()
}

/// An error body as some providers write it: capital-letter imsx_ fields.
fn imsx(status: StatusCode, minor: &str, description: &str) -> Response {
    let body = json!({"imsx_CodeMajor": "failure", "imsx_Severity": "error", "imsx_Description": description,
        "imsx_CodeMinor": {"imsx_CodeMinorField": [{"imsx_CodeMinorFieldName": "sourcedId", "imsx_CodeMinorFieldValue": minor}]}});
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn authorised(mode: &str, headers: &HeaderMap) -> bool {
    mode != "token"
        || headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            == Some(&format!("Bearer {TOKEN}"))
}

async fn list(
    State(p): S,
    UrlPath((mode, v)): UrlPath<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if !authorised(&mode, &headers) {
        return imsx(
            StatusCode::UNAUTHORIZED,
            "unauthorisedrequest",
            "A token is needed",
        );
    }
    let base = format!("{}/{mode}/ims/case/{v}", p.url);
    let real = p.packages.iter().map(|s| {
        json!({"identifier": s.identifier, "title": s.title, "creator": "Provider", "uri": format!("{base}/CFDocuments/{}", s.identifier),
               "lastChangeDateTime": "2026-01-01T00:00:00Z",
               "CFPackageURI": {"title": s.title, "identifier": s.identifier, "uri": format!("{base}/CFPackages/{}", s.identifier)}})
    });
    if mode == "bare" {
        // A bare array, all at once, without CFPackageURI.
        let docs: Vec<Value> = real
            .map(|mut d| {
                d.as_object_mut().unwrap().remove("CFPackageURI");
                d
            })
            .collect();
        return js(Value::Array(docs)).into_response();
    }
    let filler = (0..FILLER).map(|i| json!({"identifier": format!("00000000-0000-4000-8000-{i:012}"), "title": format!("Filler {i}"), "creator": "Provider"}));
    let all: Vec<Value> = filler.chain(real).collect();
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(100);
    let offset: usize = q.get("offset").and_then(|l| l.parse().ok()).unwrap_or(0);
    let page: Vec<Value> = all.iter().skip(offset).take(limit).cloned().collect();
    (
        [("X-Total-Count", all.len().to_string())],
        js(json!({"CFDocuments": page})),
    )
        .into_response()
}

async fn document(
    State(p): S,
    UrlPath((mode, v, id)): UrlPath<(String, String, String)>,
) -> Response {
    match p.packages.iter().find(|s| s.identifier == id) {
        // CFPackageURI as a plain string, as some providers write it.
        Some(s) => js(json!({"identifier": s.identifier, "title": s.title,
            "CFPackageURI": format!("{}/{mode}/ims/case/{v}/CFPackages/{id}", p.url)}))
        .into_response(),
        None => imsx(StatusCode::NOT_FOUND, "unknownobject", "No such CFDocument"),
    }
}

async fn package(
    State(p): S,
    UrlPath((mode, _v, id)): UrlPath<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    if !authorised(&mode, &headers) {
        return imsx(
            StatusCode::UNAUTHORIZED,
            "unauthorisedrequest",
            "A token is needed",
        );
    }
    let hit = {
        let mut hits = p.hits.lock().unwrap();
        let n = hits.entry(mode.clone()).or_default();
        *n += 1;
        *n
    };
    let Some(s) = p.packages.iter().find(|s| s.identifier == id) else {
        return imsx(StatusCode::NOT_FOUND, "unknownobject", "No such CFPackage");
    };
    match mode.as_str() {
        "flaky" if hit == 1 => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "1")],
            "slow down",
        )
            .into_response(),
        "drop" => {
            // Half the body, then the connection goes.
            let half = Bytes::from(s.bytes[..s.bytes.len() / 2].to_vec());
            use futures_util::StreamExt;
            let first = futures_util::stream::iter([Ok::<_, std::io::Error>(half)]);
            // The half goes out with the headers; a moment later the connection breaks.
            let then = futures_util::stream::once(async {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                Err(std::io::Error::other("gone"))
            });
            let stream = first.chain(then);
            (
                [(header::CONTENT_LENGTH, s.bytes.len().to_string())],
                Body::from_stream(stream),
            )
                .into_response()
        }
        "changing" if hit > 1 => {
            // The provider's next version: the first leaf reworded, the last item gone.
            let mut v: Value = serde_json::from_slice(&s.bytes).unwrap();
            let items = v["CFItems"].as_array_mut().unwrap();
            let gone = items.pop().unwrap()["identifier"].clone();
            items[1]["fullStatement"] = json!("Reworded by the provider");
            v["CFAssociations"]
                .as_array_mut()
                .unwrap()
                .retain(|a| a["originNodeURI"]["identifier"] != gone);
            js(v).into_response()
        }
        _ => (
            [(header::CONTENT_TYPE, "application/json")],
            s.bytes.clone(),
        )
            .into_response(),
    }
}

async fn token(State(p): S, headers: HeaderMap, body: String) -> Response {
    use base64_check::basic;
    let ok_client = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some(&basic("crosswalk-test", "s3cret"));
    if !ok_client
        || !body.contains("grant_type=client_credentials")
        || !body.contains("scope=case.read")
    {
        return (
            StatusCode::UNAUTHORIZED,
            js(json!({"error": "invalid_client", "error_description": "unknown client"})),
        )
            .into_response();
    }
    p.tokens_issued.fetch_add(1, Ordering::SeqCst);
    js(json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600})).into_response()
}

/// HTTP Basic for the test's token endpoint, written out (RFC 7617), not taken from the client.
mod base64_check {
    pub fn basic(user: &str, password: &str) -> String {
        const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let input = format!("{user}:{password}").into_bytes();
        let mut out = String::new();
        for chunk in input.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        format!("Basic {out}")
    }
}

fn crosswalk(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_crosswalk"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("CROSSWALK_DB")
        .stdin(Stdio::null());
    cmd.env("XDG_CONFIG_HOME", "/nonexistent");
    for var in [
        "CROSSWALK_CASE_TOKEN_URL",
        "CROSSWALK_CASE_CLIENT_ID",
        "CROSSWALK_CASE_CLIENT_SECRET",
        "CROSSWALK_CASE_SCOPE",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    cmd.output().unwrap()
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn fails(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(1),
        "expected failure: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// A new, empty workshop file (crosswalk seeds only a file that does not exist).
fn empty_workshop(dir: &Path) -> PathBuf {
    let db = dir.join("fresh.sqlite");
    Workshop::open(&db).unwrap();
    db
}

fn framework_count(db: &Path) -> usize {
    Workshop::open(db).unwrap().frameworks().unwrap().len()
}

#[test]
fn a_package_url_is_pulled_remembered_and_updated_in_place() {
    let p = provider();
    let dir = tempfile::tempdir().unwrap();
    let db = empty_workshop(dir.path());
    let s = &p.packages[1];
    let url = format!(
        "{}/changing/ims/case/v1p0/CFPackages/{}",
        p.url, s.identifier
    );
    let out = ok(&crosswalk(&db, &["pull", &url, "--side", "employer"], &[]));
    assert!(
        out.starts_with(&format!("imported \"{}\"", s.title)),
        "{out}"
    );
    assert!(
        out.contains("employer") && out.contains(&format!("from {url}")),
        "{out}"
    );
    let ws = Workshop::open(&db).unwrap();
    assert_eq!(
        ws.source_url(&s.identifier).unwrap().as_deref(),
        Some(url.as_str())
    );
    let items = ws
        .load_framework(ws.frameworks().unwrap()[0].id)
        .unwrap()
        .items
        .len();
    assert_eq!(items, 38);
    drop(ws);

    let out = ok(&crosswalk(&db, &["pull", "--update", "1"], &[]));
    assert!(out.starts_with("updated"), "{out}");
    assert!(
        out.contains("0 added, 1 changed, 1 removed, 36 unchanged"),
        "{out}"
    );
    assert!(out.contains("employer"), "the side is kept: {out}");

    let err = fails(&crosswalk(
        &samples_workshop(dir.path()),
        &["pull", "--update", "1"],
        &[],
    ));
    assert!(err.contains("was not pulled from a CASE server"), "{err}");
}

#[test]
fn a_provider_is_paged_through_and_a_document_chosen() {
    let p = provider();
    let dir = tempfile::tempdir().unwrap();
    let db = empty_workshop(dir.path());
    let base = format!("{}/paged/ims/case/v1p0", p.url);
    // Off a terminal, the choice must be given; the error lists every document, page two too.
    let err = fails(&crosswalk(&db, &["pull", &base], &[]));
    let total = FILLER + p.packages.len();
    assert!(
        err.contains(&format!(
            "lists {total} documents; choose one with --document ID"
        )),
        "{err}"
    );
    assert!(
        err.contains(&p.packages[0].title) && err.contains("Filler 0"),
        "{err}"
    );
    let s = p.packages.last().unwrap();
    let out = ok(&crosswalk(
        &db,
        &["pull", &format!("{base}/"), "--document", &s.identifier],
        &[],
    ));
    assert!(
        out.starts_with(&format!("imported \"{}\"", s.title)),
        "{out}"
    );
    let err = fails(&crosswalk(&db, &["pull", &base, "--document", "nope"], &[]));
    assert!(err.contains("has no document `nope`"), "{err}");
}

#[test]
fn a_bare_array_provider_and_a_document_url_are_read() {
    let p = provider();
    let dir = tempfile::tempdir().unwrap();
    let db = empty_workshop(dir.path());
    let base = format!("{}/bare/ims/case/v1p1", p.url);
    // By title, and the package found beside the document list without CFPackageURI.
    let out = ok(&crosswalk(
        &db,
        &[
            "pull",
            &base,
            "--document",
            &p.packages[0].title.to_uppercase(),
        ],
        &[],
    ));
    assert!(
        out.starts_with(&format!("imported \"{}\"", p.packages[0].title)),
        "{out}"
    );
    let doc_url = format!("{base}/CFDocuments/{}", p.packages[1].identifier);
    let out = ok(&crosswalk(&db, &["pull", &doc_url], &[]));
    assert!(
        out.contains(&format!(
            "from {}/bare/ims/case/v1p1/CFPackages/{}",
            p.url, p.packages[1].identifier
        )),
        "{out}"
    );
    assert_eq!(framework_count(&db), 2);
}

#[test]
fn a_provider_needing_a_token_gets_one_from_the_client_credentials() {
    let p = provider();
    let dir = tempfile::tempdir().unwrap();
    let db = empty_workshop(dir.path());
    let url = format!(
        "{}/token/ims/case/v1p1/CFPackages/{}",
        p.url, p.packages[0].identifier
    );
    let err = fails(&crosswalk(&db, &["pull", &url], &[]));
    assert!(
        err.contains("HTTP 401")
            && err.contains("needs credentials")
            && err.contains("A token is needed"),
        "{err}"
    );
    let token_url = format!("{}/token/oauth2/token", p.url);
    let mut env = vec![
        ("CROSSWALK_CASE_TOKEN_URL", token_url.as_str()),
        ("CROSSWALK_CASE_CLIENT_ID", "crosswalk-test"),
        ("CROSSWALK_CASE_SCOPE", "case.read"),
    ];
    let err = fails(&crosswalk(&db, &["pull", &url], &env));
    assert!(
        err.contains("CROSSWALK_CASE_CLIENT_SECRET must be too"),
        "{err}"
    );
    env.push(("CROSSWALK_CASE_CLIENT_SECRET", "wrong"));
    let err = fails(&crosswalk(&db, &["pull", &url], &env));
    assert!(
        err.contains("refused the client credentials: invalid_client: unknown client"),
        "{err}"
    );
    assert!(!err.contains("wrong"), "the secret is never printed: {err}");
    env.pop();
    env.push(("CROSSWALK_CASE_CLIENT_SECRET", "s3cret"));
    let out = ok(&crosswalk(&db, &["pull", &url], &env));
    assert!(out.starts_with("imported"), "{out}");
    assert_eq!(p.tokens_issued.load(Ordering::SeqCst), 1);
    assert_eq!(framework_count(&db), 1);

    // The same from case.toml in the config directory, the secret in a variable of its own.
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("crosswalk")).unwrap();
    let toml = format!(
        "[[provider]]\nurl = \"{}/elsewhere/\"\ntoken_url = \"nowhere\"\nclient_id = \"x\"\nclient_secret = \"y\"\n\n\
         [[provider]]\nurl = \"{}/token/\"\ntoken_url = \"{token_url}\"\nclient_id = \"crosswalk-test\"\n\
         client_secret_env = \"TEST_CASE_SECRET\"\nscope = \"case.read\"\n",
        p.url, p.url
    );
    std::fs::write(config.join("crosswalk/case.toml"), toml).unwrap();
    let xdg = config.to_str().unwrap();
    let err = fails(&crosswalk(
        &db,
        &["pull", &url],
        &[("XDG_CONFIG_HOME", xdg)],
    ));
    assert!(
        err.contains("takes its secret from $TEST_CASE_SECRET, which is not set"),
        "{err}"
    );
    let env = [("XDG_CONFIG_HOME", xdg), ("TEST_CASE_SECRET", "s3cret")];
    let out = ok(&crosswalk(&db, &["pull", &url], &env));
    assert!(out.starts_with("updated"), "{out}");
    assert_eq!(p.tokens_issued.load(Ordering::SeqCst), 2);
}

#[test]
fn a_429_is_waited_out_as_retry_after_asks() {
    let p = provider();
    let dir = tempfile::tempdir().unwrap();
    let db = empty_workshop(dir.path());
    let url = format!(
        "{}/flaky/ims/case/v1p0/CFPackages/{}",
        p.url, p.packages[0].identifier
    );
    let started = std::time::Instant::now();
    let out = ok(&crosswalk(&db, &["pull", &url], &[]));
    assert!(out.starts_with("imported"), "{out}");
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "Retry-After: 1 was respected"
    );
    assert_eq!(p.hits.lock().unwrap()["flaky"], 2);
}

#[test]
fn a_connection_dropped_mid_body_changes_nothing() {
    let p = provider();
    let dir = tempfile::tempdir().unwrap();
    let db = samples_workshop(dir.path());
    let before = ok(&crosswalk(&db, &["frameworks"], &[]));
    let history = ok(&crosswalk(&db, &["history"], &[]));
    let url = format!(
        "{}/drop/ims/case/v1p0/CFPackages/{}",
        p.url,
        p.packages.last().unwrap().identifier
    );
    let err = fails(&crosswalk(&db, &["pull", &url], &[]));
    assert!(
        err.contains("the download broke off") && err.contains("gave up after 4 attempts"),
        "{err}"
    );
    assert_eq!(p.hits.lock().unwrap()["drop"], 4, "bounded retry");
    assert_eq!(ok(&crosswalk(&db, &["frameworks"], &[])), before);
    assert_eq!(ok(&crosswalk(&db, &["history"], &[])), history);
}

#[test]
fn an_imsx_error_is_shown_in_words() {
    let p = provider();
    let dir = tempfile::tempdir().unwrap();
    let db = empty_workshop(dir.path());
    let url = format!(
        "{}/plain/ims/case/v1p0/CFPackages/0c6c8f2e-1f1a-4c7b-9d3e-5a2b1c0d9e8f",
        p.url
    );
    let err = fails(&crosswalk(&db, &["pull", &url], &[]));
    assert!(
        err.contains(
            "HTTP 404: the provider has no such object: \u{201c}No such CFPackage\u{201d}"
        ),
        "{err}"
    );
    let err = fails(&crosswalk(
        &db,
        &["pull", "http://127.0.0.1:9/ims/case/v1p0/CFPackages/x"],
        &[],
    ));
    assert!(err.contains("cannot connect"), "{err}");
    assert_eq!(framework_count(&db), 0);
}

/// An item's identifier, code, statement and parent's identifier.
type ItemShape = (String, String, String, Option<String>);

/// What a framework is, for comparing two workshops: identifier, title, and each item's
/// identifier, code, statement and parent, in order.
fn shape(ws: &Workshop, identifier: &str) -> (String, Vec<ItemShape>) {
    let f = ws.find_framework(identifier).unwrap();
    let fw = ws.load_framework(f.id).unwrap();
    let items = fw
        .items
        .iter()
        .map(|i| {
            (
                i.identifier.clone(),
                i.code.clone(),
                i.statement.clone(),
                i.parent.map(|p| fw.items[p].identifier.clone()),
            )
        })
        .collect();
    (fw.title, items)
}

#[test]
fn serve_then_pull_gives_back_the_same_frameworks_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let source = samples_workshop(dir.path());
    let mut ws = Workshop::open(&source).unwrap();
    for (o, d, note) in [
        ("CHW-PLO.1.2", "CHW.C.1.3", "practicum"),
        ("CHW-PLO.2.1", "CHW.C.2.2", ""),
    ] {
        ws.create_link(&NewLink {
            origin: o.into(),
            destination: d.into(),
            note: note.into(),
            ..NewLink::default()
        })
        .unwrap();
    }
    let fws = ws.frameworks().unwrap();
    for f in &fws[..2] {
        ws.publish(&f.identifier).unwrap();
    }
    ws.publish(CROSSWALK).unwrap();
    // The crosswalk's identity, as export and serve both make it.
    let links = ws.links().unwrap();
    let crosswalk_id = ws
        .crosswalk_info(&links, None, String::new())
        .unwrap()
        .identifier;
    let server = serve(&source);
    for version in ["1.0", "1.1"] {
        let sub = dir.path().join(version);
        std::fs::create_dir(&sub).unwrap();
        let db = empty_workshop(&sub);
        for f in &fws[..2] {
            ok(&crosswalk(
                &db,
                &[
                    "pull",
                    &server.v(version),
                    "--document",
                    &f.identifier,
                    "--side",
                    f.side.as_str(),
                ],
                &[],
            ));
        }
        let out = ok(&crosswalk(
            &db,
            &["pull", &server.v(version), "--document", &crosswalk_id],
            &[],
        ));
        assert!(out.contains("links: 2 added"), "{out}");
        let pulled = Workshop::open(&db).unwrap();
        for f in &fws[..2] {
            assert_eq!(
                shape(&pulled, &f.identifier),
                shape(&ws, &f.identifier),
                "{version}"
            );
            assert_eq!(pulled.find_framework(&f.identifier).unwrap().side, f.side);
        }
        let key = |l: &crosswalk::model::Link| {
            (
                l.identifier.clone(),
                l.origin.item_identifier.clone(),
                l.destination.item_identifier.clone(),
                l.association_type,
                l.strength,
            )
        };
        let mut theirs: Vec<_> = pulled.links().unwrap().iter().map(key).collect();
        let mut ours: Vec<_> = ws.links().unwrap().iter().map(key).collect();
        theirs.sort_by(|a, b| a.0.cmp(&b.0));
        ours.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(theirs, ours, "{version}");
        if version == "1.1" {
            let notes: Vec<String> = pulled
                .links()
                .unwrap()
                .iter()
                .map(|l| l.note.clone())
                .filter(|n| !n.is_empty())
                .collect();
            assert_eq!(notes, ["practicum"], "CASE 1.1 carries the rationale");
        }
    }
}

/// On a terminal, `pull BASE` lists the documents and asks which (tmux plays the terminal).
#[test]
fn on_a_terminal_the_person_chooses_the_document() {
    use std::time::{Duration, Instant};
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("note: skipped, tmux is not installed");
        return;
    }
    let p = provider();
    let dir = tempfile::tempdir().unwrap();
    let db = empty_workshop(dir.path());
    let socket = format!("crosswalk-pull-{}", std::process::id());
    let tmux = |args: &[&str]| {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&socket)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let wait_for = |text: &str| {
        let start = Instant::now();
        loop {
            let screen = tmux(&["capture-pane", "-p", "-t", "pull"]);
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "`{text}` never appeared:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let command = format!(
        "env XDG_CONFIG_HOME={cfg} {bin} --db {db} pull {base}/bare/ims/case/v1p1; echo exit=$?; sleep 30",
        cfg = dir.path().display(),
        bin = env!("CARGO_BIN_EXE_crosswalk"),
        db = db.display(),
        base = p.url,
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        "pull",
        "-x",
        "200",
        "-y",
        "50",
        &command,
    ]);
    let screen = wait_for("pull which one (1-");
    assert!(
        screen.contains(&format!("  2. {}", p.packages[1].title)),
        "{screen}"
    );
    tmux(&["send-keys", "-t", "pull", "9", "Enter"]);
    wait_for("type a number from 1 to");
    tmux(&["send-keys", "-t", "pull", "2", "Enter"]);
    let screen = wait_for("exit=");
    let _ = tmux(&["kill-server"]);
    assert!(screen.contains("exit=0"), "{screen}");
    assert!(
        screen.contains(&format!("imported \"{}\"", p.packages[1].title)),
        "{screen}"
    );
    assert_eq!(framework_count(&db), 1);
}
