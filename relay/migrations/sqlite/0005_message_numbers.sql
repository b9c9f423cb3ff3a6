-- Messages are numbered within their conversation (1, 2, 3…) and idempotent by the client's own
-- message id: the same id again is the same message.
ALTER TABLE updates ADD COLUMN number BIGINT;
ALTER TABLE updates ADD COLUMN client_id TEXT;
CREATE UNIQUE INDEX updates_client_id ON updates (handoff_id, client_id);
