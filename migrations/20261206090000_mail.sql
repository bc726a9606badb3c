-- Discussion on needs and e-mail notifications (issue 11).

-- The language a person reads their e-mails in.
ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en'));

-- Comments are not workflow state: plain rows, with an audit trail of their
-- own (the events table's (subject_id, seq) belongs to each workflow).
CREATE TABLE comments (
    id            uuid PRIMARY KEY,
    need_id       uuid NOT NULL REFERENCES needs (id),
    author_id     uuid REFERENCES users (id),
    author_name   text NOT NULL,
    body          text NOT NULL,
    internal      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    edited_at     timestamptz,
    deleted_at    timestamptz,
    hidden_at     timestamptz,
    hidden_reason text NOT NULL DEFAULT '',
    hidden_by     uuid
);
CREATE INDEX comments_need_idx ON comments (need_id, created_at DESC, id DESC);
CREATE INDEX comments_author_idx ON comments (author_id);

CREATE TABLE comment_events (
    id         bigserial PRIMARY KEY,
    comment_id uuid NOT NULL REFERENCES comments (id),
    at         timestamptz NOT NULL,
    actor_id   uuid,
    actor_name text NOT NULL,
    action     text NOT NULL CHECK (action IN ('post', 'edit', 'delete', 'hide')),
    body       text NOT NULL DEFAULT '', -- the text as it was before an edit, a deletion or a hiding
    reason     text NOT NULL DEFAULT ''
);
CREATE INDEX comment_events_comment_idx ON comment_events (comment_id, id);

-- The outbox: one row per message to send, written in the transaction of the
-- change that causes it, keyed so that a retried save adds nothing.
CREATE TABLE outbox (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subject         text NOT NULL,  -- need, study_action, comment, ballot
    subject_id      uuid NOT NULL,
    seq             int  NOT NULL,  -- the event's sequence number (0 when the subject has none)
    recipient_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            text NOT NULL,
    data            jsonb NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- pending → sending (claimed until claimed_until) → sent | failed | skipped
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts        int  NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_until   timestamptz,
    digest          boolean NOT NULL DEFAULT false, -- sent (or being sent) within a daily digest
    message_id      text,
    sent_at         timestamptz,
    last_error      text NOT NULL DEFAULT '',
    UNIQUE (subject, subject_id, seq, recipient_id, kind)
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_recipient_idx ON outbox (recipient_id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_status_idx ON outbox (status, created_at DESC, id DESC);

-- How each person wants each kind of message: no row is the default (digest).
CREATE TABLE notification_prefs (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    text NOT NULL,
    mode    text NOT NULL CHECK (mode IN ('immediate', 'digest', 'never')),
    PRIMARY KEY (user_id, kind)
);

-- One-click unsubscribe (RFC 8058): a random token per person and kind.
CREATE TABLE unsubscribe_tokens (
    token      text PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, kind)
);
