//! The `widget_sessions` and `updates` tables: a customer's (or a visitor's) conversations, the
//! messages and events a widget streams in one sequence, and what is read or emailed.

use super::{Backend, Store};
use baton_core::wire::Update;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Whose conversations a widget session reads: a verified customer's, else an anonymous
/// visitor's.
#[derive(Clone, Debug, PartialEq)]
pub enum Owner {
    /// `id:…` (a verified customer).
    Customer(String),
    /// The widget's random visitor id.
    Visitor(String),
}

impl Owner {
    /// The SQL condition on `h` (handoffs) for this owner, binding `$1`.
    fn condition(&self) -> &'static str {
        match self {
            Owner::Customer(_) => "h.customer = $1",
            Owner::Visitor(_) => "h.visitor = $1 AND h.customer IS NULL",
        }
    }

    /// The key streams are woken by: the customer, or the visitor.
    pub fn key(&self) -> &str {
        match self {
            Owner::Customer(c) | Owner::Visitor(c) => c,
        }
    }

    /// Whether a handoff with this customer and visitor is this owner's.
    pub fn owns(&self, customer: Option<&str>, visitor: Option<&str>) -> bool {
        match self {
            Owner::Customer(c) => customer == Some(c.as_str()),
            Owner::Visitor(v) => customer.is_none() && visitor == Some(v.as_str()),
        }
    }

    /// The condition on `h` and the value it binds as `$1`.
    pub(super) fn sql(&self) -> (&'static str, String) {
        (self.condition(), self.key().to_string())
    }
}

/// A live widget session.
#[derive(Clone, Debug)]
pub struct WidgetSession {
    /// Whose conversations it reads.
    pub owner: Owner,
    /// The visitor id it was opened with, if any.
    pub visitor: Option<String>,
    /// The verified email (a token's claim).
    pub email: Option<String>,
}

/// An agent message due by email: the conversation and its unseen replies.
pub struct DueEmail {
    /// The handoff.
    pub ticket: i64,
    /// Its reference.
    pub reference: String,
    /// The verified email.
    pub email: String,
    /// The page where help started (from the bundle).
    pub bundle: String,
    /// The unseen agent messages, oldest first: (seq, body).
    pub replies: Vec<(i64, String)>,
}

const UPDATE_COLUMNS: &str = "u.id, h.reference, u.kind, u.author, u.body, u.at, u.number";

fn update(row: &AnyRow) -> Result<Update, sqlx::Error> {
    Ok(Update {
        seq: row.try_get("id")?,
        reference: row.try_get("reference")?,
        kind: row.try_get("kind")?,
        author: row.try_get("author")?,
        body: row.try_get("body")?,
        at: row.try_get("at")?,
        number: row.try_get("number")?,
    })
}

/// An update to append: a message (`author` `customer` or `agent`, with the client's own id when
/// it sent one), a status change (`body`: the status) or a read.
pub struct NewUpdate<'a> {
    /// `message`, `status` or `read`.
    pub kind: &'a str,
    /// A message's author.
    pub author: Option<&'a str>,
    /// The text, or the status.
    pub body: &'a str,
    /// The client's id of a message: the same again is the same message.
    pub client_id: Option<&'a str>,
}

impl<'a> NewUpdate<'a> {
    /// A status change or a read.
    pub fn event(kind: &'a str, body: &'a str) -> NewUpdate<'a> {
        NewUpdate { kind, author: None, body, client_id: None }
    }
}

