//! Facts about the running app the window shows (which database file is open).

use serde::Serialize;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Shown in the status bar so a user knows which file the window edits.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    /// True in debug builds, which use their own data folder.
    pub dev: bool,
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        db_path: state.db_path.display().to_string(),
        dev: cfg!(debug_assertions),
    })
}
