-- The organisation each subject stands on (api.md "Organisations"): the
-- submitting account's directory record, written when the row is created and
-- filled in for an account's older subjects when an admin links it.
ALTER TABLE needs ADD COLUMN organisation_id uuid REFERENCES organisations (id) ON DELETE SET NULL;
ALTER TABLE study_actions ADD COLUMN organisation_id uuid REFERENCES organisations (id) ON DELETE SET NULL;
CREATE INDEX needs_organisation_idx ON needs (organisation_id, created_at DESC) WHERE organisation_id IS NOT NULL;
CREATE INDEX study_actions_organisation_idx ON study_actions (organisation_id, created_at DESC) WHERE organisation_id IS NOT NULL;
