package server_test

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"essor/internal/domain"
	"essor/internal/testenv"
	"essor/workflows"
)

// roundBody is a round whose phases all lie ahead (the organiser moves it
// on), the stages phase days from..to after today.
func roundBody(title string) map[string]any {
	day := func(d int) string { return time.Now().AddDate(0, 0, d).Format(time.DateOnly) }
	return map[string]any{
		"title": title,
		"phases": []map[string]any{
			{"phase": "characterisation", "starts_at": day(30), "ends_at": day(60)},
			{"phase": "organisation", "starts_at": day(61), "ends_at": day(120)},
			{"phase": "launch", "starts_at": day(150), "ends_at": day(151)},
			{"phase": "identification", "starts_at": day(150), "ends_at": day(250)},
			{"phase": "stages", "starts_at": day(260), "ends_at": day(320)},
			{"phase": "closing", "starts_at": day(400), "ends_at": day(401)},
		},
		"categories": []string{"Emploi et insertion", "Habitat, logement; énergie"},
		"criteria": []map[string]any{{"key": "utility", "label": "Utilité sociale", "weight": 2},
			{"key": "innovation", "label": "Caractère innovant", "weight": 1}},
	}
}

func rallyEntry(org, title, category string) map[string]any {
	return map[string]any{"organisation": org, "kind": "ess", "title": title,
		"description": "Une innovation sociale décrite avec assez de détails pour le jury.", "category": category}
}

func errorCode(t *testing.T, r testenv.Response) string {
	t.Helper()
	var body struct {
		Error struct {
			Code    string            `json:"code"`
			Message string            `json:"message"`
			Fields  map[string]string `json:"fields"`
		} `json:"error"`
	}
	r.JSON(t, &body)
	return body.Error.Code + ": " + body.Error.Message
}

