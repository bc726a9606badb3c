package activities_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/activities"
	"essor/internal/domain"
	"essor/internal/mail"
	"essor/internal/mail/mailtest"
	"essor/internal/storage"
	"essor/internal/testdb"
)

var ctx = context.Background()

type fixture struct {
	db   *storage.DB
	smtp *mailtest.Server
	acts *activities.Activities
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, _ := testdb.Fresh(t)
	srv := mailtest.Start(t)
	sender, err := mail.NewSender(srv.URL(), "Essor <essor@essor.example>")
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, smtp: srv, acts: &activities.Activities{DB: db,
		Mail: &activities.Mail{Sender: sender, BaseURL: "https://essor.example"}}}
}

func (f *fixture) user(t *testing.T, name, lang string, roles ...domain.Role) storage.User {
	t.Helper()
	id := uuid.NewString()
	u := storage.User{ID: id, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@exemple.fr", Name: name,
		Organisation: "Org " + id[:6], Roles: roles, PasswordHash: "x", Active: true}
	if err := f.db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetNotificationSettings(ctx, id, lang, nil); err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *fixture) prefer(t *testing.T, u storage.User, mode domain.NotifyMode, kinds ...domain.NotificationKind) {
	t.Helper()
	p := domain.Preferences{}
	for _, k := range kinds {
		p[k] = mode
	}
	if err := f.db.SetNotificationSettings(ctx, u.ID, "", p); err != nil {
		t.Fatal(err)
	}
}

// need submits a need and has an officer qualify it: the qualification
// moves its stage (a message for the submitter).
func (f *fixture) need(t *testing.T, by, officer storage.User, title string) (*domain.Need, []domain.Event) {
	t.Helper()
	now := time.Now().UTC()
	n, ev := domain.NewNeed(uuid.NewString(), domain.NeedSubmission{Title: title, Description: "Une description assez longue du besoin.",
		Theme: "housing", TerritoryCode: "25"}, by.Caller(), now)
	if err := f.db.SaveNeed(ctx, n, []domain.Event{ev}, nil); err != nil {
		t.Fatal(err)
	}
	events := n.Apply(domain.NeedCommand{NeedInput: domain.NeedInput{Action: domain.ActionQualify}, Caller: officer.Caller()}, now, time.Hour)
	if err := f.db.SaveNeed(ctx, n, events, nil); err != nil {
		t.Fatal(err)
	}
	return n, events
}

