//! A 20,000-row OpenSALT workbook: written from a framework, read back, and imported into
//! a new workshop file (targets: under 1 s each). Best of five runs.
//! Run: `cargo bench --bench workbook`
mod support;

use crosswalk::case::{self, CsvOptions};
use crosswalk::model::Side;
use crosswalk::store::Workshop;
use std::time::{Duration, Instant};

const ITEMS: usize = 20_000;
const RUNS: usize = 5;

fn best_of(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..runs).map(|_| f()).min().unwrap_or_default()
}

fn main() {
    // `cargo test --benches` runs bench binaries with no `--bench`; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let (items, runs) = if quick { (500, 1) } else { (ITEMS, RUNS) };
    let json = support::package_json("EDU", items);
    let pkg = case::parse_package(json.as_bytes(), "bench.json").expect("parse");

    let mut bytes = Vec::new();
    let export = best_of(runs, || {
        let start = Instant::now();
        bytes = case::export_workbook(&pkg).expect("export");
        start.elapsed()
    });
    println!(
        "export {items} items as an OpenSALT workbook: {:.1} ms ({} KiB)",
        export.as_secs_f64() * 1e3,
        bytes.len() / 1024
    );

    let read = best_of(runs, || {
        let start = Instant::now();
        let back =
            case::parse_workbook(&bytes, "bench.xlsx", &CsvOptions::default()).expect("read");
        assert_eq!(back.framework.items.len(), items);
        start.elapsed()
    });
    println!(
        "read {items} rows of a workbook (calamine + tree): {:.1} ms",
        read.as_secs_f64() * 1e3
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let mut n = 0;
    let import = best_of(runs, || {
        n += 1;
        let start = Instant::now();
        let back =
            case::parse_workbook(&bytes, "bench.xlsx", &CsvOptions::default()).expect("read");
        let mut ws = Workshop::open(&dir.path().join(format!("w-{n}.sqlite"))).expect("open");
        let report = ws
            .import_package(&back, Some(Side::Educator))
            .expect("import");
        assert_eq!(report.added.len(), items);
        start.elapsed()
    });
    println!(
        "import {items} rows of a workbook (read + one transaction, new workshop file): {:.1} ms",
        import.as_secs_f64() * 1e3
    );

    let mut ws = Workshop::open(&dir.path().join("again.sqlite")).expect("open");
    let back = case::parse_workbook(&bytes, "bench.xlsx", &CsvOptions::default()).expect("read");
    ws.import_package(&back, Some(Side::Educator))
        .expect("import");
    let again = best_of(runs, || {
        let start = Instant::now();
        let report = ws.import_package(&back, None).expect("re-import");
        assert_eq!(report.unchanged, items);
        start.elapsed()
    });
    println!(
        "re-import the same {items} rows (meaning compared, nothing written but places): {:.1} ms",
        again.as_secs_f64() * 1e3
    );
}
