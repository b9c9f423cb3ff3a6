//! The `events` table (the widget's KPI events) and the rows the scorecard is computed from
//! (beside the help sessions of `visits`): the handoffs, status changes and
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

/// What happened to a conversation, as the scorecard counts it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StepKind {
    /// An agent's reply: when it was seen in a widget, when it was emailed.
    Reply { seen_at: Option<i64>, emailed_at: Option<i64> },
    /// Marked solved.
    Solved,
    /// Marked open again.
    Opened,
}

/// A status change or an agent's reply.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Ticket.
    pub ticket: i64,
    /// When.
    pub at: i64,
    /// What.
    pub kind: StepKind,
}

/// The tickets solved or replied to by an agent in `[$1, $2)`.
const PERIOD_TICKETS: &str = "SELECT handoff_id FROM updates WHERE at >= $1 AND at < $2 AND ((kind = 'status' AND body = 'solved') OR (kind = 'message' AND author = 'agent'))";

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
            if done.rows_affected() == 1 {
                stored += 1;
                super::visits::record(&mut tx, &e.event_id).await?;
            }
        }
        tx.commit().await?;
        Ok(stored)
    }

    /// Effort answers in `[from, to)`: (journey, when, score).
    pub async fn effort_answers(&self, from: i64, to: i64) -> Result<Vec<(String, i64, f64)>, sqlx::Error> {
        let rows = sqlx::query("SELECT journey, at, value FROM events WHERE kind = 'effort' AND at >= $1 AND at < $2 AND value IS NOT NULL").bind(from).bind(to).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((r.try_get("journey")?, r.try_get("at")?, r.try_get("value")?))).collect()
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

    /// The handoffs a period's scorecard speaks of: those received from its start on, those of
    /// the conversations solved or replied to in it, and their customers' later ones.
    pub async fn handoffs_of_period(&self, from: i64, to: i64) -> Result<Vec<HandoffFacts>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT id, customer, category, received_at, completeness, reasked FROM handoffs WHERE received_at >= $1 OR id IN ({PERIOD_TICKETS}) \
             OR (customer IS NOT NULL AND received_at >= (SELECT MIN(received_at) FROM handoffs WHERE id IN ({PERIOD_TICKETS}))) ORDER BY id"
        ))
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(handoff_facts).collect()
    }

    /// Every reply, solve and reopening (whenever made) of the conversations solved or replied
    /// to in `[from, to)`, oldest first.
    pub async fn steps_of_period(&self, from: i64, to: i64) -> Result<Vec<Step>, sqlx::Error> {
        // Numbers only: a period's conversations are many rows, and each string costs.
        let rows = sqlx::query(&format!(
            "SELECT handoff_id, at, CASE WHEN kind = 'message' THEN 0 WHEN body = 'solved' THEN 1 ELSE 2 END AS step, seen_at, emailed_at FROM updates \
             WHERE ((kind = 'message' AND author = 'agent') OR (kind = 'status' AND body IN ('solved', 'open'))) AND handoff_id IN ({PERIOD_TICKETS}) ORDER BY id"
        ))
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind = match r.try_get::<i64, _>("step")? {
                    0 => StepKind::Reply { seen_at: r.try_get("seen_at")?, emailed_at: r.try_get("emailed_at")? },
                    1 => StepKind::Solved,
                    _ => StepKind::Opened,
                };
                Ok(Step { ticket: r.try_get("handoff_id")?, at: r.try_get("at")?, kind })
            })
            .collect()
    }

    /// Marks a conversation: its agent had to ask for something the handoff already had.
    pub async fn mark_reasked(&self, ticket: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE handoffs SET reasked = 1 WHERE id = $1").bind(ticket).execute(&self.pool).await?;
        Ok(())
    }
}
