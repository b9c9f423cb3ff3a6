//! What the widget calls for the customer's conversations, with its relay session
//! ([`Customer`]): open and end the session, list the conversations, read a thread, write a
//! message, mark the agent's messages read, and follow every change live — server-sent events
//! (`GET /v1/stream`, ids are sequence numbers, `Last-Event-ID` resumes) or long polling
//! (`GET /v1/updates?after=`).

use super::auth::Customer;
use crate::conversations::{self, SESSION_MS};
use crate::error::AppError;
use crate::handoffs::now_ms;
use crate::store::{Handoff, Owner, Store, Waiter};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use baton_core::wire::{ConversationSummary, Conversations, MessageRequest, SessionCreated, SessionRequest, Thread, Update, Updates};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

/// How often a stream re-reads the database when nothing woke it (a lost notification costs at
/// most this much latency), and sends a keep-alive comment.
const REREAD: Duration = Duration::from_secs(5);
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Longest long poll.
const MAX_WAIT_SECS: u64 = 25;

/// `POST /v1/session`: opens a session for an identity token or a visitor id (201); identifying
/// with a visitor id joins that visitor's conversations to the customer. A token that does not
/// verify → 401 with the reason.
pub async fn open(State(state): State<AppState>, Json(request): Json<SessionRequest>) -> Result<(StatusCode, Json<SessionCreated>), AppError> {
    let session = conversations::open(&request, state.keys())?;
    if let (Owner::Customer(customer), Some(visitor)) = (&session.owner, &session.visitor) {
        state.store.join_visitor(visitor, customer).await?;
    }
    let token = conversations::new_token();
    let now = now_ms();
    state.store.open_session(&conversations::hash(&token), &session, now, now + SESSION_MS).await?;
    let verified = matches!(session.owner, Owner::Customer(_));
    Ok((StatusCode::CREATED, Json(SessionCreated { session: token, expires_at: now + SESSION_MS, verified })))
}

/// `DELETE /v1/session`: ends the session (sign-out, `Baton('reset')`).
pub async fn end(customer: Customer, State(state): State<AppState>) -> Result<StatusCode, AppError> {
    state.store.end_session(&customer.hash, now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn summary(h: &Handoff, unread: &[(i64, i64)], last: Option<Update>) -> ConversationSummary {
    ConversationSummary {
        reference: h.reference.clone(),
        status: h.status.clone(),
        summary: h.bundle.summary.clone(),
        started_at: h.received_at,
        last,
        unread: unread.iter().find(|(t, _)| *t == h.ticket).map_or(0, |(_, n)| *n),
    }
}

/// `GET /v1/conversations`: the customer's conversations, newest first, with the unread count.
pub async fn list(customer: Customer, State(state): State<AppState>) -> Result<Json<Conversations>, AppError> {
    let owner = &customer.session.owner;
    let unread = state.store.unread(owner).await?;
    let mut conversations = Vec::new();
    for h in state.store.conversations_of(owner).await? {
        let last = state.store.last_message(h.ticket).await?;
        conversations.push(summary(&h, &unread, last));
    }
    Ok(Json(Conversations { conversations, unread: unread.iter().map(|(_, n)| n).sum(), seq: state.store.last_seq(owner).await? }))
}

/// The customer's conversation a key names (its reference, or its ticket number); another
/// customer's is not found.
async fn mine(state: &AppState, customer: &Customer, key: &str) -> Result<Handoff, AppError> {
    let owner = &customer.session.owner;
    let found = match key.parse::<i64>() {
        Ok(ticket) => state.store.get(ticket).await?.filter(|h| owner.owns(h.customer.as_deref(), h.visitor.as_deref())),
        Err(_) => state.store.conversation(owner, key).await?,
    };
    found.ok_or(AppError::NotFound)
}

/// `GET /v1/conversations/{reference}`: the thread (another customer's → 404).
pub async fn thread(customer: Customer, State(state): State<AppState>, Path(reference): Path<String>) -> Result<Json<Thread>, AppError> {
    let h = mine(&state, &customer, &reference).await?;
    let unread = state.store.unread(&customer.session.owner).await?;
    let messages = state.store.thread(h.ticket).await?;
    Ok(Json(Thread { conversation: summary(&h, &unread, messages.last().cloned()), description: h.bundle.description.clone(), messages }))
}

/// `POST /v1/conversations/{reference}/messages`: the customer writes (a solved conversation
/// opens again). 201 with the message; 200 with it for an `id` sent before.
pub async fn write(customer: Customer, State(state): State<AppState>, Path(reference): Path<String>, Json(request): Json<MessageRequest>) -> Result<(StatusCode, Json<Update>), AppError> {
    crate::conversations::message(&request.body)?;
    let h = mine(&state, &customer, &reference).await?;
    let (update, created) = crate::conversations::post_message(&state.store, &h, "customer", &request).await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(update)))
}

