//! The participants' pages: faculty and employer experts join from their own phones with
//! the personal link `crosswalk participant invite` printed, follow the link in front of
//! the room, and vote, comment and judge competencies as the session rules allow them.
//!
//! - `GET /join/{token}` trades the join token for an HttpOnly, SameSite=Strict cookie
//!   and redirects to `/p`, so the token is in no page's URL from then on.
//! - `GET /p` is the page; `POST /p/vote`, `/p/comment`, `/p/validate` change the
//!   workshop as that participant (the store's rules decide), each checked for the
//!   session, a CSRF token, size and rate; `GET /p/events` is a server-sent event stream
//!   that says "changed" whenever anyone commits to the workshop file.
//! - At one's own pace ([`review`]): `GET /p/queue` (competencies to judge, open links
//!   to vote on), `GET /p/coverage` (the outcomes, gaps first) and `GET /p/link/{id}`
//!   (one link in full); a form sent from them comes back to the queue (its `back` field).
//! - Whoever presents a token is looked up in the workshop on every request, so a
//!   revoked or expired link stops working at once, open pages and streams included.
mod events;
mod guard;
mod pages;
mod review;
mod workers;

use crate::model::{Participant, SessionLink, Side, Verdict, Vote};
use crate::store::{StoreError, Workshop};
use anyhow::Result;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest form body taken, in bytes: a comment of [`pages::MAX_TEXT`] characters
/// of any script fits, with its field names and tokens.
const MAX_BODY: usize = 16 * 1024;

/// The workshop, opened for the participants' pages (see [`workers`]), and what guards them.
struct Shared {
    db: PathBuf,
    workers: workers::Workers,
    secret: [u8; 32],
    /// Under an https public URL the cookie is `Secure`.
    secure: bool,
    limit: guard::RateLimit,
    /// Moves on whenever anyone commits to the workshop file (see [`events`]).
    changes: tokio::sync::watch::Sender<u64>,
    watcher: std::sync::Once,
}

type App = Arc<Shared>;

/// The router for the participants' pages of the workshop at `db`.
pub fn router(db: &Path, public_url: &str) -> Result<Router> {
    let app = Arc::new(Shared {
        db: db.to_path_buf(),
        workers: workers::Workers::start(db)?,
        secret: guard::new_secret(),
        secure: public_url.starts_with("https://"),
        limit: guard::RateLimit::new(),
        changes: tokio::sync::watch::channel(0).0,
        watcher: std::sync::Once::new(),
    });
    Ok(Router::new()
        .route("/join/{token}", get(join))
        .route("/p", get(page))
        .route("/p/queue", get(queue))
        .route("/p/coverage", get(coverage))
        .route("/p/link/{identifier}", get(link_page))
        .route("/p/vote", post(vote))
        .route("/p/comment", post(comment))
        .route("/p/validate", post(validate))
        .route("/p/events", get(events::stream))
        .route(
            "/p/style.css",
            get(|| async { asset("text/css", include_str!("style.css")) }),
        )
        .route(
            "/p/live.js",
            get(|| async { asset("text/javascript", include_str!("live.js")) }),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(app))
}

/// On every participant response: no inline script or style, no framing, no referrer
/// (the join URL carries a token), no sniffing, and nothing kept in caches.
async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; \
             img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

fn html(status: StatusCode, body: String) -> Response {
    (status, Html(body)).into_response()
}

fn forbidden() -> Response {
    html(StatusCode::FORBIDDEN, pages::not_valid())
}

fn refused(status: StatusCode, title: &str, text: &str) -> Response {
    html(status, pages::message(title, text))
}

fn back_to_page() -> Response {
    back_to("/p".into())
}

/// A 303 to `path`, one of the participants' own pages (never a URL from a request).
fn back_to(path: String) -> Response {
    match HeaderValue::from_str(&path) {
        Ok(v) => (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response(),
        Err(_) => back_to_page(),
    }
}

/// Runs `f` on a reader's connection to the workshop (SQLite waits, the runtime must not).
async fn reading<T: Send + 'static>(
    app: &App,
    f: impl FnOnce(&Shared, &mut Workshop) -> T + Send + 'static,
) -> Result<T, Response> {
    let shared = app.clone();
    let done = app.workers.read(move |ws| f(&shared, ws)).await;
    done.ok_or_else(unreadable)
}

/// Runs `f` on the one connection that changes the workshop, after the changes before it.
async fn writing<T: Send + 'static>(
    app: &App,
    f: impl FnOnce(&Shared, &mut Workshop) -> T + Send + 'static,
) -> Result<T, Response> {
    let shared = app.clone();
    let done = app.workers.write(move |ws| f(&shared, ws)).await;
    done.ok_or_else(unreadable)
}

