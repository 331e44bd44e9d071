//! The job system: enqueue writes a row and returns at once; a pool of tokio workers runs
//! queued jobs with bounded concurrency, reports progress as events, honours cancel
//! between people, and resumes after a restart.
//!
//! SQLite is the queue. A worker claims the oldest queued job atomically (so several
//! workers, or a CLI and the desktop app on one file, never share a job), beats a
//! heartbeat while it runs, and records progress after each person in the same row.
//! A job whose heartbeat went stale (its process died) is put back in the queue and
//! resumes at the first person not done; enriching a person twice is harmless (only
//! empty fields are filled, a suggestion is made once). The store is behind a mutex that
//! is never held across an `.await`: HTTP calls run unlocked.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use carnet_core::{Error, PeopleQuery, Result, Store};
use tokio::sync::{broadcast, Notify};

use crate::apply::{apply_person, Sourced};
use crate::db;
use crate::enricher::{EndpointTarget, EnrichError, EnrichInput, Enricher, IntrozyLinks};
use crate::model::{EnqueuedJob, EnrichEvent, Job, JobNote, JobState, JobTarget, PersonOutcome};
use crate::remote::{Http, HttpConfig};
use crate::Secret;

/// Notes kept on a job row (the newest).
const MAX_NOTES: usize = 500;

/// How the engine runs.
#[derive(Clone)]
pub struct EngineOptions {
    /// Jobs run at once (bounded concurrency). Default 2.
    pub workers: usize,
    /// Timeouts, retries and rate limit of remote enrichers.
    pub http: HttpConfig,
    /// A running job whose heartbeat is older than this is re-queued. Default 60 s.
    pub stale_after: Duration,
    /// How often a running job beats. Default 10 s.
    pub heartbeat_every: Duration,
    /// How often idle workers look for work besides being woken. Default 1 s.
    pub poll_every: Duration,
    /// A job started this many times without finishing fails (a crash loop). Default 5.
    pub max_attempts: u32,
    /// Run the local enrichers (default true) and the remote ones (default true).
    pub local: bool,
    pub remote: bool,
    /// The custom endpoint's bearer token (from the keychain or environment).
    pub endpoint_token: Option<Secret>,
    /// The sync crate's hook to a person's Introzy link.
    pub introzy_links: Option<Arc<dyn IntrozyLinks>>,
    /// More enrichers, run after the built-in ones.
    pub extra: Vec<Arc<dyn Enricher>>,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            workers: 2,
            http: HttpConfig::default(),
            stale_after: Duration::from_secs(60),
            heartbeat_every: Duration::from_secs(10),
            poll_every: Duration::from_secs(1),
            max_attempts: 5,
            local: true,
            remote: true,
            endpoint_token: None,
            introzy_links: None,
            extra: Vec::new(),
        }
    }
}

struct Inner {
    store: Mutex<Store>,
    opts: EngineOptions,
    enrichers: Vec<Arc<dyn Enricher>>,
    events: broadcast::Sender<EnrichEvent>,
    wake: Notify,
    stop: tokio::sync::watch::Sender<bool>,
}

/// The enrichment engine: a store, the enrichers, the workers and an event channel.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

/// Running workers; [`Workers::shutdown`] stops them after their current person.
pub struct Workers {
    engine: Engine,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Workers {
    pub async fn shutdown(self) {
        self.engine.inner.stop.send_replace(true);
        self.engine.inner.wake.notify_waiters();
        for t in self.tasks {
            let _ = t.await;
        }
        self.engine.inner.stop.send_replace(false);
    }
}

impl Engine {
    /// An engine over an open store. Jobs left `running` by a process that died are put
    /// back in the queue here (when their heartbeat is stale).
    pub fn new(store: Store, opts: EngineOptions) -> Result<Engine> {
        let http =
            Arc::new(Http::new(opts.http.clone()).map_err(|e| Error::internal(e.to_string()))?);
        let mut enrichers: Vec<Arc<dyn Enricher>> = Vec::new();
        if opts.local {
            enrichers.extend(crate::local::all());
        }
        if opts.remote {
            enrichers.push(Arc::new(crate::remote::endpoint::Endpoint::new(
                http.clone(),
            )));
            enrichers.push(Arc::new(crate::remote::introzy::Introzy::new(http)));
        }
        enrichers.extend(opts.extra.iter().cloned());
        let (events, _) = broadcast::channel(1024);
        let (stop, _) = tokio::sync::watch::channel(false);
        let engine = Engine {
            inner: Arc::new(Inner {
                store: Mutex::new(store),
                opts,
                enrichers,
                events,
                wake: Notify::new(),
                stop,
            }),
        };
        engine.recover()?;
        Ok(engine)
    }

