//! The relay's HTTP surface, by who calls it: [`widget`] (the widget's `POST /v1/handoffs` and
//! `POST /v1/encode`, CORS for the allowed origins), [`api`] (the agent API and `/healthz`),
//! [`inbox`] and [`login`] (the agents' pages). Handlers stay thin: an extractor from [`auth`]
//! says who is calling, the store and the domain modules do the work, [`crate::error::AppError`]
//! maps every failure.

pub mod account;
pub mod api;
pub mod auth;
pub mod conversations;
pub mod customers;
pub mod inbox;
pub mod login;
pub mod scorecard;
pub mod widget;

use crate::config::MAX_BODY_BYTES;
use crate::error::AppError;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use axum::http::{header, HeaderValue, Method};
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Writes from pages (every method but GET, HEAD and OPTIONS) only from the allowed origins: a
/// browser always names the page's origin, a server sends none and is let through.
async fn allowed_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let read = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let origin = request.headers().get(header::ORIGIN).map(|o| o.to_str().unwrap_or("").trim_end_matches('/').to_string());
    match origin {
        Some(o) if !read && !state.config.allowed_origins.iter().any(|a| a.eq_ignore_ascii_case(&o)) => AppError::Origin.into_response(),
        _ => next.run(request).await,
    }
}

/// A handler that panicked: 500 in the usual JSON, and the server goes on (the relay's profile
/// unwinds; see Cargo.toml, `[profile.relay]`).
fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    eprintln!("baton-relay: a handler panicked; answered 500");
    let body = baton_core::wire::ErrorBody { error: "internal".into(), message: "the relay failed on this request; it has been logged".into() };
    (axum::http::StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response()
}

/// The relay's routes.
pub fn router(state: AppState) -> Router {
    routes(state, Router::new())
}

/// The relay's routes with `extra` merged in (tests add a handler that panics).
pub fn routes(state: AppState, extra: Router<AppState>) -> Router {
    let origins: Vec<HeaderValue> = state.config.allowed_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, header::HeaderName::from_static("idempotency-key"), header::HeaderName::from_static("last-event-id")])
        .expose_headers([header::RETRY_AFTER]);
    let from_widgets = Router::new()
        .route("/v1/handoffs", post(widget::receive).get(api::search))
        .route("/v1/encode", post(widget::encode))
        .route("/v1/events", post(scorecard::receive))
        .route("/v1/session", post(conversations::open).delete(conversations::end))
        .route("/v1/conversations", get(conversations::list))
        .route("/v1/conversations/{reference}", get(conversations::thread))
        .route("/v1/conversations/{reference}/messages", post(conversations::write))
        .route("/v1/conversations/{reference}/read", post(conversations::read))
        .route("/v1/updates", get(conversations::updates))
        .route("/v1/stream", get(conversations::stream))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES + 1))
        .layer(middleware::from_fn_with_state(state.clone(), allowed_origin))
        .layer(cors);
    Router::new()
        .merge(from_widgets)
        .route("/v1/handoffs/{key}", get(api::one))
        .route("/v1/handoffs/{key}/replies", post(api::reply))
        .route("/v1/customers/{customer}", axum::routing::delete(customers::delete))
        .route("/healthz", get(api::health))
        .route("/v1/scorecard", get(scorecard::json))
        .route("/scorecard", get(scorecard::page))
        .route("/inbox/customers/{customer}", get(customers::page))
        .route("/inbox/customers/{customer}/erase", post(customers::erase_form))
        .route("/inbox", get(inbox::list))
        .route("/inbox/{ticket}", get(inbox::ticket))
        .route("/inbox/{ticket}/status", post(inbox::set_status))
        .route("/inbox/{ticket}/notes", post(inbox::add_note))
        .route("/inbox/{ticket}/reply", post(inbox::reply))
        .route("/login", get(login::page).post(login::sign_in))
        .route("/logout", post(login::sign_out))
        .route("/invite/{token}", get(login::invite).post(login::accept))
        .route("/account", get(account::page))
        .route("/account/sign-ins/{id}/revoke", post(account::revoke_sign_in))
        .route("/account/tokens", post(account::add_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/r/{reference}", get(inbox::lookup))
        .merge(extra)
        .with_state(state)
        // Every answer is about a person (bundles, conversations, the inbox): never cached.
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(CatchPanicLayer::custom(panicked))
}
