-- The steering committee's member institutions (api.md "Committee:
-- institutions, sessions, minutes"): each account belongs to at most one;
-- from this change on, a ballot counts one voice per institution.
CREATE TABLE institutions (
    slug       text PRIMARY KEY CHECK (slug ~ '^[a-z][a-z0-9_]{1,39}$'),
    name       text NOT NULL,
    position   int  NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE institution_members (
    user_id          uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    institution_slug text NOT NULL REFERENCES institutions (slug) ON DELETE CASCADE,
    added_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX institution_members_slug_idx ON institution_members (institution_slug);

-- The seed's five (the plan's steering committee).
INSERT INTO institutions (slug, name, position) VALUES
    ('region', 'Région Bourgogne-Franche-Comté', 1),
    ('state',  'État', 2),
    ('fca',    'France Active Franche-Comté', 3),
    ('cress',  'CRESS Bourgogne-Franche-Comté', 4),
    ('cdc',    'Caisse des dépôts (Banque des Territoires)', 5);

-- The read model knows a ballot's rule (its quorum counts institutions from
-- rule 2 on) and the institution each vote spoke for.
ALTER TABLE ballots ADD COLUMN rule int NOT NULL DEFAULT 0;
ALTER TABLE votes ADD COLUMN institution text NOT NULL DEFAULT '';

-- The committee's figures (indicators): decisions taken within a period.
CREATE INDEX ballots_decided_idx ON ballots (decided_at, subject) WHERE decided_at IS NOT NULL;