// TestRallyRoundEndToEnd drives a whole round over HTTP: set-up (with
// mistakes), advancing through the six phases, entries only during
// identification, jurors scoring (never their own organisation's entry),
// the selection with an entry listed apart, a stage, a trophy, the public
// results and the calendar, parsed by a real iCalendar parser.
func TestRallyRoundEndToEnd(t *testing.T) {
	env := testenv.New(t)
	org := env.Account(t, "FACT", domain.RoleOrganiser)
	actorA := env.Account(t, "Coop Bois", domain.RoleActor)
	actorB := env.Account(t, "Garage Solidaire", domain.RoleActor)
	actorC := env.Account(t, "Boulangerie Martin", domain.RoleActor)
	j1 := env.Account(t, "Région", domain.RoleJury)
	j2 := env.Account(t, "CRESS", domain.RoleJury)
	j3 := env.Account(t, "Coop Bois", domain.RoleJury)
	env.Account(t, "État", domain.RoleJury) // a fourth juror who never scores

	// Set-up: mistakes first, each field named in French.
	bad := roundBody("Ra")
	bad["phases"] = bad["phases"].([]map[string]any)[:5]
	bad["criteria"] = []map[string]any{{"key": "Utilité", "label": "U", "weight": 0}}
	res := env.Do(t, "POST", "/api/v1/rally/rounds", org.Token, bad).Expect(t, http.StatusUnprocessableEntity)
	var refused struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	res.JSON(t, &refused)
	for _, f := range []string{"title", "phases", "criteria"} {
		if !strings.Contains(refused.Error.Fields[f], "champ") {
			t.Errorf("no French message on %s: %v", f, refused.Error.Fields)
		}
	}
	env.Do(t, "POST", "/api/v1/rally/rounds", actorA.Token, roundBody("Rally'nov 2027")).Expect(t, http.StatusForbidden)
	env.Do(t, "POST", "/api/v1/rally/rounds", org.Token, `{"title": "Rally", "phases": "demain"}`).Expect(t, http.StatusUnprocessableEntity)

	round := env.Do(t, "POST", "/api/v1/rally/rounds", org.Token, roundBody("Rally'nov 2027"), "Idempotency-Key", "round-1").Expect(t, http.StatusCreated).Map(t)
	id := round["id"].(string)
	if round["current_phase"] != nil || round["entries_open"] != false {
		t.Fatalf("new round: %v", round)
	}
	again := env.Do(t, "POST", "/api/v1/rally/rounds", org.Token, roundBody("Rally'nov 2027"), "Idempotency-Key", "round-1").Expect(t, http.StatusCreated).Map(t)
	if again["id"] != id {
		t.Fatalf("a replayed creation made another round")
	}
	base := "/api/v1/rally/rounds/" + id
	advance := func(want string) {
		t.Helper()
		r := env.Do(t, "POST", base+"/phase", org.Token, map[string]any{"action": "advance"}).Expect(t, http.StatusOK).Map(t)
		if r["current_phase"] != want {
			t.Fatalf("advanced to %v, want %s", r["current_phase"], want)
		}
	}

	// Before identification: entries refused, naming its dates.
	advance("characterisation")
	res = env.Do(t, "POST", base+"/entries", actorA.Token, rallyEntry("Coop Bois", "Ressourcerie du bois", "Emploi et insertion")).Expect(t, http.StatusConflict)
	if msg := errorCode(t, res); !strings.Contains(msg, "pendant l'identification, du ") || !strings.Contains(msg, "caractérisation") {
		t.Fatalf("409: %s", msg)
	}
	env.Do(t, "POST", base+"/phase", actorA.Token, map[string]any{"action": "advance"}).Expect(t, http.StatusForbidden)
	env.Do(t, "POST", base+"/phase", org.Token, map[string]any{"action": "rewind"}).Expect(t, http.StatusUnprocessableEntity)
	advance("organisation")
	advance("launch")
	advance("identification")

	// Entries.
	entry := func(acc testenv.Account, body map[string]any) string {
		t.Helper()
		return env.Do(t, "POST", base+"/entries", acc.Token, body).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	}
	eA := entry(actorA, rallyEntry("Coop Bois", "Ressourcerie du bois", "emploi et insertion"))
	eB := entry(actorB, rallyEntry("Garage Solidaire", "Garage solidaire itinérant", "Emploi et insertion"))
	eC := entry(actorC, rallyEntry("Boulangerie Martin", "Pain suspendu en milieu rural", "Habitat, logement; énergie"))
	res = env.Do(t, "POST", base+"/entries", actorA.Token, map[string]any{"organisation": "C", "kind": "startup", "title": "Bo",
		"description": "court", "category": "Santé"}).Expect(t, http.StatusUnprocessableEntity)
	refused.Error.Fields = nil
	res.JSON(t, &refused)
	if len(refused.Error.Fields) != 5 {
		t.Fatalf("entry fields: %v", refused.Error.Fields)
	}
	var list struct {
		Items []map[string]any `json:"items"`
	}
	env.Do(t, "GET", base+"/entries", actorA.Token, nil).Expect(t, http.StatusOK).JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0]["id"] != eA {
		t.Fatalf("an actor sees %v", list.Items)
	}

	// Scoring: the grid, never one's own organisation, a new sheet replaces.
	score := func(acc testenv.Account, entryID string, u, i any) testenv.Response {
		return env.Do(t, "POST", base+"/entries/"+entryID+"/scores", acc.Token, map[string]any{"scores": map[string]any{"utility": u, "innovation": i}})
	}
	score(j1, eA, 5, 5).Expect(t, http.StatusOK)
	if got := score(j1, eA, 9, 6).Expect(t, http.StatusOK).Map(t); got["my_score"] != 8.0 || got["sheets"] != nil {
		t.Fatalf("replaced sheet: %v", got)
	}
	score(j2, eA, 7, 7).Expect(t, http.StatusOK)
	score(j1, eB, 8, 8).Expect(t, http.StatusOK)
	score(j2, eB, 8, 8).Expect(t, http.StatusOK)
	score(j3, eB, 8, 8).Expect(t, http.StatusOK)
	score(j1, eC, 10, 10).Expect(t, http.StatusOK) // one sheet of four: listed apart
	if msg := errorCode(t, score(j3, eA, 9, 9).Expect(t, http.StatusForbidden)); !strings.Contains(msg, "propre organisation") {
		t.Fatalf("own organisation: %s", msg)
	}
	score(j1, eA, 11, 5).Expect(t, http.StatusUnprocessableEntity)
	score(j1, eA, "neuf", 5).Expect(t, http.StatusUnprocessableEntity)
	score(org, eA, 5, 5).Expect(t, http.StatusForbidden)
	score(j1, "00000000-0000-4000-8000-000000000000", 5, 5).Expect(t, http.StatusNotFound)

	// Selection: eB (8, three sheets) then eA (7.5); eC apart.
	var sel struct {
		Selected []map[string]any `json:"selected"`
		Apart    []map[string]any `json:"apart"`
	}
	env.Do(t, "POST", base+"/selection", j1.Token, map[string]any{"count": 2}).Expect(t, http.StatusForbidden)
	env.Do(t, "POST", base+"/selection", org.Token, map[string]any{"count": 1.5}).Expect(t, http.StatusUnprocessableEntity)
	env.Do(t, "POST", base+"/selection", org.Token, map[string]any{"count": 2}).Expect(t, http.StatusOK).JSON(t, &sel)
	if len(sel.Selected) != 2 || sel.Selected[0]["entry_id"] != eB || sel.Selected[1]["entry_id"] != eA ||
		len(sel.Apart) != 1 || sel.Apart[0]["entry_id"] != eC || sel.Apart[0]["sheets_needed"] != 2.0 {
		t.Fatalf("selection: %+v", sel)
	}
	if msg := errorCode(t, score(j1, eA, 1, 1).Expect(t, http.StatusConflict)); !strings.Contains(msg, "notation est close") {
		t.Fatalf("scoring after selection: %s", msg)
	}
	env.Do(t, "POST", base+"/entries", actorC.Token, rallyEntry("Boulangerie Martin", "Une autre idée", "Emploi et insertion")).Expect(t, http.StatusConflict)

	// Stages, then the closing and its trophies.
	stageDay := time.Now().AddDate(0, 0, 270).Format(time.DateOnly)
	env.Do(t, "POST", base+"/stages", org.Token, map[string]any{"place": "Besançon", "day": time.Now().AddDate(0, 0, 100).Format(time.DateOnly),
		"entry_ids": []string{eB}}).Expect(t, http.StatusUnprocessableEntity)
	env.Do(t, "POST", base+"/stages", org.Token, map[string]any{"place": "Besançon", "day": stageDay, "entry_ids": []string{eC}}).Expect(t, http.StatusUnprocessableEntity)
	env.Do(t, "POST", base+"/stages", org.Token, map[string]any{"place": "Dole, salle Pasteur", "day": stageDay, "entry_ids": []string{eB, eA}}).Expect(t, http.StatusCreated)
	env.Do(t, "POST", base+"/trophies", org.Token, map[string]any{"category": "Emploi et insertion", "entry_id": eB}).Expect(t, http.StatusConflict)
	advance("stages")
	advance("closing")
	env.Do(t, "POST", base+"/phase", org.Token, map[string]any{"action": "advance"}).Expect(t, http.StatusConflict)
	env.Do(t, "POST", base+"/trophies", org.Token, map[string]any{"category": "Emploi et insertion", "entry_id": eC}).Expect(t, http.StatusUnprocessableEntity)
	env.Do(t, "POST", base+"/trophies", org.Token, map[string]any{"category": "Emploi et insertion", "entry_id": eB}).Expect(t, http.StatusCreated)
	env.Do(t, "POST", base+"/trophies", org.Token, map[string]any{"category": "Emploi et insertion", "entry_id": eA}).Expect(t, http.StatusConflict)

	// Public results and calendar: no token.
	var results struct {
		CurrentPhase string `json:"current_phase"`
		Selected     []struct {
			EntryID, Title string
			Rank           int
		} `json:"selected"`
		Trophies []struct {
			Category string `json:"category"`
			Entry    struct {
				Title string `json:"title"`
			} `json:"entry"`
		} `json:"trophies"`
		Stages []struct {
			Place string `json:"place"`
		} `json:"stages"`
	}
	env.Do(t, "GET", base+"/results", "", nil).Expect(t, http.StatusOK).JSON(t, &results)
	if results.CurrentPhase != "closing" || len(results.Selected) != 2 || len(results.Trophies) != 1 ||
		results.Trophies[0].Entry.Title != "Garage solidaire itinérant" || len(results.Stages) != 1 {
		t.Fatalf("results: %+v", results)
	}
	env.Do(t, "GET", base, "", nil).Expect(t, http.StatusUnauthorized)
	env.Do(t, "GET", "/api/v1/rally/rounds/00000000-0000-4000-8000-000000000000/results", "", nil).Expect(t, http.StatusNotFound)

	cal := env.Do(t, "GET", base+"/calendar.ics", "", nil).Expect(t, http.StatusOK)
	if ct := cal.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Fatalf("content type %q", ct)
	}
	checkCalendar(t, cal.Body, id, stageDay)
	// Importing it again names the same events.
	again2 := env.Do(t, "GET", base+"/calendar.ics", "", nil).Expect(t, http.StatusOK)
	if !bytes.Equal(cal.Body, again2.Body) {
		t.Fatal("the calendar changed between two reads")
	}

	// The audit trail holds every step.
	events, err := env.DB.Events(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); !strings.HasPrefix(got, "create advance advance advance advance enter enter enter score") ||
		!strings.HasSuffix(got, "select schedule_stage advance advance award") {
		t.Fatalf("events: %s", got)
	}
}

