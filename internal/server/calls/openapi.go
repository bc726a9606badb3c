package calls

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// addCallSpec describes the calls for projects' routes and schemas; allowed
// values come from internal/domain/call.go.
func AddSpec(schemas, paths kit.Obj) {
	dateTime := kit.Obj{"type": "string", "format": "date-time"}
	uuid := kit.Obj{"type": "string", "format": "uuid"}
	dayOrTime := `^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2}))?$`
	when := "an RFC 3339 time, or a day (YYYY-MM-DD): the call opens at its first instant, or closes at its end, in Paris"

	schemas["CallDraft"] = kit.Object([]string{"title", "description", "opens_at", "closes_at"}, kit.Obj{
		"title":       kit.Obj{"type": "string", "minLength": 5, "maxLength": 200},
		"description": kit.Obj{"type": "string", "minLength": 20, "maxLength": 10000},
		"opens_at":    kit.Obj{"type": "string", "pattern": dayOrTime, "description": when + "; a call whose opening has come opens at once"},
		"closes_at":   kit.Obj{"type": "string", "pattern": dayOrTime, "description": when + "; after opens_at, in the future"},
		"need_ids": kit.Obj{"type": "array", "items": uuid, "maxItems": domain.MaxCallNeeds,
			"description": "optional: the needs the call seeks territories for"}})
	schemas["CallProposal"] = kit.Object(nil, kit.Obj{"territory_codes": kit.Arr(kit.Str("")), "comment": kit.Str(""),
		"by": kit.Object(nil, kit.Obj{"id": uuid, "name": kit.Str("")}), "at": dateTime, "round": kit.Obj{"type": "integer"},
		"outcome": kit.Obj{"type": "string", "enum": kit.EnumOf(domain.CallDecisions), "description": "once the committee decided"}})
	schemas["Call"] = kit.Object(nil, kit.Obj{
		"id": uuid, "title": kit.Str(""), "description": kit.Str(""), "opens_at": dateTime, "closes_at": dateTime,
		"need_ids": kit.Arr(uuid), "stage": kit.Obj{"type": "string", "enum": kit.EnumOf(domain.CallStages)}, "stage_entered_at": dateTime,
		"applications_count": kit.Obj{"type": "integer"},
		"proposal":           kit.Nullable(kit.Obj{"allOf": []any{kit.Ref("CallProposal")}, "description": "the last selection put to the committee"}),
		"selected":           kit.Obj{"type": "array", "items": kit.Str("territory code"), "description": "the published selection ([] until published)"},
		"conditions":         kit.Str("the conditions a committee session attached to its approval"),
		"next_deadline":      kit.Nullable(dateTime),
		"end_reason":         kit.Nullable(kit.Obj{"type": "string", "description": "why the officer ended the call without a selection (stage unsuccessful)"}),
		"created_by":         kit.Nullable(uuid), "created_by_name": kit.Str(""),
		"created_at": dateTime, "updated_at": dateTime})
	schemas["CallPage"] = kit.Object([]string{"items", "next_cursor"}, kit.Obj{"items": kit.Arr(kit.Ref("Call")), "next_cursor": kit.Nullable(kit.Obj{"type": "string"})})
	schemas["CallApplicationRequest"] = kit.Object([]string{"territory_code", "motivation"}, kit.Obj{
		"territory_code": kit.Obj{"type": "string", "description": "an existing territory, not retired"},
		"motivation":     kit.Obj{"type": "string", "minLength": 20, "maxLength": 5000}})
	schemas["CallApplication"] = kit.Object(nil, kit.Obj{"id": uuid, "territory_code": kit.Str(""), "territory_name": kit.Nullable(kit.Str("")),
		"motivation": kit.Str(""), "organisation": kit.Str(""), "by_name": kit.Str(""), "at": dateTime})
	schemas["CallApplicationPage"] = kit.Object([]string{"items", "next_cursor"}, kit.Obj{"items": kit.Arr(kit.Ref("CallApplication")),
		"next_cursor": kit.Nullable(kit.Obj{"type": "string"})})
	schemas["CallProposalRequest"] = kit.Object([]string{"territory_codes"}, kit.Obj{
		"territory_codes": kit.Obj{"type": "array", "items": kit.Str("a territory that applied"), "minItems": 1, "maxItems": domain.MaxCallApplications},
		"comment":         kit.Obj{"type": "string", "maxLength": 5000}})
	schemas["CallTransition"] = kit.Object([]string{"action"}, kit.Obj{
		"action": kit.Obj{"type": "string", "enum": kit.EnumOf(callTransitionActions),
			"description": "vote (committee, while deciding: decision required); close_unsuccessful (officer, once closed: reason required) ends the call without a selection"},
		"decision": kit.Obj{"type": "string", "enum": kit.EnumOf(domain.CallDecisions), "description": "vote: back_to_study: the officer revises the selection"},
		"reason":   kit.Obj{"type": "string", "minLength": 5, "maxLength": 2000, "description": "close_unsuccessful: why the call ends without result"},
		"comment":  kit.Obj{"type": "string", "maxLength": 5000}})

	errs := []string{"400", "401", "403", "404", "409", "413", "422", "503"}
	paths["/api/v1/calls"] = kit.Obj{
		"post": kit.Op("Open a call for projects (officer); it opens and closes by itself at its dates", true, kit.JSONBody(kit.Ref("CallDraft")),
			"201", kit.Ref("Call"), "The call, scheduled or open", "400", "401", "403", "413", "422", "503"),
		"get": kit.WithParams(kit.Op("List calls for projects, newest first", true, nil, "200", kit.Ref("CallPage"), "A page of calls", "401", "422"),
			kit.Query("stage", "stage slug(s), comma-separated"),
			kit.Obj{"name": "limit", "in": "query", "schema": kit.Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
			kit.Query("cursor", "next_cursor of the previous page")),
	}
	paths["/api/v1/calls/{id}"] = kit.Obj{"get": kit.WithParams(kit.Op("A call for projects", true, nil, "200", kit.Ref("Call"), "The call", "401", "404"), kit.IDParam)}
	paths["/api/v1/calls/{id}/applications"] = kit.Obj{
		"post": kit.WithParams(kit.Op("Apply for a territory (actor), while the call is open; once per organisation and territory", true,
			kit.JSONBody(kit.Ref("CallApplicationRequest")), "201", kit.Ref("CallApplication"), "The application", errs...), kit.IDParam),
		"get": kit.WithParams(kit.Op("The applications, newest first: all of them for officers and the committee, the caller's organisation's for an actor", true, nil,
			"200", kit.Ref("CallApplicationPage"), "A page of applications", "401", "403", "404", "422"), kit.IDParam,
			kit.Obj{"name": "limit", "in": "query", "schema": kit.Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
			kit.Query("cursor", "next_cursor of the previous page")),
	}
	paths["/api/v1/calls/{id}/proposal"] = kit.Obj{"post": kit.WithParams(kit.Op("Put a selection to the committee (officer, once the call has closed)", true,
		kit.JSONBody(kit.Ref("CallProposalRequest")), "200", kit.Ref("Call"), "The call, deciding", errs...), kit.IDParam)}
	paths["/api/v1/calls/{id}/transitions"] = kit.Obj{"post": kit.WithParams(kit.Op("Vote on the proposed selection (committee; approval publishes it), or end a closed call without result (officer)", true,
		kit.JSONBody(kit.Ref("CallTransition")), "200", kit.Ref("Call"), "The call in its new state", errs...), kit.IDParam)}
	paths["/api/v1/calls/{id}/events"] = kit.Obj{"get": kit.WithParams(kit.Op("The audit trail, oldest first", true, nil, "200", kit.Arr(kit.Ref("Event")), "Events", "401", "404"), kit.IDParam)}
	paths["/api/v1/calls/{id}/votes"] = kit.Obj{"get": kit.WithParams(kit.Op("Committee decisions and votes (other members' votes only once decided)", true, nil, "200", kit.Arr(kit.Ref("Ballot")), "Ballots", "401", "404"), kit.IDParam)}
}
