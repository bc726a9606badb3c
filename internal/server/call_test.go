package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// waitStage polls a call until its workflow has moved it to stage (the
// call's own dates move it: nothing else to wait on).
func waitStage(t *testing.T, env *testenv.Env, token, id, stage string) {
	t.Helper()
	for range 600 {
		if env.Do(t, "GET", "/api/v1/calls/"+id, token, nil).Expect(t, 200).Map(t)["stage"] == stage {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("call %s never reached %s", id, stage)
}

// A whole call for projects over HTTP, against the real server and its
// Temporal: created scheduled, it opens and closes by itself at its dates;
// territories apply only in between, once per organisation and territory;
// the officer's selection is sent back by the committee (an applicant's
// member may not vote), proposed again, approved and published.
func TestCallEndToEnd(t *testing.T) {
	env := testenv.New(t)
	p := newPipeline(t, env)
	dole, officer := p.actor, p.officer
	jura := env.Account(t, "Communauté de communes du Jura", domain.RoleActor)
	c1 := env.Account(t, "Région", domain.RoleCommittee)
	c2 := env.Account(t, "État", domain.RoleCommittee)
	doleMember := env.Account(t, "mairie de dole", domain.RoleCommittee)

	e := errorOf(t, env.Do(t, "POST", "/api/v1/calls", officer.Token, map[string]any{"title": "Épiceries",
		"description": "Trop court", "opens_at": "demain", "closes_at": "2020-01-01"}).Expect(t, 422))
	for _, f := range []string{"description", "opens_at", "closes_at"} {
		if e.Fields[f] == "" {
			t.Errorf("no message on %s: %v", f, e.Fields)
		}
	}
	if !strings.Contains(e.Fields["opens_at"], "« ouverture »") {
		t.Errorf("the message names its field in French: %q", e.Fields["opens_at"])
	}
	env.Do(t, "POST", "/api/v1/calls", dole.Token, map[string]any{}).Expect(t, 403)
	unknown := errorOf(t, env.Do(t, "POST", "/api/v1/calls", officer.Token, map[string]any{"title": "Épiceries itinérantes",
		"description": "Des territoires pour une épicerie itinérante.", "opens_at": "2026-01-01", "closes_at": "2099-01-01",
		"need_ids": []string{"00000000-0000-0000-0000-000000000042"}}).Expect(t, 422))
	if unknown.Fields["need_ids"] == "" {
		t.Fatalf("an unknown need: %v", unknown.Fields)
	}

	now := time.Now()
	body := map[string]any{"title": "Territoires pilotes de l'épicerie itinérante",
		"description": "Nous cherchons des territoires pour expérimenter une épicerie solidaire itinérante.",
		"opens_at":    now.Add(3 * time.Second).Format(time.RFC3339), "closes_at": now.Add(14 * time.Second).Format(time.RFC3339),
		"need_ids": []string{p.id}}
	call := env.Do(t, "POST", "/api/v1/calls", officer.Token, body, "Idempotency-Key", "call-1").Expect(t, 201).Map(t)
	id := call["id"].(string)
	if call["stage"] != "scheduled" || call["applications_count"] != 0.0 || len(call["selected"].([]any)) != 0 ||
		call["need_ids"].([]any)[0] != p.id {
		t.Fatalf("created %v", call)
	}
	if again := env.Do(t, "POST", "/api/v1/calls", officer.Token, body, "Idempotency-Key", "call-1").Expect(t, 201).Map(t); again["id"] != id {
		t.Fatal("a retried creation made a second call")
	}
	apply := func(who testenv.Account, status int, code, motivation string) testenv.Response {
		t.Helper()
		return env.Do(t, "POST", "/api/v1/calls/"+id+"/applications", who.Token,
			map[string]any{"territory_code": code, "motivation": motivation}).Expect(t, status)
	}
	why := "Notre territoire a les partenaires et un local prêt à l'accueillir."
	if e := errorOf(t, apply(dole, 409, "39", why)); !strings.Contains(e.Message, "reçoit les candidatures du") {
		t.Fatalf("applying before the opening: %q", e.Message)
	}

	waitStage(t, env, officer.Token, id, "open")
	a := apply(dole, 201, "39", why).Map(t)
	if a["territory_code"] != "39" || a["motivation"] != why || a["organisation"] != "Mairie de Dole" {
		t.Fatalf("application %v", a)
	}
	apply(jura, 201, "39", why)
	apply(jura, 201, "25", why)
	if e := errorOf(t, apply(dole, 409, "39", why)); !strings.Contains(e.Message, "39") {
		t.Fatalf("a second application: %q", e.Message)
	}
	if e := errorOf(t, apply(dole, 422, "zz", "court")); e.Fields["territory_code"] == "" || e.Fields["motivation"] == "" {
		t.Fatalf("bad application: %v", e.Fields)
	}
	apply(officer, 403, "70", why)
	env.Do(t, "POST", "/api/v1/calls/"+id+"/proposal", officer.Token, map[string]any{"territory_codes": []string{"39"}}).Expect(t, 409)
	count := func(who testenv.Account) int {
		return len(env.Do(t, "GET", "/api/v1/calls/"+id+"/applications", who.Token, nil).Expect(t, 200).Map(t)["items"].([]any))
	}
	if count(officer) != 3 || count(c1) != 3 || count(dole) != 1 || count(jura) != 2 {
		t.Fatalf("applications seen: officer %d, committee %d, Dole %d, Jura %d", count(officer), count(c1), count(dole), count(jura))
	}
	// The trail shows an application to whoever may list it, and to nobody else.
	lure := env.Account(t, "Centre social de Lure", domain.RoleActor)
	inTrail := func(who testenv.Account) int {
		var evs []map[string]any
		env.Do(t, "GET", "/api/v1/calls/"+id+"/events", who.Token, nil).Expect(t, 200).JSON(t, &evs)
		n := 0
		for _, e := range evs {
			if e["action"] == "apply" {
				n++
			}
		}
		return n
	}
	if inTrail(officer) != 3 || inTrail(c1) != 3 || inTrail(dole) != 1 || inTrail(jura) != 2 || inTrail(lure) != 0 {
		t.Fatalf("applications in the trail: officer %d, committee %d, Dole %d, Jura %d, Lure %d",
			inTrail(officer), inTrail(c1), inTrail(dole), inTrail(jura), inTrail(lure))
	}
	newBrowser(t, env).get("/appels/"+id).expect(t, 200, "Territoires pilotes").lacks(t, jura.Organisation)

	waitStage(t, env, officer.Token, id, "closed")
	apply(jura, 409, "70", why)
	propose := func(status int, codes ...string) map[string]any {
		t.Helper()
		r := env.Do(t, "POST", "/api/v1/calls/"+id+"/proposal", officer.Token,
			map[string]any{"territory_codes": codes, "comment": "Les territoires les mieux préparés."}).Expect(t, status)
		if status != 200 {
			return nil
		}
		return r.Map(t)
	}
	if e := errorOf(t, env.Do(t, "POST", "/api/v1/calls/"+id+"/proposal", officer.Token,
		map[string]any{"territory_codes": []string{"70"}}).Expect(t, 422)); !strings.Contains(e.Fields["territory_codes"], "70") {
		t.Fatalf("a territory that did not apply: %v", e.Fields)
	}
	if c := propose(200, "39", "25"); c["stage"] != "deciding" {
		t.Fatalf("proposed: %v", c["stage"])
	}
	var pending []map[string]any
	env.Do(t, "GET", "/api/v1/committee/pending", c1.Token, nil).Expect(t, 200).JSON(t, &pending)
	if len(pending) != 1 || pending[0]["subject"] != "call" || pending[0]["id"] != id || pending[0]["quorum"] != 2.0 {
		t.Fatalf("pending %v (Dole's member has a stake: 2 members count, quorum 2)", pending)
	}
	vote := func(who testenv.Account, status int, decision string) map[string]any {
		t.Helper()
		r := env.Do(t, "POST", "/api/v1/calls/"+id+"/transitions", who.Token, map[string]any{"action": "vote", "decision": decision}).Expect(t, status)
		if status != 200 {
			return nil
		}
		return r.Map(t)
	}
	if e := errorOf(t, env.Do(t, "POST", "/api/v1/calls/"+id+"/transitions", doleMember.Token,
		map[string]any{"action": "vote", "decision": "approve"}).Expect(t, 403)); !strings.Contains(e.Message, "mairie de dole") {
		t.Fatalf("an applicant's member voted: %q", e.Message)
	}
	env.Do(t, "POST", "/api/v1/calls/"+id+"/transitions", c1.Token, map[string]any{"action": "apply"}).Expect(t, 422)
	vote(c1, 200, "back_to_study")
	member := newBrowser(t, env)
	member.signIn(c2.Email, c2.Password)
	member.get("/comite").expect(t, 200, "Territoires pilotes de l&#39;épicerie itinérante", "Appel à projets", "Renvoyer au chargé de mission")
	member.post("/comite/"+id+"/vote", url.Values{"decision": {"back_to_study"}}).expect(t, 303)
	c := env.Do(t, "GET", "/api/v1/calls/"+id, officer.Token, nil).Expect(t, 200).Map(t)
	if c["stage"] != "closed" || c["proposal"].(map[string]any)["outcome"] != "back_to_study" {
		t.Fatalf("sent back: %v %v", c["stage"], c["proposal"])
	}
	propose(200, "39")
	vote(c1, 200, "approve")
	c = vote(c2, 200, "approve")
	if c["stage"] != "published" || len(c["selected"].([]any)) != 1 || c["selected"].([]any)[0] != "39" {
		t.Fatalf("published: %v %v", c["stage"], c["selected"])
	}
	vote(c1, 409, "approve")

	var events []map[string]any
	env.Do(t, "GET", "/api/v1/calls/"+id+"/events", officer.Token, nil).Expect(t, 200).JSON(t, &events)
	var actions []string
	for _, e := range events {
		actions = append(actions, e["action"].(string))
	}
	if want := "create open apply apply apply close propose vote vote decide propose vote vote decide"; strings.Join(actions, " ") != want {
		t.Fatalf("audit trail %v, want %s", actions, want)
	}
	var ballots []map[string]any
	env.Do(t, "GET", "/api/v1/calls/"+id+"/votes", dole.Token, nil).Expect(t, 200).JSON(t, &ballots)
	if len(ballots) != 2 {
		t.Fatalf("ballots %v", ballots)
	}
	list := env.Do(t, "GET", "/api/v1/calls?stage=published", dole.Token, nil).Expect(t, 200).Map(t)
	if len(list["items"].([]any)) != 1 {
		t.Fatalf("list by stage: %v", list)
	}
	env.Do(t, "GET", "/api/v1/calls?stage=nope", dole.Token, nil).Expect(t, 422)
	env.Do(t, "GET", "/api/v1/calls/"+id+"/applications?limit=0", dole.Token, nil).Expect(t, 422)
	env.Do(t, "GET", "/api/v1/calls/00000000-0000-0000-0000-000000000042", dole.Token, nil).Expect(t, 404)

	anon := newBrowser(t, env)
	anon.get("/appels").expect(t, 200, "Territoires pilotes de l&#39;épicerie itinérante", "Sélection publiée")
	anon.get("/appels/"+id).expect(t, 200, "Territoires retenus", "Jura", "Besoin ").lacks(t, why)
}

// The web forms: an officer opens a call (refused with messages beside each
// field, then accepted); an actor applies from the call's page and sees
// their organisation's application.
func TestCallPages(t *testing.T) {
	env := testenv.New(t)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	actor := env.Account(t, "Mairie de Lons", domain.RoleActor)
	office := newBrowser(t, env)
	office.signIn(officer.Email, officer.Password)
	office.get("/appels/nouveau").expect(t, 200, "Date d&#39;ouverture")
	office.post("/appels/nouveau", url.Values{"title": {"Épi"}, "description": {"court"}, "opens_at": {"2026-13-01"},
		"closes_at": {""}}).expect(t, 422, "« ouverture »", "« clôture » est obligatoire")
	today := time.Now().In(domain.Paris)
	done := office.post("/appels/nouveau", url.Values{"title": {"Crèches à horaires atypiques"},
		"description": {"Des territoires pour accueillir des crèches ouvertes tôt le matin et tard le soir."},
		"opens_at":    {today.Format(time.DateOnly)}, "closes_at": {today.AddDate(0, 1, 0).Format(time.DateOnly)}}).expect(t, 303)
	at := done.Header.Get("Location")
	office.get(at).expect(t, 200, "Crèches à horaires atypiques", "Ouvert aux candidatures")

	page := newBrowser(t, env)
	page.signIn(actor.Email, actor.Password)
	page.get(at).expect(t, 200, "Candidater pour un territoire")
	page.post(at+"/candidature", url.Values{"territory_code": {""}, "motivation": {"court"}}).
		expect(t, 422, "« territoire » est obligatoire", "« motivation »")
	page.post(at+"/candidature", url.Values{"territory_code": {"39"},
		"motivation": {"Trois entreprises du bassin lédonien travaillent en horaires décalés."}}).expect(t, 303)
	page.get(at).expect(t, 200, "Les candidatures de votre organisation", "bassin lédonien")
	page.get("/appels").expect(t, 200, "Ouverts en ce moment", "Crèches à horaires atypiques")
	office.get(at).expect(t, 200, "bassin lédonien").lacks(t, "Proposer une sélection")
}
