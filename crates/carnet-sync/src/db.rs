//! The sync tables (migration `0005_sync.sql` in core): accounts, links, runs and run
//! items. All SQL of the sync lives here. Tokens are never written to any of them.
//!
//! Writes go through `Store::transaction`, so a link is saved in the same transaction as
//! the run item that reports it: a crash mid-push leaves either both or neither.

use std::collections::HashMap;

use carnet_core::Store;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::SyncError;
use crate::provider::{LocalField, LocalFields, ProviderKind};
use crate::report::{ItemReport, Outcome, RunReport, Summary};

/// A CRM account (without its token).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: String,
    pub provider: ProviderKind,
    pub display_name: String,
    /// The part before the documents' paths (`https://api.folk.app`).
    pub base_url: String,
    /// Provider settings: `group` (folk), `fieldMap` (Pipedrive), `defaultRegion`.
    pub settings: Value,
    pub created_at: String,
    pub updated_at: String,
}

/// What `add_account` needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NewAccount {
    pub provider: ProviderKind,
    pub display_name: String,
    pub base_url: String,
    #[serde(default)]
    pub settings: Value,
}

/// The link of one person to one account.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Link {
    pub remote_id: Option<String>,
    pub payload_hash: Option<String>,
    pub payload: Option<Map<String, Value>>,
    pub state: String,
}

fn account_row(r: &Row<'_>) -> rusqlite::Result<(Account, String)> {
    let provider: String = r.get(1)?;
    let settings: String = r.get(4)?;
    let account = Account {
        id: r.get(0)?,
        provider: provider.parse().unwrap_or(ProviderKind::Introzy),
        display_name: r.get(2)?,
        base_url: r.get(3)?,
        settings: serde_json::from_str(&settings).unwrap_or(Value::Object(Map::new())),
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
    };
    Ok((account, provider))
}

const ACCOUNT_COLS: &str = "id, provider, display_name, base_url, settings, created_at, updated_at";

/// Checks a base URL: absolute http(s), no query, no credentials.
pub fn check_base_url(url: &str) -> Result<String, SyncError> {
    let u = url.trim().trim_end_matches('/');
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or_else(|| {
            SyncError::Invalid(format!(
                "base URL {u:?} must start with https:// or http://"
            ))
        })?;
    if rest.is_empty() || rest.contains('?') || rest.contains('@') || rest.contains(' ') {
        return Err(SyncError::Invalid(format!(
            "base URL {u:?} must be scheme://host[/path], without query or credentials"
        )));
    }
    Ok(u.to_string())
}

