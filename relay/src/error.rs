//! One error type for every handler, mapped to a JSON response: `{"error": code, "message": …}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Why a request failed.
#[derive(Debug)]
pub enum AppError {
    /// The body is not what `POST /v1/handoffs` takes (not JSON, not a bundle, wrong version).
    BadBundle(String),
    /// The body is over [`crate::config::MAX_BODY_BYTES`].
    TooLarge,
    /// A header is malformed.
    BadHeader(String),
    /// No or a wrong agent credential.
    Unauthorized,
    /// An inbox page without a sign-in: the browser goes to the sign-in page, then back here.
    SignIn(String),
    /// A form without its CSRF token (or with another session's).
    Forbidden,
    /// Nothing under that id or reference.
    NotFound,
    /// Too many requests from this client; retry after the given seconds.
    RateLimited(u64),
    /// A request that is not what the endpoint takes.
    BadRequest(String),
    /// `POST /v1/encode` on a relay without `BATON_ENCODER_MODEL`.
    EncoderOff,
    /// An identity token that did not verify, and why.
    Identity(String),
    /// No or an expired widget session.
    NoSession,
    /// A message over [`baton_core::wire::MAX_MESSAGE_CHARS`].
    MessageTooLong,
    /// A `POST /v1/events` body that is not a batch of events.
    BadEvents(String),
    /// A body that is not `application/json`.
    NotJson,
    /// A write from a page whose `Origin` is not in `BATON_ALLOWED_ORIGINS`.
    Origin,
    /// The request conflicts with what is stored: (code, message).
    Conflict(&'static str, String),
    /// The server is at capacity; retry after the given seconds.
    Busy(u64),
    /// The database failed: nothing was stored, the client should retry.
    Database(String),
}

/// `303 See Other` to `location` (a path on this relay): after a form, or to sign in.
pub fn see_other(location: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> AppError {
        AppError::Database(e.to_string())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::SignIn(next) = &self {
            return see_other(&format!("/login?next={}", next.replace('%', "%25").replace('&', "%26").replace('#', "%23").replace('?', "%3F")));
        }
        // Both say when to try again: the limiter's wait, or a short pause for the database.
        let retry_after = match &self {
            AppError::RateLimited(seconds) | AppError::Busy(seconds) => Some(seconds.to_string()),
            AppError::Database(_) => Some("5".to_string()),
            _ => None,
        };
        let (status, code, message) = match self {
            AppError::BadBundle(m) => (StatusCode::UNPROCESSABLE_ENTITY, "bad_bundle", m),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", format!("a bundle is at most {} bytes", crate::config::MAX_BODY_BYTES)),
            AppError::BadHeader(m) => (StatusCode::BAD_REQUEST, "bad_header", m),
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m),
            AppError::EncoderOff => (StatusCode::NOT_FOUND, "encoder_off", "this relay embeds no queries: set BATON_ENCODER_MODEL to the model's folder".into()),
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", "send Authorization: Bearer <BATON_AGENT_TOKEN>".into()),
            AppError::SignIn(_) => unreachable!("answered above"),
            AppError::Identity(m) => (StatusCode::UNAUTHORIZED, "identity", m),
            AppError::NoSession => (StatusCode::UNAUTHORIZED, "session", "no live session: open one with POST /v1/session".into()),
            AppError::MessageTooLong => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", format!("a message is at most {} characters", baton_core::wire::MAX_MESSAGE_CHARS)),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "csrf", "this form has expired or came from another site; reload the page".into()),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", "no handoff with that id or reference".into()),
            AppError::RateLimited(s) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited", format!("too many requests from this client; retry in {s} s")),
            AppError::BadEvents(m) => (StatusCode::UNPROCESSABLE_ENTITY, "bad_events", m),
            AppError::NotJson => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_json", "send the body as Content-Type: application/json".into()),
            AppError::Origin => (StatusCode::FORBIDDEN, "origin", "this page's origin is not in the relay's BATON_ALLOWED_ORIGINS".into()),
            AppError::Conflict(code, m) => (StatusCode::CONFLICT, code, m),
            AppError::Busy(s) => (StatusCode::SERVICE_UNAVAILABLE, "busy", format!("the relay is at capacity; retry in {s} s")),
            AppError::Database(m) => {
                eprintln!("baton-relay: database error: {m}");
                (StatusCode::SERVICE_UNAVAILABLE, "database", "the handoff could not be stored; retry".into())
            }
        };
        let mut response = (status, Json(baton_core::wire::ErrorBody { error: code.into(), message })).into_response();
        if let Some(v) = retry_after.and_then(|s| HeaderValue::from_str(&s).ok()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}
