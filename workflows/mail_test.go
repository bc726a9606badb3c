package workflows_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"essor/activities"
	"essor/workflows"
)

func TestDigestRunRetriesAFailingServerAndGroupsPerPerson(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	workflows.Register(env)
	acts := &activities.Activities{}
	env.RegisterActivity(acts)
	// 06:00 UTC on 7 December is 07:00 in Paris, the default digest hour.
	start := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	env.SetStartTime(start)

	env.OnActivity(acts.DigestRecipients, mock.Anything, activities.DigestInput{Before: start, Day: "2026-12-07"}).
		Return([]string{"claire", "john", "nobody"}, nil)
	tries := 0
	env.OnActivity(acts.SendDigest, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.SendDigestInput) (int, error) {
		switch in.RecipientID {
		case "claire":
			if tries++; tries <= 3 {
				return 0, errors.New("451 try again later") // the SMTP server fails for a while
			}
			return 3, nil
		case "john":
			return 2, nil
		}
		return 0, nil // nothing left for them (sent meanwhile)
	})
	env.ExecuteWorkflow(workflows.MailDigestWorkflowName, workflows.MailDigestInput{})
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("digest run: %v", env.GetWorkflowError())
	}
	var res workflows.MailDigestResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.People != 2 || res.Messages != 5 || tries != 4 {
		t.Fatalf("result %+v after %d tries", res, tries)
	}
	// The retries waited 5 s, 10 s and 20 s of (skipped) time.
	if waited := env.Now().Sub(start); waited < 35*time.Second {
		t.Fatalf("waited %v", waited)
	}
}

func TestSendRunGoesOnWhileBatchesAreFull(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	workflows.Register(env)
	acts := &activities.Activities{}
	env.RegisterActivity(acts)
	batches := []activities.SendResult{{Sent: 50, More: true}, {Sent: 49, Failed: 1, More: true}, {Sent: 3}}
	calls := 0
	env.OnActivity(acts.SendPending, mock.Anything).Return(func(context.Context) (activities.SendResult, error) {
		calls++
		if calls == 2 {
			return activities.SendResult{}, errors.New("connection refused") // the server away between two batches
		}
		r := batches[0]
		batches = batches[1:]
		return r, nil
	})
	env.ExecuteWorkflow(workflows.MailSendWorkflowName, workflows.MailSendInput{})
	var res workflows.MailSendResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Sent != 102 || res.Failed != 1 || calls != 4 {
		t.Fatalf("result %+v in %d calls", res, calls)
	}
}
