package server

import (
	"github.com/gofiber/fiber/v2"
)

// routes registers every route of the service: this is the one table, each
// programme's rows from its own Routes, every guard from the row's access.
func (s *Server) routes() {
	s.app.Use(s.observe)
	s.app.Use(s.Compress)   // text bodies as br or gzip, for clients that accept them
	s.app.Use(s.Gate)       // every text that enters: UTF-8, no control character, NFC
	s.app.Use(s.WebContext) // pages only: language, signed-in person, form token

	shell := []Route{
		// Operations
		Open("GET", "/healthz", s.healthz),
		Open("GET", "/readyz", s.readyz),
		Open("GET", "/metrics", s.metricsHandler()),
		Open("GET", "/api/openapi.json", s.openAPI),
		// Sessions and reference data
		Open("POST", "/api/v1/sessions", s.createSession),
		Token("DELETE", "/api/v1/sessions", s.deleteSession),
		Token("GET", "/api/v1/me", s.me),
		Open("GET", PagePath["home"], s.homePage),
		Open("GET", PagePath["signin"], s.signInForm),
		Post("POST", PagePath["signin"], s.signIn),
		Post("POST", PagePath["signout"], s.signOut),
		SignedInPost("POST", PagePath["signout.everywhere"], s.signOutEverywhere),
		Post("POST", PagePath["language"], s.switchLanguage),
		Open("GET", PagePath["accessibility"], s.accessibilityNotice),
		Open("GET", PagePath["legal"], s.legalNotice),
		Open("GET", PagePath["privacy"], s.privacyNotice),
		Open("GET", PagePath["contact"], s.contactNotice),
		// Web pages
		Open("GET", "/static/*", s.StaticFile),
	}
	table := shell
	for _, rows := range [][]Route{s.AdminRoutes(), s.NeedsRoutes(), s.StudyactionsRoutes(), s.IndicatorsRoutes(),
		s.CallsRoutes(), s.CommitteeRoutes(), s.RallyRoutes(), s.DiscussionRoutes()} {
		table = append(table, rows...)
	}
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
