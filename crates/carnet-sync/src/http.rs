//! The HTTP layer every provider shares: one `reqwest` client (rustls, no OpenSSL), the
//! provider's auth scheme, timeouts, and retries with `backon` (exponential backoff with
//! jitter on 5xx, timeouts and dropped connections; `Retry-After` honoured on 429/503).
//!
//! Requests come in two kinds. [`Retry::Safe`] requests (reads, updates that set the
//! same values again) are retried on every transient failure. [`Retry::Create`] requests
//! are retried only when the server certainly did not act (429, connection refused); an
//! ambiguous failure (timeout, connection dropped after sending, 5xx) is handed back to
//! the engine, which looks the record up before trying again. Non-goal: connection
//! pooling policy beyond reqwest's defaults.

use std::fmt;
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use reqwest::Method;
use serde_json::Value;

use crate::error::{from_status, SyncError};

/// Tuning of a sync run: concurrency, timeouts, retries. Tests shorten the delays.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncConfig {
    /// People pushed at the same time.
    pub concurrency: usize,
    /// Per-request timeout (a slower answer counts as no answer).
    pub timeout: Duration,
    /// Attempts per request, the first included.
    pub max_attempts: usize,
    /// First backoff delay (doubles each attempt, with jitter).
    pub min_backoff: Duration,
    /// Longest backoff delay.
    pub max_backoff: Duration,
    /// Longest `Retry-After` honoured; a longer one fails the request (retry next push).
    pub max_retry_after: Duration,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            concurrency: 4,
            timeout: Duration::from_secs(20),
            max_attempts: 6,
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

/// An API token. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(value: impl Into<String>) -> Self {
        Token(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// How a provider expects its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer T` (Introzy, folk).
    Bearer,
    /// `Authorization: T`, the raw key (Allo).
    Raw,
    /// A named header (`x-api-token` for Pipedrive; never the `api_token` query
    /// parameter, which would put the token into URLs and so into error messages).
    Header(&'static str),
}

/// Which failures a request may be retried on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Any transient failure.
    Safe,
    /// Only failures where the server certainly did not act (429, connect errors).
    Create,
}

/// The shared client of one provider account.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    base: String,
    token: Token,
    auth: Auth,
    provider: &'static str,
    config: SyncConfig,
}

impl fmt::Debug for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http")
            .field("base", &self.base)
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

impl Http {
    pub fn new(
        provider: &'static str,
        base_url: &str,
        token: Token,
        auth: Auth,
        config: SyncConfig,
    ) -> Result<Http, SyncError> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .user_agent(concat!("carnet-sync/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Invalid(format!("cannot build the HTTP client: {e}")))?;
        Ok(Http {
            client,
            base: base_url.trim_end_matches('/').to_string(),
            token,
            auth,
            provider,
            config,
        })
    }

    pub fn config(&self) -> &SyncConfig {
        &self.config
    }

    /// `GET path?query`, retried on transient failures.
    pub async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Value, SyncError> {
        self.send(Method::GET, path, query, None, &[], Retry::Safe)
            .await
    }

    /// Sends a request with retries according to `retry`; returns the parsed JSON body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        headers: &[(&str, String)],
        retry: Retry,
    ) -> Result<Value, SyncError> {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.config.min_backoff)
            .with_max_delay(self.config.max_backoff)
            .with_max_times(self.config.max_attempts.saturating_sub(1))
            .with_jitter();
        let max_wait = self.config.max_retry_after;
        let attempt = || self.once(method.clone(), path, query, body, headers);
        attempt
            .retry(backoff)
            .sleep(tokio::time::sleep)
            .when(|e: &SyncError| match retry {
                Retry::Safe => !e.is_permanent(),
                Retry::Create => !e.is_permanent() && !e.is_ambiguous(),
            })
            .adjust(move |e: &SyncError, dur| {
                // Out of attempts: stop. Otherwise wait what the server asked, if it did.
                let dur = dur?;
                match e.retry_after() {
                    Some(wait) if wait > max_wait => None,
                    Some(wait) => Some(wait),
                    None => Some(dur),
                }
            })
            .await
    }

    /// One attempt.
    async fn once(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
        headers: &[(&str, String)],
    ) -> Result<Value, SyncError> {
        let url = format!("{}{}", self.base, path);
        let mut req = self.client.request(method, &url);
        if !query.is_empty() {
            req = req.query(query);
        }
        req = match self.auth {
            Auth::Bearer => req.bearer_auth(self.token.expose()),
            Auth::Raw => req.header(reqwest::header::AUTHORIZATION, self.token.expose()),
            Auth::Header(name) => req.header(name, self.token.expose()),
        };
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.map_err(SyncError::from_transport)?;
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = resp.bytes().await.map_err(SyncError::from_transport)?;
        let json: Value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::Null)
        };
        if (200..300).contains(&status) {
            return Ok(json);
        }
        let retry_after = retry_after.or_else(|| {
            json.pointer("/error/retry_after_seconds")
                .and_then(Value::as_u64)
                .map(Duration::from_secs)
        });
        Err(from_status(
            self.provider,
            status,
            error_message(&json, status),
            json,
            retry_after,
        ))
    }
}

/// The CRM's own error sentence, whatever its error shape (Introzy and Pipedrive
/// `{"error": "..."}`, folk and Allo `{"error": {"message": ...}}`), plus the first
/// field detail when there is one.
pub fn error_message(body: &Value, status: u16) -> String {
    let base = match &body["error"] {
        Value::String(s) => s.clone(),
        Value::Object(o) => o
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("error")
            .to_string(),
        _ => format!("HTTP {status}"),
    };
    let detail = body["details"]
        .get(0)
        .or_else(|| body.pointer("/error/errors/0"))
        .or_else(|| body.pointer("/error/details/issues/0"));
    match detail {
        Some(d) => {
            let field = match &d["field"] {
                Value::String(s) => s.clone(),
                _ => d["path"]
                    .as_array()
                    .map(|p| {
                        p.iter()
                            .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_string))
                            .collect::<Vec<_>>()
                            .join(".")
                    })
                    .unwrap_or_default(),
            };
            let msg = d["message"].as_str().unwrap_or_default();
            format!("{base} ({field}: {msg})")
        }
        None => base,
    }
}
