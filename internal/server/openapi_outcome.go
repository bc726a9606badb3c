package server

import "essor/internal/domain"

// addFollowUpSchemas describes the approved budget, the pilot's indicators
// and measures, the evaluation and the outcome: their own schemas, and the
// fields they add to Study, Pilot, Need and Transition.
func AddFollowUpSchemas(schemas Obj) {
	num := func(desc string) Obj { return Obj{"type": "number", "description": desc} }
	date := Obj{"type": "string", "format": "date"}
	schemas["Indicator"] = Object([]string{"key", "label"}, Obj{
		"key":    Obj{"type": "string", "pattern": "^[a-z][a-z0-9_]{1,39}$", "description": "unique within the pilot"},
		"label":  Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"target": num("optional target value"), "unit": Obj{"type": "string", "maxLength": 30}})
	schemas["Measure"] = Object(nil, Obj{"key": Str("the indicator's key"), "value": num(""), "at": date,
		"recorded_at": Obj{"type": "string", "format": "date-time"}, "by": Obj{"type": "string", "format": "uuid"}})
	result := Object([]string{"key", "value"}, Obj{"key": Str("one of the pilot's indicator keys"), "value": num("the result reached")})
	schemas["Evaluation"] = Object([]string{"results", "lessons", "recommendation"}, Obj{
		"results":        Obj{"type": "array", "items": result, "maxItems": domain.MaxIndicators},
		"lessons":        Obj{"type": "string", "minLength": 10, "maxLength": 5000},
		"recommendation": Obj{"type": "string", "enum": EnumOf(domain.EvaluationRecommendations), "description": "\"stop\" is refused by deploy (422): abandon instead"}})
	schemas["Deployment"] = Object(nil, Obj{"evaluation": Ref("Evaluation"), "territories": Arr(Obj{"type": "string"})})
	schemas["Structure"] = Object([]string{"name", "legal_form", "origin"}, Obj{
		"name":       Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"legal_form": Obj{"type": "string", "enum": EnumOf(domain.LegalForms)},
		"siret":      Obj{"type": "string", "pattern": "^[0-9]{14}$", "description": "optional; 14 digits with a valid Luhn checksum (spaces are ignored)"},
		"origin":     Obj{"type": "string", "enum": EnumOf(domain.StructureOrigins)}})
	schemas["Funder"] = Object([]string{"kind", "name", "amount_eur"}, Obj{
		"kind":       Obj{"type": "string", "enum": EnumOf(domain.FunderKinds)},
		"name":       Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"amount_eur": Obj{"type": "number", "exclusiveMinimum": 0, "maximum": domain.MaxAmountEUR}})
	schemas["Outcome"] = Object(nil, Obj{"structure": Ref("Structure"),
		"jobs_created": Obj{"type": "number", "minimum": 0, "maximum": domain.MaxJobsCreated, "description": "full-time equivalents"},
		"funders":      Arr(Ref("Funder"))})

	props := func(name string) Obj { return schemas[name].(Obj)["properties"].(Obj) }
	props("Study")["budget_eur"] = num("the experiment budget the study proposes")
	props("Pilot")["indicators"] = Arr(Ref("Indicator"))
	props("Pilot")["measures"] = Obj{"type": "array", "items": Ref("Measure"), "maxItems": domain.MaxMeasures}
	need := props("Need")
	need["approved_budget_eur"] = Obj{"type": "number", "nullable": true, "description": "the experiment budget the committee approved"}
	need["deployment"] = Obj{"allOf": []any{Ref("Deployment")}, "nullable": true}
	need["outcome"] = Obj{"allOf": []any{Ref("Outcome")}, "nullable": true}
	tr := props("Transition")
	tr["budget_eur"] = Obj{"type": "number", "minimum": 0,
		"description": "submit_study: the proposed experiment budget (required with recommendation go); start_pilot: at most the approved budget"}
	tr["indicators"] = Obj{"type": "array", "items": Ref("Indicator"), "minItems": 1, "maxItems": domain.MaxIndicators, "description": "start_pilot"}
	tr["key"] = Str("record_indicator: the indicator's key")
	tr["value"] = num("record_indicator: the measured value")
	tr["at"] = Obj{"type": "string", "format": "date", "description": "record_indicator: the measure's date (default today)"}
	tr["evaluation"] = Obj{"allOf": []any{Ref("Evaluation")}, "description": "deploy (required)"}
	tr["territories"] = Obj{"type": "array", "items": Obj{"type": "string"},
		"description": "start_pilot: where the pilot runs; deploy: where the model spreads (known, not retired territory codes)"}
	tr["structure"] = Obj{"allOf": []any{Ref("Structure")}, "description": "complete (required)"}
	tr["jobs_created"] = Obj{"type": "number", "minimum": 0, "maximum": domain.MaxJobsCreated, "description": "complete: full-time equivalents"}
	tr["funders"] = Obj{"type": "array", "items": Ref("Funder"), "minItems": 1, "maxItems": domain.MaxFunders, "description": "complete"}
}
