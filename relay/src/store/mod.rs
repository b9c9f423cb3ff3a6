//! The relay's one database, through sqlx's Any driver: the same queries on SQLite (a file, the
//! zero-set-up default) and PostgreSQL. Migrations run at start. A handoff is acknowledged only
//! after its INSERT committed: SQLite runs in WAL mode with `synchronous = FULL` (the commit is on
//! disk before the reply), PostgreSQL with its default synchronous commit.

mod conversations;
mod deliveries;
mod handoffs;
mod notes;

pub use conversations::{DueEmail, Owner, WidgetSession};
pub use deliveries::Due;
pub use handoffs::{Handoff, NewHandoff, BY_TOKEN, STATUSES};
pub use notes::Note;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

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
    /// Bumped whenever a conversation changes (here, or on another relay through PostgreSQL's
    /// `LISTEN baton_updates`): streams wake and read what came after their sequence number.
    pub wake: std::sync::Arc<tokio::sync::watch::Sender<u64>>,
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
        let (wake, _) = tokio::sync::watch::channel(0);
        Ok(Store { pool, backend, wake: std::sync::Arc::new(wake), url })
    }

    /// Wakes this relay's streams.
    pub fn bump(&self) {
        self.wake.send_modify(|n| *n = n.wrapping_add(1));
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
                            while listener.recv().await.is_ok() {
                                store.bump();
                            }
                        }
                    }
                    Err(e) => eprintln!("baton-relay: cannot listen for other relays' updates: {e}"),
                }
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                store.bump();
            }
        });
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
