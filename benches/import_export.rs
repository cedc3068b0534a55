//! Import a generated 20,000-item CASE package into a new workshop file, export 20,000
//! links as CASE JSON and CSV, and export a 100,000-item framework from a workshop file
//! as `crosswalk export --framework` does (target: under 1 s, under 150 MB). Prints
//! throughput and the process's peak memory.
//! Run: `cargo bench --bench import_export`
mod support;

use crosswalk::case::{self, CaseVersion, CrosswalkInfo};
use crosswalk::model::Side;
use crosswalk::store::{NewLink, Workshop};
use std::time::{Duration, Instant};

const ITEMS: usize = 20_000;
/// The framework export's size (issue 15: 100,000 items in under 1 s, under 150 MB).
const FRAMEWORK_ITEMS: usize = 100_000;
const RUNS: usize = 5;

fn best_of(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..runs).map(|_| f()).min().unwrap_or_default()
}

fn peak_rss_mib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or("unknown".into(), |kb| format!("{:.0} MiB", kb / 1024.0))
}

/// Imports a generated framework of `items` items into a new workshop file at `path`.
fn make_framework_workshop(path: &str, items: usize) {
    let mut ws = Workshop::open(std::path::Path::new(path)).expect("open");
    let json = support::package_json("BIG", items);
    let pkg = case::parse_package(json.as_bytes(), "big").expect("parse");
    ws.import_package(&pkg, Some(Side::Educator))
        .expect("import");
}

/// Exports a framework of `items` items from a workshop file to a file, as `crosswalk
/// export --framework` does. The workshop is made by a child process (this program run
/// again), so the peak memory seen here is the export's alone.
fn framework_export(dir: &std::path::Path, items: usize, runs: usize) {
    let path = dir.join("framework.sqlite");
    let made = std::process::Command::new(std::env::current_exe().expect("this program"))
        .args([
            "--make-framework-workshop",
            path.to_str().expect("path"),
            &items.to_string(),
        ])
        .status()
        .expect("run");
    assert!(made.success(), "the workshop was not made");
    let ws = Workshop::open(&path).expect("open");
    let id = ws.frameworks().expect("frameworks")[0].id;
    let out = dir.join("framework.json");
    let export = best_of(runs, || {
        let start = Instant::now();
        ws.snapshot(|ws| {
            let source = ws.stored_framework(id)?;
            // As the command does: the file checked for damage while it is written.
            crosswalk::files::write_file_with(&out, |w| {
                ws.checking_meanwhile(|| case::write_framework(&source, CaseVersion::V1_1, w))??;
                Ok(())
            })
            .expect("write");
            Ok(())
        })
        .expect("export");
        start.elapsed()
    });
    let size = std::fs::metadata(&out).map_or(0, |m| m.len());
    println!(
        "export a {items}-item framework from a workshop file (check + read + build + write + fsync): {:.1} ms, {:.0} items/s, {} MiB written, peak memory {}",
        export.as_secs_f64() * 1e3,
        items as f64 / export.as_secs_f64(),
        size / (1024 * 1024),
        peak_rss_mib()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, path, items] = args.as_slice()
        && flag == "--make-framework-workshop"
    {
        return make_framework_workshop(path, items.parse().expect("a count"));
    }
    // `cargo test --benches` runs bench binaries with no `--bench`; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let dir = tempfile::tempdir().expect("temp dir");
    // First, while this process has allocated nothing else.
    framework_export(
        dir.path(),
        if quick { 500 } else { FRAMEWORK_ITEMS },
        if quick { 1 } else { RUNS },
    );
    let (items, runs) = if quick { (500, 1) } else { (ITEMS, RUNS) };
    let json = support::package_json("EDU", items);

    let mut n = 0;
    let import = best_of(runs, || {
        n += 1;
        let start = Instant::now();
        let pkg = case::parse_package(json.as_bytes(), "bench.json").expect("parse");
        let mut ws = Workshop::open(&dir.path().join(format!("import-{n}.sqlite"))).expect("open");
        let report = ws
            .import_package(&pkg, Some(Side::Educator))
            .expect("import");
        assert_eq!(report.added.len(), items);
        start.elapsed()
    });
    println!(
        "import {items} items (parse + one transaction, new workshop file): {:.1} ms, {:.0} items/s",
        import.as_secs_f64() * 1e3,
        items as f64 / import.as_secs_f64()
    );

    // Two frameworks and one link per educator item.
    let mut ws = Workshop::open(&dir.path().join("links.sqlite")).expect("open");
    ws.import_package(
        &case::parse_package(json.as_bytes(), "edu").expect("parse"),
        Some(Side::Educator),
    )
    .expect("import");
    let other = support::package_json("EMP", items);
    ws.import_package(
        &case::parse_package(other.as_bytes(), "emp").expect("parse"),
        Some(Side::Employer),
    )
    .expect("import");
    let edu = ws.load_framework(1).expect("load");
    let emp = ws.load_framework(2).expect("load");
    for (a, b) in edu.items.iter().zip(&emp.items) {
        ws.create_link(&NewLink {
            origin: a.identifier.clone(),
            destination: b.identifier.clone(),
            ..NewLink::default()
        })
        .expect("link");
    }
    let links = ws.links().expect("links");
    let info = CrosswalkInfo {
        identifier: ws.crosswalk_identifier().expect("id"),
        title: "Bench crosswalk".into(),
        creator: "bench".into(),
        frameworks: Vec::new(),
        last_change: time::OffsetDateTime::now_utc(),
    };
    let mut bytes = 0;
    let export = best_of(runs, || {
        let start = Instant::now();
        let links = ws.links().expect("links");
        let text =
            serde_json::to_vec_pretty(&case::export_links_case(&info, &links, CaseVersion::V1_0))
                .expect("json");
        bytes = text.len();
        start.elapsed()
    });
    println!(
        "export {} links as CASE JSON (query + build + serialise): {:.1} ms, {:.0} links/s, {} KiB",
        links.len(),
        export.as_secs_f64() * 1e3,
        links.len() as f64 / export.as_secs_f64(),
        bytes / 1024
    );
    let csv = best_of(runs, || {
        let start = Instant::now();
        let links = ws.session_links().expect("links");
        let mut out = Vec::new();
        let options = crosswalk::report::CsvOptions { bom: true };
        crosswalk::report::write_links_csv(&links, &[], &Default::default(), options, &mut out)
            .expect("csv");
        start.elapsed()
    });
    println!(
        "export {} links as CSV (query with status and votes + write): {:.1} ms, {:.0} links/s",
        links.len(),
        csv.as_secs_f64() * 1e3,
        links.len() as f64 / csv.as_secs_f64()
    );
    println!("peak memory (VmHWM): {}", peak_rss_mib());
}
