package server_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// toCarrierSearch walks a need through qualification, study and committee.
func toCarrierSearch(t *testing.T, env *testenv.Env, officer testenv.Account, id string) {
	t.Helper()
	member := env.Account(t, "Région", domain.RoleCommittee)
	apiAct(t, env, officer.Token, id,
		map[string]any{"action": "qualify"},
		map[string]any{"action": "start_study", "due_date": time.Now().AddDate(0, 3, 0).Format(time.DateOnly)},
		map[string]any{"action": "submit_study", "recommendation": "go", "budget_eur": 60000,
			"summary": "Le modèle économique tient avec la commune."})
	n := env.Do(t, "POST", "/api/v1/needs/"+id+"/transitions", member.Token, map[string]any{"action": "vote", "decision": "approve"}).
		Expect(t, 200).Map(t)
	if n["stage"] != "carrier_search" {
		t.Fatalf("stage %v", n["stage"])
	}
}

func carriersOf(t *testing.T, n map[string]any) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, c := range n["carriers"].([]any) {
		out = append(out, c.(map[string]any))
	}
	return out
}

// TestCarrierProposalsOverHTTP: one live proposal per organisation (409),
// the officer declines one with a reason, a declined carrier cannot be
// chosen (422) and its organisation may then propose itself again; the
// page shows declined proposals apart and offers the officer the form.
func TestCarrierProposalsOverHTTP(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	mobil := env.Account(t, "Mobil Jura", domain.RoleActor)
	colleague := env.Account(t, "mobil  JURA", domain.RoleActor)
	id := apiNeed(t, env, actor, "Transport à la demande des aînés")
	toCarrierSearch(t, env, officer, id)
	transitions := "/api/v1/needs/" + id + "/transitions"
	propose := func(who testenv.Account, organisation string, status int) testenv.Response {
		return env.Do(t, "POST", transitions, who.Token, map[string]any{"action": "propose_carrier", "organisation": organisation,
			"contact": "contact@example.fr", "motivation": "Nous faisons déjà du transport solidaire dans le Jura."}).Expect(t, status)
	}

	n := propose(mobil, "Mobil Jura", 200).Map(t)
	carrier := carriersOf(t, n)[0]
	if carrier["declined"] != false {
		t.Fatalf("a new proposal: %v", carrier)
	}
	for who, acc := range map[string]testenv.Account{"a colleague": colleague, "the officer on its behalf": officer} {
		e := errorOf(t, propose(acc, " MOBIL jura", 409))
		if e.Message != "Cette organisation a déjà une proposition de porteur en cours sur ce projet : une seule par organisation." {
			t.Errorf("%s: %+v", who, e)
		}
	}

	// Declining: officers only, a live proposal, a reason.
	decline := func(who testenv.Account, carrierID, reason string, status int) testenv.Response {
		return env.Do(t, "POST", transitions, who.Token, map[string]any{"action": "decline_carrier", "carrier_id": carrierID, "reason": reason}).Expect(t, status)
	}
	decline(actor, carrier["id"].(string), "Pas de chauffeurs", 403)
	if e := errorOf(t, decline(officer, carrier["id"].(string), "Non", 422)); !strings.Contains(e.Fields["reason"], "au moins 5 caractères") {
		t.Errorf("short reason: %+v", e)
	}
	if e := errorOf(t, decline(officer, "00000000-0000-4000-8000-000000000000", "Pas de chauffeurs", 422)); !strings.Contains(e.Fields["carrier_id"], "proposition de porteur en cours") {
		t.Errorf("unknown carrier: %+v", e)
	}
	n = decline(officer, strings.ToUpper(carrier["id"].(string)), "Pas de chauffeurs disponibles", 200).Map(t)
	if c := carriersOf(t, n)[0]; c["declined"] != true || c["declined_reason"] != "Pas de chauffeurs disponibles" || n["stage"] != "carrier_search" {
		t.Fatalf("after decline: %v, %v", c, n["stage"])
	}
	if e := errorOf(t, decline(officer, carrier["id"].(string), "Pas de chauffeurs disponibles", 422)); e.Fields["carrier_id"] == "" {
		t.Errorf("declined twice: %+v", e)
	}

	// A declined carrier cannot be chosen.
	pilot := map[string]any{"action": "start_pilot", "carrier_id": carrier["id"], "territories": []string{"39"},
		"start_date": time.Now().AddDate(0, 1, 0).Format(time.DateOnly), "end_date": time.Now().AddDate(1, 1, 0).Format(time.DateOnly),
		"budget_eur": 30000, "indicators": []map[string]any{{"key": "trajets", "label": "Trajets par mois", "target": 100}}}
	e := errorOf(t, env.Do(t, "POST", transitions, officer.Token, pilot).Expect(t, 422))
	if e.Fields["carrier_id"] != "Le champ « porteur » désigne une proposition déclinée : elle ne peut pas être retenue." {
		t.Errorf("start_pilot with a declined carrier: %+v", e)
	}

	// Declined, the organisation may propose itself again.
	n = propose(colleague, "Mobil Jura", 200).Map(t)
	if cs := carriersOf(t, n); len(cs) != 2 || cs[1]["declined"] != false {
		t.Fatalf("carriers %v", cs)
	}
	events := []map[string]any{}
	env.Do(t, "GET", "/api/v1/needs/"+id+"/events", officer.Token, nil).Expect(t, 200).JSON(t, &events)
	if !slices.ContainsFunc(events, func(e map[string]any) bool {
		return e["action"] == "decline_carrier" && strings.Contains(e["comment"].(string), "Pas de chauffeurs disponibles")
	}) {
		t.Errorf("no decline event in %v", events)
	}

	t.Run("the page", func(t *testing.T) {
		b := newBrowser(t, env)
		b.signIn(officer.Email, officer.Password)
		path := "/besoins/" + id
		p := b.get(path).expect(t, 200, "Propositions déclinées", "Déclinée", "Pas de chauffeurs disponibles",
			"Décliner cette proposition", `name="action" value="decline_carrier"`)
		live := regexpFind(t, p.Body, `name="action" value="decline_carrier">\s*<input type="hidden" name="carrier_id" value="([0-9a-f-]{36})"`)
		b.post(path+"/actions", url.Values{"action": {"decline_carrier"}, "carrier_id": {live}, "reason": {"x"}}).
			expect(t, 422, "Le champ « motif » doit contenir au moins 5 caractères.", `id="decline-`+live+`-reason"`, "open>")
		b.post(path+"/actions", url.Values{"action": {"decline_carrier"}, "carrier_id": {live}, "reason": {"Structure trop petite"}}).
			redirects(t, path+"#historique")
		b.get(path).expect(t, 200, "La proposition de porteur est déclinée.", "Structure trop petite").
			lacks(t, `name="action" value="decline_carrier"`)

		reader := newBrowser(t, env)
		reader.signIn(actor.Email, actor.Password)
		reader.get(path).expect(t, 200, "Propositions déclinées").lacks(t, "Décliner cette proposition")
	})
}

