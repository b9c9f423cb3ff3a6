//! baton-relay: the server side of Baton's handoff. It receives bundles from the widget
//! (`POST /v1/handoffs`), verifies the host's identity signature, stores each bundle once per
//! idempotency key on SQLite or PostgreSQL, and serves them to agents (agent API, inbox pages).
//! Stateless apart from the database, so several instances on one PostgreSQL behave as one.

pub mod accounts;
pub mod config;
pub mod conversations;
pub mod customers;
pub mod encode;
pub mod error;
pub mod events;
pub mod forward;
pub mod handoffs;
pub mod http;
pub mod identity;
pub mod limit;
pub mod mail;
pub mod net;
pub mod pages;
pub mod scorecard;
pub mod store;
#[doc(hidden)]
pub mod testing;

use std::net::SocketAddr;
use std::sync::Arc;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The configuration.
    pub config: Arc<config::Config>,
    /// The database.
    pub store: store::Store,
    /// The per-client rate limit.
    pub limiter: Arc<limit::Limiter>,
    /// Webhook targets every new handoff is forwarded to.
    pub targets: Arc<Vec<String>>,
    /// The sentence encoder of `POST /v1/encode`, when `BATON_ENCODER_MODEL` is set.
    pub encoder: Option<Arc<encode::Encoder>>,
    /// The per-client rate limit of `POST /v1/encode` (a search is many queries).
    pub encode_limiter: Arc<limit::Limiter>,
    /// `POST /v1/encode`'s concurrency cap: one permit per core (`BATON_ENCODE_CONCURRENCY`).
    pub encode_slots: Arc<tokio::sync::Semaphore>,
    /// Event batches per client (`POST /v1/events`).
    pub events_limiter: Arc<limit::Limiter>,
    /// Wrong passwords per client address (`accounts`: sign-in throttling).
    pub login_by_address: Arc<limit::Limiter>,
    /// Wrong passwords per account (by email).
    pub login_by_account: Arc<limit::Limiter<String>>,
    /// The per-session rate limit of the conversation calls (messages, reads, polls).
    pub session_limiter: Arc<limit::Limiter<String>>,
}

impl AppState {
    /// How identities are checked.
    pub fn keys(&self) -> handoffs::Keys<'_> {
        handoffs::Keys { secret: self.config.identity_secret.as_deref(), max_age_secs: self.config.identity_max_age_secs }
    }

    /// Connects to the database (running migrations) and loads the encoder, if configured.
    pub async fn new(config: config::Config) -> Result<AppState, String> {
        let store = store::Store::connect(&config.database_url).await?;
        let targets = forward::targets(&config.webhook_urls, config.slack_webhook_url.as_deref());
        let encoder = match &config.encoder_model {
            Some(dir) => {
                let t = std::time::Instant::now();
                let encoder = encode::Encoder::load(dir)?;
                eprintln!("baton-relay: encoder {} loaded in {:.1} s (POST /v1/encode)", baton_core::answers::encoded::MINILM, t.elapsed().as_secs_f64());
                Some(Arc::new(encoder))
            }
            None => None,
        };
        Ok(AppState {
            limiter: Arc::new(limit::Limiter::new(config.rate_per_minute)),
            encode_limiter: Arc::new(limit::Limiter::new(config.encode_rate_per_minute)),
            session_limiter: Arc::new(limit::Limiter::<String>::new(config.session_rate_per_minute)),
            encoder,
            events_limiter: Arc::new(limit::Limiter::new(config.event_rate_per_minute)),
            login_by_address: Arc::new(limit::Limiter::new(accounts::WRONG_PASSWORDS_PER_MINUTE)),
            login_by_account: Arc::new(limit::Limiter::<String>::new(accounts::WRONG_PASSWORDS_PER_MINUTE)),
            encode_slots: Arc::new(tokio::sync::Semaphore::new(config.encode_concurrency)),
            config: Arc::new(config),
            store,
            targets: Arc::new(targets),
        })
    }
}

/// The retention sweep: at start, then daily, removes handoffs, messages and notes older than
/// `days` (when set) and events older than `event_days`.
async fn retention(store: store::Store, days: Option<u64>, event_days: u64) {
    loop {
        let now = handoffs::now_ms();
        let cutoff = days.map_or(i64::MIN, |d| now - d as i64 * 86_400_000);
        let wait = match store.sweep(cutoff, now - event_days as i64 * 86_400_000, now).await {
            Ok(removed) => {
                if !removed.tickets.is_empty() || removed.messages > 0 || removed.notes > 0 {
                    eprintln!("baton-relay: retention: removed {} handoffs, {} messages, {} notes", removed.tickets.len(), removed.messages, removed.notes);
                }
                86_400
            }
            Err(e) => {
                eprintln!("baton-relay: the retention sweep failed (retried in an hour): {e}");
                3_600
            }
        };
        tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    }
}

/// Invites the agent `email` (a new account, or a password reset for an existing one): returns
/// the one-time link to set a password, valid for [`accounts::INVITE_SECONDS`].
pub async fn invite(config: &config::Config, email: &str) -> Result<String, String> {
    let email = accounts::email(email).ok_or_else(|| format!("{email:?} is not an email address"))?;
    let store = store::Store::connect(&config.database_url).await?;
    let (token, now) = (conversations::new_token(), handoffs::now_ms());
    store.invite_agent(&email, &conversations::hash(&token), now + accounts::INVITE_SECONDS * 1000, now).await.map_err(|e| e.to_string())?;
    store.audit(None, "automation", "invite", &format!("invited {email}"), now).await.map_err(|e| e.to_string())?;
    Ok(format!("{}/invite/{token}", config.public_url))
}

/// Connects to the database (running migrations), then serves on `listener` until Ctrl-C.
pub async fn run(config: config::Config, listener: tokio::net::TcpListener) -> Result<(), String> {
    let state = AppState::new(config).await?;
    let config = state.config.clone();
    let store = state.store.clone();
    store.listen();
    if let Some(mailer) = mail::Mailer::from_config(&config)? {
        tokio::spawn(mail::run(store.clone(), mailer, config.reply_email_delay_ms, config.public_url.clone()));
    }
    if config.agent_token.is_none() {
        eprintln!("baton-relay: BATON_AGENT_TOKEN is not set: the agent API and inbox refuse every request");
    }
    tokio::spawn(retention(store.clone(), config.retention_days, config.event_retention_days));
    if !state.targets.is_empty() {
        tokio::spawn(forward::run(store.clone(), config.webhook_secret.clone(), config.public_url.clone(), config.webhook_retry_ms));
    }
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!("baton-relay: listening on http://{addr} ({:?})", state.store.backend);
    axum::serve(listener, http::router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
