package server

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"go.temporal.io/sdk/client"

	"essor/internal/domain"
	"essor/internal/storage"
)

// Outages. PostgreSQL errors are classified as "unavailable" where they are
// turned into responses (classify), and a query on a stopped server fails at
// once. A Temporal call does not: the SDK retries an unreachable frontend
// until the request's time runs out, and an update whose read-model save
// waits for PostgreSQL does not return either (the save keeps retrying, as
// it should: the acknowledged work completes later). The Monitor below
// checks both every second so that such calls fail fast with a 503 while
// either is away, and in-flight ones give up as soon as it is seen away.
// Recovery needs nothing: the pools and the Temporal client reconnect.

// Monitor watches PostgreSQL and the Temporal frontend.
type Monitor struct {
	db       prober
	temporal healthChecker
	log      *slog.Logger
	// Interval between checks, and how long one check may take.
	Interval, Timeout time.Duration

	mu        sync.Mutex
	pgDown    bool
	tempDown  bool
	pgFails   int
	tempFails int
	// lost ends when a dependency goes away; a new one starts when all are back.
	lost       context.Context
	signalLost context.CancelFunc

	startOnce, stopOnce sync.Once
	started             bool
	stop, done          chan struct{}
}

type prober interface {
	Probe(ctx context.Context) error
}

type healthChecker interface {
	CheckHealth(ctx context.Context, request *client.CheckHealthRequest) (*client.CheckHealthResponse, error)
}

// failuresBeforeDown consecutive failed checks make a dependency "away": a
// single slow answer under load does not.
const failuresBeforeDown = 2

// NewMonitor builds a monitor of db and tc; Start runs it.
func NewMonitor(db *storage.DB, tc client.Client, log *slog.Logger) *Monitor {
	m := &Monitor{log: log, Interval: time.Second, Timeout: 2 * time.Second,
		stop: make(chan struct{}), done: make(chan struct{})}
	if db != nil {
		m.db = db
	}
	if tc != nil {
		m.temporal = tc
	}
	m.lost, m.signalLost = context.WithCancel(context.Background())
	return m
}

// Start checks in the background until Stop; it is safe to call twice.
func (m *Monitor) Start() {
	m.startOnce.Do(m.run)
}

func (m *Monitor) run() {
	m.started = true
	go func() {
		defer close(m.done)
		t := time.NewTicker(m.Interval)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-t.C:
				m.check()
			}
		}
	}()
}

// Stop ends the checks and waits for the last one; it is safe to call
// twice, and without Start.
func (m *Monitor) Stop() {
	m.stopOnce.Do(func() {
		m.startOnce.Do(func() {}) // no Start after Stop
		close(m.stop)
		if m.started {
			<-m.done
		}
	})
}

// check probes both dependencies at the same time and records the outcome.
func (m *Monitor) check() {
	var wg sync.WaitGroup
	var pgErr, tempErr error
	ctx, cancel := context.WithTimeout(context.Background(), m.Timeout)
	defer cancel()
	if m.db != nil {
		wg.Add(1)
		go func() { defer wg.Done(); pgErr = m.db.Probe(ctx) }()
	}
	if m.temporal != nil {
		wg.Add(1)
		go func() { defer wg.Done(); _, tempErr = m.temporal.CheckHealth(ctx, &client.CheckHealthRequest{}) }()
	}
	wg.Wait()
	m.record(pgErr, tempErr)
}

func (m *Monitor) record(pgErr, tempErr error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	wasDown := m.pgDown || m.tempDown
	m.pgDown, m.pgFails = m.update("PostgreSQL", m.pgDown, m.pgFails, pgErr)
	m.tempDown, m.tempFails = m.update("Temporal", m.tempDown, m.tempFails, tempErr)
	switch isDown := m.pgDown || m.tempDown; {
	case isDown && !wasDown:
		m.signalLost()
	case !isDown && wasDown:
		m.lost, m.signalLost = context.WithCancel(context.Background())
	}
}

func (m *Monitor) update(name string, down bool, fails int, err error) (bool, int) {
	if err == nil {
		if down {
			m.log.Info(name+" is back", "dependency", name)
		}
		return false, 0
	}
	fails++
	if !down && fails >= failuresBeforeDown {
		m.log.Error(name+" unreachable: requests that need it answer 503 until it is back", "dependency", name, "error", err)
		return true, fails
	}
	return down, fails
}

// errUnavailable is what a guarded call returns while a dependency is away.
func errUnavailable() error { return domain.E(domain.CodeUnavailable, "error.unavailable") }

// guard returns ctx, ended as soon as a dependency is seen away. When one
// is away already, it returns an "unavailable" error if failFast, else a
// context that has ended (an outcome already known is still read).
func (m *Monitor) guard(ctx context.Context, failFast bool) (context.Context, func(), error) {
	m.mu.Lock()
	down, lost := m.pgDown || m.tempDown, m.lost
	m.mu.Unlock()
	if down && failFast {
		return nil, nil, errUnavailable()
	}
	gctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(lost, func() { cancel(errLost) })
	return gctx, func() { stop(); cancel(nil) }, nil
}

var errLost = errors.New("a dependency went away during the call")

// outcome replaces the error of a call cut short by the monitor.
func outcome(gctx context.Context, err error) error {
	if err != nil && errors.Is(context.Cause(gctx), errLost) {
		return errUnavailable()
	}
	return err
}

// Guard wraps a Temporal client so that its update calls (every write of
// the pipeline) fail fast while PostgreSQL or Temporal is away.
func (m *Monitor) Guard(tc client.Client) client.Client { return &guardedClient{Client: tc, m: m} }

type guardedClient struct {
	client.Client
	m *Monitor
}

func (g *guardedClient) UpdateWorkflow(ctx context.Context, opts client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	gctx, done, err := g.m.guard(ctx, true)
	if err != nil {
		return nil, err
	}
	defer done()
	h, err := g.Client.UpdateWorkflow(gctx, opts)
	if err != nil {
		return nil, outcome(gctx, err)
	}
	return guardedHandle{WorkflowUpdateHandle: h, m: g.m}, nil
}

func (g *guardedClient) UpdateWithStartWorkflow(ctx context.Context, opts client.UpdateWithStartWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	gctx, done, err := g.m.guard(ctx, true)
	if err != nil {
		return nil, err
	}
	defer done()
	h, err := g.Client.UpdateWithStartWorkflow(gctx, opts)
	if err != nil {
		return nil, outcome(gctx, err)
	}
	return guardedHandle{WorkflowUpdateHandle: h, m: g.m}, nil
}

type guardedHandle struct {
	client.WorkflowUpdateHandle
	m *Monitor
}

func (h guardedHandle) Get(ctx context.Context, valuePtr any) error {
	gctx, done, err := h.m.guard(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	return outcome(gctx, h.WorkflowUpdateHandle.Get(gctx, valuePtr))
}
