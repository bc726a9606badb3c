-- The board reads, per stage, the overdue needs (longest overdue first) and
-- those waiting longest, filtered by officer, territory or theme: each
-- reads a short range of one of these indexes instead of every need of
-- the stage.
CREATE INDEX needs_stage_deadline_idx ON needs (stage, next_deadline) WHERE next_deadline IS NOT NULL;
CREATE INDEX needs_stage_waiting_idx ON needs (stage, stage_entered_at, id);
CREATE INDEX needs_officer_stage_idx ON needs (officer_id, stage, stage_entered_at) WHERE officer_id IS NOT NULL;
CREATE INDEX needs_territory_stage_idx ON needs (territory_code, stage, stage_entered_at);
CREATE INDEX needs_theme_stage_idx ON needs (theme, stage, stage_entered_at);
