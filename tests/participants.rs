//! The participants' pages of `crosswalk serve` against a real server on an ephemeral
//! port: joining, the page, votes, comments and verdicts through forms, each role's
//! limits, CSRF, revocation, sizes, rates, headers and the live event stream.
mod common;
use common::tmux::{Tmux, screen_command, tmux_missing};
use crosswalk::model::Role;
use crosswalk::store::{HistoryFilter, NewLink, SAMPLE_FRAMEWORKS, Workshop};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

const XSS: &str = "<script>alert('owned')</script> Builds trust & rapport";
const XSS_NOTE: &str = "<img src=x onerror=alert(1)> seen in practicum";
/// In the statement of the competency CHW.C.1.1 (not the one in focus).
const XSS_COMPETENCY: &str = "<script>alert('queue')</script> Bridges patients & care teams";

struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
    url: String,
    client: reqwest::Client,
    tokens: HashMap<&'static str, String>,
    link: String,
}

struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Page {
    /// The CSRF token the page's forms carry.
    fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .unwrap_or_else(|| panic!("no CSRF field in {}", self.body));
        let rest = &self.body[at + 19..];
        rest[..rest.find('"').unwrap()].to_string()
    }
}

/// The sample frameworks, with XSS payloads in the statements of CHW-PLO.1.2 and CHW.C.1.1.
fn import_samples(ws: &mut Workshop) {
    for (name, json, side) in SAMPLE_FRAMEWORKS {
        let mut doc: serde_json::Value = serde_json::from_str(json).unwrap();
        for item in doc["CFItems"].as_array_mut().unwrap() {
            if item["humanCodingScheme"] == "CHW-PLO.1.2" {
                item["fullStatement"] = XSS.into();
            }
            if item["humanCodingScheme"] == "CHW.C.1.1" {
                item["fullStatement"] = XSS_COMPETENCY.into();
            }
        }
        let bytes = serde_json::to_vec(&doc).unwrap();
        let pkg = crosswalk::case::parse_package(&bytes, name).unwrap();
        ws.import_package(&pkg, Some(*side)).unwrap();
    }
}

async fn start(db: &std::path::Path, public_url: Option<&str>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = crosswalk::server::router(db, public_url.unwrap_or(&url)).unwrap();
    tokio::spawn(crosswalk::server::serve(
        listener,
        app,
        std::future::pending(),
    ));
    url
}

const PEOPLE: [(&str, Role); 6] = [
    ("Fay", Role::Facilitator),
    ("Ann", Role::Faculty),
    ("Sam", Role::EmployerSme),
    ("Otto", Role::Observer),
    ("Rae", Role::Faculty),
    ("Lee", Role::EmployerSme),
];

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    let mut ws = Workshop::open(&db).unwrap();
    import_samples(&mut ws);
    let mut tokens = HashMap::new();
    for (name, role) in PEOPLE {
        ws.add_participant(name, role).unwrap();
        tokens.insert(name, ws.invite(name, None).unwrap().token);
    }
    let link = ws
        .create_link(&NewLink {
            origin: "CHW-PLO.1.2".into(),
            destination: "CHW.C.1.3".into(),
            note: XSS_NOTE.into(),
            ..NewLink::default()
        })
        .unwrap()
        .identifier;
    ws.set_focus(Some(&link)).unwrap();
    let url = start(&db, None).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Fixture {
        _dir: dir,
        db,
        url,
        client,
        tokens,
        link,
    }
}

