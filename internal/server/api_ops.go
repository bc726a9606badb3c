package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"go.temporal.io/sdk/client"

	"essor/internal/domain"
)

// healthz answers as long as the process serves.
func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 only when PostgreSQL and Temporal both answer (each
// checked on its own, at the same time, for 3 s at most).
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
	defer cancel()
	var pgErr, tempErr error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); pgErr = s.DB.Ping(ctx) }()
	go func() {
		defer wg.Done()
		_, tempErr = s.temporal.CheckHealth(ctx, &client.CheckHealthRequest{})
	}()
	wg.Wait()
	checks := fiber.Map{"postgres": "ok", "temporal": "ok"}
	if pgErr != nil {
		checks["postgres"] = "unreachable"
	}
	if tempErr != nil {
		checks["temporal"] = "unreachable"
	}
	if failed := errors.Join(pgErr, tempErr); failed != nil {
		s.Log.Warn("not ready", "error", failed)
		c.Set(fiber.HeaderRetryAfter, "2")
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "checks": checks})
	}
	return c.JSON(fiber.Map{"status": "ok", "checks": checks})
}

// metricsHandler serves /metrics on the application's own address only to
// the holder of ESSOR_METRICS_TOKEN; without a token configured the route
// does not exist there (404): metrics are read on ESSOR_METRICS_ADDR.
func (s *Server) metricsHandler() fiber.Handler {
	serve := adaptor.HTTPHandler(s.metrics.Handler())
	want := sha256.Sum256([]byte(s.Cfg.MetricsToken))
	return func(c *fiber.Ctx) error {
		if s.Cfg.MetricsToken == "" {
			return fiber.ErrNotFound
		}
		tok, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
		got := sha256.Sum256([]byte(strings.TrimSpace(tok)))
		if !ok || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
			return domain.E(domain.CodeUnauthenticated, "error.metrics_token")
		}
		return serve(c)
	}
}

// metricsOperation describes /metrics in the OpenAPI document.
func metricsOperation() map[string]any {
	return map[string]any{
		"summary": "Prometheus metrics: served on ESSOR_METRICS_ADDR (loopback by default); on this address only " +
			"with the bearer token ESSOR_METRICS_TOKEN, and 404 when none is configured",
		"responses": map[string]any{
			"200": map[string]any{"description": "Prometheus text format",
				"content": map[string]any{"text/plain": map[string]any{"schema": map[string]any{"type": "string"}}}},
			"401": map[string]any{"$ref": "#/components/responses/Error401"},
			"404": map[string]any{"$ref": "#/components/responses/Error404"},
		},
	}
}

// ServeMetrics serves GET /metrics alone on ln (ESSOR_METRICS_ADDR), apart
// from the application, until Shutdown.
func (s *Server) ServeMetrics(ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.Handler())
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	s.metricsMu.Lock()
	s.metricsServers = append(s.metricsServers, hs)
	s.metricsMu.Unlock()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (s *Server) shutdownMetrics(ctx context.Context) {
	s.metricsMu.Lock()
	defer s.metricsMu.Unlock()
	for _, hs := range s.metricsServers {
		_ = hs.Shutdown(ctx)
	}
}
