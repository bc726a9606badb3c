package server

import "essor/internal/domain"

// enumOf lists a domain's allowed values for the OpenAPI document, so that
// they are typed once, in internal/domain.
func enumOf[T ~string](vals []T) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out
}

// addFollowUpSchemas describes the approved budget, the pilot's indicators
// and measures, the evaluation and the outcome: their own schemas, and the
// fields they add to Study, Pilot, Need and Transition.
func addFollowUpSchemas(schemas obj) {
	num := func(desc string) obj { return obj{"type": "number", "description": desc} }
	date := obj{"type": "string", "format": "date"}
	schemas["Indicator"] = object([]string{"key", "label"}, obj{
		"key":    obj{"type": "string", "pattern": "^[a-z][a-z0-9_]{1,39}$", "description": "unique within the pilot"},
		"label":  obj{"type": "string", "minLength": 2, "maxLength": 200},
		"target": num("optional target value"), "unit": obj{"type": "string", "maxLength": 30}})
	schemas["Measure"] = object(nil, obj{"key": str("the indicator's key"), "value": num(""), "at": date,
		"recorded_at": obj{"type": "string", "format": "date-time"}, "by": obj{"type": "string", "format": "uuid"}})
	result := object([]string{"key", "value"}, obj{"key": str("one of the pilot's indicator keys"), "value": num("the result reached")})
	schemas["Evaluation"] = object([]string{"results", "lessons", "recommendation"}, obj{
		"results":        obj{"type": "array", "items": result, "maxItems": domain.MaxIndicators},
		"lessons":        obj{"type": "string", "minLength": 10, "maxLength": 5000},
		"recommendation": obj{"type": "string", "enum": enumOf(domain.EvaluationRecommendations), "description": "\"stop\" is refused by deploy (422): abandon instead"}})
	schemas["Deployment"] = object(nil, obj{"evaluation": ref("Evaluation"), "territories": arr(obj{"type": "string"})})
	schemas["Structure"] = object([]string{"name", "legal_form", "origin"}, obj{
		"name":       obj{"type": "string", "minLength": 2, "maxLength": 200},
		"legal_form": obj{"type": "string", "enum": enumOf(domain.LegalForms)},
		"siret":      obj{"type": "string", "pattern": "^[0-9]{14}$", "description": "optional; 14 digits with a valid Luhn checksum (spaces are ignored)"},
		"origin":     obj{"type": "string", "enum": enumOf(domain.StructureOrigins)}})
	schemas["Funder"] = object([]string{"kind", "name", "amount_eur"}, obj{
		"kind":       obj{"type": "string", "enum": enumOf(domain.FunderKinds)},
		"name":       obj{"type": "string", "minLength": 2, "maxLength": 200},
		"amount_eur": obj{"type": "number", "exclusiveMinimum": 0, "maximum": domain.MaxAmountEUR}})
	schemas["Outcome"] = object(nil, obj{"structure": ref("Structure"),
		"jobs_created": obj{"type": "number", "minimum": 0, "maximum": domain.MaxJobsCreated, "description": "full-time equivalents"},
		"funders":      arr(ref("Funder"))})

	props := func(name string) obj { return schemas[name].(obj)["properties"].(obj) }
	props("Study")["budget_eur"] = num("the experiment budget the study proposes")
	props("Pilot")["indicators"] = arr(ref("Indicator"))
	props("Pilot")["measures"] = obj{"type": "array", "items": ref("Measure"), "maxItems": domain.MaxMeasures}
	need := props("Need")
	need["approved_budget_eur"] = obj{"type": "number", "nullable": true, "description": "the experiment budget the committee approved"}
	need["deployment"] = obj{"allOf": []any{ref("Deployment")}, "nullable": true}
	need["outcome"] = obj{"allOf": []any{ref("Outcome")}, "nullable": true}
	tr := props("Transition")
	tr["budget_eur"] = obj{"type": "number", "minimum": 0,
		"description": "submit_study: the proposed experiment budget (required with recommendation go); start_pilot: at most the approved budget"}
	tr["indicators"] = obj{"type": "array", "items": ref("Indicator"), "minItems": 1, "maxItems": domain.MaxIndicators, "description": "start_pilot"}
	tr["key"] = str("record_indicator: the indicator's key")
	tr["value"] = num("record_indicator: the measured value")
	tr["at"] = obj{"type": "string", "format": "date", "description": "record_indicator: the measure's date (default today)"}
	tr["evaluation"] = obj{"allOf": []any{ref("Evaluation")}, "description": "deploy (required)"}
	tr["territories"] = obj{"type": "array", "items": obj{"type": "string"},
		"description": "start_pilot: where the pilot runs; deploy: where the model spreads (known, not retired territory codes)"}
	tr["structure"] = obj{"allOf": []any{ref("Structure")}, "description": "complete (required)"}
	tr["jobs_created"] = obj{"type": "number", "minimum": 0, "maximum": domain.MaxJobsCreated, "description": "complete: full-time equivalents"}
	tr["funders"] = obj{"type": "array", "items": ref("Funder"), "minItems": 1, "maxItems": domain.MaxFunders, "description": "complete"}
}
