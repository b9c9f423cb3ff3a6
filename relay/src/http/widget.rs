//! What the widget calls, from the pages of the allowed origins (CORS): `POST /v1/handoffs` and
//! `POST /v1/encode`.

use crate::config::{MAX_BODY_BYTES, MAX_KEY_CHARS};
use crate::encode::{MAX_BODY as MAX_ENCODE_BODY, MAX_TEXT_CHARS};
use super::auth::{Client, MaybeCustomer};
use crate::store::Filed;
use crate::error::AppError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use baton_core::wire::{EncodeRequest, EncodeResponse, HandoffAccepted};

fn text_header(headers: &HeaderMap, name: &str) -> Result<Option<String>, AppError> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v.to_str().map(|s| Some(s.trim().to_string())).map_err(|_| AppError::BadHeader(format!("`{name}` must be ASCII text"))),
    }
}

/// Whether the body is declared one of `accepted` media types (any parameters, any case); 415
/// otherwise.
pub fn body_type(headers: &HeaderMap, accepted: &[&str]) -> Result<(), AppError> {
    let declared = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = declared.split(';').next().unwrap_or("").trim();
    if accepted.iter().any(|a| essence.eq_ignore_ascii_case(a)) { Ok(()) } else { Err(AppError::NotJson) }
}

/// Whether the body is declared JSON: a page on another site can send `text/plain` without
/// asking the browser's permission, never `application/json`.
pub fn json_body(headers: &HeaderMap) -> Result<(), AppError> {
    body_type(headers, &["application/json"])
}

/// `POST /v1/handoffs`: 201 with a new ticket, 200 with the same ticket for a repeated key.
pub async fn receive(
    State(state): State<AppState>,
    MaybeCustomer(customer): MaybeCustomer,
    Client(client): Client,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<HandoffAccepted>), AppError> {
    state.limiter.check(client).map_err(AppError::RateLimited)?;
    json_body(&headers)?;
    let body = body.map_err(|_| AppError::TooLarge)?;
    if body.len() > MAX_BODY_BYTES {
        return Err(AppError::TooLarge);
    }
    // Required: without it a retry after a lost answer would file the handoff twice.
    let key = text_header(&headers, "idempotency-key")?.filter(|k| !k.is_empty()).ok_or_else(|| AppError::BadHeader("`Idempotency-Key` is required: one random value per handoff, the same on every retry".into()))?;
    if key.chars().count() > MAX_KEY_CHARS {
        return Err(AppError::BadHeader(format!("`Idempotency-Key` is at most {MAX_KEY_CHARS} characters")));
    }
    let origin = text_header(&headers, "origin")?;
    let body_hash = crate::conversations::hash_bytes(&body);
    let mut new = crate::handoffs::parse(&body, key, body_hash, origin, state.keys())?;
    if let Some(customer) = &customer {
        new.attach(&customer.session);
    }
    let reference = new.reference.clone();
    let (status, ticket) = match state.store.insert(new, &state.targets).await? {
        Filed::Created(ticket) => (StatusCode::CREATED, ticket),
        Filed::Repeated(ticket) => (StatusCode::OK, ticket),
        Filed::KeyReused => return Err(AppError::Conflict("idempotency_key_reused", "this Idempotency-Key was used for another body: use a new key for a new handoff".into())),
        Filed::ReferenceTaken => return Err(AppError::Conflict("reference_taken", format!("the reference {reference} belongs to another handoff: make a new reference code"))),
    };
    Ok((status, Json(HandoffAccepted { ticket, url: format!("{}/inbox/{ticket}", state.config.public_url) })))
}

/// `POST /v1/encode`: `{"text": "…"}` → `{"model", "dims", "vector"}` (crate::encode), at most
/// as many at once as the relay has cores (503 + `Retry-After` beyond).
pub async fn encode(State(state): State<AppState>, Client(client): Client, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Json<EncodeResponse>, AppError> {
    let encoder = state.encoder.clone().ok_or(AppError::EncoderOff)?;
    state.encode_limiter.check(client).map_err(AppError::RateLimited)?;
    json_body(&headers)?;
    let body = body.map_err(|_| AppError::TooLarge)?;
    if body.len() > MAX_ENCODE_BODY {
        return Err(AppError::BadRequest(format!("a query is at most {MAX_ENCODE_BODY} bytes")));
    }
    let request: serde_json::Value = serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(format!("the body is not JSON: {e}")))?;
    // An object with a string `text` (serde would also read a struct from an array).
    let request: EncodeRequest = Some(request).filter(serde_json::Value::is_object).and_then(|r| serde_json::from_value(r).ok()).ok_or_else(|| AppError::BadRequest("`text` must be a string".into()))?;
    // Redacted here too, for a page whose widget did not: the encoder never sees a secret.
    let text: String = baton_core::capture::redact::for_encoder(&request.text).chars().take(MAX_TEXT_CHARS).collect();
    if text.trim().is_empty() {
        return Err(AppError::BadRequest("`text` is empty".into()));
    }
    let permit = state.encode_slots.clone().try_acquire_owned().map_err(|_| AppError::Busy(1))?;
    // The encoder takes milliseconds of CPU: off the async workers, one core per permit.
    let vector = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        encoder.embed(&text)
    })
    .await
    .map_err(|e| AppError::BadRequest(format!("the encoder failed: {e}")))?;
    let rounded: Vec<f64> = vector.iter().map(|x| (*x as f64 * 1e5).round() / 1e5).collect();
    Ok(Json(EncodeResponse { model: baton_core::answers::encoded::MINILM.into(), dims: rounded.len(), vector: rounded }))
}
