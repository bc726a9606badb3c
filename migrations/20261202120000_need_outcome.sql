-- The emergence pipeline, completed: the experiment budget the committee
-- approved, the pilot's evaluation with the territories the model spreads
-- to, and the outcome recorded at `complete` (structure, jobs, funders).
-- The study's proposed budget and the pilot's indicators and measures live
-- in the existing `study` and `pilot` documents. `rules` is the version of
-- the rules the need was created under (domain.NeedRules), so that the
-- service's checks before the workflow apply the same requirements.
ALTER TABLE needs
    ADD COLUMN rules int NOT NULL DEFAULT 0,
    ADD COLUMN approved_budget_eur numeric(14, 2),
    ADD COLUMN deployment jsonb,
    ADD COLUMN outcome jsonb;
