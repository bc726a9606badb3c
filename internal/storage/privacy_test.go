package storage_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

const secretHash = "$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0LXNlbA$ne-doit-jamais-sortir"

// person creates an account with a recognisable name, e-mail and hash.
func person(tb testing.TB, db *storage.DB, name, org string, roles ...domain.Role) storage.User {
	tb.Helper()
	u := storage.User{ID: uuid.NewString(), Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@exemple.fr",
		Name: name, Organisation: org, Roles: roles, PasswordHash: secretHash, Active: true}
	if err := db.CreateUser(ctx, u); err != nil {
		tb.Fatal(err)
	}
	return u
}

func act(tb testing.TB, db *storage.DB, n *domain.Need, by domain.Caller, in domain.NeedInput, quorum int) []domain.Event {
	tb.Helper()
	events := n.Apply(domain.NeedCommand{NeedInput: in, Caller: by, Quorum: quorum}, time.Now(), 0)
	if err := db.SaveNeed(ctx, n, events, nil); err != nil {
		tb.Fatal(err)
	}
	return events
}

// story is a need carried by Alice (an individual, no organisation) up to the
// search for a carrier: she submitted it, supported another need in her own
// name, voted on it as a committee member and proposed herself as carrier.
type story struct {
	alice, officer, admin storage.User
	need, other           *domain.Need
}

func newStory(t *testing.T, db *storage.DB) story {
	t.Helper()
	s := story{
		alice:   person(t, db, "Alice Martin", "", domain.RoleActor, domain.RoleCommittee),
		officer: person(t, db, "Olivier Chargé", "FCA", domain.RoleOfficer),
		admin:   person(t, db, "Adèle Admin", "Essor", domain.RoleAdmin),
	}
	s.need = mustNeed(t, db, s.alice, "Épicerie solidaire", "Aucun commerce de proximité dans le village depuis deux ans.", "39", time.Now())
	s.other = mustNeed(t, db, s.officer, "Garage solidaire", "Les familles n'ont pas les moyens de réparer leur voiture.", "39", time.Now())
	act(t, db, s.other, s.alice.Caller(), domain.NeedInput{Action: domain.ActionSupport}, 0)
	off := s.officer.Caller()
	act(t, db, s.need, off, domain.NeedInput{Action: domain.ActionQualify}, 0)
	act(t, db, s.need, off, domain.NeedInput{Action: domain.ActionStartStudy, DueDate: "2099-03-01"}, 0)
	act(t, db, s.need, off, domain.NeedInput{Action: domain.ActionSubmitStudy, Recommendation: "go", Summary: "Viable"}, 1)
	act(t, db, s.need, s.alice.Caller(), domain.NeedInput{Action: domain.ActionVote, Decision: domain.DecisionApprove, Comment: "Oui"}, 1)
	act(t, db, s.need, s.alice.Caller(), domain.NeedInput{Action: domain.ActionProposeCarrier, Organisation: "Alice Martin EI",
		Contact: "Alice Martin, 06 00 00 00 00", Motivation: "Je tiens déjà une épicerie."}, 0)
	act(t, db, s.need, off, domain.NeedInput{Action: domain.ActionProposeCarrier, Organisation: "Coopérative du Jura",
		Contact: "alice.martin@exemple.fr", Motivation: "Elle rejoindrait la coopérative."}, 0)
	if s.need.Stage != domain.StageCarrierSearch {
		t.Fatalf("story stage %s", s.need.Stage)
	}
	return s
}

