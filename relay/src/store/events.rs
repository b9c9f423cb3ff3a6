//! The `events` table (the widget's KPI events) and the rows the scorecard is computed from:
//! help sessions aggregated per journey in the database, and the handoffs, status changes and
//! replies of a period.

use super::Store;
use sqlx::Row;

/// An event as stored.
pub struct NewEvent {
    /// The widget's id for it (unique).
    pub event_id: String,
    /// Its kind's name.
    pub kind: &'static str,
    /// When (ms since the epoch, as the relay accepted it).
    pub at: i64,
    /// The page visit.
    pub visit: String,
    /// The journey.
    pub journey: String,
    /// A search's redacted query, when collected.
    pub query: Option<String>,
    /// A search: a confident answer shown.
    pub confident: Option<bool>,
    /// An article id.
    pub article: Option<String>,
    /// "Did this help?".
    pub helpful: Option<bool>,
    /// A reference code.
    pub reference: Option<String>,
    /// A handoff's completeness or an effort score.
    pub value: Option<f64>,
    /// An escalation's progress.
    pub progress: Option<String>,
    /// The session's verified customer.
    pub customer: Option<String>,
    /// The session's visitor.
    pub visitor: Option<String>,
}

/// Help sessions of one journey in a period.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sessions {
    /// The journey.
    pub journey: String,
    /// Visits with a search or an article.
    pub help: u64,
    /// … that read an article.
    pub read: u64,
    /// … that answered "helpful".
    pub helpful: u64,
    /// … that ended self-service-resolved.
    pub resolved: u64,
    /// … that sent a handoff.
    pub escalated: u64,
}

/// A handoff as the scorecard sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct HandoffFacts {
    /// Ticket.
    pub ticket: i64,
    /// Verified customer.
    pub customer: Option<String>,
    /// Routing category: its journey.
    pub journey: String,
    /// Received (ms).
    pub at: i64,
    /// contextCompleteness.
    pub completeness: Option<f64>,
    /// The agent had to ask again.
    pub reasked: bool,
}

/// A status change or an agent's reply.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Ticket.
    pub ticket: i64,
    /// `status` or `message`.
    pub kind: String,
    /// The status, for a status change.
    pub body: String,
    /// When.
    pub at: i64,
    /// A reply seen in a widget, when.
    pub seen_at: Option<i64>,
    /// A reply emailed, when.
    pub emailed_at: Option<i64>,
}

fn handoff_facts(r: &sqlx::any::AnyRow) -> Result<HandoffFacts, sqlx::Error> {
    Ok(HandoffFacts {
        ticket: r.try_get("id")?,
        customer: r.try_get("customer")?,
        journey: r.try_get("category")?,
        at: r.try_get("received_at")?,
        completeness: r.try_get("completeness")?,
        reasked: r.try_get::<i64, _>("reasked")? != 0,
    })
}

