//! The relay's one database, through sqlx's Any driver: the same queries on SQLite (a file, the
//! zero-set-up default) and PostgreSQL. Migrations run at start. A handoff is acknowledged only
//! after its INSERT committed: SQLite runs in WAL mode with `synchronous = FULL` (the commit is on
//! disk before the reply), PostgreSQL with its default synchronous commit.

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

/// Which database the URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The handle handlers share.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// Which backend is in use.
    pub backend: Backend,
}

/// A handoff to store: the bundle and what the inbox lists, searches and groups by.
pub struct NewHandoff {
    /// The client's `Idempotency-Key`, when it sent one.
    pub idempotency_key: Option<String>,
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
    /// Whether the host's signature verified.
    pub verified: bool,
    /// The page's `Origin`, when sent.
    pub origin: Option<String>,
    /// The verified customer (`id:…` or `email:…`); `None` when the identity did not verify.
    pub customer: Option<String>,
    /// Lowercased text searched by the inbox.
    pub search: String,
    /// The bundle, as JSON text.
    pub bundle: String,
}

/// A stored handoff.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Handoff {
    /// The ticket id.
    pub ticket: i64,
    /// The bundle's reference code.
    pub reference: String,
    /// When it was received.
    pub received_at: i64,
    /// `open`, `pending` or `solved`.
    pub status: String,
    /// Routing category.
    pub category: String,
    /// Routing priority.
    pub priority: String,
    /// Whether the identity's signature verified.
    pub verified: bool,
    /// The verified customer it belongs to.
    pub customer: Option<String>,
    /// The bundle.
    pub bundle: serde_json::Value,
}

/// An agent's internal note on a handoff.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Note {
    /// When (ms since the epoch).
    pub at: i64,
    /// What the agent wrote.
    pub body: String,
}

/// A webhook delivery claimed for sending.
#[derive(Clone, Debug)]
pub struct Due {
    /// The delivery's id (part of its `Idempotency-Key`).
    pub delivery: i64,
    /// `slack:URL` or a URL.
    pub target: String,
    /// Attempts so far.
    pub attempts: i64,
    /// The handoff it forwards.
    pub handoff: Handoff,
}

/// Statuses a handoff moves through.
pub const STATUSES: [&str; 3] = ["open", "pending", "solved"];

const COLUMNS: &str = "id, reference, received_at, status, category, priority, verified, customer, bundle";

fn handoff(row: &AnyRow) -> Result<Handoff, sqlx::Error> {
    let bundle: String = row.try_get("bundle")?;
    Ok(Handoff {
        ticket: row.try_get("id")?,
        reference: row.try_get("reference")?,
        received_at: row.try_get("received_at")?,
        status: row.try_get("status")?,
        category: row.try_get("category")?,
        priority: row.try_get("priority")?,
        verified: row.try_get::<i64, _>("verified")? != 0,
        customer: row.try_get("customer")?,
        bundle: serde_json::from_str(&bundle).unwrap_or(serde_json::Value::Null),
    })
}

impl Store {
    /// Connects (creating a SQLite file when missing) and runs the migrations.
    pub async fn connect(url: &str) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") { Backend::Sqlite } else { Backend::Postgres };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' }),
            _ => url.to_string(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA busy_timeout = 10000"] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| format!("cannot open the database {}: {e}", redact_url(&url)))?;
        let migrated = match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await,
        };
        migrated.map_err(|e| format!("database migrations failed: {e}"))?;
        Ok(Store { pool, backend })
    }

    /// Stores `h` once per idempotency key, with one webhook delivery per target in the same
    /// transaction. Returns the ticket and whether this call created it (false: the key was seen
    /// before — also when another request or relay instance won a race).
    pub async fn insert(&self, h: NewHandoff, targets: &[String]) -> Result<(i64, bool), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let received_at = h.received_at;
        let inserted = sqlx::query(
            "INSERT INTO handoffs (idempotency_key, reference, received_at, status, category, priority, user_id, email, account, name, verified, origin, search, bundle, customer) \
             VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
        )
        .bind(h.idempotency_key.clone())
        .bind(h.reference)
        .bind(h.received_at)
        .bind(h.category)
        .bind(h.priority)
        .bind(h.user_id)
        .bind(h.email)
        .bind(h.account)
        .bind(h.name)
        .bind(i64::from(h.verified))
        .bind(h.origin)
        .bind(h.search)
        .bind(h.bundle)
        .bind(h.customer)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = inserted {
            let id: i64 = row.try_get("id")?;
            for target in targets {
                sqlx::query("INSERT INTO deliveries (handoff_id, target, next_at) VALUES ($1, $2, $3)").bind(id).bind(target).bind(received_at).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            return Ok((id, true));
        }
        tx.rollback().await?;
        let row = sqlx::query("SELECT id FROM handoffs WHERE idempotency_key = $1").bind(h.idempotency_key).fetch_one(&self.pool).await?;
        Ok((row.try_get("id")?, false))
    }

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
            let row = sqlx::query("SELECT handoff_id, target, attempts FROM deliveries WHERE id = $1").bind(id).fetch_one(&self.pool).await?;
            let Some(handoff) = self.get(row.try_get("handoff_id")?).await? else { continue };
            due.push(Due { delivery: id, target: row.try_get("target")?, attempts: row.try_get("attempts")?, handoff });
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

    /// The handoff with ticket `id`.
    pub async fn get(&self, id: i64) -> Result<Option<Handoff>, sqlx::Error> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM handoffs WHERE id = $1")).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(handoff).transpose()
    }

    /// Handoffs with reference code `reference`, newest first (a reference is the widget's; a
    /// hostile page could reuse one, so there may be several).
    pub async fn by_reference(&self, reference: &str) -> Result<Vec<Handoff>, sqlx::Error> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM handoffs WHERE reference = $1 ORDER BY id DESC LIMIT 20"))
            .bind(reference.trim().to_ascii_uppercase())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(handoff).collect()
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

    /// Verified handoffs of an account (workspace, tenant), newest first.
    pub async fn of_account(&self, account: &str) -> Result<Vec<Handoff>, sqlx::Error> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM handoffs WHERE verified = 1 AND account = $1 ORDER BY id DESC LIMIT 50")).bind(account).fetch_all(&self.pool).await?;
        rows.iter().map(handoff).collect()
    }

    /// Moves a handoff to `status` (one of [`STATUSES`]); false when there is no such ticket.
    pub async fn set_status(&self, id: i64, status: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("UPDATE handoffs SET status = $1 WHERE id = $2").bind(status).bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    /// Adds an internal note to a handoff.
    pub async fn add_note(&self, id: i64, at: i64, body: &str) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO notes (handoff_id, at, body) VALUES ($1, $2, $3)").bind(id).bind(at).bind(body).execute(&self.pool).await?;
        Ok(())
    }

    /// A handoff's notes, oldest first.
    pub async fn notes(&self, id: i64) -> Result<Vec<Note>, sqlx::Error> {
        let rows = sqlx::query("SELECT at, body FROM notes WHERE handoff_id = $1 ORDER BY id").bind(id).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(Note { at: r.try_get("at")?, body: r.try_get("body")? })).collect()
    }

    /// Whether the database answers.
    pub async fn healthy(&self) -> bool {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }
}

/// A database URL without its password, for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://[credentials]@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}
