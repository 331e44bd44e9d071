//! Carnet's sync engine: pushes people to Introzy, folk, Allo and Pipedrive so that each
//! local person exists exactly once on each CRM, whatever the network does, and no edit
//! is lost (a failed push leaves the edit pending for the next one).
//!
//! Public API (for the CLI and the desktop app; no Tauri here):
//!
//! ```text
//! add_account(&mut Store, &NewAccount) -> Result<Account>      list_accounts / get_account / remove_account
//! headless_account(&mut Store, ProviderKind, base_url) -> Result<Account>
//! secrets::{save_token, delete_token, token_for, env_token}     (OS keyring; CARNET_SYNC_TOKEN wins)
//! push(&mut Store, &Account, &Token, &PushOptions) -> Result<RunReport>   (async)
//! PushOptions { dry_run, config: SyncConfig, cancel: CancelFlag, progress: Option<ProgressFn> }
//! SyncEvent::{Started, Item, Finished}                          (progress callback)
//! status(&Store) -> Result<Vec<AccountStatus>>   list_runs(&Store, account, limit)   get_run(&Store, id)
//! IntrozyLinksHook::new(db_path)                               (enrichment's hook: a person's Introzy link + token)
//! ```
//!
//! Module map: `provider` (trait and shared mapping helpers), one module per CRM
//! (`introzy`, `folk`, `allo`, `pipedrive`), `http` (client, auth, retries), `error`
//! (classified errors), `engine` (change tracking, matching, exactly-once creates),
//! `db` (the sync tables), `report` (summary, items, events), `secrets` (tokens).
//! Non-goals: pulling changes from the CRMs, deleting remote records.

pub mod allo;
pub mod db;
pub mod engine;
pub mod error;
pub mod folk;
pub mod http;
pub mod introzy;
pub mod links;
pub mod pipedrive;
mod plan;
pub mod provider;
pub mod report;
pub mod secrets;

pub use db::{
    add_account, check_base_url, get_account, get_run, headless_account, list_accounts, list_runs,
    remove_account, validate_account, Account, NewAccount,
};
pub use engine::{push, CancelFlag, ProgressFn, PushOptions};
pub use error::{from_status, SyncError};
pub use http::{SyncConfig, Token};
pub use links::{introzy_link_of, IntrozyLinksHook};
pub use provider::{Dropped, ProviderKind};
pub use report::{AccountStatus, ItemReport, Outcome, RunReport, Summary, SyncEvent};

/// Every account with its link counts, pending people and last run.
pub fn status(store: &carnet_core::Store) -> Result<Vec<AccountStatus>, SyncError> {
    let mut out = Vec::new();
    for account in list_accounts(store)? {
        let (synced, failed) = db::link_counts(store.connection(), &account.id)?;
        let pending = db::pending_count(store.connection(), &account.id)?;
        let last_run = list_runs(store, Some(&account.id), 1)?.into_iter().next();
        out.push(AccountStatus {
            account,
            synced,
            failed,
            pending,
            last_run,
        });
    }
    Ok(out)
}
