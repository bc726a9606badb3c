// Package app wires Essor's parts into its sub-commands.
package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"essor/activities"
	"essor/internal/auth"
	"essor/internal/calls"
	"essor/internal/committee"
	"essor/internal/config"
	"essor/internal/demo"
	"essor/internal/domain"
	"essor/internal/emergence"
	"essor/internal/indicators"
	"essor/internal/metrics"
	"essor/internal/rally"
	"essor/internal/server"
	"essor/internal/storage"
	"essor/internal/studyaction"
	"essor/workflows"
)

// Usage is printed for a missing or unknown sub-command.
const Usage = `essor — incubateur collaboratif de projets d'innovation sociale

Usage:
  essor serve      tout en un : Temporal embarqué, worker et serveur web
  essor worker     le worker seul, sur le Temporal de TEMPORAL_ADDRESS
  essor web        le serveur web seul, sur le Temporal de TEMPORAL_ADDRESS
  essor migrate    applique les migrations de la base
  essor user add --email E --name "N" --role R [--role R2] [--organisation O] [--organisation-id ID]
                   crée un compte (mot de passe lu sur l'entrée standard)
  essor user list  liste les comptes
  essor bench      générateur de charge (essor bench -h)
  essor demo       besoins de démonstration sur un Essor lancé (make demo)
  essor directory import FICHIER.csv
                   importe l'annuaire des structures (CRESS, observatoire)
  essor openapi    écrit le document OpenAPI de l'API (JSON) sur la sortie standard

Configuration : DATABASE_URL, ESSOR_ADDR, ESSOR_DATA_DIR, TEMPORAL_ADDRESS,
TEMPORAL_NAMESPACE (voir README.md).
`

