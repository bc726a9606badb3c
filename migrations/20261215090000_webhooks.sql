-- Webhooks (api.md "Webhooks"): targets admins register, and the deliveries
-- written in the same transaction as the change that causes them.
CREATE TABLE webhooks (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    url         text NOT NULL,
    events      text[] NOT NULL,
    secret      text NOT NULL,              -- whsec_<base64>: shown once, at registration
    created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz
);

CREATE TABLE webhook_deliveries (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(), -- the webhook-id header: the same on every attempt
    webhook_id      uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    subject         text NOT NULL,
    subject_id      uuid NOT NULL,
    seq             int  NOT NULL,
    event           text NOT NULL,
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- pending → delivered | failed (retried for 24 hours)
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        int  NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_until   timestamptz,
    delivered_at    timestamptz,
    UNIQUE (webhook_id, subject, subject_id, seq, event)
);
-- The sender takes, per target and subject, the oldest delivery not yet done.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (webhook_id, subject_id, created_at, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_list ON webhook_deliveries (webhook_id, created_at DESC, id DESC);

CREATE TABLE webhook_attempts (
    delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    n           int  NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    status      int  NOT NULL,                 -- the target's HTTP status, 0 when none came
    error       text NOT NULL DEFAULT '',
    duration_ms int  NOT NULL,
    PRIMARY KEY (delivery_id, n)
);