impl Store {
    /// Stores a session (its token's hash) until `expires_at`.
    pub async fn open_session(&self, hash: &str, s: &WidgetSession, now: i64, expires_at: i64) -> Result<(), sqlx::Error> {
        let customer = match &s.owner {
            Owner::Customer(c) => Some(c.clone()),
            Owner::Visitor(_) => None,
        };
        sqlx::query("INSERT INTO widget_sessions (token_hash, customer, visitor, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(hash)
            .bind(customer)
            .bind(s.visitor.clone())
            .bind(s.email.clone())
            .bind(now)
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The live session whose token hashes to `hash`.
    pub async fn session(&self, hash: &str, now: i64) -> Result<Option<WidgetSession>, sqlx::Error> {
        let row = sqlx::query("SELECT customer, visitor, email FROM widget_sessions WHERE token_hash = $1 AND expires_at > $2").bind(hash).bind(now).fetch_optional(&self.pool).await?;
        let Some(row) = row else { return Ok(None) };
        let customer: Option<String> = row.try_get("customer")?;
        let visitor: Option<String> = row.try_get("visitor")?;
        let owner = match (customer, &visitor) {
            (Some(c), _) => Owner::Customer(c),
            (None, Some(v)) => Owner::Visitor(v.clone()),
            (None, None) => return Ok(None),
        };
        Ok(Some(WidgetSession { owner, visitor, email: row.try_get("email")? }))
    }

    /// Ends a session (sign-out, `Baton('reset')`), and forgets expired ones.
    pub async fn end_session(&self, hash: &str, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM widget_sessions WHERE token_hash = $1 OR expires_at < $2").bind(hash).bind(now).execute(&self.pool).await?;
        Ok(())
    }

    /// Joins an anonymous visitor's conversations to the customer who just identified.
    pub async fn join_visitor(&self, visitor: &str, customer: &str) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("UPDATE handoffs SET customer = $1, verified = 2 WHERE visitor = $2 AND customer IS NULL").bind(customer).bind(visitor).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }

    /// Appends one update to handoff `ticket`'s conversation and wakes its owner's streams (on
    /// PostgreSQL, on every relay: `NOTIFY baton_updates, owner`). A message is numbered within
    /// its conversation; one with a `client_id` the conversation already has is not appended
    /// again. Returns the update's sequence number and whether this call appended it.
    pub async fn append(&self, ticket: i64, new: NewUpdate<'_>, now: i64) -> Result<(i64, bool), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            // Sequence numbers become visible in order: a stream that saw N never misses N-1 that
            // committed later.
            sqlx::query("SELECT pg_advisory_xact_lock(7347001)").execute(&mut *tx).await?;
        }
        if let Some(client_id) = new.client_id {
            let seen = sqlx::query("SELECT id FROM updates WHERE handoff_id = $1 AND client_id = $2").bind(ticket).bind(client_id).fetch_optional(&mut *tx).await?;
            if let Some(row) = seen {
                tx.rollback().await?;
                return Ok((row.try_get("id")?, false));
            }
        }
        let owner: Option<String> = sqlx::query("SELECT COALESCE(customer, visitor) AS owner FROM handoffs WHERE id = $1").bind(ticket).fetch_optional(&mut *tx).await?.map(|r| r.try_get("owner")).transpose()?.flatten();
        let owner = owner.unwrap_or_default();
        let number: Option<i64> = if new.kind == "message" {
            Some(sqlx::query("SELECT COUNT(*) AS n FROM updates WHERE handoff_id = $1 AND kind = 'message'").bind(ticket).fetch_one(&mut *tx).await?.try_get::<i64, _>("n")? + 1)
        } else {
            None
        };
        let row = sqlx::query("INSERT INTO updates (handoff_id, kind, author, body, at, number, client_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(ticket)
            .bind(new.kind)
            .bind(new.author.map(str::to_string))
            .bind(new.body)
            .bind(now)
            .bind(number)
            .bind(new.client_id.map(str::to_string))
            .fetch_one(&mut *tx)
            .await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_notify('baton_updates', $1)").bind(owner.clone()).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        self.bump(&owner);
        Ok((row.try_get("id")?, true))
    }

    /// One update, by its sequence number.
    pub async fn update(&self, seq: i64) -> Result<Option<Update>, sqlx::Error> {
        let row = sqlx::query(&format!("SELECT {UPDATE_COLUMNS} FROM updates u JOIN handoffs h ON h.id = u.handoff_id WHERE u.id = $1")).bind(seq).fetch_optional(&self.pool).await?;
        row.as_ref().map(update).transpose()
    }

    /// The owner's updates after `after`, oldest first (at most `limit`).
    pub async fn updates_after(&self, owner: &Owner, after: i64, limit: i64) -> Result<Vec<Update>, sqlx::Error> {
        let rows = sqlx::query(&format!("SELECT {UPDATE_COLUMNS} FROM updates u JOIN handoffs h ON h.id = u.handoff_id WHERE {} AND u.id > $2 ORDER BY u.id LIMIT $3", owner.condition()))
            .bind(owner.key())
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(update).collect()
    }

    /// The messages of one conversation, oldest first.
    pub async fn thread(&self, ticket: i64) -> Result<Vec<Update>, sqlx::Error> {
        let rows = sqlx::query(&format!("SELECT {UPDATE_COLUMNS} FROM updates u JOIN handoffs h ON h.id = u.handoff_id WHERE u.handoff_id = $1 AND u.kind = 'message' ORDER BY u.id LIMIT 1000"))
            .bind(ticket)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(update).collect()
    }

    /// The newest message of one conversation.
    pub async fn last_message(&self, ticket: i64) -> Result<Option<Update>, sqlx::Error> {
        let row = sqlx::query(&format!("SELECT {UPDATE_COLUMNS} FROM updates u JOIN handoffs h ON h.id = u.handoff_id WHERE u.handoff_id = $1 AND u.kind = 'message' ORDER BY u.id DESC LIMIT 1"))
            .bind(ticket)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(update).transpose()
    }

    /// Agent messages not yet read, per conversation of the owner: (ticket, count).
    pub async fn unread(&self, owner: &Owner) -> Result<Vec<(i64, i64)>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT u.handoff_id AS ticket, COUNT(*) AS n FROM updates u JOIN handoffs h ON h.id = u.handoff_id WHERE {} AND u.kind = 'message' AND u.author = 'agent' AND u.seen_at IS NULL GROUP BY u.handoff_id",
            owner.condition()
        ))
        .bind(owner.key())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((r.try_get("ticket")?, r.try_get("n")?))).collect()
    }

    /// The newest sequence number of the owner's conversations (0 when none).
    pub async fn last_seq(&self, owner: &Owner) -> Result<i64, sqlx::Error> {
        let row = sqlx::query(&format!("SELECT COALESCE(MAX(u.id), 0) AS seq FROM updates u JOIN handoffs h ON h.id = u.handoff_id WHERE {}", owner.condition())).bind(owner.key()).fetch_one(&self.pool).await?;
        row.try_get("seq")
    }

    /// Marks the agent's messages of `ticket` read; when any were unread, appends a `read`
    /// update so that every device clears its count.
    pub async fn mark_read(&self, ticket: i64, now: i64) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("UPDATE updates SET seen_at = $1 WHERE handoff_id = $2 AND kind = 'message' AND author = 'agent' AND seen_at IS NULL").bind(now).bind(ticket).execute(&self.pool).await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.append(ticket, NewUpdate::event("read", ""), now).await?;
        Ok(true)
    }

    /// Conversations with agent messages unseen since before `cutoff`, never emailed, whose
    /// customer has a verified email: one entry per conversation.
    pub async fn due_emails(&self, cutoff: i64) -> Result<Vec<DueEmail>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT h.id AS ticket, h.reference, h.verified_email, h.bundle, u.id, u.body FROM updates u JOIN handoffs h ON h.id = u.handoff_id \
             WHERE u.kind = 'message' AND u.author = 'agent' AND u.seen_at IS NULL AND u.emailed_at IS NULL AND h.verified_email IS NOT NULL \
             AND u.handoff_id IN (SELECT handoff_id FROM updates WHERE kind = 'message' AND author = 'agent' AND seen_at IS NULL AND emailed_at IS NULL AND at <= $1) \
             ORDER BY h.id, u.id LIMIT 500",
        )
        .bind(cutoff)
        .fetch_all(&self.pool)
        .await?;
        let mut due: Vec<DueEmail> = Vec::new();
        for row in &rows {
            let ticket: i64 = row.try_get("ticket")?;
            let reply = (row.try_get("id")?, row.try_get("body")?);
            match due.last_mut() {
                Some(d) if d.ticket == ticket => d.replies.push(reply),
                _ => due.push(DueEmail { ticket, reference: row.try_get("reference")?, email: row.try_get("verified_email")?, bundle: row.try_get("bundle")?, replies: vec![reply] }),
            }
        }
        Ok(due)
    }

    /// Claims messages for one email: true when this call marked them (another relay instance
    /// that raced it gets false and sends nothing).
    pub async fn claim_emailed(&self, seqs: &[i64], now: i64) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let mut claimed = 0;
        for seq in seqs {
            claimed += sqlx::query("UPDATE updates SET emailed_at = $1 WHERE id = $2 AND emailed_at IS NULL AND seen_at IS NULL").bind(now).bind(seq).execute(&mut *tx).await?.rows_affected();
        }
        if claimed as usize != seqs.len() {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Gives back an email claim whose sending failed, so the next round retries it.
    pub async fn unclaim_emailed(&self, seqs: &[i64]) -> Result<(), sqlx::Error> {
        for seq in seqs {
            sqlx::query("UPDATE updates SET emailed_at = NULL WHERE id = $1").bind(seq).execute(&self.pool).await?;
        }
        Ok(())
    }
}
