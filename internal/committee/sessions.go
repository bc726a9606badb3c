package committee

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/client"

	"essor/internal/domain"
	"essor/internal/durable"
	"essor/internal/storage"
	"essor/workflows"
)

// Sessions plans the committee's sessions and acts on them through their
// workflows, and reads them from the read model.
type Sessions struct {
	DB        *storage.DB
	Temporal  client.Client
	TaskQueue string
	Observe   func(action domain.Action, outcome string)
}

func (s *Sessions) life() *durable.Lifecycle[storage.SessionRow] {
	return &durable.Lifecycle[storage.SessionRow]{
		Client: durable.Client{Temporal: s.Temporal, TaskQueue: s.TaskQueue}, Scope: durable.SessionScope,
		Workflow: workflows.SessionWorkflowName, WorkflowID: workflows.SessionWorkflowID,
		Load: s.DB.Session, ID: func(r storage.SessionRow) string { return r.ID },
		Stage: func(r storage.SessionRow) domain.Stage { return r.Stage }, Observe: s.Observe,
	}
}

// Plan creates a session; the same idempotency key names the same session.
func (s *Sessions) Plan(ctx context.Context, by domain.Caller, d domain.SessionDraft, key string) (storage.SessionRow, error) {
	l := s.life()
	if !by.Has(domain.RoleOfficer, domain.RoleAdmin) {
		return storage.SessionRow{}, l.Refused(domain.ActionCreateCall, domain.E(domain.CodeForbidden, "error.forbidden"))
	}
	id := l.Scope.SubjectID(by.UserID, key)
	sess, first, err := domain.NewSession(id, d, by, time.Now().UTC().Truncate(time.Microsecond))
	if err != nil {
		return storage.SessionRow{}, l.Refused(domain.ActionCreateCall, err)
	}
	return l.Start(ctx, domain.ActionCreateCall, id, workflows.SessionInput{Session: *sess, First: &first}, workflows.UpdateSubmit)
}

// Act asks a session's workflow to carry out an action and returns the
// session in its new state.
func (s *Sessions) Act(ctx context.Context, by domain.Caller, id string, in domain.SessionInput, key string) (storage.SessionRow, error) {
	return s.life().Act(ctx, by, id, in.Action, workflows.UpdateAction, key, func(row storage.SessionRow) (any, error) {
		cmd := domain.SessionCommand{SessionInput: in, Caller: by}
		err := s.precheck(ctx, row, &cmd)
		return cmd, err
	})
}

// precheck refuses what the stored state rules out and completes the
// command with what the workflow cannot look up: the item's title (an open
// decision, on no other session), the committee's members.
func (s *Sessions) precheck(ctx context.Context, row storage.SessionRow, cmd *domain.SessionCommand) error {
	sess := row.Session
	if err := sess.Authorize(*cmd); err != nil {
		return err
	}
	members, err := s.DB.ActiveMembers(ctx, domain.RoleCommittee)
	if err != nil {
		return err
	}
	cmd.Members = members
	if cmd.Action == domain.ActionOpenSession { // the attendance keeps the members' names
		ids := make([]string, len(members))
		for i, m := range members {
			ids[i] = m.ID
		}
		names, err := s.DB.UserNames(ctx, ids)
		if err != nil {
			return err
		}
		for _, m := range members {
			cmd.Names = append(cmd.Names, names[m.ID])
		}
	}
	check := *cmd
	if err := sess.Validate(&check); err != nil {
		return err
	}
	switch cmd.Action {
	case domain.ActionAddItem:
		title, open, err := s.DB.OpenDecision(ctx, check.Subject, check.SubjectID)
		if err != nil {
			return err
		}
		if !open {
			fe := domain.FieldErrors{}
			fe.Add("id", "field.not_open_decision")
			return fe.Err()
		}
		on, err := s.DB.SessionOf(ctx, check.SubjectID)
		if err != nil {
			return err
		}
		if on != "" && on != sess.ID {
			return domain.E(domain.CodeConflict, "error.item_on_session")
		}
		cmd.Title = title
	case domain.ActionApproveMinutes:
		prev, err := s.DB.Session(ctx, check.MinutesOf)
		if errors.Is(err, storage.ErrNotFound) {
			fe := domain.FieldErrors{}
			fe.Add("minutes_of", "field.session_unknown")
			return fe.Err()
		} else if err != nil {
			return err
		}
		switch {
		case prev.Stage != domain.StageClosed:
			return domain.E(domain.CodeStage, "error.minutes_not_closed")
		case prev.MinutesApprovedAt != nil:
			return domain.E(domain.CodeConflict, "error.minutes_approved")
		}
	case domain.ActionDecideItem:
		it := sess.Item(check.N)
		if domain.DecisionOf(check.Decision) != "" {
			if _, open, err := s.DB.OpenDecision(ctx, it.Subject, it.SubjectID); err != nil {
				return err
			} else if !open {
				return domain.E(domain.CodeStage, "error.item_not_open")
			}
		}
	}
	return nil
}

// List is the newest sessions.
func (s *Sessions) List(ctx context.Context) ([]storage.SessionRow, error) { return s.DB.Sessions(ctx) }
