//! Company commands: list (one page), get, create, PATCH update, trash, restore, purge.

use carnet_core::model::{Company, CompanyPage, CompanyQuery};
use serde_json::Value;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn companies_list(
    state: State<'_, AppState>,
    query: CompanyQuery,
) -> CmdResult<CompanyPage> {
    Ok(state.store()?.list_companies(&query)?)
}

#[tauri::command]
#[specta::specta]
pub async fn company_get(state: State<'_, AppState>, id: String) -> CmdResult<Company> {
    Ok(state.store()?.get_company(&id)?)
}

#[tauri::command]
#[specta::specta]
pub async fn company_create(state: State<'_, AppState>, input: Value) -> CmdResult<Company> {
    Ok(state.store()?.create_company(&input)?)
}

#[tauri::command]
#[specta::specta]
pub async fn company_update(
    state: State<'_, AppState>,
    id: String,
    patch: Value,
) -> CmdResult<Company> {
    Ok(state.store()?.update_company(&id, &patch)?)
}

#[tauri::command]
#[specta::specta]
pub async fn company_trash(state: State<'_, AppState>, id: String) -> CmdResult<Company> {
    Ok(state.store()?.trash_company(&id)?)
}

#[tauri::command]
#[specta::specta]
pub async fn company_restore(state: State<'_, AppState>, id: String) -> CmdResult<Company> {
    Ok(state.store()?.restore_company(&id)?)
}

#[tauri::command]
#[specta::specta]
pub async fn company_purge(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    Ok(state.store()?.purge_company(&id)?)
}
