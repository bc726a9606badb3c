-- Rally'nov rounds' read model, written by the round workflows. The round's
-- small parts (phases, grid, selection, stages, trophies) are JSON columns
-- of one row; entries and score sheets, which may be many, have tables of
-- their own, read a page at a time through their indexes.
CREATE TABLE rally_rounds (
    id              uuid PRIMARY KEY,
    title           text NOT NULL,
    phases          jsonb NOT NULL,
    categories      jsonb NOT NULL,
    criteria        jsonb NOT NULL,
    phase           text NOT NULL DEFAULT '',
    selection       jsonb,
    stages          jsonb NOT NULL DEFAULT '[]',
    trophies        jsonb NOT NULL DEFAULT '[]',
    archived        boolean NOT NULL DEFAULT false,
    entries         int NOT NULL DEFAULT 0,
    next_deadline   timestamptz,
    created_by      uuid,
    created_by_name text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint NOT NULL
);
CREATE INDEX rally_rounds_recent_idx ON rally_rounds (created_at DESC, id DESC);

CREATE TABLE rally_entries (
    id                uuid PRIMARY KEY,
    round_id          uuid NOT NULL REFERENCES rally_rounds (id),
    organisation      text NOT NULL,
    kind              text NOT NULL,
    title             text NOT NULL,
    description       text NOT NULL,
    category          text NOT NULL,
    submitted_by      uuid NOT NULL,
    submitted_by_name text NOT NULL,
    submitted_at      timestamptz NOT NULL
);
CREATE INDEX rally_entries_round_idx ON rally_entries (round_id, submitted_at DESC, id DESC);
CREATE INDEX rally_entries_submitter_idx ON rally_entries (submitted_by, round_id, submitted_at DESC);

-- One sheet per juror and entry; a new sheet replaces the old (seq guards
-- against a late, older write).
CREATE TABLE rally_sheets (
    entry_id   uuid NOT NULL REFERENCES rally_entries (id),
    juror_id   uuid NOT NULL,
    round_id   uuid NOT NULL,
    juror_name text NOT NULL,
    scores     jsonb NOT NULL,
    total      float8 NOT NULL,
    seq        int NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (entry_id, juror_id)
);
CREATE INDEX rally_sheets_juror_idx ON rally_sheets (juror_id, round_id);
