-- The continuity scorecard: the widget's KPI events, once per event id, with the customer or
-- visitor of the session that sent them (so that an erasure reaches them); each handoff's
-- contextCompleteness as a column; and the agent's "I had to ask for something the handoff
-- already had" flag.
CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    visit TEXT NOT NULL,
    journey TEXT NOT NULL,
    query TEXT,
    confident BIGINT,
    article TEXT,
    helpful BIGINT,
    reference TEXT,
    value DOUBLE PRECISION,
    progress TEXT,
    customer TEXT,
    visitor TEXT
);
CREATE INDEX events_at ON events (at);
CREATE INDEX events_visit ON events (visit);
CREATE INDEX events_customer ON events (customer);
ALTER TABLE handoffs ADD COLUMN completeness DOUBLE PRECISION;
ALTER TABLE handoffs ADD COLUMN reasked BIGINT NOT NULL DEFAULT 0;
UPDATE handoffs SET completeness = (bundle::jsonb ->> 'contextCompleteness')::double precision
    WHERE jsonb_typeof(bundle::jsonb -> 'contextCompleteness') = 'number';
