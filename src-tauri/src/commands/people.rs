//! People commands: list (one page), get, create, PATCH update, trash, restore, purge,
//! and the tags in use.

use carnet_core::model::{PeoplePage, PeopleQuery, Person};
use carnet_core::tags::TagCount;
use serde_json::Value;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn people_list(state: State<'_, AppState>, query: PeopleQuery) -> CmdResult<PeoplePage> {
    Ok(state.store()?.list_people(&query)?)
}

#[tauri::command]
#[specta::specta]
pub async fn person_get(state: State<'_, AppState>, id: String) -> CmdResult<Person> {
    Ok(state.store()?.get_person(&id)?)
}

/// `input` is a person object in the camelCase shape (core accepts CRM aliases too).
#[tauri::command]
#[specta::specta]
pub async fn person_create(state: State<'_, AppState>, input: Value) -> CmdResult<Person> {
    Ok(state.store()?.create_person(&input)?)
}

/// PATCH: only the keys in `patch` change, `customFields` merge, `null` unsets.
#[tauri::command]
#[specta::specta]
pub async fn person_update(
    state: State<'_, AppState>,
    id: String,
    patch: Value,
) -> CmdResult<Person> {
    Ok(state.store()?.update_person(&id, &patch)?)
}

#[tauri::command]
#[specta::specta]
pub async fn person_trash(state: State<'_, AppState>, id: String) -> CmdResult<Person> {
    Ok(state.store()?.trash_person(&id)?)
}

#[tauri::command]
#[specta::specta]
pub async fn person_restore(state: State<'_, AppState>, id: String) -> CmdResult<Person> {
    Ok(state.store()?.restore_person(&id)?)
}

#[tauri::command]
#[specta::specta]
pub async fn person_purge(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    Ok(state.store()?.purge_person(&id)?)
}

/// The tags of live people with how many carry each (for the tag filter).
#[tauri::command]
#[specta::specta]
pub async fn tags_list(state: State<'_, AppState>) -> CmdResult<Vec<TagCount>> {
    Ok(state.store()?.list_tags()?)
}
