//! Declares the app's own commands so that each needs an explicit `allow-*` permission in
//! `capabilities/`: a command missing from a capability cannot be invoked by the window.

/// Every `#[tauri::command]` of this crate. Keep in sync with `commands::builder()`
/// (the `commands_are_declared` test checks it).
pub const COMMANDS: &[&str] = &[
    "app_info",
    "people_list",
    "person_get",
    "person_create",
    "person_update",
    "person_trash",
    "person_restore",
    "person_purge",
    "tags_list",
    "companies_list",
    "company_get",
    "company_create",
    "company_update",
    "company_trash",
    "company_restore",
    "company_purge",
    "notes_list",
    "note_create",
    "note_update",
    "note_delete",
    "fields_list",
    "field_get",
    "field_create",
    "field_plan_update",
    "field_update",
    "field_plan_delete",
    "field_delete",
    "enrich_person",
    "enrich_shown",
    "enrich_jobs",
    "enrich_cancel",
    "enrich_suggestions",
    "enrich_accept",
    "enrich_reject",
    "enrich_accept_all",
    "enrich_reject_all",
    "enrich_history",
    "enrich_provenance",
    "enrich_settings",
    "enrich_set_endpoint",
    "sync_status",
    "sync_account_add",
    "sync_account_remove",
    "sync_push",
    "sync_cancel",
    "sync_runs",
    "sync_run",
    "import_pick",
    "import_run",
    "import_cancel",
    "export_to_file",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
