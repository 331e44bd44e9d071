//! Remote enrichers' HTTP: one client with timeouts, retries with backoff (`backon`),
//! `Retry-After`, a rate limit, and classified errors that never carry a secret.
//!
//! Errors are classified once ([`RemoteError::from_status`]): 429 and 5xx (and timeouts,
//! refused connections) are transient and retried; other 4xx are permanent and reported
//! with the server's sentence (`Person email is required for enrichment`). Messages
//! name the host and path only: no token, no query string (a user's endpoint URL may
//! carry a key there).

pub mod endpoint;
pub mod introzy;

use std::time::{Duration, Instant};

use backon::{ExponentialBuilder, Retryable};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::sync::Mutex;

use crate::Secret;

/// A remote call's failure, safe to store and show.
#[derive(Debug, Clone, PartialEq)]
pub enum RemoteError {
    /// No answer in time.
    Timeout { url: String },
    /// Could not connect or the connection broke.
    Connect { url: String },
    /// 429: too many requests (after retries).
    RateLimited { url: String },
    /// 5xx (after retries).
    Server { url: String, status: u16 },
    /// 401 / 403: the token is wrong or expired.
    Auth { url: String, status: u16 },
    /// Another 4xx: the server refused this request; `message` is its sentence.
    Rejected {
        url: String,
        status: u16,
        message: String,
    },
    /// The answer was not the JSON expected.
    Decode { url: String, message: String },
    /// The configuration is unusable (a URL that is not http(s)).
    Config { message: String },
}

impl RemoteError {
    /// Whether retrying cannot help.
    pub fn is_permanent(&self) -> bool {
        !matches!(
            self,
            RemoteError::Timeout { .. }
                | RemoteError::Connect { .. }
                | RemoteError::RateLimited { .. }
                | RemoteError::Server { .. }
        )
    }

    /// Classify a non-success status with the body's sentence (`error` or `message`).
    pub fn from_status(url: &str, status: StatusCode, body: &str) -> RemoteError {
        let url = url.to_string();
        let code = status.as_u16();
        match code {
            429 => RemoteError::RateLimited { url },
            401 | 403 => RemoteError::Auth { url, status: code },
            500..=599 => RemoteError::Server { url, status: code },
            _ => {
                let message = serde_json::from_str::<Value>(body)
                    .ok()
                    .and_then(|v| {
                        ["error", "message"]
                            .iter()
                            .find_map(|k| v.get(*k).and_then(Value::as_str).map(str::to_string))
                    })
                    .unwrap_or_else(|| status.canonical_reason().unwrap_or("refused").to_string());
                RemoteError::Rejected {
                    url,
                    status: code,
                    message,
                }
            }
        }
    }
}

impl std::fmt::Display for RemoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RemoteError::Timeout { url } => write!(f, "{url}: no answer in time"),
            RemoteError::Connect { url } => write!(f, "{url}: could not connect"),
            RemoteError::RateLimited { url } => {
                write!(f, "{url}: rate limited (429) after retries")
            }
            RemoteError::Server { url, status } => {
                write!(f, "{url}: server error {status} after retries")
            }
            RemoteError::Auth { url, status } => {
                write!(f, "{url}: {status}: the token was refused")
            }
            RemoteError::Rejected {
                url,
                status,
                message,
            } => write!(f, "{url}: {status}: {message}"),
            RemoteError::Decode { url, message } => {
                write!(f, "{url}: unexpected answer: {message}")
            }
            RemoteError::Config { message } => f.write_str(message),
        }
    }
}

/// A URL for messages: scheme, host, port and path; never the query or user info.
pub fn safe_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => {
            let host = u.host_str().unwrap_or("?");
            match u.port() {
                Some(p) => format!("{}://{host}:{p}{}", u.scheme(), u.path()),
                None => format!("{}://{host}{}", u.scheme(), u.path()),
            }
        }
        Err(_) => "(invalid URL)".to_string(),
    }
}

/// Timeouts, retries and rate limit of the remote enrichers.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Whole-request timeout.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Retries after the first try, for transient failures only.
    pub retries: usize,
    /// First backoff delay (doubled each retry, with jitter) and the cap.
    pub min_backoff: Duration,
    pub max_backoff: Duration,
    /// At most one request per this interval per client (a simple rate limit).
    pub min_interval: Duration,
    /// Cap on a server's `Retry-After`.
    pub max_retry_after: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            retries: 3,
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            min_interval: Duration::from_millis(200),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// The HTTP client remote enrichers share.
pub struct Http {
    client: reqwest::Client,
    config: HttpConfig,
    next_slot: Mutex<Option<Instant>>,
}

