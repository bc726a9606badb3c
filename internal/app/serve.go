package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os/signal"
	"syscall"
	"time"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/metrics"
	"essor/internal/server"
)

// Role says which parts a process runs.
type Role int

const (
	RoleAll    Role = iota // embedded (or external) Temporal, worker and web
	RoleWorker             // the worker only
	RoleWeb                // the web server only
)

// Embedded is a Temporal server running inside the process.
type Embedded interface {
	Address() string
	Stop()
}

// startEmbedded starts the in-process Temporal server; nil in builds made
// without it (-tags noembed), whose processes need TEMPORAL_ADDRESS.
var startEmbedded func(cfg config.Config, log *slog.Logger) (Embedded, error)

// Serve runs the parts of Essor that role names until ctx ends or the
// process receives SIGINT or SIGTERM.
func Serve(ctx context.Context, cfg config.Config, log *slog.Logger, role Role) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	address := cfg.TemporalAddress
	if address == "" && role != RoleAll {
		return usageError{"TEMPORAL_ADDRESS est requis : « worker » et « web » se connectent à un Temporal externe (« essor serve » embarque le sien)"}
	}
	if address == "" && startEmbedded == nil {
		return usageError{"cette version d'essor est compilée sans Temporal embarqué : définissez TEMPORAL_ADDRESS"}
	}

	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()

	if address == "" {
		t0 := time.Now()
		srv, err := startEmbedded(cfg, log)
		if err != nil {
			return fmt.Errorf("temporal embarqué : %w", err)
		}
		defer srv.Stop()
		address = srv.Address()
		log.Info("embedded Temporal started", "address", address, "database", cfg.TemporalDatabase(),
			"took_ms", time.Since(t0).Milliseconds())
	}
	tc, err := dialTemporal(ctx, address, cfg.TemporalNamespace, log)
	if err != nil {
		return err
	}
	defer tc.Close()

	m := metrics.New()
	if role != RoleWeb {
		withMail, err := WithMail(cfg)
		if err != nil {
			return err
		}
		w := NewWorker(tc, cfg.TaskQueue, db, log, m, withMail, WithWebhooks(cfg))
		if err := w.Start(); err != nil {
			return fmt.Errorf("worker : %w", err)
		}
		defer w.Stop()
		if err := ensureMailSchedules(ctx, tc, cfg, log); err != nil {
			// E-mails wait in the outbox; the rest of Essor does not wait for them.
			log.Error("e-mail schedules not set: nothing is sent until the next start", "error", err)
		}
		log.Info("worker started", "task_queue", cfg.TaskQueue, "temporal", address, "namespace", cfg.TemporalNamespace)
	}
	if role == RoleWorker {
		<-ctx.Done()
		log.Info("shutting down")
		return nil
	}

	web := NewHTTP(cfg, db, tc, m, log)
	go janitor(ctx, cfg, log, db)
	errc := make(chan error, 1)
	go func() { errc <- web.Listen(cfg.Addr) }()
	serveMetrics(cfg, web, log)
	log.Info("essor is ready", "url", hostURL(cfg.Addr), "database", redact(cfg.DatabaseURL),
		"data_dir", cfg.DataDir, "temporal", address)
	if n, err := db.CountActiveWithRole(ctx, domain.RoleAdmin); err == nil && n == 0 {
		log.Warn("aucun compte administrateur : créez-en un avec « essor user add --email … --name … --role admin » (mot de passe sur l'entrée standard)")
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serveur web %s : %w", cfg.Addr, err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := web.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Warn("web shutdown", "error", err)
	}
	return nil
}

// serveMetrics serves /metrics on ESSOR_METRICS_ADDR, apart from the
// application (Shutdown stops it). Metrics are not worth stopping Essor
// for: an address that cannot be listened on is logged, and Essor serves on.
func serveMetrics(cfg config.Config, web *server.Server, log *slog.Logger) {
	if cfg.MetricsAddr == "" {
		return
	}
	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		log.Error("metrics not served: ESSOR_METRICS_ADDR cannot be listened on", "addr", cfg.MetricsAddr, "error", err)
		return
	}
	log.Info("metrics served", "url", "http://"+ln.Addr().String()+"/metrics")
	go func() {
		if err := web.ServeMetrics(ln); err != nil {
			log.Error("metrics listener", "addr", cfg.MetricsAddr, "error", err)
		}
	}()
}
