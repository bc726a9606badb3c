package server_test

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/testenv"
)

var (
	headingTag = regexp.MustCompile(`<h([1-6])[\s>]`)
	idAttr     = regexp.MustCompile(`\sid="([^"]+)"`)
	metaDesc   = regexp.MustCompile(`<meta name="description" content="([^"]*)">`)
)

// A public service's notices (issue 21): each answers anonymously with its
// key statements and the Region's values, the footer of every page links
// them, and every page describes itself.
func TestNotices(t *testing.T) {
	env := testenv.New(t, func(c *config.Config) {
		c.Notices = config.Notices{
			Publisher: "Région Exemple, 4 square Castan, 25000 Besançon, 03 81 00 00 00",
			Director:  "Marie Exemple, présidente du conseil régional",
			Host:      "Hébergeur Public SAS, 1 rue du Serveur, 69000 Lyon, 04 72 00 00 00",
			Contact:   "Équipe Essor, essor@region.example",
			DPO:       "Délégué à la protection des données, dpo@region.example",
		}
		c.RetainClosedAccounts = 1095 * 24 * time.Hour
		c.SessionTTL = 12 * time.Hour
		c.BaseURL = "https://essor.region.example"
	})
	b := newBrowser(t, env)
	mailto := func(addr string) string { return `<a href="mailto:` + addr + `">` + addr + `</a>` }

	pages := []struct {
		path, heading, description string
		unset                      int // the values only the Region can give and no setting holds yet
		says                       []string
	}{
		{"/accessibilite", "Déclaration d'accessibilité", "La déclaration d'accessibilité d'Essor selon le RGAA 4.1", 1, []string{
			"article 47 de la loi n° 2005-102 du 11 février 2005",
			"Région Exemple, 4 square Castan", "s'applique à Essor, à l'adresse https://essor.region.example.",
			"Essor est non conforme avec le RGAA, version 4.1.", "Aucun audit de conformité n'a encore été réalisé",
			"axe-core", "au clavier", "200 %", "sans JavaScript", "Non-conformités connues", "(critère 13.1)",
			"Dérogations pour charge disproportionnée", "établie le 3 décembre 2026", "HTML5", "JavaScript (htmx), facultatif",
			"Environnement de test", "Pages vérifiées", "Retour d'information et contact", "Équipe Essor, " + mailto("essor@region.example"),
			"Voies de recours", `href="https://formulaire.defenseurdesdroits.fr/"`, `href="tel:+33969390000"`, "09 69 39 00 00",
			"Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07"}},
		{"/mentions-legales", "Mentions légales", "Les mentions légales d'Essor", 0, []string{
			"loi n° 2004-575 du 21 juin 2004", "Éditeur", "Région Exemple, 4 square Castan, 25000 Besançon, 03 81 00 00 00",
			"Directeur de la publication", "Marie Exemple, présidente du conseil régional",
			"Hébergeur", "Hébergeur Public SAS, 1 rue du Serveur, 69000 Lyon, 04 72 00 00 00", mailto("essor@region.example"),
			`href="/contact"`, `href="/donnees-ouvertes"`}},
		{"/donnees-personnelles", "Données personnelles", "Les données personnelles qu'Essor garde", 0, []string{
			"Responsable du traitement", "Région Exemple", "Délégué à la protection des données, " + mailto("dpo@region.example"),
			"les commentaires", "les votes du comité", "Les e-mails envoyés", "tentatives de connexion échouées", "journaux techniques",
			"mission d'intérêt public", "article 6, paragraphe 1, point e du RGPD",
			"Effacé 1\u202f095 jours après sa fermeture", "« Personne effacée »", "Sans suppression automatique",
			"Chacun fonctionne 90 jours", "12 heures au plus", "15 minutes, en mémoire seulement", "1 jour, puis supprimées dans l'heure",
			"« un particulier »", "Hébergeur Public SAS", "essor_session", "essor_lang",
			"accéder aux données", "rectifier", "effacer", "vous opposer", "limitation", "exportent en un fichier (JSON)",
			"CNIL", `href="https://www.cnil.fr/fr/plaintes"`}},
		{"/contact", "Contact", "Comment joindre l'équipe d'Essor", 0, []string{
			"Équipe Essor, " + mailto("essor@region.example"), "Région Exemple", "Selon votre demande",
			"Obtenir un compte", "Un besoin ou un projet", "Vos données personnelles", mailto("dpo@region.example"),
			"Un défaut d'accessibilité", `href="/accessibilite"`, `href="/donnees-personnelles"`}},
		{"/donnees-ouvertes", "Données ouvertes", "Les données ouvertes d'Essor", 1, []string{
			"sans donnée personnelle", `href="/donnees-ouvertes/besoins.csv"`,
			`href="/donnees-ouvertes/besoins.json"`, "<code>titre</code>", "<code>emplois_crees</code>", "<code>origine_libelle</code>",
			"emplois créés, en équivalents temps plein", `href="/api/openapi.json"`, `href="/indicateurs"`}},
	}
	for _, pg := range pages {
		t.Run(pg.path, func(t *testing.T) {
			p := b.get(pg.path).expect(t, 200, pg.says...)
			if h := wellFormed(t, p); h != pg.heading {
				t.Fatalf("h1 %q, want %q", h, pg.heading)
			}
			if m := metaDesc.FindStringSubmatch(p.Body); m == nil || !strings.HasPrefix(html.UnescapeString(m[1]), pg.description) {
				t.Fatalf("description %q, want it to start with %q", m, pg.description)
			}
			// The page's own footer link says so.
			if !regexp.MustCompile(`<a href="` + regexp.QuoteMeta(pg.path) + `" aria-current="page">`).MatchString(p.Body) {
				t.Fatalf("the footer does not mark %s as the current page", pg.path)
			}
			if n := strings.Count(p.Body, "à renseigner"); n != pg.unset {
				t.Fatalf("%d values « à renseigner », want %d", n, pg.unset)
			}
			p.lacks(t, "/admin/comptes")
		})
	}

	t.Run("the footer of every page links them", func(t *testing.T) {
		for _, path := range []string{"/", "/besoins", "/connexion", "/cette-page-nexiste-pas"} {
			p := b.get(path)
			footer := p.Body[strings.Index(p.Body, `<footer`):]
			for _, link := range []string{`href="/accessibilite">Accessibilité : non conforme</a>`, `href="/mentions-legales">Mentions légales</a>`,
				`href="/donnees-personnelles">Données personnelles</a>`, `href="/contact">Contact</a>`,
				`href="/donnees-ouvertes">Données ouvertes</a>`, `href="/api/openapi.json">API pour les outils partenaires (OpenAPI)</a>`} {
				if !strings.Contains(footer, link) {
					t.Fatalf("%s: the footer lacks %s\n%s", path, link, footer)
				}
			}
		}
	})

	t.Run("every page has a description", func(t *testing.T) {
		for path, want := range map[string]string{
			"/":                       "Des besoins sociaux repérés dans les territoires",
			"/besoins":                "Les besoins sociaux remontés par les territoires",
			"/indicateurs":            "Essor, l'incubateur collaboratif", // a heading of its own, no title key: the site's
			"/cette-page-nexiste-pas": "Essor, l'incubateur collaboratif",
		} {
			m := metaDesc.FindStringSubmatch(b.get(path).Body)
			if m == nil || !strings.HasPrefix(html.UnescapeString(m[1]), want) {
				t.Errorf("%s: description %q, want %q…", path, m, want)
			}
		}
	})

	t.Run("the rights' tools are linked for admins only", func(t *testing.T) {
		admin := env.Account(t, "Région", domain.RoleAdmin)
		a := newBrowser(t, env)
		a.signIn(admin.Email, admin.Password)
		a.get("/donnees-personnelles").expect(t, 200, `href="/admin/comptes"`, `href="/mon-compte/notifications"`)
		actor := env.Account(t, "Association", domain.RoleActor)
		o := newBrowser(t, env)
		o.signIn(actor.Email, actor.Password)
		o.get("/donnees-personnelles").expect(t, 200, `href="/mon-compte/notifications"`).lacks(t, `href="/admin/comptes"`)
	})

	t.Run("in English", func(t *testing.T) {
		e := newBrowser(t, env)
		e.post("/langue", url.Values{"lang": {"en"}, "retour": {"/accessibilite"}}).redirects(t, "/accessibilite")
		e.get("/accessibilite").expect(t, 200, `<html lang="en">`, "Accessibility statement",
			"Essor is not compliant with the RGAA, version 4.1.", "prepared on 3 December 2026", "Accessibility: not compliant")
		e.get("/donnees-personnelles").expect(t, 200, "Erased 1,095 days after its closing", "12 hours at most", "“an individual”")
	})
}

