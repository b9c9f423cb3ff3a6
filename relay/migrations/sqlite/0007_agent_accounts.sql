-- Per-person agent accounts. An agent is invited (`baton-relay agents add EMAIL` prints a
-- one-time link; only its SHA-256 is kept) and sets a password (argon2id, PHC string). Sign-ins
-- are rows (the cookie holds a random token, kept as its SHA-256), so that each can be listed and
-- revoked; so are the agent's API tokens.
CREATE TABLE agents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    invite_hash TEXT UNIQUE,
    invite_expires_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE TABLE agent_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    agent_id BIGINT NOT NULL REFERENCES agents (id),
    csrf TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX agent_sessions_agent ON agent_sessions (agent_id);
CREATE TABLE agent_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    agent_id BIGINT NOT NULL REFERENCES agents (id),
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX agent_tokens_agent ON agent_tokens (agent_id);
-- Who did what: every status change, note and reply names its agent (`automation` for the
-- shared BATON_AGENT_TOKEN). No foreign key: a line outlives the handoff it was about (an erasure
-- leaves one, without the erased data).
CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    handoff_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX audit_handoff ON audit (handoff_id, id);
ALTER TABLE notes ADD COLUMN author TEXT;
