//! Carnet's enrichment: background jobs in SQLite, local and remote enrichers, provenance
//! and review. No Tauri here; the CLI and the desktop app are thin layers over it.
//!
//! - [`Engine`] (`engine`): `enqueue_person` writes a job row and returns at once with
//!   `{jobId, personId, personName, personEmail}`; a tokio worker pool runs queued jobs
//!   with bounded concurrency, emits [`EnrichEvent`]s, stops a cancelled job before its
//!   next person, and resumes jobs a dead process left running.
//! - Enrichers (`enricher`, `local`, `remote`): small units behind [`Enricher`] that
//!   propose values. Local: names, email domain to company, phone, Gravatar, birthday
//!   checks. Remote: the user's HTTP endpoint and Introzy's enrich for linked people
//!   (the link comes from the sync crate through [`IntrozyLinks`]).
//! - Honesty (`apply`, `review`): proposals fill empty fields only, through core's
//!   validation; a conflict with a value the user entered becomes a [`Suggestion`] to
//!   accept or reject; every value records its source, time and confidence
//!   ([`Provenance`]); [`HistoryEntry`] rows say what enrichment changed.
//!
//! Non-goals: scraping, storing tokens (they stay in memory as [`Secret`]), and deciding
//! for the user: nothing typed by a person is overwritten without an accepted suggestion.
//!
//! # Desktop integration
//!
//! ```text
//! let engine = Engine::open(&db_path, EngineOptions { introzy_links, endpoint_token, ..Default::default() })?;
//! let workers = engine.start();                 // inside the Tauri async runtime
//! let mut rx = engine.subscribe();              // forward each EnrichEvent as `enrich://event`
//! engine.enqueue_person(id) -> EnqueuedJob      engine.enqueue(JobTarget::{People, All, Search}) -> Job
//! engine.job(id) / jobs(state, limit) / cancel(id)
//! engine.suggestions(person, state) / accept_suggestion(id) / reject_suggestion(id)
//! engine.accept_all(person) / reject_all(person) / history(person) / provenance(person)
//! engine.settings() / set_endpoint_url(url)
//! ```
//!
//! The engine opens its own connection (WAL makes it safe beside the app's). Events:
//! `jobQueued`, `jobStarted`, `jobProgress {jobId, done, total, outcome}` (the progress
//! bar), `jobFinished {job}` (may come twice for a cancel: once from `cancel`, once from
//! the worker), `personChanged {personId}` (refresh the person). A running job whose
//! process died is re-queued when its heartbeat is older than `stale_after` (60 s).

pub mod apply;
mod db;
pub mod engine;
pub mod enricher;
mod facade;
pub mod local;
pub mod model;
pub mod remote;
pub mod review;

pub use engine::{Engine, EngineOptions, Workers};
pub use enricher::{
    EndpointTarget, EnrichError, EnrichInput, Enricher, IntrozyLink, IntrozyLinks, Proposal,
};
pub use model::*;
pub use remote::{HttpConfig, RemoteError};

/// A token held in memory only: `Debug` and `Display` print `***`, it has no `Serialize`,
/// and [`Secret::expose`] is the one way to read it (for the `Authorization` header).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    /// The token, for an HTTP header. Never log or store the result.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("tok-123");
        assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
        assert_eq!(s.expose(), "tok-123");
    }
}
