//! The continuity scorecard: whether the conversation followed the customer. The database
//! aggregates the help sessions; the rest is computed here from the period's rows, each metric
//! as docs/relay.md ("Scorecard") defines it. [`build`] is pure, so that every formula is tested
//! on hand-made rows.

use crate::store::{HandoffFacts, Sessions, Step, Store};
use baton_core::wire::{Completeness, ContentGap, Effort, JourneyMetrics, Metrics, Scorecard};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Default `BATON_REPEAT_WINDOW_DAYS`.
pub const DEFAULT_REPEAT_WINDOW_DAYS: u64 = 7;
/// Content gaps listed.
pub const CONTENT_GAPS: i64 = 20;

/// Everything a period's metrics are computed from.
#[derive(Clone, Debug, Default)]
pub struct Input {
    /// Help sessions per journey (from the events).
    pub sessions: Vec<Sessions>,
    /// Effort answers: (journey, score).
    pub efforts: Vec<(String, f64)>,
    /// Handoffs received in the period.
    pub handoffs: Vec<HandoffFacts>,
    /// Status changes and agent replies of the conversations solved or replied to in the
    /// period (every one of theirs, whenever made).
    pub steps: Vec<Step>,
    /// Those conversations' facts, and every later handoff of their customers.
    pub related: Vec<HandoffFacts>,
}

fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The metrics of `journey` (every journey for `None`) in `[from, to)`; `window_ms` is the repeat
/// window, `now` the clock (first contact resolution counts a conversation once its window has
/// passed).
pub fn build(input: &Input, journey: Option<&str>, (from, to): (i64, i64), window_ms: i64, now: i64) -> Metrics {
    let on = |j: &str| journey.is_none_or(|x| x == j);
    let mut m = Metrics::default();
    for s in input.sessions.iter().filter(|s| on(&s.journey)) {
        m.help_sessions += s.help;
        m.read_sessions += s.read;
        m.helpful_sessions += s.helpful;
        m.resolved_sessions += s.resolved;
        m.escalated_sessions += s.escalated;
    }
    m.self_service_resolution_rate = rate(m.resolved_sessions, m.help_sessions);
    m.escalation_rate = rate(m.escalated_sessions, m.help_sessions);

    // Repeat contact: per verified customer, their handoffs of the period on each journey.
    let handoffs: Vec<&HandoffFacts> = input.handoffs.iter().filter(|h| on(&h.journey)).collect();
    let mut by_customer: HashMap<&str, BTreeMap<&str, Vec<i64>>> = HashMap::new();
    for h in &handoffs {
        if let Some(c) = &h.customer {
            by_customer.entry(c).or_default().entry(&h.journey).or_default().push(h.at);
        }
    }
    let repeaters = by_customer
        .values()
        .filter(|journeys| {
            journeys.values().any(|times| {
                let mut t = times.clone();
                t.sort_unstable();
                t.windows(2).any(|w| w[1] - w[0] <= window_ms)
            })
        })
        .count() as u64;
    m.repeat_contact_rate = rate(repeaters, by_customer.len() as u64);

    // Context preservation.
    let completeness: Vec<f64> = handoffs.iter().filter_map(|h| h.completeness).filter(|c| c.is_finite()).map(|c| c.clamp(0.0, 1.0)).collect();
    let mut histogram = [0u64; 10];
    for c in &completeness {
        histogram[((c * 10.0).floor() as usize).min(9)] += 1;
    }
    m.context_completeness = Completeness { mean: (!completeness.is_empty()).then(|| completeness.iter().sum::<f64>() / completeness.len() as f64), histogram };

    // Conversations: first contact resolution, re-asks, replies.
    let facts: HashMap<i64, &HandoffFacts> = input.related.iter().map(|h| (h.ticket, h)).collect();
    // Each customer's handoffs on each journey, by time: what "came back" looks up.
    let mut contacts: HashMap<(&str, &str), Vec<(i64, i64)>> = HashMap::new();
    for o in &input.related {
        if let Some(c) = &o.customer {
            contacts.entry((c, &o.journey)).or_default().push((o.at, o.ticket));
        }
    }
    let mut by_ticket: BTreeMap<i64, Vec<&Step>> = BTreeMap::new();
    for s in &input.steps {
        if facts.get(&s.ticket).is_some_and(|h| on(&h.journey)) {
            by_ticket.entry(s.ticket).or_default().push(s);
        }
    }
    let (mut solved, mut first_contact, mut replied, mut reasked) = (0u64, 0u64, 0u64, 0u64);
    let mut seen_after: Vec<i64> = Vec::new();
    for (ticket, steps) in &by_ticket {
        let h = facts[ticket];
        let replies: Vec<&&Step> = steps.iter().filter(|s| s.kind == "message").collect();
        let in_period = |at: i64| at >= from && at < to;
        for r in replies.iter().filter(|r| in_period(r.at)) {
            match (r.seen_at, r.emailed_at) {
                (Some(seen), _) => {
                    m.replies.widget += 1;
                    seen_after.push(seen - r.at);
                }
                (None, Some(_)) => m.replies.email += 1,
                (None, None) => m.replies.never += 1,
            }
        }
        if replies.iter().any(|r| in_period(r.at)) {
            replied += 1;
            reasked += u64::from(h.reasked);
        }
        let Some(solved_at) = steps.iter().find(|s| s.kind == "status" && s.body == "solved" && in_period(s.at)).map(|s| s.at) else { continue };
        if solved_at + window_ms > now {
            continue; // its window has not passed: not counted yet
        }
        solved += 1;
        let first_solved = steps.iter().find(|s| s.kind == "status" && s.body == "solved").map_or(solved_at, |s| s.at);
        let reopened = steps.iter().any(|s| s.kind == "status" && s.body == "open" && s.at > first_solved);
        let came_back = h.customer.as_ref().is_some_and(|c| {
            contacts.get(&(c.as_str(), h.journey.as_str())).is_some_and(|times| times.iter().any(|(at, ticket)| *ticket != h.ticket && *at > solved_at && *at <= solved_at + window_ms))
        });
        if replies.len() <= 1 && !reopened && !came_back {
            first_contact += 1;
        }
    }
    m.first_contact_resolution_rate = rate(first_contact, solved);
    m.reask_rate = rate(reasked, replied);
    seen_after.sort_unstable();
    m.replies.median_seen_ms = median(&seen_after);

    // Effort.
    let scores: Vec<f64> = input.efforts.iter().filter(|(j, _)| on(j)).map(|(_, s)| *s).filter(|s| (1.0..=7.0).contains(s)).collect();
    let mut distribution = [0u64; 7];
    for s in &scores {
        distribution[(*s as usize).clamp(1, 7) - 1] += 1;
    }
    m.effort = Effort { mean: (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64), n: scores.len() as u64, distribution };
    m
}

