package needs

import (
	"maps"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/discussion"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// formRows are the inputs a form shows for a field that holds a list or an
// object in the API (the rows are read back in page_outcome.go), after it.
var formRows = map[string][]string{
	"indicators": {"indicator_key", "indicator_label", "indicator_target", "indicator_unit"},
	"evaluation": {"evaluation.results", "result_key", "result_value", "evaluation.lessons", "evaluation.recommendation"},
	"structure":  {"structure.name", "structure.legal_form", "structure.siret", "structure.origin"},
	"funders":    {"funder_kind", "funder_name", "funder_amount"},
}

// actionFields are the fields of an action's form, in the order shown: the
// domain's fields for the action (domain.ActionFields, the API's names)
// with their rows; ok is false for an action no form takes.
func actionFields(a domain.Action) (names []string, ok bool) {
	fields, ok := domain.ActionFields[a]
	for _, f := range fields {
		names = append(names, f)
		names = append(names, formRows[f]...)
	}
	return names, ok
}

type stepView struct {
	Stage domain.Stage
	State string // done, current, todo
}

type needPage struct {
	kit.Layout
	kit.RefLabels
	followUpView
	Need        kit.NeedItem
	Steps       []stepView
	Stopped     bool // rejected, merged or abandoned
	Events      []kit.EventView
	Decided     []storage.BallotRow
	Open        *storage.BallotRow
	Supporters  []storage.Supporter
	CanSupport  bool
	Supported   bool
	SupportKey  string
	Alert       string
	Actions     []kit.ActionView
	Decisions   []kit.Option
	Recommend   []kit.Option
	Carriers    []kit.Option
	Duplicates  []kit.Option
	Officers    []kit.Option // who may be put in charge (assign)
	MergedTitle string
	// LiveCarriers are the proposals still open, each with the officer's
	// form to decline it; DeclinedCarriers are shown apart, with the reason.
	LiveCarriers     []carrierView
	DeclinedCarriers []storage.CarrierRow
	// Suggestions are the directory's possible carriers (officers, from the
	// committee on; page_matching.go); Invitable those not yet invited.
	ShowSuggestions bool
	Suggestions     []suggestionView
	Invitable       []kit.Option
	Suggested       []kit.Option
	// Studies are the Fonds de confiance's study-actions that answer the need.
	Studies         []storage.StudyActionRow
	CanProposeStudy bool
	// Discussion is the need's comments and the forms to take part (page_comments.go).
	Discussion *discussion.View
}

// carrierView is a live proposal and, for an officer during the carrier
// search, the form that declines it.
type carrierView struct {
	storage.CarrierRow
	Decline *kit.Form
	Open    bool
}

// Chosen is the carrier picked for the pilot.
func (p needPage) Chosen() *storage.CarrierRow {
	for i := range p.Need.Carriers {
		if p.Need.Carriers[i].Chosen {
			return &p.Need.Carriers[i]
		}
	}
	return nil
}

// DueDay is the calendar day the current deadline is about (a study's due
// date, a pilot's end), "" when the deadline is a moment (qualification,
// committee): people read "due 23 February", not the instant after it.
func (p needPage) DueDay() domain.Date {
	switch {
	case p.Need.Stage == domain.StageFeasibility && p.Need.Study != nil:
		return p.Need.Study.DueDate
	case p.Need.Stage == domain.StagePilot && p.Need.Pilot != nil:
		return p.Need.Pilot.EndDate
	}
	return ""
}

// Count is the votes of a decided ballot for one decision.
func (p needPage) Count(b storage.BallotRow, d string) int {
	n := 0
	for _, v := range b.Votes {
		if v.Decision == d {
			n++
		}
	}
	return n
}

// needView shows a project: its stage, details, supports, carriers, votes
// once decided, its whole timeline and the forms of the actions the
// signed-in person may take now.
func (s *Handlers) needView(c *fiber.Ctx) error {
	page, err := s.needPage(c, c.Params("id"))
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "need", page)
}

func (s *Handlers) needPage(c *fiber.Ctx, id string) (needPage, error) {
	ctx := c.UserContext()
	row, err := s.DB.Need(ctx, id)
	if err != nil {
		return needPage{}, kit.NotFoundNeed(err)
	}
	ref, err := s.RefLabels(c)
	if err != nil {
		return needPage{}, err
	}
	supporters, err := s.DB.Supporters(ctx, row.ID)
	if err != nil {
		return needPage{}, err
	}
	lang := kit.LangOf(c)
	p := needPage{Layout: s.Layout(c, "needs", ""), RefLabels: ref, Need: ref.Items([]storage.NeedRow{row})[0], Supporters: supporters}
	p.Named = row.Title
	if p.Events, p.Decided, p.Open, err = s.PageTrail(c, row.ID); err != nil {
		return needPage{}, err
	}
	if row.Stage != domain.StageCommittee { // a ballot is open only in committee
		p.Open = nil
	}
	p.Steps, p.Stopped = steps(row.Stage, p.Events)
	if row.MergedInto != nil {
		if target, err := s.DB.Need(ctx, *row.MergedInto); err == nil {
			p.MergedTitle = target.Title
		}
	}
	for _, d := range domain.NeedDecisions {
		p.Decisions = append(p.Decisions, kit.Option{Value: string(d), Label: i18n.T(lang, "decision."+string(d))})
	}
	for _, r := range domain.StudyRecommendations {
		p.Recommend = append(p.Recommend, kit.Option{Value: r, Label: i18n.T(lang, "recommendation."+r)})
	}
	for _, cr := range row.Carriers {
		if cr.Declined {
			p.DeclinedCarriers = append(p.DeclinedCarriers, cr)
			continue
		}
		p.LiveCarriers = append(p.LiveCarriers, carrierView{CarrierRow: cr})
		p.Carriers = append(p.Carriers, kit.Option{Value: cr.ID, Label: cr.Organisation, Hint: cr.Contact})
	}
	for _, d := range row.PossibleDuplicates {
		p.Duplicates = append(p.Duplicates, kit.Option{Value: d.ID, Label: d.Title})
	}
	p.followUpView = followUpOf(row, lang)
	if p.Studies, _, err = s.DB.StudyActions(ctx, storage.StudyActionFilter{NeedID: row.ID, Limit: 20}); err != nil {
		return needPage{}, err
	}
	if p.Discussion, err = s.discussion.Discussion(c, row.ID); err != nil {
		return needPage{}, err
	}
	u, signedIn := kit.UserOf(c)
	if !signedIn {
		hideIndividuals(&p, lang)
		return p, nil
	}
	return p, s.viewerActions(c, u, row, supporters, &p)
}

