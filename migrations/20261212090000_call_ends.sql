-- A call may end without a selection: closed with no application
-- (no_applications) or by its officer, with a reason (unsuccessful).
ALTER TABLE calls ADD COLUMN end_reason text;
