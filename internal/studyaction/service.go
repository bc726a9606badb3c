// Package studyaction is the Fonds de confiance as its users see it: a host
// company applies, the officer appraises, the committee decides, the study
// runs and concludes. The API and the web pages both go through it.
package studyaction

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

// Service applies for study-actions and acts on them through their
// workflows, and reads them from the read model.
type Service struct {
	DB          *storage.DB
	Temporal    client.Client
	TaskQueue   string
	Policy      domain.StudyActionPolicy
	FundTargets domain.FundTargets
	Committee   *committee.Committee
	// Observe, when set, is told each action's outcome (for metrics).
	Observe func(action domain.Action, outcome string)
}

// life is the study-actions' lifecycle in their workflows.
func (s *Service) life() *durable.Lifecycle[storage.StudyActionRow] {
	return &durable.Lifecycle[storage.StudyActionRow]{
		Client: durable.Client{Temporal: s.Temporal, TaskQueue: s.TaskQueue}, Scope: durable.StudyActionScope,
		Workflow: workflows.StudyActionWorkflowName, WorkflowID: workflows.StudyActionWorkflowID,
		Load: s.DB.StudyAction, ID: func(r storage.StudyActionRow) string { return r.ID },
		Stage:   func(r storage.StudyActionRow) domain.Stage { return r.Stage },
		Observe: s.Observe,
	}
}

// Apply records a host company's application; the same idempotency key
// always names the same study-action.
func (s *Service) Apply(ctx context.Context, by domain.Caller, app domain.Application, key string) (storage.StudyActionRow, error) {
	l := s.life()
	if err := app.Validate(); err != nil {
		return storage.StudyActionRow{}, l.Refused(domain.ActionSubmit, err)
	}
	if app.NeedID != "" {
		if _, err := s.DB.Need(ctx, app.NeedID); errors.Is(err, storage.ErrNotFound) {
			fe := domain.FieldErrors{}
			fe.Add("need_id", "field.unknown_need")
			return storage.StudyActionRow{}, l.Refused(domain.ActionSubmit, fe.Err())
		} else if err != nil {
			return storage.StudyActionRow{}, err
		}
	}
	id := l.Scope.SubjectID(by.UserID, key)
	sa, first := domain.NewStudyAction(id, app, by, time.Now().UTC().Truncate(time.Microsecond))
	return l.Start(ctx, domain.ActionSubmit, id,
		workflows.StudyActionInput{StudyAction: *sa, First: &first, Policy: s.Policy}, workflows.UpdateSubmit)
}

// Act asks a study-action's workflow to carry out an action and returns the
// study-action in its new state.
func (s *Service) Act(ctx context.Context, by domain.Caller, id string, in domain.StudyActionInput, key string) (storage.StudyActionRow, error) {
	return s.life().Act(ctx, by, id, in.Action, workflows.UpdateAction, key, func(row storage.StudyActionRow) (any, error) {
		cmd := domain.StudyActionCommand{StudyActionInput: in, Caller: by}
		err := s.precheck(ctx, row, &cmd) // before cmd is read: it completes it
		return cmd, err
	})
}

// precheck refuses what the stored state already rules out (role, stage,
// fields) and fills in the quorum of what opens or moves a ballot.
func (s *Service) precheck(ctx context.Context, row storage.StudyActionRow, cmd *domain.StudyActionCommand) error {
	if err := domain.Permit(domain.StudyActionTable, cmd.Action, cmd.Caller, row.Stage); err != nil {
		return err
	}
	sa := Snapshot(row)
	check := *cmd
	if err := sa.Validate(&check, time.Now()); err != nil {
		return err
	}
	switch cmd.Action {
	case domain.ActionAppraise, domain.ActionVote, domain.ActionReviseFinancing:
		if cmd.Action == domain.ActionAppraise { // the appraiser has a stake in the decision
			sa.Officer = &domain.OfficerRef{ID: cmd.Caller.UserID}
		}
		q, _, err := s.Committee.Quorum(ctx, sa.Stake())
		if err != nil {
			return err
		}
		cmd.Quorum = q
		voter := ""
		if cmd.Action == domain.ActionVote {
			voter = cmd.Caller.UserID
		}
		if cmd.Voice, err = s.Committee.Voice(ctx, voter, sa.Stake()); err != nil {
			return err
		}
	}
	return nil
}

// Snapshot is the part of a study-action's state its read-model row holds:
// enough for the checks made before an update is sent and for pages that
// ask "may this person act?".
func Snapshot(row storage.StudyActionRow) domain.StudyAction {
	sa := domain.StudyAction{ID: row.ID, Months: row.Months, Officer: row.Officer, MonthRule: domain.MonthsClamped,
		Applicant: domain.Caller{UserID: row.ApplicantID, Name: row.ApplicantName, Organisation: row.Organisation},
		Tracked:   domain.Tracked{Stage: row.Stage}}
	sa.HostCompany = row.HostCompany
	if row.ApprovedAt != nil {
		sa.ApprovedAt = *row.ApprovedAt
	}
	if row.CarrierName != nil && row.StartDate != nil {
		sa.Carrier = &domain.Recruitment{CarrierName: *row.CarrierName, StartDate: domain.DayOf(*row.StartDate)}
	}
	for _, r := range row.Reports {
		sa.Reports = append(sa.Reports, domain.Report{Month: r.Month})
	}
	return sa
}

// Figures are the programme's figures against its targets.
type Figures struct {
	FundTargets domain.FundTargets
	storage.StudyActionFigures
}

// Figures reads the programme's figures for its period.
func (s *Service) Figures(ctx context.Context) (Figures, error) {
	p := s.FundTargets
	f, err := s.DB.StudyActionFigures(ctx, p.From.Start(), p.To.End())
	return Figures{FundTargets: p, StudyActionFigures: f}, err
}
