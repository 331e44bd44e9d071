//! The admin API of a fake server, for tests that drive the binary from outside:
//! queue faults, read the stored state, seed records. Never authenticated, never
//! logged, never faulted; its paths start with `/__` so they cannot clash with a CRM's.
//!
//! - `GET /__faults` -> pending faults; `POST /__faults` with one fault or an array
//!   (`{"kind":"drop_after","method":"POST","path_prefix":"/v1/people","times":1}`);
//!   `DELETE /__faults` clears them.
//! - `GET /__state` -> `{"provider","baseUrl","people","companies","customFields",
//!   "groups","enrichJobs","counts","requests"}`.
//! - `POST /__seed` with a [`Seed`] -> `{"ids": [...]}`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::Fault;
use crate::providers;
use crate::state::{lock, Seed, Shared};

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/__faults",
            get(list_faults).post(add_faults).delete(clear_faults),
        )
        .route("/__state", get(state))
        .route("/__seed", post(seed))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(Fault),
    Many(Vec<Fault>),
}

async fn list_faults(State(shared): State<Arc<Shared>>) -> Json<Vec<Fault>> {
    Json(lock(&shared.faults).pending())
}

async fn add_faults(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    let faults = match serde_json::from_slice::<OneOrMany>(&body) {
        Ok(OneOrMany::One(f)) => vec![f],
        Ok(OneOrMany::Many(v)) => v,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({ "error": format!("invalid fault: {e}") })),
            )
                .into_response()
        }
    };
    let mut plan = lock(&shared.faults);
    for f in faults {
        plan.push(f);
    }
    (StatusCode::CREATED, Json(plan.pending())).into_response()
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> StatusCode {
    lock(&shared.faults).clear();
    StatusCode::NO_CONTENT
}

async fn state(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let requests = lock(&shared.log).clone();
    let store = shared.store();
    Json(json!({
        "provider": shared.provider.as_str(),
        "baseUrl": shared.base_url(),
        "people": store.people,
        "companies": store.companies,
        "customFields": store.fields,
        "groups": store.groups,
        "enrichJobs": store.jobs,
        "counts": store.counts,
        "requests": requests,
    }))
}

async fn seed(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<Seed>(&body) {
        Ok(seed) => {
            let ids = providers::seed(&shared, seed);
            (StatusCode::CREATED, Json(json!({ "ids": ids }))).into_response()
        }
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": format!("invalid seed: {e}") })),
        )
            .into_response(),
    }
}
