package server

import (
	"essor/internal/server/kit"

	"github.com/gofiber/fiber/v2"
)

// routes registers every route of the service: this is the one table, each
// programme's rows from its own Routes, every guard from the row's access.
func (s *Server) routes() {
	s.app.Use(s.observe)
	s.app.Use(s.Compress)   // text bodies as br or gzip, for clients that accept them
	s.app.Use(s.Gate)       // every text that enters: UTF-8, no control character, NFC
	s.app.Use(s.WebContext) // pages only: language, signed-in person, form token

	table := append(s.shellRows(), programmeRows(s.programmes)...)
	for _, r := range table {
		h := s.Guard(r)
		s.app.Add(r.Method, r.Path, h...)
		if r.Method == fiber.MethodGet {
			// HEAD is the GET without its body (RFC 9110 §9.3.2): the same
			// handler answers, fasthttp leaves the body out.
			s.app.Add(fiber.MethodHead, r.Path, h...)
		}
	}
	s.table = table
	// No catch-all: Fiber itself answers 404 for an unknown path and 405 for
	// a known path with another method, both through errorHandler.
}

// Routes lists every route as method and path (tests walk them all).
func (s *Server) Routes() [][2]string {
	out := make([][2]string, 0, len(s.table))
	for _, r := range s.table {
		out = append(out, [2]string{r.Method, r.Path})
	}
	return out
}

// programmeRows are the programmes' rows, each tagged with its programme.
func programmeRows(ps []programme) []kit.Route {
	var rows []kit.Route
	for _, p := range ps {
		for _, r := range p.routes {
			r.Tag = p.tag
			rows = append(rows, r)
		}
	}
	return rows
}

// shellRows are the routes of no programme: operations, sign-in, the home
// page, the notices and the static files.
func (s *Server) shellRows() []kit.Route {
	return []kit.Route{
		// Operations
		kit.Open("GET", "/healthz", s.healthz),
		kit.Open("GET", "/readyz", s.readyz),
		kit.Open("GET", "/metrics", s.metricsHandler()),
		kit.Open("GET", "/api/openapi.json", s.openAPI),
		// Sessions and reference data
		kit.Open("POST", "/api/v1/sessions", s.createSession),
		kit.Token("DELETE", "/api/v1/sessions", s.deleteSession),
		kit.Token("GET", "/api/v1/me", s.me),
		kit.Open("GET", kit.PagePath["home"], s.homePage),
		kit.Open("GET", kit.PagePath["signin"], s.signInForm),
		kit.Post("POST", kit.PagePath["signin"], s.signIn),
		kit.Post("POST", kit.PagePath["signout"], s.signOut),
		kit.SignedInPost("POST", kit.PagePath["signout.everywhere"], s.signOutEverywhere),
		kit.Post("POST", kit.PagePath["language"], s.switchLanguage),
		kit.Open("GET", kit.PagePath["accessibility"], s.accessibilityNotice),
		kit.Open("GET", kit.PagePath["legal"], s.legalNotice),
		kit.Open("GET", kit.PagePath["privacy"], s.privacyNotice),
		kit.Open("GET", kit.PagePath["contact"], s.contactNotice),
		// Web pages
		kit.Open("GET", "/static/*", s.StaticFile),
	}
}
