//! `POST /v1/encode` against the real binary: off by default, the reference encoder's embeddings
//! when configured, hostile bodies refused, and the concurrency cap (503 + Retry-After).

use baton_relay::testing::RelayProcess;
use serde_json::{json, Value};
use std::process::Command;

const ORIGIN: &str = "http://app.example";

/// The relay under test, with the allowed origin the tests use.
struct Relay;

impl Relay {
    async fn start(database_url: &str, extra: &[(&str, &str)]) -> RelayProcess {
        let mut env = vec![("BATON_ALLOWED_ORIGINS", ORIGIN)];
        env.extend_from_slice(extra);
        RelayProcess::start(env!("CARGO_BIN_EXE_baton-relay"), database_url, &env).await
    }
}

#[tokio::test]
async fn the_encoder_embeds_queries_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("relay.db").display());
    let encode = |base: &str, body: Value| {
        let url = format!("{base}/v1/encode");
        async move {
            let res = reqwest::Client::new().post(url).header("origin", ORIGIN).json(&body).send().await.unwrap();
            let cors = res.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_string());
            (res.status().as_u16(), cors, res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    // Off by default: a clear 404 the widget reads as "no encoder here".
    let relay = Relay::start(&db, &[]).await;
    let (status, _, body) = encode(&relay.base, json!({"text": "refund"})).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("encoder_off")), "{body}");
    drop(relay);

    let model = baton_encoder::default_model();
    let relay = Relay::start(&db, &[("BATON_ENCODER_MODEL", &model), ("BATON_ENCODE_RATE_LIMIT", "100000")]).await;
    let vector = |v: &Value| v["vector"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect::<Vec<f64>>();
    let (status, cors, refund) = encode(&relay.base, json!({"text": "How do I get a refund?"})).await;
    assert_eq!(status, 200, "{refund}");
    assert_eq!(cors.as_deref(), Some(ORIGIN), "the widget's page may read it");
    assert_eq!((refund["model"].as_str(), refund["dims"].as_u64()), (Some("all-MiniLM-L6-v2"), Some(384)));
    let (a, norm) = (vector(&refund), vector(&refund).iter().map(|x| x * x).sum::<f64>().sqrt());
    assert!((norm - 1.0).abs() < 1e-3, "{norm}");
    let cos = |b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let (_, _, money) = encode(&relay.base, json!({"text": "I want my money back"})).await;
    let (_, _, weather) = encode(&relay.base, json!({"text": "what's the weather like"})).await;
    // The reference encoder's cosines (sentence-transformers): 0.593 and 0.030.
    assert!((cos(&vector(&money)) - 0.593).abs() < 0.01 && (cos(&vector(&weather)) - 0.030).abs() < 0.02);
    // Hostile input: a clear 400, and the relay goes on.
    for bad in [json!({"text": "   "}), json!({"text": 3}), json!(["x"])] {
        let (status, _, body) = encode(&relay.base, bad).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("bad_request")), "{body}");
    }
    let raw = reqwest::Client::new().post(format!("{}/v1/encode", relay.base)).body("not json").send().await.unwrap();
    assert_eq!(raw.status().as_u16(), 415, "not declared JSON");
    let (status, _, long) = encode(&relay.base, json!({"text": "refund ".repeat(2_000)})).await;
    assert_eq!((status, long["dims"].as_u64()), (200, Some(384)), "a long query is cut, not refused");
    drop(relay);

    // One query at a time: sixteen long ones sent together are each answered, or told to come
    // back (503 + Retry-After), never queued without bound.
    let relay = Relay::start(&db, &[("BATON_ENCODER_MODEL", &model), ("BATON_ENCODE_RATE_LIMIT", "100000"), ("BATON_ENCODE_CONCURRENCY", "1")]).await;
    let mut racers = tokio::task::JoinSet::new();
    for i in 0..16 {
        let url = format!("{}/v1/encode", relay.base);
        racers.spawn(async move {
            let res = reqwest::Client::new().post(url).json(&json!({"text": format!("{i} refund ").repeat(300)})).send().await.unwrap();
            (res.status().as_u16(), res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string()))
        });
    }
    let answers = racers.join_all().await;
    assert!(answers.iter().all(|(s, _)| *s == 200 || *s == 503), "{answers:?}");
    assert!(answers.iter().any(|(s, _)| *s == 200) && answers.iter().any(|(s, r)| *s == 503 && r.as_deref() == Some("1")), "{answers:?}");
    drop(relay);

    let out = Command::new(env!("CARGO_BIN_EXE_baton-relay")).env("DATABASE_URL", &db).env("PORT", baton_relay::testing::free_port().to_string()).env("BATON_ENCODER_MODEL", "/nonexistent").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("BATON_ENCODER_MODEL: /nonexistent/model.safetensors"), "{}", String::from_utf8_lossy(&out.stderr));
}
