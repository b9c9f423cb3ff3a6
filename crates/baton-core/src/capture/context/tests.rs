use super::record::{normalise_message, path_of};
use super::*;
use crate::limits::*;
use serde_json::json;

fn nav(ctx: &mut Context, at: f64, url: &str, via: NavKind) {
    ctx.record(Captured::Navigation { at, url: url.into(), title: "T".into(), via });
}

fn err(ctx: &mut Context, at: f64, message: &str) {
    ctx.record(Captured::Error { at, kind: ErrorKind::Uncaught, message: message.into(), source: None, stack: Some("at f (https://x.io/app.js:1:2)".into()) });
}

#[test]
fn navigation_times_folds_and_redacts() {
    let mut c = Context::default();
    nav(&mut c, 1000.0, "https://app.x.io/login?token=abc&next=%2F", NavKind::Load);
    nav(&mut c, 4000.0, "https://app.x.io/billing", NavKind::Push);
    nav(&mut c, 4500.0, "https://app.x.io/billing", NavKind::Replace);
    nav(&mut c, 9000.0, "https://app.x.io/billing#card", NavKind::Hash);
    assert_eq!(c.routes.len(), 3);
    assert_eq!(c.routes[0].url, "/login?token=[redacted]&next=%2F");
    assert_eq!(c.routes[0].path, "/login");
    assert_eq!(c.routes[0].duration_ms, Some(3000.0));
    assert_eq!(c.routes[1].count, 2, "duplicate folded");
    assert_eq!(c.routes[1].duration_ms, Some(5000.0));
    assert_eq!(c.current_route().unwrap().url, "/billing#card");
    assert_eq!(c.current_route().unwrap().via, NavKind::Hash);
    assert_eq!(c.breadcrumbs.len(), 3);
    assert_eq!(c.breadcrumbs[1].message, "Went to /billing");
}

#[test]
fn errors_group_by_normalised_message_and_top_frame() {
    let mut c = Context::default();
    nav(&mut c, 0.0, "https://x.io/invoices", NavKind::Load);
    err(&mut c, 1.0, "Invoice 1041 not found");
    err(&mut c, 2.0, "Invoice 1042 not found");
    err(&mut c, 3.0, "Payment for jane@acme.com failed");
    assert_eq!(c.errors.len(), 2);
    assert_eq!(c.errors[0].count, 2);
    assert_eq!(c.errors[0].message, "Invoice 1041 not found", "first message kept");
    assert_eq!(c.errors[0].last_at, 2.0);
    assert_eq!(c.errors[0].route, "/invoices");
    assert_eq!(c.errors[0].frames[0].line, Some(1));
    assert_eq!(c.errors[1].message, "Payment for [email] failed");
}

#[test]
fn storms_stay_bounded_and_counted() {
    let mut c = Context::default();
    // 10,000 identical errors in one second: repeats take the cheap path.
    let mut cheap = 0;
    for i in 0..10_000 {
        let at = i as f64 / 10.0;
        if c.bump_repeat(at, ErrorKind::Uncaught, "boom", 1) {
            cheap += 1;
        } else {
            err(&mut c, at, "boom");
        }
    }
    assert_eq!(cheap, 9_999);
    assert_eq!(c.errors.len(), 1);
    assert_eq!(c.errors[0].count, 10_000);
    assert_eq!(c.breadcrumbs.len(), 1, "the timeline folds the storm into one step");
    assert_eq!(c.breadcrumbs[0].count, 10_000);

    // Repeats interleaved with a flood of distinct errors are still all counted.
    let mut c = Context::default();
    for i in 0..10_000usize {
        if !c.bump_repeat(0.0, ErrorKind::Uncaught, "same", 1) {
            err(&mut c, 0.0, "same");
        }
        let word: String = (0..4).map(|k| (b'a' + ((i / 26usize.pow(k)) % 26) as u8) as char).collect();
        if !c.bump_repeat(0.0, ErrorKind::Uncaught, &word, 1) {
            err(&mut c, 0.0, &word);
        }
    }
    assert_eq!(c.errors.iter().find(|g| g.message == "same").unwrap().count, 10_000);

    // 10,000 distinct errors: groups and breadcrumbs stay within bounds, the rest is counted.
    let mut c = Context::default();
    for i in 0..10_000usize {
        let word: String = (0..4).map(|k| (b'a' + ((i / 26usize.pow(k)) % 26) as u8) as char).collect();
        // 10 ms apart (100 a second, the limit) for the first half, then 10,000 a second.
        let at = if i < 5_000 { i as f64 * 10.0 } else { 50_000.0 + i as f64 / 10.0 };
        err(&mut c, at, &format!("failure in {word}"));
    }
    assert!(c.errors.len() <= MAX_ERROR_GROUPS);
    assert!(c.breadcrumbs.len() <= MAX_BREADCRUMBS);
    assert!(c.dropped.rate_limited > 0);
    let kept: u64 = c.errors.iter().map(|g| g.count).sum();
    assert_eq!(kept + c.dropped.rate_limited, 10_000 - evicted_counts(&c));
    assert!(c.storm.recent.len() <= MAX_RECENT_RAW_KEYS);
}

