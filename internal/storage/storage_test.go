package storage_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

var ctx = context.Background()

// mustUser creates an account.
func mustUser(tb testing.TB, db *storage.DB, org string, roles ...domain.Role) storage.User {
	tb.Helper()
	u := storage.User{ID: uuid.NewString(), Email: uuid.NewString()[:8] + "@exemple.fr", Name: "Personne", Organisation: org,
		Roles: roles, PasswordHash: "x", Active: true}
	if err := db.CreateUser(ctx, u); err != nil {
		tb.Fatal(err)
	}
	return u
}

// mustNeed stores a freshly submitted need, as its workflow would.
func mustNeed(tb testing.TB, db *storage.DB, by storage.User, title, description, territory string, at time.Time) *domain.Need {
	tb.Helper()
	n, ev := domain.NewNeed(uuid.NewString(), domain.NeedSubmission{Title: title, Description: description, Theme: "health",
		TerritoryCode: territory}, by.Caller(), at)
	if err := db.SaveNeed(ctx, n, []domain.Event{ev}, nil); err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestMigrateTwiceAppliesNothing(t *testing.T) {
	db, _ := testdb.Fresh(t)
	ran, err := db.Migrate(ctx)
	if err != nil || len(ran) != 0 {
		t.Fatalf("second migration ran %v, %v", ran, err)
	}
	themes, err := db.Themes(ctx)
	if err != nil || len(themes) != 12 || themes[0].Slug != "ageing" {
		t.Fatalf("themes %v %v", themes, err)
	}
	terr, err := db.Territories(ctx)
	if err != nil || len(terr) < 2 || terr[0].Code != "27" || terr[0].Kind != "region" || terr[1].Code != "25" || terr[1].Kind != "departement" {
		t.Fatalf("territories %d, first %v, %v", len(terr), terr[:min(2, len(terr))], err)
	}
}

func TestSaveNeedIsIdempotentAndNeverGoesBack(t *testing.T) {
	db, _ := testdb.Fresh(t)
	alice := mustUser(t, db, "Mairie de Dole", domain.RoleActor)
	n := mustNeed(t, db, alice, "Épicerie solidaire", "Aucun commerce de proximité dans le village depuis deux ans.", "39", time.Now())
	officer := storage.User{ID: uuid.NewString(), Name: "Olivier", Roles: []domain.Role{domain.RoleOfficer}}
	cmd := domain.NeedCommand{NeedInput: domain.NeedInput{Action: domain.ActionQualify, Comment: "Utile"}, Caller: officer.Caller()}
	older := *n
	events := n.Apply(cmd, time.Now(), 0)

	for i := 0; i < 3; i++ { // a retried activity
		if err := db.SaveNeed(ctx, n, events, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SaveNeed(ctx, &older, nil, nil); err != nil { // a late, older write
		t.Fatal(err)
	}
	row, err := db.Need(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if row.Stage != domain.StageQualified || row.Version != n.Version {
		t.Fatalf("stage %s version %d, want qualified %d", row.Stage, row.Version, n.Version)
	}
	evs, err := db.Events(ctx, n.ID)
	if err != nil || len(evs) != 2 || evs[0].Action != "submit" || evs[1].Action != "qualify" || evs[1].Comment != "Utile" {
		t.Fatalf("events %+v %v", evs, err)
	}
	if evs[0].ActorID == nil || *evs[0].ActorID != alice.ID {
		t.Fatalf("actor %+v", evs[0])
	}
}

func TestCarriersVotesAndSupports(t *testing.T) {
	db, _ := testdb.Fresh(t)
	alice := mustUser(t, db, "Mairie de Dole", domain.RoleActor)
	n := mustNeed(t, db, alice, "Tiers-lieu rural", "Un lieu partagé pour travailler et se former au village.", "70", time.Now())
	n.Stage = domain.StageCommittee
	n.Ballots = []domain.Ballot{{Round: 1, OpenedAt: time.Now(), Quorum: 2}}
	vote := func(voter string, d domain.Decision) {
		cmd := domain.NeedCommand{NeedInput: domain.NeedInput{Action: domain.ActionVote, Decision: d},
			Caller: domain.Caller{UserID: voter, Name: "Membre", Roles: []domain.Role{domain.RoleCommittee}}, Quorum: 2}
		if err := db.SaveNeed(ctx, n, n.Apply(cmd, time.Now(), 0), nil); err != nil {
			t.Fatal(err)
		}
	}
	m1, m2 := uuid.NewString(), uuid.NewString()
	vote(m1, domain.DecisionReject)
	vote(m1, domain.DecisionApprove) // replaces
	vote(m2, domain.DecisionApprove) // decides
	ballots, err := db.Ballots(ctx, n.ID)
	if err != nil || len(ballots) != 1 || len(ballots[0].Votes) != 2 || ballots[0].Outcome != "approve" || ballots[0].DecidedAt == nil {
		t.Fatalf("ballots %+v %v", ballots, err)
	}
	row, _ := db.Need(ctx, n.ID)
	if row.Stage != domain.StageCarrierSearch {
		t.Fatalf("stage %s", row.Stage)
	}

	prop := domain.NeedCommand{NeedInput: domain.NeedInput{Action: domain.ActionProposeCarrier, Organisation: "Coopérative",
		Contact: "coop@exemple.fr", Motivation: "Nous gérons déjà deux tiers-lieux."}, Caller: alice.Caller()}
	if err := db.SaveNeed(ctx, n, n.Apply(prop, time.Now(), 0), nil); err != nil {
		t.Fatal(err)
	}
	sup := domain.NeedCommand{NeedInput: domain.NeedInput{Action: domain.ActionSupport}, Caller: alice.Caller()}
	if err := db.SaveNeed(ctx, n, n.Apply(sup, time.Now(), 0), nil); err != nil {
		t.Fatal(err)
	}
	row, _ = db.Need(ctx, n.ID)
	if len(row.Carriers) != 1 || row.Carriers[0].Organisation != "Coopérative" || row.Carriers[0].ProposedBy != alice.ID || row.Supports != 1 {
		t.Fatalf("carriers %+v supports %d", row.Carriers, row.Supports)
	}
	sups, err := db.Supporters(ctx, n.ID)
	if err != nil || len(sups) != 1 || sups[0].Organisation != "Mairie de Dole" {
		t.Fatalf("supporters %+v %v", sups, err)
	}
	pending, err := db.PendingBallots(ctx, m1)
	if err != nil || len(pending) != 0 {
		t.Fatalf("pending after decision %+v %v", pending, err)
	}
}

func TestPossibleDuplicates(t *testing.T) {
	db, _ := testdb.Fresh(t)
	u := mustUser(t, db, "CCAS", domain.RoleActor)
	now := time.Now()
	same := mustNeed(t, db, u, "Transport solidaire des aînés", "Les personnes âgées isolées ne peuvent plus aller chez le médecin.", "39", now)
	words := mustNeed(t, db, u, "Navette pour seniors isolés", "Un transport à la demande pour les aînés des villages.", "39", now.Add(time.Second))
	mustNeed(t, db, u, "Crèche associative", "Pas de mode de garde pour les enfants de moins de trois ans.", "39", now.Add(2*time.Second))
	mustNeed(t, db, u, "Transport solidaire des aînés", "La même chose, mais dans le Doubs.", "25", now.Add(3*time.Second))

	n := mustNeed(t, db, u, "Transport solidaire pour les aines", "Les aînés isolés des villages ne peuvent plus se déplacer.", "39", now.Add(4*time.Second))
	row, err := db.Need(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(row.PossibleDuplicates) != 2 {
		t.Fatalf("duplicates %+v", row.PossibleDuplicates)
	}
	if row.PossibleDuplicates[0].ID != same.ID || row.PossibleDuplicates[1].ID != words.ID {
		t.Fatalf("order %+v", row.PossibleDuplicates)
	}
	if s := row.PossibleDuplicates[0].Similarity; s <= row.PossibleDuplicates[1].Similarity || s <= 0 || s > 1 {
		t.Fatalf("similarities %+v", row.PossibleDuplicates)
	}
	found, err := db.SimilarNeeds(ctx, "transport solidaire", "", "39")
	if err != nil || len(found) == 0 || found[0].ID != same.ID && found[0].ID != n.ID {
		t.Fatalf("similar %+v %v", found, err)
	}
	// A need in a terminal stage is no duplicate to point to.
	closed := mustNeed(t, db, u, "Transport solidaire des aînés du plateau", "Un transport pour les aînés isolés.", "39", now.Add(5*time.Second))
	officer := mustUser(t, db, "FCA", domain.RoleOfficer)
	abandon := domain.NeedCommand{NeedInput: domain.NeedInput{Action: domain.ActionAbandon, Reason: "Repris par la commune"}, Caller: officer.Caller()}
	if err := db.SaveNeed(ctx, closed, closed.Apply(abandon, time.Now(), 0), nil); err != nil {
		t.Fatal(err)
	}
	found, err = db.SimilarNeeds(ctx, "transport solidaire des aînés du plateau", "", "39")
	if err != nil || len(found) == 0 || slices.ContainsFunc(found, func(d storage.Duplicate) bool { return d.ID == closed.ID }) {
		t.Fatalf("an abandoned need offered as a duplicate: %+v %v", found, err)
	}
	none, err := db.SimilarNeeds(ctx, "le la les", "", "90")
	if err != nil || len(none) != 0 {
		t.Fatalf("similar in an empty territory %+v %v", none, err)
	}
}

func TestListFiltersSearchAndCursor(t *testing.T) {
	db, _ := testdb.Fresh(t)
	u := mustUser(t, db, "Asso", domain.RoleActor)
	other := mustUser(t, db, "Autre", domain.RoleActor)
	base := time.Now().Add(-time.Hour)
	var ids []string
	for i := 0; i < 7; i++ {
		by := u
		if i == 6 {
			by = other
		}
		n := mustNeed(t, db, by, fmt.Sprintf("Logement d'urgence numéro %d", i), "Des familles dorment dans leur voiture faute de logements.", "25", base.Add(time.Duration(i)*time.Minute))
		ids = append(ids, n.ID)
	}
	mustNeed(t, db, u, "Santé mentale des jeunes", "Aucune permanence psychologique pour les étudiants.", "90", base.Add(10*time.Minute))

	// newest first, paged by cursor, nothing missed or repeated
	var seen []string
	cursor := ""
	for page := 0; page < 10; page++ {
		rows, next, err := db.Needs(ctx, storage.NeedFilter{Territory: "25", Limit: 3, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			seen = append(seen, r.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if len(seen) != 7 || seen[0] != ids[6] || seen[6] != ids[0] {
		t.Fatalf("paged %v", seen)
	}

	search := func(q string) int {
		rows, _, err := db.Needs(ctx, storage.NeedFilter{Q: q})
		if err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}
	if n := search("logements"); n != 7 { // plural folded by the French stemmer
		t.Fatalf("logements: %d", n)
	}
	if n := search("sante"); n != 1 { // accent folded
		t.Fatalf("sante: %d", n)
	}
	if n := search("psychologiques étudiant"); n != 1 {
		t.Fatalf("psychologiques étudiant: %d", n)
	}
	if n := search("'); DROP TABLE needs; --"); n != 0 {
		t.Fatalf("injection-looking query: %d", n)
	}
	mine, _, err := db.Needs(ctx, storage.NeedFilter{SubmittedBy: other.ID})
	if err != nil || len(mine) != 1 || mine[0].ID != ids[6] {
		t.Fatalf("mine %v %v", mine, err)
	}
	if _, _, err := db.Needs(ctx, storage.NeedFilter{Cursor: "not-a-cursor"}); !errors.Is(err, storage.ErrBadCursor) {
		t.Fatalf("bad cursor: %v", err)
	}
	counts, err := db.CountByStage(ctx, storage.CountFilter{})
	if err != nil || len(counts) != 1 || counts[domain.StageCaptured] != 8 {
		t.Fatalf("counts %+v %v", counts, err)
	}
}

func TestNotFoundIsTyped(t *testing.T) {
	db, _ := testdb.Fresh(t)
	for _, id := range []string{uuid.NewString(), "pas-un-uuid"} {
		if _, err := db.Need(ctx, id); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("need %s: %v", id, err)
		}
		if _, err := db.UserByID(ctx, id); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("user %s: %v", id, err)
		}
	}
}

func TestUsersAndSessions(t *testing.T) {
	db, _ := testdb.Fresh(t)
	u := mustUser(t, db, "FCA", domain.RoleCommittee)
	mustUser(t, db, "Région", domain.RoleCommittee, domain.RoleOfficer)
	dup := u
	dup.ID, dup.Email = uuid.NewString(), "  "+u.Email
	dup.Email = u.Email[:1] + u.Email[1:]
	upper := storage.User{ID: uuid.NewString(), Email: toUpper(u.Email), Name: "x", Roles: []domain.Role{domain.RoleActor}, PasswordHash: "x", Active: true}
	if err := db.CreateUser(ctx, upper); !errors.Is(err, storage.ErrEmailTaken) {
		t.Fatalf("same e-mail in capitals: %v", err)
	}
	if n, err := db.CountActiveWithRole(ctx, domain.RoleCommittee); err != nil || n != 2 {
		t.Fatalf("committee size %d %v", n, err)
	}
	found, err := db.UserByEmail(ctx, toUpper(u.Email))
	if err != nil || found.ID != u.ID {
		t.Fatalf("by e-mail: %v", err)
	}

	live, expired := []byte("live-token-hash-0000000000000000"), []byte("old-token-hash-00000000000000000")
	if err := db.CreateSession(ctx, storage.Session{TokenHash: live, UserID: u.ID, Kind: "api", ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(ctx, storage.Session{TokenHash: expired, UserID: u.ID, Kind: "api", ExpiresAt: time.Now().Add(-time.Second)}); err != nil {
		t.Fatal(err)
	}
	if _, got, err := db.SessionUser(ctx, live); err != nil || got.ID != u.ID || len(got.Roles) != 1 {
		t.Fatalf("live session: %+v %v", got, err)
	}
	if _, _, err := db.SessionUser(ctx, expired); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("expired session: %v", err)
	}
	u.Active = false
	if err := db.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SessionUser(ctx, live); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("deactivated account still signed in: %v", err)
	}
	if n, _ := db.CountActiveWithRole(ctx, domain.RoleCommittee); n != 1 {
		t.Fatalf("committee size after deactivation %d", n)
	}
}

func toUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

func TestIdempotencyKeys(t *testing.T) {
	db, _ := testdb.Fresh(t)
	h1, h2 := []byte("hash-one"), []byte("hash-two")
	stored, err := db.ClaimKey(ctx, "u1", "k", h1)
	if err != nil || stored != nil {
		t.Fatalf("first claim %v %v", stored, err)
	}
	if stored, err := db.ClaimKey(ctx, "u1", "k", h1); err != nil || stored != nil {
		t.Fatalf("a retry while in progress proceeds: %v %v", stored, err)
	}
	if _, err := db.ClaimKey(ctx, "u1", "k", h2); !errors.Is(err, storage.ErrKeyReused) {
		t.Fatalf("other body while in progress: %v", err)
	}
	if err := db.CompleteKey(ctx, "u1", "k", storage.Stored{Status: 201, ContentType: "application/json", Body: []byte(`{"id":1}`)}); err != nil {
		t.Fatal(err)
	}
	if err := db.CompleteKey(ctx, "u1", "k", storage.Stored{Status: 201, Body: []byte(`{"id":2}`)}); err != nil {
		t.Fatal(err)
	}
	stored, err = db.ClaimKey(ctx, "u1", "k", h1)
	if err != nil || stored == nil || stored.Status != 201 || string(stored.Body) != `{"id":1}` {
		t.Fatalf("replay %+v %v", stored, err)
	}
	if _, err := db.ClaimKey(ctx, "u1", "k", h2); !errors.Is(err, storage.ErrKeyReused) {
		t.Fatalf("other body: %v", err)
	}
	if stored, err := db.ClaimKey(ctx, "u2", "k", h2); err != nil || stored != nil {
		t.Fatalf("another user's key space: %v %v", stored, err)
	}
	if err := db.ReleaseKey(ctx, "u2", "k"); err != nil {
		t.Fatal(err)
	}
	if stored, err := db.ClaimKey(ctx, "u2", "k", h1); err != nil || stored != nil {
		t.Fatalf("claim after release: %v %v", stored, err)
	}
}

func TestOpenCreatesTheDatabase(t *testing.T) {
	_, url := testdb.Fresh(t) // Fresh itself relies on Open creating it
	db, err := storage.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}
