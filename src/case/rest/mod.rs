//! The CASE REST client behind `crosswalk pull`: lists a provider's documents (paging
//! through them), follows a document to its package, and downloads packages, with
//! OAuth 2 client credentials when the provider needs them, timeouts, a bounded retry
//! with backoff on 429 and 5xx (honouring `Retry-After`), and a progress bar.
//! Nothing here touches the workshop: the caller imports what was fetched, so a failed
//! download changes nothing.
mod auth;
mod wire;

pub use auth::Credentials;
pub use wire::{DocumentEntry, printable, status_info};

use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum RestError {
    /// The provider answered with an error status.
    #[error("{url}: HTTP {status}: {message}")]
    Http {
        url: String,
        status: u16,
        message: String,
    },
    /// No usable answer: connection refused or dropped, timeout, oversize body.
    #[error("{url}: {message}")]
    Network { url: String, message: String },
    #[error("{0}")]
    Refused(String),
}

/// What a URL given to `crosswalk pull` names.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A provider's base URL (`…/ims/case/v1p0` or `…/v1p1`): choose among its documents.
    Provider(String),
    /// `…/CFPackages/{id}`.
    Package(String),
    /// `…/CFDocuments/{id}`: follow it to its package.
    Document(String),
}

impl Target {
    pub fn from_url(url: &str) -> Result<Target, RestError> {
        let url = url.trim();
        let parsed = reqwest::Url::parse(url)
            .map_err(|e| RestError::Refused(format!("`{url}` is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(RestError::Refused(format!(
                "`{url}` is not an http or https URL"
            )));
        }
        let path = parsed.path().trim_end_matches('/');
        let segments: Vec<&str> = path.rsplitn(3, '/').collect();
        let clean = url.trim_end_matches('/').to_string();
        Ok(match segments.as_slice() {
            [id, "CFPackages", ..] if !id.is_empty() => Target::Package(clean),
            [id, "CFDocuments", ..] if !id.is_empty() => Target::Document(clean),
            ["CFDocuments", ..] => {
                Target::Provider(clean.trim_end_matches("/CFDocuments").to_string())
            }
            _ => Target::Provider(clean),
        })
    }
}

/// How many times a request is tried, and how long to wait in between.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub attempts: u32,
    pub first_delay: Duration,
    /// The longest wait, whatever `Retry-After` asks.
    pub max_delay: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 4,
            first_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(30),
        }
    }
}

/// Documents per page when listing a provider, and the most listed.
const PAGE: usize = 100;
const MAX_DOCUMENTS: usize = 10_000;

pub struct Client {
    http: reqwest::Client,
    credentials: Option<Credentials>,
    token: Option<String>,
    /// Show a progress bar while downloading (on a terminal).
    pub progress: bool,
    pub retry: Retry,
}

enum Attempt {
    /// Worth trying again (after the wait the provider asked for, if it did).
    Again(RestError, Option<Duration>),
    Fatal(RestError),
}

