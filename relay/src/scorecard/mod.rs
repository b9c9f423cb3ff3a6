//! The continuity scorecard: whether the conversation followed the customer. The database
//! aggregates the help sessions; the rest is computed here from the period's rows, each metric
//! as docs/relay.md ("Scorecard") defines it. [`build`] is pure, so that every formula is tested
//! on hand-made rows.

use crate::store::{HandoffFacts, Sessions, Step, StepKind, Store};
use baton_core::wire::{Completeness, ContentGap, Effort, JourneyMetrics, Metrics, Scorecard};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Default `BATON_REPEAT_WINDOW_DAYS`.
pub const DEFAULT_REPEAT_WINDOW_DAYS: u64 = 7;
/// Content gaps listed.
pub const CONTENT_GAPS: i64 = 20;

/// Everything a period's metrics are computed from. Beyond the help sessions, the rows may span
/// a wider range than the period built ([`build`] keeps the period's own), so that one reading
/// serves several periods.
#[derive(Clone, Debug, Default)]
pub struct Input {
    /// Help sessions per journey (from the visits), of the period built.
    pub sessions: Vec<Sessions>,
    /// Effort answers: (journey, when, score).
    pub efforts: Vec<(String, i64, f64)>,
    /// The handoffs received, those of the conversations in `steps`, and every later handoff of
    /// their customers.
    pub handoffs: Vec<HandoffFacts>,
    /// Status changes and agent replies of the conversations solved or replied to (every one of
    /// theirs, whenever made).
    pub steps: Vec<Step>,
}

fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The metrics of `journey` (every journey for `None`) in `[from, to)`; `window_ms` is the repeat
/// window, `now` the clock (first contact resolution counts a conversation once its window has
/// passed).
pub fn build(input: &Input, journey: Option<&str>, (from, to): (i64, i64), window_ms: i64, now: i64) -> Metrics {
    let on = |j: &str| journey.is_none_or(|x| x == j);
    let in_period = |at: i64| at >= from && at < to;
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
    let handoffs: Vec<&HandoffFacts> = input.handoffs.iter().filter(|h| on(&h.journey) && in_period(h.at)).collect();
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

    // Conversations: first contact resolution, re-asks, replies — of those solved or replied to
    // in the period (the input may hold more).
    let active = conversations(&input.steps, (from, to));
    let facts: HashMap<i64, &HandoffFacts> = input.handoffs.iter().filter(|h| active.contains(&h.ticket) && on(&h.journey)).map(|h| (h.ticket, h)).collect();
    // Their customers' handoffs on each journey, by time: what "came back" looks up.
    let customers: HashSet<&str> = facts.values().filter_map(|h| h.customer.as_deref()).collect();
    let mut contacts: HashMap<(&str, &str), Vec<(i64, i64)>> = HashMap::new();
    for o in &input.handoffs {
        if let Some(c) = o.customer.as_deref().filter(|c| customers.contains(c)) {
            contacts.entry((c, &o.journey)).or_default().push((o.at, o.ticket));
        }
    }
    let mut by_ticket: BTreeMap<i64, Vec<&Step>> = BTreeMap::new();
    for s in input.steps.iter().filter(|s| facts.contains_key(&s.ticket)) {
        by_ticket.entry(s.ticket).or_default().push(s);
    }
    let (mut solved, mut first_contact, mut replied, mut reasked) = (0u64, 0u64, 0u64, 0u64);
    let mut seen_after: Vec<i64> = Vec::new();
    for (ticket, steps) in &by_ticket {
        let h = facts[ticket];
        let replies: Vec<(i64, Option<i64>, Option<i64>)> = steps
            .iter()
            .filter_map(|s| match s.kind {
                StepKind::Reply { seen_at, emailed_at } => Some((s.at, seen_at, emailed_at)),
                _ => None,
            })
            .collect();
        for (at, seen_at, emailed_at) in replies.iter().filter(|r| in_period(r.0)) {
            match (seen_at, emailed_at) {
                (Some(seen), _) => {
                    m.replies.widget += 1;
                    seen_after.push(seen - at);
                }
                (None, Some(_)) => m.replies.email += 1,
                (None, None) => m.replies.never += 1,
            }
        }
        if replies.iter().any(|r| in_period(r.0)) {
            replied += 1;
            reasked += u64::from(h.reasked);
        }
        let Some(solved_at) = steps.iter().find(|s| s.kind == StepKind::Solved && in_period(s.at)).map(|s| s.at) else { continue };
        if solved_at + window_ms > now {
            continue; // its window has not passed: not counted yet
        }
        solved += 1;
        let first_solved = steps.iter().find(|s| s.kind == StepKind::Solved).map_or(solved_at, |s| s.at);
        let reopened = steps.iter().any(|s| s.kind == StepKind::Opened && s.at > first_solved);
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
    let scores: Vec<f64> = input.efforts.iter().filter(|(j, at, _)| on(j) && in_period(*at)).map(|(_, _, s)| *s).filter(|s| (1.0..=7.0).contains(s)).collect();
    let mut distribution = [0u64; 7];
    for s in &scores {
        distribution[(*s as usize).clamp(1, 7) - 1] += 1;
    }
    m.effort = Effort { mean: (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64), n: scores.len() as u64, distribution };
    m
}

/// The conversations solved or replied to in `[from, to)`.
fn conversations(steps: &[Step], (from, to): (i64, i64)) -> HashSet<i64> {
    steps.iter().filter(|s| s.kind != StepKind::Opened && s.at >= from && s.at < to).map(|s| s.ticket).collect()
}

/// The median of sorted `values` (the lower middle for an even count, so that it is a value
/// that happened).
fn median(sorted: &[i64]) -> Option<i64> {
    (!sorted.is_empty()).then(|| sorted[(sorted.len() - 1) / 2])
}

/// The input split by journey (a step goes with its conversation's journey), and the journeys
/// the period `[from, to)` speaks of.
fn by_journey(input: &Input, (from, to): (i64, i64)) -> BTreeMap<String, Input> {
    let in_period = |at: i64| at >= from && at < to;
    let mut parts: BTreeMap<String, Input> = BTreeMap::new();
    for s in &input.sessions {
        parts.entry(s.journey.clone()).or_default().sessions.push(s.clone());
    }
    for e in input.efforts.iter().filter(|e| in_period(e.1)) {
        parts.entry(e.0.clone()).or_default().efforts.push(e.clone());
    }
    for h in input.handoffs.iter().filter(|h| in_period(h.at)) {
        parts.entry(h.journey.clone()).or_default();
    }
    // The conversations solved or replied to in the period, with every step of theirs.
    let active = conversations(&input.steps, (from, to));
    let journey_of: HashMap<i64, &str> = input.handoffs.iter().map(|h| (h.ticket, h.journey.as_str())).collect();
    for s in input.steps.iter().filter(|s| active.contains(&s.ticket)) {
        if let Some(j) = journey_of.get(&s.ticket) {
            parts.entry(j.to_string()).or_default().steps.push(s.clone());
        }
    }
    // Every handoff of a journey spoken of: those of the period are counted, the others are
    // what "came back" looks up.
    for h in &input.handoffs {
        if let Some(part) = parts.get_mut(&h.journey) {
            part.handoffs.push(h.clone());
        }
    }
    parts
}

/// Runs a query on a task of its own, so that decoding the rows of several queries uses every
/// core.
async fn task<T, F>(store: &Store, query: impl FnOnce(Store) -> F) -> Result<T, sqlx::Error>
where
    T: Send + 'static,
    F: std::future::Future<Output = Result<T, sqlx::Error>> + Send + 'static,
{
    tokio::spawn(query(store.clone())).await.map_err(|e| sqlx::Error::Protocol(format!("a scorecard query stopped: {e}")))?
}

/// Reads from the store the rows of `[from, to)` and the help sessions of `period` (within it),
/// the queries side by side.
async fn input(store: &Store, (from, to): (i64, i64), period: (i64, i64)) -> Result<Input, sqlx::Error> {
    let (steps, handoffs, sessions, efforts) = tokio::try_join!(
        task(store, move |s| async move { s.steps_of_period(from, to).await }),
        task(store, move |s| async move { s.handoffs_of_period(from, to).await }),
        store.help_sessions(period.0, period.1),
        store.effort_answers(from, to),
    )?;
    Ok(Input { sessions, efforts, handoffs, steps })
}

/// The scorecard of `[from, to)`, overall (or of `journey` alone) and per journey, by repeat
/// contact rate.
pub async fn scorecard(store: &Store, (from, to): (i64, i64), journey: Option<&str>, window_ms: i64, now: i64) -> Result<Scorecard, sqlx::Error> {
    let (input, gaps) = tokio::try_join!(input(store, (from, to), (from, to)), store.content_gaps(from, to, journey, CONTENT_GAPS))?;
    Ok(card(&input, gaps, (from, to), journey, window_ms, now))
}

/// A week, in ms.
const WEEK: i64 = 7 * 86_400_000;

/// What the page shows: the scorecard of `[from, to)`, the previous period's overall numbers
/// and twelve weeks of overall trend up to `to` — from one reading of the whole span, only the
/// help sessions counted per range.
pub async fn with_trend(store: &Store, (from, to): (i64, i64), journey: Option<&str>, window_ms: i64, now: i64) -> Result<(Scorecard, Metrics, Vec<Metrics>), sqlx::Error> {
    let previous = (from - (to - from), from);
    let (mut span, gaps) = tokio::try_join!(input(store, (previous.0.min(to - 12 * WEEK), to), (from, to)), store.content_gaps(from, to, journey, CONTENT_GAPS))?;
    let card = card(&span, gaps, (from, to), journey, window_ms, now);
    let mut overall = Vec::with_capacity(13);
    for range in std::iter::once(previous).chain((0..12).rev().map(|i| (to - (i + 1) * WEEK, to - i * WEEK))) {
        span.sessions = store.help_sessions(range.0, range.1).await?;
        overall.push(build(&span, journey, range, window_ms, now));
    }
    let weeks = overall.split_off(1);
    Ok((card, overall.remove(0), weeks))
}

/// The scorecard of `[from, to)` from an input that holds it (and its collected content gaps).
pub fn card(input: &Input, gaps: Vec<(String, u64)>, (from, to): (i64, i64), journey: Option<&str>, window_ms: i64, now: i64) -> Scorecard {
    let mut journeys: Vec<JourneyMetrics> = by_journey(input, (from, to))
        .into_iter()
        .filter(|(j, _)| journey.is_none_or(|x| x == j))
        .map(|(j, part)| JourneyMetrics { metrics: build(&part, Some(&j), (from, to), window_ms, now), journey: j })
        .collect();
    journeys.sort_by(|a, b| b.metrics.repeat_contact_rate.unwrap_or(-1.0).total_cmp(&a.metrics.repeat_contact_rate.unwrap_or(-1.0)).then(b.metrics.help_sessions.cmp(&a.metrics.help_sessions)));
    let content_gaps = gaps.into_iter().map(|(query, count)| ContentGap { query, count }).collect();
    Scorecard { from, to, overall: build(input, journey, (from, to), window_ms, now), journeys, content_gaps }
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
