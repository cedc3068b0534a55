//! `GET /p/events`: a server-sent event stream saying "change" whenever anyone commits
//! to the workshop file (a vote from another phone, the facilitator moving the focus),
//! so `/p/live.js` can show the page again. One watcher thread per server asks SQLite
//! four times a second (`PRAGMA data_version`, through the change feed, on a connection
//! of its own so the server's own commits count too) and tells every stream at once.
use super::{App, Shared, forbidden, holder, reading};
use crate::store::{ChangeFeed, Workshop};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::sync::{Arc, Weak};
use std::time::Duration;

const POLL: Duration = Duration::from_millis(250);

pub async fn stream(State(app): State<App>, headers: HeaderMap) -> Response {
    let Some(token) = super::guard::session_token(&headers) else {
        return forbidden();
    };
    let check = token.clone();
    match reading(&app, move |_, ws| holder(ws, &check).is_some()).await {
        Ok(true) => {}
        Ok(false) => return forbidden(),
        Err(r) => return r,
    }
    app.watcher.call_once(|| {
        let weak = Arc::downgrade(&app);
        let db = app.db.clone();
        std::thread::spawn(move || watch(weak, &db));
    });
    let changes = app.changes.subscribe();
    let events = futures_util::stream::unfold(
        (changes, app, token),
        |(mut changes, app, token)| async move {
            changes.changed().await.ok()?;
            let n = *changes.borrow_and_update();
            // A revoked (or expired) link ends the stream: the revocation is a commit too.
            let check = token.clone();
            let still = reading(&app, move |_, ws| holder(ws, &check).is_some()).await;
            if !matches!(still, Ok(true)) {
                return None;
            }
            let event = Event::default().event("change").data(n.to_string());
            Some((Ok::<_, Infallible>(event), (changes, app, token)))
        },
    );
    Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Until the server is gone: polls the workshop's change feed and moves the shared
/// counter on when anyone committed.
fn watch(shared: Weak<Shared>, db: &std::path::Path) {
    let Ok(ws) = Workshop::open(db) else { return };
    let Ok(mut feed) = ChangeFeed::new(&ws) else {
        return;
    };
    loop {
        std::thread::sleep(POLL);
        let Some(shared) = shared.upgrade() else {
            return;
        };
        if let Ok(Some(_)) = feed.poll(&ws) {
            shared.changes.send_modify(|n| *n += 1);
        }
    }
}
