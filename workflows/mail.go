package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"essor/activities"
	"essor/internal/domain"
)

// Names of the e-mail workflows, which Temporal Schedules start (see
// internal/app/mail.go): MailSend every minute, MailDigest once a day.
const (
	MailSendWorkflowName   = "MailSend"
	MailDigestWorkflowName = "MailDigest"
)

// MailSendInput starts a sending run.
type MailSendInput struct{}

// MailSendResult is what a sending run did.
type MailSendResult struct {
	Sent   int `json:"sent"`
	Failed int `json:"failed"`
}

// maxBatchesPerRun bounds a run's history; the next run takes the rest.
const maxBatchesPerRun = 20

// MailSend sends the messages people want at once, batch after batch. An
// SMTP server away fails the batch's activity, which is retried with a
// growing delay: messages wait in the outbox, nothing else waits for them.
func MailSend(ctx workflow.Context, _ MailSendInput) (MailSendResult, error) {
	ctx = withMailOptions(ctx, time.Hour)
	var out MailSendResult
	for range maxBatchesPerRun {
		var r activities.SendResult
		if err := workflow.ExecuteActivity(ctx, a.SendPending).Get(ctx, &r); err != nil {
			return out, err
		}
		out.Sent += r.Sent
		out.Failed += r.Failed
		if !r.More {
			break
		}
	}
	return out, nil
}

// MailDigestInput starts a digest run.
type MailDigestInput struct{}

// MailDigestResult is what a digest run did.
type MailDigestResult struct {
	People   int `json:"people"`
	Messages int `json:"messages"`
}

// MailDigest sends each person one e-mail grouping what waits for their
// digest (queued before the run started); one person's failing address
// does not hold the others'.
func MailDigest(ctx workflow.Context, _ MailDigestInput) (MailDigestResult, error) {
	now := workflow.Now(ctx)
	in := activities.DigestInput{Before: now, Day: now.In(domain.Paris).Format(time.DateOnly)}
	ctx = withMailOptions(ctx, 12*time.Hour)
	var people []string
	if err := workflow.ExecuteActivity(ctx, a.DigestRecipients, in).Get(ctx, &people); err != nil {
		return MailDigestResult{}, err
	}
	out := MailDigestResult{}
	var failed error
	for _, id := range people {
		var n int
		if err := workflow.ExecuteActivity(ctx, a.SendDigest, activities.SendDigestInput{DigestInput: in, RecipientID: id}).Get(ctx, &n); err != nil {
			failed = err // its messages stay queued for tomorrow's digest
			continue
		}
		if n > 0 {
			out.People++
			out.Messages += n
		}
	}
	return out, failed
}

// withMailOptions: retried with a growing delay (up to 10 minutes between
// tries) for as long as within.
func withMailOptions(ctx workflow.Context, within time.Duration) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    5 * time.Minute,
		ScheduleToCloseTimeout: within,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 5 * time.Second, BackoffCoefficient: 2,
			MaximumInterval: 10 * time.Minute},
	})
}