func TestExportPersonalData(t *testing.T) {
	db, _ := testdb.Fresh(t)
	s := newStory(t, db)
	tok := []byte("token-hash-of-alice-000000000000")
	if err := db.CreateSession(ctx, storage.Session{TokenHash: tok, UserID: s.alice.ID, Kind: "web", CSRFToken: "csrf-secret-of-alice",
		ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ClaimKey(ctx, s.alice.ID, "cle-numero-1", []byte("h")); err != nil {
		t.Fatal(err)
	}

	p, err := db.ExportPersonalData(ctx, s.alice.ID, s.admin.Caller())
	if err != nil {
		t.Fatal(err)
	}
	if p.Account.ID != s.alice.ID || p.Account.Email != s.alice.Email || p.Account.Name != "Alice Martin" || !p.Account.Active {
		t.Errorf("account %+v", p.Account)
	}
	if p.Sessions.Count != 1 || p.Sessions.Items[0].Kind != "web" {
		t.Errorf("sessions %+v", p.Sessions)
	}
	if len(p.Needs) != 1 || p.Needs[0].ID != s.need.ID || p.Needs[0].SubmittedByName != "Alice Martin" {
		t.Errorf("needs %+v", p.Needs)
	}
	if len(p.Supports) != 1 || p.Supports[0].NeedID != s.other.ID || p.Supports[0].Organisation != "Alice Martin" {
		t.Errorf("supports %+v", p.Supports)
	}
	if len(p.Votes) != 1 || p.Votes[0].SubjectID != s.need.ID || p.Votes[0].Decision != "approve" || p.Votes[0].Comment != "Oui" ||
		p.Votes[0].NeedTitle == nil || *p.Votes[0].NeedTitle != "Épicerie solidaire" {
		t.Errorf("votes %+v", p.Votes)
	}
	// her own proposal, and the one whose contact is her address
	if len(p.Carriers) != 2 || p.Carriers[0].ProposedBy != s.alice.ID || p.Carriers[1].Contact != s.alice.Email {
		t.Errorf("carriers %+v", p.Carriers)
	}
	var actions []string
	for _, e := range p.Events {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, " ") != "submit support vote propose_carrier" {
		t.Errorf("events %v", actions)
	}
	if len(p.Requests) != 1 || p.Requests[0].Key != "cle-numero-1" {
		t.Errorf("requests %+v", p.Requests)
	}
	raw, _ := json.Marshal(p)
	for _, secret := range []string{secretHash, "password", "token-hash", "csrf-secret", "dG9rZW4taGFzaC"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the export shows %q: %s", secret, raw)
		}
	}

	again, err := db.ExportPersonalData(ctx, s.alice.ID, s.admin.Caller())
	if err != nil || len(again.AccountHistory) != 1 || again.AccountHistory[0].Action != storage.ActionExportPersonalData {
		t.Fatalf("the first export is in the account's history: %+v %v", again.AccountHistory, err)
	}
	if _, err := db.ExportPersonalData(ctx, uuid.NewString(), s.admin.Caller()); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("unknown person: %v", err)
	}
}

