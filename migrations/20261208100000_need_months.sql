-- Needs counted by the month they were submitted (Paris time), territory,
-- theme and current stage, kept by statement triggers as needs are written
-- (a bulk insert costs one upsert per group, not one per need): the
-- indicators' period filters and monthly charts read these rows for whole
-- months, and the needs table only for the days at a period's two ends.
CREATE TABLE need_months (
    month          date   NOT NULL,
    territory_code text   NOT NULL,
    theme          text   NOT NULL,
    stage          text   NOT NULL,
    n              bigint NOT NULL,
    PRIMARY KEY (month, territory_code, theme, stage)
);

-- Rows are written in key order, so two writers never wait on each other crosswise.
CREATE FUNCTION essor_need_months_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO need_months (month, territory_code, theme, stage, n)
    SELECT date_trunc('month', created_at AT TIME ZONE 'Europe/Paris')::date, territory_code, theme, stage, count(*)
    FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (month, territory_code, theme, stage) DO UPDATE SET n = need_months.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE FUNCTION essor_need_months_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO need_months (month, territory_code, theme, stage, n)
    SELECT month, territory_code, theme, stage, sum(d) FROM (
        SELECT date_trunc('month', created_at AT TIME ZONE 'Europe/Paris')::date AS month, territory_code, theme, stage, -1 AS d FROM old_rows
        UNION ALL
        SELECT date_trunc('month', created_at AT TIME ZONE 'Europe/Paris')::date, territory_code, theme, stage, 1 FROM new_rows) x
    GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (month, territory_code, theme, stage) DO UPDATE SET n = need_months.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE TRIGGER needs_months_insert AFTER INSERT ON needs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION essor_need_months_insert();
CREATE TRIGGER needs_months_update AFTER UPDATE ON needs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION essor_need_months_update();

LOCK TABLE needs IN SHARE MODE;
INSERT INTO need_months (month, territory_code, theme, stage, n)
SELECT date_trunc('month', created_at AT TIME ZONE 'Europe/Paris')::date, territory_code, theme, stage, count(*)
FROM needs GROUP BY 1, 2, 3, 4;