impl Store {
    /// Stores events, once per event id; how many were new.
    pub async fn add_events(&self, events: &[NewEvent]) -> Result<usize, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let mut stored = 0;
        for e in events {
            let done = sqlx::query(
                "INSERT INTO events (event_id, kind, at, visit, journey, query, confident, article, helpful, reference, value, progress, customer, visitor) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULLIF($11, -1), $12, $13, $14) ON CONFLICT (event_id) DO NOTHING",
            )
            .bind(&e.event_id)
            .bind(e.kind)
            .bind(e.at)
            .bind(&e.visit)
            .bind(&e.journey)
            .bind(e.query.clone())
            .bind(e.confident.map(i64::from))
            .bind(e.article.clone())
            .bind(e.helpful.map(i64::from))
            .bind(e.reference.clone())
            .bind(super::maybe_number(e.value))
            .bind(e.progress.clone())
            .bind(e.customer.clone())
            .bind(e.visitor.clone())
            .execute(&mut *tx)
            .await?;
            stored += done.rows_affected() as usize;
        }
        tx.commit().await?;
        Ok(stored)
    }

    /// Help sessions in `[from, to)` per journey: one visit's journey is its handoff's category,
    /// else the page where help started (what its other events carry).
    pub async fn help_sessions(&self, from: i64, to: i64) -> Result<Vec<Sessions>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT journey, COUNT(*) AS help, SUM(did_read) AS did_read, SUM(did_helpful) AS did_helpful, SUM(did_resolve) AS did_resolve, SUM(did_handoff) AS did_handoff FROM ( \
               SELECT visit, COALESCE(MAX(CASE WHEN kind = 'handoff-sent' THEN journey END), MIN(CASE WHEN kind <> 'handoff-sent' THEN journey END)) AS journey, \
                 MAX(CASE WHEN kind IN ('search', 'article') THEN 1 ELSE 0 END) AS help, \
                 MAX(CASE WHEN kind = 'article' THEN 1 ELSE 0 END) AS did_read, \
                 MAX(CASE WHEN kind = 'helpful' AND helpful = 1 THEN 1 ELSE 0 END) AS did_helpful, \
                 MAX(CASE WHEN kind = 'self-service-resolved' THEN 1 ELSE 0 END) AS did_resolve, \
                 MAX(CASE WHEN kind = 'handoff-sent' THEN 1 ELSE 0 END) AS did_handoff \
               FROM events WHERE at >= $1 AND at < $2 GROUP BY visit) v \
             WHERE help = 1 GROUP BY journey ORDER BY journey",
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

    /// Effort answers in `[from, to)`: (journey, score).
    pub async fn effort_answers(&self, from: i64, to: i64) -> Result<Vec<(String, f64)>, sqlx::Error> {
        let rows = sqlx::query("SELECT journey, value FROM events WHERE kind = 'effort' AND at >= $1 AND at < $2 AND value IS NOT NULL").bind(from).bind(to).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((r.try_get("journey")?, r.try_get("value")?))).collect()
    }

    /// The most frequent collected searches without a confident answer in `[from, to)`.
    pub async fn content_gaps(&self, from: i64, to: i64, journey: Option<&str>, limit: i64) -> Result<Vec<(String, u64)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT query, COUNT(*) AS n FROM events WHERE kind = 'search' AND confident = 0 AND query IS NOT NULL AND at >= $1 AND at < $2 AND ($3 IS NULL OR journey = $3) \
             GROUP BY query ORDER BY n DESC, query LIMIT $4",
        )
        .bind(from)
        .bind(to)
        .bind(journey.map(str::to_string))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((r.try_get("query")?, r.try_get::<i64, _>("n")?.max(0) as u64))).collect()
    }

    /// Handoffs received in `[from, to)`.
    pub async fn handoffs_between(&self, from: i64, to: i64) -> Result<Vec<HandoffFacts>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, customer, category, received_at, completeness, reasked FROM handoffs WHERE received_at >= $1 AND received_at < $2 ORDER BY id").bind(from).bind(to).fetch_all(&self.pool).await?;
        rows.iter().map(handoff_facts).collect()
    }

    /// Handoffs of verified customers received from `from` on (what may repeat a contact).
    pub async fn customer_handoffs_since(&self, from: i64) -> Result<Vec<HandoffFacts>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, customer, category, received_at, completeness, reasked FROM handoffs WHERE customer IS NOT NULL AND received_at >= $1 ORDER BY id").bind(from).fetch_all(&self.pool).await?;
        rows.iter().map(handoff_facts).collect()
    }

    /// The handoffs with tickets among those solved in `[from, to)`, or replied to then: every
    /// status change and agent reply of each (whenever made), oldest first.
    pub async fn steps_of_period(&self, from: i64, to: i64) -> Result<Vec<Step>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT handoff_id, kind, body, at, seen_at, emailed_at FROM updates WHERE (kind = 'status' OR (kind = 'message' AND author = 'agent')) AND handoff_id IN ( \
               SELECT handoff_id FROM updates WHERE at >= $1 AND at < $2 AND ((kind = 'status' AND body = 'solved') OR (kind = 'message' AND author = 'agent'))) ORDER BY id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok(Step { ticket: r.try_get("handoff_id")?, kind: r.try_get("kind")?, body: r.try_get("body")?, at: r.try_get("at")?, seen_at: r.try_get("seen_at")?, emailed_at: r.try_get("emailed_at")? }))
            .collect()
    }

    /// The given tickets' facts.
    pub async fn handoff_facts(&self, tickets: &[i64]) -> Result<Vec<HandoffFacts>, sqlx::Error> {
        let mut out = Vec::with_capacity(tickets.len());
        for chunk in tickets.chunks(500) {
            let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let rows = sqlx::query(&format!("SELECT id, customer, category, received_at, completeness, reasked FROM handoffs WHERE id IN ({list})")).fetch_all(&self.pool).await?;
            for r in &rows {
                out.push(handoff_facts(r)?);
            }
        }
        Ok(out)
    }

    /// Marks a conversation: its agent had to ask for something the handoff already had.
    pub async fn mark_reasked(&self, ticket: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE handoffs SET reasked = 1 WHERE id = $1").bind(ticket).execute(&self.pool).await?;
        Ok(())
    }
}