/// One failed try: the error and the server's `Retry-After`, if any.
struct Attempt {
    error: RemoteError,
    retry_after: Option<Duration>,
}

impl Http {
    pub fn new(config: HttpConfig) -> Result<Http, RemoteError> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("carnet-enrich/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| RemoteError::Config {
                message: format!("cannot build the HTTP client: {}", e.without_url()),
            })?;
        Ok(Http {
            client,
            config,
            next_slot: Mutex::new(None),
        })
    }

    /// Wait for the next rate-limit slot.
    async fn pace(&self) {
        let wait = {
            let mut slot = self.next_slot.lock().await;
            let now = Instant::now();
            let at = slot.map_or(now, |s| s.max(now));
            *slot = Some(at + self.config.min_interval);
            at.saturating_duration_since(now)
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// Send a JSON request with retries; the JSON answer (`Null` for an empty body).
    pub async fn json(
        &self,
        method: Method,
        url: &str,
        token: Option<&Secret>,
        body: Option<&Value>,
    ) -> Result<Value, RemoteError> {
        let parsed = reqwest::Url::parse(url).map_err(|_| RemoteError::Config {
            message: format!("{}: not a valid URL", safe_url(url)),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(RemoteError::Config {
                message: format!("{}: only http and https URLs are allowed", safe_url(url)),
            });
        }
        let shown = safe_url(url);
        let once = || async {
            self.pace().await;
            self.try_once(method.clone(), parsed.clone(), &shown, token, body)
                .await
        };
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.config.min_backoff)
            .with_max_delay(self.config.max_backoff)
            .with_max_times(self.config.retries)
            .with_jitter();
        let max_after = self.config.max_retry_after;
        once.retry(backoff)
            .when(|a: &Attempt| !a.error.is_permanent())
            .adjust(move |a: &Attempt, dur| match a.retry_after {
                // Honour the server's Retry-After when it asks for longer than backoff;
                // `None` (no retries left) stays `None`.
                Some(after) => dur.map(|d| d.max(after).min(max_after)),
                None => dur,
            })
            .await
            .map_err(|a| a.error)
    }

    async fn try_once(
        &self,
        method: Method,
        url: reqwest::Url,
        shown: &str,
        token: Option<&Secret>,
        body: Option<&Value>,
    ) -> Result<Value, Attempt> {
        let mut req = self
            .client
            .request(method, url)
            .header("Accept", "application/json");
        if let Some(t) = token {
            req = req.bearer_auth(t.expose());
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let fail = |error| Attempt {
            error,
            retry_after: None,
        };
        let res = req.send().await.map_err(|e| {
            fail(if e.is_timeout() {
                RemoteError::Timeout {
                    url: shown.to_string(),
                }
            } else {
                RemoteError::Connect {
                    url: shown.to_string(),
                }
            })
        })?;
        let status = res.status();
        let retry_after = res
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let text = res.text().await.map_err(|e| {
            fail(if e.is_timeout() {
                RemoteError::Timeout {
                    url: shown.to_string(),
                }
            } else {
                RemoteError::Connect {
                    url: shown.to_string(),
                }
            })
        })?;
        if !status.is_success() {
            return Err(Attempt {
                error: RemoteError::from_status(shown, status, &text),
                retry_after,
            });
        }
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).map_err(|e| {
            fail(RemoteError::Decode {
                url: shown.to_string(),
                message: format!("not JSON ({e})"),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_messages_lose_query_and_user_info() {
        assert_eq!(
            safe_url("https://user:pw@api.example.com:8443/enrich?key=SECRET"),
            "https://api.example.com:8443/enrich"
        );
        assert_eq!(safe_url("not a url"), "(invalid URL)");
    }

    #[test]
    fn statuses_are_classified() {
        let e = RemoteError::from_status(
            "u",
            StatusCode::BAD_REQUEST,
            r#"{"success":false,"error":"Person email is required for enrichment"}"#,
        );
        assert!(e.is_permanent());
        assert_eq!(
            e.to_string(),
            "u: 400: Person email is required for enrichment"
        );
        assert!(!RemoteError::from_status("u", StatusCode::TOO_MANY_REQUESTS, "").is_permanent());
        assert!(!RemoteError::from_status("u", StatusCode::SERVICE_UNAVAILABLE, "").is_permanent());
        assert!(RemoteError::from_status("u", StatusCode::UNAUTHORIZED, "").is_permanent());
    }
}
