//! The participants' pages in a real browser: `crosswalk serve` on an ephemeral port,
//! headless Chromium driven over WebDriver (chromedriver, through fantoccini), one
//! browser (its own profile, so its own cookie) per person. They open the join links
//! `crosswalk participant invite` printed, see the link in front of the room, and vote
//! by clicking the rendered forms; the workshop file records it, the other open pages
//! show it live (a page being typed on keeps the words and offers the news instead),
//! nothing breaks the CSP, a revoked person's open page stops working, and a page left
//! open across a restart of the server catches up on what changed meanwhile. The
//! facilitator's real screen (tmux) runs beside them: it shows a click made on a page,
//! and when it moves the room on (`]`), the open pages discuss the next link.
//! `.ci/run` installs `chromium` and `chromium-driver`; without them (or when the browser
//! cannot start) the test is skipped, except under `CI=true`, where it fails.
mod common;
use common::tmux::{Tmux, screen_command, tmux_missing};
use common::{crosswalk, ok};
use crosswalk::model::{Role, Vote};
use crosswalk::store::{NewLink, SAMPLE_FRAMEWORKS, Workshop};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Imported text is untrusted: the statement of CHW-PLO.1.2 carries markup that would
/// run (and, blocked by the CSP, be logged) if the page did not escape it.
const XSS: &str = "<img src=x onerror=\"document.title='owned'\"> Builds trust & rapport";
const REASON: &str = "Rapport is taught in CHW 101, but trust-building is not assessed";
/// How long a change may take to reach an open page: the server looks for commits
/// four times a second, then the page fetches itself once.
const LIVE: Duration = Duration::from_secs(5);

/// The first of these programs on PATH.
fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// `None` after a note, or under `CI=true` a failure: CI installs the browser.
fn unavailable<T>(why: &str) -> Option<T> {
    assert!(
        !std::env::var("CI").is_ok_and(|v| v == "true"),
        "CI=true: the browser test cannot run: {why} (.ci/run installs chromium and chromium-driver)"
    );
    eprintln!("note: skipped the real-browser test: {why}");
    None
}

/// A process of the test's own, in a process group of its own, ended with the test
/// (pass or panic): chromedriver leaves the browsers it started behind when it is
/// killed alone, so the whole group goes.
struct Owned {
    child: Child,
}

