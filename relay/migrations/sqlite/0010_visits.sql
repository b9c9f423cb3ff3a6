-- The scorecard's help sessions, kept up to date as events arrive (one row per page visit), so
-- that a period's funnel reads one row per visit instead of grouping every event again. A row
-- holds no identity: the visit id is the widget's random id for one page visit.
CREATE TABLE visits (
    visit TEXT PRIMARY KEY,
    started_at BIGINT NOT NULL,
    journey TEXT,
    handoff_journey TEXT,
    help BIGINT NOT NULL,
    did_read BIGINT NOT NULL,
    did_helpful BIGINT NOT NULL,
    did_resolve BIGINT NOT NULL,
    did_handoff BIGINT NOT NULL
);
CREATE INDEX visits_started ON visits (started_at);
-- Effort answers and content gaps read one kind of event in a period.
CREATE INDEX events_kind_at ON events (kind, at);
-- The conversations solved or replied to in a period.
CREATE INDEX updates_at ON updates (at);
