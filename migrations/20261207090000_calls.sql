-- Calls for projects: one row per call (the workflow's projection) and one
-- per application (a territory, for an organisation, once). Events, ballots
-- and votes live in the shared audit trail and committee tables.
CREATE TABLE calls (
    id                 uuid PRIMARY KEY,
    title              text NOT NULL,
    description        text NOT NULL,
    opens_at           timestamptz NOT NULL,
    closes_at          timestamptz NOT NULL,
    need_ids           uuid[] NOT NULL DEFAULT '{}',
    stage              text NOT NULL,
    stage_entered_at   timestamptz NOT NULL,
    created_by         uuid,
    created_by_name    text NOT NULL,
    applications_count int NOT NULL DEFAULT 0,
    proposal           jsonb,
    selected           text[] NOT NULL DEFAULT '{}',
    next_deadline      timestamptz,
    version            bigint NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX calls_recent_idx ON calls (created_at DESC, id DESC);
CREATE INDEX calls_stage_idx ON calls (stage, created_at DESC, id DESC);
CREATE INDEX calls_open_idx ON calls (closes_at, id) WHERE stage = 'open';

CREATE TABLE call_applications (
    id               uuid PRIMARY KEY,
    call_id          uuid NOT NULL REFERENCES calls (id),
    territory_code   text NOT NULL,
    motivation       text NOT NULL,
    organisation     text NOT NULL,
    organisation_key text NOT NULL,
    by_id            uuid,
    by_name          text NOT NULL,
    at               timestamptz NOT NULL,
    UNIQUE (call_id, organisation_key, territory_code)
);
CREATE INDEX call_applications_recent_idx ON call_applications (call_id, at DESC, id DESC);
CREATE INDEX call_applications_org_idx ON call_applications (call_id, organisation_key, at DESC, id DESC);
CREATE INDEX call_applications_by_idx ON call_applications (by_id) WHERE by_id IS NOT NULL;
