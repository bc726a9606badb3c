package server

import (
	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
)

// route is one entry of the route table; the OpenAPI document describes
// each one (a test checks that none is missing).
type route struct {
	method  string
	path    string
	handler []fiber.Handler
}

// routes registers every route of the service: this is the one table.
func (s *Server) routes() {
	s.app.Use(s.observe)

	authed := []fiber.Handler{s.requireToken}
	write := func(roles ...domain.Role) []fiber.Handler {
		h := append([]fiber.Handler{}, authed...)
		if len(roles) > 0 {
			h = append(h, requireRole(roles...))
		}
		return append(h, s.idempotent)
	}
	with := func(pre []fiber.Handler, h fiber.Handler) []fiber.Handler {
		return append(append([]fiber.Handler{}, pre...), h)
	}

	table := []route{
		// Operations
		{"GET", "/healthz", []fiber.Handler{s.healthz}},
		{"GET", "/readyz", []fiber.Handler{s.readyz}},
		{"GET", "/metrics", []fiber.Handler{s.metricsHandler()}},
		{"GET", "/api/openapi.json", []fiber.Handler{s.openAPI}},

		// Sessions and reference data
		{"POST", "/api/v1/sessions", []fiber.Handler{s.createSession}},
		{"DELETE", "/api/v1/sessions", with(authed, s.deleteSession)},
		{"GET", "/api/v1/me", with(authed, s.me)},
		{"GET", "/api/v1/themes", []fiber.Handler{s.listThemes}},
		{"GET", "/api/v1/territories", []fiber.Handler{s.listTerritories}},

		// The emergence pipeline
		{"POST", "/api/v1/needs", with(write(domain.RoleActor), s.createNeed)},
		{"GET", "/api/v1/needs", with(authed, s.listNeeds)},
		{"GET", "/api/v1/needs/:id", with(authed, s.getNeed)},
		{"POST", "/api/v1/needs/:id/transitions", with(write(), s.transitionNeed)},
		{"GET", "/api/v1/needs/:id/events", with(authed, s.needEvents)},
		{"GET", "/api/v1/needs/:id/votes", with(authed, s.needVotes)},
		{"POST", "/api/v1/needs/:id/supports", with(write(domain.RoleActor), s.supportNeed)},
	}
	for _, r := range table {
		s.app.Add(r.method, r.path, r.handler...)
	}
	s.table = table
	s.app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