/// Checks a new account field by field (display name free and not empty, base URL,
/// settings an object) and names the field at fault, for the window's inline errors.
/// [`add_account`] makes the same checks.
pub fn validate_account(store: &Store, new: &NewAccount) -> carnet_core::Result<()> {
    use carnet_core::Error;
    let name = new.display_name.trim();
    if name.is_empty() {
        return Err(Error::validation(
            "displayName",
            "an account needs a display name",
        ));
    }
    let taken: Option<String> = store
        .connection()
        .query_row(
            "SELECT id FROM sync_accounts WHERE display_name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| Error::new(carnet_core::ErrorCode::Storage, None, e.to_string()))?;
    if taken.is_some() {
        return Err(Error::validation(
            "displayName",
            format!("an account named {name:?} already exists"),
        ));
    }
    if let Err(SyncError::Invalid(m)) = check_base_url(&new.base_url) {
        return Err(Error::validation("baseUrl", m));
    }
    if !(new.settings.is_null() || new.settings.is_object()) {
        return Err(Error::validation(
            "settings",
            "account settings must be a JSON object",
        ));
    }
    Ok(())
}

/// Adds an account.
pub fn add_account(store: &mut Store, new: &NewAccount) -> Result<Account, SyncError> {
    let base = check_base_url(&new.base_url)?;
    let name = new.display_name.trim();
    if name.is_empty() {
        return Err(SyncError::Invalid("an account needs a display name".into()));
    }
    let settings = if new.settings.is_null() {
        Value::Object(Map::new())
    } else if new.settings.is_object() {
        new.settings.clone()
    } else {
        return Err(SyncError::Invalid(
            "account settings must be a JSON object".into(),
        ));
    };
    let id = carnet_core::db::new_id();
    let now = carnet_core::db::now();
    let taken = store.transaction(|tx| {
        let exists: Option<String> = tx
            .query_row(
                "SELECT id FROM sync_accounts WHERE display_name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_some() {
            return Ok(true);
        }
        tx.execute(
            "INSERT INTO sync_accounts (id, provider, display_name, base_url, settings, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![id, new.provider.as_str(), name, base, settings.to_string(), now],
        )?;
        Ok(false)
    })?;
    if taken {
        return Err(SyncError::Invalid(format!(
            "an account named {name:?} already exists"
        )));
    }
    get_account(store, &id)
}

/// All accounts, by name.
pub fn list_accounts(store: &Store) -> Result<Vec<Account>, SyncError> {
    let conn = store.connection();
    let mut stmt = conn.prepare(&format!(
        "SELECT {ACCOUNT_COLS} FROM sync_accounts ORDER BY display_name"
    ))?;
    let rows = stmt.query_map([], account_row)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r?.0);
    }
    Ok(out)
}

/// An account by id or display name.
pub fn get_account(store: &Store, id_or_name: &str) -> Result<Account, SyncError> {
    store
        .connection()
        .query_row(
            &format!("SELECT {ACCOUNT_COLS} FROM sync_accounts WHERE id = ?1 OR display_name = ?1"),
            [id_or_name],
            account_row,
        )
        .optional()?
        .map(|(a, _)| a)
        .ok_or_else(|| SyncError::Invalid(format!("no sync account {id_or_name:?}")))
}

/// Removes an account with its links and log (not its people). Returns it.
pub fn remove_account(store: &mut Store, id_or_name: &str) -> Result<Account, SyncError> {
    let account = get_account(store, id_or_name)?;
    store.transaction(|tx| {
        tx.execute("DELETE FROM sync_accounts WHERE id = ?1", [&account.id])?;
        Ok(())
    })?;
    Ok(account)
}

/// The account a headless push (`--provider P --base-url URL`) uses: found by provider
/// and base URL, created on first use, so links survive from one push to the next.
pub fn headless_account(
    store: &mut Store,
    provider: ProviderKind,
    base_url: &str,
) -> Result<Account, SyncError> {
    let base = check_base_url(base_url)?;
    let found: Option<String> = store
        .connection()
        .query_row(
            "SELECT id FROM sync_accounts WHERE provider = ?1 AND base_url = ?2 ORDER BY created_at LIMIT 1",
            params![provider.as_str(), base],
            |r| r.get(0),
        )
        .optional()?;
    match found {
        Some(id) => get_account(store, &id),
        None => add_account(
            store,
            &NewAccount {
                provider,
                display_name: format!("{} {}", provider.as_str(), base),
                base_url: base,
                settings: Value::Object(Map::new()),
            },
        ),
    }
}

pub(crate) fn load_links(
    conn: &Connection,
    account_id: &str,
) -> Result<HashMap<String, Link>, SyncError> {
    let mut stmt = conn.prepare(
        "SELECT person_id, remote_id, payload_hash, payload, state FROM sync_links WHERE account_id = ?1",
    )?;
    let rows = stmt.query_map([account_id], |r| {
        let payload: Option<String> = r.get(3)?;
        Ok((
            r.get::<_, String>(0)?,
            Link {
                remote_id: r.get(1)?,
                payload_hash: r.get(2)?,
                payload: payload.and_then(|p| serde_json::from_str(&p).ok()),
                state: r.get(4)?,
            },
        ))
    })?;
    let mut out = HashMap::new();
    for r in rows {
        let (k, v) = r?;
        out.insert(k, v);
    }
    Ok(out)
}

