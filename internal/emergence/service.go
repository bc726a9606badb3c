// Package emergence is the emergence pipeline as its users see it: submit a
// need, act on it, read it. The API and the web pages both go through it.
package emergence

import (
	"context"
	"errors"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"essor/internal/committee"
	"essor/internal/domain"
	"essor/internal/durable"
	"essor/internal/storage"
	"essor/workflows"
)

// Service submits needs and acts on them through their workflows, and reads
// them from the read model.
type Service struct {
	DB       *storage.DB
	Ref      *storage.Reference
	Temporal client.Client
	// TaskQueue is where the workers listen.
	TaskQueue string
	Policy    domain.Policy
	// Committee counts who may vote on a need's decision.
	Committee *committee.Committee
	// Observe, when set, is told each action's outcome (for metrics).
	Observe func(action domain.Action, outcome string)
}

// life is the needs' lifecycle in their workflows.
func (s *Service) life() *durable.Lifecycle[storage.NeedRow] {
	return &durable.Lifecycle[storage.NeedRow]{
		Client: durable.Client{Temporal: s.Temporal, TaskQueue: s.TaskQueue}, Scope: durable.NeedScope,
		Workflow: workflows.NeedWorkflowName, WorkflowID: workflows.NeedWorkflowID,
		Load: s.DB.Need, ID: func(r storage.NeedRow) string { return r.ID },
		Stage:   func(r storage.NeedRow) domain.Stage { return r.Stage },
		Observe: s.Observe,
	}
}

// Submit records a new need and returns it as stored, with its likely
// duplicates. With an idempotency key, the same key always names the same
// need, so a retry after a crash finds the first submission instead of
// making a second one.
func (s *Service) Submit(ctx context.Context, by domain.Caller, sub domain.NeedSubmission, key string) (storage.NeedRow, error) {
	ref, err := s.Ref.Check(ctx)
	if err != nil {
		return storage.NeedRow{}, err
	}
	l := s.life()
	if err := sub.Validate(ref); err != nil {
		return storage.NeedRow{}, l.Refused(domain.ActionSubmit, err)
	}
	id := l.Scope.SubjectID(by.UserID, key)
	n, first := domain.NewNeed(id, sub, by, time.Now().UTC().Truncate(time.Microsecond))
	return l.Start(ctx, domain.ActionSubmit, id, workflows.NeedInput{Need: *n, First: &first, Policy: s.Policy}, workflows.UpdateSubmit)
}

// Act asks a need's workflow to carry out an action and returns the need in
// its new state. Checks that need no workflow state (role, stage as last
// stored, reference data) run first, so that most refusals cost one query.
func (s *Service) Act(ctx context.Context, by domain.Caller, needID string, in domain.NeedInput, key string) (storage.NeedRow, error) {
	return s.life().Act(ctx, by, needID, in.Action, workflows.UpdateAction, key, func(row storage.NeedRow) (any, error) {
		cmd := domain.NeedCommand{NeedInput: in, Caller: by}
		if id, ok := domain.ParseID(cmd.Into); ok { // ids travel to workflows in one spelling
			cmd.Into = id
		}
		err := s.precheck(ctx, row, &cmd) // before cmd is read: it completes it
		return cmd, err
	})
}