    /// Open the database file and build an engine on it.
    pub fn open(path: &std::path::Path, opts: EngineOptions) -> Result<Engine> {
        Engine::new(Store::open(path)?, opts)
    }

    /// Run `f` with the store locked (never across an await).
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        let mut guard: MutexGuard<'_, Store> = self
            .inner
            .store
            .lock()
            .map_err(|_| Error::internal("the enrichment store lock was poisoned"))?;
        f(&mut guard)
    }

    /// Progress and lifecycle events (forward them to the UI).
    pub fn subscribe(&self) -> broadcast::Receiver<EnrichEvent> {
        self.inner.events.subscribe()
    }

    pub(crate) fn emit(&self, e: EnrichEvent) {
        let _ = self.inner.events.send(e);
    }

    /// Re-queue running jobs whose heartbeat is stale; returns how many.
    pub fn recover(&self) -> Result<usize> {
        let cutoff = cutoff(self.inner.opts.stale_after);
        self.with_store(|s| s.transaction(|tx| db::requeue_stale(tx, &cutoff)))
    }

    /// Queue the enrichment of one person; returns at once (like Introzy's endpoint).
    pub fn enqueue_person(&self, person_id: &str) -> Result<EnqueuedJob> {
        let job = self.enqueue(JobTarget::People(vec![person_id.to_string()]))?;
        let p = self.with_store(|s| s.get_person(person_id))?;
        Ok(EnqueuedJob {
            job_id: job.id,
            person_id: p.id,
            person_name: p.full_name,
            person_email: p.emails.first().map(|e| e.value.clone()),
        })
    }

    /// Queue a job over a selection, everyone, or a search. The people are resolved now.
    pub fn enqueue(&self, target: JobTarget) -> Result<Job> {
        let job = self.with_store(|s| {
            let (kind, query, ids) = resolve(s, &target)?;
            let job = Job {
                id: carnet_core::db::new_id(),
                kind: kind.to_string(),
                query,
                total: ids.len() as u32,
                person_ids: ids,
                state: JobState::Queued,
                done: 0,
                filled: 0,
                suggested: 0,
                error: None,
                notes: vec![],
                attempts: 0,
                created_at: carnet_core::db::now(),
                started_at: None,
                finished_at: None,
            };
            s.transaction(|tx| db::insert_job(tx, &job))?;
            crate::review::job(s, &job.id)
        })?;
        self.emit(EnrichEvent::JobQueued { job: job.clone() });
        self.inner.wake.notify_waiters();
        Ok(job)
    }

    /// One job.
    pub fn job(&self, id: &str) -> Result<Job> {
        self.with_store(|s| crate::review::job(s, id))
    }

    /// Cancel a job; a running one stops before its next person.
    pub fn cancel(&self, id: &str) -> Result<Job> {
        let job = self.with_store(|s| crate::review::cancel(s, id))?;
        self.emit(EnrichEvent::JobFinished { job: job.clone() });
        Ok(job)
    }

    /// Start the worker pool on the current tokio runtime.
    pub fn start(&self) -> Workers {
        let tasks = (0..self.inner.opts.workers.max(1))
            .map(|_| {
                let e = self.clone();
                tokio::spawn(async move { e.worker(false).await })
            })
            .collect();
        Workers {
            engine: self.clone(),
            tasks,
        }
    }

    /// Run queued jobs with the pool until none is left (the CLI's `jobs run`).
    pub async fn run_pending(&self) -> Result<()> {
        self.recover()?;
        let tasks: Vec<_> = (0..self.inner.opts.workers.max(1))
            .map(|_| {
                let e = self.clone();
                tokio::spawn(async move { e.worker(true).await })
            })
            .collect();
        for t in tasks {
            t.await
                .map_err(|e| Error::internal(format!("worker stopped: {e}")))?;
        }
        Ok(())
    }

    /// Wait until a job is done, failed or cancelled (by anyone, in any process).
    pub async fn wait_for(&self, id: &str) -> Result<Job> {
        let mut rx = self.subscribe();
        loop {
            let job = self.job(id)?;
            if job.state.is_final() {
                return Ok(job);
            }
            // Woken by an event, or poll: a cancel from another process is only in the row.
            let _ = tokio::time::timeout(Duration::from_millis(250), rx.recv()).await;
        }
    }

