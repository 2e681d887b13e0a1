-- Uploaded images live in the database, not on one instance's disk, so every
-- instance behind the load balancer serves every image and backups hold them.
-- Bytes are the cleaned, re-encoded copy; the name is ours (random hex + extension).
CREATE TABLE uploaded_images (
    name TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX uploaded_images_created ON uploaded_images (created_at);
