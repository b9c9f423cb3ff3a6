//! `make bench-relay`, second half: how long `GET /v1/scorecard` (28 days, every journey) and the
//! `/scorecard` page (the same, the previous period and twelve weeks of trend) take
//! over 1,000,000 events and 50,000 handoffs on a throwaway PostgreSQL cluster and over 100,000
//! events and 5,000 handoffs on a SQLite file (`BENCH_SCORECARD_EVENTS` scales both). The rows are
//! written straight into the database (the widget's events would take hours to post), spread over
//! the last 28 days: five events a visit, 20 journeys, handoffs of 10,000 customers with
//! replies and status changes. Median of 5 calls each, after one warm-up. The
//! relay fills its per-visit tallies from these events when it starts (as after an upgrade).
//!
//! Usage: `scorecard_bench RELAY_BINARY`.

use baton_relay::testing::{Postgres, RelayProcess};
use std::time::{Duration, Instant};

const TOKEN: &str = "bench-agent-token-0123456789abcdef";

/// The rows `1..=n` of a number series, as each database writes it.
fn series(postgres: bool, n: u64) -> (String, String) {
    if postgres {
        (String::new(), format!("FROM generate_series(CAST(1 AS BIGINT), {n}) AS s(g)"))
    } else {
        (format!("WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {n}) "), "FROM s".into())
    }
}

async fn seed(url: &str, postgres: bool, events: u64, handoffs: u64, now: i64) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let span = 28 * 86_400_000i64 - 60_000;
    let (with, from) = series(postgres, events);
    sqlx::query(&format!(
        "INSERT INTO events (event_id, kind, at, visit, journey, confident, helpful, value) {with}SELECT 'e' || CAST(g AS TEXT), \
         CASE g % 5 WHEN 0 THEN 'search' WHEN 1 THEN 'article' WHEN 2 THEN 'helpful' WHEN 3 THEN 'self-service-resolved' ELSE 'handoff-sent' END, \
         {now} - (g * 7919) % {span}, 'v' || CAST(g / 5 AS TEXT), '/journey/' || CAST(g % 20 AS TEXT), g % 2, g % 3, 0.5 {from}"
    ))
    .execute(&pool)
    .await
    .unwrap();
    let (with, from) = series(postgres, handoffs);
    sqlx::query(&format!(
        "INSERT INTO handoffs (idempotency_key, reference, received_at, status, category, priority, verified, search, bundle, customer, completeness) {with}SELECT \
         'k' || CAST(g AS TEXT), 'BTN-S' || CAST(g AS TEXT), {now} - (g * 7919) % {span}, 'solved', 'journey' || CAST(g % 20 AS TEXT), 'normal', 2, '', '{{}}', \
         'id:c' || CAST(g % 10000 AS TEXT), (g % 10) / 10.0 {from}"
    ))
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO updates (handoff_id, kind, author, body, at, seen_at) SELECT id, 'message', 'agent', 'Done', received_at + 60000, received_at + 120000 FROM handoffs").execute(&pool).await.unwrap();
    sqlx::query("INSERT INTO updates (handoff_id, kind, body, at) SELECT id, 'status', 'solved', received_at + 180000 FROM handoffs").execute(&pool).await.unwrap();
    pool.close().await;
}

async fn time(bin: &str, url: &str, name: &str, events: u64, handoffs: u64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    // Migrations first, by the relay itself; then the rows; then the relay again.
    drop(RelayProcess::start(bin, url, &[("BATON_AGENT_TOKEN", TOKEN)]).await);
    let t = Instant::now();
    seed(url, url.starts_with("postgres"), events, handoffs, now).await;
    let seeded = t.elapsed();
    let relay = RelayProcess::start(bin, url, &[("BATON_AGENT_TOKEN", TOKEN)]).await;
    let client = reqwest::Client::builder().timeout(Duration::from_secs(600)).build().unwrap();
    let mut p50 = Vec::new();
    for path in ["/v1/scorecard", "/scorecard"] {
        let mut took = Vec::new();
        for _ in 0..6 {
            let t = Instant::now();
            let res = client.get(format!("{}{path}", relay.base)).bearer_auth(TOKEN).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 200, "{path}");
            let body = res.text().await.unwrap();
            assert!(body.contains("helpSessions") || body.contains("Help sessions"), "{path}: {body}");
            took.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        took.remove(0);
        took.sort_by(f64::total_cmp);
        p50.push(took[took.len() / 2]);
    }
    format!("| {name} | {events} | {handoffs} | {:.0} ms | {:.0} ms | {:.0} s |", p50[0], p50[1], seeded.as_secs_f64())
}

#[tokio::main]
async fn main() {
    let bin = std::env::args().nth(1).expect("usage: scorecard_bench RELAY_BINARY");
    let scale: f64 = std::env::var("BENCH_SCORECARD_EVENTS").ok().and_then(|s| s.parse::<f64>().ok()).map_or(1.0, |n| n / 1_000_000.0);
    let (pg_events, pg_handoffs) = ((1_000_000.0 * scale) as u64, (50_000.0 * scale) as u64);
    let (sq_events, sq_handoffs) = ((100_000.0 * scale) as u64, (5_000.0 * scale) as u64);
    println!();
    println!("| scorecard (28 days) | events | handoffs | GET /v1/scorecard p50 | GET /scorecard (page) p50 | seeding |");
    println!("|---|---:|---:|---:|---:|---:|");
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("scorecard.db").display());
    println!("{}", time(&bin, &url, "SQLite", sq_events, sq_handoffs).await);
    match Postgres::start() {
        Some(pg) => println!("{}", time(&bin, &pg.url, "PostgreSQL", pg_events, pg_handoffs).await),
        None => println!("| PostgreSQL | not installed: skipped | | | | |"),
    }
}
