package server_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"

	"essor/internal/domain"
	"essor/internal/testenv"
	"essor/workflows"
)

// TestRecordHistories writes real workflow histories to workflows/testdata,
// which workflows' replay test replays against the current code. Run it
// (make record-histories) when a workflow change is meant to be compatible
// only with workflows started after it; otherwise keep the old files so that
// a change that would break running workflows fails CI. Files carry the
// generation they were recorded with (recorded): older ones stay and keep
// being replayed.
func TestRecordHistories(t *testing.T) {
	if os.Getenv("ESSOR_RECORD_HISTORIES") == "" {
		t.Skip("set ESSOR_RECORD_HISTORIES=1 to record workflow histories")
	}
	env := testenv.New(t)
	p := newPipeline(t, env)
	c1 := env.Account(t, "Région", domain.RoleCommittee)
	c2 := env.Account(t, "État", domain.RoleCommittee)
	supporter := env.Account(t, "Centre social", domain.RoleActor)
	env.Do(t, "POST", "/api/v1/needs/"+p.id+"/supports", supporter.Token, nil).Expect(t, 201)
	p.act(p.officer, 200, map[string]any{"action": "request_info", "comment": "Combien de familles ?"})
	p.act(p.actor, 200, map[string]any{"action": "provide_info", "comment": "Une quarantaine."})
	p.act(p.officer, 200, map[string]any{"action": "qualify"})
	p.act(p.officer, 200, map[string]any{"action": "start_study", "due_date": "2099-03-01"})
	p.act(p.officer, 200, map[string]any{"action": "submit_study", "recommendation": "go", "summary": "Le modèle économique tient avec la CAF.", "budget_eur": 50000})
	p.act(c1, 200, map[string]any{"action": "vote", "decision": "back_to_study"})
	p.act(c2, 200, map[string]any{"action": "vote", "decision": "back_to_study"})
	p.act(p.officer, 200, map[string]any{"action": "submit_study", "recommendation": "go", "summary": "Étude complétée avec les chiffres de la CAF.", "budget_eur": 50000})
	p.act(c1, 200, map[string]any{"action": "vote", "decision": "approve"})
	p.act(c2, 200, map[string]any{"action": "vote", "decision": "approve"})
	other := env.Account(t, "Régie de quartier", domain.RoleActor)
	declined := p.act(other, 200, map[string]any{"action": "propose_carrier", "organisation": "Régie de quartier", "contact": "regie@exemple.fr", "motivation": "Nous pourrions porter ce projet avec la mairie."})
	p.act(p.officer, 200, map[string]any{"action": "decline_carrier", "carrier_id": declined["carriers"].([]any)[0].(map[string]any)["id"], "reason": "Pas de locaux adaptés"})
	n := p.act(p.actor, 200, map[string]any{"action": "propose_carrier", "organisation": "Crèche Les Lucioles", "contact": "direction@lucioles.fr", "motivation": "Nous ouvrons déjà le samedi et pouvons recruter."})
	carriers := n["carriers"].([]any)
	cid := carriers[len(carriers)-1].(map[string]any)["id"]
	p.act(p.officer, 200, map[string]any{"action": "start_pilot", "carrier_id": cid, "territories": []string{"39"}, "start_date": "2027-01-01", "end_date": "2027-12-31", "budget_eur": 45000, "indicators": []map[string]any{{"key": "familles", "label": "Familles accueillies", "target": 40}}})
	p.act(p.officer, 200, map[string]any{"action": "record_indicator", "key": "familles", "value": 21})
	relay := env.Account(t, "CRESS", domain.RoleOfficer)
	p.act(p.officer, 200, map[string]any{"action": "assign", "officer_id": relay.ID})
	p.act(p.officer, 200, map[string]any{"action": "deploy", "evaluation": map[string]any{"results": []map[string]any{{"key": "familles", "value": 38}}, "lessons": "Le samedi matin concentre la demande.", "recommendation": "adapt"}, "territories": []string{"39"}})
	p.act(p.officer, 200, map[string]any{"action": "complete", "structure": map[string]any{"name": "SCIC Les Lucioles", "legal_form": "scic", "origin": "created"}, "jobs_created": 2.5, "funders": []map[string]any{{"kind": "region", "name": "Région", "amount_eur": 30000}}})
	write(t, env, p.id, "need_pipeline"+recorded+".json")

	a, b := newPipeline(t, env), newPipeline(t, env)
	a.act(a.officer, 200, map[string]any{"action": "merge", "into": b.id})
	b.act(b.officer, 200, map[string]any{"action": "abandon", "reason": "Porté par le département"})
	write(t, env, a.id, "need_merged"+recorded+".json")
	write(t, env, b.id, "need_absorbed"+recorded+".json")
}