    async fn worker(self, drain: bool) {
        let mut stop = self.inner.stop.subscribe();
        loop {
            if *stop.borrow() {
                return;
            }
            let claimed = self.with_store(|s| {
                let cutoff = cutoff(self.inner.opts.stale_after);
                s.transaction(|tx| {
                    db::requeue_stale(tx, &cutoff)?;
                    db::claim_next(tx, &carnet_core::db::now())
                })
            });
            match claimed {
                Ok(Some(job)) => self.run_job(job).await,
                Ok(None) if drain => return,
                Ok(None) | Err(_) => {
                    tokio::select! {
                        _ = self.inner.wake.notified() => {}
                        _ = stop.changed() => {}
                        _ = tokio::time::sleep(self.inner.opts.poll_every) => {}
                    }
                }
            }
        }
    }

    async fn run_job(&self, job: Job) {
        let id = job.id.clone();
        if job.attempts > self.inner.opts.max_attempts {
            let msg = format!("gave up after {} attempts", job.attempts - 1);
            self.end(&id, JobState::Failed, Some(&msg));
            return;
        }
        self.emit(EnrichEvent::JobStarted { job: job.clone() });
        let beat = {
            let e = self.clone();
            let id = id.clone();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(e.inner.opts.heartbeat_every).await;
                    let now = carnet_core::db::now();
                    let _ = e.with_store(|s| s.transaction(|tx| db::heartbeat(tx, &id, &now)));
                }
            })
        };
        let result = self.run_people(&job).await;
        beat.abort();
        match result {
            Ok(true) => self.end(&id, JobState::Done, None),
            Ok(false) => {
                // Cancelled: the row already says so; tell the UI.
                if let Ok(j) = self.job(&id) {
                    self.emit(EnrichEvent::JobFinished { job: j });
                }
            }
            Err(e) => self.end(&id, JobState::Failed, Some(&e.to_string())),
        }
    }

    fn end(&self, id: &str, state: JobState, error: Option<&str>) {
        let now = carnet_core::db::now();
        let _ = self.with_store(|s| {
            s.transaction(|tx| db::finish(tx, id, &[JobState::Running], state, error, &now))
        });
        if let Ok(j) = self.job(id) {
            self.emit(EnrichEvent::JobFinished { job: j });
        }
    }

    /// `Ok(true)` when every person was done, `Ok(false)` when cancelled.
    async fn run_people(&self, job: &Job) -> Result<bool> {
        let mut notes = job.notes.clone();
        for idx in (job.done as usize)..job.person_ids.len() {
            let state = self.with_store(|s| db::job_state(s.connection(), &job.id))?;
            let stopping = *self.inner.stop.subscribe().borrow();
            if state != Some(JobState::Running) {
                return Ok(false);
            }
            if stopping {
                // Shutting down: leave it running with a stale heartbeat to resume later;
                // re-queue now so the next start picks it up at once.
                self.with_store(|s| {
                    s.transaction(|tx| {
                        tx.execute(
                            "UPDATE jobs SET state = 'queued' WHERE id = ?1 AND state = 'running'",
                            [&job.id],
                        )?;
                        Ok(())
                    })
                })?;
                return Ok(false);
            }
            let person_id = &job.person_ids[idx];
            let outcome = self.enrich_one(&job.id, person_id).await?;
            notes.extend(outcome.notes.iter().cloned());
            // Keep the row small on huge jobs: the newest notes matter most.
            if notes.len() > MAX_NOTES {
                notes.drain(..notes.len() - MAX_NOTES);
            }
            let now = carnet_core::db::now();
            self.with_store(|s| {
                s.transaction(|tx| {
                    db::progress(
                        tx,
                        &job.id,
                        idx as u32 + 1,
                        outcome.filled.len() as u32,
                        outcome.suggested.len() as u32,
                        &notes,
                        &now,
                    )
                })
            })?;
            if !outcome.filled.is_empty() {
                self.emit(EnrichEvent::PersonChanged {
                    person_id: person_id.clone(),
                });
            }
            self.emit(EnrichEvent::JobProgress {
                job_id: job.id.clone(),
                done: idx as u32 + 1,
                total: job.total,
                outcome,
            });
        }
        Ok(true)
    }

    /// Enrich one person: read (locked), run the enrichers (unlocked), apply (locked).
    /// A person gone or in the trash is a note; storage errors fail the job.
    async fn enrich_one(&self, job_id: &str, person_id: &str) -> Result<PersonOutcome> {
        let note = |source: &str, message: String| JobNote {
            person_id: person_id.to_string(),
            source: source.to_string(),
            message,
        };
        let read = self.with_store(|s| {
            let person = s.get_person(person_id)?;
            Ok((person, s.default_region()?, crate::review::settings(s)?))
        });
        let (person, region, settings) = match read {
            Ok(r) => r,
            Err(e) if e.code == carnet_core::ErrorCode::NotFound => {
                return Ok(PersonOutcome {
                    person_id: person_id.to_string(),
                    notes: vec![note("job", format!("skipped: {}", e.message))],
                    ..Default::default()
                })
            }
            Err(e) => return Err(e),
        };
        let mut out = PersonOutcome {
            person_id: person_id.to_string(),
            ..Default::default()
        };
        if person.deleted_at.is_some() {
            out.notes
                .push(note("job", "skipped: the person is in the trash".into()));
            return Ok(out);
        }
        let introzy = match &self.inner.opts.introzy_links {
            Some(h) => h.introzy_link(person_id).unwrap_or_else(|m| {
                out.notes.push(note(crate::remote::introzy::SOURCE, m));
                None
            }),
            None => None,
        };
        let input = EnrichInput {
            person,
            default_region: region,
            introzy,
            endpoint: settings.endpoint_url.map(|url| EndpointTarget {
                url,
                token: self.inner.opts.endpoint_token.clone(),
            }),
        };
        let mut items = Vec::new();
        for e in &self.inner.enrichers {
            match e.enrich(&input).await {
                Ok(ps) => items.extend(ps.into_iter().map(|p| {
                    Sourced {
                        source: p
                            .detail
                            .as_ref()
                            .and_then(|d| d.get("source"))
                            .and_then(|s| s.as_str())
                            .unwrap_or(e.source())
                            .to_string(),
                        proposal: p,
                    }
                })),
                Err(EnrichError::Skipped) => {}
                Err(err) => out.notes.push(note(e.source(), err.to_string())),
            }
        }
        let applied = self.with_store(|s| apply_person(s, person_id, items, Some(job_id)));
        match applied {
            Ok(mut o) => {
                out.notes.append(&mut o.notes);
                o.notes = out.notes;
                Ok(o)
            }
            Err(e)
                if e.code != carnet_core::ErrorCode::Storage
                    && e.code != carnet_core::ErrorCode::Internal =>
            {
                out.notes.push(note("job", format!("not enriched: {e}")));
                Ok(out)
            }
            Err(e) => Err(e),
        }
    }
}

