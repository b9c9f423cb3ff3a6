//! The `handoffs` table: each bundle once per idempotency key, with the columns the inbox lists,
//! searches and groups by.

use super::Store;
use baton_core::wire::HandoffView;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A handoff to store: the bundle and what the inbox lists, searches and groups by.
pub struct NewHandoff {
    /// The client's `Idempotency-Key`.
    pub idempotency_key: String,
    /// SHA-256 of the request body: the same key with another body is refused.
    pub body_hash: String,
    /// The bundle's reference code.
    pub reference: String,
    /// When the relay received it (ms since the epoch).
    pub received_at: i64,
    /// `routing.category`.
    pub category: String,
    /// `routing.priority`.
    pub priority: String,
    /// Identity fields, as the bundle has them.
    pub user_id: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Account.
    pub account: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// How the identity verified: 0 not, 1 the id signature, 2 an identity token (or a session's).
    pub verified: i64,
    /// The identity token's email claim: the only address replies are emailed to.
    pub verified_email: Option<String>,
    /// The anonymous visitor who filed it, through a widget session.
    pub visitor: Option<String>,
    /// The page's `Origin`, when sent.
    pub origin: Option<String>,
    /// The verified customer (`id:…` or `email:…`); `None` when the identity did not verify.
    pub customer: Option<String>,
    /// The bundle's contextCompleteness (0 to 1), for the scorecard.
    pub completeness: Option<f64>,
    /// Lowercased text searched by the inbox.
    pub search: String,
    /// The bundle, as JSON text.
    pub bundle: String,
}

/// A stored handoff: what the agent API shows of it (the wire's [`HandoffView`], read through
/// `Deref`), and the verified customer it belongs to, which only the relay uses.
#[derive(Clone, Debug)]
pub struct Handoff {
    /// Ticket, reference, status, routing, identity check and the bundle as JSON (the API's).
    pub view: HandoffView,
    /// The bundle, read into the core's type: what the pages, the mail and the webhooks read.
    pub bundle: baton_core::handoff::bundle::Bundle,
    /// The verified customer it belongs to.
    pub customer: Option<String>,
    /// The anonymous visitor who filed it, if one did.
    pub visitor: Option<String>,
}

/// What storing a handoff did.
#[derive(Debug, PartialEq, Eq)]
pub enum Filed {
    /// A new ticket.
    Created(i64),
    /// The same key and body as before: the same ticket.
    Repeated(i64),
    /// The key was used before with another body.
    KeyReused,
    /// Another handoff already has this reference code.
    ReferenceTaken,
}

impl std::ops::Deref for Handoff {
    type Target = HandoffView;

    fn deref(&self) -> &HandoffView {
        &self.view
    }
}

/// Reads a stored bundle's JSON into the core's type. Every bundle stored was read into `Bundle` on
/// the way in; one that no longer reads (written by hand into the database) shows as empty rather
/// than failing the page.
pub fn read_bundle(stored: &serde_json::Value) -> baton_core::handoff::bundle::Bundle {
    serde::Deserialize::deserialize(stored).unwrap_or_default()
}

impl Handoff {
    /// The account (workspace, tenant) the customer's identity token proved; empty when none did.
    pub fn verified_account(&self) -> &str {
        self.bundle.identity.as_ref().and_then(|i| i.verified.as_ref()).and_then(|v| v.account.as_deref()).unwrap_or("")
    }
}

/// Statuses a handoff moves through.
pub const STATUSES: [&str; 3] = ["open", "pending", "solved"];

const COLUMNS: &str = "id, reference, received_at, status, category, priority, verified, customer, visitor, bundle";

/// `verified` of a handoff whose identity token (or widget session) verified.
pub const BY_TOKEN: i64 = 2;

fn handoff(row: &AnyRow) -> Result<Handoff, sqlx::Error> {
    let bundle: String = row.try_get("bundle")?;
    let view = HandoffView {
        ticket: row.try_get("id")?,
        reference: row.try_get("reference")?,
        received_at: row.try_get("received_at")?,
        status: row.try_get("status")?,
        category: row.try_get("category")?,
        priority: row.try_get("priority")?,
        verified: row.try_get::<i64, _>("verified")? != 0,
        verified_by: match row.try_get::<i64, _>("verified")? {
            0 => None,
            BY_TOKEN => Some("token".into()),
            _ => Some("signature".into()),
        },
        bundle: serde_json::from_str(&bundle).unwrap_or(serde_json::Value::Null),
    };
    // The JSON is parsed once: the view keeps it as stored, the typed bundle is read from it.
    Ok(Handoff { bundle: read_bundle(&view.bundle), view, customer: row.try_get("customer")?, visitor: row.try_get("visitor")? })
}

/// Schedules one webhook delivery (the `deliveries` table) of handoff `id` to `target`, in the
/// transaction that stores the handoff: what the relay acknowledged is always forwarded.
async fn schedule(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: i64, target: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO deliveries (handoff_id, target, next_at) VALUES ($1, $2, $3)").bind(id).bind(target).bind(at).execute(&mut **tx).await?;
    Ok(())
}

