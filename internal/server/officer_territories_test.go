package server_test

import (
	"strings"
	"testing"

	"essor/internal/domain"
	"essor/internal/testenv"
)

func TestAdminSetsTheTerritoriesAnOfficerCovers(t *testing.T) {
	env := testenv.New(t)
	admin := env.Account(t, "", domain.RoleAdmin)
	officer := env.Account(t, "FCA", domain.RoleOfficer)
	actor := env.Account(t, "Mairie de Dole", domain.RoleActor)
	path := "/api/v1/admin/users/" + officer.ID + "/territories"
	var out struct{ Territories []string }
	env.Do(t, "GET", path, admin.Token, nil).Expect(t, 200).JSON(t, &out)
	if out.Territories == nil || len(out.Territories) != 0 {
		t.Fatalf("none at first: %+v", out)
	}
	env.Do(t, "PUT", path, admin.Token, map[string]any{"territories": []string{"39", " 25 ", "39"}}).Expect(t, 200).JSON(t, &out)
	if strings.Join(out.Territories, ",") != "25,39" {
		t.Fatalf("%+v", out)
	}
	e := errorOf(t, env.Do(t, "PUT", path, admin.Token, map[string]any{"territories": []string{"99"}}).Expect(t, 422))
	if !strings.Contains(e.Fields["territories"], "territoire existant") {
		t.Fatalf("%+v", e)
	}
	e = errorOf(t, env.Do(t, "PUT", "/api/v1/admin/users/"+actor.ID+"/territories", admin.Token, map[string]any{"territories": []string{"39"}}).Expect(t, 422))
	if !strings.Contains(e.Fields["territories"], "chargé de mission") {
		t.Fatalf("%+v", e)
	}
	env.Do(t, "PUT", path, officer.Token, map[string]any{"territories": []string{"39"}}).Expect(t, 403)
	env.Do(t, "GET", "/api/v1/admin/users/00000000-0000-0000-0000-000000000000/territories", admin.Token, nil).Expect(t, 404)
	env.Do(t, "GET", path, admin.Token, nil).Expect(t, 200).JSON(t, &out)
	if strings.Join(out.Territories, ",") != "25,39" {
		t.Fatalf("a refused change changes nothing: %+v", out)
	}
}
