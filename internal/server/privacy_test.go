package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testenv"
)

// named gives a test account a recognisable name.
func named(t *testing.T, env *testenv.Env, a testenv.Account, name string) testenv.Account {
	t.Helper()
	a.Name = name
	if err := env.DB.UpdateUser(context.Background(), a.User); err != nil {
		t.Fatal(err)
	}
	return a
}

// body fetches an API resource as text.
func body(t *testing.T, env *testenv.Env, token, path string) string {
	t.Helper()
	return string(env.Do(t, "GET", path, token, nil).Expect(t, 200).Body)
}

// TestPersonalData walks the RGPD story: Alice, an individual (no
// organisation), submits a need, supports another, votes and proposes
// herself as carrier; an admin exports her data, then erases her; her name
// is gone from every record and does not come back when her live need moves.
func TestPersonalData(t *testing.T) {
	env := testenv.New(t)
	admin := named(t, env, env.Account(t, "Essor", domain.RoleAdmin), "Adèle Admin")
	alice := named(t, env, env.Account(t, "", domain.RoleActor, domain.RoleCommittee), "Alice Martin")
	officer := named(t, env, env.Account(t, "FCA", domain.RoleOfficer), "Olivier Chargé")
	centre := env.Account(t, "Centre social de Dole", domain.RoleActor)

	mine := apiNeed(t, env, alice, "Épicerie solidaire au village")
	mairie := env.Account(t, "Mairie de Lons", domain.RoleActor)
	other := apiNeed(t, env, mairie, "Garage solidaire pour les familles")
	env.Do(t, "POST", "/api/v1/needs/"+other+"/supports", alice.Token, nil).Expect(t, 201)
	env.Do(t, "POST", "/api/v1/needs/"+other+"/supports", centre.Token, nil).Expect(t, 201)
	claire := env.Account(t, "Région", domain.RoleCommittee)
	toCommittee := []map[string]any{{"action": "qualify"}, {"action": "start_study", "due_date": "2099-03-01"},
		{"action": "submit_study", "recommendation": "go", "summary": "Le modèle économique tient.", "budget_eur": 1000}}
	apiAct(t, env, officer.Token, mine, toCommittee...)
	apiAct(t, env, officer.Token, other, toCommittee...)
	// She submitted hers: she may not vote on it, Claire decides alone.
	env.Do(t, "POST", "/api/v1/needs/"+mine+"/transitions", alice.Token, map[string]any{"action": "vote", "decision": "approve"}).Expect(t, 403)
	apiAct(t, env, claire.Token, mine, map[string]any{"action": "vote", "decision": "approve"})
	apiAct(t, env, alice.Token, other, map[string]any{"action": "vote", "decision": "approve", "comment": "J'y crois."})
	apiAct(t, env, claire.Token, other, map[string]any{"action": "vote", "decision": "approve"})
	apiAct(t, env, alice.Token, mine, map[string]any{"action": "propose_carrier", "organisation": "Alice Martin EI",
		"contact": "Alice Martin, 06 00 00 00 00", "motivation": "Je tiens déjà une épicerie ambulante."})
	web := newBrowser(t, env)
	web.signIn(alice.Email, alice.Password)
	web.get("/mes-besoins").expect(t, 200, "Épicerie solidaire au village")

	t.Run("anonymous visitors do not see who supports as an individual", func(t *testing.T) {
		newBrowser(t, env).get("/besoins/"+other).expect(t, 200, "un particulier", "Centre social de Dole").lacks(t, "Alice Martin")
		signedIn := newBrowser(t, env)
		signedIn.signIn(officer.Email, officer.Password)
		signedIn.get("/besoins/"+other).expect(t, 200, "Alice Martin", "Centre social de Dole").lacks(t, "un particulier")
	})

	t.Run("export: only for admins", func(t *testing.T) {
		path := "/api/v1/admin/users/" + alice.ID + "/export"
		env.Do(t, "GET", path, "", nil).Expect(t, 401)
		env.Do(t, "GET", path, officer.Token, nil).Expect(t, 403)
		env.Do(t, "GET", "/api/v1/admin/users/00000000-0000-4000-8000-000000000000/export", admin.Token, nil).Expect(t, 404)
		a := newBrowser(t, env)
		a.signIn(centre.Email, centre.Password)
		a.get("/admin/comptes/"+alice.ID+"/donnees").expect(t, 403)
	})

	t.Run("export: everything about her, no secret", func(t *testing.T) {
		res := env.Do(t, "GET", "/api/v1/admin/users/"+alice.ID+"/export", admin.Token, nil).Expect(t, 200)
		if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, alice.ID+".json") {
			t.Errorf("Content-Disposition %q", cd)
		}
		var p storage.PersonalData
		res.JSON(t, &p)
		if p.Account.Email != alice.Email || p.Account.Name != "Alice Martin" || p.Sessions.Count != 2 {
			t.Errorf("account %+v, %d sessions", p.Account, p.Sessions.Count)
		}
		if len(p.Needs) != 1 || p.Needs[0].ID != mine || len(p.Supports) != 1 || p.Supports[0].NeedID != other ||
			len(p.Votes) != 1 || p.Votes[0].Comment != "J'y crois." || len(p.Carriers) != 1 {
			t.Errorf("records %+v", p)
		}
		var actions []string
		for _, e := range p.Events {
			actions = append(actions, e.Action)
		}
		if strings.Join(actions, " ") != "submit support vote propose_carrier" {
			t.Errorf("events %v", actions)
		}
		for _, secret := range []string{alice.PasswordHash, alice.Token, "password", "token"} {
			if strings.Contains(string(res.Body), secret) {
				t.Errorf("the export shows %q", secret)
			}
		}
	})

	a := newBrowser(t, env)
	a.signIn(admin.Email, admin.Password)
	account := "/admin/comptes/" + alice.ID

	t.Run("export from the account page", func(t *testing.T) {
		a.get(account).expect(t, 200, "Exporter les données (RGPD)", `href="`+account+`/donnees"`, "Effacer cette personne")
		p := a.get(account + "/donnees")
		if p.Status != 200 || !strings.HasPrefix(p.Header.Get("Content-Disposition"), "attachment;") ||
			!strings.HasPrefix(p.Header.Get("Content-Type"), "application/json") || !json.Valid([]byte(p.Body)) {
			t.Fatalf("download %d %v", p.Status, p.Header)
		}
		if !strings.Contains(p.Body, mine) || strings.Contains(p.Body, alice.PasswordHash) {
			t.Fatal("the downloaded file")
		}
		a.get("/admin/comptes/"+admin.ID).lacks(t, "Effacer cette personne") // not oneself
	})

	t.Run("erase from the page: a confirmation and a reason", func(t *testing.T) {
		a.get(account+"/effacer").expect(t, 200, "Effacer Alice Martin", "ne peut pas être annulée", "Motif de l'effacement",
			"Personne effacée")
		a.post(account+"/effacer", url.Values{"reason": {"  "}}).expect(t, 422, "Le champ « motif » est obligatoire.", `aria-invalid="true"`)
		if u, _ := env.DB.UserByID(context.Background(), alice.ID); u.ErasedAt != nil {
			t.Fatal("erased without a reason")
		}
		a.do("POST", account+"/effacer", url.Values{"reason": {"Demande reçue le 3 mars"}}).expect(t, 403, "Le formulaire a expiré")
		a.post(account+"/effacer", url.Values{"reason": {"Demande reçue le 3 mars"}}).redirects(t, account)
		a.get(account).expect(t, 200, "La personne a été effacée", "a été effacée le", "Personne effacée").
			lacks(t, "Alice Martin", `name="roles"`, "Effacer cette personne")
		a.get(account+"/effacer").expect(t, 409, "Cette personne a déjà été effacée.")
		a.post(account+"/etat", url.Values{"active": {"true"}}).expect(t, 409, "Ce compte a été effacé")
		a.get("/admin/comptes").expect(t, 200, "Effacé").lacks(t, "Alice Martin", alice.Email)
	})

	t.Run("her sessions no longer work", func(t *testing.T) {
		env.Do(t, "GET", "/api/v1/me", alice.Token, nil).Expect(t, 401)
		web.get("/mes-besoins").redirects(t, "/connexion?suite=%2Fmes-besoins")
		p := newBrowser(t, env).post("/connexion", url.Values{"email": {alice.Email}, "password": {alice.Password}})
		if p.Status != http.StatusUnauthorized {
			t.Fatalf("sign-in after erasure: %d", p.Status)
		}
	})

	noName := func(t *testing.T, when string) {
		t.Helper()
		for _, path := range []string{"/api/v1/needs/" + mine, "/api/v1/needs/" + mine + "/events", "/api/v1/needs/" + mine + "/votes",
			"/api/v1/needs/" + other + "/events", "/api/v1/needs/" + other + "/votes", "/api/v1/needs?limit=200"} {
			if b := body(t, env, officer.Token, path); strings.Contains(b, "Alice") || strings.Contains(b, "Martin") {
				t.Fatalf("%s: %s names her: %s", when, path, b)
			}
		}
		b := newBrowser(t, env)
		b.signIn(officer.Email, officer.Password)
		b.get("/besoins/"+mine).expect(t, 200, "Personne effacée").lacks(t, "Alice", "Martin")
		b.get("/besoins/"+other).expect(t, 200, "Personne effacée", "J'y crois.", "Centre social de Dole").lacks(t, "Alice", "Martin")
	}

	t.Run("her name is gone, the facts stay", func(t *testing.T) {
		noName(t, "after the erasure")
		var n map[string]any
		env.Do(t, "GET", "/api/v1/needs/"+mine, officer.Token, nil).Expect(t, 200).JSON(t, &n)
		if n["submitted_by"] != alice.ID || n["submitted_by_name"] != storage.ErasedName || n["stage"] != "carrier_search" {
			t.Fatalf("need %v", n)
		}
		var evs []map[string]any
		env.Do(t, "GET", "/api/v1/needs/"+mine+"/events", officer.Token, nil).Expect(t, 200).JSON(t, &evs)
		if evs[0]["action"] != "submit" || evs[0]["actor"] != alice.ID || evs[0]["actor_name"] != storage.ErasedName || evs[0]["at"] == "" {
			t.Fatalf("submission event %v", evs[0])
		}
	})

	t.Run("a later action on her live need does not bring it back", func(t *testing.T) {
		apiAct(t, env, officer.Token, mine, map[string]any{"action": "propose_carrier", "organisation": "Régie de quartier",
			"contact": "regie@exemple.fr", "motivation": "Nous pouvons porter ce projet."})
		n := env.Do(t, "GET", "/api/v1/needs/"+mine, officer.Token, nil).Expect(t, 200).Map(t)
		carriers := n["carriers"].([]any)
		if len(carriers) != 2 {
			t.Fatalf("carriers %v", carriers)
		}
		apiAct(t, env, officer.Token, mine, map[string]any{"action": "start_pilot", "carrier_id": carriers[0].(map[string]any)["id"],
			"territories": []string{"39"}, "start_date": "2098-01-01", "end_date": "2098-12-31", "budget_eur": 1000,
			"indicators": []map[string]any{{"key": "familles", "label": "Familles accueillies", "target": 40}}})
		noName(t, "after two more actions")
	})

	t.Run("the erasure is in the account's own trail, without her name", func(t *testing.T) {
		trail, err := env.DB.Events(context.Background(), alice.ID)
		if err != nil || len(trail) < 2 {
			t.Fatalf("trail %+v %v", trail, err)
		}
		last := trail[len(trail)-1]
		if last.Action != storage.ActionErasePerson || last.ActorName != "Adèle Admin" || last.Comment != "Demande reçue le 3 mars" {
			t.Fatalf("erasure event %+v", last)
		}
		raw, _ := json.Marshal(trail)
		if strings.Contains(string(raw), "Alice") {
			t.Fatalf("trail names her: %s", raw)
		}
	})
}

