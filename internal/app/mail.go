package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"essor/activities"
	"essor/internal/config"
	"essor/internal/mail"
	"essor/workflows"
)

// WorkerOption adds to a worker what some activities need.
type WorkerOption func(*activities.Activities)

// WithWebhooks makes the worker deliver the webhooks.
func WithWebhooks(cfg config.Config) WorkerOption {
	return func(a *activities.Activities) {
		a.Webhooks = &activities.Webhooks{AllowPrivate: cfg.WebhookAllowPrivate}
	}
}

// WithMail gives the worker the SMTP server of SMTP_URL (none when empty:
// messages then wait in the outbox, visible to admins).
func WithMail(cfg config.Config) (WorkerOption, error) {
	sender, err := mail.NewSender(cfg.SMTPURL, cfg.MailFrom)
	if err != nil {
		return nil, err
	}
	return func(a *activities.Activities) {
		a.Mail = &activities.Mail{Sender: sender, BaseURL: cfg.BaseURL, UnsubscribeTTL: cfg.UnsubscribeTTL}
	}, nil
}

// Schedule ids: one of each per Temporal namespace and task queue.
func mailScheduleIDs(taskQueue string) (send, digest string) {
	return "essor-mail-send-" + taskQueue, "essor-mail-digest-" + taskQueue
}

// webhookScheduleID names the webhooks' sender's schedule.
func webhookScheduleID(taskQueue string) string { return "essor-webhook-send-" + taskQueue }

// MailSchedules are the schedules of what leaves Essor: e-mails people want
// at once, every minute; webhooks' deliveries, every minute (each run looks
// for due ones for most of its minute); the daily digest, at
// ESSOR_DIGEST_HOUR in Paris.
// A run still going (an SMTP server away) makes the next ones skip.
func MailSchedules(cfg config.Config) []client.ScheduleOptions {
	sendID, digestID := mailScheduleIDs(cfg.TaskQueue)
	return []client.ScheduleOptions{
		{
			ID:      sendID,
			Spec:    client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: time.Minute}}},
			Overlap: skipOverlap,
			Action: &client.ScheduleWorkflowAction{ID: sendID, Workflow: workflows.MailSendWorkflowName,
				Args: []any{workflows.MailSendInput{}}, TaskQueue: cfg.TaskQueue},
		},
		{
			ID:   webhookScheduleID(cfg.TaskQueue),
			Spec: client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: time.Minute}}},
			// The first run starts with the schedule, not a minute later.
			TriggerImmediately: true,
			Overlap:            skipOverlap,
			Action: &client.ScheduleWorkflowAction{ID: webhookScheduleID(cfg.TaskQueue), Workflow: workflows.WebhookSendWorkflowName,
				Args: []any{workflows.WebhookSendInput{}}, TaskQueue: cfg.TaskQueue},
		},
		{
			ID: digestID,
			Spec: client.ScheduleSpec{
				Calendars:    []client.ScheduleCalendarSpec{{Hour: []client.ScheduleRange{{Start: cfg.DigestHour}}}},
				TimeZoneName: "Europe/Paris",
			},
			Overlap: skipOverlap,
			Action: &client.ScheduleWorkflowAction{ID: digestID, Workflow: workflows.MailDigestWorkflowName,
				Args: []any{workflows.MailDigestInput{}}, TaskQueue: cfg.TaskQueue},
		},
	}
}

const skipOverlap = enumspb.SCHEDULE_OVERLAP_POLICY_SKIP

// ensureMailSchedules creates the schedules, or brings an existing one's
// timing up to date (ESSOR_DIGEST_HOUR may have changed).
func ensureMailSchedules(ctx context.Context, tc client.Client, cfg config.Config, log *slog.Logger) error {
	for _, opts := range MailSchedules(cfg) {
		_, err := tc.ScheduleClient().Create(ctx, opts)
		if err == nil {
			continue
		}
		var exists *serviceerror.AlreadyExists
		if !errors.As(err, &exists) && !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
			return fmt.Errorf("schedule %s: %w", opts.ID, err)
		}
		spec := opts.Spec
		err = tc.ScheduleClient().GetHandle(ctx, opts.ID).Update(ctx, client.ScheduleUpdateOptions{
			DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
				in.Description.Schedule.Spec = &spec
				return &client.ScheduleUpdate{Schedule: &in.Description.Schedule}, nil
			},
		})
		if err != nil {
			return fmt.Errorf("schedule %s: %w", opts.ID, err)
		}
		// A schedule meant to start at once runs again at each start: what
		// waited while Essor was down (webhook deliveries) leaves without
		// waiting for the next tick.
		if opts.TriggerImmediately {
			if err := tc.ScheduleClient().GetHandle(ctx, opts.ID).Trigger(ctx, client.ScheduleTriggerOptions{Overlap: skipOverlap}); err != nil {
				return fmt.Errorf("schedule %s: %w", opts.ID, err)
			}
		}
	}
	log.Info("e-mail schedules ready", "digest_hour", cfg.DigestHour, "smtp", cfg.SMTPURL != "")
	return nil
}
