//! The continuity scorecard against the real binary, on a SQLite file and on a throwaway
//! PostgreSQL cluster: a seeded event log and handoffs, every metric checked against values
//! worked out by hand (overall, per journey, an empty period), the page, the CSV, and the events
//! endpoint's refusals.

use baton_relay::testing::{Postgres, RelayProcess};
use serde_json::{json, Value};

const TOKEN: &str = "agent-token-for-tests-0123456789abcdef";
const SECRET: &str = "identity-secret-for-tests";
const ORIGIN: &str = "http://app.example";
const DAY: i64 = 86_400_000;

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn event(id: &str, kind: &str, visit: &str, journey: &str, extra: Value) -> Value {
    let mut e = json!({"id": id, "kind": kind, "at": now() - 3_600_000, "visit": visit, "journey": journey});
    e.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    e
}

async fn post_events(base: &str, body: &Value, content_type: &str, origin: &str) -> (u16, Value) {
    let res = client().post(format!("{base}/v1/events")).header("content-type", content_type).header("origin", origin).body(body.to_string()).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

async fn file(base: &str, reference: &str, user: &str, category: &str, completeness: f64) -> i64 {
    let identity = json!({"id": user, "signature": baton_relay::identity::sign(SECRET, user)});
    let body = json!({"version": 1, "reference": reference, "identity": identity, "description": "x", "routing": {"category": category, "priority": "normal"}, "contextCompleteness": completeness});
    let res: Value = client().post(format!("{base}/v1/handoffs")).header("idempotency-key", reference).json(&body).send().await.unwrap().json().await.unwrap();
    res["ticket"].as_i64().unwrap()
}

async fn card(base: &str, query: &str) -> Value {
    let res = client().get(format!("{base}/v1/scorecard?{query}")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    res.json().await.unwrap()
}

fn close(v: &Value, x: f64) -> bool {
    v.as_f64().is_some_and(|v| (v - x).abs() < 1e-6)
}

async fn scorecard(db: &str, tag: &str) {
    let relay = RelayProcess::start(env!("CARGO_BIN_EXE_baton-relay"), db, &[("BATON_AGENT_TOKEN", TOKEN), ("BATON_IDENTITY_SECRET", SECRET), ("BATON_ALLOWED_ORIGINS", ORIGIN)]).await;
    let base = relay.base.as_str();
    let id = |n: &str| format!("{tag}-{n}");
    let events = json!({"events": [
        event(&id("1"), "search", "v1", "/billing", json!({"confident": true})),
        event(&id("2"), "article", "v1", "/billing", json!({"article": "refunds"})),
        event(&id("3"), "helpful", "v1", "/billing", json!({"article": "refunds", "helpful": true})),
        event(&id("4"), "self-service-resolved", "v1", "/billing", json!({})),
        event(&id("5"), "search", "v2", "/billing", json!({"confident": false, "query": "refund for jane@client.example"})),
        event(&id("6"), "article", "v3", "/settings", json!({"article": "sso"})),
        event(&id("7"), "escalated", "v3", "/settings", json!({"progress": "read"})),
        event(&id("8"), "handoff-sent", "v3", "billing", json!({"reference": "BTN-X", "completeness": 0.8})),
        event(&id("9"), "reply-seen", "v4", "billing", json!({"reference": "BTN-X"})),
        event(&id("10"), "effort", "v5", "billing", json!({"score": 6})),
        event(&id("11"), "effort", "v6", "billing", json!({"score": 3})),
    ]});
    // sendBeacon's text/plain, from the allowed origin; the same batch again stores nothing new.
    assert_eq!(post_events(base, &events, "text/plain;charset=UTF-8", ORIGIN).await, (202, json!({"stored": 11})));
    assert_eq!(post_events(base, &events, "application/json", ORIGIN).await, (202, json!({"stored": 0})));
    // Refusals: another site, an unknown kind, not JSON.
    assert_eq!(post_events(base, &events, "application/json", "https://evil.example").await.0, 403);
    let (status, err) = post_events(base, &json!({"events": [event("x", "purchase", "v", "j", json!({}))]}), "application/json", ORIGIN).await;
    assert_eq!((status, err["error"].as_str()), (422, Some("bad_events")));
    assert!(err["message"].as_str().unwrap().contains("unknown kind \"purchase\""), "{err}");
    assert_eq!(post_events(base, &events, "application/x-www-form-urlencoded", ORIGIN).await.0, 415);

    // Handoffs: u1 twice on billing (a repeat contact), u2 once on access.
    let h1 = file(base, &format!("BTN-{tag}-H1"), &format!("u1{tag}"), "billing", 1.0).await;
    file(base, &format!("BTN-{tag}-H2"), &format!("u1{tag}"), "billing", 0.5).await;
    let h3 = file(base, &format!("BTN-{tag}-H3"), &format!("u2{tag}"), "access", 0.25).await;
    // A reply to h1 from the form, the agent ticking "I had to ask again"; one to h3 by API.
    let form = client().post(format!("{base}/inbox/{h1}/reply")).bearer_auth(TOKEN).form(&[("body", "What is your invoice number?"), ("reask", "yes")]).send().await.unwrap();
    assert_eq!(form.status().as_u16(), 303);
    client().post(format!("{base}/v1/handoffs/{h3}/replies")).bearer_auth(TOKEN).json(&json!({"body": "Done"})).send().await.unwrap();
    client().post(format!("{base}/inbox/{h3}/status")).bearer_auth(TOKEN).form(&[("status", "solved")]).send().await.unwrap();
    client().post(format!("{base}/inbox/{h1}/status")).bearer_auth(TOKEN).form(&[("status", "solved")]).send().await.unwrap();
    // h3 was filed and solved ten days ago, so its seven-day window has passed; h1's has not.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(db).await.unwrap();
    sqlx::query("UPDATE handoffs SET received_at = $1 WHERE id = $2").bind(now() - 11 * DAY).bind(h3).execute(&pool).await.unwrap();
    sqlx::query("UPDATE updates SET at = $1 WHERE handoff_id = $2").bind(now() - 10 * DAY).bind(h3).execute(&pool).await.unwrap();
    pool.close().await;

    let c = card(base, &format!("from={}", now() - 30 * DAY)).await;
    let m = &c["overall"];
    // Help sessions: v1 (resolved), v2, v3 (escalated; its journey is its handoff's, billing).
    assert_eq!((m["helpSessions"].as_u64(), m["readSessions"].as_u64(), m["helpfulSessions"].as_u64()), (Some(3), Some(2), Some(1)), "{m}");
    assert!(close(&m["selfServiceResolutionRate"], 1.0 / 3.0) && close(&m["escalationRate"], 1.0 / 3.0), "{m}");
    assert!(close(&m["repeatContactRate"], 0.5), "u1 came back, u2 did not: {m}");
    assert!(close(&m["firstContactResolutionRate"], 1.0), "h3 only is counted, and it is a first contact: {m}");
    assert!(close(&m["contextCompleteness"]["mean"], 1.75 / 3.0) && m["contextCompleteness"]["histogram"] == json!([0, 0, 1, 0, 0, 1, 0, 0, 0, 1]), "{m}");
    assert!(close(&m["reaskRate"], 0.5), "{m}");
    assert_eq!(m["replies"], json!({"widget": 0, "email": 0, "never": 2, "medianSeenMs": null}));
    assert!(close(&m["effort"]["mean"], 4.5) && m["effort"]["n"] == 2 && m["effort"]["distribution"] == json!([0, 0, 1, 0, 0, 1, 0]), "{m}");
    assert_eq!(c["contentGaps"].as_array().unwrap().len(), 1);
    assert_eq!(c["contentGaps"][0]["count"], 1);
    assert!(!c["contentGaps"][0]["query"].as_str().unwrap().contains("jane@client.example"), "redacted: {c}");
    // Per journey: the journeys sorted by repeat contact rate; /billing's sessions.
    let journeys: Vec<&str> = c["journeys"].as_array().unwrap().iter().map(|j| j["journey"].as_str().unwrap()).collect();
    assert_eq!(journeys[0], "billing", "{journeys:?}");
    let billing = card(base, &format!("from={}&journey=billing", now() - 30 * DAY)).await;
    assert!(close(&billing["overall"]["escalationRate"], 1.0) && close(&billing["overall"]["repeatContactRate"], 1.0) && billing["overall"]["firstContactResolutionRate"].is_null(), "{billing}");
    let pages = card(base, &format!("from={}&journey=%2Fbilling", now() - 30 * DAY)).await;
    assert!(close(&pages["overall"]["selfServiceResolutionRate"], 0.5) && pages["overall"]["helpSessions"] == 2, "{pages}");
    // An empty period: zeros and nulls.
    let empty = card(base, "from=2001-01-01&to=2001-02-01").await;
    assert_eq!(empty["overall"]["helpSessions"], 0);
    assert!(empty["overall"]["selfServiceResolutionRate"].is_null() && empty["overall"]["effort"]["mean"].is_null() && empty["journeys"] == json!([]));
    assert_eq!(client().get(format!("{base}/v1/scorecard?from=soon")).bearer_auth(TOKEN).send().await.unwrap().status().as_u16(), 400);
    assert_eq!(client().get(format!("{base}/v1/scorecard")).send().await.unwrap().status().as_u16(), 401);

    // The CSV and the page.
    let csv = client().get(format!("{base}/v1/scorecard?from={}&format=csv", now() - 30 * DAY)).bearer_auth(TOKEN).send().await.unwrap();
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert!(csv.lines().nth(1).unwrap().starts_with("\"*\",3,0.3333,0.3333,0.5000,1.0000,0.5833,0.5000,0,0,2,,4.5000,2"), "{csv}");
    let page = client().get(format!("{base}/scorecard?from={}", now() - 30 * DAY)).bearer_auth(TOKEN).send().await.unwrap();
    assert!(page.headers()["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
    let html = page.text().await.unwrap();
    for part in ["Self-service resolution</b>: <span class=\"value\">33.3%", "Repeat contact rate</b>: <span class=\"value\">50.0%", "Help sessions</text>", "Resolved by self-service</text>", "1 (33%)", "0.9–1.0</text>", "Not yet seen</text>", "<polyline", "<td>billing</td>"] {
        assert!(html.contains(part), "{part} in {html}");
    }
    assert!(!html.contains("<script"));
    assert_eq!(client().get(format!("{base}/scorecard")).send().await.unwrap().status().as_u16(), 303, "agents only");

    // The help sessions are kept per visit as events arrive; a relay that finds that table empty
    // (an upgrade from a relay that kept events only) fills it from the events, to the same numbers.
    drop(relay);
    let pool = sqlx::AnyPool::connect(db).await.unwrap();
    sqlx::query("DELETE FROM visits").execute(&pool).await.unwrap();
    pool.close().await;
    let relay = RelayProcess::start(env!("CARGO_BIN_EXE_baton-relay"), db, &[("BATON_AGENT_TOKEN", TOKEN)]).await;
    let again = card(&relay.base, &format!("from={}&to={}", c["from"], c["to"])).await;
    assert_eq!((&again["overall"], &again["journeys"]), (&c["overall"], &c["journeys"]));
}

#[tokio::test]
async fn scorecard_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    scorecard(&format!("sqlite://{}", dir.path().join("relay.db").display()), "SQ").await;
}

#[tokio::test]
async fn scorecard_on_postgresql() {
    let Some(pg) = Postgres::start() else {
        eprintln!("\n!!!!!!!! PostgreSQL is not installed: SKIPPING the PostgreSQL scorecard test !!!!!!!!\n");
        return;
    };
    scorecard(&pg.url, "PG").await;
}
