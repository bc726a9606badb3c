package server_test

import (
	"testing"

	"essor/internal/domain"
	"essor/internal/testenv"
)

func TestSubmitNeedSmoke(t *testing.T) {
	env := testenv.New(t)
	actor := env.Account(t, "Mairie de Lons", domain.RoleActor)
	res := env.Do(t, "POST", "/api/v1/needs", actor.Token, map[string]any{
		"title": "Garde d'enfants en horaires décalés", "description": "Les parents qui travaillent la nuit n'ont aucune solution de garde.",
		"theme": "early_childhood", "territory_code": "39",
	}).Expect(t, 201)
	if got := res.Map(t)["stage"]; got != "captured" {
		t.Fatalf("stage %v", got)
	}
}
