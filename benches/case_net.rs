//! The CASE network at size: pulling a 20,000-item package from a local server (crosswalk's
//! own, so serve -> fetch -> parse -> import into a new workshop file), serving CFPackages
//! of 20,000 items (first request after a change, and from the cache) with the server's
//! peak memory, and paging CFDocuments over 1,000 published documents.
//! Run: `cargo bench --bench case_net`
mod support;

use crosswalk::case::{self, rest};
use crosswalk::model::Side;
use crosswalk::store::Workshop;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ITEMS: usize = 20_000;
const DOCUMENTS: usize = 1_000;
const RUNS: usize = 5;

fn best_of(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..runs).map(|_| f()).min().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// A workshop file with `frameworks` generated frameworks of `items` items, all published.
fn workshop(path: &Path, frameworks: usize, items: usize) -> Vec<String> {
    let mut ws = Workshop::open(path).expect("open");
    let mut ids = Vec::new();
    for f in 0..frameworks {
        let json = support::package_json(&format!("F{f}"), items);
        let pkg = case::parse_package(json.as_bytes(), "bench").expect("parse");
        let id = ws
            .import_package(&pkg, Some(Side::Employer))
            .expect("import")
            .framework_identifier;
        ws.publish(&id).expect("publish");
        ids.push(id);
    }
    ids
}

/// Serves `db` in this process; the base URL of CASE 1.0.
fn serve(rt: &tokio::runtime::Runtime, db: &Path) -> String {
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let app = crosswalk::server::router(db, &url).expect("router");
    rt.spawn(crosswalk::server::serve(
        listener,
        app,
        std::future::pending(),
    ));
    format!("{url}/ims/case/v1p0")
}

fn timed_get(rt: &tokio::runtime::Runtime, http: &reqwest::Client, url: &str) -> (Duration, usize) {
    rt.block_on(async {
        let start = Instant::now();
        let r = http.get(url).send().await.expect("GET");
        assert!(r.status().is_success(), "{url}: {}", r.status());
        let n = r.bytes().await.expect("body").len();
        (start.elapsed(), n)
    })
}

/// Another connection commits, so the server makes its catalog again on the next request.
fn touch(db: &Path, n: usize) {
    Workshop::open(db)
        .expect("open")
        .set_setting("bench.touch", &n.to_string())
        .expect("touch");
}

fn status_kib(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0.0)
}

