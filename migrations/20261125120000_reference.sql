-- Reference data: themes and territories (domain.md), and the text tools
-- behind search and duplicate detection.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- French full-text search with accents folded ("santé" finds "sante").
CREATE TEXT SEARCH CONFIGURATION essor_fr (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION essor_fr
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

-- unaccent() is only STABLE; an immutable wrapper lets indexes use it.
CREATE FUNCTION essor_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;

CREATE TABLE themes (
    slug     text PRIMARY KEY,
    label_fr text NOT NULL,
    label_en text NOT NULL,
    position int  NOT NULL DEFAULT 0
);

CREATE TABLE territories (
    code     text PRIMARY KEY,
    name     text NOT NULL,
    kind     text NOT NULL CHECK (kind IN ('region', 'department', 'employment_zone', 'other')),
    position int  NOT NULL DEFAULT 0
);

INSERT INTO themes (slug, label_fr, label_en, position) VALUES
    ('ageing',          'Vieillissement',                 'Ageing',                    1),
    ('early_childhood', 'Petite enfance',                 'Early childhood',           2),
    ('housing',         'Logement',                       'Housing',                   3),
    ('health',          'Santé',                          'Health',                    4),
    ('mobility',        'Mobilité',                       'Mobility',                  5),
    ('food',            'Alimentation, circuits courts',  'Food, short supply chains', 6),
    ('energy',          'Énergie',                        'Energy',                    7),
    ('employment',      'Emploi et insertion',            'Employment and inclusion',  8),
    ('culture',         'Culture',                        'Culture',                   9),
    ('environment',     'Environnement, recyclage',       'Environment, recycling',    10),
    ('poverty',         'Pauvreté et exclusion',          'Poverty and exclusion',     11),
    ('discrimination',  'Discriminations',                'Discrimination',            12);

INSERT INTO territories (code, name, kind, position) VALUES
    ('25', 'Doubs',                   'department', 1),
    ('39', 'Jura',                    'department', 2),
    ('70', 'Haute-Saône',             'department', 3),
    ('90', 'Territoire de Belfort',   'department', 4),
    ('ze-besancon',     'Besançon',                        'employment_zone', 10),
    ('ze-belfort',      'Belfort – Montbéliard – Héricourt', 'employment_zone', 11),
    ('ze-dole',         'Dole',                            'employment_zone', 12),
    ('ze-gray',         'Gray',                            'employment_zone', 13),
    ('ze-lons',         'Lons-le-Saunier',                 'employment_zone', 14),
    ('ze-lure',         'Lure',                            'employment_zone', 15),
    ('ze-morteau',      'Morteau',                         'employment_zone', 16),
    ('ze-pontarlier',   'Pontarlier',                      'employment_zone', 17),
    ('ze-saint-claude', 'Saint-Claude',                    'employment_zone', 18),
    ('ze-vesoul',       'Vesoul',                          'employment_zone', 19);
