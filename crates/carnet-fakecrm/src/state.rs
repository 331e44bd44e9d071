//! The in-memory state of one fake server: stored records, request log, counters, the
//! fault plan, and the seed format used to pre-fill a workspace.
//!
//! Records are kept as `serde_json::Value` in the provider's own response shape, so
//! what a test inspects through the handle is exactly what the fake CRM would return.
//! Locks are `std::sync::Mutex` and are never held across an `.await`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::faults::{FaultPlan, RateLimit, RateLimiter};
use crate::Provider;

/// One request as the server saw it, and what became of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// Status the server produced; `None` when the connection was dropped before the
    /// request was processed.
    pub status: Option<u16>,
    /// `false` when the client got no answer (dropped connection).
    pub answered: bool,
    /// The request body: parsed JSON, a JSON string for non-JSON text, `null` if empty.
    pub body: Value,
    /// The injected fault applied to this request, if any (`"drop_after"`, `"status 503"`...).
    pub fault: Option<String>,
}

/// How many writes the server actually stored (including writes whose answer was then
/// dropped or delayed by a fault).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub creates: u64,
    pub updates: u64,
    /// Introzy enrichment jobs created.
    pub enrich_jobs: u64,
    /// Custom field definitions created through the API.
    pub field_creates: u64,
}

/// Records to pre-fill a workspace with, through [`crate::Options::seed`], the handle's
/// `seed` method, or `POST /__seed`. Each entry is stored as given (in the provider's
/// response shape); missing ids are generated.
///
/// - `companies`: `{"id"?, "name"}` (Introzy, folk and Allo companies).
/// - `people`: person records (bypass validation, e.g. an Introzy person without an
///   email, or one with `"isFullUser": true`).
/// - `custom_fields`: Introzy definitions `{"key", "name", "fieldType", "options"?}` or
///   Pipedrive personFields `{"key"?, "name", "field_type", "options"?}`.
/// - `groups`: folk groups `{"id"?, "name", "customFields": [{"name", "type", "options"?}]}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Seed {
    pub companies: Vec<Value>,
    pub people: Vec<Value>,
    pub custom_fields: Vec<Value>,
    pub groups: Vec<Value>,
}

/// The mutable data of a fake workspace.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub people: Vec<Value>,
    pub companies: Vec<Value>,
    /// Introzy custom field definitions or Pipedrive personFields.
    pub fields: Vec<Value>,
    /// folk groups (with their `customFields` definitions).
    pub groups: Vec<Value>,
    /// Introzy enrichment jobs.
    pub jobs: Vec<Value>,
    /// Allo `Idempotency-Key` replays: (method path key) -> (status, body).
    pub idempotency: HashMap<String, (u16, Value)>,
    /// Next integer id (Pipedrive persons and fields).
    pub next_int: i64,
    pub counts: Counts,
}

impl Store {
    pub(crate) fn next_int_id(&mut self) -> i64 {
        self.next_int += 1;
        self.next_int
    }

    pub(crate) fn person_index(&self, id: &Value) -> Option<usize> {
        self.people.iter().position(|p| p.get("id") == Some(id))
    }
}

/// Everything the server tasks and the handle share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub provider: Provider,
    pub token: String,
    pub addr: SocketAddr,
    pub rate_limit: Option<RateLimit>,
    pub store: Mutex<Store>,
    pub faults: Mutex<FaultPlan>,
    pub limiter: Mutex<RateLimiter>,
    pub log: Mutex<Vec<RequestRecord>>,
}

impl Shared {
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// `http://127.0.0.1:PORT` + the provider's base path.
    pub(crate) fn base_url(&self) -> String {
        format!("http://{}{}", self.addr, self.provider.base_path())
    }
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it: the fake's
/// state stays usable for the rest of a test even after a failed assertion elsewhere.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
