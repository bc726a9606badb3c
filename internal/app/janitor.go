package app

import (
	"context"
	"log/slog"
	"time"

	"essor/internal/config"
	"essor/internal/storage"
)

// janitor removes expired sessions and day-old idempotency records hourly.
func janitor(ctx context.Context, _ config.Config, log *slog.Logger, db *storage.DB) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := db.PurgeExpired(ctx, 24*time.Hour); err != nil && ctx.Err() == nil {
			log.Warn("purge expired sessions", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
