package server_test

import (
	"slices"
	"strings"
	"testing"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// The territories of the open data over the API: filters by kind and
// parent, the search, a need located at a commune, needs per inhabitant.
func TestTerritoriesOpenData(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)

	list := func(query string) []map[string]any {
		t.Helper()
		var out []map[string]any
		env.Do(t, "GET", "/api/v1/territories"+query, "", nil).Expect(t, 200).JSON(t, &out)
		return out
	}
	codes := func(items []map[string]any) []string {
		var out []string
		for _, it := range items {
			out = append(out, it["code"].(string))
		}
		return out
	}

	t.Run("kinds and parents", func(t *testing.T) {
		if n := len(list("?kind=commune")); n != 1692 {
			t.Errorf("%d communes", n)
		}
		epcis := list("?kind=epci&parent=90")
		if len(epcis) != 3 || epcis[0]["population"] != nil {
			t.Errorf("EPCIs of the Territoire de Belfort %v", epcis)
		}
		zones := codes(list("?kind=employment_zone&parent=25"))
		if !slices.Contains(zones, "ze-belfort") || !slices.Contains(zones, "ze-besancon") || slices.Contains(zones, "ze-dole") {
			t.Errorf("zones in the Doubs %v", zones)
		}
		dole := territoryOf(t, env, "39198")
		if dole["kind"] != "commune" || dole["parent_code"] != "39" || dole["epci_code"] != "200010650" || dole["population"].(float64) < 20000 {
			t.Errorf("Dole %v", dole)
		}
		if pc := dole["parent_codes"].([]any); len(pc) != 2 || pc[0] != "39" || pc[1] != "200010650" {
			t.Errorf("Dole's parents %v", pc)
		}
		zone := territoryOf(t, env, "ze-belfort")
		if pc := zone["parent_codes"].([]any); zone["parent_code"] != "90" || len(pc) != 3 || pc[0] != "90" {
			t.Errorf("ze-belfort %v", zone)
		}
	})

	t.Run("search", func(t *testing.T) {
		if got := codes(list("?q=besancon")); len(got) == 0 || got[0] != "25056" {
			t.Errorf("q=besancon %v", got)
		}
		if got := codes(list("?q=39100&kind=commune")); len(got) < 2 || !slices.Contains(got, "39198") {
			t.Errorf("the postal code 39100 %v", got)
		}
		if got := list("?q=e&kind=commune"); len(got) != 50 {
			t.Errorf("a search gives at most 50, not %d", len(got))
		}
	})

	t.Run("mistakes name their field", func(t *testing.T) {
		e := errorOf(t, env.Do(t, "GET", "/api/v1/territories?kind=ville", "", nil).Expect(t, 422))
		if !strings.Contains(e.Fields["kind"], "« type »") {
			t.Errorf("bad kind: %+v", e)
		}
		e = errorOf(t, env.Do(t, "GET", "/api/v1/territories?parent=nulle-part", "", nil).Expect(t, 422))
		if e.Fields["parent"] == "" {
			t.Errorf("unknown parent: %+v", e)
		}
	})

	t.Run("a need at a commune over the API", func(t *testing.T) {
		n := env.Do(t, "POST", "/api/v1/needs", actor.Token, map[string]any{"title": "Épicerie solidaire à Dole",
			"description": "Le quartier des Mesnils Pasteur n'a plus d'épicerie solidaire depuis deux ans.", "theme": "food",
			"territory_code": "39198"}).Expect(t, 201).Map(t)
		if n["territory_code"] != "39198" {
			t.Fatalf("need %v", n)
		}
		var page map[string]any
		env.Do(t, "GET", "/api/v1/needs?territory=200010650", actor.Token, nil).Expect(t, 200).JSON(t, &page)
		if items := page["items"].([]any); len(items) != 1 {
			t.Errorf("the EPCI lists %d needs", len(items))
		}
		ind := env.Do(t, "GET", "/api/v1/indicators", "", nil).Expect(t, 200).Map(t)
		rates := ind["needs"].(map[string]any)["per_10000_inhabitants"].(map[string]any)
		found := false
		for _, d := range rates["departements"].([]any) {
			if d := d.(map[string]any); d["code"] == "39" {
				found = d["n"].(float64) == 1 && d["per_10000"].(float64) > 0
			}
		}
		if !found {
			t.Errorf("the Jura's rate %v", rates["departements"])
		}
		b := newBrowser(t, env)
		b.get("/indicateurs").expect(t, 200, "Besoins pour 10 000 habitants, par département", "CA du Grand Dole")
		b.get("/besoins/"+n["id"].(string)).expect(t, 200, "Dole — CA du Grand Dole, Jura")
	})

	t.Run("the submission form finds a commune without JavaScript", func(t *testing.T) {
		b := newBrowser(t, env)
		b.signIn(actor.Email, actor.Password)
		form := b.get("/besoins/nouveau").expect(t, 200, `name="commune"`)
		if strings.Count(form.Body, "<option") > 40 {
			t.Fatalf("the territory select offers %d options", strings.Count(form.Body, "<option"))
		}
		f := needForm("Transport solidaire à Belmont")
		f.Set("territory_code", "")
		f.Set("commune", "Belmont")
		b.post("/besoins/nouveau", f).expect(t, 422, "désigne plusieurs communes", `type="radio"`, `name="commune_code"`, "code INSEE 39048")
		f.Set("commune_code", "39048")
		p := b.post("/besoins/nouveau", f)
		if p.Status != 303 || !needAddress.MatchString(p.Header.Get("Location")) {
			t.Fatalf("with a commune picked: %d\n%s", p.Status, p.Body)
		}
		need := env.Do(t, "GET", "/api/v1/needs/"+strings.TrimPrefix(p.Header.Get("Location"), "/besoins/"), actor.Token, nil).Expect(t, 200).Map(t)
		if need["territory_code"] != "39048" {
			t.Errorf("located at %v", need["territory_code"])
		}

		f = needForm("Tiers-lieu à Belmont dans le Jura")
		f.Set("commune", "belmont") // three Belmonts, one in the Jura chosen beside it
		p = b.post("/besoins/nouveau", f)
		if p.Status != 303 {
			t.Fatalf("one Belmont in the Jura: %d\n%s", p.Status, p.Body)
		}

		f = needForm("Épicerie solidaire à Saint-Claude")
		f.Set("commune", "39200") // a postal code
		b.post("/besoins/nouveau", f).expect(t, 422, "désigne plusieurs communes", "Saint-Claude")
		f.Set("commune", "saint claude")
		if p := b.post("/besoins/nouveau", f); p.Status != 303 {
			t.Fatalf("saint claude: %d\n%s", p.Status, p.Body)
		}

		f = needForm("Garde d'enfants à Nulle-part")
		f.Set("commune", "Nulle-part-sur-Doubs")
		b.post("/besoins/nouveau", f).expect(t, 422, "Aucune commune de la région ne répond au champ « commune »", `value="Nulle-part-sur-Doubs"`)

		f = needForm("Mobilité à Dole, avec une erreur")
		f.Set("commune", "Dole")
		f.Set("theme", "")
		b.post("/besoins/nouveau", f).expect(t, 422, "Commune retenue : Dole — CA du Grand Dole, Jura", `name="commune_code" value="39198"`)
	})
}
