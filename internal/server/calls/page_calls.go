package calls

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/calls"
	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

var callDraftFields = []string{"title", "description", "opens_at", "closes_at", "need_ids"}

type callListPage struct {
	kit.Layout
	Open  []storage.CallRow
	Items []storage.CallRow
	Next  string
}

// callsList is the public page of calls for projects: the open ones first,
// closing soonest first, then every call, newest first.
func (s *Handlers) callsList(c *fiber.Ctx) error {
	f, err := callFilter(c)
	if err != nil {
		return err
	}
	open, err := s.DB.OpenCalls(c.UserContext(), 50)
	if err != nil {
		return err
	}
	rows, next, err := s.DB.Calls(c.UserContext(), f)
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "calls", callListPage{Layout: s.Layout(c, "calls", "web.call.programme"),
		Open: open, Items: rows, Next: next})
}

type callNewPage struct {
	kit.Layout
	Form *kit.Form
}

// callForm shows the officer's form to open a call.
func (s *Handlers) callForm(c *fiber.Ctx) error {
	f := kit.NewForm("call-", callDraftFields...)
	if id, ok := domain.ParseID(c.Query("besoin")); ok {
		f.Set("need_ids", id)
	}
	return s.Render(c, fiber.StatusOK, "call_new", callNewPage{Layout: s.Layout(c, "calls", "web.call.new"), Form: f})
}

// createCallPage opens a call from the form, through the same service as the API.
func (s *Handlers) createCallPage(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "call-", callDraftFields...)
	d := domain.CallDraft{Title: f.Value("title"), Description: f.Value("description"), OpensAt: f.Value("opens_at"),
		ClosesAt: f.Value("closes_at"), NeedIDs: strings.FieldsFunc(f.Value("need_ids"), func(r rune) bool {
			return r == '\n' || r == ',' || r == ' ' || r == ';' || r == '\t'
		})}
	u, _ := kit.UserOf(c)
	row, err := s.calls.Create(c.UserContext(), u.Caller(), d, "web:"+f.Key)
	if err == nil {
		s.Flash(c, "web.flash.call_created")
		return c.Redirect(kit.PageURL("call", row.ID), fiber.StatusSeeOther)
	}
	status, ok := f.Fail(kit.LangOf(c), err)
	if !ok {
		return err
	}
	p := callNewPage{Layout: s.Layout(c, "calls", "web.call.new"), Form: f}
	p.Failed = true
	return s.Render(c, status, "call_new", p)
}

type callPage struct {
	kit.Layout
	kit.RefLabels
	C            storage.CallRow
	Events       []kit.EventView
	Decided      []storage.BallotRow
	Open         *storage.BallotRow
	Applications []storage.CallApplicationRow
	Mine         bool // the applications shown are the viewer's organisation's
	ShowApps     bool
	Next         string
	Apply        *kit.Form
	Propose      *kit.Form
	Close        *kit.Form    // close_unsuccessful
	Applied      []kit.Option // the territories that applied, for the proposal
	Alert        string
}

// Name is a territory's name, its code when unknown.
func (p callPage) Name(code string) string {
	if n, ok := p.TerritoryNames[code]; ok {
		return n
	}
	return code
}

func notFoundCall(err error) error {
	if domain.IsCode(err, domain.CodeNotFound) || err == storage.ErrNotFound {
		return domain.E(domain.CodeNotFound, "error.call_not_found")
	}
	return err
}

func (s *Handlers) callView(c *fiber.Ctx) error {
	p, err := s.callPage(c, c.Params("id"))
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "call", p)
}

