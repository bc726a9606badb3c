package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/testenv"
)

// TestRallyPages goes through a round in the pages, without JavaScript:
// the organiser sets it up (a mistake first), a company enters, a juror
// scores on the grid, the organiser selects, schedules a stage and awards
// a trophy; the public sees the results.
func TestRallyPages(t *testing.T) {
	env := testenv.New(t)
	org := env.Account(t, "FACT", domain.RoleOrganiser)
	actor := env.Account(t, "Coop Bois", domain.RoleActor)
	juror := env.Account(t, "Région", domain.RoleJury)
	ownJuror := env.Account(t, "Coop Bois", domain.RoleJury)
	otherJuror := env.Account(t, "Ancien jury", domain.RoleJury)
	ob, ab, jb, ojb, anon := newBrowser(t, env), newBrowser(t, env), newBrowser(t, env), newBrowser(t, env), newBrowser(t, env)
	xb := newBrowser(t, env)
	xb.signIn(otherJuror.Email, otherJuror.Password)
	ob.signIn(org.Email, org.Password)
	ab.signIn(actor.Email, actor.Password)
	jb.signIn(juror.Email, juror.Password)
	ojb.signIn(ownJuror.Email, ownJuror.Password)

	anon.get("/rallye").expect(t, http.StatusOK, "Aucune édition")
	ob.get("/rallye/nouveau").expect(t, http.StatusOK, "Organiser une édition", "Utilité sociale")
	ab.get("/rallye/nouveau").expect(t, http.StatusForbidden)

	day := func(d int) string { return time.Now().AddDate(0, 0, d).Format(time.DateOnly) }
	form := url.Values{"title": {"Rally'nov 2027"}, "categories": {"Emploi\nHabitat"},
		"criterion_label_0": {"Utilité sociale"}, "criterion_weight_0": {"2"},
		"criterion_label_1": {"Caractère innovant"}, "criterion_weight_1": {"1,5"}}
	for i, p := range domain.Phases {
		form.Set(string(p)+"_start", day(10+30*i))
		form.Set(string(p)+"_end", day(20+30*i))
	}
	form.Set("stages_start", day(150))
	form.Set("stages_end", day(180))
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("launch_start", day(1)) // before the organisation phase
	bad.Set("criterion_weight_1", "beaucoup")
	ob.post("/rallye/nouveau", bad).expect(t, http.StatusUnprocessableEntity, "ne peut pas commencer avant la phase", "poids")
	created := ob.post("/rallye/nouveau", form)
	if created.Status != http.StatusSeeOther {
		t.Fatalf("set-up: %d\n%s", created.Status, created.Body)
	}
	roundURL := created.Header.Get("Location")
	id := strings.TrimPrefix(roundURL, "/rallye/")
	ob.get(roundURL).expect(t, http.StatusOK, "Rally'nov 2027", "Passer à la phase suivante", "L'édition est créée")
	anon.get(roundURL).expect(t, http.StatusOK, "Calendrier des phases", "calendar.ics").lacks(t, "Passer à la phase suivante")

	for i := 0; i < 4; i++ {
		ob.post(roundURL+"/phase", url.Values{}).redirects(t, roundURL)
	}
	ab.get(roundURL).expect(t, http.StatusOK, "Présenter une innovation", " — terminée", " — à venir") // phases told in words, not by colour alone
	ab.get(roundURL+"/candidater").expect(t, http.StatusOK, "Type d'entreprise", `value="Coop Bois"`)
	ab.post(roundURL+"/candidater", url.Values{"organisation": {"Coop Bois"}, "title": {"Bo"}}).
		expect(t, http.StatusUnprocessableEntity, "Le champ « type » est obligatoire", "Le champ « catégorie » est obligatoire")
	ab.post(roundURL+"/candidater", url.Values{"organisation": {"Coop Bois"}, "kind": {"ess"}, "title": {"Ressourcerie du bois"},
		"description": {"Réemploi des chutes de bois par des personnes en insertion."}, "category": {"Emploi"}}).redirects(t, roundURL)
	ab.get(roundURL).expect(t, http.StatusOK, "Mes candidatures", "Ressourcerie du bois", "en attente de la sélection")

	// The organiser names the round's jury: the third juror is left out.
	ob.get(roundURL).expect(t, http.StatusOK, "Jury de ce tour", "Ancien jury")
	ob.post(roundURL+"/jures", url.Values{}).expect(t, http.StatusUnprocessableEntity, "Le champ « jurés » est obligatoire")
	ob.post(roundURL+"/jures", url.Values{"user_ids": {actor.ID}}).expect(t, http.StatusUnprocessableEntity, "pas un juré actif")
	ob.post(roundURL+"/jures", url.Values{"user_ids": {juror.ID, ownJuror.ID}}).redirects(t, roundURL)
	ob.get(roundURL).expect(t, http.StatusOK, "Le jury du tour est nommé", `value="`+juror.ID+`" checked`)
	xb.get(roundURL).expect(t, http.StatusOK, "Calendrier des phases").lacks(t, "Candidatures à noter")
	xb.get(roundURL+"/jury").expect(t, http.StatusOK, "vous n&#39;en faites pas partie").lacks(t, "Ressourcerie du bois")
	jb.get(roundURL).expect(t, http.StatusOK, "Candidatures à noter")

	page := jb.get(roundURL+"/jury").expect(t, http.StatusOK, "Candidatures à noter", "Ressourcerie du bois", "Utilité sociale")
	entryID := regexpFind(t, page.Body, `id="entry-([0-9a-f-]{36})"`)
	ojb.get(roundURL+"/jury").expect(t, http.StatusOK, "vous ne la notez pas")
	scoreURL := roundURL + "/candidatures/" + entryID + "/notes"
	jb.post(scoreURL, url.Values{"utilite_sociale": {"12"}, "caractere_innovant": {"5"}}).expect(t, http.StatusUnprocessableEntity, "entre 0 et 10")
	jb.post(scoreURL, url.Values{"utilite_sociale": {"8"}, "caractere_innovant": {"6,5"}}).redirects(t, roundURL+"/jury#entry-"+entryID)
	jb.get(roundURL+"/jury").expect(t, http.StatusOK, "Votre note pondérée : 7,36", `value="6.5"`, "Remplacer ma fiche")
	ojb.post(scoreURL, url.Values{"utilite_sociale": {"8"}, "caractere_innovant": {"6"}}).expect(t, http.StatusForbidden, "propre organisation")

	ob.get(roundURL).expect(t, http.StatusOK, "1 / 2", "7,36")
	ob.post(roundURL+"/selection", url.Values{"count": {"zéro"}}).expect(t, http.StatusUnprocessableEntity, "nombre de projets")
	ob.post(roundURL+"/selection", url.Values{"count": {"3"}}).redirects(t, roundURL)
	ob.get(roundURL).expect(t, http.StatusOK, "la refaire la remplace").lacks(t, "Jury de ce tour")
	ob.post(roundURL+"/selection", url.Values{"count": {"1"}, "per_category": {"1"}}).redirects(t, roundURL)
	ob.post(roundURL+"/etapes", url.Values{"place": {"Dole"}, "day": {day(10)}, "entry_ids": {entryID}}).
		expect(t, http.StatusUnprocessableEntity, "un jour de la phase des étapes")
	ob.post(roundURL+"/etapes", url.Values{"place": {"Dole"}, "day": {day(160)}, "entry_ids": {entryID}}).redirects(t, roundURL)
	ob.get(roundURL).expect(t, http.StatusOK).lacks(t, "Faire la sélection")
	ob.post(roundURL+"/phase", url.Values{}).redirects(t, roundURL)
	ob.post(roundURL+"/phase", url.Values{}).redirects(t, roundURL)
	ob.post(roundURL+"/trophees", url.Values{"category": {"Habitat"}, "entry_id": {entryID}}).
		expect(t, http.StatusUnprocessableEntity, "de la catégorie « Habitat »")
	ob.post(roundURL+"/trophees", url.Values{"category": {"Emploi"}, "entry_id": {entryID}}).redirects(t, roundURL)
	ob.get(roundURL).expect(t, http.StatusOK, "Le trophée est décerné")
	anon.get(roundURL).expect(t, http.StatusOK, "Trophées de l&#39;innovation sociale", "Ressourcerie du bois", "Dole")
	ab.get(roundURL).expect(t, http.StatusOK, "lauréate du trophée « Emploi »")
	anon.get("/rallye").expect(t, http.StatusOK, "Rally&#39;nov 2027")
	anon.get("/rallye/"+id+"/jury").expect(t, http.StatusSeeOther)
	anon.get("/rallye/00000000-0000-4000-8000-000000000000").expect(t, http.StatusNotFound)
}
