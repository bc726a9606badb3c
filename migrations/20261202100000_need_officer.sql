-- The officer in charge of a need (assign, or the officer who qualified it):
-- the API's ?officer= filter, "mes dossiers" and the board's officer filter
-- read it through the index. Events that name an officer (assignments,
-- reminders) are found through theirs when that person is erased.
ALTER TABLE needs ADD COLUMN officer_id uuid;
ALTER TABLE needs ADD COLUMN officer_name text;
CREATE INDEX needs_officer_idx ON needs (officer_id, created_at DESC, id DESC) WHERE officer_id IS NOT NULL;
CREATE INDEX events_officer_idx ON events ((data->>'officer_id')) WHERE data ? 'officer_id';