func (s *Handlers) callPage(c *fiber.Ctx, id string) (callPage, error) {
	ctx := c.UserContext()
	row, err := s.DB.Call(ctx, id)
	if err != nil {
		return callPage{}, notFoundCall(err)
	}
	ref, err := s.RefLabels(c)
	if err != nil {
		return callPage{}, err
	}
	p := callPage{Layout: s.Layout(c, "calls", ""), RefLabels: ref, C: row}
	p.Named = row.Title
	if p.Events, p.Decided, p.Open, err = s.PageTrail(c, row.ID); err != nil {
		return callPage{}, err
	}
	viewer, signedIn := kit.UserOf(c)
	if !signedIn {
		return p, nil
	}
	caller := viewer.Caller()
	if caller.Has(domain.RoleOfficer, domain.RoleCommittee, domain.RoleActor) {
		_, apps, next, err := s.calls.Applications(ctx, caller, row.ID, storage.CallApplicationFilter{Limit: 50, Cursor: kit.CursorParam(c)})
		if err != nil {
			return callPage{}, err
		}
		p.Applications, p.Next, p.ShowApps = apps, next, true
		p.Mine = !caller.Has(domain.RoleOfficer, domain.RoleCommittee)
	}
	snap := calls.Snapshot(row)
	may := func(a domain.Action) bool {
		return caller.Has(domain.CallRoles(a)...) && domain.CallAllowedFrom(a, row.Stage) &&
			snap.Authorize(domain.CallCommand{CallInput: domain.CallInput{Action: a}, Caller: caller}, time.Now()) == nil
	}
	if may(domain.ActionApply) {
		p.Apply = kit.NewForm("apply-", domain.CallFields[domain.ActionApply]...)
	}
	if may(domain.ActionPropose) {
		p.Propose = kit.NewForm("propose-", domain.CallFields[domain.ActionPropose]...)
		applicants, err := s.DB.CallApplicants(ctx, row.ID)
		if err != nil {
			return callPage{}, err
		}
		snap.Applications = applicants
		for _, code := range snap.Territories() {
			p.Applied = append(p.Applied, kit.Option{Value: code, Label: p.Name(code)})
		}
		if row.Proposal != nil {
			p.Propose.Set("territory_codes", row.Proposal.TerritoryCodes...)
		}
	}
	if may(domain.ActionCloseUnsuccessful) {
		p.Close = kit.NewForm("close-", domain.CallFields[domain.ActionCloseUnsuccessful]...)
	}
	return p, nil
}

// callApply records an actor's application from the call's page.
func (s *Handlers) callApply(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "apply-", domain.CallFields[domain.ActionApply]...)
	in := domain.CallInput{Action: domain.ActionApply, TerritoryCode: f.Value("territory_code"), Motivation: f.Value("motivation")}
	return s.callActPage(c, f, in, "web.flash.call_applied", func(p *callPage) *kit.Form { return p.Apply }, func(p *callPage) { p.Apply = f })
}

// callPropose puts the officer's selection to the committee from the call's page.
func (s *Handlers) callPropose(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "propose-", domain.CallFields[domain.ActionPropose]...)
	in := domain.CallInput{Action: domain.ActionPropose, TerritoryCodes: f.Values["territory_codes"], Comment: f.Value("comment")}
	return s.callActPage(c, f, in, "web.flash.call_proposed", func(p *callPage) *kit.Form { return p.Propose }, func(p *callPage) { p.Propose = f })
}

// callCloseUnsuccessful ends a closed call without a selection, from its page.
func (s *Handlers) callCloseUnsuccessful(c *fiber.Ctx) error {
	f := kit.PostedForm(c, "close-", domain.CallFields[domain.ActionCloseUnsuccessful]...)
	in := domain.CallInput{Action: domain.ActionCloseUnsuccessful, Reason: f.Value("reason"), Comment: f.Value("comment")}
	return s.callActPage(c, f, in, "web.flash.call_closed", func(p *callPage) *kit.Form { return p.Close }, func(p *callPage) { p.Close = f })
}

// callActPage carries out an action from a form of the call's page; a
// refusal shows the page again with the form's messages, or an alert when
// the form is no longer offered (the call closed meanwhile).
func (s *Handlers) callActPage(c *fiber.Ctx, f *kit.Form, in domain.CallInput, flash string,
	offered func(*callPage) *kit.Form, put func(*callPage)) error {
	u, _ := kit.UserOf(c)
	_, err := s.calls.Act(c.UserContext(), u.Caller(), c.Params("id"), in, "web:"+f.Key)
	if err == nil {
		s.Flash(c, flash)
		return c.Redirect(kit.PageURL("call", c.Params("id"))+"#historique", fiber.StatusSeeOther)
	}
	if domain.IsCode(err, domain.CodeNotFound) {
		return notFoundCall(err)
	}
	status, ok := f.Fail(kit.LangOf(c), err)
	if !ok {
		return err
	}
	p, perr := s.callPage(c, c.Params("id"))
	if perr != nil {
		return perr
	}
	p.Failed = true
	if offered(&p) != nil {
		put(&p)
	} else {
		p.Alert = f.Alert
		if p.Alert == "" {
			p.Alert = i18n.M(kit.LangOf(c), domain.StageConflict(p.C.Stage).Message)
		}
	}
	return s.Render(c, status, "call", p)
}