impl Owned {
    fn spawn(cmd: &mut Command) -> std::io::Result<Owned> {
        let child = cmd.stdin(Stdio::null()).process_group(0).spawn()?;
        Ok(Owned { child })
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-TERM", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver on a free port, the browsers' profiles in a directory of their own.
struct Driver {
    url: String,
    chromium: Option<PathBuf>,
    profiles: tempfile::TempDir,
    http: reqwest::Client,
    process: Option<Owned>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The browsers end before their profile directories are removed.
        self.process.take();
    }
}

impl Driver {
    /// Starts chromedriver, or says why it cannot (skip, or fail under CI).
    async fn start() -> Option<Driver> {
        let Some(driver) = find(&["chromedriver"]) else {
            return unavailable("chromedriver is not installed (Debian: chromium-driver)");
        };
        let chromium = std::env::var_os("CROSSWALK_CHROMIUM").map(PathBuf::from);
        if chromium.is_none() && find(&["chromium", "chromium-browser"]).is_none() {
            return unavailable("Chromium is not installed (Debian: chromium)");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let profiles = tempfile::tempdir().unwrap();
        let process = match Owned::spawn(
            Command::new(&driver)
                .arg(format!("--port={port}"))
                // The browsers' scratch directories go with their profiles, even after
                // a failed test killed them.
                .env("TMPDIR", profiles.path())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        ) {
            Ok(p) => p,
            Err(e) => return unavailable(&format!("cannot run {}: {e}", driver.display())),
        };
        let me = Driver {
            url: format!("http://127.0.0.1:{port}"),
            chromium,
            profiles,
            http: reqwest::Client::new(),
            process: Some(process),
        };
        let start = Instant::now();
        loop {
            let ready = me.http.get(format!("{}/status", me.url)).send().await;
            if let Ok(r) = ready {
                let status: Value = r.json().await.unwrap_or_default();
                if status["value"]["ready"] == true {
                    return Some(me);
                }
            }
            if start.elapsed() > Duration::from_secs(15) {
                return unavailable(&format!("chromedriver did not start on port {port}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A new headless browser with a fresh profile: no cookie of anyone else's.
    async fn browser(&self, who: &str) -> Option<Client> {
        let profile = self.profiles.path().join(who);
        let mut chrome = json!({ "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            format!("--user-data-dir={}", profile.display()),
        ]});
        if let Some(binary) = &self.chromium {
            chrome["binary"] = json!(binary);
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), chrome);
        // The console, read back with `console_problems`.
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&self.url)
            .await
        {
            Ok(c) => Some(c),
            Err(e) => unavailable(&format!("the browser cannot start: {e}")),
        }
    }

    /// What this browser's console said since last asked that a page must never cause:
    /// CSP violations ("security") and script errors ("javascript").
    async fn console_problems(&self, c: &Client) -> Vec<String> {
        // chromedriver's log endpoint; WebDriver itself has none and fantoccini no call.
        let id = c.session_id().await.unwrap().unwrap();
        let log: Value = self
            .http
            .post(format!("{}/session/{id}/se/log", self.url))
            .json(&json!({ "type": "browser" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let entries = log["value"].as_array().expect("a console log");
        entries
            .iter()
            .filter(|e| {
                let message = e["message"].as_str().unwrap_or_default();
                matches!(e["source"].as_str(), Some("security" | "javascript"))
                    || message.contains("Content Security Policy")
            })
            .map(|e| e.to_string())
            .collect()
    }
}

/// The text of every element `css` matches, one a line ("" while there are none, or
/// while the page is being replaced under us).
async fn texts(c: &Client, css: &str) -> String {
    let Ok(found) = c.find_all(Locator::Css(css)).await else {
        return String::new();
    };
    let mut all = Vec::new();
    for e in found {
        match e.text().await {
            Ok(t) => all.push(t),
            Err(_) => return String::new(),
        }
    }
    all.join("\n")
}

/// Waits (at most `limit`) until an element `css` matches says `needle`, without
/// touching the page; panics with what it does say.
async fn wait_for(c: &Client, css: &str, needle: &str, limit: Duration, who: &str) -> String {
    let start = Instant::now();
    loop {
        let now = texts(c, css).await;
        if now.contains(needle) {
            return now;
        }
        if start.elapsed() > limit {
            let body = texts(c, "body").await;
            panic!(
                "{who}'s page: `{css}` never said `{needle}` within {limit:?}; the page:\n{body}"
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A mark only this very document carries: gone if the page was loaded again.
async fn mark(c: &Client) {
    c.execute("window.crosswalkMark = 'still here'; return null;", vec![])
        .await
        .unwrap();
}

async fn marked(c: &Client) -> bool {
    c.execute("return window.crosswalkMark === 'still here';", vec![])
        .await
        .unwrap()
        == json!(true)
}

/// The sample frameworks (the statement of CHW-PLO.1.2 replaced by [`XSS`]), three
/// participants added on the command line, and a link in focus, as the facilitator's
/// screen would put it in front of the room.
fn workshop(db: &Path) -> String {
    let mut ws = Workshop::open(db).unwrap();
    for (name, json, side) in SAMPLE_FRAMEWORKS {
        let mut doc: Value = serde_json::from_str(json).unwrap();
        for item in doc["CFItems"].as_array_mut().unwrap() {
            if item["humanCodingScheme"] == "CHW-PLO.1.2" {
                item["fullStatement"] = XSS.into();
            }
        }
        let pkg = crosswalk::case::parse_package(&serde_json::to_vec(&doc).unwrap(), name).unwrap();
        ws.import_package(&pkg, Some(*side)).unwrap();
    }
    for (name, role) in [
        ("Fay", "facilitator"),
        ("Ann", "faculty"),
        ("Sam", "employer-sme"),
        ("Otto", "observer"),
    ] {
        ok(&crosswalk(
            db,
            &["participant", "add", name, "--role", role],
        ));
    }
    let link = ws
        .create_link(&NewLink {
            origin: "CHW-PLO.1.2".into(),
            destination: "CHW.C.1.3".into(),
            ..NewLink::default()
        })
        .unwrap()
        .identifier;
    ws.set_focus(Some(&link)).unwrap();
    // Another open link, first in outcome order: where the facilitator's queue goes next.
    ws.create_link(&NewLink {
        origin: "CHW-PLO.1.1".into(),
        destination: "CHW.C.2.1".into(),
        ..NewLink::default()
    })
    .unwrap();
    link
}

/// `crosswalk serve` (participants' pages and CASE API) listening on `listen`, with the
/// base URL it says participants join at.
fn serve(db: &Path, listen: &str) -> (Owned, String) {
    let mut server = Owned::spawn(
        Command::new(env!("CARGO_BIN_EXE_crosswalk"))
            .arg("--db")
            .arg(db)
            .args(["serve", "--listen", listen])
            .env_remove("CROSSWALK_PUBLIC_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::piped()),
    )
    .expect("run crosswalk serve");
    let mut lines = BufReader::new(server.child.stderr.take().unwrap()).lines();
    let mut said = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        said.push_str(&line);
        said.push('\n');
        if let Some(at) = line.strip_prefix("crosswalk: participants join at ") {
            let url = at
                .strip_suffix("/join/TOKEN")
                .expect("the join URL")
                .to_string();
            // Keep reading, so the server never blocks on a full pipe.
            std::thread::spawn(move || lines.for_each(drop));
            return (server, url);
        }
    }
    panic!("crosswalk serve said:\n{said}");
}

/// The join link `crosswalk participant invite` prints for `who`.
fn invite(db: &Path, who: &str, url: &str) -> String {
    let said = ok(&crosswalk(
        db,
        &["participant", "invite", who, "--public-url", url, "--no-qr"],
    ));
    said.lines()
        .find(|l| l.starts_with(url))
        .unwrap_or_else(|| panic!("no join link in: {said}"))
        .to_string()
}

fn ballot(name: &str, role: Role, vote: Vote) -> String {
    format!("{name} ({role}): {vote}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_people_vote_by_clicking_and_every_open_page_follows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    let link = workshop(&db);
    let (server, url) = serve(&db, "127.0.0.1:0");
    let Some(driver) = Driver::start().await else {
        return;
    };
    // Three browsers at once: starting them is most of the test's time.
    let joins = ["Ann", "Sam", "Otto"].map(|who| invite(&db, who, &url));
    let open = |who: &'static str, join: &str| {
        let join = join.to_string();
        let driver = &driver;
        async move {
            let browser = driver.browser(who).await?;
            browser.goto(&join).await.unwrap();
            Some(browser)
        }
    };
    let started = tokio::join!(
        open("Ann", &joins[0]),
        open("Sam", &joins[1]),
        open("Otto", &joins[2])
    );
    let (Some(ann), Some(sam), Some(otto)) = started else {
        return;
    };
    let (ann, sam, otto) = (&ann, &sam, &otto);
    // Each page is that person's, with the link in focus: both statements, the
    // imported markup shown as the text it is.
    let shown = Workshop::open(&db).unwrap().link(&link).unwrap();
    for (browser, who) in [
        (ann, "Ann, faculty"),
        (sam, "Sam, employer expert"),
        (otto, "Otto, observer"),
    ] {
        assert!(browser.current_url().await.unwrap().path() == "/p");
        wait_for(browser, "p.who", who, LIVE, who).await;
        let statements = texts(browser, "article.link p.statement").await;
        assert_eq!(
            statements,
            format!(
                "{}\n{}",
                shown.origin.statement.trim(),
                shown.destination.statement.trim()
            ),
            "{who}"
        );
        assert!(statements.contains(XSS), "{statements}");
        assert_ne!(browser.title().await.unwrap(), "owned", "the markup ran");
        assert!(texts(browser, "body").await.contains("No votes yet."));
        mark(browser).await;
    }
    // The observer's page offers nothing to press.
    assert!(
        otto.find_all(Locator::Css("form"))
            .await
            .unwrap()
            .is_empty()
    );

    // The facilitator's screen is open on the same file, as it is in the room.
    let screen = (!tmux_missing()).then(|| {
        let tmux = Tmux::start(
            "browser",
            &format!("{} --as Fay", screen_command(dir.path(), &db)),
        );
        tmux.wait_for("as Fay (facilitator)");
        // Four sample frameworks: the screen asks for the pair, first the left pane's.
        tmux.wait_for("Choose the framework for the LEFT pane");
        tmux.keys(&["1"]);
        tmux.wait_for("Choose the framework for the RIGHT pane");
        tmux.keys(&["2"]);
        tmux.wait_for("Learning outcomes: Community He");
        tmux
    });

    // Ann accepts, by clicking the button.
    let clicked = Instant::now();
    ann.find(Locator::Css("button.accept"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(ann, "p.mine", "Your vote: accept", LIVE, "Ann").await;
    if let Some(tmux) = &screen {
        tokio::task::block_in_place(|| tmux.wait_for("Ann accepted CHW-PLO.1.2 → CHW.C.1.3"));
        eprintln!(
            "the facilitator's screen showed Ann's click {:?} after it",
            clicked.elapsed()
        );
    }
    mark(ann).await;
    let accepted = ballot("Ann", Role::Faculty, Vote::Accept);
    for (browser, who) in [(sam, "Sam"), (otto, "Otto")] {
        wait_for(browser, "ul.votes", &accepted, LIVE, who).await;
        assert!(
            marked(browser).await,
            "{who}'s page was reloaded, not updated"
        );
    }

    // Sam disputes: types the reason into the box and clicks Dispute.
    let reason = sam.find(Locator::Css("textarea#reason")).await.unwrap();
    reason.click().await.unwrap();
    reason.send_keys(REASON).await.unwrap();
    sam.find(Locator::Css("button.dispute"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(sam, "p.mine", "Your vote: dispute", LIVE, "Sam").await;
    let disputed = ballot("Sam", Role::EmployerSme, Vote::Dispute);
    for (browser, who) in [(ann, "Ann"), (otto, "Otto")] {
        let votes = wait_for(browser, "ul.votes", &disputed, LIVE, who).await;
        assert!(votes.contains(&accepted), "{who}: {votes}");
        wait_for(browser, "ol.comments", REASON, LIVE, who).await;
        assert!(
            marked(browser).await,
            "{who}'s page was reloaded, not updated"
        );
    }

    // The workshop file has both, under the right names, and Sam's reason.
    let ws = Workshop::open(&db).unwrap();
    let votes: Vec<(String, Vote)> = ws
        .session_link(&link)
        .unwrap()
        .ballots
        .into_iter()
        .map(|b| (b.participant, b.vote))
        .collect();
    assert_eq!(
        votes,
        [
            ("Ann".to_string(), Vote::Accept),
            ("Sam".to_string(), Vote::Dispute)
        ]
    );
    let comments = ws.comments(&link).unwrap();
    assert!(
        comments
            .iter()
            .any(|c| c.author.as_deref() == Some("Sam") && c.text == REASON),
        "{comments:?}"
    );
    drop(ws);

    for (browser, who) in [(ann, "Ann"), (sam, "Sam"), (otto, "Otto")] {
        let problems = driver.console_problems(browser).await;
        assert!(problems.is_empty(), "{who}'s console: {problems:#?}");
    }

    // Ann starts a comment; Sam comments meanwhile. Ann's page keeps her words and says
    // the discussion moved on rather than replacing the form under her; Otto's follows.
    let draft = "Half a thought about CHW 101";
    let ann_box = ann.find(Locator::Css("textarea#comment")).await.unwrap();
    ann_box.click().await.unwrap();
    ann_box.send_keys(draft).await.unwrap();
    let said = "Assessed in the practicum, not in class";
    let sam_box = sam.find(Locator::Css("textarea#comment")).await.unwrap();
    sam_box.click().await.unwrap();
    sam_box.send_keys(said).await.unwrap();
    sam.find(Locator::Css("section.thread button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(sam, "ol.comments", said, LIVE, "Sam").await;
    wait_for(otto, "ol.comments", said, LIVE, "Otto").await;
    wait_for(ann, "#stale", "The discussion has moved on", LIVE, "Ann").await;
    assert_eq!(
        ann_box.prop("value").await.unwrap().as_deref(),
        Some(draft),
        "Ann's draft was kept"
    );
    assert!(!texts(ann, "ol.comments").await.contains(said));

    // Ann's links are revoked: her open page stops working without anyone touching it.
    ok(&crosswalk(&db, &["participant", "revoke", "Ann"]));
    wait_for(ann, "h1", "This link is not valid", LIVE, "Ann").await;
    let problems = driver.console_problems(ann).await;
    assert!(problems.is_empty(), "Ann's console: {problems:#?}");

    // The server stops; Sam changes his mind on the facilitator's screen meanwhile (here
    // its command line); the server starts again. Otto's page, left open, catches up
    // once the browser has reconnected, though the change was made while it was away.
    drop(server);
    ok(&crosswalk(&db, &["--as", "Sam", "vote", &link, "accept"]));
    let (_server, again) = serve(&db, url.trim_start_matches("http://"));
    assert_eq!(again, url);
    let changed = ballot("Sam", Role::EmployerSme, Vote::Accept);
    // The browser tries again 3 s after a stream breaks.
    wait_for(
        otto,
        "ul.votes",
        &changed,
        LIVE + Duration::from_secs(3),
        "Otto",
    )
    .await;
    assert!(marked(otto).await, "Otto's page was reloaded, not updated");
    let problems = driver.console_problems(otto).await;
    assert!(problems.is_empty(), "Otto's console: {problems:#?}");

    // Otto reads the coverage of the outcomes; Sam disputes on the command line, and
    // the coverage page, not just /p, follows without being loaded again.
    otto.goto(&format!("{url}/p/coverage")).await.unwrap();
    let before = wait_for(
        otto,
        "main",
        "Coverage of the learning outcomes",
        LIVE,
        "Otto",
    )
    .await;
    assert!(!before.contains("disputed"), "{before}");
    mark(otto).await;
    ok(&crosswalk(
        &db,
        &[
            "--as",
            "Sam",
            "vote",
            &link,
            "dispute",
            "--comment",
            "Not at this level",
        ],
    ));
    wait_for(otto, "main", "disputed", LIVE, "Otto").await;
    assert!(
        marked(otto).await,
        "Otto's coverage page was reloaded, not updated"
    );
    assert_eq!(
        otto.current_url().await.unwrap().path(),
        "/p/coverage",
        "the page stays coverage"
    );

    // The facilitator moves the room on (`]`, the next open link): Sam's page, left
    // open, now discusses that link.
    if let Some(tmux) = &screen {
        let now = texts(sam, "article.link").await;
        assert!(!now.contains("CHW-PLO.1.1"), "{now}");
        mark(sam).await;
        tmux.keys(&["]"]);
        wait_for(sam, "article.link", "CHW-PLO.1.1", LIVE, "Sam").await;
        wait_for(sam, "article.link", "CHW.C.2.1", LIVE, "Sam").await;
        assert!(marked(sam).await, "Sam's page was reloaded, not updated");
    }

    for browser in [ann, sam, otto] {
        browser.clone().close().await.unwrap();
    }
}
