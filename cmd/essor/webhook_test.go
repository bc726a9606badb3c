package main

import (
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// TestWebhookSurvivesCrash kills `essor serve` with SIGKILL after a change
// whose delivery could not go yet (the target was down): after the restart
// the delivery arrives once, signed, with the webhook-id it was written with.
func TestWebhookSurvivesCrash(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // the target is down for now
	in := newInstance(t, "ESSOR_WEBHOOK_ALLOW_PRIVATE=true")
	for _, u := range [][]string{{"admin@region.fr", "admin"}, {"mairie@dole.fr", "actor"}} {
		if code, out := in.run("mot-de-passe-solide\n", "user", "add", "--email", u[0], "--name", "Compte "+u[1], "--role", u[1], "--organisation", "Org "+u[1]); code != 0 {
			t.Fatalf("user add: %s", out)
		}
	}
	in.start()
	admin, actor := in.login("admin@region.fr"), in.login("mairie@dole.fr")
	status, hook := in.do("POST", "/api/v1/admin/webhooks", admin, map[string]any{"url": "http://" + addr + "/hook", "events": []string{"need.submitted"}})
	if status != 201 {
		t.Fatalf("register: %d %v", status, hook)
	}
	status, need := in.do("POST", "/api/v1/needs", actor, map[string]any{"title": "Transport solidaire vers les soins",
		"description": "Les habitants des villages sans voiture renoncent à leurs rendez-vous médicaux.", "theme": "mobility", "territory_code": "39"})
	if status != 201 {
		t.Fatalf("submit: %d %v", status, need)
	}
	deliveries := func() map[string]any {
		_, page := in.do("GET", "/api/v1/admin/webhooks/"+hook["id"].(string)+"/deliveries", admin, nil)
		if items, _ := page["items"].([]any); len(items) == 1 {
			return items[0].(map[string]any)
		}
		return nil
	}
	var written map[string]any
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if d := deliveries(); d != nil && d["attempts"].(float64) >= 1 {
			written = d
			break
		}
	}
	if written == nil || written["status"] != "pending" {
		t.Fatalf("no failed attempt while the target was down: %v", written)
	}
	in.kill()

	var mu sync.Mutex
	var ids []string
	target, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the target's port was taken meanwhile: %v", err)
	}
	secret := hook["secret"].(string)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		wh, _ := standardwebhooks.NewWebhook(secret)
		if err := wh.Verify(body, r.Header); err != nil {
			t.Errorf("signature: %v", err)
		}
		mu.Lock()
		ids = append(ids, r.Header.Get("webhook-id"))
		mu.Unlock()
	})}
	go func() { _ = srv.Serve(target) }()
	defer srv.Close()

	in.start()
	for deadline := time.Now().Add(150 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) { // a loaded machine: the schedule ticks each minute
		if d := deliveries(); d != nil && d["status"] == "delivered" {
			break
		}
	}
	time.Sleep(4 * time.Second) // a second delivery would come within a sending round
	mu.Lock()
	defer mu.Unlock()
	if len(ids) != 1 || ids[0] != written["id"] {
		t.Fatalf("received %v, want once %v", ids, written["id"])
	}
}
