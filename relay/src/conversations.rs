//! The customer's side of a conversation: widget sessions (an opaque token, stored as its
//! SHA-256, expiring) opened with an identity token or an anonymous visitor id, and the checks a
//! message passes. The HTTP side is `http::conversations`; the tables are `store::conversations`.

use crate::error::AppError;
use crate::identity::{check_token, Verified};
use crate::store::{Owner, WidgetSession};
use crate::store::{Handoff, NewUpdate, Store};
use baton_core::wire::{MessageRequest, SessionRequest, Update, MAX_MESSAGE_CHARS};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How long a widget session lasts.
pub const SESSION_MS: i64 = 7 * 24 * 3600 * 1000;
/// Shortest and longest visitor id accepted (the widget's are 32 hex digits).
const VISITOR_CHARS: std::ops::RangeInclusive<usize> = 16..=64;

/// A new session token: 256 random bits, hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What the store keeps of a session token.
pub fn hash(token: &str) -> String {
    hash_bytes(token.as_bytes())
}

/// SHA-256 of `bytes`, in hex.
pub fn hash_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The session a request opens: a verified customer (from the token), else the visitor. A token
/// that does not verify is refused with its reason (the widget says so and goes on anonymously).
pub fn open(request: &SessionRequest, keys: crate::handoffs::Keys) -> Result<WidgetSession, AppError> {
    let visitor = match request.visitor.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) if VISITOR_CHARS.contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') => Some(format!("v:{v}")),
        Some(_) => return Err(AppError::BadRequest("`visitor` must be 16 to 64 letters, digits, - or _".into())),
        None => None,
    };
    match request.token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => {
            let claims = check_token(keys.secret, token, keys.max_age_secs).map_err(AppError::Identity)?;
            let email = claims.email.clone();
            Ok(WidgetSession { owner: Owner::Customer(Verified::Token(claims).customer(false)), visitor, email })
        }
        None => match visitor {
            Some(v) => Ok(WidgetSession { owner: Owner::Visitor(v.clone()), visitor: Some(v), email: None }),
            None => Err(AppError::BadRequest("send an identity `token` or a `visitor` id".into())),
        },
    }
}

/// A message's text: trimmed, not empty, at most [`MAX_MESSAGE_CHARS`] (413 beyond).
pub fn message(body: &str) -> Result<String, AppError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::BadRequest("a message needs some text".into()));
    }
    if body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::MessageTooLong);
    }
    Ok(body.to_string())
}

/// Longest client message id.
const MAX_CLIENT_ID_CHARS: usize = 100;

/// Adds a message to `h`'s conversation, from `author` (`customer` or `agent`): checked, numbered,
/// idempotent by the client's id (the same id again answers the message already there, `false`).
/// A customer writing in a solved conversation opens it again.
pub async fn post_message(store: &Store, h: &Handoff, author: &str, request: &MessageRequest) -> Result<(Update, bool), AppError> {
    let body = message(&request.body)?;
    let client_id = request.id.as_deref().map(str::trim).filter(|id| !id.is_empty());
    if client_id.is_some_and(|id| id.chars().count() > MAX_CLIENT_ID_CHARS) {
        return Err(AppError::BadRequest(format!("`id` is at most {MAX_CLIENT_ID_CHARS} characters")));
    }
    let now = crate::handoffs::now_ms();
    let (seq, created) = store.append(h.ticket, NewUpdate { kind: "message", author: Some(author), body: &body, client_id }, now).await?;
    if created && author == "customer" && h.status == "solved" {
        store.set_status(h.ticket, "open").await?;
        store.append(h.ticket, NewUpdate::event("status", "open"), now).await?;
    }
    let update = store.update(seq).await?.ok_or(AppError::NotFound)?;
    Ok((update, created))
}

/// An agent's reply to `h`'s customer, with its audit line naming who answered.
pub async fn agent_reply(store: &Store, h: &Handoff, actor: &crate::accounts::Actor, request: &MessageRequest) -> Result<(Update, bool), AppError> {
    let (update, created) = post_message(store, h, "agent", request).await?;
    if created {
        store.audit(Some(h.ticket), actor.label(), "reply", &format!("replied to the customer (message {})", update.number.unwrap_or(0)), update.at).await?;
    }
    Ok((update, created))
}

/// The handoff a key names: a ticket number, else a reference code.
pub async fn handoff(store: &Store, key: &str) -> Result<Handoff, AppError> {
    let found = match key.parse::<i64>() {
        Ok(id) => store.get(id).await?,
        Err(_) => store.by_reference(key).await?,
    };
    found.ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_open_for_a_visitor_or_a_verified_customer() {
        let keys = crate::handoffs::Keys { secret: Some("s"), max_age_secs: 86400 };
        let v = SessionRequest { token: None, visitor: Some("0123456789abcdef0123456789abcdef".into()) };
        assert_eq!(open(&v, keys).unwrap().owner, Owner::Visitor("v:0123456789abcdef0123456789abcdef".into()));
        assert!(matches!(open(&SessionRequest { token: None, visitor: Some("short".into()) }, keys), Err(AppError::BadRequest(_))));
        assert!(matches!(open(&SessionRequest::default(), keys), Err(AppError::BadRequest(_))));
        let now = crate::handoffs::now_ms() / 1000;
        let token = crate::identity::issue("s", &serde_json::json!({"sub": "u_1", "email": "a@b.co", "iat": now, "exp": now + 60}));
        let s = open(&SessionRequest { token: Some(token), visitor: v.visitor.clone() }, keys).unwrap();
        assert_eq!((s.owner, s.email.as_deref()), (Owner::Customer("id:u_1".into()), Some("a@b.co")));
        assert!(matches!(open(&SessionRequest { token: Some("x.y.z".into()), visitor: None }, keys), Err(AppError::Identity(_))));
        assert_ne!(new_token(), new_token());
        assert_eq!(hash("t").len(), 64);
    }

    #[test]
    fn messages_are_bounded_text() {
        assert!(matches!(message("  "), Err(AppError::BadRequest(_))));
        assert!(matches!(message(&"a".repeat(MAX_MESSAGE_CHARS + 1)), Err(AppError::MessageTooLong)));
        assert_eq!(message(&format!(" {} ", "é".repeat(MAX_MESSAGE_CHARS))).unwrap().chars().count(), MAX_MESSAGE_CHARS);
    }
}
