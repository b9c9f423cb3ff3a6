//! What the conversation stores on the device (localStorage), and only once allowed
//! (`conversation::allowed`): the relay session (an opaque token the relay keeps hashed) with
//! the identity it speaks for, and the anonymous visitor id (128 random bits, made at the
//! visitor's first interaction). `forget_all` removes them with the rest of the user's traces.

use serde::{Deserialize, Serialize};

const SESSION: &str = "baton.session.v1";
const VISITOR: &str = "baton.visitor.v1";
/// The other keys that belong to the user (`handoff::memory`): removed on reset.
const USER_KEYS: [&str; 2] = ["baton.draft.v1", "baton.references.v1"];

/// A stored session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stored {
    /// The session token.
    pub token: String,
    /// The relay it belongs to.
    pub relay: String,
    /// The identity token's `sub` it was opened for; `None` for an anonymous visitor.
    pub sub: Option<String>,
    /// When it expires (ms since the epoch).
    pub expires_at: f64,
}

/// Whether a session is stored (read by the loader too, to fetch the widget early).
pub fn has_stored() -> bool {
    crate::platform::storage().and_then(|s| s.get_item(SESSION).ok().flatten()).is_some()
}

/// The stored session, if it is for `relay` and `sub` and still live at `now`.
pub fn stored(relay: &str, sub: Option<&str>, now: f64) -> Option<Stored> {
    let text = crate::platform::storage()?.get_item(SESSION).ok().flatten()?;
    let s: Stored = crate::platform::json::parse(&text).ok()?;
    (s.relay == relay && s.sub.as_deref() == sub && s.expires_at > now).then_some(s)
}

/// The stored session token for `relay`, whoever it is for (handoffs are filed with it).
pub fn token_for(relay: &str) -> Option<String> {
    let text = crate::platform::storage()?.get_item(SESSION).ok().flatten()?;
    let s: Stored = crate::platform::json::parse(&text).ok()?;
    (s.relay == relay).then_some(s.token)
}

/// Stores a session.
pub fn store(session: &Stored) {
    if let Some(s) = crate::platform::storage() {
        if s.set_item(SESSION, &crate::platform::json::write(session)).is_err() {
            crate::platform::log::warn("the conversation session could not be saved (storage full or blocked); it lasts until the page closes");
        }
    }
}

/// Removes the stored session and returns it as stored (to end it on the relay: [`token_of`]).
pub fn take() -> Option<String> {
    let s = crate::platform::storage()?;
    let text = s.get_item(SESSION).ok().flatten();
    let _ = s.remove_item(SESSION);
    text
}

/// The session token in a stored session's text.
pub fn token_of(stored: &str) -> Option<String> {
    crate::platform::json::parse::<Stored>(stored).ok().map(|s| s.token)
}

/// 128 random bits as 32 hex digits (the browser's cryptographic generator).
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let random = web_sys::window().and_then(|w| w.crypto().ok()).is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !random {
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The visitor id, made now if there is none.
pub fn visitor() -> String {
    let s = crate::platform::storage();
    if let Some(id) = s.as_ref().and_then(|s| s.get_item(VISITOR).ok().flatten()).filter(|v| v.len() == 32) {
        return id;
    }
    let id = random_id();
    if let Some(s) = s {
        let _ = s.set_item(VISITOR, &id);
    }
    id
}

/// Removes the session, the visitor id, the draft and the remembered references.
pub fn forget_all() {
    if let Some(s) = crate::platform::storage() {
        for key in [SESSION, VISITOR].iter().chain(USER_KEYS.iter()) {
            let _ = s.remove_item(key);
        }
    }
}
