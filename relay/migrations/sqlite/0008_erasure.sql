-- Erasure: a webhook delivery may carry an event of its own (`customer.erased`) instead of a
-- handoff, so `handoff_id` may be NULL and `payload` holds the event's body. SQLite cannot drop a
-- NOT NULL, so the table is copied.
CREATE TABLE deliveries_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    handoff_id BIGINT REFERENCES handoffs (id),
    payload TEXT,
    target TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    delivered_at BIGINT,
    last_error TEXT,
    UNIQUE (handoff_id, target)
);
INSERT INTO deliveries_new (id, handoff_id, target, attempts, next_at, claimed_until, delivered_at, last_error)
    SELECT id, handoff_id, target, attempts, next_at, claimed_until, delivered_at, last_error FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (delivered_at, next_at);
-- Retention sweeps by age.
CREATE INDEX handoffs_received ON handoffs (received_at);
