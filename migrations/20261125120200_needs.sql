-- The emergence pipeline's read model, written by the need workflows.
CREATE TABLE needs (
    id                  uuid PRIMARY KEY,
    title               text NOT NULL,
    description         text NOT NULL,
    theme               text NOT NULL REFERENCES themes (slug),
    territory_code      text NOT NULL REFERENCES territories (code),
    beneficiaries       int,
    organisation        text NOT NULL DEFAULT '',
    evidence            text NOT NULL DEFAULT '',
    submitted_by        uuid NOT NULL,
    submitted_by_name   text NOT NULL,
    stage               text NOT NULL,
    stage_entered_at    timestamptz NOT NULL,
    supports            int NOT NULL DEFAULT 0,
    merged_into         uuid,
    study               jsonb,
    pilot               jsonb,
    next_deadline       timestamptz,
    possible_duplicates jsonb NOT NULL DEFAULT '[]',
    version             bigint NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('essor_fr', title), 'A') ||
        setweight(to_tsvector('essor_fr', description), 'B')) STORED
);
CREATE INDEX needs_recent_idx ON needs (created_at DESC, id DESC);
CREATE INDEX needs_stage_idx ON needs (stage, created_at DESC, id DESC);
CREATE INDEX needs_territory_idx ON needs (territory_code, created_at DESC, id DESC);
CREATE INDEX needs_theme_idx ON needs (theme, created_at DESC, id DESC);
CREATE INDEX needs_submitter_idx ON needs (submitted_by, created_at DESC);
CREATE INDEX needs_search_idx ON needs USING gin (search);
CREATE INDEX needs_title_trgm_idx ON needs USING gin (essor_fold(title) gin_trgm_ops);

-- One audit trail for every programme: subject is a need, a study-action, a round…
CREATE TABLE events (
    subject_id uuid NOT NULL,
    seq        int  NOT NULL,
    subject    text NOT NULL,
    at         timestamptz NOT NULL,
    actor_id   uuid,
    actor_name text NOT NULL,
    action     text NOT NULL,
    from_stage text NOT NULL DEFAULT '',
    to_stage   text NOT NULL DEFAULT '',
    comment    text NOT NULL DEFAULT '',
    data       jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (subject_id, seq)
);
CREATE INDEX events_at_idx ON events (at DESC);

-- One committee-decision mechanism: a vote per member, subject and round.
CREATE TABLE votes (
    subject_id uuid NOT NULL,
    round      int  NOT NULL,
    voter_id   uuid NOT NULL,
    voter_name text NOT NULL,
    decision   text NOT NULL,
    comment    text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL,
    PRIMARY KEY (subject_id, round, voter_id)
);

CREATE TABLE ballots (
    subject_id uuid NOT NULL,
    round      int  NOT NULL,
    opened_at  timestamptz NOT NULL,
    quorum     int  NOT NULL,
    outcome    text NOT NULL DEFAULT '',
    decided_at timestamptz,
    PRIMARY KEY (subject_id, round)
);

CREATE TABLE carriers (
    id                uuid PRIMARY KEY,
    need_id           uuid NOT NULL REFERENCES needs (id),
    organisation      text NOT NULL,
    contact           text NOT NULL,
    motivation        text NOT NULL,
    proposed_by       uuid NOT NULL,
    proposed_by_name  text NOT NULL,
    proposed_at       timestamptz NOT NULL,
    chosen            boolean NOT NULL DEFAULT false
);
CREATE INDEX carriers_need_idx ON carriers (need_id, proposed_at);

CREATE TABLE supports (
    need_id          uuid NOT NULL REFERENCES needs (id),
    organisation_key text NOT NULL,
    organisation     text NOT NULL,
    user_id          uuid NOT NULL,
    at               timestamptz NOT NULL,
    PRIMARY KEY (need_id, organisation_key)
);
