package server

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
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

type studyListPage struct {
	layout
	Figures figuresView
	Items   []storage.StudyActionRow
	Next    string
	Q       string
	Stage   string
	Stages  []option
	Now     time.Time
}

// studyActions is the programme's public page: its figures against its
// targets and the study-actions, searchable.
func (s *Server) studyActions(c *fiber.Ctx) error {
	f, err := studyActionFilter(c)
	if err != nil {
		return err
	}
	f.LateFirst = false
	figures, err := s.studies.Figures(c.UserContext())
	if err != nil {
		return err
	}
	rows, next, err := s.db.StudyActions(c.UserContext(), f)
	if err != nil {
		return err
	}
	p := studyListPage{layout: s.layout(c, "fund", "web.study.programme"), Figures: toFiguresView(figures), Items: rows,
		Next: next, Q: f.Q, Stage: c.Query("stage"), Now: time.Now()}
	for _, st := range domain.StudyActionStages {
		p.Stages = append(p.Stages, option{Value: string(st), Label: i18n.T(langOf(c), "stage."+string(st))})
	}
	return s.render(c, fiber.StatusOK, "studyactions", p)
}

type followUpPage struct {
	layout
	Late      []storage.StudyActionRow
	Appraisal []storage.StudyActionRow
	Next      string
	Now       time.Time
}

// studyFollowUp is the officers' follow-up: running studies with the most
// late report first, and the applications awaiting an appraisal.
func (s *Server) studyFollowUp(c *fiber.Ctx) error {
	ctx := c.UserContext()
	late, next, err := s.db.StudyActions(ctx, storage.StudyActionFilter{LateFirst: true, Limit: 50, Cursor: cursorParam(c)})
	if err != nil {
		return err
	}
	waiting, _, err := s.db.StudyActions(ctx, storage.StudyActionFilter{Stages: []domain.Stage{domain.StageApplication}, Limit: 50})
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "studyfollowup", followUpPage{layout: s.layout(c, "fund.followup", "web.study.followup"),
		Late: late, Appraisal: waiting, Next: next, Now: time.Now()})
}

type applicationPage struct {
	layout
	Form      *form
	Rows      []int
	Kinds     []option
	Durations []option
}

func (s *Server) applicationPage(c *fiber.Ctx, f *form) applicationPage {
	p := applicationPage{layout: s.layout(c, "fund.apply", "web.study.apply"), Form: f}
	for i := range studyFinancingRows {
		p.Rows = append(p.Rows, i)
	}
	for _, k := range domain.StudyFunderKinds {
		p.Kinds = append(p.Kinds, option{Value: string(k), Label: i18n.T(langOf(c), "funder."+string(k))})
	}
	for m := domain.MinStudyMonths; m <= domain.MaxStudyMonths; m++ {
		p.Durations = append(p.Durations, option{Value: strconv.Itoa(m), Label: i18n.T(langOf(c), "web.study.months", strconv.Itoa(m))})
	}
	return p
}

// applyForm shows the host company's application form; ?besoin= links it to a need.
func (s *Server) applyForm(c *fiber.Ctx) error {
	f := newForm("", applicationFields...)
	u, _ := userOf(c)
	f.Set("host_company", u.Organisation)
	f.Set("funder_kind", "region", "cdc", "private")
	if id, ok := domain.ParseID(c.Query("besoin")); ok {
		f.Set("need_id", id)
	}
	return s.render(c, fiber.StatusOK, "studyaction_new", s.applicationPage(c, f))
}

// apply records an application from the form, through the same service as the API.
func (s *Server) apply(c *fiber.Ctx) error {
	f := postedForm(c, "", applicationFields...)
	app := domain.Application{HostCompany: f.Value("host_company"), HostSIRET: f.Value("host_siret"),
		ProjectTitle: f.Value("project_title"), Summary: f.Value("summary"), Sponsor: f.Value("sponsor"),
		NeedID: f.Value("need_id")}
	fe := domain.FieldErrors{}
	if v := strings.TrimSpace(f.Value("duration_months")); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			app.DurationMonths = n
		} else {
			fe.Add("duration_months", "field.type", "@type.integer")
		}
	}
	app.Financing = financingRows(f, fe)
	err := app.Validate()
	if de, ok := domain.As(err); ok { // a number that could not be read says so, not "required"
		for k, m := range fe {
			de.Fields[k] = m
		}
	} else if len(fe) > 0 {
		err = fe.Err()
	}
	if err == nil {
		u, _ := userOf(c)
		var row storage.StudyActionRow
		row, err = s.studies.Apply(c.UserContext(), u.Caller(), app, "web:"+f.Key)
		if err == nil {
			s.flash(c, "web.flash.study_applied")
			return c.Redirect(pageURL("study", row.ID), fiber.StatusSeeOther)
		}
	}
	status, ok := f.fail(langOf(c), err)
	if !ok {
		return err
	}
	p := s.applicationPage(c, f)
	p.Failed = true
	return s.render(c, status, "studyaction_new", p)
}

