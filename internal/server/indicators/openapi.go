package indicators

import (
	"essor/internal/server/kit"
)

// addIndicatorSpec describes the plan's indicators (public aggregates).
func AddSpec(schemas, paths kit.Obj) {
	count := kit.Object(nil, kit.Obj{"key": kit.Str(""), "n": kit.Obj{"type": "integer"}})
	counts := kit.Arr(count)
	money := kit.Obj{"type": "object", "additionalProperties": kit.Obj{"type": "number"}, "description": "euros by kind of funder"}
	territory := kit.Object(nil, kit.Obj{"code": kit.Str(""), "name": kit.Str(""), "kind": kit.Str(""), "n": kit.Obj{"type": "integer"},
		"zones": kit.Arr(kit.Object(nil, kit.Obj{"code": kit.Str(""), "name": kit.Str(""), "kind": kit.Str(""), "n": kit.Obj{"type": "integer"}}))})
	rate := kit.Object([]string{"code", "name", "n", "population", "per_10000"}, kit.Obj{
		"code": kit.Str("a département's INSEE code, an EPCI's SIREN"), "name": kit.Str(""),
		"n":          kit.Obj{"type": "integer", "description": "needs located in the territory or inside it: a commune's count for its EPCI and its département, a département's for the département only"},
		"population": kit.Obj{"type": "integer", "description": "the sum of its communes' municipal populations (INSEE)"},
		"per_10000":  kit.Obj{"type": "number", "description": "n per 10,000 inhabitants, two decimals"}})
	schemas["Indicators"] = kit.Object(nil, kit.Obj{
		"filter":       kit.Object(nil, kit.Obj{"territory": kit.Str(""), "from": kit.Obj{"type": "string", "format": "date"}, "to": kit.Obj{"type": "string", "format": "date"}}),
		"generated_at": kit.Obj{"type": "string", "format": "date-time"},
		"needs": kit.Object(nil, kit.Obj{"total": kit.Obj{"type": "integer"}, "by_stage": counts,
			"by_territory": kit.Obj{"type": "array", "items": territory, "description": "départements with their employment zones (a département's figure includes its zones')"},
			"by_theme":     counts,
			"per_10000_inhabitants": kit.Object([]string{"departements", "epcis"}, kit.Obj{
				"departements": kit.Arr(rate), "epcis": kit.Arr(rate)})}),
		"time_in_stage": kit.Arr(kit.Object(nil, kit.Obj{"stage": kit.Str(""), "avg_days": kit.Obj{"type": "number"},
			"left": kit.Obj{"type": "integer", "description": "needs that left the stage in the period"}})),
		"overdue":     kit.Object(nil, kit.Obj{"total": kit.Obj{"type": "integer"}, "by_stage": counts}),
		"pilots":      kit.Obj{"type": "integer"},
		"deployments": kit.Obj{"type": "integer"},
		"projects": kit.Object(nil, kit.Obj{"deployed": kit.Obj{"type": "integer"}, "structures_created": kit.Obj{"type": "integer"},
			"structures_taken_over": kit.Obj{"type": "integer"}, "scop": kit.Obj{"type": "integer"}, "scic": kit.Obj{"type": "integer"},
			"by_legal_form": kit.Obj{"type": "object", "additionalProperties": kit.Obj{"type": "integer"}},
			"jobs_created":  kit.Obj{"type": "number"}, "supported_by_fca_cofinanced_by_region": kit.Obj{"type": "integer"},
			"funding_eur": money}),
		"study_actions": kit.Object(nil, kit.Obj{"by_stage": counts, "enterprises_created": kit.Obj{"type": "integer"},
			"jobs_created": kit.Obj{"type": "number"}, "committed_eur": money, "leverage": kit.Obj{"type": "number", "nullable": true},
			"programme": kit.Obj{"type": "object"}}),
		"rally": kit.Object(nil, kit.Obj{"rounds": kit.Obj{"type": "integer"}, "entries": kit.Obj{"type": "integer"},
			"entries_by_kind": kit.Obj{"type": "object", "additionalProperties": kit.Obj{"type": "integer"}},
			"selected":        kit.Obj{"type": "integer"}, "stages": kit.Obj{"type": "integer"}, "trophies": kit.Obj{"type": "integer"}}),
		"committee_sessions_held": kit.Obj{"type": "integer", "description": "the committee's sessions held (closed) in the period"},
		"committee": kit.Obj{"type": "array", "description": "the committee's decisions by programme, every territory",
			"items": kit.Object(nil, kit.Obj{"subject": kit.Obj{"type": "string", "enum": []string{"need", "study_action", "call"}},
				"decided":              kit.Obj{"type": "integer", "description": "decisions taken within the period"},
				"avg_days_to_decision": kit.Obj{"type": "number", "nullable": true, "description": "from the file ready for the committee (the ballot's opening) to the decision, in days"},
				"waiting":              kit.Obj{"type": "integer", "description": "decisions waiting now"}})},
		"months": kit.Arr(kit.Object(nil, kit.Obj{"month": kit.Str("YYYY-MM"), "needs_submitted": kit.Obj{"type": "integer"},
			"projects_deployed": kit.Obj{"type": "integer"}, "jobs_created": kit.Obj{"type": "number"}})),
	})
	params := []kit.Obj{kit.Query("territory", "a territory code; a département includes its employment zones"),
		kit.Obj{"name": "from", "in": "query", "schema": kit.Obj{"type": "string", "format": "date"}, "description": "first day of the period"},
		kit.Obj{"name": "to", "in": "query", "schema": kit.Obj{"type": "string", "format": "date"}, "description": "last day of the period (included)"}}
	paths["/api/v1/indicators"] = kit.Obj{"get": kit.WithParams(kit.Op("The plan's indicators now (public, aggregates only)", false, nil,
		"200", kit.Ref("Indicators"), "Indicators", "422"), params...)}
	csvOp := kit.WithParams(kit.Op("The same as CSV: UTF-8 with BOM, \";\" separator, decimal commas (public)", false, nil,
		"200", nil, "indicator;title;key;label;value", "422"), params...)
	csvOp["responses"].(kit.Obj)["200"] = kit.Obj{"description": "CSV", "content": kit.Obj{"text/csv": kit.Obj{"schema": kit.Obj{"type": "string"}}}}
	paths["/api/v1/indicators.csv"] = kit.Obj{"get": csvOp}
}