/// `POST /v1/conversations/{reference}/read`: the customer read the agent's messages (every
/// device's count clears).
pub async fn read(customer: Customer, State(state): State<AppState>, Path(reference): Path<String>) -> Result<StatusCode, AppError> {
    let h = mine(&state, &customer, &reference).await?;
    state.store.mark_read(h.ticket, now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Query of `GET /v1/updates` and `GET /v1/stream`.
#[derive(serde::Deserialize)]
pub struct After {
    /// The last sequence number the widget has.
    #[serde(default)]
    after: i64,
    /// Seconds to wait for something new (long poll), at most 25.
    #[serde(default)]
    wait: u64,
}

async fn unread_total(store: &Store, owner: &Owner) -> Result<i64, sqlx::Error> {
    Ok(store.unread(owner).await?.iter().map(|(_, n)| n).sum())
}

/// `GET /v1/updates?after=N&wait=S`: what came after N; with `wait`, answers as soon as
/// something does (or after S seconds, empty).
pub async fn updates(customer: Customer, State(state): State<AppState>, Query(q): Query<After>) -> Result<Json<Updates>, AppError> {
    let owner = &customer.session.owner;
    let mut waiter = state.store.waiter(owner);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(q.wait.min(MAX_WAIT_SECS));
    loop {
        let found = state.store.updates_after(owner, q.after, 200).await?;
        if !found.is_empty() || tokio::time::Instant::now() >= deadline {
            let seq = found.last().map_or(q.after, |u| u.seq);
            return Ok(Json(Updates { updates: found, seq, unread: unread_total(&state.store, owner).await? }));
        }
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        waiter.wait(left.min(REREAD)).await;
    }
}

struct Follow {
    store: Store,
    customer: Customer,
    after: i64,
    waiter: Waiter,
    pending: VecDeque<Event>,
}

impl Follow {
    /// The next event: queued ones first, else what the database has after `after`, else wait
    /// for a wake-up (or [`REREAD`]). `None` ends the stream when the session ended.
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Follow)> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some((Ok(event), self));
            }
            let owner = &self.customer.session.owner;
            match self.store.updates_after(owner, self.after, 200).await {
                Ok(found) if !found.is_empty() => {
                    for u in &found {
                        self.pending.push_back(Event::default().id(u.seq.to_string()).event("update").json_data(u).unwrap_or_default());
                    }
                    self.after = found.last().map_or(self.after, |u| u.seq);
                    if let Ok(unread) = unread_total(&self.store, owner).await {
                        self.pending.push_back(Event::default().event("unread").data(format!("{{\"unread\":{unread}}}")));
                    }
                    continue;
                }
                Ok(_) => {}
                Err(e) => eprintln!("baton-relay: a stream could not read updates: {e}"),
            }
            if !self.waiter.wait(REREAD).await {
                // Quiet for a while: is the session still live?
                if !matches!(self.store.session(&self.customer.hash, now_ms()).await, Ok(Some(_)) | Err(_)) {
                    return None;
                }
            }
        }
    }
}

/// `GET /v1/stream` (with the session as bearer): server-sent events, `update` (id = sequence number) and
/// `unread`; resumes after `Last-Event-ID` (or `after`), keep-alive comments every 15 s.
pub async fn stream(customer: Customer, State(state): State<AppState>, headers: HeaderMap, Query(q): Query<After>) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let after = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok()).unwrap_or(q.after);
    let unread = unread_total(&state.store, &customer.session.owner).await.unwrap_or(0);
    let first = Event::default().event("unread").data(format!("{{\"unread\":{unread}}}"));
    let follow = Follow { waiter: state.store.waiter(&customer.session.owner), store: state.store.clone(), customer, after, pending: VecDeque::from([first]) };
    Sse::new(futures_util::stream::unfold(follow, Follow::next)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}