// Unset, the Region's values say « à renseigner »; nothing is invented.
func TestNoticesUnset(t *testing.T) {
	env := testenv.New(t)
	b := newBrowser(t, env)
	p := b.get("/mentions-legales").expect(t, 200, "Mentions légales")
	if n := strings.Count(p.Body, `<em class="unset">à renseigner</em>`); n != 4 {
		t.Fatalf("%d values « à renseigner », want 4 (publisher, director, host, contact)\n%s", n, p.Body)
	}
	b.get("/donnees-personnelles").expect(t, 200, "Gardé jusqu'à ce qu'un administrateur l'efface : aucune durée n'est configurée.").
		lacks(t, "mailto:")
	b.get("/accessibilite").expect(t, 200, "Cette déclaration d'accessibilité s'applique à Essor.")
}

// wellFormed checks what a validator would: one h1 first, headings that
// never skip a level, ids used once; it returns the h1's text.
func wellFormed(t *testing.T, p page) string {
	t.Helper()
	main := p.Body[strings.Index(p.Body, "<main"):strings.Index(p.Body, "</main>")]
	prev := 0
	for i, m := range headingTag.FindAllStringSubmatch(main, -1) {
		level, _ := strconv.Atoi(m[1])
		if (i == 0 && level != 1) || (i > 0 && level == 1) || level > prev+1 {
			t.Fatalf("heading h%d after h%d", level, prev)
		}
		prev = level
	}
	seen := map[string]bool{}
	for _, m := range idAttr.FindAllStringSubmatch(p.Body, -1) {
		if seen[m[1]] {
			t.Fatalf("id %q used twice", m[1])
		}
		seen[m[1]] = true
	}
	h1 := regexp.MustCompile(`<h1>([^<]*)</h1>`).FindStringSubmatch(main)
	if h1 == nil {
		t.Fatal("no plain h1")
	}
	return html.UnescapeString(h1[1])
}
