package server_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// TestSessionDecidesANeedAndAStudyAction: an officer plans a session, puts a
// need and a study-action waiting for the committee on its agenda (a
// subject sits on one session at a time), convenes it (every member hears
// of it), opens it with the attendance (refused without a quorum of
// institutions), approves the need with another budget and conditions and
// rejects the study-action, and closes it: each subject takes the decision
// as its ballot would.
func TestSessionDecidesANeedAndAStudyAction(t *testing.T) {
	env := testenv.New(t)
	ctx := context.Background()
	p := newPipeline(t, env)
	admin := env.Account(t, "Région", domain.RoleAdmin)
	host := env.Account(t, "Menuiserie Dupont", domain.RoleActor)
	region := env.Account(t, "Région", domain.RoleCommittee)
	state := env.Account(t, "Préfecture", domain.RoleCommittee)
	fca := env.Account(t, "France Active", domain.RoleCommittee)
	for slug, acc := range map[string]testenv.Account{"region": region, "state": state, "fca": fca} {
		env.Do(t, "PUT", "/api/v1/committee/institutions/"+slug+"/members", admin.Token, map[string]any{"user_ids": []string{acc.ID}}).Expect(t, 200)
	}
	apiAct(t, env, p.officer.Token, p.id,
		map[string]any{"action": "qualify"},
		map[string]any{"action": "start_study", "due_date": time.Now().AddDate(0, 3, 0).Format(time.DateOnly)},
		map[string]any{"action": "submit_study", "recommendation": "go", "budget_eur": 60000, "summary": "Le modèle économique tient avec la commune."})
	sa := env.Do(t, "POST", "/api/v1/study-actions", host.Token, application(p.id)).Expect(t, 201).Map(t)["id"].(string)
	env.Do(t, "POST", "/api/v1/study-actions/"+sa+"/transitions", p.officer.Token, map[string]any{"action": "appraise",
		"recommendation": "favourable", "opinion": "Profil solide, hôte motivé, calendrier tenable sur six mois."}).Expect(t, 200)

	// Planning, with bad input named.
	starts := time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)
	if e := errorOf(t, env.Do(t, "POST", "/api/v1/committee/sessions", p.officer.Token, map[string]any{"title": "C", "starts_at": "demain", "place": ""}).
		Expect(t, 422)); e.Fields["title"] == "" || e.Fields["starts_at"] == "" || e.Fields["place"] == "" {
		t.Fatalf("bad plan: %+v", e)
	}
	env.Do(t, "POST", "/api/v1/committee/sessions", region.Token, map[string]any{"title": "Comité de décembre", "starts_at": starts, "place": "Besançon"}).Expect(t, 403)
	s := env.Do(t, "POST", "/api/v1/committee/sessions", p.officer.Token, map[string]any{"title": "Comité de pilotage de décembre",
		"starts_at": starts, "place": "Hôtel de Région, Besançon"}).Expect(t, 201).Map(t)
	id := s["id"].(string)
	if s["stage"] != "planned" || len(s["agenda"].([]any)) != 0 {
		t.Fatalf("planned: %v", s)
	}
	base := "/api/v1/committee/sessions/" + id
	agenda := func(subject, sid string, status int) map[string]any {
		r := env.Do(t, "POST", base+"/agenda", p.officer.Token, map[string]any{"subject": subject, "id": sid,
			"report": "Le rapport de la chargée de mission."}).Expect(t, status)
		if status >= 300 {
			return nil
		}
		return r.Map(t)
	}
	agenda("need", p.id, 201)
	agenda("need", p.id, 409)                                   // already on it
	agenda("need", "00000000-0000-4000-8000-000000000000", 422) // no open decision
	if s = agenda("study_action", sa, 201); len(s["agenda"].([]any)) != 2 {
		t.Fatalf("agenda: %v", s["agenda"])
	}
	other := env.Do(t, "POST", "/api/v1/committee/sessions", p.officer.Token, map[string]any{"title": "Comité de janvier",
		"starts_at": time.Now().Add(240 * time.Hour).UTC().Format(time.RFC3339), "place": "Visioconférence"}).Expect(t, 201).Map(t)
	env.Do(t, "POST", "/api/v1/committee/sessions/"+other["id"].(string)+"/agenda", p.officer.Token,
		map[string]any{"subject": "need", "id": p.id}).Expect(t, 409) // one session at a time

	// Convening e-mails every member.
	transition := func(body map[string]any, status int) testenv.Response {
		return env.Do(t, "POST", base+"/transitions", p.officer.Token, body).Expect(t, status)
	}
	transition(map[string]any{"action": "open"}, 409) // not convened
	transition(map[string]any{"action": "convene"}, 200)
	var convened int
	if err := env.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE subject_id = $1 AND kind = 'session_convened'`, id).Scan(&convened); err != nil || convened != 3 {
		t.Fatalf("convened: %d %v", convened, err)
	}
	// Opening: attendance and quorum (2 of 3 institutions).
	attendance := func(statuses ...string) []map[string]any {
		var out []map[string]any
		for i, acc := range []testenv.Account{region, state, fca} {
			out = append(out, map[string]any{"user_id": acc.ID, "status": statuses[i]})
		}
		return out
	}
	if e := errorOf(t, transition(map[string]any{"action": "open", "attendance": attendance("present", "excused", "excused")}, 409)); !strings.Contains(e.Message, "1 institutions présentes ou représentées, il en faut 2") {
		t.Errorf("no quorum: %+v", e)
	}
	transition(map[string]any{"action": "open", "attendance": []map[string]any{{"user_id": p.actor.ID, "status": "present"}}}, 422)
	opened := transition(map[string]any{"action": "open", "attendance": attendance("present", "present", "excused")}, 200).Map(t)
	if opened["stage"] != "open" || opened["present"] != 2.0 || opened["quorum"] != 2.0 {
		t.Fatalf("opened: %v", opened)
	}

	decide := func(n string, body map[string]any, status int) testenv.Response {
		return env.Do(t, "POST", base+"/items/"+n+"/decision", p.officer.Token, body).Expect(t, status)
	}
	votes := map[string]any{"for": 2, "against": 0, "abstain": 0}
	decide("1", map[string]any{"decision": "approve"}, 422)                                 // no votes
	decide("1", map[string]any{"decision": "reject", "votes": votes, "budget_eur": 1}, 422) // a budget with a rejection, no reason
	decide("9", map[string]any{"decision": "approve", "votes": votes}, 422)
	decide("1", map[string]any{"decision": "approve", "votes": votes, "budget_eur": 45000,
		"conditions": "Un point d'étape au comité de juin.", "conflicts": []string{}}, 200)
	decide("1", map[string]any{"decision": "reject", "votes": votes, "reason": "Changement d'avis"}, 422) // decided
	decide("2", map[string]any{"decision": "reject", "votes": map[string]any{"for": 0, "against": 2, "abstain": 0},
		"reason": "Le plan de financement ne tient pas."}, 200)
	// The committee's page shows the session and which items are on its agenda (before the closing).
	cb := newBrowser(t, env)
	cb.signIn(region.Email, region.Password)
	cb.get("/comite").expect(t, 200, "Prochaines séances", "Comité de pilotage de décembre")
	closed := transition(map[string]any{"action": "close"}, 200).Map(t)
	if closed["stage"] != "closed" {
		t.Fatalf("closed: %v", closed)
	}

	// The subjects took the decisions (their workflows act on a signal).
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := env.Do(t, "GET", "/api/v1/needs/"+p.id, p.officer.Token, nil).Expect(t, 200).Map(t)
		st := env.Do(t, "GET", "/api/v1/study-actions/"+sa, p.officer.Token, nil).Expect(t, 200).Map(t)
		if n["stage"] == "carrier_search" && st["stage"] == "rejected" {
			if n["approved_budget_eur"] != 45000.0 || n["conditions"] != "Un point d'étape au comité de juin." {
				t.Errorf("the need's approval: %v %v", n["approved_budget_eur"], n["conditions"])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the subjects did not take the decisions: %v, %v", n["stage"], st["stage"])
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The session's page: attendance, quorum, decisions with budget and conditions; its invitation.
	page := cb.get("/comite/seances/"+id).expect(t, 200, "Comité de pilotage de décembre", "2 institutions présentes ou représentées sur 2 requises",
		"Approuvé", "pour : 2, contre : 0, abstentions : 0", "45", "Un point d&#39;étape au comité de juin.", "Rejeté", "Le plan de financement ne tient pas.")
	_ = page
	inv := cb.get("/comite/seances/" + id + "/invitation.ics")
	cal, err := ics.ParseCalendar(strings.NewReader(inv.Body))
	if err != nil || len(cal.Events()) != 1 || cal.Events()[0].GetProperty(ics.ComponentPropertySummary).Value != "Comité de pilotage de décembre" {
		t.Fatalf("invitation %v:\n%s", err, inv.Body)
	}
	newBrowser(t, env).get("/comite/seances/"+id).expect(t, 303) // signed out: to the sign-in page
	if r := env.Do(t, "GET", base+"/minutes", region.Token, nil).Expect(t, 200); r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(r.Body), "%PDF-") {
		t.Errorf("the minutes over the API: %v", r.Header)
	}
	minutes := cb.get("/comite/seances/" + id + "/proces-verbal.pdf")
	text, pages := readPDF(t, []byte(minutes.Body))
	for _, want := range []string{"Procès-verbal — Comité de pilotage de décembre", "Hôtel de Région, Besançon", "présent·e",
		"2 institutions présentes ou représentées sur 2 requises", "Approuvé — pour : 2, contre : 0, abstentions : 0",
		"Budget approuvé : 45000,00 €", "Conditions : Un point d'étape au comité de juin.", "Motif : Le plan de financement ne tient pas."} {
		if !strings.Contains(text, want) {
			t.Errorf("the minutes lack %q:\n%s", want, text)
		}
	}
	if pages < 1 {
		t.Errorf("%d pages", pages)
	}
	if r := env.Do(t, "GET", "/api/v1/indicators", p.officer.Token, nil).Expect(t, 200).Map(t); r["committee_sessions_held"] != 1.0 {
		t.Errorf("sessions held: %v", r["committee_sessions_held"])
	}
	var sessionID string
	if err := env.DB.Pool.QueryRow(ctx, `SELECT data ->> 'session_id' FROM events WHERE subject_id = $1 AND action = 'decide'`, p.id).
		Scan(&sessionID); err != nil || sessionID != id {
		t.Errorf("the decision carries the session: %q %v", sessionID, err)
	}
	// The January session, open, approves December's minutes: they are final.
	jan := "/api/v1/committee/sessions/" + other["id"].(string)
	env.Do(t, "POST", jan+"/transitions", p.officer.Token, map[string]any{"action": "convene"}).Expect(t, 200)
	env.Do(t, "POST", jan+"/transitions", p.officer.Token, map[string]any{"action": "open", "attendance": attendance("present", "present", "present")}).Expect(t, 200)
	env.Do(t, "POST", jan+"/transitions", p.officer.Token, map[string]any{"action": "approve_minutes", "minutes_of": other["id"]}).Expect(t, 409) // itself
	env.Do(t, "POST", jan+"/transitions", p.officer.Token, map[string]any{"action": "approve_minutes", "minutes_of": id}).Expect(t, 200)
	env.Do(t, "POST", jan+"/transitions", p.officer.Token, map[string]any{"action": "approve_minutes", "minutes_of": id}).Expect(t, 409) // twice
	if dec := env.Do(t, "GET", base, p.officer.Token, nil).Expect(t, 200).Map(t); dec["minutes_approved_in"] != other["id"] {
		t.Errorf("approved in: %v", dec["minutes_approved_in"])
	}
	cb.get("/comite/seances/"+id).expect(t, 200, "approuvé le")
	if text, _ := readPDF(t, []byte(cb.get("/comite/seances/"+id+"/proces-verbal.pdf").Body)); !strings.Contains(text, "il est définitif") {
		t.Errorf("the approved minutes:\n%s", text)
	}
	// Now free: the need's later decisions may go on another session.
	if on, err := env.DB.SessionOf(ctx, p.id); err != nil || on != "" {
		t.Errorf("still on a session: %q %v", on, err)
	}
}

// readPDF reads a PDF back with Poppler's tools, as a member's machine
// would: its text (pdftotext) and its number of pages (pdfinfo).
func readPDF(t *testing.T, pdf []byte) (string, int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pv.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (make test installs poppler-utils): %v", err)
	}
	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	pages := 0
	for _, line := range strings.Split(string(info), "\n") {
		if v, ok := strings.CutPrefix(line, "Pages:"); ok {
			pages, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	return strings.Join(strings.Fields(string(text)), " "), pages
}

// TestOfficerRunsASessionFromThePages: every step, with the pages' forms
// and no JavaScript: plan, put a need on the agenda, convene, open with the
// attendance, decide it, close.
func TestOfficerRunsASessionFromThePages(t *testing.T) {
	env := testenv.New(t)
	p := newPipeline(t, env)
	admin := env.Account(t, "Région", domain.RoleAdmin)
	region := env.Account(t, "Région", domain.RoleCommittee)
	state := env.Account(t, "Préfecture", domain.RoleCommittee)
	for slug, acc := range map[string]testenv.Account{"region": region, "state": state} {
		env.Do(t, "PUT", "/api/v1/committee/institutions/"+slug+"/members", admin.Token, map[string]any{"user_ids": []string{acc.ID}}).Expect(t, 200)
	}
	apiAct(t, env, p.officer.Token, p.id,
		map[string]any{"action": "qualify"},
		map[string]any{"action": "start_study", "due_date": time.Now().AddDate(0, 3, 0).Format(time.DateOnly)},
		map[string]any{"action": "submit_study", "recommendation": "go", "budget_eur": 60000, "summary": "Le modèle économique tient avec la commune."})
	b := newBrowser(t, env)
	b.signIn(p.officer.Email, p.officer.Password)
	b.get("/comite/seances").expect(t, 200, "Planifier une séance")
	b.post("/comite/seances", url.Values{"title": {"S"}, "starts_at": {"hier"}, "place": {""}}).expect(t, 422, "Intitulé")
	starts := time.Now().Add(72 * time.Hour).In(domain.Paris).Format("2006-01-02T15:04")
	r := b.post("/comite/seances", url.Values{"title": {"Comité de pilotage de janvier"}, "starts_at": {starts}, "place": {"Dole"}}).expect(t, 303)
	path := r.Header.Get("Location")
	actions := path + "/actions"
	b.get(path).expect(t, 200, "Conduire la séance", "Inscrire à l&#39;ordre du jour", "Convoquer les membres")
	b.post(actions, url.Values{"action": {"add_item"}, "item": {"need:" + p.id}, "report": {"Un rapport."}}).expect(t, 303)
	b.post(actions, url.Values{"action": {"convene"}}).expect(t, 303)
	b.post(actions, url.Values{"action": {"open"}, "user_ids": {region.ID, state.ID}, "status-" + region.ID: {"present"},
		"status-" + state.ID: {"excused"}}).expect(t, 409, "Quorum non atteint")
	b.post(actions, url.Values{"action": {"open"}, "user_ids": {region.ID, state.ID}, "status-" + region.ID: {"present"},
		"status-" + state.ID: {"excused"}, "proxy-" + state.ID: {region.ID}}).expect(t, 303) // État represented by Région's member
	b.get(path).expect(t, 200, "représenté·e")
	b.get(path).expect(t, 200, "Décider en séance", "Clore la séance")
	b.post(actions, url.Values{"action": {"decide_item"}, "n": {"1"}, "decision": {"approve"}, "votes_for": {"2"}, "votes_against": {"0"},
		"votes_abstain": {"0"}, "budget_eur": {"40 000"}, "conditions": {"Un bilan à six mois."}}).expect(t, 303)
	b.post(actions, url.Values{"action": {"close"}}).expect(t, 303)
	b.get(path).expect(t, 200, "Approuvé", "Un bilan à six mois.", "close")
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := env.Do(t, "GET", "/api/v1/needs/"+p.id, p.officer.Token, nil).Expect(t, 200).Map(t)
		if n["stage"] == "carrier_search" && n["approved_budget_eur"] == 40000.0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the need: %v %v", n["stage"], n["approved_budget_eur"])
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.get("/besoins/"+p.id).expect(t, 200, "Un bilan à six mois.") // once the need took the decision
	cb := newBrowser(t, env)
	cb.signIn(region.Email, region.Password)
	cb.get(path).expect(t, 200, "Approuvé").lacks(t, "Conduire la séance")
	cb.post(actions, url.Values{"action": {"close"}}).expect(t, 403)
}

// TestSessionDecidesACallProposal: a call's selection waiting for the
// committee is decided in session; the call publishes it, with the
// session's conditions.
func TestSessionDecidesACallProposal(t *testing.T) {
	env := testenv.New(t)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	dole := env.Account(t, "Mairie de Dole", domain.RoleActor)
	admin := env.Account(t, "Région", domain.RoleAdmin)
	region := env.Account(t, "Région", domain.RoleCommittee)
	env.Do(t, "PUT", "/api/v1/committee/institutions/region/members", admin.Token, map[string]any{"user_ids": []string{region.ID}}).Expect(t, 200)
	now := time.Now()
	call := env.Do(t, "POST", "/api/v1/calls", officer.Token, map[string]any{"title": "Territoires pilotes de l'épicerie itinérante",
		"description": "Nous cherchons des territoires pour expérimenter une épicerie solidaire itinérante.",
		"opens_at":    now.Add(2 * time.Second).Format(time.RFC3339), "closes_at": now.Add(6 * time.Second).Format(time.RFC3339)}).Expect(t, 201).Map(t)
	id := call["id"].(string)
	waitStage(t, env, officer.Token, id, "open")
	env.Do(t, "POST", "/api/v1/calls/"+id+"/applications", dole.Token, map[string]any{"territory_code": "39",
		"motivation": "Notre territoire a les partenaires et un local prêt à l'accueillir."}).Expect(t, 201)
	waitStage(t, env, officer.Token, id, "closed")
	env.Do(t, "POST", "/api/v1/calls/"+id+"/proposal", officer.Token, map[string]any{"territory_codes": []string{"39"},
		"comment": "Le territoire le mieux préparé."}).Expect(t, 200)

	s := env.Do(t, "POST", "/api/v1/committee/sessions", officer.Token, map[string]any{"title": "Comité de février",
		"starts_at": time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339), "place": "Dole"}).Expect(t, 201).Map(t)
	base := "/api/v1/committee/sessions/" + s["id"].(string)
	env.Do(t, "POST", base+"/agenda", officer.Token, map[string]any{"subject": "call", "id": id}).Expect(t, 201)
	env.Do(t, "POST", base+"/transitions", officer.Token, map[string]any{"action": "convene"}).Expect(t, 200)
	env.Do(t, "POST", base+"/transitions", officer.Token, map[string]any{"action": "open",
		"attendance": []map[string]any{{"user_id": region.ID, "status": "present"}}}).Expect(t, 200)
	env.Do(t, "POST", base+"/items/1/decision", officer.Token, map[string]any{"decision": "approve", "conditions": "Un bilan au bout d'un an.",
		"votes": map[string]any{"for": 1, "against": 0, "abstain": 0}}).Expect(t, 200)
	waitStage(t, env, officer.Token, id, "published")
	if c := env.Do(t, "GET", "/api/v1/calls/"+id, officer.Token, nil).Expect(t, 200).Map(t); len(c["selected"].([]any)) != 1 ||
		c["conditions"] != "Un bilan au bout d'un an." {
		t.Fatalf("published: %v %v", c["selected"], c["conditions"])
	}
	newBrowser(t, env).get("/appels/"+id).expect(t, 200, "Un bilan au bout d&#39;un an.")
}
