package studyactions

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
)

// finView is what the financing rows partial draws.
type finView struct {
	Form  *kit.Form
	Rows  []int
	Kinds []kit.Option
}

// Fin is the financing rows of an action's form.
func (p studyActionPage) Fin(f *kit.Form) finView {
	return finView{Form: f, Rows: p.Rows, Kinds: p.Kinds}
}

func strs[T ~string](vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}

// studyActionFormFields are an action's form fields: the domain's, the financing
// plan as rows.
func studyActionFormFields(a domain.Action) []string {
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
func (s *Handlers) studyAction(c *fiber.Ctx) error {
	a := domain.Action(c.FormValue("action"))
	if domain.StudyActionRoles(a) == nil {
		fe := domain.FieldErrors{}
		fe.Add("action", "field.unknown_action")
		return fe.Err()
	}
	f := kit.PostedForm(c, string(a)+"-", studyActionFormFields(a)...)
	fe := domain.FieldErrors{}
	in := studyActionInput(a, f, fe)
	var err error
	if len(fe) == 0 {
		u, _ := kit.UserOf(c)
		_, err = s.service.Act(c.UserContext(), u.Caller(), c.Params("id"), in, "web:"+f.Key)
	} else {
		err = fe.Err()
	}
	if err == nil {
		s.Flash(c, "web.flash.action."+string(a))
		return c.Redirect(kit.PageURL("studyaction", c.Params("id"))+"#historique", fiber.StatusSeeOther)
	}
	if domain.IsCode(err, domain.CodeNotFound) {
		return notFoundStudyAction(err)
	}
	return s.refusedAction(c, a, f, err)
}

// studyActionInput reads an action's form; what cannot be read goes to fe.
func studyActionInput(a domain.Action, f *kit.Form, fe domain.FieldErrors) domain.StudyActionInput {
	in := domain.StudyActionInput{Action: a, Comment: f.Value("comment"), Opinion: f.Value("opinion"),
		Recommendation: f.Value("recommendation"), Decision: domain.Decision(f.Value("decision")),
		CarrierName: f.Value("carrier_name"), StartDate: f.Value("start_date"), Text: f.Value("text"),
		Outcome: f.Value("outcome"), EnterpriseName: f.Value("enterprise_name"), LegalForm: domain.LegalForm(f.Value("legal_form")),
		Reason: f.Value("reason")}
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
		if x, ok := kit.ParseAmount(v); ok {
			in.JobsCreated = &x
		} else {
			fe.Add("jobs_created", "field.type", "@type.number")
		}
	}
	if a == domain.ActionReviseFinancing {
		in.Financing = financingRows(f, fe)
	}
	return in
}

// refusedAction shows the study-action's page again with the refused form
// open and its messages, or an alert when the action is no longer offered.
func (s *Handlers) refusedAction(c *fiber.Ctx, a domain.Action, f *kit.Form, err error) error {
	p, perr := s.studyActionPage(c, c.Params("id"))
	if perr != nil {
		return perr
	}
	status, ok := f.Fail(kit.LangOf(c), err)
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
			p.Alert = i18n.M(kit.LangOf(c), domain.StageConflict(p.S.Stage).Message)
		}
	}
	return s.Render(c, status, "studyaction", p)
}
