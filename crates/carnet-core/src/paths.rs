//! Where the database lives: `--db`, then `CARNET_DB`, then the platform data directory.

use std::path::PathBuf;

use crate::error::{Error, ErrorCode, Result};

/// Environment variable that overrides the database path for the CLI and the app.
pub const DB_ENV: &str = "CARNET_DB";

/// The platform data directory for an application id (`carnet`, or `carnet-dev` for dev builds).
pub fn data_dir_for(app: &str) -> Result<PathBuf> {
    directories::ProjectDirs::from("app", "Carnet", app)
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| Error::new(ErrorCode::Io, None, "Cannot find a home directory for the default database; pass --db PATH or set CARNET_DB."))
}

/// The default database file, `carnet.db` in the platform data directory.
pub fn default_db_path() -> Result<PathBuf> {
    Ok(data_dir_for("carnet")?.join("carnet.db"))
}

/// Resolve the database path: explicit, then `CARNET_DB`, then the default.
pub fn resolve_db_path(explicit: Option<PathBuf>) -> Result<PathBuf> {
    resolve_db_path_for(explicit, "carnet")
}

/// Like [`resolve_db_path`] with another application folder (dev builds use `carnet-dev`).
pub fn resolve_db_path_for(explicit: Option<PathBuf>, app: &str) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p);
    }
    if let Some(p) = std::env::var_os(DB_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    Ok(data_dir_for(app)?.join("carnet.db"))
}
