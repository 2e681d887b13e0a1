-- Browser sessions: the web app signs in with a cookie holding the session id and
-- a secret; only the secret's SHA-256 is kept.
ALTER TABLE auth_sessions ADD COLUMN cookie_hash TEXT;
