//! Note commands: a person's notes (newest first), add, edit, delete.

use carnet_core::model::Note;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn notes_list(state: State<'_, AppState>, person_id: String) -> CmdResult<Vec<Note>> {
    Ok(state.store()?.list_notes(&person_id)?)
}

#[tauri::command]
#[specta::specta]
pub async fn note_create(
    state: State<'_, AppState>,
    person_id: String,
    body: String,
) -> CmdResult<Note> {
    Ok(state.store()?.create_note(&person_id, &body)?)
}

#[tauri::command]
#[specta::specta]
pub async fn note_update(state: State<'_, AppState>, id: String, body: String) -> CmdResult<Note> {
    Ok(state.store()?.update_note(&id, &body)?)
}

#[tauri::command]
#[specta::specta]
pub async fn note_delete(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    Ok(state.store()?.delete_note(&id)?)
}
