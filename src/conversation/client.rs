//! The relay's conversation calls (`/v1/session`, `/v1/conversations…`, `/v1/updates`), with
//! the session as the bearer token. Every answer is a `baton_core::wire` type.

use crate::platform::fetch::{own_fetch, OwnRequest};
use baton_core::wire::{Conversations, ErrorBody, MessageRequest, SessionCreated, SessionRequest, Thread, Update, Updates};
use serde::de::DeserializeOwned;

/// Why a call failed.
#[derive(Clone, Debug, PartialEq)]
pub enum Failed {
    /// The session is unknown or expired (401): open a new one.
    Session,
    /// The relay refused the identity token, and why.
    Identity(String),
    /// Anything else (network, 5xx, a refused message): try again later.
    Other(String),
}

async fn call<T: DeserializeOwned>(method: &str, url: &str, session: Option<&str>, body: Option<String>) -> Result<T, Failed> {
    let auth = session.map(|s| format!("Bearer {s}"));
    let mut headers: Vec<(&str, &str)> = vec![("Content-Type", "application/json")];
    if let Some(a) = auth.as_deref() {
        headers.push(("Authorization", a));
    }
    let response = own_fetch(OwnRequest { url, method, headers: &headers, body: body.as_deref() }).await.map_err(|_| Failed::Other("the relay could not be reached".into()))?;
    match response.status {
        200..=299 => crate::platform::json::parse(if response.text.is_empty() { "null" } else { &response.text }).map_err(Failed::Other),
        401 => match crate::platform::json::parse::<ErrorBody>(&response.text) {
            Ok(e) if e.error == "identity" => Err(Failed::Identity(e.message)),
            _ => Err(Failed::Session),
        },
        status => Err(Failed::Other(crate::platform::json::parse::<ErrorBody>(&response.text).map_or_else(|_| format!("the relay answered {status}"), |e| e.message))),
    }
}

/// `POST /v1/session`.
pub async fn open(relay: &str, request: &SessionRequest) -> Result<SessionCreated, Failed> {
    call("POST", &format!("{relay}/v1/session"), None, Some(crate::platform::json::write(request))).await
}

/// `DELETE /v1/session`.
pub async fn end(relay: &str, session: &str) -> Result<(), Failed> {
    call::<serde_json::Value>("DELETE", &format!("{relay}/v1/session"), Some(session), None).await.map(|_| ())
}

/// `GET /v1/conversations`.
pub async fn list(relay: &str, session: &str) -> Result<Conversations, Failed> {
    call("GET", &format!("{relay}/v1/conversations"), Some(session), None).await
}

fn path(reference: &str) -> String {
    String::from(js_sys::encode_uri_component(reference))
}

/// `GET /v1/conversations/{reference}`.
pub async fn thread(relay: &str, session: &str, reference: &str) -> Result<Thread, Failed> {
    call("GET", &format!("{relay}/v1/conversations/{}", path(reference)), Some(session), None).await
}

/// `POST /v1/conversations/{reference}/messages`; `id` is the message's own id, the same on a
/// retry, so that a retry is not a second message.
pub async fn write(relay: &str, session: &str, reference: &str, body: &str, id: &str) -> Result<Update, Failed> {
    let request = MessageRequest { body: body.to_string(), id: Some(id.to_string()) };
    call("POST", &format!("{relay}/v1/conversations/{}/messages", path(reference)), Some(session), Some(crate::platform::json::write(&request))).await
}

/// `POST /v1/conversations/{reference}/read`.
pub async fn read(relay: &str, session: &str, reference: &str) -> Result<(), Failed> {
    call::<serde_json::Value>("POST", &format!("{relay}/v1/conversations/{}/read", path(reference)), Some(session), Some(String::new())).await.map(|_| ())
}

/// `GET /v1/updates?after=&wait=25`: the long poll.
pub async fn updates(relay: &str, session: &str, after: i64) -> Result<Updates, Failed> {
    call("GET", &format!("{relay}/v1/updates?after={after}&wait=25"), Some(session), None).await
}
