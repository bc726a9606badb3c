package app

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/config"
	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

// The janitor erases the people whose accounts were closed longer ago than
// the retention period, and leaves recently closed and active accounts.
func TestJanitorErasesClosedAccountsPastRetention(t *testing.T) {
	ctx := context.Background()
	db, _ := testdb.Fresh(t)
	account := func(name string, closedAgo time.Duration) storage.User {
		u := storage.User{ID: uuid.NewString(), Email: uuid.NewString()[:8] + "@exemple.fr", Name: name,
			Roles: []domain.Role{domain.RoleActor}, PasswordHash: "x", Active: true}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if closedAgo > 0 {
			u.Active = false
			if err := db.UpdateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Pool.Exec(ctx, "UPDATE users SET deactivated_at = now() - $2::interval WHERE id = $1",
				u.ID, closedAgo.String()); err != nil {
				t.Fatal(err)
			}
		}
		return u
	}
	old := account("Fermé Depuis Longtemps", 4*365*24*time.Hour)
	recent := account("Fermé Récemment", 30*24*time.Hour)
	active := account("Toujours Actif", 0)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))

	eraseClosedAccounts(ctx, config.Config{RetainClosedAccounts: 0}, log, db, time.Now())
	if u, _ := db.UserByID(ctx, old.ID); u.ErasedAt != nil {
		t.Fatal("a retention of 0 erased an account")
	}

	cfg := config.Config{RetainClosedAccounts: config.DefaultRetainClosedAccounts}
	eraseClosedAccounts(ctx, cfg, log, db, time.Now())
	u, err := db.UserByID(ctx, old.ID)
	if err != nil || u.ErasedAt == nil || u.Name != storage.ErasedName || u.Email != storage.ErasedEmail(old.ID) {
		t.Fatalf("account closed 4 years ago: %+v %v", u, err)
	}
	for _, kept := range []storage.User{recent, active} {
		if u, _ := db.UserByID(ctx, kept.ID); u.ErasedAt != nil || u.Name != kept.Name {
			t.Fatalf("%s was erased", kept.Name)
		}
	}
	trail, _ := db.Events(ctx, old.ID)
	if len(trail) != 1 || trail[0].ActorName != "system" || !strings.Contains(trail[0].Comment, "1095d") {
		t.Fatalf("erasure event %+v", trail)
	}
	if !strings.Contains(logs.String(), "closed account erased") || strings.Contains(logs.String(), "Fermé") {
		t.Fatalf("logs:\n%s", logs.String())
	}
}
