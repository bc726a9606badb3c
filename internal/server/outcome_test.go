package server_test

import (
	"net/url"
	"strings"
	"testing"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// TestOutcomeOverHTTP goes from submission to `deployed` with the approved
// budget, indicators, a measure, the evaluation and the outcome, and reads
// them back in the need's JSON, its events and its page; on the way, the
// refusals of the new rules.
func TestOutcomeOverHTTP(t *testing.T) {
	env := testenv.New(t)
	p := newPipeline(t, env)
	member := env.Account(t, "Région", domain.RoleCommittee)

	p.act(p.officer, 200, map[string]any{"action": "qualify"})
	p.act(p.officer, 200, map[string]any{"action": "start_study", "due_date": "2099-03-01"})
	e := errorOf(t, env.Do(t, "POST", "/api/v1/needs/"+p.id+"/transitions", p.officer.Token,
		map[string]any{"action": "submit_study", "recommendation": "go", "summary": "Le modèle économique tient avec la CAF."}).Expect(t, 422))
	if !strings.Contains(e.Fields["budget_eur"], "obligatoire") {
		t.Fatalf("go without budget: %v", e.Fields)
	}
	p.act(p.officer, 200, map[string]any{"action": "submit_study", "recommendation": "go", "budget_eur": 45000.5,
		"summary": "Le modèle économique tient avec la CAF."})
	n := p.act(member, 200, map[string]any{"action": "vote", "decision": "approve"})
	if n["stage"] != "carrier_search" || n["approved_budget_eur"] != 45000.5 || n["study"].(map[string]any)["budget_eur"] != 45000.5 {
		t.Fatalf("approval: %v / %v", n["approved_budget_eur"], n["study"])
	}
	n = p.act(p.officer, 200, map[string]any{"action": "propose_carrier", "organisation": "Crèche Les Lucioles",
		"contact": "direction@lucioles.fr", "motivation": "Nous ouvrons déjà le samedi et pouvons recruter."})
	carrier := n["carriers"].([]any)[0].(map[string]any)["id"]
	pilot := map[string]any{"action": "start_pilot", "carrier_id": carrier, "territories": []string{"39"},
		"start_date": "2027-01-01", "end_date": "2027-12-31", "budget_eur": 45000.51,
		"indicators": []map[string]any{
			{"key": "familles", "label": "Familles accueillies", "target": 40, "unit": "familles"},
			{"key": "heures", "label": "Heures de garde"},
		}}
	e = errorOf(t, env.Do(t, "POST", "/api/v1/needs/"+p.id+"/transitions", p.officer.Token, pilot).Expect(t, 422))
	if !strings.Contains(e.Fields["budget_eur"], "45\u202f000,50\u00a0€") || !strings.Contains(e.Fields["budget_eur"], "comité") {
		t.Fatalf("over the approved budget: %v", e.Fields)
	}
	pilot["budget_eur"] = 45000.5
	n = p.act(p.officer, 200, pilot)
	if n["stage"] != "pilot" || len(n["pilot"].(map[string]any)["indicators"].([]any)) != 2 {
		t.Fatalf("pilot %v", n["pilot"])
	}

	p.act(p.officer, 422, map[string]any{"action": "record_indicator", "key": "emplois", "value": 3})
	p.act(p.officer, 422, map[string]any{"action": "record_indicator", "key": "familles", "value": 3, "at": "9999-01-01"})
	p.act(p.actor, 403, map[string]any{"action": "record_indicator", "key": "familles", "value": 3})
	p.act(p.officer, 200, map[string]any{"action": "record_indicator", "key": "familles", "value": 12, "at": "2027-02-01"})
	n = p.act(p.officer, 200, map[string]any{"action": "record_indicator", "key": "familles", "value": 31.5, "at": "2027-06-01"})
	measures := n["pilot"].(map[string]any)["measures"].([]any)
	if n["stage"] != "pilot" || len(measures) != 2 || measures[1].(map[string]any)["value"] != 31.5 {
		t.Fatalf("measures %v", measures)
	}

	deploy := map[string]any{"action": "deploy", "territories": []string{"39", "ze-dole"}, "evaluation": map[string]any{
		"results": []map[string]any{{"key": "familles", "value": 38}, {"key": "heures", "value": 5200}},
		"lessons": "Le samedi matin concentre la demande ; le modèle tient avec deux salariées.", "recommendation": "stop"}}
	e = errorOf(t, env.Do(t, "POST", "/api/v1/needs/"+p.id+"/transitions", p.officer.Token, deploy).Expect(t, 422))
	if !strings.Contains(e.Fields["evaluation.recommendation"], "Abandonner") {
		t.Fatalf("deploy recommending stop: %v", e.Fields)
	}
	deploy["evaluation"].(map[string]any)["recommendation"] = "adapt"
	deploy["territories"] = []string{"39", "nulle-part"}
	e = errorOf(t, env.Do(t, "POST", "/api/v1/needs/"+p.id+"/transitions", p.officer.Token, deploy).Expect(t, 422))
	if !strings.Contains(e.Fields["territories"], "nulle-part") {
		t.Fatalf("unknown territory: %v", e.Fields)
	}
	deploy["territories"] = []string{"39", "ze-dole"}
	n = p.act(p.officer, 200, deploy)
	if d := n["deployment"].(map[string]any); n["stage"] != "deployment" || d["evaluation"].(map[string]any)["recommendation"] != "adapt" ||
		len(d["territories"].([]any)) != 2 {
		t.Fatalf("deployment %v", n["deployment"])
	}

	complete := map[string]any{"action": "complete", "jobs_created": 2.5,
		"structure": map[string]any{"name": "SCIC Les Lucioles", "legal_form": "scic", "siret": "73282932000075", "origin": "created"},
		"funders": []map[string]any{{"kind": "region", "name": "Région Bourgogne-Franche-Comté", "amount_eur": 30000},
			{"kind": "cdc", "name": "Banque des territoires", "amount_eur": 15000.5}}}
	e = errorOf(t, env.Do(t, "POST", "/api/v1/needs/"+p.id+"/transitions", p.officer.Token, complete).Expect(t, 422))
	if !strings.Contains(e.Fields["structure.siret"], "SIRET") {
		t.Fatalf("bad SIRET: %v", e.Fields)
	}
	complete["structure"].(map[string]any)["siret"] = "732 829 320 00074"
	n = p.act(p.officer, 200, complete)
	o, _ := n["outcome"].(map[string]any)
	if n["stage"] != "deployed" || o == nil || o["jobs_created"] != 2.5 || o["structure"].(map[string]any)["siret"] != "73282932000074" ||
		len(o["funders"].([]any)) != 2 {
		t.Fatalf("outcome %v", n["outcome"])
	}
	got := env.Do(t, "GET", "/api/v1/needs/"+p.id, p.actor.Token, nil).Expect(t, 200).Map(t)
	if got["outcome"] == nil || got["deployment"] == nil || got["approved_budget_eur"] != 45000.5 {
		t.Fatalf("need JSON %v", got)
	}
	var last map[string]any
	for _, ev := range p.events() {
		if ev["action"] == "complete" {
			last = ev["data"].(map[string]any)
		}
	}
	if last["funded_eur"] != "45000.50" || last["legal_form"] != "scic" || last["jobs_created"] != "2.5" {
		t.Fatalf("complete event data %v", last)
	}

	b := newBrowser(t, env)
	b.get("/besoins/"+p.id).expect(t, 200, "Résultat du projet", "SCIC Les Lucioles", "SCIC", "Créée pour le projet",
		"2,5\u00a0ETP", "Région Bourgogne-Franche-Comté", "30\u202f000,00\u00a0€", "15\u202f000,50\u00a0€", "45\u202f000,50\u00a0€",
		"Budget approuvé par le comité", "Familles accueillies", "31,5", "Bilan de l'expérimentation", "Adapter puis déployer")
}

// TestOutcomeForms takes the same path through the need page's forms:
// French numbers, refusals shown beside their fields, values kept.
func TestOutcomeForms(t *testing.T) {
	env := testenv.New(t)
	p := newPipeline(t, env)
	member := env.Account(t, "Région", domain.RoleCommittee)
	apiAct(t, env, p.officer.Token, p.id, map[string]any{"action": "qualify"},
		map[string]any{"action": "start_study", "due_date": "2099-03-01"})
	path := "/besoins/" + p.id
	b := newBrowser(t, env)
	b.signIn(p.officer.Email, p.officer.Password)
	b.get(path).expect(t, 200, `name="budget_eur"`, "Budget proposé pour l&#39;expérimentation")
	b.post(path+"/actions", url.Values{"action": {"submit_study"}, "recommendation": {"go"}, "budget_eur": {"Inf"},
		"summary": {"Besoin confirmé, modèle économique viable, deux porteurs possibles."}}).
		expect(t, 422, "Le champ « budget (€) » doit être un nombre fini.")
	b.post(path+"/actions", url.Values{"action": {"submit_study"}, "recommendation": {"go"}, "budget_eur": {"45 000,50"},
		"summary": {"Besoin confirmé, modèle économique viable, deux porteurs possibles."}}).redirects(t, path+"#historique")
	apiAct(t, env, member.Token, p.id, map[string]any{"action": "vote", "decision": "approve"})
	apiAct(t, env, p.officer.Token, p.id, map[string]any{"action": "propose_carrier", "organisation": "Crèche Les Lutins",
		"contact": "direction@lutins.example", "motivation": "Nous gérons déjà deux crèches associatives à Dole."})
	pg := b.get(path).expect(t, 200, "Budget approuvé par le comité", "45\u202f000,50\u00a0€", "Indicateurs à suivre", `name="indicator_key"`)
	carrier := regexpFind(t, pg.Body, `name="carrier_id" value="([0-9a-f-]{36})"`)
	pilot := url.Values{"action": {"start_pilot"}, "carrier_id": {carrier}, "territories": {"39"},
		"start_date": {"2027-01-01"}, "end_date": {"2027-12-31"}, "budget_eur": {"50 000"},
		"indicator_key": {"familles", "", "heures"}, "indicator_label": {"Familles accueillies", "", "Heures de garde"},
		"indicator_target": {"40", "", "5 200,5"}, "indicator_unit": {"familles", "", ""}}
	b.post(path+"/actions", pilot).expect(t, 422, "dépasse le budget approuvé par le comité de pilotage (45\u202f000,50\u00a0€)",
		`value="Heures de garde"`)
	pilot.Set("budget_eur", "45 000,50")
	pilot["indicator_target"] = []string{"40", "", "NaN"}
	b.post(path+"/actions", pilot).expect(t, 422, "Le champ « indicateurs », ligne 2 : « cible » doit être un nombre fini.")
	pilot["indicator_target"] = []string{"40", "", "5 200,5"}
	b.post(path+"/actions", pilot).redirects(t, path+"#historique")

	b.get(path).expect(t, 200, "Enregistrer une mesure", "Familles accueillies", "Aucune mesure")
	b.post(path+"/actions", url.Values{"action": {"record_indicator"}, "key": {"familles"}, "value": {"NaN"}}).
		expect(t, 422, "Le champ « valeur » doit être un nombre fini.")
	b.post(path+"/actions", url.Values{"action": {"record_indicator"}, "key": {"familles"}, "value": {"12,5"}, "at": {"2027-03-01"}}).
		redirects(t, path+"#historique")
	b.get(path).expect(t, 200, "12,5 familles", "1er mars 2027", "Mesure d&#39;indicateur", "Familles accueillies : 12,5 (mesure du 1er mars 2027)")

	deploy := url.Values{"action": {"deploy"}, "result_key": {"familles", "heures"}, "result_value": {"38", ""},
		"evaluation.lessons": {"Le samedi matin concentre la demande."}, "evaluation.recommendation": {"stop"}, "territories": {"39", "ze-dole"}}
	b.post(path+"/actions", deploy).expect(t, 422, "utilisez « Abandonner le projet »", "Le samedi matin concentre la demande.")
	deploy.Set("evaluation.recommendation", "deploy")
	b.post(path+"/actions", deploy).redirects(t, path+"#historique")

	complete := url.Values{"action": {"complete"}, "structure.name": {"Crèche Les Lutins"}, "structure.legal_form": {"association"},
		"structure.siret": {"1234"}, "structure.origin": {"taken_over"}, "jobs_created": {"2,5"},
		"funder_kind": {"region", "", "private"}, "funder_name": {"Région", "", "Fondation locale"}, "funder_amount": {"30 000", "", "1 500,25"}}
	b.post(path+"/actions", complete).expect(t, 422, "Le champ « SIRET » doit être un numéro SIRET valide", `value="Fondation locale"`)
	complete.Set("structure.siret", "")
	b.post(path+"/actions", complete).redirects(t, path+"#historique")
	b.get(path).expect(t, 200, "Résultat du projet", "Crèche Les Lutins — Association", "Structure existante qui reprend le projet",
		"2,5\u00a0ETP", "30\u202f000,00\u00a0€", "1\u202f500,25\u00a0€", "31\u202f500,25\u00a0€", "Déployer le modèle", "Jura, Dole")
	n := env.Do(t, "GET", "/api/v1/needs/"+p.id, p.actor.Token, nil).Expect(t, 200).Map(t)
	if o := n["outcome"].(map[string]any); o["jobs_created"] != 2.5 || len(o["funders"].([]any)) != 2 {
		t.Fatalf("outcome %v", o)
	}
}
