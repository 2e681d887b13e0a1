-- Bumped whenever a user's practice sessions change, so each instance can keep
-- a user's statistics facts in memory and know when they are stale.
ALTER TABLE users ADD COLUMN practice_version BIGINT NOT NULL DEFAULT 0;
