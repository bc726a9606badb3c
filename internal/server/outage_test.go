package server_test

import (
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/temporalserver"
	"essor/internal/testdb"
	"essor/internal/testenv"
)

// outageBound is how long a request may take to be refused while a
// dependency is away: "a few seconds", generously (the point is that it is
// not the 30 s request budget).
const outageBound = 10 * time.Second

// expect503 sends a request and checks that it is refused quickly with a
// 503, a Retry-After and a French message (JSON under /api, a page
// elsewhere); it returns how long the answer took.
func expect503(t *testing.T, env *testenv.Env, method, path, token string, body any, headers ...string) time.Duration {
	t.Helper()
	start := time.Now()
	r := env.Do(t, method, path, token, body, headers...)
	took := time.Since(start)
	if r.Status != http.StatusServiceUnavailable {
		t.Fatalf("%s %s: %d, want 503: %s", method, path, r.Status, r.Body)
	}
	if took > outageBound {
		t.Fatalf("%s %s: 503 after %v", method, path, took)
	}
	if r.Header.Get("Retry-After") == "" {
		t.Fatalf("%s %s: 503 without Retry-After", method, path)
	}
	if strings.HasPrefix(path, "/api/") {
		if e := errorOf(t, r); e.Code != "unavailable" || !strings.Contains(e.Message, "momentanément indisponible") {
			t.Fatalf("%s %s: %+v", method, path, e)
		}
	} else if !strings.Contains(r.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(string(r.Body), "Service momentanément indisponible") {
		t.Fatalf("%s %s: not a French page: %s %s", method, path, r.Header.Get("Content-Type"), r.Body)
	}
	t.Logf("%s %s: 503 in %v", method, path, took.Round(time.Millisecond))
	return took
}

// eventually retries a request until it has the status, for up to limit.
func eventually(t *testing.T, limit time.Duration, status int, send func() testenv.Response) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		r := send()
		if r.Status == status {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("still %d after %v, want %d: %s", r.Status, limit, status, r.Body)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// PostgreSQL stops: every page and API route that needs it answers 503
// within seconds (never 500), with Retry-After and a French message; it
// starts again: Essor answers again by itself, without a restart.
func TestPostgresOutageAnswers503AndRecovers(t *testing.T) {
	pg := testdb.StartPrivate(t)
	env := testenv.New(t, func(c *config.Config) { c.DatabaseURL = pg.URL("essor") })
	actor := env.Account(t, "Mairie de Lons", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	need := env.Do(t, "POST", "/api/v1/needs", actor.Token, validNeed("Garde d'enfants la nuit")).Expect(t, http.StatusCreated).Map(t)
	id := need["id"].(string)

	pg.Stop()
	var slowest time.Duration
	for _, r := range []struct{ method, path, token string }{
		{"GET", "/api/v1/needs", actor.Token},
		{"GET", "/api/v1/needs/" + id, actor.Token},
		{"GET", "/api/v1/needs/" + id + "/events", actor.Token},
		{"GET", "/api/v1/me", actor.Token},
		{"GET", "/", ""},
		{"GET", "/besoins", ""},
		{"GET", "/besoins/" + id, ""},
	} {
		slowest = max(slowest, expect503(t, env, r.method, r.path, r.token, nil))
	}
	slowest = max(slowest, expect503(t, env, "POST", "/api/v1/needs", actor.Token, validNeed("Pendant la panne"),
		"Idempotency-Key", uuid.NewString()))
	slowest = max(slowest, expect503(t, env, "POST", "/api/v1/needs/"+id+"/transitions", officer.Token,
		map[string]any{"action": "qualify", "comment": "Besoin avéré"}))
	slowest = max(slowest, expect503(t, env, "POST", "/api/v1/sessions", "",
		map[string]any{"email": actor.Email, "password": actor.Password}))
	ready := env.Do(t, "GET", "/readyz", "", nil).Expect(t, http.StatusServiceUnavailable)
	if !strings.Contains(string(ready.Body), `"postgres":"unreachable"`) || ready.Header.Get("Retry-After") == "" {
		t.Fatalf("readyz: %s", ready.Body)
	}
	env.Do(t, "GET", "/healthz", "", nil).Expect(t, http.StatusOK)
	t.Logf("PostgreSQL away: slowest 503 in %v", slowest.Round(time.Millisecond))
	if strings.Contains(env.Logs(), "status=500") {
		t.Fatalf("a 500 during the outage:\n%s", env.Logs())
	}

	pg.Start()
	back := eventually(t, 30*time.Second, http.StatusOK, func() testenv.Response {
		return env.Do(t, "GET", "/api/v1/needs/"+id, actor.Token, nil)
	})
	t.Logf("PostgreSQL back: answering again after %v", back.Round(time.Millisecond))
	env.Do(t, "GET", "/besoins/"+id, "", nil).Expect(t, http.StatusOK)
	env.Do(t, "GET", "/readyz", "", nil).Expect(t, http.StatusOK)
	env.Do(t, "POST", "/api/v1/needs/"+id+"/transitions", officer.Token,
		map[string]any{"action": "qualify", "comment": "Besoin avéré"}).Expect(t, http.StatusOK)
	env.Do(t, "POST", "/api/v1/needs", actor.Token, validNeed("Après la panne")).Expect(t, http.StatusCreated)
}

// The Temporal frontend stops: the writes (submit, transitions, supports)
// answer 503 within seconds instead of waiting 30 s, reads still answer;
// it starts again on the same port and data: writes succeed again, without
// restarting Essor.
func TestTemporalOutageAnswers503AndRecovers(t *testing.T) {
	dir := t.TempDir()
	port := freePort(t)
	opts := temporalserver.Options{DatabaseFile: filepath.Join(dir, "temporal.db"), Port: port,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))}
	srv, err := temporalserver.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	env := testenv.New(t, func(c *config.Config) { c.TemporalAddress = srv.Address() })
	actor := env.Account(t, "Mairie de Lons", domain.RoleActor)
	other := env.Account(t, "Centre social", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	need := env.Do(t, "POST", "/api/v1/needs", actor.Token, validNeed("Garde d'enfants la nuit")).Expect(t, http.StatusCreated).Map(t)
	id := need["id"].(string)

	stopped := time.Now()
	srv.Stop()
	t.Logf("embedded Temporal stopped in %v", time.Since(stopped).Round(time.Millisecond))
	var slowest time.Duration
	slowest = max(slowest, expect503(t, env, "POST", "/api/v1/needs", actor.Token, validNeed("Pendant la panne"),
		"Idempotency-Key", uuid.NewString()))
	slowest = max(slowest, expect503(t, env, "POST", "/api/v1/needs/"+id+"/transitions", officer.Token,
		map[string]any{"action": "qualify", "comment": "Besoin avéré"}))
	slowest = max(slowest, expect503(t, env, "POST", "/api/v1/needs/"+id+"/supports", other.Token, nil))
	t.Logf("Temporal away: slowest write refused in %v", slowest.Round(time.Millisecond))
	// What needs only PostgreSQL still answers.
	env.Do(t, "GET", "/api/v1/needs/"+id, actor.Token, nil).Expect(t, http.StatusOK)
	env.Do(t, "GET", "/besoins/"+id, "", nil).Expect(t, http.StatusOK)
	ready := env.Do(t, "GET", "/readyz", "", nil).Expect(t, http.StatusServiceUnavailable)
	if !strings.Contains(string(ready.Body), `"temporal":"unreachable"`) || !strings.Contains(string(ready.Body), `"postgres":"ok"`) {
		t.Fatalf("readyz: %s", ready.Body)
	}

	restarted := time.Now()
	srv, err = temporalserver.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("embedded Temporal restarted in %v", time.Since(restarted).Round(time.Millisecond))
	back := eventually(t, 90*time.Second, http.StatusOK, func() testenv.Response {
		return env.Do(t, "POST", "/api/v1/needs/"+id+"/transitions", officer.Token,
			map[string]any{"action": "qualify", "comment": "Besoin avéré"}, "Idempotency-Key", "qualify-after-restart")
	})
	t.Logf("Temporal back: a write succeeds %v after the restart", back.Round(time.Millisecond))
	env.Do(t, "POST", "/api/v1/needs/"+id+"/supports", other.Token, nil).Expect(t, http.StatusCreated)
	env.Do(t, "POST", "/api/v1/needs", actor.Token, validNeed("Après la panne")).Expect(t, http.StatusCreated)
	env.Do(t, "GET", "/readyz", "", nil).Expect(t, http.StatusOK)
	if strings.Contains(env.Logs(), "status=500") {
		t.Fatalf("a 500 during the outage:\n%s", env.Logs())
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
