package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"essor/internal/domain"
	"essor/internal/testenv"
	"essor/workflows"
)

// TestInputGate sends what once reached PostgreSQL and answered 500: NUL
// bytes, invalid UTF-8 and control characters, in JSON, forms, query
// strings, paths and headers. Each is a 4xx naming its field, in French.
func TestInputGate(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)

	t.Run("a NUL byte in a JSON text", func(t *testing.T) {
		body := validNeed("Garde\u0000 de nuit")
		e := errorOf(t, env.Do(t, "POST", "/api/v1/needs", actor.Token, body).Expect(t, 422))
		if !strings.Contains(e.Fields["title"], "« titre »") || !strings.Contains(e.Fields["title"], "caractère de contrôle") {
			t.Fatalf("fields %v", e.Fields)
		}
	})
	t.Run("a body that is not UTF-8", func(t *testing.T) {
		raw := `{"title": "Garde ` + "\xc3\x28" + ` de nuit", "description": "xxxxxxxxxxxxxxxxxxxxxxxxxx", "theme": "housing", "territory_code": "39"}`
		e := errorOf(t, env.Do(t, "POST", "/api/v1/needs", actor.Token, raw).Expect(t, 400))
		if !strings.Contains(e.Message, "UTF-8") {
			t.Fatalf("message %q", e.Message)
		}
	})
	t.Run("a control character in a query string", func(t *testing.T) {
		for _, q := range []string{"q=a%00b", "q=%FF", "q=%ED%A0%80", "territory=%07"} {
			res := env.Do(t, "GET", "/api/v1/needs?"+q, actor.Token, nil)
			if res.Status != 422 {
				t.Fatalf("%s: %d %s", q, res.Status, res.Body)
			}
			if e := errorOf(t, res); len(e.Fields) != 1 {
				t.Fatalf("%s: %v", q, e.Fields)
			}
		}
		// the public list page too
		if p := newBrowser(t, env).get("/besoins?q=%00"); p.Status != 422 || !strings.Contains(p.Body, "recherche") {
			t.Fatalf("page: %d", p.Status)
		}
	})
	t.Run("a path or a header", func(t *testing.T) {
		env.Do(t, "GET", "/api/v1/needs/%00", actor.Token, nil).Expect(t, 400)
		env.Do(t, "GET", "/api/v1/needs/%FF", actor.Token, nil).Expect(t, 400)
		e := errorOf(t, env.Do(t, "POST", "/api/v1/needs", actor.Token, validNeed("Clé étrange"), "Idempotency-Key", "clé-é").Expect(t, 422))
		if _, ok := e.Fields["Idempotency-Key"]; !ok {
			t.Fatalf("fields %v", e.Fields)
		}
	})
	t.Run("a form field", func(t *testing.T) {
		b := newBrowser(t, env)
		b.signIn(actor.Email, actor.Password)
		form := needForm("Épicerie solidaire")
		form.Set("description", "Une épicerie\x00 pour les familles du quartier")
		p := b.post("/besoins/nouveau", form)
		if p.Status != 422 || !strings.Contains(p.Body, "caractère de contrôle") {
			t.Fatalf("status %d", p.Status)
		}
	})
	t.Run("text is stored in one spelling (NFC)", func(t *testing.T) {
		n := env.Do(t, "POST", "/api/v1/needs", actor.Token, validNeed("Cre\u0300che de nuit a\u0300 Dole")).Expect(t, 201).Map(t)
		if n["title"] != "Crèche de nuit à Dole" {
			t.Fatalf("title %q", n["title"])
		}
		list := env.Do(t, "GET", "/api/v1/needs?q="+url.QueryEscape("cre\u0300che"), actor.Token, nil).Expect(t, 200).Map(t)
		if len(list["items"].([]any)) == 0 {
			t.Fatal("an NFD query does not find the NFC title")
		}
	})
	t.Run("ids compared in canonical form", func(t *testing.T) {
		id := apiNeed(t, env, actor, "Transport solidaire vers l'hôpital")
		other := apiNeed(t, env, actor, "Navette solidaire du plateau")
		up := strings.ToUpper(id)
		e := errorOf(t, env.Do(t, "POST", "/api/v1/needs/"+up+"/transitions", officer.Token,
			map[string]any{"action": "merge", "into": up}).Expect(t, 422))
		if _, ok := e.Fields["into"]; !ok {
			t.Fatalf("merge into itself: %v", e)
		}
		env.Do(t, "POST", "/api/v1/needs/"+up+"/transitions", officer.Token,
			map[string]any{"action": "merge", "into": strings.ToUpper(other)}).Expect(t, 200)
		waitFor(t, func() bool {
			var evs []map[string]any
			env.Do(t, "GET", "/api/v1/needs/"+other+"/events", officer.Token, nil).Expect(t, 200).JSON(t, &evs)
			return evs[len(evs)-1]["action"] == "merged_from"
		})
	})
	t.Run("dates and numbers", func(t *testing.T) {
		id := apiNeed(t, env, actor, "Habitat partagé pour seniors")
		apiAct(t, env, officer.Token, id, map[string]any{"action": "qualify"})
		e := errorOf(t, env.Do(t, "POST", "/api/v1/needs/"+id+"/transitions", officer.Token,
			map[string]any{"action": "start_study", "due_date": "9999-12-31"}).Expect(t, 422))
		if !strings.Contains(e.Fields["due_date"], "2100-12-31") {
			t.Fatalf("due_date: %v", e.Fields)
		}
		b := newBrowser(t, env)
		b.signIn(officer.Email, officer.Password)
		p := b.post("/besoins/"+id+"/actions", url.Values{"action": {"start_pilot"}, "budget_eur": {"NaN"},
			"start_date": {"2027-01-01"}, "end_date": {"2027-06-30"}})
		if p.Status >= 500 || p.Status == 200 {
			t.Fatalf("NaN budget: %d", p.Status)
		}
	})
}

