package server

import (
	"sync"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
)

// openAPI serves the OpenAPI 3 description of every route.
func (s *Server) openAPI(c *fiber.Ctx) error {
	return c.JSON(s.spec())
}

var (
	specOnce sync.Once
	specDoc  Obj
)

func (s *Server) spec() Obj {
	specOnce.Do(func() { specDoc = buildSpec() })
	return specDoc
}

func buildSpec() Obj {
	// Allowed values come from the domain's tables: never typed again here.
	stages := Enum(domain.Stages)
	actions := Enum(domain.RequestedActions())
	roles := Enum(domain.Roles)
	decisions := Enum(domain.NeedDecisions)
	recommendations := Enum(domain.StudyRecommendations)
	subjects := Enum(domain.Subjects)
	dateTime := Obj{"type": "string", "format": "date-time"}
	date := Obj{"type": "string", "format": "date"}
	nullable := func(o Obj) Obj { o = Clone(o); o["nullable"] = true; return o }
	territoryKind := Obj{"type": "string", "enum": []any{"region", "departement", "employment_zone", "other"},
		"description": "other: only on territories added by hand before admins managed them"}

	schemas := Obj{
		"Error": Object([]string{"error"}, Obj{"error": Object([]string{"code", "message"}, Obj{
			"code":    Str("machine-readable code"),
			"message": Str("message for people, in French unless Accept-Language: en"),
			"fields":  Obj{"type": "object", "additionalProperties": Obj{"type": "string"}, "description": "one message per failing field"},
		})}),
		"SessionRequest": Object([]string{"email", "password"}, Obj{"email": Obj{"type": "string", "format": "email"}, "password": Str("")}),
		"Session":        Object([]string{"token", "expires_at"}, Obj{"token": Str("bearer token"), "expires_at": dateTime}),
		"Me": Object(nil, Obj{"id": Obj{"type": "string", "format": "uuid"}, "email": Str(""), "name": Str(""),
			"organisation": Str(""), "roles": Arr(Obj{"type": "string", "enum": roles})}),
		"Theme": Object(nil, Obj{"slug": Str(""), "label_fr": Str(""), "label_en": Str(""),
			"retired": Obj{"type": "boolean", "description": "refused for new records, still named on old ones"}}),
		"Territory": Object(nil, Obj{"code": Str(""), "name": Str(""), "kind": territoryKind,
			"parent_code": nullable(Str("the département of an employment zone")),
			"retired":     Obj{"type": "boolean", "description": "refused for new records, still named on old ones"}}),
		"NewTheme": Object([]string{"slug", "label_fr", "label_en"}, Obj{
			"slug":     Obj{"type": "string", "pattern": "^[a-z][a-z0-9_]{1,39}$"},
			"label_fr": Obj{"type": "string", "minLength": 2, "maxLength": 100},
			"label_en": Obj{"type": "string", "minLength": 2, "maxLength": 100}}),
		"ThemeChange": Object(nil, Obj{
			"label_fr": Obj{"type": "string", "minLength": 2, "maxLength": 100},
			"label_en": Obj{"type": "string", "minLength": 2, "maxLength": 100},
			"retired":  Obj{"type": "boolean", "description": "true retires, false restores"}}),
		"NewTerritory": Object([]string{"code", "name", "kind"}, Obj{
			"code":        Obj{"type": "string", "pattern": "^[0-9a-z][0-9a-z-]{0,39}$"},
			"name":        Obj{"type": "string", "minLength": 2, "maxLength": 100},
			"kind":        Obj{"type": "string", "enum": Enum(domain.TerritoryKinds)},
			"parent_code": Str("required for an employment_zone: a département; a département may have a region")}),
		"TerritoryChange": Object(nil, Obj{
			"name":        Obj{"type": "string", "minLength": 2, "maxLength": 100},
			"parent_code": Str("the new parent; \"\" removes it"),
			"retired":     Obj{"type": "boolean", "description": "true retires, false restores"}}),
		"Submission": Object([]string{"title", "description", "theme", "territory_code"}, Obj{
			"title":          Obj{"type": "string", "minLength": 5, "maxLength": 200},
			"description":    Obj{"type": "string", "minLength": 20, "maxLength": 10000},
			"theme":          Str("a theme slug"),
			"territory_code": Str("a territory code"),
			"beneficiaries":  Obj{"type": "integer", "minimum": 0},
			"organisation":   Obj{"type": "string", "maxLength": 200},
			"evidence":       Obj{"type": "string", "maxLength": 10000},
		}),
		"Carrier": Object(nil, Obj{"id": Obj{"type": "string", "format": "uuid"}, "organisation": Str(""), "contact": Str(""),
			"motivation": Str(""), "proposed_by": Obj{"type": "string", "format": "uuid"}, "proposed_at": dateTime, "chosen": Obj{"type": "boolean"},
			"declined":        Obj{"type": "boolean", "description": "declined by an officer (decline_carrier): cannot be chosen"},
			"declined_reason": Str("why the officer declined it")}),
		"Duplicate": Object(nil, Obj{"id": Obj{"type": "string", "format": "uuid"}, "title": Str(""), "similarity": Obj{"type": "number"}}),
		"Study":     Object(nil, Obj{"due_date": date, "started_at": dateTime, "recommendation": Obj{"type": "string", "enum": recommendations}, "summary": Str("")}),
		"Pilot": Object(nil, Obj{"carrier_id": Obj{"type": "string", "format": "uuid"}, "territories": Arr(Obj{"type": "string"}),
			"start_date": date, "end_date": date, "budget_eur": Obj{"type": "number"}}),
		"Need": Object(nil, Obj{
			"id": Obj{"type": "string", "format": "uuid"}, "title": Str(""), "description": Str(""), "theme": Str(""),
			"territory_code": Str(""), "beneficiaries": nullable(Obj{"type": "integer"}), "organisation": Str(""), "evidence": Str(""),
			"stage": Obj{"type": "string", "enum": stages}, "stage_entered_at": dateTime,
			"submitted_by": Obj{"type": "string", "format": "uuid"}, "submitted_by_name": Str(""),
			"created_at": dateTime, "updated_at": dateTime, "supports": Obj{"type": "integer"},
			"carriers": Arr(Ref("Carrier")), "possible_duplicates": Arr(Ref("Duplicate")),
			"merged_into": nullable(Obj{"type": "string", "format": "uuid"}), "study": nullable(Ref("Study")), "pilot": nullable(Ref("Pilot")),
			"next_deadline": nullable(dateTime), "overdue": Obj{"type": "boolean"},
			"officer": nullable(Object([]string{"id", "name"}, Obj{"id": Obj{"type": "string", "format": "uuid"}, "name": Str("")})),
		}),
		"NeedPage": Object([]string{"items", "next_cursor"}, Obj{"items": Arr(Ref("Need")), "next_cursor": nullable(Obj{"type": "string"})}),
		"Transition": Object([]string{"action"}, Obj{
			"action": Obj{"type": "string", "enum": actions}, "comment": Str(""), "reason": Str("reject, abandon, decline_carrier (5-2000 characters)"),
			"into": Obj{"type": "string", "format": "uuid", "description": "merge"}, "due_date": date,
			"recommendation": Obj{"type": "string", "enum": recommendations}, "summary": Str("submit_study"),
			"decision":     Obj{"type": "string", "enum": decisions},
			"organisation": Str("propose_carrier"), "contact": Str("propose_carrier"), "motivation": Str("propose_carrier"),
			"carrier_id":  Obj{"type": "string", "format": "uuid", "description": "start_pilot, decline_carrier: a proposal that is not declined"},
			"territories": Arr(Obj{"type": "string"}),
			"start_date":  date, "end_date": date, "budget_eur": Obj{"type": "number", "minimum": 0},
			"officer_id": Obj{"type": "string", "format": "uuid", "description": "assign: an active officer's account"},
		}),
		"Event": Object(nil, Obj{"seq": Obj{"type": "integer"}, "at": dateTime, "actor": Str("account id, or \"system\""),
			"actor_name": Str(""), "action": Str(""), "from_stage": nullable(Obj{"type": "string"}), "to_stage": Str(""),
			"comment": Str(""), "data": Obj{"type": "object", "additionalProperties": Obj{"type": "string"}}}),
		"Ballot": Object(nil, Obj{"round": Obj{"type": "integer"}, "opened_at": dateTime, "quorum": Obj{"type": "integer"},
			"outcome": nullable(Obj{"type": "string"}), "decided_at": nullable(dateTime),
			"votes_cast": Obj{"type": "integer", "description": "votes cast so far"},
			"votes": Obj{"type": "array", "description": "secret while the ballot is open: only the caller's own vote until the decision is taken",
				"items": Object(nil, Obj{"voter": Str(""), "voter_name": Str(""), "decision": Str(""), "comment": Str(""), "at": dateTime})}}),
		"PendingDecision": Object(nil, Obj{"subject": Obj{"type": "string", "enum": subjects},
			"id": Obj{"type": "string", "format": "uuid"}, "title": Str(""), "round": Obj{"type": "integer"}, "opened_at": dateTime,
			"deadline": nullable(dateTime), "votes_cast": Obj{"type": "integer"}, "quorum": Obj{"type": "integer"},
			"my_vote": nullable(Obj{"type": "string"})}),
		"Health": Obj{"type": "object", "properties": Obj{"status": Str(""), "checks": Obj{"type": "object"}}},
		"PersonalData": Obj{"type": "object", "description": "everything Essor holds about one person; never a password hash nor a token",
			"properties": Obj{
				"exported_at": dateTime,
				"account": Object(nil, Obj{"id": Obj{"type": "string", "format": "uuid"}, "email": Str(""), "name": Str(""),
					"organisation": Str(""), "roles": Arr(Obj{"type": "string"}), "active": Obj{"type": "boolean"},
					"created_at": dateTime, "updated_at": dateTime, "deactivated_at": nullable(dateTime), "erased_at": nullable(dateTime)}),
				"sessions": Object(nil, Obj{"count": Obj{"type": "integer"}, "items": Arr(Object(nil, Obj{
					"kind": Obj{"type": "string", "enum": []any{"api", "web"}}, "created_at": dateTime, "expires_at": dateTime}))}),
				"needs_submitted":   Arr(Obj{"type": "object", "description": "needs the person submitted"}),
				"supports":          Arr(Obj{"type": "object", "description": "supports the person gave"}),
				"carriers":          Arr(Obj{"type": "object", "description": "carriers the person proposed, or whose contact is their address"}),
				"votes":             Arr(Obj{"type": "object", "description": "votes the person cast"}),
				"events":            Arr(Obj{"type": "object", "description": "audit-trail lines the person authored"}),
				"account_history":   Arr(Object(nil, Obj{"action": Obj{"type": "string", "enum": []any{"export_personal_data", "erase_person"}}, "at": dateTime})),
				"recorded_requests": Arr(Object(nil, Obj{"key": Str("Idempotency-Key"), "status": nullable(Obj{"type": "integer"}), "created_at": dateTime})),
			}},
		"OfficerTerritories": Object([]string{"territories"}, Obj{"territories": Obj{"type": "array", "maxItems": MaxOfficerTerritories,
			"items": Str("a territory's code; covering a territory covers the ones under it")}}),
		"EraseRequest": Object([]string{"reason"}, Obj{"reason": Obj{"type": "string", "minLength": 1, "maxLength": 1000,
			"description": "why the person is erased; kept in the account's audit trail"}}),
		"Erased": Object(nil, Obj{"id": Obj{"type": "string", "format": "uuid"}, "erased_at": dateTime,
			"counts": Obj{"type": "object", "additionalProperties": Obj{"type": "integer"}, "description": "records changed: sessions, needs, events, votes, carriers, supports"}}),
	}

	AddFollowUpSchemas(schemas) // openapi_outcome.go
	addListFields(schemas)      // openapi_perf.go
	responses := Obj{}
	for code, desc := range map[string]string{
		"400": "Malformed JSON or unknown field", "401": "Not authenticated", "403": "Role not allowed",
		"404": "Not found", "409": "Not allowed in the current stage", "413": "Body larger than 1 MiB",
		"422": "Validation failed", "429": "Rate limited", "503": "A dependency is unavailable",
	} {
		responses["Error"+code] = JSONResp(desc, Ref("Error"))
	}
	responses["Error429"].(Obj)["headers"] = Obj{"Retry-After": Obj{"description": "seconds until an attempt is accepted again",
		"schema": Obj{"type": "integer", "minimum": 1}}}

	listParams := []Obj{Query("stage", "stage slug(s), comma-separated"), Query("territory", "territory code; a département includes its employment zones"),
		Query("theme", "theme slug"), Query("q", "French full-text search over title and description"),
		Obj{"name": "limit", "in": "query", "schema": Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
		Query("cursor", "next_cursor of the previous page"),
		Query("officer", "the officer in charge: \"me\" or an account id")}

	paths := Obj{
		"/healthz":          Obj{"get": Op("Liveness", false, nil, "200", Ref("Health"), "The process is up")},
		"/readyz":           Obj{"get": Op("Readiness: PostgreSQL and Temporal reachable", false, nil, "200", Ref("Health"), "Ready", "503")},
		"/metrics":          Obj{"get": metricsOperation()},
		"/api/openapi.json": Obj{"get": Op("This document", false, nil, "200", Obj{"type": "object"}, "OpenAPI 3")},
		"/api/v1/sessions": Obj{
			"post": Op("Sign in: exchange e-mail and password for a bearer token", false, JSONBody(Ref("SessionRequest")), "201", Ref("Session"), "Signed in", "400", "401", "422", "429"),
			"delete": WithParams(Op("Sign out the bearer token or, with everywhere=true, every token and web session of its account", true, nil, "204", nil, "Signed out", "401", "422"),
				Obj{"name": "everywhere", "in": "query", "required": false, "schema": Obj{"type": "boolean", "default": false},
					"description": "true: end every session of the account (all API tokens and web sessions), not only this token"}),
		},
		"/api/v1/me": Obj{"get": Op("The signed-in account", true, nil, "200", Ref("Me"), "The account", "401")},
		"/api/v1/themes": Obj{
			"get":  Op("Themes, retired ones included", false, nil, "200", Arr(Ref("Theme")), "Every theme"),
			"post": Op("Add a theme (admin)", true, JSONBody(Ref("NewTheme")), "201", Ref("Theme"), "The theme", "400", "401", "403", "409", "422"),
		},
		"/api/v1/themes/{slug}": Obj{"patch": WithParams(Op("Rename, retire or restore a theme (admin)", true,
			JSONBody(Ref("ThemeChange")), "200", Ref("Theme"), "The theme", "400", "401", "403", "404", "422"),
			Obj{"name": "slug", "in": "path", "required": true, "schema": Obj{"type": "string"}})},
		"/api/v1/territories": Obj{
			"get":  Op("Territories, retired ones included", false, nil, "200", Arr(Ref("Territory")), "Every territory"),
			"post": Op("Add a territory (admin)", true, JSONBody(Ref("NewTerritory")), "201", Ref("Territory"), "The territory", "400", "401", "403", "409", "422"),
		},
		"/api/v1/territories/{code}": Obj{"patch": WithParams(Op("Rename, move, retire or restore a territory (admin)", true,
			JSONBody(Ref("TerritoryChange")), "200", Ref("Territory"), "The territory", "400", "401", "403", "404", "422"),
			Obj{"name": "code", "in": "path", "required": true, "schema": Obj{"type": "string"}})},
		"/api/v1/needs": Obj{
			"post": Op("Submit a need (actor)", true, JSONBody(Ref("Submission")), "201", Ref("Need"), "The need, with its possible duplicates", "400", "401", "403", "413", "422", "503"),
			"get":  WithParams(Op("List needs, newest first", true, nil, "200", Ref("NeedPage"), "A page of needs", "401", "422"), listParams...),
		},
		"/api/v1/needs/{id}": Obj{"get": WithParams(Op("A need", true, nil, "200", Ref("Need"), "The need", "401", "404"), IDParam)},
		"/api/v1/needs/{id}/transitions": Obj{"post": WithParams(Op("Carry out an action of the pipeline", true,
			JSONBody(Ref("Transition")), "200", Ref("Need"), "The need in its new stage", "400", "401", "403", "404", "409", "413", "422", "503"), IDParam)},
		"/api/v1/needs/{id}/events": Obj{"get": WithParams(Op("The audit trail, oldest first", true, nil, "200", Arr(Ref("Event")), "Events", "401", "404"), IDParam)},
		"/api/v1/needs/{id}/votes":  Obj{"get": WithParams(Op("Committee decisions and votes (other members' votes only once decided)", true, nil, "200", Arr(Ref("Ballot")), "Ballots", "401", "404"), IDParam)},
		"/api/v1/committee/pending": Obj{"get": Op("Every open committee decision of every programme, with the caller's vote (committee)", true, nil,
			"200", Arr(Ref("PendingDecision")), "Open decisions, oldest first", "401", "403")},
		"/api/v1/needs/{id}/supports": Obj{"post": WithParams(Op("Support a need on behalf of one's organisation (actor)", true, Obj{"required": false, "content": Obj{"application/json": Obj{"schema": Obj{"type": "object"}}}}, "201", Ref("Need"), "The need", "401", "403", "404", "409", "503"), IDParam)},
		"/api/v1/admin/users/{id}/export": Obj{"get": WithParams(ExportOperation(Op("Export everything held about a person, as a JSON file (admin, RGPD)", true, nil,
			"200", Ref("PersonalData"), "The person's data (Content-Disposition: attachment)", "401", "403", "404")), IDParam)},
		"/api/v1/admin/users/{id}/erase": Obj{"post": WithParams(Op("Erase a person (admin, RGPD): the account is closed, the name replaced on every record; the audit trail keeps the facts", true,
			JSONBody(Ref("EraseRequest")), "200", Ref("Erased"), "The person is erased", "400", "401", "403", "404", "409", "422"), IDParam)},
		"/api/v1/admin/users/{id}/territories": Obj{
			"get": WithParams(Op("The territories an officer covers (admin): a need nobody is in charge of has its reminders e-mailed to the officers covering its territory or a parent of it, or to every officer when none does", true, nil,
				"200", Ref("OfficerTerritories"), "Territory codes", "401", "403", "404"), IDParam),
			"put": WithParams(Op("Replace the territories an officer covers (admin; officers only)", true, JSONBody(Ref("OfficerTerritories")),
				"200", Ref("OfficerTerritories"), "Territory codes", "400", "401", "403", "404", "413", "422"), IDParam)},
	}

	AddStudyActionSpec(schemas, paths) // openapi_studyaction.go
	AddIndicatorSpec(schemas, paths)   // openapi_indicators.go
	AddRallySpec(paths, schemas)           // openapi_rally.go
	AddCallSpec(schemas, paths)        // openapi_call.go
	AddMailSpec(schemas, paths)        // openapi_mail.go

	return Obj{
		"openapi": "3.0.3",
		"info": Obj{"title": "Essor API", "version": "1.0.0",
			"description": "Emergence of social-innovation projects: needs, qualification, feasibility, committee, carriers, pilots, deployment. Errors are {\"error\": {\"code\", \"message\", \"fields\"}} with French messages unless Accept-Language: en."},
		"servers":  []any{Obj{"url": "/"}},
		"security": []any{Obj{"bearer": []any{}}},
		"paths":    paths,
		"components": Obj{
			"securitySchemes": Obj{"bearer": Obj{"type": "http", "scheme": "bearer"}},
			"parameters": Obj{"IdempotencyKey": Obj{"name": "Idempotency-Key", "in": "header", "required": false,
				"schema": Obj{"type": "string", "maxLength": 255}, "description": "the same key and body replay the first response; another body gets 422"}},
			"responses": responses,
			"schemas":   schemas,
		},
	}
}
