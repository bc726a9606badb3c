// Package loadgen is Essor's load generator (essor bench): clients that
// drive needs through the whole pipeline over HTTP and read the pages,
// with throughput, latency percentiles and the process's memory; and the
// raw ceilings of the embedded Temporal they are compared with.
package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
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
	"essor/internal/domain"
	"essor/internal/storage"
)

// Rates are the ceilings the pipeline's figures are compared with.
type Rates struct{ startComplete, update float64 }

// benchRaw measures, c at a time, n trivial workflows started and awaited
// to their end, n started only, and n updates each on its own trivial
// running workflow: the ceilings of submissions and of stage actions. The
// trivial workflows are registered on this worker only, never with
// workflows.Register.
func Raw(ctx context.Context, tc client.Client, n, c int, rss *RSS, stdout io.Writer) (Rates, error) {
	const queue = "essor-bench-raw"
	w := worker.New(tc, queue, worker.Options{MaxConcurrentWorkflowTaskPollers: 8})
	w.RegisterWorkflowWithOptions(func(workflow.Context) error { return nil }, workflow.RegisterOptions{Name: "Trivial"})
	w.RegisterWorkflowWithOptions(func(ctx workflow.Context) error {
		updates, done := 0, false
		if err := workflow.SetUpdateHandler(ctx, "bump", func(workflow.Context) (int, error) {
			updates++
			return updates, nil
		}); err != nil {
			return err
		}
		if err := workflow.SetUpdateHandler(ctx, "finish", func(workflow.Context) error {
			done = true
			return nil
		}); err != nil {
			return err
		}
		// Open like a need's workflow until the benchmark is done with it.
		if err := workflow.Await(ctx, func() bool { return done }); err != nil {
			return err
		}
		return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
	}, workflow.RegisterOptions{Name: "TrivialUpdates"})
	if err := w.Start(); err != nil {
		return Rates{}, err
	}
	defer w.Stop()
	var rates Rates
	run := func(name string, print bool, f func(i int) error) (*stats, error) {
		st := newStats(name, rss)
		err := parallel(n, c, func(i int) error {
			t0 := time.Now()
			err := f(i)
			st.add(time.Since(t0), err == nil)
			return err
		}, st)
		if print {
			st.print(stdout)
		}
		return st, err
	}
	start := func(name, wf string, await bool) func(i int) error {
		return func(i int) error {
			r, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: fmt.Sprintf("raw-%s-%d", name, i), TaskQueue: queue}, wf)
			if err == nil && await {
				err = r.Get(ctx, nil)
			}
			return err
		}
	}
	run0 := uuid.NewString()[:8]
	fmt.Fprintln(stdout, "Raw embedded Temporal (the ceilings):")
	printHeader(stdout)
	st, err := run("start+complete", true, start("complete-"+run0, "Trivial", true))
	if err != nil {
		return rates, err
	}
	rates.startComplete = st.rate()
	if _, err := run("start only", true, start("start-"+run0, "Trivial", false)); err != nil {
		return rates, err
	}
	updateNamed := func(name string) func(i int) error {
		return func(i int) error {
			h, err := tc.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: fmt.Sprintf("raw-updatable-%s-%d", run0, i),
				UpdateName: name, WaitForStage: client.WorkflowUpdateStageCompleted})
			if err == nil {
				err = h.Get(ctx, nil)
			}
			return err
		}
	}
	update := updateNamed("bump")
	// Not measured: each workflow started and updated once, as a need is
	// running and has been acted on before its next stage action.
	if _, err := run("(setup)", false, func(i int) error {
		if err := start("updatable-"+run0, "TrivialUpdates", false)(i); err != nil {
			return err
		}
		return update(i)
	}); err != nil {
		return rates, err
	}
	st, err = run("update", true, update)
	if err != nil {
		return rates, err
	}
	rates.update = st.rate()
	// Not measured either: the trivial workflows end, so that the memory
	// they hold does not weigh on the phases that follow.
	if _, err := run("(finish)", false, updateNamed("finish")); err != nil {
		return rates, err
	}
	fmt.Fprintln(stdout)
	return rates, nil
}

// bench is the HTTP side of the load generator.
type Bench struct {
	Ctx    context.Context
	DB     *storage.DB
	HC     *http.Client
	Base   string
	RSS    *RSS
	Stdout io.Writer
}