fn unreadable() -> Response {
    refused(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "The server could not read the workshop. Try again.",
    )
}

/// Who holds `token`, or `None` for anything unknown, expired, revoked or unreadable.
fn holder(ws: &Workshop, token: &str) -> Option<Participant> {
    ws.participant_by_token(token).ok().flatten()
}

async fn join(State(app): State<App>, UrlPath(token): UrlPath<String>) -> Response {
    let cookie_token = token.clone();
    let found = match reading(&app, move |_, ws| holder(ws, &token)).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    if found.is_none() {
        return forbidden();
    }
    let secure = if app.secure { "; Secure" } else { "" };
    let cookie = format!(
        "{}={cookie_token}; HttpOnly; SameSite=Strict; Path=/{secure}",
        guard::COOKIE
    );
    let mut r = back_to_page();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

async fn page(State(app): State<App>, headers: HeaderMap) -> Response {
    own_page(app, headers, |ws, me, csrf| {
        let view = ws.snapshot(|ws| view(ws, me, csrf))?;
        Ok(pages::participant(&view))
    })
    .await
}

/// Everything `/p` shows (read from one snapshot by [`page`]).
fn view(ws: &Workshop, me: Participant, csrf: String) -> crate::store::Result<pages::View> {
    let rule = ws.consensus_rule()?;
    let link = match ws.focus()? {
        Some(id) => match ws.session_link(&id) {
            Ok(l) => Some(l),
            // The link in focus was deleted since: nothing is in front of the room.
            Err(StoreError::NotFound(_)) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let focus = match link {
        None => None,
        Some(link) => Some(focus_on(ws, link)?),
    };
    Ok(pages::View {
        me,
        csrf,
        rule,
        focus,
    })
}

/// A link with its thread and, when one end is a competency, that competency's standing.
fn focus_on(ws: &Workshop, link: SessionLink) -> crate::store::Result<pages::Focus> {
    let employer: Vec<String> = ws
        .frameworks()?
        .into_iter()
        .filter(|f| f.side == Side::Employer)
        .map(|f| f.identifier)
        .collect();
    let competency = [&link.link.destination, &link.link.origin]
        .into_iter()
        .find(|e| employer.contains(&e.framework_identifier))
        .cloned();
    let standing = match &competency {
        Some(c) => ws
            .validations()?
            .into_iter()
            .find(|v| v.item_identifier == c.item_identifier),
        None => None,
    };
    Ok(pages::Focus {
        comments: ws.comments(&link.link.identifier)?,
        link,
        competency,
        standing,
    })
}

/// A page for whoever holds the session cookie, made by `make` from the workshop as
/// that participant with their CSRF token; anyone else gets the plain 403.
async fn own_page(
    app: App,
    headers: HeaderMap,
    make: impl FnOnce(&Workshop, Participant, String) -> crate::store::Result<String> + Send + 'static,
) -> Response {
    let Some(token) = guard::session_token(&headers) else {
        return forbidden();
    };
    let made = reading(&app, move |app, ws| {
        let me = holder(ws, &token)?;
        let csrf = guard::csrf_token(&app.secret, &token);
        Some(make(ws, me, csrf))
    })
    .await;
    match made {
        Ok(Some(Ok(body))) => html(StatusCode::OK, body),
        Ok(None) => forbidden(),
        Ok(Some(Err(e))) => store_failure(&e),
        Err(r) => r,
    }
}

/// `/p/queue`: the person's own queue; an observer's is the room's (what nobody did yet).
async fn queue(State(app): State<App>, headers: HeaderMap) -> Response {
    own_page(app, headers, |ws, me, csrf| {
        let whose = (me.role != crate::model::Role::Observer).then_some(&me);
        let queue = ws.queue(whose)?;
        Ok(review::queue_page(&me, &csrf, &queue))
    })
    .await
}

/// `/p/coverage`: the educator side's outcomes, gaps first.
async fn coverage(State(app): State<App>, headers: HeaderMap) -> Response {
    own_page(app, headers, |ws, me, _| {
        let reviews = ws.side_review(Side::Educator)?;
        Ok(review::coverage_page(&me, &reviews))
    })
    .await
}

/// `/p/link/{identifier}`: one link in full, with the forms the person's role allows.
async fn link_page(
    State(app): State<App>,
    headers: HeaderMap,
    UrlPath(identifier): UrlPath<String>,
) -> Response {
    own_page(app, headers, move |ws, me, csrf| {
        ws.snapshot(|ws| {
            let focus = focus_on(ws, ws.session_link(&identifier)?)?;
            Ok(pages::link_page(&pages::View {
                me,
                csrf,
                rule: ws.consensus_rule()?,
                focus: Some(focus),
            }))
        })
    })
    .await
}

/// A store refusal in words for the person (escaped by the page), with a fitting status.
fn store_failure(e: &StoreError) -> Response {
    match e {
        StoreError::Refused(why) => refused(StatusCode::FORBIDDEN, "Not allowed", why),
        StoreError::NotFound(why) => refused(StatusCode::NOT_FOUND, "Not found", why),
        StoreError::Stale(why) => refused(StatusCode::CONFLICT, "Changed meanwhile", why),
        other => {
            eprintln!("crosswalk: participants' pages: {other}");
            refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "The workshop could not be changed. Try again.",
            )
        }
    }
}

/// A change from a participant's form: checks the session (every time), the CSRF
/// token, the rate limit and the lengths of `texts`, then runs `change` on the workshop
/// as that participant, whose rules the store applies. Success goes back to `back`.
async fn change(
    app: App,
    headers: HeaderMap,
    csrf: String,
    back: String,
    texts: Vec<String>,
    change: impl FnOnce(&mut Workshop) -> crate::store::Result<()> + Send + 'static,
) -> Response {
    let Some(token) = guard::session_token(&headers) else {
        return forbidden();
    };
    // The session is checked on the writer too, just before the change: a link revoked a
    // moment ago stops the change as it does the page.
    let done = writing(&app, move |app, ws| {
        let Some(me) = holder(ws, &token) else {
            return forbidden();
        };
        if !guard::csrf_ok(&app.secret, &token, &csrf) {
            return refused(
                StatusCode::FORBIDDEN,
                "Form expired",
                "This form is out of date. Reload the page and try again.",
            );
        }
        if !app.limit.allow(me.id) {
            return refused(
                StatusCode::TOO_MANY_REQUESTS,
                "Too fast",
                "Too many changes at once. Wait a few seconds and try again.",
            );
        }
        if texts.iter().any(|t| t.chars().count() > pages::MAX_TEXT) {
            let most = pages::MAX_TEXT;
            return refused(
                StatusCode::BAD_REQUEST,
                "Too long",
                &format!("A comment is at most {most} characters."),
            );
        }
        if let Err(e) = ws.act_as(Some(&me.name)) {
            return store_failure(&e);
        }
        let result = change(ws);
        let _ = ws.act_as(None);
        match result {
            Ok(()) => back_to(back),
            Err(e) => store_failure(&e),
        }
    })
    .await;
    done.unwrap_or_else(|r| r)
}

#[derive(Deserialize)]
struct VoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    link: String,
    #[serde(default)]
    vote: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    back: String,
}

async fn vote(State(app): State<App>, headers: HeaderMap, Form(f): Form<VoteForm>) -> Response {
    let reason = f.reason.clone();
    let back = pages::Back::from_form(&f.back).path(&f.link);
    change(app, headers, f.csrf, back, vec![f.reason], move |ws| {
        let vote: Vote = f.vote.parse().map_err(StoreError::Refused)?;
        let reason = Some(reason.as_str()).filter(|r| !r.trim().is_empty());
        ws.vote(&f.link, vote, reason).map(|_| ())
    })
    .await
}

#[derive(Deserialize)]
struct CommentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    link: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    back: String,
}

async fn comment(
    State(app): State<App>,
    headers: HeaderMap,
    Form(f): Form<CommentForm>,
) -> Response {
    let text = f.text.clone();
    let back = pages::Back::from_form(&f.back).path(&f.link);
    change(app, headers, f.csrf, back, vec![f.text], move |ws| {
        ws.add_comment(&f.link, &text)
    })
    .await
}

#[derive(Deserialize)]
struct ValidateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    back: String,
}

async fn validate(
    State(app): State<App>,
    headers: HeaderMap,
    Form(f): Form<ValidateForm>,
) -> Response {
    let comment = f.comment.clone();
    let back = pages::Back::from_form(&f.back).path("");
    change(app, headers, f.csrf, back, vec![f.comment], move |ws| {
        let verdict: Verdict = f.verdict.parse().map_err(StoreError::Refused)?;
        ws.validate(&f.item, verdict, &comment).map(|_| ())
    })
    .await
}
