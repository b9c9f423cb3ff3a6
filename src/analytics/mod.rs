//! The continuity scorecard's events (docs/relay.md, "Scorecard"): the visit's KPI events —
//! searches and whether a confident answer was shown, articles, "did this help", self-service
//! resolved, handoffs sent with their completeness, built by [`baton_core::analytics`] from the
//! journey capture keeps — go to the relay's `POST /v1/events` with `navigator.sendBeacon`
//! (which still sends as the page unloads) when the page hides, and when a handoff is sent;
//! replies seen and effort answers go as they happen. Ids come from the visit and the record, so
//! a visit sent again adds nothing. Nothing goes where consent is required and not given, nor
//! without a relay, nor with `analytics: false`; the search text only with
//! `analytics: { queries: true }`. It starts where the conversations connect (the relay's
//! `conversation` part), whose page-hide listener the widget holds; `destroy` sends the visit's
//! events once more and removes it. The visit's own records (its id, the last handoff's category,
//! events not in the journey) are the one thread-local state `destroy` keeps, on purpose: they
//! belong to the page visit, not to the widget — a widget started again on the same page
//! continues the same visit, and its event ids (`{visit}:c{n}`) must not repeat, or the relay
//! would take a new event for one it already has.

mod send;

use baton_core::analytics::SentHandoff;
use baton_core::config::Config;
use leptos::prelude::RwSignal;
use std::cell::RefCell;

pub use send::{listen, Listening};

/// What the visit adds to the journey capture keeps.
struct Visit {
    /// Its id: random, one per page load.
    id: Option<String>,
    /// The category of the last handoff sent: the visit's journey from then on.
    category: Option<String>,
    /// Events other than the journey's (handoffs sent, replies seen, effort answers), as the
    /// JSON they are sent as.
    extra: Vec<String>,
}

thread_local! {
    static VISIT: RefCell<Visit> = const { RefCell::new(Visit { id: None, category: None, extra: Vec::new() }) };
}

/// A handoff was sent: the visit's journey is its category from now on; its events go.
pub fn handed_off(config: RwSignal<Config>, handoff: SentHandoff) {
    let events = baton_core::analytics::handoff_events(&send::visit_id(), &handoff).map(|e| crate::platform::json::write(&e));
    VISIT.with(|v| {
        let mut v = v.borrow_mut();
        v.category = Some(handoff.category);
        v.extra.extend(events);
    });
    send::send(config);
}

/// An event of a conversation (a reply seen, the effort answer): it goes with the visit's.
pub fn conversation_event(config: RwSignal<Config>, kind: baton_core::wire::EventKind, reference: &str, score: Option<u8>) {
    let visit = send::visit_id();
    let n = VISIT.with(|v| v.borrow().extra.len());
    let event = baton_core::wire::Event {
        id: format!("{visit}:c{n}"),
        kind,
        at: js_sys::Date::now(),
        visit,
        journey: String::new(),
        query: None,
        confident: None,
        article: None,
        helpful: None,
        reference: Some(reference.to_string()),
        completeness: None,
        score,
        progress: None,
    };
    let json = crate::platform::json::write(&event);
    VISIT.with(|v| v.borrow_mut().extra.push(json));
    send::send(config);
}

/// Where the conversations already asked the effort question are remembered (asked once per
/// conversation, answered or skipped).
const EFFORT_ASKED: &str = "baton.effort.v1";
/// Conversations remembered.
const EFFORT_REMEMBERED: usize = 50;

fn effort_asked_list() -> Vec<String> {
    let stored = crate::platform::storage().and_then(|s| s.get_item(EFFORT_ASKED).ok().flatten()).unwrap_or_default();
    stored.split('\n').filter(|r| !r.is_empty()).map(str::to_string).collect()
}

/// Whether the effort question was already asked for conversation `reference` on this device.
pub fn effort_asked(reference: &str) -> bool {
    effort_asked_list().iter().any(|r| r == reference)
}

/// The effort question for `reference` was answered (`score`, 1 to 7) or skipped (`None`): it is
/// not asked again, and an answer goes to the relay.
pub fn effort_answered(config: RwSignal<Config>, reference: &str, score: Option<u8>) {
    let mut asked = effort_asked_list();
    asked.retain(|r| r != reference);
    asked.push(reference.to_string());
    let keep = asked.len().saturating_sub(EFFORT_REMEMBERED);
    if let Some(s) = crate::platform::storage() {
        let _ = s.set_item(EFFORT_ASKED, &asked[keep..].join("\n"));
    }
    if let Some(score) = score {
        conversation_event(config, baton_core::wire::EventKind::Effort, reference, Some(score));
    }
}
