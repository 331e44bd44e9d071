//! Carnet's desktop window: opens the database, registers the typed commands, runs Tauri.
//!
//! Everything a command does is done by `carnet-core`; this crate only adapts it to IPC.
//! The database is the one the CLI uses: `CARNET_DB` if set, else the platform data
//! folder. Debug builds use their own identifier and data folder (`carnet-dev`) so that
//! developing never touches a user's real contacts.

pub mod commands;
pub mod error;
pub mod state;

use std::path::PathBuf;

use carnet_core::paths::resolve_db_path_for;
use carnet_core::Store;

use crate::state::AppState;

/// Data-folder name and window identifier of this build.
fn app_folder() -> &'static str {
    if cfg!(debug_assertions) {
        "carnet-dev"
    } else {
        "carnet"
    }
}

/// Where the TypeScript bindings go (overridable with `BINDINGS_OUT`).
pub fn bindings_path() -> PathBuf {
    std::env::var_os("BINDINGS_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts"))
}

/// Writes `ui/src/bindings.ts` from the command set (run by `cargo test -p carnet-app`).
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    commands::builder()
        .export(specta_typescript::Typescript::default(), path)
        .map_err(|e| e.to_string())
}

/// Opens the store and runs the window until it is closed.
pub fn run() {
    let db_path = match resolve_db_path_for(None, app_folder()) {
        Ok(p) => p,
        Err(e) => fatal(&format!("cannot locate the database: {e}")),
    };
    if let Some(dir) = db_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            fatal(&format!("cannot create {}: {e}", dir.display()));
        }
    }
    let store = match Store::open(&db_path) {
        Ok(s) => s,
        Err(e) => fatal(&format!("cannot open {}: {e}", db_path.display())),
    };

    let engine = match enrich_engine(&db_path) {
        Ok(e) => e,
        Err(e) => fatal(&format!(
            "cannot start enrichment on {}: {e}",
            db_path.display()
        )),
    };

    let builder = commands::builder();
    let mut context = tauri::generate_context!();
    if cfg!(debug_assertions) {
        // Dev builds keep their own webview storage too.
        context.config_mut().identifier = "app.carnet.desktop.dev".into();
    }
    let result = tauri::Builder::default()
        .manage(AppState::new(store, db_path, engine.clone()))
        .manage(commands::sync::SyncRuns::default())
        .manage(commands::interchange::Picked::default())
        // Native open/save dialogs, called from Rust only (no dialog permission is granted
        // to the webview).
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            // Enrichment workers run on Tauri's tokio runtime; jobs a previous run left
            // unfinished resume. Their events reach the window as `EnrichProgress`.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let _workers = engine.start();
                commands::enrich::forward_events(handle, engine).await;
            });
            Ok(())
        })
        .run(context);
    if let Err(e) = result {
        fatal(&format!("the window failed: {e}"));
    }
}

/// The enrichment engine on the app's database: local enrichers, the user's HTTP
/// endpoint (token from `CARNET_ENRICH_TOKEN`, never stored) and Introzy's `/enrich` for
/// people pushed to an Introzy account (the sync crate's link hook).
fn enrich_engine(db_path: &std::path::Path) -> carnet_core::Result<carnet_enrich::Engine> {
    let opts = carnet_enrich::EngineOptions {
        introzy_links: Some(std::sync::Arc::new(carnet_sync::IntrozyLinksHook::new(
            db_path,
        ))),
        endpoint_token: std::env::var("CARNET_ENRICH_TOKEN")
            .ok()
            .filter(|t| !t.is_empty())
            .map(carnet_enrich::Secret::new),
        ..Default::default()
    };
    carnet_enrich::Engine::open(db_path, opts)
}

fn fatal(msg: &str) -> ! {
    eprintln!("carnet-app: {msg}");
    std::process::exit(1)
}

#[cfg(test)]
mod tests {
    /// Regenerates `ui/src/bindings.ts`; CI runs this and fails if git sees a change.
    #[test]
    fn export_bindings() {
        super::export_bindings(&super::bindings_path()).expect("export TypeScript bindings");
    }

    /// Every command in the builder is declared in build.rs (so it needs a permission).
    #[test]
    fn commands_are_declared() {
        let build_rs = include_str!("../build.rs");
        let caps = include_str!("../capabilities/default.json");
        // The builder's own TypeScript (not ui/src/bindings.ts, which the other test may be
        // rewriting at this moment).
        let out = std::env::temp_dir().join(format!("carnet-bindings-{}.ts", std::process::id()));
        super::export_bindings(&out).expect("export TypeScript bindings");
        let ts = std::fs::read_to_string(&out).expect("read the exported bindings");
        let _ = std::fs::remove_file(&out);
        for line in build_rs
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with('"') && l.ends_with("\","))
        {
            let name = line.trim_matches(|c| c == '"' || c == ',');
            let perm = format!("\"allow-{}\"", name.replace('_', "-"));
            assert!(
                caps.contains(&perm),
                "capabilities/default.json lacks {perm}"
            );
            assert!(
                ts.contains(&format!("\"{name}\"")),
                "bindings.ts lacks {name}"
            );
        }
    }
}
