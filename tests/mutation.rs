//! A bounded, deterministic mutation run over the importers, so CI catches a panic
//! the fuzzers (fuzz/, `cargo fuzz`) would find: the same seeds (the sample frameworks,
//! the real CASE files in ../shared/case-samples/, the CSV seeds in fuzz/seeds/), each
//! mutated a few hundred times with a fixed seed. Every case must end in a package or
//! an error naming the file, never a panic; packages are exported and stored too.
use crosswalk::case::{CaseVersion, export_framework, parse_csv, parse_package};
use crosswalk::store::Workshop;
use std::path::{Path, PathBuf};

/// Cases per seed file: about 6,000 in all.
const CASES_PER_SEED: usize = 600;

fn seeds(ext: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = [
        root.join("sample-frameworks"),
        root.join("fuzz/seeds"),
        root.join("../shared/case-samples"),
    ];
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// Bytes that matter to JSON and CSV readers, and to UTF-8 decoding.
const INTERESTING: &[&[u8]] = &[
    b"\"",
    b",",
    b"\n",
    b"\r\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"null",
    b"-1",
    b"1e999",
    b"18446744073709551616",
    b"\"\"",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    b"\x1b]52;c;eA==\x07",
];

/// One mutation of `data`: flip, insert, delete, duplicate, splice in another seed,
/// truncate, or swap a token for an interesting one, sometimes several at once.
fn mutate(rng: &mut fastrand::Rng, data: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    for _ in 0..rng.usize(1..=4) {
        let len = out.len().max(1);
        let at = rng.usize(..len).min(out.len());
        match rng.u8(..8) {
            0 if !out.is_empty() => {
                let i = rng.usize(..out.len());
                out[i] ^= 1 << rng.u8(..8);
            }
            1 => {
                let token = INTERESTING[rng.usize(..INTERESTING.len())];
                out.splice(at..at, token.iter().copied());
            }
            2 => {
                let end = (at + rng.usize(1..64)).min(out.len());
                out.drain(at..end);
            }
            3 => {
                let end = (at + rng.usize(1..256)).min(out.len());
                let copy = out[at..end].to_vec();
                out.splice(at..at, copy);
            }
            4 if !other.is_empty() => {
                let from = rng.usize(..other.len());
                let end = (from + rng.usize(1..512)).min(other.len());
                out.splice(at..at, other[from..end].iter().copied());
            }
            5 => out.truncate(at),
            6 => {
                // Replace a run of word bytes (a value, a key, a number) with a token.
                let end = out[at..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(out.len(), |n| at + n);
                let token = INTERESTING[rng.usize(..INTERESTING.len())];
                out.splice(at..end, token.iter().copied());
            }
            _ => {
                let i = rng.usize(..len).min(out.len());
                out.insert(i, rng.u8(..));
            }
        }
    }
    out
}

/// A mutation that keeps the JSON well formed: some value deep in the package is
/// replaced (by null, a number, a hostile or empty string, an empty array or object, a
/// copy of another value) or removed, so the importer's checks past the parser are hit.
fn mutate_json(rng: &mut fastrand::Rng, data: &[u8]) -> Option<Vec<u8>> {
    let mut value: serde_json::Value = serde_json::from_slice(data).ok()?;
    for _ in 0..rng.usize(1..=3) {
        let donor = random_node(rng, &mut value.clone()).clone();
        let node = random_node(rng, &mut value);
        *node = match rng.u8(..8) {
            0 => serde_json::Value::Null,
            1 => serde_json::json!(-1),
            2 => serde_json::json!(1e300),
            3 => serde_json::json!(""),
            4 => serde_json::json!([]),
            5 => serde_json::json!({}),
            6 => serde_json::json!("\u{1b}[2J\u{9b}31m\u{202e}"),
            _ => donor,
        };
    }
    serde_json::to_vec(&value).ok()
}

/// A node picked by walking down from the root, stopping at random.
fn random_node<'a>(
    rng: &mut fastrand::Rng,
    mut node: &'a mut serde_json::Value,
) -> &'a mut serde_json::Value {
    loop {
        let children = match node {
            serde_json::Value::Array(a) if !a.is_empty() => a.len(),
            serde_json::Value::Object(o) if !o.is_empty() => o.len(),
            _ => return node,
        };
        if rng.u8(..5) == 0 {
            return node;
        }
        let i = rng.usize(..children);
        node = match node {
            serde_json::Value::Array(a) => &mut a[i],
            serde_json::Value::Object(o) => o.values_mut().nth(i).unwrap(),
            _ => unreachable!(),
        };
    }
}

type Parser = fn(&[u8], &str) -> Result<crosswalk::case::Package, crosswalk::case::ImportError>;

/// Runs the cases; returns (cases, packages accepted). Panics name the seed and case,
/// and leave the input in the temp dir to reproduce with.
fn run(ext: &str, parse: Parser) -> (usize, usize) {
    let seeds = seeds(ext);
    assert!(!seeds.is_empty(), "no .{ext} seeds");
    let mut rng = fastrand::Rng::with_seed(0x0C05_5A1C);
    let (mut cases, mut accepted) = (0, 0);
    for (i, (name, data)) in seeds.iter().enumerate() {
        let other = &seeds[(i + 1) % seeds.len()].1;
        for case in 0..CASES_PER_SEED {
            let structured = if ext == "json" && case % 2 == 0 {
                mutate_json(&mut rng, data)
            } else {
                None
            };
            let input = structured.unwrap_or_else(|| mutate(&mut rng, data, other));
            let source = format!("{name}#{case}.{ext}");
            let outcome = std::panic::catch_unwind(|| match parse(&input, &source) {
                Ok(pkg) => {
                    export_framework(&pkg, CaseVersion::V1_0);
                    // Storing costs a workshop each time; every eighth package is enough.
                    if case % 8 == 0 {
                        let mut ws = Workshop::open_in_memory().unwrap();
                        let _ = ws.import_package(&pkg, None);
                    }
                    true
                }
                Err(e) => {
                    let message = e.to_string();
                    assert!(
                        message.contains(&source),
                        "the error names the file: {message}"
                    );
                    false
                }
            });
            match outcome {
                Ok(ok) => accepted += usize::from(ok),
                Err(_) => {
                    let keep = std::env::temp_dir().join(format!("crosswalk-mutation-{source}"));
                    std::fs::write(&keep, &input).unwrap();
                    panic!("{source} panicked; the input is in {}", keep.display());
                }
            }
            cases += 1;
        }
    }
    (cases, accepted)
}

#[test]
fn mutated_case_json_never_panics() {
    let (cases, accepted) = run("json", parse_package);
    eprintln!("{cases} mutated JSON imports, {accepted} accepted");
    assert!(cases >= 1600, "{cases}");
    assert!(accepted > 0, "the mutations are not all fatal");
}

#[test]
fn mutated_csv_never_panics() {
    let (cases, accepted) = run("csv", parse_csv);
    eprintln!("{cases} mutated CSV imports, {accepted} accepted");
    assert!(cases >= 800, "{cases}");
    assert!(accepted > 0, "the mutations are not all fatal");
}
