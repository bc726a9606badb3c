package directory

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// AddSpec adds the directory's schemas and paths to the document.
func AddSpec(schemas, paths kit.Obj) {
	t := domain.OrganisationTexts
	families, forms := kit.EnumOf(domain.Families), kit.EnumOf(domain.LegalForms)
	siret := kit.Obj{"type": "string", "pattern": "^( *[0-9]){14} *$", "description": "14 digits with a valid Luhn key (spaces ignored); one record per SIRET"}
	codes := func(desc string) kit.Obj {
		return kit.Obj{"type": "array", "maxItems": domain.MaxOrganisationLists, "items": kit.Obj{"type": "string"}, "description": desc}
	}
	draft := func() kit.Obj {
		return kit.Obj{
			"name": kit.Text(t["name"], ""), "siret": siret,
			"legal_form":   kit.Obj{"type": "string", "enum": forms},
			"family":       kit.Obj{"type": "string", "enum": families, "description": "default other"},
			"themes":       codes("theme slugs"),
			"territories":  codes("territory codes: where it works"),
			"commune_code": kit.Obj{"type": "string", "description": "the territory code of its commune"},
			"website":      kit.Obj{"type": "string", "maxLength": t["website"].Max, "description": "http(s)"},
			"email":        kit.Obj{"type": "string", "format": "email", "maxLength": t["email"].Max},
			"verified":     kit.Obj{"type": "boolean", "description": "an officer confirmed the record"},
		}
	}
	schemas["OrganisationDraft"] = kit.Object([]string{"name", "legal_form"}, draft())
	schemas["OrganisationChange"] = kit.Object(nil, draft())
	nullStr := kit.Nullable(kit.Obj{"type": "string"})
	schemas["Organisation"] = kit.Object([]string{"id", "name", "siret", "legal_form", "family", "themes", "territories", "commune_code", "website", "verified"}, kit.Obj{
		"id": kit.Obj{"type": "string", "format": "uuid"}, "name": kit.Str(""), "siret": nullStr,
		"legal_form": kit.Obj{"type": "string", "enum": forms}, "family": kit.Obj{"type": "string", "enum": families},
		"themes": kit.Arr(kit.Obj{"type": "string"}), "territories": kit.Arr(kit.Obj{"type": "string"}),
		"commune_code": nullStr, "website": nullStr,
		"email":    kit.Nullable(kit.Obj{"type": "string", "description": "officers and admins only (personal data)"}),
		"verified": kit.Obj{"type": "boolean"}})
	schemas["OrganisationPage"] = kit.Object([]string{"items", "next_cursor"}, kit.Obj{"items": kit.Arr(kit.Ref("Organisation")), "next_cursor": kit.Nullable(kit.Obj{"type": "string"})})
	enumQuery := func(name, desc string, values []any) kit.Obj {
		return kit.Obj{"name": name, "in": "query", "description": desc, "schema": kit.Obj{"type": "string", "enum": values}}
	}
	paths["/api/v1/organisations"] = kit.Obj{
		"get": kit.WithParams(kit.Op("The directory of organisations, by name", true, nil, "200", kit.Ref("OrganisationPage"), "A page of organisations", "401", "422"),
			kit.Obj{"name": "q", "in": "query", "description": "French full-text search over the name", "schema": kit.Obj{"type": "string", "maxLength": 200}},
			kit.Query("theme", "theme slug"), kit.Query("territory", "territory code"),
			enumQuery("family", "ESS family", families), enumQuery("legal_form", "legal form", forms),
			kit.Obj{"name": "limit", "in": "query", "schema": kit.Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
			kit.Query("cursor", "next_cursor of the previous page")),
		"post": kit.Op("Record an organisation (officer, admin)", true, kit.JSONBody(kit.Ref("OrganisationDraft")), "201", kit.Ref("Organisation"),
			"The organisation", "400", "401", "403", "409", "413", "422"),
	}
	paths["/api/v1/organisations/{id}"] = kit.Obj{
		"get": kit.WithParams(kit.Op("An organisation", true, nil, "200", kit.Ref("Organisation"), "The organisation", "401", "404"), kit.IDParam),
		"patch": kit.WithParams(kit.Op("Change an organisation's record (officer, admin)", true, kit.JSONBody(kit.Ref("OrganisationChange")), "200",
			kit.Ref("Organisation"), "The organisation", "400", "401", "403", "404", "409", "413", "422"), kit.IDParam),
	}
}
