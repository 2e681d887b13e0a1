-- Outgoing mail. A request only writes a row here; a background worker delivers
-- it, so a slow or failing mail server never holds up a request, and a message
-- survives a restart. Timestamps are unix microseconds, as in every table.

CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- Emptied once the message is sent or abandoned: bodies carry one-time links.
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    -- What the message is for (`verify_email`, `reset_password`, ...), for logs.
    kind TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- Also the claim: a worker moves it forward (a lease) before sending.
    next_attempt_at INTEGER NOT NULL,
    sent_at INTEGER,
    -- Set when the worker stops retrying; the row stays for the record.
    gave_up_at INTEGER,
    -- The last delivery error, never the body.
    last_error TEXT
);

-- The worker's question, "what is due now?", reads only pending rows, however
-- many sent ones pile up.
CREATE INDEX ix_mail_outbox_due ON mail_outbox (next_attempt_at)
    WHERE sent_at IS NULL AND gave_up_at IS NULL;
