//! The state the window shares: one open [`Store`] behind a mutex.
//!
//! `Store` holds a SQLite connection, which is `Send` but not `Sync`, so commands take
//! the lock for the length of one core call. SQLite in WAL mode lets the CLI read and
//! write the same file meanwhile.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use carnet_core::Store;

use crate::error::AppError;

pub struct AppState {
    store: Mutex<Store>,
    pub db_path: PathBuf,
}

impl AppState {
    pub fn new(store: Store, db_path: PathBuf) -> Self {
        AppState {
            store: Mutex::new(store),
            db_path,
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
