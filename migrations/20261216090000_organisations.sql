-- The directory of the region's organisations (api.md "Organisations"): one
-- record per SIRET; accounts will belong to one.
CREATE TABLE organisations (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name         text NOT NULL,
    siret        text UNIQUE CHECK (siret ~ '^[0-9]{14}$'),
    legal_form   text NOT NULL,
    family       text NOT NULL DEFAULT 'other',
    themes       text[] NOT NULL DEFAULT '{}',
    territories  text[] NOT NULL DEFAULT '{}',
    commune_code text,
    website      text,
    email        text,
    verified     boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    search tsvector GENERATED ALWAYS AS (to_tsvector('essor_fr', name)) STORED
);
CREATE INDEX organisations_search_idx ON organisations USING gin (search);
CREATE INDEX organisations_themes_idx ON organisations USING gin (themes);
CREATE INDEX organisations_territories_idx ON organisations USING gin (territories);
-- The directory's order: by name, then id (keyset pages).
CREATE INDEX organisations_name_idx ON organisations (lower(name), id);

ALTER TABLE users ADD COLUMN organisation_id uuid REFERENCES organisations (id) ON DELETE SET NULL;
