package workflows

import (
	"go.temporal.io/sdk/workflow"

	"essor/internal/domain"
)

// lifecycle is what every programme's workflow (study-action, call, round)
// shares around its own rules: the creation's save and the answer to the
// update sent with the start, the deadline loop through awaitDeadlines, and
// the choice between ending and continuing as new.
type lifecycle struct {
	saved   int64 // the newest version known to be in the read model
	refused bool  // the read model refused the creation itself
}

// registerCreation installs the update sent with the workflow's start: it
// completes once the creation is in the read model, or fails if it was refused.
func registerCreation[R any](ctx workflow.Context, l *lifecycle, name string, result func() R) error {
	return workflow.SetUpdateHandler(ctx, name, func(ctx workflow.Context) (R, error) {
		var zero R
		if err := workflow.Await(ctx, func() bool { return l.saved >= 1 || l.refused }); err != nil {
			return zero, err
		}
		if l.refused {
			return zero, businessError(domain.E(domain.CodeInternal, "error.save_refused"))
		}
		return result(), nil
	})
}

// begin records the creation on a first run (first set) or notes, on a
// continued run, that the state's version is saved already. A creation the
// read model refuses for good ends the workflow once its update has answered.
func (l *lifecycle) begin(ctx workflow.Context, first *domain.Event, version int64, save func([]domain.Event) error, what, id string) error {
	if first == nil {
		l.saved = version
		return nil
	}
	if err := save([]domain.Event{*first}); err != nil {
		l.refused = true
		workflow.GetLogger(ctx).Error(what+" creation refused by the read model", "id", id, "error", err)
		_ = workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
		return err
	}
	return nil
}

// live fires the subject's deadlines as they come until it ends or Temporal
// suggests a new run, then lets running updates finish. It tells whether
// the subject ended; otherwise the caller continues as new.
func live(ctx workflow.Context, pending func() []domain.Deadline, ended func() bool, fire func(domain.Deadline)) (bool, error) {
	done := func() bool { return ended() || workflow.GetInfo(ctx).GetContinueAsNewSuggested() }
	for !done() {
		due, err := awaitDeadlines(ctx, pending, done)
		if err != nil {
			return false, err
		}
		for _, d := range due {
			fire(d)
		}
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return false, err
	}
	return ended(), nil
}
