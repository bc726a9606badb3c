package server

import "essor/internal/domain"

// addRally describes the Rally'nov rounds' routes and schemas; enums come
// from the domain's tables.
func addRally(paths, schemas obj) {
	dateTime := obj{"type": "string", "format": "date-time"}
	uuid := obj{"type": "string", "format": "uuid"}
	phase := obj{"type": "string", "enum": enum(domain.Phases)}
	nullable := func(o obj) obj { o = clone(o); o["nullable"] = true; return o }
	instant := obj{"type": "string", "description": "RFC 3339, or a day (YYYY-MM-DD) taken in Europe/Paris: a start day starts at its midnight, an end day ends at the next"}

	schemas["RoundSetup"] = object([]string{"title", "phases", "categories", "criteria"}, obj{
		"title": obj{"type": "string", "minLength": 5, "maxLength": 200},
		"phases": obj{"type": "array", "minItems": len(domain.Phases), "maxItems": len(domain.Phases),
			"description": "the six phases, once each; each starts no earlier than the one before and ends after it starts; overlaps and gaps are allowed",
			"items":       object([]string{"phase", "starts_at", "ends_at"}, obj{"phase": phase, "starts_at": instant, "ends_at": instant})},
		"categories": obj{"type": "array", "minItems": 1, "maxItems": domain.MaxRallyCategories, "description": "trophy categories",
			"items": obj{"type": "string", "minLength": 2, "maxLength": 100}},
		"criteria": obj{"type": "array", "minItems": 1, "maxItems": domain.MaxRallyCriteria, "items": ref("Criterion")},
	})
	schemas["Criterion"] = object([]string{"key", "label", "weight"}, obj{
		"key":    obj{"type": "string", "pattern": "^[a-z][a-z0-9_]{1,39}$"},
		"label":  obj{"type": "string", "minLength": 2, "maxLength": 200},
		"weight": obj{"type": "number", "exclusiveMinimum": 0, "maximum": 100}})
	ranked := object(nil, obj{"entry_id": uuid, "rank": obj{"type": "integer", "description": "1 for the best; absent for entries listed apart"},
		"mean":   obj{"type": "number", "description": "organisers only"},
		"sheets": obj{"type": "integer", "description": "organisers only"},
		"needed": obj{"type": "integer", "description": "organisers only, listed apart: the sheets it would need (half the jurors who may score it)"}})
	counts := obj{"type": "object", "description": "per category, when the selection was made per category",
		"additionalProperties": obj{"type": "integer", "minimum": 0, "maximum": domain.MaxRallySelection}}
	schemas["Round"] = object(nil, obj{
		"id": uuid, "title": str(""),
		"current_phase": nullable(obj{"type": "string", "enum": enum(domain.Phases),
			"description": "the latest phase whose start has passed (even in a gap after its end) or that the organiser advanced to; null before the first"}),
		"next_phase": nullable(object(nil, obj{"phase": phase, "starts_at": dateTime})),
		"phases":     arr(object(nil, obj{"phase": phase, "starts_at": dateTime, "ends_at": dateTime})),
		"categories": arr(obj{"type": "string"}), "criteria": arr(ref("Criterion")),
		"entries_open": obj{"type": "boolean", "description": "identification is current, not ended, and nothing is selected yet"},
		"entries":      obj{"type": "integer"},
		"selection": nullable(object(nil, obj{"at": dateTime, "count": obj{"type": "integer"}, "counts": counts,
			"selected": obj{"type": "array", "items": ranked, "description": "ranked within their category"},
			"apart":    obj{"type": "array", "items": ranked, "description": "organisers only: fewer sheets than half the jurors who may score them, not ranked"}})),
		"jury_size":       obj{"type": "integer", "description": "jurors named for this round; 0: every juror may score it"},
		"stages":          arr(object(nil, obj{"id": uuid, "place": str(""), "date": obj{"type": "string", "format": "date"}, "entry_ids": arr(uuid)})),
		"trophies":        arr(object(nil, obj{"category": str(""), "entry_id": uuid, "awarded_at": dateTime})),
		"archived":        obj{"type": "boolean", "description": "90 days after the closing ends: nothing changes any more"},
		"created_by_name": str(""), "created_at": dateTime, "updated_at": dateTime,
	})
	schemas["RoundPage"] = object([]string{"items", "next_cursor"}, obj{"items": arr(ref("Round")), "next_cursor": nullable(obj{"type": "string"})})
	schemas["NewEntry"] = object([]string{"organisation", "kind", "title", "description", "category"}, obj{
		"organisation": obj{"type": "string", "minLength": 2, "maxLength": 200},
		"kind":         obj{"type": "string", "enum": enum(domain.EntryKinds)},
		"title":        obj{"type": "string", "minLength": 5, "maxLength": 200},
		"description":  obj{"type": "string", "minLength": 20, "maxLength": 10000},
		"category":     str("one of the round's categories")})
	schemas["Entry"] = object(nil, obj{"id": uuid, "round_id": uuid, "organisation": str(""), "kind": obj{"type": "string", "enum": enum(domain.EntryKinds)},
		"title": str(""), "description": str(""), "category": str(""), "submitted_by": uuid, "submitted_by_name": str(""),
		"submitted_at": dateTime, "sheets": obj{"type": "integer", "description": "organisers only: score sheets so far"},
		"mean_score": obj{"type": "number", "description": "organisers only: mean of the sheets' weighted scores"},
		"my_score":   obj{"type": "number", "description": "jurors: their own sheet's weighted score"}})
	schemas["EntryPage"] = object([]string{"items", "next_cursor"}, obj{"items": arr(ref("Entry")), "next_cursor": nullable(obj{"type": "string"})})
	rankedEntry := object(nil, obj{"rank": obj{"type": "integer"}, "entry_id": uuid, "title": str(""), "organisation": str(""),
		"kind": str(""), "category": str(""), "mean_score": obj{"type": "number"}, "sheets": obj{"type": "integer"},
		"sheets_needed": obj{"type": "integer"}})
	schemas["SelectionResult"] = object(nil, obj{"made_at": dateTime, "count": obj{"type": "integer"}, "counts": counts,
		"selected": obj{"type": "array", "items": rankedEntry, "description": "the best by weighted mean score (per category when selected so), ties broken by the earliest submission"},
		"apart":    obj{"type": "array", "items": rankedEntry, "description": "entries with fewer sheets than half the jurors who may score them"}})
	publicEntry := object(nil, obj{"rank": obj{"type": "integer"}, "entry_id": uuid, "title": str(""), "organisation": str(""), "kind": str(""), "category": str("")})
	schemas["RoundResults"] = object(nil, obj{"id": uuid, "title": str(""), "current_phase": nullable(phase),
		"phases": arr(object(nil, obj{"phase": phase, "starts_at": dateTime, "ends_at": dateTime})), "categories": arr(obj{"type": "string"}),
		"selection": nullable(object(nil, obj{"made_at": dateTime, "count": obj{"type": "integer"}})),
		"selected":  arr(publicEntry),
		"stages":    arr(object(nil, obj{"place": str(""), "date": obj{"type": "string", "format": "date"}, "entries": arr(publicEntry)})),
		"trophies":  arr(object(nil, obj{"category": str(""), "entry": publicEntry, "awarded_at": dateTime}))})

	entryParam := obj{"name": "entry_id", "in": "path", "required": true, "schema": uuid}
	pageParams := []obj{obj{"name": "limit", "in": "query", "schema": obj{"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
		query("cursor", "next_cursor of the previous page")}
	errs := []string{"400", "401", "403", "404", "409", "413", "422", "503"}
	paths["/api/v1/rally/rounds"] = obj{
		"post": op("Set up a Rally'nov round (organiser)", true, jsonBody(ref("RoundSetup")), "201", ref("Round"), "The round", "400", "401", "403", "413", "422", "503"),
		"get":  withParams(op("Rally'nov rounds, newest first", true, nil, "200", ref("RoundPage"), "A page of rounds", "401", "422"), pageParams...),
	}
	paths["/api/v1/rally/rounds/{id}"] = obj{"get": withParams(op("A round with its current phase", true, nil, "200", ref("Round"), "The round", "401", "404"), idParam)}
	paths["/api/v1/rally/rounds/{id}/phase"] = obj{"post": withParams(op("Move the round to its next phase now (organiser); phases also start by themselves at their dates", true,
		jsonBody(object([]string{"action"}, obj{"action": obj{"type": "string", "enum": []any{string(domain.RallyAdvance)}}})), "200", ref("Round"), "The round", errs...), idParam)}
	paths["/api/v1/rally/rounds/{id}/entries"] = obj{
		"post": withParams(op("Enter a social innovation (actor), only while identification is open (409 names its dates)", true,
			jsonBody(ref("NewEntry")), "201", ref("Entry"), "The entry", errs...), idParam),
		"get": withParams(op("The round's entries, newest first: all for organisers and jurors, one's own otherwise", true, nil,
			"200", ref("EntryPage"), "A page of entries", "401", "404", "422"), append([]obj{idParam}, pageParams...)...),
	}
	paths["/api/v1/rally/rounds/{id}/entries/{entry_id}/scores"] = obj{"post": withParams(op("Score an entry on the grid (jury); a new sheet replaces the juror's previous one until the selection; never an entry of one's own organisation (403)", true,
		jsonBody(object([]string{"scores"}, obj{"scores": obj{"type": "object", "description": "every criterion key of the grid, each 0 to 10",
			"additionalProperties": obj{"type": "number", "minimum": 0, "maximum": 10}}})), "200", ref("Entry"), "The entry with the juror's score", errs...), idParam, entryParam)}
	paths["/api/v1/rally/rounds/{id}/selection"] = obj{"post": withParams(op("Select the best entries (organiser, during identification or stages); closes scoring; may be made again until a stage is scheduled (409 after)", true,
		jsonBody(object(nil, obj{
			"count":              obj{"type": "integer", "minimum": 1, "maximum": domain.MaxRallySelection, "description": "the N best of the round"},
			"count_per_category": obj{"type": "integer", "minimum": 1, "maximum": domain.MaxRallySelection, "description": "the N best of each category"},
			"counts":             obj{"type": "object", "description": "the N best of each named category (0 selects none of it)", "additionalProperties": obj{"type": "integer", "minimum": 0, "maximum": domain.MaxRallySelection}},
		})), "200", ref("SelectionResult"), "The selection (exactly one of count, count_per_category, counts; else 422 on selection)", errs...), idParam)}
	juror := object(nil, obj{"id": uuid, "name": str(""), "organisation": str("")})
	jurors := object([]string{"items"}, obj{"items": arr(juror)})
	paths["/api/v1/rally/rounds/{id}/jurors"] = obj{
		"get": withParams(op("The jurors named for the round (organisers and jurors); empty: every juror may score it", true, nil,
			"200", jurors, "The jurors", "401", "403", "404"), idParam),
		"put": withParams(op("Name the round's jury (organiser, until the selection): active jury accounts; replaces the previous list and tells the newly named jurors", true,
			jsonBody(object([]string{"user_ids"}, obj{"user_ids": obj{"type": "array", "items": uuid, "minItems": 1, "maxItems": domain.MaxRallyJurors}})),
			"200", jurors, "The jurors", errs...), idParam),
	}
	paths["/api/v1/rally/rounds/{id}/stages"] = obj{"post": withParams(op("Schedule a stage of the rally with selected entries (organiser, after the selection)", true,
		jsonBody(object([]string{"place", "day", "entry_ids"}, obj{"place": obj{"type": "string", "minLength": 2, "maxLength": 200},
			"day":       obj{"type": "string", "format": "date", "description": "a day of the stages phase"},
			"entry_ids": obj{"type": "array", "items": uuid, "minItems": 1, "maxItems": domain.MaxStageEntries, "description": "selected entries"}})),
		"201", ref("Round"), "The round", errs...), idParam)}
	paths["/api/v1/rally/rounds/{id}/trophies"] = obj{"post": withParams(op("Award a category's trophy to a selected entry of that category (organiser, during the closing); one per category", true,
		jsonBody(object([]string{"category", "entry_id"}, obj{"category": str("one of the round's categories"), "entry_id": uuid})),
		"201", ref("Round"), "The round", errs...), idParam)}
	paths["/api/v1/rally/rounds/{id}/results"] = obj{"get": withParams(op("The round's public results: selected entries, stages, trophies (no token needed)", false, nil,
		"200", ref("RoundResults"), "The results", "404"), idParam)}
	cal := withParams(op("The round's phases and stages as an iCalendar file (RFC 5545; stable UIDs, so a re-import updates; no token needed)", false, nil,
		"200", nil, "text/calendar", "404"), idParam)
	cal["responses"].(obj)["200"] = obj{"description": "The calendar", "content": obj{"text/calendar": obj{"schema": obj{"type": "string"}}}}
	paths["/api/v1/rally/rounds/{id}/calendar.ics"] = obj{"get": cal}
}
