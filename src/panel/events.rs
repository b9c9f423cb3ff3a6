//! The events a host can listen to with `Baton('on', name, callback)`, and their registry.
//!
//! A host callback is host code: whatever it does (throw, call back into Baton, remove itself)
//! must neither break Baton nor reach other listeners. So listeners are called from a copy of
//! the list, each in its own `try`, with no Baton state borrowed.

use baton_core::limits::{truncate_chars, MAX_ECHO_CHARS, MAX_LISTENERS_PER_EVENT};
use crate::platform::log;
use wasm_bindgen::JsValue;

/// An event Baton emits to the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// The widget code has loaded, mounted and replayed the queued calls.
    Ready,
    /// The panel opened.
    Open,
    /// The panel closed.
    Close,
    /// The user opened an article: `{id, title}`.
    ArticleViewed,
    /// The user answered "Did this answer your question?": `{id, helpful}`.
    AnswerFeedback,
    /// The visit ended with a helpful answer and no handoff: `{id, title, searches}` (see
    /// [`baton_core::answers::outcome`] for exactly when).
    SelfServiceResolved,
    /// The user sent a handoff: the bundle.
    Escalated,
    /// Delivery: a listener receives the bundle and may return a promise of a ticket id or URL.
    Handoff,
    /// The handoff reached the host or help desk: `{reference, ticket}`.
    HandoffDelivered,
    /// The handoff could not be delivered: `{reference, reason}`.
    HandoffFailed,
    /// The count of agent replies not yet read changed: `{count}`.
    Unread,
}

impl Event {
    /// Every event, in the order README lists them.
    pub const ALL: [Event; 11] = [
        Event::Ready,
        Event::Open,
        Event::Close,
        Event::ArticleViewed,
        Event::AnswerFeedback,
        Event::SelfServiceResolved,
        Event::Escalated,
        Event::Handoff,
        Event::HandoffDelivered,
        Event::HandoffFailed,
        Event::Unread,
    ];

    /// The name a host passes to `on` / `off`.
    pub fn name(self) -> &'static str {
        match self {
            Event::Ready => "ready",
            Event::Open => "open",
            Event::Close => "close",
            Event::ArticleViewed => "article-viewed",
            Event::AnswerFeedback => "answer-feedback",
            Event::SelfServiceResolved => "self-service-resolved",
            Event::Escalated => "escalated",
            Event::Handoff => "handoff",
            Event::HandoffDelivered => "handoff-delivered",
            Event::HandoffFailed => "handoff-failed",
            Event::Unread => "unread",
        }
    }

    /// Parses a host-supplied event name; the error explains what is accepted.
    pub fn parse(name: &str) -> Result<Event, String> {
        Event::ALL.into_iter().find(|e| e.name() == name).ok_or_else(|| {
            let known: Vec<&str> = Event::ALL.iter().map(|e| e.name()).collect();
            format!(
                "unknown event \"{}\"; known events: {}",
                truncate_chars(name, MAX_ECHO_CHARS),
                known.join(", ")
            )
        })
    }
}

/// Host callbacks by event. Order of registration is order of calls; a callback registered
/// twice for one event is called once (as with `addEventListener`).
#[derive(Default)]
pub struct Listeners {
    entries: Vec<(Event, js_sys::Function)>,
}

impl Listeners {
    /// Adds `callback` for `event`. False when it was already there or the event is full.
    pub fn add(&mut self, event: Event, callback: js_sys::Function) -> bool {
        if self.entries.iter().any(|(e, f)| *e == event && JsValue::from(f) == JsValue::from(&callback)) {
            return false;
        }
        if self.entries.iter().filter(|(e, _)| *e == event).count() >= MAX_LISTENERS_PER_EVENT {
            log::warn(&format!(
                "more than {MAX_LISTENERS_PER_EVENT} listeners for \"{}\"; this one is ignored",
                event.name()
            ));
            return false;
        }
        self.entries.push((event, callback));
        true
    }

    /// Removes `callback` from `event`; with no callback, removes every listener of `event`.
    pub fn remove(&mut self, event: Event, callback: Option<&js_sys::Function>) {
        self.entries.retain(|(e, f)| {
            *e != event || callback.is_some_and(|c| JsValue::from(f) != JsValue::from(c))
        });
    }

    /// The callbacks for `event`, copied so that the caller can release its borrow first.
    pub fn for_event(&self, event: Event) -> Vec<js_sys::Function> {
        self.entries.iter().filter(|(e, _)| *e == event).map(|(_, f)| f.clone()).collect()
    }

    /// Forgets every listener.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// A plain JS object from key/value pairs, for event payloads.
pub fn payload(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// Calls each callback with `payload`. A throwing callback is reported and skipped.
pub fn call_all(event: Event, callbacks: &[js_sys::Function], payload: &JsValue) {
    for callback in callbacks {
        if let Err(thrown) = callback.call1(&JsValue::NULL, payload) {
            let what = thrown.as_string().or_else(|| {
                js_sys::Reflect::get(&thrown, &"message".into()).ok().and_then(|m| m.as_string())
            });
            log::error(&format!(
                "a \"{}\" listener threw: {}",
                event.name(),
                truncate_chars(&what.unwrap_or_else(|| "(not an Error)".into()), 200)
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for e in Event::ALL {
            assert_eq!(Event::parse(e.name()), Ok(e));
        }
    }

    #[test]
    fn unknown_names_list_the_known_ones() {
        let err = Event::parse("opne").unwrap_err();
        assert!(err.contains("\"opne\"") && err.contains("ready, open, close, article-viewed"), "{err}");
        assert!(Event::parse(&"x".repeat(5000)).unwrap_err().len() < 260, "a long name is not echoed whole");
    }
}
