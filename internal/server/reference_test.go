package server_test

import (
	"net/url"
	"strings"
	"testing"

	"essor/internal/domain"
	"essor/internal/testenv"
)

func territoryOf(t *testing.T, env *testenv.Env, code string) map[string]any {
	t.Helper()
	var all []map[string]any
	env.Do(t, "GET", "/api/v1/territories", "", nil).Expect(t, 200).JSON(t, &all)
	for _, te := range all {
		if te["code"] == code {
			return te
		}
	}
	t.Fatalf("territory %s not listed in %v", code, all)
	return nil
}

func TestReferenceDataOverAPI(t *testing.T) {
	env := testenv.New(t)
	admin := env.Account(t, "Région", domain.RoleAdmin)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)

	if z := territoryOf(t, env, "ze-dole"); z["kind"] != "employment_zone" || z["parent_code"] != "39" || z["retired"] != false {
		t.Fatalf("ze-dole %v", z)
	}
	if d := territoryOf(t, env, "39"); d["kind"] != "departement" || d["parent_code"] != "27" {
		t.Fatalf("39 %v", d)
	}

	theme := map[string]any{"slug": "acces_droits", "label_fr": "Accès aux droits", "label_en": "Access to rights"}
	for _, who := range []testenv.Account{actor, officer} {
		env.Do(t, "POST", "/api/v1/themes", who.Token, theme).Expect(t, 403)
		env.Do(t, "PATCH", "/api/v1/territories/39", who.Token, map[string]any{"name": "Jura (39)"}).Expect(t, 403)
	}
	env.Do(t, "POST", "/api/v1/themes", "", theme).Expect(t, 401)

	bad := errorOf(t, env.Do(t, "POST", "/api/v1/themes", admin.Token,
		map[string]any{"slug": "Accès", "label_fr": "A", "label_en": ""}).Expect(t, 422))
	if !strings.Contains(bad.Fields["slug"], "« identifiant » doit commencer par une lettre minuscule") ||
		!strings.Contains(bad.Fields["label_fr"], "au moins 2 caractères") || !strings.Contains(bad.Fields["label_en"], "obligatoire") {
		t.Fatalf("bad theme %v", bad)
	}
	env.Do(t, "POST", "/api/v1/themes", admin.Token, map[string]any{"slug": "x", "label_fr": "Xx", "label_en": "Xx", "extra": 1}).Expect(t, 400)
	created := env.Do(t, "POST", "/api/v1/themes", admin.Token, theme).Expect(t, 201).Map(t)
	if created["slug"] != "acces_droits" || created["retired"] != false {
		t.Fatalf("created %v", created)
	}
	dup := errorOf(t, env.Do(t, "POST", "/api/v1/themes", admin.Token, theme).Expect(t, 409))
	if !strings.Contains(dup.Message, "existe déjà") {
		t.Fatalf("duplicate %v", dup)
	}
	env.Do(t, "PATCH", "/api/v1/themes/inconnue", admin.Token, map[string]any{"retired": true}).Expect(t, 404)
	renamed := env.Do(t, "PATCH", "/api/v1/themes/acces_droits", admin.Token, map[string]any{"label_fr": "Accès aux droits sociaux"}).Expect(t, 200).Map(t)
	if renamed["label_fr"] != "Accès aux droits sociaux" || renamed["label_en"] != "Access to rights" {
		t.Fatalf("renamed %v", renamed)
	}

	// Territories: a zone needs a département for parent.
	for body, field := range map[string]map[string]any{
		"parent_code": {"code": "ze-champagnole", "name": "Champagnole", "kind": "employment_zone"},
		"code":        {"code": "-ze", "name": "Champagnole", "kind": "employment_zone", "parent_code": "39"},
		"kind":        {"code": "ze-champagnole", "name": "Champagnole", "kind": "department", "parent_code": "39"},
	} {
		e := errorOf(t, env.Do(t, "POST", "/api/v1/territories", admin.Token, field).Expect(t, 422))
		if _, ok := e.Fields[body]; !ok || len(e.Fields) != 1 {
			t.Errorf("%v: fields %v, want %s", field, e.Fields, body)
		}
	}
	e := errorOf(t, env.Do(t, "POST", "/api/v1/territories", admin.Token,
		map[string]any{"code": "ze-champagnole", "name": "Champagnole", "kind": "employment_zone", "parent_code": "ze-dole"}).Expect(t, 422))
	if !strings.Contains(e.Fields["parent_code"], "« Zone d'emploi » doit être de type « Département »") {
		t.Fatalf("zone under a zone: %v", e)
	}
	te := env.Do(t, "POST", "/api/v1/territories", admin.Token,
		map[string]any{"code": "ze-champagnole", "name": "Champagnole", "kind": "employment_zone", "parent_code": "39"}).Expect(t, 201).Map(t)
	if te["parent_code"] != "39" || te["kind"] != "employment_zone" {
		t.Fatalf("new territory %v", te)
	}
	env.Do(t, "POST", "/api/v1/territories", admin.Token, map[string]any{"code": "39", "name": "Jura", "kind": "departement"}).Expect(t, 409)
	env.Do(t, "PATCH", "/api/v1/territories/nulle-part", admin.Token, map[string]any{"name": "Nulle part"}).Expect(t, 404)
	env.Do(t, "PATCH", "/api/v1/territories/ze-champagnole", admin.Token, map[string]any{"parent_code": ""}).Expect(t, 422)

	// A need on a zone is listed by its département.
	need := validNeed("Garde d'enfants à horaires décalés à Dole")
	need["territory_code"] = "ze-dole"
	old := env.Do(t, "POST", "/api/v1/needs", actor.Token, need).Expect(t, 201).Map(t)
	list := env.Do(t, "GET", "/api/v1/needs?territory=39", actor.Token, nil).Expect(t, 200).Map(t)
	if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != old["id"] {
		t.Fatalf("?territory=39 lists %v", items)
	}
	if items := env.Do(t, "GET", "/api/v1/needs?territory=25", actor.Token, nil).Expect(t, 200).Map(t)["items"].([]any); len(items) != 0 {
		t.Fatalf("?territory=25 lists %v", items)
	}

	// Retired: refused for a new need, still named on the old one.
	if z := env.Do(t, "PATCH", "/api/v1/territories/ze-dole", admin.Token, map[string]any{"retired": true}).Expect(t, 200).Map(t); z["retired"] != true || z["name"] != "Dole" {
		t.Fatalf("retired %v", z)
	}
	env.Do(t, "PATCH", "/api/v1/themes/acces_droits", admin.Token, map[string]any{"retired": true}).Expect(t, 200)
	refused := errorOf(t, env.Do(t, "POST", "/api/v1/needs", actor.Token, need).Expect(t, 422))
	if !strings.Contains(refused.Fields["territory_code"], "territoire") || len(refused.Fields) != 1 {
		t.Fatalf("new need on a retired territory: %v", refused)
	}
	need["territory_code"], need["theme"] = "39", "acces_droits"
	if e := errorOf(t, env.Do(t, "POST", "/api/v1/needs", actor.Token, need).Expect(t, 422)); len(e.Fields) != 1 || e.Fields["theme"] == "" {
		t.Fatalf("new need on a retired theme: %v", e)
	}
	if z := territoryOf(t, env, "ze-dole"); z["retired"] != true || z["name"] != "Dole" {
		t.Fatalf("listed retired territory %v", z)
	}
	b := newBrowser(t, env)
	b.get("/besoins/"+old["id"].(string)).expect(t, 200, "Dole")
	b.signIn(actor.Email, actor.Password)
	b.get("/besoins/nouveau").expect(t, 200, `<optgroup label="Jura">`, `value="ze-lons"`).lacks(t, `value="ze-dole"`, `value="acces_droits"`)

	// Restored, it is offered again.
	env.Do(t, "PATCH", "/api/v1/territories/ze-dole", admin.Token, map[string]any{"retired": false}).Expect(t, 200)
	b.get("/besoins/nouveau").expect(t, 200, `value="ze-dole"`)
}

