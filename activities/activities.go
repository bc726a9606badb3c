// Package activities holds the side effects of Essor's workflows; workflows
// call them through a nil *Activities.
package activities

import (
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"essor/internal/storage"
)

// Activities holds what the side effects need.
type Activities struct {
	DB  *storage.DB
	Log *slog.Logger
	// Refused counts writes the read model refused for good (an alert).
	Refused prometheus.Counter
	// Mail sends the outbox's e-mails (mail.go); nil sends nothing.
	Mail *Mail
	// Webhooks sends the webhooks' deliveries (webhook.go); nil sends nothing.
	Webhooks *Webhooks
}

func (a *Activities) refused(kind, id string, version int64, err error) {
	if a.Log != nil {
		a.Log.Error("read model refused a write for good", "subject", kind, "id", id, "version", version, "error", err)
	}
	if a.Refused != nil {
		a.Refused.Inc()
	}
}