impl Store {
    /// Stores `h` once per idempotency key, with one webhook delivery per target in the same
    /// transaction. A key seen before (also when another request or relay instance won a race)
    /// is the same ticket when the body is the same; a reference code names one handoff.
    pub async fn insert(&self, h: NewHandoff, targets: &[String]) -> Result<Filed, sqlx::Error> {
        let (key, hash, reference) = (h.idempotency_key.clone(), h.body_hash.clone(), h.reference.clone());
        let mut tx = self.pool.begin().await?;
        let received_at = h.received_at;
        let inserted = sqlx::query(
            "INSERT INTO handoffs (idempotency_key, reference, received_at, status, category, priority, user_id, email, account, name, verified, origin, search, bundle, customer, visitor, verified_email, body_hash, completeness) \
             VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, NULLIF($18, -1)) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
        )
        .bind(h.idempotency_key)
        .bind(h.reference)
        .bind(h.received_at)
        .bind(h.category)
        .bind(h.priority)
        .bind(h.user_id)
        .bind(h.email)
        .bind(h.account)
        .bind(h.name)
        .bind(h.verified)
        .bind(h.origin)
        .bind(h.search)
        .bind(h.bundle)
        .bind(h.customer)
        .bind(h.visitor)
        .bind(h.verified_email)
        .bind(h.body_hash)
        .bind(super::maybe_number(h.completeness))
        .fetch_optional(&mut *tx)
        .await;
        match inserted {
            Ok(Some(row)) => {
                let id: i64 = row.try_get("id")?;
                for target in targets {
                    schedule(&mut tx, id, target, received_at).await?;
                }
                tx.commit().await?;
                return Ok(Filed::Created(id));
            }
            Ok(None) => tx.rollback().await?,
            // The reference's unique index (or a failing database): which, the rows below say.
            Err(e) => {
                let _ = tx.rollback().await;
                let taken = sqlx::query("SELECT idempotency_key FROM handoffs WHERE reference = $1").bind(&reference).fetch_optional(&self.pool).await?;
                match taken {
                    Some(row) if row.try_get::<Option<String>, _>("idempotency_key")?.as_deref() != Some(key.as_str()) => return Ok(Filed::ReferenceTaken),
                    Some(_) => {}
                    None => return Err(e),
                }
            }
        }
        let row = sqlx::query("SELECT id, body_hash FROM handoffs WHERE idempotency_key = $1").bind(key).fetch_one(&self.pool).await?;
        let first: Option<String> = row.try_get("body_hash")?;
        // Rows from before body hashes were kept match any body.
        if first.is_some_and(|first| first != hash) {
            return Ok(Filed::KeyReused);
        }
        Ok(Filed::Repeated(row.try_get("id")?))
    }

    /// The handoff with ticket `id`.
    pub async fn get(&self, id: i64) -> Result<Option<Handoff>, sqlx::Error> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM handoffs WHERE id = $1")).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(handoff).transpose()
    }

    /// The handoff with reference code `reference` (one at most: the code is unique).
    pub async fn by_reference(&self, reference: &str) -> Result<Option<Handoff>, sqlx::Error> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM handoffs WHERE reference = $1")).bind(reference.trim().to_ascii_uppercase()).fetch_optional(&self.pool).await?;
        row.as_ref().map(handoff).transpose()
    }

    /// Newest handoffs whose reference, email, account or text contains `q` (all when empty).
    pub async fn search(&self, q: &str, limit: i64) -> Result<Vec<Handoff>, sqlx::Error> {
        let needle = format!("%{}%", q.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM handoffs WHERE search LIKE $1 ESCAPE '\\' ORDER BY id DESC LIMIT $2"))
            .bind(needle)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(handoff).collect()
    }

    /// Every handoff of a verified customer, newest first.
    pub async fn of_customer(&self, customer: &str) -> Result<Vec<Handoff>, sqlx::Error> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM handoffs WHERE customer = $1 ORDER BY id DESC LIMIT 50")).bind(customer).fetch_all(&self.pool).await?;
        rows.iter().map(handoff).collect()
    }

    /// Handoffs of an account (workspace, tenant) whose identity token named it, newest first.
    pub async fn of_account(&self, account: &str) -> Result<Vec<Handoff>, sqlx::Error> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM handoffs WHERE verified = 2 AND account = $1 ORDER BY id DESC LIMIT 50")).bind(account).fetch_all(&self.pool).await?;
        rows.iter().map(handoff).collect()
    }

    /// The owner's conversations, newest first.
    pub async fn conversations_of(&self, owner: &super::Owner) -> Result<Vec<Handoff>, sqlx::Error> {
        let (condition, key) = owner.sql();
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM handoffs h WHERE {condition} ORDER BY id DESC LIMIT 100")).bind(key).fetch_all(&self.pool).await?;
        rows.iter().map(handoff).collect()
    }

    /// The owner's conversation with reference `reference` (another's is `None`).
    pub async fn conversation(&self, owner: &super::Owner, reference: &str) -> Result<Option<Handoff>, sqlx::Error> {
        let (condition, key) = owner.sql();
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM handoffs h WHERE {condition} AND reference = $2 ORDER BY id DESC LIMIT 1"))
            .bind(key)
            .bind(reference.trim().to_ascii_uppercase())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(handoff).transpose()
    }

    /// Moves a handoff to `status` (one of [`STATUSES`]); false when there is no such ticket.
    pub async fn set_status(&self, id: i64, status: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("UPDATE handoffs SET status = $1 WHERE id = $2").bind(status).bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }
}
