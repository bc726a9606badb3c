package server_test

import (
	"context"
	"net/url"
	"testing"

	"essor/internal/domain"
	"essor/internal/testenv"
)

func TestAccountPages(t *testing.T) {
	env := testenv.New(t)
	admin := env.Account(t, "Essor", domain.RoleAdmin)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)

	newBrowser(t, env).get("/admin/comptes").redirects(t, "/connexion?suite=%2Fadmin%2Fcomptes")
	a := newBrowser(t, env)
	a.signIn(actor.Email, actor.Password)
	a.get("/admin/comptes").expect(t, 403, "Accès refusé")
	a.post("/admin/comptes", url.Values{"email": {"x@example.org"}}).expect(t, 403)

	b := newBrowser(t, env)
	b.signIn(admin.Email, admin.Password).redirects(t, "/admin/comptes")
	b.get("/admin/comptes").expect(t, 200, "Comptes", "2 comptes", actor.Email, "Acteur territorial", "Ajouter un compte")

	b.do("POST", "/admin/comptes", url.Values{"email": {"lucie@cress.example"}}).expect(t, 403, "Le formulaire a expiré")
	b.post("/admin/comptes", url.Values{"email": {"pas-une-adresse"}, "password": {"court"}, "roles": {"pirate"}}).expect(t, 422,
		"Le champ « nom » est obligatoire.", "Le champ « adresse e-mail » doit être une adresse e-mail valide.",
		"Le champ « rôles » contient un rôle inconnu : pirate.", "Le champ « mot de passe » doit contenir au moins 10 caractères.").
		lacks(t, `value="court"`)
	b.post("/admin/comptes", url.Values{"name": {"Doublon"}, "email": {actor.Email}, "roles": {"actor"},
		"password": {"un mot de passe long"}}).expect(t, 422, "Un compte existe déjà avec cette adresse e-mail.")
	b.post("/admin/comptes", url.Values{"name": {"Lucie Perrin"}, "email": {"lucie@cress.example"}, "organisation": {"CRESS"},
		"roles": {"officer", "committee"}, "password": {"un mot de passe long"}}).redirects(t, "/admin/comptes")
	b.get("/admin/comptes").expect(t, 200, "Le compte a été créé.", "Lucie Perrin", "Chargé(e) de mission, Membre du comité de pilotage")
	lucie, err := env.DB.UserByEmail(context.Background(), "lucie@cress.example")
	if err != nil {
		t.Fatal(err)
	}
	newBrowser(t, env).signIn("lucie@cress.example", "un mot de passe long").redirects(t, "/tableau")

	path := "/admin/comptes/" + lucie.ID
	b.get(path).expect(t, 200, "Lucie Perrin", `value="officer" checked`, `name="active" value="true" checked`)
	b.post(path, url.Values{"name": {"Lucie Perrin"}, "roles": {"committee"}, "active": {"true"}}).redirects(t, "/admin/comptes")
	b.post(path+"/etat", nil).redirects(t, "/admin/comptes")
	b.get("/admin/comptes").expect(t, 200, "Le compte a été désactivé", "Désactivé", "Réactiver")
	newBrowser(t, env).post("/connexion", url.Values{"email": {"lucie@cress.example"}, "password": {"un mot de passe long"}}).
		expect(t, 401, "Adresse e-mail ou mot de passe incorrect.")
	if u, _ := env.DB.UserByID(context.Background(), lucie.ID); u.Active || len(u.Roles) != 1 || u.Roles[0] != domain.RoleCommittee {
		t.Fatalf("account after changes: %+v", u)
	}

	t.Run("an admin cannot lock themselves out", func(t *testing.T) {
		b.post("/admin/comptes/"+admin.ID, url.Values{"name": {admin.Name}, "roles": {"actor"}, "active": {"true"}}).
			expect(t, 422, "Vous ne pouvez pas retirer votre propre rôle d'administrateur")
		b.post("/admin/comptes/"+admin.ID+"/etat", nil).expect(t, 409, "Vous ne pouvez pas retirer votre propre rôle")
		b.get("/admin/comptes/00000000-0000-4000-8000-000000000000").expect(t, 404, "Page introuvable")
	})
}
