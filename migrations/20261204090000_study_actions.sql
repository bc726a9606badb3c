-- Fonds de confiance: one row per study-action (the workflow's projection),
-- its monthly reports apart (one per month, never doubled). Its events,
-- ballots and votes live in the shared audit trail and committee tables.
CREATE TABLE study_actions (
    id                uuid PRIMARY KEY,
    host_company      text NOT NULL,
    host_siret        text NOT NULL DEFAULT '',
    project_title     text NOT NULL,
    summary           text NOT NULL,
    sponsor           text NOT NULL,
    duration_months   int  NOT NULL,
    months            int  NOT NULL,
    financing         jsonb NOT NULL,
    pending_financing jsonb,
    region_eur        numeric(14, 2) NOT NULL,
    cdc_eur           numeric(14, 2) NOT NULL,
    private_eur       numeric(14, 2) NOT NULL,
    need_id           uuid,
    stage             text NOT NULL,
    stage_entered_at  timestamptz NOT NULL,
    applicant_id      uuid NOT NULL,
    applicant_name    text NOT NULL,
    organisation      text NOT NULL DEFAULT '',
    officer_id        uuid,
    officer_name      text,
    appraisal         jsonb,
    carrier_name      text,
    start_date        date,
    end_date          date,
    approved_at       timestamptz,
    conclusion        jsonb,
    jobs_created      numeric(10, 2),
    concluded_at      timestamptz,
    next_deadline     timestamptz,
    report_due        timestamptz,
    version           bigint NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('essor_fr', project_title || ' ' || host_company), 'A') ||
        setweight(to_tsvector('essor_fr', summary), 'B')) STORED
);
CREATE INDEX study_actions_recent_idx ON study_actions (created_at DESC, id DESC);
CREATE INDEX study_actions_stage_idx ON study_actions (stage, created_at DESC, id DESC);
CREATE INDEX study_actions_applicant_idx ON study_actions (applicant_id, created_at DESC);
CREATE INDEX study_actions_need_idx ON study_actions (need_id) WHERE need_id IS NOT NULL;
CREATE INDEX study_actions_report_due_idx ON study_actions (report_due, id) WHERE report_due IS NOT NULL;
CREATE INDEX study_actions_search_idx ON study_actions USING gin (search);
CREATE INDEX study_actions_approved_idx ON study_actions (approved_at) WHERE approved_at IS NOT NULL;
CREATE INDEX study_actions_concluded_idx ON study_actions (concluded_at) WHERE concluded_at IS NOT NULL;

CREATE TABLE study_reports (
    study_action_id uuid NOT NULL REFERENCES study_actions (id),
    month           int  NOT NULL,
    text            text NOT NULL,
    by_id           uuid,
    by_name         text NOT NULL,
    at              timestamptz NOT NULL,
    PRIMARY KEY (study_action_id, month)
);
CREATE INDEX study_reports_by_idx ON study_reports (by_id) WHERE by_id IS NOT NULL;
