package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"essor/internal/domain"
	"essor/internal/testenv"
)

func validNeed(title string) map[string]any {
	return map[string]any{
		"title": title, "description": "Les parents qui travaillent la nuit n'ont aucune solution de garde.",
		"theme": "early_childhood", "territory_code": "39", "beneficiaries": 120,
	}
}

func TestSubmitNeed(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Lons", domain.RoleActor)
	res := env.Do(t, "POST", "/api/v1/needs", actor.Token, validNeed("Garde d'enfants en horaires décalés")).Expect(t, http.StatusCreated)
	n := res.Map(t)
	for k, want := range map[string]any{"stage": "captured", "title": "Garde d'enfants en horaires décalés", "theme": "early_childhood",
		"territory_code": "39", "submitted_by": actor.ID, "supports": 0.0, "organisation": "Mairie de Lons", "beneficiaries": 120.0} {
		if n[k] != want {
			t.Errorf("%s = %v, want %v", k, n[k], want)
		}
	}
	for _, k := range []string{"id", "created_at", "updated_at"} {
		if s, _ := n[k].(string); s == "" {
			t.Errorf("%s missing", k)
		}
	}
	if c, ok := n["carriers"].([]any); !ok || len(c) != 0 {
		t.Errorf("carriers = %v", n["carriers"])
	}
	if d, ok := n["possible_duplicates"].([]any); !ok || len(d) != 0 {
		t.Errorf("possible_duplicates = %v", n["possible_duplicates"])
	}
	if loc := res.Header.Get("Location"); loc != "/api/v1/needs/"+n["id"].(string) {
		t.Errorf("Location %q", loc)
	}

	got := env.Do(t, "GET", "/api/v1/needs/"+n["id"].(string), actor.Token, nil).Expect(t, 200).Map(t)
	if got["id"] != n["id"] || got["stage"] != "captured" {
		t.Fatalf("read back %v", got)
	}

	dup := env.Do(t, "POST", "/api/v1/needs", actor.Token, validNeed("Garde d'enfants la nuit")).Expect(t, 201).Map(t)
	dups := dup["possible_duplicates"].([]any)
	if len(dups) != 1 || dups[0].(map[string]any)["id"] != n["id"] {
		t.Fatalf("possible_duplicates %v", dups)
	}
	if s := dups[0].(map[string]any)["similarity"].(float64); s <= 0 || s > 1 {
		t.Fatalf("similarity %v", s)
	}
}

func TestSubmitNeedRefusals(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Asso", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)

	env.Do(t, "POST", "/api/v1/needs", "", validNeed("Sans jeton")).Expect(t, 401)
	env.Do(t, "POST", "/api/v1/needs", "jeton-inconnu", validNeed("Mauvais jeton")).Expect(t, 401)
	forbidden := env.Do(t, "POST", "/api/v1/needs", officer.Token, validNeed("Un chargé ne dépose pas")).Expect(t, 403)
	if !strings.Contains(errorOf(t, forbidden).Message, "rôle") {
		t.Errorf("403 message %q", errorOf(t, forbidden).Message)
	}

	bad := env.Do(t, "POST", "/api/v1/needs", actor.Token, map[string]any{
		"title": "abc", "description": "court", "theme": "espace", "territory_code": "99", "beneficiaries": -3,
	}).Expect(t, 422)
	e := errorOf(t, bad)
	if e.Code != "validation_failed" {
		t.Errorf("code %s", e.Code)
	}
	for field, word := range map[string]string{"title": "titre", "description": "description", "theme": "thématique",
		"territory_code": "territoire", "beneficiaries": "bénéficiaires"} {
		if !strings.Contains(e.Fields[field], word) {
			t.Errorf("fields[%s] = %q, should name the field (%s)", field, e.Fields[field], word)
		}
	}
	missing := errorOf(t, env.Do(t, "POST", "/api/v1/needs", actor.Token, map[string]any{}).Expect(t, 422))
	for _, f := range []string{"title", "description", "theme", "territory_code"} {
		if !strings.Contains(missing.Fields[f], "obligatoire") {
			t.Errorf("missing %s: %q", f, missing.Fields[f])
		}
	}

	env.Do(t, "POST", "/api/v1/needs", actor.Token, `{"title": "oops"`).Expect(t, 400)
	env.Do(t, "POST", "/api/v1/needs", actor.Token, "").Expect(t, 400)
	env.Do(t, "POST", "/api/v1/needs", actor.Token, `[1,2]`).Expect(t, 400)
	unknown := env.Do(t, "POST", "/api/v1/needs", actor.Token, `{"title":"Titre correct","colour":"bleu"}`).Expect(t, 400)
	if !strings.Contains(errorOf(t, unknown).Message, "colour") {
		t.Errorf("unknown field message %q", errorOf(t, unknown).Message)
	}
	typed := errorOf(t, env.Do(t, "POST", "/api/v1/needs", actor.Token, `{"title":"Titre correct","beneficiaries":"beaucoup","theme":"lune"}`).Expect(t, 422))
	if !strings.Contains(typed.Fields["beneficiaries"], "nombre") || typed.Fields["theme"] == "" || typed.Fields["description"] == "" || typed.Fields["title"] != "" {
		t.Errorf("a type error should come with every other failing field: %+v", typed.Fields)
	}
	huge := `{"title":"` + strings.Repeat("a", 1<<20) + `"}`
	tooLarge := errorOf(t, env.Do(t, "POST", "/api/v1/needs", actor.Token, huge, "Expect", "100-continue").Expect(t, 413))
	if tooLarge.Code != "payload_too_large" || !strings.Contains(tooLarge.Message, "1 Mio") {
		t.Errorf("413 %+v", tooLarge)
	}

	en := errorOf(t, env.Do(t, "POST", "/api/v1/needs", actor.Token, map[string]any{}, "Accept-Language", "en-GB,en;q=0.9").Expect(t, 422))
	if !strings.Contains(en.Fields["title"], "required") {
		t.Errorf("English message %q", en.Fields["title"])
	}

	list := env.Do(t, "GET", "/api/v1/needs", actor.Token, nil).Expect(t, 200).Map(t)
	if items := list["items"].([]any); len(items) != 0 {
		t.Fatalf("refused submissions were stored: %v", items)
	}
}

