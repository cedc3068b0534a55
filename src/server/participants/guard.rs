//! Who is asking, and whether to believe them: the session cookie (looked up in the
//! workshop on every request, so a revoked link stops working at once), the CSRF token
//! every form carries, and a per-participant rate limit.
use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// The cookie that carries the join token after the first visit.
pub const COOKIE: &str = "crosswalk_session";

/// The session token from the request's `Cookie` header, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// The per-server secret that CSRF tokens are made from: a restart makes old forms stale.
pub fn new_secret() -> [u8; 32] {
    let mut secret = [0u8; 32];
    // Without randomness a fixed secret would let anyone forge forms: refuse to start.
    getrandom::fill(&mut secret).expect("no randomness for the server's CSRF secret");
    secret
}

/// The CSRF token for a session: SHA-256 of the server's secret and the session token.
/// A page from another site cannot read it, so it cannot make a form that carries it.
pub fn csrf_token(secret: &[u8; 32], session: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret);
    h.update(b"\0csrf\0");
    h.update(session.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Does `given` match the session's CSRF token? Compared in constant time.
pub fn csrf_ok(secret: &[u8; 32], session: &str, given: &str) -> bool {
    let want = csrf_token(secret, session);
    want.len() == given.len() && bool::from(want.as_bytes().ct_eq(given.as_bytes()))
}

/// At most `MAX` changes per participant in any `WINDOW` (a fixed window, reset when it
/// has passed): enough for anyone pressing buttons, not for a script hammering the file.
pub struct RateLimit {
    seen: Mutex<HashMap<i64, (Instant, u32)>>,
}

pub const MAX: u32 = 20;
pub const WINDOW: Duration = Duration::from_secs(10);

impl RateLimit {
    pub fn new() -> RateLimit {
        RateLimit {
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request by participant `id`; false when over the limit.
    pub fn allow(&self, id: i64) -> bool {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        let (_, count) = seen.entry(id).or_insert((now, 0));
        *count += 1;
        *count <= MAX
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::COOKIE,
            "a=1; crosswalk_session=abc ; b=2".parse().unwrap(),
        );
        assert_eq!(session_token(&h).as_deref(), Some("abc"));
        assert_eq!(session_token(&HeaderMap::new()), None);
    }

    #[test]
    fn csrf_tokens_belong_to_one_session_and_one_server() {
        let (a, b) = (new_secret(), new_secret());
        let t = csrf_token(&a, "s1");
        assert!(csrf_ok(&a, "s1", &t));
        assert!(!csrf_ok(&a, "s2", &t));
        assert!(!csrf_ok(&b, "s1", &t));
        assert!(!csrf_ok(&a, "s1", ""));
    }

    #[test]
    fn the_rate_limit_counts_per_participant() {
        let limit = RateLimit::new();
        assert!((0..MAX).all(|_| limit.allow(1)));
        assert!(!limit.allow(1));
        assert!(limit.allow(2));
    }
}
