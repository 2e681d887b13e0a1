-- Answers to POST requests sent with an Idempotency-Key, kept for 24 hours so
-- a retried request gets the first answer instead of acting twice.
CREATE TABLE idempotency_keys (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    -- NULL while the first request is still being handled.
    status INTEGER,
    body BLOB,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);
