package server

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"go.temporal.io/sdk/client"
)

// healthz answers as long as the process serves.
func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 only when PostgreSQL and Temporal both answer.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
	defer cancel()
	checks := fiber.Map{}
	var failed error
	if err := s.db.Ping(ctx); err != nil {
		checks["postgres"] = "unreachable"
		failed = errors.Join(failed, err)
	} else {
		checks["postgres"] = "ok"
	}
	if _, err := s.temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		checks["temporal"] = "unreachable"
		failed = errors.Join(failed, err)
	} else {
		checks["temporal"] = "ok"
	}
	if failed != nil {
		s.log.Warn("not ready", "error", failed)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "checks": checks})
	}
	return c.JSON(fiber.Map{"status": "ok", "checks": checks})
}

func (s *Server) metricsHandler() fiber.Handler {
	return adaptor.HTTPHandler(s.metrics.Handler())
}
