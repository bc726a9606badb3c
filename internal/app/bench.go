package app

import (
	"bytes"
	"context"
	"encoding/json"
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
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"essor/internal/auth"
	"essor/internal/config"
	"essor/internal/domain"
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
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{"bench : " + err.Error()}
	}
	if startEmbedded == nil {
		return usageError{"bench a besoin du Temporal embarqué (binaire compilé sans -tags noembed)"}
	}
	if *needs < 1 || *clients < 1 {
		return usageError{"bench : -needs et -clients doivent être positifs"}
	}
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

	fmt.Fprintf(stdout, "essor bench: N=%d needs, C=%d clients, Temporal on SQLite file %s (WAL)\n\n", *needs, *clients,
		filepath.Join(cfg.DataDir, "temporal.db"))
	if *raw {
		if err := benchRaw(ctx, tc, *needs, *clients, stdout); err != nil {
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
	return benchPipeline(ctx, db, base, *needs, *clients, stdout)
}

// benchRaw starts n trivial workflows, c at a time, each awaited to its end.
func benchRaw(ctx context.Context, tc client.Client, n, c int, stdout io.Writer) error {
	const queue = "essor-bench-raw"
	w := worker.New(tc, queue, worker.Options{MaxConcurrentWorkflowTaskPollers: 8})
	w.RegisterWorkflowWithOptions(func(workflow.Context) error { return nil }, workflow.RegisterOptions{Name: "Trivial"})
	if err := w.Start(); err != nil {
		return err
	}
	defer w.Stop()
	run := func(name string, await bool) error {
		st := newStats(name)
		err := parallel(n, c, func(i int) error {
			t0 := time.Now()
			r, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: fmt.Sprintf("raw-%s-%d-%s", name, i, uuid.NewString()[:8]), TaskQueue: queue}, "Trivial")
			if err == nil && await {
				err = r.Get(ctx, nil)
			}
			st.add(time.Since(t0), err == nil)
			return err
		}, st)
		st.print(stdout)
		return err
	}
	fmt.Fprintln(stdout, "Raw embedded Temporal (the ceiling):")
	printHeader(stdout)
	if err := run("start+complete", true); err != nil {
		return err
	}
	if err := run("start only", false); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	return nil
}