// TestRecordStudyActionHistories records a study-action's whole life: the
// application, the appraisal, the ballot, the recruitment, a report, an
// extension, a change of plan and its ballot, and the conclusion.
func TestRecordStudyActionHistories(t *testing.T) {
	if os.Getenv("ESSOR_RECORD_HISTORIES") == "" {
		t.Skip("set ESSOR_RECORD_HISTORIES=1 to record workflow histories")
	}
	env := testenv.New(t)
	host := env.Account(t, "Menuiserie Dupont", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	c1 := env.Account(t, "Région", domain.RoleCommittee)
	var sa map[string]any
	env.Do(t, "POST", "/api/v1/study-actions", host.Token, application("")).Expect(t, 201).JSON(t, &sa)
	id := sa["id"].(string)
	for _, step := range []struct {
		who  testenv.Account
		body map[string]any
	}{
		{officer, map[string]any{"action": "appraise", "recommendation": "favourable", "opinion": "Profil solide et hôte motivé, calendrier tenable."}},
		{c1, map[string]any{"action": "vote", "decision": "approve"}},
		{officer, map[string]any{"action": "recruit", "carrier_name": "Nora Benali", "start_date": "2026-11-26"}},
		{host, map[string]any{"action": "report", "month": 1, "text": "Étude de marché et premiers partenaires trouvés."}},
		{officer, map[string]any{"action": "extend", "months": 2}},
		{host, map[string]any{"action": "revise_financing", "financing": []map[string]any{{"funder": "Région", "kind": "region", "amount_eur": 15000}, {"funder": "Caisse des dépôts", "kind": "cdc", "amount_eur": 25000}}}},
		{c1, map[string]any{"action": "vote", "decision": "approve"}},
		{officer, map[string]any{"action": "conclude", "outcome": "enterprise_created", "legal_form": "scop", "jobs_created": 3}},
	} {
		env.Do(t, "POST", "/api/v1/study-actions/"+id+"/transitions", step.who.Token, step.body).Expect(t, 200)
	}
	writeHistory(t, env, workflows.StudyActionWorkflowID(id), "study_action"+recorded+".json")
}

// TestRecordCallHistories records a call for projects opened at once,
// applied to, closed by its own date, proposed, voted and published.
func TestRecordCallHistories(t *testing.T) {
	if os.Getenv("ESSOR_RECORD_HISTORIES") == "" {
		t.Skip("set ESSOR_RECORD_HISTORIES=1 to record workflow histories")
	}
	env := testenv.New(t)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	member := env.Account(t, "Région", domain.RoleCommittee)
	closes := time.Now().Add(4 * time.Second).UTC().Format(time.RFC3339)
	call := env.Do(t, "POST", "/api/v1/calls", officer.Token, map[string]any{"title": "Territoires pour le transport solidaire",
		"description": "Un appel aux territoires qui veulent expérimenter le transport solidaire.",
		"opens_at":    "2026-01-01", "closes_at": closes}).Expect(t, 201).Map(t)
	id := call["id"].(string)
	env.Do(t, "POST", "/api/v1/calls/"+id+"/applications", actor.Token, map[string]any{"territory_code": "39",
		"motivation": "Nous avons déjà un réseau de bénévoles prêts à conduire."}).Expect(t, 201)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		if env.Do(t, "GET", "/api/v1/calls/"+id, officer.Token, nil).Expect(t, 200).Map(t)["stage"] == "closed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the call never closed")
		}
	}
	env.Do(t, "POST", "/api/v1/calls/"+id+"/proposal", officer.Token, map[string]any{"territory_codes": []string{"39"},
		"comment": "Le Jura est prêt."}).Expect(t, 200)
	env.Do(t, "POST", "/api/v1/calls/"+id+"/transitions", member.Token, map[string]any{"action": "vote", "decision": "approve"}).Expect(t, 200)
	writeHistory(t, env, workflows.CallWorkflowID(id), "call"+recorded+".json")
}

// recorded names the generation of the workflow code the histories come
// from (the first files have none).
const recorded = "_2026-11-26"

func write(t *testing.T, env *testenv.Env, needID, name string) {
	t.Helper()
	writeHistory(t, env, workflows.NeedWorkflowID(needID), name)
}

// writeHistory writes a workflow's history to workflows/testdata.
func writeHistory(t *testing.T, env *testenv.Env, workflowID, name string) {
	t.Helper()
	iter := env.Temporal.GetWorkflowHistory(context.Background(), workflowID, "", false, 0)
	h := &historypb.History{}
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	raw, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "..", "workflows", "testdata", name), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %s: %d events", name, len(h.Events))
}
