package server_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/testenv"
)

// apiNeed reports a need through the API and returns its id.
func apiNeed(t *testing.T, env *testenv.Env, actor testenv.Account, title string) string {
	t.Helper()
	res := env.Do(t, "POST", "/api/v1/needs", actor.Token, map[string]any{
		"title": title, "description": "Les parents qui travaillent la nuit n'ont aucune solution de garde.",
		"theme": "early_childhood", "territory_code": "39",
	}).Expect(t, 201)
	return res.Map(t)["id"].(string)
}

// apiAct carries out actions through the API.
func apiAct(t *testing.T, env *testenv.Env, token, id string, actions ...map[string]any) {
	t.Helper()
	for _, a := range actions {
		env.Do(t, "POST", "/api/v1/needs/"+id+"/transitions", token, a).Expect(t, 200)
	}
}

func TestNeedPage(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	other := env.Account(t, "Centre social de Dole", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	id := apiNeed(t, env, actor, pageNeedTitle)
	path := "/besoins/" + id

	t.Run("unknown project", func(t *testing.T) {
		anon := newBrowser(t, env)
		anon.get("/besoins/00000000-0000-4000-8000-000000000000").expect(t, 404, "Ce besoin n'existe pas.")
	})

	t.Run("anyone reads it, without names nor forms", func(t *testing.T) {
		anon := newBrowser(t, env)
		anon.get(path).expect(t, 200, pageNeedTitle, "Besoin remonté", "Historique", "Jura", "Petite enfance",
			"Connectez-vous pour soutenir ce besoin").lacks(t, "Agir sur ce projet", actor.Name)
	})

	t.Run("an actor may not qualify", func(t *testing.T) {
		b := newBrowser(t, env)
		b.signIn(actor.Email, actor.Password)
		b.get(path).expect(t, 200, actor.Name).lacks(t, "Qualifier le besoin")
		b.post(path+"/actions", url.Values{"action": {"qualify"}}).expect(t, 403, "Votre rôle ne permet pas cette action.")
		if row, err := env.DB.Need(context.Background(), id); err != nil || row.Stage != domain.StageCaptured {
			t.Fatalf("stage %s, %v", row.Stage, err)
		}
	})

	t.Run("another organisation supports it once", func(t *testing.T) {
		b := newBrowser(t, env)
		b.signIn(other.Email, other.Password)
		b.post(path+"/soutien", nil).redirects(t, path)
		b.get(path).expect(t, 200, "Votre organisation soutient désormais ce besoin.", "1 organisation soutient ce besoin.",
			"Centre social de Dole").lacks(t, "Soutenir ce besoin au nom")
		b.post(path+"/soutien", nil).expect(t, 409, "Votre organisation soutient déjà ce besoin.")
	})

	b := newBrowser(t, env)
	b.signIn(officer.Email, officer.Password)
	b.get(path).expect(t, 200, "Agir sur ce projet", "Qualifier le besoin", "Demander des informations", "Rejeter le besoin",
		`name="action" value="qualify"`)

	t.Run("an action's form needs its token", func(t *testing.T) {
		b.do("POST", path+"/actions", url.Values{"action": {"qualify"}}).expect(t, 403, "Le formulaire a expiré")
	})

	t.Run("an action's mistake comes back beside its field", func(t *testing.T) {
		b.post(path+"/actions", url.Values{"action": {"reject"}, "reason": {"non"}}).expect(t, 422,
			"Le champ « motif » doit contenir au moins 5 caractères.", `id="reject-reason"`, `aria-invalid="true"`,
			`<details class="action danger" open>`)
		b.post(path+"/actions", url.Values{"action": {"envoler"}}).expect(t, 422, "Le champ « action » doit être une action connue.")
	})

	t.Run("the officer qualifies, then cannot twice", func(t *testing.T) {
		b.post(path+"/actions", url.Values{"action": {"qualify"}, "comment": {"Utilité sociale vérifiée."}}).
			redirects(t, path+"#historique")
		b.get(path).expect(t, 200, "Le besoin est qualifié.", "Lancer l'étude de faisabilité", "Utilité sociale vérifiée.",
			"De « Besoin remonté » à « Besoin qualifié »")
		b.post(path+"/actions", url.Values{"action": {"qualify"}}).
			expect(t, 409, "Action impossible à l'étape actuelle du projet : « Besoin qualifié ».")
	})

	t.Run("study, committee and a pilot in French formats", func(t *testing.T) {
		b.post(path+"/actions", url.Values{"action": {"start_study"}, "due_date": {"2020-01-01"}}).
			expect(t, 422, "Le champ « date d'échéance » ne peut pas être une date passée.", `value="2020-01-01"`)
		due := time.Now().AddDate(0, 5, 0).Format(time.DateOnly)
		b.post(path+"/actions", url.Values{"action": {"start_study"}, "due_date": {due}}).redirects(t, path+"#historique")
		b.get(path).expect(t, 200, `Prochaine échéance : <time datetime="`+due+`">`)
		b.post(path+"/actions", url.Values{"action": {"submit_study"}, "recommendation": {"go"}, "budget_eur": {"45 000,50"},
			"summary": {"Besoin confirmé, modèle économique viable, deux porteurs possibles."}}).redirects(t, path+"#historique")
		member := env.Account(t, "Région", domain.RoleCommittee)
		apiAct(t, env, member.Token, id, map[string]any{"action": "vote", "decision": "approve"})
		apiAct(t, env, officer.Token, id, map[string]any{"action": "propose_carrier", "organisation": "Crèche Les Lutins",
			"contact": "direction@lutins.example", "motivation": "Nous gérons déjà deux crèches associatives à Dole."})
		p := b.get(path).expect(t, 200, "Décision n° 1 : Approuver l'expérimentation", "Crèche Les Lutins", "Lancer l'expérimentation")
		carrier := regexpFind(t, p.Body, `name="carrier_id" value="([0-9a-f-]{36})"`)
		start := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
		end := time.Now().AddDate(1, 1, 0).Format(time.DateOnly)
		b.post(path+"/actions", url.Values{"action": {"start_pilot"}, "carrier_id": {carrier}, "territories": {"39", "ze-dole"},
			"start_date": {start}, "end_date": {end}, "budget_eur": {"douze"}}).
			expect(t, 422, "Le champ « budget (€) » n'a pas le bon type : un nombre attendu.")
		b.post(path+"/actions", url.Values{"action": {"start_pilot"}, "carrier_id": {carrier}, "territories": {"39", "ze-dole"},
			"start_date": {start}, "end_date": {end}, "budget_eur": {"45 000,50"},
			"indicator_key": {"familles", "", ""}, "indicator_label": {"Familles accueillies", "", ""}}).redirects(t, path+"#historique")
		b.get(path).expect(t, 200, "45\u202f000,50\u00a0€", "Jura, Dole", "Porteur retenu", "Expérimentation")
	})
}

func TestNeedTimelineShowsReminders(t *testing.T) {
	env := testenv.New(t, func(c *config.Config) { c.Policy.QualifyWithin = 300 * time.Millisecond })
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	id := apiNeed(t, env, actor, pageNeedTitle)
	deadline := time.Now().Add(20 * time.Second)
	for {
		events, err := env.DB.Events(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) > 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no reminder recorded")
		}
		time.Sleep(100 * time.Millisecond)
	}
	newBrowser(t, env).get("/besoins/"+id).expect(t, 200, "Relance automatique", "Essor (automatique)",
		"Besoin non qualifié dans le délai prévu")
}
