package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// TestOneVoicePerInstitution: three Région accounts are one voice; the
// ballot decides when institutions agree, an institution divided abstains,
// and an institution one of whose members' organisation submitted the need
// may not vote on it.
func TestOneVoicePerInstitution(t *testing.T) {
	env := testenv.New(t)
	admin := env.Account(t, "Région", domain.RoleAdmin)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	org := env.Do(t, "POST", "/api/v1/organisations", officer.Token, map[string]any{"name": "Mairie de Dole", "legal_form": "other"}).
		Expect(t, 201).Map(t)["id"].(string)
	env.Do(t, "PUT", "/api/v1/admin/users/"+actor.ID+"/organisation", admin.Token, map[string]any{"organisation_id": org}).Expect(t, 200)
	var region []testenv.Account
	for range 3 {
		region = append(region, env.Account(t, "Région", domain.RoleCommittee))
	}
	state := env.Account(t, "Préfecture", domain.RoleCommittee)
	fca := env.Account(t, "France Active", domain.RoleCommittee)
	cress := env.Account(t, "CRESS", domain.RoleCommittee)
	cressMayor := env.Account(t, "Mairie de Dole", domain.RoleCommittee) // an elected member sitting for the CRESS
	env.Do(t, "PUT", "/api/v1/admin/users/"+cressMayor.ID+"/organisation", admin.Token, map[string]any{"organisation_id": org}).Expect(t, 200)

	members := func(slug string, accs ...testenv.Account) {
		var ids []string
		for _, a := range accs {
			ids = append(ids, a.ID)
		}
		got := env.Do(t, "PUT", "/api/v1/committee/institutions/"+slug+"/members", admin.Token, map[string]any{"user_ids": ids}).Expect(t, 200).Map(t)
		if len(got["members"].([]any)) != len(accs) {
			t.Fatalf("%s: %v", slug, got)
		}
	}
	members("region", region...)
	members("state", state)
	members("fca", fca)
	members("cress", cress, cressMayor)
	env.Do(t, "PUT", "/api/v1/committee/institutions/region/members", officer.Token, map[string]any{"user_ids": []string{}}).Expect(t, 403)
	env.Do(t, "PUT", "/api/v1/committee/institutions/nowhere/members", admin.Token, map[string]any{"user_ids": []string{}}).Expect(t, 404)
	if e := errorOf(t, env.Do(t, "PUT", "/api/v1/committee/institutions/state/members", admin.Token,
		map[string]any{"user_ids": []string{"00000000-0000-4000-8000-000000000000"}}).Expect(t, 422)); !strings.Contains(e.Fields["user_ids"], "compte inconnu") {
		t.Errorf("an unknown account: %+v", e)
	}
	env.Do(t, "POST", "/api/v1/committee/institutions", admin.Token, map[string]any{"slug": "region", "name": "Doublon"}).Expect(t, 409)
	env.Do(t, "POST", "/api/v1/committee/institutions", admin.Token, map[string]any{"slug": "Pas Un Slug", "name": "Département du Jura"}).Expect(t, 422)
	env.Do(t, "POST", "/api/v1/committee/institutions", admin.Token, map[string]any{"slug": "cd39", "name": "Département du Jura"}).Expect(t, 201)
	list := listOf(t, env.Do(t, "GET", "/api/v1/committee/institutions", state.Token, nil).Expect(t, 200))
	if len(list) != 6 || list[0].(map[string]any)["slug"] != "region" {
		t.Fatalf("institutions: %v", list)
	}

	id := apiNeed(t, env, actor, "Transport solidaire vers les soins")
	apiAct(t, env, officer.Token, id,
		map[string]any{"action": "qualify"},
		map[string]any{"action": "start_study", "due_date": time.Now().AddDate(0, 3, 0).Format(time.DateOnly)},
		map[string]any{"action": "submit_study", "recommendation": "go", "budget_eur": 60000, "summary": "Le modèle économique tient avec la commune."})
	vote := func(who testenv.Account, d string, status int) map[string]any {
		return env.Do(t, "POST", "/api/v1/needs/"+id+"/transitions", who.Token, map[string]any{"action": "vote", "decision": d}).Expect(t, status).Map(t)
	}
	// The CRESS has a stake: its elected member's organisation submitted the need.
	if e := errorOf(t, env.Do(t, "POST", "/api/v1/needs/"+id+"/transitions", cress.Token, map[string]any{"action": "vote", "decision": "reject"}).Expect(t, 403)); !strings.Contains(e.Message, "CRESS") {
		t.Errorf("the CRESS's stake: %+v", e)
	}
	for _, r := range region {
		if n := vote(r, "approve", 200); n["stage"] != "committee" {
			t.Fatalf("three Région accounts decided alone: %v", n["stage"])
		}
	}
	if n := vote(state, "reject", 200); n["stage"] != "committee" { // Région for, État against: no majority
		t.Fatalf("one against one decided: %v", n["stage"])
	}
	if n := vote(fca, "reject", 200); n["stage"] != "rejected" {
		t.Fatalf("two institutions against one: %v", n["stage"])
	}
	// The indicators count the decision, with its time from the committee's seizing.
	report := env.Do(t, "GET", "/api/v1/indicators", officer.Token, nil).Expect(t, 200).Map(t)
	for _, c := range report["committee"].([]any) {
		if c := c.(map[string]any); c["subject"] == "need" && (c["decided"].(float64) != 1 || c["waiting"].(float64) != 0 || c["avg_days_to_decision"] == nil) {
			t.Errorf("committee figures: %v", c)
		}
	}
}

// TestInstitutionsPage: an admin ticks the committee's accounts that sit
// for an institution and adds one; others may not.
func TestInstitutionsPage(t *testing.T) {
	env := testenv.New(t)
	admin := env.Account(t, "Région", domain.RoleAdmin)
	member := env.Account(t, "Préfecture", domain.RoleCommittee)
	other := env.Account(t, "France Active", domain.RoleCommittee)
	cb := newBrowser(t, env)
	cb.signIn(member.Email, member.Password)
	cb.get("/comite/institutions").expect(t, 403)
	b := newBrowser(t, env)
	b.signIn(admin.Email, admin.Password)
	b.get("/comite/institutions").expect(t, 200, "Institutions du comité de pilotage", "Région Bourgogne-Franche-Comté", member.Name)
	b.post("/comite/institutions/state/membres", url.Values{"user_ids": {member.ID, other.ID}}).expect(t, 303)
	b.post("/comite/institutions/fca/membres", url.Values{"user_ids": {other.ID}}).expect(t, 303)
	b.get("/comite/institutions").expect(t, 200, "siège aujourd&#39;hui pour France Active Franche-Comté")
	state, err := env.DB.Institution(context.Background(), "state")
	if err != nil || len(state.Members) != 1 || state.Members[0].ID != member.ID {
		t.Fatalf("state: %+v %v", state, err)
	}
	b.post("/comite/institutions/state/membres", url.Values{}).expect(t, 303) // none ticked
	if state, _ := env.DB.Institution(context.Background(), "state"); len(state.Members) != 0 {
		t.Fatalf("emptied: %+v", state)
	}
	b.post("/comite/institutions", url.Values{"slug": {"Mauvais Slug"}, "name": {"Département du Jura"}}).expect(t, 422, "identifiant")
	b.post("/comite/institutions", url.Values{"slug": {"cd39"}, "name": {"Département du Jura"}}).expect(t, 303)
	b.get("/comite/institutions").expect(t, 200, "Département du Jura")
}
