//! The handoff API: `POST /v1/handoffs` (from the widget) and, with the agent token,
//! `GET /v1/handoffs?q=` and `GET /v1/handoffs/{reference or ticket}`. Handlers stay thin: parse,
//! call the store, map errors.

use crate::config::{MAX_BODY_BYTES, MAX_KEY_CHARS};
use crate::error::AppError;
use crate::store::{Handoff, NewHandoff};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};
use std::net::SocketAddr;

/// The bundle format version this relay takes.
pub const BUNDLE_VERSION: u64 = 1;

fn text(v: &Value, max: usize) -> Option<String> {
    v.as_str().map(|s| s.chars().take(max).collect::<String>()).filter(|s| !s.trim().is_empty())
}

/// Checks a bundle and picks out the columns the inbox needs.
fn parse(body: &[u8], key: Option<String>, origin: Option<String>, secret: Option<&str>) -> Result<NewHandoff, AppError> {
    let bundle: Value = serde_json::from_slice(body).map_err(|e| AppError::BadBundle(format!("the body is not JSON: {e}")))?;
    if !bundle.is_object() {
        return Err(AppError::BadBundle("a bundle is a JSON object (see widget/handoff.schema.json)".into()));
    }
    match bundle.get("version").and_then(Value::as_u64) {
        Some(BUNDLE_VERSION) => {}
        Some(v) => return Err(AppError::BadBundle(format!("bundle version {v} is not supported; this relay takes version {BUNDLE_VERSION}"))),
        None if bundle.get("version").is_some() => return Err(AppError::BadBundle(format!("`version` must be the number {BUNDLE_VERSION}"))),
        None => return Err(AppError::BadBundle("`version` is missing: is this a Baton handoff bundle?".into())),
    }
    let reference = text(&bundle["reference"], 40).ok_or_else(|| AppError::BadBundle("`reference` must be a non-empty string".into()))?.to_ascii_uppercase();
    for field in ["description", "summary"] {
        if !bundle[field].is_string() && !bundle[field].is_null() {
            return Err(AppError::BadBundle(format!("`{field}` must be a string")));
        }
    }
    let identity = bundle.get("identity").cloned().unwrap_or(Value::Null);
    if !identity.is_null() && !identity.is_object() {
        return Err(AppError::BadBundle("`identity` must be an object".into()));
    }
    let id = |k: &str| text(&identity[k], 200);
    let (user_id, email, account, name) = (id("id"), id("email").map(|e| e.to_lowercase()), id("account"), id("name"));
    let search: String = [Some(reference.clone()), user_id.clone(), email.clone(), account.clone(), name.clone(), text(&bundle["description"], 5000), text(&bundle["summary"], 2000)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
    let verified = crate::identity::verified(secret, &identity);
    // One customer, one history: verified identities only, by id, else by email.
    let customer = verified.then(|| user_id.as_ref().map(|i| format!("id:{i}")).or_else(|| email.as_ref().map(|e| format!("email:{e}")))).flatten();
    Ok(NewHandoff {
        idempotency_key: key,
        customer,
        received_at: now_ms(),
        category: text(&bundle["routing"]["category"], 40).unwrap_or_else(|| "uncategorised".into()),
        priority: text(&bundle["routing"]["priority"], 20).unwrap_or_else(|| "normal".into()),
        verified,
        reference,
        user_id,
        email,
        account,
        name,
        origin,
        search,
        bundle: bundle.to_string(),
    })
}

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

fn header(headers: &HeaderMap, name: &str) -> Result<Option<String>, AppError> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v.to_str().map(|s| Some(s.trim().to_string())).map_err(|_| AppError::BadHeader(format!("`{name}` must be ASCII text"))),
    }
}

