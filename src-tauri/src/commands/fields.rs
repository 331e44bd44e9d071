//! Custom-field schema commands: list, get, create, plan/apply an update, plan/apply a
//! delete. The UI shows a plan's counts, asks, then applies with `force`.

use carnet_core::fields::{FieldChangeReport, FieldChanges, FieldDef, FieldEntity, NewField};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn fields_list(
    state: State<'_, AppState>,
    entity: Option<FieldEntity>,
) -> CmdResult<Vec<FieldDef>> {
    Ok(state.store()?.list_fields(entity)?)
}

#[tauri::command]
#[specta::specta]
pub async fn field_get(state: State<'_, AppState>, key: String) -> CmdResult<FieldDef> {
    Ok(state.store()?.get_field(&key)?)
}

#[tauri::command]
#[specta::specta]
pub async fn field_create(state: State<'_, AppState>, input: NewField) -> CmdResult<FieldDef> {
    Ok(state.store()?.create_field(&input)?)
}

#[tauri::command]
#[specta::specta]
pub async fn field_plan_update(
    state: State<'_, AppState>,
    key: String,
    changes: FieldChanges,
) -> CmdResult<FieldChangeReport> {
    Ok(state.store()?.plan_field_update(&key, &changes)?)
}

#[tauri::command]
#[specta::specta]
pub async fn field_update(
    state: State<'_, AppState>,
    key: String,
    changes: FieldChanges,
    force: bool,
) -> CmdResult<FieldChangeReport> {
    Ok(state.store()?.update_field(&key, &changes, force)?)
}

#[tauri::command]
#[specta::specta]
pub async fn field_plan_delete(
    state: State<'_, AppState>,
    key: String,
) -> CmdResult<FieldChangeReport> {
    Ok(state.store()?.plan_field_delete(&key)?)
}

#[tauri::command]
#[specta::specta]
pub async fn field_delete(
    state: State<'_, AppState>,
    key: String,
    force: bool,
) -> CmdResult<FieldChangeReport> {
    Ok(state.store()?.delete_field(&key, force)?)
}
