package workflows

import (
	"go.temporal.io/sdk/workflow"

	"essor/internal/domain"
)

// awaitDeadlines is the one deadline mechanism of every workflow. pending
// lists the subject's deadlines not fired yet, earliest first; it sleeps on
// a durable timer (it survives restarts) until the earliest passes and
// returns every deadline whose moment has come, for the caller to record
// (each fires once: the caller keeps its key as fired, and the fired keys
// travel in the state across continue-as-new). It returns none, early, when
// the pending deadlines change (a stage moved, a date changed) or stop holds.
func awaitDeadlines(ctx workflow.Context, pending func() []domain.Deadline, stop func() bool) ([]domain.Deadline, error) {
	watched := pending()
	changed := func() bool { return stop() || !domain.SameDeadlines(watched, pending()) }
	if len(watched) == 0 {
		return nil, workflow.Await(ctx, changed)
	}
	if wait := watched[0].At.Sub(workflow.Now(ctx)); wait > 0 {
		moved, err := workflow.AwaitWithTimeout(ctx, wait, changed)
		if err != nil || moved {
			return nil, err
		}
	}
	return domain.Due(watched, workflow.Now(ctx)), nil
}
