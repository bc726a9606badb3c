package server

import (
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/metrics"
	"essor/internal/server/admin"
	"essor/internal/server/calls"
	"essor/internal/server/committee"
	"essor/internal/server/directory"
	"essor/internal/server/discussion"
	"essor/internal/server/indicators"
	"essor/internal/server/kit"
	"essor/internal/server/needs"
	"essor/internal/server/rally"
	"essor/internal/server/studyactions"
)

// openAPI serves the OpenAPI 3 description of every route.
func (s *Server) openAPI(c *fiber.Ctx) error {
	return c.JSON(s.spec())
}

var (
	specOnce sync.Once
	specDoc  kit.Obj
)

func (s *Server) spec() kit.Obj {
	specOnce.Do(func() { specDoc = document(s.table) })
	return specDoc
}

// Document is the OpenAPI document, built without a running server (for
// make lint and the generated client).
func Document() kit.Obj {
	s := &Server{Kit: &kit.Kit{}, metrics: metrics.New()}
	return document(append(s.shellRows(), programmeRows(programmes(s.Kit, Deps{}))...))
}

func buildSpec() kit.Obj {
	// Allowed values come from the domain's tables: never typed again here.
	stages := kit.Enum(domain.Stages)
	t := domain.NeedTexts
	one := make([]string, len(domain.Stages))
	for i, st := range domain.Stages {
		one[i] = string(st)
	}
	stage := " *(" + strings.Join(one, "|") + ") *"
	stageList := "^(" + stage + "(," + stage + ")*)?$"
	actions := kit.Enum(domain.RequestedActions())
	roles := kit.Enum(domain.Roles)
	decisions := kit.Enum(domain.NeedDecisions)
	recommendations := kit.Enum(domain.StudyRecommendations)
	subjects := kit.Enum(domain.Subjects)
	dateTime := kit.Obj{"type": "string", "format": "date-time"}
	date := kit.Obj{"type": "string", "format": "date"}

	schemas := kit.Obj{
		"Error": kit.Object([]string{"error"}, kit.Obj{"error": kit.Object([]string{"code", "message"}, kit.Obj{
			"code":    kit.Str("machine-readable code"),
			"message": kit.Str("message for people, in French unless Accept-Language: en"),
			"fields":  kit.Obj{"type": "object", "additionalProperties": kit.Obj{"type": "string"}, "description": "one message per failing field"},
		})}),
		"AccountOrganisation": kit.Object([]string{"id", "name"}, kit.Obj{
			"id":   kit.Nullable(kit.Obj{"type": "string", "format": "uuid", "description": "the directory record; null: a label not yet linked"}),
			"name": kit.Str("")}),
		"SessionRequest": kit.Object([]string{"email", "password"}, kit.Obj{"email": kit.Obj{"type": "string", "format": "email"}, "password": kit.Str("")}),
		"Session":        kit.Object([]string{"token", "expires_at"}, kit.Obj{"token": kit.Str("bearer token"), "expires_at": dateTime}),
		"Me": kit.Object(nil, kit.Obj{"id": kit.Obj{"type": "string", "format": "uuid"}, "email": kit.Str(""), "name": kit.Str(""),
			"organisation": kit.Nullable(kit.Ref("AccountOrganisation")), "roles": kit.Arr(kit.Obj{"type": "string", "enum": roles})}),
		"Theme": kit.Object(nil, kit.Obj{"slug": kit.Str(""), "label_fr": kit.Str(""), "label_en": kit.Str(""),
			"retired": kit.Obj{"type": "boolean", "description": "refused for new records, still named on old ones"}}),
		"NewTheme": kit.Object([]string{"slug", "label_fr", "label_en"}, kit.Obj{
			"slug":     kit.Obj{"type": "string", "pattern": "^[a-z][a-z0-9_]{1,39}$"},
			"label_fr": kit.Obj{"type": "string", "minLength": 2, "maxLength": 100},
			"label_en": kit.Obj{"type": "string", "minLength": 2, "maxLength": 100}}),
		"ThemeChange": kit.Object(nil, kit.Obj{
			"label_fr": kit.Obj{"type": "string", "minLength": 2, "maxLength": 100},
			"label_en": kit.Obj{"type": "string", "minLength": 2, "maxLength": 100},
			"retired":  kit.Obj{"type": "boolean", "description": "true retires, false restores"}}),
		"NewTerritory": kit.Object([]string{"code", "name", "kind"}, kit.Obj{
			"code":        kit.Obj{"type": "string", "pattern": "^[0-9a-z][0-9a-z-]{0,39}$"},
			"name":        kit.Obj{"type": "string", "minLength": 2, "maxLength": 100},
			"kind":        kit.Obj{"type": "string", "enum": kit.Enum(domain.TerritoryKinds)},
			"parent_code": kit.Str("required for an employment_zone: a département; a département may have a region")}),
		"TerritoryChange": kit.Object(nil, kit.Obj{
			"name":        kit.Obj{"type": "string", "minLength": 2, "maxLength": 100},
			"parent_code": kit.Str("the new parent; \"\" removes it"),
			"retired":     kit.Obj{"type": "boolean", "description": "true retires, false restores"}}),
		"Submission": kit.Object([]string{"title", "description", "theme", "territory_code"}, kit.Obj{
			"title":          kit.Obj{"type": "string", "minLength": 5, "maxLength": 200},
			"description":    kit.Obj{"type": "string", "minLength": 20, "maxLength": 10000},
			"theme":          kit.Str("a theme slug"),
			"territory_code": kit.Str("a territory code"),
			"beneficiaries":  kit.Obj{"type": "integer", "minimum": 0},
			"organisation":   kit.Obj{"type": "string", "maxLength": 200},
			"evidence":       kit.Obj{"type": "string", "maxLength": 10000},
		}),
		"Carrier": kit.Object(nil, kit.Obj{"id": kit.Obj{"type": "string", "format": "uuid"}, "organisation": kit.Str(""), "contact": kit.Str(""),
			"motivation": kit.Str(""), "proposed_by": kit.Obj{"type": "string", "format": "uuid"}, "proposed_at": dateTime, "chosen": kit.Obj{"type": "boolean"},
			"declined":        kit.Obj{"type": "boolean", "description": "declined by an officer (decline_carrier): cannot be chosen"},
			"declined_reason": kit.Str("why the officer declined it")}),
		"Duplicate": kit.Object(nil, kit.Obj{"id": kit.Obj{"type": "string", "format": "uuid"}, "title": kit.Str(""), "similarity": kit.Obj{"type": "number"}}),
		"Study": kit.Object(nil, kit.Obj{"due_date": date, "started_at": dateTime, "recommendation": kit.Obj{"type": "string", "enum": recommendations}, "summary": kit.Str(""),
			"led_by": kit.Obj{"type": "string", "format": "uuid", "description": "the officer who started the study (a stake in its decision)"}}),
		"Pilot": kit.Object(nil, kit.Obj{"carrier_id": kit.Obj{"type": "string", "format": "uuid"}, "territories": kit.Arr(kit.Obj{"type": "string"}),
			"start_date": date, "end_date": date, "budget_eur": kit.Obj{"type": "number"}}),
		"Need": kit.Object(nil, kit.Obj{
			"id": kit.Obj{"type": "string", "format": "uuid"}, "title": kit.Str(""), "description": kit.Str(""), "theme": kit.Str(""),
			"territory_code": kit.Str(""), "beneficiaries": kit.Nullable(kit.Obj{"type": "integer"}), "organisation": kit.Str(""), "evidence": kit.Str(""),
			"stage": kit.Obj{"type": "string", "enum": stages}, "stage_entered_at": dateTime,
			"submitted_by": kit.Obj{"type": "string", "format": "uuid"}, "submitted_by_name": kit.Str(""),
			"created_at": dateTime, "updated_at": dateTime, "supports": kit.Obj{"type": "integer"},
			"carriers": kit.Arr(kit.Ref("Carrier")), "possible_duplicates": kit.Arr(kit.Ref("Duplicate")),
			"merged_into": kit.Nullable(kit.Obj{"type": "string", "format": "uuid"}), "study": kit.Nullable(kit.Ref("Study")), "pilot": kit.Nullable(kit.Ref("Pilot")),
			"next_deadline": kit.Nullable(dateTime), "overdue": kit.Obj{"type": "boolean"},
			"officer": kit.Nullable(kit.Object([]string{"id", "name"}, kit.Obj{"id": kit.Obj{"type": "string", "format": "uuid"}, "name": kit.Str("")})),
		}),
		"NeedPage": kit.Object([]string{"items", "next_cursor"}, kit.Obj{"items": kit.Arr(kit.Ref("Need")), "next_cursor": kit.Nullable(kit.Obj{"type": "string"})}),
		"Transition": kit.Object([]string{"action"}, kit.Obj{
			"action": kit.Obj{"type": "string", "enum": actions}, "comment": kit.Text(t["comment"], "required by request_info and provide_info"), "reason": kit.Text(t["reason"], "reject, abandon, decline_carrier"),
			"into": kit.Obj{"type": "string", "format": "uuid", "description": "merge"}, "due_date": date,
			"recommendation": kit.Obj{"type": "string", "enum": recommendations}, "summary": kit.Text(t["summary"], "submit_study"),
			"decision":     kit.Obj{"type": "string", "enum": decisions},
			"organisation": kit.Text(t["organisation"], "propose_carrier"), "contact": kit.Text(t["contact"], "propose_carrier"), "motivation": kit.Text(t["motivation"], "propose_carrier"),
			"carrier_id":  kit.Obj{"type": "string", "format": "uuid", "description": "start_pilot, decline_carrier: a proposal that is not declined"},
			"territories": kit.Arr(kit.Obj{"type": "string"}),
			"start_date":  date, "end_date": date, "budget_eur": kit.Obj{"type": "number", "minimum": 0},
			"officer_id": kit.Obj{"type": "string", "format": "uuid", "description": "assign: an active officer's account"},
		}),
		"Event": kit.Object(nil, kit.Obj{"seq": kit.Obj{"type": "integer"}, "at": dateTime, "actor": kit.Str("account id, or \"system\""),
			"actor_name": kit.Str(""), "action": kit.Str(""), "from_stage": kit.Nullable(kit.Obj{"type": "string"}), "to_stage": kit.Str(""),
			"comment": kit.Str(""), "data": kit.Obj{"type": "object", "additionalProperties": kit.Obj{"type": "string"}}}),
		"Ballot": kit.Object(nil, kit.Obj{"round": kit.Obj{"type": "integer"}, "opened_at": dateTime, "quorum": kit.Obj{"type": "integer"},
			"outcome": kit.Nullable(kit.Obj{"type": "string"}), "decided_at": kit.Nullable(dateTime),
			"votes_cast": kit.Obj{"type": "integer", "description": "votes cast so far"},
			"votes": kit.Obj{"type": "array", "description": "secret while the ballot is open: only the caller's own vote until the decision is taken",
				"items": kit.Object(nil, kit.Obj{"voter": kit.Str(""), "voter_name": kit.Str(""), "decision": kit.Str(""), "comment": kit.Str(""), "at": dateTime})}}),
		"PendingDecision": kit.Object(nil, kit.Obj{"subject": kit.Obj{"type": "string", "enum": subjects},
			"id": kit.Obj{"type": "string", "format": "uuid"}, "title": kit.Str(""), "round": kit.Obj{"type": "integer"}, "opened_at": dateTime,
			"deadline": kit.Nullable(dateTime), "votes_cast": kit.Obj{"type": "integer"}, "quorum": kit.Obj{"type": "integer"},
			"my_vote":    kit.Nullable(kit.Obj{"type": "string"}),
			"session_id": kit.Nullable(kit.Obj{"type": "string", "format": "uuid", "description": "the session whose agenda holds it"})}),
		"Health": kit.Obj{"type": "object", "properties": kit.Obj{"status": kit.Str(""), "checks": kit.Obj{"type": "object"}}},
		"PersonalData": kit.Obj{"type": "object", "description": "everything Essor holds about one person; never a password hash nor a token",
			"properties": kit.Obj{
				"exported_at": dateTime,
				"organisations": kit.Arr(kit.Object(nil, kit.Obj{"id": kit.Obj{"type": "string", "format": "uuid"}, "name": kit.Str(""),
					"email": kit.Nullable(kit.Obj{"type": "string"}), "member": kit.Obj{"type": "boolean", "description": "the account belongs to it"}})),
				"account": kit.Object(nil, kit.Obj{"id": kit.Obj{"type": "string", "format": "uuid"}, "email": kit.Str(""), "name": kit.Str(""),
					"organisation": kit.Str(""), "roles": kit.Arr(kit.Obj{"type": "string"}), "active": kit.Obj{"type": "boolean"},
					"created_at": dateTime, "updated_at": dateTime, "deactivated_at": kit.Nullable(dateTime), "erased_at": kit.Nullable(dateTime)}),
				"sessions": kit.Object(nil, kit.Obj{"count": kit.Obj{"type": "integer"}, "items": kit.Arr(kit.Object(nil, kit.Obj{
					"kind": kit.Obj{"type": "string", "enum": []any{"api", "web"}}, "created_at": dateTime, "expires_at": dateTime}))}),
				"needs_submitted":   kit.Arr(kit.Obj{"type": "object", "description": "needs the person submitted"}),
				"supports":          kit.Arr(kit.Obj{"type": "object", "description": "supports the person gave"}),
				"carriers":          kit.Arr(kit.Obj{"type": "object", "description": "carriers the person proposed, or whose contact is their address"}),
				"votes":             kit.Arr(kit.Obj{"type": "object", "description": "votes the person cast"}),
				"events":            kit.Arr(kit.Obj{"type": "object", "description": "audit-trail lines the person authored"}),
				"account_history":   kit.Arr(kit.Object(nil, kit.Obj{"action": kit.Obj{"type": "string", "enum": []any{"export_personal_data", "erase_person"}}, "at": dateTime})),
				"recorded_requests": kit.Arr(kit.Object(nil, kit.Obj{"key": kit.Str("Idempotency-Key"), "status": kit.Nullable(kit.Obj{"type": "integer"}), "created_at": dateTime})),
			}},
		"OfficerTerritories": kit.Object([]string{"territories"}, kit.Obj{"territories": kit.Obj{"type": "array", "maxItems": admin.MaxOfficerTerritories,
			"items": kit.Str("a territory's code; covering a territory covers the ones under it")}}),
		"EraseRequest": kit.Object([]string{"reason"}, kit.Obj{"reason": kit.Obj{"type": "string", "minLength": 1, "maxLength": 1000,
			"description": "why the person is erased; kept in the account's audit trail"}}),
		"Erased": kit.Object(nil, kit.Obj{"id": kit.Obj{"type": "string", "format": "uuid"}, "erased_at": dateTime,
			"counts": kit.Obj{"type": "object", "additionalProperties": kit.Obj{"type": "integer"}, "description": "records changed: sessions, needs, events, votes, carriers, supports"}}),
	}

	needs.AddFollowUpSchemas(schemas)
	addListFields(schemas) // openapi_perf.go
	responses := kit.Obj{}
	for code, desc := range map[string]string{
		"400": "Malformed request: JSON, unknown field, or a path, query or body that is not clean UTF-8", "431": "Request headers too large", "401": "Not authenticated", "403": "Role not allowed",
		"404": "Not found", "409": "Not allowed in the current stage", "413": "Body larger than 1 MiB", "415": "The body is not JSON",
		"422": "Validation failed", "429": "Rate limited", "503": "A dependency is unavailable",
	} {
		responses["Error"+code] = kit.JSONResp(desc, kit.Ref("Error"))
	}
	responses["Error429"].(kit.Obj)["headers"] = kit.Obj{"Retry-After": kit.Obj{"description": "seconds until an attempt is accepted again",
		"schema": kit.Obj{"type": "integer", "minimum": 1}}}

	listParams := []kit.Obj{kit.Obj{"name": "stage", "in": "query", "description": "stage slug(s), comma-separated", "schema": kit.Obj{"type": "string", "pattern": stageList}}, kit.Query("territory", "territory code; a département includes its employment zones"),
		kit.Query("theme", "theme slug"), kit.Query("q", "French full-text search over title and description"),
		kit.Obj{"name": "limit", "in": "query", "schema": kit.Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
		kit.Query("cursor", "next_cursor of the previous page"),
		kit.Query("officer", "the officer in charge: \"me\" or an account id"),
		kit.Obj{"name": "seeking_carrier", "in": "query", "description": "true: only the projects looking for a carrier (stage carrier_search)", "schema": kit.Obj{"type": "string", "enum": []string{"true", "false"}}}}

	paths := kit.Obj{
		"/healthz":          kit.Obj{"get": kit.Op("Liveness", false, nil, "200", kit.Ref("Health"), "The process is up")},
		"/readyz":           kit.Obj{"get": readiness()},
		"/metrics":          kit.Obj{"get": metricsOperation()},
		"/api/openapi.json": kit.Obj{"get": kit.Op("This document", false, nil, "200", kit.Obj{"type": "object"}, "OpenAPI 3")},
		"/api/v1/sessions": kit.Obj{
			"post": kit.Op("Sign in: exchange e-mail and password for a bearer token", false, kit.JSONBody(kit.Ref("SessionRequest")), "201", kit.Ref("Session"), "Signed in", "400", "401", "422", "429"),
			"delete": kit.WithParams(kit.Op("Sign out the bearer token or, with everywhere=true, every token and web session of its account", true, nil, "204", nil, "Signed out", "401", "422"),
				kit.Obj{"name": "everywhere", "in": "query", "required": false, "schema": kit.Obj{"type": "boolean", "default": false},
					"description": "true: end every session of the account (all API tokens and web sessions), not only this token"}),
		},
		"/api/v1/me": kit.Obj{"get": kit.Op("The signed-in account", true, nil, "200", kit.Ref("Me"), "The account", "401")},
		"/api/v1/themes": kit.Obj{
			"get":  kit.Op("Themes, retired ones included", false, nil, "200", kit.Arr(kit.Ref("Theme")), "Every theme"),
			"post": kit.Op("Add a theme (admin)", true, kit.JSONBody(kit.Ref("NewTheme")), "201", kit.Ref("Theme"), "The theme", "400", "401", "403", "409", "422"),
		},
		"/api/v1/themes/{slug}": kit.Obj{"patch": kit.WithParams(kit.Op("Rename, retire or restore a theme (admin)", true,
			kit.JSONBody(kit.Ref("ThemeChange")), "200", kit.Ref("Theme"), "The theme", "400", "401", "403", "404", "422"),
			kit.Obj{"name": "slug", "in": "path", "required": true, "schema": kit.Obj{"type": "string"}})},
		"/api/v1/territories/{code}": kit.Obj{"patch": kit.WithParams(kit.Op("Rename, move, retire or restore a territory (admin)", true,
			kit.JSONBody(kit.Ref("TerritoryChange")), "200", kit.Ref("Territory"), "The territory", "400", "401", "403", "404", "422"),
			kit.Obj{"name": "code", "in": "path", "required": true, "schema": kit.Obj{"type": "string"}})},
		"/api/v1/needs": kit.Obj{
			"post": kit.Op("Submit a need (actor)", true, kit.JSONBody(kit.Ref("Submission")), "201", kit.Ref("Need"), "The need, with its possible duplicates", "400", "401", "403", "413", "422", "503"),
			"get":  kit.WithParams(kit.Op("List needs, newest first", true, nil, "200", kit.Ref("NeedPage"), "A page of needs", "401", "422"), listParams...),
		},
		"/api/v1/needs/{id}": kit.Obj{"get": kit.WithParams(kit.Op("A need", true, nil, "200", kit.Ref("Need"), "The need", "401", "404"), kit.IDParam)},
		"/api/v1/needs/{id}/transitions": kit.Obj{"post": kit.WithParams(kit.Op("Carry out an action of the pipeline", true,
			kit.JSONBody(kit.Ref("Transition")), "200", kit.Ref("Need"), "The need in its new stage", "400", "401", "403", "404", "409", "413", "422", "503"), kit.IDParam)},
		"/api/v1/needs/{id}/events": kit.Obj{"get": kit.WithParams(kit.Op("The audit trail, oldest first", true, nil, "200", kit.Arr(kit.Ref("Event")), "Events", "401", "404"), kit.IDParam)},
		"/api/v1/needs/{id}/votes":  kit.Obj{"get": kit.WithParams(kit.Op("Committee decisions and votes (other members' votes only once decided)", true, nil, "200", kit.Arr(kit.Ref("Ballot")), "Ballots", "401", "404"), kit.IDParam)},
		"/api/v1/committee/pending": kit.Obj{"get": kit.Op("Every open committee decision of every programme, with the caller's vote (committee)", true, nil,
			"200", kit.Arr(kit.Ref("PendingDecision")), "Open decisions, oldest first", "401", "403")},
		"/api/v1/needs/{id}/supports": kit.Obj{"post": kit.WithParams(kit.Op("Support a need on behalf of one's organisation (actor)", true, kit.Obj{"required": false, "content": kit.Obj{"application/json": kit.Obj{"schema": kit.Obj{"type": "object"}}}}, "201", kit.Ref("Need"), "The need", "401", "403", "404", "409", "503"), kit.IDParam)},
		"/api/v1/admin/users/{id}/export": kit.Obj{"get": kit.WithParams(kit.ExportOperation(kit.Op("Export everything held about a person, as a JSON file (admin, RGPD)", true, nil,
			"200", kit.Ref("PersonalData"), "The person's data (Content-Disposition: attachment)", "401", "403", "404")), kit.IDParam)},
		"/api/v1/admin/users/{id}/erase": kit.Obj{"post": kit.WithParams(kit.Op("Erase a person (admin, RGPD): the account is closed, the name replaced on every record; the audit trail keeps the facts", true,
			kit.JSONBody(kit.Ref("EraseRequest")), "200", kit.Ref("Erased"), "The person is erased", "400", "401", "403", "404", "409", "422"), kit.IDParam)},
		"/api/v1/admin/users/{id}/territories": kit.Obj{
			"get": kit.WithParams(kit.Op("The territories an officer covers (admin): a need nobody is in charge of has its reminders e-mailed to the officers covering its territory or a parent of it, or to every officer when none does", true, nil,
				"200", kit.Ref("OfficerTerritories"), "Territory codes", "401", "403", "404"), kit.IDParam),
			"put": kit.WithParams(kit.Op("Replace the territories an officer covers (admin; officers only)", true, kit.JSONBody(kit.Ref("OfficerTerritories")),
				"200", kit.Ref("OfficerTerritories"), "Territory codes", "400", "401", "403", "404", "413", "422"), kit.IDParam)},
	}

	studyactions.AddSpec(schemas, paths)
	indicators.AddSpec(schemas, paths)
	rally.AddSpec(paths, schemas)
	calls.AddSpec(schemas, paths)
	discussion.AddSpec(schemas, paths)
	admin.AddSpec(schemas, paths)
	directory.AddSpec(schemas, paths)
	needs.AddMatchingSpec(schemas, paths)
	committee.AddSpec(schemas, paths)
	committee.AddSessionSpec(schemas, paths)

	return kit.Obj{
		"openapi": "3.0.3",
		"info": kit.Obj{"title": "Essor API", "version": "1.0.0",
			"description": "Emergence of social-innovation projects: needs, qualification, feasibility, committee, carriers, pilots, deployment. Errors are {\"error\": {\"code\", \"message\", \"fields\"}} with French messages unless Accept-Language: en."},
		"servers":  []any{kit.Obj{"url": "/"}},
		"security": []any{kit.Obj{"bearer": []any{}}},
		"paths":    paths,
		"components": kit.Obj{
			"securitySchemes": kit.Obj{"bearer": kit.Obj{"type": "http", "scheme": "bearer"}},
			"parameters": kit.Obj{"IdempotencyKey": kit.Obj{"name": "Idempotency-Key", "in": "header", "required": false,
				"schema": kit.Obj{"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"}, "description": "printable ASCII; the same key and body replay the first response; another body gets 422"}},
			"responses": responses,
			"schemas":   schemas,
		},
	}
}