func TestReferenceAdminPage(t *testing.T) {
	env := testenv.New(t)
	admin := env.Account(t, "Région", domain.RoleAdmin)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)

	a := newBrowser(t, env)
	a.signIn(actor.Email, actor.Password)
	a.get("/admin/referentiel").expect(t, 403)
	a.post("/admin/referentiel/thematiques", url.Values{"slug": {"x_y"}}).expect(t, 403)

	b := newBrowser(t, env)
	b.signIn(admin.Email, admin.Password)
	b.get("/admin/referentiel").expect(t, 200, "Thématiques et territoires", `href="/admin/referentiel" aria-current="page"`,
		"12 thématiques", "15 territoires", "communes et 51 intercommunalités", "Zone d'emploi", "Lons-le-Saunier", "Ajouter une thématique", "Ajouter un territoire")

	b.post("/admin/referentiel/thematiques", url.Values{"slug": {"Accès"}, "label_fr": {"A"}}).expect(t, 422,
		"Le champ « identifiant » doit commencer par une lettre minuscule", "Le champ « libellé en français » doit contenir au moins 2 caractères.",
		"Le champ « libellé en anglais » est obligatoire.", `value="Accès"`)
	b.post("/admin/referentiel/thematiques", url.Values{"slug": {"acces_droits"}, "label_fr": {"Accès aux droits"},
		"label_en": {"Access to rights"}}).redirects(t, "/admin/referentiel")
	b.get("/admin/referentiel").expect(t, 200, "La thématique a été ajoutée.", "13 thématiques", "Accès aux droits")
	b.post("/admin/referentiel/thematiques", url.Values{"slug": {"acces_droits"}, "label_fr": {"Autre"}, "label_en": {"Other"}}).
		expect(t, 409, "Une thématique existe déjà avec cet identifiant")

	b.post("/admin/referentiel/territoires", url.Values{"code": {"ze-champagnole"}, "name": {"Champagnole"}, "kind": {"employment_zone"}}).
		expect(t, 422, "Le champ « territoire parent » est obligatoire : une zone d'emploi appartient à un département.")
	b.post("/admin/referentiel/territoires", url.Values{"code": {"ze-champagnole"}, "name": {"Champagnole"}, "kind": {"employment_zone"},
		"parent_code": {"39"}}).redirects(t, "/admin/referentiel")
	b.get("/admin/referentiel").expect(t, 200, "Le territoire a été ajouté.", "16 territoires", "Champagnole")

	// Rename refused beside its field, then accepted; retire and restore.
	b.post("/admin/referentiel/territoires/ze-gray", url.Values{"name": {"G"}, "parent_code": {"70"}}).expect(t, 422,
		"Le champ « nom » doit contenir au moins 2 caractères.", `id="territory-ze-gray-name"`, "<details open>")
	b.post("/admin/referentiel/territoires/ze-gray", url.Values{"name": {"Gray – Haute-Saône"}, "parent_code": {"70"}}).redirects(t, "/admin/referentiel")
	b.post("/admin/referentiel/territoires/ze-gray", url.Values{"retired": {"true"}}).redirects(t, "/admin/referentiel")
	b.get("/admin/referentiel").expect(t, 200, "Le territoire a été retiré", "Gray – Haute-Saône", "Rétablir")
	if z := territoryOf(t, env, "ze-gray"); z["retired"] != true || z["name"] != "Gray – Haute-Saône" || z["parent_code"] != "70" {
		t.Fatalf("ze-gray %v", z)
	}
	b.post("/admin/referentiel/thematiques/health", url.Values{"retired": {"true"}}).redirects(t, "/admin/referentiel")
	b.get("/admin/referentiel").expect(t, 200, "La thématique a été retirée")
	b.post("/admin/referentiel/thematiques/health", url.Values{"retired": {"false"}}).redirects(t, "/admin/referentiel")
	b.get("/admin/referentiel").expect(t, 200, "La thématique a été rétablie")
	b.post("/admin/referentiel/thematiques/inconnue", url.Values{"retired": {"true"}}).expect(t, 404)
	b.do("POST", "/admin/referentiel/thematiques/health", url.Values{"retired": {"true"}}).expect(t, 403, "Le formulaire a expiré")
}
