package demo_test

import (
	"bytes"
	"context"
	"maps"
	"testing"

	"github.com/google/uuid"

	"essor/internal/auth"
	"essor/internal/demo"
	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testenv"
)

// The demo takes its needs to every stage through the real workflows, and
// a second run changes nothing.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a few hundred actions")
	}
	env := testenv.New(t)
	hash, err := auth.HashPassword("essor-demo-2026")
	if err != nil {
		t.Fatal(err)
	}
	for who, role := range map[string]domain.Role{"acteur": domain.RoleActor, "acteur2": domain.RoleActor, "charge": domain.RoleOfficer,
		"comite1": domain.RoleCommittee, "comite2": domain.RoleCommittee, "comite3": domain.RoleCommittee,
		"organisateur": domain.RoleOrganiser, "jury": domain.RoleJury} {
		if err := env.DB.CreateUser(context.Background(), storage.User{ID: uuid.NewString(), Email: who + "@essor.local", Name: who,
			Organisation: "Org " + who, Roles: []domain.Role{role}, PasswordHash: hash, Active: true}); err != nil {
			t.Fatal(err)
		}
	}
	stages := func() map[domain.Stage]int {
		t.Helper()
		counts, err := env.DB.CountByStage(context.Background(), storage.CountFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var studies int
		if err := env.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM study_actions`).Scan(&studies); err != nil {
			t.Fatal(err)
		}
		counts["study_actions"] = studies
		return counts
	}
	var first bytes.Buffer
	if err := demo.Run(context.Background(), []string{"-url", env.URL}, &first); err != nil {
		t.Fatalf("%v\n%s", err, first.String())
	}
	got := stages()
	for _, want := range []string{"Recyclerie de meubles à Lons-le-Saunier", "enterprise_created", "Garage solidaire à Vesoul",
		"Territoires d'expérimentation du transport solidaire", "Rally'nov 2026-2027"} {
		if !bytes.Contains(first.Bytes(), []byte(want)) {
			t.Errorf("the demo's study-actions: %q missing\n%s", want, first.String())
		}
	}
	for _, st := range domain.Stages {
		if got[st] == 0 {
			t.Errorf("no demo need at stage %s: %v", st, got)
		}
	}
	var second bytes.Buffer
	if err := demo.Run(context.Background(), []string{"-url", env.URL}, &second); err != nil {
		t.Fatalf("second run: %v\n%s", err, second.String())
	}
	if again := stages(); !maps.Equal(again, got) || second.String() != first.String() {
		t.Fatalf("a second run changed the needs: %v then %v\n%s\n%s", got, again, first.String(), second.String())
	}
}
