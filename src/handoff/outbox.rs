//! The outbox: handoffs waiting for `handoff.endpoint`, kept in localStorage so that going
//! offline, a reload or a closed tab loses nothing. Each is POSTed with its own
//! `Idempotency-Key` until the receiver accepts it (2xx) or refuses it for good (4xx); retries
//! follow [`baton_core::handoff::retry`]. Flushed when the widget starts and when the browser comes
//! back online.

use baton_core::handoff::retry::{self, Next};
use crate::platform::log;
use serde::{Deserialize, Serialize};
use std::cell::Cell;

const KEY: &str = "baton.outbox.v1";
/// Most handoffs kept waiting (the oldest is dropped beyond, with a console error).
const MAX_ITEMS: usize = 20;

/// One waiting handoff.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Item {
    /// Reference code.
    pub reference: String,
    /// Sent as `Idempotency-Key`: the same on every attempt.
    pub key: String,
    /// Where to POST it.
    pub endpoint: String,
    /// The bundle, serialised.
    pub body: String,
    /// Attempts so far.
    pub attempts: u32,
    /// `"chatwoot"` for the three-call Chatwoot Client API (body: `[contact, conversation,
    /// message]`); empty for one POST of `body`.
    #[serde(default)]
    pub format: String,
    /// Chatwoot progress, so that a retry resumes instead of creating duplicates.
    #[serde(default)]
    pub contact: Option<String>,
    /// Chatwoot progress: the conversation created.
    #[serde(default)]
    pub conversation: Option<u64>,
}

/// How one item's delivery ended, for the caller to tell the user and the host.
#[derive(Clone, Debug, PartialEq)]
pub enum Report {
    /// Accepted by the receiver.
    Delivered(String),
    /// Refused for good (reference, reason).
    Refused(String, String),
    /// Will be retried (reference, delay in ms).
    Waiting(String, f64),
}

/// Everything waiting.
pub fn load() -> Vec<Item> {
    crate::platform::storage().and_then(|s| s.get_item(KEY).ok().flatten()).and_then(|t| crate::platform::json::parse(&t).ok()).unwrap_or_default()
}

fn save(items: &[Item]) {
    let Some(s) = crate::platform::storage() else { return };
    if s.set_item(KEY, &crate::platform::json::write(items)).is_err() {
        log::error("the outbox could not be saved (storage full or blocked); handoffs will be kept only until the page closes");
    }
}

/// Whether the outbox holds anything, without reading its items (that code is in the `handoff`
/// part; the first screen only asks whether the part is needed).
pub fn has_items() -> bool {
    let text = crate::platform::storage().and_then(|s| s.get_item(KEY).ok().flatten());
    text.is_some_and(|t| crate::platform::json::parse::<Vec<serde_json::Value>>(&t).is_ok_and(|items| !items.is_empty()))
}

/// Adds a handoff to the outbox (persisted before any attempt).
pub fn add(item: Item) {
    let mut items = load();
    items.retain(|i| i.key != item.key);
    items.push(item);
    while items.len() > MAX_ITEMS {
        let dropped = items.remove(0);
        log::error(&format!("outbox full: handoff {} dropped", dropped.reference));
    }
    save(&items);
}

thread_local! {
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
}

/// One JSON POST: status (None for a network error), Retry-After, and the response text.
async fn send_json(url: &str, body: &str, key: &str) -> (Option<u16>, Option<String>, String) {
    // To a baton-relay, the customer's conversation session goes along: the handoff becomes
    // their conversation (verified when the session is).
    let session = url.trim_end_matches('/').strip_suffix("/v1/handoffs").and_then(crate::conversation::session::token_for).map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json"), ("Idempotency-Key", key)];
    if let Some(auth) = session.as_deref() {
        headers.push(("Authorization", auth));
    }
    let request = crate::platform::fetch::OwnRequest { url, method: "POST", headers: &headers, body: Some(body) };
    match crate::platform::fetch::own_fetch(request).await {
        Ok(r) => (Some(r.status), r.retry_after, r.text),
        Err(()) => (None, None, String::new()),
    }
}

