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

// AddSessionSpec describes the committee's sessions.
func AddSessionSpec(schemas, paths kit.Obj) {
	uuid := kit.Obj{"type": "string", "format": "uuid"}
	t := domain.SessionTexts
	count := kit.Obj{"type": "integer", "minimum": 0}
	votes := kit.Object([]string{"for", "against", "abstain"}, kit.Obj{"for": count, "against": count, "abstain": count})
	attendee := kit.Object([]string{"user_id", "status"}, kit.Obj{"user_id": uuid, "name": kit.Str(""), "institution": kit.Str("its slug, empty for none"),
		"status": kit.Obj{"type": "string", "enum": domain.AttendanceStatuses}, "proxy_id": kit.Obj{"type": "string", "description": "represented: the member who holds the proxy"}})
	decision := kit.Object([]string{"decision", "votes", "at"}, kit.Obj{
		"decision": kit.Obj{"type": "string", "enum": domain.SessionDecisions}, "budget_eur": kit.Obj{"type": "number"},
		"conditions": kit.Str(""), "reason": kit.Str(""), "votes": votes, "conflicts": kit.Arr(kit.Obj{"type": "string"}),
		"at": kit.Obj{"type": "string", "format": "date-time"}})
	schemas["AgendaItem"] = kit.Object([]string{"n", "subject", "id", "title"}, kit.Obj{"n": kit.Obj{"type": "integer"},
		"subject": kit.Obj{"type": "string", "enum": kit.EnumOf(domain.Subjects)}, "id": uuid, "title": kit.Str(""), "report": kit.Str(""),
		"decision": kit.Obj{"allOf": []any{decision}, "nullable": true}})
	schemas["CommitteeSession"] = kit.Object([]string{"id", "title", "starts_at", "place", "stage", "agenda", "attendance", "quorum", "present"}, kit.Obj{
		"id": uuid, "title": kit.Str(""), "starts_at": kit.Obj{"type": "string", "format": "date-time"}, "place": kit.Str("a room or a video link"),
		"stage": kit.Obj{"type": "string", "enum": kit.EnumOf(domain.SessionStages)}, "agenda": kit.Arr(kit.Ref("AgendaItem")),
		"attendance": kit.Arr(attendee), "quorum": kit.Obj{"type": "integer", "description": "institutions needed to open (more than half)"},
		"present":             kit.Obj{"type": "integer", "description": "institutions present or represented at the opening"},
		"minutes_approved_in": kit.Nullable(kit.Obj{"type": "string", "format": "uuid", "description": "the later session that approved its minutes (then final)"})})
	schemas["CommitteeSessionDraft"] = kit.Object([]string{"title", "starts_at", "place"}, kit.Obj{"title": kit.Text(t["title"], ""),
		"starts_at": kit.Obj{"type": "string", "format": "date-time", "description": "in the future"}, "place": kit.Text(t["place"], "")})
	schemas["AgendaAddition"] = kit.Object([]string{"subject", "id"}, kit.Obj{"subject": kit.Obj{"type": "string", "enum": kit.EnumOf(domain.Subjects)},
		"id": uuid, "report": kit.Text(t["report"], "the officer's report")})
	schemas["CommitteeSessionTransition"] = kit.Object([]string{"action"}, kit.Obj{"action": kit.Obj{"type": "string", "enum": []string{"convene", "open", "close", "approve_minutes"}},
		"minutes_of": kit.Obj{"type": "string", "format": "uuid", "description": "approve_minutes (open session): the closed session whose minutes it approves"},
		"attendance": kit.Obj{"type": "array", "items": attendee, "maxItems": domain.MaxAttendance, "description": "open (required)"},
		"comment":    kit.Text(t["comment"], "")})
	schemas["ItemDecision"] = kit.Object([]string{"decision"}, kit.Obj{"decision": kit.Obj{"type": "string", "enum": domain.SessionDecisions},
		"budget_eur": kit.Obj{"type": "number", "minimum": 0, "description": "approve: the budget approved, if not the study's"},
		"conditions": kit.Text(t["conditions"], "approve"), "reason": kit.Text(t["reason"], "reject (required)"),
		"votes": votes, "conflicts": kit.Obj{"type": "array", "items": uuid, "description": "members who declared a conflict and left the room"}})
	id := kit.IDParam
	n := kit.Obj{"name": "n", "in": "path", "required": true, "schema": kit.Obj{"type": "integer", "minimum": 1}}
	paths["/api/v1/committee/sessions"] = kit.Obj{
		"post": kit.Op("Plan a session of the committee (officer, admin)", true, kit.JSONBody(kit.Ref("CommitteeSessionDraft")), "201", kit.Ref("CommitteeSession"), "The session, planned",
			"400", "401", "403", "413", "422", "503"),
		"get": kit.Op("The newest sessions (committee, officer, admin)", true, nil, "200", kit.Arr(kit.Ref("CommitteeSession")), "Sessions, the latest first", "401", "403"),
	}
	paths["/api/v1/committee/sessions/{id}"] = kit.Obj{"get": kit.WithParams(kit.Op("A session", true, nil, "200", kit.Ref("CommitteeSession"), "The session", "401", "403", "404"), id)}
	minutes := kit.Op("The session's minutes (procès-verbal) as a PDF: attendance, quorum, each item with its report, conflicts, votes, decision, budget and conditions; final once a later session approved them",
		true, nil, "200", nil, "The minutes", "401", "403", "404")
	minutes["responses"].(kit.Obj)["200"] = kit.Obj{"description": "The minutes",
		"content": kit.Obj{"application/pdf": kit.Obj{"schema": kit.Obj{"type": "string", "format": "binary"}}}}
	paths["/api/v1/committee/sessions/{id}/minutes"] = kit.Obj{"get": kit.WithParams(minutes, id)}
	paths["/api/v1/committee/sessions/{id}/agenda"] = kit.Obj{"post": kit.WithParams(kit.Op(
		"Put an open decision of any programme on the agenda (planned or convened; one session at a time per subject: 409)", true,
		kit.JSONBody(kit.Ref("AgendaAddition")), "201", kit.Ref("CommitteeSession"), "The session", "400", "401", "403", "404", "409", "413", "422", "503"), id)}
	paths["/api/v1/committee/sessions/{id}/transitions"] = kit.Obj{"post": kit.WithParams(kit.Op(
		"convene (e-mails every member), open (with the attendance: more than half of the institutions present or represented, else 409), close, approve_minutes (of a closed session, in an open one)", true,
		kit.JSONBody(kit.Ref("CommitteeSessionTransition")), "200", kit.Ref("CommitteeSession"), "The session", "400", "401", "403", "404", "409", "413", "422", "503"), id)}
	paths["/api/v1/committee/sessions/{id}/items/{n}/decision"] = kit.Obj{"post": kit.WithParams(kit.Op(
		"Decide an item in session: the subject's workflow takes the decision as its ballot would, with the budget approved and the conditions; adjourn leaves it open", true,
		kit.JSONBody(kit.Ref("ItemDecision")), "200", kit.Ref("CommitteeSession"), "The session", "400", "401", "403", "404", "409", "413", "422", "503"), id, n)}
}