/// Resolve a target to (kind, query, person ids).
fn resolve(s: &Store, target: &JobTarget) -> Result<(&'static str, Option<String>, Vec<String>)> {
    match target {
        JobTarget::People(ids) => {
            if ids.is_empty() {
                return Err(Error::validation("personIds", "name at least one person"));
            }
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                let p = s.get_person(id)?;
                if p.deleted_at.is_some() {
                    return Err(Error::not_found("live person", id));
                }
                if !out.contains(&p.id) {
                    out.push(p.id);
                }
            }
            let kind = if out.len() == 1 {
                "enrich_person"
            } else {
                "enrich_selection"
            };
            Ok((kind, None, out))
        }
        JobTarget::All => Ok(("enrich_all", None, live_ids(s, PeopleQuery::default())?)),
        JobTarget::Search(q) => {
            let query = PeopleQuery {
                search: Some(q.clone()),
                ..Default::default()
            };
            Ok(("enrich_search", Some(q.clone()), live_ids(s, query)?))
        }
        JobTarget::Query(query) => {
            let query = PeopleQuery {
                trashed: false,
                ..query.clone()
            };
            let text = serde_json::to_string(&query).map_err(|e| Error::internal(e.to_string()))?;
            Ok(("enrich_query", Some(text), live_ids(s, query)?))
        }
    }
}

/// The ids of the live people `q` selects, in its order (sort and paging are reset).
fn live_ids(s: &Store, q: PeopleQuery) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut q = PeopleQuery {
        limit: 100,
        offset: 0,
        trashed: false,
        ..q
    };
    loop {
        let page = s.list_people(&q)?;
        let n = page.items.len() as u32;
        out.extend(page.items.into_iter().map(|p| p.id));
        if n < q.limit || out.len() as u32 >= page.total {
            return Ok(out);
        }
        q.offset += n;
    }
}

/// The heartbeat time before which a running job counts as abandoned.
fn cutoff(stale_after: Duration) -> String {
    let t = time::OffsetDateTime::now_utc() - stale_after;
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    t.format(&fmt).unwrap_or_default()
}