// benchPipeline drives n needs through the pipeline over HTTP.
func benchPipeline(ctx context.Context, db *storage.DB, base string, n, c int, stdout io.Writer) error {
	hc := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: c * 2, MaxConnsPerHost: c * 2}}
	account := func(org string, role domain.Role) (string, error) {
		id := uuid.NewString()
		hash, _ := auth.HashPassword(id)
		if err := db.CreateUser(ctx, storage.User{ID: id, Email: id + "@bench.essor", Name: "Bench " + string(role),
			Organisation: org, Roles: []domain.Role{role}, PasswordHash: hash, Active: true}); err != nil {
			return "", err
		}
		tok, h := auth.NewToken()
		return tok, db.CreateSession(ctx, storage.Session{TokenHash: h, UserID: id, Kind: "api", ExpiresAt: time.Now().Add(24 * time.Hour)})
	}
	actors := make([]string, c)
	for i := range actors {
		var err error
		if actors[i], err = account(fmt.Sprintf("Organisation %d", i), domain.RoleActor); err != nil {
			return err
		}
	}
	officer, err := account("FCA", domain.RoleOfficer)
	if err != nil {
		return err
	}
	committee := make([]string, 3)
	for i := range committee {
		if committee[i], err = account("Comité", domain.RoleCommittee); err != nil {
			return err
		}
	}
	territories := []string{"25", "39", "70", "90"}
	themes := []string{"ageing", "mobility", "housing", "health", "food", "energy"}
	ids := make([]string, n)
	carriers := make([]string, n)

	post := func(token, path string, body any) (map[string]any, error) {
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequestWithContext(ctx, "POST", base+path, bytes.NewReader(raw))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", uuid.NewString())
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			return nil, fmt.Errorf("%s: %d %s", path, resp.StatusCode, out)
		}
		var m map[string]any
		return m, json.Unmarshal(out, &m)
	}
	get := func(token, path string) error {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != 200 {
			return fmt.Errorf("%s: %d", path, resp.StatusCode)
		}
		return nil
	}
	transition := func(token string, i int, body map[string]any) error {
		_, err := post(token, "/api/v1/needs/"+ids[i]+"/transitions", body)
		return err
	}

	type phase struct {
		name string
		do   func(i int) error
	}
	phases := []phase{
		{"submit", func(i int) error {
			m, err := post(actors[i%c], "/api/v1/needs", map[string]any{
				"title":       fmt.Sprintf("Besoin %d : service de %s", i, themes[i%len(themes)]),
				"description": fmt.Sprintf("Description du besoin numéro %d, remonté par un acteur du territoire pour mesurer Essor.", i),
				"theme":       themes[i%len(themes)], "territory_code": territories[i%len(territories)], "beneficiaries": 10 + i%90,
			})
			if err == nil {
				ids[i] = m["id"].(string)
			}
			return err
		}},
		{"get need", func(i int) error { return get(actors[i%c], "/api/v1/needs/"+ids[i]) }},
		{"list + search", func(i int) error {
			return get(actors[i%c], "/api/v1/needs?limit=20&territory="+territories[i%len(territories)]+"&q=service")
		}},
		{"qualify", func(i int) error { return transition(officer, i, map[string]any{"action": "qualify"}) }},
		{"start_study", func(i int) error {
			return transition(officer, i, map[string]any{"action": "start_study", "due_date": time.Now().AddDate(0, 3, 0).Format(time.DateOnly)})
		}},
		{"submit_study", func(i int) error {
			return transition(officer, i, map[string]any{"action": "submit_study", "recommendation": "go", "budget_eur": 30000,
				"summary": "Étude favorable, modèle économique viable."})
		}},
		{"vote (1st)", func(i int) error {
			return transition(committee[0], i, map[string]any{"action": "vote", "decision": "approve"})
		}},
		{"vote (deciding)", func(i int) error {
			return transition(committee[1], i, map[string]any{"action": "vote", "decision": "approve"})
		}},
		{"propose_carrier", func(i int) error {
			m, err := post(actors[i%c], "/api/v1/needs/"+ids[i]+"/transitions", map[string]any{"action": "propose_carrier",
				"organisation": "Association porteuse", "contact": "contact@porteur.fr", "motivation": "Nous portons déjà un service voisin."})
			if err == nil {
				carriers[i] = m["carriers"].([]any)[0].(map[string]any)["id"].(string)
			}
			return err
		}},
		{"start_pilot", func(i int) error {
			return transition(officer, i, map[string]any{"action": "start_pilot", "carrier_id": carriers[i], "territories": []string{territories[i%len(territories)]},
				"start_date": "2027-01-01", "end_date": "2027-12-31", "budget_eur": 30000,
				"indicators": []map[string]any{{"key": "beneficiaries", "label": "Personnes accompagnées"}}})
		}},
	}
	fmt.Fprintln(stdout, "Essor over HTTP (each request waits for the workflow and the read model):")
	printHeader(stdout)
	for _, p := range phases {
		st := newStats(p.name)
		if err := parallel(n, c, func(i int) error {
			t0 := time.Now()
			err := p.do(i)
			st.add(time.Since(t0), err == nil)
			return err
		}, st); err != nil {
			st.print(stdout)
			return fmt.Errorf("%s: %w", p.name, err)
		}
		st.print(stdout)
	}
	return nil
}

// parallel runs f(0..n-1) on c goroutines and returns the first error.
func parallel(n, c int, f func(i int) error, st *stats) error {
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	st.start = time.Now()
	for g := 0; g < c; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					once.Do(func() { firstErr = err })
				}
			}
		}()
	}
	wg.Wait()
	st.elapsed = time.Since(st.start)
	return firstErr
}

type stats struct {
	name    string
	mu      sync.Mutex
	lat     []time.Duration
	errors  int
	start   time.Time
	elapsed time.Duration
}

func newStats(name string) *stats { return &stats{name: name} }

func (s *stats) add(d time.Duration, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lat = append(s.lat, d)
	if !ok {
		s.errors++
	}
}

func printHeader(w io.Writer) {
	fmt.Fprintf(w, "  %-18s %7s %9s %8s %8s %8s %8s %6s\n", "action", "count", "per sec", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors")
}

func (s *stats) print(w io.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sort.Slice(s.lat, func(i, j int) bool { return s.lat[i] < s.lat[j] })
	pct := func(p float64) float64 {
		if len(s.lat) == 0 {
			return 0
		}
		i := int(p*float64(len(s.lat))+0.5) - 1
		i = min(max(i, 0), len(s.lat)-1)
		return float64(s.lat[i].Microseconds()) / 1000
	}
	rate := float64(len(s.lat)) / s.elapsed.Seconds()
	fmt.Fprintf(w, "  %-18s %7d %9.1f %8.1f %8.1f %8.1f %8.1f %6d\n", s.name, len(s.lat), rate, pct(.50), pct(.95), pct(.99),
		float64(slices.Max(append(s.lat, 0)).Microseconds())/1000, s.errors)
}
