package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"essor/internal/testenv"
)

// The indicators over HTTP: public without a token, filtered, refused
// filters named, the CSV a French spreadsheet reads, the pages and the
// open-data export without personal data.
func TestIndicatorsOverHTTP(t *testing.T) {
	env := testenv.New(t)
	p := newPipeline(t, env)
	p.act(p.officer, 200, map[string]any{"action": "qualify"})

	var r map[string]any
	env.Do(t, "GET", "/api/v1/indicators", "", nil).Expect(t, 200).JSON(t, &r)
	needs := r["needs"].(map[string]any)
	if needs["total"] != 1.0 {
		t.Fatalf("needs %v", needs)
	}
	env.Do(t, "GET", "/api/v1/indicators?territory=25", "", nil).Expect(t, 200).JSON(t, &r)
	if r["needs"].(map[string]any)["total"] != 0.0 {
		t.Fatalf("the Doubs has no need: %v", r["needs"])
	}
	for q, field := range map[string]string{"territory=nulle-part": "territory", "from=demain": "from",
		"from=2026-05-01&to=2026-04-01": "to", "to=9999-12-31": "to"} {
		if e := errorOf(t, env.Do(t, "GET", "/api/v1/indicators?"+q, "", nil).Expect(t, 422)); e.Fields[field] == "" {
			t.Errorf("%s: %v", q, e.Fields)
		}
	}

	raw := env.Do(t, "GET", "/api/v1/indicators.csv", "", nil).Expect(t, 200)
	body := string(raw.Body)
	if !strings.HasPrefix(body, "\ufeff") {
		t.Fatal("no BOM")
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, row := range rows {
		if row[0] == "needs_by_stage" && row[2] == "qualified" {
			found = row[3] == "Besoin qualifié" && row[4] == "1"
		}
	}
	if rows[0][0] != "Indicateur" || !found {
		t.Fatalf("csv %q", rows[:3])
	}

	// The funnel starts at the headline total, recounted: a need awaiting
	// information and a rejected one are needs submitted too.
	waiting, rejected := newPipeline(t, env), newPipeline(t, env)
	waiting.act(waiting.officer, 200, map[string]any{"action": "request_info", "comment": "Combien de familles ?"})
	rejected.act(rejected.officer, 200, map[string]any{"action": "reject", "reason": "Le besoin est déjà couvert par la CAF."})
	var total int
	if err := env.DB.Pool.QueryRow(context.Background(), "SELECT count(*) FROM needs").Scan(&total); err != nil || total != 3 {
		t.Fatalf("recount %d %v", total, err)
	}
	b := newBrowser(t, env)
	b.get("/indicateurs").expect(t, 200, "Indicateurs du plan ESS", "<svg", "Besoins ayant atteint chaque étape", "<table",
		`<div><dt>Besoins remontés</dt><dd>3</dd></div>`, `<th scope="row">Besoins déposés</th><td>3</td>`,
		`<th scope="row">Besoin qualifié</th><td>1</td>`)
	b.get("/indicateurs?from=hier").expect(t, 422, "« début de la période »")
	b.get("/indicateurs/territoires/39").expect(t, 200, "Fiche territoriale : Jura")
	b.get("/indicateurs/territoires/nulle-part").expect(t, 404)
	b.get("/indicateurs/rapport/2026").expect(t, 200, "Rapport annuel 2026")
	b.get("/indicateurs/rapport/1999").expect(t, 404)

	open := b.get("/donnees-ouvertes/besoins.csv").expect(t, 200)
	if strings.Contains(open.Body, "Mairie de Dole") || strings.Contains(open.Body, p.actor.Email) || !strings.Contains(open.Body, p.id) {
		t.Fatalf("open data: %s", open.Body)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(b.get("/donnees-ouvertes/besoins.json").expect(t, 200).Body), &list); err != nil || len(list) != total {
		t.Fatalf("open data JSON: %v %d", err, len(list))
	}
	for k := range list[0] {
		if strings.Contains(k, "submitted") || strings.Contains(k, "officer") || k == "organisation" {
			t.Fatalf("personal data in the open data: %s", k)
		}
	}
}

// Every list opens in a French spreadsheet, with the page's filters.
func TestListsAsCSV(t *testing.T) {
	env := testenv.New(t)
	p := newPipeline(t, env)
	b := newBrowser(t, env)
	read := func(path string) [][]string {
		t.Helper()
		r := b.get(path).expect(t, 200)
		if !strings.HasPrefix(r.Body, "\ufeff") || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s: not a CSV with a BOM", path)
		}
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff")))
		cr.Comma = ';'
		rows, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	if rows := read("/besoins.csv"); len(rows) != 2 || rows[1][0] != p.id || rows[1][5] != "Besoin remonté" {
		t.Fatalf("needs %q", rows)
	}
	if rows := read("/besoins.csv?stage=deployed"); len(rows) != 1 {
		t.Fatalf("filtered %q", rows)
	}
	b.get("/besoins.csv?stage=nope").expect(t, 422)
	if rows := read("/fonds-de-confiance.csv"); len(rows) != 1 || rows[0][1] != "Intitulé du projet" {
		t.Fatalf("study-actions %q", rows)
	}
	b.get("/besoins").expect(t, 200, "/besoins.csv?")
	for _, path := range []string{"/appels.csv", "/rallye.csv"} {
		if rows := read(path); len(rows) != 1 || rows[0][0] != "Identifiant" {
			t.Fatalf("%s %q", path, rows)
		}
	}
	b.get("/appels").expect(t, 200, "/appels.csv")
	b.get("/rallye").expect(t, 200, "/rallye.csv")
}
