-- A Rally'nov round's own jury, as its organiser named it: [{"id": user id, "k": organisation key}].
-- Empty for a round without one (any juror scores it; its selection counts those who did).
ALTER TABLE rally_rounds ADD COLUMN jury jsonb NOT NULL DEFAULT '[]';
