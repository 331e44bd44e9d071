//! The `#[tauri::command]` adapters: each unpacks its arguments, calls one core function
//! and returns its result or error. No logic lives here (see DESIGN.md, "Core has no
//! Tauri dependency"). Commands are `async` so they run off the UI thread.

pub mod app;
pub mod companies;
pub mod enrich;
pub mod fields;
pub mod interchange;
pub mod notes;
pub mod people;
pub mod sync;

use tauri_specta::{collect_commands, collect_events, Builder};

/// The typed command set; also what `bindings.ts` is generated from.
pub fn builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        // The only 64-bit integers on the wire are JSON numbers inside `customFields` and
        // command bodies (serde_json::Value); the webview parses them with JSON.parse as
        // `number` whatever the type says, so typing them `number` tells the truth.
        .dangerously_cast_bigints_to_number()
        .commands(collect_commands![
            app::app_info,
            people::people_list,
            people::person_get,
            people::person_create,
            people::person_update,
            people::person_trash,
            people::person_restore,
            people::person_purge,
            people::tags_list,
            companies::companies_list,
            companies::company_get,
            companies::company_create,
            companies::company_update,
            companies::company_trash,
            companies::company_restore,
            companies::company_purge,
            notes::notes_list,
            notes::note_create,
            notes::note_update,
            notes::note_delete,
            fields::fields_list,
            fields::field_get,
            fields::field_create,
            fields::field_plan_update,
            fields::field_update,
            fields::field_plan_delete,
            fields::field_delete,
            enrich::enrich_person,
            enrich::enrich_shown,
            enrich::enrich_jobs,
            enrich::enrich_cancel,
            enrich::enrich_suggestions,
            enrich::enrich_accept,
            enrich::enrich_reject,
            enrich::enrich_accept_all,
            enrich::enrich_reject_all,
            enrich::enrich_history,
            enrich::enrich_provenance,
            enrich::enrich_settings,
            enrich::enrich_set_endpoint,
            sync::sync_status,
            sync::sync_account_add,
            sync::sync_account_remove,
            sync::sync_push,
            sync::sync_cancel,
            sync::sync_runs,
            sync::sync_run,
            interchange::import_pick,
            interchange::import_run,
            interchange::import_cancel,
            interchange::export_to_file,
        ])
        .events(collect_events![
            enrich::EnrichProgress,
            sync::SyncProgress,
            interchange::ImportProgress
        ])
}
