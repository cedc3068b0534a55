//! Suggestion speed: build the index over a 20,000-item framework, then suggest for every
//! item of a 2,000-item one (budget: 2 s in all, one core), and for one item (budget: a
//! frame, 16 ms). Two shapes: the shared generator's (a 26-word vocabulary, so every word
//! is in half the documents: the worst case for an inverted index) and a Zipf-distributed
//! 5,000-word vocabulary, closer to real statements.
//!
//! Besides wall-clock times it prints the CPU time the process used, which is what one core
//! spent whatever else the machine is doing.
//!
//! `cargo bench --bench suggest`
mod support;

use crosswalk::model::{Framework, Item};
use crosswalk::suggest::{Context, Index, report};
use std::hint::black_box;
use std::time::{Duration, Instant};

const QUERY_ITEMS: usize = 2_000;
const CANDIDATE_ITEMS: usize = 20_000;
const TOP: usize = 10;

fn generated(prefix: &str, n: usize) -> Framework {
    let json = support::package_json(prefix, n);
    crosswalk::case::parse_package(json.as_bytes(), prefix)
        .expect("generated package parses")
        .framework
}

/// Items of 8 to 20 words drawn from a Zipf-like law over `vocabulary` made-up words, in
/// domains of 100, with a keyword or two.
fn zipf(n: usize, vocabulary: usize, seed: u64) -> Framework {
    let words: Vec<String> = (0..vocabulary).map(word).collect();
    // Cumulative weights 1/rank, searched with a uniform draw.
    let mut cumulative = Vec::with_capacity(vocabulary);
    let mut total = 0.0;
    for rank in 1..=vocabulary {
        total += 1.0 / rank as f64;
        cumulative.push(total);
    }
    let mut rng = seed;
    let mut draw = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let u = (rng >> 11) as f64 / (1u64 << 53) as f64 * total;
        &words[cumulative.partition_point(|&c| c < u).min(vocabulary - 1)]
    };
    let mut items = Vec::with_capacity(n);
    let mut domain = 0;
    for i in 0..n {
        let header = i % 100 == 0;
        if header {
            domain = i;
        }
        let len = if header { 3 } else { 8 + i % 13 };
        let statement: Vec<&str> = (0..len).map(|_| draw().as_str()).collect();
        items.push(Item {
            identifier: format!("{seed}-{i}"),
            code: format!("Z.{}.{}", i / 100, i % 100),
            statement: statement.join(" "),
            keywords: if header {
                Vec::new()
            } else {
                vec![draw().clone(), draw().clone()]
            },
            depth: if header { 0 } else { 1 },
            parent: if header { None } else { Some(domain) },
            ..Item::default()
        });
    }
    Framework {
        items,
        ..Framework::default()
    }
}

/// Pronounceable made-up words, so the stemmer has real work to do.
fn word(mut n: usize) -> String {
    const SYLLABLES: [&str; 16] = [
        "ra", "te", "lo", "min", "sa", "ver", "cu", "tion", "ing", "pe", "dro", "al", "ex", "ment",
        "ly", "ons",
    ];
    let mut w = String::new();
    loop {
        w.push_str(SYLLABLES[n % 16]);
        n /= 16;
        if n == 0 {
            break;
        }
    }
    w
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// CPU time this process has used (user + system), from /proc: what one core spent on the
/// work, whatever else the machine is doing. Linux only; `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Build and suggest-for-all, timed as wall clock and as CPU time.
fn full_run(
    query: &Framework,
    candidates: &Framework,
) -> (Index, usize, usize, Duration, Duration, Option<Duration>) {
    let cpu_start = cpu_time();
    let (index, build) = time(|| Index::build(candidates));
    let (results, all) = time(|| report::suggest_all(&index, query, TOP, &Context::empty()));
    let cpu = cpu_start.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));
    let found = results.iter().map(|r| r.1.len()).sum();
    (index, results.len(), found, build, all, cpu)
}

/// The fastest of `runs` full runs (the machine may be busy with other work), then one
/// item at a time.
fn run(shape: &str, query: &Framework, candidates: &Framework, runs: usize) {
    let mut fastest = full_run(query, candidates);
    for _ in 1..runs {
        let next = full_run(query, candidates);
        if next.3 + next.4 < fastest.3 + fastest.4 {
            fastest = next;
        }
    }
    let (index, leaves, found, build, all, cpu) = fastest;
    // One item: each of the query's first 200 leaves timed alone.
    let ctx = Context::empty();
    let (mut worst, mut total, mut timed) = (Duration::ZERO, Duration::ZERO, 0u32);
    for item in (0..query.items.len())
        .filter(|&i| query.is_leaf(i))
        .take(200)
    {
        let (s, t) = time(|| index.suggest(query, item, TOP, &ctx));
        black_box(s);
        worst = worst.max(t);
        total += t;
        timed += 1;
    }
    let mean = total / timed.max(1);
    let sum = build + all;
    println!(
        "{shape}: build {:.0} ms ({} candidates), suggest {leaves} items {:.0} ms, total {:.2} s \
         (CPU {}; budget 2 s: {}); one item mean {:.2} ms, worst {:.2} ms (budget 16 ms: {}); \
         {found} suggestions",
        build.as_secs_f64() * 1e3,
        index.len(),
        all.as_secs_f64() * 1e3,
        sum.as_secs_f64(),
        cpu.map_or("unknown".to_string(), |c| format!(
            "{:.2} s",
            c.as_secs_f64()
        )),
        if cpu.unwrap_or(sum).min(sum) < Duration::from_secs(2) {
            "ok"
        } else {
            "OVER"
        },
        mean.as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3,
        if worst < Duration::from_millis(16) {
            "ok"
        } else {
            "OVER"
        },
    );
}

fn main() {
    // `cargo test --benches` runs bench binaries with no `--bench`; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let (scale, runs) = if quick { (20, 1) } else { (1, 3) };
    let (q, c) = (QUERY_ITEMS / scale, CANDIDATE_ITEMS / scale);
    run(
        "generator (26 words)",
        &generated("Q", q),
        &generated("C", c),
        runs,
    );
    run(
        "zipf (5,000 words)",
        &zipf(q, 5_000, 7),
        &zipf(c, 5_000, 11),
        runs,
    );
}
