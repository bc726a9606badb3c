package app

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/storage"
)

// janitor runs hourly: it removes expired sessions and day-old idempotency
// records, and erases the people whose accounts were closed longer ago than
// the retention period (ESSOR_RETENTION_CLOSED_ACCOUNTS).
func janitor(ctx context.Context, cfg config.Config, log *slog.Logger, db *storage.DB) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := db.PurgeExpired(ctx, storage.ReplayKeep); err != nil && ctx.Err() == nil {
			log.Warn("purge expired sessions", "error", err)
		}
		eraseClosedAccounts(ctx, cfg, log, db, time.Now())
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// eraseClosedAccounts erases, as an erasure by an admin would, the people
// whose accounts were closed before now minus the retention period.
func eraseClosedAccounts(ctx context.Context, cfg config.Config, log *slog.Logger, db *storage.DB, now time.Time) {
	keep := cfg.RetainClosedAccounts
	if keep <= 0 {
		return
	}
	period := keep.String()
	if keep%(24*time.Hour) == 0 {
		period = strconv.Itoa(int(keep/(24*time.Hour))) + "d"
	}
	// The reason is kept in the audit trail, read by French-speaking admins.
	reason := i18n.T(i18n.FR, "privacy.retention_reason", period)
	ids, err := db.EraseClosedAccounts(ctx, now.Add(-keep), storage.Erasure{By: domain.System, Reason: reason})
	for _, id := range ids {
		log.Info("closed account erased", "user", id, "retention", period)
	}
	if err != nil && ctx.Err() == nil {
		log.Warn("erase closed accounts", "error", err)
	}
}