func TestIdempotencyKey(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Asso", domain.RoleActor)
	body := validNeed("Épicerie solidaire itinérante")
	first := env.Do(t, "POST", "/api/v1/needs", actor.Token, body, "Idempotency-Key", "k-1").Expect(t, 201)
	again := env.Do(t, "POST", "/api/v1/needs", actor.Token, body, "Idempotency-Key", "k-1").Expect(t, 201)
	if first.Map(t)["id"] != again.Map(t)["id"] || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay gave %s", again.Body)
	}
	other := validNeed("Une autre épicerie solidaire")
	e := errorOf(t, env.Do(t, "POST", "/api/v1/needs", actor.Token, other, "Idempotency-Key", "k-1").Expect(t, 422))
	if !strings.Contains(e.Message, "clé") {
		t.Errorf("message %q", e.Message)
	}
	// A refused request is replayed as refused too, and changes nothing.
	env.Do(t, "POST", "/api/v1/needs", actor.Token, map[string]any{}, "Idempotency-Key", "k-2").Expect(t, 422)
	env.Do(t, "POST", "/api/v1/needs", actor.Token, map[string]any{}, "Idempotency-Key", "k-2").Expect(t, 422)

	// Concurrent retries of one submission make one need.
	var wg sync.WaitGroup
	ids := make([]string, 6)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := env.Do(t, "POST", "/api/v1/needs", actor.Token, validNeed("Jardin partagé au pied des immeubles"), "Idempotency-Key", "k-3")
			if r.Status != 201 {
				t.Errorf("concurrent retry: %d %s", r.Status, r.Body)
				return
			}
			ids[i] = r.Map(t)["id"].(string)
		}()
	}
	wg.Wait()
	list := env.Do(t, "GET", "/api/v1/needs?q=jardin", actor.Token, nil).Expect(t, 200).Map(t)
	if n := len(list["items"].([]any)); n != 1 {
		t.Fatalf("%d needs for one idempotent submission", n)
	}
	for _, id := range ids {
		if id != list["items"].([]any)[0].(map[string]any)["id"] {
			t.Fatalf("retry answered another need %s", id)
		}
	}
}

// pipeline is a need walked through the emergence process over HTTP.
type pipeline struct {
	t       *testing.T
	env     *testenv.Env
	id      string
	actor   testenv.Account
	officer testenv.Account
}

func (p *pipeline) act(who testenv.Account, status int, body map[string]any) map[string]any {
	p.t.Helper()
	return p.env.Do(p.t, "POST", "/api/v1/needs/"+p.id+"/transitions", who.Token, body).Expect(p.t, status).Map(p.t)
}

