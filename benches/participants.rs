//! The participants' pages under load: 50 participants, each casting 20 votes and 5
//! comments through the forms as fast as the server takes them (a 429 waits out the
//! rate limit's window and tries again), each answer followed by the page again as a
//! browser follows the redirect, with another handle on the file polling the
//! change feed as the facilitator's screen does. Reports request latency (p50/p99 of
//! the answered requests), votes and comments lost (must be 0), the process's peak
//! memory (server and clients: they share it), and the delay until the other handle
//! has seen the last vote.
//! Run: `cargo bench --bench participants`
use crosswalk::model::Role;
use crosswalk::store::{ChangeFeed, NewLink, SAMPLE_FRAMEWORKS, Workshop};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn status_kib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0.0)
}

/// A workshop with the samples, `links` links and `people` participants; their tokens.
fn workshop(db: &Path, people: usize, links: usize) -> (Vec<String>, Vec<String>) {
    let mut ws = Workshop::open(db).expect("open");
    for (name, json, side) in SAMPLE_FRAMEWORKS {
        let pkg = crosswalk::case::parse_package(json.as_bytes(), name).expect("parse");
        ws.import_package(&pkg, Some(*side)).expect("import");
    }
    let fws = ws.frameworks().expect("frameworks");
    let (left, right) = (
        ws.load_package(fws[0].id).expect("load").framework.items,
        ws.load_package(fws[1].id).expect("load").framework.items,
    );
    let mut ids = Vec::new();
    'outer: for a in &left {
        for b in &right {
            if ids.len() == links {
                break 'outer;
            }
            if let Ok(l) = ws.create_link(&NewLink {
                origin: a.identifier.clone(),
                destination: b.identifier.clone(),
                ..NewLink::default()
            }) {
                ids.push(l.identifier);
            }
        }
    }
    assert_eq!(ids.len(), links, "enough links");
    ws.set_focus(Some(&ids[0])).expect("focus");
    let tokens = (0..people)
        .map(|i| {
            let name = format!("P{i}");
            let role = if i % 2 == 0 {
                Role::Faculty
            } else {
                Role::EmployerSme
            };
            ws.add_participant(&name, role).expect("add");
            ws.invite(&name, None).expect("invite").token
        })
        .collect();
    (tokens, ids)
}

/// What one participant's run measured.
struct Run {
    /// Each answered change (the POST, to its 303).
    changes: Vec<Duration>,
    /// Each page load that followed a change, as a browser follows the 303 to `/p`.
    pages: Vec<Duration>,
    limited: usize,
    last_vote: Instant,
}

