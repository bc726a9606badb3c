-- Unsubscribe links expire (ESSOR_UNSUBSCRIBE_TTL, default 90 days) and each
-- message has its own: a token seen once (a forwarded e-mail, a log) stops
-- working in time. Only a hash of the token is kept. The links already sent
-- keep working for 90 days from now.
CREATE TABLE unsubscribe_links (
    token_hash bytea PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX unsubscribe_links_user_idx ON unsubscribe_links (user_id, expires_at);
INSERT INTO unsubscribe_links (token_hash, user_id, kind, created_at, expires_at)
    SELECT sha256(convert_to(token, 'UTF8')), user_id, kind, created_at, now() + interval '90 days' FROM unsubscribe_tokens;
DROP TABLE unsubscribe_tokens;
