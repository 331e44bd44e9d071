//! Import and export commands. The file is chosen with a native dialog opened here, in
//! Rust (tauri-plugin-dialog), and kept under a handle: the webview never sees or sends a
//! path, so the app needs no fs permission at all. An import runs on its own connection
//! to the database (WAL) on a blocking thread, reports batched progress events and can
//! be cancelled (nothing written); the window keeps reading meanwhile.
//!
//! WebDriver cannot drive a GTK file dialog, so in DEBUG builds only the environment
//! variables `CARNET_E2E_PICK_OPEN` and `CARNET_E2E_PICK_SAVE` stand in for the user's
//! choice (the end-to-end tests set them). Release builds always show the dialog.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use carnet_core::interchange::{ExportOptions, Format, ImportOptions, ImportReport};
use carnet_core::{Error, Store};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_specta::Event;

use crate::error::CmdResult;
use crate::state::AppState;

/// Files the user picked for import, by handle, with the cancel flag of a running import.
#[derive(Default)]
pub struct Picked(Mutex<HashMap<String, (PathBuf, Arc<AtomicBool>)>>);

/// The file the user chose to import.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PickedFile {
    pub handle: String,
    pub file_name: String,
    pub size_bytes: f64,
    /// From the extension, else the content; null when neither tells.
    pub format: Option<Format>,
}

/// An import's progress (`import-progress`), at most every [`PROGRESS_EVERY`].
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub handle: String,
    pub done: u32,
    pub total: u32,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportResult {
    pub file_name: String,
    pub count: u32,
}

const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// The stand-in for a dialog in debug builds (see the module doc).
fn test_pick(var: &str) -> Option<PathBuf> {
    if cfg!(debug_assertions) {
        std::env::var_os(var).map(PathBuf::from)
    } else {
        None
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// Shows the open dialog; `null` when the user cancels it.
#[tauri::command]
#[specta::specta]
pub async fn import_pick(
    app: AppHandle,
    picked: State<'_, Picked>,
) -> CmdResult<Option<PickedFile>> {
    let path = match test_pick("CARNET_E2E_PICK_OPEN") {
        Some(p) => Some(p),
        None => tauri::async_runtime::spawn_blocking(move || {
            app.dialog()
                .file()
                .set_title("Import contacts")
                .add_filter(
                    "Contacts (vCard, CSV, JSON)",
                    &["vcf", "vcard", "csv", "tsv", "json"],
                )
                .blocking_pick_file()
                .and_then(|f| f.as_path().map(Path::to_path_buf))
        })
        .await
        .map_err(|e| Error::internal(e.to_string()))?,
    };
    let Some(path) = path else { return Ok(None) };
    let meta = std::fs::metadata(&path).map_err(|e| Error::io(&path, &e))?;
    let format = Format::from_extension(&path).or_else(|| {
        let head = std::fs::read(&path).ok()?;
        Format::sniff(&head[..head.len().min(4096)])
    });
    let handle = carnet_core::db::new_id();
    let out = PickedFile {
        handle: handle.clone(),
        file_name: file_name(&path),
        size_bytes: meta.len() as f64,
        format,
    };
    picked
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(handle, (path, Arc::new(AtomicBool::new(false))));
    Ok(Some(out))
}

/// Imports (or, with `options.dryRun`, previews) the picked file.
#[tauri::command]
#[specta::specta]
pub async fn import_run(
    app: AppHandle,
    state: State<'_, AppState>,
    picked: State<'_, Picked>,
    handle: String,
    options: ImportOptions,
) -> CmdResult<ImportReport> {
    let (path, cancel) = picked
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&handle)
        .cloned()
        .ok_or_else(|| Error::validation("handle", "choose the file again"))?;
    cancel.store(false, std::sync::atomic::Ordering::SeqCst);
    let db_path = state.db_path.clone();
    let report = tauri::async_runtime::spawn_blocking(move || {
        let mut store = Store::open(&db_path)?;
        let mut last = Instant::now() - PROGRESS_EVERY;
        let mut progress = |done: usize, total: usize| {
            if done < total && last.elapsed() < PROGRESS_EVERY {
                return;
            }
            last = Instant::now();
            let _ = ImportProgress {
                handle: handle.clone(),
                done: done as u32,
                total: total as u32,
            }
            .emit(&app);
        };
        let report = store.import_file(&path, &options, &mut progress, &cancel);
        // Closing the store copies the import's write-ahead log into the database file
        // (a second or so at 100k people): done on a thread of its own, so that the
        // report goes back to the window first.
        std::thread::spawn(move || drop(store));
        report
    })
    .await
    .map_err(|e| Error::internal(e.to_string()))??;
    Ok(report)
}

/// Stops a running import before its next record; nothing is written.
#[tauri::command]
#[specta::specta]
pub async fn import_cancel(picked: State<'_, Picked>, handle: String) -> CmdResult<bool> {
    let map = picked.0.lock().unwrap_or_else(|p| p.into_inner());
    Ok(map
        .get(&handle)
        .map(|(_, c)| c.store(true, std::sync::atomic::Ordering::SeqCst))
        .is_some())
}

/// Shows the save dialog and exports every person there; `null` when the user cancels.
#[tauri::command]
#[specta::specta]
pub async fn export_to_file(
    app: AppHandle,
    state: State<'_, AppState>,
    options: ExportOptions,
) -> CmdResult<Option<ExportResult>> {
    let ext = match options.format {
        Format::Vcard => "vcf",
        Format::Csv => "csv",
        Format::Json => "json",
    };
    let suggested = format!("carnet-{}.{ext}", &carnet_core::db::now()[..10]);
    let path = match test_pick("CARNET_E2E_PICK_SAVE") {
        Some(p) => Some(p),
        None => tauri::async_runtime::spawn_blocking(move || {
            app.dialog()
                .file()
                .set_title("Export contacts")
                .set_file_name(suggested)
                .add_filter(ext, &[ext])
                .blocking_save_file()
                .and_then(|f| f.as_path().map(Path::to_path_buf))
        })
        .await
        .map_err(|e| Error::internal(e.to_string()))?,
    };
    let Some(path) = path else { return Ok(None) };
    let db_path = state.db_path.clone();
    let result =
        tauri::async_runtime::spawn_blocking(move || -> carnet_core::Result<ExportResult> {
            let store = Store::open(&db_path)?;
            // Written next to the target and renamed: a failed export leaves no half file.
            let tmp = path.with_extension(format!("{ext}.part"));
            let mut file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, &e))?;
            let count = store.export_to(&mut file, &options)?;
            file.sync_all().map_err(|e| Error::io(&tmp, &e))?;
            std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, &e))?;
            Ok(ExportResult {
                file_name: file_name(&path),
                count,
            })
        })
        .await
        .map_err(|e| Error::internal(e.to_string()))??;
    Ok(Some(result))
}