// financingRows reads the co-financing lines of a form; a row left empty is
// skipped, an amount that is not a number is a mistake on "financing".
func financingRows(f *form, fe domain.FieldErrors) []domain.Financing {
	var out []domain.Financing
	kinds, names, amounts := f.Values["funder_kind"], f.Values["funder_name"], f.Values["funder_amount"]
	for i := range max(len(kinds), len(names), len(amounts)) {
		at := func(vals []string) string {
			if i < len(vals) {
				return strings.TrimSpace(vals[i])
			}
			return ""
		}
		name, amount := at(names), at(amounts)
		if name == "" && amount == "" {
			continue
		}
		line := domain.Financing{Funder: name, Kind: domain.FunderKind(at(kinds))}
		if amount != "" {
			if v, ok := parseAmount(amount); ok {
				line.AmountEUR = &v
			} else {
				fe.Add("financing", "field.row.type", strconv.Itoa(len(out)+1), "@field.amount_eur", "@type.number")
			}
		}
		out = append(out, line)
	}
	return out
}

type studyPage struct {
	layout
	S          storage.StudyActionRow
	Plan       domain.Plan
	Pending    *domain.Plan
	Events     []eventView
	Decided    []storage.BallotRow
	Open       *storage.BallotRow
	Actions    []actionView
	Decisions  []option
	Opinions   []option
	Outcomes   []option
	LegalForms []option
	Kinds      []option
	Months     []option
	Rows       []int
	Alert      string
	Now        time.Time
	Late       bool
}

func notFoundStudy(err error) error {
	if domain.IsCode(err, domain.CodeNotFound) {
		return domain.E(domain.CodeNotFound, "error.study_not_found")
	}
	return err
}

func (s *Server) studyView(c *fiber.Ctx) error {
	p, err := s.studyPage(c, c.Params("id"))
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "studyaction", p)
}

func (s *Server) studyPage(c *fiber.Ctx, id string) (studyPage, error) {
	ctx := c.UserContext()
	row, err := s.db.StudyAction(ctx, id)
	if err != nil {
		return studyPage{}, notFoundStudy(err)
	}
	events, err := s.db.Events(ctx, row.ID)
	if err != nil {
		return studyPage{}, err
	}
	ballots, err := s.db.Ballots(ctx, row.ID)
	if err != nil {
		return studyPage{}, err
	}
	viewer, signedIn := userOf(c)
	events = visibleTrail(events, ballots, viewer)
	lang := langOf(c)
	now := time.Now()
	p := studyPage{layout: s.layout(c, "fund", ""), S: row, Plan: row.Plan(), Now: now, Late: row.ReportLate(now)}
	p.Named = row.ProjectTitle
	if row.PendingFinancing != nil {
		plan := domain.PlanOf(row.PendingFinancing)
		p.Pending = &plan
	}
	for _, e := range events {
		p.Events = append(p.Events, eventView{EventRow: e, System: e.ActorID == nil, Kind: e.Data["kind"],
			Moved: e.FromStage != "" && e.FromStage != e.ToStage})
	}
	for i := range ballots {
		if ballots[i].Outcome != "" {
			p.Decided = append(p.Decided, ballots[i])
		} else {
			p.Open = &ballots[i]
		}
	}
	opts := func(prefix string, vals []string) []option {
		out := make([]option, 0, len(vals))
		for _, v := range vals {
			out = append(out, option{Value: v, Label: i18n.T(lang, prefix+v)})
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
			label = i18n.T(lang, "web.study.month_from", strconv.Itoa(m), s.pages.date(lang, start, false))
		}
		if !slices.ContainsFunc(row.Reports, func(r storage.StudyReportRow) bool { return r.Month == m }) {
			p.Months = append(p.Months, option{Value: strconv.Itoa(m), Label: label})
		}
	}
	for i := range studyFinancingRows {
		p.Rows = append(p.Rows, i)
	}
	if !signedIn {
		return p, nil
	}
	caller := viewer.Caller()
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
		f := newForm(string(a)+"-", studyFormFields(a)...)
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
		p.Actions = append(p.Actions, actionView{Action: a, Form: f, Danger: a == domain.ActionWithdraw})
	}
	if len(p.Actions) == 1 && !p.Actions[0].Danger {
		p.Actions[0].Open = true
	}
	return p, nil
}

