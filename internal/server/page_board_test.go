package server_test

import (
	"context"
	"testing"

	"essor/internal/domain"
	"essor/internal/testenv"
)

func TestBoardPage(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	late := apiNeed(t, env, actor, "Transport solidaire vers les marchés")
	apiNeed(t, env, actor, pageNeedTitle)
	// The deadline has passed and its reminder has not fired yet.
	if _, err := env.DB.Pool.Exec(context.Background(),
		"UPDATE needs SET next_deadline = now() - interval '1 day' WHERE id = $1", late); err != nil {
		t.Fatal(err)
	}

	anon := newBrowser(t, env)
	anon.get("/tableau").redirects(t, "/connexion?suite=%2Ftableau")
	b := newBrowser(t, env)
	b.signIn(actor.Email, actor.Password)
	b.get("/tableau").expect(t, 403, "Accès refusé", "Votre rôle ne permet pas cette action.")

	b = newBrowser(t, env)
	b.signIn(officer.Email, officer.Password).redirects(t, "/tableau")
	p := b.get("/tableau").expect(t, 200, "Tableau de bord des projets", "Besoin remonté", "2 projets",
		"Passage en comité de pilotage", "Stabilisation et déploiement", "1 projet a dépassé son échéance.",
		"1 en retard", `href="/besoins/`+late+`"`, pageNeedTitle, "En retard", "Arrivé à cette étape aujourd'hui")
	p.lacks(t, "Déployé<")
}