// Main runs one sub-command and returns the process's exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, Usage)
		return 2
	}
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(stderr, "essor:", err)
		return 2
	}
	log := newLogger(cfg, stderr)
	switch args[0] {
	case "serve":
		err = Serve(ctx, cfg, log, RoleAll)
	case "worker":
		err = Serve(ctx, cfg, log, RoleWorker)
	case "web":
		err = Serve(ctx, cfg, log, RoleWeb)
	case "migrate":
		err = migrate(ctx, cfg, stdout)
	case "user":
		err = userCommand(ctx, cfg, args[1:], stdin, stdout)
	case "bench":
		err = Bench(ctx, cfg, log, args[1:], stdout)
	case "demo":
		err = demo.Run(ctx, args[1:], stdout)
	case "directory":
		err = directoryCommand(ctx, cfg, args[1:], stdout, stderr)
	case "openapi":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(server.Document())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, Usage)
		return 0
	default:
		fmt.Fprintf(stderr, "essor: sous-commande inconnue %q\n\n%s", args[0], Usage)
		return 2
	}
	if err != nil {
		var usage usageError
		var demoUsage demo.UsageError
		if errors.As(err, &usage) || errors.As(err, &demoUsage) {
			fmt.Fprintln(stderr, "essor:", err)
			return 2
		}
		fmt.Fprintln(stderr, "essor:", err)
		return 1
	}
	return 0
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openDB connects, creating the database if needed, and migrates it.
func openDB(ctx context.Context, cfg config.Config) (*storage.DB, error) {
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("base de données %s : %w", redact(cfg.DatabaseURL), err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func migrate(ctx context.Context, cfg config.Config, stdout io.Writer) error {
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("base de données %s : %w", redact(cfg.DatabaseURL), err)
	}
	defer db.Close()
	ran, err := db.Migrate(ctx)
	for _, m := range ran {
		fmt.Fprintln(stdout, "appliquée :", m)
	}
	if err == nil && len(ran) == 0 {
		fmt.Fprintln(stdout, "base à jour")
	}
	return err
}

// dialTemporal connects to a Temporal frontend, waiting for it to come up
// (in docker-compose the worker may start before Temporal).
func dialTemporal(ctx context.Context, address, namespace string, log *slog.Logger) (client.Client, error) {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		c, err := client.DialContext(ctx, client.Options{
			HostPort:  address,
			Namespace: namespace,
			Logger:    sdklog.NewStructuredLogger(log.With("component", "temporal-sdk")),
		})
		if err == nil {
			return c, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("temporal %s : %w", address, err)
		}
		log.Warn("waiting for Temporal", "address", address, "error", err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

// NewWorker registers every workflow and activity on Essor's task queue.
func NewWorker(c client.Client, taskQueue string, db *storage.DB, log *slog.Logger, m *metrics.Metrics, opts ...WorkerOption) worker.Worker {
	w := worker.New(c, taskQueue, worker.Options{
		MaxConcurrentWorkflowTaskPollers: 8,
		MaxConcurrentActivityTaskPollers: 4,
	})
	workflows.Register(w)
	acts := &activities.Activities{DB: db, Log: log}
	if m != nil {
		acts.Refused = m.ReadModelRefused
	}
	for _, o := range opts {
		o(acts)
	}
	w.RegisterActivity(acts)
	return w
}

// NewHTTP builds the web server and its services.
func NewHTTP(cfg config.Config, db *storage.DB, tc client.Client, m *metrics.Metrics, log *slog.Logger) *server.Server {
	ref := storage.NewReference(db, time.Minute)
	// The pipeline's writes go through the monitor's guard: while PostgreSQL
	// or Temporal is away they answer 503 at once instead of waiting.
	monitor := server.NewMonitor(db, tc, log)
	needs := &emergence.Service{DB: db, Ref: ref, Temporal: monitor.Guard(tc), TaskQueue: cfg.TaskQueue, Policy: cfg.Policy,
		Committee: &committee.Committee{DB: db, Fixed: cfg.Quorum},
		Observe:   func(a domain.Action, outcome string) { m.Actions.WithLabelValues(string(a), outcome).Inc() }}
	rounds := &rally.Service{DB: db, Temporal: monitor.Guard(tc), TaskQueue: cfg.TaskQueue,
		Observe: func(a domain.Action, outcome string) { m.Actions.WithLabelValues("rally."+string(a), outcome).Inc() }}
	if cfg.FundTargets.From == "" { // a Config not read by config.Load (tests, tools)
		cfg.FundTargets = domain.DefaultFundTargets
	}
	if cfg.StudyActions == (domain.StudyActionPolicy{}) {
		cfg.StudyActions = domain.DefaultStudyActionPolicy
	}
	studies := &studyaction.Service{DB: db, Temporal: monitor.Guard(tc), TaskQueue: cfg.TaskQueue, Policy: cfg.StudyActions,
		FundTargets: cfg.FundTargets, Committee: needs.Committee,
		Observe: func(a domain.Action, outcome string) {
			m.Actions.WithLabelValues("study_action."+string(a), outcome).Inc()
		}}
	callsFor := &calls.Service{DB: db, Ref: ref, Temporal: monitor.Guard(tc), TaskQueue: cfg.TaskQueue,
		Policy: domain.CallPolicy{CommitteeWithin: cfg.Policy.CommitteeWithin}, Committee: needs.Committee,
		Observe: func(a domain.Action, outcome string) { m.Actions.WithLabelValues("call."+string(a), outcome).Inc() }}
	return server.New(server.Deps{Config: cfg, DB: db, Reference: ref, Needs: needs, StudyActions: studies, Calls: callsFor,
		Indicators: &indicators.Service{DB: db, Ref: ref, FundTargets: cfg.FundTargets},
		Sessions:   auth.NewSessions(db, cfg.SessionTTL), Temporal: tc, Metrics: m, Log: log, Monitor: monitor, Rally: rounds})
}

// redact hides the password of a database URL.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(adresse illisible)"
	}
	return p.Redacted()
}

func hostURL(addr string) string {
	if strings.HasPrefix(addr, ":") {
		return "http://localhost" + addr
	}
	return "http://" + addr
}
