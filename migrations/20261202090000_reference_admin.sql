-- Reference data managed by admins (issue 7): territories get a parent
-- (an employment zone belongs to a département), themes and territories can
-- be retired (kept on old records, refused for new ones), and the kind
-- 'department' takes the contract's spelling 'departement'.

ALTER TABLE territories DROP CONSTRAINT territories_kind_check;
UPDATE territories SET kind = 'departement' WHERE kind = 'department';
-- 'other' stays allowed for rows added by hand before this change; the API
-- creates only the three kinds of the contract.
ALTER TABLE territories ADD CONSTRAINT territories_kind_check
    CHECK (kind IN ('region', 'departement', 'employment_zone', 'other'));

ALTER TABLE territories
    ADD COLUMN parent_code text REFERENCES territories (code),
    ADD COLUMN retired_at  timestamptz,
    ADD CONSTRAINT territories_parent_not_self CHECK (parent_code <> code);
CREATE INDEX territories_parent_idx ON territories (parent_code);

ALTER TABLE themes ADD COLUMN retired_at timestamptz;

-- The seed's employment zones, each under the département of its main town
-- (the zone Belfort – Montbéliard – Héricourt spans 90, 25 and 70; Belfort,
-- its first-named town, puts it under 90). The départements have no parent:
-- the region itself is not a row.
UPDATE territories SET parent_code = '25' WHERE code IN ('ze-besancon', 'ze-morteau', 'ze-pontarlier');
UPDATE territories SET parent_code = '39' WHERE code IN ('ze-dole', 'ze-lons', 'ze-saint-claude');
UPDATE territories SET parent_code = '70' WHERE code IN ('ze-gray', 'ze-lure', 'ze-vesoul');
UPDATE territories SET parent_code = '90' WHERE code = 'ze-belfort';
