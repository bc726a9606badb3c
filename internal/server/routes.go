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
	s.app.Use(s.gate)       // every text that enters: UTF-8, no control character, NFC
	s.app.Use(s.webContext) // pages only: language, signed-in person, form token

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
	public := []fiber.Handler{}
	signedIn := []fiber.Handler{s.requireSignIn}
	member := func(roles ...domain.Role) []fiber.Handler {
		return []fiber.Handler{s.requireSignIn, requireRole(roles...)}
	}
	posted := func(pre []fiber.Handler, h fiber.Handler) []fiber.Handler {
		return with(append(append([]fiber.Handler{}, pre...), s.checkCSRF), h)
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
		{"POST", "/api/v1/themes", with(write(domain.RoleAdmin), s.apiCreateTheme)},
		{"PATCH", "/api/v1/themes/:slug", with(write(domain.RoleAdmin), s.apiUpdateTheme)},
		{"POST", "/api/v1/territories", with(write(domain.RoleAdmin), s.apiCreateTerritory)},
		{"PATCH", "/api/v1/territories/:code", with(write(domain.RoleAdmin), s.apiUpdateTerritory)},

		// The emergence pipeline
		{"POST", "/api/v1/needs", with(write(domain.RoleActor), s.createNeed)},
		{"GET", "/api/v1/needs", with(authed, s.listNeeds)},
		{"GET", "/api/v1/needs/:id", with(authed, s.getNeed)},
		{"POST", "/api/v1/needs/:id/transitions", with(write(), s.transitionNeed)},
		{"GET", "/api/v1/needs/:id/events", with(authed, s.needEvents)},
		{"GET", "/api/v1/needs/:id/votes", with(authed, s.needVotes)},
		{"POST", "/api/v1/needs/:id/supports", with(write(domain.RoleActor), s.supportNeed)},

		// The committee of every programme
		{"GET", "/api/v1/committee/pending", with(append(append([]fiber.Handler{}, authed...), requireRole(domain.RoleCommittee)), s.committeePending)},

		// Personal data (RGPD), for admins
		{"GET", "/api/v1/admin/users/:id/export", with(with(authed, requireRole(domain.RoleAdmin)), s.apiExportUser)},
		{"POST", "/api/v1/admin/users/:id/erase", with(write(domain.RoleAdmin), s.apiEraseUser)},

		// Web pages
		{"GET", "/static/*", []fiber.Handler{s.staticFile}},
		{"GET", "/", with(public, s.homePage)},
		{"GET", "/connexion", with(public, s.signInForm)},
		{"POST", "/connexion", posted(public, s.signIn)},
		{"POST", "/deconnexion", posted(public, s.signOut)},
		{"POST", "/deconnexion/partout", posted(signedIn, s.signOutEverywhere)},
		{"POST", "/langue", posted(public, s.switchLanguage)},
		{"GET", "/besoins", with(public, s.needsList)},
		{"GET", "/besoins/nouveau", with(member(domain.RoleActor), s.submitForm)},
		{"POST", "/besoins/nouveau", posted(member(domain.RoleActor), s.submitNeed)},
		{"GET", "/besoins/similaires", with(member(domain.RoleActor), s.similarNeeds)},
		{"GET", "/besoins/:id", with(public, s.needView)},
		{"POST", "/besoins/:id/actions", posted(signedIn, s.needAction)},
		{"POST", "/besoins/:id/soutien", posted(member(domain.RoleActor), s.supportNeedPage)},
		{"GET", "/mes-besoins", with(signedIn, s.myNeeds)},
		{"GET", "/mes-dossiers", with(member(domain.RoleOfficer), s.myFiles)},
		{"GET", "/tableau", with(member(domain.RoleOfficer), s.board)},
		{"GET", "/comite", with(member(domain.RoleCommittee), s.committee)},
		{"POST", "/comite/:id/vote", posted(member(domain.RoleCommittee), s.committeeVote)},
		{"GET", "/admin/comptes", with(member(domain.RoleAdmin), s.accounts)},
		{"POST", "/admin/comptes", posted(member(domain.RoleAdmin), s.addAccount)},
		{"GET", "/admin/comptes/:id", with(member(domain.RoleAdmin), s.account)},
		{"POST", "/admin/comptes/:id", posted(member(domain.RoleAdmin), s.updateAccount)},
		{"POST", "/admin/comptes/:id/etat", posted(member(domain.RoleAdmin), s.setAccountState)},
		{"GET", "/admin/comptes/:id/donnees", with(member(domain.RoleAdmin), s.exportAccount)},
		{"GET", "/admin/comptes/:id/effacer", with(member(domain.RoleAdmin), s.eraseForm)},
		{"POST", "/admin/comptes/:id/effacer", posted(member(domain.RoleAdmin), s.eraseAccount)},
		{"GET", "/admin/referentiel", with(member(domain.RoleAdmin), s.referencePage)},
		{"POST", "/admin/referentiel/thematiques", posted(member(domain.RoleAdmin), s.addThemePage)},
		{"POST", "/admin/referentiel/thematiques/:slug", posted(member(domain.RoleAdmin), s.changeThemePage)},
		{"POST", "/admin/referentiel/territoires", posted(member(domain.RoleAdmin), s.addTerritoryPage)},
		{"POST", "/admin/referentiel/territoires/:code", posted(member(domain.RoleAdmin), s.changeTerritoryPage)},
	}
	for _, r := range table {
		s.app.Add(r.method, r.path, r.handler...)
	}
	s.table = table
	// No catch-all: Fiber itself answers 404 for an unknown path and 405 for
	// a known path with another method, both through errorHandler.
}

// Routes lists every route as method and path (tests walk them all).
func (s *Server) Routes() [][2]string {
	out := make([][2]string, 0, len(s.table))
	for _, r := range s.table {
		out = append(out, [2]string{r.method, r.path})
	}
	return out
}