// TestSupportsAndMergeOverHTTP: an organisation may not support a need it
// submitted (409); a merge carries the merged need's supporters and its
// submitting organisation over to the target, each once, never the
// target's own submitting organisation.
func TestSupportsAndMergeOverHTTP(t *testing.T) {
	env := testenv.New(t)
	ccas := env.Account(t, "CCAS de Dole", domain.RoleActor)
	ccasColleague := env.Account(t, "ccas de DÔLE", domain.RoleActor)
	mairie := env.Account(t, "Mairie de Dole", domain.RoleActor)
	centre := env.Account(t, "Centre social", domain.RoleActor)
	regie := env.Account(t, "Régie de quartier", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	from := apiNeed(t, env, ccas, "Garde d'enfants la nuit à Dole")
	into := apiNeed(t, env, mairie, "Garde d'enfants en horaires décalés")
	support := func(who testenv.Account, id string, status int) testenv.Response {
		return env.Do(t, "POST", "/api/v1/needs/"+id+"/supports", who.Token, nil).Expect(t, status)
	}

	for _, who := range []testenv.Account{ccas, ccasColleague} {
		if e := errorOf(t, support(who, from, 409)); e.Message != "Votre organisation a remonté ce besoin : elle ne peut pas le soutenir elle-même." {
			t.Errorf("%s: %+v", who.Organisation, e)
		}
	}
	support(centre, from, 201)
	support(mairie, from, 201) // the target's own organisation supports the merged need
	support(regie, from, 201)
	support(regie, into, 201) // and the target already
	if n := env.Do(t, "GET", "/api/v1/needs/"+from, centre.Token, nil).Expect(t, 200).Map(t); n["supports"] != 3.0 {
		t.Fatalf("supports of the merged need %v", n["supports"])
	}

	env.Do(t, "POST", "/api/v1/needs/"+from+"/transitions", officer.Token, map[string]any{"action": "merge", "into": into}).Expect(t, 200)
	// The target hears of the merge through a signal: wait for it.
	var n map[string]any
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if n = env.Do(t, "GET", "/api/v1/needs/"+into, centre.Token, nil).Expect(t, 200).Map(t); n["supports"] != 1.0 {
			break
		}
	}
	if n["supports"] != 3.0 {
		t.Fatalf("target supports %v, want 3 (régie, centre social, CCAS)", n["supports"])
	}
	rows, err := env.DB.Supporters(context.Background(), into)
	if err != nil {
		t.Fatal(err)
	}
	byOrg := map[string]string{}
	for _, r := range rows {
		byOrg[r.Organisation] = r.UserID
	}
	want := map[string]string{"Régie de quartier": regie.ID, "Centre social": centre.ID, "CCAS de Dole": ccas.ID}
	if len(byOrg) != len(want) {
		t.Fatalf("supporters %v", byOrg)
	}
	for org, user := range want {
		if byOrg[org] != user {
			t.Errorf("%s: user %q, want %q (all %v)", org, byOrg[org], user, byOrg)
		}
	}
	// Once carried, the CCAS cannot support the target again, nor its own organisation the target.
	support(ccasColleague, into, 409)
	support(mairie, into, 409)

	var events []map[string]any
	env.Do(t, "GET", "/api/v1/needs/"+into+"/events", officer.Token, nil).Expect(t, 200).JSON(t, &events)
	last := events[len(events)-1]
	if last["action"] != "merged_from" || last["data"].(map[string]any)["supports_carried"] != "2" {
		t.Fatalf("merge event %v", last)
	}
	b := newBrowser(t, env)
	b.signIn(officer.Email, officer.Password)
	b.get("/besoins/"+into).expect(t, 200, "3 organisations soutiennent ce besoin.", "Centre social", "CCAS de Dole",
		"Soutiens repris du besoin fusionné : 2.")
}
