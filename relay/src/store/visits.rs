//! The `visits` table: one row per page visit with help, kept up to date as its events arrive,
//! from which a period's help sessions are counted without grouping every event again.

use super::{Sessions, Store};
use sqlx::Row;

const COLUMNS: &str = "visit, started_at, journey, handoff_journey, help, did_read, did_helpful, did_resolve, did_handoff";
/// What an `events` row says of its visit, in SQL: whether it is help (a search or an article),
/// a read, a "helpful", a self-service resolution, a handoff — for the live update and the fill
/// alike.
const FLAGS: [&str; 5] = [
    "CASE WHEN kind IN ('search', 'article') THEN 1 ELSE 0 END",
    "CASE WHEN kind = 'article' THEN 1 ELSE 0 END",
    "CASE WHEN kind = 'helpful' AND helpful = 1 THEN 1 ELSE 0 END",
    "CASE WHEN kind = 'self-service-resolved' THEN 1 ELSE 0 END",
    "CASE WHEN kind = 'handoff-sent' THEN 1 ELSE 0 END",
];

/// Adds a newly stored event (by its id) to its visit's row: the visit starts at its earliest
/// event, keeps the journey of the first page event stored (where help started), takes the
/// category of the latest handoff stored, and each flag, once set, stays set.
pub(super) async fn record(tx: &mut sqlx::Transaction<'static, sqlx::Any>, event_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO visits ({COLUMNS}) SELECT visit, at, CASE WHEN kind <> 'handoff-sent' THEN journey END, CASE WHEN kind = 'handoff-sent' THEN journey END, {} \
         FROM events WHERE event_id = $1 \
         ON CONFLICT (visit) DO UPDATE SET \
           started_at = CASE WHEN excluded.started_at < visits.started_at THEN excluded.started_at ELSE visits.started_at END, \
           journey = COALESCE(visits.journey, excluded.journey), \
           handoff_journey = COALESCE(excluded.handoff_journey, visits.handoff_journey), \
           help = visits.help | excluded.help, did_read = visits.did_read | excluded.did_read, did_helpful = visits.did_helpful | excluded.did_helpful, \
           did_resolve = visits.did_resolve | excluded.did_resolve, did_handoff = visits.did_handoff | excluded.did_handoff",
        FLAGS.join(", ")
    ))
    .bind(event_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Fills `visits` from the stored events when it is empty and they are not: once, after the
    /// migration that added it (a relay upgraded with events kept), or after rows were written
    /// straight into `events` — by the rule [`record`] follows, events in the order they were
    /// stored. Another relay filling it at the same time wins each visit it wrote first.
    pub(super) async fn fill_visits(&self) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let empty = sqlx::query("SELECT visit FROM visits LIMIT 1").fetch_optional(&mut *tx).await?.is_none();
        if empty {
            let flags: Vec<String> = FLAGS.iter().map(|f| format!("MAX({f})")).collect();
            sqlx::query(&format!(
                "INSERT INTO visits ({COLUMNS}) SELECT visit, MIN(at), MAX(first_page), MAX(last_handoff), {} \
                 FROM (SELECT visit, at, kind, helpful, \
                   FIRST_VALUE(CASE WHEN kind <> 'handoff-sent' THEN journey END) OVER (PARTITION BY visit ORDER BY CASE WHEN kind <> 'handoff-sent' THEN 0 ELSE 1 END, id) AS first_page, \
                   FIRST_VALUE(CASE WHEN kind = 'handoff-sent' THEN journey END) OVER (PARTITION BY visit ORDER BY CASE WHEN kind = 'handoff-sent' THEN 0 ELSE 1 END, id DESC) AS last_handoff \
                   FROM events) e WHERE 1 = 1 GROUP BY visit ON CONFLICT (visit) DO NOTHING",
                flags.join(", ")
            ))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }

    /// Help sessions that started in `[from, to)`, per journey: a visit's journey is its
    /// handoff's category, else the page where help started.
    pub async fn help_sessions(&self, from: i64, to: i64) -> Result<Vec<Sessions>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT COALESCE(handoff_journey, journey, '') AS journey, COUNT(*) AS help, CAST(SUM(did_read) AS BIGINT) AS did_read, CAST(SUM(did_helpful) AS BIGINT) AS did_helpful, \
               CAST(SUM(did_resolve) AS BIGINT) AS did_resolve, CAST(SUM(did_handoff) AS BIGINT) AS did_handoff \
             FROM visits WHERE started_at >= $1 AND started_at < $2 AND help = 1 GROUP BY COALESCE(handoff_journey, journey, '') ORDER BY journey",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let n = |r: &sqlx::any::AnyRow, k: &str| r.try_get::<Option<i64>, _>(k).map(|v| v.unwrap_or(0).max(0) as u64);
        rows.iter()
            .map(|r| Ok(Sessions { journey: r.try_get("journey")?, help: n(r, "help")?, read: n(r, "did_read")?, helpful: n(r, "did_helpful")?, resolved: n(r, "did_resolve")?, escalated: n(r, "did_handoff")? }))
            .collect()
    }
}