// hideIndividuals keeps the names of people who support in their own name
// (not for an organisation) from anonymous visitors: "un particulier".
func hideIndividuals(p *needPage, lang i18n.Lang) {
	label := i18n.T(lang, "privacy.individual")
	p.Supporters = slices.Clone(p.Supporters)
	for i, sp := range p.Supporters {
		if strings.HasPrefix(sp.Key, "user:") {
			p.Supporters[i].Organisation = label
		}
	}
	for i, e := range p.Events {
		if _, named := e.Data["organisation"]; named && strings.HasPrefix(e.Data["key"], "user:") {
			data := maps.Clone(e.Data)
			data["organisation"] = label
			p.Events[i].Data = data
		}
	}
}

// steps places the project on its road; a stopped project shows how far it went.
func steps(stage domain.Stage, events []kit.EventView) ([]stepView, bool) {
	reached := stage
	stopped := stage.Terminal() && stage != domain.StageDeployed
	if stage == domain.StageAwaitingInfo {
		reached = domain.StageCaptured
	}
	if stopped {
		reached = domain.StageCaptured
		for i := len(events) - 1; i >= 0; i-- {
			if events[i].ToStage == string(stage) && events[i].FromStage != "" && events[i].FromStage != string(stage) {
				reached = domain.Stage(events[i].FromStage)
				if reached == domain.StageAwaitingInfo {
					reached = domain.StageCaptured
				}
				break
			}
		}
	}
	at := slices.Index(domain.MainPath, reached)
	out := make([]stepView, len(domain.MainPath))
	for i, st := range domain.MainPath {
		state := "todo"
		switch {
		case i < at || (i == at && (stopped || st == domain.StageDeployed)):
			state = "done"
		case i == at:
			state = "current"
		}
		out[i] = stepView{Stage: st, State: state}
	}
	return out, stopped
}

// viewerActions fills what the signed-in viewer may do on the need: support
// it, propose a study, and each action's form their roles and its stage allow.
func (s *Handlers) viewerActions(c *fiber.Ctx, u storage.User, row storage.NeedRow, supporters []storage.Supporter, p *needPage) error {
	caller := u.Caller()
	key := caller.OrganisationKey()
	for _, sp := range supporters {
		if sp.Key == key {
			p.Supported = true
		}
	}
	p.CanProposeStudy = caller.Has(domain.RoleActor) && !row.Stage.Terminal()
	p.CanSupport = caller.Has(domain.RoleActor) && domain.ActionAllowedFrom(domain.ActionSupport, row.Stage) && !p.Supported
	p.SupportKey = kit.NewForm("").Key
	if err := s.matching(c, caller, row, p); err != nil {
		return err
	}
	for _, a := range domain.TransitionActions {
		if !caller.Has(domain.ActionRoles(a)...) || !domain.ActionAllowedFrom(a, row.Stage) {
			continue
		}
		if a == domain.ActionDeclineCarrier { // one form per live proposal, beside it
			for i := range p.LiveCarriers {
				p.LiveCarriers[i].Decline = declineForm(p.LiveCarriers[i].ID)
			}
			continue
		}
		if a == domain.ActionProvideInfo && !caller.MayAnswerFor(row.SubmittedBy, kit.Deref(row.OrganisationID)) {
			continue
		}
		names, _ := actionFields(a)
		f := kit.NewForm(string(a)+"-", names...)
		if a == domain.ActionInviteCarrier && len(p.Invitable) == 0 {
			continue // nobody to invite: the directory suggests no one
		}
		if a == domain.ActionProposeCarrier && !caller.Has(domain.RoleOfficer) {
			f.Set("organisation", u.Organisation)
			f.Set("organisation_id", caller.OrganisationID)
		}
		if a == domain.ActionAssign {
			if err := s.assignForm(c, p, f); err != nil {
				return err
			}
		}
		p.Actions = append(p.Actions, kit.ActionView{Action: a, Form: f,
			Danger: a == domain.ActionReject || a == domain.ActionAbandon})
	}
	if len(p.Actions) == 1 && !p.Actions[0].Danger {
		p.Actions[0].Open = true
	}
	return nil
}
