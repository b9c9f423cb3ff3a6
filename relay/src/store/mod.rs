//! The relay's one database, through sqlx's Any driver: the same queries on SQLite (a file, the
//! zero-set-up default) and PostgreSQL. Migrations run at start. A handoff is acknowledged only
//! after its INSERT committed: SQLite runs in WAL mode with `synchronous = FULL` (the commit is on
//! disk before the reply), PostgreSQL with its default synchronous commit.

mod agents;
mod audit;
mod conversations;
mod deliveries;
mod erasure;
mod events;
mod handoffs;
mod notes;
mod visits;

pub use agents::{AgentAccount, ApiToken, SignIn};
pub use audit::AuditLine;
pub use conversations::{DueEmail, NewUpdate, Owner, WidgetSession};
pub use deliveries::{Due, Sending};
pub use erasure::{Removed, Subject};
pub use events::{HandoffFacts, NewEvent, Sessions, Step, StepKind};
pub use handoffs::{read_bundle, Filed, Handoff, NewHandoff, BY_TOKEN, STATUSES};
pub use notes::Note;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

/// An optional non-negative number as a bind parameter, for `NULLIF($n, -1)`: sqlx 0.8's Any
/// driver binds a NULL `f64` as PostgreSQL's `float4`, which breaks the statement for the next,
/// non-null `f64`; a number is always bound as `float8`.
pub(crate) fn maybe_number(v: Option<f64>) -> f64 {
    v.filter(|x| x.is_finite() && *x >= 0.0).unwrap_or(-1.0)
}

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
    /// Whose conversation changed (its owner's key, `*` for anyone), here or on another relay
    /// through PostgreSQL's `LISTEN baton_updates`: that owner's streams wake and read what came
    /// after their sequence number; the others sleep on.
    wake: tokio::sync::broadcast::Sender<std::sync::Arc<str>>,
    url: String,
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
                        // secure_delete: an erased row's bytes are overwritten, not left in free pages.
                        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA busy_timeout = 10000", "PRAGMA secure_delete = ON"] {
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
        let (wake, _) = tokio::sync::broadcast::channel(1024);
        let store = Store { pool, backend, wake, url };
        store.fill_visits().await.map_err(|e| format!("cannot fill the scorecard's visits: {e}"))?;
        Ok(store)
    }

    /// A transaction that reads, then writes: on SQLite it takes the write lock at its start
    /// (`BEGIN IMMEDIATE`, waiting out `busy_timeout`), so that another writer cannot overtake its
    /// reads and fail it with SQLITE_BUSY_SNAPSHOT.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Wakes this relay's streams of `owner` (`*`: all of them).
    pub fn bump(&self, owner: &str) {
        let _ = self.wake.send(owner.into());
    }

    /// What a stream of `owner` waits on.
    pub fn waiter(&self, owner: &Owner) -> Waiter {
        Waiter { wake: self.wake.subscribe(), key: owner.key().to_string() }
    }

    /// On PostgreSQL, wakes this relay's streams whenever any relay appends an update
    /// (`LISTEN baton_updates`); the listener reconnects by itself, and a notification lost
    /// meanwhile costs latency only: streams also re-read the database every few seconds.
    pub fn listen(&self) {
        if self.backend != Backend::Postgres {
            return;
        }
        let store = self.clone();
        tokio::spawn(async move {
            loop {
                match sqlx::postgres::PgListener::connect(&store.url).await {
                    Ok(mut listener) => {
                        if let Err(e) = listener.listen("baton_updates").await {
                            eprintln!("baton-relay: LISTEN baton_updates failed: {e}");
                        } else {
                            while let Ok(notification) = listener.recv().await {
                                store.bump(notification.payload());
                            }
                        }
                    }
                    Err(e) => eprintln!("baton-relay: cannot listen for other relays' updates: {e}"),
                }
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                // Whatever was notified while the connection was down: every stream reads again.
                store.bump("*");
            }
        });
    }

    /// Whether the database answers.
    pub async fn healthy(&self) -> bool {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }
}

/// A stream's wake-ups: only its owner's changes (or everyone's) end a wait.
pub struct Waiter {
    wake: tokio::sync::broadcast::Receiver<std::sync::Arc<str>>,
    key: String,
}

impl Waiter {
    /// Waits until the owner's conversations may have changed (true), or `limit` passed (false).
    pub async fn wait(&mut self, limit: std::time::Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            match tokio::time::timeout_at(deadline, self.wake.recv()).await {
                Err(_) => return false,
                Ok(Ok(owner)) if &*owner == self.key || &*owner == "*" => return true,
                Ok(Ok(_)) => {}
                // Missed some: one of them may have been this owner's.
                Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => return true,
                Ok(Err(tokio::sync::broadcast::error::RecvError::Closed)) => return false,
            }
        }
    }
}

/// A database URL without its password, for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://[credentials]@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}
