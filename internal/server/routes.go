package server

import (
	"net/url"
	"strings"

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
	s.app.Use(s.compress)   // text bodies as br or gzip, for clients that accept them
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

		// The Fonds de confiance (study-actions)
		{"POST", "/api/v1/study-actions", with(write(domain.RoleActor), s.createStudyAction)},
		{"GET", "/api/v1/study-actions", with(authed, s.listStudyActions)},
		{"GET", "/api/v1/study-actions/figures", with(authed, s.studyActionFigures)},
		{"GET", "/api/v1/study-actions/:id", with(authed, s.getStudyAction)},
		{"POST", "/api/v1/study-actions/:id/transitions", with(write(), s.transitionStudyAction)},
		{"GET", "/api/v1/study-actions/:id/events", with(authed, s.studyActionEvents)},
		{"GET", "/api/v1/study-actions/:id/votes", with(authed, s.studyActionVotes)},

		// The plan's indicators (public: aggregates only)
		{"GET", "/api/v1/indicators", []fiber.Handler{s.apiIndicators}},
		{"GET", "/api/v1/indicators.csv", []fiber.Handler{s.apiIndicatorsCSV}},
		// Calls for projects
		{"POST", "/api/v1/calls", with(write(domain.RoleOfficer), s.createCall)},
		{"GET", "/api/v1/calls", with(authed, s.listCalls)},
		{"GET", "/api/v1/calls/:id", with(authed, s.getCall)},
		{"POST", "/api/v1/calls/:id/applications", with(write(domain.RoleActor), s.applyToCall)},
		{"GET", "/api/v1/calls/:id/applications", with(authed, s.callApplications)},
		{"POST", "/api/v1/calls/:id/proposal", with(write(domain.RoleOfficer), s.proposeSelection)},
		{"POST", "/api/v1/calls/:id/transitions", with(write(), s.callTransitions)},
		{"GET", "/api/v1/calls/:id/events", with(authed, s.callEvents)},
		{"GET", "/api/v1/calls/:id/votes", with(authed, s.callVotes)},

		// The committee of every programme
		{"GET", "/api/v1/committee/pending", with(append(append([]fiber.Handler{}, authed...), requireRole(domain.RoleCommittee)), s.committeePending)},

		// Personal data (RGPD), for admins
		{"GET", "/api/v1/admin/users/:id/export", with(with(authed, requireRole(domain.RoleAdmin)), s.apiExportUser)},
		{"POST", "/api/v1/admin/users/:id/erase", with(write(domain.RoleAdmin), s.apiEraseUser)},
		// The territories an officer covers: reminders of needs nobody is in charge of
		{"GET", "/api/v1/admin/users/:id/territories", with(with(authed, requireRole(domain.RoleAdmin)), s.apiOfficerTerritories)},
		{"PUT", "/api/v1/admin/users/:id/territories", with(write(domain.RoleAdmin), s.apiSetOfficerTerritories)},

		// Rally'nov rounds
		{"POST", "/api/v1/rally/rounds", with(write(domain.RoleOrganiser), s.createRound)},
		{"GET", "/api/v1/rally/rounds", with(authed, s.listRounds)},
		{"GET", "/api/v1/rally/rounds/:id", with(authed, s.getRound)},
		{"POST", "/api/v1/rally/rounds/:id/phase", with(write(domain.RoleOrganiser), s.roundPhase)},
		{"POST", "/api/v1/rally/rounds/:id/entries", with(write(domain.RoleActor), s.createEntry)},
		{"GET", "/api/v1/rally/rounds/:id/entries", with(authed, s.listEntries)},
		{"POST", "/api/v1/rally/rounds/:id/entries/:entry_id/scores", with(write(domain.RoleJury), s.scoreEntry)},
		{"GET", "/api/v1/rally/rounds/:id/jurors", with(with(authed, requireRole(domain.RoleOrganiser, domain.RoleJury)), s.roundJurors)},
		{"PUT", "/api/v1/rally/rounds/:id/jurors", with(write(domain.RoleOrganiser), s.nameJurors)},
		{"POST", "/api/v1/rally/rounds/:id/selection", with(write(domain.RoleOrganiser), s.selectEntries)},
		{"POST", "/api/v1/rally/rounds/:id/stages", with(write(domain.RoleOrganiser), s.scheduleStage)},
		{"POST", "/api/v1/rally/rounds/:id/trophies", with(write(domain.RoleOrganiser), s.awardTrophy)},
		{"GET", "/api/v1/rally/rounds/:id/results", []fiber.Handler{s.roundResults}},
		{"GET", "/api/v1/rally/rounds/:id/calendar.ics", []fiber.Handler{s.roundCalendar}},

		// Web pages
		{"GET", "/static/*", []fiber.Handler{s.staticFile}},
		{"GET", pagePath["home"], with(public, s.homePage)},
		{"GET", pagePath["signin"], with(public, s.signInForm)},
		{"POST", pagePath["signin"], posted(public, s.signIn)},
		{"POST", pagePath["signout"], posted(public, s.signOut)},
		{"POST", pagePath["signout.everywhere"], posted(signedIn, s.signOutEverywhere)},
		{"POST", pagePath["language"], posted(public, s.switchLanguage)},
		{"GET", pagePath["needs"], with(public, s.needsList)},
		{"GET", pagePath["needs.new"], with(member(domain.RoleActor), s.submitForm)},
		{"POST", pagePath["needs.new"], posted(member(domain.RoleActor), s.submitNeed)},
		{"GET", pagePath["needs.similar"], with(member(domain.RoleActor), s.similarNeeds)},
		{"GET", pagePath["need"], with(public, s.needView)},
		{"POST", pagePath["need.actions"], posted(signedIn, s.needAction)},
		{"POST", pagePath["need.support"], posted(member(domain.RoleActor), s.supportNeedPage)},
		{"GET", pagePath["my.needs"], with(signedIn, s.myNeeds)},
		{"GET", pagePath["my.files"], with(member(domain.RoleOfficer), s.myFiles)},
		{"GET", pagePath["board"], with(member(domain.RoleOfficer), s.board)},
		{"GET", pagePath["fund"], with(public, s.studyActions)},
		{"GET", pagePath["fund.apply"], with(member(domain.RoleActor), s.applyForm)},
		{"POST", pagePath["fund.apply"], posted(member(domain.RoleActor), s.apply)},
		{"GET", pagePath["fund.followup"], with(member(domain.RoleOfficer), s.studyFollowUp)},
		{"GET", pagePath["study"], with(public, s.studyView)},
		{"POST", pagePath["study.actions"], posted(signedIn, s.studyAction)},
		{"GET", pagePath["needs.csv"], with(public, s.needsCSV)},
		{"GET", pagePath["fund.csv"], with(public, s.studyActionsCSV)},
		{"GET", pagePath["calls.csv"], with(public, s.callsCSV)},
		{"GET", pagePath["rally.csv"], with(public, s.roundsCSV)},
		{"GET", pagePath["indicators"], with(public, s.indicatorsDashboard)},
		{"GET", pagePath["indicators.sheet"], with(public, s.territorySheet)},
		{"GET", pagePath["indicators.report"], with(public, s.annualReport)},
		{"GET", pagePath["opendata.csv"], with(public, s.openDataCSV)},
		{"GET", pagePath["opendata.json"], with(public, s.openDataJSON)},
		// The open data page and the notices of a public service (page_notices.go)
		{"GET", pagePath["opendata"], with(public, s.openDataNotice)},
		{"GET", pagePath["accessibility"], with(public, s.accessibilityNotice)},
		{"GET", pagePath["legal"], with(public, s.legalNotice)},
		{"GET", pagePath["privacy"], with(public, s.privacyNotice)},
		{"GET", pagePath["contact"], with(public, s.contactNotice)},
		{"GET", pagePath["calls"], with(public, s.callsList)},
		{"GET", pagePath["calls.new"], with(member(domain.RoleOfficer), s.callForm)},
		{"POST", pagePath["calls.new"], posted(member(domain.RoleOfficer), s.createCallPage)},
		{"GET", pagePath["call"], with(public, s.callView)},
		{"POST", pagePath["call.apply"], posted(member(domain.RoleActor), s.callApply)},
		{"POST", pagePath["call.propose"], posted(member(domain.RoleOfficer), s.callPropose)},
		{"POST", pagePath["call.close"], posted(member(domain.RoleOfficer), s.callCloseUnsuccessful)},
		{"GET", pagePath["committee"], with(member(domain.RoleCommittee), s.committee)},
		{"POST", pagePath["committee.vote"], posted(member(domain.RoleCommittee), s.committeeVote)},
		{"GET", pagePath["accounts"], with(member(domain.RoleAdmin), s.accounts)},
		{"POST", pagePath["accounts"], posted(member(domain.RoleAdmin), s.addAccount)},
		{"GET", pagePath["account"], with(member(domain.RoleAdmin), s.account)},
		{"POST", pagePath["account"], posted(member(domain.RoleAdmin), s.updateAccount)},
		{"POST", pagePath["account.state"], posted(member(domain.RoleAdmin), s.setAccountState)},
		{"GET", pagePath["account.export"], with(member(domain.RoleAdmin), s.exportAccount)},
		{"GET", pagePath["account.erase"], with(member(domain.RoleAdmin), s.eraseForm)},
		{"POST", pagePath["account.erase"], posted(member(domain.RoleAdmin), s.eraseAccount)},
		{"GET", pagePath["reference"], with(member(domain.RoleAdmin), s.referencePage)},
		{"POST", pagePath["reference.themes"], posted(member(domain.RoleAdmin), s.addThemePage)},
		{"POST", pagePath["reference.theme"], posted(member(domain.RoleAdmin), s.changeThemePage)},
		{"POST", pagePath["reference.territories"], posted(member(domain.RoleAdmin), s.addTerritoryPage)},
		{"POST", pagePath["reference.territory"], posted(member(domain.RoleAdmin), s.changeTerritoryPage)},
		{"GET", pagePath["rally"], with(public, s.rallyList)},
		{"GET", pagePath["rally.new"], with(member(domain.RoleOrganiser), s.roundSetupForm)},
		{"POST", pagePath["rally.new"], posted(member(domain.RoleOrganiser), s.roundSetup)},
		{"GET", pagePath["rally.round"], with(public, s.roundPageView)},
		{"POST", pagePath["rally.phase"], posted(member(domain.RoleOrganiser), s.roundAdvancePage)},
		{"POST", pagePath["rally.selection"], posted(member(domain.RoleOrganiser), s.roundSelectPage)},
		{"POST", pagePath["rally.jurors"], posted(member(domain.RoleOrganiser), s.roundJuryPage)},
		{"POST", pagePath["rally.stages"], posted(member(domain.RoleOrganiser), s.roundStagePage)},
		{"POST", pagePath["rally.trophies"], posted(member(domain.RoleOrganiser), s.roundTrophyPage)},
		{"GET", pagePath["rally.enter"], with(member(domain.RoleActor), s.entryForm)},
		{"POST", pagePath["rally.enter"], posted(member(domain.RoleActor), s.submitEntry)},
		{"GET", pagePath["rally.jury"], with(member(domain.RoleJury), s.juryEntries)},
		{"POST", pagePath["rally.score"], posted(member(domain.RoleJury), s.scoreEntryPage)},

		// Discussion and e-mail notifications (api_comments.go, page_comments.go, api_notifications.go, page_notifications.go)
		{"GET", "/api/v1/needs/:id/comments", with(authed, s.listNeedComments)},
		{"POST", "/api/v1/needs/:id/comments", with(write(domain.CommentRoles...), s.createNeedComment)},
		{"PATCH", "/api/v1/needs/:id/comments/:cid", with(authed, s.editNeedComment)},
		{"DELETE", "/api/v1/needs/:id/comments/:cid", with(authed, s.deleteNeedComment)},
		{"POST", "/api/v1/needs/:id/comments/:cid/hide", with(write(domain.RoleOfficer), s.hideNeedComment)},
		{"GET", "/api/v1/me/notifications", with(authed, s.getNotifications)},
		{"PUT", "/api/v1/me/notifications", with(authed, s.putNotifications)},
		{"GET", "/api/v1/admin/outbox", with(with(authed, requireRole(domain.RoleAdmin)), s.apiOutbox)},
		{"POST", pagePath["need.comments"], posted(signedIn, s.commentPage)},
		{"POST", pagePath["need.comment"], posted(signedIn, s.commentChangePage)},
		{"GET", pagePath["my.notifications"], with(signedIn, s.notificationsPage)},
		{"POST", pagePath["my.notifications"], posted(signedIn, s.saveNotificationsPage)},
		// One-click unsubscribe (RFC 8058): the token is the authority, no session or form token.
		{"GET", pagePath["unsubscribe"], with(public, s.unsubscribeForm)},
		{"POST", pagePath["unsubscribe"], with(public, s.unsubscribe)},
		{"GET", pagePath["outbox"], with(member(domain.RoleAdmin), s.outboxPage)},
	}
	for _, r := range table {
		s.app.Add(r.method, r.path, r.handler...)
		if r.method == fiber.MethodGet {
			// HEAD is the GET without its body (RFC 9110 §9.3.2): the same
			// handler answers, fasthttp leaves the body out.
			s.app.Add(fiber.MethodHead, r.path, r.handler...)
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
		out = append(out, [2]string{r.method, r.path})
	}
	return out
}

