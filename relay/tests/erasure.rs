//! Retention and erasure against the real binary, on a SQLite file and on a throwaway PostgreSQL
//! cluster: `DELETE /v1/customers/{customer}` and the customer page's button erase every handoff,
//! message and note of the customer, tell the webhooks, and leave an audit line without the
//! erased data; `BATON_RETENTION_DAYS` removes what has aged.

use baton_relay::testing::{invite, Postgres, RelayProcess};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TOKEN: &str = "agent-token-for-tests-0123456789abcdef";
const SECRET: &str = "identity-secret-for-tests";
const BIN: &str = env!("CARGO_BIN_EXE_baton-relay");

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Files a handoff; its ticket.
async fn file(base: &str, reference: &str, identity: Value, description: &str) -> i64 {
    let body = json!({"version": 1, "reference": reference, "identity": identity, "description": description, "summary": description});
    let res: Value = client().post(format!("{base}/v1/handoffs")).header("idempotency-key", format!("key-{reference}")).json(&body).send().await.unwrap().json().await.unwrap();
    res["ticket"].as_i64().unwrap_or_else(|| panic!("{res}"))
}

async fn status_of(base: &str, ticket: i64) -> u16 {
    client().get(format!("{base}/v1/handoffs/{ticket}")).bearer_auth(TOKEN).send().await.unwrap().status().as_u16()
}

