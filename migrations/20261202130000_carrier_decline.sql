-- An officer may decline a carrier's proposal, with a reason (decline_carrier):
-- a declined proposal stays on the need, shown apart, and cannot be chosen.
ALTER TABLE carriers ADD COLUMN declined boolean NOT NULL DEFAULT false;
ALTER TABLE carriers ADD COLUMN declined_reason text NOT NULL DEFAULT '';