fn ok(status: Option<u16>) -> bool {
    status.is_some_and(|s| (200..300).contains(&s))
}

/// One attempt at delivering `item`, recording Chatwoot progress in it. Returns the status of
/// the call that decided (None for a network error) and its Retry-After.
async fn attempt(item: &mut Item) -> (Option<u16>, Option<String>) {
    if item.format != "chatwoot" {
        let (status, retry_after, _) = send_json(&item.endpoint, &item.body, &item.key).await;
        return (status, retry_after);
    }
    let parts: Vec<serde_json::Value> = crate::platform::json::parse(&item.body).unwrap_or_default();
    let [contact, conversation, message] = <[serde_json::Value; 3]>::try_from(parts).unwrap_or_default();
    let base = item.endpoint.trim_end_matches('/').to_string();
    if item.contact.is_none() {
        let (status, retry_after, text) = send_json(&format!("{base}/contacts"), &crate::platform::json::write(&contact), &format!("{}-contact", item.key)).await;
        if !ok(status) {
            return (status, retry_after);
        }
        let reply: serde_json::Value = crate::platform::json::parse(&text).unwrap_or_default();
        match reply["source_id"].as_str() {
            Some(id) => item.contact = Some(id.to_string()),
            None => return (Some(502), None),
        }
    }
    let contact_id = item.contact.clone().unwrap_or_default();
    if item.conversation.is_none() {
        let url = format!("{base}/contacts/{contact_id}/conversations");
        let (status, retry_after, text) = send_json(&url, &crate::platform::json::write(&conversation), &format!("{}-conversation", item.key)).await;
        if !ok(status) {
            return (status, retry_after);
        }
        let reply: serde_json::Value = crate::platform::json::parse(&text).unwrap_or_default();
        match reply["id"].as_u64() {
            Some(id) => item.conversation = Some(id),
            None => return (Some(502), None),
        }
    }
    let url = format!("{base}/contacts/{contact_id}/conversations/{}/messages", item.conversation.unwrap_or_default());
    let (status, retry_after, _) = send_json(&url, &crate::platform::json::write(&message), &format!("{}-message", item.key)).await;
    (status, retry_after)
}

/// Tries every waiting handoff once; `report` hears how each went. Retries are scheduled for
/// the soonest delay asked. Only one flush runs at a time.
pub fn flush(report: impl Fn(Report) + 'static) {
    if FLUSHING.with(|f| f.replace(true)) {
        return;
    }
    leptos::task::spawn_local(async move {
        let mut soonest: Option<f64> = None;
        for mut item in load() {
            let (status, retry_after) = attempt(&mut item).await;
            let next = retry::next(status, retry_after.as_deref(), item.attempts, js_sys::Math::random());
            let mut items = load();
            match next {
                Next::Delivered => {
                    items.retain(|i| i.key != item.key);
                    report(Report::Delivered(item.reference.clone()));
                }
                Next::GiveUp(why) => {
                    items.retain(|i| i.key != item.key);
                    log::error(&format!("handoff {} refused by {}: {why}; not retried", item.reference, item.endpoint));
                    report(Report::Refused(item.reference.clone(), why));
                }
                Next::RetryIn(ms) => {
                    if let Some(i) = items.iter_mut().find(|i| i.key == item.key) {
                        i.attempts += 1;
                        i.contact = item.contact.clone();
                        i.conversation = item.conversation;
                    }
                    soonest = Some(soonest.map_or(ms, |s: f64| s.min(ms)));
                    report(Report::Waiting(item.reference.clone(), ms));
                }
            }
            save(&items);
        }
        FLUSHING.with(|f| f.set(false));
        // Handoffs added while this flush ran go out now.
        if soonest.is_none() && !load().is_empty() {
            soonest = Some(0.0);
        }
        if let Some(ms) = soonest {
            leptos::prelude::set_timeout(move || flush(report), std::time::Duration::from_millis(ms as u64));
        }
    });
}