// account creates an account of role and a session of kind ("api" or
// "web") for it, and returns its id and token.
func (b *Bench) account(org string, role domain.Role, kind string) (string, string, error) {
	id := uuid.NewString()
	hash, _ := auth.HashPassword(id)
	if err := b.DB.CreateUser(b.Ctx, storage.User{ID: id, Email: id + "@bench.essor", Name: "Bench " + string(role),
		Organisation: org, Roles: []domain.Role{role}, PasswordHash: hash, Active: true}); err != nil {
		return "", "", err
	}
	tok, h := auth.NewToken()
	return id, tok, b.DB.CreateSession(b.Ctx, storage.Session{TokenHash: h, UserID: id, Kind: kind, CSRFToken: uuid.NewString(),
		ExpiresAt: time.Now().Add(24 * time.Hour)})
}

// get reads path as token's bearer (or, with cookie set, as a web session).
func (b *Bench) get(token, cookie, path string) error {
	req, _ := http.NewRequestWithContext(b.Ctx, "GET", b.Base+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := b.HC.Do(req)
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

// pipeline drives n needs through the pipeline over HTTP and returns each
// phase's figures.
func (b *Bench) Pipeline(n, c int) ([]*stats, error) {
	ctx, hc, base, stdout := b.Ctx, b.HC, b.Base, b.Stdout
	account := func(org string, role domain.Role) (string, error) {
		_, tok, err := b.account(org, role, "api")
		return tok, err
	}
	actors := make([]string, c)
	for i := range actors {
		var err error
		if actors[i], err = account(fmt.Sprintf("Organisation %d", i), domain.RoleActor); err != nil {
			return nil, err
		}
	}
	officer, err := account("FCA", domain.RoleOfficer)
	if err != nil {
		return nil, err
	}
	committee := make([]string, 3)
	for i := range committee {
		if committee[i], err = account("Comité", domain.RoleCommittee); err != nil {
			return nil, err
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
	get := func(token, path string) error { return b.get(token, "", path) }
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
	var out []*stats
	for _, p := range phases {
		st := newStats(p.name, b.RSS)
		if err := parallel(n, c, func(i int) error {
			t0 := time.Now()
			err := p.do(i)
			st.add(time.Since(t0), err == nil)
			return err
		}, st); err != nil {
			st.print(stdout)
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		st.print(stdout)
		out = append(out, st)
	}
	return out, nil
}

// stageActions are the pipeline's phases that are updates of a running
// need's workflow.
var stageActions = []string{"qualify", "start_study", "submit_study", "vote (1st)", "vote (deciding)", "propose_carrier", "start_pilot"}

// printRatios compares the pipeline with the raw ceilings of the same run:
// submissions with trivial workflows started and completed, stage actions
// with updates of trivial running workflows.
func PrintRatios(w io.Writer, ceiling Rates, phases []*stats) {
	fmt.Fprintln(w, "\nAgainst the raw ceilings of this run:")
	var count int
	var elapsed time.Duration
	for _, st := range phases {
		switch {
		case st.name == "submit" && ceiling.startComplete > 0:
			fmt.Fprintf(w, "  %-18s %5.2f × raw start+complete (%.1f/s)\n", st.name, st.rate()/ceiling.startComplete, ceiling.startComplete)
		case slices.Contains(stageActions, st.name) && ceiling.update > 0:
			fmt.Fprintf(w, "  %-18s %5.2f × raw update (%.1f/s)\n", st.name, st.rate()/ceiling.update, ceiling.update)
			count += len(st.lat)
			elapsed += st.elapsed
		}
	}
	if elapsed > 0 && ceiling.update > 0 {
		all := float64(count) / elapsed.Seconds()
		fmt.Fprintf(w, "  %-18s %5.2f × raw update (%.1f/s against %.1f/s)\n", "stage actions", all/ceiling.update, all, ceiling.update)
	}
}

// readPhase writes seed needs straight into the read model, then reads
// the pages and lists a visitor, an API client and an officer read, each
// reads times: c clients at a time, the board boardC.
func (b *Bench) ReadPhase(seed, reads, c, boardC int) error {
	actorID, token, err := b.account("Observatoire", domain.RoleActor, "api")
	if err != nil {
		return err
	}
	officerID, web, err := b.account("FCA", domain.RoleOfficer, "web")
	if err != nil {
		return err
	}
	if seed > 0 {
		officers := []string{officerID}
		for i := 0; i < 9; i++ {
			id, _, err := b.account("CRESS", domain.RoleOfficer, "api")
			if err != nil {
				return err
			}
			officers = append(officers, id)
		}
		t0 := time.Now()
		if err := b.DB.SeedNeeds(b.Ctx, seed, actorID, officers); err != nil {
			return err
		}
		fmt.Fprintf(b.Stdout, "\nSeeded %d needs straight into the read model in %.1f s.\n", seed, time.Since(t0).Seconds())
	}
	var total int
	if err := b.DB.Pool.QueryRow(b.Ctx, "SELECT count(*) FROM needs").Scan(&total); err != nil {
		return err
	}
	if reads == 0 {
		return nil
	}
	fmt.Fprintf(b.Stdout, "\nReads with %d needs in the read model (%d requests per page):\n", total, reads)
	printHeader(b.Stdout)
	cookie := "essor_session=" + web
	for _, p := range []struct {
		name, token, cookie, path string
		clients                   int
	}{
		{"/ home", "", "", "/", c},
		{"/besoins", "", "", "/besoins", c},
		{"API list", token, "", "/api/v1/needs", c},
		{"API search", token, "", "/api/v1/needs?q=" + url.QueryEscape("transport solidaire"), c},
		{"/tableau", "", cookie, "/tableau", boardC},
	} {
		st := newStats(fmt.Sprintf("%s (%d)", p.name, p.clients), b.RSS)
		err := parallel(reads, p.clients, func(int) error {
			t0 := time.Now()
			err := b.get(p.token, p.cookie, p.path)
			st.add(time.Since(t0), err == nil)
			return err
		}, st)
		st.print(b.Stdout)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
	}
	return nil
}

// parallel runs f(0..n-1) on c goroutines and returns the first error.
func parallel(n, c int, f func(i int) error, st *stats) error {
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	st.rss.reset()
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
	st.peakKB = st.rss.peak()
	return firstErr
}

type stats struct {
	name    string
	mu      sync.Mutex
	lat     []time.Duration
	errors  int
	start   time.Time
	elapsed time.Duration
	rss     *RSS
	peakKB  int64 // the process's peak RSS during the phase
}

func newStats(name string, rss *RSS) *stats { return &stats{name: name, rss: rss} }

func (s *stats) rate() float64 { return float64(len(s.lat)) / s.elapsed.Seconds() }

func (s *stats) add(d time.Duration, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lat = append(s.lat, d)
	if !ok {
		s.errors++
	}
}

func printHeader(w io.Writer) {
	fmt.Fprintf(w, "  %-18s %7s %9s %8s %8s %8s %8s %6s %8s\n", "action", "count", "per sec", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "peak RSS")
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
	fmt.Fprintf(w, "  %-18s %7d %9.1f %8.1f %8.1f %8.1f %8.1f %6d %5d MB\n", s.name, len(s.lat), s.rate(), pct(.50), pct(.95), pct(.99),
		float64(slices.Max(append(s.lat, 0)).Microseconds())/1000, s.errors, s.peakKB/1024)
}

// rssSampler follows the process's resident memory (VmRSS) every 50 ms,
// keeping the highest value since the last reset.
type RSS struct{ max atomic.Int64 }

func StartRSS(ctx context.Context) *RSS {
	r := &RSS{}
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				r.sample()
			}
		}
	}()
	return r
}

func (r *RSS) sample() {
	kb := procStatusKB("VmRSS")
	for {
		cur := r.max.Load()
		if kb <= cur || r.max.CompareAndSwap(cur, kb) {
			return
		}
	}
}

func (r *RSS) reset() {
	if r != nil {
		r.max.Store(0)
		r.sample()
	}
}

func (r *RSS) peak() int64 {
	if r == nil {
		return 0
	}
	r.sample()
	return r.max.Load()
}

// peakRSS is the process's peak resident memory since it started, in KiB.
func PeakRSS() int64 { return procStatusKB("VmHWM") }

// procStatusKB reads a "kB" field of /proc/self/status (0 where there is none).
func procStatusKB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			var kb int64
			_, _ = fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb
		}
	}
	return 0
}
