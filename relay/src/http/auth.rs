//! Who is calling, as axum extractors: [`Agent`] for the agent API (the bearer token only) and
//! [`Reader`] for the inbox pages (the bearer token, or a signed-in browser whose forms carry a
//! CSRF token). A handler that takes one cannot run for anybody else.

use crate::error::AppError;
use crate::session;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};

/// `Authorization: Bearer <BATON_AGENT_TOKEN>`, compared in constant time.
fn bearer(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(token) = state.config.agent_token.as_deref() else { return false };
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
    session::same(given, token)
}

/// An agent with the bearer token.
pub struct Agent;

impl FromRequestParts<AppState> for Agent {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Agent, AppError> {
        if bearer(state, &parts.headers) { Ok(Agent) } else { Err(AppError::Unauthorized) }
    }
}

/// An agent reading the inbox: with the bearer token (no CSRF token needed) or a live session
/// (its forms carry `csrf`). Without either, the browser is sent to sign in and back to the page.
pub struct Reader {
    /// The CSRF token this session's forms carry; `None` for bearer requests.
    pub csrf: Option<String>,
}

impl Reader {
    /// Checks a form's CSRF token against the session (bearer requests need none).
    pub fn check(&self, given: &str) -> Result<(), AppError> {
        match &self.csrf {
            None => Ok(()),
            Some(expected) if session::same(expected, given) => Ok(()),
            Some(_) => Err(AppError::Forbidden),
        }
    }
}

/// The page to come back to after signing in: the request's path (a form's page for a form's
/// POST), with nothing but letters, digits, `/` and `-`.
fn page_of(parts: &Parts) -> String {
    let path = parts.uri.path();
    let page = if parts.method == Method::POST { path.rsplit_once('/').map_or(path, |(page, _)| page) } else { path };
    page.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-')).collect()
}

impl FromRequestParts<AppState> for Reader {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Reader, AppError> {
        if bearer(state, &parts.headers) {
            return Ok(Reader { csrf: None });
        }
        let token = state.config.agent_token.as_deref().ok_or(AppError::Unauthorized)?;
        let cookies = parts.headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
        match session::from_cookies(cookies) {
            Some(value) if session::valid(token, value) => Ok(Reader { csrf: Some(session::csrf(token, value)) }),
            _ => Err(AppError::SignIn(page_of(parts))),
        }
    }
}
