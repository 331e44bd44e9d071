//! `carnet enrich`, `jobs`, `suggestions`, `history` and `enrich-endpoint`: the CLI side
//! of `carnet-enrich`.
//!
//! `carnet enrich ID` writes the job row and prints `{jobId, personId, personName,
//! personEmail}` at once (one JSON line on stdout). By default (`--wait`) it then runs the
//! worker pool in this process until that job ends, with progress on stderr, and prints
//! the finished job as a second JSON line; `--detach` stops after the first line and
//! leaves the job queued for `carnet jobs run` (or the desktop app) to pick up. Jobs are
//! rows in the database, so `carnet jobs cancel ID` works from another terminal: the
//! running job stops before its next person. The endpoint's bearer token, if any, is read
//! from `CARNET_ENRICH_TOKEN` and never written anywhere.

use carnet_core::{Error, Result, Store};
use carnet_enrich::review;
use carnet_enrich::{
    Engine, EngineOptions, EnrichEvent, Job, JobState, JobTarget, Secret, SuggestionState,
};
use clap::{Args, Subcommand};

/// The enrichment commands, flattened into the top-level command list.
#[derive(Subcommand, Debug)]
pub enum EnrichCommand {
    /// Enrich people (one ID, several, --all or --search Q): prints the job at once, then
    /// runs it here with progress unless --detach.
    Enrich(EnrichArgs),
    /// Background jobs: list, show, cancel, run the queued ones.
    Jobs {
        #[command(subcommand)]
        cmd: JobsCmd,
    },
    /// Values enrichment proposes over what you typed: list, accept, reject.
    Suggestions {
        #[command(subcommand)]
        cmd: SuggestionsCmd,
    },
    /// What enrichment changed on a person (--provenance: where each value came from).
    History {
        person_id: String,
        /// Show the provenance of every enriched value, fact and flag instead.
        #[arg(long)]
        provenance: bool,
        #[arg(long)]
        json: bool,
    },
    /// The HTTP enrichment endpoint: show it, set it (URL) or --clear it.
    EnrichEndpoint {
        url: Option<String>,
        #[arg(long, conflicts_with = "url")]
        clear: bool,
    },
}

#[derive(Args, Debug)]
pub struct EnrichArgs {
    /// Person ids (one makes an `enrich_person` job, several a selection).
    #[arg(conflicts_with_all = ["all", "search"])]
    pub ids: Vec<String>,
    /// Every live person.
    #[arg(long, conflicts_with = "search")]
    pub all: bool,
    /// Live people matching a search (name, email, phone, company).
    #[arg(long, value_name = "Q")]
    pub search: Option<String>,
    /// Only queue the job (run it later with `carnet jobs run`).
    #[arg(long, conflicts_with = "wait")]
    pub detach: bool,
    /// Run the job here until it ends (the default).
    #[arg(long)]
    pub wait: bool,
    /// Local enrichers only (no HTTP).
    #[arg(long)]
    pub offline: bool,
}