// TestNoInputWedgesANeed proves that a need stays answerable whatever text
// is sent: through the API every text field of every action refuses a NUL
// byte before the workflow; and text that the database refuses, sent to the
// workflow directly (as a bug in a future gate would let through), is
// refused at once, undone, counted, and the need still takes its next action.
func TestNoInputWedgesANeed(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	id := apiNeed(t, env, actor, "Recyclerie solidaire")
	bad := "texte\u0000piégé"
	for _, body := range []map[string]any{
		{"action": "request_info", "comment": bad},
		{"action": "reject", "reason": bad},
		{"action": "abandon", "reason": bad},
		{"action": "merge", "into": bad},
		{"action": "qualify", "comment": bad},
		{"action": "propose_carrier", "organisation": bad, "contact": "x@example.org", "motivation": "Une motivation assez longue pour passer."},
		{"action": "start_study", "due_date": bad},
		{"action": bad},
	} {
		res := env.Do(t, "POST", "/api/v1/needs/"+id+"/transitions", officer.Token, body)
		if res.Status != 422 {
			t.Fatalf("%v: %d %s", body, res.Status, res.Body)
		}
	}

	// Past the gate: the workflow itself gets a text PostgreSQL refuses for good.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	before := testutil.ToFloat64(env.Metrics.ReadModelRefused)
	cmd := domain.NeedCommand{NeedInput: domain.NeedInput{Action: domain.ActionRequestInfo, Comment: bad},
		Caller: domain.Caller{UserID: officer.ID, Name: officer.Name, Organisation: "FCA", Roles: officer.Roles}}
	h, err := env.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflows.NeedWorkflowID(id), UpdateName: workflows.UpdateAction, Args: []any{cmd},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	de, ok := workflows.DomainError(err)
	if !ok || de.Message.Key != "error.save_refused" {
		t.Fatalf("update with a NUL byte: %v", err)
	}
	if got := testutil.ToFloat64(env.Metrics.ReadModelRefused); got != before+1 {
		t.Fatalf("refusals counted %v, want %v", got, before+1)
	}
	n := env.Do(t, "GET", "/api/v1/needs/"+id, officer.Token, nil).Expect(t, 200).Map(t)
	if n["stage"] != "captured" {
		t.Fatalf("the refused action left the need in %v", n["stage"])
	}
	// The need answers at once, and its audit trail has no gap.
	n = env.Do(t, "POST", "/api/v1/needs/"+id+"/transitions", officer.Token,
		map[string]any{"action": "abandon", "reason": "Projet repris par la commune"}).Expect(t, http.StatusOK).Map(t)
	if n["stage"] != "abandoned" {
		t.Fatalf("abandon → %v", n["stage"])
	}
	var evs []map[string]any
	env.Do(t, "GET", "/api/v1/needs/"+id+"/events", officer.Token, nil).Expect(t, 200).JSON(t, &evs)
	for i, e := range evs {
		if int(e["seq"].(float64)) != i+1 {
			t.Fatalf("event %d has seq %v", i+1, e["seq"])
		}
	}

	// A submission the database refuses ends its workflow instead of retrying.
	sub := domain.NeedSubmission{Title: bad, Description: strings.Repeat("description ", 3), Theme: "housing", TerritoryCode: "39"}
	nid := "0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
	n0, first := domain.NewNeed(nid, sub, cmd.Caller, time.Now().UTC())
	start := env.Temporal.NewWithStartWorkflowOperation(client.StartWorkflowOptions{ID: workflows.NeedWorkflowID(nid),
		TaskQueue: env.Config.TaskQueue, WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING}, workflows.NeedWorkflowName, workflows.NeedInput{Need: *n0, First: &first, Policy: domain.DefaultPolicy})
	uh, err := env.Temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{WorkflowID: workflows.NeedWorkflowID(nid), UpdateName: workflows.UpdateSubmit,
			WaitForStage: client.WorkflowUpdateStageCompleted}})
	if err == nil {
		err = uh.Get(ctx, nil)
	}
	if de, ok := workflows.DomainError(err); !ok || de.Message.Key != "error.save_refused" {
		t.Fatalf("submission with a NUL byte: %v", err)
	}
	run := env.Temporal.GetWorkflow(ctx, workflows.NeedWorkflowID(nid), "")
	if err := run.Get(ctx, nil); err == nil {
		t.Fatal("the refused submission's workflow should have ended in failure")
	}
}
