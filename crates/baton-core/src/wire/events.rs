//! The continuity scorecard's wire: the widget's KPI events (`POST /v1/events`) and the
//! scorecard's numbers (`GET /v1/scorecard`). Definitions of every metric: docs/relay.md,
//! "Scorecard".

use serde::{Deserialize, Serialize};

/// Most events in one `POST /v1/events`.
pub const MAX_EVENTS_PER_BATCH: usize = 100;
/// Largest `POST /v1/events` body, in bytes.
pub const MAX_EVENTS_BODY: usize = 64 * 1024;
/// Longest text field of an event (a query, an article id, a journey, an id).
pub const MAX_EVENT_TEXT: usize = 200;

/// What happened, as the widget reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// A search; `confident`: whether a confident answer was shown; `query` only where the
    /// team collects queries (`analytics: { queries: true }`), redacted.
    Search,
    /// An article read; `article`.
    Article,
    /// "Did this help?"; `article`, `helpful`.
    Helpful,
    /// The visit ended in self-service (an answer helped and nobody was asked).
    SelfServiceResolved,
    /// The customer chose to reach a person; `progress`: how far self-service went.
    Escalated,
    /// A handoff was sent; `reference`, `completeness` (its contextCompleteness).
    HandoffSent,
    /// An agent's reply was seen in the widget; `reference`.
    ReplySeen,
    /// The effort question answered: `score` 1 (very difficult) to 7 (very easy); `reference`.
    Effort,
}

impl EventKind {
    /// Every kind, in the order docs/relay.md lists them.
    pub const ALL: [EventKind; 8] = [
        EventKind::Search,
        EventKind::Article,
        EventKind::Helpful,
        EventKind::SelfServiceResolved,
        EventKind::Escalated,
        EventKind::HandoffSent,
        EventKind::ReplySeen,
        EventKind::Effort,
    ];

    /// The kind as stored and as JSON names it.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Search => "search",
            EventKind::Article => "article",
            EventKind::Helpful => "helpful",
            EventKind::SelfServiceResolved => "self-service-resolved",
            EventKind::Escalated => "escalated",
            EventKind::HandoffSent => "handoff-sent",
            EventKind::ReplySeen => "reply-seen",
            EventKind::Effort => "effort",
        }
    }
}

/// One KPI event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// The event's own id: the same id again is the same event (batches are resent).
    pub id: String,
    /// What happened.
    pub kind: EventKind,
    /// When, ms since the epoch (the relay keeps it within the last two days).
    pub at: f64,
    /// The page visit it belongs to: a help session is one visit with a search or an article.
    pub visit: String,
    /// The handoff's routing category, else the route pattern of the page where help started.
    pub journey: String,
    /// A search's query (redacted), when collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// A search: whether a confident answer was shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confident: Option<bool>,
    /// An article's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    /// "Did this help?": the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helpful: Option<bool>,
    /// A handoff's or a reply's reference code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// A handoff's contextCompleteness, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completeness: Option<f64>,
    /// The effort answer, 1 to 7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<u8>,
    /// An escalation: how far self-service went (`none`, `searched`, `read`, `rated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
}

/// Body of `POST /v1/events`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventBatch {
    /// At most [`MAX_EVENTS_PER_BATCH`].
    pub events: Vec<Event>,
}

/// Answer of `POST /v1/events`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventsAccepted {
    /// Events stored now (a resent one is not counted twice).
    pub stored: usize,
}

/// The context-preservation numbers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Completeness {
    /// Mean contextCompleteness of the period's handoffs (`null` without handoffs).
    pub mean: Option<f64>,
    /// Handoffs per tenth: `[0, 0.1)`, … `[0.9, 1]`.
    pub histogram: [u64; 10],
}

/// Where agents' replies were seen.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Replies {
    /// Seen in a widget.
    pub widget: u64,
    /// Not seen, but emailed.
    pub email: u64,
    /// Neither (yet).
    pub never: u64,
    /// Median time from the reply to its being seen in a widget.
    pub median_seen_ms: Option<i64>,
}

/// The Customer Effort Score.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Effort {
    /// Mean answer, 1 to 7 (`null` without answers).
    pub mean: Option<f64>,
    /// Answers.
    pub n: u64,
    /// Answers per score, 1 to 7.
    pub distribution: [u64; 7],
}

/// The scorecard's numbers for one period (overall or one journey). A rate with no
/// denominator is `null`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metrics {
    /// Page visits with a search or an article view.
    pub help_sessions: u64,
    /// Help sessions that read an article.
    pub read_sessions: u64,
    /// Help sessions that answered "helpful".
    pub helpful_sessions: u64,
    /// Help sessions that ended in self-service-resolved.
    pub resolved_sessions: u64,
    /// Help sessions with a handoff.
    pub escalated_sessions: u64,
    /// `resolved_sessions ÷ help_sessions`.
    pub self_service_resolution_rate: Option<f64>,
    /// `escalated_sessions ÷ help_sessions`.
    pub escalation_rate: Option<f64>,
    /// Verified customers with two or more handoffs on one journey within the window ÷ verified
    /// customers with a handoff.
    pub repeat_contact_rate: Option<f64>,
    /// Solved conversations resolved at first contact ÷ solved conversations whose window has
    /// passed.
    pub first_contact_resolution_rate: Option<f64>,
    /// Context preservation.
    pub context_completeness: Completeness,
    /// Conversations whose agent had to ask for something the handoff had ÷ conversations with
    /// a reply.
    pub reask_rate: Option<f64>,
    /// Reply continuity.
    pub replies: Replies,
    /// Customer effort.
    pub effort: Effort,
}

/// One journey's numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JourneyMetrics {
    /// The journey.
    pub journey: String,
    /// Its numbers.
    #[serde(flatten)]
    pub metrics: Metrics,
}

/// A search with no confident answer, and how often it was made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentGap {
    /// The (redacted) query.
    pub query: String,
    /// How often.
    pub count: u64,
}

/// Answer of `GET /v1/scorecard`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scorecard {
    /// Start of the period, ms since the epoch (inclusive).
    pub from: i64,
    /// End of the period (exclusive).
    pub to: i64,
    /// Every journey together.
    pub overall: Metrics,
    /// Per journey, by repeat contact rate (highest first).
    pub journeys: Vec<JourneyMetrics>,
    /// The most frequent searches without a confident answer.
    pub content_gaps: Vec<ContentGap>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_as_the_widget_writes_them() {
        let e: Event = serde_json::from_str(r#"{"id":"e1","kind":"self-service-resolved","at":1.0,"visit":"v","journey":"/billing"}"#).unwrap();
        assert_eq!((e.kind, e.kind.name()), (EventKind::SelfServiceResolved, "self-service-resolved"));
        assert!(serde_json::from_str::<Event>(r#"{"id":"e1","kind":"bought","at":1,"visit":"v","journey":"j"}"#).is_err(), "unknown kinds are refused");
        for kind in EventKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name(), "one name for each kind, in JSON and in the store");
        }
        let m = serde_json::to_value(Metrics::default()).unwrap();
        assert!(m["selfServiceResolutionRate"].is_null() && m["contextCompleteness"]["histogram"].as_array().unwrap().len() == 10 && m["replies"]["medianSeenMs"].is_null());
    }
}