#[derive(Subcommand, Debug)]
pub enum JobsCmd {
    /// Jobs, newest first.
    List {
        /// queued, running, done, failed or cancelled.
        #[arg(long)]
        state: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// One job as JSON (progress, notes, error).
    Show { id: String },
    /// Cancel a queued or running job (a running one stops before its next person).
    Cancel { id: String },
    /// Run queued jobs (and resume abandoned ones) until none is left.
    Run {
        #[arg(long)]
        offline: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum SuggestionsCmd {
    /// Pending suggestions, of one person or everyone (--all: decided ones too).
    List {
        person_id: Option<String>,
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write a suggestion's value over the current one.
    Accept { id: String },
    /// Keep the current value; the suggestion will not come back.
    Reject { id: String },
    /// Accept every pending suggestion of a person (per field the most confident).
    AcceptAll { person_id: String },
    /// Reject every pending suggestion of a person.
    RejectAll { person_id: String },
}

fn print_json<T: serde::Serialize>(v: &T) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

fn print_line<T: serde::Serialize>(v: &T) {
    println!("{}", serde_json::to_string(v).unwrap_or_default());
}

/// Run an enrichment command.
pub fn run(store: Store, db_path: &std::path::Path, cmd: EnrichCommand) -> Result<()> {
    match cmd {
        EnrichCommand::Enrich(a) => enrich(store, db_path, a),
        EnrichCommand::Jobs { cmd } => jobs(store, db_path, cmd),
        EnrichCommand::Suggestions { cmd } => suggestions(store, cmd),
        EnrichCommand::History {
            person_id,
            provenance,
            json,
        } => {
            if provenance {
                let rows = review::provenance(&store, &person_id)?;
                if json {
                    print_json(&rows);
                }
                for p in rows.iter().filter(|_| !json) {
                    println!(
                        "{}  {:<18} {:<6} {:<22} {:.2}  {}",
                        p.recorded_at,
                        p.field,
                        p.kind.as_str(),
                        p.source,
                        p.confidence,
                        p.value
                    );
                }
                return Ok(());
            }
            let rows = review::history(&store, &person_id)?;
            if json {
                print_json(&rows);
            } else if rows.is_empty() {
                println!("no changes by enrichment");
            }
            for h in rows.iter().filter(|_| !json) {
                println!(
                    "{}  {:<16} {} -> {}  ({}, {})",
                    h.changed_at, h.field, h.old_value, h.new_value, h.source, h.origin
                );
            }
            Ok(())
        }
        EnrichCommand::EnrichEndpoint { url, clear } => {
            let mut store = store;
            let s = match (url, clear) {
                (Some(u), _) => review::set_endpoint_url(&mut store, Some(&u))?,
                (None, true) => review::set_endpoint_url(&mut store, None)?,
                (None, false) => review::settings(&store)?,
            };
            print_json(&s);
            Ok(())
        }
    }
}

/// The engine with the local enrichers and, unless `offline`, the remote ones: the user's
/// endpoint (token from `CARNET_ENRICH_TOKEN`) and Introzy's `/enrich` for people pushed
/// to an Introzy account (the sync crate's link hook).
fn engine(store: Store, offline: bool, db_path: &std::path::Path) -> Result<Engine> {
    let opts = EngineOptions {
        introzy_links: Some(std::sync::Arc::new(carnet_sync::IntrozyLinksHook::new(
            db_path,
        ))),
        remote: !offline,
        endpoint_token: std::env::var("CARNET_ENRICH_TOKEN")
            .ok()
            .filter(|t| !t.is_empty())
            .map(Secret::new),
        poll_every: std::time::Duration::from_millis(200),
        ..Default::default()
    };
    Engine::new(store, opts)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::internal(format!("cannot start the async runtime: {e}")))
}

fn enrich(store: Store, db_path: &std::path::Path, a: EnrichArgs) -> Result<()> {
    let eng = engine(store, a.offline, db_path)?;
    let job_id = match (&a.ids[..], a.all, &a.search) {
        ([id], false, None) => {
            let q = eng.enqueue_person(id)?;
            print_line(&q);
            q.job_id
        }
        ([], true, None) => {
            let j = eng.enqueue(JobTarget::All)?;
            print_line(&j);
            j.id
        }
        ([], false, Some(q)) => {
            let j = eng.enqueue(JobTarget::Search(q.clone()))?;
            print_line(&j);
            j.id
        }
        ([], false, None) => {
            return Err(Error::validation(
                "ids",
                "give a person id, --all or --search Q",
            ))
        }
        (ids, _, _) => {
            let j = eng.enqueue(JobTarget::People(ids.to_vec()))?;
            print_line(&j);
            j.id
        }
    };
    if a.detach {
        return Ok(());
    }
    let job = runtime()?.block_on(async {
        let progress = spawn_progress(&eng, Some(job_id.clone()));
        let workers = eng.start();
        let job = eng.wait_for(&job_id).await;
        workers.shutdown().await;
        // Let the last progress lines print before leaving.
        let _ = tokio::time::timeout(std::time::Duration::from_millis(100), progress).await;
        job
    })?;
    print_line(&job);
    finished(&job)
}

/// The exit status of a finished job: an error when it failed.
fn finished(job: &Job) -> Result<()> {
    match job.state {
        JobState::Failed => Err(Error::internal(format!(
            "job {} failed: {}",
            job.id,
            job.error.as_deref().unwrap_or("unknown error")
        ))),
        _ => Ok(()),
    }
}

/// Print progress events (of one job, or all) on stderr.
fn spawn_progress(eng: &Engine, only: Option<String>) -> tokio::task::JoinHandle<()> {
    let mut rx = eng.subscribe();
    let eng = eng.clone();
    tokio::spawn(async move {
        while let Ok(e) = rx.recv().await {
            match e {
                EnrichEvent::JobProgress {
                    job_id,
                    done,
                    total,
                    outcome,
                } => {
                    if only.as_ref().is_some_and(|o| *o != job_id) {
                        continue;
                    }
                    let name = eng
                        .with_store(|s| s.get_person(&outcome.person_id))
                        .map(|p| p.full_name)
                        .unwrap_or_else(|_| outcome.person_id.clone());
                    eprintln!(
                        "[{done}/{total}] {name}: {} filled{}, {} suggested",
                        outcome.filled.len(),
                        if outcome.filled.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", outcome.filled.join(", "))
                        },
                        outcome.suggested.len()
                    );
                    for n in &outcome.notes {
                        eprintln!("    note [{}] {}", n.source, n.message);
                    }
                }
                EnrichEvent::JobFinished { job } if only.as_ref().is_none_or(|o| *o == job.id) => {
                    eprintln!("job {} {}", job.id, job.state.as_str());
                }
                _ => {}
            }
        }
    })
}

fn jobs(store: Store, db_path: &std::path::Path, cmd: JobsCmd) -> Result<()> {
    match cmd {
        JobsCmd::List { state, limit, json } => {
            let state = match state.as_deref() {
                Some(s) => Some(JobState::parse(s).ok_or_else(|| {
                    Error::validation(
                        "--state",
                        "must be queued, running, done, failed or cancelled",
                    )
                })?),
                None => None,
            };
            let list = review::jobs(&store, state, limit)?;
            if json {
                print_json(&list);
                return Ok(());
            }
            if list.is_empty() {
                println!("no jobs");
            }
            for j in list {
                println!(
                    "{}  {:<16} {:<9} {:>4}/{:<4} filled {:<3} suggested {:<3} {}",
                    j.id,
                    j.kind,
                    j.state.as_str(),
                    j.done,
                    j.total,
                    j.filled,
                    j.suggested,
                    j.created_at
                );
            }
            Ok(())
        }
        JobsCmd::Show { id } => {
            print_json(&review::job(&store, &id)?);
            Ok(())
        }
        JobsCmd::Cancel { id } => {
            let mut store = store;
            print_json(&review::cancel(&mut store, &id)?);
            Ok(())
        }
        JobsCmd::Run { offline } => {
            let eng = engine(store, offline, db_path)?;
            runtime()?.block_on(async {
                let progress = spawn_progress(&eng, None);
                let r = eng.run_pending().await;
                progress.abort();
                r
            })?;
            let running = eng.with_store(|s| review::jobs(s, Some(JobState::Running), 100))?;
            eprintln!("no queued jobs left ({} running elsewhere)", running.len());
            Ok(())
        }
    }
}

fn suggestions(store: Store, cmd: SuggestionsCmd) -> Result<()> {
    let mut store = store;
    match cmd {
        SuggestionsCmd::List {
            person_id,
            all,
            json,
        } => {
            let state = (!all).then_some(SuggestionState::Pending);
            let list = review::suggestions(&store, person_id.as_deref(), state)?;
            if json {
                print_json(&list);
                return Ok(());
            }
            if list.is_empty() {
                println!("no suggestions");
            }
            for s in list {
                println!(
                    "{}  {}  {:<14} {} -> {}  ({}, {:.2}, {})",
                    s.id,
                    s.person_id,
                    s.field,
                    s.current_value,
                    s.proposed_value,
                    s.source,
                    s.confidence,
                    s.state.as_str()
                );
            }
        }
        SuggestionsCmd::Accept { id } => print_json(&review::accept(&mut store, &id)?),
        SuggestionsCmd::Reject { id } => print_json(&review::reject(&mut store, &id)?),
        SuggestionsCmd::AcceptAll { person_id } => {
            print_json(&review::accept_all(&mut store, &person_id)?)
        }
        SuggestionsCmd::RejectAll { person_id } => {
            print_json(&review::reject_all(&mut store, &person_id)?)
        }
    }
    Ok(())
}
