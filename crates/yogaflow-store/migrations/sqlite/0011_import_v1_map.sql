-- What `yogaflow import-v1` has moved from a YogaFlow 1.0 database: one row per
-- 1.0 record (kind, its 1.0 id) and the id it received here. A second run skips
-- every record listed, and sessions find their imported user and sequence here.
-- No foreign key on new_id: a row outlives an account deleted after the import,
-- so the next run does not bring that account back.
CREATE TABLE import_v1_map (
    kind TEXT NOT NULL CHECK (kind IN ('user', 'sequence', 'session')),
    old_id INTEGER NOT NULL,
    new_id INTEGER NOT NULL,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (kind, old_id)
);
