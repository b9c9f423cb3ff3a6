//! `POST /v1/encode`: the sentence encoder's embedding of a search query, for the widget's
//! answers by meaning (docs/answers.md, "Answers"). The widget ranks on the page as always; with the
//! encoder's vector of the query — rather than the meaning table's approximation from its words
//! — it ranks the right article first far more often (P@1 0.81 → 0.91 on clinc150-val). The
//! relay knows no KB: it embeds text, the KB's meaning table holds the units' vectors.
//!
//! Off unless `BATON_ENCODER_MODEL` names the model's folder; then `{"text": "…"}` (at most
//! [`MAX_TEXT_CHARS`] are read) → `{"model", "dims", "vector": [f32; dims]}` (unit length).

use crate::error::AppError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, State};
use axum::Json;
use baton_encoder::MiniLm;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::Arc;

/// Longest query embedded, in characters (a longer one is cut; the encoder reads 128 tokens).
pub const MAX_TEXT_CHARS: usize = 1_000;
/// Largest request body, in bytes.
const MAX_BODY: usize = 16 * 1024;

/// The loaded encoder.
pub struct Encoder {
    model: MiniLm,
}

impl Encoder {
    /// Loads the model folder (`model.safetensors`, `vocab.txt`); the error names what is missing.
    pub fn load(dir: &str) -> Result<Encoder, String> {
        MiniLm::load(dir).map(|model| Encoder { model }).map_err(|e| format!("BATON_ENCODER_MODEL: {e}"))
    }

    /// The unit-length embedding of `text`.
    pub fn embed(&self, text: &str) -> Vec<f32> {
        self.model.encode(&[text.to_string()]).pop().unwrap_or_default()
    }
}

/// `POST /v1/encode`.
pub async fn encode(State(state): State<AppState>, ConnectInfo(client): ConnectInfo<SocketAddr>, body: Result<Bytes, BytesRejection>) -> Result<Json<Value>, AppError> {
    let encoder: Arc<Encoder> = state.encoder.clone().ok_or(AppError::EncoderOff)?;
    state.encode_limiter.check(client.ip()).map_err(AppError::RateLimited)?;
    let body = body.map_err(|_| AppError::TooLarge)?;
    if body.len() > MAX_BODY {
        return Err(AppError::BadRequest(format!("a query is at most {MAX_BODY} bytes")));
    }
    let request: Value = serde_json::from_slice(&body).map_err(|e| AppError::BadRequest(format!("the body is not JSON: {e}")))?;
    let text: String = request["text"].as_str().ok_or_else(|| AppError::BadRequest("`text` must be a string".into()))?.chars().take(MAX_TEXT_CHARS).collect();
    if text.trim().is_empty() {
        return Err(AppError::BadRequest("`text` is empty".into()));
    }
    // The encoder takes milliseconds of CPU: off the async workers.
    let vector = tokio::task::spawn_blocking(move || encoder.embed(&text)).await.map_err(|e| AppError::BadRequest(format!("the encoder failed: {e}")))?;
    let rounded: Vec<f64> = vector.iter().map(|x| (*x as f64 * 1e5).round() / 1e5).collect();
    Ok(Json(json!({ "model": baton_core::answers::encoded::MINILM, "dims": rounded.len(), "vector": rounded })))
}
