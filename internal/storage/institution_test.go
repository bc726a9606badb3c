package storage_test

import (
	"testing"

	"essor/internal/domain"
	"essor/internal/testdb"
)

// TestInstitutionMembers: the seed's five institutions; an account speaks
// for one at most and moves when another names it; unknown accounts are
// named back; a member's voice knows its colleagues.
func TestInstitutionMembers(t *testing.T) {
	db, _ := testdb.Fresh(t)
	a := mustUser(t, db, "", domain.RoleCommittee)
	b := mustUser(t, db, "", domain.RoleCommittee)
	list, err := db.Institutions(ctx)
	if err != nil || len(list) != 5 || list[0].Slug != "region" || list[4].Slug != "cdc" {
		t.Fatalf("seed: %+v %v", list, err)
	}
	if unknown, err := db.SetInstitutionMembers(ctx, "region", []string{a.ID, b.ID}); err != nil || len(unknown) != 0 {
		t.Fatalf("set: %v %v", unknown, err)
	}
	members, err := db.ActiveMembers(ctx, domain.RoleCommittee)
	if err != nil {
		t.Fatal(err)
	}
	if v := domain.VoiceOf(a.ID, members); v.Institution != "region" || len(v.Colleagues) != 1 || v.Colleagues[0].ID != b.ID {
		t.Fatalf("voice: %+v", v)
	}
	if name, err := db.InstitutionName(ctx, "region"); err != nil || name != "Région Bourgogne-Franche-Comté" {
		t.Fatalf("name: %q %v", name, err)
	}
	if _, err := db.SetInstitutionMembers(ctx, "state", []string{b.ID}); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.Institution(ctx, "region"); len(r.Members) != 1 || r.Members[0].ID != a.ID {
		t.Fatalf("b moved: %+v", r)
	}
	if unknown, err := db.SetInstitutionMembers(ctx, "state", []string{"00000000-0000-4000-8000-000000000000"}); err != nil || len(unknown) != 1 {
		t.Fatalf("unknown: %v %v", unknown, err)
	}
	if r, _ := db.Institution(ctx, "state"); len(r.Members) != 1 {
		t.Fatalf("a refused change changed: %+v", r)
	}
}
