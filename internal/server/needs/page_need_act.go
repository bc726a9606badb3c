package needs

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
)

// needAction carries out one action from its form on the project's page,
// through the same service as the API. A refusal shows the page again with
// the form open and each message beside its field.
func (s *Handlers) needAction(c *fiber.Ctx) error {
	a := domain.Action(c.FormValue("action"))
	names, known := actionFields(a)
	if !known {
		fe := domain.FieldErrors{}
		fe.Add("action", "field.unknown_action")
		return fe.Err()
	}
	f := kit.PostedForm(c, string(a)+"-", names...)
	in, fe := actionInput(a, f)
	var err error
	if len(fe) == 0 {
		u, _ := kit.UserOf(c)
		_, err = s.needs.Act(c.UserContext(), u.Caller(), c.Params("id"), in, "web:"+f.Key)
	} else {
		err = fe.Err()
	}
	if err == nil {
		s.Flash(c, "web.flash.action."+string(a))
		return c.Redirect(kit.PageURL("need", c.Params("id"))+"#historique", fiber.StatusSeeOther)
	}
	if domain.IsCode(err, domain.CodeNotFound) {
		return kit.NotFoundNeed(err)
	}
	page, perr := s.needPage(c, c.Params("id"))
	if perr != nil {
		return perr
	}
	status, ok := f.Fail(kit.LangOf(c), err)
	if !ok {
		return err
	}
	page.Failed = true
	shown := false
	for i := range page.Actions {
		if page.Actions[i].Action == a {
			page.Actions[i].Form, page.Actions[i].Open, shown = f, true, true
		}
	}
	if a == domain.ActionDeclineCarrier {
		id, _ := domain.ParseID(f.Value("carrier_id"))
		for i := range page.LiveCarriers {
			if c := &page.LiveCarriers[i]; c.ID == id && c.Decline != nil {
				f.Prefix = c.Decline.Prefix
				c.Decline, c.Open, shown = f, true, true
			}
		}
	}
	if !shown { // the action is no longer offered (another person moved the project)
		page.Alert = f.Alert
		if page.Alert == "" && a == domain.ActionDeclineCarrier { // declined or chosen meanwhile
			page.Alert = f.Errors["carrier_id"]
		}
		if page.Alert == "" {
			page.Alert = i18n.M(kit.LangOf(c), domain.StageConflict(page.Need.Stage).Message)
		}
	}
	return s.Render(c, status, "need", page)
}

// declineForm is the form that declines the proposal id, its field ids
// unique on the page.
func declineForm(id string) *kit.Form {
	names, _ := actionFields(domain.ActionDeclineCarrier)
	f := kit.NewForm("decline-"+id+"-", names...)
	f.Set("carrier_id", id)
	return f
}

// actionInput reads an action's form; a number or list that cannot be read
// is reported like any other mistake.
func actionInput(a domain.Action, f *kit.Form) (domain.NeedInput, domain.FieldErrors) {
	in := domain.NeedInput{Action: a, Comment: f.Value("comment"), Reason: f.Value("reason"), Into: f.Value("into"),
		DueDate: f.Value("due_date"), Recommendation: f.Value("recommendation"), Summary: f.Value("summary"),
		Decision: domain.Decision(f.Value("decision")), Organisation: f.Value("organisation"), Contact: f.Value("contact"),
		Motivation: f.Value("motivation"), CarrierID: f.Value("carrier_id"), StartDate: f.Value("start_date"), EndDate: f.Value("end_date"),
		OfficerID: f.Value("officer_id"), OrganisationID: f.Value("organisation_id"), Message: f.Value("message")}
	fe := domain.FieldErrors{}
	// An unticked choice reads better as "required" than as a list of slugs.
	if a == domain.ActionVote && in.Decision == "" {
		fe.Add("decision", "field.required")
	}
	if a == domain.ActionSubmitStudy && in.Recommendation == "" {
		fe.Add("recommendation", "field.required")
	}
	for _, t := range f.Values["territories"] {
		if t = strings.TrimSpace(t); t != "" {
			in.Territories = append(in.Territories, t)
		}
	}
	if v := strings.TrimSpace(f.Value("budget_eur")); v != "" {
		if amount, ok := kit.ParseAmount(v); ok {
			in.BudgetEUR = &amount
		} else if kit.NonFinite(v) {
			fe.Add("budget_eur", "field.number")
		} else {
			fe.Add("budget_eur", "field.type", "@type.number")
		}
	}
	followUpInput(a, f, &in, fe)
	return in, fe
}

// supportNeedPage records the signed-in actor's organisation's support.
func (s *Handlers) supportNeedPage(c *fiber.Ctx) error {
	u, _ := kit.UserOf(c)
	key := strings.TrimSpace(c.FormValue("_key"))
	if len(key) > 64 {
		key = ""
	}
	if key != "" {
		key = "web:" + key
	}
	_, err := s.needs.Act(c.UserContext(), u.Caller(), c.Params("id"), domain.NeedInput{Action: domain.ActionSupport}, key)
	if err == nil {
		s.Flash(c, "web.flash.supported")
		return c.Redirect(kit.PageURL("need", c.Params("id")), fiber.StatusSeeOther)
	}
	if domain.IsCode(err, domain.CodeNotFound) {
		return kit.NotFoundNeed(err)
	}
	f := kit.NewForm("")
	status, ok := f.Fail(kit.LangOf(c), err)
	if !ok {
		return err
	}
	page, perr := s.needPage(c, c.Params("id"))
	if perr != nil {
		return perr
	}
	page.Alert = f.Alert
	return s.Render(c, status, "need", page)
}
