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

	t.Run("bounded columns and filters", func(t *testing.T) {
		// 12 needs of the Doubs written straight into the read model.
		if _, err := env.DB.Pool.Exec(context.Background(), `INSERT INTO needs (id, title, description, theme, territory_code,
				submitted_by, submitted_by_name, stage, stage_entered_at, version, created_at, updated_at)
			SELECT gen_random_uuid(), 'Épicerie solidaire n°' || i, 'Aucun commerce de proximité dans le village.', 'health', '25',
				$1, 'Alice', 'captured', now() - i * interval '1 hour', 1, now(), now()
			FROM generate_series(1, 12) AS i`, actor.ID); err != nil {
			t.Fatal(err)
		}
		if err := env.DB.RecountNeeds(context.Background()); err != nil {
			t.Fatal(err)
		}
		b.get("/tableau").expect(t, 200, "14 projets", "Voir les 2 autres projets", `href="/besoins?stage=captured"`,
			"Épicerie solidaire n°12", `href="/besoins/`+late+`"`).lacks(t, "Épicerie solidaire n°1<")
		b.get("/tableau?territory=39").expect(t, 200, "2 projets", "1 en retard", pageNeedTitle).lacks(t, "Épicerie solidaire", "autres projets")
		b.get("/tableau?territory=25&theme=health").expect(t, 200, "12 projets", "Épicerie solidaire n°1<", `<option value="health" selected>`).
			lacks(t, pageNeedTitle, "autre projet")
		b.get("/tableau?officer=me&theme=housing").expect(t, 200, "Aucun projet à cette étape.").lacks(t, "Épicerie solidaire", pageNeedTitle)
	})
}
