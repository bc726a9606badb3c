package studyactions

import (
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
	"essor/internal/studyaction"
)

// studyActionJSON is a study-action as the API shows it (api.md,
// "Trust-fund study-actions").
type studyActionJSON struct {
	ID               string             `json:"id"`
	HostCompany      string             `json:"host_company"`
	HostSIRET        string             `json:"host_siret"`
	ProjectTitle     string             `json:"project_title"`
	Summary          string             `json:"summary"`
	Sponsor          string             `json:"sponsor"`
	DurationMonths   int                `json:"duration_months"`
	Months           int                `json:"months"`
	Financing        []domain.Financing `json:"financing"`
	PendingFinancing []domain.Financing `json:"pending_financing"`
	TotalEUR         float64            `json:"total_eur"`
	Leverage         *float64           `json:"leverage"`
	NeedID           *string            `json:"need_id"`
	Stage            domain.Stage       `json:"stage"`
	StageEnteredAt   time.Time          `json:"stage_entered_at"`
	AppliedBy        string             `json:"applied_by"`
	AppliedByName    string             `json:"applied_by_name"`
	Officer          *domain.OfficerRef `json:"officer"`
	Appraisal        *domain.Appraisal  `json:"appraisal"`
	CarrierName      *string            `json:"carrier_name"`
	StartDate        *string            `json:"start_date"`
	EndDate          *string            `json:"end_date"`
	ApprovedAt       *time.Time         `json:"approved_at"`
	Conditions       string             `json:"conditions"`
	Reports          []studyReportJSON  `json:"reports"`
	ReportDue        *time.Time         `json:"report_due"`
	ReportLate       bool               `json:"report_late"`
	NextDeadline     *time.Time         `json:"next_deadline"`
	Conclusion       *domain.Conclusion `json:"conclusion"`
	CreatedAt        time.Time          `json:"created_at"`
	UpdatedAt        time.Time          `json:"updated_at"`
}

type studyReportJSON struct {
	Month  int       `json:"month"`
	Text   string    `json:"text"`
	ByName string    `json:"by_name"`
	At     time.Time `json:"at"`
}

func day(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := string(domain.DayOf(*t))
	return &s
}