/// One participant's run: join, read the page, then every vote and comment, each
/// followed by the page again as a browser does.
async fn participant(url: String, token: String, links: Arc<Vec<String>>, comments: usize) -> Run {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = http
        .get(format!("{url}/join/{token}"))
        .send()
        .await
        .expect("join");
    assert_eq!(r.status(), 303);
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("cookie")
        .to_string();
    let page = http
        .get(format!("{url}/p"))
        .header("Cookie", &cookie)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("page");
    let at = page.find("name=\"csrf\" value=\"").expect("csrf") + 19;
    let csrf = page[at..at + 64].to_string();
    let mut forms: Vec<(&str, Vec<(&str, String)>)> = links
        .iter()
        .map(|l| {
            (
                "/p/vote",
                vec![
                    ("csrf", csrf.clone()),
                    ("link", l.clone()),
                    ("vote", "accept".into()),
                ],
            )
        })
        .collect();
    for i in 0..comments {
        forms.push((
            "/p/comment",
            vec![
                ("csrf", csrf.clone()),
                ("link", links[i].clone()),
                ("text", format!("comment {i} from the load run")),
            ],
        ));
    }
    let (mut times, mut pages, mut limited, mut last_vote) =
        (Vec::new(), Vec::new(), 0, Instant::now());
    for (path, form) in &forms {
        loop {
            let start = Instant::now();
            let r = http
                .post(format!("{url}{path}"))
                .header("Cookie", &cookie)
                .form(form)
                .send()
                .await
                .expect("post");
            let took = start.elapsed();
            if r.status() == 429 {
                limited += 1;
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
            assert_eq!(r.status(), 303, "{path}");
            times.push(took);
            if *path == "/p/vote" {
                last_vote = Instant::now();
            }
            let start = Instant::now();
            let page = http
                .get(format!("{url}/p"))
                .header("Cookie", &cookie)
                .send()
                .await
                .expect("page");
            assert_eq!(page.status(), 200);
            page.bytes().await.expect("page");
            pages.push(start.elapsed());
            break;
        }
    }
    Run {
        changes: times,
        pages,
        limited,
        last_vote,
    }
}

fn main() {
    // `cargo test --benches` runs bench binaries with no `--bench`; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let (people, votes, comments) = if quick { (4, 5, 1) } else { (50, 20, 5) };
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("load.sqlite");
    let (tokens, links) = workshop(&db, people, votes);
    let links = Arc::new(links);

    // The server on a runtime like `crosswalk serve`'s; the clients on another.
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let listener = server
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let app = crosswalk::server::router(&db, &url).expect("router");
    server.spawn(crosswalk::server::serve(
        listener,
        app,
        std::future::pending(),
    ));

    // The facilitator's screen, as far as the file is concerned: a handle polling the feed.
    let expected = people * votes;
    let done = Arc::new(AtomicBool::new(false));
    let screen = {
        let db = db.clone();
        let done = done.clone();
        // Polls as the screen's idle tick does; gives up a few seconds after the clients.
        std::thread::spawn(move || {
            let mut deadline = None;
            let ws = Workshop::open(&db).expect("open");
            let mut feed = ChangeFeed::new(&ws).expect("feed");
            let mut seen = 0;
            loop {
                if let Some(entries) = feed.poll(&ws).expect("poll") {
                    seen += entries.iter().filter(|e| e.entry.action == "vote").count();
                    if seen >= expected {
                        return Some(Instant::now());
                    }
                }
                if done.load(Ordering::Relaxed) {
                    let end = *deadline.get_or_insert(Instant::now() + Duration::from_secs(5));
                    if Instant::now() > end {
                        return None;
                    }
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };

    let clients = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let start = Instant::now();
    let results = clients.block_on(async {
        let runs: Vec<_> = tokens
            .into_iter()
            .map(|t| tokio::spawn(participant(url.clone(), t, links.clone(), comments)))
            .collect();
        let mut out = Vec::new();
        for r in runs {
            out.push(r.await.expect("participant"));
        }
        out
    });
    let last_vote = results.iter().map(|r| r.last_vote).max().expect("results");
    done.store(true, Ordering::Relaxed);
    let elapsed = start.elapsed();
    let seen_at = screen.join().expect("screen");

    let sorted = |each: fn(&Run) -> &Vec<Duration>| {
        let mut all: Vec<Duration> = results.iter().flat_map(|r| each(r).clone()).collect();
        all.sort();
        all
    };
    let (times, pages) = (sorted(|r| &r.changes), sorted(|r| &r.pages));
    let limited: usize = results.iter().map(|r| r.limited).sum();
    let at = |all: &[Duration], p: f64| all[((all.len() - 1) as f64 * p).round() as usize];
    let pct = |p: f64| at(&times, p);
    let ws = Workshop::open(&db).expect("open");
    let ballots: usize = ws.ballots().expect("ballots").values().map(Vec::len).sum();
    let thread: usize = links
        .iter()
        .map(|l| ws.comments(l).expect("comments").len())
        .sum();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
    println!(
        "{people} participants x ({votes} votes + {comments} comments) in {:.1} s: \
         p50 {} p99 {} max {} over {} answered requests ({limited} rate-limited and retried)",
        elapsed.as_secs_f64(),
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(*times.last().expect("times")),
        times.len()
    );
    println!(
        "page loads after each change (GET /p): p50 {} p99 {} max {} over {}",
        ms(at(&pages, 0.50)),
        ms(at(&pages, 0.99)),
        ms(*pages.last().expect("pages")),
        pages.len()
    );
    println!(
        "votes lost: {}, comments lost: {}; peak memory (server and clients) {:.1} MiB; \
         the other handle (polling every 20 ms) saw the last vote {} after its answer",
        expected - ballots.min(expected),
        people * comments - thread.min(people * comments),
        status_kib("VmHWM:") / 1024.0,
        seen_at
            .map(|t| ms(t.saturating_duration_since(last_vote)))
            .unwrap_or_else(|| "never".into())
    );
    assert_eq!(ballots, expected, "no vote lost");
    assert_eq!(thread, people * comments, "no comment lost");
}
