package server

// addIndicatorSpec describes the plan's indicators (public aggregates).
func addIndicatorSpec(schemas, paths obj) {
	count := object(nil, obj{"key": str(""), "n": obj{"type": "integer"}})
	counts := arr(count)
	money := obj{"type": "object", "additionalProperties": obj{"type": "number"}, "description": "euros by kind of funder"}
	territory := object(nil, obj{"code": str(""), "name": str(""), "kind": str(""), "n": obj{"type": "integer"},
		"zones": arr(object(nil, obj{"code": str(""), "name": str(""), "kind": str(""), "n": obj{"type": "integer"}}))})
	schemas["Indicators"] = object(nil, obj{
		"filter":       object(nil, obj{"territory": str(""), "from": obj{"type": "string", "format": "date"}, "to": obj{"type": "string", "format": "date"}}),
		"generated_at": obj{"type": "string", "format": "date-time"},
		"needs": object(nil, obj{"total": obj{"type": "integer"}, "by_stage": counts,
			"by_territory": obj{"type": "array", "items": territory, "description": "départements with their employment zones (a département's figure includes its zones')"},
			"by_theme":     counts}),
		"time_in_stage": arr(object(nil, obj{"stage": str(""), "avg_days": obj{"type": "number"},
			"left": obj{"type": "integer", "description": "needs that left the stage in the period"}})),
		"overdue":     object(nil, obj{"total": obj{"type": "integer"}, "by_stage": counts}),
		"pilots":      obj{"type": "integer"},
		"deployments": obj{"type": "integer"},
		"projects": object(nil, obj{"deployed": obj{"type": "integer"}, "structures_created": obj{"type": "integer"},
			"structures_taken_over": obj{"type": "integer"}, "scop": obj{"type": "integer"}, "scic": obj{"type": "integer"},
			"by_legal_form": obj{"type": "object", "additionalProperties": obj{"type": "integer"}},
			"jobs_created":  obj{"type": "number"}, "supported_by_fca_cofinanced_by_region": obj{"type": "integer"},
			"funding_eur": money}),
		"study_actions": object(nil, obj{"by_stage": counts, "enterprises_created": obj{"type": "integer"},
			"jobs_created": obj{"type": "number"}, "committed_eur": money, "leverage": obj{"type": "number", "nullable": true},
			"programme": obj{"type": "object"}}),
		"rally": object(nil, obj{"rounds": obj{"type": "integer"}, "entries": obj{"type": "integer"},
			"entries_by_kind": obj{"type": "object", "additionalProperties": obj{"type": "integer"}},
			"selected":        obj{"type": "integer"}, "stages": obj{"type": "integer"}, "trophies": obj{"type": "integer"}}),
		"months": arr(object(nil, obj{"month": str("YYYY-MM"), "needs_submitted": obj{"type": "integer"},
			"projects_deployed": obj{"type": "integer"}, "jobs_created": obj{"type": "number"}})),
	})
	params := []obj{query("territory", "a territory code; a département includes its employment zones"),
		obj{"name": "from", "in": "query", "schema": obj{"type": "string", "format": "date"}, "description": "first day of the period"},
		obj{"name": "to", "in": "query", "schema": obj{"type": "string", "format": "date"}, "description": "last day of the period (included)"}}
	paths["/api/v1/indicators"] = obj{"get": withParams(op("The plan's indicators now (public, aggregates only)", false, nil,
		"200", ref("Indicators"), "Indicators", "422"), params...)}
	csvOp := withParams(op("The same as CSV: UTF-8 with BOM, \";\" separator, decimal commas (public)", false, nil,
		"200", nil, "indicator;title;key;label;value", "422"), params...)
	csvOp["responses"].(obj)["200"] = obj{"description": "CSV", "content": obj{"text/csv": obj{"schema": obj{"type": "string"}}}}
	paths["/api/v1/indicators.csv"] = obj{"get": csvOp}
}
