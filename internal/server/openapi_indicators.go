package server

// addIndicatorSpec describes the plan's indicators (public aggregates).
func AddIndicatorSpec(schemas, paths Obj) {
	count := Object(nil, Obj{"key": Str(""), "n": Obj{"type": "integer"}})
	counts := Arr(count)
	money := Obj{"type": "object", "additionalProperties": Obj{"type": "number"}, "description": "euros by kind of funder"}
	territory := Object(nil, Obj{"code": Str(""), "name": Str(""), "kind": Str(""), "n": Obj{"type": "integer"},
		"zones": Arr(Object(nil, Obj{"code": Str(""), "name": Str(""), "kind": Str(""), "n": Obj{"type": "integer"}}))})
	schemas["Indicators"] = Object(nil, Obj{
		"filter":       Object(nil, Obj{"territory": Str(""), "from": Obj{"type": "string", "format": "date"}, "to": Obj{"type": "string", "format": "date"}}),
		"generated_at": Obj{"type": "string", "format": "date-time"},
		"needs": Object(nil, Obj{"total": Obj{"type": "integer"}, "by_stage": counts,
			"by_territory": Obj{"type": "array", "items": territory, "description": "départements with their employment zones (a département's figure includes its zones')"},
			"by_theme":     counts}),
		"time_in_stage": Arr(Object(nil, Obj{"stage": Str(""), "avg_days": Obj{"type": "number"},
			"left": Obj{"type": "integer", "description": "needs that left the stage in the period"}})),
		"overdue":     Object(nil, Obj{"total": Obj{"type": "integer"}, "by_stage": counts}),
		"pilots":      Obj{"type": "integer"},
		"deployments": Obj{"type": "integer"},
		"projects": Object(nil, Obj{"deployed": Obj{"type": "integer"}, "structures_created": Obj{"type": "integer"},
			"structures_taken_over": Obj{"type": "integer"}, "scop": Obj{"type": "integer"}, "scic": Obj{"type": "integer"},
			"by_legal_form": Obj{"type": "object", "additionalProperties": Obj{"type": "integer"}},
			"jobs_created":  Obj{"type": "number"}, "supported_by_fca_cofinanced_by_region": Obj{"type": "integer"},
			"funding_eur": money}),
		"study_actions": Object(nil, Obj{"by_stage": counts, "enterprises_created": Obj{"type": "integer"},
			"jobs_created": Obj{"type": "number"}, "committed_eur": money, "leverage": Obj{"type": "number", "nullable": true},
			"programme": Obj{"type": "object"}}),
		"rally": Object(nil, Obj{"rounds": Obj{"type": "integer"}, "entries": Obj{"type": "integer"},
			"entries_by_kind": Obj{"type": "object", "additionalProperties": Obj{"type": "integer"}},
			"selected":        Obj{"type": "integer"}, "stages": Obj{"type": "integer"}, "trophies": Obj{"type": "integer"}}),
		"months": Arr(Object(nil, Obj{"month": Str("YYYY-MM"), "needs_submitted": Obj{"type": "integer"},
			"projects_deployed": Obj{"type": "integer"}, "jobs_created": Obj{"type": "number"}})),
	})
	params := []Obj{Query("territory", "a territory code; a département includes its employment zones"),
		Obj{"name": "from", "in": "query", "schema": Obj{"type": "string", "format": "date"}, "description": "first day of the period"},
		Obj{"name": "to", "in": "query", "schema": Obj{"type": "string", "format": "date"}, "description": "last day of the period (included)"}}
	paths["/api/v1/indicators"] = Obj{"get": WithParams(Op("The plan's indicators now (public, aggregates only)", false, nil,
		"200", Ref("Indicators"), "Indicators", "422"), params...)}
	csvOp := WithParams(Op("The same as CSV: UTF-8 with BOM, \";\" separator, decimal commas (public)", false, nil,
		"200", nil, "indicator;title;key;label;value", "422"), params...)
	csvOp["responses"].(Obj)["200"] = Obj{"description": "CSV", "content": Obj{"text/csv": Obj{"schema": Obj{"type": "string"}}}}
	paths["/api/v1/indicators.csv"] = Obj{"get": csvOp}
}
