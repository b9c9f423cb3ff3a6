//! The `notes` table: agents' internal notes on a handoff.

use super::Store;
use sqlx::Row;

/// An agent's internal note on a handoff.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Note {
    /// When (ms since the epoch).
    pub at: i64,
    /// What the agent wrote.
    pub body: String,
    /// Who wrote it (`None` for notes from before agent accounts).
    pub author: Option<String>,
}

impl Store {
    /// Adds an internal note to a handoff.
    pub async fn add_note(&self, id: i64, at: i64, body: &str, author: &str) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO notes (handoff_id, at, body, author) VALUES ($1, $2, $3, $4)").bind(id).bind(at).bind(body).bind(author).execute(&self.pool).await?;
        Ok(())
    }

    /// A handoff's notes, oldest first.
    pub async fn notes(&self, id: i64) -> Result<Vec<Note>, sqlx::Error> {
        let rows = sqlx::query("SELECT at, body, author FROM notes WHERE handoff_id = $1 ORDER BY id").bind(id).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(Note { at: r.try_get("at")?, body: r.try_get("body")?, author: r.try_get("author")? })).collect()
    }
}