func toStudyActionJSON(r storage.StudyActionRow, now time.Time) studyActionJSON {
	reports := make([]studyReportJSON, 0, len(r.Reports))
	for _, p := range r.Reports {
		reports = append(reports, studyReportJSON{Month: p.Month, Text: p.Text, ByName: p.ByName, At: p.At})
	}
	plan := r.Plan()
	financing := r.Financing
	if financing == nil {
		financing = []domain.Financing{}
	}
	return studyActionJSON{ID: r.ID, HostCompany: r.HostCompany, HostSIRET: r.HostSIRET, ProjectTitle: r.ProjectTitle,
		Summary: r.Summary, Sponsor: r.Sponsor, DurationMonths: r.DurationMonths, Months: r.Months,
		Financing: financing, PendingFinancing: r.PendingFinancing, TotalEUR: plan.Total(), Leverage: plan.Leverage(),
		NeedID: r.NeedID, Stage: r.Stage, StageEnteredAt: r.StageEnteredAt, AppliedBy: r.ApplicantID,
		AppliedByName: r.ApplicantName, Officer: r.Officer, Appraisal: r.Appraisal, CarrierName: r.CarrierName,
		StartDate: day(r.StartDate), EndDate: day(r.EndDate), ApprovedAt: r.ApprovedAt, Conditions: r.Conditions, Reports: reports,
		ReportDue: r.ReportDue, ReportLate: r.ReportLate(now), NextDeadline: r.NextDeadline, Conclusion: r.Conclusion,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// createStudyAction records a host company's application (actors).
func (s *Handlers) createStudyAction(c *fiber.Ctx) error {
	var in domain.Application
	if err := kit.DecodeJSON(c, &in); err != nil {
		if typed, ok := domain.As(err); ok && typed.Code == domain.CodeInvalid {
			return kit.WithFieldsOf(typed, in.Validate())
		}
		return err
	}
	u, _ := kit.UserOf(c)
	row, err := s.service.Apply(c.UserContext(), u.Caller(), in, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	c.Location("/api/v1/study-actions/" + row.ID)
	return c.Status(fiber.StatusCreated).JSON(toStudyActionJSON(row, time.Now()))
}

func (s *Handlers) getStudyAction(c *fiber.Ctx) error {
	row, err := s.DB.StudyAction(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(toStudyActionJSON(row, time.Now()))
}

// studyActionFilter reads ?stage=&q=&need=&late=true&limit=&cursor=.
func studyActionFilter(c *fiber.Ctx) (storage.StudyActionFilter, error) {
	f := storage.StudyActionFilter{Q: strings.TrimSpace(c.Query("q")), LateFirst: c.Query("late") == "true"}
	fe := domain.FieldErrors{}
	f.Limit, f.Cursor = kit.PageParams(c, fe)
	for _, st := range strings.Split(c.Query("stage"), ",") {
		if st = strings.TrimSpace(st); st == "" {
			continue
		}
		if !slices.Contains(domain.StudyActionStages, domain.Stage(st)) {
			fe.Add("stage", "field.unknown_stage")
		}
		f.Stages = append(f.Stages, domain.Stage(st))
	}
	if len([]rune(f.Q)) > 200 {
		fe.Add("q", "field.max_len", "200")
	}
	if v := strings.TrimSpace(c.Query("need")); v != "" {
		if id, ok := domain.ParseID(v); ok {
			f.NeedID = id
		} else {
			fe.Add("need", "field.uuid")
		}
	}
	return f, fe.Err()
}

func (s *Handlers) listStudyActions(c *fiber.Ctx) error {
	f, err := studyActionFilter(c)
	if err != nil {
		return err
	}
	rows, next, err := s.DB.StudyActions(c.UserContext(), f)
	if err != nil {
		return err
	}
	now := time.Now()
	out := kit.Page[studyActionJSON]{Items: make([]studyActionJSON, 0, len(rows))}
	for _, r := range rows {
		out.Items = append(out.Items, toStudyActionJSON(r, now))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(out)
}

func (s *Handlers) transitionStudyAction(c *fiber.Ctx) error {
	var in domain.StudyActionInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	row, err := s.service.Act(c.UserContext(), u.Caller(), c.Params("id"), in, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return c.JSON(toStudyActionJSON(row, time.Now()))
}

func (s *Handlers) studyActionEvents(c *fiber.Ctx) error {
	row, err := s.DB.StudyAction(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return s.AuditTrail(c, row.ID)
}

func (s *Handlers) studyActionVotes(c *fiber.Ctx) error {
	row, err := s.DB.StudyAction(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return s.BallotsOf(c, row.ID)
}

// figuresJSON is the programme's figures for its period (api.md).
type figuresJSON struct {
	Period struct {
		From domain.Date `json:"from"`
		To   domain.Date `json:"to"`
	} `json:"period"`
	ByStage            map[domain.Stage]int `json:"by_stage"`
	EnterprisesCreated int                  `json:"enterprises_created"`
	JobsCreated        float64              `json:"jobs_created"`
	Targets            struct {
		Enterprises int     `json:"enterprises"`
		Jobs        float64 `json:"jobs"`
	} `json:"targets"`
	ApprovedProjects int                `json:"approved_projects"`
	Committed        map[string]float64 `json:"committed_eur"`
	CommittedTotal   float64            `json:"committed_total_eur"`
	Leverage         *float64           `json:"leverage"`
}

func toFiguresJSON(f studyaction.Figures) figuresJSON {
	var out figuresJSON
	out.Period.From, out.Period.To = f.FundTargets.From, f.FundTargets.To
	out.ByStage = map[domain.Stage]int{}
	for _, st := range domain.StudyActionStages {
		out.ByStage[st] = f.ByStage[st]
	}
	out.EnterprisesCreated, out.JobsCreated = f.Enterprises, f.JobsCreated
	out.Targets.Enterprises, out.Targets.Jobs = f.FundTargets.TargetEnterprises, f.FundTargets.TargetJobs
	out.ApprovedProjects = f.CommittedProjects
	out.Committed = map[string]float64{string(domain.FunderRegion): f.Committed.RegionEUR,
		string(domain.FunderCDC): f.Committed.CDCEUR, string(domain.FunderPrivate): f.Committed.PrivateEUR}
	out.CommittedTotal, out.Leverage = f.Committed.Total(), f.Committed.Leverage()
	return out
}

func (s *Handlers) studyActionFigures(c *fiber.Ctx) error {
	f, err := s.service.Figures(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(toFiguresJSON(f))
}
