package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// TestRallyJuryPerRound: a round has its own jury, named by its organiser;
// only its members score, "half the jury" counts them (twelve jury accounts
// elsewhere no longer set every entry apart), the selection is made per
// category and may be redone until a stage is scheduled, and only organisers
// see means and sheet counts (a juror sees their own sheet).
func TestRallyJuryPerRound(t *testing.T) {
	env := testenv.New(t)
	ctx := context.Background()
	org := env.Account(t, "FACT", domain.RoleOrganiser)
	actorA := env.Account(t, "Coop Bois", domain.RoleActor)
	actorB := env.Account(t, "Garage Solidaire", domain.RoleActor)
	var jurors []testenv.Account
	for _, o := range []string{"Région", "CRESS", "France Active", "État"} {
		jurors = append(jurors, env.Account(t, o, domain.RoleJury))
	}
	for range 8 { // past jurors, on no jury of this round
		env.Account(t, "Ancien jury", domain.RoleJury)
	}
	outsider := env.Account(t, "Ancien jury", domain.RoleJury)

	id := env.Do(t, "POST", "/api/v1/rally/rounds", org.Token, roundBody("Rally'nov des jurys")).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	base := "/api/v1/rally/rounds/" + id
	for range 4 {
		env.Do(t, "POST", base+"/phase", org.Token, map[string]any{"action": "advance"}).Expect(t, http.StatusOK)
	}
	eA := env.Do(t, "POST", base+"/entries", actorA.Token, rallyEntry("Coop Bois", "Ressourcerie du bois", "Emploi et insertion")).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	eA2 := env.Do(t, "POST", base+"/entries", actorA.Token, rallyEntry("Coop Bois", "Atelier vélo solidaire", "Emploi et insertion")).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	eB := env.Do(t, "POST", base+"/entries", actorB.Token, rallyEntry("Garage Solidaire", "Habitat partagé rural", "Habitat, logement; énergie")).Expect(t, http.StatusCreated).Map(t)["id"].(string)

	// Naming the jury: organisers only, jury accounts only, each field in French.
	ids := make([]string, len(jurors))
	for i, j := range jurors {
		ids[i] = j.ID
	}
	env.Do(t, "PUT", base+"/jurors", actorA.Token, map[string]any{"user_ids": ids}).Expect(t, http.StatusForbidden)
	env.Do(t, "PUT", base+"/jurors", jurors[0].Token, map[string]any{"user_ids": ids}).Expect(t, http.StatusForbidden)
	for _, bad := range []any{map[string]any{}, map[string]any{"user_ids": []string{}}, map[string]any{"user_ids": []string{"x"}},
		map[string]any{"user_ids": []string{actorA.ID}}, map[string]any{"user_ids": []string{"00000000-0000-4000-8000-000000000000"}}} {
		res := env.Do(t, "PUT", base+"/jurors", org.Token, bad).Expect(t, http.StatusUnprocessableEntity)
		if msg := string(res.Body); !strings.Contains(msg, "jurés") {
			t.Errorf("%v: %s", bad, msg)
		}
	}
	var named struct {
		Items []struct{ ID, Name, Organisation string } `json:"items"`
	}
	env.Do(t, "PUT", base+"/jurors", org.Token, map[string]any{"user_ids": append(ids, ids[0])}).Expect(t, http.StatusOK).JSON(t, &named)
	if len(named.Items) != 4 || named.Items[0].Organisation != "Région" {
		t.Fatalf("named: %+v", named.Items)
	}
	env.Do(t, "GET", base+"/jurors", jurors[1].Token, nil).Expect(t, http.StatusOK)
	env.Do(t, "GET", base+"/jurors", actorA.Token, nil).Expect(t, http.StatusForbidden)
	// The named jurors hear that entries await them; the others do not.
	var told int
	if err := env.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE subject_id = $1 AND kind = 'scores_awaited'
		AND recipient_id = ANY($2::uuid[]) AND data->>'action' = 'name_jury'`, id, ids).Scan(&told); err != nil || told != 4 {
		t.Fatalf("named jurors told: %d (%v)", told, err)
	}

	// Only the round's jurors score it.
	score := func(acc testenv.Account, entryID string, v float64) testenv.Response {
		return env.Do(t, "POST", base+"/entries/"+entryID+"/scores", acc.Token, map[string]any{"scores": map[string]any{"utility": v, "innovation": v}})
	}
	if msg := errorCode(t, score(outsider, eA, 5).Expect(t, http.StatusForbidden)); !strings.Contains(msg, "jury de cette édition") {
		t.Fatalf("outsider: %s", msg)
	}
	for i, e := range []string{eA, eA2, eB} {
		for _, j := range jurors[:2] {
			score(j, e, float64(5+i)).Expect(t, http.StatusOK)
		}
	}

	// A juror sees their own sheet, neither the count nor the mean.
	var entries struct {
		Items []map[string]any `json:"items"`
	}
	env.Do(t, "GET", base+"/entries", jurors[0].Token, nil).Expect(t, http.StatusOK).JSON(t, &entries)
	for _, e := range entries.Items {
		if _, ok := e["mean_score"]; ok {
			t.Errorf("a juror sees a mean: %v", e)
		}
		if _, ok := e["sheets"]; ok {
			t.Errorf("a juror sees a sheet count: %v", e)
		}
		if e["my_score"] == nil {
			t.Errorf("a juror misses their own sheet: %v", e)
		}
	}
	env.Do(t, "GET", base+"/entries", org.Token, nil).Expect(t, http.StatusOK).JSON(t, &entries)
	if entries.Items[0]["sheets"] != 2.0 || entries.Items[0]["mean_score"] == nil {
		t.Fatalf("the organiser's entries: %v", entries.Items[0])
	}

	// Per category: the best of each, none set apart (two sheets of four jurors).
	var sel struct {
		Counts   map[string]int   `json:"counts"`
		Selected []map[string]any `json:"selected"`
		Apart    []map[string]any `json:"apart"`
	}
	env.Do(t, "POST", base+"/selection", org.Token, map[string]any{"count": 1, "count_per_category": 1}).Expect(t, http.StatusUnprocessableEntity)
	env.Do(t, "POST", base+"/selection", org.Token, map[string]any{"counts": map[string]int{"Santé": 1}}).Expect(t, http.StatusUnprocessableEntity)
	env.Do(t, "POST", base+"/selection", org.Token, map[string]any{"count_per_category": 1}).Expect(t, http.StatusOK).JSON(t, &sel)
	if len(sel.Selected) != 2 || sel.Selected[0]["entry_id"] != eA2 || sel.Selected[1]["entry_id"] != eB || len(sel.Apart) != 0 ||
		sel.Counts["Emploi et insertion"] != 1 {
		t.Fatalf("per category: %+v", sel)
	}
	if msg := errorCode(t, env.Do(t, "PUT", base+"/jurors", org.Token, map[string]any{"user_ids": ids[:2]}).Expect(t, http.StatusConflict)); !strings.Contains(msg, "sélection faite") {
		t.Fatalf("jury after the selection: %s", msg)
	}

	// Others see ranks, never means, sheet counts or the entries set apart.
	for _, acc := range []testenv.Account{actorA, jurors[0]} {
		round := env.Do(t, "GET", base, acc.Token, nil).Expect(t, http.StatusOK).Map(t)
		s := round["selection"].(map[string]any)
		if _, ok := s["apart"]; ok {
			t.Errorf("%s sees the entries set apart", acc.Organisation)
		}
		for _, r := range s["selected"].([]any) {
			r := r.(map[string]any)
			if _, ok := r["mean"]; ok || r["rank"] != 1.0 {
				t.Errorf("%s sees %v", acc.Organisation, r)
			}
		}
	}
	var rounds struct {
		Items []map[string]any `json:"items"`
	}
	env.Do(t, "GET", "/api/v1/rally/rounds", actorB.Token, nil).Expect(t, http.StatusOK).JSON(t, &rounds)
	if strings.Contains(string(env.Do(t, "GET", "/api/v1/rally/rounds", actorB.Token, nil).Body), `"mean"`) {
		t.Error("the rounds list shows a mean")
	}
	round := env.Do(t, "GET", base, org.Token, nil).Expect(t, http.StatusOK).Map(t)
	if s := round["selection"].(map[string]any); s["selected"].([]any)[0].(map[string]any)["mean"] == nil || round["jury_size"] != 4.0 {
		t.Fatalf("the organiser's round: %v", round)
	}

	// Redone until a stage is scheduled.
	env.Do(t, "POST", base+"/selection", org.Token, map[string]any{"counts": map[string]int{"emploi et insertion": 2}}).Expect(t, http.StatusOK).JSON(t, &sel)
	if len(sel.Selected) != 2 || sel.Selected[0]["entry_id"] != eA2 || sel.Selected[1]["entry_id"] != eA {
		t.Fatalf("redone: %+v", sel)
	}
	env.Do(t, "POST", base+"/stages", org.Token, map[string]any{"place": "Dole", "day": time.Now().AddDate(0, 0, 270).Format(time.DateOnly),
		"entry_ids": []string{eA}}).Expect(t, http.StatusCreated)
	if msg := errorCode(t, env.Do(t, "POST", base+"/selection", org.Token, map[string]any{"count": 1}).Expect(t, http.StatusConflict)); !strings.Contains(msg, "ne se refait") {
		t.Fatalf("redo after a stage: %s", msg)
	}
}
