// Package calls is the calls for projects as their users see them: an
// officer opens a call, territories apply while it is open, the committee
// decides the officer's selection, which is published. The API and the web
// pages both go through it.
package calls

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/client"

	"essor/internal/committee"
	"essor/internal/domain"
	"essor/internal/durable"
	"essor/internal/storage"
	"essor/workflows"
)

// Service creates calls and acts on them through their workflows, and
// reads them from the read model.
type Service struct {
	DB        *storage.DB
	Ref       *storage.Reference
	Temporal  client.Client
	TaskQueue string
	Policy    domain.CallPolicy
	Committee *committee.Committee
	// Observe, when set, is told each action's outcome (for metrics).
	Observe func(action domain.Action, outcome string)
}

// life is the calls' lifecycle in their workflows.
func (s *Service) life() *durable.Lifecycle[storage.CallRow] {
	return &durable.Lifecycle[storage.CallRow]{
		Client: durable.Client{Temporal: s.Temporal, TaskQueue: s.TaskQueue}, Scope: durable.CallScope,
		Workflow: workflows.CallWorkflowName, WorkflowID: workflows.CallWorkflowID,
		Load: s.DB.Call, ID: func(r storage.CallRow) string { return r.ID },
		Stage:   func(r storage.CallRow) domain.Stage { return r.Stage },
		Observe: s.Observe,
	}
}

// Create opens a call (scheduled, or open at once when its opening has
// come); the same idempotency key always names the same call.
func (s *Service) Create(ctx context.Context, by domain.Caller, d domain.CallDraft, key string) (storage.CallRow, error) {
	l := s.life()
	now := time.Now().UTC().Truncate(time.Microsecond)
	if err := d.Validate(now); err != nil {
		return storage.CallRow{}, l.Refused(domain.ActionCreateCall, err)
	}
	for _, id := range d.NeedIDs {
		if _, err := s.DB.Need(ctx, id); errors.Is(err, storage.ErrNotFound) {
			fe := domain.FieldErrors{}
			fe.Add("need_ids", "field.unknown_need")
			return storage.CallRow{}, l.Refused(domain.ActionCreateCall, fe.Err())
		} else if err != nil {
			return storage.CallRow{}, err
		}
	}
	id := l.Scope.SubjectID(by.UserID, key)
	c, first := domain.NewCall(id, d, by, now)
	return l.Start(ctx, domain.ActionCreateCall, id, workflows.CallInput{Call: *c, First: &first, Policy: s.Policy}, workflows.UpdateSubmit)
}

// Act asks a call's workflow to carry out an action (apply, propose, vote)
// and returns the call in its new state.
func (s *Service) Act(ctx context.Context, by domain.Caller, id string, in domain.CallInput, key string) (storage.CallRow, error) {
	return s.life().Act(ctx, by, id, in.Action, workflows.UpdateAction, key, func(row storage.CallRow) (any, error) {
		cmd := domain.CallCommand{CallInput: in, Caller: by}
		err := s.precheck(ctx, row, &cmd) // before cmd is read: it completes it
		return cmd, err
	})
}

// precheck refuses what the stored state already rules out (role, stage,
// dates, fields, territories that exist) and fills in the quorum of what
// opens or moves a ballot.
func (s *Service) precheck(ctx context.Context, row storage.CallRow, cmd *domain.CallCommand) error {
	c := Snapshot(row)
	var ref domain.Reference
	switch cmd.Action {
	case domain.ActionApply:
		r, err := s.Ref.Check(ctx)
		if err != nil {
			return err
		}
		ref = r
	case domain.ActionPropose, domain.ActionVote:
		apps, err := s.DB.CallApplicants(ctx, row.ID)
		if err != nil {
			return err
		}
		c.Applications = apps
	}
	if err := c.Authorize(*cmd, time.Now()); err != nil {
		return err
	}
	check := *cmd
	if err := c.Validate(&check, ref); err != nil {
		return err
	}
	if cmd.Action == domain.ActionPropose || cmd.Action == domain.ActionVote {
		q, _, err := s.Committee.Quorum(ctx, c.Stake())
		if err != nil {
			return err
		}
		cmd.Quorum = q
		voter := ""
		if cmd.Action == domain.ActionVote {
			voter = cmd.Caller.UserID
		}
		if cmd.Voice, err = s.Committee.Voice(ctx, voter, c.Stake()); err != nil {
			return err
		}
	}
	return nil
}

// Snapshot is the part of a call's state its read-model row holds: enough
// for the checks made before an update is sent and for pages that ask "may
// this person act?" (applications are added where a check needs them).
func Snapshot(row storage.CallRow) domain.Call {
	c := domain.Call{ID: row.ID, Title: row.Title, OpensAt: row.OpensAt, ClosesAt: row.ClosesAt, Selected: row.Selected,
		Tracked: domain.Tracked{Stage: row.Stage, StageEnteredAt: row.StageEnteredAt}}
	if row.Stage == domain.StageDeciding {
		c.Ballots = []domain.Ballot{{Round: 1}} // open while deciding
	}
	return c
}

// Applications lists a call's applications as the viewer may see them:
// officers and the committee all of them, an actor their organisation's.
func (s *Service) Applications(ctx context.Context, by domain.Caller, id string, f storage.CallApplicationFilter) (
	storage.CallRow, []storage.CallApplicationRow, string, error) {
	row, err := s.DB.Call(ctx, id)
	if err != nil {
		return row, nil, "", err
	}
	switch {
	case by.Has(domain.RoleOfficer, domain.RoleCommittee):
		f.OrganisationKey = ""
	case by.Has(domain.RoleActor):
		f.OrganisationKey = by.OrganisationKey()
	default:
		return row, nil, "", domain.Forbidden()
	}
	list, next, err := s.DB.CallApplications(ctx, row.ID, f)
	return row, list, next, err
}
