//! Agents sign in and out: `GET`/`POST /login` (email and password; failures throttled per
//! address and per account), `POST /logout`, and the invite link `baton-relay agents add` prints
//! (`GET`/`POST /invite/{token}`: set a password). Sign-in goes back to the page the agent was
//! going to — on this relay only.

use super::auth::{Client, Reader};
use crate::accounts;
use crate::error::{see_other, AppError};
use crate::pages::account as pages;
use crate::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

/// Query of `/login`.
#[derive(serde::Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
    /// Set after an invite: the password was set.
    #[serde(default)]
    set: String,
}

/// Only paths on this relay, never another site: one leading `/`, then visible ASCII without `\`
/// (browsers drop tabs and newlines from a `Location`, so `/<TAB>/evil.example` would be
/// `//evil.example`, and read `\` as `/`).
pub fn safe_next(next: &str) -> String {
    let on_this_relay = next.starts_with('/') && !next.starts_with("//") && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if on_this_relay { next.to_string() } else { "/inbox".into() }
}

/// `GET /login`.
pub async fn page(Query(q): Query<LoginQuery>) -> Response {
    let note = if q.set.is_empty() { "" } else { "Your password is set: sign in with it." };
    pages::login(&safe_next(&q.next), "", "", note)
}

/// Form of `POST /login`.
#[derive(serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

fn with_cookie(mut r: Response, cookie: &str) -> Response {
    if let Ok(c) = HeaderValue::from_str(cookie) {
        r.headers_mut().insert(header::SET_COOKIE, c);
    }
    r
}

/// `POST /login`: a sign-in cookie for the right email and password. Wrong guesses are counted
/// per address and per account; past the limit, 429 with `Retry-After` before any check.
pub async fn sign_in(State(state): State<AppState>, Client(client): Client, headers: HeaderMap, Form(form): Form<LoginForm>) -> Result<Response, AppError> {
    let next = safe_next(&form.next);
    let email = accounts::email(&form.email).unwrap_or_default();
    if let Err(wait) = state.login_by_address.peek(client).and(state.login_by_account.peek(email.clone())) {
        return Ok(pages::login_refused(StatusCode::TOO_MANY_REQUESTS, Some(wait), &next, &email, &format!("Too many wrong passwords: try again in {wait} s.")));
    }
    let account = if email.is_empty() { None } else { state.store.agent_by_email(&email).await? };
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let password = form.password.chars().take(accounts::MAX_PASSWORD_CHARS).collect::<String>();
    // argon2 takes tens of milliseconds of CPU: off the async workers.
    let matched = tokio::task::spawn_blocking(move || accounts::verify_password(hash.as_deref(), &password)).await.unwrap_or(false);
    let Some(account) = account.filter(|_| matched) else {
        let _ = state.login_by_address.check(client);
        let _ = state.login_by_account.check(email.clone());
        return Ok(pages::login_refused(StatusCode::UNAUTHORIZED, None, &next, &email, "That email and password do not match an agent account."));
    };
    let (token, csrf, now) = (crate::conversations::new_token(), crate::conversations::new_token(), crate::handoffs::now_ms());
    let user_agent: String = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("unknown browser").chars().take(200).collect();
    state.store.open_sign_in(account.id, &crate::conversations::hash(&token), &csrf, &user_agent, now, now + accounts::SIGN_IN_SECONDS * 1000).await?;
    Ok(with_cookie(see_other(&next), &accounts::set_cookie(&token)))
}

/// Form of the account forms that only carry their CSRF token.
#[derive(serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// `POST /logout`: ends this sign-in (on the relay, not only in the browser).
pub async fn sign_out(reader: Reader, State(state): State<AppState>, Form(form): Form<CsrfForm>) -> Result<Response, AppError> {
    reader.check(&form.csrf)?;
    if let (Some(id), Some(agent)) = (reader.sign_in, reader.actor.account()) {
        state.store.revoke_sign_in(agent, id, crate::handoffs::now_ms()).await?;
    }
    Ok(with_cookie(see_other("/login"), &accounts::clear_cookie()))
}

/// `GET /invite/{token}`: the form to set a password.
pub async fn invite(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, AppError> {
    let agent = state.store.agent_by_invite(&crate::conversations::hash(&token), crate::handoffs::now_ms()).await?;
    Ok(pages::invite(agent.as_ref().map(|a| a.email.as_str()), ""))
}

/// Form of `POST /invite/{token}`.
#[derive(serde::Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /invite/{token}`: sets the password (the invite is used up), then to sign in.
pub async fn accept(State(state): State<AppState>, Path(token): Path<String>, Form(form): Form<InviteForm>) -> Result<Response, AppError> {
    let (hash, now) = (crate::conversations::hash(&token), crate::handoffs::now_ms());
    let Some(agent) = state.store.agent_by_invite(&hash, now).await? else { return Ok(pages::invite(None, "")) };
    let problem = accounts::password_problem(&form.password).or_else(|| (form.password != form.confirm).then(|| "The two passwords differ.".to_string()));
    if let Some(problem) = problem {
        return Ok(pages::invite(Some(&agent.email), &problem));
    }
    let password = form.password;
    let phc = tokio::task::spawn_blocking(move || accounts::hash_password(&password)).await.map_err(|e| AppError::BadRequest(e.to_string()))?.map_err(AppError::BadRequest)?;
    if !state.store.set_password(&hash, &phc, now).await? {
        return Ok(pages::invite(None, ""));
    }
    state.store.audit(None, &agent.email, "password", "set a password from an invite", now).await?;
    Ok(see_other("/login?set=1"))
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
