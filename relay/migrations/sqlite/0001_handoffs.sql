-- One row per acknowledged handoff. The bundle is kept whole (JSON text); the columns beside it
-- are what the inbox lists, searches and groups by.
CREATE TABLE handoffs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT UNIQUE,
    reference TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    category TEXT NOT NULL,
    priority TEXT NOT NULL,
    user_id TEXT,
    email TEXT,
    account TEXT,
    name TEXT,
    verified BIGINT NOT NULL,
    origin TEXT,
    search TEXT NOT NULL,
    bundle TEXT NOT NULL
);
CREATE INDEX handoffs_reference ON handoffs (reference);
CREATE INDEX handoffs_email ON handoffs (email);
