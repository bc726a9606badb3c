package kit

import (
	"net/url"
	"strings"
)

// pagePath names every page's address: the route table above, the links in
// the templates ({{path "need" .ID}}) and the handlers' redirects
// (pageURL("need", id)) read them here, so an address is typed once.
var PagePath = map[string]string{
	"home":                  "/",
	"signin":                "/connexion",
	"signout":               "/deconnexion",
	"signout.everywhere":    "/deconnexion/partout",
	"language":              "/langue",
	"needs":                 "/besoins",
	"needs.new":             "/besoins/nouveau",
	"needs.similar":         "/besoins/similaires",
	"seeking":               "/porteurs-recherches",
	"seeking.atom":          "/porteurs-recherches.atom",
	"need":                  "/besoins/:id",
	"need.actions":          "/besoins/:id/actions",
	"need.support":          "/besoins/:id/soutien",
	"my.needs":              "/mes-besoins",
	"my.files":              "/mes-dossiers",
	"board":                 "/tableau",
	"committee":             "/comite",
	"institutions":          "/comite/institutions",
	"sessions":              "/comite/seances",
	"session":               "/comite/seances/:id",
	"session.actions":       "/comite/seances/:id/actions",
	"session.ics":           "/comite/seances/:id/invitation.ics",
	"session.minutes":       "/comite/seances/:id/proces-verbal.pdf",
	"institution.members":   "/comite/institutions/:slug/membres",
	"needs.csv":             "/besoins.csv",
	"studyactions.csv":      "/fonds-de-confiance.csv",
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
	"studyactions":          "/fonds-de-confiance",
	"studyactions.apply":    "/fonds-de-confiance/candidature",
	"studyactions.followup": "/fonds-de-confiance/suivi",
	"studyaction":           "/fonds-de-confiance/:id",
	"studyaction.actions":   "/fonds-de-confiance/:id/actions",
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
	"directory":             "/annuaire",
	"directory.csv":         "/donnees-ouvertes/annuaire.csv",
	"directory.links":       "/annuaire/a-relier",
	"directory.json":        "/donnees-ouvertes/annuaire.json",
	"organisation":          "/annuaire/:id",
}

// pageURL is a named page's address with its parameters filled in, in order.
func PageURL(name string, params ...string) string {
	p, ok := PagePath[name]
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
