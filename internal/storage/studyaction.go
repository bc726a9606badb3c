package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// StudyActionRow is a study-action as the read model holds it.
type StudyActionRow struct {
	ID               string             `db:"id"`
	HostCompany      string             `db:"host_company"`
	HostSIRET        string             `db:"host_siret"`
	ProjectTitle     string             `db:"project_title"`
	Summary          string             `db:"summary"`
	Sponsor          string             `db:"sponsor"`
	DurationMonths   int                `db:"duration_months"`
	Months           int                `db:"months"`
	Financing        []domain.Financing `db:"financing"`
	PendingFinancing []domain.Financing `db:"pending_financing"`
	RegionEUR        float64            `db:"region_eur"`
	CDCEUR           float64            `db:"cdc_eur"`
	PrivateEUR       float64            `db:"private_eur"`
	NeedID           *string            `db:"need_id"`
	NeedTitle        *string            `db:"need_title"`
	Stage            domain.Stage       `db:"stage"`
	StageEnteredAt   time.Time          `db:"stage_entered_at"`
	ApplicantID      string             `db:"applicant_id"`
	ApplicantName    string             `db:"applicant_name"`
	Organisation     string             `db:"organisation"`
	Officer          *domain.OfficerRef `db:"officer"`
	Appraisal        *domain.Appraisal  `db:"appraisal"`
	CarrierName      *string            `db:"carrier_name"`
	StartDate        *time.Time         `db:"start_date"`
	EndDate          *time.Time         `db:"end_date"`
	ApprovedAt       *time.Time         `db:"approved_at"`
	Conditions       string             `db:"conditions"` // a committee session's, with its approval
	Conclusion       *domain.Conclusion `db:"conclusion"`
	NextDeadline     *time.Time         `db:"next_deadline"`
	ReportDue        *time.Time         `db:"report_due"`
	Reports          []StudyReportRow   `db:"reports"`
	Version          int64              `db:"version"`
	CreatedAt        time.Time          `db:"created_at"`
	UpdatedAt        time.Time          `db:"updated_at"`
}

// StudyReportRow is a monthly progress report.
type StudyReportRow struct {
	Month  int       `json:"month"`
	Text   string    `json:"text"`
	ByID   *string   `json:"by_id"`
	ByName string    `json:"by_name"`
	At     time.Time `json:"at"`
}

// Plan is the financing plan in force, summed by kind of funder.
func (r StudyActionRow) Plan() domain.Plan {
	return domain.Plan{RegionEUR: r.RegionEUR, CDCEUR: r.CDCEUR, PrivateEUR: r.PrivateEUR}
}

// ReportLate tells whether a monthly report is overdue now.
func (r StudyActionRow) ReportLate(now time.Time) bool {
	return r.ReportDue != nil && now.After(*r.ReportDue)
}

const studyActionColumns = `s.id, s.host_company, s.host_siret, s.project_title, s.summary, s.sponsor,
	s.duration_months, s.months, s.financing, COALESCE(s.pending_financing, 'null') AS pending_financing,
	s.region_eur::float8 AS region_eur, s.cdc_eur::float8 AS cdc_eur, s.private_eur::float8 AS private_eur,
	s.need_id, (SELECT n.title FROM needs n WHERE n.id = s.need_id) AS need_title,
	s.stage, s.stage_entered_at, s.applicant_id, s.applicant_name, s.organisation,
	CASE WHEN s.officer_id IS NOT NULL THEN json_build_object('id', s.officer_id, 'name', s.officer_name) END AS officer,
	s.appraisal, s.carrier_name, s.start_date::timestamptz AS start_date, s.end_date::timestamptz AS end_date,
	s.approved_at, s.conclusion, s.next_deadline, s.report_due, s.version, s.created_at, s.updated_at, s.conditions`