#[test]
fn errors_keep_one_step_per_group_per_visit_and_the_users_actions_stay() {
    let mut c = Context::default();
    nav(&mut c, 0.0, "https://x.io/", NavKind::Load);
    c.record(Captured::Click { at: 1.0, selector: "button#pay".into(), label: "Pay".into() });
    // A storm of a few distinct console errors, interleaved, then more clicks and a route.
    // As ingest does it: the cheap repeat path first, then the full record.
    let log = |c: &mut Context, at: f64, message: &str| {
        if !c.bump_repeat(at, ErrorKind::ConsoleError, message, 1) {
            c.record(Captured::Error { at, kind: ErrorKind::ConsoleError, message: message.into(), source: None, stack: None });
        }
    };
    for i in 0..3000 {
        log(&mut c, 2.0 + i as f64, ["socket closed", "retry failed", "quota low"][i % 3]);
    }
    c.record(Captured::Click { at: 4000.0, selector: "button#retry".into(), label: "Retry".into() });
    log(&mut c, 4001.0, "socket closed");
    nav(&mut c, 4002.0, "https://x.io/billing", NavKind::Push);
    log(&mut c, 4003.0, "socket closed");
    let steps: Vec<(CrumbKind, &str, u32)> = c.breadcrumbs.iter().map(|b| (b.kind, b.message.as_str(), b.count)).collect();
    assert_eq!(steps, vec![
        (CrumbKind::Navigation, "Opened /", 1),
        (CrumbKind::Click, "Clicked \"Pay\" (button#pay)", 1),
        (CrumbKind::Error, "Console error: socket closed", 1001),
        (CrumbKind::Error, "Console error: retry failed", 1000),
        (CrumbKind::Error, "Console error: quota low", 1000),
        (CrumbKind::Click, "Clicked \"Retry\" (button#retry)", 1),
        (CrumbKind::Navigation, "Went to /billing", 1),
        (CrumbKind::Error, "Console error: socket closed", 1),
    ]);

    // Distinct errors by the hundred cannot push out the user's own steps: each side keeps
    // at least half of the timeline.
    let mut c = Context::default();
    nav(&mut c, 0.0, "https://x.io/", NavKind::Load);
    for i in 0..30 {
        c.record(Captured::Click { at: 1.0 + i as f64, selector: format!("button#b{i}"), label: String::new() });
    }
    for i in 0..500u32 {
        let at = 100.0 + f64::from(i) * 20.0;
        c.record(Captured::Error { at, kind: ErrorKind::Uncaught, message: format!("failure {}", word(i as usize)), source: None, stack: None });
    }
    assert_eq!(c.breadcrumbs.len(), MAX_BREADCRUMBS);
    assert_eq!(c.breadcrumbs.iter().filter(|b| b.kind.is_action()).count(), 31, "every click and the page load stay");
    for i in 0..200 {
        c.record(Captured::Click { at: 20_000.0 + i as f64, selector: format!("a#l{i}"), label: String::new() });
    }
    let actions = c.breadcrumbs.iter().filter(|b| b.kind.is_action()).count();
    assert_eq!((actions, c.breadcrumbs.len() - actions), (MAX_BREADCRUMBS / 2, MAX_BREADCRUMBS / 2), "errors keep their half too");
}

fn word(i: usize) -> String {
    (0..4).map(|k| (b'a' + ((i / 26usize.pow(k)) % 26) as u8) as char).collect()
}

