//! The push engine: change tracking, matching before create, exactly-once creates under
//! faults, bounded concurrency, progress and cancel, and the run log.
//!
//! For each live person: map it (skip with a reason, or a payload plus dropped fields),
//! hash the payload, and compare with the link of the last push. Unchanged: nothing is
//! sent. Linked and changed: the difference goes to the linked remote id. Not linked:
//! look for the record on the CRM (email, phone; exact name for people with neither) and
//! link it, else create it. A create whose answer is lost (timeout, dropped connection,
//! 5xx) is never blindly re-sent: the record is looked up first and linked if it is
//! there. Every result is saved with its link in one transaction as soon as it is known,
//! so a crash loses at most the answer of requests in flight, which the next push finds
//! by lookup. People sharing an email or phone are pushed one after the other so they
//! never race for the same remote record.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use backon::{BackoffBuilder, ExponentialBuilder};
use carnet_core::{Person, Store};
use futures_util::stream::{self, StreamExt};
use serde_json::{Map, Value};

use crate::db::{self, Account, Link, LinkChange};
use crate::error::SyncError;
use crate::http::{Http, SyncConfig, Token};
use crate::plan::{diff, group_by_contacts, hash, live_people, schema};
use crate::provider::{Created, Mapped, Provider, ProviderKind};
use crate::report::{ItemReport, Outcome, RunReport, Summary, SyncEvent};
use crate::{allo::Allo, folk::Folk, introzy::Introzy, pipedrive::Pipedrive};