// precheck refuses what the stored state already rules out, checks the
// fields that need reference data, and completes the command.
func (s *Service) precheck(ctx context.Context, row storage.NeedRow, cmd *domain.NeedCommand) error {
	if err := domain.Permit(domain.NeedTable, cmd.Action, cmd.Caller, row.Stage); err != nil {
		return err
	}
	ref, err := s.Ref.Check(ctx)
	if err != nil {
		return err
	}
	n := domain.Need{ID: row.ID, Officer: row.Officer, Tracked: domain.Tracked{Stage: row.Stage}}
	for _, c := range row.Carriers {
		n.Carriers = append(n.Carriers, domain.Carrier{ID: c.ID, Declined: c.Declined})
	}
	// the rules it was created under, the approved budget, the pilot's indicators and measures
	n.Rules, n.ApprovedBudgetEUR, n.Pilot = row.Rules, row.ApprovedBudgetEUR, row.Pilot
	for i, c := range row.Carriers {
		if c.OrganisationID != nil {
			n.Carriers[i].OrganisationID = *c.OrganisationID
		}
	}
	if err := s.carrierOrganisation(ctx, cmd); err != nil {
		return err
	}
	check := *cmd
	verr := n.Validate(&check, time.Now(), ref)
	fe := domain.FieldErrors{}
	if de, ok := domain.As(verr); ok {
		fe = de.Fields
	} else if verr != nil {
		return verr
	}
	if cmd.Action == domain.ActionMerge && fe["into"].Key == "" {
		target, err := s.DB.Need(ctx, check.Into)
		if errors.Is(err, storage.ErrNotFound) || (err == nil && target.Stage.Terminal()) {
			fe.Add("into", "field.merge_target")
		} else if err != nil {
			return err
		}
	}
	if cmd.Action == domain.ActionAssign && fe["officer_id"].Key == "" {
		if err := s.officer(ctx, &check, fe); err != nil {
			return err
		}
		cmd.OfficerID, cmd.OfficerName = check.OfficerID, check.OfficerName
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if cmd.Action == domain.ActionVote || cmd.Action == domain.ActionSubmitStudy {
		stake, err := s.stake(ctx, row, *cmd)
		if err != nil {
			return err
		}
		if cmd.Quorum, cmd.QuorumAll, err = s.Committee.Quorum(ctx, stake); err != nil {
			return err
		}
		voter := ""
		if cmd.Action == domain.ActionVote {
			voter = cmd.Caller.UserID
		}
		if cmd.Voice, err = s.Committee.Voice(ctx, voter, stake); err != nil {
			return err
		}
	}
	return nil
}

// stake is who has an interest in the need's decision, as the read model
// knows it: the organisation named on the need and the submitter's account's,
// and whoever led the study (the officer submitting it, for a new ballot).
func (s *Service) stake(ctx context.Context, row storage.NeedRow, cmd domain.NeedCommand) (domain.Stake, error) {
	n := domain.Need{NeedSubmission: domain.NeedSubmission{Organisation: row.Organisation}, Study: row.Study}
	if u, err := s.DB.UserByID(ctx, row.SubmittedBy); err == nil {
		n.SubmittedBy = u.Caller()
	} else if !errors.Is(err, storage.ErrNotFound) {
		return domain.Stake{}, err
	}
	if n.SubmittedBy.UserID == "" {
		n.SubmittedBy.UserID = row.SubmittedBy
	}
	if n.Study != nil && n.Study.LedBy == "" && cmd.Action == domain.ActionSubmitStudy {
		st := *n.Study
		st.LedBy = cmd.Caller.UserID
		n.Study = &st
	}
	return n.Stake(), nil
}

// officer checks that an assignment names an active officer's account and
// fills in their name, which the workflow records (it cannot look it up).
func (s *Service) officer(ctx context.Context, cmd *domain.NeedCommand, fe domain.FieldErrors) error {
	u, err := s.DB.UserByID(ctx, cmd.OfficerID)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && (!u.Active || u.ErasedAt != nil || !u.Caller().Has(domain.RoleOfficer))) {
		fe.Add("officer_id", "field.officer_unknown")
		return nil
	}
	if err != nil {
		return err
	}
	cmd.OfficerName = u.Name
	return nil
}

// carrierOrganisation completes a proposal or an invitation with its
// directory record: a member's own organisation by default, its name when
// none is typed. An unknown record is the field's error.
func (s *Service) carrierOrganisation(ctx context.Context, cmd *domain.NeedCommand) error {
	if cmd.Action != domain.ActionProposeCarrier && cmd.Action != domain.ActionInviteCarrier {
		return nil
	}
	id := strings.ToLower(strings.TrimSpace(cmd.OrganisationID))
	if id == "" && cmd.Action == domain.ActionProposeCarrier && !cmd.Caller.Has(domain.RoleOfficer) {
		id = cmd.Caller.OrganisationID
	}
	if !domain.IsUUID(id) {
		return nil // Validate names the field
	}
	o, err := s.DB.Organisation(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		fe := domain.FieldErrors{}
		fe.Add("organisation_id", "field.organisation_unknown")
		return fe.Err()
	} else if err != nil {
		return err
	}
	cmd.OrganisationID = id
	if strings.TrimSpace(cmd.Organisation) == "" || cmd.Action == domain.ActionInviteCarrier {
		cmd.Organisation = o.Name
	}
	return nil
}
