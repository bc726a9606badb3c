package server

import (
	"strconv"

	"essor/internal/storage"
)

// addListFields describes what a list item carries of a need's description.
func addListFields(schemas Obj) {
	need := schemas["Need"].(Obj)["properties"].(Obj)
	need["description"] = Str("the whole description; in lists (GET /api/v1/needs), its excerpt (see excerpt)")
	need["excerpt"] = Obj{"type": "string", "maxLength": storage.ExcerptRunes + 1,
		"description": "the description's first " + strconv.Itoa(storage.ExcerptRunes) + " characters or so, cut at a word and ended by « … » when cut"}
	need["description_truncated"] = Obj{"type": "boolean",
		"description": "true in a list item whose description is the excerpt of a longer text: GET /api/v1/needs/{id} has it whole"}
}
