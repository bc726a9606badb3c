-- A study-action's territory is that of the need it answers (none without
-- one): kept on its row, so that the indicators of a territory count
-- study-actions through an index instead of joining every need.
ALTER TABLE study_actions ADD COLUMN territory_code text;
UPDATE study_actions s SET territory_code = n.territory_code FROM needs n WHERE n.id = s.need_id;
CREATE INDEX study_actions_territory_idx ON study_actions (territory_code, stage) WHERE territory_code IS NOT NULL;
