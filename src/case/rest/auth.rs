//! OAuth 2 client credentials (RFC 6749 4.4), as the CASE Network and other providers
//! that need a token use: client id and secret by HTTP Basic, a provider-specific scope.
use super::RestError;
use serde::Deserialize;
use serde_json::Value;
use std::path::Path;

/// `case.toml` in the config directory: client credentials per provider.
///
/// ```toml
/// [[provider]]
/// url = "https://case.example.org/ims/case/"
/// token_url = "https://case.example.org/oauth2/token"
/// client_id = "my-client"
/// client_secret_env = "MY_CASE_SECRET"   # or client_secret = "..."
/// scope = "https://purl.imsglobal.org/spec/case/v1p1/scope/case.readonly"
/// ```
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    provider: Vec<ProviderEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderEntry {
    url: String,
    token_url: String,
    client_id: String,
    client_secret: Option<String>,
    client_secret_env: Option<String>,
    scope: Option<String>,
}

pub const TOKEN_URL_VAR: &str = "CROSSWALK_CASE_TOKEN_URL";
pub const CLIENT_ID_VAR: &str = "CROSSWALK_CASE_CLIENT_ID";
pub const CLIENT_SECRET_VAR: &str = "CROSSWALK_CASE_CLIENT_SECRET";
pub const SCOPE_VAR: &str = "CROSSWALK_CASE_SCOPE";

#[derive(Clone)]
pub struct Credentials {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub scope: Option<String>,
}

// The secret is never printed, not even in debug output.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

pub(super) enum TokenError {
    Again(RestError),
    Fatal(RestError),
}

impl Credentials {
    /// From `CROSSWALK_CASE_TOKEN_URL`, `_CLIENT_ID`, `_CLIENT_SECRET` and `_SCOPE`;
    /// `None` when no token URL is set.
    pub fn from_env() -> Result<Option<Credentials>, RestError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let Some(token_url) = var(TOKEN_URL_VAR) else {
            return Ok(None);
        };
        let (Some(client_id), Some(client_secret)) = (var(CLIENT_ID_VAR), var(CLIENT_SECRET_VAR))
        else {
            return Err(RestError::Refused(format!(
                "{TOKEN_URL_VAR} is set, but {CLIENT_ID_VAR} and {CLIENT_SECRET_VAR} must be too"
            )));
        };
        Ok(Some(Credentials {
            token_url,
            client_id,
            client_secret,
            scope: var(SCOPE_VAR),
        }))
    }

    /// The credentials for `url`: from the environment when `CROSSWALK_CASE_TOKEN_URL` is
    /// set, otherwise from `case.toml` in `config_dir`, the `[[provider]]` whose `url` is the
    /// longest prefix of `url`; `None` when neither says anything.
    pub fn for_url(url: &str, config_dir: Option<&Path>) -> Result<Option<Credentials>, RestError> {
        if let Some(c) = Self::from_env()? {
            return Ok(Some(c));
        }
        let Some(path) = config_dir.map(|d| d.join("case.toml")) else {
            return Ok(None);
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(RestError::Refused(format!(
                    "cannot read {}: {e}",
                    path.display()
                )));
            }
        };
        let file: ConfigFile = toml::from_str(&text)
            .map_err(|e| RestError::Refused(format!("{}: {e}", path.display())))?;
        let Some(p) = file
            .provider
            .into_iter()
            .filter(|p| url.starts_with(p.url.trim()))
            .max_by_key(|p| p.url.trim().len())
        else {
            return Ok(None);
        };
        let secret = match (p.client_secret, &p.client_secret_env) {
            (Some(s), _) => s,
            (None, Some(var)) => std::env::var(var).map_err(|_| {
                RestError::Refused(format!(
                    "{}: the provider {} takes its secret from ${var}, which is not set",
                    path.display(),
                    p.url
                ))
            })?,
            (None, None) => {
                return Err(RestError::Refused(format!(
                    "{}: the provider {} needs client_secret or client_secret_env",
                    path.display(),
                    p.url
                )));
            }
        };
        Ok(Some(Credentials {
            token_url: p.token_url,
            client_id: p.client_id,
            client_secret: secret,
            scope: p.scope,
        }))
    }

    pub(super) async fn token(&self, http: &reqwest::Client) -> Result<String, TokenError> {
        let url = &self.token_url;
        let mut form = vec![("grant_type", "client_credentials")];
        if let Some(scope) = &self.scope {
            form.push(("scope", scope));
        }
        let response = http
            .post(url)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&form)
            .send()
            .await
            .map_err(|e| {
                TokenError::Again(RestError::Network {
                    url: url.clone(),
                    message: format!("token request failed: {e}"),
                })
            })?;
        let status = response.status();
        let body = response.bytes().await.unwrap_or_default();
        let json: Option<Value> = serde_json::from_slice(&body).ok();
        if !status.is_success() {
            // RFC 6749 5.2: {"error": "...", "error_description": "..."}
            let said = json
                .as_ref()
                .map(|j| {
                    [j.get("error"), j.get("error_description")]
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(": ")
                })
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| status.to_string());
            let e = RestError::Http {
                url: url.clone(),
                status: status.as_u16(),
                message: format!(
                    "the token endpoint refused the client credentials: {}",
                    super::printable(&said)
                ),
            };
            return Err(if status.is_server_error() {
                TokenError::Again(e)
            } else {
                TokenError::Fatal(e)
            });
        }
        json.as_ref()
            .and_then(|j| j.get("access_token"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| {
                TokenError::Fatal(RestError::Network {
                    url: url.clone(),
                    message: "the token endpoint answered without an access_token".into(),
                })
            })
    }
}