func TestEraseUser(t *testing.T) {
	db, _ := testdb.Fresh(t)
	s := newStory(t, db)
	tok := []byte("token-hash-of-alice-000000000000")
	if err := db.CreateSession(ctx, storage.Session{TokenHash: tok, UserID: s.alice.ID, Kind: "api", ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ClaimKey(ctx, s.alice.ID, "cle-numero-1", []byte("h")); err != nil {
		t.Fatal(err)
	}

	res, err := db.EraseUser(ctx, s.alice.ID, storage.Erasure{By: s.admin.Caller(), Reason: "Demande d'effacement du 3 mars"})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Counts
	if c.Sessions != 1 || c.Needs != 1 || c.Events != 4 || c.Votes != 1 || c.Carriers != 2 || c.Supports != 1 || res.ErasedAt.IsZero() {
		t.Fatalf("erased %+v", res)
	}
	assertErased(t, db, s)

	u, err := db.UserByID(ctx, s.alice.ID)
	if err != nil || u.Active || u.PasswordHash != "" || u.Name != storage.ErasedName || u.Email != storage.ErasedEmail(s.alice.ID) ||
		u.ErasedAt == nil || u.DeactivatedAt == nil {
		t.Fatalf("account %+v %v", u, err)
	}
	if _, _, err := db.SessionUser(ctx, tok); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("session of an erased person: %v", err)
	}
	if stored, err := db.ClaimKey(ctx, s.alice.ID, "cle-numero-1", []byte("autre")); err != nil || stored != nil {
		t.Fatalf("her recorded responses are gone: %v %v", stored, err)
	}

	trail, err := db.Events(ctx, s.alice.ID)
	if err != nil || len(trail) != 1 {
		t.Fatalf("account trail %+v %v", trail, err)
	}
	ev := trail[0]
	if ev.Action != storage.ActionErasePerson || ev.ActorID == nil || *ev.ActorID != s.admin.ID || ev.ActorName != "Adèle Admin" ||
		ev.Comment != "Demande d'effacement du 3 mars" || ev.Data["needs"] != "1" {
		t.Fatalf("erasure event %+v", ev)
	}
	raw, _ := json.Marshal(trail)
	if strings.Contains(string(raw), "Alice") {
		t.Fatalf("the erasure event names her: %s", raw)
	}

	if _, err := db.EraseUser(ctx, s.alice.ID, storage.Erasure{By: s.admin.Caller(), Reason: "encore"}); !errors.Is(err, storage.ErrAlreadyErased) {
		t.Fatalf("second erasure: %v", err)
	}
	u.Active, u.Name = true, "Alice Martin"
	if err := db.UpdateUser(ctx, u); !errors.Is(err, storage.ErrAccountErased) {
		t.Fatalf("reactivating an erased account: %v", err)
	}
	if _, err := db.EraseUser(ctx, uuid.NewString(), storage.Erasure{By: s.admin.Caller(), Reason: "x"}); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("unknown person: %v", err)
	}
	// Her export now holds her records, without her name.
	p, err := db.ExportPersonalData(ctx, s.alice.ID, s.admin.Caller())
	if err != nil || len(p.Needs) != 1 || len(p.Votes) != 1 {
		t.Fatalf("export after erasure %+v %v", p, err)
	}
	if raw, _ := json.Marshal(p); strings.Contains(string(raw), "Alice") || strings.Contains(string(raw), "alice") {
		t.Fatalf("export after erasure names her: %s", raw)
	}
}

// assertErased checks that Alice's name is nowhere in the read model, and
// that the facts are.
func assertErased(t *testing.T, db *storage.DB, s story) {
	t.Helper()
	row, err := db.Need(ctx, s.need.ID)
	if err != nil || row.SubmittedBy != s.alice.ID || row.SubmittedByName != storage.ErasedName {
		t.Fatalf("need %s %s %v", row.SubmittedBy, row.SubmittedByName, err)
	}
	if c := row.Carriers[0]; c.ProposedBy != s.alice.ID || c.ProposedByName != storage.ErasedName || c.Contact != storage.ErasedName ||
		c.Organisation != storage.ErasedName || c.Motivation != "Je tiens déjà une épicerie." {
		t.Fatalf("her own carrier %+v", c)
	}
	if c := row.Carriers[1]; c.ProposedByName != "Olivier Chargé" || c.Contact != storage.ErasedName {
		t.Fatalf("the carrier with her address %+v", c)
	}
	evs, _ := db.Events(ctx, s.need.ID)
	other, _ := db.Events(ctx, s.other.ID)
	for _, e := range append(evs, other...) {
		if e.ActorID != nil && *e.ActorID == s.alice.ID {
			if e.ActorName != storage.ErasedName {
				t.Errorf("event %s by %s", e.Action, e.ActorName)
			}
			if e.At.IsZero() || e.Action == "" {
				t.Errorf("the fact is lost: %+v", e)
			}
		}
		if org := e.Data["organisation"]; strings.Contains(org, "Alice") {
			t.Errorf("%s event data %v", e.Action, e.Data)
		}
	}
	ballots, _ := db.Ballots(ctx, s.need.ID)
	if v := ballots[0].Votes[0]; v.VoterID != s.alice.ID || v.VoterName != storage.ErasedName || v.Decision != "approve" {
		t.Fatalf("vote %+v", v)
	}
	sup, _ := db.Supporters(ctx, s.other.ID)
	if len(sup) != 1 || sup[0].Organisation != storage.ErasedName || sup[0].UserID != s.alice.ID {
		t.Fatalf("supporters %+v", sup)
	}
}

