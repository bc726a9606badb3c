//go:build !noembed

package app

import (
	"log/slog"

	"essor/internal/config"
	"essor/internal/temporalserver"
)

func init() {
	startEmbedded = func(cfg config.Config, log *slog.Logger) (Embedded, error) {
		return temporalserver.Start(temporalserver.Options{
			DatabaseFile: cfg.TemporalDatabase(),
			Port:         cfg.TemporalPort,
			Namespace:    cfg.TemporalNamespace,
			Logger:       log.With("component", "temporal-server"),
		})
	}
}