// finView is what the financing rows partial draws.
type finView struct {
	Form  *form
	Rows  []int
	Kinds []option
}

// Fin is the financing rows of an action's form.
func (p studyPage) Fin(f *form) finView { return finView{Form: f, Rows: p.Rows, Kinds: p.Kinds} }

func strs[T ~string](vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}

// studyFormFields are an action's form fields: the domain's, the financing
// plan as rows.
func studyFormFields(a domain.Action) []string {
	var names []string
	for _, f := range domain.StudyActionFields[a] {
		names = append(names, f)
		if f == "financing" {
			names = append(names, "funder_kind", "funder_name", "funder_amount")
		}
	}
	return names
}

// studyAction carries out one action from its form on the study-action's page.
func (s *Server) studyAction(c *fiber.Ctx) error {
	a := domain.Action(c.FormValue("action"))
	if domain.StudyActionRoles(a) == nil {
		fe := domain.FieldErrors{}
		fe.Add("action", "field.unknown_action")
		return fe.Err()
	}
	f := postedForm(c, string(a)+"-", studyFormFields(a)...)
	in := domain.StudyActionInput{Action: a, Comment: f.Value("comment"), Opinion: f.Value("opinion"),
		Recommendation: f.Value("recommendation"), Decision: domain.Decision(f.Value("decision")),
		CarrierName: f.Value("carrier_name"), StartDate: f.Value("start_date"), Text: f.Value("text"),
		Outcome: f.Value("outcome"), EnterpriseName: f.Value("enterprise_name"), LegalForm: domain.LegalForm(f.Value("legal_form")),
		Reason: f.Value("reason")}
	fe := domain.FieldErrors{}
	for _, n := range []struct {
		name string
		to   *int
	}{{"month", &in.Month}, {"months", &in.Months}} {
		if v := strings.TrimSpace(f.Value(n.name)); v != "" {
			if x, err := strconv.Atoi(v); err == nil {
				*n.to = x
			} else {
				fe.Add(n.name, "field.type", "@type.integer")
			}
		}
	}
	if v := strings.TrimSpace(f.Value("jobs_created")); v != "" {
		if x, ok := parseAmount(v); ok {
			in.JobsCreated = &x
		} else {
			fe.Add("jobs_created", "field.type", "@type.number")
		}
	}
	if a == domain.ActionReviseFinancing {
		in.Financing = financingRows(f, fe)
	}
	var err error
	if len(fe) == 0 {
		u, _ := userOf(c)
		_, err = s.studies.Act(c.UserContext(), u.Caller(), c.Params("id"), in, "web:"+f.Key)
	} else {
		err = fe.Err()
	}
	if err == nil {
		s.flash(c, "web.flash.action."+string(a))
		return c.Redirect(pageURL("study", c.Params("id"))+"#historique", fiber.StatusSeeOther)
	}
	if domain.IsCode(err, domain.CodeNotFound) {
		return notFoundStudy(err)
	}
	p, perr := s.studyPage(c, c.Params("id"))
	if perr != nil {
		return perr
	}
	status, ok := f.fail(langOf(c), err)
	if !ok {
		return err
	}
	p.Failed = true
	shown := false
	for i := range p.Actions {
		if p.Actions[i].Action == a {
			p.Actions[i].Form, p.Actions[i].Open, shown = f, true, true
		}
	}
	if !shown {
		p.Alert = f.Alert
		if p.Alert == "" {
			p.Alert = i18n.M(langOf(c), domain.StageConflict(p.S.Stage).Message)
		}
	}
	return s.render(c, status, "studyaction", p)
}
