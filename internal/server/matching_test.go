package server_test

import (
	"context"
	"encoding/xml"
	"net/url"
	"strings"
	"testing"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// TestCarrierFoundThroughASuggestion: from a need to its carrier through
// the directory. The officer sees the suggestions (from the committee on),
// invites the best one (an e-mail to its members), one of its members
// volunteers for it (propose_carrier with organisation_id, the officer is
// told) and the officer starts the pilot with it; the suggestions never list
// an organisation that volunteered; the project is listed among those
// looking for a carrier (page, API filter and Atom feed) until then.
func TestCarrierFoundThroughASuggestion(t *testing.T) {
	env := testenv.New(t)
	ctx := context.Background()
	admin := env.Account(t, "Région", domain.RoleAdmin)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	member := env.Account(t, "", domain.RoleActor)
	outsider := env.Account(t, "Autre", domain.RoleActor)
	newOrg := func(name string, themes, territories []string, commune string) string {
		body := map[string]any{"name": name, "legal_form": "association", "family": "association", "themes": themes, "territories": territories}
		if commune != "" {
			body["commune_code"] = commune
		}
		return env.Do(t, "POST", "/api/v1/organisations", officer.Token, body).Expect(t, 201).Map(t)["id"].(string)
	}
	best := newOrg("Mobilité solidaire du Grand Dole", []string{"mobility"}, []string{}, "39198")
	second := newOrg("Transports du Jura", []string{"mobility"}, []string{"39"}, "")
	newOrg("Logement Haute-Saône", []string{"housing"}, []string{"70"}, "")
	env.Do(t, "PUT", "/api/v1/admin/users/"+member.ID+"/organisation", admin.Token, map[string]any{"organisation_id": best}).Expect(t, 200)

	n := env.Do(t, "POST", "/api/v1/needs", actor.Token, map[string]any{"title": "Transport solidaire vers les soins",
		"description": "Les habitants des villages sans voiture renoncent à leurs rendez-vous médicaux à Dole.", "theme": "mobility",
		"territory_code": "39198"}).Expect(t, 201).Map(t)
	id := n["id"].(string)
	suggestions := "/api/v1/needs/" + id + "/carrier-suggestions"
	env.Do(t, "GET", suggestions, officer.Token, nil).Expect(t, 409) // before the committee
	toCarrierSearch(t, env, officer, id)
	env.Do(t, "GET", suggestions, actor.Token, nil).Expect(t, 403)
	env.Do(t, "GET", "/api/v1/needs/00000000-0000-4000-8000-000000000000/carrier-suggestions", officer.Token, nil).Expect(t, 404)
	list := listOf(t, env.Do(t, "GET", suggestions, officer.Token, nil).Expect(t, 200))
	if len(list) != 2 {
		t.Fatalf("suggestions: %v", list)
	}
	first := list[0].(map[string]any)
	if first["organisation"].(map[string]any)["id"] != best || first["score"].(float64) <= list[1].(map[string]any)["score"].(float64) {
		t.Fatalf("ranking: %v", list)
	}
	reasons := strings.Join(toStrings(first["reasons"]), " | ")
	for _, want := range []string{"Même thématique que le projet", "Implantée dans la même commune (Dole)", "Famille de l'ESS"} {
		if !strings.Contains(reasons, want) {
			t.Errorf("reasons %q lack %q", reasons, want)
		}
	}

	// Listed among the projects looking for a carrier.
	seeking := env.Do(t, "GET", "/api/v1/needs?seeking_carrier=true", outsider.Token, nil).Expect(t, 200).Map(t)
	if items := seeking["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != id {
		t.Fatalf("seeking_carrier: %v", seeking)
	}
	env.Do(t, "GET", "/api/v1/needs?seeking_carrier=oui", outsider.Token, nil).Expect(t, 422)
	env.Do(t, "GET", "/api/v1/needs?seeking_carrier=true&stage=pilot", outsider.Token, nil).Expect(t, 422)
	anon := newBrowser(t, env)
	anon.get("/porteurs-recherches").expect(t, 200, "Transport solidaire vers les soins").lacks(t, "Nous pourrions porter ce projet")
	b := newBrowser(t, env)
	b.signIn(outsider.Email, outsider.Password)
	b.get("/porteurs-recherches").expect(t, 200, `href="/besoins/`+id+`#agir"`, "Nous pourrions porter ce projet")
	feed := env.Do(t, "GET", "/porteurs-recherches.atom", "", nil).Expect(t, 200)
	var atom struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Entries []struct {
			Title string `xml:"title"`
			ID    string `xml:"id"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(feed.Body, &atom); err != nil || len(atom.Entries) != 1 || atom.Entries[0].Title != "Transport solidaire vers les soins" {
		t.Fatalf("feed %v: %+v\n%s", err, atom, feed.Body)
	}

	// The officer invites the best: its members get an e-mail.
	transitions := "/api/v1/needs/" + id + "/transitions"
	env.Do(t, "POST", transitions, officer.Token, map[string]any{"action": "invite_carrier"}).Expect(t, 422)
	env.Do(t, "POST", transitions, officer.Token, map[string]any{"action": "invite_carrier", "organisation_id": "00000000-0000-4000-8000-000000000000"}).Expect(t, 422)
	env.Do(t, "POST", transitions, actor.Token, map[string]any{"action": "invite_carrier", "organisation_id": best}).Expect(t, 403)
	env.Do(t, "POST", transitions, officer.Token, map[string]any{"action": "invite_carrier", "organisation_id": best,
		"message": "Votre association nous semble la mieux placée."}).Expect(t, 200)
	env.Do(t, "POST", transitions, officer.Token, map[string]any{"action": "invite_carrier", "organisation_id": best}).Expect(t, 409)
	var mails int
	var summary string
	if err := env.DB.Pool.QueryRow(ctx, `SELECT count(*), max(data ->> 'summary') FROM outbox WHERE subject_id = $1 AND kind = 'carrier_invited'
		AND recipient_id = $2`, id, member.ID).Scan(&mails, &summary); err != nil || mails != 1 || !strings.Contains(summary, "rendez-vous médicaux") {
		t.Fatalf("invitation e-mails: %d %q %v", mails, summary, err)
	}
	if list := listOf(t, env.Do(t, "GET", suggestions, officer.Token, nil).Expect(t, 200)); list[0].(map[string]any)["invited"] != true {
		t.Errorf("the invited one is not marked: %v", list[0])
	}

	// Its member volunteers: for their own organisation only.
	propose := map[string]any{"action": "propose_carrier", "contact": "contact@mobilite-dole.fr",
		"motivation": "Nous conduisons déjà des habitants vers l'hôpital de Dole."}
	propose["organisation_id"] = second
	if e := errorOf(t, env.Do(t, "POST", transitions, member.Token, propose).Expect(t, 422)); !strings.Contains(e.Fields["organisation_id"], "votre propre organisation") {
		t.Errorf("another organisation: %+v", e)
	}
	delete(propose, "organisation_id")
	got := env.Do(t, "POST", transitions, member.Token, propose).Expect(t, 200).Map(t)
	carrier := carriersOf(t, got)[0]
	if carrier["organisation_id"] != best || carrier["organisation"] != "Mobilité solidaire du Grand Dole" {
		t.Fatalf("the proposal: %v", carrier)
	}
	var told int
	if err := env.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE subject_id = $1 AND kind = 'carrier_proposed' AND recipient_id = $2`,
		id, officer.ID).Scan(&told); err != nil || told != 1 {
		t.Errorf("the officer is told: %d %v", told, err)
	}
	list = listOf(t, env.Do(t, "GET", suggestions, officer.Token, nil).Expect(t, 200))
	for _, s := range list {
		if s.(map[string]any)["organisation"].(map[string]any)["id"] == best {
			t.Errorf("a volunteer is still suggested: %v", s)
		}
	}
	ob := newBrowser(t, env)
	ob.signIn(officer.Email, officer.Password)
	ob.get("/besoins/"+id).expect(t, 200, "Porteurs possibles", "Transports du Jura", "Inviter une organisation à porter le projet")
	ob.post("/besoins/"+id+"/actions", url.Values{"action": {"invite_carrier"}, "organisation_id": {second},
		"message": {"Vous connaissez les trajets vers l'hôpital."}}).expect(t, 303)
	var message string
	if err := env.DB.Pool.QueryRow(ctx, `SELECT data ->> 'message' FROM events WHERE subject_id = $1 AND action = 'invite_carrier'
		AND data ->> 'organisation_id' = $2`, id, second).Scan(&message); err != nil || message != "Vous connaissez les trajets vers l'hôpital." {
		t.Errorf("the page's invitation: %q %v", message, err)
	}
	b.get("/besoins/"+id).expect(t, 200).lacks(t, "Porteurs possibles")

	// The pilot starts with it; the project no longer looks for a carrier.
	env.Do(t, "POST", transitions, officer.Token, map[string]any{"action": "start_pilot", "carrier_id": carrier["id"],
		"territories": []string{"39"}, "start_date": "2027-01-04", "end_date": "2027-12-31", "budget_eur": 50000,
		"indicators": []map[string]any{{"key": "trips", "label": "Trajets assurés"}}}).Expect(t, 200)
	seeking = env.Do(t, "GET", "/api/v1/needs?seeking_carrier=true", outsider.Token, nil).Expect(t, 200).Map(t)
	if items := seeking["items"].([]any); len(items) != 0 {
		t.Fatalf("still seeking: %v", items)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func listOf(t *testing.T, r testenv.Response) []any {
	t.Helper()
	var out []any
	r.JSON(t, &out)
	return out
}

// TestLinkingTypedNames: officers link the organisation names typed on
// records to the directory from /annuaire/a-relier; the records then stand
// on the organisation (its page lists them); accounts wait for an admin.
func TestLinkingTypedNames(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Épicerie de la Loue", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	admin := env.Account(t, "Région", domain.RoleAdmin)
	id := apiNeed(t, env, actor, "Épicerie solidaire itinérante")
	if _, err := env.DB.Pool.Exec(context.Background(), "UPDATE needs SET organisation = 'Épicerie de la Loue' WHERE id = $1", id); err != nil {
		t.Fatal(err)
	}
	org := env.Do(t, "POST", "/api/v1/organisations", officer.Token, map[string]any{"name": "Épicerie de la Loue", "legal_form": "association"}).
		Expect(t, 201).Map(t)["id"].(string)

	ab := newBrowser(t, env)
	ab.signIn(actor.Email, actor.Password)
	ab.get("/annuaire/a-relier").expect(t, 403)
	ob := newBrowser(t, env)
	ob.signIn(officer.Email, officer.Password)
	ob.get("/annuaire").expect(t, 200, `href="/annuaire/a-relier"`)
	ob.get("/annuaire/a-relier").expect(t, 200, "Noms à relier à l'annuaire", "Épicerie de la Loue", `value="`+org+`"`)
	ob.post("/annuaire/a-relier", url.Values{"label": {"Épicerie de la Loue"}, "organisation_id": {"00000000-0000-4000-8000-000000000000"}}).expect(t, 422)
	ob.post("/annuaire/a-relier", url.Values{"label": {"Épicerie de la Loue"}, "organisation_id": {org}}).expect(t, 303)
	ob.get("/annuaire/"+org).expect(t, 200, `href="/besoins/`+id+`"`)
	var accountOrg *string
	if err := env.DB.Pool.QueryRow(context.Background(), "SELECT organisation_id::text FROM users WHERE id = $1", actor.ID).Scan(&accountOrg); err != nil || accountOrg != nil {
		t.Fatalf("an officer linked an account: %v %v", accountOrg, err)
	}
	ob.get("/annuaire/a-relier").expect(t, 200, "Épicerie de la Loue") // the account is left
	adb := newBrowser(t, env)
	adb.signIn(admin.Email, admin.Password)
	adb.post("/annuaire/a-relier", url.Values{"label": {"Épicerie de la Loue"}, "organisation_id": {org}}).expect(t, 303)
	adb.get("/annuaire/a-relier").expect(t, 200).lacks(t, "Épicerie de la Loue")
}
