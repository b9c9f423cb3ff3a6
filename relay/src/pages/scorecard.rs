//! `/scorecard`: the continuity scorecard for support leads — headline tiles with the change
//! against the previous period and twelve weeks of trend, the journeys by repeat contact, the
//! self-service funnel, the completeness histogram, where replies were seen, and the content gaps.
//! Server-rendered SVG with a text label and value on every mark (readable without colour), under
//! the inbox's CSP (no script).

use super::{account::when, respond, STYLE};
use askama::Template;
use axum::response::Response;
use baton_core::wire::{Metrics, Scorecard};

/// One headline number.
pub struct Tile {
    label: &'static str,
    value: String,
    change: String,
    /// Its twelve weeks as an SVG polyline (`x,y x,y …`), empty without data.
    points: String,
    trend: String,
}

/// One labelled bar.
pub struct Bar {
    label: String,
    value: String,
    y: u32,
    width: u32,
}

/// One journey's row.
pub struct JourneyRow {
    journey: String,
    cells: Vec<String>,
}

/// The page.
#[derive(Template)]
#[template(path = "scorecard.html")]
pub struct ScorecardPage {
    title: &'static str,
    style: &'static str,
    me: String,
    from: String,
    to: String,
    journey: String,
    csv: String,
    tiles: Vec<Tile>,
    journeys: Vec<JourneyRow>,
    funnel: Vec<Bar>,
    histogram: Vec<Bar>,
    replies: Vec<Bar>,
    median_seen: String,
    gaps: Vec<(String, u64)>,
}

fn percent(v: Option<f64>) -> String {
    v.map_or("—".into(), |x| format!("{:.1}%", x * 100.0))
}

fn number(v: Option<f64>) -> String {
    v.map_or("—".into(), |x| format!("{x:.2}"))
}

fn duration(ms: Option<i64>) -> String {
    match ms {
        None => "—".into(),
        Some(ms) if ms < 60_000 => format!("{} s", ms / 1000),
        Some(ms) if ms < 3_600_000 => format!("{} min", ms / 60_000),
        Some(ms) => format!("{:.1} h", ms as f64 / 3_600_000.0),
    }
}

/// The change from `before` to `now`, in points for rates.
fn change(now: Option<f64>, before: Option<f64>, rate: bool) -> String {
    match (now, before) {
        (Some(a), Some(b)) if rate => format!("{:+.1} pts on the previous period", (a - b) * 100.0),
        (Some(a), Some(b)) => format!("{:+.2} on the previous period", a - b),
        _ => "no previous value".into(),
    }
}

/// A 120×30 sparkline of `values` (missing weeks skipped) and its words.
fn sparkline(values: &[Option<f64>], show: fn(Option<f64>) -> String) -> (String, String) {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    if known.is_empty() {
        return (String::new(), "no data in the last 12 weeks".into());
    }
    let (lo, hi) = known.iter().fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let points = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| format!("{:.0},{:.1}", i as f64 * 120.0 / 11.0, 28.0 - (v - lo) / span * 26.0)))
        .collect::<Vec<_>>()
        .join(" ");
    let first = values.iter().flatten().next().copied();
    (points, format!("12 weeks: from {} to {}, low {}, high {}", show(first), show(values.iter().flatten().last().copied()), show(Some(lo)), show(Some(hi))))
}

fn bars(items: Vec<(String, u64)>, total: u64) -> Vec<Bar> {
    let max = items.iter().map(|(_, n)| *n).max().unwrap_or(0).max(total).max(1);
    items
        .into_iter()
        .enumerate()
        .map(|(i, (label, n))| {
            let share = if total > 0 { format!(" ({:.0}%)", n as f64 * 100.0 / total as f64) } else { String::new() };
            Bar { label, value: format!("{n}{share}"), y: i as u32 * 26, width: (n as f64 / max as f64 * 300.0).round() as u32 }
        })
        .collect()
}

