//! Strict local imitations of the CRMs Carnet syncs to (Introzy, folk, Allo,
//! Pipedrive), with fault injection, for testing the sync engine without a network.
//!
//! Each fake enforces its API document (`/work/shared/crm-apis/`): auth scheme,
//! required fields, length and format limits, the documented status codes and error
//! bodies, custom field definitions, duplicates. A client that sends something the real
//! CRM would refuse is refused here too. Where a document is silent the provider module
//! says what it assumed. Servers bind `127.0.0.1:0` only. Non-goals: TLS, persistence,
//! notes/deals/activities, anything a person sync does not touch.
//!
//! # API
//!
//! ```text
//! FakeCrm::start(Provider, Options) -> io::Result<FakeCrmHandle>          (async)
//! FakeCrm::start_blocking(Provider, Options) -> io::Result<BlockingFakeCrm> (own runtime; Deref to the handle)
//! Options { token, faults: Vec<Fault>, rate_limit: Option<RateLimit>, seed: Seed }
//!
//! FakeCrmHandle::base_url() -> String     // before the documents' paths (DESIGN.md CLI contract)
//!     ::people_url() / admin_url() / addr() / provider() / token()
//!     ::people() -> Vec<Value>  person(id) -> Option<Value>  companies()  custom_fields()  groups()  enrich_jobs()
//!     ::requests() -> Vec<RequestRecord>  counts() -> Counts { creates, updates, enrich_jobs, field_creates }
//!     ::push_fault(Fault)  clear_faults()  pending_faults()
//!     ::seed(Seed) -> Vec<String>  add_company(name) -> String
//!     ::shutdown(self)                     (async; dropping the handle also stops it)
//!
//! Fault::rate_limited(secs) | status(503) | delay(Duration) | drop_before() | drop_after()
//!     .on("POST", "/persons")  .times(n)  .skip(n)
//! ```
//!
//! | Provider  | `base_url()`                 | people path          | auth                                   |
//! |-----------|------------------------------|----------------------|----------------------------------------|
//! | Introzy   | `http://127.0.0.1:P`         | `/api/people`        | `Authorization: Bearer T`              |
//! | folk      | `http://127.0.0.1:P`         | `/v1/people`         | `Authorization: Bearer T`              |
//! | Allo      | `http://127.0.0.1:P`         | `/v2/api/crm/people` | `Authorization: T` (raw key)           |
//! | Pipedrive | `http://127.0.0.1:P/api/v1`  | `/persons`           | `?api_token=T`, `x-api-token`, Bearer  |
//!
//! # Use from a sync test
//!
//! ```no_run
//! use carnet_fakecrm::{Fault, FakeCrm, Options, Provider};
//! # async fn demo() -> std::io::Result<()> {
//! let crm = FakeCrm::start(Provider::Folk, Options::with_token("secret")).await?;
//! // The create's record is stored but the client gets no answer.
//! crm.push_fault(Fault::drop_after().on("POST", "/v1/people"));
//! // ... run the sync against crm.base_url() with token "secret" ...
//! assert_eq!(crm.counts().creates, 1, "the retry found the record instead of duplicating it");
//! # Ok(()) }
//! ```
//!
//! The binary (`carnet-fakecrm --provider folk --port 0 --token T`) prints the base URL
//! and serves the admin API described below.
//!
//! # Admin API
//!
//! `GET|POST|DELETE /__faults` (a [`Fault`] as JSON, e.g.
//! `{"kind":"status","status":429,"retry_after":2,"method":"POST","path_prefix":"/api/people"}`,
//! kinds `status`, `delay` (`ms`), `drop_before`, `drop_after`; optional `times`,
//! `skip`), `GET /__state`, `POST /__seed` (a [`Seed`]). Not authenticated, not logged.

mod admin;
mod faults;
mod providers;
mod server;
mod state;
mod validate;

use std::fmt;
use std::str::FromStr;

pub use faults::{Fault, FaultKind, RateLimit};
pub use server::{BlockingFakeCrm, FakeCrm, FakeCrmHandle};
pub use state::{Counts, RequestRecord, Seed};

/// The CRMs imitated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    Introzy,
    Folk,
    Allo,
    Pipedrive,
}

impl Provider {
    pub const ALL: [Provider; 4] = [
        Provider::Introzy,
        Provider::Folk,
        Provider::Allo,
        Provider::Pipedrive,
    ];

    /// Lower-case name, as the CLI's `--provider` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Introzy => "introzy",
            Provider::Folk => "folk",
            Provider::Allo => "allo",
            Provider::Pipedrive => "pipedrive",
        }
    }

    /// The path part of the base URL (`/api/v1` for Pipedrive, empty otherwise).
    pub fn base_path(self) -> &'static str {
        match self {
            Provider::Pipedrive => "/api/v1",
            _ => "",
        }
    }

    /// Full path of the people collection.
    pub fn people_path(self) -> &'static str {
        match self {
            Provider::Introzy => "/api/people",
            Provider::Folk => "/v1/people",
            Provider::Allo => "/v2/api/crm/people",
            Provider::Pipedrive => "/api/v1/persons",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Provider {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Provider::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown provider {s:?}: expected introzy, folk, allo or pipedrive")
            })
    }
}

/// How a fake server starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The only token accepted (default `"test-token"`).
    pub token: String,
    /// Faults queued before the first request.
    pub faults: Vec<Fault>,
    /// Optional fixed-window limit per token; over it, 429 with `Retry-After`.
    pub rate_limit: Option<RateLimit>,
    /// Records present from the start.
    pub seed: Seed,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            token: "test-token".to_string(),
            faults: Vec::new(),
            rate_limit: None,
            seed: Seed::default(),
        }
    }
}

impl Options {
    /// Default options with this token.
    pub fn with_token(token: &str) -> Self {
        Options {
            token: token.to_string(),
            ..Options::default()
        }
    }
}
