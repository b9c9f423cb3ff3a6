//! Every formula on a hand-made period, the expected values worked out by hand.

use super::*;

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;
const WINDOW: i64 = 7 * DAY;

fn handoff(ticket: i64, customer: Option<&str>, journey: &str, at: i64, completeness: Option<f64>, reasked: bool) -> HandoffFacts {
    HandoffFacts { ticket, customer: customer.map(str::to_string), journey: journey.into(), at, completeness, reasked }
}

fn status(ticket: i64, body: &str, at: i64) -> Step {
    Step { ticket, at, kind: if body == "solved" { StepKind::Solved } else { StepKind::Opened } }
}

fn reply(ticket: i64, at: i64, seen_at: Option<i64>, emailed_at: Option<i64>) -> Step {
    Step { ticket, at, kind: StepKind::Reply { seen_at, emailed_at } }
}

fn sessions(journey: &str, help: u64, read: u64, helpful: u64, resolved: u64, escalated: u64) -> Sessions {
    Sessions { journey: journey.into(), help, read, helpful, resolved, escalated }
}

fn period() -> Input {
    let handoffs = vec![
        handoff(1, Some("id:a"), "billing", DAY, Some(0.95), false),
        handoff(2, Some("id:a"), "billing", 3 * DAY, Some(0.5), false),
        handoff(3, Some("id:b"), "billing", 2 * DAY, Some(1.0), false),
        handoff(4, Some("id:a"), "access", 20 * DAY, Some(0.25), true),
        handoff(5, None, "billing", 4 * DAY, None, false),
    ];
    let steps = vec![
        reply(1, DAY + HOUR, Some(DAY + HOUR + 600_000), None),
        status(1, "solved", 2 * DAY),
        reply(3, 2 * DAY + HOUR, None, Some(2 * DAY + 2 * HOUR)),
        reply(3, 2 * DAY + 2 * HOUR, None, None),
        status(3, "solved", 3 * DAY),
        reply(4, 20 * DAY + HOUR, Some(20 * DAY + HOUR + 1_200_000), None),
        status(4, "solved", 21 * DAY),
        status(5, "solved", 4 * DAY),
        status(5, "open", 5 * DAY),
        status(5, "solved", 6 * DAY),
        reply(2, 57 * DAY, None, None),
        status(2, "solved", 58 * DAY),
    ];
    Input {
        sessions: vec![sessions("/billing", 4, 3, 2, 1, 2), sessions("/settings", 2, 1, 1, 1, 0)],
        efforts: vec![("billing".into(), 2 * DAY, 6.0), ("billing".into(), 3 * DAY, 7.0), ("access".into(), 21 * DAY, 2.0), ("billing".into(), 4 * DAY, 9.0)],
        handoffs,
        steps,
    }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn every_metric_overall() {
    let m = build(&period(), None, (0, 100 * DAY), WINDOW, 60 * DAY);
    assert_eq!((m.help_sessions, m.read_sessions, m.helpful_sessions, m.resolved_sessions, m.escalated_sessions), (6, 4, 3, 2, 2));
    assert!(close(m.self_service_resolution_rate, 2.0 / 6.0) && close(m.escalation_rate, 2.0 / 6.0));
    // Customers a and b had handoffs; a came back on billing within 7 days.
    assert!(close(m.repeat_contact_rate, 0.5), "{:?}", m.repeat_contact_rate);
    // Solved with the window passed: 1, 3, 4, 5 (2 was solved on day 58, its window runs to day
    // 65). 1: a came back; 3: two replies; 5: reopened; 4: first contact.
    assert!(close(m.first_contact_resolution_rate, 0.25), "{:?}", m.first_contact_resolution_rate);
    assert!(close(m.context_completeness.mean, 2.7 / 4.0));
    assert_eq!(m.context_completeness.histogram, [0, 0, 1, 0, 0, 1, 0, 0, 0, 2]);
    // Replied to: 1, 2, 3, 4; ticket 4's agent had to ask again.
    assert!(close(m.reask_rate, 0.25));
    assert_eq!((m.replies.widget, m.replies.email, m.replies.never, m.replies.median_seen_ms), (2, 1, 2, Some(600_000)));
    assert!(close(m.effort.mean, 5.0) && m.effort.n == 3 && m.effort.distribution == [0, 1, 0, 0, 0, 1, 1]);
}

#[test]
fn per_journey_and_an_empty_period() {
    let input = period();
    let billing = build(&input, Some("billing"), (0, 100 * DAY), WINDOW, 60 * DAY);
    assert!(close(billing.repeat_contact_rate, 0.5) && close(billing.first_contact_resolution_rate, 0.0));
    assert!(close(billing.context_completeness.mean, 2.45 / 3.0) && billing.context_completeness.histogram == [0, 0, 0, 0, 0, 1, 0, 0, 0, 2]);
    assert!(close(billing.effort.mean, 6.5) && billing.effort.n == 2);
    assert_eq!(billing.help_sessions, 0, "help sessions are journeys of pages here");
    assert_eq!(billing.self_service_resolution_rate, None, "no denominator, no rate");
    let access = build(&input, Some("access"), (0, 100 * DAY), WINDOW, 60 * DAY);
    assert!(close(access.repeat_contact_rate, 0.0) && close(access.first_contact_resolution_rate, 1.0) && close(access.reask_rate, 1.0));
    let settings = build(&input, Some("/settings"), (0, 100 * DAY), WINDOW, 60 * DAY);
    assert!(close(settings.self_service_resolution_rate, 0.5) && close(settings.escalation_rate, 0.0));
    // Nothing in the period: counts are zero, rates and means null.
    let empty = build(&Input::default(), None, (0, DAY), WINDOW, DAY);
    assert_eq!(empty, Metrics::default());
    // A period that ends before the day-20 handoff: ticket 4's reply and solve fall outside.
    let early = build(&input, None, (0, 10 * DAY), WINDOW, 60 * DAY);
    assert!(close(early.first_contact_resolution_rate, 0.0), "1, 3 and 5 only");
}

#[test]
fn a_period_keeps_its_own_rows_of_a_wider_reading() {
    // Days 0..10 of the input: handoffs 1, 2, 3 and 5 (4 came on day 20), the billing efforts.
    let early = build(&period(), None, (0, 10 * DAY), WINDOW, 60 * DAY);
    assert!(close(early.context_completeness.mean, 2.45 / 3.0) && close(early.repeat_contact_rate, 0.5));
    assert!(close(early.effort.mean, 6.5) && early.effort.n == 2, "the day-21 answer is not of this period");
}

#[test]
fn each_journey_from_its_own_part_is_the_journey_of_the_whole() {
    let input = period();
    let parts = by_journey(&input, (0, 100 * DAY));
    assert_eq!(parts.keys().map(String::as_str).collect::<Vec<_>>(), ["/billing", "/settings", "access", "billing"]);
    for (journey, part) in &parts {
        for now in [10 * DAY, 60 * DAY, 100 * DAY] {
            assert_eq!(build(part, Some(journey), (0, 100 * DAY), WINDOW, now), build(&input, Some(journey), (0, 100 * DAY), WINDOW, now), "{journey}");
        }
    }
    // A shorter period of the same reading: "access" (day 20 on) is not spoken of.
    let early = by_journey(&input, (0, 10 * DAY));
    assert_eq!(early.keys().map(String::as_str).collect::<Vec<_>>(), ["/billing", "/settings", "billing"]);
    for (journey, part) in &early {
        assert_eq!(build(part, Some(journey), (0, 10 * DAY), WINDOW, 60 * DAY), build(&input, Some(journey), (0, 10 * DAY), WINDOW, 60 * DAY), "{journey}");
    }
}

#[test]
fn csv_rows_and_no_formulas() {
    let card = Scorecard {
        from: 0,
        to: 1,
        overall: Metrics { help_sessions: 3, self_service_resolution_rate: Some(1.0 / 3.0), ..Metrics::default() },
        journeys: vec![JourneyMetrics { journey: "=HYPERLINK(\"x\")".into(), metrics: Metrics::default() }],
        content_gaps: vec![],
    };
    let text = csv(&card);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("journey,helpSessions,selfServiceResolutionRate"));
    assert!(lines[1].starts_with("\"*\",3,0.3333,"), "{}", lines[1]);
    assert!(lines[2].starts_with("\"'=HYPERLINK(\"\"x\"\")\",0,,"), "{}", lines[2]);
}
