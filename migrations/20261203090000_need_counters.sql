-- Counts of needs kept as needs change (SaveNeed writes them in the same
-- transaction as the read model), so the home page, the board's columns and
-- the committee page read a handful of rows instead of counting every need.
-- One row per stage and per combination of officer, territory and theme,
-- '' standing for "any": a need adds one to each of the 8 combinations of
-- its officer (4 without one), territory and theme, so that any mix of the
-- board's filters reads its counts directly.
CREATE TABLE need_counters (
    officer_id     text   NOT NULL,
    territory_code text   NOT NULL,
    theme          text   NOT NULL,
    stage          text   NOT NULL,
    n              bigint NOT NULL,
    PRIMARY KEY (officer_id, territory_code, theme, stage)
);

-- Workers still running the older code must not write needs while the
-- counts are taken.
LOCK TABLE needs IN SHARE MODE;
INSERT INTO need_counters (officer_id, territory_code, theme, stage, n)
SELECT CASE WHEN GROUPING(officer_id) = 1 THEN '' ELSE officer_id::text END,
       CASE WHEN GROUPING(territory_code) = 1 THEN '' ELSE territory_code END,
       CASE WHEN GROUPING(theme) = 1 THEN '' ELSE theme END,
       stage, count(*)
FROM needs
GROUP BY stage, CUBE (officer_id, territory_code, theme)
HAVING GROUPING(officer_id) = 1 OR officer_id IS NOT NULL;
