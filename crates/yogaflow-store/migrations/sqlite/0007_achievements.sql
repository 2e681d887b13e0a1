-- Achievements a user has earned; the primary key makes each one unique per user.
CREATE TABLE user_achievements (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    earned_at INTEGER NOT NULL,
    session_id INTEGER REFERENCES practice_sessions (id) ON DELETE SET NULL,
    PRIMARY KEY (user_id, code)
);
