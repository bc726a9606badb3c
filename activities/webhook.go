package activities

import (
	"context"
	"net/http"
	"sync"
	"time"

	"essor/internal/webhook"
)

// Webhooks sends the deliveries of the targets admins registered.
type Webhooks struct {
	AllowPrivate bool // ESSOR_WEBHOOK_ALLOW_PRIVATE
	once         sync.Once
	client       *http.Client
}

func (w *Webhooks) http() *http.Client {
	w.once.Do(func() { w.client = webhook.Client(w.AllowPrivate) })
	return w.client
}

// WebhookResult is what a sending round did.
type WebhookResult struct {
	Delivered int  `json:"delivered"`
	Failed    int  `json:"failed"`
	More      bool `json:"more"` // a full batch: others may be due
}

// webhookBatch bounds one round; webhookLease outlasts a round's sending.
const (
	webhookBatch = 50
	webhookLease = 2 * time.Minute
)

// SendWebhooks sends, for each target and subject, its oldest due delivery,
// in parallel across subjects; each try is logged with the target's answer,
// a failure waits a growing delay (webhook.Backoff) for 24 hours. A target
// that fails is the delivery's business, never the activity's: it succeeds
// unless the database does not answer.
func (a *Activities) SendWebhooks(ctx context.Context) (WebhookResult, error) {
	var res WebhookResult
	if a.Webhooks == nil {
		return res, nil
	}
	due, err := a.DB.ClaimDueWebhooks(ctx, webhookBatch, webhookLease)
	if err != nil || len(due) == 0 {
		return res, err
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var recordErr error
	sem := make(chan struct{}, 8)
	for _, d := range due {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			start := time.Now()
			status, err := webhook.Send(ctx, a.Webhooks.http(), webhook.Delivery{ID: d.ID, URL: d.URL, Secret: d.Secret,
				Payload: d.Payload, At: time.Now()})
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			rerr := a.DB.RecordWebhookAttempt(ctx, d, status, msg, time.Since(start), webhook.Backoff(d.Attempts+1))
			mu.Lock()
			defer mu.Unlock()
			if rerr != nil {
				recordErr = rerr // its lease expires: the delivery is tried again, with the same id
			}
			if err == nil {
				res.Delivered++
			} else {
				res.Failed++
			}
		}()
	}
	wg.Wait()
	res.More = len(due) == webhookBatch
	return res, recordErr
}
