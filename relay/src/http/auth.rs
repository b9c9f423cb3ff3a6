//! Who is calling, as axum extractors: [`Agent`] for the agent API (a bearer token: the shared
//! `BATON_AGENT_TOKEN`, which acts as `automation`, or an agent's own API token) and [`Reader`]
//! for the inbox pages (a bearer token, or a signed-in agent whose forms carry the sign-in's CSRF
//! token). A handler that takes one cannot run for anybody else, and knows whom to name in the
//! audit.

use crate::accounts::{self, Actor};
use crate::error::AppError;
use crate::store::WidgetSession;
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim).filter(|t| !t.is_empty())
}

/// Who a bearer token is: the shared token (compared in constant time), else an agent's live
/// API token; `None` without a bearer token or with a wrong one.
async fn bearer(state: &AppState, headers: &HeaderMap) -> Result<Option<Actor>, AppError> {
    let Some(given) = bearer_token(headers) else { return Ok(None) };
    if state.config.agent_token.as_deref().is_some_and(|token| accounts::same(given, token)) {
        return Ok(Some(Actor::Automation));
    }
    let account = state.store.agent_by_api_token(&crate::conversations::hash(given)).await?;
    Ok(account.map(|a| Actor::Agent { id: a.id, email: a.email }))
}

/// An agent or automation with a bearer token.
pub struct Agent(pub Actor);

impl FromRequestParts<AppState> for Agent {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Agent, AppError> {
        bearer(state, &parts.headers).await?.map(Agent).ok_or(AppError::Unauthorized)
    }
}

/// An agent reading the inbox: with a bearer token (no CSRF token needed) or signed in (its
/// forms carry `csrf`). Without either, the browser is sent to sign in and back to the page.
pub struct Reader {
    /// Who.
    pub actor: Actor,
    /// The CSRF token this sign-in's forms carry; `None` for bearer requests.
    pub csrf: Option<String>,
    /// The sign-in (its id), for a signed-in browser.
    pub sign_in: Option<i64>,
}

impl Reader {
    /// Checks a form's CSRF token against the sign-in (bearer requests need none).
    pub fn check(&self, given: &str) -> Result<(), AppError> {
        match &self.csrf {
            None => Ok(()),
            Some(expected) if accounts::same(expected, given) => Ok(()),
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
        if let Some(actor) = bearer(state, &parts.headers).await? {
            return Ok(Reader { actor, csrf: None, sign_in: None });
        }
        let cookies = parts.headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let found = match accounts::from_cookies(cookies) {
            Some(token) => state.store.sign_in(&crate::conversations::hash(token), crate::handoffs::now_ms()).await?,
            None => None,
        };
        match found {
            Some((agent, sign_in)) => Ok(Reader { actor: Actor::Agent { id: agent.id, email: agent.email }, csrf: Some(sign_in.csrf), sign_in: Some(sign_in.id) }),
            None => Err(AppError::SignIn(page_of(parts))),
        }
    }
}

/// The client's rate-limit bucket: its address as trusted proxies report it (`crate::net`), by
/// /64 for IPv6.
pub struct Client(pub IpAddr);

impl FromRequestParts<AppState> for Client {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Client, AppError> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        let forwarded: Vec<&str> = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        Ok(Client(crate::net::bucket(crate::net::client(peer, &forwarded, &state.config.trusted_proxies))))
    }
}

/// A widget's relay session: `Authorization: Bearer <session>` (never in a URL, where proxies
/// would log it), live and within its rate limit.
pub struct Customer {
    /// The session token's hash (what the store keys it by).
    pub hash: String,
    /// Whose conversations it reads.
    pub session: WidgetSession,
}

fn session_token(parts: &Parts) -> Option<String> {
    parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

impl FromRequestParts<AppState> for Customer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Customer, AppError> {
        let token = session_token(parts).ok_or(AppError::NoSession)?;
        let hash = crate::conversations::hash(&token);
        let session = state.store.session(&hash, crate::handoffs::now_ms()).await?.ok_or(AppError::NoSession)?;
        state.session_limiter.check(hash.clone()).map_err(AppError::RateLimited)?;
        Ok(Customer { hash, session })
    }
}

/// A [`Customer`] when the request carries a live session (a handoff filed from a widget that
/// has one), else nobody: handoffs are accepted either way.
pub struct MaybeCustomer(pub Option<Customer>);

impl FromRequestParts<AppState> for MaybeCustomer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<MaybeCustomer, AppError> {
        match Customer::from_request_parts(parts, state).await {
            Ok(c) => Ok(MaybeCustomer(Some(c))),
            Err(AppError::Database(e)) => Err(AppError::Database(e)),
            Err(_) => Ok(MaybeCustomer(None)),
        }
    }
}