func checkCalendar(t *testing.T, body []byte, roundID, stageDay string) {
	t.Helper()
	for _, line := range strings.SplitAfter(string(body), "\r\n") {
		if len(strings.TrimSuffix(line, "\r\n")) > 75 {
			t.Errorf("line longer than 75 octets: %q", line)
		}
		if strings.Contains(strings.TrimSuffix(line, "\r\n"), "\n") {
			t.Errorf("bare LF in %q", line)
		}
	}
	c, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, body)
	}
	events := c.Events()
	if len(events) != 7 {
		t.Fatalf("%d events", len(events))
	}
	uids := map[string]*ics.VEvent{}
	for _, e := range events {
		uids[e.Id()] = e
	}
	ident := uids["phase-identification@"+roundID+".essor"]
	if ident == nil {
		t.Fatalf("no identification event: %v", uids)
	}
	if s := ident.GetProperty(ics.ComponentPropertySummary).Value; s != "Rally'nov 2027 — identification et sélection des projets" {
		t.Errorf("summary %q", s)
	}
	start, err := ident.GetAllDayStartAt()
	if err != nil || start.Format(time.DateOnly) != time.Now().AddDate(0, 0, 150).Format(time.DateOnly) {
		t.Errorf("identification starts %v (%v)", start, err)
	}
	var stage *ics.VEvent
	for uid, e := range uids {
		if strings.HasPrefix(uid, "stage-") {
			stage = e
		}
	}
	if stage == nil {
		t.Fatal("no stage event")
	}
	if loc := stage.GetProperty(ics.ComponentPropertyLocation).Value; loc != `Dole\, salle Pasteur` && loc != "Dole, salle Pasteur" {
		t.Errorf("location %q", loc)
	}
	if d, err := stage.GetAllDayStartAt(); err != nil || d.Format(time.DateOnly) != stageDay {
		t.Errorf("stage day %v (%v)", d, err)
	}
	if desc := stage.GetProperty(ics.ComponentPropertyDescription).Value; !strings.Contains(desc, "Garage solidaire itinérant") {
		t.Errorf("stage description %q", desc)
	}
}

