//! The page-hide listener, and the visit's events built and sent. Only the parts that connect
//! conversations, hand off or converse call it, so none of this is in the first module.

use super::VISIT;
use crate::platform::guard::WindowListener;
use baton_core::analytics::{visit_events, VisitFacts};
use baton_core::config::Config;
use leptos::prelude::{RwSignal, WithUntracked};

/// The scorecard's hold on the page: the listener that sends the visit's events when the page
/// hides. The widget holds it; dropping it (`destroy`) removes the listener and sends the visit's
/// events one last time, before capture forgets the journey they are built from.
pub struct Listening {
    _pagehide: WindowListener,
    config: RwSignal<Config>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        send(self.config);
    }
}

/// Starts sending the visit's events when the page hides, reading `config` then.
pub fn listen(config: RwSignal<Config>) -> Listening {
    Listening { _pagehide: WindowListener::new(leptos::prelude::window_event_listener(leptos::ev::pagehide, move |_| send(config))), config }
}

/// The page visit's id: random, one per page load.
pub fn visit_id() -> String {
    VISIT.with(|v| v.borrow_mut().id.get_or_insert_with(crate::conversation::session::random_id).clone())
}

/// Where events go — the relay's base and whether queries are collected — when they go at all.
fn target(config: RwSignal<Config>) -> Option<(String, bool)> {
    config.try_with_untracked(|c| c.relay_base().filter(|_| c.analytics && crate::conversation::allowed(c.consent_required)).map(|r| (r, c.analytics_queries))).flatten()
}

/// Sends every event of the visit so far to the relay's `/v1/events`.
pub fn send(config: RwSignal<Config>) {
    let Some((relay, queries)) = target(config) else { return };
    let id = visit_id();
    let (category, extra) = VISIT.with(|v| {
        let v = v.borrow();
        (v.category.clone(), v.extra.clone())
    });
    let events = crate::capture::with_context(|c| {
        // Self-service resolved: an answer helped and nobody was asked (the widget's
        // `self-service-resolved` event says the same when the visit ends).
        let resolved = (category.is_none() && c.journey.articles.iter().any(|a| a.helpful == Some(true))).then(js_sys::Date::now);
        visit_events(&VisitFacts { id: &id, journey: &c.journey, routes: &c.routes, resolved, category: category.as_deref(), queries })
    })
    .unwrap_or_default();
    let mut json: Vec<String> = events.iter().map(crate::platform::json::write).collect();
    json.extend(extra);
    // The relay takes at most 100 a batch: a long visit goes in several.
    for chunk in json.chunks(baton_core::wire::MAX_EVENTS_PER_BATCH) {
        let body = format!("{{\"events\":[{}]}}", chunk.join(","));
        let sent = web_sys::window().and_then(|w| w.navigator().send_beacon_with_opt_str(&format!("{relay}/v1/events"), Some(&body)).ok());
        if sent != Some(true) {
            crate::platform::log::warn("events not sent");
        }
    }
}
