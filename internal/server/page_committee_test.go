package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/testenv"
)

func TestCommitteePage(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	first := env.Account(t, "Région", domain.RoleCommittee)
	second := env.Account(t, "État", domain.RoleCommittee)
	id := apiNeed(t, env, actor, pageNeedTitle)
	apiAct(t, env, officer.Token, id,
		map[string]any{"action": "qualify"},
		map[string]any{"action": "start_study", "due_date": time.Now().AddDate(0, 5, 0).Format(time.DateOnly)},
		map[string]any{"action": "submit_study", "recommendation": "go", "summary": "Besoin confirmé, modèle économique viable.", "budget_eur": 45000})

	newBrowser(t, env).get("/comite").redirects(t, "/connexion?suite=%2Fcomite")
	o := newBrowser(t, env)
	o.signIn(officer.Email, officer.Password)
	o.get("/comite").expect(t, 403, "Accès refusé")

	b := newBrowser(t, env)
	b.signIn(first.Email, first.Password).redirects(t, "/comite")
	b.get("/comite").expect(t, 200, "Décisions en attente du comité", pageNeedTitle, "1 décision attend le comité de pilotage.",
		"0 vote exprimé · quorum : 2", "Besoin confirmé, modèle économique viable.", "Recommandation de l'étude : Favorable (go)",
		`data-hx-post="/comite/`+id+`/vote"`, "Approuver l'expérimentation")
	b.do("POST", "/comite/"+id+"/vote", url.Values{"decision": {"approve"}}).expect(t, 403, "Le formulaire a expiré")
	b.post("/comite/"+id+"/vote", url.Values{}).expect(t, 422, "Le champ « décision » est obligatoire.")
	b.post("/comite/"+id+"/vote", url.Values{"decision": {"approve"}}).redirects(t, "/comite")
	b.get("/comite").expect(t, 200, "Votre vote est enregistré.", "Votre vote : Approuver l'expérimentation.",
		"1 vote exprimé · quorum : 2", "Changer mon vote")
	newBrowser(t, env).get("/besoins/"+id).expect(t, 200, "Vote en cours : 1 vote exprimé (quorum : 2 voix, une par institution).").
		lacks(t, "Décision n° 1")

	s := newBrowser(t, env)
	s.signIn(second.Email, second.Password)
	part := s.post("/comite/"+id+"/vote", url.Values{"decision": {"approve"}}, "HX-Request", "true").
		expect(t, 200, "Le comité a décidé : Approuver l'expérimentation.")
	if strings.Contains(part.Body, "<html") {
		t.Fatal("htmx asked for the card and got a whole page")
	}
	s.get("/comite").expect(t, 200, "Aucune décision n'attend votre vote.")
	newBrowser(t, env).get("/besoins/"+id).expect(t, 200, "Décision n° 1 : Approuver l'expérimentation",
		"Recherche d'un porteur", "Décision du comité", "Essor (automatique)",
		"Approuver l'expérimentation (approuver : 2, rejeter : 0, renvoyer à l'étude : 0)")
}