#[test]
fn folded_repeats_from_the_early_buffer_keep_their_count() {
    let mut c = Context::default();
    nav(&mut c, 0.0, "https://x.io/", NavKind::Load);
    let error = Captured::Error { at: 1.0, kind: ErrorKind::ConsoleError, message: "noise".into(), source: None, stack: None };
    c.record_repeated(error, 500, 90.0);
    c.record_repeated(Captured::Request { at: 2.0, api: Api::Fetch, method: "GET".into(), url: "/api/x".into(), status: 500, duration_ms: 3.0 }, 7, 80.0);
    assert_eq!((c.errors[0].count, c.errors[0].first_at, c.errors[0].last_at), (500, 1.0, 90.0));
    assert_eq!((c.failed_requests[0].count, c.failed_requests[0].last_at), (7, 80.0));
    let counts: Vec<u32> = c.breadcrumbs.iter().map(|b| b.count).collect();
    assert_eq!(counts, vec![1, 500, 7]);
    // A fold that arrives over the rate limit is counted as rate limited, not lost.
    let mut c = Context::default();
    for i in 0..MAX_ERRORS_PER_SECOND {
        c.record(Captured::Error { at: 0.0, kind: ErrorKind::Uncaught, message: format!("e{}", word(i as usize)), source: None, stack: None });
    }
    c.record_repeated(Captured::Error { at: 0.0, kind: ErrorKind::Uncaught, message: "late".into(), source: None, stack: None }, 40, 0.0);
    assert_eq!(c.dropped.rate_limited, 40);

    let mut early = EarlyDropped::default();
    for (kind, n) in [("con", 3), ("err", 1), ("rej", 2), ("res", 4), ("req", 5), ("nav", 6), ("click", 7), ("snippet", 8), ("bogus", 9)] {
        early.add(kind, n);
    }
    assert_eq!(early, EarlyDropped { console: 3, uncaught: 1, rejections: 2, resources: 4, requests: 5, navigation: 6, clicks: 7, before_loader: 8 });
}

#[test]
fn console_noise_never_rate_limits_an_uncaught_error_away() {
    let mut c = Context::default();
    for i in 0..300 {
        c.record(Captured::Error { at: 1.0, kind: ErrorKind::ConsoleError, message: format!("log {}", word(i)), source: None, stack: None });
    }
    c.record(Captured::Error { at: 2.0, kind: ErrorKind::Uncaught, message: "TypeError: x is undefined".into(), source: None, stack: None });
    assert_eq!(c.dropped.rate_limited, 200);
    assert!(c.errors.iter().any(|e| e.kind == ErrorKind::Uncaught));
}

fn evicted_counts(c: &Context) -> u64 {
    // Evicted groups each held at least one occurrence; with distinct messages, exactly one.
    c.dropped.error_groups
}

#[test]
fn failed_requests_group_and_hide_secrets() {
    let mut c = Context::default();
    for at in [1.0, 2.0] {
        c.record(Captured::Request { at, api: Api::Fetch, method: "get".into(), url: "https://api.x.io/payments?since=2026&api_key=sk".into(), status: 500, duration_ms: 12.0 });
    }
    c.record(Captured::Request { at: 3.0, api: Api::Xhr, method: "POST".into(), url: "https://api.x.io/pay".into(), status: 0, duration_ms: 30.0 });
    assert_eq!(c.failed_requests.len(), 2);
    assert_eq!(c.failed_requests[0].count, 2);
    assert_eq!(c.failed_requests[0].url, "https://api.x.io/payments?since=2026&api_key=[redacted]");
    assert_eq!(c.failed_requests[0].method, "GET");
    assert_eq!(c.breadcrumbs.last().unwrap().message, "POST /pay failed (network error)");
}

#[test]
fn clicks_alerts_identity_custom_and_reset() {
    let mut c = Context::default();
    nav(&mut c, 0.0, "https://x.io/billing", NavKind::Load);
    c.record(Captured::Click { at: 1.0, selector: "button#pay".into(), label: "Pay now".into() });
    c.record(Captured::Alert { at: 2.0, text: " Card 4242 4242 4242 4242 declined ".into() });
    c.record(Captured::Alert { at: 500.0, text: "Card 4242 4242 4242 4242 declined".into() });
    c.record(Captured::Alert { at: 3000.0, text: "Card 4242 4242 4242 4242 declined".into() });
    assert_eq!(c.breadcrumbs[1].message, "Clicked \"Pay now\" (button#pay)");
    assert_eq!(c.alerts_seen[0].text, "Card [card] declined");
    assert_eq!(c.alerts_seen[0].count, 2);

    c.identify(Identity { id: Some("u_1".into()), email: Some("jane@acme.com".into()), ..Default::default() });
    assert_eq!(c.identity.as_ref().unwrap().email.as_deref(), Some("jane@acme.com"), "identity is kept as given");
    let refused = c.merge_custom(json!({"plan": "growth", "apiToken": "sk_live_123456789", "owner": "bob@x.io", "nested": {"a": {"b": {"c": {"d": 1}}}}}).as_object().unwrap());
    assert!(refused.is_empty());
    assert_eq!(c.custom["plan"], "growth");
    assert_eq!(c.custom["apiToken"], "[redacted]");
    assert_eq!(c.custom["owner"], "[email]");
    assert_eq!(c.custom["nested"]["a"]["b"]["c"], "[too deep]");
    c.merge_custom(json!({"plan": null}).as_object().unwrap());
    assert!(!c.custom.contains_key("plan"), "null removes a key");

    c.environment.language = "en".into();
    c.reset();
    assert!(c.identity.is_none() && c.custom.is_empty() && c.breadcrumbs.is_empty() && c.alerts_seen.is_empty());
    assert_eq!(c.routes.len(), 1, "the current route stays");
    assert_eq!(c.environment.language, "en");
}