impl Fixture {
    fn ws(&self) -> Workshop {
        Workshop::open(&self.db).unwrap()
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Page {
        let mut req = self.client.get(format!("{}{path}", self.url));
        if let Some(c) = cookie {
            req = req.header("Cookie", c);
        }
        let r = req.send().await.unwrap();
        Page {
            status: r.status(),
            headers: r.headers().clone(),
            body: r.text().await.unwrap(),
        }
    }

    async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Page {
        let r = self
            .client
            .post(format!("{}{path}", self.url))
            .header("Cookie", cookie)
            .form(form)
            .send()
            .await
            .unwrap();
        Page {
            status: r.status(),
            headers: r.headers().clone(),
            body: r.text().await.unwrap(),
        }
    }

    /// Follows `who`'s join link; the cookie it set, as a `Cookie` header value.
    async fn join(&self, who: &str) -> String {
        let r = self.get(&format!("/join/{}", self.tokens[who]), None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let set = r.headers["set-cookie"].to_str().unwrap();
        set.split(';').next().unwrap().to_string()
    }

    /// Joins as `who` and opens the page: the cookie and the page's CSRF token.
    async fn session(&self, who: &str) -> (String, String) {
        let cookie = self.join(who).await;
        let page = self.get("/p", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        (cookie, page.csrf())
    }

    fn votes(&self) -> Vec<(String, String)> {
        self.ws()
            .session_link(&self.link)
            .unwrap()
            .ballots
            .into_iter()
            .map(|b| (b.participant, b.vote.to_string()))
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joining_trades_the_token_for_a_strict_cookie_and_a_page_without_it() {
    let f = fixture().await;
    let token = &f.tokens["Ann"];
    let r = f.get(&format!("/join/{token}"), None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers["location"], "/p");
    let cookie = r.headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with(&format!("crosswalk_session={token};")),
        "{cookie}"
    );
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");
    let page = f.get("/p", Some(&f.join("Ann").await)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Ann") && page.body.contains("faculty"));
    assert!(
        !page.body.contains(token.as_str()),
        "the token is not in the page"
    );
    // Without the cookie there is no page.
    assert_eq!(f.get("/p", None).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_an_https_public_url_the_cookie_is_secure() {
    let f = fixture().await;
    let url = start(&f.db, Some("https://workshop.example")).await;
    let r = f
        .client
        .get(format!("{url}/join/{}", f.tokens["Sam"]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_expired_and_revoked_tokens_get_a_plain_403_naming_nobody() {
    let f = fixture().await;
    let mut ws = f.ws();
    let expired = ws
        .invite("Ann", Some(time::Duration::seconds(-1)))
        .unwrap()
        .token;
    ws.revoke_invites("Rae").unwrap();
    let mut forged = f.tokens["Ann"].clone();
    forged.replace_range(..2, if forged.starts_with("00") { "11" } else { "00" });
    for token in [forged, expired, f.tokens["Rae"].clone(), "x".into()] {
        let r = f.get(&format!("/join/{token}"), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.headers.get("set-cookie").is_none());
        assert!(r.body.contains("not valid"), "{}", r.body);
        for (name, _) in PEOPLE {
            assert!(!r.body.contains(name), "{name} in {}", r.body);
        }
        // Nor does the same token work as a cookie.
        let page = f
            .get("/p", Some(&format!("crosswalk_session={token}")))
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_shows_the_focus_link_with_imported_text_escaped() {
    let f = fixture().await;
    let page = f.get("/p", Some(&f.join("Sam").await)).await;
    let link = f.ws().link(&f.link).unwrap();
    let body = &page.body;
    assert!(body.contains("Now discussing"));
    assert!(body.contains("CHW-PLO.1.2") && body.contains("CHW.C.1.3"));
    assert!(
        body.contains("&lt;script&gt;alert('owned')&lt;/script&gt; Builds trust &amp; rapport"),
        "{body}"
    );
    assert!(!body.contains("<script>alert"), "{body}");
    assert!(body.contains("&lt;img src=x onerror=alert(1)&gt;") && !body.contains("<img"));
    assert!(body.contains(&link.destination.statement));
    assert!(body.contains("proposed"), "the status");
    assert!(body.contains("at least one faculty member and one employer SME accept"));
    // The employer expert gets the competency and the verdict forms.
    assert!(body.contains("action=\"/p/validate\""), "{body}");
    assert!(body.contains("value=\"needs-revision\""));
    // Faculty vote and comment but do not judge competencies.
    let faculty = f.get("/p", Some(&f.join("Ann").await)).await.body;
    assert!(faculty.contains("action=\"/p/vote\"") && faculty.contains("action=\"/p/comment\""));
    assert!(!faculty.contains("action=\"/p/validate\""));
    // The only script is the external one.
    assert!(body.contains("<script src=\"/p/live.js\" defer></script>"));
    assert!(!body.contains("style="));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_nothing_in_focus_the_page_says_so() {
    let f = fixture().await;
    f.ws().set_focus(None).unwrap();
    let page = f.get("/p", Some(&f.join("Ann").await)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Nothing is in focus"), "{}", page.body);
    assert!(!page.body.contains("<form"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vote_with_the_right_csrf_lands_under_the_participants_name() {
    let f = fixture().await;
    let (cookie, csrf) = f.session("Ann").await;
    let r = f
        .post(
            "/p/vote",
            &cookie,
            &[("csrf", &csrf), ("link", &f.link), ("vote", "accept")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers["location"], "/p");
    assert_eq!(f.votes(), vec![("Ann".into(), "accept".into())]);
    let history = f.ws().history(&HistoryFilter::All).unwrap();
    let vote = history.iter().rev().find(|e| e.action == "vote").unwrap();
    assert_eq!(vote.actor.as_deref(), Some("Ann"));
    assert_eq!(vote.link_identifier.as_deref(), Some(f.link.as_str()));
    // The page shows it.
    let page = f.get("/p", Some(&cookie)).await.body;
    assert!(
        page.contains("Your vote: <strong>accept</strong>"),
        "{page}"
    );
    // A comment lands too, under her name.
    let r = f
        .post(
            "/p/comment",
            &cookie,
            &[
                ("csrf", &csrf),
                ("link", &f.link),
                ("text", "<b>fine</b> by me"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let comments = f.ws().comments(&f.link).unwrap();
    assert_eq!(comments[0].author.as_deref(), Some("Ann"));
    let page = f.get("/p", Some(&cookie)).await.body;
    assert!(page.contains("&lt;b&gt;fine&lt;/b&gt; by me"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_or_forged_csrf_is_refused_and_nothing_recorded() {
    let f = fixture().await;
    let (cookie, csrf) = f.session("Ann").await;
    let (_, other) = f.session("Rae").await;
    let before = f.ws().history(&HistoryFilter::All).unwrap().len();
    let forged = "0".repeat(csrf.len());
    for form in [
        vec![("link", f.link.as_str()), ("vote", "accept")],
        vec![("csrf", ""), ("link", &f.link), ("vote", "accept")],
        vec![("csrf", &forged), ("link", &f.link), ("vote", "accept")],
        // Another participant's token is no good for Ann.
        vec![("csrf", &other), ("link", &f.link), ("vote", "accept")],
    ] {
        let r = f.post("/p/vote", &cookie, &form).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{form:?}");
        let r = f
            .post("/p/comment", &cookie, &[("link", &f.link), ("text", "hi")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    assert!(f.votes().is_empty());
    assert!(f.ws().comments(&f.link).unwrap().is_empty());
    assert_eq!(f.ws().history(&HistoryFilter::All).unwrap().len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_replayed_after_revocation_is_refused() {
    let f = fixture().await;
    let (cookie, csrf) = f.session("Rae").await;
    let form = [
        ("csrf", csrf.as_str()),
        ("link", &f.link),
        ("vote", "accept"),
    ];
    assert_eq!(
        f.post("/p/vote", &cookie, &form).await.status,
        StatusCode::SEE_OTHER
    );
    f.ws().revoke_invites("Rae").unwrap();
    let form = [
        ("csrf", csrf.as_str()),
        ("link", &f.link),
        ("vote", "reject"),
    ];
    let r = f.post("/p/vote", &cookie, &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.body.contains("Rae"));
    assert_eq!(f.votes(), vec![("Rae".into(), "accept".into())]);
    assert_eq!(
        f.get("/p", Some(&cookie)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_observer_sees_no_forms_and_a_forged_vote_is_refused() {
    let f = fixture().await;
    let cookie = f.join("Otto").await;
    let page = f.get("/p", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("CHW-PLO.1.2"),
        "observers see everything"
    );
    assert!(!page.body.contains("<form"), "{}", page.body);
    // The role is checked on the server for every request, not only in what the page
    // offers: a form opened while Otto was faculty (a good CSRF token) is refused once
    // he is an observer again.
    let set_role = |role: &str| {
        rusqlite::Connection::open(&f.db)
            .unwrap()
            .execute(
                "UPDATE participants SET role = ?1 WHERE name = 'Otto'",
                [role],
            )
            .unwrap();
    };
    set_role("faculty");
    let page = f.get("/p", Some(&cookie)).await;
    let csrf = page.csrf();
    set_role("observer");
    for (path, form) in [
        (
            "/p/vote",
            vec![
                ("csrf", csrf.as_str()),
                ("link", &f.link),
                ("vote", "accept"),
            ],
        ),
        (
            "/p/comment",
            vec![("csrf", csrf.as_str()), ("link", &f.link), ("text", "hi")],
        ),
        (
            "/p/validate",
            vec![
                ("csrf", csrf.as_str()),
                ("item", "CHW.C.1.3"),
                ("verdict", "validated"),
            ],
        ),
    ] {
        let r = f.post(path, &cookie, &form).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(r.body.contains("Otto is an observer"), "{}", r.body);
    }
    assert!(f.ws().comments(&f.link).unwrap().is_empty());
    assert!(f.ws().validations().unwrap().is_empty());
    assert!(f.votes().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispute_needs_a_reason_and_a_faculty_member_cannot_judge_competencies() {
    let f = fixture().await;
    let (cookie, csrf) = f.session("Ann").await;
    for reason in ["", "   "] {
        let form = [
            ("csrf", csrf.as_str()),
            ("link", &f.link),
            ("vote", "dispute"),
            ("reason", reason),
        ];
        let r = f.post("/p/vote", &cookie, &form).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.body.contains("a dispute needs a reason"), "{}", r.body);
    }
    assert!(f.votes().is_empty());
    let form = [
        ("csrf", csrf.as_str()),
        ("item", "CHW.C.1.3"),
        ("verdict", "validated"),
    ];
    let r = f.post("/p/validate", &cookie, &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("validated by employer SMEs"), "{}", r.body);
    // With a reason the dispute lands, and the reason is in the thread.
    let form = [
        ("csrf", csrf.as_str()),
        ("link", &f.link),
        ("vote", "dispute"),
        ("reason", "too broad"),
    ];
    assert_eq!(
        f.post("/p/vote", &cookie, &form).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(f.votes(), vec![("Ann".into(), "dispute".into())]);
    assert_eq!(f.ws().comments(&f.link).unwrap()[0].text, "too broad");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_employer_expert_judges_the_competency_in_focus() {
    let f = fixture().await;
    let (cookie, csrf) = f.session("Sam").await;
    let revise = [
        ("csrf", csrf.as_str()),
        ("item", "CHW.C.1.3"),
        ("verdict", "needs-revision"),
        ("comment", ""),
    ];
    let r = f.post("/p/validate", &cookie, &revise).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "needs revision says what");
    assert!(f.ws().validations().unwrap().is_empty());
    let revise = [
        ("csrf", csrf.as_str()),
        ("item", "CHW.C.1.3"),
        ("verdict", "needs-revision"),
        ("comment", "name the <em>benefit</em> programs"),
    ];
    assert_eq!(
        f.post("/p/validate", &cookie, &revise).await.status,
        StatusCode::SEE_OTHER
    );
    let v = f.ws().validations().unwrap();
    assert_eq!((v.len(), v[0].by.as_deref()), (1, Some("Sam")));
    assert_eq!(v[0].verdict.to_string(), "needs-revision");
    let history = f.ws().history(&HistoryFilter::All).unwrap();
    let e = history
        .iter()
        .rev()
        .find(|e| e.action == "validation")
        .unwrap();
    assert_eq!(e.actor.as_deref(), Some("Sam"));
    let page = f.get("/p", Some(&cookie)).await.body;
    assert!(
        page.contains("Your verdict: <strong>needs revision</strong>"),
        "{page}"
    );
    assert!(page.contains("name the &lt;em&gt;benefit&lt;/em&gt; programs"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comments_and_bodies_over_the_limits_are_refused() {
    let f = fixture().await;
    let (cookie, csrf) = f.session("Ann").await;
    let long = "é".repeat(2001);
    let r = f
        .post(
            "/p/comment",
            &cookie,
            &[("csrf", &csrf), ("link", &f.link), ("text", &long)],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("at most 2000 characters"), "{}", r.body);
    let r = f
        .post(
            "/p/vote",
            &cookie,
            &[
                ("csrf", &csrf),
                ("link", &f.link),
                ("vote", "dispute"),
                ("reason", &long),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let huge = "x".repeat(20 * 1024);
    let r = f
        .post(
            "/p/comment",
            &cookie,
            &[("csrf", &csrf), ("link", &f.link), ("text", &huge)],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(f.ws().comments(&f.link).unwrap().is_empty());
    assert!(f.votes().is_empty());
    // 2,000 characters exactly is fine.
    let most = "é".repeat(2000);
    let r = f
        .post(
            "/p/comment",
            &cookie,
            &[("csrf", &csrf), ("link", &f.link), ("text", &most)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_participant_pressing_too_fast_is_slowed_down() {
    let f = fixture().await;
    let (cookie, csrf) = f.session("Ann").await;
    let (other, other_csrf) = f.session("Sam").await;
    let form = [
        ("csrf", csrf.as_str()),
        ("link", &f.link),
        ("vote", "accept"),
    ];
    for _ in 0..20 {
        assert_eq!(
            f.post("/p/vote", &cookie, &form).await.status,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        f.post("/p/vote", &cookie, &form).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Someone else is not held up.
    let form = [
        ("csrf", other_csrf.as_str()),
        ("link", &f.link),
        ("vote", "accept"),
    ];
    assert_eq!(
        f.post("/p/vote", &other, &form).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_participant_response_carries_the_security_headers() {
    let f = fixture().await;
    let (cookie, csrf) = f.session("Ann").await;
    let responses = [
        f.get("/join/nonsense", None).await,
        f.get(&format!("/join/{}", f.tokens["Ann"]), None).await,
        f.get("/p", Some(&cookie)).await,
        f.get("/p", None).await,
        f.get("/p/style.css", None).await,
        f.get("/p/live.js", None).await,
        f.post(
            "/p/vote",
            &cookie,
            &[("csrf", &csrf), ("link", &f.link), ("vote", "accept")],
        )
        .await,
        f.post(
            "/p/vote",
            &cookie,
            &[("csrf", "forged"), ("link", &f.link), ("vote", "accept")],
        )
        .await,
    ];
    for r in &responses {
        let h = |name: &str| r.headers.get(name).map(|v| v.to_str().unwrap().to_string());
        assert_eq!(
            h("content-security-policy").as_deref(),
            Some(
                "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
            ),
            "{}",
            r.status
        );
        assert_eq!(h("referrer-policy").as_deref(), Some("no-referrer"));
        assert_eq!(h("x-content-type-options").as_deref(), Some("nosniff"));
        assert_eq!(h("cache-control").as_deref(), Some("no-store"));
    }
    assert_eq!(responses[4].headers["content-type"], "text/css");
    assert_eq!(responses[5].headers["content-type"], "text/javascript");
    assert!(responses[5].body.contains("EventSource(\"/p/events\")"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_participants_voting_at_once_both_land() {
    let f = fixture().await;
    let (ann, ann_csrf) = f.session("Ann").await;
    let (sam, sam_csrf) = f.session("Sam").await;
    let accept = [
        ("csrf", ann_csrf.as_str()),
        ("link", &f.link),
        ("vote", "accept"),
    ];
    let dispute = [
        ("csrf", sam_csrf.as_str()),
        ("link", &f.link),
        ("vote", "dispute"),
        ("reason", "not at this level"),
    ];
    let (a, b) = tokio::join!(
        f.post("/p/vote", &ann, &accept),
        f.post("/p/vote", &sam, &dispute)
    );
    assert_eq!(
        (a.status, b.status),
        (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER)
    );
    let mut votes = f.votes();
    votes.sort();
    assert_eq!(
        votes,
        vec![
            ("Ann".into(), "accept".into()),
            ("Sam".into(), "dispute".into())
        ]
    );
    let ws = f.ws();
    assert_eq!(
        ws.session_link(&f.link).unwrap().status.to_string(),
        "disputed"
    );
    let history = ws.history(&HistoryFilter::All).unwrap();
    let voters: Vec<_> = history
        .iter()
        .filter(|e| e.action == "vote")
        .map(|e| e.actor.clone().unwrap())
        .collect();
    assert_eq!(voters.len(), 2, "each vote recorded once");
}

/// Reads the event stream until an event named `change` arrives; `false` when it ends.
async fn next_change(r: &mut reqwest::Response, seen: &mut String) -> bool {
    loop {
        if let Some(at) = seen.find("event: change") {
            seen.drain(..at + 13);
            return true;
        }
        match r.chunk().await.unwrap() {
            Some(bytes) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            None => return false,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_stream_says_when_another_handle_votes_and_ends_on_revocation() {
    let f = fixture().await;
    let cookie = f.join("Ann").await;
    assert_eq!(f.get("/p/events", None).await.status, StatusCode::FORBIDDEN);
    let mut events = f
        .client
        .get(format!("{}/p/events", f.url))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), StatusCode::OK);
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    let mut seen = String::new();
    // Another process (the facilitator's screen, say) votes.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let mut ws = f.ws();
    ws.act_as(Some("Fay")).unwrap();
    ws.vote(&f.link, crosswalk::model::Vote::Accept, None)
        .unwrap();
    let got =
        tokio::time::timeout(Duration::from_secs(3), next_change(&mut events, &mut seen)).await;
    assert_eq!(
        got.ok(),
        Some(true),
        "an event within a second or so: {seen}"
    );
    // Revoking Ann ends her stream.
    ws.act_as(None).unwrap();
    ws.revoke_invites("Ann").unwrap();
    let ended = tokio::time::timeout(Duration::from_secs(3), async {
        while next_change(&mut events, &mut seen).await {}
    })
    .await;
    assert!(ended.is_ok(), "the stream ends once the link is revoked");
}

/// The facilitator's real screen (tmux) shows a vote cast from a participant's page,
/// with no key pressed on the screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_facilitators_screen_shows_a_vote_cast_on_a_page() {
    if tmux_missing() {
        return;
    }
    let f = fixture().await;
    let dir = f.db.parent().unwrap();
    let tmux = Tmux::start(
        "participants",
        &format!("{} --as Fay", screen_command(dir, &f.db)),
    );
    tmux.wait_for("as Fay (facilitator)");
    let (cookie, csrf) = f.session("Sam").await;
    let r = f
        .post(
            "/p/vote",
            &cookie,
            &[("csrf", &csrf), ("link", &f.link), ("vote", "accept")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let answered = std::time::Instant::now();
    tmux.wait_for("Sam accepted CHW-PLO.1.2 → CHW.C.1.3");
    eprintln!(
        "the screen showed the vote {:?} after the page's answer",
        answered.elapsed()
    );
}

// --- At one's own pace: the queue, a link's own page, coverage. ---

impl Fixture {
    /// The identifier of the item coded `code`, as the forms carry it.
    fn item(&self, code: &str) -> String {
        self.ws().find_item(code).unwrap().end.item_identifier
    }

    /// A second link, CHW-PLO.1.1 -> `to`, open for votes.
    fn another_link(&self, to: &str) -> String {
        self.ws()
            .create_link(&NewLink {
                origin: "CHW-PLO.1.1".into(),
                destination: to.into(),
                ..NewLink::default()
            })
            .unwrap()
            .identifier
    }
}

fn verdict_form(item: &str) -> String {
    format!("name=\"item\" value=\"{item}\"")
}

fn vote_form(link: &str) -> String {
    format!("name=\"link\" value=\"{link}\"")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_employer_experts_queue_loses_each_competency_judged_and_link_voted_on() {
    let f = fixture().await;
    let other = f.another_link("CHW.C.2.1");
    let (cookie, csrf) = f.session("Sam").await;
    let page = f.get("/p", Some(&cookie)).await.body;
    assert!(page.contains("href=\"/p/queue\""), "linked from the page");
    let queue = f.get("/p/queue", Some(&cookie)).await;
    assert_eq!(queue.status, StatusCode::OK);
    let (c13, c21) = (f.item("CHW.C.1.3"), f.item("CHW.C.2.1"));
    for want in [
        verdict_form(&c13),
        verdict_form(&c21),
        vote_form(&f.link),
        vote_form(&other),
    ] {
        assert!(queue.body.contains(&want), "{want} in {}", queue.body);
    }
    // Domains are not judged one by one; only competencies are listed.
    assert!(!queue.body.contains(&verdict_form(&f.item("CHW.C.1"))));
    assert!(queue.body.contains("name=\"back\" value=\"queue\""));
    // Needs revision still says what: refused, and the competency stays.
    let r = f
        .post(
            "/p/validate",
            &cookie,
            &[
                ("csrf", &csrf),
                ("item", &c13),
                ("verdict", "needs-revision"),
                ("comment", ""),
                ("back", "queue"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = f
        .post(
            "/p/validate",
            &cookie,
            &[
                ("csrf", &csrf),
                ("item", &c13),
                ("verdict", "needs-revision"),
                ("comment", "say which groups"),
                ("back", "queue"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers["location"], "/p/queue", "back to the queue");
    let r = f
        .post(
            "/p/vote",
            &cookie,
            &[
                ("csrf", &csrf),
                ("link", &f.link),
                ("vote", "accept"),
                ("back", "queue"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers["location"], "/p/queue");
    let queue = f.get("/p/queue", Some(&cookie)).await.body;
    assert!(!queue.contains(&verdict_form(&c13)), "judged: gone");
    assert!(!queue.contains(&vote_form(&f.link)), "voted on: gone");
    assert!(queue.contains(&verdict_form(&c21)) && queue.contains(&vote_form(&other)));
    let v = f.ws().validations().unwrap();
    assert_eq!(
        (v[0].by.as_deref(), v[0].comment.as_str()),
        (Some("Sam"), "say which groups")
    );
    assert_eq!(f.votes(), vec![("Sam".into(), "accept".into())]);
    // Lee's queue is Lee's own: still everything.
    let lee = f.join("Lee").await;
    let theirs = f.get("/p/queue", Some(&lee)).await.body;
    assert!(theirs.contains(&verdict_form(&c13)) && theirs.contains(&vote_form(&f.link)));
    // A form's `back` is a page name, never a place: anything else goes to /p.
    let r = f
        .post(
            "/p/vote",
            &cookie,
            &[
                ("csrf", &csrf),
                ("link", &other),
                ("vote", "reject"),
                ("back", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(r.headers["location"], "/p");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_faculty_queue_offers_votes_but_no_verdicts_and_a_forged_verdict_is_refused() {
    let f = fixture().await;
    let (cookie, csrf) = f.session("Ann").await;
    let queue = f.get("/p/queue", Some(&cookie)).await.body;
    assert!(queue.contains(&vote_form(&f.link)), "{queue}");
    assert!(!queue.contains("action=\"/p/validate\""), "{queue}");
    let r = f
        .post(
            "/p/validate",
            &cookie,
            &[
                ("csrf", &csrf),
                ("item", &f.item("CHW.C.1.3")),
                ("verdict", "validated"),
                ("back", "queue"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("validated by employer SMEs"), "{}", r.body);
    assert!(f.ws().validations().unwrap().is_empty());
    // Her vote from the queue lands and leaves it.
    let form = [
        ("csrf", csrf.as_str()),
        ("link", &f.link),
        ("vote", "reject"),
        ("back", "queue"),
    ];
    assert_eq!(
        f.post("/p/vote", &cookie, &form).await.headers["location"],
        "/p/queue"
    );
    let queue = f.get("/p/queue", Some(&cookie)).await.body;
    assert!(!queue.contains(&vote_form(&f.link)));
    assert!(queue.contains("Links to vote on (0)"), "{queue}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_links_own_page_shows_it_in_full_and_sends_votes_back_to_the_queue() {
    let f = fixture().await;
    let (cookie, csrf) = f.session("Rae").await;
    let queue = f.get("/p/queue", Some(&cookie)).await.body;
    let path = format!("/p/link/{}", f.link);
    assert!(queue.contains(&format!("href=\"{path}\"")), "{queue}");
    let page = f.get(&path, Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let link = f.ws().session_link(&f.link).unwrap();
    assert!(page.body.contains(&link.link.destination.statement));
    assert!(page.body.contains("value=\"dispute\""));
    assert!(
        page.body.contains("name=\"back\" value=\"link\""),
        "a comment stays"
    );
    let r = f
        .post(
            "/p/comment",
            &cookie,
            &[
                ("csrf", &csrf),
                ("link", &f.link),
                ("text", "which groups?"),
                ("back", "link"),
            ],
        )
        .await;
    assert_eq!(r.headers["location"], path.as_str());
    assert!(
        f.get(&path, Some(&cookie))
            .await
            .body
            .contains("which groups?")
    );
    let r = f
        .post(
            "/p/vote",
            &cookie,
            &[
                ("csrf", &csrf),
                ("link", &f.link),
                ("vote", "dispute"),
                ("reason", "too broad"),
                ("back", "queue"),
            ],
        )
        .await;
    assert_eq!(r.headers["location"], "/p/queue");
    assert_eq!(f.votes(), vec![("Rae".into(), "dispute".into())]);
    // An unknown link is a plain 404.
    let r = f.get("/p/link/no-such-link", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coverage_lists_every_outcome_gaps_first_with_its_links_and_their_status() {
    let f = fixture().await;
    let agreed = f.another_link("CHW.C.1.1");
    let mut ws = f.ws();
    for who in ["Ann", "Sam"] {
        ws.act_as(Some(who)).unwrap();
        ws.vote(&agreed, crosswalk::model::Vote::Accept, None)
            .unwrap();
    }
    let page = f.get("/p/coverage", Some(&f.join("Ann").await)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(
        body.contains("Community Health Worker Certificate"),
        "{body}"
    );
    // Each outcome in its own item, in the order shown: (state, its text).
    let chw = &body[body.find("Community Health Worker Certificate").unwrap()..];
    let chw = &chw[..chw.find("</section>").unwrap()];
    let outcomes: Vec<(&str, &str)> = chw
        .split("<li class=\"outcome ")
        .skip(1)
        .map(|o| (&o[..o.find('"').unwrap()], o))
        .collect();
    assert_eq!(outcomes.len(), 32, "every learning outcome, no domain");
    let states: Vec<&str> = outcomes.iter().map(|o| o.0).collect();
    let covered = states.iter().position(|s| *s == "covered").unwrap();
    assert_eq!(covered, 31, "gaps first: {states:?}");
    assert!(states[..covered].iter().all(|s| *s == "gap"));
    let (_, first) = outcomes[covered];
    assert!(
        first.contains("CHW-PLO.1.1") && first.contains("agreed"),
        "{first}"
    );
    // CHW-PLO.1.2 is a gap with a proposed link, shown with its status.
    let (_, plo12) = outcomes
        .iter()
        .find(|o| o.1.contains("CHW-PLO.1.2"))
        .unwrap();
    assert!(
        plo12.contains("proposed") && plo12.contains("CHW.C.1.3"),
        "{plo12}"
    );
    assert!(plo12.contains(&format!("href=\"/p/link/{}\"", f.link)));
    // A single covered outcome: 1 of 32.
    assert!(chw.contains("1 of 32 outcomes covered (3%)"), "{chw}");
    assert!(!body.contains("<form"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn observers_follow_the_open_work_and_coverage_and_can_change_nothing() {
    let f = fixture().await;
    let cookie = f.join("Otto").await;
    let link_page = format!("/p/link/{}", f.link);
    for path in ["/p/queue", "/p/coverage", link_page.as_str()] {
        let page = f.get(path, Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            page.body.contains("CHW-PLO.1.2"),
            "{path}: observers see everything"
        );
        assert!(!page.body.contains("<form"), "{path}: {}", page.body);
    }
    let queue = f.get("/p/queue", Some(&cookie)).await.body;
    assert!(queue.contains("Still open") && queue.contains("CHW.C.1.3"));
    // A forged form (with a CSRF token made while he was faculty) is refused.
    rusqlite::Connection::open(&f.db)
        .unwrap()
        .execute(
            "UPDATE participants SET role = 'faculty' WHERE name = 'Otto'",
            [],
        )
        .unwrap();
    let csrf = f.get("/p/queue", Some(&cookie)).await.csrf();
    rusqlite::Connection::open(&f.db)
        .unwrap()
        .execute(
            "UPDATE participants SET role = 'observer' WHERE name = 'Otto'",
            [],
        )
        .unwrap();
    let r = f
        .post(
            "/p/vote",
            &cookie,
            &[
                ("csrf", &csrf),
                ("link", &f.link),
                ("vote", "accept"),
                ("back", "queue"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Otto is an observer"), "{}", r.body);
    let r = f
        .post(
            "/p/comment",
            &cookie,
            &[
                ("csrf", &csrf),
                ("link", &f.link),
                ("text", "hm"),
                ("back", "link"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(f.votes().is_empty());
    assert!(f.ws().comments(&f.link).unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_own_pace_pages_need_a_live_session() {
    let f = fixture().await;
    let cookie = f.join("Rae").await;
    let link_page = format!("/p/link/{}", f.link);
    let paths = ["/p/queue", "/p/coverage", link_page.as_str()];
    for path in paths {
        assert_eq!(f.get(path, Some(&cookie)).await.status, StatusCode::OK);
        let page = f.get(path, None).await;
        assert_eq!(
            page.status,
            StatusCode::FORBIDDEN,
            "{path} without a cookie"
        );
        assert!(!page.body.contains("CHW"), "{}", page.body);
        let forged = f.get(path, Some("crosswalk_session=forged")).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
    }
    f.ws().revoke_invites("Rae").unwrap();
    for path in paths {
        assert_eq!(
            f.get(path, Some(&cookie)).await.status,
            StatusCode::FORBIDDEN,
            "{path} after revocation"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imported_text_is_escaped_on_the_queue_coverage_and_link_pages() {
    let f = fixture().await;
    let cookie = f.join("Sam").await;
    let queue = f.get("/p/queue", Some(&cookie)).await.body;
    assert!(
        queue.contains(
            "&lt;script&gt;alert('queue')&lt;/script&gt; Bridges patients &amp; care teams"
        ),
        "the competency: {queue}"
    );
    assert!(
        queue.contains("&lt;script&gt;alert('owned')&lt;/script&gt; Builds trust &amp; rapport"),
        "the link's outcome"
    );
    let coverage = f.get("/p/coverage", Some(&cookie)).await.body;
    assert!(coverage.contains("&lt;script&gt;alert('owned')&lt;/script&gt;"));
    let link = f
        .get(&format!("/p/link/{}", f.link), Some(&cookie))
        .await
        .body;
    assert!(
        link.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the rationale"
    );
    for body in [&queue, &coverage, &link] {
        assert!(
            !body.contains("<script>alert") && !body.contains("<img"),
            "{body}"
        );
        // No script but the one external file (queue: none at all), no inline style.
        assert!(
            body.matches("<script").count()
                == body.matches("<script src=\"/p/live.js\" defer>").count(),
            "{body}"
        );
        assert!(!body.contains("style="));
    }
    assert!(!queue.contains("<script"), "the queue stays put");
    assert!(
        coverage.contains("/p/live.js") && link.contains("/p/live.js"),
        "they follow live"
    );
}
