package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/worker"

	"essor/internal/config"
	"essor/internal/loadgen"
	"essor/internal/metrics"
	"essor/internal/storage"
)

// Bench is the load generator: on a fresh database and a fresh embedded
// Temporal (persisted to a file, as `essor serve` runs), it first measures
// the raw rate of trivial workflows, then submits N needs over HTTP with C
// concurrent clients and drives each through qualification, study, votes,
// carrier and pilot, printing throughput and latency percentiles per action.
func Bench(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stdout)
	needs := fs.Int("needs", 2000, "number of needs (N)")
	clients := fs.Int("clients", 32, "concurrent clients (C)")
	raw := fs.Bool("raw", true, "first measure N trivial workflows (the ceiling to compare with)")
	keep := fs.Bool("keep", false, "keep the benchmark database and data directory")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the pipeline phases to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile at the end of the run to this file")
	workflowCache := fs.Int("workflow-cache", 0, "workflows the SDK keeps in memory between tasks (0: its default, 10,000)")
	seed := fs.Int("seed", 0, "before the read phase, write this many needs straight into the read model")
	reads := fs.Int("reads", 5000, "requests per page in the read phase (0: no read phase)")
	boardClients := fs.Int("board-clients", 8, "concurrent clients of the board in the read phase")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{"bench : " + err.Error()}
	}
	if startEmbedded == nil {
		return usageError{"bench a besoin du Temporal embarqué (binaire compilé sans -tags noembed)"}
	}
	if *needs < 1 || *clients < 1 || *boardClients < 1 {
		return usageError{"bench : -needs, -clients et -board-clients doivent être positifs"}
	}
	if *seed < 0 || *reads < 0 {
		return usageError{"bench : -seed et -reads ne peuvent pas être négatifs"}
	}
	if *workflowCache > 0 { // before any worker is made: the cache is the process's
		worker.SetStickyWorkflowCacheSize(*workflowCache)
	}
	rss := loadgen.StartRSS(ctx)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))

	// A database and a data directory of the benchmark's own.
	u, err := url.Parse(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	u.Path = "/essor_bench_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	cfg.DatabaseURL = u.String()
	if cfg.DataDir, err = os.MkdirTemp("", "essor-bench-"); err != nil {
		return err
	}
	cfg.TemporalPort, cfg.TaskQueue, cfg.Addr = 0, "essor-bench", "127.0.0.1:0"
	defer func() {
		if *keep {
			fmt.Fprintf(stdout, "kept: %s and %s\n", redact(cfg.DatabaseURL), cfg.DataDir)
			return
		}
		_ = storage.DropDatabase(context.Background(), cfg.DatabaseURL)
		_ = os.RemoveAll(cfg.DataDir)
	}()
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	srv, err := startEmbedded(cfg, quiet)
	if err != nil {
		return err
	}
	defer srv.Stop()
	tc, err := dialTemporal(ctx, srv.Address(), cfg.TemporalNamespace, quiet)
	if err != nil {
		return err
	}
	defer tc.Close()

	fmt.Fprintf(stdout, "essor bench: N=%d needs, C=%d clients, Temporal on SQLite file %s (WAL)\n", *needs, *clients,
		filepath.Join(cfg.DataDir, "temporal.db"))
	fmt.Fprintf(stdout, "peak RSS: of this one process (embedded Temporal, worker, HTTP server and the clients), sampled every 50 ms\n\n")
	var ceiling loadgen.Rates
	if *raw {
		if ceiling, err = loadgen.Raw(ctx, tc, *needs, *clients, rss, stdout); err != nil {
			return err
		}
	}

	w := NewWorker(tc, cfg.TaskQueue, db, quiet, nil)
	if err := w.Start(); err != nil {
		return err
	}
	defer w.Stop()
	web := NewHTTP(cfg, db, tc, metrics.New(), quiet)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = web.App().Listener(ln) }()
	defer web.Shutdown(context.Background()) //nolint:errcheck
	base := "http://" + ln.Addr().String()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	b := &loadgen.Bench{Ctx: ctx, DB: db, Base: base, RSS: rss, Stdout: stdout,
		HC: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *clients * 2, MaxConnsPerHost: *clients * 2}}}
	phases, err := b.Pipeline(*needs, *clients)
	if err != nil {
		return err
	}
	if *raw {
		loadgen.PrintRatios(stdout, ceiling, phases)
	}
	if *reads > 0 || *seed > 0 {
		if err := b.ReadPhase(*seed, *reads, *clients, *boardClients); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "\npeak RSS of the whole run: %d MB\n", loadgen.PeakRSS()/1024)
	if *memProfile != "" {
		f, err := os.Create(*memProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		return pprof.WriteHeapProfile(f)
	}
	return nil
}
