//! The KPI events of one page visit, as the widget sends them to the relay's `POST /v1/events`
//! for the continuity scorecard. They are derived from the visit's [`Journey`] each time the
//! visit is flushed (the panel closes, the page hides), with ids made from the visit and the
//! record, so that sending the same visit again adds nothing on the relay. Target-independent
//! and natively tested; the widget's `analytics` feature sends them.

use crate::capture::context::{Journey, Visit};
use crate::wire::{Event, EventKind};

/// A handoff sent during the visit, as the events report it.
#[derive(Clone, Debug, PartialEq)]
pub struct SentHandoff {
    /// Its reference code.
    pub reference: String,
    /// Its routing category: the visit's journey from then on.
    pub category: String,
    /// Its contextCompleteness.
    pub completeness: f64,
    /// How far self-service went (`selfServiceProgress.reached`).
    pub progress: String,
    /// When.
    pub at: f64,
}

/// What a visit's events are made of.
pub struct VisitFacts<'a> {
    /// The visit's id (random, one per page load).
    pub id: &'a str,
    /// Searches, articles and answers.
    pub journey: &'a Journey,
    /// The routes of the visit (for where help started).
    pub routes: &'a [Visit],
    /// The visit ended in self-service.
    pub resolved: Option<f64>,
    /// The category of the last handoff sent, if any: the visit's journey from then on (the
    /// handoffs' own events are [`handoff_events`]).
    pub category: Option<&'a str>,
    /// Whether the team collects search text (`analytics: { queries: true }`); the journey's
    /// queries are already redacted.
    pub queries: bool,
}

/// A route's pattern: a path with its ids (segments with digits, long tokens) as `:id`, so that
/// `/invoices/4182` and `/invoices/77` are one journey.
pub fn route_pattern(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| if s.bytes().any(|b| b.is_ascii_digit()) || s.len() >= 24 { ":id" } else { s })
        .collect();
    format!("/{}", segments.join("/"))
}

/// Where help started: the route the visit was on at its first search or article.
fn started_on(facts: &VisitFacts) -> String {
    let first = facts.journey.searches.iter().map(|s| s.at).chain(facts.journey.articles.iter().map(|a| a.at)).fold(f64::MAX, f64::min);
    let route = facts.routes.iter().rev().find(|r| r.at <= first).or(facts.routes.first());
    route.map_or("/".into(), |r| route_pattern(&r.path))
}

fn event(id: String, kind: EventKind, at: f64, visit: &str, journey: &str) -> Event {
    Event { id, kind, at, visit: visit.into(), journey: journey.into(), query: None, confident: None, article: None, helpful: None, reference: None, completeness: None, score: None, progress: None }
}

/// The events of a handoff sent during visit `visit`: escalated, then handoff-sent.
pub fn handoff_events(visit: &str, h: &SentHandoff) -> [Event; 2] {
    let mut escalated = event(format!("{visit}:e:{}", h.reference), EventKind::Escalated, h.at, visit, &h.category);
    escalated.progress = Some(h.progress.clone());
    let mut sent = event(format!("{visit}:t:{}", h.reference), EventKind::HandoffSent, h.at, visit, &h.category);
    (sent.reference, sent.completeness) = (Some(h.reference.clone()), Some(h.completeness));
    [escalated, sent]
}

