// Package testenv gives end-to-end tests the real thing: a fresh PostgreSQL
// database, the embedded Temporal server (one per test binary, in memory),
// a worker on a task queue of the test's own, and the HTTP application.
// It links the Temporal server: import it only from end-to-end tests.
package testenv

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"essor/internal/app"
	"essor/internal/auth"
	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/metrics"
	"essor/internal/server"
	"essor/internal/storage"
	"essor/internal/temporalserver"
	"essor/internal/testdb"
)

var (
	temporalOnce sync.Once
	temporalSrv  *temporalserver.Server
	temporalErr  error
)

// Temporal returns the process's embedded Temporal server, started on first use.
func Temporal(tb testing.TB) *temporalserver.Server {
	tb.Helper()
	temporalOnce.Do(func() {
		temporalSrv, temporalErr = temporalserver.Start(temporalserver.Options{
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		})
	})
	if temporalErr != nil {
		tb.Fatalf("embedded Temporal: %v", temporalErr)
	}
	return temporalSrv
}

// Env is one isolated Essor: its own database, task queue, worker and HTTP app.
type Env struct {
	Config   config.Config
	DB       *storage.DB
	Temporal client.Client
	Server   *server.Server
	Metrics  *metrics.Metrics
	URL      string // where the application listens, over real HTTP
	log      *syncBuffer
}

// Logs returns what the application logged so far.
func (e *Env) Logs() string {
	e.log.mu.Lock()
	defer e.log.mu.Unlock()
	return e.log.buf.String()
}

// Option adjusts an Env's configuration before it starts.
type Option func(*config.Config)

// New starts an Env; everything stops when the test ends. An option that
// sets DatabaseURL or TemporalAddress replaces the fresh database on the
// shared test server or the shared embedded Temporal (tests that stop them
// run their own: testdb.StartPrivate, temporalserver.Start).
func New(tb testing.TB, opts ...Option) *Env {
	tb.Helper()
	cfg := config.Config{
		Addr: "127.0.0.1:0", TemporalNamespace: "default",
		TaskQueue: "test-" + randomHex(6), SessionTTL: time.Hour, Policy: domain.DefaultPolicy,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.TemporalAddress == "" {
		cfg.TemporalAddress = Temporal(tb).Address()
	}
	var db *storage.DB
	if cfg.DatabaseURL == "" {
		db, cfg.DatabaseURL = testdb.Fresh(tb)
	} else {
		db = testdb.Open(tb, cfg.DatabaseURL)
	}
	logBuf := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logBuf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	tc, err := client.Dial(client.Options{HostPort: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace,
		Logger: quietLogger{}})
	if err != nil {
		tb.Fatalf("temporal client: %v", err)
	}
	m := metrics.New()
	w := app.NewWorker(tc, cfg.TaskQueue, db, log, m, app.WithWebhooks(cfg))
	if err := w.Start(); err != nil {
		tb.Fatalf("worker: %v", err)
	}
	web := app.NewHTTP(cfg, db, tc, m, log)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go func() { _ = web.Serve(ln) }()
	tb.Cleanup(func() {
		// A client's idle connection can hold a graceful shutdown for the
		// whole read timeout (30 s): tests do not wait for it.
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = web.Shutdown(ctx)
		w.Stop()
		tc.Close()
	})
	return &Env{Config: cfg, DB: db, Temporal: tc, Server: web, Metrics: m, URL: "http://" + ln.Addr().String(), log: logBuf}
}

// Account is a test user with an API token.
type Account struct {
	storage.User
	Password string
	Token    string
}

// Account creates an active account holding roles and signs it in.
func (e *Env) Account(tb testing.TB, organisation string, roles ...domain.Role) Account {
	tb.Helper()
	id := uuid.NewString()
	pw := "mot-de-passe-" + randomHex(4)
	hash, err := auth.HashPassword(pw)
	if err != nil {
		tb.Fatal(err)
	}
	u := storage.User{ID: id, Email: "u-" + id[:8] + "@example.org", Name: "Compte " + id[:4],
		Organisation: organisation, Roles: roles, PasswordHash: hash, Active: true}
	if err := e.DB.CreateUser(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
	tok, tokHash := auth.NewToken()
	if err := e.DB.CreateSession(context.Background(), storage.Session{TokenHash: tokHash, UserID: id, Kind: "api",
		ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		tb.Fatal(err)
	}
	return Account{User: u, Password: pw, Token: tok}
}

// Response is an HTTP answer, read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test if it cannot.
func (r Response) JSON(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %d %s: %v", r.Status, r.Body, err)
	}
}

// Map decodes a JSON object body.
func (r Response) Map(tb testing.TB) map[string]any {
	tb.Helper()
	var m map[string]any
	r.JSON(tb, &m)
	return m
}

// Do sends a request to the application over HTTP; body may be nil, a
// string (sent as is) or a value (sent as JSON). Headers come in pairs.
func (e *Env) Do(tb testing.TB, method, path, token string, body any, headers ...string) Response {
	tb.Helper()
	var sent []byte
	switch b := body.(type) {
	case nil:
	case string:
		sent = []byte(b)
	case []byte:
		sent = b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			tb.Fatal(err)
		}
		sent = raw
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(sent)
	}
	req, err := http.NewRequest(method, e.URL+path, r)
	if err != nil {
		tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
	checkContract(tb, req, sent, out)
	return out
}

// Expect fails the test unless the response has the status.
func (r Response) Expect(tb testing.TB, status int) Response {
	tb.Helper()
	if r.Status != status {
		tb.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	return r
}

// httpClient never follows redirects: tests look at them.
var httpClient = &http.Client{
	Timeout: 60 * time.Second,
	// A request sent with "Expect: 100-continue" waits for the server's go
	// ahead before its body: a refused body (413) is then read, not cut off.
	Transport:     &http.Transport{ExpectContinueTimeout: 5 * time.Second, MaxIdleConnsPerHost: 16},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

// quietLogger drops the SDK's logs in tests.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}

// WaitFor polls ok every 100 ms and fails the test after a minute without it.
func WaitFor(tb testing.TB, ok func() bool) {
	tb.Helper()
	deadline := time.Now().Add(time.Minute)
	for !ok() {
		if time.Now().After(deadline) {
			tb.Fatal("still not done after a minute")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
