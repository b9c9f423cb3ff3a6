//! The relay's configuration, read once from the environment (docs/relay.md, "Relay").

use std::net::SocketAddr;

/// Everything the relay is told by its environment.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen (`HOST`, default 127.0.0.1; `PORT`, default 8787).
    pub addr: SocketAddr,
    /// `DATABASE_URL`: `sqlite://FILE` (default `sqlite://baton-relay.db`) or `postgres://…`.
    pub database_url: String,
    /// `BATON_IDENTITY_SECRET`: the HMAC key hosts sign user ids with; without it nothing verifies.
    pub identity_secret: Option<String>,
    /// `BATON_AGENT_TOKEN`: the bearer token of the agent API and inbox; without it they refuse.
    pub agent_token: Option<String>,
    /// `BATON_ALLOWED_ORIGINS`: comma-separated origins whose pages may POST handoffs (CORS).
    pub allowed_origins: Vec<String>,
    /// `BATON_RATE_LIMIT`: handoffs a client may post per minute (default 60).
    pub rate_per_minute: u32,
    /// `BATON_PUBLIC_URL`: the relay's address as agents reach it, for ticket links.
    pub public_url: String,
    /// `BATON_WEBHOOK_URLS`: comma-separated URLs that get each new handoff, signed.
    pub webhook_urls: Vec<String>,
    /// `BATON_WEBHOOK_SECRET`: the key of the `Baton-Signature` header.
    pub webhook_secret: Option<String>,
    /// `BATON_SLACK_WEBHOOK_URL`: a Slack incoming webhook that gets a message per handoff.
    pub slack_webhook_url: Option<String>,
    /// `BATON_WEBHOOK_RETRY_MS`: the first wait before a retry (default 5000), doubling.
    pub webhook_retry_ms: i64,
    /// `BATON_ENCODER_MODEL`: the folder of all-MiniLM-L6-v2 (`model.safetensors`, `vocab.txt`);
    /// set, `POST /v1/encode` embeds the widget's search queries.
    pub encoder_model: Option<String>,
    /// `BATON_ENCODE_RATE_LIMIT`: queries a client may embed per minute (default 60).
    pub encode_rate_per_minute: u32,
    /// `BATON_ENCODE_CONCURRENCY`: queries embedded at once (default: the machine's cores); more
    /// wait outside with 503 and `Retry-After`.
    pub encode_concurrency: usize,
    /// `BATON_RETENTION_DAYS`: handoffs, messages and notes older than this many days are removed
    /// by a daily sweep (and one at start); unset, everything is kept.
    pub retention_days: Option<u64>,
    /// `BATON_EVENT_RETENTION_DAYS`: KPI events older than this are removed (default 400).
    pub event_retention_days: u64,
    /// `BATON_EVENT_RATE_LIMIT`: event batches a client may post per minute (default 60).
    pub event_rate_per_minute: u32,
    /// `BATON_REPEAT_WINDOW_DAYS`: how soon a second handoff on the same journey is a repeat
    /// contact (default 7).
    pub repeat_window_days: u64,
    /// `BATON_TRUSTED_PROXIES`: comma-separated addresses or CIDR networks of the reverse proxies
    /// in front of the relay, whose `X-Forwarded-For` names the client. Nobody else's is believed.
    pub trusted_proxies: Vec<crate::net::Cidr>,
    /// `BATON_IDENTITY_MAX_AGE`: longest identity token lifetime (`exp − iat`) accepted, in
    /// seconds (default 86400).
    pub identity_max_age_secs: u64,
    /// `BATON_SESSION_RATE_LIMIT`: conversation calls a widget session may make per minute
    /// (default 120).
    pub session_rate_per_minute: u32,
    /// `BATON_SMTP_URL`: where reply emails go (`smtp://host:port`, `smtps://user:pass@host`);
    /// unset, replies are only shown in the widget.
    pub smtp_url: Option<String>,
    /// `BATON_SMTP_FROM`: the sender of reply emails (default `support@<public host>`).
    pub smtp_from: Option<String>,
    /// `BATON_REPLY_EMAIL_DELAY`: seconds an agent reply may stay unseen in every widget before it
    /// goes by email (default 180).
    pub reply_email_delay_ms: i64,
}

/// Default longest lifetime of an identity token (`BATON_IDENTITY_MAX_AGE`), in seconds.
pub const DEFAULT_IDENTITY_MAX_AGE_SECS: u64 = 24 * 3600;

/// Largest bundle accepted, in bytes (the widget caps bundles at 64 KB).
pub const MAX_BODY_BYTES: usize = 128 * 1024;
/// Longest `Idempotency-Key` accepted.
pub const MAX_KEY_CHARS: usize = 200;

impl Config {
    /// The repeat window in ms.
    pub fn repeat_window_ms(&self) -> i64 {
        self.repeat_window_days as i64 * 86_400_000
    }

