-- Agents' side: internal notes on a handoff, and the verified customer a handoff belongs to
-- (`id:…`, else `email:…`, else `account:…`; NULL when the identity did not verify, so an
-- unverified handoff is never merged into a verified customer).
ALTER TABLE handoffs ADD COLUMN customer TEXT;
CREATE INDEX handoffs_customer ON handoffs (customer);
CREATE TABLE notes (
    id BIGSERIAL PRIMARY KEY,
    handoff_id BIGINT NOT NULL REFERENCES handoffs (id),
    at BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX notes_handoff ON notes (handoff_id);