func (p *pipeline) events() []map[string]any {
	p.t.Helper()
	var evs []map[string]any
	p.env.Do(p.t, "GET", "/api/v1/needs/"+p.id+"/events", p.actor.Token, nil).Expect(p.t, 200).JSON(p.t, &evs)
	return evs
}

func newPipeline(t *testing.T, env *testenv.Env) *pipeline {
	p := &pipeline{t: t, env: env, actor: env.Account(t, "Mairie de Dole", domain.RoleActor), officer: env.Account(t, "FCA", domain.RoleOfficer)}
	p.id = env.Do(t, "POST", "/api/v1/needs", p.actor.Token, validNeed(fmt.Sprintf("Besoin %p", p))).Expect(t, 201).Map(t)["id"].(string)
	return p
}

func TestWholePipelineOverHTTP(t *testing.T) {
	env := testenv.New(t)
	p := newPipeline(t, env)
	c1 := env.Account(t, "Région", domain.RoleCommittee)
	c2 := env.Account(t, "État", domain.RoleCommittee)
	c3 := env.Account(t, "CDC", domain.RoleCommittee)
	supporter := env.Account(t, "Centre social", domain.RoleActor)

	env.Do(t, "POST", "/api/v1/needs/"+p.id+"/supports", supporter.Token, nil).Expect(t, 201)
	env.Do(t, "POST", "/api/v1/needs/"+p.id+"/supports", supporter.Token, nil).Expect(t, 409)

	p.act(p.officer, 200, map[string]any{"action": "request_info", "comment": "Combien de familles ?"})
	p.act(p.actor, 200, map[string]any{"action": "provide_info", "comment": "Une quarantaine de familles."})
	if n := p.act(p.officer, 200, map[string]any{"action": "qualify"}); n["stage"] != "qualified" {
		t.Fatalf("qualify → %v", n["stage"])
	}
	p.act(p.officer, 200, map[string]any{"action": "start_study", "due_date": "2099-03-01"})
	n := p.act(p.officer, 200, map[string]any{"action": "submit_study", "recommendation": "go", "summary": "Le modèle économique tient avec la CAF.", "budget_eur": 45000.5})
	if n["stage"] != "committee" {
		t.Fatalf("submit_study → %v", n["stage"])
	}
	// three members: the quorum is two
	if n := p.act(c1, 200, map[string]any{"action": "vote", "decision": "reject"}); n["stage"] != "committee" {
		t.Fatalf("one vote decided: %v", n["stage"])
	}
	if n := p.act(c2, 200, map[string]any{"action": "vote", "decision": "approve"}); n["stage"] != "committee" {
		t.Fatalf("a tie decided: %v", n["stage"])
	}
	if n := p.act(c1, 200, map[string]any{"action": "vote", "decision": "approve", "comment": "Convaincue"}); n["stage"] != "carrier_search" {
		t.Fatalf("changed vote should decide: %v", n["stage"])
	}
	p.act(c3, 409, map[string]any{"action": "vote", "decision": "reject"})

	n = p.act(p.actor, 200, map[string]any{"action": "propose_carrier", "organisation": "Crèche Les Lucioles", "contact": "direction@lucioles.fr", "motivation": "Nous ouvrons déjà le samedi et pouvons recruter."})
	carrier := n["carriers"].([]any)[0].(map[string]any)
	if carrier["chosen"] != false || carrier["proposed_by"] != p.actor.ID {
		t.Fatalf("carrier %v", carrier)
	}
	n = p.act(p.officer, 200, map[string]any{"action": "start_pilot", "carrier_id": carrier["id"], "territories": []string{"39", "ze-dole"},
		"start_date": "2027-01-01", "end_date": "2027-12-31", "budget_eur": 45000.5,
		"indicators": []map[string]any{{"key": "familles", "label": "Familles accueillies", "target": 40}}})
	if n["stage"] != "pilot" || n["carriers"].([]any)[0].(map[string]any)["chosen"] != true || n["pilot"].(map[string]any)["budget_eur"] != 45000.5 {
		t.Fatalf("pilot %v", n)
	}
	p.act(p.officer, 200, map[string]any{"action": "deploy", "territories": []string{"39"}, "evaluation": map[string]any{
		"results": []map[string]any{{"key": "familles", "value": 38}}, "lessons": "Le samedi matin concentre la demande.", "recommendation": "deploy"}})
	if n := p.act(p.officer, 200, map[string]any{"action": "complete", "jobs_created": 2,
		"structure": map[string]any{"name": "Crèche Les Lucioles", "legal_form": "association", "origin": "taken_over"},
		"funders":   []map[string]any{{"kind": "region", "name": "Région", "amount_eur": 45000.5}}}); n["stage"] != "deployed" {
		t.Fatalf("complete → %v", n["stage"])
	}
	e := errorOf(t, env.Do(t, "POST", "/api/v1/needs/"+p.id+"/transitions", p.officer.Token, map[string]any{"action": "abandon", "reason": "Trop tard pour ça"}).Expect(t, 409))
	if !strings.Contains(e.Message, "Déployé") {
		t.Errorf("409 should name the current stage: %q", e.Message)
	}

	evs := p.events()
	var trail []string
	for _, e := range evs {
		trail = append(trail, e["action"].(string))
	}
	want := "submit support request_info provide_info qualify start_study submit_study vote vote vote decide propose_carrier start_pilot deploy complete"
	if strings.Join(trail, " ") != want {
		t.Fatalf("trail\n got %s\nwant %s", strings.Join(trail, " "), want)
	}
	if evs[0]["from_stage"] != nil || evs[0]["to_stage"] != "captured" || evs[10]["actor"] != "system" || evs[9]["comment"] != "Convaincue" {
		t.Fatalf("events %v / %v / %v", evs[0], evs[10], evs[9])
	}
	var ballots []map[string]any
	env.Do(t, "GET", "/api/v1/needs/"+p.id+"/votes", p.officer.Token, nil).Expect(t, 200).JSON(t, &ballots)
	if len(ballots) != 1 || ballots[0]["outcome"] != "approve" || len(ballots[0]["votes"].([]any)) != 2 {
		t.Fatalf("ballots %v", ballots)
	}
}