/// The visit's self-service events so far: searches, articles, answers, and self-service
/// resolved.
pub fn visit_events(facts: &VisitFacts) -> Vec<Event> {
    let v = facts.id;
    let page = started_on(facts);
    // After a handoff, the visit's journey is the handoff's category.
    let journey = facts.category.unwrap_or(page.as_str()).to_string();
    let mut out = Vec::new();
    for (i, s) in facts.journey.searches.iter().enumerate() {
        let mut e = event(format!("{v}:s{i}"), EventKind::Search, s.at, v, &journey);
        e.confident = Some(s.answered);
        e.query = facts.queries.then(|| s.query.clone()).filter(|q| !q.is_empty());
        out.push(e);
    }
    for (i, a) in facts.journey.articles.iter().enumerate() {
        let mut e = event(format!("{v}:a{i}"), EventKind::Article, a.at, v, &journey);
        e.article = Some(a.id.clone());
        out.push(e);
        if let Some(helpful) = a.helpful {
            let mut e = event(format!("{v}:h{i}"), EventKind::Helpful, a.at, v, &journey);
            (e.article, e.helpful) = (Some(a.id.clone()), Some(helpful));
            out.push(e);
        }
    }
    if let Some(at) = facts.resolved {
        out.push(event(format!("{v}:r"), EventKind::SelfServiceResolved, at, v, &journey));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::context::{ArticleRecord, NavKind, SearchRecord};

    fn route(path: &str, at: f64) -> Visit {
        Visit { url: path.into(), path: path.into(), title: String::new(), via: NavKind::Load, at, duration_ms: None, count: 1 }
    }

    #[test]
    fn a_visit_becomes_its_events() {
        let journey = Journey {
            flows: vec![],
            searches: vec![SearchRecord { query: "refund [email]".into(), at: 20.0, results: 2, answered: false, ..Default::default() }],
            articles: vec![ArticleRecord { id: "refunds".into(), title: "Refunds".into(), at: 30.0, helpful: Some(true) }],
        };
        let routes = [route("/dashboard", 0.0), route("/invoices/4182", 10.0), route("/settings", 40.0)];
        let facts = VisitFacts { id: "v1", journey: &journey, routes: &routes, resolved: Some(50.0), category: None, queries: false };
        let events = visit_events(&facts);
        let kinds: Vec<(&str, &str, &str)> = events.iter().map(|e| (e.id.as_str(), e.kind.name(), e.journey.as_str())).collect();
        assert_eq!(kinds, [("v1:s0", "search", "/invoices/:id"), ("v1:a0", "article", "/invoices/:id"), ("v1:h0", "helpful", "/invoices/:id"), ("v1:r", "self-service-resolved", "/invoices/:id")]);
        assert_eq!((events[0].confident, events[0].query.as_deref()), (Some(false), None), "no query text unless the team collects it");
        let with_queries = visit_events(&VisitFacts { queries: true, ..facts });
        assert_eq!(with_queries[0].query.as_deref(), Some("refund [email]"));
        // A handoff: its category is the journey, and the same visit again gives the same ids.
        let sent = SentHandoff { reference: "BTN-A".into(), category: "billing".into(), completeness: 0.75, progress: "read".into(), at: 60.0 };
        let after = visit_events(&VisitFacts { id: "v1", journey: &journey, routes: &routes, resolved: None, category: Some("billing"), queries: false });
        assert!(after.iter().all(|e| e.journey == "billing"));
        assert_eq!(after, visit_events(&VisitFacts { id: "v1", journey: &journey, routes: &routes, resolved: None, category: Some("billing"), queries: false }));
        let [escalated, handoff] = handoff_events("v1", &sent);
        assert_eq!((escalated.kind, escalated.progress.as_deref(), escalated.journey.as_str()), (EventKind::Escalated, Some("read"), "billing"));
        assert_eq!((handoff.id.as_str(), handoff.kind, handoff.completeness, handoff.reference.as_deref()), ("v1:t:BTN-A", EventKind::HandoffSent, Some(0.75), Some("BTN-A")));
    }

    #[test]
    fn routes_become_patterns() {
        assert_eq!(route_pattern("/invoices/4182?tab=2"), "/invoices/:id");
        assert_eq!(route_pattern("/u/0b8f7c1e2d3a4b5c6d7e8f90a1b2c3d4/settings"), "/u/:id/settings");
        assert_eq!(route_pattern("/"), "/");
        assert_eq!(route_pattern("/billing/plans/"), "/billing/plans");
    }
}