// The reports, for one study-action's page (lists leave them out).
const studyReportsColumn = `, COALESCE((SELECT json_agg(json_build_object('month', r.month, 'text', r.text,
		'by_id', r.by_id, 'by_name', r.by_name, 'at', r.at) ORDER BY r.month)
		FROM study_reports r WHERE r.study_action_id = s.id), '[]') AS reports`

// SaveStudyAction writes a study-action's state and new events,
// idempotently (events and reports keyed, state guarded by version).
// deadlines are the current stage's, fired or not.
func (db *DB) SaveStudyAction(ctx context.Context, s *domain.StudyAction, events []domain.Event, deadlines []domain.Deadline) error {
	next, reportDue, committee := studyDeadlines(s, deadlines)
	plan := s.Plan()
	var officerID, officerName *string
	if s.Officer != nil {
		officerID, officerName = &s.Officer.ID, &s.Officer.Name
	}
	var carrier, start, end *string
	if s.Carrier != nil {
		c, st, e := s.Carrier.CarrierName, string(s.Carrier.StartDate), string(s.EndDate())
		carrier, start, end = &c, &st, &e
	}
	var approved, concluded *time.Time
	var jobs *float64
	if !s.ApprovedAt.IsZero() {
		approved = &s.ApprovedAt
	}
	if s.Conclusion != nil {
		concluded, jobs = &s.Conclusion.At, &s.Conclusion.JobsCreated
	}
	var pending any
	if s.PendingFinancing != nil {
		pending = s.PendingFinancing
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		// An erased person's name never comes back from the workflow's state:
		// names are written when a row is created, and kept as they are after.
		tag, err := tx.Exec(ctx, `INSERT INTO study_actions (id, host_company, host_siret, project_title, summary, sponsor,
				duration_months, months, financing, pending_financing, region_eur, cdc_eur, private_eur, need_id, stage,
				stage_entered_at, applicant_id, applicant_name, organisation, officer_id, officer_name, appraisal,
				carrier_name, start_date, end_date, approved_at, conclusion, jobs_created, concluded_at, next_deadline,
				report_due, version, created_at, updated_at, territory_code, organisation_id, conditions)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
				$23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34,
				(SELECT n.territory_code FROM needs n WHERE n.id = $14::uuid), $35::uuid, $36)
			ON CONFLICT (id) DO UPDATE SET months = EXCLUDED.months, financing = EXCLUDED.financing,
				pending_financing = EXCLUDED.pending_financing, region_eur = EXCLUDED.region_eur,
				cdc_eur = EXCLUDED.cdc_eur, private_eur = EXCLUDED.private_eur, stage = EXCLUDED.stage,
				stage_entered_at = EXCLUDED.stage_entered_at, officer_id = EXCLUDED.officer_id,
				officer_name = CASE WHEN study_actions.officer_id = EXCLUDED.officer_id THEN study_actions.officer_name
					ELSE EXCLUDED.officer_name END,
				appraisal = CASE WHEN study_actions.officer_id = EXCLUDED.officer_id
					AND study_actions.appraisal->>'at' = EXCLUDED.appraisal->>'at' THEN study_actions.appraisal
					ELSE EXCLUDED.appraisal END,
				carrier_name = EXCLUDED.carrier_name, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
				approved_at = EXCLUDED.approved_at, conclusion = EXCLUDED.conclusion, jobs_created = EXCLUDED.jobs_created,
				concluded_at = EXCLUDED.concluded_at, next_deadline = EXCLUDED.next_deadline,
				report_due = EXCLUDED.report_due, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
				conditions = EXCLUDED.conditions
			WHERE study_actions.version < EXCLUDED.version`,
			s.ID, s.HostCompany, s.HostSIRET, s.ProjectTitle, s.Summary, s.Sponsor, s.DurationMonths, s.Months,
			s.Financing, pending, plan.RegionEUR, plan.CDCEUR, plan.PrivateEUR, nullable(s.NeedID), s.Stage,
			s.StageEnteredAt, s.Applicant.UserID, s.Applicant.Name, s.Applicant.Organisation, officerID, officerName,
			s.Appraisal, carrier, start, end, approved, s.Conclusion, jobs, concluded, next, reportDue,
			s.Version, s.CreatedAt, s.UpdatedAt, nullable(s.Applicant.OrganisationID), s.Conditions)
		if err != nil {
			return fmt.Errorf("save study-action: %w", err)
		}
		if err := insertEvents(ctx, tx, string(domain.SubjectStudyAction), s.ID, events); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, studyActionNotices(s, events)); err != nil { // outbox.go
			return err
		}
		if err := enqueueWebhooks(ctx, tx, subjectWebhooks("study_action", s.ID, s.ProjectTitle, events)); err != nil { // webhook.go
			return err
		}
		if tag.RowsAffected() == 0 {
			return nil // an older state: its events are in, the rest is newer already
		}
		for _, r := range s.Reports {
			if _, err := tx.Exec(ctx, `INSERT INTO study_reports (study_action_id, month, text, by_id, by_name, at)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
				s.ID, r.Month, r.Text, nullable(r.ByID), r.ByName, r.At); err != nil {
				return fmt.Errorf("save report: %w", err)
			}
		}
		if len(s.Ballots) > 0 {
			b := s.Ballots[len(s.Ballots)-1]
			subj := BallotSubject{Kind: domain.SubjectStudyAction, Title: s.ProjectTitle, Open: s.Ballot() != nil}
			if subj.Open && s.Stage == domain.StageCommittee {
				subj.Deadline = committee
			}
			if err := saveBallot(ctx, tx, s.ID, subj, b); err != nil {
				return err
			}
		}
		return nil
	})
}

// studyDeadlines derives from the current stage's deadlines the next one
// still to fire, when the earliest missing report is due (fired or not: a
// late report stays late until it comes) and the committee's deadline.
func studyDeadlines(s *domain.StudyAction, all []domain.Deadline) (next, reportDue, committee *time.Time) {
	for _, d := range all {
		at := d.At
		if !slices.Contains(s.Reminded, d.Key) && (next == nil || at.Before(*next)) {
			next = &at
		}
		if d.Kind == domain.KindReportLate && (reportDue == nil || at.Before(*reportDue)) {
			reportDue = &at
		}
		if d.Kind == domain.KindCommitteeOverdue {
			committee = &at
		}
	}
	return next, reportDue, committee
}

// StudyAction returns one study-action with its reports.
func (db *DB) StudyAction(ctx context.Context, id string) (StudyActionRow, error) {
	if !domain.IsUUID(id) {
		return StudyActionRow{}, ErrNotFound
	}
	rows, _ := db.Pool.Query(ctx, "SELECT "+studyActionColumns+studyReportsColumn+" FROM study_actions s WHERE s.id = $1", id)
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[StudyActionRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return StudyActionRow{}, ErrNotFound
	}
	if err != nil {
		return StudyActionRow{}, fmt.Errorf("study-action: %w", err)
	}
	return row, nil
}

// StudyActionFilter narrows a list of study-actions.
type StudyActionFilter struct {
	Stages    []domain.Stage
	Q         string
	NeedID    string
	Applicant string
	// LateFirst orders by the earliest missing report (the officer's
	// follow-up) instead of newest first; only running studies are listed.
	LateFirst bool
	Limit     int
	Cursor    string
}

// StudyActions lists study-actions newest first (or, for the follow-up, by
// report due), with a cursor to the next page ("" at the end).
func (db *DB) StudyActions(ctx context.Context, f StudyActionFilter) ([]StudyActionRow, string, error) {
	c := newConds()
	if len(f.Stages) > 0 {
		c.add("s.stage = ANY(" + c.arg(f.Stages) + ")")
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		c.add("s.search @@ websearch_to_tsquery('essor_fr', " + c.arg(q) + ")")
	}
	if f.NeedID != "" {
		c.add("s.need_id = " + c.arg(f.NeedID) + "::uuid")
	}
	if f.Applicant != "" {
		c.add("s.applicant_id = " + c.arg(f.Applicant) + "::uuid")
	}
	order := newestFirst("s.created_at", "s.id", f.Limit)
	key := func(r StudyActionRow) (time.Time, string) { return r.CreatedAt, r.ID }
	var err error
	if f.LateFirst { // the follow-up: the earliest report due first
		c.add("s.report_due IS NOT NULL")
		order, key = oldestFirst("s.report_due", "s.id", f.Limit), func(r StudyActionRow) (time.Time, string) { return *r.ReportDue, r.ID }
		err = c.afterAsc(f.Cursor, "s.report_due", "s.id")
	} else {
		err = c.after(f.Cursor, "s.created_at", "s.id")
	}
	if err != nil {
		return nil, "", err
	}
	rows, err := db.Pool.Query(ctx, "SELECT "+studyActionColumns+", '[]'::json AS reports FROM study_actions s WHERE "+c.sql()+order, c.args...)
	if err != nil {
		return nil, "", fmt.Errorf("study-actions: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[StudyActionRow])
	if err != nil {
		return nil, "", fmt.Errorf("study-actions: %w", err)
	}
	list, next := cut(list, f.Limit, key)
	return list, next, nil
}

// StudyActionFigures are the programme's figures for a period.
type StudyActionFigures struct {
	ByStage           map[domain.Stage]int
	Enterprises       int     // enterprises created, concluded within the period
	JobsCreated       float64 // by them
	Committed         domain.Plan
	CommittedProjects int // study-actions approved within the period
}

// StudyActionFigures counts study-actions by stage (all of them: the
// pipeline now), and, for the period [from, to), the enterprises created,
// their jobs and the money committed by the approvals.
func (db *DB) StudyActionFigures(ctx context.Context, from, to time.Time, territories ...string) (StudyActionFigures, error) {
	var within []string // nil: the whole region
	if territories != nil {
		within = territories
	}
	f := StudyActionFigures{ByStage: map[domain.Stage]int{}}
	rows, err := db.Pool.Query(ctx, `SELECT stage, count(*)::int FROM study_actions
		WHERE ($1::text[] IS NULL OR territory_code = ANY($1)) GROUP BY stage`, within)
	if err != nil {
		return f, fmt.Errorf("study-action figures: %w", err)
	}
	for rows.Next() {
		var stage string
		var n int
		if err := rows.Scan(&stage, &n); err != nil {
			rows.Close()
			return f, fmt.Errorf("study-action figures: %w", err)
		}
		f.ByStage[domain.Stage(stage)] = n
	}
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("study-action figures: %w", err)
	}
	err = db.Pool.QueryRow(ctx, `SELECT
			(SELECT count(*)::int FROM study_actions WHERE concluded_at >= $1 AND concluded_at < $2 AND stage = 'enterprise_created' AND ($3::text[] IS NULL OR territory_code = ANY($3))),
			(SELECT COALESCE(sum(jobs_created), 0)::float8 FROM study_actions
				WHERE concluded_at >= $1 AND concluded_at < $2 AND stage = 'enterprise_created' AND ($3::text[] IS NULL OR territory_code = ANY($3))),
			count(*)::int, COALESCE(sum(region_eur), 0)::float8, COALESCE(sum(cdc_eur), 0)::float8,
			COALESCE(sum(private_eur), 0)::float8
		FROM study_actions WHERE approved_at >= $1 AND approved_at < $2 AND stage <> 'withdrawn'
			AND ($3::text[] IS NULL OR territory_code = ANY($3))`, from, to, within).Scan(
		&f.Enterprises, &f.JobsCreated, &f.CommittedProjects, &f.Committed.RegionEUR, &f.Committed.CDCEUR, &f.Committed.PrivateEUR)
	if err != nil {
		return f, fmt.Errorf("study-action figures: %w", err)
	}
	return f, nil
}
