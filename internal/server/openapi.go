package server

import (
	"sync"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
)

type obj = map[string]any

// openAPI serves the OpenAPI 3 description of every route.
func (s *Server) openAPI(c *fiber.Ctx) error {
	return c.JSON(s.spec())
}

var (
	specOnce sync.Once
	specDoc  obj
)

func (s *Server) spec() obj {
	specOnce.Do(func() { specDoc = buildSpec() })
	return specDoc
}

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func str(desc string) obj { return obj{"type": "string", "description": desc} }

func arr(items obj) obj { return obj{"type": "array", "items": items} }

func object(required []string, props obj) obj {
	o := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func jsonBody(schema obj) obj {
	return obj{"required": true, "content": obj{"application/json": obj{"schema": schema}}}
}

func jsonResp(desc string, schema obj) obj {
	return obj{"description": desc, "content": obj{"application/json": obj{"schema": schema}}}
}

// op describes one operation; errs lists the error statuses it may answer.
func op(summary string, secured bool, body obj, ok string, okSchema obj, okDesc string, errs ...string) obj {
	o := obj{"summary": summary, "responses": obj{}}
	if !secured {
		o["security"] = []any{}
	}
	if body != nil {
		o["requestBody"] = body
		o["parameters"] = []any{obj{"$ref": "#/components/parameters/IdempotencyKey"}}
	}
	resp := o["responses"].(obj)
	if okSchema != nil {
		resp[ok] = jsonResp(okDesc, okSchema)
	} else {
		resp[ok] = obj{"description": okDesc}
	}
	for _, e := range errs {
		resp[e] = obj{"$ref": "#/components/responses/Error" + e}
	}
	return o
}

func withParams(o obj, params ...obj) obj {
	existing, _ := o["parameters"].([]any)
	for _, p := range params {
		existing = append(existing, p)
	}
	o["parameters"] = existing
	return o
}

var idParam = obj{"name": "id", "in": "path", "required": true, "schema": obj{"type": "string", "format": "uuid"}}

func query(name, desc string) obj {
	return obj{"name": name, "in": "query", "required": false, "schema": obj{"type": "string"}, "description": desc}
}

func buildSpec() obj {
	// Allowed values come from the domain's tables: never typed again here.
	stages := enum(domain.Stages)
	actions := enum(domain.RequestedActions())
	roles := enum(domain.Roles)
	decisions := enum(domain.NeedDecisions)
	recommendations := enum(domain.StudyRecommendations)
	subjects := enum(domain.Subjects)
	dateTime := obj{"type": "string", "format": "date-time"}
	date := obj{"type": "string", "format": "date"}
	nullable := func(o obj) obj { o = clone(o); o["nullable"] = true; return o }
	territoryKind := obj{"type": "string", "enum": []any{"region", "departement", "employment_zone", "other"},
		"description": "other: only on territories added by hand before admins managed them"}

	schemas := obj{
		"Error": object([]string{"error"}, obj{"error": object([]string{"code", "message"}, obj{
			"code":    str("machine-readable code"),
			"message": str("message for people, in French unless Accept-Language: en"),
			"fields":  obj{"type": "object", "additionalProperties": obj{"type": "string"}, "description": "one message per failing field"},
		})}),
		"SessionRequest": object([]string{"email", "password"}, obj{"email": obj{"type": "string", "format": "email"}, "password": str("")}),
		"Session":        object([]string{"token", "expires_at"}, obj{"token": str("bearer token"), "expires_at": dateTime}),
		"Me": object(nil, obj{"id": obj{"type": "string", "format": "uuid"}, "email": str(""), "name": str(""),
			"organisation": str(""), "roles": arr(obj{"type": "string", "enum": roles})}),
		"Theme": object(nil, obj{"slug": str(""), "label_fr": str(""), "label_en": str(""),
			"retired": obj{"type": "boolean", "description": "refused for new records, still named on old ones"}}),
		"Territory": object(nil, obj{"code": str(""), "name": str(""), "kind": territoryKind,
			"parent_code": nullable(str("the département of an employment zone")),
			"retired":     obj{"type": "boolean", "description": "refused for new records, still named on old ones"}}),
		"NewTheme": object([]string{"slug", "label_fr", "label_en"}, obj{
			"slug":     obj{"type": "string", "pattern": "^[a-z][a-z0-9_]{1,39}$"},
			"label_fr": obj{"type": "string", "minLength": 2, "maxLength": 100},
			"label_en": obj{"type": "string", "minLength": 2, "maxLength": 100}}),
		"ThemeChange": object(nil, obj{
			"label_fr": obj{"type": "string", "minLength": 2, "maxLength": 100},
			"label_en": obj{"type": "string", "minLength": 2, "maxLength": 100},
			"retired":  obj{"type": "boolean", "description": "true retires, false restores"}}),
		"NewTerritory": object([]string{"code", "name", "kind"}, obj{
			"code":        obj{"type": "string", "pattern": "^[0-9a-z][0-9a-z-]{0,39}$"},
			"name":        obj{"type": "string", "minLength": 2, "maxLength": 100},
			"kind":        obj{"type": "string", "enum": enum(domain.TerritoryKinds)},
			"parent_code": str("required for an employment_zone: a département; a département may have a region")}),
		"TerritoryChange": object(nil, obj{
			"name":        obj{"type": "string", "minLength": 2, "maxLength": 100},
			"parent_code": str("the new parent; \"\" removes it"),
			"retired":     obj{"type": "boolean", "description": "true retires, false restores"}}),
		"Submission": object([]string{"title", "description", "theme", "territory_code"}, obj{
			"title":          obj{"type": "string", "minLength": 5, "maxLength": 200},
			"description":    obj{"type": "string", "minLength": 20, "maxLength": 10000},
			"theme":          str("a theme slug"),
			"territory_code": str("a territory code"),
			"beneficiaries":  obj{"type": "integer", "minimum": 0},
			"organisation":   obj{"type": "string", "maxLength": 200},
			"evidence":       obj{"type": "string", "maxLength": 10000},
		}),
		"Carrier": object(nil, obj{"id": obj{"type": "string", "format": "uuid"}, "organisation": str(""), "contact": str(""),
			"motivation": str(""), "proposed_by": obj{"type": "string", "format": "uuid"}, "proposed_at": dateTime, "chosen": obj{"type": "boolean"},
			"declined":        obj{"type": "boolean", "description": "declined by an officer (decline_carrier): cannot be chosen"},
			"declined_reason": str("why the officer declined it")}),
		"Duplicate": object(nil, obj{"id": obj{"type": "string", "format": "uuid"}, "title": str(""), "similarity": obj{"type": "number"}}),
		"Study":     object(nil, obj{"due_date": date, "started_at": dateTime, "recommendation": obj{"type": "string", "enum": recommendations}, "summary": str("")}),
		"Pilot": object(nil, obj{"carrier_id": obj{"type": "string", "format": "uuid"}, "territories": arr(obj{"type": "string"}),
			"start_date": date, "end_date": date, "budget_eur": obj{"type": "number"}}),
		"Need": object(nil, obj{
			"id": obj{"type": "string", "format": "uuid"}, "title": str(""), "description": str(""), "theme": str(""),
			"territory_code": str(""), "beneficiaries": nullable(obj{"type": "integer"}), "organisation": str(""), "evidence": str(""),
			"stage": obj{"type": "string", "enum": stages}, "stage_entered_at": dateTime,
			"submitted_by": obj{"type": "string", "format": "uuid"}, "submitted_by_name": str(""),
			"created_at": dateTime, "updated_at": dateTime, "supports": obj{"type": "integer"},
			"carriers": arr(ref("Carrier")), "possible_duplicates": arr(ref("Duplicate")),
			"merged_into": nullable(obj{"type": "string", "format": "uuid"}), "study": nullable(ref("Study")), "pilot": nullable(ref("Pilot")),
			"next_deadline": nullable(dateTime), "overdue": obj{"type": "boolean"},
			"officer": nullable(object([]string{"id", "name"}, obj{"id": obj{"type": "string", "format": "uuid"}, "name": str("")})),
		}),
		"NeedPage": object([]string{"items", "next_cursor"}, obj{"items": arr(ref("Need")), "next_cursor": nullable(obj{"type": "string"})}),
		"Transition": object([]string{"action"}, obj{
			"action": obj{"type": "string", "enum": actions}, "comment": str(""), "reason": str("reject, abandon, decline_carrier (5-2000 characters)"),
			"into": obj{"type": "string", "format": "uuid", "description": "merge"}, "due_date": date,
			"recommendation": obj{"type": "string", "enum": recommendations}, "summary": str("submit_study"),
			"decision":     obj{"type": "string", "enum": decisions},
			"organisation": str("propose_carrier"), "contact": str("propose_carrier"), "motivation": str("propose_carrier"),
			"carrier_id":  obj{"type": "string", "format": "uuid", "description": "start_pilot, decline_carrier: a proposal that is not declined"},
			"territories": arr(obj{"type": "string"}),
			"start_date":  date, "end_date": date, "budget_eur": obj{"type": "number", "minimum": 0},
			"officer_id": obj{"type": "string", "format": "uuid", "description": "assign: an active officer's account"},
		}),
		"Event": object(nil, obj{"seq": obj{"type": "integer"}, "at": dateTime, "actor": str("account id, or \"system\""),
			"actor_name": str(""), "action": str(""), "from_stage": nullable(obj{"type": "string"}), "to_stage": str(""),
			"comment": str(""), "data": obj{"type": "object", "additionalProperties": obj{"type": "string"}}}),
		"Ballot": object(nil, obj{"round": obj{"type": "integer"}, "opened_at": dateTime, "quorum": obj{"type": "integer"},
			"outcome": nullable(obj{"type": "string"}), "decided_at": nullable(dateTime),
			"votes_cast": obj{"type": "integer", "description": "votes cast so far"},
			"votes": obj{"type": "array", "description": "secret while the ballot is open: only the caller's own vote until the decision is taken",
				"items": object(nil, obj{"voter": str(""), "voter_name": str(""), "decision": str(""), "comment": str(""), "at": dateTime})}}),
		"PendingDecision": object(nil, obj{"subject": obj{"type": "string", "enum": subjects},
			"id": obj{"type": "string", "format": "uuid"}, "title": str(""), "round": obj{"type": "integer"}, "opened_at": dateTime,
			"deadline": nullable(dateTime), "votes_cast": obj{"type": "integer"}, "quorum": obj{"type": "integer"},
			"my_vote": nullable(obj{"type": "string"})}),
		"Health": obj{"type": "object", "properties": obj{"status": str(""), "checks": obj{"type": "object"}}},
		"PersonalData": obj{"type": "object", "description": "everything Essor holds about one person; never a password hash nor a token",
			"properties": obj{
				"exported_at": dateTime,
				"account": object(nil, obj{"id": obj{"type": "string", "format": "uuid"}, "email": str(""), "name": str(""),
					"organisation": str(""), "roles": arr(obj{"type": "string"}), "active": obj{"type": "boolean"},
					"created_at": dateTime, "updated_at": dateTime, "deactivated_at": nullable(dateTime), "erased_at": nullable(dateTime)}),
				"sessions": object(nil, obj{"count": obj{"type": "integer"}, "items": arr(object(nil, obj{
					"kind": obj{"type": "string", "enum": []any{"api", "web"}}, "created_at": dateTime, "expires_at": dateTime}))}),
				"needs_submitted":   arr(obj{"type": "object", "description": "needs the person submitted"}),
				"supports":          arr(obj{"type": "object", "description": "supports the person gave"}),
				"carriers":          arr(obj{"type": "object", "description": "carriers the person proposed, or whose contact is their address"}),
				"votes":             arr(obj{"type": "object", "description": "votes the person cast"}),
				"events":            arr(obj{"type": "object", "description": "audit-trail lines the person authored"}),
				"account_history":   arr(object(nil, obj{"action": obj{"type": "string", "enum": []any{"export_personal_data", "erase_person"}}, "at": dateTime})),
				"recorded_requests": arr(object(nil, obj{"key": str("Idempotency-Key"), "status": nullable(obj{"type": "integer"}), "created_at": dateTime})),
			}},
		"OfficerTerritories": object([]string{"territories"}, obj{"territories": obj{"type": "array", "maxItems": maxOfficerTerritories,
			"items": str("a territory's code; covering a territory covers the ones under it")}}),
		"EraseRequest": object([]string{"reason"}, obj{"reason": obj{"type": "string", "minLength": 1, "maxLength": 1000,
			"description": "why the person is erased; kept in the account's audit trail"}}),
		"Erased": object(nil, obj{"id": obj{"type": "string", "format": "uuid"}, "erased_at": dateTime,
			"counts": obj{"type": "object", "additionalProperties": obj{"type": "integer"}, "description": "records changed: sessions, needs, events, votes, carriers, supports"}}),
	}

	addFollowUpSchemas(schemas) // openapi_outcome.go
	addListFields(schemas)      // openapi_perf.go
	responses := obj{}
	for code, desc := range map[string]string{
		"400": "Malformed JSON or unknown field", "401": "Not authenticated", "403": "Role not allowed",
		"404": "Not found", "409": "Not allowed in the current stage", "413": "Body larger than 1 MiB",
		"422": "Validation failed", "429": "Rate limited", "503": "A dependency is unavailable",
	} {
		responses["Error"+code] = jsonResp(desc, ref("Error"))
	}
	responses["Error429"].(obj)["headers"] = obj{"Retry-After": obj{"description": "seconds until an attempt is accepted again",
		"schema": obj{"type": "integer", "minimum": 1}}}

	listParams := []obj{query("stage", "stage slug(s), comma-separated"), query("territory", "territory code; a département includes its employment zones"),
		query("theme", "theme slug"), query("q", "French full-text search over title and description"),
		obj{"name": "limit", "in": "query", "schema": obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
		query("cursor", "next_cursor of the previous page"),
		query("officer", "the officer in charge: \"me\" or an account id")}

	paths := obj{
		"/healthz":          obj{"get": op("Liveness", false, nil, "200", ref("Health"), "The process is up")},
		"/readyz":           obj{"get": op("Readiness: PostgreSQL and Temporal reachable", false, nil, "200", ref("Health"), "Ready", "503")},
		"/metrics":          obj{"get": metricsOperation()},
		"/api/openapi.json": obj{"get": op("This document", false, nil, "200", obj{"type": "object"}, "OpenAPI 3")},
		"/api/v1/sessions": obj{
			"post": op("Sign in: exchange e-mail and password for a bearer token", false, jsonBody(ref("SessionRequest")), "201", ref("Session"), "Signed in", "400", "401", "422", "429"),
			"delete": withParams(op("Sign out the bearer token or, with everywhere=true, every token and web session of its account", true, nil, "204", nil, "Signed out", "401", "422"),
				obj{"name": "everywhere", "in": "query", "required": false, "schema": obj{"type": "boolean", "default": false},
					"description": "true: end every session of the account (all API tokens and web sessions), not only this token"}),
		},
		"/api/v1/me": obj{"get": op("The signed-in account", true, nil, "200", ref("Me"), "The account", "401")},
		"/api/v1/themes": obj{
			"get":  op("Themes, retired ones included", false, nil, "200", arr(ref("Theme")), "Every theme"),
			"post": op("Add a theme (admin)", true, jsonBody(ref("NewTheme")), "201", ref("Theme"), "The theme", "400", "401", "403", "409", "422"),
		},
		"/api/v1/themes/{slug}": obj{"patch": withParams(op("Rename, retire or restore a theme (admin)", true,
			jsonBody(ref("ThemeChange")), "200", ref("Theme"), "The theme", "400", "401", "403", "404", "422"),
			obj{"name": "slug", "in": "path", "required": true, "schema": obj{"type": "string"}})},
		"/api/v1/territories": obj{
			"get":  op("Territories, retired ones included", false, nil, "200", arr(ref("Territory")), "Every territory"),
			"post": op("Add a territory (admin)", true, jsonBody(ref("NewTerritory")), "201", ref("Territory"), "The territory", "400", "401", "403", "409", "422"),
		},
		"/api/v1/territories/{code}": obj{"patch": withParams(op("Rename, move, retire or restore a territory (admin)", true,
			jsonBody(ref("TerritoryChange")), "200", ref("Territory"), "The territory", "400", "401", "403", "404", "422"),
			obj{"name": "code", "in": "path", "required": true, "schema": obj{"type": "string"}})},
		"/api/v1/needs": obj{
			"post": op("Submit a need (actor)", true, jsonBody(ref("Submission")), "201", ref("Need"), "The need, with its possible duplicates", "400", "401", "403", "413", "422", "503"),
			"get":  withParams(op("List needs, newest first", true, nil, "200", ref("NeedPage"), "A page of needs", "401", "422"), listParams...),
		},
		"/api/v1/needs/{id}": obj{"get": withParams(op("A need", true, nil, "200", ref("Need"), "The need", "401", "404"), idParam)},
		"/api/v1/needs/{id}/transitions": obj{"post": withParams(op("Carry out an action of the pipeline", true,
			jsonBody(ref("Transition")), "200", ref("Need"), "The need in its new stage", "400", "401", "403", "404", "409", "413", "422", "503"), idParam)},
		"/api/v1/needs/{id}/events": obj{"get": withParams(op("The audit trail, oldest first", true, nil, "200", arr(ref("Event")), "Events", "401", "404"), idParam)},
		"/api/v1/needs/{id}/votes":  obj{"get": withParams(op("Committee decisions and votes (other members' votes only once decided)", true, nil, "200", arr(ref("Ballot")), "Ballots", "401", "404"), idParam)},
		"/api/v1/committee/pending": obj{"get": op("Every open committee decision of every programme, with the caller's vote (committee)", true, nil,
			"200", arr(ref("PendingDecision")), "Open decisions, oldest first", "401", "403")},
		"/api/v1/needs/{id}/supports": obj{"post": withParams(op("Support a need on behalf of one's organisation (actor)", true, obj{"required": false, "content": obj{"application/json": obj{"schema": obj{"type": "object"}}}}, "201", ref("Need"), "The need", "401", "403", "404", "409", "503"), idParam)},
		"/api/v1/admin/users/{id}/export": obj{"get": withParams(exportOperation(op("Export everything held about a person, as a JSON file (admin, RGPD)", true, nil,
			"200", ref("PersonalData"), "The person's data (Content-Disposition: attachment)", "401", "403", "404")), idParam)},
		"/api/v1/admin/users/{id}/erase": obj{"post": withParams(op("Erase a person (admin, RGPD): the account is closed, the name replaced on every record; the audit trail keeps the facts", true,
			jsonBody(ref("EraseRequest")), "200", ref("Erased"), "The person is erased", "400", "401", "403", "404", "409", "422"), idParam)},
		"/api/v1/admin/users/{id}/territories": obj{
			"get": withParams(op("The territories an officer covers (admin): a need nobody is in charge of has its reminders e-mailed to the officers covering its territory or a parent of it, or to every officer when none does", true, nil,
				"200", ref("OfficerTerritories"), "Territory codes", "401", "403", "404"), idParam),
			"put": withParams(op("Replace the territories an officer covers (admin; officers only)", true, jsonBody(ref("OfficerTerritories")),
				"200", ref("OfficerTerritories"), "Territory codes", "400", "401", "403", "404", "413", "422"), idParam)},
	}

	addStudyActionSpec(schemas, paths) // openapi_studyaction.go
	addIndicatorSpec(schemas, paths)   // openapi_indicators.go
	addRally(paths, schemas)           // openapi_rally.go
	addCallSpec(schemas, paths)        // openapi_call.go
	addMailSpec(schemas, paths)        // openapi_mail.go

	return obj{
		"openapi": "3.0.3",
		"info": obj{"title": "Essor API", "version": "1.0.0",
			"description": "Emergence of social-innovation projects: needs, qualification, feasibility, committee, carriers, pilots, deployment. Errors are {\"error\": {\"code\", \"message\", \"fields\"}} with French messages unless Accept-Language: en."},
		"servers":  []any{obj{"url": "/"}},
		"security": []any{obj{"bearer": []any{}}},
		"paths":    paths,
		"components": obj{
			"securitySchemes": obj{"bearer": obj{"type": "http", "scheme": "bearer"}},
			"parameters": obj{"IdempotencyKey": obj{"name": "Idempotency-Key", "in": "header", "required": false,
				"schema": obj{"type": "string", "maxLength": 255}, "description": "the same key and body replay the first response; another body gets 422"}},
			"responses": responses,
			"schemas":   schemas,
		},
	}
}

func clone(o obj) obj {
	c := obj{}
	for k, v := range o {
		c[k] = v
	}
	return c
}

// exportOperation adds to an export's 200 the header that makes it a file.
func exportOperation(o obj) obj {
	ok := o["responses"].(obj)["200"].(obj)
	ok["headers"] = obj{"Content-Disposition": obj{"description": "attachment; filename=\"essor-donnees-personnelles-<id>.json\"",
		"schema": obj{"type": "string"}}}
	return o
}

// enum lists a domain table's values for an OpenAPI "enum".
func enum[T ~string](values []T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
