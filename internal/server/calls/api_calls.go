package calls

import (
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// callJSON is a call for projects as the API shows it (api.md, "Calls for
// projects").
type callJSON struct {
	ID                string               `json:"id"`
	Title             string               `json:"title"`
	Description       string               `json:"description"`
	OpensAt           time.Time            `json:"opens_at"`
	ClosesAt          time.Time            `json:"closes_at"`
	NeedIDs           []string             `json:"need_ids"`
	Stage             domain.Stage         `json:"stage"`
	StageEnteredAt    time.Time            `json:"stage_entered_at"`
	ApplicationsCount int                  `json:"applications_count"`
	Proposal          *domain.CallProposal `json:"proposal"`
	Selected          []string             `json:"selected"`
	Conditions        string               `json:"conditions"`
	NextDeadline      *time.Time           `json:"next_deadline"`
	EndReason         *string              `json:"end_reason"`
	CreatedBy         *string              `json:"created_by"`
	CreatedByName     string               `json:"created_by_name"`
	CreatedAt         time.Time            `json:"created_at"`
	UpdatedAt         time.Time            `json:"updated_at"`
}

func toCallJSON(r storage.CallRow) callJSON {
	needs, selected := r.NeedIDs, r.Selected
	if needs == nil {
		needs = []string{}
	}
	if selected == nil {
		selected = []string{}
	}
	return callJSON{ID: r.ID, Title: r.Title, Description: r.Description, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt,
		NeedIDs: needs, Stage: r.Stage, StageEnteredAt: r.StageEnteredAt, ApplicationsCount: r.ApplicationsCount,
		Proposal: r.Proposal, Selected: selected, Conditions: r.Conditions, NextDeadline: r.NextDeadline, EndReason: r.EndReason, CreatedBy: r.CreatedBy,
		CreatedByName: r.CreatedByName, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// callApplicationJSON is one territory's application.
type callApplicationJSON struct {
	ID            string    `json:"id"`
	TerritoryCode string    `json:"territory_code"`
	TerritoryName *string   `json:"territory_name"`
	Motivation    string    `json:"motivation"`
	Organisation  string    `json:"organisation"`
	ByName        string    `json:"by_name"`
	At            time.Time `json:"at"`
}

func toCallApplicationJSON(a storage.CallApplicationRow) callApplicationJSON {
	return callApplicationJSON{ID: a.ID, TerritoryCode: a.TerritoryCode, TerritoryName: a.TerritoryName,
		Motivation: a.Motivation, Organisation: a.Organisation, ByName: a.ByName, At: a.At}
}

// createCall opens a call for projects (officers).
func (s *Handlers) createCall(c *fiber.Ctx) error {
	var in domain.CallDraft
	if err := kit.DecodeJSON(c, &in); err != nil {
		if typed, ok := domain.As(err); ok && typed.Code == domain.CodeInvalid {
			return kit.WithFieldsOf(typed, in.Validate(time.Now()))
		}
		return err
	}
	u, _ := kit.UserOf(c)
	row, err := s.calls.Create(c.UserContext(), u.Caller(), in, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	c.Location("/api/v1/calls/" + row.ID)
	return c.Status(fiber.StatusCreated).JSON(toCallJSON(row))
}

func (s *Handlers) getCall(c *fiber.Ctx) error {
	row, err := s.DB.Call(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(toCallJSON(row))
}

// callFilter reads ?stage=&limit=&cursor=.
func callFilter(c *fiber.Ctx) (storage.CallFilter, error) {
	fe := domain.FieldErrors{}
	var f storage.CallFilter
	f.Limit, f.Cursor = kit.PageParams(c, fe)
	for _, st := range strings.Split(c.Query("stage"), ",") {
		if st = strings.TrimSpace(st); st == "" {
			continue
		}
		if !slices.Contains(domain.CallStages, domain.Stage(st)) {
			fe.Add("stage", "field.unknown_stage")
		}
		f.Stages = append(f.Stages, domain.Stage(st))
	}
	return f, fe.Err()
}

func (s *Handlers) listCalls(c *fiber.Ctx) error {
	f, err := callFilter(c)
	if err != nil {
		return err
	}
	rows, next, err := s.DB.Calls(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := kit.Page[callJSON]{Items: make([]callJSON, 0, len(rows))}
	for _, r := range rows {
		out.Items = append(out.Items, toCallJSON(r))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(out)
}

// applyToCall records a territory's application (actors), only while the call is open.
func (s *Handlers) applyToCall(c *fiber.Ctx) error {
	var in struct {
		TerritoryCode string `json:"territory_code"`
		Motivation    string `json:"motivation"`
	}
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	caller := u.Caller()
	row, err := s.calls.Act(c.UserContext(), caller, c.Params("id"),
		domain.CallInput{Action: domain.ActionApply, TerritoryCode: in.TerritoryCode, Motivation: in.Motivation}, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	app, err := s.DB.CallApplication(c.UserContext(),
		domain.DerivedID("call_application", row.ID, caller.OrganisationKey(), strings.TrimSpace(in.TerritoryCode)))
	if err != nil {
		return err
	}
	c.Location("/api/v1/calls/" + row.ID + "/applications")
	return c.Status(fiber.StatusCreated).JSON(toCallApplicationJSON(app))
}

func (s *Handlers) callApplications(c *fiber.Ctx) error {
	fe := domain.FieldErrors{}
	var f storage.CallApplicationFilter
	f.Limit, f.Cursor = kit.PageParams(c, fe)
	if err := fe.Err(); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	_, rows, next, err := s.calls.Applications(c.UserContext(), u.Caller(), c.Params("id"), f)
	if err != nil {
		return err
	}
	out := kit.Page[callApplicationJSON]{Items: make([]callApplicationJSON, 0, len(rows))}
	for _, r := range rows {
		out.Items = append(out.Items, toCallApplicationJSON(r))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(out)
}

// proposeSelection puts the officer's selection to the committee.
func (s *Handlers) proposeSelection(c *fiber.Ctx) error {
	var in struct {
		TerritoryCodes []string `json:"territory_codes"`
		Comment        string   `json:"comment"`
	}
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	u, _ := kit.UserOf(c)
	row, err := s.calls.Act(c.UserContext(), u.Caller(), c.Params("id"),
		domain.CallInput{Action: domain.ActionPropose, TerritoryCodes: in.TerritoryCodes, Comment: in.Comment}, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return c.JSON(toCallJSON(row))
}

// callTransitions carries out the committee's vote and the officer's
// close_unsuccessful (applying and proposing have their routes).
func (s *Handlers) callTransitions(c *fiber.Ctx) error {
	var in domain.CallInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	if !slices.Contains(callTransitionActions, in.Action) {
		fe := domain.FieldErrors{}
		fe.Add("action", "field.unknown_action")
		return fe.Err()
	}
	u, _ := kit.UserOf(c)
	row, err := s.calls.Act(c.UserContext(), u.Caller(), c.Params("id"), domain.CallInput{Action: in.Action,
		Decision: in.Decision, Comment: in.Comment, Reason: in.Reason}, c.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return c.JSON(toCallJSON(row))
}

var callTransitionActions = []domain.Action{domain.ActionVote, domain.ActionCloseUnsuccessful}

func (s *Handlers) callEvents(c *fiber.Ctx) error {
	row, err := s.DB.Call(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return s.AuditTrail(c, row.ID)
}

func (s *Handlers) callVotes(c *fiber.Ctx) error {
	row, err := s.DB.Call(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return s.BallotsOf(c, row.ID)
}
