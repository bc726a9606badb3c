package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"essor/activities"
)

// WebhookSendWorkflowName is the webhooks' sender, which a Temporal Schedule
// starts every minute (internal/app/mail.go).
const WebhookSendWorkflowName = "WebhookSend"

// WebhookSendInput starts a sending run; Within is how long it keeps
// looking for due deliveries (default 55 s, under the schedule's minute).
type WebhookSendInput struct {
	Within time.Duration `json:"within,omitempty"`
}

// webhookPoll is the wait between rounds of a run: deliveries leave a few
// seconds after their change.
const webhookPoll = 3 * time.Second

// WebhookSend sends due deliveries round after round for under a minute.
// Deliveries live in PostgreSQL, written with their change: a run that
// stops (a crash, a restart) leaves them there, and the next run sends them
// with the same webhook-id.
func WebhookSend(ctx workflow.Context, in WebhookSendInput) (activities.WebhookResult, error) {
	within := in.Within
	if within <= 0 {
		within = 55 * time.Second
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second, MaximumAttempts: 5},
	})
	end := workflow.Now(ctx).Add(within)
	var out activities.WebhookResult
	for {
		var r activities.WebhookResult
		if err := workflow.ExecuteActivity(ctx, a.SendWebhooks).Get(ctx, &r); err != nil {
			return out, err
		}
		out.Delivered += r.Delivered
		out.Failed += r.Failed
		if !workflow.Now(ctx).Before(end) {
			return out, nil
		}
		if !r.More {
			if err := workflow.Sleep(ctx, webhookPoll); err != nil {
				return out, err
			}
		}
	}
}
