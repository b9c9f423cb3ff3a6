//! `make bench-relay`: handoffs per second sustained and p50/p99 latency of `POST /v1/handoffs`
//! at 1, 16 and 64 concurrent clients, on a SQLite file and on a throwaway PostgreSQL cluster,
//! plus the relay's peak memory and the database size per 10,000 handoffs. One markdown table.
//!
//! Then the conversation: agent reply → widget latency (p50 / p99) with 1,000 open streams on one
//! relay (`BENCH_STREAMS`), and the relay's memory with them open.
//!
//! Usage: `bench RELAY_BINARY` (the Makefile builds it with the `relay` profile). `BENCH_SECONDS`
//! sets the measured time per row (default 5).

use baton_relay::testing::{Postgres, RelayProcess};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A realistic bundle (~5 KB: a few routes, errors and steps, as the widget sends).
fn bundle(n: u64) -> Value {
    let steps: Vec<String> = (1..=12).map(|i| format!("{i}. Clicked \"Button {i}\" (button#b{i}) on /billing/invoices/{n}")).collect();
    let errors: Vec<Value> = (0..4)
        .map(|i| json!({"kind": "uncaught", "message": format!("TypeError: Cannot read properties of undefined (reading 'x{i}')"), "frames": [{"function": "pay", "file": "https://app.example.com/static/js/main.8f3a2b1c.js", "line": 120 + i, "column": 17}], "count": 3, "firstAt": 0.0, "lastAt": 1.0, "route": "/billing", "signature": format!("sig{i}")}))
        .collect();
    json!({
        "version": 1, "reference": format!("BTN-BENCH-{n}"), "createdAt": 1.0, "widgetVersion": "0.1.0",
        "identity": {"id": format!("u_{n}"), "email": format!("user{n}@client.example"), "account": "Acme"},
        "description": "My payment keeps failing with a card error although the card is valid and has funds.",
        "summary": "Jane (Acme) asked for help on /billing: \"My payment keeps failing\". Most notable error: \"TypeError …\" (×3).",
        "steps": steps, "routing": {"category": "billing", "priority": "high", "reasons": ["errors on a payment route"]},
        "selfServiceProgress": {"reached": "answered", "searches": 2, "unansweredSearches": 1, "articles": 1, "helpful": 0, "notHelpful": 1},
        "selfService": {"searches": [{"query": "card declined", "at": 1.0, "results": 3, "answered": true}], "articles": [{"id": "update-card", "title": "Update your card", "at": 2.0, "helpful": false}], "flows": []},
        "route": {"url": "/billing", "path": "/billing", "title": "Billing", "via": "push", "at": 0.0, "count": 1},
        "routes": [], "alerts": [], "breadcrumbs": [], "custom": {"plan": "growth"}, "omitted": [],
        "errors": errors,
        "failedRequests": [{"api": "fetch", "method": "POST", "url": "/api/pay", "status": 502, "durationMs": 80.0, "count": 2, "firstAt": 0.0, "lastAt": 1.0}],
        "environment": {"browser": "Chrome 156", "os": "Linux", "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0", "viewport": [1280, 800], "screen": [1280, 800], "pixelRatio": 1.0, "language": "en-US", "timezone": "UTC", "online": true},
        "contextCompleteness": 1.0, "contextMissing": []
    })
}

