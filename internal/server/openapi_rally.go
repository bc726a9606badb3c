package server

import "essor/internal/domain"

// addRally describes the Rally'nov rounds' routes and schemas; enums come
// from the domain's tables.
func AddRallySpec(paths, schemas Obj) {
	dateTime := Obj{"type": "string", "format": "date-time"}
	uuid := Obj{"type": "string", "format": "uuid"}
	phase := Obj{"type": "string", "enum": Enum(domain.Phases)}
	nullable := func(o Obj) Obj { o = Clone(o); o["nullable"] = true; return o }
	instant := Obj{"type": "string", "description": "RFC 3339, or a day (YYYY-MM-DD) taken in Europe/Paris: a start day starts at its midnight, an end day ends at the next"}

	schemas["RoundSetup"] = Object([]string{"title", "phases", "categories", "criteria"}, Obj{
		"title": Obj{"type": "string", "minLength": 5, "maxLength": 200},
		"phases": Obj{"type": "array", "minItems": len(domain.Phases), "maxItems": len(domain.Phases),
			"description": "the six phases, once each; each starts no earlier than the one before and ends after it starts; overlaps and gaps are allowed",
			"items":       Object([]string{"phase", "starts_at", "ends_at"}, Obj{"phase": phase, "starts_at": instant, "ends_at": instant})},
		"categories": Obj{"type": "array", "minItems": 1, "maxItems": domain.MaxRallyCategories, "description": "trophy categories",
			"items": Obj{"type": "string", "minLength": 2, "maxLength": 100}},
		"criteria": Obj{"type": "array", "minItems": 1, "maxItems": domain.MaxRallyCriteria, "items": Ref("Criterion")},
	})
	schemas["Criterion"] = Object([]string{"key", "label", "weight"}, Obj{
		"key":    Obj{"type": "string", "pattern": "^[a-z][a-z0-9_]{1,39}$"},
		"label":  Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"weight": Obj{"type": "number", "exclusiveMinimum": 0, "maximum": 100}})
	ranked := Object(nil, Obj{"entry_id": uuid, "rank": Obj{"type": "integer", "description": "1 for the best; absent for entries listed apart"},
		"mean":   Obj{"type": "number", "description": "organisers only"},
		"sheets": Obj{"type": "integer", "description": "organisers only"},
		"needed": Obj{"type": "integer", "description": "organisers only, listed apart: the sheets it would need (half the jurors who may score it)"}})
	counts := Obj{"type": "object", "description": "per category, when the selection was made per category",
		"additionalProperties": Obj{"type": "integer", "minimum": 0, "maximum": domain.MaxRallySelection}}
	schemas["Round"] = Object(nil, Obj{
		"id": uuid, "title": Str(""),
		"current_phase": nullable(Obj{"type": "string", "enum": Enum(domain.Phases),
			"description": "the latest phase whose start has passed (even in a gap after its end) or that the organiser advanced to; null before the first"}),
		"next_phase": nullable(Object(nil, Obj{"phase": phase, "starts_at": dateTime})),
		"phases":     Arr(Object(nil, Obj{"phase": phase, "starts_at": dateTime, "ends_at": dateTime})),
		"categories": Arr(Obj{"type": "string"}), "criteria": Arr(Ref("Criterion")),
		"entries_open": Obj{"type": "boolean", "description": "identification is current, not ended, and nothing is selected yet"},
		"entries":      Obj{"type": "integer"},
		"selection": nullable(Object(nil, Obj{"at": dateTime, "count": Obj{"type": "integer"}, "counts": counts,
			"selected": Obj{"type": "array", "items": ranked, "description": "ranked within their category"},
			"apart":    Obj{"type": "array", "items": ranked, "description": "organisers only: fewer sheets than half the jurors who may score them, not ranked"}})),
		"jury_size":       Obj{"type": "integer", "description": "jurors named for this round; 0: every juror may score it"},
		"stages":          Arr(Object(nil, Obj{"id": uuid, "place": Str(""), "date": Obj{"type": "string", "format": "date"}, "entry_ids": Arr(uuid)})),
		"trophies":        Arr(Object(nil, Obj{"category": Str(""), "entry_id": uuid, "awarded_at": dateTime})),
		"archived":        Obj{"type": "boolean", "description": "90 days after the closing ends: nothing changes any more"},
		"created_by_name": Str(""), "created_at": dateTime, "updated_at": dateTime,
	})
	schemas["RoundPage"] = Object([]string{"items", "next_cursor"}, Obj{"items": Arr(Ref("Round")), "next_cursor": nullable(Obj{"type": "string"})})
	schemas["NewEntry"] = Object([]string{"organisation", "kind", "title", "description", "category"}, Obj{
		"organisation": Obj{"type": "string", "minLength": 2, "maxLength": 200},
		"kind":         Obj{"type": "string", "enum": Enum(domain.EntryKinds)},
		"title":        Obj{"type": "string", "minLength": 5, "maxLength": 200},
		"description":  Obj{"type": "string", "minLength": 20, "maxLength": 10000},
		"category":     Str("one of the round's categories")})
	schemas["Entry"] = Object(nil, Obj{"id": uuid, "round_id": uuid, "organisation": Str(""), "kind": Obj{"type": "string", "enum": Enum(domain.EntryKinds)},
		"title": Str(""), "description": Str(""), "category": Str(""), "submitted_by": uuid, "submitted_by_name": Str(""),
		"submitted_at": dateTime, "sheets": Obj{"type": "integer", "description": "organisers only: score sheets so far"},
		"mean_score": Obj{"type": "number", "description": "organisers only: mean of the sheets' weighted scores"},
		"my_score":   Obj{"type": "number", "description": "jurors: their own sheet's weighted score"}})
	schemas["EntryPage"] = Object([]string{"items", "next_cursor"}, Obj{"items": Arr(Ref("Entry")), "next_cursor": nullable(Obj{"type": "string"})})
	rankedEntry := Object(nil, Obj{"rank": Obj{"type": "integer"}, "entry_id": uuid, "title": Str(""), "organisation": Str(""),
		"kind": Str(""), "category": Str(""), "mean_score": Obj{"type": "number"}, "sheets": Obj{"type": "integer"},
		"sheets_needed": Obj{"type": "integer"}})
	schemas["SelectionResult"] = Object(nil, Obj{"made_at": dateTime, "count": Obj{"type": "integer"}, "counts": counts,
		"selected": Obj{"type": "array", "items": rankedEntry, "description": "the best by weighted mean score (per category when selected so), ties broken by the earliest submission"},
		"apart":    Obj{"type": "array", "items": rankedEntry, "description": "entries with fewer sheets than half the jurors who may score them"}})
	publicEntry := Object(nil, Obj{"rank": Obj{"type": "integer"}, "entry_id": uuid, "title": Str(""), "organisation": Str(""), "kind": Str(""), "category": Str("")})
	schemas["RoundResults"] = Object(nil, Obj{"id": uuid, "title": Str(""), "current_phase": nullable(phase),
		"phases": Arr(Object(nil, Obj{"phase": phase, "starts_at": dateTime, "ends_at": dateTime})), "categories": Arr(Obj{"type": "string"}),
		"selection": nullable(Object(nil, Obj{"made_at": dateTime, "count": Obj{"type": "integer"}})),
		"selected":  Arr(publicEntry),
		"stages":    Arr(Object(nil, Obj{"place": Str(""), "date": Obj{"type": "string", "format": "date"}, "entries": Arr(publicEntry)})),
		"trophies":  Arr(Object(nil, Obj{"category": Str(""), "entry": publicEntry, "awarded_at": dateTime}))})

	entryParam := Obj{"name": "entry_id", "in": "path", "required": true, "schema": uuid}
	pageParams := []Obj{Obj{"name": "limit", "in": "query", "schema": Obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
		Query("cursor", "next_cursor of the previous page")}
	errs := []string{"400", "401", "403", "404", "409", "413", "422", "503"}
	paths["/api/v1/rally/rounds"] = Obj{
		"post": Op("Set up a Rally'nov round (organiser)", true, JSONBody(Ref("RoundSetup")), "201", Ref("Round"), "The round", "400", "401", "403", "413", "422", "503"),
		"get":  WithParams(Op("Rally'nov rounds, newest first", true, nil, "200", Ref("RoundPage"), "A page of rounds", "401", "422"), pageParams...),
	}
	paths["/api/v1/rally/rounds/{id}"] = Obj{"get": WithParams(Op("A round with its current phase", true, nil, "200", Ref("Round"), "The round", "401", "404"), IDParam)}
	paths["/api/v1/rally/rounds/{id}/phase"] = Obj{"post": WithParams(Op("Move the round to its next phase now (organiser); phases also start by themselves at their dates", true,
		JSONBody(Object([]string{"action"}, Obj{"action": Obj{"type": "string", "enum": []any{string(domain.RallyAdvance)}}})), "200", Ref("Round"), "The round", errs...), IDParam)}
	paths["/api/v1/rally/rounds/{id}/entries"] = Obj{
		"post": WithParams(Op("Enter a social innovation (actor), only while identification is open (409 names its dates)", true,
			JSONBody(Ref("NewEntry")), "201", Ref("Entry"), "The entry", errs...), IDParam),
		"get": WithParams(Op("The round's entries, newest first: all for organisers and jurors, one's own otherwise", true, nil,
			"200", Ref("EntryPage"), "A page of entries", "401", "404", "422"), append([]Obj{IDParam}, pageParams...)...),
	}
	paths["/api/v1/rally/rounds/{id}/entries/{entry_id}/scores"] = Obj{"post": WithParams(Op("Score an entry on the grid (jury); a new sheet replaces the juror's previous one until the selection; never an entry of one's own organisation (403)", true,
		JSONBody(Object([]string{"scores"}, Obj{"scores": Obj{"type": "object", "description": "every criterion key of the grid, each 0 to 10",
			"additionalProperties": Obj{"type": "number", "minimum": 0, "maximum": 10}}})), "200", Ref("Entry"), "The entry with the juror's score", errs...), IDParam, entryParam)}
	paths["/api/v1/rally/rounds/{id}/selection"] = Obj{"post": WithParams(Op("Select the best entries (organiser, during identification or stages); closes scoring; may be made again until a stage is scheduled (409 after)", true,
		JSONBody(Object(nil, Obj{
			"count":              Obj{"type": "integer", "minimum": 1, "maximum": domain.MaxRallySelection, "description": "the N best of the round"},
			"count_per_category": Obj{"type": "integer", "minimum": 1, "maximum": domain.MaxRallySelection, "description": "the N best of each category"},
			"counts":             Obj{"type": "object", "description": "the N best of each named category (0 selects none of it)", "additionalProperties": Obj{"type": "integer", "minimum": 0, "maximum": domain.MaxRallySelection}},
		})), "200", Ref("SelectionResult"), "The selection (exactly one of count, count_per_category, counts; else 422 on selection)", errs...), IDParam)}
	juror := Object(nil, Obj{"id": uuid, "name": Str(""), "organisation": Str("")})
	jurors := Object([]string{"items"}, Obj{"items": Arr(juror)})
	paths["/api/v1/rally/rounds/{id}/jurors"] = Obj{
		"get": WithParams(Op("The jurors named for the round (organisers and jurors); empty: every juror may score it", true, nil,
			"200", jurors, "The jurors", "401", "403", "404"), IDParam),
		"put": WithParams(Op("Name the round's jury (organiser, until the selection): active jury accounts; replaces the previous list and tells the newly named jurors", true,
			JSONBody(Object([]string{"user_ids"}, Obj{"user_ids": Obj{"type": "array", "items": uuid, "minItems": 1, "maxItems": domain.MaxRallyJurors}})),
			"200", jurors, "The jurors", errs...), IDParam),
	}
	paths["/api/v1/rally/rounds/{id}/stages"] = Obj{"post": WithParams(Op("Schedule a stage of the rally with selected entries (organiser, after the selection)", true,
		JSONBody(Object([]string{"place", "day", "entry_ids"}, Obj{"place": Obj{"type": "string", "minLength": 2, "maxLength": 200},
			"day":       Obj{"type": "string", "format": "date", "description": "a day of the stages phase"},
			"entry_ids": Obj{"type": "array", "items": uuid, "minItems": 1, "maxItems": domain.MaxStageEntries, "description": "selected entries"}})),
		"201", Ref("Round"), "The round", errs...), IDParam)}
	paths["/api/v1/rally/rounds/{id}/trophies"] = Obj{"post": WithParams(Op("Award a category's trophy to a selected entry of that category (organiser, during the closing); one per category", true,
		JSONBody(Object([]string{"category", "entry_id"}, Obj{"category": Str("one of the round's categories"), "entry_id": uuid})),
		"201", Ref("Round"), "The round", errs...), IDParam)}
	paths["/api/v1/rally/rounds/{id}/results"] = Obj{"get": WithParams(Op("The round's public results: selected entries, stages, trophies (no token needed)", false, nil,
		"200", Ref("RoundResults"), "The results", "404"), IDParam)}
	cal := WithParams(Op("The round's phases and stages as an iCalendar file (RFC 5545; stable UIDs, so a re-import updates; no token needed)", false, nil,
		"200", nil, "text/calendar", "404"), IDParam)
	cal["responses"].(Obj)["200"] = Obj{"description": "The calendar", "content": Obj{"text/calendar": Obj{"schema": Obj{"type": "string"}}}}
	paths["/api/v1/rally/rounds/{id}/calendar.ics"] = Obj{"get": cal}
}
