//! Signing in to the inbox with the agent token: `GET /login` (the form) and `POST /login` (a
//! session cookie, then back to the page the agent was going to — on this relay only).

use crate::error::see_other;
use crate::session;
use crate::AppState;
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

/// Query of `/login`.
#[derive(serde::Deserialize)]
pub struct Next {
    #[serde(default)]
    next: String,
}

/// Only paths on this relay, never another site: one leading `/`, then visible ASCII without `\`
/// (browsers drop tabs and newlines from a `Location`, so `/<TAB>/evil.example` would be
/// `//evil.example`, and read `\` as `/`).
pub fn safe_next(next: &str) -> String {
    let on_this_relay = next.starts_with('/') && !next.starts_with("//") && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if on_this_relay { next.to_string() } else { "/inbox".into() }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn sign_in_goes_back_to_this_relay_only() {
        for ok in ["/inbox", "/inbox/7", "/r/BTN-AAA-BBB-CCC", "/inbox?q=a%20b"] {
            assert_eq!(safe_next(ok), ok);
        }
        for bad in ["https://evil.example/", "//evil.example", "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "\\/evil.example", "/ /evil.example", "/\u{3000}/x", "", "inbox"] {
            assert_eq!(safe_next(bad), "/inbox", "{bad:?}");
        }
    }
}

/// `GET /login`: the agent signs in with the agent token.
pub async fn page(Query(next): Query<Next>) -> Response {
    crate::pages::login(&safe_next(&next.next), "")
}

/// Form of `POST /login`.
#[derive(serde::Deserialize)]
pub struct LoginForm {
    token: String,
    #[serde(default)]
    next: String,
}

/// `POST /login`: a session cookie (HttpOnly, SameSite=Strict) for the right token.
pub async fn sign_in(State(state): State<AppState>, Form(form): Form<LoginForm>) -> Response {
    let next = safe_next(&form.next);
    match state.config.agent_token.as_deref() {
        Some(token) if session::same(token, form.token.trim()) => {
            let mut r = see_other(&next);
            let cookie = format!("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}", session::COOKIE, session::issue(token), session::SESSION_SECONDS);
            if let Ok(c) = HeaderValue::from_str(&cookie) {
                r.headers_mut().insert(header::SET_COOKIE, c);
            }
            r
        }
        _ => {
            let mut r = crate::pages::login(&next, "That is not the agent token.");
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            r
        }
    }
}
