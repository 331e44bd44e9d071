//! `carnet sync ...`: CRM accounts, push (with dry run), status and the run log, over
//! `carnet_sync`. The contract of DESIGN.md: `carnet sync push --provider P --base-url URL
//! [--dry-run] [--json]` reads its token from `CARNET_SYNC_TOKEN`, and the last line on
//! stdout is always the JSON summary `{"created","updated","unchanged","skipped","failed"}`.
//! Tokens are read from the keyring or the environment, never printed.

use std::io::Read;

use carnet_core::{Error, ErrorCode, Result, Store};
use carnet_sync::{secrets, NewAccount, ProviderKind, PushOptions, RunReport, SyncError, Token};
use clap::{Args, Subcommand};
use serde_json::Value;

use crate::output::print_json;

#[derive(Subcommand, Debug)]
pub enum SyncCmd {
    /// CRM accounts: add, list, remove (tokens go to the OS keyring).
    Accounts {
        #[command(subcommand)]
        cmd: AccountsCmd,
    },
    /// Push people to a CRM: an ACCOUNT, or headless with --provider and --base-url
    /// (token from CARNET_SYNC_TOKEN). Last stdout line: the JSON summary.
    Push(PushArgs),
    /// Each account: synced, failed and pending people, last run.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// The runs (newest first), or one run's per-person report.
    Log {
        /// A run id: show its items.
        run: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum AccountsCmd {
    /// Add an account; the token (from --token-stdin or CARNET_SYNC_TOKEN) goes to the OS keyring.
    Add {
        #[arg(long)]
        provider: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        base_url: String,
        /// Provider settings as JSON: {"group": "..."} (folk), {"fieldMap": {...}} (Pipedrive).
        #[arg(long)]
        settings: Option<String>,
        /// Read the token from standard input.
        #[arg(long)]
        token_stdin: bool,
        #[arg(long)]
        json: bool,
    },
    /// List accounts (never tokens).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove an account, its links, its log and its keyring token.
    Remove { account: String },
}

#[derive(Args, Debug)]
pub struct PushArgs {
    /// Account id or name.
    pub account: Option<String>,
    #[arg(long)]
    pub provider: Option<String>,
    #[arg(long)]
    pub base_url: Option<String>,
    /// Show what would be sent; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub json: bool,
}

fn err(e: SyncError) -> Error {
    e.into()
}

pub fn run(store: &mut Store, cmd: SyncCmd) -> Result<()> {
    match cmd {
        SyncCmd::Accounts { cmd } => accounts(store, cmd),
        SyncCmd::Push(a) => push(store, a),
        SyncCmd::Status { json } => {
            let all = carnet_sync::status(store).map_err(err)?;
            if json {
                print_json(&all);
            }
            for s in all.iter().filter(|_| !json) {
                let last = s.last_run.as_ref().map_or("never".to_string(), |r| {
                    format!("{} {} {}", r.started_at, r.status, summary_line(r))
                });
                println!(
                    "{}  {}  {}  synced {}  failed {}  pending {}  last run: {last}",
                    s.account.display_name,
                    s.account.provider.as_str(),
                    s.account.base_url,
                    s.synced,
                    s.failed,
                    s.pending
                );
            }
            Ok(())
        }
        SyncCmd::Log { run, limit, json } => match run {
            Some(id) => {
                let r = carnet_sync::get_run(store, &id).map_err(err)?;
                if json {
                    print_json(&r);
                } else {
                    print_items(&r, false);
                    println!("{}", summary_line(&r));
                }
                Ok(())
            }
            None => {
                let runs = carnet_sync::list_runs(store, None, limit).map_err(err)?;
                if json {
                    print_json(&runs);
                }
                for r in runs.iter().filter(|_| !json) {
                    let dry = if r.dry_run { " (dry run)" } else { "" };
                    println!(
                        "{}  {}  {}{dry}  {}",
                        r.id,
                        r.started_at,
                        r.status,
                        summary_line(r)
                    );
                }
                Ok(())
            }
        },
    }
}

fn accounts(store: &mut Store, cmd: AccountsCmd) -> Result<()> {
    match cmd {
        AccountsCmd::Add {
            provider,
            name,
            base_url,
            settings,
            token_stdin,
            json,
        } => {
            let provider: ProviderKind = provider.parse().map_err(err)?;
            let settings = match settings {
                Some(s) => serde_json::from_str(&s).map_err(|e| {
                    Error::validation("settings", format!("is not valid JSON: {e}"))
                })?,
                None => Value::Null,
            };
            let token = if token_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s).map_err(|e| {
                    Error::validation("token", format!("cannot read standard input: {e}"))
                })?;
                Some(Token::new(s.trim()))
            } else {
                secrets::env_token()
            };
            let new = NewAccount {
                provider,
                display_name: name,
                base_url,
                settings,
            };
            let account = carnet_sync::add_account(store, &new).map_err(err)?;
            match token {
                Some(t) => {
                    if let Err(e) = secrets::save_token(&account.id, &t) {
                        // Keep the database and the keyring consistent: no half-added account.
                        let _ = carnet_sync::remove_account(store, &account.id);
                        return Err(err(e));
                    }
                }
                None => eprintln!(
                    "warning: no token given (--token-stdin or {}); pushes will need {}",
                    secrets::TOKEN_ENV,
                    secrets::TOKEN_ENV
                ),
            }
            if json {
                print_json(&account);
            } else {
                println!("{} added", account.id);
            }
            Ok(())
        }
        AccountsCmd::List { json } => {
            let all = carnet_sync::list_accounts(store).map_err(err)?;
            if json {
                print_json(&all);
            }
            for a in all.iter().filter(|_| !json) {
                println!(
                    "{}  {}  {}  {}",
                    a.id,
                    a.display_name,
                    a.provider.as_str(),
                    a.base_url
                );
            }
            Ok(())
        }
        AccountsCmd::Remove { account } => {
            let a = carnet_sync::remove_account(store, &account).map_err(err)?;
            if let Err(e) = secrets::delete_token(&a.id) {
                eprintln!("warning: {e}");
            }
            println!("{} removed", a.id);
            Ok(())
        }
    }
}

