-- Favorites, weekly goals, and share links for users' own sequences.
CREATE TABLE favorites (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('pose', 'sequence')),
    target_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind, target_id)
);
CREATE INDEX ix_favorites_target ON favorites (kind, target_id);

ALTER TABLE users ADD COLUMN weekly_sessions_goal INTEGER;
ALTER TABLE users ADD COLUMN weekly_minutes_goal INTEGER;

-- SHA-256 of the unguessable share token; NULL when the sequence is private.
ALTER TABLE sequences ADD COLUMN share_hash TEXT;
CREATE UNIQUE INDEX ix_sequences_share_hash ON sequences (share_hash);
