//! The agent's own page (`/account`): where they are signed in (each sign-in revocable) and their
//! API tokens (made and revoked here). A person's page: the shared automation token has none.

use super::auth::Reader;
use super::login::CsrfForm;
use crate::error::{see_other, AppError};
use crate::pages::account as pages;
use crate::AppState;
use axum::extract::{Form, Path, State};
use axum::response::Response;

/// The signed-in person, or a clear refusal for automation.
fn person(reader: &Reader) -> Result<(i64, String), AppError> {
    match &reader.actor {
        crate::accounts::Actor::Agent { id, email } => Ok((*id, email.clone())),
        crate::accounts::Actor::Automation => Err(AppError::BadRequest("the shared agent token has no account: sign in as an agent".into())),
    }
}

async fn render(state: &AppState, reader: &Reader, new_token: &str) -> Result<Response, AppError> {
    let (id, email) = person(reader)?;
    let sign_ins = state.store.sign_ins_of(id, crate::handoffs::now_ms()).await?;
    let tokens = state.store.api_tokens_of(id).await?;
    Ok(pages::account(&email, reader.csrf.as_deref().unwrap_or(""), reader.sign_in, &sign_ins, &tokens, new_token))
}

/// `GET /account`.
pub async fn page(reader: Reader, State(state): State<AppState>) -> Result<Response, AppError> {
    render(&state, &reader, "").await
}

/// `POST /account/sign-ins/{id}/revoke`: signs the agent out on another browser.
pub async fn revoke_sign_in(reader: Reader, State(state): State<AppState>, Path(id): Path<i64>, Form(form): Form<CsrfForm>) -> Result<Response, AppError> {
    reader.check(&form.csrf)?;
    let (agent, _) = person(&reader)?;
    if !state.store.revoke_sign_in(agent, id, crate::handoffs::now_ms()).await? {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/account"))
}

/// Form of `POST /account/tokens`.
#[derive(serde::Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

/// `POST /account/tokens`: a new API token, shown once on the page this answers with.
pub async fn add_token(reader: Reader, State(state): State<AppState>, Form(form): Form<TokenForm>) -> Result<Response, AppError> {
    reader.check(&form.csrf)?;
    let (agent, _) = person(&reader)?;
    let name: String = form.name.trim().chars().take(80).collect();
    if name.is_empty() {
        return Err(AppError::BadRequest("name the token (what will use it)".into()));
    }
    let token = format!("baton_{}", crate::conversations::new_token());
    state.store.add_api_token(agent, &name, &crate::conversations::hash(&token), crate::handoffs::now_ms()).await?;
    render(&state, &reader, &token).await
}

/// `POST /account/tokens/{id}/revoke`.
pub async fn revoke_token(reader: Reader, State(state): State<AppState>, Path(id): Path<i64>, Form(form): Form<CsrfForm>) -> Result<Response, AppError> {
    reader.check(&form.csrf)?;
    let (agent, _) = person(&reader)?;
    if !state.store.revoke_api_token(agent, id, crate::handoffs::now_ms()).await? {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/account"))
}
