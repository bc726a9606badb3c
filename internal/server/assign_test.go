package server_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testenv"
)

// listIDs lists the ids of GET /api/v1/needs?query.
func listIDs(t *testing.T, env *testenv.Env, token, query string) []string {
	t.Helper()
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	env.Do(t, "GET", "/api/v1/needs?"+query, token, nil).Expect(t, 200).JSON(t, &page)
	var ids []string
	for _, it := range page.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

func officerOf(t *testing.T, n map[string]any) (id, name string) {
	t.Helper()
	o, ok := n["officer"].(map[string]any)
	if !ok {
		return "", ""
	}
	id, _ = o["id"].(string)
	name, _ = o["name"].(string)
	return id, name
}

// TestAssignOfficerOverHTTP: an admin or an officer puts an active officer
// in charge; the need's JSON and the ?officer= filter show it; everything
// else is refused and changes nothing.
func TestAssignOfficerOverHTTP(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	odile := named(t, env, env.Account(t, "FCA", domain.RoleOfficer), "Odile Martin")
	bastien := named(t, env, env.Account(t, "CRESS", domain.RoleOfficer), "Bastien Roy")
	admin := env.Account(t, "Essor", domain.RoleAdmin)
	id := apiNeed(t, env, actor, "Garde d'enfants en horaires décalés")
	transitions := "/api/v1/needs/" + id + "/transitions"

	n := env.Do(t, "GET", "/api/v1/needs/"+id, actor.Token, nil).Expect(t, 200).Map(t)
	if v, present := n["officer"]; !present || v != nil {
		t.Fatalf("a new need has officer null, got %v (present %v)", v, present)
	}

	n = env.Do(t, "POST", transitions, admin.Token, map[string]any{"action": "assign", "officer_id": strings.ToUpper(odile.ID)}).Expect(t, 200).Map(t)
	if oid, name := officerOf(t, n); oid != odile.ID || name != "Odile Martin" || n["stage"] != "captured" {
		t.Fatalf("after assign: officer %v, stage %v", n["officer"], n["stage"])
	}

	t.Run("the officer filter", func(t *testing.T) {
		other := apiNeed(t, env, actor, "Transport solidaire vers les marchés")
		if ids := listIDs(t, env, odile.Token, "officer=me"); !slices.Equal(ids, []string{id}) {
			t.Fatalf("odile's files %v", ids)
		}
		if ids := listIDs(t, env, bastien.Token, "officer=me"); len(ids) != 0 {
			t.Fatalf("bastien's files %v", ids)
		}
		if ids := listIDs(t, env, actor.Token, "officer="+odile.ID); !slices.Equal(ids, []string{id}) {
			t.Fatalf("by id %v", ids)
		}
		if ids := listIDs(t, env, actor.Token, "officer="+odile.ID+"&stage=captured"); !slices.Equal(ids, []string{id}) {
			t.Fatalf("with a stage %v", ids)
		}
		if ids := listIDs(t, env, actor.Token, ""); len(ids) != 2 || !slices.Contains(ids, other) {
			t.Fatalf("unfiltered %v", ids)
		}
		for _, bad := range []string{"moi", "12", "00000000-0000-0000-0000-00000000zzzz"} {
			e := errorOf(t, env.Do(t, "GET", "/api/v1/needs?officer="+bad, odile.Token, nil).Expect(t, 422))
			if !strings.Contains(e.Fields["officer"], "chargé(e) de mission") {
				t.Errorf("officer=%s: %+v", bad, e)
			}
		}
	})

	t.Run("refusals change nothing", func(t *testing.T) {
		closed := env.Account(t, "FCA", domain.RoleOfficer)
		closed.Active = false
		if err := env.DB.UpdateUser(context.Background(), closed.User); err != nil {
			t.Fatal(err)
		}
		for who, officerID := range map[string]string{"an actor": actor.ID, "an admin who is not an officer": admin.ID,
			"nobody": "00000000-0000-4000-8000-000000000000", "a closed account": closed.ID} {
			e := errorOf(t, env.Do(t, "POST", transitions, odile.Token, map[string]any{"action": "assign", "officer_id": officerID}).Expect(t, 422))
			if e.Fields["officer_id"] != "Le champ « chargé(e) de mission » doit désigner un compte actif de chargé(e) de mission." {
				t.Errorf("%s: %+v", who, e)
			}
		}
		for in, want := range map[string]string{"": "obligatoire", "abc": "UUID", odile.ID: "désigne déjà"} {
			e := errorOf(t, env.Do(t, "POST", transitions, odile.Token, map[string]any{"action": "assign", "officer_id": in}).Expect(t, 422))
			if !strings.Contains(e.Fields["officer_id"], want) {
				t.Errorf("%q: %+v", in, e)
			}
		}
		env.Do(t, "POST", transitions, actor.Token, map[string]any{"action": "assign", "officer_id": bastien.ID}).Expect(t, 403)
		env.Do(t, "POST", transitions, odile.Token, `{"action": "assign", "officer_id": "`+bastien.ID+`", "officer_name": "Usurpé"}`).Expect(t, 400)
		n := env.Do(t, "GET", "/api/v1/needs/"+id, actor.Token, nil).Expect(t, 200).Map(t)
		if oid, _ := officerOf(t, n); oid != odile.ID {
			t.Fatalf("officer changed to %v", n["officer"])
		}
	})

	t.Run("an officer hands the file over; qualifying keeps it", func(t *testing.T) {
		n := env.Do(t, "POST", transitions, odile.Token, map[string]any{"action": "assign", "officer_id": bastien.ID,
			"comment": "Il connaît bien le territoire."}).Expect(t, 200).Map(t)
		if oid, name := officerOf(t, n); oid != bastien.ID || name != "Bastien Roy" {
			t.Fatalf("officer %v", n["officer"])
		}
		n = env.Do(t, "POST", transitions, odile.Token, map[string]any{"action": "qualify"}).Expect(t, 200).Map(t)
		if oid, _ := officerOf(t, n); oid != bastien.ID || n["stage"] != "qualified" {
			t.Fatalf("qualify changed the officer: %v", n["officer"])
		}
		var events []struct {
			Action string            `json:"action"`
			Data   map[string]string `json:"data"`
		}
		env.Do(t, "GET", "/api/v1/needs/"+id+"/events", actor.Token, nil).Expect(t, 200).JSON(t, &events)
		var assigned []string
		for _, e := range events {
			if e.Action == "assign" {
				assigned = append(assigned, e.Data["officer_id"]+" "+e.Data["officer_name"])
			}
		}
		if !slices.Equal(assigned, []string{odile.ID + " Odile Martin", bastien.ID + " Bastien Roy"}) {
			t.Fatalf("assign events %v", assigned)
		}
	})

	t.Run("qualifying a file nobody has makes the officer in charge", func(t *testing.T) {
		other := apiNeed(t, env, actor, "Épicerie solidaire itinérante")
		n := env.Do(t, "POST", "/api/v1/needs/"+other+"/transitions", odile.Token, map[string]any{"action": "qualify"}).Expect(t, 200).Map(t)
		if oid, name := officerOf(t, n); oid != odile.ID || name != "Odile Martin" {
			t.Fatalf("officer %v", n["officer"])
		}
		if ids := listIDs(t, env, odile.Token, "officer=me"); !slices.Equal(ids, []string{other}) {
			t.Fatalf("odile's files %v", ids)
		}
	})

	t.Run("a need in a terminal stage cannot be assigned", func(t *testing.T) {
		gone := apiNeed(t, env, actor, "Besoin bientôt rejeté pour le test")
		apiAct(t, env, odile.Token, gone, map[string]any{"action": "reject", "reason": "Déjà couvert par le CCAS"})
		e := errorOf(t, env.Do(t, "POST", "/api/v1/needs/"+gone+"/transitions", admin.Token,
			map[string]any{"action": "assign", "officer_id": bastien.ID}).Expect(t, 409))
		if !strings.Contains(e.Message, "« Rejeté »") {
			t.Fatalf("409 %+v", e)
		}
	})

	t.Run("an erased officer's name does not come back", func(t *testing.T) {
		env.Do(t, "POST", "/api/v1/admin/users/"+bastien.ID+"/erase", admin.Token, map[string]any{"reason": "Demande écrite"}).Expect(t, 200)
		check := func() {
			t.Helper()
			n := env.Do(t, "GET", "/api/v1/needs/"+id, admin.Token, nil).Expect(t, 200).Map(t)
			if oid, name := officerOf(t, n); oid != bastien.ID || name != storage.ErasedName {
				t.Fatalf("officer %v", n["officer"])
			}
			if b := body(t, env, admin.Token, "/api/v1/needs/"+id+"/events"); strings.Contains(b, "Bastien") {
				t.Fatalf("events name him: %s", b)
			}
		}
		check()
		// The workflow still holds his name: its next save must not bring it back.
		apiAct(t, env, odile.Token, id, map[string]any{"action": "start_study", "due_date": time.Now().AddDate(0, 3, 0).Format(time.DateOnly)})
		check()
	})
}

// TestReminderNamesTheOfficer: a deadline's reminder names who is in charge.
func TestReminderNamesTheOfficer(t *testing.T) {
	env := testenv.New(t, func(c *config.Config) { c.Policy.QualifyWithin = 10 * time.Second }) // room for the submission and the assignment on a loaded machine
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	odile := named(t, env, env.Account(t, "FCA", domain.RoleOfficer), "Odile Martin")
	id := apiNeed(t, env, actor, pageNeedTitle)
	apiAct(t, env, odile.Token, id, map[string]any{"action": "assign", "officer_id": odile.ID})
	var reminder *storage.EventRow
	for limit := time.Now().Add(60 * time.Second); reminder == nil; time.Sleep(100 * time.Millisecond) {
		events, err := env.DB.Events(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range events {
			if e.Action == string(domain.ActionRemind) {
				if i < 2 {
					t.Fatal("the reminder fired before the assignment: raise QualifyWithin")
				}
				reminder = &events[i]
			}
		}
		if reminder == nil && time.Now().After(limit) {
			t.Fatal("no reminder recorded")
		}
	}
	if reminder.Data["officer_id"] != odile.ID || reminder.Data["officer_name"] != "Odile Martin" {
		t.Fatalf("reminder data %v", reminder.Data)
	}
	b := newBrowser(t, env)
	b.signIn(odile.Email, odile.Password)
	b.get("/besoins/"+id).expect(t, 200, "Relance automatique", "Chargé(e) de mission : Odile Martin.")
}

// TestAssignPages: the need page names the officer in charge and offers
// officers the assignment form ("me l'attribuer" chosen); "mes dossiers"
// lists an officer's files; the board filters by officer.
func TestAssignPages(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	odile := named(t, env, env.Account(t, "FCA", domain.RoleOfficer), "Odile Martin")
	bastien := named(t, env, env.Account(t, "CRESS", domain.RoleOfficer), "Bastien Roy")
	id := apiNeed(t, env, actor, pageNeedTitle)
	otherTitle := "Transport solidaire vers les marchés"
	other := apiNeed(t, env, actor, otherTitle)
	path := "/besoins/" + id

	newBrowser(t, env).get(path).expect(t, 200, pageNeedTitle).lacks(t, "Chargé(e) de mission", "Attribuer le dossier")
	a := newBrowser(t, env)
	a.signIn(actor.Email, actor.Password)
	a.get(path).expect(t, 200, "Chargé(e) de mission", "Aucun chargé de mission").lacks(t, "Attribuer le dossier")
	a.get("/mes-dossiers").expect(t, 403)

	b := newBrowser(t, env)
	b.signIn(bastien.Email, bastien.Password)
	p := b.get(path).expect(t, 200, "Aucun chargé de mission", "Attribuer le dossier", `id="assign-officer_id"`,
		`<option value="`+bastien.ID+`" selected>Me l&#39;attribuer (Bastien Roy)</option>`, `<option value="`+odile.ID+`">Odile Martin</option>`,
		`href="/mes-dossiers"`)
	if strings.Index(p.Body, "Me l&#39;attribuer") > strings.Index(p.Body, ">Odile Martin<") {
		t.Error("the signed-in officer should come first")
	}
	b.post(path+"/actions", url.Values{"action": {"assign"}, "officer_id": {"pas-un-id"}}).
		expect(t, 422, "Le champ « chargé(e) de mission » doit être un identifiant valide (UUID).", `<details class="action" open>`)
	b.post(path+"/actions", url.Values{"action": {"assign"}, "officer_id": {odile.ID}, "comment": {"Odile suit le Jura."}}).
		redirects(t, path+"#historique")
	b.get(path).expect(t, 200, "Le dossier est attribué.", "<dd>Odile Martin</dd>", "Dossier confié à Odile Martin.",
		">Odile Martin (en charge actuellement)</option>")
	apiAct(t, env, bastien.Token, other, map[string]any{"action": "qualify"}) // Bastien takes the other one

	t.Run("mes dossiers", func(t *testing.T) {
		o := newBrowser(t, env)
		o.signIn(odile.Email, odile.Password)
		o.get("/mes-dossiers").expect(t, 200, "Mes dossiers", pageNeedTitle, "Besoin remonté", "Dernière activité").lacks(t, otherTitle)
		b.get("/mes-dossiers").expect(t, 200, otherTitle, "Besoin qualifié").lacks(t, pageNeedTitle)
		if _, err := env.DB.Pool.Exec(context.Background(), "UPDATE needs SET next_deadline = now() - interval '1 day' WHERE id = $1", id); err != nil {
			t.Fatal(err)
		}
		o.get("/mes-dossiers").expect(t, 200, "En retard")
		empty := newBrowser(t, env)
		newcomer := env.Account(t, "FCA", domain.RoleOfficer)
		empty.signIn(newcomer.Email, newcomer.Password)
		empty.get("/mes-dossiers").expect(t, 200, "Aucun dossier ne vous est attribué")
	})

	t.Run("the board filters by officer", func(t *testing.T) {
		b.get("/tableau").expect(t, 200, pageNeedTitle, otherTitle, "Suivi par Odile Martin", "Suivi par Bastien Roy",
			`<option value="me">Mes dossiers (Bastien Roy)</option>`, "Tous les chargés de mission")
		b.get("/tableau?officer=me").expect(t, 200, otherTitle, `<option value="me" selected>`, "1 projet").lacks(t, pageNeedTitle)
		b.get("/tableau?officer="+odile.ID).expect(t, 200, pageNeedTitle, `<option value="`+odile.ID+`" selected>`).lacks(t, otherTitle)
		b.get("/tableau?officer=personne").expect(t, 422, "Le paramètre « chargé(e) de mission » doit valoir")
	})
}
