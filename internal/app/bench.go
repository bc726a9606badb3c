package app

import (
	"context"
	"io"
	"log/slog"

	"essor/internal/config"
)

// Bench is the load generator (see bench_run.go).
func Bench(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	return usageError{"bench: pas encore disponible"}
}
