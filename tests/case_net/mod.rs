//! Shared by the CASE network tests: a real crosswalk server on an ephemeral port, a
//! plain HTTP GET, the shared REST validator, and workshops to serve.
#![allow(dead_code)]
use crosswalk::store::{SAMPLE_FRAMEWORKS, Workshop};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A crosswalk server running in the test process; stops when dropped.
pub struct TestServer {
    pub url: String,
    _runtime: tokio::runtime::Runtime,
}

impl TestServer {
    pub fn v(&self, version: &str) -> String {
        format!(
            "{}/ims/case/{}",
            self.url,
            if version == "1.0" { "v1p0" } else { "v1p1" }
        )
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Serves the workshop at `db` as `crosswalk serve` does.
pub fn serve(db: &Path) -> TestServer {
    let runtime = runtime();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = crosswalk::server::router(db, &url).unwrap();
    runtime.spawn(crosswalk::server::serve(
        listener,
        app,
        std::future::pending(),
    ));
    TestServer {
        url,
        _runtime: runtime,
    }
}

pub struct Response {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    }
}

pub fn get(url: &str) -> Response {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let r = reqwest::get(url)
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        Response {
            status: r.status().as_u16(),
            headers: r.headers().clone(),
            body: r.bytes().await.unwrap().to_vec(),
        }
    })
}

/// A file of ../shared beside the checkout, or `None` (with a note) where it is missing.
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

/// Checks `body` against the CASE REST definition of `version` for `endpoint` and
/// `status` with `validate_api.py`; `Err` holds what it said.
pub fn validate_api(version: &str, endpoint: &str, body: &[u8], status: u16) -> Result<(), String> {
    let Some(script) = shared("case-schema/validate_api.py") else {
        return Ok(());
    };
    let file = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
    std::fs::write(file.path(), body).unwrap();
    let out = Command::new("python3")
        .arg(&script)
        .args(["--case-version", version, endpoint])
        .arg(file.path())
        .arg(status.to_string())
        .output()
        .expect("python3");
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A workshop file holding the four sample frameworks.
pub fn samples_workshop(dir: &Path) -> PathBuf {
    let db = dir.join("w.sqlite");
    let mut ws = Workshop::open(&db).unwrap();
    for (name, json, side) in SAMPLE_FRAMEWORKS {
        let pkg = crosswalk::case::parse_package(json.as_bytes(), name).unwrap();
        ws.import_package(&pkg, Some(*side)).unwrap();
    }
    db
}

/// Imports a real package from ../shared/case-samples; `None` where they are missing.
pub fn import_shared(ws: &mut Workshop, name: &str) -> Option<String> {
    let path = shared(&format!("case-samples/{name}"))?;
    let bytes = std::fs::read(&path).unwrap();
    let pkg = crosswalk::case::parse_package(&bytes, name).unwrap();
    Some(ws.import_package(&pkg, None).unwrap().framework_identifier)
}
