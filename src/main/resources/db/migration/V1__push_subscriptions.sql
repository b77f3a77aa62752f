-- Web Push subscriptions: one row per browser push endpoint, its topic filters beside it.
-- Plain SQL that PostgreSQL and H2 (MODE=PostgreSQL) both run.
CREATE TABLE push_subscription (
    id UUID PRIMARY KEY,
    subject VARCHAR(1024) NOT NULL,
    endpoint VARCHAR(2048) NOT NULL,
    p256dh VARCHAR(128) NOT NULL,
    auth VARCHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    version BIGINT NOT NULL,
    CONSTRAINT push_subscription_endpoint UNIQUE (endpoint)
);

CREATE INDEX push_subscription_subject ON push_subscription (subject);

CREATE TABLE push_filter (
    subscription_id UUID NOT NULL REFERENCES push_subscription (id) ON DELETE CASCADE,
    topic_filter VARCHAR(65535) NOT NULL
);

CREATE INDEX push_filter_subscription ON push_filter (subscription_id);

-- One row, bumped by every change in the change's own transaction: its row lock orders
-- the changes, so that the numbers in push_change are committed in order.
CREATE TABLE push_revision (
    id INTEGER PRIMARY KEY,
    revision BIGINT NOT NULL
);

INSERT INTO push_revision (id, revision) VALUES (1, 0);

-- Which subscription each revision changed, for other Herald instances to catch up
-- with; the oldest rows are pruned.
CREATE TABLE push_change (
    revision BIGINT PRIMARY KEY,
    subscription_id UUID NOT NULL
);
