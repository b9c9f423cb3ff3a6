//! The `agents`, `agent_sessions` and `agent_tokens` tables: per-person accounts, their sign-ins
//! and their API tokens. Secrets are kept as SHA-256 (tokens) or argon2id (passwords), never as
//! given.

use super::Store;
use sqlx::Row;

/// An agent's account.
#[derive(Clone, Debug)]
pub struct AgentAccount {
    /// Its id.
    pub id: i64,
    /// Its email, lowercased (the sign-in name).
    pub email: String,
    /// The argon2id PHC string; `None` until the invite is used.
    pub password_hash: Option<String>,
}

/// A sign-in of an agent, as the account page lists it.
#[derive(Clone, Debug)]
pub struct SignIn {
    /// Its id (what the revoke form names).
    pub id: i64,
    /// The browser's User-Agent when it signed in.
    pub user_agent: String,
    /// When (ms since the epoch).
    pub created_at: i64,
    /// The CSRF token its forms carry.
    pub csrf: String,
}

/// An agent's API token, as the account page lists it (never the token itself).
#[derive(Clone, Debug)]
pub struct ApiToken {
    /// Its id.
    pub id: i64,
    /// What the agent called it.
    pub name: String,
    /// When it was made.
    pub created_at: i64,
}

fn account(row: &sqlx::any::AnyRow) -> Result<AgentAccount, sqlx::Error> {
    Ok(AgentAccount { id: row.try_get("id")?, email: row.try_get("email")?, password_hash: row.try_get("password_hash")? })
}

impl Store {
    /// Invites `email` (a new account, or a new invite for an existing one: how a forgotten
    /// password is reset) with the invite token's hash, valid until `expires_at`.
    pub async fn invite_agent(&self, email: &str, invite_hash: &str, expires_at: i64, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO agents (email, invite_hash, invite_expires_at, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO UPDATE SET invite_hash = $2, invite_expires_at = $3")
            .bind(email)
            .bind(invite_hash)
            .bind(expires_at)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The account a live invite belongs to.
    pub async fn agent_by_invite(&self, invite_hash: &str, now: i64) -> Result<Option<AgentAccount>, sqlx::Error> {
        let row = sqlx::query("SELECT id, email, password_hash FROM agents WHERE invite_hash = $1 AND invite_expires_at > $2").bind(invite_hash).bind(now).fetch_optional(&self.pool).await?;
        row.as_ref().map(account).transpose()
    }

    /// Sets an agent's password from their invite, which is used up; every earlier sign-in of
    /// the account ends (a reset locks out whoever knew the old password).
    pub async fn set_password(&self, invite_hash: &str, password_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("UPDATE agents SET password_hash = $1, invite_hash = NULL, invite_expires_at = NULL WHERE invite_hash = $2 AND invite_expires_at > $3 RETURNING id")
            .bind(password_hash)
            .bind(invite_hash)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(false) };
        let id: i64 = row.try_get("id")?;
        sqlx::query("UPDATE agent_sessions SET revoked_at = $1 WHERE agent_id = $2 AND revoked_at IS NULL").bind(now).bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The account signing in as `email`.
    pub async fn agent_by_email(&self, email: &str) -> Result<Option<AgentAccount>, sqlx::Error> {
        let row = sqlx::query("SELECT id, email, password_hash FROM agents WHERE email = $1").bind(email).fetch_optional(&self.pool).await?;
        row.as_ref().map(account).transpose()
    }

    /// Records a sign-in (the cookie token's hash) until `expires_at`.
    pub async fn open_sign_in(&self, agent: i64, token_hash: &str, csrf: &str, user_agent: &str, now: i64, expires_at: i64) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO agent_sessions (token_hash, agent_id, csrf, user_agent, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(token_hash)
            .bind(agent)
            .bind(csrf)
            .bind(user_agent)
            .bind(now)
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The live sign-in with cookie token hash `token_hash`, and whose it is.
    pub async fn sign_in(&self, token_hash: &str, now: i64) -> Result<Option<(AgentAccount, SignIn)>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT a.id, a.email, a.password_hash, s.id AS sid, s.user_agent, s.created_at, s.csrf FROM agent_sessions s JOIN agents a ON a.id = s.agent_id \
             WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some((account(&row)?, SignIn { id: row.try_get("sid")?, user_agent: row.try_get("user_agent")?, created_at: row.try_get("created_at")?, csrf: row.try_get("csrf")? })))
    }

    /// An agent's live sign-ins, newest first.
    pub async fn sign_ins_of(&self, agent: i64, now: i64) -> Result<Vec<SignIn>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, user_agent, created_at, csrf FROM agent_sessions WHERE agent_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY id DESC")
            .bind(agent)
            .bind(now)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(SignIn { id: r.try_get("id")?, user_agent: r.try_get("user_agent")?, created_at: r.try_get("created_at")?, csrf: r.try_get("csrf")? })).collect()
    }

    /// Ends one of `agent`'s sign-ins (another agent's is left alone).
    pub async fn revoke_sign_in(&self, agent: i64, id: i64, now: i64) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("UPDATE agent_sessions SET revoked_at = $1 WHERE id = $2 AND agent_id = $3 AND revoked_at IS NULL").bind(now).bind(id).bind(agent).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    /// Makes an API token for `agent` (its hash kept).
    pub async fn add_api_token(&self, agent: i64, name: &str, token_hash: &str, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO agent_tokens (token_hash, agent_id, name, created_at) VALUES ($1, $2, $3, $4)").bind(token_hash).bind(agent).bind(name).bind(now).execute(&self.pool).await?;
        Ok(())
    }

    /// An agent's live API tokens, newest first.
    pub async fn api_tokens_of(&self, agent: i64) -> Result<Vec<ApiToken>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, name, created_at FROM agent_tokens WHERE agent_id = $1 AND revoked_at IS NULL ORDER BY id DESC").bind(agent).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(ApiToken { id: r.try_get("id")?, name: r.try_get("name")?, created_at: r.try_get("created_at")? })).collect()
    }

    /// Revokes one of `agent`'s API tokens.
    pub async fn revoke_api_token(&self, agent: i64, id: i64, now: i64) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("UPDATE agent_tokens SET revoked_at = $1 WHERE id = $2 AND agent_id = $3 AND revoked_at IS NULL").bind(now).bind(id).bind(agent).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    /// The account a live API token belongs to.
    pub async fn agent_by_api_token(&self, token_hash: &str) -> Result<Option<AgentAccount>, sqlx::Error> {
        let row = sqlx::query("SELECT a.id, a.email, a.password_hash FROM agent_tokens t JOIN agents a ON a.id = t.agent_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(account).transpose()
    }
}