impl Client {
    pub fn new(credentials: Option<Credentials>) -> Result<Client, RestError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("crosswalk/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            // Between two reads of a body, not for the whole download.
            .read_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| RestError::Refused(format!("cannot set up HTTP: {e}")))?;
        Ok(Client {
            http,
            credentials,
            token: None,
            progress: false,
            retry: Retry::default(),
        })
    }

    /// Every document a provider lists, paging through `GET {base}/CFDocuments`.
    pub async fn documents(&mut self, base: &str) -> Result<Vec<DocumentEntry>, RestError> {
        let mut all: Vec<DocumentEntry> = Vec::new();
        loop {
            let url = format!("{base}/CFDocuments?limit={PAGE}&offset={}", all.len());
            let (body, headers) = self.get(&url, false).await?;
            let value: serde_json::Value =
                serde_json::from_slice(&body).map_err(|e| RestError::Network {
                    url: url.clone(),
                    message: format!(
                        "the answer is not JSON ({e}); is this a CASE provider's base URL?"
                    ),
                })?;
            let page = wire::documents(&value).ok_or_else(|| RestError::Network {
                url: url.clone(),
                message: "the answer holds no CFDocuments list".into(),
            })?;
            let total = headers
                .get("x-total-count")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<usize>().ok());
            let got = page.len();
            let mut new = 0;
            for d in page {
                // A provider ignoring `offset` sends the first page again: stop there.
                if !all.iter().any(|a| a.identifier == d.identifier) {
                    all.push(d);
                    new += 1;
                }
            }
            let more = match total {
                Some(t) => all.len() < t,
                None => got == PAGE,
            };
            if !more || new == 0 || got == 0 || all.len() >= MAX_DOCUMENTS {
                return Ok(all);
            }
        }
    }

    /// The package URL of a document: its `CFPackageURI`, or the CFPackages endpoint beside it.
    pub async fn package_url_of(&mut self, document_url: &str) -> Result<String, RestError> {
        let (body, _) = self.get(document_url, false).await?;
        let entry = serde_json::from_slice(&body)
            .ok()
            .and_then(|v| wire::document(&v));
        if let Some(uri) = entry.and_then(|e| e.package_uri) {
            return Ok(uri);
        }
        Ok(document_url.replacen("/CFDocuments/", "/CFPackages/", 1))
    }

    /// A package's bytes (up to the import size limit), with a progress bar if asked.
    pub async fn package(&mut self, url: &str) -> Result<Vec<u8>, RestError> {
        Ok(self.get(url, self.progress).await?.0)
    }

    async fn get(&mut self, url: &str, progress: bool) -> Result<(Vec<u8>, HeaderMap), RestError> {
        let mut attempt = 1;
        loop {
            match self.try_get(url, progress).await {
                Ok(ok) => return Ok(ok),
                Err(Attempt::Again(e, wait)) if attempt < self.retry.attempts => {
                    let backoff = self.retry.first_delay * 2u32.pow(attempt - 1);
                    let wait = wait.unwrap_or(backoff).min(self.retry.max_delay);
                    if progress {
                        eprintln!(
                            "crosswalk: {e}; trying again in {:.1} s",
                            wait.as_secs_f64()
                        );
                    }
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(Attempt::Again(e, _)) => {
                    return Err(match e {
                        RestError::Network { url, message } => RestError::Network {
                            url,
                            message: format!("{message} (gave up after {attempt} attempts)"),
                        },
                        RestError::Http {
                            url,
                            status,
                            message,
                        } => RestError::Http {
                            url,
                            status,
                            message: format!("{message} (gave up after {attempt} attempts)"),
                        },
                        other => other,
                    });
                }
                Err(Attempt::Fatal(e)) => return Err(e),
            }
        }
    }

    async fn try_get(
        &mut self,
        url: &str,
        progress: bool,
    ) -> Result<(Vec<u8>, HeaderMap), Attempt> {
        let network = |message: String| RestError::Network {
            url: url.to_string(),
            message,
        };
        if self.token.is_none()
            && let Some(c) = &self.credentials
        {
            self.token = Some(c.token(&self.http).await.map_err(|e| match e {
                auth::TokenError::Again(e) => Attempt::Again(e, None),
                auth::TokenError::Fatal(e) => Attempt::Fatal(e),
            })?);
        }
        let mut request = self.http.get(url).header("Accept", "application/json");
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| Attempt::Again(network(describe(&e)), None))?;
        let status = response.status();
        let headers = response.headers().clone();
        if !status.is_success() {
            let body = response.bytes().await.unwrap_or_default();
            let message = status_info(&body)
                .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_string());
            let error = RestError::Http {
                url: url.to_string(),
                status: status.as_u16(),
                message,
            };
            return Err(match status {
                StatusCode::TOO_MANY_REQUESTS => Attempt::Again(error, retry_after(&headers)),
                s if s.is_server_error() => Attempt::Again(error, retry_after(&headers)),
                StatusCode::UNAUTHORIZED if self.credentials.is_some() && self.token.is_some() => {
                    // The token may have expired: fetch a new one and try again.
                    self.token = None;
                    Attempt::Again(error, Some(Duration::ZERO))
                }
                _ => Attempt::Fatal(error),
            });
        }
        let limit = super::MAX_INPUT_BYTES;
        let length = response.content_length();
        if length.is_some_and(|n| n as usize > limit) {
            return Err(Attempt::Fatal(network(format!(
                "the package is larger than {} MiB; refusing to download it",
                limit / (1024 * 1024)
            ))));
        }
        let bar = progress.then(|| progress_bar(length));
        let mut body = Vec::with_capacity(length.unwrap_or(0).min(limit as u64) as usize);
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| {
                Attempt::Again(
                    network(format!("the download broke off: {}", describe(&e))),
                    None,
                )
            })?;
            body.extend_from_slice(&chunk);
            if body.len() > limit {
                return Err(Attempt::Fatal(network(format!(
                    "the package is larger than {} MiB; refusing it",
                    limit / (1024 * 1024)
                ))));
            }
            if let Some(bar) = &bar {
                bar.set_position(body.len() as u64);
            }
        }
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        Ok((body, headers))
    }
}

fn progress_bar(length: Option<u64>) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let bar = match length {
        Some(n) => ProgressBar::new(n).with_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {bytes} {bytes_per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar
}

/// `Retry-After` in seconds (an HTTP date is treated as "soon").
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    Some(
        v.parse::<u64>()
            .map(Duration::from_secs)
            .unwrap_or(Duration::from_secs(1)),
    )
}

/// A reqwest error in words, with its cause (reqwest's own text is terse).
fn describe(e: &reqwest::Error) -> String {
    let mut cause = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_body() || e.is_decode() || cause.contains("closed") || cause.contains("reset") {
        "the connection broke off"
    } else {
        "request failed"
    };
    if cause.is_empty() {
        what.to_string()
    } else {
        format!("{what}: {cause}")
    }
}

/// The package URL for a listed document.
pub fn package_url(base: &str, entry: &DocumentEntry) -> String {
    entry
        .package_uri
        .clone()
        .unwrap_or_else(|| format!("{base}/CFPackages/{}", entry.identifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_apart() {
        let t = |u: &str| Target::from_url(u).unwrap();
        assert_eq!(
            t("https://x.org/ims/case/v1p0/"),
            Target::Provider("https://x.org/ims/case/v1p0".into())
        );
        assert_eq!(
            t("https://x.org/ims/case/v1p1/CFDocuments"),
            Target::Provider("https://x.org/ims/case/v1p1".into())
        );
        assert_eq!(
            t("https://x.org/ims/case/v1p0/CFPackages/abc"),
            Target::Package("https://x.org/ims/case/v1p0/CFPackages/abc".into())
        );
        assert_eq!(
            t("http://x.org/v1p1/CFDocuments/abc/"),
            Target::Document("http://x.org/v1p1/CFDocuments/abc".into())
        );
        assert!(Target::from_url("ftp://x.org/a").is_err());
        assert!(Target::from_url("not a url").is_err());
    }
}
