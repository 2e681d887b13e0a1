-- A private, revocable iCalendar feed per user: only the SHA-256 of its token is kept.
ALTER TABLE users ADD COLUMN calendar_feed_hash TEXT;
CREATE UNIQUE INDEX ix_users_calendar_feed_hash ON users (calendar_feed_hash);
