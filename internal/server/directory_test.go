package server_test

import (
	"fmt"
	"strings"
	"testing"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// The directory: officers record organisations (one per SIRET, a valid Luhn
// key), anyone signed in lists and searches them, the public page shows
// their public fields and never a contact to visitors.
func TestDirectory(t *testing.T) {
	env := testenv.New(t)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	create := func(body map[string]any, status int) map[string]any {
		t.Helper()
		return env.Do(t, "POST", "/api/v1/organisations", officer.Token, body).Expect(t, status).Map(t)
	}
	scic := create(map[string]any{"name": "SCIC Mobilités du Jura", "siret": "732 829 320 00074", "legal_form": "scic",
		"family": "cooperative", "themes": []string{"mobility"}, "territories": []string{"39"}, "website": "https://mobilites-jura.example.org",
		"email": "contact@mobilites-jura.example.org"}, 201)
	if scic["siret"] != "73282932000074" || scic["email"] != "contact@mobilites-jura.example.org" {
		t.Fatalf("created %v", scic)
	}
	create(map[string]any{"name": "Association Les Lucioles", "legal_form": "association", "family": "association",
		"themes": []string{"early_childhood"}, "territories": []string{"25"}}, 201)

	dup := create(map[string]any{"name": "Un doublon", "siret": "73282932000074", "legal_form": "scic"}, 409)
	if !strings.Contains(fmt.Sprint(dup), scic["id"].(string)) {
		t.Fatalf("the conflict does not name the existing record: %v", dup)
	}
	bad := create(map[string]any{"name": "X", "siret": "73282932000075", "legal_form": "sarl", "family": "club",
		"themes": []string{"espace"}, "website": "javascript:alert(1)", "email": "pas une adresse"}, 422)
	fields := bad["error"].(map[string]any)["fields"].(map[string]any)
	for _, f := range []string{"name", "siret", "legal_form", "family", "themes", "website", "email"} {
		if _, ok := fields[f]; !ok {
			t.Errorf("no message for %s: %v", f, fields)
		}
	}
	env.Do(t, "POST", "/api/v1/organisations", actor.Token, map[string]any{"name": "Par un acteur", "legal_form": "association"}).Expect(t, 403)

	list := env.Do(t, "GET", "/api/v1/organisations?q=mobilite", actor.Token, nil).Expect(t, 200).Map(t)
	items := list["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["name"] != "SCIC Mobilités du Jura" {
		t.Fatalf("search: %v", items)
	}
	if _, seen := items[0].(map[string]any)["email"]; seen {
		t.Fatalf("an actor reads the contact: %v", items[0])
	}
	if items := env.Do(t, "GET", "/api/v1/organisations?theme=early_childhood&family=association", actor.Token, nil).Expect(t, 200).Map(t)["items"].([]any); len(items) != 1 {
		t.Fatalf("filters: %v", items)
	}
	env.Do(t, "GET", "/api/v1/organisations?family=club", actor.Token, nil).Expect(t, 422)

	changed := env.Do(t, "PATCH", "/api/v1/organisations/"+scic["id"].(string), officer.Token, map[string]any{"verified": true}).Expect(t, 200).Map(t)
	if changed["verified"] != true || changed["name"] != "SCIC Mobilités du Jura" {
		t.Fatalf("patched %v", changed)
	}

	page := env.Do(t, "GET", "/annuaire?q=lucioles", "", nil).Expect(t, 200)
	if body := string(page.Body); !strings.Contains(body, "Association Les Lucioles") || strings.Contains(body, "SCIC Mobilités") {
		t.Fatalf("directory page: %s", body)
	}
	one := string(env.Do(t, "GET", "/annuaire/"+scic["id"].(string), "", nil).Expect(t, 200).Body)
	if !strings.Contains(one, "73282932000074") || !strings.Contains(one, "Vérifiée") || strings.Contains(one, "contact@mobilites-jura") {
		t.Fatalf("organisation page: %s", one)
	}
	env.Do(t, "GET", "/annuaire/00000000-0000-0000-0000-000000000000", "", nil).Expect(t, 404)

	// The open data: every record's public fields, never a contact.
	csv := string(env.Do(t, "GET", "/donnees-ouvertes/annuaire.csv", "", nil).Expect(t, 200).Body)
	if !strings.Contains(csv, "73282932000074") || !strings.Contains(csv, "Association Les Lucioles") || strings.Contains(csv, "contact@") {
		t.Fatalf("open data CSV: %s", csv)
	}
	var open []map[string]any
	env.Do(t, "GET", "/donnees-ouvertes/annuaire.json", "", nil).Expect(t, 200).JSON(t, &open)
	if len(open) != 2 || open[0]["email"] != nil {
		t.Fatalf("open data JSON: %v", open)
	}
}

// The directory's pages follow their cursor to the end, each organisation once.
func TestDirectoryPages(t *testing.T) {
	env := testenv.New(t)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	for i := range 7 {
		env.Do(t, "POST", "/api/v1/organisations", officer.Token, map[string]any{"name": fmt.Sprintf("Épicerie solidaire n°%d", i), "legal_form": "association"}).Expect(t, 201)
	}
	seen := map[string]bool{}
	path := "/api/v1/organisations?limit=3"
	for path != "" {
		p := env.Do(t, "GET", path, officer.Token, nil).Expect(t, 200).Map(t)
		for _, it := range p["items"].([]any) {
			id := it.(map[string]any)["id"].(string)
			if seen[id] {
				t.Fatalf("%s twice", id)
			}
			seen[id] = true
		}
		path = ""
		if next, ok := p["next_cursor"].(string); ok {
			path = "/api/v1/organisations?limit=3&cursor=" + next
		}
	}
	if len(seen) != 7 {
		t.Fatalf("%d organisations seen", len(seen))
	}
	env.Do(t, "GET", "/api/v1/organisations?cursor=nope", officer.Token, nil).Expect(t, 422)
}

// An admin links an account to a directory record: /me shows it, with the
// record's name as the account's organisation; null unlinks it.
func TestAccountOrganisation(t *testing.T) {
	env := testenv.New(t)
	admin := env.Account(t, "Région", domain.RoleAdmin)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	org := env.Do(t, "POST", "/api/v1/organisations", officer.Token, map[string]any{"name": "Commune de Dole", "legal_form": "other"}).Expect(t, 201).Map(t)
	if me := env.Do(t, "GET", "/api/v1/me", actor.Token, nil).Expect(t, 200).Map(t); me["organisation"].(map[string]any)["id"] != nil ||
		me["organisation"].(map[string]any)["name"] != "Mairie de Dole" {
		t.Fatalf("an unlinked label: %v", me)
	}
	before := env.Do(t, "POST", "/api/v1/needs", actor.Token, map[string]any{"title": "Garde d'enfants en horaires décalés",
		"description": "Les parents qui travaillent tôt ou tard ne trouvent pas de mode de garde.", "theme": "early_childhood",
		"territory_code": "39"}).Expect(t, 201).Map(t)
	path := "/api/v1/admin/users/" + actor.ID + "/organisation"
	got := env.Do(t, "PUT", path, admin.Token, map[string]any{"organisation_id": org["id"]}).Expect(t, 200).Map(t)
	if got["organisation"].(map[string]any)["name"] != "Commune de Dole" {
		t.Fatalf("linked: %v", got)
	}
	me := env.Do(t, "GET", "/api/v1/me", actor.Token, nil).Expect(t, 200).Map(t)
	if o := me["organisation"].(map[string]any); o["id"] != org["id"] || o["name"] != "Commune de Dole" {
		t.Fatalf("me: %v", me)
	}
	after := env.Do(t, "POST", "/api/v1/needs", actor.Token, map[string]any{"title": "Transport solidaire vers les soins",
		"description": "Les habitants des villages sans voiture renoncent à leurs rendez-vous médicaux.", "theme": "mobility",
		"territory_code": "39"}).Expect(t, 201).Map(t)
	page := string(env.Do(t, "GET", "/annuaire/"+org["id"].(string), "", nil).Expect(t, 200).Body)
	for _, n := range []map[string]any{before, after} { // the one before the link is filled in, the one after recorded
		if !strings.Contains(page, `href="/besoins/`+n["id"].(string)+`"`) {
			t.Errorf("the organisation's page lacks %s: %s", n["title"], page)
		}
	}
	env.Do(t, "PUT", path, admin.Token, map[string]any{"organisation_id": "00000000-0000-0000-0000-000000000000"}).Expect(t, 422)
	env.Do(t, "PUT", path, officer.Token, map[string]any{"organisation_id": org["id"]}).Expect(t, 403)
	env.Do(t, "PUT", "/api/v1/admin/users/00000000-0000-0000-0000-000000000000/organisation", admin.Token, map[string]any{"organisation_id": org["id"]}).Expect(t, 404)
	if got := env.Do(t, "PUT", path, admin.Token, map[string]any{"organisation_id": nil}).Expect(t, 200).Map(t); got["organisation"].(map[string]any)["id"] != nil {
		t.Fatalf("unlinked: %v", got)
	}
}
