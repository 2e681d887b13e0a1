-- Every change an admin makes to the library, with the record before and after
-- (as the admin API's JSON). Rows are only ever added: a restore is a new version.
CREATE TABLE content_history (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('pose', 'sequence')),
    target_id INTEGER NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    actor_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore')),
    before_json TEXT,
    after_json TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (kind, target_id, version)
);
