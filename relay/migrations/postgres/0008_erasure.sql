-- Erasure: a webhook delivery may carry an event of its own (`customer.erased`) instead of a
-- handoff, so `handoff_id` may be NULL and `payload` holds the event's body.
ALTER TABLE deliveries ALTER COLUMN handoff_id DROP NOT NULL;
ALTER TABLE deliveries ADD COLUMN payload TEXT;
-- Retention sweeps by age.
CREATE INDEX handoffs_received ON handoffs (received_at);
