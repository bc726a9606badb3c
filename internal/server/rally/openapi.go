package rally

import (
	"essor/internal/domain"
	"essor/internal/server/kit"
)

// addRally describes the Rally'nov rounds' routes and schemas; enums come
// from the domain's tables.
func AddSpec(paths, schemas kit.Obj) {
	dateTime := kit.Obj{"type": "string", "format": "date-time"}
	uuid := kit.Obj{"type": "string", "format": "uuid"}
	phase := kit.Obj{"type": "string", "enum": kit.Enum(domain.Phases)}
	instant := kit.Obj{"type": "string", "description": "RFC 3339, or a day (YYYY-MM-DD) taken in Europe/Paris: a start day starts at its midnight, an end day ends at the next"}

	schemas["RoundSetup"] = kit.Object([]string{"title", "phases", "categories", "criteria"}, kit.Obj{
		"title": kit.Obj{"type": "string", "minLength": 5, "maxLength": 200},
		"phases": kit.Obj{"type": "array", "minItems": len(domain.Phases), "maxItems": len(domain.Phases),
			"description": "the six phases, once each; each starts no earlier than the one before and ends after it starts; overlaps and gaps are allowed",
			"items":       kit.Object([]string{"phase", "starts_at", "ends_at"}, kit.Obj{"phase": phase, "starts_at": instant, "ends_at": instant})},
		"categories": kit.Obj{"type": "array", "minItems": 1, "maxItems": domain.MaxRallyCategories, "description": "trophy categories",
			"items": kit.Obj{"type": "string", "minLength": 2, "maxLength": 100}},
		"criteria": kit.Obj{"type": "array", "minItems": 1, "maxItems": domain.MaxRallyCriteria, "items": kit.Ref("Criterion")},
	})
	schemas["Criterion"] = kit.Object([]string{"key", "label", "weight"}, kit.Obj{
		"key":    kit.Obj{"type": "string", "pattern": "^[a-z][a-z0-9_]{1,39}$"},
		"label":  kit.Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"weight": kit.Obj{"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 100}})
	ranked := kit.Object(nil, kit.Obj{"entry_id": uuid, "rank": kit.Obj{"type": "integer", "description": "1 for the best; absent for entries listed apart"},
		"mean":   kit.Obj{"type": "number", "description": "organisers only"},
		"sheets": kit.Obj{"type": "integer", "description": "organisers only"},
		"needed": kit.Obj{"type": "integer", "description": "organisers only, listed apart: the sheets it would need (half the jurors who may score it)"}})
	counts := kit.Obj{"type": "object", "description": "per category, when the selection was made per category",
		"additionalProperties": kit.Obj{"type": "integer", "minimum": 0, "maximum": domain.MaxRallySelection}}
	schemas["Round"] = kit.Object(nil, kit.Obj{
		"id": uuid, "title": kit.Str(""),
		"current_phase": kit.Nullable(kit.Obj{"type": "string", "enum": kit.Enum(domain.Phases),
			"description": "the latest phase whose start has passed (even in a gap after its end) or that the organiser advanced to; null before the first"}),
		"next_phase": kit.Nullable(kit.Object(nil, kit.Obj{"phase": phase, "starts_at": dateTime})),
		"phases":     kit.Arr(kit.Object(nil, kit.Obj{"phase": phase, "starts_at": dateTime, "ends_at": dateTime})),
		"categories": kit.Arr(kit.Obj{"type": "string"}), "criteria": kit.Arr(kit.Ref("Criterion")),
		"entries_open": kit.Obj{"type": "boolean", "description": "identification is current, not ended, and nothing is selected yet"},
		"entries":      kit.Obj{"type": "integer"},
		"selection": kit.Nullable(kit.Object(nil, kit.Obj{"at": dateTime, "count": kit.Obj{"type": "integer"}, "counts": counts,
			"selected": kit.Obj{"type": "array", "items": ranked, "description": "ranked within their category"},
			"apart":    kit.Obj{"type": "array", "items": ranked, "description": "organisers only: fewer sheets than half the jurors who may score them, not ranked"}})),
		"jury_size":       kit.Obj{"type": "integer", "description": "jurors named for this round; 0: every juror may score it"},
		"stages":          kit.Arr(kit.Object(nil, kit.Obj{"id": uuid, "place": kit.Str(""), "date": kit.Obj{"type": "string", "format": "date"}, "entry_ids": kit.Arr(uuid)})),
		"trophies":        kit.Arr(kit.Object(nil, kit.Obj{"category": kit.Str(""), "entry_id": uuid, "awarded_at": dateTime})),
		"archived":        kit.Obj{"type": "boolean", "description": "90 days after the closing ends: nothing changes any more"},
		"created_by_name": kit.Str(""), "created_at": dateTime, "updated_at": dateTime,
	})
	schemas["RoundPage"] = kit.Object([]string{"items", "next_cursor"}, kit.Obj{"items": kit.Arr(kit.Ref("Round")), "next_cursor": kit.Nullable(kit.Obj{"type": "string"})})
	schemas["NewEntry"] = kit.Object([]string{"organisation", "kind", "title", "description", "category"}, kit.Obj{
		"organisation": kit.Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"kind":         kit.Obj{"type": "string", "enum": kit.Enum(domain.EntryKinds)},
		"title":        kit.Obj{"type": "string", "minLength": 5, "maxLength": 200},
		"description":  kit.Obj{"type": "string", "minLength": 20, "maxLength": 10000},
		"category":     kit.Str("one of the round's categories")})
	schemas["Entry"] = kit.Object(nil, kit.Obj{"id": uuid, "round_id": uuid, "organisation": kit.Str(""), "kind": kit.Obj{"type": "string", "enum": kit.Enum(domain.EntryKinds)},
		"title": kit.Str(""), "description": kit.Str(""), "category": kit.Str(""), "submitted_by": uuid, "submitted_by_name": kit.Str(""),
		"submitted_at": dateTime, "sheets": kit.Obj{"type": "integer", "description": "organisers only: score sheets so far"},
		"mean_score": kit.Obj{"type": "number", "description": "organisers only: mean of the sheets' weighted scores"},
		"my_score":   kit.Obj{"type": "number", "description": "jurors: their own sheet's weighted score"}})
	schemas["EntryPage"] = kit.Object([]string{"items", "next_cursor"}, kit.Obj{"items": kit.Arr(kit.Ref("Entry")), "next_cursor": kit.Nullable(kit.Obj{"type": "string"})})
	rankedEntry := kit.Object(nil, kit.Obj{"rank": kit.Obj{"type": "integer"}, "entry_id": uuid, "title": kit.Str(""), "organisation": kit.Str(""),
		"kind": kit.Str(""), "category": kit.Str(""), "mean_score": kit.Obj{"type": "number"}, "sheets": kit.Obj{"type": "integer"},
		"sheets_needed": kit.Obj{"type": "integer"}})
	schemas["SelectionResult"] = kit.Object(nil, kit.Obj{"made_at": dateTime, "count": kit.Obj{"type": "integer"}, "counts": counts,
		"selected": kit.Obj{"type": "array", "items": rankedEntry, "description": "the best by weighted mean score (per category when selected so), ties broken by the earliest submission"},
		"apart":    kit.Obj{"type": "array", "items": rankedEntry, "description": "entries with fewer sheets than half the jurors who may score them"}})
	publicEntry := kit.Object(nil, kit.Obj{"rank": kit.Obj{"type": "integer"}, "entry_id": uuid, "title": kit.Str(""), "organisation": kit.Str(""), "kind": kit.Str(""), "category": kit.Str("")})
	schemas["RoundResults"] = kit.Object(nil, kit.Obj{"id": uuid, "title": kit.Str(""), "current_phase": kit.Nullable(phase),
		"phases": kit.Arr(kit.Object(nil, kit.Obj{"phase": phase, "starts_at": dateTime, "ends_at": dateTime})), "categories": kit.Arr(kit.Obj{"type": "string"}),
		"selection": kit.Nullable(kit.Object(nil, kit.Obj{"made_at": dateTime, "count": kit.Obj{"type": "integer"}})),
		"selected":  kit.Arr(publicEntry),
		"stages":    kit.Arr(kit.Object(nil, kit.Obj{"place": kit.Str(""), "date": kit.Obj{"type": "string", "format": "date"}, "entries": kit.Arr(publicEntry)})),
		"trophies":  kit.Arr(kit.Object(nil, kit.Obj{"category": kit.Str(""), "entry": publicEntry, "awarded_at": dateTime}))})

	entryParam := kit.Obj{"name": "entry_id", "in": "path", "required": true, "schema": uuid}
	pageParams := []kit.Obj{kit.Obj{"name": "limit", "in": "query", "schema": kit.Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
		kit.Query("cursor", "next_cursor of the previous page")}
	errs := []string{"400", "401", "403", "404", "409", "413", "422", "503"}
	paths["/api/v1/rally/rounds"] = kit.Obj{
		"post": kit.Op("Set up a Rally'nov round (organiser)", true, kit.JSONBody(kit.Ref("RoundSetup")), "201", kit.Ref("Round"), "The round", "400", "401", "403", "413", "422", "503"),
		"get":  kit.WithParams(kit.Op("Rally'nov rounds, newest first", true, nil, "200", kit.Ref("RoundPage"), "A page of rounds", "401", "422"), pageParams...),
	}
	paths["/api/v1/rally/rounds/{id}"] = kit.Obj{"get": kit.WithParams(kit.Op("A round with its current phase", true, nil, "200", kit.Ref("Round"), "The round", "401", "404"), kit.IDParam)}
	paths["/api/v1/rally/rounds/{id}/phase"] = kit.Obj{"post": kit.WithParams(kit.Op("Move the round to its next phase now (organiser); phases also start by themselves at their dates", true,
		kit.JSONBody(kit.Object([]string{"action"}, kit.Obj{"action": kit.Obj{"type": "string", "enum": []any{string(domain.RallyAdvance)}}})), "200", kit.Ref("Round"), "The round", errs...), kit.IDParam)}
	paths["/api/v1/rally/rounds/{id}/entries"] = kit.Obj{
		"post": kit.WithParams(kit.Op("Enter a social innovation (actor), only while identification is open (409 names its dates)", true,
			kit.JSONBody(kit.Ref("NewEntry")), "201", kit.Ref("Entry"), "The entry", errs...), kit.IDParam),
		"get": kit.WithParams(kit.Op("The round's entries, newest first: all for organisers and jurors, one's own otherwise", true, nil,
			"200", kit.Ref("EntryPage"), "A page of entries", "401", "404", "422"), append([]kit.Obj{kit.IDParam}, pageParams...)...),
	}
	paths["/api/v1/rally/rounds/{id}/entries/{entry_id}/scores"] = kit.Obj{"post": kit.WithParams(kit.Op("Score an entry on the grid (jury); a new sheet replaces the juror's previous one until the selection; never an entry of one's own organisation (403)", true,
		kit.JSONBody(kit.Object([]string{"scores"}, kit.Obj{"scores": kit.Obj{"type": "object", "description": "every criterion key of the grid, each 0 to 10",
			"additionalProperties": kit.Obj{"type": "number", "minimum": 0, "maximum": 10}}})), "200", kit.Ref("Entry"), "The entry with the juror's score", errs...), kit.IDParam, entryParam)}
	paths["/api/v1/rally/rounds/{id}/selection"] = kit.Obj{"post": kit.WithParams(kit.Op("Select the best entries (organiser, during identification or stages); closes scoring; may be made again until a stage is scheduled (409 after)", true,
		kit.JSONBody(kit.Object(nil, kit.Obj{
			"count":              kit.Obj{"type": "integer", "minimum": 1, "maximum": domain.MaxRallySelection, "description": "the N best of the round"},
			"count_per_category": kit.Obj{"type": "integer", "minimum": 1, "maximum": domain.MaxRallySelection, "description": "the N best of each category"},
			"counts":             kit.Obj{"type": "object", "description": "the N best of each named category (0 selects none of it)", "additionalProperties": kit.Obj{"type": "integer", "minimum": 0, "maximum": domain.MaxRallySelection}},
		})), "200", kit.Ref("SelectionResult"), "The selection (exactly one of count, count_per_category, counts; else 422 on selection)", errs...), kit.IDParam)}
	juror := kit.Object(nil, kit.Obj{"id": uuid, "name": kit.Str(""), "organisation": kit.Str("")})
	jurors := kit.Object([]string{"items"}, kit.Obj{"items": kit.Arr(juror)})
	paths["/api/v1/rally/rounds/{id}/jurors"] = kit.Obj{
		"get": kit.WithParams(kit.Op("The jurors named for the round (organisers and jurors); empty: every juror may score it", true, nil,
			"200", jurors, "The jurors", "401", "403", "404"), kit.IDParam),
		"put": kit.WithParams(kit.Op("Name the round's jury (organiser, until the selection): active jury accounts; replaces the previous list and tells the newly named jurors", true,
			kit.JSONBody(kit.Object([]string{"user_ids"}, kit.Obj{"user_ids": kit.Obj{"type": "array", "items": uuid, "minItems": 1, "maxItems": domain.MaxRallyJurors}})),
			"200", jurors, "The jurors", errs...), kit.IDParam),
	}
	paths["/api/v1/rally/rounds/{id}/stages"] = kit.Obj{"post": kit.WithParams(kit.Op("Schedule a stage of the rally with selected entries (organiser, after the selection)", true,
		kit.JSONBody(kit.Object([]string{"place", "day", "entry_ids"}, kit.Obj{"place": kit.Obj{"type": "string", "minLength": 2, "maxLength": 200},
			"day":       kit.Obj{"type": "string", "format": "date", "description": "a day of the stages phase"},
			"entry_ids": kit.Obj{"type": "array", "items": uuid, "minItems": 1, "maxItems": domain.MaxStageEntries, "description": "selected entries"}})),
		"201", kit.Ref("Round"), "The round", errs...), kit.IDParam)}
	paths["/api/v1/rally/rounds/{id}/trophies"] = kit.Obj{"post": kit.WithParams(kit.Op("Award a category's trophy to a selected entry of that category (organiser, during the closing); one per category", true,
		kit.JSONBody(kit.Object([]string{"category", "entry_id"}, kit.Obj{"category": kit.Str("one of the round's categories"), "entry_id": uuid})),
		"201", kit.Ref("Round"), "The round", errs...), kit.IDParam)}
	paths["/api/v1/rally/rounds/{id}/results"] = kit.Obj{"get": kit.WithParams(kit.Op("The round's public results: selected entries, stages, trophies (no token needed)", false, nil,
		"200", kit.Ref("RoundResults"), "The results", "404"), kit.IDParam)}
	cal := kit.WithParams(kit.Op("The round's phases and stages as an iCalendar file (RFC 5545; stable UIDs, so a re-import updates; no token needed)", false, nil,
		"200", nil, "text/calendar", "404"), kit.IDParam)
	cal["responses"].(kit.Obj)["200"] = kit.Obj{"description": "The calendar", "content": kit.Obj{"text/calendar": kit.Obj{"schema": kit.Obj{"type": "string"}}}}
	paths["/api/v1/rally/rounds/{id}/calendar.ics"] = kit.Obj{"get": cal}
}
