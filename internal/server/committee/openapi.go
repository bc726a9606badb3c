package committee

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// AddSpec describes the committee's institutions (api.md "Committee:
// institutions, sessions, minutes").
func AddSpec(schemas, paths kit.Obj) {
	uuid := kit.Obj{"type": "string", "format": "uuid"}
	slug := kit.Obj{"type": "string", "pattern": "^[a-z][a-z0-9_]{1,39}$"}
	schemas["Institution"] = kit.Object([]string{"slug", "name", "members"}, kit.Obj{
		"slug": slug, "name": kit.Str(""),
		"members": kit.Arr(kit.Object([]string{"id", "name"}, kit.Obj{"id": uuid, "name": kit.Str("")}))})
	schemas["NewInstitution"] = kit.Object([]string{"slug", "name"}, kit.Obj{
		"slug": slug, "name": kit.Obj{"type": "string", "minLength": 2, "maxLength": 100}})
	schemas["InstitutionMembers"] = kit.Object([]string{"user_ids"}, kit.Obj{
		"user_ids": kit.Obj{"type": "array", "items": uuid, "maxItems": domain.MaxInstitutionMembers}})
	paths["/api/v1/committee/institutions"] = kit.Obj{
		"get": kit.Op("The committee's institutions with their members (committee, officer, admin). A ballot opened from December 2026 on counts one voice per institution: its members' shared vote, an abstention when they disagree; an institution one of whose members has a stake does not vote",
			true, nil, "200", kit.Arr(kit.Ref("Institution")), "Institutions, in order", "401", "403"),
		"post": kit.Op("Add an institution (admin)", true, kit.JSONBody(kit.Ref("NewInstitution")), "201", kit.Ref("Institution"), "The institution",
			"400", "401", "403", "409", "422"),
	}
	paths["/api/v1/committee/institutions/{slug}/members"] = kit.Obj{"put": kit.WithParams(kit.Op(
		"Replace an institution's members (admin): an account speaks for one institution at most and moves when named here",
		true, kit.JSONBody(kit.Ref("InstitutionMembers")), "200", kit.Ref("Institution"), "The institution", "400", "401", "403", "404", "422"),
		kit.Obj{"name": "slug", "in": "path", "required": true, "schema": kit.Obj{"type": "string"}})}
}
