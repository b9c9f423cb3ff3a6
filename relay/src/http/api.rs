//! The agent API (the bearer token): `GET /v1/handoffs?q=` and `GET /v1/handoffs/{reference or
//! ticket}`; and `GET /healthz` for load balancers.

use super::auth::Agent;
use crate::error::AppError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use baton_core::wire::{HandoffList, HandoffView, Health, MessageRequest, Update};

/// `GET /v1/handoffs/{reference}` (or a ticket number).
pub async fn one(_: Agent, State(state): State<AppState>, Path(key): Path<String>) -> Result<Json<HandoffView>, AppError> {
    Ok(Json(crate::conversations::handoff(&state.store, &key).await?.view))
}

/// `POST /v1/handoffs/{reference or ticket}/replies`: an agent's reply, shown in the customer's
/// widget (and emailed when unread). 201 with the message; 200 with it for an `id` sent before.
pub async fn reply(Agent(actor): Agent, State(state): State<AppState>, Path(key): Path<String>, Json(request): Json<MessageRequest>) -> Result<(StatusCode, Json<Update>), AppError> {
    let h = crate::conversations::handoff(&state.store, &key).await?;
    let (update, created) = crate::conversations::agent_reply(&state.store, &h, &actor, &request).await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(update)))
}

/// Query of `GET /v1/handoffs` and `/inbox`.
#[derive(serde::Deserialize)]
pub struct Search {
    /// Reference code, email, account or text.
    #[serde(default)]
    pub q: String,
}

/// `GET /v1/handoffs?q=`: newest first, at most 50.
pub async fn search(_: Agent, State(state): State<AppState>, Query(search): Query<Search>) -> Result<Json<HandoffList>, AppError> {
    let found = state.store.search(&search.q, 50).await?;
    Ok(Json(HandoffList { handoffs: found.into_iter().map(|h| h.view).collect() }))
}

/// `GET /healthz`: the relay and its database answer.
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let ok = state.store.healthy().await;
    let database = format!("{:?}", state.store.backend).to_lowercase();
    (if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, Json(Health { ok, database }))
}
