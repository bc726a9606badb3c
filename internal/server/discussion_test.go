package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/mail"
	"essor/internal/storage"
	"essor/internal/testenv"
)

func TestDiscussionOverTheAPI(t *testing.T) {
	env := testenv.New(t)
	ctx := context.Background()
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	other := env.Account(t, "Association Vivre", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	member := env.Account(t, "Région", domain.RoleCommittee)
	admin := env.Account(t, "", domain.RoleAdmin)
	id := apiNeed(t, env, actor, "Garde d'enfants en horaires décalés")
	base := "/api/v1/needs/" + id + "/comments"

	var c struct {
		ID     string `json:"id"`
		Body   string `json:"body"`
		Author struct {
			Name string `json:"name"`
		} `json:"author"`
		Deleted, Hidden, Internal bool
		HiddenReason              string `json:"hidden_reason"`
	}
	env.Do(t, "POST", base, other.Token, map[string]any{"body": "  Très bonne idée, @" + mentionOf(officer) + " qu'en pensez-vous ?  "}).
		Expect(t, 201).JSON(t, &c)
	if c.Body != "Très bonne idée, @"+mentionOf(officer)+" qu'en pensez-vous ?" || c.Author.Name != other.Name {
		t.Fatalf("comment %+v", c)
	}
	publicID := c.ID
	env.Do(t, "POST", base, officer.Token, map[string]any{"body": "Dossier à instruire en priorité.", "internal": true}).Expect(t, 201)
	if e := errorOf(t, env.Do(t, "POST", base, actor.Token, map[string]any{"body": "secret", "internal": true}).Expect(t, 403)); e.Code != "forbidden" {
		t.Fatalf("%+v", e)
	}
	if e := errorOf(t, env.Do(t, "POST", base, actor.Token, map[string]any{"body": "   "}).Expect(t, 422)); !strings.Contains(e.Fields["body"], "Message") {
		t.Fatalf("the refusal names the field: %+v", e)
	}
	env.Do(t, "POST", base, actor.Token, map[string]any{"body": strings.Repeat("x", 5001)}).Expect(t, 422)
	env.Do(t, "POST", base, admin.Token, map[string]any{"body": "Bonjour"}).Expect(t, 403)
	env.Do(t, "POST", "/api/v1/needs/00000000-0000-0000-0000-000000000000/comments", actor.Token, map[string]any{"body": "Bonjour"}).Expect(t, 404)

	count := func(token string) int {
		var p struct{ Items []map[string]any }
		env.Do(t, "GET", base, token, nil).Expect(t, 200).JSON(t, &p)
		return len(p.Items)
	}
	if count(actor.Token) != 1 || count(member.Token) != 2 || count(officer.Token) != 2 {
		t.Fatal("internal notes are for officers and the committee only")
	}

	// Edits and deletions: the author, within 15 minutes.
	env.Do(t, "PATCH", base+"/"+publicID, actor.Token, map[string]any{"body": "Ce n'est pas mon commentaire."}).Expect(t, 403)
	env.Do(t, "PATCH", base+"/"+publicID, other.Token, map[string]any{"body": "Très bonne idée, vraiment."}).Expect(t, 200).JSON(t, &c)
	if c.Body != "Très bonne idée, vraiment." {
		t.Fatalf("edited %+v", c)
	}
	var late string
	env.Do(t, "POST", base, other.Token, map[string]any{"body": "Un commentaire ancien."}).Expect(t, 201).JSON(t, &c)
	late = c.ID
	if _, err := env.DB.Pool.Exec(ctx, "UPDATE comments SET created_at = now() - interval '16 minutes' WHERE id = $1", late); err != nil {
		t.Fatal(err)
	}
	if e := errorOf(t, env.Do(t, "PATCH", base+"/"+late, other.Token, map[string]any{"body": "Trop tard ?"}).Expect(t, 409)); !strings.Contains(e.Message, "15 minutes") {
		t.Fatalf("%+v", e)
	}
	env.Do(t, "DELETE", base+"/"+late, other.Token, nil).Expect(t, 409)
	env.Do(t, "DELETE", base+"/"+publicID, other.Token, nil).Expect(t, 200).JSON(t, &c)
	if !c.Deleted || c.Body != "" {
		t.Fatalf("deleted %+v", c)
	}
	env.Do(t, "PATCH", base+"/"+publicID, other.Token, map[string]any{"body": "Revenir ?"}).Expect(t, 409)

	// An officer hides an abusive comment with a reason, kept in the audit trail.
	env.Do(t, "POST", base, other.Token, map[string]any{"body": "Propos injurieux."}).Expect(t, 201).JSON(t, &c)
	abusive := c.ID
	env.Do(t, "POST", base+"/"+abusive+"/hide", actor.Token, map[string]any{"reason": "Injurieux"}).Expect(t, 403)
	env.Do(t, "POST", base+"/"+abusive+"/hide", officer.Token, map[string]any{"reason": ""}).Expect(t, 422)
	env.Do(t, "POST", base+"/"+abusive+"/hide", officer.Token, map[string]any{"reason": "Propos injurieux envers une personne."}).Expect(t, 200).JSON(t, &c)
	if !c.Hidden || c.HiddenReason != "Propos injurieux envers une personne." || c.Body != "Propos injurieux." {
		t.Fatalf("the officer sees the hidden comment %+v", c)
	}
	env.Do(t, "POST", base+"/"+abusive+"/hide", officer.Token, map[string]any{"reason": "Deux fois de suite"}).Expect(t, 409)
	var p struct {
		Items []struct {
			ID           string `json:"id"`
			Body         string `json:"body"`
			Hidden       bool   `json:"hidden"`
			HiddenReason string `json:"hidden_reason"`
		}
	}
	env.Do(t, "GET", base, actor.Token, nil).Expect(t, 200).JSON(t, &p)
	if p.Items[0].ID != abusive || p.Items[0].Body != "" || p.Items[0].HiddenReason != "" || !p.Items[0].Hidden {
		t.Fatalf("others see a trace only %+v", p.Items[0])
	}
	trail, err := env.DB.CommentEvents(ctx, abusive)
	if err != nil || len(trail) != 2 || trail[1].Action != "hide" || trail[1].Reason != "Propos injurieux envers une personne." ||
		trail[1].Body != "Propos injurieux." {
		t.Fatalf("audit %+v %v", trail, err)
	}
	// Pages of the discussion.
	env.Do(t, "GET", base+"?limit=2", actor.Token, nil).Expect(t, 200).JSON(t, &p)
	env.Do(t, "GET", base+"?limit=0", actor.Token, nil).Expect(t, 422)
	env.Do(t, "GET", base+"?cursor=nimporte", actor.Token, nil).Expect(t, 422)

	// The submitter and the officer mentioned are told; the commenter is not.
	rows, _, err := env.DB.Outbox(ctx, storage.OutboxFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, r := range rows {
		if r.Subject == "comment" {
			kinds[r.Kind+":"+r.RecipientID]++
		}
	}
	if kinds["need_commented:"+actor.ID] != 3 || kinds["mentioned:"+officer.ID] != 1 || len(kinds) != 2 {
		t.Fatalf("outbox %v", kinds)
	}

	// Anonymous visitors see public comments without names; the internal note stays out.
	b := newBrowser(t, env)
	pg := b.get("/besoins/"+id).expect(t, 200, "Discussion", "Un participant", "Un commentaire ancien.",
		"Commentaire supprimé par son auteur.", "Commentaire masqué par un chargé de mission.")
	pg.lacks(t, other.Name, "Dossier à instruire en priorité.", "Propos injurieux.")

	// The admin's view of the outbox.
	var ob struct {
		Items []map[string]any `json:"items"`
	}
	// Only the comment still shown waits to be sent: the deleted one's two
	// messages and the hidden one's are dropped, with no copy of the words.
	env.Do(t, "GET", "/api/v1/admin/outbox?status=pending", admin.Token, nil).Expect(t, 200).JSON(t, &ob)
	if len(ob.Items) != 1 || ob.Items[0]["subject_id"] != late {
		t.Fatalf("pending %v", ob.Items)
	}
	env.Do(t, "GET", "/api/v1/admin/outbox?status=skipped", admin.Token, nil).Expect(t, 200).JSON(t, &ob)
	if len(ob.Items) != 3 {
		t.Fatalf("skipped %v", ob.Items)
	}
	for _, it := range ob.Items {
		if d, _ := it["data"].(map[string]any); d["comment"] != nil {
			t.Fatalf("a dropped message keeps the words %v", it)
		}
	}
	env.Do(t, "GET", "/api/v1/admin/outbox", actor.Token, nil).Expect(t, 403)
	env.Do(t, "GET", "/api/v1/admin/outbox?status=perdu", admin.Token, nil).Expect(t, 422)
}

func TestDiscussionOnTheNeedPage(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	id := apiNeed(t, env, actor, "Navette solidaire vers la gare")
	b := newBrowser(t, env)
	b.signIn(actor.Email, actor.Password)
	b.post("/besoins/"+id+"/discussion", url.Values{"body": {""}}).expect(t, 422, "Le champ « Message » est obligatoire")
	b.post("/besoins/"+id+"/discussion", url.Values{"body": {"Nous avons des chauffeurs bénévoles."}}).redirects(t, "/besoins/"+id+"#discussion")
	pg := b.get("/besoins/"+id).expect(t, 200, "Nous avons des chauffeurs bénévoles.", "Modifier", "Votre commentaire est publié.")
	cid := regexpFind(t, pg.Body, `id="commentaire-([0-9a-f-]{36})"`)
	b.post("/besoins/"+id+"/discussion/"+cid, url.Values{"action": {"edit"}, "body": {"Nous avons trois chauffeurs bénévoles."}}).
		redirects(t, "/besoins/"+id+"#discussion")
	b.get("/besoins/"+id).expect(t, 200, "Nous avons trois chauffeurs bénévoles.", "modifié")

	o := newBrowser(t, env)
	o.signIn(officer.Email, officer.Password)
	o.post("/besoins/"+id+"/discussion/"+cid, url.Values{"action": {"hide"}, "reason": {""}}).expect(t, 422, "Motif")
	o.post("/besoins/"+id+"/discussion/"+cid, url.Values{"action": {"edit"}, "body": {"Pas le mien"}}).expect(t, 403)
	o.post("/besoins/"+id+"/discussion", url.Values{"body": {"À voir en comité."}, "internal": {"1"}}).redirects(t, "/besoins/"+id+"#discussion")
	o.get("/besoins/"+id).expect(t, 200, "À voir en comité.", "Note interne")
	b.get("/besoins/"+id).lacks(t, "À voir en comité.")
}

func TestNotificationPreferencesAndUnsubscribe(t *testing.T) {
	env := testenv.New(t)
	ctx := context.Background()
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	other := env.Account(t, "Association", domain.RoleActor)

	var prefs struct {
		Kinds    map[string]string `json:"kinds"`
		Language string            `json:"language"`
	}
	env.Do(t, "GET", "/api/v1/me/notifications", actor.Token, nil).Expect(t, 200).JSON(t, &prefs)
	if len(prefs.Kinds) != len(domain.NotificationKinds) || prefs.Kinds["need_supported"] != "digest" || prefs.Language != "fr" {
		t.Fatalf("defaults %+v", prefs)
	}
	env.Do(t, "PUT", "/api/v1/me/notifications", actor.Token, map[string]any{"kinds": map[string]string{"mentioned": "immediate"}, "language": "en"}).
		Expect(t, 200).JSON(t, &prefs)
	if prefs.Kinds["mentioned"] != "immediate" || prefs.Kinds["need_supported"] != "digest" || prefs.Language != "en" {
		t.Fatalf("changed %+v", prefs)
	}
	e := errorOf(t, env.Do(t, "PUT", "/api/v1/me/notifications", actor.Token, map[string]any{"kinds": map[string]string{"inconnu": "never", "mentioned": "parfois"}, "language": "de"}).Expect(t, 422))
	if len(e.Fields) != 3 {
		t.Fatalf("every failing field is named: %+v", e)
	}

	// The page of one's own choices.
	b := newBrowser(t, env)
	b.signIn(actor.Email, actor.Password)
	b.get("/mon-compte/notifications").expect(t, 200, "Mes notifications par e-mail", "On me mentionne dans une discussion", "Dans le récapitulatif quotidien")
	form := url.Values{"language": {"fr"}}
	for _, k := range domain.NotificationKinds {
		form.Set(string(k), "digest")
	}
	form.Set("need_supported", "never")
	b.post("/mon-compte/notifications", form).redirects(t, "/mon-compte/notifications")
	form.Set("need_supported", "bientôt")
	b.post("/mon-compte/notifications", form).expect(t, 422, "Un de mes besoins reçoit un soutien")
	env.Do(t, "GET", "/api/v1/me/notifications", actor.Token, nil).Expect(t, 200).JSON(t, &prefs)
	if prefs.Kinds["need_supported"] != "never" || prefs.Kinds["mentioned"] != "digest" || prefs.Language != "fr" {
		t.Fatalf("after the form %+v", prefs)
	}

	// One-click unsubscribe: no session, one kind, one person.
	tok, err := env.DB.UnsubscribeToken(ctx, actor.ID, "need_stage_changed", 0)
	if err != nil {
		t.Fatal(err)
	}
	anon := newBrowser(t, env)
	anon.get("/desabonnement/"+tok).expect(t, 200, "Ne plus recevoir par e-mail : « Un de mes dossiers change d'étape » ?", "Me désabonner")
	anon.do("POST", "/desabonnement/"+tok, url.Values{"List-Unsubscribe": {"One-Click"}}).expect(t, 200, "C'est fait")
	anon.get("/desabonnement/pas-un-jeton").expect(t, 404)
	anon.do("POST", "/desabonnement/pas-un-jeton", url.Values{"List-Unsubscribe": {"One-Click"}}).expect(t, 404)
	env.Do(t, "GET", "/api/v1/me/notifications", actor.Token, nil).Expect(t, 200).JSON(t, &prefs)
	if prefs.Kinds["need_stage_changed"] != "never" || prefs.Kinds["mentioned"] != "digest" {
		t.Fatalf("only that kind stops: %+v", prefs)
	}
	env.Do(t, "GET", "/api/v1/me/notifications", other.Token, nil).Expect(t, 200).JSON(t, &prefs)
	if prefs.Kinds["need_stage_changed"] != "digest" {
		t.Fatal("only that person")
	}
}

// TestMailLinksAreThePagesAddresses keeps the e-mails' links to the pages
// (internal/mail) the same as the route table's.
func TestMailLinksAreThePagesAddresses(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	id := apiNeed(t, env, actor, "Un besoin pour les liens")
	link := mail.Item{Subject: "need", SubjectID: id}.Link("")
	newBrowser(t, env).get(link).expect(t, 200, "Un besoin pour les liens")
	b := newBrowser(t, env)
	b.signIn(actor.Email, actor.Password)
	b.get(mail.SubjectPaths["preferences"]).expect(t, 200, "Mes notifications")
	b.get(mail.SubjectPaths["study_action"]+"00000000-0000-0000-0000-000000000000").expect(t, 404)
}

// mentionOf is how one writes a person's @handle: their name, folded, dots for spaces.
func mentionOf(a testenv.Account) string {
	return strings.ReplaceAll(domain.NormaliseKey(a.Name), " ", ".")
}

// TestUnsubscribeLinksExpireAndStayOutOfTheLogs: each link is new, works
// for its lifetime (one click included), is never written to the request
// log, and once expired gets a French page saying so, not an error.
func TestUnsubscribeLinksExpireAndStayOutOfTheLogs(t *testing.T) {
	ctx := context.Background()
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	first, err := env.DB.UnsubscribeToken(ctx, actor.ID, "need_stage_changed", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	second, err := env.DB.UnsubscribeToken(ctx, actor.ID, "need_supported", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	again, err := env.DB.UnsubscribeToken(ctx, actor.ID, "need_stage_changed", time.Hour)
	if err != nil || again == first {
		t.Fatalf("every message has a link of its own: %q %v", again, err)
	}
	anon := newBrowser(t, env)
	pg := anon.get("/desabonnement/"+first).expect(t, 200, "Me désabonner")
	if pg.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("Referrer-Policy %q", pg.Header.Get("Referrer-Policy"))
	}
	anon.do("POST", "/desabonnement/"+first, url.Values{"List-Unsubscribe": {"One-Click"}}).expect(t, 200, "C'est fait")
	anon.get("/desabonnement/pas-un-jeton").expect(t, 404)

	// The second link has expired: a 410 page in French, for the form and
	// for one click, and nothing changes.
	if _, err := env.DB.Pool.Exec(ctx, "UPDATE unsubscribe_links SET expires_at = now() - interval '1 second' WHERE kind = 'need_supported'"); err != nil {
		t.Fatal(err)
	}
	anon.get("/desabonnement/"+second).expect(t, 410, "Lien expiré", "Ce lien de désabonnement a expiré")
	anon.do("POST", "/desabonnement/"+second, url.Values{"List-Unsubscribe": {"One-Click"}}).expect(t, 410, "Ce lien de désabonnement a expiré")
	var prefs struct{ Kinds map[string]string }
	env.Do(t, "GET", "/api/v1/me/notifications", actor.Token, nil).Expect(t, 200).JSON(t, &prefs)
	if prefs.Kinds["need_stage_changed"] != "never" || prefs.Kinds["need_supported"] != "digest" {
		t.Fatalf("preferences %+v", prefs)
	}
	// Another link of the same person and kind still works.
	anon.get("/desabonnement/"+again).expect(t, 200, "Me désabonner")

	logs := env.Logs()
	for _, tok := range []string{first, second, again} {
		if strings.Contains(logs, tok) {
			t.Fatalf("the request log carries a token:\n%s", logs)
		}
	}
	if !strings.Contains(logs, "/desabonnement/[redacted]") {
		t.Fatalf("the requests are logged, without their token:\n%s", logs)
	}
}
