//! The conversation's wire: what the widget and the relay say about a customer's conversations
//! (`/v1/session`, `/v1/conversations…`, `/v1/updates`, `/v1/stream`). Every message is text.

use serde::{Deserialize, Serialize};

/// Longest message, in characters (customer or agent); longer is refused with 413.
pub const MAX_MESSAGE_CHARS: usize = 5000;

/// Body of `POST /v1/session`: an identity token (a verified customer), a visitor id (an
/// anonymous visitor, created by the widget at the first interaction), or both (the visitor's
/// conversations join the customer).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRequest {
    /// The host's identity token (a JWT, HS256).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The anonymous visitor id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor: Option<String>,
}

/// `201` answer of `POST /v1/session`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionCreated {
    /// The opaque session token: `Authorization: Bearer …` on every conversation call.
    pub session: String,
    /// When it expires (ms since the epoch).
    pub expires_at: i64,
    /// Whether it speaks for a verified customer (else an anonymous visitor).
    pub verified: bool,
}

/// One message or event of a conversation, in the stream's one sequence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Update {
    /// Sequence number: the stream's event id, what a reconnect resumes after.
    pub seq: i64,
    /// The conversation's reference code.
    pub reference: String,
    /// `message`, `status` (body: the new status) or `read` (the customer read the agent's messages).
    pub kind: String,
    /// For a message: `customer` or `agent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The message text, or the new status.
    pub body: String,
    /// When (ms since the epoch).
    pub at: i64,
    /// A message's number within its conversation (1, 2, 3…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<i64>,
}

/// One conversation in the customer's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    /// Reference code.
    pub reference: String,
    /// `open`, `pending` or `solved`.
    pub status: String,
    /// The handoff's summary.
    pub summary: String,
    /// When the handoff was received (ms since the epoch).
    pub started_at: i64,
    /// The newest message, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Update>,
    /// Agent messages not yet read.
    pub unread: i64,
}

/// Answer of `GET /v1/conversations`: newest first, with the total unread count and the
/// sequence number to stream after.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conversations {
    /// The conversations.
    pub conversations: Vec<ConversationSummary>,
    /// Agent messages not yet read, over all of them.
    pub unread: i64,
    /// The newest sequence number.
    pub seq: i64,
}

/// Answer of `GET /v1/conversations/{reference}`: the thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Thread {
    /// The conversation.
    pub conversation: ConversationSummary,
    /// What the customer wrote when they asked for a person.
    pub description: String,
    /// Messages, oldest first.
    pub messages: Vec<Update>,
}

/// Body of `POST /v1/conversations/{reference}/messages` (and the agent API's replies).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageRequest {
    /// The text (at most [`MAX_MESSAGE_CHARS`]).
    pub body: String,
    /// The client's own id of the message (at most 100 characters): sending it again (a retry)
    /// is the same message, not a second one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// Answer of `GET /v1/updates?after=`: what came after, and the unread count now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Updates {
    /// Oldest first.
    pub updates: Vec<Update>,
    /// The newest sequence number seen (resume after it).
    pub seq: i64,
    /// Agent messages not yet read.
    pub unread: i64,
}
