-- Every subject an organisation stands behind carries its directory record
-- (api.md "Organisations"): supports, carrier proposals, call applications
-- and Rally'nov entries, as needs and study-actions already do. The free-text
-- names stay as labels; the rows whose label is exactly the name of one
-- organisation are linked here, the rest wait on the officers' page
-- /annuaire/a-relier.
ALTER TABLE supports ADD COLUMN organisation_id uuid REFERENCES organisations (id) ON DELETE SET NULL;
ALTER TABLE carriers ADD COLUMN organisation_id uuid REFERENCES organisations (id) ON DELETE SET NULL;
ALTER TABLE call_applications ADD COLUMN organisation_id uuid REFERENCES organisations (id) ON DELETE SET NULL;
ALTER TABLE rally_entries ADD COLUMN organisation_id uuid REFERENCES organisations (id) ON DELETE SET NULL;

-- An organisation's members (invitations to carry a project).
CREATE INDEX users_organisation_idx ON users (organisation_id) WHERE organisation_id IS NOT NULL;
CREATE INDEX supports_organisation_idx ON supports (organisation_id) WHERE organisation_id IS NOT NULL;
CREATE INDEX carriers_organisation_idx ON carriers (organisation_id) WHERE organisation_id IS NOT NULL;
CREATE INDEX call_applications_organisation_idx ON call_applications (organisation_id) WHERE organisation_id IS NOT NULL;
CREATE INDEX rally_entries_organisation_idx ON rally_entries (organisation_id) WHERE organisation_id IS NOT NULL;

-- The labels still to link, by label (the officers' page reads them a page
-- at a time).
CREATE INDEX users_unlinked_idx ON users (organisation) WHERE organisation_id IS NULL AND organisation <> '';
CREATE INDEX needs_unlinked_idx ON needs (organisation) WHERE organisation_id IS NULL AND organisation <> '';
CREATE INDEX study_actions_unlinked_idx ON study_actions (host_company) WHERE organisation_id IS NULL AND host_company <> '';
CREATE INDEX supports_unlinked_idx ON supports (organisation) WHERE organisation_id IS NULL AND organisation <> '';
CREATE INDEX carriers_unlinked_idx ON carriers (organisation) WHERE organisation_id IS NULL AND organisation <> '';
CREATE INDEX call_applications_unlinked_idx ON call_applications (organisation) WHERE organisation_id IS NULL AND organisation <> '';
CREATE INDEX rally_entries_unlinked_idx ON rally_entries (organisation) WHERE organisation_id IS NULL AND organisation <> '';

CREATE TEMPORARY TABLE unique_names ON COMMIT DROP AS
    SELECT name, (array_agg(id))[1] AS id FROM organisations GROUP BY name HAVING count(*) = 1;
UPDATE users u SET organisation_id = o.id FROM unique_names o WHERE u.organisation_id IS NULL AND u.organisation = o.name;
UPDATE needs n SET organisation_id = o.id FROM unique_names o WHERE n.organisation_id IS NULL AND n.organisation = o.name;
UPDATE study_actions s SET organisation_id = o.id FROM unique_names o WHERE s.organisation_id IS NULL AND s.host_company = o.name;
UPDATE supports s SET organisation_id = o.id FROM unique_names o WHERE s.organisation_id IS NULL AND s.organisation = o.name;
UPDATE carriers c SET organisation_id = o.id FROM unique_names o WHERE c.organisation_id IS NULL AND c.organisation = o.name;
UPDATE call_applications a SET organisation_id = o.id FROM unique_names o WHERE a.organisation_id IS NULL AND a.organisation = o.name;
UPDATE rally_entries e SET organisation_id = o.id FROM unique_names o WHERE e.organisation_id IS NULL AND e.organisation = o.name;
CREATE INDEX organisations_commune_idx ON organisations (commune_code) WHERE commune_code IS NOT NULL;
CREATE INDEX organisations_name_trgm_idx ON organisations USING gin (lower(name) gin_trgm_ops);
