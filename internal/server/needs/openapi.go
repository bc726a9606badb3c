package needs

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// addFollowUpSchemas describes the approved budget, the pilot's indicators
// and measures, the evaluation and the outcome: their own schemas, and the
// fields they add to Study, Pilot, Need and Transition.
func AddFollowUpSchemas(schemas kit.Obj) {
	num := func(desc string) kit.Obj { return kit.Obj{"type": "number", "description": desc} }
	date := kit.Obj{"type": "string", "format": "date"}
	schemas["Indicator"] = kit.Object([]string{"key", "label"}, kit.Obj{
		"key":    kit.Obj{"type": "string", "pattern": "^[a-z][a-z0-9_]{1,39}$", "description": "unique within the pilot"},
		"label":  kit.Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"target": num("optional target value"), "unit": kit.Obj{"type": "string", "maxLength": 30}})
	schemas["Measure"] = kit.Object(nil, kit.Obj{"key": kit.Str("the indicator's key"), "value": num(""), "at": date,
		"recorded_at": kit.Obj{"type": "string", "format": "date-time"}, "by": kit.Obj{"type": "string", "format": "uuid"}})
	result := kit.Object([]string{"key", "value"}, kit.Obj{"key": kit.Str("one of the pilot's indicator keys"), "value": num("the result reached")})
	schemas["Evaluation"] = kit.Object([]string{"results", "lessons", "recommendation"}, kit.Obj{
		"results":        kit.Obj{"type": "array", "items": result, "maxItems": domain.MaxIndicators},
		"lessons":        kit.Obj{"type": "string", "minLength": 10, "maxLength": 5000},
		"recommendation": kit.Obj{"type": "string", "enum": kit.EnumOf(domain.EvaluationRecommendations), "description": "\"stop\" is refused by deploy (422): abandon instead"}})
	schemas["Deployment"] = kit.Object(nil, kit.Obj{"evaluation": kit.Ref("Evaluation"), "territories": kit.Arr(kit.Obj{"type": "string"})})
	schemas["Structure"] = kit.Object([]string{"name", "legal_form", "origin"}, kit.Obj{
		"name":       kit.Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"legal_form": kit.Obj{"type": "string", "enum": kit.EnumOf(domain.LegalForms)},
		"siret":      kit.Obj{"type": "string", "pattern": "^( *[0-9]){14} *$", "description": "optional; 14 digits with a valid Luhn checksum (spaces are ignored)"},
		"origin":     kit.Obj{"type": "string", "enum": kit.EnumOf(domain.StructureOrigins)}})
	schemas["Funder"] = kit.Object([]string{"kind", "name", "amount_eur"}, kit.Obj{
		"kind":       kit.Obj{"type": "string", "enum": kit.EnumOf(domain.FunderKinds)},
		"name":       kit.Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"amount_eur": kit.Obj{"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": domain.MaxAmountEUR}})
	schemas["Outcome"] = kit.Object(nil, kit.Obj{"structure": kit.Ref("Structure"),
		"jobs_created": kit.Obj{"type": "number", "minimum": 0, "maximum": domain.MaxJobsCreated, "description": "full-time equivalents"},
		"funders":      kit.Arr(kit.Ref("Funder"))})

	props := func(name string) kit.Obj { return schemas[name].(kit.Obj)["properties"].(kit.Obj) }
	props("Study")["budget_eur"] = num("the experiment budget the study proposes")
	props("Pilot")["indicators"] = kit.Arr(kit.Ref("Indicator"))
	props("Pilot")["measures"] = kit.Obj{"type": "array", "items": kit.Ref("Measure"), "maxItems": domain.MaxMeasures}
	need := props("Need")
	need["approved_budget_eur"] = kit.Obj{"type": "number", "nullable": true, "description": "the experiment budget the committee approved"}
	need["conditions"] = kit.Str("the conditions a committee session attached to its approval")
	need["deployment"] = kit.Obj{"allOf": []any{kit.Ref("Deployment")}, "nullable": true}
	need["outcome"] = kit.Obj{"allOf": []any{kit.Ref("Outcome")}, "nullable": true}
	tr := props("Transition")
	tr["budget_eur"] = kit.Obj{"type": "number", "minimum": 0,
		"description": "submit_study: the proposed experiment budget (required with recommendation go); start_pilot: at most the approved budget"}
	tr["indicators"] = kit.Obj{"type": "array", "items": kit.Ref("Indicator"), "minItems": 1, "maxItems": domain.MaxIndicators, "description": "start_pilot"}
	tr["key"] = kit.Str("record_indicator: the indicator's key")
	tr["value"] = num("record_indicator: the measured value")
	tr["at"] = kit.Obj{"type": "string", "format": "date", "description": "record_indicator: the measure's date (default today)"}
	tr["evaluation"] = kit.Obj{"allOf": []any{kit.Ref("Evaluation")}, "description": "deploy (required)"}
	tr["territories"] = kit.Obj{"type": "array", "items": kit.Obj{"type": "string"},
		"description": "start_pilot: where the pilot runs; deploy: where the model spreads (known, not retired territory codes)"}
	tr["structure"] = kit.Obj{"allOf": []any{kit.Ref("Structure")}, "description": "complete (required)"}
	tr["jobs_created"] = kit.Obj{"type": "number", "minimum": 0, "maximum": domain.MaxJobsCreated, "description": "complete: full-time equivalents"}
	tr["funders"] = kit.Obj{"type": "array", "items": kit.Ref("Funder"), "minItems": 1, "maxItems": domain.MaxFunders, "description": "complete"}
}

// AddMatchingSpec describes carrier matching: the suggestions, invitations
// and proposals standing for a directory record (api.md "Carrier matching").
func AddMatchingSpec(schemas, paths kit.Obj) {
	props := func(name string) kit.Obj { return schemas[name].(kit.Obj)["properties"].(kit.Obj) }
	uuid := func(desc string) kit.Obj { return kit.Obj{"type": "string", "format": "uuid", "description": desc} }
	props("Carrier")["organisation_id"] = kit.Nullable(uuid("the directory record the proposal stands for"))
	tr := props("Transition")
	tr["organisation_id"] = uuid("invite_carrier (required): the organisation invited; propose_carrier: the organisation proposed (a member's own by default; an officer records any)")
	tr["message"] = kit.Text(domain.NeedTexts["message"], "invite_carrier: joined to the e-mail")
	schemas["CarrierSuggestion"] = kit.Object([]string{"organisation", "score", "reasons", "invited"}, kit.Obj{
		"organisation": kit.Ref("Organisation"),
		"score":        kit.Obj{"type": "number", "minimum": 0, "maximum": 1},
		"reasons":      kit.Arr(kit.Str("in French: why it ranks there, strongest first")),
		"invited":      kit.Obj{"type": "boolean", "description": "an officer already invited it (invite_carrier)"}})
	paths["/api/v1/needs/{id}/carrier-suggestions"] = kit.Obj{"get": kit.WithParams(kit.Op(
		"Up to 20 organisations of the directory ranked to carry the need, best first, with the reasons of their score (officer; from the committee stage on). Never one that already volunteered, live or declined",
		true, nil, "200", kit.Arr(kit.Ref("CarrierSuggestion")), "Suggestions", "401", "403", "404", "409"), kit.IDParam)}
}
