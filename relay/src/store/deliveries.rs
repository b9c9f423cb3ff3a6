//! The `deliveries` table: one row per webhook target of each new handoff (or of an event such as
//! `customer.erased`), claimed with a lease so that several relay instances send each delivery
//! once.

use super::handoffs::Handoff;
use super::Store;
use sqlx::Row;

/// A webhook delivery claimed for sending.
#[derive(Clone, Debug)]
pub struct Due {
    /// The delivery's id (part of its `Idempotency-Key`).
    pub delivery: i64,
    /// `slack:URL` or a URL.
    pub target: String,
    /// Attempts so far.
    pub attempts: i64,
    /// What it sends.
    pub sending: Sending,
}

/// What a delivery sends.
#[derive(Clone, Debug)]
pub enum Sending {
    /// A new handoff.
    Handoff(Box<Handoff>),
    /// An event's body, as stored.
    Event(String),
}

impl Store {
    /// Claims up to `limit` webhook deliveries due at `now` for `lease_ms` (another instance
    /// skips them meanwhile), with what sending them needs.
    pub async fn claim_due(&self, now: i64, lease_ms: i64, limit: i64) -> Result<Vec<Due>, sqlx::Error> {
        let candidates = sqlx::query("SELECT id FROM deliveries WHERE delivered_at IS NULL AND next_at <= $1 AND claimed_until < $1 ORDER BY next_at LIMIT $2")
            .bind(now)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let mut due = Vec::new();
        for c in candidates {
            let id: i64 = c.try_get("id")?;
            let claimed = sqlx::query("UPDATE deliveries SET claimed_until = $1 WHERE id = $2 AND claimed_until < $3 AND delivered_at IS NULL")
                .bind(now + lease_ms)
                .bind(id)
                .bind(now)
                .execute(&self.pool)
                .await?;
            if claimed.rows_affected() == 0 {
                continue; // another instance has it
            }
            let row = sqlx::query("SELECT handoff_id, payload, target, attempts FROM deliveries WHERE id = $1").bind(id).fetch_one(&self.pool).await?;
            let sending = match (row.try_get::<Option<String>, _>("payload")?, row.try_get::<Option<i64>, _>("handoff_id")?) {
                (Some(payload), _) => Sending::Event(payload),
                (None, Some(ticket)) => match self.get(ticket).await? {
                    Some(handoff) => Sending::Handoff(Box::new(handoff)),
                    None => continue,
                },
                (None, None) => continue,
            };
            due.push(Due { delivery: id, target: row.try_get("target")?, attempts: row.try_get("attempts")?, sending });
        }
        Ok(due)
    }

    /// A delivery reached its target.
    pub async fn delivered(&self, delivery: i64, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE deliveries SET delivered_at = $1, attempts = attempts + 1 WHERE id = $2").bind(now).bind(delivery).execute(&self.pool).await?;
        Ok(())
    }

    /// A delivery failed; the next attempt is at `next_at` (`i64::MAX`: given up).
    pub async fn failed(&self, delivery: i64, error: &str, next_at: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE deliveries SET attempts = attempts + 1, last_error = $1, next_at = $2, claimed_until = 0 WHERE id = $3")
            .bind(error)
            .bind(next_at)
            .bind(delivery)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