fn main() {
    // `cargo test --benches` runs bench binaries with no `--bench`; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let (items, documents, runs) = if quick {
        (500, 20, 1)
    } else {
        (ITEMS, DOCUMENTS, RUNS)
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let http = reqwest::Client::new();

    // Serving CFPackages of `items` items.
    let big = dir.path().join("big.sqlite");
    let id = workshop(&big, 1, items).remove(0);
    let base = serve(&rt, &big);
    let package_url = format!("{base}/CFPackages/{id}");
    let mut n = 0;
    let mut size = 0;
    let cold = best_of(runs, || {
        n += 1;
        touch(&big, n);
        let (t, bytes) = timed_get(&rt, &http, &package_url);
        size = bytes;
        t
    });
    let warm = best_of(runs * 4, || timed_get(&rt, &http, &package_url).0);
    // The server makes its catalog again on its own within a second of a change.
    let caught_up = best_of(runs, || {
        n += 1;
        touch(&big, n);
        std::thread::sleep(Duration::from_millis(2500));
        timed_get(&rt, &http, &package_url).0
    });
    println!(
        "serve CFPackages/{{id}} of {items} items ({:.1} MiB): {} right after a change (export + index on the request), \
         {} a moment after (made again in the background), {} from the cache",
        size as f64 / 1048576.0,
        ms(cold),
        ms(caught_up),
        ms(warm)
    );

    // Where the first request's time goes.
    {
        let ws = Workshop::open(&big).expect("open");
        let f = ws.frameworks().expect("frameworks")[0].id;
        let t = Instant::now();
        let pkg = ws.load_package(f).expect("load");
        let load = t.elapsed();
        let t = Instant::now();
        let value = case::export_framework(&pkg, case::CaseVersion::V1_0);
        let export = t.elapsed();
        let t = Instant::now();
        let catalog = crosswalk::server::case_api::Catalog::from_packages(
            vec![value],
            case::CaseVersion::V1_0,
            &base,
        );
        let index = t.elapsed();
        let bytes = catalog.docs[0].bytes().len();
        println!(
            "  of which: load from SQLite {}, export {}, rewrite URIs + index + serialise {} ({bytes} bytes)",
            ms(load),
            ms(export),
            ms(index)
        );
    }

    // Pulling it: fetch, parse, import into a new workshop file.
    let mut n = 0;
    let pull = best_of(runs, || {
        n += 1;
        let start = Instant::now();
        let bytes = rt.block_on(async {
            let mut client = rest::Client::new(None).expect("client");
            client.package(&package_url).await.expect("pull")
        });
        let pkg = case::parse_package(&bytes, &package_url).expect("parse");
        let mut ws = Workshop::open(&dir.path().join(format!("pull-{n}.sqlite"))).expect("open");
        let report = ws.import_package(&pkg, None).expect("import");
        assert_eq!(report.added.len(), items);
        start.elapsed()
    });
    println!(
        "pull {items} items from a local server (GET + parse + import, new workshop file): {}",
        ms(pull)
    );

    // CFDocuments paging over `documents` published documents.
    let many = dir.path().join("many.sqlite");
    workshop(&many, documents, 5);
    let base = serve(&rt, &many);
    let first = timed_get(&rt, &http, &format!("{base}/CFDocuments?limit=100")).0;
    let pages = documents.div_ceil(100);
    let all = best_of(runs, || {
        (0..pages)
            .map(|p| {
                timed_get(
                    &rt,
                    &http,
                    &format!("{base}/CFDocuments?limit=100&offset={}", p * 100),
                )
                .0
            })
            .sum()
    });
    let sorted = best_of(runs, || {
        timed_get(
            &rt,
            &http,
            &format!(
                "{base}/CFDocuments?limit=100&offset=500&sort=title&orderBy=desc&filter=title~'F9'"
            ),
        )
        .0
    });
    println!(
        "CFDocuments over {documents} documents: first page {} (catalog made), all {pages} pages of 100 {} ({} a page), sorted + filtered page {}",
        ms(first),
        ms(all),
        ms(all / pages as u32),
        ms(sorted)
    );

    // The server's peak memory, as its own process: the real binary on the big workshop.
    if quick {
        return;
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_crosswalk"))
        .arg("--db")
        .arg(&big)
        .args(["serve", "--case-only", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve");
    let url = {
        use std::io::BufRead;
        let mut lines = std::io::BufReader::new(child.stderr.take().expect("stderr")).lines();
        let url = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| {
                l.trim()
                    .strip_suffix("/v1p1/CFDocuments")
                    .map(str::to_string)
            })
            .expect("serve printed its URL");
        std::thread::spawn(move || lines.for_each(drop));
        url
    };
    let before = status_kib(child.id(), "VmRSS:");
    for n in 0..3 {
        touch(&big, 100 + n);
        timed_get(&rt, &http, &format!("{url}/v1p0/CFPackages/{id}"));
        timed_get(&rt, &http, &format!("{url}/v1p1/CFPackages/{id}"));
    }
    let peak = status_kib(child.id(), "VmHWM:");
    let after = status_kib(child.id(), "VmRSS:");
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "crosswalk serve with a {items}-item framework published: {:.0} MiB resident idle, {:.0} MiB peak, {:.0} MiB after serving both versions three times",
        before / 1024.0,
        peak / 1024.0,
        after / 1024.0
    );
}