// pagePath names every page's address: the route table above, the links in
// the templates ({{path "need" .ID}}) and the handlers' redirects
// (pageURL("need", id)) read them here, so an address is typed once.
var pagePath = map[string]string{
	"home":                  "/",
	"signin":                "/connexion",
	"signout":               "/deconnexion",
	"signout.everywhere":    "/deconnexion/partout",
	"language":              "/langue",
	"needs":                 "/besoins",
	"needs.new":             "/besoins/nouveau",
	"needs.similar":         "/besoins/similaires",
	"need":                  "/besoins/:id",
	"need.actions":          "/besoins/:id/actions",
	"need.support":          "/besoins/:id/soutien",
	"my.needs":              "/mes-besoins",
	"my.files":              "/mes-dossiers",
	"board":                 "/tableau",
	"committee":             "/comite",
	"needs.csv":             "/besoins.csv",
	"fund.csv":              "/fonds-de-confiance.csv",
	"calls.csv":             "/appels.csv",
	"rally.csv":             "/rallye.csv",
	"indicators":            "/indicateurs",
	"indicators.sheet":      "/indicateurs/territoires/:code",
	"indicators.report":     "/indicateurs/rapport/:year",
	"opendata.csv":          "/donnees-ouvertes/besoins.csv",
	"opendata.json":         "/donnees-ouvertes/besoins.json",
	"opendata":              "/donnees-ouvertes",
	"accessibility":         "/accessibilite",
	"legal":                 "/mentions-legales",
	"privacy":               "/donnees-personnelles",
	"contact":               "/contact",
	"fund":                  "/fonds-de-confiance",
	"fund.apply":            "/fonds-de-confiance/candidature",
	"fund.followup":         "/fonds-de-confiance/suivi",
	"study":                 "/fonds-de-confiance/:id",
	"study.actions":         "/fonds-de-confiance/:id/actions",
	"committee.vote":        "/comite/:id/vote",
	"accounts":              "/admin/comptes",
	"account":               "/admin/comptes/:id",
	"account.state":         "/admin/comptes/:id/etat",
	"account.export":        "/admin/comptes/:id/donnees",
	"account.erase":         "/admin/comptes/:id/effacer",
	"reference":             "/admin/referentiel",
	"reference.themes":      "/admin/referentiel/thematiques",
	"reference.theme":       "/admin/referentiel/thematiques/:slug",
	"reference.territories": "/admin/referentiel/territoires",
	"reference.territory":   "/admin/referentiel/territoires/:code",
	"rally":                 "/rallye",
	"rally.new":             "/rallye/nouveau",
	"rally.round":           "/rallye/:id",
	"rally.phase":           "/rallye/:id/phase",
	"rally.selection":       "/rallye/:id/selection",
	"rally.jurors":          "/rallye/:id/jures",
	"rally.stages":          "/rallye/:id/etapes",
	"rally.trophies":        "/rallye/:id/trophees",
	"rally.enter":           "/rallye/:id/candidater",
	"rally.jury":            "/rallye/:id/jury",
	"rally.score":           "/rallye/:id/candidatures/:entry/notes",
	"calls":                 "/appels",
	"calls.new":             "/appels/nouveau",
	"call":                  "/appels/:id",
	"call.apply":            "/appels/:id/candidature",
	"call.propose":          "/appels/:id/proposition",
	"call.close":            "/appels/:id/cloture-sans-suite",
	"need.comments":         "/besoins/:id/discussion",
	"need.comment":          "/besoins/:id/discussion/:cid",
	"my.notifications":      "/mon-compte/notifications",
	"unsubscribe":           "/desabonnement/:token",
	"outbox":                "/admin/envois",
}

// pageURL is a named page's address with its parameters filled in, in order.
func pageURL(name string, params ...string) string {
	p, ok := pagePath[name]
	if !ok {
		panic("no page named " + name) // a programming error: every page test renders its links
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if strings.HasPrefix(seg, ":") && len(params) > 0 {
			segs[i], params = url.PathEscape(params[0]), params[1:]
		}
	}
	return strings.Join(segs, "/")
}
