//! The widget's KPI events as the relay accepts them (`POST /v1/events`): a batch checked whole —
//! a clear 422 for anything that is not an event, unknown kinds named — then each event bounded
//! (texts cut, its time kept within the last two days, the query redacted again) and tied to the
//! sending session's customer or visitor, so that an erasure reaches it.

use crate::error::AppError;
use crate::store::{NewEvent, WidgetSession};
use baton_core::wire::{Event, EventKind, MAX_EVENTS_PER_BATCH, MAX_EVENT_TEXT};
use serde_json::Value;

/// How far back an event's own time is believed.
const PAST_MS: i64 = 2 * 86_400_000;
/// How far ahead (clock skew).
const AHEAD_MS: i64 = 5 * 60_000;

fn cut(s: &str) -> String {
    s.trim().chars().take(MAX_EVENT_TEXT).collect()
}

/// Checks a batch (`body`, JSON) received at `now` from `session` (if any).
pub fn accept(body: &[u8], now: i64, session: Option<&WidgetSession>) -> Result<Vec<NewEvent>, AppError> {
    let batch: Value = serde_json::from_slice(body).map_err(|e| AppError::BadEvents(format!("the body is not JSON: {e}")))?;
    let events = batch.get("events").and_then(Value::as_array).ok_or_else(|| AppError::BadEvents("send {\"events\": [...]}".into()))?;
    if events.len() > MAX_EVENTS_PER_BATCH {
        return Err(AppError::BadEvents(format!("at most {MAX_EVENTS_PER_BATCH} events in one batch")));
    }
    let (customer, visitor) = match session {
        Some(s) => (match &s.owner {
            crate::store::Owner::Customer(c) => Some(c.clone()),
            crate::store::Owner::Visitor(_) => None,
        }, s.visitor.clone()),
        None => (None, None),
    };
    events
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            if let Some(kind) = raw.get("kind").and_then(Value::as_str).filter(|k| !EventKind::ALL.iter().any(|x| x.name() == *k)) {
                let known = EventKind::ALL.map(EventKind::name).join(", ");
                return Err(AppError::BadEvents(format!("event {i}: unknown kind {kind:?} (one of {known})")));
            }
            let e: Event = serde_json::from_value(raw.clone()).map_err(|err| AppError::BadEvents(format!("event {i}: {err}")))?;
            let (id, visit) = (cut(&e.id), cut(&e.visit));
            if id.is_empty() || visit.is_empty() {
                return Err(AppError::BadEvents(format!("event {i}: `id` and `visit` must not be empty")));
            }
            if e.score.is_some_and(|s| !(1..=7).contains(&s)) {
                return Err(AppError::BadEvents(format!("event {i}: `score` is 1 to 7")));
            }
            if e.completeness.is_some_and(|c| !(0.0..=1.0).contains(&c)) {
                return Err(AppError::BadEvents(format!("event {i}: `completeness` is 0 to 1")));
            }
            let at = e.at as i64;
            let at = if e.at.is_finite() && at >= now - PAST_MS && at <= now + AHEAD_MS { at } else { now };
            Ok(NewEvent {
                event_id: id,
                kind: e.kind.name(),
                at,
                visit,
                journey: cut(&e.journey),
                query: e.query.as_deref().map(|q| cut(&baton_core::capture::redact::redact(q))).filter(|q| !q.is_empty()),
                confident: e.confident,
                article: e.article.as_deref().map(cut),
                helpful: e.helpful,
                reference: e.reference.as_deref().map(|r| cut(r).to_ascii_uppercase()),
                value: e.completeness.or(e.score.map(f64::from)),
                progress: e.progress.as_deref().map(cut),
                customer: customer.clone(),
                visitor: visitor.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn err(body: &str) -> String {
        match accept(body.as_bytes(), NOW, None) {
            Err(AppError::BadEvents(m)) => m,
            other => panic!("{body}: {:?}", other.map(|e| e.len())),
        }
    }

    #[test]
    fn batches_are_checked_and_events_bounded() {
        assert!(err("nope").starts_with("the body is not JSON"));
        assert!(err("[]").contains("{\"events\""));
        assert!(err(r#"{"events":[{"id":"1","kind":"bought","at":1,"visit":"v","journey":"j"}]}"#).contains("unknown kind \"bought\" (one of search, article"));
        assert!(err(r#"{"events":[{"id":"1","kind":"effort","at":1,"visit":"v","journey":"j","score":9}]}"#).contains("`score` is 1 to 7"));
        assert!(err(r#"{"events":[{"id":"","kind":"search","at":1,"visit":"v","journey":"j"}]}"#).contains("must not be empty"));
        assert!(err(r#"{"events":[{"kind":"search"}]}"#).starts_with("event 0: missing field"));
        let many = format!(r#"{{"events":[{}]}}"#, vec![r#"{"id":"1","kind":"search","at":1,"visit":"v","journey":"j"}"#; 101].join(","));
        assert!(err(&many).contains("at most 100"));
        let body = format!(r#"{{"events":[{{"id":"e1","kind":"search","at":{},"visit":"v","journey":"{}","query":"refund for jane@acme.example","confident":false}},{{"id":"e2","kind":"handoff-sent","at":1,"visit":"v","journey":"billing","completeness":0.75,"reference":"btn-a"}}]}}"#, NOW - 1000, "j".repeat(500));
        let events = accept(body.as_bytes(), NOW, None).unwrap();
        assert_eq!((events[0].at, events[0].journey.len(), events[0].confident), (NOW - 1000, 200, Some(false)));
        assert!(!events[0].query.as_deref().unwrap().contains("jane@acme.example"), "{:?}", events[0].query);
        assert_eq!((events[1].at, events[1].value, events[1].reference.as_deref()), (NOW, Some(0.75), Some("BTN-A")), "a time from long ago is the relay's");
    }
}