// The workflow keeps the names in its state and re-saves it on every action:
// SaveNeed must not bring an erased name back, nor change its input (a
// local activity's input shares memory with the workflow's state).
func TestSaveNeedKeepsErasedNamesOut(t *testing.T) {
	db, _ := testdb.Fresh(t)
	s := newStory(t, db)
	if _, err := db.EraseUser(ctx, s.alice.ID, storage.Erasure{By: s.admin.Caller(), Reason: "Demande"}); err != nil {
		t.Fatal(err)
	}
	aliceInState := s.alice.Caller() // what the workflow still holds

	// The officer acts on her live need: the whole state is saved again.
	act(t, db, s.need, s.officer.Caller(), domain.NeedInput{Action: domain.ActionProposeCarrier, Organisation: "Régie de quartier",
		Contact: "regie@exemple.fr", Motivation: "Nous pouvons porter le projet."}, 0)
	if s.need.SubmittedBy.Name != "Alice Martin" || s.need.Carriers[0].ProposedBy.Name != "Alice Martin" ||
		s.need.Ballots[0].Votes[0].VoterName != "Alice Martin" {
		t.Fatal("SaveNeed changed the workflow's state")
	}
	assertErased(t, db, s)

	// A save of hers that was still being retried when she was erased (her
	// support of a third need, and a need she submitted just before).
	third := mustNeed(t, db, s.officer, "Repair café", "Personne ne répare plus les appareils du quotidien au village.", "39", time.Now())
	late := third.Apply(domain.NeedCommand{NeedInput: domain.NeedInput{Action: domain.ActionSupport}, Caller: aliceInState}, time.Now(), 0)
	lateData := late[0].Data
	if err := db.SaveNeed(ctx, third, late, nil); err != nil {
		t.Fatal(err)
	}
	if late[0].ActorName != "Alice Martin" || lateData["organisation"] != "Alice Martin" {
		t.Fatalf("SaveNeed changed its events: %+v", late[0])
	}
	n, ev := domain.NewNeed(uuid.NewString(), domain.NeedSubmission{Title: "Navette des aînés", Description: "Les aînés isolés ne peuvent plus aller chez le médecin.",
		Theme: "health", TerritoryCode: "39"}, aliceInState, time.Now())
	if err := db.SaveNeed(ctx, n, []domain.Event{ev}, nil); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{third.ID, n.ID} {
		row, _ := db.Need(ctx, id)
		evs, _ := db.Events(ctx, id)
		sup, _ := db.Supporters(ctx, id)
		raw, _ := json.Marshal([]any{row, evs, sup})
		if strings.Contains(string(raw), "Alice") {
			t.Fatalf("an erased name came back: %s", raw)
		}
	}
	if sup, _ := db.Supporters(ctx, third.ID); len(sup) != 1 || sup[0].Organisation != storage.ErasedName {
		t.Fatalf("late support %+v", sup)
	}
}

// An erasure that holds the person's row makes a concurrent save wait, and
// the save then writes the replaced name: neither misses the other.
func TestSaveNeedWaitsForAnErasureInProgress(t *testing.T) {
	db, _ := testdb.Fresh(t)
	alice := person(t, db, "Alice Martin", "", domain.RoleActor)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, "SELECT 1 FROM users WHERE id = $1 FOR UPDATE", alice.ID); err != nil {
		t.Fatal(err)
	}
	n, ev := domain.NewNeed(uuid.NewString(), domain.NeedSubmission{Title: "Navette des aînés", Description: "Les aînés isolés ne peuvent plus aller chez le médecin.",
		Theme: "health", TerritoryCode: "39"}, alice.Caller(), time.Now())
	saved := make(chan error, 1)
	go func() { saved <- db.SaveNeed(ctx, n, []domain.Event{ev}, nil) }()

	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		select {
		case err := <-saved:
			t.Fatalf("the save did not wait for the erasure: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the save never waited")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := tx.Exec(ctx, "UPDATE users SET erased_at = now(), name = $2 WHERE id = $1", alice.ID, storage.ErasedName); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-saved; err != nil {
		t.Fatal(err)
	}
	row, _ := db.Need(ctx, n.ID)
	evs, _ := db.Events(ctx, n.ID)
	if row.SubmittedByName != storage.ErasedName || evs[0].ActorName != storage.ErasedName {
		t.Fatalf("saved after the erasure: %q / %q", row.SubmittedByName, evs[0].ActorName)
	}
}

