package studyactions

import (
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
	"essor/internal/studyaction"
)

// studyFinancingRows is how many co-financing lines the forms offer.
const studyFinancingRows = 4

var applicationFields = []string{"host_company", "host_siret", "project_title", "summary", "sponsor", "duration_months",
	"financing", "funder_kind", "funder_name", "funder_amount", "need_id"}

// figuresView is the programme's figures as the pages show them.
type figuresView struct {
	studyaction.Figures
	Stages         []stageCount
	EnterprisesPct int
	JobsPct        int
	Funders        []funderAmount
}

type stageCount struct {
	Stage domain.Stage
	Count int
}

type funderAmount struct {
	Kind   domain.FunderKind
	Amount float64
}

func toFiguresView(f studyaction.Figures) figuresView {
	v := figuresView{Figures: f}
	for _, st := range domain.StudyActionStages {
		v.Stages = append(v.Stages, stageCount{Stage: st, Count: f.ByStage[st]})
	}
	pct := func(n, of float64) int {
		if of <= 0 {
			return 0
		}
		return min(int(n/of*100+0.5), 100)
	}
	v.EnterprisesPct = pct(float64(f.Enterprises), float64(f.FundTargets.TargetEnterprises))
	v.JobsPct = pct(f.JobsCreated, f.FundTargets.TargetJobs)
	v.Funders = []funderAmount{{domain.FunderRegion, f.Committed.RegionEUR}, {domain.FunderCDC, f.Committed.CDCEUR},
		{domain.FunderPrivate, f.Committed.PrivateEUR}}
	return v
}

type studyActionListPage struct {
	kit.Layout
	Figures figuresView
	Items   []storage.StudyActionRow
	Next    string
	Q       string
	Stage   string
	Stages  []kit.Option
	Now     time.Time
}

// studyActions is the programme's public page: its figures against its
// targets and the study-actions, searchable.
func (s *Handlers) studyActions(c *fiber.Ctx) error {
	f, err := studyActionFilter(c)
	if err != nil {
		return err
	}
	f.LateFirst = false
	figures, err := s.service.Figures(c.UserContext())
	if err != nil {
		return err
	}
	rows, next, err := s.DB.StudyActions(c.UserContext(), f)
	if err != nil {
		return err
	}
	p := studyActionListPage{Layout: s.Layout(c, "studyactions", "web.study.programme"), Figures: toFiguresView(figures), Items: rows,
		Next: next, Q: f.Q, Stage: c.Query("stage"), Now: time.Now()}
	for _, st := range domain.StudyActionStages {
		p.Stages = append(p.Stages, kit.Option{Value: string(st), Label: i18n.T(kit.LangOf(c), "stage."+string(st))})
	}
	return s.Render(c, fiber.StatusOK, "studyactions", p)
}

type followUpPage struct {
	kit.Layout
	Late      []storage.StudyActionRow
	Appraisal []storage.StudyActionRow
	Next      string
	Now       time.Time
}

// studyActionFollowUp is the officers' follow-up: running studyActions with the most
// late report first, and the applications awaiting an appraisal.
func (s *Handlers) studyActionFollowUp(c *fiber.Ctx) error {
	ctx := c.UserContext()
	late, next, err := s.DB.StudyActions(ctx, storage.StudyActionFilter{LateFirst: true, Limit: 50, Cursor: kit.CursorParam(c)})
	if err != nil {
		return err
	}
	waiting, _, err := s.DB.StudyActions(ctx, storage.StudyActionFilter{Stages: []domain.Stage{domain.StageApplication}, Limit: 50})
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "studyfollowup", followUpPage{Layout: s.Layout(c, "studyactions.followup", "web.study.followup"),
		Late: late, Appraisal: waiting, Next: next, Now: time.Now()})
}

type studyActionPage struct {
	kit.Layout
	S          storage.StudyActionRow
	Plan       domain.Plan
	Pending    *domain.Plan
	Events     []kit.EventView
	Decided    []storage.BallotRow
	Open       *storage.BallotRow
	Actions    []kit.ActionView
	Decisions  []kit.Option
	Opinions   []kit.Option
	Outcomes   []kit.Option
	LegalForms []kit.Option
	Kinds      []kit.Option
	Months     []kit.Option
	Rows       []int
	Alert      string
	Now        time.Time
	Late       bool
}

func notFoundStudyAction(err error) error {
	if domain.IsCode(err, domain.CodeNotFound) {
		return domain.E(domain.CodeNotFound, "error.study_not_found")
	}
	return err
}

