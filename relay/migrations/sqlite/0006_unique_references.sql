-- A reference code names one handoff: a page that posts another customer's code is refused (409)
-- instead of showing its bundle under that code. Older duplicates keep their rows, renamed
-- `CODE-<ticket>` (all but the first), so that the index can be unique.
-- `body_hash` is the SHA-256 of the request body first acknowledged under an idempotency key: the
-- same key with another body is refused (409), not silently answered with the first ticket.
UPDATE handoffs SET reference = reference || '-' || CAST(id AS TEXT)
    WHERE id NOT IN (SELECT MIN(id) FROM handoffs GROUP BY reference);
DROP INDEX handoffs_reference;
CREATE UNIQUE INDEX handoffs_reference ON handoffs (reference);
ALTER TABLE handoffs ADD COLUMN body_hash TEXT;
