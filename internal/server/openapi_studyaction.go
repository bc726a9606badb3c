package server

import "essor/internal/domain"

// addStudyActionSpec describes the Fonds de confiance's routes and schemas;
// allowed values come from internal/domain/studyaction.go.
func AddStudyActionSpec(schemas, paths Obj) {
	dateTime := Obj{"type": "string", "format": "date-time"}
	date := Obj{"type": "string", "format": "date"}
	uuid := Obj{"type": "string", "format": "uuid"}
	nullable := func(o Obj) Obj { o = Clone(o); o["nullable"] = true; return o }
	num := func(desc string) Obj { return Obj{"type": "number", "description": desc} }
	stages := Obj{"type": "string", "enum": EnumOf(domain.StudyActionStages)}

	schemas["Financing"] = Object([]string{"funder", "kind", "amount_eur"}, Obj{
		"funder":     Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"kind":       Obj{"type": "string", "enum": EnumOf(domain.StudyFunderKinds)},
		"amount_eur": Obj{"type": "number", "exclusiveMinimum": 0, "maximum": domain.MaxAmountEUR}})
	financing := Obj{"type": "array", "items": Ref("Financing"), "minItems": 1, "maxItems": domain.MaxFinancing,
		"description": "the Region must be among the funders"}
	schemas["Application"] = Object([]string{"host_company", "project_title", "summary", "sponsor", "duration_months", "financing"}, Obj{
		"host_company":    Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"host_siret":      Obj{"type": "string", "pattern": "^[0-9]{14}$", "description": "optional; a valid SIRET (spaces ignored)"},
		"project_title":   Obj{"type": "string", "minLength": 5, "maxLength": 200},
		"summary":         Obj{"type": "string", "minLength": 20, "maxLength": 10000},
		"sponsor":         Obj{"type": "string", "minLength": 2, "maxLength": 200, "description": "a group of social entrepreneurs or a network head"},
		"duration_months": Obj{"type": "integer", "minimum": domain.MinStudyMonths, "maximum": domain.MaxStudyMonths},
		"financing":       financing,
		"need_id":         Obj{"type": "string", "format": "uuid", "description": "optional: the need of the emergence pipeline it answers"}})
	schemas["Appraisal"] = Object(nil, Obj{"recommendation": Obj{"type": "string", "enum": domain.AppraisalOpinions},
		"opinion": Str(""), "by": Object(nil, Obj{"id": uuid, "name": Str("")}), "at": dateTime})
	schemas["Conclusion"] = Object(nil, Obj{"outcome": Obj{"type": "string", "enum": domain.StudyOutcomes},
		"enterprise_name": Str(""), "legal_form": Obj{"type": "string", "enum": EnumOf(domain.LegalForms)},
		"jobs_created": num("full-time equivalents"), "reason": Str("not_pursued"), "at": dateTime})
	schemas["StudyAction"] = Object(nil, Obj{
		"id": uuid, "host_company": Str(""), "host_siret": Str(""), "project_title": Str(""), "summary": Str(""),
		"sponsor": Str(""), "duration_months": Obj{"type": "integer", "description": "as applied"},
		"months":    Obj{"type": "integer", "description": "now, extensions included (9 at most)"},
		"financing": Arr(Ref("Financing")), "pending_financing": nullable(Obj{"type": "array", "items": Ref("Financing"),
			"description": "a change of plan awaiting the committee's new decision"}),
		"total_eur": num("the plan in force"),
		"leverage":  nullable(num("(Caisse des dépôts + private) ÷ Region: the effet levier of the Region's money")),
		"need_id":   nullable(uuid), "stage": stages, "stage_entered_at": dateTime,
		"applied_by": uuid, "applied_by_name": Str(""),
		"officer": nullable(Object(nil, Obj{"id": uuid, "name": Str("")})), "appraisal": nullable(Ref("Appraisal")),
		"carrier_name": nullable(Str("the recruited carrier")), "start_date": nullable(date), "end_date": nullable(date),
		"approved_at": nullable(dateTime),
		"reports":     Arr(Object(nil, Obj{"month": Obj{"type": "integer"}, "text": Str(""), "by_name": Str(""), "at": dateTime})),
		"report_due":  nullable(Obj{"type": "string", "format": "date-time", "description": "when the earliest missing monthly report is due"}),
		"report_late": Obj{"type": "boolean"}, "next_deadline": nullable(dateTime), "conclusion": nullable(Ref("Conclusion")),
		"created_at": dateTime, "updated_at": dateTime})
	schemas["StudyActionPage"] = Object([]string{"items", "next_cursor"}, Obj{"items": Arr(Ref("StudyAction")), "next_cursor": nullable(Obj{"type": "string"})})
	schemas["StudyActionTransition"] = Object([]string{"action"}, Obj{
		"action":          Obj{"type": "string", "enum": EnumOf(domain.StudyActionActions)},
		"comment":         Obj{"type": "string", "maxLength": 5000},
		"opinion":         Obj{"type": "string", "minLength": 20, "maxLength": 10000, "description": "appraise (required)"},
		"recommendation":  Obj{"type": "string", "enum": domain.AppraisalOpinions, "description": "appraise (optional)"},
		"decision":        Obj{"type": "string", "enum": EnumOf(domain.StudyActionDecisions), "description": "vote"},
		"carrier_name":    Obj{"type": "string", "minLength": 2, "maxLength": 200, "description": "recruit"},
		"start_date":      Obj{"type": "string", "format": "date", "description": "recruit: not before the approval"},
		"month":           Obj{"type": "integer", "minimum": 1, "maximum": domain.MaxStudyMonths, "description": "report: one report per month, once the month has begun"},
		"text":            Obj{"type": "string", "minLength": 20, "maxLength": 10000, "description": "report"},
		"months":          Obj{"type": "integer", "minimum": 1, "description": "extend: months added, within 9 months in all"},
		"outcome":         Obj{"type": "string", "enum": domain.StudyOutcomes, "description": "conclude"},
		"enterprise_name": Obj{"type": "string", "maxLength": 200, "description": "conclude, enterprise_created (optional)"},
		"legal_form":      Obj{"type": "string", "enum": EnumOf(domain.LegalForms), "description": "conclude, enterprise_created"},
		"jobs_created":    Obj{"type": "number", "minimum": 0, "maximum": domain.MaxJobsCreated, "description": "conclude, enterprise_created"},
		"reason":          Obj{"type": "string", "minLength": 5, "maxLength": 2000, "description": "conclude (not_pursued), withdraw"},
		"financing":       Obj{"allOf": []any{financing}, "description": "revise_financing: after the decision, a new plan needs a new decision"}})
	schemas["StudyActionFigures"] = Object(nil, Obj{
		"period":              Object(nil, Obj{"from": date, "to": date}),
		"by_stage":            Obj{"type": "object", "additionalProperties": Obj{"type": "integer"}, "description": "every study-action now, by stage"},
		"enterprises_created": Obj{"type": "integer", "description": "concluded with an enterprise within the period"},
		"jobs_created":        num("by those enterprises"),
		"targets":             Object(nil, Obj{"enterprises": Obj{"type": "integer"}, "jobs": num("")}),
		"approved_projects":   Obj{"type": "integer", "description": "approved within the period"},
		"committed_eur":       Obj{"type": "object", "additionalProperties": Obj{"type": "number"}, "description": "by kind of funder, approvals within the period"},
		"committed_total_eur": num(""), "leverage": nullable(num("of the Region's money over the period"))})

	errs := []string{"400", "401", "403", "404", "409", "413", "422", "503"}
	paths["/api/v1/study-actions"] = Obj{
		"post": Op("Apply for a study-action, for a host company (actor)", true, JSONBody(Ref("Application")), "201", Ref("StudyAction"),
			"The study-action, in stage application", "400", "401", "403", "413", "422", "503"),
		"get": WithParams(Op("List study-actions, newest first (late=true: running studies, the most late report first)", true, nil,
			"200", Ref("StudyActionPage"), "A page of study-actions", "401", "422"),
			Query("stage", "stage slug(s), comma-separated"), Query("q", "French full-text search over title, host and summary"),
			Query("need", "the need they answer"), Query("late", "true: running studies ordered by their earliest missing report"),
			Obj{"name": "limit", "in": "query", "schema": Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
			Query("cursor", "next_cursor of the previous page")),
	}
	paths["/api/v1/study-actions/figures"] = Obj{"get": Op("The programme's figures for its period, against its targets", true, nil,
		"200", Ref("StudyActionFigures"), "Figures", "401")}
	paths["/api/v1/study-actions/{id}"] = Obj{"get": WithParams(Op("A study-action", true, nil, "200", Ref("StudyAction"), "The study-action", "401", "404"), IDParam)}
	paths["/api/v1/study-actions/{id}/transitions"] = Obj{"post": WithParams(Op("Carry out an action on a study-action", true,
		JSONBody(Ref("StudyActionTransition")), "200", Ref("StudyAction"), "The study-action in its new state", errs...), IDParam)}
	paths["/api/v1/study-actions/{id}/events"] = Obj{"get": WithParams(Op("The audit trail, oldest first", true, nil, "200", Arr(Ref("Event")), "Events", "401", "404"), IDParam)}
	paths["/api/v1/study-actions/{id}/votes"] = Obj{"get": WithParams(Op("Committee decisions and votes (other members' votes only once decided)", true, nil, "200", Arr(Ref("Ballot")), "Ballots", "401", "404"), IDParam)}
}
