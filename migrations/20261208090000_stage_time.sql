-- Time spent in each stage, kept as needs move: the indicators read a
-- handful of monthly sums instead of walking every need's audit trail. A
-- trigger on the audit trail adds, for each new stage change of a need, the
-- time since the need's previous stage change (the events' primary key makes
-- it a short index range); an event recorded twice is inserted once (ON
-- CONFLICT DO NOTHING in the saves), so it is counted once.
CREATE TABLE stage_time (
    stage          text   NOT NULL,
    territory_code text   NOT NULL,
    theme          text   NOT NULL,
    month          date   NOT NULL, -- the month the stage was left
    seconds        double precision NOT NULL,
    n              bigint NOT NULL,
    PRIMARY KEY (month, stage, territory_code, theme)
);

CREATE FUNCTION essor_stage_time() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entered timestamptz;
    terr text;
    th text;
BEGIN
    SELECT e.at INTO entered FROM events e
        WHERE e.subject_id = NEW.subject_id AND e.seq < NEW.seq AND e.to_stage <> e.from_stage
        ORDER BY e.seq DESC LIMIT 1;
    SELECT n.territory_code, n.theme INTO terr, th FROM needs n WHERE n.id = NEW.subject_id;
    IF entered IS NULL OR terr IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO stage_time (stage, territory_code, theme, month, seconds, n)
    VALUES (NEW.from_stage, terr, th, date_trunc('month', NEW.at AT TIME ZONE 'Europe/Paris')::date,
        greatest(extract(epoch FROM NEW.at - entered), 0), 1)
    ON CONFLICT (month, stage, territory_code, theme)
    DO UPDATE SET seconds = stage_time.seconds + EXCLUDED.seconds, n = stage_time.n + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER events_stage_time AFTER INSERT ON events FOR EACH ROW
    WHEN (NEW.subject = 'need' AND NEW.from_stage <> '' AND NEW.from_stage <> NEW.to_stage)
    EXECUTE FUNCTION essor_stage_time();

-- The stage changes recorded before this migration.
INSERT INTO stage_time (stage, territory_code, theme, month, seconds, n)
SELECT s.from_stage, n.territory_code, n.theme, date_trunc('month', s.at AT TIME ZONE 'Europe/Paris')::date,
    sum(greatest(extract(epoch FROM s.at - s.entered), 0)), count(*)
FROM (SELECT e.subject_id, e.from_stage, e.at,
        lag(e.at) OVER (PARTITION BY e.subject_id ORDER BY e.seq) AS entered
      FROM events e WHERE e.subject = 'need' AND (e.from_stage = '' OR e.from_stage <> e.to_stage)) s
JOIN needs n ON n.id = s.subject_id
WHERE s.from_stage <> '' AND s.entered IS NOT NULL
GROUP BY 1, 2, 3, 4;

-- Deployed projects by when they were completed (the outcomes' indicators).
CREATE INDEX needs_deployed_idx ON needs (stage_entered_at) WHERE stage = 'deployed';
