package workflows

import (
	"errors"
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"essor/internal/domain"
)

// deadlineProbe is a workflow holding several deadlines at once through the
// shared mechanism; it continues as new after its first deadline, carrying
// the fired keys, as a long-lived workflow does.
type deadlineProbe struct {
	Deadlines []domain.Deadline `json:"deadlines"`
	Fired     []string          `json:"fired"`
	Continued bool              `json:"continued"`
}

type firing struct {
	Key string    `json:"key"`
	At  time.Time `json:"at"`
}

func deadlineProbeWorkflow(ctx workflow.Context, in deadlineProbe) ([]firing, error) {
	var log []firing
	moves := workflow.GetSignalChannel(ctx, "move")
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var d domain.Deadline
			moves.Receive(ctx, &d)
			for i := range in.Deadlines {
				if in.Deadlines[i].Key == d.Key {
					in.Deadlines[i].At = d.At
				}
			}
		}
	})
	pending := func() []domain.Deadline { return domain.PendingDeadlines(in.Deadlines, in.Fired) }
	for len(pending()) > 0 {
		due, err := awaitDeadlines(ctx, pending, func() bool { return false })
		if err != nil {
			return nil, err
		}
		for _, d := range due {
			in.Fired = append(in.Fired, d.Key)
			log = append(log, firing{d.Key, workflow.Now(ctx)})
		}
		if len(due) > 0 && !in.Continued {
			in.Continued = true
			return nil, workflow.NewContinueAsNewError(ctx, deadlineProbeWorkflow, in)
		}
	}
	return log, nil
}

func TestSeveralDeadlinesAtOnceAcrossContinueAsNew(t *testing.T) {
	start := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	at := func(h float64) time.Time { return start.Add(time.Duration(h * float64(time.Hour))) }
	in := deadlineProbe{Deadlines: []domain.Deadline{
		{Key: "report:1", At: at(1)}, {Key: "warning", At: at(3)}, {Key: "end", At: at(3)}, {Key: "report:2", At: at(2)},
	}}
	var ts testsuite.WorkflowTestSuite

	// First run: the earliest deadline fires, then the workflow continues as new.
	env := ts.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.RegisterWorkflow(deadlineProbeWorkflow)
	env.ExecuteWorkflow(deadlineProbeWorkflow, in)
	var can *workflow.ContinueAsNewError
	if !errors.As(env.GetWorkflowError(), &can) {
		t.Fatalf("first run: %v", env.GetWorkflowError())
	}
	var next deadlineProbe
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(next.Fired, []string{"report:1"}) {
		t.Fatalf("fired before continuing: %v", next.Fired)
	}

	// Second run, from the continue-as-new's moment: the others fire once
	// each, in order, two of them together; report:1 never again. A signal
	// moves report:2 later while the timer runs.
	env = ts.NewTestWorkflowEnvironment()
	env.SetStartTime(at(1))
	env.RegisterWorkflow(deadlineProbeWorkflow)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow("move", domain.Deadline{Key: "report:2", At: at(4)})
	}, 30*time.Minute)
	env.ExecuteWorkflow(deadlineProbeWorkflow, next)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var log []firing
	if err := env.GetWorkflowResult(&log); err != nil {
		t.Fatal(err)
	}
	want := []firing{{"warning", at(3)}, {"end", at(3)}, {"report:2", at(4)}}
	if len(log) != len(want) {
		t.Fatalf("fired %v, want %v", log, want)
	}
	for i := range want {
		if log[i].Key != want[i].Key || !log[i].At.Equal(want[i].At) {
			t.Fatalf("fired %v, want %v", log, want)
		}
	}
}
