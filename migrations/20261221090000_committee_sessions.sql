-- The steering committee's sessions (api.md "Committee: institutions,
-- sessions, minutes"): the workflow owns each session's state, kept whole
-- here (it is small: an agenda, an attendance); its items are rows too, so
-- a subject sits on one session at a time.
CREATE TABLE committee_sessions (
    id         uuid PRIMARY KEY,
    title      text NOT NULL,
    starts_at  timestamptz NOT NULL,
    place      text NOT NULL,
    stage      text NOT NULL,
    state      jsonb NOT NULL,
    version    bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX committee_sessions_starts_idx ON committee_sessions (starts_at DESC, id DESC);

CREATE TABLE session_items (
    session_id uuid NOT NULL REFERENCES committee_sessions (id),
    n          int  NOT NULL,
    subject    text NOT NULL,
    subject_id uuid NOT NULL,
    title      text NOT NULL,
    decision   text NOT NULL DEFAULT '',
    -- pending: on a session not closed, not decided (or adjourned)
    pending    boolean NOT NULL,
    PRIMARY KEY (session_id, n)
);
CREATE UNIQUE INDEX session_items_pending_idx ON session_items (subject_id) WHERE pending;
CREATE INDEX session_items_subject_idx ON session_items (subject_id);

-- The conditions a session attaches to its approval of a need.
ALTER TABLE needs ADD COLUMN conditions text NOT NULL DEFAULT '';

-- A session's minutes are approved at a later session, then final.
ALTER TABLE committee_sessions
    ADD COLUMN minutes_approved_at timestamptz,
    ADD COLUMN minutes_approved_in uuid REFERENCES committee_sessions (id);
ALTER TABLE study_actions ADD COLUMN conditions text NOT NULL DEFAULT '';
ALTER TABLE calls ADD COLUMN conditions text NOT NULL DEFAULT '';