func TestTransitionRefusalsChangeNothing(t *testing.T) {
	env := testenv.New(t)
	p := newPipeline(t, env)
	committee := env.Account(t, "Région", domain.RoleCommittee)
	before := len(p.events())

	p.act(p.actor, 403, map[string]any{"action": "qualify"})
	p.act(committee, 403, map[string]any{"action": "deploy"})
	e := errorOf(t, env.Do(t, "POST", "/api/v1/needs/"+p.id+"/transitions", p.officer.Token, map[string]any{"action": "deploy"}).Expect(t, 409))
	if !strings.Contains(e.Message, "Besoin remonté") {
		t.Errorf("409 message %q", e.Message)
	}
	p.act(p.officer, 422, map[string]any{"action": "teleport"})
	bad := errorOf(t, env.Do(t, "POST", "/api/v1/needs/"+p.id+"/transitions", p.officer.Token, map[string]any{"action": "reject"}).Expect(t, 422))
	if !strings.Contains(bad.Fields["reason"], "motif") {
		t.Errorf("reason message %q", bad.Fields["reason"])
	}
	p.act(p.officer, 422, map[string]any{"action": "merge", "into": "00000000-0000-0000-0000-000000000000"})
	p.act(p.officer, 422, map[string]any{"action": "merge", "into": p.id})
	p.act(p.officer, 200, map[string]any{"action": "qualify"})
	p.act(p.officer, 422, map[string]any{"action": "start_study", "due_date": "2001-01-01"})
	p.act(p.officer, 422, map[string]any{"action": "start_study", "due_date": "bientôt"})
	env.Do(t, "POST", "/api/v1/needs/"+p.id+"/transitions", p.officer.Token, `{"action":"start_study","due":"2099-01-01"}`).Expect(t, 400)
	env.Do(t, "POST", "/api/v1/needs/00000000-0000-0000-0000-000000000000/transitions", p.officer.Token, map[string]any{"action": "qualify"}).Expect(t, 404)
	env.Do(t, "POST", "/api/v1/needs/pas-un-id/transitions", p.officer.Token, map[string]any{"action": "qualify"}).Expect(t, 404)

	if after := len(p.events()); after != before+1 {
		t.Fatalf("refused actions wrote events: %d → %d", before, after)
	}
}

func TestMergeRecordsOnBothNeeds(t *testing.T) {
	env := testenv.New(t)
	a := newPipeline(t, env)
	b := newPipeline(t, env)
	b.officer = a.officer
	n := a.act(a.officer, 200, map[string]any{"action": "merge", "into": b.id, "comment": "Même besoin"})
	if n["stage"] != "merged" || n["merged_into"] != b.id {
		t.Fatalf("merged %v", n)
	}
	waitFor(t, func() bool {
		for _, e := range b.events() {
			if e["action"] == "merged_from" && e["data"].(map[string]any)["need_id"] == a.id {
				return true
			}
		}
		return false
	})
	// a merged need takes no more actions
	a.act(a.officer, 409, map[string]any{"action": "qualify"})
}