func TestEraseThroughTheAPI(t *testing.T) {
	env := testenv.New(t)
	admin := env.Account(t, "Essor", domain.RoleAdmin)
	bob := named(t, env, env.Account(t, "", domain.RoleActor), "Bob Durand")
	id := apiNeed(t, env, bob, "Navette vers le marché du samedi")
	path := "/api/v1/admin/users/" + bob.ID + "/erase"

	env.Do(t, "POST", path, bob.Token, map[string]any{"reason": "moi"}).Expect(t, 403)
	e := errorOf(t, env.Do(t, "POST", path, admin.Token, map[string]any{}).Expect(t, 422))
	if !strings.Contains(e.Fields["reason"], "motif") {
		t.Fatalf("missing reason: %+v", e)
	}
	env.Do(t, "POST", path, admin.Token, map[string]any{"reason": strings.Repeat("x", 1001)}).Expect(t, 422)
	env.Do(t, "POST", path, admin.Token, map[string]any{"reason": "x", "nom": "Bob"}).Expect(t, 400)
	self := errorOf(t, env.Do(t, "POST", "/api/v1/admin/users/"+admin.ID+"/erase", admin.Token, map[string]any{"reason": "test"}).Expect(t, 409))
	if !strings.Contains(self.Message, "propre compte") {
		t.Fatalf("self erasure: %+v", self)
	}
	env.Do(t, "POST", "/api/v1/admin/users/00000000-0000-4000-8000-000000000000/erase", admin.Token, map[string]any{"reason": "test"}).Expect(t, 404)

	var res storage.Erased
	env.Do(t, "POST", path, admin.Token, map[string]any{"reason": "Demande écrite"}).Expect(t, 200).JSON(t, &res)
	if res.UserID != bob.ID || res.ErasedAt.IsZero() || res.Counts.Needs != 1 || res.Counts.Sessions != 1 || res.Counts.Events != 1 {
		t.Fatalf("erased %+v", res)
	}
	env.Do(t, "GET", "/api/v1/me", bob.Token, nil).Expect(t, 401)
	if b := body(t, env, admin.Token, "/api/v1/needs/"+id); strings.Contains(b, "Bob") {
		t.Fatalf("need names him: %s", b)
	}
	again := errorOf(t, env.Do(t, "POST", path, admin.Token, map[string]any{"reason": "Demande écrite"}).Expect(t, 409))
	if !strings.Contains(again.Message, "déjà été effacée") {
		t.Fatalf("second erasure %+v", again)
	}
	export := body(t, env, admin.Token, "/api/v1/admin/users/"+bob.ID+"/export")
	if strings.Contains(export, "Bob") || !strings.Contains(export, id) || !strings.Contains(export, "erase_person") {
		t.Fatalf("export after erasure: %s", export)
	}
}
