//! Fault injection: the plan of faults a fake server applies to matching requests, and
//! the optional per-token rate limiter.
//!
//! A sync engine is only as good as its behaviour when the network or the CRM
//! misbehaves, so every fault a real CRM can produce is reproducible here on demand:
//! an error status (429 with `Retry-After`, 5xx), a slow answer, a connection dropped
//! before the request is processed, and the nasty one, a connection dropped *after*
//! the request was processed (the record exists, the client never hears about it).
//!
//! Faults are queued in order. Each incoming request takes the first queued fault that
//! matches its method and path; the fault's `times` counter is decremented and the
//! fault leaves the queue when it reaches zero. Non-goal: probabilistic chaos; tests
//! must be deterministic.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// One planned fault: what to do ([`FaultKind`]) to which requests, how many times.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// HTTP method to match (case-insensitive); `None` matches every method.
    #[serde(default)]
    pub method: Option<String>,
    /// Path prefix to match; `None` matches every path. The prefix is compared with the
    /// full request path (`/api/v1/persons`) and, when it does not already start with
    /// the provider's base path, also with base path + prefix (`/persons` works for
    /// Pipedrive too).
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// How many matching requests this fault applies to (default 1).
    #[serde(default = "one")]
    pub times: u32,
    /// How many matching requests to let through untouched before the fault starts
    /// applying (default 0): `skip: 2` faults the third matching request.
    #[serde(default)]
    pub skip: u32,
    /// What happens to a request the fault applies to.
    #[serde(flatten)]
    pub kind: FaultKind,
}

fn one() -> u32 {
    1
}

/// What a fault does to a request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with this status without processing the request, in the provider's own
    /// error shape (or `body` verbatim when given). With `retry_after`, a
    /// `Retry-After: <secs>` header is added (use it with 429 or 503).
    Status {
        status: u16,
        #[serde(default)]
        retry_after: Option<u64>,
        #[serde(default)]
        body: Option<serde_json::Value>,
    },
    /// Process the request normally (a create IS stored), then hold the answer for `ms`
    /// milliseconds: a client with a shorter timeout sees a timeout on a request that
    /// actually succeeded.
    Delay { ms: u64 },
    /// Close the connection before the request is processed: nothing is stored.
    DropBefore,
    /// Process the request (a create IS stored, counters move), then close the
    /// connection without sending any answer: the "ambiguous failure".
    DropAfter,
}

impl Fault {
    /// A fault of this kind on every request, once.
    pub fn new(kind: FaultKind) -> Self {
        Fault {
            method: None,
            path_prefix: None,
            times: 1,
            skip: 0,
            kind,
        }
    }

    /// 429 Too Many Requests with `Retry-After: <secs>`.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::new(FaultKind::Status {
            status: 429,
            retry_after: Some(retry_after_secs),
            body: None,
        })
    }

    /// An error status (500, 502, 503...) in the provider's error shape.
    pub fn status(status: u16) -> Self {
        Self::new(FaultKind::Status {
            status,
            retry_after: None,
            body: None,
        })
    }

    /// Process, then answer only after `delay`.
    pub fn delay(delay: Duration) -> Self {
        let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        Self::new(FaultKind::Delay { ms })
    }

    /// Drop the connection before processing.
    pub fn drop_before() -> Self {
        Self::new(FaultKind::DropBefore)
    }

    /// Process the request, then drop the connection without answering.
    pub fn drop_after() -> Self {
        Self::new(FaultKind::DropAfter)
    }

    /// Restrict the fault to one method and a path prefix.
    pub fn on(mut self, method: &str, path_prefix: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self.path_prefix = Some(path_prefix.to_string());
        self
    }

    /// Apply the fault to `n` matching requests instead of one.
    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }

    /// Let `n` matching requests through before the fault applies.
    pub fn skip(mut self, n: u32) -> Self {
        self.skip = n;
        self
    }

    fn matches(&self, method: &str, path: &str, base_path: &str) -> bool {
        if let Some(m) = &self.method {
            if !m.eq_ignore_ascii_case(method) {
                return false;
            }
        }
        match &self.path_prefix {
            None => true,
            Some(prefix) => {
                path.starts_with(prefix.as_str())
                    || (!prefix.starts_with(base_path)
                        && path
                            .strip_prefix(base_path)
                            .is_some_and(|rest| rest.starts_with(prefix.as_str())))
            }
        }
    }
}