/// A flag the app sets to stop a push between people.
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    pub fn new() -> Self {
        CancelFlag::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Receives progress events (called on the pushing task; keep it quick).
pub type ProgressFn = Arc<dyn Fn(&SyncEvent) + Send + Sync>;

/// How to run a push.
#[derive(Clone, Default)]
pub struct PushOptions {
    /// Compute and report what would be sent; write nothing anywhere (the CRM is only
    /// read, for its field definitions).
    pub dry_run: bool,
    pub config: SyncConfig,
    pub cancel: CancelFlag,
    pub progress: Option<ProgressFn>,
}

/// One person to push.
pub(crate) struct Work {
    pub position: usize,
    pub person: Person,
    pub payload: Map<String, Value>,
    pub hash: String,
    pub dropped: Vec<crate::provider::Dropped>,
    pub link: Option<Link>,
}

/// Remote ids already linked to a local person in this account.
type Claims = Mutex<HashMap<String, String>>;

fn person_name(p: &Person) -> String {
    if !p.full_name.trim().is_empty() {
        p.full_name.clone()
    } else {
        p.emails
            .first()
            .map(|e| e.value.clone())
            .unwrap_or_default()
    }
}

/// Pushes every live person to `account`. Returns the run's report (also kept in the
/// log); `Err` only when the run could not start or the CRM refused the whole run
/// (bad token, unreachable, unknown folk group), in which case the failed run is logged.
pub async fn push(
    store: &mut Store,
    account: &Account,
    token: &Token,
    opts: &PushOptions,
) -> Result<RunReport, SyncError> {
    let s = &account.settings;
    match account.provider {
        ProviderKind::Introzy => run(store, account, token, opts, Introzy::new()).await,
        ProviderKind::Folk => run(store, account, token, opts, Folk::new(s)).await,
        ProviderKind::Allo => run(store, account, token, opts, Allo::new()).await,
        ProviderKind::Pipedrive => run(store, account, token, opts, Pipedrive::new(s)).await,
    }
}

async fn run<P: Provider>(
    store: &mut Store,
    account: &Account,
    token: &Token,
    opts: &PushOptions,
    mut provider: P,
) -> Result<RunReport, SyncError> {
    let people = live_people(store)?;
    let fields = schema(store, &people)?;
    let links = db::load_links(store.connection(), &account.id)?;
    let http = Http::new(
        account.provider.as_str(),
        &account.base_url,
        token.clone(),
        account.provider.auth(),
        opts.config.clone(),
    )?;
    let total = people.len();
    let run_id = db::start_run(store, &account.id, opts.dry_run, total)?;
    let emit = |e: SyncEvent| {
        if let Some(f) = &opts.progress {
            f(&e);
        }
    };
    let total32 = u32::try_from(total).unwrap_or(u32::MAX);
    emit(SyncEvent::Started {
        run_id: run_id.clone(),
        total: total32,
    });
    let mut summary = Summary::default();
    if let Err(e) = provider
        .prepare(&http, &people, &fields, !opts.dry_run)
        .await
    {
        return fail_run(store, &run_id, summary, e, &emit);
    }

    // Map everyone; what needs no request is reported at once.
    let mut done: u32 = 0;
    let mut work = Vec::new();
    for (position, person) in people.into_iter().enumerate() {
        let link = links.get(&person.id).cloned();
        let base = ItemReport {
            person_id: person.id.clone(),
            person_name: person_name(&person),
            outcome: Outcome::Skipped,
            remote_id: link.as_ref().and_then(|l| l.remote_id.clone()),
            reason: None,
            dropped: Vec::new(),
            payload: None,
        };
        let item = match provider.map(&person, &fields) {
            Mapped::Skip(reason) => ItemReport {
                reason: Some(reason),
                ..base
            },
            Mapped::Send { payload, dropped } => {
                let h = hash(&payload);
                let same = link.as_ref().is_some_and(|l| {
                    l.remote_id.is_some() && l.payload_hash.as_deref() == Some(h.as_str())
                });
                if !same {
                    work.push(Work {
                        position,
                        person,
                        payload,
                        hash: h,
                        dropped,
                        link,
                    });
                    continue;
                }
                ItemReport {
                    outcome: Outcome::Unchanged,
                    dropped,
                    ..base
                }
            }
        };
        summary.count(item.outcome);
        db::save_item(
            store,
            &run_id,
            &account.id,
            position,
            &item,
            LinkChange::None,
        )?;
        done += 1;
        emit(SyncEvent::Item {
            run_id: run_id.clone(),
            done,
            total: total32,
            item,
        });
    }

    // People sharing an email or a phone form one group, pushed in order.
    let groups = group_by_contacts(work);
    let claims: Claims = Mutex::new(
        links
            .iter()
            .filter_map(|(pid, l)| Some((l.remote_id.clone()?, pid.clone())))
            .collect(),
    );
    let ctx = Ctx {
        provider: &provider,
        http: &http,
        claims: &claims,
        dry_run: opts.dry_run,
        cancel: &opts.cancel,
        abort: Mutex::new(None),
    };
    let concurrency = opts.config.concurrency.max(1);
    let mut results = stream::iter(groups)
        .map(|group| ctx.push_group(group))
        .buffer_unordered(concurrency);
    while let Some(batch) = results.next().await {
        for (position, item, change) in batch {
            let change = if opts.dry_run {
                LinkChange::None
            } else {
                change
            };
            summary.count(item.outcome);
            db::save_item(store, &run_id, &account.id, position, &item, change)?;
            done += 1;
            emit(SyncEvent::Item {
                run_id: run_id.clone(),
                done,
                total: total32,
                item,
            });
        }
    }
    drop(results);
    // A refused token stops the run: every other request would be refused too.
    let abort = ctx.abort.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(e) = abort {
        return fail_run(store, &run_id, summary, e, &emit);
    }
    let status = if opts.cancel.is_cancelled() {
        "cancelled"
    } else {
        "done"
    };
    db::finish_run(store, &run_id, status, &summary, None)?;
    emit(SyncEvent::Finished {
        run_id: run_id.clone(),
        status: status.into(),
        summary,
    });
    db::get_run(store, &run_id)
}

/// Logs a run that stopped as a whole (refused token, unreachable CRM) and returns why.
fn fail_run(
    store: &mut Store,
    run_id: &str,
    summary: Summary,
    e: SyncError,
    emit: &dyn Fn(SyncEvent),
) -> Result<RunReport, SyncError> {
    db::finish_run(store, run_id, "failed", &summary, Some(&e.to_string()))?;
    emit(SyncEvent::Finished {
        run_id: run_id.to_string(),
        status: "failed".into(),
        summary,
    });
    Err(e)
}

struct Ctx<'a, P: Provider> {
    provider: &'a P,
    http: &'a Http,
    claims: &'a Claims,
    dry_run: bool,
    cancel: &'a CancelFlag,
    /// Set when an error makes the rest of the run pointless (a refused token).
    abort: Mutex<Option<SyncError>>,
}

