//! What the relay's integration tests share: the relay under test with its secrets, a bundle,
//! identity signatures and tokens, posting a handoff, and reading a page as a browser shows it.
#![allow(dead_code)]

use baton_relay::testing::RelayProcess;
use serde_json::{json, Value};

pub const TOKEN: &str = "agent-token-for-tests-0123456789abcdef";
pub const PASSWORD: &str = "a long passphrase for tests";
pub const SECRET: &str = "identity-secret-for-tests";
pub const ORIGIN: &str = "http://app.example";

/// The relay under test, with the agent token, identity secret and allowed origin the tests use.
pub struct Relay;

impl Relay {
    pub async fn start(database_url: &str, extra: &[(&str, &str)]) -> RelayProcess {
        let mut env = vec![("BATON_AGENT_TOKEN", TOKEN), ("BATON_IDENTITY_SECRET", SECRET), ("BATON_ALLOWED_ORIGINS", ORIGIN), ("BATON_RATE_LIMIT", "100000")];
        env.extend_from_slice(extra);
        RelayProcess::start(env!("CARGO_BIN_EXE_baton-relay"), database_url, &env).await
    }
}

pub fn bundle(reference: &str, description: &str, identity: Value) -> Value {
    json!({
        "version": 1, "reference": reference, "createdAt": 1.0, "widgetVersion": "0.1.0",
        "identity": identity, "description": description,
        "summary": format!("Someone asked for help on /billing: \"{description}\"."),
        "steps": ["1. Opened /billing", "2. Clicked \"Pay\" (button#pay)", "3. → Error: Payment declined"],
        "routing": {"category": "billing", "priority": "high", "reasons": []},
        "selfServiceProgress": {"reached": "read", "searches": 1, "unansweredSearches": 0, "articles": 1, "helpful": 0, "notHelpful": 1},
        "selfService": {"searches": [{"query": "card declined", "at": 1.0, "results": 2, "answered": true}],
                         "articles": [{"id": "update-card", "title": "Update your card", "at": 2.0, "helpful": false}], "flows": []},
        "route": {"url": "/billing", "path": "/billing", "title": "Billing", "via": "load", "at": 0.0, "count": 1},
        "routes": [], "alerts": [], "breadcrumbs": [], "custom": {}, "omitted": [],
        "errors": [{"kind": "uncaught", "message": "Error: Payment declined", "frames": [], "count": 3, "firstAt": 0.0, "lastAt": 1.0, "route": "/billing", "signature": "x"}],
        "failedRequests": [{"api": "fetch", "method": "POST", "url": "/api/pay", "status": 502, "durationMs": 80.0, "count": 2, "firstAt": 0.0, "lastAt": 1.0}],
        "environment": {"browser": "Chrome 156", "os": "Linux", "userAgent": "x", "viewport": [1, 1], "screen": [1, 1], "pixelRatio": 1.0, "language": "en-US", "timezone": "UTC", "online": true},
        "contextCompleteness": 1.0, "contextMissing": []
    })
}

pub fn sign(subject: &str) -> String {
    baton_relay::identity::sign(SECRET, subject)
}

/// An identity token for `claims` (with `iat` now and `exp` in ten minutes unless given).
pub fn token(claims: Value) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let mut c = json!({"iat": now, "exp": now + 600});
    c.as_object_mut().unwrap().extend(claims.as_object().unwrap().clone());
    baton_relay::identity::issue(SECRET, &c)
}

/// The text a browser shows for `html`: character references decoded, whichever form the
/// template engine writes (`&lt;` or `&#60;`).
pub fn shown(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|e| *e <= 8);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "amp" => Some('&'),
            "apos" => Some('\''),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

pub async fn post(base: &str, body: &Value, key: Option<&str>) -> (u16, Value) {
    try_post(base, body, key).await.expect("post")
}

/// `None` when the connection failed (the relay was killed). Without a `key`, a new one.
pub async fn try_post(base: &str, body: &Value, key: Option<&str>) -> Option<(u16, Value)> {
    static KEYS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let key = key.map_or_else(|| format!("key-{}-{}", std::process::id(), KEYS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)), str::to_string);
    let req = reqwest::Client::new().post(format!("{base}/v1/handoffs")).json(body).header("Idempotency-Key", key);
    let res = req.send().await.ok()?;
    let status = res.status().as_u16();
    Some((status, res.json().await.ok()?))
}

pub async fn agent_get(url: &str) -> reqwest::Response {
    reqwest::Client::new().get(url).bearer_auth(TOKEN).send().await.expect("get")
}
