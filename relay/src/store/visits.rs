//! The `visits` table: one row per page visit with help, kept up to date as its events arrive,
//! from which a period's help sessions are counted without grouping every event again.

use super::{NewEvent, Sessions, Store};
use sqlx::Row;

/// What one event says of its visit: (page journey, handoff journey, help, read, helpful,
/// resolved, handed off). The page journey is where help started; a handoff's is its category.
fn tally(e: &NewEvent) -> (Option<&str>, Option<&str>, [i64; 5]) {
    let handoff = e.kind == "handoff-sent";
    let flags = [matches!(e.kind, "search" | "article"), e.kind == "article", e.kind == "helpful" && e.helpful == Some(true), e.kind == "self-service-resolved", handoff];
    let (page, category) = if handoff { (None, Some(e.journey.as_str())) } else { (Some(e.journey.as_str()), None) };
    (page, category, flags.map(i64::from))
}

/// Adds a newly stored event to its visit's row: the visit starts at its earliest event, keeps
/// the journey of the first page event it received, takes the category of its latest handoff,
/// and each flag, once set, stays set.
pub(super) async fn record(tx: &mut sqlx::Transaction<'static, sqlx::Any>, e: &NewEvent) -> Result<(), sqlx::Error> {
    let (page, category, [help, read, helpful, resolved, handoff]) = tally(e);
    sqlx::query(
        "INSERT INTO visits (visit, started_at, journey, handoff_journey, help, did_read, did_helpful, did_resolve, did_handoff) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (visit) DO UPDATE SET \
           started_at = CASE WHEN excluded.started_at < visits.started_at THEN excluded.started_at ELSE visits.started_at END, \
           journey = COALESCE(visits.journey, excluded.journey), \
           handoff_journey = COALESCE(excluded.handoff_journey, visits.handoff_journey), \
           help = visits.help | excluded.help, did_read = visits.did_read | excluded.did_read, did_helpful = visits.did_helpful | excluded.did_helpful, \
           did_resolve = visits.did_resolve | excluded.did_resolve, did_handoff = visits.did_handoff | excluded.did_handoff",
    )
    .bind(&e.visit)
    .bind(e.at)
    .bind(page.map(str::to_string))
    .bind(category.map(str::to_string))
    .bind(help)
    .bind(read)
    .bind(helpful)
    .bind(resolved)
    .bind(handoff)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Fills `visits` from the stored events when it is empty and they are not: once, after the
    /// migration that added it (a relay upgraded with events kept), or after rows were written
    /// straight into `events`. Another relay filling it at the same time wins each visit it
    /// wrote first.
    pub(super) async fn fill_visits(&self) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let empty = sqlx::query("SELECT visit FROM visits LIMIT 1").fetch_optional(&mut *tx).await?.is_none();
        if empty {
            sqlx::query(
                "INSERT INTO visits (visit, started_at, journey, handoff_journey, help, did_read, did_helpful, did_resolve, did_handoff) \
                 SELECT visit, MIN(at), MIN(CASE WHEN kind <> 'handoff-sent' THEN journey END), MAX(CASE WHEN kind = 'handoff-sent' THEN journey END), \
                   MAX(CASE WHEN kind IN ('search', 'article') THEN 1 ELSE 0 END), MAX(CASE WHEN kind = 'article' THEN 1 ELSE 0 END), \
                   MAX(CASE WHEN kind = 'helpful' AND helpful = 1 THEN 1 ELSE 0 END), MAX(CASE WHEN kind = 'self-service-resolved' THEN 1 ELSE 0 END), \
                   MAX(CASE WHEN kind = 'handoff-sent' THEN 1 ELSE 0 END) \
                 FROM events WHERE 1 = 1 GROUP BY visit ON CONFLICT (visit) DO NOTHING",
            )
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
