-- Conversations: each handoff is a conversation with its customer. `verified` is now 0 (none),
-- 1 (the id signature: the id alone) or 2 (an identity token: every claim in it);
-- `verified_email` is a token's email claim, the only address replies are ever emailed to.
-- `visitor` is the anonymous visitor who filed it (their conversations join the customer when
-- they identify).
ALTER TABLE handoffs ADD COLUMN visitor TEXT;
ALTER TABLE handoffs ADD COLUMN verified_email TEXT;
CREATE INDEX handoffs_visitor ON handoffs (visitor);
-- The widget's relay sessions: opaque tokens, stored as their SHA-256, expiring.
CREATE TABLE widget_sessions (
    token_hash TEXT PRIMARY KEY,
    customer TEXT,
    visitor TEXT,
    email TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
-- Everything a widget streams, in one sequence: messages (customer or agent), status changes and
-- reads. `id` is the sequence number the widget resumes after; `seen_at` is when an agent's
-- message was read in a widget; `emailed_at` when it went by email.
CREATE TABLE updates (
    id BIGSERIAL PRIMARY KEY,
    handoff_id BIGINT NOT NULL REFERENCES handoffs (id),
    kind TEXT NOT NULL,
    author TEXT,
    body TEXT NOT NULL,
    at BIGINT NOT NULL,
    seen_at BIGINT,
    emailed_at BIGINT
);
CREATE INDEX updates_handoff ON updates (handoff_id, id);
