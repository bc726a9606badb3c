package main

import (
	"testing"
	"time"
)

// TestSessionSurvivesCrash kills `essor serve` with SIGKILL while a
// committee session is open: after the restart the same session decides
// its item and closes, and the need takes the decision.
func TestSessionSurvivesCrash(t *testing.T) {
	in := newInstance(t)
	for _, u := range [][]string{{"admin@region.fr", "admin"}, {"mairie@dole.fr", "actor"}, {"charge@fca.fr", "officer"},
		{"membre@region.fr", "committee"}, {"membre@etat.fr", "committee"}} {
		if code, out := in.run("mot-de-passe-solide\n", "user", "add", "--email", u[0], "--name", "Compte "+u[0], "--role", u[1], "--organisation", "Org "+u[0]); code != 0 {
			t.Fatalf("user add: %s", out)
		}
	}
	in.start()
	admin, actor, officer := in.login("admin@region.fr"), in.login("mairie@dole.fr"), in.login("charge@fca.fr")
	me := func(token string) string {
		_, m := in.do("GET", "/api/v1/me", token, nil)
		return m["id"].(string)
	}
	r1, r2 := me(in.login("membre@region.fr")), me(in.login("membre@etat.fr"))
	for slug, id := range map[string]string{"region": r1, "state": r2} {
		if status, out := in.do("PUT", "/api/v1/committee/institutions/"+slug+"/members", admin, map[string]any{"user_ids": []string{id}}); status != 200 {
			t.Fatalf("members: %d %v", status, out)
		}
	}
	status, need := in.do("POST", "/api/v1/needs", actor, map[string]any{"title": "Transport solidaire vers les soins",
		"description": "Les habitants des villages sans voiture renoncent à leurs rendez-vous médicaux.", "theme": "mobility", "territory_code": "39"})
	if status != 201 {
		t.Fatalf("submit: %d %v", status, need)
	}
	id := need["id"].(string)
	for _, body := range []map[string]any{{"action": "qualify"},
		{"action": "start_study", "due_date": time.Now().AddDate(0, 3, 0).Format(time.DateOnly)},
		{"action": "submit_study", "recommendation": "go", "budget_eur": 60000, "summary": "Le modèle économique tient avec la commune."}} {
		if status, out := in.do("POST", "/api/v1/needs/"+id+"/transitions", officer, body); status != 200 {
			t.Fatalf("%v: %d %v", body["action"], status, out)
		}
	}
	status, s := in.do("POST", "/api/v1/committee/sessions", officer, map[string]any{"title": "Comité de décembre",
		"starts_at": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339), "place": "Besançon"})
	if status != 201 {
		t.Fatalf("plan: %d %v", status, s)
	}
	base := "/api/v1/committee/sessions/" + s["id"].(string)
	for _, step := range []struct {
		path string
		body map[string]any
	}{
		{"/agenda", map[string]any{"subject": "need", "id": id}},
		{"/transitions", map[string]any{"action": "convene"}},
		{"/transitions", map[string]any{"action": "open", "attendance": []map[string]any{{"user_id": r1, "status": "present"}, {"user_id": r2, "status": "present"}}}},
	} {
		if status, out := in.do("POST", base+step.path, officer, step.body); status >= 300 {
			t.Fatalf("%s: %d %v", step.path, status, out)
		}
	}
	in.kill()
	in.start()
	officer = in.login("charge@fca.fr")
	if status, out := in.do("POST", base+"/items/1/decision", officer, map[string]any{"decision": "approve", "budget_eur": 45000,
		"votes": map[string]any{"for": 2, "against": 0, "abstain": 0}}); status != 200 {
		t.Fatalf("decide after the restart: %d %v", status, out)
	}
	if status, out := in.do("POST", base+"/transitions", officer, map[string]any{"action": "close"}); status != 200 || out["stage"] != "closed" {
		t.Fatalf("close: %d %v", status, out)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		_, n := in.do("GET", "/api/v1/needs/"+id, officer, nil)
		if n["stage"] == "carrier_search" && n["approved_budget_eur"] == 45000.0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the need after the restart: %v", n)
		}
	}
}
