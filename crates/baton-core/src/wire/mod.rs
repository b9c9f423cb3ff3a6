//! The relay's wire: the request and response bodies of every relay endpoint, as both sides
//! speak them — the relay's handlers write and read these, the widget's relay client reads and
//! writes the same types. (The request body of `POST /v1/handoffs` is the bundle itself,
//! [`crate::handoff::bundle::Bundle`].) JSON keys are camelCase.

use serde::{Deserialize, Serialize};

mod conversation;
mod events;
pub mod sse;
pub use conversation::*;
pub use events::*;

/// `201`/`200` answer of `POST /v1/handoffs`: the ticket, new or the one the idempotency key
/// already named, and where an agent reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandoffAccepted {
    /// The ticket number.
    pub ticket: i64,
    /// The handoff's page in the inbox.
    pub url: String,
}

/// Body of `POST /v1/encode`: a search query to embed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EncodeRequest {
    /// The query (the relay reads the first 1,000 characters).
    pub text: String,
}

/// Answer of `POST /v1/encode`: the sentence encoder's embedding of the query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EncodeResponse {
    /// The encoder's name; a meaning table made for another encoder cannot use the vector.
    pub model: String,
    /// The vector's length.
    pub dims: usize,
    /// Unit length.
    pub vector: Vec<f64>,
}

/// Every error answer: a stable code and a sentence for people.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// `bad_bundle`, `too_large`, `bad_header`, `bad_request`, `encoder_off`, `unauthorized`,
    /// `csrf`, `not_found`, `rate_limited` or `database`.
    pub error: String,
    /// What went wrong and what to do.
    pub message: String,
}

/// One handoff in the agent API (`GET /v1/handoffs/{key}`, `GET /v1/handoffs?q=`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandoffView {
    /// The ticket number.
    pub ticket: i64,
    /// The bundle's reference code.
    pub reference: String,
    /// When the relay received it (ms since the epoch).
    pub received_at: i64,
    /// `open`, `pending` or `solved`.
    pub status: String,
    /// Routing category.
    pub category: String,
    /// Routing priority.
    pub priority: String,
    /// Whether the customer's identity verified (by token or id signature).
    pub verified: bool,
    /// How: `token` (every claim of an identity token) or `signature` (the id alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<String>,
    /// The bundle as received (every field kept, known or not).
    pub bundle: serde_json::Value,
}

/// Answer of `GET /v1/handoffs?q=`: newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandoffList {
    /// The handoffs found.
    pub handoffs: Vec<HandoffView>,
}

/// Answer of `DELETE /v1/customers/{customer}`: what was erased (the same call again erases
/// nothing more and answers zeros).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerErased {
    /// The customer as the relay keys them (`id:…` or `email:…`).
    pub customer: String,
    /// The tickets erased.
    pub tickets: Vec<i64>,
    /// Messages of those conversations erased.
    pub messages: i64,
    /// Internal notes erased.
    pub notes: i64,
    /// KPI events erased.
    pub events: i64,
}

/// Answer of `GET /healthz`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Health {
    /// Whether the relay and its database answer.
    pub ok: bool,
    /// `sqlite` or `postgres`.
    pub database: String,
}
