//! Sync commands: accounts (add with the token into the OS keyring, remove), status,
//! push or preview an account with progress events and Cancel, and the run log. Each
//! command is one `carnet_sync` call; a push runs on its own connection to the database
//! (WAL) on a blocking thread, so the window stays responsive while it runs.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use carnet_core::{Error, Store};
use carnet_sync::{
    secrets, Account, AccountStatus, CancelFlag, NewAccount, PushOptions, RunReport, SyncEvent,
    Token,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::error::CmdResult;
use crate::state::AppState;

/// A push's progress as one Tauri event (`sync-progress`); per-person events are sent
/// at most every [`PROGRESS_EVERY`], the start and the end at once.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    pub account_id: String,
    pub event: SyncEvent,
}

const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// The cancel flags of the pushes running now, by account id.
#[derive(Default)]
pub struct SyncRuns(Mutex<HashMap<String, CancelFlag>>);

/// Every account with its synced, failed and pending counts and its last run.
#[tauri::command]
#[specta::specta]
pub async fn sync_status(state: State<'_, AppState>) -> CmdResult<Vec<AccountStatus>> {
    Ok(carnet_sync::status(&*state.store()?).map_err(Error::from)?)
}

/// Adds an account. `token` goes to the OS keyring, never to SQLite; without one the
/// app must have been started with `CARNET_SYNC_TOKEN` (the headless path).
#[tauri::command]
#[specta::specta]
pub async fn sync_account_add(
    state: State<'_, AppState>,
    account: NewAccount,
    token: Option<String>,
) -> CmdResult<Account> {
    let token = token
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    carnet_sync::validate_account(&*state.store()?, &account)?;
    if token.is_none() && secrets::env_token().is_none() {
        return Err(Error::validation("token", "enter the account's API token").into());
    }
    let added = carnet_sync::add_account(&mut *state.store()?, &account).map_err(Error::from)?;
    if let Some(t) = token {
        let id = added.id.clone();
        let saved =
            tauri::async_runtime::spawn_blocking(move || secrets::save_token(&id, &Token::new(t)))
                .await
                .map_err(|e| Error::internal(e.to_string()))?;
        if let Err(e) = saved {
            // Nothing half-done: without its token the account is removed again.
            carnet_sync::remove_account(&mut *state.store()?, &added.id).map_err(Error::from)?;
            return Err(Error::validation("token", e.to_string()).into());
        }
    }
    Ok(added)
}

/// Removes an account, its links and its token.
#[tauri::command]
#[specta::specta]
pub async fn sync_account_remove(state: State<'_, AppState>, id: String) -> CmdResult<Account> {
    let removed = carnet_sync::remove_account(&mut *state.store()?, &id).map_err(Error::from)?;
    let rid = removed.id.clone();
    // A keyring that is not there holds no token: nothing to remove then.
    let _ = tauri::async_runtime::spawn_blocking(move || secrets::delete_token(&rid)).await;
    Ok(removed)
}

/// Pushes every live person to an account (or, with `dry_run`, reports what would be
/// sent and writes nothing). Returns the run's report, also kept in the log.
#[tauri::command]
#[specta::specta]
pub async fn sync_push(
    app: AppHandle,
    state: State<'_, AppState>,
    runs: State<'_, SyncRuns>,
    account_id: String,
    dry_run: bool,
) -> CmdResult<RunReport> {
    let account = carnet_sync::get_account(&*state.store()?, &account_id).map_err(Error::from)?;
    let cancel = CancelFlag::new();
    {
        let mut running = runs.0.lock().unwrap_or_else(|p| p.into_inner());
        if running.contains_key(&account.id) {
            return Err(Error::validation("accountId", "a push to this account is running").into());
        }
        running.insert(account.id.clone(), cancel.clone());
    }
    let db_path = state.db_path.clone();
    let id = account.id.clone();
    let result = tauri::async_runtime::spawn_blocking(move || -> carnet_core::Result<RunReport> {
        let token = secrets::token_for(&account.id).map_err(Error::from)?;
        let mut store = Store::open(&db_path)?;
        let last = Mutex::new(Instant::now() - PROGRESS_EVERY);
        let account_id = account.id.clone();
        let opts = PushOptions {
            dry_run,
            cancel,
            progress: Some(std::sync::Arc::new(move |e: &SyncEvent| {
                if let SyncEvent::Item { done, total, .. } = e {
                    let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
                    if done < total && last.elapsed() < PROGRESS_EVERY {
                        return;
                    }
                    *last = Instant::now();
                }
                let _ = SyncProgress {
                    account_id: account_id.clone(),
                    event: e.clone(),
                }
                .emit(&app);
            })),
            ..Default::default()
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::internal(format!("cannot start the sync runtime: {e}")))?;
        rt.block_on(carnet_sync::push(&mut store, &account, &token, &opts))
            .map_err(Error::from)
    })
    .await
    .map_err(|e| Error::internal(e.to_string()));
    runs.0.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
    Ok(result??)
}

/// Asks a running push to stop before its next person; false when none is running.
#[tauri::command]
#[specta::specta]
pub async fn sync_cancel(runs: State<'_, SyncRuns>, account_id: String) -> CmdResult<bool> {
    let running = runs.0.lock().unwrap_or_else(|p| p.into_inner());
    Ok(running.get(&account_id).map(|c| c.cancel()).is_some())
}

/// Recent runs (newest first, without their items), of one account or all.
#[tauri::command]
#[specta::specta]
pub async fn sync_runs(
    state: State<'_, AppState>,
    account_id: Option<String>,
    limit: u32,
) -> CmdResult<Vec<RunReport>> {
    Ok(
        carnet_sync::list_runs(&*state.store()?, account_id.as_deref(), limit)
            .map_err(Error::from)?,
    )
}

/// One run with every person's line.
#[tauri::command]
#[specta::specta]
pub async fn sync_run(state: State<'_, AppState>, run_id: String) -> CmdResult<RunReport> {
    Ok(carnet_sync::get_run(&*state.store()?, &run_id).map_err(Error::from)?)
}
