//! Forgetting: a customer's erasure on request, and the retention sweep. Each runs in one
//! transaction, so that nothing is half erased; what they leave is an audit line with counts and
//! ticket numbers, never the erased data.

use super::Store;
use sqlx::Row;

/// What an erasure or a sweep removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Removed {
    /// The tickets removed whole.
    pub tickets: Vec<i64>,
    /// Their references.
    pub references: Vec<String>,
    /// Messages removed (of those tickets, or older than the cut-off).
    pub messages: i64,
    /// Notes removed.
    pub notes: i64,
    /// KPI events removed.
    pub events: i64,
}

/// A customer as erasure names them: `id:…`, `email:…`, a bare email or a bare user id.
pub struct Subject {
    /// The key handoffs are filed under (`id:…` or `email:…`).
    pub key: String,
    user_id: Option<String>,
    email: Option<String>,
}

impl Subject {
    /// Reads what the agent gave.
    pub fn parse(given: &str) -> Option<Subject> {
        let given = given.trim();
        if let Some(id) = given.strip_prefix("id:").filter(|s| !s.is_empty()) {
            return Some(Subject { key: format!("id:{id}"), user_id: Some(id.to_string()), email: None });
        }
        let email = given.strip_prefix("email:").unwrap_or(given);
        if email.contains('@') {
            let email = email.to_lowercase();
            return Some(Subject { key: format!("email:{email}"), user_id: None, email: Some(email) });
        }
        (!given.is_empty() && given.len() <= 200).then(|| Subject { key: format!("id:{given}"), user_id: Some(given.to_string()), email: None })
    }
}

/// Deletes handoff `id` and everything hanging off it; adds to `removed`.
async fn remove_handoff(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: i64, reference: String, removed: &mut Removed) -> Result<(), sqlx::Error> {
    let messages: i64 = sqlx::query("SELECT COUNT(*) AS n FROM updates WHERE handoff_id = $1 AND kind = 'message'").bind(id).fetch_one(&mut **tx).await?.try_get("n")?;
    let notes = sqlx::query("DELETE FROM notes WHERE handoff_id = $1").bind(id).execute(&mut **tx).await?.rows_affected();
    sqlx::query("DELETE FROM updates WHERE handoff_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM deliveries WHERE handoff_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM handoffs WHERE id = $1").bind(id).execute(&mut **tx).await?;
    removed.tickets.push(id);
    removed.references.push(reference);
    removed.messages += messages;
    removed.notes += notes as i64;
    Ok(())
}

impl Store {
    /// After an erasure, the old copies of the rows go too: on SQLite the write-ahead log is
    /// checkpointed into the file (where `secure_delete` zeroed the rows) and truncated; on
    /// PostgreSQL the tables are vacuumed. Best effort: a busy database finishes it later itself.
    async fn scrub(&self) {
        let statement = match self.backend {
            super::Backend::Sqlite => "PRAGMA wal_checkpoint(TRUNCATE)",
            super::Backend::Postgres => "VACUUM handoffs, updates, notes, deliveries, widget_sessions",
        };
        if let Err(e) = sqlx::query(statement).execute(&self.pool).await {
            eprintln!("baton-relay: scrubbing after an erasure is left to the database: {e}");
        }
    }

