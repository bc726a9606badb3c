package durable

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"essor/internal/domain"
)

// Scope is how one programme derives ids from idempotency keys: the same
// key from the same account names the same subject, or the same update.
// The strings are those the first ids were derived with; changing one
// would make a retried request from before name something new.
type Scope struct{ Subject, Update string }

// The programmes' scopes.
var (
	NeedScope        = Scope{Subject: "need", Update: "action"}
	StudyActionScope = Scope{Subject: "study_action", Update: "study_action_action"}
	CallScope        = Scope{Subject: "call", Update: "call_action"}
	RoundScope       = Scope{Subject: "rally-round", Update: "rally-action"}
	SessionScope     = Scope{Subject: "committee_session", Update: "committee_session_action"}
)

// SubjectID names a new subject: derived from the key when there is one.
func (s Scope) SubjectID(userID, key string) string {
	if key == "" {
		return uuid.NewString()
	}
	return domain.DerivedID(s.Subject, userID, key)
}

// UpdateID names an update: derived from the key when there is one.
func (s Scope) UpdateID(userID, key string) string {
	if key == "" {
		return uuid.NewString()
	}
	return domain.DerivedID(s.Update, userID, key)
}

// Lifecycle is how one programme's subjects live in their workflows: read
// the stored row, let the programme check and complete the command, send
// it as an update, tell an ended workflow's refusal, read the row again.
// Each service keeps only its own checks and snapshot.
type Lifecycle[Row any] struct {
	Client     Client
	Scope      Scope
	Workflow   string // the workflow's type name
	WorkflowID func(id string) string
	Load       func(ctx context.Context, id string) (Row, error)
	ID         func(Row) string
	// Stage is the subject's stage as stored: when its workflow has ended,
	// the refusal names the stage it ended in (read again).
	Stage func(Row) domain.Stage
	// Ended, when set, is that refusal instead.
	Ended func(ctx context.Context, row Row) error
	// Observe, when set, is told each action's outcome (for metrics).
	Observe func(action domain.Action, outcome string)
}

// Start starts a new subject's workflow with its first update and reads
// the subject back; a retried start finds the subject started before.
func (l *Lifecycle[Row]) Start(ctx context.Context, action domain.Action, id string, input any, update string) (Row, error) {
	err := l.Client.StartWithUpdate(ctx, l.WorkflowID(id), l.Workflow, input, update, nil)
	l.observe(action, err)
	if err != nil {
		var zero Row
		return zero, err
	}
	return l.Load(ctx, id)
}

// Act reads subject id, has prepare check and build the update's argument
// from the stored row (refusing early what the row already rules out),
// sends it under the update id the key derives, and reads the subject in
// its new state.
func (l *Lifecycle[Row]) Act(ctx context.Context, by domain.Caller, id string, action domain.Action, update, key string,
	prepare func(Row) (any, error)) (Row, error) {
	var zero Row
	row, err := l.Load(ctx, id)
	if err != nil {
		return zero, err
	}
	arg, err := prepare(row)
	if err == nil {
		err = l.Client.Update(ctx, l.WorkflowID(l.ID(row)), update, l.Scope.UpdateID(by.UserID, key), arg, nil)
		if errors.Is(err, ErrEnded) {
			err = l.ended(ctx, row)
		}
	}
	l.observe(action, err)
	if err != nil {
		return zero, err
	}
	return l.Load(ctx, l.ID(row))
}

// Refused records a refusal made before any workflow was asked (a
// submission's own validation), so that metrics count it with the rest.
func (l *Lifecycle[Row]) Refused(action domain.Action, err error) error {
	l.observe(action, err)
	return err
}

func (l *Lifecycle[Row]) ended(ctx context.Context, row Row) error {
	if l.Ended != nil {
		return l.Ended(ctx, row)
	}
	if fresh, err := l.Load(ctx, l.ID(row)); err == nil {
		row = fresh
	}
	return domain.StageConflict(l.Stage(row))
}

func (l *Lifecycle[Row]) observe(action domain.Action, err error) {
	if l.Observe != nil {
		l.Observe(action, Outcome(err))
	}
}
