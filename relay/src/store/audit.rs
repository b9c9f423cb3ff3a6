//! The `audit` table: who changed what, for the handoff page's audit list and for erasures.

use super::Store;
use sqlx::Row;

/// One line of the audit.
#[derive(Clone, Debug)]
pub struct AuditLine {
    /// When (ms since the epoch).
    pub at: i64,
    /// Who: an agent's email, or `automation` (the shared agent token).
    pub actor: String,
    /// What: `status`, `note`, `reply`, `erased`…
    pub action: String,
    /// The change, in words (never the erased data).
    pub detail: String,
}

impl Store {
    /// Records what `actor` did (to handoff `handoff`, when about one).
    pub async fn audit(&self, handoff: Option<i64>, actor: &str, action: &str, detail: &str, at: i64) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO audit (handoff_id, actor, action, detail, at) VALUES ($1, $2, $3, $4, $5)").bind(handoff).bind(actor).bind(action).bind(detail).bind(at).execute(&self.pool).await?;
        Ok(())
    }

    /// A handoff's audit, oldest first.
    pub async fn audit_of(&self, handoff: i64) -> Result<Vec<AuditLine>, sqlx::Error> {
        let rows = sqlx::query("SELECT at, actor, action, detail FROM audit WHERE handoff_id = $1 ORDER BY id").bind(handoff).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(AuditLine { at: r.try_get("at")?, actor: r.try_get("actor")?, action: r.try_get("action")?, detail: r.try_get("detail")? })).collect()
    }

    /// The audit lines about no handoff (erasures), newest first.
    pub async fn audit_general(&self, limit: i64) -> Result<Vec<AuditLine>, sqlx::Error> {
        let rows = sqlx::query("SELECT at, actor, action, detail FROM audit WHERE handoff_id IS NULL ORDER BY id DESC LIMIT $1").bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(AuditLine { at: r.try_get("at")?, actor: r.try_get("actor")?, action: r.try_get("action")?, detail: r.try_get("detail")? })).collect()
    }
}
