//! What the widget calls, from the pages of the allowed origins (CORS): `POST /v1/handoffs` and
//! `POST /v1/encode`.

use crate::config::{MAX_BODY_BYTES, MAX_KEY_CHARS};
use crate::encode::{MAX_BODY as MAX_ENCODE_BODY, MAX_TEXT_CHARS};
use super::auth::MaybeCustomer;
use crate::error::AppError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use baton_core::wire::{EncodeRequest, EncodeResponse, HandoffAccepted};
use std::net::SocketAddr;

fn header(headers: &HeaderMap, name: &str) -> Result<Option<String>, AppError> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v.to_str().map(|s| Some(s.trim().to_string())).map_err(|_| AppError::BadHeader(format!("`{name}` must be ASCII text"))),
    }
}

/// `POST /v1/handoffs`: 201 with a new ticket, 200 with the same ticket for a repeated key.
pub async fn receive(
    State(state): State<AppState>,
    MaybeCustomer(customer): MaybeCustomer,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<HandoffAccepted>), AppError> {
    state.limiter.check(client.ip()).map_err(AppError::RateLimited)?;
    let body = body.map_err(|_| AppError::TooLarge)?;
    if body.len() > MAX_BODY_BYTES {
        return Err(AppError::TooLarge);
    }
    let key = header(&headers, "idempotency-key")?.filter(|k| !k.is_empty());
    if key.as_ref().is_some_and(|k| k.chars().count() > MAX_KEY_CHARS) {
        return Err(AppError::BadHeader(format!("`Idempotency-Key` is at most {MAX_KEY_CHARS} characters")));
    }
    let origin = header(&headers, "origin")?;
    let mut new = crate::handoffs::parse(&body, key, origin, state.keys())?;
    if let Some(customer) = &customer {
        new.attach(&customer.session);
    }
    let (ticket, created) = state.store.insert(new, &state.targets).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(HandoffAccepted { ticket, url: format!("{}/inbox/{ticket}", state.config.public_url) })))
}

/// `POST /v1/encode`: `{"text": "…"}` → `{"model", "dims", "vector"}` (crate::encode).
pub async fn encode(State(state): State<AppState>, ConnectInfo(client): ConnectInfo<SocketAddr>, body: Result<Bytes, BytesRejection>) -> Result<Json<EncodeResponse>, AppError> {
    let encoder = state.encoder.clone().ok_or(AppError::EncoderOff)?;
    state.encode_limiter.check(client.ip()).map_err(AppError::RateLimited)?;
    let body = body.map_err(|_| AppError::TooLarge)?;
    if body.len() > MAX_ENCODE_BODY {
        return Err(AppError::BadRequest(format!("a query is at most {MAX_ENCODE_BODY} bytes")));
    }
    let request: serde_json::Value = serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(format!("the body is not JSON: {e}")))?;
    // An object with a string `text` (serde would also read a struct from an array).
    let request: EncodeRequest = Some(request).filter(serde_json::Value::is_object).and_then(|r| serde_json::from_value(r).ok()).ok_or_else(|| AppError::BadRequest("`text` must be a string".into()))?;
    let text: String = request.text.chars().take(MAX_TEXT_CHARS).collect();
    if text.trim().is_empty() {
        return Err(AppError::BadRequest("`text` is empty".into()));
    }
    // The encoder takes milliseconds of CPU: off the async workers.
    let vector = tokio::task::spawn_blocking(move || encoder.embed(&text)).await.map_err(|e| AppError::BadRequest(format!("the encoder failed: {e}")))?;
    let rounded: Vec<f64> = vector.iter().map(|x| (*x as f64 * 1e5).round() / 1e5).collect();
    Ok(Json(EncodeResponse { model: baton_core::answers::encoded::MINILM.into(), dims: rounded.len(), vector: rounded }))
}