/// `clients` tasks post distinct handoffs for `seconds`; returns (handoffs/s, p50 ms, p99 ms, count).
async fn load(base: &str, clients: usize, seconds: f64, counter: Arc<AtomicU64>) -> (f64, f64, f64, u64) {
    let client = reqwest::Client::builder().pool_max_idle_per_host(clients).build().unwrap();
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (client, base, counter) = (client.clone(), base.to_string(), counter.clone());
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let body = bundle(n).to_string();
                let t = Instant::now();
                let res = client.post(format!("{base}/v1/handoffs")).header("content-type", "application/json").header("idempotency-key", format!("bench-{n}")).body(body).send().await;
                if res.is_ok_and(|r| r.status() == 201) {
                    latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                }
            }
            latencies
        });
    }
    let started = Instant::now();
    let mut all: Vec<f64> = tasks.join_all().await.into_iter().flatten().collect();
    let elapsed = started.elapsed().as_secs_f64().max(seconds);
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| all.get(((all.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0);
    (all.len() as f64 / elapsed, pct(0.5), pct(0.99), all.len() as u64)
}

async fn bench(bin: &str, name: &str, url: &str, seconds: f64, size: impl AsyncFnOnce(u64) -> f64) -> Vec<String> {
    let relay = RelayProcess::start(bin, url, &[("BATON_RATE_LIMIT", "100000000"), ("BATON_AGENT_TOKEN", "bench-agent-token-0123456789abcdef")]).await;
    let counter = Arc::new(AtomicU64::new(0));
    let _ = load(&relay.base, 8, 1.0, counter.clone()).await; // warm-up
    let mut rows = Vec::new();
    for clients in [1, 16, 64] {
        let (rate, p50, p99, _) = load(&relay.base, clients, seconds, counter.clone()).await;
        rows.push(format!("| {name} | {clients} | {rate:.0} | {p50:.2} ms | {p99:.2} ms |"));
    }
    let stored = counter.load(Ordering::Relaxed);
    let per_10k = size(stored).await / stored.max(1) as f64 * 10_000.0;
    rows.push(format!("| {name} | peak memory {:.1} MB | database {:.1} MB per 10,000 handoffs ({stored} stored) | | |", relay.peak_mb(), per_10k / 1_048_576.0));
    rows
}

/// Opens `streams` widget sessions, each with one conversation and an open `GET /v1/stream`, then
/// posts `replies` agent replies one after another to random conversations and times each from
/// the POST to its arrival on the customer's stream. Returns (p50 ms, p99 ms, peak MB, streams).
async fn streams(bin: &str, url: &str, streams: usize, replies: usize) -> (f64, f64, f64, usize) {
    let relay = RelayProcess::start(bin, url, &[("BATON_RATE_LIMIT", "100000000"), ("BATON_SESSION_RATE_LIMIT", "100000000"), ("BATON_AGENT_TOKEN", "bench-agent-token-0123456789abcdef")]).await;
    let base = relay.base.clone();
    let client = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(i64, Instant)>();
    let mut tickets = Vec::new();
    let mut opened = tokio::task::JoinSet::new();
    for n in 0..streams {
        let (client, base, tx) = (client.clone(), base.clone(), tx.clone());
        opened.spawn(async move {
            let visitor = format!("bench{n:027}");
            let s: Value = client.post(format!("{base}/v1/session")).json(&json!({"visitor": visitor})).send().await.ok()?.json().await.ok()?;
            let session = s["session"].as_str()?.to_string();
            let mut body = bundle(n as u64);
            body["reference"] = json!(format!("BTN-STRM-{n:05}"));
            let t: Value = client.post(format!("{base}/v1/handoffs")).bearer_auth(&session).header("idempotency-key", format!("stream-{n}")).json(&body).send().await.ok()?.json().await.ok()?;
            let ticket = t["ticket"].as_i64()?;
            let mut res = reqwest::Client::new().get(format!("{base}/v1/stream")).bearer_auth(&session).send().await.ok()?;
            tokio::spawn(async move {
                let mut buffer = String::new();
                while let Ok(Some(chunk)) = res.chunk().await {
                    buffer.push_str(&String::from_utf8_lossy(&chunk));
                    while let Some(end) = buffer.find("\n\n") {
                        let block: String = buffer.drain(..end + 2).collect();
                        if block.contains("event: update") {
                            let _ = tx.send((ticket, Instant::now()));
                        }
                    }
                }
            });
            Some(ticket)
        });
        if opened.len() >= 32 {
            tickets.extend(opened.join_next().await.and_then(Result::ok).flatten());
        }
    }
    tickets.extend(opened.join_all().await.into_iter().flatten());
    tokio::time::sleep(Duration::from_secs(1)).await; // every stream connected and idle
    let mut latencies = Vec::new();
    for i in 0..replies {
        let ticket = tickets[(i * 7919) % tickets.len()];
        let sent = Instant::now();
        let posted = client.post(format!("{base}/v1/handoffs/{ticket}/replies")).bearer_auth("bench-agent-token-0123456789abcdef").json(&json!({"body": "Fixed it"})).send().await;
        if posted.is_err() {
            continue;
        }
        while let Ok(Some((got, at))) = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
            if got == ticket {
                latencies.push(at.duration_since(sent).as_secs_f64() * 1000.0);
                break;
            }
        }
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0);
    (pct(0.5), pct(0.99), relay.peak_mb(), tickets.len())
}

#[tokio::main]
async fn main() {
    let bin = std::env::args().nth(1).expect("usage: bench RELAY_BINARY");
    let seconds: f64 = std::env::var("BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let mut rows = vec!["| database | clients | handoffs/s | p50 | p99 |".to_string(), "|---|---:|---:|---:|---:|".to_string()];

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bench.db");
    let url = format!("sqlite://{}", file.display());
    let path = file.clone();
    rows.extend(
        bench(&bin, "SQLite", &url, seconds, async move |_| {
            let size = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len());
            (size(&path) + size(&path.with_extension("db-wal"))) as f64
        })
        .await,
    );

    match Postgres::start() {
        Some(pg) => {
            let url = pg.url.clone();
            rows.extend(
                bench(&bin, "PostgreSQL", &pg.url, seconds, async move |_| {
                    sqlx::any::install_default_drivers();
                    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
                    let row: (i64,) = sqlx::query_as("SELECT CAST(pg_total_relation_size('handoffs') AS BIGINT)").fetch_one(&pool).await.unwrap();
                    row.0 as f64
                })
                .await,
            );
        }
        None => rows.push("| PostgreSQL | not installed: skipped | | | |".into()),
    }
    println!("baton-relay benchmark ({seconds} s per row, {} cores)", std::thread::available_parallelism().map_or(1, |n| n.get()));
    for r in rows {
        println!("{r}");
    }

    let wanted: usize = std::env::var("BENCH_STREAMS").ok().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("streams.db").display());
    let (p50, p99, peak, open) = streams(&bin, &url, wanted, 200).await;
    println!();
    println!("| conversation (SQLite) | open streams | reply → widget p50 | p99 | relay peak memory |");
    println!("|---|---:|---:|---:|---:|");
    println!("| 200 agent replies, one at a time | {open} | {p50:.2} ms | {p99:.2} ms | {peak:.1} MB |");
}
