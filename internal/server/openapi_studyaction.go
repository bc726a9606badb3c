package server

import "essor/internal/domain"

// addStudyActionSpec describes the Fonds de confiance's routes and schemas;
// allowed values come from internal/domain/studyaction.go.
func addStudyActionSpec(schemas, paths obj) {
	dateTime := obj{"type": "string", "format": "date-time"}
	date := obj{"type": "string", "format": "date"}
	uuid := obj{"type": "string", "format": "uuid"}
	nullable := func(o obj) obj { o = clone(o); o["nullable"] = true; return o }
	num := func(desc string) obj { return obj{"type": "number", "description": desc} }
	stages := obj{"type": "string", "enum": enumOf(domain.StudyActionStages)}

	schemas["Financing"] = object([]string{"funder", "kind", "amount_eur"}, obj{
		"funder":     obj{"type": "string", "minLength": 2, "maxLength": 200},
		"kind":       obj{"type": "string", "enum": enumOf(domain.StudyFunderKinds)},
		"amount_eur": obj{"type": "number", "exclusiveMinimum": 0, "maximum": domain.MaxAmountEUR}})
	financing := obj{"type": "array", "items": ref("Financing"), "minItems": 1, "maxItems": domain.MaxFinancing,
		"description": "the Region must be among the funders"}
	schemas["Application"] = object([]string{"host_company", "project_title", "summary", "sponsor", "duration_months", "financing"}, obj{
		"host_company":    obj{"type": "string", "minLength": 2, "maxLength": 200},
		"host_siret":      obj{"type": "string", "pattern": "^[0-9]{14}$", "description": "optional; a valid SIRET (spaces ignored)"},
		"project_title":   obj{"type": "string", "minLength": 5, "maxLength": 200},
		"summary":         obj{"type": "string", "minLength": 20, "maxLength": 10000},
		"sponsor":         obj{"type": "string", "minLength": 2, "maxLength": 200, "description": "a group of social entrepreneurs or a network head"},
		"duration_months": obj{"type": "integer", "minimum": domain.MinStudyMonths, "maximum": domain.MaxStudyMonths},
		"financing":       financing,
		"need_id":         obj{"type": "string", "format": "uuid", "description": "optional: the need of the emergence pipeline it answers"}})
	schemas["Appraisal"] = object(nil, obj{"recommendation": obj{"type": "string", "enum": domain.AppraisalOpinions},
		"opinion": str(""), "by": object(nil, obj{"id": uuid, "name": str("")}), "at": dateTime})
	schemas["Conclusion"] = object(nil, obj{"outcome": obj{"type": "string", "enum": domain.StudyOutcomes},
		"enterprise_name": str(""), "legal_form": obj{"type": "string", "enum": enumOf(domain.LegalForms)},
		"jobs_created": num("full-time equivalents"), "reason": str("not_pursued"), "at": dateTime})
	schemas["StudyAction"] = object(nil, obj{
		"id": uuid, "host_company": str(""), "host_siret": str(""), "project_title": str(""), "summary": str(""),
		"sponsor": str(""), "duration_months": obj{"type": "integer", "description": "as applied"},
		"months":    obj{"type": "integer", "description": "now, extensions included (9 at most)"},
		"financing": arr(ref("Financing")), "pending_financing": nullable(obj{"type": "array", "items": ref("Financing"),
			"description": "a change of plan awaiting the committee's new decision"}),
		"total_eur": num("the plan in force"),
		"leverage":  nullable(num("(Caisse des dépôts + private) ÷ Region: the effet levier of the Region's money")),
		"need_id":   nullable(uuid), "stage": stages, "stage_entered_at": dateTime,
		"applied_by": uuid, "applied_by_name": str(""),
		"officer": nullable(object(nil, obj{"id": uuid, "name": str("")})), "appraisal": nullable(ref("Appraisal")),
		"carrier_name": nullable(str("the recruited carrier")), "start_date": nullable(date), "end_date": nullable(date),
		"approved_at": nullable(dateTime),
		"reports":     arr(object(nil, obj{"month": obj{"type": "integer"}, "text": str(""), "by_name": str(""), "at": dateTime})),
		"report_due":  nullable(obj{"type": "string", "format": "date-time", "description": "when the earliest missing monthly report is due"}),
		"report_late": obj{"type": "boolean"}, "next_deadline": nullable(dateTime), "conclusion": nullable(ref("Conclusion")),
		"created_at": dateTime, "updated_at": dateTime})
	schemas["StudyActionPage"] = object([]string{"items", "next_cursor"}, obj{"items": arr(ref("StudyAction")), "next_cursor": nullable(obj{"type": "string"})})
	schemas["StudyActionTransition"] = object([]string{"action"}, obj{
		"action":          obj{"type": "string", "enum": enumOf(domain.StudyActionActions)},
		"comment":         obj{"type": "string", "maxLength": 5000},
		"opinion":         obj{"type": "string", "minLength": 20, "maxLength": 10000, "description": "appraise (required)"},
		"recommendation":  obj{"type": "string", "enum": domain.AppraisalOpinions, "description": "appraise (optional)"},
		"decision":        obj{"type": "string", "enum": enumOf(domain.StudyActionDecisions), "description": "vote"},
		"carrier_name":    obj{"type": "string", "minLength": 2, "maxLength": 200, "description": "recruit"},
		"start_date":      obj{"type": "string", "format": "date", "description": "recruit: not before the approval"},
		"month":           obj{"type": "integer", "minimum": 1, "maximum": domain.MaxStudyMonths, "description": "report: one report per month, once the month has begun"},
		"text":            obj{"type": "string", "minLength": 20, "maxLength": 10000, "description": "report"},
		"months":          obj{"type": "integer", "minimum": 1, "description": "extend: months added, within 9 months in all"},
		"outcome":         obj{"type": "string", "enum": domain.StudyOutcomes, "description": "conclude"},
		"enterprise_name": obj{"type": "string", "maxLength": 200, "description": "conclude, enterprise_created (optional)"},
		"legal_form":      obj{"type": "string", "enum": enumOf(domain.LegalForms), "description": "conclude, enterprise_created"},
		"jobs_created":    obj{"type": "number", "minimum": 0, "maximum": domain.MaxJobsCreated, "description": "conclude, enterprise_created"},
		"reason":          obj{"type": "string", "minLength": 5, "maxLength": 2000, "description": "conclude (not_pursued), withdraw"},
		"financing":       obj{"allOf": []any{financing}, "description": "revise_financing: after the decision, a new plan needs a new decision"}})
	schemas["StudyActionFigures"] = object(nil, obj{
		"period":              object(nil, obj{"from": date, "to": date}),
		"by_stage":            obj{"type": "object", "additionalProperties": obj{"type": "integer"}, "description": "every study-action now, by stage"},
		"enterprises_created": obj{"type": "integer", "description": "concluded with an enterprise within the period"},
		"jobs_created":        num("by those enterprises"),
		"targets":             object(nil, obj{"enterprises": obj{"type": "integer"}, "jobs": num("")}),
		"approved_projects":   obj{"type": "integer", "description": "approved within the period"},
		"committed_eur":       obj{"type": "object", "additionalProperties": obj{"type": "number"}, "description": "by kind of funder, approvals within the period"},
		"committed_total_eur": num(""), "leverage": nullable(num("of the Region's money over the period"))})

	errs := []string{"400", "401", "403", "404", "409", "413", "422", "503"}
	paths["/api/v1/study-actions"] = obj{
		"post": op("Apply for a study-action, for a host company (actor)", true, jsonBody(ref("Application")), "201", ref("StudyAction"),
			"The study-action, in stage application", "400", "401", "403", "413", "422", "503"),
		"get": withParams(op("List study-actions, newest first (late=true: running studies, the most late report first)", true, nil,
			"200", ref("StudyActionPage"), "A page of study-actions", "401", "422"),
			query("stage", "stage slug(s), comma-separated"), query("q", "French full-text search over title, host and summary"),
			query("need", "the need they answer"), query("late", "true: running studies ordered by their earliest missing report"),
			obj{"name": "limit", "in": "query", "schema": obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
			query("cursor", "next_cursor of the previous page")),
	}
	paths["/api/v1/study-actions/figures"] = obj{"get": op("The programme's figures for its period, against its targets", true, nil,
		"200", ref("StudyActionFigures"), "Figures", "401")}
	paths["/api/v1/study-actions/{id}"] = obj{"get": withParams(op("A study-action", true, nil, "200", ref("StudyAction"), "The study-action", "401", "404"), idParam)}
	paths["/api/v1/study-actions/{id}/transitions"] = obj{"post": withParams(op("Carry out an action on a study-action", true,
		jsonBody(ref("StudyActionTransition")), "200", ref("StudyAction"), "The study-action in its new state", errs...), idParam)}
	paths["/api/v1/study-actions/{id}/events"] = obj{"get": withParams(op("The audit trail, oldest first", true, nil, "200", arr(ref("Event")), "Events", "401", "404"), idParam)}
	paths["/api/v1/study-actions/{id}/votes"] = obj{"get": withParams(op("Committee decisions and votes (other members' votes only once decided)", true, nil, "200", arr(ref("Ballot")), "Ballots", "401", "404"), idParam)}
}
