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

-- A fingerprint of the content file each library entry was last loaded from. A load
-- rewrites an entry only when its file changed since, so admins' edits survive restarts
-- until a changed file (for example their own export, committed) replaces them.
ALTER TABLE poses ADD COLUMN content_hash TEXT;
ALTER TABLE sequences ADD COLUMN content_hash TEXT;
