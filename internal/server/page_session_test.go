package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/testenv"
)

func TestSignInPage(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)

	t.Run("form and refusals", func(t *testing.T) {
		b := newBrowser(t, env)
		b.get("/connexion").expect(t, 200, "Se connecter", `autocomplete="current-password"`, `for="signin-email"`)
		b.do("POST", "/connexion", url.Values{"email": {actor.Email}, "password": {actor.Password}}).
			expect(t, 403, "Accès refusé", "Le formulaire a expiré. Rechargez la page et réessayez.")
		b.post("/connexion", url.Values{"email": {actor.Email}, "password": {"pas le bon"}}).
			expect(t, 401, "Adresse e-mail ou mot de passe incorrect.", "<title>Erreur : ", actor.Email).
			lacks(t, "pas le bon")
		b.post("/connexion", url.Values{}).
			expect(t, 422, "Le champ « adresse e-mail » est obligatoire.", "Le champ « mot de passe » est obligatoire.",
				`aria-invalid="true"`, `aria-describedby="signin-email-error"`)
	})

	t.Run("signed in, then out", func(t *testing.T) {
		b := newBrowser(t, env)
		b.get("/mes-besoins").redirects(t, "/connexion?suite=%2Fmes-besoins")
		p := b.post("/connexion", url.Values{"email": {actor.Email}, "password": {actor.Password}, "suite": {"/mes-besoins"}}).
			redirects(t, "/mes-besoins")
		cookie := strings.Join(p.Header.Values("Set-Cookie"), "\n")
		if !strings.Contains(cookie, "essor_session=") || !strings.Contains(cookie, "HttpOnly") ||
			!strings.Contains(strings.ToLower(cookie), "samesite=lax") || strings.Contains(strings.ToLower(cookie), "secure") {
			t.Fatalf("session cookie: %s", cookie)
		}
		b.get("/mes-besoins").expect(t, 200, "Mes besoins", actor.Name, "Se déconnecter")
		b.do("POST", "/deconnexion", url.Values{"_csrf": {"faux"}}).expect(t, 403, "Le formulaire a expiré")
		b.post("/deconnexion", nil).redirects(t, "/")
		b.get("/").expect(t, 200, "Vous êtes déconnecté(e).")
		b.get("/mes-besoins").redirects(t, "/connexion?suite=%2Fmes-besoins")
	})

	t.Run("an address of another site is not followed", func(t *testing.T) {
		b := newBrowser(t, env)
		b.post("/connexion", url.Values{"email": {actor.Email}, "password": {actor.Password}, "suite": {"//ailleurs.example/"}}).
			redirects(t, "/mes-besoins")
	})

	t.Run("an API token is not a web session", func(t *testing.T) {
		b := newBrowser(t, env)
		b.cookies["essor_session"] = actor.Token
		b.get("/mes-besoins").redirects(t, "/connexion?suite=%2Fmes-besoins")
	})

	t.Run("attempts are limited per account", func(t *testing.T) {
		b := newBrowser(t, env)
		victim := env.Account(t, "Centre social", domain.RoleActor)
		for i := 0; i < 10; i++ {
			b.post("/connexion", url.Values{"email": {victim.Email}, "password": {"essai-" + string(rune('a'+i))}}).expect(t, 401)
		}
		b.post("/connexion", url.Values{"email": {victim.Email}, "password": {victim.Password}}).
			expect(t, http.StatusTooManyRequests, "Trop de tentatives. Réessayez dans quelques minutes.")
	})
}

func TestSecureCookies(t *testing.T) {
	env := testenv.New(t, func(c *config.Config) { c.SecureCookies = true })
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	b := newBrowser(t, env)
	p := b.signIn(actor.Email, actor.Password)
	if cookie := strings.Join(p.Header.Values("Set-Cookie"), "\n"); !strings.Contains(strings.ToLower(cookie), "secure") {
		t.Fatalf("session cookie without Secure: %s", cookie)
	}
}
