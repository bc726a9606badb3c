package server

import "essor/internal/domain"

// addCallSpec describes the calls for projects' routes and schemas; allowed
// values come from internal/domain/call.go.
func AddCallSpec(schemas, paths Obj) {
	dateTime := Obj{"type": "string", "format": "date-time"}
	uuid := Obj{"type": "string", "format": "uuid"}
	nullable := func(o Obj) Obj { o = Clone(o); o["nullable"] = true; return o }
	when := "an RFC 3339 time, or a day (YYYY-MM-DD): the call opens at its first instant, or closes at its end, in Paris"

	schemas["CallDraft"] = Object([]string{"title", "description", "opens_at", "closes_at"}, Obj{
		"title":       Obj{"type": "string", "minLength": 5, "maxLength": 200},
		"description": Obj{"type": "string", "minLength": 20, "maxLength": 10000},
		"opens_at":    Obj{"type": "string", "description": when + "; a call whose opening has come opens at once"},
		"closes_at":   Obj{"type": "string", "description": when + "; after opens_at, in the future"},
		"need_ids": Obj{"type": "array", "items": uuid, "maxItems": domain.MaxCallNeeds,
			"description": "optional: the needs the call seeks territories for"}})
	schemas["CallProposal"] = Object(nil, Obj{"territory_codes": Arr(Str("")), "comment": Str(""),
		"by": Object(nil, Obj{"id": uuid, "name": Str("")}), "at": dateTime, "round": Obj{"type": "integer"},
		"outcome": Obj{"type": "string", "enum": EnumOf(domain.CallDecisions), "description": "once the committee decided"}})
	schemas["Call"] = Object(nil, Obj{
		"id": uuid, "title": Str(""), "description": Str(""), "opens_at": dateTime, "closes_at": dateTime,
		"need_ids": Arr(uuid), "stage": Obj{"type": "string", "enum": EnumOf(domain.CallStages)}, "stage_entered_at": dateTime,
		"applications_count": Obj{"type": "integer"},
		"proposal":           nullable(Obj{"allOf": []any{Ref("CallProposal")}, "description": "the last selection put to the committee"}),
		"selected":           Obj{"type": "array", "items": Str("territory code"), "description": "the published selection ([] until published)"},
		"next_deadline":      nullable(dateTime),
		"end_reason":         nullable(Obj{"type": "string", "description": "why the officer ended the call without a selection (stage unsuccessful)"}),
		"created_by":         nullable(uuid), "created_by_name": Str(""),
		"created_at": dateTime, "updated_at": dateTime})
	schemas["CallPage"] = Object([]string{"items", "next_cursor"}, Obj{"items": Arr(Ref("Call")), "next_cursor": nullable(Obj{"type": "string"})})
	schemas["CallApplicationRequest"] = Object([]string{"territory_code", "motivation"}, Obj{
		"territory_code": Obj{"type": "string", "description": "an existing territory, not retired"},
		"motivation":     Obj{"type": "string", "minLength": 20, "maxLength": 5000}})
	schemas["CallApplication"] = Object(nil, Obj{"id": uuid, "territory_code": Str(""), "territory_name": nullable(Str("")),
		"motivation": Str(""), "organisation": Str(""), "by_name": Str(""), "at": dateTime})
	schemas["CallApplicationPage"] = Object([]string{"items", "next_cursor"}, Obj{"items": Arr(Ref("CallApplication")),
		"next_cursor": nullable(Obj{"type": "string"})})
	schemas["CallProposalRequest"] = Object([]string{"territory_codes"}, Obj{
		"territory_codes": Obj{"type": "array", "items": Str("a territory that applied"), "minItems": 1, "maxItems": domain.MaxCallApplications},
		"comment":         Obj{"type": "string", "maxLength": 5000}})
	schemas["CallTransition"] = Object([]string{"action"}, Obj{
		"action": Obj{"type": "string", "enum": EnumOf(callTransitionActions),
			"description": "vote (committee, while deciding: decision required); close_unsuccessful (officer, once closed: reason required) ends the call without a selection"},
		"decision": Obj{"type": "string", "enum": EnumOf(domain.CallDecisions), "description": "vote: back_to_study: the officer revises the selection"},
		"reason":   Obj{"type": "string", "minLength": 5, "maxLength": 2000, "description": "close_unsuccessful: why the call ends without result"},
		"comment":  Obj{"type": "string", "maxLength": 5000}})

	errs := []string{"400", "401", "403", "404", "409", "413", "422", "503"}
	paths["/api/v1/calls"] = Obj{
		"post": Op("Open a call for projects (officer); it opens and closes by itself at its dates", true, JSONBody(Ref("CallDraft")),
			"201", Ref("Call"), "The call, scheduled or open", "400", "401", "403", "413", "422", "503"),
		"get": WithParams(Op("List calls for projects, newest first", true, nil, "200", Ref("CallPage"), "A page of calls", "401", "422"),
			Query("stage", "stage slug(s), comma-separated"),
			Obj{"name": "limit", "in": "query", "schema": Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
			Query("cursor", "next_cursor of the previous page")),
	}
	paths["/api/v1/calls/{id}"] = Obj{"get": WithParams(Op("A call for projects", true, nil, "200", Ref("Call"), "The call", "401", "404"), IDParam)}
	paths["/api/v1/calls/{id}/applications"] = Obj{
		"post": WithParams(Op("Apply for a territory (actor), while the call is open; once per organisation and territory", true,
			JSONBody(Ref("CallApplicationRequest")), "201", Ref("CallApplication"), "The application", errs...), IDParam),
		"get": WithParams(Op("The applications, newest first: all of them for officers and the committee, the caller's organisation's for an actor", true, nil,
			"200", Ref("CallApplicationPage"), "A page of applications", "401", "403", "404", "422"), IDParam,
			Obj{"name": "limit", "in": "query", "schema": Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
			Query("cursor", "next_cursor of the previous page")),
	}
	paths["/api/v1/calls/{id}/proposal"] = Obj{"post": WithParams(Op("Put a selection to the committee (officer, once the call has closed)", true,
		JSONBody(Ref("CallProposalRequest")), "200", Ref("Call"), "The call, deciding", errs...), IDParam)}
	paths["/api/v1/calls/{id}/transitions"] = Obj{"post": WithParams(Op("Vote on the proposed selection (committee; approval publishes it), or end a closed call without result (officer)", true,
		JSONBody(Ref("CallTransition")), "200", Ref("Call"), "The call in its new state", errs...), IDParam)}
	paths["/api/v1/calls/{id}/events"] = Obj{"get": WithParams(Op("The audit trail, oldest first", true, nil, "200", Arr(Ref("Event")), "Events", "401", "404"), IDParam)}
	paths["/api/v1/calls/{id}/votes"] = Obj{"get": WithParams(Op("Committee decisions and votes (other members' votes only once decided)", true, nil, "200", Arr(Ref("Ballot")), "Ballots", "401", "404"), IDParam)}
}