/// `POST /v1/handoffs`: 201 with a new ticket, 200 with the same ticket for a repeated key.
pub async fn receive(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Value>), AppError> {
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
    let new = parse(&body, key, origin, state.config.identity_secret.as_deref())?;
    let (ticket, created) = state.store.insert(new, &state.targets).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(json!({ "ticket": ticket, "url": format!("{}/inbox/{ticket}", state.config.public_url) }))))
}

/// Checks `Authorization: Bearer <BATON_AGENT_TOKEN>` (constant time).
pub fn agent(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let Some(token) = state.config.agent_token.as_deref() else { return Err(AppError::Unauthorized) };
    let given = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
    if crate::session::same(given, token) { Ok(()) } else { Err(AppError::Unauthorized) }
}

/// What the agent API returns for one handoff.
fn view(h: &Handoff) -> Value {
    json!({ "ticket": h.ticket, "reference": h.reference, "receivedAt": h.received_at, "status": h.status,
            "category": h.category, "priority": h.priority, "verified": h.verified, "bundle": h.bundle })
}

/// `GET /v1/handoffs/{reference}` (or a ticket number): the newest handoff under it, with the
/// tickets of any others.
pub async fn one(State(state): State<AppState>, headers: HeaderMap, Path(key): Path<String>) -> Result<Json<Value>, AppError> {
    agent(&state, &headers)?;
    let found = match key.parse::<i64>() {
        Ok(id) => state.store.get(id).await?.into_iter().collect(),
        Err(_) => state.store.by_reference(&key).await?,
    };
    let first = found.first().ok_or(AppError::NotFound)?;
    let mut v = view(first);
    v["others"] = found[1..].iter().map(|h| json!(h.ticket)).collect();
    Ok(Json(v))
}

/// Query of `GET /v1/handoffs`.
#[derive(serde::Deserialize)]
pub struct Search {
    /// Reference code, email, account or text.
    #[serde(default)]
    pub q: String,
}

/// `GET /v1/handoffs?q=`: newest first, at most 50.
pub async fn search(State(state): State<AppState>, headers: HeaderMap, Query(search): Query<Search>) -> Result<Json<Value>, AppError> {
    agent(&state, &headers)?;
    let found = state.store.search(&search.q, 50).await?;
    Ok(Json(json!({ "handoffs": found.iter().map(view).collect::<Vec<_>>() })))
}

/// `GET /healthz`: the relay and its database answer.
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let ok = state.store.healthy().await;
    let backend = format!("{:?}", state.store.backend).to_lowercase();
    (if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, Json(json!({ "ok": ok, "database": backend })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_are_checked_with_clear_messages() {
        let err = |body: &str| match parse(body.as_bytes(), None, None, None) {
            Err(AppError::BadBundle(m)) => m,
            other => panic!("{body}: {:?}", other.map(|h| h.reference)),
        };
        assert!(err("nope").starts_with("the body is not JSON"));
        assert!(err("[1]").contains("JSON object"));
        assert!(err(r#"{"reference":"BTN-AAAA-AA"}"#).contains("`version` is missing"));
        assert!(err(r#"{"version":2,"reference":"BTN-AAAA-AA"}"#).contains("version 2 is not supported"));
        assert!(err(r#"{"version":"1","reference":"BTN-AAAA-AA"}"#).contains("must be the number 1"));
        assert!(err(r#"{"version":1}"#).contains("`reference`"));
        assert!(err(r#"{"version":1,"reference":"x","description":5}"#).contains("`description`"));
        let h = parse(br#"{"version":1,"reference":"btn-aaaa-aa","identity":{"email":"Jane@Acme.com","account":"Acme"},"description":"Card declined","routing":{"category":"billing","priority":"high"}}"#, Some("k".into()), None, None).unwrap_or_else(|_| panic!());
        assert_eq!((h.reference.as_str(), h.email.as_deref(), h.category.as_str(), h.priority.as_str(), h.verified), ("BTN-AAAA-AA", Some("jane@acme.com"), "billing", "high", false));
        assert!(h.search.contains("card declined") && h.search.contains("acme"));
    }
}
