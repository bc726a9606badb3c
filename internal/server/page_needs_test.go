package server_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"essor/internal/domain"
	"essor/internal/testenv"
)

const pageNeedTitle = "Garde d'enfants en horaires décalés"

func needForm(title string) url.Values {
	return url.Values{
		"title":          {title},
		"description":    {"Les parents qui travaillent la nuit à l'hôpital n'ont aucune solution de garde."},
		"theme":          {"early_childhood"},
		"territory_code": {"39"},
		"beneficiaries":  {"120"},
	}
}

var needAddress = regexp.MustCompile(`^/besoins/[0-9a-f-]{36}$`)

func TestSubmitNeedPages(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)

	t.Run("signed out, or not an actor", func(t *testing.T) {
		b := newBrowser(t, env)
		b.get("/besoins/nouveau").redirects(t, "/connexion?suite=%2Fbesoins%2Fnouveau")
		b.signIn(officer.Email, officer.Password)
		b.get("/besoins/nouveau").expect(t, 403, "Accès refusé", "Votre rôle ne permet pas cette action.")
		b.post("/besoins/nouveau", needForm(pageNeedTitle)).expect(t, 403)
	})

	b := newBrowser(t, env)
	b.signIn(actor.Email, actor.Password)
	b.get("/besoins/nouveau").expect(t, 200, "Remonter un besoin", `name="title"`, `name="territory_code"`,
		`name="description"`, `name="theme"`, `value="Mairie de Dole"`, `hx-get="/besoins/similaires"`)

	t.Run("a form without its token is refused", func(t *testing.T) {
		b.do("POST", "/besoins/nouveau", needForm(pageNeedTitle)).expect(t, 403, "Le formulaire a expiré")
	})

	t.Run("mistakes come back beside their fields", func(t *testing.T) {
		f := needForm("Gar")
		f.Set("beneficiaries", "beaucoup")
		f.Set("theme", "")
		b.post("/besoins/nouveau", f).expect(t, 422, "<title>Erreur : ",
			"Le champ « titre » doit contenir au moins 5 caractères.",
			"Le champ « thématique » est obligatoire.",
			"Le champ « bénéficiaires estimés » n'a pas le bon type : un nombre attendu.",
			`id="need-title" name="title" type="text" value="Gar" required aria-describedby="need-title-hint need-title-error" aria-invalid="true"`,
			`<a href="#need-title">`, "n'ont aucune solution de garde", `value="beaucoup"`)
	})

	t.Run("a need is reported and listed", func(t *testing.T) {
		p := b.post("/besoins/nouveau", needForm(pageNeedTitle))
		if p.Status != 303 || !needAddress.MatchString(p.Header.Get("Location")) {
			t.Fatalf("status %d location %q\n%s", p.Status, p.Header.Get("Location"), p.Body)
		}
		b.get(p.Header.Get("Location")).expect(t, 200, pageNeedTitle, "Votre besoin a bien été remonté.", `aria-current="step"`)
		b.get("/mes-besoins").expect(t, 200, pageNeedTitle)
		anon := newBrowser(t, env)
		anon.get("/besoins").expect(t, 200, pageNeedTitle, "1 besoin")
		anon.get("/besoins?q=enfant&territory=39&theme=early_childhood&stage=captured").expect(t, 200, pageNeedTitle)
		anon.get("/besoins?q=piscine").expect(t, 200, "Aucun besoin ne correspond à cette recherche.").lacks(t, pageNeedTitle)
		part := anon.get("/besoins?q=garde", "HX-Request", "true").expect(t, 200, pageNeedTitle, `hx-swap-oob="innerHTML"`)
		if strings.Contains(part.Body, "<html") {
			t.Fatal("htmx asked for the results and got a whole page")
		}
		anon.get("/besoins?stage=nulle-part").expect(t, 422, "Le paramètre « étape » doit être une étape connue.")
		anon.get("/besoins?cursor=nimportequoi").expect(t, 422, "Cette adresse de page n'est plus valide")
	})

	t.Run("similar needs, while typing or with the button", func(t *testing.T) {
		b.get("/besoins/similaires?title=Garde+enfants+horaires&territory_code=39").expect(t, 200, "Des besoins proches existent déjà", pageNeedTitle)
		b.get("/besoins/similaires?title=Garde+enfants+horaires&territory_code=25").expect(t, 200, "Aucun besoin proche").lacks(t, pageNeedTitle)
		f := needForm("Garde des enfants la nuit")
		f.Set("intent", "check")
		b.post("/besoins/nouveau", f).expect(t, 200, "Des besoins proches existent déjà", pageNeedTitle, `value="Garde des enfants la nuit"`)
		b.get("/mes-besoins").expect(t, 200).lacks(t, "Garde des enfants la nuit")
	})
}