/// The median of sorted `values` (the lower middle for an even count, so that it is a value
/// that happened).
fn median(sorted: &[i64]) -> Option<i64> {
    (!sorted.is_empty()).then(|| sorted[(sorted.len() - 1) / 2])
}

/// Every journey the input speaks of.
fn journeys(input: &Input) -> BTreeSet<String> {
    let mut all: BTreeSet<String> = input.sessions.iter().map(|s| s.journey.clone()).collect();
    all.extend(input.handoffs.iter().map(|h| h.journey.clone()));
    all.extend(input.efforts.iter().map(|(j, _)| j.clone()));
    let tickets: BTreeSet<i64> = input.steps.iter().map(|s| s.ticket).collect();
    all.extend(input.related.iter().filter(|h| tickets.contains(&h.ticket)).map(|h| h.journey.clone()));
    all
}

/// Reads what `[from, to)` needs from the store.
pub async fn input(store: &Store, from: i64, to: i64) -> Result<Input, sqlx::Error> {
    let steps = store.steps_of_period(from, to).await?;
    let tickets: Vec<i64> = steps.iter().map(|s| s.ticket).collect::<BTreeSet<_>>().into_iter().collect();
    let mut related = store.handoff_facts(&tickets).await?;
    let earliest = related.iter().map(|h| h.at).min().unwrap_or(from).min(from);
    let known: BTreeSet<i64> = related.iter().map(|h| h.ticket).collect();
    related.extend(store.customer_handoffs_since(earliest).await?.into_iter().filter(|h| !known.contains(&h.ticket)));
    Ok(Input { sessions: store.help_sessions(from, to).await?, efforts: store.effort_answers(from, to).await?, handoffs: store.handoffs_between(from, to).await?, steps, related })
}

/// The scorecard of `[from, to)`, overall (or of `journey` alone) and per journey, by repeat
/// contact rate.
pub async fn scorecard(store: &Store, (from, to): (i64, i64), journey: Option<&str>, window_ms: i64, now: i64) -> Result<Scorecard, sqlx::Error> {
    let input = input(store, from, to).await?;
    let mut journeys: Vec<JourneyMetrics> = journeys(&input)
        .into_iter()
        .filter(|j| journey.is_none_or(|x| x == j))
        .map(|j| JourneyMetrics { metrics: build(&input, Some(&j), (from, to), window_ms, now), journey: j })
        .collect();
    journeys.sort_by(|a, b| b.metrics.repeat_contact_rate.unwrap_or(-1.0).total_cmp(&a.metrics.repeat_contact_rate.unwrap_or(-1.0)).then(b.metrics.help_sessions.cmp(&a.metrics.help_sessions)));
    let content_gaps = store.content_gaps(from, to, journey, CONTENT_GAPS).await?.into_iter().map(|(query, count)| ContentGap { query, count }).collect();
    Ok(Scorecard { from, to, overall: build(&input, journey, (from, to), window_ms, now), journeys, content_gaps })
}

/// The scorecard as CSV: one row for every journey together (`*`), then one per journey.
pub fn csv(card: &Scorecard) -> String {
    let cell = |v: Option<f64>| v.map_or(String::new(), |x| format!("{x:.4}"));
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from("journey,helpSessions,selfServiceResolutionRate,escalationRate,repeatContactRate,firstContactResolutionRate,contextCompletenessMean,reaskRate,repliesWidget,repliesEmail,repliesNever,medianSeenMs,effortMean,effortN\n");
    let rows = std::iter::once(("*", &card.overall)).chain(card.journeys.iter().map(|j| (j.journey.as_str(), &j.metrics)));
    for (journey, m) in rows {
        // A journey is a route pattern or a category from a page: never let a spreadsheet read
        // it as a formula.
        let journey = if journey.starts_with(['=', '+', '-', '@']) { format!("'{journey}") } else { journey.to_string() };
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            quote(&journey),
            m.help_sessions,
            cell(m.self_service_resolution_rate),
            cell(m.escalation_rate),
            cell(m.repeat_contact_rate),
            cell(m.first_contact_resolution_rate),
            cell(m.context_completeness.mean),
            cell(m.reask_rate),
            m.replies.widget,
            m.replies.email,
            m.replies.never,
            m.replies.median_seen_ms.map_or(String::new(), |v| v.to_string()),
            cell(m.effort.mean),
            m.effort.n
        ));
    }
    out
}

#[cfg(test)]
mod tests;
