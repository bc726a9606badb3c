package server

import "essor/internal/domain"

// addCallSpec describes the calls for projects' routes and schemas; allowed
// values come from internal/domain/call.go.
func addCallSpec(schemas, paths obj) {
	dateTime := obj{"type": "string", "format": "date-time"}
	uuid := obj{"type": "string", "format": "uuid"}
	nullable := func(o obj) obj { o = clone(o); o["nullable"] = true; return o }
	when := "an RFC 3339 time, or a day (YYYY-MM-DD): the call opens at its first instant, or closes at its end, in Paris"

	schemas["CallDraft"] = object([]string{"title", "description", "opens_at", "closes_at"}, obj{
		"title":       obj{"type": "string", "minLength": 5, "maxLength": 200},
		"description": obj{"type": "string", "minLength": 20, "maxLength": 10000},
		"opens_at":    obj{"type": "string", "description": when + "; a call whose opening has come opens at once"},
		"closes_at":   obj{"type": "string", "description": when + "; after opens_at, in the future"},
		"need_ids": obj{"type": "array", "items": uuid, "maxItems": domain.MaxCallNeeds,
			"description": "optional: the needs the call seeks territories for"}})
	schemas["CallProposal"] = object(nil, obj{"territory_codes": arr(str("")), "comment": str(""),
		"by": object(nil, obj{"id": uuid, "name": str("")}), "at": dateTime, "round": obj{"type": "integer"},
		"outcome": obj{"type": "string", "enum": enumOf(domain.CallDecisions), "description": "once the committee decided"}})
	schemas["Call"] = object(nil, obj{
		"id": uuid, "title": str(""), "description": str(""), "opens_at": dateTime, "closes_at": dateTime,
		"need_ids": arr(uuid), "stage": obj{"type": "string", "enum": enumOf(domain.CallStages)}, "stage_entered_at": dateTime,
		"applications_count": obj{"type": "integer"},
		"proposal":           nullable(obj{"allOf": []any{ref("CallProposal")}, "description": "the last selection put to the committee"}),
		"selected":           obj{"type": "array", "items": str("territory code"), "description": "the published selection ([] until published)"},
		"next_deadline":      nullable(dateTime),
		"end_reason":         nullable(obj{"type": "string", "description": "why the officer ended the call without a selection (stage unsuccessful)"}),
		"created_by":         nullable(uuid), "created_by_name": str(""),
		"created_at": dateTime, "updated_at": dateTime})
	schemas["CallPage"] = object([]string{"items", "next_cursor"}, obj{"items": arr(ref("Call")), "next_cursor": nullable(obj{"type": "string"})})
	schemas["CallApplicationRequest"] = object([]string{"territory_code", "motivation"}, obj{
		"territory_code": obj{"type": "string", "description": "an existing territory, not retired"},
		"motivation":     obj{"type": "string", "minLength": 20, "maxLength": 5000}})
	schemas["CallApplication"] = object(nil, obj{"id": uuid, "territory_code": str(""), "territory_name": nullable(str("")),
		"motivation": str(""), "organisation": str(""), "by_name": str(""), "at": dateTime})
	schemas["CallApplicationPage"] = object([]string{"items", "next_cursor"}, obj{"items": arr(ref("CallApplication")),
		"next_cursor": nullable(obj{"type": "string"})})
	schemas["CallProposalRequest"] = object([]string{"territory_codes"}, obj{
		"territory_codes": obj{"type": "array", "items": str("a territory that applied"), "minItems": 1, "maxItems": domain.MaxCallApplications},
		"comment":         obj{"type": "string", "maxLength": 5000}})
	schemas["CallTransition"] = object([]string{"action"}, obj{
		"action": obj{"type": "string", "enum": enumOf(callTransitionActions),
			"description": "vote (committee, while deciding: decision required); close_unsuccessful (officer, once closed: reason required) ends the call without a selection"},
		"decision": obj{"type": "string", "enum": enumOf(domain.CallDecisions), "description": "vote: back_to_study: the officer revises the selection"},
		"reason":   obj{"type": "string", "minLength": 5, "maxLength": 2000, "description": "close_unsuccessful: why the call ends without result"},
		"comment":  obj{"type": "string", "maxLength": 5000}})

	errs := []string{"400", "401", "403", "404", "409", "413", "422", "503"}
	paths["/api/v1/calls"] = obj{
		"post": op("Open a call for projects (officer); it opens and closes by itself at its dates", true, jsonBody(ref("CallDraft")),
			"201", ref("Call"), "The call, scheduled or open", "400", "401", "403", "413", "422", "503"),
		"get": withParams(op("List calls for projects, newest first", true, nil, "200", ref("CallPage"), "A page of calls", "401", "422"),
			query("stage", "stage slug(s), comma-separated"),
			obj{"name": "limit", "in": "query", "schema": obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
			query("cursor", "next_cursor of the previous page")),
	}
	paths["/api/v1/calls/{id}"] = obj{"get": withParams(op("A call for projects", true, nil, "200", ref("Call"), "The call", "401", "404"), idParam)}
	paths["/api/v1/calls/{id}/applications"] = obj{
		"post": withParams(op("Apply for a territory (actor), while the call is open; once per organisation and territory", true,
			jsonBody(ref("CallApplicationRequest")), "201", ref("CallApplication"), "The application", errs...), idParam),
		"get": withParams(op("The applications, newest first: all of them for officers and the committee, the caller's organisation's for an actor", true, nil,
			"200", ref("CallApplicationPage"), "A page of applications", "401", "403", "404", "422"), idParam,
			obj{"name": "limit", "in": "query", "schema": obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
			query("cursor", "next_cursor of the previous page")),
	}
	paths["/api/v1/calls/{id}/proposal"] = obj{"post": withParams(op("Put a selection to the committee (officer, once the call has closed)", true,
		jsonBody(ref("CallProposalRequest")), "200", ref("Call"), "The call, deciding", errs...), idParam)}
	paths["/api/v1/calls/{id}/transitions"] = obj{"post": withParams(op("Vote on the proposed selection (committee; approval publishes it), or end a closed call without result (officer)", true,
		jsonBody(ref("CallTransition")), "200", ref("Call"), "The call in its new state", errs...), idParam)}
	paths["/api/v1/calls/{id}/events"] = obj{"get": withParams(op("The audit trail, oldest first", true, nil, "200", arr(ref("Event")), "Events", "401", "404"), idParam)}
	paths["/api/v1/calls/{id}/votes"] = obj{"get": withParams(op("Committee decisions and votes (other members' votes only once decided)", true, nil, "200", arr(ref("Ballot")), "Ballots", "401", "404"), idParam)}
}
