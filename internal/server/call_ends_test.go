package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// Calls that end without a selection, over HTTP: a call closing with no
// application ends by itself; a closed call is ended by an officer with a
// reason (an actor may not, a reason is required, twice is a 409), from the
// API and from its page.
func TestCallEndsWithoutSelection(t *testing.T) {
	env := testenv.New(t)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	create := func(key string) string {
		now := time.Now()
		call := env.Do(t, "POST", "/api/v1/calls", officer.Token, map[string]any{"title": "Territoires pilotes " + key,
			"description": "Nous cherchons des territoires pour expérimenter une épicerie solidaire itinérante.",
			"opens_at":    now.Format(time.RFC3339), "closes_at": now.Add(4 * time.Second).Format(time.RFC3339)},
			"Idempotency-Key", key).Expect(t, 201).Map(t)
		return call["id"].(string)
	}
	empty, applied, fromPage := create("empty"), create("applied"), create("page")
	for _, id := range []string{applied, fromPage} {
		env.Do(t, "POST", "/api/v1/calls/"+id+"/applications", actor.Token, map[string]any{"territory_code": "39",
			"motivation": "Notre territoire a les partenaires et un local prêt."}).Expect(t, 201)
	}

	waitStage(t, env, officer.Token, empty, "no_applications")
	env.Do(t, "POST", "/api/v1/calls/"+empty+"/transitions", officer.Token,
		map[string]any{"action": "close_unsuccessful", "reason": "Personne n'a candidaté."}).Expect(t, 409)

	waitStage(t, env, officer.Token, applied, "closed")
	close := func(who testenv.Account, status int, body map[string]any) testenv.Response {
		t.Helper()
		return env.Do(t, "POST", "/api/v1/calls/"+applied+"/transitions", who.Token, body).Expect(t, status)
	}
	close(actor, 403, map[string]any{"action": "close_unsuccessful", "reason": "Je n'en veux plus."})
	if e := errorOf(t, close(officer, 422, map[string]any{"action": "close_unsuccessful"})); !strings.Contains(e.Fields["reason"], "motif") {
		t.Fatalf("without a reason: %v", e.Fields)
	}
	ended := close(officer, 200, map[string]any{"action": "close_unsuccessful", "reason": "Aucun territoire n'est prêt cette année."}).Map(t)
	if ended["stage"] != "unsuccessful" || ended["end_reason"] != "Aucun territoire n'est prêt cette année." {
		t.Fatalf("closed without result: %v", ended)
	}
	close(officer, 409, map[string]any{"action": "close_unsuccessful", "reason": "Une seconde fois."})
	events := string(env.Do(t, "GET", "/api/v1/calls/"+applied+"/events", officer.Token, nil).Expect(t, 200).Body)
	if !strings.Contains(events, `"close_unsuccessful"`) {
		t.Fatalf("the trail lacks the closing: %s", events)
	}

	waitStage(t, env, officer.Token, fromPage, "closed")
	office := newBrowser(t, env)
	office.signIn(officer.Email, officer.Password)
	office.get("/appels/"+fromPage).expect(t, 200, "Clore sans suite")
	visitor := newBrowser(t, env)
	visitor.signIn(actor.Email, actor.Password)
	visitor.get("/appels/"+fromPage).lacks(t, "Clore l'appel sans suite")
	refused := office.post("/appels/"+fromPage+"/cloture-sans-suite", url.Values{"reason": {""}})
	refused.expect(t, 422, "motif")
	office.post("/appels/"+fromPage+"/cloture-sans-suite", url.Values{"reason": {"Le besoin est couvert autrement."}}).expect(t, 303)
	office.get("/appels/"+fromPage).expect(t, 200, "Clos sans suite", "Le besoin est couvert autrement.").lacks(t, "Clore l'appel sans suite")
}
