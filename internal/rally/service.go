// Package rally is Rally'nov as its users see it: set up a round, move it
// on, enter it, score, select, schedule stages and award trophies. The API
// and the web pages both go through it; every change goes to the round's
// workflow, through internal/durable.
package rally

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"essor/internal/domain"
	"essor/internal/durable"
	"essor/internal/storage"
	"essor/workflows"
)

// Service sets up rounds and acts on them through their workflows, and
// reads them from the read model.
type Service struct {
	DB        *storage.DB
	Temporal  client.Client
	TaskQueue string
	// Observe, when set, is told each action's outcome (for metrics).
	Observe func(action domain.Action, outcome string)
}

// life is the rounds' lifecycle in their workflows.
func (s *Service) life() *durable.Lifecycle[storage.RoundRow] {
	l := &durable.Lifecycle[storage.RoundRow]{
		Client: durable.Client{Temporal: s.Temporal, TaskQueue: s.TaskQueue}, Scope: durable.RoundScope,
		Workflow: workflows.RoundWorkflowName, WorkflowID: workflows.RoundWorkflowID,
		Load: s.DB.Round, ID: func(r storage.RoundRow) string { return r.ID },
		Ended: func(context.Context, storage.RoundRow) error {
			return domain.E(domain.CodeStage, "error.rally_archived")
		},
	}
	if s.Observe != nil {
		l.Observe = func(a domain.Action, outcome string) { s.Observe(domain.Action("rally_"+string(a)), outcome) }
	}
	return l
}

// Create sets up a round and starts its workflow. With an idempotency key,
// the same key always names the same round.
func (s *Service) Create(ctx context.Context, by domain.Caller, setup domain.RoundSetup, key string) (storage.RoundRow, error) {
	if !by.Has(domain.RoleOrganiser) {
		return storage.RoundRow{}, domain.Forbidden()
	}
	l := s.life()
	create := domain.Action(domain.RallyCreate)
	spans, err := setup.Validate()
	if err != nil {
		return storage.RoundRow{}, l.Refused(create, err)
	}
	id := l.Scope.SubjectID(by.UserID, key)
	r, first := domain.NewRound(id, setup, spans, by, time.Now().UTC().Truncate(time.Microsecond))
	return l.Start(ctx, create, id, workflows.RoundInput{State: domain.RoundState{Round: *r}, First: &first}, workflows.UpdateRoundCreate)
}

// Act asks a round's workflow to carry out a command and returns the round
// in its new state. What the read model already rules out (role, phase,
// fields) is refused first, in the workflow's order, without a round trip.
func (s *Service) Act(ctx context.Context, by domain.Caller, roundID string, cmd domain.RallyCommand, key string) (storage.RoundRow, error) {
	cmd.Caller = by
	return s.life().Act(ctx, by, roundID, domain.Action(cmd.Action), workflows.UpdateRoundAct, key, func(row storage.RoundRow) (any, error) {
		err := s.precheck(ctx, row, &cmd) // before cmd is read: it completes it
		return cmd, err
	})
}

// Enter submits an entry and returns it as stored.
func (s *Service) Enter(ctx context.Context, by domain.Caller, roundID string, in domain.EntryInput, key string) (storage.EntryRow, error) {
	id := uuid.NewString()
	if key != "" { // a retried request names the same entry
		id = domain.DerivedID("rally-entry", roundID, by.UserID, key)
	}
	cmd := domain.RallyCommand{Action: domain.RallyEnter, EntryID: id, Entry: &in}
	if _, err := s.Act(ctx, by, roundID, cmd, key); err != nil {
		return storage.EntryRow{}, err
	}
	return s.DB.Entry(ctx, roundID, id)
}

// precheck refuses what the stored round rules out and completes the command.
func (s *Service) precheck(ctx context.Context, row storage.RoundRow, cmd *domain.RallyCommand) error {
	if _, err := domain.RoundTable.Check(cmd.Action, cmd.Caller); err != nil {
		return err
	}
	st := domain.RoundState{Round: row.Domain()}
	switch cmd.Action {
	case domain.RallyEnter:
		if !domain.IsUUID(cmd.EntryID) {
			cmd.EntryID = uuid.NewString()
		}
	case domain.RallyScore:
		id, ok := domain.ParseID(cmd.EntryID)
		if !ok {
			return domain.NotFound()
		}
		cmd.EntryID = id
		e, err := s.DB.Entry(ctx, row.ID, id)
		if err != nil {
			return err
		}
		// The book is the workflow's; this one entry is enough to refuse early.
		keys := []string{domain.NormaliseKey(e.Organisation)}
		if u, err := s.DB.UserByID(ctx, e.SubmittedBy); err == nil {
			keys = append(keys, u.Caller().OrganisationKey())
		}
		st.Book.Entries = []domain.EntryMark{{ID: id, Keys: keys}}
	case domain.RallySelect:
		cmd.Jury = nil
		if len(row.Jury) == 0 { // no jury of its own: those who scored it count
			members, err := s.DB.RoundScorers(ctx, row.ID)
			if err != nil {
				return err
			}
			cmd.Jury = make([]string, 0, len(members))
			for _, m := range members {
				cmd.Jury = append(cmd.Jury, domain.Caller{UserID: m.ID, Organisation: m.Organisation}.OrganisationKey())
			}
		}
	}
	if err := st.Authorize(*cmd, time.Now()); err != nil {
		return err
	}
	check := *cmd
	return st.Validate(&check)
}

// NameJury gives a round its own jury: accounts with the jury role, active,
// named once each (a juror named twice is named once). Until the selection,
// the organiser may name it again; only its members then score the round.
func (s *Service) NameJury(ctx context.Context, by domain.Caller, roundID string, ids []string, key string) (storage.RoundRow, error) {
	if _, err := domain.RoundTable.Check(domain.RallyNameJury, by); err != nil { // a 403 before any lookup
		return storage.RoundRow{}, err
	}
	fe := domain.FieldErrors{}
	var named, given []string // one past the bound is enough for the domain to refuse the list
	for _, raw := range ids {
		id, ok := domain.ParseID(raw)
		if !ok {
			fe.Add("user_ids", "field.uuid")
			return storage.RoundRow{}, fe.Err()
		}
		if !slices.Contains(named, id) && len(named) <= domain.MaxRallyJurors {
			named, given = append(named, id), append(given, raw)
		}
	}
	accounts, err := s.DB.UsersByID(ctx, named)
	if err != nil {
		return storage.RoundRow{}, err
	}
	jurors := make([]domain.Juror, 0, len(named))
	for i, id := range named {
		u, ok := accounts[id]
		if !ok || !u.Active || !u.Caller().Has(domain.RoleJury) {
			fe.Add("user_ids", "field.not_juror", given[i])
			return storage.RoundRow{}, fe.Err()
		}
		jurors = append(jurors, domain.Juror{ID: u.ID, Key: u.Caller().OrganisationKey()})
	}
	return s.Act(ctx, by, roundID, domain.RallyCommand{Action: domain.RallyNameJury, Jurors: jurors}, key)
}
