package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/testenv"
)

func application(needID string) map[string]any {
	app := map[string]any{"host_company": "Menuiserie Dupont", "project_title": "Recyclerie de meubles à Dole",
		"summary": "Une recyclerie de meubles portée par une entrepreneuse sociale accueillie six mois.",
		"sponsor": "Réseau des entrepreneurs sociaux", "duration_months": 6,
		"financing": []map[string]any{{"funder": "Région Bourgogne-Franche-Comté", "kind": "region", "amount_eur": 20000},
			{"funder": "Caisse des dépôts", "kind": "cdc", "amount_eur": 15000},
			{"funder": "Fondation Crédit Coopératif", "kind": "private", "amount_eur": 5000}}}
	if needID != "" {
		app["need_id"] = needID
	}
	return app
}

// The whole Fonds de confiance over HTTP, against the real server: apply,
// appraise, the committee's ballot (the host company's member does not
// vote), recruit, report, extend, conclude with an enterprise; then the
// programme's figures, the audit trail and the need it answers.
func TestStudyActionEndToEnd(t *testing.T) {
	env := testenv.New(t)
	p := newPipeline(t, env)
	host := env.Account(t, "Menuiserie Dupont", domain.RoleActor)
	officer := p.officer
	c1 := env.Account(t, "Région", domain.RoleCommittee)
	c2 := env.Account(t, "État", domain.RoleCommittee)
	dupont := env.Account(t, "menuiserie dupont", domain.RoleCommittee)

	// Bad input: a 422 naming each field, in French.
	bad := application("")
	bad["duration_months"], bad["financing"] = 12, []map[string]any{{"funder": "Fondation", "kind": "private", "amount_eur": 5}}
	e := errorOf(t, env.Do(t, "POST", "/api/v1/study-actions", host.Token, bad).Expect(t, 422))
	if !strings.Contains(e.Fields["duration_months"], "entre 6 et 9") || !strings.Contains(e.Fields["financing"], "Région") {
		t.Fatalf("fields %v", e.Fields)
	}
	env.Do(t, "POST", "/api/v1/study-actions", officer.Token, application("")).Expect(t, 403)
	unknown := application("00000000-0000-0000-0000-000000000042")
	if e := errorOf(t, env.Do(t, "POST", "/api/v1/study-actions", host.Token, unknown).Expect(t, 422)); e.Fields["need_id"] == "" {
		t.Fatalf("an unknown need: %v", e.Fields)
	}

	var sa map[string]any
	env.Do(t, "POST", "/api/v1/study-actions", host.Token, application(p.id), "Idempotency-Key", "sa-1").Expect(t, 201).JSON(t, &sa)
	id := sa["id"].(string)
	if sa["stage"] != "application" || sa["leverage"] != 1.0 || sa["total_eur"] != 40000.0 {
		t.Fatalf("created %v", sa)
	}
	var again map[string]any
	env.Do(t, "POST", "/api/v1/study-actions", host.Token, application(p.id), "Idempotency-Key", "sa-1").Expect(t, 201).JSON(t, &again)
	if again["id"] != id {
		t.Fatalf("a retried application made a second study-action")
	}
	act := func(who testenv.Account, status int, body map[string]any) map[string]any {
		t.Helper()
		r := env.Do(t, "POST", "/api/v1/study-actions/"+id+"/transitions", who.Token, body).Expect(t, status)
		if status != 200 {
			return nil
		}
		return r.Map(t)
	}
	act(host, 403, map[string]any{"action": "appraise", "opinion": "Je me donne un avis favorable à moi-même."})
	act(officer, 409, map[string]any{"action": "recruit", "carrier_name": "Nora", "start_date": "2026-12-01"})
	act(officer, 422, map[string]any{"action": "appraise", "opinion": "court"})
	act(officer, 200, map[string]any{"action": "appraise", "recommendation": "favourable",
		"opinion": "Profil solide, hôte motivé, calendrier tenable sur six mois."})

	var pending []map[string]any
	env.Do(t, "GET", "/api/v1/committee/pending", c1.Token, nil).Expect(t, 200).JSON(t, &pending)
	if len(pending) != 1 || pending[0]["subject"] != "study_action" || pending[0]["id"] != id || pending[0]["quorum"] != 2.0 {
		t.Fatalf("pending %v (Dupont's member has a stake: 2 members count, quorum 2)", pending)
	}
	if e := errorOf(t, env.Do(t, "POST", "/api/v1/study-actions/"+id+"/transitions", dupont.Token,
		map[string]any{"action": "vote", "decision": "approve"}).Expect(t, 403)); !strings.Contains(e.Message, "menuiserie dupont") {
		t.Fatalf("the host company's member voted: %v", e.Message)
	}
	act(c1, 200, map[string]any{"action": "vote", "decision": "approve"})
	// The second vote goes through the shared committee page.
	member := newBrowser(t, env)
	member.signIn(c2.Email, c2.Password)
	member.get("/comite").expect(t, 200, "Recyclerie de meubles à Dole", "Fonds de confiance")
	member.post("/comite/"+id+"/vote", url.Values{"decision": {"approve"}}).expect(t, 303)
	var got map[string]any
	env.Do(t, "GET", "/api/v1/study-actions/"+id, host.Token, nil).Expect(t, 200).JSON(t, &got)
	if got["stage"] != "recruitment" || got["approved_at"] == nil {
		t.Fatalf("approved by two of two: %v", got["stage"])
	}
	member.get("/fonds-de-confiance/"+id).expect(t, 200, "Recrutement du porteur", "Accorder l&#39;étude-action",
		"(accorder : 2, refuser : 0, renvoyer à l&#39;instruction : 0)").lacks(t, "renvoyer à l&#39;étude")

	today := time.Now().In(domain.Paris).Format(time.DateOnly)
	act(officer, 422, map[string]any{"action": "recruit", "carrier_name": "Nora Benali", "start_date": "2020-01-01"})
	n := act(officer, 200, map[string]any{"action": "recruit", "carrier_name": "Nora Benali", "start_date": today})
	if n["stage"] != "study" || n["report_due"] == nil {
		t.Fatalf("recruited: %v", n)
	}
	member.get("/fonds-de-confiance/"+id).expect(t, 200).lacks(t, "à 0 h 00") // a day has no hour
	act(host, 422, map[string]any{"action": "report", "month": 2, "text": "Le deuxième mois n'a pas encommencé."})
	act(host, 200, map[string]any{"action": "report", "month": 1, "text": "Étude de marché, local trouvé, premiers partenaires."})
	if e := errorOf(t, env.Do(t, "POST", "/api/v1/study-actions/"+id+"/transitions", host.Token,
		map[string]any{"action": "report", "month": 1, "text": "Le même mois une seconde fois, refusé."}).Expect(t, 409)); !strings.Contains(e.Message, "mois 1") {
		t.Fatalf("a report doubled: %v", e.Message)
	}
	act(officer, 422, map[string]any{"action": "extend", "months": 4})
	if n := act(officer, 200, map[string]any{"action": "extend", "months": 3}); n["months"] != 9.0 {
		t.Fatalf("extended: %v", n["months"])
	}
	// A new plan after the decision waits for a new vote.
	act(host, 200, map[string]any{"action": "revise_financing", "financing": []map[string]any{
		{"funder": "Région", "kind": "region", "amount_eur": 10000}, {"funder": "Caisse des dépôts", "kind": "cdc", "amount_eur": 30000}}})
	env.Do(t, "GET", "/api/v1/study-actions/"+id, host.Token, nil).Expect(t, 200).JSON(t, &got)
	if got["leverage"] != 1.0 || got["pending_financing"] == nil {
		t.Fatalf("the plan changed before the committee decided: %v %v", got["leverage"], got["pending_financing"])
	}
	act(c1, 200, map[string]any{"action": "vote", "decision": "approve"})
	if n := act(c2, 200, map[string]any{"action": "vote", "decision": "approve"}); n["leverage"] != 3.0 || n["stage"] != "study" {
		t.Fatalf("approved plan: leverage %v stage %v", n["leverage"], n["stage"])
	}
	act(officer, 422, map[string]any{"action": "conclude", "outcome": "enterprise_created", "legal_form": "scic"})
	n = act(officer, 200, map[string]any{"action": "conclude", "outcome": "enterprise_created", "legal_form": "scic",
		"jobs_created": 4.5, "enterprise_name": "Recyclerie du Jura"})
	if n["stage"] != "enterprise_created" {
		t.Fatalf("concluded: %v", n["stage"])
	}
	act(officer, 409, map[string]any{"action": "withdraw", "reason": "Trop tard pour retirer."})

	var figures map[string]any
	env.Do(t, "GET", "/api/v1/study-actions/figures", c1.Token, nil).Expect(t, 200).JSON(t, &figures)
	if figures["enterprises_created"] != 1.0 || figures["jobs_created"] != 4.5 || figures["leverage"] != 3.0 ||
		figures["by_stage"].(map[string]any)["enterprise_created"] != 1.0 {
		t.Fatalf("figures %v", figures)
	}
	var events []map[string]any
	env.Do(t, "GET", "/api/v1/study-actions/"+id+"/events", host.Token, nil).Expect(t, 200).JSON(t, &events)
	var actions []string
	for _, e := range events {
		actions = append(actions, e["action"].(string))
	}
	want := "submit appraise vote vote decide recruit report extend revise_financing vote vote decide conclude"
	if strings.Join(actions, " ") != want {
		t.Fatalf("audit trail %v, want %s", actions, want)
	}
	var list map[string]any
	env.Do(t, "GET", "/api/v1/study-actions?need="+p.id, host.Token, nil).Expect(t, 200).JSON(t, &list)
	if len(list["items"].([]any)) != 1 {
		t.Fatalf("list by need: %v", list)
	}
	env.Do(t, "GET", "/api/v1/study-actions?stage=nope", host.Token, nil).Expect(t, 422)

	// The pages: the public programme page, the study-action, and the need it answers.
	anon := newBrowser(t, env)
	anon.get("/fonds-de-confiance").expect(t, 200, "Recyclerie de meubles à Dole", "Entreprise créée")
	anon.get("/fonds-de-confiance/"+id).expect(t, 200, "Recyclerie du Jura", "Menuiserie Dupont").lacks(t, "Nora Benali a")
	anon.get("/besoins/"+p.id).expect(t, 200, "Recyclerie de meubles à Dole")
}

