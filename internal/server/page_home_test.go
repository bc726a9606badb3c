package server_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"essor/internal/testenv"
)

func TestHomePage(t *testing.T) {
	env := testenv.New(t)
	b := newBrowser(t, env)

	p := b.get("/").expect(t, 200, `<html lang="fr">`, "Des besoins du territoire", "Remonter un besoin", "Les chiffres du moment",
		"Aller au contenu", `<main id="contenu"`)
	if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Fatalf("Content-Security-Policy %q", csp)
	}
	if b.cookies["essor_csrf"] == "" {
		t.Fatal("no form token cookie for a signed-out visitor")
	}

	t.Run("English is kept once chosen", func(t *testing.T) {
		b := newBrowser(t, env)
		b.post("/langue", url.Values{"lang": {"en"}, "retour": {"/besoins"}}).redirects(t, "/besoins")
		b.get("/").expect(t, 200, `<html lang="en">`, "From the territory's needs", "Report a need")
		b.post("/langue", url.Values{"lang": {"fr"}, "retour": {"//ailleurs.example"}}).redirects(t, "/")
		b.get("/").expect(t, 200, `<html lang="fr">`)
	})

	t.Run("unknown page", func(t *testing.T) {
		b.get("/cette-page-nexiste-pas").expect(t, 404, "Page introuvable", "Cette page n'existe pas.", "Retour à l'accueil")
		b.get("/besoins/pas-un-identifiant").expect(t, 404, "Ce besoin n'existe pas.")
	})

	t.Run("static files", func(t *testing.T) {
		css := b.get("/static/essor.css")
		if css.Status != 200 || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") {
			t.Fatalf("css: %d %s", css.Status, css.Header.Get("Content-Type"))
		}
		m := regexp.MustCompile(`/static/essor\.css\?v=([0-9a-f]+)`).FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatal("the page does not link its stylesheet with a version")
		}
		if cc := b.get(m[0]).Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Fatalf("versioned asset Cache-Control %q", cc)
		}
		if js := b.get("/static/htmx.min.js"); js.Status != 200 {
			t.Fatalf("htmx: %d", js.Status)
		}
		b.get("/static/absent.css").expect(t, 404)
	})
}
