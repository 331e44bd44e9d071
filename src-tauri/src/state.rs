//! The state the window shares: one open [`Store`] behind a mutex.
//!
//! `Store` holds a SQLite connection, which is `Send` but not `Sync`, so commands take
//! the lock for the length of one core call. SQLite in WAL mode lets the CLI read and
//! write the same file meanwhile.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use carnet_core::Store;
use carnet_enrich::Engine;

use crate::error::AppError;

pub struct AppState {
    store: Mutex<Store>,
    pub db_path: PathBuf,
    /// The enrichment engine (its own connection to the same file, its tokio workers).
    pub enrich: Engine,
}

impl AppState {
    pub fn new(store: Store, db_path: PathBuf, enrich: Engine) -> Self {
        AppState {
            store: Mutex::new(store),
            db_path,
            enrich,
        }
    }

    /// The store, even if an earlier command panicked while holding the lock (each core
    /// write is one transaction, so the connection is still consistent).
    pub fn store(&self) -> Result<MutexGuard<'_, Store>, AppError> {
        Ok(self
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}
