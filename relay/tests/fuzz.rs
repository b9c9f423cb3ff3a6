//! The intake under a property test: random and adversarial bundles (every field any JSON type,
//! hostile markup in every string, sizes around the limits, keys and references reused) posted to
//! the real binary on a SQLite file and on a throwaway PostgreSQL cluster. Whatever arrives, the
//! relay never answers 5xx (the database does not fail here), every stored string renders as text
//! on every page that shows it, and nothing over the limits is stored.

use baton_relay::testing::{Postgres, RelayProcess};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};

const TOKEN: &str = "agent-token-for-tests-0123456789abcdef";
/// Markup every generated string carries: a page that shows it unescaped contains `<x-fuzz`.
const MARK: &str = "<x-fuzz onmouseover=alert(1)>\"'&";

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<String>(),
        2 => "[<>\"'&;:/ a-zA-Z0-9\\\\-]{0,40}",
        1 => Just("</textarea><script>alert(1)</script>".to_string()),
        1 => Just("javascript:alert(1)".to_string()),
        1 => Just("../../login?next=//evil.example".to_string()),
        1 => (1usize..40_000).prop_map(|n| "ü".repeat(n)),
    ]
    .prop_map(|s| format!("{s}{MARK}"))
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("JSON numbers are finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-zA-Z]{1,12}", inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// The fields a bundle has, each replaced by random JSON now and then.
const FIELDS: [&str; 16] = ["reference", "identity", "description", "summary", "steps", "routing", "selfService", "route", "routes", "errors", "failedRequests", "environment", "related", "custom", "version", "contextCompleteness"];

fn base(reference: &str) -> Value {
    json!({
        "version": 1, "reference": reference, "description": "card declined", "summary": "summary",
        "identity": {"id": "u_1", "email": "a@b.example", "name": "N"},
        "steps": ["1. Opened /billing"], "routing": {"category": "billing", "priority": "high"},
        "selfService": {"searches": [{"query": "q"}], "articles": [{"title": "t", "helpful": false}], "flows": [{"id": "f", "outcome": "abandoned", "step": 1, "steps": 2}]},
        "route": {"url": "/billing", "path": "/billing", "title": "Billing"}, "routes": [{"path": "/a"}],
        "errors": [{"kind": "uncaught", "message": "m", "count": 1, "route": "/billing"}],
        "failedRequests": [{"method": "POST", "url": "/api", "status": 502, "count": 1}],
        "environment": {"browser": "b", "os": "o", "language": "en", "timezone": "UTC"},
        "related": ["BTN-AAA-BBB-CCC"], "custom": {}, "contextCompleteness": 1.0
    })
}

/// Keys whose values are names from a fixed list (an error's kind, a flow's outcome, …): a bundle
/// with another value there is refused (422), so the strings that reach the pages are the others.
const NAMES: [&str; 6] = ["version", "reference", "kind", "outcome", "via", "api"];

/// A value of `template`'s shape with every free string random (hostile markup, long text).
fn like(template: &Value, key: &str) -> BoxedStrategy<Value> {
    match template {
        Value::String(_) if !NAMES.contains(&key) => text().prop_map(Value::String).boxed(),
        Value::Array(items) => items.iter().map(|v| like(v, key)).collect::<Vec<_>>().prop_map(Value::Array).boxed(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| like(v, k).prop_map({
                let k = k.clone();
                move |v| (k.clone(), v)
            }))
            .collect::<Vec<_>>()
            .prop_map(|kv| Value::Object(kv.into_iter().collect()))
            .boxed(),
        other => Just(other.clone()).boxed(),
    }
}

/// One field's replacement: mostly its own shape with random strings (read, stored, shown), now
/// and then any JSON at all (refused with a 422 naming the field, unless it happens to fit).
fn replacement() -> impl Strategy<Value = (&'static str, Value)> {
    prop::sample::select(FIELDS.to_vec()).prop_flat_map(|field| {
        let template = base("BTN-AAA-BBB-CCC")[field].clone();
        (Just(field), prop_oneof![4 => like(&template, field), 1 => value()])
    })
}

/// One request: a bundle with some fields replaced and every string marked, its key, and whether
/// it is sent as JSON.
fn request() -> impl Strategy<Value = (Value, Option<String>, bool)> {
    let replaced = prop::collection::vec(replacement(), 0..5);
    let marked_strings = any::<bool>();
    let key = prop_oneof![18 => "[a-z0-9]{1,24}".prop_map(Some), 1 => Just(None), 1 => "[a-z]{201,230}".prop_map(Some)];
    let reference = prop_oneof![16 => "BTN-[A-Z2-9]{9}", 2 => text(), 1 => Just("BTN-SAME-REF".to_string())];
    (replaced, marked_strings, key, reference, prop::bool::weighted(0.95)).prop_map(|(replaced, mark_all, key, reference, as_json)| {
        let mut b = base(&reference);
        for (field, v) in replaced {
            b[field] = v;
        }
        if mark_all {
            mark(&mut b);
        }
        (b, key, as_json)
    })
}

/// Adds the mark to every string but the [`NAMES`] (`reference`, a code, is checked on its own).
fn mark(v: &mut Value) {
    match v {
        Value::String(s) => s.push_str(MARK),
        Value::Array(a) => a.iter_mut().for_each(mark),
        Value::Object(o) => o.iter_mut().filter(|(k, _)| !NAMES.contains(&k.as_str())).for_each(|(_, x)| mark(x)),
        _ => {}
    }
}

async fn check(base: &str, http: &reqwest::Client, seen: &std::cell::RefCell<std::collections::BTreeMap<u16, u32>>, (bundle, key, as_json): (Value, Option<String>, bool)) -> Result<(), TestCaseError> {
    let body = bundle.to_string();
    let mut req = http.post(format!("{base}/v1/handoffs")).header("content-type", if as_json { "application/json" } else { "text/plain" }).body(body.clone());
    if let Some(k) = &key {
        req = req.header("idempotency-key", k);
    }
    let res = req.send().await.map_err(|e| TestCaseError::fail(e.to_string()))?;
    let status = res.status().as_u16();
    let answer: Value = res.json().await.unwrap_or(Value::Null);
    *seen.borrow_mut().entry(status).or_default() += 1;
    prop_assert!(status < 500, "{status} {answer} for {}", &body[..body.len().min(400)]);
    prop_assert!(answer["error"].is_string() || status < 300, "every refusal says why: {answer}");
    if body.len() > baton_relay::config::MAX_BODY_BYTES {
        prop_assert!(status == 413 || (status == 415 && !as_json), "over the limit is never stored: {}", status);
    }
    if status != 201 {
        return Ok(());
    }
    let ticket = answer["ticket"].as_i64().unwrap();
    let stored: Value = http.get(format!("{base}/v1/handoffs/{ticket}")).bearer_auth(TOKEN).send().await.unwrap().json().await.unwrap();
    prop_assert!(stored["bundle"].to_string().len() <= baton_relay::config::MAX_BODY_BYTES + 4096, "stored within the limit");
    let reference = stored["reference"].as_str().unwrap_or("").to_string();
    let pages = [format!("/inbox/{ticket}"), format!("/r/{}", urlencode(&reference)), format!("/inbox?q={}", urlencode(&reference.to_lowercase()))];
    for page in pages {
        let res = http.get(format!("{base}{page}")).bearer_auth(TOKEN).send().await.unwrap();
        prop_assert_eq!(res.status().as_u16(), 200, "{}", page);
        let html = res.text().await.unwrap().to_lowercase();
        prop_assert!(!html.contains("<x-fuzz") && !html.contains("<script"), "{} shows a stored string as markup", page);
    }
    Ok(())
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn fuzz(database_url: &str, cases: u32) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let relay = rt.block_on(RelayProcess::start(env!("CARGO_BIN_EXE_baton-relay"), database_url, &[("BATON_AGENT_TOKEN", TOKEN), ("BATON_RATE_LIMIT", "100000000")]));
    let http = reqwest::Client::new();
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let seen = std::cell::RefCell::new(std::collections::BTreeMap::new());
    let outcome = runner.run(&request(), |case| rt.block_on(check(&relay.base, &http, &seen, case)));
    if let Err(e) = outcome {
        panic!("{e}");
    }
    let seen = seen.into_inner();
    eprintln!("intake property test: answers by status {seen:?}");
    // The generator reaches both sides: stored bundles (whose pages were checked) and refusals.
    assert!(seen.get(&201).copied().unwrap_or(0) >= cases / 4 && seen.keys().any(|s| *s >= 400), "{seen:?}");
    // Still serving after all of it.
    let health = rt.block_on(async { reqwest::get(format!("{}/healthz", relay.base)).await.unwrap().status().as_u16() });
    assert_eq!(health, 200);
}

#[test]
fn random_and_adversarial_bundles_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    fuzz(&format!("sqlite://{}", dir.path().join("fuzz.db").display()), 2000);
}

#[test]
fn random_and_adversarial_bundles_on_postgresql() {
    let Some(pg) = Postgres::start() else {
        eprintln!("\n!!!!!!!! PostgreSQL is not installed: SKIPPING the PostgreSQL intake property test !!!!!!!!\n");
        return;
    };
    fuzz(&pg.url, 1000);
}
