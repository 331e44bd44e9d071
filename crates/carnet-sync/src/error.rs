//! Classified sync errors: each one knows whether retrying can help (`is_permanent`) and
//! whether the server may have acted on the request although the client never heard back
//! (`is_ambiguous`), which decides whether a create must look the record up before it is
//! sent again.
//!
//! One function, [`from_status`], turns an HTTP answer into an error; 429 and 503 are
//! explicit there. Messages never contain a token: URLs are stripped from transport errors
//! (Pipedrive's token is sent as a header, never in a query string, for the same reason).

use std::time::Duration;

/// Everything a sync operation can fail with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SyncError {
    /// 401/403: the token is wrong, expired or lacks a scope. Retrying cannot help.
    #[error("the {provider} account refused the token (HTTP {status}): {message}")]
    Auth {
        provider: &'static str,
        status: u16,
        message: String,
    },
    /// 429: too many requests; `retry_after` is the server's `Retry-After`, when given.
    #[error("rate limited by the server{}", .retry_after.map(|d| format!(" (retry after {} s)", d.as_secs())).unwrap_or_default())]
    RateLimited { retry_after: Option<Duration> },
    /// 5xx (503 included): the server failed; it may come back.
    #[error("server error (HTTP {status}): {message}")]
    Server {
        status: u16,
        message: String,
        retry_after: Option<Duration>,
    },
    /// The request timed out or the connection broke after it was sent: the server may
    /// or may not have processed it.
    #[error("no answer from the server ({0})")]
    NoAnswer(String),
    /// The connection could not be opened: the request was never sent.
    #[error("could not connect ({0})")]
    Connect(String),
    /// 4xx other than 401/403/404/409/429: the CRM refused this payload.
    #[error("the CRM refused the data (HTTP {status}): {message}")]
    Rejected { status: u16, message: String },
    /// 404 on a record the sync thought it knew.
    #[error("not found on the CRM (HTTP 404): {0}")]
    NotFound(String),
    /// 409: a conflicting record exists (same email or phone).
    #[error("conflict on the CRM (HTTP 409): {message}")]
    Conflict {
        message: String,
        body: serde_json::Value,
    },
    /// The answer could not be understood.
    #[error("unexpected answer from the CRM: {0}")]
    Protocol(String),
    /// No token could be found or the OS keyring failed.
    #[error("{0}")]
    Token(String),
    /// The local database failed.
    #[error("local database: {0}")]
    Storage(String),
    /// Bad account or option input.
    #[error("{0}")]
    Invalid(String),
    /// The run was cancelled.
    #[error("cancelled")]
    Cancelled,
}

impl SyncError {
    /// `true` when retrying the same request cannot succeed.
    pub fn is_permanent(&self) -> bool {
        !matches!(
            self,
            SyncError::RateLimited { .. }
                | SyncError::Server { .. }
                | SyncError::NoAnswer(_)
                | SyncError::Connect(_)
        )
    }

    /// `true` when the server may have processed the request although no success
    /// answer arrived: a create must be looked up before it is retried.
    pub fn is_ambiguous(&self) -> bool {
        matches!(self, SyncError::NoAnswer(_) | SyncError::Server { .. })
    }

    /// The wait the server asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SyncError::RateLimited { retry_after } | SyncError::Server { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }

    /// A stable code for logs and the UI (`auth`, `rate_limited`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::Auth { .. } => "auth",
            SyncError::RateLimited { .. } => "rate_limited",
            SyncError::Server { .. } => "server",
            SyncError::NoAnswer(_) => "no_answer",
            SyncError::Connect(_) => "connect",
            SyncError::Rejected { .. } => "rejected",
            SyncError::NotFound(_) => "not_found",
            SyncError::Conflict { .. } => "conflict",
            SyncError::Protocol(_) => "protocol",
            SyncError::Token(_) => "token",
            SyncError::Storage(_) => "storage",
            SyncError::Invalid(_) => "invalid",
            SyncError::Cancelled => "cancelled",
        }
    }

    pub(crate) fn from_transport(e: reqwest::Error) -> SyncError {
        // Strip the URL: it is never needed to understand the failure, and it is the one
        // place a careless scheme could carry a secret.
        let connect = e.is_connect();
        let e = e.without_url();
        let text = describe(&e);
        if connect {
            SyncError::Connect(text)
        } else {
            SyncError::NoAnswer(text)
        }
    }
}

fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = if e.is_timeout() {
        "timed out".to_string()
    } else {
        e.to_string()
    };
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

impl From<carnet_core::Error> for SyncError {
    fn from(e: carnet_core::Error) -> Self {
        SyncError::Storage(e.to_string())
    }
}

impl From<rusqlite::Error> for SyncError {
    fn from(e: rusqlite::Error) -> Self {
        SyncError::Storage(e.to_string())
    }
}

/// Maps an HTTP error answer to a classified error. `message` is the CRM's own sentence
/// (extracted by the caller from its error shape); `retry_after` the parsed header.
pub fn from_status(
    provider: &'static str,
    status: u16,
    message: String,
    body: serde_json::Value,
    retry_after: Option<Duration>,
) -> SyncError {
    match status {
        401 | 403 => SyncError::Auth {
            provider,
            status,
            message,
        },
        404 => SyncError::NotFound(message),
        409 => SyncError::Conflict { message, body },
        429 => SyncError::RateLimited { retry_after },
        // 503 is the classic "come back later", often with Retry-After.
        503 => SyncError::Server {
            status,
            message,
            retry_after,
        },
        500..=599 => SyncError::Server {
            status,
            message,
            retry_after,
        },
        // 408 Request Timeout: the server gave up reading; the request was not processed.
        408 => SyncError::Server {
            status,
            message,
            retry_after,
        },
        _ => SyncError::Rejected { status, message },
    }
}

impl From<SyncError> for carnet_core::Error {
    /// Carnet's one error shape (for the CLI's `error[code]` line and the app's IPC):
    /// the sync error's own code stays in the message, `field` is `sync`.
    fn from(e: SyncError) -> Self {
        use carnet_core::ErrorCode;
        let code = match &e {
            SyncError::Invalid(_) | SyncError::Token(_) => ErrorCode::Validation,
            SyncError::NotFound(_) => ErrorCode::NotFound,
            SyncError::Conflict { .. } => ErrorCode::Conflict,
            SyncError::Storage(_) => ErrorCode::Storage,
            _ => ErrorCode::Internal,
        };
        carnet_core::Error::new(code, Some("sync".into()), format!("[{}] {e}", e.code()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_classified() {
        let e = |s| from_status("folk", s, "m".into(), serde_json::Value::Null, None);
        assert!(e(401).is_permanent());
        assert!(e(400).is_permanent());
        assert!(e(422).is_permanent());
        assert!(e(409).is_permanent());
        assert!(!e(429).is_permanent());
        assert!(!e(503).is_permanent());
        assert!(!e(500).is_permanent());
        assert!(e(500).is_ambiguous());
        assert!(!e(429).is_ambiguous());
        let ra = from_status(
            "folk",
            429,
            String::new(),
            serde_json::Value::Null,
            Some(Duration::from_secs(2)),
        );
        assert_eq!(ra.retry_after(), Some(Duration::from_secs(2)));
    }
}
