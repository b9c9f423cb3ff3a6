//! Webhooks against the real binary: signed, retried, sent once per key, never redirected,
//! never unsigned, and their URLs never logged.

mod common;
use common::*;
use serde_json::{json, Value};
use std::process::Command;
use std::time::Duration;

/// A loopback webhook receiver: records `(path, headers, body)`; the first call to `/hook`
/// answers 500 (so the relay must retry), every other call 200.
async fn receiver() -> (String, std::sync::Arc<std::sync::Mutex<Vec<(String, axum::http::HeaderMap, String)>>>) {
    use axum::http::{HeaderMap, StatusCode, Uri};
    use axum::response::IntoResponse;
    let calls = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = calls.clone();
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: String| {
        let seen = seen.clone();
        async move {
            let mut calls = seen.lock().unwrap();
            calls.push((uri.path().to_string(), headers, body));
            let hooks = calls.iter().filter(|(p, _, _)| p == "/hook").count();
            if uri.path().starts_with("/moved") {
                return (StatusCode::TEMPORARY_REDIRECT, [("location", "/stolen")]).into_response();
            }
            if uri.path() == "/hook" && hooks == 1 { StatusCode::INTERNAL_SERVER_ERROR.into_response() } else { StatusCode::OK.into_response() }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, calls)
}

#[tokio::test]
async fn webhooks_are_signed_retried_and_sent_once_per_key() {
    let (url, calls) = receiver().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("relay.db").display());
    let hook = format!("{url}/hook");
    let slack = format!("{url}/slack");
    let relay = Relay::start(&db, &[("BATON_WEBHOOK_URLS", &hook), ("BATON_SLACK_WEBHOOK_URL", &slack), ("BATON_WEBHOOK_SECRET", "whsec"), ("BATON_WEBHOOK_RETRY_MS", "100")]).await;
    let body = bundle("BTN-HOOK-22", "Forward me <!channel>", json!({"id": "u_1", "signature": sign("u_1")}));
    let (_, first) = post(&relay.base, &body, Some("hook-key")).await;
    let (status, _) = post(&relay.base, &body, Some("hook-key")).await;
    assert_eq!(status, 200, "a repeat of the key is the same handoff: not forwarded again");
    for _ in 0..100 {
        let c = calls.lock().unwrap();
        if c.iter().filter(|(p, _, _)| p == "/hook").count() >= 2 && c.iter().any(|(p, _, _)| p == "/slack") {
            break;
        }
        drop(c);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    let calls = calls.lock().unwrap().clone();
    let hooks: Vec<_> = calls.iter().filter(|(p, _, _)| p == "/hook").collect();
    assert_eq!(hooks.len(), 2, "one 500, one retry that succeeded, nothing after: {calls:?}");
    assert_eq!(hooks[0].1["idempotency-key"], hooks[1].1["idempotency-key"], "every attempt of a delivery carries the same key");
    for (_, headers, body) in &hooks {
        let sig = headers["baton-signature"].to_str().unwrap();
        let t = sig.split(',').next().unwrap().trim_start_matches("t=");
        assert_eq!(sig, baton_relay::forward::signature("whsec", t.parse().unwrap(), body), "signed with the webhook secret");
        let payload: Value = serde_json::from_str(body).unwrap();
        assert_eq!((payload["event"].as_str(), payload["ticket"].as_i64(), payload["verified"].as_bool()), (Some("handoff.created"), first["ticket"].as_i64(), Some(true)));
        assert_eq!(payload["bundle"]["reference"], "BTN-HOOK-22");
    }
    let slacks: Vec<_> = calls.iter().filter(|(p, _, _)| p == "/slack").collect();
    assert_eq!(slacks.len(), 1);
    let text = serde_json::from_str::<Value>(&slacks[0].2).unwrap()["text"].as_str().unwrap().to_string();
    assert!(text.starts_with("*BTN-HOOK-22* · billing · high priority") && text.contains("&lt;!channel&gt;") && text.contains("|Open in Baton>"), "{text}");
    assert!(slacks[0].1.get("baton-signature").is_none(), "Slack gets its own format, unsigned");
}

#[tokio::test]
async fn webhooks_follow_no_redirect_log_no_url_and_are_never_unsigned() {
    let (url, calls) = receiver().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("relay.db").display());
    let secret_path = format!("{url}/moved/T000/B000/xoxb-secret-part");
    let relay = Relay::start(&db, &[("BATON_WEBHOOK_URLS", &secret_path), ("BATON_WEBHOOK_SECRET", "whsec"), ("BATON_WEBHOOK_RETRY_MS", "50")]).await;
    post(&relay.base, &bundle("BTN-MOVE-22", "x", Value::Null), None).await;
    let mut logged = String::new();
    for _ in 0..100 {
        logged = relay.log();
        if logged.contains("given up") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(logged.contains("given up: HTTP 307"), "a redirect is an answer, not followed: {logged}");
    assert!(!logged.contains("xoxb-secret-part") && !logged.contains("/moved"), "the log names the host only: {logged}");
    let calls = calls.lock().unwrap().clone();
    assert!(calls.iter().all(|(p, _, _)| p != "/stolen"), "{calls:?}");
    drop(relay);
    let out = Command::new(env!("CARGO_BIN_EXE_baton-relay")).env("DATABASE_URL", &db).env("BATON_WEBHOOK_URLS", &url).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "unsigned webhooks are refused at start");
    assert!(String::from_utf8_lossy(&out.stderr).contains("BATON_WEBHOOK_URLS needs BATON_WEBHOOK_SECRET"));
}