/// The local custom-field schema of people, from core's field definitions.
pub(crate) fn local_fields(store: &Store) -> Result<LocalFields, SyncError> {
    let defs = store.list_fields(Some(carnet_core::FieldEntity::Person))?;
    Ok(defs
        .into_iter()
        .map(|d| {
            let field = LocalField {
                key: d.key.clone(),
                label: d.label,
                kind: d.field_type.as_str().to_string(),
                options: d.options.into_iter().map(|o| o.label).collect(),
            };
            (d.key, field)
        })
        .collect())
}

pub(crate) fn start_run(
    store: &mut Store,
    account_id: &str,
    dry_run: bool,
    total: usize,
) -> Result<String, SyncError> {
    let id = carnet_core::db::new_id();
    let now = carnet_core::db::now();
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    store.transaction(|tx| {
        tx.execute(
            "INSERT INTO sync_runs (id, account_id, started_at, dry_run, status, total) VALUES (?1, ?2, ?3, ?4, 'running', ?5)",
            params![id, account_id, now, dry_run, total],
        )?;
        Ok(())
    })?;
    Ok(id)
}

/// What to do to the link of a reported item.
pub(crate) enum LinkChange {
    None,
    /// Pushed: remote id, hash and payload now on the CRM.
    Synced {
        remote_id: String,
        hash: String,
        payload: Map<String, Value>,
        local_updated_at: String,
    },
    /// Not pushed: keep whatever was there, mark the edit pending with the error.
    Failed {
        error: String,
    },
}

