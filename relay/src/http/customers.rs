//! A customer's data on request: `DELETE /v1/customers/{customer}` (the agent API) and the
//! customer's page in the inbox (`/inbox/customers/{customer}`, with the erase button).

use super::auth::{Agent, Reader};
use crate::accounts::Actor;
use crate::error::{see_other, AppError};
use crate::store::Subject;
use crate::AppState;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use axum::Json;
use baton_core::wire::CustomerErased;

/// Erases `who` for `actor` (crate::store::Store::erase_customer).
async fn erase(state: &AppState, who: &str, actor: &Actor) -> Result<CustomerErased, AppError> {
    let subject = Subject::parse(who).ok_or_else(|| AppError::BadRequest("name the customer: `id:USER_ID`, `email:ADDRESS`, an email or a user id".into()))?;
    let removed = state.store.erase_customer(&subject, &state.targets, actor.label(), crate::handoffs::now_ms()).await?;
    Ok(CustomerErased { customer: subject.key, tickets: removed.tickets, messages: removed.messages, notes: removed.notes, events: removed.events })
}

/// `DELETE /v1/customers/{customer}`: every handoff, message and note of the customer, gone.
pub async fn delete(Agent(actor): Agent, State(state): State<AppState>, Path(who): Path<String>) -> Result<Json<CustomerErased>, AppError> {
    Ok(Json(erase(&state, &who, &actor).await?))
}

/// `/inbox/customers/{customer}`: their handoffs, and the erase button.
pub async fn page(reader: Reader, State(state): State<AppState>, Path(who): Path<String>) -> Result<Response, AppError> {
    let subject = Subject::parse(&who).ok_or(AppError::NotFound)?;
    let handoffs = state.store.of_customer(&subject.key).await?;
    Ok(crate::pages::customer(&subject.key, reader.csrf.as_deref(), &handoffs))
}

/// Form of `POST /inbox/customers/{customer}/erase`.
#[derive(serde::Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    csrf: String,
    /// The box "I have checked this is the customer's request".
    #[serde(default)]
    confirm: String,
}

/// `POST /inbox/customers/{customer}/erase`.
pub async fn erase_form(reader: Reader, State(state): State<AppState>, Path(who): Path<String>, Form(form): Form<EraseForm>) -> Result<Response, AppError> {
    reader.check(&form.csrf)?;
    if form.confirm != "yes" {
        return Err(AppError::BadRequest("tick the box to confirm the erasure".into()));
    }
    erase(&state, &who, &reader.actor).await?;
    Ok(see_other("/inbox"))
}
