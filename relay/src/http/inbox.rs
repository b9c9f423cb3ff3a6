//! The agent inbox (`/inbox`, `/inbox/{ticket}`, `/r/{reference}`, the status and note forms):
//! for an agent with the bearer token or signed in ([`Reader`]); the pages are [`crate::pages`].

use super::api::Search;
use super::auth::Reader;
use crate::error::{see_other, AppError};
use crate::pages::{self, Desk};
use crate::store::{Handoff, STATUSES};
use crate::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::response::Response;

/// `/inbox?q=`: newest handoffs, searchable by reference, email, account and text.
pub async fn list(_: Reader, State(state): State<AppState>, Query(q): Query<Search>) -> Result<Response, AppError> {
    let found = state.store.search(&q.q, 100).await?;
    let activity = state.store.audit_general(20).await?;
    Ok(pages::inbox(&q.q, &found, &activity))
}

/// What the agent's side of `h` shows, read from the store.
async fn desk(state: &AppState, reader: Reader, h: &Handoff) -> Result<Desk, AppError> {
    let notes = state.store.notes(h.ticket).await?;
    let customer = match &h.customer {
        Some(customer) => Some(crate::customers::history(h, &state.store.of_customer(customer).await?)),
        None => None,
    };
    // The account (workspace, tenant): other verified customers of it.
    let account = h.verified_account();
    let colleagues: Vec<Handoff> = if h.verified_by.as_deref() == Some("token") && !account.is_empty() {
        state.store.of_account(account).await?.into_iter().filter(|o| o.customer != h.customer).collect()
    } else {
        Vec::new()
    };
    let messages = state.store.thread(h.ticket).await?;
    let audit = state.store.audit_of(h.ticket).await?;
    Ok(Desk::new(h, (reader.csrf.clone(), reader.actor.label()), &notes, &messages, &audit, customer, &colleagues))
}

/// `/inbox/{ticket}`.
pub async fn ticket(reader: Reader, State(state): State<AppState>, Path(ticket): Path<i64>) -> Result<Response, AppError> {
    let h = state.store.get(ticket).await?.ok_or(AppError::NotFound)?;
    let desk = desk(&state, reader, &h).await?;
    Ok(pages::ticket(&h, desk))
}

/// `/r/{reference}`: for an agent on another channel who is given the code.
pub async fn lookup(reader: Reader, State(state): State<AppState>, Path(reference): Path<String>) -> Result<Response, AppError> {
    let h = state.store.by_reference(&reference).await?.ok_or(AppError::NotFound)?;
    let desk = desk(&state, reader, &h).await?;
    Ok(pages::ticket(&h, desk))
}

/// Form of `POST /inbox/{ticket}/status`.
#[derive(serde::Deserialize)]
pub struct StatusForm {
    status: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /inbox/{ticket}/status`: open, pending or solved.
pub async fn set_status(reader: Reader, State(state): State<AppState>, Path(ticket): Path<i64>, Form(form): Form<StatusForm>) -> Result<Response, AppError> {
    reader.check(&form.csrf)?;
    if !STATUSES.contains(&form.status.as_str()) {
        return Err(AppError::BadBundle(format!("status must be one of {}", STATUSES.join(", "))));
    }
    let before = state.store.get(ticket).await?.ok_or(AppError::NotFound)?.status.clone();
    if !state.store.set_status(ticket, &form.status).await? {
        return Err(AppError::NotFound);
    }
    let now = crate::handoffs::now_ms();
    state.store.append(ticket, crate::store::NewUpdate::event("status", &form.status), now).await?;
    state.store.audit(Some(ticket), reader.actor.label(), "status", &format!("{before} → {}", form.status), now).await?;
    Ok(see_other(&format!("/inbox/{ticket}")))
}

/// Form of `POST /inbox/{ticket}/notes`.
#[derive(serde::Deserialize)]
pub struct NoteForm {
    body: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /inbox/{ticket}/notes`: an internal note (at most 5,000 characters).
pub async fn add_note(reader: Reader, State(state): State<AppState>, Path(ticket): Path<i64>, Form(form): Form<NoteForm>) -> Result<Response, AppError> {
    reader.check(&form.csrf)?;
    let body: String = form.body.trim().chars().take(5000).collect();
    if body.is_empty() {
        return Err(AppError::BadBundle("a note needs some text".into()));
    }
    state.store.get(ticket).await?.ok_or(AppError::NotFound)?;
    let now = crate::handoffs::now_ms();
    state.store.add_note(ticket, now, &body, reader.actor.label()).await?;
    state.store.audit(Some(ticket), reader.actor.label(), "note", "added an internal note", now).await?;
    Ok(see_other(&format!("/inbox/{ticket}")))
}

/// Form of `POST /inbox/{ticket}/reply`.
#[derive(serde::Deserialize)]
pub struct ReplyForm {
    body: String,
    #[serde(default)]
    csrf: String,
    /// The form's own message id: a form sent twice (a double click, a reload) is one reply.
    #[serde(default)]
    id: String,
    /// `yes`: "I had to ask for something the handoff already had" (the scorecard's re-ask rate).
    #[serde(default)]
    reask: String,
}

/// `POST /inbox/{ticket}/reply`: a reply to the customer (at most 5,000 characters), shown in
/// their widget on every device, emailed when unread.
pub async fn reply(reader: Reader, State(state): State<AppState>, Path(ticket): Path<i64>, Form(form): Form<ReplyForm>) -> Result<Response, AppError> {
    reader.check(&form.csrf)?;
    let h = state.store.get(ticket).await?.ok_or(AppError::NotFound)?;
    let request = baton_core::wire::MessageRequest { body: form.body, id: (!form.id.is_empty()).then_some(form.id) };
    crate::conversations::agent_reply(&state.store, &h, &reader.actor, &request).await?;
    if form.reask == "yes" {
        state.store.mark_reasked(ticket).await?;
    }
    Ok(see_other(&format!("/inbox/{ticket}")))
}
