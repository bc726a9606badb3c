package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/testenv"
)

type apiError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

func errorOf(t *testing.T, r testenv.Response) apiError {
	t.Helper()
	var body struct {
		Error apiError `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil || body.Error.Code == "" || body.Error.Message == "" {
		t.Fatalf("not an error body (%v): %s", err, r.Body)
	}
	return body.Error
}

func sleep() { time.Sleep(20 * time.Millisecond) }

func TestSessions(t *testing.T) {
	env := testenv.New(t)
	acc := env.Account(t, "FCA", domain.RoleOfficer)
	res := env.Do(t, "POST", "/api/v1/sessions", "", map[string]any{"email": strings.ToUpper(acc.Email), "password": acc.Password}).Expect(t, 201)
	var s struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	res.JSON(t, &s)
	if s.Token == "" || time.Until(s.ExpiresAt) < 30*time.Minute {
		t.Fatalf("session %+v", s)
	}
	me := env.Do(t, "GET", "/api/v1/me", s.Token, nil).Expect(t, 200).Map(t)
	if me["id"] != acc.ID {
		t.Fatalf("me %v", me)
	}
	if strings.Contains(env.Logs(), s.Token) || strings.Contains(env.Logs(), acc.Password) {
		t.Fatal("a token or password reached the logs")
	}
	env.Do(t, "DELETE", "/api/v1/sessions", s.Token, nil).Expect(t, 204)
	env.Do(t, "GET", "/api/v1/me", s.Token, nil).Expect(t, 401)

	wrong := errorOf(t, env.Do(t, "POST", "/api/v1/sessions", "", map[string]any{"email": acc.Email, "password": "mauvais-mot-de-passe"}).Expect(t, 401))
	if !strings.Contains(wrong.Message, "incorrect") {
		t.Errorf("401 message %q", wrong.Message)
	}
	env.Do(t, "POST", "/api/v1/sessions", "", map[string]any{"email": "personne@nulle-part.fr", "password": "x"}).Expect(t, 401)
	e := errorOf(t, env.Do(t, "POST", "/api/v1/sessions", "", map[string]any{"email": "pas-une-adresse"}).Expect(t, 422))
	if e.Fields["email"] == "" || e.Fields["password"] == "" {
		t.Errorf("fields %v", e.Fields)
	}
	env.Do(t, "POST", "/api/v1/sessions", "", "{").Expect(t, 400)

	// Repeated failures on one account are refused for a while, even with the right password.
	victim := env.Account(t, "Asso", domain.RoleActor)
	for i := 0; i < 10; i++ {
		env.Do(t, "POST", "/api/v1/sessions", "", map[string]any{"email": victim.Email, "password": "devine-encore"}).Expect(t, 401)
	}
	limited := errorOf(t, env.Do(t, "POST", "/api/v1/sessions", "", map[string]any{"email": victim.Email, "password": victim.Password}).Expect(t, 429))
	if !strings.Contains(limited.Message, "tentatives") {
		t.Errorf("429 message %q", limited.Message)
	}
}

func TestPublicAndProtectedRoutes(t *testing.T) {
	env := testenv.New(t)
	var themes []map[string]any
	env.Do(t, "GET", "/api/v1/themes", "", nil).Expect(t, 200).JSON(t, &themes)
	if len(themes) != 12 || themes[3]["slug"] != "health" || themes[3]["label_fr"] != "Santé" || themes[3]["label_en"] != "Health" {
		t.Fatalf("themes %v", themes)
	}
	var terr []map[string]any
	env.Do(t, "GET", "/api/v1/territories", "", nil).Expect(t, 200).JSON(t, &terr)
	if len(terr) < 5 || terr[0]["code"] != "27" || terr[0]["kind"] != "region" || terr[1]["code"] != "25" || terr[1]["name"] != "Doubs" || terr[1]["kind"] != "departement" {
		t.Fatalf("territories %v", terr)
	}
	for _, r := range [][2]string{{"GET", "/api/v1/needs"}, {"GET", "/api/v1/needs/00000000-0000-0000-0000-000000000000"},
		{"POST", "/api/v1/needs/00000000-0000-0000-0000-000000000000/transitions"}, {"GET", "/api/v1/me"},
		{"GET", "/api/v1/needs/00000000-0000-0000-0000-000000000000/events"}} {
		e := errorOf(t, env.Do(t, r[0], r[1], "", nil).Expect(t, 401))
		if e.Code != "unauthenticated" {
			t.Errorf("%s %s: %v", r[0], r[1], e)
		}
	}
	acc := env.Account(t, "", domain.RoleActor)
	e := errorOf(t, env.Do(t, "GET", "/api/v1/nulle-part", acc.Token, nil).Expect(t, 404))
	if e.Code != "not_found" {
		t.Errorf("404 %v", e)
	}
	env.Do(t, "GET", "/api/v1/needs/00000000-0000-0000-0000-000000000000", acc.Token, nil).Expect(t, 404)
	env.Do(t, "PUT", "/api/v1/needs", acc.Token, nil).Expect(t, http.StatusMethodNotAllowed)
}

func TestOperations(t *testing.T) {
	env := testenv.New(t, func(c *config.Config) { c.MetricsToken = metricsToken })
	env.Do(t, "GET", "/healthz", "", nil).Expect(t, 200)
	ready := env.Do(t, "GET", "/readyz", "", nil).Expect(t, 200).Map(t)
	checks := ready["checks"].(map[string]any)
	if checks["postgres"] != "ok" || checks["temporal"] != "ok" {
		t.Fatalf("readyz %v", ready)
	}
	acc := env.Account(t, "Asso", domain.RoleActor)
	env.Do(t, "POST", "/api/v1/needs", acc.Token, validNeed("Mesurer les métriques")).Expect(t, 201)
	env.Do(t, "POST", "/api/v1/needs", acc.Token, map[string]any{}).Expect(t, 422)
	metrics := string(env.Do(t, "GET", "/metrics", metricsToken, nil).Expect(t, 200).Body)
	for _, want := range []string{
		`essor_http_requests_total{method="POST",route="/api/v1/needs",status="201"} 1`,
		`essor_http_requests_total{method="POST",route="/api/v1/needs",status="422"} 1`,
		`essor_workflow_actions_total{action="submit",outcome="ok"} 1`,
		`essor_workflow_actions_total{action="submit",outcome="validation_failed"} 1`,
		`essor_http_request_duration_seconds_bucket{method="POST",route="/api/v1/needs"`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if !strings.Contains(env.Logs(), "route=/api/v1/needs") || !strings.Contains(env.Logs(), "status=201") {
		t.Errorf("no request log line:\n%s", env.Logs())
	}
}

// TestOpenAPIDescribesEveryRoute keeps /api/openapi.json true: each API and
// operations route registered on the application must be described.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	env := testenv.New(t)
	var spec struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	env.Do(t, "GET", "/api/openapi.json", "", nil).Expect(t, 200).JSON(t, &spec)
	if !strings.HasPrefix(spec.OpenAPI, "3.") {
		t.Fatalf("openapi %q", spec.OpenAPI)
	}
	checked := 0
	for _, r := range env.Server.App().GetRoutes(true) {
		if r.Method == "HEAD" || r.Method == "USE" || !isAPIRoute(r.Path) {
			continue
		}
		path := r.Path
		for _, part := range strings.Split(path, "/") {
			if strings.HasPrefix(part, ":") {
				path = strings.Replace(path, part, "{"+part[1:]+"}", 1)
			}
		}
		if _, ok := spec.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("%s %s is not described in /api/openapi.json", r.Method, path)
		}
		checked++
	}
	if checked < 15 {
		t.Fatalf("only %d routes checked", checked)
	}
}

func isAPIRoute(p string) bool {
	return strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/readyz" || p == "/metrics"
}
