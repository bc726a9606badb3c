-- "Mes dossiers" lists an officer's running files by latest activity, then
-- the ended ones: one index per half, so that its cost stays bounded by the
-- page, not by how many files the officer ever held.
CREATE INDEX needs_officer_running_idx ON needs (officer_id, updated_at DESC, id DESC)
    WHERE officer_id IS NOT NULL AND stage NOT IN ('deployed', 'rejected', 'merged', 'abandoned');
CREATE INDEX needs_officer_ended_idx ON needs (officer_id, updated_at DESC, id DESC)
    WHERE officer_id IS NOT NULL AND stage IN ('deployed', 'rejected', 'merged', 'abandoned');