func (f *fixture) statuses(t *testing.T) map[string]int {
	t.Helper()
	c, err := f.db.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestImmediateMessagesReachTheRightPeopleInTheirLanguage(t *testing.T) {
	f := newFixture(t)
	claire := f.user(t, "Claire Martin", "fr", domain.RoleActor)
	john := f.user(t, "John Smith", "en", domain.RoleActor)
	officer := f.user(t, "Paul Officier", "fr", domain.RoleOfficer)
	f.prefer(t, claire, domain.ModeImmediate, domain.NotifyStageChanged)
	f.prefer(t, john, domain.ModeImmediate, domain.NotifyStageChanged)
	n, events := f.need(t, claire, officer, "Garde d'enfants à Dole")
	f.need(t, john, officer, "Épicerie solidaire à Lons")
	// A retried save (same events) queues nothing more.
	if err := f.db.SaveNeed(ctx, n, events, nil); err != nil {
		t.Fatal(err)
	}
	res, err := f.acts.SendPending(ctx)
	if err != nil || res.Sent != 2 {
		t.Fatalf("sent %+v, %v", res, err)
	}
	fr := f.smtp.To(claire.Email)
	en := f.smtp.To(john.Email)
	if len(fr) != 1 || len(en) != 1 || len(f.smtp.To(officer.Email)) != 0 {
		t.Fatalf("messages: %d to Claire, %d to John, %d to the officer", len(fr), len(en), len(f.smtp.To(officer.Email)))
	}
	if fr[0].Subject != "« Garde d'enfants à Dole » change d'étape" || en[0].Subject != "“Épicerie solidaire à Lons” moves to a new stage" {
		t.Fatalf("subjects %q / %q", fr[0].Subject, en[0].Subject)
	}
	text := fr[0].Part("text/plain")
	if !strings.Contains(text, "passe de l'étape « Besoin remonté » à l'étape « Besoin qualifié »") ||
		!strings.Contains(text, "https://essor.example/besoins/"+n.ID) {
		t.Fatalf("French text:\n%s", text)
	}
	if html := en[0].Part("text/html"); !strings.Contains(html, `<html lang="en">`) || !strings.Contains(html, "View on Essor") {
		t.Fatalf("English HTML:\n%s", html)
	}
	h := fr[0].Header
	if h.Get("List-Unsubscribe") == en[0].Header.Get("List-Unsubscribe") {
		t.Fatal("every message has an unsubscribe link of its own")
	}
	if !strings.HasPrefix(h.Get("List-Unsubscribe"), "<https://essor.example/desabonnement/") ||
		h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.HasSuffix(h.Get("Message-Id"), "@essor.example>") {
		t.Fatalf("headers %v", h)
	}
	if c := f.statuses(t); c["sent"] != 2 || c["pending"] != 0 {
		t.Fatalf("outbox %v", c)
	}
	// Nothing is sent twice.
	if res, err := f.acts.SendPending(ctx); err != nil || res.Sent != 0 || len(f.smtp.Messages()) != 2 {
		t.Fatalf("second run %+v %v, %d messages", res, err, len(f.smtp.Messages()))
	}
}

func TestDigestGroupsAPersonsMessagesOnce(t *testing.T) {
	f := newFixture(t)
	claire := f.user(t, "Claire Martin", "fr", domain.RoleActor)
	officer := f.user(t, "Paul Officier", "fr", domain.RoleOfficer)
	supporter := f.user(t, "Sam Soutien", "fr", domain.RoleActor)
	n, _ := f.need(t, claire, officer, "Garde d'enfants à Dole")
	ev := n.Apply(domain.NeedCommand{NeedInput: domain.NeedInput{Action: domain.ActionSupport}, Caller: supporter.Caller()}, time.Now(), time.Hour)
	if err := f.db.SaveNeed(ctx, n, ev, nil); err != nil {
		t.Fatal(err)
	}
	f.need(t, claire, officer, "Navette vers la gare")

	// Digest is the default: nothing goes out at once.
	if res, err := f.acts.SendPending(ctx); err != nil || res.Sent != 0 {
		t.Fatalf("immediate run %+v %v", res, err)
	}
	in := activities.DigestInput{Before: time.Now(), Day: "2026-12-07"}
	people, err := f.acts.DigestRecipients(ctx, in)
	if err != nil || len(people) != 1 || people[0] != claire.ID {
		t.Fatalf("recipients %v %v", people, err)
	}
	count, err := f.acts.SendDigest(ctx, activities.SendDigestInput{DigestInput: in, RecipientID: claire.ID})
	if err != nil || count != 3 {
		t.Fatalf("digest of %d, %v", count, err)
	}
	got := f.smtp.To(claire.Email)
	if len(got) != 1 || got[0].Subject != "Essor : votre récapitulatif du jour (3)" {
		t.Fatalf("digests %+v", got)
	}
	text := got[0].Part("text/plain")
	for _, want := range []string{"« Garde d'enfants à Dole » a reçu un nouveau soutien", "Le dossier « Navette vers la gare » passe"} {
		if !strings.Contains(text, want) {
			t.Fatalf("digest lacks %q:\n%s", want, text)
		}
	}
	if id := got[0].Header.Get("Message-Id"); id != "<digest-"+claire.ID+"-2026-12-07@essor.example>" {
		t.Fatalf("message id %s", id)
	}
	if n, _ := f.acts.SendDigest(ctx, activities.SendDigestInput{DigestInput: in, RecipientID: claire.ID}); n != 0 || len(f.smtp.Messages()) != 1 {
		t.Fatalf("a second digest run sent %d", n)
	}
}

func TestSMTPFailingThenRecoveringDelaysButLosesAndDoublesNothing(t *testing.T) {
	f := newFixture(t)
	claire := f.user(t, "Claire Martin", "fr", domain.RoleActor)
	bad := f.user(t, "Adresse Inconnue", "fr", domain.RoleActor)
	officer := f.user(t, "Paul Officier", "fr", domain.RoleOfficer)
	for _, u := range []storage.User{claire, bad} {
		f.prefer(t, u, domain.ModeImmediate, domain.NotifyStageChanged)
	}
	f.need(t, claire, officer, "Premier besoin")
	f.need(t, claire, officer, "Deuxième besoin")
	f.need(t, bad, officer, "Besoin d'une adresse refusée")

	// No server at all: nothing is tried, nothing is counted.
	down := &activities.Activities{DB: f.db, Mail: &activities.Mail{Sender: mustSender(t, "smtp://127.0.0.1:1?tls=none"), BaseURL: "x"}}
	if _, err := down.SendPending(ctx); err == nil {
		t.Fatal("a server away is not an error")
	}
	// The server refuses for now, then recovers; one address is refused for good.
	f.smtp.RefuseNext(1)
	f.smtp.RefuseRecipient(bad.Email)
	if _, err := f.acts.SendPending(ctx); err == nil {
		t.Fatal("a refusal for now must fail the activity (Temporal retries it)")
	}
	if c := f.statuses(t); c["pending"] != 3 || c["sent"] != 0 {
		t.Fatalf("after the failure: %v", c)
	}
	res, err := f.acts.SendPending(ctx)
	if err != nil || res.Sent != 2 || res.Failed != 1 {
		t.Fatalf("after recovery %+v %v", res, err)
	}
	if len(f.smtp.To(claire.Email)) != 2 || len(f.smtp.Messages()) != 2 {
		t.Fatalf("%d messages", len(f.smtp.Messages()))
	}
	rows, _, err := f.db.Outbox(ctx, storage.OutboxFilter{Status: "failed"})
	if err != nil || len(rows) != 1 || rows[0].RecipientID != bad.ID || !strings.Contains(rows[0].LastError, "550") {
		t.Fatalf("failed %+v %v", rows, err)
	}
	rows, _, _ = f.db.Outbox(ctx, storage.OutboxFilter{Status: "sent"})
	for _, r := range rows {
		if r.Attempts != 2 { // the refused attempt, then the one that went through; the absent server counted none
			t.Fatalf("attempts %d", r.Attempts)
		}
	}
}

func TestKilledBetweenSendAndRecordSendsAgainUnderTheSameMessageID(t *testing.T) {
	f := newFixture(t)
	claire := f.user(t, "Claire Martin", "fr", domain.RoleActor)
	officer := f.user(t, "Paul Officier", "fr", domain.RoleOfficer)
	f.prefer(t, claire, domain.ModeImmediate, domain.NotifyStageChanged)
	f.need(t, claire, officer, "Premier besoin")
	f.need(t, claire, officer, "Deuxième besoin")

	crash := true
	f.acts.Mail.Lease = time.Millisecond
	f.acts.Mail.AfterSend = func(string) error {
		if crash {
			crash = false
			return errors.New("killed")
		}
		return nil
	}
	if _, err := f.acts.SendPending(ctx); err == nil {
		t.Fatal("the crash must fail the activity")
	}
	// The first message went out but was never recorded: it waits for its
	// lease; the second was given back untried.
	if c := f.statuses(t); c["sending"] != 1 || c["pending"] != 1 {
		t.Fatalf("after the crash: %v", c)
	}
	for c := f.statuses(t); c["sent"] < 2; c = f.statuses(t) {
		if _, err := f.acts.SendPending(ctx); err != nil {
			t.Fatal(err)
		}
	}
	msgs := f.smtp.To(claire.Email)
	ids := map[string]int{}
	for _, m := range msgs {
		ids[m.Header.Get("Message-Id")]++
	}
	// At least once: nothing is lost; the message in doubt went out twice,
	// under one Message-ID, which mail programs show once.
	if len(ids) != 2 || len(msgs) != 3 {
		t.Fatalf("%d messages under %d ids: %v", len(msgs), len(ids), ids)
	}
}

func TestUnsubscribeStopsOneKindForOnePerson(t *testing.T) {
	f := newFixture(t)
	claire := f.user(t, "Claire Martin", "fr", domain.RoleActor)
	other := f.user(t, "Autre Personne", "fr", domain.RoleActor)
	officer := f.user(t, "Paul Officier", "fr", domain.RoleOfficer)
	f.prefer(t, claire, domain.ModeImmediate, domain.NotifyStageChanged, domain.NotifySupported)
	f.prefer(t, other, domain.ModeImmediate, domain.NotifyStageChanged)
	tok, err := f.db.UnsubscribeToken(ctx, claire.ID, string(domain.NotifyStageChanged), 0)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := f.db.UnsubscribeToken(ctx, claire.ID, string(domain.NotifyStageChanged), 0); again == tok {
		t.Fatal("a new token in every message")
	}
	if kind, err := f.db.Unsubscribe(ctx, tok); err != nil || kind != string(domain.NotifyStageChanged) {
		t.Fatalf("unsubscribe %q %v", kind, err)
	}
	f.need(t, claire, officer, "Besoin de Claire")
	f.need(t, other, officer, "Besoin d'une autre")
	if _, err := f.acts.SendPending(ctx); err != nil {
		t.Fatal(err)
	}
	if len(f.smtp.To(claire.Email)) != 0 || len(f.smtp.To(other.Email)) != 1 {
		t.Fatalf("Claire got %d, the other %d", len(f.smtp.To(claire.Email)), len(f.smtp.To(other.Email)))
	}
	_, p, err := f.db.NotificationSettings(ctx, claire.ID)
	if err != nil || p[domain.NotifyStageChanged] != domain.ModeNever || p[domain.NotifySupported] != domain.ModeImmediate ||
		p[domain.NotifyMentioned] != domain.ModeDigest {
		t.Fatalf("Claire's preferences %v %v", p, err)
	}
	if c := f.statuses(t); c["skipped"] != 1 {
		t.Fatalf("outbox %v", c)
	}
	if _, err := f.db.Unsubscribe(ctx, "pas-un-jeton"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
}

func TestCommentsTellTheSubmitterAndThoseMentioned(t *testing.T) {
	f := newFixture(t)
	claire := f.user(t, "Claire Martin", "fr", domain.RoleActor)
	officer := f.user(t, "Paul Officier", "fr", domain.RoleOfficer)
	member := f.user(t, "Élise Comité", "en", domain.RoleCommittee)
	actor := f.user(t, "Sam Acteur", "fr", domain.RoleActor)
	n, _ := f.need(t, claire, officer, "Garde d'enfants à Dole")
	for _, u := range []storage.User{claire, officer, member, actor} {
		f.prefer(t, u, domain.ModeImmediate, domain.NotifyCommented, domain.NotifyMentioned)
	}
	post := func(by storage.User, body string, internal bool) {
		c := domain.Comment{ID: uuid.NewString(), NeedID: n.ID, AuthorID: by.ID, AuthorName: by.Name, Body: body,
			Internal: internal, CreatedAt: time.Now()}
		if err := f.db.PostComment(ctx, c, domain.Mentions(body)); err != nil {
			t.Fatal(err)
		}
	}
	post(actor, "Bonne idée ! @paul.officier et @elise.comite, qu'en dites-vous ? (écrire à sam@exemple.fr)", false)
	post(officer, "Note : @sam.acteur ne doit pas voir ceci, @elise.comite oui.", true)
	if _, err := f.acts.SendPending(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		claire.Email:  {"Nouveau commentaire sur « Garde d'enfants à Dole »"},
		officer.Email: {"On vous mentionne : « Garde d'enfants à Dole »"},
		member.Email:  {"You were mentioned: “Garde d'enfants à Dole”", "You were mentioned: “Garde d'enfants à Dole”"},
		actor.Email:   nil,
	}
	for addr, subjects := range want {
		got := f.smtp.To(addr)
		if len(got) != len(subjects) {
			t.Fatalf("%s got %d messages, want %d", addr, len(got), len(subjects))
		}
		for i, s := range subjects {
			if got[i].Subject != s {
				t.Fatalf("%s: %q, want %q", addr, got[i].Subject, s)
			}
		}
	}
	if !strings.Contains(f.smtp.To(claire.Email)[0].Part("text/plain"), "Sam Acteur a commenté") {
		t.Fatal("the comment's author is named")
	}
}

func mustSender(t *testing.T, url string) *mail.Sender {
	t.Helper()
	s, err := mail.NewSender(url, "essor@essor.example")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A digest backlog left when someone switches to immediate sending goes as
// one digest, not one message per item.
func TestSwitchingToImmediateSendsTheBacklogAsOneDigest(t *testing.T) {
	f := newFixture(t)
	claire := f.user(t, "Claire Martin", "fr", domain.RoleActor)
	john := f.user(t, "John Smith", "en", domain.RoleActor)
	officer := f.user(t, "Paul Officier", "fr", domain.RoleOfficer)
	for _, title := range []string{"Garde d'enfants à Dole", "Navette vers la gare", "Épicerie solidaire à Lons"} {
		f.need(t, claire, officer, title)
	}
	f.need(t, john, officer, "Recyclerie à Lure")
	f.prefer(t, claire, domain.ModeImmediate, domain.NotifyStageChanged)
	f.prefer(t, john, domain.ModeImmediate, domain.NotifyStageChanged)
	res, err := f.acts.SendPending(ctx)
	if err != nil || res.Sent != 4 {
		t.Fatalf("sent %+v, %v", res, err)
	}
	got := f.smtp.To(claire.Email)
	if len(got) != 1 || got[0].Subject != "Essor : votre récapitulatif du jour (3)" || len(f.smtp.To(john.Email)) != 1 {
		t.Fatalf("%d messages to Claire (want one digest): %+v; %d to John", len(got), got, len(f.smtp.To(john.Email)))
	}
	if c := f.statuses(t); c["sent"] != 4 || c["pending"] != 0 {
		t.Fatalf("outbox %v", c)
	}
}

func TestCommentChangesReachTheMessagesNotYetSent(t *testing.T) {
	f := newFixture(t)
	claire := f.user(t, "Claire Martin", "fr", domain.RoleActor)
	officer := f.user(t, "Paul Officier", "fr", domain.RoleOfficer)
	digested := f.user(t, "Élise Comité", "fr", domain.RoleCommittee) // keeps the default: digest
	actor := f.user(t, "Sam Acteur", "fr", domain.RoleActor)
	n, _ := f.need(t, claire, officer, "Garde d'enfants à Dole")
	f.prefer(t, claire, domain.ModeImmediate, domain.NotifyCommented, domain.NotifyMentioned)
	post := func(body string) string {
		c := domain.Comment{ID: uuid.NewString(), NeedID: n.ID, AuthorID: actor.ID, AuthorName: actor.Name, Body: body,
			CreatedAt: time.Now()}
		if err := f.db.PostComment(ctx, c, domain.Mentions(body)); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	change := func(id, action, text string, by storage.User) {
		if _, err := f.db.ChangeComment(ctx, n.ID, id, by.Caller(), action, text, time.Now(),
			func(domain.Comment) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	deleted := post("Mot supprimé par son auteur, @elise.comite")
	hidden := post("Mot masqué par un officier, @elise.comite")
	edited := post("Premier jet maladroit, @elise.comite")
	kept := post("Un commentaire qui reste, @elise.comite")
	change(deleted, "delete", "", actor)
	change(hidden, "hide", "propos injurieux", officer)
	change(edited, "edit", "Texte corrigé par son auteur, @elise.comite", actor)

	if _, err := f.acts.SendPending(ctx); err != nil {
		t.Fatal(err)
	}
	in := activities.DigestInput{Before: time.Now(), Day: "2026-12-07"}
	if _, err := f.acts.SendDigest(ctx, activities.SendDigestInput{DigestInput: in, RecipientID: digested.ID}); err != nil {
		t.Fatal(err)
	}
	got := f.smtp.To(claire.Email)
	if len(got) != 2 {
		t.Fatalf("Claire got %d messages, want 2 (the edited and the kept comment)", len(got))
	}
	digest := f.smtp.To(digested.Email)
	if len(digest) != 1 || digest[0].Subject != "Essor : votre récapitulatif du jour (2)" {
		t.Fatalf("digests %+v", digest)
	}
	var all strings.Builder
	for _, m := range append(got, digest...) {
		all.WriteString(m.Part("text/plain") + m.Part("text/html"))
	}
	for _, gone := range []string{"supprimé", "masqué", "Premier jet"} {
		if strings.Contains(all.String(), gone) {
			t.Fatalf("a message carries %q:\n%s", gone, all.String())
		}
	}
	for _, want := range []string{"Texte corrigé par son auteur", "Un commentaire qui reste"} {
		if strings.Count(all.String(), want) < 4 { // text and HTML, to Claire and in the digest
			t.Fatalf("messages lack %q:\n%s", want, all.String())
		}
	}
	// The dropped messages keep no copy of the words.
	rows, _, err := f.db.Outbox(ctx, storage.OutboxFilter{Status: "skipped"})
	if err != nil || len(rows) != 4 {
		t.Fatalf("skipped %d %v", len(rows), err)
	}
	for _, r := range rows {
		if r.Data["comment"] != "" || (r.LastError != "comment deleted" && r.LastError != "comment hidden") {
			t.Fatalf("skipped row %+v", r)
		}
	}
	// A message already sent is left as it was; a later edit changes nothing sent.
	change(kept, "edit", "Modifié après l'envoi", actor)
	if res, err := f.acts.SendPending(ctx); err != nil || res.Sent != 0 {
		t.Fatalf("after a late edit %+v %v", res, err)
	}
}

// An unqualified need nobody is in charge of: its reminder reaches the
// officers who cover its territory (here through its parent), or every
// officer when none does.
func TestReminderOfAnUnassignedNeedReachesTheOfficersOfItsTerritory(t *testing.T) {
	f := newFixture(t)
	claire := f.user(t, "Claire Martin", "fr", domain.RoleActor)
	jura := f.user(t, "Jeanne Jura", "fr", domain.RoleOfficer)
	doubs := f.user(t, "Denis Doubs", "fr", domain.RoleOfficer)
	nowhere := f.user(t, "Nina Partout", "en", domain.RoleOfficer)
	for _, u := range []storage.User{jura, doubs, nowhere} {
		f.prefer(t, u, domain.ModeImmediate, domain.NotifyWaiting)
	}
	if _, err := f.db.SetOfficerTerritories(ctx, jura.ID, []string{"39"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SetOfficerTerritories(ctx, doubs.ID, []string{"25"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SetOfficerTerritories(ctx, claire.ID, []string{"25"}); err == nil {
		t.Fatal("an actor covers no territory")
	}
	if _, err := f.db.SetOfficerTerritories(ctx, jura.ID, []string{"39", "99"}); err == nil {
		t.Fatal("an unknown territory is refused")
	}
	remind := func(title string) {
		now := time.Now().UTC()
		n, ev := domain.NewNeed(uuid.NewString(), domain.NeedSubmission{Title: title, Description: "Une description assez longue du besoin.",
			Theme: "mobility", TerritoryCode: "ze-dole"}, claire.Caller(), now)
		if err := f.db.SaveNeed(ctx, n, []domain.Event{ev}, nil); err != nil {
			t.Fatal(err)
		}
		d, ok := n.NextDeadline(domain.DefaultPolicy)
		if !ok || d.Kind != "qualification_overdue" {
			t.Fatalf("deadline %+v", d)
		}
		if err := f.db.SaveNeed(ctx, n, []domain.Event{n.Fire(d, now)}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := f.acts.SendPending(ctx); err != nil {
			t.Fatal(err)
		}
	}
	remind("Navette vers Dole")
	if len(f.smtp.To(jura.Email)) != 1 || len(f.smtp.To(doubs.Email)) != 0 || len(f.smtp.To(nowhere.Email)) != 0 {
		t.Fatalf("Jura %d, Doubs %d, elsewhere %d", len(f.smtp.To(jura.Email)), len(f.smtp.To(doubs.Email)), len(f.smtp.To(nowhere.Email)))
	}
	if m := f.smtp.To(jura.Email)[0]; !strings.Contains(m.Subject, "Navette vers Dole") {
		t.Fatalf("subject %q", m.Subject)
	}
	// Nobody covers the Jura any more: every officer hears.
	if _, err := f.db.SetOfficerTerritories(ctx, jura.ID, nil); err != nil {
		t.Fatal(err)
	}
	remind("Épicerie à Tavaux")
	for _, u := range []storage.User{jura, doubs, nowhere} {
		got := f.smtp.To(u.Email)
		if len(got) == 0 || !strings.Contains(got[len(got)-1].Subject, "Épicerie à Tavaux") {
			t.Fatalf("%s was not told", u.Name)
		}
	}
	if len(f.smtp.To(claire.Email)) != 0 {
		t.Fatal("the submitter is not reminded")
	}
}

// The officer in charge hears of a carrier volunteering; a need's
// supporters hear of its stage changes, under a kind of their own that
// each may turn off.
func TestCarriersTellTheOfficerAndStagesTellTheSupporters(t *testing.T) {
	f := newFixture(t)
	claire := f.user(t, "Claire Martin", "fr", domain.RoleActor)
	officer := f.user(t, "Paul Officier", "fr", domain.RoleOfficer)
	other := f.user(t, "Olga Autre", "fr", domain.RoleOfficer)
	sam := f.user(t, "Sam Soutien", "fr", domain.RoleActor)
	quiet := f.user(t, "Quentin Silence", "en", domain.RoleActor)
	regie := f.user(t, "Rémi Régie", "fr", domain.RoleActor)
	for _, u := range []storage.User{claire, officer, other, sam, quiet, regie} {
		f.prefer(t, u, domain.ModeImmediate, domain.NotifyStageChanged, domain.NotifySupportedStageChanged, domain.NotifyCarrierProposed)
	}
	f.prefer(t, quiet, domain.ModeNever, domain.NotifySupportedStageChanged)
	now := time.Now().UTC()
	n, ev := domain.NewNeed(uuid.NewString(), domain.NeedSubmission{Title: "Navette des aînés", Description: "Une description assez longue du besoin.",
		Theme: "mobility", TerritoryCode: "39"}, claire.Caller(), now)
	if err := f.db.SaveNeed(ctx, n, []domain.Event{ev}, nil); err != nil {
		t.Fatal(err)
	}
	apply := func(by storage.User, in domain.NeedInput) {
		t.Helper()
		if err := f.db.SaveNeed(ctx, n, n.Apply(domain.NeedCommand{NeedInput: in, Caller: by.Caller()}, time.Now().UTC(), time.Hour), nil); err != nil {
			t.Fatal(err)
		}
	}
	apply(sam, domain.NeedInput{Action: domain.ActionSupport})
	apply(quiet, domain.NeedInput{Action: domain.ActionSupport})
	apply(officer, domain.NeedInput{Action: domain.ActionQualify}) // the officer takes the need
	if _, err := f.acts.SendPending(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.smtp.To(sam.Email); len(got) != 1 || got[0].Subject != "Un besoin que vous soutenez change d'étape : « Navette des aînés »" ||
		!strings.Contains(got[0].Part("text/plain"), "que vous soutenez, passe de l'étape « Besoin remonté » à l'étape « Besoin qualifié »") {
		t.Fatalf("the supporter got %+v", got)
	}
	if len(f.smtp.To(quiet.Email)) != 0 || len(f.smtp.To(claire.Email)) != 1 {
		t.Fatalf("the supporter who turned it off got %d, the submitter %d", len(f.smtp.To(quiet.Email)), len(f.smtp.To(claire.Email)))
	}
	if got := f.smtp.To(claire.Email)[0].Subject; got != "« Navette des aînés » change d'étape" {
		t.Fatalf("the submitter keeps her own kind: %q", got)
	}

	// In carrier search, a carrier volunteers: the officer in charge is told, not the other officer.
	n.Stage = domain.StageCarrierSearch
	apply(regie, domain.NeedInput{Action: domain.ActionProposeCarrier, Organisation: "Régie de quartier", Contact: "regie@exemple.fr",
		Motivation: "Nous employons déjà des chauffeurs."})
	if _, err := f.acts.SendPending(ctx); err != nil {
		t.Fatal(err)
	}
	got := f.smtp.To(officer.Email)
	if len(got) != 1 || got[0].Subject != "« Navette des aînés » : un porteur se propose" ||
		!strings.Contains(got[0].Part("text/plain"), "Régie de quartier se propose pour porter « Navette des aînés »") {
		t.Fatalf("the officer got %+v", got)
	}
	if len(f.smtp.To(other.Email)) != 0 || len(f.smtp.To(regie.Email)) != 0 {
		t.Fatal("only the officer in charge is told")
	}
}

// TestConvenedMembersGetTheInvitation: a convened session e-mails every
// committee member its date and place, with the invitation attached for
// their calendars.
func TestConvenedMembersGetTheInvitation(t *testing.T) {
	f := newFixture(t)
	member := f.user(t, "Claire Comité", "fr", domain.RoleCommittee)
	officer := f.user(t, "Paul Officier", "fr", domain.RoleOfficer)
	f.prefer(t, member, domain.ModeImmediate, domain.NotifySessionConvened)
	now := time.Now().UTC()
	s, first, err := domain.NewSession(uuid.NewString(), domain.SessionDraft{Title: "Comité de pilotage de décembre",
		StartsAt: now.Add(72 * time.Hour).Format(time.RFC3339), Place: "Hôtel de Région, Besançon"}, officer.Caller(), now)
	if err != nil {
		t.Fatal(err)
	}
	s.Agenda = []domain.AgendaItem{{N: 1, Subject: domain.SubjectNeed, SubjectID: uuid.NewString(), Title: "Garde d'enfants à Dole"}}
	if err := f.db.SaveSession(ctx, s, []domain.Event{first}); err != nil {
		t.Fatal(err)
	}
	events := s.Apply(domain.SessionCommand{SessionInput: domain.SessionInput{Action: domain.ActionConvene}, Caller: officer.Caller()}, now)
	if err := f.db.SaveSession(ctx, s, events); err != nil {
		t.Fatal(err)
	}
	if res, err := f.acts.SendPending(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("sent %+v, %v", res, err)
	}
	got := f.smtp.To(member.Email)
	if len(got) != 1 || got[0].Subject != "Convocation : « Comité de pilotage de décembre »" {
		t.Fatalf("messages %+v", got)
	}
	if text := got[0].Part("text/plain"); !strings.Contains(text, "Hôtel de Région, Besançon") || !strings.Contains(text, "https://essor.example/comite/seances/"+s.ID) ||
		!strings.Contains(text, "1. Garde d'enfants à Dole") {
		t.Errorf("text:\n%s", text)
	}
	if ics := got[0].Part("text/calendar"); !strings.Contains(ics, "BEGIN:VCALENDAR") || !strings.Contains(ics, "SUMMARY:Comité de pilotage de décembre") {
		t.Errorf("the invitation:\n%s", ics)
	}
}

// TestDecisionLetter: a need decided in session sends its submitter the
// decision with the letter attached as a PDF that says it, read back with
// Poppler's pdftotext.
func TestDecisionLetter(t *testing.T) {
	f := newFixture(t)
	claire := f.user(t, "Claire Martin", "fr", domain.RoleActor)
	officer := f.user(t, "Paul Officier", "fr", domain.RoleOfficer)
	f.prefer(t, claire, domain.ModeImmediate, domain.NotifyDecisionLetter)
	n, _ := f.need(t, claire, officer, "Garde d'enfants à Dole")
	now := time.Now().UTC()
	budget := 60000.0
	n.Stage, n.Study = domain.StageCommittee, &domain.Study{DueDate: "2027-03-01", StartedAt: now, Summary: "Une étude.", BudgetEUR: &budget}
	n.Ballots = []domain.Ballot{{Round: 1, OpenedAt: now, Quorum: 1, Rule: domain.RuleInstitutions}}
	approved := 45000.0
	events := n.DecideInSession(domain.SessionDecision{SessionID: uuid.NewString(), N: 1, Decision: domain.DecisionApprove,
		BudgetEUR: &approved, Conditions: "Un point d'étape en juin."}, now, time.Hour)
	if err := f.db.SaveNeed(ctx, n, events, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.acts.SendPending(ctx); err != nil {
		t.Fatal(err)
	}
	var letter *mailtest.Received
	for _, m := range f.smtp.To(claire.Email) {
		if m.Subject == "Décision du comité : « Garde d'enfants à Dole »" {
			letter = &m
		}
	}
	if letter == nil {
		t.Fatalf("no decision letter: %+v", f.smtp.To(claire.Email))
	}
	pdf := letter.Part("application/pdf")
	path := filepath.Join(t.TempDir(), "lettre.pdf")
	if err := os.WriteFile(path, []byte(pdf), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (make test installs poppler-utils): %v", err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Décision du comité de pilotage — Garde d'enfants à Dole", "sa décision sur votre dossier : accord",
		"Budget approuvé : 45000,00 €", "Conditions : Un point d'étape en juin."} {
		if !strings.Contains(text, want) {
			t.Errorf("the letter lacks %q:\n%s", want, text)
		}
	}
}