/// The ordered queue of pending faults of one server.
#[derive(Debug, Default)]
pub(crate) struct FaultPlan {
    queue: Vec<Fault>,
}

impl FaultPlan {
    pub(crate) fn push(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.queue.push(fault);
        }
    }

    pub(crate) fn clear(&mut self) {
        self.queue.clear();
    }

    pub(crate) fn pending(&self) -> Vec<Fault> {
        self.queue.clone()
    }

    /// Takes the fault that applies to this request, if any, updating the counters.
    /// A matching fault still in its `skip` phase consumes the request (it passes
    /// untouched) so that later faults in the queue do not jump ahead of it.
    pub(crate) fn take(&mut self, method: &str, path: &str, base_path: &str) -> Option<FaultKind> {
        let index = self
            .queue
            .iter()
            .position(|f| f.matches(method, path, base_path))?;
        let fault = &mut self.queue[index];
        if fault.skip > 0 {
            fault.skip -= 1;
            return None;
        }
        let kind = fault.kind.clone();
        fault.times -= 1;
        if fault.times == 0 {
            self.queue.remove(index);
        }
        Some(kind)
    }
}

/// A fixed-window rate limit applied per presented token (requests without a token
/// share one bucket).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub max_requests: u32,
    /// Window length.
    pub window: Duration,
}

#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    buckets: HashMap<String, (Instant, u32)>,
}

impl RateLimiter {
    /// Counts one request; returns `Some(retry_after_secs)` when it is over the limit.
    pub(crate) fn hit(&mut self, limit: RateLimit, token: &str, now: Instant) -> Option<u64> {
        let bucket = self.buckets.entry(token.to_string()).or_insert((now, 0));
        if now.duration_since(bucket.0) >= limit.window {
            *bucket = (now, 0);
        }
        if bucket.1 >= limit.max_requests {
            let left = limit.window.saturating_sub(now.duration_since(bucket.0));
            // Round up: a client that waits exactly Retry-After must be let through.
            let secs = left.as_millis().div_ceil(1000).max(1);
            return Some(u64::try_from(secs).unwrap_or(u64::MAX));
        }
        bucket.1 += 1;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_first_match_and_counts_down() {
        let mut plan = FaultPlan::default();
        plan.push(Fault::status(503).on("POST", "/api/people").times(2));
        plan.push(Fault::drop_after());
        assert_eq!(
            plan.take("GET", "/api/people", ""),
            Some(FaultKind::DropAfter)
        );
        assert!(matches!(
            plan.take("POST", "/api/people", ""),
            Some(FaultKind::Status { status: 503, .. })
        ));
        assert!(plan.take("post", "/api/people/x", "").is_some());
        assert_eq!(plan.take("POST", "/api/people", ""), None);
    }

    #[test]
    fn prefix_relative_to_base_path() {
        let f = Fault::drop_before().on("POST", "/persons");
        assert!(f.matches("POST", "/api/v1/persons", "/api/v1"));
        assert!(!f.matches("POST", "/api/v1/personFields", "/api/v1/x"));
    }

    #[test]
    fn skip_lets_requests_through() {
        let mut plan = FaultPlan::default();
        plan.push(Fault::drop_after().skip(1));
        assert_eq!(plan.take("POST", "/a", ""), None);
        assert_eq!(plan.take("POST", "/a", ""), Some(FaultKind::DropAfter));
    }

    #[test]
    fn fault_json_round_trip() {
        let json = r#"{"method":"POST","path_prefix":"/v1/people","kind":"status","status":429,"retry_after":2}"#;
        let f: Fault = serde_json::from_str(json).expect("parses");
        assert_eq!(f, Fault::rate_limited(2).on("POST", "/v1/people"));
        let f: Fault = serde_json::from_str(r#"{"kind":"drop_after","times":3}"#).expect("parses");
        assert_eq!(f, Fault::drop_after().times(3));
    }

    #[test]
    fn rate_limiter_window() {
        let mut rl = RateLimiter::default();
        let limit = RateLimit {
            max_requests: 2,
            window: Duration::from_secs(10),
        };
        let t0 = Instant::now();
        assert_eq!(rl.hit(limit, "a", t0), None);
        assert_eq!(rl.hit(limit, "a", t0), None);
        assert_eq!(rl.hit(limit, "a", t0), Some(10));
        assert_eq!(rl.hit(limit, "b", t0), None);
        assert_eq!(rl.hit(limit, "a", t0 + Duration::from_secs(10)), None);
    }
}