/// Saves one item of a run and its link change in one transaction.
pub(crate) fn save_item(
    store: &mut Store,
    run_id: &str,
    account_id: &str,
    position: usize,
    item: &ItemReport,
    change: LinkChange,
) -> Result<(), SyncError> {
    let now = carnet_core::db::now();
    let pos = i64::try_from(position).unwrap_or(i64::MAX);
    let dropped = serde_json::to_string(&item.dropped).unwrap_or_else(|_| "[]".into());
    let payload = item.payload.as_ref().map(Value::to_string);
    store.transaction(|tx| {
        tx.execute(
            "INSERT INTO sync_run_items (run_id, position, person_id, person_name, outcome, remote_id, reason, dropped, payload)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![run_id, pos, item.person_id, item.person_name, item.outcome.as_str(), item.remote_id, item.reason, dropped, payload],
        )?;
        match &change {
            LinkChange::None => {}
            LinkChange::Synced { remote_id, hash, payload, local_updated_at } => {
                tx.execute(
                    "INSERT INTO sync_links (person_id, account_id, remote_id, payload_hash, payload, pushed_at, local_updated_at, state, last_error)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'synced', NULL)
                     ON CONFLICT(person_id, account_id) DO UPDATE SET remote_id = excluded.remote_id,
                       payload_hash = excluded.payload_hash, payload = excluded.payload, pushed_at = excluded.pushed_at,
                       local_updated_at = excluded.local_updated_at, state = 'synced', last_error = NULL",
                    params![item.person_id, account_id, remote_id, hash, Value::Object(payload.clone()).to_string(), now, local_updated_at],
                )?;
            }
            LinkChange::Failed { error } => {
                tx.execute(
                    "INSERT INTO sync_links (person_id, account_id, state, last_error) VALUES (?1, ?2, 'failed', ?3)
                     ON CONFLICT(person_id, account_id) DO UPDATE SET state = 'failed', last_error = excluded.last_error",
                    params![item.person_id, account_id, error],
                )?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

pub(crate) fn finish_run(
    store: &mut Store,
    run_id: &str,
    status: &str,
    summary: &Summary,
    error: Option<&str>,
) -> Result<(), SyncError> {
    let now = carnet_core::db::now();
    store.transaction(|tx| {
        tx.execute(
            "UPDATE sync_runs SET finished_at = ?2, status = ?3, created = ?4, updated = ?5, unchanged = ?6, skipped = ?7, failed = ?8, error = ?9 WHERE id = ?1",
            params![run_id, now, status, summary.created, summary.updated, summary.unchanged, summary.skipped, summary.failed, error],
        )?;
        Ok(())
    })?;
    Ok(())
}

fn run_row(r: &Row<'_>) -> rusqlite::Result<RunReport> {
    Ok(RunReport {
        id: r.get(0)?,
        account_id: r.get(1)?,
        started_at: r.get(2)?,
        finished_at: r.get(3)?,
        dry_run: r.get(4)?,
        status: r.get(5)?,
        total: r.get(6)?,
        summary: Summary {
            created: r.get(7)?,
            updated: r.get(8)?,
            unchanged: r.get(9)?,
            skipped: r.get(10)?,
            failed: r.get(11)?,
        },
        error: r.get(12)?,
        items: Vec::new(),
    })
}

const RUN_COLS: &str = "id, account_id, started_at, finished_at, dry_run, status, total, created, updated, unchanged, skipped, failed, error";

/// Recent runs (newest first), optionally of one account.
pub fn list_runs(
    store: &Store,
    account_id: Option<&str>,
    limit: u32,
) -> Result<Vec<RunReport>, SyncError> {
    let conn = store.connection();
    let mut stmt = conn.prepare(&format!(
        "SELECT {RUN_COLS} FROM sync_runs WHERE ?1 IS NULL OR account_id = ?1 ORDER BY started_at DESC, id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![account_id, limit], run_row)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r?);
    }
    Ok(out)
}

/// One run with its items.
pub fn get_run(store: &Store, run_id: &str) -> Result<RunReport, SyncError> {
    let conn = store.connection();
    let mut run = conn
        .query_row(
            &format!("SELECT {RUN_COLS} FROM sync_runs WHERE id = ?1"),
            [run_id],
            run_row,
        )
        .optional()?
        .ok_or_else(|| SyncError::Invalid(format!("no sync run {run_id:?}")))?;
    let mut stmt = conn.prepare(
        "SELECT person_id, person_name, outcome, remote_id, reason, dropped, payload FROM sync_run_items WHERE run_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([run_id], |r| {
        let outcome: String = r.get(2)?;
        let dropped: String = r.get(5)?;
        let payload: Option<String> = r.get(6)?;
        Ok(ItemReport {
            person_id: r.get(0)?,
            person_name: r.get(1)?,
            outcome: Outcome::parse(&outcome),
            remote_id: r.get(3)?,
            reason: r.get(4)?,
            dropped: serde_json::from_str(&dropped).unwrap_or_default(),
            payload: payload.and_then(|p| serde_json::from_str(&p).ok()),
        })
    })?;
    for r in rows {
        run.items.push(r?);
    }
    Ok(run)
}

/// Per-account link counts for `sync status`: `(synced, failed)`.
pub(crate) fn link_counts(conn: &Connection, account_id: &str) -> Result<(u32, u32), SyncError> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(state = 'synced'), 0), coalesce(sum(state <> 'synced'), 0) FROM sync_links WHERE account_id = ?1",
        [account_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Live people edited since their last successful push, or never pushed.
pub(crate) fn pending_count(conn: &Connection, account_id: &str) -> Result<u32, SyncError> {
    Ok(conn.query_row(
        "SELECT count(*) FROM people p LEFT JOIN sync_links l ON l.person_id = p.id AND l.account_id = ?1
         WHERE p.deleted_at IS NULL AND (l.person_id IS NULL OR l.state <> 'synced' OR l.local_updated_at IS NULL OR p.updated_at > l.local_updated_at)",
        [account_id],
        |r| r.get(0),
    )?)
}