// Web forms: the application refused with messages beside each field, then
// accepted; the officer's follow-up lists it to appraise.
func TestStudyActionPages(t *testing.T) {
	env := testenv.New(t)
	host := env.Account(t, "Épicerie du Lien", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	page := newBrowser(t, env)
	page.signIn(host.Email, host.Password)
	page.get("/fonds-de-confiance/candidature").expect(t, 200, "Plan de financement")
	page.post("/fonds-de-confiance/candidature", url.Values{"host_company": {"Épicerie du Lien"},
		"project_title": {"Épicerie"}, "summary": {"court"}, "sponsor": {""}, "duration_months": {"12"},
		"funder_kind": {"private"}, "funder_name": {"Fondation"}, "funder_amount": {"douze"}}).
		expect(t, 422, "« parrain » est obligatoire", "entre 6 et 9", "n'a pas le bon type")
	done := page.post("/fonds-de-confiance/candidature", url.Values{"host_company": {"Épicerie du Lien"},
		"project_title": {"Épicerie solidaire itinérante"}, "summary": {"Une épicerie solidaire itinérante dans le Haut-Jura."},
		"sponsor": {"Réseau Cocagne"}, "duration_months": {"7"}, "funder_kind": {"region"}, "funder_name": {"Région"},
		"funder_amount": {"18 000,50"}}).expect(t, 303)
	page.get(done.Header.Get("Location")).expect(t, 200, "Épicerie solidaire itinérante", "18")
	office := newBrowser(t, env)
	office.signIn(officer.Email, officer.Password)
	office.get("/fonds-de-confiance/suivi").expect(t, 200, "Épicerie solidaire itinérante", "Candidatures à instruire")
}
