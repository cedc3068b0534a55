//! Import a generated 20,000-item CASE package into a new workshop file, and export
//! 20,000 links as CASE JSON and CSV. Prints throughput and the process's peak memory.
//! Run: `cargo bench --bench import_export`
mod support;

use crosswalk::case::{self, CaseVersion, CrosswalkInfo};
use crosswalk::model::Side;
use crosswalk::store::{NewLink, Workshop};
use std::time::{Duration, Instant};

const ITEMS: usize = 20_000;
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

fn main() {
    // `cargo test --benches` runs bench binaries with no `--bench`; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let (items, runs) = if quick { (500, 1) } else { (ITEMS, RUNS) };
    let json = support::package_json("EDU", items);
    let dir = tempfile::tempdir().expect("temp dir");

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
