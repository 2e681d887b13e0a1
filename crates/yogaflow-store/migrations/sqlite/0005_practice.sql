-- Practice sessions and the poses practised in them.
CREATE TABLE practice_sessions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('sequence', 'free', 'breathing', 'meditation')),
    sequence_id INTEGER REFERENCES sequences (id) ON DELETE SET NULL,
    breathing_slug TEXT,
    status TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'partial', 'abandoned')),
    paused BOOLEAN NOT NULL DEFAULT FALSE,
    started_at INTEGER NOT NULL,
    completed_at INTEGER,
    duration_seconds INTEGER NOT NULL CHECK (duration_seconds BETWEEN 0 AND 14400),
    -- Sum of the sequence's holds when it started, for the partial-session rule.
    planned_seconds INTEGER
);
CREATE INDEX ix_practice_sessions_user_started ON practice_sessions (user_id, started_at);
CREATE INDEX ix_practice_sessions_user_status ON practice_sessions (user_id, status, started_at);
CREATE INDEX ix_practice_sessions_sequence ON practice_sessions (sequence_id);

CREATE TABLE session_poses (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES practice_sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    -- History outlives a pose an admin removes.
    pose_id INTEGER REFERENCES poses (id) ON DELETE SET NULL,
    seconds INTEGER NOT NULL CHECK (seconds BETWEEN 0 AND 14400),
    side TEXT CHECK (side IN ('right', 'left')),
    UNIQUE (session_id, position)
);
CREATE INDEX ix_session_poses_pose ON session_poses (pose_id);
