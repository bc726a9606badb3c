package studyactions

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// addStudyActionSpec describes the Fonds de confiance's routes and schemas;
// allowed values come from internal/domain/studyaction.go.
func AddSpec(schemas, paths kit.Obj) {
	dateTime := kit.Obj{"type": "string", "format": "date-time"}
	date := kit.Obj{"type": "string", "format": "date"}
	uuid := kit.Obj{"type": "string", "format": "uuid"}
	num := func(desc string) kit.Obj { return kit.Obj{"type": "number", "description": desc} }
	stages := kit.Obj{"type": "string", "enum": kit.EnumOf(domain.StudyActionStages)}

	schemas["Financing"] = kit.Object([]string{"funder", "kind", "amount_eur"}, kit.Obj{
		"funder":     kit.Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"kind":       kit.Obj{"type": "string", "enum": kit.EnumOf(domain.StudyFunderKinds)},
		"amount_eur": kit.Obj{"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": domain.MaxAmountEUR}})
	financing := kit.Obj{"type": "array", "items": kit.Ref("Financing"), "minItems": 1, "maxItems": domain.MaxFinancing,
		"description": "the Region must be among the funders"}
	schemas["Application"] = kit.Object([]string{"host_company", "project_title", "summary", "sponsor", "duration_months", "financing"}, kit.Obj{
		"host_company":    kit.Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"host_siret":      kit.Obj{"type": "string", "pattern": "^( *[0-9]){14} *$", "description": "optional; a valid SIRET (spaces ignored)"},
		"project_title":   kit.Obj{"type": "string", "minLength": 5, "maxLength": 200},
		"summary":         kit.Obj{"type": "string", "minLength": 20, "maxLength": 10000},
		"sponsor":         kit.Obj{"type": "string", "minLength": 2, "maxLength": 200, "description": "a group of social entrepreneurs or a network head"},
		"duration_months": kit.Obj{"type": "integer", "minimum": domain.MinStudyMonths, "maximum": domain.MaxStudyMonths},
		"financing":       financing,
		"need_id":         kit.Obj{"type": "string", "format": "uuid", "description": "optional: the need of the emergence pipeline it answers"}})
	schemas["Appraisal"] = kit.Object(nil, kit.Obj{"recommendation": kit.Obj{"type": "string", "enum": domain.AppraisalOpinions},
		"opinion": kit.Str(""), "by": kit.Object(nil, kit.Obj{"id": uuid, "name": kit.Str("")}), "at": dateTime})
	schemas["Conclusion"] = kit.Object(nil, kit.Obj{"outcome": kit.Obj{"type": "string", "enum": domain.StudyOutcomes},
		"enterprise_name": kit.Str(""), "legal_form": kit.Obj{"type": "string", "enum": kit.EnumOf(domain.LegalForms)},
		"jobs_created": num("full-time equivalents"), "reason": kit.Str("not_pursued"), "at": dateTime})
	schemas["StudyAction"] = kit.Object(nil, kit.Obj{
		"id": uuid, "host_company": kit.Str(""), "host_siret": kit.Str(""), "project_title": kit.Str(""), "summary": kit.Str(""),
		"sponsor": kit.Str(""), "duration_months": kit.Obj{"type": "integer", "description": "as applied"},
		"months":    kit.Obj{"type": "integer", "description": "now, extensions included (9 at most)"},
		"financing": kit.Arr(kit.Ref("Financing")), "pending_financing": kit.Nullable(kit.Obj{"type": "array", "items": kit.Ref("Financing"),
			"description": "a change of plan awaiting the committee's new decision"}),
		"total_eur": num("the plan in force"),
		"leverage":  kit.Nullable(num("(Caisse des dépôts + private) ÷ Region: the effet levier of the Region's money")),
		"need_id":   kit.Nullable(uuid), "stage": stages, "stage_entered_at": dateTime,
		"applied_by": uuid, "applied_by_name": kit.Str(""),
		"officer": kit.Nullable(kit.Object(nil, kit.Obj{"id": uuid, "name": kit.Str("")})), "appraisal": kit.Nullable(kit.Ref("Appraisal")),
		"carrier_name": kit.Nullable(kit.Str("the recruited carrier")), "start_date": kit.Nullable(date), "end_date": kit.Nullable(date),
		"approved_at": kit.Nullable(dateTime),
		"conditions":  kit.Str("the conditions a committee session attached to its approval"),
		"reports":     kit.Arr(kit.Object(nil, kit.Obj{"month": kit.Obj{"type": "integer"}, "text": kit.Str(""), "by_name": kit.Str(""), "at": dateTime})),
		"report_due":  kit.Nullable(kit.Obj{"type": "string", "format": "date-time", "description": "when the earliest missing monthly report is due"}),
		"report_late": kit.Obj{"type": "boolean"}, "next_deadline": kit.Nullable(dateTime), "conclusion": kit.Nullable(kit.Ref("Conclusion")),
		"created_at": dateTime, "updated_at": dateTime})
	schemas["StudyActionPage"] = kit.Object([]string{"items", "next_cursor"}, kit.Obj{"items": kit.Arr(kit.Ref("StudyAction")), "next_cursor": kit.Nullable(kit.Obj{"type": "string"})})
	schemas["StudyActionTransition"] = kit.Object([]string{"action"}, kit.Obj{
		"action":          kit.Obj{"type": "string", "enum": kit.EnumOf(domain.StudyActionActions)},
		"comment":         kit.Obj{"type": "string", "maxLength": 5000},
		"opinion":         kit.Obj{"type": "string", "minLength": 20, "maxLength": 10000, "description": "appraise (required)"},
		"recommendation":  kit.Obj{"type": "string", "enum": domain.AppraisalOpinions, "description": "appraise (optional)"},
		"decision":        kit.Obj{"type": "string", "enum": kit.EnumOf(domain.StudyActionDecisions), "description": "vote"},
		"carrier_name":    kit.Obj{"type": "string", "minLength": 2, "maxLength": 200, "description": "recruit"},
		"start_date":      kit.Obj{"type": "string", "format": "date", "description": "recruit: not before the approval"},
		"month":           kit.Obj{"type": "integer", "minimum": 1, "maximum": domain.MaxStudyMonths, "description": "report: one report per month, once the month has begun"},
		"text":            kit.Obj{"type": "string", "minLength": 20, "maxLength": 10000, "description": "report"},
		"months":          kit.Obj{"type": "integer", "minimum": 1, "description": "extend: months added, within 9 months in all"},
		"outcome":         kit.Obj{"type": "string", "enum": domain.StudyOutcomes, "description": "conclude"},
		"enterprise_name": kit.Obj{"type": "string", "maxLength": 200, "description": "conclude, enterprise_created (optional)"},
		"legal_form":      kit.Obj{"type": "string", "enum": kit.EnumOf(domain.LegalForms), "description": "conclude, enterprise_created"},
		"jobs_created":    kit.Obj{"type": "number", "minimum": 0, "maximum": domain.MaxJobsCreated, "description": "conclude, enterprise_created"},
		"reason":          kit.Obj{"type": "string", "minLength": 5, "maxLength": 2000, "description": "conclude (not_pursued), withdraw"},
		"financing":       kit.Obj{"allOf": []any{financing}, "description": "revise_financing: after the decision, a new plan needs a new decision"}})
	schemas["StudyActionFigures"] = kit.Object(nil, kit.Obj{
		"period":              kit.Object(nil, kit.Obj{"from": date, "to": date}),
		"by_stage":            kit.Obj{"type": "object", "additionalProperties": kit.Obj{"type": "integer"}, "description": "every study-action now, by stage"},
		"enterprises_created": kit.Obj{"type": "integer", "description": "concluded with an enterprise within the period"},
		"jobs_created":        num("by those enterprises"),
		"targets":             kit.Object(nil, kit.Obj{"enterprises": kit.Obj{"type": "integer"}, "jobs": num("")}),
		"approved_projects":   kit.Obj{"type": "integer", "description": "approved within the period"},
		"committed_eur":       kit.Obj{"type": "object", "additionalProperties": kit.Obj{"type": "number"}, "description": "by kind of funder, approvals within the period"},
		"committed_total_eur": num(""), "leverage": kit.Nullable(num("of the Region's money over the period"))})

	errs := []string{"400", "401", "403", "404", "409", "413", "422", "503"}
	paths["/api/v1/study-actions"] = kit.Obj{
		"post": kit.Op("Apply for a study-action, for a host company (actor)", true, kit.JSONBody(kit.Ref("Application")), "201", kit.Ref("StudyAction"),
			"The study-action, in stage application", "400", "401", "403", "413", "422", "503"),
		"get": kit.WithParams(kit.Op("List study-actions, newest first (late=true: running studyActions, the most late report first)", true, nil,
			"200", kit.Ref("StudyActionPage"), "A page of study-actions", "401", "422"),
			kit.Query("stage", "stage slug(s), comma-separated"), kit.Query("q", "French full-text search over title, host and summary"),
			kit.Query("need", "the need they answer"), kit.Query("late", "true: running studyActions ordered by their earliest missing report"),
			kit.Obj{"name": "limit", "in": "query", "schema": kit.Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
			kit.Query("cursor", "next_cursor of the previous page")),
	}
	paths["/api/v1/study-actions/figures"] = kit.Obj{"get": kit.Op("The programme's figures for its period, against its targets", true, nil,
		"200", kit.Ref("StudyActionFigures"), "Figures", "401")}
	paths["/api/v1/study-actions/{id}"] = kit.Obj{"get": kit.WithParams(kit.Op("A study-action", true, nil, "200", kit.Ref("StudyAction"), "The study-action", "401", "404"), kit.IDParam)}
	paths["/api/v1/study-actions/{id}/transitions"] = kit.Obj{"post": kit.WithParams(kit.Op("Carry out an action on a study-action", true,
		kit.JSONBody(kit.Ref("StudyActionTransition")), "200", kit.Ref("StudyAction"), "The study-action in its new state", errs...), kit.IDParam)}
	paths["/api/v1/study-actions/{id}/events"] = kit.Obj{"get": kit.WithParams(kit.Op("The audit trail, oldest first", true, nil, "200", kit.Arr(kit.Ref("Event")), "Events", "401", "404"), kit.IDParam)}
	paths["/api/v1/study-actions/{id}/votes"] = kit.Obj{"get": kit.WithParams(kit.Op("Committee decisions and votes (other members' votes only once decided)", true, nil, "200", kit.Arr(kit.Ref("Ballot")), "Ballots", "401", "404"), kit.IDParam)}
}
