package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"go.temporal.io/sdk/client"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/testenv"
	"essor/workflows"
)

// receiver is a webhook target that checks every signature with the
// Standard Webhooks library and answers the statuses it is told to.
type receiver struct {
	t       *testing.T
	secret  string
	mu      sync.Mutex
	answers []int // the next statuses to answer; 200 once they run out
	got     []received
}

type received struct {
	ID, Type, Subject string
	Status            int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	wh, err := standardwebhooks.NewWebhook(r.secret)
	if err != nil {
		r.t.Errorf("secret %q: %v", r.secret, err)
	}
	if err := wh.Verify(body, req.Header); err != nil {
		r.t.Errorf("signature of %s: %v", req.Header.Get("webhook-id"), err)
	}
	var p struct {
		Type string         `json:"type"`
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		r.t.Errorf("body %s: %v", body, err)
	}
	status := 200
	if len(r.answers) > 0 {
		status, r.answers = r.answers[0], r.answers[1:]
	}
	subject, _ := p.Data["id"].(string)
	r.got = append(r.got, received{ID: req.Header.Get("webhook-id"), Type: p.Type, Subject: subject, Status: status})
	w.WriteHeader(status)
}

func (r *receiver) calls() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// sendWebhooks runs the webhooks' sender once, as its schedule does.
func sendWebhooks(t *testing.T, env *testenv.Env) {
	t.Helper()
	run, err := env.Temporal.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: "webhooks-" + uuid.NewString(),
		TaskQueue: env.Config.TaskQueue}, workflows.WebhookSendWorkflowName, workflows.WebhookSendInput{Within: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
}

func allowPrivate(c *config.Config) { c.WebhookAllowPrivate = true }

// Deliveries are signed, retried after a failure with the same webhook-id,
// and in order per subject: a need's stage change waits for its submission
// to be delivered.
func TestWebhookDeliveries(t *testing.T) {
	env := testenv.New(t, allowPrivate)
	admin := env.Account(t, "Région", domain.RoleAdmin)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	rc := &receiver{t: t, answers: []int{500}}
	target := httptest.NewServer(rc)
	defer target.Close()

	hook := env.Do(t, "POST", "/api/v1/admin/webhooks", admin.Token, map[string]any{"url": target.URL + "/essor",
		"events": []string{"need.submitted", "need.stage_changed"}}).Expect(t, 201).Map(t)
	rc.mu.Lock()
	rc.secret = hook["secret"].(string)
	rc.mu.Unlock()
	if list := env.Do(t, "GET", "/api/v1/admin/webhooks", admin.Token, nil).Expect(t, 200); !strings.Contains(string(list.Body), hook["id"].(string)) ||
		strings.Contains(string(list.Body), hook["secret"].(string)) {
		t.Fatalf("the list, without the secret: %s", list.Body)
	}

	need := env.Do(t, "POST", "/api/v1/needs", actor.Token, map[string]any{"title": "Transport solidaire vers les soins",
		"description": "Les habitants des villages sans voiture renoncent à leurs rendez-vous médicaux.",
		"theme":       "mobility", "territory_code": "39"}).Expect(t, 201).Map(t)
	id := need["id"].(string)
	env.Do(t, "POST", "/api/v1/needs/"+id+"/transitions", officer.Token, map[string]any{"action": "qualify"}).Expect(t, 200)

	sendWebhooks(t, env) // the submission: 500
	if got := rc.calls(); len(got) != 1 || got[0].Type != "need.submitted" || got[0].Status != 500 {
		t.Fatalf("first round: %+v", got)
	}
	sendWebhooks(t, env) // not due yet (10 s), and the stage change waits behind it
	if got := rc.calls(); len(got) != 1 {
		t.Fatalf("retried too early or out of order: %+v", got)
	}
	if _, err := env.DB.Pool.Exec(context.Background(), `UPDATE webhook_deliveries SET next_attempt_at = now()`); err != nil {
		t.Fatal(err)
	}
	sendWebhooks(t, env) // the submission again (200)
	sendWebhooks(t, env) // then the stage change
	got := rc.calls()
	if len(got) != 3 || got[1].ID != got[0].ID || got[1].Status != 200 || got[2].Type != "need.stage_changed" || got[2].Subject != id {
		t.Fatalf("deliveries %+v", got)
	}

	page := env.Do(t, "GET", "/api/v1/admin/webhooks/"+hook["id"].(string)+"/deliveries", admin.Token, nil).Expect(t, 200).Map(t)
	items := page["items"].([]any)
	if len(items) != 2 {
		t.Fatalf("deliveries listed: %v", items)
	}
	first := items[1].(map[string]any) // newest first
	if first["status"] != "delivered" || first["attempts"].(float64) != 2 || len(first["attempt_log"].([]any)) != 2 ||
		first["attempt_log"].([]any)[0].(map[string]any)["status"].(float64) != 500 {
		t.Fatalf("the submission's delivery: %v", first)
	}
	env.Do(t, "DELETE", "/api/v1/admin/webhooks/"+hook["id"].(string), admin.Token, nil).Expect(t, 204)
	env.Do(t, "DELETE", "/api/v1/admin/webhooks/"+hook["id"].(string), admin.Token, nil).Expect(t, 404)
}

// A target on a private or loopback address is refused unless the
// configuration allows it; so are unknown events and what is not a URL.
func TestWebhookTargetsRefused(t *testing.T) {
	env := testenv.New(t)
	admin := env.Account(t, "Région", domain.RoleAdmin)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	for _, c := range []struct {
		url    string
		events []string
		field  string
	}{
		{"http://127.0.0.1:9/hook", []string{"need.submitted"}, "url"},
		{"http://localhost/hook", []string{"need.submitted"}, "url"},
		{"http://[::1]/hook", []string{"need.submitted"}, "url"},
		{"http://10.1.2.3/hook", []string{"need.submitted"}, "url"},
		{"http://169.254.169.254/latest/meta-data", []string{"need.submitted"}, "url"},
		{"ftp://example.org/hook", []string{"need.submitted"}, "url"},
		{"https://example.org/hook", []string{"need.exploded"}, "events"},
		{"https://example.org/hook", nil, "events"},
	} {
		r := env.Do(t, "POST", "/api/v1/admin/webhooks", admin.Token, map[string]any{"url": c.url, "events": c.events}).Expect(t, 422).Map(t)
		if _, ok := r["error"].(map[string]any)["fields"].(map[string]any)[c.field]; !ok {
			t.Errorf("%s %v: %v", c.url, c.events, r)
		}
	}
	env.Do(t, "POST", "/api/v1/admin/webhooks", officer.Token, map[string]any{"url": "https://example.org/", "events": []string{"need.submitted"}}).Expect(t, 403)
}