/// A loopback webhook receiver recording each body.
async fn receiver() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let calls = seen.clone();
    let app = axum::Router::new().fallback(move |body: String| {
        let calls = calls.clone();
        async move {
            calls.lock().unwrap().push(body);
            axum::http::StatusCode::OK
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

async fn erasure(db: &str, tag: &str) {
    let (hook, calls) = receiver().await;
    let relay = RelayProcess::start(BIN, db, &[("BATON_AGENT_TOKEN", TOKEN), ("BATON_IDENTITY_SECRET", SECRET), ("BATON_WEBHOOK_URLS", &hook), ("BATON_WEBHOOK_SECRET", "whsec"), ("BATON_WEBHOOK_RETRY_MS", "50")]).await;
    let base = relay.base.as_str();
    let user = format!("u_{tag}_erase");
    let email = format!("erase.me.{tag}@customer.example");
    let signed = |id: &str, email: &str| json!({"id": id, "email": email, "signature": baton_relay::identity::sign(SECRET, id)});
    // Hers: two verified handoffs (with a reply and a note), one that only claims her email.
    let first = file(base, &format!("BTN-{tag}E1"), signed(&user, &email), &format!("Secret story of {email}")).await;
    let second = file(base, &format!("BTN-{tag}E2"), signed(&user, &email), "Second contact").await;
    let claimed = file(base, &format!("BTN-{tag}E3"), json!({"email": email}), "Claimed, unverified").await;
    // Someone else's, which stays.
    let other = file(base, &format!("BTN-{tag}O1"), signed(&format!("u_{tag}_keep"), "keep@customer.example"), "Not hers").await;
    // The visit that sent her first handoff, by beacon (no session): its events are hers.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let visit = json!({"events": [
        {"id": format!("{tag}-v:s0"), "kind": "search", "at": now, "visit": format!("{tag}-v"), "journey": "/billing", "confident": false, "query": "refund"},
        {"id": format!("{tag}-v:t"), "kind": "handoff-sent", "at": now, "visit": format!("{tag}-v"), "journey": "billing", "reference": format!("BTN-{tag}E1"), "completeness": 0.5},
        {"id": format!("{tag}-w:s0"), "kind": "search", "at": now, "visit": format!("{tag}-w"), "journey": "/billing", "confident": true},
    ]});
    let stored = client().post(format!("{base}/v1/events")).header("content-type", "text/plain").body(visit.to_string()).send().await.unwrap();
    assert_eq!(stored.status().as_u16(), 202);
    let replied = client().post(format!("{base}/v1/handoffs/{first}/replies")).bearer_auth(TOKEN).json(&json!({"body": "We refunded you"})).send().await.unwrap();
    assert_eq!(replied.status().as_u16(), 201);
    client().post(format!("{base}/inbox/{second}/notes")).bearer_auth(TOKEN).form(&[("body", "Called her back")]).send().await.unwrap();
    client().post(format!("{base}/inbox/{other}/notes")).bearer_auth(TOKEN).form(&[("body", "Keep this note")]).send().await.unwrap();

    // The agent API erases her: every handoff, message and note.
    let res = client().delete(format!("{base}/v1/customers/id:{user}")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let erased: Value = res.json().await.unwrap();
    let mut tickets: Vec<i64> = erased["tickets"].as_array().unwrap().iter().map(|t| t.as_i64().unwrap()).collect();
    tickets.sort();
    assert_eq!(tickets, [first, second], "{erased}");
    assert_eq!((erased["messages"].as_i64(), erased["notes"].as_i64(), erased["customer"].as_str()), (Some(1), Some(1), Some(format!("id:{user}").as_str())));
    assert_eq!(erased["events"].as_i64(), Some(2), "the visit that sent her handoff, not another visit: {erased}");
    for t in [first, second] {
        assert_eq!(status_of(base, t).await, 404, "ticket {t} is gone");
    }
    assert_eq!(status_of(base, other).await, 200, "another customer's stays");
    // Then by email: the handoff that only claimed her address goes too.
    let by_email: Value = client().delete(format!("{base}/v1/customers/{email}")).bearer_auth(TOKEN).send().await.unwrap().json().await.unwrap();
    assert_eq!(by_email["tickets"], json!([claimed]), "{by_email}");
    let found: Value = client().get(format!("{base}/v1/handoffs?q=erase.me.{tag}")).bearer_auth(TOKEN).send().await.unwrap().json().await.unwrap();
    assert_eq!(found["handoffs"], json!([]), "nothing of hers is found");
    // Without a credential: 401; again: nothing more, zeros.
    assert_eq!(client().delete(format!("{base}/v1/customers/id:{user}")).send().await.unwrap().status().as_u16(), 401);
    let again: Value = client().delete(format!("{base}/v1/customers/id:{user}")).bearer_auth(TOKEN).send().await.unwrap().json().await.unwrap();
    assert_eq!(again["tickets"], json!([]));

    // Webhooks are told, signed like every webhook.
    let mut events = Vec::new();
    for _ in 0..100 {
        events = calls.lock().unwrap().iter().filter_map(|b| serde_json::from_str::<Value>(b).ok()).filter(|v| v["event"] == "customer.erased").collect();
        if events.len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let event = events.iter().find(|e| e["customer"] == format!("id:{user}")).unwrap_or_else(|| panic!("{events:?}"));
    assert_eq!(event["tickets"].as_array().unwrap().len(), 2, "{event}");

    // The audit keeps one line per erasure: who, the counts and tickets, nothing of hers.
    let inbox = client().get(format!("{base}/inbox")).bearer_auth(TOKEN).send().await.unwrap().text().await.unwrap();
    assert!(inbox.contains(&format!("automation · erased a customer on request: 2 handoffs (#{first}, #{second}), 1 messages, 1 notes, 2 events")), "{inbox}");
    assert!(!inbox.contains(&email) && !inbox.contains(&user) && !inbox.contains("Secret story"));

    // The customer page's button, for a signed-in agent.
    let keep = format!("u_{tag}_keep");
    let agent = format!("lead.{}@support.example", tag.to_lowercase());
    let token = invite(BIN, db, &agent);
    client().post(format!("{base}/invite/{token}")).form(&[("password", "a long passphrase"), ("confirm", "a long passphrase")]).send().await.unwrap();
    let signed_in = client().post(format!("{base}/login")).form(&[("email", agent.as_str()), ("password", "a long passphrase")]).send().await.unwrap();
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let desk = client().get(format!("{base}/inbox/{other}")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    let link = format!("/inbox/customers/id%3A{keep}");
    assert!(desk.contains(&format!("href=\"{link}\"")), "the handoff links to the customer's page: {desk}");
    let page = client().get(format!("{base}{link}")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("href=\"/inbox/{other}\"")) && page.contains("Erase everything about this customer"), "{page}");
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().to_string();
    let unconfirmed = client().post(format!("{base}{link}/erase")).header("cookie", &cookie).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(unconfirmed.status().as_u16(), 400, "the box must be ticked");
    let erased = client().post(format!("{base}{link}/erase")).header("cookie", &cookie).form(&[("csrf", csrf.as_str()), ("confirm", "yes")]).send().await.unwrap();
    assert_eq!(erased.status().as_u16(), 303);
    assert_eq!(status_of(base, other).await, 404);
    let inbox = client().get(format!("{base}/inbox")).bearer_auth(TOKEN).send().await.unwrap().text().await.unwrap();
    assert!(inbox.contains(&format!("{agent} · erased a customer on request: 1 handoffs (#{other}), 0 messages, 1 notes")), "{inbox}");
    drop(relay);

    // On SQLite, nothing of hers is left in the database's files.
    if let Some(path) = db.strip_prefix("sqlite://") {
        for file in [path.to_string(), format!("{path}-wal")] {
            let bytes = std::fs::read(&file).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains(&email) && !text.contains("Secret story"), "{file} still holds erased text");
        }
    }
}

async fn retention(db: &str, tag: &str) {
    let relay = RelayProcess::start(BIN, db, &[("BATON_AGENT_TOKEN", TOKEN)]).await;
    let old = file(&relay.base, &format!("BTN-{tag}OLD"), Value::Null, "From long ago").await;
    let recent = file(&relay.base, &format!("BTN-{tag}NEW"), Value::Null, "From today").await;
    client().post(format!("{}/inbox/{recent}/notes", relay.base)).bearer_auth(TOKEN).form(&[("body", "An old note")]).send().await.unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let event = json!({"events": [{"id": format!("{tag}-old"), "kind": "search", "at": now, "visit": format!("{tag}-old"), "journey": "/", "confident": true}]});
    client().post(format!("{}/v1/events", relay.base)).header("content-type", "application/json").body(event.to_string()).send().await.unwrap();
    drop(relay);
    // Forty days pass for the first handoff and the note (written straight to the database).
    let forty_days_ago = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64 - 40 * 86_400_000;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(db).await.unwrap();
    sqlx::query("UPDATE handoffs SET received_at = $1 WHERE id = $2").bind(forty_days_ago).bind(old).execute(&pool).await.unwrap();
    sqlx::query("UPDATE notes SET at = $1 WHERE handoff_id = $2").bind(forty_days_ago).bind(recent).execute(&pool).await.unwrap();
    // And an event 500 days: past the events' own default retention (400 days).
    sqlx::query("UPDATE events SET at = $1").bind(forty_days_ago - 460 * 86_400_000).execute(&pool).await.unwrap();
    sqlx::query("UPDATE visits SET started_at = $1").bind(forty_days_ago - 460 * 86_400_000).execute(&pool).await.unwrap();
    pool.close().await;
    // Kept without BATON_RETENTION_DAYS; swept at start with 30 days.
    let relay = RelayProcess::start(BIN, db, &[("BATON_AGENT_TOKEN", TOKEN)]).await;
    let sessions = |base: String| async move {
        let card: Value = client().get(format!("{base}/v1/scorecard?from=0")).bearer_auth(TOKEN).send().await.unwrap().json().await.unwrap();
        card["overall"]["helpSessions"].as_u64().unwrap()
    };
    for _ in 0..100 {
        if sessions(relay.base.clone()).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(sessions(relay.base.clone()).await, 0, "an event older than BATON_EVENT_RETENTION_DAYS (400) is removed");
    assert_eq!(status_of(&relay.base, old).await, 200, "unset: every handoff is kept");
    drop(relay);
    let relay = RelayProcess::start(BIN, db, &[("BATON_AGENT_TOKEN", TOKEN), ("BATON_RETENTION_DAYS", "30")]).await;
    // The sweep's audit line is its last write: once it shows, the whole sweep is done (the
    // handoffs go first, in their own transactions; the notes after).
    let inbox_page = |base: String| async move { client().get(format!("{base}/inbox")).bearer_auth(TOKEN).send().await.unwrap().text().await.unwrap() };
    for _ in 0..300 {
        if inbox_page(relay.base.clone()).await.contains("retention · retention: removed") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status_of(&relay.base, old).await, 404, "older than 30 days: removed");
    assert_eq!(status_of(&relay.base, recent).await, 200, "recent: kept");
    let desk = client().get(format!("{}/inbox/{recent}", relay.base)).bearer_auth(TOKEN).send().await.unwrap().text().await.unwrap();
    assert!(!desk.contains("An old note"), "a note older than the period goes, its handoff stays");
    let inbox = inbox_page(relay.base.clone()).await;
    assert!(inbox.contains("retention · retention: removed 1 handoffs, 0 messages, 1 notes"), "{inbox}");
    let out = std::process::Command::new(BIN).env("DATABASE_URL", db).env("BATON_RETENTION_DAYS", "forever").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test]
async fn erasure_and_retention_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    erasure(&format!("sqlite://{}", dir.path().join("erase.db").display()), "SQ").await;
    retention(&format!("sqlite://{}", dir.path().join("retain.db").display()), "SQ").await;
}

#[tokio::test]
async fn erasure_and_retention_on_postgresql() {
    let Some(pg) = Postgres::start() else {
        eprintln!("\n!!!!!!!! PostgreSQL is not installed: SKIPPING the PostgreSQL erasure test !!!!!!!!\n");
        return;
    };
    erasure(&pg.url, "PG").await;
    retention(&pg.url, "PG").await;
}