// TestRecordRoundHistory writes a round's real history to workflows/testdata
// (ESSOR_RECORD_HISTORIES=1, as TestRecordHistories), for the replay test.
func TestRecordRoundHistory(t *testing.T) {
	if os.Getenv("ESSOR_RECORD_HISTORIES") == "" {
		t.Skip("set ESSOR_RECORD_HISTORIES=1 to record workflow histories")
	}
	env := testenv.New(t)
	org := env.Account(t, "FACT", domain.RoleOrganiser)
	actor := env.Account(t, "Coop Bois", domain.RoleActor)
	j1 := env.Account(t, "Région", domain.RoleJury)
	id := env.Do(t, "POST", "/api/v1/rally/rounds", org.Token, roundBody("Rally'nov enregistré")).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	base := "/api/v1/rally/rounds/" + id
	for range 4 {
		env.Do(t, "POST", base+"/phase", org.Token, map[string]any{"action": "advance"}).Expect(t, http.StatusOK)
	}
	e := env.Do(t, "POST", base+"/entries", actor.Token, rallyEntry("Coop Bois", "Ressourcerie du bois", "Emploi et insertion")).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	env.Do(t, "POST", base+"/entries/"+e+"/scores", j1.Token, map[string]any{"scores": map[string]any{"utility": 5, "innovation": 6}}).Expect(t, http.StatusOK)
	env.Do(t, "POST", base+"/entries/"+e+"/scores", j1.Token, map[string]any{"scores": map[string]any{"utility": 8, "innovation": 6}}).Expect(t, http.StatusOK)
	env.Do(t, "POST", base+"/selection", org.Token, map[string]any{"count": 1}).Expect(t, http.StatusOK)
	env.Do(t, "POST", base+"/stages", org.Token, map[string]any{"place": "Dole", "day": time.Now().AddDate(0, 0, 270).Format(time.DateOnly), "entry_ids": []string{e}}).Expect(t, http.StatusCreated)
	env.Do(t, "POST", base+"/phase", org.Token, map[string]any{"action": "advance"}).Expect(t, http.StatusOK)
	env.Do(t, "POST", base+"/phase", org.Token, map[string]any{"action": "advance"}).Expect(t, http.StatusOK)
	env.Do(t, "POST", base+"/trophies", org.Token, map[string]any{"category": "Emploi et insertion", "entry_id": e}).Expect(t, http.StatusCreated)
	writeHistory(t, env, workflows.RoundWorkflowID(id), "rally_round"+recorded+".json")
}
