-- Outgoing webhooks: one row per (handoff, target), written in the same transaction as the
-- handoff, so an acknowledged handoff is always forwarded. `claimed_until` is a lease, so that of
-- several relay instances only one sends a delivery at a time.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    handoff_id BIGINT NOT NULL REFERENCES handoffs (id),
    target TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    delivered_at BIGINT,
    last_error TEXT,
    UNIQUE (handoff_id, target)
);
CREATE INDEX deliveries_due ON deliveries (delivered_at, next_at);
