-- Achievements a user has earned; the primary key makes each one unique per user.
CREATE TABLE user_achievements (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    earned_at BIGINT NOT NULL,
    session_id BIGINT REFERENCES practice_sessions (id) ON DELETE SET NULL,
    PRIMARY KEY (user_id, code)
);