func (s *Handlers) studyActionView(c *fiber.Ctx) error {
	p, err := s.studyActionPage(c, c.Params("id"))
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "studyaction", p)
}

func (s *Handlers) studyActionPage(c *fiber.Ctx, id string) (studyActionPage, error) {
	ctx := c.UserContext()
	row, err := s.DB.StudyAction(ctx, id)
	if err != nil {
		return studyActionPage{}, notFoundStudyAction(err)
	}
	viewer, signedIn := kit.UserOf(c)
	lang := kit.LangOf(c)
	now := time.Now()
	p := studyActionPage{Layout: s.Layout(c, "studyactions", ""), S: row, Plan: row.Plan(), Now: now, Late: row.ReportLate(now)}
	p.Named = row.ProjectTitle
	if row.PendingFinancing != nil {
		plan := domain.PlanOf(row.PendingFinancing)
		p.Pending = &plan
	}
	if p.Events, p.Decided, p.Open, err = s.PageTrail(c, row.ID); err != nil {
		return studyActionPage{}, err
	}
	opts := func(prefix string, vals []string) []kit.Option {
		out := make([]kit.Option, 0, len(vals))
		for _, v := range vals {
			out = append(out, kit.Option{Value: v, Label: i18n.T(lang, prefix+v)})
		}
		return out
	}
	p.Decisions = opts("decision.study_action.", strs(domain.StudyActionDecisions))
	p.Opinions = opts("opinion.", domain.AppraisalOpinions)
	p.Outcomes = opts("stage.", domain.StudyOutcomes)
	p.LegalForms = opts("legal_form.", strs(domain.LegalForms))
	p.Kinds = opts("funder.", strs(domain.StudyFunderKinds))
	for m := 1; m <= row.Months; m++ {
		label := i18n.T(lang, "web.study.month_n", strconv.Itoa(m))
		if row.StartDate != nil {
			start := domain.DayOf(*row.StartDate).AddMonths(m - 1)
			label = i18n.T(lang, "web.study.month_from", strconv.Itoa(m), s.Pages.Date(lang, start, false))
		}
		if !slices.ContainsFunc(row.Reports, func(r storage.StudyReportRow) bool { return r.Month == m }) {
			p.Months = append(p.Months, kit.Option{Value: strconv.Itoa(m), Label: label})
		}
	}
	for i := range studyFinancingRows {
		p.Rows = append(p.Rows, i)
	}
	if !signedIn {
		return p, nil
	}
	studyActionsFor(viewer.Caller(), row, &p)
	return p, nil
}

// studyActionsFor adds the form of each action the caller may take on the
// study-action now (the domain's own Authorize says so; votes are cast on
// the committee's page).
func studyActionsFor(caller domain.Caller, row storage.StudyActionRow, p *studyActionPage) {
	snap := studyaction.Snapshot(row)
	for _, a := range domain.StudyActionActions {
		if !caller.Has(domain.StudyActionRoles(a)...) || !domain.StudyActionAllowedFrom(a, row.Stage) {
			continue
		}
		if a == domain.ActionVote { // votes are cast on the committee's page
			continue
		}
		if snap.Authorize(domain.StudyActionCommand{StudyActionInput: domain.StudyActionInput{Action: a}, Caller: caller}) != nil {
			continue // not the host company's, for instance
		}
		if a == domain.ActionReviseFinancing && p.Pending != nil { // a change already awaits the committee
			continue
		}
		if a == domain.ActionReport && len(p.Months) == 0 {
			continue
		}
		f := kit.NewForm(string(a)+"-", studyActionFormFields(a)...)
		if a == domain.ActionReport { // the earliest month still to report
			f.Set("month", p.Months[0].Value)
		}
		if a == domain.ActionReviseFinancing {
			var kinds, names, amounts []string
			for _, l := range row.Financing {
				kinds, names = append(kinds, string(l.Kind)), append(names, l.Funder)
				if l.AmountEUR != nil {
					amounts = append(amounts, strconv.FormatFloat(*l.AmountEUR, 'f', -1, 64))
				}
			}
			f.Set("funder_kind", kinds...)
			f.Set("funder_name", names...)
			f.Set("funder_amount", amounts...)
		}
		p.Actions = append(p.Actions, kit.ActionView{Action: a, Form: f, Danger: a == domain.ActionWithdraw})
	}
	if len(p.Actions) == 1 && !p.Actions[0].Danger {
		p.Actions[0].Open = true
	}
}