func TestListNeeds(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Asso", domain.RoleActor)
	for i, c := range []struct{ title, theme, territory string }{
		{"Logement des saisonniers", "housing", "25"},
		{"Logements passerelles pour jeunes", "housing", "39"},
		{"Maison de santé rurale", "health", "39"},
	} {
		body := map[string]any{"title": c.title, "theme": c.theme, "territory_code": c.territory,
			"description": fmt.Sprintf("Description numéro %d assez longue pour passer.", i)}
		env.Do(t, "POST", "/api/v1/needs", actor.Token, body).Expect(t, 201)
	}
	count := func(q string) int {
		m := env.Do(t, "GET", "/api/v1/needs?"+q, actor.Token, nil).Expect(t, 200).Map(t)
		return len(m["items"].([]any))
	}
	for q, want := range map[string]int{"": 3, "theme=housing": 2, "territory=39": 2, "theme=housing&territory=39": 1,
		"q=logement": 2, "q=sante": 1, "stage=captured": 3, "stage=pilot": 0, "stage=captured,pilot": 3, "territory=90": 0} {
		if got := count(q); got != want {
			t.Errorf("?%s: %d needs, want %d", q, got, want)
		}
	}
	page := env.Do(t, "GET", "/api/v1/needs?limit=2", actor.Token, nil).Expect(t, 200).Map(t)
	next, _ := page["next_cursor"].(string)
	if len(page["items"].([]any)) != 2 || next == "" {
		t.Fatalf("page 1 %v", page)
	}
	last := env.Do(t, "GET", "/api/v1/needs?limit=2&cursor="+next, actor.Token, nil).Expect(t, 200).Map(t)
	if len(last["items"].([]any)) != 1 || last["next_cursor"] != nil {
		t.Fatalf("page 2 %v", last)
	}
	if first := page["items"].([]any)[0].(map[string]any); first["title"] != "Maison de santé rurale" {
		t.Fatalf("not newest first: %v", first["title"])
	}
	limit := errorOf(t, env.Do(t, "GET", "/api/v1/needs?limit=500", actor.Token, nil).Expect(t, 422))
	if limit.Fields["limit"] != "Le paramètre « limit » doit être un entier entre 1 et 200." {
		t.Errorf("limit message %q", limit.Fields["limit"])
	}
	for _, q := range []string{"limit=0", "limit=201", "limit=deux", "stage=lune", "cursor=zzz"} {
		e := errorOf(t, env.Do(t, "GET", "/api/v1/needs?"+q, actor.Token, nil).Expect(t, 422))
		if len(e.Fields) != 1 {
			t.Errorf("?%s fields %v", q, e.Fields)
		}
	}
	env.Do(t, "GET", "/api/v1/needs", "", nil).Expect(t, 401)

	t.Run("a list item carries an excerpt", func(t *testing.T) {
		long := strings.Repeat("Les familles du bassin de Lure n'ont pas de crèche ouverte la nuit. ", 40)
		id := env.Do(t, "POST", "/api/v1/needs", actor.Token, map[string]any{"title": "Crèche à horaires décalés", "theme": "early_childhood",
			"territory_code": "70", "description": long}).Expect(t, 201).Map(t)["id"].(string)
		item := env.Do(t, "GET", "/api/v1/needs?limit=1", actor.Token, nil).Expect(t, 200).Map(t)["items"].([]any)[0].(map[string]any)
		excerpt, _ := item["excerpt"].(string)
		if item["id"] != id || item["description"] != excerpt || item["description_truncated"] != true ||
			!strings.HasSuffix(excerpt, "…") || len([]rune(excerpt)) > 281 || !strings.HasPrefix(long, strings.TrimSuffix(excerpt, "…")) {
			t.Fatalf("list item %v", item)
		}
		whole := env.Do(t, "GET", "/api/v1/needs/"+id, actor.Token, nil).Expect(t, 200).Map(t)
		if whole["description"] != strings.TrimSpace(long) || whole["description_truncated"] != false {
			t.Fatalf("GET the need: description %d characters, truncated %v", len(whole["description"].(string)), whole["description_truncated"])
		}
	})
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if ok() {
			return
		}
		sleep()
	}
	t.Fatal("condition not met in time")
}