    /// Reads the environment; a malformed value is an error that names the variable.
    pub fn from_env() -> Result<Config, String> {
        let var = |k: &str| std::env::var(k).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let host = var("HOST").unwrap_or_else(|| "127.0.0.1".into());
        let port: u16 = match var("PORT") {
            Some(p) => p.parse().map_err(|_| format!("PORT must be a port number, got {p:?}"))?,
            None => 8787,
        };
        let addr: SocketAddr = format!("{host}:{port}").parse().map_err(|_| format!("HOST must be an IP address, got {host:?}"))?;
        let rate_per_minute = match var("BATON_RATE_LIMIT") {
            Some(r) => r.parse().ok().filter(|n| *n > 0).ok_or_else(|| format!("BATON_RATE_LIMIT must be a positive number, got {r:?}"))?,
            None => 60,
        };
        let encode_rate_per_minute = match var("BATON_ENCODE_RATE_LIMIT") {
            Some(r) => r.parse().ok().filter(|n| *n > 0).ok_or_else(|| format!("BATON_ENCODE_RATE_LIMIT must be a positive number, got {r:?}"))?,
            None => 60,
        };
        let number = |k: &str, default: u64| -> Result<u64, String> {
            match var(k) {
                Some(r) => r.parse().ok().filter(|n| *n > 0).ok_or_else(|| format!("{k} must be a positive number, got {r:?}")),
                None => Ok(default),
            }
        };
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u64;
        let encode_concurrency = number("BATON_ENCODE_CONCURRENCY", cores)? as usize;
        let trusted_proxies = var("BATON_TRUSTED_PROXIES")
            .map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(crate::net::Cidr::parse).collect::<Result<Vec<_>, _>>())
            .transpose()
            .map_err(|e| format!("BATON_TRUSTED_PROXIES: {e}"))?
            .unwrap_or_default();
        let identity_max_age_secs = number("BATON_IDENTITY_MAX_AGE", DEFAULT_IDENTITY_MAX_AGE_SECS)?;
        let session_rate_per_minute = number("BATON_SESSION_RATE_LIMIT", 120)? as u32;
        let reply_email_delay_ms = number("BATON_REPLY_EMAIL_DELAY", 180)? as i64 * 1000;
        let smtp_url = var("BATON_SMTP_URL");
        if let Some(bad) = smtp_url.as_ref().filter(|u| !(u.starts_with("smtp://") || u.starts_with("smtps://"))) {
            return Err(format!("BATON_SMTP_URL must start with smtp:// or smtps://, got {:?}", crate::store::redact_url(bad)));
        }
        let webhook_retry_ms = match var("BATON_WEBHOOK_RETRY_MS") {
            Some(r) => r.parse().ok().filter(|n| *n > 0).ok_or_else(|| format!("BATON_WEBHOOK_RETRY_MS must be a positive number, got {r:?}"))?,
            None => 5000,
        };
        let list = |k: &str| var(k).map(|o| o.split(',').map(|s| s.trim().trim_end_matches('/').to_string()).filter(|s| !s.is_empty()).collect()).unwrap_or_default();
        let webhook_urls: Vec<String> = list("BATON_WEBHOOK_URLS");
        if let Some(bad) = webhook_urls.iter().chain(var("BATON_SLACK_WEBHOOK_URL").iter()).find(|u| !(u.starts_with("http://") || u.starts_with("https://"))) {
            return Err(format!("webhook URLs must start with http:// or https://, got {bad:?}"));
        }
        if let Some(t) = var("BATON_AGENT_TOKEN").filter(|t| t.chars().count() < crate::accounts::MIN_AGENT_TOKEN_CHARS) {
            return Err(format!("BATON_AGENT_TOKEN must be at least {} characters (it opens every handoff; e.g. `openssl rand -hex 32`), got {}", crate::accounts::MIN_AGENT_TOKEN_CHARS, t.chars().count()));
        }
        if !webhook_urls.is_empty() && var("BATON_WEBHOOK_SECRET").is_none() {
            return Err("BATON_WEBHOOK_URLS needs BATON_WEBHOOK_SECRET: receivers must be able to check that a handoff came from this relay".into());
        }
        let database_url = var("DATABASE_URL").unwrap_or_else(|| "sqlite://baton-relay.db".into());
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(format!("DATABASE_URL must start with sqlite: or postgres://, got {database_url:?}"));
        }
        Ok(Config {
            addr,
            public_url: var("BATON_PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}")).trim_end_matches('/').to_string(),
            database_url,
            identity_secret: var("BATON_IDENTITY_SECRET"),
            agent_token: var("BATON_AGENT_TOKEN"),
            allowed_origins: list("BATON_ALLOWED_ORIGINS"),
            rate_per_minute,
            webhook_urls,
            webhook_secret: var("BATON_WEBHOOK_SECRET"),
            slack_webhook_url: var("BATON_SLACK_WEBHOOK_URL"),
            webhook_retry_ms,
            encoder_model: var("BATON_ENCODER_MODEL"),
            encode_rate_per_minute,
            encode_concurrency,
            trusted_proxies,
            event_retention_days: number("BATON_EVENT_RETENTION_DAYS", 400)?,
            event_rate_per_minute: number("BATON_EVENT_RATE_LIMIT", 60)? as u32,
            repeat_window_days: number("BATON_REPEAT_WINDOW_DAYS", crate::scorecard::DEFAULT_REPEAT_WINDOW_DAYS)?,
            retention_days: var("BATON_RETENTION_DAYS").map(|_| number("BATON_RETENTION_DAYS", 1)).transpose()?,
            identity_max_age_secs,
            session_rate_per_minute,
            smtp_url,
            smtp_from: var("BATON_SMTP_FROM"),
            reply_email_delay_ms,
        })
    }
}