func TestEraseClosedAccounts(t *testing.T) {
	db, _ := testdb.Fresh(t)
	old := person(t, db, "Ancien Membre", "", domain.RoleActor)
	recent := person(t, db, "Membre Récent", "", domain.RoleActor)
	active := person(t, db, "Membre Actif", "", domain.RoleActor)
	mustNeed(t, db, old, "Jardin partagé", "Les habitants n'ont pas d'espace pour cultiver ensemble.", "25", time.Now())
	for _, u := range []storage.User{old, recent} {
		u.Active = false
		if err := db.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Pool.Exec(ctx, "UPDATE users SET deactivated_at = now() - interval '4 years' WHERE id = $1", old.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, "UPDATE users SET updated_at = now() - interval '5 years' WHERE id = $1", active.ID); err != nil {
		t.Fatal(err)
	}
	if u, _ := db.UserByID(ctx, recent.ID); u.DeactivatedAt == nil {
		t.Fatal("deactivation time not recorded")
	}

	retention := 3 * 365 * 24 * time.Hour
	ids, err := db.EraseClosedAccounts(ctx, time.Now().Add(-retention), storage.Erasure{By: domain.System, Reason: "Conservation écoulée"})
	if err != nil || len(ids) != 1 || ids[0] != old.ID {
		t.Fatalf("erased %v %v", ids, err)
	}
	if u, _ := db.UserByID(ctx, old.ID); u.ErasedAt == nil || u.Name != storage.ErasedName {
		t.Fatalf("old closed account %+v", u)
	}
	for _, id := range []string{recent.ID, active.ID} {
		if u, _ := db.UserByID(ctx, id); u.ErasedAt != nil || u.Name == storage.ErasedName {
			t.Fatalf("erased too soon: %+v", u)
		}
	}
	trail, _ := db.Events(ctx, old.ID)
	if len(trail) != 1 || trail[0].ActorID != nil || trail[0].ActorName != "system" || trail[0].Comment != "Conservation écoulée" {
		t.Fatalf("erasure by the janitor %+v", trail)
	}
	if ids, err := db.EraseClosedAccounts(ctx, time.Now().Add(-retention), storage.Erasure{By: domain.System}); err != nil || len(ids) != 0 {
		t.Fatalf("second pass %v %v", ids, err)
	}
	// Reactivated, an account is no longer closed.
	recent.Active = true
	if err := db.UpdateUser(ctx, recent); err != nil {
		t.Fatal(err)
	}
	if u, _ := db.UserByID(ctx, recent.ID); u.DeactivatedAt != nil {
		t.Fatalf("reactivated account still closed since %v", u.DeactivatedAt)
	}
}

// TestDirectoryContactsArePersonalData: a directory record whose contact is
// a person's address is in their export, and loses that address when they
// are erased; the record itself stays.
func TestDirectoryContactsArePersonalData(t *testing.T) {
	db, _ := testdb.Fresh(t)
	person := mustUser(t, db, "", domain.RoleActor)
	admin := mustUser(t, db, "", domain.RoleAdmin)
	org, err := db.CreateOrganisation(ctx, domain.Organisation{Name: "Épicerie de la Loue", LegalForm: "association", Family: "association",
		Themes: []string{}, Territories: []string{}, Email: person.Email})
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.ExportPersonalData(ctx, person.ID, admin.Caller())
	if err != nil || len(p.Organisations) != 1 || p.Organisations[0].ID != org.ID || p.Organisations[0].Member {
		t.Fatalf("export: %+v %v", p.Organisations, err)
	}
	if _, err := db.EraseUser(ctx, person.ID, storage.Erasure{By: admin.Caller(), Reason: "Demande"}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Organisation(ctx, org.ID)
	if err != nil || got.Email != nil || got.Name != "Épicerie de la Loue" {
		t.Fatalf("after erasure: %+v %v", got, err)
	}
}
