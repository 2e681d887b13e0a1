-- Accounts, sign-in sessions, one-time tokens and login throttling.
-- Secrets are never stored: refresh, verification and reset tokens are kept as
-- SHA-256 digests, passwords as Argon2id PHC strings.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    experience_level TEXT NOT NULL DEFAULT 'beginner' CHECK (experience_level IN ('beginner', 'intermediate', 'advanced')),
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    -- Access tokens issued before this instant are refused (password change, reset, deletion).
    tokens_valid_after INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_login INTEGER
);

-- One row per signed-in device; its refresh tokens form one family.
CREATE TABLE auth_sessions (
    id INTEGER PRIMARY KEY,
    sid TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    remember BOOLEAN NOT NULL,
    user_agent TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX ix_auth_sessions_user ON auth_sessions (user_id, created_at);

CREATE TABLE refresh_tokens (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES auth_sessions (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX ix_refresh_tokens_session ON refresh_tokens (session_id);

-- Email verification, password reset and email-change confirmation tokens.
CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
    token_hash TEXT NOT NULL UNIQUE,
    -- The address the token is bound to: a changed address voids it.
    email TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX ix_account_tokens_user ON account_tokens (user_id, purpose);

-- Consecutive login failures per normalised email (kept whether or not an
-- account exists) and per recognised device.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