fn summary_line(r: &RunReport) -> String {
    serde_json::to_string(&r.summary).unwrap_or_default()
}

fn print_items(r: &RunReport, payloads: bool) {
    for i in &r.items {
        let remote = i.remote_id.as_deref().unwrap_or("-");
        let reason = i
            .reason
            .as_deref()
            .map(|s| format!("  ({s})"))
            .unwrap_or_default();
        println!(
            "{:<9} {}  {remote}{reason}",
            i.outcome.as_str(),
            i.person_name
        );
        for d in &i.dropped {
            println!("          not sent: {}: {}", d.field, d.reason);
        }
        if let (true, Some(p)) = (payloads, &i.payload) {
            println!("          payload: {p}");
        }
    }
}

fn push(store: &mut Store, a: PushArgs) -> Result<()> {
    let (account, token) = match (&a.account, &a.provider, &a.base_url) {
        (Some(name), None, None) => {
            let account = carnet_sync::get_account(store, name).map_err(err)?;
            let token = secrets::token_for(&account.id).map_err(err)?;
            (account, token)
        }
        (None, Some(p), Some(url)) => {
            let provider: ProviderKind = p.parse().map_err(err)?;
            let token = secrets::env_token().ok_or_else(|| {
                Error::validation(
                    "token",
                    format!(
                        "a headless push reads its token from {}, which is not set",
                        secrets::TOKEN_ENV
                    ),
                )
            })?;
            let account = carnet_sync::headless_account(store, provider, url).map_err(err)?;
            (account, token)
        }
        _ => {
            return Err(Error::validation(
                "account",
                "give an ACCOUNT, or --provider and --base-url (with CARNET_SYNC_TOKEN)",
            ))
        }
    };
    let opts = PushOptions {
        dry_run: a.dry_run,
        ..PushOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::internal(format!("cannot start the async runtime: {e}")))?;
    let report = runtime
        .block_on(carnet_sync::push(store, &account, &token, &opts))
        .map_err(err)?;
    if a.json {
        match serde_json::to_string(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("error[internal] cannot print JSON: {e}"),
        }
    } else {
        print_items(&report, a.dry_run);
        println!(
            "run {}{}",
            report.id,
            if a.dry_run {
                " (dry run: nothing sent)"
            } else {
                ""
            }
        );
    }
    println!("{}", summary_line(&report));
    if report.summary.failed > 0 {
        return Err(Error::new(
            ErrorCode::Internal,
            Some("sync".into()),
            format!(
                "{} people could not be pushed; their edits stay pending (see `carnet sync log {}`)",
                report.summary.failed, report.id
            ),
        ));
    }
    Ok(())
}