#[test]
fn custom_attributes_are_bounded() {
    let mut c = Context::default();
    let many: serde_json::Map<String, Value> = (0..200).map(|i| (format!("k{i}"), json!(i))).collect();
    let refused = c.merge_custom(&many);
    assert_eq!(c.custom.len(), MAX_CUSTOM_KEYS);
    assert_eq!(refused.len(), 200 - MAX_CUSTOM_KEYS);
}

#[test]
fn url_drift_and_dom_hints() {
    let mut c = Context::default();
    nav(&mut c, 0.0, "https://x.io/a", NavKind::Load);
    c.observe_url(10.0, "https://x.io/a", "Page A");
    assert_eq!(c.routes.len(), 1);
    assert_eq!(c.routes[0].title, "Page A");
    assert_eq!(c.routes[0].count, 1, "a drift check is not a navigation");
    c.observe_url(20.0, "https://x.io/b?session=1", "Page B");
    assert_eq!(c.routes.len(), 2);
    assert_eq!(c.routes[1].url, "/b?session=[redacted]");
    c.set_dom(DomHints { title: "Hi jane@x.io".into(), alerts: vec!["Card 4242 4242 4242 4242 declined".into()], ..Default::default() });
    assert_eq!(c.dom.title, "Hi [email]");
    assert_eq!(c.dom.alerts, vec!["Card [card] declined".to_string()]);
}

#[test]
fn journey_folds_refinements_and_keeps_feedback() {
    let mut c = Context::default();
    let offered = |ids: &[&str]| ids.iter().map(|id| Offered { id: id.to_string(), title: id.to_uppercase() }).collect::<Vec<_>>();
    c.record_search(0.0, "ref", SearchOutcome::Maybe, offered(&["a", "b", "c"]));
    c.record_search(500.0, "refund for jane@acme.com", SearchOutcome::Sure, offered(&["refunds", "billing"]));
    c.record_search(20_000.0, "export", SearchOutcome::Maybe, offered(&["csv", "pdf", "api"]));
    c.record_search(40_000.0, "weather in paris", SearchOutcome::Person, Vec::new());
    assert_eq!(c.journey.searches.len(), 3);
    let s = &c.journey.searches;
    assert_eq!(s[0].query, "refund for [email]");
    assert_eq!((s[0].outcome, s[0].answered, s[0].results, s[0].offered[0].title.as_str()), (SearchOutcome::Sure, true, 2, "REFUNDS"), "the refinement replaced the first search, with what it showed");
    assert_eq!((s[1].outcome, s[1].answered, s[1].offered.len()), (SearchOutcome::Maybe, false, 3));
    assert_eq!((s[2].outcome, s[2].results), (SearchOutcome::Person, 0));
    c.record_search(60_000.0, "many", SearchOutcome::Maybe, offered(&["1", "2", "3", "4", "5", "6", "7", "8"]));
    assert_eq!(c.journey.searches[3].offered.len(), crate::answers::shown::SHOWN_RESULTS, "at most what the screen lists");
    c.record_article(1.0, "refunds", "Refunds");
    c.record_feedback("refunds", false);
    assert_eq!(c.journey.articles[0].helpful, Some(false));
    c.reset();
    assert!(c.journey.searches.is_empty());
}

#[test]
fn normalisation() {
    assert_eq!(normalise_message("Invoice  1041 NOT found"), "invoice # not found");
    assert_eq!(normalise_message("id 9f8a7b6c5d4e failed"), "id # failed");
    assert_eq!(path_of("https://x.io"), "/");
    assert_eq!(path_of("https://x.io/a/b?c=1#d"), "/a/b");
}