    /// Erases every handoff of `who` — filed under them, claiming their id or email, or from a
    /// visitor they identified as — with its messages, notes and pending webhooks, and their
    /// widget sessions; schedules a `customer.erased` webhook to each of `targets` and writes an
    /// audit line by `actor`. All or nothing.
    pub async fn erase_customer(&self, who: &Subject, targets: &[String], actor: &str, now: i64) -> Result<Removed, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "SELECT id, reference FROM handoffs WHERE customer = $1 OR user_id = $2 OR email = $3 OR verified_email = $3 \
             OR visitor IN (SELECT visitor FROM widget_sessions WHERE customer = $1 AND visitor IS NOT NULL) ORDER BY id",
        )
        .bind(&who.key)
        .bind(who.user_id.clone())
        .bind(who.email.clone())
        .fetch_all(&mut *tx)
        .await?;
        let mut removed = Removed::default();
        for row in rows {
            remove_handoff(&mut tx, row.try_get("id")?, row.try_get("reference")?, &mut removed).await?;
        }
        // Their visits' tallies go with their events, so that the scorecard counts what is kept.
        let theirs = "customer = $1 OR visitor IN (SELECT visitor FROM widget_sessions WHERE customer = $1 AND visitor IS NOT NULL)";
        sqlx::query(&format!("DELETE FROM visits WHERE visit IN (SELECT visit FROM events WHERE {theirs})")).bind(&who.key).execute(&mut *tx).await?;
        removed.events = sqlx::query(&format!("DELETE FROM events WHERE {theirs}"))
            .bind(&who.key)
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
        // Events sent by beacon carry no session: a visit is theirs when it sent one of their
        // handoffs or spoke of one of their conversations.
        for reference in &removed.references {
            sqlx::query("DELETE FROM visits WHERE visit IN (SELECT visit FROM events WHERE reference = $1)").bind(reference).execute(&mut *tx).await?;
            removed.events += sqlx::query("DELETE FROM events WHERE visit IN (SELECT visit FROM events WHERE reference = $1)").bind(reference).execute(&mut *tx).await?.rows_affected() as i64;
        }
        sqlx::query("DELETE FROM widget_sessions WHERE customer = $1").bind(&who.key).execute(&mut *tx).await?;
        let payload = serde_json::json!({"event": "customer.erased", "customer": who.key, "tickets": removed.tickets, "references": removed.references, "at": now}).to_string();
        for target in targets.iter().filter(|t| !t.starts_with("slack:")) {
            sqlx::query("INSERT INTO deliveries (handoff_id, payload, target, next_at) VALUES (NULL, $1, $2, $3)").bind(&payload).bind(target).bind(now).execute(&mut *tx).await?;
        }
        let tickets = removed.tickets.iter().map(|t| format!("#{t}")).collect::<Vec<_>>().join(", ");
        let detail = format!("erased a customer on request: {} handoffs ({}), {} messages, {} notes, {} events", removed.tickets.len(), if tickets.is_empty() { "none" } else { &tickets }, removed.messages, removed.notes, removed.events);
        sqlx::query("INSERT INTO audit (handoff_id, actor, action, detail, at) VALUES (NULL, $1, 'erased', $2, $3)").bind(actor).bind(detail).bind(now).execute(&mut *tx).await?;
        tx.commit().await?;
        self.scrub().await;
        Ok(removed)
    }

    /// Removes what is older than `cutoff` (ms since the epoch): handoffs received before it with
    /// everything hanging off them, and older messages and notes of newer ones; and expired
    /// sessions. Writes an audit line when it removed anything.
    pub async fn sweep(&self, cutoff: i64, event_cutoff: i64, now: i64) -> Result<Removed, sqlx::Error> {
        let mut removed = Removed::default();
        loop {
            // In rounds, so that one transaction stays short however much has aged.
            let mut tx = self.begin_write().await?;
            let rows = sqlx::query("SELECT id, reference FROM handoffs WHERE received_at < $1 ORDER BY id LIMIT 200").bind(cutoff).fetch_all(&mut *tx).await?;
            let done = rows.len() < 200;
            for row in rows {
                remove_handoff(&mut tx, row.try_get("id")?, row.try_get("reference")?, &mut removed).await?;
            }
            tx.commit().await?;
            if done {
                break;
            }
        }
        removed.messages += sqlx::query("DELETE FROM updates WHERE at < $1").bind(cutoff).execute(&self.pool).await?.rows_affected() as i64;
        removed.notes += sqlx::query("DELETE FROM notes WHERE at < $1").bind(cutoff).execute(&self.pool).await?.rows_affected() as i64;
        removed.events += sqlx::query("DELETE FROM events WHERE at < $1").bind(event_cutoff.max(cutoff)).execute(&self.pool).await?.rows_affected() as i64;
        sqlx::query("DELETE FROM visits WHERE started_at < $1").bind(event_cutoff.max(cutoff)).execute(&self.pool).await?;
        sqlx::query("DELETE FROM widget_sessions WHERE expires_at < $1").bind(now).execute(&self.pool).await?;
        sqlx::query("DELETE FROM agent_sessions WHERE expires_at < $1").bind(now).execute(&self.pool).await?;
        if removed != Removed::default() {
            let detail = format!("retention: removed {} handoffs, {} messages, {} notes, {} events older than the retention period", removed.tickets.len(), removed.messages, removed.notes, removed.events);
            self.audit(None, "retention", "swept", &detail, now).await?;
        }
        Ok(removed)
    }
}