/// The page of `card`, beside the previous period's `before` and the twelve `weeks` up to its end.
pub fn page(card: &Scorecard, before: &Metrics, weeks: &[Metrics], journey: &str, me: &str) -> Response {
    let m = &card.overall;
    type Pick = fn(&Metrics) -> Option<f64>;
    let rates: [(&'static str, Pick, bool); 8] = [
        ("Self-service resolution", |m| m.self_service_resolution_rate, true),
        ("Escalation rate", |m| m.escalation_rate, true),
        ("Repeat contact rate", |m| m.repeat_contact_rate, true),
        ("First contact resolution", |m| m.first_contact_resolution_rate, true),
        ("Context completeness (mean)", |m| m.context_completeness.mean, false),
        ("Re-ask rate", |m| m.reask_rate, true),
        ("Customer effort (1–7)", |m| m.effort.mean, false),
        ("Help sessions", |m| Some(m.help_sessions as f64), false),
    ];
    let tiles = rates
        .iter()
        .map(|(label, pick, rate)| {
            let show: fn(Option<f64>) -> String = if *rate { percent } else if *label == "Help sessions" { |v| v.map_or("—".into(), |x| format!("{x:.0}")) } else { number };
            let (points, trend) = sparkline(&weeks.iter().map(pick).collect::<Vec<_>>(), show);
            Tile { label, value: show(pick(m)), change: change(pick(m), pick(before), *rate), points, trend }
        })
        .collect();
    let journeys = card
        .journeys
        .iter()
        .map(|j| {
            let x = &j.metrics;
            JourneyRow {
                journey: j.journey.clone(),
                cells: vec![x.help_sessions.to_string(), percent(x.self_service_resolution_rate), percent(x.escalation_rate), percent(x.repeat_contact_rate), percent(x.first_contact_resolution_rate), number(x.context_completeness.mean), number(x.effort.mean)],
            }
        })
        .collect();
    let funnel = bars(
        vec![
            ("Help sessions".into(), m.help_sessions),
            ("Read an article".into(), m.read_sessions),
            ("Found it helpful".into(), m.helpful_sessions),
            ("Resolved by self-service".into(), m.resolved_sessions),
            ("Escalated to a person".into(), m.escalated_sessions),
        ],
        m.help_sessions,
    );
    let handoffs: u64 = m.context_completeness.histogram.iter().sum();
    let histogram = bars(m.context_completeness.histogram.iter().enumerate().map(|(i, n)| (format!("{:.1}–{:.1}", i as f64 / 10.0, (i + 1) as f64 / 10.0), *n)).collect(), handoffs);
    let r = &m.replies;
    let replies = bars(vec![("Seen in the widget".into(), r.widget), ("Emailed, not seen".into(), r.email), ("Not yet seen".into(), r.never)], r.widget + r.email + r.never);
    let date = |ms: i64| when(ms).split(' ').next().unwrap_or("").to_string();
    let csv = format!("/v1/scorecard?from={}&to={}&format=csv", card.from, card.to);
    respond(
        ScorecardPage {
            title: "Scorecard",
            style: STYLE,
            me: me.into(),
            from: date(card.from),
            to: date(card.to),
            journey: journey.into(),
            csv,
            tiles,
            journeys,
            funnel,
            histogram,
            replies,
            median_seen: duration(r.median_seen_ms),
            gaps: card.content_gaps.iter().map(|g| (g.query.clone(), g.count)).collect(),
        }
        .render(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trends_and_changes_in_words() {
        let (points, words) = sparkline(&[Some(0.1), None, Some(0.3)], percent);
        assert_eq!(points, "0,28.0 22,2.0");
        assert_eq!(words, "12 weeks: from 10.0% to 30.0%, low 10.0%, high 30.0%");
        assert_eq!(change(Some(0.5), Some(0.25), true), "+25.0 pts on the previous period");
        assert_eq!(change(Some(0.5), None, true), "no previous value");
        assert_eq!(duration(Some(90_000)), "1 min");
        let b = bars(vec![("All".into(), 4), ("Some".into(), 1)], 4);
        assert_eq!((b[1].value.as_str(), b[1].width, b[1].y), ("1 (25%)", 75, 26));
    }
}