impl<P: Provider> Ctx<'_, P> {
    async fn push_group(&self, group: Vec<Work>) -> Vec<(usize, ItemReport, LinkChange)> {
        let mut out = Vec::new();
        for w in group {
            let aborted = self.abort.lock().map(|a| a.is_some()).unwrap_or(true);
            if self.cancel.is_cancelled() || aborted {
                break;
            }
            out.push(self.push_one(w).await);
        }
        out
    }

    /// Claims `id` for `person`; `false` when another local person has it.
    fn claim(&self, id: &str, person: &str) -> bool {
        let mut claims = self.claims.lock().unwrap_or_else(|e| e.into_inner());
        match claims.get(id) {
            Some(owner) if owner != person => false,
            _ => {
                claims.insert(id.to_string(), person.to_string());
                true
            }
        }
    }

    fn claimed_by_other(&self, id: &str, person: &str) -> bool {
        let claims = self.claims.lock().unwrap_or_else(|e| e.into_inner());
        claims.get(id).is_some_and(|owner| owner != person)
    }

    async fn push_one(&self, w: Work) -> (usize, ItemReport, LinkChange) {
        let mut item = ItemReport {
            person_id: w.person.id.clone(),
            person_name: person_name(&w.person),
            outcome: Outcome::Failed,
            remote_id: w.link.as_ref().and_then(|l| l.remote_id.clone()),
            reason: None,
            dropped: w.dropped.clone(),
            payload: Some(Value::Object(w.payload.clone())),
        };
        let linked = w.link.as_ref().and_then(|l| l.remote_id.clone());
        if self.dry_run {
            item.outcome = if linked.is_some() {
                Outcome::Updated
            } else {
                Outcome::Created
            };
            if let (Some(prev), Some(_)) =
                (w.link.as_ref().and_then(|l| l.payload.as_ref()), &linked)
            {
                item.payload = Some(Value::Object(diff(self.provider, prev, &w.payload)));
            }
            return (w.position, item, LinkChange::None);
        }
        let result = match linked {
            Some(id) => self.update_linked(&w, id).await,
            None => self.create_or_link(&w).await,
        };
        match result {
            Ok((outcome, id, reason)) => {
                item.outcome = outcome;
                item.remote_id = Some(id.clone());
                item.reason = reason;
                let change = LinkChange::Synced {
                    remote_id: id,
                    hash: w.hash.clone(),
                    payload: w.payload.clone(),
                    local_updated_at: w.person.updated_at.clone(),
                };
                (w.position, item, change)
            }
            Err(e) => {
                let text = e.to_string();
                if matches!(e, SyncError::Auth { .. }) {
                    let mut abort = self.abort.lock().unwrap_or_else(|e| e.into_inner());
                    abort.get_or_insert(e);
                }
                item.reason = Some(text.clone());
                (w.position, item, LinkChange::Failed { error: text })
            }
        }
    }

    async fn update_linked(
        &self,
        w: &Work,
        id: String,
    ) -> Result<(Outcome, String, Option<String>), SyncError> {
        let patch = match w.link.as_ref().and_then(|l| l.payload.as_ref()) {
            Some(prev) => diff(self.provider, prev, &w.payload),
            None => w.payload.clone(),
        };
        if patch.is_empty() {
            return Ok((Outcome::Unchanged, id, None));
        }
        match self.provider.update(self.http, &id, &patch).await {
            Ok(()) => Ok((Outcome::Updated, id, None)),
            // The remote record is gone: create it again (after a lookup).
            Err(SyncError::NotFound(_)) => self.create_or_link(w).await,
            Err(e) => Err(e),
        }
    }

    /// Links a found record (and brings it up to date) or creates one, exactly once.
    async fn create_or_link(
        &self,
        w: &Work,
    ) -> Result<(Outcome, String, Option<String>), SyncError> {
        let pid = w.person.id.as_str();
        if let Some(id) = self.lookup(w).await? {
            self.provider.update(self.http, &id, &w.payload).await?;
            let why = "linked to an existing record with the same email, phone or name";
            return Ok((Outcome::Updated, id, Some(why.into())));
        }
        let key = format!("carnet-{}-{}", w.person.id, &w.hash[..16]);
        let mut delays = ExponentialBuilder::default()
            .with_min_delay(self.http.config().min_backoff)
            .with_max_delay(self.http.config().max_backoff)
            .with_jitter()
            .build();
        let max = self.http.config().max_attempts.max(1);
        let claimed = |id: &str| self.claimed_by_other(id, pid);
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self
                .provider
                .create(self.http, &w.payload, &key, &claimed)
                .await
            {
                Ok(Created::New(id)) => {
                    self.claim(&id, pid);
                    return Ok((Outcome::Created, id, None));
                }
                Ok(Created::Existing(id)) => {
                    if !self.claim(&id, pid) {
                        return Err(SyncError::Invalid(format!(
                            "the CRM says this person exists as {id}, which is linked to another person"
                        )));
                    }
                    self.provider.update(self.http, &id, &w.payload).await?;
                    let why = "the CRM already had this person: linked and updated";
                    return Ok((Outcome::Updated, id, Some(why.into())));
                }
                Err(e) if e.is_ambiguous() && attempt < max => {
                    // The create may have gone through: look before sending it again.
                    if let Some(d) = delays.next() {
                        tokio::time::sleep(d).await;
                    }
                    if let Some(id) = self.lookup(w).await? {
                        let why = format!("the create's answer was lost ({e}); found it by lookup");
                        return Ok((Outcome::Created, id, Some(why)));
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The first remote record matching the payload that no other person has.
    async fn lookup(&self, w: &Work) -> Result<Option<String>, SyncError> {
        let pid = w.person.id.as_str();
        let found = self.provider.find(self.http, &w.payload).await?;
        Ok(found.into_iter().find(|id| self.claim(id, pid)))
    }
}
